//! Robust trend statistics: the Theil–Sen slope (the median of the pairwise slopes, which a
//! few outliers cannot move) and the Mann–Kendall test (is there a monotonic trend at all?).

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::statistics::{Data, OrderStatistics};

pub fn median(xs: &[f64]) -> f64 {
    Data::new(xs.to_vec()).median()
}

/// The median of the slopes between every pair of points with different x.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<f64> {
    let mut slopes = Vec::new();
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            if b.0 != a.0 {
                slopes.push((b.1 - a.1) / (b.0 - a.0));
            }
        }
    }
    (!slopes.is_empty()).then(|| median(&slopes))
}

/// The Mann–Kendall test on `points` ordered by x: the S statistic (concordant minus
/// discordant pairs; pairs tied in x or y count 0) and the one-sided p-value of an upward
/// trend, from the normal approximation with the variance corrected for ties in y and the
/// continuity correction.
pub fn mann_kendall(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len();
    let mut s = 0.0;
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            // `f64::signum` of 0 is 1: ties are compared, not signed.
            let d = (b.1 - a.1) * (b.0 - a.0);
            if b.0 != a.0 && d != 0.0 {
                s += if d > 0.0 { 1.0 } else { -1.0 };
            }
        }
    }
    let nf = n as f64;
    let mut var = nf * (nf - 1.0) * (2.0 * nf + 5.0) / 18.0;
    let mut ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    ys.sort_by(f64::total_cmp);
    for group in ys.chunk_by(|a, b| a == b).filter(|g| g.len() > 1) {
        let t = group.len() as f64;
        var -= t * (t - 1.0) * (2.0 * t + 5.0) / 18.0;
    }
    if var <= 0.0 {
        return (s, 1.0);
    }
    let z = if s > 0.0 {
        (s - 1.0) / var.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var.sqrt()
    } else {
        0.0
    };
    let normal = Normal::standard();
    (s, 1.0 - normal.cdf(z))
}

/// The interquartile range ÷ 1.349: the standard deviation of normal data, robust to a few
/// outliers, and (unlike the median absolute deviation) not zero for a series that jumps
/// between two values with most points on one of them.
pub fn robust_sd(xs: &[f64]) -> f64 {
    let mut data = Data::new(xs.to_vec());
    (data.upper_quartile() - data.lower_quartile()) / 1.349
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_and_trend_on_known_series() {
        let line: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, 2.0 * i as f64 + 1.0)).collect();
        assert_eq!(theil_sen(&line), Some(2.0));
        let (s, p) = mann_kendall(&line);
        // 45 concordant pairs; var = 10·9·25/18 = 125; z = 44/√125 = 3.94.
        assert_eq!(s, 45.0);
        assert!((p - 4.1e-5).abs() < 1e-5, "{p}");
        // One wild point does not move the slope.
        let mut outlier = line.clone();
        outlier[5].1 = 1000.0;
        assert_eq!(theil_sen(&outlier), Some(2.0));
        // No trend: alternating values.
        let flat: Vec<(f64, f64)> = (0..10)
            .map(|i| (i as f64, if i % 2 == 0 { 200.0 } else { 600.0 }))
            .collect();
        assert!(mann_kendall(&flat).1 > 0.3, "{:?}", mann_kendall(&flat));
        assert!(robust_sd(&[200.0, 600.0, 200.0, 600.0, 200.0]) > 200.0);
        let steady = robust_sd(&[100.0, 101.0, 99.0, 100.5, 99.5, 100.0]);
        assert!(steady > 0.3 && steady < 1.5, "{steady}");
        // Every y tied: no variance, no trend.
        assert_eq!(mann_kendall(&[(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)]).1, 1.0);
    }
}
