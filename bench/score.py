#!/usr/bin/env python3
"""score.py - precision, recall and F1 per category: piiscan findings against a truth file.

    piiscan --format csv --reveal corpus/ > findings.csv
    /usr/bin/python3 bench/score.py --truth OUT/truth.csv --findings findings.csv [--verbose]

truth.csv (bench/corpus/gen_labelled.py): path,line,category,value[,form,field,alt].
findings.csv: the findings CSV contract of DESIGN.md (severity,category,rule,confidence,
path,line,field,value,context,record); only category, path, line and value are used.

A finding is a true positive when an unmatched truth item has the same path, the same
line, the same category and the same value after normalisation (Unicode NFC, case
folded, runs of whitespace collapsed, ends trimmed; the spreadsheet-formula guard
"'" is removed first), or equals one of the item's listed `alt` spellings.  Each truth
item matches at most one finding: a second identical finding is a false positive.
Paths match by suffix: a finding path matches the truth path P when it is P or ends in
"/P" or "!P", so it does not matter where piiscan was started from.

Only categories present in the truth file are scored (or --categories); findings of
other categories and findings on files outside the corpus are counted, not scored.
With files.csv and decoys.csv next to the truth file (as gen_labelled.py writes them),
false positives are attributed to the decoy they hit.  --check exits 1 when ssn, dob,
name or salary miss the issue's target (precision >= 0.97 and recall >= 0.95).
"""
import argparse
import csv
import json
import os
import sys
import unicodedata

TARGETS = {"ssn": (0.97, 0.95), "dob": (0.97, 0.95), "name": (0.97, 0.95), "salary": (0.97, 0.95)}
GUARD_CHARS = ("=", "+", "-", "@", "\t", "\r")


def unguard(v):
    """Undo the formula-injection guard (a leading apostrophe before = + - @ tab CR)."""
    if len(v) >= 2 and v[0] == "'" and v[1] in GUARD_CHARS:
        return v[1:]
    return v


def norm(v):
    v = unicodedata.normalize("NFC", unguard(v or ""))
    return " ".join(v.split()).casefold()


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def need(rows, cols, what):
    if rows and any(c not in rows[0] for c in cols):
        missing = [c for c in cols if c not in rows[0]]
        sys.exit(f"score: {what} lacks column(s) {', '.join(missing)}")


class PathMap:
    """Maps a logical path from piiscan to a corpus path by suffix."""

    def __init__(self, known):
        self.known = set(known)
        self.cache = {}

    def __call__(self, p):
        if p in self.cache:
            return self.cache[p]
        q = (p or "").replace("\\", "/")
        hit = None
        for i in range(len(q)):
            if (i == 0 or q[i - 1] in "/!") and q[i:] in self.known:
                hit = q[i:]
                break
        self.cache[p] = hit
        return hit


def to_line(s):
    try:
        n = int(str(s).strip())
        return n if n > 0 else None
    except ValueError:
        return None


def score(truth, findings, categories=None, decoys=(), files=(), line_slack=0):
    """Pure scoring.  truth/findings/decoys: lists of dicts (CSV rows).
    Returns a dict: per-category counts and metrics, the FP/FN lists and diagnostics."""
    cats = sorted(categories or {t["category"] for t in truth})
    pmap = PathMap([t["path"] for t in truth] + list(files))
    items = {}   # (path, cat) -> list of truth entries
    for t in truth:
        if t["category"] not in cats:
            continue
        acc = {norm(t["value"])} | {norm(a) for a in (t.get("alt") or "").split("|") if a}
        items.setdefault((t["path"], t["category"]), []).append(
            {"row": t, "line": int(t["line"]), "acc": acc, "matched": False})
    outside, unscored = 0, {}
    found = {}   # (path, cat) -> list of findings
    for f in findings:
        cat = f.get("category", "")
        p = pmap(f.get("path", ""))
        if p is None:
            outside += 1
            continue
        if cat not in cats:
            unscored[cat] = unscored.get(cat, 0) + 1
            continue
        found.setdefault((p, cat), []).append(
            {"row": f, "path": p, "line": to_line(f.get("line")), "val": norm(f.get("value")), "tp": False})

    for key, fl in found.items():
        tl = items.get(key, [])
        fl.sort(key=lambda x: (x["line"] is None, x["line"] or 0))
        for slack in sorted({0, line_slack}):
            for f in fl:
                if f["tp"] or f["line"] is None:
                    continue
                best = None
                for t in tl:
                    if t["matched"] or f["val"] not in t["acc"] or abs(t["line"] - f["line"]) > slack:
                        continue
                    if best is None or abs(t["line"] - f["line"]) < abs(best["line"] - f["line"]):
                        best = t
                if best is not None:
                    best["matched"] = f["tp"] = True

    # decoys by (path, line) for FP attribution
    dmap = {}
    for d in decoys:
        dmap.setdefault((d["path"], int(d["line"])), []).append(d)

    res = {"categories": {}, "fp": [], "fn": [], "outside": outside, "unscored": unscored,
           "line_only": {}, "span_only": 0, "duplicates": 0, "fp_decoy_kinds": {}}
    for cat in cats:
        tp = fp = fn = 0
        for (p, c), tl in items.items():
            if c != cat:
                continue
            for t in tl:
                if t["matched"]:
                    tp += 1
                else:
                    fn += 1
                    res["fn"].append(t["row"])
        for (p, c), fl in found.items():
            if c != cat:
                continue
            for f in fl:
                if f["tp"]:
                    continue
                fp += 1
                kind = ""
                for d in dmap.get((p, f["line"]), []):
                    dv = norm(d["value"])
                    if dv and (dv == f["val"] or dv in f["val"] or f["val"] in dv):
                        kind = d["kind"]
                        break
                res["fp"].append(dict(f["row"], _path=p, _decoy=kind))
                k = kind or "(not a planted decoy)"
                res["fp_decoy_kinds"][k] = res["fp_decoy_kinds"].get(k, 0) + 1
        P = tp / (tp + fp) if tp + fp else None
        R = tp / (tp + fn) if tp + fn else None
        F = 2 * P * R / (P + R) if P and R else 0.0
        res["categories"][cat] = {"truth": tp + fn, "reported": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                                  "precision": P, "recall": R, "f1": F}
    # diagnostics: FP/FN pairs that differ only by line, or only by span
    for (p, cat), fl in found.items():
        tl = [t for t in items.get((p, cat), []) if not t["matched"]]
        tps = {(f["line"], f["val"]) for f in fl if f["tp"]}
        for f in fl:
            if f["tp"]:
                continue
            if (f["line"], f["val"]) in tps:
                res["duplicates"] += 1
                continue
            same_val = [t for t in tl if f["val"] in t["acc"]]
            if same_val and f["line"] is not None:
                d = min((t["line"] - f["line"] for t in same_val), key=abs)
                res["line_only"][d] = res["line_only"].get(d, 0) + 1
            elif f["line"] is not None and any(t["line"] == f["line"] and f["val"] and any(
                    f["val"] in a or a in f["val"] for a in t["acc"]) for t in tl):
                res["span_only"] += 1
    tp = sum(c["tp"] for c in res["categories"].values())
    fp = sum(c["fp"] for c in res["categories"].values())
    fn = sum(c["fn"] for c in res["categories"].values())
    P = tp / (tp + fp) if tp + fp else None
    R = tp / (tp + fn) if tp + fn else None
    res["all"] = {"truth": tp + fn, "reported": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                  "precision": P, "recall": R, "f1": 2 * P * R / (P + R) if P and R else 0.0}
    return res


def by_form(truth, res):
    """Recall per written form (truth column `form`)."""
    missed = {}
    for t in res["fn"]:
        k = (t["category"], t.get("form", ""))
        missed[k] = missed.get(k, 0) + 1
    total = {}
    for t in truth:
        if t["category"] in res["categories"]:
            k = (t["category"], t.get("form", ""))
            total[k] = total.get(k, 0) + 1
    return {k: (n, n - missed.get(k, 0)) for k, n in sorted(total.items())}


def fmt(x):
    return "n/a" if x is None else f"{x:.3f}"


def target_status(cat, m):
    if cat not in TARGETS:
        return ""
    tp_, tr_ = TARGETS[cat]
    ok = m["precision"] is not None and m["recall"] is not None and \
        m["precision"] >= tp_ and m["recall"] >= tr_
    return "met" if ok else "**missed**"


def report(res, truth, show_forms=False):
    out = ["| category | truth | reported | TP | FP | FN | precision | recall | F1 | target P≥0.97 R≥0.95 |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for cat, m in res["categories"].items():
        out.append(f"| {cat} | {m['truth']} | {m['reported']} | {m['tp']} | {m['fp']} | {m['fn']} | "
                   f"{fmt(m['precision'])} | {fmt(m['recall'])} | {m['f1']:.3f} | {target_status(cat, m)} |")
    m = res["all"]
    out.append(f"| **all** | {m['truth']} | {m['reported']} | {m['tp']} | {m['fp']} | {m['fn']} | "
               f"{fmt(m['precision'])} | {fmt(m['recall'])} | {m['f1']:.3f} | |")
    notes = []
    if res["outside"]:
        notes.append(f"{res['outside']} finding(s) on paths outside the corpus were ignored")
    if res["unscored"]:
        notes.append("not scored (no truth for the category): " +
                     ", ".join(f"{k} {v}" for k, v in sorted(res["unscored"].items())))
    if res["duplicates"]:
        notes.append(f"{res['duplicates']} FP(s) repeat a finding already counted as TP")
    if res["line_only"]:
        notes.append("FP/FN pairs with the same value on another line (truth line − finding line: count): " +
                     ", ".join(f"{d:+d}: {n}" for d, n in sorted(res["line_only"].items())))
    if res["span_only"]:
        notes.append(f"{res['span_only']} FP(s) overlap an unmatched truth value on the same line "
                     "(span differs: see --verbose)")
    kinds = sorted(res["fp_decoy_kinds"].items(), key=lambda x: -x[1])
    if kinds:
        notes.append("FPs by planted decoy: " + ", ".join(f"{k} {v}" for k, v in kinds[:12]))
    if notes:
        out.append("")
        out.extend(f"- {n}" for n in notes)
    if show_forms:
        out += ["", "| category | form | truth | found | recall |", "|---|---|---:|---:|---:|"]
        for (cat, form), (n, ok) in by_form(truth, res).items():
            out.append(f"| {cat} | {form} | {n} | {ok} | {ok / n:.3f} |")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", required=True, help="truth.csv")
    ap.add_argument("--findings", required=True, help="piiscan --format csv --reveal output")
    ap.add_argument("--decoys", help="decoys.csv (default: next to the truth file, if present)")
    ap.add_argument("--files", help="files.csv listing the corpus (default: next to the truth file)")
    ap.add_argument("--categories", help="comma-separated categories to score (default: those in truth)")
    ap.add_argument("--line-slack", type=int, default=0, help="accept a line this far off (default 0)")
    ap.add_argument("--by-form", action="store_true", help="also print recall per written form")
    ap.add_argument("--verbose", "-v", action="store_true", help="list false positives and false negatives")
    ap.add_argument("--max-list", type=int, default=100, help="with --verbose: at most N per list (0 = all)")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    a = ap.parse_args(argv)

    truth = read_csv(a.truth)
    need(truth, ["path", "line", "category", "value"], a.truth)
    findings = read_csv(a.findings)
    need(findings, ["category", "path", "line", "value"], a.findings)
    here = os.path.dirname(os.path.abspath(a.truth))
    dpath = a.decoys or os.path.join(here, "decoys.csv")
    fpath = a.files or os.path.join(here, "files.csv")
    decoys = read_csv(dpath) if os.path.exists(dpath) else []
    files = [r["path"] for r in read_csv(fpath)] if os.path.exists(fpath) else []
    cats = a.categories.split(",") if a.categories else None
    res = score(truth, findings, cats, decoys, files, a.line_slack)
    print(report(res, truth, a.by_form))
    if a.verbose:
        lim = a.max_list or None
        for cat in res["categories"]:
            fns = [t for t in res["fn"] if t["category"] == cat]
            fps = [f for f in res["fp"] if f["category"] == cat]
            if fns:
                print(f"\nFN {cat} ({len(fns)}):")
                for t in fns[:lim]:
                    print(f"  {t['path']}:{t['line']}  {t['value']!r}  [{t.get('form', '')}"
                          f"{', field ' + t['field'] if t.get('field') else ''}]")
            if fps:
                print(f"\nFP {cat} ({len(fps)}):")
                for f in fps[:lim]:
                    why = f"decoy {f['_decoy']}" if f["_decoy"] else "not a planted decoy"
                    print(f"  {f['_path']}:{f.get('line', '')}  {unguard(f.get('value', ''))!r}  "
                          f"[rule {f.get('rule', '')}, field {f.get('field', '')!r}, {why}]")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({k: res[k] for k in ("categories", "all", "outside", "unscored", "duplicates",
                                           "span_only", "fp_decoy_kinds")}, fh, indent=1)
    if a.check:
        return 0 if all(target_status(c, m) == "met" for c, m in res["categories"].items()
                        if c in TARGETS) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
