//! The pieces of YAML and Prometheus syntax the generated files are written with.

use std::time::Duration;

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
pub fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Text that a Go template (Prometheus expands labels and annotations) prints as it is.
pub fn literal(s: &str) -> String {
    s.replace("{{", "{{ \"{{\" }}")
}

/// A label value inside a series selector (`name{label="value"}`).
pub fn label_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Prometheus duration (`10m`, `1h30m`, `0s`).
pub fn duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

/// A number as PromQL and promtool read it back unchanged.
pub fn number(v: f64) -> String {
    format!("{v}")
}
