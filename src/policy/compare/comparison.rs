//! A whole comparison's outcome, and what happens to it after the suite run: slowdowns of
//! CPU-bound tests held by their CPU time, and slowdowns confirmed or dismissed re-run alone.

use std::collections::BTreeMap;
use std::time::Duration;

use super::call::{Basis, Call, Held, Level, Noise};
use super::delta::{Delta, NoisyTest};
use super::line::{level_of, lines};
use crate::model::TestId;
use crate::policy::noise::{Spread, SuiteFactor, band_top};

/// At most this many slower tests are re-run alone, the largest slowdowns first; the rest are
/// held at warn level. More than this many real regressions at once still fail the build.
pub const MAX_RERUN: usize = 50;

/// A test is CPU-bound when its CPU time is at least this share of its wall time (baseline).
pub const CPU_BOUND: f64 = 0.8;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub baseline_commit: Option<String>,
    pub baseline_created: String,
    /// Contract fields that differ; non-empty means "not comparable".
    pub differences: Vec<String>,
    /// The suite factor, when enough tests were long enough to measure it.
    pub factor: Option<SuiteFactor>,
    /// How many times slower tests were re-run alone (0: not re-run).
    pub reruns: u32,
    /// How many tests were compared (passed now and in the baseline).
    pub compared: usize,
    /// The compared tests whose call is not [`Call::Same`], largest slowdown first. The others
    /// are only counted: a suite of 100,000 tests should not hold each one's runs twice more.
    pub deltas: Vec<Delta>,
    /// The compared tests judged against their band (noisy), widest first.
    pub noisy: Vec<NoisyTest>,
    pub new: Vec<TestId>,
    pub removed: Vec<TestId>,
    /// The baseline durations of tests that passed there but did not pass now (a killed test's
    /// history).
    pub passed_before: BTreeMap<TestId, Duration>,
    /// The baseline's peak memory of each test that has one (schema 3 baselines).
    pub peaks_before: std::collections::HashMap<TestId, u64>,
    /// The baseline's median CPU time (ms) of each test that has one (schema 3 baselines).
    pub cpu_before: std::collections::HashMap<TestId, u64>,
    /// The baseline's instruction counts of each test it counted, one per counting run.
    pub counts_before: std::collections::HashMap<TestId, Vec<u64>>,
}

impl Comparison {
    pub fn comparable(&self) -> bool {
        self.differences.is_empty()
    }

    /// Holds at warn level the wall-time slowdowns of CPU-bound tests (CPU time at least
    /// [`CPU_BOUND`] of the wall time in the baseline) whose CPU time in `run` grew by no more
    /// than the warn threshold: beside other load the wall time of CPU-bound work moves, its
    /// CPU time much less (docs/measurement.md).
    pub fn hold_by_cpu(&mut self, run: &crate::model::Run, warn: f64) {
        let now: std::collections::HashMap<&TestId, Duration> = run
            .results
            .iter()
            .filter_map(|r| {
                Some((
                    &r.id,
                    r.extra.get(crate::model::Metric::Cpu)?.as_duration()?,
                ))
            })
            .collect();
        for d in &mut self.deltas {
            let Call::Slower { level, held } = &mut d.call else {
                continue;
            };
            let (Some(before), Some(now)) = (self.cpu_before.get(&d.id), now.get(&d.id)) else {
                continue;
            };
            let before = Duration::from_millis(*before);
            let bound = before.as_secs_f64() >= CPU_BOUND * d.before.median.as_secs_f64();
            let grew = now.as_secs_f64() > before.as_secs_f64() * (1.0 + warn);
            if bound && !before.is_zero() && !grew {
                *level = Level::Warn;
                *held = Some(Held::CpuUnchanged);
            }
        }
    }

    /// The tests a re-run alone should confirm, largest slowdown first, at most `limit`; the
    /// others are held at warn level (`Held::NotRerun`).
    pub fn to_confirm(&mut self, limit: usize) -> Vec<TestId> {
        let mut out = Vec::new();
        for d in self.deltas.iter_mut().filter(|d| d.needs_confirmation()) {
            if out.len() < limit {
                out.push(d.id.clone());
            } else if let Call::Slower { level, held } = &mut d.call {
                *level = Level::Warn;
                *held = Some(Held::NotRerun);
            }
        }
        out
    }

    /// Applies `rounds` re-runs alone: `times` holds each re-run test's passing durations (a
    /// test that failed a re-run has fewer; one that passed none is not confirmed).
    pub fn confirm(&mut self, times: &BTreeMap<TestId, Vec<Duration>>, rounds: u32) {
        self.reruns = rounds;
        for d in self.deltas.iter_mut().filter(|d| d.needs_confirmation()) {
            let samples = times.get(&d.id).cloned().unwrap_or_default();
            let complete = samples.len() as u32 == rounds;
            match Spread::of(samples) {
                None => d.call = Call::NotConfirmed,
                Some(reruns) => {
                    (d.call, d.basis) = confirmed(d, &reruns, complete);
                    d.reruns = Some(reruns);
                }
            }
        }
    }
}

/// The call (and basis) after re-running the test alone: it keeps a level only as far as its
/// fastest re-run reaches it. A steady test's re-runs that spread wider than the fail threshold
/// widen its line to a band of their own width, from the fastest baseline run (no allowance,
/// the tier's thresholds): what clears only the narrower line is held at warn level. A noisy
/// test keeps its band, whose allowance and fail line already reach further.
fn confirmed(d: &Delta, reruns: &Spread, complete: bool) -> (Call, Basis) {
    let t = d.thresholds;
    let Call::Slower { level, held } = d.call else {
        return (d.call, d.basis);
    };
    if !complete {
        return (Call::NotConfirmed, d.basis);
    }
    let before = d.before.summary();
    let reach = |basis| level_of(reruns.min, lines(before, basis, d.scale), t);
    let Some(alone) = reach(d.basis) else {
        return (Call::NotConfirmed, d.basis);
    };
    if d.basis == Basis::Median && reruns.is_wide(t.fail, t.noise_floor) {
        let width = d.spread.max(reruns.summary().finite_width());
        let top = band_top(before, width);
        if top > lines(before, d.basis, 1.0).reference {
            let widened = Basis::Band {
                top,
                noise: Noise::Reruns,
            };
            let call = match reach(widened) {
                None => Call::Slower {
                    level: Level::Warn,
                    held: Some(Held::RerunsSpread),
                },
                Some(wide) => settled(level, held, wide),
            };
            return (call, widened);
        }
    }
    (settled(level, held, alone), d.basis)
}

/// A suite-run `level` (and why it was `held`) after its re-runs alone reached `alone`: never
/// above either.
fn settled(level: Level, held: Option<Held>, alone: Level) -> Call {
    if alone < level {
        Call::Slower {
            level: alone,
            held: Some(Held::RerunsBelowFail),
        }
    } else {
        Call::Slower { level, held }
    }
}
