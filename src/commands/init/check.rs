//! `init --check`: drift between the generated files and what init would write now.

use crate::error::Error;
use crate::exit;
use crate::scaffold::{self, Change, Part};
use crate::ui::Ui;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::print_diffs;

/// Drift in the generated parts that were set up: files that differ from what init would write
/// now, and files edited since init wrote them (which init leaves to `--force`). A part with no
/// file carrying cargo-budget's marks was never set up (skipped with `--skip`, say): not drift,
/// unless `required` (`cargo budget alerts --check`: the files must be there).
pub(crate) fn check(
    plan: &scaffold::Plan,
    read: &dyn Fn(&Path) -> Option<String>,
    ui: &Ui,
    required: bool,
) -> Result<i32, Error> {
    let mut set_up: BTreeSet<Part> = plan
        .changes
        .iter()
        .map(|c| c.path.as_path())
        .chain(plan.needs_force.iter().map(PathBuf::as_path))
        .chain(plan.up_to_date.iter().map(PathBuf::as_path))
        .filter_map(|p| {
            let part = scaffold::generated_part(p)?;
            read(p).filter(|t| scaffold::carries_mark(t)).map(|_| part)
        })
        .collect();
    if required {
        set_up.extend(plan.changes.iter().map(|c| c.part));
    }
    let drifted: Vec<Change> = plan
        .changes
        .iter()
        .filter(|c| c.part.is_generated() && set_up.contains(&c.part))
        .cloned()
        .collect();
    let edited: Vec<&PathBuf> = plan
        .needs_force
        .iter()
        .filter(|p| scaffold::generated_part(p).is_some_and(|part| set_up.contains(&part)))
        .collect();
    let not_set_up: BTreeSet<&str> = plan
        .changes
        .iter()
        .filter(|c| c.part.is_generated() && !set_up.contains(&c.part))
        .map(|c| c.part.describe())
        .collect();
    for part in &not_set_up {
        ui.note("Not set up", part);
    }
    if drifted.is_empty() && edited.is_empty() {
        ui.note("Checked", "generated files are up to date with budget.toml");
        return Ok(exit::SUCCESS);
    }
    // What `--force` would write over the edited files: the diff shows what the edits are.
    let withheld: Vec<Change> = plan
        .withheld
        .iter()
        .filter(|c| edited.contains(&&c.path))
        .cloned()
        .collect();
    print_diffs(&drifted, ui)?;
    print_diffs(&withheld, ui)?;
    warn(ui, &drifted, &edited);
    Ok(exit::USAGE)
}

/// What drifted, what was edited, and the command that deals with each.
fn warn(ui: &Ui, drifted: &[Change], edited: &[&PathBuf]) {
    for c in drifted {
        ui.warn(&format!(
            "{} has drifted from budget.toml and the workspace",
            c.path.display()
        ));
    }
    for p in edited {
        ui.warn(&format!(
            "{} was edited since cargo-budget generated it (or was not written by it)",
            p.display()
        ));
    }
    if !drifted.is_empty() {
        ui.warn(&format!(
            "run `{}` to bring the generated files up to date",
            command(drifted.iter().map(|c| c.part))
        ));
    }
    if !edited.is_empty() {
        let parts = edited.iter().filter_map(|p| scaffold::generated_part(p));
        let hint = match command(parts.clone()) {
            "cargo budget alerts" => "keep your own rules in a file of your own",
            _ => "keep the edits by moving them out of the generated entries",
        };
        ui.warn(&format!(
            "{hint}, or replace the edited files with `{} --force`",
            command(parts)
        ));
    }
}

/// The command that writes these generated parts: `cargo budget alerts` for the alert rules
/// alone, `cargo budget init` otherwise.
fn command(mut parts: impl Iterator<Item = Part>) -> &'static str {
    match parts.all(|p| p == Part::Alerts) {
        true => "cargo budget alerts",
        false => "cargo budget init",
    }
}
