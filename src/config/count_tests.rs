//! `instructions = true | false | "50M"` on tiers and exceptions, and the thresholds of counts.

use std::path::Path;

use super::*;

fn load(text: &str) -> Result<Loaded, ConfigError> {
    parse(text, Path::new("budget.toml"))
}

fn err(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

#[test]
fn instruction_counts_on_tiers_exceptions_and_thresholds() {
    use crate::model::{Amount, Metric};
    let c = load(
        "[tiers.unit]\ninstructions = \"50M\"\n[tiers.e2e]\ninstructions = true\n\
         [[exception]]\ntest = \"app big\"\ninstructions = false\n\
         [[exception]]\ntest = \"app two\"\ninstructions = 2000000\n\
         [regression]\ninstructions = { warn = \"0.5%\", fail = \"2%\" }\n",
    )
    .unwrap();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let tier = |name: &str| c.config.tier(name).unwrap();
    assert!(tier("unit").count && tier("e2e").count && !tier("integration").count);
    assert_eq!(
        tier("unit").limits.get(Metric::Instructions),
        Some(Amount::Count(50_000_000))
    );
    assert_eq!(tier("e2e").limits.get(Metric::Instructions), None);
    assert_eq!(c.config.exceptions[0].count, Some(false));
    assert_eq!(c.config.exceptions[1].count, Some(true));
    assert_eq!(
        c.config.exceptions[1].limits.get(Metric::Instructions),
        Some(Amount::Count(2_000_000))
    );
    let t = c.config.regression_for("unit").instructions;
    assert_eq!((t.warn, t.fail), (0.005, 0.02));
    // Defaults: 1 % and 3 %, tiers' own regression thresholds keep them.
    let d = load("[tiers.unit]\nregression = { warn = \"50%\", fail = \"200%\" }\n").unwrap();
    let t = d.config.regression_for("unit").instructions;
    assert_eq!((t.warn, t.fail), (0.01, 0.03));

    let cases: &[(&str, &str)] = &[
        (
            "[tiers.unit]\ninstructions = 3.5\n",
            "budget.toml:2:16: `instructions` must be true, false or a budget such as \"50M\", found float",
        ),
        (
            "[tiers.unit]\ninstructions = \"1,5M\"\n",
            "budget.toml:2:16: `1,5M` is not a count",
        ),
        (
            "[[exception]]\ntest = \"a b\"\ninstructions = 0\n",
            "budget.toml:3:16: `0` is not a budget",
        ),
        (
            "[regression]\ninstructions = { warn = \"0.04%\" }\n",
            "budget.toml:2:25: regression.instructions.warn must be at least 0.1%",
        ),
        (
            "[regression]\ninstructions = { warn = \"5%\", fail = \"2%\" }\n",
            "budget.toml:2:16: regression.instructions: warn must not be above fail",
        ),
    ];
    for (text, want) in cases {
        let got = err(text);
        assert!(
            got.starts_with(want),
            "{text:?}:\n got  {got}\n want {want}"
        );
    }
}
