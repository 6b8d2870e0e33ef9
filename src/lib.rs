//! unscrape: clean scraped text corpora in bulk — site chrome, glued tokens, broken
//! encodings — and show, edit by edit, what changed and why.
//!
//! Data flows one way: source → decode → (HTML: render, extract) → normalize → boilerplate →
//! glue → sink + report.
//! Stages never change text themselves: they propose [`Edit`]s, [`edit::apply`] applies them
//! and records each one, and the report is written from those records alone.
//!
//! ```
//! let cleaner = unscrape::Cleaner::with_defaults();
//! let cleaned = cleaner.clean_text("doc-1", "Breaking News\nA story.\r\n\n\nSource link\nBack to top\n");
//! assert_eq!(cleaned.doc.text, "A story.\n");
//! assert!(cleaned.records.iter().any(|r| &*r.rule == "footer.source-link.v1"));
//! ```

pub mod cli;
pub mod corpus;
pub mod document;
pub mod edit;
pub mod jsonl;
pub mod learn;
pub mod lexicon;
pub mod pipeline;
pub mod prefilter;
pub mod report;
pub mod resume;
pub mod review;
pub mod rules;
pub mod run;
pub mod shard;
pub mod sink;
pub mod source;
pub mod stages;
pub mod stats;
pub mod tokens;

pub use corpus::CorpusStats;
pub use document::Document;
pub use edit::{Edit, EditRecord, StageName, Verdict};
pub use pipeline::{Cleaned, Cleaner, StageSet};
pub use rules::RuleSet;
pub use run::Config;
