#!/usr/bin/env python3
"""throughput.py - piiscan throughput and memory benchmark beside ripgrep.

    bench/throughput.sh [--mb 256] [--runs 3] [--threads N[,M..]] [--piiscan PATH] [--rules DIR]
                        [--shared DIR] [--work DIR] [--keep] [--large-gb 2] [--bomb-gb 10]

1. Corpus: ../shared/bench/make_corpus.py (logs, JSON exports, HR CSVs, prose, mail with
   PII at a realistic density), --mb MiB, seeded.  Found through --shared DIR, else
   $PIISCAN_SHARED, else ../shared next to the repository (a fresh clone's layout).
2. Times `piiscan --format csv --reveal -j N` and `rg -j N -o -n` with SSN, e-mail,
   phone and card patterns on the same plain-text files (one untimed warm-up run each,
   then --runs timed runs, alternating), and piiscan alone on the corpus's tar.gz/zip.
   Wall time is the median; peak RSS is `/usr/bin/time -f %M` (Debian package `time`).
3. Memory: a --large-gb GiB text file (corpus files concatenated, streamed) scanned once
   per report format; target peak RSS < 100 MB. The corpus repeats when it is smaller than
   the file, so its people repeat too; --large-fresh-mb M also builds the file from a
   second corpus of M MiB (seed + 1000), so that every part of it holds new people
   (memory grows with distinct people, not with bytes: that row says how many).
4. Decompression bombs: zips whose one member inflates to --bomb-gb GiB of a repeated
   text line (sniffs as text: a bound must stop it) or of zeros (the deflate stream is
   one pre-compressed block repeated, so they are written in seconds), a 42.zip-style
   nest (--bomb-nest WIDTHxDEPTH zips of zips around 1 GiB text leaves) and a chain of
   12 nested zips (beyond --max-depth): time until piiscan stops, and whether it said why.
The report is Markdown on stdout, also written to bench/results/throughput-<time>.md.
"""
import argparse
import datetime
import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MIB = 1024 * 1024
GIB = 1024 * MIB

# The patterns rg runs: what piiscan's ssn, email, phone and credit_card rules look for
# (validation aside).  (?-u): ASCII \d and \b, as PCRE2 without UCP.
RG_PATTERNS = [
    r"(?-u)\b\d{3}[- .]\d{2}[- .]\d{4}\b",                                   # ssn
    r"(?-u)\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b",               # email
    r"(?-u)(?:\+?1[-. ]?)?(?:\(\d{3}\) ?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b",     # phone
    r"(?-u)\b(?:\d[ -]?){12,18}\d\b",                                         # credit_card
]


def die(msg):
    sys.exit(f"throughput: {msg}")


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


GNU_TIME = "/usr/bin/time"


def run_measured(cmd, stdout, stderr, timeout=None, cwd=None):
    """Runs cmd; returns (wall seconds, peak RSS KiB, exit status or -signal, timed_out).

    Peak RSS comes from GNU time's %M (Debian package `time`): a child forked straight
    from this Python process would inherit the interpreter's ~15 MiB high-water mark
    into ru_maxrss.  Without /usr/bin/time, wait4()'s ru_maxrss is used instead."""
    tf = None
    if os.access(GNU_TIME, os.X_OK):
        fd, tf = tempfile.mkstemp(prefix="time.", suffix=".txt")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", tf] + list(cmd)
    with open(stdout, "wb") as so, open(stderr, "wb") as se:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=so, stderr=se, cwd=cwd, start_new_session=True)
        fired = []

        def kill():
            fired.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        if timer:
            timer.cancel()
        p.returncode = rc = os.waitstatus_to_exitcode(status)
    rss = ru.ru_maxrss
    if tf:
        with open(tf) as fh:
            lines = [ln.strip() for ln in fh if ln.strip()]
        os.remove(tf)
        if lines and lines[-1].isdigit():
            rss = int(lines[-1])
        if lines and lines[0].startswith("Command terminated by signal"):
            rc = -int(lines[0].split()[-1])
    return wall, rss, rc, bool(fired)


def count_lines(path):
    n = 0
    with open(path, "rb") as fh:
        for blk in iter(lambda: fh.read(MIB), b""):
            n += blk.count(b"\n")
    return n


def tree_bytes(d):
    n, files = 0, 0
    for dp, _, fns in os.walk(d):
        for fn in fns:
            n += os.path.getsize(os.path.join(dp, fn))
            files += 1
    return n, files


def git_rev():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for ln in fh:
                if ln.startswith("model name"):
                    return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


# --------------------------------------------------------------------------- zip bombs
class _RepeatCompressor:
    """Stands in for zlib's compressor: every 1 MiB block of the same content deflates to
    the same bytes after a full flush, so the stream is one block repeated, then the end."""

    def __init__(self, block_in, block_out, tail):
        self.block_in, self.block_out, self.tail = block_in, block_out, tail

    def compress(self, data):
        if data != self.block_in:
            raise ValueError("only whole blocks")
        return self.block_out

    def flush(self, mode=zlib.Z_FINISH):
        return self.tail


ZERO_BLOCK = bytes(MIB)
# 64-byte line, no PII: a bomb that sniffs as text and must be stopped by a bound
TEXT_LINE = b"Quarterly review notes, filler text with nothing personal in it."[:63] + b"\n"
TEXT_BLOCK = TEXT_LINE * (MIB // len(TEXT_LINE))


def block_deflate(block):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    a = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    b = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    return (a if a == b else None), c.flush(zlib.Z_FINISH)


def write_repeat_member(zf, name, size, block=ZERO_BLOCK):
    """Adds a deflated member: `block` (1 MiB) repeated size // 1 MiB times."""
    out, tail = block_deflate(block)
    zi = zipfile.ZipInfo(name, date_time=(2014, 11, 24, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(zi, "w", force_zip64=size >= 0xFFFFFFFF) as w:
        if out is not None and hasattr(w, "_compressor"):
            w._compressor = _RepeatCompressor(block, out, tail)
        for _ in range(size // MIB):
            w.write(block)


def repeat_zip_bytes(size, name="zeros.txt", block=ZERO_BLOCK):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        write_repeat_member(zf, name, size, block)
    return buf.getvalue()


def make_flat_bomb(path, gib, block=ZERO_BLOCK, name="payroll_export.txt"):
    with zipfile.ZipFile(path, "w", allowZip64=True) as zf:
        write_repeat_member(zf, name, gib * GIB, block)


def make_nested_bomb(path, width, depth, leaf_gib=1, block=TEXT_BLOCK):
    """42.zip style: depth levels of `width` zips each, around 1 GiB leaves."""
    data = repeat_zip_bytes(leaf_gib * GIB, "0.txt", block)
    for lvl in range(1, depth):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for i in range(width):
                zf.writestr(zipfile.ZipInfo(f"{lvl}_{i:02d}.zip", date_time=(2014, 11, 24, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
        data = buf.getvalue()
    with open(path, "wb") as fh:
        fh.write(data)
    return width ** (depth - 1) * leaf_gib * GIB


def make_chain_bomb(path, depth):
    """A zip in a zip ... `depth` levels, the innermost holding a line with an SSN."""
    data = b"Employee: Amy Pascal, SSN 234-56-7890\n"
    name = "deep.txt"
    for lvl in range(depth):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2014, 11, 24, 0, 0, 0)), data,
                        compress_type=zipfile.ZIP_DEFLATED)
        data, name = buf.getvalue(), f"level{depth - lvl}.zip"
    with open(path, "wb") as fh:
        fh.write(data)


# --------------------------------------------------------------------------- main
def write_large(big, want, files_dir):
    """The corpus files concatenated (logs first, so the file sniffs as plain text),
    repeated until want bytes, then cut at a line end past want."""
    srcs = sorted((os.path.join(dp, f) for dp, _, fns in os.walk(files_dir) for f in fns),
                  key=lambda p: (os.sep + "logs" + os.sep not in p, p))
    done = 0
    with open(big, "wb") as out:
        while done < want:
            for src in srcs:
                with open(src, "rb") as fh:
                    data = fh.read()
                if done + len(data) > want:
                    cut = data.find(b"\n", want - done)
                    data = data if cut < 0 else data[:cut + 1]
                out.write(data)
                done += len(data)
                if done >= want:
                    break


def make_corpus_dir(py, make_corpus, cdir, stamp, params):
    """Generates a corpus unless one with the same parameters is there; seconds or None."""
    if os.path.isfile(stamp) and json.load(open(stamp)) == params:
        return None
    shutil.rmtree(cdir, ignore_errors=True)
    log(f"generating a {params['mb']:g} MiB corpus in {cdir} ...")
    t0 = time.monotonic()
    subprocess.run([py, make_corpus, "--out", cdir, "--mb", str(params["mb"]), "--seed", str(params["seed"]),
                    "--files", str(params["files"])], check=True, stdout=subprocess.DEVNULL)
    with open(stamp, "w") as fh:
        json.dump(params, fh)
    return time.monotonic() - t0


def scan_large(a, big, label, fmts, threads, rules_opt, outd, md):
    """One table row per report format: wall, rate, peak RSS, findings, people."""
    size = os.path.getsize(big)
    for fmt in fmts:
        so, se = os.path.join(outd, "large.out"), os.path.join(outd, "large.err")
        log(f"scanning {label} ({' '.join(fmt)}) ...")
        wall, rss, rc, killed = run_measured([a.piiscan] + fmt + ["-j", str(threads[-1])] + rules_opt + [big],
                                             so, se, timeout=a.timeout)
        people = "-"
        if fmt[1] == "csv":
            nrow = str(count_lines(so) - 1)
        else:
            with open(so, errors="replace") as fh:
                text = fh.read()
            m = re.search(r"Findings\s+(\d+)", text)
            nrow = m.group(1) if m else "?"
            m = re.search(r"Individuals affected:\s+([\d,]+)", text)
            people = m.group(1) if m else "?"
        os.remove(so)
        ok = rss * 1024 < 100_000_000 and not killed and rc in (0, 1)
        md.append(f"| `piiscan {' '.join(fmt)} -j {threads[-1]} {label}` | {size / GIB:.2f} | {wall:.1f} | "
                  f"{size / MIB / wall:.0f} | {rss / 1024:.1f} | {nrow} | {people} | "
                  f"{'killed after %gs' % a.timeout if killed else rc} | {'met' if ok else '**missed**'} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=256, help="corpus size in MiB (default 256)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--files", type=int, default=200, help="corpus files (default 200)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool (default 3)")
    ap.add_argument("--threads", default=str(len(os.sched_getaffinity(0))),
                    help="thread count(s) for -j, comma-separated (default: online CPUs)")
    ap.add_argument("--piiscan", default=os.path.join(ROOT, "build", "piiscan"),
                    help="piiscan binary (default: build/piiscan in the repository)")
    ap.add_argument("--rules", help="rules directory passed as --rules (default: rules/ of the repository)")
    ap.add_argument("--rg", default=shutil.which("rg") or "rg", help="ripgrep binary")
    ap.add_argument("--shared", help="the shared/ directory holding bench/make_corpus.py "
                                     "(default: $PIISCAN_SHARED, else ../shared next to the repository)")
    ap.add_argument("--work", help="work directory (default: a new temporary directory); a corpus "
                                   "already generated there with the same parameters is reused")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--large-gb", type=float, default=2, help="size of the large single file in GiB (0: skip)")
    ap.add_argument("--large-fresh-mb", type=float, default=0,
                    help="also scan a --large-gb file cut from a second corpus of this many MiB, so its "
                         "people do not repeat (about 1.2x --large-gb in MiB; 0: skip)")
    ap.add_argument("--bomb-gb", type=int, default=10, help="flat zip bomb expansion in GiB (0: skip bombs)")
    ap.add_argument("--bomb-nest", default="16x4", help="nested bomb WIDTHxDEPTH (default 16x4: 16^3 x 1 GiB)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a bomb or large run is killed")
    ap.add_argument("--results", default=os.path.join(HERE, "results"), help="where the report is saved")
    ap.add_argument("--parts", default="speed,large,bombs",
                    help="comma-separated parts to run: speed (piiscan vs rg, archives), large, bombs")
    a = ap.parse_args()

    # ---- preconditions, with clear messages
    shared = a.shared or os.environ.get("PIISCAN_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
    make_corpus = os.path.join(shared, "bench", "make_corpus.py")
    if not os.path.isfile(make_corpus):
        die(f"corpus generator not found: {make_corpus}\n  pass --shared DIR or set PIISCAN_SHARED to the "
            f"directory holding bench/make_corpus.py (in a fresh clone: ../shared next to the repository)")
    if not (os.path.isfile(a.piiscan) and os.access(a.piiscan, os.X_OK)):
        die(f"piiscan binary not found: {a.piiscan}\n  build it first: cmake -S . -B build "
            f"-DCMAKE_BUILD_TYPE=Release && cmake --build build -j2   (or pass --piiscan PATH)")
    if shutil.which(a.rg) is None:
        die(f"ripgrep not found ({a.rg}): apt-get install -y ripgrep")
    rules = a.rules or (os.path.join(ROOT, "rules") if os.path.isdir(os.path.join(ROOT, "rules")) else None)
    threads = [int(x) for x in a.threads.split(",") if x.strip()]
    work = a.work or tempfile.mkdtemp(prefix="piiscan-bench.")
    os.makedirs(work, exist_ok=True)
    outd = os.path.join(work, "out")
    os.makedirs(outd, exist_ok=True)
    py = sys.executable or "/usr/bin/python3"
    rules_opt = ["--rules", rules] if rules else []
    md = []
    try:
        # ---- corpus (reused when the parameters match)
        cdir = os.path.join(work, "corpus")
        gen_s = make_corpus_dir(py, make_corpus, cdir, os.path.join(work, "corpus.params.json"),
                                {"mb": a.mb, "seed": a.seed, "files": a.files})
        truth = json.load(open(os.path.join(cdir, "truth.json")))
        files_dir = os.path.join(cdir, "files")
        nbytes, nfiles = tree_bytes(files_dir)
        mib = nbytes / MIB

        ver = subprocess.run([a.piiscan, "--version"], capture_output=True, text=True).stdout.strip() or "?"
        rgver = subprocess.run([a.rg, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        md += [f"## piiscan throughput ({now}, commit {git_rev()})", "",
               f"- machine: {cpu_model()}, {os.cpu_count()} CPUs, Linux {platform.release()}; "
               f"piiscan: `{ver.splitlines()[0] if ver else '?'}`; {rgver}",
               f"- corpus: `make_corpus.py --mb {a.mb:g} --seed {a.seed} --files {a.files}`: {nfiles} text files, "
               f"{mib:.1f} MiB, {truth['totals']['ssn_valid']} valid SSNs planted"
               + (f" (generated in {gen_s:.0f} s)" if gen_s else ""),
               f"- piiscan: `piiscan --format csv --reveal -j N{' --rules RULES' if rules else ''} corpus/files`",
               f"- rg: `rg --no-config --no-mmap -j N -o -n -e SSN -e EMAIL -e PHONE -e CARD corpus/files`",
               f"- {a.runs} timed runs each after one warm-up (files in the page cache), alternating; "
               f"median wall time; peak RSS = max of `/usr/bin/time -f %M`"
               + ("" if os.access(GNU_TIME, os.X_OK) else
                  " (**/usr/bin/time missing: wait4 ru_maxrss, inflated by the Python parent**)"), ""]

        parts = set(a.parts.split(","))
        # ---- throughput
        if "speed" in parts:
            md += ["| tool | -j | wall s (median) | min | MiB/s | peak RSS MiB | output rows |",
                   "|---|---:|---:|---:|---:|---:|---:|"]
            ratios = []
            for n in threads:
                pcmd = [a.piiscan, "--format", "csv", "--reveal", "-j", str(n)] + rules_opt + [files_dir]
                rcmd = [a.rg, "--no-config", "--no-ignore", "--hidden", "--no-mmap", "-j", str(n), "-o", "-n",
                        "--no-heading", "--with-filename"]
                for pat in RG_PATTERNS:
                    rcmd += ["-e", pat]
                rcmd.append(files_dir)
                res = {"piiscan": [], "rg": []}
                rows = {}
                for i in range(a.runs + 1):
                    for tool, cmd in (("piiscan", pcmd), ("rg", rcmd)):
                        so = os.path.join(outd, f"{tool}.out")
                        se = os.path.join(outd, f"{tool}.err")
                        wall, rss, rc, _ = run_measured(cmd, so, se)
                        bad = rc not in (0, 1)
                        if bad:
                            die(f"{tool} failed (exit {rc}): {' '.join(cmd)}\n{open(se, errors='replace').read()[-2000:]}")
                        log(f"{tool} -j {n} run {i}{' (warm-up)' if i == 0 else ''}: {wall:.2f} s, {rss / 1024:.0f} MiB")
                        if i:
                            res[tool].append((wall, rss))
                        rows[tool] = count_lines(so) - (1 if tool == "piiscan" else 0)
                med = {}
                for tool in ("piiscan", "rg"):
                    walls = [w for w, _ in res[tool]]
                    med[tool] = statistics.median(walls)
                    md.append(f"| {tool} | {n} | {med[tool]:.2f} | {min(walls):.2f} | {mib / med[tool]:.0f} | "
                              f"{max(r for _, r in res[tool]) / 1024:.1f} | {rows[tool]} |")
                ratios.append((n, med["piiscan"] / med["rg"]))
            md.append("")
            md += [f"- wall-time ratio piiscan/rg at -j {n}: **{r:.1f}×**" for n, r in ratios]

            # ---- archives (piiscan only: rg does not read zip/tar members)
            arch = os.path.join(cdir, "archives")
            ab = truth["archives"]["member_bytes"] * 2 / MIB
            so, se = os.path.join(outd, "arch.out"), os.path.join(outd, "arch.err")
            wall, rss, rc, _ = run_measured([a.piiscan, "--format", "csv", "--reveal", "-j", str(threads[-1])]
                                            + rules_opt + [arch], so, se)
            md.append(f"- archives: piiscan on `subset.tar.gz` + `subset.zip` ({os.path.getsize(os.path.join(arch, 'subset.tar.gz')) / MIB:.1f} + "
                      f"{os.path.getsize(os.path.join(arch, 'subset.zip')) / MIB:.1f} MiB, {ab:.1f} MiB expanded): "
                      f"{wall:.2f} s, {ab / wall:.0f} MiB/s expanded, peak RSS {rss / 1024:.1f} MiB, "
                      f"{count_lines(so) - 1} findings, exit {rc}")

        # ---- one large file
        if a.large_gb > 0 and "large" in parts:
            big = os.path.join(work, "large.txt")
            want = int(a.large_gb * GIB)
            if not (os.path.isfile(big) and os.path.getsize(big) >= want):
                log(f"writing {a.large_gb:g} GiB {big} ...")
                write_large(big, want, files_dir)
            md += ["", "### One large file", "",
                   f"`large.txt`: the corpus files concatenated (logs first, so it sniffs as plain text) and "
                   f"repeated to {a.large_gb:g} GiB, scanned once per report format. `large-fresh.txt` (when "
                   f"measured): the same cut from a second `make_corpus.py --mb {a.large_fresh_mb:g} --seed "
                   f"{a.seed + 1000}` corpus, so no person repeats the way they do in `large.txt`.", "",
                   "| command | GiB | wall s | MiB/s | peak RSS MiB | findings | people | exit | target RSS < 100 MB |",
                   "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
            scan_large(a, big, "large.txt", (["--format", "text"], ["--format", "csv", "--reveal"]),
                       threads, rules_opt, outd, md)
            if not a.keep:
                os.remove(big)
            if a.large_fresh_mb > 0:
                fdir = os.path.join(work, "corpus-large")
                make_corpus_dir(py, make_corpus, fdir, os.path.join(work, "corpus-large.params.json"),
                                {"mb": a.large_fresh_mb, "seed": a.seed + 1000, "files": a.files})
                fresh = os.path.join(work, "large-fresh.txt")
                log(f"writing {a.large_gb:g} GiB {fresh} ...")
                write_large(fresh, want, os.path.join(fdir, "files"))
                scan_large(a, fresh, "large-fresh.txt", (["--format", "text"],), threads, rules_opt, outd, md)
                if not a.keep:
                    os.remove(fresh)

        # ---- zip bombs
        if a.bomb_gb > 0 and "bombs" in parts:
            bd = os.path.join(work, "bombs")
            os.makedirs(bd, exist_ok=True)
            w, d = (int(x) for x in a.bomb_nest.lower().split("x"))
            bombs = []
            t0 = time.monotonic()
            make_flat_bomb(os.path.join(bd, "text.zip"), a.bomb_gb, TEXT_BLOCK)
            bombs.append(("text.zip", f"1 member, {a.bomb_gb} GiB of one text line repeated", a.bomb_gb * GIB,
                          time.monotonic() - t0))
            t0 = time.monotonic()
            make_flat_bomb(os.path.join(bd, "zeros.zip"), a.bomb_gb, ZERO_BLOCK)
            bombs.append(("zeros.zip", f"1 member, {a.bomb_gb} GiB of zeros", a.bomb_gb * GIB,
                          time.monotonic() - t0))
            t0 = time.monotonic()
            nominal = make_nested_bomb(os.path.join(bd, "nested.zip"), w, d)
            bombs.append(("nested.zip", f"42.zip style: {w} wide, {d} deep, 1 GiB text leaves", nominal,
                          time.monotonic() - t0))
            t0 = time.monotonic()
            make_chain_bomb(os.path.join(bd, "chain.zip"), 12)
            bombs.append(("chain.zip", "12 zips nested in a line, an SSN at the bottom", 0, time.monotonic() - t0))
            md += ["", "### Decompression bombs", "",
                   "| bomb | what | zip size | expands to | generated in | piiscan wall s | peak RSS MiB | exit | "
                   "stopped with a warning |", "|---|---|---:|---:|---:|---:|---:|---:|---|"]
            for name, what, nominal, gen_s in bombs:
                so, se = os.path.join(outd, f"{name}.out"), os.path.join(outd, f"{name}.err")
                log(f"scanning {name} ...")
                wall, rss, rc, killed = run_measured([a.piiscan, "--format", "csv", "--reveal"] + rules_opt
                                                     + [os.path.join(bd, name)], so, se, timeout=a.timeout)
                err = open(se, errors="replace").read().strip().splitlines()
                warn = next((ln for ln in err if re.search(r"warn|limit|bound|ratio|depth|bomb|exceed", ln, re.I)),
                            err[0] if err else "")
                warn = warn.replace(bd + os.sep, "").replace("|", "\\|")
                if len(warn) > 110:
                    warn = warn[:107] + "..."
                exp = f"{nominal / GIB:,.0f} GiB" if nominal else "—"
                md.append(f"| {name} | {what} | {os.path.getsize(os.path.join(bd, name)) / 1024:,.0f} KiB | {exp} | "
                          f"{gen_s:.1f} s | {'killed after %gs' % a.timeout if killed else '%.1f' % wall} | "
                          f"{rss / 1024:.1f} | {'-' if killed else rc} | "
                          f"{('yes: `' + warn + '`') if (warn and not killed) else '**no**'} |")
            if not a.keep:
                shutil.rmtree(bd, ignore_errors=True)
        md += ["", f"Command: `bench/throughput.sh --mb {a.mb:g} --runs {a.runs} --threads {a.threads}`"]
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)
        elif a.keep:
            log(f"work directory kept: {work}")
    text = "\n".join(md) + "\n"
    print(text)
    os.makedirs(a.results, exist_ok=True)
    path = os.path.join(a.results, f"throughput-{datetime.datetime.now():%Y%m%d-%H%M}.md")
    with open(path, "w") as fh:
        fh.write(text)
    log(f"report saved: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
