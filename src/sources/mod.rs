//! Where each test lives in the source and which `/// budget: <tier>` marker it carries, found by
//! walking each test target's module tree from its root file (following `mod x;` like rustc).

pub mod scan;
mod tree;

pub use tree::scan_target;

use std::collections::HashMap;
use std::path::Path;

use crate::model::{BinaryInfo, Framework, SourceTest, TestId};
use crate::workspace::Workspace;

/// Tests placed by their source: markers (test, tier) and property tests (test, framework).
pub type Placed = (Vec<(TestId, String)>, Vec<(TestId, Framework)>);

/// Test locations and markers, keyed by test id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceIndex {
    tests: HashMap<TestId, SourceTest>,
}

impl SourceIndex {
    pub fn get(&self, id: &TestId) -> Option<&SourceTest> {
        self.tests.get(id)
    }

    pub fn insert(&mut self, id: TestId, test: SourceTest) {
        self.tests.insert(id, test);
    }

    pub fn iter(&self) -> impl Iterator<Item = (&TestId, &SourceTest)> {
        self.tests.iter()
    }

    /// Tests placed by their source, each list sorted: `/// budget: <tier>` markers, and
    /// property tests with their framework.
    pub fn placed(&self) -> Placed {
        let mut markers: Vec<(TestId, String)> = self
            .iter()
            .filter_map(|(id, s)| {
                s.marker
                    .as_ref()
                    .map(|(tier, _)| (id.clone(), tier.clone()))
            })
            .collect();
        markers.sort();
        let mut frameworks: Vec<(TestId, Framework)> = self
            .iter()
            .filter_map(|(id, s)| s.framework.map(|f| (id.clone(), f)))
            .collect();
        frameworks.sort();
        (markers, frameworks)
    }

    /// Scans the targets of `binaries` in `workspace`. Unreadable files are skipped: a missing
    /// location only costs an annotation its line.
    pub fn build(workspace: &Workspace, binaries: &[BinaryInfo]) -> Self {
        let mut index = SourceIndex::default();
        for binary in binaries {
            let Some(root) = workspace.target_src(&binary.package, &binary.kind, &binary.target)
            else {
                continue;
            };
            for (path, test) in scan_target(root) {
                let file = test
                    .file
                    .strip_prefix(&workspace.root)
                    .map(Path::to_path_buf)
                    .unwrap_or(test.file);
                index.insert(
                    TestId::new(&binary.binary_id, path),
                    SourceTest { file, ..test },
                );
            }
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks a generated module tree on disk: milliseconds on a quiet machine, past 3 s when
    /// this shared VM stalls, so it takes the integration tier's budget.
    /// budget: integration
    #[test]
    fn module_tree_follows_rustc_rules() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        let write = |rel: &str, text: &str| {
            let p = src.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "lib.rs",
            "mod a;\n#[path = \"pp/foo.rs\"]\nmod c;\n#[cfg(test)]\nmod tests;\n",
        );
        write("a.rs", "mod b;\n#[path = \"c_file.rs\"]\nmod c;\n");
        write("a/b.rs", "#[test]\nfn in_b() {}\n");
        write("c_file.rs", "/// budget: e2e\n#[test]\nfn in_c() {}\n");
        write("pp/foo.rs", "mod d;\n");
        write("pp/d.rs", "#[test]\nfn in_d() {}\n");
        write("tests.rs", "#[test]\nfn in_tests_file() {}\n");
        let mut found: Vec<(String, Option<String>)> = scan_target(&src.join("lib.rs"))
            .into_iter()
            .map(|(name, t)| (name, t.marker.map(|m| m.0)))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("a::b::in_b".to_string(), None),
                ("a::c::in_c".to_string(), Some("e2e".to_string())),
                ("c::d::in_d".to_string(), None),
                ("tests::in_tests_file".to_string(), None),
            ]
        );
    }
}
