//! The one confirm mechanism: which tests are run again alone after the suite run, and how many
//! times each. Two questions send a test there — over its time budget (or killed) only beside
//! the rest of the suite? ([`super::alone`]) and slower than the baseline alone too?
//! ([`super::compare`]) — and a test with both is re-run once, for both.

use std::collections::BTreeMap;
use std::time::Duration;

use super::alone::OverTime;
use crate::model::{TestId, Times};

/// The re-runs alone a verdict waits for: at most `rounds` of them, one nextest run each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub rounds: u32,
    /// Over their time budget or killed: re-run only while the question is open.
    pub over: Vec<OverTime>,
    /// Slower than the baseline: re-run every round (their re-runs' spread is the evidence).
    pub slower: Vec<TestId>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.rounds == 0 || (self.over.is_empty() && self.slower.is_empty())
    }

    /// Every test of the plan, once: those over budget first, then the slower ones.
    pub fn tests(&self) -> Vec<TestId> {
        let mut out: Vec<TestId> = self.over.iter().map(|o| o.id.clone()).collect();
        for id in &self.slower {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// Whether `id` takes part in re-run `round` (from 0), given the re-runs so far: a slower
    /// test in every round, one over its budget while its question is open (a re-run it did not
    /// pass settles it).
    pub fn again(&self, id: &TestId, round: usize, reruns: &Reruns) -> bool {
        self.slower.contains(id)
            || self
                .over
                .iter()
                .any(|o| &o.id == id && o.again(round, &reruns.for_over(o)))
    }

    /// The plan's rounds may stop early: no slower test runs every round.
    pub fn up_to(&self) -> bool {
        self.slower.is_empty()
    }
}

/// Each re-run test's rounds in order: its duration when it passed the round, `None` when it
/// did not (failed, killed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reruns(BTreeMap<TestId, Vec<Option<Duration>>>);

impl Reruns {
    /// One round of `id`: `took` when it passed.
    pub fn record(&mut self, id: TestId, took: Option<Duration>) {
        self.0.entry(id).or_default().push(took);
    }

    /// Every test's passing re-runs: what a slower test is judged on.
    pub fn passing(&self) -> Times {
        self.0
            .iter()
            .map(|(id, rounds)| (id.clone(), rounds.iter().flatten().copied().collect()))
            .collect()
    }

    /// The re-runs that answer `over`'s question, as if it had been re-run for that question
    /// alone: its passing ones up to the first it did not pass (which settles it) and up to the
    /// one that closed the question (a slower test's later rounds do not reopen it).
    pub fn for_over(&self, over: &OverTime) -> Vec<Duration> {
        let mut out = Vec::new();
        for took in self.0.get(&over.id).into_iter().flatten() {
            match took {
                Some(took) if over.open(&out) => out.push(*took),
                _ => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn id(name: &str) -> TestId {
        TestId::new("p::t", name)
    }

    fn over(name: &str, budget: u64, killed: bool) -> OverTime {
        OverTime {
            id: id(name),
            budget: ms(budget),
            killed,
        }
    }

    /// A test both over budget and slower is re-run once per round, and every round (the
    /// slower question needs them all); one only over budget stops once a re-run clears it.
    #[test]
    fn a_test_with_both_questions_is_re_run_once_per_round() {
        let plan = Plan {
            rounds: 3,
            over: vec![over("both", 100, false), over("over", 100, false)],
            slower: vec![id("both"), id("slower")],
        };
        assert_eq!(plan.tests(), vec![id("both"), id("over"), id("slower")]);
        assert!(!plan.up_to());
        // (test, round, its re-runs so far (None: not passed), takes part)
        let table = [
            ("both", 0, vec![], true),
            ("both", 1, vec![Some(50)], true),
            ("both", 2, vec![None, Some(60)], true),
            ("over", 0, vec![], true),
            ("over", 1, vec![Some(150)], true),
            ("over", 1, vec![Some(50)], false),
            ("over", 1, vec![None], false),
            ("over", 2, vec![Some(150)], false),
            ("slower", 2, vec![], true),
            ("neither", 0, vec![], false),
        ];
        for (name, round, so_far, expected) in table {
            let mut reruns = Reruns::default();
            for took in &so_far {
                reruns.record(id(name), took.map(ms));
            }
            assert_eq!(
                plan.again(&id(name), round, &reruns),
                expected,
                "{name} round {round} {so_far:?}"
            );
        }
    }

    #[test]
    fn a_plan_without_rounds_or_tests_is_empty() {
        let some = Plan {
            rounds: 3,
            over: vec![over("a", 1, true)],
            slower: vec![],
        };
        assert!(!some.is_empty());
        assert!(some.up_to());
        assert!(
            Plan {
                rounds: 0,
                ..some.clone()
            }
            .is_empty()
        );
        assert!(
            Plan {
                rounds: 3,
                ..Plan::default()
            }
            .is_empty()
        );
    }

    /// A test both over budget and slower runs every round, but the over-budget question sees
    /// only the re-runs it would have had on its own: none past one it did not pass (that settles
    /// it: it stays over budget), none past the one that cleared it.
    #[test]
    fn the_over_budget_question_sees_only_its_own_re_runs() {
        let o = over("both", 100, false);
        // (rounds, what the over question sees, what the slower question sees)
        let table = [
            (vec![None, Some(50), Some(60)], vec![], vec![50, 60]),
            (vec![Some(150), None, Some(60)], vec![150], vec![150, 60]),
            (
                vec![Some(50), Some(150), Some(60)],
                vec![50],
                vec![50, 150, 60],
            ),
            (
                vec![Some(150), Some(160), Some(170)],
                vec![150, 160, 170],
                vec![150, 160, 170],
            ),
        ];
        for (rounds, over_sees, slower_sees) in table {
            let mut reruns = Reruns::default();
            for took in &rounds {
                reruns.record(id("both"), took.map(ms));
            }
            let ms_of = |v: Vec<u64>| v.into_iter().map(ms).collect::<Vec<_>>();
            assert_eq!(reruns.for_over(&o), ms_of(over_sees), "{rounds:?}");
            assert_eq!(
                reruns.passing()[&id("both")],
                ms_of(slower_sees),
                "{rounds:?}"
            );
        }
    }
}
