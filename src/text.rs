//! English for counts: `1 test`, `2 tests`, never `test(s)`.

/// `n` and the noun, plural unless `n` is 1 (every noun cargo-budget counts takes an `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn singular_and_plural() {
        assert_eq!(super::count(0, "test"), "0 tests");
        assert_eq!(super::count(1, "test"), "1 test");
        assert_eq!(super::count(2, "file"), "2 files");
        assert_eq!(super::count(1, "budget exception"), "1 budget exception");
    }
}
