//! The commit being made: the repository and index git hands a hook (`GIT_DIR`,
//! `GIT_INDEX_FILE`: `git commit -a` and `git commit <paths>` use a temporary index), and the
//! paths the commit changes.

use std::path::{Path, PathBuf};

use git2::{DiffOptions, Index, Repository};

/// The repository, its work tree and the index the commit is made from.
pub struct Commit {
    pub repo: Repository,
    pub index: Index,
    pub workdir: PathBuf,
}

/// Opens the repository as git describes it to hooks, else the one around `cwd`.
pub fn open(cwd: &Path) -> Result<Commit, git2::Error> {
    let repo = if std::env::var_os("GIT_DIR").is_some() {
        Repository::open_from_env()?
    } else {
        Repository::discover(cwd)?
    };
    let workdir = repo
        .workdir()
        .ok_or_else(|| git2::Error::from_str("a bare repository has no work tree"))?
        .to_path_buf();
    let index = match std::env::var_os("GIT_INDEX_FILE") {
        Some(path) => {
            let path = PathBuf::from(path);
            let path = if path.is_absolute() {
                path
            } else {
                cwd.join(path)
            };
            Index::open(&path)?
        }
        None => repo.index()?,
    };
    Ok(Commit {
        repo,
        index,
        workdir,
    })
}

/// Paths (relative to the work tree) the commit adds, changes, deletes or renames (both names).
pub fn staged_paths(commit: &Commit) -> Result<Vec<PathBuf>, git2::Error> {
    let head_tree = match commit.repo.head() {
        Ok(head) => Some(head.peel_to_tree()?),
        Err(_) => None, // no commit yet: everything in the index is new
    };
    let mut opts = DiffOptions::new();
    opts.include_typechange(true);
    let diff =
        commit
            .repo
            .diff_tree_to_index(head_tree.as_ref(), Some(&commit.index), Some(&mut opts))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(p) = file.path()
                && !paths.iter().any(|x| x == p)
            {
                paths.push(p.to_path_buf());
            }
        }
    }
    paths.sort();
    Ok(paths)
}
