//! The shared pipeline every judging subcommand calls: inventory → classify → plan → run
//! nextest → JUnit → verdict. No subcommand calls another subcommand.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::{Config, Context};
use crate::error::Error;
use crate::model::{BinaryInfo, Run, TestId};
use crate::nextest::tool_config::{SlowTimeout, ToolConfig};
use crate::nextest::{self, Exit, Inventory, Selection, filterset};
use crate::policy::compare::Comparison;
use crate::policy::{self, Classified, Verdict};
use crate::sources::SourceIndex;
use crate::workspace::Workspace;

/// Places every test in `ids` (binary info from the inventory when known, else derived from
/// the binary id).
pub fn classify_all<'a>(
    config: &Config,
    ids: impl IntoIterator<Item = &'a TestId>,
    binaries: &[BinaryInfo],
    sources: &SourceIndex,
) -> Result<Vec<Classified>, Error> {
    let by_id: BTreeMap<&str, &BinaryInfo> =
        binaries.iter().map(|b| (b.binary_id.as_str(), b)).collect();
    let mut out = Vec::new();
    for id in ids {
        let derived;
        let binary = match by_id.get(id.binary_id.as_str()) {
            Some(b) => *b,
            None => {
                derived = BinaryInfo::from_binary_id(&id.binary_id);
                &derived
            }
        };
        let source = sources.get(id);
        let placement = policy::classify(config, binary, id, source)?;
        out.push(Classified {
            id: id.clone(),
            placement,
            location: source.map(|s| (s.file.clone(), s.line)),
        });
    }
    Ok(out)
}

/// The latest run's JUnit file, in `<target-dir>/cargo-budget/`.
pub const LAST_JUNIT: &str = "last-junit.xml";

/// What a real run produced.
pub struct SuiteRun {
    pub inventory: Inventory,
    pub sources: SourceIndex,
    pub classified: Vec<Classified>,
    pub run: Run,
    pub nextest_version: String,
    pub junit_path: PathBuf,
    /// Time spent waiting for nextest's run (the version is asked for meanwhile).
    pub in_nextest: Duration,
}

/// Options for running the suite.
pub struct RunOptions<'a> {
    pub selection: &'a Selection,
    /// Extra arguments for both `list` and `run` (`--color`, `--cargo-quiet`, …).
    pub nextest_args: Vec<String>,
    /// Extra arguments for `run` only (`--status-level`, …).
    pub run_args: Vec<String>,
    pub on_status: &'a dyn Fn(&str, &str),
    /// Where nextest runs: the user's directory, so a member directory selects that member
    /// as `cargo nextest` would there.
    pub cwd: &'a Path,
    /// Environment variables nextest and the tests must not see.
    pub env_remove: &'a [String],
    /// Environment variables the run sets (property-test cases for the context).
    pub env: Vec<(String, String)>,
    /// Keep this run's JUnit as the latest results (`LAST_JUNIT`); re-runs of a few tests do not.
    pub keep_last: bool,
}

/// Removes the run's scratch files however the run ends.
struct Cleanup(Vec<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Runs the selected tests under their budgets and classifies what ran. The budgets reach
/// nextest as filterset overrides built from cargo metadata and the sources (as `init` writes
/// them), so nothing is listed before the run; the run's JUnit (`report-skipped = "all"`) is the
/// inventory of what exists. Only when the repository's own config decides which skipped tests
/// the JUnit shows is the suite listed as well.
pub fn run_suite(
    ws: &Workspace,
    config: &Config,
    opts: &RunOptions<'_>,
) -> Result<SuiteRun, Error> {
    check_profile(ws, opts.selection)?;
    let version = {
        let cwd = opts.cwd.to_path_buf();
        std::thread::spawn(move || nextest::command::version(&cwd))
    };
    let binaries = ws.binaries();
    let sources = SourceIndex::build(ws, &binaries);
    let dir = ws.target_dir.join("cargo-budget");
    let wrapper = wrapper(&ws.root);
    let scratch = write_tool_config(
        &dir,
        opts,
        &budget_overrides(config, &binaries, &sources),
        wrapper.as_ref().ok().cloned(),
    )?;
    let _cleanup = Cleanup(vec![
        scratch.tool_config.clone(),
        scratch.junit.clone(),
        scratch.attempts.clone(),
    ]);
    let invocation = run_invocation(opts, &scratch, wrapper.is_ok());
    let (junit_path, attempts_path) = (scratch.junit, scratch.attempts);
    (opts.on_status)("Running", &invocation.display());
    let (exit, elapsed) = nextest::command::run(&invocation)?;
    let nextest_version = version.join().expect("the version thread does not panic")?;
    check_run(exit, &invocation, &junit_path, opts.selection)?;
    let mut run = nextest::junit::read(&junit_path)?;
    run.wall = run.wall.or(Some(elapsed));
    match wrapper {
        Ok(_) => attach_attempts(&mut run, &attempts_path)?,
        Err(why) => run.unmeasured = Some(why),
    }
    let inventory = if nextest::tool_config::repository_sets_report_skipped(
        &ws.root,
        opts.selection.tuning.profile(),
    ) {
        list(opts)?
    } else {
        Inventory::observed(ws.target_dir.clone(), binaries, &run)
    };
    // Skipped tests are the inventory's, not results: a JUnit without them reads the same.
    run.results
        .retain(|r| r.outcome != crate::model::Outcome::Skipped);
    let classified = classify_all(
        config,
        run.results.iter().map(|r| &r.id),
        &inventory.binaries,
        &sources,
    )?;
    // Keep the latest results at a stable path (for later subcommands), not one file per run.
    let last = dir.join(LAST_JUNIT);
    let junit_path = match opts.keep_last && std::fs::rename(&junit_path, &last).is_ok() {
        true => last,
        false => junit_path,
    };
    Ok(SuiteRun {
        inventory,
        sources,
        classified,
        run,
        nextest_version,
        junit_path,
        in_nextest: elapsed,
    })
}

/// `cargo nextest run` with the tool config, and where the wrapper writes its records when
/// nextest runs it (`measured`).
fn run_invocation(opts: &RunOptions<'_>, scratch: &Scratch, measured: bool) -> nextest::Invocation {
    let invocation = nextest::command::run_invocation(
        opts.cwd,
        opts.selection,
        &scratch.tool_config,
        &[opts.nextest_args.clone(), opts.run_args.clone()].concat(),
    )
    .without_env(opts.env_remove)
    .with_env(&opts.env);
    match measured {
        true => invocation.with_env(&[(
            crate::wrap::OUT_ENV.to_string(),
            scratch.attempts.to_string_lossy().into_owned(),
        )]),
        false => invocation,
    }
}

/// Each result's peak memory and CPU time from the wrapper's records.
fn attach_attempts(run: &mut Run, path: &Path) -> Result<(), Error> {
    let (attempts, _partial) = crate::wrap::record::read(path).map_err(|source| Error::Io {
        what: format!("failed to read `{}`", path.display()),
        source,
    })?;
    nextest::attempts::attach(run, attempts);
    Ok(())
}

/// `cargo nextest list` for the run's selection.
fn list(opts: &RunOptions<'_>) -> Result<Inventory, Error> {
    let list = nextest::command::list_invocation(opts.cwd, opts.selection, &opts.nextest_args)
        .without_env(opts.env_remove);
    (opts.on_status)("Listing", &list.display());
    Ok(nextest::command::list(&list)?)
}

/// The budgets as nextest `slow-timeout` overrides: the filters `init` writes (first match
/// wins in classification's precedence; only binaries cargo metadata knows are named), each
/// with the run's `kill_after` and grace period.
fn budget_overrides(
    config: &Config,
    binaries: &[BinaryInfo],
    sources: &SourceIndex,
) -> Vec<SlowTimeout> {
    let (markers, frameworks) = sources.placed();
    crate::scaffold::nextest_config::overrides(config, binaries, &markers, &frameworks)
        .into_iter()
        .map(|o| SlowTimeout {
            filter: o.filter,
            period: o.period,
            terminate_after: config.kill_after,
            grace_period: config.grace_period,
        })
        .collect()
}

/// A user's `-P NAME` must name a profile nextest knows, before anything is built.
fn check_profile(ws: &Workspace, selection: &Selection) -> Result<(), Error> {
    let Some(profile) = &selection.tuning.profile else {
        return Ok(());
    };
    let known = crate::nextest::tool_config::known_profiles(&ws.root);
    if known.contains(profile) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "nextest profile `{profile}` is not defined in {} (known profiles: {})",
        ws.root.join(".config/nextest.toml").display(),
        known.join(", ")
    )))
}

/// Writes this run's tool config in `dir` (its budgets as slow-timeouts, the JUnit path);
/// returns its path and the JUnit file's, both unique to the run.
/// The run's scratch files in `target/cargo-budget/`.
struct Scratch {
    tool_config: PathBuf,
    junit: PathBuf,
    /// The wrapper's per-attempt records.
    attempts: PathBuf,
}

fn write_tool_config(
    dir: &Path,
    opts: &RunOptions<'_>,
    overrides: &[SlowTimeout],
    wrapper: Option<Vec<String>>,
) -> Result<Scratch, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        what: format!("failed to create `{}`", dir.display()),
        source,
    })?;
    let stamp = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let scratch = Scratch {
        tool_config: dir.join(format!("tool-config-{stamp}.toml")),
        junit: dir.join(format!("junit-{stamp}.xml")),
        attempts: dir.join(format!("attempts-{stamp}.jsonl")),
    };
    let tool_config = ToolConfig {
        profile: opts.selection.tuning.profile().to_string(),
        junit_path: scratch.junit.clone(),
        overrides: overrides.to_vec(),
        wrapper,
    };
    crate::fsutil::write_atomic(&scratch.tool_config, tool_config.to_toml().as_bytes())?;
    Ok(scratch)
}

/// The wrapper command that measures each test (`[cargo-budget, "__wrap"]`), or why peak
/// memory and CPU time cannot be measured here.
fn wrapper(root: &Path) -> Result<Vec<String>, String> {
    if !cfg!(any(target_os = "linux", target_os = "macos")) {
        return Err("peak memory is measured on Linux and macOS only".into());
    }
    if !nextest::tool_config::repository_enables_wrappers(root) {
        return Err(format!(
            "nextest runs wrapper scripts only when the repository enables them: add \
             `experimental = [\"{}\"]` to {} (`cargo budget init` does)",
            nextest::tool_config::WRAPPER_FEATURE,
            root.join(".config").join("nextest.toml").display()
        ));
    }
    let exe = std::env::current_exe()
        .map_err(|e| format!("cargo-budget could not find its own executable: {e}"))?;
    Ok(vec![
        exe.to_string_lossy().into_owned(),
        crate::wrap::SUBCOMMAND.to_string(),
    ])
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

/// The tests known to exist, for judging exceptions stale: the listed tests, plus the
/// exceptions' own tests when their binary exists but the selection skipped it (filters, `-p`,
/// a member directory): those say nothing either way.
pub fn known_tests(ws: &Workspace, inventory: &Inventory, config: &Config) -> HashSet<TestId> {
    let mut known: HashSet<TestId> = inventory.tests.iter().map(|t| t.id.clone()).collect();
    let in_workspace: HashSet<String> = ws.binaries().into_iter().map(|b| b.binary_id).collect();
    for e in &config.exceptions {
        let id = e.test.binary_id.as_str();
        if in_workspace.contains(id) && !inventory.listed.contains(id) {
            known.insert(e.test.clone());
        }
    }
    known
}

/// Runs the tests `ids` alone, `rounds` times at most (one nextest run each, under the same
/// budgets as the suite), a test taking part in a round only while `again(test, round, its
/// passing times so far)` says its question is still open (a round with none left is not
/// run); returns each test's passing durations: the evidence that confirms or dismisses what
/// the suite run saw.
pub fn rerun(
    ws: &Workspace,
    config: &Config,
    opts: &RunOptions<'_>,
    ids: &[TestId],
    rounds: u32,
    again: impl Fn(&TestId, usize, &[Duration]) -> bool,
) -> Result<crate::model::Times, Error> {
    let mut times = crate::model::Times::new();
    for round in 0..rounds as usize {
        let open: Vec<&TestId> = ids
            .iter()
            .filter(|id| again(id, round, times.get(*id).map_or(&[][..], Vec::as_slice)))
            .collect();
        if open.is_empty() {
            break;
        }
        let wanted: HashSet<&TestId> = open.iter().copied().collect();
        let selection = opts
            .selection
            .narrowed_to(filterset::any_of(open.iter().map(|id| filterset::test(id))));
        let alone = RunOptions {
            selection: &selection,
            nextest_args: opts.nextest_args.clone(),
            run_args: opts.run_args.clone(),
            env: opts.env.clone(),
            keep_last: false,
            ..*opts
        };
        let run = run_suite(ws, config, &alone)?;
        for r in run.run.results {
            if let Some(duration) = r.duration.filter(|_| r.outcome.is_pass())
                && wanted.contains(&r.id)
            {
                times.entry(r.id).or_default().push(duration);
            }
        }
    }
    Ok(times)
}

/// Judges a run whose tests were classified in `classified` (both consumed). `known` is the
/// inventory; `None` when the results are all there is.
pub fn judge(
    config: &Config,
    context: Context,
    classified: Vec<Classified>,
    run: Run,
    known: Option<&HashSet<TestId>>,
    comparison: Option<Comparison>,
) -> Verdict {
    policy::evaluate(
        &policy::Inputs {
            config,
            context,
            today: jiff::Zoned::now().date(),
            known,
        },
        classified,
        run,
        comparison,
    )
}

/// The command that runs one test alone, as a shell line (`workspace`: every member, for a
/// manifest that may not be the test's package).
pub fn reproduce(id: &TestId, manifest_path: Option<&Path>, workspace: bool) -> String {
    let mut words = vec!["cargo".to_string(), "nextest".into(), "run".into()];
    if let Some(m) = manifest_path {
        words.push("--manifest-path".into());
        words.push(m.display().to_string());
    }
    if workspace {
        words.push("--workspace".into());
    }
    words.push("-E".into());
    words.push(filterset::test(id));
    shell_words::join(words)
}
