//! Benchmarks' instruction counts: each against its baseline count (exact, so judged as shown,
//! at 0.1 %, by `[regression] instructions`: `compare::count::growth`), and each capability's
//! benchmarks against its instruction budget. A benchmark whose runs counted differently is
//! nondeterministic: said so, and judged by time alone. The time judgement is untouched: a
//! count is an extra row and an extra finding.

use crate::config::{Capability, CountThresholds};
use crate::model::{BenchResult, NotCounted};
use crate::policy::compare::count::{Counted, growth, shown};
use crate::policy::verdict::bench::{BenchSubject, CountCall, CountDelta, CountFinding};
use crate::policy::{Finding, Payload, Severity};

/// Every counted benchmark of `current` against `baseline`'s count.
pub fn compare(
    baseline: &[BenchResult],
    current: &[BenchResult],
    t: CountThresholds,
) -> Vec<CountDelta> {
    let mut out: Vec<CountDelta> = current
        .iter()
        .filter_map(|now| {
            let after = Counted::of(&now.instructions)?;
            let before = baseline
                .iter()
                .find(|b| b.id == now.id)
                .and_then(|b| Counted::of(&b.instructions));
            Some(CountDelta {
                id: now.id.clone(),
                target: now.target.clone(),
                before,
                after,
                call: call(before, after, t),
                thresholds: t,
            })
        })
        .collect();
    out.sort_by(|a, b| a.call.cmp(&b.call).then(a.id.cmp(&b.id)));
    out
}

fn call(before: Option<Counted>, after: Counted, t: CountThresholds) -> CountCall {
    match (before, after) {
        (None, _) => CountCall::New,
        (Some(Counted::Exact(b)), Counted::Exact(a)) => match growth(b, a, t) {
            Some(g) if g.fail => CountCall::Fail,
            Some(_) => CountCall::Warn,
            // Fewer by at least the warn threshold, as shown.
            None if a < b && shown((b - a) as f64 / b as f64) + 1e-9 >= shown(t.warn) => {
                CountCall::Improved
            }
            None => CountCall::Unchanged,
        },
        _ => CountCall::Nondeterministic,
    }
}

/// A benchmark as a finding's subject.
fn benchmark(id: &str, target: Option<&String>) -> BenchSubject {
    BenchSubject::Benchmark {
        id: id.to_string(),
        target: target.cloned(),
    }
}

/// The findings of the count comparison: a grown count (`ceiling` when it fails, a warning at
/// most when the baseline's contract differs: another compiler counts differently), and each
/// nondeterministic benchmark (info).
pub fn findings(counts: &[CountDelta], comparable: bool, ceiling: Severity) -> Vec<Finding> {
    let warning = ceiling.min(Severity::Warning);
    let mut out = Vec::new();
    for (i, d) in counts.iter().enumerate() {
        let subject = benchmark(&d.id, d.target.as_ref());
        let payload = match (d.call, d.before, d.after) {
            (CountCall::Fail | CountCall::Warn, Some(Counted::Exact(b)), Counted::Exact(a)) => {
                let Some(g) = growth(b, a, d.thresholds) else {
                    continue;
                };
                let severity = match g.fail && comparable {
                    true => ceiling,
                    false => warning,
                };
                let grew = CountFinding::Grew {
                    count: i,
                    growth: g,
                    threshold: match g.fail {
                        true => d.thresholds.fail,
                        false => d.thresholds.warn,
                    },
                };
                out.push(Finding::of_bench(
                    severity,
                    subject,
                    Payload::BenchCount(grew),
                ));
                continue;
            }
            (CountCall::Nondeterministic, before, after) => {
                let (in_baseline, varied) = match (before, after) {
                    (Some(v @ Counted::Varied { .. }), _) => (true, v),
                    (_, v) => (false, v),
                };
                let Counted::Varied { low, high } = varied else {
                    continue;
                };
                CountFinding::Nondeterministic {
                    low,
                    high,
                    in_baseline,
                }
            }
            _ => continue,
        };
        out.push(Finding::of_bench(
            Severity::Info,
            subject,
            Payload::BenchCount(payload),
        ));
    }
    out
}

/// Each benchmark (or target) not counted: a warning at most (`ceiling`), with its reason.
pub fn not_counted(not_counted: &[NotCounted], ceiling: Severity) -> Vec<Finding> {
    not_counted
        .iter()
        .map(|n| {
            let subject = match &n.benchmark {
                Some(id) => benchmark(id, Some(&n.target)),
                None => BenchSubject::Target(n.target.clone()),
            };
            let payload = CountFinding::NotCounted {
                reason: n.reason.clone(),
            };
            Finding::of_bench(
                ceiling.min(Severity::Warning),
                subject,
                Payload::BenchCount(payload),
            )
        })
        .collect()
}

/// Instruction budgets of capabilities: each benchmark whose highest count is over its
/// capability's budget (`ceiling`: exact, so never inconclusive), and a capability whose
/// benchmarks were measured but none counted (a warning: a budget never passes unchecked).
pub fn budgets(
    capabilities: &[Capability],
    results: &[BenchResult],
    ceiling: Severity,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in capabilities {
        let Some(budget) = c.instructions else {
            continue;
        };
        let mine: Vec<&BenchResult> = results.iter().filter(|r| c.covers(&r.id)).collect();
        if !mine.is_empty() && mine.iter().all(|r| r.instructions.is_empty()) {
            let payload = CountFinding::BudgetUncounted { budget };
            out.push(Finding::of_bench(
                ceiling.min(Severity::Warning),
                BenchSubject::Capability(c.name.clone()),
                Payload::BenchCount(payload),
            ));
        }
        for r in mine {
            let Some(&highest) = r.instructions.iter().max() else {
                continue;
            };
            if highest > budget {
                let payload = CountFinding::OverBudget {
                    capability: c.name.clone(),
                    instructions: highest,
                    budget,
                };
                out.push(Finding::of_bench(
                    ceiling,
                    benchmark(&r.id, r.target.as_ref()),
                    Payload::BenchCount(payload),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::FindingKind;

    const T: CountThresholds = CountThresholds {
        warn: 0.01,
        fail: 0.03,
    };

    fn counted(id: &str, counts: &[u64]) -> BenchResult {
        let e = crate::model::Estimate {
            point: 1.0,
            lower: 1.0,
            upper: 1.0,
        };
        BenchResult {
            id: id.into(),
            group: id.into(),
            function: None,
            value: None,
            target: Some("fx-bench::bench/speed".into()),
            estimates: crate::model::Estimates {
                mean: e,
                median: e,
                slope: None,
            },
            samples: vec![1.0; 10],
            runs: Vec::new(),
            throughput: None,
            instructions: counts.to_vec(),
        }
    }

    /// The fixture's measured counts of `scaled/work/1000` (100 % of its work: 100,290; 101 %:
    /// 101,290; 103 %: 103,290), one benchmark that varies, one new, one not counted now.
    #[test]
    fn counts_are_called_exactly_and_varied_ones_are_said_to_be() {
        let baseline = [
            counted("scaled/work/1000", &[100_290]),
            counted("warn", &[100_290]),
            counted("fail", &[100_290]),
            counted("fewer", &[100_290]),
            counted("varied", &[4_743_753, 4_763_845]),
            counted("varies-now", &[500]),
            counted("uncounted", &[500]),
            counted("not-counted-before", &[]),
        ];
        let current = [
            counted("scaled/work/1000", &[100_290]),
            counted("warn", &[101_290]),
            counted("fail", &[103_290]),
            counted("fewer", &[90_000]),
            counted("varied", &[4_743_753]),
            counted("varies-now", &[500, 501]),
            counted("uncounted", &[]),
            counted("not-counted-before", &[7]),
            counted("new", &[7]),
        ];
        let deltas = compare(&baseline, &current, T);
        let calls: Vec<(&str, CountCall)> =
            deltas.iter().map(|d| (d.id.as_str(), d.call)).collect();
        assert_eq!(
            calls,
            [
                ("fail", CountCall::Fail),
                ("warn", CountCall::Warn),
                ("varied", CountCall::Nondeterministic),
                ("varies-now", CountCall::Nondeterministic),
                ("scaled/work/1000", CountCall::Unchanged),
                ("fewer", CountCall::Improved),
                ("new", CountCall::New),
                ("not-counted-before", CountCall::New),
            ]
        );
        let found = |comparable: bool| -> Vec<(String, FindingKind, Severity)> {
            findings(&deltas, comparable, Severity::Error)
                .iter()
                .map(|f| {
                    (
                        f.bench.as_ref().unwrap().name().into(),
                        f.kind(),
                        f.severity,
                    )
                })
                .collect()
        };
        let s = |id: &str, k, sev| (id.to_string(), k, sev);
        assert_eq!(
            found(true),
            [
                s(
                    "fail",
                    FindingKind::BenchInstructionsRegression,
                    Severity::Error
                ),
                s(
                    "warn",
                    FindingKind::BenchInstructionsRegression,
                    Severity::Warning
                ),
                s(
                    "varied",
                    FindingKind::BenchInstructionsNondeterministic,
                    Severity::Info
                ),
                s(
                    "varies-now",
                    FindingKind::BenchInstructionsNondeterministic,
                    Severity::Info
                ),
            ]
        );
        // Under another contract (another rustc counts differently) nothing fails.
        assert_eq!(found(false)[0].2, Severity::Warning);
        // The warn phase's ceiling is a warning.
        let warned = findings(&deltas, true, Severity::Warning);
        assert!(warned.iter().all(|f| f.severity <= Severity::Warning));
        let f = findings(&deltas, true, Severity::Error);
        assert_eq!(
            f[2].payload,
            Payload::BenchCount(CountFinding::Nondeterministic {
                low: 4_743_753,
                high: 4_763_845,
                in_baseline: true
            })
        );
        assert_eq!(deltas[0].change(), Some(3_000.0 / 100_290.0));
        assert_eq!(deltas[2].change(), None);
    }

    #[test]
    fn capability_instruction_budgets_judge_each_benchmark_s_highest_count() {
        let cap = |name: &str, glob: &str, budget: u64| Capability {
            name: name.into(),
            benches: vec![glob.into()],
            instructions: Some(budget),
            ..Capability::default()
        };
        let caps = [
            cap("scaled", "scaled/**", 100_000),
            cap("spin", "spin/*", 1_000_000),
            cap("uncounted", "io/*", 10),
            cap("gone", "gone/*", 10),
            Capability {
                instructions: None,
                ..cap("timed", "scaled/**", 1)
            },
        ];
        let results = [
            counted("scaled/work/1000", &[100_290]),
            counted("scaled/work/10", &[1_290]),
            counted("spin/fixed", &[80_290, 80_290]),
            counted("io/read", &[]),
        ];
        let found: Vec<(String, FindingKind, Severity)> = budgets(&caps, &results, Severity::Error)
            .iter()
            .map(|f| {
                (
                    f.bench.as_ref().unwrap().name().into(),
                    f.kind(),
                    f.severity,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "scaled/work/1000".into(),
                    FindingKind::CapabilityOverInstructions,
                    Severity::Error
                ),
                (
                    "uncounted".into(),
                    FindingKind::CapabilityInstructionsNotMeasured,
                    Severity::Warning
                ),
            ]
        );
    }

    #[test]
    fn what_was_not_counted_is_a_warning_about_its_benchmark_or_target() {
        let n = [
            NotCounted {
                target: "fx-bench::bench/speed".into(),
                benchmark: None,
                reason: "Valgrind is not installed".into(),
            },
            NotCounted {
                target: "fx-bench::bench/speed".into(),
                benchmark: Some("async/x".into()),
                reason: "no instruction inside".into(),
            },
        ];
        let f = not_counted(&n, Severity::Error);
        assert_eq!(f.len(), 2);
        assert!(
            f.iter()
                .all(|f| f.kind() == FindingKind::BenchInstructionsNotMeasured
                    && f.severity == Severity::Warning)
        );
        assert_eq!(
            f[0].bench,
            Some(BenchSubject::Target("fx-bench::bench/speed".into()))
        );
        assert_eq!(f[1].bench.as_ref().unwrap().name(), "async/x");
        // measure phase: nothing is raised.
        assert!(
            not_counted(&n, Severity::Info)
                .iter()
                .all(|f| f.severity == Severity::Info)
        );
    }
}
