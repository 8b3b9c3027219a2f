#!/bin/sh
# Runs inside the test VM (busybox sh): the kernel's own account of each
# PMD fault of pmd_write (one write per 2 MiB of a sparse 64 MiB file,
# 2 MiB-aligned shared mapping), per filesystem configuration, from
# tracefs alone (no daxtrace): fs_dax:dax_pmd_fault_done's result, the
# iomap each iomap_iter() call starts with (the extent the filesystem
# gave the previous call), and dax_direct_access()'s device page offset,
# pages asked and pages returned.  Used for the README's evidence of why
# xfs falls back; run with GUEST=tests/vm/guest-pmd-evidence.sh and two
# pmem regions (DAXTRACE_VM_PMEM='512M!1G 256M!1600M') for the rt case.
P=/payload
W=$P/workloads
T=/sys/kernel/tracing

probes() {
	# struct iomap_iter: pos at 8 and the struct iomap at 40 in 6.1,
	# 6.12 and 7.2 (include/linux/iomap.h); iomap: addr, offset,
	# length, then u16 type and flags
	echo 'p:dt_iter iomap_iter pos=+8(%di):s64 addr=+40(%di):x64 off=+48(%di):s64 len=+56(%di):s64 type=+64(%di):u16 flags=+66(%di):x16' >>$T/kprobe_events
	echo 'p:dt_dda dax_direct_access pgoff=%si:u64 nr=%dx:s64' >>$T/kprobe_events
	echo 'r:dt_dda_ret dax_direct_access ret=$retval:s64' >>$T/kprobe_events
	echo 16384 >$T/buffer_size_kb
}

run() {	# NAME: pmd_write under the events
	: >$T/trace
	for e in kprobes/dt_iter kprobes/dt_dda kprobes/dt_dda_ret \
		 fs_dax/dax_pmd_fault_done fs_dax/dax_pmd_load_hole_fallback; do
		echo 1 >$T/events/$e/enable
	done
	$W/pmd_write $F 64
	echo "@@EV $1 pmd_write rc=$?"
	for e in kprobes/dt_iter kprobes/dt_dda kprobes/dt_dda_ret \
		 fs_dax/dax_pmd_fault_done fs_dax/dax_pmd_load_hole_fallback; do
		echo 0 >$T/events/$e/enable
	done
	grep -v '^#' $T/trace | grep 'pmd_write-' >/tmp/ev
	echo "@@EV $1 pmd_fault_done $(grep -c dax_pmd_fault_done /tmp/ev)" \
	     "FALLBACK $(grep dax_pmd_fault_done /tmp/ev | grep -c FALLBACK)" \
	     "NOPAGE $(grep dax_pmd_fault_done /tmp/ev | grep -c NOPAGE)"
	echo "@@EV $1 dda512 $(grep -c 'dt_dda:.* nr=512' /tmp/ev)" \
	     "misaligned $(grep 'dt_dda:.* nr=512' /tmp/ev | sed 's/.*pgoff=\([0-9]*\).*/\1/' | awk '$1 % 512 { n++ } END { print n + 0 }')"
	echo "@@EV $1 overrun $(grep -h '^overrun' $T/per_cpu/cpu*/stats | awk '{ n += $2 } END { print n }')"
	head -n 40 /tmp/ev | sed "s/^/@@TRACE $1 /"
	rm -f $F
}

xfs() {	# NAME MKFS-ARGS [DIR-HINT-KIB [rt]]
	name=$1
	mkfs.xfs -f $2 /dev/pmem0 >/tmp/mkfs.log 2>&1 ||
		{ echo "@@EV $name mkfs failed"; sed "s/^/@@MKFS $name /" /tmp/mkfs.log; return; }
	sed "s/^/@@MKFS $name /" /tmp/mkfs.log
	if echo "$2" | grep -q rtdev; then
		mount -t xfs -o dax,rtdev=/dev/pmem1 /dev/pmem0 /mnt/xfs
	else
		mount -t xfs -o dax /dev/pmem0 /mnt/xfs
	fi || { echo "@@EV $name mount failed"; return; }
	grep ' /mnt/xfs ' /proc/mounts | sed "s/^/@@MOUNT $name /"
	[ -n "$3" ] && { $W/xfs_extsize /mnt/xfs $3 $4 || echo "@@EV $name extsize failed"; }
	F=/mnt/xfs/f
	run $name
	umount /mnt/xfs
}

echo "@@KERNEL $(uname -r)"
grep -i pmem /proc/iomem | sed 's/^/@@IOMEM /'
probes
mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/ext4 &&
	{ F=/mnt/ext4/f; run ext4; umount /mnt/ext4; }
xfs xfs_default ""
# su=2m alone fails on 512 MiB ("Log size must be at least 64MB": the
# log's 64 MiB does not fit 4 AGs of 128 MiB); 2 AGs of 256 MiB take it
xfs xfs_su2m_4ag "-d su=2m,sw=1"
xfs xfs_su2m "-d su=2m,sw=1,agcount=2"
xfs xfs_extsize "" 2048
xfs xfs_su2m_extsize "-d su=2m,sw=1,agcount=2" 2048
xfs xfs_noreflink_su2m "-m reflink=0 -d su=2m,sw=1,agcount=2"
[ -b /dev/pmem1 ] && xfs xfs_rt2m "-m reflink=0 -r rtdev=/dev/pmem1,extsize=2m" 2048 rt
exit 0
