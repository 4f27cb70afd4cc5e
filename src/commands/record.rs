//! `--record`: a judged run appended to the history in git notes, against HEAD.

use std::path::Path;

use crate::error::Error;
use crate::history::{HistoryRecord, NOTES_REF, store};
use crate::ui::Ui;

/// Now, to the second (RFC 3339).
pub fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| String::new(), |t| t.to_string())
}

/// The directory whose repository the run will be recorded in, once it is known to have a
/// commit to record against.
pub fn ready(settings: &crate::settings::Settings) -> Result<std::path::PathBuf, Error> {
    let dir = repository_dir(settings);
    store::head(&dir)?;
    Ok(dir)
}

/// Appends `record` to the note of HEAD of the repository holding `dir`.
pub fn record(ui: &Ui, dir: &Path, mut record: HistoryRecord) -> Result<(), Error> {
    let (commit, dirty) = store::head(dir)?;
    record.dirty = dirty;
    store::append(dir, &commit, &record)?;
    ui.note(
        "Recorded",
        &format!(
            "this run on {} in {NOTES_REF}{} (share it: git push origin {NOTES_REF})",
            &commit[..10.min(commit.len())],
            match dirty {
                true => ", marked dirty: the working tree has changes the commit does not",
                false => "",
            }
        ),
    );
    Ok(())
}

/// Records `record` after a verdict that exits with `exit_code`: the verdict's code wins. A
/// failing verdict whose record fails keeps its code (the record's failure is a warning); a
/// passing one exits with the record's error, so a lost run is never silent.
pub fn record_after(
    ui: &Ui,
    dir: &Path,
    history: HistoryRecord,
    exit_code: i32,
) -> Result<i32, Error> {
    match record(ui, dir, history) {
        Ok(()) => Ok(exit_code),
        Err(e) if exit_code != crate::exit::SUCCESS => {
            ui.warn(&format!("this run was not recorded: {}", causes(&e)));
            Ok(exit_code)
        }
        Err(e) => Err(e),
    }
}

/// An error with its causes, on one line.
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

/// The directory whose repository holds the history: the manifest's, else the current one.
pub fn repository_dir(settings: &crate::settings::Settings) -> std::path::PathBuf {
    settings
        .manifest_path
        .as_deref()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(&settings.cwd)
        .to_path_buf()
}
