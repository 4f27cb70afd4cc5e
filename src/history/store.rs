//! The history in git notes (`refs/notes/cargo-budget`), through git2: a run is appended to
//! the note of the commit it measured; reading walks HEAD's ancestry and gathers the notes.

use std::collections::HashMap;
use std::path::Path;

use git2::{Oid, Repository, Signature, Sort};

use super::record::HistoryRecord;

/// Where the history lives: push it with `git push origin refs/notes/cargo-budget`.
pub const NOTES_REF: &str = "refs/notes/cargo-budget";

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("the history is kept in git notes, and {} is not in a git repository", dir.display())]
    NotARepository { dir: std::path::PathBuf },
    #[error("there is no commit to record against (HEAD is unborn): commit first")]
    NoCommit,
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

/// The runs recorded on one commit.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub commit: String,
    /// The commit's time (seconds since the epoch) and summary line.
    pub time: i64,
    pub summary: String,
    pub records: Vec<HistoryRecord>,
}

fn open(dir: &Path) -> Result<Repository, HistoryError> {
    Repository::discover(dir).map_err(|_| HistoryError::NotARepository {
        dir: dir.to_path_buf(),
    })
}

/// HEAD's commit and whether the working tree differs from it (untracked files aside).
pub fn head(dir: &Path) -> Result<(String, bool), HistoryError> {
    let repo = open(dir)?;
    let commit = repo
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .ok_or(HistoryError::NoCommit)?;
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(false).include_ignored(false);
    let dirty = repo
        .statuses(Some(&mut opts))
        .map(|s| !s.is_empty())
        .unwrap_or(false);
    Ok((commit.id().to_string(), dirty))
}

/// Appends `record` to the note of `commit` (the runs already there are kept).
pub fn append(dir: &Path, commit: &str, record: &HistoryRecord) -> Result<(), HistoryError> {
    let repo = open(dir)?;
    let oid = Oid::from_str(commit)?;
    let mut text = match repo.find_note(Some(NOTES_REF), oid) {
        Ok(note) => String::from_utf8_lossy(note.message_bytes()).into_owned(),
        Err(e) if e.code() == git2::ErrorCode::NotFound => String::new(),
        Err(e) => return Err(e.into()),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&record.to_line());
    text.push('\n');
    let sig = repo
        .signature()
        .or_else(|_| Signature::now("cargo-budget", "cargo-budget@localhost"))?;
    repo.note(&sig, &sig, Some(NOTES_REF), oid, &text, true)?;
    Ok(())
}

/// The runs recorded on HEAD and its ancestors, newest commit first, at most `commits`
/// commits that have runs; with the problems found (a note that is not a record, named by
/// its commit and line), which are skipped, never fatal.
pub fn read(dir: &Path, commits: usize) -> Result<(Vec<Recorded>, Vec<String>), HistoryError> {
    let repo = open(dir)?;
    let mut notes: HashMap<Oid, Oid> = match repo.notes(Some(NOTES_REF)) {
        Ok(iter) => iter
            .filter_map(Result::ok)
            .map(|(blob, annotated)| (annotated, blob))
            .collect(),
        Err(e) if e.code() == git2::ErrorCode::NotFound => HashMap::new(),
        Err(e) => return Err(e.into()),
    };
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    if notes.is_empty() || repo.head().is_err() {
        return Ok((out, problems));
    }
    let mut walk = repo.revwalk()?;
    walk.push_head()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    for oid in walk {
        if out.len() >= commits || notes.is_empty() {
            break;
        }
        let oid = oid?;
        let Some(blob) = notes.remove(&oid) else {
            continue;
        };
        let commit = repo.find_commit(oid)?;
        let short = &oid.to_string()[..10];
        let text = repo.find_blob(blob)?.content().to_vec();
        let Ok(text) = String::from_utf8(text) else {
            problems.push(format!("the note on commit {short} is not text: skipped"));
            continue;
        };
        let mut records = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            match HistoryRecord::from_line(line) {
                Ok(r) => records.push(r),
                Err(e) => problems.push(format!(
                    "the note on commit {short}, line {}: {e}: skipped",
                    i + 1
                )),
            }
        }
        if !records.is_empty() {
            out.push(Recorded {
                commit: oid.to_string(),
                time: commit.time().seconds(),
                summary: commit
                    .summary_bytes()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default(),
                records,
            });
        }
    }
    Ok((out, problems))
}
