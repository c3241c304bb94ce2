#!/usr/bin/env bash
# The long fuzz campaign of issue 14: each target (all, or those named) alone, one process, until 10 million
# executions or an hour, from its seeds and working corpus. Prints per target the line for RELIABILITY.md's fuzz
# table (executions, seconds, executions/s, outcome) and appends it to fuzz/campaign.log.
#
#   scripts/fuzz-campaign.sh [TARGET...]           targets of fuzz/
#   YIMA_FUZZ_RUNS=10000000 YIMA_FUZZ_SECS=3600   the bounds of one run
#   YIMA_FUZZ_QUIET_FILE=/path                     wait, before each run, while this file exists (someone
#                                                  benchmarks); the runs themselves may be SIGSTOPped and resumed
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${YIMA_FUZZ_RUNS:-10000000}"
secs="${YIMA_FUZZ_SECS:-3600}"
quiet="${YIMA_FUZZ_QUIET_FILE:-}"
export CARGO_TARGET_DIR="${YIMA_FUZZ_TARGET_DIR:-/var/cache/yima-fuzz-target}"
mkdir -p "$CARGO_TARGET_DIR"

all=()
for dir in fuzz; do
    for t in $(cargo +nightly fuzz list --fuzz-dir "$dir"); do all+=("$dir:$t"); done
done
for entry in "${all[@]}"; do
    dir="${entry%%:*}" target="${entry#*:}"
    if [ "$#" -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$target"; then continue; fi
    while [ -n "$quiet" ] && [ -e "$quiet" ]; do sleep 10; done
    mkdir -p "$dir/corpus/$target" "$dir/seeds/$target" fuzz/logs
    log="fuzz/logs/$target.log"
    start=$(date +%s)
    status=ok
    cargo +nightly fuzz run --fuzz-dir "$dir" "$target" "$dir/corpus/$target" "$dir/seeds/$target" -- \
        -runs="$runs" -max_total_time="$secs" -print_final_stats=1 >"$log" 2>&1 ||
        status="CRASH (see $log, $dir/artifacts/$target/)"
    took=$(($(date +%s) - start))
    execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
    rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' | tail -1)
    line="$(date -u +%FT%TZ) $target executions=${execs:-?} wall_seconds=$took exec_per_sec=${rate:-?} outcome=$status"
    echo "$line" | tee -a fuzz/campaign.log
done
