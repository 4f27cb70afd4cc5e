//! `cargo budget bench` on bad input. Results and baselines that would leave the comparison
//! (too few samples), turn it into NaN (times that are not positive), compare one benchmark as
//! another (an id twice) or never finish reading (a result file that is a device) fail or are
//! refused, never pass. Real criterion 0.8.2 results (`tests/data/criterion`: `slower/` has
//! `scaled/work/1000` at +29 %), judged with `--from`.

use std::path::{Path, PathBuf};

use crate::bench::bench_findings as found;
use crate::support::*;

fn data(which: &str) -> PathBuf {
    repo_root().join("tests/data/criterion").join(which)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of real criterion results, to break.
fn results(which: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&data(which), dir.path());
    dir
}

/// Rewrites the `sample.json` of the benchmark in `dir` (under `root`) with `edit`.
fn edit_sample(root: &Path, dir: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let path = root.join(dir).join("new/sample.json");
    let mut sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut sample);
    std::fs::write(&path, sample.to_string()).unwrap();
    path
}

/// A workspace whose bench baseline is `tests/data/criterion/base`.
fn with_baseline() -> Fixture {
    let fx = Fixture::new("plain");
    fx.run(&["bench", "--from", s(&data("base")), "--save-baseline"])
        .assert_code(0);
    fx
}

fn judged(fx: &Fixture, from: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "bench",
        "--from",
        s(from),
        "--mode",
        "ci",
        "--format",
        "json",
    ];
    args.extend(extra);
    fx.run(&args)
}

/// The +29 % regression fails; cut to one sample it still fails (unjudged), with or without a
/// baseline, instead of leaving the comparison and passing. A sample with no iterations or a
/// negative time is not criterion's output: refused, naming the file, the sample and where.
#[test]
fn a_benchmark_with_too_few_samples_fails_and_bad_samples_are_refused() {
    let fx = with_baseline();
    let slower = results("slower");
    let run = judged(&fx, slower.path(), &[]);
    run.assert_code(VIOLATIONS);
    let regression = (
        "bench-regression".to_string(),
        "scaled/work/1000".to_string(),
        "error".to_string(),
    );
    assert_eq!(found(&run.json()), [regression], "{}", run.stdout);

    edit_sample(slower.path(), "scaled/work/1000", |s| {
        for key in ["iters", "times"] {
            s[key].as_array_mut().unwrap().truncate(1);
        }
    });
    let unjudged = (
        "bench-unjudged".to_string(),
        "scaled/work/1000".to_string(),
        "error".to_string(),
    );
    for extra in [&[][..], &["--no-baseline"][..]] {
        let run = judged(&fx, slower.path(), extra);
        run.assert_code(VIOLATIONS);
        let json = run.json();
        assert_eq!(
            found(&json),
            std::slice::from_ref(&unjudged),
            "{extra:?}: {json}"
        );
        assert!(
            json["findings"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("with 1 usable sample (judging a change needs 2"),
            "{json}"
        );
    }

    let zero = edit_sample(slower.path(), "steady", |s| s["iters"][3] = 0.into());
    let run = judged(&fx, slower.path(), &[]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains(&format!(
            "`{}` is not a criterion result file (1:",
            zero.display()
        )) && run
            .stderr
            .contains("`iters[3]` is 0: a sample's iteration count must be positive"),
        "{}",
        run.stderr
    );
    edit_sample(slower.path(), "steady", |s| {
        s["iters"][3] = 4.0.into();
        s["times"][5] = (-1.0).into();
    });
    let run = judged(&fx, slower.path(), &[]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains(&zero.display().to_string())
            && run.stderr.contains(
                "`times[5]` is -1: a sample's time must be a finite number of ns, not negative"
            ),
        "{}",
        run.stderr
    );
}

/// A baseline whose times would turn every change into NaN (`runs: [-1, 0, 1]`, a zero
/// sample), or that lists a benchmark twice, is refused with the file and position.
#[test]
fn a_baseline_with_impossible_values_is_refused() {
    let fx = with_baseline();
    let rel = ".budget/bench-baseline.json";
    let good: serde_json::Value = serde_json::from_str(&fx.read(rel)).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit); 3] = [
        (
            "`runs[0]` is -1: a time must be positive and finite (ns per iteration)",
            |b| b["benchmarks"][2]["runs"] = serde_json::json!([-1, 0, 1]),
        ),
        (
            "`samples[4]` is 0: a time must be positive and finite (ns per iteration)",
            |b| b["benchmarks"][0]["samples"][4] = 0.into(),
        ),
        (
            "benchmark `fnv/4k` is both `benchmarks[1]` and `benchmarks[2]`; ids are unique",
            |b| b["benchmarks"][2]["id"] = "fnv/4k".into(),
        ),
    ];
    for (want, edit) in cases {
        let mut bad = good.clone();
        edit(&mut bad);
        fx.write(rel, &serde_json::to_string_pretty(&bad).unwrap());
        let run = judged(&fx, &data("slower"), &[]);
        run.assert_code(USAGE);
        let path = fx.path().join(rel);
        assert!(
            run.stderr.contains(&format!("{}:", path.display()))
                && run.stderr.contains(&format!("corrupt baseline: {want}")),
            "{want}: {}",
            run.stderr
        );
    }
}

/// Two criterion directories with one `full_id` (a stale copy), or one benchmark in two
/// `--from` paths, are refused naming both: one would be compared as the other.
#[test]
fn a_benchmark_from_two_sources_is_refused() {
    let fx = with_baseline();
    let base = results("base");
    copy_dir(&base.path().join("steady"), &base.path().join("steady_v0"));
    let run = judged(&fx, base.path(), &[]);
    run.assert_code(USAGE);
    let dir = |d: &str| base.path().join(d).join("new").display().to_string();
    assert!(
        run.stderr.contains(&format!(
            "benchmark `steady` comes from both `{}` and `{}`",
            dir("steady"),
            dir("steady_v0")
        )),
        "{}",
        run.stderr
    );

    let steady = tempfile::tempdir().unwrap();
    copy_dir(&data("base/steady"), &steady.path().join("steady"));
    let original = data("base");
    let both = [s(&original), s(steady.path())];
    let run = fx.run(&["bench", "--from", both[0], both[1], "--mode", "ci"]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains(&format!(
            "benchmark `steady` comes from both `{}` and `{}`",
            both[0], both[1]
        )),
        "{}",
        run.stderr
    );
}

/// A result file that is a link to `/dev/zero`, or a FIFO no one writes, is refused unread:
/// one would be read until the machine ran out of memory, the other waited on forever.
#[cfg(unix)]
#[test]
fn a_result_file_that_is_not_a_file_is_refused_unread() {
    let fx = with_baseline();
    let base = results("base");
    let sample = base.path().join("steady/new/sample.json");
    std::fs::remove_file(&sample).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &sample).unwrap();
    let run = judged(&fx, base.path(), &[]);
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains(&format!("failed to read `{}`", sample.display()))
            && run
                .stderr
                .contains("it is a character device, not a regular file: refused"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(&sample).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&sample)
        .status()
        .unwrap();
    assert!(status.success());
    let run = judged(&fx, base.path(), &[]);
    run.assert_code(USAGE);
    assert!(
        run.stderr
            .contains("it is a FIFO, not a regular file: refused"),
        "{}",
        run.stderr
    );

    // The baseline too: refused unread, naming it.
    let baseline = fx.path().join(".budget/bench-baseline.json");
    std::fs::remove_file(&baseline).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &baseline).unwrap();
    let run = judged(&fx, &data("slower"), &[]);
    run.assert_code(USAGE);
    assert!(
        run.stderr.contains(&baseline.display().to_string())
            && run
                .stderr
                .contains("it is a character device, not a regular file: refused"),
        "{}",
        run.stderr
    );
}
