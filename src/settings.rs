//! What every subcommand needs resolved once from the global options and the environment:
//! manifest and config paths, the directory we run in, colour, verbosity and whether this is CI.

use std::path::PathBuf;

use crate::config::Context;
use crate::error::Error;
use crate::ui::{Color, Ui};

/// The global options, resolved. Commands take `&Settings`, never the raw command line.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `--manifest-path`, made absolute (nextest runs from the workspace root).
    pub manifest_path: Option<PathBuf>,
    /// `--config PATH`; `None` means `<workspace root>/budget.toml`.
    pub config: Option<PathBuf>,
    /// The directory cargo-budget was started in.
    pub cwd: PathBuf,
    /// `--color`, else `CARGO_TERM_COLOR` (through clap), else auto; nextest gets the same.
    pub color: Color,
    /// -1 quiet, 0 normal, 1+ verbose.
    pub verbosity: i8,
    /// `CI` is set (and not "false"/"0"): no prompts, no progress bars, the `ci` context.
    pub ci: bool,
    pub ui: Ui,
}

/// The global options as typed (every subcommand takes them).
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Path to the workspace's Cargo.toml
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Path to budget.toml [default: <workspace root>/budget.toml]
    #[arg(long = "config", global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Coloring [default: auto]
    #[arg(
        long,
        global = true,
        value_enum,
        env = "CARGO_TERM_COLOR",
        hide_env_values = true,
        value_name = "WHEN"
    )]
    pub color: Option<Color>,
    /// More output (-v shows the nextest commands run)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Less output: only the report and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl Settings {
    pub fn resolve(globals: &GlobalArgs) -> Result<Settings, Error> {
        let cwd = std::env::current_dir().map_err(|source| Error::Io {
            what: "failed to read the current directory".into(),
            source,
        })?;
        let manifest_path = globals.manifest_path.as_ref().map(|m| cwd.join(m));
        let ci = ci_from(std::env::var("CI").ok().as_deref());
        let color = globals.color.unwrap_or_default();
        let verbosity = if globals.quiet {
            -1
        } else {
            globals.verbose.min(3) as i8
        };
        Ok(Settings {
            manifest_path,
            config: globals.config.clone(),
            cwd,
            color,
            verbosity,
            ci,
            ui: Ui { color, verbosity },
        })
    }

    /// The context: `--mode`, else `ci` in CI, else `dev`.
    pub fn context(&self, mode: Option<Context>) -> Context {
        mode.unwrap_or(if self.ci { Context::Ci } else { Context::Dev })
    }
}

/// `CI` counts when set to anything but empty, "false" or "0" (what CI services set: "true").
pub fn ci_from(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_values() {
        for (value, ci) in [
            (None, false),
            (Some(""), false),
            (Some("false"), false),
            (Some("0"), false),
            (Some("true"), true),
            (Some("1"), true),
            (Some("yes"), true),
        ] {
            assert_eq!(ci_from(value), ci, "{value:?}");
        }
    }
}
