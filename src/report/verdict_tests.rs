//! What the verdicts of `policy::evaluate` say: each finding's sentence and each andon signal's
//! texts, with the decisions they explain, on the policy's fixture run.

use std::time::Duration;

use crate::config::Context;
use crate::model::{BinaryInfo, Outcome, Run, TestId};
use crate::policy::compare::Comparison;
use crate::policy::evaluate::fixture::{cfg, fixture_run, judge, kinds, ms, result};
use crate::policy::{
    AndonLevel, Classified, FindingKind, Inputs, Judgement, Severity, Status, classify, evaluate,
};

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
    assert_eq!(over.budget(), Some(Duration::from_secs(1)));
    assert!((over.overage().unwrap() - 0.5).abs() < 1e-9);
    assert_eq!(
        super::sentence(over, None),
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
fn andon_signals_suggest_actions() {
    let v = judge(&cfg(""), Context::Ci, &fixture_run());
    let texts: Vec<(AndonLevel, String, String)> = v
        .andon
        .iter()
        .map(|a| {
            let (signal, action) = super::andon::texts(a);
            (a.level, signal, action)
        })
        .collect();
    let signals: Vec<(AndonLevel, &str, &str)> = texts
        .iter()
        .map(|(l, s, a)| (*l, s.as_str(), a.as_str()))
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
            counts: None,
        },
        classified,
        run,
        Some(comparison),
    );
    let timeout = v
        .findings
        .iter()
        .find(|f| f.kind() == FindingKind::Timeout)
        .unwrap();
    assert_eq!(timeout.before(), Some(Duration::from_millis(41_250)));
    assert_eq!(
        super::sentence(timeout, None),
        "timed out: killed after 90.004s (the kill line is 3 × its e2e budget of 30s)"
    );
    let (_, action) = super::andon::texts(&v.andon[0]);
    assert!(action.contains("killed again means a hang"), "{action}");
    assert!(action.contains("slow, perhaps only under load"), "{action}");
    assert!(
        action
            .ends_with("`app::e2e hangs` passed in the baseline in 41.250s (its kill line is 90s)"),
        "{action}"
    );
    assert!(!action.contains("find the hang"), "{action}");
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
        super::sentence(&v.findings[2], v.comparison.as_ref()),
        "passed, but the report gives no duration for it: not judged against its unit budget of 1s"
    );
    assert_eq!(
        super::sentence(&v.findings[1], v.comparison.as_ref()),
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

/// A second metric needs no rule and no renderer of its own: a CPU-time budget on the unit
/// tier (and a wider one in an exception) is judged by the same over-budget rule, counted as a
/// violation of the tier, and rendered by the same sentence and JSON fields.
#[test]
fn a_second_metric_is_judged_by_the_same_rules() {
    use crate::model::{Amount, Metric};
    let mut config =
        cfg("[[exception]]\ntest = \"app::unit tolerated\"\nreason = \"spins on purpose\"\n");
    let cpu = |ms: u64| Amount::Time(Duration::from_millis(ms));
    for t in &mut config.tiers {
        if t.name == "unit" {
            t.limits.set(Metric::Cpu, cpu(1000));
        }
    }
    config.exceptions[0].limits.set(Metric::Cpu, cpu(4000));
    let with_cpu = |name: &str, wall: u64, cpu_ms: u64| {
        let mut r = result("app::unit", name, Outcome::Passed, wall);
        r.extra.set(Metric::Cpu, cpu(cpu_ms));
        r
    };
    let run = Run {
        results: vec![
            with_cpu("spins", 200, 1500),
            with_cpu("calm", 200, 100),
            with_cpu("tolerated", 200, 3000),
            // Over both budgets: one finding per metric.
            with_cpu("both", 1200, 2000),
        ],
        wall: Some(Duration::from_secs(2)),
        unmeasured: None,
        alone: Default::default(),
    };
    let v = judge(&config, Context::Ci, &run);
    let over: Vec<(String, Option<Metric>)> = v
        .findings
        .iter()
        .filter(|f| f.kind() == FindingKind::OverBudget)
        .map(|f| (f.test.as_ref().unwrap().name.clone(), f.metric()))
        .collect();
    // The largest overage first, whatever the metric.
    assert_eq!(
        over,
        [
            ("both".to_string(), Some(Metric::Cpu)),
            ("spins".to_string(), Some(Metric::Cpu)),
            ("both".to_string(), Some(Metric::Wall)),
        ]
    );
    let judged = |name: &str| {
        v.tests
            .iter()
            .find(|t| t.id.name == name)
            .unwrap()
            .judgement
    };
    assert_eq!(judged("spins"), Judgement::OverBudget);
    assert_eq!(judged("tolerated"), Judgement::Within);
    assert_eq!(judged("calm"), Judgement::Within);
    let unit = v.tiers.iter().find(|t| t.tier == "unit").unwrap();
    assert_eq!((unit.within, unit.violations), (2, 2));
    let spins = v
        .findings
        .iter()
        .find(|f| f.test.as_ref().is_some_and(|t| t.name == "spins"))
        .unwrap();
    assert_eq!(
        super::sentence(spins, None),
        "CPU time 1.500s, over its unit CPU time budget of 1s by 50.0%"
    );
    assert_eq!(spins.severity, Severity::Error);
    // Time metrics keep the JSON's duration and budget fields; the fingerprint names the metric.
    assert_eq!(spins.duration(), Some(Duration::from_millis(1500)));
    assert_eq!(spins.budget(), Some(Duration::from_secs(1)));
    let both: Vec<String> = v
        .findings
        .iter()
        .filter(|f| f.test.as_ref().is_some_and(|t| t.name == "both"))
        .map(|f| f.fingerprint())
        .collect();
    assert_eq!(both.len(), 2);
    assert_ne!(both[0], both[1]);
}

/// A test over its time budget in the suite run: its re-runs alone decide. Within the budget in
/// the fastest → the suite's load: info when within it in every re-run, else a warning, even where a violation fails; over it in every
/// one (or not re-run) → the violation stands. Either way it is counted as over in the run.
#[test]
fn an_overage_cleared_when_re_run_alone_is_a_warning_and_a_confirmed_one_an_error() {
    let table: Vec<(Vec<Duration>, Severity, &str)> = vec![
        (
            vec![],
            Severity::Error,
            "took 1.500s, over its unit budget of 1s by 50.0%",
        ),
        (
            ms(&[1400, 1600, 1450]),
            Severity::Error,
            "took 1.500s, over its unit budget of 1s by 50.0%; over it re-run alone too: 1.400s–1.600s over 3 runs",
        ),
        (
            ms(&[1400, 300]),
            Severity::Warning,
            "took 1.500s, over its unit budget of 1s by 50.0% in the suite run and in 1 of 2 re-runs alone, within it in the others: 0.300s–1.400s over 2 runs; near its budget on this machine: reported as a warning",
        ),
        (
            ms(&[1000]),
            Severity::Info,
            "took 1.500s, over its unit budget of 1s by 50.0% in the suite run, but within it in every re-run alone: 1.000s (1 run); the suite's load, not the test: a note, not a warning",
        ),
    ];
    for (alone, severity, sentence) in table {
        let mut run = fixture_run();
        run.alone
            .insert(TestId::new("app::unit", "slow::parse"), alone.clone());
        for context in [Context::Ci, Context::PreCommit] {
            let v = judge(&cfg(""), context, &run);
            let over = v
                .findings
                .iter()
                .find(|f| f.kind() == FindingKind::OverBudget)
                .unwrap();
            assert_eq!(over.severity, severity, "{alone:?}");
            assert_eq!(over.alone(), &alone[..]);
            assert_eq!(super::sentence(over, None), sentence);
            let unit = v.tiers.iter().find(|t| t.tier == "unit").unwrap();
            assert_eq!(unit.violations, 1, "over in the run all the same");
        }
        // In dev a violation is a warning already: never raised.
        let dev = judge(&cfg(""), Context::Dev, &run);
        assert_eq!(dev.findings[0].severity, Severity::Warning);
    }
}

/// A killed test is re-run alone too: passing within its budget there clears the kill (a
/// warning); passing over it, or no passing re-run, leaves the timeout an error.
#[test]
fn a_kill_cleared_when_re_run_alone_is_a_warning() {
    let table: Vec<(Vec<Duration>, Severity, &str)> = vec![
        (vec![], Severity::Error, ""),
        (
            ms(&[250]),
            Severity::Warning,
            " in the suite run, but passed within its budget in every re-run alone: 0.250s (1 run); the suite's load, not the test: reported as a warning",
        ),
        (
            ms(&[45_000, 41_000, 47_000]),
            Severity::Error,
            "; re-run alone it passed, over its budget: 41.000s–47.000s over 3 runs",
        ),
    ];
    for (alone, severity, tail) in table {
        let mut run = fixture_run();
        run.alone
            .insert(TestId::new("app::e2e", "hangs"), alone.clone());
        let v = judge(&cfg(""), Context::Ci, &run);
        let killed = v
            .findings
            .iter()
            .find(|f| f.kind() == FindingKind::Timeout)
            .unwrap();
        assert_eq!(killed.severity, severity, "{alone:?}");
        assert_eq!(killed.alone(), &alone[..]);
        let sentence = super::sentence(killed, None);
        assert!(
            sentence.starts_with(
                "timed out: killed after 90.004s (the kill line is 3 × its e2e budget of 30s)"
            ) && sentence.ends_with(tail),
            "{sentence}"
        );
    }
}
