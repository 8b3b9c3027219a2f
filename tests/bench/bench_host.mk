# SPDX-License-Identifier: GPL-2.0
# Included by tests/tests.mk.  Benchmarks that run on the host, as `make
# bench`; each prints "name: rate" lines.  Not tests: timings vary by machine.

REPLAY_EVENTS ?= 5000000

$(TEST_OUT)/replay_bench: tests/bench/replay_bench.c user/record.c user/record.h include/daxtrace.h | $(TEST_OUT)
	$(CC) $(CFLAGS) $< user/record.c -o $@

bench-replay: $(TEST_OUT)/replay_bench
	$(TEST_OUT)/replay_bench $(REPLAY_EVENTS)

# a prerequisite only, so other fragments can add their own benchmarks
bench: bench-replay

.PHONY: bench-replay
