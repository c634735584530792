#!/usr/bin/env python3
"""verify_labelled.py - independent check of a corpus written by gen_labelled.py.

    /usr/bin/python3 bench/corpus/verify_labelled.py /tmp/acc

Shares no code with the generator.  It re-reads every corpus file (decoding it, opening
zip members) and checks that:
  1. every truth row's value is written on its line (both halves for split-column names),
     as many times as it is labelled there;
  2. every true value is valid by its own category's rules (SSN area/group/serial and
     sample numbers, ITIN groups, Luhn + issuer prefix, ABA checksum, calendar dates with
     a plausible age, NANP phones, e-mail syntax, compensation ranges, name shapes);
  3. every decoy is written on its line and is NOT valid for what it imitates;
  4. nothing finding-shaped was planted by accident: every SSN-shaped, e-mail-shaped,
     NANP-phone-shaped or Luhn-valid card-shaped string in the files is labelled, as a
     truth item or as a decoy, on its line.
Exit status 0 when all hold, 1 otherwise (the first problems are printed).
"""
import csv
import datetime
import io
import os
import re
import sys
import unicodedata
import zipfile

TODAY = datetime.date(2025, 1, 1)
SAMPLES = {"078051120", "219099999", "123456789"}
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}


def load_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_lines(root, lpath, encoding):
    if "!" in lpath:
        outer, inner = lpath.split("!", 1)
        with zipfile.ZipFile(os.path.join(root, outer)) as zf:
            data = zf.read(inner)
    else:
        with open(os.path.join(root, lpath), "rb") as fh:
            data = fh.read()
    if encoding == "utf-16le":
        if data[:2] != b"\xff\xfe":
            raise ValueError(f"{lpath}: UTF-16LE file without BOM")
        text = data[2:].decode("utf-16-le")
    else:
        text = data.decode(encoding)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def digits(s):
    return "".join(c for c in s if c.isdigit())


# ---- validators (independent of the generator's)
def ssn_valid(v):
    if not re.fullmatch(r"\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{3}\.\d{2}\.\d{4}|\d{9}", v):
        return False
    d = digits(v)
    a, g, s = int(d[:3]), int(d[3:5]), int(d[5:])
    if a == 0 or a == 666 or a >= 900 or g == 0 or s == 0:
        return False
    return d not in SAMPLES and len(set(d)) > 1


def itin_valid(v):
    if not re.fullmatch(r"\d{3}-\d{2}-\d{4}", v):
        return False
    d = digits(v)
    g = int(d[3:5])
    return d[0] == "9" and (50 <= g <= 65 or 70 <= g <= 88 or 90 <= g <= 92 or 94 <= g <= 99)


def luhn(d):
    s = 0
    for i, c in enumerate(d[::-1]):
        x = int(c) * (2 if i % 2 else 1)
        s += x - 9 if x > 9 else x
    return s % 10 == 0


def card_valid(v):
    if not re.fullmatch(r"[\d -]+", v):
        return False
    d = digits(v)
    if not 13 <= len(d) <= 19 or not luhn(d):
        return False
    return (d[0] == "4" or 51 <= int(d[:2]) <= 55 or 2221 <= int(d[:4]) <= 2720 or d[:2] in ("34", "37")
            or d[:4] == "6011" or d[:2] == "65")


def aba_valid(v):
    if not re.fullmatch(r"\d{9}", v):
        return False
    w = (3, 7, 1, 3, 7, 1, 3, 7, 1)
    return sum(int(c) * k for c, k in zip(v, w)) % 10 == 0


def parse_date(v, form):
    """Returns a date or None (invalid calendar date / unknown shape)."""
    try:
        if form == "excel":
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(v))
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", v)
        if m:
            y = int(m.group(3))
            if len(m.group(3)) == 2:
                y += 1900
            return datetime.date(y, int(m.group(1)), int(m.group(2)))
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v)
        if m:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", v)
        if m:
            return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})", v)
        if m:
            mon = [k for k in MONTHS if k.startswith(m.group(2).lower())][0]
            return datetime.date(int(m.group(3)), MONTHS[mon], int(m.group(1)))
        m = re.fullmatch(r"([A-Za-z]+) (\d{1,2}), (\d{4})", v)
        if m:
            return datetime.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", v)
        if m:
            return datetime.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    except (ValueError, KeyError, IndexError):
        return None
    return None


def dob_valid(v, form):
    d = parse_date(v, form)
    return d is not None and 0 <= (TODAY - d).days / 365.25 <= 120


def phone_valid(v):
    m = re.fullmatch(r"(?:\+1 |1-)?(?:\((\d{3})\) |(\d{3})([-. ]?))(\d{3})[-. ]?(\d{4})", v)
    if not m:
        return False
    area = m.group(1) or m.group(2)
    exch = m.group(4)
    return area[0] not in "01" and exch[0] not in "01" and area[1:] != "11"


def email_valid(v):
    return re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", v) is not None


def salary_valid(v, form):
    hourly = form.startswith("salary_hourly")
    m = re.fullmatch(r"(?:USD )?\$?([\d,]+(?:\.\d{2})?)([kK])?(?:/hr| USD)?", v)
    if not m:
        return False
    raw = m.group(1)
    if "," in raw and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{2})?", raw):
        return False
    x = float(raw.replace(",", "")) * (1000 if m.group(2) else 1)
    return 7 <= x <= 500 if hourly else 10000 <= x <= 50000000


def name_valid(v, form):
    if form == "name_split_columns":
        return re.fullmatch(r"\S+ \S+", v) is not None
    tok = r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'-]*"
    pats = [rf"(?:(?:Dr|Mr|Ms|Mrs)\. )?{tok} (?:[A-Z]\. )?{tok}", rf"{tok}, {tok}(?: [A-Z]\.)?"]
    return any(re.fullmatch(p, v) for p in pats)


def truth_valid(row, line):
    cat, v, form = row["category"], row["value"], row["form"]
    if cat == "ssn":
        return ssn_valid(v)
    if cat == "itin":
        return itin_valid(v)
    if cat == "credit_card":
        return card_valid(v)
    if cat == "bank_account":
        if form == "bank_routing":
            return aba_valid(v)
        return form == "bank_account_number" and re.fullmatch(r"\d{8,12}", v) is not None and not aba_valid(v)
    if cat == "dob":
        return dob_valid(v, form[4:])
    if cat == "phone":
        return phone_valid(v)
    if cat == "email":
        return email_valid(v)
    if cat == "salary":
        return salary_valid(v, form)
    if cat == "name":
        return name_valid(v, form)
    return False


def decoy_invalid(row):
    """True when the decoy is indeed not a valid instance of what it looks like."""
    k, v = row["kind"], row["value"]
    if k.startswith("ssn_") or k == "itin_bad_group":
        return not ssn_valid(v) and not itin_valid(v)
    if k == "employee_id_9digits":
        return re.fullmatch(r"\d{9}", v) is not None and not aba_valid(v)
    if k == "card_luhn_invalid":
        return not luhn(digits(v))
    if k == "routing_bad_checksum":
        return not aba_valid(v)
    if k.startswith("dob_"):
        for form in ("mdy", "iso"):
            if parse_date(v, form) is not None and dob_valid(v, form):
                return False
        return True
    if k == "order_number_12":
        return re.fullmatch(r"\d{12}", v) is not None
    if k == "phone_international":
        return v.startswith("+") and not v.startswith("+1 ")
    return True   # words, dates without context, amounts without context: context decides


RX_SSN = re.compile(r"(?<![\d.-])\d{3}([-. ])\d{2}\1\d{4}(?![\d.-])")
RX_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
RX_PHONE = re.compile(r"(?<![\d+])(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?!\d)")
RX_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
RX_NINE = re.compile(r"(?<![\d-])\d{9}(?![\d-])")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: verify_labelled.py OUT_DIR   (the --out of gen_labelled.py)")
    out = sys.argv[1]
    root = os.path.join(out, "corpus")
    files = {r["path"]: r for r in load_csv(os.path.join(out, "files.csv"))}
    truth = load_csv(os.path.join(out, "truth.csv"))
    decoys = load_csv(os.path.join(out, "decoys.csv"))
    errors = []

    def err(msg):
        if len(errors) < 50:
            print("verify:", msg, file=sys.stderr)
        errors.append(msg)

    # every file on disk is listed, and every listed file exists
    on_disk = []
    for dp, _, fns in os.walk(root):
        for fn in fns:
            rel = os.path.relpath(os.path.join(dp, fn), root).replace(os.sep, "/")
            on_disk.append(rel)
    outers = {p.split("!", 1)[0] for p in files}
    for rel in on_disk:
        if rel not in outers:
            err(f"{rel}: on disk but not in files.csv")
    lines = {}
    for p, meta in files.items():
        try:
            lines[p] = read_lines(root, p, meta["encoding"])
        except (OSError, KeyError, ValueError, UnicodeDecodeError) as e:
            err(f"{p}: cannot read: {e}")

    labelled = {}        # (path, line) -> list of values (truth + decoys)
    for t in truth:
        p, ln = t["path"], int(t["line"])
        if p not in lines or not 1 <= ln <= len(lines[p]):
            err(f"truth {p}:{ln}: no such line")
            continue
        line = lines[p][ln - 1]
        if t["form"] == "name_split_columns":
            if not all(part in line for part in t["value"].split(" ")):
                err(f"truth {p}:{ln}: split name {t['value']!r} not on line {line!r}")
        else:
            labelled.setdefault((p, ln), []).append(t["value"])
        if not truth_valid(t, line):
            err(f"truth {p}:{ln}: {t['category']} {t['value']!r} ({t['form']}) is not valid")
    for d in decoys:
        p, ln = d["path"], int(d["line"])
        if p not in lines or not 1 <= ln <= len(lines[p]):
            err(f"decoy {p}:{ln}: no such line")
            continue
        labelled.setdefault((p, ln), []).append(d["value"])
        if not decoy_invalid(d):
            err(f"decoy {p}:{ln}: {d['kind']} {d['value']!r} is valid for {d['looks_like']}")
    for (p, ln), vals in labelled.items():
        line = lines[p][ln - 1]
        for v in set(vals):
            if line.count(v) < vals.count(v):
                err(f"{p}:{ln}: {v!r} labelled {vals.count(v)}x, written {line.count(v)}x: {line!r}")

    # nothing finding-shaped is unlabelled
    for p, ls in lines.items():
        for ln, line in enumerate(ls, 1):
            vals = labelled.get((p, ln), [])
            for rx, what in ((RX_SSN, "SSN-shaped"), (RX_EMAIL, "e-mail-shaped"), (RX_PHONE, "phone-shaped")):
                for m in rx.finditer(line):
                    if not any(m.group(0) in v or v in m.group(0) for v in vals):
                        err(f"{p}:{ln}: unlabelled {what} {m.group(0)!r}")
            for m in RX_CARD.finditer(line):
                d = digits(m.group(0))
                if luhn(d) and card_valid(m.group(0)) and not any(digits(v) == d for v in vals):
                    err(f"{p}:{ln}: unlabelled Luhn-valid card-shaped {m.group(0)!r}")
            if any(t for t in vals if aba_valid(t)):
                for m in RX_NINE.finditer(line):
                    if aba_valid(m.group(0)) and m.group(0) not in vals:
                        err(f"{p}:{ln}: second checksum-valid routing number {m.group(0)!r}")

    ntl = len(truth)
    if errors:
        print(f"verify: {len(errors)} problem(s) in {out}", file=sys.stderr)
        return 1
    print(f"verify: {out}: {len(files)} files, {ntl} truth items and {len(decoys)} decoys checked: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
