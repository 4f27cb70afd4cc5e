//! `cargo budget bench` on a real criterion fixture: the work of `scaled/work/1000` follows
//! `FX_BENCH_WORK_PCT`, the other benchmarks stay as they are; `benches/custom.rs` is not
//! criterion. One test, because every step needs the benches built in release mode.

use crate::support::*;

mod counts;

/// `scaled/work/1000`'s call and the exit code of `bench --mode ci` at `pct` % of the work.
fn judged(repo: &Repo, pct: &str, extra: &[&str]) -> (String, i32, serde_json::Value) {
    let mut args = vec!["bench", "--mode", "ci", "--format", "json"];
    args.extend(extra);
    let out = Run::of(
        repo.command(bin().to_str().unwrap(), &args, repo.path())
            .env("FX_BENCH_WORK_PCT", pct)
            .output()
            .unwrap(),
    );
    let json = out.json();
    let call = json["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "scaled/work/1000")
        .and_then(|b| b["comparison"]["call"].as_str())
        .unwrap_or("none")
        .to_string();
    (call, out.code, json)
}

/// A criterion fixture committed to a fresh repository, building in the shared
/// `target/fixture-bench`: criterion takes a while to compile in release mode, so it is built
/// once per checkout, and the tests using it run alone (`threads-required` in
/// .config/nextest.toml), one at a time.
fn criterion_repo(fixture: &str) -> Repo {
    let mut repo = Repo::new(fixture);
    repo.fx.target = repo_root().join("target/fixture-bench");
    std::fs::copy(
        repo_root()
            .join("tests/fixtures")
            .join(fixture)
            .join("Cargo.lock"),
        repo.path().join("Cargo.lock"),
    )
    .unwrap();
    repo
}

/// `(kind, subject, severity)` of every finding of a bench JSON report.
pub(crate) fn bench_findings(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("kind"), s("subject"), s("severity"))
        })
        .collect()
}

/// budget: bench
#[test]
#[ignore = "builds criterion and runs real benchmarks for about two minutes, which need the machine to themselves: .ci/run runs it alone with `cargo nextest run --run-ignored only -E 'test(/^bench::/)'`"]
fn bench_gate_on_a_criterion_fixture() {
    let repo = criterion_repo("bench");
    // Results of earlier runs (other benchmarks, when a fixture changed) are not this run's:
    // `--from` below reads the whole directory.
    let _ = std::fs::remove_dir_all(repo.fx.target.join("criterion"));

    // Three runs: the baseline knows how far benchmarks move between runs.
    let saved = repo.budget(&["bench", "--save-baseline", "--runs", "3", "--mode", "ci"]);
    saved.assert_code(0);
    assert!(
        saved.stdout.contains("scaled/work/1000"),
        "{}",
        saved.stdout
    );
    assert!(
        saved
            .stderr
            .contains("Benchmarking fx-bench::bench/speed (target"),
        "{}",
        saved.stderr
    );
    assert!(
        saved
            .stdout
            .contains("warning: bench-not-measured fx-bench::bench/custom"),
        "{}",
        saved.stdout
    );
    // Plain progress lines off a terminal: the benchmark being measured, counted once the
    // first run has said how many the target has.
    assert!(
        saved
            .stderr
            .contains("Measuring scaled/work/1000 (benchmark 2 of 6)"),
        "{}",
        saved.stderr
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&repo.fx.read(".budget/bench-baseline.json")).unwrap();
    assert_eq!(
        baseline["benchmarks"][0]["runs"].as_array().unwrap().len(),
        3
    );
    let ids: Vec<&str> = baseline["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "fnv/4k",
            "io/read:x y",
            "scaled/work/1000",
            "spin/fixed",
            "spin/small",
            "steady"
        ]
    );
    assert_eq!(baseline["contract"]["profile"], "bench");
    assert!(
        baseline["contract"]["criterion"]
            .as_str()
            .unwrap()
            .starts_with("0.8."),
        "{baseline}"
    );
    repo.git(&["add", "-A"]).assert_code(0);
    repo.git(&["commit", "-q", "-m", "bench baseline"])
        .assert_code(0);

    // What the calls can be depends on the noise the baseline's three runs measured (the
    // gate is only as sharp as the machine is quiet). Quiet (the fixture's benchmarks moving by
    // at most 1 % between runs): +20 % is clearly over +10 %, a warning, exit 0; +30 % is
    // clearly over +25 %, a failure, exit 3 (docs/benchmarks.md: 0.8 % measured, 3 of 3). At
    // 2 % the interval is about ±6 % and +30 % of work can be inconclusive against a 25 % line;
    // on a machine that busy the test asks only for no false failure.
    let (call, code, json) = judged(&repo, "100", &[]);
    let spread = json["run_spread_pct"].as_f64().unwrap_or(f64::INFINITY);
    let quiet = spread <= 1.0;
    #[allow(clippy::print_stderr)] // which expectations applied, in the test output
    {
        eprintln!("baseline run-to-run spread ±{spread:.1}%: quiet = {quiet}");
    }
    assert_eq!(code, 0, "{json}");
    assert!(
        ["unchanged", "inconclusive"].contains(&call.as_str()),
        "{json}"
    );
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["kind"] != "bench-regression"),
        "{json}"
    );
    let (call, code, json) = judged(&repo, "120", &[]);
    match quiet {
        true => assert_eq!((call.as_str(), code), ("warn", 0), "{json}"),
        false => assert!(code == 0 && call != "fail", "{json}"),
    }
    let (call, code, json) = judged(&repo, "130", &[]);
    match quiet {
        true => assert_eq!((call.as_str(), code), ("fail", 3), "{json}"),
        false => assert!(
            ["warn", "inconclusive", "fail"].contains(&call.as_str()),
            "{json}"
        ),
    }
    let (call, code, json) = judged(&repo, "70", &[]);
    assert_eq!((call.as_str(), code), ("improved", 0), "{json}");

    // On a terminal (a pty from util-linux's `script`), an indicatif bar names the benchmark
    // being measured and counts them (6 in the baseline for this target); criterion's phase
    // lines are in the bar instead of printed, its results are printed.
    let line = format!("{} bench --mode dev --color never", bin().display());
    let mut cmd = repo.command("script", &["-qec", &line, "/dev/null"], repo.path());
    cmd.env_remove("CI");
    let tty = Run::of(cmd.output().unwrap());
    tty.assert_code(0);
    assert!(
        tty.stdout
            .contains("[1/6] scaled/work/1000 · fx-bench::bench/speed (target 2 of 2)")
            && tty.stdout.contains("time:   [")
            && !tty.stdout.contains("Benchmarking steady: Warming up"),
        "{}",
        tty.stdout
    );

    // A slower baseline in the working copy does not hide the slowdown from --baseline-ref.
    let mut cmd = repo.command(
        bin().to_str().unwrap(),
        &["bench", "--save-baseline", "--no-baseline"],
        repo.path(),
    );
    cmd.env("FX_BENCH_WORK_PCT", "200");
    Run::of(cmd.output().unwrap()).assert_code(0);
    let (call, code, json) = judged(&repo, "200", &["--baseline-ref", "HEAD"]);
    assert_eq!((call.as_str(), code), ("fail", 3), "{json}");
    assert_eq!(
        json["baseline"]["source"].as_str().unwrap(),
        format!(
            "HEAD:{}",
            repo.path().join(".budget/bench-baseline.json").display()
        ),
    );

    // init writes bench recipes, tasks and a workflow job for a workspace with criterion
    // benches, and the recipes run (against the slower baseline saved above: improved).
    repo.fx
        .run(&["init", "--yes", "--skip", "tiers,adr"])
        .assert_code(0);
    let workflow = repo.fx.read(".github/workflows/budget.yml");
    assert!(
        workflow
            .contains("cargo budget bench --mode ci --baseline-ref \"origin/$GITHUB_BASE_REF\""),
        "{workflow}"
    );
    for (program, args) in [
        ("just", &["bench-compare", "--", "scaled/work"][..]),
        ("cargo", &["make", "bench-compare"][..]),
    ] {
        let run = repo.fx.tool(program, args);
        run.assert_code(0);
        assert!(
            run.stdout.contains("scaled/work/1000") && run.stdout.contains("improved"),
            "{program}: {}\n{}",
            run.stdout,
            run.stderr
        );
    }

    // Results that exist are judged without running anything; no results is an error.
    let criterion = repo.fx.target.join("criterion");
    let from = repo.budget(&[
        "bench",
        "--from",
        criterion.to_str().unwrap(),
        "--no-baseline",
    ]);
    from.assert_code(0);
    assert!(
        from.stdout.contains("6 benchmarks measured"),
        "{}",
        from.stdout
    );
    let none = repo.budget(&["bench", "--", "no-such-benchmark"]);
    none.assert_code(USAGE);
    assert!(
        none.stderr
            .contains("no criterion results: looked for `*/new/benchmark.json`"),
        "{}",
        none.stderr
    );
}

/// Results that exist (criterion's files, hyperfine exports of both formats) are judged without
/// running anything; a bad bench baseline is refused with its position; no results is an error.
#[test]
fn existing_results_are_judged_and_bad_baselines_refused() {
    let fx = Fixture::new("plain");
    let data = repo_root().join("tests/data");
    let criterion = data.join("criterion/base");
    let v1 = data.join("hyperfine.json");
    let v2 = data.join("hyperfine-v2.json");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();

    let saved = fx.run(&[
        "bench",
        "--from",
        &path(&v1),
        "--save-baseline",
        "--baseline",
        "hf.json",
    ]);
    saved.assert_code(0);
    assert!(saved.stdout.contains("sleep 0.05"), "{}", saved.stdout);
    let compared = fx.run(&[
        "bench",
        "--from",
        &path(&v2),
        "--baseline",
        "hf.json",
        "--mode",
        "ci",
        "--format",
        "json",
    ]);
    compared.assert_code(0);
    let json = compared.json();
    let calls: Vec<&str> = json["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["comparison"]["call"].as_str().unwrap())
        .collect();
    assert_eq!(calls.len(), 2, "{json}");
    assert!(
        json["not_comparable"].as_array().unwrap().is_empty(),
        "{json}"
    );

    let from = fx.run(&["bench", "--from", &path(&criterion), "--compare"]);
    from.assert_code(USAGE);
    assert!(
        from.stderr.contains("no bench baseline at")
            && from.stderr.contains("cargo budget bench --save-baseline"),
        "{}",
        from.stderr
    );
    fx.write(
        ".budget/bench-baseline.json",
        "{\n  \"schema\": 1,\n  \"created\": 7\n}\n",
    );
    let bad = fx.run(&["bench", "--from", &path(&criterion)]);
    bad.assert_code(USAGE);
    assert!(
        bad.stderr.contains(".budget/bench-baseline.json:3:")
            && bad.stderr.contains("corrupt baseline"),
        "{}",
        bad.stderr
    );
    // The command the error names mends it: saving replaces the corrupt file, and says so.
    let mended = fx.run(&["bench", "--from", &path(&criterion), "--save-baseline"]);
    mended.assert_code(0);
    assert!(
        mended.stderr.contains("corrupt baseline")
            && mended.stderr.contains("--save-baseline replaces it")
            && !mended.stderr.contains("re-record it"),
        "{}",
        mended.stderr
    );
    fx.run(&["bench", "--from", &path(&criterion), "--compare"])
        .assert_code(0);
    // A baseline a newer cargo-budget wrote is not downgraded by saving over it.
    let saved = fx.read(".budget/bench-baseline.json");
    let newer = saved.replacen("\"schema\": 1", "\"schema\": 9", 1);
    fx.write(".budget/bench-baseline.json", &newer);
    let refused = fx.run(&["bench", "--from", &path(&criterion), "--save-baseline"]);
    refused.assert_code(USAGE);
    assert!(
        refused.stderr.contains("upgrade cargo-budget"),
        "{}",
        refused.stderr
    );
    assert_eq!(fx.read(".budget/bench-baseline.json"), newer);
    let empty = tempfile::tempdir().unwrap();
    let none = fx.run(&["bench", "--from", &path(empty.path()), "--no-baseline"]);
    none.assert_code(USAGE);
    assert!(
        none.stderr.contains("no benchmark results in"),
        "{}",
        none.stderr
    );
}

/// Capability budgets on real criterion results (`tests/data/criterion/base`: `scaled/work/1000`
/// at 27 µs, `fnv/4k` at 4.6 µs): a p95 budget kept, one broken (exit 3 in ci, a warning in
/// dev), a capability whose globs match nothing, a complexity claim on benchmarks without
/// sizes, a memory budget whose tests are not run when judging files.
#[test]
fn capability_p95_budgets_judge_criterion_results() {
    let fx = Fixture::new("plain");
    let criterion = repo_root().join("tests/data/criterion/base");
    fx.write(
        "budget.toml",
        "[[capability]]\nname = \"hashing\"\nbenches = [\"fnv/*\"]\np95 = \"50us\"\ncomplexity = \"O(n)\"\ntests = \"test(/^hashing::/)\"\nmemory = \"1MiB\"\n\n[[capability]]\nname = \"scaled\"\nbenches = [\"scaled/**\"]\np95 = \"20us\"\n\n[[capability]]\nname = \"renamed\"\nbenches = [\"validate/*\"]\np95 = \"1ms\"\n",
    );
    let judged = |mode: &str| {
        fx.run(&[
            "bench",
            "--from",
            criterion.to_str().unwrap(),
            "--no-baseline",
            "--mode",
            mode,
            "--format",
            "json",
        ])
    };
    let ci = judged("ci");
    ci.assert_code(VIOLATIONS);
    let json = ci.json();
    assert_eq!(
        bench_findings(&json),
        [
            (
                "capability-over-budget".into(),
                "scaled/work/1000".into(),
                "error".into()
            ),
            (
                "capability-unmatched".into(),
                "renamed".into(),
                "warning".into()
            ),
            // fnv/4k has no size: the O(n) claim cannot be checked, and says so.
            (
                "complexity-unfit".into(),
                "hashing".into(),
                "warning".into()
            ),
            // Its tests are not run when judging files: said, never passed.
            (
                "capability-memory-not-measured".into(),
                "hashing".into(),
                "warning".into()
            ),
        ],
        "{json}"
    );
    let detail = json["findings"][0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("capability `scaled`: p95 27.") && detail.contains("budget of 20.0 µs"),
        "{detail}"
    );
    let memory = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "capability-memory-not-measured")
        .unwrap();
    assert!(
        memory["detail"]
            .as_str()
            .unwrap()
            .contains("`--from` judges results that exist"),
        "{memory}"
    );
    // dev enforces budgets as warnings: exit 0.
    judged("dev").assert_code(0);
}

/// budget: bench
#[test]
#[ignore = "builds criterion and runs real benchmarks (about half a minute), which need the machine to themselves: .ci/run runs it alone with `cargo nextest run --run-ignored only -E 'test(/^bench::/)'`"]
fn bench_capabilities_on_a_criterion_fixture() {
    let repo = criterion_repo("capabilities");
    let run = repo.budget(&["bench", "--mode", "ci", "--no-baseline", "--format", "json"]);
    run.assert_code(VIOLATIONS);
    let json = run.json();
    let found = bench_findings(&json);
    let has = |kind: &str, subject: &str, severity: &str| {
        found.contains(&(kind.into(), subject.into(), severity.into()))
    };
    // Over its 100 ns p95 budget: an error; the same work within 1 ms: nothing.
    assert!(
        has("capability-over-budget", "slow/fixed", "error"),
        "{json}"
    );
    assert!(!found.iter().any(|f| f.1 == "fast/fixed"), "{json}");
    // The quadratic series breaks its O(n) claim with an exponent near 2; the linear one keeps
    // it with an exponent near 1.
    assert!(
        has("complexity-exceeded", "grow/quadratic", "error"),
        "{json}"
    );
    assert!(has("complexity-within", "grow/linear", "info"), "{json}");
    // Memory: each capability's tests run under the wrapper; 48 MiB is over 16 MiB, 1 MiB is
    // within 256 MiB.
    assert!(has("capability-over-memory", "slow", "error"), "{json}");
    assert!(has("capability-memory-within", "fast", "info"), "{json}");
    let exponent = |subject: &str| -> f64 {
        let f = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["subject"] == subject)
            .unwrap();
        let detail = f["detail"].as_str().unwrap();
        let after = detail.split("grows as n^").nth(1).unwrap();
        after.split(' ').next().unwrap().parse().unwrap()
    };
    let (q, l) = (exponent("grow/quadratic"), exponent("grow/linear"));
    assert!((1.8..=2.2).contains(&q), "quadratic fits {q}: {json}");
    assert!((0.8..=1.2).contains(&l), "linear fits {l}: {json}");
}
