//! Installing the pre-commit hook for real: every hooks directory git uses (worktrees,
//! `core.hooksPath`), a foreign hook chained and restored, refusals, and an install that fails
//! half-way. Isolated git configuration, real `git commit` firing the installed hook.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::*;

/// Every file under `dir` with its bytes and mode.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries {
            let p = e.unwrap().path();
            if p.is_file() {
                let mode = std::fs::metadata(&p).unwrap().permissions().mode();
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    (std::fs::read(&p).unwrap(), mode),
                );
            }
        }
    }
    out
}

fn git_hooks_dir(repo: &Repo, cwd: &Path) -> PathBuf {
    let out = Run::of(
        repo.command(
            "git",
            &["rev-parse", "--path-format=absolute", "--git-path", "hooks"],
            cwd,
        )
        .output()
        .unwrap(),
    );
    PathBuf::from(out.stdout.trim())
}

/// Install, reinstall, uninstall in the directory git itself uses; everything as before.
fn round_trip(repo: &Repo, cwd: &Path) {
    let dir = git_hooks_dir(repo, cwd);
    let existed = dir.exists();
    let before = snapshot(&dir);
    let install = Run::of(
        repo.command(bin().to_str().unwrap(), &["hook-install"], cwd)
            .output()
            .unwrap(),
    );
    install.assert_code(0);
    let hook = dir.join("pre-commit");
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(text.contains("# cargo-budget-hook:"), "{text}");
    assert!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&hook).unwrap().permissions())
            & 0o111
            != 0
    );
    let installed = snapshot(&dir);
    let again = Run::of(
        repo.command(bin().to_str().unwrap(), &["hook-install"], cwd)
            .output()
            .unwrap(),
    );
    again.assert_code(0);
    assert!(again.stderr.contains("Up to date"), "{}", again.stderr);
    assert_eq!(installed, snapshot(&dir), "re-install is idempotent");
    Run::of(
        repo.command(
            bin().to_str().unwrap(),
            &["hook-install", "--uninstall"],
            cwd,
        )
        .output()
        .unwrap(),
    )
    .assert_code(0);
    assert_eq!(
        before,
        snapshot(&dir),
        "uninstall restores exactly what was there"
    );
    assert_eq!(existed, dir.exists());
}

#[test]
fn install_round_trips_in_every_hooks_location() {
    // A plain repository (git's sample hooks in .git/hooks).
    let repo = Repo::new("hooked");
    round_trip(&repo, repo.path());

    // A linked worktree: hooks live in the common directory.
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("linked");
    repo.git(&["worktree", "add", "-q", wt_path.to_str().unwrap()])
        .assert_code(0);
    assert_eq!(
        git_hooks_dir(&repo, &wt_path),
        git_hooks_dir(&repo, repo.path())
    );
    round_trip(&repo, &wt_path);

    // A relative core.hooksPath that exists with a hook of its own, and one that does not exist.
    repo.write(".githooks/post-merge", "#!/bin/sh\nexit 0\n");
    repo.git(&["config", "core.hooksPath", ".githooks"])
        .assert_code(0);
    round_trip(&repo, repo.path());
    repo.git(&["config", "core.hooksPath", "not-yet/hooks"])
        .assert_code(0);
    round_trip(&repo, repo.path());

    // An absolute core.hooksPath.
    let abs = tempfile::tempdir().unwrap();
    repo.git(&["config", "core.hooksPath", abs.path().to_str().unwrap()])
        .assert_code(0);
    round_trip(&repo, repo.path());
}

#[test]
fn foreign_hook_is_chained_runs_first_and_can_reject() {
    let repo = Repo::new("hooked");
    let dir = git_hooks_dir(&repo, repo.path());
    let foreign = "#!/bin/sh\necho foreign-hook-ran >&2\nif [ -f \"$(git rev-parse --show-toplevel)/BLOCK\" ]; then echo blocked >&2; exit 7; fi\n";
    std::fs::write(dir.join("pre-commit"), foreign).unwrap();
    std::fs::set_permissions(
        dir.join("pre-commit"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    round_trip(&repo, repo.path());

    let install = repo.budget(&["hook-install"]);
    install.assert_code(0);
    assert!(install.stderr.contains("Chained"), "{}", install.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("pre-commit.legacy")).unwrap(),
        foreign
    );

    repo.write("README.md", "# changed\n");
    repo.git(&["add", "README.md"]).assert_code(0);
    let ok = repo.git(&["commit", "-m", "docs"]);
    ok.assert_code(0);
    assert!(ok.stderr.contains("foreign-hook-ran"), "{}", ok.stderr);

    repo.write("BLOCK", "");
    repo.write("README.md", "# changed again\n");
    repo.git(&["add", "README.md"]).assert_code(0);
    let head = repo.head();
    let rejected = repo.git(&["commit", "-m", "blocked"]);
    assert_ne!(rejected.code, 0);
    assert!(rejected.stderr.contains("blocked"), "{}", rejected.stderr);
    assert_eq!(repo.head(), head);
}

#[test]
fn global_hooks_path_is_refused_without_force() {
    let repo = Repo::new("hooked");
    let shared = tempfile::tempdir().unwrap();
    let mut config = std::fs::read_to_string(&repo.config).unwrap();
    config.push_str(&format!(
        "[core]\n\thooksPath = {}\n",
        shared.path().display()
    ));
    std::fs::write(&repo.config, config).unwrap();
    let refused = repo.budget(&["hook-install"]);
    refused.assert_code(USAGE);
    assert!(
        refused.stderr.contains("in your global git configuration"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("git config core.hooksPath .git/hooks"),
        "{}",
        refused.stderr
    );
    assert!(!shared.path().join("pre-commit").exists());
    repo.budget(&["hook-install", "--force"]).assert_code(0);
    assert!(shared.path().join("pre-commit").exists());
}

#[test]
fn a_stale_legacy_hook_is_never_activated() {
    let repo = Repo::new("hooked");
    let dir = git_hooks_dir(&repo, repo.path());
    std::fs::write(
        dir.join("pre-commit.legacy"),
        "#!/bin/sh\necho STALE >&2\nexit 1\n",
    )
    .unwrap();
    let refused = repo.budget(&["hook-install"]);
    refused.assert_code(USAGE);
    assert!(
        refused.stderr.contains("pre-commit.legacy` exists"),
        "{}",
        refused.stderr
    );
    assert!(!dir.join("pre-commit").exists());
}

#[test]
fn our_hook_chained_by_another_tool_does_not_call_itself() {
    let repo = Repo::new("hooked");
    repo.budget(&["hook-install"]).assert_code(0);
    let dir = git_hooks_dir(&repo, repo.path());
    // Another tool moves our hook aside as pre-commit.legacy and calls it from its own.
    std::fs::rename(dir.join("pre-commit"), dir.join("pre-commit.legacy")).unwrap();
    std::fs::write(
        dir.join("pre-commit"),
        "#!/bin/sh\n\"$(dirname \"$0\")/pre-commit.legacy\" \"$@\"\n",
    )
    .unwrap();
    std::fs::set_permissions(
        dir.join("pre-commit"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    repo.write("README.md", "# docs\n");
    let run = Run::of(
        repo.command(
            "timeout",
            &["60", "git", "commit", "-am", "docs"],
            repo.path(),
        )
        .output()
        .unwrap(),
    );
    run.assert_code(0);
    assert!(
        run.stderr.contains("no Rust changes staged"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_failed_install_leaves_the_users_hook_running() {
    let repo = Repo::new("hooked");
    let dir = git_hooks_dir(&repo, repo.path());
    std::fs::write(dir.join("pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(
        dir.join("pre-commit"),
        std::os::unix::fs::PermissionsExt::from_mode(0o750),
    )
    .unwrap();
    let hook_state = || {
        let names: Vec<PathBuf> = snapshot(&dir).into_keys().collect();
        (names, snapshot(&dir).remove(Path::new("pre-commit")))
    };
    let before = hook_state();
    // No file may grow past 0 bytes (SIGXFSZ ignored, so the write fails with EFBIG): writing
    // our hook fails; renames still work.
    let failed = Run::of(
        repo.command(
            "sh",
            &[
                "-c",
                "trap '' XFSZ; ulimit -f 0; exec \"$0\" hook-install",
                bin().to_str().unwrap(),
            ],
            repo.path(),
        )
        .output()
        .unwrap(),
    );
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("failed to write"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        before,
        hook_state(),
        "the user's hook is in place, bytes and mode, with nothing beside it"
    );
    let install = repo.budget(&["hook-install"]);
    install.assert_code(0);
    assert!(install.stderr.contains("Chained"), "{}", install.stderr);
}
