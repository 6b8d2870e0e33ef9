//! The report: `summary.json`, `documents.jsonl`, `edits.jsonl` (and its suspects again in
//! `suspects.jsonl`), `diffs/<relative path>.diff`, `errors.jsonl`, and the review page
//! (`index.html` with its data in `review/`, see [`crate::review`]) unless switched off.
//!
//! Everything here is built from [`EditRecord`]s and per-document outcomes, in input order,
//! so two runs over the same input with the same rules write the same bytes whatever the
//! number of threads (only `elapsed_seconds` in the summary differs).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::document::Decoding;
use crate::edit::{EditRecord, StageName, Verdict};
use crate::pipeline::Cleaned;
use crate::review::ReviewWriter;
use crate::stages::extract::HtmlSummary;

/// The file that marks a folder as an unscrape report, so a rerun may replace its contents
/// and a folder of anything else is never overwritten.
pub const MARKER: &str = ".unscrape-report";

/// Applied and suspect counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Edits applied to the text.
    pub applied: u64,
    /// Edits reported but not applied.
    pub suspect: u64,
}

impl Counts {
    /// Counts one edit.
    pub fn add(&mut self, status: Verdict) {
        match status {
            Verdict::Applied => self.applied += 1,
            Verdict::Suspect => self.suspect += 1,
        }
    }
}

/// What a run did, as written to `summary.json` and printed at the end.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Always "unscrape".
    pub tool: &'static str,
    /// The tool's version.
    pub version: &'static str,
    /// Digest of the rule files in effect.
    pub rules_digest: String,
    /// The stages that ran.
    pub stages: Vec<&'static str>,
    /// Documents cleaned (errors not included).
    pub documents: u64,
    /// Documents whose text changed.
    pub documents_changed: u64,
    /// Bytes read, of the documents cleaned.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// All edits.
    pub edits: Counts,
    /// Edits per stage.
    pub edits_by_stage: BTreeMap<StageName, Counts>,
    /// Edits per rule id.
    pub edits_by_rule: BTreeMap<String, Counts>,
    /// Documents per encoding they were decoded from.
    pub encodings: BTreeMap<&'static str, u64>,
    /// Inputs that could not be cleaned (see `errors.jsonl`).
    pub errors: u64,
    /// Files in walked folders that were not taken as text by their name.
    pub skipped_files: u64,
    /// The survey pass, when one ran (the glue stage needs it).
    pub survey: Option<SurveySummary>,
    /// HTML pages among the documents (absent when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub html_documents: u64,
    /// HTML pages read by the tokenizer alone (too large, too deep or over the time budget;
    /// see their `notes` in `documents.jsonl`).
    #[serde(skip_serializing_if = "is_zero")]
    pub html_tokenizer_only: u64,
    /// Wall-clock time of the run.
    pub elapsed_seconds: f64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Lengths of the report's line files at a checkpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOffsets {
    /// `documents.jsonl`.
    pub documents: u64,
    /// `edits.jsonl`.
    pub edits: u64,
    /// `suspects.jsonl`.
    pub suspects: u64,
    /// `errors.jsonl`.
    pub errors: u64,
}

/// The counting part of a [`Summary`] as saved at a checkpoint (owned strings, so it can be
/// read back).
#[derive(Deserialize)]
struct SavedCounts {
    documents: u64,
    documents_changed: u64,
    bytes_in: u64,
    bytes_out: u64,
    edits: Counts,
    edits_by_stage: BTreeMap<String, Counts>,
    edits_by_rule: BTreeMap<String, Counts>,
    encodings: BTreeMap<String, u64>,
    errors: u64,
    skipped_files: u64,
    #[serde(default)]
    html_documents: u64,
    #[serde(default)]
    html_tokenizer_only: u64,
}

/// What the survey pass gathered.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct SurveySummary {
    /// Documents surveyed.
    pub documents: u64,
    /// Distinct token and bigram keys held (bounded; see `corpus.rs`).
    pub entries: u64,
    /// Groups (sites) whose lines were counted for learned boilerplate.
    pub groups: u64,
    /// Distinct (group, line) keys held (bounded; see `corpus.rs`).
    pub line_entries: u64,
}

impl Summary {
    /// An empty summary for a run with these rules and stages.
    pub fn new(rules_digest: &str, stages: Vec<&'static str>) -> Summary {
        Summary {
            tool: "unscrape",
            version: env!("CARGO_PKG_VERSION"),
            rules_digest: rules_digest.to_owned(),
            stages,
            ..Summary::default()
        }
    }

    /// Takes over the counts of a summary saved (as JSON) at a checkpoint of an interrupted
    /// run, so the resumed run's totals are those of an uninterrupted one.
    pub fn restore_counts(&mut self, saved: &serde_json::Value) -> anyhow::Result<()> {
        let saved = SavedCounts::deserialize(saved).context("unreadable saved summary")?;
        self.documents = saved.documents;
        self.documents_changed = saved.documents_changed;
        self.bytes_in = saved.bytes_in;
        self.bytes_out = saved.bytes_out;
        self.edits = saved.edits;
        self.edits_by_stage = saved
            .edits_by_stage
            .into_iter()
            .map(|(stage, counts)| {
                StageName::parse(&stage)
                    .map(|s| (s, counts))
                    .with_context(|| format!("unknown stage {stage} in saved summary"))
            })
            .collect::<anyhow::Result<_>>()?;
        self.edits_by_rule = saved.edits_by_rule;
        self.encodings = saved
            .encodings
            .into_iter()
            .map(|(name, n)| {
                // Names come from encoding_rs, whose names are static; anything else is leaked
                // once (a handful of short strings per resumed run).
                let name: &'static str = match encoding_rs::Encoding::for_label(name.as_bytes()) {
                    Some(e) if e.name() == name => e.name(),
                    _ => Box::leak(name.into_boxed_str()),
                };
                (name, n)
            })
            .collect();
        self.errors = saved.errors;
        self.skipped_files = saved.skipped_files;
        self.html_documents = saved.html_documents;
        self.html_tokenizer_only = saved.html_tokenizer_only;
        Ok(())
    }

    /// Counts one cleaned document.
    pub fn add_document(&mut self, doc: &DocumentReport) {
        self.documents += 1;
        self.bytes_in += doc.bytes_in;
        self.bytes_out += doc.bytes_out;
        if doc.changed {
            self.documents_changed += 1;
        }
        *self.encodings.entry(doc.decoding.encoding).or_default() += 1;
        if let Some(html) = &doc.html {
            self.html_documents += 1;
            if html.extraction == "tokenizer" {
                self.html_tokenizer_only += 1;
            }
        }
        for record in &doc.records {
            self.edits.add(record.status);
            self.edits_by_stage
                .entry(record.stage)
                .or_default()
                .add(record.status);
            match self.edits_by_rule.get_mut(&*record.rule) {
                Some(counts) => counts.add(record.status),
                None => {
                    let mut counts = Counts::default();
                    counts.add(record.status);
                    self.edits_by_rule.insert(record.rule.to_string(), counts);
                }
            }
        }
    }

    /// The short human summary printed at the end of a run.
    pub fn human(&self) -> String {
        let stages: Vec<String> = self
            .edits_by_stage
            .iter()
            .map(|(stage, c)| format!("{stage} {}", c.applied))
            .collect();
        let stages = if stages.is_empty() {
            String::new()
        } else {
            format!(" ({})", stages.join(", "))
        };
        format!(
            "{} documents ({} changed), {} in, {} out; {} edits{}, {} suspects; {} errors; {:.2} s",
            self.documents,
            self.documents_changed,
            indicatif::DecimalBytes(self.bytes_in),
            indicatif::DecimalBytes(self.bytes_out),
            self.edits.applied,
            stages,
            self.edits.suspect,
            self.errors,
            self.elapsed_seconds,
        )
    }
}

/// What the report needs to know about one cleaned document.
#[derive(Clone, Debug)]
pub struct DocumentReport {
    /// Document id.
    pub id: String,
    /// Path relative to the input root (names the diff file).
    pub relative: PathBuf,
    /// How it was decoded.
    pub decoding: Decoding,
    /// Raw size.
    pub bytes_in: u64,
    /// Cleaned size.
    pub bytes_out: u64,
    /// Whether the cleaned text differs from the decoded text.
    pub changed: bool,
    /// Every edit.
    pub records: Vec<EditRecord>,
    /// For an HTML page: its metadata and how it was read.
    pub html: Option<HtmlSummary>,
    /// For a JSONL record: its file, line and id (the report addresses it by these).
    pub record: Option<RecordRef>,
    /// The unified diff, if the text changed (kept for the review page, which shows it).
    pub diff: Option<String>,
}

/// Where a JSONL record came from, as the report names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRef {
    /// The file's path relative to its input root, `/`-separated (`-` for standard input).
    pub file: String,
    /// 1-based line number in the (decompressed) file.
    pub line: u64,
    /// The record's id field as text, if it had one.
    pub id: Option<String>,
}

impl DocumentReport {
    /// The report's view of a cleaned document, and its unified diff if the text changed;
    /// `relative` names the diff file.
    pub fn new(cleaned: Cleaned, relative: PathBuf) -> (DocumentReport, Option<String>) {
        let changed = cleaned.doc.text != cleaned.original;
        let diff =
            changed.then(|| unified_diff(&cleaned.doc.id, &cleaned.original, &cleaned.doc.text));
        let report = DocumentReport {
            bytes_in: cleaned.doc.raw_len as u64,
            bytes_out: cleaned.doc.text.len() as u64,
            id: cleaned.doc.id,
            relative,
            decoding: cleaned.doc.decoding,
            changed,
            records: cleaned.records,
            html: cleaned.doc.html.as_ref().map(|page| page.summary()),
            record: None,
            diff: diff.clone(),
        };
        (report, diff)
    }
}

#[derive(Serialize)]
struct DocumentLine<'a> {
    doc: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_id: Option<&'a str>,
    encoding: &'static str,
    bom: bool,
    detected: bool,
    confidence: f32,
    malformed: usize,
    bytes_in: u64,
    bytes_out: u64,
    changed: bool,
    edits: Counts,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<&'a HtmlSummary>,
}

#[derive(Serialize)]
struct EditLine<'a> {
    doc: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_id: Option<&'a str>,
    stage: StageName,
    rule: &'a str,
    line: usize,
    before: &'a str,
    after: &'a str,
    reason: &'a str,
    confidence: f32,
    status: Verdict,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    error: &'a str,
}

/// Writes a report folder as documents come in.
pub struct ReportWriter {
    dir: PathBuf,
    documents: BufWriter<File>,
    edits: BufWriter<File>,
    suspects: BufWriter<File>,
    errors: BufWriter<File>,
    review: Option<ReviewWriter>,
}

impl ReportWriter {
    /// Prepares `dir`: creates it, or clears a previous unscrape report in it. A folder that
    /// holds anything else is refused, never overwritten.
    pub fn create(dir: &Path) -> anyhow::Result<ReportWriter> {
        if dir.exists() {
            let mut entries = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read report folder {}", dir.display()))?;
            let empty = entries.next().is_none();
            if !empty && !dir.join(MARKER).exists() {
                bail!(
                    "report folder {} exists and is not an unscrape report; choose another --report",
                    dir.display()
                );
            }
            let diffs = dir.join("diffs");
            if diffs.exists() {
                std::fs::remove_dir_all(&diffs)
                    .with_context(|| format!("cannot clear old diffs in {}", diffs.display()))?;
            }
        }
        std::fs::create_dir_all(dir.join("diffs"))
            .with_context(|| format!("cannot create report folder {}", dir.display()))?;
        std::fs::write(
            dir.join(MARKER),
            "This folder is an unscrape report; unscrape may replace its contents.\n",
        )
        .with_context(|| format!("cannot write in report folder {}", dir.display()))?;
        let open = |name: &str| -> anyhow::Result<BufWriter<File>> {
            let path = dir.join(name);
            let file =
                File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
            Ok(BufWriter::new(file))
        };
        Ok(ReportWriter {
            dir: dir.to_path_buf(),
            documents: open("documents.jsonl")?,
            edits: open("edits.jsonl")?,
            suspects: open("suspects.jsonl")?,
            errors: open("errors.jsonl")?,
            review: Some(ReviewWriter::create(dir)?),
        })
    }

    /// Writes no review page (`--no-html`); one left by an earlier run is removed.
    pub fn without_html(mut self) -> anyhow::Result<ReportWriter> {
        self.review = None;
        crate::review::remove_page(&self.dir)?;
        Ok(self)
    }

    /// The report folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the diff of a document goes.
    pub fn diff_path(dir: &Path, relative: &Path) -> PathBuf {
        let mut path = dir.join("diffs").join(relative);
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".diff");
        path.set_file_name(name);
        path
    }

    /// Appends a document to `documents.jsonl` and its edits to `edits.jsonl`.
    pub fn document(&mut self, doc: &DocumentReport) -> anyhow::Result<()> {
        let mut counts = Counts::default();
        for r in &doc.records {
            counts.add(r.status);
        }
        let record = doc.record.as_ref();
        let file = record.map(|r| r.file.as_str());
        let record_line = record.map(|r| r.line);
        let record_id = record.and_then(|r| r.id.as_deref());
        let line = DocumentLine {
            doc: &doc.id,
            file,
            record_line,
            record_id,
            encoding: doc.decoding.encoding,
            bom: doc.decoding.bom,
            detected: doc.decoding.detected,
            confidence: doc.decoding.confidence,
            malformed: doc.decoding.malformed,
            bytes_in: doc.bytes_in,
            bytes_out: doc.bytes_out,
            changed: doc.changed,
            edits: counts,
            html: doc.html.as_ref(),
        };
        serde_json::to_writer(&mut self.documents, &line)?;
        self.documents.write_all(b"\n")?;
        for r in &doc.records {
            let line = EditLine {
                doc: &doc.id,
                file,
                record_line,
                record_id,
                stage: r.stage,
                rule: &r.rule,
                line: r.line,
                before: &r.before,
                after: &r.after,
                reason: &r.reason,
                confidence: r.confidence,
                status: r.status,
            };
            let mut json = serde_json::to_vec(&line)?;
            json.push(b'\n');
            self.edits.write_all(&json)?;
            if r.status == Verdict::Suspect {
                self.suspects.write_all(&json)?;
            }
        }
        if let Some(review) = self.review.as_mut() {
            review.document(doc, doc.diff.as_deref())?;
        }
        Ok(())
    }

    /// Appends an input error to `errors.jsonl`.
    pub fn error(&mut self, path: &str, error: &str) -> anyhow::Result<()> {
        self.record_error(path, None, None, error)
    }

    /// Appends an error to `errors.jsonl`, with the line and id of a JSONL record if known.
    pub fn record_error(
        &mut self,
        path: &str,
        line: Option<u64>,
        id: Option<&str>,
        error: &str,
    ) -> anyhow::Result<()> {
        let line = ErrorLine {
            path,
            line,
            id,
            error,
        };
        serde_json::to_writer(&mut self.errors, &line)?;
        if let Some(review) = self.review.as_mut() {
            review.error(path, error);
        }
        self.errors.write_all(b"\n")?;
        Ok(())
    }

    /// Flushes the report files and returns their lengths: a point a resumed run can
    /// truncate back to (see `resume.rs`).
    pub fn checkpoint(&mut self) -> anyhow::Result<ReportOffsets> {
        let len = |w: &mut BufWriter<File>| -> anyhow::Result<u64> {
            w.flush()?;
            Ok(w.get_ref().metadata()?.len())
        };
        Ok(ReportOffsets {
            documents: len(&mut self.documents)?,
            edits: len(&mut self.edits)?,
            suspects: len(&mut self.suspects)?,
            errors: len(&mut self.errors)?,
        })
    }

    /// Reopens the report of an interrupted run, cut back to a checkpoint, to append to it.
    /// Diffs already written stay. With `html`, the review page's data is rebuilt from the
    /// report's files for the documents already done ([`crate::review::replay`]), so the page
    /// of the finished run covers them all; without, a page left there is removed.
    pub fn resume(dir: &Path, offsets: &ReportOffsets, html: bool) -> anyhow::Result<ReportWriter> {
        if !dir.join(MARKER).exists() {
            bail!("{} is not an unscrape report", dir.display());
        }
        let open = |name: &str, len: u64| -> anyhow::Result<BufWriter<File>> {
            let path = dir.join(name);
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .with_context(|| format!("cannot reopen {}", path.display()))?;
            file.set_len(len)
                .with_context(|| format!("cannot cut {} back", path.display()))?;
            let mut file = file;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0))?;
            Ok(BufWriter::new(file))
        };
        let report = ReportWriter {
            dir: dir.to_path_buf(),
            documents: open("documents.jsonl", offsets.documents)?,
            edits: open("edits.jsonl", offsets.edits)?,
            suspects: open("suspects.jsonl", offsets.suspects)?,
            errors: open("errors.jsonl", offsets.errors)?,
            review: None,
        };
        if !html {
            return report.without_html();
        }
        // Read back after the cut, before anything is appended.
        let review = crate::review::replay(dir).context("cannot rebuild the review page")?;
        Ok(ReportWriter {
            review: Some(review),
            ..report
        })
    }

    /// Writes `summary.json` and flushes everything.
    pub fn finish(mut self, summary: &Summary) -> anyhow::Result<()> {
        self.documents.flush()?;
        self.edits.flush()?;
        self.suspects.flush()?;
        self.errors.flush()?;
        let mut json = serde_json::to_string_pretty(summary)?;
        json.push('\n');
        std::fs::write(self.dir.join("summary.json"), json)
            .with_context(|| format!("cannot write {}", self.dir.join("summary.json").display()))?;
        if let Some(review) = self.review {
            review.finish(summary)?;
        }
        Ok(())
    }
}

/// The unified diff of a document, original against cleaned, with two lines of context.
pub fn unified_diff(id: &str, original: &str, cleaned: &str) -> String {
    // Lines split here (a memchr scan) rather than by `from_lines`, whose tokenizer was the
    // single largest cost of a run.
    let old: Vec<&str> = original.split_inclusive('\n').collect();
    let new: Vec<&str> = cleaned.split_inclusive('\n').collect();
    // The lines keep their '\n': say so, or the formatter adds another after each.
    similar::TextDiff::configure()
        .newline_terminated(true)
        .diff_slices(&old, &new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{id}"), &format!("b/{id}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unified_diff_has_one_newline_per_line() {
        let diff = unified_diff("d", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(diff, "--- a/d\n+++ b/d\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        let diff = unified_diff("d", "a\nb", "a\n");
        assert_eq!(
            diff,
            "--- a/d\n+++ b/d\n@@ -1,2 +1 @@\n a\n-b\n\\ No newline at end of file\n"
        );
    }
}
