//! `.budget/baseline.json`: what a measured suite looked like, with the measurement contract
//! that says under which conditions. Versioned, deterministic (sorted keys, fixed field order,
//! stable formatting) and written atomically.

pub mod contract;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::TestId;
pub use contract::Contract;

pub const SCHEMA: u32 = 1;
/// Relative to the workspace root.
pub const DEFAULT_PATH: &str = ".budget/baseline.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub schema: u32,
    pub tool: String,
    /// RFC 3339, UTC, seconds.
    pub created: String,
    /// `git rev-parse HEAD` when recorded, if in a repository with commits.
    pub commit: Option<String>,
    pub workspace: WorkspaceId,
    pub contract: Contract,
    /// Keyed by `"<binary-id> <test name>"`, as nextest prints tests.
    pub tests: BTreeMap<String, Entry>,
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
}

impl Entry {
    /// The reference duration, for a test that passed cleanly in every run.
    pub fn reference(&self) -> Option<Duration> {
        (self.outcome == "passed")
            .then_some(self.median_ms)
            .flatten()
            .map(Duration::from_millis)
    }
}

impl Baseline {
    /// Test ids and their reference durations (`None`: known, but not a reference).
    pub fn references(&self) -> BTreeMap<TestId, Option<Duration>> {
        self.tests
            .iter()
            .filter_map(|(key, e)| {
                let (binary, name) = key.split_once(' ')?;
                Some((TestId::new(binary, name), e.reference()))
            })
            .collect()
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
    #[error("{}:{line}:{column}: corrupt baseline: {message}\n  re-record it with `cargo budget baseline`", path.display())]
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("`{}` is not a cargo-budget baseline (no `schema` field)", path.display())]
    Foreign { path: PathBuf },
    #[error("`{}` has baseline schema {found}, newer than this cargo-budget understands ({SCHEMA}); upgrade cargo-budget", path.display())]
    NewerSchema { path: PathBuf, found: u64 },
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

/// Reads and validates a baseline; `members` are this workspace's package names.
pub fn read(path: &Path, members: &[String]) -> Result<Baseline, BaselineError> {
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path, members)
}

pub fn parse(text: &str, path: &Path, members: &[String]) -> Result<Baseline, BaselineError> {
    let corrupt = |e: serde_json::Error| {
        let mut message = e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string();
        if e.is_eof() {
            message.push_str(" (the file ends early: truncated?)");
        }
        BaselineError::Corrupt {
            path: path.to_path_buf(),
            line: e.line().max(1),
            column: e.column().max(1),
            message,
        }
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(corrupt)?;
    match value.get("schema").map(|s| s.as_u64()) {
        None => {
            return Err(BaselineError::Foreign {
                path: path.to_path_buf(),
            });
        }
        Some(None) => {
            // Present but not a whole number: read it again as one for the error's position.
            #[derive(Deserialize)]
            struct Schema {
                #[allow(dead_code)]
                schema: u64,
            }
            if let Err(e) = serde_json::from_str::<Schema>(text) {
                let mut err = corrupt(e);
                if let BaselineError::Corrupt { message, .. } = &mut err {
                    let found = message
                        .strip_prefix("invalid type: ")
                        .or_else(|| message.strip_prefix("invalid value: "))
                        .unwrap_or(message);
                    let found = found.split(", expected").next().unwrap_or(found);
                    *message = format!("`schema` must be a whole number, found {found}");
                }
                return Err(err);
            }
        }
        Some(Some(found)) if found > u64::from(SCHEMA) => {
            return Err(BaselineError::NewerSchema {
                path: path.to_path_buf(),
                found,
            });
        }
        Some(_) => {}
    }
    // Parse the text again (not the value) so errors carry line and column.
    let baseline: Baseline = serde_json::from_str(text).map_err(corrupt)?;
    let overlap = baseline
        .workspace
        .members
        .iter()
        .any(|m| members.contains(m));
    if !overlap && !members.is_empty() {
        return Err(BaselineError::OtherWorkspace {
            path: path.to_path_buf(),
            theirs: baseline.workspace.members.clone(),
            ours: members.to_vec(),
        });
    }
    Ok(baseline)
}

#[cfg(test)]
mod tests;
