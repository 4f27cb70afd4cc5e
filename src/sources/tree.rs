//! Following a test target's module tree from its root file, as rustc does (`mod x;`,
//! `#[path]`, inline parents), scanning each file once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::scan;
use crate::model::SourceTest;

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
                    framework: t.framework,
                },
            ));
        }
        for m in scanned.mods {
            // Inline parents of the declaration become directories (`mod a { mod b; }` → a/b.rs).
            let inline_parents: Vec<&str> = m.path.split("::").collect();
            let inline_parents = &inline_parents[..inline_parents.len() - 1];
            let (child, child_dir) = match &m.explicit_path {
                // rustc: relative to the declaring file's directory; the file then acts like a
                // mod.rs, its children next to it.
                Some(p) => {
                    let mut base = file.parent().unwrap_or(Path::new(".")).to_path_buf();
                    base.extend(inline_parents);
                    let f = base.join(p);
                    let d = f.parent().unwrap_or(Path::new(".")).to_path_buf();
                    (f, d)
                }
                None => {
                    let mut base = dir.clone();
                    base.extend(inline_parents);
                    let flat = base.join(format!("{}.rs", m.name));
                    if flat.is_file() {
                        (flat, base.join(&m.name))
                    } else {
                        (base.join(&m.name).join("mod.rs"), base.join(&m.name))
                    }
                }
            };
            queue.push((child, join(&m.path), child_dir));
        }
    }
    found
}
