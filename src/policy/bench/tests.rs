use super::*;
use crate::model::Estimates;
use crate::policy::{Finding, FindingKind, Payload};

/// The benchmark, bench target or capability a finding is about.
fn subject(f: &Finding) -> &str {
    f.bench.as_ref().map_or("", |b| b.name())
}

const T: BenchThresholds = BenchThresholds {
    warn: 0.10,
    fail: 0.25,
};

/// `n` samples around `center` (ns), spread evenly over ±`spread` (a fraction).
fn samples(center: f64, spread: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| center * (1.0 + spread * (2.0 * i as f64 / (n - 1) as f64 - 1.0)))
        .collect()
}

fn bench(id: &str, samples: Vec<f64>) -> BenchResult {
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    let e = Estimate {
        point: mean,
        lower: mean,
        upper: mean,
    };
    BenchResult {
        id: id.into(),
        group: id.into(),
        function: None,
        value: None,
        target: None,
        estimates: Estimates {
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

#[test]
fn calls_from_the_interval_not_the_point() {
    let r = |point, lower, upper| Estimate {
        point,
        lower,
        upper,
    };
    // (ratio interval, call)
    for (ratio, expected) in [
        (r(1.30, 1.28, 1.32), BenchCall::Fail),
        (r(1.30, 1.20, 1.40), BenchCall::Inconclusive),
        (r(1.20, 1.18, 1.22), BenchCall::Warn),
        (r(1.20, 1.05, 1.35), BenchCall::Inconclusive),
        (r(1.05, 1.04, 1.06), BenchCall::Unchanged),
        (r(1.00, 0.80, 1.25), BenchCall::Unchanged),
        (r(0.70, 0.69, 0.71), BenchCall::Improved),
        (r(0.70, 0.50, 0.95), BenchCall::Unchanged),
    ] {
        assert_eq!(call(ratio, T), expected, "{ratio:?}");
    }
}

#[test]
fn constructed_samples_give_each_call() {
    // (before, after, call)
    for (before, after, expected) in [
        (
            samples(100.0, 0.01, 50),
            samples(100.5, 0.01, 50),
            BenchCall::Unchanged,
        ),
        (
            samples(100.0, 0.01, 50),
            samples(120.0, 0.01, 50),
            BenchCall::Warn,
        ),
        (
            samples(100.0, 0.01, 50),
            samples(130.0, 0.01, 50),
            BenchCall::Fail,
        ),
        (
            samples(100.0, 0.01, 50),
            samples(70.0, 0.01, 50),
            BenchCall::Improved,
        ),
        // +30 % by the point estimate, but ten samples spread ±60 %: the interval reaches
        // below +25 %, so it is inconclusive, not a failure.
        (
            samples(100.0, 0.6, 10),
            samples(130.0, 0.6, 10),
            BenchCall::Inconclusive,
        ),
    ] {
        let r = ratio_interval(&before, &after).unwrap();
        assert_eq!(call(r, T), expected, "{r:?}");
    }
    let r = ratio_interval(&samples(100.0, 0.6, 10), &samples(130.0, 0.6, 10)).unwrap();
    assert!(r.point > 1.25 && r.lower < 1.25, "{r:?}");
    assert_eq!(ratio_interval(&[1.0], &[1.0, 2.0]), None);
}

#[test]
fn the_machine_factor_is_the_median_change() {
    let ids = ["a", "b", "c", "d", "e", "f"];
    let base: Vec<BenchResult> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| bench(id, samples(100.0 * (i + 1) as f64, 0.01, 30)))
        .collect();
    // The machine 1.5x slower, and `d` 30 % slower on top of that.
    let slower = |scale: f64, changed: f64| -> Vec<BenchResult> {
        ids.iter()
            .enumerate()
            .map(|(i, id)| {
                let extra = if *id == "d" { changed } else { 1.0 };
                bench(
                    id,
                    samples(100.0 * (i + 1) as f64 * scale * extra, 0.01, 30),
                )
            })
            .collect()
    };
    let calls = |c: &BenchComparison| -> Vec<(String, BenchCall)> {
        c.deltas.iter().map(|d| (d.id.clone(), d.call)).collect()
    };
    let c = compare(&base, &slower(1.5, 1.0), T, Vec::new());
    assert_eq!(c.factor.map(|f| (f * 100.0).round()), Some(150.0));
    assert!(
        c.deltas.iter().all(|d| d.call == BenchCall::Unchanged),
        "{:?}",
        calls(&c)
    );
    let c = compare(&base, &slower(1.5, 1.3), T, Vec::new());
    assert_eq!(calls(&c)[0], ("d".to_string(), BenchCall::Fail));
    assert!(
        calls(&c)[1..]
            .iter()
            .all(|(_, call)| *call == BenchCall::Unchanged)
    );
    // A machine 5 % faster does not hide a +30 % change.
    let c = compare(&base, &slower(0.95, 1.3), T, Vec::new());
    assert_eq!(calls(&c)[0], ("d".to_string(), BenchCall::Fail));
    // Fewer than five benchmarks: no factor, changes taken at face value.
    let c = compare(&base[..4], &slower(1.5, 1.0)[..4], T, Vec::new());
    assert_eq!(c.factor, None);
    assert!(c.deltas.iter().all(|d| d.call == BenchCall::Fail));
    let c = compare(&base[..3], &slower(1.0, 1.0), T, Vec::new());
    assert_eq!(c.new, ["d", "e", "f"]);
}

#[test]
fn not_comparable_results_never_fail() {
    let base = [bench("a", samples(100.0, 0.01, 30))];
    let now = [bench("a", samples(140.0, 0.01, 30))];
    let c = compare(&base, &now, T, vec!["rustc (baseline `a`, now `b`)".into()]);
    assert_eq!(c.deltas[0].call, BenchCall::Warn);
    let c = compare(&base, &[], T, Vec::new());
    assert_eq!(c.missing, ["a"]);
}

/// A baseline entry of several runs at these geometric means, 30 samples tight around each.
fn bench_runs(id: &str, means: &[f64]) -> BenchResult {
    let runs: Vec<Vec<BenchResult>> = means
        .iter()
        .map(|m| vec![bench(id, samples(*m, 0.01, 30))])
        .collect();
    runs::combine(runs).pop().unwrap()
}

#[test]
fn runs_combine_into_one_entry_with_each_runs_mean() {
    let b = bench_runs("a", &[100.0, 110.0, 90.0]);
    assert_eq!(b.samples.len(), 90);
    let means: Vec<f64> = b.runs.iter().map(|m| m.round()).collect();
    assert_eq!(means, [100.0, 110.0, 90.0]);
    assert_eq!(b.estimates.mean.point.round(), 100.0);
    assert!(
        runs::combine(vec![vec![bench("a", samples(1.0, 0.0, 3))]])[0]
            .runs
            .is_empty()
    );
}

#[test]
fn run_to_run_spread_widens_the_interval() {
    // Three baseline runs that moved ±10 % against a run now 30 % slower: the baseline says a
    // run alone moves that much, so +30 % is not clear; with runs that agree it is.
    let noisy = [bench_runs("a", &[90.0, 100.0, 110.0])];
    let steady = [bench_runs("a", &[99.5, 100.0, 100.5])];
    let now = [bench("a", samples(130.0, 0.01, 30))];
    let spread = runs::run_spread(&noisy, MIN_FOR_FACTOR).unwrap();
    assert_eq!(spread.df, 2.0);
    assert!((spread.variance.sqrt() - 0.1).abs() < 0.01, "{spread:?}");
    let c = compare(&noisy, &now, T, Vec::new());
    assert_eq!(
        c.deltas[0].call,
        BenchCall::Inconclusive,
        "{:?}",
        c.deltas[0]
    );
    let c = compare(&steady, &now, T, Vec::new());
    assert_eq!(c.deltas[0].call, BenchCall::Fail, "{:?}", c.deltas[0]);
    assert!(c.spread.is_some());
    // A baseline of one run: the within-run interval, as before.
    let c = compare(&[bench("a", samples(100.0, 0.01, 30))], &now, T, Vec::new());
    assert_eq!((c.deltas[0].call, c.spread), (BenchCall::Fail, None));
}

#[test]
fn a_measurement_of_several_runs_narrows_the_interval() {
    // Five baseline runs that moved ±3 %: one run now at +35 % is not clearly over +25 %
    // (the run alone moves by the spread); the mean of three runs at +35 % is.
    let base = [bench_runs("a", &[97.0, 100.0, 103.0, 98.0, 102.0])];
    let one = [bench("a", samples(135.0, 0.01, 30))];
    let three = [bench_runs("a", &[134.0, 135.0, 136.0])];
    let c = compare(&base, &one, T, Vec::new());
    assert_eq!(
        c.deltas[0].call,
        BenchCall::Inconclusive,
        "{:?}",
        c.deltas[0]
    );
    let c = compare(&base, &three, T, Vec::new());
    assert_eq!(c.deltas[0].call, BenchCall::Fail, "{:?}", c.deltas[0]);
    assert!(
        (c.deltas[0].ratio.point - 1.35).abs() < 0.01,
        "{:?}",
        c.deltas[0]
    );
}

#[test]
fn each_runs_machine_factor_is_taken_out_of_the_spread() {
    // Six benchmarks whose second run was 20 % slower together: the machine, not noise.
    let base: Vec<BenchResult> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|id| bench_runs(id, &[100.0, 120.0, 100.0]))
        .collect();
    let spread = runs::run_spread(&base, MIN_FOR_FACTOR).unwrap();
    assert!(spread.variance < 1e-6, "{spread:?}");
}

#[test]
fn inconclusive_over_warn_only_is_recorded_not_raised() {
    let config = crate::config::parse("", std::path::Path::new("budget.toml"))
        .unwrap()
        .config;
    let base = [
        bench("over-warn", samples(100.0, 0.6, 10)),
        bench("over-fail", samples(100.0, 0.6, 10)),
    ];
    let now = [
        bench("over-warn", samples(118.0, 0.6, 10)),
        bench("over-fail", samples(132.0, 0.6, 10)),
    ];
    let c = compare(&base, &now, T, Vec::new());
    assert!(
        c.deltas.iter().all(|d| d.call == BenchCall::Inconclusive),
        "{c:?}"
    );
    let v = judge(
        &config,
        crate::config::Context::Ci,
        BenchInputs {
            results: now.to_vec(),
            not_measured: Vec::new(),
            failed: Vec::new(),
            not_counted: Vec::new(),
            comparison: Some(c),
            baseline: None,
            peaks: Vec::new(),
            locations: Default::default(),
        },
    );
    let severities: Vec<(&str, crate::policy::Severity)> = v
        .findings
        .iter()
        .map(|f| (subject(f), f.severity))
        .collect();
    assert_eq!(
        severities,
        [
            ("over-fail", crate::policy::Severity::Warning),
            ("over-warn", crate::policy::Severity::Info)
        ]
    );
    assert_eq!(v.status, crate::policy::Status::Pass);
}

#[test]
fn a_capability_s_own_thresholds_judge_its_benchmarks() {
    // `validate/*` fails at +15 % (its capability's `regression`); `other` keeps +10/+25 %.
    // Two capabilities over one benchmark: the stricter thresholds of each kind.
    let config = crate::config::parse(
        "[[capability]]\nname = \"v\"\nbenches = [\"validate/*\"]\nregression = { warn = \"5%\", fail = \"15%\" }\n\
         [[capability]]\nname = \"w\"\nbenches = [\"validate/big\"]\nregression = { warn = \"2%\", fail = \"30%\" }\n",
        std::path::Path::new("budget.toml"),
    )
    .unwrap()
    .config;
    let base = [
        bench("validate/small", samples(100.0, 0.01, 30)),
        bench("validate/big", samples(100.0, 0.01, 30)),
        bench("other", samples(100.0, 0.01, 30)),
    ];
    let now = [
        bench("validate/small", samples(120.0, 0.01, 30)),
        bench("validate/big", samples(104.0, 0.01, 30)),
        bench("other", samples(120.0, 0.01, 30)),
    ];
    let c = compare(&base, &now, &config, Vec::new());
    let call = |id: &str| {
        let d = c.deltas.iter().find(|d| d.id == id).unwrap();
        (d.call, d.thresholds)
    };
    let t = |warn, fail| BenchThresholds { warn, fail };
    assert_eq!(call("validate/small"), (BenchCall::Fail, t(0.05, 0.15)));
    assert_eq!(call("validate/big"), (BenchCall::Warn, t(0.02, 0.15)));
    assert_eq!(call("other"), (BenchCall::Warn, t(0.10, 0.25)));
}

#[test]
fn capability_memory_is_over_within_or_said_to_be_unknown() {
    use crate::model::TestsPeak;
    use crate::policy::Severity;
    let config = crate::config::parse(
        "[[capability]]\nname = \"a\"\ntests = \"all()\"\nmemory = \"16MiB\"\n\
         [[capability]]\nname = \"b\"\ntests = \"all()\"\nmemory = \"16MiB\"\n\
         [[capability]]\nname = \"c\"\ntests = \"all()\"\nmemory = \"16MiB\"\n\
         [[capability]]\nname = \"d\"\ntests = \"all()\"\nmemory = \"16MiB\"\n",
        std::path::Path::new("budget.toml"),
    )
    .unwrap()
    .config;
    let measured = |mib: u64| TestsPeak::Measured {
        bytes: mib << 20,
        test: "fx tests::t".into(),
        tests: 2,
    };
    let peaks = vec![
        ("a".to_string(), measured(48)),
        ("b".to_string(), measured(1)),
        (
            "c".to_string(),
            TestsPeak::NotMeasured("wrappers are off".into()),
        ),
    ];
    let found = super::memory::findings(&config, &peaks, Severity::Error);
    let got: Vec<(Severity, &str, String)> = found
        .iter()
        .map(|f| (f.severity, f.kind().as_str(), subject(f).to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (Severity::Error, "capability-over-memory", "a".into()),
            (Severity::Info, "capability-memory-within", "b".into()),
            (
                Severity::Warning,
                "capability-memory-not-measured",
                "c".into()
            ),
            (
                Severity::Warning,
                "capability-memory-not-measured",
                "d".into()
            ),
        ]
    );
    // The numbers the report words: the budget and the peak (or why it is not known).
    assert_eq!(
        found[0].payload,
        Payload::CapabilityMemory {
            budget: 16 << 20,
            peak: Some(measured(48)),
        }
    );
    assert_eq!(
        found[3].payload,
        Payload::CapabilityMemory {
            budget: 16 << 20,
            peak: None,
        }
    );
}

/// A benchmark with too few samples on either side is never left out of the comparison: it is
/// unjudged, with the side that is short, and the judge fails on it in every context and
/// phase; one with too few and no baseline to compare with fails too.
#[test]
fn too_few_samples_fail_never_pass() {
    let config = |phase: &str| {
        let text = format!("phase = \"{phase}\"\n");
        crate::config::parse(&text, std::path::Path::new("budget.toml"))
            .unwrap()
            .config
    };
    let many = || samples(100.0, 0.01, 50);
    let slower = || samples(129.0, 0.01, 50);
    // (baseline samples, current samples, why it is unjudged (None: compared))
    let cases: [(Vec<f64>, Vec<f64>, Option<Unjudgeable>); 5] = [
        (many(), slower(), None),
        (many(), vec![129.0], Some(Unjudgeable::FewNow(1))),
        (many(), vec![], Some(Unjudgeable::FewNow(0))),
        (vec![100.0], slower(), Some(Unjudgeable::FewInBaseline(1))),
        // Far enough apart that the ratio is not a float.
        (
            samples(1e-300, 0.01, 10),
            samples(1e300, 0.01, 10),
            Some(Unjudgeable::NotFinite),
        ),
    ];
    for (before, after, reason) in cases {
        let base = [bench("x", before.clone())];
        let now = [bench("x", after.clone())];
        let c = compare(&base, &now, T, Vec::new());
        let got: Vec<Unjudgeable> = c.unjudged.iter().map(|u| u.why).collect();
        assert_eq!(
            got,
            reason.into_iter().collect::<Vec<_>>(),
            "{before:?} {after:?}"
        );
        assert_eq!(c.deltas.len(), usize::from(reason.is_none()), "{c:?}");
        for phase in ["strict", "measure"] {
            let v = judge(
                &config(phase),
                crate::config::Context::Dev,
                BenchInputs {
                    results: now.to_vec(),
                    not_measured: Vec::new(),
                    failed: Vec::new(),
                    not_counted: Vec::new(),
                    comparison: Some(c.clone()),
                    baseline: None,
                    peaks: Vec::new(),
                    locations: Default::default(),
                },
            );
            let unjudged: Vec<_> = v
                .findings
                .iter()
                .filter_map(|f| match &f.payload {
                    Payload::BenchUnjudged { why } => Some((subject(f), f.severity, *why)),
                    _ => None,
                })
                .collect();
            match reason {
                Some(r) => {
                    assert_eq!(unjudged, [("x", crate::policy::Severity::Error, r)]);
                    assert_eq!(v.status, crate::policy::Status::Violations, "{phase}");
                }
                None => assert!(unjudged.is_empty(), "{unjudged:?}"),
            }
        }
    }
    // No baseline: a benchmark with one sample still cannot pass.
    let v = judge(
        &config("strict"),
        crate::config::Context::Dev,
        BenchInputs {
            results: vec![bench("alone", vec![5.0]), bench("fine", many())],
            not_measured: Vec::new(),
            failed: Vec::new(),
            not_counted: Vec::new(),
            comparison: None,
            baseline: None,
            peaks: Vec::new(),
            locations: Default::default(),
        },
    );
    let found: Vec<(&str, FindingKind)> =
        v.findings.iter().map(|f| (subject(f), f.kind())).collect();
    assert_eq!(found, [("alone", FindingKind::BenchUnjudged)]);
    assert_eq!(
        v.findings[0].payload,
        Payload::BenchUnjudged {
            why: Unjudgeable::Few(1)
        }
    );
    assert_eq!(v.status, crate::policy::Status::Violations);
}
