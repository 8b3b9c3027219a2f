#!/bin/sh
# The demo (make demo), inside the test VM: daxtrace watching a few DAX
# workloads on ext4 -o dax, live stream then summary.
W=/payload/workloads
mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/ext4 || exit 1
cd /mnt/ext4 || exit 1
echo "# $(uname -r), ext4 -o dax on /dev/pmem0"
echo "# daxtrace -- sh -c 'write_new; read_then_write sparse; pmd_write; cow_race'"
/payload/daxtrace -- sh -c "$W/write_new a 1 && $W/read_then_write b 1 sparse &&
	$W/read_then_write c 1 allocated && $W/pmd_write d 8 && $W/cow_race e 5"
rc=$?
echo "# daxtrace exit status $rc"
exit $rc
