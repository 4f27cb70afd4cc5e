//! `[[capability]]` and `[alerts]`: benchmarks and tests under one set of budgets, and the
//! production series whose alert rules carry the same numbers.

use std::collections::BTreeMap;
use std::time::Duration;

/// A capability (`[[capability]]`): benchmarks (and tests) that share a budget.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capability {
    pub name: String,
    /// Globs over criterion `full_id`s (`*` stays within a `/` segment, `**` crosses them).
    pub benches: Vec<String>,
    /// The per-iteration p95 each of its benchmarks must stay under.
    pub p95: Option<Duration>,
    /// The instructions each of its benchmarks' routines may execute, counted under Valgrind
    /// (`instructions = "2M"`; its benchmarks are then counted).
    pub instructions: Option<u64>,
    /// The complexity its parametrized groups claim.
    pub complexity: Option<crate::model::Complexity>,
    /// A nextest filterset: the tests whose peak memory counts against `memory`.
    pub tests: Option<String>,
    /// Peak RSS of those tests, in bytes.
    pub memory: Option<u64>,
    /// Its benchmarks' regression thresholds, when they differ from `[regression]`.
    pub regression: Option<CapabilityRegression>,
    /// The production series its alert rules watch.
    pub metrics: Option<AlertMetrics>,
    pub adr: Option<String>,
    /// 1-based line of the entry in `budget.toml`, for messages.
    pub line: usize,
}

impl Capability {
    /// Whether `full_id` is one of its benchmarks.
    pub fn covers(&self, full_id: &str) -> bool {
        self.benches
            .iter()
            .any(|g| glob(g).is_some_and(|m| m.is_match(full_id)))
    }
}

/// Bench regression thresholds as fractions (0.05 for +5 %).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CapabilityRegression {
    pub warn: f64,
    pub fail: f64,
}

impl Eq for CapabilityRegression {}

/// `[capability.metrics]` merged over `[alerts]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertMetrics {
    /// A histogram's `_bucket` series: `CapabilityLatencyHigh` on its p95.
    pub latency: Option<Selector>,
    /// A gauge of bytes: `CapabilityMemoryHigh` on its maximum.
    pub memory: Option<Selector>,
    /// Labels the alerts keep (one alert per combination of values).
    pub by: Vec<String>,
    /// How long the condition holds before the alert fires.
    pub for_: Duration,
    /// The latency rule's rate window.
    pub window: Duration,
    /// Labels on the alerts (`[alerts] labels` with this capability's over them).
    pub labels: BTreeMap<String, String>,
}

/// A series selector as the user wrote it, with its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    /// The text, written into the rules as it is.
    pub text: String,
    pub metric: String,
    /// Label matchers other than the metric name.
    pub matchers: Vec<Matcher>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matcher {
    pub name: String,
    pub op: MatchOp,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

impl Matcher {
    /// Whether a series whose label is `value` (`""` when absent) is selected, as Prometheus
    /// decides it: regexes are anchored at both ends.
    pub fn matches(&self, value: &str) -> bool {
        let regex = || {
            regex::Regex::new(&format!("^(?s:{})$", self.value)).is_ok_and(|r| r.is_match(value))
        };
        match self.op {
            MatchOp::Equal => self.value == value,
            MatchOp::NotEqual => self.value != value,
            MatchOp::Regex => regex(),
            MatchOp::NotRegex => !regex(),
        }
    }
}

/// `[alerts]`: what every capability's rules default to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alerts {
    pub for_: Duration,
    pub window: Duration,
    pub labels: BTreeMap<String, String>,
}

impl Default for Alerts {
    fn default() -> Self {
        Alerts {
            for_: Duration::from_secs(600),
            window: Duration::from_secs(300),
            labels: [("severity", "warning"), ("source", "cargo-budget")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

/// A bench glob as a matcher (`None` for an invalid one: validated when the config loads).
pub fn glob(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// `pattern` with its `*` crossing `/` as `**` does: what the user may have meant.
pub fn glob_across(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(false)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}
