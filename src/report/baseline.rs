//! What `cargo budget baseline` prints after recording: per tier, the slowest tests and the
//! tests too noisy to gate on.

use crate::baseline::Baseline;

/// `Unit tests: 856 — within 1s budget: 723 (84.5%), violations: 133 (15.5%)` per tier, the
/// slowest tests, and the tests too noisy to gate on.
pub fn summary(
    verdict: &crate::policy::Verdict,
    recorded: &Baseline,
    path: &str,
    t: crate::config::Regression,
) -> String {
    let pct = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            n as f64 * 100.0 / of as f64
        }
    };
    let mut out = format!(
        "Baseline {path}: {}, {} each{}\n",
        crate::text::count(recorded.tests.len(), "test"),
        crate::text::count(recorded.contract.runs as usize, "run"),
        recorded
            .commit
            .as_deref()
            .map(|c| format!(", commit {}", &c[..c.len().min(10)]))
            .unwrap_or_default()
    );
    for t in &verdict.tiers {
        let mut name = t.tier.clone();
        if let Some(first) = name.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        out.push_str(&format!(
            "{name} tests: {} — within {} budget: {} ({:.1}%), violations: {} ({:.1}%)\n",
            t.tests,
            crate::config::units::format_budget(t.budget),
            t.within,
            pct(t.within, t.tests),
            t.violations,
            pct(t.violations, t.tests),
        ));
    }
    slowest(verdict, &mut out);
    noisy(recorded, t, &mut out);
    out
}

/// The five slowest tests that passed, with their tier and budget.
fn slowest(verdict: &crate::policy::Verdict, out: &mut String) {
    let mut slowest: Vec<_> = verdict
        .tests
        .iter()
        .filter(|t| t.outcome.is_pass())
        .filter_map(|t| Some((t, t.duration?)))
        .collect();
    slowest.sort_by(|(a, ad), (b, bd)| bd.cmp(ad).then(a.id.cmp(&b.id)));
    if !slowest.is_empty() {
        out.push_str("Slowest:\n");
        for (t, duration) in slowest.iter().take(5) {
            out.push_str(&format!(
                "  {:>9}  {} ({}, {} budget)\n",
                format!("{:.3}s", duration.as_secs_f64()),
                crate::text::shown(&t.id),
                t.placement.tier,
                crate::config::units::format_budget(t.placement.budget)
            ));
        }
    }
}

/// The tests too noisy to gate on (the first five, and how many more).
fn noisy(recorded: &Baseline, t: crate::config::Regression, out: &mut String) {
    let noisy = recorded.references().noisy(t.fail, t.noise_floor);
    if !noisy.is_empty() {
        out.push_str(&format!(
            "Noisy: {} spread wider than the {:.0}% fail threshold between runs (their own runs, or their binary's tests' typical spread), by more than the noise floor; each is judged against the top of its band, not its median:\n",
            crate::text::count(noisy.len(), "test"),
            t.fail * 100.0
        ));
        for (id, s, width) in noisy.iter().take(5) {
            out.push_str(&format!(
                "  {:>4.0}%  {:.3}s–{:.3}s  {}\n",
                width * 100.0,
                s.min.as_secs_f64(),
                s.max.as_secs_f64(),
                crate::text::shown(id)
            ));
        }
        if noisy.len() > 5 {
            out.push_str(&format!(
                "  … and {} more (in the baseline file)\n",
                noisy.len() - 5
            ));
        }
    }
}
