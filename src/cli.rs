//! The command line: global options and one subcommand per module in `commands/`.

use std::ffi::OsString;

use clap::{Parser, Subcommand};

use crate::commands;

#[derive(Debug, Parser)]
#[command(
    name = "cargo-budget",
    bin_name = "cargo budget",
    version,
    about = "Performance budgets for a Rust workspace's tests, on top of cargo-nextest",
    after_help = "Exit codes: 0 ok, 1 unexpected error, 2 usage or config error, 3 budget violations, \
                  4 tests failed, 5 build failed, 130 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: crate::settings::GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold tier test targets and generate budget.toml, nextest, cargo-make, just and CI config
    Init(commands::init::Args),
    /// Run the tests under their tier budgets (or judge JUnit files) and report the verdict
    Report(commands::report::Args),
    /// Measure the suite (N runs) and record per-test durations in .budget/baseline.json
    Baseline(commands::baseline::Args),
    /// Run the criterion benchmarks (or judge existing results) against the bench baseline
    Bench(commands::bench::Args),
    /// The runs recorded in git notes (`report --record`): violations per tier over time
    History(commands::history::Args),
    /// Drift, timing flakiness and tests near their budget, from the recorded runs
    Trend(commands::trend::Args),
    /// Write Prometheus alert rules (and their promtool tests) from the capabilities' budgets
    Alerts(commands::alerts::Args),
    /// Install the git pre-commit hook that runs the tests a commit affects (or --uninstall it)
    HookInstall(commands::hook_install::Args),
    /// What the pre-commit hook runs: the staged change's affected tests, under budget
    HookRun(commands::hook_run::Args),
    /// Walk through the tests over budget: move each to a slower tier, or record an exception
    Reclassify(commands::reclassify::Args),
    /// Architecture decision records for budget decisions
    Adr(commands::adr::Args),
    /// Print a shell completion script (for the `cargo-budget` binary) to stdout
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Writes the completion script for `shell`. Scripts complete `cargo-budget …`; cargo's own
/// completions do not reach a plugin's options.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "cargo-budget", &mut script);
    script
}

/// Parses `cargo-budget [budget] …`: cargo runs plugins as `cargo-budget budget <args>`.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, clap::Error> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "budget") {
        args.remove(1);
    }
    Cli::try_parse_from(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn both_invocations_parse() {
        for argv in [
            vec!["cargo-budget", "budget", "report", "--mode", "ci"],
            vec!["cargo-budget", "report", "--mode", "ci"],
        ] {
            let cli = parse(argv.into_iter().map(OsString::from)).unwrap();
            let Command::Report(args) = cli.command else {
                panic!("parsed as report")
            };
            assert_eq!(args.out.mode, Some(crate::config::Context::Ci));
        }
    }
}
