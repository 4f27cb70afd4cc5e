//! The pre-commit hook: where git looks for hooks (core.hooksPath, relative or absolute; the
//! common dir for linked worktrees), installing ours beside or in front of a foreign hook
//! (chained as `pre-commit.legacy`), and uninstalling back to exactly what was there.

use std::path::{Path, PathBuf};

pub const HOOK: &str = "pre-commit";
pub const LEGACY: &str = "pre-commit.legacy";
/// The line that marks a hook as ours.
pub const MARKER: &str = "# cargo-budget-hook:";
const TEMPLATE: &str = include_str!("../../hooks/pre-commit");

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("not in a git repository: {0}")]
    NoRepository(String),
    #[error("`{0}` is a bare repository: it has no commits to check")]
    Bare(PathBuf),
    #[error(
        "core.hooksPath is set to `{path}` in your {level} git configuration, so a hook there runs for every repository.\n  install anyway with --force, or set a repository-local path: git config core.hooksPath .git/hooks"
    )]
    SharedHooksPath { path: String, level: &'static str },
    #[error("`{}` exists and cargo-budget would chain its own hook there; move it away first", legacy.display())]
    LegacyTaken { legacy: PathBuf },
    #[error("`{}` was not installed by cargo-budget; leaving it alone", .0.display())]
    NotOurs(PathBuf),
    #[error("failed to {what} `{}`", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> HookError + 'a {
    move |source| HookError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Where git runs hooks from, and whether that place is shared beyond this repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HooksDir {
    pub path: PathBuf,
    /// Set when core.hooksPath comes from the global or system configuration.
    pub shared_level: Option<&'static str>,
}

/// Runs `git ARGS` in `cwd`: (success, stdout, stderr), trimmed.
fn git(cwd: &Path, args: &[&str]) -> Result<(bool, String, String), HookError> {
    let out = super::run(cwd, args).map_err(|source| HookError::Io {
        what: "run git in",
        path: cwd.to_path_buf(),
        source,
    })?;
    Ok((
        out.ok,
        out.stdout.trim().to_string(),
        out.stderr.trim().to_string(),
    ))
}

/// Finds the hooks directory by asking git (`git rev-parse --git-path hooks`), which applies
/// `core.hooksPath` from every configuration file git reads and puts linked worktrees' hooks in
/// the common directory; `git config --show-scope` says where core.hooksPath comes from.
pub fn hooks_dir(cwd: &Path) -> Result<HooksDir, HookError> {
    let (ok, bare, err) = git(cwd, &["rev-parse", "--is-bare-repository"])?;
    if !ok {
        return Err(HookError::NoRepository(err));
    }
    if bare == "true" {
        return Err(HookError::Bare(cwd.to_path_buf()));
    }
    let (ok, path, err) = git(
        cwd,
        &["rev-parse", "--path-format=absolute", "--git-path", "hooks"],
    )?;
    if !ok {
        return Err(HookError::NoRepository(err));
    }
    let (set, scope, _) = git(cwd, &["config", "--show-scope", "--get", "core.hooksPath"])?;
    let shared_level = match scope.split('\t').next() {
        Some("global") if set => Some("global"),
        Some("system") if set => Some("system"),
        _ => None,
    };
    Ok(HooksDir {
        path: PathBuf::from(path),
        shared_level,
    })
}

/// Whether a hook file's text is cargo-budget's.
pub fn is_ours(text: &str) -> bool {
    text.lines().any(|l| l.starts_with(MARKER))
}

/// Our hook's text; `installed_by` is this binary, tried when cargo-budget is not on PATH.
pub fn render(installed_by: &Path, created_dir: bool, chained: bool) -> String {
    let quoted = shell_words::quote(&installed_by.to_string_lossy()).into_owned();
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    TEMPLATE
        .replace("@INSTALLED_BY@", &quoted)
        .replace("@CREATED_DIR@", yes_no(created_dir))
        .replace("@CHAINED@", yes_no(chained))
}

/// What `install` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Installed {
    Fresh,
    Chained,
    Updated,
    UpToDate,
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), HookError> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path)
        .map_err(io("read", path))?
        .permissions();
    perms.set_mode(perms.mode() | 0o111);
    std::fs::set_permissions(path, perms).map_err(io("make executable", path))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), HookError> {
    Ok(())
}

/// Our hook, written and made executable in a temporary file beside `path`: everything that can
/// fail for lack of space or rights happens before anything the user has is moved.
fn prepare_hook(path: &Path, text: &str) -> Result<tempfile::TempPath, HookError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Executable for whoever may run git here, as the umask allows.
        builder.permissions(std::fs::Permissions::from_mode(0o777));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(io("write", path))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(io("write", path))?;
    tmp.as_file().sync_all().map_err(io("write", path))?;
    let tmp = tmp.into_temp_path();
    make_executable(&tmp)?;
    Ok(tmp)
}

fn persist(tmp: tempfile::TempPath, path: &Path) -> Result<(), HookError> {
    tmp.persist(path).map_err(|e| HookError::Io {
        what: "write",
        path: path.to_path_buf(),
        source: e.error,
    })
}

/// Puts `ours` in place of the foreign hook at `hook`, which becomes `legacy`. A hard link keeps
/// the foreign hook at `hook` until ours replaces it in one rename, so a commit meanwhile still
/// runs it; where links are not supported it is renamed, and renamed back if ours fails.
fn chain(ours: tempfile::TempPath, hook: &Path, legacy: &Path) -> Result<(), HookError> {
    if std::fs::hard_link(hook, legacy).is_ok() {
        return persist(ours, hook).inspect_err(|_| {
            let _ = std::fs::remove_file(legacy);
        });
    }
    // A rename keeps the foreign hook's bytes and mode exactly.
    std::fs::rename(hook, legacy).map_err(io("move aside", hook))?;
    persist(ours, hook).map_err(|e| match std::fs::rename(legacy, hook) {
        Ok(()) => e,
        Err(source) => HookError::Io {
            what: "put back the hook moved aside to",
            path: legacy.to_path_buf(),
            source,
        },
    })
}

/// Installs the hook in `dir`; a foreign hook there is kept as `pre-commit.legacy` and run first.
pub fn install(
    dir: &HooksDir,
    installed_by: &Path,
    force: bool,
) -> Result<(PathBuf, Installed), HookError> {
    if let (Some(level), false) = (dir.shared_level, force) {
        return Err(HookError::SharedHooksPath {
            path: dir.path.display().to_string(),
            level,
        });
    }
    let hook = dir.path.join(HOOK);
    let legacy = dir.path.join(LEGACY);
    let created_dir = !dir.path.exists();
    if created_dir {
        std::fs::create_dir_all(&dir.path).map_err(io("create", &dir.path))?;
    }
    let existing = std::fs::read(&hook).ok();
    let ours_before = existing
        .as_deref()
        .is_some_and(|b| is_ours(&String::from_utf8_lossy(b)));
    // A stale pre-commit.legacy would be run by our hook: only one we chained ourselves may be.
    if !ours_before && legacy.exists() {
        return Err(HookError::LegacyTaken { legacy });
    }
    let outcome = match &existing {
        None => Installed::Fresh,
        Some(_) if ours_before => Installed::Updated,
        Some(_) => Installed::Chained,
    };
    // Re-installing keeps the record of what installing first did.
    let earlier = |line: &str| {
        existing
            .as_deref()
            .is_some_and(|b| String::from_utf8_lossy(b).contains(line))
    };
    let (created, chained) = match outcome {
        Installed::Updated => (
            earlier("# cargo-budget-created-dir: yes"),
            earlier("# cargo-budget-chained: yes"),
        ),
        _ => (created_dir, outcome == Installed::Chained),
    };
    let text = render(installed_by, created, chained);
    if outcome == Installed::Updated && existing.as_deref() == Some(text.as_bytes()) {
        return Ok((hook, Installed::UpToDate));
    }
    let written = prepare_hook(&hook, &text).and_then(|ours| {
        if outcome == Installed::Chained {
            chain(ours, &hook, &legacy)
        } else {
            persist(ours, &hook)
        }
    });
    if let Err(e) = written {
        if created_dir {
            // Only removes it empty, as uninstall would.
            let _ = std::fs::remove_dir(&dir.path);
        }
        return Err(e);
    }
    Ok((hook, outcome))
}

/// Removes our hook and puts back what was there: the chained hook, or nothing (and the
/// directory, if installing created it).
pub fn uninstall(dir: &HooksDir) -> Result<Option<PathBuf>, HookError> {
    let hook = dir.path.join(HOOK);
    let legacy = dir.path.join(LEGACY);
    let Ok(bytes) = std::fs::read(&hook) else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    if !is_ours(&text) {
        return Err(HookError::NotOurs(hook));
    }
    if text.contains("# cargo-budget-chained: yes") && legacy.exists() {
        // One rename replaces ours with the chained hook: there is always a hook in place.
        std::fs::rename(&legacy, &hook).map_err(io("restore", &legacy))?;
        return Ok(Some(hook));
    }
    std::fs::remove_file(&hook).map_err(io("remove", &hook))?;
    if text.contains("# cargo-budget-created-dir: yes") {
        // Only removes an empty directory: anything else in it stays.
        let _ = std::fs::remove_dir(&dir.path);
    }
    Ok(Some(hook))
}
