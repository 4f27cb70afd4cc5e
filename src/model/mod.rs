//! Plain data shared by every layer: test identities, binary kinds, outcomes and runs.

use std::fmt;
use std::time::Duration;

mod bench;
mod binary;
pub mod checked;
mod complexity;
pub mod contract;
mod counts;
mod metric;
mod record;
mod roots;
mod subject;
pub use bench::{
    BenchContract, BenchResult, Estimate, Estimates, NotCounted, NotMeasured, TestsPeak, Throughput,
};
pub use binary::{BinaryInfo, BinaryKind};
pub use complexity::Complexity;
pub use contract::Contract;
pub use counts::{Asked, Counts};
pub use metric::{Amount, Metric, Metrics, grouped};
pub use record::{RECORD_SCHEMA, RecordError, RunRecord, SubjectRecord};
pub use roots::Roots;
pub use subject::{Subject, SubjectKind};

/// A test as nextest names it: binary id plus the test's name inside that binary.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TestId {
    pub binary_id: String,
    pub name: String,
}

impl TestId {
    pub fn new(binary_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            binary_id: binary_id.into(),
            name: name.into(),
        }
    }

    /// The test function's own name: the last `::` component of the test name.
    pub fn fn_name(&self) -> &str {
        self.name.rsplit("::").next().unwrap_or(&self.name)
    }
}

impl fmt::Display for TestId {
    /// `binary-id test-name`, the form nextest prints and `[[exception]] test` uses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.binary_id, self.name)
    }
}

/// A property-testing framework whose tests the source scanner recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    /// `#[test]` inside `proptest! { … }`, or `#[proptest]` (test-strategy).
    Proptest,
    /// `#[quickcheck]`, or a `fn` inside `quickcheck! { … }`.
    Quickcheck,
}

impl Framework {
    pub const ALL: [Framework; 2] = [Framework::Proptest, Framework::Quickcheck];

    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Proptest => "proptest",
            Framework::Quickcheck => "quickcheck",
        }
    }

    pub fn parse(text: &str) -> Option<Framework> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The environment variable that sets how many cases a property test tries.
    pub fn cases_env(self) -> &'static str {
        match self {
            Framework::Proptest => "PROPTEST_CASES",
            Framework::Quickcheck => "QUICKCHECK_TESTS",
        }
    }
}

/// A test's place in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceTest {
    /// Relative to the workspace root when inside it.
    pub file: std::path::PathBuf,
    pub line: usize,
    /// Tier named by a doc-comment marker, and the marker's line.
    pub marker: Option<(String, usize)>,
    /// The property-testing framework it is written with, if any.
    pub framework: Option<Framework>,
}

/// Tests a change can affect, as a set of targets (rendered for nextest by its adapter).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Affected {
    /// Every test of this test binary (binary id).
    Binary(String),
    /// Every integration-test target of this package (its shared helpers changed).
    PackageTests(String),
    /// Every test of this package and of the packages depending on it (its code changed).
    PackageAndDependents(String),
}

/// How one test ended, after retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Passed,
    /// Failed at least once, then passed on a retry.
    Flaky,
    Failed,
    /// Killed by nextest's `slow-timeout.terminate-after`.
    TimedOut,
    Skipped,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Passed,
        Outcome::Flaky,
        Outcome::Failed,
        Outcome::TimedOut,
        Outcome::Skipped,
    ];

    /// The outcome [`Outcome::as_str`] names.
    pub fn parse(text: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Flaky => "flaky",
            Outcome::Failed => "failed",
            Outcome::TimedOut => "timeout",
            Outcome::Skipped => "skipped",
        }
    }

    /// Passed, possibly after retries: the duration is a real measurement of a good run.
    pub fn is_pass(self) -> bool {
        matches!(self, Outcome::Passed | Outcome::Flaky)
    }
}

/// One test's result in a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    pub id: TestId,
    pub outcome: Outcome,
    /// Duration of the attempt nextest reports for the test (the passing one when flaky);
    /// `None` when the report gives none (a JUnit `<testcase>` without `time`): such a test
    /// is not judged against its budget.
    pub duration: Option<Duration>,
    /// Number of attempts (1 without retries).
    pub attempts: u32,
    /// The failure's `message` attribute (nextest puts the panic's first line there).
    pub message: Option<String>,
    /// Metrics measured besides wall time (CPU time, peak memory), when measured.
    pub extra: Metrics,
}

impl TestResult {
    /// Every metric measured for the test: wall time (when reported), then the others.
    pub fn metrics(&self) -> impl Iterator<Item = (Metric, Amount)> + '_ {
        self.duration
            .map(|d| (Metric::Wall, Amount::Time(d)))
            .into_iter()
            .chain(self.extra.iter())
    }
}

/// The results of one nextest run (or several shards of one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub results: Vec<TestResult>,
    /// Wall-clock time of the whole run, when known (the longest shard's for merged JUnit).
    pub wall: Option<Duration>,
    /// Why peak memory and CPU time were not measured in this run; `None` when they were (or
    /// nothing is known either way).
    pub unmeasured: Option<String>,
    /// Wall times of tests run again alone (without the rest of the suite) after this run,
    /// because they were over their budget or killed in it: what confirms or clears that.
    pub alone: Times,
}

/// Each test's passing wall times in re-runs alone.
pub type Times = std::collections::BTreeMap<TestId, Vec<Duration>>;
