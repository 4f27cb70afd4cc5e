//! Several runs of the same suite → one result per test: the median duration (what budgets and
//! baselines are judged on), every run's duration in order, and the worst outcome.

use std::collections::BTreeMap;
use std::time::Duration;

use super::noise::Spread;
use crate::model::{Amount, Metric, Metrics, Outcome, Run, TestId, TestResult};

/// The worst outcome across runs: a failure anywhere is a failure; then a timeout; then a
/// flaky pass; a test skipped in every run is skipped.
fn worst(a: Outcome, b: Outcome) -> Outcome {
    let rank = |o| match o {
        Outcome::Skipped => 0,
        Outcome::Passed => 1,
        Outcome::Flaky => 2,
        Outcome::TimedOut => 3,
        Outcome::Failed => 4,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Folds runs into one: each test's result carries its median duration; the spreads hold every
/// run's. The wall time is the median run's.
pub fn aggregate(runs: Vec<Run>) -> (Run, BTreeMap<TestId, Spread>) {
    let mut walls: Vec<Duration> = runs.iter().filter_map(|r| r.wall).collect();
    walls.sort();
    let unmeasured = runs.iter().find_map(|r| r.unmeasured.clone());
    let mut by_test: BTreeMap<TestId, (Outcome, Vec<Duration>, u32, Option<String>)> =
        BTreeMap::new();
    let mut extras: BTreeMap<TestId, Vec<Metrics>> = BTreeMap::new();
    for run in runs {
        for r in run.results {
            if !r.extra.is_empty() {
                extras.entry(r.id.clone()).or_default().push(r.extra);
            }
            let entry = by_test
                .entry(r.id)
                .or_insert((Outcome::Skipped, Vec::new(), 0, None));
            entry.0 = worst(entry.0, r.outcome);
            if r.outcome != Outcome::Skipped
                && let Some(d) = r.duration
            {
                entry.1.push(d);
            }
            entry.2 = entry.2.max(r.attempts);
            if entry.3.is_none() {
                entry.3 = r.message;
            }
        }
    }
    let mut results = Vec::with_capacity(by_test.len());
    let mut stats = BTreeMap::new();
    for (id, (outcome, durations, attempts, message)) in by_test {
        // No duration at all: skipped in every run, or never timed.
        let duration = Spread::of(durations).map(|spread| {
            let median = spread.median;
            stats.insert(id.clone(), spread);
            median
        });
        let extra = extras.remove(&id).map(fold_extras).unwrap_or_default();
        results.push(TestResult {
            id,
            outcome,
            duration,
            attempts,
            message,
            extra,
        });
    }
    let wall = (!walls.is_empty()).then(|| super::noise::median(&walls));
    (
        Run {
            results,
            wall,
            unmeasured,
            alone: Default::default(),
        },
        stats,
    )
}

/// Several runs' other metrics as one: the highest peak memory (a budget is on the peak), the
/// median CPU time.
fn fold_extras(runs: Vec<Metrics>) -> Metrics {
    let mut out = Metrics::default();
    if let Some(peak) = runs.iter().filter_map(|m| m.get(Metric::Memory)).max() {
        out.set(Metric::Memory, peak);
    }
    let mut cpu: Vec<Duration> = runs
        .iter()
        .filter_map(|m| m.get(Metric::Cpu)?.as_duration())
        .collect();
    cpu.sort();
    if !cpu.is_empty() {
        out.set(Metric::Cpu, Amount::Time(super::noise::median(&cpu)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(tests: &[(&str, Outcome, u64)]) -> Run {
        Run {
            results: tests
                .iter()
                .map(|(n, o, ms)| TestResult {
                    id: TestId::new("p::unit", *n),
                    outcome: *o,
                    duration: Some(Duration::from_millis(*ms)),
                    attempts: 1,
                    message: None,
                    extra: Default::default(),
                })
                .collect(),
            wall: Some(Duration::from_secs(1)),
            unmeasured: None,
            alone: Default::default(),
        }
    }

    #[test]
    fn medians_extremes_and_worst_outcome() {
        let (merged, stats) = aggregate(vec![
            run(&[
                ("a", Outcome::Passed, 100),
                ("b", Outcome::Passed, 10),
                ("c", Outcome::Skipped, 0),
            ]),
            run(&[
                ("a", Outcome::Passed, 300),
                ("b", Outcome::Failed, 12),
                ("c", Outcome::Skipped, 0),
            ]),
            run(&[
                ("a", Outcome::Passed, 200),
                ("b", Outcome::Flaky, 11),
                ("c", Outcome::Skipped, 0),
            ]),
        ]);
        let a = &stats[&TestId::new("p::unit", "a")];
        let d = Duration::from_millis;
        assert_eq!(a.samples, [d(100), d(300), d(200)], "run order");
        assert_eq!((a.min, a.median, a.max), (d(100), d(200), d(300)));
        let outcomes: Vec<_> = merged
            .results
            .iter()
            .map(|r| (r.id.name.as_str(), r.outcome, r.duration))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("a", Outcome::Passed, Some(Duration::from_millis(200))),
                ("b", Outcome::Failed, Some(Duration::from_millis(11))),
                ("c", Outcome::Skipped, None),
            ]
        );
        assert!(!stats.contains_key(&TestId::new("p::unit", "c")));
    }
}
