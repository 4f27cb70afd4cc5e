//! The source seam: every way results arrive — a nextest run, nextest JUnit files, a recorded
//! baseline (and criterion's files next) — collected into one shape, classified, with the
//! measurement contract computed here and nowhere else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::baseline::{self, Contract};
use crate::config::Config;
use crate::error::Error;
use crate::model::{Outcome, Run, TestId, TestResult};
use crate::pipeline::{self, RunOptions};
use crate::policy::Classified;

mod junit;
mod nextest;
use crate::policy::noise::Spread;
use crate::workspace::Workspace;
pub use nextest::Ran;

/// Where results come from.
pub enum Source<'a> {
    /// Run the suite with nextest, `runs` times; `before_run(k)` is called before run k.
    Nextest {
        options: &'a RunOptions<'a>,
        runs: u32,
        before_run: &'a dyn Fn(u32),
    },
    /// nextest JUnit files: shards of one run, measured elsewhere.
    Junit(&'a [PathBuf]),
    /// A recorded baseline: each test's reference (median) time, as a run that passed.
    Baseline(&'a Path),
}

/// Results from any source, in one shape.
pub struct Collected {
    pub run: Run,
    pub classified: Vec<Classified>,
    /// What the results were measured under; [`Contract::unknown`] for files and baselines
    /// measured elsewhere (a comparison then warns, never fails).
    pub contract: Contract,
    /// Each test's runs, when there were several.
    pub stats: BTreeMap<TestId, Spread>,
}

/// Collects `source` in `ws` (none: JUnit files judged outside a workspace). A nextest source
/// also returns what running it yields.
pub fn collect(
    ws: Option<&Workspace>,
    config: &Config,
    source: Source<'_>,
) -> Result<(Collected, Option<Ran>), Error> {
    match source {
        Source::Nextest {
            options,
            runs,
            before_run,
        } => {
            let ws = ws.ok_or_else(|| Error::Usage("running tests needs a workspace".into()))?;
            let (collected, ran) = nextest::measure(ws, config, options, runs, before_run)?;
            Ok((collected, Some(ran)))
        }
        Source::Junit(files) => {
            let (run, classified) = junit::from_files(config, files, ws)?;
            Ok((unmeasured(run, classified), None))
        }
        Source::Baseline(path) => {
            let ws = ws.ok_or_else(|| Error::Usage("a baseline needs a workspace".into()))?;
            let members: Vec<String> = ws.packages.iter().map(|p| p.name.clone()).collect();
            let recorded = baseline::read(path, &members)?;
            let run = Run {
                results: recorded
                    .references()
                    .into_tests()
                    .filter_map(|(id, runs)| {
                        runs.map(|runs| TestResult {
                            id,
                            outcome: Outcome::Passed,
                            duration: Some(runs.median),
                            attempts: 1,
                            message: None,
                            extra: Default::default(),
                        })
                    })
                    .collect(),
                wall: None,
                unmeasured: None,
                alone: Default::default(),
            };
            let ids: Vec<&TestId> = run.results.iter().map(|r| &r.id).collect();
            let binaries = ws.binaries();
            let sources = crate::sources::SourceIndex::build(ws, &binaries);
            let classified = pipeline::classify_all(config, ids, &binaries, &sources)?;
            Ok((unmeasured(run, classified), None))
        }
    }
}

fn unmeasured(run: Run, classified: Vec<Classified>) -> Collected {
    Collected {
        run,
        classified,
        contract: Contract::unknown(),
        stats: BTreeMap::new(),
    }
}
