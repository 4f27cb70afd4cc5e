//! `[alerts]` and `[capability.metrics]`: series selectors checked by a PromQL parser, alert
//! durations and labels that Prometheus accepts.

use std::collections::BTreeMap;
use std::time::Duration;

use toml::Spanned;

use super::{Invalid, invalid};
use crate::config::capability::{AlertMetrics, Alerts, MatchOp, Matcher, Selector};
use crate::config::raw::{RawAlerts, RawMetrics};

/// Labels cargo-budget sets itself on every alert.
const RESERVED: [&str; 2] = ["capability", "alertname"];

pub(super) fn resolve_alerts(raw: &RawAlerts) -> Result<Alerts, Invalid> {
    let defaults = Alerts::default();
    let mut labels = defaults.labels;
    if let Some(l) = &raw.labels {
        check_labels(l)?;
        labels.extend(l.get_ref().clone());
    }
    Ok(Alerts {
        for_: opt_seconds(&raw.for_, "for", defaults.for_)?,
        window: window(&raw.window, defaults.window)?,
        labels,
    })
}

pub(super) fn resolve_metrics(
    m: &Spanned<RawMetrics>,
    name: &str,
    alerts: &Alerts,
) -> Result<AlertMetrics, Invalid> {
    let raw = m.get_ref();
    let latency = raw.latency.as_ref().map(selector).transpose()?;
    if let (Some(s), Some(l)) = (&latency, &raw.latency)
        && !s.metric.ends_with("_bucket")
    {
        return invalid(
            l.span(),
            format!(
                "capability `{name}`: `latency` must select a histogram's `_bucket` series \
                 (its p95 is computed from them), not `{}`",
                s.metric
            ),
        );
    }
    let memory = raw.memory.as_ref().map(selector).transpose()?;
    if latency.is_none() && memory.is_none() {
        return invalid(
            m.span(),
            format!("capability `{name}`: [capability.metrics] needs `latency` or `memory`"),
        );
    }
    let mut by = Vec::new();
    if let Some(b) = &raw.by {
        for label in b.get_ref() {
            if !label_name(label) || label == "le" || RESERVED.contains(&label.as_str()) {
                return invalid(b.span(), format!("`{label}` cannot be a label to keep"));
            }
            if !by.contains(label) {
                by.push(label.clone());
            }
        }
    }
    let mut labels = alerts.labels.clone();
    if let Some(l) = &raw.labels {
        check_labels(l)?;
        labels.extend(l.get_ref().clone());
    }
    Ok(AlertMetrics {
        latency,
        memory,
        by,
        for_: opt_seconds(&raw.for_, "for", alerts.for_)?,
        window: alerts.window,
        labels,
    })
}

/// A PromQL series selector with a metric name and plain label matchers.
fn selector(text: &Spanned<String>) -> Result<Selector, Invalid> {
    use promql_parser::parser::Expr;
    let wrong = |why: &str| {
        invalid(
            text.span(),
            format!(
                "`{}` is not a series selector like name{{label=\"value\"}}: {why}",
                text.get_ref()
            ),
        )
    };
    let parsed = match promql_parser::parser::parse(text.get_ref()) {
        Ok(Expr::VectorSelector(v)) => v,
        Ok(_) => return wrong("it is an expression; write the series it reads"),
        Err(e) => return wrong(e.trim()),
    };
    if parsed.offset.is_some() || parsed.at.is_some() || !parsed.matchers.or_matchers.is_empty() {
        return wrong("`offset`, `@` and `or` are not supported here");
    }
    let Some(metric) = parsed.name.clone() else {
        return wrong("it needs a metric name");
    };
    let matchers = parsed
        .matchers
        .matchers
        .iter()
        .filter(|m| m.name != "__name__")
        .map(|m| Matcher {
            name: m.name.clone(),
            op: match m.op {
                promql_parser::label::MatchOp::Equal => MatchOp::Equal,
                promql_parser::label::MatchOp::NotEqual => MatchOp::NotEqual,
                promql_parser::label::MatchOp::Re(_) => MatchOp::Regex,
                promql_parser::label::MatchOp::NotRe(_) => MatchOp::NotRegex,
            },
            value: m.value.clone(),
        })
        .collect();
    Ok(Selector {
        text: text.get_ref().trim().to_string(),
        metric,
        matchers,
    })
}

fn label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with("__")
}

fn check_labels(labels: &Spanned<BTreeMap<String, String>>) -> Result<(), Invalid> {
    for key in labels.get_ref().keys() {
        if !label_name(key) || RESERVED.contains(&key.as_str()) {
            return invalid(
                labels.span(),
                format!(
                    "`{key}` cannot be an alert label: use letters, digits and `_` (not a \
                     leading `__`); `capability` and `alertname` are set by cargo-budget"
                ),
            );
        }
    }
    Ok(())
}

/// A whole number of seconds (Prometheus durations), `default` when absent.
fn opt_seconds(
    s: &Option<Spanned<String>>,
    key: &str,
    default: Duration,
) -> Result<Duration, Invalid> {
    let Some(s) = s else { return Ok(default) };
    let d = humantime::parse_duration(s.get_ref().trim())
        .map_err(|e| e.to_string())
        .or_else(|m| invalid(s.span(), format!("`{key}`: {m}")))?;
    if d.subsec_nanos() != 0 {
        return invalid(s.span(), format!("`{key}` must be whole seconds"));
    }
    Ok(d)
}

/// The latency rule's rate window: at least a minute, so two scrapes fall in it.
fn window(s: &Option<Spanned<String>>, default: Duration) -> Result<Duration, Invalid> {
    let d = opt_seconds(s, "window", default)?;
    match (s, d < Duration::from_secs(60)) {
        (Some(s), true) => invalid(s.span(), "`window` must be at least 1m"),
        _ => Ok(d),
    }
}
