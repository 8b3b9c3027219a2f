# SPDX-License-Identifier: GPL-2.0
# Included by tests/tests.mk.  Benchmarks that run on the host, as `make
# bench`; each prints "name: rate" lines.  Not tests: timings vary by machine.

REPLAY_EVENTS ?= 5000000
FORMAT_RECORDS ?= 2000000

$(TEST_OUT)/replay_bench: tests/bench/replay_bench.c tests/bench/bench_clock.h user/record.c user/record.h include/daxtrace.h | $(TEST_OUT)
	$(CC) $(CFLAGS) $< user/record.c -o $@

# the reader alone, then the whole userspace side: daxtrace report
# classifying and counting every record of the same recording, one core
bench-replay: $(TEST_OUT)/replay_bench daxtrace
	$(TEST_OUT)/replay_bench $(REPLAY_EVENTS) $(TEST_OUT)/replay.dt
	@t0=$$(date +%s%N); ./daxtrace report -q -s none $(TEST_OUT)/replay.dt; \
	t1=$$(date +%s%N); rm -f $(TEST_OUT)/replay.dt; \
	echo "report: $$(( $(REPLAY_EVENTS) * 1000000000 / (t1 - t0) )) events/s (daxtrace report -q -s none, $(REPLAY_EVENTS) events)"

FORMAT_SRC := user/format.c user/json.c user/classify.c user/fallback.c
$(TEST_OUT)/format_bench: tests/bench/format_bench.c tests/bench/bench_clock.h $(FORMAT_SRC) $(HDRS) | $(TEST_OUT)
	$(CC) $(CFLAGS) $< $(FORMAT_SRC) -o $@

# NDJSON formatting alone (what live mode pays per fault), one core
bench-format: $(TEST_OUT)/format_bench
	$(TEST_OUT)/format_bench $(FORMAT_RECORDS)

# a prerequisite only, so other fragments can add their own benchmarks
bench: bench-replay bench-format

.PHONY: bench-replay bench-format

$(TEST_OUT)/consume_bench: tests/bench/consume_bench.c tests/bench/bench_clock.h $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CC) $(CFLAGS) $< $(CORE_SRC) -o $@

# the stream reader's per-record work (dt_consume), counted in
# instructions as the VM bench's icount clock does: valgrind's callgrind
CONSUME_RECORDS ?= 200000
bench-consume: $(TEST_OUT)/consume_bench
	tests/bench/consume_icount.sh $(TEST_OUT)/consume_bench $(CONSUME_RECORDS)

.PHONY: bench-consume
