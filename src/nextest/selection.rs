//! What the user chose, passed through to nextest as its own arguments: which tests
//! (`Selection`), how cargo builds them (`Build`) and how nextest runs them (`Tuning`).

use std::path::PathBuf;

use super::tool_config::PROFILE;

/// Which tests nextest should consider, passed through from the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub workspace: bool,
    pub exprs: Vec<String>,
    pub partition: Option<String>,
    /// Test-name filters and libtest-style arguments (`--exact`, `--skip X`), after `--`.
    pub names: Vec<String>,
    /// How cargo builds the tests.
    pub build: Build,
    /// How nextest runs them.
    pub tuning: Tuning,
}

/// How cargo builds the tests: passed through, the same to `list` and `run`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Build {
    pub exclude: Vec<String>,
    pub features: Vec<String>,
    pub all_features: bool,
    pub no_default_features: bool,
    pub release: bool,
    pub cargo_profile: Option<String>,
    pub target: Option<String>,
    pub locked: bool,
    pub offline: bool,
    pub frozen: bool,
}

impl Build {
    pub(super) fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        let mut flag = |on: bool, name: &str| {
            if on {
                args.push(name.to_string());
            }
        };
        flag(self.all_features, "--all-features");
        flag(self.no_default_features, "--no-default-features");
        flag(self.release, "--release");
        flag(self.locked, "--locked");
        flag(self.offline, "--offline");
        flag(self.frozen, "--frozen");
        for e in &self.exclude {
            args.extend(["--exclude".to_string(), e.clone()]);
        }
        for f in &self.features {
            args.extend(["--features".to_string(), f.clone()]);
        }
        if let Some(p) = &self.cargo_profile {
            args.extend(["--cargo-profile".to_string(), p.clone()]);
        }
        if let Some(t) = &self.target {
            args.extend(["--target".to_string(), t.clone()]);
        }
        args
    }

    /// The cargo profile the tests are built with (nextest builds tests with `test`, which
    /// inherits `dev`, unless told otherwise).
    pub fn cargo_profile(&self) -> &str {
        match (&self.cargo_profile, self.release) {
            (Some(p), _) => p,
            (None, true) => "release",
            (None, false) => "test",
        }
    }
}

/// How nextest runs the tests: passed through to `run` only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tuning {
    /// The user's nextest profile (`-P`), which cargo-budget's settings are layered under;
    /// `None`: cargo-budget's own profile.
    pub profile: Option<String>,
    pub test_threads: Option<String>,
    pub retries: Option<u32>,
    pub no_capture: bool,
}

impl Tuning {
    /// The profile nextest runs with.
    pub fn profile(&self) -> &str {
        self.profile.as_deref().unwrap_or(PROFILE)
    }

    pub(super) fn args(&self) -> Vec<String> {
        let mut args = vec!["--profile".to_string(), self.profile().to_string()];
        if let Some(j) = &self.test_threads {
            args.extend(["--test-threads".to_string(), j.clone()]);
        }
        if let Some(r) = self.retries {
            args.extend(["--retries".to_string(), r.to_string()]);
        }
        if self.no_capture {
            args.push("--no-capture".into());
        }
        args
    }
}

impl Selection {
    /// The same packages narrowed to `expr` alone, without partition or name filters: for
    /// re-running tests chosen by name.
    pub fn narrowed_to(&self, expr: String) -> Selection {
        Selection {
            manifest_path: self.manifest_path.clone(),
            packages: self.packages.clone(),
            workspace: self.workspace,
            exprs: vec![expr],
            partition: None,
            names: Vec::new(),
            build: self.build.clone(),
            tuning: self.tuning.clone(),
        }
    }

    pub(super) fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(m) = &self.manifest_path {
            args.push("--manifest-path".into());
            args.push(m.to_string_lossy().into_owned());
        }
        if self.workspace {
            args.push("--workspace".into());
        }
        for p in &self.packages {
            args.push("--package".into());
            args.push(p.clone());
        }
        for e in &self.exprs {
            args.push("-E".into());
            args.push(e.clone());
        }
        if let Some(p) = &self.partition {
            args.push("--partition".into());
            args.push(p.clone());
        }
        args.extend(self.build.args());
        if !self.names.is_empty() {
            args.push("--".into());
            args.extend(self.names.iter().cloned());
        }
        args
    }
}
