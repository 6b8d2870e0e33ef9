//! Per-step throughput on a folder of text files held in memory (no I/O):
//! `cargo bench --bench stages -- <DIR> [MB]`. The end-to-end benchmark is `bench/run.sh`.

use std::path::Path;
use std::time::Instant;

use unscrape::document::Document;
use unscrape::edit::apply;
use unscrape::stages::boilerplate::Boilerplate;
use unscrape::stages::normalize;
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
    let rules = RuleSet::defaults().unwrap();
    let stats = CorpusStats::default();
    let mut steps = normalize::early_steps(&rules);
    steps.push(Box::new(Boilerplate::new(&rules)));
    steps.push(Box::new(unscrape::stages::page::Page::new()));
    steps.extend(normalize::late_steps(&rules));
    let mut docs: Vec<Document> = texts.iter().map(|t| Document::from_text("d", t)).collect();
    println!("{} documents, {:.1} MB", docs.len(), bytes as f64 / 1e6);
    for step in &steps {
        let started = Instant::now();
        let mut edits = 0;
        for doc in &mut docs {
            let mut records = Vec::new();
            let proposed = step.edits(doc, &stats);
            edits += proposed.len();
            if let Some(text) = apply(&doc.text, proposed, &mut records) {
                doc.text = text;
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{:<20} {:>8.1} MB/s  {:>9} edits",
            step.name(),
            bytes as f64 / 1e6 / secs,
            edits
        );
    }
}
