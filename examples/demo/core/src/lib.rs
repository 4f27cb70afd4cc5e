//! Tiny library used by the cargo-budget demo.

/// Parses a decimal integer, ignoring surrounding whitespace.
pub fn parse_number(input: &str) -> Option<i64> {
    input.trim().parse().ok()
}

/// Adds two numbers.
pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread::sleep;
    use std::time::Duration;

    /// Instant lib unit test: comfortably inside the 1 s unit budget.
    #[test]
    fn fast_add() {
        assert_eq!(add(2, 3), 5);
    }

    /// Deliberately slow lib unit test (1.3 s): over the 1 s unit budget.
    #[test]
    fn parses_large_fixture() {
        sleep(Duration::from_millis(1300));
        assert_eq!(parse_number(" 123456789 "), Some(123_456_789));
    }
}
