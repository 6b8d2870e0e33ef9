//! The text stages. Each step is a small type that reads a document and proposes edits; it
//! never touches files, threads or the report, and never mutates text itself.

pub mod boilerplate;
pub mod decode;
pub mod entities;
pub mod extract;
pub mod glue;
pub mod learned;
pub mod mojibake;
pub mod normalize;
pub mod page;
pub mod typography;

use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::edit::{Edit, StageName};

/// One named step of a stage. Its edits are applied before the next step runs, so steps of
/// the same stage never need to coordinate their byte ranges.
pub trait Step: Send + Sync {
    /// The stage this step belongs to (what `--only` / `--skip` select).
    fn stage(&self) -> StageName;
    /// A short name for the step, for `unscrape rules` and debugging.
    fn name(&self) -> &'static str;
    /// Proposes edits against `doc.text`.
    fn edits(&self, doc: &Document, stats: &CorpusStats) -> Vec<Edit>;
}

/// A shared step is the step itself (the boilerplate rules run twice from one compiled set).
impl<S: Step + ?Sized> Step for std::sync::Arc<S> {
    fn stage(&self) -> StageName {
        (**self).stage()
    }
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn edits(&self, doc: &Document, stats: &CorpusStats) -> Vec<Edit> {
        (**self).edits(doc, stats)
    }
}
