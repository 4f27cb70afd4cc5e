//! Property tests (proptest, quickcheck, test-strategy) and their frameworks.

use super::*;

fn found(text: &str) -> Vec<(String, Option<Framework>)> {
    scan(text)
        .tests
        .into_iter()
        .map(|t| (t.path, t.framework))
        .collect()
}

#[test]
fn property_tests_are_recognised_with_their_framework() {
    let text = r#"
macro_rules! quickcheck {
    {$($(#$attr:tt)* fn $fn_name:ident($($arg:tt)*) -> $ret:ty { $($code:tt)* })*} => (
        $( #[test] fn $fn_name() { fn prop() {} } )*
    );
}
proptest! {
    #![proptest_config(ProptestConfig::with_cases(7))]
    #[test]
    fn prop_roundtrip(x in 0..10u32) {
        fn helper() {}
        prop_assert!(x < 10);
    }
    fn not_a_test_in_proptest() {}
}
quickcheck! {
    fn qc_reverse(xs: Vec<u32>) -> bool {
        fn prop_inner() -> bool { true }
        prop_inner()
    }
    fn qc_multi_line(a: u8,
                     b: u8) -> ()
    {
    }
}
::quickcheck::quickcheck! {
    fn qc_with_path(x: u8) -> bool { true }
}
mod tests {
    #[quickcheck]
    fn qc_attr(x: u8) -> bool { true }
    #[test_strategy::proptest]
    fn ts_attr(#[strategy(0..10u32)] x: u32) {}
    #[test]
    fn plain() {}
    fn helper() {}
}
"#;
    assert_eq!(
        found(text),
        [
            ("prop_roundtrip".to_string(), Some(Framework::Proptest)),
            ("qc_reverse".to_string(), Some(Framework::Quickcheck)),
            ("qc_multi_line".to_string(), Some(Framework::Quickcheck)),
            ("qc_with_path".to_string(), Some(Framework::Quickcheck)),
            ("tests::qc_attr".to_string(), Some(Framework::Quickcheck)),
            ("tests::ts_attr".to_string(), Some(Framework::Proptest)),
            ("tests::plain".to_string(), None),
        ]
    );
}

#[test]
fn a_block_ends_with_its_brace() {
    let text =
        "quickcheck! {\n    fn a(x: u8) -> bool { true }\n}\nfn after() {}\n#[test]\nfn t() {}\n";
    assert_eq!(
        found(text),
        [
            ("a".to_string(), Some(Framework::Quickcheck)),
            ("t".to_string(), None)
        ]
    );
}
