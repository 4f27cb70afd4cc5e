//! The line scanner for test functions, `/// budget:` markers and `mod` declarations: any
//! Rust-ish text scans without a panic, and every test it reports points at a line of the text
//! that holds its `fn` and name, after the marker's line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scan = cargo_budget::sources::scan::scan(text);
    let lines: Vec<&str> = text.lines().collect();
    let line = |n: usize| {
        *lines
            .get(n.wrapping_sub(1))
            .unwrap_or_else(|| panic!("line {n} outside {} lines", lines.len()))
    };
    for test in &scan.tests {
        let name = test.path.rsplit("::").next().unwrap_or_default();
        let at = line(test.line);
        assert!(at.contains("fn") && at.contains(name), "{test:?} on {at:?}");
        if let Some((_, marker)) = &test.marker {
            assert!(
                *marker < test.line,
                "{test:?}: the marker must precede the fn"
            );
            assert!(line(*marker).contains("budget:"), "{test:?}");
        }
    }
});
