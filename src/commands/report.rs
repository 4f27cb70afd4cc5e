//! `cargo budget report`: run the suite under budgets (or judge JUnit files with `--from`),
//! compare it with the baseline when there is one, and render the verdict.

use std::path::PathBuf;

use super::SelectionArgs;
use crate::baseline;
use crate::collect::{self, Ask};
use crate::error::Error;
use crate::exit;
use crate::history::HistoryRecord;
use crate::model::Contract;
use crate::policy::{self, Verdict};
use crate::report::{self, Format, Meta};
use crate::session::Session;
use crate::settings::Settings;
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
    // Where the run will be recorded, checked before minutes of tests.
    let history = args
        .record
        .then(|| super::record::ready(settings))
        .transpose()?;
    let judged = match args.from.is_empty() {
        true => run_and_judge(settings, args)?,
        false => judge_files(settings, args)?,
    };
    let Judged {
        verdict,
        meta,
        contract,
        junit,
    } = judged;
    args.out.show(
        &settings.ui,
        &|format, w| report::render(format, &verdict, &meta, w),
        &report::headline(&verdict),
    )?;
    if let (Some(copy), Some(junit)) = (&args.junit, junit) {
        std::fs::copy(&junit, copy).map_err(|source| Error::Io {
            what: format!("failed to copy the JUnit file to `{}`", copy.display()),
            source,
        })?;
    }
    if let Some(dir) = history {
        let record = HistoryRecord::of_verdict(&verdict, contract, super::record::now());
        return super::record::record_after(&settings.ui, &dir, record, meta.exit_code);
    }
    Ok(meta.exit_code)
}

/// A verdict and what goes with it: the report's facts, the contract the run was measured
/// under (unknown for files), and the run's JUnit file (for `--junit`).
struct Judged {
    verdict: Verdict,
    meta: Meta,
    contract: Option<Contract>,
    junit: Option<PathBuf>,
}

/// Runs the suite, compares it with the baseline, re-runs alone what needs confirming, and
/// judges.
fn run_and_judge(settings: &Settings, args: &Args) -> Result<Judged, Error> {
    let session = Session::open(settings, args.out.mode)?;
    super::check_packages(&session.ws, &args.selection.package)?;
    let baseline = load_baseline(Some(&session.ws), args)?;
    let ask = Ask {
        runs: args.runs,
        count_also: args.selection.count_also(),
        ..Ask::once(args.selection.selection(settings), settings.verbosity < 0)
    };
    let (evidence, ran) = collect::suite(&session, &ask)?;
    let contract = evidence.contract.clone();
    let terms = session.terms();
    let assessed = policy::assess(&terms, evidence, baseline);
    let reruns = super::rerun(&session, &ask, &assessed.plan)?;
    let verdict = policy::settle(&terms, assessed, reruns);
    if verdict.tests.is_empty() {
        session
            .ui()
            .warn("no tests ran: the filters, partition or package selection matched none");
    }
    let mut meta = meta_for(&verdict, settings, Some(ran.nextest_version), Vec::new());
    meta.roots =
        (args.out.format == Format::Github).then(|| super::annotation_roots(&session.root));
    meta.property_env = session.config.property_env(session.context);
    Ok(Judged {
        verdict,
        meta,
        contract: Some(contract),
        junit: Some(ran.junit_path),
    })
}

/// Judges JUnit files measured elsewhere: their contract is unknown, so nothing the comparison
/// finds is above a warning, nothing is re-run, and nextest is not asked for its version.
fn judge_files(settings: &Settings, args: &Args) -> Result<Judged, Error> {
    let session = Session::open_if_any(settings, args.out.mode)?;
    // The baseline is read beside the JUnit files: neither needs the other until they meet.
    let (evidence, baseline) = std::thread::scope(|scope| {
        let baseline = scope.spawn(|| load_baseline(session.ws.as_ref(), args));
        let evidence = collect::junit::files(&session.config, session.ws.as_ref(), &args.from);
        let baseline = baseline
            .join()
            .expect("reading the baseline does not panic");
        (evidence, baseline)
    });
    let (evidence, baseline) = (evidence?, baseline?);
    let terms = session.terms();
    let verdict = policy::settle(
        &terms,
        policy::assess(&terms, evidence, baseline),
        Default::default(),
    );
    let files = args.from.iter().map(|p| p.display().to_string()).collect();
    let mut meta = meta_for(&verdict, settings, None, files);
    meta.roots = session
        .ws
        .as_ref()
        .filter(|_| args.out.format == Format::Github)
        .map(|ws| super::annotation_roots(&ws.root));
    Ok(Judged {
        verdict,
        meta,
        contract: None,
        junit: None,
    })
}

/// The baseline to compare with: `--baseline`, else the workspace's when it has one; `None`
/// with `--no-baseline` or none to be found.
fn load_baseline(ws: Option<&Workspace>, args: &Args) -> Result<Option<policy::Recorded>, Error> {
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

fn meta_for(
    verdict: &Verdict,
    settings: &Settings,
    nextest_version: Option<String>,
    junit_files: Vec<String>,
) -> Meta {
    let worst = crate::policy::enforce::worst(&verdict.findings).and_then(|f| f.test.as_ref());
    Meta {
        nextest_version,
        reproduce: worst.map(|id| report::reproduce(id, settings.manifest_path.as_deref(), false)),
        exit_code: exit::for_status(verdict.status),
        junit_files,
        list_tests: settings.verbosity > 0,
        roots: None,
        property_env: Vec::new(),
        width: settings.ui.stdout_width(),
    }
}
