//! Unstaged changes set aside while the hook tests the staged snapshot, and put back byte for
//! byte afterwards. Every tracked file whose work-tree state differs from the index (content,
//! mode, deletion, symlink target) is saved under `<git dir>/cargo-budget/unstaged-<id>/`
//! (copies in `tree/`, the list in `FILES`, see [`list`]), then the index version is written in
//! its place. Untracked files, submodules, sparse-checkout (skip-worktree) and intent-to-add
//! entries are never touched.
//!
//! The list records, per path, what was there and what was written for the tests, so a restore
//! (right after the run, or with `hook-run --restore` after a killed one) tells the set-aside's
//! own writes from anyone else's: a file that is neither what was written nor the saved version
//! is kept in `conflicts/` before the saved version goes back. The saved copies are removed only
//! once all is back, so a failure or a crash leaves them for `hook-run --restore`. A set-aside
//! that fails undoes itself: the directory is named `preparing-…` until the list is complete
//! (the work tree is untouched until then), and a failed write puts back what was written.

mod error;
mod fs;
pub mod list;
mod restore;
mod save;

use std::path::{Path, PathBuf};

use git2::Oid;

pub use self::error::SetAsideError;
use self::error::manual_hint;
use self::fs::{State, Sync};
use self::list::{Entry, Saved, Written};
use self::save::{changed_paths, save};
use super::staged::Commit;

#[derive(Debug)]
pub struct SetAside {
    workdir: PathBuf,
    backup: PathBuf,
    entries: Vec<Entry>,
    /// Set once a restore was tried: `Drop` does not try again.
    attempted: bool,
}

/// Saved copies left by a run that did not finish.
pub fn leftovers(git_dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(git_dir.join("cargo-budget"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("unstaged-"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

impl SetAside {
    /// Sets aside the unstaged changes of `commit`'s work tree; `None` when there are none.
    /// On failure the work tree and the git directory are as they were (or, if even putting
    /// back failed, the error says where the saved copies are).
    pub fn new(commit: &Commit) -> Result<Option<SetAside>, SetAsideError> {
        let changed = changed_paths(commit)?;
        if changed.is_empty() {
            return Ok(None);
        }
        let stamp = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let base = commit.repo.path().join("cargo-budget");
        let preparing = base.join(format!("preparing-{stamp}"));
        let backup = base.join(format!("unstaged-{stamp}"));
        let discard = || {
            let _ = std::fs::remove_dir_all(&preparing);
            let _ = std::fs::remove_dir(&base);
        };
        // Nothing in the work tree changes until the copies and their list are complete.
        let saved = save(commit, &changed, &preparing).and_then(|saved| {
            std::fs::rename(&preparing, &backup)
                .map(|()| saved)
                .map_err(|source| SetAsideError::Io {
                    what: "set aside the copies in",
                    path: preparing.clone(),
                    hint: String::new(),
                    source,
                })
        });
        let (entries, blobs) = match saved {
            Ok(saved) => saved.into_iter().unzip::<_, _, Vec<_>, Vec<_>>(),
            Err(e) => {
                discard();
                return Err(e);
            }
        };
        if entries.is_empty() {
            let _ = std::fs::remove_dir_all(&backup);
            let _ = std::fs::remove_dir(&base);
            return Ok(None);
        }
        let mut set = SetAside {
            workdir: commit.workdir.clone(),
            backup,
            entries,
            attempted: false,
        };
        let Err(failed) = set.write_staged(commit, &blobs) else {
            return Ok(Some(set));
        };
        // Undo: put back what was written; the saved copies go only if all is back.
        match set.restore_all() {
            Ok(kept) => Err(match failed {
                SetAsideError::Io {
                    what, path, source, ..
                } => SetAsideError::Io {
                    what,
                    path,
                    hint: if kept.is_empty() {
                        "; nothing was changed (to commit without the hook this once: git commit --no-verify)".into()
                    } else {
                        let kept: Vec<String> =
                            kept.iter().map(|k| k.display().to_string()).collect();
                        format!(
                            "; your files are as they were, and versions that changed meanwhile are kept at {}",
                            kept.join(", ")
                        )
                    },
                    source,
                },
                other => other,
            }),
            Err(undo) => Err(undo),
        }
    }

    /// Writes the index version of every saved path (`blobs` beside `entries`).
    fn write_staged(&self, commit: &Commit, blobs: &[Option<Oid>]) -> Result<(), SetAsideError> {
        for (entry, blob) in self.entries.iter().zip(blobs) {
            let file = self.workdir.join(&entry.path);
            let fail = |what, source| SetAsideError::Io {
                what,
                path: file.clone(),
                hint: String::new(),
                source,
            };
            let content = match blob {
                Some(id) => commit
                    .repo
                    .find_blob(*id)
                    .map_err(|e| fail("read the index version of", std::io::Error::other(e)))?,
                None => match std::fs::create_dir(&file) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                        return Err(fail("create the directory for a staged file", e));
                    }
                    _ => continue,
                },
            };
            let state = match &entry.written {
                Written::Link { .. } => State::Link {
                    target: content.content().to_vec(),
                },
                Written::File { executable, .. } => State::File {
                    bytes: content.content().to_vec(),
                    mode: if *executable { 0o755 } else { 0o644 },
                },
                Written::Dir => unreachable!("a directory has no blob"),
            };
            // Not synced: the index version can be had again, and a restore after a crash
            // tells a torn write from the user's own edits.
            fs::put(&file, &state, Sync::Cache)
                .map_err(|e| fail("write the staged version of", e))?;
        }
        Ok(())
    }

    /// Reopens copies left in `backup` by a run that did not finish. Fails, changing nothing,
    /// unless every entry of the list is understood and every saved copy is there.
    pub fn load(workdir: &Path, backup: &Path) -> Result<SetAside, SetAsideError> {
        let list = backup.join("FILES");
        let manual = || manual_hint(backup, workdir, false);
        let bytes = std::fs::read(&list).map_err(|source| SetAsideError::Io {
            what: "read the list of saved files",
            path: list.clone(),
            hint: if backup.is_dir() {
                manual()
            } else {
                String::new()
            },
            source,
        })?;
        let entries = list::decode(&bytes).map_err(|source| SetAsideError::List {
            list: list.clone(),
            backup: backup.to_path_buf(),
            workdir: workdir.to_path_buf(),
            source,
        })?;
        for e in &entries {
            if matches!(e.saved, Saved::File { .. } | Saved::Link) {
                let copy = backup.join("tree").join(&e.path);
                if !std::fs::symlink_metadata(&copy).is_ok_and(|m| m.is_file()) {
                    return Err(SetAsideError::Io {
                        what: "find the saved copy",
                        path: copy,
                        hint: manual(),
                        source: std::io::ErrorKind::NotFound.into(),
                    });
                }
            }
        }
        Ok(SetAside {
            workdir: workdir.to_path_buf(),
            backup: backup.to_path_buf(),
            entries,
            attempted: false,
        })
    }

    /// How many paths are set aside.
    pub fn len(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.written != Written::Dir)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the saved copies are while set aside.
    pub fn backup_dir(&self) -> &Path {
        &self.backup
    }
}

#[cfg(test)]
mod tests {
    use super::restore::{is_written, same_content};
    use super::*;

    #[test]
    fn tells_written_and_saved_versions_from_other_edits() {
        let file = |b: &[u8], mode| State::File {
            bytes: b.to_vec(),
            mode,
        };
        let written = Written::File {
            executable: false,
            sha256: list::sha256(b"staged"),
        };
        assert!(is_written(&file(b"staged", 0o644), &written));
        assert!(!is_written(&file(b"staged", 0o755), &written));
        assert!(!is_written(&file(b"edited", 0o644), &written));
        assert!(!is_written(
            &State::Link {
                target: b"staged".to_vec()
            },
            &written
        ));
        assert!(!is_written(&State::Absent, &written));
        assert!(same_content(&file(b"mine", 0o600), &file(b"mine", 0o644)));
        assert!(!same_content(&file(b"mine", 0o644), &State::Absent));
    }
}
