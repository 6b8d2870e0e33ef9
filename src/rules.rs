//! Rule files: parsing, validation, merging overrides, and the embedded defaults.
//!
//! Default rules are data in `rules/*.toml`, embedded in the binary so it works without the
//! folder. `--rules DIR` adds files on top: a rule whose id already exists is merged field by
//! field (so `id = "…"` plus `enabled = false` switches a default off), a new id is added.
//! Everything is validated once, up front, and regexes are compiled once.
//!
//! Learned boilerplate is addressed by its rule id `learned.<site>.v1` whichever way it was
//! learned (by the survey of the run, or written by `unscrape learn`): a rule with that id and
//! no matcher adjusts what the survey learned for the site (`keep` lines, `enabled = false`),
//! which is what the review page exports when a reviewer rejects learned lines.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;

use crate::edit::StageName;

/// The default rule files, embedded at build time: (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "boilerplate.toml",
        include_str!("../rules/boilerplate.toml"),
    ),
    ("learned.toml", include_str!("../rules/learned.toml")),
    ("page.toml", include_str!("../rules/page.toml")),
    ("glue.toml", include_str!("../rules/glue.toml")),
    ("normalize.toml", include_str!("../rules/normalize.toml")),
    ("encoding.toml", include_str!("../rules/encoding.toml")),
    ("html.toml", include_str!("../rules/html.toml")),
];

/// Rules implemented in code; their files only name them, describe them and switch them.
pub const BUILTIN: &[(&str, StageName)] = &[
    ("normalize.line-breaks.v1", StageName::Normalize),
    ("normalize.unicode-spaces.v1", StageName::Normalize),
    ("normalize.invisible.v1", StageName::Normalize),
    ("normalize.control.v1", StageName::Normalize),
    ("normalize.nfc.v1", StageName::Normalize),
    ("normalize.trailing-space.v1", StageName::Normalize),
    ("normalize.blank-lines.v1", StageName::Normalize),
    ("normalize.final-newline.v1", StageName::Normalize),
    ("entities.html.v1", StageName::Encoding),
    ("mojibake.utf8-as-cp1252.v1", StageName::Encoding),
    ("mojibake.utf8-as-latin1.v1", StageName::Encoding),
    ("mojibake.utf8-as-cp1250.v1", StageName::Encoding),
    ("mojibake.utf8-as-iso8859-2.v1", StageName::Encoding),
    ("mojibake.utf8-as-cp1251.v1", StageName::Encoding),
    ("mojibake.utf8-as-cp1257.v1", StageName::Encoding),
    ("mojibake.utf8-as-macroman.v1", StageName::Encoding),
    ("mojibake.utf8-as-cp437.v1", StageName::Encoding),
    ("mojibake.c1-controls.v1", StageName::Encoding),
    ("typography.uncurl-quotes.v1", StageName::Encoding),
    ("typography.fullwidth.v1", StageName::Encoding),
    ("typography.ligatures.v1", StageName::Encoding),
    ("learned-boilerplate.v1", StageName::Boilerplate),
    ("glue.appositive.v1", StageName::Glue),
    ("glue.case-ending.v1", StageName::Glue),
    ("glue.preposition.v1", StageName::Glue),
    ("glue.run-together.v1", StageName::Glue),
    ("glue.camel-join.v1", StageName::Glue),
];

/// Lines longer than this (in characters) are never matched by a line rule unless the rule
/// says otherwise: boilerplate lines are short, article paragraphs are not.
pub const DEFAULT_MAX_CHARS: usize = 200;
/// Default for `block_max_chars`: the longest line a footer block may contain.
pub const DEFAULT_BLOCK_MAX_CHARS: usize = 120;
/// Default for `caption_max_chars`: the longest line taken as a photo caption.
pub const DEFAULT_CAPTION_MAX_CHARS: usize = 200;

/// A problem in a rule file: which file, which rule, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file (an embedded default is named `embedded:rules/<name>`).
    pub file: String,
    /// The rule id, when the problem is in one rule.
    pub rule: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "{}: rule '{}': {}", self.file, rule, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

impl std::error::Error for RuleError {}

/// What a line rule does when a line matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Remove the line.
    Drop,
    /// Remove the line and the trailing block of short lines after it (footer chrome).
    Footer {
        /// Longest line (in characters) the trailing block may contain.
        block_max_chars: usize,
    },
    /// Remove a credit line and the photo caption directly above it.
    Credit {
        /// Longest line (in characters) taken as a caption.
        caption_max_chars: usize,
    },
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Drop => "drop",
            Action::Footer { .. } => "footer",
            Action::Credit { .. } => "credit",
        }
    }
}

/// How a line rule recognises its lines.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// Whole lines, compared by [`line_key`] (case- and space-insensitive).
    Exact(Vec<String>),
    /// A regex matched against the trimmed line.
    Regex(Regex),
}

/// A rule that matches whole lines (the boilerplate stage's kind of rule).
#[derive(Clone, Debug)]
pub struct LineRule {
    /// What to do with a matching line.
    pub action: Action,
    /// How lines are recognised.
    pub matcher: Matcher,
    /// Only within the first N non-blank lines still kept.
    pub first: Option<usize>,
    /// Only within the last N non-blank lines still kept.
    pub last: Option<usize>,
    /// Lines longer than this many characters never match.
    pub max_chars: usize,
    /// Only in documents of this group (site); every document when `None`.
    pub group: Option<String>,
    /// Exact lines are compared with every run of digits masked ("© 2019" matches "© 2024").
    pub mask_digits: bool,
    /// Lines this rule never matches (keys by [`keep_key`]): lines a reviewer kept.
    pub keep: Vec<String>,
}

/// What a rule is, beyond its id.
#[derive(Clone, Debug)]
pub enum RuleKind {
    /// Implemented in code (see [`BUILTIN`]); the file only names and describes it.
    Builtin,
    /// A line rule, fully described by its file.
    Line(LineRule),
    /// An HTML element rule of the extract stage, described by its `params` (element names,
    /// class/id words); see `rules/html.toml`.
    Element,
    /// `learned.<site>.v1` without `exact` or `regex`: the lines the built-in learned step
    /// learns for that site, with the lines to keep (keys by [`keep_key`]). It matches nothing
    /// itself; see [`RuleSet::learned_review`].
    Learned {
        /// Lines kept.
        keep: Vec<String>,
    },
}

/// What a review decided about the lines learned for one site (rule `learned.<site>.v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LearnedReview {
    /// False when the whole rule was rejected: nothing learned for the site is removed.
    pub enabled: bool,
    /// Lines never removed (keys by [`keep_key`]).
    pub keep: HashSet<String>,
}

/// Whether `id` names learned lines (`learned.<site>.v1`, or a rule file of `unscrape learn`).
pub fn is_learned_id(id: &str) -> bool {
    id.starts_with("learned.")
}

/// The key `keep` lines are compared by: [`line_key`] with digits masked, so a kept line
/// stays kept whatever year or page number it carries (keeping more is the safe side).
pub fn keep_key(line: &str) -> String {
    mask_digits(&line_key(line))
}

/// One rule in effect.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Versioned id, `name.vN`.
    pub id: Arc<str>,
    /// The stage that applies it.
    pub stage: StageName,
    /// Human reason, copied into every edit it makes.
    pub reason: Arc<str>,
    /// The file that last defined or changed it.
    pub source: String,
    /// Settings of a built-in rule (`[rule.params]`), such as the glue stage's tables.
    pub params: toml::Table,
    /// What it is.
    pub kind: RuleKind,
}

impl Rule {
    /// A one-line description of what the rule matches, for `unscrape rules`.
    pub fn describe(&self) -> String {
        let line = match &self.kind {
            RuleKind::Line(line) => line,
            RuleKind::Builtin => return "(built in)".to_owned(),
            RuleKind::Learned { keep } => {
                return format!("learned lines of a site; keeps {} line(s)", keep.len())
            }
            RuleKind::Element => {
                let list = |key: &str| -> Vec<String> {
                    match self.params.get(key) {
                        Some(toml::Value::Array(items)) => items
                            .iter()
                            .filter_map(|v| v.as_str())
                            .map(str::to_owned)
                            .collect(),
                        _ => Vec::new(),
                    }
                };
                let (tags, names) = (list("tags"), list("names"));
                let mut out = String::from("element");
                if !tags.is_empty() {
                    out.push_str(&format!(" <{}>", tags.join("|")));
                }
                if !names.is_empty() {
                    let shown: Vec<&str> = names.iter().take(6).map(String::as_str).collect();
                    out.push_str(&format!(" class/id {}", shown.join("|")));
                    if names.len() > 6 {
                        out.push_str(&format!(" (+{} more)", names.len() - 6));
                    }
                }
                return out;
            }
        };
        let mut out = format!("{}: ", line.action.name());
        match &line.matcher {
            Matcher::Exact(lines) => {
                let shown: Vec<&str> = lines.iter().take(4).map(String::as_str).collect();
                out.push_str(&format!("\"{}\"", shown.join("\" | \"")));
                if lines.len() > 4 {
                    out.push_str(&format!(" (+{} more)", lines.len() - 4));
                }
            }
            Matcher::Regex(re) => out.push_str(&format!("/{}/", re.as_str())),
        }
        if let Some(n) = line.first {
            out.push_str(&format!(", first {n} lines"));
        }
        if let Some(n) = line.last {
            out.push_str(&format!(", last {n} lines"));
        }
        if let Some(group) = &line.group {
            out.push_str(&format!(", group {group}"));
        }
        if !line.keep.is_empty() {
            out.push_str(&format!(", keeps {} line(s)", line.keep.len()));
        }
        out
    }
}

/// All rules in effect for a run: validated, compiled, shared read-only.
#[derive(Clone, Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Per `learned.*` rule id, switched on or off, with its kept lines.
    learned: HashMap<String, LearnedReview>,
    digest: String,
}

impl RuleSet {
    /// The embedded default rules only.
    pub fn defaults() -> Result<RuleSet, RuleError> {
        RuleSet::load(&[])
    }

    /// The embedded defaults with every `*.toml` file of each directory merged on top, files in
    /// name order, directories in the order given.
    pub fn load(dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut files: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(name, text)| (format!("embedded:rules/{name}"), (*text).to_owned()))
            .collect();
        for dir in dirs {
            files.extend(read_dir_files(dir)?);
        }
        RuleSet::from_sources(&files)
    }

    /// Builds a rule set from (file name, contents) pairs, later files overriding earlier ones.
    pub fn from_sources(files: &[(String, String)]) -> Result<RuleSet, RuleError> {
        let mut merged: Vec<(StageName, RawRule, String)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (file, text) in files {
            hasher.update(file.rsplit('/').next().unwrap_or(file).as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
            let raw: RawFile = toml::from_str(text).map_err(|e| RuleError {
                file: file.clone(),
                rule: None,
                problem: format!("not a valid rule file: {}", e.message()),
            })?;
            let stage = StageName::parse(&raw.stage).ok_or_else(|| RuleError {
                file: file.clone(),
                rule: None,
                problem: format!(
                    "unknown stage '{}' (expected one of: {})",
                    raw.stage,
                    stage_list()
                ),
            })?;
            for rule in raw.rule {
                let err = |problem: String| RuleError {
                    file: file.clone(),
                    rule: Some(rule.id.clone()),
                    problem,
                };
                if !valid_id(&rule.id) {
                    return Err(err(
                        "id must be lower-case words joined by '.' or '-' and end in a version, like 'footer.source-link.v1'"
                            .to_owned(),
                    ));
                }
                match index.get(&rule.id) {
                    Some(&at) => {
                        if merged[at].0 != stage {
                            return Err(err(format!(
                                "overrides a rule of stage '{}' from a file of stage '{}'",
                                merged[at].0, stage
                            )));
                        }
                        merged[at].1.merge(rule);
                        merged[at].2 = file.clone();
                    }
                    // `learned.<site>.v1` may name lines the run's survey learns: it exists
                    // without a file.
                    None if rule.enabled == Some(false)
                        && rule.exact.is_none()
                        && rule.regex.is_none()
                        && !is_learned_id(&rule.id)
                        && !BUILTIN.iter().any(|(id, _)| *id == rule.id) =>
                    {
                        return Err(err(
                            "switches off a rule that does not exist (check the id with `unscrape rules`)"
                                .to_owned(),
                        ));
                    }
                    None => {
                        index.insert(rule.id.clone(), merged.len());
                        merged.push((stage, rule, file.clone()));
                    }
                }
            }
        }
        let mut rules = Vec::with_capacity(merged.len());
        let mut learned = HashMap::new();
        for (stage, raw, file) in merged {
            if stage == StageName::Boilerplate && is_learned_id(&raw.id) {
                learned.insert(
                    raw.id.clone(),
                    LearnedReview {
                        enabled: raw.enabled != Some(false),
                        keep: raw.keep.iter().flatten().map(|l| keep_key(l)).collect(),
                    },
                );
            }
            if let Some(rule) = compile(stage, raw, &file)? {
                rules.push(rule);
            }
        }
        Ok(RuleSet {
            rules,
            learned,
            digest: format!("xxh3-128:{:032x}", hasher.digest128()),
        })
    }

    /// Every enabled rule, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The enabled rules of one stage, in file order.
    pub fn stage(&self, stage: StageName) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.stage == stage)
    }

    /// The enabled built-in rule with this id, if it is switched on.
    pub fn builtin(&self, id: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| matches!(r.kind, RuleKind::Builtin) && &*r.id == id)
    }

    /// Every `learned.*` rule id named by a rule file, with what it says.
    pub fn learned_reviews(&self) -> &HashMap<String, LearnedReview> {
        &self.learned
    }

    /// What the rule files say about the learned lines with this rule id (`learned.<site>.v1`):
    /// `None` when no file names it.
    pub fn learned_review(&self, id: &str) -> Option<&LearnedReview> {
        self.learned.get(id)
    }

    /// A digest of every rule file in effect (names and contents), for the report.
    pub fn digest(&self) -> &str {
        &self.digest
    }
}

/// The key exact line rules compare by: trimmed, lower-cased, inner white space collapsed to
/// one space, and trailing colons dropped ("Share this:" and "SHARE  THIS" are the same line).
pub fn line_key(line: &str) -> String {
    let mut key = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            key.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    while key.ends_with(':') {
        key.pop();
        while key.ends_with(' ') {
            key.pop();
        }
    }
    key
}

/// A [`line_key`] with every run of digits replaced by one `0`, for `mask_digits` rules.
pub fn mask_digits(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_digits = false;
    for c in key.chars() {
        if c.is_numeric() {
            if !in_digits {
                out.push('0');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

fn stage_list() -> String {
    StageName::ALL.map(StageName::as_str).join(", ")
}

fn valid_id(id: &str) -> bool {
    let Some((name, version)) = id.rsplit_once(".v") else {
        return false;
    };
    !name.is_empty()
        && !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_digit())
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

fn read_dir_files(dir: &Path) -> Result<Vec<(String, String)>, RuleError> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| RuleError {
        file: shown.clone(),
        rule: None,
        problem: format!("cannot read rules directory: {e}"),
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| RuleError {
            file: shown.clone(),
            rule: None,
            problem: format!("cannot read rules directory: {e}"),
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(RuleError {
            file: shown,
            rule: None,
            problem: "no *.toml rule files in this directory".to_owned(),
        });
    }
    paths
        .into_iter()
        .map(|path| {
            let name = path.display().to_string();
            std::fs::read_to_string(&path)
                .map(|text| (name.clone(), text))
                .map_err(|e| RuleError {
                    file: name,
                    rule: None,
                    problem: format!("cannot read: {e}"),
                })
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    stage: String,
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// A rule as written; every field but the id is optional so an override can name just the
/// fields it changes.
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    enabled: Option<bool>,
    reason: Option<String>,
    action: Option<String>,
    exact: Option<Vec<String>>,
    regex: Option<String>,
    first: Option<usize>,
    last: Option<usize>,
    max_chars: Option<usize>,
    block_max_chars: Option<usize>,
    caption_max_chars: Option<usize>,
    group: Option<String>,
    mask_digits: Option<bool>,
    keep: Option<Vec<String>>,
    params: Option<toml::Table>,
}

impl RawRule {
    fn merge(&mut self, over: RawRule) {
        macro_rules! take {
            ($($field:ident),*) => { $( if over.$field.is_some() { self.$field = over.$field; } )* };
        }
        take!(
            enabled,
            reason,
            action,
            first,
            last,
            max_chars,
            block_max_chars,
            caption_max_chars,
            group,
            mask_digits,
            keep
        );
        if let Some(over) = over.params {
            self.params
                .get_or_insert_with(toml::Table::new)
                .extend(over);
        }
        // A new matcher replaces the old one whatever its kind.
        if over.exact.is_some() || over.regex.is_some() {
            self.exact = over.exact;
            self.regex = over.regex;
        }
    }
}

fn compile(stage: StageName, raw: RawRule, file: &str) -> Result<Option<Rule>, RuleError> {
    let err = |problem: String| RuleError {
        file: file.to_owned(),
        rule: Some(raw.id.clone()),
        problem,
    };
    let builtin = BUILTIN.iter().find(|(id, _)| *id == raw.id);
    // A review's adjustment of learned lines needs no reason of its own.
    let default_reason = (is_learned_id(&raw.id) && raw.exact.is_none() && raw.regex.is_none())
        .then(|| "Lines learned for this site (adjusted in review)".to_owned());
    let reason = raw
        .reason
        .clone()
        .or(default_reason)
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| err("needs a non-empty 'reason'".to_owned()))?;
    let kind = match (stage, builtin) {
        (_, Some((_, builtin_stage))) => {
            if *builtin_stage != stage {
                return Err(err(format!(
                    "is a built-in rule of stage '{builtin_stage}', not '{stage}'"
                )));
            }
            let extra = raw.action.is_some()
                || raw.exact.is_some()
                || raw.regex.is_some()
                || raw.first.is_some()
                || raw.last.is_some()
                || raw.max_chars.is_some()
                || raw.group.is_some()
                || raw.mask_digits.is_some()
                || raw.keep.is_some();
            if extra {
                return Err(err(
                    "is built in: only 'enabled', 'reason' and 'params' can be set".to_owned(),
                ));
            }
            RuleKind::Builtin
        }
        (StageName::Boilerplate, None)
            if is_learned_id(&raw.id) && raw.exact.is_none() && raw.regex.is_none() =>
        {
            let extra = raw.action.is_some()
                || raw.first.is_some()
                || raw.last.is_some()
                || raw.max_chars.is_some()
                || raw.block_max_chars.is_some()
                || raw.caption_max_chars.is_some()
                || raw.group.is_some()
                || raw.mask_digits.is_some()
                || raw.params.is_some();
            if extra {
                return Err(err(
                    "names the lines learned for a site (no 'exact' or 'regex'): only 'enabled', \
                     'reason' and 'keep' can be set"
                        .to_owned(),
                ));
            }
            RuleKind::Learned {
                keep: keep_keys(raw.keep.as_deref()).map_err(err)?,
            }
        }
        (StageName::Boilerplate, None) => {
            if raw.params.is_some() {
                return Err(err("'params' only applies to built-in rules".to_owned()));
            }
            RuleKind::Line(compile_line(&raw).map_err(err)?)
        }
        (StageName::Extract, None) => {
            let extra = raw.action.is_some()
                || raw.exact.is_some()
                || raw.regex.is_some()
                || raw.first.is_some()
                || raw.last.is_some()
                || raw.max_chars.is_some()
                || raw.keep.is_some();
            if extra {
                return Err(err(
                    "is an element rule: only 'enabled', 'reason' and 'params' (tags, names, scope) can be set"
                        .to_owned(),
                ));
            }
            RuleKind::Element
        }
        (_, None) => {
            return Err(err(format!(
                "unknown rule for stage '{stage}': this stage only has the built-in rules {}",
                BUILTIN
                    .iter()
                    .filter(|(_, s)| *s == stage)
                    .map(|(id, _)| *id)
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    if raw.enabled == Some(false) {
        return Ok(None);
    }
    Ok(Some(Rule {
        id: Arc::from(raw.id.as_str()),
        stage,
        reason: Arc::from(reason.as_str()),
        source: file.to_owned(),
        params: raw.params.unwrap_or_default(),
        kind,
    }))
}

fn compile_line(raw: &RawRule) -> Result<LineRule, String> {
    let action = match raw.action.as_deref().unwrap_or("drop") {
        "drop" => Action::Drop,
        "footer" => Action::Footer {
            block_max_chars: raw.block_max_chars.unwrap_or(DEFAULT_BLOCK_MAX_CHARS),
        },
        "credit" => Action::Credit {
            caption_max_chars: raw.caption_max_chars.unwrap_or(DEFAULT_CAPTION_MAX_CHARS),
        },
        other => {
            return Err(format!(
                "unknown action '{other}' (expected drop, footer or credit)"
            ))
        }
    };
    if raw.block_max_chars.is_some() && !matches!(action, Action::Footer { .. }) {
        return Err("'block_max_chars' only applies to action = \"footer\"".to_owned());
    }
    if raw.caption_max_chars.is_some() && !matches!(action, Action::Credit { .. }) {
        return Err("'caption_max_chars' only applies to action = \"credit\"".to_owned());
    }
    let matcher = match (&raw.exact, &raw.regex) {
        (Some(_), Some(_)) => return Err("has both 'exact' and 'regex'; use one".to_owned()),
        (None, None) => return Err("needs 'exact' lines or a 'regex'".to_owned()),
        (Some(lines), None) => {
            let mask = raw.mask_digits == Some(true);
            let keys: Vec<String> = lines
                .iter()
                .map(|l| {
                    let key = line_key(l);
                    if mask {
                        mask_digits(&key)
                    } else {
                        key
                    }
                })
                .collect();
            if keys.is_empty() || keys.iter().any(String::is_empty) {
                return Err("'exact' needs at least one non-blank line".to_owned());
            }
            Matcher::Exact(keys)
        }
        (None, Some(pattern)) => {
            let re = Regex::new(pattern).map_err(|e| format!("invalid regex: {e}"))?;
            if re.is_match("") {
                return Err("regex matches the empty line; it would match everything".to_owned());
            }
            Matcher::Regex(re)
        }
    };
    if raw.first == Some(0) || raw.last == Some(0) {
        return Err("'first' and 'last' count lines and must be at least 1".to_owned());
    }
    if raw.mask_digits.is_some() && raw.exact.is_none() {
        return Err("'mask_digits' only applies to 'exact' lines".to_owned());
    }
    Ok(LineRule {
        action,
        matcher,
        first: raw.first,
        last: raw.last,
        max_chars: raw.max_chars.unwrap_or(DEFAULT_MAX_CHARS),
        group: raw.group.clone(),
        mask_digits: raw.mask_digits == Some(true),
        keep: keep_keys(raw.keep.as_deref())?,
    })
}

/// The keys of a rule's `keep` lines; a blank one is a mistake (it could keep nothing).
fn keep_keys(keep: Option<&[String]>) -> Result<Vec<String>, String> {
    let mut keys: Vec<String> = keep
        .unwrap_or_default()
        .iter()
        .map(|l| keep_key(l))
        .collect();
    if keys.iter().any(String::is_empty) {
        return Err("'keep' lines must not be blank".to_owned());
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(extra: &str) -> Result<RuleSet, RuleError> {
        let mut files: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        files.push(("extra.toml".to_owned(), extra.to_owned()));
        RuleSet::from_sources(&files)
    }

    #[test]
    fn defaults_load_and_name_every_builtin() {
        let rules = RuleSet::defaults().unwrap();
        for (id, _) in BUILTIN {
            let named = EMBEDDED
                .iter()
                .any(|(_, text)| text.contains(&format!("id = \"{id}\"")));
            assert!(named, "{id} missing from rules/");
            // Only the opt-in typography rules are off by default.
            let on = rules.builtin(id).is_some();
            assert_eq!(on, !id.starts_with("typography."), "{id}");
        }
        assert!(rules.stage(StageName::Boilerplate).count() > 30);
    }

    #[test]
    fn an_override_can_switch_an_off_by_default_builtin_on() {
        let id = "typography.uncurl-quotes.v1";
        assert!(RuleSet::defaults().unwrap().builtin(id).is_none());
        let on = load(&format!(
            "stage = \"encoding\"\n[[rule]]\nid = \"{id}\"\nenabled = true\n"
        ))
        .unwrap();
        let rule = on.builtin(id).expect("switched on");
        assert_eq!(&*rule.reason, "Curly quotes straightened");
        assert_eq!(rule.stage, StageName::Encoding);
    }

    #[test]
    fn line_key_folds_case_space_and_trailing_colons() {
        assert_eq!(line_key("  Share   THIS : "), "share this");
        assert_eq!(line_key("Leave a Reply"), "leave a reply");
    }

    #[test]
    fn a_bad_regex_names_file_rule_and_problem() {
        let err = load("stage = \"boilerplate\"\n[[rule]]\nid = \"x.bad.v1\"\nreason = \"r\"\nregex = \"(unclosed\"\n")
            .unwrap_err();
        assert_eq!(err.file, "extra.toml");
        assert_eq!(err.rule.as_deref(), Some("x.bad.v1"));
        assert!(err.problem.contains("invalid regex"), "{}", err.problem);
    }

    #[test]
    fn an_override_can_switch_a_default_off() {
        let before = RuleSet::defaults().unwrap();
        let id = before
            .stage(StageName::Boilerplate)
            .next()
            .unwrap()
            .id
            .clone();
        let after = load(&format!(
            "stage = \"boilerplate\"\n[[rule]]\nid = \"{id}\"\nenabled = false\n"
        ))
        .unwrap();
        assert!(after.rules().iter().all(|r| r.id != id));
        assert_ne!(before.digest(), after.digest());
    }

    #[test]
    fn unversioned_ids_and_unknown_fields_are_refused() {
        let e = load(
            "stage = \"boilerplate\"\n[[rule]]\nid = \"x\"\nreason = \"r\"\nexact = [\"a\"]\n",
        )
        .unwrap_err();
        assert!(e.problem.contains("version"));
        let e = load(
            "stage = \"boilerplate\"\n[[rule]]\nid = \"x.v1\"\nreason = \"r\"\nexcat = [\"a\"]\n",
        )
        .unwrap_err();
        assert!(e.problem.contains("excat"), "{}", e.problem);
    }

    #[test]
    fn a_builtin_cannot_be_given_a_matcher() {
        let e = load("stage = \"normalize\"\n[[rule]]\nid = \"normalize.nfc.v1\"\nregex = \"a\"\n")
            .unwrap_err();
        assert!(e.problem.contains("built in"));
    }

    #[test]
    fn keep_lines_leave_a_line_rule_and_name_learned_lines_without_a_file() {
        // On a line rule: kept lines, compared with digits masked, never match.
        let rules = load(
            "stage = \"boilerplate\"\n[[rule]]\nid = \"learned.site.v1\"\nreason = \"r\"\n\
             exact = [\"Menu\", \"Issue 4 of the Ledger\"]\nkeep = [\"  ISSUE 2019 of  the ledger \"]\n",
        )
        .unwrap();
        let rule = rules
            .rules()
            .iter()
            .find(|r| &*r.id == "learned.site.v1")
            .unwrap();
        let RuleKind::Line(line) = &rule.kind else {
            panic!()
        };
        assert_eq!(line.keep, ["issue 0 of the ledger"]);
        assert!(rule.describe().contains("keeps 1 line(s)"));
        let review = rules.learned_review("learned.site.v1").unwrap();
        assert!(review.enabled && review.keep.contains("issue 0 of the ledger"));

        // Without a matcher: the lines the survey learns for a site, kept or switched off.
        let rules = load(
            "stage = \"boilerplate\"\n[[rule]]\nid = \"learned.gazette.v1\"\nkeep = [\"Sign up\"]\n\
             [[rule]]\nid = \"learned.ledger.v1\"\nenabled = false\n",
        )
        .unwrap();
        let kept = rules.learned_review("learned.gazette.v1").unwrap();
        assert!(kept.enabled && kept.keep.contains("sign up"));
        assert!(!rules.learned_review("learned.ledger.v1").unwrap().enabled);
        assert!(rules.learned_review("learned.other.v1").is_none());
        let named = rules
            .rules()
            .iter()
            .find(|r| &*r.id == "learned.gazette.v1");
        assert!(matches!(&named.unwrap().kind, RuleKind::Learned { keep } if keep == &["sign up"]));

        // Mistakes are refused: a blank kept line, a learned id with line-rule fields, `keep`
        // on a built-in rule, and any other unknown rule switched off.
        for (text, problem) in [
            ("id = \"learned.a.v1\"\nkeep = [\" \"]", "must not be blank"),
            (
                "id = \"learned.a.v1\"\nfirst = 3",
                "only 'enabled', 'reason' and 'keep'",
            ),
            (
                "id = \"learned-boilerplate.v1\"\nkeep = [\"x\"]",
                "is built in",
            ),
            (
                "id = \"footer.nothing.v1\"\nenabled = false",
                "does not exist",
            ),
        ] {
            let e = load(&format!("stage = \"boilerplate\"\n[[rule]]\n{text}\n")).unwrap_err();
            assert!(e.problem.contains(problem), "{text}: {}", e.problem);
        }
    }

    #[test]
    fn line_rules_can_mask_digits_and_keep_to_a_group() {
        let rules = load(
            "stage = \"boilerplate\"\n[[rule]]\nid = \"learned.site.v1\"\nreason = \"r\"\n\
             group = \"site\"\nmask_digits = true\nexact = [\"Issue 2019 of the Ledger\"]\n",
        )
        .unwrap();
        let rule = rules
            .rules()
            .iter()
            .find(|r| &*r.id == "learned.site.v1")
            .unwrap();
        let RuleKind::Line(line) = &rule.kind else {
            panic!()
        };
        assert!(line.mask_digits);
        assert_eq!(line.group.as_deref(), Some("site"));
        assert!(matches!(&line.matcher, Matcher::Exact(k) if k == &["issue 0 of the ledger"]));
        assert!(rule.describe().contains("group site"));
        assert_eq!(mask_digits("page 12 of 345"), "page 0 of 0");
        let e = load(
            "stage = \"boilerplate\"\n[[rule]]\nid = \"x.v1\"\nreason = \"r\"\n\
             mask_digits = true\nregex = \"^a$\"\n",
        )
        .unwrap_err();
        assert!(e.problem.contains("mask_digits"), "{}", e.problem);
    }
}
