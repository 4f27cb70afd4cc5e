//! Real nextest runs on the fixture workspaces: kills, failures, shards, layouts without tier
//! directories, and hostile test names.

use std::collections::BTreeSet;

use crate::support::*;

#[test]
fn hanging_test_is_killed_at_kill_after_times_budget() {
    let fx = Fixture::new("tiers");
    fx.write(
        "budget.toml",
        "[tiers.e2e]\nbudget = \"1s\"\n[defaults]\nkill_after = 2\n",
    );
    let run = fx
        .cmd(&[
            "report",
            "--mode",
            "ci",
            "--format",
            "json",
            "-E",
            "binary(e2e)",
        ])
        .env("FX_HANG", "1")
        .output()
        .unwrap();
    let run = Run::of(run);
    run.assert_code(VIOLATIONS);
    let r = run.json();
    let t = test(&r, "fx-app::e2e", "maybe_hangs");
    assert_eq!(
        (t["outcome"].as_str(), t["judgement"].as_str()),
        (Some("timeout"), Some("timeout"))
    );
    // Killed at 2 × 1 s (plus nextest's reaction time), long before anything else would stop it.
    let ms = t["duration_ms"].as_f64().unwrap();
    assert!((2000.0..10_000.0).contains(&ms), "killed after {ms} ms");
    assert_eq!(
        findings(&r),
        [(
            "timeout".into(),
            "fx-app::e2e".into(),
            "maybe_hangs".into(),
            "error".into()
        )]
    );
    assert!(run.stderr.contains("TIMEOUT"), "nextest output is visible");
}

#[test]
fn failing_assertion_is_test_failed_with_its_own_exit_code() {
    let fx = Fixture::new("tiers");
    let run = fx
        .cmd(&[
            "report",
            "--mode",
            "ci",
            "--format",
            "json",
            "-E",
            "binary(integration)",
        ])
        .env("FX_FAIL", "1")
        .output()
        .unwrap();
    let run = Run::of(run);
    run.assert_code(TESTS_FAILED);
    assert_ne!(TESTS_FAILED, VIOLATIONS);
    let r = run.json();
    assert_eq!(
        findings(&r),
        [(
            "test-failed".into(),
            "fx-app::integration".into(),
            "maybe_fails".into(),
            "error".into()
        )]
    );
    assert_eq!(
        r["findings"][0]["message"]
            .as_str()
            .map(|m| m.starts_with("failed: thread 'maybe_fails'")),
        Some(true)
    );
    // A failure is not a budget matter: it fails in every phase.
    fx.write("budget.toml", "phase = \"measure\"\n");
    let judged = Run::of(
        fx.cmd(&["report", "--mode", "ci", "-E", "binary(integration)"])
            .env("FX_FAIL", "1")
            .output()
            .unwrap(),
    );
    judged.assert_code(TESTS_FAILED);
}

fn judged_set(r: &serde_json::Value) -> BTreeSet<(String, String, String, String, String)> {
    r["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap_or("").to_string();
            (
                s("binary_id"),
                s("name"),
                s("tier"),
                t["rule"]["kind"].as_str().unwrap().to_string(),
                s("judgement"),
            )
        })
        .collect()
}

/// The suite run whole and in two shards, each strict run with its re-runs alone: an end-to-end
/// journey.
/// budget: e2e
#[test]
fn partition_shards_merge_into_the_unpartitioned_verdict() {
    let fx = Fixture::new("tiers");
    let full = fx.run(&[
        "report", "--mode", "ci", "--format", "json", "--junit", "full.xml",
    ]);
    full.assert_code(VIOLATIONS);
    fx.run(&[
        "report",
        "--mode",
        "ci",
        "--partition",
        "count:1/2",
        "--junit",
        "a.xml",
        "-q",
    ]);
    fx.run(&[
        "report",
        "--mode",
        "ci",
        "--partition",
        "count:2/2",
        "--junit",
        "b.xml",
        "-q",
    ]);
    let merged = fx.run(&[
        "report", "--mode", "ci", "--format", "json", "--from", "a.xml", "b.xml",
    ]);
    merged.assert_code(VIOLATIONS);
    let (full, merged) = (full.json(), merged.json());
    assert_eq!(judged_set(&full).len(), 8);
    assert_eq!(judged_set(&full), judged_set(&merged));
    let mut a = findings(&full);
    let mut b = findings(&merged);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(
        a.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(),
        ["slow::sleeps_1500ms", "tests::slow_sleep_1500ms"]
    );

    // The same shard twice is an error naming the file once.
    let dup = fx.run(&["report", "--from", "a.xml", "a.xml"]);
    dup.assert_code(USAGE);
    assert!(
        dup.stderr
            .contains("`a.xml` is given twice: name each shard once"),
        "{}",
        dup.stderr
    );
}

#[test]
fn workspace_without_tier_directories() {
    let fx = Fixture::new("plain");
    let run = fx.run(&["report", "--mode", "ci", "--format", "json"]);
    run.assert_code(0);
    let r = run.json();
    for (binary, name, tier, rule) in [
        ("fx-plain", "tests::lib_fast", "unit", "kind"),
        ("fx-plain::api", "unit_prefixed_fast", "unit", "prefix"),
        ("fx-plain::api", "plain_default", "integration", "default"),
        ("fx-plain::api", "marked_e2e", "e2e", "marker"),
    ] {
        let t = test(&r, binary, name);
        assert_eq!(
            (t["tier"].as_str(), t["rule"]["kind"].as_str()),
            (Some(tier), Some(rule)),
            "{name}"
        );
        assert_eq!(t["judgement"], "within");
    }
}

#[test]
fn comments_after_test_attributes_keep_the_marker_tier() {
    // Real suites write `#[test] // why` and `#[cfg_attr(miri, ignore)] // reason`; the
    // scanner once dropped the attributes with the comment, and the marker with them.
    let fx = Fixture::new("plain");
    let api = fx.read("tests/api.rs").replace(
        "/// budget: e2e\n#[test]\n",
        "/// budget: e2e\n#[test] // the marker must survive this comment\n#[cfg_attr(miri, ignore)] // no sleeping under miri\n",
    );
    assert!(api.contains("// no sleeping under miri"));
    fx.write("tests/api.rs", &api);
    let run = fx.run(&["report", "--mode", "ci", "--format", "json"]);
    run.assert_code(0);
    let t = test(&run.json(), "fx-plain::api", "marked_e2e").clone();
    assert_eq!(
        (
            t["tier"].as_str(),
            t["rule"]["kind"].as_str(),
            t["file"].as_str(),
            t["line"].as_u64()
        ),
        (Some("e2e"), Some("marker"), Some("tests/api.rs"), Some(15))
    );
}

/// Several strict runs of a suite whose names are hostile, re-runs alone (narrowed by those names)
/// included: an end-to-end journey.
/// budget: e2e
#[test]
fn hostile_test_names_do_not_break_filters_or_shell_lines() {
    let fx = Fixture::new("weird");
    // An exception for the slow test forces per-test filters for the whole (mixed) binary.
    fx.write(
        "budget.toml",
        "[[exception]]\ntest = 'fx-weird::weird weird::unit_slow)paren'\nbudget = \"4s\"\nreason = \"fixture\"\n",
    );
    let run = fx.run(&["report", "--mode", "ci", "--format", "json", "-v"]);
    run.assert_code(0);
    let r = run.json();
    assert_eq!(r["tests"].as_array().unwrap().len(), 11);
    let slow = test(&r, "fx-weird::weird", "weird::unit_slow)paren");
    assert_eq!(
        (slow["budget_ms"].as_f64(), slow["exception"].as_bool()),
        (Some(4000.0), Some(true))
    );
    assert!(slow["duration_ms"].as_f64().unwrap() >= 1500.0);
    // nextest accepted the generated per-test filters: the slow test got the exception's
    // 4 s period, so no SLOW line at 1 s.
    assert!(!run.stderr.contains("SLOW"), "{}", run.stderr);

    // Without the exception the slow one is over its unit budget, and the printed reproduce
    // command, run by a shell, runs exactly that test.
    std::fs::remove_file(fx.path().join("budget.toml")).unwrap();
    let run = fx.run(&["report", "--mode", "ci"]);
    run.assert_code(VIOLATIONS);
    let line = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Reproduce"))
        .nth(1)
        .expect("a reproduce line")
        .trim()
        .to_string();
    assert!(line.contains("unit_slow\\)paren"), "{line}");
    let out = fx.tool("sh", &["-c", &format!("{line} --no-fail-fast")]);
    out.assert_code(0);
    let stderr = out.stderr;
    assert!(stderr.contains("1 test run: 1 passed"), "{stderr}");
}
