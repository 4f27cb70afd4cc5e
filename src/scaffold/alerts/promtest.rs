//! The promtool unit tests of the rules: for every rule, series of its capability above the
//! budget (the alert fires, with the labels and annotations stated) and below it (silence),
//! and what every other rule makes of the same series.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::yaml::{duration, label_value, number, q};
use super::{Kind, RULES_FROM_TESTS, Rule};
use crate::config::{MatchOp, Matcher};

/// Made-up series of one rule's metric, and the value Prometheus computes from them.
struct Case<'r, 'a> {
    rule: &'r Rule<'a>,
    above: bool,
    labels: BTreeMap<String, String>,
}

impl Case<'_, '_> {
    /// The p95 (seconds) or the gauge (bytes) that the case's series give.
    fn value(&self) -> f64 {
        let t = self.rule.threshold;
        match (self.rule.kind, self.above) {
            // Every observation between the budget and twice it, 95 % of them below twice it:
            // the 95th percentile is twice the budget.
            (Kind::Latency, true) => 2.0 * t,
            // Every observation below half the budget: interpolated, 0.95 of that.
            (Kind::Latency, false) => 0.95 * t / 2.0,
            (Kind::Memory, true) => 2.0 * t,
            (Kind::Memory, false) => t / 2.0,
        }
    }

    /// `(series, values)` over `samples` one-minute samples.
    fn series(&self, samples: u64) -> Vec<(String, String)> {
        let t = self.rule.threshold;
        let name = &self.rule.selector.metric;
        let with = |extra: Option<(&str, String)>| {
            let mut labels: Vec<String> = self
                .labels
                .iter()
                .map(|(k, v)| format!("{k}={}", label_value(v)))
                .collect();
            labels.extend(extra.map(|(k, v)| format!("{k}={}", label_value(&v))));
            format!("{name}{{{}}}", labels.join(", "))
        };
        let n = samples - 1;
        match (self.rule.kind, self.above) {
            (Kind::Latency, above) => {
                let buckets: Vec<(String, u32)> = match above {
                    true => vec![(number(t), 0), (number(2.0 * t), 95), ("+Inf".into(), 100)],
                    false => [number(t / 2.0), number(t), number(2.0 * t), "+Inf".into()]
                        .into_iter()
                        .map(|le| (le, 100))
                        .collect(),
                };
                buckets
                    .into_iter()
                    .map(|(le, per_minute)| (with(Some(("le", le))), format!("0+{per_minute}x{n}")))
                    .collect()
            }
            (Kind::Memory, _) => vec![(with(None), format!("{}x{n}", number(self.value())))],
        }
    }
}

pub(super) fn render(rules: &[Rule<'_>]) -> String {
    let longest = rules
        .iter()
        .map(|r| r.metrics.for_ + r.metrics.window)
        .max()
        .unwrap_or_default();
    // Whole minutes after the longest `for` and window, with a minute to spare each side.
    let eval_minutes = longest.as_secs().div_ceil(60) + 2;
    let mut out = format!(
        "# promtool unit tests of {RULES_FROM_TESTS}: each alert fires above its budget and\n\
         # stays silent below it. Run: promtool test rules {}\n\
         rule_files:\n  - {}\nevaluation_interval: 1m\ntests:\n",
        super::TESTS,
        q(RULES_FROM_TESTS)
    );
    let alertnames: Vec<&str> = {
        let mut names: Vec<&str> = rules.iter().map(Rule::alert).collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    for rule in rules {
        for above in [true, false] {
            let case = Case {
                rule,
                above,
                labels: series_labels(rule),
            };
            let name = format!(
                "{}: {} {} its budget",
                rule.capability.name,
                rule.alert(),
                if above { "above" } else { "below" }
            );
            let _ = writeln!(
                out,
                "  - name: {}\n    interval: 1m\n    input_series:",
                q(&name)
            );
            for (series, values) in case.series(eval_minutes + 1) {
                let _ = writeln!(out, "      - series: {}", q(&series));
                let _ = writeln!(out, "        values: {}", q(&values));
            }
            out.push_str("    alert_rule_test:\n");
            for name in &alertnames {
                expectations(&mut out, name, eval_minutes, &case, rules);
            }
        }
    }
    out
}

/// The alerts named `alertname` that fire on `case`'s series, whichever rule they come from.
fn expectations(
    out: &mut String,
    alertname: &str,
    eval_minutes: u64,
    case: &Case<'_, '_>,
    rules: &[Rule<'_>],
) {
    let _ = writeln!(
        out,
        "      - eval_time: {}",
        duration(std::time::Duration::from_secs(eval_minutes * 60))
    );
    let _ = writeln!(out, "        alertname: {alertname}");
    let firing: Vec<&Rule<'_>> = rules
        .iter()
        .filter(|r| r.alert() == alertname && fires(r, case))
        .collect();
    if firing.is_empty() {
        out.push_str("        exp_alerts: []\n");
        return;
    }
    out.push_str("        exp_alerts:\n");
    for r in firing {
        let mut labels: BTreeMap<String, String> = r
            .metrics
            .by
            .iter()
            .filter_map(|k| {
                case.labels
                    .get(k)
                    .filter(|v| !v.is_empty())
                    .map(|v| (k.clone(), v.clone()))
            })
            .collect();
        labels.extend(r.labels());
        out.push_str("          - exp_labels:\n");
        for (k, v) in labels {
            let _ = writeln!(out, "              {k}: {}", q(&v));
        }
        out.push_str("            exp_annotations:\n");
        for a in r.annotations() {
            let text = match &a.after {
                None => a.before.clone(),
                Some(after) => format!("{}{}{after}", a.before, r.humanize(case.value())),
            };
            let _ = writeln!(out, "              {}: {}", a.key, q(&text));
        }
    }
}

/// Whether `rule` selects `case`'s series and finds them over its budget.
fn fires(rule: &Rule<'_>, case: &Case<'_, '_>) -> bool {
    rule.kind == case.rule.kind
        && rule.selector.metric == case.rule.selector.metric
        && rule
            .selector
            .matchers
            .iter()
            .all(|m| m.matches(case.labels.get(&m.name).map_or("", String::as_str)))
        && case.value() > rule.threshold
}

/// Labels that `rule`'s selector selects, and a value for each label it keeps.
fn series_labels(rule: &Rule<'_>) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut names: Vec<&str> = rule
        .selector
        .matchers
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    names.extend(rule.metrics.by.iter().map(String::as_str));
    names.sort_unstable();
    names.dedup();
    for name in names {
        let on: Vec<&Matcher> = rule
            .selector
            .matchers
            .iter()
            .filter(|m| m.name == name)
            .collect();
        if let Some(v) = candidates(&on)
            .into_iter()
            .find(|v| on.iter().all(|m| m.matches(v)))
            && !v.is_empty()
        {
            labels.insert(name.to_string(), v);
        }
    }
    labels
}

/// Values worth trying for a label: those the matchers name, then made-up ones.
pub(super) fn candidates(on: &[&Matcher]) -> Vec<String> {
    let mut out = Vec::new();
    for m in on {
        match m.op {
            MatchOp::Equal => out.push(m.value.clone()),
            MatchOp::Regex => out.extend(
                m.value
                    .split('|')
                    .map(|alt| alt.replace('\\', ""))
                    .filter(|alt| !alt.chars().any(|c| "^$.*+?()[]{}".contains(c))),
            ),
            MatchOp::NotEqual | MatchOp::NotRegex => {}
        }
    }
    out.extend([
        "cargo-budget-test".to_string(),
        "test-2".to_string(),
        String::new(),
    ]);
    out
}

/// The rule whose selector no made-up series satisfies, for an error before anything is
/// written (a unit test that cannot exercise a rule proves nothing).
pub(super) fn unsatisfiable<'r, 'a>(rules: &'r [Rule<'a>]) -> Option<&'r Rule<'a>> {
    rules.iter().find(|r| {
        let labels = series_labels(r);
        !r.selector
            .matchers
            .iter()
            .all(|m| m.matches(labels.get(&m.name).map_or("", String::as_str)))
    })
}
