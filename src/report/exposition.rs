//! The OpenMetrics text format, written family by family in a fixed order with samples in
//! the order given, so two reports of the same verdict are the same bytes (a hand-written
//! writer: the client libraries keep label sets in hash maps, in no fixed order).

use std::io::{self, Write};

/// Writes metric families to `w`; [`Exposition::finish`] writes the closing `# EOF`.
pub struct Exposition<'w> {
    w: &'w mut dyn Write,
}

/// One sample: its labels (name, value) and its value.
pub type Sample<'a> = (Vec<(&'a str, &'a str)>, f64);

impl<'w> Exposition<'w> {
    pub fn new(w: &'w mut dyn Write) -> Self {
        Exposition { w }
    }

    /// A gauge family `name` (ending in `_seconds` or `_bytes` when it has that unit) and its
    /// samples; a family without samples is left out.
    pub fn gauge(&mut self, name: &str, help: &str, samples: &[Sample<'_>]) -> io::Result<()> {
        if samples.is_empty() {
            return Ok(());
        }
        writeln!(self.w, "# TYPE {name} gauge")?;
        if let Some(unit) = ["seconds", "bytes", "ratio"]
            .into_iter()
            .find(|u| name.ends_with(&format!("_{u}")))
        {
            writeln!(self.w, "# UNIT {name} {unit}")?;
        }
        writeln!(self.w, "# HELP {name} {}", escape_help(help))?;
        for (labels, value) in samples {
            write!(self.w, "{name}")?;
            if !labels.is_empty() {
                let shown: Vec<String> = labels
                    .iter()
                    .map(|(k, v)| format!("{k}=\"{}\"", escape_value(v)))
                    .collect();
                write!(self.w, "{{{}}}", shown.join(","))?;
            }
            writeln!(self.w, " {}", number(*value))?;
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        writeln!(self.w, "# EOF")
    }
}

/// A label value: backslash, double quote and line feed escaped.
fn escape_value(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn escape_help(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A sample value: integers without a fraction, the rest as Rust's shortest round-trip form.
fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_label_values_and_skips_empty_families() {
        let mut out = Vec::new();
        let mut e = super::Exposition::new(&mut out);
        e.gauge(
            "x_seconds",
            "A \\ help\nline.",
            &[(vec![("t", "a\"b\\c\nd {}")], 0.25)],
        )
        .unwrap();
        e.gauge("empty_bytes", "Nothing.", &[]).unwrap();
        e.gauge("n", "Plain.", &[(vec![], 3.0)]).unwrap();
        e.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "# TYPE x_seconds gauge\n# UNIT x_seconds seconds\n# HELP x_seconds A \\\\ help\\nline.\n\
             x_seconds{t=\"a\\\"b\\\\c\\nd {}\"} 0.25\n\
             # TYPE n gauge\n# HELP n Plain.\nn 3\n# EOF\n"
        );
    }
}
