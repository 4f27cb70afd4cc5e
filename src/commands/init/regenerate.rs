//! `.config/nextest.toml` as `init` would write it now, for a command that changed what it
//! follows from (reclassify's moves and exceptions), so that `init --check` still passes.

use std::collections::BTreeSet;
use std::path::Path;

use super::Files;
use crate::error::Error;
use crate::scaffold::{self, NEXTEST_CONFIG, Part, Plan};
use crate::settings::Settings;
use crate::sources::SourceIndex;
use crate::workspace::Workspace;

/// The plan for the nextest config alone, from budget.toml and the workspace as they are now
/// (cargo metadata read again: a move may have made a tier target). `None` when the file was
/// never set up (absent, or without cargo-budget's marks): another command does not create it.
pub(crate) fn nextest_plan(settings: &Settings) -> Result<Option<Plan>, Error> {
    let ws = Workspace::load(settings.manifest_path.as_deref())?;
    let files = Files::new(&ws.root);
    let read = |p: &Path| files.read(p);
    let set_up = read(Path::new(NEXTEST_CONFIG)).is_some_and(|t| scaffold::carries_mark(&t));
    files.checked()?;
    if !set_up {
        return Ok(None);
    }
    let config = crate::session::load_config_quietly(settings, &ws.root)?.config;
    let binaries = ws.binaries();
    let index = SourceIndex::build(&ws, &binaries);
    let (markers, frameworks) = index.placed();
    let plan = scaffold::plan(&scaffold::Inputs {
        config: &config,
        binaries: &binaries,
        markers: &markers,
        frameworks: &frameworks,
        packages: &[],
        parts: &BTreeSet::from([Part::Nextest]),
        benches: ws.has_criterion_benches(),
        count_instructions: false,
        force: false,
        read: &read,
    })
    .map_err(|e| Error::Usage(e.to_string()))?;
    files.checked()?;
    // What init would say besides is not this caller's; a refusal to write is.
    let mut plan = plan;
    plan.notes.clear();
    crate::commands::init::refuse_unsafe(&ws.root, &mut plan);
    Ok(Some(plan))
}
