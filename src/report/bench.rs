//! Renders a bench verdict: a table of benchmarks (absolute times with units, the change with
//! its interval, the call), as human text, Markdown, JSON or GitHub workflow commands.

mod json;
mod openmetrics;

use std::io::{self, Write};
use std::path::PathBuf;

use super::Format;
use super::sentence::bench::{change, line as finding_line, subject};
use crate::policy::bench::BenchVerdict;
use crate::policy::{Severity, Status};

/// What the renderers need besides the verdict.
#[derive(Clone, Debug, Default)]
pub struct BenchMeta {
    pub exit_code: i32,
    /// Where each benchmark is defined (file relative to the repository, line), when found.
    pub locations: std::collections::BTreeMap<String, (PathBuf, usize)>,
}

pub fn render(
    format: Format,
    verdict: &BenchVerdict,
    meta: &BenchMeta,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human(verdict, meta, w),
        Format::Markdown => markdown(verdict, meta, w),
        Format::Json => json::render(verdict, meta, w),
        Format::Github => github(verdict, meta, w),
        Format::Openmetrics => openmetrics::render(verdict, meta, w),
        Format::Html => super::html::bench(verdict, meta.exit_code, w),
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
fn rows(verdict: &BenchVerdict) -> ([&'static str; 5], Vec<[String; 5]>) {
    let mut out = Vec::new();
    if let Some(c) = &verdict.comparison {
        for d in &c.deltas {
            out.push([
                d.id.clone(),
                time(d.before.point),
                time(d.after.point),
                change(d),
                d.call.as_str().to_string(),
            ]);
        }
        for r in verdict.results.iter().filter(|r| c.new.contains(&r.id)) {
            out.push([
                r.id.clone(),
                "-".into(),
                time(r.estimates.mean.point),
                "-".into(),
                "new".into(),
            ]);
        }
    } else {
        for r in &verdict.results {
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

fn baseline_line(verdict: &BenchVerdict) -> String {
    match &verdict.baseline {
        Some(b) => {
            let commit = b.commit.as_deref().map_or("no commit".to_string(), |c| {
                c.get(..10).unwrap_or(c).to_string()
            });
            let mut line = format!("baseline {} at {commit} ({})", b.source, b.created);
            if let Some(s) = verdict.comparison.as_ref().and_then(|c| c.spread) {
                line.push_str(&format!(
                    "; run-to-run spread ±{:.1}% (from its runs, widening every interval)",
                    s.variance.sqrt() * 100.0
                ));
            }
            if let Some(f) = verdict.comparison.as_ref().and_then(|c| c.factor) {
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
pub fn headline(verdict: &BenchVerdict, exit_code: i32) -> String {
    let count = |s: Severity| verdict.findings.iter().filter(|f| f.severity == s).count();
    let mut parts = Vec::new();
    if !verdict.failed.is_empty() {
        parts.push(format!(
            "{} failed",
            crate::text::count(verdict.failed.len(), "bench target")
        ));
    }
    let errors = count(Severity::Error) - verdict.failed.len();
    if errors > 0 {
        parts.push(crate::text::count(errors, "violation"));
    }
    if count(Severity::Warning) > 0 {
        parts.push(crate::text::count(count(Severity::Warning), "warning"));
    }
    let what = match (parts.is_empty(), &verdict.comparison) {
        (false, _) => parts.join(", "),
        (true, Some(_)) => "no benchmark slower than its baseline".to_string(),
        (true, None) => format!(
            "{} measured, no baseline to compare with",
            crate::text::count(verdict.results.len(), "benchmark")
        ),
    };
    let status = match verdict.status {
        Status::Pass => "PASS",
        _ => "FAIL",
    };
    format!("{status}: {what} (exit code {exit_code})")
}

fn human(verdict: &BenchVerdict, meta: &BenchMeta, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "cargo-budget: {} measured, context {}; {}",
        crate::text::count(verdict.results.len(), "benchmark"),
        verdict.context.as_str(),
        baseline_line(verdict)
    )?;
    let (header, mut rows) = rows(verdict);
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
    if !rows.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", line(&header.map(String::from)))?;
        for r in &rows {
            writeln!(w, "{}", line(r))?;
        }
    }
    if let Some(c) = &verdict.comparison
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
            let line = crate::text::shown(finding_line(f, verdict.comparison.as_ref()));
            writeln!(w, "{}: {line}", f.severity.as_str())?;
        }
    }
    writeln!(w, "\n{}", headline(verdict, meta.exit_code))
}

fn markdown(verdict: &BenchVerdict, meta: &BenchMeta, w: &mut dyn Write) -> io::Result<()> {
    use super::md::{code, text};
    writeln!(w, "## cargo-budget: benchmarks\n")?;
    writeln!(w, "**{}**\n", text(&headline(verdict, meta.exit_code)))?;
    writeln!(w, "{}\n", text(&baseline_line(verdict)))?;
    let (header, rows) = rows(verdict);
    writeln!(w, "| {} |", header.join(" | "))?;
    writeln!(w, "|---|---:|---:|---|---|")?;
    for r in rows {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} |",
            code(&r[0]),
            r[1],
            r[2],
            r[3],
            r[4]
        )?;
    }
    if !verdict.findings.is_empty() {
        writeln!(w)?;
        for f in &verdict.findings {
            writeln!(
                w,
                "- **{}** {}",
                f.severity.as_str(),
                text(&finding_line(f, verdict.comparison.as_ref()))
            )?;
        }
    }
    Ok(())
}

fn github(verdict: &BenchVerdict, meta: &BenchMeta, w: &mut dyn Write) -> io::Result<()> {
    use super::github::{command, escape_data as data, escape_property as prop};
    use crate::text::shown;
    for f in &verdict.findings {
        let command = command(f.severity);
        let mut props = Vec::new();
        if let Some((file, line)) = meta.locations.get(subject(f)) {
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
            data(&shown(finding_line(f, verdict.comparison.as_ref())))
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
