//! How a command runs the suite: nextest's output options, several runs announced one by one,
//! and the re-runs that confirm a slowdown or a test over its budget.

use crate::error::Error;
use crate::settings::Settings;
use crate::ui::Ui;

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
    measure_with(settings, ui, ws, config, how, true)
}

/// [`measure`] for a run beside the suite's (a capability's tests, say): its JUnit does not
/// become the latest results that `report --from-last` and `reclassify` read.
pub fn measure_aside(
    settings: &Settings,
    ui: &Ui,
    ws: &crate::workspace::Workspace,
    config: &crate::config::Config,
    how: &Measure<'_>,
) -> Result<crate::source::Collected, Error> {
    measure_with(settings, ui, ws, config, how, false).map(|(collected, _)| collected)
}

fn measure_with(
    settings: &Settings,
    ui: &Ui,
    ws: &crate::workspace::Workspace,
    config: &crate::config::Config,
    how: &Measure<'_>,
    keep_last: bool,
) -> Result<(crate::source::Collected, crate::source::Ran), Error> {
    let on_status = |verb: &str, message: &str| ui.status(verb, message);
    let opts = run_options(settings, config, how, how.quiet, &on_status, keep_last);
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

/// Where re-runs alone happen: everything a command measures with.
pub struct Rerun<'a> {
    pub settings: &'a Settings,
    pub ui: &'a Ui,
    pub ws: &'a crate::workspace::Workspace,
    pub config: &'a crate::config::Config,
    pub how: &'a Measure<'a>,
}

impl Rerun<'_> {
    /// Re-runs `ids` alone, `rounds` times at most (a test only while `again` says its
    /// question is open), announced as `what`.
    fn alone(
        &self,
        ids: &[crate::model::TestId],
        rounds: u32,
        what: &str,
        again: impl Fn(&crate::model::TestId, usize, &[std::time::Duration]) -> bool,
    ) -> Result<crate::model::Times, Error> {
        self.ui.note("Confirming", what);
        let on_status = |verb: &str, message: &str| self.ui.status(verb, message);
        let opts = run_options(
            self.settings,
            self.config,
            self.how,
            true,
            &on_status,
            false,
        );
        crate::pipeline::rerun(self.ws, self.config, &opts, ids, rounds, again)
    }
}

/// Re-runs the slower tests of `comparison` alone (`[regression] confirm_runs` times, the
/// largest slowdowns first) and judges them again on what they did there.
pub fn confirm(
    at: &Rerun<'_>,
    comparison: &mut crate::policy::compare::Comparison,
) -> Result<(), Error> {
    let rounds = at.config.regression.confirm_runs;
    let ids = comparison.to_confirm(crate::policy::compare::MAX_RERUN);
    if rounds == 0 || ids.is_empty() {
        return Ok(());
    }
    let what = format!(
        "{}: re-running them alone, {}",
        crate::text::count(ids.len(), "slower test"),
        crate::text::count(rounds as usize, "time")
    );
    let times = at.alone(&ids, rounds, &what, |_, _, _| true)?;
    comparison.confirm(&times, rounds);
    Ok(())
}

/// Re-runs the tests of `run` over their time budget alone (`[regression] confirm_runs` times
/// at most, each only until a re-run is within its budget) and keeps their times in
/// `run.alone`: an overage the test does not have alone is the suite's load, not the test.
/// Only where a violation would fail the build: elsewhere the re-runs could change nothing.
pub fn confirm_over_budget(
    at: &Rerun<'_>,
    classified: &[crate::policy::Classified],
    run: &mut crate::model::Run,
) -> Result<(), Error> {
    let rounds = at.config.regression.confirm_runs;
    if rounds == 0 || !crate::policy::alone::worth_it(at.config, at.how.context) {
        return Ok(());
    }
    let over = crate::policy::alone::over_time(classified, run);
    if over.is_empty() {
        return Ok(());
    }
    let what = format!(
        "{} over budget or killed: re-running them alone, up to {}",
        crate::text::count(over.len(), "test"),
        crate::text::count(rounds as usize, "time")
    );
    let by_id: std::collections::HashMap<&crate::model::TestId, &crate::policy::alone::OverTime> =
        over.iter().map(|o| (&o.id, o)).collect();
    let ids: Vec<crate::model::TestId> = over.iter().map(|o| o.id.clone()).collect();
    let times = at.alone(&ids, rounds, &what, |id, round, alone| {
        by_id.get(id).is_some_and(|o| o.again(round, alone))
    })?;
    run.alone = crate::policy::alone::evidence(&over, times, rounds as usize);
    Ok(())
}
