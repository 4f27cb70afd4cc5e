//! `cargo budget init` for real: a fresh `cargo new` package, a multi-member workspace, real
//! nextest verifying the generated config, real `cargo make` and `just` running the tasks.

use crate::support::*;

#[test]
fn new_lib_end_to_end_and_second_run_is_a_no_op() {
    let fx = Fixture::cargo_new("x");
    let run = fx.run(&["init", "--yes"]);
    run.assert_code(0);
    for file in [
        "budget.toml",
        ".config/nextest.toml",
        "Makefile.toml",
        "justfile",
        ".github/workflows/budget.yml",
        "docs/adr/template.md",
        "tests/unit/main.rs",
        "tests/unit/example.rs",
        "tests/integration/main.rs",
        "tests/e2e/main.rs",
    ] {
        assert!(
            fx.path().join(file).is_file(),
            "{file} created\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("Verifying .config/nextest.toml"),
        "{}",
        run.stderr
    );

    let before = fx.tree();
    let again = fx.run(&["init", "--yes"]);
    again.assert_code(0);
    assert!(again.stderr.contains("Up to date"), "{}", again.stderr);
    assert_eq!(before, fx.tree(), "a second init changes nothing");

    let report = fx.run(&["report", "--mode", "ci", "--format", "json"]);
    report.assert_code(0);
    let r = report.json();
    assert_eq!(
        test(
            &r,
            "x::unit",
            "example::example_unit_test_runs_within_budget"
        )["tier"],
        "unit"
    );
    assert_eq!(
        test(&r, "x::e2e", "example::example_e2e_test_runs_within_budget")["tier"],
        "e2e"
    );

    // Plain nextest still works with the generated repository config.
    let plain = fx.tool("cargo", &["nextest", "run", "--no-fail-fast"]);
    plain.assert_code(0);
    let check = fx.run(&["init", "--check"]);
    check.assert_code(0);
}

#[test]
fn dry_run_prints_diffs_and_writes_nothing() {
    let fx = Fixture::cargo_new("dry");
    let before = fx.tree();
    let run = fx.run(&["init", "--yes", "--dry-run"]);
    run.assert_code(0);
    assert_eq!(before, fx.tree());
    assert!(
        run.stdout
            .contains("--- /dev/null\n+++ b/.config/nextest.toml"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("+[tasks.ci-gate]"), "{}", run.stdout);
    assert!(
        run.stderr.contains("would be written; nothing was"),
        "{}",
        run.stderr
    );
}

/// Runs fmt, clippy and the suite twice each through two task runners: an end-to-end journey.
/// budget: e2e
#[test]
fn ci_gate_runs_under_cargo_make_and_just() {
    let fx = Fixture::cargo_new("gate");
    fx.run(&["init", "--yes"]).assert_code(0);
    let make = fx.tool("cargo", &["make", "ci-gate"]);
    make.assert_code(0);
    assert!(
        make.stdout.contains("PASS: all tests within budget"),
        "{}\n{}",
        make.stdout,
        make.stderr
    );
    fx.tool("just", &["ci-gate"]).assert_code(0);

    // A unit test that takes 1.5 s against the 1 s budget fails the gate (ci context, strict).
    fx.write(
        "tests/unit/example.rs",
        "#[test]\nfn example_unit_test_runs_within_budget() {\n    std::thread::sleep(std::time::Duration::from_millis(1500));\n}\n",
    );
    let just = fx.tool("just", &["ci-gate"]);
    just.assert_code(VIOLATIONS);
    assert!(
        just.stdout.contains("FAIL: 1 violation (exit code 3)"),
        "{}",
        just.stdout
    );
    // cargo-make reports the command's exit code but exits with its own code for any failure.
    let make = fx.tool("cargo", &["make", "ci-gate"]);
    assert_ne!(make.code, 0);
    assert!(make.stderr.contains("exit code: 3"), "{}", make.stderr);
}

#[test]
fn workspace_drift_is_reported_by_check() {
    let fx = Fixture::new("tiers");
    let run = fx.run(&["init", "--yes", "--only", "nextest"]);
    run.assert_code(0);
    let config = fx.read(".config/nextest.toml");
    // Only binaries that exist are named.
    for id in [
        "binary_id(=fx-app::unit)",
        "binary_id(=fx-app::integration)",
        "binary_id(=fx-app::e2e)",
    ] {
        assert!(config.contains(id), "{id} in\n{config}");
    }
    assert!(!config.contains("fx-core::unit"), "{config}");
    fx.run(&["init", "--check", "--only", "nextest"])
        .assert_code(0);

    // Deleting a tier directory: nextest would now reject the config; --check says so.
    std::fs::remove_dir_all(fx.path().join("app/tests/unit")).unwrap();
    let check = fx.run(&["init", "--check", "--only", "nextest"]);
    check.assert_code(USAGE);
    assert!(
        check.stderr.contains(".config/nextest.toml has drifted"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stdout
            .contains("-filter = \"binary_id(=fx-app::unit)\""),
        "{}",
        check.stdout
    );
    // Re-running init repairs it, and nextest lists again.
    fx.run(&["init", "--yes", "--only", "nextest"])
        .assert_code(0);
    fx.tool("cargo", &["nextest", "list"]).assert_code(0);
}

#[test]
fn autotests_off_gets_no_tier_directories() {
    let fx = Fixture::cargo_new("noauto");
    // With autotests off, tests/unit/main.rs would not be a target (as in indexmap).
    let manifest = fx
        .read("Cargo.toml")
        .replace("[package]\n", "[package]\nautotests = false\n");
    fx.write("Cargo.toml", &manifest);
    let run = fx.run(&["init", "--yes"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("`autotests = false` in its Cargo.toml"),
        "{}",
        run.stderr
    );
    assert!(!fx.path().join("tests").exists());
    assert!(!fx.read(".config/nextest.toml").contains("noauto::unit"));
}

#[test]
fn nextest_rejecting_the_config_restores_the_previous_file() {
    let fx = Fixture::cargo_new("reject");
    // An exception names a binary that exists, but the user's own config already breaks
    // nextest: init must not leave its file in place, and must say what happened.
    let user = "# mine\n[profile.default]\nretries = 1\n\n[[profile.default.overrides]]\nfilter = 'binary_id(=reject::gone)'\nretries = 2\n";
    fx.write(".config/nextest.toml", user);
    let run = fx.run(&["init", "--yes", "--only", "nextest"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains("nextest rejected the generated .config/nextest.toml"),
        "{}",
        run.stderr
    );
    assert_eq!(fx.read(".config/nextest.toml"), user);
}

#[test]
fn invalid_existing_toml_writes_nothing() {
    let fx = Fixture::cargo_new("badmake");
    fx.write("Makefile.toml", "[tasks.build\n");
    let before = fx.tree();
    let run = fx.run(&["init", "--yes"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("`Makefile.toml` is not valid TOML"),
        "{}",
        run.stderr
    );
    assert_eq!(before, fx.tree());
}

#[test]
fn a_tier_directory_used_by_another_target_is_left_alone() {
    let fx = Fixture::cargo_new("other");
    let manifest = fx.read("Cargo.toml");
    fx.write(
        "Cargo.toml",
        &format!("{manifest}\n[[test]]\nname = \"unit_tests\"\npath = \"tests/unit/main.rs\"\n"),
    );
    fx.write("tests/unit/main.rs", "#[test]\nfn mine() {}\n");
    let run = fx.run(&["init", "--yes"]);
    run.assert_code(0);
    assert!(
        !fx.path().join("tests/unit/example.rs").exists(),
        "no orphan module"
    );
    let config = fx.read(".config/nextest.toml");
    assert!(!config.contains("other::unit)"), "{config}");
    fx.tool("cargo", &["nextest", "list"]).assert_code(0);
}

#[test]
fn a_capitalised_justfile_gets_the_import_and_no_clashing_recipe() {
    let fx = Fixture::cargo_new("capital");
    fx.write(
        "Justfile",
        "# mine\nci-gate:\n    echo my own gate\n\nalias budget-report := ci-gate\n",
    );
    fx.run(&["init", "--yes", "--only", "just"]).assert_code(0);
    assert!(!fx.path().join("justfile").exists(), "no second justfile");
    assert!(fx.read("Justfile").ends_with("import 'budget.just'\n"));
    let summary = fx.tool("just", &["--summary"]);
    summary.assert_code(0);
    for recipe in [
        "ci-gate",
        "budget-ci-gate",
        "cargo-budget-report",
        "budget-clippy",
    ] {
        assert!(
            summary.stdout.split_whitespace().any(|r| r == recipe),
            "{recipe} in {}",
            summary.stdout
        );
    }
    fx.run(&["init", "--check", "--only", "just"])
        .assert_code(0);
}

#[test]
fn a_failed_init_leaves_nothing_behind() {
    let fx = Fixture::cargo_new("rollback");
    // The user's own config already breaks nextest: the verification fails, and everything init
    // wrote before it is undone.
    fx.write(
        ".config/nextest.toml",
        "[[profile.default.overrides]]\nfilter = 'binary_id(=rollback::gone)'\nretries = 2\n",
    );
    let before = fx.tree();
    let run = fx.run(&["init", "--yes"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains("every file was restored"),
        "{}",
        run.stderr
    );
    let mut after = fx.tree();
    after.remove(std::path::Path::new("Cargo.lock")); // cargo's, written by cargo metadata
    assert_eq!(before, after);
    assert!(
        !fx.path().join("tests").exists() && !fx.path().join("docs").exists(),
        "created directories removed"
    );
}

/// A read-only file and a link out of the repository are left alone (with a note) unless
/// `--force`; a link that stays inside the repository is written through.
#[cfg(unix)]
#[test]
fn read_only_files_and_links_out_of_the_repository_need_force() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::cargo_new("guarded");
    let justfile = "# mine\nhello:\n    echo hi\n";
    fx.write("justfile", justfile);
    let read_only = std::fs::Permissions::from_mode(0o444);
    std::fs::set_permissions(fx.path().join("justfile"), read_only).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let makefile = "[tasks.mine]\ncommand = \"true\"\n";
    std::fs::write(outside.path().join("Makefile.toml"), makefile).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("Makefile.toml"),
        fx.path().join("Makefile.toml"),
    )
    .unwrap();
    // Inside the repository: written through, the link kept.
    fx.write("ci/nextest.toml", "# shared\n");
    std::fs::create_dir_all(fx.path().join(".config")).unwrap();
    std::os::unix::fs::symlink("../ci/nextest.toml", fx.path().join(".config/nextest.toml"))
        .unwrap();

    let run = fx.run(&["init", "--yes", "--skip", "tiers"]);
    run.assert_code(0);
    assert_eq!(fx.read("justfile"), justfile);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("Makefile.toml")).unwrap(),
        makefile
    );
    assert!(
        run.stderr
            .contains("justfile is read-only; left alone (use --force to write it)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Makefile.toml leads through a symlink to")
            && run.stderr.contains("outside the repository; left alone"),
        "{}",
        run.stderr
    );
    assert!(fx.read("ci/nextest.toml").contains("[profile.budget-ci]"));
    assert!(
        std::fs::symlink_metadata(fx.path().join(".config/nextest.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    let forced = fx.run(&["init", "--yes", "--skip", "tiers", "--force"]);
    forced.assert_code(0);
    assert!(fx.read("justfile").ends_with("import 'budget.just'\n"));
    assert!(
        std::fs::read_to_string(outside.path().join("Makefile.toml"))
            .unwrap()
            .contains("[tasks.mine]")
    );
    assert!(
        std::fs::symlink_metadata(fx.path().join("Makefile.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A file that exists but cannot be read is not "absent": init stops before planning over it.
#[test]
fn an_unreadable_file_is_not_planned_over() {
    let fx = Fixture::cargo_new("latin");
    let bytes = b"# caf\xe9 (Latin-1)\nhello:\n    echo hi\n";
    std::fs::write(fx.path().join("justfile"), bytes).unwrap();
    let before = fx.tree();
    let run = fx.run(&["init", "--yes"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("failed to read `") && run.stderr.contains("justfile`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("caused by:"), "{}", run.stderr);
    let mut after = fx.tree();
    after.remove(std::path::Path::new("Cargo.lock"));
    assert_eq!(before, after);
}

/// `--check` fails on a generated entry edited since (what init leaves to `--force`), and does
/// not call a part drifted that was never set up.
#[test]
fn check_counts_edited_entries_and_ignores_parts_never_set_up() {
    let fx = Fixture::cargo_new("checked");
    fx.run(&["init", "--yes", "--skip", "github"])
        .assert_code(0);
    let check = fx.run(&["init", "--check"]);
    check.assert_code(0);
    assert!(
        check
            .stderr
            .contains("Not set up .github/workflows/budget.yml"),
        "{}",
        check.stderr
    );

    let config = fx.read(".config/nextest.toml");
    let edited = config.replacen("fail-fast = false", "fail-fast = true", 1);
    assert_ne!(config, edited, "{config}");
    fx.write(".config/nextest.toml", &edited);
    let check = fx.run(&["init", "--check"]);
    check.assert_code(USAGE);
    assert!(
        check
            .stderr
            .contains(".config/nextest.toml was edited since cargo-budget generated it"),
        "{}",
        check.stderr
    );
    assert_eq!(
        fx.read(".config/nextest.toml"),
        edited,
        "--check writes nothing"
    );
}

/// `init --instructions` turns counting on for the unit tier of a new budget.toml; without
/// it the line is there, commented, and the thresholds are written either way.
#[test]
fn init_offers_instruction_counts() {
    for (flag, want) in [
        (true, "\ninstructions = true\n"),
        (false, "\n# instructions = true\n"),
    ] {
        let fx = Fixture::cargo_new("counts");
        let mut args = vec!["init", "--yes", "--only", "config"];
        if flag {
            args.push("--instructions");
        }
        fx.run(&args).assert_code(0);
        let toml = fx.read("budget.toml");
        let unit =
            &toml[toml.find("[tiers.unit]").unwrap()..toml.find("[tiers.integration]").unwrap()];
        assert!(unit.contains(want), "{flag}: {unit}");
        assert!(toml.contains("instructions = { warn = \"1%\", fail = \"3%\" }"));
        fx.run(&["init", "--check"]).assert_code(0);
    }
}
