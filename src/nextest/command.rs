//! nextest command lines as data (program, args, directory), and running them with duct:
//! `list` captures the JSON on stdout; `run` streams nextest's human output to stderr.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Selection;
use super::list::{self, Inventory};
use super::tool_config::TOOL_NAME;

/// A `cargo …` invocation, honouring `$CARGO` as cargo subcommands should.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    pub program: OsString,
    pub args: Vec<String>,
    pub cwd: PathBuf,
    /// Environment variables not passed on (git's hook variables).
    pub env_remove: Vec<String>,
    /// Environment variables set for nextest and the tests (property-test cases).
    pub env: Vec<(String, String)>,
}

impl Invocation {
    pub fn cargo(cwd: &Path, args: Vec<String>) -> Self {
        Self {
            program: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
            args,
            cwd: cwd.to_path_buf(),
            env_remove: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Adds `vars` to the environment the command runs with.
    pub fn with_env(mut self, vars: &[(String, String)]) -> Self {
        self.env.extend_from_slice(vars);
        self
    }

    pub fn without_env(mut self, vars: &[String]) -> Self {
        self.env_remove = vars.to_vec();
        self
    }

    /// The command as a user would type it (always `cargo …`, shell-quoted, with the
    /// variables it sets in front).
    pub fn display(&self) -> String {
        let mut words = vec!["cargo".to_string()];
        words.extend(self.args.iter().cloned());
        let command = shell_words::join(words);
        // `NAME=value cargo …`: the assignment unquoted, as a shell reads it.
        let assignments: Vec<String> = self
            .env
            .iter()
            .map(|(k, v)| format!("{k}={} ", shell_words::quote(v)))
            .collect();
        format!("{}{command}", assignments.concat())
    }

    pub(crate) fn expression(&self) -> duct::Expression {
        let mut e = duct::cmd(&self.program, &self.args)
            .dir(&self.cwd)
            .unchecked();
        for var in &self.env_remove {
            e = e.env_remove(var);
        }
        for (k, v) in &self.env {
            e = e.env(k, v);
        }
        e
    }
}

/// How nextest ended, by its documented exit codes (nextest-metadata `exit_codes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success,
    TestsFailed,
    NoTests,
    BuildFailed,
    InvalidFilterset,
    SetupError,
    InvalidArguments,
    /// We were interrupted (Ctrl-C, SIGTERM) and stopped it.
    Interrupted,
    /// Killed by this signal without our asking: the OOM killer, a CI job's timeout.
    Signal(i32),
    Other(i32),
}

impl Exit {
    /// What the exit means, with a hint where one helps.
    pub fn describe(self) -> String {
        match self {
            Exit::Success => "it succeeded".into(),
            Exit::TestsFailed => "tests failed".into(),
            Exit::NoTests => "no tests to run".into(),
            Exit::BuildFailed => "the tests did not build".into(),
            Exit::InvalidFilterset => "the filterset is invalid".into(),
            Exit::SetupError => "nextest's configuration was rejected".into(),
            Exit::InvalidArguments => "nextest rejected its arguments".into(),
            Exit::Interrupted => "it was interrupted".into(),
            Exit::Signal(signal) => format!(
                "it was killed by signal {signal}{} (the OOM killer or a job timeout, perhaps)",
                signal_name(signal)
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ),
            Exit::Other(102) => "`cargo metadata` failed (is the manifest valid?)".into(),
            Exit::Other(104) => "a test binary could not list its tests (a custom harness?); \
                                 exclude it with a filter such as -E 'not binary(NAME)'"
                .into(),
            Exit::Other(code) => format!("exit code {code}"),
        }
    }

    fn from_status(status: std::process::ExitStatus) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            if let Some(signal) = status.signal() {
                return Exit::Signal(signal);
            }
        }
        Self::from_code(status.code())
    }

    fn from_code(code: Option<i32>) -> Self {
        use nextest_metadata::NextestExitCode as C;
        match code {
            Some(0) => Exit::Success,
            Some(C::TEST_RUN_FAILED) => Exit::TestsFailed,
            Some(C::NO_TESTS_RUN) => Exit::NoTests,
            Some(C::BUILD_FAILED) => Exit::BuildFailed,
            Some(C::INVALID_FILTERSET) => Exit::InvalidFilterset,
            Some(C::SETUP_ERROR) => Exit::SetupError,
            // clap's usage errors (a bad --partition, say).
            Some(2) => Exit::InvalidArguments,
            Some(c) => Exit::Other(c),
            // No code and no signal: not a Unix exit; nothing more is known.
            None => Exit::Other(-1),
        }
    }
}

/// `SIGKILL` for 9, where the platform names it.
fn signal_name(signal: i32) -> Option<&'static str> {
    #[cfg(unix)]
    {
        nix::sys::signal::Signal::try_from(signal)
            .ok()
            .map(|s| s.as_str())
    }
    #[cfg(not(unix))]
    {
        let _ = signal;
        None
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NextestError {
    #[error(
        "cargo-nextest is not installed (`cargo nextest` failed: {detail})\n  install it with: cargo install cargo-nextest --locked\n  or see https://nexte.st/docs/installation/"
    )]
    Missing { detail: String },
    #[error("failed to run `{command}`")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{command}` failed: {}; see nextest's output above", exit.describe())]
    Failed { command: String, exit: Exit },
    #[error("failed to parse the output of `{command}`")]
    Parse {
        command: String,
        #[source]
        source: serde_json::Error,
    },
}

/// `cargo nextest --version`, e.g. `cargo-nextest 0.9.143 (60fa45f63 2026-08-04)`.
pub fn version(cwd: &Path) -> Result<String, NextestError> {
    let inv = Invocation::cargo(cwd, vec!["nextest".into(), "--version".into()]);
    let out = inv
        .expression()
        .stdout_capture()
        .stderr_capture()
        .run()
        .map_err(|source| NextestError::Spawn {
            command: inv.display(),
            source,
        })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let detail = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output")
            .trim()
            .to_string();
        return Err(NextestError::Missing { detail });
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ok(stdout.lines().next().unwrap_or("").trim().to_string())
}

/// The `cargo nextest list` invocation for a selection.
pub fn list_invocation(cwd: &Path, selection: &Selection, extra: &[String]) -> Invocation {
    let mut args: Vec<String> = ["nextest", "list", "--message-format", "json"]
        .map(String::from)
        .to_vec();
    args.extend(extra.iter().cloned());
    args.extend(selection.args());
    Invocation::cargo(cwd, args)
}

/// Builds the tests and lists them. Build output stays visible on stderr.
pub fn list(inv: &Invocation) -> Result<Inventory, NextestError> {
    let out = wait(inv, inv.expression().stdout_capture())?;
    if crate::interrupt::requested() {
        return Err(NextestError::Failed {
            command: inv.display(),
            exit: Exit::Interrupted,
        });
    }
    let exit = Exit::from_status(out.status);
    if exit != Exit::Success {
        return Err(NextestError::Failed {
            command: inv.display(),
            exit,
        });
    }
    let json = String::from_utf8_lossy(&out.stdout);
    list::parse(&json).map_err(|source| NextestError::Parse {
        command: inv.display(),
        source,
    })
}

/// Starts `expression` and waits for it. On Ctrl-C/SIGTERM the child is asked to stop too: a
/// terminal's Ctrl-C reaches it directly, a signal sent to cargo-budget alone is forwarded.
fn wait(
    inv: &Invocation,
    expression: duct::Expression,
) -> Result<std::process::Output, NextestError> {
    let spawn_error = |source| NextestError::Spawn {
        command: inv.display(),
        source,
    };
    let handle = expression.start().map_err(spawn_error)?;
    let mut interrupted_at: Option<Instant> = None;
    let mut forwarded = false;
    loop {
        if let Some(out) = handle.try_wait().map_err(spawn_error)? {
            return Ok(out.clone());
        }
        if crate::interrupt::requested() {
            let since = *interrupted_at.get_or_insert_with(Instant::now);
            if !forwarded && since.elapsed() > Duration::from_millis(300) {
                forward_interrupt(&handle.pids());
                forwarded = true;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The `cargo nextest run` invocation with cargo-budget's tool config and the profile it
/// defines (its own, or the user's with cargo-budget's settings layered under it).
pub fn run_invocation(
    cwd: &Path,
    selection: &Selection,
    tool_config: &Path,
    extra: &[String],
) -> Invocation {
    let mut args: Vec<String> = vec![
        "nextest".into(),
        "run".into(),
        "--no-fail-fast".into(),
        "--no-tests=warn".into(),
        "--tool-config-file".into(),
        format!("{TOOL_NAME}:{}", tool_config.display()),
    ];
    args.extend(selection.tuning.args());
    args.extend(extra.iter().cloned());
    args.extend(selection.args());
    Invocation::cargo(cwd, args)
}

/// Runs nextest to completion; its human output goes to stderr. After Ctrl-C/SIGTERM,
/// [`Exit::Interrupted`] is returned.
pub fn run(inv: &Invocation) -> Result<(Exit, Duration), NextestError> {
    let started = Instant::now();
    let output = wait(inv, inv.expression().stdout_to_stderr())?;
    let elapsed = started.elapsed();
    if crate::interrupt::requested() {
        return Ok((Exit::Interrupted, elapsed));
    }
    Ok((Exit::from_status(output.status), elapsed))
}

#[cfg(unix)]
fn forward_interrupt(pids: &[u32]) {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    for pid in pids {
        if let Ok(raw) = i32::try_from(*pid) {
            let _ = kill(Pid::from_raw(raw), Signal::SIGINT);
        }
    }
}

#[cfg(not(unix))]
fn forward_interrupt(_pids: &[u32]) {}
