//! `cargo budget baseline` and the comparison in `report`, on a fixture whose test durations
//! scale with `FX_SCALE` (200–600 ms × SCALE): real nextest runs, wide margins (±20 %, ±30 %
//! against the 10 % / 25 % thresholds).

use crate::support::*;

fn report(fx: &Fixture, scale: &str, args: &[&str]) -> Run {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    Run::of(fx.cmd(&all).env("FX_SCALE", scale).output().unwrap())
}

fn regressions(r: &serde_json::Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "regression")
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect()
}

/// Records at SCALE 1.0, then judges 1.0, 1.2 and 1.3.
/// budget: e2e
#[test]
fn regressions_at_warn_and_fail_levels() {
    let fx = Fixture::new("scaled");
    let rec = Run::of(
        fx.cmd(&["baseline", "--runs", "3"])
            .env("FX_SCALE", "1.0")
            .output()
            .unwrap(),
    );
    rec.assert_code(0);
    assert!(
        rec.stdout
            .contains("Integration tests: 5 — within 10s budget: 5 (100.0%), violations: 0 (0.0%)"),
        "{}",
        rec.stdout
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&fx.read(".budget/baseline.json")).unwrap();
    assert_eq!(baseline["schema"], 1);
    assert_eq!(baseline["contract"]["runs"], 3);
    assert_eq!(
        baseline["tests"]["fx-scaled::integration parse_200ms"]["outcome"],
        "passed"
    );

    // Same speed: nothing to report (medians of 3 runs).
    let same = report(&fx, "1.0", &["--mode", "ci", "--runs", "3"]);
    same.assert_code(0);
    let r = same.json();
    assert_eq!(regressions(&r), Vec::<String>::new(), "{}", same.stdout);
    assert_eq!(r["comparison"]["tests"].as_array().unwrap().len(), 5);
    assert_eq!(r["comparison"]["comparable"], true);

    // +20 %: warnings; exit 0 in the warn phase and in strict ci alike.
    fx.write("budget.toml", "phase = \"warn\"\n");
    let slower = report(&fx, "1.2", &["--mode", "ci"]);
    slower.assert_code(0);
    assert_eq!(
        regressions(&slower.json()),
        vec!["warning"; 5],
        "{}",
        slower.stdout
    );
    std::fs::remove_file(fx.path().join("budget.toml")).unwrap();

    // +30 %: fail level; in the strict phase with --mode ci, the violations exit code.
    let much = report(&fx, "1.3", &["--mode", "ci"]);
    much.assert_code(VIOLATIONS);
    let r = much.json();
    // +30 % against the 25 % threshold: every test is flagged, and fail level decides the exit
    // code; one test measured near the line on a loaded machine may read as a warning.
    let found = regressions(&r);
    assert_eq!(found.len(), 5, "{}", much.stdout);
    assert!(
        found.iter().filter(|s| *s == "error").count() >= 3,
        "{found:?}"
    );
    let delta = &r["comparison"]["tests"][0];
    assert!(delta["level"].is_string(), "{delta}");
    assert!(delta["change_pct"].as_f64().unwrap() > 20.0, "{delta}");
    assert!(
        delta["before_ms"].as_f64().unwrap() >= 600.0,
        "sorted by impact: {delta}"
    );

    // A baseline from another toolchain or machine: compared, never failed on.
    let text = fx.read(".budget/baseline.json");
    for (field, from, to) in [
        ("rustc", "\"rustc ", "\"rustc 0.0.1-other "),
        ("cpus", "\"cpus\": ", "\"cpus\": 64"),
    ] {
        let edited = if field == "cpus" {
            let at = text.find(from).unwrap() + from.len();
            let end = at + text[at..].find(',').unwrap();
            format!(
                "{}{}{}",
                &text[..text.find(from).unwrap()],
                to,
                &text[end..]
            )
        } else {
            text.replacen(from, to, 1)
        };
        fx.write(".budget/baseline.json", &edited);
        let other = report(&fx, "1.3", &["--mode", "ci"]);
        other.assert_code(0);
        let r = other.json();
        assert_eq!(r["comparison"]["comparable"], false);
        assert!(
            r["comparison"]["differences"][0]
                .as_str()
                .unwrap()
                .starts_with(field),
            "{}",
            r["comparison"]
        );
        assert_eq!(regressions(&r), vec!["warning"; 5]);
    }
    fx.write(".budget/baseline.json", &text);
    let human = Run::of(
        fx.cmd(&["report", "--mode", "ci", "--no-baseline"])
            .env("FX_SCALE", "1.3")
            .output()
            .unwrap(),
    );
    human.assert_code(0);
    assert!(!human.stdout.contains("Baseline"), "{}", human.stdout);
}

#[test]
fn rerecording_changes_only_timings_and_time() {
    let fx = Fixture::new("scaled");
    fx.cmd(&["baseline"]).output().unwrap();
    let first = fx.read(".budget/baseline.json");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    Run::of(fx.cmd(&["baseline"]).output().unwrap()).assert_code(0);
    let second = fx.read(".budget/baseline.json");
    let diff = similar::TextDiff::from_lines(&first, &second);
    let changed: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value().trim()))
        .collect();
    for line in &changed {
        let field = line[1..].split(':').next().unwrap_or("");
        assert!(
            ["\"created\"", "\"min_ms\"", "\"median_ms\"", "\"max_ms\""].contains(&field),
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
}
