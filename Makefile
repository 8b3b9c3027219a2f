# SPDX-License-Identifier: GPL-2.0
# daxtrace: build, test and install.  See README.md.

PREFIX ?= /usr/local
ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
LLVM_STRIP ?= $(shell command -v llvm-strip || ls /usr/bin/llvm-strip-* 2>/dev/null | head -n1)
OUT := build

WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
# override: a packager's CFLAGS (dpkg-buildflags) add to these, never drop them
override CFLAGS += $(WARN) -D_GNU_SOURCE -Iinclude -Iuser -I$(OUT)
# BPF_PROG() and BPF_KPROBE() name every argument, used or not.
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) \
	-Wno-unused-parameter -Ivmlinux/$(ARCH) -Iinclude
LDLIBS := -lbpf -lelf -lz $(shell pkg-config --libs libmicrohttpd)
# --version, and the build info of `daxtrace serve`
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# Tool files touch BPF or the system; every other user/*.c is pure logic
# (no BPF, no syscalls), shared with the unit tests and fuzzers.
TOOL_SRC := user/daxtrace.c user/probes.c user/zero_pfn.c user/child.c \
	user/resolve.c user/live.c user/report.c user/dax_path.c \
	user/loader.c user/era_btf.c user/kallsyms.c user/kcounts.c user/serve.c \
	user/diff_cmd.c
CORE_SRC := $(filter-out $(TOOL_SRC),$(wildcard user/*.c))
CORE_OBJ := $(CORE_SRC:user/%.c=$(OUT)/%.o)
TOOL_OBJ := $(TOOL_SRC:user/%.c=$(OUT)/%.o)
HDRS := $(wildcard include/*.h user/*.h)

.PHONY: all clean deps install vmlinux test test-unit test-host test-vm demo bench deb FORCE
.DELETE_ON_ERROR:

all: daxtrace

$(OUT):
	mkdir -p $@

BPF_PARTS := $(wildcard bpf/*.bpf.h)

$(OUT)/daxtrace.bpf.o: bpf/daxtrace.bpf.c $(BPF_PARTS) $(HDRS) vmlinux/$(ARCH)/vmlinux.h | $(OUT)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(OUT)/daxtrace.skel.h: $(OUT)/daxtrace.bpf.o
	$(BPFTOOL) gen skeleton $< name daxtrace_bpf > $@

$(OUT)/%.o: user/%.c $(HDRS) | $(OUT)
	$(CC) $(CFLAGS) -c $< -o $@

$(TOOL_OBJ): $(OUT)/daxtrace.skel.h

$(OUT)/serve.o: override CFLAGS += $(shell pkg-config --cflags libmicrohttpd)

# The version of --version and serve's build_info: rewritten only when it
# changes, so that a new commit rebuilds the two objects that print it and
# an unchanged tree rebuilds nothing.
$(OUT)/version.h: FORCE | $(OUT)
	@v='#define DT_VERSION "$(VERSION)"'; \
	[ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@

$(OUT)/daxtrace.o $(OUT)/serve.o: $(OUT)/version.h

FORCE:

daxtrace: $(TOOL_OBJ) $(CORE_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# vmlinux.h is committed; regenerate it from the running kernel's BTF.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h

# Everything a fresh Debian 12 (or newer) machine needs to build and test.
deps:
	tests/deps.sh

SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
MAN_DIR ?= $(PREFIX)/share/man

$(OUT)/daxtrace.service: dist/daxtrace.service.in | $(OUT)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' $< > $@

install: daxtrace $(OUT)/daxtrace.service
	install -D -m 0755 daxtrace $(DESTDIR)$(PREFIX)/sbin/daxtrace
	install -D -m 0644 $(OUT)/daxtrace.service $(DESTDIR)$(SYSTEMD_UNIT_DIR)/daxtrace.service
	install -D -m 0644 dist/daxtrace.8 $(DESTDIR)$(MAN_DIR)/man8/daxtrace.8
	install -D -m 0644 dist/prometheus/daxtrace.rules.yml $(DESTDIR)$(PREFIX)/share/daxtrace/prometheus/daxtrace.rules.yml
	install -D -m 0644 dist/grafana/daxtrace.json $(DESTDIR)$(PREFIX)/share/daxtrace/grafana/daxtrace.json

include tests/tests.mk
include bench/bench.mk

# A Debian binary package (debian/: debhelper), built from a copy of the
# tree so that the package's own clean touches nothing here; then lintian
# at its default level, warnings fatal.  Out: build/deb/*.deb
deb:
	rm -rf $(OUT)/deb
	mkdir -p $(OUT)/deb/src
	tar --exclude=./$(OUT) --exclude=./.git --exclude=./daxtrace -cf - . | tar -C $(OUT)/deb/src -xf -
	cd $(OUT)/deb/src && VERSION="$(VERSION)" dpkg-buildpackage -b -us -uc >../build.log 2>&1 || \
		{ tail -n 30 $(OUT)/deb/build.log; exit 1; }
	lintian --fail-on error,warning $(OUT)/deb/*.changes
	@ls $(OUT)/deb/*.deb

clean:
	rm -rf $(OUT) daxtrace
