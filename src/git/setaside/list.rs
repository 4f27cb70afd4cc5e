//! The `FILES` list of a set-aside: for each path, what the work tree held before (`saved`) and
//! what was written in its place for the tests (`written`). Byte-exact (paths are raw bytes, so
//! a newline or a non-UTF-8 name survives) and parsed strictly: anything not understood is an
//! error at a byte offset, never a guess.
//!
//! Version 2, the only one read:
//!
//! ```text
//! list    = "cargo-budget set-aside list v2\n" *record "end\n"
//! record  = saved NUL written NUL path NUL
//! saved   = "file " 4 octal digits (permission bits) | "link" | "absent"
//! written = ("100644" | "100755" | "120000") " " sha256 | "040000"
//! ```
//!
//! `written` uses git's modes: a regular file, an executable one, a symlink (its target is
//! what was written) with the SHA-256 of the bytes written in lowercase hex; `040000` is a
//! directory created to hold a staged file. Paths are relative and `/`-separated, with no empty,
//! `.` or `..` component. `tr '\0' '\n' < FILES` shows a list to a person.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub const HEADER: &[u8] = b"cargo-budget set-aside list v2\n";
const END: &[u8] = b"end\n";

/// What the work tree held at a path before it was set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// A regular file with these permission bits; its bytes are in `tree/`.
    File { mode: u32 },
    /// A symbolic link; its target is in `tree/` as the file's content.
    Link,
    /// Nothing (an unstaged deletion).
    Absent,
}

/// What was put at a path for the tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// The staged file: executable or not, and the SHA-256 (hex) of its bytes.
    File { executable: bool, sha256: String },
    /// The staged symlink, with the SHA-256 (hex) of its target.
    Link { sha256: String },
    /// A directory created to hold a staged file; removed again when empty.
    Dir,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    pub saved: Saved,
    pub written: Written,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error("at byte {offset}: {problem}")]
    Invalid { offset: usize, problem: String },
    /// The line-based list of cargo-budget before version 2 (`kind<TAB>mode<TAB>path`).
    #[error("it is the line-based list of an older cargo-budget, which this version does not read")]
    OldFormat,
    #[error("the path `{}` cannot be written as bytes on this platform", .0.display())]
    Unencodable(PathBuf),
}

/// SHA-256 of `bytes` in lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    path.to_str().map(|s| s.replace('\\', "/").into_bytes())
}

#[cfg(unix)]
fn path_from(bytes: &[u8]) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
}

#[cfg(not(unix))]
fn path_from(bytes: &[u8]) -> Option<PathBuf> {
    std::str::from_utf8(bytes).ok().map(PathBuf::from)
}

pub fn encode(entries: &[Entry]) -> Result<Vec<u8>, ListError> {
    let mut out = HEADER.to_vec();
    for e in entries {
        let saved = match e.saved {
            Saved::File { mode } => format!("file {:04o}", mode & 0o7777),
            Saved::Link => "link".into(),
            Saved::Absent => "absent".into(),
        };
        let written = match &e.written {
            Written::File {
                executable: false,
                sha256,
            } => format!("100644 {sha256}"),
            Written::File {
                executable: true,
                sha256,
            } => format!("100755 {sha256}"),
            Written::Link { sha256 } => format!("120000 {sha256}"),
            Written::Dir => "040000".into(),
        };
        let path = path_bytes(&e.path)
            .filter(|p| valid_path(p).is_none())
            .ok_or_else(|| ListError::Unencodable(e.path.clone()))?;
        for field in [saved.as_bytes(), written.as_bytes(), &path] {
            out.extend_from_slice(field);
            out.push(0);
        }
    }
    out.extend_from_slice(END);
    Ok(out)
}

/// Why a path may not be in a list, if it may not.
fn valid_path(p: &[u8]) -> Option<&'static str> {
    if p.is_empty() {
        Some("an empty path")
    } else if p.starts_with(b"/") {
        Some("an absolute path")
    } else if p.contains(&0) {
        Some("a NUL byte in a path")
    } else if p.split(|&b| b == b'/').any(|c| c.is_empty()) {
        Some("an empty path component")
    } else if p.split(|&b| b == b'/').any(|c| c == b"." || c == b"..") {
        Some("a `.` or `..` path component")
    } else {
        None
    }
}

fn is_hex_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn parse_saved(field: &[u8]) -> Option<Saved> {
    match field {
        b"link" => Some(Saved::Link),
        b"absent" => Some(Saved::Absent),
        _ => {
            let digits = field.strip_prefix(b"file ")?;
            if digits.len() != 4 || !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
                return None;
            }
            let mode = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 8).ok()?;
            Some(Saved::File { mode })
        }
    }
}

fn parse_written(field: &[u8]) -> Option<Written> {
    if field == b"040000" {
        return Some(Written::Dir);
    }
    let text = std::str::from_utf8(field).ok()?;
    let (mode, hash) = text.split_once(' ')?;
    if !is_hex_sha256(hash) {
        return None;
    }
    let sha256 = hash.to_string();
    match mode {
        "100644" => Some(Written::File {
            executable: false,
            sha256,
        }),
        "100755" => Some(Written::File {
            executable: true,
            sha256,
        }),
        "120000" => Some(Written::Link { sha256 }),
        _ => None,
    }
}

/// Whether `bytes` look like the list of a cargo-budget before version 2.
fn is_old_format(bytes: &[u8]) -> bool {
    [&b"file\t"[..], b"link\t", b"absent\t"]
        .iter()
        .any(|kind| bytes.starts_with(kind))
}

pub fn decode(bytes: &[u8]) -> Result<Vec<Entry>, ListError> {
    let invalid = |offset: usize, problem: String| ListError::Invalid { offset, problem };
    let Some(mut rest) = bytes.strip_prefix(HEADER) else {
        if is_old_format(bytes) {
            return Err(ListError::OldFormat);
        }
        return Err(invalid(
            0,
            "not a set-aside list (its first line is not `cargo-budget set-aside list v2`)".into(),
        ));
    };
    let mut offset = HEADER.len();
    let mut entries = Vec::new();
    loop {
        if rest == END {
            return Ok(entries);
        }
        if rest.is_empty() {
            return Err(invalid(
                offset,
                "truncated: the list has no `end` line".into(),
            ));
        }
        if rest.starts_with(END) {
            return Err(invalid(
                offset + END.len(),
                "bytes after the `end` line".into(),
            ));
        }
        let mut fields = [&b""[..]; 3];
        let mut starts = [0usize; 3];
        for (i, field) in fields.iter_mut().enumerate() {
            starts[i] = offset;
            let Some(nul) = rest.iter().position(|&b| b == 0) else {
                return Err(invalid(offset, "truncated record".into()));
            };
            *field = &rest[..nul];
            rest = &rest[nul + 1..];
            offset += nul + 1;
        }
        let show = |b: &[u8]| String::from_utf8_lossy(b).escape_debug().to_string();
        let saved = parse_saved(fields[0]).ok_or_else(|| {
            invalid(
                starts[0],
                format!("unknown saved kind `{}`", show(fields[0])),
            )
        })?;
        let written = parse_written(fields[1]).ok_or_else(|| {
            invalid(
                starts[1],
                format!("unknown written kind `{}`", show(fields[1])),
            )
        })?;
        if let Some(problem) = valid_path(fields[2]) {
            return Err(invalid(starts[2], problem.into()));
        }
        let consistent = matches!(
            (&saved, &written),
            (Saved::Absent, Written::Dir) | (_, Written::File { .. } | Written::Link { .. })
        );
        if !consistent {
            return Err(invalid(
                starts[0],
                "a created directory must have been absent".into(),
            ));
        }
        let path = path_from(fields[2])
            .ok_or_else(|| invalid(starts[2], "a path this platform cannot name".into()))?;
        entries.push(Entry {
            path,
            saved,
            written,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(c: char) -> String {
        c.to_string().repeat(64)
    }

    fn sample() -> Vec<Entry> {
        vec![
            Entry {
                path: "src/lib.rs".into(),
                saved: Saved::File { mode: 0o644 },
                written: Written::File {
                    executable: false,
                    sha256: sha256(b"staged"),
                },
            },
            Entry {
                path: "bin/run".into(),
                saved: Saved::File { mode: 0o4755 },
                written: Written::File {
                    executable: true,
                    sha256: hash('a'),
                },
            },
            Entry {
                path: "link".into(),
                saved: Saved::Link,
                written: Written::Link { sha256: hash('b') },
            },
            Entry {
                path: "gone/deep".into(),
                saved: Saved::Absent,
                written: Written::Dir,
            },
            Entry {
                path: "gone/deep/x.rs".into(),
                saved: Saved::Absent,
                written: Written::File {
                    executable: false,
                    sha256: hash('c'),
                },
            },
        ]
    }

    #[test]
    fn round_trips_every_kind() {
        let entries = sample();
        assert_eq!(decode(&encode(&entries).unwrap()).unwrap(), entries);
        assert_eq!(decode(&encode(&[]).unwrap()).unwrap(), Vec::new());
    }

    #[cfg(unix)]
    #[test]
    fn round_trips_any_file_name_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        for name in [
            &b"new\nline.rs"[..],
            b"tab\there",
            b"caf\xe9.rs",
            b"\xff\xfe",
            b"trailing space ",
            b"end\n",
            b"file 0644",
        ] {
            let path = PathBuf::from(std::ffi::OsStr::from_bytes(name));
            let entries = vec![Entry {
                path: path.clone(),
                saved: Saved::Link,
                written: Written::Link { sha256: hash('d') },
            }];
            let decoded = decode(&encode(&entries).unwrap()).unwrap();
            assert_eq!(decoded[0].path.as_os_str().as_bytes(), name);
        }
    }

    #[test]
    fn the_digest_is_sha256_hex() {
        assert_eq!(
            sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn rejects_what_it_does_not_understand_at_its_offset() {
        let h = HEADER.len();
        let ok = format!("file 0644\x00100644 {}\0a.rs\0", hash('e'));
        let cases: Vec<(String, usize, &str)> = vec![
            (String::new(), 0, "not a set-aside list"),
            ("garbage\n".into(), 0, "not a set-aside list"),
            (
                "cargo-budget set-aside list v3\nend\n".into(),
                0,
                "not a set-aside list",
            ),
            ("@".into(), h, "no `end` line"),
            ("@file 0644\0".into(), h + 10, "truncated record"),
            ("@file 0644\x00100644 ab".into(), h + 10, "truncated record"),
            (format!("@{ok}"), h + ok.len(), "no `end` line"),
            (
                format!("@{ok}end\nmore"),
                h + ok.len() + 4,
                "after the `end` line",
            ),
            (format!("@{ok}end"), h + ok.len(), "truncated record"),
            (
                format!("@fifo 0644\x00100644 {}\0a.rs\0end\n", hash('e')),
                h,
                "unknown saved kind `fifo 0644`",
            ),
            (
                format!("@file 644\x00100644 {}\0a.rs\0end\n", hash('e')),
                h,
                "unknown saved kind",
            ),
            (
                format!("@file 0944\x00100644 {}\0a.rs\0end\n", hash('e')),
                h,
                "unknown saved kind",
            ),
            (
                format!("@file 0644\x00100600 {}\0a.rs\0end\n", hash('e')),
                h + 10,
                "unknown written kind `100600",
            ),
            (
                format!("@file 0644\x00100644 {}\0a.rs\0end\n", hash('E')),
                h + 10,
                "unknown written kind",
            ),
            (
                "@file 0644\x00100644 abc\0a.rs\0end\n".into(),
                h + 10,
                "unknown written kind",
            ),
            (
                format!("@absent\x00100644 {}\0\0end\n", hash('e')),
                h + 79,
                "an empty path",
            ),
            (
                format!("@absent\x00100644 {}\0/etc/x\0end\n", hash('e')),
                h + 79,
                "an absolute path",
            ),
            (
                format!("@absent\x00100644 {}\0a/../../x\0end\n", hash('e')),
                h + 79,
                "`..`",
            ),
            (
                format!("@absent\x00100644 {}\0a//x\0end\n", hash('e')),
                h + 79,
                "an empty path component",
            ),
            (
                format!("@absent\x00100644 {}\0a/\0end\n", hash('e')),
                h + 79,
                "an empty path component",
            ),
            (
                "@link\x00040000\0d\0end\n".into(),
                h,
                "must have been absent",
            ),
        ];
        for (body, offset, problem) in cases {
            let bytes = body.replacen('@', std::str::from_utf8(HEADER).unwrap(), 1);
            match decode(bytes.as_bytes()) {
                Err(ListError::Invalid {
                    offset: at,
                    problem: why,
                }) => {
                    assert_eq!(at, offset, "{body:?}: {why}");
                    assert!(why.contains(problem), "{body:?}: {why}");
                }
                other => panic!("{body:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn recognises_the_old_line_based_list() {
        for old in ["file\t644\tsrc/lib.rs\n", "absent\t-\tx\n", "link\t-\tl\n"] {
            assert_eq!(decode(old.as_bytes()), Err(ListError::OldFormat), "{old}");
        }
    }
}
