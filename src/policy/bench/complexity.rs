//! Complexity claims (`complexity = "O(n)"` on a capability) checked on parametrized criterion
//! groups (`BenchmarkId::new("f", n)`: numeric values are input sizes).
//!
//! The exponent is the slope of log(time) against log(n), by least squares, with a Student-t
//! 95 % interval (k sizes, k − 2 degrees of freedom). A claim is exceeded when the exponent is
//! over the claim's by more than [`TOLERANCE`] and its whole interval is over the claim's: a
//! quadratic group claimed `O(n)` fits ≈ 2 and is exceeded; a linear one fits ≈ 1 and passes.
//! The exponent cannot tell `O(n)` from `O(n log n)` (their slopes differ by 1 / ln n), nor
//! `O(1)` from `O(log n)`; the best-fitting class, as the Python `big_O` library chooses it
//! (each class's least-squares fit of time = a + b·f(n), residuals relative to the time, the
//! smallest wins; a more complex class must halve a simpler one's residuals), is reported
//! beside it, for information.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::model::{BenchResult, Complexity, Estimate};

/// How far over the claimed exponent a fitted one may be (in exponent units).
pub const TOLERANCE: f64 = 0.25;
/// Fewer sizes than this, or a span under [`MIN_SPAN`], fit nothing worth a verdict.
pub const MIN_SIZES: usize = 3;
pub const MIN_SPAN: f64 = 10.0;

pub use crate::policy::verdict::bench::{ComplexityCall, Fit, Unfit};

/// The parametrized series among `results`: (group/function, [(size, ns per iteration)]),
/// sizes ascending; results whose value is not a number are not sizes.
pub fn series(results: &[&BenchResult]) -> Vec<(String, Vec<(f64, f64)>)> {
    let mut by: std::collections::BTreeMap<String, Vec<(f64, f64)>> = Default::default();
    for r in results {
        let Some(n) = r.value.as_deref().and_then(|v| v.parse::<f64>().ok()) else {
            continue;
        };
        if n <= 0.0 || r.estimates.mean.point <= 0.0 {
            continue;
        }
        let name = match &r.function {
            Some(f) => format!("{}/{f}", r.group),
            None => r.group.clone(),
        };
        by.entry(name)
            .or_default()
            .push((n, r.estimates.mean.point));
    }
    by.into_iter()
        .map(|(k, mut v)| {
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            (k, v)
        })
        .collect()
}

/// Judges `claim` on one series.
pub fn judge(claim: Complexity, series: &str, points: &[(f64, f64)]) -> ComplexityCall {
    let sizes: Vec<f64> = points.iter().map(|p| p.0).collect();
    let span = match (sizes.first(), sizes.last()) {
        (Some(a), Some(b)) => b / a,
        _ => 0.0,
    };
    if sizes.len() < MIN_SIZES || span < MIN_SPAN {
        return ComplexityCall::Unfit {
            series: series.to_string(),
            why: Unfit::TooFew {
                sizes: sizes.len(),
                span,
            },
        };
    }
    let Some(exponent) = slope(points) else {
        return ComplexityCall::Unfit {
            series: series.to_string(),
            why: Unfit::NoLine,
        };
    };
    let fit = Fit {
        series: series.to_string(),
        sizes,
        exponent,
        best: best_class(points),
    };
    let claimed = claim.exponent();
    match exponent.point > claimed + TOLERANCE && exponent.lower > claimed {
        true => ComplexityCall::Exceeded(fit),
        false => ComplexityCall::Within(fit),
    }
}

/// The least-squares slope of log(time) on log(n), with its 95 % interval.
fn slope(points: &[(f64, f64)]) -> Option<Estimate> {
    let xy: Vec<(f64, f64)> = points.iter().map(|(n, t)| (n.ln(), t.ln())).collect();
    let k = xy.len() as f64;
    let (mx, my) = (
        xy.iter().map(|p| p.0).sum::<f64>() / k,
        xy.iter().map(|p| p.1).sum::<f64>() / k,
    );
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let b = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx;
    let a = my - b * mx;
    let rss: f64 = xy.iter().map(|p| (p.1 - a - b * p.0).powi(2)).sum();
    let df = k - 2.0;
    let se = (rss / df / sxx).sqrt();
    let t = StudentsT::new(0.0, 1.0, df).ok()?.inverse_cdf(0.975);
    Some(Estimate {
        point: b,
        lower: b - t * se,
        upper: b + t * se,
    })
}

/// The class whose fit time = a + b·f(n) (b ≥ 0) leaves the smallest residuals relative to the
/// times; a more complex class must halve the residuals of the best simpler one.
fn best_class(points: &[(f64, f64)]) -> Complexity {
    let mut best = (Complexity::Constant, rss(Complexity::Constant, points));
    for c in &Complexity::ALL[1..] {
        let r = rss(*c, points);
        if r < best.1 * 0.5 {
            best = (*c, r);
        }
    }
    best.0
}

/// Σ ((t − fit) / t)² of the weighted least-squares fit t = a + b·f(n), b ≥ 0.
fn rss(class: Complexity, points: &[(f64, f64)]) -> f64 {
    // Weights 1/t²: each point's error relative to its own time.
    let w: Vec<f64> = points.iter().map(|(_, t)| 1.0 / (t * t)).collect();
    let f: Vec<f64> = points.iter().map(|(n, _)| class.f(*n)).collect();
    let t: Vec<f64> = points.iter().map(|(_, t)| *t).collect();
    let sw: f64 = w.iter().sum();
    let mf = w.iter().zip(&f).map(|(w, f)| w * f).sum::<f64>() / sw;
    let mt = w.iter().zip(&t).map(|(w, t)| w * t).sum::<f64>() / sw;
    let sff: f64 = w.iter().zip(&f).map(|(w, f)| w * (f - mf).powi(2)).sum();
    let b = match sff > 0.0 {
        true => (w
            .iter()
            .zip(&f)
            .zip(&t)
            .map(|((w, f), t)| w * (f - mf) * (t - mt))
            .sum::<f64>()
            / sff)
            .max(0.0),
        false => 0.0,
    };
    let a = mt - b * mf;
    t.iter()
        .zip(&f)
        .map(|(t, f)| ((t - a - b * f) / t).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(sizes: &[f64], time: impl Fn(f64) -> f64, wobble: &[f64]) -> Vec<(f64, f64)> {
        sizes
            .iter()
            .zip(wobble.iter().cycle())
            .map(|(n, w)| (*n, time(*n) * w))
            .collect()
    }

    const SIZES: [f64; 5] = [100.0, 300.0, 1000.0, 3000.0, 10000.0];
    // ±4 % of noise, in no particular pattern.
    const WOBBLE: [f64; 5] = [1.03, 0.97, 1.04, 0.98, 1.01];

    #[test]
    fn claims_table() {
        let quadratic = points(&SIZES, |n| 50.0 + 0.3 * n * n, &WOBBLE);
        let linear = points(&SIZES, |n| 200.0 + 12.0 * n, &WOBBLE);
        let nlogn = points(&SIZES, |n| 3.0 * n * n.ln(), &WOBBLE);
        let constant = points(&SIZES, |_| 80.0, &WOBBLE);
        let cases = [
            (Complexity::Linear, &quadratic, true, Complexity::Quadratic),
            (
                Complexity::Quadratic,
                &quadratic,
                false,
                Complexity::Quadratic,
            ),
            (Complexity::Linear, &linear, false, Complexity::Linear),
            (Complexity::Constant, &linear, true, Complexity::Linear),
            (Complexity::Linear, &nlogn, false, Complexity::Linearithmic),
            (Complexity::Constant, &constant, false, Complexity::Constant),
        ];
        for (claim, pts, exceeded, best) in cases {
            match judge(claim, "f", pts) {
                ComplexityCall::Exceeded(fit) => {
                    assert!(exceeded, "{claim:?} {fit:?}");
                    assert_eq!(fit.best, best, "{fit:?}");
                }
                ComplexityCall::Within(fit) => {
                    assert!(!exceeded, "{claim:?} {fit:?}");
                    assert_eq!(fit.best, best, "{fit:?}");
                }
                other => panic!("{other:?}"),
            }
        }
        let ComplexityCall::Exceeded(q) = judge(Complexity::Linear, "f", &quadratic) else {
            unreachable!()
        };
        assert!((q.exponent.point - 2.0).abs() < 0.1, "{q:?}");
        let ComplexityCall::Within(l) = judge(Complexity::Linear, "f", &linear) else {
            unreachable!()
        };
        assert!((l.exponent.point - 1.0).abs() < 0.15, "{l:?}");
    }

    #[test]
    fn too_few_sizes_or_too_narrow_a_span_is_said() {
        let two = points(&[100.0, 10000.0], |n| n, &[1.0]);
        let narrow = points(&[100.0, 200.0, 400.0, 800.0], |n| n, &[1.0]);
        for pts in [two, narrow] {
            assert!(
                matches!(
                    judge(Complexity::Linear, "f", &pts),
                    ComplexityCall::Unfit { .. }
                ),
                "{pts:?}"
            );
        }
    }
}
