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
    let of = |kind: FindingKind| {
        findings
            .iter()
            .filter(move |f| f.kind() == kind)
            .collect::<Vec<_>>()
    };

    let failed = of(FindingKind::TestFailed);
    if !failed.is_empty() {
        out.push(Andon {
            level: AndonLevel::High,
            signal: format!("{} failed", crate::text::count(failed.len(), "test")),
            action: "fix the failing tests; budgets are judged on passing runs".into(),
        });
    }
    let timeouts = of(FindingKind::Timeout);
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
    let slower = of(FindingKind::Regression);
    if !slower.is_empty() {
        out.push(Andon {
            level: level(&slower),
            signal: format!("{} slower than the baseline", crate::text::count(slower.len(), "test")),
            action: "find the change that slowed them (commits since the baseline), or re-record the baseline if it was intended (cargo budget baseline)".into(),
        });
    }
    let noisy = of(FindingKind::Noisy);
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
            signal: format!(
                "{} expired",
                crate::text::count(expired.len(), "budget exception")
            ),
            action: "fix the tests or renew the exceptions with a new ADR".into(),
        });
    }
    let stale = of(FindingKind::ExceptionStale);
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
    out
}
