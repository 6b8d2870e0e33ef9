//! Word tokens: maximal runs of letters and digits, with their byte ranges.
//!
//! Shared by the corpus survey and the glue stage so both see the same words. Apostrophes,
//! hyphens and all punctuation separate tokens ("Trump’s" is "Trump" then "s").

use std::ops::Range;

/// A token's byte range in its text.
pub type Span = Range<usize>;

/// Iterates the word tokens of `text`.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// Iterator over the word tokens of a text; see [`tokens`].
pub struct Tokens<'t> {
    text: &'t str,
    at: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let bytes = self.text.as_bytes();
        let mut start = None;
        let mut i = self.at;
        while i < bytes.len() {
            let b = bytes[i];
            let (is_word, len) = if b < 0x80 {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let c = self.text[i..].chars().next().expect("i is a char boundary");
                (c.is_alphanumeric(), c.len_utf8())
            };
            match (is_word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    self.at = i + len;
                    return Some(s..i);
                }
                _ => {}
            }
            i += len;
        }
        self.at = bytes.len();
        start.map(|s| s..bytes.len())
    }
}

/// Whether the text between two tokens is only spaces or tabs (no line break, no
/// punctuation), so the two form a bigram.
pub fn adjacent(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| matches!(c, ' ' | '\t' | '\u{a0}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_punctuation_and_keeps_unicode_letters() {
        let text = "Trump’s plan: Kyiv, 2025 — naïve ΑΘΗΝΑ!";
        let words: Vec<&str> = tokens(text).map(|r| &text[r]).collect();
        assert_eq!(
            words,
            ["Trump", "s", "plan", "Kyiv", "2025", "naïve", "ΑΘΗΝΑ"]
        );
    }

    #[test]
    fn adjacency_is_spaces_only() {
        assert!(adjacent(" "));
        assert!(!adjacent(", "));
        assert!(!adjacent("\n"));
        assert!(!adjacent(""));
    }
}
