//! Pre-commit overhead: the time `cargo budget hook-run` spends outside nextest (git, cargo
//! metadata, planning, setting unstaged changes aside and back, evaluation) on the two-crate
//! fixture workspace, with a staged change in `core/src` and an unstaged edit beside it.
//! Target: under 150 ms. Also times a commit that stages only a README (no tests at all).
//!
//! Run: `cargo bench --bench hook` (release build of cargo-budget).

#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn git(dir: &Path, config: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", config)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_name() == "target" || e.file_name() == "Cargo.lock" {
            continue;
        }
        if src.is_dir() {
            copy(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn hook_run(dir: &Path, config: &Path, target: &Path) -> (Duration, Option<u64>) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-budget"))
        .args(["hook-run", "-v", "--color", "never"])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", config)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CI")
        .output()
        .expect("cargo-budget runs");
    let elapsed = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let overhead = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Overhead "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok());
    (elapsed, overhead)
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ws");
    let target = tmp.path().join("target");
    let config = tmp.path().join("gitconfig");
    std::fs::write(&config, "[user]\n\tname = b\n\temail = b@example.invalid\n").unwrap();
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hooked"),
        &dir,
    );
    git(&dir, &config, &["init", "-q"]);
    git(&dir, &config, &["add", "-A"]);
    git(&dir, &config, &["commit", "-q", "-m", "base"]);

    let lib = dir.join("core/src/lib.rs");
    let original = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{original}\n// staged change\n")).unwrap();
    git(&dir, &config, &["add", "core/src/lib.rs"]);
    std::fs::write(dir.join("app/src/lib.rs"), "unstaged, does not compile {").unwrap();

    hook_run(&dir, &config, &target); // warm-up: builds the tests
    let mut overheads = Vec::new();
    let mut totals = Vec::new();
    for _ in 0..10 {
        let (total, overhead) = hook_run(&dir, &config, &target);
        totals.push(total);
        overheads.push(overhead.expect("hook-run -v reports its overhead"));
    }
    overheads.sort();
    totals.sort();
    println!(
        "hook-run on a staged core/src change (4 affected tests, 1 unstaged file set aside), 10 runs:"
    );
    println!(
        "  outside nextest: min {} ms, median {} ms, max {} ms   (target < 150 ms: {})",
        overheads[0],
        overheads[5],
        overheads[9],
        if overheads[5] < 150 { "PASS" } else { "FAIL" }
    );
    println!(
        "  whole hook-run:  min {} ms, median {} ms",
        totals[0].as_millis(),
        totals[5].as_millis()
    );

    // Only a README staged: no workspace read, no tests.
    git(&dir, &config, &["reset", "-q"]);
    git(&dir, &config, &["checkout", "--", "."]);
    std::fs::write(dir.join("README.md"), "# changed\n").unwrap();
    git(&dir, &config, &["add", "README.md"]);
    let mut docs: Vec<Duration> = (0..10)
        .map(|_| hook_run(&dir, &config, &target).0)
        .collect();
    docs.sort();
    println!(
        "hook-run with only README.md staged: min {} ms, median {} ms",
        docs[0].as_millis(),
        docs[5].as_millis()
    );
}
