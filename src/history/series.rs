//! The history as each test's series of passing runs, oldest first: the input of the trend
//! analysis.

use std::collections::BTreeMap;

use super::record::{RecordKind, outcome};
use super::store::Recorded;
use crate::model::TestId;
use crate::policy::trend::{Point, Series};

/// Every test's passing runs across `history` (newest commit first, as read); a test's tier
/// and budget are those of its latest run.
pub fn series(history: &[Recorded]) -> Vec<Series> {
    let mut all: BTreeMap<(String, String), Series> = BTreeMap::new();
    for (i, c) in history.iter().rev().enumerate() {
        for r in c.records.iter().filter(|r| r.kind == RecordKind::Tests) {
            for (binary, entries) in &r.tests {
                for e in entries {
                    let (Some(ms), Some(o)) = (e.1, outcome(&e.2)) else {
                        continue;
                    };
                    if !o.is_pass() {
                        continue;
                    }
                    let tier = r.tiers.get(usize::from(e.3)).map(|t| t.tier.clone());
                    let s = all
                        .entry((binary.clone(), e.0.clone()))
                        .or_insert_with(|| Series {
                            test: TestId::new(binary, &e.0),
                            tier: String::new(),
                            budget_ms: 0.0,
                            points: Vec::new(),
                        });
                    s.tier = tier.unwrap_or_default();
                    s.budget_ms = e.4 as f64;
                    s.points.push(Point { commit: i, ms });
                }
            }
        }
    }
    all.into_values().collect()
}
