//! The command line: clap flags turned into one plain [`Config`]. No work happens here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::edit::StageName;
use crate::jsonl::JsonlSettings;
use crate::learn::LearnConfig;
use crate::pipeline::StageSet;
use crate::run::{Config, GroupBy, InputFormat, DEFAULT_MAX_FILE_SIZE};
use crate::shard::Shard;
use crate::source::Input;

/// Clean scraped text corpora: site chrome, glued tokens, broken encodings, with a diff report
/// of every edit.
#[derive(Parser, Debug)]
#[command(name = "unscrape", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
// Parsed once per process: the size of the larger variant costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Clean files and folders into --out, with a report of every edit.
    Clean(CleanArgs),
    /// Print the rules in effect: id, stage, what it matches, source file.
    Rules(RulesArgs),
    /// Learn each site's repeated lines (survey only) and write them as rule files to review.
    Learn(LearnArgs),
}

/// Flags of `unscrape learn`.
#[derive(Args, Debug)]
pub struct LearnArgs {
    /// Files and folders to learn from (walked as `clean` walks them).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Folder the learned rule files go to (one `<group>.toml` per site).
    #[arg(long, value_name = "DIR", required_unless_present = "stats_out")]
    pub rules_out: Option<PathBuf>,

    /// Write the corpus statistics (token and bigram counts, each site's line counts) to this
    /// file, for `unscrape clean --stats-from` and the Python `Cleaner(stats=...)`.
    #[arg(long, value_name = "FILE")]
    pub stats_out: Option<PathBuf>,

    /// JSONL field holding the text (as for `clean`).
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// JSONL field holding an HTML page (as for `clean`).
    #[arg(long, value_name = "NAME")]
    pub html_field: Option<String>,

    /// Folder of extra or overriding rule files (*.toml), e.g. learned thresholds.
    #[arg(long, value_name = "DIR")]
    pub rules: Vec<PathBuf>,

    /// How documents are grouped into sites: dir, host or none.
    #[arg(long, value_name = "BY", default_value = "dir", value_parser = parse_group_by)]
    pub group_by: GroupBy,

    /// Worker threads [default: one per core]
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,

    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,

    /// Skip input files larger than this; accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_file_size: u64,
}

fn parse_group_by(name: &str) -> Result<GroupBy, String> {
    match name.trim() {
        "dir" => Ok(GroupBy::Dir),
        "host" => Ok(GroupBy::Host),
        "none" => Ok(GroupBy::None),
        other => Err(format!(
            "unknown grouping '{other}' (expected dir, host or none)"
        )),
    }
}

/// Flags of `unscrape clean`.
#[derive(Args, Debug)]
pub struct CleanArgs {
    /// Files and folders to clean (folders are walked recursively for *.txt, *.text,
    /// extension-less files and JSONL: *.jsonl, *.ndjson, also .gz/.zst, and dolma's *.json.gz),
    /// or '-' to clean standard input to standard output.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Folder for cleaned files; they mirror the inputs' relative paths.
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Folder for the report [default: <OUT>.report beside --out; none for '-']
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,

    /// Folder of extra or overriding rule files (*.toml); may be repeated.
    #[arg(long, value_name = "DIR")]
    pub rules: Vec<PathBuf>,

    /// Run only these stages (comma-separated: encoding, normalize, boilerplate, glue).
    #[arg(long, value_name = "STAGES", value_delimiter = ',', value_parser = parse_stage)]
    pub only: Vec<StageName>,

    /// Skip these stages (comma-separated).
    #[arg(long, value_name = "STAGES", value_delimiter = ',', value_parser = parse_stage)]
    pub skip: Vec<StageName>,

    /// Worker threads [default: one per core]
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,

    /// No progress bar and no summary on stderr (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,

    /// Skip (and report) input files larger than this; accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// How documents are grouped into sites for learned boilerplate: dir (the file's folder),
    /// host (the URL's host, JSONL input) or none.
    #[arg(long, value_name = "BY", default_value = "dir", value_parser = parse_group_by)]
    pub group_by: GroupBy,

    /// What standard input holds: one text document, or JSONL records (plain, gzip or zstd).
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = parse_format)]
    pub format: InputFormat,

    /// JSONL field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// JSONL field holding an HTML page: it goes through the HTML extractor and its cleaned
    /// main text replaces it in place (records with "format": "html" need no flag).
    #[arg(long, value_name = "NAME")]
    pub html_field: Option<String>,

    /// JSONL field holding the record id (used in the report only).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,

    /// Clean only shard I of N (0-based) of the input files, split by a hash of each file's
    /// relative path: the same split on every machine.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,

    /// Finish an interrupted run: same command line, same --out and report; files finished
    /// before the interruption are not cleaned again.
    #[arg(long)]
    pub resume: bool,

    /// Write no review page (report/index.html); the rest of the report is written as usual.
    #[arg(long)]
    pub no_html: bool,

    /// Corpus statistics written by `unscrape learn --stats-out`, used instead of surveying the
    /// inputs: standard input, shards and single files then get the decisions of the whole corpus.
    #[arg(long, value_name = "FILE")]
    pub stats_from: Option<PathBuf>,

    /// The group (site) of the documents read from '-', whose learned lines in --stats-from
    /// apply [default: 'all' with --group-by none, else none]. Under --group-by host, JSONL
    /// records with a URL are grouped by its host.
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
}

fn parse_format(name: &str) -> Result<InputFormat, String> {
    match name.trim().to_ascii_lowercase().as_str() {
        "text" | "txt" => Ok(InputFormat::Text),
        "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
        _ => Err(format!("unknown format '{name}' (expected text or jsonl)")),
    }
}

/// Flags of `unscrape rules`.
#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Folder of extra or overriding rule files (*.toml); may be repeated.
    #[arg(long, value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

fn parse_stage(name: &str) -> Result<StageName, String> {
    StageName::parse(name.trim()).ok_or_else(|| {
        format!(
            "unknown stage '{name}' (expected one of: {})",
            StageName::ALL.map(StageName::as_str).join(", ")
        )
    })
}

/// Parses a byte size such as `1048576`, `512K`, `64M` or `2G` (powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    let trimmed = upper.trim_end_matches("IB").trim_end_matches('B');
    let (number, multiplier) = match trimmed.chars().last() {
        Some('K') => (&trimmed[..trimmed.len() - 1], 1u64 << 10),
        Some('M') => (&trimmed[..trimmed.len() - 1], 1 << 20),
        Some('G') => (&trimmed[..trimmed.len() - 1], 1 << 30),
        _ => (trimmed, 1),
    };
    number
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("'{text}' is not a size (try 64M)"))
}

impl CleanArgs {
    /// Resolves the flags into a [`Config`].
    pub fn into_config(self) -> Config {
        let mut stages = if self.only.is_empty() {
            StageSet::all()
        } else {
            self.only
                .iter()
                .fold(StageSet::none(), |set, stage| set.with(*stage))
        };
        for stage in &self.skip {
            stages = stages.without(*stage);
        }
        Config {
            inputs: self
                .inputs
                .into_iter()
                .map(|p| {
                    if p.as_os_str() == "-" {
                        Input::Stdin
                    } else {
                        Input::Path(p)
                    }
                })
                .collect(),
            out: self.out,
            report: self.report,
            rules_dirs: self.rules,
            stages,
            jobs: self.jobs.unwrap_or(0),
            quiet: self.quiet,
            html: !self.no_html,
            max_file_size: if self.max_file_size == 0 {
                DEFAULT_MAX_FILE_SIZE
            } else {
                self.max_file_size
            },
            group_by: self.group_by,
            format: self.format,
            jsonl: JsonlSettings {
                text_field: self.text_field,
                id_field: self.id_field,
                html_field: self.html_field,
            },
            shard: self.shard,
            resume: self.resume,
            stats_from: self.stats_from,
            group: self.group,
        }
    }
}

impl LearnArgs {
    /// Resolves the flags into a [`LearnConfig`].
    pub fn into_config(self) -> LearnConfig {
        LearnConfig {
            inputs: self.inputs,
            rules_out: self.rules_out,
            stats_out: self.stats_out,
            jsonl: JsonlSettings {
                text_field: self.text_field,
                html_field: self.html_field,
                ..JsonlSettings::default()
            },
            rules_dirs: self.rules,
            group_by: self.group_by,
            jobs: self.jobs.unwrap_or(0),
            max_file_size: self.max_file_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("1kib"), Ok(1024));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn only_and_skip_combine() {
        let cli = Cli::try_parse_from([
            "unscrape",
            "clean",
            "in",
            "--out",
            "o",
            "--only",
            "normalize,boilerplate",
            "--skip",
            "boilerplate",
        ])
        .unwrap();
        let Command::Clean(args) = cli.command else {
            panic!()
        };
        let config = args.into_config();
        assert!(config.stages.contains(StageName::Normalize));
        assert!(!config.stages.contains(StageName::Boilerplate));
        assert!(!config.stages.contains(StageName::Glue));
    }

    #[test]
    fn unknown_stages_are_usage_errors() {
        let err = Cli::try_parse_from(["unscrape", "clean", "in", "--skip", "magic"]).unwrap_err();
        assert!(err.to_string().contains("unknown stage 'magic'"));
    }
}
