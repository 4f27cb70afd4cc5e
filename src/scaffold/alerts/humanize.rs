//! Prometheus's template functions `humanizeDuration` and `humanize1024`, so the unit tests
//! can state the annotation an alert fires with, character for character.

/// Go's `%.4g` for a finite value whose exponent form is never reached here (|v| < 10^4 and
/// either 0 or at least 10^-4): four significant digits, trailing zeros dropped.
fn g4(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let digits_before = v.abs().log10().floor() as i32 + 1;
    let decimals = (4 - digits_before).max(0) as usize;
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    s
}

/// `{{ $value | humanizeDuration }}` for seconds.
pub fn duration(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == 0.0 {
        return "0s".into();
    }
    if v.abs() >= 1.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        let whole = v.abs() as i64;
        let (s, m, h, d) = (
            whole % 60,
            (whole / 60) % 60,
            (whole / 3600) % 24,
            whole / 86_400,
        );
        return match (d, h, m) {
            (d, h, m) if d != 0 => format!("{sign}{d}d {h}h {m}m {s}s"),
            (_, h, m) if h != 0 => format!("{sign}{h}h {m}m {s}s"),
            (_, _, m) if m != 0 => format!("{sign}{m}m {s}s"),
            _ => format!("{sign}{}s", g4(v.abs())),
        };
    }
    let mut v = v;
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}s", g4(v))
}

/// `{{ $value | humanize1024 }}` for bytes.
pub fn bytes(v: f64) -> String {
    if v.abs() <= 1.0 || !v.is_finite() {
        return g4(v);
    }
    let mut v = v;
    let mut prefix = "";
    for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
        if v.abs() < 1024.0 {
            break;
        }
        prefix = p;
        v /= 1024.0;
    }
    format!("{}{prefix}", g4(v))
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_as_prometheus_does() {
        // Left: what promtool 2.42 printed (measurement-facts §3 and the generated tests).
        for (v, want) in [
            (0.0975, "97.5ms"),
            (0.1, "100ms"),
            (0.0002, "200us"),
            (0.02375, "23.75ms"),
            (1.5, "1.5s"),
            (59.99, "59.99s"),
            (61.0, "1m 1s"),
            (3725.0, "1h 2m 5s"),
            (90_000.0, "1d 1h 0m 0s"),
            (0.0, "0s"),
        ] {
            assert_eq!(super::duration(v), want, "{v}");
        }
        for (v, want) in [
            (6e7, "57.22Mi"),
            (20_971_520.0, "20Mi"),
            (2e8, "190.7Mi"),
            (1023.0, "1023"),
            (1536.0, "1.5ki"),
            (1.0, "1"),
        ] {
            assert_eq!(super::bytes(v), want, "{v}");
        }
    }
}
