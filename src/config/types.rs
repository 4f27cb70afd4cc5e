//! The resolved, validated configuration every other layer works with.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use jiff::civil::Date;

use crate::model::TestId;

/// Rollout phase: the ceiling on how hard a budget violation can hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Record and report; never warn or fail.
    Measure,
    /// Report violations as warnings; exit 0 everywhere.
    Warn,
    /// Apply `[enforce]` per context.
    Strict,
}

impl Phase {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "measure" => Some(Phase::Measure),
            "warn" => Some(Phase::Warn),
            "strict" => Some(Phase::Strict),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Measure => "measure",
            Phase::Warn => "warn",
            Phase::Strict => "strict",
        }
    }
}

/// Where the tool runs, which selects the `[enforce]` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    Dev,
    PreCommit,
    Ci,
    Release,
}

impl Context {
    pub fn as_str(self) -> &'static str {
        match self {
            Context::Dev => "dev",
            Context::PreCommit => "pre-commit",
            Context::Ci => "ci",
            Context::Release => "release",
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a violation does in the strict phase for one context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Enforcement {
    /// Report only.
    Off,
    /// A warning; exit code unaffected.
    Warn,
    /// An error; the violations exit code.
    Strict,
}

impl Enforcement {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "off" => Some(Enforcement::Off),
            "warn" => Some(Enforcement::Warn),
            "strict" => Some(Enforcement::Strict),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enforce {
    pub dev: Enforcement,
    pub pre_commit: Enforcement,
    pub ci: Enforcement,
    pub release: Enforcement,
}

impl Enforce {
    pub fn for_context(&self, context: Context) -> Enforcement {
        match context {
            Context::Dev => self.dev,
            Context::PreCommit => self.pre_commit,
            Context::Ci => self.ci,
            Context::Release => self.release,
        }
    }
}

/// One tier: its budget and the rules that place tests in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    pub name: String,
    pub budget: Duration,
    /// Cargo test-target names (`unit` for `tests/unit/main.rs`).
    pub targets: Vec<String>,
    /// Cargo target kinds whose in-crate tests belong here (`lib`, `bin`, `proc-macro`).
    pub kinds: Vec<String>,
    /// Test function name prefixes (`unit_`).
    pub prefixes: Vec<String>,
    /// Property-testing frameworks whose tests belong here.
    pub frameworks: Vec<crate::model::Framework>,
    /// How many cases those frameworks try, per context (their environment variables).
    pub cases: Option<Cases>,
    /// Regression thresholds of its own (a tier for noisy stress tests), else `[regression]`'s.
    pub regression: Option<Regression>,
    /// Budgets for metrics other than wall time (peak memory, CPU time, instructions).
    pub limits: crate::model::Metrics,
    /// Its tests' instructions are counted under Valgrind (`instructions = true` or a budget).
    pub count: bool,
}

/// Property-test cases per context (`cases = { dev = 256, pre-commit = 32, ci = 64 }`); a
/// context left out keeps the tests' own setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cases {
    pub dev: Option<u32>,
    pub pre_commit: Option<u32>,
    pub ci: Option<u32>,
    pub release: Option<u32>,
}

impl Cases {
    pub fn for_context(&self, context: Context) -> Option<u32> {
        match context {
            Context::Dev => self.dev,
            Context::PreCommit => self.pre_commit,
            Context::Ci => self.ci,
            Context::Release => self.release,
        }
    }
}

impl Config {
    /// The environment a run in `context` sets for property tests: each claimed framework's
    /// cases variable, from the tier that claims it.
    pub fn property_env(&self, context: Context) -> Vec<(String, String)> {
        let mut env = Vec::new();
        for tier in &self.tiers {
            let Some(n) = tier.cases.and_then(|c| c.for_context(context)) else {
                continue;
            };
            for f in &tier.frameworks {
                env.push((f.cases_env().to_string(), n.to_string()));
            }
        }
        env
    }
}

/// A tracked exception for one test: its own budget (and optionally tier) until it expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub test: TestId,
    pub budget: Option<Duration>,
    /// Budgets of its own for metrics other than wall time.
    pub limits: crate::model::Metrics,
    /// Counts this test's instructions (or not), whatever its tier says.
    pub count: Option<bool>,
    pub tier: Option<String>,
    pub reason: Option<String>,
    pub adr: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<Date>,
    /// 1-based line of the entry in `budget.toml`, for messages.
    pub line: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Regression {
    /// Fraction (0.10 for "10%").
    pub warn: f64,
    pub fail: f64,
    pub noise_floor: Duration,
    /// How many times a slower test is re-run alone before it is judged (0: never).
    pub confirm_runs: u32,
    /// Thresholds of instruction counts: exact, so far tighter than time's.
    pub instructions: CountThresholds,
}

/// `[regression] instructions = { warn = "1%", fail = "3%" }`: a count that grew by at least
/// `warn` (rounded to 0.1 %, as reports show it) warns, by at least `fail` fails.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountThresholds {
    pub warn: f64,
    pub fail: f64,
}

impl Default for CountThresholds {
    fn default() -> Self {
        CountThresholds {
            warn: 0.01,
            fail: 0.03,
        }
    }
}

/// The whole resolved `budget.toml` (or the defaults when there is none).
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The file this came from; `None` when defaults are used.
    pub source: Option<PathBuf>,
    pub phase: Phase,
    /// Sorted by budget, then name: the order reports use.
    pub tiers: Vec<Tier>,
    pub default_tier: String,
    pub kill_after: u32,
    pub grace_period: Duration,
    pub suite_budget: Duration,
    pub regression: Regression,
    pub enforce: Enforce,
    pub exceptions: Vec<Exception>,
    pub capabilities: Vec<super::capability::Capability>,
    /// `[alerts]`: defaults of the alert rules generated from the capabilities.
    pub alerts: super::capability::Alerts,
    pub trend: Trend,
}

/// `[trend]`: the window of runs per test and the thresholds of timing flakiness and headroom
/// (drift takes `[regression] warn`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trend {
    pub window: usize,
    pub flaky: f64,
    pub headroom: f64,
}

impl Default for Trend {
    fn default() -> Self {
        Trend {
            window: 20,
            flaky: 0.30,
            headroom: 0.10,
        }
    }
}

impl Config {
    pub fn tier(&self, name: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.name == name)
    }

    /// The regression thresholds for tests of `tier`: its own, else `[regression]`.
    pub fn regression_for(&self, tier: &str) -> Regression {
        self.tier(tier)
            .and_then(|t| t.regression)
            .unwrap_or(self.regression)
    }

    pub fn exception_for(&self, id: &TestId) -> Option<&Exception> {
        self.exceptions.iter().find(|e| &e.test == id)
    }
}
