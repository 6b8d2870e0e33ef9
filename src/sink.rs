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
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.unscrape-tmp-{}", std::process::id()));
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
