//! One line per test attempt, written by the wrapper and read after the run: what nextest
//! names the test, which attempt, its peak memory and CPU time, and how it ended.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// The environment variable naming the file the wrapper appends its records to.
pub const OUT_ENV: &str = "CARGO_BUDGET_ATTEMPTS";

/// Set (to a directory for Callgrind's profiles): the wrapper runs the test under Valgrind and
/// records the instructions of its function.
pub const COUNT_ENV: &str = "CARGO_BUDGET_COUNT_DIR";

/// What the wrapper saw of one attempt.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attempt {
    pub binary_id: String,
    pub test: String,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    /// Peak resident set of the test process (and its children), in bytes; `None` where the
    /// platform does not report it.
    pub peak_bytes: Option<u64>,
    pub user_us: u64,
    pub system_us: u64,
    /// The exit code, when it exited.
    pub code: Option<i32>,
    /// The signal that killed it, when one did.
    pub signal: Option<i32>,
    /// Instructions of the test's function, when it ran under Valgrind (0: the function was
    /// never entered — not found, e.g. inlined); `why` when it could not be counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Result<u64, String>>,
}

impl Attempt {
    /// User + system CPU time.
    pub fn cpu(&self) -> Duration {
        Duration::from_micros(self.user_us.saturating_add(self.system_us))
    }

    /// Appends the record to `path` as one line, with one write (`O_APPEND`: concurrent
    /// tests' lines do not interleave).
    pub fn append(&self, path: &Path) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        line.push(b'\n');
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .write_all(&line)
    }
}

/// The records in `path` (none when it does not exist), and how many lines could not be read
/// (a wrapper killed mid-write leaves at most a partial last line).
pub fn read(path: &Path) -> std::io::Result<(Vec<Attempt>, usize)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    let mut bad = 0;
    let records = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).map_err(|_| bad += 1).ok())
        .collect();
    Ok((records, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_bad_lines_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("attempts.jsonl");
        let a = Attempt {
            binary_id: "app::unit".into(),
            test: "mod::name with \"quotes\"".into(),
            attempt: 2,
            peak_bytes: Some(52 << 20),
            user_us: 1500,
            system_us: 500,
            code: None,
            signal: Some(15),
            instructions: Some(Ok(76_058)),
        };
        a.append(&path).unwrap();
        a.append(&path).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"binary_id\":\"x\"")
            .unwrap();
        let (records, bad) = read(&path).unwrap();
        assert_eq!((records, bad), (vec![a.clone(), a], 1));
        assert_eq!(read(&dir.path().join("none")).unwrap(), (Vec::new(), 0));
        assert_eq!(
            Attempt {
                user_us: 1500,
                system_us: 500,
                ..records_one()
            }
            .cpu(),
            Duration::from_millis(2)
        );
    }

    fn records_one() -> Attempt {
        Attempt {
            binary_id: String::new(),
            test: String::new(),
            attempt: 1,
            peak_bytes: None,
            user_us: 0,
            system_us: 0,
            code: Some(0),
            signal: None,
            instructions: None,
        }
    }
}
