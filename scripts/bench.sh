#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md and prints one table at the end:
#
#   scripts/bench.sh                      # the issue's sizes (about 20 minutes)
#   BENCH_SCALE=0.02 BENCH_CRITERION_ARGS=--quick BENCH_COMPILE_REPEAT=1 scripts/bench.sh
#                                         # a smoke run (minutes)
#
# It first waits for a quiet machine: until the 1-minute load average is
# below BENCH_QUIET_LOAD (default 1.5), for at most BENCH_QUIET_WAIT seconds
# (default 600), and says how long it waited and at what load it started.
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

# DynamoDB Local keeps the requests bench's 1,000,000 items in its JVM heap.
export DYNAMODB_LOCAL_JAVA_OPTS="${DYNAMODB_LOCAL_JAVA_OPTS:--Xmx12g}"

# On 2 cores, someone else's build halves the figures: wait until it is done.
quiet_load="${BENCH_QUIET_LOAD:-1.5}"
quiet_wait="${BENCH_QUIET_WAIT:-600}"
waited=0
while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v q="$quiet_load" 'BEGIN { exit !(l >= q) }' \
  && (( waited < quiet_wait )); do
  if (( waited == 0 )); then
    echo "== waiting for a quiet machine (1-minute load $(cut -d' ' -f1 /proc/loadavg), want < $quiet_load, at most ${quiet_wait} s)" >&2
  fi
  sleep 10
  waited=$((waited + 10))
done
if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v q="$quiet_load" 'BEGIN { exit !(l >= q) }'; then
  quiet="gave up waiting for a 1-minute load below $quiet_load after ${waited} s"
else
  quiet="waited ${waited} s for a 1-minute load below $quiet_load"
fi
echo "== $quiet" >&2

machine >"$out/machine.md"
echo "- load average before: $(load) ($quiet)" >>"$out/machine.md"
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

# Every target, met or missed, in one place.
echo
echo "### Every target"
echo
echo "Conversions:"
echo
# Columns: conversion, derive / careful ($7), serde_dynamo / derive ($8), verdicts ($10).
grep -E '^\| (to|from)_item ' "$out/conversions.md" \
  | awk -F'|' '{ for (i = 2; i <= 10; i++) gsub(/^ +| +$/, "", $i); print "- " $2 ": " $8 " serde_dynamo / derive (≥ 3x), " $7 " derive / careful (≤ 1.10x): " $10 }' || true
echo
echo "Requests:"
echo
sed -n '/^### Targets/,$p' "$out/requests.md"
echo
echo "Compile time:"
echo
awk -F'|' '/^\| declared \|/ { r = $5; gsub(/[ *x]/, "", r); printf "- declared, DynamoItem / serde %sx: at parity (≤ 1.00x) %s\n", r, (r + 0 <= 1.0 ? "met" : "**missed**") }' "$out/compile.md"
awk -F'|' '/^\| declared \+ each converted/ { r = $5; gsub(/[ *x]/, "", r); printf "- declared and converted both ways, DynamoItem / serde %sx: ≤ 0.65x %s\n", r, (r + 0 <= 0.65 ? "met" : "**missed**") }' "$out/compile.md"
