#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kmod/build.sh KERNEL OUT_DIR
#
# Build the positive-control modules of tests/kmod (dt_two_step.ko,
# dt_pfn_mismatch.ko) for the kernel of the matrix named KERNEL
# (tests/vm/kernels.conf), into OUT_DIR, and print the directory holding
# the .ko files.
#
# A module must be built with the kernel's own compiler: Debian's 6.1 and
# 6.12 with gcc-12, 7.x with gcc-16, which only Debian unstable has.  So
# each build runs in a chroot of the Debian suite the kernel comes from,
# made once with debootstrap and cached beside the kernels
# (DAXTRACE_VM_CACHE/chroot/SUITE, ~500 MiB, a minute to make), with the
# kernel's linux-headers-VER installed in it by the chroot's own apt: the
# package then brings the compiler it names (gcc-16-for-host, ...) and its
# kbuild at the paths its Makefile expects.  The chroot's apt sources are
# its own; the machine's are never read for packages nor touched.
#
# The version built against is the one of the kernel tree fetch-kernel.sh
# gave (the same ABI name), so the module's vermagic is the booted
# kernel's.  The built .ko is cached by kernel and source hash.
#
# Exit: 0 built; 2 the build could not run (no debootstrap, no network,
# the headers not in the archive, a compile error: the reason on stderr).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/tests/vm/common.sh"

# write_sources: the apt lines of the chroot of $dist; boot_suite: the
# suite debootstrap makes for it.  experimental is not a full suite: a sid chroot
# with experimental added, from which its kernel's headers come.
write_sources()
{
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg

	case $dist in
	unstable|sid)
		echo "deb [signed-by=$keyring] $mirror sid main" ;;
	experimental)
		echo "deb [signed-by=$keyring] $mirror sid main"
		echo "deb [signed-by=$keyring] $mirror experimental main" ;;
	*)
		echo "deb [signed-by=$keyring] $mirror $dist main"
		echo "deb [signed-by=$keyring] $security_mirror $dist-security main" ;;
	esac
}

boot_suite()
{
	case $dist in
	unstable|experimental) echo sid ;;
	*) echo "$dist" ;;
	esac
}

# ensure_chroot: $root, a chroot of $dist with make and the archive key.
ensure_chroot()
{
	root=$cache/chroot/$dist
	[ ! -e "$root/.complete" ] && [ -d "$root" ] && rm -rf "$root"
	[ -e "$root/.complete" ] && return 0
	need_tool debootstrap debootstrap
	log "making a $dist chroot for module builds in $root (once)"
	rm -rf "$root.tmp"
	mkdir -p "$cache/chroot"
	debootstrap --variant=minbase --include=make,debian-archive-keyring \
		"$(boot_suite)" "$root.tmp" "$mirror" >"$cache/chroot/$dist.log" 2>&1 ||
		die "debootstrap $(boot_suite) failed (log $cache/chroot/$dist.log)"
	write_sources >"$root.tmp/etc/apt/sources.list"
	# Some headers packages depend on their linux-image (6.12's does):
	# nothing boots from here, so no initramfs is made for it (a minute
	# of gzip): the package's update-initramfs is diverted, a no-op put
	# in its place
	chroot "$root.tmp" dpkg-divert --local --rename --add /usr/sbin/update-initramfs >/dev/null
	ln -s /bin/true "$root.tmp/usr/sbin/update-initramfs"
	touch "$root.tmp/.complete"
	mv "$root.tmp" "$root"
}

# ensure_headers: linux-headers-$kver, at the version of the booted tree.
ensure_headers()
{
	[ -e "$root/usr/src/linux-headers-$kver/Makefile" ] && return 0
	log "installing linux-headers-$kver in the $dist chroot"
	chroot_apt_conf "$root"
	in_chroot "$root" apt-get -q update >"$root/apt.log" 2>&1 ||
		die "apt-get update in $root failed (log $root/apt.log)"
	in_chroot "$root" apt-get -q install -y "linux-headers-$kver" >>"$root/apt.log" 2>&1 ||
		die "linux-headers-$kver does not install in the $dist chroot (log $root/apt.log)"
}

main()
{
	local kernel tree src key built

	[ $# -eq 2 ] || die "usage: $0 KERNEL OUT_DIR (KERNEL: $(kernel_names))"
	kernel=$1
	out=$2
	dist=$(kernel_field "$kernel" dist) ||
		die "unknown kernel '$kernel' (known: $(kernel_names))"
	[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot)"
	need_tool unshare util-linux
	need_tool flock util-linux
	tree=$("$repo/tests/vm/fetch-kernel.sh" "$kernel" "$DAXTRACE_VM_CACHE") ||
		die "fetch-kernel.sh $kernel failed"
	kver=$(ls "$tree/lib/modules")
	mkdir -p "$DAXTRACE_VM_CACHE/chroot" "$out"
	cache=$(cd "$DAXTRACE_VM_CACHE" && pwd)
	out=$(cd "$out" && pwd)

	key=$(cat "$here"/*.c "$here/Kbuild" | sha256sum | cut -c1-16)
	built=$cache/kmod/$kver-$key
	if [ ! -e "$built/.complete" ]; then
		# one chroot, one apt, one build at a time
		exec 9>"$cache/chroot/.lock"
		flock 9
		mirrors
		ensure_chroot
		ensure_headers
		src=$root/build/daxtrace-kmod
		rm -rf "$src"
		mkdir -p "$src"
		cp "$here"/*.c "$here/Kbuild" "$src/"
		if ! in_chroot "$root" make -C "/usr/src/linux-headers-$kver" M=/build/daxtrace-kmod \
			modules >"$src/build.log" 2>&1; then
			tail -n 20 "$src/build.log" >&2
			die "the modules do not build for $kver (log $src/build.log)"
		fi
		rm -rf "$built"
		mkdir -p "$built"
		cp "$src"/*.ko "$src/build.log" "$built/"
		touch "$built/.complete"
	fi
	cp "$built"/*.ko "$out/"
	echo "$out"
}

main "$@"
