//! What commands check before they act: the packages `-p` names, and where annotation paths
//! start.

use std::path::PathBuf;

use crate::error::Error;

/// `-p NAME` must name a workspace member; cargo would otherwise fail later with a build error.
pub fn check_packages(ws: &crate::workspace::Workspace, specs: &[String]) -> Result<(), Error> {
    let names: Vec<&str> = ws.packages.iter().map(|p| p.name.as_str()).collect();
    for spec in specs {
        // `name@version` and `name:version` specs name the package first; URLs are left to cargo.
        if spec.contains('/') {
            continue;
        }
        let name = spec.split(['@', ':']).next().unwrap_or(spec);
        if !names.contains(&name) {
            return Err(Error::Usage(format!(
                "package `{spec}` is not a member of the workspace (members: {})",
                names.join(", ")
            )));
        }
    }
    Ok(())
}

/// Where GitHub annotation paths start: `GITHUB_WORKSPACE` when set, else the top of the git
/// repository holding the workspace, else the workspace itself.
pub fn annotation_roots(workspace_root: &std::path::Path) -> crate::report::Roots {
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.into());
    let repository = std::env::var_os("GITHUB_WORKSPACE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::git::toplevel(workspace_root))
        .unwrap_or_else(|| workspace_root.to_path_buf());
    crate::report::Roots {
        workspace: canonical(workspace_root),
        repository: canonical(&repository),
    }
}
