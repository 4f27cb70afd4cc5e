use std::path::Path;
use std::time::Duration;

use super::*;

fn load(text: &str) -> Result<Loaded, ConfigError> {
    parse(text, Path::new("budget.toml"))
}

fn err(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

#[test]
fn template_loads_and_equals_defaults() {
    let loaded = load(TEMPLATE).expect("template loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let mut config = loaded.config;
    config.source = None;
    assert_eq!(config, defaults());
}

#[test]
fn defaults_are_the_design_numbers() {
    let c = defaults();
    let names: Vec<_> = c
        .tiers
        .iter()
        .map(|t| (t.name.as_str(), t.budget))
        .collect();
    assert_eq!(
        names,
        [
            ("unit", Duration::from_secs(1)),
            ("integration", Duration::from_secs(10)),
            ("e2e", Duration::from_secs(30))
        ]
    );
    assert_eq!(c.phase, Phase::Strict);
    assert_eq!(c.default_tier, "integration");
    assert_eq!(c.kill_after, 3);
    assert_eq!(c.suite_budget, Duration::from_secs(300));
    assert_eq!(c.enforce.for_context(Context::Dev), Enforcement::Warn);
    assert_eq!(c.enforce.for_context(Context::Ci), Enforcement::Strict);
}

#[test]
fn custom_tier_is_added_and_sorted_by_budget() {
    let c = load("[tiers.property]\nbudget = \"60s\"\nprefixes = [\"prop_\"]\n[tiers.unit]\nbudget = \"2s\"\n")
        .unwrap()
        .config;
    let names: Vec<_> = c.tiers.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["unit", "integration", "e2e", "property"]);
    assert_eq!(c.tier("unit").unwrap().budget, Duration::from_secs(2));
    // Overriding only the budget keeps the default rules of the tier.
    assert_eq!(c.tier("unit").unwrap().kinds, ["lib", "bin", "proc-macro"]);
    assert_eq!(c.tier("property").unwrap().prefixes, ["prop_"]);
}

#[test]
fn a_tier_can_have_regression_thresholds_of_its_own() {
    let c = load(
        "[regression]\nnoise_floor = \"50ms\"\nconfirm_runs = 5\n[tiers.stress]\nbudget = \"30s\"\nprefixes = [\"stress_\"]\nregression = { fail = \"200%\" }\n",
    )
    .unwrap()
    .config;
    let stress = c.regression_for("stress");
    assert_eq!(
        (
            stress.warn,
            stress.fail,
            stress.noise_floor,
            stress.confirm_runs
        ),
        (0.10, 2.0, Duration::from_millis(50), 5),
        "the rest comes from [regression]"
    );
    assert_eq!(c.regression_for("unit"), c.regression);
    assert_eq!(c.regression.fail, 0.25);
}

#[test]
fn unknown_keys_warn_with_their_path() {
    let loaded = load("phase = \"warn\"\nbogus = 1\n[tiers.unit]\nbudgte = \"1s\"\n").unwrap();
    assert_eq!(loaded.config.phase, Phase::Warn);
    assert_eq!(
        loaded.warnings,
        [
            "budget.toml:2:1: unknown key `bogus` ignored",
            "budget.toml:4:1: unknown key `tiers.unit.budgte` ignored (did you mean `budget`?)"
        ]
    );
}

#[test]
fn unknown_keys_in_arrays_of_tables_and_inline_tables_are_placed() {
    let text = "[[exception]]\ntest = \"app::unit a\"\nbudget = \"1s\"\n\n[[exception]]\n\
                test = \"app::unit b\"\nbudget = \"1s\"\n  expiry = \"2030-01-01\"\n\
                [tiers.unit]\nframeworks = [\"proptest\"]\ncases = { dev = 1, precommit = 2 }\n";
    let loaded = load(text).unwrap();
    assert_eq!(
        loaded.warnings,
        [
            "budget.toml:8:3: unknown key `exception.1.expiry` ignored (did you mean `expires`?)",
            "budget.toml:11:20: unknown key `tiers.unit.cases.precommit` ignored \
             (did you mean `pre-commit`?)",
        ]
    );
}

#[test]
fn errors_name_line_and_column() {
    let cases: &[(&str, &str)] = &[
        (
            "phase = \"loud\"\n",
            "budget.toml:1:9: unknown phase `loud`",
        ),
        (
            "[tiers.unit]\nbudget = \"1\"\n",
            "budget.toml:2:10: `1` has no unit",
        ),
        (
            "[tiers.unit]\nbudget = \"fast\"\n",
            "budget.toml:2:10: `fast` is not a duration",
        ),
        (
            "[regression]\nwarn = \"10\"\n",
            "budget.toml:2:8: `10` is not a percentage",
        ),
        (
            "[tiers.unit]\nmemory = \"64\"\n",
            "budget.toml:2:10: `64` has no unit",
        ),
        (
            "[[capability]]\nname = \" \"\n",
            "budget.toml:2:8: a capability name must be non-empty text",
        ),
        (
            "[[capability]]\nname = \"v\"\nbenches = [\"a[\"]\n",
            "budget.toml:3:11: capability `v`: `a[` is not a glob",
        ),
        (
            "[[capability]]\nname = \"v\"\nbenches = [\"v/*\"]\np95 = \"fast\"\n",
            "budget.toml:4:7: `fast` is not a duration",
        ),
        (
            "[[exception]]\ntest = \"a b\"\nmemory = \"lots MiB\"\n",
            "budget.toml:3:10: `lots MiB` is not a size",
        ),
        (
            "[defaults]\ntier = \"slow\"\n",
            "budget.toml:2:8: unknown tier `slow`",
        ),
        (
            "[defaults]\nkill_after = 0\n",
            "budget.toml:2:14: kill_after must be 1 or more",
        ),
        (
            "[defaults]\nkill_after = 99999999999\n",
            "budget.toml:2:14: kill_after `99999999999` is too large: at most 100",
        ),
        (
            "[defaults]\nkill_after = 101\n",
            "budget.toml:2:14: kill_after `101` is too large",
        ),
        (
            "[tiers.unit]\nbudget = \"99999999999h\"\n",
            "budget.toml:2:10: `99999999999h` is too long: durations in budget.toml are at most 7 days",
        ),
        (
            "[[exception]]\ntest = \"a b\"\nbudget = \"8days\"\n",
            "budget.toml:3:10: `8days` is too long",
        ),
        (
            "[defaults]\ngrace_period = \"1000000000000000000000s\"\n",
            "budget.toml:2:16: `1000000000000000000000s` is not a duration",
        ),
        (
            "schema = 2\n",
            "budget.toml:1:10: unsupported schema 2: it was written for a newer",
        ),
        (
            "[tiers.slow]\nprefixes = [\"s_\"]\n",
            "budget.toml:1:1: new tier `slow` needs a budget",
        ),
        (
            "[enforce]\nci = \"maybe\"\n",
            "budget.toml:2:6: unknown enforcement `maybe`",
        ),
        (
            "[[exception]]\ntest = \"no-space\"\n",
            "budget.toml:2:8: exception test `no-space` must be",
        ),
        (
            "[[exception]]\ntest = \"a b\"\nexpires = \"tomorrow\"\n",
            "budget.toml:3:11: expires `tomorrow` is not a date",
        ),
        ("phase = \n", "budget.toml:1:9:"),
        ("[tiers.unit\n", "budget.toml:1:"),
        (
            "phase = 3\n",
            "budget.toml:1:9: invalid type: integer `3`, expected a string",
        ),
        (
            "[regression]\nconfirm_runs = 99\n",
            "budget.toml:2:16: regression.confirm_runs must be a whole number from 0",
        ),
        (
            "[tiers.e2e]\nregression = { warn = \"50%\", fail = \"20%\" }\n",
            "budget.toml:2:14: tier `e2e`: its regression warn threshold must not be above",
        ),
        (
            "[tiers.e2e]\nregression = { fail = \"lots\" }\n",
            "budget.toml:2:23: `lots` is not a percentage",
        ),
    ];
    for (text, want) in cases {
        let got = err(text);
        assert!(
            got.starts_with(want),
            "for {text:?}\n got: {got}\nwant: {want}"
        );
    }
}

#[test]
fn error_shows_the_offending_text() {
    let got = err("schema = 1\n[tiers.unit]\nbudget = \"1\"\n");
    assert!(
        got.contains("   3 | budget = \"1\"\n     |          ^^^"),
        "{got}"
    );
}

#[test]
fn claimed_twice_is_an_error() {
    let got = err("[tiers.integration]\nprefixes = [\"unit_\"]\n");
    assert!(got.contains("prefix `unit_` is claimed by tiers"), "{got}");
}

#[test]
fn exceptions_resolve_with_line_and_date() {
    let c = load(
        "phase = \"warn\"\n\n[[exception]]\ntest = \"app::unit legacy::rdf parser\"\nbudget = \"5s\"\nexpires = 2027-03-01\n",
    )
    .unwrap()
    .config;
    let e = &c.exceptions[0];
    assert_eq!(e.test.binary_id, "app::unit");
    assert_eq!(e.test.name, "legacy::rdf parser");
    assert_eq!(e.budget, Some(Duration::from_secs(5)));
    assert_eq!(e.expires.unwrap().to_string(), "2027-03-01");
    assert_eq!(e.line, 3);
}

#[test]
fn nul_characters_are_rejected_wherever_they_are() {
    // A raw NUL byte is a TOML syntax error; an escaped one used to reach names and filters.
    let cases: &[(&str, &str)] = &[
        ("phase = \"warn\"\n\0", "budget.toml:2:"),
        (
            "[[exception]]\ntest = \"a b\\u0000\"\n",
            "budget.toml:2:8: a NUL character (U+0000) is not allowed",
        ),
        (
            "[tiers.unit]\ntargets = [\"unit\", \"x\\u0000\"]\n",
            "budget.toml:2:20: a NUL character (U+0000) is not allowed",
        ),
        (
            "[tiers.\"a\\u0000\"]\nbudget = \"1s\"\n",
            "budget.toml:1:8: a NUL character (U+0000) is not allowed",
        ),
        (
            "[[exception]]\ntest = \"a b\"\nreason = \"\"\"x\\u0000\"\"\"\n",
            "budget.toml:3:10: a NUL character (U+0000) is not allowed",
        ),
    ];
    for (text, want) in cases {
        let got = err(text);
        assert!(
            got.starts_with(want),
            "for {text:?}\n got: {got}\nwant: {want}"
        );
    }
}

#[test]
fn the_largest_values_are_accepted() {
    let c = load("[defaults]\nkill_after = 100\n[tiers.e2e]\nbudget = \"7days\"\n")
        .unwrap()
        .config;
    assert_eq!(c.kill_after, 100);
    assert_eq!(
        c.tier("e2e").unwrap().budget,
        Duration::from_secs(7 * 86_400)
    );
}

#[test]
fn a_tier_claims_property_test_frameworks_with_cases_per_context() {
    use crate::model::Framework;
    let c = load(
        "[tiers.property]\nbudget = \"60s\"\nframeworks = [\"proptest\", \"quickcheck\"]\n\
         cases = { dev = 256, pre-commit = 32, ci = 64 }\n",
    )
    .unwrap()
    .config;
    let t = c.tier("property").unwrap();
    assert_eq!(t.frameworks, [Framework::Proptest, Framework::Quickcheck]);
    let env = |ctx| c.property_env(ctx);
    assert_eq!(
        env(Context::Ci),
        [
            ("PROPTEST_CASES".to_string(), "64".to_string()),
            ("QUICKCHECK_TESTS".to_string(), "64".to_string())
        ]
    );
    assert_eq!(env(Context::PreCommit)[0].1, "32");
    assert_eq!(env(Context::Dev)[1].1, "256");
    // A context left out keeps the tests' own setting.
    assert!(env(Context::Release).is_empty());
    assert!(defaults().property_env(Context::Ci).is_empty());
}

#[test]
fn property_test_config_errors() {
    for (text, expected) in [
        (
            "[tiers.property]\nbudget = \"60s\"\nframeworks = [\"hypothesis\"]\n",
            "unknown framework `hypothesis` (known: proptest, quickcheck)",
        ),
        (
            "[tiers.property]\nbudget = \"60s\"\ncases = { ci = 64 }\n",
            "sets `cases` but claims no framework",
        ),
        (
            "[tiers.property]\nbudget = \"60s\"\nframeworks = [\"proptest\"]\ncases = { ci = 0 }\n",
            "cases must be from 1 to 1000000, found 0",
        ),
        (
            "[tiers.property]\nbudget = \"60s\"\nframeworks = [\"proptest\"]\n\
             [tiers.fuzzish]\nbudget = \"90s\"\nframeworks = [\"proptest\"]\n",
            "framework `proptest` is claimed by tiers `fuzzish` and `property`",
        ),
    ] {
        let message = err(text);
        assert!(message.contains(expected), "{message}");
        assert!(message.contains("budget.toml:"), "{message}");
    }
    let warned = load(
        "[tiers.property]\nbudget = \"60s\"\nframeworks = [\"proptest\"]\ncases = { nightly = 5 }\n",
    )
    .unwrap();
    assert_eq!(warned.warnings.len(), 1, "{:?}", warned.warnings);
}

#[test]
fn memory_budgets_on_tiers_and_exceptions() {
    use crate::model::{Amount, Metric};
    let c = load(
        "[tiers.unit]\nmemory = \"64MiB\"\n[[exception]]\ntest = \"app big\"\nmemory = \"1.5GB\"\n",
    )
    .unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let unit = c.config.tier("unit").unwrap();
    assert_eq!(
        unit.limits.get(Metric::Memory),
        Some(Amount::Bytes(64 << 20))
    );
    assert_eq!(
        c.config
            .tier("integration")
            .unwrap()
            .limits
            .get(Metric::Memory),
        None
    );
    assert_eq!(
        c.config.exceptions[0].limits.get(Metric::Memory),
        Some(Amount::Bytes(1_500_000_000))
    );
}

#[test]
fn capabilities_resolve_with_their_tests_thresholds_and_metrics() {
    let c = load(
        "[alerts]\nfor = \"5m\"\nlabels = { team = \"core\" }\n[[capability]]\nname = \"schema_validator\"\nbenches = [\"validate/*\"]\np95 = \"250us\"\ncomplexity = \"O(n)\"\ntests = \"test(/^schema::/)\"\nmemory = \"10MiB\"\nregression = { warn = \"5%\" }\n[capability.metrics]\nlatency = 'h_bucket{a=\"b\", c=~\"d|e\"}'\nmemory = 'rss{job=\"v\"}'\nby = [\"instance\"]\nfor = \"1m\"\nlabels = { severity = \"page\" }\n",
    )
    .unwrap();
    let cap = &c.config.capabilities[0];
    assert_eq!(cap.name, "schema_validator");
    assert_eq!(cap.p95, Some(Duration::from_micros(250)));
    assert_eq!(cap.line, 4);
    assert!(cap.covers("validate/small") && !cap.covers("validate/a/b") && !cap.covers("parse/x"));
    assert_eq!(cap.complexity, Some(crate::model::Complexity::Linear));
    assert_eq!(cap.tests.as_deref(), Some("test(/^schema::/)"));
    assert_eq!(cap.memory, Some(10 * 1024 * 1024));
    let r = cap.regression.unwrap();
    assert_eq!((r.warn, r.fail), (0.05, 0.25), "fail from [regression]");
    let m = cap.metrics.as_ref().unwrap();
    let latency = m.latency.as_ref().unwrap();
    assert_eq!(latency.metric, "h_bucket");
    assert_eq!(latency.matchers.len(), 2);
    assert!(latency.matchers[1].matches("e") && !latency.matchers[1].matches("de"));
    assert_eq!(m.memory.as_ref().unwrap().metric, "rss");
    assert_eq!(m.by, ["instance"]);
    assert_eq!(m.for_, Duration::from_secs(60));
    assert_eq!(m.window, Duration::from_secs(300));
    let labels: Vec<(&str, &str)> = m
        .labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("severity", "page"),
            ("source", "cargo-budget"),
            ("team", "core")
        ]
    );
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let cap = "[[capability]]\nname = \"v\"\nbenches = [\"v/*\"]\n";
    for (tail, want) in [
        (
            "complexity = \"O(n^3)\"\n",
            "4:14: `O(n^3)` is not a complexity",
        ),
        (
            "memory = \"1MiB\"\n",
            "4:10: capability `v`: `memory` is the peak of its tests",
        ),
        (
            "regression = { warn = \"30%\" }\n",
            "4:14: capability `v`: its regression warn threshold must not be above",
        ),
        (
            "p95 = \"1ms\"\n[capability.metrics]\nlatency = 'rate(h_bucket[5m])'\n",
            "6:11: `rate(h_bucket[5m])` is not a series selector",
        ),
        (
            "p95 = \"1ms\"\n[capability.metrics]\nlatency = 'h{a=\"b\"}'\n",
            "must select a histogram's `_bucket` series",
        ),
        (
            "[capability.metrics]\nmemory = 'rss'\n",
            "an alert on `memory` needs the budget it alerts above: set `memory`",
        ),
        (
            "p95 = \"1ms\"\n[capability.metrics]\nlatency = 'h_bucket'\nlabels = { capability = \"x\" }\n",
            "`capability` cannot be an alert label",
        ),
        (
            "p95 = \"1ms\"\n[capability.metrics]\nlatency = 'h_bucket'\nfor = \"1500ms\"\n",
            "`for` must be whole seconds",
        ),
    ] {
        let got = err(&format!("{cap}{tail}"));
        assert!(got.contains(want), "{tail}: {got}");
    }
    assert!(err("[alerts]\nwindow = \"30s\"\n").contains("2:10: `window` must be at least 1m"));
    assert!(
        err("[[capability]]\nname = \"v\"\np95 = \"1ms\"\n")
            .contains("has a budget but no benches")
    );
    assert!(
        err("[[capability]]\nname = \"v\"\n[[capability]]\nname = \"v\"\n")
            .contains("a second capability named `v`")
    );
    assert!(err("[[capability]]\nname = \"a\\nb\"\n").contains("without control characters"));
}

/// A capability's `instructions` is a count budget per benchmark: a string with a unit or an
/// integer; `true`, zero and a capability without benches are refused at their position.
#[test]
fn capability_instruction_budgets() {
    let cap = |v: &str| {
        format!("[[capability]]\nname = \"v\"\nbenches = [\"v/*\"]\ninstructions = {v}\n")
    };
    for (value, want) in [
        ("\"2M\"", 2_000_000),
        ("\"1.5k\"", 1_500),
        ("250000", 250_000),
    ] {
        let c = load(&cap(value)).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(c.config.capabilities[0].instructions, Some(want), "{value}");
    }
    for (value, want) in [
        (
            "true",
            "4:16: a capability's `instructions` is the budget of each of its benchmarks",
        ),
        ("0", "4:16: a capability's `instructions` is the budget"),
        ("\"lots\"", "4:16:"),
    ] {
        let got = err(&cap(value));
        assert!(got.contains(want), "{value}: {got}");
    }
    assert!(
        err("[[capability]]\nname = \"v\"\ninstructions = \"2M\"\n")
            .contains("has a budget but no benches")
    );
}

#[test]
fn the_template_s_capability_and_alerts_examples_load_when_uncommented() {
    let from = TEMPLATE.find("# [[capability]]").unwrap();
    let text: String = TEMPLATE[from..]
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.starts_with(|c: char| c == '[' || c.is_ascii_lowercase()) => rest,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let loaded = load(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let c = &loaded.config.capabilities[0];
    assert!(c.memory.is_some() && c.regression.is_some(), "{c:?}");
    // Its complexity claim is checked on parametrized benchmarks, whose criterion ids are
    // `group/function/value`: its globs must reach them (`validate/*` did not).
    assert!(c.complexity.is_some(), "{c:?}");
    let group = c.benches[0].split('/').next().unwrap();
    for id in [format!("{group}/f/1000"), format!("{group}/f")] {
        assert!(c.covers(&id), "{:?} misses {id}", c.benches);
    }
    let m = c.metrics.as_ref().unwrap();
    assert!(m.latency.is_some() && m.memory.is_some(), "{m:?}");
    assert_eq!(loaded.config.alerts, crate::config::Alerts::default());
    assert_eq!(loaded.config.trend, crate::config::Trend::default());
}

#[test]
fn trend_settings_resolve_and_bad_ones_name_their_line() {
    let c = load("[trend]\nwindow = 30\nflaky = \"50%\"\nheadroom = \"5%\"\n").unwrap();
    assert_eq!(
        c.config.trend,
        crate::config::Trend {
            window: 30,
            flaky: 0.5,
            headroom: 0.05
        }
    );
    assert!(err("[trend]\nwindow = 2\n").contains("2:10: trend.window must be"));
}
