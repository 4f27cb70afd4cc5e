//! `cargo budget hook-run`: what the pre-commit hook runs. Tests only what the staged change can
//! affect, against exactly the staged content, in the `pre-commit` context; the user's unstaged
//! changes are set aside meanwhile and put back on every exit path.

use std::path::PathBuf;

use crate::collect::{self, Ask};
use crate::config::Context;
use crate::error::Error;
use crate::exit;
use crate::git::setaside::{self, SetAside};
use crate::git::{self, staged};
use crate::policy::{
    self,
    impact::{self, Work},
};
use crate::report::{Meta, short};
use crate::session::Session;
use crate::settings::Settings;
use crate::ui::Ui;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print what would run (the filterset) without running anything
    #[arg(long)]
    pub plan: bool,
    /// Put back unstaged changes a run that was killed left in DIR (.git/cargo-budget/unstaged-…)
    #[arg(long, value_name = "DIR")]
    pub restore: Option<PathBuf>,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let started = std::time::Instant::now();
    if std::env::var("CARGO_BUDGET_SKIP").is_ok_and(|v| v == "1") {
        ui.note("Skipping", "CARGO_BUDGET_SKIP=1");
        return Ok(exit::SUCCESS);
    }
    let cwd = settings.cwd.clone();
    let commit =
        staged::open(&cwd).map_err(|e| Error::Usage(format!("not in a git repository: {e}")))?;
    if let Some(dir) = &args.restore {
        let conflicts = SetAside::load(&commit.workdir, dir).and_then(SetAside::restore)?;
        report_conflicts(ui, &conflicts, "since the run that saved them stopped");
        ui.note(
            "Restored",
            &format!("the unstaged changes saved in {}", dir.display()),
        );
        return Ok(exit::SUCCESS);
    }
    // Copies a killed run left behind hold someone's work: never pile a new run on top.
    if let Some(left) = setaside::leftovers(commit.repo.path()).first() {
        return Err(Error::Usage(format!(
            "a previous hook run did not finish: unstaged changes are saved in `{}`.\n  put them back with: cargo budget hook-run --restore '{}'",
            left.display(),
            left.display()
        )));
    }
    let paths = staged::staged_paths(&commit).map_err(|source| git::GitError::Library {
        what: "read the staged changes",
        source,
    })?;
    if !paths.iter().any(|p| impact::maybe_relevant(p)) {
        ui.note("Skipping", "no Rust changes staged");
        return Ok(exit::SUCCESS);
    }
    // What the children must not see: git's hook variables point at this repository.
    let scrub = git::hook_environment();

    // The tests must see exactly what is being committed.
    // (`--plan` too: the workspace it plans from is the staged one.)
    let set_aside = SetAside::new(&commit)?;
    if let Some(s) = &set_aside {
        ui.status(
            "Set aside",
            &format!(
                "{} with unstaged changes in {}",
                crate::text::count(s.len(), "file"),
                s.backup_dir().display()
            ),
        );
    }
    let outcome = judge_staged(settings, args, ui, &commit, &paths, &scrub);
    if let Some(s) = set_aside {
        let count = s.len();
        let conflicts = s.restore()?;
        report_conflicts(ui, &conflicts, "while the tests ran");
        ui.status(
            "Restored",
            &format!(
                "{} with unstaged changes",
                crate::text::count(count, "file")
            ),
        );
    }
    let (code, in_nextest) = outcome?;
    let total = started.elapsed();
    ui.status(
        "Overhead",
        &format!(
            "{} ms outside nextest ({} ms in all)",
            total.saturating_sub(in_nextest).as_millis(),
            total.as_millis()
        ),
    );
    Ok(code)
}

fn judge_staged(
    settings: &Settings,
    args: &Args,
    ui: &Ui,
    commit: &staged::Commit,
    paths: &[PathBuf],
    scrub: &[String],
) -> Result<(i32, std::time::Duration), Error> {
    // Hooks run at the top of the work tree; the cargo workspace may live further down.
    let manifest = settings
        .manifest_path
        .clone()
        .or_else(|| find_manifest(&commit.workdir, paths));
    let Some(manifest) = manifest else {
        ui.note("Skipping", "no cargo workspace holds the staged change");
        return Ok((exit::SUCCESS, std::time::Duration::ZERO));
    };
    let session = Session::open_for_hook(settings, &manifest, scrub, Context::PreCommit)?;
    let layouts = collect::impact::layouts(&session.ws, session.binaries());
    let absolute: Vec<PathBuf> = paths.iter().map(|p| commit.workdir.join(p)).collect();
    let work = impact::plan(&absolute, &session.root, &layouts);
    let filter = match &work {
        Work::Nothing => {
            ui.note("Skipping", "no test can see the staged change");
            return Ok((exit::SUCCESS, std::time::Duration::ZERO));
        }
        Work::Everything(why) => {
            let why = why.strip_prefix(&commit.workdir).unwrap_or(why);
            ui.note(
                "Affected",
                &format!("every test ({} changed)", why.display()),
            );
            None
        }
        Work::Some(affected) => {
            let f = crate::nextest::filterset::affected(affected);
            ui.note("Affected", &f);
            Some(f)
        }
    };
    if args.plan {
        let mut out = ui.stdout();
        let line = filter.clone().unwrap_or_else(|| "all()".into());
        std::io::Write::write_all(&mut out, format!("{line}\n").as_bytes()).map_err(|source| {
            Error::Io {
                what: "failed to write the plan".into(),
                source,
            }
        })?;
        return Ok((exit::SUCCESS, std::time::Duration::ZERO));
    }

    run_affected(&session, &manifest, filter)
}

/// Versions found in the way of a restore (`when` they changed), kept instead of overwritten.
fn report_conflicts(ui: &Ui, conflicts: &[PathBuf], when: &str) {
    for keep in conflicts {
        ui.warn(&format!(
            "a file changed {when}; your unstaged version is back, and the version found is kept at {}",
            keep.display()
        ));
    }
}

/// The `Cargo.toml` at the top of the work tree, else the nearest one above a staged path.
fn find_manifest(workdir: &std::path::Path, paths: &[PathBuf]) -> Option<PathBuf> {
    let top = workdir.join("Cargo.toml");
    if top.is_file() {
        return Some(top);
    }
    paths.iter().find_map(|p| {
        let mut dir = workdir.join(p);
        while dir.pop() && dir.starts_with(workdir) {
            let manifest = dir.join("Cargo.toml");
            if manifest.is_file() {
                return Some(manifest);
            }
        }
        None
    })
}

/// Runs the affected tests (`filter`; everything when `None`) in the pre-commit context and
/// prints the short verdict; returns the exit code and the time spent in nextest.
fn run_affected(
    session: &Session<'_>,
    manifest: &std::path::Path,
    filter: Option<String>,
) -> Result<(i32, std::time::Duration), Error> {
    let selection = crate::nextest::Selection {
        manifest_path: Some(manifest.to_path_buf()),
        workspace: true,
        exprs: filter.into_iter().collect(),
        ..Default::default()
    };
    let ask = Ask::once(selection, session.settings.verbosity <= 0);
    let (evidence, ran) = collect::suite(session, &ask)?;
    let terms = session.terms();
    // The hook judges budgets, not the baseline.
    let assessed = policy::assess(&terms, evidence, None);
    let reruns = super::rerun(session, &ask, &assessed.plan)?;
    let verdict = policy::settle(&terms, assessed, reruns);
    // Hooks run at the top of the work tree, where there may be no manifest: the command names
    // the one found, and the whole workspace (that manifest may be a member's, the test
    // another member's).
    let worst = policy::enforce::worst(&verdict.findings)
        .filter(|f| f.severity == policy::Severity::Error)
        .and_then(|f| f.test.as_ref());
    let meta = Meta {
        reproduce: worst.map(|id| crate::report::reproduce(id, Some(manifest), true)),
        exit_code: exit::for_status(verdict.status),
        ..Meta::default()
    };
    let mut out = std::io::BufWriter::new(session.ui().stderr_stream());
    short::render(&verdict, &meta, &mut out)
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|source| Error::Io {
            what: "failed to write the verdict".into(),
            source,
        })?;
    Ok((meta.exit_code, ran.in_nextest))
}
