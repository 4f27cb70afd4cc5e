//! `cargo budget alerts` on a fixture of four capabilities (latency and memory with an ADR; a
//! name and labels that need escaping; a selector that also sees the others' series; one with
//! no metrics), checked by the real `promtool` (`.ci/run` installs Debian's `prometheus`).

use crate::support::*;

const RULES: &str = "prometheus/cargo-budget.rules.yml";
const TESTS: &str = "prometheus/cargo-budget.test.yml";

/// `promtool ARGS` in the fixture's `prometheus/` directory.
fn promtool(fx: &Fixture, args: &[&str]) -> Run {
    let dir = fx.path().join("prometheus");
    let out = std::process::Command::new("promtool")
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("promtool did not run ({e}): install Debian's `prometheus` package")
        });
    Run::of(out)
}

fn assert_promtool_passes(fx: &Fixture) {
    let check = promtool(fx, &["check", "rules", "cargo-budget.rules.yml"]);
    assert!(
        check.code == 0 && check.stdout.contains("SUCCESS: 4 rules found"),
        "{}{}",
        check.stdout,
        check.stderr
    );
    let test = promtool(fx, &["test", "rules", "cargo-budget.test.yml"]);
    assert!(test.code == 0, "{}{}", test.stdout, test.stderr);
}

/// budget: integration
#[test]
fn alert_rules_pass_promtool_and_drift_is_caught() {
    let fx = Fixture::new("alerts");
    // Never written: the check fails and says how to write them.
    let missing = fx.run(&["alerts", "--check"]);
    missing.assert_code(USAGE);
    assert!(
        missing
            .stdout
            .contains("+++ b/prometheus/cargo-budget.rules.yml"),
        "{}",
        missing.stdout
    );

    fx.run(&["alerts"]).assert_code(0);
    let (rules, tests) = (fx.read(RULES), fx.read(TESTS));
    insta::assert_snapshot!("alerts_rules", rules);
    insta::assert_snapshot!("alerts_tests", tests);
    assert_promtool_passes(&fx);
    fx.run(&["alerts", "--check"]).assert_code(0);

    // The unit tests can fail: a rule whose threshold no longer matches the budget does.
    fx.write(RULES, &rules.replace("> 0.05\"", "> 0.2\""));
    let tampered = promtool(&fx, &["test", "rules", "cargo-budget.test.yml"]);
    let said = format!("{}{}", tampered.stdout, tampered.stderr);
    assert!(
        tampered.code != 0 && said.contains("alertname: CapabilityLatencyHigh"),
        "{said}"
    );
    // …and cargo-budget will not overwrite an edited file without --force.
    let edited = fx.run(&["alerts"]);
    edited.assert_code(0);
    assert!(edited.stderr.contains("use --force"), "{}", edited.stderr);
    assert!(fx.read(RULES).contains("> 0.2\""));
    // The check shows the hand edit as a diff and names the command that replaces it.
    let hand = fx.run(&["alerts", "--check"]);
    hand.assert_code(USAGE);
    let (edit, generated) = (
        "-        expr: \"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{handler=\\\"validate\\\"}[5m]))) > 0.2\"",
        "+        expr: \"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{handler=\\\"validate\\\"}[5m]))) > 0.05\"",
    );
    assert!(
        hand.stdout
            .contains("--- a/prometheus/cargo-budget.rules.yml")
            && hand.stdout.contains(edit)
            && hand.stdout.contains(generated),
        "{}",
        hand.stdout
    );
    assert!(
        hand.stderr.contains("`cargo budget alerts --force`") && !hand.stderr.contains("init"),
        "{}",
        hand.stderr
    );
    assert!(
        fx.read(RULES).contains("> 0.2\""),
        "the check writes nothing"
    );
    fx.run(&["alerts", "--force"]).assert_code(0);
    assert_eq!(fx.read(RULES), rules);

    // An edited budget: both files drift, the check shows the diff and writes nothing.
    let budget = fx.read("budget.toml");
    fx.write(
        "budget.toml",
        &budget.replacen("p95 = \"50ms\"", "p95 = \"80ms\"", 1),
    );
    let drift = fx.run(&["alerts", "--check"]);
    drift.assert_code(USAGE);
    for line in [
        "-        expr: \"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{handler=\\\"validate\\\"}[5m]))) > 0.05\"",
        "+        expr: \"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{handler=\\\"validate\\\"}[5m]))) > 0.08\"",
        "+      - series: \"http_request_duration_seconds_bucket{handler=\\\"validate\\\", le=\\\"0.08\\\"}\"",
    ] {
        assert!(
            drift.stdout.contains(line),
            "no `{line}` in\n{}",
            drift.stdout
        );
    }
    assert!(
        drift.stderr.contains("cargo budget alerts"),
        "{}",
        drift.stderr
    );
    assert_eq!(
        (fx.read(RULES), fx.read(TESTS)),
        (rules.clone(), tests.clone())
    );

    fx.run(&["alerts"]).assert_code(0);
    assert_ne!(fx.read(RULES), rules);
    assert_ne!(fx.read(TESTS), tests);
    assert_promtool_passes(&fx);
    fx.run(&["alerts", "--check"]).assert_code(0);
}

/// budget: integration
#[test]
fn alerts_without_metrics_write_nothing_and_bad_selectors_name_their_line() {
    let fx = Fixture::new("alerts");
    let budget = fx.read("budget.toml");
    let only_benches = &budget[budget.find("# No metrics").unwrap()..];
    fx.write("budget.toml", only_benches);
    let run = fx.run(&["alerts"]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("no [[capability]] has [capability.metrics]"),
        "{}",
        run.stderr
    );
    assert!(!fx.path().join("prometheus").exists());

    fx.write(
        "budget.toml",
        "[[capability]]\nname = \"v\"\nbenches = [\"v/*\"]\np95 = \"1ms\"\n[capability.metrics]\nlatency = 'rate(h_bucket[5m])'\n",
    );
    let bad = fx.run(&["alerts"]);
    bad.assert_code(USAGE);
    assert!(
        bad.stderr.contains("budget.toml:6:11") && bad.stderr.contains("is not a series selector"),
        "{}",
        bad.stderr
    );
}
