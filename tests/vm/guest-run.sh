#!/bin/sh
# Runs inside the test VM (busybox sh), output on the results channel.
# For each filesystem: mkfs on /dev/pmem0, mount -o dax, run every scenario
# under daxtrace and print its JSON summary between markers.  The host
# (tests/vm/check.py) holds the expected counts and judges.
#
# Scenario lines: NAME<TAB>COMMAND, evaluated with $DT (daxtrace), $W
# (workloads), $F (the test file on the DAX mount); the exit status of
# COMMAND is reported.  Lines starting @@ inside the output are extra
# artefacts (JUnit XML, SVG) for check.py.
P=/payload
W=$P/workloads
DT=$P/daxtrace
# optional overrides written by the host: FILESYSTEMS, ONLY
[ -f $P/env ] && . $P/env

scenarios() {
	cat <<'LIST'
write_new	$DT -q -s json -- $W/write_new $F 16
read_then_write	$DT -q -s json -- $W/read_then_write $F 16 allocated
sparse_read_then_write	$DT -q -s json -- $W/read_then_write $F 16 sparse
cow_race	$DT -q -s json -- $W/cow_race $F 300
pmd_write	count_pmd_fallbacks $DT -q -s json -- $W/pmd_write $F 64
exec_thread	$DT -q -s json -- $W/exec_thread $W/write_new $F 1
slots1_cow_race	DAXTRACE_FAST_SLOTS=1 $DT -q -s json -- $W/cow_race $F 300
slots1_two_procs	DAXTRACE_FAST_SLOTS=1 $DT -q -s json -- sh -c "$W/read_then_write $F.b 16 allocated & $W/read_then_write $F 16 allocated; wait"; r=$?; rm -f $F.b; exit $r
map_sync_write	$DT -q -s json -- $W/map_sync_write $F 1
truncate_fault	$DT -q -s json -- $W/truncate_fault $F 16
kp_read_then_write	$DT -q -s json -m kprobe -- $W/read_then_write $F 16 allocated
fe_read_then_write	$DT -q -s json -m fentry -- $W/read_then_write $F 16 allocated
tp_read_then_write	$DT -q -s json -m tracepoint -- $W/read_then_write $F 16 allocated
tp_sparse_read_then_write	$DT -q -s json -m tracepoint -- $W/read_then_write $F 16 sparse
private_read_then_write	$DT -j -s json -- $W/read_then_write $F 1 allocated private
kp_private_read_then_write	$DT -j -s json -m kprobe -- $W/read_then_write $F 1 allocated private
hist_private_read_then_write	$DT hist -s json -- $W/read_then_write $F 16 allocated private
json_stream	$DT -j -s json -- $W/write_new $F 1
stacks_read_then_write	$DT -j -s json --stacks read,ro_upgrade -- $W/read_then_write $F 1 allocated
hist_read_then_write	$DT hist -s json -- $W/read_then_write $F 16 allocated
hist_by_comm	$DT hist --by comm -s json -- $W/read_then_write $F 16 sparse
check_clean	$DT check -q -s json --junit /tmp/junit.xml -- $W/write_new $F 16
check_forbid_ro_upgrade	$DT check --forbid ro_upgrade -s json --junit /tmp/junit.xml -- $W/read_then_write $F 16 allocated
check_expect_holds	$DT check --expect write=4096 --expect 'ro_upgrade<1' -q -s json -- $W/write_new $F 16
check_expect_broken	$DT check --expect write=4095 -q -s json -- $W/write_new $F 16
check_not_root	su -s /bin/sh nobody -c "$DT check -s json -- /bin/true"
pid_filter	mkfifo /tmp/go; (read x </tmp/go; exec $W/write_new $F 1) & p=$!; $DT -j -s json -p $p 2>/tmp/dt.err & d=$!; until grep -q attached /tmp/dt.err; do sleep 1; done; $W/write_new $F.o 4; echo go >/tmp/go; wait $p; $W/write_new $F.o 4; kill -INT $d; wait $d; r=$?; rm -f /tmp/go /tmp/dt.err $F.o; exit $r
path_file	$W/write_new $F.other 1 && $W/write_new $F 16 && $DT -q -s json --path $F -- sh -c "$W/read_then_write $F 16 existing && $W/read_then_write $F.other 1 existing"; r=$?; rm -f $F.other; exit $r
path_dir	$W/write_new $F.other 1 && $W/write_new $F 16 && $DT -q -s json --path ${F%/*} -- sh -c "$W/read_then_write $F 16 existing && $W/read_then_write $F.other 1 existing"; r=$?; rm -f $F.other; exit $r
lost_stream	set -o pipefail; $DT -j -s json --ringbuf-kb 4 -- $W/write_new $F 16 | (sleep 4; cat) | tail -n 1
lost_check	set -o pipefail; $DT check --forbid write --ringbuf-kb 4 -s json -- $W/write_new $F 16 | (sleep 4; cat) | tail -n 1
sigpipe	set -o pipefail; $DT -j -s text -- $W/write_new $F 16 | head -n 3 >/dev/null
record	$DT record -o /tmp/rec.dt -q -s json -- $W/read_then_write $F 16 sparse
report	$DT report -q -s json /tmp/rec.dt
report_hist	$DT report --hist -s json /tmp/rec.dt
report_check	$DT report --check --forbid zero_upgrade -s json /tmp/rec.dt
report_svg	$DT report -q -s json --svg /tmp/rec.svg /tmp/rec.dt && sed 's/^/@@SVG /' /tmp/rec.svg
report_truncated	head -c 5000 /tmp/rec.dt >/tmp/cut.dt && $DT report -s json /tmp/cut.dt
retry_evidence	count_wp_retries $DT -q -s json -- $W/read_then_write $F 16 allocated
split_exec	$DT check -q -s json --split-exec 'workloads/*' -- sh -c "$W/write_new $F 16 && $W/read_then_write $F.b 16 allocated"; r=$?; rm -f $F.b; exit $r
split_exec_forbid	$DT check --forbid read -q -s json --split-exec 'workloads/*' -- sh -c "$W/write_new $F 16 && $W/read_then_write $F.b 16 allocated"; r=$?; rm -f $F.b; exit $r
split_record	$DT record -o /tmp/split.dt -q -s json --split-exec 'workloads/*' -- sh -c "$W/write_new $F 16 && $W/read_then_write $F.b 16 allocated"; r=$?; rm -f $F.b; exit $r
split_report	$DT report -q -s json --split-exec 'workloads/*' /tmp/split.dt
kp_pmd_write	$DT -q -s json -m kprobe -- $W/pmd_write $F 64
tp_pmd_write	$DT -q -s json -m tracepoint -- $W/pmd_write $F 64
pmd_offset	count_pmd_fallbacks $DT -q -s json -- $W/pmd_fallback $F offset
pmd_private	count_pmd_fallbacks $DT -q -s json -- $W/pmd_fallback $F private
pmd_vma	count_pmd_fallbacks $DT -q -s json -- $W/pmd_fallback $F vma
pmd_short	count_pmd_fallbacks $DT -q -s json -- $W/pmd_fallback $F short
pmd_ptes	count_pmd_fallbacks $DT -q -s json -- $W/pmd_fallback $F ptes
pmd_check_none	$DT check -q -s json --expect 'pmd_fallback=0' -- $W/pmd_write $F 64
pmd_forbid_storage	$DT check -s json --forbid pmd_fallback.storage_misaligned -- $W/pmd_write $F 64
pmd_record	$DT record -o /tmp/pmd.dt -q -s json -- $W/pmd_write $F 64
pmd_report	$DT report -q -s json /tmp/pmd.dt
pmem_client	count_pmd_fallbacks $DT -q -s json -- $W/pmem_client $F 16
hist_by_reason	count_pmd_fallbacks $DT hist --by reason -s json -- $W/pmd_write $F 64
text_pmem_client	$DT -q -s text -- $W/pmem_client $F 16
text_pmd_write	$DT -q -s text -- $W/pmd_write $F 64
text_pmd_offset	$DT -q -s text -- $W/pmd_fallback $F offset
text_pmd_private	$DT -q -s text -- $W/pmd_fallback $F private
text_pmd_vma	$DT -q -s text -- $W/pmd_fallback $F vma
text_pmd_short	$DT -q -s text -- $W/pmd_fallback $F short
text_pmd_ptes	$DT -q -s text -- $W/pmd_fallback $F ptes
control_two_step	kmod_load dt_two_step && $DT check --forbid two_step -s json --junit /tmp/junit.xml -- $W/read_then_write $F 16 allocated; r=$?; kmod_counts dt_two_step; rmmod dt_two_step; exit $r
kp_control_two_step	kmod_load dt_two_step && $DT check -m kprobe --forbid two_step -s json --junit /tmp/junit.xml -- $W/read_then_write $F 16 allocated; r=$?; kmod_counts dt_two_step; rmmod dt_two_step; exit $r
control_zero_page	kmod_load dt_two_step && $DT check -q -s json -- $W/read_then_write $F 16 sparse; r=$?; kmod_counts dt_two_step; rmmod dt_two_step; exit $r
control_removed	[ ! -e /sys/module/dt_two_step ] || exit 125; $DT check --forbid two_step -q -s json --junit /tmp/junit.xml -- $W/read_then_write $F 16 allocated
control_record_under	kmod_load dt_two_step && $DT record -o /tmp/under.dt -q -s json -- $W/read_then_write $F 16 allocated; r=$?; kmod_counts dt_two_step; rmmod dt_two_step; exit $r
control_record_before	[ ! -e /sys/module/dt_two_step ] || exit 125; $DT record -o /tmp/before.dt -q -s json -- $W/read_then_write $F 16 allocated
control_report_forensics	$DT report -j /tmp/under.dt | grep -m 2 '"forensics"'; $DT report /tmp/under.dt | grep -m 1 -A 2 ' !two_step '
control_diff	$DT diff -j --fail-on two_step=0 --fail-on delta.read=0 /tmp/before.dt /tmp/under.dt
control_diff_text	$DT diff /tmp/before.dt /tmp/under.dt
control_pfn_mismatch	kmod_load dt_pfn_mismatch && $DT check --forbid pfn_mismatch.unexpected -s json --junit /tmp/junit.xml -- $W/read_then_write $F 16 allocated retry; r=$?; kmod_counts dt_pfn_mismatch; kernel_warnings; rmmod dt_pfn_mismatch; exit $r
kp_control_pfn_mismatch	kmod_load dt_pfn_mismatch && $DT check -m kprobe --forbid pfn_mismatch.unexpected -s json --junit /tmp/junit.xml -- $W/read_then_write $F 16 allocated retry; r=$?; kmod_counts dt_pfn_mismatch; kernel_warnings; rmmod dt_pfn_mismatch; exit $r
control_pfn_mismatch_removed	[ ! -e /sys/module/dt_pfn_mismatch ] || exit 125; $DT check -q -s json --junit /tmp/junit.xml -- $W/read_then_write $F 16 allocated retry; r=$?; kernel_warnings; exit $r
xfs_stripe_pmd_write	aux_xfs "-d su=2m,sw=1,agcount=2" && $DT -q -s json -- $W/pmd_write $A/f 64; r=$?; aux_done; exit $r
xfs_extsize_pmd_write	aux_xfs "" extsize && $DT -q -s json -- $W/pmd_write $A/f 64; r=$?; aux_done; exit $r
xfs_rt_pmd_write	aux_xfs "-m reflink=0 -r rtdev=/dev/pmem2,extsize=2m" rt && $DT -q -s json -- $W/pmd_write $A/f 64; r=$?; aux_done; exit $r
LIST
}

# kmod_load NAME: insmod the positive-control module NAME of tests/kmod
# (built for this kernel by run-suite.sh), 125 if it is not there or
# does not load.  kmod_counts NAME: its counters, for check.py, as
# "NAME PARAM VALUE...": what it made the kernel do ("injected"), and the
# faults it left alone (zero_page, skipped).
kmod_load() {
	[ -f $P/kmod/$1.ko ] || { echo "no $P/kmod/$1.ko (tests/kmod/build.sh failed?)" >&2; return 125; }
	insmod $P/kmod/$1.ko || return 125
}

kmod_counts() {
	line="@@KMOD $1"
	for p in /sys/module/$1/parameters/*; do
		line="$line ${p##*/} $(cat $p)"
	done
	echo "$line"
}

# kernel_warnings: the kernel's own WARN_ON_ONCE reports of mm/memory.c
# since boot, counted and listed, for check.py: a once-only warning, so
# one per boot whatever the number of mismatches.  kernel/panic.c's
# __warn() wrote "WARNING: CPU: 1 PID: 286 at mm/memory.c:2166
# insert_pfn+0x120/0x180" up to 6.18, "WARNING: mm/memory.c:2176 at
# insert_page_into_pte_locked+0x..., CPU#0: read_then_write/286" since.
kernel_warnings() {
	echo "@@KERNEL-COUNT warn_mm_memory $(dmesg | grep -c 'WARNING: .*mm/memory\.c:')"
	dmesg | grep 'WARNING: .*mm/memory\.c:' | sed 's/^/@@WARN /'
}

# count_wp_retries COMMAND...: run COMMAND and print the kernel's own count
# of do_wp_page() returns of VM_FAULT_RETRY (0x400) in read_then_write,
# from a kretprobe event of tracefs: evidence that owes nothing to
# daxtrace's programs.  COMMAND's exit status is returned.
count_wp_retries() {
	T=/sys/kernel/tracing
	E=$T/events/kprobes/dt_wp_retry
	echo 'r:dt_wp_retry do_wp_page ret=$retval:u32' >>$T/kprobe_events || return 125
	echo 'ret == 1024' >$E/filter
	echo 8192 >$T/buffer_size_kb
	: >$T/trace
	echo 1 >$E/enable
	"$@"
	r=$?
	echo 0 >$E/enable
	echo "@@KERNEL-COUNT do_wp_page_retry $(grep -c ' read_then_write-[0-9]* ' $T/trace)"
	echo "@@KERNEL-COUNT overrun $(grep -h '^overrun' $T/per_cpu/cpu*/stats | awk '{ n += $2 } END { print n }')"
	echo '-:dt_wp_retry' >>$T/kprobe_events
	return $r
}

# aux_xfs MKFS-ARGS [extsize|rt]: for the xfs_* scenarios (run in the xfs
# pass only), an xfs of their own on /dev/pmem1, mounted -o dax on $A:
# with "extsize", / has a 2 MiB extent size hint its files inherit; with
# "rt", /dev/pmem2 is its realtime device and / also gives its files
# the realtime flag (what xfs_io's "extsize 2m" and "chattr +t" do)
aux_xfs() {
	A=/mnt/aux
	mkdir -p $A
	mkfs.xfs -q -f $1 /dev/pmem1 >/tmp/aux.log 2>&1 || { cat /tmp/aux.log >&2; return 125; }
	if [ "$2" = rt ]; then
		mount -t xfs -o dax,rtdev=/dev/pmem2 /dev/pmem1 $A
	else
		mount -t xfs -o dax /dev/pmem1 $A
	fi || return 125
	case $2 in
	extsize) $W/xfs_extsize $A 2048 || return 125 ;;
	rt) $W/xfs_extsize $A 2048 rt || return 125 ;;
	esac
}

aux_done() {
	umount $A
}

# count_pmd_fallbacks COMMAND...: run COMMAND and print the kernel's own
# count of PMD faults that returned VM_FAULT_FALLBACK (0x800), from the
# fs_dax:dax_pmd_fault_done event of tracefs, filtered on its result:
# evidence that owes nothing to daxtrace's programs.
count_pmd_fallbacks() {
	T=/sys/kernel/tracing
	E=$T/events/fs_dax/dax_pmd_fault_done
	echo 'result & 2048' >$E/filter || return 125
	: >$T/trace
	echo 1 >$E/enable
	"$@"
	r=$?
	echo 0 >$E/enable
	echo "@@KERNEL-COUNT pmd_fallback $(grep -c ' dax_pmd_fault_done: ' $T/trace)"
	echo "@@KERNEL-COUNT overrun $(grep -h '^overrun' $T/per_cpu/cpu*/stats | awk '{ n += $2 } END { print n }')"
	echo 0 >$E/filter
	return $r
}

mkfs_dax() {
	case $1 in
	ext4) mkfs.ext4 -q -F -b 4096 /dev/pmem0 ;;
	xfs) mkfs.xfs -q -f /dev/pmem0 ;;
	esac
}

run_fs() {
	fs=$1
	mnt=/mnt/$fs
	mkfs_dax "$fs" >/tmp/mkfs.log 2>&1 || { echo "@@FS-ERROR $fs mkfs"; cat /tmp/mkfs.log; return 1; }
	mount -t "$fs" -o dax /dev/pmem0 "$mnt" || { echo "@@FS-ERROR $fs mount"; return 1; }
	grep -q "$mnt .*dax" /proc/mounts || { echo "@@FS-ERROR $fs not dax"; return 1; }
	F=$mnt/testfile
	scenarios | while IFS='	' read -r name cmd; do
		[ -n "$ONLY" ] && ! echo " $ONLY " | grep -q " $name " && continue
		# their own xfs on pmem1: once, in the xfs pass
		case $name in xfs_*) [ "$fs" = xfs ] || continue ;; esac
		echo "@@BEGIN $fs $name"
		(eval "$cmd") 2>/tmp/err
		rc=$?
		sed 's/^/@@STDERR /' /tmp/err
		[ -f /tmp/junit.xml ] && sed 's/^/@@JUNIT /' /tmp/junit.xml
		echo "@@END $fs $name $rc"
		rm -f "$F" /tmp/junit.xml
	done
	umount "$mnt"
	echo "@@FS-DONE $fs"
}

# an unprivileged user for check_not_root
grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
echo "@@KERNEL $(uname -r)"
$P/daxtrace probes | sed 's/^/@@PROBES /'
for fs in ${FILESYSTEMS:-ext4 xfs}; do
	run_fs "$fs"
done
exit 0
