//! The README's demo workspace: every test lands in the expected tier by the expected rule, the
//! slow ones are over budget, and phase × context decide the exit code.

use crate::support::*;

/// Builds and runs the demo's suite strictly, its over-budget tests re-run alone, then judges the
/// kept JUnit in every phase and context: an end-to-end journey.
/// budget: e2e
#[test]
fn demo_tiers_rules_and_strict_ci_exit() {
    let fx = Fixture::new("demo");
    let run = fx.run(&[
        "report", "--mode", "ci", "--format", "json", "--junit", "demo.xml",
    ]);
    run.assert_code(VIOLATIONS);
    let r = run.json();
    let expected = [
        ("demo-core", "tests::fast_add", "unit", "kind"),
        ("demo-core", "tests::parses_large_fixture", "unit", "kind"),
        ("demo-app", "tests::doubles", "unit", "kind"),
        ("demo-app::unit", "math::doubles_positive", "unit", "target"),
        ("demo-app::unit", "math::rejects_garbage", "unit", "target"),
        (
            "demo-app::integration",
            "pipeline_roundtrip",
            "integration",
            "target",
        ),
        ("demo-app::e2e", "full_run", "e2e", "target"),
        ("demo-app::checks", "unit_parses_quickly", "unit", "prefix"),
        ("demo-app::checks", "unit_cache_warmup", "unit", "prefix"),
        ("demo-app::checks", "renders_report", "e2e", "marker"),
    ];
    assert_eq!(r["tests"].as_array().unwrap().len(), expected.len());
    for (binary, name, tier, rule) in expected {
        let t = test(&r, binary, name);
        assert_eq!(
            (t["tier"].as_str(), t["rule"]["kind"].as_str()),
            (Some(tier), Some(rule)),
            "{binary} {name}"
        );
        assert!(
            t["file"].as_str().is_some() && t["line"].as_u64().is_some(),
            "{binary} {name} has a location"
        );
    }
    assert_eq!(
        test(&r, "demo-app::checks", "renders_report")["rule"]["detail"],
        "doc marker (app/tests/checks.rs:21)"
    );
    let mut found = findings(&r);
    found.sort();
    assert_eq!(
        found,
        [
            (
                "over-budget".into(),
                "demo-app::checks".into(),
                "unit_cache_warmup".into(),
                "error".into()
            ),
            (
                "over-budget".into(),
                "demo-core".into(),
                "tests::parses_large_fixture".into(),
                "error".into()
            ),
        ]
    );
    // The real durations are reported (the tests sleep 1.2 s and 1.3 s against 1 s).
    for f in r["findings"].as_array().unwrap() {
        let ms = f["duration_ms"].as_f64().unwrap();
        assert!(ms >= 1200.0, "{f}");
        assert_eq!(f["budget_ms"], 1000.0);
        assert!(f["overage_pct"].as_f64().unwrap() >= 20.0);
    }
    assert_eq!(r["andon"][0]["level"], "high");

    // The same run judged in every phase and context (from the kept JUnit, same workspace).
    let cases = [
        ("strict", "ci", VIOLATIONS, "error"),
        ("strict", "release", VIOLATIONS, "error"),
        ("strict", "pre-commit", VIOLATIONS, "error"),
        ("strict", "dev", 0, "warning"),
        ("warn", "ci", 0, "warning"),
        ("warn", "dev", 0, "warning"),
        ("measure", "ci", 0, "info"),
        ("measure", "dev", 0, "info"),
    ];
    for (phase, mode, code, severity) in cases {
        fx.write("budget.toml", &format!("phase = \"{phase}\"\n"));
        let judged = fx.run(&[
            "report", "--from", "demo.xml", "--mode", mode, "--format", "json",
        ]);
        judged.assert_code(code);
        let j = judged.json();
        let f = findings(&j);
        assert_eq!(
            f.len(),
            2,
            "{phase}/{mode}: findings are listed in every phase"
        );
        assert!(f.iter().all(|x| x.3 == severity), "{phase}/{mode}: {f:?}");
        // Markers and locations come from the workspace even when judging files.
        assert_eq!(
            test(&j, "demo-app::checks", "renders_report")["tier"],
            "e2e"
        );
    }
}

#[test]
fn demo_dev_mode_warns_and_exits_zero() {
    let fx = Fixture::new("demo");
    let run = fx.run(&["report", "--mode", "dev"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("warning over-budget       demo-core tests::parses_large_fixture"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("placed in unit by name prefix `unit_`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Reproduce the worst one alone:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("PASS: 2 warnings (exit code 0)"),
        "{}",
        run.stdout
    );
    // nextest's own output stays visible.
    assert!(run.stderr.contains("SLOW [>  1.000s]"), "{}", run.stderr);
}

/// GitHub resolves annotation paths from the checkout, and the demo workspace lives two levels
/// below it: annotations name `examples/demo/core/src/lib.rs`, not `core/src/lib.rs`. With
/// `GITHUB_WORKSPACE` set, paths are relative to it. Two strict runs of the demo's suite, with
/// re-runs alone: an end-to-end journey.
/// budget: e2e
#[test]
fn github_annotations_name_files_from_the_repository_root() {
    let top = tempfile::Builder::new()
        .prefix("budget-top-")
        .tempdir()
        .unwrap();
    let demo = top.path().join("examples/demo");
    copy_dir(&repo_root().join("examples/demo"), &demo);
    let clean = |cmd: &mut std::process::Command| {
        for (key, _) in std::env::vars_os() {
            let k = key.to_string_lossy();
            if k.starts_with("GIT_")
                || k.starts_with("NEXTEST")
                || k.starts_with("GITHUB_")
                || k == "CI"
            {
                cmd.env_remove(&key);
            }
        }
    };
    let mut init = std::process::Command::new("git");
    init.args(["init", "-q"]).current_dir(top.path());
    clean(&mut init);
    assert!(init.status().unwrap().success());
    let run = |args: &[&str], github_workspace: Option<&std::path::Path>| {
        let mut cmd = std::process::Command::new(bin());
        cmd.args(args).current_dir(&demo);
        clean(&mut cmd);
        cmd.env("CARGO_TARGET_DIR", demo.join("target"))
            .env("CARGO_TERM_COLOR", "never");
        if let Some(w) = github_workspace {
            cmd.env("GITHUB_WORKSPACE", w);
        }
        Run::of(cmd.output().unwrap())
    };

    let report = run(
        &[
            "report", "--mode", "ci", "--format", "github", "--junit", "demo.xml",
        ],
        None,
    );
    report.assert_code(VIOLATIONS);
    assert!(
        report
            .stdout
            .contains("::error file=examples/demo/core/src/lib.rs,line="),
        "{}",
        report.stdout
    );
    assert!(
        report
            .stdout
            .contains("::error file=examples/demo/app/tests/checks.rs,line="),
        "{}",
        report.stdout
    );

    let judged = run(
        &[
            "report", "--from", "demo.xml", "--mode", "ci", "--format", "github",
        ],
        Some(&top.path().join("examples")),
    );
    judged.assert_code(VIOLATIONS);
    assert!(
        judged
            .stdout
            .contains("::error file=demo/core/src/lib.rs,line="),
        "{}",
        judged.stdout
    );
}
