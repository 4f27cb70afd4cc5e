//! The bench renderers on real criterion result files (`tests/data/criterion`: the fixture's
//! benches, then the same with `scaled/work/1000` given 130 % of its work).

use std::path::Path;

use super::render;
use crate::config::{self, Context};
use crate::policy::Verdict;
use crate::policy::bench::{self, BaselineInfo, BenchInputs, BenchThresholds};
use crate::report::{Format, Meta};

fn verdict() -> Verdict {
    verdict_with("", Vec::new())
}

/// The verdict under `budget` (budget.toml's text), with capability tests' `peaks`.
fn verdict_with(budget: &str, peaks: Vec<(String, crate::model::TestsPeak)>) -> Verdict {
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
            not_counted: Vec::new(),
            comparison: Some(comparison),
            baseline: Some(BaselineInfo {
                source: ".budget/bench-baseline.json".into(),
                commit: Some("0123456789abcdef".into()),
                created: "2026-12-01T00:00:00Z".into(),
            }),
            peaks,
            locations: locations(),
        },
    )
}

/// Where the fixture's one located benchmark is defined.
fn locations() -> std::collections::BTreeMap<String, (std::path::PathBuf, usize)> {
    [("scaled/work/1000".into(), ("benches/speed.rs".into(), 28))].into()
}

fn rendered(format: Format) -> String {
    rendered_verdict(format, verdict())
}

fn rendered_verdict(format: Format, v: Verdict) -> String {
    let meta = Meta {
        exit_code: crate::exit::for_status(v.status),
        ..Meta::default()
    };
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

/// A synthetic benchmark: `group/function/value`, `n` samples around `ns` (a tail of three
/// slower ones when `tail`).
fn synthetic(id: &str, ns: f64, n: usize, tail: bool) -> crate::model::BenchResult {
    let mut parts = id.splitn(3, '/');
    let (group, function, value) = (parts.next(), parts.next(), parts.next());
    let e = crate::model::Estimate {
        point: ns,
        lower: ns * 0.99,
        upper: ns * 1.01,
    };
    let mut samples = vec![ns; n];
    if tail {
        let k = samples.len();
        samples[k - 3..].copy_from_slice(&[ns * 1.12, ns * 1.3, ns * 1.4]);
    }
    crate::model::BenchResult {
        id: id.into(),
        group: group.unwrap_or_default().into(),
        function: function.map(String::from),
        value: value.map(String::from),
        target: Some("fx-bench::bench/synthetic".into()),
        estimates: crate::model::Estimates {
            mean: e,
            median: e,
            slope: None,
        },
        samples,
        runs: Vec::new(),
        throughput: None,
        instructions: Vec::new(),
    }
}

/// Every capability finding in words: p95 over its budget (clearly and by the point only),
/// globs that match nothing (one with the `**` hint), complexity within, exceeded and unfit
/// (too few sizes, no sizes at all), memory over, within, unknown and not run; and a failed
/// target, one not measured, a baseline of another contract, too few samples.
#[test]
fn capabilities_in_words() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/criterion");
    let before = crate::criterion::read::read_all(&data.join("base"), None).unwrap();
    let mut after = crate::criterion::read::read_all(&data.join("slower"), None).unwrap();
    for n in [100.0, 1000.0, 10000.0] {
        after.push(synthetic(&format!("grow/f/{n}"), 3.0 * n * n, 30, false));
        after.push(synthetic(&format!("lin/f/{n}"), 40.0 * n, 30, false));
    }
    after.push(synthetic("tail/x", 40e6, 30, true));
    after.push(synthetic("tail/short", 40e6, 1, false));
    let budget = "[[capability]]\nname = \"scaled\"\nbenches = [\"scaled/**\"]\np95 = \"1us\"\n\
                  complexity = \"O(n)\"\ntests = \"all()\"\nmemory = \"64MiB\"\n\
                  [[capability]]\nname = \"hash\"\nbenches = [\"fnv/*\"]\ncomplexity = \"O(1)\"\n\
                  tests = \"all()\"\nmemory = \"1MiB\"\n\
                  [[capability]]\nname = \"gone\"\nbenches = [\"parse/*\", \"scaled/*\"]\n\
                  tests = \"all()\"\nmemory = \"1GiB\"\n\
                  [[capability]]\nname = \"unknown\"\ntests = \"all()\"\nmemory = \"1GiB\"\n\
                  [[capability]]\nname = \"grow\"\nbenches = [\"grow/**\"]\ncomplexity = \"O(n)\"\n\
                  [[capability]]\nname = \"lin\"\nbenches = [\"lin/**\"]\ncomplexity = \"O(n)\"\n\
                  [[capability]]\nname = \"tail\"\nbenches = [\"tail/x\"]\np95 = \"50ms\"\n";
    let config = config::parse(budget, Path::new("budget.toml"))
        .unwrap()
        .config;
    let t = BenchThresholds {
        warn: config.regression.warn,
        fail: config.regression.fail,
    };
    let comparison = bench::compare(&before, &after, t, vec!["rustc: 1.90 → 1.91".into()]);
    let peak = |mib: u64| crate::model::TestsPeak::Measured {
        bytes: mib << 20,
        test: "fx scaled::works".into(),
        tests: 3,
    };
    let target = |reason: &str| crate::model::NotMeasured {
        target: "fx-bench::bench/custom".into(),
        reason: reason.into(),
    };
    let v = bench::judge(
        &config,
        Context::Ci,
        BenchInputs {
            results: after,
            not_measured: vec![target("it wrote no criterion results")],
            failed: vec![target("`cargo bench` exited with status 101")],
            not_counted: Vec::new(),
            comparison: Some(comparison),
            baseline: None,
            peaks: vec![
                ("scaled".into(), peak(12)),
                ("hash".into(), peak(12)),
                (
                    "unknown".into(),
                    crate::model::TestsPeak::NotMeasured("wrappers are off".into()),
                ),
            ],
            locations: locations(),
        },
    );
    let human = rendered_verdict(Format::Human, v.clone());
    let json: serde_json::Value = serde_json::from_str(&rendered_verdict(Format::Json, v)).unwrap();
    insta::assert_snapshot!(human);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json["findings"]).unwrap());
}

/// The fixture's results with instruction counts, as `bench --instructions` records them
/// (`scaled/work/1000`'s are the fixture's measured 100,290 at 100 % of its work and 103,290 at
/// 103 %): one grown past fail, one unchanged, one whose baseline runs varied, one new to the
/// baseline's counts, one not counted; capabilities with instruction budgets, one over and one
/// none of whose benchmarks was counted.
fn counted_verdict() -> Verdict {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/criterion");
    let mut before = crate::criterion::read::read_all(&data.join("base"), None).unwrap();
    let mut after = crate::criterion::read::read_all(&data.join("slower"), None).unwrap();
    let counts = |results: &mut [crate::model::BenchResult], table: &[(&str, &[u64])]| {
        for (id, n) in table {
            let r = results.iter_mut().find(|r| r.id == *id).unwrap();
            r.instructions = n.to_vec();
        }
    };
    counts(
        &mut before,
        &[
            ("scaled/work/1000", &[100_290]),
            ("steady", &[50_290]),
            ("fnv/4k", &[4_743_753, 4_763_845]),
            ("io/read:x y", &[27_953]),
        ],
    );
    counts(
        &mut after,
        &[
            ("scaled/work/1000", &[103_290]),
            ("steady", &[50_290]),
            ("fnv/4k", &[4_743_753]),
            ("spin/fixed", &[80_290]),
        ],
    );
    let budget = "[[capability]]\nname = \"scaled\"\nbenches = [\"scaled/**\"]\n\
                  instructions = \"100k\"\n\
                  [[capability]]\nname = \"io\"\nbenches = [\"io/*\"]\ninstructions = \"1M\"\n";
    let config = config::parse(budget, Path::new("budget.toml"))
        .unwrap()
        .config;
    let t = BenchThresholds {
        warn: config.regression.warn,
        fail: config.regression.fail,
    };
    let mut comparison = bench::compare(&before, &after, t, Vec::new());
    comparison.counts = bench::counts::compare(&before, &after, config.regression.instructions);
    bench::judge(
        &config,
        Context::Ci,
        BenchInputs {
            results: after,
            not_measured: Vec::new(),
            failed: Vec::new(),
            not_counted: vec![crate::model::NotCounted {
                target: "fx-bench::bench/speed".into(),
                benchmark: Some("io/read:x y".into()),
                reason: crate::criterion::count::NOTHING_COUNTED.into(),
            }],
            comparison: Some(comparison),
            baseline: Some(BaselineInfo {
                source: ".budget/bench-baseline.json".into(),
                commit: Some("0123456789abcdef".into()),
                created: "2026-12-01T00:00:00Z".into(),
            }),
            peaks: Vec::new(),
            locations: locations(),
        },
    )
}

#[test]
fn counted_human() {
    insta::assert_snapshot!(rendered_verdict(Format::Human, counted_verdict()));
}

#[test]
fn counted_markdown() {
    insta::assert_snapshot!(rendered_verdict(Format::Markdown, counted_verdict()));
}

#[test]
fn counted_github() {
    insta::assert_snapshot!(rendered_verdict(Format::Github, counted_verdict()));
}

#[test]
fn counted_openmetrics() {
    insta::assert_snapshot!(rendered_verdict(Format::Openmetrics, counted_verdict()));
}

/// JSON: each counted benchmark's counts and comparison, what was not counted, the findings.
#[test]
fn counted_json() {
    let json: serde_json::Value =
        serde_json::from_str(&rendered_verdict(Format::Json, counted_verdict())).unwrap();
    let counted: serde_json::Map<String, serde_json::Value> = json["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| !b["instructions"].is_null())
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["instructions"].clone(),
            )
        })
        .collect();
    let shown = serde_json::json!({
        "instructions": counted,
        "not_counted": json["not_counted"],
        "findings": json["findings"],
    });
    insta::assert_snapshot!(serde_json::to_string_pretty(&shown).unwrap());
}

/// The HTML page has the instruction table, its numbers escaped as any cell is.
#[test]
fn counted_html() {
    let html = rendered_verdict(Format::Html, counted_verdict());
    assert!(html.contains("<h2>Instructions</h2>"), "{html}");
    for cell in [
        "100,290",
        "103,290",
        "+3.0%",
        "4,743,753–4,763,845",
        "nondeterministic",
    ] {
        assert!(
            html.contains(&format!("<td>{cell}</td>")) || html.contains(&format!(">{cell}<")),
            "{cell}: {html}"
        );
    }
}
