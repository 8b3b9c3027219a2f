#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# inner.sh FS: runs in the VM's chroot (the host's bash and /usr, see
# guest.sh): prepares xfstests for FS on DAX and runs its selection under
# `daxtrace check`.  Prints the run as it goes, then the artefacts for the
# host between "@@FILE NAME" and "@@END NAME", each line prefixed "@@|".
# Other lines for the host: "@@RC daxtrace N", "@@TIME FS SECS",
# "@@NOTE text" (evidence the judge repeats), "@@CMD ...", "@@EXCLUDE
# TEST why" (a test left out: the kernel lacks what it tests).
set -u
fs=$1
. /payload/env
X=/xfstests
TEST_DEV=/dev/pmem0
SCRATCH_DEV=/dev/pmem1
LOGWRITES_DEV=/dev/pmem2

note() {
	echo "@@NOTE $*"
}

emit() {	# emit NAME FILE
	echo "@@FILE $1"
	[ ! -f "$2" ] || awk '{ print "@@|" $0 }' "$2"
	echo "@@END $1"
}

# The users xfstests asks for (generic/462 and others: _require_user);
# useradd refuses a name that starts with a digit unless told it is bad.
add_users() {
	local u

	for u in fsgqa fsgqa2; do
		useradd -m "$u" || note "useradd $u failed"
	done
	useradd -m 123456-fsgqa 2>/dev/null || useradd -m --badname 123456-fsgqa ||
		note "useradd 123456-fsgqa failed"
}

# xfs_reflink_dax: can this kernel mount a reflink (and rmapbt: xfs/55x
# need both) xfs with -o dax?  If it refuses, the run falls back to
# reflink=0 so that every other test still runs on DAX, and xfs/550-552
# are left out with the kernel's refusal as the reason.
xfs_reflink_dax() {
	local out msgs

	mkfs.xfs -f -q -m reflink=1,rmapbt=1 "$SCRATCH_DEV" >/tmp/mkfs.log 2>&1 ||
		{ note "xfs-reflink: mkfs.xfs -m reflink=1,rmapbt=1 failed: $(tr '\n' ' ' </tmp/mkfs.log)"; return 1; }
	echo "daxtrace-xfstests: reflink+dax probe" >/dev/kmsg
	out=$(mount -o dax "$SCRATCH_DEV" /mnt/scratch 2>&1)
	local rc=$?
	# the kernel's own words since the marker
	msgs=$(dmesg | sed -n '/daxtrace-xfstests: reflink+dax probe/,$p' | sed 1d |
	       grep -i 'xfs\|dax' | sed 's/^\[[ 0-9.]*\] //' | tr '\n' ' ')
	if [ $rc -ne 0 ]; then
		note "xfs-reflink: $(uname -r) refuses -o dax on a reflink=1 xfs: mount: $out; kernel: $msgs"
		excluded+=("xfs/550|xfs/551|xfs/552|$(uname -r) refuses -o dax on a reflink=1 xfs: $out; kernel: $msgs")
		return 1
	fi
	if ! grep -Eq "^$SCRATCH_DEV .*[ ,]dax(=always)?[, ]" /proc/mounts; then
		note "xfs-reflink: $(uname -r) mounts a reflink=1 xfs without DAX: $(grep "^$SCRATCH_DEV " /proc/mounts); kernel: $msgs"
		excluded+=("xfs/550|xfs/551|xfs/552|$(uname -r) mounts a reflink=1 xfs -o dax without DAX: $(grep "^$SCRATCH_DEV " /proc/mounts); kernel: $msgs")
		umount /mnt/scratch
		return 1
	fi
	note "xfs-reflink: reflink=1,rmapbt=1 mounts with -o dax on $(uname -r) (kernel: $msgs)"
	xfs_reflinked_dax
	umount /mnt/scratch
	return 0
}

# xfs_reflinked_dax: is a reflinked (shared) file DAX once its inode is
# read back from disk?  Mounting -o dax is not enough: 6.1 mounts it but
# loads a reflinked inode without DAX (its pages are page cache), so
# xfs/551 and 552 (memory failure on reflinked DAX files) can only fail
# there, on the kernel's account.  They are then left out, with this
# evidence (STATX_ATTR_DAX, 0x200000, of a shared and an unshared file).
xfs_reflinked_dax() {
	local m=/mnt/scratch shared plain

	xfs_io -f -c "pwrite -S 0x61 0 65536" $m/probe.src >/dev/null &&
		cp --reflink=always $m/probe.src $m/probe.shared &&
		xfs_io -f -c "pwrite -S 0x62 0 65536" $m/probe.plain >/dev/null ||
		{ note "xfs-reflink: cannot make a reflinked file to probe"; return; }
	umount $m && mount -o dax "$SCRATCH_DEV" $m || return
	shared=$(xfs_io -c 'statx -r' $m/probe.shared | sed -n 's/^stat.attributes = //p')
	plain=$(xfs_io -c 'statx -r' $m/probe.plain | sed -n 's/^stat.attributes = //p')
	if (( ${shared:-0} & 0x200000 )); then
		note "xfs-reflink: a reflinked file is DAX after a remount (statx attributes $shared)"
		return
	fi
	excluded+=("xfs/551|xfs/552|$(uname -r) loads a reflinked xfs inode without DAX: after a remount statx attributes $shared for a reflinked file, $plain for an unshared one (STATX_ATTR_DAX 0x200000), so there is no DAX page to fail")
	note "xfs-reflink: $(uname -r) loads a reflinked inode without DAX (statx attributes: reflinked $shared, unshared $plain): xfs/551 xfs/552 left out"
}

# excluded: "TEST|TEST...|why" entries, the tests this kernel cannot run
# for what it lacks (found by probing, never by a list of versions)
excluded=()

configure() {
	# shellcheck disable=SC2086 # mkfs_opts: words
	case $fs in
	ext4)
		# DAX needs the block size to be the page size
		mkfs_opts="-b 4096"
		mkfs.ext4 -F -q $mkfs_opts "$TEST_DEV" ;;
	xfs)
		if xfs_reflink_dax; then
			mkfs_opts="-m reflink=1,rmapbt=1"
		else
			mkfs_opts="-m reflink=0"
		fi
		mkfs.xfs -f -q $mkfs_opts "$TEST_DEV" ;;
	esac || { echo "@@SETUP-FAIL mkfs.$fs $mkfs_opts $TEST_DEV failed"; exit 10; }
	# TEST_DIR is on DAX too: generic/437 and 428 use it (generic/413
	# remounts it without, as it needs).  One config per DAX mode (see
	# split_selection), each with its own results directory.
	write_config dax "-o dax" $X/results
	write_config dax_inode "-o dax=inode" $X/results-dax_inode
	cp $X/configs/daxtrace-dax.config $X/local.config	# for a manual ./check
	note "config: $(sed 's/^export //' $X/local.config | tr '\n' ' ')"
}

write_config() {	# write_config NAME MOUNT_OPTIONS RESULT_BASE
	cat >"$X/configs/daxtrace-$1.config" <<CONF
export FSTYP=$fs
export TEST_DEV=$TEST_DEV
export TEST_DIR=/mnt/test
export SCRATCH_DEV=$SCRATCH_DEV
export SCRATCH_MNT=/mnt/scratch
export LOGWRITES_DEV=$LOGWRITES_DEV
export MKFS_OPTIONS="$mkfs_opts"
export MOUNT_OPTIONS="$2"
export TEST_FS_MOUNT_OPTS="$2"
export RESULT_BASE=$3
CONF
}

# split_selection: $XFST_TESTS in two passes of ./check.  Most tests run
# with -o dax (dax=always).  ext4/047 is about the per-file DAX flag on an
# inline_data filesystem: it mounts -o dax=inode itself, but its
# _require_scratch_ext4_feature inline_data mounts with MOUNT_OPTIONS, and
# the kernel refuses dax=always there ("Cannot use DAX on a filesystem
# that may contain inline data"), so under -o dax it is never run.  It
# runs in a second pass mounted -o dax=inode.
split_selection() {
	local inode_tests=() skip=() names=() w prev='' t e in_sel=''

	[ "$fs" != ext4 ] || inode_tests=(ext4/047)
	for e in "${excluded[@]}"; do
		IFS='|' read -r -a names <<<"${e%|*}"
		skip+=("${names[@]}")
	done
	pass1=()
	pass2=()
	# shellcheck disable=SC2206 # "-g dax" or a list of tests
	for w in $XFST_TESTS; do
		if [[ " ${inode_tests[*]} " == *" $w "* ]]; then
			pass2+=("$w")
		elif [[ " ${skip[*]} " != *" $w "* ]]; then
			pass1+=("$w")
		fi
		# the dax group holds them: out of pass 1 (into pass 2)
		if [ "$prev" = -g ] && [[ ",$w," == *,dax,* ]]; then
			for t in "${inode_tests[@]}"; do
				pass1+=(-e "$t")
				pass2+=("$t")
			done
			for t in "${skip[@]}"; do
				pass1+=(-e "$t")
			done
			in_sel=all
		fi
		prev=$w
	done
	# what was selected and left out, for the judge
	for e in "${excluded[@]}"; do
		IFS='|' read -r -a names <<<"${e%|*}"
		for w in "${names[@]}"; do
			if [ "$in_sel" = all ] || [[ " $XFST_TESTS " == *" $w "* ]]; then
				echo "@@EXCLUDE $w ${e##*|}"
			fi
		done
	done
}

# kernel_errors_start, kernel_errors_stop: the kernel's own count of the
# DAX faults that ended in an error (a VM_FAULT_ERROR bit, 0x73, in
# dax_iomap_fault()'s result), from a kretprobe event of tracefs: evidence
# for daxtrace's `error` count that owes nothing to daxtrace's programs.
# Printed as "@@KERNEL-COUNT dax_fault_error N", then one line per result
# value ("@@KERNEL-COUNT dax_fault_result 0x1 N": 0x1 VM_FAULT_OOM, 0x2
# SIGBUS, 0x10 HWPOISON), and the ring buffer's overrun (0, or the count
# is short).
T=/sys/kernel/tracing
kernel_errors_start() {
	echo 'r:dt_dax_err dax_iomap_fault ret=$retval:x32' >>$T/kprobe_events ||
		{ note "kernel count: no kretprobe event on dax_iomap_fault"; return; }
	echo 'ret & 0x73' >$T/events/kprobes/dt_dax_err/filter
	echo 16384 >$T/buffer_size_kb
	: >$T/trace
	echo 1 >$T/events/kprobes/dt_dax_err/enable
}

kernel_errors_stop() {
	[ -e $T/events/kprobes/dt_dax_err ] || return
	echo 0 >$T/events/kprobes/dt_dax_err/enable
	echo "@@KERNEL-COUNT dax_fault_error $(grep -c ' dt_dax_err: ' $T/trace)"
	grep -o ' dt_dax_err: .* ret=0x[0-9a-f]*' $T/trace | sed 's/.*ret=//' |
		sort | uniq -c | while read -r n v; do
		echo "@@KERNEL-COUNT dax_fault_result $v $n"
	done
	echo "@@KERNEL-COUNT overrun $(grep -h '^overrun' $T/per_cpu/cpu*/stats | awk '{ n += $2 } END { print n + 0 }')"
	echo '-:dt_dax_err' >>$T/kprobe_events
}

run() {
	local args start rc

	split_selection
	{
		echo "rc=0"
		# a pass of only exclusions has nothing to run
		[ ${#pass1[@]} -eq 0 ] || [ "${pass1[0]}" = -e ] ||
			echo "HOST_OPTIONS=configs/daxtrace-dax.config ./check -R xunit ${pass1[*]} || rc=1"
		# TEST_DEV is remounted with this pass' options
		[ ${#pass2[@]} -eq 0 ] ||
			echo "umount /mnt/test 2>/dev/null; HOST_OPTIONS=configs/daxtrace-dax_inode.config ./check -R xunit ${pass2[*]} || rc=1"
		echo 'exit $rc'
	} >/tmp/passes.sh
	note "passes: $(grep -c check /tmp/passes.sh): $(grep check /tmp/passes.sh | sed 's/ || rc=1//' | tr '\n' ';')"
	# -q: the per-fault stream (tens of thousands of lines) is not
	# wanted on the serial port; the summary and the groups are.
	# --split-exec: faults grouped per test, by the process tree of each
	# test script that ./check runs (tests/generic/437, ...)
	args=(check -q -s json --junit /tmp/daxtrace.xml --split-exec 'tests/*/*')
	# shellcheck disable=SC2206 # user's options, split on spaces
	args+=($XFST_DT_ARGS)
	args+=(-- /bin/bash /tmp/passes.sh)
	echo "@@CMD daxtrace ${args[*]}"
	cd $X || exit 10
	start=$(date +%s)
	kernel_errors_start
	/payload/daxtrace "${args[@]}" | tee /tmp/daxtrace.out
	rc=${PIPESTATUS[0]}
	kernel_errors_stop
	echo "@@RC daxtrace $rc"
	echo "@@TIME $fs $(($(date +%s) - start))"
	# the JSON summary is daxtrace's last line on stdout
	grep '^{' /tmp/daxtrace.out | tail -n 1 >/tmp/summary.json
}

# emit_test_files: what xfstests kept of the tests that did not pass
# (.out.bad, .full, .dmesg, .notrun), as results/<test>.<kind>.
emit_test_files() {
	local f

	for f in $X/results*/*/*.out.bad $X/results*/*/*.dmesg $X/results*/*/*.notrun; do
		[ -f "$f" ] || continue
		emit "tests/${f#$X/results*/}" "$f"
		case $f in
		*.out.bad|*.dmesg)
			f=${f%.out.bad}
			f=${f%.dmesg}.full
			[ ! -f "$f" ] || emit "tests/${f#$X/results*/}" "$f" ;;
		esac
	done
}

add_users
configure
run
if [ -n "${XFST_GUEST_CMD:-}" ]; then
	# XFSTESTS_GUEST_CMD: a manual debugging hook, run after ./check
	echo "@@GUEST-CMD $XFST_GUEST_CMD"
	(cd $X && bash -c "$XFST_GUEST_CMD" 2>&1)
	echo "@@GUEST-CMD-EXIT $?"
fi
emit_test_files
emit summary.json /tmp/summary.json
emit daxtrace.xml /tmp/daxtrace.xml
emit result.xml $X/results/result.xml
[ ! -f $X/results-dax_inode/result.xml ] ||
	emit result-dax_inode.xml $X/results-dax_inode/result.xml
emit check.log $X/results/check.log
[ ! -f $X/results-dax_inode/check.log ] ||
	emit check-dax_inode.log $X/results-dax_inode/check.log
emit check.out /tmp/daxtrace.out
dmesg >/tmp/dmesg.txt 2>&1
emit dmesg.txt /tmp/dmesg.txt
exit 0
