//! Peak memory against the baseline's: a test whose peak grew by more than `[regression]`'s
//! thresholds and by more than a noise floor in bytes. Peaks barely move between runs (a test
//! touching 50 MiB peaked within 0.2 MiB over 16 runs), so there is no spread to estimate: the
//! floor covers the allocator's and the runtime's own wobble.

/// Growth smaller than this is never a regression, whatever the ratio (small tests).
pub const NOISE_FLOOR: u64 = 1 << 20;

/// How a test's peak compares with its baseline peak.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Growth {
    pub before: u64,
    pub after: u64,
    /// (after − before) / before.
    pub change: f64,
    /// Over the fail threshold (else over the warn threshold).
    pub fail: bool,
}

/// `Some` when `after` is over `before` by more than `warn` (a fraction) and the noise floor.
pub fn growth(before: u64, after: u64, warn: f64, fail: f64) -> Option<Growth> {
    if before == 0 || after <= before.saturating_add(NOISE_FLOOR) {
        return None;
    }
    let change = (after - before) as f64 / before as f64;
    (change > warn).then_some(Growth {
        before,
        after,
        change,
        fail: change > fail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn growth_table() {
        // (before, after, regression?, fail?)
        let table = [
            (22 * MIB, 31 * MIB, Some(true)),   // +41 %: over +25 %
            (22 * MIB, 25 * MIB, Some(false)),  // +13.6 %: over +10 % only
            (22 * MIB, 24 * MIB, None),         // +9 %: under +10 %
            (3 * MIB, 3 * MIB + MIB / 2, None), // +16.7 %, but half a MiB: noise floor
            (3 * MIB, 5 * MIB, Some(true)),     // +67 % and 2 MiB
            (50 * MIB, 30 * MIB, None),         // shrank
            (0, 10 * MIB, None),                // no baseline peak
        ];
        for (before, after, expected) in table {
            let got = growth(before, after, 0.10, 0.25).map(|g| g.fail);
            assert_eq!(got, expected, "{before} → {after}");
        }
    }
}
