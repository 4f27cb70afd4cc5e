//! Andon signals: the few lines a dashboard or a lead needs. Policy says what is wrong, with
//! its numbers; the renderers say it and what to do about it (`report/andon.rs`).

use super::verdict::{
    Andon, AndonLevel, Finding, FindingKind, KilledBefore, Severity, Signal, TierSummary,
};
use crate::config::Config;

fn level(findings: &[&Finding]) -> AndonLevel {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        AndonLevel::High
    } else {
        AndonLevel::Medium
    }
}

/// The findings of `kind`.
fn of(findings: &[Finding], kind: FindingKind) -> Vec<&Finding> {
    findings.iter().filter(|f| f.kind() == kind).collect()
}

pub fn signals(config: &Config, tiers: &[TierSummary], findings: &[Finding]) -> Vec<Andon> {
    let mut out = Vec::new();
    test_signals(config, findings, &mut out);
    tier_signals(tiers, findings, &mut out);
    counted_signals(findings, &mut out);
    out
}

/// Failed and killed tests; for killed ones, whether the baseline saw one pass (JUnit cannot
/// tell a hang from a test slow enough under load to reach the kill line).
fn test_signals(config: &Config, findings: &[Finding], out: &mut Vec<Andon>) {
    let failed = of(findings, FindingKind::TestFailed);
    if !failed.is_empty() {
        out.push(Andon {
            level: AndonLevel::High,
            signal: Signal::TestsFailed {
                count: failed.len(),
            },
        });
    }
    let timeouts = of(findings, FindingKind::Timeout);
    if !timeouts.is_empty() {
        let known: Vec<&&Finding> = timeouts.iter().filter(|f| f.before().is_some()).collect();
        let passed_before = known.first().and_then(|f| {
            let (test, before, budget) = (f.test.clone()?, f.before()?, f.budget()?);
            let kill_line = budget * config.kill_after;
            Some((
                KilledBefore {
                    test,
                    before,
                    kill_line,
                },
                known.len(),
            ))
        });
        out.push(Andon {
            level: level(&timeouts),
            signal: Signal::TestsKilled {
                count: timeouts.len(),
                kill_after: config.kill_after,
                passed_before,
            },
        });
    }
}

/// Tiers with tests over their budget, and the slower tier those tests could go to.
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
        out.push(Andon {
            level: level(&violations),
            signal: Signal::TierOver {
                tier: tier.tier.clone(),
                violations: tier.violations,
                judged: tier.judged(),
                budget: tier.budget,
                rate: tier.violation_rate(),
                next_tier: tiers.get(i + 1).map(|t| t.tier.clone()),
            },
        });
    }
}

/// Signals that count findings of one kind: slower or grown tests, the suite slower or over
/// its budget, exceptions expired or stale.
fn counted_signals(findings: &[Finding], out: &mut Vec<Andon>) {
    // (the findings counted, the signal for their count, a level of its own or that of the
    // findings)
    type Row = (
        fn(&Finding) -> bool,
        fn(usize) -> Signal,
        Option<AndonLevel>,
    );
    // A regression in time is a slower test; in memory or instructions, one that grew.
    fn in_time(f: &Finding) -> bool {
        f.metric() == Some(crate::model::Metric::Wall)
    }
    let table: [Row; 6] = [
        (
            |f| f.kind() == FindingKind::Regression && in_time(f),
            |count| Signal::Slower { count },
            None,
        ),
        (
            |f| f.kind() == FindingKind::Regression && !in_time(f),
            |count| Signal::Grew { count },
            None,
        ),
        (
            |f| f.kind() == FindingKind::SuiteSlower,
            |_| Signal::SuiteSlower,
            Some(AndonLevel::Medium),
        ),
        (
            |f| f.kind() == FindingKind::SuiteOverBudget,
            |_| Signal::SuiteOverBudget,
            None,
        ),
        (
            |f| f.kind() == FindingKind::ExceptionExpired,
            |count| Signal::ExceptionsExpired { count },
            None,
        ),
        (
            |f| f.kind() == FindingKind::ExceptionStale,
            |count| Signal::ExceptionsStale { count },
            Some(AndonLevel::Medium),
        ),
    ];
    for (counts, signal, fixed) in table {
        let these: Vec<&Finding> = findings.iter().filter(|f| counts(f)).collect();
        if !these.is_empty() {
            out.push(Andon {
                level: fixed.unwrap_or_else(|| level(&these)),
                signal: signal(these.len()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::verdict::{Change, Payload};

    #[test]
    fn a_time_regression_is_slower_and_a_grown_count_or_peak_grew() {
        let secs = std::time::Duration::from_secs;
        let time = Payload::Regression {
            metric: crate::model::Metric::Wall,
            change: Change {
                before: secs(1),
                after: secs(2),
                change: 1.0,
                delta: 0,
            },
        };
        let count = Payload::CountRegression {
            growth: crate::policy::compare::count::CountGrowth {
                before: 100,
                after: 110,
                change: 0.1,
                fail: true,
            },
        };
        let findings: Vec<Finding> = [time, count.clone(), count]
            .into_iter()
            .map(|p| Finding::new(Severity::Error, p))
            .collect();
        let signals: Vec<Signal> = signals(&crate::config::defaults(), &[], &findings)
            .into_iter()
            .map(|a| a.signal)
            .collect();
        assert_eq!(
            signals,
            [Signal::Slower { count: 1 }, Signal::Grew { count: 2 }]
        );
    }
}
