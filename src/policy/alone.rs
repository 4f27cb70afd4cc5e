//! Which tests over their time budget (or killed at the kill line) are run again alone, and when
//! those re-runs settle one: a test over its budget only while the rest of the suite ran beside
//! it is the suite's load, not the test (`docs/measurement.md`, "Over budget only in the suite
//! run").

use std::collections::HashMap;
use std::time::Duration;

use super::verdict::{Classified, FindingKind, Severity};
use crate::config::{Config, Context};
use crate::model::{Outcome, Run, TestId, Times};

/// At most this many tests are re-run alone; the rest keep their suite-run verdict.
pub const MAX_ALONE: usize = 50;

/// Whether re-runs alone could change anything in `context`: only where a test over its budget
/// fails the build (elsewhere it is a warning, or less, either way).
pub fn worth_it(config: &Config, context: Context) -> bool {
    let enforcement = config.enforce.for_context(context);
    super::enforce::severity(FindingKind::OverBudget, config.phase, enforcement) == Severity::Error
}

/// A test to re-run alone, the time budget it was over, and whether it was killed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverTime {
    pub id: TestId,
    pub budget: Duration,
    pub killed: bool,
}

impl OverTime {
    /// Whether the test's question is still open after the passing re-runs `alone`: a test
    /// that passed over its budget is re-run while every re-run was over it too (one within it
    /// clears it); a killed one while every re-run passed within it (one over it settles it;
    /// only all of them clear a kill, which may be an intermittent hang).
    pub fn open(&self, alone: &[Duration]) -> bool {
        match self.killed {
            false => alone.iter().all(|took| *took > self.budget),
            true => alone.iter().all(|took| *took <= self.budget),
        }
    }

    /// Whether the test takes part in re-run `round` (from 0), given its passing re-runs so
    /// far: only after passing every earlier one (a re-run it does not pass, killed or failed
    /// alone too, settles it) and while its question is [`open`](Self::open).
    pub fn again(&self, round: usize, alone: &[Duration]) -> bool {
        alone.len() == round && self.open(alone)
    }
}

/// The re-runs alone that are evidence, by test: those of a test whose question was settled
/// (cleared, or confirmed in all `rounds`). A test that stopped with its question open did not
/// pass a re-run: its passing times say nothing, and it is judged on the suite run.
pub fn evidence(over: &[OverTime], mut times: Times, rounds: usize) -> Times {
    times.retain(|id, alone| {
        over.iter()
            .find(|o| o.id == *id)
            .is_some_and(|o| !o.open(alone) || alone.len() == rounds)
    });
    times
}

/// The tests of `run` killed at the kill line or passed over their time budget: killed ones
/// first, then the largest overage (at most [`MAX_ALONE`]). Failed tests are not among them:
/// a failure is not a matter of time.
pub fn over_time(classified: &[Classified], run: &Run) -> Vec<OverTime> {
    let budgets: HashMap<&TestId, Duration> = classified
        .iter()
        .map(|c| (&c.id, c.placement.budget))
        .collect();
    let mut over: Vec<(f64, OverTime)> = run
        .results
        .iter()
        .filter_map(|r| {
            let budget = *budgets.get(&r.id)?;
            let overage = match r.outcome {
                Outcome::TimedOut => f64::INFINITY,
                Outcome::Passed | Outcome::Flaky => {
                    let took = r.duration.filter(|took| *took > budget)?;
                    took.as_secs_f64() / budget.as_secs_f64().max(f64::MIN_POSITIVE)
                }
                Outcome::Failed | Outcome::Skipped => return None,
            };
            Some((
                overage,
                OverTime {
                    id: r.id.clone(),
                    budget,
                    killed: r.outcome == Outcome::TimedOut,
                },
            ))
        })
        .collect();
    over.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    over.into_iter().take(MAX_ALONE).map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TestResult;
    use crate::policy::verdict::cleared;
    use crate::policy::{Placement, Rule};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn classified(name: &str, budget_ms: u64) -> Classified {
        Classified {
            id: TestId::new("p::unit", name),
            placement: Placement {
                tier: "unit".into(),
                budget: ms(budget_ms),
                limits: Default::default(),
                rule: Rule::Default,
                exception_line: None,
                count: false,
            },
            location: None,
        }
    }

    fn result(name: &str, outcome: Outcome, took: Option<u64>) -> TestResult {
        TestResult {
            id: TestId::new("p::unit", name),
            outcome,
            duration: took.map(ms),
            attempts: 1,
            message: None,
            extra: Default::default(),
        }
    }

    /// Killed tests are re-run first, then passing tests over their time budget, the largest
    /// overage first; failed ones never.
    #[test]
    fn killed_then_passing_tests_over_their_time_budget_are_re_run_the_largest_overage_first() {
        let classified = vec![
            classified("a_little_over", 1000),
            classified("far_over", 100),
            classified("within", 1000),
            classified("failed", 100),
            classified("killed", 100),
            classified("flaky_over", 1000),
            classified("no_time", 100),
        ];
        let run = Run {
            results: vec![
                result("a_little_over", Outcome::Passed, Some(1100)),
                result("far_over", Outcome::Passed, Some(900)),
                result("within", Outcome::Passed, Some(1000)),
                result("failed", Outcome::Failed, Some(900)),
                result("killed", Outcome::TimedOut, Some(900)),
                result("flaky_over", Outcome::Flaky, Some(1500)),
                result("no_time", Outcome::Passed, None),
                result("unplaced", Outcome::Passed, Some(90_000)),
            ],
            ..Default::default()
        };
        let names: Vec<(String, u64)> = over_time(&classified, &run)
            .into_iter()
            .map(|o| (o.id.name, o.budget.as_millis() as u64))
            .collect();
        assert_eq!(
            names,
            [
                ("killed".to_string(), 100),
                ("far_over".to_string(), 100),
                ("flaky_over".to_string(), 1000),
                ("a_little_over".to_string(), 1000),
            ]
        );
    }

    #[test]
    fn at_most_max_alone_tests_are_re_run() {
        let classified: Vec<Classified> = (0..MAX_ALONE + 7)
            .map(|i| classified(&format!("t{i:03}"), 100))
            .collect();
        let run = Run {
            results: (0..MAX_ALONE + 7)
                .map(|i| result(&format!("t{i:03}"), Outcome::Passed, Some(200 + i as u64)))
                .collect(),
            ..Default::default()
        };
        let over = over_time(&classified, &run);
        assert_eq!(over.len(), MAX_ALONE);
        assert_eq!(
            over[0].id.name,
            format!("t{:03}", MAX_ALONE + 6),
            "largest first"
        );
    }

    /// Re-runs are for where a violation fails the build: strict contexts in the strict phase.
    #[test]
    fn re_runs_are_worth_it_only_where_a_violation_fails_the_build() {
        let parse = |text: &str| {
            crate::config::parse(text, std::path::Path::new("budget.toml"))
                .unwrap()
                .config
        };
        let table = [
            ("", Context::Ci, true),
            ("", Context::PreCommit, true),
            ("", Context::Release, true),
            ("", Context::Dev, false),
            ("phase = \"warn\"", Context::Ci, false),
            ("phase = \"measure\"", Context::Ci, false),
            ("[enforce]\nci = \"warn\"", Context::Ci, false),
            ("[enforce]\ndev = \"strict\"", Context::Dev, true),
        ];
        for (text, context, worth) in table {
            assert_eq!(
                worth_it(&parse(text), context),
                worth,
                "{text:?} {context:?}"
            );
        }
    }

    /// (killed?, budget, passing re-runs alone, re-run again?, cleared?)
    #[test]
    fn one_re_run_within_the_budget_clears_an_overage_and_only_all_of_them_a_kill() {
        let table: &[(bool, u64, &[u64], bool, bool)] = &[
            (false, 1000, &[], true, false),
            (false, 1000, &[1500], true, false),
            (false, 1000, &[1500, 1400, 1600], true, false),
            (false, 1000, &[1500, 900], false, true),
            (false, 1000, &[1000], false, true),
            (false, 1000, &[400, 1500, 1600], false, true),
            (true, 1000, &[], true, false),
            (true, 1000, &[300], true, true),
            (true, 1000, &[300, 280, 1000], true, true),
            (true, 1000, &[300, 1500], false, false),
            (true, 1000, &[2500], false, false),
        ];
        for (killed, budget, alone, again, clear) in table {
            let o = OverTime {
                id: TestId::new("p::unit", "t"),
                budget: ms(*budget),
                killed: *killed,
            };
            let alone: Vec<Duration> = alone.iter().copied().map(ms).collect();
            assert_eq!(o.open(&alone), *again, "{killed} {alone:?}");
            assert_eq!(
                cleared(*killed, ms(*budget), &alone),
                *clear,
                "{killed} {alone:?}"
            );
        }
    }

    /// A test re-run only after passing every earlier round; its re-runs are evidence once its
    /// question is settled, not when it stopped open (it did not pass a re-run).
    #[test]
    fn re_runs_are_evidence_only_when_they_settled_the_question() {
        let over = |name: &str, killed| OverTime {
            id: TestId::new("p::unit", name),
            budget: ms(1000),
            killed,
        };
        let o = over("t", false);
        assert!(o.again(0, &[]));
        assert!(o.again(1, &[ms(1500)]));
        assert!(!o.again(2, &[ms(1500)]), "did not pass round 1");
        assert!(!o.again(1, &[ms(900)]), "cleared");
        let cases: Vec<(OverTime, Vec<u64>, bool)> = vec![
            (over("confirmed", false), vec![1500, 1400, 1600], true),
            (over("cleared", false), vec![1500, 900], true),
            (over("failed_round_2", false), vec![1500], false),
            (over("kill_cleared", true), vec![300, 300, 300], true),
            (over("kill_settled_over", true), vec![300, 1500], true),
            (over("killed_again_in_round_2", true), vec![300], false),
        ];
        let plan: Vec<OverTime> = cases.iter().map(|(o, _, _)| o.clone()).collect();
        let times: Times = cases
            .iter()
            .map(|(o, t, _)| (o.id.clone(), t.iter().copied().map(ms).collect()))
            .collect();
        let kept = evidence(&plan, times, 3);
        for (o, _, evidence) in &cases {
            assert_eq!(kept.contains_key(&o.id), *evidence, "{}", o.id.name);
        }
    }
}
