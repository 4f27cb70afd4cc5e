//! Budget evaluation: results + placements → findings, per-tier summaries, andon signals and a
//! verdict. Pure: the caller supplies today's date and every input.

use std::collections::HashSet;

use jiff::civil::Date;

use super::classify::{Placement, Rule};
use super::compare::{Call, Comparison, Delta, Held, Level, Noise};
use super::enforce::severity;
use super::noise::Spread;
use super::verdict::*;
use crate::config::{Config, Context};
use crate::model::{Outcome, Run, TestId, TestResult};

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

/// Judges `run` against the placements in `classified`. Both are consumed: a verdict over
/// 100,000 tests should not hold every id twice. Each rule is a function of its own; a new
/// rule is a new function here.
pub fn evaluate(
    inputs: &Inputs<'_>,
    classified: Vec<Classified>,
    run: Run,
    comparison: Option<Comparison>,
) -> Verdict {
    let config = inputs.config;
    let (tests, mut findings) = judge_results(inputs, classified, run.results, comparison.as_ref());
    findings.extend(suite_rule(inputs, run.wall));
    findings.extend(exception_rules(inputs, &tests));
    if let Some(c) = &comparison {
        findings.extend(regression_rules(inputs, c, &tests));
    }
    sort_findings(&mut findings);
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

/// The severity a finding of `kind` gets under the inputs' phase and context.
fn sev(inputs: &Inputs<'_>, kind: FindingKind) -> Severity {
    let config = inputs.config;
    severity(
        kind,
        config.phase,
        config.enforce.for_context(inputs.context),
    )
}

/// A finding with no payload yet: the rules fill in what they know.
fn bare(inputs: &Inputs<'_>, kind: FindingKind, message: String) -> Finding {
    Finding {
        kind,
        severity: sev(inputs, kind),
        test: None,
        tier: None,
        duration: None,
        budget: None,
        overage: None,
        before: None,
        change: None,
        rule: None,
        location: None,
        message,
    }
}

/// What a test's result says about its budget.
fn judgement_of(result: &TestResult, budget: std::time::Duration) -> Judgement {
    match result.outcome {
        Outcome::Skipped => Judgement::Skipped,
        Outcome::Failed => Judgement::Failed,
        Outcome::TimedOut => Judgement::Timeout,
        Outcome::Passed | Outcome::Flaky => match result.duration {
            None => Judgement::NoDuration,
            Some(d) if d > budget => Judgement::OverBudget,
            Some(_) => Judgement::Within,
        },
    }
}

/// Rule: each test result against its placement's budget (over budget, killed, failed, no
/// duration). Results without a placement are not judged.
fn judge_results(
    inputs: &Inputs<'_>,
    classified: Vec<Classified>,
    results: Vec<TestResult>,
    comparison: Option<&Comparison>,
) -> (Vec<Judged>, Vec<Finding>) {
    let mut classified = classified;
    classified.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let mut results = results;
    results.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let mut placements = classified.into_iter().peekable();

    let mut tests = Vec::with_capacity(results.len());
    let mut findings = Vec::new();
    for result in results {
        while placements.next_if(|c| c.id < result.id).is_some() {}
        let Some(c) = placements.next_if(|c| c.id == result.id) else {
            continue;
        };
        let judgement = judgement_of(&result, c.placement.budget);
        // What a killed test took when it passed in the baseline.
        let passed_before = comparison.and_then(|c| c.passed_before.get(&result.id).copied());
        if let Some(f) = test_finding(inputs, &c, &result, judgement, passed_before) {
            findings.push(f);
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
    (tests, findings)
}

/// The finding a test's judgement calls for, if any.
fn test_finding(
    inputs: &Inputs<'_>,
    c: &Classified,
    result: &TestResult,
    judgement: Judgement,
    passed_before: Option<std::time::Duration>,
) -> Option<Finding> {
    let budget = c.placement.budget;
    let budget_text = format!(
        "{} budget of {}",
        budget_source(&c.placement),
        crate::config::units::format_budget(budget)
    );
    // For the over-budget numbers, which only a test with a duration gets.
    let duration = result.duration.unwrap_or_default();
    let (kind, message) = match judgement {
        Judgement::OverBudget => (
            FindingKind::OverBudget,
            format!(
                "took {:.3}s, over its {budget_text} by {:.1}%",
                duration.as_secs_f64(),
                overage(duration, budget) * 100.0
            ),
        ),
        Judgement::Timeout => (
            FindingKind::Timeout,
            format!(
                "timed out: killed{} (the kill line is {} × its {budget_text})",
                result
                    .duration
                    .map(|d| format!(" after {:.3}s", d.as_secs_f64()))
                    .unwrap_or_default(),
                inputs.config.kill_after,
            ),
        ),
        Judgement::Failed => (
            FindingKind::TestFailed,
            match &result.message {
                Some(m) => format!("failed: {m}"),
                None => "failed".to_string(),
            },
        ),
        Judgement::NoDuration => (
            FindingKind::NoDuration,
            format!(
                "{}, but the report gives no duration for it: not judged against its {budget_text}",
                result.outcome.as_str(),
            ),
        ),
        Judgement::Within | Judgement::Skipped => return None,
    };
    Some(Finding {
        test: Some(result.id.clone()),
        tier: Some(c.placement.tier.clone()),
        duration: result.duration,
        budget: Some(budget),
        overage: (kind == FindingKind::OverBudget).then(|| overage(duration, budget)),
        before: passed_before.filter(|_| kind == FindingKind::Timeout),
        rule: Some(c.placement.rule.clone()),
        location: c.location.clone(),
        ..bare(inputs, kind, message)
    })
}

/// Rule: the whole suite's wall time against its budget.
fn suite_rule(inputs: &Inputs<'_>, wall: Option<std::time::Duration>) -> Option<Finding> {
    let budget = inputs.config.suite_budget;
    let wall = wall.filter(|w| *w > budget)?;
    Some(Finding {
        duration: Some(wall),
        budget: Some(budget),
        overage: Some(overage(wall, budget)),
        ..bare(
            inputs,
            FindingKind::SuiteOverBudget,
            format!(
                "the suite took {:.3}s, over its budget of {}",
                wall.as_secs_f64(),
                crate::config::units::format_budget(budget)
            ),
        )
    })
}

/// Rules: exceptions that expired, and exceptions naming tests that do not exist.
fn exception_rules(inputs: &Inputs<'_>, tests: &[Judged]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for e in &inputs.config.exceptions {
        let base = |kind: FindingKind, message: String| Finding {
            test: Some(e.test.clone()),
            tier: e.tier.clone(),
            budget: e.budget,
            rule: Some(Rule::Exception { line: e.line }),
            ..bare(inputs, kind, message)
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
    findings
}

/// Rules: the suite slower as a whole, and each test slower than the baseline (a regression,
/// or noisy). `tests` is sorted by id.
fn regression_rules(inputs: &Inputs<'_>, c: &Comparison, tests: &[Judged]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(f) = c.factor.filter(|f| f.applied) {
        findings.push(Finding {
            change: Some(f.ratio - 1.0),
            ..bare(
                inputs,
                FindingKind::SuiteSlower,
                format!(
                    "the suite is slower than the baseline: the median test took ×{:.2} its baseline time (over {} tests above the noise floor); that is the machine or the whole suite, so each test was judged against its baseline × {:.2}",
                    f.ratio, f.tests, f.ratio
                ),
            )
        });
    }
    for d in &c.deltas {
        let kind = match d.call {
            Call::Slower { .. } => FindingKind::Regression,
            Call::Noisy(_) => FindingKind::Noisy,
            Call::Same | Call::Faster | Call::NotConfirmed => continue,
        };
        let Ok(i) = tests.binary_search_by(|t| t.id.cmp(&d.id)) else {
            continue;
        };
        let t = &tests[i];
        let mut finding = Finding {
            test: Some(d.id.clone()),
            tier: Some(t.placement.tier.clone()),
            duration: Some(d.after.median),
            before: Some(d.before.median),
            change: Some(d.change),
            rule: Some(t.placement.rule.clone()),
            location: t.location.clone(),
            ..bare(inputs, kind, explain(d, c))
        };
        // A slowdown under the fail level (over the warn threshold only, or held back to a
        // warning) is a warning at most.
        if matches!(d.call, Call::Slower { level, .. } if level != Level::Fail) {
            finding.severity = finding.severity.min(Severity::Warning);
        }
        findings.push(finding);
    }
    findings
}

/// Most severe first; then by kind, the largest overage and change, and the test.
fn sort_findings(findings: &mut [Finding]) {
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
