//! The values a test entry can hold but no recording writes: refused on load, named with the
//! test's key (and, through serde, the file's line:col), so that a hand-edited or corrupt
//! baseline is an error (exit 2) rather than a comparison against nonsense.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};

use super::Entry;

/// The longest time an entry may hold, in ms: the bound history records have (about 11.6
/// days); no test takes longer, so a larger number is a corrupt or hand-edited file.
pub(crate) const MAX_MS: u64 = crate::history::record::MAX_RECORDED_MS as u64;

/// min ≤ median ≤ max, all three or none, each at most [`MAX_MS`]; times only with runs; as
/// many samples as runs, each between min and max. 0 ms is data (a test under JUnit's 1 ms
/// resolution): a comparison floors its divisor instead.
pub(crate) fn check_entry(
    key: &str,
    runs: u32,
    [min, median, max]: [Option<u64>; 3],
    samples: Option<&[u64]>,
) -> Result<(), String> {
    let bad = |why: String| Err(format!("test `{key}`: {why}"));
    let (min, median, max) = match (min, median, max) {
        (None, None, None) => return Ok(()),
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => return bad("min_ms, median_ms and max_ms must be all numbers or all null".into()),
    };
    if max > MAX_MS {
        return bad(format!(
            "max_ms {max} is past the longest a test can take ({MAX_MS} ms)"
        ));
    }
    if min > median || median > max {
        return bad(format!(
            "min_ms {min}, median_ms {median}, max_ms {max} are out of order (min ≤ median ≤ max)"
        ));
    }
    if runs == 0 {
        return bad("reference times with `runs` 0".into());
    }
    let Some(samples) = samples.filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    if samples.len() != runs as usize {
        return bad(format!("{} samples_ms for {runs} runs", samples.len()));
    }
    match samples.iter().find(|&&ms| ms < min || ms > max) {
        Some(ms) => bad(format!(
            "sample {ms} ms is outside min_ms {min} to max_ms {max}"
        )),
        None => Ok(()),
    }
}

impl Entry {
    fn check(&self, key: &str) -> Result<(), String> {
        let times = [self.min_ms, self.median_ms, self.max_ms];
        check_entry(key, self.runs, times, self.samples_ms.as_deref())
    }
}

/// The `tests` map of a whole baseline, each entry checked as soon as it is read, so that the
/// error's position is the entry's.
pub(super) fn checked_entries<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Entry>, D::Error> {
    struct Entries(PhantomData<Entry>);
    impl<'de> Visitor<'de> for Entries {
        type Value = BTreeMap<String, Entry>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map of \"<binary-id> <test name>\" to test entries")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut tests = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                let entry: Entry = map.next_value()?;
                entry.check(&key).map_err(serde::de::Error::custom)?;
                tests.insert(key, entry);
            }
            Ok(tests)
        }
    }
    deserializer.deserialize_map(Entries(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_entries_are_refused_with_the_test_named() {
        let ok = |times: [Option<u64>; 3], runs, samples: Option<&[u64]>| {
            check_entry("app t", runs, times, samples)
        };
        let (s, n) = (Some, None);
        /// (min, median, max), runs, samples, what the error says (`None`: accepted).
        type Case<'a> = ([Option<u64>; 3], u32, Option<&'a [u64]>, Option<&'a str>);
        let cases: &[Case] = &[
            ([s(5), s(6), s(9)], 3, Some(&[6, 5, 9]), None),
            ([s(0), s(0), s(0)], 1, Some(&[0]), None),
            ([n, n, n], 3, None, None),
            ([s(4), s(4), s(4)], 1, None, None),
            ([s(MAX_MS), s(MAX_MS), s(MAX_MS)], 1, None, None),
            (
                [s(7), s(6), s(9)],
                3,
                None,
                Some("min_ms 7, median_ms 6, max_ms 9 are out of order"),
            ),
            (
                [s(5), s(10), s(9)],
                3,
                None,
                Some("median_ms 10, max_ms 9 are out of order"),
            ),
            (
                [s(5), n, s(9)],
                3,
                None,
                Some("must be all numbers or all null"),
            ),
            (
                [s(1), s(1), s(MAX_MS + 1)],
                1,
                None,
                Some("past the longest a test can take"),
            ),
            ([s(1), s(1), s(u64::MAX)], 1, None, Some("past the longest")),
            (
                [s(1), s(1), s(1)],
                0,
                None,
                Some("reference times with `runs` 0"),
            ),
            (
                [s(5), s(6), s(9)],
                3,
                Some(&[6, 5]),
                Some("2 samples_ms for 3 runs"),
            ),
            (
                [s(5), s(6), s(9)],
                3,
                Some(&[6, 4, 9]),
                Some("sample 4 ms is outside"),
            ),
            (
                [s(5), s(6), s(9)],
                3,
                Some(&[6, 5, 10]),
                Some("sample 10 ms is outside"),
            ),
        ];
        for &(times, runs, samples, want) in cases {
            let got = ok(times, runs, samples);
            match want {
                None => assert_eq!(got, Ok(()), "{times:?} {runs} {samples:?}"),
                Some(want) => {
                    let err = got.expect_err(want);
                    assert!(err.starts_with("test `app t`: "), "{err}");
                    assert!(err.contains(want), "{err} lacks {want}");
                }
            }
        }
    }
}
