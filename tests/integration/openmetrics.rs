//! `--format openmetrics` from real runs, checked by `promtool check metrics`: a test suite
//! whose names hold quotes, backslashes and parentheses (peaks measured through the wrapper),
//! and criterion results with capability budgets.

use crate::support::*;

/// `promtool check metrics` on `text`: its exit code and what it said.
fn promtool_check(text: &str) -> (i32, String) {
    use std::io::Write;
    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("promtool did not run ({e}): install Debian's `prometheus`"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), said)
}

/// budget: integration
#[test]
fn a_test_run_as_openmetrics_passes_promtool() {
    let fx = Fixture::new("weird");
    fx.write(
        ".config/nextest.toml",
        "experimental = [\"wrapper-scripts\"]\n",
    );
    let run = fx.run(&["report", "--mode", "dev", "--format", "openmetrics"]);
    run.assert_code(0);
    let text = &run.stdout;
    let (code, said) = promtool_check(text);
    assert_eq!(code, 0, "{said}\n{text}");
    assert!(text.ends_with("# EOF\n"), "{text}");
    for line in [
        "# TYPE cargo_budget_test_duration_seconds gauge",
        "cargo_budget_test_budget_seconds{binary_id=\"fx-weird::weird\",test=\"weird::quote\\\"dq'sq\",tier=\"integration\"} 10",
        "cargo_budget_test_peak_memory_bytes{binary_id=\"fx-weird::weird\",test=\"weird::back\\\\slash\",tier=\"integration\"} ",
        "cargo_budget_tier_tests{tier=\"integration\"} 10",
        // `unit_slow)paren` sleeps 1.5 s in the unit tier: a warning in dev.
        "cargo_budget_findings{kind=\"over-budget\",severity=\"warning\",tier=\"unit\"} 1",
        "cargo_budget_exit_code{context=\"dev\",phase=\"strict\"} 0",
    ] {
        assert!(text.contains(line), "no `{line}` in\n{text}");
    }
    assert!(text.contains("cargo_budget_suite_wall_seconds "), "{text}");
}

/// budget: integration
#[test]
fn a_bench_verdict_as_openmetrics_passes_promtool() {
    let fx = Fixture::new("plain");
    fx.write(
        "budget.toml",
        "[[capability]]\nname = 'scaled \"work\"'\nbenches = [\"scaled/**\"]\np95 = \"20us\"\n",
    );
    let criterion = repo_root().join("tests/data/criterion/base");
    let run = fx.run(&[
        "bench",
        "--from",
        criterion.to_str().unwrap(),
        "--no-baseline",
        "--mode",
        "ci",
        "--format",
        "openmetrics",
    ]);
    run.assert_code(VIOLATIONS);
    let (code, said) = promtool_check(&run.stdout);
    assert_eq!(code, 0, "{said}\n{}", run.stdout);
    for line in [
        "cargo_budget_bench_p95_seconds{benchmark=\"scaled/work/1000\"} 0.0000",
        "cargo_budget_capability_p95_budget_seconds{capability=\"scaled \\\"work\\\"\"} 0.00002",
        "cargo_budget_bench_findings{kind=\"capability-over-budget\",severity=\"error\"} 1",
        "cargo_budget_exit_code{context=\"ci\"} 3",
        "# EOF",
    ] {
        assert!(run.stdout.contains(line), "no `{line}` in\n{}", run.stdout);
    }
}
