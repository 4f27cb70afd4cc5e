//! Instruction counts: the tests placed to count run again, alone in their own nextest run,
//! each under Valgrind through the wrapper (`runs` times: twice for a baseline, which is how a
//! nondeterministic count shows). Their times in that run are Valgrind's and are not kept.

use std::collections::BTreeSet;

use super::ask::Ask;
use super::nextest_run;
use crate::error::Error;
use crate::model::{Counts, TestId};
use crate::nextest::filterset;
use crate::session::Session;

/// Counts the instructions of `ids` `runs` times (nothing when there is none to count).
pub fn count(
    session: &Session<'_>,
    ask: &Ask,
    ids: &BTreeSet<TestId>,
    runs: u32,
) -> Result<Counts, Error> {
    let mut counts = Counts::default();
    if ids.is_empty() {
        return Ok(counts);
    }
    let valgrind =
        match super::scratch::wrapper(&session.ws.root).and_then(|_| crate::valgrind::find()) {
            Ok(v) => v,
            Err(why) => {
                counts.unmeasured = Some((why, ids.len()));
                return Ok(counts);
            }
        };
    let selection = ask
        .selection
        .narrowed_to(filterset::any_of(ids.iter().map(filterset::test)));
    let mut opts = super::ask::options(session, ask, &selection, true, false);
    opts.counting = Some(&valgrind);
    for k in 1..=runs.max(1) {
        let of = match runs {
            0 | 1 => String::new(),
            n => format!(" (run {k} of {n})"),
        };
        session.ui().note(
            "Counting",
            &format!(
                "the instructions of {} under Valgrind{of}",
                crate::text::count(ids.len(), "test")
            ),
        );
        let once = nextest_run::once(session, &opts)?;
        for id in ids {
            match once.counts.get(&(id.binary_id.clone(), id.name.clone())) {
                Some(Ok(n)) => counts.by_test.entry(id.clone()).or_default().push(*n),
                Some(Err(why)) => {
                    counts.uncounted.insert(id.clone(), why.clone());
                }
                None => {
                    counts
                        .uncounted
                        .insert(id.clone(), "it did not run under Valgrind".into());
                }
            }
        }
    }
    // A test counted in one run but not another has no count to trust.
    for id in counts.uncounted.keys() {
        counts.by_test.remove(id);
    }
    Ok(counts)
}
