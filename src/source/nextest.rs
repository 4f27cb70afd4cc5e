//! A nextest source: the suite run `runs` times, folded into one run (each test's median) with
//! each test's runs, and the contract it ran under.

use std::path::PathBuf;
use std::time::Duration;

use super::Collected;
use crate::config::Config;
use crate::error::Error;
use crate::model::Run;
use crate::nextest::Inventory;
use crate::pipeline::{RunOptions, run_suite};
use crate::workspace::Workspace;

/// What running the suite with nextest yields besides its results.
pub struct Ran {
    pub inventory: Inventory,
    /// Each run's wall time and the machine's load when it ended.
    pub conditions: Vec<crate::baseline::RunInfo>,
    pub nextest_version: String,
    /// The JUnit file of the last run.
    pub junit_path: PathBuf,
    /// Time spent waiting for nextest, all runs.
    pub in_nextest: Duration,
}

/// Runs the suite `runs` times (at least once); `before_run(k)` is called before run k. The
/// runs are folded into one (each test's median) with each test's runs.
pub(super) fn measure(
    ws: &Workspace,
    config: &Config,
    opts: &RunOptions<'_>,
    runs: u32,
    before_run: &dyn Fn(u32),
) -> Result<(Collected, Ran), Error> {
    let conditions = |run: &Run| crate::baseline::RunInfo {
        wall_ms: run.wall.map(|w| w.as_millis() as u64),
        load_1m: crate::baseline::contract::load_1m(),
    };
    before_run(1);
    let first = run_suite(ws, config, opts)?;
    let mut measured_under = vec![conditions(&first.run)];
    let mut all = vec![first.run];
    let mut junit_path = first.junit_path;
    let mut in_nextest = first.in_nextest;
    for i in 2..=runs.max(1) {
        before_run(i);
        let next = run_suite(ws, config, opts)?;
        measured_under.push(conditions(&next.run));
        all.push(next.run);
        junit_path = next.junit_path;
        in_nextest += next.in_nextest;
    }
    let (run, stats) = crate::policy::aggregate::aggregate(all);
    let contract = crate::baseline::contract::current(
        opts.cwd,
        &first.nextest_version,
        opts.selection,
        runs.max(1),
        config.source.as_deref(),
    );
    let collected = Collected {
        run,
        classified: first.classified,
        contract,
        stats,
    };
    let ran = Ran {
        inventory: first.inventory,
        conditions: measured_under,
        nextest_version: first.nextest_version,
        junit_path,
        in_nextest,
    };
    Ok((collected, ran))
}
