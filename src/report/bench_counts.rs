//! The instruction counts of a bench verdict as rows and JSON, for the bench renderers and
//! its HTML page: each counted benchmark's count now, its baseline count, the change and the
//! call, the same in every format.

use serde_json::{Value, json};

use crate::model::{BenchResult, grouped};
use crate::policy::bench::{BenchEvidence, CountDelta};
use crate::policy::compare::count::{Counted, shown};

/// The columns of the instruction table.
pub const HEADER: [&str; 5] = ["benchmark", "baseline", "current", "change", "verdict"];

/// What the table is, for the line above it.
pub const TITLE: &str =
    "Instructions per run of each benchmark's routine (counted under Valgrind: exact)";

/// `100,290`, or `4,743,753–4,763,845` for runs that counted differently.
pub fn counted(c: Counted) -> String {
    match c {
        Counted::Exact(n) => grouped(n),
        Counted::Varied { low, high } => format!("{}–{}", grouped(low), grouped(high)),
    }
}

/// A fraction as a percentage to 0.1 % (0.03 → 3.0), without float dust.
fn pct(fraction: f64) -> f64 {
    (fraction * 1000.0).round() / 10.0
}

/// `+3.0%`: as the count's judgement sees it, to 0.1 %.
pub fn change(d: &CountDelta) -> String {
    d.change()
        .map_or("-".into(), |c| format!("{:+.1}%", pct(shown(c))))
}

/// One row per counted benchmark: compared with the baseline's count (calls in order), or the
/// count alone without a baseline. Empty when nothing was counted.
pub fn rows(benches: &BenchEvidence) -> Vec<[String; 5]> {
    if let Some(c) = &benches.comparison {
        return c
            .counts
            .iter()
            .map(|d| {
                [
                    d.id.clone(),
                    d.before.map_or("-".into(), counted),
                    counted(d.after),
                    change(d),
                    d.call.as_str().to_string(),
                ]
            })
            .collect();
    }
    benches
        .results
        .iter()
        .filter_map(|r| {
            Some([
                r.id.clone(),
                "-".into(),
                counted(Counted::of(&r.instructions)?),
                "-".into(),
                "no baseline".into(),
            ])
        })
        .collect()
}

/// A benchmark's `instructions` in `--format json`: each run's count, and its comparison with
/// the baseline's (`baseline`: the lowest and highest count of the baseline's runs).
pub fn json(r: &BenchResult, benches: &BenchEvidence) -> Option<Value> {
    if r.instructions.is_empty() {
        return None;
    }
    let mut out = json!({ "counts": r.instructions });
    let d = benches
        .comparison
        .as_ref()
        .and_then(|c| c.counts.iter().find(|d| d.id == r.id));
    if let Some(d) = d {
        let range = |c: Counted| match c {
            Counted::Exact(n) => [n, n],
            Counted::Varied { low, high } => [low, high],
        };
        out["comparison"] = json!({
            "baseline": d.before.map(range),
            "change_pct": d.change().map(|c| pct(shown(c))),
            "call": d.call,
            "thresholds_pct": {
                "warn": pct(d.thresholds.warn),
                "fail": pct(d.thresholds.fail),
            },
        });
    }
    Some(out)
}
