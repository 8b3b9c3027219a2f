#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the daxtrace command itself, on whatever kernel runs here
# (no DAX needed): probe report, exit codes, signals, no leftover probes.
set -u
cd "$(dirname "$0")/../.."
DT=./daxtrace
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "PASS host/$1"; }
bad() { echo "FAIL host/$1: $2"; }
expect_rc() {	# expect_rc NAME WANT CMD...
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $rc, want $want: $(head -c 300 "$T/err")"; fi
}
has_kprobes() {
	[ -e /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ]
}
json_ok() { python3 -c 'import json,sys; s=json.loads(sys.stdin.read().splitlines()[-1]); assert "faults" in s and "probes" in s and "lost" in s' <"$1"; }

# `daxtrace probes`: every fs_dax tracepoint attaches; fidelity matches the kernel
expect_rc probes 0 $DT probes
if ! grep -q '^dax_pte_fault  *\(raw_tracepoint\|tp_btf\)' "$T/out"; then
	bad probes_tracepoints "dax_pte_fault not attached: $(cat "$T/out")"
elif has_kprobes || grep -q 'fidelity: inferred' "$T/out"; then
	ok probes_fidelity
else
	bad probes_fidelity "no kprobes here, yet fidelity is not 'inferred'"
fi
# the era is read off this kernel's BTF; its points are the ones listed
if grep -q '^insert path:  \(pfn\|page\|unknown\) (' "$T/out" &&
   grep -q '^PTE layout:   \(devmap58\|devmap57\|nodevmap\|unknown\) ' "$T/out"; then
	ok probes_era
else
	bad probes_era "no insert path or PTE layout line: $(head -5 "$T/out")"
fi
expect_rc probes_mode_tracepoint 0 $DT probes -m tracepoint
if grep -q '^do_wp_page:ret .*skipped: --mode tracepoint' "$T/out" &&
   ! grep -q '^[^ ]*  *\(fentry\|fexit\|kprobe\|kretprobe\) ' "$T/out"; then
	ok probes_mode_skips_kprobes
else
	bad probes_mode_skips_kprobes "$(cat "$T/out")"
fi

# a timed run: summary as JSON on stdout, last
expect_rc duration 0 $DT -q -d 2 -s json
json_ok "$T/out" && ok duration_summary_json || bad duration_summary_json "$(cat "$T/out")"
if has_kprobes; then
	echo "SKIP host/kprobe_mode_refused: this kernel has kprobes"
else
	expect_rc kprobe_mode_refused 2 $DT -m kprobe -d 1
fi

# bad input: each a clear one-line error and exit 2
expect_rc bad_option 2 $DT --no-such-option
grep -q "unknown option '--no-such-option'" "$T/err" && ok bad_option_message || bad bad_option_message "$(cat "$T/err")"
expect_rc bad_duration 2 $DT -d abc
expect_rc missing_pid 2 $DT -p 2147483646
grep -q 'no process with PID' "$T/err" && ok missing_pid_message || bad missing_pid_message "$(cat "$T/err")"
# COMMAND runs with the signal dispositions it would have without
# daxtrace, which catches SIGINT and SIGTERM and ignores SIGPIPE for
# itself: an ignored SIGPIPE turns a reader that quits early into "write
# error: Broken pipe" (xfstests' xfs/551), and a caught SIGINT reverts to
# the default at exec where the caller ignored it (a background job).
# The caller's own dispositions, then those three ignored; a shell keeps
# what it was given ignored, so each case compares with and without.
ignored='sed -n "s/^SigIgn:\t//p" /proc/self/status'
for how in given ignored; do
	traps=:
	[ $how = ignored ] && traps="trap '' PIPE INT TERM"
	want=$(bash -c "$traps; sh -c '$ignored'")
	got=$(bash -c "$traps; $DT -q -s none -- sh -c '$ignored'")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "command_signals_$how"
	else
		bad "command_signals_$how" "SigIgn under daxtrace '$got', without '$want'"
	fi
done
expect_rc bad_command 2 $DT -q -- /nonexistent/command
grep -q "cannot execute '/nonexistent/command'" "$T/err" && ok bad_command_message || bad bad_command_message "$(cat "$T/err")"
expect_rc path_not_dax 2 $DT -q --path /proc
grep -q "is not on a DAX filesystem" "$T/err" && ok path_not_dax_message || bad path_not_dax_message "$(cat "$T/err")"
expect_rc path_missing 2 $DT -q --path /nonexistent/file
# --dev names a device-DAX device or is refused in one line, exit 2
expect_rc dev_missing 2 $DT -q --dev dax9.9
grep -qx "daxtrace: cannot access '/dev/dax9.9': No such file or directory" "$T/err" &&
	ok dev_missing_message || bad dev_missing_message "$(cat "$T/err")"
expect_rc dev_not_dax 2 $DT -q --dev /dev/null
grep -qx "daxtrace: '/dev/null' (1:3) is not a device-DAX device (its subsystem is mem)" "$T/err" &&
	ok dev_not_dax_message || bad dev_not_dax_message "$(cat "$T/err")"
expect_rc dev_not_chr 2 $DT -q --dev /tmp
grep -q "'/tmp' is not a character device" "$T/err" && ok dev_not_chr_message || bad dev_not_chr_message "$(cat "$T/err")"
expect_rc dev_and_path 2 $DT -q --dev /dev/null --path /tmp
grep -q -- "--path and --dev exclude each other" "$T/err" && ok dev_and_path_message || bad dev_and_path_message "$(cat "$T/err")"
expect_rc bad_ringbuf 2 $DT -q --ringbuf-kb 12
# the test knob that makes threads share fast slots: a bad value is named, then ignored
DAXTRACE_FAST_SLOTS=3 expect_rc fast_slots_bad 0 $DT -q -s none -- true
grep -q "warning: DAXTRACE_FAST_SLOTS=3 ignored: want a power of two, 1 to 4096" "$T/err" &&
	ok fast_slots_bad_message || bad fast_slots_bad_message "$(cat "$T/err")"
DAXTRACE_FAST_SLOTS=1 expect_rc fast_slots_one 0 $DT -q -s none -- true
[ ! -s "$T/err" ] && ok fast_slots_one_quiet || bad fast_slots_one_quiet "$(cat "$T/err")"
# ... and userspace arms them once the exit and exec probes attached
if command -v bpftool >/dev/null; then
	$DT -q -s none -- sleep 4 2>"$T/err" &
	dt=$!
	bss=""
	armed=""
	# judged inside the loop: by the time it ends daxtrace may be gone
	for _ in $(seq 40); do
		bss=$(bpftool map show 2>/dev/null | awk '/name daxtrace\.bss/ { sub(":", "", $1); id = $1 } END { print id }')
		if [ -n "$bss" ] && bpftool map dump id "$bss" 2>/dev/null | grep -q '"fast_ok": true'; then
			armed=$bss
			break
		fi
		sleep 0.25
	done
	[ -n "$armed" ] && ok fast_slots_armed ||
		bad fast_slots_armed "fast_ok not set in daxtrace.bss (map ${bss:-none})"
	wait $dt
fi

expect_rc bad_max_procs 2 $DT -q --max-procs 0 -- true
grep -q "invalid --max-procs '0'" "$T/err" && ok bad_max_procs_message || bad bad_max_procs_message "$(cat "$T/err")"

# a full traced set: sh and its first child fill two places, the next two
# children go untraced, and that is counted (the fork tracepoint runs here)
children='sleep 1 & sleep 1 & sleep 1 & wait'
expect_rc max_procs_full 0 $DT -q -s none --max-procs 2 -- sh -c "$children"
grep -q "warning: 2 child processes went untraced: the traced set (--max-procs 2) was full" "$T/err" &&
	ok max_procs_full_counted || bad max_procs_full_counted "$(cat "$T/err")"
expect_rc max_procs_full_json 0 $DT -q -s json --max-procs 2 -- sh -c "$children"
python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).read().splitlines()[-1]); assert s["untraced_children"] == 2, s' "$T/out" &&
	ok max_procs_full_summary || bad max_procs_full_summary "$(tail -c 300 "$T/out")"
# check: the verdict is incomplete (-m tracepoint: no kprobes needed here)
expect_rc max_procs_full_check 2 $DT check -m tracepoint -q -s none --max-procs 2 -- sh -c "$children"
grep -q "2 child processes went untraced" "$T/err" &&
	ok max_procs_full_check_counted || bad max_procs_full_check_counted "$(cat "$T/err")"
expect_rc max_procs_room 0 $DT check -m tracepoint -q -s none --max-procs 4 -- sh -c "$children"
grep -q "untraced" "$T/err" && bad max_procs_room_quiet "$(cat "$T/err")" || ok max_procs_room_quiet
# hist: the PMD fallback reason points (iomap_iter, a tracepoint here)
# attach only for --by reason, whose key is the reason
iomap_iter_is() {	# iomap_iter_is NAME unneeded|attached
	python3 -c 'import json,sys
it = json.loads(open(sys.argv[1]).read().splitlines()[-1])["probes"]["iomap_iter"]
want = ("unneeded",) if sys.argv[2] == "unneeded" else ("tp_btf", "raw_tracepoint")
sys.exit(it not in want)' "$T/out" "$2" &&
		ok "$1" || bad "$1" "$(tail -c 400 "$T/out")"
}
expect_rc hist_by_reason 0 $DT hist -m tracepoint --by reason -s json -- true
iomap_iter_is hist_by_reason_attaches attached
expect_rc hist_plain 0 $DT hist -m tracepoint -s json -- true
iomap_iter_is hist_plain_reasons_unneeded unneeded
expect_rc serve_by_reason 2 $DT serve --by reason
grep -q "reason is hist's" "$T/err" && ok serve_by_reason_message ||
	bad serve_by_reason_message "$(cat "$T/err")"
expect_rc bad_expect 2 $DT check --expect 'write= -1' -- true
grep -q "bad count in --expect" "$T/err" && ok bad_expect_message || bad bad_expect_message "$(cat "$T/err")"
expect_rc report_missing_file 2 $DT report /nonexistent.dt
# a recording's device records name its device-DAX devices in report
# (the seed tests/fuzz/make_corpus.c writes: dax0.0, 2M-aligned, 2 GiB)
expect_rc report_devdax 0 $DT report --hist --by dev tests/fuzz/corpus/devdax.dtr
grep -q '^class = write, size = pte, dev = dax0.0, faults = 1,' "$T/out" &&
	grep -qx '  dax0.0 (2M-aligned, 2 GiB): 1 faults, 0 refused' "$T/out" &&
	ok report_devdax_named || bad report_devdax_named "$(grep 'dax\|class =' "$T/out" | head -c 300)"
# daxtrace diff: two real summaries of this machine; bad or mismatched
# inputs are one line and exit 2, a broken --fail-on exits 1
one_line() {	# one_line NAME PATTERN: stderr is that one line
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "$2" "$T/err" && ok "$1" ||
		bad "$1" "$(head -c 300 "$T/err")"
}
$DT -q -s json -m tracepoint -- true >"$T/a.json" 2>/dev/null
$DT -q -s json -m tracepoint -- true >"$T/b.json" 2>/dev/null
expect_rc diff_summaries 0 $DT diff "$T/a.json" "$T/b.json"
grep -q '^faults  *0  *0  *+0$' "$T/out" && ok diff_summaries_text ||
	bad diff_summaries_text "$(head -c 300 "$T/out")"
expect_rc diff_json 0 $DT diff -j "$T/a.json" "$T/b.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["counts"]["faults"] == {"a": 0, "b": 0, "delta": 0}, d' "$T/out" &&
	ok diff_json_parses || bad diff_json_parses "$(head -c 300 "$T/out")"
expect_rc diff_fail_on 1 $DT diff --fail-on faults=1 --fail-on delta.faults=0 "$T/a.json" "$T/b.json"
grep -qx 'daxtrace diff: FAIL faults=1 (0)' "$T/err" && grep -qx 'daxtrace diff: ok   delta.faults=0 (0)' "$T/err" &&
	ok diff_fail_on_lines || bad diff_fail_on_lines "$(cat "$T/err")"
expect_rc diff_not_summary 2 $DT diff "$T/a.json" /etc/hostname
one_line diff_not_summary_line 'neither a recording nor a JSON summary'
echo '{"x":1}' >"$T/x.json"
expect_rc diff_other_json 2 $DT diff "$T/x.json" "$T/b.json"
one_line diff_other_json_line 'not a daxtrace summary'
sed 's/"two_step":null/"two_step":0/' "$T/a.json" >"$T/exact.json"
expect_rc diff_mismatched 2 $DT diff "$T/exact.json" "$T/b.json"
one_line diff_mismatched_line 'is exact and .* inferred'
expect_rc diff_rule_uncounted 2 $DT diff --fail-on two_step=0 "$T/a.json" "$T/b.json"
one_line diff_rule_uncounted_line 'does not count it (inferred mode)'
expect_rc diff_bad_rule 2 $DT diff --fail-on 'two_step=-1' "$T/a.json" "$T/b.json"
one_line diff_bad_rule_line "bad --fail-on 'two_step=-1'"
expect_rc diff_one_file 2 $DT diff "$T/a.json"
expect_rc diff_missing 2 $DT diff "$T/a.json" /nonexistent.json
one_line diff_missing_line 'cannot open'
expect_rc diff_foreign_option 2 $DT diff --forbid write "$T/a.json" "$T/b.json"
expect_rc command_fails 3 $DT -q -- false
expect_rc command_ok 0 $DT -q -s json -- true
json_ok "$T/out" && ok command_summary_json || bad command_summary_json "$(cat "$T/out")"
expect_rc help 0 $DT --help
grep -q 'Exit status' "$T/out" && ok help_text || bad help_text "no exit status section"
# --version: the build's git describe (as serve's build_info), then libbpf's
expect_rc version 0 $DT --version
want="daxtrace $(git describe --always --dirty 2>/dev/null || echo unknown)"
[ "$(head -n 1 "$T/out")" = "$want" ] && grep -qx 'libbpf v[0-9][0-9.]*' "$T/out" &&
	[ "$(wc -l <"$T/out")" -eq 2 ] && ok version_text ||
	bad version_text "$(head -c 200 "$T/out"), want '$want' and libbpf's"

# not root: one line, exit 2
if id nobody >/dev/null 2>&1; then
	chmod o+rx . "$DT" 2>/dev/null
	expect_rc not_root 2 setpriv --reuid=nobody --regid=nogroup --clear-groups $DT -d 1
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q 'needs root' "$T/err" && ok not_root_message ||
		bad not_root_message "$(cat "$T/err")"
fi

# SIGINT and SIGTERM: detach, print the summary, exit 0
for sig in INT TERM; do
	$DT -q -s json >"$T/out" 2>"$T/err" &
	pid=$!
	sleep 2
	kill -$sig $pid
	wait $pid
	rc=$?
	if [ $rc -eq 0 ] && json_ok "$T/out"; then ok "sig$sig"; else bad "sig$sig" "exit $rc: $(cat "$T/err")"; fi
done

# SIGKILL: the kernel drops every program and link with the process.
# Follow this daxtrace's own programs (by id, from its fdinfo), so another
# daxtrace running on the machine cannot blur the count.
$DT >/dev/null 2>"$T/err" &
pid=$!
# attached once it says so (a loaded machine may take more than a second)
for _ in $(seq 100); do
	grep -q 'probe points attached' "$T/err" && break
	sleep 0.1
done
ids=$(grep -h '^prog_id:' /proc/$pid/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u)
kill -KILL $pid
wait $pid 2>/dev/null
sleep 1
alive=0
for id in $ids; do
	bpftool prog show id "$id" >/dev/null 2>&1 && alive=$((alive + 1))
done
if [ -n "$ids" ] && [ "$alive" -eq 0 ]; then
	ok sigkill_leaves_nothing
else
	bad sigkill_leaves_nothing "programs held: $(echo $ids | wc -w), still loaded after SIGKILL: $alive"
fi
exit 0
