//! JSONL corpora: one document per line in the layout datatrove and dolma write,
//! `{"id": …, "text": …, "metadata": {…}}`, plain or compressed with gzip or zstd.
//!
//! A record's output is its input line with at most two spans changed: the text value (only
//! when the text changed) and `metadata.unscrape` (added, or replaced on a second run). Every
//! other byte — other fields, their order, spacing, escapes, the line ending — is copied as
//! it was, so nothing a later tool reads is reformatted.
//!
//! A file streams through three threads: a reader decompresses and splits lines into
//! batches, the batch's records are cleaned in parallel on the rayon pool, and a writer
//! compresses and writes them in input order. At most a few batches are in memory, whatever
//! the size of the file.
//!
//! A record that cannot be cleaned (malformed JSON, no text field, a text that is not a
//! string, invalid UTF-8) is reported with its file and line and passed through unchanged, so
//! the output still has one line per input line. Two cases cannot keep that promise and say
//! so in the report: a line over the size cap is dropped (passing it through would mean
//! holding it in memory), and a truncated or corrupt compressed stream ends the file at the
//! last complete line read.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use rayon::prelude::*;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::corpus::CorpusStats;
use crate::document::{Decoding, Document, Origin};
use crate::edit::{EditRecord, StageName};
use crate::pipeline::Cleaner;
use crate::report::{Counts, DocumentReport, RecordRef, ReportWriter};
use crate::run::{GroupBy, SurveyParts};
use crate::sink::{AtomicFile, LazyAtomicFile};

/// How a JSONL file is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    Plain,
    /// gzip (several concatenated members are read as one stream).
    Gzip,
    /// Zstandard (several frames are read as one stream).
    Zstd,
}

/// Whether a file name is a JSONL corpus file, and how it is compressed: `.jsonl`,
/// `.ndjson`, those with `.gz` or `.zst`/`.zstd`, and `.json.gz`/`.json.zst` as dolma names
/// its files. A plain `.json` is one JSON document, not JSONL, and is not taken.
pub fn jsonl_compression(path: &Path) -> Option<Compression> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (stem, compression) = if let Some(stem) = name.strip_suffix(".gz") {
        (stem, Compression::Gzip)
    } else if let Some(stem) = name
        .strip_suffix(".zst")
        .or_else(|| name.strip_suffix(".zstd"))
    {
        (stem, Compression::Zstd)
    } else {
        (name.as_str(), Compression::Plain)
    };
    let jsonl = stem.ends_with(".jsonl") || stem.ends_with(".ndjson");
    let dolma = compression != Compression::Plain && stem.ends_with(".json");
    (jsonl || dolma).then_some(compression)
}

/// The compression a stream starts with, by its magic bytes (standard input has no name).
pub fn sniff_compression(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::Plain
    }
}

/// Wraps a reader in the decompressor `compression` calls for.
pub fn decompress(
    read: Box<dyn Read + Send>,
    compression: Compression,
) -> io::Result<Box<dyn Read + Send>> {
    Ok(match compression {
        Compression::Plain => read,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(read))),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(read)?),
    })
}

/// Which fields of a record hold the text and the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonlSettings {
    /// Top-level field holding the text (`--text-field`, default `text`).
    pub text_field: String,
    /// Top-level field holding the id (`--id-field`, default `id`); optional in a record.
    pub id_field: String,
    /// Top-level field holding an HTML page (`--html-field`): when set, this field is read
    /// instead of the text field, goes through the HTML extractor, and its cleaned main text
    /// replaces it in place. Without it, a record whose `format` (top level or in `metadata`)
    /// is `"html"` has HTML in its text field.
    pub html_field: Option<String>,
}

impl Default for JsonlSettings {
    fn default() -> JsonlSettings {
        JsonlSettings {
            text_field: "text".to_owned(),
            id_field: "id".to_owned(),
            html_field: None,
        }
    }
}

impl JsonlSettings {
    /// The field a record's document is read from and written back to.
    fn field(&self) -> &str {
        self.html_field.as_deref().unwrap_or(&self.text_field)
    }
}

/// Whether a record's `format` (a top-level string, else `metadata.format`) says HTML.
fn says_html(fields: &serde_json::Map<String, serde_json::Value>) -> bool {
    let format = fields
        .get("format")
        .and_then(|v| v.as_str())
        .or_else(|| fields.get("metadata")?.get("format")?.as_str());
    format.is_some_and(|f| f.eq_ignore_ascii_case("html"))
}

/// The `metadata.unscrape` object written into every cleaned record: tool version, rules
/// digest and the record's edit counts per stage.
#[derive(Clone, Debug)]
pub struct Stamp {
    head: String,
}

impl Stamp {
    /// A stamp for this tool version and these rules.
    pub fn new(rules_digest: &str) -> Stamp {
        let head = format!(
            "{{\"version\":{},\"rules_digest\":{},\"edits\":",
            serde_json::Value::from(env!("CARGO_PKG_VERSION")),
            serde_json::Value::from(rules_digest)
        );
        Stamp { head }
    }

    fn write(&self, out: &mut Vec<u8>, records: &[EditRecord]) {
        let mut by_stage: std::collections::BTreeMap<StageName, Counts> = Default::default();
        for r in records {
            by_stage.entry(r.stage).or_default().add(r.status);
        }
        out.extend_from_slice(self.head.as_bytes());
        serde_json::to_writer(&mut *out, &by_stage).expect("counts serialize");
        out.push(b'}');
    }
}

/// What happened to one record.
#[derive(Debug)]
pub enum RecordOutcome {
    /// Cleaned (possibly unchanged); the diff, if any, is taken out by the stream.
    Cleaned {
        /// The report's view of the record.
        report: Box<DocumentReport>,
        /// Unified diff of the text, when it changed.
        diff: Option<String>,
    },
    /// Not cleaned: passed through unchanged, or dropped when the message says so.
    Failed {
        /// 1-based line number.
        line: u64,
        /// The record's id, when it could be read.
        id: Option<String>,
        /// What went wrong and what became of the line.
        message: String,
    },
    /// A blank line, copied as it was.
    Blank,
}

/// Everything a stream needs besides its input and output.
pub struct StreamContext<'a> {
    /// The cleaner.
    pub cleaner: &'a Cleaner,
    /// Field names.
    pub settings: &'a JsonlSettings,
    /// The stamp for `metadata.unscrape`.
    pub stamp: &'a Stamp,
    /// How the report names the file: its relative path, `/`-separated (`stdin` for `-`).
    pub file: String,
    /// Lines longer than this (bytes, decompressed) are reported and dropped.
    pub max_record: u64,
    /// How records are grouped into sites (learned boilerplate).
    pub group_by: GroupBy,
    /// The file's own group (see [`GroupBy::group_of`]), for records without a URL host.
    pub file_group: String,
}

/// One input line.
struct Line {
    number: u64,
    /// The bytes, line ending included (empty when over the cap).
    bytes: Vec<u8>,
    /// The line's full length when it was over the cap.
    too_long: Option<u64>,
}

enum ReadItem {
    Batch(Vec<Line>),
    /// The stream could not be read past this line (1-based number of the line that failed).
    Error {
        line: u64,
        message: String,
    },
}

/// A batch holds at most this many records, or about this many bytes.
const BATCH_RECORDS: usize = 1024;
const BATCH_BYTES: usize = 8 << 20;

/// Reads one line (ending included) into `out`, keeping nothing of a line longer than `cap`.
/// Returns the line's full length, or `None` at the end of the stream.
fn read_capped_line(
    reader: &mut impl BufRead,
    out: &mut Vec<u8>,
    cap: u64,
) -> io::Result<Option<u64>> {
    let mut total: u64 = 0;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((total > 0).then_some(total));
        }
        let (len, done) = match memchr::memchr(b'\n', buf) {
            Some(at) => (at + 1, true),
            None => (buf.len(), false),
        };
        if total + len as u64 <= cap {
            out.extend_from_slice(&buf[..len]);
        } else {
            out.clear();
        }
        total += len as u64;
        reader.consume(len);
        if done {
            return Ok(Some(total));
        }
    }
}

/// The reader thread: lines in batches, then (maybe) the error that ended the stream.
fn read_lines(input: Box<dyn Read + Send>, cap: u64, sender: mpsc::SyncSender<ReadItem>) {
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut number = 0;
    let mut batch = Vec::new();
    let mut batch_bytes = 0;
    loop {
        let mut bytes = Vec::new();
        match read_capped_line(&mut reader, &mut bytes, cap) {
            Ok(None) => break,
            Ok(Some(len)) => {
                number += 1;
                batch_bytes += bytes.len();
                batch.push(Line {
                    number,
                    bytes,
                    too_long: (len > cap).then_some(len),
                });
                if batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
                    batch_bytes = 0;
                    if sender
                        .send(ReadItem::Batch(std::mem::take(&mut batch)))
                        .is_err()
                    {
                        return;
                    }
                }
            }
            Err(err) => {
                if !batch.is_empty() && sender.send(ReadItem::Batch(batch)).is_err() {
                    return;
                }
                let place = match number {
                    0 => "the start".to_owned(),
                    n => format!("line {n}"),
                };
                let message = format!(
                    "cannot read past {place}: {err} (truncated or corrupt file?); \
                     the rest of the file is not in the output"
                );
                let _ = sender.send(ReadItem::Error {
                    line: number + 1,
                    message,
                });
                return;
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(ReadItem::Batch(batch));
    }
}

/// Cleans a JSONL stream: records from `input` (already decompressed) to `output`, diffs to
/// `diffs`, outcomes to `on_batch` in input order (it returns false to stop). Unreadable
/// input becomes a [`RecordOutcome::Failed`]; only a failure to write is an `Err`.
pub fn clean_stream(
    input: Box<dyn Read + Send>,
    output: &mut (dyn Write + Send),
    diffs: &mut (dyn Write + Send),
    ctx: &StreamContext,
    on_batch: &mut dyn FnMut(Vec<RecordOutcome>) -> bool,
) -> io::Result<()> {
    std::thread::scope(|scope| {
        let (read_tx, read_rx) = mpsc::sync_channel::<ReadItem>(1);
        let cap = ctx.max_record;
        scope.spawn(move || read_lines(input, cap, read_tx));
        let (write_tx, write_rx) = mpsc::sync_channel::<(Vec<u8>, Vec<u8>)>(2);
        let writer = scope.spawn(move || -> io::Result<()> {
            for (records, diff) in write_rx {
                output.write_all(&records)?;
                diffs.write_all(&diff)?;
            }
            output.flush()?;
            diffs.flush()
        });
        let origin_file = PathBuf::from(&ctx.file);
        for item in read_rx {
            match item {
                ReadItem::Batch(lines) => {
                    let results: Vec<(Vec<u8>, RecordOutcome)> = lines
                        .into_par_iter()
                        .map(|line| process_line(line, ctx, &origin_file))
                        .collect();
                    let size = results.iter().map(|(b, _)| b.len()).sum();
                    let mut records = Vec::with_capacity(size);
                    let mut diff = Vec::new();
                    let mut outcomes = Vec::with_capacity(results.len());
                    for (bytes, mut outcome) in results {
                        records.extend_from_slice(&bytes);
                        if let RecordOutcome::Cleaned { diff: d, .. } = &mut outcome {
                            if let Some(d) = d.take() {
                                diff.extend_from_slice(d.as_bytes());
                            }
                        }
                        outcomes.push(outcome);
                    }
                    if write_tx.send((records, diff)).is_err() || !on_batch(outcomes) {
                        break;
                    }
                }
                ReadItem::Error { line, message } => {
                    on_batch(vec![RecordOutcome::Failed {
                        line,
                        id: None,
                        message,
                    }]);
                }
            }
        }
        drop(write_tx);
        writer.join().expect("JSONL writer thread panicked")
    })
}

/// The top-level fields of a JSON object, values left as raw text borrowed from the line.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields<'de>, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: &'de RawValue = map.next_value()?;
                    fields.push((key, value));
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// Byte offset of a raw value (a slice of `line`) in `line`.
fn offset_in(line: &str, raw: &RawValue) -> usize {
    raw.get().as_ptr() as usize - line.as_ptr() as usize
}

fn kind_of(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The text of a record as the survey needs it (`None` when it has none).
fn record_text(bytes: &[u8], settings: &JsonlSettings) -> Option<(String, Option<String>)> {
    let line = std::str::from_utf8(bytes).ok()?;
    let fields: Fields = serde_json::from_str(line).ok()?;
    // HTML records are left out of the survey (counting markup as words would mislead it).
    if settings.html_field.is_some() {
        return None;
    }
    let (_, raw) = fields.0.iter().find(|(k, _)| *k == settings.text_field)?;
    let text = serde_json::from_str::<String>(raw.get()).ok()?;
    let field = |name: &str| {
        fields
            .0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, raw)| *raw)
    };
    let url = field("url")
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
        .or_else(|| {
            let metadata: serde_json::Value =
                serde_json::from_str(field("metadata")?.get()).ok()?;
            metadata.get("url")?.as_str().map(str::to_owned)
        });
    Some((text, url))
}

/// Calls `each(line number, text, url)` for every readable record of a JSONL file, in order
/// (one thread; for `unscrape learn`'s second pass). Records that cannot be read, lines over
/// `max_record` bytes and HTML records (`--html-field`) are skipped, as the survey skips them;
/// a damaged stream ends the file.
pub fn for_each_record(
    path: &Path,
    settings: &JsonlSettings,
    max_record: u64,
    mut each: impl FnMut(u64, String, Option<String>),
) {
    let compression = jsonl_compression(path).unwrap_or(Compression::Plain);
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    let Ok(input) = decompress(Box::new(file), compression) else {
        return;
    };
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut bytes = Vec::new();
    for number in 1.. {
        bytes.clear();
        match (&mut reader)
            .take(max_record + 1)
            .read_until(b'\n', &mut bytes)
        {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        if bytes.len() as u64 > max_record && !bytes.ends_with(b"\n") {
            // Over the cap: skip the rest of the line.
            let mut rest = Vec::new();
            if reader.read_until(b'\n', &mut rest).is_err() {
                return;
            }
            continue;
        }
        if let Some((text, url)) = record_text(&bytes, settings) {
            each(number, text, url);
        }
    }
}

/// A record's URL: a top-level `url` string, else `metadata.url`.
fn record_url(fields: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    fields
        .get("url")
        .and_then(|v| v.as_str())
        .or_else(|| fields.get("metadata")?.get("url")?.as_str())
}

/// One record: its output bytes and what happened.
fn process_line(line: Line, ctx: &StreamContext, origin_file: &Path) -> (Vec<u8>, RecordOutcome) {
    let number = line.number;
    let fail = |bytes: Vec<u8>, id: Option<String>, message: String| {
        (
            bytes,
            RecordOutcome::Failed {
                line: number,
                id,
                message,
            },
        )
    };
    if let Some(len) = line.too_long {
        return fail(
            Vec::new(),
            None,
            format!(
                "record is {len} bytes, over the size cap of {} bytes (--max-file-size); \
                 dropped from the output",
                ctx.max_record
            ),
        );
    }
    let text = match std::str::from_utf8(&line.bytes) {
        Ok(text) => text,
        Err(err) => {
            let message = format!(
                "not valid UTF-8 (byte {}); passed through unchanged",
                err.valid_up_to()
            );
            return fail(line.bytes, None, message);
        }
    };
    if text.trim().is_empty() {
        return (line.bytes, RecordOutcome::Blank);
    }
    let fields: Fields = match serde_json::from_str(text) {
        Ok(fields) => fields,
        Err(err) => {
            let what = if err.is_data() {
                "not a JSON object"
            } else {
                "malformed JSON"
            };
            let message = format!("{what} ({err}); passed through unchanged");
            return fail(line.bytes, None, message);
        }
    };
    let settings = ctx.settings;
    let id = fields
        .0
        .iter()
        .find(|(k, _)| *k == settings.id_field)
        .map(|(_, raw)| match serde_json::from_str::<String>(raw.get()) {
            Ok(s) => s,
            Err(_) => raw.get().chars().take(200).collect(),
        });
    let field = settings.field();
    let mut texts = fields.0.iter().filter(|(k, _)| *k == field);
    let raw_text = match (texts.next(), texts.next()) {
        (Some((_, raw)), None) => *raw,
        (None, _) => {
            let message = format!(
                "no \"{field}\" field (--{}); passed through unchanged",
                if settings.html_field.is_some() {
                    "html-field"
                } else {
                    "text-field"
                }
            );
            return fail(line.bytes, id, message);
        }
        (Some(_), Some(_)) => {
            let message = format!("the \"{field}\" field appears twice; passed through unchanged");
            return fail(line.bytes, id, message);
        }
    };
    let original: String = match serde_json::from_str(raw_text.get()) {
        Ok(s) => s,
        Err(_) => {
            let message = format!(
                "field \"{field}\" is {}, not a string; passed through unchanged",
                kind_of(raw_text)
            );
            return fail(line.bytes, id, message);
        }
    };
    let metadata: serde_json::Map<String, serde_json::Value> = fields
        .0
        .iter()
        .filter(|(k, _)| *k != field)
        .map(|(k, raw)| {
            let value = serde_json::from_str(raw.get()).unwrap_or(serde_json::Value::Null);
            (k.clone(), value)
        })
        .collect();
    let doc = Document {
        id: format!("{}:{number}", ctx.file),
        origin: Origin::Record {
            file: origin_file.to_path_buf(),
            line: number,
        },
        raw_len: original.len(),
        decoding: Decoding::utf8(),
        text: original,
        group: ctx
            .group_by
            .record_group(&ctx.file_group, record_url(&metadata)),
        html: None,
        metadata: None,
    };
    let html = settings.html_field.is_some() || says_html(&metadata);
    let doc = Document {
        metadata: Some(Arc::new(metadata)),
        ..doc
    };
    let cleaned = if html {
        ctx.cleaner.clean_html_text(doc)
    } else {
        ctx.cleaner.clean_document(doc)
    };

    // The splices, in order of position: (start, end, replacement).
    let mut splices: Vec<(usize, usize, Vec<u8>)> = Vec::with_capacity(2);
    if cleaned.doc.text != cleaned.original {
        let start = offset_in(text, raw_text);
        let ascii = raw_text.get().is_ascii() && raw_text.get().contains("\\u");
        splices.push((
            start,
            start + raw_text.get().len(),
            json_string(&cleaned.doc.text, ascii),
        ));
    }
    let mut stamp = Vec::with_capacity(160);
    ctx.stamp.write(&mut stamp, &cleaned.records);
    if field != "metadata" {
        if let Some(splice) = stamp_splice(text, &fields, stamp) {
            splices.push(splice);
        }
    }
    splices.sort_by_key(|s| s.0);
    let mut out = Vec::with_capacity(line.bytes.len() + 256);
    let mut at = 0;
    for (start, end, replacement) in splices {
        out.extend_from_slice(&line.bytes[at..start]);
        out.extend_from_slice(&replacement);
        at = end;
    }
    out.extend_from_slice(&line.bytes[at..]);

    let (mut report, diff) = DocumentReport::new(cleaned, PathBuf::from(&ctx.file));
    report.record = Some(RecordRef {
        file: ctx.file.clone(),
        line: number,
        id,
    });
    (
        out,
        RecordOutcome::Cleaned {
            report: Box::new(report),
            diff,
        },
    )
}

/// Where `metadata.unscrape` goes: replacing an old stamp, appended to the metadata object,
/// or a new `metadata` object appended to the record. A `metadata` that is not an object is
/// left alone (no stamp).
fn stamp_splice(line: &str, fields: &Fields, stamp: Vec<u8>) -> Option<(usize, usize, Vec<u8>)> {
    let end_of = |raw: &RawValue| offset_in(line, raw) + raw.get().len();
    let Some((_, meta)) = fields.0.iter().rev().find(|(k, _)| k == "metadata") else {
        let last = fields.0.last()?.1;
        let mut insert = b",\"metadata\":{\"unscrape\":".to_vec();
        insert.extend_from_slice(&stamp);
        insert.push(b'}');
        return Some((end_of(last), end_of(last), insert));
    };
    if !meta.get().starts_with('{') {
        return None;
    }
    let inner: Fields = serde_json::from_str(meta.get()).ok()?;
    if let Some((_, old)) = inner.0.iter().rev().find(|(k, _)| k == "unscrape") {
        return Some((offset_in(line, old), end_of(old), stamp));
    }
    let mut insert = Vec::with_capacity(stamp.len() + 12);
    let at = match inner.0.last() {
        Some((_, last)) => {
            insert.push(b',');
            end_of(last)
        }
        None => end_of(meta) - 1, // before the closing brace of `{}`
    };
    insert.extend_from_slice(b"\"unscrape\":");
    insert.extend_from_slice(&stamp);
    Some((at, at, insert))
}

/// A JSON string literal. `ascii` escapes everything beyond ASCII as `\uXXXX`, for records
/// written that way (Python's `json.dumps` default), so a cleaned text keeps its style.
fn json_string(text: &str, ascii: bool) -> Vec<u8> {
    if !ascii {
        return serde_json::to_vec(text).expect("strings serialize");
    }
    let mut out = Vec::with_capacity(text.len() + 16);
    out.push(b'"');
    for ch in text.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
                }
            }
            c => out.push(c as u8),
        }
    }
    out.push(b'"');
    out
}

/// An output JSONL file being written: compressed as its name says, under a temporary name
/// until [`Encoder::finish`].
enum Encoder {
    Plain(AtomicFile),
    Gzip(flate2::write::GzEncoder<AtomicFile>),
    Zstd(zstd::stream::write::Encoder<'static, AtomicFile>),
}

impl Encoder {
    fn create(path: &Path, compression: Compression) -> io::Result<Encoder> {
        let file = AtomicFile::create(path)?;
        Ok(match compression {
            Compression::Plain => Encoder::Plain(file),
            // flate2 writes no name and a zero time in the header: same input, same bytes.
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                file,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(file, 3)?),
        })
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Encoder::Plain(file) => file.commit(),
            Encoder::Gzip(gz) => gz.finish()?.commit(),
            Encoder::Zstd(zst) => zst.finish()?.commit(),
        }
    }
}

impl Write for Encoder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(w) => w.write(buf),
            Encoder::Zstd(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(buf),
            Encoder::Gzip(w) => w.write_all(buf),
            Encoder::Zstd(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(w) => w.flush(),
            Encoder::Zstd(w) => w.flush(),
        }
    }
}

/// Cleans one JSONL file into `out/<relative>` (same compression) with its diffs in
/// `report_dir/diffs/<relative>.diff`. Record outcomes go to `on_batch` in order; an `Err`
/// is a failure of the whole file (cannot open or write it), and then nothing is left under
/// the output name.
pub fn clean_file(
    path: &Path,
    relative: &Path,
    out: &Path,
    report_dir: &Path,
    ctx: &StreamContext,
    on_batch: &mut dyn FnMut(Vec<RecordOutcome>) -> bool,
) -> Result<(), String> {
    let compression = jsonl_compression(relative)
        .or_else(|| jsonl_compression(path))
        .unwrap_or(Compression::Plain);
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("is a directory".to_owned());
    }
    let input = decompress(Box::new(file), compression).map_err(|e| format!("cannot read: {e}"))?;
    let target = out.join(relative);
    let cannot_write = |e: io::Error| format!("cannot write {}: {e}", target.display());
    let mut output = Encoder::create(&target, compression).map_err(cannot_write)?;
    let diff_path = ReportWriter::diff_path(report_dir, relative);
    let mut diffs = LazyAtomicFile::new(diff_path.clone());
    clean_stream(input, &mut output, &mut diffs, ctx, on_batch).map_err(cannot_write)?;
    output.finish().map_err(cannot_write)?;
    diffs
        .commit()
        .map_err(|e| format!("cannot write {}: {e}", diff_path.display()))
}

/// The survey pass over one JSONL file: counts the text of every readable record, and returns
/// the bytes read (decompressed). Unreadable records are skipped here; the cleaning pass
/// reports them.
pub fn survey_file(
    path: &Path,
    settings: &JsonlSettings,
    max_record: u64,
    parts: SurveyParts,
    file_group: Option<&str>,
    stats: &mut CorpusStats,
) -> u64 {
    let compression = jsonl_compression(path).unwrap_or(Compression::Plain);
    let Ok(file) = std::fs::File::open(path) else {
        return 0;
    };
    let Ok(input) = decompress(Box::new(file), compression) else {
        return 0;
    };
    let mut bytes_read = 0;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<ReadItem>(1);
        scope.spawn(move || read_lines(input, max_record, tx));
        for item in rx {
            let ReadItem::Batch(lines) = item else {
                continue;
            };
            bytes_read += lines.iter().map(|l| l.bytes.len() as u64).sum::<u64>();
            let part = lines
                .into_par_iter()
                .fold(CorpusStats::default, |mut part, line| {
                    if let Some((text, url)) = record_text(&line.bytes, settings) {
                        if parts.tokens {
                            part.add_document(&text);
                        } else {
                            part.documents += 1;
                        }
                        if let (Some(by), Some(file_group)) = (parts.lines, file_group) {
                            part.add_lines(&by.record_group(file_group, url.as_deref()), &text);
                        }
                    }
                    part
                })
                .reduce(CorpusStats::default, |mut a, b| {
                    a.merge(b);
                    a
                });
            stats.merge(part);
            // Batches are a fixed number of records, so what is forgotten here does not
            // depend on --jobs.
            stats.end_batch();
        }
    });
    bytes_read
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let c = |n: &str| jsonl_compression(Path::new(n));
        assert_eq!(c("a/x.jsonl"), Some(Compression::Plain));
        assert_eq!(c("x.JSONL.GZ"), Some(Compression::Gzip));
        assert_eq!(c("x.jsonl.zst"), Some(Compression::Zstd));
        assert_eq!(c("dolma-0001.json.gz"), Some(Compression::Gzip));
        assert_eq!(c("x.json"), None);
        assert_eq!(c("x.txt.gz"), None);
        assert_eq!(c("x.txt"), None);
    }

    fn clean_line(line: &str) -> (String, RecordOutcome) {
        let cleaner = Cleaner::with_defaults();
        let settings = JsonlSettings::default();
        let stamp = Stamp::new("d1");
        let ctx = StreamContext {
            cleaner: &cleaner,
            settings: &settings,
            stamp: &stamp,
            file: "f.jsonl".to_owned(),
            max_record: 1 << 20,
            group_by: GroupBy::Dir,
            file_group: String::new(),
        };
        let line = Line {
            number: 7,
            bytes: line.as_bytes().to_vec(),
            too_long: None,
        };
        let (bytes, outcome) = process_line(line, &ctx, Path::new("f.jsonl"));
        (String::from_utf8(bytes).unwrap(), outcome)
    }

    #[test]
    fn only_text_and_stamp_change() {
        let (out, outcome) = clean_line(
            "{\"z\": 1.50, \"text\": \"A story.\\r\\n\\n\\n\\nSource link\\n\", \"id\": 3,\"metadata\":{\"url\":\"http://a/\\u00e9\"}}\r\n",
        );
        assert_eq!(
            out,
            "{\"z\": 1.50, \"text\": \"A story.\\n\", \"id\": 3,\"metadata\":{\"url\":\"http://a/\\u00e9\",\"unscrape\":{\"version\":\"0.1.0\",\"rules_digest\":\"d1\",\"edits\":{\"normalize\":{\"applied\":2,\"suspect\":0},\"boilerplate\":{\"applied\":1,\"suspect\":0}}}}}\r\n"
                .replace("0.1.0", env!("CARGO_PKG_VERSION"))
        );
        let RecordOutcome::Cleaned { report, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(report.record.unwrap().id.as_deref(), Some("3"));
    }

    #[test]
    fn stamp_is_replaced_not_repeated() {
        let (once, _) = clean_line("{\"text\":\"Hello.\\n\"}");
        let (twice, _) = clean_line(&once);
        assert_eq!(once, twice);
        assert_eq!(once.matches("unscrape").count(), 1);
    }

    #[test]
    fn ascii_escaped_records_stay_ascii() {
        let (out, _) =
            clean_line("{\"text\":\"Caf\\u00e9 \\ud83d\\ude00.\\r\\n\",\"metadata\":{}}");
        assert!(
            out.starts_with(
                "{\"text\":\"Caf\\u00e9 \\ud83d\\ude00.\\n\",\"metadata\":{\"unscrape\":"
            ),
            "{out}"
        );
    }

    #[test]
    fn bad_records_pass_through() {
        for (line, needle) in [
            ("{\"text\": 5}\n", "is a number, not a string"),
            (
                "{\"id\":\"../../etc/passwd\",\"body\":\"x\"}\n",
                "no \"text\" field",
            ),
            ("{\"text\": \"x\"\n", "malformed JSON"),
            ("[1,2]\n", "not a JSON object"),
        ] {
            let (out, outcome) = clean_line(line);
            assert_eq!(out, line);
            let RecordOutcome::Failed { message, line, .. } = outcome else {
                panic!("{outcome:?}")
            };
            assert_eq!(line, 7);
            assert!(message.contains(needle), "{message}");
        }
    }
}
