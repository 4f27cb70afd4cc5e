//! One `cargo nextest run` of a selection under the session's budgets: its scratch files, the
//! run, how it ended, its JUnit and the wrapper's records read into a [`Run`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::scratch::{self, Scratch};
use crate::error::Error;
use crate::model::Run;
use crate::nextest::{self, Exit, Inventory, Selection};
use crate::session::Session;

/// The latest run's JUnit file, in `<target-dir>/cargo-budget/`.
pub const LAST_JUNIT: &str = "last-junit.xml";

/// How nextest is asked to run.
pub(super) struct Options<'a> {
    pub selection: &'a Selection,
    /// Extra arguments for both `list` and `run` (`--color`, `--cargo-quiet`, …).
    pub nextest_args: Vec<String>,
    /// Extra arguments for `run` only (`--status-level`, …).
    pub run_args: Vec<String>,
    pub cwd: &'a Path,
    /// Keep this run's JUnit as the latest results (`LAST_JUNIT`); re-runs of a few tests do not.
    pub keep_last: bool,
    /// Count instructions under this Valgrind instead of measuring time and memory.
    pub counting: Option<&'a Path>,
}

/// Under Valgrind a test runs tens of times slower: its slow-timeouts are stretched by this.
pub const COUNT_SLOWDOWN: u32 = 100;

/// What one run produced.
pub(super) struct Once {
    pub run: Run,
    /// The run's JUnit: `LAST_JUNIT` when kept, else a path already removed.
    pub junit_path: PathBuf,
    /// Time spent waiting for nextest.
    pub in_nextest: Duration,
    /// When counting: each test's count, or why it has none (by binary id and test name).
    pub counts: std::collections::HashMap<(String, String), Result<u64, String>>,
}

/// Runs the selection once. The budgets reach nextest as filterset overrides built from cargo
/// metadata and the sources (as `init` writes them), so nothing is listed before the run.
/// nextest's version is asked for meanwhile, the first time.
pub(super) fn once(session: &Session<'_>, opts: &Options<'_>) -> Result<Once, Error> {
    let version = session.nextest_version.get().is_none().then(|| {
        let cwd = opts.cwd.to_path_buf();
        std::thread::spawn(move || nextest::command::version(&cwd))
    });
    let ws = &session.ws;
    let dir = ws.target_dir.join("cargo-budget");
    let wrapper = scratch::wrapper(&ws.root);
    let overrides = session.overrides.get_or_init(|| {
        scratch::budget_overrides(&session.config, session.binaries(), session.sources())
    });
    let stretched;
    let overrides = match opts.counting {
        None => overrides.as_slice(),
        Some(_) => {
            stretched = stretch(overrides);
            stretched.as_slice()
        }
    };
    let scratch = Scratch::write(&dir, opts.selection, overrides, wrapper.clone().ok())?;
    let _cleanup = scratch.cleanup();
    let invocation = invocation(session, opts, &scratch, wrapper.is_ok());
    session.ui().status("Running", &invocation.display());
    let (exit, elapsed) = nextest::command::run(&invocation)?;
    if let Some(version) = version {
        let version = version.join().expect("the version thread does not panic")?;
        let _ = session.nextest_version.set(version);
    }
    check_run(exit, &invocation, &scratch.junit, opts.selection)?;
    let mut run = nextest::junit::read(&scratch.junit)?;
    run.wall = run.wall.or(Some(elapsed));
    let mut counts = Default::default();
    match (wrapper, opts.counting) {
        (Ok(_), None) => attach_attempts(&mut run, &scratch.attempts)?,
        (Ok(_), Some(_)) => counts = nextest::attempts::counts(read_attempts(&scratch.attempts)?),
        (Err(why), _) => run.unmeasured = Some(why),
    }
    // Keep the latest results at a stable path (for later subcommands), not one file per run.
    let last = dir.join(LAST_JUNIT);
    let junit_path = match opts.keep_last && std::fs::rename(&scratch.junit, &last).is_ok() {
        true => last,
        false => scratch.junit.clone(),
    };
    Ok(Once {
        run,
        junit_path,
        in_nextest: elapsed,
        counts,
    })
}

/// The budgets' slow-timeouts, `COUNT_SLOWDOWN` times longer.
fn stretch(
    overrides: &[crate::nextest::tool_config::SlowTimeout],
) -> Vec<crate::nextest::tool_config::SlowTimeout> {
    overrides
        .iter()
        .map(|o| crate::nextest::tool_config::SlowTimeout {
            period: o.period * COUNT_SLOWDOWN,
            ..o.clone()
        })
        .collect()
}

/// The tests that exist in the selection: the run's JUnit (`report-skipped = "all"`) is the
/// inventory, unless the repository's own config decides which skipped tests the JUnit shows;
/// then the suite is listed as well.
pub(super) fn inventory(
    session: &Session<'_>,
    opts: &Options<'_>,
    run: &Run,
) -> Result<Inventory, Error> {
    let ws = &session.ws;
    if !nextest::tool_config::repository_sets_report_skipped(
        &ws.root,
        opts.selection.tuning.profile(),
    ) {
        return Ok(Inventory::observed(
            ws.target_dir.clone(),
            session.binaries().to_vec(),
            run,
        ));
    }
    let list = nextest::command::list_invocation(opts.cwd, opts.selection, &opts.nextest_args)
        .without_env(&session.env_remove);
    session.ui().status("Listing", &list.display());
    Ok(nextest::command::list(&list)?)
}

/// `cargo nextest run` with the tool config, and where the wrapper writes its records when
/// nextest runs it (`measured`).
fn invocation(
    session: &Session<'_>,
    opts: &Options<'_>,
    scratch: &Scratch,
    measured: bool,
) -> nextest::Invocation {
    let invocation = nextest::command::run_invocation(
        opts.cwd,
        opts.selection,
        &scratch.tool_config,
        &[opts.nextest_args.clone(), opts.run_args.clone()].concat(),
    )
    .without_env(&session.env_remove)
    .with_env(&session.config.property_env(session.context));
    let invocation = match measured {
        true => invocation.with_env(&[(
            crate::wrap::OUT_ENV.to_string(),
            scratch.attempts.to_string_lossy().into_owned(),
        )]),
        false => invocation,
    };
    match opts.counting {
        Some(valgrind) => invocation.with_env(&[
            (
                crate::wrap::COUNT_ENV.to_string(),
                session
                    .ws
                    .target_dir
                    .join("cargo-budget")
                    .to_string_lossy()
                    .into_owned(),
            ),
            (
                crate::valgrind::VALGRIND_ENV.to_string(),
                valgrind.to_string_lossy().into_owned(),
            ),
        ]),
        None => invocation,
    }
}

/// Each result's peak memory and CPU time from the wrapper's records.
fn attach_attempts(run: &mut Run, path: &Path) -> Result<(), Error> {
    nextest::attempts::attach(run, read_attempts(path)?);
    Ok(())
}

fn read_attempts(path: &Path) -> Result<Vec<crate::wrap::Attempt>, Error> {
    let (attempts, _partial) = crate::wrap::record::read(path).map_err(|source| Error::Io {
        what: format!("failed to read `{}`", path.display()),
        source,
    })?;
    Ok(attempts)
}

/// A user's `-P NAME` must name a profile nextest knows, before anything is built.
pub(super) fn check_profile(session: &Session<'_>, selection: &Selection) -> Result<(), Error> {
    let Some(profile) = &selection.tuning.profile else {
        return Ok(());
    };
    let root = &session.ws.root;
    let known = nextest::tool_config::known_profiles(root);
    if known.contains(profile) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "nextest profile `{profile}` is not defined in {} (known profiles: {})",
        root.join(".config/nextest.toml").display(),
        known.join(", ")
    )))
}

/// How nextest's run ended must leave results to read: tests passed, failed or none ran, and
/// the JUnit file is where cargo-budget asked for it.
fn check_run(
    exit: Exit,
    invocation: &nextest::Invocation,
    junit_path: &Path,
    selection: &Selection,
) -> Result<(), Error> {
    match exit {
        Exit::Success | Exit::TestsFailed | Exit::NoTests => {}
        Exit::Interrupted => return Err(Error::Interrupted),
        other => {
            return Err(nextest::NextestError::Failed {
                command: invocation.display(),
                exit: other,
            }
            .into());
        }
    }
    if !junit_path.exists()
        && let Some(profile) = &selection.tuning.profile
    {
        return Err(Error::Usage(format!(
            "nextest wrote no JUnit file where cargo-budget asked: profile `{profile}` sets its \
             own `junit.path`, which wins; run with a profile that does not"
        )));
    }
    Ok(())
}
