//! What tests exist ([`Inventory`]): from `cargo nextest list --message-format json` (parsed
//! with `nextest-metadata`), or from a run's JUnit written with `report-skipped = "all"`.

use std::path::PathBuf;

use nextest_metadata::{RustTestSuiteStatusSummary, TestListSummary};

use crate::model::{BinaryInfo, BinaryKind, TestId};

/// One listed test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedTest {
    pub id: TestId,
    /// Selected by the run's filters (and not ignored): nextest will run it.
    pub selected: bool,
}

/// Every binary and test nextest knows about in the workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    pub target_dir: PathBuf,
    /// Every test binary of the workspace, listed or skipped by the filters.
    pub binaries: Vec<BinaryInfo>,
    /// Tests of the listed binaries.
    pub tests: Vec<ListedTest>,
    /// Binaries nextest listed (ran `--list` on); the others were skipped by the filters.
    pub listed: std::collections::BTreeSet<String>,
}

impl Inventory {
    pub fn binary(&self, binary_id: &str) -> Option<&BinaryInfo> {
        self.binaries.iter().find(|b| b.binary_id == binary_id)
    }

    /// The inventory a run's JUnit shows, when it was written with `report-skipped = "all"`:
    /// every test of the binaries nextest listed, skipped ones (filtered out, ignored) as
    /// `Skipped`. A binary with no tests at all cannot be told from one the filters skipped.
    pub fn observed(
        target_dir: PathBuf,
        binaries: Vec<BinaryInfo>,
        run: &crate::model::Run,
    ) -> Self {
        let tests: Vec<ListedTest> = run
            .results
            .iter()
            .map(|r| ListedTest {
                id: r.id.clone(),
                selected: r.outcome != crate::model::Outcome::Skipped,
            })
            .collect();
        let listed = tests.iter().map(|t| t.id.binary_id.clone()).collect();
        Inventory {
            target_dir,
            binaries,
            tests,
            listed,
        }
    }

    /// The tests nextest will run.
    pub fn selected(&self) -> impl Iterator<Item = &ListedTest> {
        self.tests.iter().filter(|t| t.selected)
    }
}

/// Parses the JSON nextest prints for `list --message-format json`.
pub fn parse(json: &str) -> Result<Inventory, serde_json::Error> {
    let summary = TestListSummary::parse_json(json)?;
    let mut inventory = Inventory {
        target_dir: summary
            .rust_build_meta
            .target_directory
            .clone()
            .into_std_path_buf(),
        ..Inventory::default()
    };
    for (binary_id, suite) in &summary.rust_suites {
        inventory.binaries.push(BinaryInfo {
            binary_id: binary_id.as_str().to_string(),
            package: suite.package_name.clone(),
            kind: BinaryKind::parse(suite.binary.kind.as_str()),
            target: suite.binary.binary_name.clone(),
        });
        // The `LISTED` constant wraps a Cow, so it is compared, not matched.
        if suite.status != RustTestSuiteStatusSummary::LISTED {
            continue;
        }
        inventory.listed.insert(binary_id.as_str().to_string());
        for (name, case) in &suite.test_cases {
            inventory.tests.push(ListedTest {
                id: TestId::new(binary_id.as_str(), name.as_str()),
                selected: case.filter_match.is_match(),
            });
        }
    }
    Ok(inventory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_junit_with_skipped_tests_is_an_inventory() {
        let xml = include_str!("../../tests/data/junit-report-skipped-all.xml");
        let run = crate::nextest::junit::parse(xml, std::path::Path::new("junit.xml")).unwrap();
        let inv = Inventory::observed(PathBuf::from("/t"), Vec::new(), &run);
        assert_eq!(inv.tests.len(), 12);
        assert_eq!(inv.selected().count(), 1);
        let listed: Vec<&str> = inv.listed.iter().map(String::as_str).collect();
        assert_eq!(
            listed,
            ["app::e2e", "app::integration", "app::unit", "core-lib"]
        );
    }

    #[test]
    fn parses_the_real_sample() {
        let json = include_str!("../../tests/data/list-message-format-json-pretty.json");
        let inv = parse(json).unwrap();
        assert_eq!(inv.tests.len(), 22);
        let core = inv.binary("core-lib").unwrap();
        assert_eq!(
            (core.kind.as_str(), core.target.as_str()),
            ("lib", "core_lib")
        );
        let unit = inv.binary("app::unit").unwrap();
        assert_eq!((unit.kind.as_str(), unit.target.as_str()), ("test", "unit"));
        let unselected: Vec<_> = inv
            .tests
            .iter()
            .filter(|t| !t.selected)
            .map(|t| t.id.name.as_str())
            .collect();
        assert_eq!(unselected, ["ignored_test", "ignored_with_reason"]);
    }
}
