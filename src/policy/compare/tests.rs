//! The comparison of a run with its baseline: thresholds, the noise floor, the suite factor,
//! other contracts, tier thresholds and CPU time. Re-runs alone and bands: `confirm_tests`.

use std::time::Duration;

use super::*;
use crate::policy::noise::Spread;

pub(super) fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

fn spread(v: &[u64]) -> Spread {
    Spread::of(v.iter().map(|&m| ms(m)).collect()).unwrap()
}

pub(super) fn id(name: &str) -> TestId {
    TestId::new("p::unit", name)
}

const T: Regression = Regression {
    warn: 0.10,
    fail: 0.25,
    noise_floor: Duration::from_millis(20),
    confirm_runs: 3,
    instructions: crate::config::CountThresholds {
        warn: 0.01,
        fail: 0.03,
    },
};

/// Compares `now` against `before` (name → runs); `None` runs: in the baseline, not a
/// reference.
fn run(
    before: &[(&str, Option<&[u64]>)],
    now: &[(&str, &[u64])],
    differences: &[&str],
) -> Comparison {
    compare_with(before, now, differences, 0)
}

/// Like [`run`], with `steady` more tests that ran as fast as in the baseline (the rest of a
/// suite on an unchanged machine: the suite factor stays 1).
pub(super) fn compare_with(
    before: &[(&str, Option<&[u64]>)],
    now: &[(&str, &[u64])],
    differences: &[&str],
    steady: usize,
) -> Comparison {
    let mut baseline: Vec<(TestId, Option<Spread>)> =
        before.iter().map(|(n, s)| (id(n), s.map(spread))).collect();
    let mut current: BTreeMap<TestId, Spread> =
        now.iter().map(|(n, s)| (id(n), spread(s))).collect();
    for i in 0..steady {
        baseline.push((id(&format!("steady_{i:02}")), Some(spread(&[99, 100, 102]))));
        current.insert(id(&format!("steady_{i:02}")), spread(&[100]));
    }
    compare(Inputs {
        baseline: baseline.into_iter().collect(),
        current: current
            .iter()
            .map(|(id, s)| Current {
                id,
                runs: Runs::Several(s),
                thresholds: &T,
            })
            .collect(),
        not_passed: Vec::new(),
        existing: None,
        thresholds: T,
        differences: differences.iter().map(|d| d.to_string()).collect(),
        baseline_commit: None,
        baseline_created: String::new(),
        peaks: Default::default(),
        cpu_ms: Default::default(),
        counts: Default::default(),
    })
}

/// The calls other than `Same`, by name (only those are kept).
pub(super) fn calls(c: &Comparison) -> Vec<(String, Call)> {
    let mut out: Vec<_> = c
        .deltas
        .iter()
        .map(|d| (d.id.name.clone(), d.call))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub(super) fn slower(level: Level, held: Option<Held>) -> Call {
    Call::Slower { level, held }
}

pub(super) const TIGHT: &[u64] = &[195, 200, 205];

#[test]
fn thresholds_spread_floor_and_every_run() {
    let c = compare_with(
        &[
            ("a_inside", Some(TIGHT)),
            ("b_warn", Some(TIGHT)),
            ("c_fail", Some(TIGHT)),
            ("d_one_fast_run", Some(TIGHT)),
            ("e_every_run", Some(TIGHT)),
            ("f_faster", Some(TIGHT)),
            ("g_seen", Some(&[150, 200, 240])),
            ("h_tiny", Some(&[9, 10, 11])),
            ("k_past_by_little", Some(&[20, 39, 19])),
            ("i_noisy", Some(&[88, 215, 436])),
            ("j_noisy_inside", Some(&[88, 215, 436])),
            ("l_noisy_warn", Some(&[88, 215, 436])),
            ("was_failing", None),
        ],
        &[
            ("a_inside", &[205]),                 // +2.5 %, the slowest baseline run
            ("b_warn", &[230]),                   // +15 %
            ("c_fail", &[260]),                   // +30 %
            ("d_one_fast_run", &[210, 260, 265]), // median +30 %, fastest +5 %
            ("e_every_run", &[255, 262, 270]),    // every run over +25 %
            ("f_faster", &[150]),                 // −25 %
            ("g_seen", &[238]),                   // +19 %, but the baseline saw 240
            ("h_tiny", &[25]),                    // +150 %, 15 ms: under the floor
            ("k_past_by_little", &[44]),          // +120 %, but 5 ms past its slowest run
            ("i_noisy", &[1300]), // less its 348 ms spread, +118 % over its band's top (436)
            ("j_noisy_inside", &[600]), // 436 + 38 %, but less its spread inside what it saw
            ("l_noisy_warn", &[1000]), // less its spread +50 % over its top: under twice it
            ("was_failing", &[900]),
            ("new_test", &[10]),
        ],
        &[],
        20,
    );
    // a_inside, g_seen, h_tiny, j_noisy_inside, k_past_by_little (a real quickcheck test's
    // runs under load: 19, 20, 39 ms, then 44 and re-runs of 46–48 ms) and the steady tests
    // are the same: only counted.
    assert_eq!(
        c.compared, 32,
        "was_failing has no reference, new_test no baseline"
    );
    assert_eq!(
        calls(&c),
        [
            ("b_warn".into(), slower(Level::Warn, None)),
            ("c_fail".into(), slower(Level::Fail, None)),
            (
                "d_one_fast_run".into(),
                slower(Level::Warn, Some(Held::NotEveryRun))
            ),
            ("e_every_run".into(), slower(Level::Fail, None)),
            ("f_faster".into(), Call::Faster),
            ("i_noisy".into(), slower(Level::Fail, None)),
            ("l_noisy_warn".into(), slower(Level::Warn, None)),
        ]
    );
    let i_noisy = c.deltas.iter().find(|d| d.id == id("i_noisy")).unwrap();
    assert_eq!(
        i_noisy.basis,
        Basis::Band {
            top: ms(436),
            noise: Noise::Baseline
        }
    );
    // Judged against their band: the three that spread 395 % and g_seen (60 %, 90 ms). h_tiny
    // (9–11 ms) and k_past_by_little (19–39 ms) spread widely in share, but by no more than the
    // 20 ms floor: they are judged on their medians.
    let noisy: Vec<&str> = c.noisy.iter().map(|n| n.id.name.as_str()).collect();
    assert_eq!(
        noisy,
        ["i_noisy", "j_noisy_inside", "l_noisy_warn", "g_seen"]
    );
    assert_eq!(c.new, [id("new_test")]);
    assert!(c.removed.is_empty(), "{:?}", c.removed);
    let f = c.factor.unwrap();
    assert!(!f.applied && f.tests == 30, "{f:?}");
    assert_eq!(c.deltas[0].id, id("i_noisy"), "largest slowdown first");
}

#[test]
fn a_slower_machine_is_one_factor_not_many_regressions() {
    // Twenty tests 1.5× slower (the machine), one 3× slower (a regression on top of it).
    let mut before: Vec<(String, Vec<u64>)> = (0..20)
        .map(|i| (format!("t{i:02}"), vec![98, 100, 102]))
        .collect();
    before.push(("z_real".into(), vec![98, 100, 102]));
    let mut now: Vec<(String, Vec<u64>)> = (0..20)
        .map(|i| (format!("t{i:02}"), vec![140 + i]))
        .collect();
    now.push(("z_real".into(), vec![300]));
    let b: Vec<(&str, Option<&[u64]>)> = before
        .iter()
        .map(|(n, s)| (n.as_str(), Some(s.as_slice())))
        .collect();
    let n: Vec<(&str, &[u64])> = now
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_slice()))
        .collect();
    let c = run(&b, &n, &[]);
    let f = c.factor.unwrap();
    assert!(f.applied && (f.ratio - 1.5).abs() < 0.01, "{f:?}");
    let flagged: Vec<_> = c
        .deltas
        .iter()
        .map(|d| (d.id.name.as_str(), d.call))
        .collect();
    assert_eq!(flagged, [("z_real", slower(Level::Fail, None))]);
    assert_eq!(c.compared, 21);
    assert!((c.deltas[0].scale - f.ratio).abs() < 1e-9);

    // The same run without the machine's slowdown: every one of them would be a regression.
    let n: Vec<(&str, &[u64])> = now
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_slice()))
        .collect();
    let b: Vec<(&str, Option<&[u64]>)> = before
        .iter()
        .take(3)
        .map(|(n, s)| (n.as_str(), Some(s.as_slice())))
        .collect();
    let few = run(&b, &n[..3], &[]);
    assert_eq!(
        few.factor, None,
        "three tests say nothing about the machine"
    );
    assert!(few.deltas.iter().all(|d| d.level() == Some(Level::Fail)));
}

#[test]
fn a_stable_test_thirty_percent_slower_fails_on_an_unchanged_machine() {
    let mut before: Vec<(String, Vec<u64>)> = (0..30)
        .map(|i| {
            (
                format!("t{i:02}"),
                vec![50 + 10 * i, 52 + 10 * i, 55 + 10 * i],
            )
        })
        .collect();
    before.push(("sleepy".into(), vec![1502, 1505, 1511]));
    let mut now: Vec<(String, Vec<u64>)> = (0..30)
        .map(|i| {
            (
                format!("t{i:02}"),
                vec![(51 + 10 * i) * if i % 2 == 0 { 109 } else { 95 } / 100],
            )
        })
        .collect();
    now.push(("sleepy".into(), vec![1960]));
    let b: Vec<(&str, Option<&[u64]>)> = before
        .iter()
        .map(|(n, s)| (n.as_str(), Some(s.as_slice())))
        .collect();
    let n: Vec<(&str, &[u64])> = now
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_slice()))
        .collect();
    let mut c = run(&b, &n, &[]);
    assert!(!c.factor.unwrap().applied);
    assert_eq!(c.to_confirm(50), [id("sleepy")]);
    let times = BTreeMap::from([(id("sleepy"), vec![ms(1957), ms(1961), ms(1958)])]);
    c.confirm(&times, 3);
    let d = c.deltas.iter().find(|d| d.id == id("sleepy")).unwrap();
    assert_eq!(d.call, slower(Level::Fail, None));
    assert_eq!(d.reruns.as_ref().unwrap().min, ms(1957));
    assert_eq!(c.reruns, 3);
}

#[test]
fn another_contract_caps_at_warn_and_is_not_rerun() {
    let mut c = run(
        &[("c", Some(TIGHT))],
        &[("c", &[260])],
        &["cpus (baseline `2`, now `8`)"],
    );
    assert_eq!(
        calls(&c),
        [("c".into(), slower(Level::Warn, Some(Held::NotComparable)))]
    );
    assert!(c.to_confirm(50).is_empty());
}

#[test]
fn removed_are_the_baseline_tests_that_did_not_run() {
    let before: Vec<(String, Vec<u64>)> =
        (0..2_000).map(|i| (format!("t{i}"), vec![100])).collect();
    let b: Vec<(&str, Option<&[u64]>)> = before
        .iter()
        .map(|(n, s)| (n.as_str(), Some(s.as_slice())))
        .collect();
    let now: Vec<(&str, &[u64])> = b.iter().skip(1).map(|(n, _)| (*n, &[100u64][..])).collect();
    let c = run(&b, &now, &[]);
    assert_eq!(c.removed, [id("t0")]);
    assert_eq!((c.compared, c.deltas.len()), (1_999, 0));
}

#[test]
fn a_tier_with_wider_thresholds_tolerates_its_noisy_tests() {
    let stress = Regression { fail: 2.0, ..T };
    let baseline: References = [
        (id("stress_spins"), Some(spread(&[200, 300, 400]))),
        (id("plain_spins"), Some(spread(&[200, 300, 400]))),
    ]
    .into_iter()
    .collect();
    let (a, b) = (id("stress_spins"), id("plain_spins"));
    let c = compare(Inputs {
        baseline,
        current: vec![
            Current {
                id: &a,
                runs: Runs::One(ms(750)),
                thresholds: &stress,
            },
            Current {
                id: &b,
                runs: Runs::One(ms(750)),
                thresholds: &T,
            },
        ],
        not_passed: Vec::new(),
        existing: None,
        thresholds: T,
        differences: Vec::new(),
        baseline_commit: None,
        baseline_created: String::new(),
        peaks: Default::default(),
        cpu_ms: Default::default(),
        counts: Default::default(),
    });
    // +150 %: under the 25 % threshold it is noisy, and less its spread 38 % over the top of
    // its band (400 ms): a warning, under twice its top; under its tier's 200 % it is steady,
    // and a warning on its median.
    assert_eq!(
        calls(&c),
        [
            ("plain_spins".into(), slower(Level::Warn, None)),
            ("stress_spins".into(), slower(Level::Warn, None)),
        ]
    );
    let basis = |t: &TestId| c.deltas.iter().find(|d| d.id == *t).unwrap().basis;
    assert!(matches!(basis(&b), Basis::Band { .. }), "{:?}", basis(&b));
    assert_eq!(basis(&a), Basis::Median);
    assert_eq!(
        c.deltas.iter().find(|d| d.id == a).unwrap().thresholds,
        stress
    );
}

#[test]
fn cpu_bound_slowdowns_without_more_cpu_time_are_held_at_warn() {
    // Four tests twice as slow in wall time. `busy`: CPU-bound (500 of 500 ms), its CPU time
    // the same now: the machine. `work`: CPU-bound, its CPU time doubled: the code. `sleeps`:
    // not CPU-bound (5 of 500 ms). `unknown`: no CPU time.
    let before: &[(&str, Option<&[u64]>)] = &[
        ("busy", Some(&[500, 500, 505])),
        ("work", Some(&[500, 500, 505])),
        ("sleeps", Some(&[500, 500, 505])),
        ("unknown", Some(&[500, 500, 505])),
    ];
    let now: &[(&str, &[u64])] = &[
        ("busy", &[1000, 1000, 1010]),
        ("work", &[1000, 1000, 1010]),
        ("sleeps", &[1000, 1000, 1010]),
        ("unknown", &[1000, 1000, 1010]),
    ];
    let mut c = compare_with(before, now, &[], 12);
    assert!(
        calls(&c)
            .iter()
            .all(|(_, call)| *call == slower(Level::Fail, None)),
        "{:?}",
        calls(&c)
    );
    // CPU time (ms) in the baseline and now; `unknown` has none.
    let mut run = crate::model::Run::default();
    for (name, before, now) in [("busy", 490, 520), ("work", 490, 980), ("sleeps", 5, 5)] {
        c.cpu_before.insert(id(name), before);
        let mut extra = crate::model::Metrics::default();
        extra.set(
            crate::model::Metric::Cpu,
            crate::model::Amount::Time(ms(now)),
        );
        run.results.push(crate::model::TestResult {
            id: id(name),
            outcome: crate::model::Outcome::Passed,
            duration: Some(ms(1000)),
            attempts: 1,
            message: None,
            extra,
        });
    }
    c.hold_by_cpu(&run, T.warn);
    assert_eq!(
        calls(&c),
        [
            ("busy".into(), slower(Level::Warn, Some(Held::CpuUnchanged))),
            ("sleeps".into(), slower(Level::Fail, None)),
            ("unknown".into(), slower(Level::Fail, None)),
            ("work".into(), slower(Level::Fail, None)),
        ]
    );
}

#[test]
fn a_change_over_a_0_ms_baseline_is_measured_from_the_1_ms_resolution() {
    // (after ms, before ms, change)
    let cases = [
        (600, 0, 599.0),
        (1, 0, 0.0),
        (0, 0, -1.0),
        (110, 100, 0.1),
        (50, 100, -0.5),
    ];
    for (after, before, want) in cases {
        let got = change(ms(before), ms(after));
        assert!(
            (got - want).abs() < 1e-9,
            "{after} over {before}: {got}, not {want}"
        );
    }
    let c = run(&[("t", Some(&[0, 0, 0]))], &[("t", &[600])], &[]);
    let d = c.deltas.iter().find(|d| d.id == id("t")).expect("a delta");
    assert!((d.change - 599.0).abs() < 1e-9, "{}", d.change);
}
