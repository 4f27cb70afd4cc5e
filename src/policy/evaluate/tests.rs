//! Evaluation's rules on the fixture run. What the verdicts say (finding sentences, andon
//! texts) is tested with the renderers: `report::verdict_tests`.

use std::time::Duration;

use super::fixture::{cfg, fixture_run, judge, kinds, result};
use super::*;
use crate::config::Context;

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
                .any(|f| f.kind() == FindingKind::TestFailed && f.severity == Severity::Error)
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
        unmeasured: None,
        alone: Default::default(),
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

/// A fingerprint depends on what a finding is about, never on its numbers.
#[test]
fn fingerprints_are_stable_across_runs() {
    let config = cfg("");
    let slow = |ms| Run {
        results: vec![result("app::unit", "slow::parse", Outcome::Passed, ms)],
        wall: None,
        unmeasured: None,
        alone: Default::default(),
    };
    let a = judge(&config, Context::Ci, &slow(1500));
    let b = judge(&config, Context::Ci, &slow(2500));
    assert_eq!(a.findings[0].fingerprint(), b.findings[0].fingerprint());
    assert_eq!(a.findings[0].fingerprint().len(), 16);
    let other = Run {
        results: vec![result("app::unit", "slow::other", Outcome::Passed, 1500)],
        wall: None,
        unmeasured: None,
        alone: Default::default(),
    };
    let c = judge(&config, Context::Ci, &other);
    assert_ne!(a.findings[0].fingerprint(), c.findings[0].fingerprint());
}
