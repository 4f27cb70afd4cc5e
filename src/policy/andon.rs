//! Andon signals: the few lines a dashboard or a lead needs, each with a suggested action.

use super::enforce::Severity;
use super::evaluate::{Andon, AndonLevel, Finding, FindingKind, TierSummary};
use crate::config::Config;
use crate::config::units::format_budget;

fn level(findings: &[&Finding]) -> AndonLevel {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        AndonLevel::High
    } else {
        AndonLevel::Medium
    }
}

pub fn signals(config: &Config, tiers: &[TierSummary], findings: &[Finding]) -> Vec<Andon> {
    let mut out = Vec::new();
    let of = |kind: FindingKind| {
        findings
            .iter()
            .filter(move |f| f.kind == kind)
            .collect::<Vec<_>>()
    };

    let failed = of(FindingKind::TestFailed);
    if !failed.is_empty() {
        out.push(Andon {
            level: AndonLevel::High,
            signal: format!("{} test(s) failed", failed.len()),
            action: "fix the failing tests; budgets are judged on passing runs".into(),
        });
    }
    let timeouts = of(FindingKind::Timeout);
    if !timeouts.is_empty() {
        out.push(Andon {
            level: level(&timeouts),
            signal: format!(
                "{} test(s) killed at {} × their budget",
                timeouts.len(),
                config.kill_after
            ),
            action: "find the hang (deadlock, network wait, unbounded loop) before anything else"
                .into(),
        });
    }
    for (i, tier) in tiers.iter().enumerate() {
        let violations: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.kind.is_test_violation() && f.tier.as_deref() == Some(&tier.tier))
            .collect();
        if !violations.iter().any(|f| f.kind == FindingKind::OverBudget) {
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
                tier.tests,
                format_budget(tier.budget),
                tier.violation_rate() * 100.0
            ),
            action,
        });
    }
    let slower = of(FindingKind::Regression);
    if !slower.is_empty() {
        out.push(Andon {
            level: level(&slower),
            signal: format!("{} test(s) slower than the baseline", slower.len()),
            action: "find the change that slowed them (commits since the baseline), or re-record the baseline if it was intended (cargo budget baseline)".into(),
        });
    }
    let noisy = of(FindingKind::Noisy);
    if !noisy.is_empty() {
        out.push(Andon {
            level: AndonLevel::Medium,
            signal: format!(
                "{} test(s) slower than the baseline, but too noisy to gate on",
                noisy.len()
            ),
            action: "record a longer baseline (cargo budget baseline --runs 5), or give them a tier with wider regression thresholds".into(),
        });
    }
    let machine = of(FindingKind::SuiteSlower);
    if !machine.is_empty() {
        out.push(Andon {
            level: AndonLevel::Medium,
            signal: "the whole suite is slower than the baseline".into(),
            action: "a busier or slower machine: compare on one like the baseline's; the code: find the change since the baseline".into(),
        });
    }
    let suite = of(FindingKind::SuiteOverBudget);
    if !suite.is_empty() {
        out.push(Andon {
            level: level(&suite),
            signal: "the whole suite is over its wall-clock budget".into(),
            action: "speed up the slowest tests or split the run (nextest --partition)".into(),
        });
    }
    let expired = of(FindingKind::ExceptionExpired);
    if !expired.is_empty() {
        out.push(Andon {
            level: level(&expired),
            signal: format!("{} budget exception(s) expired", expired.len()),
            action: "fix the tests or renew the exceptions with a new ADR".into(),
        });
    }
    let stale = of(FindingKind::ExceptionStale);
    if !stale.is_empty() {
        out.push(Andon {
            level: AndonLevel::Medium,
            signal: format!(
                "{} budget exception(s) name tests that no longer exist",
                stale.len()
            ),
            action: "remove them from budget.toml".into(),
        });
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.level));
    out
}
