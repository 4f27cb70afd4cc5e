//! `cargo budget bench --instructions` on the criterion fixture: `scaled/work/1000`'s routine
//! counted under Valgrind (criterion's test mode, one process), judged exactly against the
//! baseline's count. Only that benchmark is measured (`-- scaled/work/1000`), and its time is
//! judged by thresholds too wide to fire: on a shared machine the time of an unchanged
//! benchmark moves by more than the counts' thresholds, and this test is about the counts.

use super::{bench_findings, criterion_repo};
use crate::support::*;

/// Time thresholds that never fire (the counts keep their own, `[regression] instructions`).
const LOOSE_TIME: &str = "[regression]\nwarn = \"900%\"\nfail = \"1000%\"\n";

/// Valgrind runs here, or the test fails saying so: it is never skipped.
fn require_valgrind() {
    let ok = std::process::Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "valgrind is not installed: this test counts instructions with it (Debian: \
         `apt-get install valgrind`; .ci/run installs it)"
    );
}

/// `bench --mode ci --format json … -- scaled/work/1000` at `pct` % of its work: the exit
/// code, the report, and its instruction findings as `(kind, severity)`.
fn counted(
    repo: &Repo,
    pct: &str,
    extra: &[&str],
) -> (i32, serde_json::Value, Vec<(String, String)>) {
    let mut args = vec!["bench", "--mode", "ci", "--format", "json"];
    args.extend(extra);
    args.extend(["--", "scaled/work/1000"]);
    let out = Run::of(
        repo.command(bin().to_str().unwrap(), &args, repo.path())
            .env("FX_BENCH_WORK_PCT", pct)
            .output()
            .unwrap(),
    );
    let json = out.json();
    let counts = bench_findings(&json)
        .into_iter()
        .filter(|(kind, _, _)| kind.contains("instructions"))
        .map(|(kind, subject, severity)| {
            assert!(
                ["scaled/work/1000", "scaled", "fx-bench::bench/speed"].contains(&subject.as_str()),
                "{subject}: {json}"
            );
            (kind, severity)
        })
        .collect();
    (out.code, json, counts)
}

fn kinds(found: &[(&str, &str)]) -> Vec<(String, String)> {
    found
        .iter()
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect()
}

/// budget: bench
#[test]
#[ignore = "builds criterion and runs real benchmarks under Valgrind (about a minute), which need the machine to themselves: .ci/run runs it alone with `cargo nextest run --run-ignored only -E 'test(/^bench::/)'`"]
fn instruction_counts_gate_a_criterion_fixture() {
    require_valgrind();
    let repo = criterion_repo("bench");
    repo.write("budget.toml", LOOSE_TIME);
    let saved = Run::of(
        repo.command(
            bin().to_str().unwrap(),
            &[
                "bench",
                "--instructions",
                "--save-baseline",
                "--mode",
                "ci",
                "--",
                "scaled/work/1000",
            ],
            repo.path(),
        )
        .env("FX_BENCH_WORK_PCT", "100")
        .output()
        .unwrap(),
    );
    saved.assert_code(0);
    assert!(
        saved
            .stderr
            .contains("Counting scaled/work/1000 under Valgrind"),
        "{}",
        saved.stderr
    );
    assert!(
        saved
            .stdout
            .contains("Instructions per run of each benchmark's routine"),
        "{}",
        saved.stdout
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&repo.fx.read(".budget/bench-baseline.json")).unwrap();
    let entry = &baseline["benchmarks"][0];
    assert_eq!(entry["id"], "scaled/work/1000", "{baseline}");
    // Counted twice (a baseline of one run), the same both times.
    let count = entry["instructions"][0].as_u64().unwrap_or(0);
    assert_eq!(entry["instructions"][1].as_u64(), Some(count), "{baseline}");
    // The routine (1000 rounds of the fixture's spin) and criterion's two clock reads: about
    // 100,000, nothing of the harness (which executes millions).
    assert!((50_000..500_000).contains(&count), "{baseline}");

    // The same work counts the same: no count finding. +1 % of the work warns, +3 % fails.
    let (code, json, found) = counted(&repo, "100", &["--instructions"]);
    assert_eq!((code, found), (0, vec![]), "{json}");
    let scaled = &json["benchmarks"][0]["instructions"];
    assert_eq!(scaled["comparison"]["call"], "unchanged", "{json}");
    assert_eq!(scaled["counts"][0].as_u64(), Some(count), "{json}");
    let (code, json, found) = counted(&repo, "101", &["--instructions"]);
    assert_eq!(
        (code, found),
        (0, kinds(&[("bench-instructions-regression", "warning")])),
        "{json}"
    );
    let (code, json, found) = counted(&repo, "103", &["--instructions"]);
    assert_eq!(
        (code, found),
        (3, kinds(&[("bench-instructions-regression", "error")])),
        "{json}"
    );

    // The seed's thresholds for benchmarks (+10 % warns, +25 % fails), on counts: +20 % of
    // the work warns, +30 % fails. A capability's instruction budget (1.25 × the baseline's
    // count) counts its benchmarks without `--instructions`, and +30 % is over it.
    repo.write(
        "budget.toml",
        &format!(
            "{LOOSE_TIME}instructions = {{ warn = \"10%\", fail = \"25%\" }}\n\
             [[capability]]\nname = \"scaled\"\nbenches = [\"scaled/**\"]\ninstructions = {}\n",
            count * 5 / 4
        ),
    );
    let (code, json, found) = counted(&repo, "120", &["--instructions"]);
    assert_eq!(
        (code, found),
        (0, kinds(&[("bench-instructions-regression", "warning")])),
        "{json}"
    );
    let (code, json, found) = counted(&repo, "130", &[]);
    assert_eq!(
        (code, found),
        (
            3,
            kinds(&[
                ("bench-instructions-regression", "error"),
                ("capability-over-instructions", "error")
            ])
        ),
        "{json}"
    );

    // Without Valgrind the counts are not measured, said so: a warning, never a crash and
    // never a count of 0.
    let mut cmd = repo.command(
        bin().to_str().unwrap(),
        &[
            "bench",
            "--instructions",
            "--mode",
            "ci",
            "--format",
            "json",
            "--",
            "scaled/work/1000",
        ],
        repo.path(),
    );
    cmd.env(
        "CARGO_BUDGET_VALGRIND",
        repo.path().join("no-such-valgrind"),
    );
    let missing = Run::of(cmd.output().unwrap());
    missing.assert_code(0);
    let json = missing.json();
    let found = bench_findings(&json);
    assert!(
        found.contains(&(
            "bench-instructions-not-measured".into(),
            "fx-bench::bench/speed".into(),
            "warning".into()
        )),
        "{json}"
    );
    assert!(
        json.to_string().contains("Valgrind is not installed"),
        "{json}"
    );
    assert!(json["benchmarks"][0]["instructions"].is_null(), "{json}");
}
