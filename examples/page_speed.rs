//! CPU-time throughput of the boilerplate rule step and the page step on a folder of page
//! dumps (issue 6): `cargo run --release --example page_speed -- <DIR> [ROUNDS]`.
//! CPU time (user + sys of this single-threaded process, from /proc/self/stat) rather than wall
//! time, because the benchmark machine is shared.

use std::path::Path;

use unscrape::document::Document;
use unscrape::edit::apply;
use unscrape::stages::boilerplate::Boilerplate;
use unscrape::stages::page::Page;
use unscrape::stages::Step;
use unscrape::{CorpusStats, RuleSet};

/// User + system CPU seconds of this process so far.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux /proc");
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0 // USER_HZ is 100 on Linux
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(args.first().expect("usage: page_speed DIR [ROUNDS]"));
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut texts = Vec::new();
    for conv in std::fs::read_dir(dir).unwrap() {
        let mut files: Vec<_> = std::fs::read_dir(conv.unwrap().path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        texts.extend(files.iter().map(|f| std::fs::read_to_string(f).unwrap()));
    }
    let rules = RuleSet::defaults().unwrap();
    let stats = CorpusStats::default();
    let rule_step = Boilerplate::new(&rules);
    let page = Page::new();
    let bytes: usize = texts.iter().map(String::len).sum();
    let time = |step: &dyn Step, docs: &[Document]| {
        let start = cpu_seconds();
        let mut edits = 0;
        for _ in 0..rounds {
            for doc in docs {
                edits += std::hint::black_box(step.edits(doc, &stats)).len();
            }
        }
        let secs = cpu_seconds() - start;
        eprintln!("{}: {} edits per round", step.name(), edits / rounds);
        (bytes * rounds) as f64 / 1e6 / secs
    };
    let raw: Vec<Document> = texts.iter().map(|t| Document::from_text("d", t)).collect();
    let rules_speed = time(&rule_step, &raw);
    // The page step sees the text after the rule step, as in the pipeline.
    let after: Vec<Document> = raw
        .iter()
        .map(|d| {
            let mut records = Vec::new();
            let text = apply(&d.text, rule_step.edits(d, &stats), &mut records)
                .unwrap_or_else(|| d.text.clone());
            Document::from_text("d", &text)
        })
        .collect();
    let page_speed = time(&page, &after);
    println!(
        "{} documents, {:.1} MB, {rounds} rounds; CPU time: boilerplate-rules {rules_speed:.1} MB/s, page {page_speed:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e6
    );
}
