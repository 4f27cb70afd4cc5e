//! `justfile` recipes. Without a justfile, cargo-budget writes one; with the user's own (any of
//! the names just looks for), it writes `budget.just` and adds a single `import 'budget.just'`
//! line at the end. Recipe and alias names the user's files already use are never redefined:
//! ours are renamed around them.

use std::collections::BTreeMap;

pub const OWN_FILE: &str = "budget.just";
pub const IMPORT_LINE: &str = "import 'budget.just'";
/// The names just looks for, in its order.
pub const JUSTFILE_NAMES: [&str; 3] = ["justfile", "Justfile", ".justfile"];

/// (name, comment, dependencies, body) of each recipe.
const RECIPES: [(&str, &str, &[&str], &str); 6] = [
    (
        "budget-report",
        "Run the tests under their performance budgets",
        &[],
        "cargo budget report {{ARGS}}",
    ),
    (
        "budget-baseline",
        "Measure the suite 3 times and record .budget/baseline.json",
        &[],
        "cargo budget baseline --runs 3",
    ),
    (
        "budget-hook",
        "Install the pre-commit hook that runs the affected tests",
        &[],
        "cargo budget hook-install",
    ),
    (
        "budget-fmt-check",
        "Check formatting",
        &[],
        "cargo fmt --all -- --check",
    ),
    (
        "budget-clippy",
        "Lint, warnings as errors",
        &[],
        "cargo clippy --workspace --all-targets -- -D warnings",
    ),
    (
        "ci-gate",
        "CI gate: formatting, lints, and the tests under their budgets in the ci context",
        &["budget-fmt-check", "budget-clippy"],
        "cargo budget report --mode ci",
    ),
];

/// Recipes for criterion benchmarks, written only when the workspace has some.
const BENCH_RECIPES: [(&str, &str, &[&str], &str); 2] = [
    (
        "bench-compare",
        "Run the criterion benchmarks and compare them with .budget/bench-baseline.json",
        &[],
        "cargo budget bench --compare {{ARGS}}",
    ),
    (
        "bench-baseline",
        "Run the criterion benchmarks 3 times and record .budget/bench-baseline.json",
        &[],
        "cargo budget bench --save-baseline --runs 3",
    ),
];

/// Recipe and alias names defined in a justfile's text (`name args…:`, `alias name := …`).
pub fn recipe_names(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t', '#']))
        .filter_map(|l| {
            if let Some(rest) = l.strip_prefix("alias ") {
                let name = rest.split(":=").next()?.trim();
                return (!name.is_empty()).then(|| name.to_string());
            }
            let l = l.trim_start_matches('@');
            let end = l.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
            let (name, rest) = l.split_at(end);
            if !rest.contains(':') {
                return None;
            }
            let is_assignment =
                rest.trim_start().starts_with(":=") || rest.trim_start().starts_with('=');
            (!name.is_empty()
                && !is_assignment
                && !matches!(name, "set" | "alias" | "export" | "import" | "mod"))
            .then(|| name.to_string())
        })
        .collect()
}

/// Paths a justfile imports (`import 'x'`, `import? "x"`), as written.
pub fn imports(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("import")?;
            let rest = rest.strip_prefix('?').unwrap_or(rest).trim();
            let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
            let inner = &rest[1..];
            Some(inner[..inner.find(quote)?].to_string())
        })
        .collect()
}

/// Our recipe names (the bench recipes with `benches`), renamed around `taken` ones:
/// `ci-gate` → `budget-ci-gate`, `budget-x` → `cargo-budget-x`.
pub fn names(taken: &[String], benches: bool) -> BTreeMap<&'static str, String> {
    let is_taken = |n: &str| taken.iter().any(|t| t == n);
    let bench = BENCH_RECIPES.iter().filter(|_| benches);
    RECIPES
        .iter()
        .chain(bench)
        .map(|(base, ..)| {
            let prefixed = format!("budget-{base}");
            let name = if !is_taken(base) {
                base.to_string()
            } else if !base.starts_with("budget-") && !is_taken(&prefixed) {
                prefixed
            } else {
                format!("cargo-{base}")
            };
            (*base, name)
        })
        .collect()
}

/// The recipes under `names` (from [`names`]).
pub fn recipes(names: &BTreeMap<&'static str, String>) -> String {
    let name = |base: &str| names.get(base).cloned().unwrap_or_else(|| base.to_string());
    let mut out = String::new();
    let chosen = RECIPES
        .iter()
        .chain(BENCH_RECIPES.iter())
        .filter(|(base, ..)| names.contains_key(base));
    for &(base, comment, deps, body) in chosen {
        let params = if body.contains("{{ARGS}}") {
            " *ARGS"
        } else {
            ""
        };
        let deps: Vec<String> = deps.iter().map(|d| name(d)).collect();
        let deps = if deps.is_empty() {
            String::new()
        } else {
            format!(" {}", deps.join(" "))
        };
        out.push_str(&format!(
            "\n# {comment}\n{}{params}:{deps}\n    {body}\n",
            name(base)
        ));
    }
    out
}

/// The user's justfile with the import line appended (unchanged if it is there).
pub fn with_import(user: &str) -> String {
    if imports(user).iter().any(|i| i == OWN_FILE) {
        return user.to_string();
    }
    let mut out = user.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("\n# cargo-budget recipes\n{IMPORT_LINE}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipe_names_table() {
        let text = "set shell := [\"bash\", \"-c\"]\nversion := \"1\"\n# comment\nbuild:\n    cargo build\n@ci-gate target='x': build\n    echo\nalias b := build\ntest *ARGS:\n\tcargo test\nimport? 'other.just'\nmod tools\n";
        assert_eq!(recipe_names(text), ["build", "ci-gate", "b", "test"]);
        assert_eq!(imports(text), ["other.just"]);
    }

    #[test]
    fn import_is_added_once() {
        let once = with_import("build:\n    cargo build");
        assert_eq!(
            once,
            "build:\n    cargo build\n\n# cargo-budget recipes\nimport 'budget.just'\n"
        );
        assert_eq!(with_import(&once), once);
        let optional = "import? \"budget.just\"\n";
        assert_eq!(with_import(optional), optional);
    }

    #[test]
    fn recipes_render_and_rename_around_the_users() {
        let r = recipes(&names(&[], false));
        assert!(
            r.contains("budget-report *ARGS:\n    cargo budget report {{ARGS}}\n"),
            "{r}"
        );
        assert_eq!(
            recipe_names(&r),
            [
                "budget-report",
                "budget-baseline",
                "budget-hook",
                "budget-fmt-check",
                "budget-clippy",
                "ci-gate"
            ]
        );
        let taken = vec!["ci-gate".to_string(), "budget-clippy".to_string()];
        let r = recipes(&names(&taken, false));
        assert!(
            r.contains("budget-ci-gate: budget-fmt-check cargo-budget-clippy\n"),
            "{r}"
        );
        assert!(recipe_names(&r).iter().all(|n| !taken.contains(n)));
        let taken = vec!["bench-compare".to_string()];
        let r = recipes(&names(&taken, true));
        assert!(
            r.contains("budget-bench-compare *ARGS:\n    cargo budget bench --compare {{ARGS}}\n"),
            "{r}"
        );
        assert!(
            r.contains("bench-baseline:\n    cargo budget bench --save-baseline --runs 3\n"),
            "{r}"
        );
    }
}
