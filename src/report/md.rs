//! Text that GitHub-flavoured Markdown shows literally, for names and recorded data in the
//! Markdown reports (a PR comment, `$GITHUB_STEP_SUMMARY`). Inside `<code>` GitHub still parses
//! Markdown, so one escaping serves both: every character that could open HTML, emphasis, a
//! link, a code span, maths, a table cell or a mention is written as a numeric entity, which
//! CommonMark decodes to the character without giving it any meaning.

use std::fmt::Write as _;

/// `text` as literal Markdown: on one line (controls shown as escapes, as a terminal shows
/// them), HTML and Markdown punctuation as entities, `@` followed by a word joiner so that
/// `@user` names no one.
pub fn text(text: &str) -> String {
    let shown = crate::text::shown(text);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            // A word joiner after the `@`: GitHub finds mentions in the rendered text, where
            // an entity is already the character again.
            '@' => out.push_str("&#64;&#8288;"),
            '&' | '<' | '>' | '"' | '|' | '`' | '*' | '_' | '[' | ']' | '~' | '\\' | '!' | '#'
            | '$' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A name in `<code>`: monospace, and as literal as [`text`].
pub fn code(name: &str) -> String {
    format!("<code>{}</code>", text(name))
}

#[cfg(test)]
mod tests {
    use super::{code, text};

    /// Hostile names, what each must never become once GitHub renders it.
    const HOSTILE: [&str; 12] = [
        "<img src=x onerror=alert(1)>",
        "<a href=\"https://evil\">click</a>",
        "@user please look",
        "a | b | c",
        "`code` and ``more``",
        "**bold** _em_ ~~gone~~",
        "[link](https://evil) ![img](https://evil/x.png)",
        "a\u{1b}[31mred",
        "line\n::error ::pwned",
        "r\\*x\\*",
        "$x^2$ &amp; &#64;user",
        "tests::it_works",
    ];

    #[test]
    fn names_become_entities_and_escapes() {
        for (name, escaped) in [
            ("tests::it_works", "tests::it&#95;works"),
            ("<img src=x>", "&#60;img src=x&#62;"),
            ("@user", "&#64;&#8288;user"),
            ("a|b", "a&#124;b"),
            ("`x`", "&#96;x&#96;"),
            ("*a* _b_ [c]", "&#42;a&#42; &#95;b&#95; &#91;c&#93;"),
            ("a\u{1b}[2J", "a&#92;u{1b}&#91;2J"),
            ("a\nb\rc", "a&#92;nb&#92;rc"),
            ("&amp;", "&#38;amp;"),
        ] {
            assert_eq!(text(name), escaped, "{name:?}");
        }
        assert_eq!(code("a<b"), "<code>a&#60;b</code>");
    }

    /// Rendered as GitHub does (comrak, GFM extensions on, raw HTML allowed as GitHub allows
    /// it before sanitising), each name is one paragraph or one table cell of its own text.
    #[test]
    fn hostile_names_render_as_literal_text() {
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.strikethrough = true;
        options.extension.autolink = true;
        options.extension.math_dollars = true;
        options.render.r#unsafe = true;
        for name in HOSTILE {
            let shown = crate::text::shown(name);
            for md in [
                format!("{}\n", code(name)),
                format!("| a | b |\n|---|---|\n| {} | x |\n", code(name)),
                format!("- {}\n", text(name)),
            ] {
                let html = comrak::markdown_to_html(&md, &options);
                for tag in [
                    "<img", "<a ", "<em>", "<strong>", "<del>", "<span", "<br", "<code>",
                ] {
                    let expected = usize::from(tag == "<code>" && md.contains("<code>"));
                    assert_eq!(html.matches(tag).count(), expected, "{tag} in {html}");
                }
                // One row of two cells: no `|` split the cell.
                if md.starts_with('|') {
                    assert_eq!(html.matches("<td>").count(), 2, "{html}");
                }
                // The text is there, whole, once the entities are decoded.
                let decoded = html
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&")
                    .replace('\u{2060}', "");
                assert!(decoded.contains(&shown), "{shown:?} not in {decoded}");
            }
        }
    }
}
