//! Reading a baseline for a comparison: the header and each test's reference runs, straight
//! from the JSON, without the file's own entries (tiers, outcome strings, a sorted map) in
//! between — a 100,000-test baseline is read in one pass at a fraction of the memory. Errors
//! are the same as [`super::read`]'s.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use super::{BaselineError, Contract, RunInfo, WorkspaceId, check, check_members, reference};
use crate::policy::compare::References;

/// What a comparison needs from a baseline file (policy's type: the store fills it in).
pub use crate::policy::assess::Recorded;

/// The fields of [`super::Baseline`], so that a file one reader refuses the other refuses
/// too (in the same words: serde names the type); those a comparison does not use are checked,
/// not kept.
#[derive(Deserialize)]
struct Baseline<'a> {
    schema: u32,
    #[serde(borrow)]
    #[allow(dead_code)]
    tool: Cow<'a, str>,
    created: String,
    commit: Option<String>,
    workspace: WorkspaceId,
    contract: Contract,
    #[serde(default)]
    #[allow(dead_code)]
    runs: Vec<RunInfo>,
    tests: Tests,
}

/// The `tests` map, read into references (and peaks, CPU times) as it is parsed.
struct Tests(
    References,
    std::collections::HashMap<crate::model::TestId, u64>,
    std::collections::HashMap<crate::model::TestId, u64>,
    std::collections::HashMap<crate::model::TestId, Vec<u64>>,
);

/// One test's entry, as [`super::Entry`] (its tier checked, not kept).
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    #[allow(dead_code)]
    tier: Cow<'a, str>,
    runs: u32,
    min_ms: Option<u64>,
    median_ms: Option<u64>,
    max_ms: Option<u64>,
    #[serde(borrow)]
    outcome: Cow<'a, str>,
    #[serde(default)]
    samples_ms: Option<Vec<u64>>,
    #[serde(default)]
    peak_bytes: Option<u64>,
    #[serde(default)]
    cpu_ms: Option<u64>,
    #[serde(default)]
    instructions: Option<Vec<u64>>,
}

impl<'de> Deserialize<'de> for Tests {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Tests;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of \"<binary-id> <test name>\" to test entries")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tests, A::Error> {
                let mut references = References::with_capacity(map.size_hint().unwrap_or(0));
                let (mut peaks, mut cpu, mut counts) =
                    <(_, _, std::collections::HashMap<_, Vec<u64>>)>::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let e: Entry<'de> = map.next_value()?;
                    let times = [e.min_ms, e.median_ms, e.max_ms];
                    super::check::check_entry(&key, e.runs, times, e.samples_ms.as_deref())
                        .map_err(serde::de::Error::custom)?;
                    if let Some((binary, name)) = key.split_once(' ') {
                        let id = || crate::model::TestId::new(binary, name);
                        note(&mut peaks, e.peak_bytes, id);
                        note(&mut cpu, e.cpu_ms, id);
                        if let Some(c) = e.instructions.filter(|c| !c.is_empty()) {
                            counts.insert(id(), c);
                        }
                    }
                    if key.contains(' ') {
                        let runs = [e.min_ms, e.median_ms, e.max_ms];
                        let reference = reference(&e.outcome, e.runs, runs, e.samples_ms);
                        references.insert(key.into_owned().into_boxed_str(), reference);
                    }
                }
                Ok(Tests(references, peaks, cpu, counts))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// Reads the baseline at `path` for a comparison; `members` are this workspace's package names
/// (empty outside a workspace: not checked).
pub fn read_references(path: &Path, members: &[String]) -> Result<Recorded, BaselineError> {
    let text = crate::fsutil::read_bounded(path, crate::fsutil::READ_CAP).map_err(|source| {
        BaselineError::Read {
            path: path.to_path_buf(),
            source,
        }
    })?;
    parse_references(&text, path, members)
}

/// [`read_references`] of text; `path` is only used in error messages.
pub fn parse_references(
    text: &str,
    path: &Path,
    members: &[String],
) -> Result<Recorded, BaselineError> {
    let lean: Baseline = check(
        text,
        path,
        super::read::TESTS,
        serde_json::from_str::<Baseline>,
        |l| l.schema,
    )?;
    check_members(path, &lean.workspace.members, members)?;
    Ok(Recorded {
        created: lean.created,
        commit: lean.commit,
        contract: lean.contract,
        references: lean.tests.0,
        peaks: lean.tests.1,
        cpu_ms: lean.tests.2,
        counts: lean.tests.3,
    })
}

/// Keeps `value` for the test `id()` names, when there is one.
fn note(
    map: &mut std::collections::HashMap<crate::model::TestId, u64>,
    value: Option<u64>,
    id: impl FnOnce() -> crate::model::TestId,
) {
    if let Some(v) = value {
        map.insert(id(), v);
    }
}
