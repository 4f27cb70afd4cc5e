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
