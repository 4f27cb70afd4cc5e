//! `cargo budget report`: run the suite under budgets (or judge JUnit files with `--from`) and
//! render the verdict.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::config::Context;
use crate::error::Error;
use crate::model::TestId;
use crate::nextest::Selection;
use crate::pipeline::{self, RunOptions};
use crate::policy::{FindingKind, Verdict};
use crate::report::{self, Format, Meta};
use crate::ui::Ui;
use crate::workspace::Workspace;
use crate::{exit, fsutil};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Enforcement context [default: ci when CI is set, else dev]
    #[arg(long, value_enum)]
    pub mode: Option<Context>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Judge existing nextest JUnit files (shards of one run) instead of running tests
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["filterset", "partition", "package", "workspace", "junit", "filters"])]
    pub from: Vec<PathBuf>,
    /// Keep a copy of the run's JUnit file at PATH (for `--from` later, e.g. per shard)
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// nextest filterset selecting the tests to run (repeatable)
    #[arg(long, short = 'E', value_name = "EXPR")]
    pub filterset: Vec<String>,
    /// nextest partition, e.g. count:1/2
    #[arg(long, value_name = "SPEC")]
    pub partition: Option<String>,
    /// Package to test (repeatable)
    #[arg(long, short = 'p', value_name = "SPEC")]
    pub package: Vec<String>,
    /// Test every workspace member
    #[arg(long)]
    pub workspace: bool,
    /// Test name filters, passed to nextest
    #[arg(last = true, value_name = "FILTERS")]
    pub filters: Vec<String>,
}

pub fn exec(global: &GlobalArgs, args: &Args, ui: &Ui) -> Result<i32, Error> {
    let context = super::resolve_context(args.mode);
    let (verdict, meta) = if args.from.is_empty() {
        run_and_judge(global, args, ui, context)?
    } else {
        judge_files(global, args, ui, context)?
    };

    match &args.output {
        Some(path) => {
            fsutil::write_atomic_with(path, |w| {
                if args.format == Format::Human {
                    // The human report is small (tiers and findings); strip its styling.
                    let mut styled = Vec::new();
                    report::render(args.format, &verdict, &meta, &mut styled)?;
                    w.write_all(&anstream::adapter::strip_bytes(&styled).into_vec())
                } else {
                    report::render(args.format, &verdict, &meta, w)
                }
            })?;
            ui.note(
                "Wrote",
                &format!("{} report to {}", format_name(args.format), path.display()),
            );
        }
        None => {
            use std::io::Write;
            let mut out = std::io::BufWriter::new(ui.stdout());
            report::render(args.format, &verdict, &meta, &mut out)
                .and_then(|()| out.flush())
                .map_err(|source| Error::Io {
                    what: "failed to write the report".into(),
                    source,
                })?;
        }
    }
    if args.format != Format::Human || args.output.is_some() {
        ui.note("Verdict", &report::headline(&verdict));
    }
    Ok(meta.exit_code)
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Human => "human",
        Format::Json => "JSON",
        Format::Markdown => "Markdown",
        Format::Github => "GitHub",
    }
}

fn run_and_judge(
    global: &GlobalArgs,
    args: &Args,
    ui: &Ui,
    context: Context,
) -> Result<(Verdict, Meta), Error> {
    let ws = Workspace::load(global.manifest_path.as_deref())?;
    let loaded = super::load_config(global, &ws.root, ui)?;
    let config = loaded.config;
    super::check_packages(&ws, &args.package)?;
    let cwd = std::env::current_dir().map_err(|source| Error::Io {
        what: "failed to read the current directory".into(),
        source,
    })?;
    let selection = Selection {
        manifest_path: global.manifest_path.clone(),
        packages: args.package.clone(),
        workspace: args.workspace,
        exprs: args.filterset.clone(),
        partition: args.partition.clone(),
        names: args.filters.clone(),
    };
    let mut nextest_args = vec!["--color".to_string(), global.color.as_str().to_string()];
    let mut run_args = Vec::new();
    if global.quiet {
        nextest_args.push("--cargo-quiet".into());
        run_args
            .extend(["--status-level", "fail", "--final-status-level", "fail"].map(String::from));
    }
    let on_status = |verb: &str, message: &str| ui.status(verb, message);
    let suite = pipeline::run_suite(
        &ws,
        &config,
        &RunOptions {
            selection: &selection,
            nextest_args,
            run_args,
            on_status: &on_status,
            cwd: &cwd,
        },
    )?;
    if let Some(copy) = &args.junit {
        std::fs::copy(&suite.junit_path, copy).map_err(|source| Error::Io {
            what: format!("failed to copy the JUnit file to `{}`", copy.display()),
            source,
        })?;
    }
    // An exception is stale when its binary is gone from the workspace, or was listed without
    // its test. Binaries the selection left out (filters, -p, a member directory) say nothing.
    let mut known: HashSet<TestId> = suite.inventory.tests.iter().map(|t| t.id.clone()).collect();
    let in_workspace: HashSet<String> = ws.binaries().into_iter().map(|b| b.binary_id).collect();
    for e in &config.exceptions {
        let id = e.test.binary_id.as_str();
        if in_workspace.contains(id) && !suite.inventory.listed.contains(id) {
            known.insert(e.test.clone());
        }
    }
    let verdict = pipeline::judge(&config, context, suite.classified, suite.run, Some(&known));
    if verdict.tests.is_empty() {
        ui.warn("no tests ran: the filters, partition or package selection matched none");
    }
    let meta = meta_for(&verdict, global, Some(suite.nextest_version), Vec::new());
    Ok((verdict, meta))
}

fn judge_files(
    global: &GlobalArgs,
    args: &Args,
    ui: &Ui,
    context: Context,
) -> Result<(Verdict, Meta), Error> {
    // Outside a workspace the files can still be judged; markers and locations need one.
    let ws = Workspace::load(global.manifest_path.as_deref()).ok();
    let root = match &ws {
        Some(ws) => ws.root.clone(),
        None => std::env::current_dir().map_err(|source| Error::Io {
            what: "failed to read the current directory".into(),
            source,
        })?,
    };
    let config = super::load_config(global, &root, ui)?.config;
    let (run, classified) = pipeline::from_files(&config, &args.from, ws.as_ref())?;
    let verdict = pipeline::judge(&config, context, classified, run, None);
    let files = args.from.iter().map(|p| p.display().to_string()).collect();
    let meta = meta_for(&verdict, global, None, files);
    Ok((verdict, meta))
}

fn meta_for(
    verdict: &Verdict,
    global: &GlobalArgs,
    nextest_version: Option<String>,
    junit_files: Vec<String>,
) -> Meta {
    let worst = verdict
        .findings
        .iter()
        .find(|f| f.kind.is_test_violation() || f.kind == FindingKind::TestFailed)
        .and_then(|f| f.test.as_ref());
    Meta {
        nextest_version,
        reproduce: worst.map(|id| pipeline::reproduce(id, global.manifest_path.as_deref())),
        exit_code: exit::for_status(verdict.status),
        junit_files,
        list_tests: global.verbose > 0,
    }
}
