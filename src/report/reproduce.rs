//! The shell line that runs one test alone, for a report's "reproduce" hint.

use std::path::Path;

use crate::model::TestId;

/// The shell line that runs one test alone (`workspace`: every member, for a manifest that
/// may not be the test's package).
pub fn reproduce(id: &TestId, manifest_path: Option<&Path>, workspace: bool) -> String {
    let mut words = vec!["cargo".to_string(), "nextest".into(), "run".into()];
    if let Some(m) = manifest_path {
        words.push("--manifest-path".into());
        words.push(m.display().to_string());
    }
    if workspace {
        words.push("--workspace".into());
    }
    words.push("-E".into());
    words.push(crate::nextest::filterset::test(id));
    shell_words::join(words)
}
