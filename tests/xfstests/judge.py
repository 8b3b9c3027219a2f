#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""judge.py RESULTS_DIR KERNEL FS...: judge a tests/xfstests run.

RESULTS_DIR/FS/ holds what run.sh copied there: results.txt (the guest's
output: the live run, then the artefacts between "@@FILE NAME" and
"@@END NAME", a line each prefixed "@@|"), console.log, boot.rc,
boot.secs, kernel-version.  The artefacts are written beside them
(result.xml: xfstests' own xunit report; daxtrace.xml: daxtrace's JUnit;
summary.json; check.log; check.out; dmesg.txt), then the table.txt.

Prints, in the project's style:
  PASS|FAIL|SKIP xfstests/KERNEL/FS/TEST[: why]   xfstests' verdict on TEST
      (a notrun is SKIP when notrun.conf says the kernel lacks the
      feature, else FAIL: the environment should have provided it)
  PASS|FAIL xfstests/KERNEL/FS/daxtrace_check      exit 0, lost 0,
      untraced_children 0 (on exit 1, the tests that made the faults
      of the broken rules, from the per-test groups)
  PASS|FAIL xfstests/KERNEL/FS/error_evidence      daxtrace's `error`
      count equals the kernel's count of dax_iomap_fault() error returns
  PASS|FAIL|SKIP xfstests/KERNEL/generic/437_cow_attributed
      cow > 0 and pfn_mismatch.private_cow > 0 in generic/437's group on
      at least one filesystem (SKIP when generic/437 was not selected)
and the per-test table of each filesystem.  Exit 0 only when xfstests ran
on every filesystem and nothing FAILed.
"""
import fnmatch
import json
import os
import re
import shlex
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["write", "read", "hole", "ro_upgrade", "zero_upgrade", "cow",
           "two_step", "pfn_mismatch", "error", "fallback", "other", "retry"]
KINDS = ["zero_page", "private_cow", "unexpected"]
# daxtrace check forbids these whatever the options say
DEFAULT_FORBID = ["two_step", "pfn_mismatch.unexpected"]
RC_MEANING = {0: "ok", 1: "a rule is broken", 2: "daxtrace could not do its job",
              3: "COMMAND (xfstests' ./check) failed"}
BOOT_MEANING = {1: "the guest reported a non-zero exit", 2: "boot.sh usage or host error",
                3: "no @@GUEST-EXIT line (boot failure, panic)",
                4: "the guest kernel locked up", 124: "timeout"}

failed = 0
ran_everywhere = True


def report(status, name, why=None):
    global failed
    if status == "FAIL":
        failed += 1
    print(f"{status} {name}" + (f": {why}" if why else ""), flush=True)


def load_notrun_conf():
    """notrun.conf: the notruns the kernel, not the environment, causes."""
    rules = []
    path = os.path.join(HERE, "notrun.conf")
    if not os.path.exists(path):
        return rules
    for line in open(path):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        f = [x for x in f if x != ""]
        if len(f) < 5:
            continue
        rules.append({"kernel": f[0], "fs": f[1], "test": f[2],
                      "reason": re.compile(f[3]), "why": f[4]})
    return rules


def parse_results(path):
    """The artefacts and the @@ lines of the guest's output."""
    files, lines, cur = {}, [], None
    if not os.path.exists(path):
        return files, lines
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("@@FILE "):
                cur = line[7:].strip()
                files[cur] = []
            elif line.startswith("@@END "):
                cur = None
            elif line.startswith("@@|"):
                if cur is not None:
                    files[cur].append(line[3:])
            elif line.startswith("@@"):
                lines.append(line)
    return files, lines


def at(lines, tag):
    """The values of the "@@TAG value" lines."""
    return [l[len(tag) + 3:] for l in lines if l.startswith("@@" + tag + " ")]


def group_name(g):
    """"tests/generic/437" or "./tests/generic/437" -> "generic/437"."""
    g = g[2:] if g.startswith("./") else g
    return g[6:] if g.startswith("tests/") else g


def testcases(xml_text):
    """[(name, status, message, time)] from xfstests' result.xml."""
    root = ET.fromstring(xml_text)
    out = []
    for tc in root.iter("testcase"):
        name, msg, status = tc.get("name"), "", "pass"
        for child in tc:
            if child.tag == "failure":
                status, msg = "fail", child.get("message") or ""
            elif child.tag == "error":
                status, msg = "error", child.get("message") or ""
            elif child.tag == "skipped":
                status, msg = "notrun", child.get("message") or ""
        out.append((name, status, msg.strip(), tc.get("time") or ""))
    return out


def forbidden(cmd):
    """The classes the run forbade: the defaults and every --forbid."""
    out = list(DEFAULT_FORBID)
    words = shlex.split(cmd) if cmd else []
    for i, w in enumerate(words):
        if w == "--":
            break
        if w == "--forbid" and i + 1 < len(words):
            out += words[i + 1].split(",")
        elif w.startswith("--forbid="):
            out += w[9:].split(",")
    return out


def count(stats, cls):
    """A class or a mismatch kind ("pfn_mismatch.private_cow") in stats."""
    if "." in cls:
        top, kind = cls.split(".", 1)
        return ((stats.get(top) or {}) if top == "pfn_mismatch" else {}).get(kind) or 0
    return (stats.get("classes") or {}).get(cls) or 0


def table(fs, kernel, kver, cases, groups, summary, secs):
    """The per-test table: xfstests' status, the DAX faults per class."""
    rows = []
    names = [c[0] for c in cases]
    # faults of no test (the harness' own: "(none)"), when there are any
    extra = [g for g in groups if g not in names and groups[g].get("faults")]
    seen = [c for c in CLASSES
            if any(count(groups[g], c) for g in groups) or count(summary, c)]
    kinds = [k for k in KINDS
             if any(count(groups[g], "pfn_mismatch." + k) for g in groups)
             or count(summary, "pfn_mismatch." + k)]
    head = ["TEST", "XFSTESTS", "TIME(s)"]
    if groups:
        head += ["FAULTS"] + seen + ["mm." + k for k in kinds]
    rows.append(head)

    def fault_cols(st):
        if not groups:
            return []
        if st is None:
            return ["0"] + ["0"] * (len(seen) + len(kinds))
        return ([str(st.get("faults", 0))] + [str(count(st, c)) for c in seen]
                + [str(count(st, "pfn_mismatch." + k)) for k in kinds])

    for name, status, _, t, mode in cases:
        label = name + (f" [{mode}]" if mode else "")
        rows.append([label, status, t] + fault_cols(groups.get(name)))
    for g in extra:
        rows.append([g, "-", ""] + fault_cols(groups[g]))
    if summary:
        tot = ([str(summary.get("faults", 0))] + [str(count(summary, c)) for c in seen]
               + [str(count(summary, "pfn_mismatch." + k)) for k in kinds])
        rows.append(["total", "", str(secs or "")] + (tot if groups else []))
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(len(head))]
    title = f"xfstests on {fs}-DAX, kernel {kernel} ({kver})"
    if not groups:
        title += (f"; {summary.get('faults', '?')} DAX faults in all"
                  if summary else "") + " (no per-test groups in daxtrace's summary)"
    text = [title]
    for r in rows:
        text.append("  ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i])
                              for i, c in enumerate(r)).rstrip())
    return "\n".join(text) + "\n"


FAULT_RESULTS = {0x1: "VM_FAULT_OOM", 0x2: "VM_FAULT_SIGBUS", 0x10: "VM_FAULT_HWPOISON",
                 0x20: "VM_FAULT_HWPOISON_LARGE", 0x40: "VM_FAULT_SIGSEGV"}


def judge_errors(pre, lines, summary):
    """daxtrace's `error` faults against the kernel's own count.

    inner.sh counts the returns of dax_iomap_fault() with a VM_FAULT_ERROR
    bit through a kretprobe event of tracefs, around the same run: every
    DAX fault daxtrace classes `error` is one of them, and each of them is
    one such fault of the traced tree (nothing else faults on DAX there).
    """
    counts = {}
    results = []
    for v in at(lines, "KERNEL-COUNT"):
        w = v.split()
        if w[0] == "dax_fault_result" and len(w) == 3:
            results.append((int(w[1], 16), int(w[2])))
        elif len(w) == 2:
            counts[w[0]] = int(w[1])
    name = f"{pre}/error_evidence"
    if "dax_fault_error" not in counts:
        report("FAIL", name, "no kernel count of dax_iomap_fault() errors (see the @@NOTE lines)")
        return
    if counts.get("overrun"):
        report("FAIL", name, f"the kretprobe event's ring buffer overran ({counts['overrun']} events lost)")
        return
    mine = count(summary, "error")
    theirs = counts["dax_fault_error"]
    by = ", ".join(f"{n} {FAULT_RESULTS.get(r, hex(r))}" for r, n in sorted(results)) or "none"
    if mine == theirs:
        report("PASS", name, f"error {mine} = the kernel's dax_iomap_fault() error returns ({by})")
    else:
        report("FAIL", name, f"daxtrace error {mine}, the kernel's dax_iomap_fault() error returns {theirs} ({by})")


def judge_fs(res, kernel, fs, rules):
    """Judge one filesystem; returns its per-test groups (or {})."""
    global ran_everywhere
    d = os.path.join(res, fs)
    pre = f"xfstests/{kernel}/{fs}"
    files, lines = parse_results(os.path.join(d, "results.txt"))
    for name, content in files.items():
        # NAME or tests/SUITE/TEST.KIND, never outside d
        parts = [p for p in name.split("/") if p not in ("", ".", "..")]
        os.makedirs(os.path.join(d, *parts[:-1]), exist_ok=True)
        with open(os.path.join(d, *parts), "w") as f:
            f.write("\n".join(content) + ("\n" if content else ""))
    boot_rc = int(open(os.path.join(d, "boot.rc")).read().strip() or 99) \
        if os.path.exists(os.path.join(d, "boot.rc")) else 99
    kver = (at(lines, "KERNEL") or ["?"])[0]
    notes = at(lines, "NOTE")
    for n in notes:
        print(f"  {fs}: {n}")

    setup = at(lines, "SETUP-FAIL")
    rc_line = at(lines, "RC daxtrace")
    if setup or not rc_line:
        ran_everywhere = False
        why = ("guest setup: " + setup[0]) if setup else \
            f"boot.sh exit {boot_rc} ({BOOT_MEANING.get(boot_rc, '?')}), xfstests never finished"
        report("FAIL", f"{pre}/run", f"{why}; see {d}/results.txt and console.log")
        return {}
    dt_rc = int(rc_line[0])
    secs = (at(lines, "TIME " + fs) or [""])[0]

    # result.xml: the -o dax pass; result-dax_inode.xml: the tests run
    # mounted -o dax=inode (inner.sh split_selection)
    cases = []
    for fname, mode in (("result.xml", None), ("result-dax_inode.xml", "dax=inode")):
        if not files.get(fname):
            continue
        try:
            cases += [c + (mode,) for c in testcases("\n".join(files[fname]))]
        except ET.ParseError as e:
            report("FAIL", f"{pre}/{fname}", f"xfstests' {fname} does not parse: {e}")
    # left out by the harness: the kernel lacks what they test (inner.sh
    # probes it; the evidence is the reason)
    for x in at(lines, "EXCLUDE"):
        name, _, why = x.partition(" ")
        cases.append((name, "excluded", why, "", None))
    if not [c for c in cases if c[1] != "excluded"]:
        ran_everywhere = False
        out = [l for l in files.get("check.out", []) if l.strip() and not l.startswith("{")]
        tail = " | ".join(out[-5:])[-400:]
        report("FAIL", f"{pre}/xfstests_ran", f"no test in xfstests' result.xml (./check said: {tail})")

    summary = {}
    try:
        summary = json.loads("\n".join(files.get("summary.json", [])) or "{}")
    except ValueError as e:
        report("FAIL", f"{pre}/summary_json", f"daxtrace's JSON summary does not parse: {e}")
    groups = {group_name(g): v for g, v in (summary.get("groups") or {}).items()}

    reflink_note = [n for n in notes if n.startswith("xfs-reflink:")]
    for name, status, msg, _, mode in cases:
        if status == "pass":
            report("PASS", f"{pre}/{name}", f"mounted -o {mode}" if mode else None)
        elif status == "excluded":
            report("SKIP", f"{pre}/{name}", f"left out: {msg}")
        elif status == "notrun":
            rule = next((r for r in rules
                         if fnmatch.fnmatch(kernel, r["kernel"]) and fnmatch.fnmatch(fs, r["fs"])
                         and fnmatch.fnmatch(name, r["test"]) and r["reason"].search(msg)), None)
            ev = ""
            if "eflink" in msg and reflink_note:
                ev = f" [{reflink_note[0]}]"
            if rule:
                report("SKIP", f"{pre}/{name}", f"notrun: {msg} ({rule['why']}){ev}")
            else:
                report("FAIL", f"{pre}/{name}",
                       f"notrun: {msg}{ev} (not a known kernel limitation: notrun.conf)")
        else:
            report("FAIL", f"{pre}/{name}", f"xfstests: {status}: {msg}")

    # daxtrace check: exit 0, nothing lost, every child traced
    lost = summary.get("lost")
    untraced = summary.get("untraced_children")
    why = []
    if dt_rc != 0:
        why.append(f"exit {dt_rc} ({RC_MEANING.get(dt_rc, '?')})")
    if lost is None or untraced is None:
        why.append("no JSON summary")
    else:
        if lost:
            why.append(f"lost {lost}")
        if untraced:
            why.append(f"untraced_children {untraced}")
    if dt_rc == 1 or summary.get("violations"):
        cmd = (at(lines, "CMD") or [""])[0]
        for cls in forbidden(cmd):
            n = count(summary, cls)
            if not n:
                continue
            who = sorted(((count(v, cls), g) for g, v in groups.items() if count(v, cls)),
                         reverse=True)
            by = ", ".join(f"{g} {c}" for c, g in who) or "per test unknown: no groups"
            why.append(f"forbidden {cls}: {n} faults ({by})")
        try:
            jr = ET.fromstring("\n".join(files.get("daxtrace.xml", [])))
            for tc in jr.iter("testcase"):
                fl = tc.find("failure")
                if fl is not None:
                    why.append(f"junit {tc.get('name')}: {fl.get('message')}")
        except ET.ParseError:
            pass
    if why:
        report("FAIL", f"{pre}/daxtrace_check", "; ".join(why))
    else:
        report("PASS", f"{pre}/daxtrace_check",
               f"{summary.get('faults')} faults, lost 0, untraced_children 0")

    judge_errors(pre, lines, summary)
    t = table(fs, kernel, kver, cases, groups, summary, secs)
    with open(os.path.join(d, "table.txt"), "w") as f:
        f.write(t)
    print(t, end="", flush=True)
    return groups if groups else None


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: judge.py RESULTS_DIR KERNEL FS...")
    res, kernel, fss = sys.argv[1], sys.argv[2], sys.argv[3:]
    rules = load_notrun_conf()
    per_fs = {fs: judge_fs(res, kernel, fs, rules) for fs in fss}

    name = f"xfstests/{kernel}/generic/437_cow_attributed"
    have = {fs: g for fs, g in per_fs.items() if g}
    if not have and not ran_everywhere:
        report("FAIL", name, "no per-test groups: xfstests did not finish (see the lines above)")
    elif not have:
        report("FAIL", name, "no per-test groups in daxtrace's summary (run with --split-exec)")
    else:
        seen = {fs: g["generic/437"] for fs, g in have.items() if "generic/437" in g}
        ok = [fs for fs, st in seen.items()
              if count(st, "cow") > 0 and count(st, "pfn_mismatch.private_cow") > 0]
        detail = "; ".join(f"{fs}: cow {count(st, 'cow')}, private_cow "
                           f"{count(st, 'pfn_mismatch.private_cow')}" for fs, st in seen.items())
        if not seen:
            report("SKIP", name, "generic/437 was not in this run's selection")
        elif ok:
            report("PASS", name, detail)
        else:
            report("FAIL", name, f"no filesystem with cow > 0 and private_cow > 0 in generic/437's group ({detail})")
    sys.exit(0 if failed == 0 and ran_everywhere else 1)


if __name__ == "__main__":
    main()
