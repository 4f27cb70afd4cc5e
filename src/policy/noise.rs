//! The noise model's two measures (docs/measurement.md): a test's own spread over several runs,
//! and the suite factor — how much slower the whole suite runs today than when the baseline was
//! recorded, read as the median ratio over the tests long enough to time. Pure.

use std::time::Duration;

/// One test's durations over several runs, in run order, with their median and range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spread {
    /// In the order the runs were made.
    pub samples: Vec<Duration>,
    pub min: Duration,
    /// The mean of the middle two for an even count.
    pub median: Duration,
    pub max: Duration,
}

/// The median of a sorted, non-empty sample.
pub fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

impl Spread {
    /// `None` for no samples.
    pub fn of(samples: Vec<Duration>) -> Option<Spread> {
        let mut sorted = samples.clone();
        sorted.sort_unstable();
        Some(Spread {
            min: *sorted.first()?,
            median: median(&sorted),
            max: *sorted.last()?,
            samples,
        })
    }

    pub fn runs(&self) -> u32 {
        self.samples.len() as u32
    }

    pub fn summary(&self) -> Summary {
        Summary {
            runs: self.runs(),
            min: self.min,
            median: self.median,
            max: self.max,
        }
    }

    /// How far apart the runs are, relative to the fastest: (max − min) / min.
    pub fn width(&self) -> f64 {
        self.summary().width()
    }

    /// The runs disagree by more than `fraction` of the fastest and by more than `floor`: one
    /// more run of this test cannot tell a change of that size from noise.
    pub fn is_wide(&self, fraction: f64, floor: Duration) -> bool {
        self.summary().is_wide(fraction, floor)
    }
}

/// A spread's numbers without its samples: what judging a test needs, kept on the stack for
/// the 100,000 tests a comparison may go through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub runs: u32,
    pub min: Duration,
    pub median: Duration,
    pub max: Duration,
}

impl Summary {
    pub fn one(d: Duration) -> Summary {
        Summary {
            runs: 1,
            min: d,
            median: d,
            max: d,
        }
    }

    /// Of runs in milliseconds (a baseline's); `None` for none.
    pub fn of_ms(ms: &[u64]) -> Option<Summary> {
        let mut small = [0u64; 16];
        let mut large = Vec::new();
        let sorted: &mut [u64] = if ms.len() <= small.len() {
            small[..ms.len()].copy_from_slice(ms);
            &mut small[..ms.len()]
        } else {
            large.extend_from_slice(ms);
            &mut large
        };
        sorted.sort_unstable();
        let n = sorted.len();
        let median = match n {
            0 => return None,
            _ if n % 2 == 1 => Duration::from_millis(sorted[n / 2]),
            _ => {
                (Duration::from_millis(sorted[n / 2 - 1]) + Duration::from_millis(sorted[n / 2]))
                    / 2
            }
        };
        Some(Summary {
            runs: n as u32,
            min: Duration::from_millis(sorted[0]),
            median,
            max: Duration::from_millis(sorted[n - 1]),
        })
    }

    /// How far apart the runs are, relative to the fastest: (max − min) / min.
    pub fn width(&self) -> f64 {
        let min = self.min.as_secs_f64();
        let range = (self.max - self.min).as_secs_f64();
        if range == 0.0 {
            0.0
        } else if min == 0.0 {
            f64::INFINITY
        } else {
            range / min
        }
    }

    /// See [`Spread::is_wide`].
    pub fn is_wide(&self, fraction: f64, floor: Duration) -> bool {
        self.runs >= 2 && self.width() > fraction && self.max - self.min > floor
    }

    /// `ln(max / min)`; a zero fastest run counts as a millisecond.
    pub fn log_range(&self) -> f64 {
        let min = self.min.as_secs_f64().max(1e-3);
        (self.max.as_secs_f64().max(min) / min).ln()
    }

    /// [`width`](Self::width) with a zero fastest run counted as a millisecond: always finite.
    pub fn finite_width(&self) -> f64 {
        self.log_range().exp() - 1.0
    }
}

/// Whether a test whose runs spread `width` (relative, judged: see [`judged_width`]) from its
/// fastest run `min` is too noisy to be judged on its median: wider than `fail`, and by more
/// than `floor` in absolute terms. Runs a few milliseconds apart are no noise to speak of,
/// however large a share of a tiny test that is (7 and 11 ms are 57 % apart, and 4 ms).
pub fn is_noisy(min: Duration, width: f64, fail: f64, floor: Duration) -> bool {
    // The spread in whole microseconds: 19 ms × (39/19 − 1) is 20 ms, not a hair over.
    let spread = (min.max(MIN_TIME).as_secs_f64() * width * 1e6).round();
    width > fail && spread > floor.as_micros() as f64
}

/// The top of a noisy test's band: the slowest time its spread allows — its slowest run, or
/// its fastest widened by its judged `width` when its group says it spreads wider than its
/// own few runs did.
pub fn band_top(runs: Summary, width: f64) -> Duration {
    let widened = runs.min.max(MIN_TIME).as_secs_f64() * (1.0 + width);
    runs.max.max(Duration::from_secs_f64(widened.min(1e9)))
}

/// The resolution of a test's time (nextest's JUnit has milliseconds): a ratio against a
/// shorter time is taken against this, so a 0 ms baseline does not make 5 ms "+500000000 %".
pub const MIN_TIME: Duration = Duration::from_millis(1);

/// How much the tests of one binary — and of the whole suite — move between runs: the median,
/// over the tests with two or more baseline runs whose median is above the noise floor, of the
/// log range `ln(slowest / fastest)`. Three runs of one test are thin evidence of how noisy it
/// is (a quickcheck test drawing random inputs can give 69, 77 and 88 ms, then 120–190 ms for
/// ever after); its neighbours say what kind of test it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoisePriors {
    by_binary: rustc_hash::FxHashMap<String, f64>,
    suite: Option<f64>,
}

/// Fewer tests than this make no prior.
pub const MIN_TESTS_FOR_PRIOR: usize = 5;

/// A test whose own runs spread less than this share of its group's typical spread is clearly
/// steadier than its group, and is judged on its own runs. (Three runs of a test as noisy as its
/// group fall that tight less than one time in ten.)
pub const STEADIER_THAN_GROUP: f64 = 0.25;

impl NoisePriors {
    /// From `(binary id, summary)` of every baseline test.
    pub fn of<'a>(tests: impl IntoIterator<Item = (&'a str, Summary)>, floor: Duration) -> Self {
        let mut by_binary: rustc_hash::FxHashMap<&str, Vec<f64>> = Default::default();
        let mut all = Vec::new();
        for (binary, s) in tests {
            if s.runs >= 2 && s.median > floor {
                let r = s.log_range();
                by_binary.entry(binary).or_default().push(r);
                all.push(r);
            }
        }
        let median = |mut v: Vec<f64>| {
            (v.len() >= MIN_TESTS_FOR_PRIOR).then(|| {
                v.sort_unstable_by(f64::total_cmp);
                let n = v.len();
                if n % 2 == 1 {
                    v[n / 2]
                } else {
                    (v[n / 2 - 1] + v[n / 2]) / 2.0
                }
            })
        };
        NoisePriors {
            by_binary: by_binary
                .into_iter()
                .filter_map(|(b, v)| Some((b.to_string(), median(v)?)))
                .collect(),
            suite: median(all),
        }
    }

    /// The prior for a test of `binary`: its binary's, else the suite's (`None`: neither has
    /// enough tests).
    pub fn for_binary(&self, binary: &str) -> Option<f64> {
        self.by_binary.get(binary).copied().or(self.suite)
    }
}

/// How widely a test's runs spread, as a relative width (`exp(r) − 1` of a log range `r`),
/// judged with its group's typical log range `prior`: its own when it is clearly steadier than
/// its group (under [`STEADIER_THAN_GROUP`] of it), else the wider of its own and its group's —
/// a few runs as spread as its neighbours' typically are say it is one of them, even when
/// these few happened to agree.
/// A test with one run has no spread of its own: its group's is all there is.
pub fn judged_width(own: Summary, prior: Option<f64>) -> f64 {
    let r = own.log_range();
    let r = match prior {
        Some(p) if own.runs < 2 || r >= STEADIER_THAN_GROUP * p => r.max(p),
        _ => r,
    };
    r.exp() - 1.0
}

/// The whole suite against the baseline: the median of the tests' now / before ratios.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SuiteFactor {
    /// now / before (1.4: the typical test takes 40 % longer than in the baseline).
    pub ratio: f64,
    /// How many tests it is the median over.
    pub tests: usize,
    /// Whether tests are judged against it: only when the suite is slower by more than the
    /// warn threshold. Within that, the machine counts as unchanged.
    pub applied: bool,
}

impl SuiteFactor {
    /// What a test's baseline duration is multiplied by before it is compared: the ratio when
    /// applied, else 1. Never below 1: a faster machine does not make tests regress.
    pub fn scale(&self) -> f64 {
        if self.applied { self.ratio } else { 1.0 }
    }
}

/// Fewer tests than this above the noise floor say nothing about the machine.
pub const MIN_TESTS_FOR_FACTOR: usize = 5;

/// The suite factor over `(before, now)` median pairs. Only tests whose baseline is above
/// `floor` count: below it, process start-up and scheduling dominate what is timed. `None`
/// when fewer than [`MIN_TESTS_FOR_FACTOR`] tests qualify.
pub fn suite_factor(
    pairs: impl IntoIterator<Item = (Duration, Duration)>,
    floor: Duration,
    warn: f64,
) -> Option<SuiteFactor> {
    let mut logs: Vec<f64> = pairs
        .into_iter()
        .filter(|(before, now)| *before > floor && !now.is_zero())
        .map(|(before, now)| (now.as_secs_f64() / before.as_secs_f64()).ln())
        .collect();
    if logs.len() < MIN_TESTS_FOR_FACTOR {
        return None;
    }
    logs.sort_unstable_by(f64::total_cmp);
    let n = logs.len();
    let mid = if n % 2 == 1 {
        logs[n / 2]
    } else {
        (logs[n / 2 - 1] + logs[n / 2]) / 2.0
    };
    let ratio = mid.exp();
    Some(SuiteFactor {
        ratio,
        tests: n,
        applied: ratio > 1.0 + warn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    fn spread(v: &[u64]) -> Spread {
        Spread::of(v.iter().map(|&m| ms(m)).collect()).unwrap()
    }

    #[test]
    fn spreads_keep_run_order_and_measure_width() {
        let s = spread(&[215, 88, 436]);
        assert_eq!(s.samples, [ms(215), ms(88), ms(436)]);
        assert_eq!((s.min, s.median, s.max), (ms(88), ms(215), ms(436)));
        assert!((s.width() - (436.0 - 88.0) / 88.0).abs() < 1e-9);
        assert_eq!(spread(&[10, 20, 30, 40]).median, ms(25));
        assert!(Spread::of(Vec::new()).is_none());
        assert_eq!(spread(&[0, 0]).width(), 0.0);
        assert_eq!(spread(&[0, 3]).width(), f64::INFINITY);
    }

    #[test]
    fn noisy_needs_a_wide_spread_past_the_floor_and_its_band_tops_its_runs() {
        let floor = ms(20);
        // (runs, judged width, noisy under a 25 % fail threshold, band top)
        let table: [(&[u64], f64, bool, u64); 6] = [
            (&[7, 9, 11], 0.57, false, 11),                // 57 % apart, but 4 ms
            (&[19, 20, 39], 39.0 / 19.0 - 1.0, false, 39), // exactly the floor apart
            (&[100, 200, 300], 2.0, true, 300),
            (&[195, 200, 205], 0.05, false, 205),
            (&[100, 110, 120], 1.0, true, 200), // its group spreads wider: widened from 100
            (&[0, 0, 40], 39.0, true, 40),      // a 0 ms run counts as 1 ms: 39× wider, finite
        ];
        for (runs, width, noisy, top) in table {
            let s = Summary::of_ms(runs).unwrap();
            assert_eq!(is_noisy(s.min, width, 0.25, floor), noisy, "{runs:?}");
            assert_eq!(band_top(s, width), ms(top), "{runs:?}");
            assert!(s.finite_width().is_finite());
        }
    }

    #[test]
    fn summaries_of_milliseconds_match_spreads() {
        for v in [
            &[215u64, 88, 436][..],
            &[10, 40, 20, 30],
            &[7],
            &(0..40).collect::<Vec<_>>(),
        ] {
            assert_eq!(Summary::of_ms(v), Some(spread(v).summary()), "{v:?}");
        }
        assert_eq!(Summary::of_ms(&[]), None);
        assert_eq!(Summary::one(ms(9)), spread(&[9]).summary());
    }

    #[test]
    fn a_thin_tight_baseline_in_a_noisy_binary_is_noisy() {
        let floor = ms(20);
        let noisy_binary = [
            &[47u64, 74, 40][..],
            &[128, 76, 42],
            &[61, 148, 71],
            &[45, 102, 113],
            &[131, 80, 39],
            &[97, 46, 119],
        ];
        let calm_binary = [
            &[1000u64, 1010, 1005][..],
            &[300, 303, 301],
            &[50, 51, 52],
            &[80, 82, 81],
            &[120, 121, 119],
        ];
        let summaries: Vec<(&str, Summary)> = noisy_binary
            .iter()
            .map(|v| ("it::test_std", Summary::of_ms(v).unwrap()))
            .chain(
                calm_binary
                    .iter()
                    .map(|v| ("app::unit", Summary::of_ms(v).unwrap())),
            )
            .collect();
        let priors = NoisePriors::of(summaries, floor);
        // The real case: 69, 77 and 88 ms among siblings that spread 40–190 ms.
        let lucky = Summary::of_ms(&[88, 69, 77]).unwrap();
        assert!(lucky.width() < 0.28);
        let w = judged_width(lucky, priors.for_binary("it::test_std"));
        assert!(w > 0.9, "{w}");
        // A steady test is steady among steady tests, and judged on its own runs among noisy
        // ones: three runs that close are no accident there.
        let steady = Summary::of_ms(&[1500, 1502, 1511]).unwrap();
        assert!(judged_width(steady, priors.for_binary("app::unit")) < 0.02);
        let w = judged_width(steady, priors.for_binary("it::test_std"));
        assert!((w - steady.width()).abs() < 1e-9, "{w}");
        // A noisy test among steady ones keeps its own width.
        let wide = Summary::of_ms(&[100, 160, 130]).unwrap();
        assert!((judged_width(wide, priors.for_binary("app::unit")) - 0.6).abs() < 1e-9);
        // A binary with too few tests borrows the suite's; without a prior, a test's own width.
        assert_eq!(priors.for_binary("elsewhere"), priors.suite);
        assert!(priors.suite.is_some());
        assert!((judged_width(lucky, None) - lucky.width()).abs() < 1e-9);
        // One run: the group's spread.
        let once = Summary::one(ms(80));
        assert!(judged_width(once, priors.for_binary("it::test_std")) > 0.9);
        assert_eq!(judged_width(once, None), 0.0);
    }

    #[test]
    fn wide_means_wider_than_the_threshold_and_the_floor() {
        let floor = ms(20);
        let table: [(&[u64], bool); 7] = [
            (&[88, 215, 436], true),   // the noisy stress test
            (&[250, 257, 261], false), // tight
            (&[713, 331, 401], true),  // re-runs that disagree
            (&[5, 9, 12], false),      // +140 %, but 7 ms apart: below the floor
            (&[1000, 1300], true),     // +30 % on a long test
            (&[1000, 1240], false),    // +24 %: inside the 25 % threshold
            (&[436], false),           // one run says nothing about spread
        ];
        for (samples, wide) in table {
            assert_eq!(spread(samples).is_wide(0.25, floor), wide, "{samples:?}");
        }
    }

    #[test]
    fn suite_factor_is_the_median_ratio_above_the_floor() {
        let floor = ms(20);
        // Five long tests 1.5× slower, two 3× slower, tiny tests 8× slower: ×1.5.
        let mut pairs = vec![(ms(100), ms(150)); 5];
        pairs.extend([(ms(200), ms(600)), (ms(300), ms(900))]);
        pairs.extend([(ms(5), ms(40)); 20]);
        let f = suite_factor(pairs, floor, 0.10).unwrap();
        assert!((f.ratio - 1.5).abs() < 1e-9, "{f:?}");
        assert_eq!(f.tests, 7);
        assert!(f.applied);
        assert!((f.scale() - 1.5).abs() < 1e-9);

        // Within the warn threshold the machine counts as unchanged.
        let f = suite_factor(vec![(ms(100), ms(108)); 9], floor, 0.10).unwrap();
        assert!(!f.applied);
        assert_eq!(f.scale(), 1.0);
        // Faster: measured, never applied.
        let f = suite_factor(vec![(ms(100), ms(60)); 9], floor, 0.10).unwrap();
        assert!(!f.applied && f.ratio < 1.0);
        // Too few tests above the floor.
        assert_eq!(suite_factor(vec![(ms(100), ms(300)); 4], floor, 0.10), None);
        assert_eq!(suite_factor(vec![(ms(10), ms(300)); 40], floor, 0.10), None);
    }
}
