//! What `cargo budget init` writes, computed as a plan of file changes from budget.toml, the
//! workspace and the files already there. Pure: the caller reads the files and applies the plan.

pub mod alerts;
pub mod cargo_make;
pub mod just;
mod marks;
pub mod nextest_config;
mod plan;
pub mod tiers;

pub use marks::{carries_mark, generated_part};
pub(crate) use marks::{entry_edited, finish_toml, is_owned, mark_entry, unedited, with_header};
pub use plan::plan;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::model::{BinaryInfo, TestId};

/// The parts `init` can set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Part {
    /// tests/<tier>/main.rs targets in the chosen packages
    Tiers,
    /// budget.toml from the commented template
    Config,
    /// .config/nextest.toml profiles and per-tier slow-timeouts
    Nextest,
    /// Makefile.toml tasks for cargo-make
    CargoMake,
    /// justfile recipes
    Just,
    /// .github/workflows/budget.yml
    Github,
    /// docs/adr/ with the MADR template
    Adr,
    /// prometheus/ alert rules and their promtool tests, from [capability.metrics]
    Alerts,
}

impl Part {
    pub const ALL: [Part; 8] = [
        Part::Tiers,
        Part::Config,
        Part::Nextest,
        Part::CargoMake,
        Part::Just,
        Part::Github,
        Part::Adr,
        Part::Alerts,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Part::Tiers => "tier test targets (tests/unit, tests/integration, tests/e2e)",
            Part::Config => "budget.toml",
            Part::Nextest => ".config/nextest.toml (budget-ci profile, per-tier slow-timeouts)",
            Part::CargoMake => "Makefile.toml tasks (cargo make ci-gate)",
            Part::Just => "justfile recipes (just ci-gate)",
            Part::Github => ".github/workflows/budget.yml",
            Part::Adr => "docs/adr/ with the ADR template",
            Part::Alerts => {
                "prometheus/ alert rules and promtool tests (from [capability.metrics])"
            }
        }
    }

    /// Parts whose content follows from budget.toml and the workspace; `init --check` compares
    /// them with what is on disk.
    pub fn is_generated(self) -> bool {
        matches!(
            self,
            Part::Nextest | Part::CargoMake | Part::Just | Part::Github | Part::Alerts
        )
    }
}

/// A package the tier targets may be created in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageLayout {
    pub name: String,
    /// Relative to the workspace root ("" for the root package).
    pub dir: PathBuf,
    /// Names of its existing test targets.
    pub test_targets: Vec<String>,
    /// Its `tests/*.rs` files, listed as candidates for reclassification.
    pub loose_tests: Vec<PathBuf>,
    /// `autotests = false` in its manifest: `tests/<tier>/main.rs` would not become a target.
    pub autotests_off: bool,
}

/// One file to create or change. Paths are relative to the workspace root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    pub part: Part,
    pub before: Option<String>,
    pub after: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Things the user should know (renamed tasks, loose tests, files left alone).
    pub notes: Vec<String>,
    /// Files that differ from what cargo-budget would write but were not written by it (or were
    /// edited since): replaced only with `--force`.
    pub needs_force: Vec<PathBuf>,
    /// What `--force` would write over the files in `needs_force` that cargo-budget generates
    /// (for the diff `--check` shows).
    pub withheld: Vec<Change>,
    /// Generated parts that are up to date.
    pub up_to_date: Vec<PathBuf>,
}

/// Everything the planner needs.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub binaries: &'a [BinaryInfo],
    pub markers: &'a [(TestId, String)],
    /// Property tests and their framework, found in the sources.
    pub frameworks: &'a [(TestId, crate::model::Framework)],
    pub packages: &'a [PackageLayout],
    pub parts: &'a BTreeSet<Part>,
    /// The workspace has criterion benches: the bench recipes and tasks are written too.
    pub benches: bool,
    /// A new budget.toml counts the unit tests' instructions (`instructions = true`).
    pub count_instructions: bool,
    pub force: bool,
    /// Reads a file relative to the workspace root; `None` when absent.
    pub read: &'a dyn Fn(&Path) -> Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("`{}` is not valid TOML, so it cannot be merged: {source}", path.display())]
    Toml {
        path: PathBuf,
        #[source]
        source: toml_edit::TomlError,
    },
    /// The alert rules' unit tests cannot be generated.
    #[error("{0}")]
    Alerts(String),
}

pub const NEXTEST_CONFIG: &str = ".config/nextest.toml";
pub const MAKEFILE: &str = "Makefile.toml";
pub const JUSTFILE: &str = "justfile";
pub const WORKFLOW: &str = ".github/workflows/budget.yml";
pub const ADR_TEMPLATE: &str = "docs/adr/template.md";

const WORKFLOW_TEXT: &str = include_str!("../../templates/budget.yml");
/// The workflow's benchmarks job, appended when the workspace has criterion benches.
const BENCH_JOB_TEXT: &str = include_str!("../../templates/budget-bench-job.yml");
const ADR_TEXT: &str = include_str!("../../templates/adr-template.md");

/// True when `after` is `before` with lines inserted and nothing removed or changed.
#[cfg(test)]
pub(crate) fn only_insertions(before: &str, after: &str) -> bool {
    similar::TextDiff::from_lines(before, after)
        .iter_all_changes()
        .all(|c| c.tag() != similar::ChangeTag::Delete)
}

#[cfg(test)]
mod precedence_tests;
#[cfg(test)]
mod tests;
