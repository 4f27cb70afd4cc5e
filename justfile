# cargo-budget: generated from budget.toml by `cargo budget init`; re-run it to update.

# Run the tests under their performance budgets
budget-report *ARGS:
    cargo budget report {{ARGS}}

# Check formatting
budget-fmt-check:
    cargo fmt --all -- --check

# Lint, warnings as errors
budget-clippy:
    cargo clippy --all-targets -- -D warnings

# CI gate: formatting, lints, and the tests under their budgets in the ci context
ci-gate: budget-fmt-check budget-clippy
    cargo budget report --mode ci
