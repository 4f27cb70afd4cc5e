//! Atomic file writes: a temporary file in the same directory, then a rename.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |what: &str, source| Error::Io {
        what: format!("failed to {what} `{}`", path.display()),
        source,
    };
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| io("create a temporary file for", e))?;
    tmp.write_all(bytes).map_err(|e| io("write", e))?;
    tmp.as_file().sync_all().map_err(|e| io("sync", e))?;
    tmp.persist(path).map_err(|e| io("replace", e.error))?;
    Ok(())
}
