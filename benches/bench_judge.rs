//! The cost of judging benchmarks next to running them: reading 1,000 criterion result
//! directories (100 samples each), reading a bench baseline of the same 1,000, and comparing
//! them. Target: under 1 s. Timed in process (read + compare, median of 5) and as a process
//! (`cargo budget bench --from DIR --baseline FILE --format json`, fastest of 5).
//!
//! Run: `cargo bench --bench bench_judge [-- COUNT]` (release build of cargo-budget).

#![allow(clippy::print_stdout)]

use std::path::Path;
use std::time::{Duration, Instant};

use cargo_budget::baseline::bench::BenchBaseline;
use cargo_budget::model::BenchContract;
use cargo_budget::policy::bench::{BenchThresholds, compare};

/// Writes benchmark `i`'s `new/` files under `root`, its mean `scale` × a base time.
fn write_result(root: &Path, i: usize, scale: f64) {
    let dir = root.join(format!("group_{}/f/{i}/new", i % 37));
    std::fs::create_dir_all(&dir).unwrap();
    let id = format!("group_{}/f/{i}", i % 37);
    std::fs::write(
        dir.join("benchmark.json"),
        format!(
            r#"{{"group_id":"group_{}","function_id":"f","value_str":"{i}","throughput":null,"full_id":"{id}","directory_name":"{id}","title":"{id}"}}"#,
            i % 37
        ),
    )
    .unwrap();
    let mean = (1000.0 + i as f64) * scale;
    let est = |p: f64| {
        format!(
            r#"{{"confidence_interval":{{"confidence_level":0.95,"lower_bound":{},"upper_bound":{}}},"point_estimate":{p},"standard_error":1.0}}"#,
            p * 0.99,
            p * 1.01
        )
    };
    std::fs::write(
        dir.join("estimates.json"),
        format!(
            r#"{{"mean":{},"median":{},"median_abs_dev":{},"slope":{},"std_dev":{}}}"#,
            est(mean),
            est(mean),
            est(mean * 0.01),
            est(mean),
            est(mean * 0.02)
        ),
    )
    .unwrap();
    let iters: Vec<String> = (1..=100).map(|k| format!("{}.0", k * 10)).collect();
    let times: Vec<String> = (1..=100)
        .map(|k| {
            format!(
                "{:.1}",
                (k * 10) as f64 * mean * (1.0 + ((k * 7919) % 13) as f64 / 1000.0)
            )
        })
        .collect();
    std::fs::write(
        dir.join("sample.json"),
        format!(
            r#"{{"sampling_mode":"Linear","iters":[{}],"times":[{}]}}"#,
            iters.join(","),
            times.join(",")
        ),
    )
    .unwrap();
}

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let (before_dir, after_dir) = (dir.path().join("before"), dir.path().join("after"));
    for i in 0..count {
        write_result(&before_dir, i, 1.0);
        write_result(&after_dir, i, if i % 10 == 0 { 1.3 } else { 1.0 });
    }
    let before = cargo_budget::criterion::read::read_all(&before_dir, None).unwrap();
    let contract = BenchContract {
        rustc: "unknown".into(),
        target: "unknown".into(),
        cpus: 0,
        cpu: "unknown".into(),
        profile: "unknown".into(),
        rustflags: "unknown".into(),
        criterion: "unknown".into(),
    };
    let baseline = BenchBaseline::new("2026-12-01T00:00:00Z".into(), None, contract, before);
    let baseline_path = dir.path().join("bench-baseline.json");
    std::fs::write(&baseline_path, baseline.to_json()).unwrap();
    let t = BenchThresholds {
        warn: 0.10,
        fail: 0.25,
    };

    let mut times: Vec<Duration> = Vec::new();
    let mut fails = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let after = cargo_budget::criterion::read::read_all(&after_dir, None).unwrap();
        let recorded = BenchBaseline::read(&baseline_path).unwrap();
        let c = compare(&recorded.benchmarks, &after, t, Vec::new());
        times.push(start.elapsed());
        fails = c
            .deltas
            .iter()
            .filter(|d| d.call.as_str() == "fail")
            .count();
    }
    times.sort();
    println!(
        "{count} benchmarks, in process (read results + read baseline + compare): median {:.3} s, {fails} fail-level",
        times[2].as_secs_f64()
    );

    let bin = Path::new(env!("CARGO_BIN_EXE_cargo-budget"));
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let out = std::process::Command::new(bin)
            .args(["bench", "--mode", "dev", "--format", "json", "-o"])
            .arg(dir.path().join("out.json"))
            .arg("--from")
            .arg(&after_dir)
            .arg("--baseline")
            .arg(&baseline_path)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        best = best.min(start.elapsed());
        assert!(
            out.status.code() == Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!(
        "{count} benchmarks, as a process (`bench --from DIR --baseline FILE --format json`): fastest {:.3} s (target < 1 s)",
        best.as_secs_f64()
    );
}
