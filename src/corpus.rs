//! Corpus-level knowledge, gathered before cleaning and handed to every stage read-only.
//!
//! The survey pass that fills it (token counts for the glue stage, repeated lines per site for
//! learned boilerplate) arrives with those stages; until then the value is empty. It is a plain
//! value that per-worker copies can be merged into, never a global behind a lock.

/// Read-only statistics about the whole corpus, shared by all documents of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorpusStats {
    /// Number of documents surveyed.
    pub documents: u64,
}

impl CorpusStats {
    /// Adds another worker's statistics into this one.
    pub fn merge(&mut self, other: CorpusStats) {
        self.documents += other.documents;
    }
}
