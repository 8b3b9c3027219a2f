#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/xfstests/diff.sh: `daxtrace diff` on two kernels' xfstests
# summaries, both made for real here, judged by diff_judge.py.
#
#   B: build/xfstests/results/KERNEL_B/ext4/summary.json, the dax group on
#      the newest kernel of the matrix as make test's xfstests stage made
#      it (run.sh); when it is not there, run.sh makes it with the same
#      selection as A.
#   A: the same filesystem on KERNEL_A (default 6.1), with the selection
#      XFSTESTS_DIFF_TESTS (default "generic/413 generic/605": tests whose
#      counts each kernel makes exactly, not the racy generic/437, whose
#      private_cow count may be 0 on one filesystem alone), by run.sh.
#
# The judge asserts the diff's every count against both summaries (a test
# one side did not run: null there), generic/413 the same on both kernels,
# and --fail-on verdicts and exit status as the summaries give them.
#
# Exit: 0 judged and passed; 1 a check failed; 2 xfstests could not run.
set -eu
cd "$(dirname "$0")/../.."
. tests/vm/common.sh

fs=ext4
kernel_a=${KERNEL_A:-6.1}
kernel_b=${KERNEL_B:-$(kernel_names | awk '{ print $NF }')}
tests=${XFSTESTS_DIFF_TESTS:-generic/413 generic/605}
res=build/xfstests/results

summary() {	# summary KERNEL: its summary.json, made by run.sh if missing
	local kernel=$1 out

	[ -s "$res/$kernel/$fs/summary.json" ] && return 0
	out=build/xfstests/diff-$kernel.out
	KERNEL=$kernel FILESYSTEMS=$fs XFSTESTS_TESTS=$tests tests/xfstests/run.sh \
		>"$out" 2>&1 || true
	# no xfstests source: run.sh said why, once; so does this stage
	if grep -q '^SKIP xfstests:' "$out"; then
		echo "SKIP xfstests/diff: $(sed -n 's/^SKIP xfstests: //p' "$out" | head -n 1)"
		exit 0
	fi
	[ -s "$res/$kernel/$fs/summary.json" ] || {
		echo "FAIL xfstests/diff/$kernel: run.sh made no summary.json (see $out)"
		tail -n 20 "$out" >&2
		exit 2
	}
	# xfstests' own verdicts on this kernel count too
	grep -E '^(PASS|FAIL|SKIP) ' "$out" || true
}

if [ "$kernel_a" = "$kernel_b" ]; then
	echo "SKIP xfstests/diff: A and B are both $kernel_a (KERNEL_A, KERNEL_B)"
	exit 0
fi
mkdir -p build/xfstests
summary "$kernel_b"
# A is always made afresh: an earlier A of another selection is not this one
rm -rf "${res:?}/$kernel_a/$fs"
summary "$kernel_a"
tests/xfstests/diff_judge.py ./daxtrace "$res/$kernel_a/$fs/summary.json" \
	"$res/$kernel_b/$fs/summary.json" "$kernel_a" "$kernel_b"
