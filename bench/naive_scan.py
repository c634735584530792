#!/usr/bin/env python3
"""naive_scan.py - a deliberately naive regex scanner with piiscan's CSV output.

    /usr/bin/python3 bench/naive_scan.py --format csv --reveal [-j N] [--rules DIR] PATH...

Not a product: a stand-in that lets the benchmark scripts run end to end without the
piiscan binary (bench/test_scripts.py uses it), and a baseline that shows what plain
regular expressions score on the labelled corpus: every SSN-shaped, date-near-"born",
dollar-amount and Capitalised-Pair match is reported, so the corpus's decoys show up as
false positives.  Reads plain files, UTF-16 with a BOM, and zip members (path!member).
Options other than PATHs are accepted and ignored.
"""
import csv
import os
import re
import sys
import zipfile

RULES = [
    ("ssn", "naive.ssn", re.compile(r"(?<![\d-])\d{3}([- .])\d{2}\1\d{4}(?![\d-])")),
    ("email", "naive.email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("phone", "naive.phone", re.compile(r"(?:\+1 |1-)?(?:\(\d{3}\) |\b\d{3}[-. ])\d{3}[-. ]\d{4}\b")),
    ("credit_card", "naive.card", re.compile(r"\b(?:\d{4}[ -]){3}\d{4}\b|\b\d{16}\b")),
    ("dob", "naive.dob", re.compile(r"(?i)(?:born|dob|birth)\D{0,20}(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d\d-\d\d)")),
    ("salary", "naive.salary", re.compile(r"\$\d{1,3}(?:,\d{3})+(?:\.\d\d)?")),
    ("name", "naive.name", re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")),
]


MAX_BYTES = 64 * 1024 * 1024


def texts(path):
    """Yields (logical path, text) for a file or the members of a zip (not nested)."""
    if os.path.getsize(path) > MAX_BYTES:
        print(f"naive_scan: warning: {path}: larger than {MAX_BYTES} bytes, skipped", file=sys.stderr)
        return
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(path) as zf:
            for zi in zf.infolist():
                if zi.file_size > MAX_BYTES:
                    print(f"naive_scan: warning: {path}!{zi.filename}: expands past {MAX_BYTES} bytes, skipped",
                          file=sys.stderr)
                    continue
                yield f"{path}!{zi.filename}", decode(zf.read(zi))
        return
    yield path, decode(data)


def decode(b):
    if b[:2] == b"\xff\xfe":
        return b[2:].decode("utf-16-le", "replace")
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("cp1252", "replace")


def main():
    if "--version" in sys.argv:
        print("naive_scan (regex baseline, not piiscan)")
        return 0
    paths, skip = [], False
    for i, arg in enumerate(sys.argv[1:]):
        if skip:
            skip = False
        elif arg in ("-f", "--format", "-j", "--threads", "--rules", "-o", "--output"):
            skip = True
        elif not arg.startswith("-"):
            paths.append(arg)
    files = []
    for p in paths:
        if os.path.isdir(p):
            for dp, _, fns in os.walk(p):
                files += [os.path.join(dp, f) for f in fns]
        else:
            files.append(p)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["severity", "category", "rule", "confidence", "path", "line", "field", "value", "context",
                "record"])
    n = 0
    for f in sorted(files):
        for lpath, text in texts(f):
            for ln, line in enumerate(text.split("\n"), 1):
                for cat, rid, rx in RULES:
                    for m in rx.finditer(line):
                        v = m.group(m.lastindex or 0) if cat == "dob" else m.group(0)
                        if v[:1] in "=+-@":
                            v = "'" + v
                        w.writerow(["low", cat, rid, "0.50", lpath, ln, "", v, "", ln])
                        n += 1
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
