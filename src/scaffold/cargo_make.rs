//! `Makefile.toml` (cargo-make): the budget tasks, merged with `toml_edit`. Tasks cargo-budget
//! wrote carry a marker comment; the user's tasks are never touched. A user's own `ci-gate`
//! keeps its name and ours becomes `budget-ci-gate`.

use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::nextest_config::MARKER;

/// The merged file and the tasks renamed around the user's (the CI gate among them).
pub struct Merged {
    pub text: String,
    /// (our usual name, the name used) for names the user's own tasks hold.
    pub renamed: Vec<(String, String)>,
    /// A task cargo-budget generated was edited since (replaced only with `--force`).
    pub edited: bool,
}

fn is_ours(item: &Item) -> bool {
    item.as_table()
        .and_then(|t| t.decor().prefix())
        .and_then(|p| p.as_str())
        .is_some_and(|p| p.contains(MARKER))
}

fn task(description: &str, args: &[&str], dependencies: &[&str]) -> Table {
    let mut t = Table::new();
    t.insert("description", value(description));
    // Run once at the workspace root, not once per member.
    t.insert("workspace", value(false));
    if !dependencies.is_empty() {
        let deps: Array = dependencies.iter().copied().collect();
        t.insert("dependencies", value(deps));
    }
    t.insert("command", value("cargo"));
    let args: Array = args.iter().copied().collect();
    t.insert("args", value(args));
    super::mark_entry(&mut t, MARKER, None);
    t
}

/// The generated tasks: (base name, description, cargo args, dependencies by base name).
const TASKS: [(&str, &str, &[&str], &[&str]); 6] = [
    (
        "budget-report",
        "Run the tests under their performance budgets",
        &["budget", "report"],
        &[],
    ),
    (
        "budget-baseline",
        "Measure the suite 3 times and record .budget/baseline.json",
        &["budget", "baseline", "--runs", "3"],
        &[],
    ),
    (
        "budget-hook",
        "Install the pre-commit hook that runs the affected tests",
        &["budget", "hook-install"],
        &[],
    ),
    (
        "budget-fmt-check",
        "Check formatting",
        &["fmt", "--all", "--", "--check"],
        &[],
    ),
    (
        "budget-clippy",
        "Lint, warnings as errors",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    ),
    (
        "ci-gate",
        "CI gate: formatting, lints, and the tests under their budgets in the ci context",
        &["budget", "report", "--mode", "ci"],
        &["budget-fmt-check", "budget-clippy"],
    ),
];

/// Tasks for criterion benchmarks, written only when the workspace has some.
const BENCH_TASKS: [(&str, &str, &[&str], &[&str]); 2] = [
    (
        "bench-compare",
        "Run the criterion benchmarks and compare them with .budget/bench-baseline.json",
        &["budget", "bench", "--compare"],
        &[],
    ),
    (
        "bench-baseline",
        "Run the criterion benchmarks 3 times and record .budget/bench-baseline.json",
        &["budget", "bench", "--save-baseline", "--runs", "3"],
        &[],
    ),
];

/// A name for one of our tasks that no task of the user's has.
fn free_name(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    let renamed = if base.starts_with("budget-") {
        format!("cargo-{base}")
    } else {
        format!("budget-{base}")
    };
    if taken(&renamed) {
        format!("{renamed}-generated")
    } else {
        renamed
    }
}

/// Merges our tasks (the bench tasks too with `benches`) into the user's `Makefile.toml`.
pub fn merge(existing: Option<&str>, benches: bool) -> Result<Merged, toml_edit::TomlError> {
    let all: Vec<_> = TASKS
        .iter()
        .chain(BENCH_TASKS.iter().filter(|_| benches))
        .collect();
    let mut doc: DocumentMut = existing.unwrap_or("").parse()?;
    let tasks_item = doc.as_table_mut().entry("tasks").or_insert(Item::None);
    if tasks_item.is_inline_table() {
        let taken = std::mem::take(tasks_item);
        *tasks_item = taken
            .into_table()
            .map(Item::Table)
            .unwrap_or_else(|original| original);
    }
    if tasks_item.is_none() {
        let mut t = Table::new();
        t.set_implicit(true);
        *tasks_item = Item::Table(t);
    }
    let Some(tasks) = tasks_item.as_table_mut() else {
        return Ok(Merged {
            text: doc.to_string(),
            renamed: Vec::new(),
            edited: false,
        });
    };
    // Where each of our tasks stood, so it is replaced in place.
    let positions: std::collections::BTreeMap<String, Option<isize>> = tasks
        .iter()
        .filter(|(_, item)| is_ours(item))
        .map(|(name, item)| (name.to_string(), item.as_table().and_then(Table::position)))
        .collect();
    let edited = tasks
        .iter()
        .filter(|(_, item)| is_ours(item))
        .any(|(_, item)| item.as_table().is_some_and(super::entry_edited));
    tasks.retain(|_, item| !is_ours(item));
    let user_names: Vec<String> = tasks.iter().map(|(k, _)| k.to_string()).collect();
    let taken = |name: &str| user_names.iter().any(|n| n == name);
    let names: Vec<String> = all
        .iter()
        .map(|(base, ..)| free_name(base, &taken))
        .collect();
    let name_of = |base: &str| {
        all.iter()
            .position(|(b, ..)| *b == base)
            .map_or(base.to_string(), |i| names[i].clone())
    };
    let mut renamed = Vec::new();
    for ((base, description, args, deps), name) in all.iter().zip(&names) {
        if name != base {
            renamed.push((base.to_string(), name.clone()));
        }
        let deps: Vec<String> = deps.iter().map(|d| name_of(d)).collect();
        let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
        let mut table = task(description, args, &deps);
        table.set_position(positions.get(name.as_str()).copied().flatten());
        tasks.insert(name, Item::Table(table));
    }
    Ok(Merged {
        text: super::finish_toml(existing, doc.to_string()),
        renamed,
        edited,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_tasks_survive_and_gate_is_renamed() {
        let user =
            "[config]\nskip_core_tasks = true\n\n# ours\n[tasks.ci-gate]\nscript = \"make all\"\n";
        let once = merge(Some(user), false).unwrap();
        assert!(
            once.renamed
                .contains(&("ci-gate".to_string(), "budget-ci-gate".to_string())),
            "{:?}",
            once.renamed
        );
        assert!(
            crate::scaffold::only_insertions(user, &once.text),
            "{}",
            once.text
        );
        let twice = merge(Some(&once.text), false).unwrap();
        assert_eq!(once.text, twice.text);
        let parsed: toml::Table = toml::from_str(&once.text).unwrap();
        assert_eq!(
            parsed["tasks"]["ci-gate"]["script"].as_str(),
            Some("make all")
        );
        assert_eq!(
            parsed["tasks"]["budget-ci-gate"]["args"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
    }

    #[test]
    fn users_tasks_with_our_names_are_never_replaced() {
        let user = "# my own report task\n[tasks.budget-report]\nargs = [\"x\"]\n\n[tasks.budget-clippy]\nscript = \"echo mine\"\n";
        let m = merge(Some(user), false).unwrap();
        assert!(
            crate::scaffold::only_insertions(user, &m.text),
            "{}",
            m.text
        );
        let parsed: toml::Table = toml::from_str(&m.text).unwrap();
        assert_eq!(
            parsed["tasks"]["budget-clippy"]["script"].as_str(),
            Some("echo mine")
        );
        assert_eq!(
            parsed["tasks"]["cargo-budget-clippy"]["command"].as_str(),
            Some("cargo")
        );
        let deps = parsed["tasks"]["ci-gate"]["dependencies"]
            .as_array()
            .unwrap();
        assert_eq!(
            deps[1].as_str(),
            Some("cargo-budget-clippy"),
            "the gate depends on ours"
        );
        assert_eq!(m.renamed.len(), 2);
        assert_eq!(merge(Some(&m.text), false).unwrap().text, m.text);
    }

    #[test]
    fn tasks_added_later_by_the_user_keep_their_place() {
        let first = merge(None, false).unwrap().text;
        let with_user = format!("{first}\n[tasks.mine]\nscript = \"echo\"\n");
        assert_eq!(merge(Some(&with_user), false).unwrap().text, with_user);
    }

    #[test]
    fn edited_generated_tasks_are_detected() {
        let first = merge(None, false).unwrap();
        assert!(!first.edited && !merge(Some(&first.text), false).unwrap().edited);
        let tweaked = first
            .text
            .replacen("\"--mode\", \"ci\"", "\"--mode\", \"release\"", 1);
        assert!(merge(Some(&tweaked), false).unwrap().edited);
    }

    #[test]
    fn fresh_file_gets_ci_gate() {
        let m = merge(None, false).unwrap();
        assert!(m.renamed.is_empty());
        let parsed: toml::Table = toml::from_str(&m.text).unwrap();
        assert_eq!(
            parsed["tasks"]["ci-gate"]["workspace"].as_bool(),
            Some(false)
        );
    }
}
