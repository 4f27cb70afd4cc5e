//! The one confirm mechanism: which tests are run again alone after the suite run, and how many
//! times each. Two questions send a test there — over its time budget (or killed) only beside
//! the rest of the suite? ([`super::alone`]) and slower than the baseline alone too?
//! ([`super::compare`]) — and a test with both is re-run once, for both.

use std::time::Duration;

use super::alone::OverTime;
use crate::model::TestId;

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

    /// Whether `id` takes part in re-run `round` (from 0), given its passing re-runs so far: a
    /// slower test in every round, one over its budget while its question is open.
    pub fn again(&self, id: &TestId, round: usize, alone: &[Duration]) -> bool {
        self.slower.contains(id)
            || self
                .over
                .iter()
                .any(|o| &o.id == id && o.again(round, alone))
    }

    /// The plan's rounds may stop early: no slower test runs every round.
    pub fn up_to(&self) -> bool {
        self.slower.is_empty()
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
        // (test, round, passing re-runs so far, takes part)
        let table = [
            ("both", 0, vec![], true),
            ("both", 1, vec![ms(50)], true),
            ("both", 2, vec![ms(50), ms(60)], true),
            ("over", 0, vec![], true),
            ("over", 1, vec![ms(150)], true),
            ("over", 1, vec![ms(50)], false),
            ("over", 2, vec![ms(150)], false),
            ("slower", 2, vec![], true),
            ("neither", 0, vec![], false),
        ];
        for (name, round, alone, expected) in table {
            assert_eq!(
                plan.again(&id(name), round, &alone),
                expected,
                "{name} round {round} {alone:?}"
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
}
