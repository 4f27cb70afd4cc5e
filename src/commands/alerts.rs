//! `cargo budget alerts`: write (or check) the Prometheus alert rules and their promtool unit
//! tests generated from the capabilities' `[capability.metrics]`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::Error;
use crate::exit;
use crate::scaffold::{self, Part, alerts};
use crate::session::Session;
use crate::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Exit with code 2, showing a diff, if the files differ from what budget.toml gives
    #[arg(long, conflicts_with_all = ["dry_run", "force"])]
    pub check: bool,
    /// Print a unified diff of what would be written; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace the files even if they were edited since cargo-budget wrote them
    #[arg(long)]
    pub force: bool,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let Session { ws, config, .. } = Session::open(settings, None)?;
    let files = super::init::Files::new(&ws.root);
    let read = |p: &Path| files.read(p);
    let plan = scaffold::plan(&scaffold::Inputs {
        config: &config,
        binaries: &[],
        markers: &[],
        frameworks: &[],
        packages: &[],
        parts: &BTreeSet::from([Part::Alerts]),
        benches: false,
        count_instructions: false,
        force: args.force,
        read: &read,
    })
    .map_err(|e| Error::Usage(e.to_string()))?;
    files.checked()?;
    if plan.changes.is_empty() && plan.needs_force.is_empty() && plan.up_to_date.is_empty() {
        return nothing_to_generate(ui, &read, args.check);
    }
    if args.check {
        return super::init::check(&plan, &read, ui, true);
    }
    let mut plan = plan;
    if !args.force {
        super::init::refuse_unsafe(&ws.root, &mut plan);
    }
    if args.dry_run {
        return super::init::dry_run(&plan, ui);
    }
    super::init::apply(&ws, settings, &plan.changes, ui)?;
    for note in &plan.notes {
        ui.note("Note", note);
    }
    if plan.changes.is_empty() && plan.needs_force.is_empty() {
        ui.note("Up to date", "the alert rules match budget.toml");
    } else if !plan.changes.is_empty() {
        ui.note(
            "Next",
            &format!(
                "`promtool test rules {}` proves each alert fires above its budget; commit \
                 both files",
                alerts::TESTS
            ),
        );
    }
    Ok(exit::SUCCESS)
}

/// No capability has metrics with a budget: nothing to write, and files written before are
/// stale (a drift for `--check`).
fn nothing_to_generate(
    ui: &crate::ui::Ui,
    read: &dyn Fn(&Path) -> Option<String>,
    check: bool,
) -> Result<i32, Error> {
    ui.note(
        "Skipped",
        "nothing to generate: no [[capability]] has [capability.metrics] with its budget (p95 for `latency`, memory \
         for `memory`)",
    );
    let stale: Vec<&str> = [alerts::RULES, alerts::TESTS]
        .into_iter()
        .filter(|p| read(Path::new(p)).is_some_and(|t| scaffold::carries_mark(&t)))
        .collect();
    for p in &stale {
        ui.warn(&format!(
            "{p} was generated from capabilities that no longer have metrics: delete it"
        ));
    }
    Ok(match check && !stale.is_empty() {
        true => exit::USAGE,
        false => exit::SUCCESS,
    })
}
