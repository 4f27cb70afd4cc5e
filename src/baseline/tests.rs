use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::model::TestId;

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
            samples_ms: Some(vec![6, 5, 9]),
            peak_bytes: Some(3 << 20),
            cpu_ms: Some(4),
            instructions: None,
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
            samples_ms: None,
            peak_bytes: None,
            cpu_ms: None,
            instructions: None,
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
            cpu: "AMD EPYC".into(),
            runs: 3,
            budget_toml: "none".into(),
        },
        runs: vec![
            RunInfo {
                wall_ms: Some(1520),
                load_1m: Some(0.42),
            },
            RunInfo {
                wall_ms: Some(1490),
                load_1m: None,
            },
            RunInfo {
                wall_ms: None,
                load_1m: Some(2.5),
            },
        ],
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
    let adds = refs
        .get(&TestId::new("app::unit", "fast::adds"))
        .unwrap()
        .clone()
        .unwrap();
    let ms = Duration::from_millis;
    assert_eq!(adds.samples, [ms(6), ms(5), ms(9)]);
    assert_eq!((adds.min, adds.median, adds.max), (ms(5), ms(6), ms(9)));
    assert_eq!(
        refs.get(&TestId::new("app::unit", "flaky::net")).unwrap(),
        None
    );
}

/// A schema 1 file (as cargo-budget wrote before per-run samples) still loads: its min,
/// median and max stand in for the runs, so the test's spread is kept.
#[test]
fn schema_1_files_still_load() {
    let v1 = r#"{
  "schema": 1,
  "tool": "cargo-budget 0.1.0",
  "created": "2026-11-22T06:00:00Z",
  "commit": null,
  "workspace": { "members": ["app"] },
  "contract": {
    "rustc": "rustc 1.95.0 (59807616e 2026-04-14)",
    "nextest": "cargo-nextest 0.9.143 (60fa45f63 2026-08-04)",
    "profile": "cargo-budget",
    "target": "x86_64-unknown-linux-gnu",
    "cpus": 2,
    "runs": 3,
    "budget_toml": "none"
  },
  "tests": {
    "app::unit three": { "tier": "unit", "runs": 3, "min_ms": 88, "median_ms": 215, "max_ms": 436, "outcome": "passed" },
    "app::unit two": { "tier": "unit", "runs": 2, "min_ms": 10, "median_ms": 15, "max_ms": 20, "outcome": "passed" },
    "app::unit one": { "tier": "unit", "runs": 1, "min_ms": 7, "median_ms": 7, "max_ms": 7, "outcome": "passed" },
    "app::unit failed": { "tier": "unit", "runs": 3, "min_ms": null, "median_ms": null, "max_ms": null, "outcome": "failed" }
  }
}"#;
    let b = parse(v1, Path::new("b.json"), &members()).unwrap();
    assert!(b.runs.is_empty());
    let refs = b.references();
    let ms = Duration::from_millis;
    let samples = |name: &str| {
        refs.get(&TestId::new("app::unit", name))
            .unwrap()
            .clone()
            .map(|s| s.samples)
    };
    assert_eq!(samples("three"), Some(vec![ms(88), ms(215), ms(436)]));
    assert_eq!(samples("two"), Some(vec![ms(10), ms(20)]));
    assert_eq!(samples("one"), Some(vec![ms(7)]));
    assert_eq!(samples("failed"), None);
}

#[test]
fn bad_files_are_clear_errors() {
    let good = sample().to_json();
    let newer = good.replacen(&format!("\"schema\": {SCHEMA}"), "\"schema\": 7", 1);
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
fn the_cpu_model_counts_only_when_both_sides_know_it() {
    let a = sample().contract;
    let mut b = a.clone();
    b.cpu = "Intel Xeon".into();
    assert_eq!(
        a.differences(&b),
        ["cpu (baseline `AMD EPYC`, now `Intel Xeon`)"]
    );
    b.cpu = "unknown".into();
    assert!(a.differences(&b).is_empty());
    b.runs = 9;
    b.budget_toml = "sha256:00".into();
    assert!(
        a.differences(&b).is_empty(),
        "runs and budget.toml are context"
    );
}

/// What a comparison reads is what the whole file says, and its errors are the same.
#[test]
fn references_read_lean_match_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, sample().to_json()).unwrap();
    let lean = read_references(&path, &members()).unwrap();
    assert_eq!(lean.references, sample().references());
    assert_eq!(lean.commit, sample().commit);
    assert_eq!(lean.contract, sample().contract);
    let entry = "\"app::unit fast::adds\": {\n      \"tier\": \"unit\",\n      \"runs\": 3,";
    assert!(sample().to_json().contains(entry));
    for text in [
        "{\"schema\": 7}".to_string(),
        "{\"tests\": {}}".to_string(),
        // Found by the fuzzer: entries without the fields a comparison does not use.
        sample().to_json().replacen("\"tier\": \"unit\",", "", 1),
        sample().to_json().replacen("\"runs\": 3,", "", 1),
        sample()
            .to_json()
            .replacen("\"tool\": \"cargo-budget 0.1.0\",", "", 1),
        sample()
            .to_json()
            .replacen("\"wall_ms\": 1520", "\"wall_ms\": \"slow\"", 1),
        sample()
            .to_json()
            .replacen("\"app::unit flaky::net\": {", "\"x\": \"y\", \"z\": {", 1),
        sample()
            .to_json()
            .replace("\"app\"\n", "\"other-project\"\n"),
        sample().to_json()[..200].to_string(),
    ] {
        std::fs::write(&path, &text).unwrap();
        let lean = read_references(&path, &members()).unwrap_err().to_string();
        let whole = parse(&text, &path, &members()).unwrap_err().to_string();
        assert_eq!(lean, whole);
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
        let text = good.replacen(
            &format!("\"schema\": {SCHEMA}"),
            &format!("\"schema\": {schema}"),
            1,
        );
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

#[test]
fn peaks_are_read_and_schema_2_files_still_load() {
    let b = sample();
    let text = b.to_json();
    assert!(text.contains("\"peak_bytes\": 3145728"), "{text}");
    let lean = parse_references(&text, Path::new("b.json"), &["app".to_string()]).unwrap();
    assert_eq!(
        lean.peaks.get(&TestId::new("app::unit", "fast::adds")),
        Some(&(3 << 20))
    );
    assert_eq!(lean.peaks.len(), 1);
    // A schema 2 file (no peaks) is read as it was.
    let old = text
        .replace(&format!("\"schema\": {SCHEMA}"), "\"schema\": 2")
        .replace("      \"peak_bytes\": 3145728,\n", "")
        .replace("      \"cpu_ms\": 4,\n", "");
    assert!(!old.contains("peak_bytes"), "{old}");
    let read = parse(&old, Path::new("b.json"), &["app".to_string()]).unwrap();
    assert_eq!(read.schema, 2);
    assert!(read.tests.values().all(|e| e.peak_bytes.is_none()));
    let lean = parse_references(&old, Path::new("b.json"), &["app".to_string()]).unwrap();
    assert!(lean.peaks.is_empty());
}

/// Values no recording writes are refused by both readers, alike, at the entry's position and
/// with its test named; a negative or fractional time is refused by serde, also positioned.
#[test]
fn impossible_times_are_corrupt_at_the_entry_with_the_test_named() {
    let good = sample().to_json();
    let fast = "\"min_ms\": 5,\n      \"median_ms\": 6,\n      \"max_ms\": 9,";
    assert!(good.contains(fast));
    let times = |min: &str, median: &str, max: &str| {
        let with =
            format!("\"min_ms\": {min},\n      \"median_ms\": {median},\n      \"max_ms\": {max},");
        good.replacen(fast, &with, 1)
    };
    let cases = [
        (
            times("7", "6", "9"),
            "test `app::unit fast::adds`: min_ms 7, median_ms 6",
        ),
        (
            times("5", "10", "9"),
            "test `app::unit fast::adds`: min_ms 5, median_ms 10",
        ),
        (
            times("5", "6", "99999999999"),
            "test `app::unit fast::adds`: max_ms 99999999999",
        ),
        (
            times("5", "null", "9"),
            "test `app::unit fast::adds`: min_ms, median_ms and max_ms",
        ),
        (
            times("-5", "6", "9"),
            "invalid value: integer `-5`, expected u64",
        ),
        (
            times("5", "6.5", "9"),
            "invalid type: floating point `6.5`, expected u64",
        ),
        (times("5", "6", "NaN"), "expected value"),
        (
            good.replacen(
                "[\n        6,\n        5,\n        9\n      ]",
                "[6, 5, 90]",
                1,
            ),
            "test `app::unit fast::adds`: sample 90 ms is outside min_ms 5 to max_ms 9",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    for (text, want) in cases {
        assert_ne!(text, good, "{want}: the case edits nothing");
        std::fs::write(&path, &text).unwrap();
        let whole = parse(&text, &path, &members()).unwrap_err().to_string();
        let lean = read_references(&path, &members()).unwrap_err().to_string();
        assert_eq!(lean, whole);
        let at = format!("{}:", path.display());
        let rest = whole.strip_prefix(&at).expect("names the file");
        let (line, rest) = rest.split_once(':').unwrap();
        let (column, rest) = rest.split_once(':').unwrap();
        assert!(
            line.parse::<usize>().unwrap() > 20,
            "{whole}: the entry's line, not 1"
        );
        assert!(column.parse::<usize>().is_ok(), "{whole}");
        assert!(rest.starts_with(" corrupt baseline: "), "{whole}");
        assert!(rest.contains(want), "{whole} lacks {want}");
    }
}
