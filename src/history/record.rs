//! One recorded run as it is kept in a git note: compact (a test is a short array under its
//! binary id), versioned, one JSON line per run so several runs of a commit sit in one note.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Contract, Metric, Outcome};
use crate::policy::Verdict;

/// The schema written; a newer one is reported, not guessed at.
pub const SCHEMA: u32 = 1;

/// The longest duration a record may hold, in ms (about 11.6 days): no test or suite run
/// takes longer, so a larger number is a corrupt or hand-edited record, not a slow test.
pub const MAX_RECORDED_MS: f64 = 1e9;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryRecord {
    pub schema: u32,
    /// `tests` (a `report`) or `benches` (a `bench`).
    pub kind: RecordKind,
    /// When the run ended (RFC 3339).
    pub timestamp: String,
    /// The working tree had changes the commit does not hold.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dirty: bool,
    pub context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<Contract>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierRecord>,
    /// Findings by kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub findings: BTreeMap<String, u32>,
    /// Binary id → its tests.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tests: BTreeMap<String, Vec<TestEntry>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benches: Vec<BenchEntry>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    Tests,
    Benches,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierRecord {
    pub tier: String,
    pub budget_ms: u64,
    pub tests: u32,
    pub violations: u32,
    pub failed: u32,
    /// The slowest passing test (`binary-id name`) and its time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slowest: Option<(String, f64)>,
}

/// `[name, ms, outcome, tier, budget_ms, peak_bytes]`: `ms` to 0.1 ms (`null` when the report
/// gave none), `outcome` one letter (`p` passed, `l` flaky, `f` failed, `t` timed out, `s`
/// skipped), `tier` an index into the record's tiers, `peak_bytes` `null` when not measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestEntry(
    pub String,
    pub Option<f64>,
    pub String,
    pub u16,
    pub u64,
    pub Option<u64>,
);

/// `[id, mean_ns, lower_ns, upper_ns]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchEntry(pub String, pub f64, pub f64, pub f64);

fn letter(o: Outcome) -> &'static str {
    match o {
        Outcome::Passed => "p",
        Outcome::Flaky => "l",
        Outcome::Failed => "f",
        Outcome::TimedOut => "t",
        Outcome::Skipped => "s",
    }
}

/// The outcome a letter stands for.
pub fn outcome(letter: &str) -> Option<Outcome> {
    Outcome::ALL
        .into_iter()
        .find(|o| self::letter(*o) == letter)
}

fn tenth_ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// How many findings of each kind the verdict has.
fn kinds(verdict: &Verdict) -> BTreeMap<String, u32> {
    let mut kinds = BTreeMap::new();
    for f in &verdict.findings {
        *kinds.entry(f.kind().as_str().to_string()).or_default() += 1;
    }
    kinds
}

impl HistoryRecord {
    fn new(kind: RecordKind, timestamp: String, context: &str) -> Self {
        HistoryRecord {
            schema: SCHEMA,
            kind,
            timestamp,
            dirty: false,
            context: context.to_string(),
            contract: None,
            wall_ms: None,
            tiers: Vec::new(),
            findings: BTreeMap::new(),
            tests: BTreeMap::new(),
            benches: Vec::new(),
        }
    }

    /// The record of a judged test run.
    pub fn of_verdict(verdict: &Verdict, contract: Option<Contract>, timestamp: String) -> Self {
        let mut r = HistoryRecord::new(RecordKind::Tests, timestamp, verdict.context.as_str());
        r.contract = contract;
        r.wall_ms = verdict.wall.map(|d| d.as_millis() as u64);
        r.tiers = verdict
            .tiers
            .iter()
            .map(|t| TierRecord {
                tier: t.tier.clone(),
                budget_ms: t.budget.as_millis() as u64,
                tests: t.tests as u32,
                violations: t.violations as u32,
                failed: t.failed as u32,
                slowest: t
                    .slowest
                    .as_ref()
                    .map(|(id, d, _)| (id.to_string(), tenth_ms(*d))),
            })
            .collect();
        r.findings = kinds(verdict);
        for t in &verdict.tests {
            let tier = r
                .tiers
                .iter()
                .position(|x| x.tier == t.placement.tier)
                .unwrap_or(0) as u16;
            r.tests
                .entry(t.id.binary_id.clone())
                .or_default()
                .push(TestEntry(
                    t.id.name.clone(),
                    t.duration.map(tenth_ms),
                    letter(t.outcome).to_string(),
                    tier,
                    t.placement.budget.as_millis() as u64,
                    t.extra.get(Metric::Memory).map(|a| a.as_f64() as u64),
                ));
        }
        r
    }

    /// The record of a bench run's verdict: its benchmarks' estimates and its findings by kind.
    pub fn of_benches(verdict: &Verdict, timestamp: String) -> Self {
        let mut r = HistoryRecord::new(RecordKind::Benches, timestamp, verdict.context.as_str());
        r.findings = kinds(verdict);
        r.benches = verdict
            .benches
            .iter()
            .flat_map(|b| &b.results)
            .map(|b| {
                let m = b.estimates.mean;
                BenchEntry(b.id.clone(), m.point, m.lower, m.upper)
            })
            .collect();
        r
    }

    /// One line of JSON.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a record serializes")
    }

    /// A record from one line of a note.
    pub fn from_line(line: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        match value.get("schema").and_then(serde_json::Value::as_u64) {
            Some(s) if s > u64::from(SCHEMA) => {
                return Err(format!(
                    "record schema {s} is newer than this cargo-budget reads ({SCHEMA}); upgrade \
                     cargo-budget"
                ));
            }
            None => return Err("not a cargo-budget record (no `schema`)".into()),
            _ => {}
        }
        let record: Self = serde_json::from_value(value).map_err(|e| e.to_string())?;
        record.check()?;
        Ok(record)
    }

    /// The values a record can hold but no run produces: a timestamp that is not RFC 3339, a
    /// duration that is not finite, negative or past [`MAX_RECORDED_MS`], a test's tier index
    /// past the record's tiers.
    fn check(&self) -> Result<(), String> {
        self.timestamp
            .parse::<jiff::Timestamp>()
            .map_err(|e| format!("timestamp `{}` is not RFC 3339: {e}", self.timestamp))?;
        if let Some(ms) = self.wall_ms {
            in_range("the suite's wall time", ms as f64, MAX_RECORDED_MS)?;
        }
        for t in &self.tiers {
            if let Some((id, ms)) = &t.slowest {
                in_range(
                    &format!("tier {}'s slowest test `{id}`", t.tier),
                    *ms,
                    MAX_RECORDED_MS,
                )?;
            }
        }
        for (binary, entries) in &self.tests {
            for e in entries {
                let what = format!("test `{binary} {}`", e.0);
                if let Some(ms) = e.1 {
                    in_range(&what, ms, MAX_RECORDED_MS)?;
                }
                if usize::from(e.3) >= self.tiers.len() {
                    return Err(format!(
                        "{what}: tier index {} past the record's {} tiers",
                        e.3,
                        self.tiers.len()
                    ));
                }
            }
        }
        for b in &self.benches {
            for ns in [b.1, b.2, b.3] {
                in_range(&format!("benchmark `{}`", b.0), ns / 1e6, MAX_RECORDED_MS)?;
            }
        }
        Ok(())
    }
}

/// `ms` is a duration a run can have: finite, 0 or more, at most `max`.
fn in_range(what: &str, ms: f64, max: f64) -> Result<(), String> {
    match ms.is_finite() && (0.0..=max).contains(&ms) {
        true => Ok(()),
        false if ms.abs() >= 1e6 => Err(format!(
            "{what}: {ms:e} ms is out of range (0 to {max:e} ms)"
        )),
        false => Err(format!("{what}: {ms} ms is out of range (0 to {max:e} ms)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"schema":1,"kind":"tests","timestamp":"2026-01-01T00:00:00Z","context":"ci","wall_ms":900,"tiers":[{"tier":"unit","budget_ms":1000,"tests":1,"violations":0,"failed":0,"slowest":["app t",12.5]}],"tests":{"app":[["t",12.5,"p",0,1000,null]]}}"#;

    /// Each value a run cannot produce is refused, named; the good record reads.
    #[test]
    fn records_are_range_checked() {
        assert!(HistoryRecord::from_line(GOOD).is_ok());
        let bench = r#"{"schema":1,"kind":"benches","timestamp":"2026-01-01T00:00:00Z","context":"ci","benches":[["b",-5.0,1.0,2.0]]}"#;
        let cases = [
            (
                GOOD.replace("[\"t\",12.5", "[\"t\",1e308"),
                "test `app t`: 1e308 ms is out of range",
            ),
            (
                GOOD.replace("[\"t\",12.5", "[\"t\",-1.0"),
                "test `app t`: -1 ms is out of range",
            ),
            (
                GOOD.replace("\"p\",0,", "\"p\",99,"),
                "test `app t`: tier index 99 past the record's 1 tiers",
            ),
            (
                GOOD.replace("2026-01-01T00:00:00Z", "yesterday"),
                "timestamp `yesterday` is not RFC 3339",
            ),
            (
                GOOD.replace("\"wall_ms\":900", "\"wall_ms\":18446744073709551615"),
                "the suite's wall time: 1.8446744073709552e19 ms",
            ),
            (
                GOOD.replace("[\"app t\",12.5]", "[\"app t\",2e9]"),
                "tier unit's slowest test `app t`",
            ),
            (
                bench.to_string(),
                "benchmark `b`: -0.000005 ms is out of range",
            ),
        ];
        for (line, expected) in cases {
            let err = HistoryRecord::from_line(&line).unwrap_err();
            assert!(err.contains(expected), "{line}\n{err}");
        }
    }
}
