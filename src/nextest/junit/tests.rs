use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;

const RETRIES: &str = include_str!("../../../tests/data/junit-ci-retries2.xml");
const SKIPPED: &str = include_str!("../../../tests/data/junit-report-skipped-all.xml");

fn find<'a>(run: &'a Run, binary: &str, name: &str) -> &'a TestResult {
    run.results
        .iter()
        .find(|r| r.id.binary_id == binary && r.id.name == name)
        .unwrap_or_else(|| panic!("{binary} {name} missing"))
}

#[test]
fn sample_with_retries_maps_every_outcome() {
    let run = parse(RETRIES, Path::new("j.xml")).unwrap();
    assert_eq!(run.results.len(), 10);
    assert_eq!(run.wall, Some(Duration::from_millis(6021)));
    let table = [
        ("app::e2e", "e2e_quick", Outcome::Passed, 10, 1),
        ("app::e2e", "loops_forever", Outcome::TimedOut, 2012, 3),
        (
            "app::integration",
            "flaky_fails_first_then_passes",
            Outcome::Flaky,
            20,
            2,
        ),
        ("app::integration", "panics", Outcome::Failed, 174, 3),
        ("app::unit", "slow::sleeps_3s", Outcome::Passed, 3008, 1),
        (
            "core-lib",
            "tests::slow_sleep_1500ms",
            Outcome::Passed,
            1508,
            1,
        ),
    ];
    for (binary, name, outcome, ms, attempts) in table {
        let r = find(&run, binary, name);
        assert_eq!(r.outcome, outcome, "{name}");
        assert_eq!(r.duration, Some(Duration::from_millis(ms)), "{name}");
        assert_eq!(r.attempts, attempts, "{name}");
    }
    assert_eq!(
        find(&run, "app::integration", "panics").message.as_deref(),
        Some("thread 'panics' (14962) panicked at app/tests/integration/main.rs:5:5")
    );
}

#[test]
fn skipped_testcases_are_skipped() {
    let run = parse(SKIPPED, Path::new("j.xml")).unwrap();
    assert_eq!(run.results.len(), 12);
    let skipped = run
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Skipped)
        .count();
    assert_eq!(skipped, 11);
    assert_eq!(
        find(&run, "app::unit", "fast::print_nextest_env").outcome,
        Outcome::Passed
    );
}

#[test]
fn truncated_file_is_an_error_with_position() {
    let cut = &RETRIES[..RETRIES.len() / 2];
    let err = parse(cut, Path::new("shard.xml")).unwrap_err().to_string();
    assert!(err.starts_with("shard.xml:"), "{err}");
    assert!(err.contains("truncated"), "{err}");
    let err = parse("", Path::new("empty.xml")).unwrap_err().to_string();
    assert!(err.contains("truncated or empty"), "{err}");
    let err = parse(
        "<testsuites><testsuite name=\"a\"></testcase>",
        Path::new("bad.xml"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("bad.xml:1:"), "{err}");
}

#[test]
fn escaped_names_are_unescaped() {
    let xml = r#"<testsuites time="1.000"><testsuite name="w::weird"><testcase name="q&quot;d&apos;s &lt;x&gt; a&amp;b" time="0.001"/></testsuite></testsuites>"#;
    let run = parse(xml, Path::new("j.xml")).unwrap();
    assert_eq!(run.results[0].id.name, "q\"d's <x> a&b");
}

fn run_of(tests: &[(&str, Outcome)]) -> Run {
    Run {
        results: tests
            .iter()
            .map(|(name, outcome)| TestResult {
                id: TestId::new("p::unit", *name),
                outcome: *outcome,
                duration: Some(Duration::from_millis(5)),
                attempts: 1,
                message: None,
                extra: Default::default(),
            })
            .collect(),
        wall: Some(Duration::from_secs(1)),
        unmeasured: None,
        alone: Default::default(),
    }
}

#[test]
fn shards_merge_and_overlap_is_an_error() {
    let a = run_of(&[("a", Outcome::Passed), ("b", Outcome::Skipped)]);
    let b = run_of(&[("b", Outcome::Passed), ("a", Outcome::Skipped)]);
    let merged = merge(vec![
        (PathBuf::from("1.xml"), a.clone()),
        (PathBuf::from("2.xml"), b),
    ])
    .unwrap();
    let mut names: Vec<_> = merged
        .results
        .iter()
        .map(|r| (r.id.name.as_str(), r.outcome))
        .collect();
    names.sort();
    assert_eq!(names, [("a", Outcome::Passed), ("b", Outcome::Passed)]);

    let err = merge(vec![
        (PathBuf::from("1.xml"), a.clone()),
        (PathBuf::from("2.xml"), a),
    ])
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "test `p::unit a` appears in both `1.xml` and `2.xml`: shards of one run must not overlap"
    );
}

#[test]
fn absurd_times_are_errors_not_panics() {
    for time in [
        "99999999999999999999999",
        "18446744073709551615",
        "4294967296",
        "-1",
        "NaN",
        "inf",
        "1s",
    ] {
        let xml = format!(
            r#"<testsuites><testsuite name="a"><testcase name="t" time="{time}"/></testsuite></testsuites>"#
        );
        let err = parse(&xml, Path::new("j.xml")).unwrap_err().to_string();
        assert!(err.contains("is not a time in seconds"), "{time}: {err}");
    }
}

#[test]
fn byte_order_mark_is_skipped_and_errors_after_it_have_positions() {
    // Malformed XML after a BOM once sliced the text inside the BOM's three bytes.
    let table = [
        ("\u{feff} </x>", "x.xml:1:2:"),
        ("\u{feff}<testsuites>\n<x></y>", "x.xml:2:"),
        ("\u{feff}", "x.xml:1:1:"),
        ("\u{feff}\u{feff}<", "x.xml:1:"),
    ];
    for (text, prefix) in table {
        let err = parse(text, Path::new("x.xml")).unwrap_err().to_string();
        assert!(err.starts_with(prefix), "{text:?}: {err}");
    }
    let run = parse(&format!("\u{feff}{RETRIES}"), Path::new("j.xml")).unwrap();
    assert_eq!(run.results.len(), 10);
}

#[test]
fn positions_never_split_a_character() {
    // Errors at or after multi-byte characters: the reported column counts characters.
    for text in ["é</x>", "<a b=\"é\"></c>", "<é>\n<ü></ö>", "€€€<"] {
        let err = parse(text, Path::new("x.xml")).unwrap_err().to_string();
        assert!(err.starts_with("x.xml:"), "{text:?}: {err}");
    }
}

#[test]
fn a_testcase_without_time_has_no_duration() {
    let xml = r#"<testsuites><testsuite name="a"><testcase name="untimed"/><testcase name="timed" time="0.000"/></testsuite></testsuites>"#;
    let run = parse(xml, Path::new("j.xml")).unwrap();
    assert_eq!(find(&run, "a", "untimed").duration, None);
    assert_eq!(find(&run, "a", "timed").duration, Some(Duration::ZERO));
}

#[test]
fn a_test_twice_in_one_file_is_an_error_at_the_second() {
    let xml = "<testsuites>\n<testsuite name=\"a\">\n  <testcase name=\"t\" time=\"1\"/>\n  <testcase name=\"u\" time=\"1\"></testcase>\n  <testcase name=\"t\" time=\"2\"><skipped/></testcase>\n</testsuite>\n</testsuites>\n";
    let err = parse(xml, Path::new("f.xml")).unwrap_err().to_string();
    assert_eq!(
        err,
        "f.xml:5:3: invalid JUnit: test `a t` appears a second time (first at line 3)"
    );
}

#[test]
fn the_same_file_given_twice_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.xml");
    std::fs::write(&path, RETRIES).unwrap();
    let dotted = dir.path().join(".").join("f.xml");
    let err = read_shards(&[path.clone(), dotted.clone()])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "`{}` is given twice: name each shard once",
            dotted.display()
        )
    );
    assert_eq!(read_shards(&[path]).unwrap().results.len(), 10);
}

/// Bytes that are not UTF-8 are bad input at the position of the first (the column counts
/// characters, so the `é` before it is one column).
#[test]
fn bytes_that_are_not_utf8_are_invalid_at_their_position() {
    let mut bytes = "<testsuites>\n<testsuite name=\"é".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xE9t\"/></testsuites>");
    let err = utf8(bytes, Path::new("j.xml")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "j.xml:2:19: invalid JUnit: byte 0xE9 is not UTF-8 (nextest writes JUnit in UTF-8)"
    );
    assert_eq!(utf8(b"<a/>".to_vec(), Path::new("j.xml")).unwrap(), "<a/>");
}
