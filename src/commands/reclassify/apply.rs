//! Applying a reclassify session as one transaction: refuse files with uncommitted changes,
//! keep everything the session may touch, make the changes step by step, and put everything
//! back if any step fails.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::Args;
use super::snapshot::Snapshot;
use crate::config::units::format_budget;
use crate::config::{self, Config};
use crate::error::Error;
use crate::policy::reclassify::Choice;
use crate::reclassify::adr::{self, Adr};
use crate::reclassify::decision::Decision;
use crate::reclassify::exception::{self, NewException, Recorded};
use crate::reclassify::moves::{self, MovePlan};
use crate::report::reclassify::rel;
use crate::settings::Settings;
use crate::ui::Ui;
use crate::workspace::Workspace;
use crate::{exit, fsutil};

pub(super) fn read_later(root: &Path) -> Result<HashSet<String>, Error> {
    let text = read_if_exists(&root.join(LATER))?.unwrap_or_default();
    Ok(text.lines().map(str::to_string).collect())
}

/// The tests marked for later, one per line.
pub(super) const LATER: &str = ".budget/later.txt";

/// The text of `path`, or `None` when it does not exist. Any other failure is an error: a file
/// that cannot be read must not pass for an empty or absent one and then be written over.
pub(super) fn read_if_exists(path: &Path) -> Result<Option<String>, Error> {
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

pub(super) fn apply_all(
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
    refuse_dirty(&ws.root, &touched)?;

    let budget_toml = config
        .source
        .clone()
        .unwrap_or_else(|| ws.root.join(config::FILE_NAME));
    let mut snapshot = snapshot_of(&ws.root, &touched, &moving, &budget_toml)?;

    let stageable = super::stage::clean(
        &ws.root,
        &[
            budget_toml.clone(),
            ws.root.join(crate::scaffold::NEXTEST_CONFIG),
        ],
    )?;
    let session = Session {
        settings,
        ui,
        ws,
        config,
        args,
        decisions,
        source,
        budget_toml: &budget_toml,
        stageable: &stageable,
    };
    let result = apply_steps(&session, &moving, &mut snapshot);
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

/// The git index and every file the session may touch, as they are before it starts.
fn snapshot_of(
    root: &Path,
    touched: &[PathBuf],
    moving: &[(&Decision, &MovePlan)],
    budget_toml: &Path,
) -> Result<Snapshot, Error> {
    let git_dir = PathBuf::from(git(root, &["rev-parse", "--absolute-git-dir"])?.trim());
    let mut snapshot = Snapshot::default();
    snapshot.keep(&git_dir.join("index"))?;
    for p in touched {
        snapshot.keep(p)?;
    }
    for (_, p) in moving {
        for (from, to) in &p.paths {
            if from.is_dir() {
                // Nothing is there yet (the plan checked): on failure, remove it whole.
                snapshot.created_dirs.push(to.clone());
            } else {
                snapshot.keep(to)?;
            }
        }
    }
    snapshot.keep(budget_toml)?;
    Ok(snapshot)
}

/// What every step of a session works with.
struct Session<'a> {
    settings: &'a Settings,
    ui: &'a Ui,
    ws: &'a Workspace,
    config: &'a Config,
    args: &'a Args,
    decisions: &'a [Decision],
    /// Where the durations came from ("baseline", "run just made"), for the ADRs.
    source: &'a str,
    budget_toml: &'a Path,
    /// The files the session may stage when it writes them: without the user's unstaged
    /// changes before it began.
    stageable: &'a [PathBuf],
}

/// The session's changes, in order; any error leaves the rest undone (the caller rolls back).
fn apply_steps(
    s: &Session<'_>,
    moving: &[(&Decision, &MovePlan)],
    snapshot: &mut Snapshot,
) -> Result<(), Error> {
    move_modules(s.ui, s.ws, s.config, moving, snapshot)?;
    if !moving.is_empty() {
        check_builds(s.settings, s.ui, s.ws)?;
    }
    let adrs = record_exceptions(s, snapshot)?;
    mark_later(s.ui, s.ws, s.decisions, snapshot)?;
    // The main.rs files of the moves had no unstaged changes (`refuse_dirty`): the session's.
    let mut written = adrs;
    for (_, p) in moving {
        written.extend([p.from_main.clone(), p.to_main.clone()]);
    }
    let files = (written.as_slice(), s.stageable);
    super::stage::finish(s.settings, s.ui, &s.ws.root, files, snapshot)
}

/// `git mv` each moving module and its files, and moves its `mod x;` between the main.rs files.
fn move_modules(
    ui: &Ui,
    ws: &Workspace,
    config: &Config,
    moving: &[(&Decision, &MovePlan)],
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
            git(
                &ws.root,
                &["mv", "--", &rel(&ws.root, from), &rel(&ws.root, to)],
            )?;
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
    Ok(())
}

/// `cargo check --tests` after the moves: a moved module may use something of its old tier.
fn check_builds(settings: &Settings, ui: &Ui, ws: &Workspace) -> Result<(), Error> {
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
    Ok(())
}

/// An ADR and a budget.toml exception for each test the session keeps in its tier; returns
/// the ADRs written.
fn record_exceptions(s: &Session<'_>, snapshot: &mut Snapshot) -> Result<Vec<PathBuf>, Error> {
    let Session {
        ui,
        ws,
        config,
        args,
        decisions,
        source,
        budget_toml,
        ..
    } = *s;
    let owner = adr::owner(&ws.root);
    let first_adr = adr::next_number(&ws.root.join(adr::DIR));
    // Without a budget.toml, the exceptions go into the commented template.
    let mut budget_text = if decisions.iter().any(|d| d.choice == Choice::Exception) {
        read_if_exists(budget_toml)?.unwrap_or_else(|| config::TEMPLATE.to_string())
    } else {
        String::new()
    };
    let mut adrs = Vec::new();
    let exceptions_chosen = decisions.iter().filter(|d| d.choice == Choice::Exception);
    for (next_adr, d) in (first_adr..).zip(exceptions_chosen) {
        let c = &d.candidate;
        let budget = c.exception_budget();
        let expires = super::expiry(args);
        let (adr_path, adr_text) = exception_adr(next_adr, d, &owner, source, expires, config);
        write_kept(&ws.root.join(&adr_path), &adr_text, snapshot)?;
        adrs.push(ws.root.join(&adr_path));
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
        let verb = match recorded {
            Recorded::Appended => "Exception",
            Recorded::Amended => "Amended",
        };
        ui.note(
            verb,
            &format!("{} — budget {}, {}", c.id, format_budget(budget), adr_rel),
        );
    }
    if !adrs.is_empty() {
        write_budget_toml(budget_toml, &budget_text)?;
        ui.note("Updated", &rel(&ws.root, budget_toml));
    }
    Ok(adrs)
}

/// The tests marked for later, added to .budget/later.txt.
fn mark_later(
    ui: &Ui,
    ws: &Workspace,
    decisions: &[Decision],
    snapshot: &mut Snapshot,
) -> Result<(), Error> {
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

/// The ADR that explains keeping `d`'s test in its tier with an exception: its path and text.
fn exception_adr(
    number: u32,
    d: &Decision,
    owner: &str,
    source: &str,
    expires: jiff::civil::Date,
    config: &Config,
) -> (PathBuf, String) {
    let c = &d.candidate;
    let budget = c.exception_budget();
    let title = format!("Budget exception for {}", c.id);
    adr::render_numbered(
        number,
        &Adr {
            title: &title,
            status: "accepted",
            date: jiff::Zoned::now().date().to_string(),
            owner,
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
    )
}

/// Refuses files with changes the user has not committed or staged: a rollback could not tell
/// them from the session's.
fn refuse_dirty(root: &Path, touched: &[PathBuf]) -> Result<(), Error> {
    if touched.is_empty() {
        return Ok(());
    }
    let mut status_args = vec!["status", "--porcelain", "--untracked-files=all", "--"];
    let rels: Vec<String> = touched.iter().map(|p| rel(root, p)).collect();
    status_args.extend(rels.iter().map(String::as_str));
    let status = git(root, &status_args)?;
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
    Ok(())
}

/// Writes `text` to `path` (kept in `snapshot` first), creating its directory (recorded for
/// the rollback) when needed.
fn write_kept(path: &Path, text: &str, snapshot: &mut Snapshot) -> Result<(), Error> {
    snapshot.keep(path)?;
    if let Some(dir) = path.parent()
        && !dir.exists()
    {
        snapshot.created_dirs.push(dir.to_path_buf());
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("failed to create `{}`", dir.display()),
            source,
        })?;
    }
    Ok(fsutil::write_atomic(path, text.as_bytes())?)
}

/// Writes the edited budget.toml, which must still load: a broken budget.toml is worse than
/// no exception. Its positions are in the edited text, not the file on disk: say so.
fn write_budget_toml(budget_toml: &Path, text: &str) -> Result<(), Error> {
    config::parse(text, budget_toml).map_err(|e| {
        Error::Usage(format!(
            "the new exceptions would make {} invalid, so it was not written (positions are in the edited text):\n{e}",
            budget_toml.display()
        ))
    })?;
    Ok(fsutil::write_atomic(budget_toml, text.as_bytes())?)
}
