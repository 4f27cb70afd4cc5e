//! `cargo budget bench`: run the criterion benches (or read results that exist), compare them
//! with the bench baseline, render the verdict, and record a new baseline when asked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::baseline::BaselineError;
use crate::baseline::bench::{BENCH_BASELINE, BenchBaseline};
use crate::criterion::{self, BenchSelection};
use crate::error::Error;
use crate::model::{BenchContract, BenchResult};
use crate::policy::bench::{self as policy, BaselineInfo, BenchInputs};
use crate::report::bench::{self as render, BenchMeta};
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

/// Results, where they came from, and the contract they were measured under.
struct Measured {
    results: Vec<BenchResult>,
    not_measured: Vec<crate::model::NotMeasured>,
    failed: Vec<crate::model::NotMeasured>,
    contract: BenchContract,
    /// Bench target id → its source file.
    sources: Vec<(String, PathBuf)>,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let session = crate::session::Session::open(settings, args.out.mode)?;
    let (ui, context, ws, config) = (&settings.ui, session.context, &session.ws, &session.config);
    super::check_packages(ws, &args.package)?;
    // Where the run will be recorded, checked before minutes of benchmarks.
    let history = match args.record {
        true => Some(super::record::ready(settings)?),
        false => None,
    };
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
    let measured = match args.from.is_empty() {
        true => {
            let known = match (&baseline, args.harness_args.is_empty()) {
                (Some((b, _)), true) => per_target(&b.benchmarks),
                _ => Default::default(),
            };
            run(settings, args, ws, known)?
        }
        false => from_files(&args.from)?,
    };
    let (comparison, info) = match baseline {
        Some((b, source)) => {
            let differences = b.contract.differences(&measured.contract);
            let c = policy::compare(&b.benchmarks, &measured.results, config, differences);
            let info = BaselineInfo {
                source,
                commit: b.commit,
                created: b.created,
            };
            (Some(c), Some(info))
        }
        None => (None, None),
    };
    if args.save_baseline {
        save(ui, ws, &path, &measured)?;
    }
    let peaks = super::peaks::capability_peaks(&session, !args.from.is_empty())?;
    let locations = locate(ws, &measured);
    let verdict = policy::judge(
        config,
        context,
        BenchInputs {
            results: measured.results,
            not_measured: measured.not_measured,
            failed: measured.failed,
            comparison,
            baseline: info,
            peaks,
        },
    );
    let meta = BenchMeta {
        exit_code: crate::exit::for_status(verdict.status),
        locations,
    };
    args.out.show(
        ui,
        &|format, w| render::render(format, &verdict, &meta, w),
        &render::headline(&verdict, meta.exit_code),
    )?;
    if let Some(dir) = history {
        return record(ui, &dir, &verdict, meta.exit_code);
    }
    Ok(meta.exit_code)
}

/// Appends the benchmarks' estimates and the findings by kind to the history; the verdict's
/// `exit_code` wins over a failed record.
fn record(
    ui: &crate::ui::Ui,
    dir: &Path,
    verdict: &policy::BenchVerdict,
    exit_code: i32,
) -> Result<i32, Error> {
    let mut kinds = BTreeMap::new();
    for f in &verdict.findings {
        *kinds.entry(f.kind.as_str().to_string()).or_default() += 1;
    }
    let record = crate::history::HistoryRecord::of_benches(
        &verdict.results,
        kinds,
        verdict.context.as_str(),
        super::record::now(),
    );
    super::record::record_after(ui, dir, record, exit_code)
}

/// Records `measured` as the bench baseline at `path`.
fn save(ui: &crate::ui::Ui, ws: &Workspace, path: &Path, measured: &Measured) -> Result<(), Error> {
    let now = super::record::now();
    let commit = crate::git::head_commit(&ws.root);
    let recorded = BenchBaseline::new(
        now,
        commit,
        measured.contract.clone(),
        measured.results.clone(),
    );
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
            crate::text::count(measured.results.len(), "benchmark"),
            path.display()
        ),
    );
    Ok(())
}

/// Builds and runs the selected bench targets, one at a time.
fn run(
    settings: &Settings,
    args: &Args,
    ws: &Workspace,
    known: BTreeMap<String, usize>,
) -> Result<Measured, Error> {
    let ui = &settings.ui;
    let sel = BenchSelection {
        manifest_path: settings.manifest_path.clone(),
        packages: args.package.clone(),
        benches: args.benches.clone(),
        features: args.features.clone(),
        all_features: args.all_features,
        cargo_profile: args.cargo_profile.clone(),
        harness_args: args.harness_args.clone(),
    };
    let targets = criterion::targets(ws, &sel);
    if targets.is_empty() {
        return Err(Error::Usage(format!(
            "no bench targets to run in {}{}",
            ws.root.display(),
            match args.benches.is_empty() && args.package.is_empty() {
                true => " (add a `benches/` file with criterion)".to_string(),
                false => " matching the selection".to_string(),
            }
        )));
    }
    let mut known = known;
    let mut all = Vec::new();
    let mut ran = criterion::Ran::default();
    for k in 1..=args.runs {
        if args.runs > 1 {
            ui.note("Measuring", &format!("run {k} of {}", args.runs));
        }
        let progress = ui.bench_progress(settings.ci);
        let watch = Watch {
            progress: &progress,
            known: &known,
        };
        let result = criterion::run(ws, &settings.cwd, &sel, &targets, &watch);
        progress.finish();
        ran = result?;
        if crate::interrupt::requested() {
            return Err(Error::Interrupted);
        }
        known = per_target(&ran.results);
        all.push(std::mem::take(&mut ran.results));
    }
    ran.results = policy::runs::combine(all);
    if ran.results.is_empty() && ran.failed.is_empty() {
        let why: Vec<String> = ran
            .not_measured
            .iter()
            .map(|n| format!("{}: {}", n.target, n.reason))
            .collect();
        return Err(Error::Usage(format!(
            "no criterion results: looked for `*/new/benchmark.json` written during the run \
             under `{}`\n  {}",
            criterion::criterion_dir(ws).display(),
            why.join("\n  ")
        )));
    }
    Ok(Measured {
        results: ran.results,
        not_measured: ran.not_measured,
        failed: ran.failed,
        contract: crate::collect::contract::bench_current(
            &settings.cwd,
            &ws.root,
            args.cargo_profile.as_deref(),
        ),
        sources: targets
            .iter()
            .map(|t| (t.id(), t.src_path.clone()))
            .collect(),
    })
}

/// How many benchmarks each bench target has, from results that name their target.
fn per_target(results: &[BenchResult]) -> BTreeMap<String, usize> {
    let mut n = BTreeMap::new();
    for target in results.iter().filter_map(|r| r.target.clone()) {
        *n.entry(target).or_insert(0) += 1;
    }
    n
}

/// Passes what a benchmark run does to the progress display.
struct Watch<'a> {
    progress: &'a crate::ui::progress::BenchProgress,
    /// Benchmarks per target, when known.
    known: &'a BTreeMap<String, usize>,
}

impl criterion::watch::Observer for Watch<'_> {
    fn target(&self, k: usize, n: usize, target: &criterion::BenchTarget, command: &str) {
        let id = target.id();
        let expected = self.known.get(&id).copied();
        self.progress.target(&id, k, n, expected, command);
    }

    fn benchmark(&self, id: &str) {
        self.progress.benchmark(id);
    }

    fn line(&self, line: &str, phase: bool) {
        self.progress.output(line, phase);
    }
}

/// Results measured elsewhere: criterion directories and hyperfine exports. Their contract is
/// unknown. A benchmark in two of them is an error naming both, never one of them kept.
fn from_files(paths: &[PathBuf]) -> Result<Measured, Error> {
    let mut results = Vec::new();
    let mut sources: BTreeMap<String, &Path> = BTreeMap::new();
    for path in paths {
        let found = match path.is_dir() {
            true => criterion::read::read_all(path, None),
            false => criterion::hyperfine::read(path),
        }
        .map_err(criterion::BenchError::from)?;
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "no benchmark results in `{}` (looked for criterion's `*/new/benchmark.json`)",
                path.display()
            )));
        }
        for r in &found {
            if let Some(first) = sources.insert(r.id.clone(), path) {
                return Err(
                    criterion::BenchError::from(criterion::CriterionError::Duplicate {
                        id: r.id.clone(),
                        first: format!("`{}`", first.display()),
                        second: format!("`{}`", path.display()),
                    })
                    .into(),
                );
            }
        }
        results.extend(found);
    }
    results.sort_by(|a, b| a.id.cmp(&b.id));
    let unknown = crate::model::contract::unknown;
    Ok(Measured {
        results,
        not_measured: Vec::new(),
        failed: Vec::new(),
        contract: BenchContract {
            rustc: unknown(),
            target: unknown(),
            cpus: 0,
            cpu: unknown(),
            profile: unknown(),
            rustflags: unknown(),
            criterion: unknown(),
        },
        sources: Vec::new(),
    })
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

/// Where each benchmark is defined: its target's source file (relative to the repository),
/// at the first line naming it in a string literal.
fn locate(
    ws: &Workspace,
    measured: &Measured,
) -> std::collections::BTreeMap<String, (PathBuf, usize)> {
    let roots = super::annotation_roots(&ws.root);
    let mut out = std::collections::BTreeMap::new();
    for r in &measured.results {
        let Some(src) = r
            .target
            .as_ref()
            .and_then(|t| measured.sources.iter().find(|(id, _)| id == t))
            .map(|(_, src)| src)
        else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(src) else {
            continue;
        };
        let names = [Some(&r.id), r.function.as_ref(), Some(&r.group)];
        let line = names.into_iter().flatten().find_map(|name| {
            let literal = format!("\"{name}\"");
            text.lines().position(|l| l.contains(&literal))
        });
        if let Some(line) = line {
            let file = src.strip_prefix(&ws.root).unwrap_or(src);
            out.insert(r.id.clone(), (roots.from_repository(file), line + 1));
        }
    }
    out
}
