use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use super::*;
use crate::config::{self, Context};
use crate::model::{BinaryInfo, TestResult};
use crate::policy::classify;

fn cfg(text: &str) -> Config {
    config::parse(text, Path::new("budget.toml"))
        .unwrap()
        .config
}

fn result(binary: &str, name: &str, outcome: Outcome, ms: u64) -> TestResult {
    TestResult {
        id: TestId::new(binary, name),
        outcome,
        duration: Some(Duration::from_millis(ms)),
        attempts: 1,
        message: None,
    }
}

fn fixture_run() -> Run {
    Run {
        results: vec![
            result("app::unit", "fast::adds", Outcome::Passed, 5),
            result("app::unit", "slow::parse", Outcome::Passed, 1500),
            result("app::unit", "flaky::retry", Outcome::Flaky, 20),
            result("app::integration", "api", Outcome::Passed, 9000),
            result("app::e2e", "hangs", Outcome::TimedOut, 90_004),
            result("app::integration", "skipped", Outcome::Skipped, 0),
            result("core", "tests::exact_budget", Outcome::Passed, 1000),
        ],
        wall: Some(Duration::from_secs(95)),
    }
}

fn judge(config: &Config, context: Context, run: &Run) -> Verdict {
    let classified: Vec<Classified> = run
        .results
        .iter()
        .map(|r| {
            let binary = BinaryInfo::from_binary_id(&r.id.binary_id);
            Classified {
                id: r.id.clone(),
                placement: classify(config, &binary, &r.id, None).unwrap(),
                location: None,
            }
        })
        .collect();
    let known: HashSet<TestId> = run.results.iter().map(|r| r.id.clone()).collect();
    evaluate(
        &Inputs {
            config,
            context,
            today: "2026-11-22".parse().unwrap(),
            known: Some(&known),
        },
        classified,
        run.clone(),
        None,
    )
}

fn kinds(v: &Verdict) -> Vec<(&str, &str, Severity)> {
    v.findings
        .iter()
        .map(|f| {
            (
                f.kind.as_str(),
                f.test.as_ref().map_or("", |t| t.name.as_str()),
                f.severity,
            )
        })
        .collect()
}

#[test]
fn findings_for_each_outcome() {
    let v = judge(&cfg(""), Context::Ci, &fixture_run());
    assert_eq!(
        kinds(&v),
        [
            ("over-budget", "slow::parse", Severity::Error),
            ("timeout", "hangs", Severity::Error),
        ]
    );
    let over = &v.findings[0];
    assert_eq!(over.budget, Some(Duration::from_secs(1)));
    assert!((over.overage.unwrap() - 0.5).abs() < 1e-9);
    assert_eq!(
        over.message,
        "took 1.500s, over its unit budget of 1s by 50.0%"
    );
    assert_eq!(v.status, Status::Violations);
    // A test exactly at its budget is within it; flaky passes are judged on their passing run.
    let exact = v
        .tests
        .iter()
        .find(|t| t.id.name == "tests::exact_budget")
        .unwrap();
    assert_eq!(exact.judgement, Judgement::Within);
    let flaky = v
        .tests
        .iter()
        .find(|t| t.id.name == "flaky::retry")
        .unwrap();
    assert_eq!(
        (flaky.outcome, flaky.judgement),
        (Outcome::Flaky, Judgement::Within)
    );
}

#[test]
fn phase_and_context_table() {
    use Severity::*;
    let table = [
        ("", Context::Ci, Error, Status::Violations),
        ("", Context::Release, Error, Status::Violations),
        ("", Context::PreCommit, Error, Status::Violations),
        ("", Context::Dev, Warning, Status::Pass),
        ("phase = \"warn\"", Context::Ci, Warning, Status::Pass),
        ("phase = \"warn\"", Context::Dev, Warning, Status::Pass),
        ("phase = \"measure\"", Context::Ci, Info, Status::Pass),
        ("phase = \"measure\"", Context::Dev, Info, Status::Pass),
        (
            "[enforce]\nci = \"warn\"",
            Context::Ci,
            Warning,
            Status::Pass,
        ),
        (
            "[enforce]\ndev = \"strict\"",
            Context::Dev,
            Error,
            Status::Violations,
        ),
    ];
    for (text, context, severity, status) in table {
        let v = judge(&cfg(text), context, &fixture_run());
        assert_eq!(
            v.findings.len(),
            2,
            "{text} {context}: findings are listed in every phase"
        );
        assert!(
            v.findings.iter().all(|f| f.severity == severity),
            "{text} {context}"
        );
        assert_eq!(v.status, status, "{text} {context}");
    }
}

#[test]
fn failed_test_wins_over_violations_in_every_phase() {
    let mut run = fixture_run();
    run.results
        .push(result("app::integration", "broken", Outcome::Failed, 30));
    for text in ["", "phase = \"warn\"", "phase = \"measure\""] {
        let v = judge(&cfg(text), Context::Ci, &run);
        assert_eq!(v.status, Status::TestsFailed, "{text}");
        assert!(
            v.findings
                .iter()
                .any(|f| f.kind == FindingKind::TestFailed && f.severity == Severity::Error)
        );
    }
}

#[test]
fn tier_summaries_count_ran_tests() {
    let v = judge(&cfg(""), Context::Ci, &fixture_run());
    let unit = v.tiers.iter().find(|t| t.tier == "unit").unwrap();
    assert_eq!((unit.tests, unit.within, unit.violations), (4, 3, 1));
    assert!((unit.violation_rate() - 0.25).abs() < 1e-9);
    let (slowest, d, _) = unit.slowest.clone().unwrap();
    assert_eq!(
        (slowest.name.as_str(), d),
        ("slow::parse", Duration::from_millis(1500))
    );
    let integration = v.tiers.iter().find(|t| t.tier == "integration").unwrap();
    assert_eq!(
        (integration.tests, integration.violations),
        (1, 0),
        "skipped tests are not counted"
    );
}

#[test]
fn suite_budget_and_exceptions() {
    let config = cfg("[suite]\nbudget = \"90s\"\n\
         [[exception]]\ntest = \"app::unit slow::parse\"\nbudget = \"2s\"\nexpires = \"2027-01-01\"\n\
         [[exception]]\ntest = \"app::integration api\"\nbudget = \"20s\"\nexpires = \"2026-11-21\"\n\
         [[exception]]\ntest = \"app::unit gone\"\nbudget = \"2s\"\n");
    let v = judge(&config, Context::Ci, &fixture_run());
    assert_eq!(
        kinds(&v),
        [
            ("timeout", "hangs", Severity::Error),
            ("suite-over-budget", "", Severity::Error),
            ("exception-expired", "api", Severity::Error),
            ("exception-stale", "gone", Severity::Warning),
        ]
    );
    // The exception's budget applied: 1.5 s is within 2 s.
    let slow = v.tests.iter().find(|t| t.id.name == "slow::parse").unwrap();
    assert_eq!(slow.judgement, Judgement::Within);
    assert_eq!(slow.placement.exception_line, Some(3));
}

#[test]
fn andon_signals_suggest_actions() {
    let v = judge(&cfg(""), Context::Ci, &fixture_run());
    let signals: Vec<(AndonLevel, &str, &str)> = v
        .andon
        .iter()
        .map(|a| (a.level, a.signal.as_str(), a.action.as_str()))
        .collect();
    assert_eq!(
        signals,
        [
            (
                AndonLevel::High,
                "1 test killed at 3 × their budget",
                "rerun each alone: killed again means a hang (deadlock, network wait, unbounded loop); finishing means it is slow, perhaps only under load: compare its time with its budget; no baseline shows it passing before"
            ),
            (
                AndonLevel::High,
                "unit: 1 of 4 tests over the 1s budget (25.0%)",
                "optimise the slow tests or reclassify them as integration (cargo budget reclassify)"
            ),
        ]
    );
    let v = judge(&cfg("phase = \"warn\""), Context::Ci, &fixture_run());
    assert!(v.andon.iter().all(|a| a.level == AndonLevel::Medium));
}

/// A killed test is not simply told to find a hang: a test slow enough under load reaches the
/// kill line too. What the baseline knows of it is said.
#[test]
fn killed_tests_get_both_explanations_and_their_baseline() {
    let config = cfg("");
    let run = fixture_run();
    let classified: Vec<Classified> = run
        .results
        .iter()
        .map(|r| Classified {
            id: r.id.clone(),
            placement: classify(
                &config,
                &BinaryInfo::from_binary_id(&r.id.binary_id),
                &r.id,
                None,
            )
            .unwrap(),
            location: None,
        })
        .collect();
    let hangs = TestId::new("app::e2e", "hangs");
    let comparison = Comparison {
        passed_before: [(hangs.clone(), Duration::from_millis(41_250))].into(),
        ..Comparison::default()
    };
    let v = evaluate(
        &Inputs {
            config: &config,
            context: Context::Ci,
            today: "2026-11-22".parse().unwrap(),
            known: None,
        },
        classified,
        run,
        Some(comparison),
    );
    let timeout = v
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Timeout)
        .unwrap();
    assert_eq!(timeout.before, Some(Duration::from_millis(41_250)));
    assert_eq!(
        timeout.message,
        "timed out: killed after 90.004s (the kill line is 3 × its e2e budget of 30s)"
    );
    let action = &v.andon[0].action;
    assert!(action.contains("killed again means a hang"), "{action}");
    assert!(action.contains("slow, perhaps only under load"), "{action}");
    assert!(
        action.ends_with(
            "`app::e2e hangs` passed in the baseline in 41.250s (its kill line is 1m 30s)"
        ),
        "{action}"
    );
    assert!(!action.contains("find the hang"), "{action}");
}

/// Failed tests are counted (in `tests` and `failed`), never as within budget, and never the
/// slowest: that is the slowest test that passed.
#[test]
fn failed_tests_have_their_own_count_and_are_never_the_slowest() {
    let run = Run {
        results: vec![
            result("app::unit", "fast::adds", Outcome::Passed, 5),
            result("app::unit", "slow::parse", Outcome::Passed, 1500),
            result("app::unit", "broken", Outcome::Failed, 2500),
            result("app::unit", "stuck", Outcome::TimedOut, 3000),
        ],
        wall: None,
    };
    let v = judge(&cfg(""), Context::Ci, &run);
    let unit = v.tiers.iter().find(|t| t.tier == "unit").unwrap();
    assert_eq!(
        (unit.tests, unit.within, unit.violations, unit.failed),
        (4, 1, 2, 1)
    );
    assert_eq!(unit.tests, unit.within + unit.violations + unit.failed);
    assert!(
        (unit.violation_rate() - 2.0 / 3.0).abs() < 1e-9,
        "over the judged tests"
    );
    assert_eq!(unit.slowest.as_ref().unwrap().0.name, "slow::parse");
}

#[test]
fn a_test_without_a_duration_is_not_judged() {
    let mut run = fixture_run();
    for r in &mut run.results {
        if ["fast::adds", "hangs", "flaky::retry"].contains(&r.id.name.as_str()) {
            r.duration = None;
        }
    }
    let v = judge(&cfg(""), Context::Ci, &run);
    let judged = |name: &str| {
        let t = v.tests.iter().find(|t| t.id.name == name).unwrap();
        (t.judgement, t.duration)
    };
    assert_eq!(judged("fast::adds"), (Judgement::NoDuration, None));
    assert_eq!(judged("flaky::retry"), (Judgement::NoDuration, None));
    // A kill is a kill, with or without a duration.
    assert_eq!(judged("hangs"), (Judgement::Timeout, None));
    assert_eq!(
        kinds(&v),
        [
            ("over-budget", "slow::parse", Severity::Error),
            ("timeout", "hangs", Severity::Error),
            ("no-duration", "fast::adds", Severity::Warning),
            ("no-duration", "flaky::retry", Severity::Warning),
        ]
    );
    assert_eq!(
        v.findings[2].message,
        "passed, but the report gives no duration for it: not judged against its unit budget of 1s"
    );
    assert_eq!(
        v.findings[1].message,
        "timed out: killed (the kill line is 3 × its e2e budget of 30s)"
    );
    // Counted as run, neither within nor over; never the slowest.
    let unit = v.tiers.iter().find(|t| t.tier == "unit").unwrap();
    assert_eq!((unit.tests, unit.within, unit.violations), (4, 1, 1));
    assert_eq!(
        unit.slowest.as_ref().map(|s| s.0.name.as_str()),
        Some("slow::parse")
    );
}
