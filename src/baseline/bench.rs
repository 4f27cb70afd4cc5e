//! `.budget/bench-baseline.json`: benchmarks as recorded on one machine, with the contract they
//! were measured under, for later runs to be compared with. Schema 1; deterministic (benchmarks
//! sorted by id); written atomically; read strictly (corrupt, foreign and newer files are
//! refused with the file and position), from the working tree or as committed at a git ref.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::BaselineError;
use super::read::{Kind, check};
use crate::model::{BenchContract, BenchResult};

/// The newest bench baseline schema this build reads and the one it writes.
pub const BENCH_SCHEMA: u32 = 1;
/// Where `bench --save-baseline` writes, relative to the workspace root.
pub const BENCH_BASELINE: &str = ".budget/bench-baseline.json";

const KIND: Kind = Kind {
    schema: BENCH_SCHEMA,
    rerecord: "cargo budget bench --save-baseline",
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchBaseline {
    pub schema: u32,
    /// RFC 3339, UTC.
    pub created: String,
    /// The commit measured (`None` outside git).
    pub commit: Option<String>,
    pub contract: BenchContract,
    /// Each id once: read so (`unique`), as a second entry would be compared in the first's place.
    #[serde(deserialize_with = "unique")]
    pub benchmarks: Vec<BenchResult>,
}

impl BenchBaseline {
    /// The baseline as policy reads it, named `source` (its path, or `REF:path`).
    pub fn recorded(self, source: String) -> crate::policy::bench::BenchRecorded {
        crate::policy::bench::BenchRecorded {
            source,
            commit: self.commit,
            created: self.created,
            contract: self.contract,
            benchmarks: self.benchmarks,
        }
    }
}

/// The benchmarks, refusing a second entry with an id already read, at its position.
fn unique<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<BenchResult>, D::Error> {
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = Vec<BenchResult>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a list of benchmarks")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out: Vec<BenchResult> = Vec::new();
            let mut index = std::collections::HashMap::new();
            while let Some(b) = seq.next_element::<BenchResult>()? {
                if let Some(first) = index.insert(b.id.clone(), out.len()) {
                    return Err(serde::de::Error::custom(format!(
                        "benchmark `{}` is both `benchmarks[{first}]` and `benchmarks[{}]`; \
                         ids are unique",
                        b.id,
                        out.len()
                    )));
                }
                out.push(b);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Unique)
}

impl BenchBaseline {
    pub fn new(
        created: String,
        commit: Option<String>,
        contract: BenchContract,
        mut benchmarks: Vec<BenchResult>,
    ) -> Self {
        benchmarks.sort_by(|a, b| a.id.cmp(&b.id));
        BenchBaseline {
            schema: BENCH_SCHEMA,
            created,
            commit,
            contract,
            benchmarks,
        }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes");
        text.push('\n');
        text
    }

    pub fn parse(text: &str, path: &Path) -> Result<BenchBaseline, BaselineError> {
        check(
            text,
            path,
            KIND,
            serde_json::from_str::<BenchBaseline>,
            |b| b.schema,
        )
    }

    pub fn read(path: &Path) -> Result<BenchBaseline, BaselineError> {
        let text =
            crate::fsutil::read_bounded(path, crate::fsutil::READ_CAP).map_err(|source| {
                BaselineError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        Self::parse(&text, path)
    }

    /// The file as committed at `git_ref`: the blob `REF:<path from the repository's top>`,
    /// read through git2 (no command line, so a ref is never taken for an option). Errors name
    /// `REF:path`.
    pub fn read_at(path: &Path, git_ref: &str) -> Result<BenchBaseline, BaselineError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let shown = PathBuf::from(format!("{git_ref}:{}", path.display()));
        let not_there = |message: String| BaselineError::Read {
            path: shown.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, message),
        };
        let top = crate::git::toplevel(dir)
            .ok_or_else(|| not_there(format!("`{}` is not in a git repository", dir.display())))?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let top = top.canonicalize().unwrap_or(top);
        let absolute = absolute
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .map(|p| p.join(absolute.file_name().unwrap_or_default()))
            .unwrap_or(absolute);
        let relative = absolute
            .strip_prefix(&top)
            .map_err(|_| not_there("the baseline is outside the repository".into()))?;
        let spec = format!("{git_ref}:{}", relative.to_string_lossy());
        let text = crate::git::blob_text(&top, &spec, crate::fsutil::READ_CAP)
            .map_err(|e| not_there(format!("`{spec}` cannot be read from git: {e}")))?;
        Self::parse(&text, &PathBuf::from(spec))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Estimate, Estimates};

    fn baseline() -> BenchBaseline {
        let e = Estimate {
            point: 10.0,
            lower: 9.0,
            upper: 11.0,
        };
        let bench = |id: &str| BenchResult {
            id: id.into(),
            group: "g".into(),
            function: None,
            value: None,
            target: Some("fx::bench/speed".into()),
            estimates: Estimates {
                mean: e,
                median: e,
                slope: None,
            },
            samples: vec![10.0, 10.5],
            runs: vec![10.1, 10.4],
            throughput: None,
            instructions: Vec::new(),
        };
        BenchBaseline::new(
            "2026-12-01T00:00:00Z".into(),
            Some("abc".into()),
            BenchContract {
                rustc: "rustc 1.95.0".into(),
                target: "x".into(),
                cpus: 2,
                cpu: "c".into(),
                profile: "bench".into(),
                rustflags: String::new(),
                criterion: "0.8.2".into(),
            },
            vec![bench("z"), bench("a")],
        )
    }

    #[test]
    fn round_trips_sorted() {
        let b = baseline();
        assert_eq!(b.benchmarks[0].id, "a");
        let text = b.to_json();
        assert_eq!(BenchBaseline::parse(&text, Path::new("b.json")).unwrap(), b);
    }

    /// Counts are an optional field of each benchmark: written only when counted (a file of
    /// times alone is the same bytes as before), read back exactly, and absent in older files.
    #[test]
    fn instruction_counts_are_stored_per_benchmark_when_counted() {
        let plain = baseline();
        let text = plain.to_json();
        assert!(!text.contains("instructions"), "{text}");
        let mut counted = baseline();
        counted.benchmarks[0].instructions = vec![100_290, 100_290];
        let text = counted.to_json();
        assert!(
            text.contains("\"instructions\": [\n        100290,\n        100290\n      ]"),
            "{text}"
        );
        let read = BenchBaseline::parse(&text, Path::new("b.json")).unwrap();
        assert_eq!(read.benchmarks[0].instructions, [100_290, 100_290]);
        assert!(read.benchmarks[1].instructions.is_empty());
    }

    #[test]
    fn bad_files_are_refused_with_their_position() {
        let p = Path::new(".budget/bench-baseline.json");
        let text = baseline().to_json();
        let cut = &text[..text.len() / 2];
        let err = BenchBaseline::parse(cut, p).unwrap_err().to_string();
        assert!(err.starts_with(".budget/bench-baseline.json:"), "{err}");
        assert!(err.contains("truncated?"), "{err}");
        assert!(err.contains("cargo budget bench --save-baseline"), "{err}");
        let err = BenchBaseline::parse("{\"tests\": []}", p)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a cargo-budget baseline"), "{err}");
        let newer = text.replacen("\"schema\": 1", "\"schema\": 7", 1);
        let err = BenchBaseline::parse(&newer, p).unwrap_err().to_string();
        assert!(
            err.contains("schema 7, newer than this cargo-budget understands (1)"),
            "{err}"
        );
    }

    /// Values no measurement gives (a time that is not positive, which would make every change
    /// NaN) and a benchmark listed twice are refused with the file and position.
    #[test]
    fn bad_values_and_twice_listed_benchmarks_are_refused() {
        let p = Path::new(".budget/bench-baseline.json");
        let good = baseline().to_json();
        let cases = [
            (
                good.replacen(
                    "\"runs\": [\n        10.1,\n        10.4\n      ]",
                    "\"runs\": [-1, 0, 1]",
                    1,
                ),
                ":35:19: corrupt baseline: `runs[0]` is -1: a time must be positive and finite (ns per iteration)",
            ),
            (
                good.replacen("10.5", "0", 1),
                ":34:7: corrupt baseline: `samples[1]` is 0: a time must be positive and finite (ns per iteration)",
            ),
            (
                good.replacen("\"id\": \"z\"", "\"id\": \"a\"", 1),
                ": corrupt baseline: benchmark `a` is both `benchmarks[0]` and `benchmarks[1]`; ids are unique",
            ),
        ];
        for (text, want) in cases {
            assert_ne!(text, good, "the case changes the file");
            let err = BenchBaseline::parse(&text, p).unwrap_err().to_string();
            assert!(err.starts_with(".budget/bench-baseline.json:"), "{err}");
            assert!(err.contains(want), "{err}\n{text}");
        }
    }
}
