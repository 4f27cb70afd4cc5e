pub fn add(a: i32, b: i32) -> i32 {
    a + b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_add() {
        assert_eq!(add(1, 2), 3);
    }

    #[test]
    fn slow_sleep_1500ms() {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        assert_eq!(add(2, 2), 4);
    }
}
