//! `[[capability]]` entries: a unique name, valid bench globs and budgets, thresholds and the
//! metrics of its alert rules.

use toml::Spanned;

use super::{Invalid, invalid};
use crate::config::capability::{Alerts, Capability, CapabilityRegression, glob};
use crate::config::raw::{RawCapability, RawConfig};
use crate::config::types::Regression;

pub(super) fn resolve_capabilities(
    raw: &RawConfig,
    regression: Regression,
    alerts: &Alerts,
) -> Result<Vec<Capability>, Invalid> {
    let mut out: Vec<Capability> = Vec::new();
    for entry in &raw.capabilities {
        let c = entry.get_ref();
        let name = c.name.get_ref();
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return invalid(
                c.name.span(),
                "a capability name must be non-empty text without control characters",
            );
        }
        if out.iter().any(|o| &o.name == name) {
            return invalid(c.name.span(), format!("a second capability named `{name}`"));
        }
        let benches = benches(c, name)?;
        let p95 = match &c.p95 {
            None => None,
            Some(s) => Some(
                crate::config::units::parse_latency(s.get_ref())
                    .or_else(|m| invalid(s.span(), m))?,
            ),
        };
        let instructions = match &c.instructions {
            None => None,
            Some(v) => Some(instructions(v)?),
        };
        let complexity = match &c.complexity {
            None => None,
            Some(s) => Some(complexity(s)?),
        };
        if (p95.is_some() || instructions.is_some() || complexity.is_some()) && benches.is_empty() {
            return invalid(
                entry.span(),
                format!(
                    "capability `{name}` has a budget but no benches: add e.g. \
                     benches = [\"{name}/*\"]"
                ),
            );
        }
        let (tests, memory) = tests_and_memory(c, name)?;
        let regression = match &c.regression {
            None => None,
            Some(r) => Some(thresholds(r, name, regression)?),
        };
        let metrics = match &c.metrics {
            None => None,
            Some(m) => Some(super::metrics::resolve_metrics(m, name, alerts)?),
        };
        if let (Some(m), Some(raw)) = (&metrics, &c.metrics) {
            alerted_budgets(m, raw, name, p95.is_some(), memory.is_some())?;
        }
        out.push(Capability {
            name: name.clone(),
            benches,
            p95,
            instructions,
            complexity,
            tests,
            memory,
            regression,
            metrics,
            adr: c.adr.clone(),
            line: 0,
        });
    }
    Ok(out)
}

/// An alert needs the budget it alerts above: `latency` a `p95`, `memory` a `memory`.
fn alerted_budgets(
    m: &crate::config::capability::AlertMetrics,
    raw: &Spanned<crate::config::raw::RawMetrics>,
    name: &str,
    has_p95: bool,
    has_memory: bool,
) -> Result<(), Invalid> {
    let missing = match (&m.latency, &m.memory) {
        (Some(_), _) if !has_p95 => Some(("latency", "p95")),
        (_, Some(_)) if !has_memory => Some(("memory", "memory")),
        _ => None,
    };
    match missing {
        Some((metric, budget)) => invalid(
            raw.span(),
            format!(
                "capability `{name}`: an alert on `{metric}` needs the budget it alerts above: \
                 set `{budget}` on the capability"
            ),
        ),
        None => Ok(()),
    }
}

fn benches(c: &RawCapability, name: &str) -> Result<Vec<String>, Invalid> {
    let Some(spanned) = &c.benches else {
        return Ok(Vec::new());
    };
    for g in spanned.get_ref() {
        if g.is_empty() || glob(g).is_none() {
            return invalid(
                spanned.span(),
                format!("capability `{name}`: `{g}` is not a glob over benchmark ids"),
            );
        }
    }
    Ok(spanned.get_ref().clone())
}

/// `instructions = "2M"` (or `2000000`): a budget, never `true` (a capability's benchmarks
/// are counted because it has one).
fn instructions(v: &Spanned<toml::Value>) -> Result<u64, Invalid> {
    match v.get_ref() {
        toml::Value::String(s) => {
            crate::config::units::parse_count(s).or_else(|m| invalid(v.span(), m))
        }
        toml::Value::Integer(n) if *n > 0 => {
            crate::config::units::parse_count(&n.to_string()).or_else(|m| invalid(v.span(), m))
        }
        other => invalid(
            v.span(),
            format!(
                "a capability's `instructions` is the budget of each of its benchmarks, such \
                 as \"2M\", found {other}"
            ),
        ),
    }
}

fn complexity(s: &Spanned<String>) -> Result<crate::model::Complexity, Invalid> {
    crate::model::Complexity::parse(s.get_ref()).map_or_else(
        || {
            invalid(
                s.span(),
                format!(
                    "`{}` is not a complexity: write one of \"O(1)\", \"O(log n)\", \"O(n)\", \
                     \"O(n log n)\", \"O(n^2)\"",
                    s.get_ref()
                ),
            )
        },
        Ok,
    )
}

/// `tests` (a filterset) and `memory` (a size, which needs the tests it is measured on).
fn tests_and_memory(
    c: &RawCapability,
    name: &str,
) -> Result<(Option<String>, Option<u64>), Invalid> {
    let tests = match &c.tests {
        Some(t) if t.get_ref().trim().is_empty() => {
            return invalid(t.span(), format!("capability `{name}`: `tests` is empty"));
        }
        Some(t) => Some(t.get_ref().clone()),
        None => None,
    };
    let memory = match &c.memory {
        None => None,
        Some(m) => {
            if tests.is_none() {
                return invalid(
                    m.span(),
                    format!(
                        "capability `{name}`: `memory` is the peak of its tests; name them with \
                         a nextest filterset, e.g. tests = \"test(/^{name}::/)\""
                    ),
                );
            }
            Some(crate::config::units::parse_size(m.get_ref()).or_else(|e| invalid(m.span(), e))?)
        }
    };
    Ok((tests, memory))
}

/// `regression = { warn, fail }` over `[regression]`'s.
fn thresholds(
    r: &Spanned<crate::config::raw::RawCapabilityRegression>,
    name: &str,
    regression: Regression,
) -> Result<CapabilityRegression, Invalid> {
    let warn = super::opt_percent(&r.get_ref().warn, regression.warn)?;
    let fail = super::opt_percent(&r.get_ref().fail, regression.fail)?;
    if warn > fail {
        return invalid(
            r.span(),
            format!(
                "capability `{name}`: its regression warn threshold must not be above its fail \
                 threshold"
            ),
        );
    }
    Ok(CapabilityRegression { warn, fail })
}
