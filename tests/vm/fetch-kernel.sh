#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh [CACHE_DIR]
#
# Download and unpack the current Debian kernel package and print the path of
# the unpacked tree (which holds boot/vmlinuz-* and lib/modules/*).
#
# The kernel is resolved through the meta package (linux-image-amd64 by
# default) every time, because Debian bumps the ABI name (6.1.0-NN) with each
# security upload; the unpacked tree is cached under CACHE_DIR keyed by the
# resolved package name and version, so a second run downloads nothing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

META=${DAXTRACE_VM_KERNEL_META:-linux-image-amd64}

check_tools()
{
	need_tool apt-cache apt
	need_tool apt-get apt
	need_tool dpkg-deb dpkg
	need_tool depmod kmod
	need_tool flock util-linux
}

# resolve_pkg META: print the concrete image package META depends on.
resolve_pkg()
{
	apt-cache depends "$1" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

# candidate_version PKG: the version apt-get download would fetch.
candidate_version()
{
	apt-cache policy "$1" 2>/dev/null |
		awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }'
}

# resolve: set $pkg and $ver; refresh the package lists once if they are
# missing or stale (a fresh machine has none; apt-cache then finds nothing).
resolve()
{
	pkg=$(resolve_pkg "$META")
	if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
		log "cannot resolve $META, running apt-get update"
		apt-get update >&2 || true
		pkg=$(resolve_pkg "$META")
	fi
	[ -n "$pkg" ] ||
		die "cannot resolve '$META' to a linux-image-* package (run apt-get update?)"
	ver=$(candidate_version "$pkg")
	[ -n "$ver" ] || die "no installable version of '$pkg' known to apt"
}

# fetch_into DIR: download and unpack $pkg=$ver as DIR/tree.
fetch_into()
{
	local dir=$1 deb kver

	# apt-get download writes to the current directory.  As root it tries
	# to drop to the _apt user first and, as that user cannot write here,
	# warns "Download is performed unsandboxed as root": harmless.
	(cd "$dir" && apt-get download "$pkg=$ver") >&2 ||
		die "apt-get download $pkg=$ver failed"
	deb=$(find "$dir" -maxdepth 1 -name "*.deb" | head -n 1)
	[ -n "$deb" ] || die "apt-get download produced no .deb for $pkg"
	dpkg-deb -x "$deb" "$dir/tree"
	rm -f "$deb"

	# Debian ships no modules.dep: its postinst runs depmod.  Do the same
	# so that mkimage.sh can resolve module dependencies from it.
	kver=$(ls "$dir/tree/lib/modules")
	[ -d "$dir/tree/lib/modules/$kver" ] ||
		die "$pkg: expected exactly one lib/modules/<version> directory"
	depmod -b "$dir/tree" "$kver"
}

main()
{
	local cache=${1:-$DAXTRACE_VM_CACHE} key final tmp

	[ $# -le 1 ] || die "usage: $0 [CACHE_DIR]"
	check_tools
	resolve

	# The version may carry an epoch ("1:..."): keep the key a plain name.
	key=$(printf '%s_%s' "$pkg" "$ver" | tr ':/' '%_')
	mkdir -p "$cache/kernels"
	final=$(cd "$cache/kernels" && pwd)/$key

	# Serialise concurrent callers (e.g. parallel test jobs) on one cache.
	exec 9>"$cache/kernels/.lock"
	flock 9

	if [ ! -e "$final/.complete" ]; then
		log "fetching $pkg $ver into $final"
		rm -rf "$final" "$final.tmp"
		tmp=$final.tmp
		mkdir -p "$tmp"
		fetch_into "$tmp"
		touch "$tmp/.complete"
		# Publish atomically: a killed run leaves only *.tmp behind.
		mv "$tmp" "$final"
	fi
	echo "$final/tree"
}

main "$@"
