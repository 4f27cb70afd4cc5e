//! Snapshots of every format on fixed input: the real nextest JUnit sample with retries, a
//! flaky test, a failure and a timeout, plus one hostile test name.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::collect::classify::all as classify_all;
use crate::config::{self, Context};
use crate::model::SourceTest;
use crate::model::{Outcome, TestId, TestResult};
use crate::nextest::junit;
use crate::policy::compare::{self, Comparison};
use crate::policy::{self, Inputs};
use crate::sources::SourceIndex;

fn verdict(text: &str) -> Verdict {
    judged(text, &[], None)
}

fn passed(binary: &str, name: &str, ms: u64) -> TestResult {
    TestResult {
        id: TestId::new(binary, name),
        outcome: Outcome::Passed,
        duration: Some(Duration::from_millis(ms)),
        attempts: 1,
        message: None,
        extra: Default::default(),
    }
}

/// Makes a comparison for a run under a config.
type MakeComparison<'a> = &'a dyn Fn(&crate::model::Run, &config::Config) -> Comparison;

/// The sample run (plus `extra` results), judged under `text`, with a comparison when the
/// closure makes one from the run.
fn judged(text: &str, extra: &[TestResult], compare: Option<MakeComparison<'_>>) -> Verdict {
    let config = config::parse(text, Path::new("budget.toml"))
        .unwrap()
        .config;
    let xml = include_str!("../../tests/data/junit-ci-retries2.xml");
    let mut run = junit::parse(xml, Path::new("junit.xml")).unwrap();
    run.results.push(TestResult {
        id: TestId::new("app::unit", "weird::pipe|and,colon:\"q\"`<x>`"),
        outcome: Outcome::Passed,
        duration: Some(Duration::from_millis(1250)),
        attempts: 1,
        message: None,
        extra: Default::default(),
    });
    run.results.extend(extra.iter().cloned());
    let comparison = compare.map(|f| f(&run, &config));
    let mut sources = SourceIndex::default();
    sources.insert(
        TestId::new("app::unit", "slow::sleeps_3s"),
        SourceTest {
            file: PathBuf::from("app/tests/unit/slow.rs"),
            line: 4,
            marker: None,
            framework: None,
        },
    );
    let ids: Vec<&TestId> = run.results.iter().map(|r| &r.id).collect();
    let classified = classify_all(&config, ids, &[], &sources).unwrap();
    policy::evaluate(
        &Inputs {
            config: &config,
            context: Context::Ci,
            today: "2026-11-22".parse().unwrap(),
            known: None,
            counts: None,
        },
        classified,
        run,
        comparison,
    )
}

/// A comparison with one of each call: a regression confirmed by its re-runs alone, one held at
/// warn level by them, a noisy test, one slower only in the suite run, one faster; twenty
/// steady tests (not in the run) keep the suite factor at 1.
fn compared() -> Verdict {
    let extra = [
        passed("app::integration", "cache::warms", 400),
        passed("app::integration", "index::rebuild", 260),
        passed("app::integration", "api::lists", 100),
    ];
    let make = |run: &crate::model::Run, config: &config::Config| {
        let ms = |v: &[u64]| {
            crate::policy::noise::Spread::of(v.iter().map(|&m| Duration::from_millis(m)).collect())
        };
        let mut baseline = Vec::new();
        for (binary, name, runs) in [
            ("app::unit", "slow::sleeps_3s", &[2300u64, 2310, 2320][..]),
            (
                "app::unit",
                "weird::pipe|and,colon:\"q\"`<x>`",
                &[300, 500, 600],
            ),
            ("app::integration", "cache::warms", &[200, 201, 205]),
            ("app::integration", "index::rebuild", &[198, 200, 202]),
            ("app::integration", "api::lists", &[200, 202, 210]),
            ("app::e2e", "e2e_quick", &[9, 10, 10]),
        ] {
            baseline.push((TestId::new(binary, name), ms(runs)));
        }
        let steady: Vec<TestId> = (0..20)
            .map(|i| TestId::new("app::integration", format!("steady_{i:02}")))
            .collect();
        for id in &steady {
            baseline.push((id.clone(), ms(&[99, 100, 101])));
        }
        let mut current: Vec<compare::Current> = run
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Passed)
            .map(|r| compare::Current {
                id: &r.id,
                runs: compare::Runs::One(r.duration.unwrap()),
                thresholds: &config.regression,
            })
            .collect();
        current.extend(steady.iter().map(|id| compare::Current {
            id,
            runs: compare::Runs::One(Duration::from_millis(100)),
            thresholds: &config.regression,
        }));
        let mut c = compare::compare(compare::Inputs {
            baseline: baseline.into_iter().collect(),
            current,
            not_passed: run
                .results
                .iter()
                .filter(|r| r.outcome != Outcome::Passed && r.outcome != Outcome::Skipped)
                .map(|r| &r.id)
                .collect(),
            existing: None,
            thresholds: config.regression,
            differences: Vec::new(),
            baseline_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            baseline_created: "2026-11-20T08:00:00Z".into(),
            peaks: Default::default(),
            cpu_ms: Default::default(),
            counts: Default::default(),
        });
        assert_eq!(c.to_confirm(50).len(), 4, "the noisy one is re-run too");
        let d = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        let times = [
            (
                TestId::new("app::unit", "slow::sleeps_3s"),
                d(&[3001, 3005, 3003]),
            ),
            (
                TestId::new("app::integration", "cache::warms"),
                d(&[199, 204, 202]),
            ),
            (
                TestId::new("app::integration", "index::rebuild"),
                d(&[232, 235, 238]),
            ),
            (
                TestId::new("app::unit", "weird::pipe|and,colon:\"q\"`<x>`"),
                d(&[1240, 1255, 1250]),
            ),
        ]
        .into();
        c.confirm(&times, 3);
        c
    };
    judged("", &extra, Some(&make))
}

fn rendered(format: Format, v: &Verdict) -> String {
    let meta = Meta {
        nextest_version: Some("cargo-nextest 0.9.143 (60fa45f63 2026-08-04)".into()),
        reproduce: Some(
            "cargo nextest run -E '(binary_id(=app::unit) & test(=slow::sleeps_3s))'".into(),
        ),
        exit_code: crate::exit::for_status(v.status),
        junit_files: vec!["junit.xml".into()],
        list_tests: format == Format::Human,
        roots: None,
        property_env: Vec::new(),
        width: None,
    };
    let mut out = Vec::new();
    render(format, v, &meta, &mut out).unwrap();
    let mut plain = Vec::new();
    std::io::Write::write_all(&mut anstream::StripStream::new(&mut plain), &out).unwrap();
    String::from_utf8(plain).unwrap()
}

#[test]
fn sample_verdict_outcomes() {
    let v = verdict("");
    let outcome = |name: &str| v.tests.iter().find(|t| t.id.name == name).unwrap().outcome;
    assert_eq!(outcome("flaky_fails_first_then_passes"), Outcome::Flaky);
    assert_eq!(outcome("panics"), Outcome::Failed);
    assert_eq!(outcome("loops_forever"), Outcome::TimedOut);
    assert_eq!(v.status, crate::policy::Status::TestsFailed);
}

#[test]
fn human() {
    insta::assert_snapshot!(rendered(Format::Human, &verdict("")));
}

#[test]
fn json() {
    let text = rendered(Format::Json, &verdict(""));
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["schema_version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(Format::Markdown, &verdict("")));
}

#[test]
fn github() {
    insta::assert_snapshot!(rendered(Format::Github, &verdict("")));
}

#[test]
fn openmetrics() {
    insta::assert_snapshot!(rendered(Format::Openmetrics, &verdict("")));
}

#[test]
fn comparison_human() {
    insta::assert_snapshot!(rendered(Format::Human, &compared()));
}

#[test]
fn comparison_markdown() {
    insta::assert_snapshot!(rendered(Format::Markdown, &compared()));
}

#[test]
fn comparison_json() {
    let text = rendered(Format::Json, &compared());
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&parsed["comparison"]).unwrap());
}

#[test]
fn human_warn_phase() {
    insta::assert_snapshot!(rendered(Format::Human, &verdict("phase = \"warn\"")));
}

/// On a terminal, finding details wrap to its width, aligned under the subject; without one
/// (a pipe, a file) they stay whole lines.
#[test]
fn human_details_wrap_to_the_terminal_width() {
    let v = verdict("");
    let render_at = |width: Option<usize>| {
        let meta = Meta {
            exit_code: crate::exit::for_status(v.status),
            width,
            ..Meta::default()
        };
        let mut out = Vec::new();
        render(Format::Human, &v, &meta, &mut out).unwrap();
        let mut plain = Vec::new();
        std::io::Write::write_all(&mut anstream::StripStream::new(&mut plain), &out).unwrap();
        String::from_utf8(plain).unwrap()
    };
    let whole = render_at(None);
    let wrapped = render_at(Some(60));
    let details = |text: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| !l.starts_with("Findings"))
            .filter(|l| l.starts_with("          "))
            .map(str::to_string)
            .collect()
    };
    assert!(details(&whole).iter().any(|l| l.chars().count() > 60));
    let narrow = details(&wrapped);
    assert!(narrow.len() > details(&whole).len(), "{wrapped}");
    for line in &narrow {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    // The same words, only broken differently.
    let words = |lines: Vec<String>| {
        lines
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(words(details(&whole)), words(narrow));
}
