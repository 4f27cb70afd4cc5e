//! Prometheus alert rules and their promtool unit tests, generated from the capabilities'
//! `[capability.metrics]`: the production side of the same budgets the benchmarks are held to.

mod humanize;
mod promtest;
mod rules;
mod yaml;

use std::collections::BTreeMap;

use crate::config::{AlertMetrics, Capability, Config, Selector};

pub const RULES: &str = "prometheus/cargo-budget.rules.yml";
pub const TESTS: &str = "prometheus/cargo-budget.test.yml";
/// The rules file as the test file names it (promtool resolves it from the test's directory).
const RULES_FROM_TESTS: &str = "cargo-budget.rules.yml";

/// The two files' bodies, `None` when no capability has metrics; an error names a selector
/// that no series the unit tests could make up would match.
pub fn files(config: &Config) -> Result<Option<(String, String)>, String> {
    let rules = rules_of(config);
    if rules.is_empty() {
        return Ok(None);
    }
    if let Some(r) = promtest::unsatisfiable(&rules) {
        return Err(format!(
            "budget.toml:{}: capability `{}`: the unit tests cannot make up a series that \
             `{}` selects; use `=` matchers, or regex alternatives of plain words",
            r.capability.line, r.capability.name, r.selector.text
        ));
    }
    Ok(Some((rules::render(&rules), promtest::render(&rules))))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Latency,
    Memory,
}

/// One alert rule: a capability's budget on one of its series.
struct Rule<'a> {
    capability: &'a Capability,
    metrics: &'a AlertMetrics,
    kind: Kind,
    selector: &'a Selector,
    /// Seconds (latency) or bytes (memory).
    threshold: f64,
}

fn rules_of(config: &Config) -> Vec<Rule<'_>> {
    let mut out = Vec::new();
    for c in &config.capabilities {
        let Some(m) = &c.metrics else { continue };
        if let (Some(s), Some(p95)) = (&m.latency, c.p95) {
            out.push(Rule {
                capability: c,
                metrics: m,
                kind: Kind::Latency,
                selector: s,
                threshold: p95.as_secs_f64(),
            });
        }
        if let (Some(s), Some(bytes)) = (&m.memory, c.memory) {
            out.push(Rule {
                capability: c,
                metrics: m,
                kind: Kind::Memory,
                selector: s,
                threshold: bytes as f64,
            });
        }
    }
    out
}

/// Text with `$value` shown where the alert's value goes.
struct Annotation {
    key: &'static str,
    /// Literal text before and after the value (`after: None`: no value in it).
    before: String,
    after: Option<String>,
}

impl Rule<'_> {
    fn alert(&self) -> &'static str {
        match self.kind {
            Kind::Latency => "CapabilityLatencyHigh",
            Kind::Memory => "CapabilityMemoryHigh",
        }
    }

    /// The budget as the alert's value is shown beside it.
    fn budget_text(&self) -> String {
        self.humanize(self.threshold)
    }

    /// How Prometheus shows the value in an annotation.
    fn humanize(&self, value: f64) -> String {
        match self.kind {
            Kind::Latency => humanize::duration(value),
            Kind::Memory => humanize::bytes(value),
        }
    }

    fn template_function(&self) -> &'static str {
        match self.kind {
            Kind::Latency => "humanizeDuration",
            Kind::Memory => "humanize1024",
        }
    }

    /// The labels every alert of this rule carries (besides those kept with `by`).
    fn labels(&self) -> BTreeMap<String, String> {
        let mut labels = self.metrics.labels.clone();
        labels.insert("capability".into(), self.capability.name.clone());
        labels
    }

    fn annotations(&self) -> Vec<Annotation> {
        let (name, budget) = (&self.capability.name, self.budget_text());
        let what = match self.kind {
            Kind::Latency => "p95 latency",
            Kind::Memory => "memory",
        };
        let mut out = vec![
            Annotation {
                key: "summary",
                before: format!("{what} of {name} above its budget of {budget}"),
                after: None,
            },
            Annotation {
                key: "description",
                before: format!("The {what} of capability {name} is "),
                after: Some(format!(
                    ", over its budget of {budget} in budget.toml (the same number \
                     `cargo budget bench` holds its benchmarks to)."
                )),
            },
        ];
        if let Some(adr) = &self.capability.adr {
            out.push(Annotation {
                key: "adr",
                before: adr.clone(),
                after: None,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests;
