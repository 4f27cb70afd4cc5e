//! Counting criterion benchmarks' instructions: each bench target's executable (as `cargo bench
//! --no-run --message-format json` names it), and each benchmark run once in criterion's test
//! mode (`<exe> --test --exact <id>`, one process per benchmark) under Callgrind, collecting only
//! inside criterion's `Bencher` routines, less its two clock reads there. The count is the
//! routine's (and criterion's loop around it), never the harness's start-up or its analysis.

use std::path::{Path, PathBuf};

use super::{BenchError, BenchSelection, BenchTarget, build_invocation};
use crate::valgrind;

/// Each target's bench executable (target id → path), building what is not built yet.
pub fn executables(
    cwd: &Path,
    sel: &BenchSelection,
    targets: &[BenchTarget],
) -> Result<Vec<(String, PathBuf)>, BenchError> {
    let mut inv = build_invocation(cwd, sel, targets);
    inv.args
        .push("--message-format=json-render-diagnostics".into());
    let out = inv
        .expression()
        .stdout_capture()
        .run()
        .map_err(|source| BenchError::Spawn {
            command: inv.display(),
            source,
        })?;
    if !out.status.success() {
        return Err(BenchError::Build {
            command: inv.display(),
            code: out.status.code().unwrap_or(-1),
        });
    }
    Ok(executables_of(&out.stdout, targets))
}

/// The executables cargo's JSON messages name for `targets` (matched by name and source file).
fn executables_of(messages: &[u8], targets: &[BenchTarget]) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for message in cargo_metadata::Message::parse_stream(messages).flatten() {
        let cargo_metadata::Message::CompilerArtifact(a) = message else {
            continue;
        };
        let Some(exe) = a.executable else { continue };
        let bench = a.target.kind.contains(&cargo_metadata::TargetKind::Bench);
        let target = targets
            .iter()
            .find(|t| t.name == a.target.name && t.src_path == a.target.src_path.as_std_path());
        if let (true, Some(t)) = (bench, target) {
            out.push((t.id(), exe.into_std_path_buf()));
        }
    }
    out
}

/// Runs one benchmark of `exe` in criterion's test mode under `valgrind` (in `cwd`, where cargo
/// would run it), writing Callgrind's profile to `profile`: its routine's instructions, or why
/// there is no count, in words for a report. Zero is no count: Callgrind never entered a
/// routine (inlined away, or an async bencher, whose routine runs elsewhere).
pub fn count(
    valgrind: &Path,
    exe: &Path,
    cwd: &Path,
    id: &str,
    profile: &Path,
) -> Result<u64, String> {
    let toggles: Vec<String> = valgrind::CRITERION_ROUTINES.map(String::from).to_vec();
    let mut args = valgrind::count_args(profile, &toggles);
    args.extend([
        exe.as_os_str().to_owned(),
        "--test".into(),
        "--exact".into(),
        id.into(),
    ]);
    let shown = || {
        let mut words = vec![valgrind.display().to_string()];
        words.extend(args.iter().map(|a| a.to_string_lossy().into_owned()));
        shell_words::join(words)
    };
    // As an `OsStr`, not a `Path`: duct runs a relative `Path` from the directory (`./valgrind`)
    // where a bare name is looked up on `PATH`.
    let out = duct::cmd(valgrind.as_os_str(), &args)
        .dir(cwd)
        .stdin_null()
        .stdout_null()
        .stderr_capture()
        .unchecked()
        .run()
        .map_err(|e| format!("failed to run `{}`: {e}", shown()))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(profile);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "`{}` exited with code {}{}",
            shown(),
            out.status.code().unwrap_or(-1),
            match tail.is_empty() {
                true => String::new(),
                false => format!(": {}", tail.join(" | ")),
            }
        ));
    }
    match valgrind::take_total(profile, &valgrind::CRITERION_CLOCK)? {
        0 => Err(NOTHING_COUNTED.to_string()),
        n => Ok(n),
    }
}

/// Why a benchmark counted nothing.
pub const NOTHING_COUNTED: &str = "Callgrind counted no instruction inside criterion's \
     `Bencher::iter` (`iter_custom`, `iter_batched`, `iter_batched_ref`): the routine was \
     inlined away, or it runs on the async bencher (`to_async`), which is not counted";

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str, src: &str) -> BenchTarget {
        BenchTarget {
            package: "fx-bench".into(),
            version: "0.1.0".into(),
            name: name.into(),
            src_path: src.into(),
            manifest_dir: "/w".into(),
        }
    }

    /// Real `cargo bench --no-run --message-format json-render-diagnostics` lines (the bench
    /// fixture, shortened): the library and a dependency have no executable; each bench target
    /// is found by its name and source file, not another package's target of the same name.
    #[test]
    fn executables_are_read_from_cargo_s_messages() {
        let artifact = |name: &str, kind: &str, src: &str, exe: &str| {
            format!(
                r#"{{"reason":"compiler-artifact","package_id":"path+file:///w#fx-bench@0.1.0","manifest_path":"/w/Cargo.toml","target":{{"kind":["{kind}"],"crate_types":["bin"],"name":"{name}","src_path":"{src}","edition":"2021","doc":false,"doctest":false,"test":false}},"profile":{{"opt_level":"3","debuginfo":0,"debug_assertions":false,"overflow_checks":false,"test":false}},"features":[],"filenames":["{exe}"],"executable":{exe_json},"fresh":true}}"#,
                exe_json = match exe {
                    "" => "null".to_string(),
                    e => format!("\"{e}\""),
                }
            )
        };
        let lines = [
            artifact("fx_bench", "lib", "/w/src/lib.rs", ""),
            artifact(
                "speed",
                "bench",
                "/w/benches/speed.rs",
                "/t/release/deps/speed-00ff",
            ),
            artifact(
                "speed",
                "bench",
                "/dep/benches/speed.rs",
                "/t/release/deps/speed-11aa",
            ),
            artifact(
                "custom",
                "bench",
                "/w/benches/custom.rs",
                "/t/release/deps/custom-22bb",
            ),
            r#"{"reason":"build-finished","success":true}"#.to_string(),
        ];
        let targets = [
            target("speed", "/w/benches/speed.rs"),
            target("custom", "/w/benches/custom.rs"),
        ];
        let got = executables_of(lines.join("\n").as_bytes(), &targets);
        assert_eq!(
            got,
            [
                (
                    "fx-bench::bench/speed".to_string(),
                    PathBuf::from("/t/release/deps/speed-00ff")
                ),
                (
                    "fx-bench::bench/custom".to_string(),
                    PathBuf::from("/t/release/deps/custom-22bb")
                ),
            ]
        );
    }
}
