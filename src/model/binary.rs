//! Test binaries: what one is built from (package, target kind, target name) and the kinds of
//! cargo target nextest names.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// The cargo target kind of a test binary, as nextest's `list` names it (`kind`) and as it
/// appears in binary ids (`pkg::bin/name`). A kind this version does not know (a later
/// nextest's) is kept as written, never refused.
///
/// Kinds compare, order and hash by their name ([`BinaryKind::as_str`]): `Other("lib")` is
/// `Lib`, and sorting is what it was with strings.
#[derive(Clone, Debug)]
pub enum BinaryKind {
    Lib,
    ProcMacro,
    Bin,
    Test,
    Bench,
    Example,
    /// Any other name, as written.
    Other(String),
}

impl BinaryKind {
    /// The kind named `name` (nextest's and cargo's spelling: `lib`, `proc-macro`, `bin`,
    /// `test`, `bench`, `example`; anything else is [`BinaryKind::Other`]).
    pub fn parse(name: &str) -> Self {
        match name {
            "lib" => Self::Lib,
            "proc-macro" => Self::ProcMacro,
            "bin" => Self::Bin,
            "test" => Self::Test,
            "bench" => Self::Bench,
            "example" => Self::Example,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Lib => "lib",
            Self::ProcMacro => "proc-macro",
            Self::Bin => "bin",
            Self::Test => "test",
            Self::Bench => "bench",
            Self::Example => "example",
            Self::Other(name) => name,
        }
    }

    /// A library target (`lib` or `proc-macro`): its binary id is the package name alone.
    pub fn is_lib(&self) -> bool {
        matches!(self.as_str(), "lib" | "proc-macro")
    }
}

impl From<&str> for BinaryKind {
    fn from(name: &str) -> Self {
        Self::parse(name)
    }
}

impl fmt::Display for BinaryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for BinaryKind {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for BinaryKind {}

impl Hash for BinaryKind {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for BinaryKind {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BinaryKind {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// What a test binary is built from, as far as classification cares.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BinaryInfo {
    pub binary_id: String,
    pub package: String,
    /// Cargo target kind: `lib`, `proc-macro`, `bin`, `test`, `bench`, `example`.
    pub kind: BinaryKind,
    /// Cargo target name (`unit` for `tests/unit/main.rs`, the crate name for a lib).
    pub target: String,
}

impl BinaryInfo {
    /// Derives package, kind and target from a binary id alone (`pkg`, `pkg::name`,
    /// `pkg::bin/name`), for JUnit files judged without a workspace inventory.
    pub fn from_binary_id(binary_id: &str) -> Self {
        let (package, rest) = match binary_id.split_once("::") {
            Some((p, r)) => (p, Some(r)),
            None => (binary_id, None),
        };
        let (kind, target) = match rest {
            None => (BinaryKind::Lib, package.replace('-', "_")),
            Some(r) => match r.split_once('/') {
                Some((kind, name)) => (BinaryKind::parse(kind), name.to_string()),
                None => (BinaryKind::Test, r.to_string()),
            },
        };
        Self {
            binary_id: binary_id.to_string(),
            package: package.to_string(),
            kind,
            target,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_and_unknown_ones_are_kept() {
        for name in ["lib", "proc-macro", "bin", "test", "bench", "example"] {
            let kind = BinaryKind::parse(name);
            assert!(!matches!(kind, BinaryKind::Other(_)), "{name}");
            assert_eq!(kind.as_str(), name);
            assert_eq!(kind.to_string(), name);
        }
        let later = BinaryKind::parse("cdylib-test");
        assert_eq!(later, BinaryKind::Other("cdylib-test".into()));
        assert_eq!(later.as_str(), "cdylib-test");
        for odd in ["", "Lib", " lib", "bin/x"] {
            assert_eq!(BinaryKind::parse(odd).as_str(), odd);
        }
        // By name: an `Other` spelling a known kind is that kind, and order is the names'.
        assert_eq!(BinaryKind::Other("lib".into()), BinaryKind::Lib);
        let mut kinds: Vec<BinaryKind> = ["test", "bin", "proc-macro", "lib", "zz", "bench"]
            .into_iter()
            .map(BinaryKind::from)
            .collect();
        kinds.sort();
        let names: Vec<&str> = kinds.iter().map(BinaryKind::as_str).collect();
        assert_eq!(names, ["bench", "bin", "lib", "proc-macro", "test", "zz"]);
        assert!(BinaryKind::Lib.is_lib() && BinaryKind::ProcMacro.is_lib());
        assert!(!BinaryKind::Test.is_lib() && !BinaryKind::Other("rlib".into()).is_lib());
    }

    #[test]
    fn binary_ids_give_package_kind_and_target() {
        let table = [
            ("core-lib", "core-lib", "lib", "core_lib"),
            ("app::unit", "app", "test", "unit"),
            ("app::bin/tool", "app", "bin", "tool"),
            ("app::bench/speed", "app", "bench", "speed"),
            ("app::example/demo", "app", "example", "demo"),
            ("app::custom/x", "app", "custom", "x"),
        ];
        for (id, package, kind, target) in table {
            let b = BinaryInfo::from_binary_id(id);
            assert_eq!(
                (b.package.as_str(), b.kind.as_str(), b.target.as_str()),
                (package, kind, target),
                "{id}"
            );
        }
    }
}
