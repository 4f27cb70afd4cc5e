//! The pre-commit hook for real: isolated git configuration, real `git commit` firing the
//! installed hook, real nextest on a two-crate workspace (`hk-core`, `hk-app` using it).

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

fn commit(repo: &Repo, paths: &[&str], message: &str) -> Run {
    let mut add = vec!["add", "--"];
    add.extend_from_slice(paths);
    repo.git(&add).assert_code(0);
    repo.git(&["commit", "-m", message])
}

#[test]
fn staged_change_selects_the_affected_tests() {
    let repo = Repo::new("hooked");
    repo.budget(&["hook-install"]).assert_code(0);

    repo.write(
        "core/src/lib.rs",
        &format!(
            "{}\n// touched\n",
            std::fs::read_to_string(repo.path().join("core/src/lib.rs")).unwrap()
        ),
    );
    let run = commit(&repo, &["core/src/lib.rs"], "core");
    run.assert_code(0);
    assert!(
        run.stderr.contains("Affected rdeps(=hk-core)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("4 affected tests judged in the pre-commit context"),
        "core and app: {}",
        run.stderr
    );

    repo.write(
        "app/tests/unit/x.rs",
        "#[test]\nfn x_fast() {\n    assert_eq!(hk_app::double(3), 6);\n}\n",
    );
    let run = commit(&repo, &["app/tests/unit/x.rs"], "unit");
    run.assert_code(0);
    assert!(
        run.stderr.contains("Affected binary_id(=hk-app::unit)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 affected test judged"),
        "only app::unit: {}",
        run.stderr
    );

    repo.write("README.md", "# only docs\n");
    let run = commit(&repo, &["README.md"], "docs");
    run.assert_code(0);
    assert!(
        run.stderr.contains("no Rust changes staged"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("Starting"),
        "no nextest run: {}",
        run.stderr
    );

    // A file name with spaces, quotes and non-ASCII letters maps to its target.
    repo.write(
        "app/tests/unit/main.rs",
        "//! Unit tier.\n\nmod x;\n#[path = \"sp ace \\\"q\\\" é.rs\"]\nmod spaced;\n",
    );
    repo.write(
        "app/tests/unit/sp ace \"q\" é.rs",
        "#[test]\nfn spaced_fast() {}\n",
    );
    let run = commit(
        &repo,
        &["app/tests/unit/main.rs", "app/tests/unit/sp ace \"q\" é.rs"],
        "odd name",
    );
    run.assert_code(0);
    assert!(
        run.stderr.contains("Affected binary_id(=hk-app::unit)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("2 affected tests judged"),
        "{}",
        run.stderr
    );
}

/// Real commits firing the hook, which builds and runs the affected tests (the slow one re-run
/// alone before it rejects the commit): an end-to-end journey.
/// budget: e2e
#[test]
fn slow_unit_test_rejects_the_commit() {
    let repo = Repo::new("hooked");
    repo.budget(&["hook-install"]).assert_code(0);
    let head = repo.head();
    repo.write("app/tests/unit/x.rs", "#[test]\nfn x_fast() {\n    std::thread::sleep(std::time::Duration::from_millis(1500));\n}\n");
    let run = commit(&repo, &["app/tests/unit/x.rs"], "slow");
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error over-budget hk-app::unit x::x_fast: took "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("git commit --no-verify"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.head(), head);
    // The documented bypasses.
    let skipped = Run::of(
        repo.command("git", &["commit", "-m", "slow anyway"], repo.path())
            .env("CARGO_BUDGET_SKIP", "1")
            .output()
            .unwrap(),
    );
    skipped.assert_code(0);
}

const BROKEN: &str = "this is not rust {{{ \u{e9}\r\nno newline at end";

/// Real commits firing the hook, which builds and runs the affected tests (a slow one re-run
/// alone): an end-to-end journey.
/// budget: e2e
#[test]
fn unstaged_changes_are_set_aside_and_restored() {
    let repo = Repo::new("hooked");
    repo.budget(&["hook-install"]).assert_code(0);

    // A good staged change, and an unstaged edit that would break compilation, in the same file.
    let lib = repo.path().join("app/src/lib.rs");
    let original = std::fs::read_to_string(&lib).unwrap();
    repo.write(
        "app/src/lib.rs",
        &format!("{original}\npub fn triple(x: u32) -> u32 {{ x * 3 }}\n"),
    );
    repo.git(&["add", "app/src/lib.rs"]).assert_code(0);
    repo.write("app/src/lib.rs", BROKEN);
    let run = repo.git(&["commit", "-m", "good staged, broken unstaged"]);
    run.assert_code(0);
    assert_eq!(
        std::fs::read(&lib).unwrap(),
        BROKEN.as_bytes(),
        "unstaged edit back byte for byte"
    );
    assert!(
        repo.git(&["show", "HEAD:app/src/lib.rs"])
            .stdout
            .contains("pub fn triple")
    );

    // The hook fails (a slow test staged): the unstaged edit is back all the same.
    repo.write("app/tests/unit/x.rs", "#[test]\nfn x_fast() {\n    std::thread::sleep(std::time::Duration::from_millis(1500));\n}\n");
    repo.git(&["add", "app/tests/unit/x.rs"]).assert_code(0);
    let head = repo.head();
    let run = repo.git(&["commit", "-m", "slow"]);
    assert_ne!(run.code, 0);
    assert_eq!(repo.head(), head);
    assert_eq!(std::fs::read(&lib).unwrap(), BROKEN.as_bytes());
    assert!(
        !repo.path().join(".git/cargo-budget").exists(),
        "no leftovers"
    );
}

#[test]
fn sigint_mid_run_restores_unstaged_changes() {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    use std::os::unix::process::CommandExt;
    use std::time::{Duration, Instant};

    let repo = Repo::new("hooked");
    repo.budget(&["hook-install"]).assert_code(0);
    repo.write("budget.toml", "[tiers.unit]\nbudget = \"60s\"\n");
    repo.git(&["add", "budget.toml"]).assert_code(0);
    repo.git(&["commit", "-q", "--no-verify", "-m", "budgets"])
        .assert_code(0);
    let marker = repo.path().join("target-started");
    repo.write(
        "app/tests/unit/x.rs",
        &format!(
            "#[test]\nfn x_fast() {{\n    std::fs::write({:?}, \"\").unwrap();\n    std::thread::sleep(std::time::Duration::from_secs(60));\n}}\n",
            marker.to_str().unwrap()
        ),
    );
    repo.git(&["add", "app/tests/unit/x.rs"]).assert_code(0);
    repo.write("app/src/lib.rs", BROKEN);

    // Like Ctrl-C in a terminal: SIGINT to the whole process group of `git commit`.
    let mut child = repo
        .command("git", &["commit", "-m", "interrupted"], repo.path())
        .process_group(0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !marker.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the test never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    killpg(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    let _ = child.wait();
    // git may be gone before the hook has put things back; wait for the hook to finish.
    let lib = repo.path().join("app/src/lib.rs");
    let waited = Instant::now();
    while repo.path().join(".git/cargo-budget").exists()
        || std::fs::read(&lib).unwrap() != BROKEN.as_bytes()
    {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "unstaged edit not restored"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        waited.elapsed() < Duration::from_secs(50),
        "did not wait for the 60 s test"
    );
}

#[test]
fn tests_see_their_own_repositories_and_commit_a_is_judged() {
    let repo = Repo::new("hooked");
    repo.budget(&["hook-install"]).assert_code(0);
    // A test that creates a repository of its own: with git's hook variables leaking into it,
    // `git init` would re-initialise the repository being committed to instead.
    repo.write(
        "app/tests/integration/main.rs",
        r#"//! Integration tier.

#[test]
fn api_roundtrip() {
    assert_eq!(hk_app::double(5), 10);
}

#[test]
fn own_repository() {
    let dir = std::env::temp_dir().join(format!("own-repo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git").args(args).current_dir(&dir).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    let git_dir = git(&["rev-parse", "--absolute-git-dir"]);
    assert_eq!(std::path::Path::new(git_dir.trim()), dir.canonicalize().unwrap().join(".git"));
    // Its index is its own too (a leaked GIT_INDEX_FILE would add to the commit being made).
    std::fs::write(dir.join("only-file"), "x").unwrap();
    git(&["add", "only-file"]);
    assert_eq!(git(&["ls-files"]), "only-file\n");
    std::fs::remove_dir_all(&dir).unwrap();
}
"#,
    );
    let run = commit(&repo, &["app/tests/integration/main.rs"], "own repo test");
    run.assert_code(0);
    assert!(
        run.stderr.contains("2 affected tests judged"),
        "{}",
        run.stderr
    );

    // `git commit -a` stages through a temporary index (GIT_INDEX_FILE): its content is judged.
    repo.write(
        "core/src/lib.rs",
        &format!(
            "{}\n// via -a\n",
            std::fs::read_to_string(repo.path().join("core/src/lib.rs")).unwrap()
        ),
    );
    let run = repo.git(&["commit", "-a", "-m", "all"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("Affected rdeps(=hk-core)"),
        "{}",
        run.stderr
    );
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

/// Real commits firing the hook, which builds and runs the affected tests (a slow one re-run
/// alone): an end-to-end journey.
/// budget: e2e
#[test]
fn a_workspace_in_a_subdirectory_of_the_repository() {
    let repo = Repo::new("hooked");
    std::fs::create_dir(repo.path().join("rust")).unwrap();
    repo.git(&["mv", "core", "app", "Cargo.toml", "rust/"])
        .assert_code(0);
    repo.git(&["commit", "-q", "-m", "move into rust/"])
        .assert_code(0);
    repo.budget(&["hook-install"]).assert_code(0);
    // The first staged path is in `app`, so the manifest found is app's; the slow test (over
    // its 1 s unit budget) is core's.
    repo.write(
        "rust/app/src/lib.rs",
        &format!("{}\n// touched\n", repo.fx.read("rust/app/src/lib.rs")),
    );
    repo.write(
        "rust/core/src/lib.rs",
        &repo.fx.read("rust/core/src/lib.rs").replace(
            "fn adds() {",
            "fn adds() {\n        std::thread::sleep(std::time::Duration::from_millis(1200));",
        ),
    );
    let run = commit(
        &repo,
        &["rust/app/src/lib.rs", "rust/core/src/lib.rs"],
        "core and app in rust/",
    );
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("rdeps(=hk-core)"), "{}", run.stderr);
    assert!(
        run.stderr.contains("4 affected tests judged"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error over-budget hk-core tests::adds"),
        "{}",
        run.stderr
    );
    // The reproduce command names the manifest the hook found, so it works from the top of
    // the repository (where there is no Cargo.toml), as printed.
    let manifest = repo.path().join("rust/app/Cargo.toml");
    let line = run
        .stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("reproduce: "))
        .unwrap_or_else(|| panic!("no reproduce line: {}", run.stderr));
    let words = shell_words::split(line).unwrap();
    assert!(words.len() > 6, "{line}");
    assert_eq!(
        words[..6],
        [
            "cargo",
            "nextest",
            "run",
            "--manifest-path",
            manifest.to_str().unwrap(),
            "--workspace"
        ],
        "{line}"
    );
    let again = Run::of(
        repo.command(
            &words[0],
            &words[1..].iter().map(String::as_str).collect::<Vec<_>>(),
            repo.path(),
        )
        .output()
        .unwrap(),
    );
    again.assert_code(0);
    assert!(
        again.stderr.contains("1 test run: 1 passed"),
        "only the slow test: {}",
        again.stderr
    );
}

/// Every file of the work tree (not `.git`, not `target`) with its bytes.
fn work_tree(repo: &Repo) -> BTreeMap<PathBuf, Vec<u8>> {
    repo.fx
        .tree()
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".git"))
        .collect()
}

#[test]
fn a_failed_set_aside_undoes_itself() {
    let repo = Repo::new("hooked");
    repo.write("a/b/c.txt", "c\n");
    repo.write("A.rs", "A\n");
    repo.git(&["add", "-A"]).assert_code(0);
    repo.git(&["commit", "-q", "--no-verify", "-m", "more"])
        .assert_code(0);
    repo.budget(&["hook-install"]).assert_code(0);

    // A tracked `a/b/c.txt` deleted and an untracked file `a` in its way: the staged version
    // cannot be written. `A.rs` (an unstaged edit) is set aside and written before that fails.
    std::fs::remove_dir_all(repo.path().join("a")).unwrap();
    repo.write("a", "untracked notes\n");
    repo.write("A.rs", "A, unstaged\n");
    repo.write(
        "core/src/lib.rs",
        &format!("{}\n// staged\n", repo.fx.read("core/src/lib.rs")),
    );
    repo.git(&["add", "core/src/lib.rs"]).assert_code(0);
    let before = work_tree(&repo);
    let head = repo.head();
    for attempt in 0..2 {
        let run = repo.git(&["commit", "-m", "refused"]);
        assert_ne!(run.code, 0, "{}", run.stderr);
        assert_eq!(repo.head(), head);
        assert!(run.stderr.contains("a/b"), "{attempt}: {}", run.stderr);
        assert!(
            run.stderr.contains("nothing was changed"),
            "{attempt}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("did not finish"),
            "{attempt}: a failed set-aside is not an unfinished run: {}",
            run.stderr
        );
        assert_eq!(before, work_tree(&repo), "{attempt}: all as it was");
        assert!(
            !repo.path().join(".git/cargo-budget").exists(),
            "{attempt}: no backup left"
        );
    }
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
