#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Yima; installs nothing that is there.
#
#   scripts/setup-machine.sh run    libclang (RocksDB's bindings) — enough for `yima-node --dev`
#   scripts/setup-machine.sh test   also rustfmt and clippy, Chromium (and a CJK font) and zbar-tools for
#                                   the scan page's browser and QR tests, iproute2 for the partition tests, and
#                                   the nightly toolchain the fuzz targets build with (cargo-fuzz itself:
#                                   scripts/fuzz-smoke.sh)
set -euo pipefail

what="${1:-test}"
case "$what" in
    run | test) ;;
    *)
        echo "usage: $0 run|test" >&2
        exit 2
        ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=()
# RocksDB's bindings (librocksdb-sys, through bindgen) need libclang's development link (libclang.so or
# libclang-N.so); libclang-cpp.so and the runtime-only libclang-N.so.M do not let the bindings build.
if ! ldconfig -p | grep -Eq 'libclang(-[0-9]+)?\.so ' && ! dpkg -s libclang-dev >/dev/null 2>&1; then
    packages+=(libclang-dev)
fi
if [ "$what" = test ]; then
    # The scan page's end-to-end test drives headless Chromium (with a font for its Chinese text); the QR
    # test decodes with zbarimg.
    command -v chromium >/dev/null 2>&1 || packages+=(chromium)
    dpkg -s fonts-droid-fallback >/dev/null 2>&1 || packages+=(fonts-droid-fallback)
    command -v zbarimg >/dev/null 2>&1 || packages+=(zbar-tools)
    # The partition tests put each node in a network namespace with iproute2's `ip` (and run as root).
    command -v ip >/dev/null 2>&1 || packages+=(iproute2)
fi
if [ "${#packages[@]}" -gt 0 ]; then
    echo "installing: ${packages[*]}"
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${packages[@]}"
fi

if [ "$what" = test ]; then
    for component in rustfmt clippy; do
        if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
            rustup component add "$component"
        fi
    done
fi
if [ "$what" = test ]; then
    # The fuzz targets (fuzz/, scripts/fuzz-smoke.sh) need nightly for libFuzzer's sanitizer flags.
    if ! rustup toolchain list | grep -q '^nightly'; then
        rustup toolchain install nightly --profile minimal
    fi
fi
