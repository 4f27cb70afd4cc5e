//! `cargo budget init`: scaffold the tier layout and generate every config file from
//! budget.toml, without clobbering anything the user has.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::exit;
use crate::scaffold::{self, Change, PackageLayout, Part};
use crate::session::Session;
use crate::settings::Settings;
use crate::sources::SourceIndex;
use crate::ui::{Ui, prompt};
use crate::workspace::Workspace;

mod apply;
mod check;
mod files;
mod regenerate;
pub(crate) use apply::apply;
pub(crate) use check::check;
pub(crate) use files::{Files, dry_run};
pub(crate) use regenerate::nextest_plan;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Package to create the tier targets in (repeatable) [default: the root package, else every member with tests]
    #[arg(long, short = 'p', value_name = "SPEC")]
    pub package: Vec<String>,
    /// Set up only these parts (comma-separated)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PART")]
    pub only: Vec<Part>,
    /// Skip these parts (comma-separated)
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "PART",
        conflicts_with = "only"
    )]
    pub skip: Vec<Part>,
    /// Take the defaults without asking
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Count the unit tests' instructions under Valgrind (`instructions = true` in a new budget.toml)
    #[arg(long)]
    pub instructions: bool,
    /// Print a unified diff of every file that would be created or changed; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace files cargo-budget did not write (or that were edited since)
    #[arg(long)]
    pub force: bool,
    /// Exit with code 2 if generated files have drifted from budget.toml and the workspace
    #[arg(long, conflicts_with_all = ["dry_run", "force"])]
    pub check: bool,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let Session { ws, config, .. } = Session::open(settings, None)?;
    let interactive = !args.yes && !args.check && !args.dry_run && prompt::can_prompt(settings.ci);

    let parts = chosen_parts(args, interactive)?;

    let index = SourceIndex::build(&ws, &ws.binaries());
    let packages = choose_packages(&ws, &index, args, interactive)?;
    let layouts: Vec<PackageLayout> = packages.iter().map(|p| layout(&ws, p)).collect();

    let binaries = ws.binaries();
    let (markers, frameworks) = index.placed();

    // Only a missing file reads as absent: one that cannot be read must not be planned over.
    let files = Files::new(&ws.root);
    let read = |p: &Path| files.read(p);
    let plan = scaffold::plan(&scaffold::Inputs {
        config: &config,
        binaries: &binaries,
        markers: &markers,
        frameworks: &frameworks,
        packages: &layouts,
        parts: &parts,
        benches: ws.has_criterion_benches(),
        count_instructions: count_instructions(args, &parts, &ws.root, interactive)?,
        force: args.force,
        read: &read,
    })
    .map_err(|e| Error::Usage(e.to_string()))?;
    files.checked()?;

    if args.check {
        return check(&plan, &read, ui, false);
    }
    let mut plan = plan;
    if !args.force {
        refuse_unsafe(&ws.root, &mut plan);
    }
    if args.dry_run {
        return dry_run(&plan, ui);
    }

    apply(&ws, settings, &plan.changes, ui)?;
    finish(&plan, ui);
    Ok(exit::SUCCESS)
}

/// Leaves alone, with a note, the files init must not write without `--force` (read-only, or
/// reached through a symlink out of the repository).
pub(crate) fn refuse_unsafe(root: &Path, plan: &mut scaffold::Plan) {
    let repo = crate::git::checkout(root);
    plan.changes
        .retain(|c| match refusal(root, &repo, &c.path) {
            Some(why) => {
                plan.notes.push(format!(
                    "{} {why}; left alone (use --force to write it)",
                    c.path.display()
                ));
                plan.needs_force.push(c.path.clone());
                false
            }
            None => true,
        });
}

/// The notes, and what to do next (or that nothing changed).
fn finish(plan: &scaffold::Plan, ui: &Ui) {
    for note in &plan.notes {
        ui.note("Note", note);
    }
    if plan.changes.is_empty() && plan.needs_force.is_empty() {
        ui.note("Up to date", "nothing to change");
    } else if !plan.changes.is_empty() {
        ui.note(
            "Next",
            "`cargo budget report` runs the suite under its budgets; `cargo budget baseline --runs 3` \
             records the times regressions are judged against; commit budget.toml, the generated \
             files and .budget/",
        );
    }
}

/// The parts to set up: `--only`, else all but `--skip` (only generated ones for `--check`),
/// then the user's choice when prompting.
fn chosen_parts(args: &Args, interactive: bool) -> Result<BTreeSet<Part>, Error> {
    let mut parts: BTreeSet<Part> = if args.only.is_empty() {
        Part::ALL
            .iter()
            .copied()
            .filter(|p| !args.skip.contains(p))
            .collect()
    } else {
        args.only.iter().copied().collect()
    };
    if args.check {
        parts.retain(|p| p.is_generated());
    }
    if interactive {
        let items: Vec<String> = Part::ALL.iter().map(|p| p.describe().to_string()).collect();
        let defaults: Vec<bool> = Part::ALL.iter().map(|p| parts.contains(p)).collect();
        let chosen = prompt::choose("Set up", &items, &defaults).map_err(prompt_error)?;
        parts = chosen.into_iter().map(|i| Part::ALL[i]).collect();
    }

    Ok(parts)
}

/// Whether a new budget.toml counts the unit tests' instructions: `--instructions`, or asked
/// (no by default: each counted test runs once more under Valgrind, tens of times slower).
fn count_instructions(
    args: &Args,
    parts: &BTreeSet<Part>,
    root: &Path,
    interactive: bool,
) -> Result<bool, Error> {
    if args.instructions || !interactive || !parts.contains(&Part::Config) {
        return Ok(args.instructions);
    }
    if root.join(crate::config::FILE_NAME).exists() {
        return Ok(false);
    }
    let items = [
        "no: judge tests by time and memory".to_string(),
        "yes: count unit tests' instructions under Valgrind too (exact under any load)".to_string(),
    ];
    let chosen = prompt::select("Count instructions", &items, 0).map_err(prompt_error)?;
    Ok(chosen == Some(1))
}

/// A read error that means "nothing there".
fn absent(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

/// Why init must not write `rel` without `--force`, if it must not: the file is read-only, or
/// writing it would go through a symlink to a place outside the repository `repo`.
fn refusal(root: &Path, repo: &Path, rel: &Path) -> Option<String> {
    let path = root.join(rel);
    if let Some(why) = crate::fsutil::leaves(&path, repo) {
        return Some(why);
    }
    match std::fs::metadata(&path) {
        Ok(meta) if meta.permissions().readonly() => Some("is read-only".into()),
        _ => None,
    }
}

fn prompt_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::Interrupted {
        Error::Interrupted
    } else {
        Error::Io {
            what: "failed to read the answer".into(),
            source: e,
        }
    }
}

/// `-p` names, else the root package, else every member with tests; a checklist on a terminal.
fn choose_packages(
    ws: &Workspace,
    index: &SourceIndex,
    args: &Args,
    interactive: bool,
) -> Result<Vec<String>, Error> {
    let names: Vec<String> = ws.packages.iter().map(|p| p.name.clone()).collect();
    super::check_packages(ws, &args.package)?;
    if !args.package.is_empty() {
        return args
            .package
            .iter()
            .map(|spec| match spec.split(['@', ':']).next() {
                Some(name) if names.iter().any(|n| n == name) => Ok(name.to_string()),
                _ => Err(Error::Usage(format!("`{spec}`: name a workspace member"))),
            })
            .collect();
    }
    let defaults: Vec<String> = match ws.packages.iter().find(|p| p.manifest_dir == ws.root) {
        Some(root) => vec![root.name.clone()],
        None => {
            let binaries = ws.binaries();
            let with_tests: BTreeSet<&str> = index
                .iter()
                .filter_map(|(id, _)| binaries.iter().find(|b| b.binary_id == id.binary_id))
                .map(|b| b.package.as_str())
                .collect();
            names
                .iter()
                .filter(|n| with_tests.contains(n.as_str()))
                .cloned()
                .collect()
        }
    };
    if !interactive || names.len() < 2 {
        return Ok(defaults);
    }
    let checked: Vec<bool> = names.iter().map(|n| defaults.contains(n)).collect();
    let chosen =
        prompt::choose("Create tier test targets in", &names, &checked).map_err(prompt_error)?;
    Ok(chosen.into_iter().map(|i| names[i].clone()).collect())
}

fn layout(ws: &Workspace, name: &str) -> PackageLayout {
    let package = ws
        .packages
        .iter()
        .find(|p| p.name == name)
        .expect("chosen from the members");
    let dir = package
        .manifest_dir
        .strip_prefix(&ws.root)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let tests_dir = package.manifest_dir.join("tests");
    let test_targets: Vec<&crate::workspace::Target> = package
        .targets
        .iter()
        .filter(|t| t.kinds.iter().any(|k| k == "test"))
        .collect();
    PackageLayout {
        name: name.to_string(),
        test_targets: test_targets.iter().map(|t| t.name.clone()).collect(),
        loose_tests: test_targets
            .iter()
            .filter(|t| t.src_path.parent() == Some(tests_dir.as_path()))
            .map(|t| {
                t.src_path
                    .strip_prefix(&ws.root)
                    .unwrap_or(&t.src_path)
                    .to_path_buf()
            })
            .collect(),
        autotests_off: autotests_off(&package.manifest_dir.join("Cargo.toml")),
        dir,
    }
}

/// Whether the manifest says `autotests = false` (an unreadable manifest reads as "no": cargo
/// metadata just parsed it).
fn autotests_off(manifest: &Path) -> bool {
    std::fs::read_to_string(manifest)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|t| t.get("package")?.get("autotests")?.as_bool())
        .is_some_and(|v| !v)
}

fn print_diffs(changes: &[Change], ui: &Ui) -> Result<(), Error> {
    let mut out = ui.stdout();
    for c in changes {
        out.write_all(crate::report::init::diff(c).as_bytes())
            .map_err(|source| Error::Io {
                what: "failed to write the diff".into(),
                source,
            })?;
    }
    Ok(())
}
