#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""devdax_check.py RESULTS KERNEL: judge tests/vm/guest-devdax.sh's runs.

For each alignment (4K, 2M, 1G) and each of read and write, daxtrace's
summary and records against the kernel's own count of dev_dax_huge_fault()
calls per size and result (a kprobe/kretprobe event pair of tracefs):
  - every call is one record: faults, sizes (pte, pmd, pud) and the
    classes exactly the kernel's (VM_FAULT_NOPAGE: the touch's class, read
    or write; VM_FAULT_FALLBACK: fallback; nothing else);
  - the kernel made one fault per unit of the device's alignment (no
    write-notify on a shared device-DAX mapping), of that size, as many as
    the task's minor faults (getrusage);
  - each record names the device (its char device number), maps the unit
    writable (clean after a read), and a fallback is an attempt larger than
    the alignment;
  - the summary says device DAX was traced, and names the device (dax0.0,
    its alignment and size as sysfs has them, its faults, its refusals);
  - each record names the device and its alignment, and a fallback says
    the driver's reason (align_smaller).
And the driver's refusals on the 2M device, 4 MiB read:
  - private and unaligned: mmap fails EINVAL, the kernel makes no call,
    daxtrace reports no fault;
  - nohuge (MADV_NOHUGEPAGE): two PTE calls answered VM_FAULT_SIGBUS, two
    SIGBUS, two error records whose reason is align_larger;
  - past (the second unit past the device's end): one PMD call mapped, one
    answered SIGBUS, the error's reason past_end; in text, the device's
    line and the hint;
  - check: on the 4K device --forbid devdax.align_smaller fails with the
    kernel's count of refused attempts, on the 1G device --expect
    size.pud=1 holds;
  - hist --by dev of a 64 MiB read: one histogram, dev = dax0.0, of the
    kernel's count of PMD faults;
  - device DAX and file DAX in one run (the 2M device and an ext4 -o dax
    on /dev/pmem1 written): each kind's count the kernel's own (for the
    file, fs_dax:dax_pte_fault_done), the device's records named, and
    hist --by dev one histogram for dax0.0 and one for pmem1.
No run but the mixed one makes a file-DAX fault.
"""
import json
import sys

MIB = {"4K": 64, "2M": 64, "1G": 1024}
ALIGN = {"4K": 4096, "2M": 2 << 20, "1G": 1 << 30}
SIZE = {"4K": "pte", "2M": "pmd", "1G": "pud"}
ORDER = ["pte", "pmd", "pud"]
CLASSES = ["write", "read", "hole", "ro_upgrade", "zero_upgrade", "cow",
           "two_step", "pfn_mismatch", "error", "fallback", "other", "retry"]
NOPAGE, FALLBACK, SIGBUS = "0x100", "0x800", "0x2"


def parse(path):
    runs, devices, cur = {}, {}, None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            w = line.split()
            if line.startswith("@@DEVICE "):
                devices[w[1]] = {"dev": w[2], "align": int(w[3]), "size": int(w[4])}
            elif line.startswith("@@BEGIN devdax "):
                cur = {"out": [], "err": [], "kernel": {}, "overrun": None, "fsdax": None}
                runs[w[2]] = cur
            elif line.startswith("@@END devdax ") and cur is not None:
                cur["rc"] = int(w[3])
                cur = None
            elif cur is None:
                continue
            elif line.startswith("@@KERNEL-COUNT devdax "):
                cur["kernel"][(w[2], w[3])] = int(w[4])
            elif line.startswith("@@KERNEL-COUNT fsdax pte "):
                cur["fsdax"] = int(w[3])
            elif line.startswith("@@KERNEL-COUNT overrun "):
                cur["overrun"] = int(w[2])
            elif line.startswith("@@STDERR "):
                cur["err"].append(line[9:])
            else:
                cur["out"].append(line)
    return runs, devices


def json_run(run):
    """A JSON run's summary, its records, and what is wrong with the run
    itself: (None, None, [why]) when it failed or wrote no summary."""
    if run.get("rc") != 0:
        return None, None, ["exit %s: %s" % (run.get("rc"), " | ".join(run["err"])[:300])]
    objs = [json.loads(l) for l in run["out"] if l.startswith("{")]
    if not objs or "faults" not in objs[-1]:
        return None, None, ["no JSON summary"]
    errs = []
    if run["overrun"] != 0:
        errs.append("the kernel's trace overran (%s)" % run["overrun"])
    return objs[-1], objs[:-1], errs


def judge(name, run, device):
    op, align = name.split("_")
    s, records, errs = json_run(run)
    if s is None:
        return errs
    if run["fsdax"] != 0:
        errs.append("the kernel made %s file-DAX faults" % run["fsdax"])
    k = run["kernel"]
    units = MIB[align] * (1 << 20) // ALIGN[align]
    ok_calls = {sz: n for (sz, ret), n in k.items() if ret == NOPAGE}
    others = {key: n for key, n in k.items() if key[1] not in (NOPAGE, FALLBACK)}
    if ok_calls != {SIZE[align]: units} or others:
        errs.append("the kernel's calls %s, want %d %s NOPAGE and fallbacks only" %
                    (k, units, SIZE[align]))
    minor = [l for l in run["err"] if l.startswith("devdax_touch: ")]
    if minor != ["devdax_touch: %d minor faults" % units]:
        errs.append("minor faults %s, want %d" % (minor, units))
    if s.get("devdax") != "traced":
        errs.append("summary devdax %r" % s.get("devdax"))
    total = sum(k.values())
    if s["faults"] != total:
        errs.append("faults %d, the kernel's calls %d" % (s["faults"], total))
    for sz in ORDER:
        want = sum(n for (z, _), n in k.items() if z == sz)
        if s["sizes"].get(sz) != want:
            errs.append("sizes.%s %s, want %d" % (sz, s["sizes"].get(sz), want))
    want = {c: 0 for c in CLASSES}
    want[op] = sum(n for (_, r), n in k.items() if r == NOPAGE)
    want["fallback"] = sum(n for (_, r), n in k.items() if r == FALLBACK)
    if s["classes"] != want:
        errs.append("classes %s, want %s" % ({c: v for c, v in s["classes"].items() if v},
                                               {c: v for c, v in want.items() if v}))
    if s["violations"] != 0:
        errs.append("violations %s" % s["violations"])
    errs += judge_devices(s, device, total,
                          {"align_smaller": want["fallback"]} if want["fallback"] else {})
    bad = []
    for r in records:
        why = []
        if r.get("dev") != device["dev"]:
            why.append("dev %s" % r.get("dev"))
        want_why = "align_smaller" if r.get("class") == "fallback" else None
        if r.get("devdax") != {"device": "dax0.0", "align": device["align"], "why": want_why}:
            why.append("devdax %s" % r.get("devdax"))
        if r.get("class") == op:
            after = r.get("after") or {}
            if r.get("size") != SIZE[align] or r.get("result") != NOPAGE:
                why.append("size %s result %s" % (r.get("size"), r.get("result")))
            if after.get("write") is not True or (op == "read" and after.get("dirty")):
                why.append("entry after %s" % after)
            if not r.get("req_pfn") or r.get("req_pfn") != after.get("pfn"):
                why.append("asked %s, mapped %s" % (r.get("req_pfn"), after.get("pfn")))
        elif r.get("class") == "fallback":
            if ORDER.index(r.get("size")) <= ORDER.index(SIZE[align]) or \
                    r.get("result") != FALLBACK or r.get("inserts") != 0:
                why.append("fallback of size %s, result %s" % (r.get("size"), r.get("result")))
        else:
            why.append("class %s" % r.get("class"))
        if why:
            bad.append("; ".join(why))
    if len(records) != total or bad:
        errs.append("%d records for %d calls, %d wrong: %s" %
                    (len(records), total, len(bad), bad[:2]))
    return errs


REASONS = ["align_smaller", "align_larger", "past_end", "vma_unaligned", "private",
           "unexplained", "unknown"]


def judge_devices(s, device, faults, refused):
    """The summary's devices: dax0.0 alone, as sysfs has it, its counts."""
    want = [{"name": "dax0.0", "dev": device["dev"], "align": device["align"],
             "size": device["size"], "faults": faults,
             "refused": {w: refused.get(w, 0) for w in REASONS}}] if faults else []
    if s.get("devices") != want or s.get("devices_unnamed") != 0:
        return ["devices %s, want %s" % (s.get("devices"), want)]
    return []


def judge_refusal(name, run, device):
    """The driver's refusals on the 2M device (4 MiB, two units, read)."""
    how = name.split("_")[0]
    s, records, errs = json_run(run)
    if s is None:
        return errs
    k = run["kernel"]
    touch = [l for l in run["err"] if l.startswith("devdax_touch: ")]
    if how in ("private", "unaligned"):
        want_k, want_touch, rec = {}, ["devdax_touch: mmap refused: Invalid argument"], []
    elif how == "nohuge":
        # error faults are not accounted (mm_account_fault): 0 minor
        want_k = {("pte", SIGBUS): 2}
        want_touch = ["devdax_touch: 0 minor faults", "devdax_touch: 2 SIGBUS"]
        rec = [("pte", "error", SIGBUS, "align_larger")] * 2
    else:
        want_k = {("pmd", NOPAGE): 1, ("pmd", SIGBUS): 1}
        want_touch = ["devdax_touch: 1 minor faults", "devdax_touch: 1 SIGBUS"]
        rec = [("pmd", "read", NOPAGE, None), ("pmd", "error", SIGBUS, "past_end")]
    if k != want_k:
        errs.append("the kernel's calls %s, want %s" % (k, want_k))
    if touch != want_touch:
        errs.append("the workload said %s, want %s" % (touch, want_touch))
    got = [(r.get("size"), r.get("class"), r.get("result"), (r.get("devdax") or {}).get("why"))
           for r in records]
    if got != rec:
        errs.append("records %s, want %s" % (got, rec))
    for r in records:
        if r.get("devdax", {}).get("device") != "dax0.0" or \
                r.get("devdax", {}).get("align") != device["align"]:
            errs.append("record's devdax %s" % r.get("devdax"))
    if s["faults"] != sum(k.values()):
        errs.append("faults %d, the kernel's calls %d" % (s["faults"], sum(k.values())))
    refused = {}
    for _, _, _, w in rec:
        if w:
            refused[w] = refused.get(w, 0) + 1
    errs += judge_devices(s, device, sum(k.values()), refused)
    return errs


def judge_refusal_text(run, device):
    """The text summary of the past run: the device's line and its hint."""
    if run.get("rc") != 0:
        return ["exit %s" % run.get("rc")]
    line = "  dax0.0 (2M-aligned, %d MiB): 2 faults, 1 refused (past_end 1)" % (
        device["size"] >> 20)
    hint = "    past_end: the mapping goes past the device's end (SIGBUS): map at most its size"
    errs = []
    for want in (line, hint):
        if want not in run["out"]:
            errs.append("no line %r: %s" % (want, [l for l in run["out"] if "dax0.0" in l or
                                                    "past_end" in l]))
    return errs


def judge_hist(run):
    """hist --by dev of a 64 MiB read: a histogram per size and class the
    kernel's calls had (PMD reads, and the PUD attempt refused where the
    mapping happens to be 1 GiB aligned), each of dax0.0."""
    if run.get("rc") != 0:
        return ["exit %s" % run.get("rc")]
    k = run["kernel"]
    cls = {NOPAGE: "read", FALLBACK: "fallback"}
    if k.get(("pmd", NOPAGE)) != 32 or any(r not in cls for _, r in k):
        return ["the kernel's calls %s, want 32 PMD reads and fallbacks" % k]
    want = {"class = %s, size = %s, dev = dax0.0, faults = %d, avg = " % (cls[r], sz, n)
            for (sz, r), n in k.items()}
    titles = [l for l in run["out"] if l.startswith("class = ")]
    got = {t[:t.index("avg = ") + 6] for t in titles if "avg = " in t}
    if len(titles) != len(want) or got != want:
        return ["histograms %s, want %s" % (titles, sorted(want))]
    return []


EXT4_PAGES = 256	# write_new /mnt/ext4/f 1: 1 MiB, a write fault a page


def judge_mixed(run, device):
    """The 2M device (4 MiB written: two PMD faults) and an ext4 -o dax
    file (1 MiB written) in one run: every fault of each kind counted,
    the device's records named, the file's not."""
    s, records, errs = json_run(run)
    if s is None:
        return errs
    k, fs = run["kernel"], run["fsdax"]
    if k != {("pmd", NOPAGE): 2} or fs != EXT4_PAGES:
        errs.append("the kernel's calls %s and %s file-DAX faults, want 2 PMD and %d" %
                    (k, fs, EXT4_PAGES))
    total = sum(k.values()) + (fs or 0)
    want = {c: 0 for c in CLASSES}
    want["write"] = total
    if s["faults"] != total or s["classes"] != want or s["violations"] != 0:
        errs.append("faults %s, classes %s, want %d writes" %
                    (s["faults"], {c: v for c, v in s["classes"].items() if v}, total))
    if s["sizes"] != {"pte": fs, "pmd": 2, "pud": 0}:
        errs.append("sizes %s" % s["sizes"])
    errs += judge_devices(s, device, 2, {})
    dd = [r for r in records if "devdax" in r]
    files = [r for r in records if "devdax" not in r]
    if len(dd) != 2 or any(r["devdax"] != {"device": "dax0.0", "align": device["align"],
                                           "why": None} for r in dd):
        errs.append("device-DAX records %s" % [r.get("devdax") for r in dd])
    if len(files) != EXT4_PAGES or any(r.get("dev") == device["dev"] or
                                       r.get("size") != "pte" for r in files):
        errs.append("%d file records, want %d" % (len(files), EXT4_PAGES))
    return errs


def judge_mixed_hist(run):
    """hist --by dev of the same: dax0.0's histogram and pmem1's."""
    if run.get("rc") != 0:
        return ["exit %s" % run.get("rc")]
    k, fs = run["kernel"], run["fsdax"]
    want = {"class = write, size = pmd, dev = dax0.0, faults = %d, avg = " %
            k.get(("pmd", NOPAGE), -1),
            "class = write, size = pte, dev = pmem1, faults = %d, avg = " % fs}
    titles = [l for l in run["out"] if l.startswith("class = ")]
    got = {t[:t.index("avg = ") + 6] for t in titles if "avg = " in t}
    if len(titles) != 2 or got != want:
        return ["histograms %s, want %s" % (titles, sorted(want))]
    return []


def judge_check(name, run):
    """check's rules on a device: on the 4K device, forbidding the
    driver's refused PMD attempts fails with the kernel's count of them
    (exit 1); on the 1G device, expecting one PUD fault holds (exit 0)."""
    k = run["kernel"]
    fb = sum(n for (_, r), n in k.items() if r == FALLBACK)
    if name == "check_4K":
        rc, want = 1, ["daxtrace check: FAIL forbid devdax.align_smaller (%d)" % fb]
        if not fb:
            return ["the kernel refused no attempt: %s" % k]
    else:
        rc = 0
        want = ["daxtrace check: ok   expect size.pud=1 (%d)" %
                sum(n for (sz, _), n in k.items() if sz == "pud"),
                "daxtrace check: ok   forbid fallback (%d)" % fb]
        if k != {("pud", NOPAGE): 1}:
            return ["the kernel's calls %s, want one PUD" % k]
    errs = []
    if run.get("rc") != rc:
        errs.append("exit %s, want %d" % (run.get("rc"), rc))
    for w in want + ["daxtrace check: ok   forbid two_step (0)"]:
        if w not in run["out"]:
            errs.append("no line %r: %s" % (w, [l for l in run["out"] if "check:" in l]))
    return errs


def judge_text(name, run):
    """The text summary of a write run: its first line's counts the
    kernel's (pud named only when there are some), device DAX traced."""
    align = name.split("_")[1]
    if run.get("rc") != 0:
        return ["exit %s" % run.get("rc")]
    k = run["kernel"]
    n = {sz: sum(v for (z, _), v in k.items() if z == sz) for sz in ORDER}
    pud = ", %d pud" % n["pud"] if n["pud"] else ""
    head = "%d DAX faults (%d pte, %d pmd%s), mode exact" % (sum(n.values()), n["pte"],
                                                          n["pmd"], pud)
    errs = []
    if not any(l.startswith(head) for l in run["out"]):
        errs.append("no line '%s...': %s" % (head, [l for l in run["out"] if "DAX faults" in l]))
    if "device DAX: traced (dev_dax_huge_fault)" not in run["out"]:
        errs.append("no 'device DAX: traced' line")
    if not any(l == "  write          %d" % k.get((SIZE[align], NOPAGE), -1) for l in run["out"]):
        errs.append("no write line of %s" % k.get((SIZE[align], NOPAGE)))
    return errs


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: devdax_check.py RESULTS KERNEL")
    runs, devices = parse(sys.argv[1])
    kernel = sys.argv[2]
    failed = 0
    for align in ("4K", "2M", "1G"):
        for op in ("read", "write", "text"):
            name = "%s_%s" % (op, align)
            tag = "devdax/%s/%s" % (kernel, name)
            run, device = runs.get(name), devices.get(align)
            if run is None or device is None:
                errs = ["did not run (namespace at %s: %s)" % (align, device)]
            elif device["align"] != ALIGN[align]:
                errs = ["the device's alignment is %d" % device["align"]]
            elif op == "text":
                errs = judge_text(name, run)
            else:
                errs = judge(name, run, device)
            if errs:
                failed += 1
                print("FAIL %s: %s" % (tag, "; ".join(errs)))
            elif op == "text":
                print("PASS %s (exit 0)" % tag)
            else:
                s = [json.loads(l) for l in run["out"] if l.startswith("{")][-1]
                print("PASS %s %s" % (tag, json.dumps(
                    {"sizes": {k: v for k, v in s["sizes"].items() if v},
                     "classes": {k: v for k, v in s["classes"].items() if v}})))
    for name in ("check_4K", "check_1G"):
        tag = "devdax/%s/%s" % (kernel, name)
        run = runs.get(name)
        errs = judge_check(name, run) if run else ["did not run"]
        if errs:
            failed += 1
            print("FAIL %s: %s" % (tag, "; ".join(errs)))
        else:
            print("PASS %s %s" % (tag, [l for l in run["out"] if "FAIL" in l or "size" in l]))
    device = devices.get("2M")
    for name in ("private_2M", "unaligned_2M", "nohuge_2M", "past_2M", "past_text_2M",
                 "hist_2M", "mixed_2M", "mixed_hist_2M"):
        tag = "devdax/%s/%s" % (kernel, name)
        run = runs.get(name)
        if run is None or device is None:
            errs = ["did not run (namespace at 2M: %s)" % device]
        elif name == "past_text_2M":
            errs = judge_refusal_text(run, device)
        elif name == "hist_2M":
            errs = judge_hist(run)
        elif name == "mixed_2M":
            errs = judge_mixed(run, device)
        elif name == "mixed_hist_2M":
            errs = judge_mixed_hist(run)
        else:
            errs = judge_refusal(name, run, device)
        if errs:
            failed += 1
            print("FAIL %s: %s" % (tag, "; ".join(errs)))
        elif name in ("past_text_2M", "hist_2M", "mixed_hist_2M"):
            print("PASS %s (exit 0)" % tag)
        else:
            s = [json.loads(l) for l in run["out"] if l.startswith("{")][-1]
            print("PASS %s %s" % (tag, json.dumps(
                {"faults": s["faults"],
                 "classes": {k: v for k, v in s["classes"].items() if v},
                 "refused": {k: v for k, v in (s["devices"][0]["refused"] if s["devices"]
                                              else {}).items() if v}})))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
