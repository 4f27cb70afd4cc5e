//! What commands share besides the session: the packages `-p` names, checked; the re-runs
//! alone of a confirm plan, announced.

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

/// Runs the tests of `plan` alone (none: no re-run, nothing said), with a "Confirming" line
/// saying why.
pub fn rerun(
    session: &crate::session::Session<'_>,
    ask: &crate::collect::Ask,
    plan: &crate::policy::confirm::Plan,
) -> Result<crate::policy::confirm::Reruns, Error> {
    if !plan.is_empty() {
        session
            .ui()
            .note("Confirming", &crate::report::confirming(plan));
    }
    crate::collect::reruns::alone(session, ask, plan)
}
