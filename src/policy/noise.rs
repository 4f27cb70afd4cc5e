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
