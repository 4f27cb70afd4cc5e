//! Capability memory budgets: the peak RSS of a capability's tests against its `memory`.

use super::{BenchFinding, BenchFindingKind};
use crate::config::Config;
use crate::model::{Amount, TestsPeak};
use crate::policy::Severity;

/// A finding per capability with a memory budget: over it (`ceiling`), within it (info, with
/// the peak), or not measured (a warning with the reason: never a silent pass).
pub(super) fn findings(
    config: &Config,
    peaks: &[(String, TestsPeak)],
    ceiling: Severity,
) -> Vec<BenchFinding> {
    let mut out = Vec::new();
    for c in &config.capabilities {
        let Some(budget) = c.memory else { continue };
        let peak = peaks
            .iter()
            .find(|(name, _)| name == &c.name)
            .map(|(_, p)| p);
        let (severity, kind, detail) = match peak {
            None => (
                ceiling.min(Severity::Warning),
                BenchFindingKind::CapabilityMemoryNotMeasured,
                format!(
                    "capability `{}` has a memory budget of {}, but its tests were not run",
                    c.name,
                    Amount::Bytes(budget)
                ),
            ),
            Some(TestsPeak::NotMeasured(reason)) => (
                ceiling.min(Severity::Warning),
                BenchFindingKind::CapabilityMemoryNotMeasured,
                format!(
                    "capability `{}`: the memory of its tests is not known: {reason}",
                    c.name
                ),
            ),
            Some(TestsPeak::Measured { bytes, test, tests }) => {
                let (severity, kind, verb) = match *bytes > budget {
                    true => (ceiling, BenchFindingKind::CapabilityOverMemory, "over"),
                    false => (
                        Severity::Info,
                        BenchFindingKind::CapabilityMemoryWithin,
                        "within",
                    ),
                };
                let detail = format!(
                    "capability `{}`: its tests peaked at {} ({test}, the highest of {}), {verb} \
                     its memory budget of {} ({:+.1}%)",
                    c.name,
                    Amount::Bytes(*bytes),
                    crate::text::count(*tests, "test"),
                    Amount::Bytes(budget),
                    (*bytes as f64 / budget as f64 - 1.0) * 100.0
                );
                (severity, kind, detail)
            }
        };
        out.push(BenchFinding {
            severity,
            kind,
            subject: c.name.clone(),
            target: None,
            delta: None,
            detail,
        });
    }
    out
}
