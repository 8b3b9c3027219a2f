#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM for tests/vm/serve.sh (busybox sh): ext4 on
# /dev/pmem0 and xfs on /dev/pmem1, both mounted -o dax at once, so that
# one `daxtrace serve` labels each by its mount point; read_then_write on
# each while the host's Prometheus scrapes, then again on a second file
# with the positive control's module loaded; then wait for the host to
# have queried (it connects to GO_PORT) and stop serve with SIGTERM.
P=/payload
W=$P/workloads
DT=$P/daxtrace
# written by the host: FILESYSTEMS, SERVE_PORT, GO_PORT
. $P/env

echo "@@KERNEL $(uname -r)"
# slirp's guest address; eth0 appears once virtio_net has probed
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
	sleep 0.2
	i=$((i + 1))
done
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 ||
	{ echo "@@SERVE-ERROR no eth0"; exit 1; }
dev=0
for fs in $FILESYSTEMS; do
	# /init waited for pmem0 only
	i=0
	while [ ! -b /dev/pmem$dev ] && [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	case $fs in
	ext4) mkfs.ext4 -q -F -b 4096 /dev/pmem$dev ;;
	xfs) mkfs.xfs -q -f /dev/pmem$dev ;;
	esac >/tmp/mkfs.log 2>&1 && mount -t $fs -o dax /dev/pmem$dev /mnt/$fs ||
		{ echo "@@SERVE-ERROR $fs on /dev/pmem$dev"; cat /tmp/mkfs.log; exit 1; }
	dev=$((dev + 1))
done
$DT serve --listen 0.0.0.0:$SERVE_PORT 2>/tmp/serve.err &
serve=$!
i=0
until grep -q 'serving http' /tmp/serve.err; do
	kill -0 $serve 2>/dev/null && [ $i -lt 300 ] ||
		{ echo "@@SERVE-ERROR serve did not start"; sed 's/^/@@STDERR /' /tmp/serve.err; exit 1; }
	sleep 0.2
	i=$((i + 1))
done
echo "@@SERVE-UP"
for fs in $FILESYSTEMS; do
	$W/read_then_write /mnt/$fs/testfile 16 allocated
	echo "@@SERVE-WORKLOAD $fs $?"
done
# the positive control (tests/kmod/dt_two_step.c): the same workload on
# another file, the kernel made to take the two-step route for each
# upgrade; the module's count is what daxtrace_violations_total must say
if insmod $P/kmod/dt_two_step.ko; then
	for fs in $FILESYSTEMS; do
		$W/read_then_write /mnt/$fs/control 16 allocated
		echo "@@SERVE-CONTROL $fs $?"
	done
	echo "@@KMOD dt_two_step injected $(cat /sys/module/dt_two_step/parameters/injected)"
	rmmod dt_two_step
else
	echo "@@SERVE-CONTROL-ERROR insmod $P/kmod/dt_two_step.ko failed"
fi
echo "@@SERVE-DONE"
# the host has what it needs when it connects; 300 s if it never does
timeout 300 nc -l -p $GO_PORT </dev/null >/dev/null
echo "@@SERVE-GO $?"
kill -TERM $serve
wait $serve
echo "@@SERVE-EXIT $?"
sed 's/^/@@STDERR /' /tmp/serve.err
for fs in $FILESYSTEMS; do
	umount /mnt/$fs
done
exit 0
