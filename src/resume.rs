//! `--resume`: finishing an interrupted run without redoing what it finished.
//!
//! Every run writes `progress.jsonl` in its report folder: a first line naming the run (tool
//! version, rules digest, stages, inputs and settings), then a checkpoint line whenever a
//! batch of files is finished — their outputs renamed into place and their report lines
//! flushed. A checkpoint holds how many entries of the (deterministic) walk are done, the path
//! of the last one, the lengths of the report's line files and the summary's counts so far.
//!
//! A resumed run reads the last complete checkpoint, cuts the report files back to its
//! lengths, removes temporary files the killed run left, skips the walk's first entries and
//! goes on. Outputs and report end up byte-identical to an uninterrupted run (only the
//! elapsed time in `summary.json` differs). Work done after the last checkpoint is redone.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::ReportOffsets;

/// The progress file in the report folder.
pub const PROGRESS: &str = "progress.jsonl";

/// What identifies a run: a resumed run must match the interrupted one in all of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunKey {
    /// Tool version.
    pub version: String,
    /// Digest of the rules in effect.
    pub rules_digest: String,
    /// Stages that run.
    pub stages: Vec<String>,
    /// Inputs as given on the command line.
    pub inputs: Vec<String>,
    /// `--shard`, if any.
    pub shard: Option<String>,
    /// `--text-field`.
    pub text_field: String,
    /// `--id-field`.
    pub id_field: String,
    /// `--html-field`, if any.
    #[serde(default)]
    pub html_field: Option<String>,
    /// `--max-file-size`.
    pub max_file_size: u64,
    /// Digest of the `--stats-from` file, if any: other statistics, other decisions.
    #[serde(default)]
    pub stats: Option<String>,
}

/// A point the run reached.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Checkpoint {
    /// How many walk entries (files, unreadable paths, skipped files) are finished.
    pub entries: u64,
    /// The path of the last of them, to check the walk still yields the same entries.
    pub last: String,
    /// Report file lengths at this point.
    pub report: ReportOffsets,
    /// The summary so far (its counts are restored on resume).
    pub summary: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct Header {
    run: RunKey,
}

/// Appends checkpoints to `progress.jsonl`.
pub struct Progress {
    file: File,
}

impl Progress {
    /// Starts a fresh progress file for this run.
    pub fn start(report_dir: &Path, key: &RunKey) -> std::io::Result<Progress> {
        let mut file = File::create(report_dir.join(PROGRESS))?;
        let mut line = serde_json::to_vec(&Header { run: key.clone() })?;
        line.push(b'\n');
        file.write_all(&line)?;
        Ok(Progress { file })
    }

    /// Reopens the progress file of an interrupted run, cut after its last good line.
    pub fn reopen(report_dir: &Path, valid_len: u64) -> std::io::Result<Progress> {
        let mut file = OpenOptions::new()
            .write(true)
            .open(report_dir.join(PROGRESS))?;
        file.set_len(valid_len)?;
        file.seek(SeekFrom::End(0))?;
        Ok(Progress { file })
    }

    /// Appends a checkpoint (one write of one line, so a kill leaves at worst a partial last
    /// line, which [`load`] ignores).
    pub fn checkpoint(&mut self, checkpoint: &Checkpoint) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(checkpoint)?;
        line.push(b'\n');
        self.file.write_all(&line)
    }
}

/// What a resumed run starts from.
#[derive(Debug)]
pub struct Resume {
    /// The last complete checkpoint.
    pub checkpoint: Checkpoint,
    /// Length of `progress.jsonl` up to and including that checkpoint's line.
    pub valid_len: u64,
}

/// Reads the progress of an earlier run in `report_dir`. `Ok(None)`: nothing to resume from
/// (no progress file, or no checkpoint yet), so the run starts afresh. `Err`: the earlier run
/// was a different run, and resuming would mix two.
pub fn load(report_dir: &Path, key: &RunKey) -> Result<Option<Resume>, String> {
    let Ok(bytes) = std::fs::read(report_dir.join(PROGRESS)) else {
        return Ok(None);
    };
    let mut lines = bytes.split_inclusive(|b| *b == b'\n');
    let Some(Ok(header)) = lines
        .next()
        .filter(|l| l.ends_with(b"\n"))
        .map(serde_json::from_slice::<Header>)
    else {
        return Ok(None);
    };
    if header.run != *key {
        return Err(format!(
            "the run in {} used other inputs or settings ({}); rerun without --resume, or \
             with the same command line",
            report_dir.display(),
            serde_json::to_string(&header.run).unwrap_or_default()
        ));
    }
    let mut offset = bytes.len() - lines.clone().map(<[u8]>::len).sum::<usize>();
    let mut found = None;
    for line in lines {
        let Ok(checkpoint) = serde_json::from_slice::<Checkpoint>(line) else {
            break;
        };
        if !line.ends_with(b"\n") {
            break;
        }
        offset += line.len();
        found = Some(Resume {
            checkpoint,
            valid_len: offset as u64,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> RunKey {
        RunKey {
            version: "1".into(),
            rules_digest: "d".into(),
            stages: vec!["normalize".into()],
            inputs: vec!["in".into()],
            shard: None,
            text_field: "text".into(),
            html_field: None,
            id_field: "id".into(),
            max_file_size: 10,
            stats: None,
        }
    }

    fn checkpoint(entries: u64) -> Checkpoint {
        Checkpoint {
            entries,
            last: format!("in/{entries}.txt"),
            report: ReportOffsets::default(),
            summary: serde_json::json!({}),
        }
    }

    #[test]
    fn a_cut_last_line_is_ignored_and_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let mut progress = Progress::start(dir.path(), &key()).unwrap();
        progress.checkpoint(&checkpoint(3)).unwrap();
        progress.checkpoint(&checkpoint(7)).unwrap();
        drop(progress);
        let path = dir.path().join(PROGRESS);
        let full = std::fs::read(&path).unwrap();
        // As a kill in the middle of the last write leaves it.
        std::fs::write(&path, &full[..full.len() - 5]).unwrap();
        let resume = load(dir.path(), &key()).unwrap().unwrap();
        assert_eq!(resume.checkpoint.entries, 3);
        let first_two = full
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(1)
            .unwrap()
            .0
            + 1;
        assert_eq!(resume.valid_len, first_two as u64);
        // Appending after a reopen gives whole lines again.
        let mut progress = Progress::reopen(dir.path(), resume.valid_len).unwrap();
        progress.checkpoint(&checkpoint(9)).unwrap();
        assert_eq!(
            load(dir.path(), &key())
                .unwrap()
                .unwrap()
                .checkpoint
                .entries,
            9
        );
    }

    #[test]
    fn another_run_is_refused_and_no_progress_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path(), &key()).unwrap().is_none());
        let mut progress = Progress::start(dir.path(), &key()).unwrap();
        assert!(
            load(dir.path(), &key()).unwrap().is_none(),
            "no checkpoint yet"
        );
        progress.checkpoint(&checkpoint(1)).unwrap();
        let mut other = key();
        other.rules_digest = "e".into();
        let err = load(dir.path(), &other).unwrap_err();
        assert!(err.contains("rerun without --resume"), "{err}");
    }
}
