//! Where paths in reports start: the workspace and the repository (GitHub's checkout).

/// Test locations are relative to the cargo workspace (or absolute); GitHub resolves annotation
/// paths from the checkout, which may sit above the workspace (`examples/demo/…`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roots {
    /// The cargo workspace root, absolute.
    pub workspace: std::path::PathBuf,
    /// `GITHUB_WORKSPACE`, else the repository's top, absolute.
    pub repository: std::path::PathBuf,
}

impl Roots {
    /// `file` (relative to the workspace, or absolute) relative to the repository; absolute
    /// when it lies outside it.
    pub fn from_repository(&self, file: &std::path::Path) -> std::path::PathBuf {
        let absolute = self.workspace.join(file);
        absolute
            .strip_prefix(&self.repository)
            .map(std::path::Path::to_path_buf)
            .unwrap_or(absolute)
    }
}
