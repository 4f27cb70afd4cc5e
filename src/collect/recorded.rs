//! A recorded baseline as evidence: each test's reference (median) time, as a run that passed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use crate::model::{Contract, Outcome, Run, TestId, TestResult};
use crate::policy::{Evidence, Origin};
use crate::session::Session;

/// The baseline at `path`, checked against the session's workspace members.
pub fn baseline(session: &Session<'_>, path: &Path) -> Result<Evidence, Error> {
    let recorded = crate::baseline::read(path, &session.members())?;
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
    let classified =
        super::classify::all(&session.config, ids, session.binaries(), session.sources())?;
    Ok(Evidence {
        run,
        classified,
        contract: Contract::unknown(),
        stats: BTreeMap::new(),
        origin: Origin::Baseline,
        scope: None,
        counts: crate::model::Counts {
            asked: crate::model::Asked::Elsewhere(
                "the results are a baseline's times: instructions are counted only when \
                 cargo-budget runs the tests"
                    .into(),
            ),
            ..Default::default()
        },
    })
}
