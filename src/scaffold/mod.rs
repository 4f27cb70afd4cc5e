//! What `cargo budget init` writes, computed as a plan of file changes from budget.toml, the
//! workspace and the files already there. Pure: the caller reads the files and applies the plan.

pub mod cargo_make;
pub mod just;
pub mod nextest_config;
pub mod tiers;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
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
}

impl Part {
    pub const ALL: [Part; 7] = [
        Part::Tiers,
        Part::Config,
        Part::Nextest,
        Part::CargoMake,
        Part::Just,
        Part::Github,
        Part::Adr,
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
        }
    }

    /// Parts whose content follows from budget.toml and the workspace; `init --check` compares
    /// them with what is on disk.
    pub fn is_generated(self) -> bool {
        matches!(
            self,
            Part::Nextest | Part::CargoMake | Part::Just | Part::Github
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
    pub force: bool,
    /// Reads a file relative to the workspace root; `None` when absent.
    pub read: &'a dyn Fn(&Path) -> Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("`{}` is not valid TOML, so it cannot be merged: {source}", path.display())]
pub struct PlanError {
    pub path: PathBuf,
    #[source]
    pub source: toml_edit::TomlError,
}

pub const NEXTEST_CONFIG: &str = ".config/nextest.toml";
pub const MAKEFILE: &str = "Makefile.toml";
pub const JUSTFILE: &str = "justfile";
pub const WORKFLOW: &str = ".github/workflows/budget.yml";
pub const ADR_TEMPLATE: &str = "docs/adr/template.md";

const WORKFLOW_TEXT: &str = include_str!("../../templates/budget.yml");
const ADR_TEXT: &str = include_str!("../../templates/adr-template.md");

impl Plan {
    fn propose(&mut self, part: Part, path: &str, before: Option<String>, after: String) {
        let path = PathBuf::from(path);
        if before.as_deref() == Some(after.as_str()) {
            self.up_to_date.push(path);
        } else {
            self.changes.push(Change {
                path,
                part,
                before,
                after,
            });
        }
    }

    /// A whole file cargo-budget owns: created when absent, replaced when nobody edited it since
    /// cargo-budget wrote it (its checksum still matches) or with `force`, otherwise left alone.
    fn propose_owned(
        &mut self,
        part: Part,
        path: &str,
        before: Option<String>,
        body: &str,
        force: bool,
    ) {
        let after = with_header(body);
        match &before {
            Some(text) if text != &after && !force && !unedited(text) => {
                self.needs_force.push(PathBuf::from(path));
            }
            _ => self.propose(part, path, before, after),
        }
    }
}

/// The first line of every whole file cargo-budget writes.
const OWNED: &str = "cargo-budget: generated by `cargo budget init`; edits need --force";

fn checksum(body: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(body.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The checksum of a generated table's entries, recorded in its marker comment.
fn entry_checksum(table: &toml_edit::Table) -> String {
    let body: String = table
        .iter()
        .map(|(k, v)| format!("{k}={}\n", v.to_string().trim()))
        .collect();
    checksum(&body)
}

/// The comment above a generated table: the marker, what it is for, and its checksum.
pub(crate) fn mark_entry(table: &mut toml_edit::Table, marker: &str, label: Option<&str>) {
    let label = label.map(|l| format!(": {l}")).unwrap_or_default();
    let sum = entry_checksum(table);
    table
        .decor_mut()
        .set_prefix(format!("\n# {marker}{label} (checksum {sum})\n"));
}

/// Whether a table cargo-budget generated was edited since (its checksum no longer matches).
/// Entries written before checksums were recorded count as unedited.
pub(crate) fn entry_edited(table: &toml_edit::Table) -> bool {
    let prefix = table
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or("");
    let Some(recorded) = prefix
        .rsplit("(checksum ")
        .next()
        .filter(|_| prefix.contains("(checksum "))
        .and_then(|rest| rest.split(')').next())
    else {
        return false;
    };
    recorded != entry_checksum(table)
}

/// `body` under a header line that records its checksum.
pub(crate) fn with_header(body: &str) -> String {
    format!("# {OWNED} (checksum {})\n{body}", checksum(body))
}

/// Whether `text` is a file cargo-budget wrote.
pub(crate) fn is_owned(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|l| l.contains("cargo-budget: generated"))
}

/// The generated part a file (relative to the workspace root) belongs to.
pub fn generated_part(path: &Path) -> Option<Part> {
    match path.to_str()? {
        NEXTEST_CONFIG => Some(Part::Nextest),
        MAKEFILE => Some(Part::CargoMake),
        WORKFLOW => Some(Part::Github),
        p if p == just::OWN_FILE || just::JUSTFILE_NAMES.contains(&p) => Some(Part::Just),
        _ => None,
    }
}

/// Whether a file holds something `init` wrote (a generated entry or file, the import of
/// `budget.just`): the part it belongs to was set up, so `init --check` judges it.
pub fn carries_mark(text: &str) -> bool {
    text.contains("cargo-budget: generated")
        || just::imports(text).iter().any(|i| i == just::OWN_FILE)
}

/// Whether `text` is a file cargo-budget wrote that nobody has edited since.
pub(crate) fn unedited(text: &str) -> bool {
    let Some((header, body)) = text.split_once('\n') else {
        return false;
    };
    header.starts_with(&format!("# {OWNED} (checksum "))
        && header.ends_with(&format!("{})", checksum(body)))
}

/// A generated TOML file's final text: no leading blank line unless the user's file has one,
/// and one final newline.
pub(crate) fn finish_toml(existing: Option<&str>, text: String) -> String {
    let mut text = if existing.is_none_or(|e| !e.starts_with('\n')) {
        text.trim_start_matches('\n').to_string()
    } else {
        text
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

pub fn plan(inputs: &Inputs<'_>) -> Result<Plan, PlanError> {
    let mut plan = Plan::default();
    let read = |p: &str| (inputs.read)(Path::new(p));
    let wants = |p: Part| inputs.parts.contains(&p);

    // Tier targets to create, and the binaries they will become.
    let mut binaries = inputs.binaries.to_vec();
    if wants(Part::Tiers) {
        plan_tiers(inputs, &mut plan, &mut binaries);
    }
    if wants(Part::Config) && read(config::FILE_NAME).is_none() {
        plan.propose(
            Part::Config,
            config::FILE_NAME,
            None,
            config::TEMPLATE.to_string(),
        );
    }
    if wants(Part::Nextest) {
        plan_nextest(inputs, &mut plan, &binaries)?;
    }
    if wants(Part::CargoMake) {
        plan_cargo_make(inputs, &mut plan)?;
    }
    if wants(Part::Just) {
        plan_just(inputs, &mut plan);
    }
    if wants(Part::Github) {
        plan.propose_owned(
            Part::Github,
            WORKFLOW,
            read(WORKFLOW),
            WORKFLOW_TEXT,
            inputs.force,
        );
    }

    if wants(Part::Adr) && read(ADR_TEMPLATE).is_none() {
        plan.propose(Part::Adr, ADR_TEMPLATE, None, ADR_TEXT.to_string());
    }

    for path in &plan.needs_force {
        plan.notes.push(format!(
            "{} exists and differs from what cargo-budget would write; left alone (use --force to replace it)",
            path.display()
        ));
    }
    Ok(plan)
}

/// Tier directories for each package, and notes on test targets outside them.
fn plan_tiers(inputs: &Inputs<'_>, plan: &mut Plan, binaries: &mut Vec<BinaryInfo>) {
    for package in inputs.packages {
        if package.autotests_off {
            plan.notes.push(format!(
                "{}: `autotests = false` in its Cargo.toml, so tier directories would not be test targets; declare them as [[test]] entries (name = \"unit\", path = \"tests/unit/main.rs\") and run init again",
                package.name
            ));
            continue;
        }
        for tier in &inputs.config.tiers {
            for target in &tier.targets {
                // A target of that name, or files where it would go (perhaps a target of
                // another name), leave the place to what is there.
                let dir = package.dir.join("tests").join(target);
                let taken = package.test_targets.contains(target)
                    || (inputs.read)(&dir.join("main.rs")).is_some()
                    || (inputs.read)(&package.dir.join("tests").join(format!("{target}.rs")))
                        .is_some();
                if taken {
                    continue;
                }
                for (rel, text) in tiers::files(tier, target) {
                    plan.changes.push(Change {
                        path: package.dir.join(&rel),
                        part: Part::Tiers,
                        before: None,
                        after: text,
                    });
                }
                binaries.push(BinaryInfo {
                    binary_id: format!("{}::{target}", package.name),
                    package: package.name.clone(),
                    kind: "test".into(),
                    target: target.clone(),
                });
            }
        }
        let claimed: BTreeSet<&String> = inputs
            .config
            .tiers
            .iter()
            .flat_map(|t| &t.targets)
            .collect();
        for loose in &package.loose_tests {
            let name = loose
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string();
            if claimed.contains(&name) {
                continue;
            }
            plan.notes.push(format!(
                "{} is a test target outside the tier directories: its tests fall to the name-prefix, marker or default rules (`cargo budget reclassify` can move slow ones)",
                loose.display()
            ));
        }
    }
}

/// `.config/nextest.toml` with the overrides for every binary (those about to exist too).
fn plan_nextest(
    inputs: &Inputs<'_>,
    plan: &mut Plan,
    binaries: &[BinaryInfo],
) -> Result<(), PlanError> {
    let read = |p: &str| (inputs.read)(Path::new(p));
    let before = read(NEXTEST_CONFIG);
    let overrides =
        nextest_config::overrides(inputs.config, binaries, inputs.markers, inputs.frameworks);
    let (after, edited) = nextest_config::merge(before.as_deref(), inputs.config, &overrides)
        .map_err(|source| PlanError {
            path: NEXTEST_CONFIG.into(),
            source,
        })?;
    if edited && !inputs.force && before.as_deref() != Some(after.as_str()) {
        plan.needs_force.push(PathBuf::from(NEXTEST_CONFIG));
    } else {
        plan.propose(Part::Nextest, NEXTEST_CONFIG, before, after);
    }
    Ok(())
}

/// `Makefile.toml` tasks, renamed around the user's own.
fn plan_cargo_make(inputs: &Inputs<'_>, plan: &mut Plan) -> Result<(), PlanError> {
    let read = |p: &str| (inputs.read)(Path::new(p));
    let before = read(MAKEFILE);
    let merged = cargo_make::merge(before.as_deref()).map_err(|source| PlanError {
        path: MAKEFILE.into(),
        source,
    })?;
    for (usual, used) in &merged.renamed {
        plan.notes.push(format!(
            "{MAKEFILE} already has a `{usual}` task of yours: cargo-budget's is `{used}` (`cargo make {used}`)"
        ));
    }
    if merged.edited && !inputs.force && before.as_deref() != Some(merged.text.as_str()) {
        plan.needs_force.push(PathBuf::from(MAKEFILE));
    } else {
        plan.propose(Part::CargoMake, MAKEFILE, before, merged.text);
    }
    Ok(())
}

/// just recipes: a justfile of cargo-budget's own, or an imported file beside the user's.
fn plan_just(inputs: &Inputs<'_>, plan: &mut Plan) {
    let read = |p: &str| (inputs.read)(Path::new(p));
    let user_file = just::JUSTFILE_NAMES
        .iter()
        .find_map(|n| read(n).map(|text| (*n, text)));
    match user_file {
        None => plan.propose(
            Part::Just,
            JUSTFILE,
            None,
            with_header(&just::recipes(&just::names(&[]))),
        ),
        Some((name, text)) if is_owned(&text) => plan.propose_owned(
            Part::Just,
            name,
            Some(text),
            &just::recipes(&just::names(&[])),
            inputs.force,
        ),
        Some((name, user)) => {
            // Every name the user's justfile and the files it imports define.
            let mut taken = just::recipe_names(&user);
            for imported in just::imports(&user)
                .iter()
                .filter(|i| i.as_str() != just::OWN_FILE)
            {
                if let Some(text) = read(imported) {
                    taken.extend(just::recipe_names(&text));
                }
            }
            let names = just::names(&taken);
            for (usual, used) in names
                .iter()
                .filter(|(usual, used)| **usual != used.as_str())
            {
                plan.notes.push(format!(
                    "{name} already has a `{usual}` recipe or alias: cargo-budget's is `{used}`"
                ));
            }
            plan.propose_owned(
                Part::Just,
                just::OWN_FILE,
                read(just::OWN_FILE),
                &just::recipes(&names),
                inputs.force,
            );
            plan.propose(
                Part::Just,
                name,
                Some(user.clone()),
                just::with_import(&user),
            );
        }
    }
}

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
