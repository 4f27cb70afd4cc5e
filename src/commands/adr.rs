//! `cargo budget adr new "Title"`: a new ADR for a budget decision (raising a tier budget is one).

use crate::error::Error;
use crate::reclassify::adr::{self, Adr};
use crate::settings::Settings;
use crate::workspace::Workspace;
use crate::{exit, fsutil};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: AdrCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum AdrCommand {
    /// Write docs/adr/NNNN-<title>.md from the MADR template
    New {
        /// The decision, e.g. "Raise the unit budget to 2s"
        #[arg(value_parser = title)]
        title: String,
    },
}

/// An ADR title heads the record and names its file: one line with some text.
fn title(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("the title must not be empty: say what was decided".into());
    }
    if text.chars().any(char::is_control) {
        return Err("the title must be one line without control characters".into());
    }
    Ok(text.trim().to_string())
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let AdrCommand::New { title } = &args.command;
    let ws = Workspace::load(settings.manifest_path.as_deref())?;
    let owner = adr::owner(&ws.root);
    let (path, text) = adr::render(
        &ws.root,
        &Adr {
            title,
            status: "proposed",
            date: jiff::Zoned::now().date().to_string(),
            owner: &owner,
            context: "What forces this decision: the tests, their measured durations, the budgets involved.".into(),
            decision: "What was decided (the new budget, tier or exception, and until when).".into(),
            consequences: "What becomes easier or harder, and when this is revisited.".into(),
        },
    );
    let abs = ws.root.join(&path);
    if let Some(dir) = abs.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("failed to create `{}`", dir.display()),
            source,
        })?;
    }
    fsutil::write_atomic(&abs, text.as_bytes())?;
    ui.note("Created", &path.display().to_string());
    Ok(exit::SUCCESS)
}
