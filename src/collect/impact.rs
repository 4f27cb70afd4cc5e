//! What the impact mapping of a staged change needs from the workspace: each package's
//! directory, its test targets (those nextest builds), its other code and its build scripts.

use crate::model::BinaryInfo;
use crate::policy::impact::PackageLayout;
use crate::workspace::Workspace;

/// Each package's directory and target files, as the impact mapping needs them.
pub fn layouts(ws: &Workspace, binaries: &[BinaryInfo]) -> Vec<PackageLayout> {
    let is = |t: &crate::workspace::Target, k: &str| t.kinds.iter().any(|x| x == k);
    ws.packages
        .iter()
        .map(|p| PackageLayout {
            name: p.name.clone(),
            dir: p.manifest_dir.clone(),
            tests: p
                .targets
                .iter()
                .filter(|t| is(t, "test"))
                .filter_map(|t| {
                    let id = format!("{}::{}", p.name, t.name);
                    binaries
                        .iter()
                        .any(|b| b.binary_id == id)
                        .then(|| (id, t.src_path.clone()))
                })
                .collect(),
            code: p
                .targets
                .iter()
                .filter(|t| !is(t, "test") && !is(t, "custom-build"))
                .map(|t| t.src_path.clone())
                .collect(),
            build: p
                .targets
                .iter()
                .filter(|t| is(t, "custom-build"))
                .map(|t| t.src_path.clone())
                .collect(),
        })
        .collect()
}
