//! A test over its budget only while the suite ran beside it is re-run alone before it can
//! fail a build: on a fixture where `contended` is slow only while `hog` runs, and `slow` is
//! slow on its own.

use crate::support::*;

fn finding<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "over-budget" && f["name"] == name)
        .unwrap_or_else(|| panic!("no over-budget finding for {name} in {json}"))
}

fn ms(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect()
}

/// Builds a fixture and runs its suite twice with re-runs: an end-to-end journey.
/// budget: e2e
#[test]
fn an_overage_only_in_the_suite_run_is_a_warning_and_one_alone_too_fails() {
    let fx = Fixture::new("contended");
    let hog = fx.path().join("hog-running");
    let env = [("FX_HOG", hog.to_str().unwrap())];

    // Both over their 1 s budget in the suite run; re-run alone, `contended` is back within it
    // at once (one re-run), `slow` stays over in all three: the build fails on `slow` only.
    let run = fx.run_with_env(&["report", "--mode", "ci", "--format", "json"], &env);
    run.assert_code(VIOLATIONS);
    let json = run.json();
    let contended = finding(&json, "contended");
    assert_eq!(contended["severity"], "warning", "{contended}");
    assert!(
        contended["duration_ms"].as_f64().unwrap() >= 1800.0,
        "{contended}"
    );
    let alone = ms(&contended["alone_ms"]);
    assert!(alone.len() == 1 && alone[0] < 1000.0, "{contended}");
    assert!(
        contended["message"]
            .as_str()
            .unwrap()
            .contains("within it re-run alone"),
        "{contended}"
    );
    let slow = finding(&json, "slow");
    assert_eq!(slow["severity"], "error", "{slow}");
    let alone = ms(&slow["alone_ms"]);
    assert!(
        alone.len() == 3 && alone.iter().all(|t| *t > 1000.0),
        "{slow}"
    );
    assert!(
        run.stderr.contains("Confirming") && run.stderr.contains("2 tests over budget"),
        "{}",
        run.stderr
    );

    // Without `slow`, nothing the test does alone is over: the gate passes with a warning.
    let run = fx.run_with_env(&["report", "--mode", "ci", "-E", "not test(=slow)"], &env);
    run.assert_code(0);
    assert!(
        run.stdout.contains("warning") && run.stdout.contains("the suite's load, not the test"),
        "{}",
        run.stdout
    );

    // `confirm_runs = 0` turns the re-runs off: the suite run's overage fails as it is.
    fx.write("budget.toml", "[regression]\nconfirm_runs = 0\n");
    let run = fx.run_with_env(&["report", "--mode", "ci", "-E", "not test(=slow)"], &env);
    run.assert_code(VIOLATIONS);
    assert!(!run.stderr.contains("Confirming"), "{}", run.stderr);
}
