#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""diff_judge.py DAXTRACE A.json B.json KERNEL_A KERNEL_B

Judges `daxtrace diff` of two kernels' xfstests summaries (make xfstests'
summary.json, ext4; tests/xfstests/diff.sh made both):

  counts        every total of the diff is A's and B's own (the summary
                files read here, not through daxtrace) and their delta;
  groups        every test of either side likewise, null on the side that
                did not run it (no delta then);
  generic_413_same  generic/413 (direct I/O through an mmap of a hole:
                its faults come through get_user_pages(), under mmap_lock)
                makes the same faults on both kernels: every delta 0;
  rules         --fail-on two_step=0 and --fail-on delta.faults=0, each
                verdict and the exit status as the summaries give them.

Prints PASS/FAIL lines; exit 1 if any failed.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["write", "read", "hole", "ro_upgrade", "zero_upgrade", "cow",
           "two_step", "pfn_mismatch", "error", "fallback", "other", "retry"]
failed = 0


def report(ok, name, detail):
    global failed
    failed += not ok
    print("%s xfstests/diff/%s: %s" % ("PASS" if ok else "FAIL", name, detail))


def vma_lock(kernel):
    """kernels.conf's vma_lock column for KERNEL: 'yes' or 'no'."""
    cols = None
    with open(os.path.join(HERE, "..", "vm", "kernels.conf")) as f:
        for line in f:
            if line.startswith("# name\t"):
                cols = line[2:].split()
            elif line.strip() and not line.startswith("#") and line.split()[0] == kernel:
                return dict(zip(cols, line.split()))["vma_lock"]
    raise SystemExit("diff_judge.py: unknown kernel %r" % kernel)


def rows(s):
    """A summary's comparable counts: faults, each class, violations."""
    r = {"faults": s["faults"], "violations": s["violations"]}
    r.update(s["classes"])
    return r


def check_side(got, a, b):
    """[mismatches] of diff rows GOT against the sides' rows A and B (None:
    the side lacks the group)."""
    bad = []
    for k in ["faults", "violations"] + CLASSES:
        va = None if a is None else a.get(k)
        vb = None if b is None else b.get(k)
        want = {"a": va, "b": vb,
                "delta": vb - va if va is not None and vb is not None else None}
        if got.get(k) != want:
            bad.append("%s %s, want %s" % (k, got.get(k), want))
    return bad


def main():
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    daxtrace, fa, fb, ka, kb = sys.argv[1:]
    sa, sb = (json.load(open(f)) for f in (fa, fb))
    r = subprocess.run([daxtrace, "diff", "-j", "--fail-on", "two_step=0",
                        "--fail-on", "delta.faults=0", fa, fb],
                       capture_output=True, text=True)
    pair = "%s-%s" % (ka, kb)
    try:
        d = json.loads(r.stdout)
    except ValueError as e:
        report(False, pair + "/parses", "diff -j: %s (exit %d, %s)" %
               (e, r.returncode, r.stderr.strip()[:200]))
        return 1

    bad = check_side(d["counts"], rows(sa), rows(sb))
    report(not bad, pair + "/counts", "; ".join(bad[:4]) or
           "%d classes, faults %d -> %d" % (len(CLASSES), sa["faults"], sb["faults"]))

    ga, gb = sa.get("groups", {}), sb.get("groups", {})
    names = sorted(set(ga) | set(gb))
    bad = []
    if sorted(d["groups"]) != names:
        bad.append("groups %s, want %s" % (sorted(d["groups"]), names))
    for g in names:
        for m in check_side(d["groups"].get(g, {}),
                            rows(ga[g]) if g in ga else None,
                            rows(gb[g]) if g in gb else None):
            bad.append("%s: %s" % (g, m))
    both = sorted(set(ga) & set(gb))
    report(not bad and both, pair + "/groups", "; ".join(bad[:4]) or
           "%d tests, %d on both kernels (%s)" % (len(names), len(both), " ".join(both)))

    # generic/413 (DAX and direct I/O through an mmap of a hole) makes the
    # same faults on every kernel of the matrix: its faults come through
    # get_user_pages(), under mmap_lock, never the per-VMA lock's retry
    t = "tests/generic/413"
    g = d["groups"].get(t, {})
    moved = {k: v for k, v in g.items() if v.get("delta") != 0}
    ok = bool(g) and not moved and g.get("faults", {}).get("a", 0) > 0
    report(ok, pair + "/generic_413_same",
           "faults %s, classes that moved: %s" % (g.get("faults"), moved or "none"))

    # the verdicts, as the summaries themselves give them
    rules = [("two_step=0", sb["classes"]["two_step"], sb["classes"]["two_step"] == 0),
             ("delta.faults=0", sb["faults"] - sa["faults"], sb["faults"] == sa["faults"])]
    want_rules = [{"rule": r, "holds": h, "value": v} for r, v, h in rules]
    want_rc = 0 if all(h for _, _, h in rules) else 1
    errs = r.stderr.splitlines()
    lines = ["daxtrace diff: %s %s (%d)" % ("ok  " if h else "FAIL", r_, v)
             for r_, v, h in rules]
    ok = d["rules"] == want_rules and r.returncode == want_rc and \
        all(errs.count(l) == 1 for l in lines)
    report(ok, pair + "/rules", "exit %d (want %d), rules %s, stderr %s" %
           (r.returncode, want_rc, d["rules"], errs[-2:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
