//! End to end as a process: the JUnit file and a baseline written to a temporary directory,
//! `cargo-budget report --from` run on them (with and without the baseline) beside a bare
//! quick-xml scan, each through a fresh intermediate process of this binary that measures it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::generate::{generate, generate_baseline};
use super::{LINEAR_TOLERANCE, TARGET_MIB, TARGET_SECONDS, TARGET_TESTS, mib};

/// Switches this binary into "run the command in the arguments, report its wall time and peak
/// RSS" mode.
pub(super) const EXEC_ENV: &str = "INGEST_EXEC";
/// Switches this binary into "scan the JUnit file at this path with quick-xml" mode.
pub(super) const SCAN_ENV: &str = "INGEST_SCAN";
const EXEC_TAG: &str = "ingest-exec";
/// The end-to-end targets: within this multiple of a bare scan of the same file.
const TARGET_SCAN_MULTIPLE: f64 = 3.0;

/// One command's cost as a process.
pub(super) struct Measured {
    pub(super) wall: Duration,
    /// Peak RSS in bytes.
    pub(super) peak: u64,
}

pub(super) struct Processes {
    pub(super) scan: Measured,
    pub(super) plain: Measured,
    pub(super) with_baseline: Measured,
}

pub(super) fn processes_for(n: usize) -> Processes {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("junit.xml"), generate(n)).expect("write the JUnit file");
    std::fs::write(dir.path().join("baseline.json"), generate_baseline(n))
        .expect("write the baseline");
    let exe = std::env::current_exe().expect("this binary");
    let budget = env!("CARGO_BIN_EXE_cargo-budget");
    let report = |baseline: bool| {
        let mut args = vec![
            budget,
            "report",
            "--from",
            "junit.xml",
            "--format",
            "json",
            "--mode",
            "ci",
            "--output",
            "out.json",
        ];
        args.extend(if baseline {
            ["--baseline", "baseline.json"]
        } else {
            ["--no-baseline", "--quiet"]
        });
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let scan = vec![exe.display().to_string()];
    Processes {
        scan: best_of(dir.path(), &scan, Some(dir.path().join("junit.xml"))),
        plain: best_of(dir.path(), &report(false), None),
        with_baseline: best_of(dir.path(), &report(true), None),
    }
}

/// Runs `argv` in `dir` 5 times, each through a fresh intermediate process of this binary that
/// measures it; `scan` makes the command this binary's quick-xml scan of that file.
fn best_of(dir: &Path, argv: &[String], scan: Option<std::path::PathBuf>) -> Measured {
    let exe = std::env::current_exe().expect("this binary");
    let mut best = Measured {
        wall: Duration::MAX,
        peak: 0,
    };
    for _ in 0..5 {
        let mut cmd = Command::new(&exe);
        cmd.env(EXEC_ENV, "1").args(argv).current_dir(dir);
        if let Some(file) = &scan {
            cmd.env(SCAN_ENV, file);
        }
        let out = cmd.output().expect("run the measuring process");
        let text = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<&str> = text
            .lines()
            .find_map(|l| l.strip_prefix(EXEC_TAG))
            .unwrap_or_else(|| panic!("no measurement from {argv:?}: {text}"))
            .split_whitespace()
            .collect();
        let wall = Duration::from_secs_f64(fields[0].parse().expect("seconds"));
        let peak: u64 = fields[1].parse::<u64>().expect("KiB") * 1024;
        best.wall = best.wall.min(wall);
        best.peak = best.peak.max(peak);
    }
    best
}

/// Exec mode: runs the arguments as a command (stdout discarded), then prints its wall time
/// and the peak RSS of the children this process waited for (just that one).
pub(super) fn exec_child() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]).stdout(std::process::Stdio::null());
    // The scan runs this binary again: not in exec mode.
    cmd.env_remove(EXEC_ENV);
    let start = Instant::now();
    let status = cmd.status().expect("start the measured command");
    let wall = start.elapsed();
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    // Exit codes 0 (pass), 3 (violations) and 4 (tests failed) are verdicts, not errors.
    assert!(
        matches!(status.code(), Some(0 | 3 | 4)),
        "{argv:?} failed: {status}"
    );
    println!("{EXEC_TAG} {} {}", wall.as_secs_f64(), usage.max_rss());
}

/// Scan mode: reads the file and walks every XML event with quick-xml, counting test cases.
pub(super) fn scan_child(path: &Path) {
    let text = std::fs::read_to_string(path).expect("read the JUnit file");
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut cases = 0usize;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.local_name().as_ref() as &str == "testcase" =>
            {
                cases += 1
            }
            _ => {}
        }
    }
    assert!(cases > 0, "no test cases in {}", path.display());
}

pub(super) fn report_process_targets(rows: &[(usize, Processes)]) {
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    let Some((_, p)) = rows.iter().find(|(n, _)| *n == TARGET_TESTS) else {
        println!("target: end-to-end targets are stated for {TARGET_TESTS} tests: not measured");
        return;
    };
    let secs = p.with_baseline.wall.as_secs_f64();
    let multiple = secs / p.scan.wall.as_secs_f64();
    println!(
        "target: {TARGET_TESTS} tests + baseline, as a process, < {TARGET_SECONDS} s    {secs:.3} s    {}",
        verdict(secs < TARGET_SECONDS)
    );
    println!(
        "target: ... and < {TARGET_MIB} MiB peak RSS    {:.1} MiB    {}",
        mib(p.with_baseline.peak),
        verdict(mib(p.with_baseline.peak) < TARGET_MIB)
    );
    println!(
        "target: ... within {TARGET_SCAN_MULTIPLE}x a bare quick-xml scan ({:.3} s, {:.1} MiB)    {multiple:.1}x    {}",
        p.scan.wall.as_secs_f64(),
        mib(p.scan.peak),
        verdict(multiple <= TARGET_SCAN_MULTIPLE)
    );
    if let (Some((small_n, small)), Some((large_n, large))) = (rows.first(), rows.last())
        && large_n >= &(small_n * 5)
    {
        let per = |m: &Measured, n: usize| m.wall.as_secs_f64() * 1e6 / n as f64;
        let ratio = per(&large.with_baseline, *large_n) / per(&small.with_baseline, *small_n);
        println!(
            "target: linear with a baseline (µs/test at {large_n} vs {small_n} within {LINEAR_TOLERANCE}x)    {ratio:.2}x    {}",
            verdict(ratio <= LINEAR_TOLERANCE)
        );
    }
}
