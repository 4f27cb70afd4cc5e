//! Custom test harness (`harness = false`) whose test names contain characters
//! that are special in nextest filtersets and in shells.
//!
//! Implements the subset of the libtest CLI that nextest uses:
//! - `--list --format terse [--ignored]`: one `<name>: test` line per test
//!   (nothing with `--ignored`: there are no ignored tests); exit 0.
//! - `[--exact] <NAME> [--nocapture]`: run the matching test(s); exit 0 on
//!   pass, 101 on failure or when no test matches.
//! - no name: run every test.
//!
//! Unknown flags are ignored.

use std::process::ExitCode;
use std::thread::sleep;
use std::time::Duration;

fn instant() {}

fn slow() {
    sleep(Duration::from_millis(1500));
}

const TESTS: &[(&str, fn())] = &[
    ("weird::paren(x)", instant),
    ("weird::slash/path", instant),
    ("weird::quote\"dq'sq", instant),
    ("weird::space name", instant),
    ("weird::comma,sep", instant),
    ("weird::dollar$(echo pwned)", instant),
    ("weird::back\\slash", instant),
    ("weird::star*q?", instant),
    ("weird::brackets[1]", instant),
    ("weird::a+b", instant),
    ("weird::unit_slow)paren", slow),
];

/// libtest options that take a value (the value must not be read as a test name).
const VALUE_FLAGS: &[&str] = &["--format", "--test-threads", "--color", "--logfile", "--skip", "-Z", "--shuffle-seed"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut list = false;
    let mut ignored = false;
    let mut exact = false;
    let mut filters: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--list" => list = true,
            "--ignored" => ignored = true,
            "--exact" => exact = true,
            _ if VALUE_FLAGS.contains(&a) => i += 1,
            _ if a.starts_with('-') => {} // unknown flag (or --flag=value): ignore
            _ => filters.push(a.to_string()),
        }
        i += 1;
    }

    let selected: Vec<&(&str, fn())> = TESTS
        .iter()
        .filter(|(name, _)| {
            filters.is_empty()
                || filters
                    .iter()
                    .any(|f| if exact { name == f } else { name.contains(f.as_str()) })
        })
        .collect();

    if list {
        if !ignored {
            for (name, _) in &selected {
                println!("{name}: test");
            }
        }
        return ExitCode::SUCCESS;
    }

    if selected.is_empty() {
        eprintln!("weird harness: no test named {filters:?}");
        return ExitCode::from(101);
    }

    let mut failed = 0;
    for (name, f) in selected {
        println!("running {name}");
        if std::panic::catch_unwind(f).is_err() {
            println!("FAILED {name}");
            failed += 1;
        }
    }
    if failed > 0 {
        ExitCode::from(101)
    } else {
        ExitCode::SUCCESS
    }
}
