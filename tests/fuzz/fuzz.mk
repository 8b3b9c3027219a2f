# SPDX-License-Identifier: GPL-2.0
# Included by tests/tests.mk.  `make fuzz` fuzzes the recording reader for
# FUZZ_TIME seconds, starting from tests/fuzz/corpus, and prints
# "PASS fuzz/record (N runs, cov: C)" or "FAIL fuzz/record: why"; it fails
# on any crash, leak, sanitizer report or broken invariant.  Then the
# same for the exposition of `daxtrace serve` (fuzz/metrics), the PMD
# fallback reasons (fuzz/fallback), the NDJSON writer against the one
# it replaced (fuzz/json) and diff's JSON reader (fuzz/jflat), with no corpus.
# `make fuzz-corpus` regenerates the committed seeds.  Include this after
# TEST_OUT is set: rule targets expand as they are read.

FUZZ_TIME ?= 20
FUZZ_FLAGS = -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Iinclude -Iuser
# $(call fuzz_run,NAME[,SEEDS]): fuzz_NAME for FUZZ_TIME seconds; new
# inputs go to its work corpus, so committed seeds only change on purpose
define fuzz_run
	@mkdir -p $(TEST_OUT)/fuzz_$(1).corpus
	@if $(TEST_OUT)/fuzz_$(1) -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(TEST_OUT)/fuzz_$(1)- \
		$(TEST_OUT)/fuzz_$(1).corpus $(2) >$(TEST_OUT)/fuzz_$(1).log 2>&1; then \
		echo "PASS fuzz/$(1) ($$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $(TEST_OUT)/fuzz_$(1).log) runs, $$(grep -o 'cov: [0-9]*' $(TEST_OUT)/fuzz_$(1).log | tail -n1))"; \
	else \
		echo "FAIL fuzz/$(1): $$(grep -m1 -E 'ERROR|runtime error|fuzz_$(1): ' $(TEST_OUT)/fuzz_$(1).log || echo 'exit status') (log $(TEST_OUT)/fuzz_$(1).log; input $$(ls -t $(TEST_OUT)/fuzz_$(1)-* 2>/dev/null | head -n1))"; \
		exit 1; \
	fi
endef

$(TEST_OUT)/fuzz_record: tests/fuzz/fuzz_record.c user/record.c user/record.h include/daxtrace.h | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) $< user/record.c -o $@

$(TEST_OUT)/make_corpus: tests/fuzz/make_corpus.c user/record.c user/record.h include/daxtrace.h | $(TEST_OUT)
	$(CC) $(WARN) -O1 -g $(SAN_FLAGS) -Iinclude -Iuser $< user/record.c -o $@

fuzz: $(TEST_OUT)/fuzz_record
	$(call fuzz_run,record,tests/fuzz/corpus)

# the exposition is pure logic: every core file, as the unit tests link it
$(TEST_OUT)/fuzz_metrics: tests/fuzz/fuzz_metrics.c $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) $< $(CORE_SRC) -o $@

fuzz: fuzz-metrics
fuzz-metrics: $(TEST_OUT)/fuzz_metrics
	$(call fuzz_run,metrics)

# the PMD fallback reasons: decision, names, hints, counts, rules, JSON
$(TEST_OUT)/fuzz_fallback: tests/fuzz/fuzz_fallback.c $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) $< $(CORE_SRC) -o $@

fuzz: fuzz-fallback
fuzz-fallback: $(TEST_OUT)/fuzz_fallback
	$(call fuzz_run,fallback)

# the NDJSON writer against the one it replaced (tests/unit/json_ref.h)
$(TEST_OUT)/fuzz_json: tests/fuzz/fuzz_json.c tests/unit/json_ref.h $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) -Itests/unit $< $(CORE_SRC) -o $@

fuzz: fuzz-json
fuzz-json: $(TEST_OUT)/fuzz_json
	$(call fuzz_run,json)

# the JSON reader of daxtrace diff, on arbitrary bytes
$(TEST_OUT)/fuzz_jflat: tests/fuzz/fuzz_jflat.c user/jflat.c user/jflat.h | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) $< user/jflat.c -o $@

fuzz: fuzz-jflat
fuzz-jflat: $(TEST_OUT)/fuzz_jflat
	$(call fuzz_run,jflat)

fuzz-corpus: $(TEST_OUT)/make_corpus
	mkdir -p tests/fuzz/corpus
	$(TEST_OUT)/make_corpus tests/fuzz/corpus

.PHONY: fuzz fuzz-metrics fuzz-fallback fuzz-json fuzz-jflat fuzz-corpus
