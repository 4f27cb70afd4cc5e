//! Snapshots of every format on fixed input: the real nextest JUnit sample with retries, a
//! flaky test, a failure and a timeout, plus one hostile test name.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::config::{self, Context};
use crate::model::{Outcome, TestId, TestResult};
use crate::nextest::junit;
use crate::pipeline::classify_all;
use crate::policy::{self, Inputs};
use crate::sources::{SourceIndex, SourceTest};

fn verdict(text: &str) -> Verdict {
    let config = config::parse(text, Path::new("budget.toml"))
        .unwrap()
        .config;
    let xml = include_str!("../../tests/data/junit-ci-retries2.xml");
    let mut run = junit::parse(xml, Path::new("junit.xml")).unwrap();
    run.results.push(TestResult {
        id: TestId::new("app::unit", "weird::pipe|and,colon:\"q\"`<x>`"),
        outcome: Outcome::Passed,
        duration: Some(Duration::from_millis(1250)),
        attempts: 1,
        message: None,
    });
    let mut sources = SourceIndex::default();
    sources.insert(
        TestId::new("app::unit", "slow::sleeps_3s"),
        SourceTest {
            file: PathBuf::from("app/tests/unit/slow.rs"),
            line: 4,
            marker: None,
        },
    );
    let ids: Vec<&TestId> = run.results.iter().map(|r| &r.id).collect();
    let classified = classify_all(&config, ids, &[], &sources).unwrap();
    policy::evaluate(
        &Inputs {
            config: &config,
            context: Context::Ci,
            today: "2026-11-22".parse().unwrap(),
            known: None,
        },
        classified,
        run,
        None,
    )
}

fn rendered(format: Format, v: &Verdict) -> String {
    let meta = Meta {
        nextest_version: Some("cargo-nextest 0.9.143 (60fa45f63 2026-08-04)".into()),
        reproduce: Some(
            "cargo nextest run -E '(binary_id(=app::unit) & test(=slow::sleeps_3s))'".into(),
        ),
        exit_code: crate::exit::for_status(v.status),
        junit_files: vec!["junit.xml".into()],
        list_tests: format == Format::Human,
    };
    let mut out = Vec::new();
    render(format, v, &meta, &mut out).unwrap();
    let mut plain = Vec::new();
    std::io::Write::write_all(&mut anstream::StripStream::new(&mut plain), &out).unwrap();
    String::from_utf8(plain).unwrap()
}

#[test]
fn sample_verdict_outcomes() {
    let v = verdict("");
    let outcome = |name: &str| v.tests.iter().find(|t| t.id.name == name).unwrap().outcome;
    assert_eq!(outcome("flaky_fails_first_then_passes"), Outcome::Flaky);
    assert_eq!(outcome("panics"), Outcome::Failed);
    assert_eq!(outcome("loops_forever"), Outcome::TimedOut);
    assert_eq!(v.status, crate::policy::Status::TestsFailed);
}

#[test]
fn human() {
    insta::assert_snapshot!(rendered(Format::Human, &verdict("")));
}

#[test]
fn json() {
    let text = rendered(Format::Json, &verdict(""));
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["schema_version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(Format::Markdown, &verdict("")));
}

#[test]
fn github() {
    insta::assert_snapshot!(rendered(Format::Github, &verdict("")));
}

#[test]
fn human_warn_phase() {
    insta::assert_snapshot!(rendered(Format::Human, &verdict("phase = \"warn\"")));
}
