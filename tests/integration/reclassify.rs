//! `cargo budget reclassify` on a real repository: moves with `git mv`, exceptions with ADRs,
//! the interactive session through a real pseudo-terminal, refusals and rollback.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::*;

/// The fixture committed, with a report run so the session has results to work from.
fn reported() -> Repo {
    let repo = Repo::new("reclass");
    let run = repo.budget(&["report", "--mode", "dev"]);
    run.assert_code(0);
    repo
}

fn state(repo: &Repo) -> (BTreeMap<PathBuf, Vec<u8>>, String) {
    let mut tree = repo.fx.tree();
    tree.retain(|p, _| !p.starts_with(".git"));
    (tree, repo.git(&["status", "--porcelain"]).stdout)
}

#[test]
fn yes_moves_the_slow_module_and_records_the_lib_exception() {
    let repo = reported();
    let run = repo.budget(&["reclassify", "--yes"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("cargo check --tests passes"),
        "{}",
        run.stderr
    );

    let status = repo.git(&["status", "--porcelain"]).stdout;
    assert!(
        status.contains("R  tests/unit/slow.rs -> tests/integration/slow.rs"),
        "{status}"
    );
    assert!(!repo.fx.read("tests/unit/main.rs").contains("mod slow;"));
    assert!(repo.fx.read("tests/unit/main.rs").contains("mod fast;"));
    assert!(
        repo.fx
            .read("tests/integration/main.rs")
            .contains("mod slow;\n")
    );

    // The lib test cannot move: an exception, with an ADR numbered after the existing two.
    let budget = repo.fx.read("budget.toml");
    assert!(
        budget.starts_with(
            "# Team budgets — keep this comment.\nschema = 1\nphase = \"strict\" # enforced\n"
        ),
        "{budget}"
    );
    assert!(
        budget.contains("test = \"fx-reclass tests::lib_slow\""),
        "{budget}"
    );
    assert!(
        budget
            .contains("adr = \"docs/adr/0003-budget-exception-for-fx-reclass-tests-lib-slow.md\""),
        "{budget}"
    );
    let adr = repo
        .fx
        .read("docs/adr/0003-budget-exception-for-fx-reclass-tests-lib-slow.md");
    assert!(adr.contains("- Status: accepted"), "{adr}");
    assert!(
        adr.contains("Budget Test <budget@example.invalid>"),
        "owner from git config: {adr}"
    );
    assert!(
        adr.contains("against the `unit` tier budget of 1s"),
        "{adr}"
    );

    // Now the slow test is an integration test within budget, and the gate passes.
    let report = repo.budget(&["report", "--mode", "ci", "--format", "json"]);
    report.assert_code(0);
    let r = report.json();
    let slow = test(&r, "fx-reclass::integration", "slow::parses_big_fixture");
    assert_eq!(
        (slow["tier"].as_str(), slow["judgement"].as_str()),
        (Some("integration"), Some("within"))
    );
    assert_eq!(test(&r, "fx-reclass", "tests::lib_slow")["exception"], true);
}

/// With the nextest config set up by `init`, a session leaves it as `init` would write it (the
/// exception adds an override) and stages it and the ADR beside the move: CI's `init --check`
/// passes on what is committed.
#[test]
fn a_session_keeps_init_check_passing_and_stages_what_it_wrote() {
    let repo = Repo::new("reclass");
    repo.budget(&["init", "--yes", "--only", "nextest"])
        .assert_code(0);
    repo.git(&["add", "-A"]).assert_code(0);
    repo.git(&["commit", "-q", "-m", "init"]).assert_code(0);
    repo.budget(&["report", "--mode", "dev"]).assert_code(0);
    let run = repo.budget(&["reclassify", "--yes"]);
    run.assert_code(0);

    let status = repo.git(&["status", "--porcelain"]).stdout;
    let adr = "docs/adr/0003-budget-exception-for-fx-reclass-tests-lib-slow.md";
    for staged in [
        "R  tests/unit/slow.rs -> tests/integration/slow.rs".to_string(),
        format!("A  {adr}"),
        "M  .config/nextest.toml".to_string(),
        "M  budget.toml".to_string(),
        "M  tests/unit/main.rs".to_string(),
        "A  tests/integration/main.rs".to_string(),
    ] {
        assert!(status.lines().any(|l| l == staged), "{staged}:\n{status}");
    }
    let nextest = repo.fx.read(".config/nextest.toml");
    assert!(
        nextest.contains("exception for fx-reclass tests::lib_slow"),
        "{nextest}"
    );
    let check = repo.budget(&["init", "--check"]);
    check.assert_code(0);
    // What is committed is what CI checks: the index alone passes too.
    repo.git(&["stash", "--keep-index", "-q"]).assert_code(0);
    repo.budget(&["init", "--check"]).assert_code(0);
}

#[test]
fn dry_run_and_no_tty_change_nothing() {
    let repo = reported();
    let before = state(&repo);
    let dry = repo.budget(&["reclassify", "--dry-run"]);
    dry.assert_code(0);
    assert!(
        dry.stdout
            .contains("git mv tests/unit/slow.rs tests/integration/slow.rs"),
        "{}",
        dry.stdout
    );
    assert_eq!(before, state(&repo));
    let plan = repo.budget(&["reclassify"]);
    plan.assert_code(0);
    assert!(
        plan.stderr.contains("nothing was changed"),
        "{}",
        plan.stderr
    );
    assert_eq!(before, state(&repo));
}

#[test]
fn lib_tests_are_offered_only_exception_or_skip() {
    let repo = reported();
    let run = repo.budget(&["reclassify", "--json"]);
    run.assert_code(0);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let lib = plan["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "tests::lib_slow")
        .unwrap();
    assert_eq!(
        lib["choices"],
        serde_json::json!(["exception", "later", "skip"])
    );
    assert!(
        lib["no_move"]
            .as_str()
            .unwrap()
            .contains("cannot move out of its crate"),
        "{lib}"
    );
    let unit = plan["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "slow::parses_big_fixture")
        .unwrap();
    assert_eq!(unit["choice"], "move");
    assert_eq!(unit["move_to"], "integration");
}

#[test]
fn unstaged_changes_are_refused() {
    let repo = reported();
    let slow = repo.fx.read("tests/unit/slow.rs");
    repo.write(
        "tests/unit/slow.rs",
        &format!("{slow}// my unstaged note\n"),
    );
    let before = state(&repo);
    let run = repo.budget(&["reclassify", "--yes"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains("refusing to move files with unstaged or untracked changes"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("tests/unit/slow.rs"), "{}", run.stderr);
    assert_eq!(before, state(&repo));
}

#[test]
fn a_failure_mid_session_leaves_the_tree_as_it_was() {
    let repo = Repo::new("reclass");
    // The slow module uses a helper of the unit tier's main.rs: after the move it no longer
    // compiles, so `cargo check --tests` fails and the session rolls back.
    repo.write(
        "tests/unit/slow.rs",
        "#[test]\nfn parses_big_fixture() {\n    std::thread::sleep(std::time::Duration::from_millis(1500));\n    assert_eq!(super::helper(), 2);\n}\n",
    );
    repo.git(&["commit", "-q", "-a", "-m", "helper"])
        .assert_code(0);
    repo.budget(&["report", "--mode", "dev"]).assert_code(0);
    let before = state(&repo);
    let run = repo.budget(&["reclassify", "--yes"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains("`cargo check --tests` fails after the moves"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("was put back as it was"),
        "{}",
        run.stderr
    );
    assert_eq!(
        before,
        state(&repo),
        "tree, index and status exactly as before"
    );
}

#[test]
fn interactive_exception_through_a_real_terminal() {
    use rexpect::session::spawn_command;

    let repo = reported();
    // A terminal of a real size, as a person's would be.
    let line = format!(
        "stty rows 40 cols 160; exec '{}' reclassify",
        bin().display()
    );
    let mut cmd = repo.command("sh", &["-c", &line], repo.path());
    cmd.env("TERM", "xterm").env_remove("CI");
    let mut session = spawn_command(cmd, Some(15_000)).unwrap();
    session.exp_string("parses_big_fixture").unwrap();
    session.exp_string("What to do").unwrap();
    // Keys typed before the menu switches the terminal to raw mode would be flushed: wait for it.
    session.exp_string("quit (apply").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    // Choices: move, exception, later, skip, quit. Down once: exception.
    session.send("\x1b[B").unwrap();
    session.send("\r").unwrap();
    session.flush().unwrap();
    session.exp_string("lib_slow").unwrap();
    session.exp_string("What to do").unwrap();
    session.exp_string("quit (apply").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    // Choices: exception, later, skip, quit. Down twice: skip.
    session.send("\x1b[B").unwrap();
    session.send("\x1b[B").unwrap();
    session.send("\r").unwrap();
    session.flush().unwrap();
    session.exp_string("Exception").unwrap();
    session.exp_eof().unwrap();

    let budget = repo.fx.read("budget.toml");
    assert!(budget.starts_with("# Team budgets — keep this comment.\nschema = 1\nphase = \"strict\" # enforced\n\n[tiers.unit]\nbudget = \"1s\" # the default, on purpose\n"), "{budget}");
    assert!(
        budget.contains("test = \"fx-reclass::unit slow::parses_big_fixture\""),
        "{budget}"
    );
    assert!(
        budget.contains("budget = \"1.9s\"") || budget.contains("budget = \"2s\""),
        "{budget}"
    );
    assert!(!budget.contains("lib_slow"), "skipped: {budget}");
    let adr = repo
        .path()
        .join("docs/adr/0003-budget-exception-for-fx-reclass-unit-slow-parses-big-fixture.md");
    assert!(adr.is_file(), "ADR 0003 follows 0001 and 0002");
    assert!(
        repo.git(&["status", "--porcelain"])
            .stdout
            .lines()
            .all(|l| !l.starts_with('R')),
        "nothing moved"
    );
}

#[test]
fn adr_new_numbers_after_the_existing_records() {
    let repo = Repo::new("reclass");
    let run = repo.budget(&["adr", "new", "Raise the unit budget to 2s"]);
    run.assert_code(0);
    let adr = repo.fx.read("docs/adr/0003-raise-the-unit-budget-to-2s.md");
    assert!(
        adr.starts_with("# 0003. Raise the unit budget to 2s\n"),
        "{adr}"
    );
    assert!(adr.contains("- Status: proposed"), "{adr}");
    assert!(adr.contains("## Decision"), "{adr}");
}

/// A test whose exception sets only its tier gets the budget on that exception, not a second
/// `[[exception]]` (which budget.toml rejects).
#[test]
fn a_tier_only_exception_gets_a_budget_instead_of_a_second_entry() {
    let repo = Repo::new("reclass");
    let budget = repo.fx.read("budget.toml");
    repo.write(
        "budget.toml",
        &format!(
            "{budget}\n[[exception]]\ntest = \"fx-reclass tests::lib_slow\"\ntier = \"unit\"\nreason = \"kept in unit on purpose\"\n"
        ),
    );
    repo.git(&["commit", "-q", "-a", "-m", "tier exception"])
        .assert_code(0);
    repo.budget(&["report", "--mode", "dev"]).assert_code(0);
    let plan = repo.budget(&["reclassify", "--dry-run"]);
    plan.assert_code(0);
    assert!(
        plan.stdout.contains("to its exception (budget.toml:"),
        "{}",
        plan.stdout
    );
    let run = repo.budget(&["reclassify", "--yes"]);
    run.assert_code(0);
    assert!(run.stderr.contains("Amended"), "{}", run.stderr);
    let text = repo.fx.read("budget.toml");
    assert_eq!(
        text.matches("test = \"fx-reclass tests::lib_slow\"")
            .count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("reason = \"kept in unit on purpose\""),
        "{text}"
    );
    let report = repo.budget(&["report", "--mode", "ci", "--format", "json"]);
    report.assert_code(0);
    let lib = test(&report.json(), "fx-reclass", "tests::lib_slow").clone();
    assert_eq!(lib["exception"], true, "{lib}");
    assert_eq!(lib["judgement"], "within", "{lib}");
}

/// budget.toml becoming unreadable during the session (here: not UTF-8 by the time the
/// exceptions are written) stops the session; it is never replaced by the template.
#[cfg(unix)]
#[test]
fn an_unreadable_budget_toml_is_an_error_not_the_template() {
    let repo = reported();
    let before = state(&repo);
    let tools = tempfile::tempdir().unwrap();
    let cargo = cargo_wrapper(
        tools.path(),
        "if [ \"$1\" = check ]; then printf '# caf\\351\\n' >> budget.toml; fi",
    );
    let run = Run::of(
        repo.command(
            bin().to_str().unwrap(),
            &["reclassify", "--yes"],
            repo.path(),
        )
        .env("CARGO", &cargo)
        .output()
        .unwrap(),
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains("budget.toml`") && run.stderr.contains("caused by:"),
        "{}",
        run.stderr
    );
    let budget = repo.fx.read("budget.toml");
    assert!(
        budget.starts_with("# Team budgets — keep this comment.\n") && !budget.contains("lib_slow"),
        "{budget}"
    );
    assert_eq!(before, state(&repo), "the session was rolled back");
}

/// A rollback that cannot put a file back says so, naming it, instead of claiming that
/// everything is as it was.
#[cfg(unix)]
#[test]
fn a_rollback_that_cannot_restore_a_file_says_which() {
    let repo = reported();
    let tools = tempfile::tempdir().unwrap();
    // During `cargo check`, the unit tier's directory becomes a file and the check fails.
    let cargo = cargo_wrapper(
        tools.path(),
        "if [ \"$1\" = check ]; then rm -rf tests/unit && echo in the way > tests/unit; exit 101; fi",
    );
    let run = Run::of(
        repo.command(
            bin().to_str().unwrap(),
            &["reclassify", "--yes"],
            repo.path(),
        )
        .env("CARGO", &cargo)
        .output()
        .unwrap(),
    );
    run.assert_code(USAGE);
    assert!(
        !run.stderr
            .contains("every file (and the git index) was put back"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("could not be put back") && run.stderr.contains("tests/unit`"),
        "{}",
        run.stderr
    );
}

#[test]
fn adr_new_refuses_a_blank_or_multi_line_title() {
    let repo = Repo::new("reclass");
    let before = repo.fx.tree();
    for title in ["", "   ", "Raise\nthe budget"] {
        let run = repo.budget(&["adr", "new", title]);
        run.assert_code(USAGE);
        assert!(
            run.stderr.contains("for '<TITLE>': the title must"),
            "{title:?}: {}",
            run.stderr
        );
    }
    assert!(repo.fx.tree() == before, "nothing was written");
}
