//! Bad input and broken environments: each gets a clear message and its own exit code.

use crate::support::*;

#[test]
fn malformed_budget_toml_is_a_config_error_with_position() {
    let fx = Fixture::new("plain");
    fx.write(
        "budget.toml",
        "phase = \"strict\"\n[tiers.unit]\nbudget = \"1\"\n",
    );
    let run = fx.run(&["report", "--mode", "ci"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains("budget.toml:3:10: `1` has no unit: write \"1s\" or \"1ms\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("   3 | budget = \"1\""),
        "{}",
        run.stderr
    );

    fx.write("budget.toml", "[tiers.unit\n");
    let run = fx.run(&["report", "--mode", "ci"]);
    run.assert_code(USAGE);
    assert!(run.stderr.contains("budget.toml:1:"), "{}", run.stderr);
}

#[test]
fn unknown_key_is_a_warning_and_the_run_continues() {
    let fx = Fixture::new("plain");
    fx.write(
        "budget.toml",
        "phase = \"strict\"\nbogus = true\n[tiers.unit]\nbudgte = \"2s\"\n",
    );
    let run = fx.run(&["report", "--mode", "ci"]);
    run.assert_code(0);
    assert!(run.stderr.contains("warning: "), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("budget.toml:2:1: unknown key `bogus` ignored\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "budget.toml:4:1: unknown key `tiers.unit.budgte` ignored (did you mean `budget`?)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("PASS"), "{}", run.stdout);
}

#[test]
fn missing_nextest_names_the_install_command() {
    let fx = Fixture::new("plain");
    // A PATH with the real cargo and rustc but no cargo-nextest, and an empty CARGO_HOME.
    let sysroot = String::from_utf8(
        std::process::Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let toolchain_bin = std::path::Path::new(sysroot.trim()).join("bin");
    let home = tempfile::tempdir().unwrap();
    let run = Run::of(
        fx.cmd(&["report", "--mode", "ci"])
            .env("PATH", format!("{}:/usr/bin:/bin", toolchain_bin.display()))
            .env("CARGO", toolchain_bin.join("cargo"))
            .env("CARGO_HOME", home.path())
            .env_remove("RUSTUP_TOOLCHAIN")
            .output()
            .unwrap(),
    );
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("cargo-nextest is not installed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cargo install cargo-nextest --locked"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_failure_has_its_own_exit_code() {
    let fx = Fixture::new("plain");
    fx.write(
        "tests/api.rs",
        "#[test]\nfn broken() { let x: u32 = \"not a number\"; }\n",
    );
    let run = fx.run(&["report", "--mode", "ci"]);
    run.assert_code(BUILD_FAILED);
    assert!(
        run.stderr.contains("error[E0308]"),
        "cargo's diagnostics are shown: {}",
        run.stderr
    );
}

#[test]
fn invalid_filterset_is_a_usage_error() {
    let fx = Fixture::new("plain");
    let run = fx.run(&["report", "--mode", "ci", "-E", "test(foo"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("expected close parenthesis"),
        "nextest explains: {}",
        run.stderr
    );
    // clap's own usage errors share the code.
    fx.run(&["report", "--format", "yaml"]).assert_code(USAGE);
}

#[test]
fn truncated_junit_is_an_error_naming_the_file() {
    let fx = Fixture::new("plain");
    let sample =
        std::fs::read_to_string(repo_root().join("tests/data/junit-ci-retries2.xml")).unwrap();
    fx.write("cut.xml", &sample[..sample.len() / 3]);
    let run = fx.run(&["report", "--from", "cut.xml"]);
    run.assert_code(USAGE);
    assert!(run.stderr.contains("cut.xml:"), "{}", run.stderr);
    assert!(run.stderr.contains("truncated"), "{}", run.stderr);
    let missing = fx.run(&["report", "--from", "nope.xml"]);
    missing.assert_code(USAGE);
    assert!(
        missing
            .stderr
            .contains("failed to read JUnit file `nope.xml`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn malformed_junit_after_a_byte_order_mark_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.xml"), b"\xef\xbb\xbf </x>").unwrap();
    let run = Run::of(
        std::process::Command::new(bin())
            .args(["report", "--from", "x.xml"])
            .current_dir(dir.path())
            .output()
            .unwrap(),
    );
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("x.xml:1:2: invalid JUnit: "),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn junit_that_is_not_utf8_is_bad_input_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    // Latin-1, as a hand-converted or foreign file would be.
    std::fs::write(
        dir.path().join("l.xml"),
        b"<testsuites>\n<testsuite name=\"p::unit\">\n<testcase name=\"caf\xe9\" time=\"0.1\"/>\n</testsuite>\n</testsuites>\n",
    )
    .unwrap();
    let run = Run::of(
        std::process::Command::new(bin())
            .args(["report", "--from", "l.xml", "--mode", "dev"])
            .current_dir(dir.path())
            .output()
            .unwrap(),
    );
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains("l.xml:3:20: invalid JUnit: byte 0xE9 is not UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_test_twice_in_one_junit_file_is_placed_not_called_a_shard_overlap() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("f.xml"),
        "<testsuites>\n<testsuite name=\"p::unit\">\n<testcase name=\"t\" time=\"0.1\"/>\n<testcase name=\"t\" time=\"0.2\"/>\n</testsuite>\n</testsuites>\n",
    )
    .unwrap();
    let run = Run::of(
        std::process::Command::new(bin())
            .args(["report", "--from", "f.xml"])
            .current_dir(dir.path())
            .output()
            .unwrap(),
    );
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains(
            "f.xml:4:1: invalid JUnit: test `p::unit t` appears a second time (first at line 3)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn values_nextest_cannot_take_are_config_errors_before_any_run() {
    let fx = Fixture::new("plain");
    let cases = [
        (
            "[tiers.unit]\nbudget = \"99999999999h\"\n",
            "budget.toml:2:10: `99999999999h` is too long: durations in budget.toml are at most 7 days",
        ),
        (
            "[defaults]\nkill_after = 99999999999\n",
            "budget.toml:2:14: kill_after `99999999999` is too large: at most 100 budgets",
        ),
        (
            "[tiers.unit]\ntargets = [\"unit\\u0000\"]\n",
            "budget.toml:2:12: a NUL character (U+0000) is not allowed",
        ),
    ];
    for (toml, want) in cases {
        fx.write("budget.toml", toml);
        let run = fx.run(&["report", "--mode", "ci"]);
        run.assert_code(USAGE);
        assert!(run.stderr.contains(want), "{toml}: {}", run.stderr);
        assert!(!run.stderr.contains("nextest"), "{toml}: {}", run.stderr);
    }
}

#[test]
fn unknown_tier_in_a_marker_is_an_error_with_position() {
    let fx = Fixture::new("plain");
    let api = fx
        .read("tests/api.rs")
        .replace("/// budget: e2e", "/// budget: e2f");
    fx.write("tests/api.rs", &api);
    let run = fx.run(&["report", "--mode", "ci"]);
    run.assert_code(USAGE);
    assert!(run.stderr.contains("tests/api.rs:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unknown tier `e2f` (known tiers: unit, integration, e2e)"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn sigint_stops_nextest_and_exits_interrupted() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    use std::time::{Duration, Instant};

    let fx = Fixture::new("tiers");
    // A generous budget so only the interrupt can end the hanging test.
    fx.write("budget.toml", "[tiers.e2e]\nbudget = \"60s\"\n");
    let child = fx
        .cmd(&["report", "--mode", "ci", "-E", "binary(e2e)"])
        .env("FX_HANG", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until nextest is running the test (the build may take a moment), then interrupt.
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(4));
    kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    let out = child.wait_with_output().unwrap();
    let run = Run::of(out);
    run.assert_code(INTERRUPTED);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "did not wait for the 60 s budget"
    );
}

#[test]
fn unlistable_binary_is_reported_and_user_filters_exclude_it() {
    let fx = Fixture::new("plain");
    let manifest = fx.read("Cargo.toml");
    fx.write(
        "Cargo.toml",
        &format!("{manifest}\n[[test]]\nname = \"vendor_compliance\"\npath = \"tests/vendor_compliance.rs\"\nharness = false\n"),
    );
    // A harness that rejects nextest's `--list --format terse`, as some real suites do.
    fx.write(
        "tests/vendor_compliance.rs",
        "fn main() { if std::env::args().any(|a| a == \"--list\") { eprintln!(\"unknown option --list\"); std::process::exit(1); } }\n",
    );
    let run = fx.run(&["report", "--mode", "ci"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("a test binary could not list its tests (a custom harness?); exclude it with a filter such as -E 'not binary(NAME)'"),
        "{}",
        run.stderr
    );
    let run = fx.run(&[
        "report",
        "--mode",
        "ci",
        "--format",
        "json",
        "-E",
        "not binary(vendor_compliance)",
    ]);
    run.assert_code(0);
    assert_eq!(run.json()["tests"].as_array().unwrap().len(), 4);
}

#[test]
fn bad_selection_arguments_are_usage_errors() {
    let fx = Fixture::new("plain");
    let run = fx.run(&["report", "-p", "no-such-package"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains(
            "package `no-such-package` is not a member of the workspace (members: fx-plain)"
        ),
        "{}",
        run.stderr
    );
    let run = fx.run(&["report", "--partition", "bogus"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("nextest rejected its arguments"),
        "{}",
        run.stderr
    );
}

#[test]
fn stale_exceptions_respect_the_selection_and_empty_runs_warn() {
    let fx = Fixture::new("tiers");
    fx.write(
        "budget.toml",
        "[[exception]]\ntest = \"fx-core tests::fast_add\"\nbudget = \"2s\"\n\
         [[exception]]\ntest = \"fx-core tests::removed_long_ago\"\nbudget = \"2s\"\n\
         [[exception]]\ntest = \"fx-gone::unit x\"\nbudget = \"2s\"\n\
         [[exception]]\ntest = \"fx-core tests::slow_sleep_1500ms\"\nbudget = \"2s\"\n\
         [[exception]]\ntest = \"fx-core tests::ignored_fetch\"\nbudget = \"2s\"\n",
    );
    // Only fx-app runs: fx-core's exceptions cannot be judged, the gone binary's can.
    let run = fx.run(&[
        "report",
        "--mode",
        "ci",
        "--format",
        "json",
        "-p",
        "fx-app",
        "-E",
        "binary(unit) & test(fast)",
    ]);
    run.assert_code(0);
    let stale: Vec<_> = findings(&run.json())
        .into_iter()
        .filter(|f| f.0 == "exception-stale")
        .map(|f| f.1)
        .collect();
    assert_eq!(stale, ["fx-gone::unit"]);
    // The whole workspace: the test that no longer exists is stale too; a test the filter
    // skipped and an ignored test still exist (nothing lists the suite before the run: the
    // run's JUnit shows its skipped tests).
    let run = fx.run(&[
        "report",
        "--mode",
        "ci",
        "--format",
        "json",
        "-E",
        "test(fast)",
    ]);
    run.assert_code(0);
    let mut stale: Vec<_> = findings(&run.json())
        .into_iter()
        .filter(|f| f.0 == "exception-stale")
        .map(|f| format!("{} {}", f.1, f.2))
        .collect();
    stale.sort();
    assert_eq!(
        stale,
        ["fx-core tests::removed_long_ago", "fx-gone::unit x"]
    );

    let empty = fx.run(&[
        "report",
        "--mode",
        "ci",
        "-E",
        "test(=nothing_is_called_this)",
    ]);
    empty.assert_code(0);
    assert!(empty.stderr.contains("no tests ran"), "{}", empty.stderr);
}

/// nextest killed by a signal nobody here sent (the OOM killer, a CI job's timeout) is an error
/// naming the signal, not "interrupted": only a real interrupt exits 130.
#[cfg(unix)]
#[test]
fn nextest_killed_by_a_signal_is_an_error_not_an_interrupt() {
    let fx = Fixture::new("plain");
    let tools = tempfile::tempdir().unwrap();
    let cargo = cargo_wrapper(
        tools.path(),
        "if [ \"$1\" = nextest ] && [ \"$2\" = run ]; then kill -KILL $$; fi",
    );
    let run = Run::of(
        fx.cmd(&["report", "--mode", "ci"])
            .env("CARGO", &cargo)
            .output()
            .unwrap(),
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains("killed by signal 9 (SIGKILL)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("interrupted"), "{}", run.stderr);
}

/// An I/O failure while setting changes aside is an error (exit 1) with its cause, not a usage
/// error with the cause dropped.
#[test]
fn set_aside_io_failures_exit_1_with_their_cause() {
    let repo = Repo::new("hooked");
    repo.write("a/b/c.txt", "tracked\n");
    repo.git(&["add", "a/b/c.txt"]).assert_code(0);
    repo.git(&["commit", "-q", "-m", "c"]).assert_code(0);
    // The tracked file deleted and a file `a` in the way: its index version cannot be written.
    std::fs::remove_dir_all(repo.path().join("a")).unwrap();
    repo.write("a", "untracked\n");
    let lib = repo.fx.read("core/src/lib.rs");
    repo.write("core/src/lib.rs", &format!("{lib}\n// staged\n"));
    repo.git(&["add", "core/src/lib.rs"]).assert_code(0);
    let run = repo.budget(&["hook-run"]);
    run.assert_code(1);
    assert!(run.stderr.contains("caused by:"), "{}", run.stderr);
}
