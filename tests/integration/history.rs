//! The history in git notes: `--record` on real runs and on JUnit files committed one after
//! another; `history` and `trend` reading it back, through `git gc`, a clone, a corrupt note.

use crate::support::*;

/// A JUnit file as nextest writes it: one suite per binary, `(name, seconds)` per test.
pub fn junit(suites: &[(&str, Vec<(String, f64)>)]) -> String {
    let mut out = String::from("<testsuites>");
    for (binary, tests) in suites {
        out.push_str(&format!("<testsuite name=\"{binary}\">"));
        for (name, secs) in tests {
            out.push_str(&format!("<testcase name=\"{name}\" time=\"{secs:.3}\"/>"));
        }
        out.push_str("</testsuite>");
    }
    out.push_str("</testsuites>");
    out
}

/// `report --from j.xml --record` without a baseline, in dev: one run recorded.
const RECORD: [&str; 7] = [
    "report",
    "--from",
    "j.xml",
    "--mode",
    "dev",
    "--record",
    "--no-baseline",
];

/// Commits `xml` as `j.xml` with `message` and records a `report --from` of it on that commit.
pub fn commit_and_record(repo: &Repo, xml: &str, message: &str) {
    repo.write("j.xml", xml);
    repo.git(&["add", "-A"]).assert_code(0);
    repo.git(&["commit", "-q", "-m", message]).assert_code(0);
    repo.budget(&RECORD).assert_code(0);
}

fn history_json(repo: &Repo) -> serde_json::Value {
    let run = repo.budget(&["history", "--format", "json"]);
    run.assert_code(0);
    run.json()
}

/// budget: e2e
#[test]
fn recorded_runs_survive_gc_reach_a_clone_and_a_corrupt_note_is_named() {
    let repo = Repo::new("plain");
    for _ in 0..2 {
        let run = repo.budget(&["report", "--mode", "dev", "--record"]);
        run.assert_code(0);
        assert!(
            run.stderr.contains("Recorded this run on"),
            "{}",
            run.stderr
        );
    }
    // A bench run is recorded beside them (its own kind of line).
    let criterion = repo_root().join("tests/data/criterion/base");
    repo.budget(&[
        "bench",
        "--from",
        criterion.to_str().unwrap(),
        "--no-baseline",
        "--mode",
        "dev",
        "--record",
    ])
    .assert_code(0);
    let note = repo
        .git(&["notes", "--ref", "cargo-budget", "show", "HEAD"])
        .stdout;
    let kinds: Vec<&str> = note
        .lines()
        .map(|l| {
            if l.contains("\"kind\":\"benches\"") {
                "benches"
            } else {
                "tests"
            }
        })
        .collect();
    assert_eq!(kinds, ["tests", "tests", "benches"], "{note}");
    assert!(note.contains("[\"scaled/work/1000\","), "{note}");
    let head = repo.head();
    let runs = history_json(&repo)["runs"].as_array().unwrap().clone();
    assert_eq!(runs.len(), 2, "both runs of the commit are kept: {runs:?}");
    assert!(runs.iter().all(|r| r["commit"] == head.as_str()));
    let tests: u64 = runs[0]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tests"].as_u64().unwrap())
        .sum();
    assert!(tests > 0, "{runs:?}");

    // Notes are refs: garbage collection keeps them.
    repo.git(&["gc", "-q", "--prune=now"]).assert_code(0);
    assert_eq!(history_json(&repo)["runs"].as_array().unwrap().len(), 2);

    // A clone that fetched the notes sees the same history.
    let clone = tempfile::tempdir().unwrap();
    let dest = clone.path().join("c");
    let dest_s = dest.to_str().unwrap();
    let src = repo.path().to_str().unwrap();
    Run::of(
        repo.command("git", &["clone", "-q", src, dest_s], repo.path())
            .output()
            .unwrap(),
    )
    .assert_code(0);
    let fetch = [
        "fetch",
        "-q",
        "origin",
        "refs/notes/cargo-budget:refs/notes/cargo-budget",
    ];
    Run::of(repo.command("git", &fetch, &dest).output().unwrap()).assert_code(0);
    let theirs = Run::of(
        repo.command(
            bin().to_str().unwrap(),
            &["history", "--format", "json"],
            &dest,
        )
        .output()
        .unwrap(),
    );
    theirs.assert_code(0);
    assert_eq!(theirs.json(), history_json(&repo));

    // A note that is not a record: named by its commit and line, skipped, never a panic.
    repo.write("NEW", "x");
    repo.git(&["add", "NEW"]).assert_code(0);
    repo.git(&["commit", "-q", "-m", "next"]).assert_code(0);
    repo.git(&[
        "notes",
        "--ref",
        "cargo-budget",
        "add",
        "-m",
        "{not json",
        "HEAD",
    ])
    .assert_code(0);
    // A record that parses but holds what no run produces: range-checked, named, skipped.
    let absurd = r#"{"schema":1,"kind":"tests","timestamp":"2026-01-01T00:00:00Z","context":"ci","tiers":[],"tests":{"app::it":[["t",1e308,"p",99,1000,null]]}}"#;
    repo.git(&[
        "notes",
        "--ref",
        "cargo-budget",
        "append",
        "-m",
        absurd,
        "HEAD",
    ])
    .assert_code(0);
    let run = repo.budget(&["history"]);
    run.assert_code(0);
    let short = &repo.head()[..10];
    assert!(
        run.stderr
            .contains(&format!("the note on commit {short}, line 1:")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "the note on commit {short}, line 3: test `app::it t`: 1e308 ms is out of range (0 to 1e9 ms): skipped"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("2 test runs recorded"),
        "{}",
        run.stdout
    );
}

/// budget: integration
#[test]
fn trend_finds_drift_flakiness_and_headroom_over_ten_commits() {
    let repo = Repo::new("plain");
    for i in 0..10 {
        // 4 % slower per commit: +42 % over the ten, no step over +10 %.
        let growing = 0.300 * 1.04f64.powi(i);
        let flaky = if i % 2 == 0 { 0.200 } else { 0.600 };
        let xml = junit(&[(
            "app::it",
            vec![
                ("growing".into(), growing),
                ("stable".into(), 0.300 + 0.003 * f64::from(i % 3)),
                ("alternating".into(), flaky),
                ("unit_near".into(), 0.950 + 0.002 * f64::from(i % 2)),
            ],
        )]);
        commit_and_record(&repo, &xml, &format!("commit {i}"));
    }
    let run = repo.budget(&["trend", "--format", "json"]);
    run.assert_code(0);
    let json = run.json();
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().into(),
                f["name"].as_str().unwrap().into(),
            )
        })
        .collect();
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        found,
        [
            s("drift", "growing"),
            s("timing-flaky", "alternating"),
            s("near-budget", "unit_near")
        ],
        "{json}"
    );
    assert_eq!(json["commits"], 10);
    let human = repo.budget(&["trend", "growing"]);
    human.assert_code(0);
    assert!(
        human
            .stdout
            .contains("app::it growing (ms, oldest first): 300 312 324"),
        "{}",
        human.stdout
    );
    let table = repo.budget(&["history"]);
    assert!(
        table.stdout.contains("10 test runs recorded on 10 commits"),
        "{}",
        table.stdout
    );
}

/// budget: integration
#[test]
fn record_outside_a_repository_fails_before_running_anything() {
    let fx = Fixture::new("plain");
    let run = fx.run(&["report", "--mode", "dev", "--record"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("is not in a git repository"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("Starting"),
        "nextest ran: {}",
        run.stderr
    );
    assert!(!fx.path().join("target").exists(), "nothing was built");
}

/// The runs recorded on HEAD, read back with git itself (one line each).
fn notes_on_head(repo: &Repo) -> Vec<String> {
    let run = repo.git(&["notes", "--ref", "cargo-budget", "show", "HEAD"]);
    run.stdout.lines().map(str::to_string).collect()
}

/// budget: integration
#[test]
fn concurrent_records_to_one_repository_all_keep_their_runs() {
    const WRITERS: usize = 4;
    const ROUNDS: usize = 3;
    let repo = Repo::new("plain");
    repo.write("j.xml", &junit(&[("app::it", vec![("a".into(), 0.1)])]));
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                scope.spawn(|| {
                    (0..ROUNDS)
                        .map(|_| repo.budget(&RECORD))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    for run in &runs {
        run.assert_code(0);
    }
    let notes = notes_on_head(&repo);
    assert_eq!(notes.len(), WRITERS * ROUNDS, "runs lost");
    let history = history_json(&repo);
    assert_eq!(
        history["runs"].as_array().unwrap().len(),
        WRITERS * ROUNDS,
        "{history}"
    );
    // The notes ref is an ordinary notes history: git can append to it after us.
    repo.git(&[
        "notes",
        "--ref",
        "cargo-budget",
        "append",
        "-m",
        "{}",
        "HEAD",
    ])
    .assert_code(0);
    assert_eq!(notes_on_head(&repo).len(), WRITERS * ROUNDS + 2);
}

/// budget: integration
#[test]
fn a_record_that_fails_keeps_a_failing_verdicts_code_and_fails_a_passing_one() {
    let repo = Repo::new("plain");
    // A lock another writer never released: every try of the append meets it.
    let lock = repo.path().join(".git/refs/notes/cargo-budget.lock");
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    std::fs::write(&lock, "").unwrap();
    let over = junit(&[("app::it", vec![("slow".into(), 100.0)])]);
    let within = junit(&[("app::it", vec![("quick".into(), 0.1)])]);
    for (xml, code, warned) in [(&over, 3, true), (&within, 1, false)] {
        repo.write("j.xml", xml);
        let run = repo.budget(&[
            "report",
            "--from",
            "j.xml",
            "--mode",
            "ci",
            "--record",
            "--no-baseline",
        ]);
        run.assert_code(code);
        assert!(
            run.stderr.contains("gave up after 10 tries"),
            "{}",
            run.stderr
        );
        assert_eq!(
            run.stderr.contains("warning: this run was not recorded"),
            warned,
            "{}",
            run.stderr
        );
    }
    assert!(notes_on_head(&repo).is_empty());
}
