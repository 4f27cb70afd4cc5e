//! `--format json`: the versioned machine-readable report (schema 1). Field order is fixed by
//! the structs below; tests and findings are sorted, so output diffs cleanly.

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

use crate::model::Metric;

use super::Meta;
use crate::policy::compare::Comparison;
use comparison::{ComparisonOut, comparison_out};

mod comparison;
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
    /// Instructions the test executed, counted under Valgrind (only when counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<u64>,
    /// The test's instruction budget (only when it has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions_budget: Option<u64>,
    file: Option<Shown<std::path::Display<'a>>>,
    line: Option<usize>,
}

fn bytes(a: Option<crate::model::Amount>) -> Option<u64> {
    match a? {
        crate::model::Amount::Bytes(b) => Some(b),
        crate::model::Amount::Time(_) | crate::model::Amount::Count(_) => None,
    }
}

fn count(a: Option<crate::model::Amount>) -> Option<u64> {
    a?.as_count()
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
    /// For `over-instructions`: the count and the budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions_budget: Option<u64>,
    /// For a `regression` of instructions: the baseline's count and this run's (the change is
    /// `change_pct`).
    #[serde(skip_serializing_if = "Option::is_none")]
    before_instructions: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after_instructions: Option<u64>,
    /// For `instructions-nondeterministic`: the lowest and highest count of its runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    low_instructions: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_instructions: Option<u64>,
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
        instructions: count(t.extra.get(Metric::Instructions)),
        instructions_budget: count(t.placement.budget_for(Metric::Instructions)),
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

/// An instruction finding's numbers: the count and budget (over), before and after
/// (regression), low and high (nondeterministic).
#[derive(Default)]
struct Counted {
    over: Option<(u64, u64)>,
    grew: Option<(u64, u64)>,
    varied: Option<(u64, u64)>,
}

fn counted(f: &Finding) -> Counted {
    use crate::policy::Payload;
    match &f.payload {
        Payload::OverBudget {
            metric: Metric::Instructions,
            measured,
            budget,
            ..
        } => Counted {
            over: measured.as_count().zip(budget.as_count()),
            ..Counted::default()
        },
        Payload::CountRegression { growth } => Counted {
            grew: Some((growth.before, growth.after)),
            ..Counted::default()
        },
        Payload::CountNondeterministic { low, high } => Counted {
            varied: Some((*low, *high)),
            ..Counted::default()
        },
        _ => Counted::default(),
    }
}

fn finding_out<'a>(f: &'a Finding, comparison: Option<&Comparison>) -> FindingOut<'a> {
    let counted = counted(f);
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
        instructions: counted.over.map(|(n, _)| n),
        instructions_budget: counted.over.map(|(_, b)| b),
        before_instructions: counted.grew.map(|(b, _)| b),
        after_instructions: counted.grew.map(|(_, a)| a),
        low_instructions: counted.varied.map(|(l, _)| l),
        high_instructions: counted.varied.map(|(_, h)| h),
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
