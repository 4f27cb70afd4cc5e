//! Budget evaluation: results + placements → findings, per-tier summaries, andon signals and a
//! verdict. Pure: the caller supplies today's date and every input.

use std::collections::HashSet;
use std::time::Duration;

use jiff::civil::Date;

use super::classify::{Placement, Rule};
use super::compare::{Call, Comparison, Level};
use super::enforce::severity;
use super::verdict::*;
use crate::config::{Config, Context};
use crate::model::{Amount, Metric, Outcome, Run, TestId, TestResult};

/// Everything evaluation needs besides the tests themselves.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub context: Context,
    pub today: Date,
    /// Every test known to exist (the inventory); exceptions naming anything else are stale.
    /// `None`: the run's results are all there is (judging JUnit files).
    pub known: Option<&'a HashSet<TestId>>,
    /// The instruction counts of the tests that count (`None`: nothing was counted).
    pub counts: Option<&'a crate::model::Counts>,
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
    let (tests, mut findings) = judge_results(
        inputs,
        classified,
        (run.results, &run.alone),
        comparison.as_ref(),
    );
    findings.extend(suite_rule(inputs, run.wall));
    findings.extend(memory_rule(inputs, run.unmeasured.as_deref(), &tests));
    findings.extend(exception_rules(inputs, &tests));
    if let Some(c) = &comparison {
        findings.extend(regression_rules(inputs, c, &tests));
    }
    findings.extend(count::rules(inputs, comparison.as_ref(), &tests));
    sort(&mut findings);
    let tiers = summarise(config, &tests);
    let andon = super::andon::signals(config, &tiers, &findings);
    let status = Status::of(&findings);
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
        benches: None,
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

/// A finding of `payload`'s kind at the severity the inputs give it.
fn finding(inputs: &Inputs<'_>, payload: Payload) -> Finding {
    let mut f = Finding::new(Severity::Info, payload);
    f.severity = sev(inputs, f.kind());
    f
}

/// What a test's result says about its budgets.
fn judgement_of(result: &TestResult, placement: &Placement) -> Judgement {
    match result.outcome {
        Outcome::Skipped => Judgement::Skipped,
        Outcome::Failed => Judgement::Failed,
        Outcome::TimedOut => Judgement::Timeout,
        Outcome::Passed | Outcome::Flaky if result.duration.is_none() => Judgement::NoDuration,
        Outcome::Passed | Outcome::Flaky => {
            if over_budget(result, placement).next().is_some() {
                Judgement::OverBudget
            } else {
                Judgement::Within
            }
        }
    }
}

/// Each metric of `result` over its budget in `placement`: (metric, measured, budget).
fn over_budget<'a>(
    result: &'a TestResult,
    placement: &'a Placement,
) -> impl Iterator<Item = (Metric, Amount, Amount)> + 'a {
    result.metrics().filter_map(|(metric, measured)| {
        let budget = placement.budget_for(metric)?;
        (measured > budget).then_some((metric, measured, budget))
    })
}

/// Rule: each test result against its placement's budgets (a metric over budget, killed,
/// failed, no duration). Results without a placement are not judged. A time overage its
/// re-runs alone (`alone`) cleared is held at warning level, and one within its budget in
/// every re-run alone at info: the suite's load, not the test.
fn judge_results(
    inputs: &Inputs<'_>,
    classified: Vec<Classified>,
    (results, alone): (Vec<TestResult>, &crate::model::Times),
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
        let judgement = judgement_of(&result, &c.placement);
        // What a killed test took when it passed in the baseline.
        let passed_before = comparison.and_then(|c| c.passed_before.get(&result.id).copied());
        let re_runs = alone.get(&result.id).map_or(&[][..], Vec::as_slice);
        for payload in test_payloads(inputs, &c, &result, judgement, (passed_before, re_runs)) {
            let mut f = finding(inputs, payload);
            if f.cleared_alone() {
                let ceiling = match f.load_only() {
                    true => Severity::Info,
                    false => Severity::Warning,
                };
                f.severity = f.severity.min(ceiling);
            }
            f.test = Some(result.id.clone());
            f.tier = Some(c.placement.tier.clone());
            f.rule = Some(c.placement.rule.clone());
            f.location = c.location.clone();
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
            extra: result.extra,
        });
    }
    (tests, findings)
}

/// What a test's judgement calls for: one finding per metric over its budget, or one for a
/// killed, failed or unmeasured test.
fn test_payloads(
    inputs: &Inputs<'_>,
    c: &Classified,
    result: &TestResult,
    judgement: Judgement,
    (passed_before, alone): (Option<Duration>, &[Duration]),
) -> Vec<Payload> {
    let budget = c.placement.budget;
    let exception = c.placement.exception_line.is_some();
    match judgement {
        Judgement::OverBudget => over_budget(result, &c.placement)
            .map(|(metric, measured, budget)| Payload::OverBudget {
                metric,
                measured,
                budget,
                exception,
                alone: match metric {
                    Metric::Wall => alone.to_vec(),
                    _ => Vec::new(),
                },
            })
            .collect(),
        Judgement::Timeout => vec![Payload::Timeout {
            after: result.duration,
            budget,
            kill_after: inputs.config.kill_after,
            exception,
            passed_before,
            alone: alone.to_vec(),
        }],
        Judgement::Failed => vec![Payload::TestFailed {
            message: result.message.clone(),
            duration: result.duration,
            budget,
        }],
        Judgement::NoDuration => vec![Payload::NoDuration {
            outcome: result.outcome,
            budget,
            exception,
        }],
        Judgement::Within | Judgement::Skipped => Vec::new(),
    }
}

/// Rule: the whole suite's wall time against its budget.
fn suite_rule(inputs: &Inputs<'_>, wall: Option<Duration>) -> Option<Finding> {
    let budget = inputs.config.suite_budget;
    let wall = wall.filter(|w| *w > budget)?;
    Some(finding(inputs, Payload::SuiteOverBudget { wall, budget }))
}

/// Rule: tests with a memory budget in a run that measured no memory: said once, so a memory
/// budget is never taken as kept.
fn memory_rule(inputs: &Inputs<'_>, unmeasured: Option<&str>, tests: &[Judged]) -> Option<Finding> {
    let reason = unmeasured?;
    let tests = tests
        .iter()
        .filter(|t| t.placement.budget_for(Metric::Memory).is_some())
        .count();
    (tests > 0).then(|| {
        finding(
            inputs,
            Payload::MemoryNotMeasured {
                reason: reason.to_string(),
                tests,
            },
        )
    })
}

/// Rules: exceptions that expired, and exceptions naming tests that do not exist.
fn exception_rules(inputs: &Inputs<'_>, tests: &[Judged]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for e in &inputs.config.exceptions {
        let mut payloads = Vec::new();
        if let Some(expires) = e.expires
            && expires < inputs.today
        {
            payloads.push(Payload::ExceptionExpired {
                line: e.line,
                on: expires,
                budget: e.budget,
            });
        }
        let exists = match inputs.known {
            Some(known) => known.contains(&e.test),
            None => tests.binary_search_by(|t| t.id.cmp(&e.test)).is_ok(),
        };
        if !exists {
            payloads.push(Payload::ExceptionStale {
                line: e.line,
                budget: e.budget,
            });
        }
        for payload in payloads {
            let mut f = finding(inputs, payload);
            f.test = Some(e.test.clone());
            f.tier = e.tier.clone();
            f.rule = Some(Rule::Exception { line: e.line });
            findings.push(f);
        }
    }
    findings
}

/// Rules: the suite slower as a whole, and each test slower than the baseline. `tests` is
/// sorted by id.
fn regression_rules(inputs: &Inputs<'_>, c: &Comparison, tests: &[Judged]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(f) = c.factor.filter(|f| f.applied) {
        findings.push(finding(
            inputs,
            Payload::SuiteSlower {
                ratio: f.ratio,
                tests: f.tests,
            },
        ));
    }
    for (index, d) in c.deltas.iter().enumerate() {
        let metric = Metric::Wall;
        let change = Change::of(d, index);
        let payload = match d.call {
            Call::Slower { .. } => Payload::Regression { metric, change },
            Call::Same | Call::Faster | Call::NotConfirmed => continue,
        };
        let Ok(i) = tests.binary_search_by(|t| t.id.cmp(&d.id)) else {
            continue;
        };
        let t = &tests[i];
        let mut f = finding(inputs, payload);
        f.test = Some(d.id.clone());
        f.tier = Some(t.placement.tier.clone());
        f.rule = Some(t.placement.rule.clone());
        f.location = t.location.clone();
        // A slowdown under the fail level (over the warn threshold only, or held back to a
        // warning) is a warning at most.
        if matches!(d.call, Call::Slower { level, .. } if level != Level::Fail) {
            f.severity = f.severity.min(Severity::Warning);
        }
        findings.push(f);
    }
    findings.extend(memory_regressions(inputs, c, tests));
    findings
}

/// Rule: each test whose peak memory grew beyond its tier's thresholds since the baseline.
fn memory_regressions<'a>(
    inputs: &'a Inputs<'_>,
    c: &'a Comparison,
    tests: &'a [Judged],
) -> impl Iterator<Item = Finding> + 'a {
    tests.iter().filter_map(move |t| {
        let Some(Amount::Bytes(after)) = t.extra.get(Metric::Memory) else {
            return None;
        };
        let before = *c.peaks_before.get(&t.id)?;
        let r = inputs.config.regression_for(&t.placement.tier);
        let growth = super::compare::memory::growth(before, after, r.warn, r.fail)?;
        let mut f = finding(inputs, Payload::MemoryRegression { growth });
        f.test = Some(t.id.clone());
        f.tier = Some(t.placement.tier.clone());
        f.rule = Some(t.placement.rule.clone());
        f.location = t.location.clone();
        // Over the warn threshold only, or measured under another contract: a warning at most.
        if !growth.fail || !c.comparable() {
            f.severity = f.severity.min(Severity::Warning);
        }
        Some(f)
    })
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
            let peak = ran
                .iter()
                .filter_map(|t| match t.extra.get(Metric::Memory)? {
                    Amount::Bytes(b) => Some((t.id.clone(), b)),
                    Amount::Time(_) | Amount::Count(_) => None,
                })
                .max_by(|(a, ab), (b, bb)| ab.cmp(bb).then(b.cmp(a)));
            TierSummary {
                tier: tier.name.clone(),
                budget: tier.budget,
                tests: ran.len(),
                within,
                violations,
                failed,
                slowest,
                peak,
            }
        })
        .collect()
}

mod count;
#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;
