//! What only looks like a test: inside string literals, comments and odd char literals.

use super::*;

#[test]
fn tests_inside_literals_and_comments_are_not_tests() {
    let text = "const DOC: &str = r#\"\n#[test]\nfn in_raw_string() {}\n\"#;\nconst S: &str = \"\n#[test]\nfn in_string() {}\n\";\n/*\n#[test]\nfn in_block_comment() {}\n*/\nfn lifetimes<'a>(x: &'a str) -> char { let _ = x; '}' }\n#[test]\nfn real() {}\n";
    let found: Vec<_> = scan(text)
        .tests
        .into_iter()
        .map(|t| (t.path, t.line))
        .collect();
    assert_eq!(found, [("real".to_string(), 15)]);
}

#[test]
fn a_newline_inside_what_looks_like_a_char_literal_keeps_line_numbers() {
    // Not valid Rust, but a file being edited is often not: lines must still line up.
    for text in [
        "const C: char = '\\\n';\n#[test]\nfn a() {}\n",
        "x = '\\\nx';\n#[test]\nfn a() {}\n",
    ] {
        let found: Vec<_> = scan(text).tests.into_iter().map(|t| t.line).collect();
        assert_eq!(found, [4], "{text:?}");
    }
}
