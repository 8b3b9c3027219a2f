#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installs everything daxtrace needs to build, test and run its VM suite on
# a fresh Debian 12 (or newer) machine.  Needs root; only apt-get.
set -eu
PKGS="make gcc clang llvm libclang-rt-dev libbpf-dev libelf-dev zlib1g-dev
bpftool qemu-system-x86 busybox-static e2fsprogs xfsprogs cpio kmod python3
util-linux ca-certificates libxml2-utils librsvg2-bin fonts-dejavu-core
debootstrap debian-archive-keyring"
# make deb and its test (tests/host/deb.sh)
PKGS="$PKGS debhelper lintian"
# xfstests (make xfstests, tests/xfstests): what its README lists for
# Debian to build it, and the userland its dax group runs in the VM (the
# guest chroots into this machine's /usr: xfs_io, dmsetup, useradd, ...)
PKGS="$PKGS acl attr automake bc dbench dump e2fsprogs fio gawk gcc indent
libacl1-dev libaio-dev libcap-dev libgdbm-dev libtool libtool-bin liburing-dev
libuuid1 lvm2 make psmisc python3 quota sed uuid-dev uuid-runtime xfsprogs
sqlite3 libgdbm-compat-dev xfslibs-dev xfsdump dmsetup perl"
# daxtrace serve: libmicrohttpd to build it; promtool (prometheus), curl,
# groff and man-db for its host tests and the man page's
PKGS="$PKGS libmicrohttpd-dev pkg-config prometheus curl groff man-db"
# the VM suite's PMDK client (tests/workloads/pmem_client.c)
PKGS="$PKGS libpmem-dev libpmemobj-dev"
# make bench-consume: the stream reader's instructions per record (callgrind)
PKGS="$PKGS valgrind"
# device DAX in the VM (tests/vm/devdax.sh): ndctl makes the devdax
# namespaces; its binary and libraries go into the guest's image
PKGS="$PKGS ndctl"
if [ "$(id -u)" -ne 0 ]; then
	echo "tests/deps.sh: run as root (sudo tests/deps.sh)" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $PKGS
