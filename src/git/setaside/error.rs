//! What can go wrong setting changes aside or putting them back, each message saying what became
//! of the user's changes and how to get them back.

use std::path::{Path, PathBuf};

use super::list::ListError;

#[derive(Debug, thiserror::Error)]
pub enum SetAsideError {
    #[error("failed to {what} `{}`{hint}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        /// What became of the user's changes, and how to get them back.
        hint: String,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to read the list of saved files `{}`{}", list.display(), manual_hint(backup, workdir, matches!(source, ListError::OldFormat)))]
    List {
        list: PathBuf,
        backup: PathBuf,
        workdir: PathBuf,
        #[source]
        source: ListError,
    },
}

/// Where the saved copies are and how to put them back.
pub(super) fn restore_hint(backup: &Path) -> String {
    let dir = backup.display();
    format!(
        "; your unstaged changes are saved in `{dir}` (put them back with: cargo budget hook-run --restore '{dir}')"
    )
}

/// How to put copies back by hand when their list cannot be read.
pub(super) fn manual_hint(backup: &Path, workdir: &Path, old: bool) -> String {
    let dir = backup.display();
    let format = if old {
        "each line of FILES reads `kind<TAB>mode<TAB>path`: `file` and `link` entries have their copy in tree/, `absent` ones were deleted"
    } else {
        "FILES lists each path (`tr '\\0' '\\n' < FILES` shows it)"
    };
    format!(
        "; nothing was changed, and your unstaged changes stay saved in `{dir}`.\n  put them back by hand: {format}; `cp -a '{dir}/tree/.' '{}/'` copies every saved file over the work tree (check `git diff` first: it overwrites), then delete `{dir}`",
        workdir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_names_the_backup_to_restore() {
        let e = SetAsideError::Io {
            what: "restore",
            path: PathBuf::from("/repo/src/lib.rs"),
            hint: restore_hint(Path::new("/repo/.git/cargo-budget/unstaged-1")),
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(
            e.to_string(),
            "failed to restore `/repo/src/lib.rs`; your unstaged changes are saved in `/repo/.git/cargo-budget/unstaged-1` (put them back with: cargo budget hook-run --restore '/repo/.git/cargo-budget/unstaged-1')"
        );
    }

    #[test]
    fn a_list_error_says_how_to_recover_by_hand() {
        let e = SetAsideError::List {
            list: PathBuf::from("/r/.git/cargo-budget/unstaged-1/FILES"),
            backup: PathBuf::from("/r/.git/cargo-budget/unstaged-1"),
            workdir: PathBuf::from("/r"),
            source: ListError::OldFormat,
        };
        let text = e.to_string();
        assert!(
            text.starts_with(
                "failed to read the list of saved files `/r/.git/cargo-budget/unstaged-1/FILES`; nothing was changed"
            ),
            "{text}"
        );
        assert!(text.contains("kind<TAB>mode<TAB>path"), "{text}");
        assert!(
            text.contains("cp -a '/r/.git/cargo-budget/unstaged-1/tree/.' '/r/'"),
            "{text}"
        );
    }
}
