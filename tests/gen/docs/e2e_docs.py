#!/usr/bin/python3
"""End-to-end check of the PDF and mail extractors through the real binary.

Usage: e2e_docs.py PIISCAN SRC FIXDIR

Copies FIXDIR/leak.zip, which gen_docs.py made (mail and PDFs written by
Python's email/mailbox and reportlab, zipped by Python's zipfile), and scans it
with `piiscan --format csv --reveal`, then checks:
  - every planted SSN is found at the logical path a legal team can open:
    leak.zip!exec.mbox!msg-0004!payroll.csv (an attachment in an mbox in a zip),
    leak.zip!reports/text.pdf!page-3 with the line on that page, ...
  - the decoys are not: SSNs inside <script> and an HTML comment, and the SSN
    that is only pixels of a scanned page;
  - the malformed and unreadable files are warnings naming them (broken MIME
    boundary, truncated PDF, bad xref, no text layer, encrypted), and what was
    readable in them is still scanned;
  - the exit status is 1 (findings).
"""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile


def fail(msg, err=""):
    sys.stderr.write(err)
    sys.exit("FAIL [e2e.docs]: " + msg)


# (category, logical path, line or None, value) that must be reported
EXPECTED = [
    ("ssn", "leak.zip!exec.mbox!msg-0004!payroll.csv", "2", "471-83-2265"),
    ("ssn", "leak.zip!exec.mbox!msg-0004!payroll.csv", "3", "318-44-9021"),
    ("ssn", "leak.zip!exec.mbox!msg-0003", None, "602-37-1845"),
    ("ssn", "leak.zip!exec.mbox!msg-0005!message-1!w2.tsv", None, "318-44-9021"),
    ("ssn", "leak.zip!memo.eml", "7", "471-83-2265"),
    ("email", "leak.zip!memo.eml", "3", "jose.nunez@sony.example"),   # RFC 2047 Cc header
    ("ssn", "leak.zip!broken.eml", None, "471-83-2265"),
    ("ssn", "leak.zip!reports/text.pdf!page-1", "3", "471-83-2265"),
    ("ssn", "leak.zip!reports/text.pdf!page-3", "2", "318-44-9021"),
    ("ssn", "leak.zip!reports/mixed.pdf!page-4", "2", "318-44-9021"),
    ("ssn", "leak.zip!reports/truncated.pdf!page-1", "3", "471-83-2265"),
    ("ssn", "leak.zip!reports/badxref.pdf!page-3", "2", "318-44-9021"),
]
DECOYS = ["233-19-4872", "388-27-5561", "545-28-6613"]
WARNINGS = [
    ("leak.zip!broken.eml", "broken MIME"),
    ("leak.zip!reports/truncated.pdf", "truncated or damaged PDF"),
    ("leak.zip!reports/badxref.pdf", "damaged PDF"),
    ("leak.zip!reports/mixed.pdf", "no text layer on 1 of 4 pages (page 2)"),
    ("leak.zip!reports/scanned.pdf", "no text layer"),
    ("leak.zip!reports/encrypted.pdf", "encrypted PDF"),
]


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: e2e_docs.py PIISCAN SRC FIXDIR")
    binary, src, fixdir = (os.path.abspath(a) for a in sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="piiscan-e2e-docs.") as work:
        shutil.copyfile(os.path.join(fixdir, "leak.zip"), os.path.join(work, "leak.zip"))
        p = subprocess.run([binary, "--rules", os.path.join(src, "rules"), "--format", "csv",
                            "--reveal", "leak.zip"], cwd=work, capture_output=True, timeout=120)
    out = p.stdout.decode("utf-8")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 1:
        fail("exit status %d, expected 1" % p.returncode, err)
    rows = list(csv.DictReader(io.StringIO(out)))
    for cat, path, line, value in EXPECTED:
        hits = [r for r in rows if r["category"] == cat and r["path"] == path
                and r["value"] == value and (line is None or r["line"] == line)]
        if not hits:
            fail("missing %s %s at %s line %s" % (cat, value, path, line), out)
    for d in DECOYS:
        if d in out:
            fail("decoy %s reported" % d, out)
    for path, text in WARNINGS:
        if not any(l.startswith("piiscan: warning: %s: " % path) and text in l
                   for l in err.splitlines()):
            fail("no warning for %s containing %r" % (path, text), err)
    print("ok [e2e.docs]: %d findings, %d expected present, %d decoys absent, %d warnings"
          % (len(rows), len(EXPECTED), len(DECOYS), len(WARNINGS)))


if __name__ == "__main__":
    main()
