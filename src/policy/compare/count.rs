//! Instruction counts against the baseline's. A count is exact — the same code and inputs count
//! the same under any load — so there is no spread to estimate and no noise floor: a change is
//! judged as reports show it, rounded to 0.1 %, against `[regression] instructions`' thresholds
//! (at or over `warn` warns, at or over `fail` fails). A baseline whose runs counted differently
//! says the test is nondeterministic (threads, random seeds): its count is not judged.

use crate::config::CountThresholds;

/// How a count compares with its baseline count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountGrowth {
    pub before: u64,
    pub after: u64,
    /// (after − before) / before.
    pub change: f64,
    /// At or over the fail threshold (else at or over the warn threshold).
    pub fail: bool,
}

/// The change as reports show it: a fraction rounded to 0.1 % (0.0299 → 0.030).
pub fn shown(change: f64) -> f64 {
    (change * 1000.0).round() / 1000.0
}

/// `Some` when `after` grew from `before` by at least `t.warn`, as shown.
pub fn growth(before: u64, after: u64, t: CountThresholds) -> Option<CountGrowth> {
    if before == 0 || after <= before {
        return None;
    }
    let change = (after - before) as f64 / before as f64;
    let seen = shown(change);
    // Thresholds are compared at the same 0.1 % too (1e-9 absorbs their own float error).
    let at = |threshold: f64| seen + 1e-9 >= shown(threshold);
    at(t.warn).then_some(CountGrowth {
        before,
        after,
        change,
        fail: at(t.fail),
    })
}

/// A baseline's counts of one test: the count to compare with, or the range they spread over
/// (nondeterministic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    Exact(u64),
    Varied { low: u64, high: u64 },
}

impl Counted {
    /// The counts of several runs (`None` when there are none).
    pub fn of(counts: &[u64]) -> Option<Counted> {
        let low = *counts.iter().min()?;
        let high = *counts.iter().max()?;
        Some(match low == high {
            true => Counted::Exact(low),
            false => Counted::Varied { low, high },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: CountThresholds = CountThresholds {
        warn: 0.01,
        fail: 0.03,
    };

    #[test]
    fn growth_table() {
        // (before, after, None | Some(fail?)): measured counts from the fixtures.
        let table = [
            (100_290, 100_290, None),        // unchanged
            (100_290, 101_290, Some(false)), // +1 % of work, +0.997 % of the count: warns
            (100_290, 103_290, Some(true)),  // +3 % of work, +2.99 %: fails
            (76_058, 78_338, Some(true)),    // +3 % of iterations in a test: +2.998 %
            (100_000, 100_940, None),        // +0.94 %, shown +0.9 %: under 1 %
            (100_000, 100_950, Some(false)), // +0.95 %, shown +1.0 %
            (100_000, 102_940, Some(false)), // +2.9 %
            (100_000, 150_000, Some(true)),  // +50 %
            (100_000, 90_000, None),         // fewer
            (0, 10, None),                   // nothing counted before
        ];
        for (before, after, want) in table {
            let got = growth(before, after, T).map(|g| g.fail);
            assert_eq!(got, want, "{before} → {after}");
        }
    }

    #[test]
    fn counts_of_several_runs() {
        assert_eq!(Counted::of(&[]), None);
        assert_eq!(Counted::of(&[5, 5]), Some(Counted::Exact(5)));
        assert_eq!(
            Counted::of(&[4_743_753, 4_763_845]),
            Some(Counted::Varied {
                low: 4_743_753,
                high: 4_763_845
            })
        );
    }
}
