//! The command line itself: both invocation forms, help, the CI default context.

use crate::support::*;

#[test]
fn runs_as_a_cargo_subcommand() {
    // cargo finds `cargo-budget` on PATH and calls it as `cargo-budget budget …`.
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["budget", "report", "--help"])
        .env("PATH", path)
        .output()
        .unwrap();
    let run = Run::of(out);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Usage: cargo budget report"),
        "{}",
        run.stdout
    );
}

#[test]
fn help_snapshot() {
    let out = std::process::Command::new(bin())
        .args(["report", "--help"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let run = Run::of(out);
    run.assert_code(0);
    insta::assert_snapshot!("report_help", run.stdout);
}

#[test]
fn context_defaults_to_ci_when_ci_is_set() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_root().join("tests/data/junit-ci-retries2.xml"),
        dir.path().join("j.xml"),
    )
    .unwrap();
    let json = |ci: Option<&str>| {
        let mut cmd = std::process::Command::new(bin());
        cmd.args(["report", "--from", "j.xml", "--format", "json"])
            .current_dir(dir.path());
        match ci {
            Some(v) => cmd.env("CI", v),
            None => cmd.env_remove("CI"),
        };
        Run::of(cmd.output().unwrap()).json()
    };
    assert_eq!(json(Some("true"))["context"], "ci");
    assert_eq!(json(None)["context"], "dev");
    assert_eq!(json(Some("false"))["context"], "dev");
}

/// The `Running`/`Listing` lines `-v` prints, which are the commands nextest was given.
/// The `cargo nextest list` and `cargo nextest run` lines `-v` printed: (lists, runs).
fn commands(run: &Run) -> (Vec<&str>, Vec<&str>) {
    let lines = run.stderr.lines();
    (
        lines
            .clone()
            .filter(|l| l.contains("cargo nextest list"))
            .collect(),
        lines.filter(|l| l.contains("cargo nextest run")).collect(),
    )
}

fn host_triple() -> String {
    let out = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap()
        .to_string()
}

/// Every option `cargo nextest run` users type reaches nextest: build options on both the
/// list and the run, run options on the run, the user's profile with cargo-budget's settings
/// layered under it, and libtest's `--test-threads` after `--` as nextest's own. The suite is
/// listed only because the user's profile decides which skipped tests its JUnit shows.
/// budget: e2e
#[test]
fn nextest_options_reach_nextest() {
    let fx = Fixture::new("plain");
    fx.write(
        ".config/nextest.toml",
        "[profile.mine]\nslow-timeout = \"60s\"\n[profile.mine.junit]\nreport-skipped = \"none\"\n",
    );
    // --locked, --offline and --frozen need a lock file that is up to date.
    fx.tool("cargo", &["generate-lockfile", "--offline"])
        .assert_code(0);
    let first = fx.run(&[
        "report",
        "-v",
        "--mode",
        "dev",
        "--no-baseline",
        "-P",
        "mine",
        "-j",
        "2",
        "--retries",
        "1",
        "--no-capture",
        "--workspace",
        "--exclude",
        "elsewhere",
        "-F",
        "",
        "--all-features",
        "--no-default-features",
        "--release",
        "--locked",
        "--offline",
        "--frozen",
        "--",
        "lib_fast",
    ]);
    first.assert_code(0);
    let (lists, runs) = commands(&first);
    let ([list], [run]) = (&lists[..], &runs[..]) else {
        panic!("one list and one run line: {}", first.stderr);
    };
    for build in [
        "--workspace",
        "--exclude elsewhere",
        "--features ''",
        "--all-features",
        "--no-default-features",
        "--release",
        "--locked",
        "--offline",
        "--frozen",
        "--color never",
        "-- lib_fast",
    ] {
        assert!(list.contains(build), "{build} not in {list}");
        assert!(run.contains(build), "{build} not in {run}");
    }
    for tuning in [
        "--profile mine",
        "--test-threads 2",
        "--retries 1",
        "--no-capture",
    ] {
        assert!(run.contains(tuning), "{tuning} not in {run}");
        assert!(!list.contains(tuning), "{tuning} in {list}");
    }
    assert!(
        first.stderr.contains("with nextest profile: mine"),
        "{}",
        first.stderr
    );

    let host = host_triple();
    let second = fx.run_with_env(
        &[
            "report",
            "-v",
            "--mode",
            "dev",
            "--no-baseline",
            "--cargo-profile",
            "release",
            "--target",
            &host,
            "--",
            "--test-threads",
            "1",
            "--exact",
            "tests::lib_fast",
        ],
        &[("CARGO_TERM_COLOR", "always")],
    );
    second.assert_code(0);
    // The tool config's JUnit lists the skipped tests: nothing is listed before the run.
    let (lists, runs) = commands(&second);
    let ([], [run]) = (&lists[..], &runs[..]) else {
        panic!("one run line and no list: {}", second.stderr);
    };
    for both in [
        "--cargo-profile release".to_string(),
        format!("--target {host}"),
        "--color always".into(),
        "-- --exact tests::lib_fast".into(),
    ] {
        assert!(run.contains(&both), "{both} not in {run}");
    }
    assert!(run.contains("--test-threads 1"), "{run}");
    assert!(run.contains("--profile cargo-budget"), "{run}");

    let unknown = fx.run(&["report", "--no-baseline", "-P", "nope"]);
    unknown.assert_code(2);
    assert!(
        unknown
            .stderr
            .contains("nextest profile `nope` is not defined"),
        "{}",
        unknown.stderr
    );
}

/// Each shell's script is generated; bash's and zsh's parse in the real shells.
#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = Run::of(
            std::process::Command::new(bin())
                .args(["completions", shell])
                .output()
                .unwrap(),
        );
        run.assert_code(0);
        assert!(
            run.stdout.contains("cargo-budget"),
            "{shell}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("filterset"), "{shell}");
        if shell == "bash" {
            let dir = tempfile::tempdir().unwrap();
            let script = dir.path().join("c.bash");
            std::fs::write(&script, &run.stdout).unwrap();
            let checked = std::process::Command::new("bash")
                .arg("-n")
                .arg(&script)
                .status()
                .unwrap();
            assert!(checked.success(), "bash -n rejected the script");
        }
    }
    let bad = Run::of(
        std::process::Command::new(bin())
            .args(["completions", "tcsh"])
            .output()
            .unwrap(),
    );
    bad.assert_code(2);
}
