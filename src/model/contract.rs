//! The measurement contract: the conditions results were measured under. Two measurements are
//! comparable when toolchain, nextest, profile, target, CPU count and CPU model agree.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    /// `rustc -vV` first line, e.g. `rustc 1.95.0 (59807616e 2026-04-14)`.
    pub rustc: String,
    /// `cargo nextest --version` first line.
    pub nextest: String,
    /// The nextest profile the suite ran under.
    pub profile: String,
    /// The host target triple.
    pub target: String,
    /// Available parallelism.
    pub cpus: u32,
    /// The CPU's model name (`/proc/cpuinfo`); `unknown` where there is none, and in schema 1
    /// baselines, which did not record it.
    #[serde(default = "unknown")]
    pub cpu: String,
    /// Runs per test (each duration is the median of these).
    pub runs: u32,
    /// `sha256:<hex>` of budget.toml, or `none`.
    pub budget_toml: String,
}

impl Contract {
    /// The contract of results measured elsewhere (JUnit files, a baseline read back): every
    /// field unknown.
    pub fn unknown() -> Contract {
        Contract {
            rustc: UNKNOWN.into(),
            nextest: UNKNOWN.into(),
            profile: UNKNOWN.into(),
            target: UNKNOWN.into(),
            cpus: 0,
            cpu: UNKNOWN.into(),
            runs: 0,
            budget_toml: UNKNOWN.into(),
        }
    }

    pub fn is_unknown(&self) -> bool {
        self.rustc == UNKNOWN && self.cpus == 0
    }

    /// Fields that differ in a way that makes timings not comparable, as "field (baseline `a`,
    /// now `b`)".
    pub fn differences(&self, now: &Contract) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |field: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{field} (baseline `{a}`, now `{b}`)"));
            }
        };
        check("rustc", self.rustc.clone(), now.rustc.clone());
        check("nextest", self.nextest.clone(), now.nextest.clone());
        check("profile", self.profile.clone(), now.profile.clone());
        check("target", self.target.clone(), now.target.clone());
        check("cpus", self.cpus.to_string(), now.cpus.to_string());
        if self.cpu != UNKNOWN && now.cpu != UNKNOWN {
            check("cpu", self.cpu.clone(), now.cpu.clone());
        }
        out
    }
}

pub const UNKNOWN: &str = "unknown";

pub fn unknown() -> String {
    UNKNOWN.to_string()
}
