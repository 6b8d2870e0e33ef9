//! A document on its way through the pipeline.

use std::path::PathBuf;
use std::sync::Arc;

use crate::stages::extract::Page;

/// Where a document came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// One record of a JSONL file (or of JSONL on standard input).
    Record {
        /// The file's path relative to its input root (`-` for standard input).
        file: PathBuf,
        /// 1-based line number of the record.
        line: u64,
    },
    /// Text handed to the library directly.
    Memory,
}

/// How the raw bytes were turned into text.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoding {
    /// WHATWG name of the encoding used (`UTF-8`, `windows-1252`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// Whether a byte-order mark chose the encoding.
    pub bom: bool,
    /// Whether a detector had to guess (the bytes were neither valid UTF-8 nor marked by a BOM).
    pub detected: bool,
    /// How sure the choice is: 1 for a BOM or valid UTF-8; for a detector's guess, 0.9 when
    /// chardetng calls it a likely guess and 0.5 when it does not.
    pub confidence: f32,
    /// Number of byte sequences that were invalid in that encoding and became U+FFFD.
    pub malformed: usize,
}

impl Decoding {
    /// Text that was valid UTF-8 without a BOM (or never bytes at all).
    pub fn utf8() -> Decoding {
        Decoding {
            encoding: "UTF-8",
            bom: false,
            detected: false,
            confidence: 1.0,
            malformed: 0,
        }
    }
}

/// One document: its identity, its raw bytes and its current text.
#[derive(Clone, Debug)]
pub struct Document {
    /// Path relative to the input root (`/`-separated); also the output's relative path.
    pub id: String,
    /// Where it came from.
    pub origin: Origin,
    /// Size of the raw input in bytes.
    pub raw_len: usize,
    /// How the bytes were decoded.
    pub decoding: Decoding,
    /// The text as the current stage sees it.
    pub text: String,
    /// The group (site) the document belongs to, for learned boilerplate: by default its
    /// folder (`--group-by dir`), one group for all (`none`), or a host name (`host`, filled by
    /// the JSONL reader from a record's `url`). Empty: not grouped, nothing is learned for it.
    pub group: String,
    /// For HTML input: the rendered page (its blocks, which element each came from, and the
    /// page's metadata: title, canonical URL, publication date, author). `None` for text.
    pub html: Option<Arc<Page>>,
    /// For a JSONL record, every field of the record except the text field (`id`,
    /// `metadata`, `url`, …), for stages that key on them (say, a site from `metadata.url`).
    pub metadata: Option<Arc<serde_json::Map<String, serde_json::Value>>>,
}

impl Document {
    /// A document made from text already in memory (UTF-8, no BOM).
    pub fn from_text(id: &str, text: &str) -> Document {
        Document {
            id: id.to_owned(),
            origin: Origin::Memory,
            raw_len: text.len(),
            decoding: Decoding::utf8(),
            text: text.to_owned(),
            group: String::new(),
            html: None,
            metadata: None,
        }
    }
}
