#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the test parts (unit, fuzz, host, vm, xfstests; all by default) and
# ends with one line "N passed, N failed, N skipped".  Exit status is
# non-zero on any failure.  Every part prints "PASS name" / "FAIL name: why"
# lines.
set -u
cd "$(dirname "$0")/.."
OUT=build/tests
LOG=$OUT/run-all.log
mkdir -p "$OUT"
: >"$LOG"

report() {	# report PASS|FAIL|SKIP name [why]
	local st=$1 name=$2
	shift 2
	echo "$st $name${*:+: $*}" | tee -a "$LOG"
}

run_unit() {
	for t in "$OUT"/test_*; do
		[ -x "$t" ] || continue
		"$t" "$OUT/sample.ndjson" 2>&1 | tee -a "$LOG" | grep -v '^PASS' >&2
		[ "${PIPESTATUS[0]}" -eq 0 ] || report FAIL "unit/$(basename "$t")" "exit status"
	done
	if python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$OUT/sample.ndjson" 2>>"$LOG"; then
		report PASS unit/ndjson_parses
	else
		report FAIL unit/ndjson_parses "a JSON parser rejected the sample"
	fi
}

run_fuzz() {
	make -s fuzz FUZZ_TIME="${FUZZ_TIME:-20}" 2>&1 | tee -a "$LOG"
}

run_host() {
	"$OUT/points" 2>>"$LOG" | tee -a "$LOG" >/dev/null
	"$OUT/load_bpf" 2>>"$LOG" | tee -a "$LOG" >/dev/null
	"$OUT/inflight" 2>>"$LOG" | tee -a "$LOG" >/dev/null
	for t in cli heatmap_png junit_xsd serve man prometheus deb docs; do
		tests/host/$t.sh 2>>"$LOG" | tee -a "$LOG" >/dev/null
	done
}

# The VM suite on each kernel of the matrix (tests/vm/kernels.conf):
# KERNELS="6.1 6.12 7.2" by default, one boot each.
run_vm() {
	local k

	for k in ${KERNELS:-6.1 6.12 7.2}; do
		echo "== vm $k" >&2
		# device DAX at 4K, 2M and 1G: a boot of its own (6 GiB, one
		# pmem region), beside the suite's, on the machine's other core
		KERNEL=$k tests/vm/devdax.sh >"$OUT/devdax-$k.out" 2>&1 &
		devdax=$!
		# a failed boot's console tail (boot.sh prints it between
		# "boot.sh: WHY" and a dashed line) is shown: a CI log that
		# only says "did not complete" cannot be diagnosed
		KERNEL=$k tests/vm/run-suite.sh 2>&1 | tee -a "$LOG" |
			sed -n '/^NOTE /p; /^boot.sh: .*last 80 lines of/,/^-------------------------$/p' >&2
		wait "$devdax" ||
			grep -q '^FAIL ' "$OUT/devdax-$k.out" ||
			report FAIL "devdax/$k" "tests/vm/devdax.sh failed (see $OUT/devdax-$k.out)"
		cat "$OUT/devdax-$k.out" >>"$LOG"
		grep '^FAIL ' "$OUT/devdax-$k.out" >&2 || true
	done
	# the harness's own watch: a guest whose vCPUs stop is given up in
	# under a minute, with its console and vCPU state (one short boot)
	echo "== vm silence" >&2
	tests/vm/silence.sh 2>&1 | tee -a "$LOG" | grep '^# ' >&2
	# daxtrace serve scraped by the host's Prometheus, one boot of the
	# newest kernel of the matrix (SERVE_KERNEL for another)
	echo "== vm serve" >&2
	KERNEL=${SERVE_KERNEL:-7.2} tests/vm/serve.sh 2>&1 | tee -a "$LOG" | grep '^# ' >&2
}

# xfstests' dax group under daxtrace check (tests/xfstests), ext4 and xfs,
# on the newest kernel of the matrix (XFSTESTS_KERNEL=6.1 for another).
# Its tables and progress are shown; its PASS/FAIL/SKIP lines are counted.
run_xfstests() {
	local out=$OUT/xfstests.out rc

	KERNEL=${XFSTESTS_KERNEL:-} tests/xfstests/run.sh 2>&1 | tee "$out" |
		grep -vE '^(PASS|FAIL|SKIP) ' >&2
	rc=${PIPESTATUS[0]}
	cat "$out" >>"$LOG"
	# a harness that died before judging must not pass for a clean run
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
		report FAIL xfstests "tests/xfstests/run.sh exit $rc (see $out)"
	fi
	# daxtrace diff of that summary and 6.1's (two tests, one VM)
	echo "== xfstests diff" >&2
	out=$OUT/xfstests-diff.out
	KERNEL_B=${XFSTESTS_KERNEL:-} tests/xfstests/diff.sh >"$out" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL|SKIP) ' "$out" >&2 || true
	cat "$out" >>"$LOG"
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
		report FAIL xfstests/diff "tests/xfstests/diff.sh exit $rc (see $out)"
	fi
}

parts=${1:-unit fuzz host vm xfstests}
for p in $parts; do
	echo "== $p" >&2
	"run_$p"
done
pass=$(grep -c '^PASS ' "$LOG")
fail=$(grep -c '^FAIL ' "$LOG")
skip=$(grep -c '^SKIP ' "$LOG")
grep -E '^(FAIL|SKIP) ' "$LOG" >&2
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
