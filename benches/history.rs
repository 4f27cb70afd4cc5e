//! The history's cost: bytes per recorded 10,000-test run (the JSON line, and the git object
//! as stored, zlib-compressed), and the time to read 500 recorded commits and analyse their
//! trends. Targets (design §13): well under a megabyte per commit; reading 500 < 1 s.
//!
//! Run: `cargo bench --bench history`.

#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::time::Instant;

use cargo_budget::history::record::{HistoryRecord, RecordKind, SCHEMA, TestEntry, TierRecord};
use cargo_budget::history::{series, store};
use cargo_budget::policy::trend::{TrendSettings, analyze};

/// A record of `tests` tests in 50 binaries, with realistic names and times.
fn record(tests: usize, seed: u64) -> HistoryRecord {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut by_binary: BTreeMap<String, Vec<TestEntry>> = BTreeMap::new();
    for k in 0..tests {
        let binary = format!("my-crate-{}::integration", k % 50);
        let name = format!(
            "module_{}::submodule_{}::handles_case_number_{k}",
            k % 37,
            k % 11
        );
        let ms = (5.0 + 300.0 * rng.f64()) * 10.0;
        by_binary.entry(binary).or_default().push(TestEntry(
            name,
            Some(ms.round() / 10.0),
            "p".into(),
            (k % 3) as u16,
            [1000, 10_000, 30_000][k % 3],
            None,
        ));
    }
    let tier = |name: &str, budget_ms| TierRecord {
        tier: name.into(),
        budget_ms,
        tests: (tests / 3) as u32,
        violations: 3,
        failed: 0,
        slowest: Some(("my-crate-1::integration module_1::slow".into(), 1500.0)),
    };
    HistoryRecord {
        schema: SCHEMA,
        kind: RecordKind::Tests,
        timestamp: "2026-12-02T04:00:00Z".into(),
        dirty: false,
        context: "ci".into(),
        contract: None,
        wall_ms: Some(83_000),
        tiers: vec![
            tier("unit", 1000),
            tier("integration", 10_000),
            tier("e2e", 30_000),
        ],
        findings: [("over-budget".to_string(), 9)].into_iter().collect(),
        tests: by_binary,
        benches: Vec::new(),
    }
}

/// A repository with `n` empty commits on `main`; their ids, oldest first.
fn repository(dir: &std::path::Path, n: usize) -> Vec<git2::Oid> {
    let repo = git2::Repository::init(dir).unwrap();
    let sig = git2::Signature::now("bench", "bench@example.invalid").unwrap();
    let tree = repo
        .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
        .unwrap();
    let mut parent: Option<git2::Commit> = None;
    let mut ids = Vec::new();
    for i in 0..n {
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = repo
            .commit(
                Some("HEAD"),
                &sig,
                &sig,
                &format!("commit {i}"),
                &tree,
                &parents,
            )
            .unwrap();
        ids.push(id);
        parent = Some(repo.find_commit(id).unwrap());
    }
    ids
}

fn main() {
    // Bytes per 10,000-test run.
    let dir = tempfile::tempdir().unwrap();
    let ids = repository(dir.path(), 1);
    let big = record(10_000, 1);
    let line = big.to_line();
    store::append(dir.path(), &ids[0].to_string(), &big).unwrap();
    let repo = git2::Repository::open(dir.path()).unwrap();
    let note = repo.find_note(Some(store::NOTES_REF), ids[0]).unwrap();
    let blob = note.id().to_string();
    let loose = dir
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    let stored = std::fs::metadata(&loose).map(|m| m.len()).unwrap_or(0);
    println!(
        "history: a 10,000-test run is {} bytes of JSON ({:.1} per test), {} bytes stored by git \
         (zlib, {:.1} per test)",
        line.len(),
        line.len() as f64 / 10_000.0,
        stored,
        stored as f64 / 10_000.0
    );

    // Reading 500 recorded commits of 1,000 tests each.
    let dir = tempfile::tempdir().unwrap();
    let ids = repository(dir.path(), 500);
    for (i, id) in ids.iter().enumerate() {
        store::append(dir.path(), &id.to_string(), &record(1_000, i as u64)).unwrap();
    }
    let mut reads = Vec::new();
    let mut analyses = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let (history, problems) = store::read(dir.path(), 500).unwrap();
        reads.push(started.elapsed());
        assert_eq!((history.len(), problems.len()), (500, 0));
        let started = Instant::now();
        let all = series::series(&history);
        let (trends, _) = analyze(&all, TrendSettings::default());
        analyses.push(started.elapsed());
        assert_eq!(trends.len(), 1_000);
    }
    reads.sort();
    analyses.sort();
    println!(
        "history: reading 500 recorded commits (1,000 tests each): median {:.3} s of 5 \
         (min {:.3} s); series and trends of the 1,000 tests: median {:.3} s",
        reads[2].as_secs_f64(),
        reads[0].as_secs_f64(),
        analyses[2].as_secs_f64()
    );
}
