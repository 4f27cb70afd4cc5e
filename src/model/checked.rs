//! Lists of numbers read from files (times, iteration counts), checked one element at a time
//! as they are parsed: a bad value is refused with its index, and serde_json puts the line:col
//! where it stands on the error. This is what keeps a negative or zero time, which would turn a
//! comparison into NaN, from existing past reading.

use std::fmt;

use serde::de::{Deserializer, Error, SeqAccess, Visitor};

/// What every element of a list must be.
#[derive(Clone, Copy)]
pub struct Rule {
    /// The field, as the error names it (`runs[2]`).
    pub field: &'static str,
    pub ok: fn(f64) -> bool,
    /// What `ok` asks, said in the error.
    pub must: &'static str,
}

/// Positive and finite: what a time divides or is the logarithm of.
pub fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

/// Zero or more, finite.
pub fn non_negative(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

/// Reads a list of numbers, refusing the first that breaks `rule`.
pub fn list<'de, D: Deserializer<'de>>(d: D, rule: Rule) -> Result<Vec<f64>, D::Error> {
    d.deserialize_seq(Checked(rule))
}

/// Reads one number, refusing it if it breaks `rule` (`field` names it without an index).
pub fn one<'de, D: Deserializer<'de>>(d: D, rule: Rule) -> Result<f64, D::Error> {
    let x = <f64 as serde::Deserialize>::deserialize(d)?;
    match (rule.ok)(x) {
        true => Ok(x),
        false => Err(D::Error::custom(format!(
            "`{}` is {x}: {}",
            rule.field, rule.must
        ))),
    }
}

struct Checked(Rule);

impl<'de> Visitor<'de> for Checked {
    type Value = Vec<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of numbers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
        let Rule { field, ok, must } = self.0;
        // A size hint is the input's word: capped, so it cannot reserve gigabytes.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 12));
        while let Some(x) = seq.next_element::<f64>()? {
            if !ok(x) {
                let i = out.len();
                return Err(A::Error::custom(format!("`{field}[{i}]` is {x}: {must}")));
            }
            out.push(x);
        }
        Ok(out)
    }
}

/// A bench result's per-iteration sample times (ns).
pub(super) fn samples<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let must = "a time must be positive and finite (ns per iteration)";
    list(
        d,
        Rule {
            field: "samples",
            ok: positive,
            must,
        },
    )
}

/// A bench result's run means (ns).
pub(super) fn runs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let must = "a time must be positive and finite (ns per iteration)";
    list(
        d,
        Rule {
            field: "runs",
            ok: positive,
            must,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Times {
        #[serde(deserialize_with = "runs")]
        #[allow(dead_code)]
        runs: Vec<f64>,
    }

    /// Every bad value is refused with its index and its line:col; good ones are read.
    #[test]
    fn bad_values_are_refused_where_they_stand() {
        let cases: [(&str, Result<Vec<f64>, &str>); 7] = [
            (r#"{"runs": [1, 2.5]}"#, Ok(vec![1.0, 2.5])),
            (r#"{"runs": []}"#, Ok(vec![])),
            (
                r#"{"runs": [-1, 0, 1]}"#,
                Err(
                    "`runs[0]` is -1: a time must be positive and finite (ns per iteration) at line 1 column 14",
                ),
            ),
            (
                "{\"runs\": [1,\n 0, 1]}",
                Err(
                    "`runs[1]` is 0: a time must be positive and finite (ns per iteration) at line 2 column 4",
                ),
            ),
            (r#"{"runs": [1e999]}"#, Err("number out of range")),
            (
                r#"{"runs": [null]}"#,
                Err("invalid type: null, expected f64"),
            ),
            (
                r#"{"runs": 3}"#,
                Err("invalid type: integer `3`, expected a list of numbers"),
            ),
        ];
        for (json, want) in cases {
            let got = serde_json::from_str::<Times>(json)
                .map(|t| t.runs)
                .map_err(|e| e.to_string());
            match (got, want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{json}"),
                (Err(got), Err(want)) => assert!(got.contains(want), "{json}: {got}"),
                (got, want) => panic!("{json}: {got:?}, want {want:?}"),
            }
        }
    }
}
