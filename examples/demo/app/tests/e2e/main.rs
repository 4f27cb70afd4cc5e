//! `tests/e2e/` directory: e2e tier (30 s budget).

use std::thread::sleep;
use std::time::Duration;

/// E2e-tier test (300 ms): well inside the 30 s budget.
#[test]
fn full_run() {
    sleep(Duration::from_millis(300));
    assert_eq!(demo_app::parse_and_double("-5"), Some(-10));
}
