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

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use super::noise::{
    MIN_TIME, Spread, SuiteFactor, Summary, band_top, is_noisy, judged_width, suite_factor,
};
use crate::config::Regression;
use crate::model::TestId;

pub use super::references::References;

/// At most this many slower tests are re-run alone, the largest slowdowns first; the rest are
/// held at warn level. More than this many real regressions at once still fail the build.
pub const MAX_RERUN: usize = 50;

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
    /// The top of its band (see [`band_top`]): a noisy test.
    Band { top: Duration, noise: Noise },
}

/// A test judged against its band: its id, how widely it counts as spreading, the band.
#[derive(Clone, Debug, PartialEq)]
pub struct NoisyTest {
    pub id: TestId,
    pub width: f64,
    pub top: Duration,
    pub noise: Noise,
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

/// A test is CPU-bound when its CPU time is at least this share of its wall time (baseline).
pub const CPU_BOUND: f64 = 0.8;

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

/// One test present, and passing, in both.
#[derive(Clone, Debug, PartialEq)]
pub struct Delta {
    pub id: TestId,
    /// The baseline's runs.
    pub before: Spread,
    /// This report's runs (one unless `--runs N`).
    pub after: Spread,
    /// Its re-runs alone, when it was re-run to confirm a slowdown.
    pub reruns: Option<Spread>,
    /// (after − before) / before, on medians.
    pub change: f64,
    /// What the baseline was multiplied by before comparing: the suite factor when applied.
    pub scale: f64,
    /// The thresholds it was judged by (its tier's).
    pub thresholds: Regression,
    /// How widely its baseline runs count as spreading (relative width), its group's typical
    /// spread weighed in (see [`super::noise::judged_width`]).
    pub spread: f64,
    /// How widely the tests of its binary typically spread, when enough of them have runs.
    pub group_spread: Option<f64>,
    /// What it was held against.
    pub basis: Basis,
    pub call: Call,
}

impl Delta {
    /// Seconds gained (positive) or saved, for sorting by impact.
    pub fn impact(&self) -> f64 {
        self.after.median.as_secs_f64() - self.before.median.as_secs_f64()
    }

    /// The regression level, if this is a regression.
    pub fn level(&self) -> Option<Level> {
        match self.call {
            Call::Slower { level, .. } => Some(level),
            _ => None,
        }
    }

    pub fn improved(&self) -> bool {
        self.call == Call::Faster
    }

    /// The baseline median scaled by the suite factor: what "unchanged" means today.
    pub fn expected(&self) -> Duration {
        self.before.median.mul_f64(self.scale)
    }

    /// What its time is held against, scaled by the suite factor: the baseline median, or the
    /// top of its band.
    pub fn reference(&self) -> Duration {
        self.line().reference
    }

    /// What its times are held against: its reference, what the baseline saw, the allowance.
    pub fn line(&self) -> Line {
        lines(self.before.summary(), self.basis, self.scale)
    }

    /// A slowdown that a re-run alone could confirm or dismiss (not one from a baseline of
    /// another contract, nor one left out of the re-runs).
    pub fn needs_confirmation(&self) -> bool {
        self.reruns.is_none()
            && matches!(
                self.call,
                Call::Slower {
                    held: None | Some(Held::NotEveryRun),
                    ..
                }
            )
    }
}

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

/// The level `value` reaches against `line`: less the line's allowance, over its reference by
/// the warn or fail threshold, and beyond what the baseline saw by more than the noise floor —
/// a time within a floor of what the baseline already saw is not news.
fn level_of(value: Duration, line: Line, t: Regression) -> Option<Level> {
    let value = value.saturating_sub(line.allowance);
    if value.saturating_sub(line.seen) <= t.noise_floor {
        return None;
    }
    let ratio = value.as_secs_f64() / line.reference.max(MIN_TIME).as_secs_f64() - 1.0;
    if ratio > line.fail(t) {
        Some(Level::Fail)
    } else if ratio > t.warn {
        Some(Level::Warn)
    } else {
        None
    }
}

/// What a test with baseline runs `before`, counted as spreading `width` (`own`: of its own
/// runs alone), is held against: a noisy test (see [`is_noisy`]) against its band.
fn basis_of(before: Summary, width: f64, own: f64, t: Regression) -> Basis {
    if !is_noisy(before.min, width, t.fail, t.noise_floor) {
        return Basis::Median;
    }
    let noise = if width > own + 1e-9 {
        Noise::Group
    } else {
        Noise::Baseline
    };
    Basis::Band {
        top: band_top(before, width),
        noise,
    }
}

/// What a time is held against under a basis, scaled by the suite factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    /// The time the thresholds are ratios of: the median, or the top of the band.
    pub reference: Duration,
    /// The slowest time the baseline saw: a time within a floor of it is not news.
    pub seen: Duration,
    /// What a time may lie beyond the reference by noise alone before the thresholds apply: a
    /// noisy test's band is as wide above its top as its runs spread below it (3 runs of
    /// 10–35 ms say a 60 ms run is no news). Nothing for a median.
    pub allowance: Duration,
    /// Whether this is a noisy test's band: it fails only past [`BAND_FAIL`] over its top.
    pub band: bool,
}

/// How far over the top of its band (less its allowance) a noisy test must be to fail, at
/// least: +100 %, twice the top. Its few baseline runs say too little about its tail to fail
/// it nearer: on crossbeam beside two burners, no-change reports put noisy tests up to 2.0x
/// their band's top (stress tests whose 3 baseline runs missed their slow mode), and between
/// the thresholds and that they are warnings (docs/measurement.md, rule 4).
pub const BAND_FAIL: f64 = 1.0;

impl Line {
    /// The fail threshold that applies on this line: the tier's, or [`BAND_FAIL`] on a band.
    pub fn fail(&self, t: Regression) -> f64 {
        match self.band {
            true => t.fail.max(BAND_FAIL),
            false => t.fail,
        }
    }
}

/// The line a time is held against under `basis`, scaled by the suite factor.
fn lines(before: Summary, basis: Basis, scale: f64) -> Line {
    match basis {
        Basis::Median => Line {
            reference: before.median.mul_f64(scale),
            seen: before.max.mul_f64(scale),
            allowance: Duration::ZERO,
            band: false,
        },
        // A steady test's line widened by its re-runs alone: their spread is in the top.
        Basis::Band {
            top,
            noise: Noise::Reruns,
        } => Line {
            reference: top.mul_f64(scale),
            seen: top.mul_f64(scale),
            allowance: Duration::ZERO,
            band: false,
        },
        Basis::Band { top, .. } => Line {
            reference: top.mul_f64(scale),
            seen: top.mul_f64(scale),
            allowance: top.saturating_sub(before.min).mul_f64(scale),
            band: true,
        },
    }
}

/// One test's call from the suite run, held against `basis`.
fn judge(
    before: Summary,
    after: Summary,
    basis: Basis,
    scale: f64,
    t: Regression,
    comparable: bool,
) -> Call {
    let line = lines(before, basis, scale);
    let Some(mut level) = level_of(after.median, line, t) else {
        let saved = before.median.saturating_sub(after.median);
        return if change(before.median, after.median) < -t.warn && saved > t.noise_floor {
            Call::Faster
        } else {
            Call::Same
        };
    };
    let mut held = None;
    if level == Level::Fail && after.runs >= 2 && level_of(after.min, line, t) != Some(Level::Fail)
    {
        level = Level::Warn;
        held = Some(Held::NotEveryRun);
    }
    if level == Level::Fail && !comparable {
        level = Level::Warn;
        held = Some(Held::NotComparable);
    }
    Call::Slower { level, held }
}

/// (after − before) / before, a shorter baseline than [`MIN_TIME`] counted as that.
pub fn change(before: Duration, after: Duration) -> f64 {
    after.as_secs_f64() / before.max(MIN_TIME).as_secs_f64() - 1.0
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

/// A test that passed now: its runs and the thresholds it is judged by.
pub struct Current<'a> {
    pub id: &'a TestId,
    pub runs: Runs<'a>,
    pub thresholds: &'a Regression,
}

/// A test's runs now, borrowed where they are kept: one duration (a single run or a JUnit
/// file), or the spread of `--runs N`.
#[derive(Clone, Copy, Debug)]
pub enum Runs<'a> {
    One(std::time::Duration),
    Several(&'a Spread),
}

impl Runs<'_> {
    fn summary(self) -> Summary {
        match self {
            Runs::One(d) => Summary::one(d),
            Runs::Several(s) => s.summary(),
        }
    }

    fn to_spread(self) -> Spread {
        match self {
            Runs::One(d) => Spread::of(vec![d]).expect("one run"),
            Runs::Several(s) => s.clone(),
        }
    }
}

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
        let (d, band) = delta(summary, &before, now, &priors, scale, comparable);
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
    }
}

/// How `now` compares with its baseline runs (`before`, in ms; `summary` of them), judged with
/// its binary's spread (`priors`) against the baseline × `scale`: the delta (`None` when it is
/// the same), and the test when it is noisy.
fn delta(
    summary: Summary,
    before: &[u64],
    now: Current<'_>,
    priors: &super::noise::NoisePriors,
    scale: f64,
    comparable: bool,
) -> (Option<Delta>, Option<NoisyTest>) {
    let after = now.runs.summary();
    let group_spread = priors.for_binary(&now.id.binary_id);
    let spread = judged_width(summary, group_spread);
    let t = *now.thresholds;
    let basis = basis_of(summary, spread, summary.finite_width(), t);
    let call = judge(summary, after, basis, scale, t, comparable);
    let noisy = match basis {
        Basis::Band { top, noise } => Some(NoisyTest {
            id: now.id.clone(),
            width: spread,
            top,
            noise,
        }),
        Basis::Median => None,
    };
    let delta = (call != Call::Same).then(|| Delta {
        id: now.id.clone(),
        change: change(summary.median, after.median),
        before: Spread::of(before.iter().map(|&ms| Duration::from_millis(ms)).collect())
            .expect("a summary has runs"),
        after: now.runs.to_spread(),
        reruns: None,
        scale,
        thresholds: t,
        spread,
        group_spread: group_spread.map(|r| r.exp() - 1.0),
        basis,
        call,
    });
    (delta, noisy)
}

pub mod memory;

#[cfg(test)]
mod tests;
