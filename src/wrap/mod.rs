//! `cargo-budget __wrap <test binary> <args…>`: the nextest wrapper script that measures each
//! test attempt (peak memory, CPU time) without changing the test. It runs the test as a
//! child, survives the signals nextest sends the test's process group (so killed and
//! interrupted tests still get a record), appends one record, and ends as the child ended:
//! the same exit code, or killed by the same signal. Asked to count (`COUNT_ENV`), it runs the
//! test under Valgrind and records the instructions of the test's function instead.

pub mod record;

use std::ffi::OsString;

pub use record::{Attempt, COUNT_ENV, OUT_ENV};

/// The hidden subcommand nextest runs (`command = [<cargo-budget>, "__wrap"]`).
pub const SUBCOMMAND: &str = "__wrap";

/// The wrapper's `main`: `args` are the test binary and its arguments.
pub fn main(args: Vec<OsString>) -> i32 {
    let Some((program, rest)) = args.split_first() else {
        eprintln_error("__wrap needs the test binary to run");
        return 2;
    };
    imp::survive_signals();
    let counting = std::env::var_os(COUNT_ENV).map(|dir| Counting::new(dir.as_ref(), program));
    let status = match &counting {
        Some(Ok(c)) => std::process::Command::new(&c.valgrind)
            .args(&c.args)
            .arg(program)
            .args(rest)
            .status(),
        _ => std::process::Command::new(program).args(rest).status(),
    };
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            eprintln_error(&format!(
                "could not run `{}`: {e}",
                program.to_string_lossy()
            ));
            return 127;
        }
    };
    let usage = imp::children_usage();
    let attempt = Attempt {
        binary_id: std::env::var("NEXTEST_BINARY_ID").unwrap_or_default(),
        test: std::env::var("NEXTEST_TEST_NAME").unwrap_or_default(),
        attempt: std::env::var("NEXTEST_ATTEMPT")
            .ok()
            .and_then(|a| a.parse().ok())
            .unwrap_or(1),
        peak_bytes: usage.peak_bytes,
        user_us: usage.user_us,
        system_us: usage.system_us,
        code: status.code(),
        signal: imp::signal_of(&status),
        instructions: counting
            .map(|c| c.and_then(|c| crate::valgrind::take_total(&c.profile, &[]))),
    };
    if let Some(path) = std::env::var_os(OUT_ENV)
        && let Err(e) = attempt.append(std::path::Path::new(&path))
    {
        eprintln_error(&format!(
            "could not record the attempt in `{}`: {e}",
            std::path::Path::new(&path).display()
        ));
    }
    match (status.code(), attempt.signal) {
        (Some(code), _) => code,
        (None, Some(signal)) => imp::die_by(signal),
        (None, None) => 1,
    }
}

/// How the test is run to count its instructions.
struct Counting {
    valgrind: std::path::PathBuf,
    args: Vec<OsString>,
    profile: std::path::PathBuf,
}

impl Counting {
    /// Callgrind toggled on the test's function (`<crate>::<test>`), its profile in `dir`.
    fn new(dir: &std::path::Path, program: &OsString) -> Result<Counting, String> {
        let test = std::env::var("NEXTEST_TEST_NAME").unwrap_or_default();
        let function = crate::valgrind::test_function(program.as_ref(), &test)
            .ok_or_else(|| format!("no test function for `{}`", program.to_string_lossy()))?;
        let valgrind = std::env::var_os(crate::valgrind::VALGRIND_ENV)
            .map_or_else(|| "valgrind".into(), std::path::PathBuf::from);
        // The wrapper's pid and the time: unique among the tests running at once, even where
        // several machines share one target directory.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let profile = dir.join(format!("callgrind-{}-{nanos}.out", std::process::id()));
        Ok(Counting {
            args: crate::valgrind::count_args(&profile, &[function]),
            valgrind,
            profile,
        })
    }
}

/// The wrapper has no `Ui` (it runs inside nextest, once per test): a plain line on stderr,
/// which nextest shows with the test's output.
fn eprintln_error(message: &str) {
    crate::ui::Ui::default().error(&std::io::Error::other(format!(
        "cargo-budget __wrap: {message}"
    )));
}

/// What the operating system says about the finished children.
struct Usage {
    peak_bytes: Option<u64>,
    user_us: u64,
    system_us: u64,
}

#[cfg(unix)]
mod imp {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use nix::sys::resource::{UsageWho, getrusage};
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

    use super::Usage;

    /// The signals nextest (or a terminal) sends the whole process group get a handler that
    /// only sets a flag: the wrapper outlives the test to record it. A handler, not
    /// `SIG_IGN`: handlers are reset on exec, so the test keeps the default behaviour.
    pub fn survive_signals() {
        let seen = Arc::new(AtomicBool::new(false));
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] {
            let _ = signal_hook::flag::register(signal, Arc::clone(&seen));
        }
    }

    /// Peak RSS and CPU time of the waited-for children: `ru_maxrss` is KiB on Linux and
    /// bytes on macOS; other Unixes are not trusted with it.
    pub fn children_usage() -> Usage {
        let Ok(u) = getrusage(UsageWho::RUSAGE_CHILDREN) else {
            return Usage {
                peak_bytes: None,
                user_us: 0,
                system_us: 0,
            };
        };
        let max_rss = u64::try_from(u.max_rss()).unwrap_or(0);
        let peak = match cfg!(target_os = "macos") {
            true => Some(max_rss),
            false if cfg!(target_os = "linux") => Some(max_rss.saturating_mul(1024)),
            false => None,
        };
        let micros = |t: nix::sys::time::TimeVal| {
            u64::try_from(t.tv_sec()).unwrap_or(0) * 1_000_000
                + u64::try_from(t.tv_usec()).unwrap_or(0)
        };
        Usage {
            peak_bytes: peak.filter(|p| *p > 0),
            user_us: micros(u.user_time()),
            system_us: micros(u.system_time()),
        }
    }

    pub fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
        std::os::unix::process::ExitStatusExt::signal(status)
    }

    /// Ends the wrapper by `signal`, as the test ended, so nextest reports it the same way.
    pub fn die_by(signal: i32) -> i32 {
        let _ = signal_hook::low_level::emulate_default_handler(signal);
        // Still here: a signal whose default is not to terminate; the shell's convention.
        128 + signal
    }
}

#[cfg(not(unix))]
mod imp {
    use super::Usage;

    pub fn survive_signals() {}

    pub fn children_usage() -> Usage {
        Usage {
            peak_bytes: None,
            user_us: 0,
            system_us: 0,
        }
    }

    pub fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
        None
    }

    pub fn die_by(signal: i32) -> i32 {
        128 + signal
    }
}
