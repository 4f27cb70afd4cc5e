//! English for counts (`1 test`, `2 tests`, never `test(s)`) and times with their unit, and
//! names made safe to show a person: a test or benchmark name is data, and printed raw its
//! control characters would drive the terminal (colours, cursor, title), its bidi overrides
//! would reorder the line, and its newlines would start lines of their own.

use std::borrow::Cow;
use std::fmt::Display;

/// Whether `c` acts instead of showing: the C0 and C1 controls and DEL, and the bidi
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder a line.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `c` as Rust writes it in a string literal: `\n`, `\r`, `\t`, else `\u{1b}`.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// `text` with every hidden character but those `keep` allows escaped.
pub fn escaped(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hidden(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match is_hidden(c) && !keep(c) {
            true => push_escaped(&mut out, c),
            false => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a line starting here would be a GitHub workflow command: the runner trims leading
/// whitespace and takes a line that then starts with `::` as a command.
fn starts_command(line: &str) -> bool {
    line.trim_start().starts_with("::")
}

/// A name (a test, a benchmark, a path) as every human-facing output shows it: one line, each
/// hidden character visible as its escape (`a\nb`, `\u{1b}[2J`, `\u{202e}`). Used wherever a
/// name is printed for a person; JSON and the files cargo-budget owns keep names as they are.
pub fn shown(name: impl Display) -> String {
    let name = name.to_string();
    let safe = match escaped(&name, |_| false) {
        Cow::Borrowed(_) => name,
        Cow::Owned(safe) => safe,
    };
    // A name printed first on a line (a table's first column) must not start a GitHub workflow
    // command either: its first `:` is shown as its escape.
    if starts_command(&safe) {
        return safe.replacen(':', "\\u{3a}", 1);
    }
    safe
}

/// A message of whole lines (a status line, a warning, an error and its causes) with what a
/// name could still carry escaped: every hidden character but the newlines between its lines,
/// and those too where the next line would start a GitHub workflow command (`::error …`).
/// cargo-budget's own lines never start with `::`, so such a line can only come from data,
/// and on GitHub Actions stderr is read for commands as stdout is.
pub fn shown_lines(message: &str) -> Cow<'_, str> {
    let lines = escaped(message, |c| c == '\n');
    if !lines.split('\n').skip(1).any(starts_command) {
        return lines;
    }
    let mut out = String::with_capacity(lines.len() + 8);
    for (i, line) in lines.split('\n').enumerate() {
        match (i, starts_command(line)) {
            (0, _) => {}
            (_, true) => out.push_str("\\n"),
            (_, false) => out.push('\n'),
        }
        out.push_str(line);
    }
    Cow::Owned(out)
}

/// `n` and the noun, plural unless `n` is 1 (every noun cargo-budget counts takes an `s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Nanoseconds with a unit and three significant digits: `74.4 ns`, `16.4 µs`, `1.50 s`.
pub fn time_ns(ns: f64) -> String {
    let (value, unit) = match ns.abs() {
        n if n < 1e3 => (ns, "ns"),
        n if n < 1e6 => (ns / 1e3, "µs"),
        n if n < 1e9 => (ns / 1e6, "ms"),
        _ => (ns / 1e9, "s"),
    };
    let decimals = match value.abs() {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    format!("{value:.decimals$} {unit}")
}

/// Rows under a header, each column as wide as its widest cell, two spaces of indent.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    // Every cell is shown as a name is: tables hold names and recorded data.
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(shown).collect()).collect();
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::from(" ");
        for (i, c) in cells.enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            s.push_str(&format!(" {c}{}", " ".repeat(pad)));
        }
        format!("{}\n", s.trim_end())
    };
    let mut out = line(&mut header.iter().copied());
    for r in &rows {
        out.push_str(&line(&mut r.iter().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn singular_and_plural() {
        assert_eq!(super::count(0, "test"), "0 tests");
        assert_eq!(super::count(1, "test"), "1 test");
        assert_eq!(super::count(2, "file"), "2 files");
        assert_eq!(super::count(1, "budget exception"), "1 budget exception");
    }

    /// Controls (C0, DEL, C1) and bidi overrides show as escapes; everything else, non-ASCII
    /// letters and marks included, as it is.
    #[test]
    fn hidden_characters_are_shown_as_escapes() {
        for (name, shown) in [
            ("tests::it_works", "tests::it_works"),
            ("naïve::日本語 ok", "naïve::日本語 ok"),
            ("a\nb", "a\\nb"),
            ("a\r\tb", "a\\r\\tb"),
            ("\u{1b}[2Jwiped", "\\u{1b}[2Jwiped"),
            ("\u{1b}]0;title\u{7}", "\\u{1b}]0;title\\u{7}"),
            ("nul\0del\u{7f}", "nul\\u{0}del\\u{7f}"),
            ("csi\u{9b}31m", "csi\\u{9b}31m"),
            ("evil\u{202e}txt.exe", "evil\\u{202e}txt.exe"),
            (
                "\u{202a}\u{202d}\u{2066}\u{2069}",
                "\\u{202a}\\u{202d}\\u{2066}\\u{2069}",
            ),
            ("a\n::error ::pwned", "a\\n::error ::pwned"),
            ("::stop-commands::x/f", "\\u{3a}:stop-commands::x/f"),
            ("  ::error ::x", "  \\u{3a}:error ::x"),
            // Zero-width joiners and marks are not controls: emoji and scripts need them.
            ("👩\u{200d}💻 e\u{301}", "👩\u{200d}💻 e\u{301}"),
        ] {
            assert_eq!(super::shown(name), shown, "{name:?}");
            assert!(!super::shown(name).chars().any(super::is_hidden));
        }
    }

    /// A message keeps its lines; within them, the same escapes.
    #[test]
    fn messages_keep_their_newlines_only() {
        assert_eq!(
            super::shown_lines("warning: a\u{1b}[31m\n  caused by: b\r"),
            "warning: a\\u{1b}[31m\n  caused by: b\\r"
        );
        assert!(matches!(
            super::shown_lines("plain\nlines"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// A newline that would start a workflow command is shown as its escape; the others stay.
    #[test]
    fn no_line_of_a_message_starts_a_workflow_command() {
        for (message, shown) in [
            (
                "no test `x\n::error ::pwned`",
                "no test `x\\n::error ::pwned`",
            ),
            ("a\n  ::warning::b\nc", "a\\n  ::warning::b\nc"),
            ("a\n\u{a0}::notice::b", "a\\n\u{a0}::notice::b"),
            ("a\r\n::error::b", "a\\r\\n::error::b"),
            ("a\n: not one\nb::c", "a\n: not one\nb::c"),
            (
                "::first line is the caller's",
                "::first line is the caller's",
            ),
        ] {
            let out = super::shown_lines(message);
            assert_eq!(out, shown, "{message:?}");
            assert!(
                !out.lines().skip(1).any(super::starts_command),
                "{message:?}"
            );
        }
    }

    #[test]
    fn table_cells_are_shown() {
        let t = super::table(&["test"], &[vec!["a\u{1b}[2J\nb".into()]]);
        assert_eq!(t, "  test\n  a\\u{1b}[2J\\nb\n");
    }
}
