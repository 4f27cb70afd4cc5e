//! A run record: what one run measured — each subject's outcome and metrics, the contract,
//! the commit and the time — as one versioned, serializable type. The baseline is aggregated
//! from records (one per run); history will store them.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Amount, Contract, Metric, Metrics, Outcome, Run, Subject, TestResult};

/// The record schema written; a newer one is refused.
pub const RECORD_SCHEMA: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub schema: u32,
    /// When the run ended (RFC 3339).
    pub timestamp: String,
    /// The commit measured, when in a git repository.
    pub commit: Option<String>,
    pub contract: Contract,
    /// The whole run's wall time (ms).
    pub wall_ms: Option<u64>,
    /// The machine's 1-minute load when the run ended.
    pub load_1m: Option<f64>,
    /// Why peak memory and CPU time were not measured in this run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmeasured: Option<String>,
    pub subjects: Vec<SubjectRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubjectRecord {
    #[serde(flatten)]
    pub subject: Subject,
    pub outcome: String,
    pub attempts: u32,
    /// Metric key → value: times in milliseconds (fractional), sizes in bytes.
    pub metrics: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("not a run record: {0}")]
    Invalid(#[from] serde_json::Error),
    #[error(
        "run record schema {0} is newer than this cargo-budget reads ({RECORD_SCHEMA}); upgrade cargo-budget"
    )]
    Newer(u32),
    #[error("unknown outcome `{0}` in a run record")]
    Outcome(String),
}

impl RunRecord {
    /// The record of `run`, measured under `contract`.
    pub fn of(
        run: &Run,
        contract: Contract,
        commit: Option<String>,
        timestamp: String,
        load_1m: Option<f64>,
    ) -> RunRecord {
        let subjects = run
            .results
            .iter()
            .map(|r| SubjectRecord {
                subject: Subject::test(&r.id),
                outcome: r.outcome.as_str().to_string(),
                attempts: r.attempts,
                metrics: r
                    .metrics()
                    .map(|(m, a)| {
                        let value = match a {
                            Amount::Time(d) => d.as_secs_f64() * 1000.0,
                            Amount::Bytes(b) | Amount::Count(b) => b as f64,
                        };
                        (m.key().to_string(), value)
                    })
                    .collect(),
                message: r.message.clone(),
            })
            .collect();
        RunRecord {
            schema: RECORD_SCHEMA,
            timestamp,
            commit,
            contract,
            wall_ms: run.wall.map(|w| w.as_millis() as u64),
            load_1m,
            unmeasured: run.unmeasured.clone(),
            subjects,
        }
    }

    /// The tests' results back as a run (other subjects are not tests and are left out).
    pub fn to_run(&self) -> Result<Run, RecordError> {
        let mut results = Vec::with_capacity(self.subjects.len());
        for s in &self.subjects {
            let Some(id) = s.subject.as_test() else {
                continue;
            };
            let mut duration = None;
            let mut extra = Metrics::default();
            for (key, value) in &s.metrics {
                let time = || Amount::Time(Duration::from_secs_f64(value.max(0.0) / 1000.0));
                match Metric::parse(key) {
                    Some(Metric::Wall) => duration = time().as_duration(),
                    Some(Metric::Cpu) => extra.set(Metric::Cpu, time()),
                    Some(Metric::Memory) => extra.set(Metric::Memory, Amount::Bytes(*value as u64)),
                    Some(Metric::Instructions) => {
                        extra.set(Metric::Instructions, Amount::Count(*value as u64))
                    }
                    // A metric a later version records: kept out, not an error.
                    None => {}
                }
            }
            results.push(TestResult {
                id,
                outcome: Outcome::parse(&s.outcome)
                    .ok_or_else(|| RecordError::Outcome(s.outcome.clone()))?,
                duration,
                attempts: s.attempts,
                message: s.message.clone(),
                extra,
            });
        }
        Ok(Run {
            results,
            wall: self.wall_ms.map(Duration::from_millis),
            unmeasured: self.unmeasured.clone(),
            alone: Default::default(),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a run record serializes")
    }

    pub fn from_json(text: &str) -> Result<RunRecord, RecordError> {
        #[derive(Deserialize)]
        struct Probe {
            schema: u32,
        }
        let probe: Probe = serde_json::from_str(text)?;
        if probe.schema > RECORD_SCHEMA {
            return Err(RecordError::Newer(probe.schema));
        }
        Ok(serde_json::from_str(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TestId;

    fn run() -> Run {
        let result = |name: &str, outcome, ms: Option<u64>| TestResult {
            id: TestId::new("app::unit", name),
            outcome,
            duration: ms.map(Duration::from_millis),
            attempts: 1,
            message: None,
            extra: Metrics::default(),
        };
        let mut cpu = result("spins", Outcome::Passed, Some(200));
        cpu.extra
            .set(Metric::Cpu, Amount::Time(Duration::from_millis(1500)));
        cpu.extra.set(Metric::Memory, Amount::Bytes(64 << 20));
        let mut failed = result("broken", Outcome::Failed, Some(5));
        failed.message = Some("assertion failed".into());
        Run {
            results: vec![
                result("fast", Outcome::Passed, Some(12)),
                result("no_time", Outcome::Passed, None),
                cpu,
                failed,
                result("retried", Outcome::Flaky, Some(40)),
            ],
            wall: Some(Duration::from_millis(2500)),
            unmeasured: None,
            alone: Default::default(),
        }
    }

    #[test]
    fn a_record_round_trips_a_run() {
        let record = RunRecord::of(
            &run(),
            Contract::unknown(),
            Some("abc".into()),
            "2026-12-01T18:00:00Z".into(),
            Some(1.5),
        );
        let json = record.to_json();
        assert!(
            json.contains("\"kind\":\"test\",\"group\":\"app::unit\",\"name\":\"fast\""),
            "{json}"
        );
        let back = RunRecord::from_json(&json).unwrap();
        assert_eq!(back, record);
        assert_eq!(back.to_run().unwrap(), run());
    }

    #[test]
    fn newer_or_broken_records_are_refused() {
        let mut record = RunRecord::of(&run(), Contract::unknown(), None, String::new(), None);
        record.schema = RECORD_SCHEMA + 1;
        assert!(matches!(
            RunRecord::from_json(&record.to_json()),
            Err(RecordError::Newer(2))
        ));
        assert!(RunRecord::from_json("{").is_err());
        record.schema = RECORD_SCHEMA;
        record.subjects[0].outcome = "exploded".into();
        assert!(matches!(record.to_run(), Err(RecordError::Outcome(_))));
    }
}
