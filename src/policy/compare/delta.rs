//! One test's delta: its runs now against its baseline runs, the call the suite run makes and
//! how it is shown (the change, what it was held against).

use std::time::Duration;

use super::call::{Basis, Call, Held, Level, Noise};
use super::line::{Line, basis_of, level_of, lines};
use crate::config::Regression;
use crate::model::TestId;
use crate::policy::noise::{MIN_TIME, NoisePriors, Spread, Summary, judged_width};

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
    /// spread weighed in (see [`judged_width`]).
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

/// A test judged against its band: its id, how widely it counts as spreading, the band.
#[derive(Clone, Debug, PartialEq)]
pub struct NoisyTest {
    pub id: TestId,
    pub width: f64,
    pub top: Duration,
    pub noise: Noise,
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
    pub(super) fn summary(self) -> Summary {
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

/// How `now` compares with its baseline runs (`before`, in ms; `summary` of them), judged with
/// its binary's spread (`priors`) against the baseline × `scale`: the delta (`None` when it is
/// the same), and the test when it is noisy.
pub(super) fn delta(
    summary: Summary,
    before: &[u64],
    now: Current<'_>,
    priors: &NoisePriors,
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

/// One test's call from the suite run, held against `basis`.
pub(super) fn judge(
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
