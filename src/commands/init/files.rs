//! What `init` and `alerts` share around a plan: reading the files it is planned over (a file
//! that cannot be read is an error, not an absent file) and showing a dry run.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::exit;
use crate::scaffold::Plan;
use crate::ui::Ui;

/// Reads files relative to the workspace root, remembering the first one that exists but
/// cannot be read.
pub(crate) struct Files {
    root: PathBuf,
    unreadable: RefCell<Option<(PathBuf, std::io::Error)>>,
}

impl Files {
    pub(crate) fn new(root: &Path) -> Self {
        Files {
            root: root.to_path_buf(),
            unreadable: RefCell::new(None),
        }
    }

    /// The file's text; `None` when it is absent (or unreadable: see [`Files::checked`]).
    pub(crate) fn read(&self, rel: &Path) -> Option<String> {
        match std::fs::read_to_string(self.root.join(rel)) {
            Ok(text) => Some(text),
            Err(e) if super::absent(&e) => None,
            Err(e) => {
                self.unreadable
                    .borrow_mut()
                    .get_or_insert((self.root.join(rel), e));
                None
            }
        }
    }

    /// An error for the first file that could not be read: a plan made over it is not valid.
    pub(crate) fn checked(&self) -> Result<(), Error> {
        match self.unreadable.borrow_mut().take() {
            Some((path, source)) => Err(Error::Io {
                what: format!("failed to read `{}`", path.display()),
                source,
            }),
            None => Ok(()),
        }
    }
}

/// `--dry-run`: the diff of every change and the notes; nothing is written.
pub(crate) fn dry_run(plan: &Plan, ui: &Ui) -> Result<i32, Error> {
    super::print_diffs(&plan.changes, ui)?;
    for note in &plan.notes {
        ui.note("Note", note);
    }
    ui.note(
        "Dry run",
        &format!(
            "{} would be written; nothing was",
            crate::text::count(plan.changes.len(), "file")
        ),
    );
    Ok(exit::SUCCESS)
}
