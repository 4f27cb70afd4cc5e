//! The history in git notes (`refs/notes/cargo-budget`), through git2: a run is appended to
//! the note of the commit it measured; reading walks HEAD's ancestry and gathers the notes.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

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
    #[error(
        "other processes kept changing or locking `{NOTES_REF}`: gave up after {tries} tries (a stale `.lock` file beside the ref?)"
    )]
    Busy { tries: u32, source: git2::Error },
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

/// How many times an append is tried when another process moves or locks the notes ref.
pub const APPEND_TRIES: u32 = 10;

/// Appends `record` to the note of `commit` (the runs already there are kept).
///
/// A compare-and-swap on the notes ref: the note is read from the ref's current notes
/// commit, the new notes commit is built on top of it, and the ref is moved only if it still
/// points where it did. Another `--record` (or `git notes`) that moved or locked the ref in
/// between makes this try again, after a jittered pause, up to [`APPEND_TRIES`] times: no
/// run is lost and none fails for having had company.
pub fn append(dir: &Path, commit: &str, record: &HistoryRecord) -> Result<(), HistoryError> {
    let repo = open(dir)?;
    let oid = Oid::from_str(commit)?;
    let sig = repo
        .signature()
        .or_else(|_| Signature::now("cargo-budget", "cargo-budget@localhost"))?;
    let mut pause = Duration::from_millis(5);
    for _ in 1..APPEND_TRIES {
        match try_append(&repo, oid, record, &sig) {
            Err(e) if contended(&e) => {
                // Jitter: processes that collided do not collide again in step.
                std::thread::sleep(pause.mul_f64(0.5 + fastrand::f64()));
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            done => return done.map_err(HistoryError::from),
        }
    }
    try_append(&repo, oid, record, &sig).map_err(|e| match contended(&e) {
        true => HistoryError::Busy {
            tries: APPEND_TRIES,
            source: e,
        },
        false => e.into(),
    })
}

/// The ref moved, appeared or was locked by another writer since it was read.
fn contended(e: &git2::Error) -> bool {
    use git2::ErrorCode::{Exists, Locked, Modified};
    matches!(e.code(), Modified | Locked | Exists)
}

/// One read-build-swap of the notes ref.
fn try_append(
    repo: &Repository,
    oid: Oid,
    record: &HistoryRecord,
    sig: &Signature<'_>,
) -> Result<(), git2::Error> {
    let parent = match repo.find_reference(NOTES_REF) {
        Ok(r) => Some(r.peel_to_commit()?),
        Err(e) if e.code() == git2::ErrorCode::NotFound => None,
        Err(e) => return Err(e),
    };
    let base = match &parent {
        Some(c) => c.tree()?,
        None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
    };
    let hex = oid.to_string();
    let (path, old) = match note_in(repo, &base, &hex)? {
        Some((path, blob)) => (path, repo.find_blob(blob)?.content().to_vec()),
        None => (hex, Vec::new()),
    };
    let mut text = old;
    if !text.is_empty() && !text.ends_with(b"\n") {
        text.push(b'\n');
    }
    text.extend_from_slice(record.to_line().as_bytes());
    text.push(b'\n');
    let blob = repo.blob(&text)?;
    let tree = git2::build::TreeUpdateBuilder::new()
        .upsert(path.as_str(), blob, git2::FileMode::Blob)
        .create_updated(repo, &base)?;
    let tree = repo.find_tree(tree)?;
    let message = "Notes added by 'cargo budget --record'";
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let new = repo.commit(None, sig, sig, message, &tree, &parents)?;
    // The expected old value is checked under the ref's lock; the zero id means "must not
    // exist yet". (`reference(.., force = false)` checks existence before taking the lock,
    // so two writers creating the ref at once could both succeed and one run be lost.)
    let expected = parent.as_ref().map_or(Oid::ZERO_SHA1, git2::Commit::id);
    repo.reference_matching(NOTES_REF, new, true, expected, message)?;
    Ok(())
}

/// Where the note on the commit `hex` is in a notes tree: flat (`<hex>`) or under git's
/// fan-out directories (`ab/cdef…`, `ab/cd/ef…`), with its blob.
fn note_in(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    hex: &str,
) -> Result<Option<(String, Oid)>, git2::Error> {
    let (mut tree, mut prefix, mut rest) = (tree.clone(), String::new(), hex);
    loop {
        if let Some(entry) = tree.get_name(rest)
            && entry.kind() == Some(git2::ObjectType::Blob)
        {
            return Ok(Some((format!("{prefix}{rest}"), entry.id())));
        }
        let Some(fan) = rest.get(..2).filter(|_| rest.len() > 2) else {
            return Ok(None);
        };
        let Some(sub) = tree
            .get_name(fan)
            .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
            .map(|e| e.id())
        else {
            return Ok(None);
        };
        let sub = repo.find_tree(sub)?;
        prefix.push_str(fan);
        prefix.push('/');
        rest = &rest[2..];
        tree = sub;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(context: &str) -> HistoryRecord {
        let line = format!(
            r#"{{"schema":1,"kind":"tests","timestamp":"2026-01-01T00:00:00Z","context":"{context}"}}"#
        );
        HistoryRecord::from_line(&line).unwrap()
    }

    /// A fresh repository whose HEAD is one commit of an empty tree, and that commit.
    fn one_commit() -> (tempfile::TempDir, Repository, Oid) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let sig = Signature::now("t", "t@example.invalid").unwrap();
        let empty = repo.treebuilder(None).unwrap().write().unwrap();
        let head = {
            let empty = repo.find_tree(empty).unwrap();
            repo.commit(Some("HEAD"), &sig, &sig, "base", &empty, &[])
                .unwrap()
        };
        (dir, repo, head)
    }

    /// Writers that all find no notes ref yet and create it at once: the ref's creation is
    /// a compare-and-swap too (libgit2 checks "does not exist" outside the ref's lock unless
    /// the expected old value is the zero id), so every run is kept. Before the fix one run
    /// in 30 rounds was lost in about one run of this test in five.
    ///
    /// budget: integration
    #[test]
    fn writers_creating_the_notes_ref_at_once_all_keep_their_runs() {
        const WRITERS: usize = 6;
        for round in 0..60 {
            let (dir, repo, commit) = one_commit();
            let head = commit.to_string();
            let start = std::sync::Barrier::new(WRITERS);
            std::thread::scope(|scope| {
                for w in 0..WRITERS {
                    let (start, head, path) = (&start, &head, dir.path());
                    scope.spawn(move || {
                        start.wait();
                        append(path, head, &record(&format!("w{w}"))).unwrap();
                    });
                }
            });
            let note = repo.find_note(Some(NOTES_REF), commit).unwrap();
            let lines = note.message().unwrap().lines().count();
            assert_eq!(lines, WRITERS, "round {round}: runs lost");
        }
    }

    /// A note git keeps under its fan-out directories (`ab/cdef…`, as it does in large notes
    /// trees) is appended to where it is, not shadowed by a second, flat one.
    #[test]
    fn append_finds_a_note_under_fan_out_directories() {
        let (dir, repo, head) = one_commit();
        let sig = Signature::now("t", "t@example.invalid").unwrap();
        let empty = repo.find_tree(repo.treebuilder(None).unwrap().write().unwrap());
        let empty = empty.unwrap();
        let hex = head.to_string();
        let first = format!("{}\n", record("dev").to_line());
        let blob = repo.blob(first.as_bytes()).unwrap();
        let fanned = format!("{}/{}/{}", &hex[..2], &hex[2..4], &hex[4..]);
        let tree = git2::build::TreeUpdateBuilder::new()
            .upsert(fanned.as_str(), blob, git2::FileMode::Blob)
            .create_updated(&repo, &empty)
            .unwrap();
        let tree = repo.find_tree(tree).unwrap();
        repo.commit(Some(NOTES_REF), &sig, &sig, "notes", &tree, &[])
            .unwrap();

        append(dir.path(), &hex, &record("ci")).unwrap();
        let note = repo.find_note(Some(NOTES_REF), head).unwrap();
        let lines: Vec<_> = note.message().unwrap().lines().map(String::from).collect();
        assert_eq!(lines, [record("dev").to_line(), record("ci").to_line()]);
        let notes_tree = repo
            .find_reference(NOTES_REF)
            .unwrap()
            .peel_to_tree()
            .unwrap();
        assert!(notes_tree.get_name(&hex).is_none(), "no second, flat note");
        let found = note_in(&repo, &notes_tree, &hex).unwrap().unwrap();
        assert_eq!(found.0, fanned);
    }
}
