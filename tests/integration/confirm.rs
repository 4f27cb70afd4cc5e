//! One confirm mechanism: a test both over its time budget and slower than the baseline is
//! re-run alone once per round for both questions, on the `scaled` fixture (five sleeping tests
//! of 150–350 ms) with the integration budget lowered to 600 ms and `export` slowed 3×
//! (1,050 ms: 75 % over its budget, +200 % on its baseline — margins no load crosses).

use crate::support::*;

const BUDGET_TOML: &str = "[regression]\nnoise_floor = \"100ms\"\nconfirm_runs = 2\n\n\
                           [tiers.integration]\nbudget = \"600ms\"\n";

/// Records a baseline and reports a slowdown: an end-to-end journey of several suite runs.
/// budget: e2e
#[test]
fn a_test_over_budget_and_slower_is_re_run_once_per_round_for_both() {
    let fx = Fixture::new("scaled");
    fx.write("budget.toml", BUDGET_TOML);
    fx.run(&["baseline", "--runs", "3"]).assert_code(0);

    let mut cmd = fx.cmd(&["-v", "report", "--mode", "ci", "--format", "json"]);
    cmd.env("FX_SCALE_EXPORT", "3.0");
    let run = Run::of(cmd.output().unwrap());
    run.assert_code(VIOLATIONS);
    let confirming: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("Confirming"))
        .collect();
    assert_eq!(
        confirming.len(),
        1,
        "one confirm step for both questions:\n{}",
        run.stderr
    );
    assert!(
        confirming[0].contains("1 test over budget or killed and 1 slower test")
            && confirming[0].contains("re-running them alone, 2 times"),
        "{}",
        confirming[0]
    );
    // The suite run, then two re-runs of `export` alone: not two for each question.
    let runs = run
        .stderr
        .lines()
        .filter(|l| l.contains("Running") && l.contains("nextest run"))
        .count();
    assert_eq!(runs, 3, "{}", run.stderr);

    let json = run.json();
    let over = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "over-budget" && f["name"] == "export_350ms")
        .unwrap_or_else(|| panic!("no over-budget finding for export: {json}"));
    assert_eq!(over["severity"], "error", "{over}");
    let alone = ms_list(&over["alone_ms"]);
    assert!(
        alone.len() == 2 && alone.iter().all(|t| *t > 600.0),
        "{over}"
    );
    let delta = json["comparison"]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "export_350ms")
        .unwrap_or_else(|| panic!("export not compared: {json}"));
    assert_eq!(
        (delta["call"].as_str(), delta["level"].as_str()),
        (Some("slower"), Some("fail")),
        "{delta}"
    );
    // The same two re-runs are the evidence of both findings.
    assert_eq!(ms_list(&delta["reruns_ms"]), alone, "{delta}");
}
