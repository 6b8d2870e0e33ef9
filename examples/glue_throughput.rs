//! Throughput of the survey pass and the glue stage on documents already in memory (no file
//! reading or writing, no report), single-threaded:
//!
//!     cargo run --release --example glue_throughput -- DIR [ROUNDS]
//!
//! Reads every file under DIR, then times, ROUNDS times (default 3), the survey
//! (`CorpusStats::add_document` over all documents) and the glue stage (`Cleaner` with only
//! glue: decode check, `Glue::edits`, applying the edits), and prints the best round of each
//! in MB/s, and both together. Time is the thread's time on a CPU (Linux
//! `/proc/thread-self/schedstat`), so other processes on a busy machine do not count; elsewhere
//! it is wall-clock time.

use std::sync::Arc;
use std::time::Instant;

/// Seconds this thread has run on a CPU, or wall-clock seconds since `start` if unknown.
fn seconds(start: Instant) -> f64 {
    match std::fs::read_to_string("/proc/thread-self/schedstat") {
        Ok(s) => {
            let ns: f64 = s
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0.0);
            ns / 1e9
        }
        Err(_) => start.elapsed().as_secs_f64(),
    }
}

use unscrape::{Cleaner, CorpusStats, RuleSet, StageName, StageSet};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: glue_throughput DIR [ROUNDS]");
    let rounds: usize = args
        .next()
        .map_or(3, |r| r.parse().expect("ROUNDS is a number"));
    let mut docs = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("readable folder");
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).expect("UTF-8 text");
            docs.push((entry.path().display().to_string(), text));
        }
    }
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} documents, {mb:.1} MB", docs.len());

    let rules = RuleSet::defaults().expect("embedded rules");
    let stages = StageSet::none().with(StageName::Glue);
    let mut best_survey = f64::MAX;
    let mut best_stage = f64::MAX;
    let mut applied = 0;
    for _ in 0..rounds {
        let wall = Instant::now();
        let started = seconds(wall);
        let mut stats = CorpusStats::default();
        for (_, text) in &docs {
            stats.add_document(text);
        }
        best_survey = best_survey.min(seconds(wall) - started);
        let entries = stats.entries();
        let cleaner = Cleaner::new(&rules, stages, Arc::new(stats)).expect("glue stage");
        let wall = Instant::now();
        let started = seconds(wall);
        applied = 0;
        for (id, text) in &docs {
            applied += cleaner.clean_text(id, text).applied();
        }
        best_stage = best_stage.min(seconds(wall) - started);
        println!("survey entries: {entries}; applied glue edits: {applied}");
    }
    println!(
        "survey {:.1} MB/s, glue stage {:.1} MB/s, together {:.1} MB/s (1 core, best of {rounds}; {applied} edits)",
        mb / best_survey,
        mb / best_stage,
        mb / (best_survey + best_stage)
    );
}
