//! The contract probes: the conditions a measurement is made under now (toolchain, nextest,
//! profile, target, CPU count and model, budget.toml; for benchmarks criterion and RUSTFLAGS),
//! and the machine's load. The contract itself is the model's.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::model::Contract;
use crate::model::contract::unknown;

/// The first `model name` in `/proc/cpuinfo`, whitespace collapsed.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
                .map(|(_, model)| model.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(unknown)
}

/// `(first line, host triple)` of `rustc -vV`, run where cargo would run it.
fn rustc(cwd: &Path) -> (String, String) {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = duct::cmd(rustc, ["-vV"])
        .dir(cwd)
        .stdout_capture()
        .stderr_null()
        .unchecked()
        .run()
        .ok();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let first = text.lines().next().unwrap_or("unknown").trim().to_string();
    let host = text
        .lines()
        .find_map(|l| l.strip_prefix("host:"))
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    (first, host)
}

/// Measures the current environment.
pub fn current(
    cwd: &Path,
    nextest: &str,
    selection: &crate::nextest::Selection,
    runs: u32,
    budget_toml: Option<&Path>,
) -> Contract {
    let (rustc, host) = rustc(cwd);
    let target = selection.build.target.clone().unwrap_or(host);
    let budget_toml = budget_toml
        .and_then(|p| std::fs::read(p).ok())
        .map(|bytes| {
            let digest = Sha256::digest(&bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("sha256:{hex}")
        })
        .unwrap_or_else(|| "none".into());
    Contract {
        rustc,
        nextest: nextest.to_string(),
        profile: profile(selection),
        target,
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
        cpu: cpu_model(),
        runs,
        budget_toml,
    }
}

/// The nextest profile, and the cargo profile when it is not the usual `test`: timings of a
/// release build are not comparable with a debug build's.
fn profile(selection: &crate::nextest::Selection) -> String {
    let nextest = selection.tuning.profile();
    match selection.build.cargo_profile() {
        "test" => nextest.to_string(),
        cargo => format!("{nextest} (cargo {cargo})"),
    }
}

/// The machine's 1-minute load average (`/proc/loadavg`), where the system has one.
pub fn load_1m() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let load: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some((load * 100.0).round() / 100.0)
}

/// The conditions benchmarks run under now: toolchain, target, CPUs, the cargo profile,
/// RUSTFLAGS and criterion's version in the workspace's Cargo.lock.
pub fn bench_current(
    cwd: &Path,
    workspace_root: &Path,
    cargo_profile: Option<&str>,
) -> crate::model::BenchContract {
    let (rustc, host) = rustc(cwd);
    let rustflags = std::env::var("RUSTFLAGS")
        .or_else(|_| std::env::var("CARGO_ENCODED_RUSTFLAGS").map(|f| f.replace('\x1f', " ")))
        .unwrap_or_default();
    crate::model::BenchContract {
        rustc,
        target: host,
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
        cpu: cpu_model(),
        profile: cargo_profile.unwrap_or("bench").to_string(),
        rustflags,
        criterion: locked_version(&workspace_root.join("Cargo.lock"), "criterion")
            .unwrap_or_else(unknown),
    }
}

/// The version of `package` in a Cargo.lock (the highest, when several are locked).
pub fn locked_version(lock: &Path, package: &str) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let doc: toml::Table = toml::from_str(&text).ok()?;
    let packages = doc.get("package")?.as_array()?;
    packages
        .iter()
        .filter(|p| p.get("name").and_then(|n| n.as_str()) == Some(package))
        .filter_map(|p| p.get("version")?.as_str().map(String::from))
        .max_by(|a, b| {
            let key = |v: &str| {
                v.split('.')
                    .map(|n| n.parse::<u64>().unwrap_or(0))
                    .collect::<Vec<_>>()
            };
            key(a).cmp(&key(b))
        })
}
