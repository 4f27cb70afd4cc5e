//! git, through git2: what the baseline records about the repository.

use std::path::Path;

/// The commit `HEAD` points to, if `dir` is in a repository with commits.
pub fn head_commit(dir: &Path) -> Option<String> {
    let repo = git2::Repository::discover(dir).ok()?;
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    Some(commit.id().to_string())
}
