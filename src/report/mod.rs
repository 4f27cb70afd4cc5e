//! Renderers: a [`Verdict`] to `&mut dyn Write` as human text, JSON, Markdown or GitHub workflow
//! commands. No decisions are made here.

pub mod andon;
pub mod baseline;
pub mod bench;
mod bench_counts;
mod counted;
mod exposition;
mod github;
pub mod history;
pub mod html;
mod human;
pub mod init;
mod json;
mod markdown;
mod md;
mod openmetrics;
pub mod reclassify;
mod reproduce;
mod sentence;
pub mod short;
pub mod trend;

pub use crate::model::Roots;
pub use reproduce::reproduce;
pub use sentence::{confirming, sentence};

use std::io::{self, Write};
use std::time::Duration;

use crate::policy::{Severity, Status, Verdict};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
    Github,
    // OpenMetrics text (for a Pushgateway or node_exporter's textfile collector).
    Openmetrics,
    // One self-contained HTML page with charts.
    Html,
}

/// Facts about the run that are not part of the verdict.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub nextest_version: Option<String>,
    /// A command that reruns the worst offender alone.
    pub reproduce: Option<String>,
    /// The exit code this verdict maps to.
    pub exit_code: i32,
    /// JUnit files judged (`--from`), if any.
    pub junit_files: Vec<String>,
    /// List every test with its tier and rule in the human report (`-v`).
    pub list_tests: bool,
    /// Where annotation paths are resolved from (`--format github`); `None`: as located.
    pub roots: Option<Roots>,
    /// Property-test cases the run set (`PROPTEST_CASES=64`, …), from a tier's `cases`.
    pub property_env: Vec<(String, String)>,
    /// The terminal's width, when the human report goes to one: long lines are wrapped.
    pub width: Option<usize>,
}

pub fn render(format: Format, verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(verdict, meta, w),
        Format::Json => json::render(verdict, meta, w),
        Format::Markdown => markdown::render(verdict, meta, w),
        Format::Github => github::render(verdict, meta, w),
        Format::Openmetrics => openmetrics::render(verdict, meta, w),
        Format::Html => html::render(verdict, meta, w),
    }
}

/// `1.308s`, the way nextest prints durations.
pub(crate) fn secs(d: Duration) -> String {
    format!("{:.3}s", d.as_secs_f64())
}

/// `+30.8%` / `-12.0%`.
/// A tier's violation rate, `-` for a tier no test ran in (0 of 0 is not 0 %).
pub(crate) fn rate(t: &crate::policy::TierSummary) -> String {
    if t.tests == 0 {
        "-".into()
    } else {
        format!("{:.1}%", t.violation_rate() * 100.0)
    }
}

pub(crate) fn pct(fraction: f64) -> String {
    format!("{:+.1}%", fraction * 100.0)
}

pub(crate) fn budget(d: Duration) -> String {
    crate::config::units::format_budget(d)
}

/// `, suite ×1.42 over 312 tests (applied)`: the suite factor, when one was measured.
pub(crate) fn factor(c: &crate::policy::compare::Comparison) -> String {
    match c.factor {
        Some(f) => format!(
            ", suite ×{:.2} over {} tests ({})",
            f.ratio,
            f.tests,
            if f.applied {
                "the machine is slower: applied"
            } else {
                "within the warn threshold: not applied"
            }
        ),
        None => String::new(),
    }
}

/// One line on the tests judged against their band (noisy), when there are any: information,
/// never a warning — each is still gated, against the slowest time its spread allows.
pub(crate) fn noisy_line(c: &crate::policy::compare::Comparison) -> Option<String> {
    let n = c.noisy.len();
    let (test, runs, is, it) = if n == 1 {
        ("test", "its", "it is", "it")
    } else {
        ("tests", "their", "each is", "them")
    };
    (n > 0).then(|| {
        format!(
            "{n} noisy {test}: {runs} baseline runs spread wider than {runs} tier's fail threshold (and by more than the noise floor), so {is} judged against the top of {runs} band, not {runs} median (the JSON report lists {it})"
        )
    })
}

/// One line saying how the run ended.
pub(crate) fn headline(verdict: &Verdict) -> String {
    let count = |s: Severity| {
        verdict
            .findings
            .iter()
            .filter(|f| f.severity == s && f.kind() != crate::policy::FindingKind::TestFailed)
            .count()
    };
    let failed = verdict
        .findings
        .iter()
        .filter(|f| f.kind() == crate::policy::FindingKind::TestFailed)
        .count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let mut parts = Vec::new();
    if failed > 0 {
        parts.push(format!("{} failed", crate::text::count(failed, "test")));
    }
    if errors > 0 {
        parts.push(crate::text::count(errors, "violation"));
    }
    if warnings > 0 {
        parts.push(crate::text::count(warnings, "warning"));
    }
    if infos > 0 {
        parts.push(format!(
            "{} recorded ({} phase)",
            crate::text::count(infos, "finding"),
            verdict.phase.as_str()
        ));
    }
    let what = if parts.is_empty() {
        "all tests within budget".to_string()
    } else {
        parts.join(", ")
    };
    let status = match verdict.status {
        Status::Pass => "PASS",
        Status::Violations => "FAIL",
        Status::TestsFailed => "FAIL",
    };
    format!("{status}: {what}")
}

#[cfg(test)]
mod count_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod verdict_tests;
