//! Property tests: a tier claims proptest and quickcheck tests, and its `cases` reach them.

use crate::support::*;

fn cases(dir: &std::path::Path, framework: &str) -> u32 {
    std::fs::read_to_string(dir.join(framework))
        .unwrap_or_else(|e| panic!("{framework} recorded no cases: {e}"))
        .trim()
        .parse()
        .unwrap()
}

/// budget: e2e
#[test]
fn a_property_tier_claims_its_tests_and_sets_their_cases_per_context() {
    let fx = Fixture::new("property");
    let counts = tempfile::tempdir().unwrap();
    let dir = counts.path().to_str().unwrap();
    let run = fx.run_with_env(
        &[
            "report",
            "--mode",
            "ci",
            "--no-baseline",
            "--format",
            "json",
            "-v",
        ],
        &[("FX_CASES_DIR", dir)],
    );
    run.assert_code(0);
    let report = run.json();
    for (name, framework) in [
        ("doubles_are_even", "proptest"),
        ("doubling_is_monotonic", "quickcheck"),
    ] {
        let t = test(&report, "fx-property::props", name);
        assert_eq!(t["tier"], "property", "{t}");
        assert_eq!(t["rule"]["kind"], "framework", "{t}");
        assert_eq!(t["rule"]["detail"], format!("{framework} test"), "{t}");
    }
    let plain = test(&report, "fx-property::props", "plain_test");
    assert_eq!(plain["tier"], "integration");
    // ci = 7 reached both frameworks, over proptest's in-code 300 cases.
    assert_eq!(cases(counts.path(), "proptest"), 7);
    assert_eq!(cases(counts.path(), "quickcheck"), 7);
    assert!(
        run.stderr
            .contains("PROPTEST_CASES=7 QUICKCHECK_TESTS=7 cargo nextest run"),
        "{}",
        run.stderr
    );

    // The release context has no `cases`: the tests keep their own (300 in code, quickcheck's
    // default 100), and the human report says nothing about cases.
    let run = fx.run_with_env(
        &["report", "--mode", "release", "--no-baseline"],
        &[("FX_CASES_DIR", dir)],
    );
    run.assert_code(0);
    assert_eq!(cases(counts.path(), "proptest"), 300);
    assert_eq!(cases(counts.path(), "quickcheck"), 100);
    assert!(!run.stdout.contains("Property tests ran"), "{}", run.stdout);

    let run = fx.run_with_env(
        &["report", "--mode", "dev", "--no-baseline"],
        &[("FX_CASES_DIR", dir)],
    );
    run.assert_code(0);
    assert_eq!(cases(counts.path(), "proptest"), 20);
    assert!(
        run.stdout
            .contains("Property tests ran with PROPTEST_CASES=20 QUICKCHECK_TESTS=20"),
        "{}",
        run.stdout
    );
}
