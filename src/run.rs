//! A whole run: inputs in, cleaned files and a report out, on all cores.
//!
//! Files stream through in batches: each batch is cleaned in parallel (every worker reads,
//! cleans and writes its own documents), then handed in input order to a writer thread that
//! appends to the report while the next batch is being cleaned. Memory is bounded by the
//! batch size, never by the corpus, and the report is the same whatever `--jobs` is.

use std::collections::HashSet;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::corpus::CorpusStats;
use crate::document::Origin;
use crate::edit::StageName;
use crate::jsonl::{jsonl_compression, JsonlSettings, RecordOutcome, Stamp, StreamContext};
use crate::pipeline::{Cleaner, StageSet};
use crate::report::{DocumentReport, ReportWriter, Summary, SurveySummary};
use crate::resume::{Checkpoint, Progress, RunKey};
use crate::rules::{RuleError, RuleSet};
use crate::shard::Shard;
use crate::sink::{write_atomic, write_plain};
use crate::source::{is_html_name, output_relative, read_document, Entry, Input, InputFile, Walk};
use crate::stages::decode::decode;

/// Default cap on one input file's size: larger files are reported and skipped.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Everything a `clean` run needs, resolved from the command line.
#[derive(Clone, Debug)]
pub struct Config {
    /// Files, directories, or `-` for standard input.
    pub inputs: Vec<Input>,
    /// Where cleaned files go (required unless the only input is `-`).
    pub out: Option<PathBuf>,
    /// Where the report goes; see [`Config::report_dir`] for the default.
    pub report: Option<PathBuf>,
    /// Extra rule folders, merged over the embedded defaults in order.
    pub rules_dirs: Vec<PathBuf>,
    /// The stages that run.
    pub stages: StageSet,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// No progress bar and no summary on stderr.
    pub quiet: bool,
    /// Files larger than this are reported and skipped; for JSONL, the cap on one record
    /// (one line, decompressed).
    pub max_file_size: u64,
    /// How documents are grouped into sites for learned boilerplate.
    pub group_by: GroupBy,
    /// What standard input holds (`--format`); files are told apart by their names.
    pub format: InputFormat,
    /// Field names of JSONL records.
    pub jsonl: JsonlSettings,
    /// Clean only this share of the input files (`--shard i/N`).
    pub shard: Option<Shard>,
    /// Finish an interrupted run in the same `--out` and report folders (`--resume`).
    pub resume: bool,
    /// Write the review page (`index.html`) into the report (`--no-html` switches it off).
    pub html: bool,
    /// Corpus statistics to use instead of a survey (`--stats-from`).
    pub stats_from: Option<PathBuf>,
    /// The group of standard input's documents (`--group`).
    pub group: Option<String>,
}

/// What standard input holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InputFormat {
    /// One text document.
    #[default]
    Text,
    /// JSONL records (plain, gzip or zstd, told by the first bytes).
    Jsonl,
}

/// How documents are grouped into sites, whose repeated lines are learned as boilerplate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// The file's folder relative to its input root (`site/a.txt` → `site`; a file at the
    /// root: the name of the folder it is in).
    #[default]
    Dir,
    /// The host of the document's URL (JSONL metadata `url`); documents without one (plain
    /// files) are grouped by folder.
    Host,
    /// One group for the whole corpus.
    None,
}

impl GroupBy {
    /// The group of a file read from disk (see [`crate::Document::group`]). Readers that know
    /// a document's URL set the group themselves for [`GroupBy::Host`].
    pub fn group_of(self, file: &InputFile) -> String {
        match self {
            GroupBy::None => "all".to_owned(),
            GroupBy::Dir | GroupBy::Host => {
                let parent = file.relative.parent().filter(|p| !p.as_os_str().is_empty());
                match parent {
                    Some(p) => p
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                    None => file
                        .path
                        .parent()
                        .and_then(|p| std::path::absolute(p).ok())
                        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .unwrap_or_else(|| ".".to_owned()),
                }
            }
        }
    }

    /// The group of a JSONL record of a file whose own group is `file_group`: for
    /// [`GroupBy::Host`] the host of the record's `url` (a top-level field, else
    /// `metadata.url`), when it has one; otherwise the file's group.
    pub fn record_group(self, file_group: &str, url: Option<&str>) -> String {
        match (self, url.and_then(host_of)) {
            (GroupBy::Host, Some(host)) => host,
            _ => file_group.to_owned(),
        }
    }
}

/// The host of an absolute URL, lower-cased, without a `www.` prefix, port or credentials
/// (`https://www.Example.com:8080/a` → `example.com`); `None` when there is none.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, rest)| rest)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]"))?
    } else {
        host.split(':').next()?.to_owned()
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

impl Config {
    /// The report folder: `--report`, else `<OUT>.report` beside the output folder (never
    /// inside it, so report files never mix with cleaned files). Standard-input runs without
    /// `--report` write no report.
    pub fn report_dir(&self) -> Option<PathBuf> {
        if let Some(report) = &self.report {
            return Some(report.clone());
        }
        let out = self.out.as_ref()?;
        let absolute = std::path::absolute(out).unwrap_or_else(|_| out.clone());
        let name = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "unscrape".to_owned());
        Some(absolute.with_file_name(format!("{name}.report")))
    }
}

/// Why a run could not start or could not finish.
#[derive(Debug)]
pub enum RunError {
    /// The command line does not make sense (exit 2, before any work).
    Usage(String),
    /// A rule file is invalid (exit 2, before any work).
    Rules(RuleError),
    /// Something failed that stops the whole run, such as the output folder (exit 2).
    Fatal(anyhow::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Usage(msg) => write!(f, "{msg}"),
            RunError::Rules(err) => write!(f, "invalid rules: {err}"),
            RunError::Fatal(err) => write!(f, "{err:#}"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<RuleError> for RunError {
    fn from(err: RuleError) -> RunError {
        RunError::Rules(err)
    }
}

/// What a finished run reports back.
#[derive(Debug)]
pub struct Outcome {
    /// The run's summary (also in `summary.json`).
    pub summary: Summary,
    /// The report folder, if one was written.
    pub report_dir: Option<PathBuf>,
}

/// Runs `unscrape clean`.
pub fn run(config: &Config) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let rules = RuleSet::load(&config.rules_dirs)?;
    // Built before any work so that invalid rule settings stop the run with exit 2.
    let mut cleaner = Cleaner::new(&rules, config.stages, Arc::new(CorpusStats::default()))?;
    let stages: Vec<&'static str> = StageName::ALL
        .into_iter()
        .filter(|s| config.stages.contains(*s))
        .map(StageName::as_str)
        .collect();
    let mut summary = Summary::new(rules.digest(), stages.clone());
    // Statistics from `unscrape learn` replace the survey (and give standard input one).
    let learned_stats = match &config.stats_from {
        Some(path) => {
            let file =
                crate::stats::load_for_run(path, config.group_by).map_err(RunError::Usage)?;
            summary.survey = Some(survey_summary(&file.stats));
            cleaner.set_stats(Arc::new(file.stats));
            Some(file.digest)
        }
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .map_err(|e| RunError::Fatal(e.into()))?;

    if config.inputs == [Input::Stdin] {
        if config.shard.is_some() || config.resume {
            return Err(RunError::Usage(
                "--shard and --resume work on files, not on '-' (standard input)".to_owned(),
            ));
        }
        let group = crate::stats::stdin_group(config.group.as_deref(), config.group_by);
        if config.format == InputFormat::Jsonl {
            let stamp = Stamp::new(rules.digest());
            return pool
                .install(|| run_stdin_jsonl(config, &cleaner, &stamp, &group, summary, started));
        }
        return run_stdin(config, &cleaner, &group, summary, started);
    }
    if config.inputs.contains(&Input::Stdin) {
        return Err(RunError::Usage(
            "'-' (standard input) cannot be mixed with other inputs".to_owned(),
        ));
    }
    let out = config.out.clone().ok_or_else(|| {
        RunError::Usage("--out <DIR> is required (only '-' writes to standard output)".to_owned())
    })?;
    let inputs: Vec<PathBuf> = config
        .inputs
        .iter()
        .filter_map(|i| match i {
            Input::Path(p) => Some(p.clone()),
            Input::Stdin => None,
        })
        .collect();
    let report_dir = config.report_dir().expect("--out is set");
    let excluded = check_paths(&inputs, &out, &report_dir)?;
    std::fs::create_dir_all(&out)
        .with_context(|| format!("cannot create output folder {}", out.display()))
        .map_err(RunError::Fatal)?;
    let key = RunKey {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        rules_digest: rules.digest().to_owned(),
        stages: stages.iter().map(|s| s.to_string()).collect(),
        inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
        shard: config.shard.map(|s| s.to_string()),
        text_field: config.jsonl.text_field.clone(),
        id_field: config.jsonl.id_field.clone(),
        html_field: config.jsonl.html_field.clone(),
        max_file_size: config.max_file_size,
        stats: learned_stats.clone(),
    };
    let shard = config.shard;
    let walk = || {
        Walk::new(inputs.clone(), excluded.clone())
            .filter(move |e| shard.is_none_or(|s| s.keeps_entry(e)))
    };
    let resume = if config.resume {
        crate::resume::load(&report_dir, &key).map_err(RunError::Usage)?
    } else {
        None
    };
    let (report, checkpoints, skip) = match resume {
        Some(resume) => {
            let cp = resume.checkpoint;
            // The walk must still yield the entries the checkpoint counts.
            let last = cp
                .entries
                .checked_sub(1)
                .and_then(|n| walk().nth(n as usize))
                .map(|e| entry_key(&e));
            if cp.entries > 0 && last.as_deref() != Some(cp.last.as_str()) {
                return Err(RunError::Usage(format!(
                    "the inputs changed since the interrupted run (entry {} was {}, is now {}); \
                     rerun without --resume",
                    cp.entries,
                    cp.last,
                    last.unwrap_or_else(|| "missing".to_owned())
                )));
            }
            summary
                .restore_counts(&cp.summary)
                .map_err(RunError::Fatal)?;
            crate::sink::remove_stale_temps(&out);
            crate::sink::remove_stale_temps(&report_dir);
            // The review page's data for the documents done is rebuilt from the report.
            let report = ReportWriter::resume(&report_dir, &cp.report, config.html)
                .map_err(RunError::Fatal)?;
            let progress = Progress::reopen(&report_dir, resume.valid_len)
                .context("cannot reopen the progress file")
                .map_err(RunError::Fatal)?;
            (report, progress, cp.entries)
        }
        None => {
            let report = open_report(&report_dir, config.html).map_err(RunError::Fatal)?;
            let progress = Progress::start(&report_dir, &key)
                .context("cannot write the progress file")
                .map_err(RunError::Fatal)?;
            (report, progress, 0)
        }
    };

    let progress = progress_bar(config, walk());
    let parts = SurveyParts {
        tokens: config.stages.contains(StageName::Glue),
        lines: cleaner.learns_lines().then_some(config.group_by),
    };
    if learned_stats.is_none() && (parts.tokens || parts.lines.is_some()) {
        progress.set_message("surveying the corpus");
        let stats = pool.install(|| {
            survey(
                &cleaner,
                walk(),
                config.max_file_size,
                &config.jsonl,
                &progress,
                parts,
            )
        });
        progress.set_position(0);
        summary.survey = Some(survey_summary(&stats));
        cleaner.set_stats(Arc::new(stats));
    }
    let stamp = Stamp::new(rules.digest());
    let pass = FilePass {
        check_duplicates: inputs.len() > 1,
        cleaner: &cleaner,
        out: &out,
        report_dir: &report_dir,
        max_file_size: config.max_file_size,
        jsonl: &config.jsonl,
        stamp: &stamp,
        skip,
        group_by: config.group_by,
    };
    let summary = pool.install(|| {
        clean_files(
            walk(),
            &pass,
            report,
            checkpoints,
            summary,
            &progress,
            started,
        )
    })?;
    progress.finish_and_clear();
    Ok(Outcome {
        summary,
        report_dir: Some(report_dir),
    })
}

/// What the report says about the corpus statistics in use.
fn survey_summary(stats: &CorpusStats) -> SurveySummary {
    SurveySummary {
        documents: stats.documents,
        entries: stats.entries() as u64,
        groups: stats.lines().groups().count() as u64,
        line_entries: stats.lines().entries() as u64,
    }
}

/// The report writer, with or without the review page.
fn open_report(dir: &Path, html: bool) -> anyhow::Result<ReportWriter> {
    let report = ReportWriter::create(dir)?;
    if html {
        Ok(report)
    } else {
        report.without_html()
    }
}

/// Refuses output locations that would overwrite inputs, and returns the folders (canonical)
/// the walk must not enter because the run writes there.
fn check_paths(inputs: &[PathBuf], out: &Path, report: &Path) -> Result<Vec<PathBuf>, RunError> {
    let canonical = |p: &Path| -> PathBuf {
        // A folder that does not exist yet cannot contain anything; its absolute form will do.
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let out_c = canonical(out);
    let report_c = canonical(report);
    if out_c.starts_with(&report_c) || report_c.starts_with(&out_c) {
        return Err(RunError::Usage(format!(
            "--report {} and --out {} must not be the same folder or inside each other",
            report.display(),
            out.display()
        )));
    }
    for input in inputs {
        let Ok(input_c) = std::fs::canonicalize(input) else {
            continue; // reported as an input error by the walk
        };
        let written_dir = if input_c.is_dir() {
            input_c.clone()
        } else {
            input_c.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        for (flag, target) in [("--out", &out_c), ("--report", &report_c)] {
            let overwrites = if input_c.is_dir() {
                input_c.starts_with(target)
            } else {
                *target == written_dir
            };
            if overwrites {
                return Err(RunError::Usage(format!(
                    "{flag} {} would write over the input {}; choose a folder outside it",
                    target.display(),
                    input.display()
                )));
            }
        }
    }
    Ok(vec![out_c, report_c])
}

fn run_stdin(
    config: &Config,
    cleaner: &Cleaner,
    group: &str,
    mut summary: Summary,
    started: Instant,
) -> Result<Outcome, RunError> {
    let report = match &config.report {
        Some(dir) => Some(open_report(dir, config.html).map_err(RunError::Fatal)?),
        None => None,
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(config.max_file_size + 1)
        .read_to_end(&mut bytes)
        .context("cannot read standard input")
        .map_err(RunError::Fatal)?;
    let result = if bytes.len() as u64 > config.max_file_size {
        Err(format!(
            "input is over the size cap of {} bytes (--max-file-size)",
            config.max_file_size
        ))
    } else {
        crate::source::check_not_binary(&bytes).map(|()| bytes)
    };
    let mut report = report;
    match result {
        Err(message) => {
            summary.errors += 1;
            eprintln!("unscrape: <stdin>: {message}");
            if let Some(report) = report.as_mut() {
                report.error("<stdin>", &message).map_err(RunError::Fatal)?;
            }
        }
        Ok(bytes) => {
            let cleaned = cleaner.clean_bytes_in_group("stdin", group, Origin::Stdin, bytes);
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(cleaned.doc.text.as_bytes())
                .and_then(|()| stdout.flush())
                .context("cannot write standard output")
                .map_err(RunError::Fatal)?;
            let (doc, diff) = DocumentReport::new(cleaned, PathBuf::from("stdin"));
            if let Some(report) = report.as_mut() {
                if let Some(diff) = diff {
                    write_atomic(
                        &ReportWriter::diff_path(report.dir(), &doc.relative),
                        diff.as_bytes(),
                    )
                    .context("cannot write the diff")
                    .map_err(RunError::Fatal)?;
                }
                report.document(&doc).map_err(RunError::Fatal)?;
            }
            summary.add_document(&doc);
        }
    }
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    let report_dir = config.report.clone();
    if let Some(report) = report {
        report.finish(&summary).map_err(RunError::Fatal)?;
    }
    Ok(Outcome {
        summary,
        report_dir,
    })
}

/// What the survey pass counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurveyParts {
    /// Tokens and bigrams (for the glue stage).
    pub tokens: bool,
    /// Lines per group, grouped so (for learned boilerplate).
    pub lines: Option<GroupBy>,
}

/// `--format jsonl -`: JSONL records from standard input to standard output, streaming
/// (memory bounded by a few batches), in order. There is no survey: the whole input is never
/// seen before the first record is written, so the glue stage works from each document and
/// its word list alone, as in text mode on standard input — unless `--stats-from` gives it the
/// statistics of the corpus.
fn run_stdin_jsonl(
    config: &Config,
    cleaner: &Cleaner,
    stamp: &Stamp,
    group: &str,
    mut summary: Summary,
    started: Instant,
) -> Result<Outcome, RunError> {
    let mut report = match &config.report {
        Some(dir) => Some(ReportWriter::create(dir).map_err(RunError::Fatal)?),
        None => None,
    };
    // Compression is told by the first bytes; they are read here and put back in front.
    let mut stdin = std::io::stdin();
    let mut head = Vec::with_capacity(4);
    (&mut stdin)
        .take(4)
        .read_to_end(&mut head)
        .context("cannot read standard input")
        .map_err(RunError::Fatal)?;
    let compression = crate::jsonl::sniff_compression(&head);
    let input = crate::jsonl::decompress(
        Box::new(std::io::Cursor::new(head).chain(stdin)),
        compression,
    )
    .context("cannot read standard input")
    .map_err(RunError::Fatal)?;
    let mut stdout = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
    let mut diffs = config.report.as_ref().map(|dir| {
        crate::sink::LazyAtomicFile::new(ReportWriter::diff_path(dir, Path::new("stdin")))
    });
    let mut no_diffs = std::io::sink();
    let diff_sink: &mut (dyn Write + Send) = match diffs.as_mut() {
        Some(d) => d,
        None => &mut no_diffs,
    };
    let ctx = StreamContext {
        cleaner,
        settings: &config.jsonl,
        stamp,
        file: "stdin".to_owned(),
        max_record: config.max_file_size,
        group_by: config.group_by,
        file_group: group.to_owned(),
    };
    let hidden = ProgressBar::hidden();
    let mut failure: Option<anyhow::Error> = None;
    let result = crate::jsonl::clean_stream(input, &mut stdout, diff_sink, &ctx, &mut |outcomes| {
        for outcome in outcomes {
            let Some(outcome) = DocOutcome::from_record(outcome, "<stdin>") else {
                continue;
            };
            if let Err(err) = absorb(report.as_mut(), &mut summary, outcome, &hidden) {
                failure = Some(err);
                return false;
            }
        }
        true
    });
    result
        .context("cannot write standard output")
        .map_err(RunError::Fatal)?;
    if let Some(err) = failure {
        return Err(RunError::Fatal(err));
    }
    if let Some(diffs) = diffs {
        diffs
            .commit()
            .context("cannot write the diff")
            .map_err(RunError::Fatal)?;
    }
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    if let Some(report) = report {
        report.finish(&summary).map_err(RunError::Fatal)?;
    }
    Ok(Outcome {
        summary,
        report_dir: config.report.clone(),
    })
}

/// The survey pass: reads every input once, in parallel batches, and counts what the stages
/// need to know about the whole corpus. Inputs it cannot read are skipped here; the cleaning
/// pass reports them.
pub fn survey(
    cleaner: &Cleaner,
    walk: impl Iterator<Item = Entry>,
    max_file_size: u64,
    jsonl: &JsonlSettings,
    progress: &ProgressBar,
    parts: SurveyParts,
) -> CorpusStats {
    let mut stats = CorpusStats::default();
    let mut batch: Vec<InputFile> = Vec::new();
    let mut batch_bytes = 0;
    let flush = |batch: &mut Vec<InputFile>, stats: &mut CorpusStats| {
        let part = std::mem::take(batch)
            .into_par_iter()
            .fold(CorpusStats::default, |mut part, file| {
                if let Ok(bytes) = read_document(&file.path, max_file_size) {
                    progress.inc(bytes.len() as u64);
                    // HTML pages are counted as their main text, as the stages will see them.
                    let text = if is_html_name(&file.path) {
                        cleaner.html_main_text(bytes)
                    } else {
                        decode(bytes).text
                    };
                    if parts.tokens {
                        part.add_document(&text);
                    } else {
                        part.documents += 1;
                    }
                    if let Some(by) = parts.lines {
                        part.add_lines(&by.group_of(&file), &text);
                    }
                }
                part
            })
            .reduce(CorpusStats::default, |mut a, b| {
                a.merge(b);
                a
            });
        stats.merge(part);
        // Between batches only, so what is forgotten does not depend on --jobs.
        stats.end_batch();
    };
    for entry in walk {
        if let Entry::File(file) = entry {
            if jsonl_compression(&file.path).is_some() {
                // A JSONL file is surveyed record by record, in parallel batches of its own.
                flush(&mut batch, &mut stats);
                batch_bytes = 0;
                let file_group = parts.lines.map(|by| by.group_of(&file));
                crate::jsonl::survey_file(
                    &file.path,
                    jsonl,
                    max_file_size,
                    parts,
                    file_group.as_deref(),
                    &mut stats,
                );
                // The bar counts file sizes (compressed), not the bytes decompressed.
                progress.inc(std::fs::metadata(&file.path).map_or(0, |m| m.len()));
                continue;
            }
            batch_bytes += std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
            batch.push(file);
            if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                flush(&mut batch, &mut stats);
            }
        }
    }
    flush(&mut batch, &mut stats);
    stats
}

/// One input's fate, handed from the workers to the report writer.
enum DocOutcome {
    Cleaned(Box<DocumentReport>),
    Failed {
        path: String,
        /// For a JSONL record: its line and id.
        line: Option<u64>,
        id: Option<String>,
        message: String,
    },
    Skipped,
    /// The walk's first `entries` entries are finished (outputs renamed into place): the
    /// writer records a checkpoint once their report lines are written. `bytes` moves the
    /// progress bar for a JSONL file (text files move it document by document).
    Done {
        entries: u64,
        last: String,
        bytes: u64,
    },
}

impl DocOutcome {
    fn failed(path: String, message: String) -> DocOutcome {
        DocOutcome::Failed {
            path,
            line: None,
            id: None,
            message,
        }
    }

    /// A JSONL record's outcome as the report writer takes it (blank lines need nothing).
    fn from_record(outcome: RecordOutcome, path: &str) -> Option<DocOutcome> {
        match outcome {
            RecordOutcome::Cleaned { report, .. } => Some(DocOutcome::Cleaned(report)),
            RecordOutcome::Failed { line, id, message } => Some(DocOutcome::Failed {
                path: path.to_owned(),
                line: Some(line),
                id,
                message,
            }),
            RecordOutcome::Blank => None,
        }
    }
}

/// Takes one outcome into the report and the summary.
fn absorb(
    report: Option<&mut ReportWriter>,
    summary: &mut Summary,
    outcome: DocOutcome,
    progress: &ProgressBar,
) -> anyhow::Result<()> {
    match outcome {
        DocOutcome::Cleaned(doc) => {
            if let Some(report) = report {
                report.document(&doc)?;
            }
            summary.add_document(&doc);
            if doc.record.is_none() {
                progress.inc(doc.bytes_in);
            }
        }
        DocOutcome::Failed {
            path,
            line,
            id,
            message,
        } => {
            let at = line.map(|l| format!(":{l}")).unwrap_or_default();
            progress.suspend(|| eprintln!("unscrape: {path}{at}: {message}"));
            if let Some(report) = report {
                report.record_error(&path, line, id.as_deref(), &message)?;
            }
            summary.errors += 1;
        }
        DocOutcome::Skipped => summary.skipped_files += 1,
        DocOutcome::Done { bytes, .. } => progress.inc(bytes),
    }
    Ok(())
}

/// What names a walk entry in a checkpoint.
fn entry_key(entry: &Entry) -> String {
    match entry {
        Entry::File(file) => file.path.display().to_string(),
        Entry::Error(err) => err.path.clone(),
        Entry::Skipped(path) => path.display().to_string(),
    }
}

/// The settings of the cleaning pass over files.
struct FilePass<'a> {
    check_duplicates: bool,
    cleaner: &'a Cleaner,
    out: &'a Path,
    report_dir: &'a Path,
    max_file_size: u64,
    jsonl: &'a JsonlSettings,
    stamp: &'a Stamp,
    /// Walk entries a resumed run skips (finished before the interruption).
    skip: u64,
    /// How documents are grouped into sites (learned boilerplate).
    group_by: GroupBy,
}

/// How many documents one batch holds at most, and how many bytes (checked by file size).
const BATCH_DOCS: usize = 512;
const BATCH_BYTES: u64 = 64 * 1024 * 1024;

fn clean_files(
    walk: impl Iterator<Item = Entry>,
    pass: &FilePass,
    mut report: ReportWriter,
    mut checkpoints: Progress,
    mut summary: Summary,
    progress: &ProgressBar,
    started: Instant,
) -> Result<Summary, RunError> {
    let (sender, receiver) = mpsc::sync_channel::<Vec<DocOutcome>>(1);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> anyhow::Result<Summary> {
            for batch in receiver {
                let mut done = None;
                for outcome in batch {
                    if let DocOutcome::Done { entries, last, .. } = &outcome {
                        done = Some((*entries, last.clone()));
                    }
                    absorb(Some(&mut report), &mut summary, outcome, progress)?;
                }
                if let Some((entries, last)) = done {
                    let checkpoint = Checkpoint {
                        entries,
                        last,
                        report: report.checkpoint()?,
                        summary: serde_json::to_value(&summary)?,
                    };
                    checkpoints
                        .checkpoint(&checkpoint)
                        .context("cannot write the progress file")?;
                }
                progress.set_message(format!("{} docs", summary.documents));
            }
            summary.elapsed_seconds = started.elapsed().as_secs_f64();
            report.finish(&summary)?;
            Ok(summary)
        });

        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut batch: Vec<Entry> = Vec::new();
        let mut batch_bytes = 0;
        // The walk index and key of the last entry in `batch`, for its checkpoint.
        let mut batch_end: Option<(u64, String)> = None;
        let send = |batch: &mut Vec<Entry>, end: &mut Option<(u64, String)>| -> bool {
            if batch.is_empty() {
                return true;
            }
            let mut outcomes: Vec<DocOutcome> = std::mem::take(batch)
                .into_par_iter()
                .map(|entry| process(entry, pass))
                .collect();
            if let Some((entries, last)) = end.take() {
                outcomes.push(DocOutcome::Done {
                    entries,
                    last,
                    bytes: 0,
                });
            }
            sender.send(outcomes).is_ok()
        };
        for (index, mut entry) in walk.enumerate() {
            let index = index as u64;
            if let Entry::File(file) = &entry {
                // An HTML page's output (page.txt) may clash with a text file beside it, even
                // in a single walk; HTML targets are remembered for that.
                let target = output_relative(&file.relative);
                let clash = if pass.check_duplicates || is_html_name(&file.relative) {
                    !seen.insert(target.clone())
                } else {
                    seen.contains(&target)
                };
                if clash {
                    entry = Entry::Error(crate::source::InputError {
                        path: file.path.display().to_string(),
                        message: format!(
                            "another input already wrote {}; not cleaned (give inputs whose relative paths differ)",
                            pass.out.join(&target).display()
                        ),
                    });
                } else if index >= pass.skip && jsonl_compression(&file.path).is_some() {
                    // A JSONL file streams on its own, after the text files before it.
                    if !send(&mut batch, &mut batch_end) {
                        break;
                    }
                    batch_bytes = 0;
                    let key = entry_key(&entry);
                    let Entry::File(file) = entry else {
                        unreachable!()
                    };
                    if !clean_jsonl(&file, pass, &sender, index + 1, key) {
                        break;
                    }
                    continue;
                } else {
                    batch_bytes += std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
                }
            }
            if index < pass.skip {
                continue; // finished before the interruption (duplicates still noted above)
            }
            batch_end = Some((index + 1, entry_key(&entry)));
            batch.push(entry);
            if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                if !send(&mut batch, &mut batch_end) {
                    break;
                }
            }
        }
        send(&mut batch, &mut batch_end);
        drop(sender);
        writer
            .join()
            .expect("report writer thread panicked")
            .map_err(RunError::Fatal)
    })
}

/// Cleans one JSONL file, sending its record outcomes to the report writer in order and a
/// checkpoint after it. Returns false when the writer has stopped.
fn clean_jsonl(
    file: &InputFile,
    pass: &FilePass,
    sender: &mpsc::SyncSender<Vec<DocOutcome>>,
    entries: u64,
    key: String,
) -> bool {
    let path = file.path.display().to_string();
    let ctx = StreamContext {
        cleaner: pass.cleaner,
        settings: pass.jsonl,
        stamp: pass.stamp,
        file: file.id.clone(),
        max_record: pass.max_file_size,
        group_by: pass.group_by,
        file_group: pass.group_by.group_of(file),
    };
    let mut alive = true;
    let result = crate::jsonl::clean_file(
        &file.path,
        &file.relative,
        pass.out,
        pass.report_dir,
        &ctx,
        &mut |outcomes| {
            let batch: Vec<DocOutcome> = outcomes
                .into_iter()
                .filter_map(|o| DocOutcome::from_record(o, &path))
                .collect();
            alive = sender.send(batch).is_ok();
            alive
        },
    );
    let mut last = Vec::with_capacity(2);
    if let Err(message) = result {
        last.push(DocOutcome::failed(path, message));
    }
    let bytes = std::fs::metadata(&file.path).map_or(0, |m| m.len());
    last.push(DocOutcome::Done {
        entries,
        last: key,
        bytes,
    });
    alive && sender.send(last).is_ok()
}

fn process(entry: Entry, pass: &FilePass) -> DocOutcome {
    let file: InputFile = match entry {
        Entry::File(file) => file,
        Entry::Error(err) => return DocOutcome::failed(err.path, err.message),
        Entry::Skipped(_) => return DocOutcome::Skipped,
    };
    let failed = |message: String| DocOutcome::failed(file.path.display().to_string(), message);
    let bytes = match read_document(&file.path, pass.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => return failed(message),
    };
    let group = pass.group_by.group_of(&file);
    let origin = Origin::File(file.path.clone());
    let (cleaned, relative) = if is_html_name(&file.path) {
        let cleaned = pass
            .cleaner
            .clean_html_in_group(&file.id, &group, origin, bytes);
        (cleaned, output_relative(&file.relative))
    } else {
        let cleaned = pass
            .cleaner
            .clean_bytes_in_group(&file.id, &group, origin, bytes);
        (cleaned, file.relative)
    };
    let target = pass.out.join(&relative);
    if let Err(err) = write_atomic(&target, cleaned.doc.text.as_bytes()) {
        return failed(format!("cannot write {}: {err}", target.display()));
    }
    let (report, diff) = DocumentReport::new(cleaned, relative);
    if let Some(diff) = diff {
        let path = ReportWriter::diff_path(pass.report_dir, &report.relative);
        if let Err(err) = write_plain(&path, diff.as_bytes()) {
            return failed(format!("cannot write {}: {err}", path.display()));
        }
    }
    DocOutcome::Cleaned(Box::new(report))
}

/// A progress bar on stderr when it is a terminal (and not `--quiet`); hidden otherwise. Its
/// length comes from a quick pre-walk that only reads file sizes.
fn progress_bar(config: &Config, walk: impl Iterator<Item = Entry>) -> ProgressBar {
    if config.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = walk
        .filter_map(|e| match e {
            Entry::File(f) => std::fs::metadata(&f.path).ok().map(|m| m.len()),
            _ => None,
        })
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
