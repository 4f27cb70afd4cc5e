//! Everything a reclassify session may touch, as it was, to put back if the session fails. A
//! file that cannot be read is an error before anything changes (it must not pass for absent,
//! or the rollback would delete it); putting back is atomic per file, and every file that could
//! not be put back is reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::fsutil;

/// A file's bytes and permissions, or `None` when it did not exist.
type Kept = Option<(Vec<u8>, std::fs::Permissions)>;

#[derive(Default)]
pub struct Snapshot {
    files: BTreeMap<PathBuf, Kept>,
    /// Directories the session created, removed whole on rollback.
    pub created_dirs: Vec<PathBuf>,
}

fn io(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let what = format!("failed to {what} `{}`", path.display());
    move |source| Error::Io { what, source }
}

impl Snapshot {
    /// Keeps `path` (every file below it, for a directory) as it is now.
    pub fn keep(&mut self, path: &Path) -> Result<(), Error> {
        if self.files.contains_key(path) {
            return Ok(());
        }
        let meta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.files.insert(path.to_path_buf(), None);
                return Ok(());
            }
            Err(e) => return Err(io("read", path)(e)),
        };
        if meta.is_dir() {
            for entry in walkdir::WalkDir::new(path) {
                let entry = entry.map_err(|e| {
                    let at = e.path().unwrap_or(path).to_path_buf();
                    io("read", &at)(e.into())
                })?;
                if entry.file_type().is_file() {
                    self.keep(entry.path())?;
                }
            }
            return Ok(());
        }
        let bytes = std::fs::read(path).map_err(io("read", path))?;
        self.files
            .insert(path.to_path_buf(), Some((bytes, meta.permissions())));
        Ok(())
    }

    /// Puts every kept file back and removes the directories the session created. Returns what
    /// could not be put back (empty when everything is as it was).
    pub fn restore(&self) -> Vec<Error> {
        let mut failed = Vec::new();
        for (path, kept) in &self.files {
            let result = match kept {
                Some((bytes, perms)) => restore_file(path, bytes, perms),
                None => match std::fs::remove_file(path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        Err(io("remove", path)(e))
                    }
                    _ => Ok(()),
                },
            };
            if let Err(e) = result {
                failed.push(e);
            }
        }
        for dir in self.created_dirs.iter().rev() {
            match std::fs::remove_dir_all(dir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    failed.push(io("remove the directory", dir)(e));
                }
                _ => {}
            }
        }
        failed
    }
}

fn restore_file(path: &Path, bytes: &[u8], perms: &std::fs::Permissions) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    }
    fsutil::write_atomic(path, bytes)?;
    std::fs::set_permissions(path, perms.clone()).map_err(io("set the permissions of", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_bytes_and_modes_and_reports_what_it_cannot() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("a/kept.rs");
        let gone = dir.path().join("b/gone.rs");
        let new = dir.path().join("new.rs");
        std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
        std::fs::create_dir_all(gone.parent().unwrap()).unwrap();
        std::fs::write(&kept, b"\xff not UTF-8, kept as bytes").unwrap();
        std::fs::write(&gone, "mod x;\n").unwrap();
        let mut snapshot = Snapshot::default();
        for p in [&kept, &gone, &new] {
            snapshot.keep(p).unwrap();
        }

        std::fs::write(&kept, "changed").unwrap();
        std::fs::write(&new, "created").unwrap();
        // `b` becomes a file: `b/gone.rs` cannot be put back, and that is said.
        std::fs::remove_dir_all(gone.parent().unwrap()).unwrap();
        std::fs::write(gone.parent().unwrap(), "in the way").unwrap();
        let failed = snapshot.restore();
        assert_eq!(
            std::fs::read(&kept).unwrap(),
            b"\xff not UTF-8, kept as bytes"
        );
        assert!(!new.exists(), "created files are removed");
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].to_string().contains("b`"), "{}", failed[0]);
    }

    #[test]
    fn an_unreadable_path_is_an_error_not_absent() {
        let dir = tempfile::tempdir().unwrap();
        // A path through a file: neither there nor missing.
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        let mut snapshot = Snapshot::default();
        assert!(snapshot.keep(&file.join("below")).is_err());
        assert!(snapshot.keep(&dir.path().join("missing")).is_ok());
    }
}
