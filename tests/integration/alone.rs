//! A test over its budget (or killed) only while the suite ran beside it is re-run alone before
//! it can fail a build: on a fixture where `contended` is slow and `stalled` is killed only while
//! `hog` runs, and `slow` is slow on its own.

use crate::support::*;

fn finding<'a>(json: &'a serde_json::Value, kind: &str, name: &str) -> &'a serde_json::Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind && f["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} finding for {name} in {json}"))
}

/// Builds a fixture and runs its suite twice with re-runs: an end-to-end journey.
/// budget: e2e
#[test]
fn an_overage_only_in_the_suite_run_is_a_warning_and_one_alone_too_fails() {
    let fx = Fixture::new("contended");
    let hog = fx.path().join("hog-running");
    // `report --mode ci ARGS`, the marker `hog` removes when it ends made first: the slowed
    // tests see it however late `hog` starts on a busy machine, and the re-runs never do.
    let report = |args: &[&str]| {
        std::fs::write(&hog, b"").unwrap();
        let all = [&["report", "--mode", "ci"][..], args].concat();
        fx.run_with_env(&all, &[("FX_HOG", hog.to_str().unwrap())])
    };

    // All three over their 1 s budget in the suite run (`stalled` killed at 3 s); re-run alone,
    // `contended` is back within it at once (one re-run), `stalled` passes within it in all three
    // (only that clears a kill), `slow` stays over in all three: the build fails on `slow` only.
    let run = report(&["--format", "json"]);
    run.assert_code(VIOLATIONS);
    let json = run.json();
    let stalled = finding(&json, "timeout", "stalled");
    assert_eq!(stalled["severity"], "warning", "{stalled}");
    let alone = ms_list(&stalled["alone_ms"]);
    assert!(
        alone.len() == 3 && alone.iter().all(|t| *t < 1000.0),
        "{stalled}"
    );
    assert!(
        stalled["message"]
            .as_str()
            .unwrap()
            .contains("passed within its budget in every re-run alone"),
        "{stalled}"
    );
    let contended = finding(&json, "over-budget", "contended");
    // Within its budget in its only re-run alone: the load alone, a note.
    assert_eq!(contended["severity"], "info", "{contended}");
    assert!(
        contended["duration_ms"].as_f64().unwrap() >= 1800.0,
        "{contended}"
    );
    let alone = ms_list(&contended["alone_ms"]);
    assert!(alone.len() == 1 && alone[0] < 1000.0, "{contended}");
    assert!(
        contended["message"]
            .as_str()
            .unwrap()
            .contains("within it in every re-run alone"),
        "{contended}"
    );
    let slow = finding(&json, "over-budget", "slow");
    assert_eq!(slow["severity"], "error", "{slow}");
    let alone = ms_list(&slow["alone_ms"]);
    assert!(
        alone.len() == 3 && alone.iter().all(|t| *t > 1000.0),
        "{slow}"
    );
    assert!(
        run.stderr.contains("Confirming") && run.stderr.contains("3 tests over budget or killed"),
        "{}",
        run.stderr
    );

    // Without `slow`, nothing the test does alone is over: the gate passes with a warning.
    let run = report(&["-E", "not test(=slow)"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("warning") && run.stdout.contains("the suite's load, not the test"),
        "{}",
        run.stdout
    );

    // `confirm_runs = 0` turns the re-runs off: the suite run's overage fails as it is.
    fx.write("budget.toml", "[regression]\nconfirm_runs = 0\n");
    let run = report(&["-E", "not test(=slow)"]);
    run.assert_code(VIOLATIONS);
    assert!(!run.stderr.contains("Confirming"), "{}", run.stderr);
}
