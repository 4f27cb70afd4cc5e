use std::collections::BTreeMap;
use std::path::Path;

use super::*;

fn sample() -> Baseline {
    let mut tests = BTreeMap::new();
    tests.insert(
        "app::unit fast::adds".to_string(),
        Entry {
            tier: "unit".into(),
            runs: 3,
            min_ms: Some(5),
            median_ms: Some(6),
            max_ms: Some(9),
            outcome: "passed".into(),
        },
    );
    tests.insert(
        "app::unit flaky::net".to_string(),
        Entry {
            tier: "unit".into(),
            runs: 3,
            min_ms: None,
            median_ms: None,
            max_ms: None,
            outcome: "flaky".into(),
        },
    );
    Baseline {
        schema: SCHEMA,
        tool: "cargo-budget 0.1.0".into(),
        created: "2026-11-22T06:00:00Z".into(),
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        workspace: WorkspaceId {
            members: vec!["app".into()],
        },
        contract: Contract {
            rustc: "rustc 1.95.0 (59807616e 2026-04-14)".into(),
            nextest: "cargo-nextest 0.9.143 (60fa45f63 2026-08-04)".into(),
            profile: "cargo-budget".into(),
            target: "x86_64-unknown-linux-gnu".into(),
            cpus: 2,
            runs: 3,
            budget_toml: "none".into(),
        },
        tests,
    }
}

fn members() -> Vec<String> {
    vec!["app".into(), "core".into()]
}

#[test]
fn round_trip_is_stable() {
    let text = sample().to_json();
    insta::assert_snapshot!("baseline_file", text);
    let back = parse(&text, Path::new("b.json"), &members()).unwrap();
    assert_eq!(back, sample());
    assert_eq!(back.to_json(), text);
    let refs = back.references();
    assert_eq!(
        refs[&TestId::new("app::unit", "fast::adds")],
        Some(Duration::from_millis(6))
    );
    assert_eq!(refs[&TestId::new("app::unit", "flaky::net")], None);
}

#[test]
fn bad_files_are_clear_errors() {
    let good = sample().to_json();
    let newer = good.replacen("\"schema\": 1", "\"schema\": 7", 1);
    let foreign_ws = good.replace("\"app\"\n", "\"other-project\"\n");
    let cases: Vec<(&str, String)> = vec![
        ("truncated", good[..good.len() / 2].to_string()),
        (
            "corrupt",
            good.replacen("\"cpus\": 2", "\"cpus\": \"two\"", 1),
        ),
        ("newer_schema", newer),
        ("not_a_baseline", "{\"tests\": {}}".to_string()),
        ("other_workspace", foreign_ws),
        ("empty", String::new()),
    ];
    for (name, text) in cases {
        let err = parse(&text, Path::new(".budget/baseline.json"), &members()).unwrap_err();
        insta::assert_snapshot!(format!("baseline_error_{name}"), err.to_string());
    }
}

#[test]
fn a_schema_that_is_not_a_number_says_so_where_it_is() {
    let good = sample().to_json();
    for (schema, found) in [
        ("\"1\"", "string \"1\""),
        ("1.5", "floating point `1.5`"),
        ("-1", "integer `-1`"),
    ] {
        let text = good.replacen("\"schema\": 1", &format!("\"schema\": {schema}"), 1);
        let err = parse(&text, Path::new("b.json"), &members())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!(
                "b.json:2:{}: corrupt baseline: `schema` must be a whole number, found {found}",
                12 + schema.len()
            )),
            "{schema}: {err}"
        );
    }
}
