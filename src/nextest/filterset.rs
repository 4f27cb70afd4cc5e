//! Building nextest filtersets from names, which are data: every name is matched exactly
//! (`=` matcher) and escaped per nextest's grammar, so `)`, `,`, `/`, `\` and quotes stay literal.

use crate::model::TestId;

/// Escapes `text` for use inside `test(=…)` or `binary_id(=…)`.
///
/// nextest 0.9.143 treats `\`, `)`, `,` and `/` as special inside a matcher, ignores leading
/// whitespace, and accepts `\n`, `\r`, `\t` and `\u{…}` escapes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut leading = true;
    for c in text.chars() {
        match c {
            '\\' | ')' | ',' | '/' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if leading && c.is_whitespace() => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
        leading = leading && c.is_whitespace();
    }
    out
}

/// `binary_id(=B)`: only for binaries seen in `cargo nextest list`; a binary filter that
/// matches nothing is a hard error in nextest.
pub fn binary(binary_id: &str) -> String {
    format!("binary_id(={})", escape(binary_id))
}

/// `(binary_id(=B) & test(=T))`: exactly one test.
pub fn test(id: &TestId) -> String {
    format!("({} & test(={}))", binary(&id.binary_id), escape(&id.name))
}

/// The filterset selecting the tests of `affected` (their union).
pub fn affected<'a>(affected: impl IntoIterator<Item = &'a crate::model::Affected>) -> String {
    use crate::model::Affected;
    any_of(affected.into_iter().map(|a| match a {
        Affected::Binary(id) => binary(id),
        Affected::PackageTests(p) => format!("(package(={}) & kind(test))", escape(p)),
        Affected::PackageAndDependents(p) => format!("rdeps(={})", escape(p)),
    }))
}

/// `a | b | c`, or `none()` for an empty set.
pub fn any_of(filters: impl IntoIterator<Item = String>) -> String {
    let joined = filters.into_iter().collect::<Vec<_>>().join(" | ");
    if joined.is_empty() {
        "none()".to_string()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_table() {
        let table = [
            ("fast::double_two", "fast::double_two"),
            ("weird::paren(x)", "weird::paren(x\\)"),
            ("weird::comma,sep", "weird::comma\\,sep"),
            ("weird::slash/path", "weird::slash\\/path"),
            ("weird::back\\slash", "weird::back\\\\slash"),
            ("weird::quote\"dq'sq", "weird::quote\"dq'sq"),
            ("weird::space name", "weird::space name"),
            ("weird::dollar$(echo x)", "weird::dollar$(echo x\\)"),
            ("line\nbreak\ttab", "line\\nbreak\\ttab"),
            (" leading", "\\u{20}leading"),
            ("trailing ", "trailing "),
            ("pkg::bin/rg", "pkg::bin\\/rg"),
        ];
        for (raw, want) in table {
            assert_eq!(escape(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn test_filter_shape() {
        let id = TestId::new("app::unit", "weird::paren(x)");
        assert_eq!(
            test(&id),
            "(binary_id(=app::unit) & test(=weird::paren(x\\)))"
        );
        assert_eq!(any_of(Vec::new()), "none()");
        assert_eq!(any_of(vec!["a".into(), "b".into()]), "a | b");
    }

    /// What `policy::impact` plans, as nextest reads it: each kind of target, names escaped,
    /// the union in the plan's order.
    #[test]
    fn affected_targets_as_filtersets() {
        use crate::model::Affected::{Binary, PackageAndDependents, PackageTests};
        let table = [
            (vec![Binary("app::unit".into())], "binary_id(=app::unit)"),
            (
                vec![PackageTests("app".into())],
                "(package(=app) & kind(test))",
            ),
            (vec![PackageAndDependents("core".into())], "rdeps(=core)"),
            (vec![PackageAndDependents("a,b".into())], "rdeps(=a\\,b)"),
            (
                vec![
                    Binary("app::unit".into()),
                    PackageAndDependents("core".into()),
                ],
                "binary_id(=app::unit) | rdeps(=core)",
            ),
            (vec![], "none()"),
        ];
        for (set, want) in table {
            let set: std::collections::BTreeSet<_> = set.into_iter().collect();
            assert_eq!(affected(&set), want, "{set:?}");
        }
    }
}
