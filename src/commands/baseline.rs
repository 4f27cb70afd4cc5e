//! `cargo budget baseline`: measure the suite (N runs) and record what it saw in
//! `.budget/baseline.json`, then summarise it per tier.

use std::path::PathBuf;

use super::SelectionArgs;
use crate::baseline::{self, Baseline, WorkspaceId};
use crate::collect::{self, Ask};
use crate::config::Context;
use crate::error::Error;
use crate::model::Outcome;
use crate::policy;
use crate::report::{self, Format, Meta};
use crate::session::Session;
use crate::settings::Settings;
use crate::{exit, fsutil};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Runs of the suite; each test's median and spread are recorded (5 for noisy suites)
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub runs: u32,
    /// Where to write the baseline [default: <workspace root>/.budget/baseline.json]
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Format of the summary printed after recording
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let session = Session::open(settings, None)?;
    let ws = &session.ws;
    super::check_packages(ws, &args.selection.package)?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| ws.root.join(baseline::DEFAULT_PATH));
    // Refused before minutes of measuring, and again where it is written.
    let repo = crate::git::checkout(&ws.root);
    fsutil::refuse_leaving(&path, &repo, "--output")?;
    // "Measuring run k of N" is the status; nextest shows only failures.
    // Counted twice: a count that differs between the two is nondeterministic.
    let ask = Ask {
        runs: args.runs,
        count_runs: 2,
        ..Ask::once(args.selection.selection(settings), settings.verbosity <= 0)
    };
    let (evidence, ran) = collect::suite(&session, &ask)?;
    let recorded = Baseline::record(
        baseline::Measured {
            run: &evidence.run,
            classified: &evidence.classified,
            stats: &evidence.stats,
            contract: &evidence.contract,
            counts: &evidence.counts,
        },
        &ran.records,
        WorkspaceId {
            members: {
                let mut members = session.members();
                members.sort();
                members
            },
        },
        crate::git::head_commit(&ws.root),
    );
    let failed = evidence
        .run
        .results
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                Outcome::Failed | Outcome::TimedOut | Outcome::Flaky
            )
        })
        .count();
    // A baseline is recorded, not enforced: judged in `dev`, nothing re-run alone.
    let terms = session.terms_in(Context::Dev);
    let verdict = policy::settle(
        &terms,
        policy::assess(&terms, evidence, None),
        Default::default(),
    );
    let meta = Meta {
        nextest_version: Some(ran.nextest_version),
        exit_code: exit::SUCCESS,
        ..Meta::default()
    };
    let shown = path
        .strip_prefix(&settings.cwd)
        .unwrap_or(&path)
        .display()
        .to_string();
    let summary = report::baseline::summary(&verdict, &recorded, &shown, session.config.regression);
    write(&path, &repo, &recorded)?;
    print_summary(session.ui(), args.format, &summary, &verdict, &meta)?;
    warnings(session.ui(), args, failed);
    session.ui().note("Recorded", &shown);
    Ok(exit::SUCCESS)
}

/// Writes the baseline atomically, creating its directory, unless that would go through a
/// symlink out of the repository `repo`.
fn write(path: &std::path::Path, repo: &std::path::Path, recorded: &Baseline) -> Result<(), Error> {
    fsutil::refuse_leaving(path, repo, "--output")?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("failed to create `{}`", dir.display()),
            source,
        })?;
    }
    Ok(fsutil::write_atomic(path, recorded.to_json().as_bytes())?)
}

/// What the user should know about what was recorded.
fn warnings(ui: &crate::ui::Ui, args: &Args, failed: usize) {
    if failed > 0 {
        ui.warn(&format!(
            "{} failed, timed out or were flaky in at least one run: recorded, but not as reference times",
            crate::text::count(failed, "test")
        ));
    }
    if args.runs == 1 {
        ui.warn("one run records no spread: noisy tests cannot be told from stable ones (3 or 5 runs recommended)");
    }
    if !args.selection.is_empty() {
        ui.warn("a selection was given: the baseline holds only the selected tests, so a later full report lists the others as new");
    }
}

/// The summary (human), or the verdict in the asked format.
fn print_summary(
    ui: &crate::ui::Ui,
    format: Format,
    summary: &str,
    verdict: &crate::policy::Verdict,
    meta: &Meta,
) -> Result<(), Error> {
    use std::io::Write;
    let mut out = ui.stdout();
    let written = match format {
        Format::Human => out.write_all(summary.as_bytes()),
        other => report::render(other, verdict, meta, &mut out),
    };
    written.map_err(|source| Error::Io {
        what: "failed to write the summary".into(),
        source,
    })
}
