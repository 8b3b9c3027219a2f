#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the VM scenario results against the counts the kernel must produce.

Reads the results channel written by guest-run.sh and prints one line per
check, "PASS fs/scenario" or "FAIL fs/scenario: why", then exits non-zero
if any check failed or any expected scenario is missing.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

CLASSES = ["write", "read", "hole", "ro_upgrade", "zero_upgrade", "cow",
           "two_step", "pfn_mismatch", "error", "fallback", "other"]
PAGES_16M = 16 << 20 >> 12

# Exact scenarios: every class not named must be zero.
EXACT = {
    "write_new": {"write": PAGES_16M},
    "read_then_write": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    "sparse_read_then_write": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
    "map_sync_write": {"write": 256},
    "truncate_fault": {"error": 16},
    "kp_read_then_write": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    "fe_read_then_write": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    "tp_read_then_write": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    "tp_sparse_read_then_write": {"hole": PAGES_16M,
                                  "zero_upgrade": PAGES_16M},
    "json_stream": {"write": 256},
    # a thread other than the leader execs write_new: still traced after
    "exec_thread": {"write": 256},
    # one fast slot for all: one process's thread holds it, the other's
    # records live in task storage
    "slots1_two_procs": {"read": 2 * PAGES_16M, "ro_upgrade": 2 * PAGES_16M},
    "private_read_then_write": {"read": 256, "cow": 256},
    "kp_private_read_then_write": {"read": 256, "cow": 256},
    "hist_private_read_then_write": {"read": PAGES_16M, "cow": PAGES_16M},
    "hist_read_then_write": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    "hist_by_comm": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
    "check_clean": {"write": PAGES_16M},
    "check_forbid_ro_upgrade": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    "check_expect_holds": {"write": PAGES_16M},
    "check_expect_broken": {"write": PAGES_16M},
    "pid_filter": {"write": 256},
    "path_file": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    "path_dir": {"read": PAGES_16M + 256, "ro_upgrade": PAGES_16M + 256},
    "record": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
    "report": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
    "report_hist": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
    "report_check": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
    "report_svg": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
}
# exit status each scenario must end with (0 when not listed)
RC = {"check_forbid_ro_upgrade": 1, "check_expect_broken": 1,
      "check_not_root": 2, "report_check": 1, "report_truncated": 2,
      "lost_check": 2}
# scenarios that lose records on purpose: what arrived plus what was
# counted lost must be every fault
LOSSY = {"lost_stream": PAGES_16M, "lost_check": PAGES_16M}
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "schema", "junit.xsd")
PMD = {"ext4": ({"write": 32}, {"pte": 0, "pmd": 32}),
       "xfs": ({"write": 32}, {"pte": 32, "pmd": 0})}
INFERRED = {"tp_read_then_write", "tp_sparse_read_then_write"}


def parse(path):
    runs, cur = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("@@BEGIN "):
                _, fs, name = line.split()
                cur = {"fs": fs, "name": name, "out": [], "err": []}
            elif line.startswith("@@END ") and cur:
                cur["rc"] = int(line.split()[3])
                runs[(cur["fs"], cur["name"])] = cur
                cur = None
            elif line.startswith("@@STDERR ") and cur:
                cur["err"].append(line[9:])
            elif line.startswith("@@JUNIT ") and cur:
                cur.setdefault("junit", []).append(line[8:])
            elif line.startswith("@@SVG ") and cur:
                cur.setdefault("svg", []).append(line[6:])
            elif cur is not None:
                cur["out"].append(line)
    return runs


def summary_of(run):
    objs = [json.loads(l) for l in run["out"] if l.startswith("{")]
    if not objs or "faults" not in objs[-1]:
        raise ValueError("no JSON summary")
    return objs[-1], objs[:-1]


def check_common(s, name):
    errs = []
    for key in ("faults", "classes", "pfn_mismatch", "violations", "lost",
                "probes"):
        if key not in s:
            errs.append("summary lacks %s" % key)
    if sorted(s["classes"]) != sorted(CLASSES):
        errs.append("classes %s" % sorted(s["classes"]))
    if s["lost"] or s["stale"] or s["untracked"] or s["untraced_children"]:
        errs.append("lost %d stale %d untracked %d untraced_children %d" %
                    (s["lost"], s["stale"], s["untracked"],
                     s["untraced_children"]))
    if sum(s["classes"].values()) != s["faults"]:
        errs.append("classes do not add up to faults")
    want_mode = "inferred" if name in INFERRED else "exact"
    if s["mode"] != want_mode:
        errs.append("mode %s, want %s" % (s["mode"], want_mode))
    return errs


def check_lossy(s, total):
    errs = []
    if s["lost"] <= 0:
        errs.append("nothing lost: the test did not exercise loss")
    if s["faults"] + s["lost"] != total:
        errs.append("faults %d + lost %d != %d" % (s["faults"], s["lost"], total))
    if s["faults"] != s["classes"]["write"]:
        errs.append("classes %s" % s["classes"])
    return errs


def check_exact(s, want, sizes=None):
    errs = []
    for c in CLASSES:
        if s["classes"][c] != want.get(c, 0):
            errs.append("%s=%d want %d" % (c, s["classes"][c], want.get(c, 0)))
    if s["faults"] != sum(want.values()):
        errs.append("faults=%d want %d" % (s["faults"], sum(want.values())))
    for k, v in (sizes or {}).items():
        if s["sizes"][k] != v:
            errs.append("sizes.%s=%d want %d" % (k, s["sizes"][k], v))
    if s["violations"]:
        errs.append("violations=%d" % s["violations"])
    return errs


def check_cow_race(s):
    errs = []
    m = s["pfn_mismatch"]
    if s["classes"]["cow"] <= 0:
        errs.append("cow=0")
    if m["private_cow"] <= 0:
        errs.append("private_cow=0")
    if m["unexpected"] or s["violations"] or s["classes"]["two_step"]:
        errs.append("unexpected=%d violations=%d two_step=%d" %
                    (m["unexpected"], s["violations"],
                     s["classes"]["two_step"]))
    if s["classes"]["pfn_mismatch"] != sum(m.values()):
        errs.append("pfn_mismatch kinds do not add up")
    return errs


def check_records(records, s):
    errs = []
    keys = {"ts_ns", "pid", "tid", "comm", "dev", "ino", "pgoff", "address",
            "size", "write", "class", "mismatch", "before", "after",
            "result", "latency_ns"}
    if len(records) != s["faults"]:
        errs.append("%d records for %d faults" % (len(records), s["faults"]))
    for r in records:
        missing = keys - set(r)
        if missing:
            errs.append("record lacks %s" % sorted(missing))
            break
        if r["class"] != "write" or not r["write"] or r["size"] != "pte":
            errs.append("record %s" % json.dumps(r))
            break
        a = r["after"]
        # 6.1 maps DAX storage special + devmap (devmap is gone in 6.17)
        if not (a and a["present"] and a["write"] and a["dirty"] and
                a["special"] and a["devmap"] and a["pfn"] == r["req_pfn"]):
            errs.append("after not writable+dirty: %s" % json.dumps(r))
            break
        if r["before"]["present"]:
            errs.append("before present on a new file: %s" % json.dumps(r))
            break
    return errs + check_comm(records, "write_new")


def check_comm(records, want):
    """Every record names the task (read by plain loads, or the helper)."""
    bad = [r["comm"] for r in records if r["comm"] != want]
    return ["comm %s, want %s" % (sorted(set(bad)), want)] if bad else []


def check_private(name, run, records):
    """A private COW reaches no DAX fault: fexit alone cannot time it."""
    untimed = not name.startswith("kp_")
    errs = []
    for r in records:
        want_null = untimed and r["class"] == "cow"
        lat = r["latency_ns"]
        if (lat is None) != want_null or (lat is not None and lat <= 0):
            errs.append("latency_ns %s for %s" % (lat, json.dumps(r)))
            break
        if r["class"] == "cow" and not (r["orig"]["present"] and
                                        r["after"]["present"] and
                                        r["after"]["write"] and
                                        r["after"]["pfn"] != r["orig"]["pfn"]):
            errs.append("cow not on a new writable page: %s" % json.dumps(r))
            break
    if len(records) != 512:
        errs.append("%d records, want 512" % len(records))
    return errs + check_comm(records, "read_then_write")


def check_hist_untimed(run):
    """hist: the cow histogram counts its faults as untimed, with no rows."""
    titles = [l for l in run["out"] if l.startswith("class = cow")]
    want = "class = cow, size = pte, faults = %d, avg = -, untimed = %d" \
        % (PAGES_16M, PAGES_16M)
    return [] if titles == [want] else ["cow titles %s, want [%r]" %
                                        (titles, want)]


def hist_total(run):
    """Sum of the 'faults = N' titles of the printed histograms."""
    return sum(int(m.group(1)) for l in run["out"]
               for m in [re.search(r", faults = (\d+),", l)] if m)


def check_junit(run, failures):
    if "junit" not in run:
        return ["no JUnit report"]
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
        f.write("\n".join(run["junit"]) + "\n")
    try:
        r = subprocess.run(["xmllint", "--noout", "--schema", SCHEMA, f.name],
                           capture_output=True, text=True)
        if r.returncode:
            return ["JUnit report invalid: " + r.stderr.strip()[:300]]
        text = open(f.name).read()
    finally:
        os.unlink(f.name)
    m = re.search(r'<testsuite [^>]*failures="(\d+)"', text)
    if not m or int(m.group(1)) != failures:
        return ["JUnit failures=%s, want %d" % (m and m.group(1), failures)]
    return []


def check_svg(run):
    if "svg" not in run:
        return ["no SVG"]
    svg = "\n".join(run["svg"]) + "\n"
    errs = [] if ">hole" in svg and ">zero_upgrade" in svg else \
        ["SVG lacks the hole and zero_upgrade panels"]
    with tempfile.TemporaryDirectory() as d:
        src, png = os.path.join(d, "h.svg"), os.path.join(d, "h.png")
        open(src, "w").write(svg)
        r = subprocess.run(["rsvg-convert", "-o", png, src],
                           capture_output=True, text=True)
        if r.returncode or os.path.getsize(png) < 1000:
            errs.append("SVG does not render: " + r.stderr.strip()[:200])
    return errs


# how each probe point must attach, per forced level (6.1 guest)
EXACT_POINTS = ["do_wp_page", "do_wp_page:ret", "insert_pfn",
                "__get_locked_pte:ret", "vmf_insert_pfn_pmd",
                "vmf_insert_pfn_pmd:ret", "finish_mkwrite_fault"]
LEVELS = {"kp_": ("kprobe", "kretprobe"), "fe_": ("fentry", "fexit"),
          "": ("fentry", "fexit")}


# the opening tracepoints: tp_btf twins, but for kprobe mode
OPENING_TPS = ["dax_pte_fault", "dax_pmd_fault"]


def check_tracepoints(name, s):
    """tp_btf where BTF is (auto, fentry, tracepoint); -m kprobe: raw tracepoints."""
    want = "raw_tracepoint" if name.startswith("kp_") else "tp_btf"
    bad = ["%s=%s" % (p, s["probes"][p]) for p in OPENING_TPS
           if s["probes"][p] != want]
    return ["want %s: %s" % (want, bad)] if bad else []


def check_levels(name, s):
    """Forced (kp_, fe_) and default (auto: best = fentry) attach levels."""
    errs = check_tracepoints(name, s)
    if name.startswith("tp_"):
        bad = [p for p in EXACT_POINTS
               if not s["probes"][p].startswith("unavailable")]
        return errs + (["tracepoint mode attached %s" % bad] if bad else [])
    prefix = name[:3] if name[:3] in LEVELS else ""
    entry, ret = LEVELS[prefix]

    def want(p):
        if p.endswith(":ret"):
            return ret
        # fexit opens its own records: no entry program on do_wp_page
        return "unneeded" if p == "do_wp_page" and ret == "fexit" else entry
    bad = ["%s=%s" % (p, s["probes"][p]) for p in EXACT_POINTS
           if s["probes"][p] != want(p)]
    return errs + (["want %s/%s: %s" % (entry, ret, bad)] if bad else [])


def special(fs, name, run, s, records, runs):
    """Checks beyond the class counts, per scenario."""
    errs = check_levels(name, s) if name in EXACT or \
        name in ("pmd_write", "cow_race", "slots1_cow_race") else []
    if name == "json_stream":
        errs += check_records(records, s)
    if name in ("private_read_then_write", "kp_private_read_then_write"):
        errs += check_private(name, run, records)
    if name == "hist_private_read_then_write":
        errs += check_hist_untimed(run)
    if name == "hist_by_comm":
        titles = [l for l in run["out"] if l.startswith("class = ")]
        bad = [t for t in titles if ", comm = read_then_write," not in t]
        if len(titles) != 2 or bad:
            errs.append("by comm: %d titles, wrong comm in %s" % (len(titles), bad))
    if name.startswith("hist_") or name == "report_hist":
        if hist_total(run) != s["faults"]:
            errs.append("histograms hold %d faults, summary %d" %
                        (hist_total(run), s["faults"]))
    if name.startswith("report"):
        rec = runs.get((fs, "record"))
        if rec is None or summary_of(rec)[0] != s:
            errs.append("summary differs from the live record run's")
    if name == "check_clean":
        errs += check_junit(run, 0)
    if name == "check_forbid_ro_upgrade":
        errs += check_junit(run, 1)
        bad = [r for r in records if r.get("class") != "ro_upgrade"]
        if len(records) != PAGES_16M or bad:
            errs.append("%d offending records printed, %d not ro_upgrade" %
                        (len(records), len(bad)))
    if name == "report_svg":
        errs += check_svg(run)
    return errs


def judge(fs, name, run, runs):
    want_rc = RC.get(name, 0)
    if run["rc"] != want_rc:
        return ["exit %d, want %d: %s" % (run["rc"], want_rc,
                                           " | ".join(run["err"])[:400])]
    if name == "check_not_root":
        return [] if any("needs root" in e for e in run["err"]) else \
            ["no 'needs root' message"]
    if name == "sigpipe":
        # stdout closed after 3 lines: daxtrace stops, ends COMMAND, exits 0
        # and still prints its summary (on stderr, stdout being NDJSON)
        return [] if any("DAX faults" in e for e in run["err"]) else \
            ["no summary after SIGPIPE: %s" % run["err"][-3:]]
    if name == "report_truncated":
        return [] if any("offset" in e for e in run["err"]) else \
            ["error does not name the offset: %s" % run["err"]]
    try:
        s, records = summary_of(run)
    except ValueError as e:
        return [str(e)]
    if name in LOSSY:
        return check_lossy(s, LOSSY[name])
    errs = check_common(s, name)
    if name in EXACT:
        errs += check_exact(s, EXACT[name])
    elif name == "pmd_write":
        errs += check_exact(s, *PMD[fs])
    elif name in ("cow_race", "slots1_cow_race"):
        errs += check_cow_race(s)
    return errs + special(fs, name, run, s, records, runs)


def main():
    runs = parse(sys.argv[1])
    wanted = sys.argv[2].split() if len(sys.argv) > 2 else ["ext4", "xfs"]
    names = list(EXACT) + list(LOSSY) + ["pmd_write", "cow_race", "slots1_cow_race",
                                         "check_not_root", "report_truncated",
                                         "sigpipe"]
    failed = 0
    for fs in wanted:
        for name in names:
            run = runs.get((fs, name))
            errs = ["did not run"] if run is None else \
                judge(fs, name, run, runs)
            if errs:
                failed += 1
                print("FAIL vm/%s/%s: %s" % (fs, name, "; ".join(errs)))
            elif name in ("check_not_root", "report_truncated", "sigpipe") \
                    or name in LOSSY:
                print("PASS vm/%s/%s (exit %d)" % (fs, name, run["rc"]))
            else:
                s, _ = summary_of(run)
                nz = {k: v for k, v in s["classes"].items() if v}
                print("PASS vm/%s/%s %s" % (fs, name, json.dumps(nz)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
