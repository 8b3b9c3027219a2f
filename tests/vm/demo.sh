#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: daxtrace on real ext4-DAX in the test VM, no pmem needed here.
GUEST=tests/vm/guest-demo.sh exec "$(dirname "$0")/run-suite.sh"
