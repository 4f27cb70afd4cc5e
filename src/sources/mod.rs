//! Where each test lives in the source and which `/// budget: <tier>` marker it carries, found by
//! walking each test target's module tree from its root file (following `mod x;` like rustc).

pub mod scan;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::{BinaryInfo, TestId};
use crate::workspace::Workspace;

/// A test's place in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceTest {
    /// Relative to the workspace root when inside it.
    pub file: PathBuf,
    pub line: usize,
    /// Tier named by a doc-comment marker, and the marker's line.
    pub marker: Option<(String, usize)>,
}

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

/// Walks a target's module tree from its root file; returns (test name, location).
pub fn scan_target(root: &Path) -> Vec<(String, SourceTest)> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    // (file, module prefix, directory its child modules live in)
    let root_dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut queue: Vec<(PathBuf, String, PathBuf)> =
        vec![(root.to_path_buf(), String::new(), root_dir)];
    while let Some((file, prefix, dir)) = queue.pop() {
        if !seen.insert(file.clone()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let scanned = scan::scan(&text);
        let join = |path: &str| {
            if prefix.is_empty() {
                path.to_string()
            } else {
                format!("{prefix}::{path}")
            }
        };
        for t in scanned.tests {
            found.push((
                join(&t.path),
                SourceTest {
                    file: file.clone(),
                    line: t.line,
                    marker: t.marker,
                },
            ));
        }
        for m in scanned.mods {
            // Inline parents of the declaration become directories (`mod a { mod b; }` → a/b.rs).
            let inline_parents: Vec<&str> = m.path.split("::").collect();
            let mut base = dir.clone();
            for p in &inline_parents[..inline_parents.len() - 1] {
                base.push(p);
            }
            let (child, child_dir) = match &m.explicit_path {
                Some(p) => {
                    let f = base.join(p);
                    let d = f.with_extension("");
                    (f, d)
                }
                None => {
                    let flat = base.join(format!("{}.rs", m.name));
                    if flat.is_file() {
                        (flat, base.join(&m.name))
                    } else {
                        let nested = base.join(&m.name).join("mod.rs");
                        (nested, base.join(&m.name))
                    }
                }
            };
            queue.push((child, join(&m.path), child_dir));
        }
    }
    found
}
