//! Policy's door for benchmarks: the benchmarks measured (with their capabilities' tests' peaks
//! and where each is defined) compared with the bench baseline and judged, in one call. A bench
//! verdict waits for no re-run: criterion's samples and the baseline's runs are its noise model.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{BaselineInfo, BenchInputs};
use crate::model::{BenchContract, BenchResult, NotCounted, NotMeasured, TestsPeak};
use crate::policy::{Terms, Verdict};

/// Benchmarks as evidence, whatever their source (run here, criterion directories, hyperfine).
pub struct Benchmarks {
    pub results: Vec<BenchResult>,
    pub not_measured: Vec<NotMeasured>,
    pub failed: Vec<NotMeasured>,
    /// Benchmarks (or targets) whose instructions were wanted but not counted.
    pub not_counted: Vec<NotCounted>,
    /// What they were measured under (every field unknown for files).
    pub contract: BenchContract,
    /// Each capability with a memory budget: its tests' peak, or why it is not known.
    pub peaks: Vec<(String, TestsPeak)>,
    /// Where each benchmark is defined (file relative to the repository, line), when found.
    pub locations: BTreeMap<String, (PathBuf, usize)>,
}

/// A bench baseline as policy reads it.
pub struct BenchRecorded {
    /// A path, or `REF:path` for one read from git.
    pub source: String,
    pub commit: Option<String>,
    pub created: String,
    pub contract: BenchContract,
    pub benchmarks: Vec<BenchResult>,
}

/// Compares `measured` with `baseline` (when there is one: under another contract nothing it
/// finds fails), times and instruction counts alike, and judges the run.
pub fn assess(terms: &Terms<'_>, measured: Benchmarks, baseline: Option<BenchRecorded>) -> Verdict {
    let (comparison, info) = match baseline {
        Some(b) => {
            let differences = b.contract.differences(&measured.contract);
            let mut c = super::compare(&b.benchmarks, &measured.results, terms.config, differences);
            c.counts = super::counts::compare(
                &b.benchmarks,
                &measured.results,
                terms.config.regression.instructions,
            );
            let info = BaselineInfo {
                source: b.source,
                commit: b.commit,
                created: b.created,
            };
            (Some(c), Some(info))
        }
        None => (None, None),
    };
    super::judge(
        terms.config,
        terms.context,
        BenchInputs {
            results: measured.results,
            not_measured: measured.not_measured,
            failed: measured.failed,
            not_counted: measured.not_counted,
            comparison,
            baseline: info,
            peaks: measured.peaks,
            locations: measured.locations,
        },
    )
}
