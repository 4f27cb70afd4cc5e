//! Names and values that try to act: a test name that starts a workflow command, a ref that is
//! an option, a `.budget/` that leads out of the workspace (issue 21.5).

use crate::support::*;

/// A JUnit report holding one slow test whose name starts a `::error` line and clears the
/// screen.
fn hostile_junit() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("junit.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nextest-run" tests="1" failures="0" errors="0" time="2.0">
  <testsuite name="app::unit" tests="1" failures="0" errors="0">
    <testcase name="slow&#10;::error file=x::pwned&#13;&#27;[2J" classname="app::unit" time="2.0"/>
  </testsuite>
</testsuites>
"#,
    )
    .unwrap();
    dir
}

/// What GitHub Actions would take for a workflow command in `out`: a line that starts with
/// `::` once its leading whitespace is trimmed, as the runner parses it; `ours` are the
/// commands cargo-budget writes itself (`--format github`).
fn commands<'a>(out: &'a str, ours: &[&str]) -> Vec<&'a str> {
    out.split(['\n', '\r'])
        .map(str::trim_start)
        .filter(|l| l.starts_with("::") && !ours.iter().any(|o| l.starts_with(o)))
        .collect()
}

/// A name holding a newline, a CR and a screen clear: no format starts a line with it (so no
/// `::error` of its own on GitHub Actions, where the ci-gate prints the human output), every
/// format shows it once on one line, and `--format github` escapes it as the runner expects.
#[test]
fn a_name_never_starts_a_line_or_a_workflow_command() {
    let dir = hostile_junit();
    for format in ["human", "github", "markdown", "json", "openmetrics"] {
        let mut cmd = std::process::Command::new(bin());
        cmd.args(["report", "--from", "junit.xml", "--mode", "ci"])
            .args(["--format", format, "--color", "never"])
            .current_dir(dir.path())
            .env_remove("CI");
        let run = Run::of(cmd.output().unwrap());
        // The test is over the 1 s default unit budget: judged, so its name is printed.
        run.assert_code(3);
        let ours: &[&str] = match format {
            "github" => &["::error title=", "::warning title=", "::notice title="],
            _ => &[],
        };
        for out in [&run.stdout, &run.stderr] {
            assert_eq!(commands(out, ours), Vec::<&str>::new(), "{format}:\n{out}");
        }
        if matches!(format, "json" | "openmetrics") {
            continue;
        }
        for line in run.stdout.lines().chain(run.stderr.lines()) {
            assert!(!line.contains(['\u{1b}', '\r']), "{format}: {line:?}");
        }
        let (shown, title) = match format {
            "github" => (
                "slow\\n::error file=x::pwned\\r\\u{1b}[2J",
                Some("title=over-budget%3A app%3A%3Aunit slow\\n%3A%3Aerror file=x%3A%3Apwned"),
            ),
            "markdown" => (
                "slow&#92;n::error file=x::pwned&#92;r&#92;u{1b}&#91;2J",
                None,
            ),
            _ => ("slow\\n::error file=x::pwned\\r\\u{1b}[2J", None),
        };
        assert!(run.stdout.contains(shown), "{format}: {}", run.stdout);
        if let Some(title) = title {
            assert!(run.stdout.contains(title), "{format}: {}", run.stdout);
        }
    }
}

/// A name in a warning or an error on stderr (read for workflow commands too): the newline
/// that would start a command is shown as `\n`.
#[test]
fn a_name_in_an_error_starts_no_workflow_command() {
    let repo = Repo::new("plain");
    let run = repo.budget(&["trend", "x\n::error ::pwned\r"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("`x\\n::error ::pwned\\r`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        commands(&run.stderr, &[]),
        Vec::<&str>::new(),
        "{}",
        run.stderr
    );
}

/// `--baseline-ref=--output=FILE` would make `git show` write FILE: refused with exit 2 before
/// anything runs, and no file appears, wherever it points.
#[test]
fn a_baseline_ref_that_is_an_option_is_refused() {
    let repo = Repo::new("plain");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("written");
    for (file, written) in [
        (target.display().to_string(), target.clone()),
        ("written".to_string(), repo.path().join("written")),
    ] {
        let arg = format!("--baseline-ref=--output={file}");
        let run = repo.budget(&["bench", "--mode", "ci", &arg]);
        run.assert_code(USAGE);
        assert!(
            run.stderr
                .contains(&format!("--baseline-ref `--output={file}` starts with `-`")),
            "{}",
            run.stderr
        );
        assert!(!written.exists(), "{}", written.display());
        // Nor under any name git could have made of it (`FILE:path` for `git show --output`).
        let made = |dir: &std::path::Path| {
            std::fs::read_dir(dir)
                .unwrap()
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().starts_with("written"))
        };
        assert!(!made(outside.path()) && !made(repo.path()), "{arg}");
    }
}

/// `.budget/` a symlink to a directory outside the repository, or the baseline file a symlink
/// out: `baseline` and `bench --save-baseline` refuse with exit 2 before measuring, naming
/// the path, and write nothing there (as `init` refuses).
#[cfg(unix)]
#[test]
fn a_baseline_is_not_written_through_a_symlink_out_of_the_repository() {
    let repo = Repo::new("plain");
    let outside = tempfile::tempdir().unwrap();
    let budget = repo.path().join(".budget");
    let commands: [(&[&str], &str, &str); 2] = [
        (&["baseline", "--runs", "1"], "baseline.json", "--output"),
        (
            &["bench", "--mode", "ci", "--save-baseline"],
            "bench-baseline.json",
            "--baseline",
        ),
    ];
    for (args, file, flag) in commands {
        std::os::unix::fs::symlink(outside.path(), &budget).unwrap();
        let run = repo.budget(args);
        run.assert_code(USAGE);
        let named = format!("`{}`", budget.join(file).display());
        for part in [
            named.as_str(),
            "leads through a symlink",
            "outside the repository",
            flag,
        ] {
            assert!(
                run.stderr.contains(part),
                "{args:?}: {part}: {}",
                run.stderr
            );
        }
        assert!(!run.stderr.contains("Measuring"), "{}", run.stderr);
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);

        // The file itself a symlink out: refused the same way, nothing written.
        std::fs::remove_file(&budget).unwrap();
        std::fs::create_dir(&budget).unwrap();
        let target = outside.path().join(file);
        std::os::unix::fs::symlink(&target, budget.join(file)).unwrap();
        std::fs::write(&target, "kept").unwrap();
        let run = repo.budget(args);
        run.assert_code(USAGE);
        assert!(run.stderr.contains(&named), "{args:?}: {}", run.stderr);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept");
        std::fs::remove_file(&target).unwrap();
        std::fs::remove_dir_all(&budget).unwrap();
    }
}
