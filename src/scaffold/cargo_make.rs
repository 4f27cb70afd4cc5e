//! `Makefile.toml` (cargo-make): the budget tasks, merged with `toml_edit`. Tasks cargo-budget
//! wrote carry a marker comment; the user's tasks are never touched. A user's own `ci-gate`
//! keeps its name and ours becomes `budget-ci-gate`.

use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::nextest_config::MARKER;

/// The merged file and the name the CI gate task got.
pub struct Merged {
    pub text: String,
    pub gate: String,
}

fn is_ours(item: &Item) -> bool {
    item.as_table()
        .and_then(|t| t.decor().prefix())
        .and_then(|p| p.as_str())
        .is_some_and(|p| p.contains(MARKER))
}

fn task(description: &str, args: &[&str], dependencies: &[&str]) -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix(format!("\n# {MARKER}\n"));
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
    t
}

pub fn merge(existing: Option<&str>) -> Result<Merged, toml_edit::TomlError> {
    let mut doc: DocumentMut = existing.unwrap_or("").parse()?;
    let tasks = doc
        .as_table_mut()
        .entry("tasks")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut();
    let Some(tasks) = tasks else {
        return Ok(Merged {
            text: doc.to_string(),
            gate: "ci-gate".into(),
        });
    };
    tasks.retain(|_, item| !is_ours(item));
    let gate = if tasks.contains_key("ci-gate") {
        "budget-ci-gate"
    } else {
        "ci-gate"
    };
    let generated = [
        (
            "budget-report",
            task(
                "Run the tests under their performance budgets",
                &["budget", "report"],
                &[],
            ),
        ),
        (
            "budget-baseline",
            task(
                "Measure the suite 3 times and record .budget/baseline.json",
                &["budget", "baseline", "--runs", "3"],
                &[],
            ),
        ),
        (
            "budget-hook",
            task(
                "Install the pre-commit hook that runs the affected tests",
                &["budget", "hook-install"],
                &[],
            ),
        ),
        (
            "budget-fmt-check",
            task("Check formatting", &["fmt", "--all", "--", "--check"], &[]),
        ),
        (
            "budget-clippy",
            task(
                "Lint, warnings as errors",
                &["clippy", "--all-targets", "--", "-D", "warnings"],
                &[],
            ),
        ),
        (
            gate,
            task(
                "CI gate: formatting, lints, and the tests under their budgets in the ci context",
                &["budget", "report", "--mode", "ci"],
                &["budget-fmt-check", "budget-clippy"],
            ),
        ),
    ];
    for (name, table) in generated {
        tasks.insert(name, Item::Table(table));
    }
    Ok(Merged {
        text: super::finish_toml(existing, doc.to_string()),
        gate: gate.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_tasks_survive_and_gate_is_renamed() {
        let user =
            "[config]\nskip_core_tasks = true\n\n# ours\n[tasks.ci-gate]\nscript = \"make all\"\n";
        let once = merge(Some(user)).unwrap();
        assert_eq!(once.gate, "budget-ci-gate");
        assert!(
            crate::scaffold::only_insertions(user, &once.text),
            "{}",
            once.text
        );
        let twice = merge(Some(&once.text)).unwrap();
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
    fn fresh_file_gets_ci_gate() {
        let m = merge(None).unwrap();
        assert_eq!(m.gate, "ci-gate");
        let parsed: toml::Table = toml::from_str(&m.text).unwrap();
        assert_eq!(
            parsed["tasks"]["ci-gate"]["workspace"].as_bool(),
            Some(false)
        );
    }
}
