use super::*;

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

fn spread(v: &[u64]) -> Spread {
    Spread::of(v.iter().map(|&m| ms(m)).collect()).unwrap()
}

fn id(name: &str) -> TestId {
    TestId::new("p::unit", name)
}

const T: Regression = Regression {
    warn: 0.10,
    fail: 0.25,
    noise_floor: Duration::from_millis(20),
    confirm_runs: 3,
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
fn compare_with(
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
    })
}

/// The calls other than `Same`, by name (only those are kept).
fn calls(c: &Comparison) -> Vec<(String, Call)> {
    let mut out: Vec<_> = c
        .deltas
        .iter()
        .map(|d| (d.id.name.clone(), d.call))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn slower(level: Level, held: Option<Held>) -> Call {
    Call::Slower { level, held }
}

const TIGHT: &[u64] = &[195, 200, 205];

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
fn reruns_alone_confirm_dismiss_or_widen_the_band() {
    let base: &[(&str, Option<&[u64]>)] = &[
        ("confirmed", Some(&[1498, 1500, 1506])),
        ("dismissed", Some(&[8, 8, 9])),
        ("spread", Some(&[250, 257, 261])),
        ("softer", Some(&[250, 257, 261])),
        ("flaked", Some(&[250, 257, 261])),
        ("never_passed", Some(&[250, 257, 261])),
    ];
    let now: &[(&str, &[u64])] = &[
        ("confirmed", &[1950]),
        ("dismissed", &[195]),
        ("spread", &[713]),
        ("softer", &[400]),
        ("flaked", &[400]),
        ("never_passed", &[400]),
    ];
    let mut c = compare_with(base, now, &[], 20);
    assert_eq!(
        c.deltas
            .iter()
            .filter(|d| d.level() == Some(Level::Fail))
            .count(),
        6
    );
    assert_eq!(c.to_confirm(50).len(), 6);
    let times = BTreeMap::from([
        (id("confirmed"), vec![ms(1951), ms(1952), ms(1950)]),
        (id("dismissed"), vec![ms(8), ms(9), ms(8)]),
        (id("spread"), vec![ms(713), ms(331), ms(401)]),
        (id("softer"), vec![ms(290), ms(295), ms(300)]),
        (id("flaked"), vec![ms(400), ms(410)]),
    ]);
    c.confirm(&times, 3);
    assert_eq!(
        calls(&c),
        [
            ("confirmed".into(), slower(Level::Fail, None)),
            ("dismissed".into(), Call::NotConfirmed),
            ("flaked".into(), Call::NotConfirmed),
            ("never_passed".into(), Call::NotConfirmed),
            (
                "softer".into(),
                slower(Level::Warn, Some(Held::RerunsBelowFail))
            ),
            (
                "spread".into(),
                slower(Level::Warn, Some(Held::RerunsSpread))
            ),
        ]
    );
    // Confirmed once; a second confirm pass changes nothing.
    let before = c.clone();
    assert!(c.to_confirm(50).is_empty());
    c.confirm(&BTreeMap::new(), 3);
    assert_eq!(calls(&c), calls(&before));
}

#[test]
fn only_the_largest_slowdowns_are_rerun() {
    let base: &[(&str, Option<&[u64]>)] =
        &[("a", Some(TIGHT)), ("b", Some(TIGHT)), ("c", Some(TIGHT))];
    let now: &[(&str, &[u64])] = &[("a", &[400]), ("b", &[500]), ("c", &[300])];
    let mut c = compare_with(base, now, &[], 20);
    assert_eq!(c.to_confirm(2), [id("b"), id("a")]);
    assert_eq!(
        c.deltas.iter().find(|d| d.id == id("c")).unwrap().call,
        slower(Level::Warn, Some(Held::NotRerun))
    );
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

/// Confirms every test the comparison asks for with the re-runs given (three each).
fn confirmed_with(mut c: Comparison, times: &[(&str, &[u64])]) -> Comparison {
    c.to_confirm(MAX_RERUN);
    let times = times
        .iter()
        .map(|(n, v)| (id(n), v.iter().map(|&m| ms(m)).collect()))
        .collect();
    c.confirm(&times, 3);
    c
}

#[test]
fn a_noisy_test_far_outside_its_band_is_a_regression() {
    // The cases: a tiny test whose runs spread 57 % (4 ms) is not noisy, and 30× slower
    // is a failure; a 200 ms test in a binary whose tests spread ~100 % between runs, +190 %
    // with `--runs 2`, is past the top of its band in both runs: heard, a warning (a noisy
    // test fails only past twice its band's top); ×4.5 is a failure.
    let mut before: Vec<(String, Vec<u64>)> = vec![
        ("it_works".into(), vec![7, 9, 11, 8, 10]),
        ("loaded".into(), vec![150, 200, 230]),
        ("loaded_more".into(), vec![150, 200, 230]),
    ];
    for i in 0..6 {
        before.push((format!("neighbour_{i}"), vec![100, 150 + 10 * i, 210]));
    }
    let b: Vec<(&str, Option<&[u64]>)> = before
        .iter()
        .map(|(n, s)| (n.as_str(), Some(s.as_slice())))
        .collect();
    let mut now: Vec<(&str, &[u64])> = vec![
        ("it_works", &[308]),
        ("loaded", &[560, 600]),
        ("loaded_more", &[900, 950]),
    ];
    now.extend(b[3..].iter().map(|(n, s)| (*n, &s.unwrap()[1..2])));
    let c = compare_with(&b, &now, &[], 0);
    let loaded = c.deltas.iter().find(|d| d.id == id("loaded")).unwrap();
    assert!(
        matches!(loaded.basis, Basis::Band { noise: Noise::Group, top } if top > ms(205)),
        "{:?}",
        loaded.basis
    );
    let loaded_basis = loaded.basis;
    let c = confirmed_with(
        c,
        &[
            ("it_works", &[305, 310, 300]),
            ("loaded", &[570, 590, 610]),
            ("loaded_more", &[910, 930, 950]),
        ],
    );
    assert_eq!(
        calls(&c),
        [
            ("it_works".into(), slower(Level::Fail, None)),
            ("loaded".into(), slower(Level::Warn, None)),
            ("loaded_more".into(), slower(Level::Fail, None)),
        ],
        "{loaded_basis:?}"
    );
    let it = c.deltas.iter().find(|d| d.id == id("it_works")).unwrap();
    assert_eq!(it.basis, Basis::Median);
    assert!(it.change > 30.0, "{}", it.change);
}

#[test]
fn band_table() {
    // (baseline runs, now, re-runs alone, call): a noisy test (runs 100–300 ms: band top 300,
    // as far again above it as it spreads, 200 ms) is gated past that, with the warn threshold
    // and the floor (warn over 530 ms) and twice its top (fail over 800 ms).
    type Row<'a> = (&'a [u64], &'a [u64], &'a [u64], Option<Call>);
    let inside: &[u64] = &[];
    let table: [Row; 11] = [
        (&[100, 200, 300], &[310], inside, None), // inside the floor over its top
        (&[100, 200, 300], &[480], inside, None), // +60 % over its top: inside its spread
        (&[100, 200, 300], &[525], inside, None), // under the warn line
        (
            &[100, 200, 300],
            &[560],
            &[555, 565, 560],
            Some(slower(Level::Warn, None)),
        ),
        (
            &[100, 200, 300],
            &[700],
            &[695, 700, 710],
            Some(slower(Level::Warn, None)),
        ),
        (
            &[100, 200, 300],
            &[900],
            &[895, 900, 910],
            Some(slower(Level::Fail, None)),
        ),
        // Back to its usual time alone: not confirmed.
        (
            &[100, 200, 300],
            &[700],
            &[150, 210, 190],
            Some(Call::NotConfirmed),
        ),
        // Re-runs 900–1300 ms spread less than its band already does: the fastest fails.
        (
            &[100, 200, 300],
            &[1300],
            &[900, 1300, 1100],
            Some(slower(Level::Fail, None)),
        ),
        // A steady test whose re-runs spread 260–600 ms: they widen its band to 195 × 2.31 =
        // 450 ms; its fastest re-run (+30 % on its median) is past its median, not that band.
        (
            &[195, 200, 205],
            &[400],
            &[260, 600, 400],
            Some(slower(Level::Warn, Some(Held::RerunsSpread))),
        ),
        // A steady test 3× slower whose re-runs spread 300–600 ms: past the band they make
        // (98 × 2 = 196 ms) by more than the fail threshold: a failure, not held.
        (
            &[98, 100, 102],
            &[300],
            &[300, 450, 600],
            Some(slower(Level::Fail, None)),
        ),
        // A steady test's 0 ms baseline: the change is against a millisecond, not nothing.
        (&[0, 0, 0], &[5], inside, None),
    ];
    for (base, now, reruns, want) in table {
        let c = compare_with(&[("t", Some(base))], &[("t", now)], &[], 20);
        let c = if reruns.is_empty() {
            c
        } else {
            confirmed_with(c, &[("t", reruns)])
        };
        let got = c.deltas.iter().find(|d| d.id == id("t")).map(|d| d.call);
        assert_eq!(got, want, "{base:?} → {now:?}, alone {reruns:?}");
        if let Some(d) = c.deltas.iter().find(|d| d.id == id("t")) {
            assert!(d.change.is_finite() && d.change < 1e4, "{}", d.change);
        }
    }
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
