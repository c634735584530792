#!/usr/bin/env python3
"""test_corpus.py - the labelled corpus generator is deterministic and its truth is right.

    /usr/bin/python3 bench/test_corpus.py

- same seed and variant: byte-identical corpus and truth; another seed or the holdout
  variant: different text;
- verify_labelled.py (independent of the generator) accepts both variants, and rejects
  a truth file with a shifted line, a changed value, an unlabelled planted SSN and a
  decoy that is actually valid;
- truth rewritten as a findings CSV scores P = R = 1 through score.py (paths inside the
  zip, split-column names and alt spellings included), and every category and every
  form the issue lists is planted.
"""
import csv
import filecmp
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "corpus", "gen_labelled.py")
VERIFY = os.path.join(HERE, "corpus", "verify_labelled.py")
sys.path.insert(0, HERE)
import score  # noqa: E402


def gen(out, seed=7, variant="dev", rows=400):
    subprocess.run([sys.executable, GEN, "--out", out, "--seed", str(seed), "--variant", variant,
                    "--rows", str(rows)], check=True, capture_output=True)


def verify(out):
    return subprocess.run([sys.executable, VERIFY, out], capture_output=True, text=True)


def tree(root):
    got = []
    for dp, _, fns in os.walk(root):
        for fn in fns:
            got.append(os.path.relpath(os.path.join(dp, fn), root))
    return sorted(got)


def read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


class CorpusTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.a = os.path.join(cls.tmp.name, "a")
        cls.h = os.path.join(cls.tmp.name, "h")
        gen(cls.a)
        gen(cls.h, seed=1729, variant="holdout")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_deterministic(self):
        b = os.path.join(self.tmp.name, "b")
        gen(b)
        self.assertEqual(tree(self.a), tree(b))
        for rel in tree(self.a):
            self.assertTrue(filecmp.cmp(os.path.join(self.a, rel), os.path.join(b, rel), shallow=False), rel)
        c = os.path.join(self.tmp.name, "c")
        gen(c, seed=8)
        self.assertFalse(filecmp.cmp(os.path.join(self.a, "truth.csv"), os.path.join(c, "truth.csv"),
                                     shallow=False))

    def test_verify_accepts(self):
        for out in (self.a, self.h):
            p = verify(out)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("OK", p.stdout)

    def mutated(self, name, fn):
        """A copy of corpus a with truth.csv or decoys.csv changed by fn(rows)."""
        d = os.path.join(self.tmp.name, "m_" + fn.__name__)
        subprocess.run(["cp", "-r", self.a, d], check=True)
        rows = read(os.path.join(d, name))
        fn(rows)
        write(os.path.join(d, name), rows)
        return verify(d)

    def test_verify_rejects(self):
        def shift_line(rows):
            r = next(r for r in rows if r["category"] == "ssn" and r["path"].startswith("memos/"))
            r["line"] = str(int(r["line"]) + 1)

        def change_value(rows):
            r = next(r for r in rows if r["category"] == "dob")
            r["value"] = r["value"][:-1] + str((int(r["value"][-1]) + 1) % 10)

        def drop_ssn(rows):
            i = next(i for i, r in enumerate(rows) if r["category"] == "ssn" and r["form"] == "ssn_dashed")
            del rows[i]

        def valid_decoy(rows):
            r = next(r for r in rows if r["kind"] == "ssn_area000")
            r["kind"] = "ssn_group00"
            r["value"] = "234-56-7890"

        for name, fn, msg in (("truth.csv", shift_line, "no such line|not valid|labelled"),
                              ("truth.csv", change_value, "labelled|not valid"),
                              ("truth.csv", drop_ssn, "unlabelled SSN-shaped"),
                              ("decoys.csv", valid_decoy, "is valid for ssn")):
            p = self.mutated(name, fn)
            self.assertEqual(p.returncode, 1, fn.__name__)
            self.assertRegex(p.stderr, msg, fn.__name__)

    def test_truth_as_findings_scores_perfectly(self):
        for out in (self.a, self.h):
            truth = read(os.path.join(out, "truth.csv"))
            findings = [{"category": t["category"], "path": "/scan/corpus/" + t["path"], "line": t["line"],
                         "value": (t["alt"].split("|")[0] if t["alt"] and i % 2 else t["value"]).upper()}
                        for i, t in enumerate(truth)]
            r = score.score(truth, findings, files=[f["path"] for f in read(os.path.join(out, "files.csv"))])
            self.assertEqual(r["all"]["fp"], 0)
            self.assertEqual(r["all"]["fn"], 0)
            self.assertEqual(r["outside"], 0)

    def test_coverage(self):
        forms = {(t["category"], t["form"]) for t in read(os.path.join(self.a, "truth.csv"))}
        cats = {c for c, _ in forms}
        self.assertEqual(cats, {"ssn", "dob", "name", "salary", "email", "phone", "credit_card", "itin",
                                "bank_account"})
        want = ["ssn_dashed", "ssn_spaced", "ssn_dotted", "ssn_bare",
                "dob_mdy", "dob_mdy_short", "dob_iso", "dob_dmy_dot", "dob_d_mon_y", "dob_month_d_y",
                "dob_d_month_y", "dob_excel",
                "name_first_last", "name_first_mi_last", "name_last_first_caps", "name_last_first_mi",
                "name_title", "name_split_columns",
                "salary_dollar_cents", "salary_dollar", "salary_bare", "salary_usd_prefix", "salary_k",
                "salary_usd_suffix", "salary_hourly"]
        have = {f for _, f in forms}
        self.assertEqual([f for f in want if f not in have], [])
        kinds = {d["kind"] for d in read(os.path.join(self.a, "decoys.csv"))}
        want = ["ssn_area000", "ssn_area666", "ssn_area9xx", "ssn_group00", "ssn_serial0000", "ssn_sample",
                "order_number_12", "phone_international", "date_invoice", "date_ship", "date_hire",
                "money_price", "money_budget", "money_box_office", "money_total", "city", "company",
                "film_title", "street", "month", "card_luhn_invalid"]
        self.assertEqual([k for k in want if k not in kinds], [])


if __name__ == "__main__":
    unittest.main(verbosity=1)
