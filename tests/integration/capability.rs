//! Capability globs on real criterion results (`tests/data/criterion/base`): a glob that
//! matches no benchmark is a warning naming the capability and the glob, never a silent pass.

use crate::support::*;

/// The template's old `benches = ["validate/*"]` beside a complexity claim: `*` stays within a
/// `/` segment, so the parametrized `scaled/work/1000` (group/function/value) is not matched.
#[test]
fn a_glob_that_matches_no_benchmark_is_named_in_a_warning() {
    let fx = Fixture::new("plain");
    let criterion = repo_root().join("tests/data/criterion/base");
    fx.write(
        "budget.toml",
        "[[capability]]\nname = \"scaling\"\nbenches = [\"fnv/*\", \"scaled/*\"]\n\
         complexity = \"O(n)\"\n\n[[capability]]\nname = \"fixed\"\nbenches = [\"scaled/**\"]\n",
    );
    let run = fx.run(&[
        "bench",
        "--from",
        criterion.to_str().unwrap(),
        "--no-baseline",
        "--mode",
        "ci",
    ]);
    run.assert_code(0);
    assert!(
        run.stdout.contains(
            "capability-unmatched scaling: capability `scaling` (budget.toml:1): its glob \
             `scaled/*` matches no benchmark measured; `*` stays within one `/` segment, and a \
             parametrized benchmark's id is group/function/value: with `**` it would match \
             `scaled/work/1000`"
        ),
        "{}",
        run.stdout
    );
    // `fnv/*` matches `fnv/4k`, `scaled/**` matches `scaled/work/1000`: nothing else is named.
    assert_eq!(
        run.stdout.matches("capability-unmatched").count(),
        1,
        "{}",
        run.stdout
    );
}
