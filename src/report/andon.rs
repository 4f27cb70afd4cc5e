//! Each andon signal in words: what is wrong, and what to do about it.

use crate::config::units::format_budget;
use crate::policy::verdict::{Andon, Signal};
use crate::text::count;

/// `(signal, action)` for `a`.
pub fn texts(a: &Andon) -> (String, String) {
    match &a.signal {
        Signal::TestsFailed { count: n } => (
            format!("{} failed", count(*n, "test")),
            "fix the failing tests; budgets are judged on passing runs".into(),
        ),
        Signal::TestsKilled {
            count: n,
            kill_after,
            passed_before,
        } => (
            format!("{} killed at {kill_after} × their budget", count(*n, "test")),
            killed_action(passed_before.as_ref()),
        ),
        Signal::TierOver {
            tier,
            violations,
            judged,
            budget,
            rate,
            next_tier,
        } => (
            format!(
                "{tier}: {violations} of {judged} tests over the {} budget ({:.1}%)",
                format_budget(*budget),
                rate * 100.0
            ),
            match next_tier {
                Some(next) => format!(
                    "optimise the slow tests or reclassify them as {next} (cargo budget reclassify)"
                ),
                None => "optimise the slow tests or record a tracked exception with an ADR".into(),
            },
        ),
        Signal::Slower { count: n } => (
            format!("{} slower than the baseline", count(*n, "test")),
            "find the change that slowed them (commits since the baseline), or re-record the baseline if it was intended (cargo budget baseline)".into(),
        ),
        Signal::Grew { count: n } => (
            format!(
                "{} grew beyond the baseline (peak memory or instructions)",
                count(*n, "test")
            ),
            "find the change that made them grow (commits since the baseline), or re-record the baseline if it was intended (cargo budget baseline)".into(),
        ),
        Signal::SuiteSlower => (
            "the whole suite is slower than the baseline".into(),
            "a busier or slower machine: compare on one like the baseline's; the code: find the change since the baseline".into(),
        ),
        Signal::SuiteOverBudget => (
            "the whole suite is over its wall-clock budget".into(),
            "speed up the slowest tests or split the run (nextest --partition)".into(),
        ),
        Signal::ExceptionsExpired { count: n } => (
            format!("{} expired", count(*n, "budget exception")),
            "fix the tests or renew the exceptions with a new ADR".into(),
        ),
        Signal::ExceptionsStale { count: n } => (
            format!(
                "{} for tests that no longer exist",
                count(*n, "budget exception")
            ),
            "remove them from budget.toml".into(),
        ),
    }
}

/// What to do about killed tests: the advice covers a hang and a test slow under load, and
/// says what the baseline knows.
fn killed_action(passed_before: Option<&(crate::policy::verdict::KilledBefore, usize)>) -> String {
    let mut action = "rerun each alone: killed again means a hang (deadlock, network wait, \
                      unbounded loop); finishing means it is slow, perhaps only under load: \
                      compare its time with its budget"
        .to_string();
    match passed_before {
        Some((k, known)) => {
            action.push_str(&format!(
                "; `{}` passed in the baseline in {:.3}s (its kill line is {})",
                crate::text::shown(&k.test),
                k.before.as_secs_f64(),
                format_budget(k.kill_line)
            ));
            if *known > 1 {
                action.push_str(&format!(
                    ", and {} more killed passed there",
                    count(known - 1, "test")
                ));
            }
        }
        None => action.push_str("; no baseline shows it passing before"),
    }
    action
}
