//! `cargo budget baseline` and the comparison in `report` under the noise model, on a fixture
//! whose five sleeping tests (150–350 ms) are steered from the environment: real nextest runs
//! with margins that load cannot cross — a 2× slowdown against a 25 % threshold and a 100 ms
//! noise floor, so a busy machine's start-up jitter never decides an outcome. The thresholds
//! are table-tested in `policy::compare`, the explanations snapshot-tested in `report`.

use crate::support::*;

/// The thresholds the tests run under: a wide noise floor, two re-runs to confirm.
const BUDGET_TOML: &str = "[regression]\nnoise_floor = \"100ms\"\nconfirm_runs = 2\n";

/// The fixture with a baseline recorded from 3 runs (`env` set while recording).
fn recorded(env: &[(&str, &str)]) -> Fixture {
    recorded_under(BUDGET_TOML, env)
}

fn recorded_under(budget_toml: &str, env: &[(&str, &str)]) -> Fixture {
    let fx = Fixture::new("scaled");
    fx.write("budget.toml", budget_toml);
    let mut cmd = fx.cmd(&["baseline", "--runs", "3"]);
    cmd.envs(env.iter().copied());
    let rec = Run::of(cmd.output().unwrap());
    rec.assert_code(0);
    assert!(
        rec.stdout
            .contains("Integration tests: 5 — within 10s budget: 5 (100.0%), violations: 0 (0.0%)"),
        "{}",
        rec.stdout
    );
    for k in 1..=3 {
        let line = format!("Measuring run {k} of 3");
        assert!(
            rec.stderr.contains(&line),
            "{line} missing:\n{}",
            rec.stderr
        );
    }
    fx
}

fn report(fx: &Fixture, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut all = vec!["report", "--mode", "ci"];
    all.extend_from_slice(args);
    let mut cmd = fx.cmd(&all);
    cmd.envs(env.iter().copied());
    Run::of(cmd.output().unwrap())
}

fn json(fx: &Fixture, env: &[(&str, &str)]) -> (Run, serde_json::Value) {
    let run = report(fx, env, &["--format", "json"]);
    let value = run.json();
    (run, value)
}

/// `(kind, name, severity)` of the comparison's findings.
fn compared(r: &serde_json::Value) -> Vec<(String, String, String)> {
    findings(r)
        .into_iter()
        .filter(|f| ["regression", "suite-slower"].contains(&f.0.as_str()))
        .map(|(kind, _, name, severity)| (kind, name, severity))
        .collect()
}

/// The comparison's findings at error level, as `(kind, name)`. What a test of the gate
/// asserts: on a busy machine a steady sleeping test may cross the warn line (a warning is
/// information), never the fail line; warnings other than the one a test is about are not
/// asserted.
fn failing(r: &serde_json::Value) -> Vec<(String, String)> {
    compared(r)
        .into_iter()
        .filter(|f| f.2 == "error")
        .map(|(kind, name, _)| (kind, name))
        .collect()
}

/// The severity of the comparison's finding about `name`, if any.
fn flagged(r: &serde_json::Value, name: &str) -> Option<String> {
    compared(r).into_iter().find(|f| f.1 == name).map(|f| f.2)
}

fn delta<'a>(r: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    r["comparison"]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("{name} not compared: {}", r["comparison"]))
}

/// A stable test twice as slow fails, confirmed by three re-runs alone; the same speed is quiet.
/// budget: e2e
#[test]
fn same_speed_is_quiet_and_a_confirmed_slowdown_fails() {
    let fx = recorded(&[]);
    let baseline: serde_json::Value =
        serde_json::from_str(&fx.read(".budget/baseline.json")).unwrap();
    assert_eq!(baseline["schema"], 3);
    assert_eq!(baseline["contract"]["runs"], 3);
    assert_eq!(baseline["runs"].as_array().unwrap().len(), 3);
    let export = &baseline["tests"]["fx-scaled::integration export_350ms"];
    assert_eq!(export["outcome"], "passed");
    assert_eq!(ms_list(&export["samples_ms"]).len(), 3);

    let (same, r) = json(&fx, &[]);
    same.assert_code(0);
    assert_eq!(failing(&r), [], "{}", same.stdout);
    assert_eq!(flagged(&r, "export_350ms"), None, "{}", same.stdout);
    assert_eq!(r["comparison"]["compared"], 5);
    let listed = r["comparison"]["tests"].as_array().unwrap();
    assert!(
        listed.iter().all(|t| t["call"] != "same"),
        "only tests with something to say are listed: {listed:?}"
    );
    assert_eq!(r["comparison"]["comparable"], true);

    let env = [("FX_SCALE_EXPORT", "2.0")];
    let (slower, r) = json(&fx, &env);
    slower.assert_code(VIOLATIONS);
    assert_eq!(
        failing(&r),
        [("regression".to_string(), "export_350ms".to_string())],
        "{}",
        slower.stdout
    );
    let d = delta(&r, "export_350ms");
    assert_eq!(
        (d["call"].as_str(), d["level"].as_str()),
        (Some("slower"), Some("fail"))
    );
    let reruns = ms_list(&d["reruns_ms"]);
    assert_eq!(reruns.len(), 2, "{d}");
    assert!(reruns.iter().all(|&t| t >= 700.0), "{d}");
    assert_eq!(r["comparison"]["reruns"], 2);
    assert!(
        slower.stderr.contains("Confirming") && slower.stderr.contains("re-running them alone"),
        "{}",
        slower.stderr
    );
    // The finding says why: before, after, the baseline's runs, the re-runs alone.
    let finding = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "regression")
        .unwrap();
    let message = finding["message"].as_str().unwrap();
    for needle in [
        "over the 25% fail threshold",
        "; baseline 0.",
        "stayed slower re-run alone",
    ] {
        assert!(message.contains(needle), "{needle}: {message}");
    }
    // The baseline's three runs: a range, or one time when all three took the same ms.
    assert!(
        message.contains("over 3 runs") || message.contains("s (3 runs)"),
        "{message}"
    );
}

/// Slower in the suite run but not when re-run alone: noise, not a finding.
/// budget: e2e
#[test]
fn slow_only_in_the_suite_run_is_not_confirmed() {
    let fx = recorded(&[]);
    let once = fx.path().join("export-was-slow");
    let env = [("FX_SLOW_ONCE_EXPORT", once.to_str().unwrap())];
    let (run, r) = json(&fx, &env);
    run.assert_code(0);
    assert_eq!(failing(&r), [], "{}", run.stdout);
    assert_eq!(flagged(&r, "export_350ms"), None, "{}", run.stdout);
    let d = delta(&r, "export_350ms");
    assert_eq!(d["call"], "not-confirmed", "{d}");
    assert!(ms_list(&d["runs_ms"])[0] >= 700.0, "{d}");
    assert!(ms_list(&d["reruns_ms"]).iter().all(|&t| t < 700.0), "{d}");

    std::fs::remove_file(&once).unwrap();
    let md = report(&fx, &env, &["--format", "markdown"]);
    md.assert_code(0);
    assert!(
        md.stdout
            .contains("1 test slower in the suite run, but not when re-run alone"),
        "{}",
        md.stdout
    );
}

/// A test whose baseline runs spread 1×/3×/1× is noisy: judged against the top of its band
/// (its slowest baseline run), not its median — inside the band it is quiet (far past it a
/// failure: `a_tiny_noisy_test_thirty_times_slower_fails`).
/// budget: e2e
#[test]
fn a_noisy_baseline_is_judged_against_its_band() {
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("export-runs");
    let alternate = [("FX_ALTERNATE_EXPORT", counter.to_str().unwrap())];
    let fx = recorded(&alternate);
    let rec = fx.read(".budget/baseline.json");
    assert!(rec.contains("export_350ms"), "{rec}");
    // 350 ms × 2.5 is +150 % on its median, but inside its band (350/1050/350 ms).
    let (run, r) = json(&fx, &[("FX_SCALE_EXPORT", "2.5")]);
    run.assert_code(0);
    assert_eq!(failing(&r), [], "{}", run.stdout);
    assert_eq!(flagged(&r, "export_350ms"), None, "{}", r["comparison"]);
    let noisy = r["comparison"]["noisy"].as_array().unwrap();
    assert_eq!(noisy.len(), 1, "{noisy:?}");
    assert_eq!(noisy[0]["name"], "export_350ms");
    assert_eq!(noisy[0]["noise"], "baseline");
    assert!(
        noisy[0]["band_top_ms"].as_f64().unwrap() >= 1050.0,
        "{noisy:?}"
    );
    let human = report(&fx, &[("FX_SCALE_EXPORT", "2.5")], &[]);
    human.assert_code(0);
    assert!(
        human
            .stdout
            .contains("1 noisy test: its baseline runs spread wider")
            && !human.stdout.contains("warning noisy"),
        "one summary line, not a warning: {}",
        human.stdout
    );
}

/// The case: a 10 ms test whose baseline runs spread 10/30/10 ms (noisy past a 5 ms
/// floor) now takes 300 ms: far past the top of its band, a fail-level regression in ci.
/// budget: e2e
#[test]
fn a_tiny_noisy_test_thirty_times_slower_fails() {
    let dir = tempfile::tempdir().unwrap();
    let counter = dir.path().join("export-runs");
    // export_350ms × 10/350: 10 ms; alternating 1×/3×/1×.
    let tiny = (10.0 / 350.0).to_string();
    let fx = recorded_under(
        "[regression]\nnoise_floor = \"5ms\"\nconfirm_runs = 2\n",
        &[
            ("FX_SCALE_EXPORT", tiny.as_str()),
            ("FX_ALTERNATE_EXPORT", counter.to_str().unwrap()),
        ],
    );
    let (run, r) = json(&fx, &[("FX_SCALE_EXPORT", &(300.0 / 350.0).to_string())]);
    run.assert_code(VIOLATIONS);
    assert_eq!(
        flagged(&r, "export_350ms").as_deref(),
        Some("error"),
        "{}",
        run.stdout
    );
    let d = delta(&r, "export_350ms");
    assert_eq!(
        (d["call"].as_str(), d["level"].as_str(), d["basis"].as_str()),
        (Some("slower"), Some("fail"), Some("band")),
        "{d}"
    );
    assert!(d["band_top_ms"].as_f64().unwrap() < 100.0, "{d}");
    assert!(ms_list(&d["reruns_ms"]).iter().all(|&t| t >= 300.0), "{d}");
}

/// Every test twice as slow: one finding about the suite, not five regressions.
#[test]
fn a_slower_machine_is_one_finding() {
    let fx = recorded(&[]);
    let (run, r) = json(&fx, &[("FX_SCALE", "2.0")]);
    run.assert_code(0);
    assert_eq!(failing(&r), [], "{}", run.stdout);
    assert_eq!(
        flagged(&r, "").as_deref(),
        Some("warning"),
        "{}",
        run.stdout
    );
    let regressions = compared(&r)
        .into_iter()
        .filter(|f| f.0 == "regression")
        .count();
    assert!(
        regressions <= 1,
        "one finding about the suite: {}",
        run.stdout
    );
    let f = &r["comparison"]["suite_factor"];
    assert_eq!(f["applied"], true, "{f}");
    assert!(f["ratio"].as_f64().unwrap() > 1.5, "{f}");
    assert_eq!(r["comparison"]["reruns"], 0);
}

/// A baseline from another toolchain or machine: compared, never failed on, not re-run.
/// budget: e2e
#[test]
fn another_contract_is_compared_but_never_failed() {
    let fx = recorded(&[]);
    let text = fx.read(".budget/baseline.json");
    for (field, edited) in [
        (
            "rustc",
            text.replacen("\"rustc ", "\"rustc 0.0.1-other ", 1),
        ),
        ("cpus", {
            let at = text.find("\"cpus\": ").unwrap();
            let end = at + text[at..].find(',').unwrap();
            format!("{}\"cpus\": 64{}", &text[..at], &text[end..])
        }),
    ] {
        fx.write(".budget/baseline.json", &edited);
        let (run, r) = json(&fx, &[("FX_SCALE_EXPORT", "2.0")]);
        run.assert_code(0);
        assert_eq!(r["comparison"]["comparable"], false);
        assert!(
            r["comparison"]["differences"][0]
                .as_str()
                .unwrap()
                .starts_with(field),
            "{}",
            r["comparison"]
        );
        assert_eq!(failing(&r), [], "{}", run.stdout);
        assert_eq!(
            flagged(&r, "export_350ms").as_deref(),
            Some("warning"),
            "{}",
            run.stdout
        );
        assert_eq!(delta(&r, "export_350ms")["held"], "not-comparable");
        assert_eq!(r["comparison"]["reruns"], 0);
    }
    fx.write(".budget/baseline.json", &text);
    let human = Run::of(
        fx.cmd(&["report", "--mode", "ci", "--no-baseline"])
            .env("FX_SCALE_EXPORT", "2.0")
            .output()
            .unwrap(),
    );
    human.assert_code(0);
    assert!(!human.stdout.contains("Baseline"), "{}", human.stdout);
}

/// Judging JUnit files from elsewhere: their contract is unknown, so slowdowns are warnings,
/// and nextest is not run at all (not even for its version).
#[test]
fn junit_files_from_elsewhere_are_compared_at_warn_level() {
    let fx = recorded(&[]);
    let baseline: serde_json::Value =
        serde_json::from_str(&fx.read(".budget/baseline.json")).unwrap();
    let median = |name: &str| {
        baseline["tests"][format!("fx-scaled::integration {name}")]["median_ms"]
            .as_f64()
            .unwrap()
    };
    let case = |name: &str, factor: f64| {
        format!(
            "<testcase name=\"{name}\" classname=\"fx-scaled::integration\" time=\"{:.3}\"/>",
            median(name) * factor / 1000.0
        )
    };
    let xml = format!(
        "<testsuites name=\"nextest-run\" tests=\"5\"><testsuite name=\"fx-scaled::integration\" tests=\"5\">{}{}{}{}{}</testsuite></testsuites>",
        case("parse_150ms", 1.0),
        case("index_200ms", 1.0),
        case("query_250ms", 1.0),
        case("render_300ms", 1.0),
        case("export_350ms", 2.0),
    );
    fx.write("shard.xml", &xml);
    // A `cargo-nextest` first on PATH that leaves a mark when anything runs it.
    let bin_dir = tempfile::tempdir().unwrap();
    let mark = bin_dir.path().join("ran");
    let fake = bin_dir.path().join("cargo-nextest");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\ntouch '{}'\nexit 1\n", mark.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cargo = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    cargo.args(["nextest", "--version"]).env("PATH", &path);
    let _ = cargo.output().unwrap();
    assert!(
        mark.exists(),
        "the fake cargo-nextest is the one cargo runs"
    );
    std::fs::remove_file(&mark).unwrap();

    let run = Run::of(
        fx.cmd(&[
            "report",
            "--mode",
            "ci",
            "--format",
            "json",
            "--from",
            "shard.xml",
        ])
        .env("PATH", &path)
        .output()
        .unwrap(),
    );
    run.assert_code(0);
    assert!(!mark.exists(), "nextest was run for --from");
    let r = run.json();
    assert_eq!(r["comparison"]["comparable"], false);
    assert!(
        r["comparison"]["differences"][0]
            .as_str()
            .unwrap()
            .contains("unknown"),
        "{}",
        r["comparison"]
    );
    assert_eq!(r["nextest"], serde_json::Value::Null);
    assert_eq!(
        compared(&r),
        [(
            "regression".to_string(),
            "export_350ms".to_string(),
            "warning".to_string()
        )]
    );
}

#[test]
fn rerecording_changes_only_timings_and_time() {
    let fx = Fixture::new("scaled");
    Run::of(fx.cmd(&["baseline", "--runs", "1"]).output().unwrap()).assert_code(0);
    let first = fx.read(".budget/baseline.json");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    Run::of(fx.cmd(&["baseline", "--runs", "1"]).output().unwrap()).assert_code(0);
    let second = fx.read(".budget/baseline.json");
    let diff = similar::TextDiff::from_lines(&first, &second);
    let changed: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value().trim()))
        .collect();
    for line in &changed {
        let text = &line[1..];
        let field = text.split(':').next().unwrap_or("");
        let timing = [
            "\"created\"",
            "\"min_ms\"",
            "\"median_ms\"",
            "\"max_ms\"",
            "\"wall_ms\"",
            "\"load_1m\"",
        ]
        .contains(&field);
        // A sample inside `samples_ms`: a number on a line of its own.
        let sample = text.trim_end_matches(',').parse::<u64>().is_ok();
        assert!(
            timing || sample,
            "only timings and the created time may change:\n{}",
            diff.unified_diff()
        );
    }
    assert!(
        changed.iter().any(|l| l.contains("\"created\"")),
        "{changed:?}"
    );
}

#[test]
fn bad_baseline_files_are_config_errors() {
    let fx = Fixture::new("scaled");
    fx.write(".budget/baseline.json", "{\"schema\": 9, \"tests\": {}}");
    let run = fx.run(&["report", "--mode", "ci", "-E", "test(parse)"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains("baseline schema 9, newer than this cargo-budget understands"),
        "{}",
        run.stderr
    );
    fx.write(".budget/baseline.json", "{\"schema\": 1, \"tests\": ");
    let run = fx.run(&["report", "--mode", "ci", "-E", "test(parse)"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains(".budget/baseline.json:1:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("corrupt baseline"), "{}", run.stderr);
    // A time no recording writes (min over median): refused, with the file, entry and test.
    let contract = "\"contract\": {\"rustc\": \"r\", \"nextest\": \"n\", \"profile\": \"p\", \
        \"target\": \"t\", \"cpus\": 2, \"cpu\": \"c\", \"runs\": 1, \"budget_toml\": \"none\"}";
    let baseline = format!(
        "{{\"schema\": 3, \"tool\": \"x\", \"created\": \"2026-11-22T06:00:00Z\", \
         \"commit\": null, \"workspace\": {{\"members\": [\"fx-scaled\"]}}, {contract},\n\
         \"tests\": {{\n\"fx-scaled::unit parse\": {{\"tier\": \"unit\", \"runs\": 1, \
         \"min_ms\": 7, \"median_ms\": 6, \"max_ms\": 9, \"outcome\": \"passed\"}}}}}}"
    );
    fx.write(".budget/baseline.json", &baseline);
    let run = fx.run(&["report", "--mode", "ci", "-E", "test(parse)"]);
    run.assert_code(USAGE);
    let want = ".budget/baseline.json:3:";
    assert!(run.stderr.contains(want), "{want}: {}", run.stderr);
    let want = "corrupt baseline: test `fx-scaled::unit parse`: min_ms 7, median_ms 6, max_ms 9";
    assert!(run.stderr.contains(want), "{want}: {}", run.stderr);
}
