//! The words of a bench run's findings: what each benchmark, bench target and capability
//! finding says, from its payload, the same in every format.

use crate::model::grouped;
use crate::model::{Amount, TestsPeak};
use crate::policy::bench::complexity::{ComplexityCall, Fit, MIN_SIZES, MIN_SPAN, Unfit};
use crate::policy::bench::{
    BenchCall, BenchComparison, BenchDelta, CountFinding, MIN_SAMPLES, Unjudgeable,
};
use crate::policy::{Finding, Payload};
use crate::text::time_ns as time;

/// The finding's subject as reports name it: the benchmark, series, bench target or
/// capability (empty for a finding that is not a bench run's).
pub fn subject(f: &Finding) -> &str {
    f.bench.as_ref().map_or("", |b| b.name())
}

/// What the finding says (JSON's `detail`): the call for a change, else its numbers in words.
pub fn detail(f: &Finding) -> String {
    match &f.payload {
        Payload::BenchFailed { reason } | Payload::BenchNotMeasured { reason } => reason.clone(),
        Payload::BenchUnjudged { why } => unjudgeable(*why),
        Payload::BenchNotComparable { differences } => format!(
            "the baseline was measured under another contract: {}; changes are shown, nothing \
             fails",
            differences.join(", ")
        ),
        Payload::BenchChange { call, .. } => call.as_str().to_string(),
        Payload::CapabilityOverBudget {
            capability,
            p95,
            budget,
            clearly_over,
        } => {
            let budget_ns = budget.as_secs_f64() * 1e9;
            format!(
                "capability `{capability}`: p95 {} [{}, {}] per iteration, over its p95 budget \
                 of {} by {:.1}%{}",
                time(p95.point),
                time(p95.lower),
                time(p95.upper),
                time(budget_ns),
                (p95.point / budget_ns - 1.0) * 100.0,
                match clearly_over {
                    true => "",
                    false => " by its point estimate; the interval includes the budget",
                }
            )
        }
        Payload::CapabilityUnmatched { line, glob, across } => {
            let hint = match across {
                Some(id) => format!(
                    "; `*` stays within one `/` segment, and a parametrized benchmark's id is \
                     group/function/value: with `**` it would match `{id}`"
                ),
                None => String::new(),
            };
            format!(
                "capability `{}` (budget.toml:{line}): its glob `{glob}` matches no benchmark \
                 measured{hint}",
                subject(f)
            )
        }
        Payload::Complexity {
            capability,
            claim,
            call,
        } => {
            let claim = claim.as_str();
            match call {
                ComplexityCall::Within(fit) => {
                    format!("capability `{capability}` claims {claim}: {}", fitted(fit))
                }
                ComplexityCall::Exceeded(fit) => format!(
                    "capability `{capability}` claims {claim}, but {}",
                    fitted(fit)
                ),
                ComplexityCall::Unfit { why, .. } => format!(
                    "capability `{capability}` claims {claim}, which cannot be checked: {}",
                    unfit(*why)
                ),
            }
        }
        Payload::CapabilityMemory { budget, peak } => memory(subject(f), *budget, peak.as_ref()),
        Payload::BenchCount(c) => count(subject(f), c),
        // A test run's finding has its own sentence.
        _ => super::sentence(f, None),
    }
}

/// Why a benchmark's change cannot be judged.
fn unjudgeable(why: Unjudgeable) -> String {
    let few = |n: usize| {
        format!(
            "{} (judging a change needs {MIN_SAMPLES}; criterion writes at least 10)",
            crate::text::count(n, "usable sample")
        )
    };
    match why {
        Unjudgeable::FewNow(n) => format!("measured now with {}", few(n)),
        Unjudgeable::FewInBaseline(n) => {
            format!("recorded in the baseline with {}: re-record it", few(n))
        }
        Unjudgeable::Few(n) => format!("measured with {}", few(n)),
        Unjudgeable::NotFinite => {
            "its change is not a finite number: the times are too far apart to compare".into()
        }
    }
}

/// `time grows as n^1.98 [1.95, 2.01] over sizes 100, 1000, 10000 (best fit O(n^2))`.
fn fitted(fit: &Fit) -> String {
    format!(
        "time grows as n^{:.2} [{:.2}, {:.2}] over sizes {} (best fit {})",
        fit.exponent.point,
        fit.exponent.lower,
        fit.exponent.upper,
        fit.sizes
            .iter()
            .map(|n| format!("{n}"))
            .collect::<Vec<_>>()
            .join(", "),
        fit.best.as_str()
    )
}

/// Why a complexity claim cannot be checked.
fn unfit(why: Unfit) -> String {
    match why {
        Unfit::NoSizes => {
            "none of its benchmarks has a numeric size (BenchmarkId::new(\"f\", n))".into()
        }
        Unfit::TooFew { sizes, span } => format!(
            "{sizes} size{} spanning {span:.1}×: a complexity needs at least {MIN_SIZES} sizes \
             spanning {MIN_SPAN}×",
            if sizes == 1 { "" } else { "s" }
        ),
        Unfit::NoLine => "the times do not fit a line on log-log axes".into(),
    }
}

/// `1,204,311 instructions`.
fn instructions(n: u64) -> String {
    Amount::Count(n).to_string()
}

/// An instruction count's finding in words.
fn count(subject: &str, c: &CountFinding) -> String {
    match c {
        CountFinding::Grew {
            growth, threshold, ..
        } => format!(
            "{} → {} per run of its routine, {:+.1}% (an exact count, at or over its {} threshold of \
             {:+.1}%)",
            grouped(growth.before),
            instructions(growth.after),
            crate::policy::compare::count::shown(growth.change) * 100.0,
            match growth.fail {
                true => "fail",
                false => "warn",
            },
            threshold * 100.0
        ),
        CountFinding::Nondeterministic {
            low,
            high,
            in_baseline,
        } => format!(
            "its runs{} counted from {} to {}: nondeterministic (threads, random inputs, \
             hashing), so it is judged by time alone",
            match in_baseline {
                true => " in the baseline",
                false => "",
            },
            grouped(*low),
            instructions(*high)
        ),
        CountFinding::NotCounted { reason } => format!("instructions not counted: {reason}"),
        CountFinding::OverBudget {
            capability,
            instructions: n,
            budget,
        } => format!(
            "capability `{capability}`: {} per run of its routine, over its instruction budget \
             of {} by {:.1}%",
            instructions(*n),
            instructions(*budget),
            (*n as f64 / *budget as f64 - 1.0) * 100.0
        ),
        CountFinding::BudgetUncounted { budget } => format!(
            "capability `{subject}` has an instruction budget of {}, but none of its benchmarks \
             was counted, so it is not checked (results read with `--from` carry no counts)",
            instructions(*budget)
        ),
    }
}

/// A capability's tests' peak against its memory budget, or why it is not known.
fn memory(capability: &str, budget: u64, peak: Option<&TestsPeak>) -> String {
    match peak {
        None => format!(
            "capability `{capability}` has a memory budget of {}, but its tests were not run",
            Amount::Bytes(budget)
        ),
        Some(TestsPeak::NotMeasured(reason)) => {
            format!("capability `{capability}`: the memory of its tests is not known: {reason}")
        }
        Some(TestsPeak::Measured { bytes, test, tests }) => format!(
            "capability `{capability}`: its tests peaked at {} ({test}, the highest of {}), {} \
             its memory budget of {} ({:+.1}%)",
            Amount::Bytes(*bytes),
            crate::text::count(*tests, "test"),
            if *bytes > budget { "over" } else { "within" },
            Amount::Bytes(budget),
            (*bytes as f64 / budget as f64 - 1.0) * 100.0
        ),
    }
}

/// The finding as one line (`bench-regression a/b: 1.00 µs → 1.30 µs per iteration, …`): a
/// change with its times, interval and samples from the comparison, anything else its detail.
pub fn line(f: &Finding, comparison: Option<&BenchComparison>) -> String {
    let kind = f.kind().as_str();
    let delta = match &f.payload {
        Payload::BenchChange { delta, .. } => comparison.and_then(|c| c.deltas.get(*delta)),
        _ => None,
    };
    let Some(d) = delta else {
        return format!("{kind} {}: {}", subject(f), detail(f));
    };
    let why = match d.call {
        BenchCall::Inconclusive => {
            "over a threshold by its point estimate, but the interval includes it"
        }
        _ => "the whole interval is over the threshold",
    };
    format!(
        "{kind} {}: {} → {} per iteration, {} ({why}; {} / {} samples)",
        subject(f),
        time(d.before.point),
        time(d.after.point),
        change(d),
        d.samples.0,
        d.samples.1
    )
}

fn pct(ratio: f64) -> String {
    format!("{:+.1}%", (ratio - 1.0) * 100.0)
}

/// `+30.2% [+29.1%, +31.4%]`.
pub fn change(d: &BenchDelta) -> String {
    format!(
        "{} [{}, {}]",
        pct(d.ratio.point),
        pct(d.ratio.lower),
        pct(d.ratio.upper)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::verdict::bench::BenchSubject;

    #[test]
    fn why_a_change_is_not_judged_in_words() {
        let table = [
            (
                Unjudgeable::FewNow(1),
                "measured now with 1 usable sample (judging a change needs 2; criterion writes at least 10)",
            ),
            (
                Unjudgeable::FewNow(0),
                "measured now with 0 usable samples (judging a change needs 2; criterion writes at least 10)",
            ),
            (
                Unjudgeable::FewInBaseline(1),
                "recorded in the baseline with 1 usable sample (judging a change needs 2; criterion writes at least 10): re-record it",
            ),
            (
                Unjudgeable::Few(1),
                "measured with 1 usable sample (judging a change needs 2; criterion writes at least 10)",
            ),
            (
                Unjudgeable::NotFinite,
                "its change is not a finite number: the times are too far apart to compare",
            ),
        ];
        for (why, text) in table {
            let subject = BenchSubject::Benchmark {
                id: "x".into(),
                target: None,
            };
            let f = Finding::of_bench(
                crate::policy::Severity::Error,
                subject,
                Payload::BenchUnjudged { why },
            );
            assert_eq!(detail(&f), text);
            assert_eq!(line(&f, None), format!("bench-unjudged x: {text}"));
        }
    }
}
