//! The pre-commit hook for real: isolated git configuration, real `git commit` firing the
//! installed hook, real nextest on a two-crate workspace (`hk-core`, `hk-app` using it): the
//! affected tests chosen and judged, unstaged changes set aside and restored. Installing it:
//! `hook_install`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::*;

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
