//! Peak memory per test through cargo-budget's own nextest wrapper (`cargo-budget __wrap`), on
//! a fixture whose tests touch known amounts of memory: 50 MiB against a 32 MiB unit budget, a
//! tiny test, a flaky test that takes 40 MiB on its failing first attempt and 8 MiB on the
//! passing retry, a test killed at its timeout after taking 24 MiB, one that aborts.

use crate::support::*;

const MIB: f64 = 1024.0 * 1024.0;

fn mib(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")) / MIB
}

fn report(
    fx: &Fixture,
    mode: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Run, serde_json::Value) {
    let mut all = vec!["report", "--mode", mode, "--format", "json"];
    all.extend_from_slice(args);
    let run = fx.run_with_env(&all, env);
    let json = run.json();
    (run, json)
}

/// The findings of `kind` in a JSON report.
fn of_kind<'a>(json: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .collect()
}

fn kinds(json: &serde_json::Value) -> Vec<String> {
    findings(json).into_iter().map(|f| f.0).collect()
}

/// budget: e2e
#[test]
fn memory_is_measured_once_the_repository_enables_wrapper_scripts() {
    let fx = Fixture::new("memory");
    let quick = ["-E", "not test(hangs_after_allocating)"];

    // The repository does not enable wrapper scripts: said once, with the fix; no memory
    // verdict, and the user's own override (a retry for the flaky test) still applies.
    let (run, json) = report(&fx, "dev", &quick, &[]);
    run.assert_code(TESTS_FAILED);
    let not_measured = of_kind(&json, "memory-not-measured");
    assert_eq!(not_measured.len(), 1, "{json}");
    let message = not_measured[0]["message"].as_str().unwrap();
    assert!(
        message.contains("5 tests have a memory budget")
            && message.contains("experimental = [\"wrapper-scripts\"]")
            && message.contains("`cargo budget init` does"),
        "{message}"
    );
    assert!(!kinds(&json).contains(&"over-memory".to_string()), "{json}");
    assert!(
        test(&json, "fx-memory::unit", "allocates_50_mib")
            .get("peak_bytes")
            .is_none()
    );
    assert_eq!(
        test(&json, "fx-memory::unit", "flaky_first_attempt")["outcome"],
        "flaky"
    );

    // init enables them beside the user's config, which stays as it was.
    fx.run(&["init", "--yes", "--skip", "tiers,github,adr"])
        .assert_code(0);
    let nextest = fx.read(".config/nextest.toml");
    assert!(
        nextest.contains("experimental = [\"wrapper-scripts\"]")
            && nextest.contains("filter = \"test(=flaky_first_attempt)\"\nretries = 1"),
        "{nextest}"
    );

    let (run, json) = report(&fx, "dev", &[], &[]);
    run.assert_code(TESTS_FAILED);
    assert!(
        !kinds(&json).contains(&"memory-not-measured".to_string()),
        "{json}"
    );
    // 50 MiB touched: over the 32 MiB budget, with a peak of 50-55 MiB.
    let big = test(&json, "fx-memory::unit", "allocates_50_mib");
    assert_eq!(big["judgement"], "over-budget", "{big}");
    let peak = mib(&big["peak_bytes"]);
    assert!((50.0..=55.0).contains(&peak), "{big}");
    assert_eq!(mib(&big["memory_budget_bytes"]), 32.0);
    let over = of_kind(&json, "over-memory");
    assert_eq!(over.len(), 1, "{json}");
    assert_eq!(over[0]["name"], "allocates_50_mib");
    assert_eq!(over[0]["peak_bytes"], big["peak_bytes"]);
    assert!(
        over[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("peak memory 5"),
        "{}",
        over[0]
    );
    // A tiny test: a few MiB (the test binary and the wrapper's own pages before exec).
    let tiny = mib(&test(&json, "fx-memory::unit", "tiny")["peak_bytes"]);
    assert!(tiny < 12.0, "{tiny}");
    // The flaky test is judged on its passing attempt (8 MiB), not the failed one (40 MiB).
    let flaky = test(&json, "fx-memory::unit", "flaky_first_attempt");
    assert_eq!(
        (flaky["outcome"].as_str(), flaky["attempts"].as_u64()),
        (Some("flaky"), Some(2))
    );
    let flaky_peak = mib(&flaky["peak_bytes"]);
    assert!((8.0..20.0).contains(&flaky_peak), "{flaky}");
    // Killed at its timeout: still has its peak (24 MiB touched).
    let hung = test(&json, "fx-memory::unit", "hangs_after_allocating");
    assert_eq!(hung["outcome"], "timeout");
    assert!(mib(&hung["peak_bytes"]) >= 24.0, "{hung}");
    // Killed by a signal: failed, with the signal, never a pass.
    let aborted = test(&json, "fx-memory::unit", "aborts");
    assert_eq!(aborted["outcome"], "failed");
    let failed = of_kind(&json, "test-failed")
        .into_iter()
        .find(|f| f["name"] == "aborts")
        .unwrap();
    assert!(
        failed["message"].as_str().unwrap().contains("SIGABRT"),
        "{failed}"
    );
    // The human report has a peak column.
    let human = fx.run(&[
        "report",
        "--mode",
        "dev",
        "--from",
        "target/cargo-budget/last-junit.xml",
    ]);
    assert!(
        !human.stdout.contains("  peak"),
        "JUnit files carry no peaks: {}",
        human.stdout
    );
    let human = fx.run(&[
        "report",
        "--mode",
        "dev",
        "-E",
        "test(=tiny) | test(=allocates_50_mib)",
    ]);
    assert!(
        human.stdout.contains("      peak  slowest passing") && human.stdout.contains("MiB"),
        "{}",
        human.stdout
    );
}

/// budget: e2e
#[test]
fn a_test_taking_40_percent_more_memory_than_its_baseline_regresses() {
    let fx = Fixture::new("memory");
    fx.write(
        ".config/nextest.toml",
        "experimental = [\"wrapper-scripts\"]\n",
    );
    let only = ["-E", "test(=scaled_by_env) | test(=tiny)"];
    let mut args = vec!["baseline", "--runs", "2"];
    args.extend_from_slice(&only);
    fx.run_with_env(&args, &[("FX_MEM_MIB", "20")])
        .assert_code(0);
    let baseline: serde_json::Value =
        serde_json::from_str(&fx.read(".budget/baseline.json")).unwrap();
    assert_eq!(baseline["schema"], 3);
    let before = mib(&baseline["tests"]["fx-memory::unit scaled_by_env"]["peak_bytes"]);
    assert!((20.0..30.0).contains(&before), "{baseline}");

    // Unchanged: no regression.
    let (run, json) = report(&fx, "ci", &only, &[("FX_MEM_MIB", "20")]);
    run.assert_code(0);
    assert!(!kinds(&json).contains(&"regression".to_string()), "{json}");

    // 28 MiB instead of 20: +40 % of the allocation, over +25 %: a failing regression.
    let (run, json) = report(&fx, "ci", &only, &[("FX_MEM_MIB", "28")]);
    run.assert_code(VIOLATIONS);
    let regression = *of_kind(&json, "regression")
        .first()
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(regression["name"], "scaled_by_env");
    assert_eq!(regression["severity"], "error");
    assert!(
        regression["message"]
            .as_str()
            .unwrap()
            .starts_with("peak memory grew: "),
        "{regression}"
    );
}
