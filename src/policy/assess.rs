//! Policy's one door for tests: [`assess`] judges the evidence against the budgets and the
//! baseline and says which tests to re-run alone ([`Plan`]); [`settle`] takes those re-runs and
//! returns the verdict. Commands collect, call these two, and render; no rule lives elsewhere.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jiff::civil::Date;

use super::compare::{self, Comparison, Current, References, Runs};
use super::confirm::{Plan, Reruns};
use super::noise::Spread;
use super::{Classified, Verdict};
use crate::config::{Config, Context, Regression};
use crate::model::{Contract, Outcome, Run, TestId, TestResult, Times};

/// The terms a run is judged on.
#[derive(Clone, Copy)]
pub struct Terms<'a> {
    pub config: &'a Config,
    pub context: Context,
    pub today: Date,
}

/// Where the evidence came from, which decides what can be asked of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Run here, now: its contract is known and its tests can be re-run alone.
    Here,
    /// nextest JUnit files measured elsewhere (contract unknown, nothing re-run).
    Files,
    /// A recorded baseline's reference times, judged as a run that passed.
    Baseline,
}

/// What exists besides what ran: for stale exceptions and removed tests.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Tests known to exist (the inventory, and exceptions' tests outside the selection).
    pub known: HashSet<TestId>,
    /// Binaries nextest listed (or ran) in this selection.
    pub listed: BTreeSet<String>,
    /// Every test binary of the workspace.
    pub in_workspace: HashSet<String>,
}

/// Results, in one shape whatever their source.
pub struct Evidence {
    pub run: Run,
    pub classified: Vec<Classified>,
    /// What the results were measured under; unknown for files and baselines.
    pub contract: Contract,
    /// Each test's runs, when the suite ran (one entry per test, however many runs).
    pub stats: BTreeMap<TestId, Spread>,
    pub origin: Origin,
    /// `None`: the results are all there is.
    pub scope: Option<Scope>,
    /// The instruction counts of the tests that count (none for files and baselines).
    pub counts: crate::model::Counts,
}

/// What a comparison needs from a baseline file.
#[derive(Debug)]
pub struct Recorded {
    pub created: String,
    pub commit: Option<String>,
    pub contract: Contract,
    pub references: References,
    /// Each test's peak memory, when the baseline measured it (schema 3).
    pub peaks: HashMap<TestId, u64>,
    /// Each test's median CPU time (ms), when the baseline measured it (schema 3).
    pub cpu_ms: HashMap<TestId, u64>,
    /// Each test's instruction counts, one per counting run, when the baseline counted them.
    pub counts: HashMap<TestId, Vec<u64>>,
}

/// The evidence judged so far, and the re-runs alone that would settle what is open.
pub struct Assessed {
    evidence: Evidence,
    comparison: Option<Comparison>,
    pub plan: Plan,
}

/// Compares `evidence` with `baseline` (when there is one) and plans the re-runs alone: the
/// tests over their time budget where that fails the build, and the slower ones (at most
/// [`compare::MAX_RERUN`], the largest slowdowns first), `[regression] confirm_runs` times.
/// Only evidence run here is re-run.
pub fn assess(terms: &Terms<'_>, evidence: Evidence, baseline: Option<Recorded>) -> Assessed {
    let config = terms.config;
    let mut comparison = baseline.map(|recorded| compare_with(config, &evidence, recorded));
    let rounds = config.regression.confirm_runs;
    let mut plan = Plan {
        rounds,
        ..Plan::default()
    };
    if evidence.origin == Origin::Here {
        if rounds > 0 && super::alone::worth_it(config, terms.context) {
            plan.over = super::alone::over_time(&evidence.classified, &evidence.run);
        }
        if let Some(c) = comparison.as_mut() {
            let slower = c.to_confirm(compare::MAX_RERUN);
            if rounds > 0 {
                plan.slower = slower;
            }
        }
    }
    Assessed {
        evidence,
        comparison,
        plan,
    }
}

/// The verdict, with the re-runs alone `reruns` applied: a
/// slower test is judged on what it did alone, an overage the test does not have alone is the
/// suite's load, not the test.
pub fn settle(terms: &Terms<'_>, assessed: Assessed, reruns: Reruns) -> Verdict {
    let Assessed {
        evidence,
        mut comparison,
        plan,
    } = assessed;
    let mut run = evidence.run;
    if let Some(c) = comparison.as_mut() {
        if !plan.slower.is_empty() {
            c.confirm(&reruns.passing(), plan.rounds);
        }
        if evidence.origin == Origin::Here {
            c.hold_by_cpu(&run, terms.config.regression.warn);
        }
    }
    if !plan.over.is_empty() {
        let alone: Times = plan
            .over
            .iter()
            .map(|o| (o.id.clone(), reruns.for_over(o)))
            .filter(|(_, times)| !times.is_empty())
            .collect();
        run.alone = super::alone::evidence(&plan.over, alone, plan.rounds as usize);
    }
    super::evaluate(
        &super::Inputs {
            config: terms.config,
            context: terms.context,
            today: terms.today,
            known: evidence.scope.as_ref().map(|s| &s.known),
            counts: Some(&evidence.counts),
        },
        evidence.classified,
        run,
        comparison,
    )
}

/// Compares the evidence's passing tests with the recorded baseline; a baseline test counts as
/// removed only if its binary was listed without it, or is gone from the workspace: binaries
/// outside the selection (filters, `-p`, a member directory) say nothing.
fn compare_with(config: &Config, evidence: &Evidence, recorded: Recorded) -> Comparison {
    let differences = match evidence.origin {
        Origin::Here => recorded.contract.differences(&evidence.contract),
        Origin::Files | Origin::Baseline if !evidence.contract.is_unknown() => {
            recorded.contract.differences(&evidence.contract)
        }
        Origin::Files | Origin::Baseline => vec![
            "the JUnit files' measurement contract is unknown (judged with --from, not run here)"
                .into(),
        ],
    };
    let (current, not_passed) = passed(config, evidence);
    let mut comparison = compare::compare(compare::Inputs {
        baseline: recorded.references,
        current,
        not_passed,
        existing: evidence.scope.as_ref().map(|s| &s.known),
        thresholds: config.regression,
        differences,
        baseline_commit: recorded.commit,
        baseline_created: recorded.created,
        peaks: recorded.peaks,
        cpu_ms: recorded.cpu_ms,
        counts: recorded.counts,
    });
    if let Some(scope) = &evidence.scope {
        comparison.removed.retain(|id| {
            scope.listed.contains(&id.binary_id) || !scope.in_workspace.contains(&id.binary_id)
        });
    }
    comparison
}

/// The tests that passed, with their runs (every run, for a suite run here; the one duration,
/// for files) and the thresholds of their tier. The rest that ran (failed, killed, flaky,
/// passed without a duration) come second.
fn passed<'a>(config: &'a Config, evidence: &'a Evidence) -> (Vec<Current<'a>>, Vec<&'a TestId>) {
    let runs_of = |r: &'a TestResult| match evidence.origin {
        Origin::Here => evidence.stats.get(&r.id).map(Runs::Several),
        Origin::Files | Origin::Baseline => r.duration.map(Runs::One),
    };
    // The tests whose tier has thresholds of its own (usually none).
    let own: HashMap<&TestId, &Regression> = evidence
        .classified
        .iter()
        .filter_map(|c| {
            let own = config.tier(&c.placement.tier)?.regression.as_ref()?;
            Some((&c.id, own))
        })
        .collect();
    let mut passed = Vec::with_capacity(evidence.run.results.len());
    let mut others = Vec::new();
    for r in &evidence.run.results {
        match runs_of(r).filter(|_| r.outcome == Outcome::Passed) {
            Some(runs) => passed.push(Current {
                id: &r.id,
                runs,
                thresholds: own.get(&r.id).copied().unwrap_or(&config.regression),
            }),
            None if r.outcome != Outcome::Skipped => others.push(&r.id),
            None => {}
        }
    }
    (passed, others)
}
