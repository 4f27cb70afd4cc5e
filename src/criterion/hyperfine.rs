//! hyperfine's `--export-json` as a second bench source: each command is a benchmark, its runs'
//! wall times the samples. Both export formats are read: hyperfine 1.x (`times`, seconds) and
//! 2.x (`schema_version` 2: `measurements[].time_wall_clock` with its unit).

use std::path::Path;

use serde::Deserialize;
use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::statistics::{Data, Median, Statistics};

use super::CriterionError;
use crate::model::checked::{self, Rule};
use crate::model::{BenchResult, Estimate, Estimates};

#[derive(Deserialize)]
struct Export {
    results: Vec<Command>,
}

#[derive(Deserialize)]
struct Command {
    command: String,
    /// hyperfine 1.x: seconds per run.
    #[serde(default, deserialize_with = "times")]
    times: Vec<f64>,
    /// hyperfine 2.x: one entry per run.
    #[serde(default)]
    measurements: Vec<Measurement>,
}

#[derive(Deserialize)]
struct Measurement {
    time_wall_clock: Quantity,
}

#[derive(Deserialize)]
struct Quantity {
    #[serde(deserialize_with = "value")]
    value: f64,
    unit: String,
}

const MUST: &str = "a run's time must be a finite number, not negative";

fn times<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    checked::list(
        d,
        Rule {
            field: "times",
            ok: checked::non_negative,
            must: MUST,
        },
    )
}

fn value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    checked::one(
        d,
        Rule {
            field: "value",
            ok: checked::non_negative,
            must: MUST,
        },
    )
}

impl Quantity {
    /// The time in ns; `None` for a unit that is not a time.
    fn ns(&self) -> Option<f64> {
        let scale = match self.unit.as_str() {
            "second" | "s" => 1e9,
            "millisecond" | "ms" => 1e6,
            "microsecond" | "us" | "µs" => 1e3,
            "nanosecond" | "ns" => 1.0,
            _ => return None,
        };
        Some(self.value * scale)
    }
}

impl Command {
    /// Each run's wall time, ns (a time of 0 is no measurement: left out).
    fn samples(&self) -> Vec<f64> {
        let ns: Vec<f64> = match self.times.is_empty() {
            false => self.times.iter().map(|s| s * 1e9).collect(),
            true => self
                .measurements
                .iter()
                .filter_map(|m| m.time_wall_clock.ns())
                .collect(),
        };
        ns.into_iter().filter(|x| checked::positive(*x)).collect()
    }
}

/// Mean with its 95 % Student-t interval, and the median (its interval: the same half-width).
fn estimates(ns: &[f64]) -> Estimates {
    let n = ns.len() as f64;
    let mean = ns.mean();
    let half = if ns.len() > 1 {
        let var = ns.variance();
        let t = StudentsT::new(0.0, 1.0, n - 1.0)
            .map(|d| d.inverse_cdf(0.975))
            .unwrap_or(f64::NAN);
        t * (var / n).sqrt()
    } else {
        0.0
    };
    let median = Data::new(ns.to_vec()).median();
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

/// Reads a hyperfine export; times become nanoseconds. A command without a run time, or one
/// named twice, is refused: it would leave the comparison, or be compared as the other.
pub fn read(path: &Path) -> Result<Vec<BenchResult>, CriterionError> {
    const WHAT: &str = "a hyperfine export (`hyperfine --export-json`)";
    let export: Export = super::read::load(path, WHAT)?;
    let mut out: Vec<BenchResult> = Vec::with_capacity(export.results.len());
    let mut seen = std::collections::HashMap::new();
    for (i, c) in export.results.into_iter().enumerate() {
        let ns = c.samples();
        if ns.is_empty() {
            return Err(CriterionError::Invalid {
                path: path.to_path_buf(),
                what: WHAT,
                message: format!("`results[{i}]` (`{}`) has no run time", c.command),
            });
        }
        if let Some(first) = seen.insert(c.command.clone(), i) {
            let at = |k: usize| format!("`{}` (`results[{k}]`)", path.display());
            return Err(CriterionError::Duplicate {
                id: c.command,
                first: at(first),
                second: at(i),
            });
        }
        out.push(BenchResult {
            group: c.command.clone(),
            id: c.command,
            function: None,
            value: None,
            target: None,
            estimates: estimates(&ns),
            samples: ns,
            runs: Vec::new(),
            throughput: None,
            instructions: Vec::new(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_export_formats_read() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        for file in ["hyperfine.json", "hyperfine-v2.json"] {
            let all = read(&data.join(file)).unwrap();
            let ids: Vec<&str> = all.iter().map(|b| b.id.as_str()).collect();
            assert_eq!(ids, ["sleep 0.05", "sleep 0.1"], "{file}");
            assert_eq!(all[0].samples.len(), 10, "{file}");
            let mean = all[1].estimates.mean.point;
            assert!((1.0e8..1.2e8).contains(&mean), "{file}: {mean}");
        }
    }

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

    /// A bad time is refused at its position, a command named twice or without a run time is
    /// refused naming it; a time of 0 is no measurement and is left out.
    #[test]
    fn bad_exports_are_refused() {
        let v2 = |value: &str| {
            format!(
                r#"{{"schema_version":2,"results":[{{"command":"a","measurements":[{{"time_wall_clock":{{"value":{value},"unit":"second"}}}}]}}]}}"#
            )
        };
        let cases: [(String, Result<Vec<f64>, &str>); 6] = [
            (
                r#"{"results":[{"command":"a","times":[0.1,0,0.2]}]}"#.into(),
                Ok(vec![1e8, 2e8]),
            ),
            (
                r#"{"results":[{"command":"a","times":[0.1,-0.2]}]}"#.into(),
                Err(
                    "(1:45): `times[1]` is -0.2: a run's time must be a finite number, not negative",
                ),
            ),
            (
                v2("-1"),
                Err("`value` is -1: a run's time must be a finite number, not negative"),
            ),
            (v2("0.5"), Ok(vec![5e8])),
            (
                r#"{"results":[{"command":"a","times":[0]}]}"#.into(),
                Err(
                    "h.json` is not a hyperfine export (`hyperfine --export-json`): `results[0]` (`a`) has no run time",
                ),
            ),
            (
                r#"{"results":[{"command":"a","times":[1]},{"command":"a","times":[2]}]}"#.into(),
                Err("benchmark `a` comes from both"),
            ),
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.json");
        for (json, want) in cases {
            std::fs::write(&path, &json).unwrap();
            match (read(&path), want) {
                (Ok(got), Ok(want)) => assert_eq!(got[0].samples, want, "{json}"),
                (Err(got), Err(want)) => {
                    let got = got.to_string();
                    assert!(got.contains(want), "{json}: {got}");
                }
                (got, want) => panic!("{json}: {got:?}, want {want:?}"),
            }
        }
        std::fs::write(
            &path,
            r#"{"results":[{"command":"a","times":[1]},{"command":"a","times":[2]}]}"#,
        )
        .unwrap();
        let err = read(&path).unwrap_err().to_string();
        let at = |k: usize| format!("`{}` (`results[{k}]`)", path.display());
        assert!(
            err.starts_with(&format!(
                "benchmark `a` comes from both {} and {}",
                at(0),
                at(1)
            )),
            "{err}"
        );
    }
}
