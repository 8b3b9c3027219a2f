#!/bin/sh
# Runs inside the test VM (busybox sh), output on the results channel.
# For each filesystem: mkfs on /dev/pmem0, mount -o dax, run every scenario
# under daxtrace and print its JSON summary between markers.  The host
# (tests/vm/check.py) holds the expected counts and judges.
#
# Scenario lines: NAME DAXTRACE_ARGS -- WORKLOAD ARGS ($F is the test file).
P=/payload
W=$P/workloads
# optional overrides written by the host: FILESYSTEMS, ONLY
[ -f $P/env ] && . $P/env

scenarios() {
	cat <<'LIST'
write_new		-q -s json -- $W/write_new $F 16
read_then_write		-q -s json -- $W/read_then_write $F 16 allocated
sparse_read_then_write	-q -s json -- $W/read_then_write $F 16 sparse
cow_race		-q -s json -- $W/cow_race $F 300
pmd_write		-q -s json -- $W/pmd_write $F 64
map_sync_write		-q -s json -- $W/map_sync_write $F 1
truncate_fault		-q -s json -- $W/truncate_fault $F 16
tp_read_then_write	-q -s json -m tracepoint -- $W/read_then_write $F 16 allocated
tp_sparse_read_then_write -q -s json -m tracepoint -- $W/read_then_write $F 16 sparse
json_stream		-j -s json -- $W/write_new $F 1
LIST
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
	scenarios | while read -r name args; do
		[ -n "$ONLY" ] && ! echo " $ONLY " | grep -q " $name " && continue
		echo "@@BEGIN $fs $name"
		eval "$P/daxtrace $args" 2>/tmp/err
		rc=$?
		sed 's/^/@@STDERR /' /tmp/err
		echo "@@END $fs $name $rc"
		rm -f "$F"
	done
	umount "$mnt"
}

echo "@@KERNEL $(uname -r)"
$P/daxtrace probes | sed 's/^/@@PROBES /'
for fs in ${FILESYSTEMS:-ext4 xfs}; do
	run_fs "$fs"
done
exit 0
