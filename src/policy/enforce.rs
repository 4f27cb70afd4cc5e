//! Severity = f(finding, phase, context enforcement), and the verdict's status.

use super::evaluate::{Finding, FindingKind};
use crate::config::{Enforcement, Phase};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Recorded and reported only.
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The verdict's outcome, from which the exit code follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    /// At least one error-level budget finding.
    Violations,
    /// At least one test failed (not a budget matter); wins over violations.
    TestsFailed,
}

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
    let own = match kind {
        FindingKind::ExceptionStale | FindingKind::NoDuration => Severity::Warning,
        _ => Severity::Error,
    };
    own.min(ceiling)
}

pub fn status(findings: &[Finding]) -> Status {
    if findings.iter().any(|f| f.kind == FindingKind::TestFailed) {
        Status::TestsFailed
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Violations
    } else {
        Status::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FindingKind::*;

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
