//! Reads criterion's result files: under `target/criterion`, every `new/benchmark.json` (with its
//! `estimates.json` and `sample.json`) written since a run started. Benchmarks are identified by
//! `full_id`, never by directory name (criterion makes names filename-safe and cuts them); stale
//! `change/` and `base/` directories are never read.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use crate::model::{BenchResult, Estimate, Estimates, Throughput};

#[derive(Debug, thiserror::Error)]
pub enum CriterionError {
    #[error("failed to read `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not {what} ({line}:{column}): {message}")]
    Format {
        path: PathBuf,
        what: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Deserialize)]
struct RawBenchmark {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    throughput: Option<RawThroughput>,
    full_id: String,
}

#[derive(Deserialize)]
enum RawThroughput {
    Bytes(u64),
    BytesDecimal(u64),
    Elements(u64),
    Bits(u64),
    ElementsAndBytes { elements: u64 },
}

#[derive(Deserialize)]
struct RawInterval {
    lower_bound: f64,
    upper_bound: f64,
}

#[derive(Deserialize)]
struct RawEstimate {
    confidence_interval: RawInterval,
    point_estimate: f64,
}

#[derive(Deserialize)]
struct RawEstimates {
    mean: RawEstimate,
    median: RawEstimate,
    #[serde(default)]
    slope: Option<RawEstimate>,
}

#[derive(Deserialize)]
struct RawSample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

fn estimate(raw: &RawEstimate) -> Estimate {
    Estimate {
        point: raw.point_estimate,
        lower: raw.confidence_interval.lower_bound,
        upper: raw.confidence_interval.upper_bound,
    }
}

/// Reads the JSON file at `path`; an error says the file is not `what`, at which position.
pub(super) fn load<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &'static str,
) -> Result<T, CriterionError> {
    let text = std::fs::read_to_string(path).map_err(|source| CriterionError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| CriterionError::Format {
        path: path.to_path_buf(),
        what,
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// One benchmark from its `new/` directory.
pub fn read_one(new_dir: &Path) -> Result<BenchResult, CriterionError> {
    const WHAT: &str = "a criterion result file";
    let bench: RawBenchmark = load(&new_dir.join("benchmark.json"), WHAT)?;
    let estimates: RawEstimates = load(&new_dir.join("estimates.json"), WHAT)?;
    let sample: RawSample = load(&new_dir.join("sample.json"), WHAT)?;
    let samples = sample
        .times
        .iter()
        .zip(&sample.iters)
        .filter(|(_, iters)| **iters > 0.0)
        .map(|(t, i)| t / i)
        .collect();
    Ok(BenchResult {
        id: bench.full_id,
        group: bench.group_id,
        function: bench.function_id,
        value: bench.value_str,
        target: None,
        estimates: Estimates {
            mean: estimate(&estimates.mean),
            median: estimate(&estimates.median),
            slope: estimates.slope.as_ref().map(estimate),
        },
        samples,
        runs: Vec::new(),
        throughput: bench.throughput.map(|t| match t {
            RawThroughput::Bytes(n) => Throughput::Bytes(n),
            RawThroughput::BytesDecimal(n) => Throughput::BytesDecimal(n),
            RawThroughput::Elements(n) => Throughput::Elements(n),
            RawThroughput::Bits(n) => Throughput::Bits(n),
            RawThroughput::ElementsAndBytes { elements } => Throughput::Elements(elements),
        }),
    })
}

/// Every benchmark under `root` whose `new/benchmark.json` was written at or after `since`
/// (all of them without), sorted by id.
pub fn read_all(
    root: &Path,
    since: Option<SystemTime>,
) -> Result<Vec<BenchResult>, CriterionError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if entry.file_name() != "benchmark.json"
            || path.parent().and_then(Path::file_name) != Some("new".as_ref())
        {
            continue;
        }
        if let Some(since) = since {
            let written = entry.metadata().ok().and_then(|m| m.modified().ok());
            if written.is_none_or(|w| w < since) {
                continue;
            }
        }
        out.push(read_one(path.parent().expect("a file has a parent"))?);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_facts_sample_shapes() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("sum/work/100/new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(
            new.join("benchmark.json"),
            r#"{"group_id":"sum","function_id":"work","value_str":"100","throughput":{"Elements":100},"full_id":"sum/work/100","directory_name":"sum/work/100","title":"sum/work/100"}"#,
        )
        .unwrap();
        let est = |p: f64| {
            format!(
                r#"{{"confidence_interval":{{"confidence_level":0.95,"lower_bound":{},"upper_bound":{}}},"point_estimate":{p},"standard_error":0.05}}"#,
                p - 1.0,
                p + 1.0
            )
        };
        std::fs::write(
            new.join("estimates.json"),
            format!(
                r#"{{"mean":{},"median":{},"median_abs_dev":{},"slope":null,"std_dev":{}}}"#,
                est(74.0),
                est(73.0),
                est(0.4),
                est(0.5)
            ),
        )
        .unwrap();
        std::fs::write(
            new.join("sample.json"),
            r#"{"sampling_mode":"Flat","iters":[10.0,20.0],"times":[740.0,1500.0]}"#,
        )
        .unwrap();
        // A stale comparison elsewhere is never read.
        std::fs::create_dir_all(dir.path().join("sum/work/100/change")).unwrap();
        std::fs::write(dir.path().join("sum/work/100/change/estimates.json"), "{").unwrap();

        let all = read_all(dir.path(), None).unwrap();
        assert_eq!(all.len(), 1);
        let b = &all[0];
        assert_eq!((b.id.as_str(), b.group.as_str()), ("sum/work/100", "sum"));
        assert_eq!(b.value.as_deref(), Some("100"));
        assert_eq!(b.throughput, Some(Throughput::Elements(100)));
        assert_eq!(b.estimates.mean.point, 74.0);
        assert_eq!(b.estimates.slope, None);
        assert_eq!(b.samples, [74.0, 75.0]);

        let later = SystemTime::now() + std::time::Duration::from_secs(3600);
        assert!(read_all(dir.path(), Some(later)).unwrap().is_empty());

        std::fs::write(new.join("sample.json"), "{\n  \"iters\": oops").unwrap();
        let err = read_all(dir.path(), None).unwrap_err().to_string();
        assert!(
            err.contains("sample.json` is not a criterion result file (2:12)"),
            "{err}"
        );
    }
}
