#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/xfstests/run.sh: xfstests' dax group under `daxtrace check`, on
# ext4-DAX and xfs-DAX in the test VM, judged (make xfstests KERNEL=6.1;
# make test runs it on the newest kernel of tests/vm/kernels.conf).
#
#   1. finds xfstests: XFSTESTS_SRC (a checkout or a tarball), else the
#      snapshot in ../shared/xfstests/ beside the repository; with neither
#      it prints one line "SKIP xfstests: why" and exits 0;
#   2. builds it under build/xfstests/src-KEY/ (KEY: the source's identity,
#      so an unchanged source is built once);
#   3. boots one VM per filesystem (mkimage.sh, boot.sh) with three pmem
#      regions (TEST_DEV, SCRATCH_DEV, LOGWRITES_DEV) and the host's root
#      shared read-only: the guest (guest.sh) chroots into the host's /usr
#      and a copy of its /etc, so xfstests runs on this machine's bash,
#      xfs_io, dmsetup, ... without an image of its own;
#   4. judges (judge.py): a line per test and per daxtrace check, the
#      per-test table, artefacts under build/xfstests/results/KERNEL/FS/.
#
# Environment:
#   KERNEL                 a kernel of the matrix (default: the newest)
#   FILESYSTEMS            "ext4 xfs" (default)
#   XFSTESTS_SRC           xfstests checkout directory or .tar.gz
#   XFSTESTS_TESTS         ./check's selection instead of "-g dax",
#                          e.g. "generic/413 generic/437"
#   XFSTESTS_DAXTRACE_ARGS more `daxtrace check` options, split on spaces,
#                          e.g. "--forbid read" (a deliberately broken rule:
#                          the run then fails and names the tests)
#   XFSTESTS_GUEST_CMD     a shell command run in the guest's chroot after
#                          ./check, in the xfstests directory, its output
#                          in results.txt (debugging)
#   XFSTESTS_JOBS          VMs at once (default 2: the filesystems in
#                          parallel; each mostly keeps one core busy)
#   XFSTESTS_TIMEOUT       seconds per VM (default 3000)
#   DAXTRACE_VM_CACHE      the kernel cache (tests/vm/README.md)
# Exit: 0 only when xfstests ran and every check passed; 1 a check failed;
# 2 the harness could not run (build, image).
set -eu
# a relative XFSTESTS_SRC is the caller's, not the repository's
case ${XFSTESTS_SRC:-/} in /*) ;; *) XFSTESTS_SRC=$PWD/$XFSTESTS_SRC ;; esac
cd "$(dirname "$0")/../.."
repo=$(pwd)
. tests/vm/common.sh

OUT=build/xfstests
# Three regions, each 512 MiB, apart (adjacent ones would merge into one
# device), inside the guest's RAM: with -m 4G the PC machine puts 3 GiB
# below the 32-bit PCI hole (3-4 GiB) and 1 GiB above 4 GiB.
PMEM='512M!1G 512M!2G 512M!4G'
MEM=4G
# 9p and its virtio transport for the host's root (virtio_pci is built
# into newer kernels: mkimage.sh then skips it); dm-log-writes for
# generic/470's LOGWRITES_DEV (the chroot's modprobe cannot load the
# guest kernel's modules: they are loaded by /init).
MODULES='virtio_pci 9pnet_virtio 9p dm_mod dm_log_writes'

skip() {
	echo "SKIP xfstests: $*"
	exit 0
}

fail() {	# fail WHAT WHY: the harness itself could not run
	echo "FAIL xfstests/$kernel/$1: $2"
	exit 2
}

# find_source: $src, the checkout or tarball to build.
find_source() {
	local shared

	if [ -n "${XFSTESTS_SRC:-}" ]; then
		src=$XFSTESTS_SRC
		[ -e "$src" ] || skip "XFSTESTS_SRC=$src does not exist"
		return
	fi
	# The snapshot lives beside the repository (../shared/xfstests from
	# its root), wherever the repository was cloned.
	shared=$(cd "$repo/.." && pwd)/shared/xfstests
	src=$(ls "$shared"/xfstests-*.tar.gz 2>/dev/null | tail -n 1) || true
	[ -n "$src" ] ||
		skip "no xfstests snapshot in $shared and XFSTESTS_SRC unset (a checkout or .tar.gz of xfstests)"
}

# source_key: a short identity of $src, so that the build is cached per
# source: a tarball's hash; for a directory, the hash of its file list
# with sizes and times (any edit rebuilds).
source_key() {
	if [ -f "$src" ]; then
		sha256sum "$src" | cut -c1-16
	elif [ -d "$src" ]; then
		(cd "$src" && find . -path ./.git -prune -o -type f -printf '%P %s %T@\n' |
			LC_ALL=C sort | sha256sum | cut -c1-16)
	else
		skip "XFSTESTS_SRC=$src is neither a directory nor a file"
	fi
}

check_build_tools() {
	need_tool make make
	need_tool gcc gcc
	need_tool autoconf autoconf
	need_tool automake automake
	need_tool libtoolize libtool
	need_tool sha256sum coreutils
	need_tool flock util-linux
	[ -e /usr/include/xfs/xfs.h ] || die "xfs headers missing; install them with: apt-get install xfslibs-dev (or run tests/deps.sh)"
	[ -e /usr/include/uuid/uuid.h ] || die "uuid headers missing; install them with: apt-get install uuid-dev (or run tests/deps.sh)"
}

# build: $xfst, an archive of a built xfstests tree for $src (cached).
build() {
	local key dir

	key=$(source_key)
	dir=$OUT/src-$key
	xfst=$repo/$dir/xfstests.tar
	mkdir -p "$OUT"
	exec 8>"$OUT/.build.lock"
	flock 8		# two runs at once share one build
	if [ -e "$dir/.built" ] && [ -e "$dir/xfstests.tar" ]; then
		log "xfstests: using the build in $dir (source $src)"
		return
	fi
	check_build_tools
	log "xfstests: building $src in $dir (a few minutes)"
	rm -rf "$dir"
	mkdir -p "$dir/xfstests"
	if [ -d "$src" ]; then
		tar -C "$src" --exclude=./.git -cf - . | tar -C "$dir/xfstests" -xf -
	else
		# whatever the top directory is called: strip it
		tar -xzf "$src" -C "$dir/xfstests" --strip-components=1 ||
			fail build "cannot unpack $src"
	fi
	if ! (cd "$dir/xfstests" && make -j"$(nproc)") >"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		fail build "make failed in $dir/xfstests (log $dir/build.log)"
	fi
	if [ ! -x "$dir/xfstests/src/t_mmap_cow_race" ] || [ ! -x "$dir/xfstests/ltp/fsx" ]; then
		fail build "the build in $dir has no src/t_mmap_cow_race or ltp/fsx (log $dir/build.log)"
	fi
	# One archive for the guest to unpack: over 9p under TCG a copy of
	# the tree's thousands of files takes ~45 s, one large read a few.
	# Object files are left out (nothing runs them).
	tar -C "$dir" --exclude='*.o' -cf "$dir/xfstests.tar" xfstests
	echo "$src" >"$dir/source"
	touch "$dir/.built"
	log "xfstests: built in $dir"
}

# payload: the guest scripts, daxtrace and what the guest must know.
payload() {
	rm -rf "$vm/payload"
	mkdir -p "$vm/payload"
	cp daxtrace "$vm/payload/"
	cp tests/xfstests/guest.sh "$vm/payload/guest-run.sh"
	cp tests/xfstests/inner.sh "$vm/payload/"
	{
		# %q: sourced by the guest's busybox sh and by bash
		printf 'XFST_DIR=%q\n' "$xfst"
		printf 'XFST_TESTS=%q\n' "${XFSTESTS_TESTS:--g dax}"
		printf 'XFST_DT_ARGS=%q\n' "${XFSTESTS_DAXTRACE_ARGS:-}"
		printf 'XFST_GUEST_CMD=%q\n' "${XFSTESTS_GUEST_CMD:-}"
	} >"$vm/payload/env"
}

# boot_fs FS: one VM for FS; its own image directory (boot.sh keeps state
# beside the image), results and console.  A guest that stopped before
# daxtrace ended (no "@@RC daxtrace": a panic, a lockup, the timeout;
# under TCG on a loaded host a vCPU has been seen to stop taking timer
# interrupts) is booted once more, from scratch, and the first console
# kept as console.first.log; the judge sees the second run alone.
boot_fs() {
	local fs=$1 d=$vm/$1 rc start try

	rm -rf "$d"
	mkdir -p "$d/image"
	ln "$vm/image/vmlinuz" "$vm/image/initramfs.cpio.gz" "$d/image/"
	for try in 1 2; do
		rc=0
		start=$(date +%s)
		DAXTRACE_VM_MEM=$MEM DAXTRACE_VM_PMEM=$PMEM DAXTRACE_VM_HOSTROOT=1 \
		DAXTRACE_VM_APPEND="xfstests.fs=$fs" \
			tests/vm/boot.sh "$d/image" "$d/results.txt" "$d/console.log" \
			"${XFSTESTS_TIMEOUT:-3000}" 2>"$d/boot.err" || rc=$?
		echo "$rc" >"$d/boot.rc"
		echo "$(($(date +%s) - start))" >"$d/boot.secs"
		log "xfstests: $fs VM done in $(cat "$d/boot.secs") s (boot.sh exit $rc)"
		[ "$try" = 1 ] && [ "$rc" -ne 0 ] &&
			! grep -q '^@@RC daxtrace ' "$d/results.txt" 2>/dev/null || break
		echo "NOTE xfstests/$kernel/$fs: the VM stopped before daxtrace ended (boot.sh exit $rc; $(head -n 1 "$d/boot.err")); booting once more"
		sed -n '/last 80 lines of/,$p' "$d/boot.err" >&2
		mv "$d/console.log" "$d/console.first.log"
	done
}

main() {
	local fs running=0 res

	kernel=${KERNEL:-}
	[ -n "$kernel" ] || kernel=$(kernel_names | awk '{ print $NF }')
	kernel_field "$kernel" dist >/dev/null ||
		die "unknown KERNEL '$kernel' (known: $(kernel_names))"
	filesystems=${FILESYSTEMS:-ext4 xfs}
	[ -x daxtrace ] || die "./daxtrace not built (make)"

	find_source
	build
	vm=$OUT/vm-$kernel
	mkdir -p "$vm"
	payload
	if ! DAXTRACE_VM_KERNEL=$kernel DAXTRACE_VM_EXTRA_MODULES=$MODULES \
		tests/vm/mkimage.sh "$vm/image" "$vm/payload" >"$vm/mkimage.log" 2>&1; then
		tail -n 30 "$vm/mkimage.log" >&2
		fail image "mkimage.sh failed (log $vm/mkimage.log)"
	fi
	for fs in $filesystems; do
		case $fs in ext4|xfs) ;; *) die "FILESYSTEMS: '$fs' is not ext4 or xfs" ;; esac
		if [ "$running" -ge "${XFSTESTS_JOBS:-2}" ]; then
			wait -n || true
			running=$((running - 1))
		fi
		log "xfstests: booting $kernel for $fs"
		boot_fs "$fs" &
		running=$((running + 1))
	done
	wait

	res=$OUT/results/$kernel
	for fs in $filesystems; do
		rm -rf "${res:?}/$fs"
		mkdir -p "$res/$fs"
		cp "$vm/$fs/results.txt" "$vm/$fs/console.log" "$vm/$fs/boot.rc" \
			"$vm/$fs/boot.secs" "$vm/$fs/boot.err" "$res/$fs/"
		cp "$vm/image/kernel-version" "$res/$fs/"
	done
	# shellcheck disable=SC2086 # a word list
	tests/xfstests/judge.py "$res" "$kernel" $filesystems
}

main "$@"
