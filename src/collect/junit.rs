//! nextest JUnit files measured elsewhere (shards of one run), as evidence.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::error::Error;
use crate::model::{BinaryInfo, Contract, TestId};
use crate::policy::{Evidence, Origin};
use crate::sources::SourceIndex;
use crate::workspace::Workspace;

/// Reads JUnit shards and classifies the tests they ran, for `--from`. Outside a workspace the
/// binaries' kinds and targets are derived from their ids, and no source is known.
pub fn files(
    config: &Config,
    ws: Option<&Workspace>,
    files: &[PathBuf],
) -> Result<Evidence, Error> {
    let mut run = crate::nextest::junit::read_shards(files)?;
    // Tests skipped in every shard (filtered out, ignored: JUnit written with
    // `report-skipped`) are not results, as in a run measured here.
    run.results
        .retain(|r| r.outcome != crate::model::Outcome::Skipped);
    run.unmeasured = Some("JUnit files carry no peak memory".to_string());
    let ids: Vec<&TestId> = run.results.iter().map(|r| &r.id).collect();
    let (binaries, sources) = match ws {
        Some(ws) => {
            let binaries = ws.binaries();
            let sources = SourceIndex::build(ws, &binaries);
            (binaries, sources)
        }
        None => {
            let unique: std::collections::BTreeSet<&str> =
                ids.iter().map(|id| id.binary_id.as_str()).collect();
            let binaries = unique.into_iter().map(BinaryInfo::from_binary_id).collect();
            (binaries, SourceIndex::default())
        }
    };
    let classified = super::classify::all(config, ids, &binaries, &sources)?;
    Ok(Evidence {
        run,
        classified,
        contract: Contract::unknown(),
        stats: BTreeMap::new(),
        origin: Origin::Files,
        scope: None,
        counts: crate::model::Counts {
            asked: crate::model::Asked::Elsewhere(
                "the results were read from JUnit files: instructions are counted only when \
                 cargo-budget runs the tests"
                    .into(),
            ),
            ..Default::default()
        },
    })
}
