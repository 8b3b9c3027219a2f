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

# The "floor" tracer: empty programs at daxtrace's attach points.
$(BENCH_OUT)/floor.bpf.o: bpf/floor.bpf.c include/dt_points.h vmlinux/$(ARCH)/vmlinux.h | $(BENCH_OUT)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BENCH_OUT)/floor.skel.h: $(BENCH_OUT)/floor.bpf.o
	$(BPFTOOL) gen skeleton $< name floor_bpf > $@

# the attach plan is daxtrace's own table and era (user/probes.c, era_btf.c)
$(BENCH_OUT)/floor: bench/floor.c $(BENCH_OUT)/floor.skel.h $(PROBES_SRC) user/era_btf.c
	$(CC) $(CFLAGS) -I$(BENCH_OUT) $(filter %.c,$^) $(LDLIBS) -o $@

bench-build: daxtrace workloads $(BENCH_OUT)/faultclock.so $(BENCH_OUT)/floor

# KERNEL: a kernel of the matrix (tests/vm/kernels.conf), 6.1 by default
bench: bench-build
	KERNEL=$(KERNEL) bench/run.sh

.PHONY: bench bench-build
endif
