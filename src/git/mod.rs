//! git, through git2: the hooks directory and our hook, the commit being made, unstaged changes
//! set aside, and what the baseline records about the repository.

pub mod hooks;
pub mod setaside;
pub mod staged;

use std::path::Path;

/// What `git` printed, untrimmed (porcelain output starts lines with spaces).
pub struct GitOutput {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `git` command line in `cwd`, for what git2 does not do as git does (hooks paths,
/// config scopes, `git mv`).
pub fn run(cwd: &Path, args: &[&str]) -> std::io::Result<GitOutput> {
    let out = duct::cmd("git", args)
        .dir(cwd)
        .stdout_capture()
        .stderr_capture()
        .unchecked()
        .run()?;
    Ok(GitOutput {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// The commit `HEAD` points to, if `dir` is in a repository with commits.
pub fn head_commit(dir: &Path) -> Option<String> {
    let repo = git2::Repository::discover(dir).ok()?;
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    Some(commit.id().to_string())
}

/// Variables git exports to hooks that would make a child `git` (in a test that creates its own
/// repository, say) talk to this repository instead; removed from everything the hook spawns.
pub fn hook_environment() -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("GIT_"))
        // The user's own configuration files stay; `git -c` settings of this commit do not.
        .filter(|k| {
            !matches!(
                k.as_str(),
                "GIT_CONFIG_GLOBAL" | "GIT_CONFIG_SYSTEM" | "GIT_CONFIG_NOSYSTEM"
            )
        })
        .collect()
}
