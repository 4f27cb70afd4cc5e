//! Tiers: the built-in ones, `[tiers.NAME]` tables merged over them, and the rule that a
//! target, kind, prefix or framework belongs to one tier.

use std::collections::BTreeMap;
use std::time::Duration;

use toml::Spanned;

use super::{Invalid, duration, instructions, invalid, memory};
use crate::config::raw::RawTier;
use crate::config::types::Tier;

/// The built-in tiers: unit 1 s, integration 10 s, e2e 30 s.
pub fn default_tiers() -> Vec<Tier> {
    let tier = |name: &str, secs, kinds: &[&str]| Tier {
        name: name.to_string(),
        budget: Duration::from_secs(secs),
        targets: vec![name.to_string()],
        kinds: kinds.iter().map(|k| k.to_string()).collect(),
        prefixes: vec![format!("{name}_")],
        frameworks: Vec::new(),
        cases: None,
        regression: None,
        limits: Default::default(),
        count: false,
    };
    vec![
        tier("unit", 1, &["lib", "bin", "proc-macro"]),
        tier("integration", 10, &[]),
        tier("e2e", 30, &[]),
    ]
}

pub(super) fn resolve_tiers(
    raw: &BTreeMap<String, Spanned<RawTier>>,
) -> Result<Vec<Tier>, Invalid> {
    let mut tiers = default_tiers();
    for (name, spanned) in raw {
        let existing = tiers.iter().position(|t| &t.name == name);
        let tier = resolve_tier(name, spanned, existing.map(|i| &tiers[i]))?;
        match existing {
            Some(i) => tiers[i] = tier,
            None => tiers.push(tier),
        }
    }
    check_claims(raw, &tiers)?;
    tiers.sort_by(|a, b| a.budget.cmp(&b.budget).then_with(|| a.name.cmp(&b.name)));
    Ok(tiers)
}

/// One `[tiers.NAME]` table over the tier of that name (`existing`), or a new tier.
fn resolve_tier(
    name: &String,
    spanned: &Spanned<RawTier>,
    existing: Option<&Tier>,
) -> Result<Tier, Invalid> {
    let r = spanned.get_ref();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return invalid(
            spanned.span(),
            format!("tier name `{name}` must use only a-z, 0-9, `_` and `-`"),
        );
    }
    let mut tier = match existing {
        Some(t) => t.clone(),
        None => {
            let Some(b) = &r.budget else {
                return invalid(
                    spanned.span(),
                    format!("new tier `{name}` needs a budget, e.g. budget = \"60s\""),
                );
            };
            Tier {
                name: name.clone(),
                budget: duration(b)?,
                targets: Vec::new(),
                kinds: Vec::new(),
                prefixes: Vec::new(),
                frameworks: Vec::new(),
                cases: None,
                regression: None,
                limits: Default::default(),
                count: false,
            }
        }
    };
    if let Some(b) = &r.budget {
        tier.budget = duration(b)?;
    }
    if let Some(t) = &r.targets {
        tier.targets = t.clone();
    }
    if let Some(k) = &r.kinds {
        tier.kinds = k.clone();
    }
    if let Some(p) = &r.prefixes {
        if let Some(empty) = p.iter().find(|p| p.is_empty()) {
            let _ = empty;
            return invalid(spanned.span(), format!("tier `{name}` has an empty prefix"));
        }
        tier.prefixes = p.clone();
    }
    if let Some(names) = &r.frameworks {
        tier.frameworks = frameworks(name, names).or_else(|m| invalid(spanned.span(), m))?;
    }
    if let Some(c) = &r.cases {
        tier.cases = Some(cases(c)?);
    }
    memory(&r.memory, &mut tier.limits)?;
    tier.count = instructions(&r.instructions, &mut tier.limits)?.unwrap_or(tier.count);
    if tier.cases.is_some() && tier.frameworks.is_empty() {
        return invalid(
            spanned.span(),
            format!(
                "tier `{name}` sets `cases` but claims no framework: add e.g. \
                 frameworks = [\"proptest\", \"quickcheck\"]"
            ),
        );
    }
    Ok(tier)
}

/// A target, kind, prefix or framework may belong to one tier only; otherwise placement is
/// ambiguous.
fn check_claims(raw: &BTreeMap<String, Spanned<RawTier>>, tiers: &[Tier]) -> Result<(), Invalid> {
    // A framework may belong to one tier only, like a target, kind or prefix.
    for f in crate::model::Framework::ALL {
        let claiming: Vec<&str> = tiers
            .iter()
            .filter(|t| t.frameworks.contains(&f))
            .map(|t| t.name.as_str())
            .collect();
        if let [first, second, ..] = claiming[..] {
            let span = raw.get(second).map(|s| s.span()).unwrap_or(0..0);
            return invalid(
                span,
                format!(
                    "framework `{}` is claimed by tiers `{first}` and `{second}`; a framework may belong to one tier",
                    f.as_str()
                ),
            );
        }
    }

    // A target, kind or prefix may belong to one tier only; otherwise placement is ambiguous.
    for (what, get) in [
        (
            "target",
            (|t: &Tier| &t.targets) as fn(&Tier) -> &Vec<String>,
        ),
        ("kind", |t: &Tier| &t.kinds),
        ("prefix", |t: &Tier| &t.prefixes),
    ] {
        let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
        for tier in tiers {
            for item in get(tier) {
                if let Some(first) = owner.insert(item, &tier.name)
                    && first != tier.name
                {
                    let span = raw
                        .get(&tier.name)
                        .or_else(|| raw.get(first))
                        .map(|s| s.span())
                        .unwrap_or(0..0);
                    return invalid(
                        span,
                        format!(
                            "{what} `{item}` is claimed by tiers `{first}` and `{}`; a {what} may belong to one tier",
                            tier.name
                        ),
                    );
                }
            }
        }
    }

    Ok(())
}

pub fn unknown_tier_message(name: &str, tiers: &[Tier]) -> String {
    let known: Vec<&str> = tiers.iter().map(|t| t.name.as_str()).collect();
    format!("unknown tier `{name}` (known tiers: {})", known.join(", "))
}

/// `frameworks = ["proptest", "quickcheck"]`, each known and named once.
fn frameworks(tier: &str, names: &[String]) -> Result<Vec<crate::model::Framework>, String> {
    use crate::model::Framework;
    let mut out = Vec::new();
    for n in names {
        let f = Framework::parse(n).ok_or_else(|| {
            let known: Vec<&str> = Framework::ALL.iter().map(|f| f.as_str()).collect();
            format!(
                "tier `{tier}`: unknown framework `{n}` (known: {})",
                known.join(", ")
            )
        })?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    Ok(out)
}

/// `cases = { dev = 256, pre-commit = 32, ci = 64 }`: each from 1 to 1,000,000.
fn cases(raw: &Spanned<crate::config::raw::RawCases>) -> Result<crate::config::Cases, Invalid> {
    let one = |v: &Option<Spanned<i64>>| -> Result<Option<u32>, Invalid> {
        match v {
            None => Ok(None),
            Some(n) if (1..=1_000_000).contains(n.get_ref()) => Ok(Some(*n.get_ref() as u32)),
            Some(n) => invalid(
                n.span(),
                format!("cases must be from 1 to 1000000, found {}", n.get_ref()),
            ),
        }
    };
    let r = raw.get_ref();
    Ok(crate::config::Cases {
        dev: one(&r.dev)?,
        pre_commit: one(&r.pre_commit)?,
        ci: one(&r.ci)?,
        release: one(&r.release)?,
    })
}
