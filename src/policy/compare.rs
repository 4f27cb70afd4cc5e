//! Comparison with a baseline under the noise model (docs/measurement.md). Each test's median
//! now is held against its baseline, and a slowdown counts only when it clears, in turn:
//! - the suite factor: when the typical test is slower by more than the warn threshold, that is
//!   the machine (one finding), and every test is judged against its baseline times that factor;
//! - the test's own spread: a time inside what its baseline runs already saw is not a regression,
//!   and a test whose baseline runs spread wider than the fail threshold (and by more than the
//!   noise floor) is *noisy*: judged against the top of its band, not its median;
//! - the warn/fail thresholds and the noise floor (with `--runs N`, fail level needs every run);
//! - confirmation: re-run alone, the test must stay slow, its fastest re-run beyond the same
//!   line; re-runs that spread widely widen the band, and what only clears the narrower one is
//!   held at warn level.
//!
//! A baseline measured under a different contract is still compared, but nothing it finds is
//! above a warning.

mod call;
mod comparison;
pub mod count;
mod delta;
mod line;
pub mod memory;

pub use super::references::References;
pub use call::{Basis, Call, Held, Level, Noise};
pub use comparison::{CPU_BOUND, Comparison, MAX_RERUN};
pub use delta::{Current, Delta, NoisyTest, Runs, change};
pub use line::{BAND_FAIL, Line};

use std::collections::{BTreeMap, HashSet};

use super::noise::{Summary, suite_factor};
use crate::config::Regression;
use crate::model::TestId;

pub struct Inputs<'a> {
    /// Baseline tests and their runs (`None`: present, but not a reference); consumed.
    pub baseline: References,
    /// Current runs of the tests that passed.
    pub current: Vec<Current<'a>>,
    /// The tests that ran now without passing (failed, killed, flaky).
    pub not_passed: Vec<&'a TestId>,
    /// Tests that exist now (the inventory) for "removed"; `None`: only `ran` is known.
    pub existing: Option<&'a HashSet<TestId>>,
    /// `[regression]`: the suite factor's noise floor and dead zone.
    pub thresholds: Regression,
    pub differences: Vec<String>,
    pub baseline_commit: Option<String>,
    pub baseline_created: String,
    /// The baseline's peak memory and median CPU time (ms) per test (schema 3).
    pub peaks: std::collections::HashMap<TestId, u64>,
    pub cpu_ms: std::collections::HashMap<TestId, u64>,
    pub counts: std::collections::HashMap<TestId, Vec<u64>>,
}

pub fn compare(inputs: Inputs<'_>) -> Comparison {
    let t = inputs.thresholds;
    let comparable = inputs.differences.is_empty();
    // Each test that ran takes its entry out of the baseline: what is left at the end was not
    // seen now. One hash operation per test, and nothing cloned; the baseline's runs stay in
    // milliseconds until a test turns out to have changed.
    let mut baseline = inputs.baseline;
    let priors = baseline.priors(t.noise_floor);
    let mut new = Vec::new();
    let mut pairs: Vec<(Summary, Box<[u64]>, Current<'_>)> =
        Vec::with_capacity(inputs.current.len());
    for now in inputs.current {
        match baseline.take(now.id) {
            Some(Some(before)) => {
                if let Some(summary) = Summary::of_ms(&before) {
                    pairs.push((summary, before, now));
                }
            }
            Some(None) => {}
            None => new.push(now.id.clone()),
        }
    }
    let mut passed_before = BTreeMap::new();
    for id in inputs.not_passed {
        match baseline.take(id) {
            Some(Some(before)) => {
                if let Some(summary) = Summary::of_ms(&before) {
                    passed_before.insert(id.clone(), summary.median);
                }
            }
            Some(None) => {}
            None => new.push(id.clone()),
        }
    }
    new.sort_unstable();
    let factor = suite_factor(
        pairs
            .iter()
            .map(|(b, _, a)| (b.median, a.runs.summary().median)),
        t.noise_floor,
        t.warn,
    );
    let scale = factor.map_or(1.0, |f| f.scale());
    let compared = pairs.len();
    let mut deltas = Vec::new();
    let mut noisy = Vec::new();
    for (summary, before, now) in pairs {
        let (d, band) = delta::delta(summary, &before, now, &priors, scale, comparable);
        deltas.extend(d);
        noisy.extend(band);
    }
    deltas.sort_by(|a, b| b.impact().total_cmp(&a.impact()).then(a.id.cmp(&b.id)));
    noisy.sort_by(|a: &NoisyTest, b| b.width.total_cmp(&a.width).then(a.id.cmp(&b.id)));
    let mut removed: Vec<TestId> = baseline
        .into_ids()
        .filter(|id| {
            inputs
                .existing
                .is_none_or(|existing| !existing.contains(id))
        })
        .collect();
    removed.sort_unstable();
    Comparison {
        baseline_commit: inputs.baseline_commit,
        baseline_created: inputs.baseline_created,
        differences: inputs.differences,
        factor,
        reruns: 0,
        compared,
        deltas,
        noisy,
        new,
        removed,
        passed_before,
        peaks_before: inputs.peaks,
        cpu_before: inputs.cpu_ms,
        counts_before: inputs.counts,
    }
}

#[cfg(test)]
mod confirm_tests;
#[cfg(test)]
mod tests;
