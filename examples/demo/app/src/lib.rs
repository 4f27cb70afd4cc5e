//! Application crate for the cargo-budget demo.

/// Parses `input` as a number and doubles it.
pub fn parse_and_double(input: &str) -> Option<i64> {
    demo_core::parse_number(input).map(|n| demo_core::add(n, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instant lib unit test in the app crate.
    #[test]
    fn doubles() {
        assert_eq!(parse_and_double("21"), Some(42));
    }
}
