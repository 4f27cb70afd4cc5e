//! Property-style check of setting unstaged changes aside: random mixes of staged, unstaged,
//! partially staged, deleted, mode-changed, new and untracked files. While set aside, the work
//! tree is exactly the index; afterwards it is byte for byte (and mode for mode) what it was.
//! 50 cases by default; `SETASIDE_CASES=200` for a longer run.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_budget::git::setaside::SetAside;
use cargo_budget::git::staged;

fn git(dir: &Path, config: &Path, args: &[&str]) {
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
fn tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
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

fn one_case(seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    let config = tmp.path().join("gitconfig");
    std::fs::write(
        &config,
        "[user]\n\tname = t\n\temail = t@example.invalid\n[core]\n\tautocrlf = false\n",
    )
    .unwrap();
    git(&dir, &config, &["init", "-q"]);

    let count = rng.usize(3..=NAMES.len());
    let mut names: Vec<&str> = NAMES.to_vec();
    rng.shuffle(&mut names);
    let names = &names[..count];
    for n in names {
        write(&dir, n, &content(&mut rng), rng.u8(0..4) == 0);
    }
    std::os::unix::fs::symlink(names[0], dir.join("link")).unwrap();
    git(&dir, &config, &["add", "-A"]);
    git(&dir, &config, &["commit", "-q", "-m", "base"]);
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
            git(&dir, &config, &["add", "link"]);
            std::fs::remove_file(dir.join("link")).unwrap();
            std::os::unix::fs::symlink(names[0], dir.join("link")).unwrap();
        }
        _ => {}
    }

    for n in names {
        match rng.u8(0..8) {
            0 => {
                write(&dir, n, &content(&mut rng), false);
                git(&dir, &config, &["add", "--", n]);
            }
            1 => write(&dir, n, &content(&mut rng), rng.bool()),
            2 => {
                // Partially staged: one version staged, another in the work tree.
                write(&dir, n, &content(&mut rng), false);
                git(&dir, &config, &["add", "--", n]);
                write(&dir, n, &content(&mut rng), rng.bool());
            }
            3 => std::fs::remove_file(dir.join(n)).unwrap(),
            4 => git(&dir, &config, &["rm", "-q", "--", n]),
            5 => {
                let p = dir.join(n);
                let mode = std::fs::metadata(&p).unwrap().permissions().mode() ^ 0o111;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            }
            _ => {}
        }
    }
    // A new file, staged and then edited; and an untracked one.
    write(&dir, "new/added.rs", &content(&mut rng), false);
    git(&dir, &config, &["add", "--", "new/added.rs"]);
    if rng.bool() {
        write(&dir, "new/added.rs", &content(&mut rng), false);
    }
    write(&dir, "untracked notes.txt", &content(&mut rng), false);

    let before = tree(&dir);
    let commit = staged::open(&dir).unwrap();
    let set = SetAside::new(&commit).unwrap();
    assert!(
        git_quiet_diff(&dir, &config),
        "seed {seed}: while set aside, the work tree is the index"
    );
    assert_eq!(
        tree(&dir).get(Path::new("untracked notes.txt")),
        before.get(Path::new("untracked notes.txt")),
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
        .unwrap_or(50);
    for seed in 0..cases {
        one_case(seed);
    }
}

/// A repository with one committed file, an unstaged edit to it and a staged change elsewhere.
fn edited_repo() -> (tempfile::TempDir, PathBuf, PathBuf) {
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
