//! What counting instructions costs: one test process and one criterion benchmark process run
//! plain and under Callgrind (as cargo-budget runs them: collection toggled on the test's
//! function or criterion's `Bencher::iter`), and `cargo budget report` on the `counted`
//! fixture with counting on and off. Valgrind's start-up is a fixed cost per process; the work
//! itself runs tens of times slower.
//!
//! Run: `cargo bench --bench count` (release build of cargo-budget; needs valgrind).

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The median of `RUNS` runs of `cmd()` (each must succeed).
fn time(mut cmd: impl FnMut() -> Command) -> Duration {
    let runs = (0..RUNS)
        .map(|_| {
            let mut c = cmd();
            let start = Instant::now();
            let out = c.output().expect("the command runs");
            let took = start.elapsed();
            assert!(
                out.status.success(),
                "{c:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            took
        })
        .collect();
    median(runs)
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("target") {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The executable cargo built for `kind` (`--tests` or `--benches`) in `dir`, named `stem-*`.
fn built(dir: &Path, args: &[&str], stem: &str) -> PathBuf {
    let out = Command::new("cargo")
        .args(args)
        .args(["--message-format", "json", "-q"])
        .current_dir(dir)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{stem}-")))
        })
        .unwrap_or_else(|| panic!("cargo built no `{stem}` executable"))
}

fn counted(program: &Path, toggles: &[String], args: &[&str], out: &Path) -> Command {
    let mut c = Command::new("valgrind");
    c.args(cargo_budget::valgrind::count_args(out, toggles))
        .arg(program)
        .args(args);
    c
}

fn plain(program: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args);
    c
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let profile = tmp.path().join("callgrind.out");

    let tests_dir = tmp.path().join("counted");
    copy(&root.join("tests/fixtures/counted"), &tests_dir);
    let tests = built(&tests_dir, &["test", "--no-run"], "fx_counted");
    println!("per test process ({RUNS} runs, medians):");
    for name in ["tests::empty", "tests::steady"] {
        let args = ["--exact", name, "--nocapture"];
        let toggle = [cargo_budget::valgrind::test_function(&tests, name).unwrap()];
        let p = time(|| plain(&tests, &args));
        let c = time(|| counted(&tests, &toggle, &args, &profile));
        let n = cargo_budget::valgrind::take_total(&profile, &[]).unwrap();
        println!(
            "  {name:<14} plain {:>7}  counted {:>7}  (+{}; {} instructions)",
            ms(p),
            ms(c),
            ms(c.saturating_sub(p)),
            cargo_budget::model::grouped(n)
        );
    }

    let bench_dir = tmp.path().join("bench");
    copy(&root.join("tests/fixtures/bench"), &bench_dir);
    let speed = built(&bench_dir, &["bench", "--no-run"], "speed");
    let toggles: Vec<String> = cargo_budget::valgrind::CRITERION_ROUTINES
        .iter()
        .map(|s| s.to_string())
        .collect();
    println!("per benchmark process, criterion's test mode ({RUNS} runs, medians):");
    for id in ["steady", "scaled/work/1000"] {
        let args = ["--test", "--exact", id];
        let p = time(|| plain(&speed, &args));
        let c = time(|| counted(&speed, &toggles, &args, &profile));
        let n =
            cargo_budget::valgrind::take_total(&profile, &cargo_budget::valgrind::CRITERION_CLOCK)
                .unwrap();
        println!(
            "  {id:<16} plain {:>7}  counted {:>7}  (+{}; {} instructions)",
            ms(p),
            ms(c),
            ms(c.saturating_sub(p)),
            cargo_budget::model::grouped(n)
        );
    }

    let exe = Path::new(env!("CARGO_BIN_EXE_cargo-budget"));
    let report = |count: bool| {
        let dir = tmp.path().join(format!("report-{count}"));
        copy(&root.join("tests/fixtures/counted"), &dir);
        if !count {
            let toml = std::fs::read_to_string(dir.join("budget.toml")).unwrap();
            std::fs::write(
                dir.join("budget.toml"),
                toml.replace("instructions = true", ""),
            )
            .unwrap();
        }
        let run = || {
            let mut c = Command::new(exe);
            c.args(["budget", "report", "--mode", "dev", "-q"])
                .current_dir(&dir);
            c
        };
        let _warm = run().output().unwrap();
        time(run)
    };
    let (off, on) = (report(false), report(true));
    println!(
        "cargo budget report, counted fixture (3 tests): {} without counting, {} counting all 3 (+{} per test)",
        ms(off),
        ms(on),
        ms(on.saturating_sub(off) / 3)
    );
}
