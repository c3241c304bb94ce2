#!/usr/bin/env bash
# CI smoke of the fuzz targets (issue 14): every target of fuzz/ for a few seconds each, from its checked-in
# seeds (<dir>/seeds/<target>) and its working corpus (<dir>/corpus/<target>, not in git). Installs the nightly toolchain and cargo-fuzz when
# missing. A crash fails the run and leaves its input in <dir>/artifacts/<target>/.
#
#   scripts/fuzz-smoke.sh [SECONDS_PER_TARGET]   (default 4: about a minute for the 13 targets, after the build)
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-4}"
# One persistent target dir: the fuzz build (sanitizer flags, nightly) shares nothing with the CI build, and its
# first build takes several minutes.
export CARGO_TARGET_DIR="${YIMA_FUZZ_TARGET_DIR:-/var/cache/yima-fuzz-target}"
mkdir -p "$CARGO_TARGET_DIR"

if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for dir in fuzz; do
    cargo +nightly fuzz build --fuzz-dir "$dir"
    for target in $(cargo +nightly fuzz list --fuzz-dir "$dir"); do
        echo "== fuzz $target (${secs} s)"
        mkdir -p "$dir/corpus/$target" "$dir/seeds/$target"
        if ! cargo +nightly fuzz run --fuzz-dir "$dir" "$target" "$dir/corpus/$target" "$dir/seeds/$target" -- \
            -max_total_time="$secs" -print_final_stats=1 >"$log" 2>&1; then
            tail -n 60 "$log"
            echo "fuzz target $target failed: its input is in $dir/artifacts/$target/; keep it as a regression test" >&2
            exit 1
        fi
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log" || true
    done
done
echo "== fuzz smoke: every target ran without a crash"
