//! Andon signals: the few lines a dashboard or a lead needs, each with a suggested action.

use super::verdict::{Andon, AndonLevel, Finding, FindingKind, Severity, TierSummary};
use crate::config::Config;
use crate::config::units::format_budget;

fn level(findings: &[&Finding]) -> AndonLevel {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        AndonLevel::High
    } else {
        AndonLevel::Medium
    }
}

/// What to do about killed tests. JUnit cannot tell a hang from a test slow enough under load
/// to reach the kill line, so the advice covers both and says what the baseline knows.
fn killed_action(config: &Config, timeouts: &[&Finding]) -> String {
    let mut action = "rerun each alone: killed again means a hang (deadlock, network wait, \
                      unbounded loop); finishing means it is slow, perhaps only under load: \
                      compare its time with its budget"
        .to_string();
    let known: Vec<&&Finding> = timeouts.iter().filter(|f| f.before().is_some()).collect();
    if let Some(f) = known.first()
        && let (Some(test), Some(before), Some(budget)) = (&f.test, f.before(), f.budget())
    {
        let kill_line = budget * config.kill_after;
        action.push_str(&format!(
            "; `{test}` passed in the baseline in {:.3}s (its kill line is {})",
            before.as_secs_f64(),
            format_budget(kill_line)
        ));
        if known.len() > 1 {
            action.push_str(&format!(
                ", and {} more killed passed there",
                crate::text::count(known.len() - 1, "test")
            ));
        }
    } else {
        action.push_str("; no baseline shows it passing before");
    }
    action
}

pub fn signals(config: &Config, tiers: &[TierSummary], findings: &[Finding]) -> Vec<Andon> {
    let mut out = Vec::new();
    test_signals(config, findings, &mut out);
    tier_signals(tiers, findings, &mut out);
    comparison_signals(findings, &mut out);
    suite_and_exception_signals(findings, &mut out);
    out
}

/// The findings of `kind`.
fn of(findings: &[Finding], kind: FindingKind) -> Vec<&Finding> {
    findings.iter().filter(|f| f.kind() == kind).collect()
}

/// Failed and killed tests.
fn test_signals(config: &Config, findings: &[Finding], out: &mut Vec<Andon>) {
    let failed = of(findings, FindingKind::TestFailed);
    if !failed.is_empty() {
        out.push(Andon {
            level: AndonLevel::High,
            signal: format!("{} failed", crate::text::count(failed.len(), "test")),
            action: "fix the failing tests; budgets are judged on passing runs".into(),
        });
    }
    let timeouts = of(findings, FindingKind::Timeout);
    if !timeouts.is_empty() {
        out.push(Andon {
            level: level(&timeouts),
            signal: format!(
                "{} killed at {} × their budget",
                crate::text::count(timeouts.len(), "test"),
                config.kill_after
            ),
            action: killed_action(config, &timeouts),
        });
    }
}

/// Tiers with tests over their budget, and where those tests could go.
fn tier_signals(tiers: &[TierSummary], findings: &[Finding], out: &mut Vec<Andon>) {
    for (i, tier) in tiers.iter().enumerate() {
        let violations: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.kind().is_test_violation() && f.tier.as_deref() == Some(&tier.tier))
            .collect();
        if !violations
            .iter()
            .any(|f| f.kind() == FindingKind::OverBudget)
        {
            continue;
        }
        let action = match tiers.get(i + 1) {
            Some(next) => format!(
                "optimise the slow tests or reclassify them as {} (cargo budget reclassify)",
                next.tier
            ),
            None => "optimise the slow tests or record a tracked exception with an ADR".into(),
        };
        out.push(Andon {
            level: level(&violations),
            signal: format!(
                "{}: {} of {} tests over the {} budget ({:.1}%)",
                tier.tier,
                tier.violations,
                tier.judged(),
                format_budget(tier.budget),
                tier.violation_rate() * 100.0
            ),
            action,
        });
    }
}

/// Tests slower than the baseline, gated or too noisy to gate.
fn comparison_signals(findings: &[Finding], out: &mut Vec<Andon>) {
    let slower = of(findings, FindingKind::Regression);
    if !slower.is_empty() {
        out.push(Andon {
            level: level(&slower),
            signal: format!("{} slower than the baseline", crate::text::count(slower.len(), "test")),
            action: "find the change that slowed them (commits since the baseline), or re-record the baseline if it was intended (cargo budget baseline)".into(),
        });
    }
    let noisy = of(findings, FindingKind::Noisy);
    if !noisy.is_empty() {
        out.push(Andon {
            level: AndonLevel::Medium,
            signal: format!(
                "{} slower than the baseline, but too noisy to gate on",
                crate::text::count(noisy.len(), "test")
            ),
            action: "record a longer baseline (cargo budget baseline --runs 5), or give them a tier with wider regression thresholds".into(),
        });
    }
}

/// The suite slower or over its budget, and exceptions expired or stale.
fn suite_and_exception_signals(findings: &[Finding], out: &mut Vec<Andon>) {
    let machine = of(findings, FindingKind::SuiteSlower);
    if !machine.is_empty() {
        out.push(Andon {
            level: AndonLevel::Medium,
            signal: "the whole suite is slower than the baseline".into(),
            action: "a busier or slower machine: compare on one like the baseline's; the code: find the change since the baseline".into(),
        });
    }
    let suite = of(findings, FindingKind::SuiteOverBudget);
    if !suite.is_empty() {
        out.push(Andon {
            level: level(&suite),
            signal: "the whole suite is over its wall-clock budget".into(),
            action: "speed up the slowest tests or split the run (nextest --partition)".into(),
        });
    }
    let expired = of(findings, FindingKind::ExceptionExpired);
    if !expired.is_empty() {
        out.push(Andon {
            level: level(&expired),
            signal: format!(
                "{} expired",
                crate::text::count(expired.len(), "budget exception")
            ),
            action: "fix the tests or renew the exceptions with a new ADR".into(),
        });
    }
    let stale = of(findings, FindingKind::ExceptionStale);
    if !stale.is_empty() {
        out.push(Andon {
            level: AndonLevel::Medium,
            signal: format!(
                "{} of tests that no longer exist",
                crate::text::count(stale.len(), "budget exception")
            ),
            action: "remove them from budget.toml".into(),
        });
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.level));
}
