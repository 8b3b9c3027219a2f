#!/bin/sh
# consume_icount.sh BIN N: instructions per record of the stream reader's
# per-record work (consume_bench's consume_all(), dt_consume() on N records
# into /dev/null), as callgrind counts them, for `daxtrace -j -s none` and
# for `daxtrace --json` (the per-file breakdown on).
set -eu
bin=$1
n=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for mode in none summary; do
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.$mode" \
		--toggle-collect=consume_all "$bin" "$n" "$mode" >/dev/null 2>&1
	ir=$(callgrind_annotate "$out/cg.$mode" 2>/dev/null |
		awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
	echo "consume ($mode): $((ir / n)) instructions/record ($ir over $n records)"
done
