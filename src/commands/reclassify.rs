//! `cargo budget reclassify`: a guided session through the tests over their budget — move each
//! to a tier whose budget fits, record a tracked exception with an ADR, mark it for later, or
//! skip it. `--dry-run` and non-interactive runs without `--yes` only print the plan.

use std::io::Write;
use std::path::Path;

use super::SelectionArgs;
use crate::baseline;
use crate::collect::{self, Ask};
use crate::config::Context;
use crate::config::units::format_budget;
use crate::error::Error;
use crate::exit;
use crate::model::TestId;
use crate::policy::reclassify::{self, Candidate, Choice};
use crate::policy::{self, Verdict};
use crate::reclassify::decision::Decision;
use crate::reclassify::moves;
use crate::report;
use crate::session::Session;
use crate::settings::Settings;
use crate::ui::{Ui, prompt};
use crate::workspace::Workspace;

mod apply;
mod snapshot;
mod stage;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run the suite now instead of using the last report's results (or the baseline)
    #[arg(long)]
    pub run: bool,
    /// Apply the default for every test (move when possible, else an exception)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the plan; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the plan as JSON (for scripts); applies it only with --yes
    #[arg(long)]
    pub json: bool,
    /// Days until a new exception expires
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    pub expires_in: u16,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let session = Session::open(settings, None)?;
    let (ws, config) = (&session.ws, &session.config);
    let (verdict, source) = results(&session, args)?;
    let others: Vec<TestId> = verdict.tests.iter().map(|t| t.id.clone()).collect();
    let later = apply::read_later(&ws.root)?;

    let mut decisions: Vec<Decision> =
        reclassify::candidates(&verdict, config, &baseline_runs(&session)?)
            .into_iter()
            .map(|c| with_move_plan(ws, c, &others))
            .collect();
    // Tests marked for later in an earlier session come first.
    decisions.sort_by_key(|d| !later.contains(&d.candidate.id.to_string()));
    if decisions.is_empty() {
        ui.note(
            "Nothing",
            &format!("no test is over its budget in the {source}"),
        );
        return Ok(exit::SUCCESS);
    }

    let interactive = !args.yes && !args.dry_run && !args.json && prompt::can_prompt(settings.ci);
    if interactive {
        let mut decided = Vec::new();
        for (i, mut d) in decisions.into_iter().enumerate() {
            describe(ui, &d, i);
            let items: Vec<String> = d
                .candidate
                .choices
                .iter()
                .map(|c| report::reclassify::choice_text(*c, &d, expiry(args)))
                .chain(["quit (apply what was chosen so far)".to_string()])
                .collect();
            let picked = prompt::select("What to do", &items, 0).map_err(prompt_error)?;
            match picked {
                Some(i) if i < d.candidate.choices.len() => {
                    d.choice = d.candidate.choices[i];
                    decided.push(d);
                }
                _ => break,
            }
        }
        decisions = decided;
    }

    if args.json {
        write_stdout(ui, &report::reclassify::plan_json(&decisions, &ws.root))?;
    } else if !interactive {
        write_stdout(
            ui,
            &report::reclassify::plan_text(&decisions, &ws.root, expiry(args)),
        )?;
    }
    let apply = interactive || args.yes;
    if !apply || args.dry_run {
        if !args.json {
            ui.note(
                "Plan only",
                if args.dry_run {
                    "--dry-run: nothing was changed"
                } else {
                    "not a terminal: nothing was changed (--yes applies the plan)"
                },
            );
        }
        return Ok(exit::SUCCESS);
    }
    apply::apply_all(settings, ui, ws, config, args, &decisions, &source)
}

fn write_stdout(ui: &Ui, text: &str) -> Result<(), Error> {
    ui.stdout()
        .write_all(text.as_bytes())
        .map_err(|source| Error::Io {
            what: "failed to write the plan".into(),
            source,
        })
}

fn prompt_error(e: std::io::Error) -> Error {
    Error::Io {
        what: "failed to read the answer".into(),
        source: e,
    }
}

/// The results to work from: a fresh run, the last report's JUnit, or the baseline; judged in
/// `dev` (a guided session, not a gate), nothing re-run alone.
fn results(session: &Session<'_>, args: &Args) -> Result<(Verdict, String), Error> {
    let ws = &session.ws;
    let terms = session.terms_in(Context::Dev);
    let judge = |evidence| {
        policy::settle(
            &terms,
            policy::assess(&terms, evidence, None),
            Default::default(),
        )
    };
    if args.run {
        // Reclassifying is about time: nothing is counted.
        let ask = Ask {
            count_runs: 0,
            ..Ask::once(
                args.selection.selection(session.settings),
                session.settings.verbosity < 0,
            )
        };
        let (evidence, _) = collect::suite(session, &ask)?;
        return Ok((judge(evidence), "run just made".into()));
    }
    let last = ws.target_dir.join("cargo-budget").join(collect::LAST_JUNIT);
    let baseline = ws.root.join(baseline::DEFAULT_PATH);
    let (evidence, what) = if last.is_file() {
        let evidence =
            collect::junit::files(&session.config, Some(ws), std::slice::from_ref(&last))?;
        (evidence, "last report's results")
    } else if baseline.is_file() {
        (collect::recorded::baseline(session, &baseline)?, "baseline")
    } else {
        return Err(Error::Usage(
            "no results to work from: run `cargo budget report` (or `cargo budget baseline`) first, or pass --run".into(),
        ));
    };
    Ok((judge(evidence), what.into()))
}

/// The baseline's reference runs by test (empty without a baseline file).
fn baseline_runs(session: &Session<'_>) -> Result<crate::policy::compare::References, Error> {
    let path = session.root.join(baseline::DEFAULT_PATH);
    if !path.is_file() {
        return Ok(Default::default());
    }
    Ok(baseline::read(&path, &session.members())?.references())
}

fn with_move_plan(ws: &Workspace, mut c: Candidate, others: &[TestId]) -> Decision {
    let mut plan = None;
    let mut no_move = None;
    if let Some((_, target)) = &c.move_to {
        let binary = ws
            .binaries()
            .into_iter()
            .find(|b| b.binary_id == c.id.binary_id);
        let from_main = binary
            .as_ref()
            .and_then(|b| ws.target_src(&b.package, &b.kind, &b.target))
            .map(Path::to_path_buf);
        let package_dir = binary
            .as_ref()
            .and_then(|b| ws.packages.iter().find(|p| p.name == b.package))
            .map(|p| p.manifest_dir.clone());
        match (from_main, package_dir) {
            (Some(main), Some(dir)) => {
                match moves::plan(&c.id, &main, &dir.join("tests").join(target), others) {
                    Ok(p) => plan = Some(p),
                    Err(e) => no_move = Some(e.0),
                }
            }
            _ => no_move = Some("its test target was not found in the workspace".into()),
        }
    } else {
        no_move = Some(match &c.rule {
            crate::policy::Rule::Kind(k) => {
                format!("a #[cfg(test)] test in a `{k}` target cannot move out of its crate")
            }
            crate::policy::Rule::Target(_) => "no slower tier has room for it".into(),
            rule => format!("its tier comes from its {rule}, not its directory"),
        });
    }
    if plan.is_none() {
        c.choices.retain(|ch| *ch != Choice::Move);
    }
    let choice = c.choices[0];
    Decision {
        candidate: c,
        choice,
        plan,
        no_move,
    }
}

fn describe(ui: &Ui, d: &Decision, index: usize) {
    let c = &d.candidate;
    ui.note(
        &format!("#{}", index + 1),
        &format!(
            "{} took {:.3}s against its {} budget of {} (placed by {})",
            crate::text::shown(&c.id),
            c.duration.as_secs_f64(),
            c.tier,
            format_budget(c.budget),
            c.rule
        ),
    );
    if let Some(why) = &d.no_move {
        ui.note("", &format!("cannot move: {why}"));
    }
    if let Some(p) = &d.plan
        && !p.along.is_empty()
    {
        ui.warn(&format!(
            "module `{}` holds {} that would move along: {}",
            p.module,
            crate::text::count(p.along.len(), "other test"),
            p.along
                .iter()
                .map(|t| crate::text::shown(&t.name))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

pub(super) fn expiry(args: &Args) -> jiff::civil::Date {
    let today = jiff::Zoned::now().date();
    today
        .checked_add(jiff::Span::new().days(i64::from(args.expires_in)))
        .unwrap_or(today)
}
