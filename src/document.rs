//! A document on its way through the pipeline.

use std::path::PathBuf;

/// Where a document came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    File(PathBuf),
    /// Standard input.
    Stdin,
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
    /// Number of byte sequences that were invalid in that encoding and became U+FFFD.
    pub malformed: usize,
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
}
