//! A small builder for end-to-end tests: copy a fixture workspace into a temp dir, run the real
//! `cargo-budget` binary there (which runs real cargo-nextest), and inspect code, output, files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cargo-budget"))
}

/// A copy of a fixture workspace in a temp dir.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub target: PathBuf,
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

impl Fixture {
    /// `name` is a directory under `tests/fixtures/`, or `demo` for `examples/demo`.
    pub fn new(name: &str) -> Self {
        let src = if name == "demo" {
            repo_root().join("examples/demo")
        } else {
            repo_root().join("tests/fixtures").join(name)
        };
        let dir = tempfile::Builder::new()
            .prefix("budget-fx-")
            .tempdir()
            .unwrap();
        copy_dir(&src, dir.path());
        // Each copy builds in its own target dir: cargo names a workspace member's binaries
        // without regard to where the member is, so copies sharing a target dir would run each
        // other's (differently edited) tests.
        let target = dir.path().join("target");
        Fixture { dir, target }
    }

    /// A fresh `cargo new --lib NAME` package (the fixture root is the package).
    pub fn cargo_new(name: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("budget-new-")
            .tempdir()
            .unwrap();
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["init", "--lib", "--vcs", "none", "--name", name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let target = dir.path().join("target");
        Fixture { dir, target }
    }

    /// Every file under the fixture (outside `target/`) with its contents.
    pub fn tree(&self) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<PathBuf, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    out.insert(
                        path.strip_prefix(root).unwrap().to_path_buf(),
                        std::fs::read(&path).unwrap(),
                    );
                }
            }
        }
        let mut out = std::collections::BTreeMap::new();
        walk(self.path(), self.path(), &mut out);
        out
    }

    /// Another program (cargo, cargo-make, just) in the fixture, with the same environment as
    /// [`Fixture::cmd`] and this build's `cargo-budget` first on PATH, as `cargo budget` needs.
    pub fn tool(&self, program: &str, args: &[&str]) -> Run {
        let base = self.cmd(&[]);
        let mut cmd = Command::new(program);
        for (k, v) in base.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let path = format!(
            "{}:{}",
            bin().parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        cmd.env("PATH", path).args(args).current_dir(self.path());
        Run::of(cmd.output().unwrap())
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, contents: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// A `cargo-budget` command in the fixture, with the environment made deterministic:
    /// no `CI`, no inherited nextest variables, our shared target dir.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.args(args).current_dir(self.path());
        for (key, _) in std::env::vars_os() {
            let k = key.to_string_lossy();
            if k.starts_with("NEXTEST")
                || k == "CI"
                || k.starts_with("FX_")
                || k == "CARGO_BUDGET_ATTEMPTS"
            {
                cmd.env_remove(&key);
            }
        }
        cmd.env("CARGO_TARGET_DIR", &self.target);
        cmd.env("CARGO_TERM_COLOR", "never");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.cmd(args).output().unwrap())
    }

    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.cmd(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::of(cmd.output().unwrap())
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(out: Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A JSON list of numbers (milliseconds) as numbers.
pub fn ms_list(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// `(binary_id, name) → test object` from a JSON report.
pub fn test<'a>(report: &'a serde_json::Value, binary: &str, name: &str) -> &'a serde_json::Value {
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["binary_id"] == binary && t["name"] == name)
        .unwrap_or_else(|| panic!("{binary} {name} not in report"))
}

/// `(kind, binary_id, name, severity)` of every finding.
pub fn findings(report: &serde_json::Value) -> Vec<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("kind"), s("binary_id"), s("name"), s("severity"))
        })
        .collect()
}

pub const VIOLATIONS: i32 = 3;
pub const TESTS_FAILED: i32 = 4;
pub const BUILD_FAILED: i32 = 5;
pub const USAGE: i32 = 2;
pub const INTERRUPTED: i32 = 130;

/// A fixture committed to a fresh repository, with git isolated from the machine's config.
pub struct Repo {
    pub fx: Fixture,
    _config: tempfile::TempDir,
    pub config: PathBuf,
}

impl Repo {
    pub fn new(fixture: &str) -> Repo {
        let fx = Fixture::new(fixture);
        let config_dir = tempfile::tempdir().unwrap();
        let config = config_dir.path().join("gitconfig");
        std::fs::write(
            &config,
            "[user]\n\tname = Budget Test\n\temail = budget@example.invalid\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        )
        .unwrap();
        let repo = Repo {
            fx,
            _config: config_dir,
            config,
        };
        repo.git(&["init", "-q"]).assert_code(0);
        repo.git(&["add", "-A"]).assert_code(0);
        repo.git(&["commit", "-q", "-m", "base"]).assert_code(0);
        repo
    }

    pub fn path(&self) -> &Path {
        self.fx.path()
    }

    pub fn command(&self, program: &str, args: &[&str], dir: &Path) -> Command {
        let base = self.fx.cmd(&[]);
        let mut cmd = Command::new(program);
        for (k, v) in base.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("GIT_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", &self.config)
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .env("TZ", "UTC")
            .env_remove("CARGO_BUDGET_SKIP")
            .args(args)
            .current_dir(dir);
        cmd
    }

    pub fn git(&self, args: &[&str]) -> Run {
        Run::of(self.command("git", args, self.path()).output().unwrap())
    }

    pub fn budget(&self, args: &[&str]) -> Run {
        Run::of(
            self.command(bin().to_str().unwrap(), args, self.path())
                .output()
                .unwrap(),
        )
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).stdout.trim().to_string()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.fx.write(rel, text);
    }
}

/// A stand-in for `$CARGO` in `dir`: runs the shell `script` (with cargo's arguments in `"$@"`),
/// then hands over to the real cargo. For failures only cargo's caller can meet: a signal, a
/// file changing mid-session.
#[cfg(unix)]
pub fn cargo_wrapper(dir: &Path, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let path = dir.join("cargo-wrapper.sh");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n{script}\nexec {} \"$@\"\n",
            shell_words::quote(&real)
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}
