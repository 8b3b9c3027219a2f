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
# Trees of older versions are removed unless DAXTRACE_VM_KEEP_OLD is set.
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

# fetch_into DIR: download and unpack $pkg=$ver as DIR/tree.  Returns
# non-zero if the download fails (stale package lists: the archive dropped
# that version), so that the caller can refresh the lists and retry.
fetch_into()
{
	local dir=$1 deb kver

	# apt-get download writes to the current directory.  As root it tries
	# to drop to the _apt user first and, as that user cannot write here,
	# warns "Download is performed unsandboxed as root": harmless.
	(cd "$dir" && apt-get download "$pkg=$ver") >&2 || return 1
	deb=$(find "$dir" -maxdepth 1 -name '*.deb' | head -n 1)
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

# ensure_cached CACHE: make $final (the tree for $pkg $ver) exist.
ensure_cached()
{
	local key tmp

	# The version may carry an epoch ("1:..."): keep the key a plain name.
	key=$(printf '%s_%s' "$pkg" "$ver" | tr ':/' '%_')
	final=$1/$key
	[ ! -e "$final/.complete" ] || return 0

	log "fetching $pkg $ver into $final"
	tmp=$final.tmp
	rm -rf "$final" "$tmp"
	mkdir -p "$tmp"
	if ! fetch_into "$tmp"; then
		rm -rf "$tmp"
		return 1
	fi
	touch "$tmp/.complete"
	# Publish atomically: a killed run leaves only *.tmp behind.
	mv "$tmp" "$final"
}

# prune_old DIR: drop trees of superseded kernels (~400 MiB each) so that a
# long-lived machine's cache does not grow with every Debian kernel update.
prune_old()
{
	local old

	[ -z "${DAXTRACE_VM_KEEP_OLD:-}" ] || return 0
	for old in "$1"/linux-image-*; do
		if [ ! -d "$old" ] || [ "$old" = "$final" ]; then
			continue
		fi
		log "removing superseded $old"
		rm -rf "$old"
	done
}

main()
{
	local cache=${1:-$DAXTRACE_VM_CACHE} dir

	[ $# -le 1 ] || die "usage: $0 [CACHE_DIR]"
	check_tools
	mkdir -p "$cache/kernels"
	dir=$(cd "$cache/kernels" && pwd)

	# Serialise concurrent callers (e.g. parallel test jobs) on one cache.
	exec 9>"$dir/.lock"
	flock 9

	resolve
	if ! ensure_cached "$dir"; then
		[ "$(id -u)" = 0 ] || die "downloading $pkg $ver failed"
		log "download failed, refreshing package lists and retrying"
		apt-get update >&2 || true
		resolve
		ensure_cached "$dir" || die "downloading $pkg $ver failed"
	fi
	prune_old "$dir"
	echo "$final/tree"
}

main "$@"
