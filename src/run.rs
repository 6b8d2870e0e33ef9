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
use crate::pipeline::{Cleaner, StageSet};
use crate::report::{DocumentReport, ReportWriter, Summary, SurveySummary};
use crate::rules::{RuleError, RuleSet};
use crate::sink::{write_atomic, write_plain};
use crate::source::{read_document, Entry, Input, InputFile, Walk};
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
    /// Files larger than this are reported and skipped.
    pub max_file_size: u64,
    /// Write the review page (`index.html`) into the report (`--no-html` switches it off).
    pub html: bool,
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
    let mut summary = Summary::new(rules.digest(), stages);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .map_err(|e| RunError::Fatal(e.into()))?;

    if config.inputs == [Input::Stdin] {
        return run_stdin(config, &cleaner, summary, started);
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
    let report = open_report(&report_dir, config.html).map_err(RunError::Fatal)?;

    let progress = progress_bar(config, &inputs, &excluded);
    if config.stages.contains(StageName::Glue) {
        progress.set_message("surveying the corpus");
        let stats = pool.install(|| {
            survey(
                Walk::new(inputs.clone(), excluded.clone()),
                config.max_file_size,
                &progress,
            )
        });
        progress.set_position(0);
        summary.survey = Some(SurveySummary {
            documents: stats.documents,
            entries: stats.entries() as u64,
        });
        cleaner.set_stats(Arc::new(stats));
    }
    let walk = Walk::new(inputs.clone(), excluded);
    let summary = pool.install(|| {
        clean_files(
            walk,
            inputs.len() > 1,
            &cleaner,
            &out,
            &report_dir,
            config.max_file_size,
            report,
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
            let cleaned = cleaner.clean_bytes("stdin", Origin::Stdin, bytes);
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

/// The survey pass: reads every input once, in parallel batches, and counts what the stages
/// need to know about the whole corpus. Inputs it cannot read are skipped here; the cleaning
/// pass reports them.
fn survey(walk: Walk, max_file_size: u64, progress: &ProgressBar) -> CorpusStats {
    let mut stats = CorpusStats::default();
    let mut batch: Vec<InputFile> = Vec::new();
    let mut batch_bytes = 0;
    let flush = |batch: &mut Vec<InputFile>, stats: &mut CorpusStats| {
        let part = std::mem::take(batch)
            .into_par_iter()
            .fold(CorpusStats::default, |mut part, file| {
                if let Ok(bytes) = read_document(&file.path, max_file_size) {
                    progress.inc(bytes.len() as u64);
                    part.add_document(&decode(bytes).text);
                }
                part
            })
            .reduce(CorpusStats::default, |mut a, b| {
                a.merge(b);
                a
            });
        stats.merge(part);
    };
    for entry in walk {
        if let Entry::File(file) = entry {
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
    Cleaned(DocumentReport),
    Failed { path: String, message: String },
    Skipped,
}

/// How many documents one batch holds at most, and how many bytes (checked by file size).
const BATCH_DOCS: usize = 512;
const BATCH_BYTES: u64 = 64 * 1024 * 1024;

#[allow(clippy::too_many_arguments)]
fn clean_files(
    walk: Walk,
    check_duplicates: bool,
    cleaner: &Cleaner,
    out: &Path,
    report_dir: &Path,
    max_file_size: u64,
    mut report: ReportWriter,
    mut summary: Summary,
    progress: &ProgressBar,
    started: Instant,
) -> Result<Summary, RunError> {
    let (sender, receiver) = mpsc::sync_channel::<Vec<DocOutcome>>(1);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> anyhow::Result<Summary> {
            for batch in receiver {
                for outcome in batch {
                    match outcome {
                        DocOutcome::Cleaned(doc) => {
                            report.document(&doc)?;
                            summary.add_document(&doc);
                            progress.inc(doc.bytes_in);
                        }
                        DocOutcome::Failed { path, message } => {
                            progress.suspend(|| eprintln!("unscrape: {path}: {message}"));
                            report.error(&path, &message)?;
                            summary.errors += 1;
                        }
                        DocOutcome::Skipped => summary.skipped_files += 1,
                    }
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
        let send = |batch: &mut Vec<Entry>| -> bool {
            let outcomes: Vec<DocOutcome> = std::mem::take(batch)
                .into_par_iter()
                .map(|entry| process(entry, cleaner, out, report_dir, max_file_size))
                .collect();
            sender.send(outcomes).is_ok()
        };
        for mut entry in walk {
            if let Entry::File(file) = &entry {
                if check_duplicates && !seen.insert(file.relative.clone()) {
                    entry = Entry::Error(crate::source::InputError {
                        path: file.path.display().to_string(),
                        message: format!(
                            "another input already wrote {}; not cleaned (give inputs whose relative paths differ)",
                            out.join(&file.relative).display()
                        ),
                    });
                } else {
                    batch_bytes += std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
                }
            }
            batch.push(entry);
            if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                if !send(&mut batch) {
                    break;
                }
            }
        }
        if !batch.is_empty() {
            send(&mut batch);
        }
        drop(sender);
        writer
            .join()
            .expect("report writer thread panicked")
            .map_err(RunError::Fatal)
    })
}

fn process(
    entry: Entry,
    cleaner: &Cleaner,
    out: &Path,
    report_dir: &Path,
    max_file_size: u64,
) -> DocOutcome {
    let file: InputFile = match entry {
        Entry::File(file) => file,
        Entry::Error(err) => {
            return DocOutcome::Failed {
                path: err.path,
                message: err.message,
            }
        }
        Entry::Skipped(_) => return DocOutcome::Skipped,
    };
    let failed = |message: String| DocOutcome::Failed {
        path: file.path.display().to_string(),
        message,
    };
    let bytes = match read_document(&file.path, max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => return failed(message),
    };
    let cleaned = cleaner.clean_bytes(&file.id, Origin::File(file.path.clone()), bytes);
    let target = out.join(&file.relative);
    if let Err(err) = write_atomic(&target, cleaned.doc.text.as_bytes()) {
        return failed(format!("cannot write {}: {err}", target.display()));
    }
    let (report, diff) = DocumentReport::new(cleaned, file.relative);
    if let Some(diff) = diff {
        let path = ReportWriter::diff_path(report_dir, &report.relative);
        if let Err(err) = write_plain(&path, diff.as_bytes()) {
            return failed(format!("cannot write {}: {err}", path.display()));
        }
    }
    DocOutcome::Cleaned(report)
}

/// A progress bar on stderr when it is a terminal (and not `--quiet`); hidden otherwise. Its
/// length comes from a quick pre-walk that only reads file sizes.
fn progress_bar(config: &Config, inputs: &[PathBuf], excluded: &[PathBuf]) -> ProgressBar {
    if config.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total: u64 = Walk::new(inputs.to_vec(), excluded.to_vec())
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
