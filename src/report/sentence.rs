//! The sentence each finding reads as: its numbers in words, the same in every format.

pub(crate) mod bench;
mod count;

use crate::config::units::format_budget;
use crate::model::{Amount, Metric};
use crate::policy::compare::{Basis, Call, Comparison, Delta, Held, Level, Noise};
use crate::policy::noise::Spread;
use crate::policy::{Finding, Payload};

/// "unit" or "exception": where a test's budget comes from.
fn source(f: &Finding, exception: bool) -> String {
    if exception {
        "exception".into()
    } else {
        f.tier.clone().unwrap_or_default()
    }
}

fn amount_budget(a: Amount) -> String {
    match a {
        Amount::Time(d) => format_budget(d),
        Amount::Bytes(_) | Amount::Count(_) => a.to_string(),
    }
}

/// One sentence for `f`; `comparison` is the verdict's (for a regression held back because the
/// baseline is not comparable).
pub fn sentence(f: &Finding, comparison: Option<&Comparison>) -> String {
    match &f.payload {
        Payload::OverBudget {
            metric,
            measured,
            budget,
            exception,
            alone,
        } => over_budget(f, *metric, (*measured, *budget), *exception, alone),
        Payload::Timeout {
            after,
            budget,
            kill_after,
            exception,
            alone,
            ..
        } => format!(
            "timed out: killed{} (the kill line is {kill_after} × its {} budget of {}){}",
            after
                .map(|d| format!(" after {:.3}s", d.as_secs_f64()))
                .unwrap_or_default(),
            source(f, *exception),
            format_budget(*budget),
            alone_text(f, alone)
        ),
        Payload::TestFailed { message, .. } => match message {
            // The test's own words, shown as a name is: one line, nothing that acts.
            Some(m) => format!("failed: {}", crate::text::shown(m)),
            None => "failed".to_string(),
        },
        Payload::NoDuration {
            outcome,
            budget,
            exception,
        } => format!(
            "{}, but the report gives no duration for it: not judged against its {} budget of {}",
            outcome.as_str(),
            source(f, *exception),
            format_budget(*budget)
        ),
        Payload::SuiteOverBudget { wall, budget } => format!(
            "the suite took {:.3}s, over its budget of {}",
            wall.as_secs_f64(),
            format_budget(*budget)
        ),
        Payload::ExceptionExpired { .. } | Payload::ExceptionStale { .. } => exception(f),
        Payload::MemoryRegression { .. } | Payload::MemoryNotMeasured { .. } => memory(f),
        Payload::CountRegression { .. }
        | Payload::CountNondeterministic { .. }
        | Payload::CountNotMeasured { .. } => count::detail(f),
        Payload::SuiteSlower { ratio, tests } => format!(
            "the suite is slower than the baseline: the median test took ×{ratio:.2} its baseline time (over {tests} tests above the noise floor); that is the machine or the whole suite, so each test was judged against its baseline × {ratio:.2}"
        ),
        Payload::BenchFailed { .. }
        | Payload::BenchNotMeasured { .. }
        | Payload::BenchUnjudged { .. }
        | Payload::BenchNotComparable { .. }
        | Payload::BenchChange { .. }
        | Payload::CapabilityOverBudget { .. }
        | Payload::CapabilityUnmatched { .. }
        | Payload::Complexity { .. }
        | Payload::CapabilityMemory { .. }
        | Payload::BenchCount(_) => bench::detail(f),
        Payload::Regression { change, .. } => {
            match comparison.and_then(|c| c.deltas.get(change.delta).map(|d| (d, c))) {
                Some((d, c)) => explain(d, &c.differences),
                // A finding without its comparison: the numbers it carries.
                None => format!(
                    "slower than the baseline: {:.3}s → {:.3}s ({:+.1}%)",
                    change.before.as_secs_f64(),
                    change.after.as_secs_f64(),
                    change.change * 100.0
                ),
            }
        }
    }
}

/// The sentences of an exception's findings.
fn exception(f: &Finding) -> String {
    match &f.payload {
        Payload::ExceptionExpired { line, on, .. } => {
            format!("exception (budget.toml:{line}) expired on {on}")
        }
        Payload::ExceptionStale { line, .. } => {
            format!("exception (budget.toml:{line}) names a test that does not exist")
        }
        _ => String::new(),
    }
}

/// The sentences of the memory findings that are not over a budget.
fn memory(f: &Finding) -> String {
    match &f.payload {
        Payload::MemoryRegression { growth } => format!(
            "peak memory grew: {} → {} ({:+.1}%), over the {} threshold",
            Amount::Bytes(growth.before),
            Amount::Bytes(growth.after),
            growth.change * 100.0,
            if growth.fail { "fail" } else { "warn" }
        ),
        Payload::MemoryNotMeasured { reason, tests } => format!(
            "{tests} test{} {} a memory budget, but peak memory was not measured: {reason}; \
             their memory budgets are not judged",
            if *tests == 1 { "" } else { "s" },
            if *tests == 1 { "has" } else { "have" }
        ),
        _ => String::new(),
    }
}

/// A metric over its budget, with what the re-runs alone said of a time overage.
fn over_budget(
    f: &Finding,
    metric: Metric,
    (measured, budget): (Amount, Amount),
    exception: bool,
    alone: &[std::time::Duration],
) -> String {
    let over = measured.overage(budget) * 100.0;
    let src = source(f, exception);
    match metric {
        Metric::Wall => format!(
            "took {measured}, over its {src} budget of {} by {over:.1}%{}",
            amount_budget(budget),
            alone_text(f, alone)
        ),
        // `1,204,311 instructions` names its unit already.
        Metric::Instructions => format!(
            "counted {measured}, over its {src} budget of {} by {over:.1}%",
            amount_budget(budget)
        ),
        other => format!(
            "{} {measured}, over its {src} {} budget of {} by {over:.1}%",
            other.name(),
            other.name(),
            amount_budget(budget)
        ),
    }
}

/// What the re-runs alone of a test over its time budget said (nothing when not re-run).
fn alone_text(f: &Finding, alone: &[std::time::Duration]) -> String {
    let (Some(fastest), Some(slowest)) = (alone.iter().min(), alone.iter().max()) else {
        return String::new();
    };
    let times = match alone.len() {
        1 => format!("{:.3}s (1 run)", fastest.as_secs_f64()),
        n => format!(
            "{:.3}s–{:.3}s over {n} runs",
            fastest.as_secs_f64(),
            slowest.as_secs_f64()
        ),
    };
    let killed = f.kind() == crate::policy::FindingKind::Timeout;
    match (f.cleared_alone(), killed) {
        (true, false) if f.load_only() => format!(
            " in the suite run, but within it in every re-run alone: {times}; the suite's load, not the test: a note, not a warning"
        ),
        (true, false) => format!(
            " in the suite run and in {} of {} re-runs alone, within it in the others: {times}; near its budget on this machine: reported as a warning",
            alone
                .iter()
                .filter(|took| f.budget().is_some_and(|b| **took > b))
                .count(),
            alone.len()
        ),
        (true, true) => format!(
            " in the suite run, but passed within its budget in every re-run alone: {times}; the suite's load, not the test: reported as a warning"
        ),
        (false, false) => format!("; over it re-run alone too: {times}"),
        (false, true) => format!("; re-run alone it passed, over its budget: {times}"),
    }
}

/// Why a test is judged by its band: whose runs spread, and how widely.
fn band(d: &Delta, noise: Noise) -> String {
    let fail = d.thresholds.fail * 100.0;
    match (noise, &d.reruns, d.group_spread) {
        (Noise::Reruns, Some(r), _) => format!(
            "noisy: its re-runs alone spread {} ({:.0}% apart), wider than the {fail:.0}% fail threshold",
            runs(r),
            r.width() * 100.0,
        ),
        (Noise::Group, _, Some(group)) => format!(
            "noisy: its baseline runs ({}) are few to tell, and the tests of its binary typically spread {:.0}% between runs, wider than the {fail:.0}% fail threshold",
            runs(&d.before),
            group * 100.0,
        ),
        _ => format!(
            "noisy: its baseline runs spread {} ({:.0}% apart), wider than the {fail:.0}% fail threshold",
            runs(&d.before),
            d.before.summary().finite_width() * 100.0,
        ),
    }
}

/// `1.498s–1.506s over 3 runs`, or `1.500s (1 run)`.
fn runs(s: &Spread) -> String {
    if s.min == s.max {
        format!(
            "{:.3}s ({} run{})",
            s.min.as_secs_f64(),
            s.runs(),
            plural(s.runs())
        )
    } else {
        format!(
            "{:.3}s–{:.3}s over {} runs",
            s.min.as_secs_f64(),
            s.max.as_secs_f64(),
            s.runs()
        )
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// How far past its band a noisy test is, and what band: its own (with the allowance of its
/// spread above the top) or the one its re-runs alone make.
fn beyond_band(d: &Delta, top: std::time::Duration, threshold: &str, moved: &str) -> String {
    let edge = if top == d.before.max {
        format!("slowest baseline run {:.3}s", top.as_secs_f64())
    } else {
        format!(
            "{:.3}s, its fastest baseline run widened by its {:.0}% spread",
            top.as_secs_f64(),
            crate::policy::compare::change(d.before.min, top) * 100.0
        )
    };
    let line = d.line();
    let beyond = d.after.median.saturating_sub(line.allowance);
    if line.allowance.is_zero() {
        format!(
            "beyond the band its re-runs make: {edge}; now {:.3}s, {:+.1}% over it, over {threshold}; median {moved}",
            d.after.median.as_secs_f64(),
            crate::policy::compare::change(line.reference, beyond) * 100.0,
        )
    } else {
        format!(
            "beyond its band: {edge}, and as far again above it as its runs spread ({:.3}s); now {:.3}s, {:+.1}% over the top once that is allowed for, over {threshold}; median {moved}",
            line.allowance.as_secs_f64(),
            d.after.median.as_secs_f64(),
            crate::policy::compare::change(line.reference, beyond) * 100.0,
        )
    }
}

/// Why a compared test is a regression: before, after, what it was held against (its median,
/// or the top of its band when it is noisy), the suite factor, the re-runs alone.
fn explain(d: &Delta, differences: &[String]) -> String {
    let t = d.thresholds;
    let moved = format!(
        "{:.3}s → {:.3}s ({:+.1}%)",
        d.before.median.as_secs_f64(),
        d.after.median.as_secs_f64(),
        d.change * 100.0
    );
    let fail = d.line().fail(t);
    let threshold = match (d.level(), fail > t.fail) {
        (Some(Level::Fail), false) => format!("the {:.0}% fail threshold", t.fail * 100.0),
        (Some(Level::Fail), true) => format!(
            "the {:.0}% a noisy test fails past (twice its band's top)",
            fail * 100.0
        ),
        (_, false) => format!("the {:.0}% warn threshold", t.warn * 100.0),
        (_, true) => format!(
            "the {:.0}% warn threshold (a noisy test fails only past {:.0}%)",
            t.warn * 100.0,
            fail * 100.0
        ),
    };
    let mut parts = Vec::new();
    match d.basis {
        Basis::Median => {
            parts.push(format!(
                "slower than the baseline: {moved}, over {threshold}"
            ));
            parts.push(format!("baseline {}", runs(&d.before)));
        }
        Basis::Band { top, noise } => {
            parts.push(beyond_band(d, top, &threshold, &moved));
            parts.push(band(d, noise));
        }
    }
    if d.after.runs() > 1 {
        parts.push(format!("now {}", runs(&d.after)));
    }
    if d.scale != 1.0 {
        parts.push(format!("judged against the suite factor ×{:.2}", d.scale));
    }
    if let (Some(r), Call::Slower { .. }) = (&d.reruns, d.call) {
        parts.push(format!("stayed slower re-run alone: {}", runs(r)));
    }
    if let Call::Slower {
        held: Some(held), ..
    } = d.call
    {
        parts.push(format!(
            "reported as a warning: {}",
            match held {
                Held::NotEveryRun => "not every run was over the fail threshold".to_string(),
                Held::NotComparable => format!("not comparable: {}", differences.join("; ")),
                Held::RerunsBelowFail => "re-run alone, it stayed under the fail threshold".into(),
                Held::RerunsSpread => "its re-runs alone spread too widely to fail it: past its usual line, not past the band they make".into(),
                Held::CpuUnchanged => {
                    "its CPU time did not grow: the machine was busier, the work was not".into()
                }
                Held::NotRerun => format!(
                    "only the {} largest slowdowns were re-run to confirm them",
                    crate::policy::compare::MAX_RERUN
                ),
            }
        ));
    }
    parts.join("; ")
}

/// What the re-runs alone of `plan` are for: "3 tests over budget or killed: re-running them
/// alone, up to 3 times", "2 slower tests: re-running them alone, 3 times", or both.
pub fn confirming(plan: &crate::policy::confirm::Plan) -> String {
    let count = crate::text::count;
    let over = (!plan.over.is_empty())
        .then(|| format!("{} over budget or killed", count(plan.over.len(), "test")));
    let slower = (!plan.slower.is_empty()).then(|| count(plan.slower.len(), "slower test"));
    let what = [over, slower]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" and ");
    let times = count(plan.rounds as usize, "time");
    match plan.up_to() {
        true => format!("{what}: re-running them alone, up to {times}"),
        false => format!("{what}: re-running them alone, {times}"),
    }
}
