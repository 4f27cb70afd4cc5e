//! Restoring what a killed run left set aside, through the real binary
//! (`cargo budget hook-run --restore BACKUP`): what changed since is kept, any file name comes
//! back byte for byte, a list not understood changes nothing, and a restore that failed part
//! way can be run again.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_budget::git::setaside::SetAside;
use cargo_budget::git::staged;

use crate::setaside::{edited_repo, git, tree};

/// A repository whose first commit holds `files` (path bytes, content).
fn committed(files: &[(&[u8], &[u8])]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    let config = tmp.path().join("gitconfig");
    std::fs::write(&config, "[user]\n\tname = t\n\temail = t@example.invalid\n").unwrap();
    git(&dir, &config, &["init", "-q"]);
    for (path, bytes) in files {
        put(&dir, path, bytes);
    }
    git(&dir, &config, &["add", "-A"]);
    git(&dir, &config, &["commit", "-q", "-m", "base"]);
    (tmp, dir, config)
}

/// Writes `bytes` at the (raw bytes) path `rel`, mode 644.
fn put(dir: &Path, rel: &[u8], bytes: &[u8]) {
    use std::os::unix::ffi::OsStrExt;
    let p = dir.join(std::ffi::OsStr::from_bytes(rel));
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// Sets the unstaged changes aside as the hook does, and dies (no restore): the backup left.
fn killed_run(dir: &Path) -> PathBuf {
    let commit = staged::open(dir).unwrap();
    std::mem::forget(SetAside::new(&commit).unwrap().unwrap());
    let left = cargo_budget::git::setaside::leftovers(&dir.join(".git"));
    assert_eq!(left.len(), 1, "{left:?}");
    left[0].clone()
}

/// `cargo budget hook-run --restore BACKUP`, the real binary, in `dir`.
fn restore(dir: &Path, config: &Path, backup: &Path) -> crate::support::Run {
    let mut cmd = Command::new(crate::support::bin());
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .args(["hook-run", "--color", "never", "--restore"])
        .arg(backup)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", config)
        .output()
        .unwrap();
    crate::support::Run::of(out)
}

#[test]
fn restore_after_a_kill_keeps_what_changed_since() {
    let (_tmp, dir, config) = committed(&[
        (b"f.rs", b"f\n"),
        (b"g.rs", b"g\n"),
        (b"d.rs", b"d\n"),
        (b"h.rs", b"h\n"),
    ]);
    put(&dir, b"f.rs", b"f staged\n");
    git(&dir, &config, &["add", "f.rs"]);
    put(&dir, b"g.rs", b"g mine\n");
    put(&dir, b"h.rs", b"h mine\n");
    std::fs::remove_file(dir.join("d.rs")).unwrap();
    let backup = killed_run(&dir);
    assert_eq!(std::fs::read(dir.join("g.rs")).unwrap(), b"g\n");
    assert_eq!(std::fs::read(dir.join("d.rs")).unwrap(), b"d\n");

    // After the crash: the user edits a file the set-aside wrote, and re-creates one that
    // restoring deletes (it was deleted when set aside).
    std::fs::write(dir.join("g.rs"), b"g edited after the crash\n").unwrap();
    std::fs::remove_file(dir.join("d.rs")).unwrap();
    std::fs::write(dir.join("d.rs"), b"d re-created\n").unwrap();

    let run = restore(&dir, &config, &backup);
    run.assert_code(0);
    assert_eq!(std::fs::read(dir.join("g.rs")).unwrap(), b"g mine\n");
    assert_eq!(std::fs::read(dir.join("h.rs")).unwrap(), b"h mine\n");
    assert_eq!(std::fs::read(dir.join("f.rs")).unwrap(), b"f staged\n");
    assert!(!dir.join("d.rs").exists(), "deleted again");
    // Both later versions are kept, and said where.
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.join(".git/cargo-budget"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        kept[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("kept-")
    );
    let conflicts = kept[0].join("conflicts");
    assert_eq!(
        std::fs::read(conflicts.join("g.rs")).unwrap(),
        b"g edited after the crash\n"
    );
    assert_eq!(
        std::fs::read(conflicts.join("d.rs")).unwrap(),
        b"d re-created\n"
    );
    for name in ["g.rs", "d.rs"] {
        assert!(
            run.stderr
                .contains(&conflicts.join(name).display().to_string()),
            "{}",
            run.stderr
        );
    }
    assert!(!conflicts.join("h.rs").exists(), "h.rs was left alone");
    assert!(run.stderr.contains("Restored"), "{}", run.stderr);
    assert!(cargo_budget::git::setaside::leftovers(&dir.join(".git")).is_empty());
}

#[test]
fn restore_puts_back_any_file_name_byte_for_byte() {
    let names: [&[u8]; 4] = [
        b"new\nline.rs",
        b"caf\xe9.rs",
        b"tab\tand space .rs",
        b"end\n",
    ];
    let mut files: Vec<(&[u8], &[u8])> = names.iter().map(|n| (*n, &b"base\n"[..])).collect();
    files.push((b"staged.rs", b"base\n"));
    let (_tmp, dir, config) = committed(&files);
    put(&dir, b"staged.rs", b"staged\n");
    git(&dir, &config, &["add", "staged.rs"]);
    for n in names {
        put(&dir, n, &[n, &b" unstaged\n"[..]].concat());
    }
    let before = tree(&dir);
    let backup = killed_run(&dir);
    assert_ne!(before, tree(&dir), "set aside");
    let run = restore(&dir, &config, &backup);
    run.assert_code(0);
    assert_eq!(before, tree(&dir), "every name back, byte for byte");
    assert!(!dir.join(".git/cargo-budget").exists());
}

#[test]
fn a_list_not_understood_changes_nothing_and_keeps_the_copies() {
    let (_tmp, dir, config) = edited_repo();
    let before = tree(&dir);
    let backup = killed_run(&dir);
    let set_aside = tree(&dir);
    let list = backup.join("FILES");
    let good = std::fs::read(&list).unwrap();
    assert!(
        good.starts_with(b"cargo-budget set-aside list v2\n"),
        "{}",
        String::from_utf8_lossy(&good)
    );
    let replace = |from: &[u8], to: &[u8]| -> Vec<u8> {
        let at = good
            .windows(from.len())
            .position(|w| w == from)
            .expect("in the list");
        [&good[..at], to, &good[at + from.len()..]].concat()
    };
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            replace(b"file 0644", b"fifo 0644"),
            "at byte 31: unknown saved kind `fifo 0644`",
        ),
        (
            good[..good.len() - 4].to_vec(),
            "truncated: the list has no `end` line",
        ),
        (
            replace(b"\0g.rs\0", b"\0../g.rs\0"),
            "a `.` or `..` path component",
        ),
        // The line-based list of earlier versions, with a kind it never wrote.
        (
            b"file\t644\tg.rs\nweird\t-\tf.rs\n".to_vec(),
            "line-based list of an older cargo-budget",
        ),
    ];
    for (bytes, problem) in cases {
        std::fs::write(&list, &bytes).unwrap();
        let run = restore(&dir, &config, &backup);
        run.assert_code(2);
        assert!(run.stderr.contains(problem), "{problem}: {}", run.stderr);
        assert!(
            run.stderr.contains(&list.display().to_string()),
            "names the list: {}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
        assert!(!run.stderr.contains("Restored"), "{}", run.stderr);
        assert_eq!(set_aside, tree(&dir), "{problem}: nothing touched");
        assert_eq!(
            std::fs::read(backup.join("tree/g.rs")).unwrap(),
            b"a\nunstaged work\n",
            "{problem}: the copy stays"
        );
    }
    // The copies kept make a later restore possible.
    std::fs::write(&list, &good).unwrap();
    restore(&dir, &config, &backup).assert_code(0);
    assert_eq!(before, tree(&dir));
}

#[test]
fn a_restore_that_failed_part_way_can_be_run_again() {
    let (_tmp, dir, config) = committed(&[(b"a.rs", b"a\n"), (b"b.rs", b"b\n"), (b"s.rs", b"s\n")]);
    put(&dir, b"s.rs", b"staged\n");
    git(&dir, &config, &["add", "s.rs"]);
    put(&dir, b"a.rs", b"a mine\n");
    put(&dir, b"b.rs", b"b mine\n");
    let before = tree(&dir);
    let backup = killed_run(&dir);
    // A directory in the way of `b.rs`: `a.rs` is put back, then the restore fails.
    std::fs::remove_file(dir.join("b.rs")).unwrap();
    std::fs::create_dir(dir.join("b.rs")).unwrap();
    let run = restore(&dir, &config, &backup);
    run.assert_code(1);
    assert!(
        run.stderr.contains("b.rs") && run.stderr.contains("--restore"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(dir.join("a.rs")).unwrap(), b"a mine\n");
    assert!(backup.join("FILES").exists(), "the copies stay");

    std::fs::remove_dir(dir.join("b.rs")).unwrap();
    let run = restore(&dir, &config, &backup);
    run.assert_code(0);
    assert!(
        !run.stderr.contains("warning"),
        "a path already back is not taken for an edit: {}",
        run.stderr
    );
    assert_eq!(before, tree(&dir));
    assert!(!dir.join(".git/cargo-budget").exists());
}
