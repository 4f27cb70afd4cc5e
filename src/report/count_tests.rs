//! Snapshots of every format on a verdict that counted instructions: a test over its
//! instruction budget, one whose count grew past the fail threshold since the baseline, one
//! whose counting runs differed (nondeterministic), and the hostile name counted within budget.

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::config::{self, Context};
use crate::model::{Amount, BinaryInfo, Counts, Metric, Outcome, Run, TestId, TestResult};
use crate::policy::compare::Comparison;
use crate::policy::{self, Classified, FindingKind, Inputs};

const HOSTILE: &str = "weird::pipe|and,colon:\"q\"`<x>`\n::error ::pwned";

/// A passed test, counted `counts` (one per counting run; the first is its count).
fn counted(binary: &str, name: &str, ms: u64, counts: &[u64]) -> (TestResult, Vec<u64>) {
    let mut r = TestResult {
        id: TestId::new(binary, name),
        outcome: Outcome::Passed,
        duration: Some(Duration::from_millis(ms)),
        attempts: 1,
        message: None,
        extra: Default::default(),
    };
    if let Some(first) = counts.first() {
        r.extra.set(Metric::Instructions, Amount::Count(*first));
    }
    (r, counts.to_vec())
}

fn verdict() -> Verdict {
    let config = config::parse(
        "[tiers.unit]\ninstructions = \"1M\"\n\n[tiers.integration]\ninstructions = true\n",
        Path::new("budget.toml"),
    )
    .unwrap()
    .config;
    let tests = [
        counted("app::unit", HOSTILE, 40, &[1_204_311]),
        counted("app::unit", "parse::big", 12, &[100_290]),
        counted("app::integration", "cache::warms", 200, &[103_290]),
        counted("app::integration", "pool::threads", 300, &[5_000, 5_100]),
        counted("app::integration", "api::lists", 100, &[]),
    ];
    let run = Run {
        results: tests.iter().map(|(r, _)| r.clone()).collect(),
        wall: Some(Duration::from_secs(2)),
        unmeasured: None,
        alone: Default::default(),
    };
    let counts = Counts {
        by_test: tests
            .iter()
            .filter(|(_, c)| !c.is_empty())
            .map(|(r, c)| (r.id.clone(), c.clone()))
            .collect(),
        ..Counts::default()
    };
    let comparison = Comparison {
        baseline_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        baseline_created: "2026-11-20T08:00:00Z".into(),
        counts_before: [
            (
                TestId::new("app::unit", "parse::big"),
                vec![100_290, 100_290],
            ),
            (
                TestId::new("app::integration", "cache::warms"),
                vec![100_290, 100_290],
            ),
            (
                TestId::new("app::integration", "pool::threads"),
                vec![5_000, 5_000],
            ),
        ]
        .into(),
        ..Comparison::default()
    };
    let classified: Vec<Classified> = run
        .results
        .iter()
        .map(|r| Classified {
            id: r.id.clone(),
            placement: policy::classify(
                &config,
                &BinaryInfo::from_binary_id(&r.id.binary_id),
                &r.id,
                None,
            )
            .unwrap(),
            location: None,
        })
        .collect();
    policy::evaluate(
        &Inputs {
            config: &config,
            context: Context::Ci,
            today: "2026-11-22".parse().unwrap(),
            known: None,
            counts: Some(&counts),
        },
        classified,
        run,
        Some(comparison),
    )
}

fn rendered(format: Format) -> String {
    let v = verdict();
    let meta = Meta {
        exit_code: crate::exit::for_status(v.status),
        ..Meta::default()
    };
    let mut out = Vec::new();
    render(format, &v, &meta, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The verdict the snapshots render holds each instruction finding once.
#[test]
fn the_verdict_has_each_count_finding() {
    let v = verdict();
    let kinds: Vec<(FindingKind, Option<Metric>, &str)> = v
        .findings
        .iter()
        .map(|f| {
            let name = f.test.as_ref().map_or("", |t| t.name.as_str());
            (f.kind(), f.metric(), name)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (
                FindingKind::OverInstructions,
                Some(Metric::Instructions),
                HOSTILE
            ),
            (
                FindingKind::Regression,
                Some(Metric::Instructions),
                "cache::warms"
            ),
            (
                FindingKind::InstructionsNondeterministic,
                Some(Metric::Instructions),
                "pool::threads"
            ),
        ]
    );
}

#[test]
fn counted_json() {
    let text = rendered(Format::Json);
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let test = |name: &str| {
        parsed["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(test(HOSTILE)["instructions"], 1_204_311);
    assert_eq!(test(HOSTILE)["instructions_budget"], 1_000_000);
    assert_eq!(test("cache::warms")["instructions"], 103_290);
    assert_eq!(test("cache::warms").get("instructions_budget"), None);
    let finding = |kind: &str| {
        parsed["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == kind)
            .unwrap()
            .clone()
    };
    assert_eq!(finding("over-instructions")["instructions"], 1_204_311);
    assert_eq!(finding("regression")["before_instructions"], 100_290);
    assert_eq!(finding("regression")["after_instructions"], 103_290);
    assert_eq!(finding("regression")["change_pct"], 3.0);
    assert_eq!(
        finding("instructions-nondeterministic")["low_instructions"],
        5_000
    );
    assert_eq!(
        finding("instructions-nondeterministic")["high_instructions"],
        5_100
    );
    assert_eq!(test("api::lists").get("instructions"), None);
    insta::assert_snapshot!(text);
}

#[test]
fn counted_markdown() {
    insta::assert_snapshot!(rendered(Format::Markdown));
}

#[test]
fn counted_github() {
    let text = rendered(Format::Github);
    // The name's line feed cannot start a command of its own.
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn counted_openmetrics() {
    use std::io::Write;
    let text = rendered(Format::Openmetrics);
    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("promtool did not run ({e}): install Debian's `prometheus`"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}\n{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn counted_html() {
    let text = rendered(Format::Html);
    assert!(!text.contains("`<x>`"), "the name is escaped");
    // Only the table of counted tests: the page's charts are not this test's concern.
    let start = text.find("<h2>Instructions counted").unwrap();
    let end = start + text[start..].find("</table>").unwrap();
    insta::assert_snapshot!(&text[start..end]);
}
