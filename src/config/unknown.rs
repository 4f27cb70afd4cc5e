//! Unknown keys in budget.toml: where they are, and which valid key was probably meant.
//!
//! serde_ignored reports each ignored key as a path; the valid keys of the table it sits in
//! are the field names serde derives for that table's struct (read with `serde_introspect`,
//! so a renamed field cannot drift from the suggestions).

use std::ops::Range;

use serde_aux::serde_introspection::serde_introspect;

use super::raw;

/// One step of a key path: a table key or an index into an array of tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// An ignored key: its path from the document root (the last segment is the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub path: Vec<Segment>,
}

impl Unknown {
    /// The segments of a serde_ignored path, without the wrappers (`Option`, newtypes) and
    /// the marker keys `toml::Spanned` inserts.
    pub fn from_ignored(path: &serde_ignored::Path<'_>) -> Unknown {
        fn walk(path: &serde_ignored::Path<'_>, out: &mut Vec<Segment>) {
            use serde_ignored::Path;
            match path {
                Path::Root => {}
                Path::Seq { parent, index } => {
                    walk(parent, out);
                    out.push(Segment::Index(*index));
                }
                Path::Map { parent, key } => {
                    walk(parent, out);
                    if !key.starts_with("$__serde_spanned") {
                        out.push(Segment::Key(key.clone()));
                    }
                }
                Path::Some { parent }
                | Path::NewtypeStruct { parent }
                | Path::NewtypeVariant { parent } => walk(parent, out),
            }
        }
        let mut out = Vec::new();
        walk(path, &mut out);
        Unknown { path: out }
    }

    /// The dotted path as written in TOML (`tiers.unit.budgte`, `exception.0.tset`); a key
    /// that is not a bare key is quoted.
    pub fn dotted(&self) -> String {
        self.path
            .iter()
            .map(|s| match s {
                Segment::Key(k) => toml_edit::Key::new(k.as_str()).display_repr().into_owned(),
                Segment::Index(i) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The valid key closest to this one in its table, when one is close enough to be a typo.
    pub fn suggestion(&self) -> Option<&'static str> {
        let (Segment::Key(key), table) = self.path.split_last()? else {
            return None;
        };
        closest(key, valid_keys(table)?)
    }

    /// The byte span of the key in the document, when the path leads to it.
    pub fn span(&self, root: &toml::de::DeTable<'_>) -> Option<Range<usize>> {
        let (Segment::Key(last), tables) = self.path.split_last()? else {
            return None;
        };
        let mut table = root;
        let mut value: Option<&toml::de::DeValue<'_>> = None;
        for segment in tables {
            let next = match (segment, value) {
                (Segment::Key(k), None) => entry(table, k).map(|(_, v)| v),
                (Segment::Index(i), Some(toml::de::DeValue::Array(items))) => items.get(*i),
                _ => None,
            }?;
            match next.get_ref() {
                toml::de::DeValue::Table(t) => {
                    table = t;
                    value = None;
                }
                other => value = Some(other),
            }
        }
        if value.is_some() {
            return None;
        }
        entry(table, last).map(|(k, _)| k.span())
    }
}

type Entry<'t, 'i> = (
    &'t toml::Spanned<toml::de::DeString<'i>>,
    &'t toml::Spanned<toml::de::DeValue<'i>>,
);

fn entry<'t, 'i>(table: &'t toml::de::DeTable<'i>, key: &str) -> Option<Entry<'t, 'i>> {
    table.iter().find(|(k, _)| k.get_ref().as_ref() == key)
}

/// The field names of the struct that reads the table at `table` (a path of segments).
fn valid_keys(table: &[Segment]) -> Option<&'static [&'static str]> {
    use Segment::{Index, Key};
    let keys: Vec<Option<&str>> = table
        .iter()
        .map(|s| match s {
            Key(k) => Some(k.as_str()),
            Index(_) => None,
        })
        .collect();
    Some(match keys.as_slice() {
        [] => serde_introspect::<raw::RawConfig>(),
        [Some("tiers"), Some(_)] => serde_introspect::<raw::RawTier>(),
        [Some("tiers"), Some(_), Some("cases")] => serde_introspect::<raw::RawCases>(),
        [Some("tiers"), Some(_), Some("regression")] => {
            serde_introspect::<raw::RawTierRegression>()
        }
        [Some("defaults")] => serde_introspect::<raw::RawDefaults>(),
        [Some("suite")] => serde_introspect::<raw::RawSuite>(),
        [Some("regression")] => serde_introspect::<raw::RawRegression>(),
        [Some("regression"), Some("instructions")] => serde_introspect::<raw::RawCountRegression>(),
        [Some("enforce")] => serde_introspect::<raw::RawEnforce>(),
        [Some("alerts")] => serde_introspect::<raw::RawAlerts>(),
        [Some("trend")] => serde_introspect::<raw::RawTrend>(),
        [Some("exception"), None] => serde_introspect::<raw::RawException>(),
        [Some("capability"), None] => serde_introspect::<raw::RawCapability>(),
        [Some("capability"), None, Some("regression")] => {
            serde_introspect::<raw::RawCapabilityRegression>()
        }
        [Some("capability"), None, Some("metrics")] => serde_introspect::<raw::RawMetrics>(),
        _ => return None,
    })
}

/// The candidate nearest to `key` in edit distance (transpositions count once), when within a
/// third of the key's length (at least 1), as cargo judges its own "did you mean".
fn closest(key: &str, candidates: &[&'static str]) -> Option<&'static str> {
    let limit = (key.chars().count().max(3)) / 3;
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(path: &str) -> Unknown {
        Unknown {
            path: path
                .split('.')
                .map(|s| match s.parse() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => Segment::Key(s.to_string()),
                })
                .collect(),
        }
    }

    #[test]
    fn suggestions_come_from_the_keys_of_the_same_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("phse", Some("phase")),
            ("tier", Some("tiers")),
            ("exceptions", Some("exception")),
            ("capabilities", Some("capability")),
            ("tiers.unit.budgte", Some("budget")),
            ("tiers.unit.budgt", Some("budget")),
            ("tiers.unit.prefix", Some("prefixes")),
            ("tiers.unit.cases.precommit", Some("pre-commit")),
            ("tiers.unit.regression.noisefloor", Some("noise_floor")),
            ("defaults.kill-after", Some("kill_after")),
            ("suite.budgets", Some("budget")),
            ("regression.confirm_run", Some("confirm_runs")),
            ("enforce.pre_commit", Some("pre-commit")),
            ("alerts.windw", Some("window")),
            ("trend.flakey", Some("flaky")),
            ("exception.0.tset", Some("test")),
            ("exception.3.expiry", Some("expires")),
            ("capability.0.benchs", Some("benches")),
            ("capability.1.regression.wran", Some("warn")),
            ("capability.0.metrics.latncy", Some("latency")),
            // Far from every key: no guess.
            ("bogus", None),
            ("tiers.unit.colour", None),
            // A table without a schema of its own (labels are free-form).
            ("alerts.labels.sevrity", None),
        ];
        for (path, want) in cases {
            assert_eq!(unknown(path).suggestion(), *want, "{path}");
        }
    }

    #[test]
    fn every_table_has_its_keys() {
        // The same suggestion wherever the table is: a renamed or moved struct shows here.
        for table in [
            "",
            "tiers.x",
            "tiers.x.cases",
            "tiers.x.regression",
            "defaults",
            "suite",
            "regression",
            "enforce",
            "alerts",
            "trend",
            "exception.0",
            "capability.0",
            "capability.0.regression",
            "capability.0.metrics",
        ] {
            let path = unknown(table);
            let path = if table.is_empty() {
                &[][..]
            } else {
                &path.path
            };
            assert!(valid_keys(path).is_some_and(|k| !k.is_empty()), "{table}");
        }
    }

    #[test]
    fn dotted_quotes_keys_that_are_not_bare() {
        assert_eq!(unknown("tiers.unit.budgte").dotted(), "tiers.unit.budgte");
        let odd = Unknown {
            path: vec![
                Segment::Key("tiers".into()),
                Segment::Key("a b".into()),
                Segment::Key("x.y".into()),
            ],
        };
        assert_eq!(odd.dotted(), "tiers.\"a b\".\"x.y\"");
        let escape = Unknown {
            path: vec![Segment::Key("a\u{1b}[31m\n".into())],
        };
        assert!(
            !escape.dotted().chars().any(char::is_control),
            "{:?}",
            escape.dotted()
        );
    }

    #[test]
    fn spans_point_at_the_key() {
        let text = "phase = \"warn\"\n[tiers.unit]\nbudgte = \"1s\"\n\
                    [[exception]]\ntest = \"a\"\n[[exception]]\ntset = \"b\"\n\
                    [tiers.e2e]\ncases = { dve = 1 }\n";
        let root = toml::de::DeTable::parse(text).unwrap();
        let at = |path: &str| unknown(path).span(root.get_ref()).map(|s| &text[s]);
        assert_eq!(at("tiers.unit.budgte"), Some("budgte"));
        assert_eq!(at("exception.1.tset"), Some("tset"));
        assert_eq!(at("tiers.e2e.cases.dve"), Some("dve"));
        assert_eq!(at("tiers.unit.missing"), None);
        assert_eq!(at("phase.x"), None);
    }
}
