//! Atomic file writes: a temporary file in the same directory, then a rename.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Streams into a temporary file next to `path`, then renames it over `path`: readers see the
/// old file or the whole new one, never a half-written one.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
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
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buffered).map_err(|e| io("write", e))?;
        buffered.flush().map_err(|e| io("write", e))?;
    }
    tmp.as_file().sync_all().map_err(|e| io("sync", e))?;
    tmp.persist(path).map_err(|e| io("replace", e.error))?;
    Ok(())
}
