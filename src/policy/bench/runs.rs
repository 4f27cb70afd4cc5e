//! Several runs of the same benchmarks: combining them into one baseline, and measuring how
//! far a benchmark moves from one run to the next. Within one run, criterion's samples agree
//! closely; between runs minutes apart, a shared machine moves a benchmark by more than that
//! (±20 % for nanosecond benchmarks on a 2-core VM). A baseline of several runs measures that
//! spread, and the comparison widens its interval by it.

use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::statistics::{Data, Median, Statistics};

use crate::model::{BenchResult, Estimate};

/// The geometric mean of positive values (`None` without any).
pub fn geometric_mean(xs: &[f64]) -> Option<f64> {
    let logs: Vec<f64> = xs.iter().filter(|x| **x > 0.0).map(|x| x.ln()).collect();
    (!logs.is_empty()).then(|| logs.mean().exp())
}

/// Several runs' results as one per benchmark: the samples of every run, each run's geometric
/// mean, every run's instruction count, and the estimates of the run whose mean is the median.
pub fn combine(runs: Vec<Vec<BenchResult>>) -> Vec<BenchResult> {
    if runs.len() < 2 {
        return runs.into_iter().next().unwrap_or_default();
    }
    let mut by_id: std::collections::BTreeMap<String, Vec<BenchResult>> = Default::default();
    for run in runs {
        for r in run {
            by_id.entry(r.id.clone()).or_default().push(r);
        }
    }
    by_id
        .into_values()
        .map(|mut seen| {
            let means: Vec<f64> = seen
                .iter()
                .filter_map(|r| geometric_mean(&r.samples))
                .collect();
            let samples: Vec<f64> = seen.iter().flat_map(|r| r.samples.clone()).collect();
            // Each run's count, for a baseline to tell an exact count from a varied one.
            let counts: Vec<u64> = seen.iter().flat_map(|r| r.instructions.clone()).collect();
            seen.sort_by(|a, b| a.estimates.mean.point.total_cmp(&b.estimates.mean.point));
            let middle = seen.len() / 2;
            let mut one = seen.swap_remove(middle);
            one.samples = samples;
            one.runs = if means.len() > 1 { means } else { Vec::new() };
            one.instructions = counts;
            one
        })
        .collect()
}

pub use crate::policy::verdict::bench::RunSpread;

/// The run-to-run spread of a baseline recorded with several runs; `None` without one.
pub fn run_spread(baseline: &[BenchResult], min_for_factor: usize) -> Option<RunSpread> {
    let multi: Vec<&BenchResult> = baseline.iter().filter(|b| b.runs.len() > 1).collect();
    let k = multi.iter().map(|b| b.runs.len()).max()?;
    // Each run's machine factor, from the benchmarks that have that run.
    let factors: Vec<f64> = (0..k)
        .map(|j| {
            let rel: Vec<f64> = multi
                .iter()
                .filter_map(|b| Some(b.runs.get(j)? / geometric_mean(&b.runs)?))
                .collect();
            if rel.len() >= min_for_factor {
                Data::new(rel).median()
            } else {
                1.0
            }
        })
        .collect();
    let (mut ss, mut df) = (0.0, 0.0);
    for b in &multi {
        let e: Vec<f64> = b
            .runs
            .iter()
            .zip(&factors)
            .map(|(r, f)| (r / f).ln())
            .collect();
        // The sum of squares around the mean: (k - 1) × the sample variance.
        ss += e.as_slice().variance() * (e.len() - 1) as f64;
        df += (e.len() - 1) as f64;
    }
    (df > 0.0).then_some(RunSpread {
        variance: ss / df,
        df,
    })
}

/// now ÷ before for a baseline entry of several runs: the point from the mean of its log run
/// means; the interval from the run-to-run spread (the baseline's mean of k runs moves by it
/// ÷ k; a measurement of one run by all of it plus its own sampling noise, a mean of several
/// runs by it ÷ their number), with the spread's degrees of freedom.
pub fn ratio_with_runs(
    before: &BenchResult,
    now: &BenchResult,
    spread: RunSpread,
) -> Option<Estimate> {
    let k = before.runs.len() as f64;
    if k < 2.0 {
        return None;
    }
    let base = before.runs.iter().map(|r| r.ln()).mean();
    let (mean, now_var) = if now.runs.len() > 1 {
        let logs: Vec<f64> = now.runs.iter().map(|r| r.ln()).collect();
        (logs.as_slice().mean(), spread.variance / logs.len() as f64)
    } else {
        let logs: Vec<f64> = now
            .samples
            .iter()
            .filter(|x| **x > 0.0)
            .map(|x| x.ln())
            .collect();
        if logs.len() < 2 {
            return None;
        }
        let within = logs.as_slice().variance() / logs.len() as f64;
        (logs.as_slice().mean(), within + spread.variance)
    };
    let se = (now_var + spread.variance / k).sqrt();
    let t = StudentsT::new(0.0, 1.0, spread.df).ok()?.inverse_cdf(0.975);
    let diff = mean - base;
    Some(Estimate {
        point: diff.exp(),
        lower: (diff - t * se).exp(),
        upper: (diff + t * se).exp(),
    })
}
