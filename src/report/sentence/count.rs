//! The sentences of the instruction-count findings that are not over a budget.

use crate::model::grouped;
use crate::policy::{Finding, Payload};

pub(super) fn detail(f: &Finding) -> String {
    match &f.payload {
        Payload::CountRegression { growth } => format!(
            "instructions grew: {} → {} ({:+.1}%), at or over the {} threshold; counts are \
             exact, so this is the code, not the machine",
            grouped(growth.before),
            grouped(growth.after),
            growth.change * 100.0,
            if growth.fail { "fail" } else { "warn" }
        ),
        Payload::CountNondeterministic { low, high } => format!(
            "instruction counts moved between runs ({} to {}, {:+.2}%): nondeterministic \
             (threads or random inputs), so its instructions are not judged; its time is",
            grouped(*low),
            grouped(*high),
            (*high - *low) as f64 / (*low).max(1) as f64 * 100.0
        ),
        Payload::CountNotMeasured { reason, tests: 1 } if f.test.is_some() => {
            format!("its instructions were not counted: {reason}; it is judged by time only")
        }
        Payload::CountNotMeasured { reason, tests: 0 } => format!(
            "the tests `--instructions` selects were not counted: {reason}; their instructions \
             are not judged"
        ),
        Payload::CountNotMeasured { reason, tests } => format!(
            "{} counting instructions, but none was counted: {reason}; their instructions \
             are not judged",
            crate::text::count(*tests, "test")
        ),
        _ => String::new(),
    }
}
