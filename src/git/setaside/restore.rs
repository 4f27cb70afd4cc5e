//! Putting the set-aside changes back: each saved version returns unless someone changed the
//! file since, in which case what is there is kept under `conflicts/` first; the saved copies
//! go only once everything is back.

use std::path::{Path, PathBuf};

use super::error::{SetAsideError, restore_hint};
use super::fs::{State, Sync};
use super::list::{Entry, Saved, Written};
use super::{SetAside, fs, list};

/// Whether `now` is exactly what the set-aside wrote.
pub(super) fn is_written(now: &State, written: &Written) -> bool {
    match (now, written) {
        (State::File { bytes, mode }, Written::File { executable, sha256 }) => {
            (mode & 0o111 != 0) == *executable && list::sha256(bytes) == *sha256
        }
        (State::Link { target }, Written::Link { sha256 }) => list::sha256(target) == *sha256,
        _ => false,
    }
}

/// Whether `now` holds the same bytes (content or link target) as `saved`.
pub(super) fn same_content(now: &State, saved: &State) -> bool {
    match (now, saved) {
        (State::File { bytes: a, .. }, State::File { bytes: b, .. }) => a == b,
        (State::Link { target: a }, State::Link { target: b }) => a == b,
        (State::Absent, State::Absent) => true,
        _ => false,
    }
}

impl SetAside {
    /// Puts every path back as it was. Returns where versions found in the way are kept: a
    /// path that is neither what was written for the tests nor the saved version was changed
    /// by someone else, and that version stays under `conflicts/` in a `kept-…` directory.
    pub fn restore(mut self) -> Result<Vec<PathBuf>, SetAsideError> {
        self.restore_all()
    }

    pub(super) fn restore_all(&mut self) -> Result<Vec<PathBuf>, SetAsideError> {
        if self.attempted {
            return Ok(Vec::new());
        }
        self.attempted = true;
        let mut conflicts = Vec::new();
        for entry in self.entries.iter().filter(|e| e.written != Written::Dir) {
            self.put_back(entry, &mut conflicts)?;
        }
        // Created directories, deepest first; one that is not empty now stays.
        for entry in self.entries.iter().rev() {
            if entry.written == Written::Dir {
                let _ = std::fs::remove_dir(self.workdir.join(&entry.path));
            }
        }
        Ok(self.finish(conflicts))
    }

    fn put_back(&self, entry: &Entry, conflicts: &mut Vec<PathBuf>) -> Result<(), SetAsideError> {
        let file = self.workdir.join(&entry.path);
        let fail = |what, path: &Path, source| SetAsideError::Io {
            what,
            path: path.to_path_buf(),
            hint: restore_hint(&self.backup),
            source,
        };
        let copy = self.backup.join("tree").join(&entry.path);
        let read_copy = || std::fs::read(&copy).map_err(|e| fail("read the saved copy", &copy, e));
        let saved = match entry.saved {
            Saved::File { mode } => State::File {
                bytes: read_copy()?,
                mode,
            },
            Saved::Link => State::Link {
                target: read_copy()?,
            },
            Saved::Absent => State::Absent,
        };
        let now = State::read(&file).map_err(|e| fail("read", &file, e))?;
        if now == saved {
            return Ok(());
        }
        match now {
            // A directory made where a deleted file was is not ours to remove.
            State::Other if saved == State::Absent => return Ok(()),
            State::File { .. } | State::Link { .. }
                if !same_content(&now, &saved) && !is_written(&now, &entry.written) =>
            {
                conflicts.push(self.keep(&entry.path, &now)?);
            }
            _ => {}
        }
        if saved != State::Absent
            && let Some(dir) = file.parent()
        {
            std::fs::create_dir_all(dir).map_err(|e| fail("create", dir, e))?;
        }
        fs::put(&file, &saved, Sync::Durable).map_err(|e| fail("restore", &file, e))
    }

    /// Keeps `now`, found at `rel`, under `conflicts/` (never over an earlier kept version).
    fn keep(&self, rel: &Path, now: &State) -> Result<PathBuf, SetAsideError> {
        let first = self.backup.join("conflicts").join(rel);
        let fail = |source| SetAsideError::Io {
            what: "keep the changed version of",
            path: self.workdir.join(rel),
            hint: restore_hint(&self.backup),
            source,
        };
        if let Some(dir) = first.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let mut keep = first.clone();
        let mut n = 1;
        while std::fs::symlink_metadata(&keep).is_ok() {
            let mut name = first.file_name().unwrap_or_default().to_os_string();
            name.push(format!(".{n}"));
            keep = first.with_file_name(name);
            n += 1;
        }
        fs::put(&keep, now, Sync::Durable).map_err(fail)?;
        Ok(keep)
    }

    /// Removes the saved copies once all is back; with versions kept, the directory stays
    /// under a name that no longer reads as an unfinished run.
    fn finish(&self, conflicts: Vec<PathBuf>) -> Vec<PathBuf> {
        if conflicts.is_empty() {
            let _ = std::fs::remove_dir_all(&self.backup);
            if let Some(parent) = self.backup.parent() {
                let _ = std::fs::remove_dir(parent);
            }
            return conflicts;
        }
        let name = self
            .backup
            .file_name()
            .map(|n| n.to_string_lossy().replacen("unstaged-", "kept-", 1));
        let (Some(parent), Some(name)) = (self.backup.parent(), name) else {
            return conflicts;
        };
        let kept = parent.join(name);
        if std::fs::rename(&self.backup, &kept).is_err() {
            return conflicts;
        }
        let _ = std::fs::remove_dir_all(kept.join("tree"));
        let _ = std::fs::remove_file(kept.join("FILES"));
        conflicts
            .into_iter()
            .map(|c| {
                c.strip_prefix(&self.backup)
                    .map(|r| kept.join(r))
                    .unwrap_or(c)
            })
            .collect()
    }
}

impl Drop for SetAside {
    /// A last resort when the caller returned early: put things back; on failure the copies
    /// stay in the backup directory.
    fn drop(&mut self) {
        let _ = self.restore_all();
    }
}
