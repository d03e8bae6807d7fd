#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md and prints one table at the end:
#
#   scripts/bench.sh                      # the issue's sizes (about 25 minutes)
#   BENCH_SCALE=0.05 BENCH_CRITERION_ARGS=--quick BENCH_COMPILE_REPEAT=1 scripts/bench.sh
#                                         # a smoke run (minutes)
#
# 1. conversions: `cargo bench --bench conversions` (criterion)
# 2. requests:    `cargo bench --bench requests` (DynamoDB Local, started by the bench)
# 3. compile:     `scripts/bench_compile.sh`
#
# The machine is described first (and its load before and after): the
# figures mean little if something else was running. Logs go to
# target/bench-summary/*.log; each benchmark's table to target/bench-summary/*.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-summary
mkdir -p "$out"
rm -f "$out"/conversions.md "$out"/requests.md "$out"/compile.md

machine() {
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores available"
  echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- rustc: $(rustc --version)"
  echo "- java: $(java -version 2>&1 | head -n 1)"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

machine >"$out/machine.md"
echo "- load average before: $(load)" >>"$out/machine.md"
cat "$out/machine.md" >&2

# Other work on the machine skews everything: sample the load and the
# busiest processes every 20 s while the benchmarks run.
: >"$out/load.log"
(
  while sleep 20; do
    echo "$(date -u +%H:%M:%S) load $(load) | $(ps -eo pcpu=,comm= --sort=-pcpu | head -n 4 | awk '{ printf "%s %s%%, ", $2, $1 }')"
  done >>"$out/load.log"
) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null' EXIT

echo "== 1/3 conversions" >&2
cargo bench --bench conversions -- ${BENCH_CRITERION_ARGS:-} 2>&1 | tee "$out/conversions.log" >&2
echo "== 2/3 requests" >&2
cargo bench --bench requests 2>&1 | tee "$out/requests.log" >&2
echo "== 3/3 compile time" >&2
scripts/bench_compile.sh 2>&1 | tee "$out/compile.log" >&2

echo "- load average after: $(load)" >>"$out/machine.md"
kill "$sampler" 2>/dev/null || true
echo "- 1-minute load while running (every 20 s): $(awk '{ print $3 }' "$out/load.log" | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "median %s, max %s (%d samples; details in %s)", v[int((NR + 1) / 2)], v[NR], NR, "target/bench-summary/load.log" }')" >>"$out/machine.md"

echo
echo "## Results"
echo
cat "$out/machine.md"
echo
echo "### Conversions (criterion's typical time per conversion; ratio > 1: the derive is faster)"
echo
cat "$out/conversions.md"
echo
cat "$out/requests.md"
cat "$out/compile.md"
