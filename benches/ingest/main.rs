//! Ingest benchmark: JUnit XML → verdict → JSON report, for large suites.
//!
//! Checks the design target "100,000-test JUnit → verdict + JSON report in under 0.5 s and
//! under 100 MiB peak memory; time grows linearly with test count".
//!
//! For each size N it generates, in memory, a nextest-shaped JUnit file with N tests spread
//! over ~50 test binaries (mostly passing, ~2% slower than 1 s, ~0.5% failing, a few timeouts
//! and flaky tests), then times the whole pipeline from the XML string to the rendered JSON
//! report: `junit::parse` → `collect::classify::all` → `policy::evaluate` → `report::render`.
//! XML generation is not timed. After one untimed warm-up, each size runs 7 times (5 from
//! 100,000 tests up); min and median are reported, and µs/test shows whether time is linear.
//!
//! Peak memory is measured in a fresh child process per size (this binary re-executed with
//! `INGEST_CHILD=N`), so that one size's allocations do not hide another's: the child
//! generates the XML, records its peak RSS (`VmHWM`, Linux only) as a baseline, runs the
//! pipeline once (sampling the peak after each stage too) and records the peak again. Both the
//! total peak and the growth over the baseline are reported; the memory target is judged on
//! the total, which is what the real tool (which holds the whole file in memory too) would use.
//!
//! Then the same work as the user runs it, end to end as a process: for each size, the JUnit
//! file and a baseline of the same tests (schema 2, three runs each) are written to a temporary
//! directory, and `cargo-budget report --from junit.xml --baseline baseline.json --format json`
//! is run there (outside any workspace: no cargo, no nextest), beside the same command without
//! the baseline and a bare quick-xml scan of the file (the practical limit of reading it at
//! all). Each is run 5 times as its own process; the fastest wall time and the largest peak RSS
//! (`getrusage(RUSAGE_CHILDREN)`, measured by a fresh intermediate process per run) are shown.
//!
//! `INGEST_FILES=DIR cargo bench --bench ingest -- N` only writes the two files for N tests into
//! DIR, for profiling the command by hand.
//!
//! Run (release build):
//!
//! ```text
//! cargo bench --bench ingest                      # sizes 10000 and 100000
//! cargo bench --bench ingest -- 1000 10000 100000 # custom sizes
//! ```
//!
//! The numbers are informational: the binary always exits 0, even when a target is missed.

#![allow(clippy::print_stdout)]

mod generate;
mod process;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use cargo_budget::model::TestId;
use cargo_budget::nextest::junit;
use cargo_budget::sources::SourceIndex;
use cargo_budget::{collect, config, policy, report};
use generate::{generate, generate_baseline};
use process::{
    EXEC_ENV, Measured, SCAN_ENV, exec_child, processes_for, report_process_targets, scan_child,
};

/// Environment variable that switches this binary into single-size memory-measurement mode.
const CHILD_ENV: &str = "INGEST_CHILD";
/// Writes the generated JUnit file and baseline into this directory and stops (profiling).
const FILES_ENV: &str = "INGEST_FILES";
/// Prefix of the one line a child prints for its parent.
const CHILD_TAG: &str = "ingest-child-peak-kib";

const DEFAULT_SIZES: &[usize] = &[10_000, 100_000];
/// The size the absolute targets are stated for.
const TARGET_TESTS: usize = 100_000;
const TARGET_SECONDS: f64 = 0.5;
const TARGET_MIB: f64 = 100.0;
/// Allowed growth of µs/test from the smallest to the largest size before scaling counts as
/// worse than linear.
const LINEAR_TOLERANCE: f64 = 1.5;

fn main() {
    if let Ok(n) = std::env::var(CHILD_ENV) {
        let n: usize = n.parse().expect("INGEST_CHILD must be a test count");
        child(n);
        return;
    }
    if std::env::var_os(EXEC_ENV).is_some() {
        exec_child();
        return;
    }
    if let Some(path) = std::env::var_os(SCAN_ENV) {
        scan_child(Path::new(&path));
        return;
    }
    if let Some(dir) = std::env::var_os(FILES_ENV) {
        // For profiling by hand: write the files of the first size and stop.
        let n = sizes_from_args()[0];
        let dir = Path::new(&dir);
        std::fs::write(dir.join("junit.xml"), generate(n)).expect("write the JUnit file");
        std::fs::write(dir.join("baseline.json"), generate_baseline(n)).expect("write");
        return;
    }

    let sizes = sizes_from_args();
    println!("cargo-budget ingest benchmark: JUnit XML -> verdict + JSON report");
    println!("(generation excluded from timings; peak memory measured in a fresh child process)");
    println!();
    println!(
        "{:>8}  {:>9}  {:>9}  {:>5}  {:>8}  {:>8}  {:>8}  {:>12}  {:>10}  {:>13}",
        "tests",
        "XML",
        "JSON",
        "runs",
        "min",
        "median",
        "µs/test",
        "tests/s",
        "peak RSS",
        "pipeline peak"
    );

    let mut rows = Vec::new();
    for &n in &sizes {
        let row = measure(n);
        println!(
            "{:>8}  {:>9}  {:>9}  {:>5}  {:>7.3}s  {:>7.3}s  {:>8.2}  {:>12.0}  {:>10}  {:>13}",
            row.tests,
            format!("{:.1} MiB", mib(row.xml_bytes as u64)),
            format!("{:.1} MiB", mib(row.json_bytes as u64)),
            row.runs,
            row.min.as_secs_f64(),
            row.median.as_secs_f64(),
            row.micros_per_test(),
            row.tests as f64 / row.median.as_secs_f64(),
            row.peak
                .as_ref()
                .map_or("n/a".into(), |p| format!("{:.1} MiB", mib(p.total))),
            row.peak
                .as_ref()
                .map_or("n/a".into(), |p| format!("{:.1} MiB", mib(p.pipeline()))),
        );
        rows.push(row);
    }

    println!();
    println!("peak RSS after each stage (cumulative high-water mark; baseline = XML in memory):");
    for row in &rows {
        if let Some(p) = &row.peak {
            let stages: Vec<String> = STAGES
                .iter()
                .zip(&p.stages)
                .map(|(name, bytes)| format!("{name} {:.1}", mib(*bytes)))
                .collect();
            println!(
                "{:>8}  baseline {:.1}, {} MiB",
                row.tests,
                mib(p.baseline),
                stages.join(", ")
            );
        }
    }

    println!();
    report_targets(&rows);

    println!();
    println!("end to end as a process (fastest of 5 wall times, largest peak RSS):");
    println!(
        "{:>8}  {:>24}  {:>24}  {:>24}  {:>9}",
        "tests", "quick-xml scan", "report --from", "report --from --baseline", "vs scan"
    );
    let mut processes = Vec::new();
    for &n in &sizes {
        let p = processes_for(n);
        let cell = |m: &Measured| format!("{:.3}s {:>6.1} MiB", m.wall.as_secs_f64(), mib(m.peak));
        println!(
            "{:>8}  {:>24}  {:>24}  {:>24}  {:>8.1}x",
            n,
            cell(&p.scan),
            cell(&p.plain),
            cell(&p.with_baseline),
            p.with_baseline.wall.as_secs_f64() / p.scan.wall.as_secs_f64()
        );
        processes.push((n, p));
    }
    report_process_targets(&processes);
}

/// Sizes from the command line (numbers only; cargo's `--bench` and other flags are ignored).
fn sizes_from_args() -> Vec<usize> {
    let mut sizes = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg.starts_with('-') {
            continue;
        }
        match arg.replace('_', "").parse::<usize>() {
            Ok(n) if n > 0 => sizes.push(n),
            _ => println!("ignoring argument `{arg}` (expected a positive test count)"),
        }
    }
    if sizes.is_empty() {
        sizes.extend_from_slice(DEFAULT_SIZES);
    }
    sizes
}

// ---------------------------------------------------------------------------------------------
// The measured pipeline
// ---------------------------------------------------------------------------------------------

/// The pipeline's stages, in order, as reported to the `after` callback of [`pipeline`].
const STAGES: [&str; 4] = ["parse", "classify", "evaluate", "render"];

/// XML string → parsed run → classified tests → verdict → JSON report bytes, calling
/// `after(stage)` once each stage is done (the memory child samples its peak there). Returns
/// the report's size so the work cannot be optimised away.
fn pipeline(xml: &str, after: &mut dyn FnMut(&'static str)) -> usize {
    let config = config::defaults();
    let run = junit::parse(xml, Path::new("bench.xml")).expect("generated JUnit parses");
    after(STAGES[0]);
    let ids: Vec<&TestId> = run.results.iter().map(|r| &r.id).collect();
    let classified = collect::classify::all(&config, ids, &[], &SourceIndex::default())
        .expect("default config classifies every test");
    after(STAGES[1]);
    let verdict = policy::evaluate(
        &policy::Inputs {
            config: &config,
            context: config::Context::Ci,
            today: "2026-11-22".parse().expect("valid date"),
            known: None,
            counts: None,
        },
        classified,
        run,
        None,
    );
    after(STAGES[2]);
    let meta = report::Meta {
        exit_code: cargo_budget::exit::for_status(verdict.status),
        ..Default::default()
    };
    // The command streams the report to stdout or a file; count the bytes the same way.
    let mut out = Counter(0);
    report::render(report::Format::Json, &verdict, &meta, &mut out).expect("render");
    after(STAGES[3]);
    out.0
}

/// A writer that only counts what it is given.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Row {
    tests: usize,
    xml_bytes: usize,
    /// Size of the rendered JSON report.
    json_bytes: usize,
    runs: usize,
    min: Duration,
    median: Duration,
    peak: Option<Peak>,
}

impl Row {
    /// Median time per test, in µs.
    fn micros_per_test(&self) -> f64 {
        self.median.as_secs_f64() * 1e6 / self.tests as f64
    }

    /// Best time per test, in µs: the least noise-sensitive figure, used for linearity.
    fn min_micros_per_test(&self) -> f64 {
        self.min.as_secs_f64() * 1e6 / self.tests as f64
    }
}

/// Peak RSS of a child, in bytes.
struct Peak {
    /// After generating the XML, before the pipeline.
    baseline: u64,
    /// After the pipeline.
    total: u64,
    /// The high-water mark after each of [`STAGES`] (cumulative, so non-decreasing).
    stages: Vec<u64>,
}

impl Peak {
    fn pipeline(&self) -> u64 {
        self.total.saturating_sub(self.baseline)
    }
}

/// Times `n` tests (one untimed warm-up, then several timed runs) and measures peak memory in
/// a child process.
fn measure(n: usize) -> Row {
    let xml = generate(n);
    let runs = if n >= 100_000 { 5 } else { 7 };

    // Untimed: check the generated file means what it should, and warm up.
    let parsed = junit::parse(&xml, Path::new("bench.xml")).expect("generated JUnit parses");
    assert_eq!(
        parsed.results.len(),
        n,
        "generated JUnit has the wrong test count"
    );
    drop(parsed);
    let json_bytes = pipeline(std::hint::black_box(&xml), &mut |_| {});
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let out = pipeline(std::hint::black_box(&xml), &mut |_| {});
            let elapsed = start.elapsed();
            assert!(out > 0, "the JSON report is empty");
            std::hint::black_box(out);
            elapsed
        })
        .collect();
    times.sort();

    Row {
        tests: n,
        xml_bytes: xml.len(),
        json_bytes,
        runs,
        min: times[0],
        median: times[times.len() / 2],
        peak: child_peak(n),
    }
}

// ---------------------------------------------------------------------------------------------
// Peak memory (child process)
// ---------------------------------------------------------------------------------------------

/// Re-runs this binary with `INGEST_CHILD=n` and reads its peak RSS figures.
fn child_peak(n: usize) -> Option<Peak> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe)
        .env(CHILD_ENV, n.to_string())
        .output()
        .ok()?;
    if !output.status.success() {
        println!("memory child for {n} tests failed: {}", output.status);
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix(CHILD_TAG))?;
    // "baseline total stage..." in KiB, or "n/a" when the child could not read VmHWM.
    let kib: Vec<u64> = line
        .split_whitespace()
        .map(|f| f.parse::<u64>().map(|k| k * 1024))
        .collect::<Result<_, _>>()
        .ok()?;
    match kib.as_slice() {
        [baseline, total, stages @ ..] if stages.len() == STAGES.len() => Some(Peak {
            baseline: *baseline,
            total: *total,
            stages: stages.to_vec(),
        }),
        _ => None,
    }
}

/// Child mode: generate, record the baseline peak, run the pipeline once (sampling the peak
/// after each stage), record the peak, and print the figures in KiB on one line.
fn child(n: usize) {
    let xml = generate(n);
    let baseline = peak_rss_kib();
    let mut stages = Vec::new();
    let out = pipeline(std::hint::black_box(&xml), &mut |_| {
        stages.push(peak_rss_kib())
    });
    let total = peak_rss_kib();
    std::hint::black_box(out);
    let figures: Option<Vec<u64>> = [baseline, total].into_iter().chain(stages).collect();
    match figures {
        Some(f) => {
            let f: Vec<String> = f.iter().map(u64::to_string).collect();
            println!("{CHILD_TAG} {}", f.join(" "));
        }
        None => println!("{CHILD_TAG} n/a"),
    }
}

/// The process's peak resident set size (`VmHWM`) in KiB; `None` where /proc is unavailable.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

fn report_targets(rows: &[Row]) {
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    match rows.iter().find(|r| r.tests == TARGET_TESTS) {
        Some(row) => {
            let secs = row.median.as_secs_f64();
            println!(
                "target: {TARGET_TESTS} tests in < {TARGET_SECONDS} s (median)    {secs:.3} s    {}",
                verdict(secs < TARGET_SECONDS)
            );
            match &row.peak {
                Some(p) => println!(
                    "target: {TARGET_TESTS} tests in < {TARGET_MIB} MiB peak RSS   {:.1} MiB \
                     (pipeline alone {:.1} MiB)    {}",
                    mib(p.total),
                    mib(p.pipeline()),
                    verdict(mib(p.total) < TARGET_MIB)
                ),
                None => println!(
                    "target: {TARGET_TESTS} tests in < {TARGET_MIB} MiB peak RSS   n/a (no VmHWM)"
                ),
            }
        }
        None => println!(
            "target: time and memory targets are stated for {TARGET_TESTS} tests: not measured"
        ),
    }

    let smallest = rows.iter().min_by_key(|r| r.tests);
    let largest = rows.iter().max_by_key(|r| r.tests);
    match (smallest, largest) {
        (Some(s), Some(l)) if l.tests >= s.tests * 5 => {
            let ratio = l.min_micros_per_test() / s.min_micros_per_test();
            println!(
                "target: linear growth (min µs/test at {} vs {} tests within {LINEAR_TOLERANCE}x)   \
                 {:.2} vs {:.2} µs/test = {ratio:.2}x    {}",
                l.tests,
                s.tests,
                l.min_micros_per_test(),
                s.min_micros_per_test(),
                verdict(ratio <= LINEAR_TOLERANCE)
            );
        }
        _ => println!("target: linear growth: needs two sizes at least 5x apart: not measured"),
    }
    println!("(informational: exit status is 0 whether or not the targets are met)");
}
