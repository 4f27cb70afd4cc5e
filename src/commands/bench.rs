//! `cargo budget bench`: run the criterion benches (or read results that exist), compare them
//! with the bench baseline, render the verdict, and record a new baseline when asked.

use std::path::{Path, PathBuf};

use crate::baseline::BaselineError;
use crate::baseline::bench::{BENCH_BASELINE, BenchBaseline};
use crate::collect::benches;
use crate::criterion::BenchSelection;
use crate::error::Error;
use crate::model::{BenchContract, BenchResult};
use crate::policy::bench as policy;
use crate::report::{Meta, bench as render};
use crate::session::Session;
use crate::settings::Settings;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub out: super::ReportArgs,
    /// Judge results that exist instead of running benches: a criterion directory
    /// (`target/criterion`) or a hyperfine `--export-json` file
    #[arg(long, value_name = "PATH", num_args = 1.., conflicts_with_all = ["package", "benches", "harness_args"], help_heading = "Measurement")]
    pub from: Vec<PathBuf>,
    /// Record the results as the bench baseline (compared with the old one first, if any)
    #[arg(long, help_heading = "Baseline")]
    pub save_baseline: bool,
    /// Run the benches N times (with --save-baseline: 3 records how far each moves between
    /// runs, which keeps later comparisons from warning on that; when comparing, the mean of
    /// N runs moves less than one run, which narrows the interval)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20), conflicts_with = "from", help_heading = "Measurement")]
    pub runs: u32,
    /// Also count each benchmark's instructions under Valgrind, after each timed run: its
    /// routine run once in criterion's test mode, one process per benchmark (exact, so judged
    /// by `[regression] instructions`; a capability with `instructions` counts its own anyway)
    #[arg(long, conflicts_with = "from", help_heading = "Measurement")]
    pub instructions: bool,
    /// Require a baseline to compare with (an error without one)
    #[arg(long, conflicts_with = "no_baseline", help_heading = "Baseline")]
    pub compare: bool,
    /// The bench baseline [default: <workspace root>/.budget/bench-baseline.json]
    #[arg(long, value_name = "PATH", help_heading = "Baseline")]
    pub baseline: Option<PathBuf>,
    /// Read the baseline as committed at REF (e.g. origin/main), not the working copy
    #[arg(
        long,
        value_name = "REF",
        conflicts_with = "no_baseline",
        help_heading = "Baseline"
    )]
    pub baseline_ref: Option<String>,
    /// Do not compare with a baseline
    #[arg(long, help_heading = "Baseline")]
    pub no_baseline: bool,
    /// Store the benchmarks' estimates against HEAD in the history (git notes)
    #[arg(long, help_heading = "History")]
    pub record: bool,
    /// Package to benchmark (repeatable)
    #[arg(long, short = 'p', value_name = "SPEC", help_heading = "Selection")]
    pub package: Vec<String>,
    /// Bench target to run (repeatable) [default: every bench target]
    #[arg(long = "bench", value_name = "NAME", help_heading = "Selection")]
    pub benches: Vec<String>,
    /// Features to activate
    #[arg(long, short = 'F', value_name = "FEATURES", help_heading = "Selection")]
    pub features: Vec<String>,
    /// Activate all features
    #[arg(long, help_heading = "Selection")]
    pub all_features: bool,
    /// Build with this cargo profile [default: bench]
    #[arg(long = "profile", value_name = "NAME", help_heading = "Selection")]
    pub cargo_profile: Option<String>,
    /// Arguments for the bench binaries (a filter, criterion's options)
    #[arg(last = true, value_name = "ARGS")]
    pub harness_args: Vec<String>,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let session = Session::open(settings, args.out.mode)?;
    let (ui, ws) = (session.ui(), &session.ws);
    super::check_packages(ws, &args.package)?;
    // Where the run will be recorded, checked before minutes of benchmarks.
    let history = args
        .record
        .then(|| super::record::ready(settings))
        .transpose()?;
    let path = args
        .baseline
        .clone()
        .unwrap_or_else(|| ws.root.join(BENCH_BASELINE));
    if args.save_baseline {
        // Refused before minutes of benchmarks, and again where it is written.
        crate::fsutil::refuse_leaving(&path, &crate::git::checkout(&ws.root), "--baseline")?;
    }
    // Read first: a bad baseline fails before minutes of benchmarks, and it says how many
    // benchmarks each target has (for the progress).
    let baseline = load_baseline(ui, args, &path)?;
    let measured = measure(&session, args, baseline.as_ref().map(|(b, _)| b))?;
    let peaks = super::peaks::capability_peaks(&session, !args.from.is_empty())?;
    let contract = measured.contract.clone();
    let evidence = measured.evidence(ws, peaks);
    let baseline = baseline.map(|(b, source)| b.recorded(source));
    let verdict = policy::assess(&session.terms(), evidence, baseline);
    let meta = Meta {
        exit_code: crate::exit::for_status(verdict.status),
        ..Meta::default()
    };
    args.out.show(
        ui,
        &|format, w| render::render(format, &verdict, &meta, w),
        &render::headline(&verdict, meta.exit_code),
    )?;
    if args.save_baseline {
        let results = verdict.benches.as_ref().map(|b| b.results.as_slice());
        save(ui, ws, &path, results.unwrap_or_default(), contract)?;
    }
    if let Some(dir) = history {
        return record(ui, &dir, &verdict, meta.exit_code);
    }
    Ok(meta.exit_code)
}

/// The benchmarks run here as selected, or the results of `--from`.
fn measure(
    session: &Session<'_>,
    args: &Args,
    baseline: Option<&BenchBaseline>,
) -> Result<benches::Measured, Error> {
    if !args.from.is_empty() {
        return benches::files(&args.from);
    }
    let known = match (baseline, args.harness_args.is_empty()) {
        (Some(b), true) => benches::per_target(&b.benchmarks),
        _ => Default::default(),
    };
    let sel = BenchSelection {
        manifest_path: session.settings.manifest_path.clone(),
        packages: args.package.clone(),
        benches: args.benches.clone(),
        features: args.features.clone(),
        all_features: args.all_features,
        cargo_profile: args.cargo_profile.clone(),
        harness_args: args.harness_args.clone(),
    };
    // A baseline counts each benchmark twice at least: a count that moves is nondeterministic.
    let per_run = match args.save_baseline && args.runs < 2 {
        true => 2,
        false => 1,
    };
    let counted = crate::collect::CountSelection::of(
        args.instructions,
        &session.config.capabilities,
        per_run,
    );
    benches::run(session, &sel, args.runs, known, &counted)
}

/// Appends the benchmarks' estimates and the findings by kind to the history; the verdict's
/// `exit_code` wins over a failed record.
fn record(
    ui: &crate::ui::Ui,
    dir: &Path,
    verdict: &crate::policy::Verdict,
    exit_code: i32,
) -> Result<i32, Error> {
    let record = crate::history::HistoryRecord::of_benches(verdict, super::record::now());
    super::record::record_after(ui, dir, record, exit_code)
}

/// Records `results` as the bench baseline at `path`.
fn save(
    ui: &crate::ui::Ui,
    ws: &Workspace,
    path: &Path,
    results: &[BenchResult],
    contract: BenchContract,
) -> Result<(), Error> {
    let now = super::record::now();
    let commit = crate::git::head_commit(&ws.root);
    let recorded = BenchBaseline::new(now, commit, contract, results.to_vec());
    crate::fsutil::refuse_leaving(path, &crate::git::checkout(&ws.root), "--baseline")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("failed to create `{}`", dir.display()),
            source,
        })?;
    }
    crate::fsutil::write_atomic(path, recorded.to_json().as_bytes())?;
    ui.note(
        "Recorded",
        &format!(
            "{} in {}",
            crate::text::count(results.len(), "benchmark"),
            path.display()
        ),
    );
    Ok(())
}

/// The baseline to compare with, and how to name it: from git at `--baseline-ref`, else the
/// file when it exists. `--compare` makes a missing one an error.
fn load_baseline(
    ui: &crate::ui::Ui,
    args: &Args,
    path: &Path,
) -> Result<Option<(BenchBaseline, String)>, Error> {
    if args.no_baseline {
        return Ok(None);
    }
    if let Some(r) = &args.baseline_ref {
        refuse_option_like(r)?;
        let b = BenchBaseline::read_at(path, r)?;
        return Ok(Some((b, format!("{r}:{}", path.display()))));
    }
    if path.exists() {
        return match BenchBaseline::read(path) {
            Ok(b) => Ok(Some((b, path.display().to_string()))),
            // Saving is how a corrupt baseline is mended: it is replaced, not compared.
            Err(e @ (BaselineError::Corrupt { .. } | BaselineError::Foreign { .. }))
                if args.save_baseline && !args.compare =>
            {
                let e = e.to_string();
                let why = e.lines().next().unwrap_or_default();
                ui.warn(&format!(
                    "{why}\n  this run is not compared with it; --save-baseline replaces it"
                ));
                Ok(None)
            }
            Err(e) => Err(e.into()),
        };
    }
    if args.compare {
        return Err(Error::Usage(format!(
            "no bench baseline at `{}`: record one with `cargo budget bench --save-baseline`",
            path.display()
        )));
    }
    Ok(None)
}

/// A ref that starts with `-` is no ref or revision git accepts, and on a command line it
/// would be an option (`--output=FILE` writes a file): refused before anything runs. (The
/// baseline is read through git2, so it could not be one anyway.)
fn refuse_option_like(git_ref: &str) -> Result<(), Error> {
    match git_ref.starts_with('-') {
        true => Err(Error::Usage(format!(
            "--baseline-ref `{}` starts with `-`: no git ref does, and git would take it for \
             an option; name a branch, tag or commit",
            crate::text::shown(git_ref)
        ))),
        false => Ok(()),
    }
}
