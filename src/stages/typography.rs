//! Typography folding, off by default (users switch each rule on in their own rules folder):
//! curly quotes to straight ones, full-width and half-width forms to their usual forms, and
//! ligatures to their letters. Default output keeps all of these as they are: they are
//! typography, not damage.

use unicode_normalization::UnicodeNormalization;

use super::mojibake::RuleRef;
use super::Step;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{Edit, StageName};
use crate::rules::RuleSet;

/// The typography steps whose rules are switched on.
pub fn steps(rules: &RuleSet) -> Vec<Box<dyn Step>> {
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    if let Some(rule) = RuleRef::get(rules, "typography.uncurl-quotes.v1") {
        steps.push(Box::new(CharMap {
            rule,
            name: "uncurl-quotes",
            map: uncurl,
        }));
    }
    if let Some(rule) = RuleRef::get(rules, "typography.fullwidth.v1") {
        steps.push(Box::new(CharMap {
            rule,
            name: "fullwidth",
            map: |_| None,
        }));
    }
    if let Some(rule) = RuleRef::get(rules, "typography.ligatures.v1") {
        steps.push(Box::new(CharMap {
            rule,
            name: "ligatures",
            map: ligature,
        }));
    }
    steps
}

/// A step that replaces single characters (full-width forms are handled in runs).
struct CharMap {
    rule: RuleRef,
    name: &'static str,
    map: fn(char) -> Option<&'static str>,
}

impl Step for CharMap {
    fn stage(&self) -> StageName {
        StageName::Encoding
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = doc.text.as_str();
        if text.is_ascii() {
            return Vec::new();
        }
        if self.name == "fullwidth" {
            return self.width_edits(text);
        }
        let mut edits = Vec::new();
        for (at, c) in text.char_indices() {
            if c.is_ascii() {
                continue;
            }
            if let Some(replacement) = (self.map)(c) {
                edits.push(self.rule.edit(at..at + c.len_utf8(), replacement));
            }
        }
        edits
    }
}

impl CharMap {
    /// Runs of full-width ASCII and half-width forms (U+FF01–U+FFEE), folded with NFKC so a
    /// half-width katakana and its voicing mark become one full-width character.
    fn width_edits(&self, text: &str) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut run: Option<usize> = None;
        let flush = |start: usize, end: usize, edits: &mut Vec<Edit>| {
            let folded: String = text[start..end].nfkc().collect();
            if folded != text[start..end] {
                edits.push(self.rule.edit(start..end, &folded));
            }
        };
        for (at, c) in text.char_indices() {
            let wide = ('\u{FF01}'..='\u{FFEE}').contains(&c);
            match (wide, run) {
                (true, None) => run = Some(at),
                (false, Some(start)) => {
                    flush(start, at, &mut edits);
                    run = None;
                }
                _ => {}
            }
        }
        if let Some(start) = run {
            flush(start, text.len(), &mut edits);
        }
        edits
    }
}

fn uncurl(c: char) -> Option<&'static str> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => Some("'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => Some("\""),
        _ => None,
    }
}

fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        '\u{132}' => "IJ",
        '\u{133}' => "ij",
        '\u{13F}' => "L·",
        '\u{140}' => "l·",
        '\u{149}' => "'n",
        '\u{1C4}' => "DŽ",
        '\u{1C5}' => "Dž",
        '\u{1C6}' => "dž",
        '\u{1C7}' => "LJ",
        '\u{1C8}' => "Lj",
        '\u{1C9}' => "lj",
        '\u{1CA}' => "NJ",
        '\u{1CB}' => "Nj",
        '\u{1CC}' => "nj",
        '\u{1F1}' => "DZ",
        '\u{1F2}' => "Dz",
        '\u{1F3}' => "dz",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn with(rule: &str, text: &str) -> String {
        let mut files: Vec<(String, String)> = crate::rules::EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        files.push((
            "on.toml".to_owned(),
            format!("stage = \"encoding\"\n[[rule]]\nid = \"{rule}\"\nenabled = true\n"),
        ));
        let rules = RuleSet::from_sources(&files).unwrap();
        let mut text = text.to_owned();
        for step in steps(&rules) {
            let doc = Document::from_text("t", &text);
            let mut records = Vec::new();
            if let Some(new) = apply(
                &text,
                step.edits(&doc, &CorpusStats::default()),
                &mut records,
            ) {
                text = new;
            }
        }
        text
    }

    #[test]
    fn all_are_off_by_default() {
        assert!(steps(&RuleSet::defaults().unwrap()).is_empty());
    }

    #[test]
    fn uncurl_quotes_when_switched_on() {
        assert_eq!(
            with("typography.uncurl-quotes.v1", "“It’s ‘fine’,” „ja“"),
            "\"It's 'fine',\" \"ja\""
        );
    }

    #[test]
    fn fullwidth_forms_fold_when_switched_on() {
        assert_eq!(
            with(
                "typography.fullwidth.v1",
                "Ｕｎｉｃｏｄｅ１２３，ｶﾞ\u{3000}。"
            ),
            "Unicode123,ガ\u{3000}。"
        );
    }

    #[test]
    fn ligatures_expand_when_switched_on() {
        assert_eq!(
            with("typography.ligatures.v1", "signiﬁcant ﬂow ǌ"),
            "significant flow nj"
        );
    }
}
