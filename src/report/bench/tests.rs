//! The bench renderers on real criterion result files (`tests/data/criterion`: the fixture's
//! benches, then the same with `scaled/work/1000` given 130 % of its work).

use std::path::Path;

use super::{BenchMeta, render};
use crate::config::{self, Context};
use crate::policy::bench::{self, BaselineInfo, BenchInputs, BenchThresholds};
use crate::report::Format;

fn verdict() -> bench::BenchVerdict {
    verdict_with("", Vec::new())
}

/// The verdict under `budget` (budget.toml's text), with capability tests' `peaks`.
fn verdict_with(
    budget: &str,
    peaks: Vec<(String, crate::model::TestsPeak)>,
) -> bench::BenchVerdict {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/criterion");
    let before = crate::criterion::read::read_all(&data.join("base"), None).unwrap();
    let after = crate::criterion::read::read_all(&data.join("slower"), None).unwrap();
    let config = config::parse(budget, Path::new("budget.toml"))
        .unwrap()
        .config;
    let t = BenchThresholds {
        warn: config.regression.warn,
        fail: config.regression.fail,
    };
    let comparison = bench::compare(&before, &after, t, Vec::new());
    bench::judge(
        &config,
        Context::Ci,
        BenchInputs {
            results: after,
            not_measured: vec![crate::model::NotMeasured {
                target: "fx-bench::bench/custom".into(),
                reason: "it wrote no criterion results".into(),
            }],
            failed: Vec::new(),
            comparison: Some(comparison),
            baseline: Some(BaselineInfo {
                source: ".budget/bench-baseline.json".into(),
                commit: Some("0123456789abcdef".into()),
                created: "2026-12-01T00:00:00Z".into(),
            }),
            peaks,
        },
    )
}

fn rendered(format: Format) -> String {
    rendered_verdict(format, verdict())
}

fn rendered_verdict(format: Format, v: bench::BenchVerdict) -> String {
    let mut meta = BenchMeta {
        exit_code: crate::exit::for_status(v.status),
        ..BenchMeta::default()
    };
    meta.locations
        .insert("scaled/work/1000".into(), ("benches/speed.rs".into(), 28));
    let mut out = Vec::new();
    render(format, &v, &meta, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn human() {
    insta::assert_snapshot!(rendered(Format::Human));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(Format::Markdown));
}

#[test]
fn json() {
    insta::assert_snapshot!(rendered(Format::Json));
}

#[test]
fn openmetrics() {
    // Two capabilities (one with a name that needs escaping), one of them with its tests'
    // peak measured.
    let v = verdict_with(
        "[[capability]]\nname = \"scaled\"\nbenches = [\"scaled/**\"]\np95 = \"20us\"\n\
         tests = \"test(/^scaled::/)\"\nmemory = \"64MiB\"\n\
         [[capability]]\nname = 'hash \"fnv\" {x}'\nbenches = [\"fnv/*\"]\np95 = \"1ms\"\n",
        vec![(
            "scaled".into(),
            crate::model::TestsPeak::Measured {
                bytes: 12 << 20,
                test: "fx scaled::works".into(),
                tests: 3,
            },
        )],
    );
    insta::assert_snapshot!(rendered_verdict(Format::Openmetrics, v));
}

#[test]
fn github() {
    insta::assert_snapshot!(rendered(Format::Github));
}
