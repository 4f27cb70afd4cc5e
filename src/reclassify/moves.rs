//! Moving a test's module from one tier directory to another: `git mv` of its file (or
//! directory), its `mod` line taken out of the source tier's `main.rs` and added to the target
//! tier's (created if missing). A session's moves are all-or-nothing: the index and every touched
//! file are snapshotted first and put back byte for byte if anything fails.

use std::path::{Path, PathBuf};

use crate::model::TestId;

/// One planned move of a top-level test module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovePlan {
    /// The module (first component of the test names), e.g. `slow`.
    pub module: String,
    pub from_main: PathBuf,
    pub to_main: PathBuf,
    /// `(from, to)` for `git mv`: the module's file and/or directory.
    pub paths: Vec<(PathBuf, PathBuf)>,
    /// The target tier's `main.rs` does not exist yet.
    pub creates_target: bool,
    /// Other tests in the module, moving along.
    pub along: Vec<TestId>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MoveError(pub String);

/// Whether `line` is `mod <module>;` (any visibility, a trailing `//` comment allowed).
fn is_mod_line(line: &str, module: &str) -> bool {
    let code = line.split("//").next().unwrap_or("").trim();
    let code = code
        .strip_prefix("pub(crate) ")
        .or_else(|| code.strip_prefix("pub(super) "))
        .or_else(|| code.strip_prefix("pub "))
        .unwrap_or(code);
    code == format!("mod {module};")
}

fn declares(main: &str, module: &str) -> bool {
    main.lines().any(|l| is_mod_line(l, module))
}

/// Whether the `mod` line has attributes or doc comments above it (which would be left behind
/// on the next item if the line moved alone).
fn decorated(main: &str, module: &str) -> bool {
    let lines: Vec<&str> = main.lines().collect();
    lines.iter().enumerate().any(|(i, l)| {
        is_mod_line(l, module) && i > 0 && {
            let above = lines[i - 1].trim();
            above.starts_with("#[") || above.starts_with("///") || above.ends_with(']')
        }
    })
}

/// Plans moving the module of `id` (whose test target's root is `from_main`) to the tier
/// directory `to_dir`; `others` are the other tests of the same binary.
pub fn plan(
    id: &TestId,
    from_main: &Path,
    to_dir: &Path,
    others: &[TestId],
) -> Result<MovePlan, MoveError> {
    let Some((module, _)) = id.name.split_once("::") else {
        return Err(MoveError(format!(
            "`{id}` is defined in {} itself, not in a module file: only a module can move",
            from_main.display()
        )));
    };
    let from_dir = from_main.parent().unwrap_or(Path::new("."));
    let main_text = std::fs::read_to_string(from_main)
        .map_err(|e| MoveError(format!("cannot read {}: {e}", from_main.display())))?;
    if !declares(&main_text, module) {
        return Err(MoveError(format!(
            "{} does not declare `mod {module};` on a line of its own",
            from_main.display()
        )));
    }
    if decorated(&main_text, module) {
        return Err(MoveError(format!(
            "`mod {module};` in {} has attributes or docs above it; move it by hand",
            from_main.display()
        )));
    }
    let mut paths = Vec::new();
    let file = from_dir.join(format!("{module}.rs"));
    let dir = from_dir.join(module);
    if file.is_file() {
        paths.push((file, to_dir.join(format!("{module}.rs"))));
    }
    if dir.is_dir() {
        paths.push((dir, to_dir.join(module)));
    }
    if paths.is_empty() {
        return Err(MoveError(format!(
            "no file for module `{module}` next to {}",
            from_main.display()
        )));
    }
    let to_main = to_dir.join("main.rs");
    let target_text = std::fs::read_to_string(&to_main).ok();
    if let Some(text) = &target_text
        && declares(text, module)
    {
        return Err(MoveError(format!(
            "{} already has a module `{module}`",
            to_main.display()
        )));
    }
    if let Some((_, to)) = paths.iter().find(|(_, to)| to.exists()) {
        return Err(MoveError(format!("{} already exists", to.display())));
    }
    let along = others
        .iter()
        .filter(|t| {
            t.binary_id == id.binary_id && t.name.starts_with(&format!("{module}::")) && *t != id
        })
        .cloned()
        .collect();
    Ok(MovePlan {
        module: module.to_string(),
        from_main: from_main.to_path_buf(),
        to_main,
        paths,
        creates_target: target_text.is_none(),
        along,
    })
}

/// `main.rs` without the module's `mod` line.
pub fn without_mod(main: &str, module: &str) -> String {
    let mut out: String = main
        .split_inclusive('\n')
        .filter(|l| !is_mod_line(l, module))
        .collect();
    if main.ends_with('\n') && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `main.rs` with a `mod` line for the module added after the last `mod` line (or at the end).
pub fn with_mod(main: &str, module: &str) -> String {
    let line = format!("mod {module};\n");
    let mut lines: Vec<&str> = main.split_inclusive('\n').collect();
    let last_mod = lines.iter().rposition(|l| {
        l.trim_start().starts_with("mod ") || l.trim_start().starts_with("pub mod ")
    });
    match last_mod {
        Some(i) => {
            if !lines[i].ends_with('\n') {
                // The last line had no newline: give it one before ours.
                let mut out: String = lines[..=i].concat();
                out.push('\n');
                out.push_str(&line);
                out.push_str(&lines[i + 1..].concat());
                return out;
            }
            lines.insert(i + 1, &line);
            lines.concat()
        }
        None => {
            let mut out = main.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&line);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod_lines_move() {
        let main = "//! Unit tier.\n\nmod fast;\nmod slow;\n\nfn helper() {}\n";
        assert_eq!(
            without_mod(main, "slow"),
            "//! Unit tier.\n\nmod fast;\n\nfn helper() {}\n"
        );
        assert_eq!(
            with_mod("//! Integration.\n\nmod api;\n", "slow"),
            "//! Integration.\n\nmod api;\nmod slow;\n"
        );
        assert_eq!(
            with_mod("//! Integration.\n", "slow"),
            "//! Integration.\n\nmod slow;\n"
        );
        assert!(declares(main, "slow") && !declares(main, "slo"));
        assert!(declares("pub(crate) mod slow; // heavy\n", "slow"));
        assert!(decorated("#[cfg(unix)]\nmod slow;\n", "slow"));
        assert!(!decorated("mod fast;\nmod slow;\n", "slow"));
    }
}
