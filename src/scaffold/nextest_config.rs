//! `.config/nextest.toml`: the per-tier `slow-timeout` overrides and the `budget-ci` profile,
//! merged into the user's file with `toml_edit` so everything else survives byte for byte.
//!
//! The overrides mirror classification precedence in nextest's "first match wins" order:
//! exceptions → markers → name prefixes → property-test frameworks → tier targets → target
//! kinds → everything else.
//! Filters name only binaries cargo metadata says exist; a filter naming a missing binary would
//! break every nextest command in the repository.

use std::collections::BTreeSet;
use std::time::Duration;

use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, value};

use crate::config::Config;
use crate::model::{BinaryInfo, BinaryKind, Framework, TestId};
use crate::nextest::filterset;

/// Marks every entry cargo-budget owns; entries without it are the user's and are never touched.
pub const MARKER: &str = "cargo-budget: generated from budget.toml by `cargo budget init`";
/// The CI profile cargo-budget defines.
pub const CI_PROFILE: &str = "budget-ci";

/// One generated override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// Why this entry exists, written above it.
    pub label: String,
    pub filter: String,
    pub period: Duration,
}

/// Escapes a literal for use inside `test(/…/)`: regex metacharacters, then `/`.
fn regex_literal(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The overrides for `config` over the workspace's `binaries`; `markers` are the
/// `/// budget: <tier>` markers found in the sources, `frameworks` the property tests.
pub fn overrides(
    config: &Config,
    binaries: &[BinaryInfo],
    markers: &[(TestId, String)],
    frameworks: &[(TestId, Framework)],
) -> Vec<Override> {
    let ctx = Ctx {
        config,
        binaries,
        exists: binaries.iter().map(|b| b.binary_id.as_str()).collect(),
    };
    let mut out = Vec::new();
    by_exception(&ctx, &mut out);
    by_marker(&ctx, markers, &mut out);
    by_prefix(&ctx, &mut out);
    by_framework(&ctx, frameworks, &mut out);
    by_target(&ctx, &mut out);
    by_kind(&ctx, &mut out);
    by_default(&ctx, &mut out);
    out
}

/// What every group of overrides is built from.
struct Ctx<'a> {
    config: &'a Config,
    binaries: &'a [BinaryInfo],
    exists: BTreeSet<&'a str>,
}

impl Ctx<'_> {
    fn budget_of(&self, tier: &str) -> Option<Duration> {
        self.config.tier(tier).map(|t| t.budget)
    }
}

/// Exceptions with a budget or a tier, for tests of binaries that exist.
fn by_exception(ctx: &Ctx<'_>, out: &mut Vec<Override>) {
    for e in &ctx.config.exceptions {
        if !ctx.exists.contains(e.test.binary_id.as_str()) {
            continue;
        }
        let tier_budget = e.tier.as_deref().and_then(|t| ctx.budget_of(t));
        if let Some(period) = e.budget.or(tier_budget) {
            out.push(Override {
                label: format!("exception for {}", e.test),
                filter: filterset::test(&e.test),
                period,
            });
        }
    }
}

/// `/// budget: <tier>` markers (an exception for the same test wins).
fn by_marker(ctx: &Ctx<'_>, markers: &[(TestId, String)], out: &mut Vec<Override>) {
    for (id, tier) in markers {
        if let Some(period) = ctx.budget_of(tier)
            && ctx.exists.contains(id.binary_id.as_str())
            && ctx.config.exception_for(id).is_none()
        {
            out.push(Override {
                label: format!("`budget: {tier}` marker on {id}"),
                filter: filterset::test(id),
                period,
            });
        }
    }
}

/// Name prefixes, the longest first.
fn by_prefix(ctx: &Ctx<'_>, out: &mut Vec<Override>) {
    // Classification takes the longest matching prefix; nextest the first matching override.
    let mut prefixes: Vec<(&str, &crate::config::Tier)> = ctx
        .config
        .tiers
        .iter()
        .flat_map(|t| t.prefixes.iter().map(move |p| (p.as_str(), t)))
        .collect();
    prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
    for (prefix, tier) in prefixes {
        out.push(Override {
            label: format!("{} tier: test names starting with {prefix}", tier.name),
            filter: format!("test(/(^|::){}[^:]*$/)", regex_literal(prefix)),
            period: tier.budget,
        });
    }
}

/// Property tests of the frameworks a tier claims.
fn by_framework(ctx: &Ctx<'_>, frameworks: &[(TestId, Framework)], out: &mut Vec<Override>) {
    for tier in ctx.config.tiers.iter().filter(|t| !t.frameworks.is_empty()) {
        let tests: Vec<String> = frameworks
            .iter()
            .filter(|(id, f)| {
                tier.frameworks.contains(f)
                    && ctx.exists.contains(id.binary_id.as_str())
                    && ctx.config.exception_for(id).is_none()
            })
            .map(|(id, _)| filterset::test(id))
            .collect();
        if tests.is_empty() {
            continue;
        }
        let names: Vec<&str> = tier.frameworks.iter().map(|f| f.as_str()).collect();
        out.push(Override {
            label: format!("{} tier: {} tests", tier.name, names.join(" and ")),
            filter: filterset::any_of(tests),
            period: tier.budget,
        });
    }
}

/// Tier directories (test targets).
fn by_target(ctx: &Ctx<'_>, out: &mut Vec<Override>) {
    for tier in &ctx.config.tiers {
        let matching: Vec<&BinaryInfo> = ctx
            .binaries
            .iter()
            .filter(|b| b.kind == BinaryKind::Test && tier.targets.contains(&b.target))
            .collect();
        if matching.is_empty() {
            continue;
        }
        out.push(Override {
            label: format!(
                "{} tier: test targets {}",
                tier.name,
                tier.targets.join(", ")
            ),
            filter: filterset::any_of(matching.iter().map(|b| filterset::binary(&b.binary_id))),
            period: tier.budget,
        });
    }
}

/// Target kinds (`#[cfg(test)]` tests in lib, bin, proc-macro targets).
fn by_kind(ctx: &Ctx<'_>, out: &mut Vec<Override>) {
    let present_kinds: BTreeSet<&str> = ctx.binaries.iter().map(|b| b.kind.as_str()).collect();
    for tier in &ctx.config.tiers {
        let kinds: Vec<&String> = tier
            .kinds
            .iter()
            .filter(|k| present_kinds.contains(k.as_str()) && k.as_str() != "test")
            .collect();
        if kinds.is_empty() {
            continue;
        }
        out.push(Override {
            label: format!(
                "{} tier: #[cfg(test)] tests of {} targets",
                tier.name,
                tier.kinds.join(", ")
            ),
            filter: filterset::any_of(kinds.iter().map(|k| format!("kind({k})"))),
            period: tier.budget,
        });
    }
}

/// Everything else: the default tier.
fn by_default(ctx: &Ctx<'_>, out: &mut Vec<Override>) {
    if let Some(period) = ctx.budget_of(&ctx.config.default_tier) {
        out.push(Override {
            label: format!(
                "default tier ({}) for every other test",
                ctx.config.default_tier
            ),
            filter: "all()".into(),
            period,
        });
    }
}

fn is_ours(table: &Table) -> bool {
    table
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .is_some_and(|p| p.contains(MARKER))
}

fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}

/// `item` as a standard table, converting an inline one (`profile = { … }`).
fn standard_table(item: &mut Item) -> Option<&mut Table> {
    if item.is_inline_table() {
        let taken = std::mem::take(item);
        *item = match taken.into_table() {
            Ok(t) => Item::Table(t),
            Err(original) => original,
        };
    }
    if item.is_none() {
        let mut t = Table::new();
        t.set_implicit(true);
        *item = Item::Table(t);
    }
    item.as_table_mut()
}

/// A comment line: control characters in test names must not end it early.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Adds `"wrapper-scripts"` to the top-level `experimental` list (created when missing; the
/// user's own features stay): nextest runs cargo-budget's per-test wrapper, which measures
/// peak memory and CPU time, only when the repository's config enables wrapper scripts.
fn enable_wrappers(doc: &mut DocumentMut) {
    let feature = crate::nextest::tool_config::WRAPPER_FEATURE;
    let present = doc.get("experimental").is_some();
    match doc.get_mut("experimental").and_then(Item::as_array_mut) {
        Some(list) if !list.iter().any(|v| v.as_str() == Some(feature)) => {
            list.push(feature);
        }
        Some(_) => {}
        None if !present => {
            let mut list = toml_edit::Array::new();
            list.push(feature);
            doc.insert("experimental", value(list));
            if let Some(mut key) = doc.key_mut("experimental") {
                key.leaf_decor_mut().set_prefix(format!(
                    "# {MARKER}\n# (wrapper scripts: cargo-budget measures each test's peak memory and CPU time)\n"
                ));
            }
        }
        // Not a list: nextest will report it; left as the user wrote it.
        None => {}
    }
}

/// Merges the generated parts into `existing` (the file's text, if any). Generated entries are
/// replaced where they stand, so the user's entries keep their order around them.
pub fn merge(
    existing: Option<&str>,
    config: &Config,
    overrides: &[Override],
) -> Result<(String, bool), toml_edit::TomlError> {
    let mut doc: DocumentMut = existing.unwrap_or("").parse()?;
    let mut edited = false;
    enable_wrappers(&mut doc);
    let Some(profile) = standard_table(doc.as_table_mut().entry("profile").or_insert(Item::None))
    else {
        return Ok((doc.to_string(), edited));
    };

    // The CI profile is ours by name: replaced whole, where it was.
    let mut ci = Table::new();
    ci.insert("fail-fast", value(false));
    let mut junit = Table::new();
    junit.insert("path", value("junit.xml"));
    ci.insert("junit", Item::Table(junit));
    super::mark_entry(&mut ci, MARKER, None);
    if let Some(old) = profile.get(CI_PROFILE).and_then(Item::as_table) {
        ci.set_position(old.position());
        edited |= super::entry_edited(old);
    }
    profile.insert(CI_PROFILE, Item::Table(ci));

    let Some(default) = standard_table(profile.entry("default").or_insert(Item::None)) else {
        return Ok((doc.to_string(), edited));
    };
    let entries = default
        .entry("overrides")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    if entries.is_array() {
        // `overrides = [ { … } ]`: the same entries as `[[profile.default.overrides]]`.
        let empty = entries.as_array().is_some_and(|a| a.is_empty());
        let taken = std::mem::take(entries);
        *entries = if empty {
            Item::ArrayOfTables(ArrayOfTables::new())
        } else {
            match taken.into_array_of_tables() {
                Ok(a) => Item::ArrayOfTables(a),
                Err(original) => original,
            }
        };
    }
    let Some(aot) = entries.as_array_of_tables_mut() else {
        return Ok((doc.to_string(), edited));
    };
    // Where ours stood: the new ones take the same place.
    let position = aot.iter().filter(|t| is_ours(t)).find_map(|t| t.position());
    edited |= aot.iter().filter(|t| is_ours(t)).any(super::entry_edited);
    aot.retain(|t| !is_ours(t));
    let mut fresh = Vec::new();
    for o in overrides {
        let mut t = Table::new();
        t.insert("filter", value(o.filter.as_str()));
        let mut slow = InlineTable::new();
        slow.insert("period", millis(o.period).into());
        slow.insert("terminate-after", i64::from(config.kill_after).into());
        slow.insert("grace-period", millis(config.grace_period).into());
        t.insert("slow-timeout", value(slow));
        super::mark_entry(&mut t, MARKER, Some(&comment(&o.label)));
        t.set_position(position);
        fresh.push(t);
    }
    // Keep the user's entries before ours in the array (nextest: first match wins), and ours
    // where they were in the file.
    for t in fresh {
        aot.push(t);
    }
    Ok((super::finish_toml(existing, doc.to_string()), edited))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    fn cfg(text: &str) -> Config {
        config::parse(text, std::path::Path::new("budget.toml"))
            .unwrap()
            .config
    }

    fn binaries() -> Vec<BinaryInfo> {
        vec![
            BinaryInfo {
                binary_id: "app".into(),
                package: "app".into(),
                kind: BinaryKind::Lib,
                target: "app".into(),
            },
            BinaryInfo {
                binary_id: "app::unit".into(),
                package: "app".into(),
                kind: BinaryKind::Test,
                target: "unit".into(),
            },
            BinaryInfo {
                binary_id: "app::checks".into(),
                package: "app".into(),
                kind: BinaryKind::Test,
                target: "checks".into(),
            },
        ]
    }

    #[test]
    fn only_existing_binaries_are_named() {
        let config = cfg(
            "[[exception]]\ntest = \"gone::unit x\"\nbudget = \"5s\"\n[[exception]]\ntest = \"app::checks slow(x)\"\nbudget = \"5s\"\n",
        );
        let markers = vec![(TestId::new("app::checks", "renders"), "e2e".to_string())];
        let got: Vec<(String, u128)> = overrides(&config, &binaries(), &markers, &[])
            .into_iter()
            .map(|o| (o.filter, o.period.as_millis()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "(binary_id(=app::checks) & test(=slow(x\\)))".to_string(),
                    5000
                ),
                (
                    "(binary_id(=app::checks) & test(=renders))".to_string(),
                    30_000
                ),
                // Longest prefix first, as classification decides.
                ("test(/(^|::)integration_[^:]*$/)".to_string(), 10_000),
                ("test(/(^|::)unit_[^:]*$/)".to_string(), 1000),
                ("test(/(^|::)e2e_[^:]*$/)".to_string(), 30_000),
                ("binary_id(=app::unit)".to_string(), 1000),
                ("kind(lib)".to_string(), 1000),
                ("all()".to_string(), 10_000),
            ]
        );
    }

    #[test]
    fn wrapper_scripts_join_the_users_experimental_features() {
        let config = cfg("");
        let user = "experimental = [\"setup-scripts\"] # mine\n[profile.default]\nretries = 1\n";
        let once = merge(Some(user), &config, &[]).unwrap().0;
        assert!(
            once.starts_with("experimental = [\"setup-scripts\", \"wrapper-scripts\"] # mine\n"),
            "{once}"
        );
        assert_eq!(merge(Some(&once), &config, &[]).unwrap().0, once);
        let fresh = merge(None, &config, &[]).unwrap().0;
        let parsed: toml::Table = toml::from_str(&fresh).unwrap();
        assert_eq!(
            parsed["experimental"].as_array().unwrap(),
            &vec![toml::Value::from("wrapper-scripts")]
        );
        assert!(fresh.contains(MARKER), "{fresh}");
    }

    #[test]
    fn merge_keeps_user_content_and_is_idempotent() {
        let user = "# my nextest config\n[profile.default]\nretries = 1 # flaky network\n\n[[profile.default.overrides]]\nfilter = 'test(net)'\nretries = 3\n\n[profile.ci]\nfail-fast = false\n";
        let config = cfg("");
        let o = overrides(&config, &binaries(), &[], &[]);
        let once = merge(Some(user), &config, &o).unwrap().0;
        assert!(
            crate::scaffold::only_insertions(user, &once),
            "user text kept verbatim:\n{once}"
        );
        let twice = merge(Some(&once), &config, &o).unwrap().0;
        assert_eq!(once, twice);
        let parsed: toml::Table = toml::from_str(&once).unwrap();
        let overrides = parsed["profile"]["default"]["overrides"]
            .as_array()
            .unwrap();
        assert_eq!(
            overrides[0]["filter"].as_str(),
            Some("test(net)"),
            "the user's override stays first"
        );
        assert_eq!(overrides.len(), 1 + o.len());
        assert_eq!(
            parsed["profile"][CI_PROFILE]["fail-fast"].as_bool(),
            Some(false)
        );
        // Fewer generated entries later: the stale ones go, the user's stays.
        let fewer = merge(Some(&once), &config, &o[..2]).unwrap().0;
        let parsed: toml::Table = toml::from_str(&fewer).unwrap();
        assert_eq!(
            parsed["profile"]["default"]["overrides"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn longer_prefix_comes_first() {
        let config = cfg("[tiers.slowunit]\nbudget = \"3s\"\nprefixes = [\"unit_slow_\"]\n");
        let filters: Vec<String> = overrides(&config, &binaries(), &[], &[])
            .into_iter()
            .map(|o| o.filter)
            .collect();
        let slow = filters
            .iter()
            .position(|f| f.contains("unit_slow_"))
            .unwrap();
        let unit = filters
            .iter()
            .position(|f| f.contains("::)unit_["))
            .unwrap();
        assert!(slow < unit, "{filters:?}");
    }

    #[test]
    fn inline_and_unusual_styles_get_the_entries() {
        let config = cfg("");
        let o = overrides(&config, &binaries(), &[], &[]);
        for user in [
            "profile = { default = { retries = 1 } }\n",
            "[profile]\ndefault = { retries = 1 }\n",
            "[profile.default]\noverrides = [{ filter = \"test(a)\", retries = 3 }]\n",
            "[profile.default]\noverrides = []\n",
            "profile.default.slow-timeout = \"1s\"\n",
        ] {
            let merged = merge(Some(user), &config, &o).unwrap().0;
            let parsed: toml::Table =
                toml::from_str(&merged).unwrap_or_else(|e| panic!("{user}: {e}\n{merged}"));
            let entries = parsed["profile"]["default"]["overrides"]
                .as_array()
                .unwrap();
            assert!(entries.len() >= o.len(), "{user}:\n{merged}");
            assert!(parsed["profile"][CI_PROFILE].is_table(), "{user}");
            assert_eq!(
                merge(Some(&merged), &config, &o).unwrap().0,
                merged,
                "{user}: idempotent"
            );
        }
    }

    #[test]
    fn user_entries_added_later_keep_their_place() {
        let config = cfg("");
        let o = overrides(&config, &binaries(), &[], &[]);
        let first = merge(None, &config, &o).unwrap().0;
        let with_user = format!(
            "{first}\n[profile.ci]\nretries = 2\n\n[[profile.default.overrides]]\nfilter = 'test(late)'\nretries = 1\n"
        );
        let again = merge(Some(&with_user), &config, &o).unwrap().0;
        assert_eq!(again, with_user, "re-running init moves nothing");
    }

    #[test]
    fn control_characters_stay_out_of_comments() {
        let config = cfg("[[exception]]\ntest = \"app::checks a\\rb\\u0001c\"\nbudget = \"5s\"\n");
        let o = overrides(&config, &binaries(), &[], &[]);
        let merged = merge(None, &config, &o).unwrap().0;
        toml::from_str::<toml::Table>(&merged).unwrap();
    }

    #[test]
    fn edited_generated_entries_are_detected() {
        let config = cfg("");
        let o = overrides(&config, &binaries(), &[], &[]);
        let (first, edited) = merge(None, &config, &o).unwrap();
        assert!(!edited);
        assert!(
            !merge(Some(&first), &config, &o).unwrap().1,
            "unchanged: not edited"
        );
        let tweaked = first.replacen("terminate-after = 3", "terminate-after = 9", 1);
        assert!(
            merge(Some(&tweaked), &config, &o).unwrap().1,
            "a hand edit is noticed"
        );
    }

    #[test]
    fn prefixes_are_regex_escaped() {
        assert_eq!(regex_literal("a.b/c"), "a\\.b\\/c");
    }
}
