//! Exit codes are public API (README "Exit codes"); this is the one place that maps outcomes
//! and errors to them.

use crate::error::Error;
use crate::git::setaside::SetAsideError;
use crate::nextest::{Exit, NextestError};
use crate::policy::Status;

/// Every test ran and the verdict is within budget (warnings allowed).
pub const SUCCESS: i32 = 0;
/// An unexpected failure (I/O, nextest crashing in an unknown way).
pub const ERROR: i32 = 1;
/// Bad command line or bad input: budget.toml, JUnit, baseline, filterset, nextest missing.
pub const USAGE: i32 = 2;
/// Error-level budget findings (over budget, timeout, suite, expired exception).
pub const VIOLATIONS: i32 = 3;
/// At least one test failed for a reason other than its budget.
pub const TESTS_FAILED: i32 = 4;
/// The tests did not compile.
pub const BUILD_FAILED: i32 = 5;
/// Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const INTERRUPTED: i32 = 130;

pub fn for_status(status: Status) -> i32 {
    match status {
        Status::Pass => SUCCESS,
        Status::Violations => VIOLATIONS,
        Status::TestsFailed => TESTS_FAILED,
    }
}

/// A file the user named could not be read: a wrong path, a file that is not UTF-8 text, or a
/// file refused as input (a device, a FIFO, one over the size cap: `fsutil::read_bounded`), is
/// a usage error; anything else (permissions, a directory, a disk error) is an error of its own.
fn read_failure(source: &std::io::Error) -> i32 {
    use std::io::ErrorKind;
    if matches!(source.kind(), ErrorKind::NotFound | ErrorKind::InvalidData)
        || crate::fsutil::refusal(source).is_some()
    {
        USAGE
    } else {
        ERROR
    }
}

pub fn for_error(error: &Error) -> i32 {
    use crate::baseline::BaselineError;
    use crate::config::ConfigError;
    use crate::git::hooks::HookError;
    use crate::nextest::junit::JunitError;
    match error {
        Error::Config(ConfigError::Read { source, .. })
        | Error::Junit(JunitError::Read { source, .. })
        | Error::Baseline(BaselineError::Read { source, .. }) => read_failure(source),
        Error::Config(_) | Error::Classify(_) | Error::Junit(_) | Error::Usage(_) => USAGE,
        Error::Baseline(_) => USAGE,
        Error::Bench(crate::criterion::BenchError::Build { .. }) => BUILD_FAILED,
        Error::Bench(crate::criterion::BenchError::Criterion(
            crate::criterion::CriterionError::Io { source, .. },
        )) => read_failure(source),
        Error::Bench(crate::criterion::BenchError::Criterion(_)) => USAGE,
        Error::Bench(crate::criterion::BenchError::Spawn { .. }) => ERROR,
        Error::Workspace(e) if e.is_manifest_problem() => USAGE,
        Error::History(
            crate::history::HistoryError::Git(_) | crate::history::HistoryError::Busy { .. },
        ) => ERROR,
        Error::History(_) => USAGE,
        Error::Hook(HookError::Io { .. }) => ERROR,
        Error::Hook(_) => USAGE,
        Error::Nextest(NextestError::Missing { .. }) => USAGE,
        Error::Nextest(NextestError::Failed { exit, .. }) => match exit {
            Exit::BuildFailed => BUILD_FAILED,
            Exit::InvalidFilterset | Exit::SetupError | Exit::InvalidArguments => USAGE,
            // cargo metadata failed: a broken manifest.
            Exit::Other(102) => USAGE,
            Exit::Interrupted => INTERRUPTED,
            // Killed by a signal we did not send (OOM killer, a CI timeout): not an interrupt.
            _ => ERROR,
        },
        Error::Nextest(_) | Error::Io { .. } | Error::Workspace(_) => ERROR,
        // An unreadable list of saved files is bad input; the rest are I/O failures.
        Error::SetAside(SetAsideError::List { .. }) => USAGE,
        Error::Git(_) | Error::SetAside(_) => ERROR,
        Error::Interrupted => INTERRUPTED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct() {
        let mut all = vec![
            SUCCESS,
            ERROR,
            USAGE,
            VIOLATIONS,
            TESTS_FAILED,
            BUILD_FAILED,
            INTERRUPTED,
        ];
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 7);
    }

    /// Killed by a signal we did not send is an error; I/O and git failures are errors (not
    /// usage errors); a path that does not exist is a usage error.
    #[test]
    fn errors_map_to_their_codes() {
        use std::io::{Error as IoError, ErrorKind};
        let failed = |exit| {
            Error::Nextest(NextestError::Failed {
                command: "cargo nextest run".into(),
                exit,
            })
        };
        let config_read = |kind| {
            Error::Config(crate::config::ConfigError::Read {
                path: "budget.toml".into(),
                source: IoError::from(kind),
            })
        };
        let cases = [
            (failed(Exit::Signal(9)), ERROR),
            (failed(Exit::Interrupted), INTERRUPTED),
            (failed(Exit::BuildFailed), BUILD_FAILED),
            (Error::Interrupted, INTERRUPTED),
            (
                Error::Git(crate::git::GitError::Failed {
                    args: "mv a b".into(),
                    stderr: "fatal: bad source".into(),
                }),
                ERROR,
            ),
            (
                Error::Hook(crate::git::hooks::HookError::Io {
                    what: "write",
                    path: ".git/hooks/pre-commit".into(),
                    source: IoError::from(ErrorKind::PermissionDenied),
                }),
                ERROR,
            ),
            (config_read(ErrorKind::NotFound), USAGE),
            (config_read(ErrorKind::InvalidData), USAGE),
            // A file refused as input (a device, over the size cap) is bad input, not I/O.
            (
                Error::Bench(crate::criterion::BenchError::Criterion(
                    crate::criterion::CriterionError::Io {
                        path: "sample.json".into(),
                        source: crate::fsutil::read_bounded(std::path::Path::new("/dev/zero"), 1)
                            .unwrap_err(),
                    },
                )),
                USAGE,
            ),
            (
                Error::Baseline(crate::baseline::BaselineError::Read {
                    path: "b.json".into(),
                    source: crate::fsutil::read_bounded(std::path::Path::new("/dev/null"), 1)
                        .unwrap_err(),
                }),
                USAGE,
            ),
            (
                Error::Bench(crate::criterion::BenchError::Criterion(
                    crate::criterion::CriterionError::Duplicate {
                        id: "a".into(),
                        first: "`x`".into(),
                        second: "`y`".into(),
                    },
                )),
                USAGE,
            ),
            (config_read(ErrorKind::PermissionDenied), ERROR),
            (Error::Usage("bad".into()), USAGE),
        ];
        for (error, code) in cases {
            assert_eq!(for_error(&error), code, "{error}");
        }
    }
}
