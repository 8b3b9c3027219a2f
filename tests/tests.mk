# SPDX-License-Identifier: GPL-2.0
# Included by the top-level Makefile.  `make test` ends with one line:
# "N passed, N failed, N skipped", non-zero exit on any failure.

TEST_OUT := $(OUT)/tests
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(TEST_OUT)/%)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
WORKLOADS := $(patsubst tests/workloads/%.c,$(TEST_OUT)/workloads/%,$(wildcard tests/workloads/*.c))

$(TEST_OUT) $(TEST_OUT)/workloads:
	mkdir -p $@

# Unit tests link the pure logic directly, under ASan and UBSan.
$(TEST_OUT)/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CC) $(WARN) -O1 -g $(SAN_FLAGS) -Iinclude -Iuser -Itests/unit $< $(CORE_SRC) -o $@

# The era is read off BTF: libbpf's parser and writer, no kernel.
$(TEST_OUT)/test_era: tests/unit/test_era.c tests/unit/unit.h user/era_btf.c $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CC) $(WARN) -O1 -g $(SAN_FLAGS) -Iinclude -Iuser -Itests/unit $< user/era_btf.c $(CORE_SRC) -lbpf -o $@

$(TEST_OUT)/workloads/%: tests/workloads/%.c tests/workloads/workload.h | $(TEST_OUT)/workloads
	$(CC) $(WARN) -O2 -Itests/workloads $< -lpthread -o $@

# a PMDK client: Debian's libpmem and libpmemobj (libpmem-dev,
# libpmemobj-dev); the VM image gets their runtime libraries through ldd
$(TEST_OUT)/workloads/pmem_client: tests/workloads/pmem_client.c tests/workloads/workload.h | $(TEST_OUT)/workloads
	$(CC) $(WARN) -O2 -Itests/workloads $< -lpmemobj -lpmem -o $@

# the fentry/tp_btf selection and the table are daxtrace's own (user/probes.c)
PROBES_SRC := user/probes.c user/options.c user/classify.c user/listen.c user/era.c user/layout.c

$(TEST_OUT)/load_bpf: tests/host/load_bpf.c $(PROBES_SRC) $(OUT)/daxtrace.skel.h | $(TEST_OUT)
	$(CC) $(CFLAGS) $(filter %.c,$^) $(LDLIBS) -o $@

$(TEST_OUT)/points: tests/host/points.c $(PROBES_SRC) $(OUT)/daxtrace.skel.h | $(TEST_OUT)
	$(CC) $(CFLAGS) $(filter %.c,$^) $(LDLIBS) -o $@

# serve's exposition in exact mode, for the rules' and dashboard's names
$(TEST_OUT)/metrics_names: tests/host/metrics_names.c $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CC) $(WARN) -O1 -g -Iinclude -Iuser $< $(CORE_SRC) -o $@

workloads: $(WORKLOADS)

# the kernels of the VM suite (tests/vm/kernels.conf): make test KERNELS=6.1
KERNELS ?= 6.1 6.12 7.2
export KERNELS

test: daxtrace $(UNIT_BIN) $(TEST_OUT)/load_bpf $(TEST_OUT)/points $(TEST_OUT)/inflight $(TEST_OUT)/fuzz_record $(TEST_OUT)/metrics_names $(WORKLOADS)
	tests/run-all.sh

test-unit: $(UNIT_BIN)
	tests/run-all.sh unit

test-host: daxtrace $(TEST_OUT)/load_bpf $(TEST_OUT)/points $(TEST_OUT)/inflight $(TEST_OUT)/metrics_names
	tests/run-all.sh host

test-vm: daxtrace $(WORKLOADS)
	tests/run-all.sh vm

# xfstests' dax group under `daxtrace check` on ext4-DAX and xfs-DAX in the
# VM (tests/xfstests/README.md): make xfstests KERNEL=6.1; by default the
# newest kernel of tests/vm/kernels.conf.  make test runs it too.
xfstests: daxtrace
	KERNEL=$(KERNEL) tests/xfstests/run.sh

# KERNEL: the VM's kernel when there is no DAX mount here (6.1 by default)
demo: daxtrace $(WORKLOADS)
	KERNEL=$(KERNEL) tests/vm/demo.sh

.PHONY: workloads xfstests

include tests/fuzz/fuzz.mk
include tests/bench/bench_host.mk

$(TEST_OUT)/inflight: tests/host/inflight.c $(OUT)/daxtrace.skel.h | $(TEST_OUT)
	$(CC) $(CFLAGS) $< $(LDLIBS) -o $@
