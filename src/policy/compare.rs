//! Comparison with a baseline: per test, before and after; a regression when the slowdown
//! exceeds the warn/fail threshold *and* the noise floor. With three or more runs, a fail-level
//! regression also needs the fastest current run to be slower than the baseline by the fail
//! threshold, so one noisy run cannot fail a build. A baseline measured under a different
//! contract is still compared, but nothing it finds is above a warning.

use std::collections::BTreeMap;
use std::time::Duration;

use super::aggregate::Stats;
use crate::config::Regression;
use crate::model::TestId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Warn,
    Fail,
}

/// One test present, and passing, in both.
#[derive(Clone, Debug, PartialEq)]
pub struct Delta {
    pub id: TestId,
    pub before: Duration,
    pub after: Duration,
    /// (after − before) / before.
    pub change: f64,
    pub level: Option<Level>,
    /// Why a fail-level change was reported at warn level.
    pub downgraded: Option<String>,
    /// Faster by more than the warn threshold and the noise floor.
    pub improved: bool,
}

impl Delta {
    /// Milliseconds gained (positive) or saved, for sorting by impact.
    pub fn impact(&self) -> f64 {
        self.after.as_secs_f64() - self.before.as_secs_f64()
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub baseline_commit: Option<String>,
    pub baseline_created: String,
    /// Contract fields that differ; non-empty means "not comparable".
    pub differences: Vec<String>,
    /// Sorted by impact, largest slowdown first.
    pub deltas: Vec<Delta>,
    pub new: Vec<TestId>,
    pub removed: Vec<TestId>,
    /// The baseline durations of tests that passed there but did not pass now (a killed test's
    /// history).
    pub passed_before: BTreeMap<TestId, Duration>,
}

impl Comparison {
    pub fn comparable(&self) -> bool {
        self.differences.is_empty()
    }
}

pub struct Inputs<'a> {
    /// Baseline tests and their reference durations (`None`: present but not a reference).
    pub baseline: &'a BTreeMap<TestId, Option<Duration>>,
    /// Current measurements of the tests that passed.
    pub current: &'a BTreeMap<TestId, Stats>,
    /// Every test that ran now (passed or not), for "new".
    pub ran: &'a [TestId],
    /// Tests that exist now (the inventory) for "removed"; `None`: only `ran` is known.
    pub existing: Option<&'a std::collections::HashSet<TestId>>,
    pub thresholds: Regression,
    pub differences: Vec<String>,
    pub baseline_commit: Option<String>,
    pub baseline_created: String,
}

pub fn compare(inputs: &Inputs<'_>) -> Comparison {
    let t = inputs.thresholds;
    let mut deltas = Vec::new();
    for (id, now) in inputs.current {
        let Some(Some(before)) = inputs.baseline.get(id) else {
            continue;
        };
        let before = *before;
        let secs = before.as_secs_f64().max(1e-9);
        let change = (now.median.as_secs_f64() - secs) / secs;
        let above_noise = now.median.saturating_sub(before) > t.noise_floor;
        let mut level = if !above_noise {
            None
        } else if change > t.fail {
            Some(Level::Fail)
        } else if change > t.warn {
            Some(Level::Warn)
        } else {
            None
        };
        let mut downgraded = None;
        if level == Some(Level::Fail) {
            let fastest_change = (now.min.as_secs_f64() - secs) / secs;
            if now.runs >= 3 && fastest_change <= t.fail {
                level = Some(Level::Warn);
                downgraded = Some(format!(
                    "the fastest of {} runs ({:.3}s) is within the fail threshold",
                    now.runs,
                    now.min.as_secs_f64()
                ));
            } else if !inputs.differences.is_empty() {
                level = Some(Level::Warn);
                downgraded = Some(format!("not comparable: {}", inputs.differences.join(", ")));
            }
        }
        let improved = change < -t.warn && before.saturating_sub(now.median) > t.noise_floor;
        deltas.push(Delta {
            id: id.clone(),
            before,
            after: now.median,
            change,
            level,
            downgraded,
            improved,
        });
    }
    deltas.sort_by(|a, b| b.impact().total_cmp(&a.impact()).then(a.id.cmp(&b.id)));
    let new = inputs
        .ran
        .iter()
        .filter(|id| !inputs.baseline.contains_key(id))
        .cloned()
        .collect();
    let removed = inputs
        .baseline
        .keys()
        .filter(|id| match inputs.existing {
            Some(existing) => !existing.contains(id),
            None => !inputs.ran.contains(id),
        })
        .cloned()
        .collect();
    Comparison {
        baseline_commit: inputs.baseline_commit.clone(),
        baseline_created: inputs.baseline_created.clone(),
        differences: inputs.differences.clone(),
        deltas,
        new,
        removed,
        passed_before: passed_before(inputs),
    }
}

/// Tests that ran now without passing, with the duration they passed in in the baseline.
fn passed_before(inputs: &Inputs<'_>) -> BTreeMap<TestId, Duration> {
    inputs
        .ran
        .iter()
        .filter(|id| !inputs.current.contains_key(*id))
        .filter_map(|id| match inputs.baseline.get(id) {
            Some(Some(before)) => Some((id.clone(), *before)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    fn stats(runs: u32, min: u64, median: u64) -> Stats {
        Stats {
            runs,
            min: ms(min),
            median: ms(median),
            max: ms(median.max(min)),
        }
    }

    fn levels(
        current: &[(&str, Stats)],
        differences: Vec<String>,
    ) -> Vec<(String, Option<Level>, bool)> {
        let mut baseline = BTreeMap::new();
        for name in ["a", "b", "c", "d", "e", "f", "g"] {
            baseline.insert(TestId::new("p::unit", name), Some(ms(200)));
        }
        baseline.insert(TestId::new("p::unit", "tiny"), Some(ms(10)));
        baseline.insert(TestId::new("p::unit", "was_failing"), None);
        let current: BTreeMap<TestId, Stats> = current
            .iter()
            .map(|(n, s)| (TestId::new("p::unit", *n), s.clone()))
            .collect();
        let ran: Vec<TestId> = current.keys().cloned().collect();
        let c = compare(&Inputs {
            baseline: &baseline,
            current: &current,
            ran: &ran,
            existing: None,
            thresholds: Regression {
                warn: 0.10,
                fail: 0.25,
                noise_floor: ms(20),
            },
            differences,
            baseline_commit: None,
            baseline_created: String::new(),
        });
        let mut out: Vec<_> = c
            .deltas
            .iter()
            .map(|d| (d.id.name.clone(), d.level, d.downgraded.is_some()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn thresholds_noise_floor_and_robust_fail() {
        let got = levels(
            &[
                ("a", stats(1, 205, 205)),  // +2.5%: nothing
                ("b", stats(1, 230, 230)),  // +15%: warn
                ("c", stats(1, 260, 260)),  // +30%: fail
                ("d", stats(3, 210, 260)),  // +30% median, fastest +5%: warn (robust)
                ("e", stats(3, 255, 262)),  // fastest +27.5%: fail
                ("f", stats(1, 150, 150)),  // faster: nothing
                ("tiny", stats(1, 25, 25)), // +150% but +15 ms < noise floor: nothing
                ("was_failing", stats(1, 900, 900)),
            ],
            vec![],
        );
        assert_eq!(
            got,
            [
                ("a".into(), None, false),
                ("b".into(), Some(Level::Warn), false),
                ("c".into(), Some(Level::Fail), false),
                ("d".into(), Some(Level::Warn), true),
                ("e".into(), Some(Level::Fail), false),
                ("f".into(), None, false),
                ("tiny".into(), None, false),
            ]
        );
    }

    #[test]
    fn not_comparable_caps_at_warn() {
        let got = levels(
            &[("c", stats(1, 260, 260))],
            vec!["cpus (baseline `2`, now `8`)".into()],
        );
        assert_eq!(got, [("c".into(), Some(Level::Warn), true)]);
    }
}
