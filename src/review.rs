//! The review page: `report/index.html` and its data in `report/review/`.
//!
//! The page is one static HTML file (styles and script inlined, nothing fetched from the
//! network) that opens from disk. Its data cannot be read with `fetch` under `file://`, so it
//! is written as small JavaScript files that hand JSON to a callback when loaded with
//! `<script src>`:
//!
//! - `review/summary.js`: the run's summary, per-stage and per-rule figures with a few example
//!   edits and the first documents each rule touched, the removal histogram, the first
//!   errors, and the index of the chunks. Its size depends on the number of rules, never on
//!   the number of documents, so the page opens as fast for a million documents as for ten.
//! - `review/chunk-NNNNNN.js`: the documents that have edits (applied or suspect), in input
//!   order, [`CHUNK_DOCS`] documents or about [`CHUNK_BYTES`] bytes per file, each with its
//!   edits and its unified diff. The page loads a chunk only when a document in it is opened.
//!
//! Chunks are written as the report writer goes, so a run holds at most one chunk in memory.
//! Per-document data is capped ([`MAX_EDITS`], [`MAX_DIFF_BYTES`]); the full data is always
//! in `edits.jsonl` and `diffs/`. A resumed run (`--resume`) first reads the documents the
//! interrupted run finished back from those files ([`replay`]), so its page covers them all.
//!
//! A learned rule (`learned.*`, one per site) also lists its distinct lines (at most
//! [`LEARNED_LINES`]) with the documents each was in, so a reviewer can reject single lines;
//! the page exports them as the rule's `keep` lines, which the next `clean --rules` leaves.
//! The lists are in `review/lines-NNNNNN.js` ([`LINES_RULES`] rules per file), loaded when a
//! learned rule is opened, so a corpus of many sites does not slow the overview down.
//!
//! Everything that came from a document (text, file names, rule text) is JSON that the page
//! only ever puts into the DOM as text. The JSON is also made safe to sit inside a script:
//! `<`, `>`, `&` and the two JavaScript line separators are written as `\uXXXX` escapes, so no
//! document can close a `<script>` element or open a comment.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::document::Decoding;
use crate::edit::{EditRecord, StageName, Verdict};
use crate::report::{Counts, DocumentReport, RecordRef, ReportWriter, Summary};

/// The page's file name in the report folder.
pub const INDEX: &str = "index.html";
/// The folder of the page's data, in the report folder.
pub const DATA_DIR: &str = "review";
/// Documents per chunk at most.
pub const CHUNK_DOCS: usize = 200;
/// A chunk is closed once it holds about this many bytes.
pub const CHUNK_BYTES: usize = 1 << 20;
/// Edits kept per document in a chunk (the rest are counted, and all are in `edits.jsonl`).
pub const MAX_EDITS: usize = 500;
/// Diff bytes kept per document in a chunk (cut at a line; the whole diff is in `diffs/`).
pub const MAX_DIFF_BYTES: usize = 256 * 1024;
/// Example edits kept per rule.
const RULE_EXAMPLES: usize = 5;
/// Documents listed per rule and per histogram bar (the counts are exact).
const LIST_DOCS: usize = 200;
/// Errors listed in the summary (the count is exact; all are in `errors.jsonl`).
const LIST_ERRORS: usize = 100;
/// Characters kept of an example's before and after text.
const EXAMPLE_CHARS: usize = 300;
/// Bars of the removal histogram (tenths of a document).
const BUCKETS: usize = 10;
/// Distinct lines listed per learned rule (a site's chrome is a few dozen lines).
pub const LEARNED_LINES: usize = 200;
/// Learned rules per `lines-NNNNNN.js` file.
pub const LINES_RULES: usize = 100;

/// The page and its code, embedded in the binary: (path in the report folder, contents).
/// `index.html` holds no script of its own: its Content-Security-Policy lets only script
/// files from the report folder run, so no inline script or event handler can.
pub const ASSETS: &[(&str, &str)] = &[
    (INDEX, include_str!("review/index.html")),
    ("review/page.js", include_str!("review/page.js")),
    ("review/page.css", include_str!("review/page.css")),
];

/// JSON that is safe inside an HTML `<script>` element and in any JavaScript source:
/// `<`, `>` and `&` can only occur inside JSON strings, where `\uXXXX` means the same.
pub fn script_json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let json = serde_json::to_string(value)?;
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The first `max` characters of `text`, and whether it was cut.
fn cut_chars(text: &str, max: usize) -> (&str, bool) {
    match text.char_indices().nth(max) {
        Some((at, _)) => (&text[..at], true),
        None => (text, false),
    }
}

/// At most `max` bytes of a diff, ending at a line, and whether it was cut.
fn cut_diff(diff: &str, max: usize) -> (&str, bool) {
    if diff.len() <= max {
        return (diff, false);
    }
    let mut end = max;
    while !diff.is_char_boundary(end) {
        end -= 1;
    }
    let end = diff[..end].rfind('\n').map_or(0, |i| i + 1);
    (&diff[..end], true)
}

#[derive(Serialize)]
struct DocItem<'a> {
    /// Position among the documents with edits (the page's document number).
    n: u64,
    /// Position among all documents cleaned, as in `documents.jsonl`.
    i: u64,
    /// Left out when it equals the path (the usual case for files).
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    path: String,
    enc: &'static str,
    bytes_in: u64,
    bytes_out: u64,
    changed: bool,
    edits: Vec<EditItem<'a>>,
    edits_left_out: usize,
    diff: &'a str,
    diff_cut: bool,
}

#[derive(Serialize)]
struct EditItem<'a> {
    stage: &'static str,
    rule: &'a str,
    line: usize,
    before: &'a str,
    after: &'a str,
    /// Left out when it is the rule's usual reason (given once per rule in the summary).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    confidence: f32,
    status: Verdict,
}

#[derive(Serialize)]
struct Example {
    n: u64,
    line: usize,
    before: String,
    after: String,
    status: Verdict,
}

#[derive(Serialize, Default)]
struct RuleStat {
    stage: &'static str,
    reason: String,
    applied: u64,
    suspect: u64,
    documents: u64,
    examples: Vec<Example>,
    /// The first documents touched (page document numbers).
    docs: Vec<u64>,
    /// A learned rule's lines (`learned.*`), so a reviewer can reject single lines; written
    /// to a lines file of their own.
    #[serde(skip)]
    lines: Option<LearnedLines>,
    /// Where a learned rule's lines are.
    #[serde(skip_serializing_if = "Option::is_none")]
    learned: Option<LinesRef>,
}

#[derive(Serialize)]
struct LinesRef {
    /// The number of its `lines-NNNNNN.js` file.
    file: usize,
    /// Lines listed.
    count: usize,
}

/// The distinct lines a learned rule removed or reported, in order of first sight (sorted by
/// documents when written).
#[derive(Serialize, Default)]
struct LearnedLines {
    list: Vec<LearnedLine>,
    /// True when more lines than [`LEARNED_LINES`] were seen (the others are not listed).
    more: bool,
    /// Position in `list` by line key ([`crate::rules::keep_key`], as `keep` compares lines).
    #[serde(skip)]
    index: std::collections::HashMap<String, usize>,
}

#[derive(Serialize)]
struct LearnedLine {
    /// The line as first seen, trimmed.
    text: String,
    /// Documents of this run it was removed or reported in.
    documents: u64,
    applied: u64,
    suspect: u64,
    /// The first document it was seen in (page document number).
    n: u64,
    /// The last document counted, so a line twice in one document counts once.
    #[serde(skip)]
    last: u64,
}

impl LearnedLines {
    fn add(&mut self, text: &str, status: Verdict, n: u64) {
        let text = text.trim();
        if text.is_empty() || text.contains('\n') {
            return;
        }
        let key = crate::rules::keep_key(text);
        let at = match self.index.get(&key) {
            Some(&at) => at,
            None if self.list.len() >= LEARNED_LINES => {
                self.more = true;
                return;
            }
            None => {
                self.index.insert(key, self.list.len());
                self.list.push(LearnedLine {
                    text: text.to_owned(),
                    documents: 1,
                    applied: 0,
                    suspect: 0,
                    n,
                    last: n,
                });
                self.list.len() - 1
            }
        };
        let line = &mut self.list[at];
        if line.last != n {
            line.last = n;
            line.documents += 1;
        }
        match status {
            Verdict::Applied => line.applied += 1,
            Verdict::Suspect => line.suspect += 1,
        }
    }
}

#[derive(Serialize, Default)]
struct StageStat {
    applied: u64,
    suspect: u64,
    documents: u64,
}

#[derive(Serialize, Default, Clone)]
struct Bucket {
    /// Documents in the bar (all documents cleaned).
    documents: u64,
    /// The first documents with edits in it (page document numbers).
    docs: Vec<u64>,
}

#[derive(Serialize)]
struct ChunkInfo {
    /// Page document number of the chunk's first document.
    first: u64,
    /// Documents in the chunk.
    docs: u64,
}

#[derive(Serialize)]
struct ErrorItem {
    path: String,
    error: String,
}

#[derive(Serialize)]
struct PageSummary<'a> {
    summary: &'a Summary,
    reviewed: u64,
    stages: &'a BTreeMap<&'static str, StageStat>,
    rules: &'a BTreeMap<String, RuleStat>,
    removed: &'a [Bucket],
    errors: &'a [ErrorItem],
    chunks: &'a [ChunkInfo],
    limits: Limits,
}

#[derive(Serialize)]
struct Limits {
    chunk_docs: usize,
    max_edits: usize,
    max_diff_bytes: usize,
    list_docs: usize,
    rule_examples: usize,
    learned_lines: usize,
}

/// Writes the review page's data as documents come in, and the page at the end.
pub struct ReviewWriter {
    dir: PathBuf,
    chunk: String,
    chunk_docs: usize,
    chunks: Vec<ChunkInfo>,
    documents: u64,
    reviewed: u64,
    stages: BTreeMap<&'static str, StageStat>,
    rules: BTreeMap<String, RuleStat>,
    removed: Vec<Bucket>,
    errors: Vec<ErrorItem>,
}

impl ReviewWriter {
    /// Prepares `report/review/` (created empty; an older one is removed first).
    pub fn create(report_dir: &Path) -> anyhow::Result<ReviewWriter> {
        let dir = report_dir.join(DATA_DIR);
        remove_page(report_dir)?;
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(ReviewWriter {
            dir,
            chunk: String::new(),
            chunk_docs: 0,
            chunks: Vec::new(),
            documents: 0,
            reviewed: 0,
            stages: BTreeMap::new(),
            rules: BTreeMap::new(),
            removed: vec![Bucket::default(); BUCKETS],
            errors: Vec::new(),
        })
    }

    /// Takes one cleaned document; `diff` is its unified diff, if the text changed.
    pub fn document(&mut self, doc: &DocumentReport, diff: Option<&str>) -> anyhow::Result<()> {
        let index = self.documents;
        self.documents += 1;
        let removed = if doc.bytes_in == 0 {
            0.0
        } else {
            doc.bytes_in.saturating_sub(doc.bytes_out) as f64 / doc.bytes_in as f64
        };
        let bucket = ((removed * BUCKETS as f64) as usize).min(BUCKETS - 1);
        self.removed[bucket].documents += 1;
        if doc.records.is_empty() && !doc.changed {
            return Ok(());
        }
        let n = self.reviewed;
        self.reviewed += 1;
        if self.removed[bucket].docs.len() < LIST_DOCS {
            self.removed[bucket].docs.push(n);
        }

        // Per rule and stage: counts, documents touched (each counted once), examples.
        let mut seen_rules: Vec<&str> = Vec::new();
        let mut seen_stages: Vec<&'static str> = Vec::new();
        for r in &doc.records {
            let stage = r.stage.as_str();
            let stage_stat = self.stages.entry(stage).or_default();
            let rule = match self.rules.get_mut(&*r.rule) {
                Some(rule) => rule,
                None => self.rules.entry(r.rule.to_string()).or_insert(RuleStat {
                    stage,
                    reason: r.reason.to_string(),
                    lines: crate::rules::is_learned_id(&r.rule).then(LearnedLines::default),
                    ..RuleStat::default()
                }),
            };
            if let Some(lines) = rule.lines.as_mut() {
                lines.add(&r.before, r.status, n);
            }
            match r.status {
                Verdict::Applied => {
                    rule.applied += 1;
                    stage_stat.applied += 1;
                }
                Verdict::Suspect => {
                    rule.suspect += 1;
                    stage_stat.suspect += 1;
                }
            }
            if !seen_stages.contains(&stage) {
                seen_stages.push(stage);
                stage_stat.documents += 1;
            }
            if !seen_rules.contains(&&*r.rule) {
                seen_rules.push(&r.rule);
                rule.documents += 1;
                if rule.docs.len() < LIST_DOCS {
                    rule.docs.push(n);
                }
                // Examples from different documents show more than five from one.
                if rule.examples.len() < RULE_EXAMPLES {
                    rule.examples.push(Example {
                        n,
                        line: r.line,
                        before: cut_chars(&r.before, EXAMPLE_CHARS).0.to_owned(),
                        after: cut_chars(&r.after, EXAMPLE_CHARS).0.to_owned(),
                        status: r.status,
                    });
                }
            }
        }

        let (diff, diff_cut) = cut_diff(diff.unwrap_or(""), MAX_DIFF_BYTES);
        let path = doc.relative.to_string_lossy().into_owned();
        let rules = &self.rules;
        let item = DocItem {
            n,
            i: index,
            id: (doc.id != path).then_some(&*doc.id),
            path,
            enc: doc.decoding.encoding,
            bytes_in: doc.bytes_in,
            bytes_out: doc.bytes_out,
            changed: doc.changed,
            edits: doc
                .records
                .iter()
                .take(MAX_EDITS)
                .map(|r| EditItem {
                    stage: r.stage.as_str(),
                    rule: &r.rule,
                    line: r.line,
                    before: &r.before,
                    after: &r.after,
                    reason: rules
                        .get(&*r.rule)
                        .is_none_or(|stat| stat.reason != *r.reason)
                        .then_some(&*r.reason),
                    confidence: r.confidence,
                    status: r.status,
                })
                .collect(),
            edits_left_out: doc.records.len().saturating_sub(MAX_EDITS),
            diff,
            diff_cut,
        };
        if self.chunk_docs > 0 {
            self.chunk.push_str(",\n");
        }
        self.chunk.push_str(&script_json(&item)?);
        self.chunk_docs += 1;
        if self.chunk_docs >= CHUNK_DOCS || self.chunk.len() >= CHUNK_BYTES {
            self.flush_chunk()?;
        }
        Ok(())
    }

    /// Takes one input error (the first [`LIST_ERRORS`] are listed on the page).
    pub fn error(&mut self, path: &str, error: &str) {
        if self.errors.len() < LIST_ERRORS {
            self.errors.push(ErrorItem {
                path: path.to_owned(),
                error: error.to_owned(),
            });
        }
    }

    fn flush_chunk(&mut self) -> anyhow::Result<()> {
        if self.chunk_docs == 0 {
            return Ok(());
        }
        let number = self.chunks.len();
        let first = self.reviewed - self.chunk_docs as u64;
        let path = self.dir.join(chunk_name(number));
        let body = format!("unscrapeReview.chunk({number}, [\n{}\n]);\n", self.chunk);
        std::fs::write(&path, body).with_context(|| format!("cannot write {}", path.display()))?;
        self.chunks.push(ChunkInfo {
            first,
            docs: self.chunk_docs as u64,
        });
        self.chunk.clear();
        self.chunk_docs = 0;
        Ok(())
    }

    /// Writes the last chunk, `review/summary.js` and `index.html`.
    pub fn finish(mut self, summary: &Summary) -> anyhow::Result<()> {
        self.flush_chunk()?;
        // Learned rules' lines, LINES_RULES rules per file in rule order; the most widespread
        // lines first, ties in order of first sight (input order).
        let mut batch: BTreeMap<&str, LearnedLines> = BTreeMap::new();
        let mut files = 0;
        let write_lines =
            |batch: &mut BTreeMap<&str, LearnedLines>, files: &mut usize| -> anyhow::Result<()> {
                let path = self.dir.join(lines_name(*files));
                let body = format!(
                    "unscrapeReview.lines({files}, {});\n",
                    script_json(&*batch)?
                );
                std::fs::write(&path, body)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                batch.clear();
                *files += 1;
                Ok(())
            };
        for (id, rule) in self.rules.iter_mut() {
            let Some(mut lines) = rule.lines.take() else {
                continue;
            };
            lines
                .list
                .sort_by(|a, b| b.documents.cmp(&a.documents).then(a.n.cmp(&b.n)));
            rule.learned = Some(LinesRef {
                file: files,
                count: lines.list.len(),
            });
            batch.insert(id, lines);
            if batch.len() >= LINES_RULES {
                write_lines(&mut batch, &mut files)?;
            }
        }
        if !batch.is_empty() {
            write_lines(&mut batch, &mut files)?;
        }
        // Without the timing, the page's data is the same bytes for any --jobs (only
        // summary.json carries elapsed_seconds); the page does not show it.
        let mut summary = summary.clone();
        summary.elapsed_seconds = 0.0;
        let data = PageSummary {
            summary: &summary,
            reviewed: self.reviewed,
            stages: &self.stages,
            rules: &self.rules,
            removed: &self.removed,
            errors: &self.errors,
            chunks: &self.chunks,
            limits: Limits {
                chunk_docs: CHUNK_DOCS,
                max_edits: MAX_EDITS,
                max_diff_bytes: MAX_DIFF_BYTES,
                list_docs: LIST_DOCS,
                rule_examples: RULE_EXAMPLES,
                learned_lines: LEARNED_LINES,
            },
        };
        let path = self.dir.join("summary.js");
        let body = format!("unscrapeReview.summary({});\n", script_json(&data)?);
        std::fs::write(&path, body).with_context(|| format!("cannot write {}", path.display()))?;
        // The page last: a report with an index.html is complete.
        let report_dir = self.dir.parent().unwrap_or(Path::new("."));
        for (name, text) in ASSETS.iter().rev() {
            let path = report_dir.join(name);
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}

/// The review data of the documents a report already holds, for a resumed run (`--resume`):
/// the page is built as documents come in, so the documents the interrupted run finished are
/// read back from `documents.jsonl`, `edits.jsonl`, `errors.jsonl` and `diffs/` (already cut
/// back to the checkpoint) and taken in again, in order. The resumed run goes on with the
/// returned writer, and its page covers every document, as an uninterrupted run's does.
pub fn replay(report_dir: &Path) -> anyhow::Result<ReviewWriter> {
    let mut review = ReviewWriter::create(report_dir)?;
    let lines = |name: &str| -> anyhow::Result<std::io::Lines<BufReader<File>>> {
        let path = report_dir.join(name);
        let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(BufReader::new(file).lines())
    };
    for line in lines("errors.jsonl")? {
        let error: SavedError = serde_json::from_str(&line?).context("errors.jsonl")?;
        review.error(&error.path, &error.error);
    }
    let mut edits = lines("edits.jsonl")?;
    let mut encodings: HashMap<String, &'static str> = HashMap::new();
    // The diff file of the JSONL file whose records come now (their diffs follow each other).
    let mut record_diffs: Option<(String, Option<DiffReader>)> = None;
    for (number, line) in lines("documents.jsonl")?.enumerate() {
        let doc: SavedDocument = serde_json::from_str(&line?)
            .with_context(|| format!("documents.jsonl line {}", number + 1))?;
        let mut records = Vec::with_capacity((doc.edits.applied + doc.edits.suspect) as usize);
        for _ in 0..doc.edits.applied + doc.edits.suspect {
            let line = edits
                .next()
                .context("edits.jsonl ends before documents.jsonl does")??;
            let edit: SavedEdit = serde_json::from_str(&line).context("edits.jsonl")?;
            anyhow::ensure!(
                edit.doc == doc.doc,
                "edits.jsonl does not follow documents.jsonl (an edit of {} where {} was expected)",
                edit.doc,
                doc.doc
            );
            records.push(edit.record()?);
        }
        let encoding = match encodings.get(&doc.encoding) {
            Some(name) => *name,
            None => {
                let name: &'static str =
                    match encoding_rs::Encoding::for_label(doc.encoding.as_bytes()) {
                        Some(e) if e.name() == doc.encoding => e.name(),
                        _ => Box::leak(doc.encoding.clone().into_boxed_str()),
                    };
                encodings.insert(doc.encoding.clone(), name);
                name
            }
        };
        let (relative, record) = match &doc.file {
            Some(file) => (
                PathBuf::from(file),
                Some(RecordRef {
                    file: file.clone(),
                    line: doc.record_line.unwrap_or(0),
                    id: doc.record_id.clone(),
                }),
            ),
            // A file's id is its relative path; an HTML page's text (and diff) is `.txt`.
            None => (crate::source::output_relative(Path::new(&doc.doc)), None),
        };
        let diff = match (&doc.file, doc.changed) {
            (_, false) => None,
            (None, true) => {
                std::fs::read_to_string(ReportWriter::diff_path(report_dir, &relative)).ok()
            }
            (Some(file), true) => {
                if record_diffs.as_ref().is_none_or(|(f, _)| f != file) {
                    let path = ReportWriter::diff_path(report_dir, &relative);
                    let reader = File::open(path).ok().map(|f| DiffReader {
                        reader: BufReader::new(f),
                        peeked: None,
                    });
                    record_diffs = Some((file.clone(), reader));
                }
                let (_, reader) = record_diffs.as_mut().expect("just set");
                let diff = reader.as_mut().and_then(|r| r.next_diff(&doc.doc));
                if diff.is_none() {
                    // Out of step with the file: the rest of its records go without a diff.
                    *reader = None;
                }
                diff
            }
        };
        let report = DocumentReport {
            id: doc.doc,
            relative,
            decoding: Decoding {
                encoding,
                bom: doc.bom,
                detected: doc.detected,
                confidence: doc.confidence,
                malformed: doc.malformed,
            },
            bytes_in: doc.bytes_in,
            bytes_out: doc.bytes_out,
            changed: doc.changed,
            records,
            html: None,
            record,
            diff: None,
        };
        review.document(&report, diff.as_deref())?;
    }
    Ok(review)
}

/// A line of `documents.jsonl`, as far as the page needs it.
#[derive(Deserialize)]
struct SavedDocument {
    doc: String,
    file: Option<String>,
    record_line: Option<u64>,
    record_id: Option<String>,
    encoding: String,
    bom: bool,
    detected: bool,
    confidence: f32,
    malformed: usize,
    bytes_in: u64,
    bytes_out: u64,
    changed: bool,
    edits: Counts,
}

/// A line of `edits.jsonl`.
#[derive(Deserialize)]
struct SavedEdit {
    doc: String,
    stage: String,
    rule: String,
    line: usize,
    before: String,
    after: String,
    reason: String,
    confidence: f32,
    status: String,
}

impl SavedEdit {
    fn record(self) -> anyhow::Result<EditRecord> {
        Ok(EditRecord {
            stage: StageName::parse(&self.stage)
                .with_context(|| format!("unknown stage {} in edits.jsonl", self.stage))?,
            rule: Arc::from(self.rule),
            line: self.line,
            before: self.before,
            after: self.after,
            reason: Arc::from(self.reason),
            confidence: self.confidence,
            status: match self.status.as_str() {
                "applied" => Verdict::Applied,
                "suspect" => Verdict::Suspect,
                other => anyhow::bail!("unknown status {other} in edits.jsonl"),
            },
            // Not in edits.jsonl, and not used by the review page.
            range: 0..0,
            step: 0,
        })
    }
}

/// A line of `errors.jsonl`.
#[derive(Deserialize)]
struct SavedError {
    path: String,
    error: String,
}

/// Reads the diffs of a JSONL file's records one after the other. Each is a unified diff whose
/// header names the record, and whose hunk headers count their lines, so a diff ends exactly
/// where its last hunk does, whatever the text in it.
struct DiffReader {
    reader: BufReader<File>,
    peeked: Option<String>,
}

impl DiffReader {
    fn line(&mut self) -> Option<String> {
        if let Some(line) = self.peeked.take() {
            return Some(line);
        }
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(n) if n > 0 => Some(line),
            _ => None,
        }
    }

    /// The next diff, which must be the one of document `id`; `None` when it is not there.
    fn next_diff(&mut self, id: &str) -> Option<String> {
        // The header first: the id may hold anything, so it is read by its known length.
        let header = format!(
            "--- a/{id}
+++ b/{id}
"
        );
        let mut diff = String::with_capacity(header.len() + 256);
        while diff.len() < header.len() {
            diff.push_str(&self.line()?);
        }
        if diff != header {
            return None;
        }
        while let Some(line) = self.line() {
            let Some((mut old, mut new)) = hunk_counts(&line) else {
                self.peeked = Some(line);
                break;
            };
            diff.push_str(&line);
            while old > 0 || new > 0 {
                let line = self.line()?;
                match line.as_bytes().first() {
                    Some(b' ') if old > 0 && new > 0 => (old, new) = (old - 1, new - 1),
                    Some(b'-') if old > 0 => old -= 1,
                    Some(b'+') if new > 0 => new -= 1,
                    Some(b'\\') => {}
                    _ => return None,
                }
                diff.push_str(&line);
            }
            // "\ No newline at end of file" after the hunk's last line.
            while let Some(line) = self.line() {
                if line.starts_with('\\') {
                    diff.push_str(&line);
                } else {
                    self.peeked = Some(line);
                    break;
                }
            }
        }
        Some(diff)
    }
}

/// The old and new line counts of a hunk header (`@@ -1,3 +1 @@`: 3 and 1).
fn hunk_counts(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("@@ -")?;
    let (ranges, _) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let count = |range: &str| -> Option<u64> {
        match range.split_once(',') {
            Some((_, n)) => n.parse().ok(),
            None => range.parse::<u64>().ok().map(|_| 1),
        }
    };
    Some((count(old)?, count(new)?))
}

/// The file name of chunk `number`.
pub fn chunk_name(number: usize) -> String {
    format!("chunk-{number:06}.js")
}

/// The file name of learned lines file `number`.
pub fn lines_name(number: usize) -> String {
    format!("lines-{number:06}.js")
}

/// Removes a review page left in a report folder by an earlier run.
pub fn remove_page(report_dir: &Path) -> anyhow::Result<()> {
    let dir = report_dir.join(DATA_DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("cannot clear the old review data in {}", dir.display()))?;
    }
    let index = report_dir.join(INDEX);
    if index.exists() {
        std::fs::remove_file(&index)
            .with_context(|| format!("cannot remove the old {}", index.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_a_script_or_open_markup() {
        let hostile =
            "</script><script>alert(1)</script> \"><img src=x onerror=alert(2)> <!-- & \u{2028}";
        let json = script_json(&hostile).unwrap();
        for bad in ["<", ">", "&", "\u{2028}"] {
            assert!(!json.contains(bad), "{bad:?} in {json}");
        }
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, hostile);
    }

    #[test]
    fn cuts_respect_characters_and_lines() {
        assert_eq!(cut_chars("héllo", 2), ("hé", true));
        assert_eq!(cut_chars("hé", 2), ("hé", false));
        let diff = "@@ -1 +1 @@\n-é\n+e\n";
        assert_eq!(cut_diff(diff, 100), (diff, false));
        // 14 bytes ends inside "-é\n": cut back to the end of the first line.
        assert_eq!(cut_diff(diff, 14), ("@@ -1 +1 @@\n", true));
    }

    #[test]
    fn page_loads_nothing_from_the_network_and_writes_no_markup() {
        let index = ASSETS[0].1;
        assert!(index.contains("Content-Security-Policy") && index.contains("default-src 'none'"));
        assert!(!index.contains("<script>"), "no inline script");
        for handler in [" onload", " onclick", " onerror"] {
            assert!(!index.contains(handler), "no inline {handler}");
        }
        for (name, text) in ASSETS {
            for remote in [
                "https:",
                "src=\"http",
                "href=\"http",
                "url(",
                "@import",
                "fetch(",
                "XMLHttpRequest",
            ] {
                assert!(!text.contains(remote), "{name} mentions {remote}");
            }
            // Document text reaches the DOM as text only.
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
            ] {
                assert!(!text.contains(sink), "{name} uses {sink}");
            }
        }
    }
}
