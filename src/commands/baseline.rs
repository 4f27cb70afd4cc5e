//! `cargo budget baseline`: measure the suite (N runs) and record what it saw in
//! `.budget/baseline.json`, then summarise it per tier.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::SelectionArgs;
use crate::baseline::{self, Baseline, Entry, WorkspaceId};
use crate::config::Context;
use crate::error::Error;
use crate::model::Outcome;
use crate::pipeline;
use crate::report::{self, Format, Meta};
use crate::settings::Settings;
use crate::workspace::Workspace;
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

/// Rounded to the millisecond (JUnit's precision; the median of two runs can have a half).
fn ms(d: std::time::Duration) -> u64 {
    (d.as_secs_f64() * 1000.0).round() as u64
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let ws = Workspace::load(settings.manifest_path.as_deref())?;
    let config = super::load_config(settings, &ws.root, ui)?.config;
    super::check_packages(&ws, &args.selection.package)?;
    let cwd = settings.cwd.clone();
    // The progress bar is the status; nextest shows only failures.
    let (measured, ran) = super::measure(
        settings,
        ui,
        &ws,
        &config,
        &super::Measure {
            selection: args.selection.selection(settings),
            quiet: settings.verbosity <= 0,
            runs: args.runs,
            cwd: &cwd,
            env_remove: &[],
            context: settings.context(None),
        },
    )?;

    let tiers: BTreeMap<_, _> = measured
        .classified
        .iter()
        .map(|c| (c.id.clone(), c.placement.tier.clone()))
        .collect();
    let mut tests = BTreeMap::new();
    for r in measured
        .run
        .results
        .iter()
        .filter(|r| r.outcome != Outcome::Skipped)
    {
        let Some(tier) = tiers.get(&r.id) else {
            continue;
        };
        let stats = measured.stats.get(&r.id);
        // Only a test that passed in every run becomes a reference time.
        let clean = stats.filter(|_| r.outcome == Outcome::Passed);
        tests.insert(
            r.id.to_string(),
            Entry {
                tier: tier.clone(),
                runs: stats.map_or(0, |s| s.runs()),
                min_ms: clean.map(|s| ms(s.min)),
                median_ms: clean.map(|s| ms(s.median)),
                max_ms: clean.map(|s| ms(s.max)),
                outcome: r.outcome.as_str().to_string(),
                samples_ms: clean.map(|s| s.samples.iter().map(|d| ms(*d)).collect()),
            },
        );
    }
    let mut members: Vec<String> = ws.packages.iter().map(|p| p.name.clone()).collect();
    members.sort();
    let recorded = Baseline {
        schema: baseline::SCHEMA,
        tool: format!("cargo-budget {}", env!("CARGO_PKG_VERSION")),
        created: jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .map_or_else(|_| String::new(), |t| t.to_string()),
        commit: crate::git::head_commit(&ws.root),
        workspace: WorkspaceId { members },
        contract: measured.contract.clone(),
        runs: ran.conditions,
        tests,
    };
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| ws.root.join(baseline::DEFAULT_PATH));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("failed to create `{}`", dir.display()),
            source,
        })?;
    }
    fsutil::write_atomic(&path, recorded.to_json().as_bytes())?;

    let failed = measured
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
    let verdict = pipeline::judge(
        &config,
        Context::Dev,
        measured.classified,
        measured.run,
        None,
        None,
    );
    let meta = Meta {
        nextest_version: Some(ran.nextest_version),
        exit_code: exit::SUCCESS,
        ..Meta::default()
    };
    let shown = path
        .strip_prefix(&cwd)
        .unwrap_or(&path)
        .display()
        .to_string();
    let summary = baseline_summary(&verdict, &recorded, &shown, config.regression);
    let mut out = ui.stdout();
    use std::io::Write;
    let written = match args.format {
        Format::Human => out.write_all(summary.as_bytes()),
        other => report::render(other, &verdict, &meta, &mut out),
    };
    written.map_err(|source| Error::Io {
        what: "failed to write the summary".into(),
        source,
    })?;
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
    ui.note("Recorded", &shown);
    Ok(exit::SUCCESS)
}

/// `Unit tests: 856 — within 1s budget: 723 (84.5%), violations: 133 (15.5%)` per tier, the
/// slowest tests, and the tests too noisy to gate on.
fn baseline_summary(
    verdict: &crate::policy::Verdict,
    recorded: &Baseline,
    path: &str,
    t: crate::config::Regression,
) -> String {
    let pct = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            n as f64 * 100.0 / of as f64
        }
    };
    let mut out = format!(
        "Baseline {path}: {}, {} each{}\n",
        crate::text::count(recorded.tests.len(), "test"),
        crate::text::count(recorded.contract.runs as usize, "run"),
        recorded
            .commit
            .as_deref()
            .map(|c| format!(", commit {}", &c[..c.len().min(10)]))
            .unwrap_or_default()
    );
    for t in &verdict.tiers {
        let mut name = t.tier.clone();
        if let Some(first) = name.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        out.push_str(&format!(
            "{name} tests: {} — within {} budget: {} ({:.1}%), violations: {} ({:.1}%)\n",
            t.tests,
            crate::config::units::format_budget(t.budget),
            t.within,
            pct(t.within, t.tests),
            t.violations,
            pct(t.violations, t.tests),
        ));
    }
    let mut slowest: Vec<_> = verdict
        .tests
        .iter()
        .filter(|t| t.outcome.is_pass())
        .filter_map(|t| Some((t, t.duration?)))
        .collect();
    slowest.sort_by(|(a, ad), (b, bd)| bd.cmp(ad).then(a.id.cmp(&b.id)));
    if !slowest.is_empty() {
        out.push_str("Slowest:\n");
        for (t, duration) in slowest.iter().take(5) {
            out.push_str(&format!(
                "  {:>9}  {} ({}, {} budget)\n",
                format!("{:.3}s", duration.as_secs_f64()),
                t.id,
                t.placement.tier,
                crate::config::units::format_budget(t.placement.budget)
            ));
        }
    }
    let noisy = recorded.references().noisy(t.fail, t.noise_floor);
    if !noisy.is_empty() {
        out.push_str(&format!(
            "Noisy: {} spread wider than the {:.0}% fail threshold between runs (their own runs, or their binary's tests' typical spread); compared, never failed:\n",
            crate::text::count(noisy.len(), "test"),
            t.fail * 100.0
        ));
        for (id, s, width) in noisy.iter().take(5) {
            out.push_str(&format!(
                "  {:>4.0}%  {:.3}s–{:.3}s  {id}\n",
                width * 100.0,
                s.min.as_secs_f64(),
                s.max.as_secs_f64()
            ));
        }
        if noisy.len() > 5 {
            out.push_str(&format!(
                "  … and {} more (in the baseline file)\n",
                noisy.len() - 5
            ));
        }
    }
    out
}
