//! One module per subcommand; the only code that combines the layers and performs I/O.

pub mod init;
pub mod report;

use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::config::{self, Context, Loaded};
use crate::error::Error;
use crate::ui::Ui;

/// The context: `--mode`, else `ci` when `CI` is set (and not "false"/"0"), else `dev`.
pub fn resolve_context(mode: Option<Context>) -> Context {
    mode.unwrap_or_else(|| {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        if ci { Context::Ci } else { Context::Dev }
    })
}

/// Loads `--config PATH` (which must exist) or `<root>/budget.toml` (defaults when absent),
/// printing unknown-key warnings.
pub fn load_config(global: &GlobalArgs, root: &std::path::Path, ui: &Ui) -> Result<Loaded, Error> {
    let loaded = match &global.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|source| config::ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
            config::parse(&text, path)?
        }
        None => {
            let path: PathBuf = root.join(config::FILE_NAME);
            config::load_or_default(&path)?
        }
    };
    for w in &loaded.warnings {
        ui.warn(w);
    }
    Ok(loaded)
}

/// `-p NAME` must name a workspace member; cargo would otherwise fail later with a build error.
pub fn check_packages(ws: &crate::workspace::Workspace, specs: &[String]) -> Result<(), Error> {
    let names: Vec<&str> = ws.packages.iter().map(|p| p.name.as_str()).collect();
    for spec in specs {
        // `name@version` and `name:version` specs name the package first; URLs are left to cargo.
        if spec.contains('/') {
            continue;
        }
        let name = spec.split(['@', ':']).next().unwrap_or(spec);
        if !names.contains(&name) {
            return Err(Error::Usage(format!(
                "package `{spec}` is not a member of the workspace (members: {})",
                names.join(", ")
            )));
        }
    }
    Ok(())
}
