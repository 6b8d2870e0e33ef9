//! Corpus-level knowledge, gathered in a first parallel pass (the survey) and handed to every
//! stage read-only.
//!
//! [`CorpusStats`] is a plain value: each worker fills its own, and they are merged by adding
//! counts, so the result is the same whatever the number of threads or the order of merging.
//!
//! Memory is bounded: token and bigram counts live in one [`HashCounts`] table keyed by 64-bit
//! hashes, capped at [`DEFAULT_MAX_ENTRIES`] keys. The table is open addressing with 12-byte
//! slots, grown by doubling while under three quarters full, so at the cap it holds at most
//! [`MAX_SLOTS`] slots: 48 MiB (`12 × 4 Mi` bytes), whatever the corpus size. When a corpus has
//! more distinct keys than the cap, the table keeps exact counts for the keys whose hash falls
//! below a limit and forgets the rest, halving the limit until it fits. Which keys are kept
//! depends only on the set of keys in the corpus, never on the order they were seen, and a
//! forgotten key reads as "unknown" — so a huge corpus loses evidence, it never invents it.
//! During the survey each worker also fills a partial table for its share of one batch of
//! documents (512 documents or 64 MB), merged into the total after each batch.

use crate::lexicon::{is_function_word, is_glue_word};
use crate::tokens::tokens;

/// Default cap on distinct keys (tokens plus bigrams): 3 Mi keys, at most [`MAX_SLOTS`] slots
/// of 12 bytes (48 MiB).
pub const DEFAULT_MAX_ENTRIES: usize = 3 << 20;

/// Slots of a table holding [`DEFAULT_MAX_ENTRIES`] keys at most three quarters full.
pub const MAX_SLOTS: usize = 4 << 20;

/// One slot: a key (0 = empty) and its count, 12 bytes.
#[derive(Clone, Copy, Default, Debug)]
struct Slot {
    key_low: u32,
    key_high: u32,
    count: u32,
}

impl Slot {
    fn key(self) -> u64 {
        u64::from(self.key_high) << 32 | u64::from(self.key_low)
    }
}

/// Exact counts for a hash-sampled, bounded set of keys; see the module documentation.
#[derive(Clone, Debug)]
pub struct HashCounts {
    /// A power-of-two number of slots (or none yet), linear probing from `key & mask`.
    slots: Vec<Slot>,
    len: usize,
    /// Keys at or above this are not kept.
    limit: u64,
    max_entries: usize,
}

impl PartialEq for HashCounts {
    fn eq(&self, other: &HashCounts) -> bool {
        self.limit == other.limit
            && self.len == other.len
            && self
                .entries()
                .all(|(key, count)| other.get(key) == Some(count))
    }
}

/// Keys are hashes; 0 marks an empty slot, so a key 0 is counted as 1.
fn nonzero(key: u64) -> u64 {
    key.max(1)
}

impl HashCounts {
    /// An empty table holding at most `max_entries` keys.
    pub fn new(max_entries: usize) -> HashCounts {
        HashCounts {
            slots: Vec::new(),
            len: 0,
            limit: u64::MAX,
            max_entries: max_entries.max(1),
        }
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// Adds `n` to a key's count.
    pub fn add(&mut self, key: u64, n: u32) {
        let key = nonzero(key);
        if key >= self.limit {
            return;
        }
        // Grow while under the cap; at the cap a new key makes the table shrink its sample
        // instead, so it never holds more than the slots for `max_entries` keys.
        if (self.len + 1) * 4 > self.slots.len() * 3 && self.len < self.max_entries {
            self.resize((self.slots.len() * 2).max(16));
        }
        let mask = self.mask();
        let mut i = key as usize & mask;
        loop {
            let slot = &mut self.slots[i];
            if slot.key() == key {
                slot.count = slot.count.saturating_add(n);
                return;
            }
            if slot.key() == 0 {
                *slot = Slot {
                    key_low: key as u32,
                    key_high: (key >> 32) as u32,
                    count: n,
                };
                self.len += 1;
                if self.len > self.max_entries {
                    self.shrink();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds 1 to each key's count. Reads the keys' slots a few keys ahead, so that the
    /// processor fetches them from memory in parallel instead of one miss at a time.
    pub fn add_all(&mut self, keys: &[u64]) {
        const AHEAD: usize = 8;
        let mut touched = 0u32;
        for (j, &key) in keys.iter().enumerate() {
            if let Some(&next) = keys.get(j + AHEAD) {
                if let Some(slot) = self.slots.get(nonzero(next) as usize & self.mask()) {
                    touched ^= slot.count;
                }
            }
            self.add(key, 1);
        }
        std::hint::black_box(touched);
    }

    /// The key's count; `None` when the key is outside the sample (unknown, not zero).
    pub fn get(&self, key: u64) -> Option<u32> {
        let key = nonzero(key);
        if key >= self.limit {
            return None;
        }
        if self.slots.is_empty() {
            return Some(0);
        }
        let mask = self.mask();
        let mut i = key as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.key() == key {
                return Some(slot.count);
            }
            if slot.key() == 0 {
                return Some(0);
            }
            i = (i + 1) & mask;
        }
    }

    /// Every kept key with its count, in slot order.
    fn entries(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.slots
            .iter()
            .filter(|s| s.key() != 0)
            .map(|s| (s.key(), s.count))
    }

    /// Adds another table's counts into this one.
    pub fn merge(&mut self, other: HashCounts) {
        if other.limit < self.limit {
            self.limit = other.limit;
            self.rebuild(self.slots.len());
        }
        for (key, n) in other.entries() {
            self.add(key, n);
        }
    }

    /// Keeps only the keys counted at least `min` times.
    pub fn retain_at_least(&mut self, min: u32) {
        for slot in &mut self.slots {
            if slot.count < min {
                *slot = Slot::default();
            }
        }
        self.rebuild(self.slots.len());
    }

    /// Number of keys kept.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no key is kept.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of slots allocated (12 bytes each).
    pub fn slots(&self) -> usize {
        self.slots.len()
    }

    fn resize(&mut self, slots: usize) {
        self.rebuild(slots);
    }

    /// Re-inserts the kept keys below the limit into `slots` slots.
    fn rebuild(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); slots]);
        self.len = 0;
        let mask = self.mask();
        for slot in old {
            let key = slot.key();
            if key == 0 || key >= self.limit {
                continue;
            }
            let mut i = key as usize & mask;
            while self.slots[i].key() != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
            self.len += 1;
        }
    }

    /// The sample limit, the cap on keys, and every kept key with its count in key order: what
    /// a statistics file stores (see `crate::stats`).
    pub(crate) fn to_parts(&self) -> (u64, usize, Vec<(u64, u32)>) {
        let mut entries: Vec<(u64, u32)> = self.entries().collect();
        entries.sort_unstable();
        (self.limit, self.max_entries, entries)
    }

    /// A table rebuilt from [`HashCounts::to_parts`]; `None` when the parts cannot come from
    /// one (more keys than the cap, a key at or above the limit, a key twice).
    pub(crate) fn from_parts(
        limit: u64,
        max_entries: usize,
        entries: &[(u64, u32)],
    ) -> Option<HashCounts> {
        if entries.len() > max_entries {
            return None;
        }
        let mut table = HashCounts::new(max_entries);
        table.limit = limit;
        for &(key, count) in entries {
            if key == 0 || key >= limit || table.get(key) != Some(0) {
                return None;
            }
            table.add(key, count);
        }
        Some(table)
    }

    fn shrink(&mut self) {
        while self.len > self.max_entries {
            self.limit /= 2;
            self.rebuild(self.slots.len());
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
    /// Documents per (group, line fingerprint), for learned boilerplate.
    lines: LineStats,
}

impl Default for CorpusStats {
    fn default() -> CorpusStats {
        CorpusStats::new(DEFAULT_MAX_ENTRIES)
    }
}

/// Default cap on distinct (group, line) keys held between survey batches: 2 Mi keys. With
/// one batch's keys on top, the table stays within 4 Mi slots of 12 bytes (48 MiB) for batches
/// of ordinary pages; see [`LineStats`].
pub const DEFAULT_MAX_LINES: usize = 2 << 20;

/// How many documents of each group contain each line (by fingerprint), for the learned
/// boilerplate step.
///
/// Bounded memory: workers count one batch each without limit (a batch is at most 512
/// documents or 64 MB, so that is bounded by the batch), and after each batch is merged into
/// the total, [`LineStats::compact`] forgets, while the table holds more than `max_entries`
/// keys, every line seen in fewer than `floor` documents, raising `floor` by one each time
/// until at most half the cap is left (lossy counting). A forgotten line that comes back starts
/// again from zero, so a count is low by at most the sum of the floors used (reported as
/// [`LineStats::undercount`]); it is never too high, so a lost count can only keep chrome, never
/// remove prose. Batches are formed in input order, independent of `--jobs`, and counts within
/// a batch are sums, so the result is the same for any number of threads.
#[derive(Clone, Debug, PartialEq)]
pub struct LineStats {
    /// Documents per group name (one entry per group; groups are sites, so few).
    groups: std::collections::BTreeMap<String, u64>,
    /// (group, fingerprint) key → documents containing that line.
    table: HashCounts,
    max_entries: usize,
    /// Most documents a forgotten line may have been in (sum of the floors used).
    undercount: u32,
}

impl LineStats {
    /// Empty line statistics holding at most `max_entries` keys between batches.
    pub fn new(max_entries: usize) -> LineStats {
        LineStats {
            groups: std::collections::BTreeMap::new(),
            table: HashCounts::new(usize::MAX),
            max_entries: max_entries.max(1),
            undercount: 0,
        }
    }

    /// Counts the distinct lines of one document of `group`.
    pub fn add_document(&mut self, group: &str, text: &str) {
        match self.groups.get_mut(group) {
            Some(n) => *n += 1,
            None => {
                self.groups.insert(group.to_owned(), 1);
            }
        }
        let seed = group_seed(group);
        let mut buf = Vec::with_capacity(256);
        let mut keys: Vec<u64> = text
            .split('\n')
            .filter_map(|line| line_fingerprint(line, seed, &mut buf))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        self.table.add_all(&keys);
    }

    /// Adds another worker's counts (no forgetting: see [`LineStats::compact`]).
    pub fn merge(&mut self, other: LineStats) {
        for (group, n) in other.groups {
            *self.groups.entry(group).or_insert(0) += n;
        }
        self.undercount = self.undercount.max(other.undercount);
        self.table.merge(other.table);
    }

    /// Forgets rare lines while more than the cap are held; called between batches only.
    pub fn compact(&mut self) {
        if self.table.len() <= self.max_entries {
            return;
        }
        let mut floor = 1;
        while self.table.len() > self.max_entries / 2 {
            floor += 1;
            self.table.retain_at_least(floor);
        }
        self.undercount = self.undercount.saturating_add(floor - 1);
    }

    /// Documents surveyed in `group`.
    pub fn group_documents(&self, group: &str) -> u64 {
        self.groups.get(group).copied().unwrap_or(0)
    }

    /// The groups surveyed with their document counts, by name.
    pub fn groups(&self) -> impl Iterator<Item = (&str, u64)> {
        self.groups.iter().map(|(g, n)| (g.as_str(), *n))
    }

    /// Documents of `group` that contain `line` (compared by [`line_fingerprint`]); 0 for a
    /// line that has no letter.
    pub fn line_documents(&self, group: &str, line: &str) -> u32 {
        let mut buf = Vec::new();
        line_fingerprint(line, group_seed(group), &mut buf)
            .and_then(|key| self.table.get(key))
            .unwrap_or(0)
    }

    /// Documents counted for a key made by [`line_fingerprint`] with the group's
    /// [`group_seed`]; 0 when unknown.
    pub fn count_key(&self, key: u64) -> u32 {
        self.table.get(key).unwrap_or(0)
    }

    /// Distinct (group, line) keys held.
    pub fn entries(&self) -> usize {
        self.table.len()
    }

    /// Slots allocated in the table (12 bytes each), for memory figures.
    pub fn slots(&self) -> usize {
        self.table.slots()
    }

    /// How many documents a line's count may be short by, after forgetting (0: exact).
    pub fn undercount(&self) -> u32 {
        self.undercount
    }

    /// Documents per group, the key table, the cap and the undercount (see `crate::stats`).
    pub(crate) fn parts(
        &self,
    ) -> (
        &std::collections::BTreeMap<String, u64>,
        &HashCounts,
        usize,
        u32,
    ) {
        (&self.groups, &self.table, self.max_entries, self.undercount)
    }

    /// Line statistics rebuilt from [`LineStats::parts`].
    pub(crate) fn from_parts(
        groups: std::collections::BTreeMap<String, u64>,
        table: HashCounts,
        max_entries: usize,
        undercount: u32,
    ) -> LineStats {
        LineStats {
            groups,
            table,
            max_entries: max_entries.max(1),
            undercount,
        }
    }
}

/// The hash seed of a group: lines of different groups never share a key.
pub fn group_seed(group: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(group.as_bytes(), 7)
}

/// A line's fingerprint in `group` (seeded by the group): the xxh3 hash of the line trimmed,
/// case-folded, with white space runs (NBSP and other Unicode spaces too) collapsed to one
/// space, invisible characters (zero-width, soft hyphen, BOM) and carriage returns dropped, and
/// every run of digits masked to one `0` — so "© 2019 The Ledger" and "©  2024 the ledger"
/// match. `None` for lines without a letter: a blank line, "* * *" or a score is never
/// learned as boilerplate. `buf` is scratch space, reused across calls.
pub fn line_fingerprint(line: &str, seed: u64, buf: &mut Vec<u8>) -> Option<u64> {
    let bytes = line.as_bytes();
    if bytes.is_ascii() {
        return ascii_line_fingerprint(bytes, seed, buf);
    }
    buf.clear();
    let mut letters = false;
    let mut space = false; // a space is pending
    let mut digit = false; // the last byte written is a masked digit run
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            match b {
                b'a'..=b'z' => {
                    letters = true;
                    digit = false;
                    if space && !buf.is_empty() {
                        buf.push(b' ');
                    }
                    space = false;
                    buf.push(b);
                }
                b'A'..=b'Z' => {
                    letters = true;
                    digit = false;
                    if space && !buf.is_empty() {
                        buf.push(b' ');
                    }
                    space = false;
                    buf.push(b | 0x20);
                }
                b'0'..=b'9' => {
                    if space && !buf.is_empty() {
                        buf.push(b' ');
                        digit = false;
                    }
                    space = false;
                    if !digit {
                        buf.push(b'0');
                        digit = true;
                    }
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => space = true,
                _ => {
                    digit = false;
                    if space && !buf.is_empty() {
                        buf.push(b' ');
                    }
                    space = false;
                    buf.push(b);
                }
            }
            continue;
        }
        let c = line[i..].chars().next().expect("on a char boundary");
        i += c.len_utf8();
        if matches!(
            c,
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        ) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !buf.is_empty() {
            buf.push(b' ');
        }
        space = false;
        if c.is_numeric() {
            if !digit {
                buf.push(b'0');
                digit = true;
            }
            continue;
        }
        digit = false;
        letters |= c.is_alphabetic();
        let mut tmp = [0; 4];
        for lower in c.to_lowercase() {
            buf.extend_from_slice(lower.encode_utf8(&mut tmp).as_bytes());
        }
    }
    letters.then(|| xxhash_rust::xxh3::xxh3_64_with_seed(buf, seed))
}

/// [`line_fingerprint`] of an ASCII line (most lines): the same folding, written through a
/// slice sized up front (folding never makes a line longer) instead of a push per byte.
fn ascii_line_fingerprint(bytes: &[u8], seed: u64, buf: &mut Vec<u8>) -> Option<u64> {
    buf.clear();
    buf.resize(bytes.len(), 0);
    let out = buf.as_mut_slice();
    let mut len = 0;
    let mut letters = false;
    let mut space = false; // a space is pending
    let mut digit = false; // the last byte written is a masked digit run
    for &b in bytes {
        let folded = match b {
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                space = true;
                continue;
            }
            b'0'..=b'9' => {
                if space && len > 0 {
                    out[len] = b' ';
                    len += 1;
                    digit = false;
                }
                space = false;
                if digit {
                    continue;
                }
                digit = true;
                b'0'
            }
            _ => {
                let upper = b.is_ascii_uppercase();
                letters |= upper || b.is_ascii_lowercase();
                digit = false;
                if space && len > 0 {
                    out[len] = b' ';
                    len += 1;
                }
                space = false;
                if upper {
                    b | 0x20
                } else {
                    b
                }
            }
        };
        out[len] = folded;
        len += 1;
    }
    letters.then(|| xxhash_rust::xxh3::xxh3_64_with_seed(&out[..len], seed))
}

fn token_key(token: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(token.as_bytes(), 1)
}

/// A bigram's key, from its words' keys (so the survey hashes each word once).
fn pair_key(first: u64, second: u64) -> u64 {
    (first.rotate_left(29) ^ second).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995
}

fn bigram_key(first: &str, second: &str) -> u64 {
    pair_key(token_key(first), token_key(second))
}

impl CorpusStats {
    /// Empty statistics whose count table holds at most `max_entries` keys.
    pub fn new(max_entries: usize) -> CorpusStats {
        CorpusStats {
            documents: 0,
            counts: HashCounts::new(max_entries),
            lines: LineStats::new(DEFAULT_MAX_LINES),
        }
    }

    /// Counts one document's lines in `group` for learned boilerplate (and the document, when
    /// [`CorpusStats::add_document`] does not count it already).
    pub fn add_lines(&mut self, group: &str, text: &str) {
        self.lines.add_document(group, text);
    }

    /// The per-group line counts.
    pub fn lines(&self) -> &LineStats {
        &self.lines
    }

    /// Replaces the line statistics' cap on keys (for tests and benchmarks).
    pub fn with_line_cap(mut self, max_entries: usize) -> CorpusStats {
        self.lines = LineStats::new(max_entries);
        self
    }

    /// Ends one survey batch: forgets rare lines if the line table is over its cap.
    pub fn end_batch(&mut self) {
        self.lines.compact();
    }

    /// Counts one document's tokens, and the bigrams glue evidence needs: those with a function
    /// or glue word (see `lexicon`) on either side ("the company", "lose your", "a major") or whose second word is
    /// capitalised ("on X").
    pub fn add_document(&mut self, text: &str) {
        self.documents += 1;
        let mut keys = Vec::with_capacity(text.len() / 3);
        // (key, is a function word, end) of the previous token
        let mut previous: Option<(u64, bool, usize)> = None;
        for span in tokens(text) {
            let word = &text[span.clone()];
            if word.bytes().all(|b| b.is_ascii_digit()) {
                previous = None;
                continue;
            }
            let key = token_key(word);
            let function = is_function_word(word) || is_glue_word(word);
            keys.push(key);
            if let Some((prev_key, prev_function, end)) = previous {
                let wanted = prev_function || function || word.starts_with(char::is_uppercase);
                if wanted && crate::tokens::adjacent(&text[end..span.start]) {
                    keys.push(pair_key(prev_key, key));
                }
            }
            previous = Some((key, function, span.end));
        }
        self.counts.add_all(&keys);
    }

    /// Adds another worker's statistics into this one.
    pub fn merge(&mut self, other: CorpusStats) {
        self.documents += other.documents;
        self.counts.merge(other.counts);
        self.lines.merge(other.lines);
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

    /// The token and bigram table (see `crate::stats`).
    pub(crate) fn counts(&self) -> &HashCounts {
        &self.counts
    }

    /// Statistics rebuilt from their parts (see `crate::stats`).
    pub(crate) fn from_parts(documents: u64, counts: HashCounts, lines: LineStats) -> CorpusStats {
        CorpusStats {
            documents,
            counts,
            lines,
        }
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
    fn the_table_counts_exactly_through_growth_and_bounds_its_slots() {
        let mut table = HashCounts::new(1 << 20);
        let keys: Vec<u64> = (0..50_000u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        for round in 1..=3 {
            table.add_all(&keys);
            assert_eq!(table.len(), keys.len());
            assert!(keys.iter().all(|&k| table.get(k) == Some(round)));
        }
        assert_eq!(table.get(12345), Some(0));
        assert!(table.slots() * 3 >= table.len() * 4 && table.slots().is_power_of_two());
        // At the cap the table samples by hash and stays within its slots.
        let mut small = HashCounts::new(1000);
        small.add_all(&keys);
        assert!(small.len() <= 1000 && small.slots() <= 2048);
        assert!(small.len() > 250, "halving the limit keeps a fair share");
        let kept = keys.iter().filter(|&&k| small.get(k).is_some()).count();
        assert_eq!(kept, small.len());
        // A table capped at 3 × 2^k keys never grows past 4 × 2^k slots, as the default
        // (3 Mi keys, MAX_SLOTS = 4 Mi slots) does not.
        let mut capped = HashCounts::new(3 << 10);
        capped.add_all(&keys);
        assert!(capped.len() <= 3 << 10 && capped.slots() == 4 << 10);
        assert_eq!(DEFAULT_MAX_ENTRIES / 3 * 4, MAX_SLOTS);
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

    fn fp(line: &str) -> Option<u64> {
        line_fingerprint(line, group_seed("g"), &mut Vec::new())
    }

    #[test]
    fn line_fingerprints_fold_case_space_digits_and_invisibles() {
        let base = fp("Copyright © 2019 The Daily Ledger.").unwrap();
        for same in [
            "  copyright ©\u{a0}2024  the DAILY ledger.\r",
            "Copyright © 19 The Daily\u{200b} Ledger.",
            "Copyright\t© 2019 The Dai\u{ad}ly Ledger.",
        ] {
            assert_eq!(fp(same), Some(base), "{same:?}");
        }
        assert_ne!(fp("Copyright © 2019 The Daily Ledgers."), Some(base));
        assert_ne!(fp("Copyright © 2019The Daily Ledger."), Some(base));
        assert_eq!(fp("ÉTÉ Menu"), fp("été menu"));
        assert_eq!(fp("* * *"), None, "no letter: never learned");
        assert_eq!(fp("   "), None);
        assert_eq!(fp("2019 – 2024"), None);
        assert_ne!(
            line_fingerprint("Menu", group_seed("a"), &mut Vec::new()),
            line_fingerprint("Menu", group_seed("b"), &mut Vec::new()),
            "groups never share keys"
        );
    }

    /// The ASCII fast path folds exactly as the general one (forced here by a trailing
    /// invisible character, which both drop).
    #[test]
    fn ascii_lines_fingerprint_as_the_general_path_does() {
        for line in [
            "Copyright © 2019",
            "  Share  this\t story 12 34x ",
            "a1 2b\r",
            "99 - 100",
            "",
            "   ",
            "MiXeD CaSe, punctuation! (and) [brackets]",
            " 7 up",
        ] {
            let ascii: String = line.chars().filter(char::is_ascii).collect();
            let general = format!("{ascii}\u{200b}");
            assert_eq!(fp(&ascii), fp(&general), "{ascii:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_agrees_on_any_ascii(line in "[ -~\t\r\x0b\x0c\x01]{0,40}") {
            let general = format!("{line}\u{200b}");
            proptest::prop_assert_eq!(fp(&line), fp(&general));
        }
    }

    #[test]
    fn line_counts_are_per_document_and_per_group() {
        let mut lines = LineStats::new(1000);
        lines.add_document("a", "Menu\nMenu\nStory one.\n");
        lines.add_document("a", "MENU\nStory two.\n");
        lines.add_document("b", "Menu\n");
        assert_eq!(
            lines.line_documents("a", "menu"),
            2,
            "twice in a document counts once"
        );
        assert_eq!(lines.line_documents("b", "Menu"), 1);
        assert_eq!(lines.line_documents("c", "Menu"), 0);
        assert_eq!(lines.group_documents("a"), 2);
        assert_eq!(lines.groups().count(), 2);
    }

    #[test]
    fn compacting_is_bounded_never_overcounts_and_depends_only_on_batches() {
        // 40 pages of one site: 3 chrome lines on every page, 30 lines of their own each.
        let docs: Vec<String> = (0..40)
            .map(|i| {
                let own: String = (0..30)
                    .map(|k| {
                        format!(
                            "line {} of page {}\n",
                            ['x', 'y', 'z'][k % 3],
                            word(i * 31 + k)
                        )
                    })
                    .collect();
                format!("Home\nSubscribe now\n{own}Footer of the site\n")
            })
            .collect();
        // Batches of 8 documents; within a batch, any split and order of workers.
        let survey = |workers: usize, reverse: bool| {
            let mut total = LineStats::new(100);
            for batch in docs.chunks(8) {
                let mut parts: Vec<LineStats> = (0..workers).map(|_| LineStats::new(100)).collect();
                for (j, d) in batch.iter().enumerate() {
                    parts[j % workers].add_document("site", d);
                }
                if reverse {
                    parts.reverse();
                }
                let mut batch_total = LineStats::new(100);
                for p in parts {
                    batch_total.merge(p);
                }
                total.merge(batch_total);
                total.compact();
                assert!(total.entries() <= 100);
            }
            total
        };
        let a = survey(1, false);
        let b = survey(3, true);
        assert_eq!(a, b);
        assert!(a.undercount() > 0, "the cap was hit");
        for line in ["Home", "Subscribe now", "Footer of the site"] {
            let n = a.line_documents("site", line);
            assert!(n <= 40 && n + a.undercount() >= 40, "{line}: {n}");
        }
        assert_eq!(a.group_documents("site"), 40);
    }

    /// Distinct words (not digits, which fingerprints mask).
    fn word(i: usize) -> String {
        let mut w = String::new();
        let mut n = i + 1;
        while n > 0 {
            w.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
        }
        w
    }
}
