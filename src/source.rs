//! Sources: turning the command line's inputs into a stream of files to read.
//!
//! Directories are walked recursively in a deterministic order (sorted by name), following
//! symbolic links with loop detection. Hidden files and folders are skipped, and so are
//! folders the run writes to (`--out`, `--report`) when they lie inside an input.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// `-`: standard input (one text document, or JSONL records with `--format jsonl`).
    Stdin,
    /// A file or a directory.
    Path(PathBuf),
}

/// A file to clean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// The document id: its path relative to the input root, `/`-separated.
    pub id: String,
    /// Path relative to the input root (also the output's path under `--out`).
    pub relative: PathBuf,
    /// Where to read it.
    pub path: PathBuf,
}

/// Something the walk could not use, with a message that names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The path concerned.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// One item of the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A file to clean.
    File(InputFile),
    /// A file or folder that could not be used.
    Error(InputError),
    /// A file in a walked folder that is not text by its name (counted, not read).
    Skipped(PathBuf),
}

/// Whether a file found while walking a folder is taken as a text document: `.txt`, `.text`,
/// or no extension at all (scraped dumps are often named by hash). Files named on the command
/// line are always taken.
pub fn is_text_name(path: &Path) -> bool {
    match path.extension() {
        None => true,
        Some(ext) => ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("text"),
    }
}

/// Whether a file is read as an HTML page: `.html` or `.htm` (any case).
pub fn is_html_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Where an input's cleaned text goes, relative to `--out`: the same path, except that an
/// HTML page becomes a `.txt` file (`a/b/page.html` → `a/b/page.txt`), since the output is
/// its text.
pub fn output_relative(relative: &Path) -> PathBuf {
    if is_html_name(relative) {
        relative.with_extension("txt")
    } else {
        relative.to_path_buf()
    }
}

type DirWalk = Box<dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>> + Send>;

/// Walks the inputs in order, yielding every file to clean. Streaming: only the current
/// directory listing is held in memory.
pub struct Walk {
    inputs: VecDeque<PathBuf>,
    current: Option<(PathBuf, DirWalk)>,
    excluded: Vec<PathBuf>,
}

impl Walk {
    /// Walks `inputs` (files and directories), never entering the `excluded` directories
    /// (given as canonical paths).
    pub fn new(inputs: Vec<PathBuf>, excluded: Vec<PathBuf>) -> Walk {
        Walk {
            inputs: inputs.into(),
            current: None,
            excluded,
        }
    }
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            if let Some((root, walker)) = &mut self.current {
                match walker.next() {
                    None => self.current = None,
                    Some(Err(err)) => return Some(Entry::Error(walk_error(err))),
                    Some(Ok(entry)) if entry.file_type().is_dir() => continue,
                    Some(Ok(entry)) => {
                        let path = entry.into_path();
                        if !is_text_name(&path)
                            && !is_html_name(&path)
                            && crate::jsonl::jsonl_compression(&path).is_none()
                        {
                            return Some(Entry::Skipped(path));
                        }
                        let relative = path.strip_prefix(&*root).unwrap_or(&path).to_path_buf();
                        return Some(Entry::File(InputFile {
                            id: id_of(&relative),
                            relative,
                            path,
                        }));
                    }
                }
                continue;
            }
            let input = self.inputs.pop_front()?;
            match std::fs::metadata(&input) {
                Err(err) => {
                    return Some(Entry::Error(InputError {
                        path: input.display().to_string(),
                        message: format!("cannot read: {err}"),
                    }))
                }
                Ok(meta) if meta.is_dir() => {
                    let excluded = self.excluded.clone();
                    let walker = walkdir::WalkDir::new(&input)
                        .follow_links(true)
                        .sort_by_file_name()
                        .into_iter()
                        .filter_entry(move |e| {
                            if e.depth() == 0 {
                                return true;
                            }
                            let hidden = e.file_name().to_string_lossy().starts_with('.');
                            let is_excluded = e.file_type().is_dir()
                                && std::fs::canonicalize(e.path())
                                    .is_ok_and(|p| excluded.contains(&p));
                            !hidden && !is_excluded
                        });
                    self.current = Some((input, Box::new(walker)));
                }
                Ok(_) => {
                    let relative = PathBuf::from(input.file_name().unwrap_or(input.as_os_str()));
                    return Some(Entry::File(InputFile {
                        id: id_of(&relative),
                        relative,
                        path: input,
                    }));
                }
            }
        }
    }
}

fn id_of(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk_error(err: walkdir::Error) -> InputError {
    let path = err
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let message = match err.loop_ancestor() {
        Some(ancestor) => format!(
            "directory loop: links back to {}; not followed",
            ancestor.display()
        ),
        None => match err.io_error() {
            Some(io) => format!("cannot read: {io}"),
            None => err.to_string(),
        },
    };
    InputError { path, message }
}

/// Reads a file to clean, refusing files over `max_bytes` and binary files (a NUL byte in
/// the first 8 KiB, unless a UTF-16/UTF-32 byte-order mark explains it).
pub fn read_document(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if meta.is_dir() {
        return Err("is a directory".to_owned());
    }
    if meta.len() > max_bytes {
        return Err(format!(
            "file is {} bytes, over the size cap of {} bytes (--max-file-size)",
            meta.len(),
            max_bytes
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "file grew past the size cap of {max_bytes} bytes (--max-file-size) while read"
        ));
    }
    check_not_binary(&bytes)?;
    Ok(bytes)
}

/// Refuses bytes that look binary: a NUL in the first 8 KiB without a UTF-16 BOM.
pub fn check_not_binary(bytes: &[u8]) -> Result<(), String> {
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    match memchr::memchr(0, head) {
        Some(at) if !utf16 => Err(format!(
            "binary file (NUL byte at offset {at}); not cleaned"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_names() {
        assert!(is_text_name(Path::new("a/b.txt")));
        assert!(is_text_name(Path::new("a/7709de0daae0d876")));
        assert!(is_text_name(Path::new("A.TXT")));
        assert!(!is_text_name(Path::new("a/logo.png")));
        assert!(is_html_name(Path::new("a/b.HTM")));
        assert!(!is_html_name(Path::new("a/b.xhtml.txt")));
        assert_eq!(
            output_relative(Path::new("a/b/page.html")),
            Path::new("a/b/page.txt")
        );
        assert_eq!(output_relative(Path::new("a/b.txt")), Path::new("a/b.txt"));
    }

    #[test]
    fn nul_bytes_mean_binary_unless_utf16() {
        assert!(check_not_binary(b"abc\0def").is_err());
        assert!(check_not_binary(b"\xFF\xFEa\0b\0").is_ok());
        assert!(check_not_binary(b"plain").is_ok());
    }
}
