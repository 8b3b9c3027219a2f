# SPDX-License-Identifier: GPL-2.0
# Included by tests/tests.mk.  `make fuzz` fuzzes the recording reader for
# FUZZ_TIME seconds, starting from tests/fuzz/corpus, and prints
# "PASS fuzz/record (N runs, cov: C)" or "FAIL fuzz/record: why"; it fails
# on any crash, leak, sanitizer report or broken invariant.  Then the
# same for the exposition of `daxtrace serve` (fuzz/metrics, no corpus)
# and the NDJSON writer against the one it replaced (fuzz/json, no corpus).
# `make fuzz-corpus` regenerates the committed seeds.  Include this after
# TEST_OUT is set: rule targets expand as they are read.

FUZZ_TIME ?= 20
FUZZ_FLAGS = -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Iinclude -Iuser
FUZZ_WORK = $(TEST_OUT)/fuzz_record.corpus
FUZZ_LOG = $(TEST_OUT)/fuzz_record.log

$(TEST_OUT)/fuzz_record: tests/fuzz/fuzz_record.c user/record.c user/record.h include/daxtrace.h | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) $< user/record.c -o $@

$(TEST_OUT)/make_corpus: tests/fuzz/make_corpus.c user/record.c user/record.h include/daxtrace.h | $(TEST_OUT)
	$(CC) $(WARN) -O1 -g $(SAN_FLAGS) -Iinclude -Iuser $< user/record.c -o $@

# New inputs go to FUZZ_WORK, so the committed corpus only changes on purpose.
fuzz: $(TEST_OUT)/fuzz_record
	@mkdir -p $(FUZZ_WORK)
	@if $(TEST_OUT)/fuzz_record -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(TEST_OUT)/fuzz_record- \
		$(FUZZ_WORK) tests/fuzz/corpus >$(FUZZ_LOG) 2>&1; then \
		echo "PASS fuzz/record ($$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $(FUZZ_LOG)) runs, $$(grep -o 'cov: [0-9]*' $(FUZZ_LOG) | tail -n1))"; \
	else \
		echo "FAIL fuzz/record: $$(grep -m1 -E 'ERROR|runtime error|fuzz_record: ' $(FUZZ_LOG) || echo 'exit status') (log $(FUZZ_LOG); input $$(ls -t $(TEST_OUT)/fuzz_record-* 2>/dev/null | head -n1))"; \
		exit 1; \
	fi

# the exposition is pure logic: every core file, as the unit tests link it
$(TEST_OUT)/fuzz_metrics: tests/fuzz/fuzz_metrics.c $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) $< $(CORE_SRC) -o $@

FUZZ_M_WORK = $(TEST_OUT)/fuzz_metrics.corpus
FUZZ_M_LOG = $(TEST_OUT)/fuzz_metrics.log

fuzz: fuzz-metrics

fuzz-metrics: $(TEST_OUT)/fuzz_metrics
	@mkdir -p $(FUZZ_M_WORK)
	@if $(TEST_OUT)/fuzz_metrics -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(TEST_OUT)/fuzz_metrics- \
		$(FUZZ_M_WORK) >$(FUZZ_M_LOG) 2>&1; then \
		echo "PASS fuzz/metrics ($$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $(FUZZ_M_LOG)) runs, $$(grep -o 'cov: [0-9]*' $(FUZZ_M_LOG) | tail -n1))"; \
	else \
		echo "FAIL fuzz/metrics: $$(grep -m1 -E 'ERROR|runtime error|fuzz_metrics: ' $(FUZZ_M_LOG) || echo 'exit status') (log $(FUZZ_M_LOG); input $$(ls -t $(TEST_OUT)/fuzz_metrics-* 2>/dev/null | head -n1))"; \
		exit 1; \
	fi

# the PMD fallback reasons: decision, names, hints, counts, rules, JSON
$(TEST_OUT)/fuzz_fallback: tests/fuzz/fuzz_fallback.c $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) $< $(CORE_SRC) -o $@

FUZZ_F_WORK = $(TEST_OUT)/fuzz_fallback.corpus
FUZZ_F_LOG = $(TEST_OUT)/fuzz_fallback.log

fuzz: fuzz-fallback

fuzz-fallback: $(TEST_OUT)/fuzz_fallback
	@mkdir -p $(FUZZ_F_WORK)
	@if $(TEST_OUT)/fuzz_fallback -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(TEST_OUT)/fuzz_fallback- \
		$(FUZZ_F_WORK) >$(FUZZ_F_LOG) 2>&1; then \
		echo "PASS fuzz/fallback ($$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $(FUZZ_F_LOG)) runs, $$(grep -o 'cov: [0-9]*' $(FUZZ_F_LOG) | tail -n1))"; \
	else \
		echo "FAIL fuzz/fallback: $$(grep -m1 -E 'ERROR|runtime error|fuzz_fallback: ' $(FUZZ_F_LOG) || echo 'exit status') (log $(FUZZ_F_LOG); input $$(ls -t $(TEST_OUT)/fuzz_fallback-* 2>/dev/null | head -n1))"; \
		exit 1; \
	fi

# the NDJSON writer against the one it replaced (tests/unit/json_ref.h)
$(TEST_OUT)/fuzz_json: tests/fuzz/fuzz_json.c tests/unit/json_ref.h $(CORE_SRC) $(HDRS) | $(TEST_OUT)
	$(CLANG) $(FUZZ_FLAGS) -Itests/unit $< $(CORE_SRC) -o $@

FUZZ_J_WORK = $(TEST_OUT)/fuzz_json.corpus
FUZZ_J_LOG = $(TEST_OUT)/fuzz_json.log

fuzz: fuzz-json

fuzz-json: $(TEST_OUT)/fuzz_json
	@mkdir -p $(FUZZ_J_WORK)
	@if $(TEST_OUT)/fuzz_json -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(TEST_OUT)/fuzz_json- \
		$(FUZZ_J_WORK) >$(FUZZ_J_LOG) 2>&1; then \
		echo "PASS fuzz/json ($$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $(FUZZ_J_LOG)) runs, $$(grep -o 'cov: [0-9]*' $(FUZZ_J_LOG) | tail -n1))"; \
	else \
		echo "FAIL fuzz/json: $$(grep -m1 -E 'ERROR|runtime error|fuzz_json: ' $(FUZZ_J_LOG) || echo 'exit status') (log $(FUZZ_J_LOG); input $$(ls -t $(TEST_OUT)/fuzz_json-* 2>/dev/null | head -n1))"; \
		exit 1; \
	fi

fuzz-corpus: $(TEST_OUT)/make_corpus
	mkdir -p tests/fuzz/corpus
	$(TEST_OUT)/make_corpus tests/fuzz/corpus

.PHONY: fuzz fuzz-metrics fuzz-fallback fuzz-json fuzz-corpus
