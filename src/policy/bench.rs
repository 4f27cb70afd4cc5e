//! Benchmarks against their baseline, significance-aware: a change counts only when it is both
//! over a threshold and statistically clear. The change of each benchmark is the ratio of its
//! geometric-mean per-iteration time now to before, with a 95 % interval from Welch's t-test on
//! the logarithms of the per-iteration sample times (statrs for the t quantile). A call is made
//! only on the interval's lower bound: over `fail` → fail, over `warn` → warn; a point estimate
//! over a threshold whose interval still reaches below it is *inconclusive*, never a failure.
//! The machine factor (the median ratio over all benchmarks, with five or more compared) keeps
//! a uniformly slower (or faster) machine from moving every benchmark.

use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::statistics::{Data, Median, Statistics};

mod assess;
pub mod capability;
pub mod complexity;
pub mod counts;
mod judge;
mod memory;
pub mod runs;
pub use assess::{BenchRecorded, Benchmarks, assess};
pub use judge::{BenchInputs, judge};

pub use super::verdict::bench::{
    BaselineInfo, BenchCall, BenchComparison, BenchDelta, BenchEvidence, BenchThresholds,
    CapabilityBudgets, CountCall, CountDelta, CountFinding, Unjudgeable, Unjudged,
};

use crate::model::{BenchResult, Estimate};

/// The thresholds a benchmark is judged by.
pub trait ThresholdsFor {
    fn thresholds_for(&self, id: &str) -> BenchThresholds;
}

/// The same thresholds for every benchmark.
impl ThresholdsFor for BenchThresholds {
    fn thresholds_for(&self, _: &str) -> BenchThresholds {
        *self
    }
}

/// `[regression]`, or the strictest `regression` of the capabilities a benchmark belongs to.
impl ThresholdsFor for &crate::config::Config {
    fn thresholds_for(&self, id: &str) -> BenchThresholds {
        let default = BenchThresholds {
            warn: self.regression.warn,
            fail: self.regression.fail,
        };
        self.capabilities
            .iter()
            .filter(|c| c.covers(id))
            .filter_map(|c| c.regression)
            .fold(None, |acc: Option<BenchThresholds>, r| {
                Some(match acc {
                    None => BenchThresholds {
                        warn: r.warn,
                        fail: r.fail,
                    },
                    Some(a) => BenchThresholds {
                        warn: a.warn.min(r.warn),
                        fail: a.fail.min(r.fail),
                    },
                })
            })
            .unwrap_or(default)
    }
}

/// Fewer usable samples than this on a side and a benchmark's change has no interval.
pub const MIN_SAMPLES: usize = 2;

/// Too few usable samples to judge a change by.
pub fn too_few(n: usize) -> bool {
    n < MIN_SAMPLES
}

/// Times are positive and finite once read (`model::checked`): a NaN never reaches a ratio.
fn times_checked(r: &BenchResult) -> bool {
    r.samples
        .iter()
        .chain(&r.runs)
        .all(|x| crate::model::checked::positive(*x))
}

/// now ÷ before for one benchmark (from the baseline's runs when it has several and their
/// spread is known), or why there is none: too few samples on a side, or a ratio that is not
/// a positive, finite number (times too far apart for a float).
fn ratio_of(
    before: &BenchResult,
    now: &BenchResult,
    spread: Option<runs::RunSpread>,
) -> Result<Estimate, Unjudgeable> {
    debug_assert!(
        times_checked(before) && times_checked(now),
        "unchecked times for `{}`",
        now.id
    );
    let spread = spread.filter(|_| before.runs.len() > 1);
    let r = match spread {
        Some(s) => runs::ratio_with_runs(before, now, s),
        None => ratio_interval(&before.samples, &now.samples),
    };
    let positive = crate::model::checked::positive;
    if let Some(r) = r.filter(|r| positive(r.point) && positive(r.lower) && positive(r.upper)) {
        return Ok(r);
    }
    let now_has_runs = spread.is_some() && now.runs.len() > 1;
    if too_few(now.samples.len()) && !now_has_runs {
        return Err(Unjudgeable::FewNow(now.samples.len()));
    }
    if too_few(before.samples.len()) && spread.is_none() {
        return Err(Unjudgeable::FewInBaseline(before.samples.len()));
    }
    Err(Unjudgeable::NotFinite)
}

/// Geometric-mean ratio `after / before` with its 95 % Welch interval, from the samples'
/// logarithms; `None` with fewer than two positive samples on either side.
pub fn ratio_interval(before: &[f64], after: &[f64]) -> Option<Estimate> {
    let logs =
        |xs: &[f64]| -> Vec<f64> { xs.iter().filter(|x| **x > 0.0).map(|x| x.ln()).collect() };
    let (a, b) = (logs(before), logs(after));
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let stats = |xs: &[f64]| {
        let n = xs.len() as f64;
        let (mean, var) = (xs.mean(), xs.variance());
        (mean, var / n, n)
    };
    let ((ma, va, na), (mb, vb, nb)) = (stats(&a), stats(&b));
    let diff = mb - ma;
    let se2 = va + vb;
    if se2 == 0.0 {
        return Some(Estimate {
            point: diff.exp(),
            lower: diff.exp(),
            upper: diff.exp(),
        });
    }
    // Welch–Satterthwaite degrees of freedom.
    let df = se2.powi(2) / (va.powi(2) / (na - 1.0) + vb.powi(2) / (nb - 1.0));
    let t = StudentsT::new(0.0, 1.0, df).ok()?.inverse_cdf(0.975);
    let half = t * se2.sqrt();
    Some(Estimate {
        point: diff.exp(),
        lower: (diff - half).exp(),
        upper: (diff + half).exp(),
    })
}

/// The call for a ratio interval (already divided by the machine factor).
pub fn call(ratio: Estimate, t: BenchThresholds) -> BenchCall {
    let (fail, warn) = (1.0 + t.fail, 1.0 + t.warn);
    if ratio.lower > fail {
        BenchCall::Fail
    } else if ratio.point > fail {
        BenchCall::Inconclusive
    } else if ratio.lower > warn {
        BenchCall::Warn
    } else if ratio.point > warn {
        BenchCall::Inconclusive
    } else if ratio.upper < 1.0 / warn {
        BenchCall::Improved
    } else {
        BenchCall::Unchanged
    }
}

/// Fewer benchmarks than this give no machine factor: the median of a few moves with the one
/// that changed.
pub const MIN_FOR_FACTOR: usize = 5;

/// The machine factor: the median point ratio, when at least [`MIN_FOR_FACTOR`] benchmarks
/// were compared. Applied in both directions: a machine 8 % slower today turns an unchanged
/// benchmark's +8 % into 0, and a machine 5 % faster does not hide a +30 % change as +24 %.
fn machine_factor(ratios: &[f64]) -> Option<f64> {
    if ratios.len() < MIN_FOR_FACTOR {
        return None;
    }
    Some(Data::new(ratios.to_vec()).median())
}

/// Compares `current` with `baseline`. With `differences` (contracts that disagree) nothing is
/// called worse than warn.
pub fn compare(
    baseline: &[BenchResult],
    current: &[BenchResult],
    t: impl ThresholdsFor,
    differences: Vec<String>,
) -> BenchComparison {
    let before: std::collections::HashMap<&str, &BenchResult> =
        baseline.iter().map(|b| (b.id.as_str(), b)).collect();
    let spread = runs::run_spread(baseline, MIN_FOR_FACTOR);
    let (mut new, mut unjudged) = (Vec::new(), Vec::new());
    let mut pairs = Vec::new();
    for now in current {
        let Some(b) = before.get(now.id.as_str()) else {
            new.push(now.id.clone());
            continue;
        };
        match ratio_of(b, now, spread) {
            Ok(r) => pairs.push((*b, now, r)),
            Err(why) => unjudged.push(Unjudged {
                id: now.id.clone(),
                target: now.target.clone().or_else(|| b.target.clone()),
                why,
            }),
        }
    }
    let seen: std::collections::HashSet<&str> = current.iter().map(|c| c.id.as_str()).collect();
    let missing = baseline
        .iter()
        .filter(|b| !seen.contains(b.id.as_str()))
        .map(|b| b.id.clone())
        .collect();
    let points: Vec<f64> = pairs.iter().map(|(_, _, r)| r.point).collect();
    let factor = machine_factor(&points);
    let scale = factor.unwrap_or(1.0);
    let mut deltas: Vec<BenchDelta> = pairs
        .into_iter()
        .map(|(b, now, r)| {
            let ratio = Estimate {
                point: r.point / scale,
                lower: r.lower / scale,
                upper: r.upper / scale,
            };
            let thresholds = t.thresholds_for(&now.id);
            let mut c = call(ratio, thresholds);
            if !differences.is_empty() && c == BenchCall::Fail {
                c = BenchCall::Warn;
            }
            BenchDelta {
                id: now.id.clone(),
                target: now.target.clone().or_else(|| b.target.clone()),
                before: b.estimates.mean,
                after: now.estimates.mean,
                ratio,
                call: c,
                thresholds,
                samples: (b.samples.len(), now.samples.len()),
            }
        })
        .collect();
    deltas.sort_by(|a, b| a.call.cmp(&b.call).then(a.id.cmp(&b.id)));
    BenchComparison {
        deltas,
        new,
        missing,
        factor,
        differences,
        spread,
        unjudged,
        counts: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
