//! Property-style check of setting unstaged changes aside: random mixes of staged, unstaged,
//! partially staged, deleted, mode-changed, new and untracked files. While set aside, the work
//! tree is exactly the index; afterwards it is byte for byte (and mode for mode) what it was.
//! Every case uses every kind of edit at least once (on randomly chosen files, the rest drawn at
//! random), so 24 cases cover what 50 independent draws did, inside this project's 10 s
//! integration budget; `SETASIDE_CASES=200` for a longer run. The cases share one repository,
//! built in process with git2 (creating files is most of a case's cost); real `git diff` checks
//! that the work tree is the index while set aside.
//!
//! Restoring what a killed run left, through the binary: `setaside_restore`.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_budget::git::setaside::SetAside;
use cargo_budget::git::staged;

pub(crate) fn git(dir: &Path, config: &Path, args: &[&str]) {
    let mut cmd = Command::new("git");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", config)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn git_quiet_diff(dir: &Path, config: &Path) -> bool {
    let mut cmd = Command::new("git");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(k);
        }
    }
    cmd.args(["diff", "--quiet"])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", config)
        .status()
        .unwrap()
        .success()
}

/// Every file outside `.git` with its bytes and permission bits.
pub(crate) fn tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, u32)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    (format!("-> {}", target.display()).into_bytes(), 0o120000),
                );
            } else if p.is_dir() {
                walk(root, &p, out);
            } else {
                let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    (std::fs::read(&p).unwrap(), mode),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

const NAMES: [&str; 11] = [
    "FILES",
    "src/lib.rs",
    "src/a b.rs",
    "src/quote\"d'.rs",
    "src/élan/données.rs",
    "tests/unit/main.rs",
    "tests/unit/x.rs",
    "Cargo.toml",
    "README.md",
    "deep/er/still/file.bin",
    "crlf.txt",
];

fn content(rng: &mut fastrand::Rng) -> Vec<u8> {
    let len = rng.usize(0..160);
    let mut bytes: Vec<u8> = (0..len)
        .map(|_| match rng.u8(0..10) {
            0 => b'\r',
            1 => b'\n',
            2 => 0,
            3 => rng.u8(128..=255),
            _ => rng.u8(b' '..=b'~'),
        })
        .collect();
    if rng.bool() {
        bytes.extend_from_slice(b"\r\n");
    }
    bytes
}

fn write(dir: &Path, rel: &str, bytes: &[u8], exec: bool) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    let mode = if exec { 0o755 } else { 0o644 };
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The repository of one case, built in process through git2 (the code under test reads it
/// through git2 as well); real `git` is kept for the independent check that the work tree is
/// the index while set aside.
struct Case {
    repo: git2::Repository,
    index: git2::Index,
}

impl Case {
    fn init(dir: &Path) -> Case {
        // No sample hooks: creating files is most of what a case costs.
        let repo = git2::Repository::init_opts(
            dir,
            git2::RepositoryInitOptions::new().external_template(false),
        )
        .unwrap();
        // Whatever the machine's own configuration says (libgit2 reads it; `git` here does not).
        repo.config()
            .unwrap()
            .set_bool("core.autocrlf", false)
            .unwrap();
        let index = repo.index().unwrap();
        Case { repo, index }
    }

    /// `git add`, in memory until [`Case::write`].
    fn add(&mut self, rel: &str) {
        self.index.add_path(Path::new(rel)).unwrap();
    }

    /// `git rm`: out of the index and the work tree.
    fn remove(&mut self, rel: &str) {
        self.index.remove_path(Path::new(rel)).unwrap();
        std::fs::remove_file(self.repo.workdir().unwrap().join(rel)).unwrap();
    }

    fn write(&mut self) {
        self.index.write().unwrap();
    }

    /// Empties the work tree (directories stay: git does not see empty ones) and the index,
    /// for the next case. One repository serves every case: creating files and directories is
    /// what a case costs most, and a fresh repository is dozens of them.
    fn reset(&mut self) {
        fn clear(dir: &Path) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                let meta = std::fs::symlink_metadata(&p).unwrap();
                if meta.is_dir() {
                    if p.file_name().is_some_and(|n| n != ".git") {
                        clear(&p);
                    }
                } else {
                    std::fs::remove_file(&p).unwrap();
                }
            }
        }
        clear(self.repo.workdir().unwrap());
        self.index.clear().unwrap();
    }

    /// `git add -A && git commit`.
    fn commit_all(&mut self) {
        self.index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        self.index.write().unwrap();
        let tree = self
            .repo
            .find_tree(self.index.write_tree().unwrap())
            .unwrap();
        let sig = git2::Signature::new("t", "t@example.invalid", &git2::Time::new(0, 0)).unwrap();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        self.repo
            .commit(
                Some("HEAD"),
                &sig,
                &sig,
                "base",
                &tree,
                &parent.iter().collect::<Vec<_>>(),
            )
            .unwrap();
    }
}

/// What a case does to one committed file. Every case uses every edit at least once.
#[derive(Clone, Copy, Debug)]
enum Edit {
    Staged,
    Unstaged,
    PartiallyStaged,
    Deleted,
    Removed,
    ModeFlipped,
    Untouched,
}

const EDITS: [Edit; 7] = [
    Edit::Staged,
    Edit::Unstaged,
    Edit::PartiallyStaged,
    Edit::Deleted,
    Edit::Removed,
    Edit::ModeFlipped,
    Edit::Untouched,
];

fn one_case(seed: u64, case: &mut Case, config: &Path) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let dir = case.repo.workdir().unwrap().to_path_buf();
    case.reset();

    // Enough files for every edit, in a random order, the rest drawn at random.
    let count = rng.usize(EDITS.len()..=NAMES.len());
    let mut names: Vec<&str> = NAMES.to_vec();
    rng.shuffle(&mut names);
    let names = &names[..count];
    let mut edits: Vec<Edit> = EDITS.to_vec();
    while edits.len() < count {
        edits.push(EDITS[rng.usize(..EDITS.len())]);
    }
    rng.shuffle(&mut edits);
    for n in names {
        write(&dir, n, &content(&mut rng), rng.u8(0..4) == 0);
    }
    std::os::unix::fs::symlink(names[0], dir.join("link")).unwrap();
    case.commit_all();
    match rng.u8(0..4) {
        0 => {
            std::fs::remove_file(dir.join("link")).unwrap();
            std::os::unix::fs::symlink(names[1], dir.join("link")).unwrap();
        }
        1 => {
            std::fs::remove_file(dir.join("link")).unwrap();
            std::fs::write(dir.join("link"), b"now a file").unwrap();
        }
        2 => {
            std::fs::remove_file(dir.join("link")).unwrap();
            std::os::unix::fs::symlink("elsewhere", dir.join("link")).unwrap();
            case.add("link");
            std::fs::remove_file(dir.join("link")).unwrap();
            std::os::unix::fs::symlink(names[0], dir.join("link")).unwrap();
        }
        _ => {}
    }

    for (n, edit) in names.iter().zip(&edits) {
        match edit {
            Edit::Staged => {
                write(&dir, n, &content(&mut rng), false);
                case.add(n);
            }
            Edit::Unstaged => write(&dir, n, &content(&mut rng), rng.bool()),
            Edit::PartiallyStaged => {
                // One version staged, another in the work tree.
                write(&dir, n, &content(&mut rng), false);
                case.add(n);
                write(&dir, n, &content(&mut rng), rng.bool());
            }
            Edit::Deleted => std::fs::remove_file(dir.join(n)).unwrap(),
            Edit::Removed => case.remove(n),
            Edit::ModeFlipped => {
                let p = dir.join(n);
                let mode = std::fs::metadata(&p).unwrap().permissions().mode() ^ 0o111;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            }
            Edit::Untouched => {}
        }
    }
    // A new file, staged and then edited; and an untracked one.
    write(&dir, "new/added.rs", &content(&mut rng), false);
    case.add("new/added.rs");
    if rng.bool() {
        write(&dir, "new/added.rs", &content(&mut rng), false);
    }
    write(&dir, "untracked notes.txt", &content(&mut rng), false);
    case.write();

    let before = tree(&dir);
    let commit = staged::open(&dir).unwrap();
    let set = SetAside::new(&commit).unwrap();
    assert!(
        git_quiet_diff(&dir, config),
        "seed {seed}: while set aside, the work tree is the index"
    );
    assert_eq!(
        std::fs::read(dir.join("untracked notes.txt")).unwrap(),
        before[Path::new("untracked notes.txt")].0,
        "seed {seed}: untracked files are left alone"
    );
    if let Some(set) = set {
        assert_eq!(
            set.restore().unwrap(),
            Vec::<PathBuf>::new(),
            "seed {seed}: no conflicts"
        );
    }
    assert_eq!(
        before,
        tree(&dir),
        "seed {seed}: everything back byte for byte"
    );
    assert!(
        !dir.join(".git/cargo-budget").exists(),
        "seed {seed}: no leftovers"
    );
}

#[test]
fn random_edit_mixes_never_lose_content() {
    let cases: u64 = std::env::var("SETASIDE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("gitconfig");
    std::fs::write(&config, "[core]\n\tautocrlf = false\n").unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    let mut case = Case::init(&dir);
    for seed in 0..cases {
        one_case(seed, &mut case, &config);
    }
}

/// A repository with one committed file, an unstaged edit to it and a staged change elsewhere.
pub(crate) fn edited_repo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    let config = tmp.path().join("gitconfig");
    std::fs::write(&config, "[user]\n\tname = t\n\temail = t@example.invalid\n").unwrap();
    git(&dir, &config, &["init", "-q"]);
    write(&dir, "g.rs", b"a\n", false);
    write(&dir, "f.rs", b"x\n", false);
    git(&dir, &config, &["add", "-A"]);
    git(&dir, &config, &["commit", "-q", "-m", "base"]);
    write(&dir, "f.rs", b"y\n", false);
    git(&dir, &config, &["add", "f.rs"]);
    write(&dir, "g.rs", b"a\nunstaged work\n", false);
    (tmp, dir, config)
}

#[test]
fn a_file_changed_during_the_run_is_kept_aside() {
    let (_tmp, dir, _config) = edited_repo();
    let commit = staged::open(&dir).unwrap();
    let set = SetAside::new(&commit).unwrap().unwrap();
    assert_eq!(std::fs::read(dir.join("g.rs")).unwrap(), b"a\n");
    std::fs::write(dir.join("g.rs"), b"a\nedit saved by an editor meanwhile\n").unwrap();
    let conflicts = set.restore().unwrap();
    assert_eq!(
        std::fs::read(dir.join("g.rs")).unwrap(),
        b"a\nunstaged work\n"
    );
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        std::fs::read(&conflicts[0]).unwrap(),
        b"a\nedit saved by an editor meanwhile\n"
    );
    assert!(
        cargo_budget::git::setaside::leftovers(&dir.join(".git")).is_empty(),
        "not an unfinished run"
    );
}

#[test]
fn copies_left_by_a_killed_run_can_be_restored() {
    let (_tmp, dir, _config) = edited_repo();
    let before = tree(&dir);
    let commit = staged::open(&dir).unwrap();
    let set = SetAside::new(&commit).unwrap().unwrap();
    std::mem::forget(set); // the process died before restoring
    assert_eq!(std::fs::read(dir.join("g.rs")).unwrap(), b"a\n");
    let left = cargo_budget::git::setaside::leftovers(&dir.join(".git"));
    assert_eq!(left.len(), 1);
    SetAside::load(&dir, &left[0]).unwrap().restore().unwrap();
    assert_eq!(before, tree(&dir));
    assert!(cargo_budget::git::setaside::leftovers(&dir.join(".git")).is_empty());
}
