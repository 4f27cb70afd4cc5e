//! Reads criterion's result files: under `target/criterion`, every `new/benchmark.json` (with its
//! `estimates.json` and `sample.json`) written since a run started. Benchmarks are identified by
//! `full_id`, never by directory name (criterion makes names filename-safe and cuts them); stale
//! `change/` and `base/` directories are never read.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use crate::model::checked::{self, Rule};
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
    #[error("`{path}` is not {what}: {message}")]
    Invalid {
        path: PathBuf,
        what: &'static str,
        message: String,
    },
    /// Two results with the same id: one would be compared as the other.
    #[error(
        "benchmark `{id}` comes from both {first} and {second}: benchmarks are told apart by \
         criterion's `full_id` (a hyperfine command), so one would be compared as the other; \
         rename one, or remove the stale results"
    )]
    Duplicate {
        id: String,
        first: String,
        second: String,
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

/// criterion's samples: each one's iteration count and total time (ns). A count that is not
/// positive or a negative time is not criterion's output; a time of 0 is read but not usable.
#[derive(Deserialize)]
struct RawSample {
    #[serde(deserialize_with = "iters")]
    iters: Vec<f64>,
    #[serde(deserialize_with = "times")]
    times: Vec<f64>,
}

fn iters<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let must = "a sample's iteration count must be positive";
    checked::list(
        d,
        Rule {
            field: "iters",
            ok: checked::positive,
            must,
        },
    )
}

fn times<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let must = "a sample's time must be a finite number of ns, not negative";
    checked::list(
        d,
        Rule {
            field: "times",
            ok: checked::non_negative,
            must,
        },
    )
}

/// What criterion's files are, for errors.
const WHAT: &str = "a criterion result file";

/// Each sample's time per iteration (ns), for the samples that have one: a sample whose time is
/// 0 (or too small to divide) is left out, and a benchmark left with fewer than two is judged
/// as such (`bench-unjudged`), never dropped. `iters` and `times` must pair up.
fn per_iteration(sample: &RawSample, path: &Path) -> Result<Vec<f64>, CriterionError> {
    let (n, m) = (sample.iters.len(), sample.times.len());
    if n != m {
        return Err(CriterionError::Invalid {
            path: path.to_path_buf(),
            what: WHAT,
            message: format!("{n} `iters` but {m} `times`; each sample has one of each"),
        });
    }
    Ok(sample
        .times
        .iter()
        .zip(&sample.iters)
        .map(|(t, i)| t / i)
        .filter(|x| checked::positive(*x))
        .collect())
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
    let text = crate::fsutil::read_bounded(path, crate::fsutil::READ_CAP).map_err(|source| {
        CriterionError::Io {
            path: path.to_path_buf(),
            source,
        }
    })?;
    serde_json::from_str(&text).map_err(|e| CriterionError::Format {
        path: path.to_path_buf(),
        what,
        line: e.line(),
        column: e.column(),
        // The position is said once, before the message.
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    })
}

/// One benchmark from its `new/` directory.
pub fn read_one(new_dir: &Path) -> Result<BenchResult, CriterionError> {
    let bench: RawBenchmark = load(&new_dir.join("benchmark.json"), WHAT)?;
    let estimates: RawEstimates = load(&new_dir.join("estimates.json"), WHAT)?;
    let path = new_dir.join("sample.json");
    let samples = per_iteration(&load(&path, WHAT)?, &path)?;
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
        instructions: Vec::new(),
    })
}

/// Every benchmark under `root` whose `new/benchmark.json` was written at or after `since`
/// (all of them without), sorted by id. Two directories with the same `full_id` (a stale one
/// from another criterion version, a hand-made one) are an error naming both.
pub fn read_all(
    root: &Path,
    since: Option<SystemTime>,
) -> Result<Vec<BenchResult>, CriterionError> {
    let mut out = Vec::new();
    let mut dirs = std::collections::HashMap::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walk {
        // A directory that cannot be listed would hide its benchmarks: an error, not a skip.
        let entry = entry.map_err(|e| CriterionError::Io {
            path: e.path().unwrap_or(root).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("a loop")),
        })?;
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
        let dir = path.parent().expect("a file has a parent");
        let result = read_one(dir)?;
        if let Some(first) = dirs.insert(result.id.clone(), dir.to_path_buf()) {
            return Err(CriterionError::Duplicate {
                id: result.id,
                first: format!("`{}`", first.display()),
                second: format!("`{}`", dir.display()),
            });
        }
        out.push(result);
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

    /// A benchmark directory `<root>/<dir>/new` with `id` and the given `sample.json`.
    fn write_bench(root: &Path, dir: &str, id: &str, sample: &str) -> PathBuf {
        let new = root.join(dir).join("new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(
            new.join("benchmark.json"),
            format!(r#"{{"group_id":"g","function_id":null,"value_str":null,"throughput":null,"full_id":"{id}"}}"#),
        )
        .unwrap();
        let est =
            r#"{"confidence_interval":{"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5}"#;
        std::fs::write(
            new.join("estimates.json"),
            format!(r#"{{"mean":{est},"median":{est},"slope":null}}"#),
        )
        .unwrap();
        std::fs::write(new.join("sample.json"), sample).unwrap();
        new
    }

    /// Malformed samples are refused naming the file, the sample and its line:col; usable ones
    /// are read, however few (the judge fails a benchmark with fewer than two, see
    /// `policy::bench`); a time of 0 is no measurement and is left out.
    #[test]
    fn samples_are_checked_as_read() {
        let cases: [(&str, Result<Vec<f64>, &str>); 8] = [
            (r#"{"iters":[1,2],"times":[10,30]}"#, Ok(vec![10.0, 15.0])),
            (r#"{"iters":[4],"times":[10]}"#, Ok(vec![2.5])),
            (r#"{"iters":[1,2],"times":[0,30]}"#, Ok(vec![15.0])),
            (r#"{"iters":[],"times":[]}"#, Ok(vec![])),
            (
                r#"{"iters":[1,0],"times":[10,30]}"#,
                Err(
                    "sample.json` is not a criterion result file (1:14): `iters[1]` is 0: a sample's iteration count must be positive",
                ),
            ),
            (
                r#"{"iters":[1,2],"times":[10,-30]}"#,
                Err(
                    "(1:31): `times[1]` is -30: a sample's time must be a finite number of ns, not negative",
                ),
            ),
            (
                r#"{"iters":[1,2],"times":[10]}"#,
                Err(
                    "sample.json` is not a criterion result file: 2 `iters` but 1 `times`; each sample has one of each",
                ),
            ),
            (
                r#"{"iters":[1],"times":[NaN]}"#,
                Err("(1:23): expected value"),
            ),
        ];
        for (sample, want) in cases {
            let dir = tempfile::tempdir().unwrap();
            let new = write_bench(dir.path(), "b", "b", sample);
            match (read_one(&new), want) {
                (Ok(got), Ok(want)) => assert_eq!(got.samples, want, "{sample}"),
                (Err(got), Err(want)) => {
                    let got = got.to_string();
                    assert!(got.contains(want), "{sample}: {got}");
                }
                (got, want) => panic!("{sample}: {got:?}, want {want:?}"),
            }
        }
    }

    /// Two directories with the same `full_id` are an error naming both; a result file that is
    /// a link to a device is refused unread.
    #[cfg(unix)]
    #[test]
    fn duplicates_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let sample = r#"{"iters":[1,2],"times":[10,30]}"#;
        write_bench(dir.path(), "io_read", "io/read", sample);
        write_bench(dir.path(), "io/read", "io/read", sample);
        let err = read_all(dir.path(), None).unwrap_err().to_string();
        let (a, b) = (
            dir.path().join("io/read/new"),
            dir.path().join("io_read/new"),
        );
        assert!(
            err.starts_with(&format!(
                "benchmark `io/read` comes from both `{}` and `{}`",
                a.display(),
                b.display()
            )),
            "{err}"
        );
        std::fs::remove_dir_all(dir.path().join("io_read")).unwrap();
        let new = dir.path().join("io/read/new");
        std::fs::remove_file(new.join("sample.json")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", new.join("sample.json")).unwrap();
        let err = read_all(dir.path(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("failed to read `{}`", new.join("sample.json").display())
        );
        let CriterionError::Io { source, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(crate::fsutil::refusal(source).is_some(), "{source}");
    }
}
