//! Re-runs alone: the tests of a confirm plan run again by themselves, one nextest run per
//! round under the same budgets as the suite, each test only while its question is open.

use std::collections::HashMap;
use std::time::Duration;

use super::ask::Ask;
use super::nextest_run;
use crate::error::Error;
use crate::model::TestId;
use crate::nextest::filterset;
use crate::policy::confirm::{Plan, Reruns};
use crate::session::Session;

/// Runs the plan's tests alone (announced by the caller), `plan.rounds` times at most (a round
/// with no test left is not run), nextest showing only failures; returns each test's rounds
/// (its duration when it passed, `None` when it did not): the evidence that confirms or
/// dismisses what the suite run saw.
pub fn alone(session: &Session<'_>, ask: &Ask, plan: &Plan) -> Result<Reruns, Error> {
    let mut reruns = Reruns::default();
    if plan.is_empty() {
        return Ok(reruns);
    }
    let ids = plan.tests();
    for round in 0..plan.rounds as usize {
        let open: Vec<&TestId> = ids
            .iter()
            .filter(|id| plan.again(id, round, &reruns))
            .collect();
        if open.is_empty() {
            break;
        }
        let selection = ask
            .selection
            .narrowed_to(filterset::any_of(open.iter().map(|id| filterset::test(id))));
        let opts = super::ask::options(session, ask, &selection, true, false);
        let once = nextest_run::once(session, &opts)?;
        let passed: HashMap<TestId, Duration> = once
            .run
            .results
            .into_iter()
            .filter(|r| r.outcome.is_pass())
            .filter_map(|r| Some((r.id, r.duration?)))
            .collect();
        for id in open {
            reruns.record(id.clone(), passed.get(id).copied());
        }
    }
    Ok(reruns)
}
