//! `cargo nextest list --message-format json`: an inventory or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match cargo_budget::nextest::list::parse(text) {
        Ok(inventory) => {
            std::hint::black_box(inventory.selected().count());
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
