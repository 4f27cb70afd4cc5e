//! `justfile` recipes. Without a justfile, cargo-budget writes one; with the user's own, it
//! writes `budget.just` and adds a single `import 'budget.just'` line at the end.

pub const OWN_FILE: &str = "budget.just";
pub const IMPORT_LINE: &str = "import 'budget.just'";

/// Recipe names defined in a justfile (`name args…:` at the start of a line, not `:=`).
pub fn recipe_names(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t', '#']))
        .filter_map(|l| {
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

/// The recipes; `gate` is the CI gate's name.
pub fn recipes(gate: &str) -> String {
    format!(
        "\n\
         # Run the tests under their performance budgets\n\
         budget-report *ARGS:\n    cargo budget report {{{{ARGS}}}}\n\
         \n\
         # Measure the suite 3 times and record .budget/baseline.json\n\
         budget-baseline:\n    cargo budget baseline --runs 3\n\
         \n\
         # Install the pre-commit hook that runs the affected tests\n\
         budget-hook:\n    cargo budget hook-install\n\
         \n\
         # Check formatting\n\
         budget-fmt-check:\n    cargo fmt --all -- --check\n\
         \n\
         # Lint, warnings as errors\n\
         budget-clippy:\n    cargo clippy --all-targets -- -D warnings\n\
         \n\
         # CI gate: formatting, lints, and the tests under their budgets in the ci context\n\
         {gate}: budget-fmt-check budget-clippy\n    cargo budget report --mode ci\n"
    )
}

/// The user's justfile with the import line appended (unchanged if it is there).
pub fn with_import(user: &str) -> String {
    if user
        .lines()
        .any(|l| l.trim() == IMPORT_LINE || l.trim() == "import \"budget.just\"")
    {
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
        let text = "set shell := [\"bash\", \"-c\"]\nversion := \"1\"\n# comment\nbuild:\n    cargo build\n@ci-gate target='x': build\n    echo\nalias b := build\ntest *ARGS:\n\tcargo test\n";
        assert_eq!(recipe_names(text), ["build", "ci-gate", "test"]);
    }

    #[test]
    fn import_is_added_once() {
        let once = with_import("build:\n    cargo build");
        assert_eq!(
            once,
            "build:\n    cargo build\n\n# cargo-budget recipes\nimport 'budget.just'\n"
        );
        assert_eq!(with_import(&once), once);
    }

    #[test]
    fn recipes_render() {
        let r = recipes("ci-gate");
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
    }
}
