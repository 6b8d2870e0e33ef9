//! Benchmark of the learned-boilerplate survey (issue 5): line counting speed per core, and
//! memory for millions of documents.
//!
//! ```sh
//! cargo run --release --example survey_lines -- speed <CORPUS_DIR> [ROUNDS]
//! cargo run --release --example survey_lines -- docs <N> [GROUPS]
//! ```
//!
//! `speed` reads every file under the folder into memory (grouped by folder, as `clean` does)
//! and times [`LineStats::add_document`] on one thread: decoding (UTF-8 check) and line
//! counting, in MiB of input per second of CPU time (user + sys, from `getrusage`).
//! `docs` feeds N synthetic documents (a dozen lines each: six of their site's chrome, six of
//! their own) through the survey's batching (512 documents, then compaction) and reports peak
//! resident memory, keys held and whether the chrome of the sites still counts as frequent.

use std::path::Path;
use std::time::Instant;

use unscrape::corpus::LineStats;

fn cpu_seconds() -> f64 {
    // user + sys of this process, from /proc/self/stat (clock ticks of 1/100 s on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else {
            let group = path
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((group, std::fs::read(&path).unwrap()));
        }
    }
}

fn speed(dir: &Path, rounds: usize) {
    let mut docs = Vec::new();
    files(dir, &mut docs);
    let bytes: usize = docs.iter().map(|(_, d)| d.len()).sum();
    let mut best = f64::MAX;
    let mut entries = 0;
    for _ in 0..rounds {
        let (cpu0, wall0) = (cpu_seconds(), Instant::now());
        let mut stats = LineStats::new(unscrape::corpus::DEFAULT_MAX_LINES);
        for (n, (group, raw)) in docs.iter().enumerate() {
            let text = std::str::from_utf8(raw).unwrap_or("");
            stats.add_document(group, text);
            if n % 512 == 511 {
                stats.compact();
            }
        }
        let cpu = (cpu_seconds() - cpu0).max(wall0.elapsed().as_secs_f64().min(0.01));
        best = best.min(cpu);
        entries = stats.entries();
    }
    let mib = bytes as f64 / (1 << 20) as f64;
    println!(
        "{} documents, {mib:.1} MiB, best of {rounds}: {best:.3} s CPU → {:.0} MiB/s per core; {entries} line keys",
        docs.len(),
        mib / best
    );
}

/// A word of its own for `n` (letters only: fingerprints mask digits).
fn word(mut n: u64, out: &mut String) {
    loop {
        out.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
}

fn docs(n: u64, groups: u64) {
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let mut total = LineStats::new(unscrape::corpus::DEFAULT_MAX_LINES);
    let mut batch = LineStats::new(usize::MAX);
    let mut text = String::new();
    let mut bytes = 0u64;
    let mut unique = 0u64;
    for d in 0..n {
        let g = d % groups;
        let group = format!("site-{g}");
        text.clear();
        for k in 0..6 {
            // Site chrome: six of the site's ten lines, digits that vary.
            text.push_str("Site ");
            word(g, &mut text);
            let item = char::from(b'a' + ((d / groups + k) % 10) as u8);
            text.push_str(&format!(" menu item {item} © {}\n", 2000 + d % 25));
            // The page's own prose line.
            text.push_str("The ");
            unique += 1;
            word(unique.wrapping_mul(0x9e37_79b9), &mut text);
            text.push_str(" council met on a morning to weigh the ");
            word(unique, &mut text);
            text.push_str(" plan, officials said.\n");
        }
        bytes += text.len() as u64;
        batch.add_document(&group, &text);
        if d % 512 == 511 {
            total.merge(std::mem::replace(&mut batch, LineStats::new(usize::MAX)));
            total.compact();
        }
    }
    total.merge(batch);
    total.compact();
    let cpu = cpu_seconds() - cpu0;
    // Each site's ten chrome lines are in about 6/10 of its documents.
    let per_group = n / groups;
    let mut low = u32::MAX;
    for g in (0..groups).step_by((groups / 50).max(1) as usize) {
        let mut name = String::new();
        word(g, &mut name);
        for item in 'a'..='j' {
            let line = format!("Site {name} menu item {item} © 2001");
            low = low.min(total.line_documents(&format!("site-{g}"), &line));
        }
    }
    println!(
        "{n} documents in {groups} groups ({:.0} MiB of text): {:.1} s CPU, {:.1} s wall, peak RSS \
         {:.0} MiB; {} line keys held in {} slots ({:.0} MiB); undercount bound {}; the least \
         counted chrome line of sampled sites: {low} of ~{} documents",
        bytes as f64 / (1 << 20) as f64,
        cpu,
        wall0.elapsed().as_secs_f64(),
        peak_rss_mib(),
        total.entries(),
        total.slots(),
        total.slots() as f64 * 12.0 / (1 << 20) as f64,
        total.undercount(),
        per_group * 6 / 10,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("speed") => speed(
            Path::new(&args[2]),
            args.get(3).and_then(|r| r.parse().ok()).unwrap_or(3),
        ),
        Some("docs") => docs(
            args[2].parse().expect("N"),
            args.get(3).and_then(|g| g.parse().ok()).unwrap_or(10_000),
        ),
        _ => eprintln!("usage: survey_lines speed <DIR> [ROUNDS] | docs <N> [GROUPS]"),
    }
}
