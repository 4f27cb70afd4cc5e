//! A baseline recorded from collected results: per test its tier, outcome and runs; only a
//! test that passed in every run gets reference times.

use std::collections::BTreeMap;

use super::{Baseline, Entry, RunInfo, SCHEMA, WorkspaceId};
use crate::model::{Amount, Metric, Outcome, Run, RunRecord, TestId};
use crate::policy::Classified;
use crate::policy::noise::Spread;

/// Rounded to the millisecond (JUnit's precision; the median of two runs can have a half).
fn ms(d: std::time::Duration) -> u64 {
    (d.as_secs_f64() * 1000.0).round() as u64
}

/// What a baseline is recorded from.
pub struct Measured<'a> {
    pub run: &'a Run,
    pub classified: &'a [Classified],
    pub stats: &'a BTreeMap<TestId, Spread>,
    pub contract: &'a super::Contract,
    pub counts: &'a crate::model::Counts,
}

impl Baseline {
    /// The baseline of what was measured — `run` (each test's median, folded from `records`,
    /// one per run), placed as `classified`, with each test's runs in `stats`, under
    /// `contract` — for `workspace` at `commit`, stamped now.
    pub fn record(
        measured: Measured<'_>,
        records: &[RunRecord],
        workspace: WorkspaceId,
        commit: Option<String>,
    ) -> Baseline {
        let tiers: BTreeMap<_, _> = measured
            .classified
            .iter()
            .map(|c| (c.id.clone(), c.placement.tier.clone()))
            .collect();
        let mut tests = BTreeMap::new();
        for r in measured
            .run
            .results
            .iter()
            .filter(|r| r.outcome != Outcome::Skipped)
        {
            let Some(tier) = tiers.get(&r.id) else {
                continue;
            };
            let stats = measured.stats.get(&r.id);
            // Only a test that passed in every run becomes a reference time.
            let clean = stats.filter(|_| r.outcome == Outcome::Passed);
            tests.insert(
                r.id.to_string(),
                Entry {
                    tier: tier.clone(),
                    runs: stats.map_or(0, |s| s.runs()),
                    min_ms: clean.map(|s| ms(s.min)),
                    median_ms: clean.map(|s| ms(s.median)),
                    max_ms: clean.map(|s| ms(s.max)),
                    outcome: r.outcome.as_str().to_string(),
                    samples_ms: clean.map(|s| s.samples.iter().map(|d| ms(*d)).collect()),
                    peak_bytes: match r.extra.get(Metric::Memory) {
                        Some(Amount::Bytes(b)) => Some(b),
                        _ => None,
                    },
                    cpu_ms: r
                        .extra
                        .get(Metric::Cpu)
                        .and_then(|a| a.as_duration())
                        .map(ms),
                    instructions: measured.counts.by_test.get(&r.id).cloned(),
                },
            );
        }
        Baseline {
            schema: SCHEMA,
            tool: format!("cargo-budget {}", env!("CARGO_PKG_VERSION")),
            created: jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .map_or_else(|_| String::new(), |t| t.to_string()),
            commit,
            workspace,
            contract: measured.contract.clone(),
            runs: records
                .iter()
                .map(|r| RunInfo {
                    wall_ms: r.wall_ms,
                    load_1m: r.load_1m,
                })
                .collect(),
            tests,
        }
    }
}
