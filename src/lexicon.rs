//! Known English words (the bundled unigram list) and the small closed classes the glue stage
//! reasons with.
//!
//! The list has no recent names (SoftBank, OpenAI, Zelensky), so it is evidence that a token
//! is a word, never evidence that an unknown token is an error.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::sync::OnceLock;

static UNIGRAMS_GZ: &[u8] = include_bytes!("../data/en-unigrams.txt.gz");

/// A fast hasher for short string keys (a multiply for up to 8 bytes, xxh3 beyond). Not meant
/// to resist chosen collisions; the maps it serves are per document.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        if bytes.len() <= 8 {
            // Most words: their bytes as one number, mixed by multiplication.
            let mut buf = [0u8; 8];
            buf[..bytes.len()].copy_from_slice(bytes);
            let x = (self.0 ^ u64::from_le_bytes(buf) ^ bytes.len() as u64)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15);
            self.0 = x ^ (x >> 29);
        } else {
            self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A `HashMap` keyed by words, hashed with [`WordHasher`].
pub type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// The known-word list, lower case, with counts from Google Books.
///
/// Looked up for nearly every token, so it is a compact open-addressing table of 8-byte slots
/// (1 MiB, mostly in cache): a word's 64-bit xxh3 hash picks the slot (low bits) and is checked
/// against 32 more bits, so no string is compared and no pointer followed. Two different words
/// share those 49 bits with a chance of about 1 in 10^10 per lookup; counts saturate at
/// `u32::MAX` (the glue stage asks only whether a word has 100,000 or a million).
pub struct Lexicon {
    /// (check bits, count); check 0 marks an empty slot.
    slots: Vec<(u32, u32)>,
    len: usize,
}

const LEXICON_SLOT_BITS: u32 = 17;

fn word_key(lower: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(lower.as_bytes(), 7)
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
            let mut lexicon = Lexicon {
                slots: vec![(0, 0); 1 << LEXICON_SLOT_BITS],
                len: 0,
            };
            for line in text.lines() {
                let Some((word, count)) = line.split_once('\t') else {
                    continue;
                };
                if let Ok(count) = count.trim().parse::<u64>() {
                    lexicon.insert(word_key(word), count);
                }
            }
            lexicon
        })
    }

    fn slot_of(key: u64) -> (usize, u32) {
        let check = ((key >> 32) as u32).max(1);
        (key as usize & ((1 << LEXICON_SLOT_BITS) - 1), check)
    }

    fn insert(&mut self, key: u64, count: u64) {
        assert!(
            self.len * 4 < self.slots.len() * 3,
            "the word list fits its table"
        );
        let (mut i, check) = Lexicon::slot_of(key);
        let mask = self.slots.len() - 1;
        loop {
            match self.slots[i] {
                (0, _) => {
                    self.slots[i] = (check, count.min(u64::from(u32::MAX)) as u32);
                    self.len += 1;
                    return;
                }
                (c, _) if c == check => return, // a duplicate line
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn get(&self, key: u64) -> Option<u64> {
        let (mut i, check) = Lexicon::slot_of(key);
        let mask = self.slots.len() - 1;
        loop {
            match self.slots[i] {
                (0, _) => return None,
                (c, n) if c == check => return Some(u64::from(n)),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// The word's count, looked up in lower case; `None` if it is not a known word.
    pub fn count(&self, word: &str) -> Option<u64> {
        let bytes = word.as_bytes();
        if bytes.iter().all(u8::is_ascii_lowercase) {
            return self.get(word_key(word));
        }
        if bytes.is_ascii() && bytes.len() <= 32 {
            // Lower-case ASCII on the stack: this runs for every capitalised token.
            let mut buf = [0u8; 32];
            for (b, w) in buf.iter_mut().zip(bytes) {
                *b = w.to_ascii_lowercase();
            }
            let lower = std::str::from_utf8(&buf[..bytes.len()]).expect("ASCII");
            return self.get(word_key(lower));
        }
        self.get(word_key(&word.to_lowercase()))
    }

    /// Whether the word is known (in any case).
    pub fn knows(&self, word: &str) -> bool {
        self.count(word).is_some()
    }

    /// Number of words in the list.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list is empty (never, for the bundled one).
    pub fn is_empty(&self) -> bool {
        self.len == 0
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
    "out", "over", "told", "i", "you", "my", "your", "him", "them", "us", "what", "how",
];

/// Whether `word` (any case) is a function word. Called for every token of the survey, so it
/// lower-cases into a small buffer and matches bytes instead of scanning the list.
pub fn is_function_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 5 {
        return false;
    }
    let mut buf = [0u8; 5];
    for (b, w) in buf.iter_mut().zip(bytes) {
        *b = w.to_ascii_lowercase();
    }
    matches!(
        &buf[..bytes.len()],
        b"a" | b"an"
            | b"the"
            | b"of"
            | b"to"
            | b"in"
            | b"on"
            | b"at"
            | b"by"
            | b"for"
            | b"from"
            | b"with"
            | b"and"
            | b"or"
            | b"but"
            | b"as"
            | b"is"
            | b"was"
            | b"are"
            | b"were"
            | b"be"
            | b"been"
            | b"has"
            | b"had"
            | b"have"
            | b"that"
            | b"this"
            | b"these"
            | b"those"
            | b"it"
            | b"its"
            | b"he"
            | b"she"
            | b"they"
            | b"we"
            | b"his"
            | b"her"
            | b"their"
            | b"our"
            | b"not"
            | b"who"
            | b"which"
            | b"said"
            | b"says"
            | b"will"
            | b"would"
            | b"can"
            | b"could"
            | b"also"
            | b"about"
            | b"after"
            | b"into"
            | b"than"
            | b"then"
            | b"there"
            | b"when"
            | b"while"
            | b"if"
            | b"so"
            | b"no"
            | b"do"
            | b"does"
            | b"did"
            | b"up"
            | b"out"
            | b"over"
            | b"told"
            | b"i"
            | b"you"
            | b"my"
            | b"your"
            | b"him"
            | b"them"
            | b"us"
            | b"what"
            | b"how"
    )
}

/// Closed-class words beyond [`FUNCTION_WORDS`] (quantifiers, modal verbs, adverbs of degree,
/// wh-words) that run together with a neighbour as often ("onlymen", "encouragesuch"); the
/// run-together rule takes them as the function half of a split, with the same evidence.
pub const GLUE_WORDS: &[&str] = &[
    "only", "more", "most", "other", "just", "some", "such", "any", "all", "both", "every", "must",
    "should", "may", "might", "being", "same", "where", "whether", "too", "very", "upon", "itself",
    "me", "why", "never", "often", "even", "still", "because", "many", "much", "again", "here",
    "once",
];

/// Whether `word` (any case) is one of [`GLUE_WORDS`].
pub fn is_glue_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    if bytes.len() < 2 || bytes.len() > 7 {
        return false;
    }
    let mut buf = [0u8; 7];
    for (b, w) in buf.iter_mut().zip(bytes) {
        *b = w.to_ascii_lowercase();
    }
    // A match, not a scan of the list: the survey asks this for every token.
    matches!(
        &buf[..bytes.len()],
        b"only"
            | b"more"
            | b"most"
            | b"other"
            | b"just"
            | b"some"
            | b"such"
            | b"any"
            | b"all"
            | b"both"
            | b"every"
            | b"must"
            | b"should"
            | b"may"
            | b"might"
            | b"being"
            | b"same"
            | b"where"
            | b"whether"
            | b"too"
            | b"very"
            | b"upon"
            | b"itself"
            | b"me"
            | b"why"
            | b"never"
            | b"often"
            | b"even"
            | b"still"
            | b"because"
            | b"many"
            | b"much"
            | b"again"
            | b"here"
            | b"once"
    )
}

/// Glue words that end English words too often ("fetchall", "httponly", "almost",
/// "furthermore", "thereupon", "welcome") to count as the right half of a split.
pub const GLUE_WORD_ENDINGS: &[&str] = &[
    "all", "only", "more", "most", "much", "many", "any", "ever", "even", "me", "upon", "too",
    "other", "some", "once", "here", "still", "may", "again", "itself", "very", "just", "same",
];

/// Function words that also make English compounds, as prefixes or suffixes: "overhyped",
/// "outsmart", "afterparty", "inplace", "signup", "checkin", "takeover". Beside a content
/// word they are no evidence of glue; beside another function word ("upto", "inthe") they are.
pub const COMPOUND_PARTICLES: &[&str] = &[
    "up", "out", "over", "in", "on", "after", "about", "into", "by", "with", "off", "down", "i",
];

/// Function words that end words often enough ("alias", "campus", "pastis", "sofa") that they
/// are no evidence of glue at the end of a token.
pub const WORD_ENDINGS: &[&str] = &["a", "as", "us", "is", "an", "or", "so", "he", "we"];

/// Content words that behave like suffixes in new compounds ("themself", "businesslike"):
/// never the content half of a run-together split.
pub const SUFFIX_LIKE: &[&str] = &[
    "self", "selves", "like", "wise", "less", "ness", "ship", "hood", "ward", "wards", "able",
    "ably", "man", "men", "dom", "ism", "ist", "ful", "ment", "some", "fold", "ware", "ever",
    "way", "ways", "wide", "ling", "let", "lets", "age", "ages", "ion", "ions", "ate", "ates",
    "ing", "ted", "est", "ants", "ant", "ent", "ents", "ize", "ise", "ite", "ites", "tion",
];

/// Capitalised words that start a sentence and that bad extraction glues onto the end of the
/// previous block ("ReutersThe"). Deliberately closed: "In", "On", "It", "You", "How", "Who",
/// "One", "Now", "Today" are left out because names end in them (LinkedIn, AddOn, ThankYou,
/// KnowHow, DoctorWho, PlusOne, ServiceNow, USAToday).
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
    "I",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "My",
    "Your",
    "But",
    "However",
    "According",
    "After",
    "Before",
    "When",
    "While",
    "There",
    "If",
    "As",
    "Although",
    "Because",
    "Since",
    "Despite",
    "During",
    "Meanwhile",
    "Earlier",
    "Later",
    "Many",
    "Some",
    "Most",
    "Several",
    "Both",
];

/// Prefixes of surnames written with an inner capital (McDonald, MacArthur, DeSantis,
/// LaGuardia, DiCaprio, VanDyke, O'Brien as OBrien): never the head of a camel-case split.
pub const NAME_PREFIXES: &[&str] = &[
    "Mc", "Mac", "De", "Di", "Da", "Du", "Des", "Del", "Della", "La", "Le", "Van", "Von", "St",
    "Fitz", "Ben", "Al", "El", "O",
];

/// English prepositions after which Slavic sources put a case ending on a name ("on Xu").
pub const PREPOSITIONS: &[&str] = &[
    "on", "in", "at", "with", "about", "from", "to", "by", "for", "of", "against", "without",
    "under", "over", "after", "before", "between", "toward", "towards", "into", "onto", "via",
];

/// Whether `word` (any case) is a preposition from [`PREPOSITIONS`].
pub fn is_preposition(word: &str) -> bool {
    PREPOSITIONS.iter().any(|p| p.eq_ignore_ascii_case(word))
}

/// Prepositions that govern the genitive in Slavic languages, where a masculine name takes
/// "-a" ("from Muska", "of Muska"); after others ("with Gabriela") an "-a" is a feminine name.
pub const GENITIVE_PREPOSITIONS: &[&str] = &[
    "of", "from", "without", "for", "against", "after", "before", "by", "near", "until",
];

/// Whether `word` (any case) is one of [`GENITIVE_PREPOSITIONS`].
pub fn is_genitive_preposition(word: &str) -> bool {
    GENITIVE_PREPOSITIONS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(word))
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
        assert_eq!(lexicon.count("Naïve"), lexicon.count("naïve"));
    }

    #[test]
    fn function_word_matching_agrees_with_the_list() {
        for word in FUNCTION_WORDS {
            assert!(is_function_word(word), "{word}");
            assert!(is_function_word(&word.to_uppercase()), "{word}");
        }
        for word in ["", "company", "thee", "whic", "musk", "x"] {
            assert!(!is_function_word(word), "{word}");
        }
        for word in GLUE_WORDS {
            assert!(is_glue_word(word) && !is_function_word(word), "{word}");
            assert!(is_glue_word(&word.to_uppercase()), "{word}");
        }
        for word in ["", "the", "onl", "somewhere", "m"] {
            assert!(!is_glue_word(word), "{word}");
        }
    }
}
