//! `.budget/baseline.json`: a baseline or an error, never a panic; the whole-file reader and
//! the comparison's lean reader agree.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let members = ["app".to_string(), "fx-plain".to_string()];
    let path = Path::new(".budget/baseline.json");
    let whole = cargo_budget::baseline::parse(text, path, &members);
    // The lean reader a comparison uses: the same verdict on the same text, and the same
    // references when both read it.
    let lean = cargo_budget::baseline::parse_references(text, path, &members);
    match (whole, lean) {
        (Ok(b), Ok(l)) => assert_eq!(b.references(), l.references),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!(
            "the readers disagree: {:?} / {:?}",
            a.map(|_| ()),
            b.map(|_| ())
        ),
    }
});
