//! `cargo budget reclassify`: a guided session through the tests over their budget — move each
//! to a tier whose budget fits, record a tracked exception with an ADR, mark it for later, or
//! skip it. `--dry-run` and non-interactive runs without `--yes` only print the plan.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::SelectionArgs;
use crate::baseline;
use crate::config::units::format_budget;
use crate::config::{self, Config, Context};
use crate::error::Error;
use crate::model::{Outcome, Run, TestId, TestResult};
use crate::pipeline;
use crate::policy::Verdict;
use crate::policy::reclassify::{self, Candidate, Choice};
use crate::reclassify::adr::{self, Adr};
use crate::reclassify::exception::{self, NewException, Recorded};
use crate::reclassify::moves::{self, MovePlan};
use crate::settings::Settings;
use crate::ui::{Ui, prompt};
use crate::workspace::Workspace;
use crate::{exit, fsutil};

mod snapshot;
use snapshot::Snapshot;

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

/// One candidate with what will be done to it.
struct Decision {
    candidate: Candidate,
    choice: Choice,
    plan: Option<MovePlan>,
    /// Why a move is not offered, when it is not.
    no_move: Option<String>,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let ws = Workspace::load(settings.manifest_path.as_deref())?;
    let loaded = super::load_config(settings, &ws.root, ui)?;
    let config = loaded.config;
    let cwd = settings.cwd.clone();
    let (verdict, source) = results(settings, args, ui, &ws, &config, &cwd)?;
    let others: Vec<TestId> = verdict.tests.iter().map(|t| t.id.clone()).collect();
    let later = read_later(&ws.root)?;

    let mut decisions: Vec<Decision> =
        reclassify::candidates(&verdict, &config, &baseline_runs(&ws)?)
            .into_iter()
            .map(|c| with_move_plan(&ws, c, &others))
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
                .map(|c| describe_choice(*c, &d, args))
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
        print_json(ui, &decisions, &ws.root)?;
    } else if !interactive {
        print_plan(ui, &decisions, &ws.root, args)?;
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
    apply_all(settings, ui, &ws, &config, args, &decisions, &source)
}

fn prompt_error(e: std::io::Error) -> Error {
    Error::Io {
        what: "failed to read the answer".into(),
        source: e,
    }
}

/// The results to work from: a fresh run, the last report's JUnit, or the baseline.
fn results(
    settings: &Settings,
    args: &Args,
    ui: &Ui,
    ws: &Workspace,
    config: &Config,
    cwd: &Path,
) -> Result<(Verdict, String), Error> {
    if args.run {
        let measured = super::measure(
            settings,
            ui,
            ws,
            config,
            &super::Measure {
                selection: args.selection.selection(settings),
                quiet: settings.verbosity < 0,
                runs: 1,
                cwd,
                env_remove: &[],
                context: settings.context(None),
            },
        )?;
        let known = pipeline::known_tests(ws, &measured.inventory, config);
        let verdict = pipeline::judge(
            config,
            Context::Dev,
            measured.classified,
            measured.run,
            Some(&known),
            None,
        );
        return Ok((verdict, "run just made".into()));
    }
    let last = ws
        .target_dir
        .join("cargo-budget")
        .join(pipeline::LAST_JUNIT);
    if last.is_file() {
        let (run, classified) =
            pipeline::from_files(config, std::slice::from_ref(&last), Some(ws))?;
        let verdict = pipeline::judge(config, Context::Dev, classified, run, None, None);
        return Ok((verdict, "last report's results".into()));
    }
    let path = ws.root.join(baseline::DEFAULT_PATH);
    if path.is_file() {
        let members: Vec<String> = ws.packages.iter().map(|p| p.name.clone()).collect();
        let recorded = baseline::read(&path, &members)?;
        let run = Run {
            results: recorded
                .references()
                .into_tests()
                .filter_map(|(id, runs)| {
                    runs.map(|runs| TestResult {
                        id,
                        outcome: Outcome::Passed,
                        duration: Some(runs.median),
                        attempts: 1,
                        message: None,
                    })
                })
                .collect(),
            wall: None,
        };
        let ids: Vec<&TestId> = run.results.iter().map(|r| &r.id).collect();
        let binaries = ws.binaries();
        let sources = crate::sources::SourceIndex::build(ws, &binaries);
        let classified = pipeline::classify_all(config, ids, &binaries, &sources)?;
        let verdict = pipeline::judge(config, Context::Dev, classified, run, None, None);
        return Ok((verdict, "baseline".into()));
    }
    Err(Error::Usage(
        "no results to work from: run `cargo budget report` (or `cargo budget baseline`) first, or pass --run".into(),
    ))
}

/// The baseline's reference runs by test (empty without a baseline file).
fn baseline_runs(ws: &Workspace) -> Result<crate::policy::compare::References, Error> {
    let path = ws.root.join(baseline::DEFAULT_PATH);
    if !path.is_file() {
        return Ok(Default::default());
    }
    let members: Vec<String> = ws.packages.iter().map(|p| p.name.clone()).collect();
    Ok(baseline::read(&path, &members)?.references())
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

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

fn describe(ui: &Ui, d: &Decision, index: usize) {
    let c = &d.candidate;
    ui.note(
        &format!("#{}", index + 1),
        &format!(
            "{} took {:.3}s against its {} budget of {} (placed by {})",
            c.id,
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
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

fn describe_choice(choice: Choice, d: &Decision, args: &Args) -> String {
    match (choice, &d.plan, &d.candidate.move_to) {
        (Choice::Move, Some(p), Some((tier, _))) => format!(
            "move module `{}` to the {tier} tier: git mv {} → {}, `mod {};` moves between the main.rs files",
            p.module,
            p.paths
                .iter()
                .map(|(f, _)| f
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            p.to_main
                .parent()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            p.module
        ),
        (Choice::Exception, ..) => match &d.candidate.rule {
            // A tier-only exception already names the test: it gets the budget.
            crate::policy::Rule::Exception { line } => format!(
                "add a budget of {} to its exception (budget.toml:{line}) until {}, with an ADR in docs/adr/",
                format_budget(d.candidate.exception_budget()),
                expiry(args),
            ),
            _ => format!(
                "record an exception: budget {} until {}, with an ADR in docs/adr/",
                format_budget(d.candidate.exception_budget()),
                expiry(args),
            ),
        },
        (Choice::Later, ..) => "mark for later (listed first next time)".into(),
        (Choice::Skip, ..) => "skip".into(),
        _ => choice.describe().into(),
    }
}

fn expiry(args: &Args) -> jiff::civil::Date {
    let today = jiff::Zoned::now().date();
    today
        .checked_add(jiff::Span::new().days(i64::from(args.expires_in)))
        .unwrap_or(today)
}

fn print_plan(ui: &Ui, decisions: &[Decision], root: &Path, args: &Args) -> Result<(), Error> {
    let mut out = ui.stdout();
    let mut text = String::from("Reclassification plan (defaults):\n");
    for (i, d) in decisions.iter().enumerate() {
        let c = &d.candidate;
        text.push_str(&format!(
            "  {}. {} — {:.3}s, {} budget {} ({}):\n     {}\n",
            i + 1,
            c.id,
            c.duration.as_secs_f64(),
            c.tier,
            format_budget(c.budget),
            c.rule,
            describe_choice(d.choice, d, args)
        ));
        if let Some(why) = &d.no_move {
            text.push_str(&format!("     (no move: {why})\n"));
        }
        if let Some(p) = d.plan.as_ref().filter(|_| d.choice == Choice::Move) {
            for (from, to) in &p.paths {
                text.push_str(&format!(
                    "     git mv {} {}\n",
                    rel(root, from),
                    rel(root, to)
                ));
            }
            if !p.along.is_empty() {
                text.push_str(&format!(
                    "     moves along: {}\n",
                    p.along
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    out.write_all(text.as_bytes()).map_err(|source| Error::Io {
        what: "failed to write the plan".into(),
        source,
    })
}

fn print_json(ui: &Ui, decisions: &[Decision], root: &Path) -> Result<(), Error> {
    let items: Vec<serde_json::Value> = decisions
        .iter()
        .map(|d| {
            let c = &d.candidate;
            serde_json::json!({
                "binary_id": c.id.binary_id,
                "name": c.id.name,
                "tier": c.tier,
                "rule": c.rule.to_string(),
                "duration_ms": c.duration.as_millis() as u64,
                "budget_ms": c.budget.as_millis() as u64,
                "choices": c.choices,
                "choice": d.choice,
                "move_to": c.move_to.as_ref().map(|(tier, _)| tier),
                "no_move": d.no_move,
                "moves": d.plan.as_ref().map(|p| p.paths.iter().map(|(f, t)| [rel(root, f), rel(root, t)]).collect::<Vec<_>>()),
                "moves_along": d.plan.as_ref().map(|p| p.along.iter().map(|t| t.name.clone()).collect::<Vec<_>>()),
                "exception_budget_ms": c.exception_budget().as_millis() as u64,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(
        &serde_json::json!({ "schema_version": 1, "candidates": items }),
    )
    .expect("JSON value serializes");
    text.push('\n');
    ui.stdout()
        .write_all(text.as_bytes())
        .map_err(|source| Error::Io {
            what: "failed to write the plan".into(),
            source,
        })
}

fn read_later(root: &Path) -> Result<HashSet<String>, Error> {
    let text = read_if_exists(&root.join(LATER))?.unwrap_or_default();
    Ok(text.lines().map(str::to_string).collect())
}

/// The tests marked for later, one per line.
const LATER: &str = ".budget/later.txt";

/// The text of `path`, or `None` when it does not exist. Any other failure is an error: a file
/// that cannot be read must not pass for an empty or absent one and then be written over.
fn read_if_exists(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            what: format!("failed to read `{}`", path.display()),
            source,
        }),
    }
}

fn git(root: &Path, args: &[&str]) -> Result<String, Error> {
    Ok(crate::git::output(root, args)?)
}

fn apply_all(
    settings: &Settings,
    ui: &Ui,
    ws: &Workspace,
    config: &Config,
    args: &Args,
    decisions: &[Decision],
    source: &str,
) -> Result<i32, Error> {
    let moving: Vec<(&Decision, &MovePlan)> = decisions
        .iter()
        .filter(|d| d.choice == Choice::Move)
        .filter_map(|d| d.plan.as_ref().map(|p| (d, p)))
        .collect();
    // Refuse to touch files with changes the user has not committed or staged.
    let mut touched: Vec<PathBuf> = Vec::new();
    for (_, p) in &moving {
        touched.extend(p.paths.iter().map(|(f, _)| f.clone()));
        touched.push(p.from_main.clone());
        touched.push(p.to_main.clone());
    }
    if !touched.is_empty() {
        let mut status_args = vec!["status", "--porcelain", "--untracked-files=all", "--"];
        let rels: Vec<String> = touched.iter().map(|p| rel(&ws.root, p)).collect();
        status_args.extend(rels.iter().map(String::as_str));
        let status = git(&ws.root, &status_args)?;
        let dirty: Vec<&str> = status
            .lines()
            .filter(|l| !l.starts_with("M  ") && !l.starts_with("A  "))
            .collect();
        if !dirty.is_empty() {
            return Err(Error::Usage(format!(
                "refusing to move files with unstaged or untracked changes; commit or stash them first:\n{}",
                dirty.join("\n")
            )));
        }
    }

    let git_dir = PathBuf::from(git(&ws.root, &["rev-parse", "--absolute-git-dir"])?.trim());
    let mut snapshot = Snapshot::default();
    snapshot.keep(&git_dir.join("index"))?;
    for p in &touched {
        snapshot.keep(p)?;
    }
    for (_, p) in &moving {
        for (from, to) in &p.paths {
            if from.is_dir() {
                // Nothing is there yet (the plan checked): on failure, remove it whole.
                snapshot.created_dirs.push(to.clone());
            } else {
                snapshot.keep(to)?;
            }
        }
    }
    let budget_toml = config
        .source
        .clone()
        .unwrap_or_else(|| ws.root.join(config::FILE_NAME));
    snapshot.keep(&budget_toml)?;

    let result = apply_steps(
        settings,
        ui,
        ws,
        config,
        args,
        decisions,
        &moving,
        source,
        &budget_toml,
        &mut snapshot,
    );
    match result {
        Ok(()) => Ok(exit::SUCCESS),
        Err(e) => {
            let failed = snapshot.restore();
            if failed.is_empty() {
                ui.warn(
                    "the session failed; every file (and the git index) was put back as it was",
                );
            } else {
                for f in &failed {
                    ui.error(f);
                }
                ui.warn(&format!(
                    "the session failed, and {} could not be put back (see above); everything else was",
                    crate::text::count(failed.len(), "file")
                ));
            }
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_steps(
    settings: &Settings,
    ui: &Ui,
    ws: &Workspace,
    config: &Config,
    args: &Args,
    decisions: &[Decision],
    moving: &[(&Decision, &MovePlan)],
    source: &str,
    budget_toml: &Path,
    snapshot: &mut Snapshot,
) -> Result<(), Error> {
    for (d, p) in moving {
        let to_dir = p.to_main.parent().unwrap_or(Path::new("."));
        if !to_dir.exists() {
            snapshot.created_dirs.push(to_dir.to_path_buf());
            std::fs::create_dir_all(to_dir).map_err(|source| Error::Io {
                what: format!("failed to create `{}`", to_dir.display()),
                source,
            })?;
        }
        for (from, to) in &p.paths {
            git(&ws.root, &["mv", &rel(&ws.root, from), &rel(&ws.root, to)])?;
        }
        let from_text = std::fs::read_to_string(&p.from_main).map_err(|source| Error::Io {
            what: format!("failed to read `{}`", p.from_main.display()),
            source,
        })?;
        fsutil::write_atomic(
            &p.from_main,
            moves::without_mod(&from_text, &p.module).as_bytes(),
        )?;
        let to_text = match read_if_exists(&p.to_main)? {
            Some(t) => t,
            None => {
                let (tier, _) = d.candidate.move_to.clone().unwrap_or_default();
                let budget = config
                    .tier(&tier)
                    .map(|t| format_budget(t.budget))
                    .unwrap_or_default();
                format!(
                    "//! The `{tier}` tier: every test in this target must finish within {budget}.\n"
                )
            }
        };
        fsutil::write_atomic(&p.to_main, moves::with_mod(&to_text, &p.module).as_bytes())?;
        ui.note(
            "Moved",
            &format!("{} → {}", d.candidate.id, rel(&ws.root, to_dir)),
        );
    }
    if !moving.is_empty() {
        ui.note("Checking", "cargo check --tests");
        let mut check = vec![
            "check".to_string(),
            "--tests".into(),
            "--workspace".into(),
            "--quiet".into(),
        ];
        if let Some(m) = &settings.manifest_path {
            check.push("--manifest-path".into());
            check.push(m.display().to_string());
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = duct::cmd(cargo, &check)
            .dir(&ws.root)
            .stdout_to_stderr()
            .unchecked()
            .run()
            .map_err(|source| Error::Io {
                what: "failed to run cargo check".into(),
                source,
            })?;
        if !status.status.success() {
            return Err(Error::Usage(
                "`cargo check --tests` fails after the moves (see above): a moved module may use something of its old tier's main.rs".into(),
            ));
        }
        ui.note("Checked", "cargo check --tests passes after the moves");
    }

    let owner = adr::owner(&ws.root);
    let first_adr = adr::next_number(&ws.root.join(adr::DIR));
    // Without a budget.toml, the exceptions go into the commented template.
    let mut budget_text = if decisions.iter().any(|d| d.choice == Choice::Exception) {
        read_if_exists(budget_toml)?.unwrap_or_else(|| config::TEMPLATE.to_string())
    } else {
        String::new()
    };
    let mut exceptions = 0;
    let exceptions_chosen = decisions.iter().filter(|d| d.choice == Choice::Exception);
    for (next_adr, d) in (first_adr..).zip(exceptions_chosen) {
        let c = &d.candidate;
        let budget = c.exception_budget();
        let expires = expiry(args);
        let title = format!("Budget exception for {}", c.id);
        let (adr_path, adr_text) = adr::render_numbered(
            next_adr,
            &Adr {
                title: &title,
                status: "accepted",
                date: jiff::Zoned::now().date().to_string(),
                owner: &owner,
                context: format!(
                    "`{}` took {:.3}s (the {source}) against the `{}` tier budget of {}; it was placed in that tier by {}.",
                    c.id,
                    c.duration.as_secs_f64(),
                    c.tier,
                    format_budget(c.budget),
                    c.rule
                ),
                decision: match &c.rule {
                    crate::policy::Rule::Exception { line } => format!(
                        "Add a budget to the test's exception in budget.toml (line {line}): the test may take up to {} until {expires}, or the exception's own expiry if that is earlier.",
                        format_budget(budget)
                    ),
                    _ => format!(
                        "Record a tracked exception in budget.toml: the test may take up to {} until {expires}.",
                        format_budget(budget)
                    ),
                },
                consequences: format!(
                    "The test no longer violates the {} budget, and nextest stops it only at {} × {}. On {expires} the exception expires and `cargo budget report` reports an error: by then, make the test faster, move it to a slower tier, or renew this decision in a new ADR.",
                    c.tier,
                    config.kill_after,
                    format_budget(budget)
                ),
            },
        );
        let adr_abs = ws.root.join(&adr_path);
        snapshot.keep(&adr_abs)?;
        if let Some(dir) = adr_abs.parent()
            && !dir.exists()
        {
            snapshot.created_dirs.push(dir.to_path_buf());
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                what: format!("failed to create `{}`", dir.display()),
                source,
            })?;
        }
        fsutil::write_atomic(&adr_abs, adr_text.as_bytes())?;
        let reason = format!(
            "slow {} test ({:.3}s measured); see the ADR",
            c.tier,
            c.duration.as_secs_f64()
        );
        let adr_rel = adr_path.display().to_string();
        let (text, recorded) = exception::record(
            &budget_text,
            &NewException {
                test: &c.id,
                budget,
                reason: &reason,
                adr: &adr_rel,
                owner: Some(&owner),
                expires,
            },
        )
        .map_err(|e| Error::Usage(format!("{} is not valid TOML: {e}", budget_toml.display())))?;
        budget_text = text;
        exceptions += 1;
        let verb = match recorded {
            Recorded::Appended => "Exception",
            Recorded::Amended => "Amended",
        };
        ui.note(
            verb,
            &format!("{} — budget {}, {}", c.id, format_budget(budget), adr_rel),
        );
    }
    if exceptions > 0 {
        // The result must still load: a broken budget.toml is worse than no exception. Its
        // positions are in the edited text, not the file on disk: say so.
        config::parse(&budget_text, budget_toml).map_err(|e| {
            Error::Usage(format!(
                "the new exceptions would make {} invalid, so it was not written (positions are in the edited text):\n{e}",
                budget_toml.display()
            ))
        })?;
        fsutil::write_atomic(budget_toml, budget_text.as_bytes())?;
        ui.note("Updated", &rel(&ws.root, budget_toml));
    }

    let later: Vec<String> = decisions
        .iter()
        .filter(|d| d.choice == Choice::Later)
        .map(|d| d.candidate.id.to_string())
        .collect();
    if !later.is_empty() {
        let path = ws.root.join(LATER);
        snapshot.keep(&path)?;
        let mut all = read_later(&ws.root)?;
        all.extend(later.iter().cloned());
        let mut lines: Vec<String> = all.into_iter().collect();
        lines.sort();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                what: format!("failed to create `{}`", dir.display()),
                source,
            })?;
        }
        fsutil::write_atomic(&path, format!("{}\n", lines.join("\n")).as_bytes())?;
        ui.note(
            "Later",
            &format!(
                "{} marked in .budget/later.txt",
                crate::text::count(later.len(), "test")
            ),
        );
    }
    Ok(())
}
