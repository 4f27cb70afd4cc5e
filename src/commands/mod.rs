//! One module per subcommand; the only code that combines the layers and performs I/O.

pub mod adr;
mod args;
pub mod baseline;
pub mod hook_install;
pub mod hook_run;
pub mod init;
pub mod reclassify;
pub mod report;

use std::path::PathBuf;

use crate::config::{self, Loaded};
use crate::error::Error;
use crate::settings::Settings;
use crate::ui::Ui;

pub use args::SelectionArgs;

/// Loads `--config PATH` (which must exist) or `<root>/budget.toml` (defaults when absent),
/// printing unknown-key warnings.
pub fn load_config(settings: &Settings, root: &std::path::Path, ui: &Ui) -> Result<Loaded, Error> {
    let loaded = match &settings.config {
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

/// nextest arguments for `--color` and `-q`: (for list and run, for run only).
pub fn nextest_output_args(settings: &Settings, quiet: bool) -> (Vec<String>, Vec<String>) {
    let both = vec!["--color".to_string(), settings.color.as_str().to_string()];
    let mut both = both;
    let mut run = Vec::new();
    if quiet {
        both.push("--cargo-quiet".into());
        run.extend(["--status-level", "fail", "--final-status-level", "fail"].map(String::from));
    }
    (both, run)
}

/// Where GitHub annotation paths start: `GITHUB_WORKSPACE` when set, else the top of the git
/// repository holding the workspace, else the workspace itself.
pub fn annotation_roots(workspace_root: &std::path::Path) -> crate::report::Roots {
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.into());
    let repository = std::env::var_os("GITHUB_WORKSPACE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::git::toplevel(workspace_root))
        .unwrap_or_else(|| workspace_root.to_path_buf());
    crate::report::Roots {
        workspace: canonical(workspace_root),
        repository: canonical(&repository),
    }
}

/// How a subcommand wants the suite measured.
pub struct Measure<'a> {
    pub selection: crate::nextest::Selection,
    /// Show only failures from nextest.
    pub quiet: bool,
    pub runs: u32,
    pub cwd: &'a std::path::Path,
    pub env_remove: &'a [String],
    /// The context the run is for: it sets property-test cases.
    pub context: crate::config::Context,
}

/// How `how` asks nextest to run (`quiet`: nextest shows only failures; `keep_last`: the run's
/// JUnit becomes the latest results).
fn run_options<'a>(
    settings: &Settings,
    config: &crate::config::Config,
    how: &'a Measure<'_>,
    quiet: bool,
    on_status: &'a dyn Fn(&str, &str),
    keep_last: bool,
) -> crate::pipeline::RunOptions<'a> {
    let (nextest_args, run_args) = nextest_output_args(settings, quiet);
    crate::pipeline::RunOptions {
        selection: &how.selection,
        nextest_args,
        run_args,
        on_status,
        cwd: how.cwd,
        env_remove: how.env_remove,
        env: config.property_env(how.context),
        keep_last,
    }
}

/// Runs the suite as asked, with a "run k of N" line before each of several runs (in CI and
/// on a terminal alike: a redrawn bar would fight nextest's own output) and `-v` status lines.
pub fn measure(
    settings: &Settings,
    ui: &Ui,
    ws: &crate::workspace::Workspace,
    config: &crate::config::Config,
    how: &Measure<'_>,
) -> Result<(crate::source::Collected, crate::source::Ran), Error> {
    let on_status = |verb: &str, message: &str| ui.status(verb, message);
    let opts = run_options(settings, config, how, how.quiet, &on_status, true);
    let announce = |k: u32| {
        if how.runs > 1 {
            ui.note("Measuring", &format!("run {k} of {}", how.runs));
        }
    };
    let source = crate::source::Source::Nextest {
        options: &opts,
        runs: how.runs,
        before_run: &announce,
    };
    let (collected, ran) = crate::source::collect(Some(ws), config, source)?;
    Ok((collected, ran.expect("a nextest source runs nextest")))
}

/// Re-runs the slower tests of `comparison` alone (`[regression] confirm_runs` times, the
/// largest slowdowns first) and judges them again on what they did there.
pub fn confirm(
    settings: &Settings,
    ui: &Ui,
    ws: &crate::workspace::Workspace,
    config: &crate::config::Config,
    how: &Measure<'_>,
    comparison: &mut crate::policy::compare::Comparison,
) -> Result<(), Error> {
    let rounds = config.regression.confirm_runs;
    if rounds == 0 {
        return Ok(());
    }
    let ids = comparison.to_confirm(crate::policy::compare::MAX_RERUN);
    if ids.is_empty() {
        return Ok(());
    }
    ui.note(
        "Confirming",
        &format!(
            "{}: re-running them alone, {}",
            crate::text::count(ids.len(), "slower test"),
            crate::text::count(rounds as usize, "time")
        ),
    );
    let on_status = |verb: &str, message: &str| ui.status(verb, message);
    let opts = run_options(settings, config, how, true, &on_status, false);
    let times = crate::pipeline::rerun(ws, config, &opts, &ids, rounds)?;
    comparison.confirm(&times, rounds);
    Ok(())
}
