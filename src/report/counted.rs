//! The tests whose instructions were counted, as the Markdown and HTML reports list them: each
//! with its tier, its count, its instruction budget and the baseline's count.

use crate::model::{Metric, TestId, grouped};
use crate::policy::Verdict;

/// One counted test.
pub(crate) struct Row<'a> {
    pub test: &'a TestId,
    pub tier: &'a str,
    pub count: u64,
    pub budget: Option<u64>,
    /// The baseline's counts: `100,290`, or `5,000–5,100` when its runs differed.
    pub baseline: Option<String>,
}

/// Every counted test, in the verdict's order (none when nothing was counted).
pub(crate) fn rows(verdict: &Verdict) -> Vec<Row<'_>> {
    let before = |id: &TestId| -> Option<String> {
        let counts = verdict.comparison.as_ref()?.counts_before.get(id)?;
        let (low, high) = (counts.iter().min()?, counts.iter().max()?);
        Some(match low == high {
            true => grouped(*low),
            false => format!("{}–{}", grouped(*low), grouped(*high)),
        })
    };
    verdict
        .tests
        .iter()
        .filter_map(|t| {
            Some(Row {
                test: &t.id,
                tier: &t.placement.tier,
                count: t.extra.get(Metric::Instructions)?.as_count()?,
                budget: t
                    .placement
                    .budget_for(Metric::Instructions)
                    .and_then(|a| a.as_count()),
                baseline: before(&t.id),
            })
        })
        .collect()
}
