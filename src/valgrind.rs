//! Valgrind as an instruction counter: Callgrind run with collection off until a named function
//! is entered (`--toggle-collect`), so the count covers that function and what it calls — the
//! test, the benchmark's routine — and nothing of the harness around it. Counts are exact:
//! the same binary and inputs count the same whatever else the machine is doing.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable that names the Valgrind to run (default `valgrind` on `PATH`).
pub const VALGRIND_ENV: &str = "CARGO_BUDGET_VALGRIND";

/// The Valgrind to run, when it runs here: `Err` says why not, in words for a report.
pub fn find() -> Result<PathBuf, String> {
    let program = std::env::var_os(VALGRIND_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("valgrind"));
    let out = std::process::Command::new(&program)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => Ok(program),
        Ok(o) => Err(format!(
            "`{} --version` failed ({}): instructions are counted with Valgrind",
            program.display(),
            o.status
        )),
        Err(e) => Err(format!(
            "Valgrind is not installed (`{}`: {e}): instructions are counted with Valgrind \
             (Debian: `apt-get install valgrind`)",
            program.display()
        )),
    }
}

/// Valgrind's arguments to count the instructions of every call of the functions matching
/// `toggles` (Callgrind patterns: `*` and `?` are wildcards) in the program that follows,
/// writing the profile to `out`. Valgrind's own messages are kept to errors (`-q`).
pub fn count_args(out: &Path, toggles: &[String]) -> Vec<OsString> {
    let mut args: Vec<OsString> = [
        "--tool=callgrind",
        "-q",
        "--collect-atstart=no",
        "--dump-instr=no",
        "--compress-strings=no",
    ]
    .map(OsString::from)
    .to_vec();
    for t in toggles {
        args.push(format!("--toggle-collect={t}").into());
    }
    // Valgrind expands `%p`, `%q{VAR}` and `%%` in file names: a `%` of the path is `%%`.
    let mut file = OsString::from("--callgrind-out-file=");
    file.push(out.to_string_lossy().replace('%', "%%"));
    args.push(file);
    args
}

/// The Callgrind pattern of a libtest test's function: `<crate>::<test name>`, the crate taken
/// from the test executable's name (cargo names it `<crate>-<hash>`).
pub fn test_function(binary: &Path, test: &str) -> Option<String> {
    let stem = binary.file_stem()?.to_str()?;
    let krate = match stem.rsplit_once('-') {
        Some((krate, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => krate,
        _ => stem,
    };
    Some(format!("{}::{test}", krate.replace('-', "_")))
}

/// The functions of criterion's `Bencher` that call the benchmark's routine. Each is a leaf
/// (`iter_with_setup` and `iter_with_large_drop` go through `iter_batched`): a toggle entered
/// twice would switch collection off again.
pub const CRITERION_ROUTINES: [&str; 4] = [
    "criterion::bencher::Bencher<*>::iter",
    "criterion::bencher::Bencher<*>::iter_custom",
    "criterion::bencher::Bencher<*>::iter_batched",
    "criterion::bencher::Bencher<*>::iter_batched_ref",
];

/// The instructions a Callgrind profile counted (its `summary:` line, else `totals:`).
pub fn read_total(text: &str) -> Result<u64, String> {
    let line = text
        .lines()
        .find(|l| l.starts_with("summary:"))
        .or_else(|| text.lines().find(|l| l.starts_with("totals:")))
        .ok_or("the Callgrind profile has no `summary:` line")?;
    let (_, value) = line.split_once(':').expect("the line has a colon");
    let first = value.split_whitespace().next().unwrap_or("");
    first
        .parse()
        .map_err(|_| format!("the Callgrind profile's `{line}` is not a count"))
}

/// criterion's clock reads around the routine (`Measurement::start` and `::end` of its wall
/// clock): harness, not routine, so their cost is taken out of a benchmark's count.
pub const CRITERION_CLOCK: [&str; 2] = [
    "<criterion::measurement::WallTime as criterion::measurement::Measurement>::start",
    "<criterion::measurement::WallTime as criterion::measurement::Measurement>::end",
];

/// The inclusive instructions of every call to the functions named `callees` (exact names) in
/// a Callgrind profile written with `--compress-strings=no` (names compressed to `(id)` are
/// read too). A `cfn=` line names the callee, `calls=` follows, and the next line's last
/// number is the call's inclusive cost.
pub fn calls_cost(text: &str, callees: &[&str]) -> u64 {
    let mut names: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut lines = text.lines();
    let mut total = 0;
    while let Some(line) = lines.next() {
        let Some(callee) = line.strip_prefix("cfn=") else {
            continue;
        };
        let name = match callee.strip_prefix('(').and_then(|r| r.split_once(')')) {
            Some((id, rest)) if rest.trim().is_empty() => names.get(id).copied().unwrap_or(""),
            Some((id, rest)) => {
                names.insert(id, rest.trim());
                rest.trim()
            }
            None => callee.trim(),
        };
        if !callees.contains(&name) {
            continue;
        }
        let (Some(calls), Some(cost)) = (lines.next(), lines.next()) else {
            break;
        };
        if calls.starts_with("calls=") {
            total += cost
                .split_whitespace()
                .last()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    total
}

/// Reads and removes the profile at `path`: its count, less the inclusive cost of the calls to
/// `excluded` functions.
pub fn take_total(path: &Path, excluded: &[&str]) -> Result<u64, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("Callgrind wrote no profile at `{}`: {e}", path.display()))?;
    let _ = std::fs::remove_file(path);
    if spawns_threads(&text) {
        return Err(
            "it starts threads, whose work Callgrind does not count here (only the \
                    thread that entered it)"
                .into(),
        );
    }
    let total = read_total(&text)?;
    Ok(total.saturating_sub(calls_cost(&text, excluded)))
}

/// The counted code started a thread (glibc's `pthread_create` was called while counting).
pub fn spawns_threads(text: &str) -> bool {
    text.lines()
        .filter_map(|l| l.strip_prefix("cfn=").or_else(|| l.strip_prefix("fn=")))
        .any(|name| name.contains("pthread_create"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_function_is_its_crate_and_name() {
        let table = [
            (
                "target/debug/deps/demo-8348ca7a80742723",
                "tests::empty",
                Some("demo::tests::empty"),
            ),
            (
                "/t/deps/fx_tiers-0a1b",
                "unit_fast",
                Some("fx_tiers::unit_fast"),
            ),
            ("/t/deps/unit-00ff", "a::b", Some("unit::a::b")),
            // No hash: the whole stem (a binary run from elsewhere).
            ("/usr/bin/my-tool", "t", Some("my_tool::t")),
        ];
        for (binary, test, want) in table {
            assert_eq!(
                test_function(Path::new(binary), test).as_deref(),
                want,
                "{binary}"
            );
        }
    }

    #[test]
    fn the_total_is_the_summary_line() {
        let profile = "version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nsummary: 76058\n\
                       fn=(1) x\n0 3\ntotals: 76058\n";
        assert_eq!(read_total(profile), Ok(76_058));
        assert_eq!(read_total("events: Ir\ntotals: 12\n"), Ok(12));
        assert!(read_total("events: Ir\n").is_err());
        assert!(read_total("summary: many\n").is_err());
    }

    #[test]
    fn calls_to_excluded_functions_are_taken_out() {
        // The shape Callgrind 3.19 writes for criterion's `Bencher::iter` (abridged).
        let profile = "events: Ir\nsummary: 100290\n\
            fn=<criterion::measurement::WallTime as criterion::measurement::Measurement>::start\n\
            0 1\ncfn=<std::time::Instant>::now\ncalls=1 0 \n0 28\n\
            fn=criterion::bencher::Bencher<M>::iter\n\
            cfn=<criterion::measurement::WallTime as criterion::measurement::Measurement>::start\n\
            calls=1 0 \n0 29\n0 100024\n\
            cfn=<criterion::measurement::WallTime as criterion::measurement::Measurement>::end\n\
            calls=1 0 \n0 96\n0 4\ntotals: 100290\n";
        assert_eq!(calls_cost(profile, &CRITERION_CLOCK), 125);
        assert_eq!(calls_cost(profile, &["<std::time::Instant>::now"]), 28);
        assert_eq!(calls_cost(profile, &["nothing"]), 0);
        // Compressed names: the id names the function after its first mention.
        let compressed = "cfn=(7) a::b\ncalls=2 0\n0 10\ncfn=(7)\ncalls=1 0\n+3 5\n";
        assert_eq!(calls_cost(compressed, &["a::b"]), 15);
    }

    #[test]
    fn the_arguments_toggle_every_pattern_and_name_the_profile() {
        let args = count_args(
            Path::new("/tmp/p.out"),
            &["a::b".to_string(), "c<*>::d".to_string()],
        );
        let args: Vec<_> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(args.contains(&"--tool=callgrind".to_string()));
        assert!(args.contains(&"--collect-atstart=no".to_string()));
        assert!(args.contains(&"--toggle-collect=a::b".to_string()));
        assert!(args.contains(&"--toggle-collect=c<*>::d".to_string()));
        assert_eq!(args.last().unwrap(), "--callgrind-out-file=/tmp/p.out");
        let odd = count_args(Path::new("/w/100%p done/p.out"), &[]);
        assert_eq!(
            odd.last().unwrap().to_string_lossy(),
            "--callgrind-out-file=/w/100%%p done/p.out"
        );
    }

    #[test]
    fn a_profile_that_started_a_thread_says_so() {
        assert!(spawns_threads(
            "fn=x\ncfn=(3) pthread_create@@GLIBC_2.34\ncalls=1 0\n0 588\n"
        ));
        assert!(!spawns_threads("fn=demo::tests::work\n0 76058\n"));
    }
}
