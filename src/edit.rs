//! Edits: the only way text changes in unscrape.
//!
//! Every stage proposes [`Edit`]s against the text it was given; [`apply`] is the single place
//! that turns them into new text, and it records each one as an [`EditRecord`] at the same
//! time. The report is written from those records alone, so no change can bypass it.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

/// The pipeline stages a user can select with `--only` / `--skip`, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StageName {
    /// Charset decoding and (later) mojibake repair.
    Encoding,
    /// HTML input only: blocks of the rendered page that are not the main text (site chrome,
    /// comments, hidden elements) removed.
    Extract,
    /// Line breaks, Unicode spaces, invisible characters, NFC, blank lines.
    Normalize,
    /// Site chrome: share widgets, comment forms, footers, captions and credits, promos.
    Boilerplate,
    /// Tokens glued together by bad extraction or machine translation.
    Glue,
}

impl StageName {
    /// Every stage, in pipeline order.
    pub const ALL: [StageName; 5] = [
        StageName::Encoding,
        StageName::Extract,
        StageName::Normalize,
        StageName::Boilerplate,
        StageName::Glue,
    ];

    /// The name used on the command line, in rule files and in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            StageName::Encoding => "encoding",
            StageName::Extract => "extract",
            StageName::Normalize => "normalize",
            StageName::Boilerplate => "boilerplate",
            StageName::Glue => "glue",
        }
    }

    /// Parses a stage name as written on the command line or in a rule file.
    pub fn parse(name: &str) -> Option<StageName> {
        StageName::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for StageName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an edit changed the text or was only reported for a reviewer to judge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The edit was applied to the text.
    Applied,
    /// The stage was not sure enough: the edit is reported, the text is left alone.
    Suspect,
}

/// A proposed change to a document's text, as one stage saw that text.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// Byte range in the text the stage was given. Must lie on `char` boundaries.
    pub range: Range<usize>,
    /// What replaces the range (empty for a deletion).
    pub replacement: String,
    /// The stage that proposed the edit.
    pub stage: StageName,
    /// Versioned rule id, e.g. `footer.source-link.v1`.
    pub rule: Arc<str>,
    /// A short human reason.
    pub reason: Arc<str>,
    /// How sure the stage is, from 0 to 1.
    pub confidence: f32,
    /// Applied, or only reported.
    pub verdict: Verdict,
}

impl Edit {
    /// An edit the stage is sure of (confidence 1, applied).
    pub fn sure(
        range: Range<usize>,
        replacement: impl Into<String>,
        stage: StageName,
        rule: &Arc<str>,
        reason: &Arc<str>,
    ) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
            stage,
            rule: Arc::clone(rule),
            reason: Arc::clone(reason),
            confidence: 1.0,
            verdict: Verdict::Applied,
        }
    }
}

/// One edit as it goes into the report: what the text said before and after, and where.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditRecord {
    /// Stage that proposed the edit.
    pub stage: StageName,
    /// Versioned rule id.
    pub rule: Arc<str>,
    /// 1-based line of the edit's start, in the text as that stage saw it.
    pub line: usize,
    /// The text the edit replaces.
    pub before: String,
    /// The replacement.
    pub after: String,
    /// Why.
    pub reason: Arc<str>,
    /// How sure the stage was.
    pub confidence: f32,
    /// Applied, or only reported as a suspect.
    pub status: Verdict,
    /// Byte range of `before` in the text as the step saw it (`0..0` for an edit whose range
    /// was invalid). Not in `edits.jsonl`; the Python API turns it into offsets.
    #[serde(skip)]
    pub range: Range<usize>,
    /// Index of the step that made the edit in the cleaner's list of steps (set by the
    /// pipeline): the edits of one step share the text they were made on.
    #[serde(skip)]
    pub step: u16,
}

/// Applies one stage's edits to `text`, appending a record for every edit to `records`.
///
/// Edits may come in any order. Applied edits must not overlap each other and must lie on
/// `char` boundaries inside the text; an edit that breaks this is a bug in its stage, so it is
/// demoted to a suspect (reported, never applied) rather than allowed to corrupt the text.
/// Suspects never change the text. Returns the new text, or `None` when nothing was applied.
pub fn apply(text: &str, mut edits: Vec<Edit>, records: &mut Vec<EditRecord>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    edits.sort_by(|a, b| {
        (a.range.start, a.range.end)
            .cmp(&(b.range.start, b.range.end))
            .then_with(|| a.rule.cmp(&b.rule))
    });

    let mut out = String::with_capacity(text.len());
    let mut copied_to = 0; // text[..copied_to] has been handled
    let mut line = 1;
    let mut line_counted_to = 0;
    let mut any_applied = false;

    for mut edit in edits {
        let valid = edit.range.start <= edit.range.end
            && edit.range.end <= text.len()
            && text.is_char_boundary(edit.range.start)
            && text.is_char_boundary(edit.range.end);
        if !valid {
            edit.verdict = Verdict::Suspect;
            edit.range = 0..0;
            edit.reason = Arc::from(format!("not applied (invalid range): {}", edit.reason));
        }
        if edit.verdict == Verdict::Applied && edit.range.start < copied_to {
            edit.verdict = Verdict::Suspect;
            edit.reason = Arc::from(format!(
                "not applied (overlaps another edit): {}",
                edit.reason
            ));
        }
        if edit.range.start >= line_counted_to {
            line += memchr::memchr_iter(b'\n', &text.as_bytes()[line_counted_to..edit.range.start])
                .count();
            line_counted_to = edit.range.start;
        }
        let range = edit.range.clone();
        let before = &text[range.clone()];
        if edit.verdict == Verdict::Applied {
            out.push_str(&text[copied_to..edit.range.start]);
            out.push_str(&edit.replacement);
            copied_to = edit.range.end;
            any_applied = true;
        }
        records.push(EditRecord {
            stage: edit.stage,
            rule: edit.rule,
            line,
            before: before.to_owned(),
            after: edit.replacement,
            reason: edit.reason,
            confidence: edit.confidence,
            status: edit.verdict,
            range,
            step: 0,
        });
    }
    if !any_applied {
        return None;
    }
    out.push_str(&text[copied_to..]);
    Some(out)
}

/// The smallest spans of `old` and `new` that differ, on char boundaries: the common prefix
/// and suffix are left out, so an edit (and the report) holds just the characters that
/// changed. Shared by the stages that compute a replacement for a whole stretch of text.
pub(crate) fn changed_span(old: &str, new: &str) -> (Range<usize>, Range<usize>) {
    let prefix: usize = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    // Counted on what follows the prefix, so prefix and suffix never overlap.
    let suffix: usize = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    (prefix..old.len() - suffix, prefix..new.len() - suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: Range<usize>, replacement: &str, verdict: Verdict) -> Edit {
        Edit {
            range,
            replacement: replacement.to_owned(),
            stage: StageName::Normalize,
            rule: Arc::from("test.rule.v1"),
            reason: Arc::from("test"),
            confidence: 1.0,
            verdict,
        }
    }

    #[test]
    fn applies_in_order_whatever_the_input_order() {
        let mut records = Vec::new();
        let text = "one\ntwo\nthree\n";
        let out = apply(
            text,
            vec![
                edit(8..13, "3", Verdict::Applied),
                edit(0..3, "1", Verdict::Applied),
            ],
            &mut records,
        );
        assert_eq!(out.as_deref(), Some("1\ntwo\n3\n"));
        assert_eq!(records.len(), 2);
        assert_eq!((records[0].line, records[0].before.as_str()), (1, "one"));
        assert_eq!((records[1].line, records[1].before.as_str()), (3, "three"));
        assert_eq!(
            (records[0].range.clone(), records[1].range.clone()),
            (0..3, 8..13)
        );
    }

    #[test]
    fn suspects_are_recorded_but_not_applied() {
        let mut records = Vec::new();
        let out = apply("abc", vec![edit(0..1, "", Verdict::Suspect)], &mut records);
        assert_eq!(out, None);
        assert_eq!(records[0].status, Verdict::Suspect);
        assert_eq!(records[0].before, "a");
    }

    #[test]
    fn a_suspect_may_overlap_an_applied_edit() {
        let mut records = Vec::new();
        let out = apply(
            "abcdef",
            vec![
                edit(0..4, "X", Verdict::Applied),
                edit(2..3, "", Verdict::Suspect),
            ],
            &mut records,
        );
        assert_eq!(out.as_deref(), Some("Xef"));
        assert_eq!(records.len(), 2);
    }

    #[test]
    fn overlapping_edits_are_demoted_not_applied() {
        let mut records = Vec::new();
        let out = apply(
            "abcdef",
            vec![
                edit(0..4, "X", Verdict::Applied),
                edit(2..5, "Y", Verdict::Applied),
            ],
            &mut records,
        );
        assert_eq!(out.as_deref(), Some("Xef"));
        assert_eq!(records[1].status, Verdict::Suspect);
    }

    #[test]
    fn changed_span_trims_common_ends() {
        assert_eq!(changed_span("xaby", "xcy"), (1..3, 1..2));
        // Multi-byte characters: spans stay on char boundaries.
        assert_eq!(changed_span("cafÃ©!", "café!"), (3..7, 3..5));
        // Repeated characters: prefix and suffix never overlap.
        assert_eq!(changed_span("aa", "a"), (1..2, 1..1));
        assert_eq!(changed_span("a", "aa"), (1..1, 1..2));
        assert_eq!(changed_span("same", "same"), (4..4, 4..4));
    }
}
