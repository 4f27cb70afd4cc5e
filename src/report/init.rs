//! What `init --dry-run` and `init --check` show: each planned change as a unified diff.

use crate::scaffold::Change;

/// `change` as a unified diff (`/dev/null` for a new file).
pub fn diff(change: &Change) -> String {
    let path = change.path.display().to_string();
    let before = change.before.as_deref().unwrap_or("");
    similar::TextDiff::from_lines(before, &change.after)
        .unified_diff()
        .header(
            &if change.before.is_some() {
                format!("a/{path}")
            } else {
                "/dev/null".to_string()
            },
            &format!("b/{path}"),
        )
        .to_string()
}
