//! Re-runs alone: the tests of a confirm plan run again by themselves, one nextest run per
//! round under the same budgets as the suite, each test only while its question is open.

use std::collections::HashSet;

use super::nextest_run;
use super::suite::Ask;
use crate::error::Error;
use crate::model::{TestId, Times};
use crate::nextest::filterset;
use crate::policy::confirm::Plan;
use crate::session::Session;

/// Runs the plan's tests alone (announced by the caller), `plan.rounds` times at most (a round with no test left is not
/// run), nextest showing only failures; returns each test's passing durations: the evidence
/// that confirms or dismisses what the suite run saw.
pub fn alone(session: &Session<'_>, ask: &Ask, plan: &Plan) -> Result<Times, Error> {
    let mut times = Times::new();
    if plan.is_empty() {
        return Ok(times);
    }
    let ids = plan.tests();
    for round in 0..plan.rounds as usize {
        let open: Vec<&TestId> = ids
            .iter()
            .filter(|id| plan.again(id, round, times.get(*id).map_or(&[][..], Vec::as_slice)))
            .collect();
        if open.is_empty() {
            break;
        }
        let wanted: HashSet<&TestId> = open.iter().copied().collect();
        let selection = ask
            .selection
            .narrowed_to(filterset::any_of(open.iter().map(|id| filterset::test(id))));
        let opts = super::suite::options(session, ask, &selection, true, false);
        let once = nextest_run::once(session, &opts)?;
        for r in once.run.results {
            if let Some(duration) = r.duration.filter(|_| r.outcome.is_pass())
                && wanted.contains(&r.id)
            {
                times.entry(r.id).or_default().push(duration);
            }
        }
    }
    Ok(times)
}
