//! `cargo budget trend`: drift, timing flakiness and headroom per test, over the recorded runs.

use std::io::{self, Write};

use serde_json::json;

use crate::policy::trend::{TestTrend, TrendFinding, TrendKind, TrendPayload};

/// What `trend` found, for the renderers.
pub struct TrendReport<'a> {
    pub trends: &'a [TestTrend],
    pub findings: &'a [TrendFinding],
    /// Commits with recorded runs read, and the window per test.
    pub commits: usize,
    pub window: usize,
    /// One test asked for: its runs are listed.
    pub focus: bool,
    /// Each test's median in the baseline (`.budget/baseline.json`), when there is one.
    pub baselines: &'a std::collections::HashMap<crate::model::TestId, f64>,
}

/// What to do about a trend finding (the andon action beside its signal).
pub fn action(kind: TrendKind) -> &'static str {
    match kind {
        TrendKind::Drift => {
            "find the commits that made it slower (the window's runs, `cargo budget trend \
             TEST`), profile it, and set a new baseline once it is fixed or accepted"
        }
        TrendKind::TimingFlaky => {
            "run it alone a few times (`cargo nextest run -E 'test(=NAME)'`): look for \
             sleeps, timeouts, shared state or I/O; until then give it a tier with wider \
             regression thresholds"
        }
        TrendKind::NearBudget => {
            "make it faster before it fails, or move it to a slower tier (`cargo budget \
             reclassify`)"
        }
    }
}

/// What a trend finding says: its numbers in words, the same in every format.
pub fn sentence(f: &TrendFinding) -> String {
    match f.payload {
        TrendPayload::Drift {
            runs,
            change,
            slope,
            p,
            warn,
            largest_step,
        } => format!(
            "{:+.1}% over the last {runs} runs ({:+.1} ms per commit, Theil–Sen; Mann–Kendall \
             p = {}), although no step between commits passed {:+.0}% (the largest was \
             {:+.1}%): slower by small steps",
            change * 100.0,
            slope,
            if p < 1e-4 {
                format!("{p:.1e}")
            } else {
                format!("{p:.4}")
            },
            warn * 100.0,
            largest_step * 100.0
        ),
        TrendPayload::TimingFlaky {
            runs,
            spread,
            median_ms,
        } => format!(
            "its time varies by ±{:.0}% around its trend over the last {runs} runs (robust \
             spread {:.0} ms on a median of {median_ms:.0} ms): a budget verdict on it is a coin \
             toss",
            spread * 100.0,
            spread * median_ms,
        ),
        TrendPayload::NearBudget {
            runs,
            median_ms,
            budget_ms,
        } => format!(
            "its median of {median_ms:.0} ms over the last {runs} runs is {:.0}% of its {} \
             budget: the next slowdown is a violation",
            median_ms / budget_ms * 100.0,
            crate::config::units::format_budget(std::time::Duration::from_millis(
                budget_ms.round() as u64
            ))
        ),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:+.1}%", v * 100.0))
}

pub fn human(r: &TrendReport<'_>, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "cargo-budget: {} over {} (the last {} runs of each)",
        crate::text::count(r.trends.len(), "test"),
        crate::text::count(r.commits, "recorded commit"),
        r.window
    )?;
    for f in r.findings {
        writeln!(
            w,
            "warning: {} {}: {}",
            f.kind().as_str(),
            crate::text::shown(&f.test),
            crate::text::shown(sentence(f))
        )?;
        writeln!(w, "  → {}", action(f.kind()))?;
    }
    if r.findings.is_empty() {
        writeln!(w, "No drift, timing flakiness or tests near their budget.")?;
    }
    let shown: Vec<&TestTrend> = r
        .trends
        .iter()
        .filter(|t| r.focus || r.findings.iter().any(|f| f.test == t.test))
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|t| {
            vec![
                t.test.to_string(),
                t.tier.clone(),
                t.points.len().to_string(),
                format!("{:.0} ms", t.median_ms),
                format!("{:.0} ms", t.budget_ms),
                pct(t.change),
                t.p.map_or("-".into(), |p| format!("{p:.4}")),
                t.spread
                    .map_or("-".into(), |s| format!("±{:.0}%", s * 100.0)),
            ]
        })
        .collect();
    writeln!(w)?;
    w.write_all(
        crate::text::table(
            &[
                "test", "tier", "runs", "median", "budget", "change", "p", "spread",
            ],
            &rows,
        )
        .as_bytes(),
    )?;
    if r.focus {
        for t in &shown {
            let runs: Vec<String> = t.points.iter().map(|p| format!("{:.0}", p.ms)).collect();
            writeln!(
                w,
                "\n{} (ms, oldest first): {}",
                crate::text::shown(&t.test),
                runs.join(" ")
            )?;
        }
    }
    Ok(())
}

pub fn json(r: &TrendReport<'_>, w: &mut dyn Write) -> io::Result<()> {
    let findings: Vec<_> = r
        .findings
        .iter()
        .map(|f| {
            json!({
                "kind": f.kind().as_str(),
                "severity": "warning",
                "binary_id": f.test.binary_id,
                "name": f.test.name,
                "tier": f.tier,
                "message": sentence(f),
                "action": action(f.kind()),
            })
        })
        .collect();
    let tests: Vec<_> = r
        .trends
        .iter()
        .filter(|t| r.focus || r.findings.iter().any(|f| f.test == t.test))
        .map(|t| {
            json!({
                "binary_id": t.test.binary_id,
                "name": t.test.name,
                "tier": t.tier,
                "budget_ms": t.budget_ms,
                "median_ms": t.median_ms,
                "baseline_ms": r.baselines.get(&t.test),
                "runs_ms": t.points.iter().map(|p| p.ms).collect::<Vec<_>>(),
                "slope_ms_per_commit": t.slope,
                "change": t.change,
                "largest_step": t.largest_step,
                "p": t.p,
                "spread": t.spread,
            })
        })
        .collect();
    serde_json::to_writer_pretty(
        &mut *w,
        &json!({
            "schema": 1,
            "commits": r.commits,
            "window": r.window,
            "tests_analysed": r.trends.len(),
            "findings": findings,
            "tests": tests,
        }),
    )?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::trend::{Point, Series, TrendSettings, analyze};

    fn series(name: &str, budget_ms: f64, ms: &[f64]) -> Series {
        Series {
            test: crate::model::TestId::new("fx::unit", name),
            tier: "unit".into(),
            budget_ms,
            points: ms
                .iter()
                .enumerate()
                .map(|(i, ms)| Point { commit: i, ms: *ms })
                .collect(),
        }
    }

    /// Each kind of trend finding in words, in the human report and in JSON: drift (with a
    /// p-value in each notation), timing flakiness, a median near its budget.
    #[test]
    fn trend_findings_in_words() {
        let growing: Vec<f64> = (0..10).map(|i| 300.0 * 1.04f64.powi(i)).collect();
        let wobbling: Vec<f64> = (0..8)
            .map(|i| 300.0 * 1.03f64.powi(i) * [1.0, 1.01, 0.995, 1.005][i as usize % 4])
            .collect();
        let alternating: Vec<f64> = (0..10)
            .map(|i| if i % 2 == 0 { 200.0 } else { 600.0 })
            .collect();
        let near: Vec<f64> = (0..10).map(|i| 950.0 + [4.0, -3.0, 2.0][i % 3]).collect();
        let all = [
            series("growing", 10_000.0, &growing),
            series("wobbling", 10_000.0, &wobbling),
            series("alternating", 10_000.0, &alternating),
            series("near", 1_000.0, &near),
        ];
        let (trends, findings) = analyze(&all, TrendSettings::default());
        let baselines = Default::default();
        let report = TrendReport {
            trends: &trends,
            findings: &findings,
            commits: 10,
            window: 20,
            focus: false,
            baselines: &baselines,
        };
        let mut out = Vec::new();
        human(&report, &mut out).unwrap();
        json(&report, &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }
}
