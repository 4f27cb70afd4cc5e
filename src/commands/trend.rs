//! `cargo budget trend [TEST] [--tier T]`: each test's recent recorded runs, judged for drift,
//! timing flakiness and headroom (warnings: a trend informs, it does not fail a build).

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::Error;
use crate::history::{series, store};
use crate::model::TestId;
use crate::policy::trend::{self, TrendSettings};
use crate::report::trend::TrendReport;
use crate::settings::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TrendFormat {
    Human,
    Json,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One test: `<binary-id> <name>` as nextest prints it, or a part of its name
    pub test: Option<String>,
    /// Only the tests of this tier
    #[arg(long, value_name = "TIER")]
    pub tier: Option<String>,
    /// Recorded runs looked at per test [default: [trend] window, 20]
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub window: Option<u32>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TrendFormat::Human)]
    pub format: TrendFormat,
    /// Write to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Commits read: enough for any window, with several runs on some commits.
const COMMITS_READ: usize = 1000;

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let dir = super::record::repository_dir(settings);
    let ws = crate::workspace::Workspace::load(settings.manifest_path.as_deref()).ok();
    let config = match &ws {
        Some(ws) => crate::session::load_config(settings, &ws.root)?,
        None => crate::config::defaults(),
    };
    let (history, problems) = store::read(&dir, COMMITS_READ)?;
    for p in &problems {
        ui.warn(p);
    }
    let mut all = series::series(&history);
    if let Some(tier) = &args.tier {
        all.retain(|s| &s.tier == tier);
    }
    if let Some(t) = &args.test {
        all.retain(|s| &s.test.to_string() == t || s.test.name.contains(t.as_str()));
        if all.is_empty() {
            return Err(Error::Usage(format!(
                "no recorded test matches `{}` (give `<binary-id> <name>` or part of a name)",
                crate::text::shown(t)
            )));
        }
    }
    let window = args.window.map_or(config.trend.window, |w| w as usize);
    let s = TrendSettings {
        window,
        warn: config.regression.warn,
        flaky: config.trend.flaky,
        headroom: config.trend.headroom,
        noise_floor_ms: config.regression.noise_floor.as_secs_f64() * 1000.0,
    };
    let (trends, findings) = trend::analyze(&all, s);
    let baselines = baseline_medians(ws.as_ref(), ui, &trends);
    let report = TrendReport {
        trends: &trends,
        findings: &findings,
        commits: history.len(),
        window,
        focus: args.test.is_some(),
        baselines: &baselines,
    };
    let written = super::Written {
        styled: false,
        what: "trend",
    };
    super::emit(
        ui,
        written,
        args.output.as_deref(),
        &|w| match args.format {
            TrendFormat::Human => crate::report::trend::human(&report, w),
            TrendFormat::Json => crate::report::trend::json(&report, w),
            TrendFormat::Html => crate::report::html::trend(&report, w),
        },
    )?;
    Ok(crate::exit::SUCCESS)
}

/// Each analysed test's median in the workspace's baseline, when it has one (a baseline that
/// cannot be read is said, and the charts go without it).
fn baseline_medians(
    ws: Option<&crate::workspace::Workspace>,
    ui: &crate::ui::Ui,
    trends: &[trend::TestTrend],
) -> HashMap<TestId, f64> {
    let Some(path) = ws
        .map(|w| w.root.join(crate::baseline::DEFAULT_PATH))
        .filter(|p| p.exists())
    else {
        return HashMap::new();
    };
    match crate::baseline::read_references(&path, &[]) {
        Ok(recorded) => trends
            .iter()
            .filter_map(|t| {
                let spread = recorded.references.get(&t.test)??;
                Some((t.test.clone(), spread.median.as_secs_f64() * 1000.0))
            })
            .collect(),
        Err(e) => {
            ui.warn(&format!("the baseline is not shown: {e}"));
            HashMap::new()
        }
    }
}
