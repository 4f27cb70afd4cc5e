//! Unstaged changes set aside while the hook tests the staged snapshot, and put back byte for
//! byte afterwards. Every tracked file whose work-tree content differs from the index is copied
//! to `<git dir>/cargo-budget/unstaged-<id>/` with its mode, then the index version is written
//! in its place. Untracked files are never touched. Restoring copies the saved bytes back; the
//! copies are deleted only once every file is back, so a failure (or a crash) leaves them where
//! the user can recover them.

use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions};

use super::staged::Commit;

/// One file as it was in the work tree.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Saved {
    /// Its bytes are in the backup directory under the same relative path; `mode` from the
    /// file system.
    Content { mode: u32 },
    /// The file did not exist in the work tree (an unstaged deletion).
    Absent,
}

#[derive(Debug)]
pub struct SetAside {
    workdir: PathBuf,
    backup: PathBuf,
    files: Vec<(PathBuf, Saved)>,
    restored: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("failed to {what} `{}`; your unstaged changes are saved in `{}`", path.display(), backup.display())]
pub struct SetAsideError {
    what: &'static str,
    path: PathBuf,
    backup: PathBuf,
    #[source]
    source: std::io::Error,
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode()
}

#[cfg(not(unix))]
fn mode_of(_meta: &std::fs::Metadata) -> u32 {
    0o644
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
fn replace(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    let tmp = tmp.into_temp_path();
    set_mode(&tmp, mode)?;
    tmp.persist(path).map_err(|e| e.error)
}

impl SetAside {
    /// Sets aside the unstaged changes of `commit`'s work tree; `None` when there are none.
    pub fn new(commit: &Commit) -> Result<Option<SetAside>, SetAsideError> {
        let mut opts = DiffOptions::new();
        opts.include_untracked(false).include_typechange(true);
        let diff = commit
            .repo
            .diff_index_to_workdir(Some(&commit.index), Some(&mut opts))
            .map_err(|e| SetAsideError {
                what: "compare the index with",
                path: commit.workdir.clone(),
                backup: PathBuf::new(),
                source: std::io::Error::other(e),
            })?;
        let changed: Vec<PathBuf> = diff
            .deltas()
            .filter(|d| {
                matches!(
                    d.status(),
                    Delta::Modified | Delta::Deleted | Delta::Typechange
                )
            })
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .or(d.old_file().path())
                    .map(Path::to_path_buf)
            })
            .collect();
        if changed.is_empty() {
            return Ok(None);
        }
        let stamp = format!(
            "unstaged-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let backup = commit.repo.path().join("cargo-budget").join(stamp);
        let mut set = SetAside {
            workdir: commit.workdir.clone(),
            backup: backup.clone(),
            files: Vec::new(),
            restored: false,
        };
        let fail = |what, path: &Path, source| SetAsideError {
            what,
            path: path.to_path_buf(),
            backup: backup.clone(),
            source,
        };
        std::fs::create_dir_all(&backup).map_err(|e| fail("create", &backup, e))?;
        // Save everything first, then overwrite: nothing is touched until all copies exist.
        for rel in &changed {
            let file = commit.workdir.join(rel);
            let saved = match std::fs::symlink_metadata(&file) {
                Ok(meta) => {
                    let bytes = std::fs::read(&file).map_err(|e| fail("read", &file, e))?;
                    let copy = backup.join(rel);
                    std::fs::create_dir_all(copy.parent().unwrap_or(&backup))
                        .map_err(|e| fail("create", &backup, e))?;
                    std::fs::write(&copy, bytes).map_err(|e| fail("save", &copy, e))?;
                    Saved::Content {
                        mode: mode_of(&meta),
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Saved::Absent,
                Err(e) => return Err(fail("read", &file, e)),
            };
            set.files.push((rel.clone(), saved));
        }
        let listing: String = set
            .files
            .iter()
            .map(|(p, s)| {
                format!(
                    "{}\t{}\n",
                    if matches!(s, Saved::Absent) {
                        "deleted"
                    } else {
                        "saved"
                    },
                    p.display()
                )
            })
            .collect();
        std::fs::write(backup.join("FILES"), listing).map_err(|e| fail("save", &backup, e))?;

        for (rel, _) in &set.files {
            let file = commit.workdir.join(rel);
            let Some(entry) = commit.index.get_path(rel, 0) else {
                continue;
            };
            let blob = commit
                .repo
                .find_blob(entry.id)
                .map_err(|e| fail("read the index version of", &file, std::io::Error::other(e)))?;
            let mode = if entry.mode & 0o111 != 0 {
                0o755
            } else {
                0o644
            };
            replace(&file, blob.content(), mode)
                .map_err(|e| fail("write the staged version of", &file, e))?;
        }
        Ok(Some(set))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Where the saved copies are while set aside.
    pub fn backup_dir(&self) -> &Path {
        &self.backup
    }

    /// Puts every file back as it was; deletes the copies only when all are back.
    pub fn restore(mut self) -> Result<(), SetAsideError> {
        self.restore_all()
    }

    fn restore_all(&mut self) -> Result<(), SetAsideError> {
        if self.restored {
            return Ok(());
        }
        for (rel, saved) in &self.files {
            let file = self.workdir.join(rel);
            let fail = |what, source| SetAsideError {
                what,
                path: file.clone(),
                backup: self.backup.clone(),
                source,
            };
            match saved {
                Saved::Content { mode } => {
                    let bytes = std::fs::read(self.backup.join(rel))
                        .map_err(|e| fail("read the saved copy of", e))?;
                    replace(&file, &bytes, *mode).map_err(|e| fail("restore", e))?;
                }
                Saved::Absent => match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(fail("delete again", e)),
                },
            }
        }
        self.restored = true;
        let _ = std::fs::remove_dir_all(&self.backup);
        if let Some(parent) = self.backup.parent() {
            let _ = std::fs::remove_dir(parent);
        }
        Ok(())
    }
}

impl Drop for SetAside {
    /// A last resort when the caller returned early: put things back; on failure the copies
    /// stay in the backup directory.
    fn drop(&mut self) {
        let _ = self.restore_all();
    }
}
