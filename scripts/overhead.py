#!/usr/bin/env python3
"""What `cargo budget report` costs over plain `cargo nextest run --no-fail-fast`, on a real
suite, in alternating pairs (plain, then report) after one warm-up of each, so load drifts hit
both alike.

Two measures, because a real suite's own spread (±10 % on itertools) hides a 2 % overhead:
- the whole suite: each pair's ratio and the median ratio;
- the fixed cost: the same pairs with `-E FILTER` selecting one fast test, so the run itself
  costs almost nothing and the difference is what cargo-budget adds (its source scan, tool
  config, JUnit, judging, the nextest version). The overhead on the whole suite is then
  1 + fixed cost / the median plain suite time.

Usage: PATH=target/release:$PATH python3 scripts/overhead.py WORKSPACE [PAIRS] [FILTER]
(`cargo budget` must run this build; the workspace's tests must be built once already.)
"""
import os
import statistics
import subprocess
import sys
import time

cwd = sys.argv[1]
pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 4
one = sys.argv[3] if len(sys.argv) > 3 else None
env = dict(os.environ, CARGO_TERM_COLOR="never")
env.pop("CI", None)


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def alternate(extra, n, label):
    plain = ["cargo", "nextest", "run", "--no-fail-fast"] + extra
    ours = ["cargo", "budget", "report", "--no-baseline", "--mode", "dev"] + extra
    timed(plain)
    timed(ours)
    a_all, b_all = [], []
    for i in range(n):
        a = timed(plain)
        b = timed(ours)
        a_all.append(a)
        b_all.append(b)
        print(f"{label} pair {i + 1}: nextest {a:.3f} s, report {b:.3f} s, "
              f"ratio {b / a:.3f}, difference {b - a:+.3f} s", flush=True)
    return a_all, b_all


plain, ours = alternate([], pairs, "suite")
ratios = [b / a for a, b in zip(plain, ours)]
suite = statistics.median(plain)
print(f"suite: median plain {suite:.2f} s, median ratio {statistics.median(ratios):.3f} "
      f"over {pairs} pairs")
if one:
    a_all, b_all = alternate(["-E", one], pairs * 3, "fixed")
    fixed = statistics.median([b - a for a, b in zip(a_all, b_all)])
    print(f"fixed cost: median difference {fixed:.3f} s over {pairs * 3} pairs "
          f"(plain {statistics.median(a_all):.3f} s, report {statistics.median(b_all):.3f} s); "
          f"overhead on the suite 1 + {fixed:.3f} / {suite:.2f} = {1 + fixed / suite:.3f}")
