//! cargo-budget: performance budgets for a Rust workspace's tests, on top of cargo-nextest.
//!
//! Layers, one way: `nextest` (adapter) → `model` → `policy` (pure rules) → `report`
//! (renderers); `config` owns budget.toml; `pipeline` is the shared run; `commands` combine
//! them; `ui` is the only place that prints.

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod exit;
mod fsutil;
pub mod git;
pub mod interrupt;
pub mod model;
pub mod nextest;
pub mod pipeline;
pub mod policy;
pub mod reclassify;
pub mod report;
pub mod scaffold;
pub mod sources;
pub mod ui;
pub mod workspace;

use std::ffi::OsString;

/// Runs the command line `args` (including the program name) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut cli = match cli::parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::SUCCESS
            };
        }
    };
    // nextest runs from the workspace root, so a relative path must not be passed on as is.
    if let Some(m) = &cli.global.manifest_path
        && let Ok(abs) = std::path::absolute(m)
    {
        cli.global.manifest_path = Some(abs);
    }
    interrupt::install();
    let ui = ui::Ui {
        color: cli.global.color,
        verbosity: if cli.global.quiet {
            -1
        } else {
            cli.global.verbose.min(3) as i8
        },
    };
    let result = match &cli.command {
        cli::Command::Init(args) => commands::init::exec(&cli.global, args, &ui),
        cli::Command::Report(args) => commands::report::exec(&cli.global, args, &ui),
        cli::Command::Baseline(args) => commands::baseline::exec(&cli.global, args, &ui),
        cli::Command::HookInstall(args) => commands::hook_install::exec(&cli.global, args, &ui),
        cli::Command::HookRun(args) => commands::hook_run::exec(&cli.global, args, &ui),
        cli::Command::Reclassify(args) => commands::reclassify::exec(&cli.global, args, &ui),
        cli::Command::Adr(args) => commands::adr::exec(&cli.global, args, &ui),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            ui.error(&e);
            // A child killed by the Ctrl-C shows up as some other failure.
            if interrupt::requested() {
                exit::INTERRUPTED
            } else {
                exit::for_error(&e)
            }
        }
    }
}
