//! What a judgement is, apart from how it is made: the verdict (of a test run or a bench run),
//! its findings, severities and status, per-tier summaries and andon signals. `evaluate`, `enforce`, `andon` and every
//! renderer depend on this module; it depends on none of them.

use std::path::PathBuf;
use std::time::Duration;

use super::classify::Placement;
use super::compare::Comparison;
use crate::config::Context;
use crate::model::{Outcome, TestId};

pub mod bench;
mod finding;
mod kind;
pub use finding::{Change, Finding, Payload, cleared, sort};
pub use kind::FindingKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Recorded and reported only.
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The verdict's outcome, from which the exit code follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    /// At least one error-level budget finding.
    Violations,
    /// At least one test failed (not a budget matter); wins over violations.
    TestsFailed,
}

impl Status {
    /// The status `findings` give, for a test run or a bench run alike: a failure (a test, a
    /// bench target) wins, then any error-level finding.
    pub fn of(findings: &[Finding]) -> Status {
        if findings.iter().any(|f| f.kind().is_failure()) {
            Status::TestsFailed
        } else if findings.iter().any(|f| f.severity == Severity::Error) {
            Status::Violations
        } else {
            Status::Pass
        }
    }
}

/// A test with its placement and (optional) source location, ready to be judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    pub id: TestId,
    pub placement: Placement,
    pub location: Option<(PathBuf, usize)>,
}

/// Whether a judged test stayed within its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judgement {
    Within,
    OverBudget,
    Timeout,
    Failed,
    Skipped,
    /// Passed without a duration: neither within its budget nor over it.
    NoDuration,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub id: TestId,
    pub placement: Placement,
    pub location: Option<(PathBuf, usize)>,
    pub outcome: Outcome,
    /// `None` when the report gave no duration.
    pub duration: Option<Duration>,
    pub attempts: u32,
    pub judgement: Judgement,
    /// Peak memory and CPU time, when measured.
    pub extra: crate::model::Metrics,
}

/// One tier's tests: `tests` = `within` + `violations` + `failed`. A failed test is counted
/// only as failed: budgets are judged on tests that did not fail.
#[derive(Clone, Debug, PartialEq)]
pub struct TierSummary {
    pub tier: String,
    pub budget: Duration,
    /// Tests that ran (passed, flaky, failed or timed out).
    pub tests: usize,
    pub within: usize,
    /// Over budget or timed out.
    pub violations: usize,
    /// Failed for a reason other than the budget.
    pub failed: usize,
    /// The slowest test that passed: id, duration, overage over its budget (negative when
    /// within).
    pub slowest: Option<(TestId, Duration, f64)>,
    /// The largest peak memory among its tests, when memory was measured.
    pub peak: Option<(TestId, u64)>,
}

impl TierSummary {
    /// Tests judged against the budget: every test that ran and did not fail.
    pub fn judged(&self) -> usize {
        self.tests - self.failed
    }

    /// Violations among the tests judged against the budget.
    pub fn violation_rate(&self) -> f64 {
        if self.judged() == 0 {
            0.0
        } else {
            self.violations as f64 / self.judged() as f64
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AndonLevel {
    Medium,
    High,
}

/// A signal for dashboards: what is wrong (the renderers say it, with what to do about it).
#[derive(Clone, Debug, PartialEq)]
pub struct Andon {
    pub level: AndonLevel,
    pub signal: Signal,
}

/// What an andon signal is about, with its numbers.
#[derive(Clone, Debug, PartialEq)]
pub enum Signal {
    TestsFailed {
        count: usize,
    },
    /// Killed at `kill_after` × their budget; `passed_before`: one that passed in the baseline,
    /// and how many did.
    TestsKilled {
        count: usize,
        kill_after: u32,
        passed_before: Option<(KilledBefore, usize)>,
    },
    /// Tests of a tier over its budget; `next_tier`: the slower tier they could move to.
    TierOver {
        tier: String,
        violations: usize,
        judged: usize,
        budget: Duration,
        rate: f64,
        next_tier: Option<String>,
    },
    /// Tests slower than the baseline (wall time).
    Slower {
        count: usize,
    },
    /// Tests whose peak memory or instruction count grew beyond the baseline's.
    Grew {
        count: usize,
    },
    SuiteSlower,
    SuiteOverBudget,
    ExceptionsExpired {
        count: usize,
    },
    ExceptionsStale {
        count: usize,
    },
}

/// A killed test that passed in the baseline: its baseline time and its kill line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KilledBefore {
    pub test: TestId,
    pub before: Duration,
    pub kill_line: Duration,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub context: Context,
    pub phase: crate::config::Phase,
    pub tests: Vec<Judged>,
    pub tiers: Vec<TierSummary>,
    pub findings: Vec<Finding>,
    pub andon: Vec<Andon>,
    pub wall: Option<Duration>,
    pub suite_budget: Duration,
    pub status: Status,
    pub comparison: Option<Comparison>,
    /// A bench run's benchmarks and their comparison (`None` for a test run, whose `tests`,
    /// `tiers` and `andon` a bench run leaves empty).
    pub benches: Option<bench::BenchEvidence>,
}

/// (duration − budget) / budget.
pub fn overage(duration: Duration, budget: Duration) -> f64 {
    (duration.as_secs_f64() - budget.as_secs_f64()) / budget.as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::bench::BenchSubject;
    use super::*;

    #[test]
    fn a_failure_wins_then_an_error_for_tests_and_benches_alike() {
        let failed_test = Finding::new(
            Severity::Error,
            Payload::TestFailed {
                message: None,
                duration: None,
                budget: Duration::from_secs(1),
            },
        );
        let target = || BenchSubject::Target("fx::bench/b".into());
        let reason = String::from("`cargo bench` exited with status 101");
        let failed_target =
            Finding::of_bench(Severity::Error, target(), Payload::BenchFailed { reason });
        let unmeasured = |severity| {
            let reason = String::from("no results");
            Finding::of_bench(severity, target(), Payload::BenchNotMeasured { reason })
        };
        let table = [
            (vec![], Status::Pass),
            (vec![unmeasured(Severity::Warning)], Status::Pass),
            (vec![unmeasured(Severity::Error)], Status::Violations),
            (
                vec![unmeasured(Severity::Error), failed_test],
                Status::TestsFailed,
            ),
            (
                vec![unmeasured(Severity::Error), failed_target],
                Status::TestsFailed,
            ),
        ];
        for (findings, want) in table {
            assert_eq!(Status::of(&findings), want, "{findings:?}");
        }
    }
}
