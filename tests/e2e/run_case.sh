#!/usr/bin/env bash
# run_case.sh BIN SRC CASE GEN - one end-to-end case of fixtures/CASE/.
#
# The case's input is fixtures/CASE/input (committed) or GEN/CASE/input (made by
# tests/gen/make_fixtures.sh); it is copied into a fresh temporary directory and
# scanned from there as the relative path "input", so report paths are stable:
#   piiscan --rules SRC/rules --format csv --reveal <args> input
# (--reveal is left out when the case has a file "masked"; <args> is the one line
# of fixtures/CASE/args, with @CASE@ replaced by the case folder and @SRC@ by SRC).
# Checks, each optional except the status:
#   expected.csv       stdout must equal it byte for byte
#   expected.status    the exit status
#   expected.warnings  each line must occur (as a fixed string) on stderr
#   setup.sh           sourced in the work dir before the run (mkfifo, chmod ...)
#   check.sh           sourced after the run for case-specific checks; it sees
#                      BIN SRC CASE CASEDIR WORK ARGS BASE UPDATE and out.csv err.txt
# With PIISCAN_E2E_UPDATE=1 the outputs are written to expected.csv instead of being
# compared (after a deliberate change; review the result with git diff):
#   (cd build && PIISCAN_E2E_UPDATE=1 ctest -L e2e)
set -u
UPDATE=${PIISCAN_E2E_UPDATE:-0}
BIN=$1 SRC=$2 CASE=$3 GEN=$4
CASEDIR=$SRC/fixtures/$CASE
WORK=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-e2e-$CASE.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }

if [ -e "$CASEDIR/input" ]; then
    cp -a "$CASEDIR/input" "$WORK/input"
elif [ -e "$GEN/$CASE/input" ]; then
    cp -a "$GEN/$CASE/input" "$WORK/input"
else
    fail "no input (neither $CASEDIR/input nor $GEN/$CASE/input)"
fi

ARGS=()
if [ -f "$CASEDIR/args" ]; then
    line=$(head -n 1 "$CASEDIR/args")
    line=${line//@CASE@/$CASEDIR}
    line=${line//@SRC@/$SRC}
    read -r -a ARGS <<< "$line"
fi
BASE=(--rules "$SRC/rules" --format csv)
[ -f "$CASEDIR/masked" ] || BASE+=(--reveal)

cd "$WORK" || fail "cannot enter $WORK"
if [ -f "$CASEDIR/setup.sh" ]; then
    # shellcheck disable=SC1091
    . "$CASEDIR/setup.sh" || fail "setup.sh failed"
fi

# A scan must never hang (fifos, bombs): a generous bound, then it is a failure.
timeout 120 "$BIN" "${BASE[@]}" "${ARGS[@]}" input > out.csv 2> err.txt
status=$?
[ "$status" -ne 124 ] || fail "timed out"

if [ -f "$CASEDIR/expected.status" ]; then
    want=$(tr -d ' \n' < "$CASEDIR/expected.status")
    [ "$status" = "$want" ] || { cat err.txt >&2; fail "exit status $status, expected $want"; }
fi
if [ "$UPDATE" = 1 ]; then
    cp out.csv "$CASEDIR/expected.csv"
elif [ -f "$CASEDIR/expected.csv" ]; then
    diff -u "$CASEDIR/expected.csv" out.csv >&2 || fail "stdout differs from expected.csv"
fi
if [ -f "$CASEDIR/expected.warnings" ]; then
    while IFS= read -r w || [ -n "$w" ]; do
        [ -n "$w" ] || continue
        grep -qF -- "$w" err.txt || { cat err.txt >&2; fail "stderr lacks: $w"; }
    done < "$CASEDIR/expected.warnings"
fi
if [ -f "$CASEDIR/check.sh" ]; then
    # shellcheck disable=SC1091
    . "$CASEDIR/check.sh" || fail "check.sh failed"
fi
echo "ok [$CASE]"
