//! The generated inputs: a nextest-shaped JUnit report of N tests over `BINARIES` binaries, and
//! a schema 2 baseline of the same tests.

use std::fmt::Write as _;

/// Number of test binaries the tests are spread over.
const BINARIES: usize = 50;
const BINARY_KINDS: [&str; 4] = ["", "::unit", "::integration", "::e2e"];
const TIMESTAMP: &str = "2026-11-22T05:03:28.658+00:00";

/// What a generated test did.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Passed,
    /// Passed, but took more than a second.
    Slow,
    Failed,
    TimedOut,
    /// Failed once, then passed on a retry.
    Flaky,
}

/// A deterministic, well-mixed fate for global test index `t`: ~2% slow, ~0.5% failed, a few
/// (1 in 10,000) timeouts and a few (1 in 5,000) flaky tests.
fn fate(t: usize) -> Fate {
    match t {
        _ if t % 10_000 == 4_321 => Fate::TimedOut,
        _ if t % 5_000 == 777 => Fate::Flaky,
        _ if t % 200 == 13 => Fate::Failed,
        _ if t % 50 == 7 => Fate::Slow,
        _ => Fate::Passed,
    }
}

/// splitmix64: varied but reproducible numbers (durations, module spread).
fn mix(t: usize) -> u64 {
    let mut z = (t as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Binary id for binary number `b`: `pkg{i}`, `pkg{i}::unit`, `pkg{i}::integration`,
/// `pkg{i}::e2e`.
fn binary_id(b: usize) -> String {
    format!(
        "pkg{}{}",
        b / BINARY_KINDS.len(),
        BINARY_KINDS[b % BINARY_KINDS.len()]
    )
}

/// The name of test `j` of binary `b`; every tenth test carries a tier prefix.
fn test_name(b: usize, j: usize) -> String {
    let prefixed = j % 10 == 3;
    match b % BINARY_KINDS.len() {
        0 if prefixed => format!("tests::unit_case_{j}"),
        0 => format!("tests::case_{j}"),
        1 if prefixed => format!("mod_{}::unit_case_{j}", j / 100),
        1 => format!("mod_{}::case_{j}", j / 100),
        2 if prefixed => format!("flows::e2e_case_{j}"),
        2 => format!("case_{j}"),
        _ if prefixed => format!("e2e_case_{j}"),
        _ => format!("scenario_{}::case_{j}", j / 50),
    }
}

/// Test duration in seconds, as nextest prints it.
fn time(t: usize, fate: Fate) -> String {
    let r = mix(t);
    let secs = match fate {
        Fate::Passed | Fate::Flaky | Fate::Failed => 0.001 + (r % 80) as f64 / 1000.0,
        Fate::Slow => 1.0 + (r % 2_000) as f64 / 1000.0,
        Fate::TimedOut => 60.0 + (r % 20) as f64 / 1000.0,
    };
    format!("{secs:.3}")
}

/// A nextest-style JUnit report with `n` tests over `BINARIES` binaries.
pub(super) fn generate(n: usize) -> String {
    let failures = (0..n)
        .filter(|&t| matches!(fate(t), Fate::Failed | Fate::TimedOut))
        .count();
    let mut xml = String::with_capacity(n * 170 + 4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"nextest-run\" tests=\"{n}\" skipped=\"0\" failures=\"{failures}\" \
         errors=\"0\" uuid=\"88a0e42d-f62d-4913-b274-7bdbe5711d99\" \
         timestamp=\"2026-11-22T05:03:28.657+00:00\" time=\"123.456\">"
    );

    let binaries = BINARIES.min(n);
    let mut t = 0; // global test index
    for b in 0..binaries {
        let count = n / binaries + usize::from(b < n % binaries);
        let suite_failures = (t..t + count)
            .filter(|&i| matches!(fate(i), Fate::Failed | Fate::TimedOut))
            .count();
        let id = binary_id(b);
        let _ = writeln!(
            xml,
            "    <testsuite name=\"{id}\" tests=\"{count}\" skipped=\"0\" errors=\"0\" \
             failures=\"{suite_failures}\">"
        );
        for j in 0..count {
            testcase(&mut xml, &id, &test_name(b, j), t);
            t += 1;
        }
        xml.push_str("    </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// Appends one `<testcase>` for global test index `t`.
fn testcase(xml: &mut String, binary: &str, name: &str, t: usize) {
    let fate = fate(t);
    let time = time(t, fate);
    let _ = write!(
        xml,
        "        <testcase name=\"{name}\" classname=\"{binary}\" timestamp=\"{TIMESTAMP}\" \
         time=\"{time}\""
    );
    let fn_name = name.rsplit("::").next().unwrap_or(name);
    match fate {
        Fate::Passed | Fate::Slow => xml.push_str("/>\n"),
        Fate::Failed => {
            let _ = write!(
                xml,
                ">\n            <failure message=\"boom\" type=\"test failure with exit code 101\">\
                 thread &apos;{fn_name}&apos; panicked at src/lib.rs:{line}:5:\nboom\n\
                 note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\
                 </failure>\n\
                 {out}\
                 \x20       </testcase>\n",
                line = 10 + t % 500,
                out = captured_output(fn_name, "FAILED", 12),
            );
        }
        Fate::TimedOut => {
            let _ = write!(
                xml,
                ">\n            <failure type=\"test timeout\"/>\n\
                 \x20           <system-out>\nrunning 1 test\n</system-out>\n\
                 \x20           <system-err></system-err>\n\
                 \x20       </testcase>\n"
            );
        }
        Fate::Flaky => {
            let _ = write!(
                xml,
                ">\n            <flakyFailure timestamp=\"{TIMESTAMP}\" time=\"0.127\" \
                 message=\"thread &apos;{fn_name}&apos; panicked at tests/main.rs:15:5\" \
                 type=\"test failure with exit code 101\">\
                 thread &apos;{fn_name}&apos; panicked at tests/main.rs:15:5:\nflaky\n\
                 {out}\
                 \x20           </flakyFailure>\n\
                 \x20       </testcase>\n",
                out = captured_output(fn_name, "FAILED", 16),
            );
        }
    }
}

/// `<system-out>`/`<system-err>` of a libtest run of one test, indented by `indent` spaces.
fn captured_output(fn_name: &str, result: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    format!(
        "{pad}<system-out>\nrunning 1 test\ntest {fn_name} ... {result}\n\nfailures:\n\n\
         failures:\n    {fn_name}\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; \
         0 measured; 0 filtered out; finished in 0.05s\n\n</system-out>\n\
         {pad}<system-err>\nthread &apos;{fn_name}&apos; panicked\n</system-err>\n"
    )
}

/// A schema 2 baseline of the same tests as [`generate`]: three runs of each passing test
/// around its duration in the JUnit file (so the comparison has real work: most tests are the
/// same, a few slower or faster).
pub(super) fn generate_baseline(n: usize) -> String {
    let mut json = String::with_capacity(n * 200 + 1024);
    json.push_str(
        "{\n  \"schema\": 2,\n  \"tool\": \"ingest bench\",\n  \"created\": \"2026-11-22T06:00:00Z\",\n  \"commit\": null,\n  \"workspace\": { \"members\": [] },\n  \"contract\": { \"rustc\": \"rustc 1.95.0\", \"nextest\": \"cargo-nextest 0.9.143\", \"profile\": \"cargo-budget\", \"target\": \"x86_64-unknown-linux-gnu\", \"cpus\": 2, \"cpu\": \"unknown\", \"runs\": 3, \"budget_toml\": \"none\" },\n  \"runs\": [],\n  \"tests\": {",
    );
    let binaries = BINARIES.min(n);
    let mut t = 0;
    let mut first = true;
    for b in 0..binaries {
        let count = n / binaries + usize::from(b < n % binaries);
        let id = binary_id(b);
        for j in 0..count {
            let fate = fate(t);
            let ms = (time(t, fate).parse::<f64>().expect("seconds") * 1000.0).round() as u64;
            // One test in 40 was a third faster then: today it reads as a regression.
            let then = if mix(t).is_multiple_of(40) {
                ms * 2 / 3
            } else {
                ms
            };
            let entry = match fate {
                Fate::Passed | Fate::Slow => format!(
                    "{{ \"tier\": \"unit\", \"runs\": 3, \"min_ms\": {}, \"median_ms\": {then}, \"max_ms\": {}, \"outcome\": \"passed\", \"samples_ms\": [{then}, {}, {}] }}",
                    then * 98 / 100,
                    then * 103 / 100,
                    then * 98 / 100,
                    then * 103 / 100
                ),
                _ => "{ \"tier\": \"unit\", \"runs\": 3, \"min_ms\": null, \"median_ms\": null, \"max_ms\": null, \"outcome\": \"failed\", \"samples_ms\": null }".to_string(),
            };
            let _ = write!(
                json,
                "{}\n    \"{id} {}\": {entry}",
                if first { "" } else { "," },
                test_name(b, j)
            );
            first = false;
            t += 1;
        }
    }
    json.push_str("\n  }\n}\n");
    json
}
