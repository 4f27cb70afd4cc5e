//! Writing init's changes as one transaction: all of them, or none.

use crate::error::Error;
use crate::fsutil;
use crate::nextest::{self, Exit, NextestError, Selection};
use crate::scaffold::{Change, Part};
use crate::settings::Settings;
use crate::ui::Ui;
use crate::workspace::Workspace;

/// Writes every change atomically, the nextest config last; if a write fails or nextest rejects
/// the generated config, every file is put back as it was (created files removed), so a failed
/// init leaves the repository as it found it.
pub(crate) fn apply(
    ws: &Workspace,
    settings: &Settings,
    changes: &[Change],
    ui: &Ui,
) -> Result<(), Error> {
    let mut ordered: Vec<&Change> = changes.iter().filter(|c| c.part != Part::Nextest).collect();
    ordered.extend(changes.iter().filter(|c| c.part == Part::Nextest));
    let mut done: Vec<&Change> = Vec::new();
    let mut result = Ok(());
    for c in ordered {
        if let Err(e) = write_change(ws, c) {
            result = Err(e);
            break;
        }
        done.push(c);
        let verb = if c.before.is_some() {
            "Updated"
        } else {
            "Created"
        };
        ui.note(verb, &c.path.display().to_string());
    }
    if result.is_ok()
        && let Some(c) = done.iter().find(|c| c.part == Part::Nextest)
    {
        result = verify_nextest(ws, settings, c, ui);
    }
    if result.is_err() {
        for c in done.iter().rev() {
            let path = ws.root.join(&c.path);
            let undone = match &c.before {
                Some(before) => fsutil::write_atomic(&path, before.as_bytes()).map_err(Error::from),
                None => std::fs::remove_file(&path).map_err(|source| Error::Io {
                    what: format!("failed to remove `{}`", path.display()),
                    source,
                }),
            };
            match undone {
                Ok(()) => ui.note("Rolled back", &c.path.display().to_string()),
                Err(e) => ui.error(&e),
            }
        }
        for c in done.iter().filter(|c| c.before.is_none()) {
            // Directories init created for its files, when they are empty again.
            let mut dir = ws.root.join(&c.path);
            while dir.pop() && dir != ws.root && std::fs::remove_dir(&dir).is_ok() {}
        }
    }
    result
}

fn write_change(ws: &Workspace, c: &Change) -> Result<(), Error> {
    let path = ws.root.join(&c.path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("failed to create `{}`", dir.display()),
            source,
        })?;
    }
    Ok(fsutil::write_atomic(&path, c.after.as_bytes())?)
}

fn verify_nextest(
    ws: &Workspace,
    settings: &Settings,
    change: &Change,
    ui: &Ui,
) -> Result<(), Error> {
    let selection = Selection {
        manifest_path: settings.manifest_path.clone(),
        ..Selection::default()
    };
    let list =
        nextest::command::list_invocation(&ws.root, &selection, &["--cargo-quiet".to_string()]);
    ui.note(
        "Verifying",
        &format!("{} with `{}`", change.path.display(), list.display()),
    );
    match nextest::command::list(&list) {
        Ok(_) => Ok(()),
        Err(NextestError::Failed {
            exit: Exit::SetupError,
            ..
        }) => Err(Error::Usage(format!(
            "nextest rejected the generated {} (see its error above); every file was restored",
            change.path.display()
        ))),
        Err(NextestError::Missing { detail }) => {
            ui.warn(&format!(
                "could not verify {} with nextest: {detail}",
                change.path.display()
            ));
            Ok(())
        }
        Err(e) => {
            ui.warn(&format!("could not verify {}: {e}", change.path.display()));
            Ok(())
        }
    }
}
