//! Where GitHub annotation paths start, probed from the environment and git.

use std::path::PathBuf;

/// Where GitHub annotation paths start: `GITHUB_WORKSPACE` when set, else the top of the git
/// repository holding the workspace, else the workspace itself.
pub fn annotation_roots(workspace_root: &std::path::Path) -> crate::model::Roots {
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.into());
    let repository = std::env::var_os("GITHUB_WORKSPACE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::git::toplevel(workspace_root))
        .unwrap_or_else(|| workspace_root.to_path_buf());
    crate::model::Roots {
        workspace: canonical(workspace_root),
        repository: canonical(&repository),
    }
}
