//! Which slow tests to propose for reclassification, and what can be done with each: moved to a
//! tier whose budget fits (only when its tier comes from its test target directory, since that
//! is what a move changes), or recorded as a tracked exception. Worst overage first.

use std::path::PathBuf;
use std::time::Duration;

use super::classify::Rule;
use super::noise::Spread;
use super::verdict::{Judgement, Verdict};
use crate::config::Config;
use crate::model::TestId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    Move,
    Exception,
    Later,
    Skip,
}

impl Choice {
    pub fn describe(self) -> &'static str {
        match self {
            Choice::Move => "move it to a slower tier",
            Choice::Exception => "record a tracked exception (with an ADR)",
            Choice::Later => "mark for later",
            Choice::Skip => "skip",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub id: TestId,
    pub tier: String,
    pub rule: Rule,
    pub duration: Duration,
    pub budget: Duration,
    pub location: Option<(PathBuf, usize)>,
    /// The tier a move would place it in (its target directory), when a move can help.
    pub move_to: Option<(String, String)>,
    /// The choices offered, the default first.
    pub choices: Vec<Choice>,
    /// The baseline's runs of the test, when it has reference times there.
    pub baseline: Option<Spread>,
}

impl Candidate {
    /// The budget an exception for it would get (see [`exception_budget`]).
    pub fn exception_budget(&self) -> Duration {
        exception_budget(self.duration, self.baseline.as_ref(), self.budget)
    }
}

/// A budget for an exception, rounded up to 100 ms (whole seconds from 10 s): from the
/// baseline's runs when there are any — 25 % over their median, and never under the slowest —
/// since one run may be a noisy one; otherwise 25 % over the one duration measured. A baseline
/// whose runs fit the tier's `budget` says nothing about the test's new time (it became slower
/// since): then the measured duration decides, or the exception would fail at once.
pub fn exception_budget(
    measured: Duration,
    baseline: Option<&Spread>,
    budget: Duration,
) -> Duration {
    let basis = match baseline {
        Some(runs) if runs.max > budget => runs.median.mul_f64(1.25).max(runs.max),
        _ => measured.mul_f64(1.25),
    };
    let ms = (basis.as_secs_f64() * 1000.0 - 1e-6).ceil().max(1.0) as u64;
    let step = if ms >= 10_000 { 1000 } else { 100 };
    // budget.toml takes nothing longer.
    Duration::from_millis(ms.div_ceil(step) * step).min(crate::config::units::MAX_DURATION)
}

/// The tests over their budget (without an exception budget), worst overage first; `baseline`
/// holds the baseline's reference runs by test, when there is a baseline.
pub fn candidates(
    verdict: &Verdict,
    config: &Config,
    baseline: &super::compare::References,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = verdict
        .tests
        .iter()
        .filter(|t| t.judgement == Judgement::OverBudget && t.placement.exception_line.is_none())
        .filter_map(|t| Some((t, t.duration?)))
        .map(|(t, duration)| {
            // A move changes the tier only when the target directory placed the test, and only
            // helps if a tier with a directory target has room for it.
            let move_to = match &t.placement.rule {
                Rule::Target(_) => config
                    .tiers
                    .iter()
                    .filter(|tier| tier.budget >= duration && tier.budget > t.placement.budget)
                    .find_map(|tier| {
                        tier.targets
                            .first()
                            .map(|target| (tier.name.clone(), target.clone()))
                    }),
                _ => None,
            };
            let mut choices = Vec::new();
            if move_to.is_some() {
                choices.push(Choice::Move);
            }
            choices.extend([Choice::Exception, Choice::Later, Choice::Skip]);
            Candidate {
                id: t.id.clone(),
                tier: t.placement.tier.clone(),
                rule: t.placement.rule.clone(),
                duration,
                budget: t.placement.budget,
                location: t.location.clone(),
                move_to,
                choices,
                baseline: baseline.get(&t.id).flatten(),
            }
        })
        .collect();
    let over = |c: &Candidate| c.duration.as_secs_f64() / c.budget.as_secs_f64();
    out.sort_by(|a, b| over(b).total_cmp(&over(a)).then(a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_budget_table() {
        let ms = Duration::from_millis;
        let exception_budget = |measured: Duration, baseline: Option<&Spread>| {
            exception_budget(measured, baseline, ms(1000))
        };
        assert_eq!(exception_budget(ms(1500), None), ms(1900));
        assert_eq!(exception_budget(ms(1200), None), ms(1500));
        assert_eq!(exception_budget(ms(9000), None), ms(12_000));
        assert_eq!(exception_budget(ms(40), None), ms(100));
        let runs = |v: &[u64]| Spread::of(v.iter().map(|&m| ms(m)).collect()).unwrap();
        // One noisy run of 3.9 s against a baseline that says 1.2 s: the baseline decides.
        let steady = runs(&[1180, 1200, 1230]);
        assert_eq!(exception_budget(ms(3900), Some(&steady)), ms(1500));
        // A spread-out baseline: never under its slowest run.
        let wide = runs(&[1100, 1200, 2600]);
        assert_eq!(exception_budget(ms(1150), Some(&wide)), ms(2600));
        assert_eq!(exception_budget(ms(9000), Some(&runs(&[9000]))), ms(12_000));
        // A baseline within the 1 s budget (6 ms; the test slowed to 1.31 s since, as indexmap's
        // `map::tests::clear` with a sleep): its times would give a 100 ms exception that fails
        // at once; the measured time decides.
        assert_eq!(
            exception_budget(ms(1310), Some(&runs(&[5, 6, 7]))),
            ms(1700)
        );
        let week = crate::config::units::MAX_DURATION;
        assert_eq!(
            exception_budget(week, None),
            week,
            "never past what budget.toml takes"
        );
    }
}
