//! Budget evaluation: results + placements → findings, per-tier summaries, andon signals and a
//! verdict. Pure: the caller supplies today's date and every input.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use jiff::civil::Date;

use super::classify::{Placement, Rule};
use super::compare::{Comparison, Level};
use super::enforce::{Severity, Status, severity};
use crate::config::{Config, Context};
use crate::model::{Outcome, Run, TestId};

/// A test with its placement and (optional) source location, ready to be judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    pub id: TestId,
    pub placement: Placement,
    pub location: Option<(PathBuf, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    OverBudget,
    Timeout,
    SuiteOverBudget,
    ExceptionExpired,
    ExceptionStale,
    TestFailed,
    Regression,
    /// Passed, but the report gives no duration for it: it cannot be judged.
    NoDuration,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::OverBudget => "over-budget",
            FindingKind::Timeout => "timeout",
            FindingKind::SuiteOverBudget => "suite-over-budget",
            FindingKind::ExceptionExpired => "exception-expired",
            FindingKind::ExceptionStale => "exception-stale",
            FindingKind::TestFailed => "test-failed",
            FindingKind::Regression => "regression",
            FindingKind::NoDuration => "no-duration",
        }
    }

    /// Counts as a budget violation of its tier.
    pub fn is_test_violation(self) -> bool {
        matches!(self, FindingKind::OverBudget | FindingKind::Timeout)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    pub test: Option<TestId>,
    pub tier: Option<String>,
    pub duration: Option<Duration>,
    pub budget: Option<Duration>,
    /// (duration − budget) / budget, for over-budget findings.
    pub overage: Option<f64>,
    /// The baseline's duration, and the change relative to it, for regressions.
    pub before: Option<Duration>,
    pub change: Option<f64>,
    pub rule: Option<Rule>,
    pub location: Option<(PathBuf, usize)>,
    /// One human sentence; renderers may add their own framing.
    pub message: String,
}

/// Whether a judged test stayed within its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judgement {
    Within,
    OverBudget,
    Timeout,
    Failed,
    Skipped,
    /// Passed without a duration: neither within its budget nor over it.
    NoDuration,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub id: TestId,
    pub placement: Placement,
    pub location: Option<(PathBuf, usize)>,
    pub outcome: Outcome,
    /// `None` when the report gave no duration.
    pub duration: Option<Duration>,
    pub attempts: u32,
    pub judgement: Judgement,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TierSummary {
    pub tier: String,
    pub budget: Duration,
    /// Tests that ran (passed, flaky, failed or timed out).
    pub tests: usize,
    pub within: usize,
    pub violations: usize,
    /// The slowest test that ran: id, duration, overage over its budget (negative when within).
    pub slowest: Option<(TestId, Duration, f64)>,
}

impl TierSummary {
    pub fn violation_rate(&self) -> f64 {
        if self.tests == 0 {
            0.0
        } else {
            self.violations as f64 / self.tests as f64
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AndonLevel {
    Medium,
    High,
}

/// A signal for dashboards: what is wrong and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Andon {
    pub level: AndonLevel,
    pub signal: String,
    pub action: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub context: Context,
    pub phase: crate::config::Phase,
    pub tests: Vec<Judged>,
    pub tiers: Vec<TierSummary>,
    pub findings: Vec<Finding>,
    pub andon: Vec<Andon>,
    pub wall: Option<Duration>,
    pub suite_budget: Duration,
    pub status: Status,
    pub comparison: Option<Comparison>,
}

/// Everything evaluation needs besides the tests themselves.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub context: Context,
    pub today: Date,
    /// Every test known to exist (the inventory); exceptions naming anything else are stale.
    /// `None`: the run's results are all there is (judging JUnit files).
    pub known: Option<&'a HashSet<TestId>>,
}

/// "unit" or "exception": where a test's budget comes from, for messages.
fn budget_source(p: &Placement) -> String {
    match p.exception_line {
        Some(_) => "exception".to_string(),
        None => p.tier.clone(),
    }
}

pub fn overage(duration: Duration, budget: Duration) -> f64 {
    (duration.as_secs_f64() - budget.as_secs_f64()) / budget.as_secs_f64()
}

/// Judges `run` against the placements in `classified`. Both are consumed: a verdict over
/// 100,000 tests should not hold every id twice.
pub fn evaluate(
    inputs: &Inputs<'_>,
    classified: Vec<Classified>,
    run: Run,
    comparison: Option<Comparison>,
) -> Verdict {
    let config = inputs.config;
    let sev = |kind| {
        severity(
            kind,
            config.phase,
            config.enforce.for_context(inputs.context),
        )
    };

    let mut classified = classified;
    classified.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let mut results = run.results;
    results.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let mut placements = classified.into_iter().peekable();

    let mut tests = Vec::with_capacity(results.len());
    let mut findings = Vec::new();
    for result in results {
        while placements.next_if(|c| c.id < result.id).is_some() {}
        let Some(c) = placements.next_if(|c| c.id == result.id) else {
            continue;
        };
        let budget = c.placement.budget;
        let judgement = match result.outcome {
            Outcome::Skipped => Judgement::Skipped,
            Outcome::Failed => Judgement::Failed,
            Outcome::TimedOut => Judgement::Timeout,
            Outcome::Passed | Outcome::Flaky => match result.duration {
                None => Judgement::NoDuration,
                Some(d) if d > budget => Judgement::OverBudget,
                Some(_) => Judgement::Within,
            },
        };
        // For the over-budget numbers, which only a test with a duration gets.
        let duration = result.duration.unwrap_or_default();
        let finding = |kind: FindingKind, message: String| Finding {
            kind,
            severity: sev(kind),
            test: Some(result.id.clone()),
            tier: Some(c.placement.tier.clone()),
            duration: result.duration,
            budget: Some(budget),
            overage: (kind == FindingKind::OverBudget).then(|| overage(duration, budget)),
            before: None,
            change: None,
            rule: Some(c.placement.rule.clone()),
            location: c.location.clone(),
            message,
        };
        match judgement {
            Judgement::OverBudget => findings.push(finding(
                FindingKind::OverBudget,
                format!(
                    "took {:.3}s, over its {} budget of {} by {:.1}%",
                    duration.as_secs_f64(),
                    budget_source(&c.placement),
                    crate::config::units::format_budget(budget),
                    overage(duration, budget) * 100.0
                ),
            )),
            Judgement::Timeout => findings.push(finding(
                FindingKind::Timeout,
                format!(
                    "timed out: killed{} (its {} budget is {})",
                    result
                        .duration
                        .map(|d| format!(" after {:.3}s", d.as_secs_f64()))
                        .unwrap_or_default(),
                    budget_source(&c.placement),
                    crate::config::units::format_budget(budget)
                ),
            )),
            Judgement::Failed => findings.push(finding(
                FindingKind::TestFailed,
                match &result.message {
                    Some(m) => format!("failed: {m}"),
                    None => "failed".to_string(),
                },
            )),
            Judgement::NoDuration => findings.push(finding(
                FindingKind::NoDuration,
                format!(
                    "{}, but the report gives no duration for it: not judged against its {} budget of {}",
                    result.outcome.as_str(),
                    budget_source(&c.placement),
                    crate::config::units::format_budget(budget)
                ),
            )),
            Judgement::Within | Judgement::Skipped => {}
        }
        tests.push(Judged {
            id: result.id,
            placement: c.placement,
            location: c.location,
            outcome: result.outcome,
            duration: result.duration,
            attempts: result.attempts,
            judgement,
        });
    }

    if let Some(wall) = run.wall
        && wall > config.suite_budget
    {
        findings.push(Finding {
            kind: FindingKind::SuiteOverBudget,
            severity: sev(FindingKind::SuiteOverBudget),
            test: None,
            tier: None,
            duration: Some(wall),
            budget: Some(config.suite_budget),
            overage: Some(overage(wall, config.suite_budget)),
            before: None,
            change: None,
            rule: None,
            location: None,
            message: format!(
                "the suite took {:.3}s, over its budget of {}",
                wall.as_secs_f64(),
                crate::config::units::format_budget(config.suite_budget)
            ),
        });
    }

    for e in &config.exceptions {
        let base = |kind: FindingKind, message: String| Finding {
            kind,
            severity: sev(kind),
            test: Some(e.test.clone()),
            tier: e.tier.clone(),
            duration: None,
            budget: e.budget,
            overage: None,
            before: None,
            change: None,
            rule: Some(Rule::Exception { line: e.line }),
            location: None,
            message,
        };
        if let Some(expires) = e.expires
            && expires < inputs.today
        {
            findings.push(base(
                FindingKind::ExceptionExpired,
                format!("exception (budget.toml:{}) expired on {expires}", e.line),
            ));
        }
        let exists = match inputs.known {
            Some(known) => known.contains(&e.test),
            None => tests.binary_search_by(|t| t.id.cmp(&e.test)).is_ok(),
        };
        if !exists {
            findings.push(base(
                FindingKind::ExceptionStale,
                format!(
                    "exception (budget.toml:{}) names a test that does not exist",
                    e.line
                ),
            ));
        }
    }

    if let Some(c) = &comparison {
        for d in &c.deltas {
            let Some(level) = d.level else { continue };
            let Ok(i) = tests.binary_search_by(|t| t.id.cmp(&d.id)) else {
                continue;
            };
            let t = &tests[i];
            let full = sev(FindingKind::Regression);
            let (severity, threshold) = match level {
                Level::Fail => (
                    full,
                    format!("the {:.0}% fail threshold", config.regression.fail * 100.0),
                ),
                Level::Warn => (
                    full.min(Severity::Warning),
                    format!("the {:.0}% warn threshold", config.regression.warn * 100.0),
                ),
            };
            let mut message = format!(
                "slower than the baseline: {:.3}s → {:.3}s ({:+.1}%), over {threshold}",
                d.before.as_secs_f64(),
                d.after.as_secs_f64(),
                d.change * 100.0
            );
            if let Some(why) = &d.downgraded {
                message.push_str(&format!("; reported as a warning: {why}"));
            }
            findings.push(Finding {
                kind: FindingKind::Regression,
                severity,
                test: Some(d.id.clone()),
                tier: Some(t.placement.tier.clone()),
                duration: Some(d.after),
                budget: None,
                overage: None,
                before: Some(d.before),
                change: Some(d.change),
                rule: Some(t.placement.rule.clone()),
                location: t.location.clone(),
                message,
            });
        }
    }

    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then(
                b.overage
                    .unwrap_or(0.0)
                    .total_cmp(&a.overage.unwrap_or(0.0)),
            )
            .then(b.change.unwrap_or(0.0).total_cmp(&a.change.unwrap_or(0.0)))
            .then(a.test.cmp(&b.test))
    });

    let tiers = summarise(config, &tests);
    let andon = super::andon::signals(config, &tiers, &findings);
    let status = super::enforce::status(&findings);
    Verdict {
        context: inputs.context,
        phase: config.phase,
        tests,
        tiers,
        findings,
        andon,
        wall: run.wall,
        suite_budget: config.suite_budget,
        status,
        comparison,
    }
}

fn summarise(config: &Config, tests: &[Judged]) -> Vec<TierSummary> {
    config
        .tiers
        .iter()
        .map(|tier| {
            let ran: Vec<&Judged> = tests
                .iter()
                .filter(|t| t.placement.tier == tier.name && t.judgement != Judgement::Skipped)
                .collect();
            let violations = ran
                .iter()
                .filter(|t| matches!(t.judgement, Judgement::OverBudget | Judgement::Timeout))
                .count();
            let within = ran
                .iter()
                .filter(|t| t.judgement == Judgement::Within)
                .count();
            let slowest = ran
                .iter()
                .filter_map(|t| Some((t, t.duration?)))
                .max_by(|(a, ad), (b, bd)| ad.cmp(bd).then(b.id.cmp(&a.id)))
                .map(|(t, d)| (t.id.clone(), d, overage(d, t.placement.budget)));
            TierSummary {
                tier: tier.name.clone(),
                budget: tier.budget,
                tests: ran.len(),
                within,
                violations,
                slowest,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
