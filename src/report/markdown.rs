//! `--format markdown`: a PR comment / `$GITHUB_STEP_SUMMARY` body. Absolute durations and
//! budgets with the overage, never a bare multiplier. Names are HTML-escaped inside `<code>`.

use std::io::{self, Write};

use super::{Meta, budget, headline, pct, secs};
use crate::policy::{Severity, Status, Verdict};

/// Escapes text for a table cell: HTML entities plus `|`.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '`' => out.push_str("&#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn code(text: &str) -> String {
    format!("<code>{}</code>", cell(text))
}

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let icon = match verdict.status {
        Status::Pass => ":white_check_mark:",
        _ => ":x:",
    };
    writeln!(w, "## {icon} cargo-budget — {}", cell(&headline(verdict)))?;
    writeln!(w)?;
    let mut facts = vec![
        format!("context `{}`", verdict.context),
        format!("phase `{}`", verdict.phase.as_str()),
    ];
    if let Some(wall) = verdict.wall {
        facts.push(format!(
            "suite {} of {} budget",
            secs(wall),
            budget(verdict.suite_budget)
        ));
    }
    writeln!(w, "{}", facts.join(" · "))?;
    writeln!(w)?;
    writeln!(
        w,
        "| Tier | Budget | Tests | Within budget | Violations | Failed | Rate | Slowest passing |"
    )?;
    writeln!(w, "|---|---:|---:|---:|---:|---:|---:|---|")?;
    for t in &verdict.tiers {
        let slowest = match &t.slowest {
            Some((id, d, over)) if *over > 0.0 => {
                format!("{} {} ({})", code(&id.to_string()), secs(*d), pct(*over))
            }
            Some((id, d, _)) => format!("{} {}", code(&id.to_string()), secs(*d)),
            None => "–".into(),
        };
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {:.1}% | {slowest} |",
            cell(&t.tier),
            budget(t.budget),
            t.tests,
            t.within,
            t.violations,
            t.failed,
            t.violation_rate() * 100.0
        )?;
    }
    if !verdict.findings.is_empty() {
        writeln!(w)?;
        writeln!(w, "### Findings")?;
        writeln!(w)?;
        writeln!(
            w,
            "| | Finding | Test | Duration | Budget | Over | Placed by |"
        )?;
        writeln!(w, "|---|---|---|---:|---:|---:|---|")?;
        for f in &verdict.findings {
            let mark = match f.severity {
                Severity::Error => ":x: error",
                Severity::Warning => ":warning: warning",
                Severity::Info => ":information_source: info",
            };
            let test = f
                .test
                .as_ref()
                .map_or("suite".to_string(), |t| code(&t.to_string()));
            let placed = match (&f.tier, &f.rule) {
                (Some(tier), Some(rule)) => {
                    format!("{} by {}", cell(tier), cell(&rule.to_string()))
                }
                (None, Some(rule)) => cell(&rule.to_string()),
                _ => "–".into(),
            };
            writeln!(
                w,
                "| {mark} | {} | {test} | {} | {} | {} | {placed} |",
                f.kind.as_str(),
                f.duration.map_or("–".into(), secs),
                f.budget.map_or("–".into(), budget),
                f.overage.map_or("–".into(), pct),
            )?;
        }
    }
    if let Some(c) = &verdict.comparison {
        writeln!(w)?;
        let commit = c
            .baseline_commit
            .as_deref()
            .map_or("(no commit)".to_string(), |h| {
                format!("`{}`", h.chars().take(10).collect::<String>())
            });
        writeln!(
            w,
            "### Compared with baseline {commit} ({})",
            cell(&c.baseline_created)
        )?;
        writeln!(w)?;
        if !c.comparable() {
            writeln!(
                w,
                ":warning: Not comparable: {} differ; regressions are reported as warnings at most.",
                cell(&c.differences.join(", "))
            )?;
            writeln!(w)?;
        }
        let changed: Vec<_> = c
            .deltas
            .iter()
            .filter(|d| d.level.is_some() || d.improved)
            .collect();
        if changed.is_empty() {
            writeln!(
                w,
                "No test changed beyond the warn threshold and the noise floor ({} compared).",
                c.deltas.len()
            )?;
        } else {
            writeln!(w, "| Test | Baseline | Now | Change | |")?;
            writeln!(w, "|---|---:|---:|---:|---|")?;
            for d in changed {
                let mark = match d.level {
                    Some(crate::policy::compare::Level::Fail) => ":x: fail",
                    Some(crate::policy::compare::Level::Warn) => ":warning: warn",
                    None => "",
                };
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {mark} |",
                    code(&d.id.to_string()),
                    secs(d.before),
                    secs(d.after),
                    pct(d.change)
                )?;
            }
        }
        if !c.new.is_empty() || !c.removed.is_empty() {
            writeln!(w)?;
            writeln!(
                w,
                "{} new test(s), {} removed since the baseline.",
                c.new.len(),
                c.removed.len()
            )?;
        }
    }
    if !verdict.andon.is_empty() {
        writeln!(w)?;
        writeln!(w, "### What to do")?;
        writeln!(w)?;
        for a in &verdict.andon {
            let level = match a.level {
                crate::policy::AndonLevel::High => "**high**",
                crate::policy::AndonLevel::Medium => "medium",
            };
            writeln!(w, "- {level}: {} — {}", cell(&a.signal), cell(&a.action))?;
        }
    }
    if let Some(cmd) = &meta.reproduce {
        writeln!(w)?;
        writeln!(w, "Reproduce the worst one alone:")?;
        writeln!(w)?;
        writeln!(w, "```sh\n{cmd}\n```")?;
    }
    Ok(())
}
