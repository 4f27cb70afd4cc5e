//! Reading a baseline: strictly, with a distinct error for a corrupt, foreign or newer file,
//! and only when it was recorded for this workspace's packages.

use std::path::Path;

use serde::Deserialize;

use super::{Baseline, BaselineError, SCHEMA};

/// Reads and validates a baseline; `members` are this workspace's package names.
pub fn read(path: &Path, members: &[String]) -> Result<Baseline, BaselineError> {
    let text = crate::fsutil::read_bounded(path, crate::fsutil::READ_CAP).map_err(|source| {
        BaselineError::Read {
            path: path.to_path_buf(),
            source,
        }
    })?;
    parse(&text, path, members)
}

pub fn parse(text: &str, path: &Path, members: &[String]) -> Result<Baseline, BaselineError> {
    let baseline = check(text, path, TESTS, serde_json::from_str::<Baseline>, |b| {
        b.schema
    })?;
    check_members(path, &baseline.workspace.members, members)?;
    Ok(baseline)
}

/// Which baseline a file is meant to be: the newest schema understood, and how to record one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Kind {
    pub schema: u32,
    pub rerecord: &'static str,
}

/// The test baseline.
pub(super) const TESTS: Kind = Kind {
    schema: SCHEMA,
    rerecord: "cargo budget baseline",
};

/// Parses `text` once with `parse`. The schema decides which error a file that does not fit
/// gets — a foreign or newer file is not "corrupt" — so it is read on its own (every other key
/// skipped) when needed: when the parse fails; a parsed file above our schema is refused too.
pub(crate) fn check<'a, T>(
    text: &'a str,
    path: &Path,
    kind: Kind,
    parse: impl FnOnce(&'a str) -> Result<T, serde_json::Error>,
    schema_of: impl FnOnce(&T) -> u32,
) -> Result<T, BaselineError> {
    let corrupt = |e: serde_json::Error| {
        // serde_json ends its message with the position, given apart below; a test name
        // inside the message may hold " at line " too, so only the last one is cut.
        let text = e.to_string();
        let mut message = match e.line() {
            0 => text,
            _ => text
                .rsplit_once(" at line ")
                .map_or(text.as_str(), |(m, _)| m)
                .to_string(),
        };
        if e.is_eof() {
            message.push_str(" (the file ends early: truncated?)");
        }
        BaselineError::Corrupt {
            path: path.to_path_buf(),
            rerecord: kind.rerecord,
            line: e.line().max(1),
            column: e.column().max(1),
            message,
        }
    };
    let schema_error = |found: Option<u64>| match found {
        None => Some(BaselineError::Foreign {
            path: path.to_path_buf(),
        }),
        Some(found) if found > u64::from(kind.schema) => Some(BaselineError::NewerSchema {
            path: path.to_path_buf(),
            found,
            understood: kind.schema,
        }),
        Some(_) => None,
    };
    match parse(text) {
        Ok(parsed) => match schema_error(Some(u64::from(schema_of(&parsed)))) {
            Some(newer) => Err(newer),
            None => Ok(parsed),
        },
        Err(e) => {
            #[derive(Deserialize)]
            struct Probe {
                schema: Option<serde_json::Value>,
            }
            let found = serde_json::from_str::<Probe>(text).map_err(corrupt)?.schema;
            if let Some(value) = found.as_ref().filter(|v| v.as_u64().is_none()) {
                return Err(not_a_whole_number(text, value, corrupt));
            }
            Err(schema_error(found.and_then(|s| s.as_u64())).unwrap_or_else(|| corrupt(e)))
        }
    }
}

/// A `schema` that is there but not a whole number: said so, at its position.
fn not_a_whole_number(
    text: &str,
    value: &serde_json::Value,
    corrupt: impl Fn(serde_json::Error) -> BaselineError,
) -> BaselineError {
    // Read again as a whole number, for the error's position.
    #[derive(Deserialize)]
    struct Schema {
        #[allow(dead_code)]
        schema: u64,
    }
    match serde_json::from_str::<Schema>(text) {
        Err(e) => {
            let mut err = corrupt(e);
            if let BaselineError::Corrupt { message, .. } = &mut err {
                let found = message
                    .strip_prefix("invalid type: ")
                    .or_else(|| message.strip_prefix("invalid value: "))
                    .unwrap_or(message);
                let found = found.split(", expected").next().unwrap_or(found);
                *message = format!("`schema` must be a whole number, found {found}");
            }
            err
        }
        Ok(_) => unreachable!("`schema` is {value}, not a whole number"),
    }
}

/// A baseline sharing no member with this workspace was recorded for another one (`ours`
/// empty: outside a workspace, nothing to check).
pub(super) fn check_members(
    path: &Path,
    theirs: &[String],
    ours: &[String],
) -> Result<(), BaselineError> {
    if ours.is_empty() || theirs.iter().any(|m| ours.contains(m)) {
        return Ok(());
    }
    Err(BaselineError::OtherWorkspace {
        path: path.to_path_buf(),
        theirs: theirs.to_vec(),
        ours: ours.to_vec(),
    })
}
