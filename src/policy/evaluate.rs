//! Budget evaluation: results + placements → findings, per-tier summaries, andon signals and a
//! verdict. Pure: the caller supplies today's date and every input.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use jiff::civil::Date;

use super::classify::{Placement, Rule};
use super::compare::{Call, Comparison, Delta, Held, Level, Noise};
use super::enforce::{Severity, Status, severity};
use super::noise::Spread;
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
    /// Slower than the baseline beyond a threshold, but its runs spread too widely to gate on.
    Noisy,
    /// The typical test is slower than in the baseline: the machine or the whole suite.
    SuiteSlower,
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
            FindingKind::Noisy => "noisy",
            FindingKind::SuiteSlower => "suite-slower",
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
    /// The baseline's duration: for regressions (with the change relative to it), and for a
    /// timeout when the test passed in the baseline.
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

/// One tier's tests: `tests` = `within` + `violations` + `failed`. A failed test is counted
/// only as failed: budgets are judged on tests that did not fail.
#[derive(Clone, Debug, PartialEq)]
pub struct TierSummary {
    pub tier: String,
    pub budget: Duration,
    /// Tests that ran (passed, flaky, failed or timed out).
    pub tests: usize,
    pub within: usize,
    /// Over budget or timed out.
    pub violations: usize,
    /// Failed for a reason other than the budget.
    pub failed: usize,
    /// The slowest test that passed: id, duration, overage over its budget (negative when
    /// within).
    pub slowest: Option<(TestId, Duration, f64)>,
}

impl TierSummary {
    /// Tests judged against the budget: every test that ran and did not fail.
    pub fn judged(&self) -> usize {
        self.tests - self.failed
    }

    /// Violations among the tests judged against the budget.
    pub fn violation_rate(&self) -> f64 {
        if self.judged() == 0 {
            0.0
        } else {
            self.violations as f64 / self.judged() as f64
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
        // What a killed test took when it passed in the baseline.
        let passed_before = comparison
            .as_ref()
            .and_then(|c| c.passed_before.get(&result.id).copied());
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
            before: passed_before.filter(|_| kind == FindingKind::Timeout),
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
                    "timed out: killed{} (the kill line is {} × its {} budget of {})",
                    result
                        .duration
                        .map(|d| format!(" after {:.3}s", d.as_secs_f64()))
                        .unwrap_or_default(),
                    config.kill_after,
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
        if let Some(f) = c.factor.filter(|f| f.applied) {
            findings.push(Finding {
                kind: FindingKind::SuiteSlower,
                severity: sev(FindingKind::SuiteSlower),
                test: None,
                tier: None,
                duration: None,
                budget: None,
                overage: None,
                before: None,
                change: Some(f.ratio - 1.0),
                rule: None,
                location: None,
                message: format!(
                    "the suite is slower than the baseline: the median test took ×{:.2} its baseline time (over {} tests above the noise floor); that is the machine or the whole suite, so each test was judged against its baseline × {:.2}",
                    f.ratio, f.tests, f.ratio
                ),
            });
        }
        for d in &c.deltas {
            let (kind, severity) = match d.call {
                Call::Slower {
                    level: Level::Fail, ..
                } => (FindingKind::Regression, sev(FindingKind::Regression)),
                Call::Slower { .. } => (
                    FindingKind::Regression,
                    sev(FindingKind::Regression).min(Severity::Warning),
                ),
                Call::Noisy(_) => (FindingKind::Noisy, sev(FindingKind::Noisy)),
                Call::Same | Call::Faster | Call::NotConfirmed => continue,
            };
            let Ok(i) = tests.binary_search_by(|t| t.id.cmp(&d.id)) else {
                continue;
            };
            let t = &tests[i];
            findings.push(Finding {
                kind,
                severity,
                test: Some(d.id.clone()),
                tier: Some(t.placement.tier.clone()),
                duration: Some(d.after.median),
                budget: None,
                overage: None,
                before: Some(d.before.median),
                change: Some(d.change),
                rule: Some(t.placement.rule.clone()),
                location: t.location.clone(),
                message: explain(d, c),
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

/// `1.498s–1.506s over 3 runs`, or `1.500s (1 run)`.
fn runs(s: &Spread) -> String {
    if s.min == s.max {
        format!(
            "{:.3}s ({} run{})",
            s.min.as_secs_f64(),
            s.runs(),
            plural(s.runs())
        )
    } else {
        format!(
            "{:.3}s–{:.3}s over {} runs",
            s.min.as_secs_f64(),
            s.max.as_secs_f64(),
            s.runs()
        )
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Why a compared test is a regression or noisy: before, after, the test's own spread, the
/// suite factor, the re-runs alone.
fn explain(d: &Delta, c: &Comparison) -> String {
    let t = d.thresholds;
    let moved = format!(
        "{:.3}s → {:.3}s ({:+.1}%)",
        d.before.median.as_secs_f64(),
        d.after.median.as_secs_f64(),
        d.change * 100.0
    );
    let mut parts = Vec::new();
    match d.call {
        Call::Noisy(source) => {
            let fail = t.fail * 100.0;
            parts.push(match (source, &d.reruns, d.group_spread) {
                (Noise::Reruns, Some(r), _) => format!(
                    "noisy, not gated: {moved}, but its re-runs alone spread {} ({:.0}% apart), wider than the {fail:.0}% fail threshold",
                    runs(r),
                    r.width() * 100.0,
                ),
                // Its own runs were few and close; its binary's tests say how it moves.
                (_, _, Some(group)) if d.spread > d.before.width() + 1e-9 => format!(
                    "noisy, not gated: {moved}; its baseline runs ({}) are few to tell, and the tests of its binary typically spread {:.0}% between runs, wider than the {fail:.0}% fail threshold",
                    runs(&d.before),
                    group * 100.0,
                ),
                _ => format!(
                    "noisy, not gated: {moved}, but its baseline runs spread {} ({:.0}% apart), wider than the {fail:.0}% fail threshold",
                    runs(&d.before),
                    d.before.width() * 100.0,
                ),
            });
            parts.push("record a longer baseline (cargo budget baseline --runs 5) or give it a tier with wider regression thresholds".into());
        }
        _ => {
            let threshold = match d.level() {
                Some(Level::Fail) => format!("the {:.0}% fail threshold", t.fail * 100.0),
                _ => format!("the {:.0}% warn threshold", t.warn * 100.0),
            };
            parts.push(format!(
                "slower than the baseline: {moved}, over {threshold}"
            ));
            parts.push(format!("baseline {}", runs(&d.before)));
            if d.after.runs() > 1 {
                parts.push(format!("now {}", runs(&d.after)));
            }
        }
    }
    if d.scale != 1.0 {
        parts.push(format!("judged against the suite factor ×{:.2}", d.scale));
    }
    if let (Some(r), Call::Slower { .. }) = (&d.reruns, d.call) {
        parts.push(format!("stayed slower re-run alone: {}", runs(r)));
    }
    if let Call::Slower {
        held: Some(held), ..
    } = d.call
    {
        parts.push(format!(
            "reported as a warning: {}",
            match held {
                Held::NotEveryRun => "not every run was over the fail threshold".to_string(),
                Held::NotComparable => format!("not comparable: {}", c.differences.join("; ")),
                Held::RerunsBelowFail => "re-run alone, it stayed under the fail threshold".into(),
                Held::NotRerun => format!(
                    "only the {} largest slowdowns were re-run to confirm them",
                    super::compare::MAX_RERUN
                ),
            }
        ));
    }
    parts.join("; ")
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
            let failed = ran
                .iter()
                .filter(|t| t.judgement == Judgement::Failed)
                .count();
            let slowest = ran
                .iter()
                .filter(|t| matches!(t.judgement, Judgement::Within | Judgement::OverBudget))
                .filter_map(|t| Some((t, t.duration?)))
                .max_by(|(a, ad), (b, bd)| ad.cmp(bd).then(b.id.cmp(&a.id)))
                .map(|(t, d)| (t.id.clone(), d, overage(d, t.placement.budget)));
            TierSummary {
                tier: tier.name.clone(),
                budget: tier.budget,
                tests: ran.len(),
                within,
                violations,
                failed,
                slowest,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
