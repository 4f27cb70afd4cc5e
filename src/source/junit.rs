//! File sources: nextest JUnit files measured elsewhere.

use std::path::PathBuf;

use crate::config::Config;
use crate::error::Error;
use crate::model::{BinaryInfo, Run, TestId};
use crate::pipeline::classify_all;
use crate::policy::Classified;
use crate::sources::SourceIndex;
use crate::workspace::Workspace;

/// Reads JUnit shards and classifies the tests they ran, for `--from`.
pub(super) fn from_files(
    config: &Config,
    files: &[PathBuf],
    ws: Option<&Workspace>,
) -> Result<(Run, Vec<Classified>), Error> {
    let mut run = crate::nextest::junit::read_shards(files)?;
    // Tests skipped in every shard (filtered out, ignored: JUnit written with
    // `report-skipped`) are not results, as in a run measured here.
    run.results
        .retain(|r| r.outcome != crate::model::Outcome::Skipped);
    run.unmeasured = Some("JUnit files carry no peak memory".to_string());
    let ids: Vec<&TestId> = run.results.iter().map(|r| &r.id).collect();
    // The workspace knows each binary's real kind and target (a lib named differently from its
    // package, a proc-macro); without one, both are derived from the binary id.
    let binaries: Vec<BinaryInfo> = match ws {
        Some(ws) => ws.binaries(),
        None => {
            let unique: std::collections::BTreeSet<&str> =
                ids.iter().map(|id| id.binary_id.as_str()).collect();
            unique.into_iter().map(BinaryInfo::from_binary_id).collect()
        }
    };
    let sources = match ws {
        Some(ws) => SourceIndex::build(ws, &binaries),
        None => SourceIndex::default(),
    };
    let classified = classify_all(config, ids, &binaries, &sources)?;
    Ok((run, classified))
}
