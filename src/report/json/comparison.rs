//! The `comparison` object of the JSON report: the baseline, the suite factor, and each
//! compared test the comparison has something to say about.

use serde::Serialize;

use super::{ms, pct};
use crate::policy::compare::{Basis, Call, Comparison, Delta, Held, Level, Noise};
use crate::policy::noise::Spread;

#[derive(Serialize)]
pub(super) struct ComparisonOut<'a> {
    baseline_commit: Option<&'a str>,
    baseline_created: &'a str,
    comparable: bool,
    differences: &'a [String],
    suite_factor: Option<FactorOut>,
    /// How many times slower tests were re-run alone.
    reruns: u32,
    /// Tests compared (passed now and then).
    compared: usize,
    /// The compared tests the comparison has something to say about: every call but `same`.
    tests: Changed<'a>,
    /// The compared tests judged against their band (noisy), widest first.
    noisy: Vec<NoisyOut<'a>>,
    new: Vec<String>,
    removed: Vec<String>,
}

#[derive(Serialize)]
struct FactorOut {
    ratio: f64,
    tests: usize,
    applied: bool,
}

/// A test judged against its band: how widely it counts as spreading, the band's top.
#[derive(Serialize)]
struct NoisyOut<'a> {
    binary_id: &'a str,
    name: &'a str,
    spread_pct: f64,
    band_top_ms: f64,
    noise: Noise,
}

#[derive(Serialize)]
struct DeltaOut<'a> {
    binary_id: &'a str,
    name: &'a str,
    /// Medians.
    before_ms: f64,
    after_ms: f64,
    change_pct: f64,
    /// `same`, `faster`, `slower` or `not-confirmed`.
    call: &'static str,
    level: Option<Level>,
    held: Option<Held>,
    /// What it was held against: its baseline `median`, or the top of its `band` (noisy).
    basis: &'static str,
    /// The band's top (before the suite factor), for a noisy test.
    band_top_ms: Option<f64>,
    /// How far past the band's top a time may lie by noise alone (as wide as the band spreads
    /// below it), before the thresholds apply (before the suite factor).
    band_allowance_ms: Option<f64>,
    /// Whose runs made it noisy: its `baseline` runs, its binary's (`group`) or its `reruns`.
    noise: Option<Noise>,
    /// What the baseline was multiplied by (the suite factor when applied, else 1).
    scale: f64,
    /// How widely its baseline runs count as spreading, its binary's tests weighed in (%).
    spread_pct: f64,
    /// How widely the tests of its binary typically spread (%), when enough have runs.
    group_spread_pct: Option<f64>,
    baseline_runs_ms: Vec<f64>,
    runs_ms: Vec<f64>,
    reruns_ms: Option<Vec<f64>>,
}

fn samples(s: &Spread) -> Vec<f64> {
    s.samples.iter().map(|d| ms(*d)).collect()
}

fn delta_out(d: &Delta) -> DeltaOut<'_> {
    let (call, held) = match d.call {
        Call::Same => ("same", None),
        Call::Faster => ("faster", None),
        Call::Slower { held, .. } => ("slower", held),
        Call::NotConfirmed => ("not-confirmed", None),
    };
    let (basis, band_top_ms, band_allowance_ms, noise) = match d.basis {
        Basis::Median => ("median", None, None, None),
        Basis::Band { top, noise } => (
            "band",
            Some(ms(top)),
            Some(ms(top.saturating_sub(d.before.min))),
            Some(noise),
        ),
    };
    DeltaOut {
        binary_id: &d.id.binary_id,
        name: &d.id.name,
        before_ms: ms(d.before.median),
        after_ms: ms(d.after.median),
        change_pct: pct(d.change),
        call,
        level: d.level(),
        held,
        basis,
        band_top_ms,
        band_allowance_ms,
        noise,
        scale: (d.scale * 1000.0).round() / 1000.0,
        spread_pct: pct(d.spread),
        group_spread_pct: d.group_spread.map(pct),
        baseline_runs_ms: samples(&d.before),
        runs_ms: samples(&d.after),
        reruns_ms: d.reruns.as_ref().map(samples),
    }
}

pub(super) fn comparison_out(c: &Comparison) -> ComparisonOut<'_> {
    ComparisonOut {
        baseline_commit: c.baseline_commit.as_deref(),
        baseline_created: &c.baseline_created,
        comparable: c.comparable(),
        differences: &c.differences,
        suite_factor: c.factor.map(|f| FactorOut {
            ratio: (f.ratio * 1000.0).round() / 1000.0,
            tests: f.tests,
            applied: f.applied,
        }),
        reruns: c.reruns,
        compared: c.compared,
        tests: Changed(&c.deltas),
        noisy: c
            .noisy
            .iter()
            .map(|n| NoisyOut {
                binary_id: &n.id.binary_id,
                name: &n.id.name,
                spread_pct: pct(n.width),
                band_top_ms: ms(n.top),
                noise: n.noise,
            })
            .collect(),
        new: c.new.iter().map(|t| t.to_string()).collect(),
        removed: c.removed.iter().map(|t| t.to_string()).collect(),
    }
}

/// The deltas whose call is not `same`, built one at a time while serializing.
struct Changed<'a>(&'a [Delta]);

impl Serialize for Changed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .iter()
                .filter(|d| d.call != Call::Same)
                .map(delta_out),
        )
    }
}
