# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers shared by the tests/vm scripts.  Sourced, never executed.

# Default location of downloaded kernels; kept across runs so that only the
# first run (or a new Debian kernel upload) pays for the download.
DAXTRACE_VM_CACHE=${DAXTRACE_VM_CACHE:-${HOME:-/root}/.cache/daxtrace-vm}

die()
{
	echo "${0##*/}: error: $*" >&2
	exit 2
}

log()
{
	echo "${0##*/}: $*" >&2
}

# need_tool TOOL DEBIAN_PACKAGE
# Fail early, naming the package, instead of dying halfway through a build.
need_tool()
{
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install it with: apt-get install $2"
}

# The kernel matrix (kernels.conf, beside this file).
KERNELS_CONF=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)/kernels.conf
DAXTRACE_VM_KERNEL=${DAXTRACE_VM_KERNEL:-6.1}

# kernel_names: the short names, in the table's order.
kernel_names()
{
	awk '!/^#/ && NF { printf "%s%s", sep, $1; sep = " " }' "$KERNELS_CONF"
}

# kernel_field NAME COLUMN: one column of NAME's line; fails if unknown.
kernel_field()
{
	awk -v k="$1" -v c="$2" '
	/^# name\t/ { for (i = 2; i <= NF; i++) col[$i] = i - 1 }
	!/^#/ && $1 == k { if (!(c in col)) exit 2; print $col[c]; found = 1; exit }
	END { exit !found }' "$KERNELS_CONF"
}

# mirrors: set $mirror and $security_mirror from the machine's apt
# configuration (only read, to find the mirror it already uses).
mirrors()
{
	local targets

	targets=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		  sort -u) || targets=
	mirror=${DAXTRACE_VM_MIRROR:-$(printf '%s\n' "$targets" |
		awk '$2 !~ /-/ && $1 ~ /\/debian\/$/ { print $1; exit }')}
	mirror=${mirror:-http://deb.debian.org/debian/}
	security_mirror=$(printf '%s\n' "$targets" |
		awk '$2 ~ /-security$/ { print $1; exit }')
	security_mirror=${security_mirror:-${mirror%/debian/}/debian-security/}
}

# chroot_apt_conf ROOT: the apt settings of a chroot of ours (tests/kmod,
# the package test).  No recommends; and the machine's own way of reaching
# the archive, as its apt has it (a proxy; a registry whose Release files
# are older than their Valid-Until, as here): without it the chroot could
# not update where the machine can.
chroot_apt_conf()
{
	{
		echo 'APT::Install-Recommends "false";'
		apt-config dump 2>/dev/null |
			grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy) ' || true
	} >"$1/etc/apt/apt.conf.d/90daxtrace"
}

# in_chroot ROOT CMD...: CMD in the chroot ROOT, with /proc, /sys and /dev
# for apt, gcc and daxtrace, in a mount namespace of its own (nothing is
# left mounted after it).
in_chroot()
{
	unshare -m --propagation private sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" &&
			mount --rbind /dev "$r/dev" &&
			exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
				HOME=/root LANG=C DEBIAN_FRONTEND=noninteractive "$@"' \
		sh "$@"
}
