//! The reclassify plan as text (what `--dry-run` and non-interactive runs print) and as JSON
//! (`--json`, for scripts).

use std::path::Path;

use jiff::civil::Date;

use crate::config::units::format_budget;
use crate::policy::reclassify::Choice;
use crate::reclassify::decision::Decision;

/// `p` relative to `root`, as the plan shows paths.
pub fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// What `choice` will do to the decision's test, in one line; exceptions expire on `expiry`.
pub fn choice_text(choice: Choice, d: &Decision, expiry: Date) -> String {
    match (choice, &d.plan, &d.candidate.move_to) {
        (Choice::Move, Some(p), Some((tier, _))) => format!(
            "move module `{}` to the {tier} tier: git mv {} → {}, `mod {};` moves between the main.rs files",
            p.module,
            p.paths
                .iter()
                .map(|(f, _)| f
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            p.to_main
                .parent()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            p.module
        ),
        (Choice::Exception, ..) => match &d.candidate.rule {
            // A tier-only exception already names the test: it gets the budget.
            crate::policy::Rule::Exception { line } => format!(
                "add a budget of {} to its exception (budget.toml:{line}) until {}, with an ADR in docs/adr/",
                format_budget(d.candidate.exception_budget()),
                expiry,
            ),
            _ => format!(
                "record an exception: budget {} until {}, with an ADR in docs/adr/",
                format_budget(d.candidate.exception_budget()),
                expiry,
            ),
        },
        (Choice::Later, ..) => "mark for later (listed first next time)".into(),
        (Choice::Skip, ..) => "skip".into(),
        _ => choice.describe().into(),
    }
}

/// The plan as text, one numbered entry per test.
pub fn plan_text(decisions: &[Decision], root: &Path, expiry: Date) -> String {
    let mut text = String::from("Reclassification plan (defaults):\n");
    for (i, d) in decisions.iter().enumerate() {
        let c = &d.candidate;
        text.push_str(&format!(
            "  {}. {} — {:.3}s, {} budget {} ({}):\n     {}\n",
            i + 1,
            crate::text::shown(&c.id),
            c.duration.as_secs_f64(),
            c.tier,
            format_budget(c.budget),
            c.rule,
            choice_text(d.choice, d, expiry)
        ));
        if let Some(why) = &d.no_move {
            text.push_str(&format!("     (no move: {why})\n"));
        }
        if let Some(p) = d.plan.as_ref().filter(|_| d.choice == Choice::Move) {
            for (from, to) in &p.paths {
                text.push_str(&format!(
                    "     git mv {} {}\n",
                    rel(root, from),
                    rel(root, to)
                ));
            }
            if !p.along.is_empty() {
                text.push_str(&format!(
                    "     moves along: {}\n",
                    p.along
                        .iter()
                        .map(|t| crate::text::shown(&t.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    text
}

/// The plan as JSON (`schema_version` 1).
pub fn plan_json(decisions: &[Decision], root: &Path) -> String {
    let items: Vec<serde_json::Value> = decisions
        .iter()
        .map(|d| {
            let c = &d.candidate;
            serde_json::json!({
                "binary_id": c.id.binary_id,
                "name": c.id.name,
                "tier": c.tier,
                "rule": c.rule.to_string(),
                "duration_ms": c.duration.as_millis() as u64,
                "budget_ms": c.budget.as_millis() as u64,
                "choices": c.choices,
                "choice": d.choice,
                "move_to": c.move_to.as_ref().map(|(tier, _)| tier),
                "no_move": d.no_move,
                "moves": d.plan.as_ref().map(|p| p.paths.iter().map(|(f, t)| [rel(root, f), rel(root, t)]).collect::<Vec<_>>()),
                "moves_along": d.plan.as_ref().map(|p| p.along.iter().map(|t| t.name.clone()).collect::<Vec<_>>()),
                "exception_budget_ms": c.exception_budget().as_millis() as u64,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(
        &serde_json::json!({ "schema_version": 1, "candidates": items }),
    )
    .expect("JSON value serializes");
    text.push('\n');
    text
}
