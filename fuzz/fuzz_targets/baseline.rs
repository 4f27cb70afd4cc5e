//! `.budget/baseline.json`: a baseline or an error, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let members = ["app".to_string(), "fx-plain".to_string()];
    match cargo_budget::baseline::parse(text, Path::new(".budget/baseline.json"), &members) {
        Ok(baseline) => {
            std::hint::black_box(baseline);
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
