//! Strict parsing of the duration, size and percentage strings `budget.toml` uses.

use std::time::Duration;

/// The longest duration `budget.toml` accepts, for budgets, grace periods and noise floors.
/// nextest itself takes a `slow-timeout` period up to 2^64 ns (about 584 years); a week keeps
/// `budget × kill_after` (at most 100) far inside that, and no test budget is sanely longer.
pub const MAX_DURATION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Parses `"250ms"`, `"1s"`, `"5m"`, `"1m 30s"`: a number with a unit is required, zero is refused.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(
            "expected a duration like \"250ms\", \"1s\" or \"5m\", found an empty string".into(),
        );
    }
    if trimmed.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!(
            "`{trimmed}` has no unit: write \"{trimmed}s\" or \"{trimmed}ms\""
        ));
    }
    let d = humantime::parse_duration(trimmed).map_err(|e| {
        format!("`{trimmed}` is not a duration ({e}); write e.g. \"250ms\", \"1s\", \"5m\"")
    })?;
    if d.is_zero() {
        return Err(format!("`{trimmed}` is zero: a budget must be positive"));
    }
    if d > MAX_DURATION {
        return Err(format!(
            "`{trimmed}` is too long: durations in budget.toml are at most 7 days"
        ));
    }
    if d.subsec_nanos() % 1_000_000 != 0 {
        return Err(format!(
            "`{trimmed}` is finer than a millisecond, the precision nextest times tests with"
        ));
    }
    Ok(d)
}

/// Parses a latency budget of benchmarks: as [`parse_duration`], but finer than a millisecond
/// too (`"250us"`, `"800ns"`): criterion times nanoseconds.
pub fn parse_latency(text: &str) -> Result<Duration, String> {
    match parse_duration(text) {
        Err(e) if e.contains("finer than a millisecond") => {
            Ok(humantime::parse_duration(text.trim()).map_err(|e| e.to_string())?)
        }
        other => other,
    }
}

/// Parses `"10%"` or `"12.5%"` into a fraction of one (0.10, 0.125).
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let number = trimmed
        .strip_suffix('%')
        .ok_or_else(|| format!("`{trimmed}` is not a percentage: write e.g. \"10%\""))?;
    let valid = !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && number.matches('.').count() <= 1
        && !number.starts_with('.')
        && !number.ends_with('.');
    if !valid {
        return Err(format!(
            "`{trimmed}` is not a percentage: write e.g. \"10%\""
        ));
    }
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{trimmed}` is not a percentage: write e.g. \"10%\""))?;
    Ok(value / 100.0)
}

/// The largest size `budget.toml` accepts (memory budgets): 1 TiB.
pub const MAX_BYTES: u64 = 1 << 40;

/// Parses `"64MiB"`, `"1.5GB"`, `"512 KiB"`, `"100B"` into bytes (`bytesize` reads the number
/// and unit: KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024). A unit is required, zero and
/// sizes over 1 TiB are refused.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let example = "write e.g. \"64MiB\" or \"1.5GB\"";
    if trimmed.is_empty() {
        return Err(format!("expected a size, found an empty string: {example}"));
    }
    if !trimmed.ends_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!("`{trimmed}` has no unit: {example}"));
    }
    if trimmed.starts_with(['-', '+', '.']) {
        return Err(format!("`{trimmed}` is not a size: {example}"));
    }
    let size: bytesize::ByteSize = trimmed
        .parse()
        .map_err(|e| format!("`{trimmed}` is not a size ({e}): {example}"))?;
    match size.as_u64() {
        0 => Err(format!(
            "`{trimmed}` is zero: a memory budget must be positive"
        )),
        n if n > MAX_BYTES => Err(format!("`{trimmed}` is too large: sizes are at most 1TiB")),
        n => Ok(n),
    }
}

/// The largest count `budget.toml` accepts (instruction budgets): 10^15.
pub const MAX_COUNT: u64 = 1_000_000_000_000_000;

/// Parses `"50M"`, `"1.5G"`, `"250k"`, `"120000"` into a count (k, M, G, T: powers of 1000;
/// `_` between digits is ignored; a `,` is refused: `1,5M` could mean 1.5 M or 15 M). Zero and
/// counts over 10^15 are refused.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let example = "write e.g. \"50M\", \"1.5G\" or \"250000\"";
    let (number, scale) = match trimmed.char_indices().last() {
        Some((i, 'k' | 'K')) => (&trimmed[..i], 1e3),
        Some((i, 'M')) => (&trimmed[..i], 1e6),
        Some((i, 'G')) => (&trimmed[..i], 1e9),
        Some((i, 'T')) => (&trimmed[..i], 1e12),
        Some(_) => (trimmed, 1.0),
        None => {
            return Err(format!(
                "expected a count, found an empty string: {example}"
            ));
        }
    };
    let digits: String = number.trim().chars().filter(|c| *c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!("`{trimmed}` is not a count: {example}"));
    }
    let value: f64 = digits
        .parse()
        .map_err(|_| format!("`{trimmed}` is not a count: {example}"))?;
    let n = (value * scale).round();
    if n < 1.0 {
        return Err(format!("`{trimmed}` is zero: a budget must be positive"));
    }
    if n > MAX_COUNT as f64 {
        return Err(format!(
            "`{trimmed}` is too large: counts are at most 10^15"
        ));
    }
    Ok(n as u64)
}

/// Formats a duration the way budget.toml is written, one number and one unit, so that
/// [`parse_duration`] (or [`parse_latency`] below a millisecond) reads it back exactly:
/// `250ms`, `1.9s`, `90s`, `5m`, `2h`, `7d`; `1.5ms`, `250us`, `800ns` for benchmark latencies.
/// Whole minutes, hours and days take their unit; anything else from a second up is decimal
/// seconds (never humantime's `1s 900ms`), and below a second decimal milliseconds, then
/// microseconds, then nanoseconds.
pub fn format_budget(d: Duration) -> String {
    const S: u128 = 1_000_000_000;
    let ns = d.as_nanos();
    let whole = [(86_400 * S, "d"), (3_600 * S, "h"), (60 * S, "m")];
    if let Some((size, unit)) = whole
        .iter()
        .find(|(size, _)| ns >= *size && ns.is_multiple_of(*size))
    {
        return format!("{}{unit}", ns / size);
    }
    let (size, unit) = match ns {
        n if n >= S => (S, "s"),
        n if n >= 1_000_000 => (1_000_000, "ms"),
        n if n >= 1_000 => (1_000, "us"),
        0 => return "0s".into(),
        _ => (1, "ns"),
    };
    let (int, frac) = (ns / size, ns % size);
    if frac == 0 {
        return format!("{int}{unit}");
    }
    let digits = size.ilog10() as usize;
    let frac = format!("{frac:0digits$}");
    format!("{int}.{}{unit}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_go_below_a_millisecond() {
        assert_eq!(parse_latency("250us"), Ok(Duration::from_micros(250)));
        assert_eq!(parse_latency("50ms"), Ok(Duration::from_millis(50)));
        assert!(parse_latency("0ns").is_err());
        assert!(parse_latency("50").is_err());
    }

    #[test]
    fn durations_table() {
        let ok = [
            ("250ms", 250),
            ("1s", 1000),
            ("10s", 10_000),
            ("5m", 300_000),
            ("1m 30s", 90_000),
            (" 2s ", 2000),
            ("7days", 604_800_000),
        ];
        for (text, ms) in ok {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
        }
        for bad in [
            "",
            "1",
            "1.5",
            "abc",
            "0s",
            "-1s",
            "1 parsec",
            "s",
            "500us",
            "1ms 500us",
            "8d",
            "7days 1ms",
            "99999999999h",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn percent_table() {
        assert_eq!(parse_percent("10%"), Ok(0.10));
        assert_eq!(parse_percent("12.5%"), Ok(0.125));
        assert_eq!(parse_percent("0%"), Ok(0.0));
        for bad in ["10", "%", "ten%", "1.2.3%", ".5%", "5.%", "-5%", "10 %"] {
            assert!(parse_percent(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn counts_table() {
        let table: &[(&str, Result<u64, ()>)] = &[
            ("50M", Ok(50_000_000)),
            ("1.5G", Ok(1_500_000_000)),
            ("250k", Ok(250_000)),
            ("250K", Ok(250_000)),
            ("120000", Ok(120_000)),
            ("1_204_311", Ok(1_204_311)),
            ("1,5M", Err(())),
            ("1,204,311", Err(())),
            (" 2T ", Ok(2_000_000_000_000)),
            ("0", Err(())),
            ("0.0001", Err(())),
            ("", Err(())),
            ("M", Err(())),
            ("-5M", Err(())),
            ("5 MiB", Err(())),
            ("5m", Err(())),
            ("2000T", Err(())),
        ];
        for (text, want) in table {
            assert_eq!(parse_count(text).map_err(|_| ()), *want, "{text:?}");
        }
    }

    #[test]
    fn sizes_table() {
        let ok = [
            ("64MiB", 64 << 20),
            ("1.5GB", 1_500_000_000),
            ("512 KiB", 512 << 10),
            ("100B", 100),
            ("1kb", 1000),
            (" 2GiB ", 2 << 30),
            ("1TiB", 1 << 40),
        ];
        for (text, bytes) in ok {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
        for bad in [
            "",
            "64",
            "1.5",
            "MiB",
            "64 parsecs",
            "0MiB",
            "-1MiB",
            "2TiB",
            ".5MB",
            "64MiBs",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn budget_round_trip() {
        for text in ["1s", "250ms", "5m", "10s"] {
            assert_eq!(format_budget(parse_duration(text).unwrap()), text);
        }
    }

    #[test]
    fn budgets_are_written_as_one_number_and_unit_and_read_back() {
        let ms = Duration::from_millis;
        let cases = [
            (ms(1), "1ms"),
            (ms(250), "250ms"),
            (ms(999), "999ms"),
            (ms(1000), "1s"),
            (ms(1001), "1.001s"),
            (ms(1900), "1.9s"),
            (ms(1250), "1.25s"),
            (ms(10_000), "10s"),
            (ms(59_500), "59.5s"),
            (ms(90_000), "90s"),
            (ms(60_000), "1m"),
            (ms(300_000), "5m"),
            (ms(3_600_000), "1h"),
            (ms(5_400_000), "90m"),
            (ms(3_601_500), "3601.5s"),
            (ms(86_400_000), "1d"),
            (MAX_DURATION, "7d"),
            (MAX_DURATION - ms(1), "604799.999s"),
        ];
        for (d, text) in cases {
            assert_eq!(format_budget(d), text, "{d:?}");
            assert_eq!(parse_duration(text), Ok(d), "{text} reads back");
        }
        // Benchmark latencies go below a millisecond and read back with parse_latency.
        let latencies = [
            (Duration::from_micros(1500), "1.5ms"),
            (Duration::from_micros(250), "250us"),
            (Duration::from_nanos(1_250), "1.25us"),
            (Duration::from_nanos(800), "800ns"),
            (Duration::from_nanos(1_000_000_001), "1.000000001s"),
        ];
        for (d, text) in latencies {
            assert_eq!(format_budget(d), text, "{d:?}");
            assert_eq!(parse_latency(text), Ok(d), "{text} reads back");
        }
        assert_eq!(format_budget(Duration::ZERO), "0s");
    }
}
