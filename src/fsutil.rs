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
//!
//! Reads of input files (baselines, JUnit, criterion's results) are bounded: only a regular file
//! (a symlink followed) no larger than a cap is read, so `sample.json -> /dev/zero` or a FIFO is
//! refused at once instead of read until the kernel kills the process.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A write that failed: what was being done, and the cause. It becomes the crate's
/// `Error::Io` (exit 1), or `Error::Usage` (exit 2) for a write refused as given; its own type,
/// so that this module, which every reader and writer uses, depends on none of them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A write refused before it started (a path a symlink takes out of the repository).
    #[error("{0}")]
    Usage(String),
}

/// The largest input file read: 256 MiB. Far above any real one (a criterion result file is a
/// few KB; a bench baseline of 1,000 benchmarks recorded with `--runs 20` about 60 MB; the
/// JUnit of 100,000 tests tens of MB), far below what takes a CI machine down.
pub const READ_CAP: u64 = 256 * 1024 * 1024;

/// Why an input file was not read: not a regular file, or over the cap. Carried inside the
/// `std::io::Error` a read returns (so every reader's error type stays as it is); the exit code
/// of a refusal is 2, bad input, never 1 (see [`refusal`]).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("it is {0}, not a regular file: refused")]
    NotRegular(&'static str),
    #[error("it is larger than {}, the most cargo-budget reads: refused", bytesize::ByteSize::b(*.cap))]
    TooLarge { cap: u64 },
}

/// The refusal inside an error from [`read_bounded`], if it is one.
pub fn refusal(error: &std::io::Error) -> Option<&Refused> {
    error.get_ref()?.downcast_ref::<Refused>()
}

fn refuse(why: Refused) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, why)
}

/// Reads the text file at `path` (UTF-8), following a symlink, if it is a regular file of at
/// most `cap` bytes; a device, FIFO or socket, or a larger file, is refused without being read.
/// What the path names is checked before it is opened (opening some devices acts: a tape
/// rewinds, a terminal becomes the controlling one), then opened without blocking (a FIFO with
/// no writer would wait forever) and checked again through the open descriptor, so it cannot
/// be swapped between the check and the read; at
/// most `cap + 1` bytes are read, so a file that grows meanwhile is refused too. A directory
/// fails as reading one does (an I/O error, not a refusal).
pub fn read_bounded(path: &Path, cap: u64) -> std::io::Result<String> {
    let bytes = read_bounded_bytes(path, cap)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// [`read_bounded`] without the UTF-8 check, for a reader that names the first bad byte.
pub fn read_bounded_bytes(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    if let Some(kind) = not_regular(&std::fs::metadata(path)?.file_type()) {
        return Err(refuse(Refused::NotRegular(kind)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits());
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = not_regular(&meta.file_type()) {
        return Err(refuse(Refused::NotRegular(kind)));
    }
    if meta.is_file() && meta.len() > cap {
        return Err(refuse(Refused::TooLarge { cap }));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(refuse(Refused::TooLarge { cap }));
    }
    Ok(bytes)
}

/// What a file that is neither a regular file nor a directory is, for the refusal.
fn not_regular(kind: &std::fs::FileType) -> Option<&'static str> {
    if kind.is_file() || kind.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

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
    // Inside when one of its directories is the repository, however either is spelled (the
    // workspace reached through a symlink, git naming the real path).
    let real = std::fs::canonicalize(repo).ok();
    let inside = written.starts_with(lexical(repo))
        || real.is_some_and(|r| {
            written
                .ancestors()
                .any(|a| std::fs::canonicalize(a).is_ok_and(|c| c == r))
        });
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
mod read_bounded_tests {
    use super::*;

    /// What reading `path` with a cap of 8 bytes gave: the text, the refusal, or the error kind.
    fn read(path: &Path) -> String {
        match read_bounded(path, 8) {
            Ok(text) => format!("ok {text}"),
            Err(e) => match refusal(&e) {
                Some(why) => format!("refused: {why}"),
                None => format!("error {:?}", e.kind()),
            },
        }
    }

    /// Only a regular file within the cap is read, a symlink followed; devices, FIFOs (with no
    /// writer: the read must not wait for one) and larger files are refused unread; a directory
    /// or a missing file fails as reading one always did.
    #[test]
    fn only_regular_files_within_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = |name: &str| dir.path().join(name);
        std::fs::write(p("small"), "12345678").unwrap();
        std::fs::write(p("large"), "123456789").unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(p("fifo"))
            .status()
            .unwrap();
        assert!(status.success());
        std::os::unix::fs::symlink("/dev/zero", p("zero")).unwrap();
        std::os::unix::fs::symlink(p("small"), p("link")).unwrap();
        std::fs::create_dir(p("dir")).unwrap();
        std::fs::write(p("latin1"), b"caf\xe9").unwrap();
        let cases = [
            ("small", "ok 12345678"),
            ("link", "ok 12345678"),
            (
                "large",
                "refused: it is larger than 8 B, the most cargo-budget reads: refused",
            ),
            (
                "zero",
                "refused: it is a character device, not a regular file: refused",
            ),
            ("fifo", "refused: it is a FIFO, not a regular file: refused"),
            ("dir", "error IsADirectory"),
            ("missing", "error NotFound"),
            ("latin1", "error InvalidData"),
        ];
        for (name, want) in cases {
            assert_eq!(read(&p(name)), want, "{name}");
        }
        assert_eq!(
            read(Path::new("/dev/null")),
            "refused: it is a character device, not a regular file: refused"
        );
    }
}

#[cfg(test)]
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
        std::os::unix::fs::symlink(r, o.join("repo-link")).unwrap();
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
            // The repository named through a symlink to it: still checked.
            (
                o.join("repo-link/out/baseline.json"),
                Some("outside the repository"),
            ),
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
