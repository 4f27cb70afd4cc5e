//! `tests/integration/` directory: integration tier (10 s budget).

use std::thread::sleep;
use std::time::Duration;

/// Integration-tier test (200 ms): well inside the 10 s budget.
#[test]
fn pipeline_roundtrip() {
    sleep(Duration::from_millis(200));
    assert_eq!(demo_app::parse_and_double(" 10 "), Some(20));
}
