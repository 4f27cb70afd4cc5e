//! The planner over an in/ fixture directory of user files with comments and custom entries:
//! every user file comes out byte-identical except for inserted parts; each result is a snapshot.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;
use crate::model::BinaryInfo;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/init/existing/in")
}

fn binaries() -> Vec<BinaryInfo> {
    ["app", "app::unit", "app::checks"]
        .into_iter()
        .map(BinaryInfo::from_binary_id)
        .collect()
}

fn run_plan(read: &dyn Fn(&Path) -> Option<String>, parts: &[Part], force: bool) -> Plan {
    run_plan_with(read, parts, force, &[])
}

/// `extra_targets`: tier targets that exist now (created by an earlier run).
fn run_plan_with(
    read: &dyn Fn(&Path) -> Option<String>,
    parts: &[Part],
    force: bool,
    extra_targets: &[&str],
) -> Plan {
    let config_text = read(Path::new("budget.toml")).unwrap_or_default();
    let config = crate::config::parse(&config_text, Path::new("budget.toml"))
        .unwrap()
        .config;
    let markers = vec![(
        TestId::new("app::checks", "renders_report"),
        "e2e".to_string(),
    )];
    let packages = vec![PackageLayout {
        name: "app".into(),
        dir: PathBuf::from("app"),
        test_targets: ["unit", "checks"]
            .iter()
            .chain(extra_targets)
            .map(|t| t.to_string())
            .collect(),
        loose_tests: vec![PathBuf::from("app/tests/checks.rs")],
        autotests_off: false,
    }];
    let parts: BTreeSet<Part> = parts.iter().copied().collect();
    let mut binaries = binaries();
    binaries.extend(
        extra_targets
            .iter()
            .map(|t| BinaryInfo::from_binary_id(&format!("app::{t}"))),
    );
    plan(&Inputs {
        config: &config,
        binaries: &binaries,
        markers: &markers,
        frameworks: &[],
        packages: &packages,
        parts: &parts,
        benches: false,
        count_instructions: false,
        force,
        read,
    })
    .unwrap()
}

fn read_fixture(p: &Path) -> Option<String> {
    std::fs::read_to_string(fixture().join(p)).ok()
}

#[test]
fn existing_files_get_only_insertions() {
    let plan = run_plan(&read_fixture, &Part::ALL, false);
    let by_path = |p: &str| plan.changes.iter().find(|c| c.path == Path::new(p));

    // budget.toml exists: never rewritten.
    assert!(by_path("budget.toml").is_none());
    for user_file in [NEXTEST_CONFIG, MAKEFILE, JUSTFILE] {
        let c = by_path(user_file).unwrap_or_else(|| panic!("{user_file} planned"));
        let before = c.before.as_deref().unwrap();
        assert!(
            only_insertions(before, &c.after),
            "{user_file}:\n{}",
            c.after
        );
        insta::assert_snapshot!(user_file.replace(['/', '.'], "_"), c.after);
    }
    insta::assert_snapshot!("budget_just", by_path(just::OWN_FILE).unwrap().after);
    // The tier targets the package lacks are created; `unit` exists already.
    let created: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| c.part == Part::Tiers)
        .map(|c| c.path.display().to_string())
        .collect();
    assert_eq!(
        created,
        [
            "app/tests/integration/main.rs",
            "app/tests/integration/example.rs",
            "app/tests/e2e/main.rs",
            "app/tests/e2e/example.rs",
        ]
    );
    insta::assert_snapshot!("notes", plan.notes.join("\n"));
}

/// The plan applied to an in-memory copy of the fixture.
fn applied(plan: &Plan) -> std::collections::BTreeMap<PathBuf, String> {
    let mut files = std::collections::BTreeMap::new();
    for c in &plan.changes {
        files.insert(c.path.clone(), c.after.clone());
    }
    files
}

#[test]
fn second_run_changes_nothing() {
    let first = applied(&run_plan(&read_fixture, &Part::ALL, false));
    let read = |p: &Path| first.get(p).cloned().or_else(|| read_fixture(p));
    let second = run_plan_with(&read, &Part::ALL, false, &["integration", "e2e"]);
    assert_eq!(
        second.changes,
        [],
        "{:?}",
        second.changes.iter().map(|c| &c.path).collect::<Vec<_>>()
    );
}

#[test]
fn unedited_generated_file_is_regenerated_and_edited_one_needs_force() {
    let old_body = "\nold recipes\n";
    let stale = with_header(old_body);
    assert!(unedited(&stale));
    let read = |p: &Path| (p == Path::new(JUSTFILE)).then(|| stale.clone());
    let plan = run_plan(&read, &[Part::Just], false);
    assert_eq!(
        plan.changes.len(),
        1,
        "an unedited file of ours follows the generator"
    );
    let edited = format!("{stale}my-recipe:\n    echo\n");
    assert!(!unedited(&edited));
    let read = |p: &Path| (p == Path::new(JUSTFILE)).then(|| edited.clone());
    let plan = run_plan(&read, &[Part::Just], false);
    assert_eq!(plan.needs_force, [PathBuf::from(JUSTFILE)]);
}

#[test]
fn edited_generated_file_needs_force() {
    let first = applied(&run_plan(&read_fixture, &[Part::Github], false));
    let mut edited = first.get(Path::new(WORKFLOW)).unwrap().clone();
    edited.push_str("# my tweak\n");
    let read = |p: &Path| (p == Path::new(WORKFLOW)).then(|| edited.clone());
    let plan = run_plan(&read, &[Part::Github], false);
    assert!(plan.changes.is_empty());
    assert_eq!(plan.needs_force, [PathBuf::from(WORKFLOW)]);
    let forced = run_plan(&read, &[Part::Github], true);
    assert_eq!(forced.changes.len(), 1);
}

#[test]
fn template_files_are_valid() {
    let plan = run_plan(&|_| None, &Part::ALL, false);
    let budget = plan
        .changes
        .iter()
        .find(|c| c.path == Path::new("budget.toml"))
        .unwrap();
    crate::config::parse(&budget.after, Path::new("budget.toml")).unwrap();
    for path in [NEXTEST_CONFIG, MAKEFILE] {
        let c = plan
            .changes
            .iter()
            .find(|c| c.path == Path::new(path))
            .unwrap();
        toml::from_str::<toml::Table>(&c.after).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(!c.after.starts_with('\n') && c.after.ends_with('\n'));
    }
}

#[test]
fn edited_generated_entries_need_force() {
    let first = applied(&run_plan(
        &read_fixture,
        &[Part::Nextest, Part::CargoMake],
        false,
    ));
    let mut files = first.clone();
    let nextest = files.get_mut(Path::new(NEXTEST_CONFIG)).unwrap();
    *nextest = nextest.replacen("terminate-after = 3", "terminate-after = 9", 1);
    let make = files.get_mut(Path::new(MAKEFILE)).unwrap();
    *make = make.replacen("\"--runs\", \"3\"", "\"--runs\", \"5\"", 1);
    // And budget.toml changed, so both would be regenerated.
    let budget = format!(
        "{}\n[defaults]\nkill_after = 4\n",
        read_fixture(Path::new("budget.toml")).unwrap()
    );
    let read = |p: &Path| {
        if p == Path::new("budget.toml") {
            return Some(budget.clone());
        }
        files.get(p).cloned().or_else(|| read_fixture(p))
    };
    let plan = run_plan_with(
        &read,
        &[Part::Nextest, Part::CargoMake],
        false,
        &["integration", "e2e"],
    );
    assert_eq!(
        plan.needs_force,
        [PathBuf::from(NEXTEST_CONFIG), PathBuf::from(MAKEFILE)]
    );
    assert!(plan.changes.is_empty());
    let forced = run_plan_with(
        &read,
        &[Part::Nextest, Part::CargoMake],
        true,
        &["integration", "e2e"],
    );
    assert_eq!(forced.changes.len(), 2);
}
