//! `budget.toml`: any text is a configuration or an error with a position, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The tool reads the file as UTF-8 first; other bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match cargo_budget::config::parse(text, Path::new("budget.toml")) {
        Ok(loaded) => {
            for warning in &loaded.warnings {
                std::hint::black_box(warning.len());
            }
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
