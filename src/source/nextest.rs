//! A nextest source: the suite run `runs` times, folded into one run (each test's median) with
//! each test's runs, and the contract it ran under.

use std::path::PathBuf;
use std::time::Duration;

use super::Collected;
use crate::config::Config;
use crate::error::Error;
use crate::model::{Run, RunRecord};
use crate::nextest::Inventory;
use crate::pipeline::{RunOptions, run_suite};
use crate::workspace::Workspace;

/// What running the suite with nextest yields besides its results.
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

/// Runs the suite `runs` times (at least once); `before_run(k)` is called before run k. Each
/// run becomes a record; the records are folded into one run (each test's median) with each
/// test's runs.
pub(super) fn measure(
    ws: &Workspace,
    config: &Config,
    opts: &RunOptions<'_>,
    runs: u32,
    before_run: &dyn Fn(u32),
) -> Result<(Collected, Ran), Error> {
    let runs = runs.max(1);
    before_run(1);
    let first = run_suite(ws, config, opts)?;
    let contract = crate::baseline::contract::current(
        opts.cwd,
        &first.nextest_version,
        opts.selection,
        runs,
        config.source.as_deref(),
    );
    let commit = crate::git::head_commit(&ws.root);
    let record = |run: &Run| {
        let now = jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .map_or_else(|_| String::new(), |t| t.to_string());
        RunRecord::of(
            run,
            contract.clone(),
            commit.clone(),
            now,
            crate::baseline::contract::load_1m(),
        )
    };
    let mut records = vec![record(&first.run)];
    let mut junit_path = first.junit_path;
    let mut in_nextest = first.in_nextest;
    for i in 2..=runs {
        before_run(i);
        let next = run_suite(ws, config, opts)?;
        records.push(record(&next.run));
        junit_path = next.junit_path;
        in_nextest += next.in_nextest;
    }
    let all = records
        .iter()
        .map(RunRecord::to_run)
        .collect::<Result<Vec<Run>, _>>()
        .expect("a record made here reads back");
    let (run, stats) = crate::policy::aggregate::aggregate(all);
    let collected = Collected {
        run,
        classified: first.classified,
        contract,
        stats,
    };
    let ran = Ran {
        inventory: first.inventory,
        records,
        nextest_version: first.nextest_version,
        junit_path,
        in_nextest,
    };
    Ok((collected, ran))
}
