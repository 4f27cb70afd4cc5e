//! English for counts (`1 test`, `2 tests`, never `test(s)`) and times with their unit.

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
    for r in rows {
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
}
