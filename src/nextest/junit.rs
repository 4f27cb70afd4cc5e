//! nextest's JUnit XML → [`Run`]: one `<testsuite>` per binary id, one `<testcase>` per test,
//! `<failure type="test timeout">` for kills, `<flakyFailure>`/`<rerunFailure>` for retries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::model::{Outcome, Run, TestId, TestResult};

#[derive(Debug, thiserror::Error)]
pub enum JunitError {
    #[error("failed to read JUnit file `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: invalid JUnit: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "test `{test}` appears in both `{}` and `{}`: shards of one run must not overlap",
        first.display(),
        second.display()
    )]
    Duplicate {
        test: TestId,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("`{}` is given twice: name each shard once", path.display())]
    Repeated { path: PathBuf },
}

/// Reads and parses one JUnit file.
pub fn read(path: &Path) -> Result<Run, JunitError> {
    let bytes =
        crate::fsutil::read_bounded_bytes(path, crate::fsutil::READ_CAP).map_err(|source| {
            JunitError::Read {
                path: path.to_path_buf(),
                source,
            }
        })?;
    parse(&utf8(bytes, path)?, path)
}

/// The file's text; bytes that are not UTF-8 (nextest writes UTF-8) are bad input, named by
/// the line and column of the first one.
fn utf8(bytes: Vec<u8>, path: &Path) -> Result<String, JunitError> {
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = std::str::from_utf8(&bytes[..bad]).expect("valid up to here");
        let (line, column) = line_column(valid, bad as u64);
        JunitError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: format!(
                "byte 0x{:02X} is not UTF-8 (nextest writes JUnit in UTF-8)",
                bytes[bad]
            ),
        }
    })
}

/// Reads several JUnit files that are shards of one run and merges them.
pub fn read_shards(paths: &[PathBuf]) -> Result<Run, JunitError> {
    let mut shards = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        let same = |other: &PathBuf| {
            other == path
                || matches!(
                    (other.canonicalize(), path.canonicalize()),
                    (Ok(a), Ok(b)) if a == b
                )
        };
        if paths[..i].iter().any(same) {
            return Err(JunitError::Repeated { path: path.clone() });
        }
        shards.push((path.clone(), read(path)?));
    }
    merge(shards)
}

/// Merges shards: a test may be skipped in several shards but must run in only one.
/// The merged wall time is the longest shard's (shards run side by side).
pub fn merge(mut shards: Vec<(PathBuf, Run)>) -> Result<Run, JunitError> {
    // `parse` already refuses a test that appears twice in one file.
    if shards.len() == 1 {
        return Ok(shards.pop().expect("one shard").1);
    }
    let mut seen: HashMap<TestId, (usize, PathBuf)> = HashMap::new();
    let mut merged = Run::default();
    for (path, run) in shards {
        merged.wall = merged.wall.max(run.wall);
        for result in run.results {
            match seen.get(&result.id) {
                None => {
                    seen.insert(result.id.clone(), (merged.results.len(), path.clone()));
                    merged.results.push(result);
                }
                Some((index, first)) => {
                    let existing = &mut merged.results[*index];
                    if result.outcome == Outcome::Skipped {
                        continue;
                    }
                    if existing.outcome != Outcome::Skipped {
                        return Err(JunitError::Duplicate {
                            test: result.id,
                            first: first.clone(),
                            second: path,
                        });
                    }
                    *existing = result;
                    seen.insert(existing.id.clone(), (*index, path.clone()));
                }
            }
        }
    }
    Ok(merged)
}

/// The state of the `<testcase>` being read.
struct Case {
    /// Byte offset of its `<testcase>`, for errors.
    start: u64,
    id: TestId,
    duration: Option<Duration>,
    failure: Option<(String, Option<String>)>,
    flaky: u32,
    reruns: u32,
    skipped: bool,
}

impl Case {
    fn finish(self) -> TestResult {
        let (outcome, message) = match (&self.failure, self.skipped) {
            (_, true) => (Outcome::Skipped, None),
            (Some((kind, message)), _) if kind == "test timeout" => {
                (Outcome::TimedOut, message.clone())
            }
            (Some((_, message)), _) => (Outcome::Failed, message.clone()),
            (None, _) if self.flaky > 0 => (Outcome::Flaky, None),
            (None, _) => (Outcome::Passed, None),
        };
        TestResult {
            id: self.id,
            outcome,
            duration: self.duration,
            attempts: 1 + self.flaky + self.reruns,
            message,
            extra: Default::default(),
        }
    }
}

/// What has been read so far.
#[derive(Default)]
struct State {
    run: Run,
    /// Where each result's `<testcase>` starts, to place a duplicate.
    starts: Vec<u64>,
    suite: Option<String>,
    case: Option<Case>,
    depth: usize,
    saw_root: bool,
}

/// An error at a byte offset, placed by the caller.
type At = (u64, String);

impl State {
    fn push(&mut self, c: Case) {
        self.starts.push(c.start);
        self.run.results.push(c.finish());
    }

    fn end(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        match name {
            "testcase" => {
                if let Some(c) = self.case.take() {
                    self.push(c);
                }
            }
            "testsuite" => self.suite = None,
            _ => {}
        }
    }

    /// An element opens (`empty`: and closes) at `position`.
    fn start(&mut self, element: &BytesStart<'_>, empty: bool, position: u64) -> Result<(), At> {
        if !empty {
            self.depth += 1;
        }
        let at = |m: String| (position, m);
        match element.local_name().as_ref() {
            "testsuites" => {
                self.saw_root = true;
                if let Some(t) = attr(element, "time").map_err(at)? {
                    self.run.wall = Some(seconds(&t).map_err(at)?);
                }
            }
            "testsuite" => {
                self.saw_root = true;
                self.suite = Some(required(element, "name").map_err(at)?);
            }
            "testcase" => {
                let c = self.case_at(element, position)?;
                if empty {
                    self.push(c);
                } else {
                    self.case = Some(c);
                }
            }
            "failure" | "error" => {
                if let Some(c) = self.case.as_mut() {
                    let kind = attr(element, "type").map_err(at)?.unwrap_or_default();
                    let message = attr(element, "message").map_err(at)?;
                    c.failure = Some((kind, message));
                }
            }
            "flakyFailure" => {
                if let Some(c) = self.case.as_mut() {
                    c.flaky += 1;
                }
            }
            "rerunFailure" | "rerunError" => {
                if let Some(c) = self.case.as_mut() {
                    c.reruns += 1;
                }
            }
            "skipped" => {
                if let Some(c) = self.case.as_mut() {
                    c.skipped = true;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A `<testcase>` at `position`, in the current suite (or its `classname`).
    fn case_at(&self, element: &BytesStart<'_>, position: u64) -> Result<Case, At> {
        let at = |m: String| (position, m);
        let binary_id = match (&self.suite, attr(element, "classname")) {
            (Some(s), _) => s.clone(),
            (None, Ok(Some(c))) => c,
            _ => return Err(at("<testcase> outside a <testsuite>".into())),
        };
        let name = required(element, "name").map_err(at)?;
        let duration = match attr(element, "time").map_err(at)? {
            Some(t) => Some(seconds(&t).map_err(at)?),
            None => None,
        };
        Ok(Case {
            start: position,
            id: TestId::new(binary_id, name),
            duration,
            failure: None,
            flaky: 0,
            reruns: 0,
            skipped: false,
        })
    }
}

/// Parses JUnit text; `path` is only used in error messages.
pub fn parse(text: &str, path: &Path) -> Result<Run, JunitError> {
    // quick-xml skips a BOM itself but then counts offsets from after it; without the BOM here,
    // offsets and `text` agree (and an editor does not show the BOM as a column either).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let fail = |offset: u64, message: String| {
        let (line, column) = line_column(text, offset);
        JunitError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };

    let mut state = State::default();
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            let mut message = e.to_string();
            if text
                .get(reader.buffer_position().min(text.len() as u64) as usize..)
                .is_some_and(|rest| rest.trim().is_empty())
            {
                message.push_str(" (the file ends early: truncated?)");
            }
            fail(reader.error_position(), message)
        })?;
        let opened = match &event {
            Event::Start(e) => state.start(e, false, position),
            Event::Empty(e) => state.start(e, true, position),
            Event::End(e) => {
                state.end(e.local_name().as_ref());
                Ok(())
            }
            Event::Eof => {
                if state.depth > 0 || !state.saw_root {
                    return Err(fail(
                        text.len() as u64,
                        "unexpected end of file: the JUnit file is truncated or empty".into(),
                    ));
                }
                break;
            }
            _ => Ok(()),
        };
        opened.map_err(|(offset, message)| fail(offset, message))?;
    }
    check_duplicates(&state, text).map_err(|(offset, message)| fail(offset, message))?;
    Ok(state.run)
}

/// A test may appear once in a file.
fn check_duplicates(state: &State, text: &str) -> Result<(), At> {
    let mut seen: HashMap<&TestId, usize> = HashMap::with_capacity(state.run.results.len());
    for (i, result) in state.run.results.iter().enumerate() {
        if let Some(first) = seen.insert(&result.id, i) {
            let (line, _) = line_column(text, state.starts[first]);
            return Err((
                state.starts[i],
                format!(
                    "test `{}` appears a second time (first at line {line})",
                    result.id
                ),
            ));
        }
    }
    Ok(())
}

/// 1-based line and column (in characters) of a byte offset; an offset inside a character
/// counts as that character.
fn line_column(text: &str, offset: u64) -> (usize, usize) {
    let mut offset = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn attr(element: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    match element.try_get_attribute(name) {
        Ok(Some(a)) => a
            .normalized_value(XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|e| e.to_string()),
        Ok(None) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

fn required(element: &BytesStart<'_>, name: &str) -> Result<String, String> {
    attr(element, name)?.ok_or_else(|| {
        format!(
            "<{}> has no `{}` attribute",
            element.local_name().as_ref() as &str,
            name
        )
    })
}

/// A time in seconds, at most `u32::MAX` (136 years): anything longer is not a measurement,
/// and sums and scalings of real times must not overflow downstream.
fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| *s <= f64::from(u32::MAX))
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("`{text}` is not a time in seconds"))
}

#[cfg(test)]
mod tests;
