#!/usr/bin/env bash
# Builds every fuzz target with `cargo +nightly fuzz` and runs each for SECONDS (default 30),
# one after another. Each starts from fuzz/seeds/<target> (real files, committed) plus what
# earlier runs left in fuzz/corpus/<target> (not committed). A crash stops the script with the
# input saved under fuzz/artifacts/<target>/.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-30}"
shift || true
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  log="$(mktemp)"
  echo "fuzz: running $target for ${seconds}s"
  if ! cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $target FAILED; the input is in fuzz/artifacts/$target/ (reproduce: cargo +nightly fuzz run $target <file>)"
    rm -f "$log"
    exit 1
  fi
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  echo "fuzz: $target: ${execs:-?} execs in ${seconds}s (${rate:-?}/s), no crash"
  rm -f "$log"
done
