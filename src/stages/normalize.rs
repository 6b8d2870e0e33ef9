//! Normalize: make text uniform without changing what it says.
//!
//! Each step below is one or a few built-in rules (`rules/normalize.toml` names and switches
//! them). The first four run before boilerplate; [`BlankLines`] runs last, after the other
//! stages removed lines, so the output has tidy paragraph breaks whatever was cut.

use std::sync::Arc;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::Step;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{changed_span, Edit, StageName};
use crate::rules::RuleSet;

/// A built-in rule's id and reason, looked up once when the step is built.
#[derive(Clone, Debug)]
struct RuleRef {
    id: Arc<str>,
    reason: Arc<str>,
}

impl RuleRef {
    fn get(rules: &RuleSet, id: &str) -> Option<RuleRef> {
        rules.builtin(id).map(|r| RuleRef {
            id: Arc::clone(&r.id),
            reason: Arc::clone(&r.reason),
        })
    }

    fn edit(&self, range: std::ops::Range<usize>, replacement: &str) -> Edit {
        Edit::sure(
            range,
            replacement,
            StageName::Normalize,
            &self.id,
            &self.reason,
        )
    }
}

/// The normalize steps that run before the boilerplate stage, in order, for the rules that
/// are switched on.
pub fn early_steps(rules: &RuleSet) -> Vec<Box<dyn Step>> {
    let mut steps: Vec<Box<dyn Step>> = Vec::new();
    if let Some(rule) = RuleRef::get(rules, "normalize.line-breaks.v1") {
        steps.push(Box::new(LineBreaks { rule }));
    }
    let characters = Characters {
        spaces: RuleRef::get(rules, "normalize.unicode-spaces.v1"),
        invisible: RuleRef::get(rules, "normalize.invisible.v1"),
        control: RuleRef::get(rules, "normalize.control.v1"),
    };
    if characters.spaces.is_some() || characters.invisible.is_some() || characters.control.is_some()
    {
        steps.push(Box::new(characters));
    }
    if let Some(rule) = RuleRef::get(rules, "normalize.nfc.v1") {
        steps.push(Box::new(Nfc { rule }));
    }
    if let Some(rule) = RuleRef::get(rules, "normalize.trailing-space.v1") {
        steps.push(Box::new(TrailingSpace { rule }));
    }
    steps
}

/// The normalize step that runs after every other stage.
pub fn late_steps(rules: &RuleSet) -> Vec<Box<dyn Step>> {
    let step = BlankLines {
        blank: RuleRef::get(rules, "normalize.blank-lines.v1"),
        final_newline: RuleRef::get(rules, "normalize.final-newline.v1"),
    };
    if step.blank.is_none() && step.final_newline.is_none() {
        return Vec::new();
    }
    vec![Box::new(step)]
}

/// CRLF, CR, NEL, U+2028 → LF; U+2029 → a blank line.
pub struct LineBreaks {
    rule: RuleRef,
}

impl Step for LineBreaks {
    fn stage(&self) -> StageName {
        StageName::Normalize
    }
    fn name(&self) -> &'static str {
        "line-breaks"
    }
    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let bytes = doc.text.as_bytes();
        let mut edits = Vec::new();
        for at in memchr::memchr3_iter(b'\r', 0xC2, 0xE2, bytes) {
            match bytes[at] {
                b'\r' if bytes.get(at + 1) == Some(&b'\n') => {
                    edits.push(self.rule.edit(at..at + 1, ""));
                }
                b'\r' => edits.push(self.rule.edit(at..at + 1, "\n")),
                0xC2 if bytes.get(at + 1) == Some(&0x85) => {
                    edits.push(self.rule.edit(at..at + 2, "\n"));
                }
                0xE2 if bytes.get(at + 1) == Some(&0x80) => match bytes.get(at + 2) {
                    Some(0xA8) => edits.push(self.rule.edit(at..at + 3, "\n")),
                    Some(0xA9) => edits.push(self.rule.edit(at..at + 3, "\n\n")),
                    _ => {}
                },
                _ => {}
            }
        }
        edits
    }
}

/// Unicode spaces, invisible characters and control characters, in one pass.
pub struct Characters {
    spaces: Option<RuleRef>,
    invisible: Option<RuleRef>,
    control: Option<RuleRef>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Space,
    Invisible,
    Control,
}

fn classify(c: char) -> Option<CharClass> {
    match c {
        '\t' | '\n' | '\r' => None,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Some(CharClass::Control),
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => {
            Some(CharClass::Space)
        }
        '\u{AD}' | '\u{180E}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Some(CharClass::Invisible),
        _ => None,
    }
}

/// Bytes that can start a character [`classify`] cares about: C0 controls other than tab and
/// line breaks, DEL, and the UTF-8 lead bytes of C1 controls, NBSP and soft hyphen (0xC2),
/// U+1680 and U+180E (0xE1), U+2000–U+2060 (0xE2) and U+FEFF (0xEF).
static CANDIDATE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
        b += 1;
    }
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xEF] = true;
    table
};

/// ZWJ and ZWNJ shape emoji sequences and many scripts (Persian, Indic); they are only
/// debris where a neighbour is ASCII, white space or the edge of the text.
fn is_joiner_debris(prev: Option<char>, next: Option<char>) -> bool {
    let shaping = |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace());
    !(shaping(prev) && shaping(next))
}

impl Step for Characters {
    fn stage(&self) -> StageName {
        StageName::Normalize
    }
    fn name(&self) -> &'static str {
        "characters"
    }
    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = &doc.text;
        let bytes = text.as_bytes();
        let mut edits: Vec<Edit> = Vec::new();
        let mut run: Option<(CharClass, usize, usize, usize)> = None; // class, start, end, chars
                                                                      // Only bytes that can start one of the characters concerned are looked at; every
                                                                      // such byte is ASCII or a UTF-8 lead byte, so it is a char boundary.
        for at in (0..bytes.len()).filter(|&i| CANDIDATE[usize::from(bytes[i])]) {
            let c = text[at..]
                .chars()
                .next()
                .expect("candidate bytes start a char");
            let class = match c {
                '\u{200C}' | '\u{200D}' => {
                    let prev = text[..at].chars().next_back();
                    let next = text[at + c.len_utf8()..].chars().next();
                    is_joiner_debris(prev, next).then_some(CharClass::Invisible)
                }
                _ => classify(c),
            };
            let class = class.filter(|class| self.rule(*class).is_some());
            match (class, run.as_mut()) {
                (Some(class), Some(r)) if r.0 == class && r.2 == at => {
                    r.2 = at + c.len_utf8();
                    r.3 += 1;
                }
                (Some(class), _) => {
                    if let Some(done) = run.take() {
                        edits.push(self.finish(done));
                    }
                    run = Some((class, at, at + c.len_utf8(), 1));
                }
                (None, _) => {
                    if let Some(done) = run.take() {
                        edits.push(self.finish(done));
                    }
                }
            }
        }
        if let Some(done) = run.take() {
            edits.push(self.finish(done));
        }
        edits
    }
}

impl Characters {
    fn rule(&self, class: CharClass) -> Option<&RuleRef> {
        match class {
            CharClass::Space => self.spaces.as_ref(),
            CharClass::Invisible => self.invisible.as_ref(),
            CharClass::Control => self.control.as_ref(),
        }
    }

    fn finish(&self, (class, start, end, chars): (CharClass, usize, usize, usize)) -> Edit {
        let rule = self.rule(class).expect("runs only form for enabled rules");
        let replacement = match class {
            CharClass::Space => " ".repeat(chars),
            _ => String::new(),
        };
        rule.edit(start..end, &replacement)
    }
}

/// Unicode canonical composition (NFC), one edit per changed span of a line.
pub struct Nfc {
    rule: RuleRef,
}

impl Step for Nfc {
    fn stage(&self) -> StageName {
        StageName::Normalize
    }
    fn name(&self) -> &'static str {
        "nfc"
    }
    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = &doc.text;
        if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            return Vec::new();
        }
        let mut edits = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            if !line.is_ascii() && is_nfc_quick(line.chars()) != IsNormalized::Yes {
                let composed: String = line.nfc().collect();
                if composed != line {
                    let (a, b) = changed_span(line, &composed);
                    edits.push(
                        self.rule
                            .edit(start + a.start..start + a.end, &composed[b.start..b.end]),
                    );
                }
            }
            start += line.len();
        }
        edits
    }
}

/// Spaces and tabs at the end of a line.
pub struct TrailingSpace {
    rule: RuleRef,
}

impl Step for TrailingSpace {
    fn stage(&self) -> StageName {
        StageName::Normalize
    }
    fn name(&self) -> &'static str {
        "trailing-space"
    }
    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let bytes = doc.text.as_bytes();
        let mut edits = Vec::new();
        let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
        for end in ends {
            let mut start = end;
            while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
                start -= 1;
            }
            if start < end {
                edits.push(self.rule.edit(start..end, ""));
            }
        }
        edits
    }
}

/// One blank line between paragraphs at most, none at the start, one newline at the end.
pub struct BlankLines {
    blank: Option<RuleRef>,
    final_newline: Option<RuleRef>,
}

impl Step for BlankLines {
    fn stage(&self) -> StageName {
        StageName::Normalize
    }
    fn name(&self) -> &'static str {
        "blank-lines"
    }
    fn edits(&self, doc: &Document, _: &CorpusStats) -> Vec<Edit> {
        let text = doc.text.as_str();
        let mut edits = Vec::new();
        // Byte range of each non-blank line's content (without its newline).
        let mut content_lines = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            if !body.trim().is_empty() {
                content_lines.push(start..start + body.len());
            }
            start += line.len();
        }
        let Some(last) = content_lines.last().cloned() else {
            if !text.is_empty() {
                if let Some(rule) = &self.blank {
                    edits.push(rule.edit(0..text.len(), ""));
                }
            }
            return edits;
        };
        if let Some(rule) = &self.blank {
            let first = content_lines[0].start;
            if first > 0 {
                edits.push(rule.edit(0..first, ""));
            }
            for pair in content_lines.windows(2) {
                // The gap runs from just after the first line's newline to the next line.
                let gap = pair[0].end + 1..pair[1].start;
                if memchr::memchr_iter(b'\n', &text.as_bytes()[gap.clone()]).count() > 1 {
                    edits.push(rule.edit(gap, "\n"));
                }
            }
        }
        let tail = &text[last.end..];
        match (&self.blank, &self.final_newline) {
            (Some(rule), _) if tail.len() > 1 || (tail.len() == 1 && tail != "\n") => {
                edits.push(rule.edit(last.end..text.len(), "\n"));
            }
            (_, Some(rule)) if tail.is_empty() => {
                edits.push(rule.edit(text.len()..text.len(), "\n"));
            }
            _ => {}
        }
        edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;

    fn run(steps: &[Box<dyn Step>], text: &str) -> String {
        let mut doc = Document::from_text("t", text);
        let mut records = Vec::new();
        for step in steps {
            let edits = step.edits(&doc, &CorpusStats::default());
            if let Some(text) = apply(&doc.text, edits, &mut records) {
                doc.text = text;
            }
        }
        doc.text
    }

    fn all(text: &str) -> String {
        let rules = RuleSet::defaults().unwrap();
        let mut steps = early_steps(&rules);
        steps.extend(late_steps(&rules));
        run(&steps, text)
    }

    #[test]
    fn line_breaks_become_lf() {
        assert_eq!(all("a\r\nb\rc\u{2028}d\u{85}e"), "a\nb\nc\nd\ne\n");
        assert_eq!(all("a\u{2029}b"), "a\n\nb\n");
    }

    #[test]
    fn unicode_spaces_invisibles_and_controls() {
        assert_eq!(all("a\u{A0}\u{A0}b\u{200B}c\u{7}d\u{FEFF}"), "a  bcd\n");
        assert_eq!(all("\u{FEFF}Title"), "Title\n");
        assert_eq!(all("soft\u{AD}ware\u{0085}"), "software\n");
    }

    #[test]
    fn joiners_that_shape_text_are_kept() {
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(all(family), format!("{family}\n"));
        let persian = "می\u{200C}خواهم";
        assert_eq!(all(persian), format!("{persian}\n"));
        assert_eq!(all("word\u{200D} next"), "word next\n");
    }

    #[test]
    fn ideographic_space_and_tabs_stay() {
        assert_eq!(all("\u{3000}日本語\tです"), "\u{3000}日本語\tです\n");
    }

    #[test]
    fn nfc_composes_only_what_changed() {
        assert_eq!(all("cafe\u{301} ok"), "café ok\n");
    }

    #[test]
    fn blank_lines_collapse_and_edges_are_trimmed() {
        assert_eq!(all("\n\n  \na  \n\n\n\nb\n \n\n"), "a\n\nb\n");
        assert_eq!(all("one\ntwo"), "one\ntwo\n");
        assert_eq!(all(""), "");
        assert_eq!(all(" \n\t\n"), "");
    }
}
