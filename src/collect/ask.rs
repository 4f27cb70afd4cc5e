//! How a command asks for the suite to be run, and the nextest options that follow from it
//! for the suite run, the re-runs alone and the counting run alike.

use super::nextest_run::Options;
use crate::nextest::Selection;
use crate::session::Session;

/// How a command wants the suite run.
pub struct Ask {
    pub selection: Selection,
    /// nextest shows only failures.
    pub quiet: bool,
    pub runs: u32,
    /// The run's JUnit becomes the latest results that `report --from-last` and `reclassify`
    /// read (not for a run beside the suite's, a capability's tests say).
    pub keep_last: bool,
    /// Run nextest from the workspace root rather than the session's directory.
    pub at_root: bool,
    /// How many times the tests that count have their instructions counted (0: not counted;
    /// a baseline counts twice, which shows a nondeterministic count).
    pub count_runs: u32,
}

impl Ask {
    /// The suite once, shown as the user asked, kept as the latest results.
    pub fn once(selection: Selection, quiet: bool) -> Ask {
        Ask {
            selection,
            quiet,
            runs: 1,
            keep_last: true,
            at_root: false,
            count_runs: 1,
        }
    }
}

/// nextest arguments for `--color` and `-q`: (for list and run, for run only).
fn output_args(session: &Session<'_>, quiet: bool) -> (Vec<String>, Vec<String>) {
    let mut both = vec![
        "--color".to_string(),
        session.settings.color.as_str().to_string(),
    ];
    let mut run = Vec::new();
    if quiet {
        both.push("--cargo-quiet".into());
        run.extend(["--status-level", "fail", "--final-status-level", "fail"].map(String::from));
    }
    (both, run)
}

/// nextest's options for `ask` (`quiet` overrides the ask's, for re-runs).
pub(super) fn options<'a>(
    session: &'a Session<'_>,
    ask: &'a Ask,
    selection: &'a Selection,
    quiet: bool,
    keep_last: bool,
) -> Options<'a> {
    let (nextest_args, run_args) = output_args(session, quiet);
    Options {
        selection,
        nextest_args,
        run_args,
        cwd: match ask.at_root {
            true => &session.ws.root,
            false => &session.cwd,
        },
        keep_last,
        counting: None,
    }
}
