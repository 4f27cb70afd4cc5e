//! File writes that never leave a half-written file and never replace what is not a file.
//!
//! A regular file (or a new one) is written atomically: a temporary file in the same directory,
//! then a rename. It keeps its permissions (a new one gets the usual `0666 & !umask`), and a
//! symlink is followed, so the file it points to is the one replaced.
//!
//! Anything else is written through, in place: a device (`/dev/null`), a FIFO, a socket, and the
//! process's own descriptors (`/dev/stdout` is a link to whatever fd 1 is, perhaps a file the
//! shell opened with `>>`). Renaming over those would replace the machine's `/dev/null` with a
//! regular file when run as root, or cut the reader of a pipe off.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Why a write to `path` would land outside the repository `repo`: `path` is a symlink to
/// nothing, or the file (for a new one, the nearest directory that exists) is reached through
/// a symlink to a place outside `repo`. `None` when the write stays inside.
pub fn leaves(path: &Path, repo: &Path) -> Option<String> {
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && meta.file_type().is_symlink()
        && std::fs::metadata(path).is_err()
    {
        let to = std::fs::read_link(path).unwrap_or_default();
        return Some(format!(
            "is a symlink to `{}`, which does not exist",
            to.display()
        ));
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    while std::fs::symlink_metadata(existing).is_err() {
        existing = existing.parent()?;
    }
    let real = std::fs::canonicalize(existing).ok()?;
    let repo = std::fs::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
    (!real.starts_with(&repo)).then(|| {
        format!(
            "leads through a symlink to `{}`, outside the repository",
            real.display()
        )
    })
}

/// `path` made absolute with `.` and `..` folded away as written, not as symlinks resolve them.
fn lexical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            part => out.push(part),
        }
    }
    out
}

/// Refuses (exit 2, naming `path`) to write a file cargo-budget records, such as a baseline,
/// at a path in the repository `repo` that [`leaves`] it through a symlink; `flag` is the
/// option that names another place. A path written outside `repo` is the user's choice of
/// place and is not checked.
pub fn refuse_leaving(path: &Path, repo: &Path, flag: &str) -> Result<(), Error> {
    let written = lexical(path);
    let inside = written.starts_with(lexical(repo))
        || std::fs::canonicalize(repo).is_ok_and(|r| written.starts_with(r));
    match inside.then(|| leaves(path, repo)).flatten() {
        Some(why) => Err(Error::Usage(format!(
            "`{}` {why}: refusing to write there (remove the symlink, or name a place outside \
             the repository with {flag})",
            path.display()
        ))),
        None => Ok(()),
    }
}

/// The file a write to `path` should replace: the target of a symlink, else `path`.
fn resolve(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Whether `path` must be written in place rather than replaced: it exists and is not a regular
/// file (following symlinks), or it names one of the process's own descriptors (`/dev/stdout`,
/// `/dev/fd/N`, `/proc/self/fd/N`), which may be a file the shell opened for us.
fn write_through(path: &Path) -> bool {
    let descriptor = |p: &Path| {
        p.starts_with("/dev/fd")
            || p.starts_with("/proc")
            || ["/dev/stdout", "/dev/stderr"]
                .iter()
                .any(|s| p == Path::new(s))
    };
    if std::path::absolute(path).is_ok_and(|p| descriptor(&p)) {
        return true;
    }
    std::fs::metadata(path).is_ok_and(|m| !m.file_type().is_file())
}

/// Streams into a temporary file next to `path`, then renames it over `path`: readers see the
/// old file or the whole new one, never a half-written one. Devices, FIFOs and `/dev`, `/proc`
/// paths are written through instead (appending, as a shell's `>>` would).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    write_with(path, true, write)
}

/// [`write_atomic_with`] for output that can be made again (a report): replaced atomically, but
/// not synced to disk first, which on a 40 MB report costs more than producing it.
pub fn write_output_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    write_with(path, false, write)
}

fn write_with(
    path: &Path,
    sync: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let io = |what: &str, source| Error::Io {
        what: format!("failed to {what} `{}`", path.display()),
        source,
    };
    if write_through(path) {
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| io("open", e))?;
        let mut buffered = std::io::BufWriter::new(file);
        write(&mut buffered).map_err(|e| io("write", e))?;
        return buffered.flush().map_err(|e| io("write", e));
    }
    let target = resolve(path);
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let existing = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created through open(2), so the umask applies, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| io("create a temporary file for", e))?;
    {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut buffered).map_err(|e| io("write", e))?;
        buffered.flush().map_err(|e| io("write", e))?;
    }
    if let Some(perms) = existing {
        tmp.as_file()
            .set_permissions(perms)
            .map_err(|e| io("keep the permissions of", e))?;
    }
    if sync {
        tmp.as_file().sync_all().map_err(|e| io("sync", e))?;
    }
    tmp.persist(&target).map_err(|e| io("replace", e.error))?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn keeps_modes_and_follows_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&file, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o640
        );

        let fresh = dir.path().join("fresh");
        write_atomic(&fresh, b"x").unwrap();
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode, 0o600, "a new file is not private: {mode:o}");
        assert_eq!(mode & 0o600, 0o600);

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        write_atomic(&link, b"through the link").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "through the link");
    }
}

#[cfg(all(test, unix))]
mod write_through_tests {
    use super::*;
    use std::os::unix::fs::FileTypeExt;
    use std::sync::mpsc;
    use std::time::Duration;

    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Reads the FIFO to its end on another thread; the result arrives on the channel.
    fn reader(fifo: &Path) -> mpsc::Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let fifo = fifo.to_path_buf();
        std::thread::spawn(move || {
            let _ = tx.send(std::fs::read_to_string(fifo).unwrap_or_default());
        });
        rx
    }

    #[test]
    fn fifos_and_links_to_them_are_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        mkfifo(&fifo);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        for (path, text) in [(&fifo, "to the fifo"), (&link, "through the link")] {
            let read = reader(&fifo);
            write_atomic(path, text.as_bytes()).unwrap();
            let kind = std::fs::metadata(&fifo).unwrap().file_type();
            assert!(kind.is_fifo(), "{} replaced by {kind:?}", fifo.display());
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(
                read.recv_timeout(Duration::from_secs(30)).unwrap(),
                text,
                "the reader got the bytes"
            );
        }
    }

    #[test]
    fn only_descriptors_and_non_files_are_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(!write_through(&file), "a regular file is replaced");
        assert!(
            !write_through(&dir.path().join("new")),
            "a new file is created"
        );
        for p in ["/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/1"] {
            assert!(write_through(Path::new(p)), "{p}");
        }
        // A character device, checked without writing to it.
        assert!(write_through(Path::new("/dev/null")));
    }
}

#[cfg(all(test, unix))]
mod leaving_tests {
    use super::*;

    /// A path in the repository is refused when a symlink takes it out (or to nothing); a
    /// symlink that stays inside, and a path written outside on purpose, are not.
    #[test]
    fn refuses_only_writes_that_a_symlink_takes_out_of_the_repository() {
        let repo = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let (r, o) = (repo.path(), outside.path());
        let link = |from: &str, to: &Path| std::os::unix::fs::symlink(to, r.join(from)).unwrap();
        std::fs::create_dir(r.join("inside")).unwrap();
        link("out", o);
        link("in", &r.join("inside"));
        link("dangling", &o.join("missing"));
        link("file-out", &o.join("b.json"));
        std::fs::write(o.join("b.json"), "{}").unwrap();
        let relative = r
            .join("..")
            .join(o.strip_prefix(o.parent().unwrap()).unwrap());
        for (path, refused) in [
            (r.join(".budget/baseline.json"), None),
            (r.join("in/baseline.json"), None),
            (o.join("baseline.json"), None),
            (relative.join("baseline.json"), None),
            (r.join("out/baseline.json"), Some("outside the repository")),
            (
                r.join("out/new/deeper.json"),
                Some("outside the repository"),
            ),
            (r.join("file-out"), Some("outside the repository")),
            (r.join("dangling"), Some("which does not exist")),
            (r.join("in/../out/x.json"), Some("outside the repository")),
        ] {
            match (refuse_leaving(&path, r, "--output"), refused) {
                (Ok(()), None) => {}
                (Err(Error::Usage(m)), Some(why)) => assert!(
                    m.contains(&format!("`{}`", path.display()))
                        && m.contains(why)
                        && m.contains("--output"),
                    "{m}"
                ),
                (got, want) => panic!("{}: {got:?}, expected {want:?}", path.display()),
            }
        }
    }
}
