//! `cargo budget history`: the recorded runs as a table over time (the kaizen metrics:
//! violations per tier, the violation rate, the suite's wall time) or as JSON.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::history::{HistoryRecord, RecordKind, Recorded};

/// The test runs, oldest first, each with its commit.
fn runs(history: &[Recorded]) -> Vec<(&Recorded, &HistoryRecord)> {
    history
        .iter()
        .rev()
        .flat_map(|c| c.records.iter().map(move |r| (c, r)))
        .filter(|(_, r)| r.kind == RecordKind::Tests)
        .collect()
}

fn rate(violations: u32, tests: u32, failed: u32) -> String {
    match tests.saturating_sub(failed) {
        0 => "-".into(),
        judged => format!("{:.1}%", f64::from(violations) * 100.0 / f64::from(judged)),
    }
}

pub fn human(history: &[Recorded], w: &mut dyn Write) -> io::Result<()> {
    let runs = runs(history);
    if runs.is_empty() {
        return writeln!(
            w,
            "No runs recorded on HEAD or its ancestors: `cargo budget report --record` records one \
             (fetch a team's history with `git fetch origin {0}:{0}`).",
            crate::history::NOTES_REF
        );
    }
    let mut tiers: Vec<&str> = Vec::new();
    for (_, r) in &runs {
        for t in &r.tiers {
            if !tiers.contains(&t.tier.as_str()) {
                tiers.push(&t.tier);
            }
        }
    }
    let mut header = vec![
        "commit",
        "recorded",
        "context",
        "tests",
        "violations",
        "rate",
    ];
    header.extend(tiers.iter().copied());
    header.push("suite");
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|(c, r)| {
            let (tests, violations, failed) = r.tiers.iter().fold((0, 0, 0), |a, t| {
                (a.0 + t.tests, a.1 + t.violations, a.2 + t.failed)
            });
            let mut row = vec![
                format!("{}{}", &c.commit[..10], if r.dirty { "+" } else { "" }),
                r.timestamp
                    .replace('T', " ")
                    .trim_end_matches('Z')
                    .to_string(),
                r.context.clone(),
                tests.to_string(),
                violations.to_string(),
                rate(violations, tests, failed),
            ];
            for tier in &tiers {
                row.push(match r.tiers.iter().find(|t| t.tier == *tier) {
                    Some(t) => format!("{}/{}", t.violations, t.tests),
                    None => "-".into(),
                });
            }
            row.push(
                r.wall_ms
                    .map_or("-".into(), |ms| format!("{:.1}s", ms as f64 / 1000.0)),
            );
            row
        })
        .collect();
    writeln!(
        w,
        "cargo-budget: {} recorded on {} (violations/tests per tier; `+`: a dirty working tree)\n",
        crate::text::count(runs.len(), "test run"),
        crate::text::count(history.len(), "commit")
    )?;
    w.write_all(crate::text::table(&header, &rows).as_bytes())?;
    if let Some((_, last)) = runs.last() {
        slowest(last, w)?;
    }
    Ok(())
}

/// The latest run's slowest test per tier.
fn slowest(last: &HistoryRecord, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "\nSlowest per tier in the latest run:")?;
    for t in &last.tiers {
        if let Some((test, ms)) = &t.slowest {
            writeln!(
                w,
                "  {:<12} {} {:.0} ms (budget {} ms)",
                crate::text::shown(&t.tier),
                crate::text::shown(test),
                ms,
                t.budget_ms
            )?;
        }
    }
    Ok(())
}

pub fn json(history: &[Recorded], w: &mut dyn Write) -> io::Result<()> {
    let runs: Vec<Value> = runs(history)
        .into_iter()
        .map(|(c, r)| {
            json!({
                "commit": c.commit,
                "summary": c.summary,
                "recorded": r.timestamp,
                "dirty": r.dirty,
                "context": r.context,
                "wall_ms": r.wall_ms,
                "tiers": r.tiers.iter().map(|t| json!({
                    "tier": t.tier,
                    "budget_ms": t.budget_ms,
                    "tests": t.tests,
                    "violations": t.violations,
                    "failed": t.failed,
                    "violation_rate": match t.tests.saturating_sub(t.failed) {
                        0 => Value::Null,
                        n => json!((f64::from(t.violations) / f64::from(n) * 10_000.0).round() / 10_000.0),
                    },
                    "slowest": t.slowest.as_ref().map(|(test, ms)| json!({"test": test, "ms": ms})),
                })).collect::<Vec<_>>(),
                "findings": r.findings,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *w, &json!({ "schema": 1, "runs": runs }))?;
    writeln!(w)
}
