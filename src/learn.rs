//! `unscrape learn`: the survey pass alone, written out as rule files a human can review, edit
//! and commit, so that cleaning is reproducible across runs and corpora.
//!
//! A first pass counts each group's lines ([`crate::corpus::LineStats`]); a second pass reads
//! the documents again as `clean` would see them (decoded, repaired, normalized) and asks the
//! learned-boilerplate step what it would do with each frequent line, to keep one spelling of
//! the line and a sample document. Each group becomes `<group>.toml` with a `learned.<group>.v1`
//! rule (`mask_digits`, `group`), which `clean --rules <DIR>` uses as an ordinary rule.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::corpus::{group_seed, line_fingerprint, CorpusStats};
use crate::document::Origin;
use crate::edit::StageName;
use crate::pipeline::{Cleaner, StageSet};
use crate::rules::RuleSet;
use crate::run::{survey, GroupBy, RunError, SurveyParts};
use crate::source::{read_document, Entry, InputFile, Walk};
use crate::stages::learned::{rule_id, Learned, Placement};

/// Everything `unscrape learn` needs, resolved from the command line.
#[derive(Clone, Debug)]
pub struct LearnConfig {
    /// Files and folders to learn from.
    pub inputs: Vec<PathBuf>,
    /// Where the rule files go (`None`: only statistics are written).
    pub rules_out: Option<PathBuf>,
    /// Where the corpus statistics go (`--stats-out`), if anywhere.
    pub stats_out: Option<PathBuf>,
    /// Field names of JSONL records.
    pub jsonl: crate::jsonl::JsonlSettings,
    /// Extra rule folders (thresholds of `learned-boilerplate.v1`, repairs before learning).
    pub rules_dirs: Vec<PathBuf>,
    /// How documents are grouped into sites.
    pub group_by: GroupBy,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Larger files are skipped.
    pub max_file_size: u64,
}

/// What `unscrape learn` found and wrote.
#[derive(Clone, Debug, Default)]
pub struct LearnOutcome {
    /// Documents surveyed.
    pub documents: u64,
    /// Groups seen.
    pub groups: usize,
    /// Rule files written.
    pub files: Vec<PathBuf>,
    /// Lines written as rules (switched on).
    pub lines: usize,
    /// Lines written switched off (frequent inside article bodies: to review).
    pub suspects: usize,
    /// The statistics file written (`--stats-out`).
    pub stats: Option<PathBuf>,
}

impl LearnOutcome {
    /// One line for people.
    pub fn human(&self) -> String {
        let stats = self
            .stats
            .as_ref()
            .map(|p| format!("; statistics in {}", p.display()))
            .unwrap_or_default();
        format!(
            "{} documents in {} groups: {} learned lines ({} more to review, switched off) in {} rule files{stats}",
            self.documents,
            self.groups,
            self.lines,
            self.suspects,
            self.files.len()
        )
    }
}

/// What the second pass found in one file: per group, each frequent line's key and sighting.
type GroupLines = Vec<(String, Vec<(u64, Learnt)>)>;

/// One frequent line of a group, as the second pass saw it.
#[derive(Clone, Debug)]
struct Learnt {
    /// The line as first seen (in input order), trimmed.
    text: String,
    /// The document it was first seen in.
    sample: String,
    /// Documents of the group that contain it.
    documents: u32,
    /// Documents where the step would remove it, and where it would only report it.
    removed: u32,
    suspected: u32,
}

/// Runs `unscrape learn`.
pub fn learn(config: &LearnConfig) -> Result<LearnOutcome, RunError> {
    let rules = RuleSet::load(&config.rules_dirs)?;
    let step = Learned::new(&rules)?;
    if step.is_none() && config.rules_out.is_some() {
        return Err(RunError::Usage(
            "the rule learned-boilerplate.v1 is switched off; nothing can be learned".to_owned(),
        ));
    }
    // Text as the clean run shows it to the boilerplate stage: extracted (HTML), repaired and
    // normalized.
    let repair = Cleaner::new(
        &rules,
        StageSet::none()
            .with(StageName::Extract)
            .with(StageName::Encoding)
            .with(StageName::Normalize),
        Arc::default(),
    )?;
    let mut excluded = Vec::new();
    if let Some(rules_out) = &config.rules_out {
        std::fs::create_dir_all(rules_out)
            .with_context(|| format!("cannot create {}", rules_out.display()))
            .map_err(RunError::Fatal)?;
        excluded.push(std::fs::canonicalize(rules_out).map_err(|e| {
            RunError::Fatal(anyhow::anyhow!("cannot use {}: {e}", rules_out.display()))
        })?);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .map_err(|e| RunError::Fatal(e.into()))?;
    let walk = || Walk::new(config.inputs.clone(), excluded.clone());
    // Statistics for `clean --stats-from` hold the token counts too, as a clean run's own
    // survey does.
    let parts = SurveyParts {
        tokens: config.stats_out.is_some(),
        lines: Some(config.group_by),
    };
    let stats = pool.install(|| {
        survey(
            &repair,
            walk(),
            config.max_file_size,
            &config.jsonl,
            &ProgressBar::hidden(),
            parts,
        )
    });
    let mut outcome = LearnOutcome {
        documents: stats.documents,
        groups: stats.lines().groups().count(),
        ..LearnOutcome::default()
    };
    if let Some(path) = &config.stats_out {
        crate::stats::save(path, &stats, config.group_by, rules.digest())
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(RunError::Fatal)?;
        outcome.stats = Some(path.clone());
    }
    let (Some(rules_out), Some(step)) = (&config.rules_out, step) else {
        return Ok(outcome);
    };

    // Second pass: spelling, sample and verdicts of the frequent lines, merged in input order.
    let mut learnt: BTreeMap<String, (Vec<Learnt>, HashMap<u64, usize>)> = BTreeMap::new();
    let mut batch: Vec<InputFile> = Vec::new();
    let mut flush = |batch: &mut Vec<InputFile>| {
        let found: Vec<GroupLines> = pool.install(|| {
            std::mem::take(batch)
                .into_par_iter()
                .map(|file| frequent_lines(&file, config, &repair, &step, &stats))
                .collect()
        });
        for (group, lines) in found.into_iter().flatten() {
            let (list, index) = learnt.entry(group).or_default();
            for (key, line) in lines {
                match index.get(&key) {
                    Some(&at) => {
                        list[at].removed += line.removed;
                        list[at].suspected += line.suspected;
                    }
                    None => {
                        index.insert(key, list.len());
                        list.push(line);
                    }
                }
            }
        }
    };
    for entry in walk() {
        if let Entry::File(file) = entry {
            batch.push(file);
            if batch.len() >= 512 {
                flush(&mut batch);
            }
        }
    }
    flush(&mut batch);

    let mut stems: HashMap<String, usize> = HashMap::new();
    for (group, (mut lines, _)) in learnt {
        if lines.is_empty() {
            continue;
        }
        lines.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.text.cmp(&b.text)));
        let base = rule_id(&group);
        let base = base
            .trim_start_matches("learned.")
            .trim_end_matches(".v1")
            .to_owned();
        let seen = stems.entry(base.clone()).or_insert(0);
        *seen += 1;
        let stem = if *seen == 1 {
            base
        } else {
            format!("{base}-{seen}")
        };
        let documents = stats.lines().group_documents(&group);
        let file_text = rule_file(&group, &stem, documents, step.threshold(documents), &lines);
        let path = rules_out.join(format!("{stem}.toml"));
        std::fs::write(&path, file_text)
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(RunError::Fatal)?;
        let (on, off): (Vec<&Learnt>, Vec<&Learnt>) =
            lines.iter().partition(|l| l.removed >= l.suspected);
        outcome.lines += on.len();
        outcome.suspects += off.len();
        outcome.files.push(path);
    }
    Ok(outcome)
}

/// The frequent lines of one file, per group, with what the step would do with them there. A
/// text or HTML file is one document of one group; a JSONL file holds many records, each of
/// its own group (`--group-by host`: its URL's host).
fn frequent_lines(
    file: &InputFile,
    config: &LearnConfig,
    repair: &Cleaner,
    step: &Learned,
    stats: &CorpusStats,
) -> GroupLines {
    let file_group = config.group_by.group_of(file);
    if crate::jsonl::jsonl_compression(&file.path).is_some() {
        let mut found = Vec::new();
        crate::jsonl::for_each_record(
            &file.path,
            &config.jsonl,
            config.max_file_size,
            |number, text, url| {
                let group = config.group_by.record_group(&file_group, url.as_deref());
                let id = format!("{}:{number}", file.id);
                let text = repair
                    .clean_bytes_in_group(&id, &group, Origin::Memory, text.into_bytes())
                    .doc
                    .text;
                let lines = document_lines(&id, &group, &text, step, stats);
                found.push((group, lines));
            },
        );
        return found;
    }
    let Ok(bytes) = read_document(&file.path, config.max_file_size) else {
        return Vec::new();
    };
    let origin = Origin::File(file.path.clone());
    let text = if crate::source::is_html_name(&file.path) {
        repair.clean_html_in_group(&file.id, &file_group, origin, bytes)
    } else {
        repair.clean_bytes_in_group(&file.id, &file_group, origin, bytes)
    }
    .doc
    .text;
    let lines = document_lines(&file.id, &file_group, &text, step, stats);
    vec![(file_group, lines)]
}

/// The frequent lines of one document (already repaired and normalized) of `group`.
fn document_lines(
    id: &str,
    group: &str,
    text: &str,
    step: &Learned,
    stats: &CorpusStats,
) -> Vec<(u64, Learnt)> {
    let seed = group_seed(group);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    for (line, class) in text.split('\n').zip(step.classify(text, group, stats)) {
        let Some((documents, placement)) = class else {
            continue;
        };
        let Some(key) = line_fingerprint(line, seed, &mut buf) else {
            continue;
        };
        let removed = u32::from(placement != Placement::Suspect);
        out.push((
            key,
            Learnt {
                text: line.trim().to_owned(),
                sample: id.to_owned(),
                documents,
                removed,
                suspected: 1 - removed,
            },
        ));
    }
    out
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// One group's rule file: the lines removed in most documents as a rule that is on, the others
/// as a rule that is off, each line with its count and a sample document.
fn rule_file(group: &str, stem: &str, documents: u64, threshold: u64, lines: &[Learnt]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Boilerplate learned by `unscrape learn` for group {} ({documents} documents; a line\n\
         # is frequent from {threshold} documents). Review it: delete any line that is article\n\
         # text, switch on what you checked, commit it, and clean with `--rules <this folder>`.\n\
         # Lines are compared case- and space-insensitively with digits masked (\"© 2019\" = \"© 2024\").\n\
         stage = \"boilerplate\"",
        quoted(group)
    );
    let (on, off): (Vec<&Learnt>, Vec<&Learnt>) =
        lines.iter().partition(|l| l.removed >= l.suspected);
    for (part, suffix, enabled, what) in [
        (on, "", true, "repeated on many pages of the site"),
        (
            off,
            ".review",
            false,
            "repeated inside article bodies: may be shared prose, switched off until reviewed",
        ),
    ] {
        if part.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n[[rule]]\nid = \"learned.{stem}{suffix}.v1\"\nreason = {}\ngroup = {}\n\
             mask_digits = true",
            quoted(&format!("Learned boilerplate of {group}: {what}")),
            quoted(group)
        );
        if !enabled {
            out.push_str("enabled = false\n");
        }
        out.push_str("exact = [\n");
        for line in part {
            let _ = writeln!(
                out,
                "  # in {} of {documents} documents, e.g. {}\n  {},",
                line.documents,
                line.sample,
                quoted(&line.text)
            );
        }
        out.push_str("]\n");
    }
    out
}
