//! The wrapper's per-attempt records joined to nextest's results: each test gets the peak
//! memory and CPU time of the attempt nextest reports (the last one: the passing attempt of a
//! flaky test, the final try of a failing one).

use std::collections::HashMap;

use crate::model::{Amount, Metric, Run};
use crate::wrap::Attempt;

/// Sets each result's peak memory and CPU time from its last attempt's record.
pub fn attach(run: &mut Run, attempts: Vec<Attempt>) {
    let mut last: HashMap<(String, String), Attempt> = HashMap::new();
    for a in attempts {
        let key = (a.binary_id.clone(), a.test.clone());
        match last.get(&key) {
            Some(seen) if seen.attempt >= a.attempt => {}
            _ => {
                last.insert(key, a);
            }
        }
    }
    for r in &mut run.results {
        let key = (r.id.binary_id.clone(), r.id.name.clone());
        let Some(a) = last.get(&key) else { continue };
        if let Some(peak) = a.peak_bytes {
            r.extra.set(Metric::Memory, Amount::Bytes(peak));
        }
        r.extra.set(Metric::Cpu, Amount::Time(a.cpu()));
    }
}

/// Each test's instruction count from its last attempt's record under Valgrind: the count, or
/// why there is none (0 instructions: its function was never entered).
pub fn counts(attempts: Vec<Attempt>) -> HashMap<(String, String), Result<u64, String>> {
    let mut last: HashMap<(String, String), Attempt> = HashMap::new();
    for a in attempts {
        let key = (a.binary_id.clone(), a.test.clone());
        if last.get(&key).is_none_or(|seen| seen.attempt < a.attempt) {
            last.insert(key, a);
        }
    }
    last.into_iter()
        .map(|(key, a)| {
            let count = match a.instructions {
                _ if a.code != Some(0) => Err("it did not pass under Valgrind".to_string()),
                Some(Ok(0)) => Err("Callgrind never entered the test's function (inlined?)".into()),
                Some(other) => other,
                None => Err("it was not run under Valgrind".into()),
            };
            (key, count)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, TestId, TestResult};

    fn attempt(test: &str, attempt: u32, peak: u64) -> Attempt {
        Attempt {
            binary_id: "app".into(),
            test: test.into(),
            attempt,
            peak_bytes: Some(peak),
            user_us: 1000 * u64::from(attempt),
            system_us: 0,
            code: Some(0),
            signal: None,
            instructions: None,
        }
    }

    #[test]
    fn the_last_attempt_is_the_judged_one() {
        let result = |name: &str| TestResult {
            id: TestId::new("app", name),
            outcome: Outcome::Flaky,
            duration: None,
            attempts: 2,
            message: None,
            extra: Default::default(),
        };
        let mut run = Run {
            results: vec![result("flaky"), result("unrecorded")],
            ..Default::default()
        };
        // Records arrive in any order (tests run in parallel).
        attach(
            &mut run,
            vec![
                attempt("flaky", 2, 20),
                attempt("flaky", 1, 90),
                attempt("other", 1, 5),
            ],
        );
        let flaky = &run.results[0].extra;
        assert_eq!(flaky.get(Metric::Memory), Some(Amount::Bytes(20)));
        assert_eq!(
            flaky.get(Metric::Cpu),
            Some(Amount::Time(std::time::Duration::from_millis(2)))
        );
        assert!(run.results[1].extra.is_empty());
    }
}
