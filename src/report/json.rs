//! `--format json`: the versioned machine-readable report (schema 1). Field order is fixed by
//! the structs below; tests and findings are sorted, so output diffs cleanly.

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use crate::model::Metric;

use super::Meta;
use crate::policy::compare::{Basis, Call, Comparison, Delta, Held, Level, Noise};
use crate::policy::noise::Spread;
use crate::policy::{Andon, Finding, Judged, Rule, TierSummary, Verdict};

pub const SCHEMA_VERSION: u32 = 1;

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round()
}

fn pct(fraction: f64) -> f64 {
    (fraction * 1000.0).round() / 10.0
}

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    nextest: Option<&'a str>,
    context: &'a str,
    phase: &'a str,
    status: crate::policy::Status,
    exit_code: i32,
    junit_files: &'a [String],
    suite: Suite,
    tiers: Seq<'a, TierSummary, TierOut<'a>>,
    tests: Seq<'a, Judged, TestOut<'a>>,
    findings: Findings<'a>,
    andon: Vec<AndonOut>,
    comparison: Option<ComparisonOut<'a>>,
}

#[derive(Serialize)]
struct ComparisonOut<'a> {
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

fn comparison_out(c: &Comparison) -> ComparisonOut<'_> {
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

/// A JSON array whose elements are built one at a time while serializing, so a report over
/// 100,000 tests never holds a second copy of them.
struct Seq<'a, T, O> {
    items: &'a [T],
    to: fn(&'a T) -> O,
}

/// The findings, each rendered (with its sentence) as it is written: 100,000 findings are never
/// all held as output at once.
struct Findings<'a> {
    items: &'a [Finding],
    comparison: Option<&'a Comparison>,
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.items.iter().map(|f| finding_out(f, self.comparison)))
    }
}

impl<'a, T, O: Serialize> Serialize for Seq<'a, T, O> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.items.iter().map(self.to))
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Suite {
    wall_ms: Option<f64>,
    budget_ms: f64,
}

#[derive(Serialize)]
struct Slowest<'a> {
    binary_id: &'a str,
    name: &'a str,
    duration_ms: f64,
    overage_pct: f64,
}

#[derive(Serialize)]
struct TierOut<'a> {
    tier: &'a str,
    budget_ms: f64,
    tests: usize,
    within_budget: usize,
    violations: usize,
    failed: usize,
    violation_rate: f64,
    slowest: Option<Slowest<'a>>,
    /// The largest peak memory among the tier's tests (only when measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    peak_bytes: Option<u64>,
}

#[derive(Serialize)]
struct RuleOut<'a> {
    kind: &'static str,
    detail: Shown<&'a Rule>,
}

/// A value written as its `Display` text, without building the string first (100,000 tests).
struct Shown<T>(T);

impl<T: std::fmt::Display> Serialize for Shown<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

fn rule(r: &Rule) -> RuleOut<'_> {
    RuleOut {
        kind: r.key(),
        detail: Shown(r),
    }
}

#[derive(Serialize)]
struct TestOut<'a> {
    binary_id: &'a str,
    name: &'a str,
    tier: &'a str,
    rule: RuleOut<'a>,
    exception: bool,
    /// `null` when the report gave no duration.
    duration_ms: Option<f64>,
    budget_ms: f64,
    outcome: &'static str,
    judgement: crate::policy::Judgement,
    attempts: u32,
    /// Peak resident memory of the judged attempt (only when measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    peak_bytes: Option<u64>,
    /// The test's memory budget (only when it has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    memory_budget_bytes: Option<u64>,
    /// User + system CPU time of the judged attempt (only when measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_ms: Option<f64>,
    file: Option<Shown<std::path::Display<'a>>>,
    line: Option<usize>,
}

fn bytes(a: Option<crate::model::Amount>) -> Option<u64> {
    match a? {
        crate::model::Amount::Bytes(b) => Some(b),
        crate::model::Amount::Time(_) | crate::model::Amount::Count(_) => None,
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    kind: &'static str,
    severity: &'static str,
    binary_id: Option<&'a str>,
    name: Option<&'a str>,
    tier: Option<&'a str>,
    duration_ms: Option<f64>,
    budget_ms: Option<f64>,
    overage_pct: Option<f64>,
    /// For `over-memory`: the peak and the budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    peak_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    memory_budget_bytes: Option<u64>,
    before_ms: Option<f64>,
    change_pct: Option<f64>,
    /// For `over-budget` and `timeout`: the test's passing times re-run alone after the run,
    /// when they are evidence (it was re-run and passed every re-run it took part in).
    #[serde(skip_serializing_if = "Option::is_none")]
    alone_ms: Option<Vec<f64>>,
    rule: Option<RuleOut<'a>>,
    file: Option<Shown<std::path::Display<'a>>>,
    line: Option<usize>,
    message: String,
}

fn tier_out(t: &TierSummary) -> TierOut<'_> {
    TierOut {
        tier: &t.tier,
        budget_ms: ms(t.budget),
        tests: t.tests,
        within_budget: t.within,
        violations: t.violations,
        failed: t.failed,
        violation_rate: (t.violation_rate() * 10_000.0).round() / 10_000.0,
        slowest: t.slowest.as_ref().map(|(id, d, over)| Slowest {
            binary_id: &id.binary_id,
            name: &id.name,
            duration_ms: ms(*d),
            overage_pct: pct(*over),
        }),
        peak_bytes: t.peak.as_ref().map(|(_, b)| *b),
    }
}

fn test_out(t: &Judged) -> TestOut<'_> {
    TestOut {
        binary_id: &t.id.binary_id,
        name: &t.id.name,
        tier: &t.placement.tier,
        rule: rule(&t.placement.rule),
        exception: t.placement.exception_line.is_some(),
        duration_ms: t.duration.map(ms),
        budget_ms: ms(t.placement.budget),
        outcome: t.outcome.as_str(),
        judgement: t.judgement,
        attempts: t.attempts,
        peak_bytes: bytes(t.extra.get(Metric::Memory)),
        memory_budget_bytes: bytes(t.placement.budget_for(Metric::Memory)),
        cpu_ms: t
            .extra
            .get(Metric::Cpu)
            .and_then(|a| a.as_duration())
            .map(ms),
        file: t.location.as_ref().map(|(f, _)| Shown(f.display())),
        line: t.location.as_ref().map(|(_, l)| *l),
    }
}

#[derive(Serialize)]
struct AndonOut {
    level: crate::policy::AndonLevel,
    signal: String,
    action: String,
}

fn andon_out(a: &Andon) -> AndonOut {
    let (signal, action) = super::andon::texts(a);
    AndonOut {
        level: a.level,
        signal,
        action,
    }
}

/// An over-memory finding's peak and budget, in bytes.
fn memory_of(f: &Finding) -> Option<(u64, u64)> {
    match &f.payload {
        crate::policy::Payload::OverBudget {
            metric: Metric::Memory,
            measured,
            budget,
            ..
        } => Some((bytes(Some(*measured))?, bytes(Some(*budget))?)),
        _ => None,
    }
}

fn finding_out<'a>(f: &'a Finding, comparison: Option<&Comparison>) -> FindingOut<'a> {
    FindingOut {
        kind: f.kind().as_str(),
        severity: f.severity.as_str(),
        binary_id: f.test.as_ref().map(|t| t.binary_id.as_str()),
        name: f.test.as_ref().map(|t| t.name.as_str()),
        tier: f.tier.as_deref(),
        duration_ms: f.duration().map(ms),
        budget_ms: f.budget().map(ms),
        overage_pct: f.overage().map(pct),
        peak_bytes: memory_of(f).map(|(peak, _)| peak),
        memory_budget_bytes: memory_of(f).map(|(_, budget)| budget),
        before_ms: f.before().map(ms),
        change_pct: f.change().map(pct),
        alone_ms: Some(f.alone())
            .filter(|a| !a.is_empty())
            .map(|a| a.iter().copied().map(ms).collect()),
        rule: f.rule.as_ref().map(rule),
        file: f.location.as_ref().map(|(p, _)| Shown(p.display())),
        line: f.location.as_ref().map(|(_, l)| *l),
        message: super::sentence(f, comparison),
    }
}

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "cargo-budget",
            version: env!("CARGO_PKG_VERSION"),
        },
        nextest: meta.nextest_version.as_deref(),
        context: verdict.context.as_str(),
        phase: verdict.phase.as_str(),
        status: verdict.status,
        exit_code: meta.exit_code,
        junit_files: &meta.junit_files,
        suite: Suite {
            wall_ms: verdict.wall.map(ms),
            budget_ms: ms(verdict.suite_budget),
        },
        tiers: Seq {
            items: &verdict.tiers,
            to: tier_out,
        },
        tests: Seq {
            items: &verdict.tests,
            to: test_out,
        },
        findings: Findings {
            items: &verdict.findings,
            comparison: verdict.comparison.as_ref(),
        },
        andon: verdict.andon.iter().map(andon_out).collect(),
        comparison: verdict.comparison.as_ref().map(comparison_out),
    };
    serde_json::to_writer_pretty(&mut *w, &report)?;
    writeln!(w)
}
