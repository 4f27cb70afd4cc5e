//! Trends over recorded runs, per test: **drift** (a significant upward trend whose total over
//! the window passes the warn threshold although no single step did), **timing flakiness**
//! (spread around the trend), **headroom** (a median close to the budget). Pure: the caller
//! turns the history into series.

pub mod stats;

use crate::model::TestId;

/// One passing run of a test: the commit's position in the history (0 = oldest) and its time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub commit: usize,
    pub ms: f64,
}

/// A test's passing runs in the order they were recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub test: TestId,
    pub tier: String,
    pub budget_ms: f64,
    pub points: Vec<Point>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendSettings {
    /// The last runs looked at.
    pub window: usize,
    /// A total change over the window past this fraction is drift (the warn threshold).
    pub warn: f64,
    /// Spread around the trend over the median past this fraction is timing flakiness.
    pub flaky: f64,
    /// A median within this fraction below the budget is near it.
    pub headroom: f64,
    /// Changes and spreads smaller than this (ms) are noise, whatever the fractions say.
    pub noise_floor_ms: f64,
}

impl Default for TrendSettings {
    fn default() -> Self {
        TrendSettings {
            window: 20,
            warn: 0.10,
            flaky: 0.30,
            headroom: 0.10,
            noise_floor_ms: 20.0,
        }
    }
}

/// The one-sided significance the Mann–Kendall test must reach: strict, because a suite has
/// hundreds of tests and each is tested.
pub const ALPHA: f64 = 0.01;
/// Fewer runs, or runs on fewer commits, say nothing about a trend.
pub const MIN_RUNS: usize = 6;
pub const MIN_COMMITS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrendKind {
    Drift,
    TimingFlaky,
    NearBudget,
}

impl TrendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TrendKind::Drift => "drift",
            TrendKind::TimingFlaky => "timing-flaky",
            TrendKind::NearBudget => "near-budget",
        }
    }
}

/// What the window of one test shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TestTrend {
    pub test: TestId,
    pub tier: String,
    pub budget_ms: f64,
    /// The runs in the window.
    pub points: Vec<Point>,
    pub median_ms: f64,
    /// Theil–Sen slope (ms per commit) and the Mann–Kendall p-value of an upward trend, with
    /// enough runs.
    pub slope: Option<f64>,
    pub p: Option<f64>,
    /// The fitted change over the window, as a fraction of the fitted start.
    pub change: Option<f64>,
    /// The largest change from one commit to the next (medians), as a fraction.
    pub largest_step: Option<f64>,
    /// Robust spread around the trend over the median.
    pub spread: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrendFinding {
    pub test: TestId,
    pub tier: String,
    pub payload: TrendPayload,
}

/// What a trend finding measured over the test's last `runs` runs, per kind. Sentences are the
/// renderers' job.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TrendPayload {
    /// Slower by small steps: the fitted `change` over the window (a fraction), the Theil–Sen
    /// `slope` (ms per commit) and the Mann–Kendall `p`, although no step between commits
    /// passed `warn` (the `largest_step` did not).
    Drift {
        runs: usize,
        change: f64,
        slope: f64,
        p: f64,
        warn: f64,
        largest_step: f64,
    },
    /// A robust `spread` around the trend (a fraction of the median) past the flaky threshold.
    TimingFlaky {
        runs: usize,
        spread: f64,
        median_ms: f64,
    },
    /// A median within the headroom below its budget.
    NearBudget {
        runs: usize,
        median_ms: f64,
        budget_ms: f64,
    },
}

impl TrendFinding {
    pub fn kind(&self) -> TrendKind {
        match self.payload {
            TrendPayload::Drift { .. } => TrendKind::Drift,
            TrendPayload::TimingFlaky { .. } => TrendKind::TimingFlaky,
            TrendPayload::NearBudget { .. } => TrendKind::NearBudget,
        }
    }
}

/// Every series' window and the findings, sorted by kind then test.
pub fn analyze(series: &[Series], s: TrendSettings) -> (Vec<TestTrend>, Vec<TrendFinding>) {
    let trends: Vec<TestTrend> = series.iter().map(|x| trend(x, s)).collect();
    let mut findings: Vec<TrendFinding> = trends.iter().flat_map(|t| findings(t, s)).collect();
    findings.sort_by(|a, b| a.kind().cmp(&b.kind()).then(a.test.cmp(&b.test)));
    (trends, findings)
}

fn trend(series: &Series, s: TrendSettings) -> TestTrend {
    let skip = series.points.len().saturating_sub(s.window);
    let points: Vec<Point> = series.points[skip..].to_vec();
    let ys: Vec<f64> = points.iter().map(|p| p.ms).collect();
    let xy: Vec<(f64, f64)> = points.iter().map(|p| (p.commit as f64, p.ms)).collect();
    let median_ms = if ys.is_empty() {
        0.0
    } else {
        stats::median(&ys)
    };
    let commits = distinct_commits(&points);
    let fitted = (points.len() >= 4 && commits.len() >= 2)
        .then(|| stats::theil_sen(&xy))
        .flatten();
    let mut t = TestTrend {
        test: series.test.clone(),
        tier: series.tier.clone(),
        budget_ms: series.budget_ms,
        points: points.clone(),
        median_ms,
        slope: fitted,
        p: None,
        change: None,
        largest_step: None,
        spread: None,
    };
    let Some(slope) = fitted else { return t };
    let intercept = stats::median(&xy.iter().map(|(x, y)| y - slope * x).collect::<Vec<_>>());
    let residuals: Vec<f64> = xy
        .iter()
        .map(|(x, y)| y - (intercept + slope * x))
        .collect();
    t.spread = (median_ms > 0.0).then(|| stats::robust_sd(&residuals) / median_ms);
    if points.len() >= MIN_RUNS && commits.len() >= MIN_COMMITS {
        let (first, last) = (xy[0].0, xy[xy.len() - 1].0);
        let start = intercept + slope * first;
        if start > 0.0 {
            t.change = Some(slope * (last - first) / start);
        }
        t.p = Some(stats::mann_kendall(&xy).1);
        let medians: Vec<f64> = commits
            .iter()
            .map(|c| {
                let ys: Vec<f64> = points
                    .iter()
                    .filter(|p| p.commit == *c)
                    .map(|p| p.ms)
                    .collect();
                stats::median(&ys)
            })
            .collect();
        t.largest_step = medians
            .windows(2)
            .filter(|w| w[0] > 0.0)
            .map(|w| w[1] / w[0] - 1.0)
            .max_by(f64::total_cmp);
    }
    t
}

fn distinct_commits(points: &[Point]) -> Vec<usize> {
    let mut c: Vec<usize> = points.iter().map(|p| p.commit).collect();
    c.sort_unstable();
    c.dedup();
    c
}

fn findings(t: &TestTrend, s: TrendSettings) -> Vec<TrendFinding> {
    let mut out = Vec::new();
    let mut add = |payload| {
        out.push(TrendFinding {
            test: t.test.clone(),
            tier: t.tier.clone(),
            payload,
        })
    };
    let runs = t.points.len();
    if let (Some(slope), Some(p), Some(change), Some(step)) =
        (t.slope, t.p, t.change, t.largest_step)
        && p < ALPHA
        && slope > 0.0
        && change > s.warn
        && step <= s.warn
        && slope * (t.points[runs - 1].commit - t.points[0].commit) as f64 > s.noise_floor_ms
    {
        add(TrendPayload::Drift {
            runs,
            change,
            slope,
            p,
            warn: s.warn,
            largest_step: step,
        });
    }
    if let Some(spread) = t.spread
        && spread > s.flaky
        && spread * t.median_ms > s.noise_floor_ms
    {
        add(TrendPayload::TimingFlaky {
            runs,
            spread,
            median_ms: t.median_ms,
        });
    }
    let ratio = t.median_ms / t.budget_ms;
    if runs > 0 && t.budget_ms > 0.0 && ratio >= 1.0 - s.headroom && ratio <= 1.0 {
        add(TrendPayload::NearBudget {
            runs,
            median_ms: t.median_ms,
            budget_ms: t.budget_ms,
        });
    }
    out
}

#[cfg(test)]
mod tests;
