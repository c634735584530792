#!/usr/bin/env python3
"""test_scripts.py - the benchmark drivers work end to end (no piiscan binary needed).

    /usr/bin/python3 bench/test_scripts.py

- the zip-bomb builders write valid archives that expand to what they claim;
- run_measured reports exit status and peak RSS, and kills a run at its timeout;
- throughput.py fails with a clear message when make_corpus.py or the binary is missing,
  and runs end to end on a tiny corpus with bench/naive_scan.py standing in for piiscan
  (skipped when ../shared/bench/make_corpus.py is not reachable);
- accuracy.sh runs end to end with naive_scan.py, prints the table, and --check fails
  (the naive scanner misses the targets).
"""
import io
import os
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import throughput  # noqa: E402

NAIVE = os.path.join(HERE, "naive_scan.py")
SHARED = os.environ.get("PIISCAN_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
HAVE_CORPUS = os.path.isfile(os.path.join(SHARED, "bench", "make_corpus.py"))
MIB = 1024 * 1024


class BombTests(unittest.TestCase):
    def test_zero_member(self):
        data = throughput.repeat_zip_bytes(8 * MIB, "z.txt")
        self.assertLess(len(data), 16 * 1024)                # ~1000:1
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.assertIsNone(zf.testzip())                  # CRC checked
            zi = zf.getinfo("z.txt")
            self.assertEqual(zi.file_size, 8 * MIB)
            self.assertEqual(zf.read("z.txt"), bytes(8 * MIB))
        # the same stream through zlib directly
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zi = zf.getinfo("z.txt")
        raw = data[zi.header_offset + 30 + len(zi.filename) + len(zi.extra):][:zi.compress_size]
        self.assertEqual(zlib.decompress(raw, -15), bytes(8 * MIB))
        data = throughput.repeat_zip_bytes(4 * MIB, "t.txt", throughput.TEXT_BLOCK)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.assertIsNone(zf.testzip())
            self.assertEqual(zf.read("t.txt"), throughput.TEXT_LINE * (4 * MIB // 64))

    def test_nested_and_chain(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "n.zip")
            nominal = throughput.make_nested_bomb(p, 3, 3, leaf_gib=1)
            self.assertEqual(nominal, 9 * 1024 * MIB)
            with zipfile.ZipFile(p) as z1:
                self.assertEqual(len(z1.namelist()), 3)
                with zipfile.ZipFile(io.BytesIO(z1.read("2_01.zip"))) as z2:
                    self.assertEqual(z2.namelist(), ["1_00.zip", "1_01.zip", "1_02.zip"])
                    with zipfile.ZipFile(io.BytesIO(z2.read("1_02.zip"))) as z3:
                        self.assertEqual(z3.getinfo("0.txt").file_size, 1024 * MIB)
                        with z3.open("0.txt") as fh:
                            self.assertEqual(fh.read(64), throughput.TEXT_LINE)
            c = os.path.join(d, "c.zip")
            throughput.make_chain_bomb(c, 5)
            with open(c, "rb") as fh:
                data, depth = fh.read(), 0
            while data[:2] == b"PK":
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    data = zf.read(zf.namelist()[0])
                depth += 1
            self.assertEqual(depth, 5)
            self.assertIn(b"234-56-7890", data)


class RunTests(unittest.TestCase):
    def test_run_measured(self):
        with tempfile.TemporaryDirectory() as d:
            so, se = os.path.join(d, "o"), os.path.join(d, "e")
            wall, rss, rc, killed = throughput.run_measured(
                [sys.executable, "-c", "b = bytearray(64 << 20); b[::4096] = b'x' * (len(b) // 4096); "
                                       "import sys; print('hi'); sys.exit(3)"], so, se)
            self.assertEqual((rc, killed), (3, False))
            self.assertGreater(rss, 60 * 1024)               # KiB
            with open(so) as fh:
                self.assertEqual(fh.read(), "hi\n")
            t0 = time.monotonic()
            wall, rss, rc, killed = throughput.run_measured(["sleep", "30"], so, se, timeout=0.5)
            self.assertTrue(killed)
            self.assertEqual(rc, -9)
            self.assertLess(time.monotonic() - t0, 10)


class DriverTests(unittest.TestCase):
    def test_missing_inputs(self):
        env = dict(os.environ, PIISCAN_SHARED="/nonexistent")
        p = subprocess.run([sys.executable, os.path.join(HERE, "throughput.py")], env=env,
                           capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("corpus generator not found: /nonexistent/bench/make_corpus.py", p.stderr)
        self.assertIn("PIISCAN_SHARED", p.stderr)
        if HAVE_CORPUS:
            p = subprocess.run([sys.executable, os.path.join(HERE, "throughput.py"), "--shared", SHARED,
                                "--piiscan", "/nonexistent/piiscan"], capture_output=True, text=True)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("piiscan binary not found", p.stderr)
            self.assertIn("cmake -S . -B build", p.stderr)
        p = subprocess.run([os.path.join(HERE, "accuracy.sh"), "--piiscan", "/nonexistent/piiscan"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("piiscan binary not found", p.stderr)

    @unittest.skipUnless(HAVE_CORPUS, "make_corpus.py not reachable (set PIISCAN_SHARED)")
    def test_throughput_end_to_end(self):
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run([sys.executable, os.path.join(HERE, "throughput.py"), "--shared", SHARED,
                                "--piiscan", NAIVE, "--mb", "2", "--files", "12", "--runs", "1", "--threads", "1",
                                "--large-gb", "0.01", "--large-fresh-mb", "3", "--bomb-gb", "1",
                                "--bomb-nest", "2x2",
                                "--work", os.path.join(d, "w"), "--results", os.path.join(d, "r")],
                               capture_output=True, text=True, timeout=600)
            self.assertEqual(p.returncode, 0, p.stderr[-3000:])
            out = p.stdout
            self.assertIn("| piiscan | 1 |", out)
            self.assertIn("| rg | 1 |", out)
            self.assertRegex(out, r"wall-time ratio piiscan/rg at -j 1: \*\*[0-9.]+×\*\*")
            self.assertIn("| `piiscan --format csv --reveal -j 1 large.txt` | 0.01 |", out)
            self.assertIn("| `piiscan --format text -j 1 large-fresh.txt` | 0.01 |", out)
            self.assertTrue(os.path.isfile(os.path.join(d, "w", "corpus-large.params.json")))
            self.assertRegex(out, r"\| zeros.zip \| 1 member, 1 GiB of zeros \| 1,0\d\d KiB \| 1 GiB \|")
            self.assertRegex(out, r"\| text.zip \| 1 member, 1 GiB of one text line repeated \| 3,\d\d\d KiB \|")
            self.assertIn("yes: `naive_scan: warning:", out)
            self.assertEqual(len(os.listdir(os.path.join(d, "r"))), 1)
            # the corpus is reused when the parameters match
            self.assertTrue(os.path.isfile(os.path.join(d, "w", "corpus.params.json")))

    def test_accuracy_end_to_end(self):
        with tempfile.TemporaryDirectory() as d:
            env = dict(os.environ)
            cmd = [os.path.join(HERE, "accuracy.sh"), "--piiscan", NAIVE, "--rows", "300", "--out",
                   os.path.join(d, "acc"), "--results", os.path.join(d, "r")]
            p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("| category | truth | reported | TP | FP | FN | precision | recall | F1 |", p.stdout)
            self.assertRegex(p.stdout, r"\| ssn \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| 0\.\d{3} \| 0\.\d{3} \|")
            self.assertIn("verify: ", p.stderr)
            self.assertTrue(os.path.isfile(os.path.join(d, "acc", "findings.csv")))
            self.assertTrue(os.path.isfile(os.path.join(d, "r", "accuracy-dev-seed7.md")))
            p = subprocess.run(cmd + ["--check"], capture_output=True, text=True, env=env, timeout=300)
            self.assertEqual(p.returncode, 1)


if __name__ == "__main__":
    unittest.main(verbosity=1)
