//! `--format json` for benchmarks: every benchmark with its estimates in ns per iteration, its
//! change against the baseline with the interval and the call, and the findings.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::policy::Verdict;
use crate::policy::bench::{BenchDelta, BenchEvidence};
use crate::report::Meta;
use crate::report::sentence::bench as detail;

fn pct(ratio: f64) -> f64 {
    ((ratio - 1.0) * 1000.0).round() / 10.0
}

fn delta(d: &BenchDelta) -> Value {
    json!({
        "baseline_mean_ns": d.before.point,
        "change_pct": pct(d.ratio.point),
        "change_ci_pct": [pct(d.ratio.lower), pct(d.ratio.upper)],
        "call": d.call,
        "thresholds_pct": {
            "warn": pct(1.0 + d.thresholds.warn),
            "fail": pct(1.0 + d.thresholds.fail),
        },
        "samples": [d.samples.0, d.samples.1],
    })
}

pub fn render(
    verdict: &Verdict,
    benches: &BenchEvidence,
    meta: &Meta,
    w: &mut dyn Write,
) -> io::Result<()> {
    let comparison = benches.comparison.as_ref();
    let benchmarks: Vec<Value> = benches
        .results
        .iter()
        .map(|r| {
            let e = &r.estimates;
            let mut b = json!({
                "id": r.id,
                "group": r.group,
                "function": r.function,
                "value": r.value,
                "target": r.target,
                "mean_ns": e.mean.point,
                "mean_ci_ns": [e.mean.lower, e.mean.upper],
                "median_ns": e.median.point,
                "samples": r.samples.len(),
                "throughput": r.throughput,
            });
            let d = comparison.and_then(|c| c.deltas.iter().find(|d| d.id == r.id));
            if let (Some(d), Some(map)) = (d, b.as_object_mut()) {
                map.insert("comparison".into(), delta(d));
            }
            if let Some(counted) = crate::report::bench_counts::json(r, benches) {
                b["instructions"] = counted;
            }
            if let Some((file, line)) = benches.locations.get(&r.id) {
                b["file"] = json!(file);
                b["line"] = json!(line);
            }
            b
        })
        .collect();
    let findings: Vec<Value> = verdict
        .findings
        .iter()
        .map(|f| {
            json!({
                "severity": f.severity,
                "kind": f.kind(),
                "subject": detail::subject(f),
                "target": f.bench.as_ref().and_then(|b| b.target()),
                "detail": detail::detail(f),
            })
        })
        .collect();
    let out = json!({
        "schema": 1,
        "kind": "benchmarks",
        "context": verdict.context.as_str(),
        "status": verdict.status,
        "exit_code": meta.exit_code,
        "baseline": benches.baseline.as_ref().map(|b| json!({
            "source": b.source,
            "commit": b.commit,
            "created": b.created,
        })),
        "machine_factor": comparison.and_then(|c| c.factor),
        "run_spread_pct": comparison.and_then(|c| c.spread).map(|s| s.variance.sqrt() * 100.0),
        "not_comparable": comparison.map(|c| c.differences.clone()).unwrap_or_default(),
        "benchmarks": benchmarks,
        "new": comparison.map(|c| c.new.clone()).unwrap_or_default(),
        "missing": comparison.map(|c| c.missing.clone()).unwrap_or_default(),
        "not_measured": benches.not_measured,
        "failed": benches.failed,
        "not_counted": benches.not_counted,
        "findings": findings,
    });
    serde_json::to_writer_pretty(&mut *w, &out)?;
    writeln!(w)
}
