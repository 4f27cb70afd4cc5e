//! The tier test targets: `tests/<tier>/main.rs` with a module doc stating the tier's budget,
//! and an example test module, created only where the package has no such target.

use crate::config::Tier;
use crate::config::units::format_budget;

fn purpose(tier: &str) -> &'static str {
    match tier {
        "unit" => {
            "fast, isolated tests of one piece of behaviour: no network, no processes, no sleeps"
        }
        "integration" => {
            "tests of several parts working together: files, processes, the public API"
        }
        "e2e" => "end-to-end tests of whole user journeys",
        _ => "tests of this tier",
    }
}

/// `(relative path, contents)` of the files for one tier target in a package directory.
pub fn files(tier: &Tier, target: &str) -> Vec<(String, String)> {
    let budget = format_budget(tier.budget);
    let main = format!(
        "//! The `{name}` tier: {purpose}.\n\
         //!\n\
         //! Every test in this target must finish within {budget}; `cargo budget report` flags the\n\
         //! ones that do not, and nextest stops a test that hangs. Add modules below.\n\
         //! (Scaffolded by `cargo budget init`; edit freely.)\n\
         \n\
         mod example;\n",
        name = tier.name,
        purpose = purpose(&tier.name),
    );
    let example = format!(
        "//! An example `{name}` test; replace it with your own.\n\
         \n\
         #[test]\n\
         fn example_{ident}_test_runs_within_budget() {{\n    \
             let words: Vec<&str> = \"budgets keep suites fast\".split(' ').collect();\n    \
             assert_eq!(words.len(), 4);\n\
         }}\n",
        name = tier.name,
        ident = tier.name.replace('-', "_"),
    );
    vec![
        (format!("tests/{target}/main.rs"), main),
        (format!("tests/{target}/example.rs"), example),
    ]
}
