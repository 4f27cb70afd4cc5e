use super::*;

fn series(name: &str, budget_ms: f64, ms: &[f64]) -> Series {
    Series {
        test: TestId::new("fx::unit", name),
        tier: "unit".into(),
        budget_ms,
        points: ms
            .iter()
            .enumerate()
            .map(|(i, ms)| Point { commit: i, ms: *ms })
            .collect(),
    }
}

fn kinds(s: &[Series]) -> Vec<(&'static str, String)> {
    analyze(s, TrendSettings::default())
        .1
        .into_iter()
        .map(|f| (f.kind().as_str(), f.test.name))
        .collect()
}

#[test]
fn drift_flakiness_and_headroom_on_known_series() {
    let growing: Vec<f64> = (0..10).map(|i| 300.0 * 1.04f64.powi(i)).collect();
    let stable: Vec<f64> = (0..10)
        .map(|i| 300.0 + [3.0, -2.0, 1.0, -4.0, 2.0][i % 5])
        .collect();
    let alternating: Vec<f64> = (0..10)
        .map(|i| if i % 2 == 0 { 200.0 } else { 600.0 })
        .collect();
    let near: Vec<f64> = (0..10).map(|i| 950.0 + [4.0, -3.0, 2.0][i % 3]).collect();
    // One jump of +30 %: a regression the baseline comparison catches, not drift.
    let step: Vec<f64> = (0..10).map(|i| if i < 5 { 300.0 } else { 390.0 }).collect();
    let got = kinds(&[
        series("growing", 10_000.0, &growing),
        series("stable", 10_000.0, &stable),
        series("alternating", 10_000.0, &alternating),
        series("near", 1_000.0, &near),
        series("step", 10_000.0, &step),
    ]);
    assert_eq!(
        got,
        [
            ("drift", "growing".to_string()),
            ("timing-flaky", "alternating".to_string()),
            ("near-budget", "near".to_string()),
        ]
    );
    let (trends, findings) = analyze(
        &[series("growing", 10_000.0, &growing)],
        TrendSettings::default(),
    );
    let t = &trends[0];
    assert!((t.change.unwrap() - 0.42).abs() < 0.03, "{t:?}");
    assert!((t.largest_step.unwrap() - 0.04).abs() < 1e-9, "{t:?}");
    match findings[0].payload {
        TrendPayload::Drift {
            runs,
            change,
            largest_step,
            ..
        } => {
            assert_eq!(runs, 10);
            assert_eq!(
                (change, Some(largest_step)),
                (t.change.unwrap(), t.largest_step)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn too_few_runs_say_nothing_about_a_trend() {
    let growing: Vec<f64> = (0..4).map(|i| 300.0 * 1.2f64.powi(i)).collect();
    assert_eq!(kinds(&[series("short", 10_000.0, &growing)]), []);
    // The window: only the last runs count (a test that drifted long ago and is flat now).
    let mut old: Vec<f64> = (0..10).map(|i| 300.0 * 1.04f64.powi(i)).collect();
    old.extend([430.0; 20]);
    assert_eq!(kinds(&[series("old", 10_000.0, &old)]), []);
}

/// Stable tests with ±5 % noise, 500 of them over 20 runs: no drift, no flakiness.
#[test]
fn noise_alone_raises_no_drift() {
    let mut rng = fastrand::Rng::with_seed(7);
    let all: Vec<Series> = (0..500)
        .map(|k| {
            let ms: Vec<f64> = (0..20)
                .map(|_| 400.0 * (1.0 + 0.1 * (rng.f64() - 0.5)))
                .collect();
            series(&format!("t{k}"), 10_000.0, &ms)
        })
        .collect();
    assert_eq!(kinds(&all), []);
}
