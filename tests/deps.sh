#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installs everything daxtrace needs to build, test and run its VM suite on
# a fresh Debian 12 (or newer) machine.  Needs root; only apt-get.
set -eu
PKGS="make gcc clang llvm libclang-rt-dev libbpf-dev libelf-dev zlib1g-dev
bpftool qemu-system-x86 busybox-static e2fsprogs xfsprogs cpio kmod python3
util-linux ca-certificates libxml2-utils librsvg2-bin fonts-dejavu-core"
if [ "$(id -u)" -ne 0 ]; then
	echo "tests/deps.sh: run as root (sudo tests/deps.sh)" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $PKGS
