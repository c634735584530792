#!/usr/bin/env bash
# Accuracy benchmark: generate the labelled corpus, check it independently, run piiscan
# on it, and print precision / recall / F1 per category as a Markdown table (also saved
# to bench/results/accuracy-<variant>-seed<seed>.md).
#
#   bench/accuracy.sh                      dev corpus, seed 7, ~3000 table rows
#   bench/accuracy.sh --holdout            the holdout variant (seed 1729): wording and
#                                          headers the dev corpus never uses
#   options: --seed N --rows N --variant dev|holdout --piiscan PATH --rules DIR
#            --threads N --out DIR --keep --verbose --check --results DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
py=/usr/bin/python3
seed=7 rows=3000 variant=dev piiscan="$root/build/piiscan" rules="" threads="" out="" keep=0
verbose="" check="" results="$here/results"
[ -d "$root/rules" ] && rules="$root/rules"
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --variant) variant=$2; shift 2 ;;
    --holdout) variant=holdout; seed=1729; shift ;;
    --piiscan) piiscan=$2; shift 2 ;;
    --rules) rules=$2; shift 2 ;;
    --threads|-j) threads=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --verbose|-v) verbose=--verbose; shift ;;
    --check) check=--check; shift ;;
    --results) results=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "accuracy.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ ! -x "$piiscan" ]; then
  echo "accuracy.sh: piiscan binary not found: $piiscan" >&2
  echo "  build it: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2  (or --piiscan PATH)" >&2
  exit 2
fi
piiscan=$(realpath "$piiscan")
[ -n "$rules" ] && rules=$(realpath "$rules")
if [ -z "$out" ]; then
  out=$(mktemp -d /tmp/piiscan-acc.XXXXXX)
  [ "$keep" = 1 ] || trap 'rm -rf "$out"' EXIT
else
  rm -rf "$out/corpus" "$out/truth.csv" "$out/decoys.csv" "$out/files.csv"
fi
"$py" "$here/corpus/gen_labelled.py" --out "$out" --seed "$seed" --rows "$rows" --variant "$variant" --force >&2
"$py" "$here/corpus/verify_labelled.py" "$out" >&2
popts=(--format csv --reveal)
[ -n "$threads" ] && popts+=(-j "$threads")
[ -n "$rules" ] && popts+=(--rules "$rules")
rc=0
start=$(date +%s%N)
(cd "$out" && "$piiscan" "${popts[@]}" corpus > findings.csv 2> piiscan.stderr) || rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" -gt 1 ]; then
  echo "accuracy.sh: piiscan failed (exit $rc):" >&2
  tail -20 "$out/piiscan.stderr" >&2
  exit 2
fi
report="$results/accuracy-$variant-seed$seed.md"
mkdir -p "$results"
{
  echo "## piiscan accuracy: $variant corpus, seed $seed ($(date '+%Y-%m-%d %H:%M'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?))"
  echo
  echo "- corpus: \`gen_labelled.py --seed $seed --rows $rows --variant $variant\`: $("$py" -c "import json,sys; m=json.load(open(sys.argv[1])); print(f\"{m['files']} files, {m['truth_items']} planted items, {m['decoys']} decoys\")" "$out/manifest.json")"
  echo "- scan: \`piiscan ${popts[*]//$root\//} corpus\` in $((ms / 1000)).$(printf '%03d' $((ms % 1000)) | cut -c1) s, exit $rc, $(($(wc -l < "$out/piiscan.stderr"))) stderr line(s)"
  echo
  "$py" "$here/score.py" --truth "$out/truth.csv" --findings "$out/findings.csv" --by-form $verbose || true
  echo
  echo "Command: \`bench/accuracy.sh --seed $seed --rows $rows --variant $variant\`"
} | tee "$report"
echo "accuracy.sh: report saved: $report" >&2
if [ "$keep" = 1 ]; then
  echo "accuracy.sh: corpus and findings kept in $out" >&2
fi
if [ -n "$check" ]; then
  "$py" "$here/score.py" --truth "$out/truth.csv" --findings "$out/findings.csv" --check > /dev/null
fi
