//! Boilerplate: remove site chrome by whole-line rules from `rules/*.toml`.
//!
//! Lines are matched as a whole (exact lines case- and space-insensitively, or anchored
//! regexes), and never when longer than the rule's `max_chars`, so a sentence that merely
//! contains "comments" or "share" is never touched. Context rules (footer blocks, captions
//! above credit lines, first/last-N limits) look at the lines still kept, skipping blank
//! ones, and are repeated until nothing more changes: cleaning the output again then finds
//! exactly the same context and removes nothing more (idempotence).

use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;

use super::Step;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{Edit, StageName, Verdict};
use crate::prefilter::Prefilter;
use crate::rules::{keep_key, line_key, mask_digits, Action, LineRule, Matcher, RuleKind, RuleSet};

/// The boilerplate stage, compiled from the rules in effect.
pub struct Boilerplate {
    rules: Vec<CompiledRule>,
    /// Exact-line keys to the rules that list them.
    exact: HashMap<String, Vec<usize>>,
    /// The same for rules with `mask_digits` (keys with digit runs masked to `0`).
    masked: HashMap<String, Vec<usize>>,
    /// Regex rules: (rule index, regex). Tried one by one (a `RegexSet` must report every
    /// match and falls back to a slow engine), each only on lines the prefilter lets through.
    regexes: Vec<(usize, Regex)>,
    /// Which regexes could match a line (its first byte, literals every match contains).
    prefilter: Prefilter,
    /// Longest line any rule may match, in characters.
    longest: usize,
    /// Longest exact-line key, in characters: a line with more than twice as many characters
    /// cannot fold down to a key (folding only collapses white space), so it is not keyed.
    longest_key: usize,
}

struct CompiledRule {
    id: Arc<str>,
    reason: Arc<str>,
    line: LineRule,
}

/// Why a line is removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    /// It matched rule `.0` itself.
    Matched(usize),
    /// It is in the footer block that rule `.0` starts at line `.1`.
    Footer(usize, usize),
    /// It is the caption above the credit line `.1` matched by rule `.0`.
    Caption(usize, usize),
}

struct Line<'t> {
    /// Byte range including the line's newline, if any.
    range: std::ops::Range<usize>,
    /// The text without its newline, trimmed.
    trimmed: &'t str,
    chars: usize,
}

impl Boilerplate {
    /// Compiles the boilerplate rules of `rules` (their regexes are compiled already).
    pub fn new(rules: &RuleSet) -> Boilerplate {
        let mut compiled = Vec::new();
        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        let mut masked: HashMap<String, Vec<usize>> = HashMap::new();
        let mut regexes = Vec::new();
        let mut longest = 0;
        for rule in rules.stage(StageName::Boilerplate) {
            let RuleKind::Line(line) = &rule.kind else {
                continue;
            };
            let index = compiled.len();
            match &line.matcher {
                Matcher::Exact(keys) => {
                    let map = if line.mask_digits {
                        &mut masked
                    } else {
                        &mut exact
                    };
                    for key in keys {
                        map.entry(key.clone()).or_default().push(index);
                    }
                }
                Matcher::Regex(re) => regexes.push((index, re.clone())),
            }
            longest = longest.max(line.max_chars);
            compiled.push(CompiledRule {
                id: Arc::clone(&rule.id),
                reason: Arc::clone(&rule.reason),
                line: line.clone(),
            });
        }
        Boilerplate {
            rules: compiled,
            longest_key: exact
                .keys()
                .chain(masked.keys())
                .map(|k| k.chars().count())
                .max()
                .unwrap_or(0),
            exact,
            masked,
            prefilter: Prefilter::new(regexes.iter().map(|(_, re)| re.as_str())),
            regexes,
            longest,
        }
    }

    /// Whether some rule matches this line on its own (before any position or context check),
    /// in a document of `group`.
    pub fn matches(&self, line: &str, group: &str) -> bool {
        let trimmed = line.trim();
        let line = Line {
            range: 0..0,
            trimmed,
            chars: trimmed.chars().count(),
        };
        !self
            .matching_rules(&line, group, &mut Vec::new())
            .is_empty()
    }

    /// The rules that match this line on its own (before any position or context check).
    /// `possible` is scratch space for the prefilter.
    fn matching_rules(&self, line: &Line, group: &str, possible: &mut Vec<bool>) -> Vec<usize> {
        let mut found = Vec::new();
        if line.trimmed.is_empty() || line.chars > self.longest {
            return found;
        }
        if line.chars <= 2 * self.longest_key {
            let key = line_key(line.trimmed);
            if let Some(rules) = self.exact.get(&key) {
                found.extend(rules.iter().copied());
            }
            if !self.masked.is_empty() {
                if let Some(rules) = self.masked.get(&mask_digits(&key)) {
                    found.extend(rules.iter().copied());
                }
            }
        }
        self.prefilter.possible(line.trimmed, possible);
        for ((rule, re), &possible) in self.regexes.iter().zip(possible.iter()) {
            if possible
                && line.chars <= self.rules[*rule].line.max_chars
                && re.is_match(line.trimmed)
            {
                found.push(*rule);
            }
        }
        found.retain(|&r| {
            let rule = &self.rules[r].line;
            line.chars <= rule.max_chars && rule.group.as_ref().is_none_or(|g| g == group)
        });
        // Lines a reviewer kept (`keep`): the key is built only when a matching rule has some.
        if found.iter().any(|&r| !self.rules[r].line.keep.is_empty()) {
            let key = keep_key(line.trimmed);
            found.retain(|&r| !self.rules[r].line.keep.contains(&key));
        }
        found.sort_unstable();
        found
    }
}

/// Per-document state of the context rules: which lines are removed, and why.
struct Decisions<'a, 't> {
    lines: &'a [Line<'t>],
    removed: Vec<Option<Why>>,
    /// (line, why) of lines reported but kept.
    suspects: Vec<(usize, Why)>,
}

/// Upper bound on rounds of the context rules. Each round removes at least one line and
/// ordinary pages settle in one or two; the cap keeps hostile input (thousands of chrome lines
/// in a chain) linear.
const MAX_ROUNDS: usize = 8;

impl Decisions<'_, '_> {
    fn kept(&self, i: usize) -> bool {
        !self.lines[i].trimmed.is_empty() && self.removed[i].is_none()
    }

    /// For each line, how many kept lines come before it.
    fn kept_before(&self) -> Vec<usize> {
        let mut counts = Vec::with_capacity(self.lines.len());
        let mut seen = 0;
        for i in 0..self.lines.len() {
            counts.push(seen);
            seen += usize::from(self.kept(i));
        }
        counts
    }

    /// For each line, how many kept lines come after it and the longest of them (in chars).
    fn kept_after(&self) -> Vec<(usize, usize)> {
        let mut out = vec![(0, 0); self.lines.len()];
        let (mut seen, mut longest) = (0, 0);
        for i in (0..self.lines.len()).rev() {
            out[i] = (seen, longest);
            if self.kept(i) {
                seen += 1;
                longest = longest.max(self.lines[i].chars);
            }
        }
        out
    }
}

impl Step for Boilerplate {
    fn stage(&self) -> StageName {
        StageName::Boilerplate
    }
    fn name(&self) -> &'static str {
        "boilerplate-rules"
    }
    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = doc.text.as_str();
        let mut lines = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let trimmed = raw.trim();
            let chars = if trimmed.len() <= self.longest {
                trimmed.chars().count()
            } else {
                self.longest + 1 // only compared against `longest` and smaller limits
            };
            lines.push(Line {
                range: start..start + raw.len(),
                trimmed,
                chars,
            });
            start += raw.len();
        }
        let mut candidates: Vec<Option<Vec<usize>>> = Vec::with_capacity(lines.len());
        let mut any = false;
        let mut possible = Vec::new();
        for line in &lines {
            let rules = self.matching_rules(line, &doc.group, &mut possible);
            any |= !rules.is_empty();
            candidates.push((!rules.is_empty()).then_some(rules));
        }
        if !any {
            return Vec::new();
        }
        let mut state = Decisions {
            removed: vec![None; lines.len()],
            lines: &lines,
            suspects: Vec::new(),
        };
        // Line rules from the bottom (exact for last-N windows and footers), then from the top
        // (exact for first-N windows), then credits: a caption is judged only once headers and
        // other chrome around it are gone. Repeat until nothing changes.
        for _ in 0..MAX_ROUNDS {
            let mut changed = self.sweep_up(&mut state, &candidates);
            changed |= self.sweep_down(&mut state, &candidates);
            changed |= self.credits(&mut state, &candidates);
            if !changed {
                break;
            }
        }
        keep_a_document_with_letters(&mut state, &candidates);
        self.to_edits(&state)
    }
}

/// When the rules would leave no letter in a document that had some, the document is not a
/// page with chrome around a body but a short text the rules mistake for chrome ("x" for the
/// "X" share button, "Body." as a footer block). Then only lines that look like chrome on
/// their own stay removed: matched by a rule themselves (not only for their context), with two
/// or more letters and capitalised as labels are; the others become suspects and are kept.
/// The test ignores why a line went, so cleaning the output again keeps the same lines.
fn keep_a_document_with_letters(state: &mut Decisions, candidates: &[Option<Vec<usize>>]) {
    let has_letters = |i: usize| state.lines[i].trimmed.chars().any(char::is_alphabetic);
    let had_letters = (0..state.lines.len()).any(has_letters);
    let keeps_letters =
        (0..state.lines.len()).any(|i| state.removed[i].is_none() && has_letters(i));
    if !had_letters || keeps_letters {
        return;
    }
    for (i, matched) in candidates.iter().enumerate() {
        let Some(why) = state.removed[i] else {
            continue;
        };
        let line = state.lines[i].trimmed;
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        let capitalised = line
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase);
        let chrome_alone = matched.is_some() && letters >= 2 && capitalised;
        if !chrome_alone {
            state.removed[i] = None;
            state.suspects.push((i, why));
        }
    }
}

impl Boilerplate {
    fn in_window(rule: &LineRule, before: usize, after: usize) -> bool {
        rule.first.is_none_or(|n| before < n) && rule.last.is_none_or(|n| after < n)
    }

    /// Applies drop and footer rules bottom-up, counting kept lines below exactly.
    fn sweep_up(&self, state: &mut Decisions, candidates: &[Option<Vec<usize>>]) -> bool {
        let before = state.kept_before(); // may overcount once lines above go; never undercounts
        let (mut after, mut longest_after) = (0, 0);
        let mut changed = false;
        let mut footer_from = state.lines.len(); // lines from here on are already gone
        for i in (0..state.lines.len()).rev() {
            if !state.kept(i) {
                continue;
            }
            if let Some(rules) = &candidates[i] {
                if let Some(block) = self.line_rule(rules, before[i], after, longest_after) {
                    changed = true;
                    state.removed[i] = Some(block.0);
                    if block.1 {
                        for j in i + 1..footer_from {
                            if state.kept(j) {
                                state.removed[j] = Some(footer_of(block.0, i));
                            }
                        }
                        footer_from = i;
                        (after, longest_after) = (0, 0);
                    }
                    continue;
                }
            }
            after += 1;
            longest_after = longest_after.max(state.lines[i].chars);
        }
        changed
    }

    /// Applies drop and footer rules top-down, counting kept lines above exactly.
    fn sweep_down(&self, state: &mut Decisions, candidates: &[Option<Vec<usize>>]) -> bool {
        let after = state.kept_after(); // may overcount once lines below go; never undercounts
        let mut before = 0;
        let mut changed = false;
        for i in 0..state.lines.len() {
            if !state.kept(i) {
                continue;
            }
            if let Some(rules) = &candidates[i] {
                if let Some(block) = self.line_rule(rules, before, after[i].0, after[i].1) {
                    changed = true;
                    state.removed[i] = Some(block.0);
                    if block.1 {
                        for j in i + 1..state.lines.len() {
                            if state.kept(j) {
                                state.removed[j] = Some(footer_of(block.0, i));
                            }
                        }
                        break;
                    }
                    continue;
                }
            }
            before += 1;
        }
        changed
    }

    /// The first drop or footer rule among `rules` that fires for a line with `before` and
    /// `after` kept lines around it: why the line goes, and whether the lines after it go too.
    fn line_rule(
        &self,
        rules: &[usize],
        before: usize,
        after: usize,
        longest_after: usize,
    ) -> Option<(Why, bool)> {
        rules.iter().find_map(|&r| {
            let rule = &self.rules[r].line;
            if !Self::in_window(rule, before, after) {
                return None;
            }
            match rule.action {
                Action::Drop => Some((Why::Matched(r), false)),
                Action::Footer { block_max_chars } if longest_after <= block_max_chars => {
                    Some((Why::Matched(r), true))
                }
                Action::Footer { .. } | Action::Credit { .. } => None,
            }
        })
    }

    /// Applies credit rules top-down: the credit line goes, and the caption right above it
    /// goes too when it looks like one (else it is reported as a suspect).
    fn credits(&self, state: &mut Decisions, candidates: &[Option<Vec<usize>>]) -> bool {
        let after = state.kept_after();
        let mut kept_above: Vec<usize> = Vec::new(); // kept lines so far, nearest last
        let mut changed = false;
        for i in 0..state.lines.len() {
            if !state.kept(i) {
                continue;
            }
            let credit = candidates[i].as_ref().and_then(|rules| {
                rules.iter().find_map(|&r| match self.rules[r].line.action {
                    Action::Credit { caption_max_chars }
                        if Self::in_window(&self.rules[r].line, kept_above.len(), after[i].0) =>
                    {
                        Some((r, caption_max_chars))
                    }
                    _ => None,
                })
            });
            let Some((r, caption_max_chars)) = credit else {
                kept_above.push(i);
                continue;
            };
            changed = true;
            state.removed[i] = Some(Why::Matched(r));
            // The first kept line is the title: never a caption.
            if kept_above.len() >= 2 {
                let caption = *kept_above.last().expect("len checked");
                let line = &state.lines[caption];
                let looks_like_caption = line.chars <= caption_max_chars
                    && sentence_count(line.trimmed) <= 1
                    && !line.trimmed.ends_with(':');
                if looks_like_caption {
                    state.removed[caption] = Some(Why::Caption(r, i));
                    kept_above.pop();
                } else {
                    state.suspects.push((caption, Why::Caption(r, i)));
                }
            }
        }
        changed
    }

    fn to_edits(&self, state: &Decisions) -> Vec<Edit> {
        let mut edits = Vec::new();
        for (i, why) in state.removed.iter().enumerate() {
            if let Some(why) = why {
                edits.push(self.edit(state, i, *why, Verdict::Applied));
            }
        }
        for &(line, why) in &state.suspects {
            if state.removed[line].is_none() {
                edits.push(self.edit(state, line, why, Verdict::Suspect));
            }
        }
        edits
    }

    fn edit(&self, state: &Decisions, i: usize, why: Why, verdict: Verdict) -> Edit {
        let (rule, reason, confidence) = match why {
            Why::Matched(r) => {
                let rule = &self.rules[r];
                (rule, Arc::clone(&rule.reason), 1.0)
            }
            Why::Footer(r, start) => {
                let rule = &self.rules[r];
                let reason = format!(
                    "{} (in the footer block from line {})",
                    rule.reason,
                    start + 1
                );
                (rule, Arc::from(reason), 0.9)
            }
            Why::Caption(r, credit) => {
                let rule = &self.rules[r];
                let (reason, confidence) = match verdict {
                    Verdict::Applied => (
                        format!("photo caption above the credit line {}", credit + 1),
                        0.85,
                    ),
                    Verdict::Suspect => (
                        format!(
                            "may be a photo caption (above the credit line {}), but it is long or \
                             has several sentences",
                            credit + 1
                        ),
                        0.4,
                    ),
                };
                (rule, Arc::from(reason), confidence)
            }
        };
        // Only keep_a_document_with_letters makes suspects of matched or footer lines.
        let reason = match (why, verdict) {
            (Why::Matched(_) | Why::Footer(..), Verdict::Suspect) => Arc::from(format!(
                "{reason}; kept: removing it would leave the document without text"
            )),
            _ => reason,
        };
        Edit {
            range: state.lines[i].range.clone(),
            replacement: String::new(),
            stage: StageName::Boilerplate,
            rule: Arc::clone(&rule.id),
            reason,
            confidence,
            verdict,
        }
    }
}

fn footer_of(start: Why, line: usize) -> Why {
    match start {
        Why::Matched(rule) => Why::Footer(rule, line),
        other => other,
    }
}

/// Counts sentences: sentence-ending punctuation followed by space and an upper-case letter
/// starts a new one. Good enough to tell a one-line caption from a paragraph.
fn sentence_count(line: &str) -> usize {
    let mut count = 1;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
            while chars
                .peek()
                .is_some_and(|c| matches!(c, '"' | '”' | '’' | ')' | '\''))
            {
                chars.next();
            }
            if chars.peek().is_some_and(|c| c.is_whitespace()) {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                while chars
                    .peek()
                    .is_some_and(|c| matches!(c, '"' | '“' | '‘' | '(' | '\''))
                {
                    chars.next();
                }
                if chars.peek().is_some_and(|c| c.is_uppercase()) {
                    count += 1;
                }
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn clean(text: &str) -> (String, Vec<crate::edit::EditRecord>) {
        let rules = RuleSet::defaults().unwrap();
        let stage = Boilerplate::new(&rules);
        let doc = Document::from_text("t", text);
        let mut records = Vec::new();
        let edits = stage.edits(&doc, &CorpusStats::default());
        let out = apply(text, edits, &mut records).unwrap_or_else(|| text.to_owned());
        (out, records)
    }

    const PROSE: &str = "The council voted on Tuesday to expand the bus network, a plan that \
        residents had asked for in public comments and that several members said they would \
        share with the regional transit authority before the budget is finalised.\n";

    #[test]
    fn prose_mentioning_comments_or_share_stays() {
        let text = format!("{PROSE}\nShare your comments below, said the mayor.\n");
        assert_eq!(clean(&text).0, text);
    }

    #[test]
    fn a_short_document_is_never_emptied_by_mistake() {
        // "x" matches the "X" share button, "Body." is in the footer block of "Source link".
        let (out, records) = clean("x");
        assert_eq!(out, "x");
        assert!(records.iter().all(|r| r.status == Verdict::Suspect));
        assert_eq!(records.len(), 1);
        assert_eq!(clean("Source link\nBody.\n").0, "Body.\n");
        assert_eq!(clean("share\n").0, "share\n");
        // A document of chrome alone still goes.
        assert_eq!(clean("Source link\n").0, "");
        assert_eq!(clean("Share\nTweet\n").0, "");
        // Chrome in a footer block is chrome on its own too: the result does not depend on
        // context, so a second cleaning changes nothing.
        let credit = "Source link\nJim Watson | Afp | Getty Images\n";
        assert_eq!(clean(credit).0, "");
    }

    #[test]
    fn footer_block_after_source_link_goes() {
        let text = format!("{PROSE}\nSource link\n\nLeave a Reply\nBack to top button\n");
        let (out, records) = clean(&text);
        assert_eq!(out, format!("{PROSE}\n\n"));
        assert!(records
            .iter()
            .all(|r| r.rule.starts_with("footer.") || r.rule.starts_with("chrome.")));
    }

    #[test]
    fn a_footer_start_followed_by_prose_is_not_a_footer() {
        let text = format!("{PROSE}\nComments\n\n{PROSE}");
        assert_eq!(clean(&text).0, text);
    }

    #[test]
    fn caption_above_a_credit_goes_but_a_title_never_does() {
        let text = format!("Title of the story\n\nA man waves as he walks past, in Paris on Monday.\n\nJim Watson | Afp | Getty Images\n\n{PROSE}");
        let (out, _) = clean(&text);
        assert_eq!(out, format!("Title of the story\n\n\n\n{PROSE}"));
        let text = format!("Title of the story\n\nJim Watson | Afp | Getty Images\n\n{PROSE}");
        assert_eq!(clean(&text).0, format!("Title of the story\n\n\n{PROSE}"));
    }

    #[test]
    fn a_paragraph_above_a_credit_is_only_a_suspect() {
        let text = format!("Title\n\n{PROSE}\nPhoto: Jane Doe/Reuters\n");
        let (out, records) = clean(&text);
        assert_eq!(out, format!("Title\n\n{PROSE}\n"));
        assert!(records
            .iter()
            .any(|r| r.status == Verdict::Suspect && r.before == PROSE));
    }

    #[test]
    fn header_only_at_the_very_top() {
        let (out, _) = clean("Breaking News\nTitle\n");
        assert_eq!(out, "Title\n");
        let text = "Title\nBreaking News\n";
        assert_eq!(clean(text).0, text);
    }

    #[test]
    fn sentences_are_counted() {
        assert_eq!(sentence_count("A man walks in Washington, DC."), 1);
        assert_eq!(sentence_count("He left. She stayed. “Fine.” They went"), 4);
    }
}
