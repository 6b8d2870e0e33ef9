//! `unscrape._native`: the Python face of the library. A `Cleaner` holds one
//! [`unscrape::Cleaner`] (rules compiled once) and cleans one text or a batch of texts with the
//! GIL released; a batch runs on a rayon pool of its own, so Python threads, processes and
//! engines (datatrove, Ray, Spark) can each drive one.

mod config;
mod result;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use unscrape::document::Origin;
use unscrape::{CorpusStats, RuleSet};

use crate::config::Settings;
use crate::result::CleanResult;

/// What `__reduce__` returns: the class and its constructor's arguments (config, stats path).
type Reduced<'py> = (Bound<'py, PyType>, (Bound<'py, PyDict>, Option<String>));

/// Cleans texts as `unscrape clean -` does, with the same rules and, given `stats`, the same
/// corpus statistics.
#[pyclass(module = "unscrape._native", frozen)]
struct Cleaner {
    inner: unscrape::Cleaner,
    settings: Settings,
    /// The statistics file the cleaner was built with (absolute), for pickling.
    stats_path: Option<PathBuf>,
    /// The group of documents cleaned without one.
    default_group: String,
    /// The batch pool and the process that built it: a forked child finds the parent's pool
    /// without its threads, so it builds its own.
    pool: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>>,
}

impl Cleaner {
    fn pool(&self) -> PyResult<Arc<rayon::ThreadPool>> {
        let mut slot = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        let pid = std::process::id();
        if let Some((owner, pool)) = slot.as_ref() {
            if *owner == pid {
                return Ok(Arc::clone(pool));
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.settings.threads)
            .thread_name(|i| format!("unscrape-{i}"))
            .build()
            .map_err(|e| PyValueError::new_err(format!("cannot start threads: {e}")))?;
        let pool = Arc::new(pool);
        *slot = Some((pid, Arc::clone(&pool)));
        Ok(pool)
    }

    fn clean_one(&self, text: String, id: Option<&str>, group: Option<&str>) -> unscrape::Cleaned {
        let group = group.unwrap_or(&self.default_group);
        // The CLI names standard input "stdin"; the id is not part of what stages see.
        self.inner.clean_bytes_in_group(
            id.unwrap_or("stdin"),
            group,
            Origin::Memory,
            text.into_bytes(),
        )
    }
}

#[pymethods]
impl Cleaner {
    /// `Cleaner(config=None, stats=None)`: `config` is None, a TOML string or a dict (keys
    /// `only`, `skip`, `rules`, `threads`, `group`); `stats` a statistics file written by
    /// `unscrape learn --stats-out`.
    #[new]
    #[pyo3(signature = (config=None, stats=None))]
    fn new(
        py: Python<'_>,
        config: Option<&Bound<'_, PyAny>>,
        stats: Option<PathBuf>,
    ) -> PyResult<Cleaner> {
        let settings = Settings::from_py(config)?;
        let rules = RuleSet::load(&settings.rules)
            .map_err(|e| PyValueError::new_err(format!("invalid rules: {e}")))?;
        let (stats, stats_path, stats_group) = match stats {
            None => (Arc::new(CorpusStats::default()), None, ""),
            Some(path) => {
                let path = std::path::absolute(&path).unwrap_or(path);
                let file = py
                    .detach(|| unscrape::stats::load(&path))
                    .map_err(PyValueError::new_err)?;
                let group = file.default_group();
                (Arc::new(file.stats), Some(path), group)
            }
        };
        let default_group = settings
            .group
            .clone()
            .unwrap_or_else(|| stats_group.to_owned());
        let inner = unscrape::Cleaner::new(&rules, settings.stages(), stats)
            .map_err(|e| PyValueError::new_err(format!("invalid rules: {e}")))?;
        Ok(Cleaner {
            inner,
            settings,
            stats_path,
            default_group,
            pool: Mutex::new(None),
        })
    }

    /// Cleans one text. `id` is kept on the result; `group` overrides the config's group (the
    /// site whose learned boilerplate applies).
    #[pyo3(signature = (text, id=None, *, group=None))]
    fn clean(
        &self,
        py: Python<'_>,
        text: String,
        id: Option<String>,
        group: Option<String>,
    ) -> CleanResult {
        let cleaned = py.detach(|| self.clean_one(text, id.as_deref(), group.as_deref()));
        CleanResult::new(cleaned, id)
    }

    /// Cleans a list of texts in parallel (GIL released), results in input order. `ids` and
    /// `groups`, when given, have one entry (or None) per text.
    #[pyo3(signature = (texts, ids=None, *, groups=None))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        ids: Option<Vec<Option<String>>>,
        groups: Option<Vec<Option<String>>>,
    ) -> PyResult<Vec<CleanResult>> {
        let n = texts.len();
        let ids = ids.unwrap_or_else(|| vec![None; n]);
        let groups = groups.unwrap_or_else(|| vec![None; n]);
        if ids.len() != n || groups.len() != n {
            return Err(PyValueError::new_err(format!(
                "ids and groups need one entry per text ({n} texts, {} ids, {} groups)",
                ids.len(),
                groups.len()
            )));
        }
        let jobs: Vec<(String, Option<String>, Option<String>)> = texts
            .into_iter()
            .zip(ids)
            .zip(groups)
            .map(|((t, i), g)| (t, i, g))
            .collect();
        let run = |(text, id, group): (String, Option<String>, Option<String>)| {
            let cleaned = self.clean_one(text, id.as_deref(), group.as_deref());
            (cleaned, id)
        };
        let cleaned: Vec<(unscrape::Cleaned, Option<String>)> = if self.settings.threads == 1 {
            py.detach(|| jobs.into_iter().map(run).collect())
        } else {
            use rayon::prelude::*;
            let pool = self.pool()?;
            py.detach(|| pool.install(|| jobs.into_par_iter().map(run).collect()))
        };
        Ok(cleaned
            .into_iter()
            .map(|(c, id)| CleanResult::new(c, id))
            .collect())
    }

    /// The config as a plain dict (rule folders made absolute).
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.settings.to_dict(py)
    }

    /// The statistics file, or None.
    #[getter]
    fn stats(&self) -> Option<String> {
        self.stats_path
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// Pickles as its config and statistics path: the receiving process rebuilds the cleaner
    /// (rules compiled, statistics loaded) from them.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        let this = slf.get();
        Ok((
            slf.get_type(),
            (this.settings.to_dict(slf.py())?, this.stats()),
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "Cleaner(stages={:?}, threads={}, stats={:?})",
            unscrape::StageName::ALL
                .into_iter()
                .filter(|s| self.settings.stages().contains(*s))
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
            self.settings.threads,
            self.stats()
        )
    }
}

/// The group `--group-by host` gives a document with this URL: its host, lower-cased, without
/// `www.`, port or credentials (`https://www.Example.com:8080/a` → `example.com`); None when
/// the URL has no host. Pass it as `group=` to use statistics learned with `--group-by host`.
#[pyfunction]
fn host_of(url: &str) -> Option<String> {
    unscrape::run::host_of(url)
}

/// The compiled part of the `unscrape` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add_class::<CleanResult>()?;
    m.add_function(wrap_pyfunction!(host_of, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
