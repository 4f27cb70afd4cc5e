//! `cargo nextest list --message-format json` → [`Inventory`], parsed with `nextest-metadata`.

use std::path::PathBuf;

use nextest_metadata::{RustTestSuiteStatusSummary, TestListSummary};

use crate::model::{BinaryInfo, TestId};

/// One listed test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedTest {
    pub id: TestId,
    pub ignored: bool,
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
            kind: suite.binary.kind.as_str().to_string(),
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
                ignored: case.ignored,
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
        let ignored: Vec<_> = inv
            .tests
            .iter()
            .filter(|t| t.ignored)
            .map(|t| t.id.name.as_str())
            .collect();
        assert_eq!(ignored, ["ignored_test", "ignored_with_reason"]);
        assert!(inv.tests.iter().filter(|t| t.ignored).all(|t| !t.selected));
    }
}
