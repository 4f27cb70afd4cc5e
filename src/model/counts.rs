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
    /// Tests asked to count, but counting cannot run here (Valgrind missing, wrappers off).
    pub unmeasured: Option<(String, usize)>,
}

impl Counts {
    /// The test's first count.
    pub fn first(&self, id: &TestId) -> Option<u64> {
        self.by_test.get(id)?.first().copied()
    }
}
