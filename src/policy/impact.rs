//! Which tests a change can affect: staged paths → the affected test targets, using the workspace
//! layout. A file of a test target → that target; a file in a package's `src/` → every test of
//! the package and of the packages that depend on it (`rdeps`); a manifest, lock file, build
//! script, toolchain file or budget/nextest config → everything. Nested members: the deepest
//! package directory owns a file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::Affected;

/// A package as the mapping needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageLayout {
    pub name: String,
    /// Absolute.
    pub dir: PathBuf,
    /// `(binary id, root source file)` of its `[[test]]` targets.
    pub tests: Vec<(String, PathBuf)>,
    /// Root source files of its lib, bin, example and bench targets.
    pub code: Vec<PathBuf>,
    /// Root source files of its build scripts (`build.rs`, or `build = "…"`).
    pub build: Vec<PathBuf>,
}

/// Whether `path` belongs to the target whose root file is `src`: the file itself, files under
/// `<src without .rs>/` (a file target's submodules), or under its directory when it is a
/// directory root (`main.rs`, `lib.rs`, `mod.rs`) that does not share it with other targets.
fn in_target(path: &Path, src: &Path, package_dir: &Path) -> bool {
    if path == src || path.starts_with(src.with_extension("")) {
        return true;
    }
    let dir = src.parent().unwrap_or(src);
    let root_file = src
        .file_name()
        .is_some_and(|f| f == "main.rs" || f == "lib.rs" || f == "mod.rs");
    root_file && dir != package_dir.join("tests") && path.starts_with(dir)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Work {
    /// Nothing a test can see changed.
    Nothing,
    /// Run the whole suite; the path that requires it.
    Everything(PathBuf),
    /// Run the tests of these targets (the union).
    Some(BTreeSet<Affected>),
}

const EVERYTHING: [&str; 6] = [
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "budget.toml",
    "rust-toolchain",
    "rust-toolchain.toml",
];

/// Cheap and conservative, before the workspace is read: could this path matter to a test?
pub fn maybe_relevant(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    EVERYTHING.contains(&name)
        || name == "nextest.toml"
        || path.extension().is_some_and(|e| e == "rs")
        || path.components().any(|c| {
            matches!(
                c.as_os_str().to_str(),
                Some("src" | "tests" | "benches" | "examples" | ".cargo")
            )
        })
}

/// Maps absolute `paths` to work in the workspace rooted at `root`.
pub fn plan(paths: &[PathBuf], root: &Path, packages: &[PackageLayout]) -> Work {
    let mut parts = BTreeSet::new();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let rel_root = path.strip_prefix(root).unwrap_or(path);
        if EVERYTHING.contains(&name)
            || rel_root == Path::new(".config/nextest.toml")
            || rel_root.starts_with(".cargo")
        {
            return Work::Everything(path.clone());
        }
        let Some(package) = packages
            .iter()
            .filter(|p| path.starts_with(&p.dir))
            .max_by_key(|p| p.dir.components().count())
        else {
            continue;
        };
        let rel = path.strip_prefix(&package.dir).unwrap_or(path);
        if package
            .build
            .iter()
            .any(|b| in_target(path, b, &package.dir))
        {
            return Work::Everything(path.clone());
        }
        if let Some((binary_id, _)) = package
            .tests
            .iter()
            .find(|(_, src)| in_target(path, src, &package.dir))
        {
            parts.insert(Affected::Binary(binary_id.clone()));
        } else if rel.starts_with("tests") {
            // Shared test helpers and data: every test target of the package.
            parts.insert(Affected::PackageTests(package.name.clone()));
        } else if package
            .code
            .iter()
            .any(|src| in_target(path, src, &package.dir))
            || rel.starts_with("src")
            || rel.starts_with("benches")
            || rel.starts_with("examples")
            || path.extension().is_some_and(|e| e == "rs")
        {
            // Code of the package, or files it includes: its tests and its dependents'.
            parts.insert(Affected::PackageAndDependents(package.name.clone()));
        }
    }
    if parts.is_empty() {
        Work::Nothing
    } else {
        Work::Some(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Affected::{Binary, PackageAndDependents, PackageTests};

    fn layout() -> (PathBuf, Vec<PackageLayout>) {
        let root = PathBuf::from("/ws");
        let pkg = |name: &str, dir: &str, tests: &[(&str, &str)], code: &[&str], build: &[&str]| {
            PackageLayout {
                name: name.into(),
                dir: root.join(dir),
                tests: tests
                    .iter()
                    .map(|(id, src)| (id.to_string(), root.join(src)))
                    .collect(),
                code: code.iter().map(|c| root.join(c)).collect(),
                build: build.iter().map(|b| root.join(b)).collect(),
            }
        };
        let packages = vec![
            pkg(
                "root-app",
                "",
                &[("root-app::cli", "tests/cli.rs")],
                &["src/main.rs"],
                &[],
            ),
            pkg(
                "core",
                "core",
                &[],
                &["core/src/lib.rs"],
                &["core/build.rs"],
            ),
            pkg(
                "app",
                "app",
                &[
                    ("app::unit", "app/tests/unit/main.rs"),
                    ("app::api", "app/tests/api.rs"),
                ],
                &["app/src/lib.rs"],
                &[],
            ),
            // Nested inside app.
            pkg(
                "app-macros",
                "app/macros",
                &[],
                &["app/macros/src/lib.rs"],
                &[],
            ),
            // Unusual paths: lib at the package root, a build script in build/, a test in it/.
            pkg(
                "odd",
                "odd",
                &[("odd::it", "odd/it/main.rs")],
                &["odd/lib.rs"],
                &["odd/build/main.rs"],
            ),
        ];
        (root, packages)
    }

    #[test]
    fn unusual_target_paths() {
        assert_eq!(work(&["odd/lib.rs"]), some(&[rdeps("odd")]));
        assert_eq!(work(&["odd/helper.rs"]), some(&[rdeps("odd")]));
        assert_eq!(work(&["odd/it/main.rs"]), some(&[binary("odd::it")]));
        assert_eq!(work(&["odd/it/h.rs"]), some(&[binary("odd::it")]));
        assert!(work(&["odd/build/main.rs"]) == W::Everything);
        assert_eq!(work(&["app/src/data/table.json"]), some(&[rdeps("app")]));
    }

    /// The plan, without the path that asked for everything, for readable tables.
    #[derive(Debug, PartialEq)]
    enum W {
        Nothing,
        Everything,
        Some(BTreeSet<Affected>),
    }

    fn plan_of(paths: &[&str]) -> Work {
        let (root, packages) = layout();
        let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
        plan(&paths, &root, &packages)
    }

    fn work(paths: &[&str]) -> W {
        match plan_of(paths) {
            Work::Nothing => W::Nothing,
            Work::Everything(_) => W::Everything,
            Work::Some(set) => W::Some(set),
        }
    }

    fn some(parts: &[Affected]) -> W {
        W::Some(parts.iter().cloned().collect())
    }

    fn binary(id: &str) -> Affected {
        Binary(id.into())
    }

    fn rdeps(package: &str) -> Affected {
        PackageAndDependents(package.into())
    }

    #[test]
    fn mapping_table() {
        assert_eq!(work(&["core/src/lib.rs"]), some(&[rdeps("core")]));
        assert_eq!(work(&["app/tests/unit/x.rs"]), some(&[binary("app::unit")]));
        assert_eq!(
            work(&["app/tests/unit/deep/mod.rs"]),
            some(&[binary("app::unit")])
        );
        assert_eq!(work(&["app/tests/api.rs"]), some(&[binary("app::api")]));
        assert_eq!(
            work(&["app/tests/api/helpers.rs"]),
            some(&[binary("app::api")])
        );
        assert_eq!(
            work(&["app/tests/common/mod.rs"]),
            some(&[PackageTests("app".into())])
        );
        assert_eq!(
            work(&["app/macros/src/lib.rs"]),
            some(&[rdeps("app-macros")]),
            "deepest package wins"
        );
        assert_eq!(work(&["tests/cli.rs"]), some(&[binary("root-app::cli")]));
        assert_eq!(
            work(&["README.md", "app/README.md", "docs/x.md"]),
            W::Nothing
        );
        assert_eq!(
            work(&["core/src/lib.rs", "app/tests/unit/x.rs"]),
            some(&[binary("app::unit"), rdeps("core")])
        );
        for everything in [
            "Cargo.lock",
            "app/Cargo.toml",
            "core/build.rs",
            "budget.toml",
            ".config/nextest.toml",
            "rust-toolchain.toml",
            ".cargo/config.toml",
        ] {
            assert!(work(&[everything]) == W::Everything, "{everything}");
        }
    }

    #[test]
    fn names_with_spaces_quotes_and_non_ascii() {
        assert_eq!(
            work(&["app/tests/unit/sp ace \"q\" é.rs"]),
            some(&[binary("app::unit")])
        );
        assert_eq!(work(&["core/src/données (v2).rs"]), some(&[rdeps("core")]));
    }

    #[test]
    fn quick_relevance() {
        for yes in [
            "a/src/lib.rs",
            "x.rs",
            "Cargo.lock",
            "app/tests/data/in.json",
            ".cargo/config.toml",
        ] {
            assert!(maybe_relevant(Path::new(yes)), "{yes}");
        }
        for no in ["README.md", "docs/guide.md", ".github/workflows/ci.yml"] {
            assert!(!maybe_relevant(Path::new(no)), "{no}");
        }
    }
}
