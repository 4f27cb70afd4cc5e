//! The line a test's time is held against: its baseline median, or a noisy test's band (its
//! top, the allowance its spread gives, the fail line past twice it), and the level a time
//! reaches over that line.

use std::time::Duration;

use super::call::{Basis, Level, Noise};
use crate::config::Regression;
use crate::policy::noise::{MIN_TIME, Summary, band_top, is_noisy};

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
pub(super) fn lines(before: Summary, basis: Basis, scale: f64) -> Line {
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

/// The level `value` reaches against `line`: less the line's allowance, over its reference by
/// the warn or fail threshold, and beyond what the baseline saw by more than the noise floor —
/// a time within a floor of what the baseline already saw is not news.
pub(super) fn level_of(value: Duration, line: Line, t: Regression) -> Option<Level> {
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
pub(super) fn basis_of(before: Summary, width: f64, own: f64, t: Regression) -> Basis {
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
