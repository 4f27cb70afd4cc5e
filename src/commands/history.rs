//! `cargo budget history`: the runs recorded in git notes on HEAD and its ancestors, as the
//! kaizen table (violations per tier over time) or JSON.

use std::path::PathBuf;

use crate::error::Error;
use crate::history::store;
use crate::settings::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The most recent commits with recorded runs to show
    #[arg(long, short = 'n', value_name = "N", default_value_t = 30)]
    pub commits: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Write to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let dir = super::record::repository_dir(settings);
    let (history, problems) = store::read(&dir, args.commits)?;
    for p in &problems {
        ui.warn(p);
    }
    let written = super::Written {
        styled: false,
        what: "history",
    };
    super::emit(
        ui,
        written,
        args.output.as_deref(),
        &|w| match args.format {
            ListFormat::Human => crate::report::history::human(&history, w),
            ListFormat::Json => crate::report::history::json(&history, w),
        },
    )?;
    Ok(crate::exit::SUCCESS)
}
