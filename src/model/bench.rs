//! Benchmarks as measured things: what one benchmark's run yielded (criterion's estimates and
//! per-iteration sample times, or a timed command's runs), and the benches that could not be
//! measured.

use serde::{Deserialize, Serialize};

/// A point estimate with its confidence interval, in nanoseconds per iteration.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub point: f64,
    pub lower: f64,
    pub upper: f64,
}

/// criterion's estimates of one benchmark (ns per iteration). `slope` exists only in linear
/// sampling mode.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimates {
    pub mean: Estimate,
    pub median: Estimate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slope: Option<Estimate>,
}

/// How much work one iteration does, as criterion records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Throughput {
    Bytes(u64),
    BytesDecimal(u64),
    Elements(u64),
    Bits(u64),
}

/// One benchmark's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    /// criterion's `full_id` (`group/function/value`), or the command for a timed command.
    pub id: String,
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The bench target that produced it (`pkg::bench/name`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub estimates: Estimates,
    /// Per-iteration time of each sample, ns (a sample's total time ÷ its iterations); of all
    /// runs, for a result of several. Positive and finite (read so: see `checked`).
    #[serde(deserialize_with = "super::checked::samples")]
    pub samples: Vec<f64>,
    /// For a result of several runs (a baseline recorded with `--runs N`): each run's geometric
    /// mean per-iteration time, ns. What the run-to-run spread is measured from.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::checked::runs"
    )]
    pub runs: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Throughput>,
    /// The instructions its routine executed under Valgrind (`bench --instructions`), once per
    /// run: exact, so runs that differ say the benchmark is nondeterministic. Empty when not
    /// counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instructions: Vec<u64>,
}

/// A bench target that ran but yielded no results cargo-budget can read, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotMeasured {
    /// `pkg::bench/name`.
    pub target: String,
    pub reason: String,
}

/// A bench target (or one benchmark of it) whose instructions were asked for but not counted,
/// and why: Valgrind missing, the routine not found (inlined, an async bencher), a failed run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotCounted {
    /// `pkg::bench/name`.
    pub target: String,
    /// The benchmark's id; `None` when nothing of the target was counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<String>,
    pub reason: String,
}

/// The conditions benchmarks were measured under; timings from different ones do not compare.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchContract {
    /// `rustc -vV` first line.
    pub rustc: String,
    pub target: String,
    pub cpus: u32,
    pub cpu: String,
    /// The cargo profile the benches were built with (`bench` unless `--profile`).
    pub profile: String,
    /// `RUSTFLAGS` (or `CARGO_ENCODED_RUSTFLAGS`) as set, empty when unset.
    pub rustflags: String,
    /// criterion's version in Cargo.lock, `unknown` without one (or for timed commands).
    pub criterion: String,
}

impl BenchContract {
    /// Fields that make timings not comparable, as "field (baseline `a`, now `b`)".
    pub fn differences(&self, now: &BenchContract) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |field: &str, a: &str, b: &str| {
            if a != b {
                out.push(format!("{field} (baseline `{a}`, now `{b}`)"));
            }
        };
        check("rustc", &self.rustc, &now.rustc);
        check("target", &self.target, &now.target);
        check("cpus", &self.cpus.to_string(), &now.cpus.to_string());
        check("cpu", &self.cpu, &now.cpu);
        check("profile", &self.profile, &now.profile);
        check("rustflags", &self.rustflags, &now.rustflags);
        check("criterion", &self.criterion, &now.criterion);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> BenchContract {
        BenchContract {
            rustc: "rustc 1.95.0".into(),
            target: "x86_64-unknown-linux-gnu".into(),
            cpus: 2,
            cpu: "cpu".into(),
            profile: "bench".into(),
            rustflags: String::new(),
            criterion: "0.8.2".into(),
        }
    }

    #[test]
    fn contracts_differ_by_field() {
        let a = contract();
        assert!(a.differences(&a).is_empty());
        let b = BenchContract {
            rustflags: "-C target-cpu=native".into(),
            criterion: "0.8.1".into(),
            ..contract()
        };
        assert_eq!(
            a.differences(&b),
            [
                "rustflags (baseline ``, now `-C target-cpu=native`)",
                "criterion (baseline `0.8.2`, now `0.8.1`)"
            ]
        );
    }
}

/// The peak memory of a capability's tests (its `tests` filterset), or why it is not known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestsPeak {
    /// The highest peak RSS among `tests` tests, reached by `test` (`binary-id test-name`).
    Measured {
        bytes: u64,
        test: String,
        tests: usize,
    },
    NotMeasured(String),
}
