//! `--shard i/N`: a deterministic share of the input files, for job arrays (Slurm and the
//! like) where N processes each clean their own part of one corpus.
//!
//! A file belongs to shard `xxh3(relative path) mod N`. The relative path is `/`-separated
//! and the hash has a fixed seed, so the split is the same on any machine, whatever the
//! order or the number of files, and adding a file never moves another one.

use std::str::FromStr;

use crate::source::Entry;

/// Shard `index` of `count` (0-based: `0/4` … `3/4`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `0 ≤ index < count`.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("'{text}' is not a shard (expected i/N with 0 ≤ i < N, e.g. 0/4)");
        let (i, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the file with this relative path (`/`-separated) is in the shard.
    pub fn keeps(&self, relative: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(relative.as_bytes()) % self.count == self.index
    }

    /// Whether a walk entry is this shard's: files by relative path; unreadable paths and
    /// skipped files by their path, so each is reported by exactly one shard.
    pub fn keeps_entry(&self, entry: &Entry) -> bool {
        match entry {
            Entry::File(file) => self.keeps(&file.id),
            Entry::Error(err) => self.keeps(&err.path),
            Entry::Skipped(path) => self.keeps(&path.to_string_lossy()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("1/3".parse(), Ok(Shard { index: 1, count: 3 }));
        assert!("3/3".parse::<Shard>().is_err());
        assert!("0/0".parse::<Shard>().is_err());
        assert!("a/b".parse::<Shard>().is_err());
    }

    #[test]
    fn every_file_in_exactly_one_shard_and_fixed() {
        let shards: Vec<Shard> = (0..4).map(|i| Shard { index: i, count: 4 }).collect();
        let mut sizes = [0; 4];
        for n in 0..1000 {
            let path = format!("site{}/doc-{n}.jsonl.zst", n % 7);
            let owners: Vec<usize> = (0..4).filter(|i| shards[*i].keeps(&path)).collect();
            assert_eq!(owners.len(), 1);
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|s| (200..300).contains(s)), "{sizes:?}");
        // Pinned so that a change of hash (which would reshuffle users' job arrays) is seen.
        let pinned: Vec<u64> = ["a/b.jsonl", "x.txt", "2025-01/0001.jsonl.zst"]
            .iter()
            .map(|p| {
                (0..1000)
                    .find(|i| {
                        Shard {
                            index: *i,
                            count: 1000,
                        }
                        .keeps(p)
                    })
                    .unwrap()
            })
            .collect();
        assert_eq!(pinned, vec![121, 39, 984]);
    }
}
