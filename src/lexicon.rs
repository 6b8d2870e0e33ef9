//! Known English words (the bundled unigram list) and the small closed classes the glue stage
//! reasons with.
//!
//! The list has no recent names (SoftBank, OpenAI, Zelensky), so it is evidence that a token
//! is a word, never evidence that an unknown token is an error.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

static UNIGRAMS_GZ: &[u8] = include_bytes!("../data/en-unigrams.txt.gz");

/// The known-word list, lower case, with counts from Google Books.
pub struct Lexicon {
    counts: HashMap<Box<str>, u64>,
}

impl Lexicon {
    /// The bundled English list, decompressed once per process.
    pub fn english() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(UNIGRAMS_GZ)
                .read_to_string(&mut text)
                .expect("the bundled word list is valid gzip (tested)");
            let counts = text
                .lines()
                .filter_map(|line| {
                    let (word, count) = line.split_once('\t')?;
                    Some((Box::from(word), count.trim().parse().ok()?))
                })
                .collect();
            Lexicon { counts }
        })
    }

    /// The word's count, looked up in lower case; `None` if it is not a known word.
    pub fn count(&self, word: &str) -> Option<u64> {
        if word.bytes().all(|b| b.is_ascii_lowercase()) {
            return self.counts.get(word).copied();
        }
        self.counts.get(word.to_lowercase().as_str()).copied()
    }

    /// Whether the word is known (in any case).
    pub fn knows(&self, word: &str) -> bool {
        self.count(word).is_some()
    }

    /// Number of words in the list.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether the list is empty (never, for the bundled one).
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// Function words: short, closed-class English words that glue onto content words
/// ("thecompany") and that never start the noun phrase after an appositive "a".
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "but", "as", "is", "was", "are", "were", "be", "been", "has", "had", "have", "that", "this",
    "these", "those", "it", "its", "he", "she", "they", "we", "his", "her", "their", "our", "not",
    "who", "which", "said", "says", "will", "would", "can", "could", "also", "about", "after",
    "into", "than", "then", "there", "when", "while", "if", "so", "no", "do", "does", "did", "up",
    "out", "over", "said", "told", "i", "you", "my", "your", "him", "them", "us", "what", "how",
];

/// Whether `word` (any case) is a function word.
pub fn is_function_word(word: &str) -> bool {
    word.len() <= 5 && FUNCTION_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Capitalised words that start a sentence and that bad extraction glues onto the end of the
/// previous block ("ReutersThe"). Deliberately short: "In", "On", "It" are left out because
/// real names end in them (LinkedIn, AddOn).
pub const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "We",
    "But",
    "However",
    "According",
    "After",
    "Before",
    "When",
    "While",
    "His",
    "Her",
    "Their",
    "Our",
];

/// English prepositions after which Slavic sources put a case ending on a name ("on Xu").
pub const PREPOSITIONS: &[&str] = &[
    "on", "in", "at", "with", "about", "from", "to", "by", "for", "of", "against", "without",
    "under", "over", "after", "before", "between", "toward", "towards", "into", "onto", "via",
];

/// Whether `word` (lower case) is a preposition from [`PREPOSITIONS`].
pub fn is_preposition(word: &str) -> bool {
    PREPOSITIONS.iter().any(|p| p.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_loads() {
        let lexicon = Lexicon::english();
        assert!(lexicon.len() > 90_000);
        assert!(lexicon.knows("the") && lexicon.knows("Musk") && lexicon.knows("ELLISON"));
        assert!(!lexicon.knows("Muska") && !lexicon.knows("SoftBank"));
    }
}
