//! The plan: every file change `init` would make, part by part.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;
use crate::config;
use crate::model::{BinaryInfo, BinaryKind};

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

    /// A file that differs from what cargo-budget would write and was edited by someone else:
    /// left alone without `force`, with what `force` would write kept for the diff.
    fn withhold(&mut self, part: Part, path: &str, before: Option<String>, after: String) {
        self.needs_force.push(PathBuf::from(path));
        self.withheld.push(Change {
            path: PathBuf::from(path),
            part,
            before,
            after,
        });
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
                self.withhold(part, path, before, after);
            }
            _ => self.propose(part, path, before, after),
        }
    }
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
            match inputs.count_instructions {
                true => {
                    config::TEMPLATE.replacen("# instructions = true", "instructions = true", 1)
                }
                false => config::TEMPLATE.to_string(),
            },
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
        let text = match inputs.benches {
            true => format!("{WORKFLOW_TEXT}{}", super::BENCH_JOB_TEXT),
            false => WORKFLOW_TEXT.to_string(),
        };
        plan.propose_owned(Part::Github, WORKFLOW, read(WORKFLOW), &text, inputs.force);
    }

    let generated = match wants(Part::Alerts) {
        true => alerts::files(inputs.config).map_err(PlanError::Alerts)?,
        false => None,
    };
    if let Some((rules, tests)) = generated {
        for (path, body) in [(alerts::RULES, rules), (alerts::TESTS, tests)] {
            plan.propose_owned(Part::Alerts, path, read(path), &body, inputs.force);
        }
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
                    kind: BinaryKind::Test,
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
        .map_err(|source| PlanError::Toml {
            path: NEXTEST_CONFIG.into(),
            source,
        })?;
    if edited && !inputs.force && before.as_deref() != Some(after.as_str()) {
        plan.withhold(Part::Nextest, NEXTEST_CONFIG, before, after);
    } else {
        plan.propose(Part::Nextest, NEXTEST_CONFIG, before, after);
    }
    Ok(())
}

/// `Makefile.toml` tasks, renamed around the user's own.
fn plan_cargo_make(inputs: &Inputs<'_>, plan: &mut Plan) -> Result<(), PlanError> {
    let read = |p: &str| (inputs.read)(Path::new(p));
    let before = read(MAKEFILE);
    let merged =
        cargo_make::merge(before.as_deref(), inputs.benches).map_err(|source| PlanError::Toml {
            path: MAKEFILE.into(),
            source,
        })?;
    for (usual, used) in &merged.renamed {
        plan.notes.push(format!(
            "{MAKEFILE} already has a `{usual}` task of yours: cargo-budget's is `{used}` (`cargo make {used}`)"
        ));
    }
    if merged.edited && !inputs.force && before.as_deref() != Some(merged.text.as_str()) {
        plan.withhold(Part::CargoMake, MAKEFILE, before, merged.text);
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
            with_header(&just::recipes(&just::names(&[], inputs.benches))),
        ),
        Some((name, text)) if is_owned(&text) => plan.propose_owned(
            Part::Just,
            name,
            Some(text),
            &just::recipes(&just::names(&[], inputs.benches)),
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
            let names = just::names(&taken, inputs.benches);
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
