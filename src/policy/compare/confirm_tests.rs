//! Slowdowns re-run alone (confirmed, dismissed, held, widened to a band of their own) and
//! noisy tests judged against their bands.

use super::tests::{TIGHT, calls, compare_with, id, ms, slower};
use super::*;

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
