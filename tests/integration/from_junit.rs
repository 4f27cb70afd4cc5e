//! `--from`: judging existing JUnit without running anything, outside any workspace.

use crate::support::*;

fn sample_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_root().join("tests/data/junit-ci-retries2.xml"),
        dir.path().join("junit.xml"),
    )
    .unwrap();
    dir
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let mut cmd = std::process::Command::new(bin());
    cmd.args(args).current_dir(dir).env_remove("CI");
    Run::of(cmd.output().unwrap())
}

#[test]
fn real_sample_flaky_failed_timeout() {
    let dir = sample_dir();
    let run = run_in(
        dir.path(),
        &[
            "report",
            "--from",
            "junit.xml",
            "--mode",
            "ci",
            "--format",
            "json",
        ],
    );
    run.assert_code(TESTS_FAILED);
    let r = run.json();
    assert_eq!(
        test(&r, "app::integration", "flaky_fails_first_then_passes")["outcome"],
        "flaky"
    );
    assert_eq!(
        test(&r, "app::integration", "flaky_fails_first_then_passes")["judgement"],
        "within"
    );
    assert_eq!(test(&r, "app::integration", "panics")["outcome"], "failed");
    assert_eq!(test(&r, "app::e2e", "loops_forever")["outcome"], "timeout");
    insta::assert_snapshot!("from_sample_json", run.stdout);
}

#[test]
fn real_sample_markdown_and_github() {
    let dir = sample_dir();
    let md = run_in(
        dir.path(),
        &[
            "report",
            "--from",
            "junit.xml",
            "--mode",
            "ci",
            "--format",
            "markdown",
        ],
    );
    md.assert_code(TESTS_FAILED);
    insta::assert_snapshot!("from_sample_markdown", md.stdout);
    let gh = run_in(
        dir.path(),
        &[
            "report",
            "--from",
            "junit.xml",
            "--mode",
            "ci",
            "--format",
            "github",
        ],
    );
    insta::assert_snapshot!("from_sample_github", gh.stdout);
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = sample_dir();
    let run = run_in(
        dir.path(),
        &[
            "report",
            "--from",
            "junit.xml",
            "--mode",
            "dev",
            "--format",
            "json",
            "--output",
            "out/report.json",
        ],
    );
    // The output directory must exist; a clear error otherwise.
    run.assert_code(1);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let run = run_in(
        dir.path(),
        &[
            "report",
            "--from",
            "junit.xml",
            "--mode",
            "dev",
            "--format",
            "json",
            "--output",
            "out/report.json",
        ],
    );
    run.assert_code(TESTS_FAILED);
    assert_eq!(run.stdout, "");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    assert_eq!(written["context"], "dev");
    assert!(run.stderr.contains("Verdict"), "{}", run.stderr);
}

/// `--output` to a FIFO (and a link to one) writes into it: a report sent to a pipe, a device or
/// `/dev/stdout` must not replace it with a regular file (as root, `/dev/null` itself).
#[cfg(unix)]
#[test]
fn output_to_a_fifo_is_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let dir = sample_dir();
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink(&fifo, dir.path().join("link")).unwrap();
    for output in ["report.pipe", "link"] {
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(std::fs::read_to_string(reader).unwrap_or_default());
        });
        let run = run_in(
            dir.path(),
            &[
                "report",
                "--from",
                "junit.xml",
                "--mode",
                "dev",
                "--format",
                "json",
                "--output",
                output,
            ],
        );
        run.assert_code(TESTS_FAILED);
        let kind = std::fs::metadata(&fifo).unwrap().file_type();
        assert!(
            kind.is_fifo(),
            "--output {output} replaced the FIFO: {kind:?}"
        );
        let read = rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap();
        let report: serde_json::Value = serde_json::from_str(&read).unwrap();
        assert_eq!(report["context"], "dev", "--output {output}");
    }
}

#[test]
fn a_testcase_without_time_is_reported_as_having_no_duration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("j.xml"),
        "<testsuites><testsuite name=\"app::unit\"><testcase name=\"untimed\"/><testcase name=\"timed\" time=\"0.010\"/></testsuite></testsuites>",
    )
    .unwrap();
    let json = run_in(
        dir.path(),
        &[
            "report", "--from", "j.xml", "--mode", "ci", "--format", "json",
        ],
    );
    json.assert_code(0);
    let r = json.json();
    let untimed = test(&r, "app::unit", "untimed");
    assert_eq!(untimed["judgement"], "no-duration");
    assert!(untimed["duration_ms"].is_null(), "{untimed}");
    assert_eq!(test(&r, "app::unit", "timed")["judgement"], "within");
    assert_eq!(r["tiers"][0]["within_budget"], 1, "{}", r["tiers"][0]);
    let s = String::from;
    assert_eq!(
        findings(&r),
        [(s("no-duration"), s("app::unit"), s("untimed"), s("warning"))]
    );
    assert_eq!(
        r["findings"][0]["message"],
        "passed, but the report gives no duration for it: not judged against its unit budget of 1s"
    );

    let human = run_in(dir.path(), &["report", "--from", "j.xml", "--mode", "ci"]);
    human.assert_code(0);
    assert!(
        human.stdout.contains("no-duration") && human.stdout.contains("app::unit untimed"),
        "{}",
        human.stdout
    );
}
