//! A finding: what a rule found, with the numbers of its kind (its payload), the test and
//! place it concerns, and a stable fingerprint. Sentences are the renderers' job.

use std::path::PathBuf;
use std::time::Duration;

use jiff::civil::Date;
use sha2::{Digest, Sha256};

use super::Severity;
use crate::model::{Amount, Metric, Outcome, TestId};
use crate::policy::classify::Rule;
use crate::policy::compare::Delta;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    OverBudget,
    /// Peak memory over its budget (an `OverBudget` payload for the memory metric).
    OverMemory,
    /// Tests have memory budgets, but memory was not measured in this run.
    MemoryNotMeasured,
    Timeout,
    SuiteOverBudget,
    ExceptionExpired,
    ExceptionStale,
    TestFailed,
    Regression,
    /// The typical test is slower than in the baseline: the machine or the whole suite.
    SuiteSlower,
    /// Passed, but the report gives no duration for it: it cannot be judged.
    NoDuration,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::OverBudget => "over-budget",
            FindingKind::OverMemory => "over-memory",
            FindingKind::MemoryNotMeasured => "memory-not-measured",
            FindingKind::Timeout => "timeout",
            FindingKind::SuiteOverBudget => "suite-over-budget",
            FindingKind::ExceptionExpired => "exception-expired",
            FindingKind::ExceptionStale => "exception-stale",
            FindingKind::TestFailed => "test-failed",
            FindingKind::Regression => "regression",
            FindingKind::SuiteSlower => "suite-slower",
            FindingKind::NoDuration => "no-duration",
        }
    }

    /// Counts as a budget violation of its tier.
    pub fn is_test_violation(self) -> bool {
        matches!(
            self,
            FindingKind::OverBudget | FindingKind::OverMemory | FindingKind::Timeout
        )
    }
}

/// A time overage the passing re-runs alone cleared: the fastest of them was within the
/// budget; for a `killed` test, every one of them was (a kill may be an intermittent hang).
pub fn cleared(killed: bool, budget: Duration, alone: &[Duration]) -> bool {
    match killed {
        false => alone.iter().min().is_some_and(|fastest| *fastest <= budget),
        true => !alone.is_empty() && alone.iter().all(|took| *took <= budget),
    }
}

/// What a finding measured, per kind. `exception`: the budget is an `[[exception]]`'s, not the
/// tier's.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// A metric over its budget.
    OverBudget {
        metric: Metric,
        measured: Amount,
        budget: Amount,
        exception: bool,
        /// Wall times of the test re-run alone after the run (empty: not re-run).
        alone: Vec<Duration>,
    },
    /// Killed at the kill line (`kill_after` × the budget); `passed_before`: its baseline time,
    /// when it passed in the baseline.
    Timeout {
        after: Option<Duration>,
        budget: Duration,
        kill_after: u32,
        exception: bool,
        passed_before: Option<Duration>,
        /// Wall times of the passing re-runs alone after the run (empty: not re-run, or it
        /// did not pass one).
        alone: Vec<Duration>,
    },
    TestFailed {
        message: Option<String>,
        duration: Option<Duration>,
        budget: Duration,
    },
    /// Passed, but the report gives no duration for it.
    NoDuration {
        outcome: Outcome,
        budget: Duration,
        exception: bool,
    },
    SuiteOverBudget {
        wall: Duration,
        budget: Duration,
    },
    ExceptionExpired {
        line: usize,
        on: Date,
        budget: Option<Duration>,
    },
    ExceptionStale {
        line: usize,
        budget: Option<Duration>,
    },
    /// Slower than the baseline: the medians before and after, the change, and which of the
    /// verdict's comparison deltas says how it was judged (its call, runs and re-runs).
    Regression {
        metric: Metric,
        change: Change,
    },
    /// The typical test is slower by `ratio` (over `tests` tests).
    SuiteSlower {
        ratio: f64,
        tests: usize,
    },
    /// Peak memory grew beyond `[regression]`'s thresholds (and the floor in bytes).
    MemoryRegression {
        growth: crate::policy::compare::memory::Growth,
    },
    /// `tests` tests have a memory budget, but this run measured no memory, for `reason`.
    MemoryNotMeasured {
        reason: String,
        tests: usize,
    },
}

/// A compared test's change, and where its whole delta is in the verdict's comparison (kept
/// once there, not copied into every finding).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub before: Duration,
    pub after: Duration,
    /// (after − before) / before.
    pub change: f64,
    /// Index into `Verdict::comparison.deltas`.
    pub delta: usize,
}

impl Change {
    pub fn of(delta: &Delta, index: usize) -> Change {
        Change {
            before: delta.before.median,
            after: delta.after.median,
            change: delta.change,
            delta: index,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub test: Option<TestId>,
    pub tier: Option<String>,
    pub rule: Option<Rule>,
    pub location: Option<(PathBuf, usize)>,
    pub payload: Payload,
}

impl Finding {
    /// A finding about nothing in particular yet: rules fill in test, tier, rule and location.
    pub fn new(severity: Severity, payload: Payload) -> Finding {
        Finding {
            severity,
            test: None,
            tier: None,
            rule: None,
            location: None,
            payload,
        }
    }

    pub fn kind(&self) -> FindingKind {
        match &self.payload {
            Payload::OverBudget {
                metric: Metric::Memory,
                ..
            } => FindingKind::OverMemory,
            Payload::OverBudget { .. } => FindingKind::OverBudget,
            Payload::MemoryNotMeasured { .. } => FindingKind::MemoryNotMeasured,
            Payload::Timeout { .. } => FindingKind::Timeout,
            Payload::TestFailed { .. } => FindingKind::TestFailed,
            Payload::NoDuration { .. } => FindingKind::NoDuration,
            Payload::SuiteOverBudget { .. } => FindingKind::SuiteOverBudget,
            Payload::ExceptionExpired { .. } => FindingKind::ExceptionExpired,
            Payload::ExceptionStale { .. } => FindingKind::ExceptionStale,
            Payload::Regression { .. } | Payload::MemoryRegression { .. } => {
                FindingKind::Regression
            }
            Payload::SuiteSlower { .. } => FindingKind::SuiteSlower,
        }
    }

    /// The metric it is about, when it is about one.
    pub fn metric(&self) -> Option<Metric> {
        match &self.payload {
            Payload::OverBudget { metric, .. } | Payload::Regression { metric, .. } => {
                Some(*metric)
            }
            Payload::Timeout { .. }
            | Payload::SuiteOverBudget { .. }
            | Payload::SuiteSlower { .. } => Some(Metric::Wall),
            Payload::MemoryRegression { .. } => Some(Metric::Memory),
            _ => None,
        }
    }

    /// The time measured: the test's (or the suite's) duration, the median now for a
    /// comparison.
    pub fn duration(&self) -> Option<Duration> {
        match &self.payload {
            Payload::OverBudget { measured, .. } => measured.as_duration(),
            Payload::Timeout { after, .. } => *after,
            Payload::TestFailed { duration, .. } => *duration,
            Payload::SuiteOverBudget { wall, .. } => Some(*wall),
            Payload::Regression { change, .. } => Some(change.after),
            _ => None,
        }
    }

    /// The time budget involved.
    pub fn budget(&self) -> Option<Duration> {
        match &self.payload {
            Payload::OverBudget { budget, .. } => budget.as_duration(),
            Payload::Timeout { budget, .. }
            | Payload::TestFailed { budget, .. }
            | Payload::NoDuration { budget, .. }
            | Payload::SuiteOverBudget { budget, .. } => Some(*budget),
            Payload::ExceptionExpired { budget, .. } | Payload::ExceptionStale { budget, .. } => {
                *budget
            }
            _ => None,
        }
    }

    /// (measured − budget) / budget, for what is over its budget.
    pub fn overage(&self) -> Option<f64> {
        match &self.payload {
            Payload::OverBudget {
                measured, budget, ..
            } => Some(measured.overage(*budget)),
            Payload::SuiteOverBudget { wall, budget } => {
                Some(Amount::Time(*wall).overage(Amount::Time(*budget)))
            }
            _ => None,
        }
    }

    /// The test's passing wall times re-run alone, for a test over its time budget or killed
    /// (empty when it was not re-run).
    pub fn alone(&self) -> &[Duration] {
        match &self.payload {
            Payload::OverBudget {
                metric: Metric::Wall,
                alone,
                ..
            }
            | Payload::Timeout { alone, .. } => alone,
            _ => &[],
        }
    }

    /// Over its time budget (or killed) in the run, within it in its fastest re-run alone: the
    /// suite's load, not the test.
    pub fn cleared_alone(&self) -> bool {
        let killed = self.kind() == FindingKind::Timeout;
        self.budget()
            .is_some_and(|budget| cleared(killed, budget, self.alone()))
    }

    /// Passed over its time budget in the run and within it in every re-run alone: only the
    /// suite's load, so a note rather than a warning (a test over it in some re-runs alone too
    /// is near its budget on this machine, which is worth acting on).
    pub fn load_only(&self) -> bool {
        self.kind() == FindingKind::OverBudget
            && !self.alone().is_empty()
            && self
                .budget()
                .is_some_and(|budget| self.alone().iter().all(|took| *took <= budget))
    }

    /// The baseline's time: for a comparison, and for a killed test that passed there.
    pub fn before(&self) -> Option<Duration> {
        match &self.payload {
            Payload::Timeout { passed_before, .. } => *passed_before,
            Payload::Regression { change, .. } => Some(change.before),
            _ => None,
        }
    }

    /// The change relative to the baseline (0.3 for 30 % slower).
    pub fn change(&self) -> Option<f64> {
        match &self.payload {
            Payload::Regression { change, .. } => Some(change.change),
            Payload::SuiteSlower { ratio, .. } => Some(ratio - 1.0),
            Payload::MemoryRegression { growth } => Some(growth.change),
            _ => None,
        }
    }

    /// A stable identity across runs: kind, metric and subject (the test, the exception's line,
    /// or the suite), never the numbers. 16 hex digits of a SHA-256.
    pub fn fingerprint(&self) -> String {
        let subject = match (&self.payload, &self.test) {
            (
                Payload::ExceptionExpired { line, .. } | Payload::ExceptionStale { line, .. },
                test,
            ) => format!(
                "exception:{line}:{}",
                test.as_ref().map(|t| t.to_string()).unwrap_or_default()
            ),
            (_, Some(test)) => format!("test:{}\0{}", test.binary_id, test.name),
            (_, None) => "suite".to_string(),
        };
        let metric = self.metric().map_or("", |m| m.key());
        let digest = Sha256::digest(format!("{}|{metric}|{subject}", self.kind().as_str()));
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}
