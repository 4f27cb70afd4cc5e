//! Renders a bench verdict: a table of benchmarks (absolute times with units, the change with
//! its interval, the call), as human text, Markdown, JSON or GitHub workflow commands.

mod json;
mod openmetrics;

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::sentence::bench::{change, line as finding_line, subject};
use super::{Format, Meta, bench_counts as counts};
use crate::policy::bench::BenchEvidence;
use crate::policy::{Severity, Status, Verdict};

/// A verdict's bench part; a test run's verdict has none, and renders as no benchmarks.
pub(crate) fn evidence(verdict: &Verdict) -> &BenchEvidence {
    static NONE: BenchEvidence = BenchEvidence {
        results: Vec::new(),
        not_measured: Vec::new(),
        failed: Vec::new(),
        not_counted: Vec::new(),
        comparison: None,
        baseline: None,
        capabilities: Vec::new(),
        locations: BTreeMap::new(),
    };
    verdict.benches.as_ref().unwrap_or(&NONE)
}

/// Renders a bench run's verdict (`meta`: its exit code).
pub fn render(format: Format, verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let benches = evidence(verdict);
    match format {
        Format::Human => human(verdict, benches, meta, w),
        Format::Markdown => markdown(verdict, benches, meta, w),
        Format::Json => json::render(verdict, benches, meta, w),
        Format::Github => github(verdict, benches, meta, w),
        Format::Openmetrics => openmetrics::render(verdict, benches, meta, w),
        Format::Html => super::html::bench(verdict, benches, meta.exit_code, w),
    }
}

/// `74.4 ns`, `1.64 µs`, `16.4 ms`, `1.23 s`: three significant digits and a unit.
pub fn time(ns: f64) -> String {
    crate::text::time_ns(ns)
}

const COMPARED: [&str; 5] = [
    "benchmark",
    "baseline",
    "current",
    "change (95% CI)",
    "verdict",
];
const MEASURED: [&str; 5] = ["benchmark", "mean", "95% CI", "samples", "verdict"];

/// The table's header and rows: compared with the baseline, or times alone.
fn rows(benches: &BenchEvidence) -> ([&'static str; 5], Vec<[String; 5]>) {
    let mut out = Vec::new();
    if let Some(c) = &benches.comparison {
        for d in &c.deltas {
            out.push([
                d.id.clone(),
                time(d.before.point),
                time(d.after.point),
                change(d),
                d.call.as_str().to_string(),
            ]);
        }
        for r in benches.results.iter().filter(|r| c.new.contains(&r.id)) {
            out.push([
                r.id.clone(),
                "-".into(),
                time(r.estimates.mean.point),
                "-".into(),
                "new".into(),
            ]);
        }
    } else {
        for r in &benches.results {
            let e = r.estimates.mean;
            out.push([
                r.id.clone(),
                time(e.point),
                format!("[{}, {}]", time(e.lower), time(e.upper)),
                r.samples.len().to_string(),
                "no baseline".into(),
            ]);
        }
        return (MEASURED, out);
    }
    (COMPARED, out)
}

fn baseline_line(benches: &BenchEvidence) -> String {
    match &benches.baseline {
        Some(b) => {
            let commit = b.commit.as_deref().map_or("no commit".to_string(), |c| {
                c.get(..10).unwrap_or(c).to_string()
            });
            let mut line = format!("baseline {} at {commit} ({})", b.source, b.created);
            if let Some(s) = benches.comparison.as_ref().and_then(|c| c.spread) {
                line.push_str(&format!(
                    "; run-to-run spread ±{:.1}% (from its runs, widening every interval)",
                    s.variance.sqrt() * 100.0
                ));
            }
            if let Some(f) = benches.comparison.as_ref().and_then(|c| c.factor) {
                line.push_str(&format!(
                    "; machine ×{f:.2} (the median change, divided out of every benchmark)"
                ));
            }
            line
        }
        None => {
            "no baseline: times only (record one with `cargo budget bench --save-baseline`)".into()
        }
    }
}

/// `FAIL: 1 regression, 2 warnings (exit code 3)`.
pub fn headline(verdict: &Verdict, exit_code: i32) -> String {
    let benches = evidence(verdict);
    let count = |s: Severity| verdict.findings.iter().filter(|f| f.severity == s).count();
    let mut parts = Vec::new();
    if !benches.failed.is_empty() {
        parts.push(format!(
            "{} failed",
            crate::text::count(benches.failed.len(), "bench target")
        ));
    }
    let errors = count(Severity::Error) - benches.failed.len();
    if errors > 0 {
        parts.push(crate::text::count(errors, "violation"));
    }
    if count(Severity::Warning) > 0 {
        parts.push(crate::text::count(count(Severity::Warning), "warning"));
    }
    let what = match (parts.is_empty(), &benches.comparison) {
        (false, _) => parts.join(", "),
        (true, Some(_)) => "no benchmark slower than its baseline".to_string(),
        (true, None) => format!(
            "{} measured, no baseline to compare with",
            crate::text::count(benches.results.len(), "benchmark")
        ),
    };
    let status = match verdict.status {
        Status::Pass => "PASS",
        _ => "FAIL",
    };
    format!("{status}: {what} (exit code {exit_code})")
}

fn human(
    verdict: &Verdict,
    benches: &BenchEvidence,
    meta: &Meta,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        w,
        "cargo-budget: {} measured, context {}; {}",
        crate::text::count(benches.results.len(), "benchmark"),
        verdict.context.as_str(),
        baseline_line(benches)
    )?;
    let (header, rows) = rows(benches);
    if !rows.is_empty() {
        writeln!(w)?;
        table(&header, rows, w)?;
    }
    let counted = counts::rows(benches);
    if !counted.is_empty() {
        writeln!(w, "\n{}:", counts::TITLE)?;
        table(&counts::HEADER, counted, w)?;
    }
    if let Some(c) = &benches.comparison
        && !c.missing.is_empty()
    {
        writeln!(
            w,
            "\nIn the baseline, not measured now: {}",
            c.missing
                .iter()
                .map(crate::text::shown)
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    if !verdict.findings.is_empty() {
        writeln!(w)?;
        for f in &verdict.findings {
            let line = crate::text::shown(finding_line(f, benches.comparison.as_ref()));
            writeln!(w, "{}: {line}", f.severity.as_str())?;
        }
    }
    writeln!(w, "\n{}", headline(verdict, meta.exit_code))
}

/// A table of `rows` under `header`, names shown safely.
fn table(header: &[&str; 5], mut rows: Vec<[String; 5]>, w: &mut dyn Write) -> io::Result<()> {
    for r in &mut rows {
        r[0] = crate::text::shown(&r[0]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut s = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i] - c.chars().count();
            s.push_str(&format!(" {c}{}", " ".repeat(pad)));
        }
        s.trim_end().to_string()
    };
    writeln!(w, "{}", line(&header.map(String::from)))?;
    for r in &rows {
        writeln!(w, "{}", line(r))?;
    }
    Ok(())
}

fn markdown(
    verdict: &Verdict,
    benches: &BenchEvidence,
    meta: &Meta,
    w: &mut dyn Write,
) -> io::Result<()> {
    use super::md::text;
    writeln!(w, "## cargo-budget: benchmarks\n")?;
    writeln!(w, "**{}**\n", text(&headline(verdict, meta.exit_code)))?;
    writeln!(w, "{}\n", text(&baseline_line(benches)))?;
    let (header, rows) = rows(benches);
    md_table(w, &header, "|---|---:|---:|---|---|", &rows)?;
    let counted = counts::rows(benches);
    if !counted.is_empty() {
        writeln!(w, "\n{}:\n", text(counts::TITLE))?;
        md_table(w, &counts::HEADER, "|---|---:|---:|---:|---|", &counted)?;
    }
    if !verdict.findings.is_empty() {
        writeln!(w)?;
        for f in &verdict.findings {
            writeln!(
                w,
                "- **{}** {}",
                f.severity.as_str(),
                text(&finding_line(f, benches.comparison.as_ref()))
            )?;
        }
    }
    Ok(())
}

/// A Markdown table of five columns: the first a name in code, the rest as they are.
fn md_table(
    w: &mut dyn Write,
    header: &[&str; 5],
    rule: &str,
    rows: &[[String; 5]],
) -> io::Result<()> {
    writeln!(w, "| {} |", header.join(" | "))?;
    writeln!(w, "{rule}")?;
    for r in rows {
        let [name, rest @ ..] = r;
        writeln!(w, "| {} | {} |", super::md::code(name), rest.join(" | "))?;
    }
    Ok(())
}

fn github(
    verdict: &Verdict,
    benches: &BenchEvidence,
    meta: &Meta,
    w: &mut dyn Write,
) -> io::Result<()> {
    use super::github::{command, escape_data as data, escape_property as prop};
    use crate::text::shown;
    for f in &verdict.findings {
        let command = command(f.severity);
        let mut props = Vec::new();
        if let Some((file, line)) = &f.location {
            props.push(format!("file={}", prop(&file.display().to_string())));
            props.push(format!("line={line}"));
        }
        props.push(format!(
            "title={}",
            prop(&format!("{}: {}", f.kind().as_str(), shown(subject(f))))
        ));
        writeln!(
            w,
            "::{command} {}::{}",
            props.join(","),
            data(&shown(finding_line(f, benches.comparison.as_ref())))
        )?;
    }
    let level = match verdict.status {
        Status::Pass => "notice",
        _ => "error",
    };
    writeln!(
        w,
        "::{level} title=cargo-budget::{}",
        data(&headline(verdict, meta.exit_code))
    )
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod units {
    #[test]
    fn times_have_units_and_three_digits() {
        for (ns, text) in [
            (74.403, "74.4 ns"),
            (1638.6, "1.64 µs"),
            (16374.0, "16.4 µs"),
            (362_133_126.0, "362 ms"),
            (1.5e9, "1.50 s"),
        ] {
            assert_eq!(super::time(ns), text);
        }
    }
}
