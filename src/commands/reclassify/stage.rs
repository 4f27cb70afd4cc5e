//! The end of a session: `.config/nextest.toml` regenerated as `init` writes it (an exception
//! or a move changes its overrides, and CI's `init --check` would fail on the drift), and what
//! the session wrote staged beside its staged moves, so that committing the index commits the
//! whole decision (and `init --check` passes on it).

use std::path::{Path, PathBuf};

use super::snapshot::Snapshot;
use crate::error::Error;
use crate::report::reclassify::rel;
use crate::settings::Settings;
use crate::ui::Ui;
use crate::{fsutil, scaffold};

/// Of `paths`, those with nothing of the user's outside the index (absent, unchanged or only
/// staged changes): the session may stage them once it has written them.
pub(super) fn clean(root: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for path in paths.iter().filter(|p| p.starts_with(root)) {
        let name = rel(root, path);
        let status = crate::git::output(root, &["status", "--porcelain", "--", &name])?;
        if status
            .lines()
            .all(|l| l.starts_with("M  ") || l.starts_with("A  "))
        {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Regenerates the nextest config (when it was set up), then `git add`s what the session
/// wrote: `written` (its ADRs, the main.rs files of its moves) and those of `stageable` (clean
/// before the session) that exist. A file with the user's unstaged changes is left unstaged.
pub(super) fn finish(
    settings: &Settings,
    ui: &Ui,
    root: &Path,
    (written, stageable): (&[PathBuf], &[PathBuf]),
    snapshot: &mut Snapshot,
) -> Result<(), Error> {
    regenerate_nextest(settings, ui, root, stageable, snapshot)?;
    let mut add: Vec<String> = written
        .iter()
        .chain(stageable.iter().filter(|p| p.is_file()))
        .filter(|p| p.starts_with(root))
        .map(|p| rel(root, p))
        .collect();
    add.sort();
    add.dedup();
    if add.is_empty() {
        return Ok(());
    }
    let mut args = vec!["add", "--"];
    args.extend(add.iter().map(String::as_str));
    crate::git::output(root, &args)?;
    ui.note("Staged", &add.join(", "));
    Ok(())
}

/// Writes the nextest config's change, if any, warning when it cannot be (edited by hand) or
/// will not be staged (the user's unstaged changes).
fn regenerate_nextest(
    settings: &Settings,
    ui: &Ui,
    root: &Path,
    stageable: &[PathBuf],
    snapshot: &mut Snapshot,
) -> Result<(), Error> {
    let Some(plan) = crate::commands::init::nextest_plan(settings)? else {
        return Ok(());
    };
    for note in &plan.notes {
        ui.warn(note);
    }
    if !plan.needs_force.is_empty() && plan.notes.is_empty() {
        ui.warn(&format!(
            "{} was edited since cargo-budget generated it, so it was not brought up to date; \
             `cargo budget init --check` will say so (`cargo budget init --force` replaces it)",
            scaffold::NEXTEST_CONFIG
        ));
    }
    let Some(change) = plan.changes.first() else {
        return Ok(());
    };
    let path = root.join(&change.path);
    snapshot.keep(&path)?;
    fsutil::write_atomic(&path, change.after.as_bytes())?;
    let name = rel(root, &path);
    ui.note(
        "Updated",
        &format!("{name} (as `cargo budget init` writes it)"),
    );
    if !stageable.contains(&path) {
        ui.warn(&format!(
            "{name} had unstaged changes of yours, so it was not staged; review and stage it"
        ));
    }
    Ok(())
}
