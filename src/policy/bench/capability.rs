//! Capability budgets (ADR 030) on benchmarks: each benchmark of a capability against its p95
//! budget, over budget only when clearly over.
//!
//! The p95 here is the 95th percentile of criterion's samples, each a sample's mean time per
//! iteration (criterion does not time single iterations): the time 95 % of the measured
//! batches stayed under, not the latency of 95 % of single calls. Its interval is
//! distribution-free, from order statistics: the number of samples under the true p95 is
//! binomial (n, 0.95), so the sorted samples at the binomial's 2.5 % and 97.5 % points bound it.

use std::time::Duration;

use statrs::distribution::{Binomial, DiscreteCDF};
use statrs::statistics::{Data, OrderStatistics};

use crate::config::Capability;
use crate::model::{BenchResult, Estimate};

/// Fewer samples than this give no p95 worth a verdict.
pub const MIN_SAMPLES: usize = 10;

/// The p95 of `samples` with its 95 % order-statistic interval (`None` under [`MIN_SAMPLES`]).
pub fn p95(samples: &[f64]) -> Option<Estimate> {
    let n = samples.len();
    if n < MIN_SAMPLES {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let point = Data::new(sorted.clone()).quantile(0.95);
    let b = Binomial::new(0.95, n as u64).ok()?;
    // The smallest k with P(B ≤ k) ≥ q: the rank (1-based) of the bound.
    let rank = |q: f64| (0..=n as u64).find(|&k| b.cdf(k) >= q).unwrap_or(n as u64) as usize;
    let lower = sorted[rank(0.025).clamp(1, n) - 1];
    let upper = sorted[(rank(0.975) + 1).clamp(1, n) - 1];
    Some(Estimate {
        point,
        lower: lower.min(point),
        upper: upper.max(point),
    })
}

/// How a benchmark stands against its capability's p95 budget.
#[derive(Clone, Debug, PartialEq)]
pub struct P95Check {
    pub capability: String,
    pub benchmark: String,
    pub target: Option<String>,
    /// Nanoseconds per iteration.
    pub p95: Estimate,
    pub budget: Duration,
    /// The whole interval is over the budget.
    pub clearly_over: bool,
}

/// A glob of a capability that matched no benchmark measured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched<'c> {
    pub capability: &'c Capability,
    pub glob: &'c str,
    /// A benchmark the glob would match were its `*` to cross `/` (`validate/*` and the
    /// parametrized `validate/f/10`): the likely mistake, named in the warning.
    pub across: Option<String>,
}

/// Every benchmark of every capability with a p95 budget whose p95 is over it (by the point
/// estimate at least), and each glob that matched no benchmark measured.
pub fn check<'c>(
    capabilities: &'c [Capability],
    results: &[BenchResult],
) -> (Vec<P95Check>, Vec<Unmatched<'c>>) {
    let (mut over, mut unmatched) = (Vec::new(), Vec::new());
    for c in capabilities.iter().filter(|c| !c.benches.is_empty()) {
        unmatched.extend(unmatched_globs(c, results));
        let mine: Vec<&BenchResult> = results.iter().filter(|r| c.covers(&r.id)).collect();
        let Some(budget) = c.p95 else { continue };
        let limit = budget.as_secs_f64() * 1e9;
        for r in mine {
            let Some(p) = p95(&r.samples) else { continue };
            if p.point > limit {
                over.push(P95Check {
                    capability: c.name.clone(),
                    benchmark: r.id.clone(),
                    target: r.target.clone(),
                    p95: p,
                    budget,
                    clearly_over: p.lower > limit,
                });
            }
        }
    }
    (over, unmatched)
}

fn unmatched_globs<'c>(c: &'c Capability, results: &[BenchResult]) -> Vec<Unmatched<'c>> {
    c.benches
        .iter()
        .filter(|g| {
            crate::config::glob(g).is_some_and(|m| !results.iter().any(|r| m.is_match(&r.id)))
        })
        .map(|g| Unmatched {
            capability: c,
            glob: g,
            across: crate::config::glob_across(g).and_then(|m| {
                results
                    .iter()
                    .map(|r| &r.id)
                    .filter(|id| m.is_match(id))
                    .min()
                    .cloned()
            }),
        })
        .collect()
}

/// Each complexity claim on each parametrized series of its capability's benchmarks:
/// (capability, the bench target of the series, the verdict).
pub fn complexity<'c>(
    capabilities: &'c [Capability],
    results: &[BenchResult],
) -> Vec<(
    &'c Capability,
    Option<String>,
    super::complexity::ComplexityCall,
)> {
    let mut out = Vec::new();
    for c in capabilities {
        let Some(claim) = c.complexity else { continue };
        let mine: Vec<&BenchResult> = results.iter().filter(|r| c.covers(&r.id)).collect();
        let series = super::complexity::series(&mine);
        if series.is_empty() && !mine.is_empty() {
            let verdict = super::complexity::ComplexityCall::Unfit {
                series: c.name.clone(),
                why: super::complexity::Unfit::NoSizes,
            };
            out.push((c, None, verdict));
        }
        for (name, points) in series {
            let target = mine
                .iter()
                .find(|r| r.id.starts_with(&name))
                .and_then(|r| r.target.clone());
            let verdict = super::complexity::judge(claim, &name, &points);
            out.push((c, target, verdict));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p95_interval_brackets_the_point_and_needs_samples() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let p = p95(&samples).unwrap();
        assert!((94.0..=96.0).contains(&p.point), "{p:?}");
        assert!(p.lower >= 88.0 && p.lower <= p.point, "{p:?}");
        assert!(p.upper >= p.point && p.upper <= 100.0, "{p:?}");
        assert_eq!(p95(&samples[..9]), None);
    }

    fn capability(benches: &[&str], p95_ms: u64) -> Capability {
        Capability {
            name: "validator".into(),
            benches: benches.iter().map(|b| b.to_string()).collect(),
            p95: Some(Duration::from_millis(p95_ms)),
            line: 1,
            ..Capability::default()
        }
    }

    fn result(id: &str, ms: &[f64]) -> BenchResult {
        let e = Estimate {
            point: 0.0,
            lower: 0.0,
            upper: 0.0,
        };
        BenchResult {
            id: id.into(),
            group: id.into(),
            function: None,
            value: None,
            target: Some("app::bench/speed".into()),
            estimates: crate::model::Estimates {
                mean: e,
                median: e,
                slope: None,
            },
            samples: ms.iter().map(|m| m * 1e6).collect(),
            runs: Vec::new(),
            throughput: None,
            instructions: Vec::new(),
        }
    }

    #[test]
    fn clearly_over_inconclusive_within_and_unmatched() {
        let steady: Vec<f64> = vec![60.0; 30];
        // Mostly 40 ms, a tail up to 55 ms: p95 over 50 ms by its point, not its interval.
        let mut tail: Vec<f64> = vec![40.0; 27];
        tail.extend([45.0, 52.0, 55.0]);
        let fast: Vec<f64> = vec![10.0; 30];
        let results = [
            result("validate/big", &steady),
            result("validate/tail", &tail),
            result("validate/small", &fast),
            result("validate/deep/x", &steady),
        ];
        let caps = [
            capability(&["validate/*"], 50),
            Capability {
                name: "gone".into(),
                ..capability(&["parse/*"], 50)
            },
        ];
        let (over, unmatched) = check(&caps, &results);
        let calls: Vec<(&str, bool)> = over
            .iter()
            .map(|c| (c.benchmark.as_str(), c.clearly_over))
            .collect();
        // `*` stays within one `/` segment: validate/deep/x is not the capability's.
        assert_eq!(calls, [("validate/big", true), ("validate/tail", false)]);
        let unmatched: Vec<(&str, &str)> = unmatched
            .iter()
            .map(|u| (u.capability.name.as_str(), u.glob))
            .collect();
        assert_eq!(unmatched, [("gone", "parse/*")]);
    }

    #[test]
    fn each_glob_that_matches_nothing_is_named_with_what_it_would_match_across_segments() {
        let ms: Vec<f64> = vec![1.0; 30];
        let results = [
            result("validate/f/10", &ms),
            result("validate/f/100", &ms),
            result("parse/x", &ms),
        ];
        let caps = [capability(
            &["parse/*", "validate/*", "gone/*", "validate/**"],
            50,
        )];
        let (_, unmatched) = check(&caps, &results);
        let got: Vec<(&str, Option<&str>)> = unmatched
            .iter()
            .map(|u| (u.glob, u.across.as_deref()))
            .collect();
        assert_eq!(
            got,
            [("validate/*", Some("validate/f/10")), ("gone/*", None)]
        );
    }
}
