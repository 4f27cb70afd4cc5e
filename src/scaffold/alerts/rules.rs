//! The alert rules file: one `cargo-budget` group, two rules per capability at most.

use std::fmt::Write;

use super::yaml::{duration, literal, number, q};
use super::{Kind, Rule};

pub(super) fn render(rules: &[Rule<'_>]) -> String {
    let mut out = String::from(
        "# Alert rules from the [[capability]] budgets in budget.toml: `cargo budget alerts`\n\
         # rewrites this file, `cargo budget alerts --check` fails when it drifts.\n\
         groups:\n  - name: cargo-budget\n    rules:\n",
    );
    for rule in rules {
        let _ = writeln!(out, "      - alert: {}", rule.alert());
        let _ = writeln!(out, "        expr: {}", q(&expr(rule)));
        let _ = writeln!(out, "        for: {}", duration(rule.metrics.for_));
        out.push_str("        labels:\n");
        for (k, v) in rule.labels() {
            let _ = writeln!(out, "          {k}: {}", q(&literal(&v)));
        }
        out.push_str("        annotations:\n");
        for a in rule.annotations() {
            let text = match &a.after {
                None => literal(&a.before),
                Some(after) => format!(
                    "{}{{{{ $value | {} }}}}{}",
                    literal(&a.before),
                    rule.template_function(),
                    literal(after)
                ),
            };
            let _ = writeln!(out, "          {}: {}", a.key, q(&text));
        }
    }
    out
}

/// The PromQL of a rule: the p95 of the histogram's rate over the window, or the gauge's
/// maximum, grouped by the labels kept, above the budget.
pub(super) fn expr(rule: &Rule<'_>) -> String {
    let by = rule.metrics.by.join(", ");
    let sel = &rule.selector.text;
    match rule.kind {
        Kind::Latency => format!(
            "histogram_quantile(0.95, sum by (le{}) (rate({sel}[{}]))) > {}",
            if by.is_empty() {
                String::new()
            } else {
                format!(", {by}")
            },
            duration(rule.metrics.window),
            number(rule.threshold)
        ),
        Kind::Memory if by.is_empty() => format!("max({sel}) > {}", number(rule.threshold)),
        Kind::Memory => format!("max by ({by}) ({sel}) > {}", number(rule.threshold)),
    }
}
