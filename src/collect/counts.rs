//! Instruction counts: the tests to count run again in a nextest run of their own, each under
//! Valgrind through the wrapper (`runs` times: twice for a baseline, which is how a
//! nondeterministic count shows). Their times in that run are Valgrind's and are not kept.

use std::collections::{BTreeSet, HashSet};

use super::ask::Ask;
use super::nextest_run;
use crate::error::Error;
use crate::model::{Counts, TestId};
use crate::nextest::filterset;
use crate::session::Session;

/// Which tests to count.
pub struct Wanted<'a> {
    /// Placed to count by their tier or exception (and passed): each must get a count.
    pub placed: BTreeSet<TestId>,
    /// `--instructions`: a filterset of further tests to count, within the selection.
    pub also: Option<&'a str>,
    /// The tests that passed in the suite run: only theirs are kept.
    pub passed: HashSet<TestId>,
}

impl Wanted<'_> {
    fn is_empty(&self) -> bool {
        self.placed.is_empty() && self.also.is_none()
    }

    /// The filtersets of the counting runs: the placed tests, `BATCH` to a run (one argument
    /// must stay far below the kernel's 128 KiB), and the `--instructions` ones among those the
    /// user selected with the first.
    fn batches(&self, ask: &Ask) -> Vec<String> {
        let placed: Vec<&TestId> = self.placed.iter().collect();
        let mut batches: Vec<String> = placed
            .chunks(BATCH)
            .map(|chunk| filterset::any_of(chunk.iter().map(|id| filterset::test(id))))
            .collect();
        if let Some(also) = self.also(ask) {
            match batches.first_mut() {
                Some(first) => *first = format!("{first} | {also}"),
                None => batches.push(also),
            }
        }
        batches
    }

    /// The `--instructions` filterset within the user's own.
    fn also(&self, ask: &Ask) -> Option<String> {
        let also = self.also?;
        let also = match ask.selection.exprs.as_slice() {
            [] => format!("({also})"),
            exprs => format!(
                "({also}) & ({})",
                exprs
                    .iter()
                    .map(|e| format!("({e})"))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
        };
        Some(also)
    }
}

/// Tests named in one counting run's filterset: about 100 bytes each, so ~50 KiB.
const BATCH: usize = 500;

/// Counts the instructions of the `wanted` tests `runs` times (nothing when there is none).
pub fn count(
    session: &Session<'_>,
    ask: &Ask,
    wanted: &Wanted<'_>,
    runs: u32,
) -> Result<Counts, Error> {
    let mut counts = Counts::default();
    if runs == 0 {
        return Ok(counts);
    }
    counts.asked = crate::model::Asked::Counted;
    if wanted.is_empty() {
        return Ok(counts);
    }
    let valgrind =
        match super::scratch::wrapper(&session.ws.root).and_then(|_| crate::valgrind::find()) {
            Ok(v) => v,
            Err(why) => {
                counts.unmeasured = Some((why, wanted.placed.len()));
                return Ok(counts);
            }
        };
    let batches = wanted.batches(ask);
    for k in 1..=runs {
        let of = match runs {
            1 => String::new(),
            n => format!(" (run {k} of {n})"),
        };
        let what = match (wanted.placed.len(), wanted.also) {
            (n, None) => crate::text::count(n, "test"),
            (0, Some(_)) => "the tests `--instructions` selects".to_string(),
            (n, Some(_)) => format!(
                "{} and those `--instructions` selects",
                crate::text::count(n, "test")
            ),
        };
        session.ui().note(
            "Counting",
            &format!("the instructions of {what} under Valgrind{of}"),
        );
        for batch in &batches {
            let selection = ask.selection.narrowed_to(batch.clone());
            let mut opts = super::ask::options(session, ask, &selection, true, false);
            opts.counting = Some(&valgrind);
            let once = nextest_run::once(session, &opts)?;
            for ((binary_id, name), count) in once.counts {
                let id = TestId::new(&binary_id, &name);
                if !wanted.passed.contains(&id) {
                    continue;
                }
                match count {
                    Ok(n) => counts.by_test.entry(id).or_default().push(n),
                    Err(why) => {
                        counts.uncounted.insert(id, why);
                    }
                }
            }
        }
        for id in &wanted.placed {
            if !counts.by_test.contains_key(id) && !counts.uncounted.contains_key(id) {
                counts
                    .uncounted
                    .insert(id.clone(), "it did not run under Valgrind".into());
            }
        }
    }
    // A test counted in one run but not another has no count to trust.
    for id in counts.uncounted.keys() {
        counts.by_test.remove(id);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_tests_are_counted_in_runs_whose_filterset_fits_one_argument() {
        let ask = Ask::once(crate::nextest::Selection::default(), true);
        let placed: BTreeSet<TestId> = (0..1200)
            .map(|i| TestId::new("app::unit", format!("module::a_rather_long_test_name_{i}")))
            .collect();
        let wanted = Wanted {
            placed,
            also: Some("test(/parse/)"),
            passed: HashSet::new(),
        };
        let batches = wanted.batches(&ask);
        assert_eq!(batches.len(), 3);
        assert!(
            batches.iter().all(|b| b.len() < 128 * 1024 / 2),
            "{}",
            batches[0].len()
        );
        assert!(
            batches[0].ends_with(" | (test(/parse/))"),
            "{}",
            &batches[0][batches[0].len() - 40..]
        );
        assert!(!batches[1].contains("parse"));
        let only_also = Wanted {
            placed: BTreeSet::new(),
            also: Some("test(x)"),
            passed: HashSet::new(),
        };
        assert_eq!(only_also.batches(&ask), ["(test(x))"]);
    }
}
