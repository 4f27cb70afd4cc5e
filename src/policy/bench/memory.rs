//! Capability memory budgets: the peak RSS of a capability's tests against its `memory`.

use crate::config::Config;
use crate::model::TestsPeak;
use crate::policy::verdict::bench::BenchSubject;
use crate::policy::{Finding, Payload, Severity};

/// A finding per capability with a memory budget: over it (`ceiling`), within it (info, with
/// the peak), or not measured (a warning with the reason: never a silent pass).
pub(super) fn findings(
    config: &Config,
    peaks: &[(String, TestsPeak)],
    ceiling: Severity,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &config.capabilities {
        let Some(budget) = c.memory else { continue };
        let peak = peaks
            .iter()
            .find(|(name, _)| name == &c.name)
            .map(|(_, p)| p.clone());
        let severity = match &peak {
            Some(TestsPeak::Measured { bytes, .. }) if *bytes > budget => ceiling,
            Some(TestsPeak::Measured { .. }) => Severity::Info,
            Some(TestsPeak::NotMeasured(_)) | None => ceiling.min(Severity::Warning),
        };
        let subject = BenchSubject::Capability(c.name.clone());
        let payload = Payload::CapabilityMemory { budget, peak };
        out.push(Finding::of_bench(severity, subject, payload));
    }
    out
}
