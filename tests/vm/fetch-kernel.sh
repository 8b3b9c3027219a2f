#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh KERNEL [CACHE_DIR]
#
# Download and unpack the Debian kernel of the matrix named KERNEL (a
# short name of kernels.conf: 6.1, 6.12, 7.2) and print the path of the
# unpacked tree, which holds boot/vmlinuz-VER and lib/modules/VER.
#
# Every kernel comes through a private apt configuration of its own
# suite, under CACHE_DIR/apt/SUITE (sources list, package lists, cache;
# the dpkg status is /dev/null): the machine's apt sources and state are
# never read for packages nor touched.  The mirror is the one the machine's
# apt already uses (DAXTRACE_VM_MIRROR overrides it).
#
# The kernel is resolved through its meta package every time, because
# Debian bumps the ABI name (6.1.0-NN, 7.2.13+deb14) with each upload; the
# unpacked tree is cached under CACHE_DIR/kernels/KERNEL/ keyed by the
# resolved package and version, so a second run downloads nothing.  A
# superseded version of KERNEL is removed (unless DAXTRACE_VM_KEEP_OLD is
# set); the trees of the other kernels are never touched.
#
# Newer kernels (Debian unstable since 6.17 or so) split the image: the
# linux-image-VER package is a meta depending on linux-binary-VER (the
# kernel, at usr/lib/modules/VER/vmlinuz), linux-modules-VER (.ko.xz) and
# linux-base-VER; all of them are fetched and the tree is laid out as the
# older single packages do.
#
# Environment: DAXTRACE_VM_UNSTABLE_VERSION pins the version of the meta
# package of an unstable kernel (e.g. 7.2.13-1; it must still be in the
# archive); DAXTRACE_VM_APT_MAX_AGE (hours, default 24) is how old the
# private package lists may get before they are refreshed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

check_tools()
{
	need_tool apt-cache apt
	need_tool apt-get apt
	need_tool dpkg-deb dpkg
	need_tool depmod kmod
	need_tool flock util-linux
}

# apt_setup SUITE: the private configuration of SUITE; sets $apt_opts.
apt_setup()
{
	local suite=$1 root=$cache/apt/$1 keyring=/usr/share/keyrings/debian-archive-keyring.gpg

	[ -r "$keyring" ] ||
		die "$keyring missing; install it with: apt-get install debian-archive-keyring"
	mkdir -p "$root/lists/partial" "$root/cache/archives/partial" "$root/etc"
	{
		echo "deb [signed-by=$keyring] $mirror $suite main"
		[ "$suite" = unstable ] ||
			echo "deb [signed-by=$keyring] $security_mirror $suite-security main"
	} >"$root/etc/sources.list.new"
	# a changed mirror invalidates the lists
	if ! cmp -s "$root/etc/sources.list.new" "$root/etc/sources.list"; then
		mv "$root/etc/sources.list.new" "$root/etc/sources.list"
		rm -f "$root/lists/"*_Packages* "$root/lists/"*Release* "$root/.updated"
	else
		rm -f "$root/etc/sources.list.new"
	fi
	: >"$root/etc/preferences"
	apt_root=$root
	apt_opts=(-o "Dir::Etc::SourceList=$root/etc/sources.list"
		  -o "Dir::Etc::SourceParts=/dev/null"
		  -o "Dir::Etc::Preferences=$root/etc/preferences"
		  -o "Dir::Etc::PreferencesParts=/dev/null"
		  -o "Dir::State::Lists=$root/lists"
		  -o "Dir::Cache=$root/cache"
		  -o "Dir::State::status=/dev/null"
		  -o "APT::Architecture=amd64"
		  -o "APT::Architectures=amd64")
}

apt_update()
{
	log "refreshing the $suite package lists ($apt_root)"
	apt-get "${apt_opts[@]}" -q update >&2 || return 1
	touch "$apt_root/.updated"
}

# lists_fresh: the private lists exist and are younger than the max age.
lists_fresh()
{
	local age=${DAXTRACE_VM_APT_MAX_AGE:-24}

	case $age in ''|*[!0-9]*) die "DAXTRACE_VM_APT_MAX_AGE must be hours: '$age'" ;; esac
	[ -e "$apt_root/.updated" ] &&
		[ -z "$(find "$apt_root/.updated" -mmin "+$((age * 60))")" ]
}

# field PKG[=VER] FIELD: one field of the package's record (one version).
field()
{
	apt-cache "${apt_opts[@]}" show --no-all-versions "$1" 2>/dev/null |
		awk -v f="$2:" '$1 == f { sub(/^[^:]*: */, ""); print; exit }'
}

# deps_matching PKG=VER REGEX: the dependencies named by REGEX, "name ver"
# (the version of an "(= ver)" constraint, else empty).
deps_matching()
{
	field "$1" Depends | tr ',' '\n' | awk -v re="^$2\$" '
	$1 ~ re { v = ""; if ($2 == "(=") { v = $3; sub(/\)$/, "", v) }; print $1, v }'
}

# resolve: $pkg $ver (the image package) and $parts (what else it needs).
resolve()
{
	local metaver=$meta line

	if [ "$suite" = unstable ] && [ -n "${DAXTRACE_VM_UNSTABLE_VERSION:-}" ]; then
		metaver="$meta=$DAXTRACE_VM_UNSTABLE_VERSION"
	fi
	[ -n "$(field "$metaver" Version)" ] ||
		die "$suite has no '$metaver' (a pinned version must still be in the archive)"
	line=$(deps_matching "$metaver" 'linux-image-[0-9].*' | head -n 1)
	pkg=${line%% *}
	ver=${line#* }
	[ -n "$pkg" ] || die "cannot resolve '$metaver' to a linux-image-* package"
	[ -n "$ver" ] && [ "$ver" != "$pkg" ] || ver=$(field "$pkg" Version)
	[ -n "$ver" ] || die "no installable version of '$pkg' in $suite"
	# linux-image-VER is itself the kernel, or (the split packaging) a meta
	# of linux-binary-VER, linux-modules-VER and linux-base-VER
	parts=$(deps_matching "$pkg=$ver" 'linux-(binary|modules|base)-[0-9].*' |
		awk -v v="$ver" '{ print $1 "=" ($2 == "" ? v : $2) }' | tr '\n' ' ')
}

# normalize DIR: the single-package layout, boot/vmlinuz-VER and
# lib/modules/VER (split packages put both under usr/lib/modules/VER).
normalize()
{
	local t=$1/tree kver

	if [ ! -d "$t/lib/modules" ] && [ -d "$t/usr/lib/modules" ]; then
		mkdir -p "$t/lib"
		mv "$t/usr/lib/modules" "$t/lib/modules"
	fi
	[ -d "$t/lib/modules" ] || die "$pkg: no lib/modules in the unpacked packages"
	kver=$(ls "$t/lib/modules")
	[ -d "$t/lib/modules/$kver" ] ||
		die "$pkg: expected exactly one lib/modules/<version> directory, found '$kver'"
	if [ ! -f "$t/boot/vmlinuz-$kver" ] && [ -f "$t/lib/modules/$kver/vmlinuz" ]; then
		mkdir -p "$t/boot"
		mv "$t/lib/modules/$kver/vmlinuz" "$t/boot/vmlinuz-$kver"
	fi
	[ -f "$t/boot/vmlinuz-$kver" ] || die "$pkg: no kernel image (vmlinuz) in the packages"
	# Debian ships no modules.dep: its postinst runs depmod.  Do the same
	# so that mkimage.sh can resolve module dependencies from it.
	depmod -b "$t" "$kver"
}

# fetch_into DIR: download and unpack $pkg=$ver and $parts as DIR/tree.
# Returns non-zero if a download fails (stale package lists: the archive
# dropped that version), so that the caller can refresh and retry.
fetch_into()
{
	local dir=$1 deb

	# apt-get download writes to the current directory.  As root it tries
	# to drop to the _apt user first and, as that user cannot write here,
	# warns "Download is performed unsandboxed as root": harmless.
	# shellcheck disable=SC2086 # $parts is a word list
	(cd "$dir" && apt-get "${apt_opts[@]}" -q download "$pkg=$ver" $parts) >&2 ||
		return 1
	for deb in "$dir"/*.deb; do
		[ -f "$deb" ] || die "apt-get download produced no .deb for $pkg"
		dpkg-deb -x "$deb" "$dir/tree"
		rm -f "$deb"
	done
	normalize "$dir"
}

# ensure_cached: make $final (the tree for $pkg $ver) exist.
ensure_cached()
{
	local key tmp

	# The version may carry an epoch ("1:..."): keep the key a plain name.
	key=$(printf '%s_%s' "$pkg" "$ver" | tr ':/' '%_')
	final=$kdir/$key
	[ ! -e "$final/.complete" ] || return 0

	log "fetching $pkg $ver${parts:+ ($parts)} into $final"
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

# prune_old: drop superseded trees of this kernel (~400 MiB each) so that
# a long-lived machine's cache does not grow with every Debian upload.
# Only this kernel's directory: another kernel's tree is never its to drop.
prune_old()
{
	local old

	[ -z "${DAXTRACE_VM_KEEP_OLD:-}" ] || return 0
	for old in "$kdir"/linux-image-*; do
		if [ ! -d "$old" ] || [ "$old" = "$final" ]; then
			continue
		fi
		log "removing superseded $old"
		rm -rf "$old"
	done
}

main()
{
	[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 KERNEL [CACHE_DIR] (KERNEL: $(kernel_names))"
	name=$1
	cache=${2:-$DAXTRACE_VM_CACHE}
	suite=$(kernel_field "$name" dist) ||
		die "unknown kernel '$name' (known: $(kernel_names))"
	meta=$(kernel_field "$name" meta)
	check_tools
	mkdir -p "$cache/kernels/$name"
	cache=$(cd "$cache" && pwd)
	kdir=$cache/kernels/$name

	# Serialise concurrent callers (e.g. parallel test jobs) on one cache.
	exec 9>"$cache/kernels/.lock"
	flock 9

	mirrors
	apt_setup "$suite"
	lists_fresh || apt_update || log "warning: could not refresh the $suite lists"
	resolve
	if ! ensure_cached; then
		log "download failed, refreshing the $suite package lists and retrying"
		apt_update || die "cannot refresh the $suite package lists"
		resolve
		ensure_cached || die "downloading $pkg $ver failed"
	fi
	prune_old
	echo "$final/tree"
}

main "$@"
