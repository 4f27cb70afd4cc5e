//! What commands check before they act: the packages `-p` names.

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
