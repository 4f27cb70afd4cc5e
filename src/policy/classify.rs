//! Tier placement with provenance. Precedence, most specific first: exception → doc-comment
//! marker → name prefix → property-test framework → test target (tier directory) → target kind
//! → `[defaults] tier`.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{Config, unknown_tier_message};
use crate::model::{
    Amount, BinaryInfo, BinaryKind, Framework, Metric, Metrics, SourceTest, TestId,
};

/// The rule that placed a test in its tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// An `[[exception]]` with a `tier`, at this line of budget.toml.
    Exception {
        line: usize,
    },
    /// A `/// budget: <tier>` doc line.
    Marker {
        file: PathBuf,
        line: usize,
    },
    Prefix(String),
    /// Written with a property-testing framework a tier claims.
    Framework(Framework),
    Target(String),
    Kind(BinaryKind),
    Default,
}

impl Rule {
    /// A stable short name for machine-readable output.
    pub fn key(&self) -> &'static str {
        match self {
            Rule::Exception { .. } => "exception",
            Rule::Marker { .. } => "marker",
            Rule::Prefix(_) => "prefix",
            Rule::Framework(_) => "framework",
            Rule::Target(_) => "target",
            Rule::Kind(_) => "kind",
            Rule::Default => "default",
        }
    }
}

impl Placement {
    /// Every budget the test has: wall time, then the others.
    pub fn budgets(&self) -> impl Iterator<Item = (Metric, Amount)> + '_ {
        std::iter::once((Metric::Wall, Amount::Time(self.budget))).chain(self.limits.iter())
    }

    pub fn budget_for(&self, metric: Metric) -> Option<Amount> {
        self.budgets().find(|(m, _)| *m == metric).map(|(_, a)| a)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Exception { line } => write!(f, "exception (budget.toml:{line})"),
            Rule::Marker { file, line } => {
                write!(f, "doc marker ({}:{line})", file.display())
            }
            Rule::Prefix(p) => write!(f, "name prefix `{p}`"),
            Rule::Framework(fw) => write!(f, "{} test", fw.as_str()),
            Rule::Target(t) => write!(f, "test target `{t}`"),
            Rule::Kind(k) => write!(f, "target kind `{k}`"),
            Rule::Default => f.write_str("default tier"),
        }
    }
}

/// Where a test belongs and what it may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub tier: String,
    pub rule: Rule,
    /// The wall-time budget (the one nextest enforces with its slow-timeout).
    pub budget: Duration,
    /// Budgets for the other metrics (peak memory, CPU time), from the tier and the exception.
    pub limits: Metrics,
    /// The budget comes from an `[[exception]]` (at this line), not the tier.
    pub exception_line: Option<usize>,
    /// Its instructions are counted under Valgrind (its tier's or its exception's choice).
    pub count: bool,
}

/// A marker naming a tier that does not exist.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct ClassifyError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

/// Places one test. `source` is its entry in the source index, when found.
pub fn classify(
    config: &Config,
    binary: &BinaryInfo,
    id: &TestId,
    source: Option<&SourceTest>,
) -> Result<Placement, ClassifyError> {
    let exception = config.exception_for(id);
    let (tier_name, rule) = match exception.and_then(|e| e.tier.clone().map(|t| (t, e.line))) {
        Some((tier, line)) => (tier, Rule::Exception { line }),
        None => place(config, binary, id, source)?,
    };
    let tier = config
        .tier(&tier_name)
        .expect("validated config: placements name existing tiers");
    let budget = exception.and_then(|e| e.budget).unwrap_or(tier.budget);
    let mut limits = tier.limits.clone();
    for (metric, amount) in exception.map(|e| e.limits.iter()).into_iter().flatten() {
        limits.set(metric, amount);
    }
    Ok(Placement {
        tier: tier_name,
        rule,
        budget,
        limits,
        exception_line: exception.filter(|e| e.budget.is_some()).map(|e| e.line),
        count: exception.and_then(|e| e.count).unwrap_or(tier.count),
    })
}

fn place(
    config: &Config,
    binary: &BinaryInfo,
    id: &TestId,
    source: Option<&SourceTest>,
) -> Result<(String, Rule), ClassifyError> {
    if let Some(src) = source
        && let Some((tier, line)) = &src.marker
    {
        if config.tier(tier).is_none() {
            return Err(ClassifyError {
                file: src.file.clone(),
                line: *line,
                message: format!(
                    "`budget: {tier}` on test `{id}`: {}",
                    unknown_tier_message(tier, &config.tiers)
                ),
            });
        }
        return Ok((
            tier.clone(),
            Rule::Marker {
                file: src.file.clone(),
                line: *line,
            },
        ));
    }

    let fn_name = id.fn_name();
    let by_prefix = config
        .tiers
        .iter()
        .flat_map(|t| t.prefixes.iter().map(move |p| (t, p)))
        .filter(|(_, p)| fn_name.starts_with(p.as_str()))
        .max_by_key(|(_, p)| p.len());
    if let Some((tier, prefix)) = by_prefix {
        return Ok((tier.name.clone(), Rule::Prefix(prefix.clone())));
    }

    if let Some(framework) = source.and_then(|s| s.framework)
        && let Some(tier) = config
            .tiers
            .iter()
            .find(|t| t.frameworks.contains(&framework))
    {
        return Ok((tier.name.clone(), Rule::Framework(framework)));
    }

    if binary.kind == BinaryKind::Test
        && let Some(tier) = config
            .tiers
            .iter()
            .find(|t| t.targets.contains(&binary.target))
    {
        return Ok((tier.name.clone(), Rule::Target(binary.target.clone())));
    }

    if let Some(tier) = config
        .tiers
        .iter()
        .find(|t| t.kinds.iter().any(|k| k == binary.kind.as_str()))
    {
        return Ok((tier.name.clone(), Rule::Kind(binary.kind.clone())));
    }

    Ok((config.default_tier.clone(), Rule::Default))
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

    fn src(marker: Option<&str>) -> SourceTest {
        SourceTest {
            file: PathBuf::from("app/tests/x.rs"),
            line: 10,
            marker: marker.map(|m| (m.to_string(), 8)),
            framework: None,
        }
    }

    #[test]
    fn precedence_table() {
        let config = cfg(
            "[tiers.property]\nbudget = \"60s\"\nprefixes = [\"prop_\"]\n\
             [[exception]]\ntest = \"app::unit slow::parse\"\nbudget = \"5s\"\ntier = \"e2e\"\n\
             [[exception]]\ntest = \"app::unit slow::budget_only\"\nbudget = \"3s\"\n",
        );
        let unit = BinaryInfo::from_binary_id("app::unit");
        let lib = BinaryInfo::from_binary_id("app");
        let bin = BinaryInfo::from_binary_id("app::bin/tool");
        let other = BinaryInfo::from_binary_id("app::checks");
        let e2e = BinaryInfo::from_binary_id("app::e2e");
        // (binary, test name, marker, expected tier, expected rule, expected budget in s)
        type Case<'a> = (
            &'a BinaryInfo,
            &'a str,
            Option<&'a str>,
            &'a str,
            &'a str,
            u64,
        );
        let cases: Vec<Case> = vec![
            (
                &unit,
                "slow::parse",
                Some("integration"),
                "e2e",
                "exception",
                5,
            ),
            (&unit, "slow::budget_only", None, "unit", "target", 3),
            (
                &unit,
                "fast::marked",
                Some("integration"),
                "integration",
                "marker",
                10,
            ),
            (&unit, "fast::e2e_prefixed", None, "e2e", "prefix", 30),
            (&e2e, "unit_inside_e2e_dir", None, "unit", "prefix", 1),
            (&other, "prop_roundtrip", None, "property", "prefix", 60),
            (&unit, "fast::adds", None, "unit", "target", 1),
            (&e2e, "full_run", None, "e2e", "target", 30),
            (&lib, "tests::adds", None, "unit", "kind", 1),
            (&bin, "tests::cli", None, "unit", "kind", 1),
            (&other, "plain", None, "integration", "default", 10),
            // The prefix applies to the fn name, not the module path.
            (
                &other,
                "unit_mod::plain",
                None,
                "integration",
                "default",
                10,
            ),
        ];
        for (binary, name, marker, tier, rule, secs) in cases {
            let id = TestId::new(&binary.binary_id, name);
            let source = marker.map(|m| src(Some(m)));
            let p = classify(&config, binary, &id, source.as_ref()).unwrap();
            assert_eq!(
                (p.tier.as_str(), p.rule.key(), p.budget),
                (tier, rule, Duration::from_secs(secs)),
                "{id}"
            );
        }
    }

    /// A framework a tier claims places its tests after markers and prefixes, before the
    /// tier directory and the target kind.
    #[test]
    fn frameworks_place_property_tests() {
        let config = cfg(
            "[tiers.property]\nbudget = \"60s\"\nframeworks = [\"proptest\"]\n\
             [tiers.qc]\nbudget = \"20s\"\nframeworks = [\"quickcheck\"]\n",
        );
        let unit = BinaryInfo::from_binary_id("app::unit");
        let lib = BinaryInfo::from_binary_id("app");
        let with = |framework, marker: Option<&str>| SourceTest {
            framework,
            ..src(marker)
        };
        let cases = [
            (
                &unit,
                "props::round",
                with(Some(Framework::Proptest), None),
                "property",
                "framework",
            ),
            (
                &lib,
                "tests::qc",
                with(Some(Framework::Quickcheck), None),
                "qc",
                "framework",
            ),
            (
                &unit,
                "e2e_props",
                with(Some(Framework::Proptest), None),
                "e2e",
                "prefix",
            ),
            (
                &unit,
                "marked",
                with(Some(Framework::Proptest), Some("unit")),
                "unit",
                "marker",
            ),
            (&unit, "plain", with(None, None), "unit", "target"),
        ];
        for (binary, name, source, tier, rule) in cases {
            let id = TestId::new(&binary.binary_id, name);
            let p = classify(&config, binary, &id, Some(&source)).unwrap();
            assert_eq!((p.tier.as_str(), p.rule.key()), (tier, rule), "{id}");
        }
        let id = TestId::new("app::unit", "props::round");
        let source = with(Some(Framework::Proptest), None);
        let p = classify(&config, &unit, &id, Some(&source)).unwrap();
        assert_eq!(p.rule.to_string(), "proptest test");
    }

    #[test]
    fn longest_prefix_wins() {
        let config = cfg("[tiers.slowunit]\nbudget = \"3s\"\nprefixes = [\"unit_slow_\"]\n");
        let b = BinaryInfo::from_binary_id("p::checks");
        let p = classify(&config, &b, &TestId::new("p::checks", "unit_slow_x"), None).unwrap();
        assert_eq!(p.tier, "slowunit");
        assert_eq!(p.rule, Rule::Prefix("unit_slow_".into()));
    }

    #[test]
    fn unknown_marker_tier_is_an_error_with_position() {
        let config = cfg("");
        let b = BinaryInfo::from_binary_id("p::checks");
        let err = classify(
            &config,
            &b,
            &TestId::new("p::checks", "t"),
            Some(&src(Some("intgration"))),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "app/tests/x.rs:8: `budget: intgration` on test `p::checks t`: unknown tier `intgration` (known tiers: unit, integration, e2e)"
        );
    }

    #[test]
    fn rule_display() {
        assert_eq!(
            Rule::Prefix("unit_".into()).to_string(),
            "name prefix `unit_`"
        );
        assert_eq!(
            Rule::Marker {
                file: "a/b.rs".into(),
                line: 3
            }
            .to_string(),
            "doc marker (a/b.rs:3)"
        );
        assert_eq!(
            Rule::Exception { line: 7 }.to_string(),
            "exception (budget.toml:7)"
        );
    }
}
