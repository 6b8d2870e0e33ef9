//! `unscrape.Result`: one cleaned document. The text is ready at once; the edit dicts are built
//! the first time they are asked for, so a batch that only wants the text pays nothing for them.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use unscrape::{EditRecord, Verdict};

/// One cleaned document: `text`, `edits` (applied), `suspects` (reported, not applied),
/// `changed`, and the `id` it was given.
#[pyclass(name = "Result", module = "unscrape._native", frozen)]
pub struct CleanResult {
    /// The cleaned text.
    text: String,
    /// The id the caller gave (None if none).
    id: Option<String>,
    /// The text the first step saw (the input, decoded: the same string for `str` input).
    original: String,
    /// Every edit in pipeline order.
    records: Vec<EditRecord>,
    /// (edits, suspects) as Python lists, built on first access.
    dicts: OnceLock<(Py<PyList>, Py<PyList>)>,
}

impl CleanResult {
    /// A result from the library's cleaned document.
    pub fn new(cleaned: unscrape::Cleaned, id: Option<String>) -> CleanResult {
        CleanResult {
            text: cleaned.doc.text,
            id,
            original: cleaned.original,
            records: cleaned.records,
            dicts: OnceLock::new(),
        }
    }

    fn dicts(&self, py: Python<'_>) -> PyResult<&(Py<PyList>, Py<PyList>)> {
        if let Some(dicts) = self.dicts.get() {
            return Ok(dicts);
        }
        let edits = PyList::empty(py);
        let suspects = PyList::empty(py);
        for (record, offsets) in self
            .records
            .iter()
            .zip(offsets(&self.original, &self.records))
        {
            let dict = edit_dict(py, record, offsets)?;
            if record.status == Verdict::Applied {
                edits.append(dict)?;
            } else {
                suspects.append(dict)?;
            }
        }
        // Another thread may have won the race; either value is the same.
        let _ = self.dicts.set((edits.unbind(), suspects.unbind()));
        Ok(self.dicts.get().expect("just set"))
    }
}

#[pymethods]
impl CleanResult {
    /// The cleaned text.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// The id given to `clean` (None when none was given).
    #[getter]
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// Whether the cleaned text differs from the input.
    #[getter]
    fn changed(&self) -> bool {
        self.text != self.original
    }

    /// The applied edits, in pipeline order, as dicts.
    #[getter]
    fn edits(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        Ok(self.dicts(py)?.0.clone_ref(py))
    }

    /// The suspects (reported, not applied), in pipeline order, as dicts.
    #[getter]
    fn suspects(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        Ok(self.dicts(py)?.1.clone_ref(py))
    }

    fn __repr__(&self) -> String {
        let applied = self
            .records
            .iter()
            .filter(|r| r.status == Verdict::Applied)
            .count();
        format!(
            "Result(id={:?}, changed={}, edits={applied}, suspects={}, text_bytes={})",
            self.id,
            self.text != self.original,
            self.records.len() - applied,
            self.text.len()
        )
    }
}

/// Code-point offsets of an edit in the text its step saw.
type CharRange = (usize, usize);

/// The code-point offsets of every record. A record's byte range refers to the text its step
/// was given, which is not kept; it is rebuilt here by replaying each step's applied edits on
/// the original text, as the applier did.
fn offsets(original: &str, records: &[EditRecord]) -> Vec<CharRange> {
    let mut out = Vec::with_capacity(records.len());
    let mut text = std::borrow::Cow::Borrowed(original);
    let mut i = 0;
    while i < records.len() {
        let step = records[i].step;
        let end = records[i..]
            .iter()
            .position(|r| r.step != step)
            .map_or(records.len(), |n| i + n);
        let group = &records[i..end];
        // Ranges of one step come sorted by start (but for edits demoted to 0..0), so the
        // character count goes forward from the last position and restarts only if needed.
        let (mut at_byte, mut at_char) = (0, 0);
        for record in group {
            let start = record.range.start;
            if start < at_byte {
                (at_byte, at_char) = (0, 0);
            }
            at_char += text[at_byte..start].chars().count();
            at_byte = start;
            let len = text[record.range.clone()].chars().count();
            out.push((at_char, at_char + len));
        }
        if group.iter().any(|r| r.status == Verdict::Applied) {
            let mut next = String::with_capacity(text.len());
            let mut copied = 0;
            for record in group.iter().filter(|r| r.status == Verdict::Applied) {
                next.push_str(&text[copied..record.range.start]);
                next.push_str(&record.after);
                copied = record.range.end;
            }
            next.push_str(&text[copied..]);
            text = std::borrow::Cow::Owned(next);
        }
        i = end;
    }
    out
}

fn edit_dict<'py>(
    py: Python<'py>,
    record: &EditRecord,
    (char_start, char_end): CharRange,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("stage", record.stage.as_str())?;
    dict.set_item("rule", &*record.rule)?;
    dict.set_item("reason", &*record.reason)?;
    // The shortest decimal of the f32 (0.9, not 0.8999999761581421), as edits.jsonl shows it.
    let confidence: f64 = record.confidence.to_string().parse().unwrap_or(0.0);
    dict.set_item("confidence", confidence)?;
    dict.set_item("applied", record.status == Verdict::Applied)?;
    dict.set_item("before", &record.before)?;
    dict.set_item("after", &record.after)?;
    dict.set_item("start", record.range.start)?;
    dict.set_item("end", record.range.end)?;
    dict.set_item("char_start", char_start)?;
    dict.set_item("char_end", char_end)?;
    dict.set_item("line", record.line)?;
    dict.set_item("step", record.step)?;
    Ok(dict)
}
