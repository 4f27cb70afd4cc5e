//! `.budget/baseline.json`: what a measured suite looked like, with the measurement contract
//! that says under which conditions. Versioned, deterministic (sorted keys, fixed field order,
//! stable formatting) and written atomically. Schema 2 keeps every run's duration of each test
//! (the noise model needs the spread), schema 3 each test's peak memory and CPU time when they
//! were measured; schema 1 and 2 files still load.

pub mod bench;
mod check;
mod lean;
mod read;
mod record;
pub use record::Measured;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use crate::model::Contract;
use crate::policy::compare::References;
use crate::policy::noise::Spread;
pub use lean::{Recorded, parse_references, read_references};
use read::{check, check_members};
pub use read::{parse, read};

/// The schema written. Schema 2 (no peak memory, no CPU time) and schema 1 (no per-run
/// samples, no run list either) are still read.
pub const SCHEMA: u32 = 3;
/// Relative to the workspace root.
pub const DEFAULT_PATH: &str = ".budget/baseline.json";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub schema: u32,
    pub tool: String,
    /// RFC 3339, UTC, seconds.
    pub created: String,
    /// `git rev-parse HEAD` when recorded, if in a repository with commits.
    pub commit: Option<String>,
    pub workspace: WorkspaceId,
    pub contract: Contract,
    /// One entry per run of the suite, in order (empty in schema 1 files).
    #[serde(default)]
    pub runs: Vec<RunInfo>,
    /// Keyed by `"<binary-id> <test name>"`, as nextest prints tests; each entry checked on
    /// read.
    #[serde(deserialize_with = "check::checked_entries")]
    pub tests: BTreeMap<String, Entry>,
}

/// The conditions of one run of the suite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The run's wall-clock time.
    pub wall_ms: Option<u64>,
    /// The machine's 1-minute load average when the run ended (Linux), for the reader: a
    /// baseline recorded on a busy machine spreads wider.
    pub load_1m: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceId {
    /// Workspace member package names, sorted.
    pub members: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub tier: String,
    pub runs: u32,
    /// Milliseconds; `null` for a test that did not pass in every run (never a reference time).
    pub min_ms: Option<u64>,
    pub median_ms: Option<u64>,
    pub max_ms: Option<u64>,
    /// `passed`, `flaky`, `failed` or `timeout`: the worst across runs.
    pub outcome: String,
    /// Every run's duration in run order (schema 2; `null` where the times are).
    #[serde(default)]
    pub samples_ms: Option<Vec<u64>>,
    /// The highest peak memory over the runs, in bytes (schema 3; absent when not measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<u64>,
    /// The median CPU time (user + system) over the runs (schema 3; absent when not measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_ms: Option<u64>,
    /// Instructions of each counting run, under Valgrind (absent when not counted). Counts
    /// that differ say the test is nondeterministic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Vec<u64>>,
}

impl Entry {
    /// The runs of a test that passed cleanly in every run: its reference.
    pub fn reference(&self) -> Option<Spread> {
        let runs = self.reference_ms()?;
        Spread::of(runs.iter().map(|&ms| Duration::from_millis(ms)).collect())
    }

    fn reference_ms(&self) -> Option<Box<[u64]>> {
        reference(
            &self.outcome,
            self.runs,
            [self.min_ms, self.median_ms, self.max_ms],
            self.samples_ms.clone(),
        )
    }
}

/// A test's reference runs (ms) from its entry's fields: only a test that passed in every run
/// has one. A schema 1 entry has only min, median and max; they stand in for its runs, which
/// keeps its spread.
fn reference(
    outcome: &str,
    runs: u32,
    [min, median, max]: [Option<u64>; 3],
    samples: Option<Vec<u64>>,
) -> Option<Box<[u64]>> {
    if outcome != "passed" {
        return None;
    }
    let samples = match samples {
        Some(samples) if !samples.is_empty() => samples,
        _ => {
            let median = median?;
            let (min, max) = (min.unwrap_or(median), max.unwrap_or(median));
            match runs {
                0 | 1 => vec![median],
                2 => vec![min, max],
                _ => vec![min, median, max],
            }
        }
    };
    Some(samples.into_boxed_slice())
}

impl Baseline {
    /// The tests and their reference runs, as a comparison reads them.
    pub fn references(&self) -> References {
        let mut out = References::with_capacity(self.tests.len());
        for (key, e) in &self.tests {
            if key.contains(' ') {
                out.insert(key.as_str().into(), e.reference_ms());
            }
        }
        out
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes");
        text.push('\n');
        text
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("failed to read the baseline `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: corrupt baseline: {message}\n  re-record it with `{rerecord}`", path.display())]
    Corrupt {
        path: PathBuf,
        /// The command that records this kind of baseline.
        rerecord: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("`{}` is not a cargo-budget baseline (no `schema` field)", path.display())]
    Foreign { path: PathBuf },
    #[error("`{}` has baseline schema {found}, newer than this cargo-budget understands ({understood}); upgrade cargo-budget", path.display())]
    NewerSchema {
        path: PathBuf,
        found: u64,
        understood: u32,
    },
    #[error(
        "`{}` was recorded for another workspace (members: {}), not this one (members: {})",
        path.display(),
        theirs.join(", "),
        ours.join(", ")
    )]
    OtherWorkspace {
        path: PathBuf,
        theirs: Vec<String>,
        ours: Vec<String>,
    },
}

#[cfg(test)]
mod tests;
