//! nextest's JUnit XML (`report --from`): a run or an error with a position, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match cargo_budget::nextest::junit::parse(text, Path::new("junit.xml")) {
        Ok(run) => {
            std::hint::black_box(run);
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
