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

pub fn for_error(error: &Error) -> i32 {
    match error {
        Error::Config(_) | Error::Classify(_) | Error::Junit(_) | Error::Usage(_) => USAGE,
        Error::Workspace(_) | Error::Baseline(_) | Error::Hook(_) => USAGE,
        Error::Nextest(NextestError::Missing { .. }) => USAGE,
        Error::Nextest(NextestError::Failed { exit, .. }) => match exit {
            Exit::BuildFailed => BUILD_FAILED,
            Exit::InvalidFilterset | Exit::SetupError | Exit::InvalidArguments => USAGE,
            // cargo metadata failed: a broken manifest.
            Exit::Other(102) => USAGE,
            Exit::Interrupted => INTERRUPTED,
            _ => ERROR,
        },
        // An unreadable list of saved files is bad input; the rest are I/O failures.
        Error::SetAside(SetAsideError::List { .. }) => USAGE,
        Error::Nextest(_) | Error::Io { .. } | Error::SetAside(_) => ERROR,
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
}
