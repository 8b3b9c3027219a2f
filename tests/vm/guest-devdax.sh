#!/bin/sh
# Runs inside the devdax test VM (busybox sh; tests/vm/devdax.sh boots
# it): the emulated pmem region (memmap=2G!4G) made a device-DAX
# namespace at each alignment with Debian's ndctl, and devdax_touch read
# and write under daxtrace, beside the kernel's own account of every
# dev_dax_huge_fault() call: a kprobe and a kretprobe event of tracefs,
# paired per call (one thread), "@@KERNEL-COUNT devdax SIZE RESULT N".
# On the 2M device, the mappings the driver refuses (private, unaligned)
# and the faults it answers SIGBUS (MADV_NOHUGEPAGE, past the end); and
# the 2M device written beside an ext4 -o dax on the second pmem region
# (/dev/pmem1), the kernel's count of its faults from fs_dax's event.
P=/payload
W=$P/workloads
DT=$P/daxtrace
T=/sys/kernel/tracing
echo "@@KERNEL $(uname -r)"

# kernel_counts COMMAND...: run COMMAND, then print the kernel's count of
# dev_dax_huge_fault() calls per size (6.1: enum page_entry_size 0/1/2;
# from 6.6 the order 0/9/18) and result.  COMMAND's exit status is returned.
kernel_counts() {
	echo 'p:dtd_in device_dax:dev_dax_huge_fault size=%si:u32' >>$T/kprobe_events &&
		echo 'r:dtd_out device_dax:dev_dax_huge_fault ret=$retval:x32' >>$T/kprobe_events ||
		return 125
	echo 65536 >$T/buffer_size_kb
	: >$T/trace
	echo 1 >$T/events/kprobes/dtd_in/enable
	echo 1 >$T/events/kprobes/dtd_out/enable
	echo 1 >$T/events/fs_dax/dax_pte_fault_done/enable
	"$@"
	r=$?
	echo 0 >$T/events/fs_dax/dax_pte_fault_done/enable
	echo 0 >$T/events/kprobes/dtd_in/enable
	echo 0 >$T/events/kprobes/dtd_out/enable
	echo "@@KERNEL-COUNT fsdax pte $(grep -c ' dax_pte_fault_done: ' $T/trace)"
	awk '/ dtd_in: / { for (i = 1; i <= NF; i++) if ($i ~ /^size=/) s = substr($i, 6) }
	     / dtd_out: / { for (i = 1; i <= NF; i++) if ($i ~ /^ret=/) n[s " " substr($i, 5)]++ }
	     END { for (k in n) { split(k, a, " ")
			sz = a[1] == 0 ? "pte" : (a[1] == 1 || a[1] == 9) ? "pmd" : "pud"
			print "@@KERNEL-COUNT devdax " sz " " a[2] " " n[k] } }' $T/trace
	echo "@@KERNEL-COUNT overrun $(grep -h '^overrun' $T/per_cpu/cpu*/stats | awk '{ n += $2 } END { print n }')"
	echo '-:dtd_out' >>$T/kprobe_events
	echo '-:dtd_in' >>$T/kprobe_events
	return $r
}

for align in 4K 2M 1G; do
	case $align in
	4K) bytes=4096 mib=64 ;;
	2M) bytes=2097152 mib=64 ;;
	1G) bytes=1073741824 mib=1024 ;;
	esac
	$P/ndctl create-namespace -f -e namespace0.0 -m devdax -a $align >/tmp/ndctl.out 2>&1 ||
		{ echo "@@DEVDAX-ERROR $align ndctl"; cat /tmp/ndctl.out; continue; }
	echo "@@DEVICE $align $(cat /sys/bus/dax/devices/dax0.0/dev) $(cat /sys/bus/dax/devices/dax0.0/align) $(cat /sys/bus/dax/devices/dax0.0/size)"
	for op in read write text; do
		name=${op}_$align
		echo "@@BEGIN devdax $name"
		if [ $op = text ]; then
			# the text summary of a write run, on stdout
			(kernel_counts $DT -q -s text -- $W/devdax_touch /dev/dax0.0 $mib $bytes write) 2>&1
			rc=$?
		else
			# write runs filter on the device (--dev): every fault still seen
			filter=
			[ $op = write ] && filter="--dev dax0.0"
			(kernel_counts $DT -j -s json $filter -- $W/devdax_touch /dev/dax0.0 $mib $bytes $op) 2>/tmp/err
			rc=$?
			sed 's/^/@@STDERR /' /tmp/err
		fi
		echo "@@END devdax $name $rc"
	done
	# check's rules on a device: the 4K device's refused PMD attempts
	# forbidden (exit 1, their count), the 1G device's one PUD expected
	rule=
	case $align in
	4K) rule="--forbid devdax.align_smaller" ;;
	1G) rule="--expect size.pud=1 --forbid fallback" ;;
	esac
	if [ -n "$rule" ]; then
		echo "@@BEGIN devdax check_$align"
		# stdout has the offending records: the verdict lines only
		(kernel_counts $DT check $rule -- $W/devdax_touch /dev/dax0.0 $mib $bytes read) >/tmp/out 2>&1
		rc=$?
		grep '^daxtrace check: \|^@@KERNEL-COUNT ' /tmp/out
		echo "@@END devdax check_$align $rc"
	fi
	[ $align = 2M ] || continue
	# the driver's refusals on the 2M device, 4 MiB (two units) read:
	# mmap refused twice, then SIGBUS for a PTE fault (no huge attempt
	# after MADV_NOHUGEPAGE) and for the unit past the device's end
	size=$(cat /sys/bus/dax/devices/dax0.0/size)
	for how in private unaligned nohuge past=$size past_text; do
		name=${how%%=*}_$align
		echo "@@BEGIN devdax $name"
		if [ $how = past_text ]; then
			(kernel_counts $DT -q -s text -- $W/devdax_touch /dev/dax0.0 4 $bytes read past=$size) 2>&1
			rc=$?
		else
			(kernel_counts $DT -j -s json -- $W/devdax_touch /dev/dax0.0 4 $bytes read $how) 2>/tmp/err
			rc=$?
			sed 's/^/@@STDERR /' /tmp/err
		fi
		echo "@@END devdax $name $rc"
	done
	# hist --by dev: the device by its name, counted in the kernel
	echo "@@BEGIN devdax hist_$align"
	(kernel_counts $DT hist --by dev -- $W/devdax_touch /dev/dax0.0 64 $bytes read) 2>&1
	echo "@@END devdax hist_$align $?"
	# device DAX and file DAX in one run: the second pmem region's ext4,
	# mounted -o dax, written beside the 2M device
	mkdir -p /mnt/ext4
	if mkfs.ext4 -q -F -b 4096 /dev/pmem1 >/tmp/mkfs.log 2>&1 &&
		mount -t ext4 -o dax /dev/pmem1 /mnt/ext4; then
		both="$W/devdax_touch /dev/dax0.0 4 $bytes write && $W/write_new /mnt/ext4/f 1"
		echo "@@BEGIN devdax mixed_$align"
		(kernel_counts $DT -j -s json -- sh -c "$both") 2>/tmp/err
		rc=$?
		sed 's/^/@@STDERR /' /tmp/err
		echo "@@END devdax mixed_$align $rc"
		rm -f /mnt/ext4/f
		echo "@@BEGIN devdax mixed_hist_$align"
		(kernel_counts $DT hist --by dev -- sh -c "$both") 2>&1
		echo "@@END devdax mixed_hist_$align $?"
		umount /mnt/ext4
	else
		echo "@@DEVDAX-ERROR mixed: ext4 on /dev/pmem1"
		cat /tmp/mkfs.log
	fi
done
echo "@@FS-DONE devdax"
exit 0
