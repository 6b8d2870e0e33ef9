//! Sinks: writing cleaned text where it belongs.
//!
//! Both writers create missing parent folders only when the first attempt finds them missing:
//! a corpus of thousands of files in a few folders then costs no `mkdir`/`stat` per file.

use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// killed run never leaves a truncated file under the final name. Creates parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = temp_name(path);
    let result = (|| {
        let mut file = create_with_parents(&temp)?;
        file.write_all(bytes)?;
        file.flush()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Writes `bytes` to `path` directly (no temporary file), creating parent folders. For report
/// files, which a later run rewrites whole anyway; `summary.json`, written last, tells a
/// finished report from an interrupted one.
pub fn write_plain(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = create_with_parents(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// `File::create`, retried once after creating the parent folders if they were missing.
fn create_with_parents(path: &Path) -> std::io::Result<File> {
    match File::create(path) {
        Err(err) if err.kind() == ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            File::create(path)
        }
        other => other,
    }
}

/// The temporary name a file is written under before its rename: hidden, in the same folder
/// (so the rename is atomic), and marked so a resumed run can recognise and remove leftovers.
fn temp_name(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}{TEMP_MARK}{}", std::process::id()))
}

/// What every temporary file name contains (followed by the writing process's id).
pub const TEMP_MARK: &str = ".unscrape-tmp-";

/// A file written as a stream under a temporary name and renamed into place by
/// [`AtomicFile::commit`]. Dropped without a commit (an error, a panic), the temporary file is
/// removed; killed, it stays under its hidden temporary name, never under the final one.
pub struct AtomicFile {
    path: std::path::PathBuf,
    temp: std::path::PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// Starts writing `path` (creating parent folders).
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let temp = temp_name(path);
        let file = create_with_parents(&temp)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp,
            file: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Flushes and renames the file to its final name.
    pub fn commit(mut self) -> std::io::Result<()> {
        let file = self.file.take().expect("not committed yet");
        let result = file
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|_| std::fs::rename(&self.temp, &self.path));
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temp);
        }
        result
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("not committed").write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.file.as_mut().expect("not committed").write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("not committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// An [`AtomicFile`] created only when the first non-empty write arrives, so a stream that
/// never writes leaves no file (a JSONL file with no changed record has no diff file).
pub struct LazyAtomicFile {
    path: std::path::PathBuf,
    file: Option<AtomicFile>,
}

impl LazyAtomicFile {
    /// A file at `path`, not created yet.
    pub fn new(path: std::path::PathBuf) -> LazyAtomicFile {
        LazyAtomicFile { path, file: None }
    }

    /// Renames the file into place if anything was written.
    pub fn commit(self) -> std::io::Result<()> {
        match self.file {
            Some(file) => file.commit(),
            None => Ok(()),
        }
    }
}

impl Write for LazyAtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.file.is_none() {
            self.file = Some(AtomicFile::create(&self.path)?);
        }
        self.file.as_mut().expect("just created").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

/// Removes temporary files a killed run left under `dir` (hidden names carrying
/// [`TEMP_MARK`]); returns how many. Only a resumed run calls this, on its own output folders.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let mut removed = 0;
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.starts_with('.')
            && name.contains(TEMP_MARK)
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_create_missing_folders_and_replace_files() {
        let dir = tempfile::tempdir().unwrap();
        let atomic = dir.path().join("a/b/c.txt");
        write_atomic(&atomic, b"one").unwrap();
        write_atomic(&atomic, b"two").unwrap();
        assert_eq!(std::fs::read(&atomic).unwrap(), b"two");
        let plain = dir.path().join("x/y.diff");
        write_plain(&plain, b"long content").unwrap();
        write_plain(&plain, b"short").unwrap();
        assert_eq!(std::fs::read(&plain).unwrap(), b"short");
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("c.txt")]);
    }

    #[test]
    fn a_parent_that_is_a_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"").unwrap();
        assert!(write_atomic(&dir.path().join("f/g.txt"), b"x").is_err());
        assert!(write_plain(&dir.path().join("f/g.diff"), b"x").is_err());
    }
}
