//! Per-step throughput on a folder of text files held in memory (no I/O, no report):
//! `cargo bench --bench stages -- <DIR> [MB]`. Runs the survey pass, then every step of the
//! default pipeline in order, timing each alone. The end-to-end benchmark is `bench/run.sh`.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use unscrape::document::Document;
use unscrape::edit::apply;
use unscrape::pipeline::{Cleaner, StageSet};
use unscrape::{CorpusStats, RuleSet};

fn collect(dir: &Path, out: &mut Vec<String>, budget: &mut usize) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if *budget == 0 {
            return;
        }
        if path.is_dir() {
            collect(&path, out, budget);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            *budget = budget.saturating_sub(text.len());
            out.push(text);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench stages -- <DIR> [MB]");
        return;
    };
    let mb: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(64);
    let mut texts = Vec::new();
    let mut budget = mb << 20;
    collect(Path::new(dir), &mut texts, &mut budget);
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb_total = bytes as f64 / 1e6;
    println!("{} documents, {mb_total:.1} MB", texts.len());
    let report = |name: &str, secs: f64, edits: usize| {
        println!("{name:<20} {:>8.1} MB/s  {edits:>9} edits", mb_total / secs);
    };

    let started = Instant::now();
    let mut stats = CorpusStats::default();
    for text in &texts {
        stats.add_document(text);
    }
    report("survey", started.elapsed().as_secs_f64(), 0);

    let rules = RuleSet::defaults().unwrap();
    let cleaner = Cleaner::new(&rules, StageSet::all(), Arc::new(stats)).unwrap();
    let (steps, stats) = cleaner.step_objects();
    let mut docs: Vec<Document> = texts.iter().map(|t| Document::from_text("d", t)).collect();
    let mut total = 0.0;
    for step in steps {
        let started = Instant::now();
        let mut edits = 0;
        for doc in &mut docs {
            let mut records = Vec::new();
            let proposed = step.edits(doc, stats);
            edits += proposed.len();
            if let Some(text) = apply(&doc.text, proposed, &mut records) {
                doc.text = text;
            }
        }
        let secs = started.elapsed().as_secs_f64();
        total += secs;
        report(
            &format!("{}: {}", step.stage().as_str(), step.name()),
            secs,
            edits,
        );
    }
    report("all steps", total, 0);
}
