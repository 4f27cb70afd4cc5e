//! `budget.toml`: load the file (or defaults), validate it, and report problems with
//! file:line:col. Unknown keys are returned as warnings; the run continues.

mod capability;
mod load;
mod raw;
mod resolve;
mod types;
pub mod units;
mod unknown;

use std::path::PathBuf;

pub use load::{defaults, load_or_default, parse};

pub use capability::{
    AlertMetrics, Alerts, Capability, CapabilityRegression, MatchOp, Matcher, Selector, glob,
    glob_across,
};
pub use resolve::{default_tiers, unknown_tier_message};
pub use types::{
    Cases, Config, Context, CountThresholds, Enforce, Enforcement, Exception, Phase, Regression,
    Tier, Trend,
};

/// The file name looked up at the workspace root.
pub const FILE_NAME: &str = "budget.toml";

/// The commented template `init` writes; a test proves it loads.
pub const TEMPLATE: &str = include_str!("../../templates/budget.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("failed to read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}\n{snippet}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        snippet: String,
    },
}

/// A configuration that loaded, with the unknown keys it contained.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod count_tests;
#[cfg(test)]
mod tests;
