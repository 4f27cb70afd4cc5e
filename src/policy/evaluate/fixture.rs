//! A fixed run (a slow unit test, a flaky one, a kill, a skip, one exactly at its budget) and
//! the helpers that judge it, for the tests of evaluation and for the renderers' tests of what
//! its verdicts say (`report::verdict_tests`).

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use super::{Inputs, evaluate};
use crate::config::{self, Config, Context};
use crate::model::{BinaryInfo, Outcome, Run, TestId, TestResult};
use crate::policy::classify;
use crate::policy::verdict::{Classified, Severity, Verdict};

pub(crate) fn cfg(text: &str) -> Config {
    config::parse(text, Path::new("budget.toml"))
        .unwrap()
        .config
}

pub(crate) fn result(binary: &str, name: &str, outcome: Outcome, ms: u64) -> TestResult {
    TestResult {
        id: TestId::new(binary, name),
        outcome,
        duration: Some(Duration::from_millis(ms)),
        attempts: 1,
        message: None,
        extra: Default::default(),
    }
}

pub(crate) fn fixture_run() -> Run {
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
        unmeasured: None,
        alone: Default::default(),
    }
}

pub(crate) fn judge(config: &Config, context: Context, run: &Run) -> Verdict {
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
            counts: None,
        },
        classified,
        run.clone(),
        None,
    )
}

pub(crate) fn kinds(v: &Verdict) -> Vec<(&str, &str, Severity)> {
    v.findings
        .iter()
        .map(|f| {
            (
                f.kind().as_str(),
                f.test.as_ref().map_or("", |t| t.name.as_str()),
                f.severity,
            )
        })
        .collect()
}

pub(crate) fn ms(n: &[u64]) -> Vec<Duration> {
    n.iter().map(|&n| Duration::from_millis(n)).collect()
}
