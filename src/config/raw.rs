//! The serde model of `budget.toml`, exactly as written: every key optional, values unvalidated.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
pub struct RawConfig {
    pub schema: Option<Spanned<i64>>,
    pub phase: Option<Spanned<String>>,
    #[serde(default)]
    pub tiers: BTreeMap<String, Spanned<RawTier>>,
    #[serde(default)]
    pub defaults: RawDefaults,
    #[serde(default)]
    pub suite: RawSuite,
    #[serde(default)]
    pub regression: RawRegression,
    #[serde(default)]
    pub enforce: RawEnforce,
    #[serde(default, rename = "exception")]
    pub exceptions: Vec<Spanned<RawException>>,
    #[serde(default, rename = "capability")]
    pub capabilities: Vec<Spanned<RawCapability>>,
    #[serde(default)]
    pub alerts: RawAlerts,
    #[serde(default)]
    pub trend: RawTrend,
}

/// `[trend]`: how `cargo budget trend` reads the history.
#[derive(Debug, Default, Deserialize)]
pub struct RawTrend {
    pub window: Option<Spanned<i64>>,
    pub flaky: Option<Spanned<String>>,
    pub headroom: Option<Spanned<String>>,
}

/// `[[capability]]`: a named group of benchmarks with budgets (ADR 030).
#[derive(Debug, Deserialize)]
pub struct RawCapability {
    pub name: Spanned<String>,
    /// Globs over criterion `full_id`s.
    pub benches: Option<Spanned<Vec<String>>>,
    /// Per-iteration p95 budget.
    pub p95: Option<Spanned<String>>,
    /// Instructions per benchmark routine (`"2M"`, or an integer), counted under Valgrind.
    pub instructions: Option<Spanned<toml::Value>>,
    /// `"O(n)"`: checked on the capability's parametrized groups.
    pub complexity: Option<Spanned<String>>,
    pub adr: Option<String>,
    /// A nextest filterset: the tests whose peak memory counts against `memory`.
    pub tests: Option<Spanned<String>>,
    /// Peak memory of those tests (`"10MiB"`).
    pub memory: Option<Spanned<String>>,
    /// The bench regression thresholds of its benchmarks (the rest from `[regression]`).
    pub regression: Option<Spanned<RawCapabilityRegression>>,
    /// The production metrics its alert rules watch.
    pub metrics: Option<Spanned<RawMetrics>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawCapabilityRegression {
    pub warn: Option<Spanned<String>>,
    pub fail: Option<Spanned<String>>,
}

/// `[capability.metrics]`: series selectors, and this capability's alert settings.
#[derive(Debug, Default, Deserialize)]
pub struct RawMetrics {
    /// A histogram's `_bucket` series (`http_request_duration_seconds_bucket{handler="v"}`).
    pub latency: Option<Spanned<String>>,
    /// A gauge of bytes (`process_resident_memory_bytes{job="v"}`).
    pub memory: Option<Spanned<String>>,
    /// Labels the alerts keep (one alert per value, e.g. per `instance`).
    pub by: Option<Spanned<Vec<String>>>,
    #[serde(rename = "for")]
    pub for_: Option<Spanned<String>>,
    pub labels: Option<Spanned<BTreeMap<String, String>>>,
}

/// `[alerts]`: defaults for every capability's alert rules.
#[derive(Debug, Default, Deserialize)]
pub struct RawAlerts {
    #[serde(rename = "for")]
    pub for_: Option<Spanned<String>>,
    /// The rate window of the latency rule.
    pub window: Option<Spanned<String>>,
    pub labels: Option<Spanned<BTreeMap<String, String>>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawTier {
    pub budget: Option<Spanned<String>>,
    pub targets: Option<Vec<String>>,
    pub kinds: Option<Vec<String>>,
    pub prefixes: Option<Vec<String>>,
    /// Property-testing frameworks whose tests this tier claims.
    pub frameworks: Option<Vec<String>>,
    /// Cases per context for those frameworks.
    pub cases: Option<Spanned<RawCases>>,
    /// This tier's own regression thresholds (the rest from `[regression]`).
    pub regression: Option<Spanned<RawTierRegression>>,
    /// Peak memory per test (`"64MiB"`).
    pub memory: Option<Spanned<String>>,
    /// Count each test's instructions under Valgrind: `true`, or a budget (`"50M"`).
    pub instructions: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawCases {
    pub dev: Option<Spanned<i64>>,
    #[serde(rename = "pre-commit")]
    pub pre_commit: Option<Spanned<i64>>,
    pub ci: Option<Spanned<i64>>,
    pub release: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawTierRegression {
    pub warn: Option<Spanned<String>>,
    pub fail: Option<Spanned<String>>,
    pub noise_floor: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDefaults {
    pub tier: Option<Spanned<String>>,
    pub kill_after: Option<Spanned<i64>>,
    pub grace_period: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawSuite {
    pub budget: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawRegression {
    pub warn: Option<Spanned<String>>,
    pub fail: Option<Spanned<String>>,
    pub noise_floor: Option<Spanned<String>>,
    pub confirm_runs: Option<Spanned<i64>>,
    /// Thresholds of instruction counts (`{ warn = "1%", fail = "3%" }`).
    pub instructions: Option<Spanned<RawCountRegression>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawCountRegression {
    pub warn: Option<Spanned<String>>,
    pub fail: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawEnforce {
    pub dev: Option<Spanned<String>>,
    #[serde(rename = "pre-commit")]
    pub pre_commit: Option<Spanned<String>>,
    pub ci: Option<Spanned<String>>,
    pub release: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
pub struct RawException {
    pub test: Spanned<String>,
    pub budget: Option<Spanned<String>>,
    /// Peak memory for this test (`"512MiB"`).
    pub memory: Option<Spanned<String>>,
    /// Count this test's instructions (`true`/`false`), or its instruction budget (`"50M"`).
    pub instructions: Option<Spanned<toml::Value>>,
    pub tier: Option<Spanned<String>>,
    pub reason: Option<String>,
    pub adr: Option<String>,
    pub owner: Option<String>,
    /// A quoted `"2027-03-01"` or a bare TOML date.
    pub expires: Option<Spanned<toml::Value>>,
}
