//! `cargo budget report`: run the suite under budgets (or judge JUnit files with `--from`),
//! compare it with the baseline when there is one, and render the verdict.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::SelectionArgs;
use crate::baseline::{self, contract};
use crate::config::Regression;
use crate::config::{Config, Context};
use crate::error::Error;
use crate::exit;
use crate::history::HistoryRecord;
use crate::model::{Outcome, Run, TestId, TestResult};
use crate::pipeline;
use crate::policy::Verdict;
use crate::policy::compare::{self, Comparison, Current, Runs};
use crate::report::{self, Format, Meta};
use crate::settings::Settings;
use crate::ui::Ui;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub out: super::ReportArgs,
    /// Judge existing nextest JUnit files (shards of one run) instead of running tests
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["filterset", "partition", "package", "workspace", "junit", "filters", "runs"], help_heading = "Measurement")]
    pub from: Vec<PathBuf>,
    /// Keep a copy of the run's JUnit file at PATH (for `--from` later, e.g. per shard)
    #[arg(long, value_name = "PATH", help_heading = "Measurement")]
    pub junit: Option<PathBuf>,
    /// Run the suite N times and judge the median of each test (3 or 5 resist noise)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100), help_heading = "Measurement")]
    pub runs: u32,
    /// Compare with this baseline [default: .budget/baseline.json when it exists]
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "no_baseline",
        help_heading = "Baseline"
    )]
    pub baseline: Option<PathBuf>,
    /// Do not compare with a baseline
    #[arg(long, help_heading = "Baseline")]
    pub no_baseline: bool,
    /// Store this run against HEAD in the history (git notes, refs/notes/cargo-budget)
    #[arg(long, help_heading = "History")]
    pub record: bool,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let context = settings.context(args.out.mode);
    // Where the run will be recorded, checked before minutes of tests.
    let history = match args.record {
        true => Some(super::record::ready(settings)?),
        false => None,
    };
    let (verdict, meta, contract) = if args.from.is_empty() {
        run_and_judge(settings, args, ui, context)?
    } else {
        let (verdict, meta) = judge_files(settings, args, ui, context)?;
        (verdict, meta, None)
    };
    args.out.show(
        ui,
        &|format, w| report::render(format, &verdict, &meta, w),
        &report::headline(&verdict),
    )?;
    if let Some(dir) = history {
        let record = HistoryRecord::of_verdict(&verdict, contract, super::record::now());
        return super::record::record_after(ui, &dir, record, meta.exit_code);
    }
    Ok(meta.exit_code)
}

fn run_and_judge(
    settings: &Settings,
    args: &Args,
    ui: &Ui,
    context: Context,
) -> Result<(Verdict, Meta, Option<crate::model::Contract>), Error> {
    let ws = Workspace::load(settings.manifest_path.as_deref())?;
    let config = super::load_config(settings, &ws.root, ui)?.config;
    super::check_packages(&ws, &args.selection.package)?;
    let cwd = settings.cwd.clone();
    let how = super::Measure {
        selection: args.selection.selection(settings),
        quiet: settings.verbosity < 0,
        runs: args.runs,
        cwd: &cwd,
        env_remove: &[],
        context,
    };
    let (mut measured, ran) = super::measure(settings, ui, &ws, &config, &how)?;
    let at = super::Rerun {
        settings,
        ui,
        ws: &ws,
        config: &config,
        how: &how,
    };
    super::confirm_over_budget(&at, &measured.classified, &mut measured.run)?;
    if let Some(copy) = &args.junit {
        std::fs::copy(&ran.junit_path, copy).map_err(|source| Error::Io {
            what: format!("failed to copy the JUnit file to `{}`", copy.display()),
            source,
        })?;
    }
    let known = pipeline::known_tests(&ws, &ran.inventory, &config);
    let now = measured.contract.clone();
    let passed = passed(&config, &measured.classified, &measured.run, |r| {
        measured.stats.get(&r.id).map(Runs::Several)
    });
    let mut comparison = load_baseline(Some(&ws), args)?.map(|recorded| {
        compare_with_baseline(
            recorded,
            &config,
            Some(&now),
            passed,
            Some((
                &known,
                &ran.inventory.listed,
                &ws.binaries().into_iter().map(|b| b.binary_id).collect(),
            )),
        )
    });
    if let Some(c) = comparison.as_mut() {
        super::confirm(&at, c)?;
        c.hold_by_cpu(&measured.run, config.regression.warn);
    }
    let verdict = pipeline::judge(
        &config,
        context,
        measured.classified,
        measured.run,
        Some(&known),
        comparison,
    );
    if verdict.tests.is_empty() {
        ui.warn("no tests ran: the filters, partition or package selection matched none");
    }
    let mut meta = meta_for(&verdict, settings, Some(ran.nextest_version), Vec::new());
    meta.roots = (args.out.format == Format::Github).then(|| super::annotation_roots(&ws.root));
    meta.property_env = config.property_env(context);
    Ok((verdict, meta, Some(now)))
}

fn judge_files(
    settings: &Settings,
    args: &Args,
    ui: &Ui,
    context: Context,
) -> Result<(Verdict, Meta), Error> {
    let cwd = settings.cwd.clone();
    // Outside a workspace the files can still be judged; markers and locations need one. Without
    // a manifest here or above, cargo is not asked.
    let in_a_package =
        settings.manifest_path.is_some() || cwd.ancestors().any(|d| d.join("Cargo.toml").is_file());
    let ws = in_a_package
        .then(|| Workspace::load(settings.manifest_path.as_deref()).ok())
        .flatten();
    let root = ws.as_ref().map_or(cwd.clone(), |ws| ws.root.clone());
    let config = super::load_config(settings, &root, ui)?.config;
    // The baseline is read beside the JUnit files: neither needs the other until they meet.
    let (files, recorded) = std::thread::scope(|scope| {
        let baseline = scope.spawn(|| load_baseline(ws.as_ref(), args));
        let files = crate::source::collect(
            ws.as_ref(),
            &config,
            crate::source::Source::Junit(&args.from),
        );
        let recorded = baseline
            .join()
            .expect("reading the baseline does not panic");
        (files, recorded)
    });
    let (collected, _) = files?;
    let (run, classified, contract) = (collected.run, collected.classified, collected.contract);
    let recorded = recorded?;
    // The files were measured elsewhere: their contract is unknown, so nothing the comparison
    // finds is above a warning, and nextest is not asked for its version here.
    let passed = passed(&config, &classified, &run, |r| r.duration.map(Runs::One));
    let known = Some(&contract).filter(|c| !c.is_unknown());
    let comparison =
        recorded.map(|recorded| compare_with_baseline(recorded, &config, known, passed, None));
    let verdict = pipeline::judge(&config, context, classified, run, None, comparison);
    let files = args.from.iter().map(|p| p.display().to_string()).collect();
    let mut meta = meta_for(&verdict, settings, None, files);
    meta.roots = ws
        .as_ref()
        .filter(|_| args.out.format == Format::Github)
        .map(|ws| super::annotation_roots(&ws.root));
    Ok((verdict, meta))
}

/// The tests that passed, with their runs (`runs_of`) and the thresholds of their tier.
/// The rest that ran (failed, killed, flaky, passed without a duration) come second.
fn passed<'a>(
    config: &'a Config,
    classified: &'a [crate::policy::Classified],
    run: &'a Run,
    runs_of: impl Fn(&'a TestResult) -> Option<Runs<'a>>,
) -> (Vec<Current<'a>>, Vec<&'a TestId>) {
    // The tests whose tier has thresholds of its own (usually none).
    let own: HashMap<&TestId, &Regression> = classified
        .iter()
        .filter_map(|c| {
            let own = config.tier(&c.placement.tier)?.regression.as_ref()?;
            Some((&c.id, own))
        })
        .collect();
    let mut passed = Vec::with_capacity(run.results.len());
    let mut others = Vec::new();
    for r in &run.results {
        match runs_of(r).filter(|_| r.outcome == Outcome::Passed) {
            Some(runs) => passed.push(Current {
                id: &r.id,
                runs,
                thresholds: own.get(&r.id).copied().unwrap_or(&config.regression),
            }),
            None if r.outcome != Outcome::Skipped => others.push(&r.id),
            None => {}
        }
    }
    (passed, others)
}

/// The baseline to compare with: `--baseline`, else the workspace's when it has one; `None`
/// with `--no-baseline` or none to be found.
fn load_baseline(ws: Option<&Workspace>, args: &Args) -> Result<Option<baseline::Recorded>, Error> {
    if args.no_baseline {
        return Ok(None);
    }
    let path = match (&args.baseline, ws) {
        (Some(p), _) => p.clone(),
        (None, Some(ws)) => {
            let default = ws.root.join(baseline::DEFAULT_PATH);
            if !default.is_file() {
                return Ok(None);
            }
            default
        }
        (None, None) => return Ok(None),
    };
    // Outside a workspace there are no members to check the baseline against.
    let members: Vec<String> = ws
        .map(|ws| ws.packages.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    Ok(Some(baseline::read_references(&path, &members)?))
}

/// Compares the run with the recorded baseline. `now` is this run's contract; `None` when
/// unknown (JUnit files from elsewhere).
fn compare_with_baseline(
    recorded: baseline::Recorded,
    config: &Config,
    now: Option<&contract::Contract>,
    (passed, not_passed): (Vec<Current<'_>>, Vec<&TestId>),
    // For a real run: the tests that exist, the binaries nextest listed, the workspace's binaries.
    inventory: Option<(
        &HashSet<TestId>,
        &std::collections::BTreeSet<String>,
        &HashSet<String>,
    )>,
) -> Comparison {
    let differences = match now {
        Some(now) => recorded.contract.differences(now),
        None => vec![
            "the JUnit files' measurement contract is unknown (judged with --from, not run here)"
                .into(),
        ],
    };
    let mut comparison = compare::compare(compare::Inputs {
        baseline: recorded.references,
        current: passed,
        not_passed,
        existing: inventory.map(|(known, ..)| known),
        thresholds: config.regression,
        differences,
        baseline_commit: recorded.commit,
        baseline_created: recorded.created,
        peaks: recorded.peaks,
        cpu_ms: recorded.cpu_ms,
    });
    // A baseline test is removed only if its binary was listed without it, or is gone from the
    // workspace: binaries outside the selection (filters, -p, a member directory) say nothing.
    if let Some((_, listed, in_workspace)) = inventory {
        comparison
            .removed
            .retain(|id| listed.contains(&id.binary_id) || !in_workspace.contains(&id.binary_id));
    }
    comparison
}

fn meta_for(
    verdict: &Verdict,
    settings: &Settings,
    nextest_version: Option<String>,
    junit_files: Vec<String>,
) -> Meta {
    let worst = crate::policy::enforce::worst(&verdict.findings).and_then(|f| f.test.as_ref());
    Meta {
        nextest_version,
        reproduce: worst
            .map(|id| pipeline::reproduce(id, settings.manifest_path.as_deref(), false)),
        exit_code: exit::for_status(verdict.status),
        junit_files,
        list_tests: settings.verbosity > 0,
        roots: None,
        property_env: Vec::new(),
        width: settings.ui.stdout_width(),
    }
}
