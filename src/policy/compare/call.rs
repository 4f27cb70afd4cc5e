//! What a comparison concludes for one test, and why: its call, its level, what it was held
//! against and why a slowdown was held below its level.

use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Warn,
    Fail,
}

/// Whose runs say a test is noisy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Noise {
    /// The baseline's runs of the test.
    Baseline,
    /// The tests of its binary, which typically spread that widely (its own runs were few).
    Group,
    /// Its re-runs alone.
    Reruns,
}

/// What a test's time now is held against (before the suite factor).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Its baseline median, beyond its slowest baseline run: a steady test.
    Median,
    /// The top of its band (see [`band_top`](crate::policy::noise::band_top)): a noisy test.
    Band { top: Duration, noise: Noise },
}

/// Why a slowdown is reported below the level its suite-run numbers reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Held {
    /// With `--runs N`, not every run was over the fail line.
    NotEveryRun,
    /// The baseline was measured under another contract.
    NotComparable,
    /// Re-run alone, it stayed slower, but under the fail line.
    RerunsBelowFail,
    /// Re-run alone, its runs spread so widely that only the band they make can fail it; its
    /// fastest re-run was past its usual line, not past that band.
    RerunsSpread,
    /// Too many slower tests to re-run them all; this one was not.
    NotRerun,
    /// A CPU-bound test whose CPU time did not grow: the machine was busier, the work was not.
    CpuUnchanged,
}

/// What the comparison concludes for one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// Within the thresholds, the noise floor, or what the baseline already saw.
    Same,
    /// Faster by more than the warn threshold and the noise floor.
    Faster,
    /// A regression, at `level`.
    Slower { level: Level, held: Option<Held> },
    /// Slower in the suite run, but not when re-run alone.
    NotConfirmed,
}
