//! Severity = f(finding, phase, context enforcement), and the finding worth re-running first.

#[cfg(test)]
use super::verdict::Payload;
use super::verdict::{Finding, FindingKind, Severity};
use crate::config::{Enforcement, Phase};

/// A failing test is always an error; budget findings are capped by the phase, then by the
/// context's enforcement; a stale exception or a test without a duration is at most a
/// warning.
pub fn severity(kind: FindingKind, phase: Phase, enforcement: Enforcement) -> Severity {
    if kind == FindingKind::TestFailed {
        return Severity::Error;
    }
    let ceiling = match phase {
        Phase::Measure => Severity::Info,
        Phase::Warn => Severity::Warning,
        Phase::Strict => match enforcement {
            Enforcement::Off => Severity::Info,
            Enforcement::Warn => Severity::Warning,
            Enforcement::Strict => Severity::Error,
        },
    };
    // Stale exceptions and a slower machine are worth knowing, never a failure:
    // none of them says the code got worse.
    let own = match kind {
        FindingKind::ExceptionStale
        | FindingKind::NoDuration
        | FindingKind::SuiteSlower
        | FindingKind::MemoryNotMeasured
        | FindingKind::InstructionsNotMeasured => Severity::Warning,
        // Says the count cannot judge the test; its time does.
        FindingKind::InstructionsNondeterministic => Severity::Info,
        _ => Severity::Error,
    };
    own.min(ceiling)
}

/// The finding whose test is worth re-running first: the most severe; among equals a failed
/// test, then a killed one, then a regression (the largest change), then an over-budget test
/// (the largest overage). Findings without a test (suite, machine) are not.
pub fn worst(findings: &[Finding]) -> Option<&Finding> {
    let rank = |kind: FindingKind| match kind {
        FindingKind::TestFailed => Some(0),
        FindingKind::Timeout => Some(1),
        FindingKind::Regression => Some(2),
        FindingKind::OverBudget | FindingKind::OverMemory | FindingKind::OverInstructions => {
            Some(3)
        }
        _ => None,
    };
    findings
        .iter()
        .filter(|f| f.test.is_some() && rank(f.kind()).is_some())
        .min_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(rank(a.kind()).cmp(&rank(b.kind())))
                .then(
                    b.change()
                        .unwrap_or(0.0)
                        .total_cmp(&a.change().unwrap_or(0.0)),
                )
                .then(
                    b.overage()
                        .unwrap_or(0.0)
                        .total_cmp(&a.overage().unwrap_or(0.0)),
                )
                .then(a.test.cmp(&b.test))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use FindingKind::*;

    fn finding(kind: FindingKind, severity: Severity, name: &str, overage: f64) -> Finding {
        use crate::model::{Amount, Metric};
        use std::time::Duration;
        let secs = |s: f64| Duration::from_secs_f64(s);
        let change = || crate::policy::verdict::Change {
            before: secs(1.0),
            after: secs(1.0 + overage),
            change: overage,
            delta: 0,
        };
        let payload = match kind {
            OverBudget => Payload::OverBudget {
                metric: Metric::Wall,
                measured: Amount::Time(secs(1.0 + overage)),
                budget: Amount::Time(secs(1.0)),
                exception: false,
                alone: Vec::new(),
            },
            Timeout => Payload::Timeout {
                after: None,
                budget: secs(1.0),
                kill_after: 3,
                exception: false,
                passed_before: None,
                alone: Vec::new(),
            },
            TestFailed => Payload::TestFailed {
                message: None,
                duration: None,
                budget: secs(1.0),
            },
            Regression => Payload::Regression {
                metric: Metric::Wall,
                change: change(),
            },
            other => panic!("no test payload for {other:?}"),
        };
        let mut f = Finding::new(severity, payload);
        f.test = Some(crate::model::TestId::new("p::unit", name));
        f
    }

    #[test]
    fn the_worst_is_a_failure_then_a_kill_then_a_regression_then_the_largest_overage() {
        use Severity::{Error, Warning};
        let table: Vec<(Vec<Finding>, Option<&str>)> = vec![
            (
                vec![
                    finding(OverBudget, Error, "over_big", 9.0),
                    finding(Timeout, Error, "killed", 0.0),
                    finding(Regression, Error, "slower", 0.5),
                ],
                Some("killed"),
            ),
            (
                vec![
                    finding(OverBudget, Error, "over_big", 9.0),
                    finding(Regression, Error, "slower", 0.5),
                    finding(OverBudget, Error, "over_small", 0.1),
                ],
                Some("slower"),
            ),
            (
                vec![
                    finding(Regression, Warning, "slower", 0.5),
                    finding(OverBudget, Error, "over_small", 0.1),
                    finding(OverBudget, Error, "over_big", 0.9),
                ],
                Some("over_big"),
            ),
            (
                vec![
                    finding(Timeout, Error, "killed", 0.0),
                    finding(TestFailed, Error, "broken", 0.0),
                ],
                Some("broken"),
            ),
        ];
        for (findings, want) in table {
            let got = worst(&findings)
                .and_then(|f| f.test.as_ref())
                .map(|t| t.name.as_str());
            assert_eq!(got, want, "{findings:?}");
        }
    }

    #[test]
    fn severity_table() {
        use Enforcement::{Off, Strict, Warn};
        use Severity::{Error, Info, Warning};
        let table = [
            (OverBudget, Phase::Strict, Strict, Error),
            (OverBudget, Phase::Strict, Warn, Warning),
            (OverBudget, Phase::Strict, Off, Info),
            (OverBudget, Phase::Warn, Strict, Warning),
            (OverBudget, Phase::Measure, Strict, Info),
            (Timeout, Phase::Strict, Strict, Error),
            (Timeout, Phase::Warn, Strict, Warning),
            (SuiteOverBudget, Phase::Strict, Strict, Error),
            (ExceptionExpired, Phase::Strict, Strict, Error),
            (ExceptionExpired, Phase::Measure, Strict, Info),
            (ExceptionStale, Phase::Strict, Strict, Warning),
            (ExceptionStale, Phase::Measure, Strict, Info),
            (TestFailed, Phase::Measure, Off, Error),
            (TestFailed, Phase::Warn, Warn, Error),
            (Regression, Phase::Strict, Strict, Error),
            (Regression, Phase::Strict, Warn, Warning),
            (Regression, Phase::Measure, Strict, Info),
            (SuiteSlower, Phase::Strict, Strict, Warning),
            (SuiteSlower, Phase::Strict, Off, Info),
        ];
        for (kind, phase, enforcement, want) in table {
            assert_eq!(
                severity(kind, phase, enforcement),
                want,
                "{kind:?} {phase:?} {enforcement:?}"
            );
        }
    }
}
