#!/usr/bin/env python3
"""test_score.py - proves bench/score.py computes precision, recall and F1 correctly.

    /usr/bin/python3 bench/test_score.py        (exit 0 when all tests pass)

Hand-built truth and fake piiscan findings CSVs with known answers: exact matches,
normalisation (case, whitespace, NFC, the formula guard), alt spellings, wrong lines,
duplicates, path suffixes (absolute, relative, inside archives, look-alike directories),
unscored categories, files outside the corpus, --line-slack, decoy attribution, the
Markdown table and --check's exit status.
"""
import csv
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import score  # noqa: E402

FCOLS = ["severity", "category", "rule", "confidence", "path", "line", "field", "value", "context", "record"]


def T(path, line, cat, value, alt="", form=""):
    return {"path": path, "line": str(line), "category": cat, "value": value, "form": form,
            "field": "", "alt": alt}


def F(path, line, cat, value, rule="r"):
    return {"severity": "high", "category": cat, "rule": rule, "confidence": "0.90", "path": path,
            "line": str(line), "field": "", "value": value, "context": "", "record": "1"}


TRUTH = [
    T("hr/a.csv", 2, "ssn", "234-56-7890"),
    T("hr/a.csv", 3, "ssn", "345 67 8901"),
    T("hr/a.csv", 4, "ssn", "456789012"),
    T("memo.txt", 7, "ssn", "567-89-0123"),
    T("memo.txt", 7, "name", "Dr. Amy Pascal", alt="Amy Pascal", form="name_title"),
    T("memo.txt", 9, "name", "Pascal, Amy B.", form="name_last_first_mi"),
    T("z.zip!in/b.csv", 2, "salary", "USD 85,000", alt="85,000", form="salary_usd_prefix"),
    T("z.zip!in/b.csv", 3, "phone", "+1 310 244 4000", alt="310 244 4000"),
]


class ScoreTests(unittest.TestCase):
    def run_score(self, findings, **kw):
        return score.score(TRUTH, findings, **kw)

    def test_perfect(self):
        fs = [F("/data/corpus/" + t["path"], t["line"], t["category"], t["value"]) for t in TRUTH]
        r = self.run_score(fs)
        for cat, m in r["categories"].items():
            self.assertEqual((m["tp"], m["fp"], m["fn"]), (m["truth"], 0, 0), cat)
            self.assertEqual((m["precision"], m["recall"], m["f1"]), (1.0, 1.0, 1.0), cat)
        self.assertEqual(r["all"]["tp"], len(TRUTH))

    def test_counts_and_metrics(self):
        fs = [
            F("corpus/hr/a.csv", 2, "ssn", "234-56-7890"),     # TP
            F("corpus/hr/a.csv", 2, "ssn", "234-56-7890"),     # FP: duplicate of a TP
            F("corpus/hr/a.csv", 3, "ssn", "345  67 8901 "),   # TP: whitespace normalised
            F("corpus/hr/a.csv", 5, "ssn", "456789012"),       # FP (wrong line) ...
            F("corpus/memo.txt", 7, "ssn", "567-89-0123"),     # TP
            F("corpus/memo.txt", 8, "ssn", "678-90-1234"),     # FP: nothing planted
        ]
        r = self.run_score(fs)
        m = r["categories"]["ssn"]
        self.assertEqual((m["truth"], m["reported"], m["tp"], m["fp"], m["fn"]), (4, 6, 3, 3, 1))
        self.assertAlmostEqual(m["precision"], 0.5)
        self.assertAlmostEqual(m["recall"], 0.75)
        self.assertAlmostEqual(m["f1"], 0.6)
        self.assertEqual(r["duplicates"], 1)
        self.assertEqual(r["line_only"], {-1: 1})           # ... and the FN is on line 4
        self.assertEqual([t["value"] for t in r["fn"] if t["category"] == "ssn"], ["456789012"])
        # categories with no findings: recall 0, precision undefined, F1 0
        n = r["categories"]["name"]
        self.assertEqual((n["tp"], n["fp"], n["fn"], n["precision"], n["recall"], n["f1"]),
                         (0, 0, 2, None, 0.0, 0.0))
        a = r["all"]
        self.assertEqual((a["tp"], a["fp"], a["fn"]), (3, 3, 5))
        self.assertAlmostEqual(a["precision"], 0.5)
        self.assertAlmostEqual(a["recall"], 3 / 8)
        self.assertAlmostEqual(a["f1"], 2 * 0.5 * 0.375 / 0.875)

    def test_case_nfc_alt_and_guard(self):
        fs = [
            F("memo.txt", 7, "name", "amy  PASCAL"),                 # alt, case and spaces
            F("memo.txt", 9, "name", "PASCAL, AMY B."),              # case only
            F("z.zip!in/b.csv", 2, "salary", "85,000"),              # alt spelling
            F("z.zip!in/b.csv", 3, "phone", "'+1 310 244 4000"),     # formula guard removed
        ]
        r = self.run_score(fs)
        for cat in ("name", "salary", "phone"):
            m = r["categories"][cat]
            self.assertEqual((m["tp"], m["fp"], m["fn"]), (m["truth"], 0, 0), cat)
        # composed and decomposed accents are the same value
        t = [T("n.txt", 1, "name", "Jos\u00e9 Mu\u00f1oz")]
        r = score.score(t, [F("n.txt", 1, "name", "Jose\u0301 Mun\u0303oz")])
        self.assertEqual(r["categories"]["name"]["tp"], 1)

    def test_no_loose_matching(self):
        fs = [
            F("memo.txt", 9, "name", "Amy Pascal"),            # other written order: not equal
            F("z.zip!in/b.csv", 2, "salary", "85000"),         # digits equal, text not
            F("hr/a.csv", 2, "dob", "234-56-7890"),            # right value, wrong category
            F("z.zip!in/b.csv", 3, "phone", "'310 244 4000"),  # apostrophe kept: not a guard
        ]
        r = self.run_score(fs, categories=["name", "salary", "phone", "ssn"])
        self.assertEqual(r["all"]["tp"], 0)
        self.assertEqual(r["all"]["fp"], 3)
        self.assertEqual(r["unscored"], {"dob": 1})
        self.assertEqual(r["span_only"], 1)      # only "'310 244 4000" overlaps its truth value
        self.assertEqual(score.unguard("'-12"), "-12")
        self.assertEqual(score.unguard("'x"), "'x")

    def test_paths(self):
        pm = score.PathMap(["hr/a.csv", "z.zip!in/b.csv", "b.csv"])
        self.assertEqual(pm("hr/a.csv"), "hr/a.csv")
        self.assertEqual(pm("/tmp/acc/corpus/hr/a.csv"), "hr/a.csv")
        self.assertEqual(pm("./corpus/hr/a.csv"), "hr/a.csv")
        self.assertEqual(pm("corpus\\hr\\a.csv"), "hr/a.csv")
        self.assertEqual(pm("corpus/z.zip!in/b.csv"), "z.zip!in/b.csv")
        self.assertEqual(pm("outer.tar!corpus/b.csv"), "b.csv")
        self.assertIsNone(pm("/tmp/xhr/a.csv"))             # look-alike directory
        self.assertIsNone(pm("corpus/hr/a.csv.bak"))
        fs = [F("/elsewhere/notes.txt", 1, "ssn", "234-56-7890"), F("truth.csv", 2, "ssn", "234-56-7890")]
        r = self.run_score(fs)
        self.assertEqual(r["outside"], 2)
        self.assertEqual(r["all"]["fp"], 0)

    def test_line_slack_and_empty_line(self):
        fs = [F("hr/a.csv", 3, "ssn", "234-56-7890"), F("hr/a.csv", "", "ssn", "345 67 8901")]
        r = self.run_score(fs)
        self.assertEqual((r["categories"]["ssn"]["tp"], r["categories"]["ssn"]["fp"]), (0, 2))
        r = self.run_score(fs, line_slack=1)
        self.assertEqual((r["categories"]["ssn"]["tp"], r["categories"]["ssn"]["fp"]), (1, 1))

    def test_decoy_attribution(self):
        decoys = [{"path": "memo.txt", "line": "8", "kind": "ssn_sample", "value": "123-45-6789",
                   "looks_like": "ssn"}]
        fs = [F("memo.txt", 8, "ssn", "123-45-6789"), F("memo.txt", 8, "ssn", "234-56-7899")]
        r = self.run_score(fs, decoys=decoys)
        self.assertEqual(r["fp_decoy_kinds"], {"ssn_sample": 1, "(not a planted decoy)": 1})

    def test_cli(self):
        with tempfile.TemporaryDirectory() as d:
            tp, fp = os.path.join(d, "truth.csv"), os.path.join(d, "findings.csv")
            with open(tp, "w", newline="") as fh:
                w = csv.DictWriter(fh, ["path", "line", "category", "value", "form", "field", "alt"])
                w.writeheader()
                w.writerows(TRUTH)
            fs = [F("c/" + t["path"], t["line"], t["category"], t["value"]) for t in TRUTH
                  if t["category"] != "ssn"]
            fs += [F("c/hr/a.csv", 2, "ssn", "234-56-7890"), F("c/hr/a.csv", 9, "ssn", "222-33-4444"),
                   F("c/hr/a.csv", 4, "email", "a@b.example")]
            with open(fp, "w", newline="") as fh:
                w = csv.DictWriter(fh, FCOLS)
                w.writeheader()
                w.writerows(fs)
            cmd = [sys.executable, os.path.join(HERE, "score.py"), "--truth", tp, "--findings", fp]
            p = subprocess.run(cmd + ["--verbose", "--by-form"], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("| ssn | 4 | 2 | 1 | 1 | 3 | 0.500 | 0.250 | 0.333 | **missed** |", p.stdout)
            self.assertIn("| name | 2 | 2 | 2 | 0 | 0 | 1.000 | 1.000 | 1.000 | met |", p.stdout)
            self.assertIn("| **all** | 8 | 6 | 5 | 1 | 3 | 0.833 | 0.625 | 0.714 | |", p.stdout)
            self.assertIn("not scored (no truth for the category): email 1", p.stdout)
            self.assertIn("FN ssn (3):", p.stdout)
            self.assertIn("'222-33-4444'", p.stdout)
            self.assertIn("| name | name_title | 1 | 1 | 1.000 |", p.stdout)
            p = subprocess.run(cmd + ["--check"], capture_output=True, text=True)
            self.assertEqual(p.returncode, 1)
            p = subprocess.run(cmd + ["--check", "--categories", "name,salary"], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stdout)
            with open(fp, "w") as fh:
                fh.write("category,path,value\nssn,x,1\n")
            p = subprocess.run(cmd, capture_output=True, text=True)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("lacks column(s) line", p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=1)
