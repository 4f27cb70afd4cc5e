use super::*;
use crate::model::Estimates;

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
        throughput: None,
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
fn a_uniformly_slower_machine_is_not_a_regression() {
    let base = [
        bench("a", samples(100.0, 0.01, 30)),
        bench("b", samples(200.0, 0.01, 30)),
        bench("c", samples(50.0, 0.01, 30)),
        bench("d", samples(80.0, 0.01, 30)),
    ];
    // Everything 1.5× slower (the machine), and `d` 30 % slower on top of that.
    let now = [
        bench("a", samples(150.0, 0.01, 30)),
        bench("b", samples(300.0, 0.01, 30)),
        bench("c", samples(75.0, 0.01, 30)),
        bench("d", samples(80.0 * 1.5 * 1.3, 0.01, 30)),
        bench("e", samples(10.0, 0.01, 30)),
    ];
    let c = compare(&base[..3], &now, T, Vec::new());
    assert_eq!(c.factor.map(|f| (f * 100.0).round()), Some(150.0));
    assert!(c.deltas.iter().all(|d| d.call == BenchCall::Unchanged));
    assert_eq!(c.new, ["d", "e"]);
    let c = compare(&base, &now[..4], T, Vec::new());
    let calls: Vec<(&str, BenchCall)> = c.deltas.iter().map(|d| (d.id.as_str(), d.call)).collect();
    assert_eq!(
        calls,
        [
            ("d", BenchCall::Fail),
            ("a", BenchCall::Unchanged),
            ("b", BenchCall::Unchanged),
            ("c", BenchCall::Unchanged)
        ]
    );
    // Too few benchmarks for a machine factor: the change is taken at face value.
    let c = compare(&base[..2], &now[..2], T, Vec::new());
    assert_eq!(c.factor, None);
    assert!(c.deltas.iter().all(|d| d.call == BenchCall::Fail));
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
