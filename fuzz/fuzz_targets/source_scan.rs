//! The line scanner for test functions, `/// budget:` markers and `mod` declarations: any
//! Rust-ish text scans without a panic, and every test it reports is on a line of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scan = cargo_budget::sources::scan::scan(text);
    let lines = text.lines().count();
    for test in &scan.tests {
        assert!(
            test.line >= 1 && test.line <= lines,
            "{test:?} outside {lines} lines"
        );
        if let Some((_, line)) = &test.marker {
            assert!(
                *line < test.line,
                "{test:?}: the marker must precede the fn"
            );
        }
    }
});
