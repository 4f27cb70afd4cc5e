//! A plain test target (`checks`), not a tier directory: tiers come from
//! test-name prefixes or doc-comment markers.

use std::thread::sleep;
use std::time::Duration;

/// Instant test put in the unit tier by its `unit_` name prefix.
#[test]
fn unit_parses_quickly() {
    assert_eq!(demo_app::parse_and_double("1"), Some(2));
}

/// Deliberately slow (1.2 s): the `unit_` prefix puts it in the unit tier, so it is over the 1 s budget.
#[test]
fn unit_cache_warmup() {
    sleep(Duration::from_millis(1200));
    assert_eq!(demo_app::parse_and_double("7"), Some(14));
}

/// Put in the e2e tier by the doc-comment marker on the next line (100 ms).
/// budget: e2e
#[test]
fn renders_report() {
    sleep(Duration::from_millis(100));
    assert_eq!(demo_app::parse_and_double("0"), Some(0));
}
