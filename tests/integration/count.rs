//! Instruction counts under Valgrind, end to end, on the `counted` fixture: `steady` does a
//! fixed number of rounds (`WORK` in its source), `hashed` fills a `HashMap` (a random seed
//! per process: its count moves between runs), `empty` does nothing. Counts are exact, so the
//! thresholds are tight (warn 1 %, fail 3 %) and a change of the source is the change measured.

use crate::support::*;

fn report(fx: &Fixture, mode: &str) -> (Run, serde_json::Value) {
    let run = fx.run(&["report", "--mode", mode, "--format", "json"]);
    let json = run.json();
    (run, json)
}

/// (kind, severity) of the findings about `name`.
fn about(json: &serde_json::Value, name: &str) -> Vec<(String, String)> {
    findings(json)
        .into_iter()
        .filter(|f| f.2 == name)
        .map(|f| (f.0, f.3))
        .collect()
}

/// `WORK` rounds in the fixture's `steady`, as a code change would set it.
fn set_work(fx: &Fixture, rounds: u64) {
    let src = fx.read("src/lib.rs");
    let line = src
        .lines()
        .find(|l| l.starts_with("pub const WORK"))
        .expect("the fixture sets WORK");
    fx.write(
        "src/lib.rs",
        &src.replace(line, &format!("pub const WORK: u64 = {rounds};")),
    );
}

fn pair(kind: &str, severity: &str) -> (String, String) {
    (kind.to_string(), severity.to_string())
}

/// The baseline counts twice; a count that moved between the two is nondeterministic (info,
/// judged by time) and an unchanged report says nothing else.
/// budget: e2e
#[test]
fn counts_are_recorded_twice_and_a_moving_count_is_judged_by_time() {
    let fx = Fixture::new("counted");
    fx.run(&["baseline"]).assert_code(0);
    let baseline: serde_json::Value =
        serde_json::from_str(&fx.read(".budget/baseline.json")).unwrap();
    let counts = |name: &str| -> Vec<u64> {
        baseline["tests"][format!("fx-counted tests::{name}")]["instructions"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} was not counted: {baseline}"))
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect()
    };
    let steady = counts("steady");
    assert_eq!(steady.len(), 2);
    assert_eq!(steady[0], steady[1], "an exact count repeats");
    // Its function and what it calls: 20,000 rounds of a few instructions, no harness.
    assert!((1_000_000..3_000_000).contains(&steady[0]), "{steady:?}");
    assert!(
        counts("empty")[0] < 100,
        "an empty test counts (almost) nothing"
    );
    let hashed = counts("hashed");
    assert_ne!(
        hashed[0], hashed[1],
        "a HashMap's random seed moves the count"
    );

    let (run, json) = report(&fx, "ci");
    run.assert_code(0);
    assert_eq!(
        about(&json, "tests::hashed"),
        [pair("instructions-nondeterministic", "info")],
        "{json}"
    );
    assert_eq!(about(&json, "tests::steady"), [], "{json}");
    assert_eq!(about(&json, "tests::empty"), [], "{json}");

    // Judged from files, nothing is counted: said, never taken as kept.
    fx.run(&["report", "--mode", "ci", "--junit", "kept.xml"])
        .assert_code(0);
    let run = fx.run(&[
        "report", "--mode", "ci", "--format", "json", "--from", "kept.xml",
    ]);
    let json = run.json();
    let not: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "instructions-not-measured")
        .collect();
    assert_eq!(not.len(), 1, "{json}");
    assert_eq!(not[0]["severity"], "warning", "{json}");
    assert!(
        not[0]["message"].as_str().is_some_and(
            |m| m.starts_with("3 tests counting instructions") && m.contains("JUnit files")
        ),
        "{json}"
    );
}

/// +1 % of work warns, +3 % fails, and an instruction budget is a budget like any other.
/// budget: e2e
#[test]
fn one_percent_more_work_warns_and_three_percent_fails() {
    let fx = Fixture::new("counted");
    fx.run(&["baseline"]).assert_code(0);

    set_work(&fx, 20_200);
    let (run, json) = report(&fx, "ci");
    run.assert_code(0);
    assert_eq!(
        about(&json, "tests::steady"),
        [pair("regression", "warning")],
        "{json}"
    );

    set_work(&fx, 20_600);
    let (run, json) = report(&fx, "ci");
    run.assert_code(VIOLATIONS);
    assert_eq!(
        about(&json, "tests::steady"),
        [pair("regression", "error")],
        "{json}"
    );
    let message = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "tests::steady")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default();
    assert!(
        message.contains("instructions grew") && message.contains("(+3.0%)"),
        "{message}"
    );

    set_work(&fx, 20_000);
    let toml = fx.read("budget.toml");
    fx.write(
        "budget.toml",
        &format!(
            "{toml}\n[[exception]]\ntest = \"fx-counted tests::steady\"\ninstructions = \"1M\"\n\
             reason = \"a budget the test is over\"\n"
        ),
    );
    let (run, json) = report(&fx, "ci");
    run.assert_code(VIOLATIONS);
    assert_eq!(
        about(&json, "tests::steady"),
        [pair("over-instructions", "error")],
        "{json}"
    );
}

/// `--instructions EXPR` counts the tests a filterset selects, without any tier counting.
/// A JSON report in CI that counts only `tests::steady`.
const COUNT_STEADY: &[&str] = &[
    "report",
    "--mode",
    "ci",
    "--format",
    "json",
    "--instructions",
    "test(steady)",
];

/// budget: e2e
#[test]
fn a_filterset_chooses_the_tests_to_count() {
    let fx = Fixture::new("counted");
    fx.write(
        "budget.toml",
        &fx.read("budget.toml").replace("instructions = true", ""),
    );
    fx.run(&["baseline", "--instructions", "test(steady)"])
        .assert_code(0);
    let baseline: serde_json::Value =
        serde_json::from_str(&fx.read(".budget/baseline.json")).unwrap();
    let counted: Vec<&str> = baseline["tests"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, e)| e.get("instructions").is_some())
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(counted, ["fx-counted tests::steady"], "{baseline}");

    set_work(&fx, 20_600);
    let run = fx.run(COUNT_STEADY);
    run.assert_code(VIOLATIONS);
    let json = run.json();
    assert_eq!(
        about(&json, "tests::steady"),
        [pair("regression", "error")],
        "{json}"
    );
    assert!(
        test(&json, "fx-counted", "tests::steady")["instructions"].as_u64() > Some(1_600_000),
        "{json}"
    );
    // Without the flag nothing is counted, so nothing is compared by count.
    let (run, json) = report(&fx, "ci");
    run.assert_code(0);
    assert_eq!(about(&json, "tests::steady"), [], "{json}");

    // No Valgrind: the selected tests are said to be uncounted, never judged as kept.
    let run = fx.run_with_env(
        COUNT_STEADY,
        &[("CARGO_BUDGET_VALGRIND", "/nonexistent/valgrind")],
    );
    let json = run.json();
    let said: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "instructions-not-measured")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        said.len() == 1
            && said[0].starts_with("the tests `--instructions` selects were not counted"),
        "{json}"
    );
}
