//! The scanner on whole files: tests, modules and markers in the layouts people write.

use super::*;

#[test]
fn finds_tests_modules_and_markers() {
    let text = r#"
//! crate docs
mod fast;
#[path = "odd/place.rs"]
mod placed;

pub fn not_a_test() { let s = "{ not a brace"; let c = '{'; }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_add() {}

    /// Parses the big fixture.
    /// budget: integration
    #[test]
    #[ignore = "slow"]
    fn slow_parse() {
        if true { }
    }

    mod nested {
        #[tokio::test]
        async fn async_one() {}
    }

    fn helper() {}
}

#[test]
fn top_level() {}
"#;
    let scan = scan(text);
    let tests: Vec<_> = scan
        .tests
        .iter()
        .map(|t| (t.path.as_str(), t.line, t.marker.clone()))
        .collect();
    assert_eq!(
        tests,
        [
            ("tests::fast_add", 14, None),
            (
                "tests::slow_parse",
                20,
                Some(("integration".to_string(), 17))
            ),
            ("tests::nested::async_one", 26, None),
            ("top_level", 33, None),
        ]
    );
    assert_eq!(
        scan.mods,
        [
            ModDecl {
                path: "fast".into(),
                name: "fast".into(),
                explicit_path: None
            },
            ModDecl {
                path: "placed".into(),
                name: "placed".into(),
                explicit_path: Some("odd/place.rs".into())
            },
        ]
    );
}

#[test]
fn layouts_rustfmt_and_people_write() {
    let text = "#[cfg(test)] mod test;\n\
                    #[test] fn one_line() {}\n\
                    /// budget: e2e\n\
                    #[should_panic(\n    expected = \"boom\"\n)]\n\
                    // why this panics\n\
                    #[test]\n\
                    fn multi_line_attr() {}\n\
                    #[tokio::test(\n    flavor = \"multi_thread\"\n)]\n\
                    async fn wrapped_tokio() {}\n\
                    #[test]\n\
                    fn r#match() {}\n";
    let scan = scan(text);
    let tests: Vec<_> = scan
        .tests
        .iter()
        .map(|t| (t.path.as_str(), t.marker.as_ref().map(|m| m.0.as_str())))
        .collect();
    assert_eq!(
        tests,
        [
            ("one_line", None),
            ("multi_line_attr", Some("e2e")),
            ("wrapped_tokio", None),
            ("r#match", None),
        ]
    );
    assert_eq!(
        scan.mods
            .iter()
            .map(|m| m.path.as_str())
            .collect::<Vec<_>>(),
        ["test"]
    );
}

#[test]
fn comments_after_attributes_keep_the_test_and_its_marker() {
    // (source, expected (path, line, marker tier and line)); every case once lost the test.
    type Want = (&'static str, usize, Option<(&'static str, usize)>);
    let table: &[(&str, Want)] = &[
        ("#[test] // c\nfn a() {}\n", ("a", 2, None)),
        (
            "/// budget: e2e\n#[test] // why\nfn a() {}\n",
            ("a", 3, Some(("e2e", 1))),
        ),
        (
            "/// budget: e2e\n#[test]\n#[cfg_attr(miri, ignore)] // too slow under miri\nfn a() {}\n",
            ("a", 4, Some(("e2e", 1))),
        ),
        (
            "/// budget: e2e\n#[cfg_attr(miri, ignore)] // reason\n#[test]\nfn a() {}\n",
            ("a", 4, Some(("e2e", 1))),
        ),
        (
            "/// budget: e2e\n#[test] #[ignore] // two, then a comment\nfn a() {}\n",
            ("a", 3, Some(("e2e", 1))),
        ),
        (
            "/// budget: e2e\n#[test] /* block */ // and line\nfn a() {}\n",
            ("a", 3, Some(("e2e", 1))),
        ),
        (
            "/// budget: e2e\n#[should_panic(\n    expected = \"x // y\"\n)] // c\n#[test] //c\nfn a() {}\n",
            ("a", 6, Some(("e2e", 1))),
        ),
        (
            "mod m {\n    /// budget: unit\n    #[tokio::test] // runtime\n    async fn a() {} // done\n}\n",
            ("m::a", 4, Some(("unit", 2))),
        ),
        ("#[test]//no space\nfn a() {}\n", ("a", 2, None)),
    ];
    for (text, (path, line, marker)) in table {
        let found = scan(text);
        let got: Vec<_> = found
            .tests
            .iter()
            .map(|t| {
                (
                    t.path.as_str(),
                    t.line,
                    t.marker.as_ref().map(|(m, l)| (m.as_str(), *l)),
                )
            })
            .collect();
        assert_eq!(got, [(*path, *line, *marker)], "{text}");
    }
}

#[test]
fn a_comment_after_a_mod_attribute_keeps_the_path() {
    let found = scan("#[path = \"odd.rs\"] // generated\nmod placed;\n");
    assert_eq!(found.mods[0].explicit_path.as_deref(), Some("odd.rs"));
}

#[test]
fn marker_table() {
    assert_eq!(marker(" budget: e2e"), Some("e2e".into()));
    assert_eq!(marker("budget:integration."), Some("integration".into()));
    assert_eq!(marker(" the budget: e2e"), None);
    assert_eq!(marker(" budget:"), None);
}
