#[test]
fn unit_prefixed_fast() {
    assert_eq!(fx_plain::answer(), 42);
}

#[test]
fn plain_default() {
    assert_eq!(fx_plain::answer(), 42);
}

/// End-to-end check selected by the doc-comment marker.
/// budget: e2e
#[test]
fn marked_e2e() {
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(fx_plain::answer(), 42);
}
