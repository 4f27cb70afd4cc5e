//! `cargo budget hook-install`: install (or `--uninstall`) the pre-commit hook.

use crate::error::Error;
use crate::exit;
use crate::git::hooks::{self, Installed};
use crate::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Remove the hook and put back whatever was there before
    #[arg(long)]
    pub uninstall: bool,
    /// Install even into a core.hooksPath shared by every repository (settings or system config)
    #[arg(long)]
    pub force: bool,
}

pub fn exec(settings: &Settings, args: &Args) -> Result<i32, Error> {
    let ui = &settings.ui;
    let cwd = settings.cwd.clone();
    let dir = hooks::hooks_dir(&cwd)?;
    if args.uninstall {
        match hooks::uninstall(&dir)? {
            Some(path) => ui.note("Removed", &path.display().to_string()),
            None => ui.note(
                "Nothing",
                &format!("no cargo-budget hook in {}", dir.path.display()),
            ),
        }
        if dir.path.join(hooks::HOOK).exists() {
            ui.note(
                "Restored",
                &dir.path.join(hooks::HOOK).display().to_string(),
            );
        }
        return Ok(exit::SUCCESS);
    }
    let me = std::env::current_exe().map_err(|source| Error::Io {
        what: "failed to find the cargo-budget executable".into(),
        source,
    })?;
    let (path, outcome) = hooks::install(&dir, &me, args.force)?;
    let shown = path.display().to_string();
    match outcome {
        Installed::Fresh => ui.note("Installed", &shown),
        Installed::Chained => {
            ui.note("Installed", &shown);
            ui.note(
                "Chained",
                &format!(
                    "the existing hook, now {}, runs first",
                    dir.path.join(hooks::LEGACY).display()
                ),
            );
        }
        Installed::Updated => ui.note("Updated", &shown),
        Installed::UpToDate => ui.note("Up to date", &shown),
    }
    Ok(exit::SUCCESS)
}
