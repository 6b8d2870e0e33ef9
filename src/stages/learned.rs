//! Learned boilerplate: lines a site repeats on many of its pages are chrome, while article
//! prose almost never repeats. The survey pass counts, per group (site), how many documents
//! contain each line ([`crate::corpus::LineStats`]); this step removes the frequent ones, with
//! guards so that a quote or a standard paragraph several articles share is only a suspect.
//! Thresholds come from the built-in rule `learned-boilerplate.v1` (`rules/learned.toml`).
//! A review's decisions come from rule files: `learned.<site>.v1` switched off, or its `keep`
//! lines (also the `keep` of a rule file of `unscrape learn` for the site), are never removed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::boilerplate::Boilerplate;
use super::Step;
use crate::corpus::{line_fingerprint, CorpusStats};
use crate::document::Document;
use crate::edit::{Edit, StageName, Verdict};
use crate::rules::{keep_key, LearnedReview, Rule, RuleError, RuleKind, RuleSet};

/// The built-in rule that switches and tunes this step.
pub const RULE_ID: &str = "learned-boilerplate.v1";
/// The step's name (what `Cleaner::steps` lists).
pub const STEP_NAME: &str = "learned-boilerplate";

/// The learned-boilerplate step and its thresholds (see `rules/learned.toml`).
pub struct Learned {
    reason: Arc<str>,
    /// The boilerplate rules: a frequent line one of them matches is left to it, so the
    /// report credits the rule (and position-limited rules still see it).
    known: Boilerplate,
    /// A line must be in at least this many documents of its group…
    pub min_docs: u32,
    /// …and in at least this share of them.
    pub min_share: f64,
    /// Longest line removed (characters); longer frequent lines are suspects.
    pub max_chars: usize,
    /// Longest line removed inside the body.
    pub short_chars: usize,
    /// A line with at least this many words and sentence-ending punctuation is a sentence.
    pub sentence_words: usize,
    /// A sentence inside the body is removed only when in this share of the group.
    pub body_share: f64,
    /// Review decisions per rule id (`learned.<site>.v1`).
    reviews: HashMap<String, LearnedReview>,
    /// Lines kept by the `keep` of a line rule limited to a group, per group.
    group_keep: HashMap<String, HashSet<String>>,
}

/// Where a frequent line stands, and so what happens to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Above the first or below the last line of prose: page chrome.
    Edge,
    /// Inside the body, but not a sentence (a menu item, a label, a promo title).
    BodyFragment,
    /// A short sentence inside the body that most pages of the site have.
    BodyPromo,
    /// A sentence or long line inside the body that only some pages share: kept, reported.
    Suspect,
}

/// The rule id of the lines learned for `group`: `learned.<group>.v1`, the group folded to
/// lower-case ASCII letters, digits and '-' (`root` when nothing is left).
pub fn rule_id(group: &str) -> String {
    let mut name = String::new();
    for c in group.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    while name.ends_with('-') {
        name.pop();
    }
    if name.is_empty() {
        name.push_str("root");
    }
    format!("learned.{name}.v1")
}

/// Whether a line reads as a sentence: enough words and sentence-ending punctuation (closing
/// quotes and brackets aside).
pub fn is_sentence(line: &str, min_words: usize) -> bool {
    let end = line.trim_end_matches(['"', '”', '’', '\'', ')', ']', '»']);
    end.ends_with(['.', '!', '?', '…', '。', '！', '？'])
        && line.split_whitespace().count() >= min_words
}

fn param_error(rule: &Rule, problem: &str) -> RuleError {
    RuleError {
        file: rule.source.clone(),
        rule: Some(rule.id.to_string()),
        problem: format!("params: {problem}"),
    }
}

impl Learned {
    /// The step configured by `learned-boilerplate.v1`; `None` when that rule is switched off.
    pub fn new(rules: &RuleSet) -> Result<Option<Learned>, RuleError> {
        let Some(rule) = rules.builtin(RULE_ID) else {
            return Ok(None);
        };
        let number = |key: &str, default: f64| -> Result<f64, RuleError> {
            let value = match rule.params.get(key) {
                None => default,
                Some(toml::Value::Float(f)) => *f,
                Some(toml::Value::Integer(i)) => *i as f64,
                Some(_) => return Err(param_error(rule, &format!("'{key}' must be a number"))),
            };
            if value.is_finite() && value >= 0.0 {
                Ok(value)
            } else {
                Err(param_error(rule, &format!("'{key}' must be 0 or more")))
            }
        };
        let share = |key: &str, default: f64| -> Result<f64, RuleError> {
            let value = number(key, default)?;
            if value > 1.0 {
                return Err(param_error(rule, &format!("'{key}' is a share, 0 to 1")));
            }
            Ok(value)
        };
        let mut group_keep: HashMap<String, HashSet<String>> = HashMap::new();
        for r in rules.stage(StageName::Boilerplate) {
            if let RuleKind::Line(line) = &r.kind {
                if let (Some(group), false) = (&line.group, line.keep.is_empty()) {
                    group_keep
                        .entry(group.clone())
                        .or_default()
                        .extend(line.keep.iter().cloned());
                }
            }
        }
        Ok(Some(Learned {
            reviews: rules.learned_reviews().clone(),
            group_keep,
            reason: Arc::clone(&rule.reason),
            known: Boilerplate::new(rules),
            // At least 3: a line two documents share is no evidence of anything.
            min_docs: (number("min_docs", 3.0)? as u32).max(3),
            min_share: share("min_share", 0.05)?,
            max_chars: number("max_chars", 200.0)? as usize,
            short_chars: number("short_chars", 120.0)? as usize,
            sentence_words: number("sentence_words", 6.0)? as usize,
            body_share: share("body_share", 0.3)?,
        }))
    }

    /// Documents a line must be in to be frequent in a group of `documents`.
    pub fn threshold(&self, documents: u64) -> u64 {
        u64::from(self.min_docs).max((self.min_share * documents as f64).ceil() as u64)
    }

    /// For each line of `text` (split at '\n'), its document frequency in `group` when it is
    /// frequent and where it stands; `None` for lines that are not frequent.
    pub fn classify(
        &self,
        text: &str,
        group: &str,
        stats: &CorpusStats,
    ) -> Vec<Option<(u32, Placement)>> {
        let lines = stats.lines();
        let documents = lines.group_documents(group);
        let text_lines: Vec<&str> = text.split('\n').collect();
        if group.is_empty() || documents < u64::from(self.min_docs) {
            return vec![None; text_lines.len()];
        }
        let threshold = self.threshold(documents);
        let body_threshold = threshold.max((self.body_share * documents as f64).ceil() as u64);
        let mut buf = Vec::new();
        let seed = crate::corpus::group_seed(group);
        let frequency: Vec<u32> = text_lines
            .iter()
            .map(|line| {
                line_fingerprint(line, seed, &mut buf).map_or(0, |key| lines.count_key(key))
            })
            .collect();
        if frequency.iter().all(|&df| u64::from(df) < threshold) {
            return vec![None; text_lines.len()];
        }
        // What a review said about this site's lines: all rejected, or some kept.
        let review = if self.reviews.is_empty() {
            None
        } else {
            self.reviews.get(&rule_id(group))
        };
        if review.is_some_and(|r| !r.enabled) {
            return vec![None; text_lines.len()];
        }
        let review_keep = review.map(|r| &r.keep).filter(|k| !k.is_empty());
        let group_keep = self.group_keep.get(group);
        let kept = |line: &str| {
            (review_keep.is_some() || group_keep.is_some()) && {
                let key = keep_key(line);
                review_keep.is_some_and(|k| k.contains(&key))
                    || group_keep.is_some_and(|k| k.contains(&key))
            }
        };
        // Prose: a line that is not frequent and reads as a sentence or is long. Only the first
        // and the last are needed, so each scan stops at the first it finds.
        let prose = |i: &usize| {
            let line = text_lines[*i].trim();
            u64::from(frequency[*i]) < threshold
                && (is_sentence(line, self.sentence_words)
                    || (line.len() > self.short_chars
                        && line.chars().nth(self.short_chars).is_some()))
        };
        let first_prose = (0..text_lines.len()).find(prose);
        let last_prose = (0..text_lines.len()).rev().find(prose);
        // A heading over prose of this page ("Description", "See Also", a quote's author):
        // short, capitalised, and the next non-blank line is the page's own prose. Sites repeat
        // their section titles as much as their chrome, so these are only suspects.
        // Title-like: at most four words, capitalised, in title case past two words; a site's
        // inserts between paragraphs ("Scroll down to continue reading", "Get breaking news
        // alerts from …") are longer or read as a clause, and stay chrome.
        let heads_prose = |i: usize| {
            let line = text_lines[i].trim();
            let words: Vec<&str> = line.split_whitespace().collect();
            let capital = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
            let title_like = words.first().is_some_and(capital)
                && words.len() <= 4
                && (words.len() <= 2 || words.iter().all(capital));
            title_like
                && (i + 1..text_lines.len())
                    .find(|&j| !text_lines[j].trim().is_empty())
                    .is_some_and(|j| prose(&j))
        };
        text_lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let df = frequency[i];
                if u64::from(df) < threshold || self.known.matches(line, group) || kept(line) {
                    return None;
                }
                let line = line.trim();
                let chars = line.chars().count();
                let edge = first_prose.is_none_or(|f| i < f) || last_prose.is_none_or(|l| i > l);
                let sentence = is_sentence(line, self.sentence_words);
                // Chrome that is no sentence goes; a sentence only when most pages carry it
                // (a newsletter blurb), never when a few articles share it (a quote).
                let common = u64::from(df) >= body_threshold;
                let longest = if edge {
                    self.max_chars
                } else {
                    self.short_chars
                };
                let placement = if chars > longest || (!sentence && heads_prose(i)) {
                    Placement::Suspect
                } else if !sentence {
                    if edge {
                        Placement::Edge
                    } else {
                        Placement::BodyFragment
                    }
                } else if common {
                    if edge {
                        Placement::Edge
                    } else {
                        Placement::BodyPromo
                    }
                } else {
                    Placement::Suspect
                };
                Some((df, placement))
            })
            .collect()
    }
}

impl Step for Learned {
    fn stage(&self) -> StageName {
        StageName::Boilerplate
    }
    fn name(&self) -> &'static str {
        STEP_NAME
    }
    fn edits(&self, doc: &Document, stats: &CorpusStats) -> Vec<Edit> {
        let classes = self.classify(&doc.text, &doc.group, stats);
        if classes.iter().all(Option::is_none) {
            return Vec::new();
        }
        let documents = stats.lines().group_documents(&doc.group);
        let rule: Arc<str> = Arc::from(rule_id(&doc.group));
        let mut edits = Vec::new();
        let mut start = 0;
        for (raw, class) in doc.text.split_inclusive('\n').zip(classes) {
            let range = start..start + raw.len();
            start += raw.len();
            let Some((df, placement)) = class else {
                continue;
            };
            let (verdict, confidence, where_) = match placement {
                Placement::Edge => (Verdict::Applied, 0.9, "outside the article body"),
                Placement::BodyFragment => (Verdict::Applied, 0.8, "a fragment, not a sentence"),
                Placement::BodyPromo => (Verdict::Applied, 0.8, "a short sentence on most pages"),
                Placement::Suspect => (
                    Verdict::Suspect,
                    0.4,
                    "a sentence or long line only some pages share: may be shared prose",
                ),
            };
            edits.push(Edit {
                range,
                replacement: String::new(),
                stage: StageName::Boilerplate,
                rule: Arc::clone(&rule),
                reason: Arc::from(format!(
                    "{}: in {df} of {documents} documents of group '{}'; {where_}",
                    self.reason, doc.group
                )),
                confidence,
                verdict,
            });
        }
        // Never empty a document: when every line with a letter would go (here, or by a rule
        // of the boilerplate stage), the document is likely one of the site's templated items,
        // not chrome around an article; its frequent lines are then only suspects.
        // Edits are whole lines, so a line is removed when an applied edit starts where it does.
        let removed: std::collections::HashSet<usize> = edits
            .iter()
            .filter(|e| e.verdict == Verdict::Applied)
            .map(|e| e.range.start)
            .collect();
        let applied = |range: &std::ops::Range<usize>| removed.contains(&range.start);
        let mut start = 0;
        let keeps_text = doc.text.split_inclusive('\n').any(|raw| {
            let range = start..start + raw.len();
            start += raw.len();
            let line = raw.trim_end_matches('\n');
            line.chars().any(char::is_alphabetic)
                && !applied(&range)
                && !self.known.matches(line, &doc.group)
        });
        if !keeps_text {
            for edit in &mut edits {
                if edit.verdict == Verdict::Applied {
                    edit.verdict = Verdict::Suspect;
                    edit.confidence = 0.4;
                    edit.reason = Arc::from(format!(
                        "{}; kept because removing it would leave no text",
                        edit.reason
                    ));
                }
            }
        }
        edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn learned() -> Learned {
        Learned::new(&RuleSet::defaults().unwrap())
            .unwrap()
            .unwrap()
    }

    #[test]
    fn a_heading_over_the_pages_own_prose_is_only_a_suspect() {
        // Every page of the site has the same section titles over its own prose.
        let names = [
            "cat", "cp", "ls", "mv", "rm", "tar", "sed", "awk", "grep", "sort",
        ];
        let docs: Vec<String> = names
            .iter()
            .map(|name| {
                format!(
                    "Gazette Online Edition\n\nDescription\n\nThe tool {name} reads files and writes them back in order.\n\nScroll down to continue reading\n\nIt keeps the order of the lines it was given.\n\nSee Also\n\nThe manual of {name} explains the other programs here.\n"
                )
            })
            .collect();
        let stats = survey("docs", &docs);
        let mut doc = Document::from_text("d", &docs[3]);
        doc.group = "docs".to_owned();
        let edits = learned().edits(&doc, &stats);
        let verdict = |line: &str| {
            edits
                .iter()
                .find(|e| doc.text[e.range.clone()].trim_end() == line)
                .map(|e| e.verdict)
        };
        assert_eq!(verdict("Gazette Online Edition"), Some(Verdict::Applied));
        assert_eq!(verdict("Description"), Some(Verdict::Suspect));
        assert_eq!(verdict("See Also"), Some(Verdict::Suspect));
        assert_eq!(
            verdict("Scroll down to continue reading"),
            Some(Verdict::Applied)
        );
    }

    #[test]
    fn never_empties_a_document() {
        let docs: Vec<String> = (0..10)
            .map(|i| format!("The council met on day {i} to vote on new bus routes.\n"))
            .collect();
        let stats = survey("city", &docs);
        let mut doc =
            Document::from_text("d", &format!("Breaking News\n\n{}\nSource link\n", docs[0]));
        doc.group = "city".to_owned();
        let edits = learned().edits(&doc, &stats);
        assert!(!edits.is_empty(), "the line is frequent");
        assert!(edits.iter().all(|e| e.verdict == Verdict::Suspect));
    }

    fn survey(group: &str, docs: &[String]) -> CorpusStats {
        let mut stats = CorpusStats::default();
        for d in docs {
            stats.add_lines(group, d);
        }
        stats
    }

    const WORDS: [&str; 20] = [
        "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heath", "inlet", "juniper",
        "kelp", "larch", "maple", "nettle", "oak", "pine", "quartz", "reed", "sorrel", "thistle",
    ];

    fn article(i: usize) -> String {
        let w = |k: usize| WORDS[(i * 7 + k) % 20];
        format!(
            "The {} and {} plan for the harbour\n\nThe harbour board met on a {} morning to \
             weigh the {} plan for the docks, officials said.\n\nA second paragraph, about \
             the {} quay, explains why the vote matters to the town.\n",
            w(0),
            w(1),
            w(2),
            w(3),
            w(4)
        )
    }

    fn page(i: usize, quote: bool) -> String {
        let year = 2015 + i % 9;
        let mut body = article(i);
        if quote {
            body.push_str(
                "\n“We will rebuild the harbour together, stone by stone,” the mayor said.\n",
            );
        }
        format!(
            "Gazette front page · docks · ferries\nThe Harbour Gazette\n\n{body}\nGazette print \
             edition on sale at the quay\nThe Harbour Gazette, issue {year} of the quay edition.\n"
        )
    }

    #[test]
    fn repeated_chrome_goes_and_article_lines_stay() {
        let docs: Vec<String> = (0..20).map(|i| page(i, i % 5 == 0)).collect();
        let stats = survey("gazette", &docs);
        let step = learned();
        for (i, text) in docs.iter().enumerate() {
            let mut doc = Document::from_text("d", text);
            doc.group = "gazette".to_owned();
            let mut records = Vec::new();
            let out = apply(text, step.edits(&doc, &stats), &mut records).unwrap();
            let mut body = article(i);
            if i % 5 == 0 {
                body.push_str(
                    "\n“We will rebuild the harbour together, stone by stone,” the mayor said.\n",
                );
                // Shared by 4 of 20 documents, inside the body: only a suspect.
                assert!(records
                    .iter()
                    .any(|r| r.status == Verdict::Suspect && r.before.contains("rebuild")));
            }
            assert_eq!(out, format!("\n{body}\n"), "document {i}");
            assert!(records.iter().all(|r| &*r.rule == "learned.gazette.v1"));
            assert!(records[0].reason.contains("in 20 of 20 documents"));
        }
    }

    #[test]
    fn a_review_keeps_single_lines_or_the_whole_site() {
        let docs: Vec<String> = (0..20).map(|i| page(i, false)).collect();
        let stats = survey("gazette", &docs);
        let reviewed = |id: &str, extra: &str| {
            let mut files: Vec<(String, String)> = crate::rules::EMBEDDED
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect();
            files.push((
                "review.toml".to_owned(),
                format!("stage = \"boilerplate\"\n[[rule]]\nid = \"{id}\"\n{extra}\n"),
            ));
            Learned::new(&RuleSet::from_sources(&files).unwrap())
                .unwrap()
                .unwrap()
        };
        let mut doc = Document::from_text("d", &docs[0]);
        doc.group = "gazette".to_owned();
        let removed = |step: &Learned| -> Vec<String> {
            step.edits(&doc, &stats)
                .iter()
                .filter(|e| e.verdict == Verdict::Applied)
                .map(|e| doc.text[e.range.clone()].trim().to_owned())
                .collect()
        };
        let all = removed(&learned());
        assert!(all.iter().any(|l| l == "The Harbour Gazette"), "{all:?}");
        // Compared like `keep` says: case, spaces and digits aside.
        let kept = removed(&reviewed(
            "learned.gazette.v1",
            "keep = [\"the harbour  GAZETTE\", \"The Harbour Gazette, issue 1999 of the quay edition.\"]",
        ));
        let mut expected = all.clone();
        expected.retain(|l| !l.starts_with("The Harbour Gazette"));
        assert_eq!(kept, expected);
        assert_eq!(all.len(), expected.len() + 2);
        assert!(removed(&reviewed("learned.gazette.v1", "enabled = false")).is_empty());
        // Another site's review changes nothing here.
        assert_eq!(
            removed(&reviewed("learned.ledger.v1", "enabled = false")),
            all
        );
    }

    #[test]
    fn nothing_is_learned_below_three_documents_or_without_a_group() {
        let docs: Vec<String> = (0..2).map(|i| page(i, false)).collect();
        let stats = survey("gazette", &docs);
        let mut doc = Document::from_text("d", &docs[0]);
        doc.group = "gazette".to_owned();
        assert!(learned().edits(&doc, &stats).is_empty());
        let docs: Vec<String> = (0..5).map(|i| page(i, false)).collect();
        let stats = survey("gazette", &docs);
        doc.group = String::new();
        assert!(learned().edits(&doc, &stats).is_empty());
        doc.group = "other".to_owned();
        assert!(learned().edits(&doc, &stats).is_empty());
    }

    #[test]
    fn rule_ids_are_valid_for_any_group() {
        assert_eq!(rule_id("The Gazette/2024"), "learned.the-gazette-2024.v1");
        assert_eq!(rule_id(""), "learned.root.v1");
        assert_eq!(rule_id("éé"), "learned.root.v1");
    }

    #[test]
    fn sentences() {
        assert!(is_sentence("The board met on Monday to vote.", 6));
        assert!(is_sentence("“It is done,” she said to them all.”", 6));
        assert!(!is_sentence("Get the Gazette in your inbox", 6));
        assert!(!is_sentence("All rights reserved.", 6));
    }
}
