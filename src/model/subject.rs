//! What is measured: a test now, a benchmark next. Tests keep the key their baselines use,
//! `"<binary id> <test name>"`.

use std::fmt;

use super::TestId;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    Test,
    Bench,
}

/// A measured thing: its kind, its group (a test's binary id, a benchmark's group) and its name.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Subject {
    pub kind: SubjectKind,
    pub group: String,
    pub name: String,
}

impl Subject {
    pub fn test(id: &TestId) -> Subject {
        Subject {
            kind: SubjectKind::Test,
            group: id.binary_id.clone(),
            name: id.name.clone(),
        }
    }

    /// The test it is, when it is one.
    pub fn as_test(&self) -> Option<TestId> {
        (self.kind == SubjectKind::Test).then(|| TestId::new(&self.group, &self.name))
    }
}

impl fmt::Display for Subject {
    /// `"<group> <name>"`: for a test, the key of its baseline entry.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.group, self.name)
    }
}
