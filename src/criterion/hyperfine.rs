//! hyperfine's `--export-json` as a second bench source: each command is a benchmark, its
//! `times` (seconds per run) the samples.

use std::path::Path;

use serde::Deserialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::CriterionError;
use crate::model::{BenchResult, Estimate, Estimates};

#[derive(Deserialize)]
struct Export {
    results: Vec<Command>,
}

#[derive(Deserialize)]
struct Command {
    command: String,
    times: Vec<f64>,
}

/// Whether `text` looks like a hyperfine export (a `results` array of commands with `times`).
pub fn is_export(text: &str) -> bool {
    serde_json::from_str::<Export>(text).is_ok()
}

/// Mean with its 95 % Student-t interval, and the median (its interval: the same half-width).
fn estimates(ns: &[f64]) -> Estimates {
    let n = ns.len() as f64;
    let mean = ns.iter().sum::<f64>() / n;
    let half = if ns.len() > 1 {
        let var = ns.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let t = StudentsT::new(0.0, 1.0, n - 1.0)
            .map(|d| d.inverse_cdf(0.975))
            .unwrap_or(f64::NAN);
        t * (var / n).sqrt()
    } else {
        0.0
    };
    let mut sorted = ns.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median = match sorted.len() % 2 {
        0 => (sorted[mid - 1] + sorted[mid]) / 2.0,
        _ => sorted[mid],
    };
    let around = |p: f64| Estimate {
        point: p,
        lower: p - half,
        upper: p + half,
    };
    Estimates {
        mean: around(mean),
        median: around(median),
        slope: None,
    }
}

/// Reads a hyperfine export; times become nanoseconds.
pub fn read(path: &Path) -> Result<Vec<BenchResult>, CriterionError> {
    let text = std::fs::read_to_string(path).map_err(|source| CriterionError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let export: Export = serde_json::from_str(&text).map_err(|e| CriterionError::Format {
        path: path.to_path_buf(),
        what: "a hyperfine export (`hyperfine --export-json`)",
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let mut out: Vec<BenchResult> = export
        .results
        .into_iter()
        .filter(|c| !c.times.is_empty())
        .map(|c| {
            let ns: Vec<f64> = c.times.iter().map(|s| s * 1e9).collect();
            BenchResult {
                group: c.command.clone(),
                id: c.command,
                function: None,
                value: None,
                target: None,
                estimates: estimates(&ns),
                samples: ns,
                throughput: None,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_become_benchmarks_in_nanoseconds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.json");
        std::fs::write(
            &path,
            r#"{"results":[{"command":"sleep 0.1","mean":0.1,"times":[0.1,0.102,0.098],"exit_codes":[0,0,0]},
                           {"command":"sleep 0.05","mean":0.05,"times":[0.05,0.05]}]}"#,
        )
        .unwrap();
        let all = read(&path).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].id, "sleep 0.1");
        assert!((all[1].estimates.mean.point - 1e8).abs() < 1.0);
        // t(2, 0.975) = 4.303; sd = 2 ms; half-width = 4.303 * 2e6 / sqrt(3).
        let half = all[1].estimates.mean.upper - all[1].estimates.mean.point;
        assert!((half - 4.303 * 2e6 / 3f64.sqrt()).abs() < 1e4, "{half}");
        assert_eq!(all[0].estimates.mean.lower, all[0].estimates.mean.upper);
        std::fs::write(&path, "{\"results\": [{\"command\": 1}]}").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(
            err.contains("h.json` is not a hyperfine export (`hyperfine --export-json`) (1:26)"),
            "{err}"
        );
    }
}
