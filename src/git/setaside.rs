//! Unstaged changes set aside while the hook tests the staged snapshot, and put back byte for
//! byte afterwards. Every tracked file whose work-tree state differs from the index (content,
//! mode, deletion, symlink target) is saved under `<git dir>/cargo-budget/unstaged-<id>/`
//! (copies in `tree/`, the list with modes in `FILES`), then the index version is written in its
//! place. Untracked files, submodules, sparse-checkout (skip-worktree) and intent-to-add entries
//! are never touched. Restoring puts the saved state back; if a file changed while the tests ran,
//! that version is kept in `conflicts/` and reported. The saved copies are removed only once all
//! is back, so a failure or a crash leaves them for `hook-run --restore`.

use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, IndexEntryExtendedFlag};

use super::staged::Commit;

const GITLINK: u32 = 0o160000;
const SYMLINK: u32 = 0o120000;

/// One path as it was in the work tree.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Saved {
    /// A regular file; its bytes are in `tree/`.
    File { mode: u32 },
    /// A symbolic link; its target is in `tree/` as the file's content.
    Link,
    /// Nothing there (an unstaged deletion).
    Absent,
}

#[derive(Debug)]
pub struct SetAside {
    workdir: PathBuf,
    backup: PathBuf,
    files: Vec<(PathBuf, Saved)>,
    /// What was written in each place for the tests (None: the path was removed).
    written: Vec<Option<Vec<u8>>>,
    /// Directories created to write index versions, removed afterwards when empty.
    created_dirs: Vec<PathBuf>,
    restored: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("failed to {what} `{}`{}", path.display(), restore_hint(backup))]
pub struct SetAsideError {
    what: &'static str,
    path: PathBuf,
    backup: PathBuf,
    #[source]
    source: std::io::Error,
}

/// Where the saved copies are and how to put them back (empty before anything was saved).
fn restore_hint(backup: &Path) -> String {
    if backup.as_os_str().is_empty() {
        return String::new();
    }
    let dir = backup.display();
    format!(
        "; your unstaged changes are saved in `{dir}` (put them back with: cargo budget hook-run --restore '{dir}')"
    )
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
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

#[cfg(unix)]
fn make_link(target: &[u8], path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), path)
}

#[cfg(not(unix))]
fn make_link(target: &[u8], path: &Path) -> std::io::Result<()> {
    std::fs::write(path, target)
}

#[cfg(unix)]
fn link_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Ok(std::fs::read_link(path)?.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn link_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    Ok(std::fs::read_link(path)?
        .to_string_lossy()
        .into_owned()
        .into_bytes())
}

/// Removes whatever is at `path` (file or link), if anything.
fn clear(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
fn replace(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    let tmp = tmp.into_temp_path();
    set_mode(&tmp, mode)?;
    // A symlink in the way is replaced, not followed.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(path)?;
    }
    tmp.persist(path).map_err(|e| e.error)
}

/// What is at `path` now, comparable with what was written there.
fn current(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if meta.file_type().is_symlink() {
        link_bytes(path).ok()
    } else if meta.is_file() {
        std::fs::read(path).ok()
    } else {
        None
    }
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
    pub fn new(commit: &Commit) -> Result<Option<SetAside>, SetAsideError> {
        let mut opts = DiffOptions::new();
        opts.include_untracked(false)
            .include_typechange(true)
            .ignore_submodules(true);
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
            .filter(|p| {
                // Only what the index tracks as a file or link, in the work tree.
                commit.index.get_path(p, 0).is_some_and(|e| {
                    let flags = IndexEntryExtendedFlag::from_bits_truncate(e.flags_extended);
                    e.mode != GITLINK && !flags.is_skip_worktree() && !flags.is_intent_to_add()
                })
            })
            .filter(|p| {
                !commit.workdir.join(p).is_dir()
                    || std::fs::symlink_metadata(commit.workdir.join(p))
                        .is_ok_and(|m| m.file_type().is_symlink())
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
        let tree = backup.join("tree");
        let fail = |what, path: &Path, source| SetAsideError {
            what,
            path: path.to_path_buf(),
            backup: backup.clone(),
            source,
        };
        std::fs::create_dir_all(&tree).map_err(|e| fail("create", &tree, e))?;
        let mut set = SetAside {
            workdir: commit.workdir.clone(),
            backup: backup.clone(),
            files: Vec::new(),
            written: Vec::new(),
            created_dirs: Vec::new(),
            restored: true, // nothing to put back until the work tree is touched
        };
        // Save everything first (synced to disk), then overwrite.
        for rel in &changed {
            let file = commit.workdir.join(rel);
            let saved = match std::fs::symlink_metadata(&file) {
                Ok(meta) => {
                    let (bytes, saved) = if meta.file_type().is_symlink() {
                        (
                            link_bytes(&file).map_err(|e| fail("read", &file, e))?,
                            Saved::Link,
                        )
                    } else {
                        (
                            std::fs::read(&file).map_err(|e| fail("read", &file, e))?,
                            Saved::File {
                                mode: mode_of(&meta),
                            },
                        )
                    };
                    let copy = tree.join(rel);
                    std::fs::create_dir_all(copy.parent().unwrap_or(&tree))
                        .map_err(|e| fail("create", &tree, e))?;
                    let mut f = std::fs::File::create(&copy).map_err(|e| fail("save", &copy, e))?;
                    std::io::Write::write_all(&mut f, &bytes)
                        .map_err(|e| fail("save", &copy, e))?;
                    f.sync_all().map_err(|e| fail("save", &copy, e))?;
                    saved
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Saved::Absent,
                Err(e) => return Err(fail("read", &file, e)),
            };
            set.files.push((rel.clone(), saved));
        }
        let listing: String = set
            .files
            .iter()
            .map(|(p, s)| match s {
                Saved::File { mode } => format!("file\t{mode:o}\t{}\n", p.display()),
                Saved::Link => format!("link\t-\t{}\n", p.display()),
                Saved::Absent => format!("absent\t-\t{}\n", p.display()),
            })
            .collect();
        std::fs::write(backup.join("FILES"), listing).map_err(|e| fail("save", &backup, e))?;

        set.restored = false;
        for (rel, _) in set.files.clone() {
            let file = commit.workdir.join(&rel);
            let Some(entry) = commit.index.get_path(&rel, 0) else {
                set.written.push(current(&file));
                continue;
            };
            let blob = commit
                .repo
                .find_blob(entry.id)
                .map_err(|e| fail("read the index version of", &file, std::io::Error::other(e)))?;
            if let Some(dir) = file.parent() {
                let mut missing = Vec::new();
                let mut d = dir.to_path_buf();
                while !d.exists() && d.starts_with(&commit.workdir) {
                    missing.push(d.clone());
                    if !d.pop() {
                        break;
                    }
                }
                std::fs::create_dir_all(dir).map_err(|e| fail("create", dir, e))?;
                set.created_dirs.extend(missing);
            }
            if entry.mode == SYMLINK {
                clear(&file).map_err(|e| fail("replace", &file, e))?;
                make_link(blob.content(), &file)
                    .map_err(|e| fail("write the staged version of", &file, e))?;
            } else {
                let mode = if entry.mode & 0o111 != 0 {
                    0o755
                } else {
                    0o644
                };
                replace(&file, blob.content(), mode)
                    .map_err(|e| fail("write the staged version of", &file, e))?;
            }
            set.written.push(Some(blob.content().to_vec()));
        }
        Ok(Some(set))
    }

    /// Reopens copies left in `backup` by a run that did not finish.
    pub fn load(workdir: &Path, backup: &Path) -> Result<SetAside, SetAsideError> {
        let fail = |source| SetAsideError {
            what: "read the list of saved files in",
            path: backup.to_path_buf(),
            backup: backup.to_path_buf(),
            source,
        };
        let listing = std::fs::read_to_string(backup.join("FILES")).map_err(fail)?;
        let mut files = Vec::new();
        for line in listing.lines() {
            let mut parts = line.splitn(3, '\t');
            let (Some(kind), Some(mode), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(fail(std::io::Error::other(format!(
                    "unreadable line `{line}`"
                ))));
            };
            let saved = match kind {
                "file" => Saved::File {
                    mode: u32::from_str_radix(mode, 8).unwrap_or(0o644),
                },
                "link" => Saved::Link,
                _ => Saved::Absent,
            };
            files.push((PathBuf::from(path), saved));
        }
        let written = vec![None; files.len()];
        Ok(SetAside {
            workdir: workdir.to_path_buf(),
            backup: backup.to_path_buf(),
            files,
            written,
            created_dirs: Vec::new(),
            restored: false,
        })
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

    /// Puts every path back as it was. Returns the paths that changed while set aside: their
    /// version from then is kept under `conflicts/` in the backup directory, which then stays.
    pub fn restore(mut self) -> Result<Vec<PathBuf>, SetAsideError> {
        self.restore_all()
    }

    fn restore_all(&mut self) -> Result<Vec<PathBuf>, SetAsideError> {
        if self.restored {
            return Ok(Vec::new());
        }
        let mut conflicts = Vec::new();
        for (i, (rel, saved)) in self.files.iter().enumerate() {
            let file = self.workdir.join(rel);
            let fail = |what, source| SetAsideError {
                what,
                path: file.clone(),
                backup: self.backup.clone(),
                source,
            };
            // Something else changed the file while the tests ran: keep that version too.
            if let Some(Some(written)) = self.written.get(i)
                && current(&file).is_some_and(|now| &now != written)
            {
                let keep = self.backup.join("conflicts").join(rel);
                std::fs::create_dir_all(keep.parent().unwrap_or(&self.backup))
                    .map_err(|e| fail("keep the changed version of", e))?;
                std::fs::copy(&file, &keep).map_err(|e| fail("keep the changed version of", e))?;
                conflicts.push(keep);
            }
            let copy = self.backup.join("tree").join(rel);
            match saved {
                Saved::File { mode } => {
                    let bytes =
                        std::fs::read(&copy).map_err(|e| fail("read the saved copy of", e))?;
                    if let Some(dir) = file.parent() {
                        std::fs::create_dir_all(dir).map_err(|e| fail("restore", e))?;
                    }
                    replace(&file, &bytes, *mode).map_err(|e| fail("restore", e))?;
                }
                Saved::Link => {
                    let target =
                        std::fs::read(&copy).map_err(|e| fail("read the saved copy of", e))?;
                    clear(&file).map_err(|e| fail("restore", e))?;
                    make_link(&target, &file).map_err(|e| fail("restore", e))?;
                }
                Saved::Absent => clear(&file).map_err(|e| fail("delete again", e))?,
            }
        }
        for dir in self.created_dirs.iter() {
            let _ = std::fs::remove_dir(dir);
        }
        self.restored = true;
        if conflicts.is_empty() {
            let _ = std::fs::remove_dir_all(&self.backup);
            if let Some(parent) = self.backup.parent() {
                let _ = std::fs::remove_dir(parent);
            }
            return Ok(conflicts);
        }
        // Everything is back; what stays is only the versions found in the way, under a name
        // that no longer reads as an unfinished run.
        let name = self
            .backup
            .file_name()
            .map(|n| n.to_string_lossy().replacen("unstaged-", "kept-", 1));
        if let (Some(parent), Some(name)) = (self.backup.parent(), name) {
            let kept = parent.join(name);
            if std::fs::rename(&self.backup, &kept).is_ok() {
                let _ = std::fs::remove_dir_all(kept.join("tree"));
                let _ = std::fs::remove_file(kept.join("FILES"));
                conflicts = conflicts
                    .into_iter()
                    .map(|c| {
                        c.strip_prefix(&self.backup)
                            .map(|r| kept.join(r))
                            .unwrap_or(c)
                    })
                    .collect();
            }
        }
        Ok(conflicts)
    }
}

impl Drop for SetAside {
    /// A last resort when the caller returned early: put things back; on failure the copies
    /// stay in the backup directory.
    fn drop(&mut self) {
        let _ = self.restore_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_names_the_backup_to_restore() {
        let e = SetAsideError {
            what: "restore",
            path: PathBuf::from("/repo/src/lib.rs"),
            backup: PathBuf::from("/repo/.git/cargo-budget/unstaged-1"),
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(
            e.to_string(),
            "failed to restore `/repo/src/lib.rs`; your unstaged changes are saved in `/repo/.git/cargo-budget/unstaged-1` (put them back with: cargo budget hook-run --restore '/repo/.git/cargo-budget/unstaged-1')"
        );
    }
}
