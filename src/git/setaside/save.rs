//! The saving half of a set-aside: which paths differ from the index, and their copies and list
//! under the backup directory, before anything in the work tree is touched.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, IndexEntryExtendedFlag, Oid};

use super::SetAsideError;
use super::fs::{self, State};
use super::list::{self, Entry, Saved, Written};
use crate::git::staged::Commit;

const GITLINK: u32 = 0o160000;
const SYMLINK: u32 = 0o120000;

/// Tracked paths whose work-tree state differs from `commit`'s index, that the set-aside handles.
pub(super) fn changed_paths(commit: &Commit) -> Result<Vec<PathBuf>, SetAsideError> {
    let mut opts = DiffOptions::new();
    opts.include_untracked(false)
        .include_typechange(true)
        .ignore_submodules(true);
    let diff = commit
        .repo
        .diff_index_to_workdir(Some(&commit.index), Some(&mut opts))
        .map_err(|e| SetAsideError::Io {
            what: "compare the index with",
            path: commit.workdir.clone(),
            hint: String::new(),
            source: std::io::Error::other(e),
        })?;
    Ok(diff
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
        .collect())
}

/// Saves each changed path under `dir` (copies in `tree/`, then the list), with the blob of its
/// index version; directories the index versions will need are listed before them.
pub(super) fn save(
    commit: &Commit,
    changed: &[PathBuf],
    dir: &Path,
) -> Result<Vec<(Entry, Option<Oid>)>, SetAsideError> {
    let tree = dir.join("tree");
    let fail = |what, path: &Path, source| SetAsideError::Io {
        what,
        path: path.to_path_buf(),
        hint: String::new(),
        source,
    };
    std::fs::create_dir_all(&tree).map_err(|e| fail("create", &tree, e))?;
    let mut out = Vec::new();
    let mut dirs = BTreeSet::new();
    for rel in changed {
        let file = commit.workdir.join(rel);
        let state = State::read(&file).map_err(|e| fail("read", &file, e))?;
        let saved = match &state {
            State::File { mode, .. } => Saved::File { mode: *mode },
            State::Link { .. } => Saved::Link,
            State::Absent => Saved::Absent,
            // A directory or special file where a tracked file was: left alone.
            State::Other => continue,
        };
        if let State::File { bytes, .. } | State::Link { target: bytes } = &state {
            let copy = tree.join(rel);
            std::fs::create_dir_all(copy.parent().unwrap_or(&tree))
                .map_err(|e| fail("create", &tree, e))?;
            fs::create_synced(&copy, bytes).map_err(|e| fail("save", &copy, e))?;
        }
        let index_entry = commit.index.get_path(rel, 0).ok_or_else(|| {
            fail(
                "find in the index",
                &file,
                std::io::ErrorKind::NotFound.into(),
            )
        })?;
        let blob = commit
            .repo
            .find_blob(index_entry.id)
            .map_err(|e| fail("read the index version of", &file, std::io::Error::other(e)))?;
        let sha256 = list::sha256(blob.content());
        let written = if index_entry.mode == SYMLINK {
            Written::Link { sha256 }
        } else {
            Written::File {
                executable: index_entry.mode & 0o111 != 0,
                sha256,
            }
        };
        if saved == Saved::Absent {
            for p in missing_dirs(&commit.workdir, rel) {
                if dirs.insert(p.clone()) {
                    let entry = Entry {
                        path: p,
                        saved: Saved::Absent,
                        written: Written::Dir,
                    };
                    out.push((entry, None));
                }
            }
        }
        out.push((
            Entry {
                path: rel.clone(),
                saved,
                written,
            },
            Some(blob.id()),
        ));
    }
    let entries: Vec<Entry> = out.iter().map(|(e, _)| e.clone()).collect();
    let bytes = list::encode(&entries).map_err(|e| fail("list", dir, std::io::Error::other(e)))?;
    let files = dir.join("FILES");
    fs::create_synced(&files, &bytes).map_err(|e| fail("save", &files, e))?;
    Ok(out)
}

/// The directories a deleted file's index version needs that are not there, outermost first.
fn missing_dirs(workdir: &Path, rel: &Path) -> Vec<PathBuf> {
    let mut missing = Vec::new();
    let mut d = rel.parent();
    while let Some(p) = d.filter(|p| !p.as_os_str().is_empty()) {
        match State::read(&workdir.join(p)) {
            Ok(State::Absent) => missing.push(p.to_path_buf()),
            _ => break,
        }
        d = p.parent();
    }
    missing.reverse();
    missing
}
