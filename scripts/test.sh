#!/usr/bin/env bash
# test.sh - README command 2: install what is missing, build once in Debug with
# AddressSanitizer and UndefinedBehaviorSanitizer into build-test/, run every test
# (unit, e2e) with ctest. Exit status is ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DPIISCAN_SANITIZE="address;undefined" >/dev/null
cmake --build build-test -j "$JOBS"
cd build-test
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    ctest --output-on-failure -j "$JOBS" "$@"
