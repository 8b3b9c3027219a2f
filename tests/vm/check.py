#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the VM scenario results against the counts the kernel must produce.

check.py RESULTS KERNEL [FILESYSTEMS]

Reads the results channel written by guest-run.sh on kernel KERNEL (a name
of kernels.conf) and prints one line per check, "PASS vm/KERNEL/fs/scenario"
or "FAIL vm/KERNEL/fs/scenario: why", then exits non-zero if any check
failed or any expected scenario is missing.  What differs between kernels
is data: kernels.conf (era, PTE layout, per-VMA lock) and the probe-point
table of include/dt_points.h.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["write", "read", "hole", "ro_upgrade", "zero_upgrade", "cow",
           "two_step", "pfn_mismatch", "error", "fallback", "other", "retry"]
# never decided without the insert probes: null in an inferred summary
UNSEEN_INFERRED = ("two_step", "pfn_mismatch")
# set by main(): the kernel's line of kernels.conf, the probe-point table
KERNEL, KERNEL_NAME, POINTS = {}, "", {}
# points only records' PMD fallback reasons need: unneeded in hist
REASON_POINTS = set()
# points of device DAX (DT_KIND_DEVDAX), from the table too
DEVDAX_POINTS = set()
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
    # --stacks read,ro_upgrade: those records, and only those, with forensics
    "stacks_read_then_write": {"read": 256, "ro_upgrade": 256},
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
    # read_then_write with the kernel's own count of do_wp_page retries
    "retry_evidence": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    # write_new, then read_then_write, each its own --split-exec group
    "split_exec": {"write": PAGES_16M, "read": PAGES_16M,
                   "ro_upgrade": PAGES_16M},
    "split_exec_forbid": {"write": PAGES_16M, "read": PAGES_16M,
                          "ro_upgrade": PAGES_16M},
    "split_record": {"write": PAGES_16M, "read": PAGES_16M,
                     "ro_upgrade": PAGES_16M},
    "split_report": {"write": PAGES_16M, "read": PAGES_16M,
                     "ro_upgrade": PAGES_16M},
}
# Positive controls: tests/kmod/dt_two_step.c makes the running kernel
# take the two-step route for real (the filesystem's ->pfn_mkwrite answers
# 0, so wp_pfn_shared() makes the PTE writable in finish_mkwrite_fault()),
# for every write-protect fault but those on the zero page, and counts
# them.  Its own count is the truth daxtrace's must equal.  The workload
# is read_then_write's; with the module removed it is ro_upgrade again.
CONTROLS = {
    "control_two_step": {"read": PAGES_16M, "two_step": PAGES_16M},
    # the same with kprobes alone: the forensics come from the kprobe
    "kp_control_two_step": {"read": PAGES_16M, "two_step": PAGES_16M},
    # a hole's zero page is left to the kernel: zero_upgrade, as without
    "control_zero_page": {"hole": PAGES_16M, "zero_upgrade": PAGES_16M},
    "control_removed": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    # the same two runs recorded, for daxtrace diff (control_diff*)
    "control_record_under": {"read": PAGES_16M, "two_step": PAGES_16M},
    "control_record_before": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
    # tests/kmod/dt_pfn_mismatch.c gives the mkwrite insert of each page's
    # first write-protect fault the neighbouring PFN: the insert meets the
    # present entry of another PFN (pfn_mismatch "unexpected"), and the
    # write, made again (after VM_FAULT_NOPAGE up to 6.14, after SIGBUS
    # from 6.15), upgrades the entry (ro_upgrade)
    "control_pfn_mismatch": {"read": PAGES_16M, "pfn_mismatch": PAGES_16M,
                             "ro_upgrade": PAGES_16M},
    "kp_control_pfn_mismatch": {"read": PAGES_16M, "pfn_mismatch": PAGES_16M,
                                "ro_upgrade": PAGES_16M},
    "control_pfn_mismatch_removed": {"read": PAGES_16M, "ro_upgrade": PAGES_16M},
}
# what the kernel answers an mkwrite insert meeting another PFN with, per
# era (mm/memory.c): insert_pfn() leaves the entry, VM_FAULT_NOPAGE
# (0x100); insert_page_into_pte_locked() refuses, -EFAULT, which
# vmf_insert_page_mkwrite() turns into VM_FAULT_SIGBUS (0x2).  Each warns
# once per boot, from the function named.
MISMATCH_RESULT = {"pfn": 0x100, "page": 0x2}
MISMATCH_WARNS = {"pfn": "insert_pfn", "page": "insert_page_into_pte_locked"}
MISMATCH_CONTROLS = ("control_pfn_mismatch", "kp_control_pfn_mismatch")
# daxtrace diff of those recordings, A before and B under the module
DIFFS = ("control_diff", "control_diff_text")
# the forensics of the recorded control, replayed: JSON and text
FORENSICS = ("control_report_forensics",)
# who answers a write-protect fault of a DAX file: each filesystem's
# ->pfn_mkwrite (fs/xfs/xfs_file.c, fs/ext4/file.c), a module or built in
PFN_MKWRITE = {"xfs": r"xfs_filemap_pfn_mkwrite( \[xfs\])?",
               "ext4": r"ext4_dax_fault( \[ext4\])?"}
FAULT = {"xfs": r"xfs_filemap_fault( \[xfs\])?",
         "ext4": r"ext4_dax_fault( \[ext4\])?"}


def testfile(fs):
    """The file every scenario maps (guest-run.sh: F=$mnt/testfile), as
    forensics name it: its dentries under the mount of its device."""
    return "/mnt/%s/testfile" % fs


def check_forensics(fs, rec, kprobes=False):
    """One two_step record's forensics: its filesystem's handlers and the
    write-protect path of mm/memory.c on its stack."""
    fo = rec.get("forensics")
    if not isinstance(fo, dict):
        return ["no forensics"]
    errs = []
    if not re.fullmatch(PFN_MKWRITE[fs], fo.get("pfn_mkwrite", "")):
        errs.append("pfn_mkwrite %r" % fo.get("pfn_mkwrite"))
    if not re.fullmatch(FAULT[fs], fo.get("fault", "")):
        errs.append("fault %r" % fo.get("fault"))
    if fo.get("file") != testfile(fs):
        errs.append("file %r" % fo.get("file"))
    # wp_pfn_shared() ends in "return finish_mkwrite_fault(vmf, NULL)",
    # inlined into do_wp_page() and compiled as a tail call (7.2): no
    # do_wp_page frame, finish_mkwrite_fault returns to
    # __handle_mm_fault (kprobes: the stack is the kernel's own).  Under
    # fexit, do_wp_page runs from its BPF trampoline, which stays on the
    # stack, named by whose it is.
    stack = fo.get("stack", [])
    want = ("finish_mkwrite_fault", "handle_mm_fault") if kprobes else \
        ("finish_mkwrite_fault", "do_wp_page", "handle_mm_fault")
    for fn in want:
        if not any(f.startswith(fn + "+0x") or f.endswith(" [bpf: %s]" % fn)
                   for f in stack):
            errs.append("no %s in the stack %s" % (fn, stack))
    return errs


def check_stacks(fs, records, classes):
    """--stacks CLASSES: each record of those classes has forensics, the
    filesystem's handlers and the fault's path on its stack; no other has."""
    errs = []
    for r in records:
        fo = r.get("forensics")
        if r.get("class") not in classes:
            if fo is not None:
                errs.append("forensics on a %s record" % r.get("class"))
            continue
        if not isinstance(fo, dict):
            errs.append("a %s record without forensics" % r.get("class"))
            continue
        if not re.fullmatch(PFN_MKWRITE[fs], fo.get("pfn_mkwrite", "")) or \
                not re.fullmatch(FAULT[fs], fo.get("fault", "")):
            errs.append("handlers %s, %s" % (fo.get("pfn_mkwrite"), fo.get("fault")))
        if fo.get("file") != testfile(fs):
            errs.append("file %r" % fo.get("file"))
        # the stack where the fault ended: a read in the DAX fault
        # (fs_dax's dax_pte_fault_done), a write-protect fault at
        # do_wp_page()'s return, whose fexit trampoline is on the stack
        stack = fo.get("stack", [])
        want = ["handle_mm_fault", "do_wp_page" if r.get("class") == "ro_upgrade"
                else "dax_iomap_pte_fault"]
        for fn in want:
            if not any(f.startswith(fn + "+0x") or f.endswith(" [bpf: %s]" % fn)
                       for f in stack):
                errs.append("no %s in the %s stack %s" % (fn, r.get("class"), stack))
    return sorted(set(errs))[:4]


def check_report_forensics(fs, name, run):
    recs = [json.loads(l) for l in run["out"] if l.startswith("{")]
    errs = []
    if len(recs) != 2:
        errs.append("%d JSON records with forensics, want 2" % len(recs))
    for r in recs:
        if r.get("class") != "two_step":
            errs.append("forensics on a %s record" % r.get("class"))
        errs += check_forensics(fs, r)
    text = [l for l in run["out"] if not l.startswith("{")]
    if len(text) != 3 or " !two_step " not in text[0] or \
            not re.match(r"^    forensics: pfn_mkwrite %s, fault %s, file %s$" %
                         (PFN_MKWRITE[fs], FAULT[fs], re.escape(testfile(fs))), text[1]) or \
            not re.match(r"^    stack: .*finish_mkwrite_fault\+0x.*handle_mm_fault\+0x", text[2]):
        errs.append("text record and forensics lines: %s" % text)
    return errs
# the module's counters at the end of each loaded control:
# (injected, zero_page)
CONTROL_KMOD = {"control_two_step": (PAGES_16M, 0),
                "kp_control_two_step": (PAGES_16M, 0),
                "control_zero_page": (0, PAGES_16M),
                "control_record_under": (PAGES_16M, 0)}
# the --split-exec groups of those: each workload's faults in its own
SPLIT_GROUPS = {"workloads/write_new": "write_new",
                "workloads/read_then_write": "read_then_write"}
# exit status each scenario must end with (0 when not listed)
RC = {"check_forbid_ro_upgrade": 1, "check_expect_broken": 1,
      "control_two_step": 1, "kp_control_two_step": 1, "control_diff": 1,
      "control_pfn_mismatch": 1, "kp_control_pfn_mismatch": 1,
      "split_exec_forbid": 1,
      "check_not_root": 2, "report_check": 1, "report_truncated": 2,
      "lost_check": 2}
# scenarios that lose records on purpose: what arrived plus what was
# counted lost must be every fault
LOSSY = {"lost_stream": PAGES_16M, "lost_check": PAGES_16M}
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "schema", "junit.xsd")
INFERRED = {"tp_read_then_write", "tp_sparse_read_then_write", "tp_pmd_write"}
FALLBACK_REASONS = ["unknown", "misaligned", "private_write", "vma_range",
                    "past_eof", "conflict", "fs_error", "extent_short",
                    "extent_unmapped", "storage", "storage_short",
                    "storage_misaligned", "zero_page"]
# PMD scenarios: per filesystem (None: the same on both) the classes,
# sizes and PMD fallbacks per reason.  Each attempt is one fallback of the
# reason dax_iomap_pmd_fault() had (fs/dax.c;
# tests/vm/pmd-fallback-evidence.md), then the PTE fault it falls back to,
# in the same record.  xfs as made by default
# allocates a 2 MiB extent at a device offset that is not 2 MiB aligned
# (block 24 of AG 0): dax_direct_access() gives a misaligned PFN.
PMD_XFS_DEFAULT = ({"write": 32}, {"pte": 32, "pmd": 0},
                   {"storage_misaligned": 32})
PMD_ALIGNED = ({"write": 32}, {"pte": 0, "pmd": 32}, {})
PMD_SCENARIOS = {
    "pmd_write": {"ext4": PMD_ALIGNED, "xfs": PMD_XFS_DEFAULT},
    "kp_pmd_write": {"ext4": PMD_ALIGNED, "xfs": PMD_XFS_DEFAULT},
    # no dax_direct_access probe in tracepoint mode: a storage fallback,
    # which storage check failed unknown
    "tp_pmd_write": {"ext4": PMD_ALIGNED,
                     "xfs": ({"write": 32}, {"pte": 32, "pmd": 0},
                             {"storage": 32})},
    "pmd_check_none": {"ext4": PMD_ALIGNED, "xfs": PMD_XFS_DEFAULT},
    "pmd_forbid_storage": {"ext4": PMD_ALIGNED, "xfs": PMD_XFS_DEFAULT},
    "pmd_record": {"ext4": PMD_ALIGNED, "xfs": PMD_XFS_DEFAULT},
    "pmd_report": {"ext4": PMD_ALIGNED, "xfs": PMD_XFS_DEFAULT},
    # pmd_write under hist --by reason: the kernel's histograms keyed by
    # the reason, which their summary counts as the records' does
    "hist_by_reason": {"ext4": PMD_ALIGNED, "xfs": PMD_XFS_DEFAULT},
    # a 4 MiB mapping at file offset 4 KiB: 2 attempts
    "pmd_offset": {None: ({"write": 2}, {"pte": 2, "pmd": 0},
                          {"misaligned": 2})},
    # a 4 MiB private mapping written: 2 attempts, each then a COW fault
    "pmd_private": {None: ({"cow": 2}, {"pte": 2, "pmd": 0},
                           {"private_write": 2})},
    # a 1 MiB mapping: its 2 MiB range ends past the VMA
    "pmd_vma": {None: ({"write": 1}, {"pte": 1, "pmd": 0},
                       {"vma_range": 1})},
    # a 2 MiB mapping of a 1 MiB file
    "pmd_short": {None: ({"write": 1}, {"pte": 1, "pmd": 0},
                         {"past_eof": 1})},
    # 2 pages written through a 4 KiB-only mapping (no PMD attempt), then
    # the same 2 MiB ranges through a PMD-able one: their 4 KiB entries
    "pmd_ptes": {None: ({"write": 4}, {"pte": 4, "pmd": 0},
                        {"conflict": 2})},
    # the PMDK client.  libpmem maps the 16 MiB it fallocated at a 2 MiB
    # aligned address (MAP_SYNC); ext4 serves 8 PMDs, xfs falls back at
    # each first write of a 2 MiB range (8), then a PTE fault per page.
    # libpmemobj then creates a 16 MiB pool and runs one transaction:
    # 523 faults on ext4, 2 of them PMD, 800 PTE faults on xfs (2 ranges
    # falling back for the storage).  It also maps the pool's 4 KiB
    # header on its own and faults it there first: the pool's first
    # 2 MiB then holds a 4 KiB entry, conflict 1 on both.  Measured in
    # the VM on 6.1, 6.12 and 7.2, each count the same in every run (the
    # text_ scenario reruns it; tests/vm/pmd-fallback-evidence.md).
    "pmem_client": {"ext4": ({"write": 521, "read": 1, "hole": 1,
                              "ro_upgrade": 7, "zero_upgrade": 1},
                             {"pte": 521, "pmd": 10}, {"conflict": 1}),
                    "xfs": ({"write": 4886, "read": 1, "hole": 1,
                             "ro_upgrade": 7, "zero_upgrade": 1},
                            {"pte": 4896, "pmd": 0},
                            {"conflict": 1, "storage_misaligned": 10})},
    # xfs on pmem1 (the xfs pass only): stripe unit 2 MiB aligns the
    # disk addresses, an extent size hint alone does not, a realtime
    # device with 2 MiB rt extents does
    "xfs_stripe_pmd_write": {"xfs": PMD_ALIGNED},
    "xfs_extsize_pmd_write": {"xfs": PMD_XFS_DEFAULT},
    "xfs_rt_pmd_write": {"xfs": PMD_ALIGNED},
}
# text summaries: the pmd_fallbacks line and the hints, of the reasons
# seen only (the JSON scenario of the same workload has the counts)
TEXT_PMD = {"text_pmd_write": "pmd_write", "text_pmd_offset": "pmd_offset",
            "text_pmd_private": "pmd_private", "text_pmd_vma": "pmd_vma",
            "text_pmd_short": "pmd_short", "text_pmd_ptes": "pmd_ptes",
            "text_pmem_client": "pmem_client"}
# the start of each reason's hint (user/hints.c)
HINTS = {"misaligned": "the address and the file offset disagree",
         "private_write": "a write to a MAP_PRIVATE mapping copies",
         "vma_range": "the mapping does not cover the whole 2 MiB",
         "past_eof": "the file ends inside the 2 MiB range",
         "conflict": "4 KiB entries of the file were already",
         "storage_misaligned": "the file system placed the extent at a disk "
                               "address that is not 2 MiB aligned"}
PMD_RC = {"pmd_check_none": {"ext4": 0, "xfs": 1},
          "pmd_forbid_storage": {"ext4": 0, "xfs": 1}}


def kernel_props(name):
    """The line of kernels.conf for kernel NAME, as a dict by column."""
    cols = None
    with open(os.path.join(HERE, "kernels.conf")) as f:
        for line in f:
            if line.startswith("# name\t"):
                cols = line[2:].split()
            elif line.strip() and not line.startswith("#"):
                vals = line.split()
                if vals[0] == name:
                    return dict(zip(cols, vals))
    raise SystemExit("check.py: unknown kernel %r (tests/vm/kernels.conf)" % name)


def probe_points():
    """include/dt_points.h: {point name: (era, [(kind, prog, target)])};
    the points of PMD fallback reasons (need REASONS) into REASON_POINTS."""
    src = open(os.path.join(HERE, "..", "..", "include", "dt_points.h")).read()
    body = src[src.index("#define DT_POINT_TABLE"):]
    body = re.sub(r"\\\s*\n", " ", body)
    ids, points = {}, {}
    for pid, name, era, kind, need in re.findall(
            r'POINT\((\w+),\s*"([^"]+)",\s*DT_ERA_(\w+),\s*DT_KIND_(\w+),\s*(\w+),', body):
        ids[pid] = name
        points[name] = (era.lower(), [])
        if kind == "DEVDAX":
            DEVDAX_POINTS.add(name)
        if need == "REASONS":
            REASON_POINTS.add(name)
    for pid, kind, prog, target in re.findall(
            r"ALT\((\w+),\s*(\w+),\s*(\w+),\s*(\w+)\)", body):
        points[ids[pid]][1].append((kind, prog, target))
    return points


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
                "probes", "era", "pte_layout"):
        if key not in s:
            errs.append("summary lacks %s" % key)
    if sorted(s["classes"]) != sorted(CLASSES):
        errs.append("classes %s" % sorted(s["classes"]))
    # this suite's guest loads no device_dax: said, never implied by "exact"
    if s.get("devdax") != "untraced":
        errs.append("devdax %r, want untraced (no device_dax module)" % s.get("devdax"))
    if s["lost"] or s["stale"] or s["untracked"] or s["untraced_children"]:
        errs.append("lost %d stale %d untracked %d untraced_children %d" %
                    (s["lost"], s["stale"], s["untracked"],
                     s["untraced_children"]))
    if sum(v or 0 for v in s["classes"].values()) != s["faults"]:
        errs.append("classes do not add up to faults")
    want_mode = "inferred" if name in INFERRED else "exact"
    if s["mode"] != want_mode:
        errs.append("mode %s, want %s" % (s["mode"], want_mode))
    # the era and layout come from the kernel itself, in every mode
    if s["era"] != KERNEL["era"] or s["pte_layout"] != KERNEL["pte"]:
        errs.append("era %s, PTE layout %s; want %s, %s" %
                    (s["era"], s["pte_layout"], KERNEL["era"], KERNEL["pte"]))
    # inferred: never decided, so never counted, and no violation claimed
    unseen = [c for c in UNSEEN_INFERRED if s["classes"][c] is None]
    if want_mode == "inferred" and (len(unseen) != len(UNSEEN_INFERRED) or
                                    s["pfn_mismatch"] is not None or
                                    s["violations"] is not None):
        errs.append("inferred mode counted %s: two_step %s pfn_mismatch %s "
                    "violations %s" % (UNSEEN_INFERRED, s["classes"]["two_step"],
                                       s["pfn_mismatch"], s["violations"]))
    if want_mode == "exact" and unseen:
        errs.append("exact mode left %s null" % unseen)
    return errs


def expected(name, fs, want):
    """WANT on this kernel and filesystem: the kernel-specific faults added.

    From 6.6 a fault is first tried under the per-VMA lock.  ext4's DAX
    vm_operations have no ->map_pages, so vmf_can_call_fault() gives up
    before any DAX code (VM_FAULT_RETRY) and the fault is repeated under
    mmap_lock: invisible for a read or a new write, but a write-protect
    fault has run do_wp_page(), whose return daxtrace sees: one "retry"
    before each upgrade of a shared mapping.  Only with do_wp_page probed:
    not in tracepoint mode.  xfs has ->map_pages: no retry.  The
    retry_evidence scenario counts the same retries with the kernel's own
    kretprobe event, independently of daxtrace.
    """
    want = dict(want)
    if (KERNEL["vma_lock"] == "yes" and fs == "ext4" and
            not name.startswith("tp_")):
        # a two-step upgrade (the positive control) is retried the same
        # way: wp_pfn_shared() asks vmf_can_call_fault() before it calls
        # ->pfn_mkwrite, which the control's module answers
        # and so is each write-protect fault whose insert the mismatch
        # control made meet another PFN
        upgrades = want.get("ro_upgrade", 0) + want.get("zero_upgrade", 0) + \
            want.get("two_step", 0) + want.get("pfn_mismatch", 0)
        if upgrades:
            want["retry"] = upgrades
    return want


def check_lossy(s, total):
    errs = []
    if s["lost"] <= 0:
        errs.append("nothing lost: the test did not exercise loss")
    if s["faults"] + s["lost"] != total:
        errs.append("faults %d + lost %d != %d" % (s["faults"], s["lost"], total))
    if s["faults"] != s["classes"]["write"]:
        errs.append("classes %s" % s["classes"])
    return errs


def check_exact(s, want, sizes=None, violations=0):
    errs = []
    for c in CLASSES:
        got = s["classes"][c]
        if got is None and c in UNSEEN_INFERRED and s["mode"] == "inferred":
            continue
        if got != want.get(c, 0):
            errs.append("%s=%s want %d" % (c, got, want.get(c, 0)))
    if s["faults"] != sum(want.values()):
        errs.append("faults=%d want %d" % (s["faults"], sum(want.values())))
    for k, v in (sizes or {}).items():
        if s["sizes"][k] != v:
            errs.append("sizes.%s=%d want %d" % (k, s["sizes"][k], v))
    if (s["violations"] or 0) != violations:
        errs.append("violations=%s want %d" % (s["violations"], violations))
    return errs


def check_fallbacks(s, want):
    """pmd_fallbacks: the total and each reason exactly WANT's."""
    fb = s.get("pmd_fallbacks")
    if fb is None:
        return ["pmd_fallbacks is null"]
    if sorted(fb["reasons"]) != sorted(FALLBACK_REASONS):
        return ["fallback reasons %s" % sorted(fb["reasons"])]
    got = {r: n for r, n in fb["reasons"].items() if n}
    errs = []
    if got != want:
        errs.append("pmd_fallbacks %s, want %s" % (got, want))
    if fb["total"] != sum(want.values()):
        errs.append("pmd_fallbacks.total %d, want %d" %
                    (fb["total"], sum(want.values())))
    return errs


def check_no_fallback(name, s):
    """4 KiB-only mappings (MADV_NOHUGEPAGE) try no PMD: no fallback.
    hist counts in the kernel and sends no record: no reasons, null."""
    fb = s.get("pmd_fallbacks", "absent")
    if name.startswith("hist_"):
        return [] if fb is None else ["pmd_fallbacks %s, want null" % fb]
    if fb is None or fb == "absent" or fb["total"]:
        return ["pmd_fallbacks %s, want total 0" % fb]
    return []


def check_kernel_fallbacks(run, s):
    """daxtrace's PMD fallbacks are the kernel's own: dax_pmd_fault_done
    events whose result has VM_FAULT_FALLBACK, counted by tracefs."""
    counts = [int(l.split()[-1]) for l in run["out"]
              if l.startswith("@@KERNEL-COUNT pmd_fallback ")]
    overrun = [int(l.split()[-1]) for l in run["out"]
               if l.startswith("@@KERNEL-COUNT overrun ")]
    if len(counts) != 1:
        return ["no kernel count of PMD fallbacks"]
    errs = [] if overrun == [0] else \
        ["the trace buffer overran (%s): the count is short" % overrun]
    if counts[0] != s["pmd_fallbacks"]["total"]:
        errs.append("daxtrace pmd_fallbacks %d, the kernel's event %d" %
                    (s["pmd_fallbacks"]["total"], counts[0]))
    return errs


# the PMD scenarios run under count_pmd_fallbacks (guest-run.sh)
KERNEL_COUNTED = ("pmd_write", "pmd_offset", "pmd_private", "pmd_vma",
                  "pmd_short", "pmd_ptes", "pmem_client", "hist_by_reason")


def pmd_want(fs, name):
    per = PMD_SCENARIOS[name]
    return per.get(fs, per.get(None))


def pmd_expected(fs, name):
    """PMD_SCENARIOS' want on this kernel and filesystem.

    From 6.6 on ext4 (no ->map_pages, see expected()), a PMD fault that
    falls back under the per-VMA lock goes on to a PTE fault that
    vmf_can_call_fault() refuses there: VM_FAULT_RETRY, and the fault is
    repeated under mmap_lock, its PMD attempt included.  Every fallback
    happens twice (the kernel's count_pmd_fallbacks says so), and the
    first attempt, which maps nothing, is a record of its own: class
    fallback, size pmd.  A PMD that maps at once is not retried.  The
    write-protect faults of a shared mapping are retried as expected()
    says: one "retry" record, of a PTE, before each upgrade.
    """
    classes, sizes, reasons = pmd_want(fs, name)
    n = sum(reasons.values())
    if KERNEL["vma_lock"] == "yes" and fs == "ext4" and n:
        classes = dict(classes, fallback=classes.get("fallback", 0) + n)
        sizes = dict(sizes, pmd=sizes["pmd"] + n)
        reasons = {r: 2 * c for r, c in reasons.items()}
    with_retries = expected(name, fs, classes)
    retries = with_retries.get("retry", 0) - classes.get("retry", 0)
    if retries:
        sizes = dict(sizes, pte=sizes["pte"] + retries)
    return with_retries, sizes, reasons


def check_pmd_records(fs, name, run, records, s):
    """The offending records of --forbid pmd_fallback.storage_misaligned."""
    errs = []
    if name == "pmd_forbid_storage":
        bad = [r for r in records
               if r.get("pmd_fallback") != "storage_misaligned"]
        want = 32 if fs == "xfs" else 0
        if len(records) != want or bad:
            errs.append("%d offending records printed (want %d), %d without "
                        "the reason" % (len(records), want, len(bad)))
    if name == "pmd_report":
        rec = runs_global.get((fs, "pmd_record"))
        if rec is None or summary_of(rec)[0] != s:
            errs.append("summary differs from the live record run's")
    return errs


runs_global = {}


def check_text_pmd(fs, name, run):
    """The text summary's pmd_fallbacks line and hints: the reasons seen,
    each with its hint; none (no "why" line) when nothing fell back."""
    _, _, reasons = pmd_expected(fs, TEXT_PMD[name])
    lines = run["out"] + run["err"]
    total = sum(reasons.values())
    want = "pmd_fallbacks: %d" % total
    if reasons:
        want += " (%s)" % ", ".join("%s %d" % (r, reasons[r]) for r in
                                    FALLBACK_REASONS if r in reasons)
    errs = []
    if want not in lines:
        errs.append("no line '%s': %s" % (want, [l for l in lines
                                                 if l.startswith("pmd_")]))
    hints = [l for l in lines if l.startswith("  ") and " (" in l and
             l.split(" (")[0].strip() in FALLBACK_REASONS]
    want_hints = ["  %s (%d): %s" % (r, n, HINTS[r]) for r, n in
                  sorted(reasons.items(), key=lambda x:
                         FALLBACK_REASONS.index(x[0]))]
    if ("why no 2 MiB mappings:" in lines) != bool(reasons) or \
            len(hints) != len(want_hints) or \
            any(not h.startswith(w) for h, w in zip(hints, want_hints)):
        errs.append("hints %s, want %s" % (hints, want_hints))
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
        # the pfn era maps DAX storage special + devmap; the page era a
        # folio, not special; devmap is a field only up to 6.16
        want_special = KERNEL["wp_special"] == "yes"
        want_devmap = None if KERNEL["pte"] == "nodevmap" else True
        if not (a and a["present"] and a["write"] and a["dirty"] and
                a["special"] == want_special and a["devmap"] == want_devmap and
                a["pfn"] == r["req_pfn"]):
            errs.append("after not writable+dirty with special=%s devmap=%s: %s"
                        % (want_special, want_devmap, json.dumps(r)))
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


def check_hist_by_reason(fs, name, run):
    """hist --by reason: one histogram per class, size and reason (none
    for the faults that did not fall back), each holding exactly what
    PMD_SCENARIOS expects of it."""
    classes, sizes, reasons = pmd_expected(fs, name)
    got = sorted(re.sub(r", avg = .*", "", l) for l in run["out"]
                 if l.startswith("class = "))
    want = []
    if reasons:
        # every fallback's fault is a PTE write of its own record (the
        # retried attempts under the per-VMA lock, of class fallback,
        # happen on ext4 only, where this workload does not fall back)
        if len(reasons) != 1 or classes.get("fallback"):
            return ["no titles known for %s" % reasons]
        [(r, n)] = reasons.items()
        want.append("class = write, size = pte, reason = %s, faults = %d" %
                    (r, n))
    if sizes["pmd"]:
        want.append("class = write, size = pmd, reason = none, faults = %d"
                    % sizes["pmd"])
    left = sizes["pte"] - sum(reasons.values())
    if left:
        want.append("class = write, size = pte, reason = none, faults = %d"
                    % left)
    return [] if got == sorted(want) else \
        ["titles %s, want %s" % (got, sorted(want))]


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


LEVELS = {"kp_": ("kprobe", "kretprobe"), "fe_": ("fentry", "fexit"),
          "": ("fentry", "fexit")}
FUNCTION_KINDS = ("FENTRY", "FEXIT", "KPROBE", "KRETPROBE", "KPROBE_ENTRY")
# inline (notrace) on every kernel of the matrix: never attaches
NEVER_TRACEABLE = ("wp_page_reuse",)


def era_points():
    """The points daxtrace lists on this kernel: its era's and every era's."""
    return {n: alts for n, (era, alts) in POINTS.items()
            if era in ("all", KERNEL["era"])}


def function_points():
    """Points on kernel functions this kernel's era must attach: file
    DAX's and the shared ones.  Device DAX's are tests/vm/devdax.sh's to
    judge (this suite's guest has no device_dax module: they are
    unavailable here, which its summary says, "devdax": "untraced")."""
    return [n for n, alts in era_points().items()
            if any(a[0] in FUNCTION_KINDS for a in alts) and
            n not in NEVER_TRACEABLE and n not in DEVDAX_POINTS]


# the opening tracepoints: tp_btf twins, but for kprobe mode
OPENING_TPS = ["dax_pte_fault", "dax_pmd_fault"]


def check_tracepoints(name, s):
    """tp_btf where BTF is (auto, fentry, tracepoint); -m kprobe: raw tracepoints."""
    want = "raw_tracepoint" if name.startswith("kp_") else "tp_btf"
    bad = ["%s=%s" % (p, s["probes"][p]) for p in OPENING_TPS
           if s["probes"][p] != want]
    return ["want %s: %s" % (want, bad)] if bad else []


def check_levels(name, s):
    """Forced (kp_, fe_) and default (auto: best = fentry) attach levels,
    of this era's points only (include/dt_points.h)."""
    errs = check_tracepoints(name, s)
    if sorted(s["probes"]) != sorted(era_points()):
        errs.append("probe points %s, want the %s era's %s" %
                    (sorted(s["probes"]), KERNEL["era"], sorted(era_points())))
        return errs
    if name.startswith("tp_"):
        bad = [p for p in function_points()
               if not s["probes"][p].startswith("unavailable")]
        return errs + (["tracepoint mode attached %s" % bad] if bad else [])
    prefix = name[:3] if name[:3] in LEVELS else ""
    entry, ret = LEVELS[prefix]

    def want(p):
        # hist keeps no reason but by reason, which attaches them
        if name.startswith("hist_") and p in REASON_POINTS and \
                name != "hist_by_reason":
            return "unneeded"
        if p.endswith(":ret"):
            return ret
        # an entry half of a kretprobe (do_wp_page, dax_direct_access):
        # with fexit, not needed
        halves = all(a[0] == "KPROBE_ENTRY" for a in era_points()[p])
        return "unneeded" if halves and ret == "fexit" else entry
    bad = ["%s=%s" % (p, s["probes"][p]) for p in function_points()
           if s["probes"][p] != want(p)]
    return errs + (["want %s/%s: %s" % (entry, ret, bad)] if bad else [])


def check_split(fs, name, run, s, runs):
    """Each group holds exactly its workload's faults; none outside."""
    errs = []
    groups = s.get("groups")
    if groups is None:
        return ["no groups in the summary"]
    if sorted(groups) != sorted(list(SPLIT_GROUPS) + ["(none)"]):
        errs.append("groups %s" % sorted(groups))
        return errs
    for g, wl in SPLIT_GROUPS.items():
        want = expected(name, fs, EXACT[wl])
        got = {c: v for c, v in groups[g]["classes"].items() if v}
        if got != {c: v for c, v in want.items() if v} or \
                groups[g]["faults"] != sum(want.values()):
            errs.append("group %s: %s, want %s" % (g, got, want))
    if groups["(none)"]["faults"]:
        errs.append("%d faults in no group" % groups["(none)"]["faults"])
    if name == "split_exec_forbid":
        # the broken rule names the group of its offending faults, only it
        where = [e for e in run["err"] if e.startswith("daxtrace check:        in ")]
        want = ["daxtrace check:        in workloads/read_then_write (%d)" % PAGES_16M]
        if where != want:
            errs.append("rule groups %s, want %s" % (where, want))
    if name == "split_report":
        rec = runs.get((fs, "split_record"))
        if rec is None or summary_of(rec)[0] != s:
            errs.append("summary differs from the live record run's")
    return errs


def check_retry_evidence(fs, run, s):
    """daxtrace's retries are the kernel's own: do_wp_page() returning
    VM_FAULT_RETRY, counted by a kretprobe event of tracefs."""
    counts = [int(l.split()[-1]) for l in run["out"]
              if l.startswith("@@KERNEL-COUNT do_wp_page_retry ")]
    if len(counts) != 1:
        return ["no kernel count of do_wp_page retries"]
    want = expected("retry_evidence", fs, EXACT["read_then_write"])
    errs = []
    overrun = [int(l.split()[-1]) for l in run["out"]
               if l.startswith("@@KERNEL-COUNT overrun ")]
    if overrun != [0]:
        errs.append("the trace buffer overran (%s): the count is short" % overrun)
    if counts[0] != want.get("retry", 0):
        errs.append("the kernel counted %d do_wp_page retries, want %d" %
                    (counts[0], want.get("retry", 0)))
    if s["classes"]["retry"] != counts[0]:
        errs.append("daxtrace retry=%d, the kernel's kretprobe %d" %
                    (s["classes"]["retry"], counts[0]))
    return errs


def kmod_params(run, module):
    """{parameter: value} of the @@KMOD line MODULE printed, or None."""
    for l in run["out"]:
        w = l.split()
        if len(w) >= 2 and w[:2] == ["@@KMOD", module] and len(w) % 2 == 0:
            return {w[i]: int(w[i + 1]) for i in range(2, len(w), 2)}
    return None


def kmod_counts(run, module):
    """(injected, zero_page) of the @@KMOD line MODULE printed, or None."""
    p = kmod_params(run, module)
    return None if p is None else (p.get("injected"), p.get("zero_page"))


def kernel_count(run, what):
    """The @@KERNEL-COUNT WHAT value the scenario printed, or None."""
    for l in run["out"]:
        if l.startswith("@@KERNEL-COUNT %s " % what):
            return int(l.split()[2])
    return None


def retried_writes(run):
    """read_then_write retry's count of writes made again after SIGBUS."""
    for l in run["err"]:
        m = re.match(r"read_then_write: (\d+) writes made again after SIGBUS$", l)
        if m:
            return int(m.group(1))
    return None


def check_mismatch_control(fs, name, run, s, records):
    """The mismatch control: the module's count is daxtrace's, the kernel
    warned (once per boot) from its era's insert, each offender is the
    insert of a neighbouring PFN answered as the era answers it, with the
    filesystem's handler and the insert on its stack."""
    era = KERNEL["era"]
    n = PAGES_16M
    errs = []
    want = {"injected": n, "zero_page": 0, "skipped": 0}
    got = kmod_params(run, "dt_pfn_mismatch")
    if got != want:
        errs.append("module counted %s, want %s" % (got, want))
    if s["pfn_mismatch"] != {"zero_page": 0, "private_cow": 0, "unexpected": n}:
        errs.append("pfn_mismatch kinds %s" % s["pfn_mismatch"])
    sigbus = retried_writes(run)
    if sigbus != (n if era == "page" else 0):
        errs.append("%s writes made again after SIGBUS, want %d" %
                    (sigbus, n if era == "page" else 0))
    errs += check_kernel_warning(run)
    bad = []
    for r in records:
        why = []
        if r.get("class") != "pfn_mismatch" or r.get("mismatch") != "unexpected" or \
                r.get("violation") is not True:
            why.append("%s/%s" % (r.get("class"), r.get("mismatch")))
        before = r.get("before") or {}
        if r.get("req_pfn") != (before.get("pfn", -2) ^ 1) or before.get("write") is not False:
            why.append("asked %s over %s" % (r.get("req_pfn"), before))
        if int(r.get("result", "0"), 16) != MISMATCH_RESULT[era]:
            why.append("result %s" % r.get("result"))
        if (r.get("after") or {}).get("raw") != before.get("raw"):
            why.append("entry changed to %s" % r.get("after"))
        fo = r.get("forensics") or {}
        stack = fo.get("stack", [])
        if not re.fullmatch(PFN_MKWRITE[fs], fo.get("pfn_mkwrite", "")):
            why.append("pfn_mkwrite %r" % fo.get("pfn_mkwrite"))
        if fo.get("file") != testfile(fs):
            why.append("file %r" % fo.get("file"))
        for fn in (MISMATCH_WARNS[era], "handle_mm_fault"):
            if not any(f.startswith(fn + "+0x") or f.endswith(" [bpf: %s]" % fn)
                       for f in stack):
                why.append("no %s in the stack %s" % (fn, stack))
        if why:
            bad.append("; ".join(why))
    if len(records) != n or bad:
        errs.append("%d offending records printed for %d, %d wrong: %s" %
                    (len(records), n, len(bad), bad[:2]))
    junit = "\n".join(run.get("junit", []))
    errs += check_junit(run, 1)
    if 'message="forbid pfn_mismatch.unexpected: %d faults"' % n not in junit:
        errs.append("no JUnit failure 'forbid pfn_mismatch.unexpected: %d faults'" % n)
    line = "daxtrace check: FAIL forbid pfn_mismatch.unexpected (%d)" % n
    if run["err"].count(line) != 1:
        errs.append("%d lines '%s' on stderr" % (run["err"].count(line), line))
    return errs


def check_kernel_warning(run):
    """The kernel's WARN_ON_ONCE of an mkwrite insert meeting another PFN:
    one since boot, from the era's insert function (the first control to
    run set it off; it warns no more)."""
    fn = MISMATCH_WARNS[KERNEL["era"]]
    warns = [l for l in run["out"] if l.startswith("@@WARN ")]
    if kernel_count(run, "warn_mm_memory") != 1 or len(warns) != 1 or \
            not re.search(r"WARNING: (CPU: \d+ PID: \d+ at mm/memory\.c:\d+ %s|"
                          r"mm/memory\.c:\d+ at %s)\+0x" % (fn, fn), warns[0]):
        return ["the kernel's mm/memory.c warnings since boot: %s, want one from %s" %
                (warns, fn)]
    return []


def check_control(fs, name, run, s, records):
    """A positive control: daxtrace's counts equal what the module did."""
    want = expected(name, fs, CONTROLS[name])
    errs = check_exact(s, want, violations=want.get("two_step", 0) +
                       want.get("pfn_mismatch", 0))
    errs += check_no_fallback(name, s)
    if name in CONTROL_KMOD:
        got = kmod_counts(run, "dt_two_step")
        if got != CONTROL_KMOD[name]:
            errs.append("module counted (injected, zero_page) %s, want %s" %
                        (got, CONTROL_KMOD[name]))
        elif got[0] != s["classes"]["two_step"]:
            errs.append("two_step %s, the module injected %d" %
                        (s["classes"]["two_step"], got[0]))
    if name in ("control_two_step", "kp_control_two_step"):
        n = s["classes"]["two_step"]
        # each printed offender says where the kernel made it writable;
        # the JUnit failure text carries the first of them
        bad = [e for r in records
               for e in check_forensics(fs, r, name.startswith("kp_"))]
        if bad:
            errs.append("forensics: %s (of %d records)" % (bad[:3], len(records)))
        junit = "\n".join(run.get("junit", []))
        handler = PFN_MKWRITE[fs].split("(")[0]
        if handler not in junit or "finish_mkwrite_fault+0x" not in junit:
            errs.append("the JUnit failure text lacks %s or finish_mkwrite_fault" % handler)
        errs += check_junit(run, 1)
        if not any('message="forbid two_step: %d faults"' % n in l
                   for l in run.get("junit", [])):
            errs.append("no JUnit failure 'forbid two_step: %d faults'" % n)
        line = "daxtrace check: FAIL forbid two_step (%d)" % n
        if run["err"].count(line) != 1:
            errs.append("%d lines '%s' on stderr" % (run["err"].count(line), line))
        bad = [r for r in records
               if r.get("class") != "two_step" or r.get("violation") is not True]
        if len(records) != n or bad:
            errs.append("%d offending records printed for %d, %d not a "
                        "two_step violation" % (len(records), n, len(bad)))
    if name in MISMATCH_CONTROLS:
        errs += check_mismatch_control(fs, name, run, s, records)
    if name == "control_pfn_mismatch_removed" and retried_writes(run) != 0:
        errs.append("%s writes made again after SIGBUS" % retried_writes(run))
    if name in ("control_removed", "control_pfn_mismatch_removed"):
        errs += check_junit(run, 0)
    return errs


def check_diff(fs, name, run):
    """daxtrace diff of the control's recordings: every count of each side
    the kernel's (as the record scenarios assert them), the deltas, the
    --fail-on verdicts, the latencies of read on both sides."""
    a = expected("control_record_before", fs, CONTROLS["control_record_before"])
    b = expected("control_record_under", fs, CONTROLS["control_record_under"])
    errs = []
    if name == "control_diff_text":
        for c in CLASSES:
            va, vb = a.get(c, 0), b.get(c, 0)
            if not va and not vb:
                continue
            want = r"^%s\s+%d\s+%d\s+%s$" % (c, va, vb, re.escape("%+d" % (vb - va)))
            if not any(re.match(want, l) for l in run["out"]):
                errs.append("no line /%s/" % want)
        if not any(re.match(r"^violations\s+0\s+%d\s+\+%d$" % (PAGES_16M, PAGES_16M), l)
                   for l in run["out"]):
            errs.append("no violations line 0 -> %d" % PAGES_16M)
        return errs
    try:
        d = json.loads("\n".join(run["out"]))
    except ValueError as e:
        return ["diff -j output does not parse: %s" % e]
    for c in CLASSES:
        want = {"a": a.get(c, 0), "b": b.get(c, 0),
                "delta": b.get(c, 0) - a.get(c, 0)}
        if d["counts"][c] != want:
            errs.append("%s %s, want %s" % (c, d["counts"][c], want))
    if d["counts"]["violations"] != {"a": 0, "b": PAGES_16M, "delta": PAGES_16M}:
        errs.append("violations %s" % d["counts"]["violations"])
    want_rules = [{"rule": "two_step=0", "holds": False, "value": PAGES_16M},
                  {"rule": "delta.read=0", "holds": True, "value": 0}]
    if d["rules"] != want_rules:
        errs.append("rules %s, want %s" % (d["rules"], want_rules))
    if not any("daxtrace diff: FAIL two_step=0 (%d)" % PAGES_16M == l for l in run["err"]):
        errs.append("no 'daxtrace diff: FAIL two_step=0' line: %s" % run["err"][-3:])
    lat = d["latency"].get("read", {})
    for q in ("p50_ns", "p99_ns"):
        v = lat.get(q, {})
        ok = all(isinstance(v.get(k), int) and v[k] > 0 and v[k] & (v[k] - 1) == 0
                 for k in ("a", "b")) and \
            abs(v.get("ratio", 0) - v["b"] / v["a"]) < 1e-3 * v["b"] / v["a"]
        if not ok:
            errs.append("read latency %s: %s" % (q, v))
    if d["a"] != {"file": "/tmp/before.dt", "kind": "recording"}:
        errs.append("side a %s" % d["a"])
    return errs


def special(fs, name, run, s, records, runs):
    """Checks beyond the class counts, per scenario."""
    errs = check_levels(name, s) if name in EXACT or \
        name in ("pmd_write", "cow_race", "slots1_cow_race") or \
        (name in PMD_SCENARIOS and not name.startswith("xfs_")) else []
    if name == "stacks_read_then_write":
        errs += check_stacks(fs, records, ("read", "ro_upgrade"))
    if name == "json_stream":
        errs += check_records(records, s)
    if name in ("private_read_then_write", "kp_private_read_then_write"):
        errs += check_private(name, run, records)
    if name == "hist_private_read_then_write":
        errs += check_hist_untimed(run)
    if name == "hist_by_comm":
        titles = [l for l in run["out"] if l.startswith("class = ")]
        bad = [t for t in titles if ", comm = read_then_write," not in t]
        nclasses = len(expected(name, fs, EXACT[name]))
        if len(titles) != nclasses or bad:
            errs.append("by comm: %d titles for %d classes, wrong comm in %s" %
                        (len(titles), nclasses, bad))
    if name == "hist_by_reason":
        errs += check_hist_by_reason(fs, name, run)
    if name == "retry_evidence":
        errs += check_retry_evidence(fs, run, s)
    if name.startswith("split_"):
        errs += check_split(fs, name, run, s, runs)
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
    want_rc = PMD_RC[name][fs] if name in PMD_RC else RC.get(name, 0)
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
    if name in TEXT_PMD:
        return check_text_pmd(fs, name, run)
    if name in DIFFS:
        return check_diff(fs, name, run)
    if name in FORENSICS:
        return check_report_forensics(fs, name, run)
    try:
        s, records = summary_of(run)
    except ValueError as e:
        return [str(e)]
    if name in LOSSY:
        return check_lossy(s, LOSSY[name])
    errs = check_common(s, name)
    if name in EXACT:
        errs += check_exact(s, expected(name, fs, EXACT[name]))
        errs += check_no_fallback(name, s)
    elif name in PMD_SCENARIOS:
        classes, sizes, reasons = pmd_expected(fs, name)
        errs += check_exact(s, classes, sizes)
        errs += check_fallbacks(s, reasons)
        errs += check_pmd_records(fs, name, run, records, s)
        if name in KERNEL_COUNTED and s.get("pmd_fallbacks"):
            errs += check_kernel_fallbacks(run, s)
    elif name in ("cow_race", "slots1_cow_race"):
        errs += check_cow_race(s)
    elif name in CONTROLS:
        return errs + check_control(fs, name, run, s, records)
    return errs + special(fs, name, run, s, records, runs)


def main():
    global KERNEL, KERNEL_NAME, POINTS
    if len(sys.argv) < 3:
        raise SystemExit("usage: check.py RESULTS KERNEL [FILESYSTEMS]")
    runs = parse(sys.argv[1])
    KERNEL_NAME = sys.argv[2]
    KERNEL = kernel_props(KERNEL_NAME)
    POINTS = probe_points()
    wanted = sys.argv[3].split() if len(sys.argv) > 3 else ["ext4", "xfs"]
    names = list(EXACT) + list(CONTROLS) + list(LOSSY) + ["cow_race", "slots1_cow_race",
                                         "check_not_root", "report_truncated",
                                         "sigpipe"] + list(PMD_SCENARIOS) + \
        list(TEXT_PMD) + list(DIFFS) + list(FORENSICS)
    # ONLY="scenario ...": judge those alone (run-suite.sh ran no others)
    only = os.environ.get("ONLY", "").split()
    if only:
        names = [n for n in names if n in only]
    failed = 0
    # the kernel that booted is the one asked for (6.12 -> 6.12.117+deb12-amd64)
    with open(sys.argv[1], errors="replace") as f:
        booted = [l.split()[1] for l in f if l.startswith("@@KERNEL ")]
    if not booted or not booted[0].startswith(KERNEL_NAME + "."):
        failed += 1
        print("FAIL vm/%s/boot: booted %s" % (KERNEL_NAME, booted))
    runs_global.update(runs)
    for fs in wanted:
        for name in names:
            if name in PMD_SCENARIOS and pmd_want(fs, name) is None:
                continue
            tag = "vm/%s/%s/%s" % (KERNEL_NAME, fs, name)
            run = runs.get((fs, name))
            errs = ["did not run"] if run is None else \
                judge(fs, name, run, runs)
            if errs:
                failed += 1
                print("FAIL %s: %s" % (tag, "; ".join(errs)))
            elif name in ("check_not_root", "report_truncated", "sigpipe") \
                    or name in LOSSY or name in TEXT_PMD or name in DIFFS \
                    or name in FORENSICS:
                print("PASS %s (exit %d)" % (tag, run["rc"]))
            else:
                s, _ = summary_of(run)
                nz = {k: v for k, v in s["classes"].items() if v}
                print("PASS %s %s" % (tag, json.dumps(nz)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
