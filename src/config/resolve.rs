//! Validation: turns the raw serde model into a [`Config`], merging user tiers over the defaults
//! and rejecting anything ambiguous with the position of the offending value.

use std::ops::Range;
use std::time::Duration;

use toml::Spanned;

use super::raw::RawConfig;
use super::types::{Config, Enforce, Enforcement, Exception, Phase, Regression, Tier};
use super::units::{parse_duration, parse_percent};
use crate::model::TestId;

mod capabilities;
mod metrics;
mod tiers;
use tiers::resolve_tiers;
pub use tiers::{default_tiers, unknown_tier_message};

pub const SCHEMA: i64 = 1;

/// Re-runs of a slower test beyond this cost more than they tell.
pub const MAX_CONFIRM_RUNS: u32 = 20;
/// With budgets of at most [`super::units::MAX_DURATION`], nextest's kill time stays in range.
pub const MAX_KILL_AFTER: i64 = 100;

/// A validation problem: a message and the byte span of the value it is about.
#[derive(Debug)]
pub struct Invalid {
    pub message: String,
    pub span: Option<Range<usize>>,
}

fn invalid<T>(span: Range<usize>, message: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid {
        message: message.into(),
        span: Some(span),
    })
}

pub fn resolve(raw: RawConfig) -> Result<Config, Invalid> {
    check_schema(&raw)?;
    let phase = phase(&raw)?;
    let mut tiers = resolve_tiers(&raw.tiers)?;
    let default_tier = match &raw.defaults.tier {
        None => "integration".to_string(),
        Some(t) => {
            if !tiers.iter().any(|tier| &tier.name == t.get_ref()) {
                return invalid(t.span(), unknown_tier_message(t.get_ref(), &tiers));
            }
            t.get_ref().clone()
        }
    };
    let kill_after = kill_after(&raw)?;
    let grace_period = opt_duration(&raw.defaults.grace_period, Duration::from_millis(500))?;
    let suite_budget = opt_duration(&raw.suite.budget, Duration::from_secs(300))?;
    let regression = regression(&raw)?;
    tier_regressions(&raw, &mut tiers, regression)?;
    let enforce = Enforce {
        dev: opt_enforcement(&raw.enforce.dev, Enforcement::Warn)?,
        pre_commit: opt_enforcement(&raw.enforce.pre_commit, Enforcement::Strict)?,
        ci: opt_enforcement(&raw.enforce.ci, Enforcement::Strict)?,
        release: opt_enforcement(&raw.enforce.release, Enforcement::Strict)?,
    };
    let exceptions = exceptions(&raw, &tiers)?;
    let alerts = metrics::resolve_alerts(&raw.alerts)?;
    let capabilities = capabilities::resolve_capabilities(&raw, regression, &alerts)?;
    Ok(Config {
        source: None,
        phase,
        tiers,
        default_tier,
        kill_after,
        grace_period,
        suite_budget,
        regression,
        enforce,
        exceptions,
        capabilities,
        alerts,
        trend: trend(&raw)?,
    })
}

/// `[trend]`: a window of 5 to 1000 runs, fractions for flakiness and headroom.
fn trend(raw: &RawConfig) -> Result<super::types::Trend, Invalid> {
    let d = super::types::Trend::default();
    let window = match &raw.trend.window {
        None => d.window,
        Some(w) if (5..=1000).contains(w.get_ref()) => *w.get_ref() as usize,
        Some(w) => {
            return invalid(
                w.span(),
                "trend.window must be a number of runs from 5 to 1000",
            );
        }
    };
    Ok(super::types::Trend {
        window,
        flaky: opt_percent(&raw.trend.flaky, d.flaky)?,
        headroom: opt_percent(&raw.trend.headroom, d.headroom)?,
    })
}

/// `schema = 1`, or none.
fn check_schema(raw: &RawConfig) -> Result<(), Invalid> {
    if let Some(schema) = &raw.schema
        && *schema.get_ref() != SCHEMA
    {
        let v = *schema.get_ref();
        let why = if v > SCHEMA {
            "it was written for a newer cargo-budget; upgrade cargo-budget"
        } else {
            "the only schema is 1"
        };
        return invalid(schema.span(), format!("unsupported schema {v}: {why}"));
    }
    Ok(())
}

/// `phase`, strict by default.
fn phase(raw: &RawConfig) -> Result<Phase, Invalid> {
    Ok(match &raw.phase {
        None => Phase::Strict,
        Some(p) => Phase::parse(p.get_ref()).map_or_else(
            || {
                invalid(
                    p.span(),
                    format!(
                        "unknown phase `{}`: expected \"measure\", \"warn\" or \"strict\"",
                        p.get_ref()
                    ),
                )
            },
            Ok,
        )?,
    })
}

/// `[defaults] kill_after`: 1 to the maximum, 3 by default.
fn kill_after(raw: &RawConfig) -> Result<u32, Invalid> {
    Ok(match &raw.defaults.kill_after {
        None => 3,
        Some(k) => match *k.get_ref() {
            v if v < 1 => {
                return invalid(
                    k.span(),
                    "kill_after must be 1 or more: a test is stopped after this many budgets",
                );
            }
            v if v > MAX_KILL_AFTER => {
                return invalid(
                    k.span(),
                    format!("kill_after `{v}` is too large: at most {MAX_KILL_AFTER} budgets"),
                );
            }
            v => v as u32,
        },
    })
}

/// `[regression]`: thresholds (warn not above fail), the noise floor, the confirmation runs.
fn regression(raw: &RawConfig) -> Result<Regression, Invalid> {
    let warn = opt_percent(&raw.regression.warn, 0.10)?;
    let fail = opt_percent(&raw.regression.fail, 0.25)?;
    if warn > fail
        && let Some(w) = &raw.regression.warn
    {
        return invalid(
            w.span(),
            "regression.warn must not be above regression.fail",
        );
    }
    let noise_floor = opt_duration(&raw.regression.noise_floor, Duration::from_millis(20))?;
    let confirm_runs = match &raw.regression.confirm_runs {
        None => 3,
        Some(n) => match u32::try_from(*n.get_ref()) {
            Ok(v) if v <= MAX_CONFIRM_RUNS => v,
            _ => {
                return invalid(
                    n.span(),
                    format!(
                        "regression.confirm_runs must be a whole number from 0 (never re-run) to {MAX_CONFIRM_RUNS}"
                    ),
                );
            }
        },
    };

    Ok(Regression {
        warn,
        fail,
        noise_floor,
        confirm_runs,
        instructions: count_thresholds(raw)?,
    })
}

/// `[regression] instructions = { warn, fail }`, defaults 1 % and 3 %.
fn count_thresholds(raw: &RawConfig) -> Result<crate::config::types::CountThresholds, Invalid> {
    let defaults = crate::config::types::CountThresholds::default();
    let Some(own) = &raw.regression.instructions else {
        return Ok(defaults);
    };
    let r = own.get_ref();
    let warn = opt_percent(&r.warn, defaults.warn)?;
    let fail = opt_percent(&r.fail, defaults.fail)?;
    if warn > fail {
        return invalid(
            own.span(),
            "regression.instructions: warn must not be above fail",
        );
    }
    // Changes are judged as reports show them, to 0.1 %: a finer threshold would read as 0.
    for (name, value, raw) in [("warn", warn, &r.warn), ("fail", fail, &r.fail)] {
        if value < 0.001
            && let Some(raw) = raw
        {
            return invalid(
                raw.span(),
                format!(
                    "regression.instructions.{name} must be at least 0.1% (changes are judged to 0.1%)"
                ),
            );
        }
    }
    Ok(crate::config::types::CountThresholds { warn, fail })
}

/// Each tier's own `regression = { … }`, the rest from `[regression]`.
fn tier_regressions(
    raw: &RawConfig,
    tiers: &mut [Tier],
    regression: Regression,
) -> Result<(), Invalid> {
    for tier in tiers.iter_mut() {
        let Some(own) = raw
            .tiers
            .get(&tier.name)
            .and_then(|t| t.get_ref().regression.as_ref())
        else {
            continue;
        };
        let r = own.get_ref();
        let warn = opt_percent(&r.warn, regression.warn)?;
        let fail = opt_percent(&r.fail, regression.fail)?;
        if warn > fail {
            return invalid(
                own.span(),
                format!(
                    "tier `{}`: its regression warn threshold must not be above its fail threshold",
                    tier.name
                ),
            );
        }
        tier.regression = Some(Regression {
            warn,
            fail,
            noise_floor: opt_duration(&r.noise_floor, regression.noise_floor)?,
            confirm_runs: regression.confirm_runs,
            instructions: regression.instructions,
        });
    }
    Ok(())
}

/// `[[exception]]` entries: a test named once, a known tier, valid budget and date.
fn exceptions(raw: &RawConfig, tiers: &[Tier]) -> Result<Vec<Exception>, Invalid> {
    let mut exceptions: Vec<Exception> = Vec::new();
    for entry in &raw.exceptions {
        let e = entry.get_ref();
        let text = e.test.get_ref();
        let Some((binary_id, name)) = text.split_once(' ') else {
            return invalid(
                e.test.span(),
                format!(
                    "exception test `{text}` must be `<binary-id> <test name>`, as nextest prints it (e.g. \"app::unit slow::parses\")"
                ),
            );
        };
        if binary_id.is_empty() || name.is_empty() {
            return invalid(
                e.test.span(),
                "exception test must name a binary id and a test",
            );
        }
        let test = TestId::new(binary_id, name);
        if exceptions.iter().any(|x| x.test == test) {
            return invalid(e.test.span(), format!("a second exception for `{text}`"));
        }
        let tier = match &e.tier {
            None => None,
            Some(t) => {
                if !tiers.iter().any(|tier| &tier.name == t.get_ref()) {
                    return invalid(t.span(), unknown_tier_message(t.get_ref(), tiers));
                }
                Some(t.get_ref().clone())
            }
        };
        let budget = match &e.budget {
            None => None,
            Some(b) => Some(duration(b)?),
        };
        let expires = match &e.expires {
            None => None,
            Some(v) => Some(parse_date(v)?),
        };
        let mut limits = crate::model::Metrics::default();
        memory(&e.memory, &mut limits)?;
        let count = instructions(&e.instructions, &mut limits)?;
        exceptions.push(Exception {
            test,
            budget,
            tier,
            reason: e.reason.clone(),
            adr: e.adr.clone(),
            owner: e.owner.clone(),
            expires,
            line: 0,
            limits,
            count,
        });
    }
    Ok(exceptions)
}

/// Byte spans of the capabilities, for line numbers.
pub fn capability_spans(raw: &RawConfig) -> Vec<Range<usize>> {
    raw.capabilities.iter().map(|c| c.span()).collect()
}

/// Byte spans of the exceptions, so the caller can turn them into line numbers.
pub fn exception_spans(raw: &RawConfig) -> Vec<Range<usize>> {
    raw.exceptions.iter().map(|e| e.span()).collect()
}

fn duration(s: &Spanned<String>) -> Result<Duration, Invalid> {
    parse_duration(s.get_ref()).or_else(|m| invalid(s.span(), m))
}

/// A `memory = "64MiB"` value as the memory limit it sets in `limits`.
fn memory(s: &Option<Spanned<String>>, limits: &mut crate::model::Metrics) -> Result<(), Invalid> {
    if let Some(s) = s {
        let bytes = super::units::parse_size(s.get_ref()).or_else(|m| invalid(s.span(), m))?;
        limits.set(
            crate::model::Metric::Memory,
            crate::model::Amount::Bytes(bytes),
        );
    }
    Ok(())
}

/// An `instructions = true | false | "50M"` value: whether the tests are counted (`None`
/// when unset); a count is a budget in `limits` and turns counting on.
pub(super) fn instructions(
    v: &Option<Spanned<toml::Value>>,
    limits: &mut crate::model::Metrics,
) -> Result<Option<bool>, Invalid> {
    let Some(v) = v else {
        return Ok(None);
    };
    match v.get_ref() {
        toml::Value::Boolean(b) => Ok(Some(*b)),
        toml::Value::Integer(n) => {
            let n = u64::try_from(*n)
                .ok()
                .filter(|n| (1..=super::units::MAX_COUNT).contains(n))
                .map_or_else(
                    || {
                        invalid(
                            v.span(),
                            format!("`{n}` is not a budget: a count from 1 to 10^15"),
                        )
                    },
                    Ok,
                )?;
            limits.set(
                crate::model::Metric::Instructions,
                crate::model::Amount::Count(n),
            );
            Ok(Some(true))
        }
        toml::Value::String(s) => {
            let n = super::units::parse_count(s).or_else(|m| invalid(v.span(), m))?;
            limits.set(
                crate::model::Metric::Instructions,
                crate::model::Amount::Count(n),
            );
            Ok(Some(true))
        }
        other => invalid(
            v.span(),
            format!(
                "`instructions` must be true, false or a budget such as \"50M\", found {}",
                other.type_str()
            ),
        ),
    }
}

fn opt_duration(s: &Option<Spanned<String>>, default: Duration) -> Result<Duration, Invalid> {
    s.as_ref().map_or(Ok(default), duration)
}

fn opt_percent(s: &Option<Spanned<String>>, default: f64) -> Result<f64, Invalid> {
    match s {
        None => Ok(default),
        Some(s) => parse_percent(s.get_ref()).or_else(|m| invalid(s.span(), m)),
    }
}

fn opt_enforcement(
    s: &Option<Spanned<String>>,
    default: Enforcement,
) -> Result<Enforcement, Invalid> {
    match s {
        None => Ok(default),
        Some(s) => Enforcement::parse(s.get_ref()).map_or_else(
            || {
                invalid(
                    s.span(),
                    format!(
                        "unknown enforcement `{}`: expected \"off\", \"warn\" or \"strict\"",
                        s.get_ref()
                    ),
                )
            },
            Ok,
        ),
    }
}

fn parse_date(v: &Spanned<toml::Value>) -> Result<jiff::civil::Date, Invalid> {
    let text = match v.get_ref() {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        _ => return invalid(v.span(), "expires must be a date like \"2027-03-01\""),
    };
    text.parse::<jiff::civil::Date>().or_else(|e| {
        invalid(
            v.span(),
            format!("expires `{text}` is not a date like \"2027-03-01\" ({e})"),
        )
    })
}
