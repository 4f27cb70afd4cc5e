//! File operations of a set-aside: what a path holds now (file, link, nothing, or something
//! else), and writing files and links in place without following a link in the way.

use std::io::ErrorKind;
use std::path::Path;

/// What a path holds, read without following a symlink.
#[derive(Debug, PartialEq, Eq)]
pub enum State {
    /// Nothing, or a parent is not a directory.
    Absent,
    File {
        bytes: Vec<u8>,
        mode: u32,
    },
    Link {
        target: Vec<u8>,
    },
    /// A directory, a socket, a FIFO: nothing the set-aside ever writes.
    Other,
}

/// Whether an error means "there is nothing at that path".
pub fn is_absent(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory)
}

impl State {
    pub fn read(path: &Path) -> std::io::Result<State> {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if is_absent(&e) => return Ok(State::Absent),
            Err(e) => return Err(e),
        };
        Ok(if meta.file_type().is_symlink() {
            State::Link {
                target: link_bytes(path)?,
            }
        } else if meta.is_file() {
            State::File {
                bytes: std::fs::read(path)?,
                mode: mode_of(&meta),
            }
        } else {
            State::Other
        })
    }
}

#[cfg(unix)]
pub fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
pub fn mode_of(_meta: &std::fs::Metadata) -> u32 {
    0o644
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
pub fn make_link(target: &[u8], path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), path)
}

#[cfg(not(unix))]
pub fn make_link(target: &[u8], path: &Path) -> std::io::Result<()> {
    std::fs::write(path, target)
}

#[cfg(unix)]
fn link_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Ok(std::fs::read_link(path)?.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn link_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    Ok(std::fs::read_link(path)?
        .to_string_lossy()
        .into_owned()
        .into_bytes())
}

/// Removes the file or link at `path`, if there is one.
pub fn clear(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => std::fs::remove_file(path),
        Err(e) if is_absent(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether a write must be on disk before the call returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sync {
    /// The only copy of someone's work: synced before anything depends on it.
    Durable,
    /// Can be had again (an index version, whose blob git keeps).
    Cache,
}

/// Writes `bytes` with `mode` to `path` through a temporary file in the same directory; a
/// symlink in the way is replaced, not followed.
fn replace(path: &Path, bytes: &[u8], mode: u32, sync: Sync) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    if sync == Sync::Durable {
        tmp.as_file().sync_all()?;
    }
    let tmp = tmp.into_temp_path();
    set_mode(&tmp, mode)?;
    tmp.persist(path).map_err(|e| e.error)
}

/// Puts `state` at `path` (whose directory exists): a file, a link, or nothing.
pub fn put(path: &Path, state: &State, sync: Sync) -> std::io::Result<()> {
    match state {
        State::File { bytes, mode } => replace(path, bytes, *mode, sync),
        State::Link { target } => {
            clear(path)?;
            make_link(target, path)
        }
        State::Absent => clear(path),
        State::Other => Err(std::io::Error::other("cannot write a special file")),
    }
}

/// Writes a new file (never replacing one) and syncs it.
pub fn create_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    std::io::Write::write_all(&mut f, bytes)?;
    f.sync_all()
}
