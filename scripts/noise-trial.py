#!/usr/bin/env python3
"""Counts false alarms of `cargo budget report` on a real public suite beside CPU burners.

The trial behind issue 9's acceptance and docs/measurement.md ("Measured"): on a crate's own
test suite from crates.io, with `--burners` processes spinning on `sha256sum /dev/zero`,

1. `cargo budget baseline --runs 3`;
2. `--reports` single-run `cargo budget report --mode ci`: every fail-level regression there is a
   false alarm (nothing changed);
3. a sleep of +30 % of its median added to a stable test of at least 1 s (the baseline's runs
   within 10 % of each other): `--tries` reports, each should fail on that test;
4. +30 % added to a test the baseline marked noisy (its runs spread wider than the fail
   threshold, and +30 % of its median beyond its slowest run, so that the change shows): each
   report should call it noisy, not fail it.

The tests are picked from the baseline among plain `#[test]` functions with a known source line,
or named with `--stable KEY[:CALLS]` / `--noisy KEY[:CALLS]` (KEY as nextest prints the test;
CALLS: how many times the function runs in one test, 100 for a quickcheck property, the sleep
is divided among them). Every count is printed and written as JSON (`--out`); each unchanged
report is kept in the work directory. Needs cargo-budget on PATH (or `--bin`), cargo-nextest,
access to crates.io for the crate, and a machine that is otherwise quiet.

    scripts/noise-trial.py itertools 0.14.0 --stable 'itertools::specializations duplicates:100'
    scripts/noise-trial.py crossbeam-channel 0.5.17 --out crossbeam.json
    scripts/noise-trial.py --path /tmp/trial/crossbeam --extra=--workspace --skip-noisy

`--path DIR` uses a git checkout already there (a workspace, say) instead of fetching; `--extra
ARG` (repeatable) is passed to every `baseline`, `report` and the build. Each report's warnings
are counted by kind: a warning should be something to act on.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd, cwd, check=True, env=None, quiet=False):
    started = time.time()
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else subprocess.PIPE,
        text=True,
    )
    if check and proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc, time.time() - started


def fetch(crate, version, workdir):
    """The crate's published sources in `workdir/<crate>`, as a fresh git repository."""
    dest = workdir / crate
    if dest.exists():
        return dest
    dl = workdir / "dl"
    (dl / "src").mkdir(parents=True, exist_ok=True)
    (dl / "Cargo.toml").write_text(
        f'[package]\nname = "dl"\nversion = "0.0.0"\nedition = "2021"\n'
        f'[dependencies]\n{crate} = "={version}"\n'
    )
    (dl / "src/main.rs").write_text("fn main() {}\n")
    run(["cargo", "fetch"], dl)
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    found = list((home / "registry/src").glob(f"*/{crate}-{version}"))
    if not found:
        sys.exit(f"{crate}-{version} not found in the registry cache")
    shutil.copytree(found[0], dest)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    run(["git", "init", "-q"], dest)
    run(["git", "add", "-A"], dest)
    run(git + ["commit", "-qm", "published sources"], dest)
    return dest


class Burners:
    def __init__(self, count):
        self.procs = [
            subprocess.Popen(["sha256sum", "/dev/zero"], stdout=subprocess.DEVNULL)
            for _ in range(count)
        ]

    def stop(self):
        for p in self.procs:
            p.kill()
            p.wait()


EXTRA = []


def report(budget, suite, out):
    proc, secs = run(
        [budget, "budget", "report", "--mode", "ci", "--format", "json", "-o", str(out), *EXTRA],
        suite,
        check=False,
        quiet=True,
    )
    data = json.loads(out.read_text())
    findings = data["findings"]
    c = data.get("comparison") or {}
    calls = {}
    for t in c.get("tests", []):
        calls[t["call"]] = calls.get(t["call"], 0) + 1
    return {
        "exit_code": proc.returncode,
        "seconds": round(secs, 1),
        "fail_regressions": [
            f"{f['binary_id']} {f['name']}"
            for f in findings
            if f["kind"] == "regression" and f["severity"] == "error"
        ],
        "warn_regressions": sum(
            1 for f in findings if f["kind"] == "regression" and f["severity"] != "error"
        ),
        "noisy": [f"{t['binary_id']} {t['name']}" for t in c.get("noisy", [])],
        "warnings": warnings_by_kind(findings),
        "suite_slower": any(f["kind"] == "suite-slower" for f in findings),
        "suite_factor": c.get("suite_factor"),
        "calls": calls,
        "reruns": c.get("reruns"),
        "data": data,
    }


def warnings_by_kind(findings):
    """How many warning-level findings of each kind."""
    kinds = {}
    for f in findings:
        if f["severity"] == "warning":
            kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    return kinds


def r_data_tests(out):
    """The comparison's listed tests of the report last written to `out`."""
    return (json.loads(out.read_text()).get("comparison") or {}).get("tests", [])


def sleeps_possible(suite, src):
    path = suite / src["file"] if not Path(src["file"]).is_absolute() else Path(src["file"])
    return "#![no_std]" not in path.read_text()


def pick(suite, baseline, tests_by_id, want_noisy, fail):
    """A test to slow down: stable and at least 1 s, or noisy with +30 % beyond its runs."""
    best = None
    for key, e in baseline["tests"].items():
        samples = e.get("samples_ms") or []
        if e["outcome"] != "passed" or len(samples) < 2:
            continue
        lo, hi, med = min(samples), max(samples), e["median_ms"]
        width = (hi - lo) / lo if lo else float("inf")
        src = tests_by_id.get(key)
        if not src or not src.get("file") or not src.get("line"):
            continue
        if want_noisy:
            ok = width > fail and hi - lo > 20 and med * 1.3 > hi + 25 and med >= 100
        else:
            ok = med >= 1000 and width <= 0.10
        if ok and sleeps_possible(suite, src) and (best is None or med > best[1]):
            best = (key, med, samples, src, 1)
    return best


def named(suite, baseline, spec):
    """`KEY[:CALLS]`: that test, its function found in the sources by name."""
    m = re.fullmatch(r"(.+?)(?<!:):(\d+)", spec)
    key, calls = (m.group(1), m.group(2)) if m else (spec, "")
    e = baseline["tests"][key]
    binary, name = key.split(" ", 1)
    fn = name.rsplit("::", 1)[-1]
    # The test target's own files first (tests/<target>.rs or tests/<target>/), then the rest
    # of tests/: a library function of the same name must not be the one slowed down.
    target = binary.split("::", 1)[-1]
    files = [suite / "tests" / f"{target}.rs", *sorted((suite / "tests" / target).rglob("*.rs"))]
    files += sorted((suite / "tests").rglob("*.rs"))
    for path in files:
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(rf"\bfn\s+{re.escape(fn)}\s*[(<]", line):
                src = {"file": str(path), "line": n}
                return (key, e["median_ms"], e["samples_ms"], src, int(calls or 1))
    sys.exit(f"fn {fn} not found under {suite}")


def inject(suite, src, name, sleep_us):
    """Adds a sleep as the first statement of the function `name` at `src`'s file and line."""
    path = Path(src["file"])
    if not path.is_absolute():
        path = suite / path
    lines = path.read_text().splitlines(keepends=True)
    fn = name.rsplit("::", 1)[-1]
    i = src["line"] - 1
    while i < len(lines) and not re.search(rf"\bfn\s+{re.escape(fn)}\b", lines[i]):
        i += 1
    while i < len(lines) and "{" not in lines[i]:
        i += 1
    if i >= len(lines):
        sys.exit(f"fn {fn} not found in {path}")
    at = lines[i].index("{") + 1
    lines[i] = (
        lines[i][:at]
        + f" std::thread::sleep(std::time::Duration::from_micros({sleep_us}));"
        + lines[i][at:]
    )
    path.write_text("".join(lines))
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("crate", nargs="?")
    ap.add_argument("version", nargs="?")
    ap.add_argument("--path", type=Path, help="an existing git checkout to run in, not fetched")
    ap.add_argument("--extra", action="append", default=[], help="passed to baseline/report/build")
    ap.add_argument("--reports", type=int, default=5)
    ap.add_argument("--tries", type=int, default=3)
    ap.add_argument("--burners", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "noise-trial")
    ap.add_argument("--bin", default="cargo")
    ap.add_argument("--stable", help="KEY[:CALLS] of the stable test to slow down")
    ap.add_argument("--noisy", help="KEY[:CALLS] of the noisy test to slow down")
    ap.add_argument(
        "--keep-baseline",
        action="store_true",
        help="compare with the baseline an earlier trial recorded instead of recording one",
    )
    ap.add_argument("--skip-stable", action="store_true", help="do not slow down a stable test")
    ap.add_argument("--skip-noisy", action="store_true", help="do not slow down a noisy test")
    ap.add_argument(
        "--probe",
        type=int,
        metavar="MS",
        help="add tests/budget_probe.rs (one test sleeping MS ms) before the baseline, for a"
        " suite with no steady test of 1 s or more; it becomes the stable test slowed down",
    )
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    args.workdir.mkdir(parents=True, exist_ok=True)
    EXTRA.extend(args.extra)
    if args.path:
        suite = args.path.resolve()
        args.crate = args.crate or suite.name
        args.version = args.version or "checkout"
    elif args.crate and args.version:
        suite = fetch(args.crate, args.version, args.workdir)
    else:
        sys.exit("give CRATE VERSION, or --path DIR")
    run(["git", "checkout", "-q", "--", "."], suite)
    if args.probe:
        probe = suite / "tests/budget_probe.rs"
        probe.write_text(
            "//! Added by noise-trial.py: a steady test, for a suite that has none of 1 s or more.\n"
            "#[test]\nfn steady() {\n"
            f"    std::thread::sleep(std::time::Duration::from_millis({args.probe}));\n}}\n"
        )
        manifest = suite / "Cargo.toml"
        text = manifest.read_text()
        if re.search(r"^autotests\s*=\s*false", text, re.M) and "budget_probe" not in text:
            manifest.write_text(text + '\n[[test]]\nname = "budget_probe"\npath = "tests/budget_probe.rs"\n')
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
        run(["git", "add", str(probe), str(manifest)], suite)
        run(git + ["commit", "-qm", "a steady probe test"], suite, check=False)
        args.stable = args.stable or f"{args.crate}::budget_probe steady"
    run(["cargo", "nextest", "run", "--no-run", "--cargo-quiet", *EXTRA], suite, quiet=True)
    out = args.workdir / f"{args.crate}-report.json"
    result = {"crate": f"{args.crate} {args.version}", "burners": args.burners}
    burners = Burners(args.burners)
    try:
        secs = 0.0
        if not (args.keep_baseline and (suite / ".budget/baseline.json").is_file()):
            _, secs = run(
                [args.bin, "budget", "baseline", "--runs", "3", *EXTRA], suite, quiet=True
            )
        baseline = json.loads((suite / ".budget/baseline.json").read_text())
        fail = 0.25
        spreads = [
            e["samples_ms"]
            for e in baseline["tests"].values()
            if e["outcome"] == "passed" and e.get("samples_ms")
        ]
        noisy_count = sum(
            1
            for s in spreads
            if min(s) and (max(s) - min(s)) / min(s) > fail and max(s) - min(s) > 20
        )
        result["baseline"] = {
            "seconds": round(secs, 1),
            "tests": len(baseline["tests"]),
            "noisy": noisy_count,
            "load_1m": [r.get("load_1m") for r in baseline.get("runs", [])],
        }
        print(f"baseline: {len(baseline['tests'])} tests, {noisy_count} noisy, {secs:.0f} s")

        unchanged = []
        tests_by_id = {}
        for i in range(args.reports):
            r = report(args.bin, suite, out)
            shutil.copy(out, args.workdir / f"{args.crate}-unchanged-{i + 1}.json")
            tests_by_id = {f"{t['binary_id']} {t['name']}": t for t in r["data"]["tests"]}
            del r["data"]
            unchanged.append(r)
            for name in r["fail_regressions"]:
                d = next(
                    t
                    for t in r_data_tests(out)
                    if f"{t['binary_id']} {t['name']}" == name
                )
                print(
                    f"  FALSE ALARM {name}: baseline {d['baseline_runs_ms']}, now {d['runs_ms']},"
                    f" re-runs {d['reruns_ms']}, scale {d['scale']}"
                )
            print(
                f"report {i + 1}: exit {r['exit_code']}, {len(r['fail_regressions'])} fail-level,"
                f" {r['warn_regressions']} warn-level, {len(r['noisy'])} noisy (info),"
                f" warnings {sum(r['warnings'].values())} {r['warnings']}, calls {r['calls']},"
                f" factor {r['suite_factor']}, {r['seconds']} s"
            )
        result["unchanged"] = unchanged

        for label, noisy, spec in (("stable", False, args.stable), ("noisy", True, args.noisy)):
            if (label == "stable" and args.skip_stable) or (label == "noisy" and args.skip_noisy):
                continue
            if spec:
                chosen = named(suite, baseline, spec)
            else:
                chosen = pick(suite, baseline, tests_by_id, noisy, fail)
            if chosen is None:
                print(f"no {label} test to slow down")
                result[label] = None
                continue
            key, med, samples, src, calls = chosen
            sleep_ms = round(med * 0.3)
            path = inject(suite, src, key.split(" ", 1)[1], round(sleep_ms * 1000 / calls))
            run(["cargo", "nextest", "run", "--no-run", "--cargo-quiet", *EXTRA], suite, quiet=True)
            tries = []
            for i in range(args.tries):
                r = report(args.bin, suite, out)
                d = next(
                    (
                        t
                        for t in (r["data"].get("comparison") or {}).get("tests", [])
                        if f"{t['binary_id']} {t['name']}" == key
                    ),
                    None,
                )
                del r["data"]
                r["test"] = d
                tries.append(r)
                print(
                    f"{label} +30% on {key} (baseline {samples} ms, +{sleep_ms} ms) try {i + 1}:"
                    f" exit {r['exit_code']}, call {d and d['call']}, level {d and d['level']},"
                    f" reruns {d and d['reruns_ms']}, fail-level {r['fail_regressions']}"
                )
            result[label] = {
                "test": key,
                "baseline_ms": samples,
                "added_ms": sleep_ms,
                "calls": calls,
                "file": str(path),
                "tries": tries,
            }
            run(["git", "checkout", "-q", "--", "."], suite)
    finally:
        burners.stop()
        run(["git", "checkout", "-q", "--", "."], suite, check=False)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
