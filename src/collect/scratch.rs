//! A nextest run's scratch files in `<target-dir>/cargo-budget/`: the tool config carrying the
//! budgets as slow-timeouts and the wrapper, the JUnit file and the wrapper's records, unique to
//! the run and removed however it ends.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Error;
use crate::model::BinaryInfo;
use crate::nextest::tool_config::{SlowTimeout, ToolConfig};
use crate::nextest::{self, Selection};
use crate::sources::SourceIndex;

/// The run's scratch files.
pub(super) struct Scratch {
    pub tool_config: PathBuf,
    pub junit: PathBuf,
    /// The wrapper's per-attempt records.
    pub attempts: PathBuf,
}

/// Removes the run's scratch files however the run ends.
pub(super) struct Cleanup(pub Vec<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Scratch {
    /// Writes this run's tool config in `dir` (the budgets as `overrides`, the JUnit path, the
    /// `wrapper` when there is one).
    pub fn write(
        dir: &Path,
        selection: &Selection,
        overrides: &[SlowTimeout],
        wrapper: Option<Vec<String>>,
    ) -> Result<Scratch, Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("failed to create `{}`", dir.display()),
            source,
        })?;
        let stamp = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let scratch = Scratch {
            tool_config: dir.join(format!("tool-config-{stamp}.toml")),
            junit: dir.join(format!("junit-{stamp}.xml")),
            attempts: dir.join(format!("attempts-{stamp}.jsonl")),
        };
        let tool_config = ToolConfig {
            profile: selection.tuning.profile().to_string(),
            junit_path: scratch.junit.clone(),
            overrides: overrides.to_vec(),
            wrapper,
        };
        crate::fsutil::write_atomic(&scratch.tool_config, tool_config.to_toml().as_bytes())?;
        Ok(scratch)
    }

    pub fn cleanup(&self) -> Cleanup {
        Cleanup(vec![
            self.tool_config.clone(),
            self.junit.clone(),
            self.attempts.clone(),
        ])
    }
}

/// The budgets as nextest `slow-timeout` overrides: the filters `init` writes (first match
/// wins in classification's precedence; only binaries cargo metadata knows are named), each
/// with the run's `kill_after` and grace period.
pub(super) fn budget_overrides(
    config: &Config,
    binaries: &[BinaryInfo],
    sources: &SourceIndex,
) -> Vec<SlowTimeout> {
    let (markers, frameworks) = sources.placed();
    crate::scaffold::nextest_config::overrides(config, binaries, &markers, &frameworks)
        .into_iter()
        .map(|o| SlowTimeout {
            filter: o.filter,
            period: o.period,
            terminate_after: config.kill_after,
            grace_period: config.grace_period,
        })
        .collect()
}

/// The wrapper command that measures each test (`[cargo-budget, "__wrap"]`), or why peak
/// memory and CPU time cannot be measured here.
pub(super) fn wrapper(root: &Path) -> Result<Vec<String>, String> {
    if !cfg!(any(target_os = "linux", target_os = "macos")) {
        return Err("peak memory is measured on Linux and macOS only".into());
    }
    if !nextest::tool_config::repository_enables_wrappers(root) {
        return Err(format!(
            "nextest runs wrapper scripts only when the repository enables them: add \
             `experimental = [\"{}\"]` to {} (`cargo budget init` does)",
            nextest::tool_config::WRAPPER_FEATURE,
            root.join(".config").join("nextest.toml").display()
        ));
    }
    let exe = std::env::current_exe()
        .map_err(|e| format!("cargo-budget could not find its own executable: {e}"))?;
    Ok(vec![
        exe.to_string_lossy().into_owned(),
        crate::wrap::SUBCOMMAND.to_string(),
    ])
}
