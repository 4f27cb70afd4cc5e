//! One bench target's run read line by line: every line of its output goes to an observer, and
//! criterion's `Benchmarking <id>: <phase>` lines say which benchmark it is measuring.

use std::io::{BufRead, BufReader};

use super::{BenchError, BenchTarget};
use crate::nextest::command::Invocation;

/// Told what a benchmark run is doing, as it does it.
pub(crate) trait Observer {
    /// Target `k` of `n` is about to run as `command`.
    fn target(&self, k: usize, n: usize, target: &BenchTarget, command: &str);
    /// criterion started measuring the benchmark `id`.
    fn benchmark(&self, id: &str);
    /// A line of the run's output (stdout and stderr together, in order); `phase` for
    /// criterion's `Benchmarking <id>: <phase>` lines.
    fn line(&self, line: &str, phase: bool);
}

/// The phases criterion announces as `Benchmarking <id>: <phase>` (0.5 to 0.8).
const PHASES: [&str; 5] = [
    "Warming up",
    "Collecting",
    "Analyzing",
    "Complete",
    "Skipping",
];

/// The benchmark a line of criterion's output is about, for its `Benchmarking <id>` and
/// `Benchmarking <id>: <phase>` lines (the id may contain `": "` itself).
pub(crate) fn benchmark_of(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("Benchmarking ")?;
    let id = match rest.rsplit_once(": ") {
        Some((id, phase)) if PHASES.iter().any(|p| phase.starts_with(p)) => id,
        _ => rest,
    };
    (!id.trim().is_empty()).then_some(id)
}

/// Runs `inv`, handing each line of its output to `observer` and each benchmark criterion
/// starts to `observer.benchmark` once; the exit code (-1 when killed by a signal).
pub(crate) fn run(inv: &Invocation, observer: &dyn Observer) -> Result<i32, BenchError> {
    let spawn = |source| BenchError::Spawn {
        command: inv.display(),
        source,
    };
    let reader = inv
        .expression()
        .stderr_to_stdout()
        .reader()
        .map_err(spawn)?;
    let mut current: Option<String> = None;
    for line in BufReader::new(&reader).split(b'\n') {
        let line = line.map_err(spawn)?;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches('\r');
        let id = benchmark_of(line);
        if let Some(id) = id.filter(|id| current.as_deref() != Some(*id)) {
            observer.benchmark(id);
            current = Some(id.to_string());
        }
        observer.line(line, id.is_some());
    }
    let output = reader.try_wait().map_err(spawn)?;
    Ok(output.and_then(|o| o.status.code()).unwrap_or(-1))
}

#[cfg(test)]
mod tests {
    use super::benchmark_of;

    #[test]
    fn criterion_phase_lines_name_their_benchmark() {
        let table = [
            (
                "Benchmarking steady: Warming up for 200.00 ms",
                Some("steady"),
            ),
            ("Benchmarking io/read:x y: Analyzing", Some("io/read:x y")),
            (
                "Benchmarking a: b/c: Collecting 30 samples in estimated 800.02 ms (3.0M iterations)",
                Some("a: b/c"),
            ),
            (
                "steady                  time:   [33.1 µs 33.3 µs 33.5 µs]",
                None,
            ),
            ("Benchmarking steady", Some("steady")),
            ("Benchmarking io/read:x y", Some("io/read:x y")),
            ("Benchmarking a: b", Some("a: b")),
            ("Benchmarking : Analyzing", None),
            ("Benchmarking ", None),
            (
                "    Finished `bench` profile [optimized] target(s) in 0.05s",
                None,
            ),
        ];
        for (line, id) in table {
            assert_eq!(benchmark_of(line), id, "{line}");
        }
    }
}
