# SPDX-License-Identifier: GPL-2.0
# Included by the top-level Makefile: `make bench` runs the tracer-overhead
# bench in the test VM (bench/README.md).  Guarded, so that also giving it
# with -f (make -f Makefile -f bench/bench.mk bench) does no harm.
ifndef BENCH_MK
BENCH_MK := 1

BENCH_OUT := $(OUT)/bench

$(BENCH_OUT):
	mkdir -p $@

# Preloaded into the workloads to time their fault loop from inside.
$(BENCH_OUT)/faultclock.so: bench/faultclock.c | $(BENCH_OUT)
	$(CC) $(WARN) -O2 -shared -fPIC $< -ldl -o $@

bench-build: daxtrace workloads $(BENCH_OUT)/faultclock.so

bench: bench-build
	bench/run.sh

.PHONY: bench bench-build
endif
