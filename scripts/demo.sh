#!/usr/bin/env bash
# demo.sh - README command 1: install what is missing, build (Release) into build/,
# and scan the sample dump, printing the text summary.
# piiscan exits with 1 when it reports findings (0 none, 2 error); the sample dump
# has findings on purpose, so this script treats 1 as success.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPIISCAN_SANITIZE= -DBUILD_TESTING=OFF >/dev/null
echo "demo: building (Release) into build/ ..." >&2
cmake --build build -j "${JOBS:-$(nproc 2>/dev/null || echo 2)}" >/dev/null
echo "+ build/piiscan --rules rules fixtures/sample-dump" >&2
set +e
build/piiscan --rules rules fixtures/sample-dump
status=$?
set -e
if [ "$status" -eq 1 ]; then
    echo "(exit status 1 = findings reported; that is the expected result here)" >&2
    exit 0
fi
exit "$status"
