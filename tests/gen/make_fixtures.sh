#!/usr/bin/env bash
# make_fixtures.sh SRC OUT - writes the binary inputs of the e2e cases into OUT/<case>/input
# (archives, UTF-16 text, bombs). Run by the CTest fixture e2e.generate; nothing it
# makes is committed. Deterministic: fixed member names, mtimes and order; gzip -n.
# Uses only zip, tar, gzip, 7z, iconv, head (scripts/deps.sh installs them).
set -euo pipefail
SRC=$1
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-gen.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC
STAMP=202401010000    # touch -t: every member gets the same mtime

fresh() {   # fresh CASE -> prints an empty OUT/CASE/input
    rm -rf "$OUT/$1"
    mkdir -p "$OUT/$1/input"
    echo "$OUT/$1/input"
}

# zip_dir ZIP DIR [zip options]: zip DIR's files (sorted, relative names), no extra fields.
zip_dir() {
    local zipf=$1 dir=$2
    shift 2
    (cd "$dir" && find . -type f | LC_ALL=C sort | sed 's|^\./||' |
        xargs touch -t "$STAMP" && find . -type f | LC_ALL=C sort | sed 's|^\./||' |
        zip -q -X -D "$@" "$zipf" -@)
}

# --- arc_zip_in_targz_in_zip: outer.zip > bundle.tar.gz > hr.zip > staff.csv -------------
in=$(fresh arc_zip_in_targz_in_zip)
w=$TMP/nest; mkdir -p "$w/l1" "$w/l2" "$w/l3"
cat > "$w/l1/staff.csv" <<'CSV'
employee_id,full_name,ssn,dob
1001,Maria Gonzalez,536-22-8914,1967-04-12
1002,Decoy Row,000-12-3456,not a date
CSV
zip_dir "$w/l2/hr.zip" "$w/l1"
touch -t "$STAMP" "$w/l2/hr.zip"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1704067200 \
    -C "$w/l2" -cf - hr.zip | gzip -n > "$w/l3/bundle.tar.gz"
zip_dir "$in/outer.zip" "$w/l3"

# --- arc_csv_gz: a single gzip stream holding a CSV --------------------------------------
in=$(fresh arc_csv_gz)
cat > "$TMP/people.csv" <<'CSV'
name,email,phone,ssn
Robert Chen,rchen@example.com,(310) 555-0143,412-70-3318
Ann Lee,ann.lee@example.org,n/a,not recorded
CSV
gzip -n -c "$TMP/people.csv" > "$in/people.csv.gz"

# --- text_utf16le: a memo in UTF-16LE with a byte order mark ----------------------------
in=$(fresh text_utf16le)
{
    printf '\xff\xfe'
    printf 'Memo from HR\r\nPlease update the record of Jos\xc3\xa9 \xc3\x81lvarez, SSN 219-45-7781.\r\nOld ticket number 4471-2210 is closed.\r\n' |
        iconv -f UTF-8 -t UTF-16LE
} > "$in/memo_utf16.txt"

# --- arc_7z: a 7-Zip archive with a text file and a CSV ----------------------------------
in=$(fresh arc_7z)
w=$TMP/7z; mkdir -p "$w"
printf 'Wire transfer approved for card 4539 1488 0343 6467.\nReference 5425-2334 is not a card.\n' > "$w/notes.txt"
printf 'id,ssn\n1,536-22-8914\n' > "$w/ids.csv"
touch -t "$STAMP" "$w/notes.txt" "$w/ids.csv"
(cd "$w" && 7z a -bd -bso0 -bsp0 -mtm=off -mtc=off -mta=off "$in/docs.7z" ids.csv notes.txt >/dev/null)

# --- arc_corrupt_zip: a stored zip cut in the middle of its second member ----------------
in=$(fresh arc_corrupt_zip)
w=$TMP/corrupt; mkdir -p "$w"
printf 'first member SSN 536-22-8914 readable\n' > "$w/a.txt"
{
    printf 'second member begins SSN 412-70-3318\n'
    for i in $(seq 1 200); do printf 'filler line %03d without anything personal\n' "$i"; done
} > "$w/b.txt"
zip_dir "$TMP/corrupt.zip" "$w" -0
# Keep the first member whole and about half of the second: no central directory.
size=$(stat -c %s "$TMP/corrupt.zip")
head -c $((size / 2)) "$TMP/corrupt.zip" > "$in/broken.zip"

# --- arc_zip_bomb: a ratio bomb (200 MiB of text) and a nesting bomb (12 levels) ---------
# The bomb is text, not zeros: all-zero data is sniffed as binary and skipped without
# being expanded, which would not exercise the expansion limit.
in=$(fresh arc_zip_bomb)
w=$TMP/bomb; mkdir -p "$w/z"
head -c 200M < <(yes 'all work and no play makes jack a dull boy') > "$w/z/bomb.txt"
printf 'after the bomb: SSN 536-22-8914\n' > "$w/z/zz_after.txt"
zip_dir "$in/ratio_bomb.zip" "$w/z" -9
rm -f "$w/z/bomb.txt"
d=$TMP/deep; mkdir -p "$d/0"
printf 'deep SSN 412-70-3318\n' > "$d/0/bottom.txt"
for i in $(seq 1 12); do
    mkdir -p "$d/$i"
    zip_dir "$d/$i/level$i.zip" "$d/$((i - 1))"
done
cp "$d/12/level12.zip" "$in/depth_bomb.zip"

echo "make_fixtures: wrote $(find "$OUT" -type f | wc -l) files under $OUT"
