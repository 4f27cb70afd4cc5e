//! The baseline's runs of each test, as a comparison reads them: keyed as the baseline file
//! keys them (`"<binary-id> <test name>"`) and kept in milliseconds, so that a 100,000-test
//! baseline costs one small allocation per test and its runs, not a test id and a [`Spread`].

use std::time::Duration;

use rustc_hash::FxHashMap;

use super::noise::{NoisePriors, Spread, Summary, is_noisy, judged_width};
use crate::model::TestId;

/// Baseline tests and their runs in milliseconds (`None`: in the baseline, but not a
/// reference: it did not pass in every run).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct References {
    tests: FxHashMap<Box<str>, Option<Box<[u64]>>>,
    /// A reusable key for lookups by [`TestId`].
    key: String,
}

impl References {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            tests: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            key: String::new(),
        }
    }

    /// `key` is `"<binary-id> <test name>"`.
    pub fn insert(&mut self, key: Box<str>, runs_ms: Option<Box<[u64]>>) {
        self.tests.insert(key, runs_ms);
    }

    pub fn len(&self) -> usize {
        self.tests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tests.is_empty()
    }

    /// The test's runs: `None` when the baseline does not have it, `Some(None)` when it has no
    /// reference times.
    pub fn get(&self, id: &TestId) -> Option<Option<Spread>> {
        let key = format!("{} {}", id.binary_id, id.name);
        self.tests
            .get(key.as_str())
            .map(|runs| spread(runs.as_deref()))
    }

    /// The test's runs in milliseconds, taken out: what is left at the end was not seen.
    /// `None` when the baseline does not have it, `Some(None)` when it has no reference times.
    pub fn take(&mut self, id: &TestId) -> Option<Option<Box<[u64]>>> {
        self.key.clear();
        self.key.push_str(&id.binary_id);
        self.key.push(' ');
        self.key.push_str(&id.name);
        self.tests.remove(self.key.as_str())
    }

    /// Every test's binary id and runs in milliseconds (the tests with reference times).
    pub fn runs(&self) -> impl Iterator<Item = (&str, &[u64])> {
        self.tests.iter().filter_map(|(key, runs)| {
            let (binary, _) = key.split_once(' ')?;
            Some((binary, runs.as_deref()?))
        })
    }

    /// How noisy the tests of each binary typically are (see [`NoisePriors`]).
    pub fn priors(&self, floor: Duration) -> NoisePriors {
        NoisePriors::of(
            self.runs()
                .filter_map(|(binary, ms)| Some((binary, Summary::of_ms(ms)?))),
            floor,
        )
    }

    /// The noisy tests: those whose runs count as spreading wider than `fail` (a fraction),
    /// judged with their binary's (see [`judged_width`]), by more than `floor` (see
    /// [`is_noisy`]), widest first: the ones a comparison judges against their band.
    pub fn noisy(&self, fail: f64, floor: Duration) -> Vec<(TestId, Summary, f64)> {
        let priors = self.priors(floor);
        let mut out: Vec<(TestId, Summary, f64)> = self
            .tests
            .iter()
            .filter_map(|(key, runs)| {
                let summary = Summary::of_ms(runs.as_deref()?)?;
                let id = id_of(key)?;
                let width = judged_width(summary, priors.for_binary(&id.binary_id));
                is_noisy(summary.min, width, fail, floor).then_some((id, summary, width))
            })
            .collect();
        out.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        out
    }

    /// The tests left, as ids.
    pub fn into_ids(self) -> impl Iterator<Item = TestId> {
        self.tests.into_keys().filter_map(|key| id_of(&key))
    }

    /// Every test with its runs.
    pub fn into_tests(self) -> impl Iterator<Item = (TestId, Option<Spread>)> {
        self.tests
            .into_iter()
            .filter_map(|(key, runs)| Some((id_of(&key)?, spread(runs.as_deref()))))
    }
}

impl FromIterator<(TestId, Option<Spread>)> for References {
    fn from_iter<I: IntoIterator<Item = (TestId, Option<Spread>)>>(iter: I) -> Self {
        let mut out = References::default();
        for (id, runs) in iter {
            let ms = runs.map(|s| s.samples.iter().map(|d| d.as_millis() as u64).collect());
            out.insert(format!("{} {}", id.binary_id, id.name).into(), ms);
        }
        out
    }
}

/// `"<binary-id> <test name>"` → the test.
fn id_of(key: &str) -> Option<TestId> {
    let (binary, name) = key.split_once(' ')?;
    Some(TestId::new(binary, name))
}

fn spread(runs_ms: Option<&[u64]>) -> Option<Spread> {
    Spread::of(
        runs_ms?
            .iter()
            .map(|&ms| Duration::from_millis(ms))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noisy_tests_are_judged_with_their_binary() {
        let mut refs = References::default();
        // A binary of random-input tests, one of which happened to run three times alike.
        for (name, runs) in [
            ("a", [47u64, 74, 40]),
            ("b", [128, 76, 42]),
            ("c", [61, 148, 71]),
            ("d", [45, 102, 113]),
            ("e", [131, 80, 39]),
            ("lucky", [88, 69, 77]),
        ] {
            refs.insert(format!("it::std {name}").into(), Some(runs.into()));
        }
        // A binary of steady tests, one of them not.
        for (name, runs) in [
            ("f", [1000u64, 1010, 1005]),
            ("g", [300, 303, 301]),
            ("h", [50, 51, 52]),
            ("i", [80, 82, 81]),
            ("j", [120, 121, 119]),
            ("wide", [100, 160, 130]),
        ] {
            refs.insert(format!("app::unit {name}").into(), Some(runs.into()));
        }
        let noisy: Vec<String> = refs
            .noisy(0.25, Duration::from_millis(20))
            .into_iter()
            .map(|(id, _, _)| id.to_string())
            .collect();
        let mut sorted = noisy.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                "app::unit wide",
                "it::std a",
                "it::std b",
                "it::std c",
                "it::std d",
                "it::std e",
                "it::std lucky"
            ]
        );
        assert_eq!(noisy[0], "it::std e", "widest first");
    }

    #[test]
    fn lookups_by_id_take_and_what_is_left() {
        let mut refs = References::with_capacity(3);
        refs.insert("app::unit a".into(), Some([5, 3, 9].into()));
        refs.insert("app::unit b c".into(), None);
        refs.insert("core tests::d".into(), Some([1].into()));
        let a = TestId::new("app::unit", "a");
        let runs = refs.get(&a).unwrap().unwrap();
        assert_eq!(runs.samples, [5, 3, 9].map(Duration::from_millis));
        assert_eq!(runs.median, Duration::from_millis(5));
        assert_eq!(refs.take(&TestId::new("app::unit", "b c")), Some(None));
        assert_eq!(
            refs.take(&TestId::new("core", "tests::d")),
            Some(Some([1].into()))
        );
        refs.insert("core tests::d".into(), Some([1].into()));
        assert_eq!(refs.take(&TestId::new("app::unit", "nope")), None);
        assert!(refs.take(&a).is_some());
        assert_eq!(refs.len(), 1);
        assert_eq!(
            refs.into_ids().collect::<Vec<_>>(),
            [TestId::new("core", "tests::d")]
        );
    }
}
