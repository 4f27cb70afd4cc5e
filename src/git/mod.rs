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

/// A git operation that failed: git could not be started, it refused, or libgit2 failed.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("failed to run `git {args}`")]
    Spawn {
        args: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`git {args}` failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("failed to {what}")]
    Library {
        what: &'static str,
        #[source]
        source: git2::Error,
    },
}

/// Runs `git ARGS` in `cwd` and returns its output; a failure to start or a non-zero exit is
/// an error with git's own message.
pub fn output(cwd: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = run(cwd, args).map_err(|source| GitError::Spawn {
        args: args.join(" "),
        source,
    })?;
    if !out.ok {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: out.stderr.trim().to_string(),
        });
    }
    Ok(out.stdout)
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

/// The top of the work tree holding `dir` (`git rev-parse --show-toplevel`), if it is in one.
pub fn toplevel(dir: &Path) -> Option<std::path::PathBuf> {
    let out = run(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let top = out.stdout.trim_end_matches(['\n', '\r']);
    (out.ok && !top.is_empty()).then(|| std::path::PathBuf::from(top))
}

/// The top of the work tree holding `dir`, else `dir` itself: the repository that files
/// cargo-budget writes there must not leave.
pub fn checkout(dir: &Path) -> std::path::PathBuf {
    toplevel(dir).unwrap_or_else(|| dir.to_path_buf())
}

/// The text of the blob `spec` names (`REF:path`, as `git show` takes it) in the repository at
/// `top`, resolved by git2: `spec` is never parsed as an option. Bounded as every input file is
/// (at most `cap` bytes) and UTF-8, or why not.
pub fn blob_text(top: &Path, spec: &str, cap: u64) -> Result<String, String> {
    let repo = git2::Repository::open(top).map_err(|e| e.to_string())?;
    let blob = repo
        .revparse_single(spec)
        .and_then(|o| o.peel_to_blob())
        .map_err(|e| e.to_string())?;
    if blob.size() as u64 > cap {
        return Err(format!(
            "it is {} bytes, over the {cap} cargo-budget reads: refused",
            blob.size()
        ));
    }
    String::from_utf8(blob.content().to_vec()).map_err(|e| {
        format!(
            "it is not UTF-8 (byte {} is not): refused",
            e.utf8_error().valid_up_to()
        )
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
