//! Instruction counts of the tests that count, from each counting run under Valgrind.

use std::collections::BTreeMap;

use super::TestId;

/// What counting yielded: each counted test's count per counting run (one run for a report,
/// two for a baseline), the tests asked for that got no count (and why), and why nothing could
/// be counted at all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub by_test: BTreeMap<TestId, Vec<u64>>,
    pub uncounted: BTreeMap<TestId, String>,
    /// Tests asked to count, but counting cannot run here (Valgrind missing, wrappers off):
    /// why, and how many tests their tiers and exceptions placed to count (0: only those
    /// `--instructions` selects).
    pub unmeasured: Option<(String, usize)>,
    pub asked: Asked,
}

/// Whether this evidence could have counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Asked {
    /// Counting ran (or was tried) for the tests placed to count.
    Counted,
    /// Not asked for: the command judges time only (reclassify, a capability's memory).
    #[default]
    Off,
    /// The results were measured elsewhere (files, a baseline), for this reason: nothing
    /// placed to count has a count.
    Elsewhere(String),
}

impl Counts {
    /// The test's first count.
    pub fn first(&self, id: &TestId) -> Option<u64> {
        self.by_test.get(id)?.first().copied()
    }
}
