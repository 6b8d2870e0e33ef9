//! Corpus-level knowledge, gathered in a first parallel pass (the survey) and handed to every
//! stage read-only.
//!
//! [`CorpusStats`] is a plain value: each worker fills its own, and they are merged by adding
//! counts, so the result is the same whatever the number of threads or the order of merging.
//!
//! Memory is bounded: token and bigram counts live in one [`HashCounts`] table keyed by 64-bit
//! hashes, capped at [`DEFAULT_MAX_ENTRIES`] entries (about 16 bytes each). When a corpus has
//! more distinct keys than that, the table keeps exact counts for the keys whose hash falls
//! below a limit and forgets the rest, halving the limit until it fits. Which keys are kept
//! depends only on the set of keys in the corpus, never on the order they were seen, and a
//! forgotten key reads as "unknown" — so a huge corpus loses evidence, it never invents it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::lexicon::is_function_word;
use crate::tokens::tokens;

/// Default cap on distinct keys (tokens plus bigrams) per table: about 64 MB.
pub const DEFAULT_MAX_ENTRIES: usize = 4 << 20;

/// Keys are already xxh3 hashes; hashing them again would only cost time.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Exact counts for a hash-sampled, bounded set of keys; see the module documentation.
#[derive(Clone, Debug)]
pub struct HashCounts {
    counts: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>,
    /// Keys with a hash at or above this are not kept.
    limit: u64,
    max_entries: usize,
}

impl PartialEq for HashCounts {
    fn eq(&self, other: &HashCounts) -> bool {
        self.limit == other.limit && self.counts == other.counts
    }
}

impl HashCounts {
    /// An empty table holding at most `max_entries` keys.
    pub fn new(max_entries: usize) -> HashCounts {
        HashCounts {
            counts: HashMap::default(),
            limit: u64::MAX,
            max_entries: max_entries.max(1),
        }
    }

    /// Adds `n` to a key's count.
    pub fn add(&mut self, key: u64, n: u32) {
        if key >= self.limit {
            return;
        }
        let count = self.counts.entry(key).or_insert(0);
        *count = count.saturating_add(n);
        if self.counts.len() > self.max_entries {
            self.shrink();
        }
    }

    /// The key's count; `None` when the key is outside the sample (unknown, not zero).
    pub fn get(&self, key: u64) -> Option<u32> {
        (key < self.limit).then(|| self.counts.get(&key).copied().unwrap_or(0))
    }

    /// Adds another table's counts into this one.
    pub fn merge(&mut self, other: HashCounts) {
        if other.limit < self.limit {
            self.limit = other.limit;
            let limit = self.limit;
            self.counts.retain(|k, _| *k < limit);
        }
        for (key, n) in other.counts {
            self.add(key, n);
        }
        while self.counts.len() > self.max_entries {
            self.shrink();
        }
    }

    /// Number of keys kept.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether no key is kept.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    fn shrink(&mut self) {
        while self.counts.len() > self.max_entries {
            self.limit /= 2;
            let limit = self.limit;
            self.counts.retain(|k, _| *k < limit);
        }
    }
}

/// Read-only statistics about the whole corpus, shared by all documents of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusStats {
    /// Number of documents surveyed.
    pub documents: u64,
    /// Token counts (case kept) and the bigram counts the glue stage asks about.
    counts: HashCounts,
}

impl Default for CorpusStats {
    fn default() -> CorpusStats {
        CorpusStats::new(DEFAULT_MAX_ENTRIES)
    }
}

fn token_key(token: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(token.as_bytes(), 1)
}

fn bigram_key(first: &str, second: &str) -> u64 {
    let a = xxhash_rust::xxh3::xxh3_64_with_seed(first.as_bytes(), 2);
    let b = xxhash_rust::xxh3::xxh3_64_with_seed(second.as_bytes(), 3);
    a.rotate_left(29) ^ b
}

impl CorpusStats {
    /// Empty statistics whose count table holds at most `max_entries` keys.
    pub fn new(max_entries: usize) -> CorpusStats {
        CorpusStats {
            documents: 0,
            counts: HashCounts::new(max_entries),
        }
    }

    /// Counts one document's tokens, and the bigrams glue evidence needs: those with a function
    /// word on either side ("the company", "lose your", "a major") or whose second word is
    /// capitalised ("on X").
    pub fn add_document(&mut self, text: &str) {
        self.documents += 1;
        let mut previous: Option<(&str, usize)> = None;
        for span in tokens(text) {
            let word = &text[span.clone()];
            if word.bytes().all(|b| b.is_ascii_digit()) {
                previous = None;
                continue;
            }
            self.counts.add(token_key(word), 1);
            if let Some((prev, end)) = previous {
                let adjacent = crate::tokens::adjacent(&text[end..span.start]);
                let wanted = word.starts_with(char::is_uppercase)
                    || is_function_word(prev)
                    || is_function_word(word);
                if adjacent && wanted {
                    self.counts.add(bigram_key(prev, word), 1);
                }
            }
            previous = Some((word, span.end));
        }
    }

    /// Adds another worker's statistics into this one.
    pub fn merge(&mut self, other: CorpusStats) {
        self.documents += other.documents;
        self.counts.merge(other.counts);
    }

    /// How often `token` (exact case) occurs in the corpus; `None` if unknown (no survey, or
    /// the token fell outside the bounded sample).
    pub fn token_count(&self, token: &str) -> Option<u32> {
        if self.documents == 0 {
            return None;
        }
        self.counts.get(token_key(token))
    }

    /// How often `first second` occurs (separated by spaces only) in the corpus, for the
    /// bigrams [`CorpusStats::add_document`] counts; `None` if unknown.
    pub fn bigram_count(&self, first: &str, second: &str) -> Option<u32> {
        if self.documents == 0 {
            return None;
        }
        self.counts.get(bigram_key(first, second))
    }

    /// Number of distinct keys held (for the memory figure in the report).
    pub fn entries(&self) -> usize {
        self.counts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_tokens_and_the_bigrams_glue_needs() {
        let mut stats = CorpusStats::default();
        stats.add_document("Musk wrote on X that the company, Musk said.");
        assert_eq!(stats.token_count("Musk"), Some(2));
        assert_eq!(stats.token_count("musk"), Some(0));
        assert_eq!(stats.bigram_count("on", "X"), Some(1));
        assert_eq!(stats.bigram_count("the", "company"), Some(1));
        assert_eq!(
            stats.bigram_count("company", "Musk"),
            Some(0),
            "a comma separates them"
        );
        assert_eq!(CorpusStats::default().token_count("Musk"), None);
    }

    #[test]
    fn merging_in_any_order_gives_the_same_bounded_table() {
        let docs: Vec<String> = (0..200)
            .map(|i| format!("word{i} shared Name{} other{}", i % 7, i * 13))
            .collect();
        let survey = |order: &[usize], chunk: usize| {
            let mut total = CorpusStats::new(64);
            for part in order.chunks(chunk) {
                let mut local = CorpusStats::new(64);
                for &i in part {
                    local.add_document(&docs[i]);
                }
                total.merge(local);
            }
            total
        };
        let forward: Vec<usize> = (0..200).collect();
        let backward: Vec<usize> = (0..200).rev().collect();
        let a = survey(&forward, 7);
        let b = survey(&backward, 50);
        assert_eq!(a, b);
        assert!(a.entries() <= 64);
        // What is kept is exact.
        let mut exact = CorpusStats::new(1 << 20);
        for d in &docs {
            exact.add_document(d);
        }
        for word in ["shared", "Name3", "word5", "other26"] {
            if let Some(n) = a.token_count(word) {
                assert_eq!(Some(n), exact.token_count(word), "{word}");
            }
        }
    }
}
