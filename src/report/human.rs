//! The terminal report: a tier table, each finding with its numbers and rule, a command to
//! reproduce the worst one, and the headline. Styled with ANSI; the sink strips it when needed.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{Meta, budget, headline, pct, rate, secs};
use crate::policy::compare::{Basis, Call, Level};
use crate::policy::{Severity, Status, Verdict};
use crate::text::{count, shown};

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const GREEN: Style = AnsiColor::Green.on_default().bold();

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
        Severity::Info => DIM,
    }
}

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    for section in [
        header,
        tier_table,
        comparison,
        property_cases,
        test_list,
        findings,
        footer,
    ] {
        section(verdict, meta, w)?;
    }
    Ok(())
}

/// The first line: how many tests, the phase and context, the suite time.
fn header(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let total: usize = verdict.tiers.iter().map(|t| t.tests).sum();
    writeln!(
        w,
        "{BOLD}cargo-budget{BOLD:#}: {} judged, phase {}, context {}{}",
        count(total, "test"),
        verdict.phase.as_str(),
        verdict.context,
        match verdict.wall {
            Some(wall) => format!(
                ", suite {} of {} budget",
                secs(wall),
                budget(verdict.suite_budget)
            ),
            None => String::new(),
        }
    )?;
    Ok(())
}

/// Per tier: tests, within, violations, failed, rate and the slowest.
fn tier_table(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    // A peak memory column only when memory was measured.
    let peaks = verdict.tiers.iter().any(|t| t.peak.is_some());
    let peak_head = if peaks {
        format!(" {:>10}", "peak")
    } else {
        String::new()
    };
    writeln!(w)?;
    writeln!(
        w,
        "  {BOLD}{:<14} {:>7} {:>6} {:>7} {:>10} {:>6} {:>7}{peak_head}  slowest passing{BOLD:#}",
        "tier", "budget", "tests", "within", "violations", "failed", "rate"
    )?;
    for t in &verdict.tiers {
        let slowest = match &t.slowest {
            Some((id, d, over)) => {
                let over = if *over > 0.0 {
                    format!(" ({})", pct(*over))
                } else {
                    String::new()
                };
                format!("{} {}{over}", shown(id), secs(*d))
            }
            None => "-".to_string(),
        };
        let peak = match (&t.peak, peaks) {
            (_, false) => String::new(),
            (Some((_, b)), true) => format!(" {:>10}", crate::model::Amount::Bytes(*b).to_string()),
            (None, true) => format!(" {:>10}", "-"),
        };
        let style = if t.violations > 0 { RED } else { Style::new() };
        let failed_style = if t.failed > 0 { RED } else { Style::new() };
        writeln!(
            w,
            "  {:<14} {:>7} {:>6} {:>7} {style}{:>10}{style:#} {failed_style}{:>6}{failed_style:#} {:>7}{peak}  {slowest}",
            t.tier,
            budget(t.budget),
            t.tests,
            t.within,
            t.violations,
            t.failed,
            rate(t),
        )?;
    }
    Ok(())
}

/// The comparison with the baseline: its factor, the slower tests, how many were noisy.
fn comparison(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if let Some(c) = &verdict.comparison {
        writeln!(w)?;
        let commit = c
            .baseline_commit
            .as_deref()
            .map_or("no commit".to_string(), |h| h.chars().take(10).collect());
        let count = |f: fn(&Call) -> bool| c.deltas.iter().filter(|d| f(&d.call)).count();
        writeln!(
            w,
            "{BOLD}Baseline{BOLD:#} {commit} ({}): {} compared{}; {} slower, {} not slower when re-run alone, {} faster, {} new, {} removed",
            c.baseline_created,
            c.compared,
            super::factor(c),
            count(|c| matches!(c, Call::Slower { .. })),
            count(|c| *c == Call::NotConfirmed),
            count(|c| *c == Call::Faster),
            c.new.len(),
            c.removed.len()
        )?;
        if !c.comparable() {
            writeln!(
                w,
                "  {YELLOW}not comparable{YELLOW:#}: {}; regressions are reported as warnings at most",
                c.differences.join("; ")
            )?;
        }
        if let Some(line) = super::noisy_line(c) {
            writeln!(w, "  {DIM}{line}{DIM:#}")?;
        }
        for d in c
            .deltas
            .iter()
            .filter(|d| matches!(d.call, Call::Slower { .. }))
        {
            let (label, style) = match d.call {
                Call::Slower {
                    level: Level::Fail, ..
                } => ("fail", RED),
                _ => ("warn", YELLOW),
            };
            let line = d.line();
            let band = match d.basis {
                Basis::Band { .. } if line.allowance.is_zero() => format!(
                    " {DIM}(past the band its re-runs make, {}){DIM:#}",
                    secs(line.reference)
                ),
                Basis::Band { .. } => {
                    format!(
                        " {DIM}(past its band's top {} by more than its {} spread){DIM:#}",
                        secs(line.reference),
                        secs(line.allowance)
                    )
                }
                Basis::Median => String::new(),
            };
            writeln!(
                w,
                "  {style}{label:<5}{style:#} {:>8}  {} → {}  {}{band}",
                pct(d.change),
                secs(d.before.median),
                secs(d.after.median),
                shown(&d.id)
            )?;
        }
    }
    Ok(())
}

/// The property-test cases the run set, when it set any.
fn property_cases(_verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if !meta.property_env.is_empty() {
        let set: Vec<String> = meta
            .property_env
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        writeln!(
            w,
            "{DIM}Property tests ran with {} (the tier's `cases`); a proptest TestRunner built \
             by hand, or a QuickCheck given .tests(n), keeps its own count{DIM:#}",
            set.join(" ")
        )?;
    }
    Ok(())
}

/// Every test with its tier and rule (`-v`).
fn test_list(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if meta.list_tests {
        writeln!(w)?;
        writeln!(w, "{BOLD}Tests{BOLD:#}")?;
        for t in &verdict.tests {
            writeln!(
                w,
                "  {:>8} / {:<6} {:<12} {:<9} {} {DIM}({}){DIM:#}",
                t.duration.map_or("–".into(), secs),
                budget(t.placement.budget),
                t.placement.tier,
                t.outcome.as_str(),
                shown(&t.id),
                shown(&t.placement.rule)
            )?;
        }
    }
    Ok(())
}

/// Each finding with its sentence, wrapped to the terminal.
fn findings(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if !verdict.findings.is_empty() {
        writeln!(w)?;
        writeln!(w, "{BOLD}Findings{BOLD:#}")?;
        for f in &verdict.findings {
            let style = severity_style(f.severity);
            let subject = f.test.as_ref().map(shown).unwrap_or_else(|| "suite".into());
            writeln!(
                w,
                "  {style}{:<7}{style:#} {:<17} {subject}",
                f.severity.as_str(),
                f.kind().as_str()
            )?;
            let mut detail = super::sentence(f, verdict.comparison.as_ref());
            if let Some(rule) = &f.rule
                && let Some(tier) = &f.tier
                && f.kind().is_test_violation()
            {
                detail.push_str(&format!("; placed in {tier} by {rule}"));
            }
            if f.kind() == crate::policy::FindingKind::Timeout
                && let Some(before) = f.before()
            {
                detail.push_str(&format!("; passed in the baseline in {}", secs(before)));
            }
            if let Some((file, line)) = &f.location {
                detail.push_str(&format!("; {}:{line}", shown(file.display())));
            }
            // Wrapped to the terminal's width (`meta.width`), aligned under the subject.
            let lines = match meta.width {
                Some(width) if width > 40 => textwrap::wrap(&detail, width - 10)
                    .into_iter()
                    .map(|l| l.into_owned())
                    .collect(),
                _ => vec![detail],
            };
            for line in lines {
                writeln!(w, "  {DIM}{:<7}{DIM:#} {line}", "")?;
            }
        }
    }
    Ok(())
}

/// The command reproducing the worst finding, and the headline.
fn footer(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if let Some(cmd) = &meta.reproduce {
        writeln!(w)?;
        writeln!(w, "Reproduce the worst one alone:")?;
        writeln!(w, "  {cmd}")?;
    }
    writeln!(w)?;
    let style = match verdict.status {
        Status::Pass => GREEN,
        _ => RED,
    };
    writeln!(
        w,
        "{style}{}{style:#} (exit code {})",
        headline(verdict),
        meta.exit_code
    )?;
    Ok(())
}
