//! Criterion benchmarks as evidence: the selected bench targets built and run one at a time
//! (`runs` times, each benchmark's runs combined), or results that exist (criterion directories,
//! hyperfine exports), with the contract they were measured under and where each is defined.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::criterion::{self, BenchSelection};
use crate::error::Error;
use crate::model::{BenchContract, BenchResult, TestsPeak};
use crate::policy::bench::Benchmarks;
use crate::session::Session;
use crate::workspace::Workspace;

/// Results, where they came from, and the contract they were measured under.
pub struct Measured {
    pub results: Vec<BenchResult>,
    pub not_measured: Vec<crate::model::NotMeasured>,
    pub failed: Vec<crate::model::NotMeasured>,
    /// Benchmarks (or targets) whose instructions were wanted but not counted.
    pub not_counted: Vec<crate::model::NotCounted>,
    pub contract: BenchContract,
    /// Bench target id → its source file.
    pub sources: Vec<(String, PathBuf)>,
}

impl Measured {
    /// The benchmarks as policy judges them, with their capabilities' tests' `peaks` and
    /// where each is defined in `ws`.
    pub fn evidence(self, ws: &Workspace, peaks: Vec<(String, TestsPeak)>) -> Benchmarks {
        let locations = locate(ws, &self);
        Benchmarks {
            results: self.results,
            not_measured: self.not_measured,
            failed: self.failed,
            not_counted: self.not_counted,
            contract: self.contract,
            peaks,
            locations,
        }
    }
}

/// Builds and runs the selected bench targets, one at a time.
/// `runs` times (each benchmark's runs combined, each run's `counted` benchmarks counted under
/// Valgrind after it); `known`: how many benchmarks each target has, for the progress.
pub fn run(
    session: &Session<'_>,
    sel: &BenchSelection,
    runs: u32,
    known: BTreeMap<String, usize>,
    counted: &super::bench_counts::CountSelection,
) -> Result<Measured, Error> {
    let (ui, ws) = (session.ui(), &session.ws);
    let targets = criterion::targets(ws, sel);
    if targets.is_empty() {
        return Err(Error::Usage(format!(
            "no bench targets to run in {}{}",
            ws.root.display(),
            match sel.benches.is_empty() && sel.packages.is_empty() {
                true => " (add a `benches/` file with criterion)".to_string(),
                false => " matching the selection".to_string(),
            }
        )));
    }
    let mut known = known;
    let mut all = Vec::new();
    let mut ran = criterion::Ran::default();
    let mut counter = super::bench_counts::Counter::new(counted);
    for k in 1..=runs {
        if runs > 1 {
            ui.note("Measuring", &format!("run {k} of {runs}"));
        }
        let progress = ui.bench_progress(session.settings.ci);
        let watch = Watch {
            progress: &progress,
            known: &known,
        };
        let result = criterion::run(ws, &session.cwd, sel, &targets, &watch);
        progress.finish();
        ran = result?;
        if crate::interrupt::requested() {
            return Err(Error::Interrupted);
        }
        known = per_target(&ran.results);
        counter.count(session, sel, &targets, &mut ran.results)?;
        all.push(std::mem::take(&mut ran.results));
    }
    ran.results = crate::policy::bench::runs::combine(all);
    if ran.results.is_empty() && ran.failed.is_empty() {
        let why: Vec<String> = ran
            .not_measured
            .iter()
            .map(|n| format!("{}: {}", n.target, n.reason))
            .collect();
        return Err(Error::Usage(format!(
            "no criterion results: looked for `*/new/benchmark.json` written during the run \
             under `{}`\n  {}",
            criterion::criterion_dir(ws).display(),
            why.join("\n  ")
        )));
    }
    Ok(Measured {
        results: ran.results,
        not_measured: ran.not_measured,
        failed: ran.failed,
        not_counted: counter.not_counted,
        contract: super::contract::bench_current(
            &session.cwd,
            &ws.root,
            sel.cargo_profile.as_deref(),
        ),
        sources: targets
            .iter()
            .map(|t| (t.id(), t.src_path.clone()))
            .collect(),
    })
}

/// How many benchmarks each bench target has, from results that name their target.
pub fn per_target(results: &[BenchResult]) -> BTreeMap<String, usize> {
    let mut n = BTreeMap::new();
    for target in results.iter().filter_map(|r| r.target.clone()) {
        *n.entry(target).or_insert(0) += 1;
    }
    n
}

/// Passes what a benchmark run does to the progress display.
struct Watch<'a> {
    progress: &'a crate::ui::progress::BenchProgress,
    /// Benchmarks per target, when known.
    known: &'a BTreeMap<String, usize>,
}

impl criterion::watch::Observer for Watch<'_> {
    fn target(&self, k: usize, n: usize, target: &criterion::BenchTarget, command: &str) {
        let id = target.id();
        let expected = self.known.get(&id).copied();
        self.progress.target(&id, k, n, expected, command);
    }

    fn benchmark(&self, id: &str) {
        self.progress.benchmark(id);
    }

    fn line(&self, line: &str, phase: bool) {
        self.progress.output(line, phase);
    }
}

/// Results measured elsewhere: criterion directories and hyperfine exports. Their contract is
/// unknown. A benchmark in two of them is an error naming both, never one of them kept.
pub fn files(paths: &[PathBuf]) -> Result<Measured, Error> {
    let mut results = Vec::new();
    let mut sources: BTreeMap<String, &Path> = BTreeMap::new();
    for path in paths {
        let found = match path.is_dir() {
            true => criterion::read::read_all(path, None),
            false => criterion::hyperfine::read(path),
        }
        .map_err(criterion::BenchError::from)?;
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "no benchmark results in `{}` (looked for criterion's `*/new/benchmark.json`)",
                path.display()
            )));
        }
        for r in &found {
            if let Some(first) = sources.insert(r.id.clone(), path) {
                return Err(
                    criterion::BenchError::from(criterion::CriterionError::Duplicate {
                        id: r.id.clone(),
                        first: format!("`{}`", first.display()),
                        second: format!("`{}`", path.display()),
                    })
                    .into(),
                );
            }
        }
        results.extend(found);
    }
    results.sort_by(|a, b| a.id.cmp(&b.id));
    let unknown = crate::model::contract::unknown;
    Ok(Measured {
        results,
        not_measured: Vec::new(),
        failed: Vec::new(),
        not_counted: Vec::new(),
        contract: BenchContract {
            rustc: unknown(),
            target: unknown(),
            cpus: 0,
            cpu: unknown(),
            profile: unknown(),
            rustflags: unknown(),
            criterion: unknown(),
        },
        sources: Vec::new(),
    })
}

/// Where each benchmark is defined: its target's source file (relative to the repository),
/// at the first line naming it in a string literal.
fn locate(
    ws: &Workspace,
    measured: &Measured,
) -> std::collections::BTreeMap<String, (PathBuf, usize)> {
    let roots = super::annotation_roots(&ws.root);
    let mut out = std::collections::BTreeMap::new();
    for r in &measured.results {
        let Some(src) = r
            .target
            .as_ref()
            .and_then(|t| measured.sources.iter().find(|(id, _)| id == t))
            .map(|(_, src)| src)
        else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(src) else {
            continue;
        };
        let names = [Some(&r.id), r.function.as_ref(), Some(&r.group)];
        let line = names.into_iter().flatten().find_map(|name| {
            let literal = format!("\"{name}\"");
            text.lines().position(|l| l.contains(&literal))
        });
        if let Some(line) = line {
            let file = src.strip_prefix(&ws.root).unwrap_or(src);
            out.insert(r.id.clone(), (roots.from_repository(file), line + 1));
        }
    }
    out
}
