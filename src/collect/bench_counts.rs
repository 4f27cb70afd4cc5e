//! Instruction counts of criterion benchmarks, after each timed run: the benchmarks that run
//! measured and that are wanted (`bench --instructions`: all; else those of a capability with an
//! instruction budget) run once more each, in criterion's test mode under Valgrind. Each count
//! goes on its result; one that cannot be made is a [`NotCounted`] with the reason, never a
//! silent gap and never a count of 0.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Capability;
use crate::criterion::{self, BenchSelection, BenchTarget};
use crate::error::Error;
use crate::model::{BenchResult, NotCounted};
use crate::session::Session;

/// Which benchmarks are counted.
#[derive(Clone, Debug, Default)]
pub struct CountSelection {
    /// Every benchmark (`--instructions`).
    pub all: bool,
    /// The capabilities with an instruction budget: their benchmarks are counted.
    pub capabilities: Vec<Capability>,
    /// Counts per benchmark per run: 2 for a baseline of one run, so that a benchmark whose
    /// count moves is known to be nondeterministic (as a test's baseline counts twice).
    pub per_run: u32,
}

impl CountSelection {
    /// `--instructions`, and the capabilities of `config` that have an instruction budget;
    /// `per_run` counts of each benchmark per run.
    pub fn of(all: bool, capabilities: &[Capability], per_run: u32) -> CountSelection {
        CountSelection {
            all,
            per_run: per_run.max(1),
            capabilities: capabilities
                .iter()
                .filter(|c| c.instructions.is_some())
                .cloned()
                .collect(),
        }
    }

    pub fn wants(&self, id: &str) -> bool {
        self.all || self.capabilities.iter().any(|c| c.covers(id))
    }

    pub fn any(&self) -> bool {
        self.all || !self.capabilities.is_empty()
    }
}

/// What the counting of a bench run needs: found once, kept across runs.
pub(super) struct Counter<'a> {
    which: &'a CountSelection,
    /// Valgrind, or why it does not run here.
    valgrind: Option<Result<PathBuf, String>>,
    /// Each target's executable, once built.
    executables: Option<BTreeMap<String, PathBuf>>,
    pub not_counted: Vec<NotCounted>,
}

impl<'a> Counter<'a> {
    pub fn new(which: &'a CountSelection) -> Counter<'a> {
        Counter {
            which,
            valgrind: None,
            executables: None,
            not_counted: Vec::new(),
        }
    }

    fn not_counted(&mut self, n: NotCounted) {
        if !self.not_counted.contains(&n) {
            self.not_counted.push(n);
        }
    }

    /// Counts the wanted benchmarks of one run's `results` (of `targets`), adding each count to
    /// its result.
    pub fn count(
        &mut self,
        session: &Session<'_>,
        sel: &BenchSelection,
        targets: &[BenchTarget],
        results: &mut [BenchResult],
    ) -> Result<(), Error> {
        let wanted: Vec<usize> = (0..results.len())
            .filter(|&i| self.which.wants(&results[i].id))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let valgrind = match self.valgrind.get_or_insert_with(crate::valgrind::find) {
            Ok(v) => v.clone(),
            Err(reason) => {
                let reason = reason.clone();
                for i in wanted {
                    let target = results[i].target.clone().unwrap_or_default();
                    self.not_counted(NotCounted {
                        target,
                        benchmark: None,
                        reason: reason.clone(),
                    });
                }
                return Ok(());
            }
        };
        if self.executables.is_none() {
            let found = criterion::count::executables(&session.cwd, sel, targets)?;
            self.executables = Some(found.into_iter().collect());
        }
        let dir = tempfile::tempdir().map_err(|source| Error::Io {
            what: "failed to create a directory for Callgrind's profiles".into(),
            source,
        })?;
        let profile = dir.path().join("callgrind.out");
        for (k, &i) in wanted.iter().enumerate() {
            if crate::interrupt::requested() {
                return Err(Error::Interrupted);
            }
            let r = &mut results[i];
            let target = r.target.clone().unwrap_or_default();
            session.ui().note(
                "Counting",
                &format!(
                    "{} under Valgrind (benchmark {} of {})",
                    crate::text::shown(&r.id),
                    k + 1,
                    wanted.len()
                ),
            );
            let exe = self.executables.as_ref().and_then(|e| e.get(&target));
            let cwd = targets.iter().find(|t| t.id() == target);
            let counted = match (exe, cwd) {
                (Some(exe), Some(t)) => (0..self.which.per_run)
                    .map(|_| {
                        criterion::count::count(&valgrind, exe, &t.manifest_dir, &r.id, &profile)
                    })
                    .collect::<Result<Vec<u64>, String>>(),
                _ => Err(format!(
                    "cargo named no bench executable for `{target}` (`cargo bench --no-run \
                     --message-format json`)"
                )),
            };
            match counted {
                Ok(n) => r.instructions.extend(n),
                Err(reason) => {
                    let benchmark = Some(r.id.clone());
                    self.not_counted(NotCounted {
                        target,
                        benchmark,
                        reason,
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_is_every_benchmark_or_those_of_capabilities_with_instruction_budgets() {
        let cap = |name: &str, glob: &str, instructions: Option<u64>| Capability {
            name: name.into(),
            benches: vec![glob.into()],
            instructions,
            ..Capability::default()
        };
        let caps = [
            cap("scaled", "scaled/**", Some(2_000_000)),
            cap("timed", "spin/*", None),
        ];
        let some = CountSelection::of(false, &caps, 1);
        assert!(some.any());
        assert!(some.wants("scaled/work/1000"));
        assert!(
            !some.wants("spin/fixed"),
            "its capability has no instruction budget"
        );
        let all = CountSelection::of(true, &caps, 1);
        assert!(all.wants("spin/fixed") && all.wants("steady"));
        let none = CountSelection::of(false, &caps[1..], 1);
        assert!(!none.any() && !none.wants("scaled/work/1000"));
    }
}
