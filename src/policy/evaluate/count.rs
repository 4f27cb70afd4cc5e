//! Rules on instruction counts: each counted test against its baseline count (exact, so judged
//! at 0.1 % against `[regression] instructions`), a count that moved between counting runs
//! (nondeterministic: its time judges it), and tests asked to count that got no count.

use super::{Inputs, finding};
use crate::model::{Asked, Counts, TestId};
use crate::policy::compare::Comparison;
use crate::policy::compare::count::{Counted, growth};
use crate::policy::verdict::{Finding, Judged, Payload, Severity};

/// Every count finding of the run.
pub(super) fn rules(inputs: &Inputs<'_>, c: Option<&Comparison>, tests: &[Judged]) -> Vec<Finding> {
    let Some(counts) = inputs.counts else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    if let Some((reason, tests)) = &counts.unmeasured {
        findings.push(finding(
            inputs,
            Payload::CountNotMeasured {
                reason: reason.clone(),
                tests: *tests,
            },
        ));
    }
    for (id, why) in &counts.uncounted {
        let f = finding(
            inputs,
            Payload::CountNotMeasured {
                reason: why.clone(),
                tests: 1,
            },
        );
        findings.push(about(f, id, tests));
    }
    findings.extend(missing(inputs, counts, tests));
    for t in tests {
        let Some(now) = counts.by_test.get(&t.id) else {
            continue;
        };
        let before = c.and_then(|c| c.counts_before.get(&t.id));
        if let Some(f) = judge(inputs, c, now, before.map(|b| b.as_slice())) {
            findings.push(about(f, &t.id, tests));
        }
    }
    findings
}

/// Tests placed to count that passed without a count or a stated reason (their results were
/// measured elsewhere): said once, so an instruction budget is never taken as kept.
fn missing(inputs: &Inputs<'_>, counts: &Counts, tests: &[Judged]) -> Option<Finding> {
    let reason = match &counts.asked {
        Asked::Off => return None,
        Asked::Counted if counts.unmeasured.is_some() => return None,
        Asked::Counted => "it was not counted in this run".to_string(),
        Asked::Elsewhere(why) => why.clone(),
    };
    let tests = tests
        .iter()
        .filter(|t| t.placement.count && t.outcome.is_pass())
        .filter(|t| !counts.by_test.contains_key(&t.id) && !counts.uncounted.contains_key(&t.id))
        .count();
    (tests > 0).then(|| finding(inputs, Payload::CountNotMeasured { reason, tests }))
}

/// One test's counts now (one per counting run) against the baseline's.
fn judge(
    inputs: &Inputs<'_>,
    c: Option<&Comparison>,
    now: &[u64],
    before: Option<&[u64]>,
) -> Option<Finding> {
    let varied = |low, high| finding(inputs, Payload::CountNondeterministic { low, high });
    let after = match Counted::of(now)? {
        Counted::Exact(n) => n,
        Counted::Varied { low, high } => return Some(varied(low, high)),
    };
    let before = match Counted::of(before?)? {
        Counted::Exact(n) => n,
        Counted::Varied { low, high } => return Some(varied(low.min(after), high.max(after))),
    };
    let growth = growth(before, after, inputs.config.regression.instructions)?;
    let mut f = finding(inputs, Payload::CountRegression { growth });
    // Over the warn threshold only, or counted under another contract (another compiler or
    // profile counts differently): a warning at most.
    if !growth.fail || c.is_some_and(|c| !c.comparable()) {
        f.severity = f.severity.min(Severity::Warning);
    }
    Some(f)
}

/// `f` about the test `id`, with its tier, rule and place when it was judged.
fn about(mut f: Finding, id: &TestId, tests: &[Judged]) -> Finding {
    f.test = Some(id.clone());
    if let Ok(i) = tests.binary_search_by(|t| t.id.cmp(id)) {
        let t = &tests[i];
        f.tier = Some(t.placement.tier.clone());
        f.rule = Some(t.placement.rule.clone());
        f.location = t.location.clone();
    }
    f
}
