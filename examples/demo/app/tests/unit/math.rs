use demo_app::parse_and_double;

/// Instant unit-tier test (tier from the `tests/unit/` directory).
#[test]
fn doubles_positive() {
    assert_eq!(parse_and_double("4"), Some(8));
}

/// Instant unit-tier test (tier from the `tests/unit/` directory).
#[test]
fn rejects_garbage() {
    assert_eq!(parse_and_double("four"), None);
}
