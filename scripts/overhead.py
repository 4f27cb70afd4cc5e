#!/usr/bin/env python3
"""What `cargo budget report` costs over plain `cargo nextest run --no-fail-fast`, on a real
suite: alternating pairs (plain, then report), after one warm-up of each, so load drifts hit
both alike. Prints each pair and the median ratio.

Usage: PATH=target/release:$PATH python3 scripts/overhead.py WORKSPACE [PAIRS]
(`cargo budget` must run this build; the workspace's tests must be built once already.)
"""
import os
import statistics
import subprocess
import sys
import time

cwd = sys.argv[1]
pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 4
env = dict(os.environ, CARGO_TERM_COLOR="never")
env.pop("CI", None)


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


plain = ["cargo", "nextest", "run", "--no-fail-fast"]
ours = ["cargo", "budget", "report", "--no-baseline", "--mode", "dev"]
timed(plain)
timed(ours)
ratios = []
for i in range(pairs):
    a = timed(plain)
    b = timed(ours)
    ratios.append(b / a)
    print(f"pair {i + 1}: nextest {a:.2f} s, report {b:.2f} s, ratio {b / a:.3f}", flush=True)
print(f"median ratio {statistics.median(ratios):.3f} over {pairs} pairs")
