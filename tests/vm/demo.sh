#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: on a machine with a DAX mount, run daxtrace on it directly
# (until Ctrl-C); anywhere else, run it on real ext4-DAX in the test VM.
cd "$(dirname "$0")/../.." || exit 2
# mount options "dax", "dax=always" or "dax=inode" (not "dax=never")
if awk '$4 ~ /(^|,)dax(=always|=inode)?(,|$)/ { found = 1 } END { exit !found }' /proc/mounts; then
	echo "DAX mounts here:" >&2
	awk '$4 ~ /(^|,)dax(=always|=inode)?(,|$)/ { print "  " $2 " (" $3 ")" }' /proc/mounts >&2
	exec ./daxtrace "$@"
fi
GUEST=tests/vm/guest-demo.sh exec tests/vm/run-suite.sh
