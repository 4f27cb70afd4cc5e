//! cargo-budget: performance budgets for a Rust workspace's tests, on top of cargo-nextest.
//!
//! Layers, one way: adapters (`nextest`, `criterion`, `git`, `workspace`, `sources`) →
//! `collect` (evidence) → `model` → `policy` (pure rules: assess, settle) → `report`
//! (renderers); `config` owns budget.toml, `baseline` and `history` are the stores; `session`
//! is what a command resolves once; `commands` combine them; `ui` is the only place that
//! prints. docs/architecture.md draws the data flow.
//!
//! The public surface is what the binary, the benches (`benches/`), the fuzz targets and the
//! end-to-end tests use: the parsers, the model, policy and renderers, and [`run`]. Everything
//! else is `pub(crate)`.

pub mod baseline;
pub(crate) mod cli;
pub mod collect;
pub(crate) mod commands;
pub mod config;
pub mod criterion;
pub(crate) mod error;
pub mod exit;
mod fsutil;
pub mod git;
pub mod history;
pub(crate) mod interrupt;
pub mod model;
pub mod nextest;
pub mod policy;
pub(crate) mod reclassify;
pub mod report;
pub(crate) mod scaffold;
pub(crate) mod session;
pub(crate) mod settings;
pub mod sources;
pub(crate) mod text;
pub(crate) mod ui;
pub mod valgrind;
pub(crate) mod workspace;
pub mod wrap;

use std::ffi::OsString;

/// Runs the command line `args` (including the program name) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args: Vec<OsString> = args.into_iter().collect();
    // The per-test wrapper nextest runs: no parsing, no settings (it runs once per test).
    if args.get(1).is_some_and(|a| a == wrap::SUBCOMMAND) {
        return wrap::main(args[2..].to_vec());
    }
    let cli = match cli::parse(args) {
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
    interrupt::install();
    let settings = match settings::Settings::resolve(&cli.global) {
        Ok(s) => s,
        Err(e) => {
            ui::Ui::default().error(&e);
            return exit::for_error(&e);
        }
    };
    let ui = settings.ui;
    let result = match &cli.command {
        cli::Command::Init(args) => commands::init::exec(&settings, args),
        cli::Command::Alerts(args) => commands::alerts::exec(&settings, args),
        cli::Command::History(args) => commands::history::exec(&settings, args),
        cli::Command::Trend(args) => commands::trend::exec(&settings, args),
        cli::Command::Report(args) => commands::report::exec(&settings, args),
        cli::Command::Bench(args) => commands::bench::exec(&settings, args),
        cli::Command::Baseline(args) => commands::baseline::exec(&settings, args),
        cli::Command::HookInstall(args) => commands::hook_install::exec(&settings, args),
        cli::Command::HookRun(args) => commands::hook_run::exec(&settings, args),
        cli::Command::Reclassify(args) => commands::reclassify::exec(&settings, args),
        cli::Command::Adr(args) => commands::adr::exec(&settings, args),
        cli::Command::Completions { shell } => {
            use std::io::Write;
            let script = cli::completions(*shell);
            ui.stdout_plain()
                .write_all(&script)
                .map(|()| exit::SUCCESS)
                .map_err(|source| error::Error::Io {
                    what: "failed to write the completion script".into(),
                    source,
                })
        }
    };
    match result {
        Ok(code) => code,
        // The reader went away (`| head`): what it wanted was written; stop quietly, as cargo
        // and ripgrep do.
        Err(error::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            exit::SUCCESS
        }
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
