//! The Python `config` argument: a TOML string or a dict, read into one plain struct that maps
//! 1:1 to `unscrape clean` flags. A dict goes through the same TOML reader, so both spellings
//! accept and reject exactly the same things.

use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Deserialize;
use unscrape::{StageName, StageSet};

/// One name or several: `"glue"`, `"glue,boilerplate"` or `["glue", "boilerplate"]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

impl Default for Names {
    fn default() -> Names {
        Names::Many(Vec::new())
    }
}

impl Names {
    fn list(&self) -> Vec<String> {
        match self {
            Names::One(text) => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            Names::Many(list) => list.iter().map(|s| s.trim().to_owned()).collect(),
        }
    }
}

/// The config as written by the user (TOML or dict), before checking.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    only: Names,
    #[serde(default)]
    skip: Names,
    #[serde(default)]
    rules: Names,
    #[serde(default)]
    threads: Option<i64>,
    #[serde(default)]
    group: Option<String>,
}

/// A checked config: what the cleaner is built from, and what pickling gives back.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// `--only`: stage names (empty: every stage).
    pub only: Vec<StageName>,
    /// `--skip`: stage names.
    pub skip: Vec<StageName>,
    /// `--rules`: rule folders, absolute (so a pickled cleaner finds them from any directory).
    pub rules: Vec<PathBuf>,
    /// Threads of `clean_batch` (0: one per core).
    pub threads: usize,
    /// The group (site) of every document, for learned boilerplate from `stats`; `None`: as
    /// `unscrape clean -` without `--group`.
    pub group: Option<String>,
}

impl Settings {
    /// The stages that run, as the CLI resolves `--only` and `--skip`.
    pub fn stages(&self) -> StageSet {
        let mut set = if self.only.is_empty() {
            StageSet::all()
        } else {
            self.only
                .iter()
                .fold(StageSet::none(), |set, stage| set.with(*stage))
        };
        for stage in &self.skip {
            set = set.without(*stage);
        }
        set
    }

    /// Reads `config`: `None`, a TOML string or a dict.
    pub fn from_py(config: Option<&Bound<'_, PyAny>>) -> PyResult<Settings> {
        let raw: Raw = match config {
            None => Raw::default(),
            Some(value) if value.is_none() => Raw::default(),
            Some(value) => {
                if let Ok(text) = value.cast::<PyString>() {
                    let text = text.to_cow()?;
                    toml::from_str(&text)
                        .map_err(|e| PyValueError::new_err(format!("config: {}", e.message())))?
                } else if let Ok(dict) = value.cast::<PyDict>() {
                    let table = dict_to_table(dict)?;
                    Raw::deserialize(toml::Value::Table(table))
                        .map_err(|e| PyValueError::new_err(format!("config: {e}")))?
                } else {
                    return Err(PyTypeError::new_err(
                        "config must be None, a TOML string or a dict",
                    ));
                }
            }
        };
        Settings::check(raw).map_err(|e| PyValueError::new_err(format!("config: {e}")))
    }

    fn check(raw: Raw) -> Result<Settings, String> {
        let stages = |names: &Names| -> Result<Vec<StageName>, String> {
            names
                .list()
                .iter()
                .map(|name| {
                    StageName::parse(name).ok_or_else(|| {
                        format!(
                            "unknown stage '{name}' (expected one of: {})",
                            StageName::ALL.map(StageName::as_str).join(", ")
                        )
                    })
                })
                .collect()
        };
        let threads = match raw.threads {
            None => 0,
            Some(n) if n >= 0 => n as usize,
            Some(n) => return Err(format!("threads must be 0 or more, not {n}")),
        };
        let rules = raw
            .rules
            .list()
            .into_iter()
            .map(|p| std::path::absolute(&p).unwrap_or_else(|_| PathBuf::from(p)))
            .collect();
        Ok(Settings {
            only: stages(&raw.only)?,
            skip: stages(&raw.skip)?,
            rules,
            threads,
            group: raw.group,
        })
    }

    /// The config as a plain dict (what `__reduce__` hands to the next process).
    pub fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let names = |stages: &[StageName]| -> Vec<&'static str> {
            stages.iter().map(|s| s.as_str()).collect()
        };
        dict.set_item("only", names(&self.only))?;
        dict.set_item("skip", names(&self.skip))?;
        let rules: Vec<String> = self
            .rules
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        dict.set_item("rules", rules)?;
        dict.set_item("threads", self.threads)?;
        if let Some(group) = &self.group {
            dict.set_item("group", group)?;
        }
        Ok(dict)
    }
}

/// A dict of plain values as a TOML table (`None` values are left out, as if absent).
fn dict_to_table(dict: &Bound<'_, PyDict>) -> PyResult<toml::Table> {
    let mut table = toml::Table::new();
    for (key, value) in dict.iter() {
        let key: String = key
            .extract()
            .map_err(|_| PyTypeError::new_err("config keys must be strings"))?;
        if value.is_none() {
            continue;
        }
        table.insert(key, to_toml(&value)?);
    }
    Ok(table)
}

fn to_toml(value: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    // bool before int: Python's bool is an int.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(toml::Value::Boolean(b.is_true()));
    }
    if value.cast::<PyInt>().is_ok() {
        return Ok(toml::Value::Integer(value.extract()?));
    }
    if value.cast::<PyFloat>().is_ok() {
        return Ok(toml::Value::Float(value.extract()?));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(toml::Value::String(text.to_cow()?.into_owned()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return Ok(toml::Value::Table(dict_to_table(dict)?));
    }
    if value.cast::<PyList>().is_ok() || value.cast::<PyTuple>().is_ok() {
        let items: PyResult<Vec<toml::Value>> =
            value.try_iter()?.map(|item| to_toml(&item?)).collect();
        return Ok(toml::Value::Array(items?));
    }
    // Paths and other os.PathLike values, as the CLI takes them.
    let os = value.py().import("os")?;
    if let Ok(path) = os.call_method1("fspath", (value,)) {
        if let Ok(text) = path.cast::<PyString>() {
            return Ok(toml::Value::String(text.to_cow()?.into_owned()));
        }
    }
    Err(PyTypeError::new_err(format!(
        "config values must be strings, numbers, booleans, lists or paths, not {}",
        value.get_type().name()?
    )))
}
