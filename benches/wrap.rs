//! The per-test cost of measuring memory: `cargo-budget __wrap <program>` (what nextest runs
//! for every test attempt when wrapper scripts are enabled) against running the program
//! directly. The program is a tiny Rust binary that exits at once (this bench's own
//! executable with `--child`), so the difference is the wrapper: one more exec, the signal
//! handlers, getrusage and one appended line. Target: ≤ 2 ms per test.
//!
//! Run: `cargo bench --bench wrap` (release build of cargo-budget).

#![allow(clippy::print_stdout)]

use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 400;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--child") {
        return;
    }
    let me = std::env::current_exe().expect("the bench knows its path");
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("attempts.jsonl");
    let wrapper = env!("CARGO_BIN_EXE_cargo-budget");
    let time = |cmd: &mut Command| {
        let started = Instant::now();
        let status = cmd.status().expect("runs");
        assert!(status.success());
        started.elapsed()
    };
    let (mut direct, mut wrapped) = (Vec::new(), Vec::new());
    // Alternating, so load changes hit both alike.
    for _ in 0..ROUNDS {
        direct.push(time(Command::new(&me).arg("--child")));
        wrapped.push(time(
            Command::new(wrapper)
                .arg("__wrap")
                .arg(&me)
                .arg("--child")
                .env("CARGO_BUDGET_ATTEMPTS", &out)
                .env("NEXTEST_BINARY_ID", "bench")
                .env("NEXTEST_TEST_NAME", "child")
                .env("NEXTEST_ATTEMPT", "1"),
        ));
    }
    let lines = std::fs::read_to_string(&out)
        .expect("records")
        .lines()
        .count();
    assert_eq!(lines, ROUNDS, "one record per wrapped run");
    let (d, w) = (median(direct), median(wrapped));
    println!(
        "wrap: {ROUNDS} runs each, alternating: direct median {:.3} ms, wrapped median {:.3} ms, \
         cost per test {:.3} ms (target ≤ 2 ms)",
        d.as_secs_f64() * 1e3,
        w.as_secs_f64() * 1e3,
        (w.saturating_sub(d)).as_secs_f64() * 1e3
    );
}
