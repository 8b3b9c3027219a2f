#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README and docs/ as a reader follows them: every relative link names
# a file that exists (and a heading there, for #anchors), and every `make
# TARGET` they tell the reader to run is a target of the Makefile.
set -u
cd "$(dirname "$0")/../.." || exit 1

ok() { echo "PASS host/$1"; }
bad() { echo "FAIL host/$1: $2"; }

out=$(python3 - README.md docs/*.md tests/vm/README.md tests/xfstests/README.md <<'PY'
import os, re, subprocess, sys

def anchors(path):
    """GitHub's anchors of a Markdown file's headings."""
    seen, out = {}, set()
    for line in open(path):
        m = re.match(r"^#{1,6} (.*)", line)
        if not m:
            continue
        a = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
        n = seen.get(a, 0)
        seen[a] = n + 1
        out.add(a if n == 0 else "%s-%d" % (a, n))
    return out

# the Makefile's targets and those of every file it includes
mk = subprocess.run(["git", "ls-files", "Makefile", "*.mk"], capture_output=True,
                    text=True).stdout.split()
targets = set(re.findall(r"(?m)^([a-zA-Z][\w.-]*)\s*:(?!=)",
                         "".join(open(f).read() for f in mk)))
errs, links, makes = [], 0, 0
for f in sys.argv[1:]:
    text = open(f).read()
    # code blocks hold commands, not links
    prose = re.sub(r"(?ms)^```.*?^```", "", text)
    for label, target in re.findall(r"\[([^\]]+)\]\(([^)\s]+)\)", prose):
        if re.match(r"^[a-z]+:", target):
            continue
        links += 1
        path, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        if not os.path.exists(dest):
            errs.append("%s: link to %s: no such file" % (f, target))
        elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
            errs.append("%s: link to %s: no such heading" % (f, target))
    # a command: `make X` in prose, or an indented or fenced code line
    cmds = re.findall(r"`(?:sudo )?make ([a-z][\w-]*)", text) + \
        re.findall(r"(?m)^(?: {4}|\t)\s*(?:\$ )?(?:sudo )?make ([a-z][\w-]*)", text)
    for t in cmds:
        makes += 1
        if t not in targets:
            errs.append("%s: 'make %s': no such target" % (f, t))
print("\n".join(errs) if errs else "%d links, %d make commands" % (links, makes))
sys.exit(1 if errs else 0)
PY
)
if [ $? -eq 0 ]; then
	ok docs_links
	echo "# docs: $out"
else
	bad docs_links "$(echo "$out" | head -n 10 | tr '\n' ';')"
fi
exit 0
