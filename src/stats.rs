//! Corpus statistics on disk: what `unscrape learn --stats-out` writes and `unscrape clean
//! --stats-from` (and the Python `Cleaner(stats=…)`) reads instead of surveying the corpus
//! itself, so that documents cleaned one at a time — on standard input, in a Python worker, on
//! another machine — get the same corpus-level decisions (glue evidence, learned boilerplate)
//! as a run over the whole corpus.
//!
//! The file is one versioned value: a first line naming the format, a second line of JSON
//! metadata (readable with `head -2`), then a zstd stream (with checksum) of the token and
//! bigram table and the per-group line table, little-endian, keys in order, so the same
//! statistics always give the same bytes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{CorpusStats, HashCounts, LineStats};
use crate::run::GroupBy;

/// The first line of a statistics file.
pub const MAGIC: &str = "unscrape-stats";

/// The format version this build writes and reads. Raised whenever the bytes or the meaning of
/// the counts change (say, a new fingerprint), so an old file is refused, never misread.
pub const FORMAT_VERSION: u32 = 1;

/// The metadata line: what the statistics are and how they were made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatsMeta {
    /// [`FORMAT_VERSION`] of the writer.
    pub format: u32,
    /// The unscrape version that wrote the file.
    pub unscrape: String,
    /// Digest of the rules in effect when the corpus was surveyed (for the record: HTML
    /// extraction rules decide what text of a page is counted).
    pub rules_digest: String,
    /// How documents were grouped into sites (`dir`, `host` or `none`); a clean run must group
    /// the same way for the learned lines to apply.
    pub group_by: String,
    /// Documents surveyed.
    pub documents: u64,
    /// Distinct token and bigram keys held.
    pub token_entries: u64,
    /// Groups (sites) surveyed.
    pub groups: u64,
    /// Distinct (group, line) keys held.
    pub line_entries: u64,
}

/// Statistics read from a file, with their metadata.
#[derive(Clone, Debug)]
pub struct StatsFile {
    /// The metadata line.
    pub meta: StatsMeta,
    /// xxh3 digest of the file's bytes (`xxh3-64:<hex>`), naming these statistics in a
    /// resumable run's key.
    pub digest: String,
    /// The statistics.
    pub stats: CorpusStats,
}

/// The name of a grouping as the command line spells it.
pub fn group_by_name(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Dir => "dir",
        GroupBy::Host => "host",
        GroupBy::None => "none",
    }
}

impl StatsFile {
    /// The grouping the statistics were made with (`None` for a name this build does not know).
    pub fn group_by(&self) -> Option<GroupBy> {
        match self.meta.group_by.as_str() {
            "dir" => Some(GroupBy::Dir),
            "host" => Some(GroupBy::Host),
            "none" => Some(GroupBy::None),
            _ => None,
        }
    }

    /// The group of a document that has no group of its own (standard input, a text handed to
    /// the Python API): with `--group-by none` every document is in the one group `all`.
    pub fn default_group(&self) -> &'static str {
        if self.group_by() == Some(GroupBy::None) {
            "all"
        } else {
            ""
        }
    }
}

/// Reads the statistics a clean run grouping documents `by` uses (`--stats-from`): refused
/// when they were learned with another grouping, whose groups the run would never match.
pub fn load_for_run(path: &Path, by: GroupBy) -> Result<StatsFile, String> {
    let file = load(path)?;
    if file.group_by() != Some(by) {
        return Err(format!(
            "{} was learned with --group-by {}; clean with the same --group-by (not {})",
            path.display(),
            file.meta.group_by,
            group_by_name(by)
        ));
    }
    Ok(file)
}

/// The group of documents read from standard input: `--group`, else `all` under
/// `--group-by none` (the one group), else none (nothing learned applies).
pub fn stdin_group(group: Option<&str>, by: GroupBy) -> String {
    match (group, by) {
        (Some(group), _) => group.to_owned(),
        (None, GroupBy::None) => "all".to_owned(),
        (None, _) => String::new(),
    }
}

/// Writes `stats` to `path` atomically (temporary file, then rename).
pub fn save(
    path: &Path,
    stats: &CorpusStats,
    group_by: GroupBy,
    rules_digest: &str,
) -> anyhow::Result<StatsMeta> {
    let (groups, lines_table, lines_cap, undercount) = stats.lines().parts();
    let meta = StatsMeta {
        format: FORMAT_VERSION,
        unscrape: env!("CARGO_PKG_VERSION").to_owned(),
        rules_digest: rules_digest.to_owned(),
        group_by: group_by_name(group_by).to_owned(),
        documents: stats.documents,
        token_entries: stats.counts().len() as u64,
        groups: groups.len() as u64,
        line_entries: lines_table.len() as u64,
    };
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC.as_bytes());
    out.push(b'\n');
    serde_json::to_writer(&mut out, &meta)?;
    out.push(b'\n');
    let mut body = Vec::new();
    put_u64(&mut body, stats.documents);
    put_table(&mut body, stats.counts());
    put_u64(&mut body, groups.len() as u64);
    for (group, n) in groups {
        put_u64(&mut body, group.len() as u64);
        body.extend_from_slice(group.as_bytes());
        put_u64(&mut body, *n);
    }
    put_u64(&mut body, lines_cap as u64);
    body.extend_from_slice(&undercount.to_le_bytes());
    put_table(&mut body, lines_table);
    let mut encoder = zstd::Encoder::new(&mut out, 3)?;
    encoder.include_checksum(true)?;
    encoder.write_all(&body)?;
    encoder.finish()?;
    crate::sink::write_atomic(path, &out)?;
    Ok(meta)
}

/// Reads a statistics file; the error says what is wrong with it, for people.
pub fn load(path: &Path) -> Result<StatsFile, String> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read statistics {shown}: {e}"))?;
    let digest = format!("xxh3-64:{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
    let mut reader = BufReader::new(bytes.as_slice());
    let not_stats = || {
        format!(
            "{shown} is not an unscrape statistics file (unscrape learn --stats-out writes them)"
        )
    };
    let mut line = Vec::new();
    reader
        .by_ref()
        .take(64)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read statistics {shown}: {e}"))?;
    if line != format!("{MAGIC}\n").as_bytes() {
        return Err(not_stats());
    }
    line.clear();
    reader
        .by_ref()
        .take(64 << 10)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read statistics {shown}: {e}"))?;
    // The format number first, so a newer file is named as such even if its metadata changed.
    #[derive(Deserialize)]
    struct Format {
        format: u32,
    }
    let format: Format = serde_json::from_slice(&line).map_err(|_| not_stats())?;
    if format.format != FORMAT_VERSION {
        return Err(format!(
            "{shown} is statistics format {}, this unscrape reads format {FORMAT_VERSION}; run unscrape learn --stats-out again",
            format.format
        ));
    }
    let meta: StatsMeta = serde_json::from_slice(&line).map_err(|_| not_stats())?;
    let mut body = Vec::new();
    zstd::Decoder::with_buffer(reader)
        .and_then(|mut d| d.read_to_end(&mut body))
        .map_err(|e| format!("{shown} is damaged (cannot decompress: {e})"))?;
    let stats = parse_body(&body)
        .ok_or_else(|| format!("{shown} is damaged (truncated or inconsistent)"))?;
    if stats.documents != meta.documents {
        return Err(format!(
            "{shown} is damaged (its counts disagree with its metadata)"
        ));
    }
    Ok(StatsFile {
        meta,
        digest,
        stats,
    })
}

fn parse_body(body: &[u8]) -> Option<CorpusStats> {
    let mut r = Cursor { bytes: body };
    let documents = r.u64()?;
    let counts = r.table()?;
    let n_groups = r.u64()?;
    let mut groups = BTreeMap::new();
    for _ in 0..n_groups {
        let len = usize::try_from(r.u64()?).ok()?;
        let name = std::str::from_utf8(r.take(len)?).ok()?.to_owned();
        let n = r.u64()?;
        if groups.insert(name, n).is_some() {
            return None;
        }
    }
    let lines_cap = usize::try_from(r.u64()?).ok()?;
    let undercount = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
    let table = r.table()?;
    if !r.bytes.is_empty() {
        return None;
    }
    let lines = LineStats::from_parts(groups, table, lines_cap, undercount);
    Some(CorpusStats::from_parts(documents, counts, lines))
}

fn put_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_table(out: &mut Vec<u8>, table: &HashCounts) {
    let (limit, cap, entries) = table.to_parts();
    put_u64(out, limit);
    put_u64(out, cap as u64);
    put_u64(out, entries.len() as u64);
    for (key, count) in entries {
        put_u64(out, key);
        out.extend_from_slice(&count.to_le_bytes());
    }
}

/// Reads the body front to back; every read checks the length left.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn table(&mut self) -> Option<HashCounts> {
        let limit = self.u64()?;
        let cap = usize::try_from(self.u64()?).ok()?;
        let n = usize::try_from(self.u64()?).ok()?;
        // 12 bytes per entry must be there before anything is allocated for them.
        let raw = self.take(n.checked_mul(12)?)?;
        let entries: Vec<(u64, u32)> = raw
            .chunks_exact(12)
            .map(|c| {
                let key = u64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
                let count = u32::from_le_bytes(c[8..].try_into().expect("4 bytes"));
                (key, count)
            })
            .collect();
        if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
            return None; // written in key order, each key once
        }
        HashCounts::from_parts(limit, cap, &entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CorpusStats {
        let mut stats = CorpusStats::default();
        for (group, text) in [
            ("news", "Home\nSubscribe now\nThe mayor spoke on X today.\n"),
            ("news", "Home\nSubscribe now\nThe council met.\n"),
            ("blog", "Menu\nA post about the company.\n"),
        ] {
            stats.add_document(text);
            stats.add_lines(group, text);
        }
        stats
    }

    #[test]
    fn saved_statistics_load_equal_and_the_bytes_are_stable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.stats");
        let stats = sample();
        let meta = save(&path, &stats, GroupBy::Host, "abc").unwrap();
        assert_eq!((meta.documents, meta.groups), (3, 2));
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.stats, stats);
        assert_eq!(loaded.meta, meta);
        assert_eq!(loaded.group_by(), Some(GroupBy::Host));
        assert_eq!(loaded.stats.token_count("mayor"), Some(1));
        assert_eq!(loaded.stats.lines().line_documents("news", "home"), 2);
        let first = std::fs::read(&path).unwrap();
        save(&path, &loaded.stats, GroupBy::Host, "abc").unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            first,
            "same stats, same bytes"
        );
        let text = String::from_utf8_lossy(&first);
        assert!(
            text.starts_with("unscrape-stats\n{\"format\":1,"),
            "{text:.80}"
        );
    }

    #[test]
    fn empty_statistics_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.stats");
        save(&path, &CorpusStats::default(), GroupBy::None, "").unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.stats, CorpusStats::default());
        assert_eq!(loaded.default_group(), "all");
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        save(&path, &sample(), GroupBy::Dir, "d").unwrap();
        let good = std::fs::read(&path).unwrap();

        std::fs::write(&path, b"Home\nSubscribe now\n").unwrap();
        assert!(load(&path)
            .unwrap_err()
            .contains("not an unscrape statistics file"));

        let newer = String::from_utf8_lossy(&good).replacen("\"format\":1,", "\"format\":2,", 1);
        std::fs::write(&path, newer.as_bytes()).unwrap();
        assert!(load(&path).unwrap_err().contains("format 2"));

        // Cut anywhere in the compressed body, or flip a byte in it: damaged, never misread.
        let body_start = good
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(1)
            .unwrap()
            .0
            + 1;
        for cut in [body_start, body_start + 5, good.len() - 1] {
            std::fs::write(&path, &good[..cut]).unwrap();
            assert!(load(&path).unwrap_err().contains("damaged"), "cut at {cut}");
        }
        let mut flipped = good.clone();
        let at = (body_start + good.len()) / 2;
        flipped[at] ^= 0x40;
        std::fs::write(&path, &flipped).unwrap();
        assert!(load(&path).is_err());

        assert!(load(&dir.path().join("missing"))
            .unwrap_err()
            .contains("cannot read"));
    }
}
