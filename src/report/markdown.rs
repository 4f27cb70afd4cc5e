//! `--format markdown`: a PR comment / `$GITHUB_STEP_SUMMARY` body. Absolute durations and
//! budgets with the overage, never a bare multiplier. Names and recorded text are
//! written so that GitHub shows them literally ([`super::md`]).

use std::io::{self, Write};

use super::md::{code, text as cell};
use super::{Meta, budget, headline, pct, secs};
use crate::policy::compare::{Basis, Call, Comparison, Delta, Level};
use crate::policy::noise::Spread;
use crate::policy::{Finding, Payload, Severity, Status, Verdict};

/// `1.498–1.506s (3)`: a test's runs, or `1.500s` for one.
fn runs(s: &Spread) -> String {
    if s.min == s.max {
        format!("{} ({})", secs(s.min), s.runs())
    } else {
        format!("{:.3}–{} ({})", s.min.as_secs_f64(), secs(s.max), s.runs())
    }
}

/// Per test: the baseline's runs, this run, the re-runs alone, the change and the call.
fn delta_table(w: &mut dyn Write, deltas: &[&Delta]) -> io::Result<()> {
    writeln!(
        w,
        "| Test | Baseline (runs) | Now | Re-run alone | Change | Judged against | |"
    )?;
    writeln!(w, "|---|---:|---:|---:|---:|---:|---|")?;
    for d in deltas {
        let mark = match d.call {
            Call::Slower {
                level: Level::Fail,
                held: None,
            } => ":x: fail".to_string(),
            Call::Slower { held: None, .. } => ":warning: warn".to_string(),
            Call::Slower { .. } => ":warning: warn (held)".to_string(),
            Call::NotConfirmed => "not slower alone".to_string(),
            Call::Faster => "faster".to_string(),
            Call::Same => String::new(),
        };
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {mark} |",
            code(&d.id.to_string()),
            runs(&d.before),
            runs(&d.after),
            d.reruns.as_ref().map_or("–".into(), runs),
            pct(d.change),
            judged_against(d),
        )?;
    }
    Ok(())
}

/// The time a test was held against: its baseline median, or the top of its band (noisy), and
/// the suite factor when one was applied.
fn judged_against(d: &Delta) -> String {
    let line = d.line();
    let judged = match d.basis {
        Basis::Median => secs(line.reference),
        Basis::Band { .. } if line.allowance.is_zero() => {
            format!("re-runs' band {}", secs(line.reference))
        }
        Basis::Band { .. } => format!(
            "band top {} + {} spread",
            secs(line.reference),
            secs(line.allowance)
        ),
    };
    if d.scale == 1.0 {
        judged
    } else {
        format!("{judged} (×{:.2})", d.scale)
    }
}

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    for section in [
        heading,
        tier_table,
        findings,
        instructions,
        comparison,
        andon,
        footer,
    ] {
        section(verdict, meta, w)?;
    }
    Ok(())
}

/// The headline and the run's facts.
fn heading(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
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
    Ok(())
}

/// The per-tier table.
fn tier_table(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let peaks = verdict.tiers.iter().any(|t| t.peak.is_some());
    let (head, rule) = match peaks {
        true => (" Peak memory |", "---:|"),
        false => ("", ""),
    };
    writeln!(
        w,
        "| Tier | Budget | Tests | Within budget | Violations | Failed | Rate |{head} Slowest passing |"
    )?;
    writeln!(w, "|---|---:|---:|---:|---:|---:|---:|{rule}---|")?;
    for t in &verdict.tiers {
        let slowest = match &t.slowest {
            Some((id, d, over)) if *over > 0.0 => {
                format!("{} {} ({})", code(&id.to_string()), secs(*d), pct(*over))
            }
            Some((id, d, _)) => format!("{} {}", code(&id.to_string()), secs(*d)),
            None => "–".into(),
        };
        let peak = match (&t.peak, peaks) {
            (_, false) => String::new(),
            (Some((_, b)), true) => format!(" {} |", crate::model::Amount::Bytes(*b)),
            (None, true) => " – |".to_string(),
        };
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} |{peak} {slowest} |",
            cell(&t.tier),
            budget(t.budget),
            t.tests,
            t.within,
            t.violations,
            t.failed,
            super::rate(t)
        )?;
    }
    Ok(())
}

/// The findings table.
fn findings(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if !verdict.findings.is_empty() {
        writeln!(w)?;
        writeln!(w, "### Findings")?;
        writeln!(w)?;
        writeln!(
            w,
            "| | Finding | Test | Measured | Budget | Over | Placed by |"
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
            let (measured, limit) = measured(f);
            writeln!(
                w,
                "| {mark} | {} | {test} | {measured} | {limit} | {} | {placed} |",
                f.kind().as_str(),
                f.overage().map_or("–".into(), pct),
            )?;
        }
    }
    Ok(())
}

/// The measured and budget columns of a finding: the peak or count and its budget for a
/// memory or instruction finding, the counts for a count's change or spread, else the times.
fn measured(f: &Finding) -> (String, String) {
    use crate::model::{Amount, grouped};
    match &f.payload {
        Payload::OverBudget {
            measured: m @ (Amount::Bytes(_) | Amount::Count(_)),
            budget: b,
            ..
        } => (m.to_string(), b.to_string()),
        Payload::CountRegression { growth } => (
            format!(
                "{} → {} instructions ({})",
                grouped(growth.before),
                grouped(growth.after),
                pct(growth.change)
            ),
            "–".into(),
        ),
        Payload::CountNondeterministic { low, high } => (
            format!("{}–{} instructions", grouped(*low), grouped(*high)),
            "–".into(),
        ),
        _ => (
            f.duration().map_or("–".into(), secs),
            f.budget().map_or("–".into(), budget),
        ),
    }
}

/// The tests whose instructions were counted, folded (the findings say what is wrong).
fn instructions(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    use crate::model::grouped;
    let rows = super::counted::rows(verdict);
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(
        w,
        "<details><summary>Instructions: {} counted under Valgrind</summary>",
        crate::text::count(rows.len(), "test")
    )?;
    writeln!(w)?;
    writeln!(w, "| Test | Tier | Instructions | Budget | Baseline |")?;
    writeln!(w, "|---|---|---:|---:|---:|")?;
    for r in rows {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} |",
            code(&r.test.to_string()),
            cell(r.tier),
            grouped(r.count),
            r.budget.map_or("–".into(), grouped),
            r.baseline.unwrap_or_else(|| "–".into()),
        )?;
    }
    writeln!(w)?;
    writeln!(w, "</details>")?;
    Ok(())
}

/// What the comparison is against: the baseline, comparability, the suite factor, noisy tests.
fn comparison_header(c: &Comparison, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w)?;
    let commit = c
        .baseline_commit
        .as_deref()
        .map_or("(no commit)".to_string(), |h| {
            code(&h.chars().take(10).collect::<String>())
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
            ":warning: Not comparable: {}; regressions are reported as warnings at most.",
            cell(&c.differences.join("; "))
        )?;
        writeln!(w)?;
    }
    if let Some(f) = c.factor {
        writeln!(
            w,
            "Suite factor ×{:.2} (the median test, over {} tests above the noise floor): {}",
            f.ratio,
            f.tests,
            if f.applied {
                "the machine or the whole suite is slower; each test is judged against it."
            } else {
                "within the warn threshold, so tests are judged against the baseline as it is."
            }
        )?;
        writeln!(w)?;
    }
    if let Some(line) = super::noisy_line(c) {
        writeln!(w, "{}.", cell(&line))?;
        writeln!(w)?;
    }
    Ok(())
}

/// The comparison with the baseline: regressions, noisy tests, the dismissed.
fn comparison(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if let Some(c) = &verdict.comparison {
        comparison_header(c, w)?;
        let shown = |d: &&Delta| matches!(d.call, Call::Slower { .. } | Call::Faster);
        let changed: Vec<&Delta> = c.deltas.iter().filter(shown).collect();
        if changed.is_empty() {
            writeln!(
                w,
                "No test changed beyond its baseline runs, the thresholds and the noise floor ({} compared).",
                c.compared
            )?;
        } else {
            delta_table(w, &changed)?;
        }
        let dismissed: Vec<&Delta> = c
            .deltas
            .iter()
            .filter(|d| d.call == Call::NotConfirmed)
            .collect();
        if !dismissed.is_empty() {
            writeln!(w)?;
            writeln!(
                w,
                "<details><summary>{} slower in the suite run, but not when re-run alone (noise, not gated)</summary>",
                crate::text::count(dismissed.len(), "test")
            )?;
            writeln!(w)?;
            delta_table(w, &dismissed)?;
            writeln!(w)?;
            writeln!(w, "</details>")?;
        }
        if !c.new.is_empty() || !c.removed.is_empty() {
            writeln!(w)?;
            writeln!(
                w,
                "{}, {} removed since the baseline.",
                crate::text::count(c.new.len(), "new test"),
                c.removed.len()
            )?;
        }
    }
    Ok(())
}

/// The andon signals with their actions.
fn andon(verdict: &Verdict, _meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if !verdict.andon.is_empty() {
        writeln!(w)?;
        writeln!(w, "### What to do")?;
        writeln!(w)?;
        for a in &verdict.andon {
            let level = match a.level {
                crate::policy::AndonLevel::High => "**high**",
                crate::policy::AndonLevel::Medium => "medium",
            };
            let (signal, action) = super::andon::texts(a);
            writeln!(w, "- {level}: {} — {}", cell(&signal), cell(&action))?;
        }
    }
    Ok(())
}

/// The command reproducing the worst finding.
fn footer(_verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    if let Some(cmd) = &meta.reproduce {
        writeln!(w)?;
        writeln!(w, "Reproduce the worst one alone:")?;
        writeln!(w)?;
        // A fence longer than any run of backticks in the command: a name cannot close it.
        let longest = cmd.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        writeln!(w, "{fence}sh\n{cmd}\n{fence}")?;
    }
    Ok(())
}
