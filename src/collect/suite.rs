//! The suite run with nextest `runs` times under the session's budgets, folded into one run
//! (each test's median) with each test's runs, classified, with the contract it ran under.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use super::ask::{Ask, options};
use super::nextest_run;
use crate::error::Error;
use crate::model::{Amount, Metric, Outcome, Run, RunRecord, TestId};
use crate::nextest::Inventory;
use crate::policy::{Classified, Evidence, Origin, Scope};
use crate::session::Session;

/// What running the suite yields besides its evidence.
pub struct Ran {
    pub inventory: Inventory,
    /// What each run measured, one record per run (the folded results are built from them).
    pub records: Vec<RunRecord>,
    pub nextest_version: String,
    /// The JUnit file of the last run.
    pub junit_path: PathBuf,
    /// Time spent waiting for nextest, all runs.
    pub in_nextest: Duration,
}

/// Runs the suite as asked (at least once), with a "run k of N" line before each of several
/// runs (in CI and on a terminal alike: a redrawn bar would fight nextest's own output). Each
/// run becomes a record; the records are folded into one run (each test's median) with each
/// test's runs; the first run's tests are classified and its inventory kept.
pub fn suite(session: &Session<'_>, ask: &Ask) -> Result<(Evidence, Ran), Error> {
    nextest_run::check_profile(session, &ask.selection)?;
    let opts = options(session, ask, &ask.selection, ask.quiet, ask.keep_last);
    let runs = ask.runs.max(1);
    let announce = |k: u32| {
        if runs > 1 {
            session
                .ui()
                .note("Measuring", &format!("run {k} of {runs}"));
        }
    };
    announce(1);
    let mut first = nextest_run::once(session, &opts)?;
    let inventory = nextest_run::inventory(session, &opts, &first.run)?;
    // Skipped tests are the inventory's, not results: a JUnit without them reads the same.
    first.run.results.retain(|r| r.outcome != Outcome::Skipped);
    let version = session
        .nextest_version
        .get()
        .cloned()
        .expect("the first run asks for nextest's version");
    let contract = super::contract::current(
        opts.cwd,
        &version,
        &ask.selection,
        runs,
        session.config.source.as_deref(),
    );
    let commit = crate::git::head_commit(&session.ws.root);
    let record = |run: &Run| record_of(run, &contract, &commit);
    let classified = super::classify::all(
        &session.config,
        first.run.results.iter().map(|r| &r.id),
        &inventory.binaries,
        session.sources(),
    )?;
    let mut records = vec![record(&first.run)];
    let (mut junit_path, mut in_nextest) = (first.junit_path, first.in_nextest);
    for k in 2..=runs {
        announce(k);
        let mut next = nextest_run::once(session, &opts)?;
        next.run.results.retain(|r| r.outcome != Outcome::Skipped);
        records.push(record(&next.run));
        junit_path = next.junit_path;
        in_nextest += next.in_nextest;
    }
    let all = records
        .iter()
        .map(RunRecord::to_run)
        .collect::<Result<Vec<Run>, _>>()
        .expect("a record made here reads back");
    let (mut run, stats) = crate::policy::aggregate::aggregate(all);
    let counts = counted(session, ask, &classified, &mut run)?;
    let evidence = Evidence {
        run,
        classified,
        contract,
        stats,
        origin: Origin::Here,
        scope: Some(scope(session, &inventory)),
        counts,
    };
    let ran = Ran {
        inventory,
        records,
        nextest_version: version,
        junit_path,
        in_nextest,
    };
    Ok((evidence, ran))
}

/// What one run measured, stamped now.
fn record_of(run: &Run, contract: &crate::model::Contract, commit: &Option<String>) -> RunRecord {
    let now = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| String::new(), |t| t.to_string());
    RunRecord::of(
        run,
        contract.clone(),
        commit.clone(),
        now,
        super::contract::load_1m(),
    )
}

/// The instruction counts of the tests placed to count, each test's first count set in `run`.
fn counted(
    session: &Session<'_>,
    ask: &Ask,
    classified: &[Classified],
    run: &mut Run,
) -> Result<crate::model::Counts, Error> {
    let counts = super::counts::count(session, ask, &to_count(classified, run), ask.count_runs)?;
    for r in &mut run.results {
        if let Some(n) = counts.first(&r.id) {
            r.extra.set(Metric::Instructions, Amount::Count(n));
        }
    }
    Ok(counts)
}

/// The tests placed to count that passed: a failing test's count says nothing.
fn to_count(classified: &[Classified], run: &Run) -> BTreeSet<TestId> {
    let passed: HashSet<&TestId> = run
        .results
        .iter()
        .filter(|r| r.outcome.is_pass())
        .map(|r| &r.id)
        .collect();
    classified
        .iter()
        .filter(|c| c.placement.count && passed.contains(&c.id))
        .map(|c| c.id.clone())
        .collect()
}

/// What exists besides what ran. Known tests, for judging exceptions stale: the listed tests,
/// plus the exceptions' own tests when their binary exists but the selection skipped it
/// (filters, `-p`, a member directory): those say nothing either way.
fn scope(session: &Session<'_>, inventory: &Inventory) -> Scope {
    let mut known: HashSet<TestId> = inventory.tests.iter().map(|t| t.id.clone()).collect();
    let in_workspace: HashSet<String> = session
        .binaries()
        .iter()
        .map(|b| b.binary_id.clone())
        .collect();
    for e in &session.config.exceptions {
        let id = e.test.binary_id.as_str();
        if in_workspace.contains(id) && !inventory.listed.contains(id) {
            known.insert(e.test.clone());
        }
    }
    Scope {
        known,
        listed: inventory.listed.clone(),
        in_workspace,
    }
}
