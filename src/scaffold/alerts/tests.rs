use std::time::Duration;

use super::yaml;
use crate::config::parse;

fn config(text: &str) -> crate::config::Config {
    parse(text, std::path::Path::new("budget.toml"))
        .unwrap()
        .config
}

#[test]
fn yaml_pieces_escape_what_each_reader_would_interpret() {
    for (secs, want) in [
        (0, "0s"),
        (60, "1m"),
        (600, "10m"),
        (5400, "1h30m"),
        (3661, "1h1m1s"),
    ] {
        assert_eq!(yaml::duration(Duration::from_secs(secs)), want);
    }
    assert_eq!(yaml::q("a \"b\" \\ c\n"), r#""a \"b\" \\ c\n""#);
    assert_eq!(yaml::literal("x {{ y }}"), "x {{ \"{{\" }} y }}");
    assert_eq!(yaml::literal("{a} }}"), "{a} }}");
    assert_eq!(yaml::label_value("/a\"b\\{c}"), r#""/a\"b\\{c}""#);
}

#[test]
fn the_expression_keeps_the_labels_asked_for() {
    let c = config(
        "[[capability]]\nname = \"v\"\nbenches = [\"v/*\"]\np95 = \"50ms\"\ntests = \"all()\"\nmemory = \"1MiB\"\n[capability.metrics]\nlatency = 'h_bucket{a=\"b\"}'\nmemory = 'rss'\nby = [\"instance\", \"job\"]\n",
    );
    let rules = super::rules_of(&c);
    assert_eq!(
        super::rules::expr(&rules[0]),
        "histogram_quantile(0.95, sum by (le, instance, job) (rate(h_bucket{a=\"b\"}[5m]))) > 0.05"
    );
    assert_eq!(
        super::rules::expr(&rules[1]),
        "max by (instance, job) (rss) > 1048576"
    );
}

#[test]
fn a_selector_no_made_up_series_matches_is_refused() {
    let base =
        "[[capability]]\nname = \"v\"\nbenches = [\"v/*\"]\np95 = \"50ms\"\n[capability.metrics]\n";
    // Regex alternatives of plain words, negative matchers and `=""` can all be satisfied.
    let ok = config(&format!(
        "{base}latency = 'h_bucket{{a=~\"x|y\", b!=\"z\", c!~\"q.*\", d=\"\"}}'\n"
    ));
    let (_, tests) = super::files(&ok).unwrap().unwrap();
    assert!(
        tests
            .contains(r#"h_bucket{a=\"x\", b=\"cargo-budget-test\", c=\"cargo-budget-test\", le="#),
        "{tests}"
    );
    let bad = config(&format!("{base}latency = 'h_bucket{{a=~\"[0-9]+\"}}'\n"));
    let e = super::files(&bad).unwrap_err();
    assert!(
        e.contains("budget.toml:1: capability `v`") && e.contains("a=~\"[0-9]+\""),
        "{e}"
    );
}
