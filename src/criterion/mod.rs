//! The benchmark adapter (a sibling of `nextest/`): runs `cargo bench` one bench target at a
//! time, so every result is known to come from its target, and reads what criterion wrote.

pub mod count;
pub mod hyperfine;
pub mod read;
pub(crate) mod watch;

use std::path::{Path, PathBuf};

use crate::model::{BenchResult, NotMeasured};
use crate::nextest::command::Invocation;
use crate::workspace::Workspace;

pub use read::CriterionError;

/// What to benchmark: packages, bench targets, and the arguments for the bench binaries
/// (a filter, criterion's own options).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BenchSelection {
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub benches: Vec<String>,
    pub features: Vec<String>,
    pub all_features: bool,
    pub cargo_profile: Option<String>,
    /// After `--`: given to every bench binary.
    pub harness_args: Vec<String>,
}

/// A bench target of the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchTarget {
    pub package: String,
    /// The package's version: `-p name@version` is unambiguous when a dependency has the same
    /// name (itoa's benches depend on another itoa through criterion).
    pub version: String,
    pub name: String,
    pub src_path: PathBuf,
    /// The package's directory: where cargo runs its bench executables.
    pub manifest_dir: PathBuf,
}

impl BenchTarget {
    /// The package as `cargo -p` takes it unambiguously.
    pub fn spec(&self) -> String {
        format!("{}@{}", self.package, self.version)
    }

    /// nextest's binary id for it: `pkg::bench/name`.
    pub fn id(&self) -> String {
        format!("{}::bench/{}", self.package, self.name)
    }
}

/// The bench targets the selection names, in workspace order.
pub(crate) fn targets(ws: &Workspace, sel: &BenchSelection) -> Vec<BenchTarget> {
    let mut out = Vec::new();
    for p in &ws.packages {
        if !sel.packages.is_empty() && !sel.packages.contains(&p.name) {
            continue;
        }
        for t in p
            .targets
            .iter()
            .filter(|t| t.kinds.iter().any(|k| k == "bench"))
        {
            if !sel.benches.is_empty() && !sel.benches.contains(&t.name) {
                continue;
            }
            out.push(BenchTarget {
                package: p.name.clone(),
                version: p.version.clone(),
                name: t.name.clone(),
                src_path: t.src_path.clone(),
                manifest_dir: p.manifest_dir.clone(),
            });
        }
    }
    out
}

fn cargo_args(sel: &BenchSelection, first: &str) -> Vec<String> {
    let mut args = vec!["bench".to_string(), first.to_string()];
    if let Some(m) = &sel.manifest_path {
        args.extend(["--manifest-path".into(), m.to_string_lossy().into_owned()]);
    }
    for f in &sel.features {
        args.extend(["--features".into(), f.clone()]);
    }
    if sel.all_features {
        args.push("--all-features".into());
    }
    if let Some(p) = &sel.cargo_profile {
        args.extend(["--profile".into(), p.clone()]);
    }
    args
}

/// `cargo bench --no-run` for every target: one build, errors reported once.
pub fn build_invocation(cwd: &Path, sel: &BenchSelection, targets: &[BenchTarget]) -> Invocation {
    let mut args = cargo_args(sel, "--no-run");
    for t in targets {
        args.extend(["-p".into(), t.spec(), "--bench".into(), t.name.clone()]);
    }
    Invocation::cargo(cwd, args)
}

/// `cargo bench -p PKG --bench NAME -- ARGS` for one target.
pub fn run_invocation(cwd: &Path, sel: &BenchSelection, target: &BenchTarget) -> Invocation {
    let mut args = cargo_args(sel, "-p");
    args.insert(2, target.spec());
    args.extend(["--bench".into(), target.name.clone()]);
    if !sel.harness_args.is_empty() {
        args.push("--".into());
        args.extend(sel.harness_args.iter().cloned());
    }
    Invocation::cargo(cwd, args)
}

/// Where criterion writes: `$CRITERION_HOME`, else `<target-dir>/criterion`.
pub(crate) fn criterion_dir(ws: &Workspace) -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| ws.target_dir.join("criterion"))
}

/// What running the benches yielded.
#[derive(Debug, Default)]
pub struct Ran {
    pub results: Vec<BenchResult>,
    pub not_measured: Vec<NotMeasured>,
    /// Targets whose run failed (`cargo bench` exited non-zero).
    pub failed: Vec<NotMeasured>,
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("`{command}` failed (exit code {code}): the benches did not build")]
    Build { command: String, code: i32 },
    #[error("failed to run `{command}`")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Criterion(#[from] CriterionError),
}

fn exit_code(inv: &Invocation) -> Result<i32, BenchError> {
    let out = inv
        .expression()
        .stdout_to_stderr()
        .run()
        .map_err(|source| BenchError::Spawn {
            command: inv.display(),
            source,
        })?;
    Ok(out.status.code().unwrap_or(-1))
}

/// Builds, then runs each target in turn, telling `observer` what runs, and reads the results
/// criterion wrote during that target's run.
pub(crate) fn run(
    ws: &Workspace,
    cwd: &Path,
    sel: &BenchSelection,
    targets: &[BenchTarget],
    observer: &dyn watch::Observer,
) -> Result<Ran, BenchError> {
    let build = build_invocation(cwd, sel, targets);
    let code = exit_code(&build)?;
    if code != 0 {
        return Err(BenchError::Build {
            command: build.display(),
            code,
        });
    }
    let dir = criterion_dir(ws);
    let mut ran = Ran::default();
    let mut seen = Seen::default();
    for (k, target) in targets.iter().enumerate() {
        let inv = run_invocation(cwd, sel, target);
        observer.target(k + 1, targets.len(), target, &inv.display());
        let since = std::time::SystemTime::now();
        let code = watch::run(&inv, observer)?;
        if crate::interrupt::requested() {
            break;
        }
        if code != 0 {
            ran.failed.push(NotMeasured {
                target: target.id(),
                reason: format!("`{}` exited with code {code}", inv.display()),
            });
            continue;
        }
        let found = match dir.exists() {
            true => read::read_all(&dir, Some(since))?,
            false => Vec::new(),
        };
        let fresh = attribute(found, target, &dir, &mut seen)?;
        if fresh.is_empty() {
            ran.not_measured.push(NotMeasured {
                target: target.id(),
                reason: not_measured_reason(sel, &dir),
            });
        }
        ran.results.extend(fresh);
    }
    ran.results.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(ran)
}

/// Each benchmark read so far: its target and samples.
type Seen = std::collections::HashMap<String, (String, Vec<f64>)>;

/// The results read after `target` ran, as its own. criterion keeps one directory per
/// `full_id`, so a benchmark an earlier target wrote and this one measured again is an error
/// naming both; the same samples read again are the same file (its time off when the disk's
/// clock is), not a second measurement, and are not this target's.
fn attribute(
    found: Vec<BenchResult>,
    target: &BenchTarget,
    dir: &Path,
    seen: &mut Seen,
) -> Result<Vec<BenchResult>, BenchError> {
    let mut fresh = Vec::with_capacity(found.len());
    for r in found {
        if let Some((first, samples)) = seen.get(&r.id) {
            if *samples == r.samples {
                continue;
            }
            return Err(CriterionError::Duplicate {
                id: r.id,
                first: format!("bench target `{first}`"),
                second: format!("`{}` (under `{}`)", target.id(), dir.display()),
            }
            .into());
        }
        seen.insert(r.id.clone(), (target.id(), r.samples.clone()));
        fresh.push(BenchResult {
            target: Some(target.id()),
            ..r
        });
    }
    Ok(fresh)
}

fn not_measured_reason(sel: &BenchSelection, dir: &Path) -> String {
    let filtered = match sel.harness_args.is_empty() {
        true => String::new(),
        false => format!(
            ", or the arguments `{}` matched none",
            sel.harness_args.join(" ")
        ),
    };
    format!(
        "it wrote no criterion results under `{}` (not a criterion bench: libtest `#[bench]` \
         or a custom harness{filtered})",
        dir.display()
    )
}
