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
        let mut i = self.at;
        // Skip to the next word character.
        loop {
            match bytes.get(i) {
                None => {
                    self.at = i;
                    return None;
                }
                Some(&b) if b < 0x80 => {
                    if ASCII_WORD[b as usize] {
                        break;
                    }
                    i += 1;
                }
                Some(_) => {
                    let c = self.text[i..].chars().next().expect("i is a char boundary");
                    if c.is_alphanumeric() {
                        break;
                    }
                    i += c.len_utf8();
                }
            }
        }
        let start = i;
        // Take word characters.
        loop {
            match bytes.get(i) {
                None => {
                    self.at = i;
                    return Some(start..i);
                }
                Some(&b) if b < 0x80 => {
                    if !ASCII_WORD[b as usize] {
                        self.at = i + 1;
                        return Some(start..i);
                    }
                    i += 1;
                }
                Some(_) => {
                    let c = self.text[i..].chars().next().expect("i is a char boundary");
                    if !c.is_alphanumeric() {
                        self.at = i + c.len_utf8();
                        return Some(start..i);
                    }
                    i += c.len_utf8();
                }
            }
        }
    }
}

/// Which ASCII bytes are word characters (letters and digits).
static ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

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
