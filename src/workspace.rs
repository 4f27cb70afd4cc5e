//! The cargo workspace as cargo-budget needs it (`cargo metadata --no-deps`): its root, target
//! directory, and each package's targets with their source files.

use std::path::{Path, PathBuf};

use crate::model::BinaryKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    /// Cargo target kinds (`lib`, `test`, `bin`, `proc-macro`, …).
    pub kinds: Vec<String>,
    pub src_path: PathBuf,
    /// Built as a test binary by `cargo test` / nextest (`test = true`).
    pub test: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub manifest_dir: PathBuf,
    /// It depends on criterion (any kind of dependency).
    pub criterion: bool,
    pub targets: Vec<Target>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    pub root: PathBuf,
    pub target_dir: PathBuf,
    pub packages: Vec<Package>,
}

#[derive(Debug, thiserror::Error)]
#[error("failed to read the cargo workspace{}", manifest.as_ref().map(|m| format!(" at `{}`", m.display())).unwrap_or_default())]
pub struct WorkspaceError {
    manifest: Option<PathBuf>,
    #[source]
    source: cargo_metadata::Error,
}

impl WorkspaceError {
    /// cargo ran and rejected the manifest (a usage problem), rather than failing to run.
    pub fn is_manifest_problem(&self) -> bool {
        matches!(self.source, cargo_metadata::Error::CargoMetadata { .. })
    }
}

impl Workspace {
    /// Runs `cargo metadata --no-deps` for `manifest_path` (or the current directory).
    pub fn load(manifest_path: Option<&Path>) -> Result<Self, WorkspaceError> {
        Self::load_without_env(manifest_path, &[])
    }

    /// [`Workspace::load`], hiding `env_remove` from cargo.
    pub fn load_without_env(
        manifest_path: Option<&Path>,
        env_remove: &[String],
    ) -> Result<Self, WorkspaceError> {
        let mut cmd = cargo_metadata::MetadataCommand::new();
        for var in env_remove {
            cmd.env_remove(var);
        }
        cmd.no_deps();
        if let Some(cargo) = std::env::var_os("CARGO") {
            cmd.cargo_path(cargo);
        }
        if let Some(m) = manifest_path {
            cmd.manifest_path(m);
        }
        let metadata = cmd.exec().map_err(|source| WorkspaceError {
            manifest: manifest_path.map(Path::to_path_buf),
            source,
        })?;
        let members: std::collections::HashSet<_> = metadata.workspace_members.iter().collect();
        let packages = metadata
            .packages
            .iter()
            .filter(|p| members.contains(&p.id))
            .map(|p| Package {
                name: p.name.to_string(),
                version: p.version.to_string(),
                manifest_dir: p
                    .manifest_path
                    .parent()
                    .map(|d| d.as_std_path().to_path_buf())
                    .unwrap_or_default(),
                criterion: p.dependencies.iter().any(|d| d.name == "criterion"),
                targets: p
                    .targets
                    .iter()
                    .map(|t| Target {
                        name: t.name.clone(),
                        kinds: t.kind.iter().map(|k| k.to_string()).collect(),
                        src_path: t.src_path.clone().into_std_path_buf(),
                        test: t.test,
                    })
                    .collect(),
            })
            .collect();
        Ok(Workspace {
            root: metadata.workspace_root.into_std_path_buf(),
            target_dir: metadata.target_directory.into_std_path_buf(),
            packages,
        })
    }

    /// The test binaries nextest will build, with the binary ids it gives them
    /// (`pkg`, `pkg::name`, `pkg::bin/name`), derived from cargo metadata without building.
    pub fn binaries(&self) -> Vec<crate::model::BinaryInfo> {
        let mut out = Vec::new();
        for package in &self.packages {
            for target in package.targets.iter().filter(|t| t.test) {
                let kind = if target.kinds.iter().any(|k| k == "proc-macro") {
                    BinaryKind::ProcMacro
                } else if target.kinds.iter().any(|k| k.ends_with("lib")) {
                    BinaryKind::Lib
                } else if let Some(k) = target
                    .kinds
                    .iter()
                    .find(|k| matches!(k.as_str(), "test" | "bin" | "example" | "bench"))
                {
                    BinaryKind::parse(k)
                } else {
                    continue;
                };
                let binary_id = match &kind {
                    k if k.is_lib() => package.name.clone(),
                    BinaryKind::Test => format!("{}::{}", package.name, target.name),
                    other => format!("{}::{other}/{}", package.name, target.name),
                };
                out.push(crate::model::BinaryInfo {
                    binary_id,
                    package: package.name.clone(),
                    kind,
                    target: target.name.clone(),
                });
            }
        }
        out.sort();
        out
    }

    /// Whether a package with bench targets depends on criterion.
    pub fn has_criterion_benches(&self) -> bool {
        self.packages.iter().any(|p| {
            p.criterion
                && p.targets
                    .iter()
                    .any(|t| t.kinds.iter().any(|k| k == "bench"))
        })
    }

    /// The source file of the target a test binary is built from.
    pub fn target_src(&self, package: &str, kind: &BinaryKind, target: &str) -> Option<&Path> {
        let package = self.packages.iter().find(|p| p.name == package)?;
        let lib_like = kind.is_lib();
        let kind = kind.as_str();
        package
            .targets
            .iter()
            .find(|t| {
                t.name == target
                    && (t.kinds.iter().any(|k| k == kind)
                        || (lib_like
                            && t.kinds
                                .iter()
                                .any(|k| k.ends_with("lib") || k == "proc-macro")))
            })
            .map(|t| t.src_path.as_path())
    }
}
