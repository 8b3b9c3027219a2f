#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkimage.sh OUT_DIR PAYLOAD_DIR
#
# Build a bootable test image from the Debian kernel package and host tools:
#   OUT_DIR/vmlinuz            the packaged kernel
#   OUT_DIR/initramfs.cpio.gz  busybox, the pmem/ext4/xfs modules, mkfs.ext4,
#                              mkfs.xfs and PAYLOAD_DIR as /payload
# The /init it installs brings up /dev/pmem0 and runs /payload/guest-run.sh
# with its output on the second serial port (see boot.sh).
#
# Environment:
#   DAXTRACE_VM_KERNEL        the kernel of the matrix (kernels.conf): 6.1
#                             (default), 6.12, 7.2
#   DAXTRACE_VM_CACHE         kernel cache (default ~/.cache/daxtrace-vm)
#   DAXTRACE_VM_KERNEL_DIR    use this unpacked kernel package instead of
#                             fetching one (a tree with boot/ and lib/modules/)
#   DAXTRACE_VM_EXTRA_MODULES more module names to load after the default set
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

# Load order matters only for crc32c: up to 6.x, ext4 (metadata_csum) and
# libcrc32c look the "crc32c" algorithm up at mount/load time and there is
# no modprobe in the guest to honour their softdeps, so the generic
# implementation goes first.  Newer kernels call the CRC library directly
# and have no crc32c_generic: a trailing "?" marks a module that may be
# absent.  The rest is ordered by modules.dep.
MODULES="crc32c_generic? nd_e820 nd_pmem ext4 xfs ${DAXTRACE_VM_EXTRA_MODULES:-}"

check_tools()
{
	need_tool busybox busybox-static
	need_tool mke2fs e2fsprogs
	need_tool mkfs.xfs xfsprogs
	need_tool cpio cpio
	need_tool gzip gzip
	need_tool ldd libc-bin
	need_tool depmod kmod
	need_tool od coreutils
}

# install_file SRC DEST: copy SRC (following symlinks) to DEST in the image.
# The old DEST is removed first: it may be a busybox applet symlink, and
# copying through it would overwrite the wrong file.
install_file()
{
	local dest=$root$2

	mkdir -p "${dest%/*}"
	rm -f "$dest"
	cp -L "$1" "$dest"
}

# install_libs FILE: copy the shared libraries FILE needs, and the dynamic
# loader, to the same paths in the image.  Static executables and other ELF
# files (BPF objects, ...) make ldd fail: they need nothing.
install_libs()
{
	local out lib

	out=$(ldd "$1" 2>&1) || return 0
	case $out in
	*"not found"*)
		die "$1: shared libraries missing on the host:
$out" ;;
	esac
	for lib in $(printf '%s\n' "$out" |
		     awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
		[ -e "$root$lib" ] || install_file "$lib" "$lib"
	done
}

# install_bin HOSTPATH [NAME]: install a host program as /usr/sbin/NAME.
install_bin()
{
	local src=$1 name=${2:-${1##*/}}

	install_file "$src" "/usr/sbin/$name"
	install_libs "$src"
}

is_elf()
{
	[ "$(od -An -tx1 -N4 "$1" 2>/dev/null | tr -d ' \n')" = 7f454c46 ]
}

# Merged-/usr layout like the host, so that the paths ldd reports
# (/lib/x86_64-linux-gnu/..., /lib64/ld-linux-x86-64.so.2) and busybox's
# applet paths all land somewhere sensible.
make_skeleton()
{
	local d

	for d in usr/bin usr/sbin usr/lib usr/lib64 dev proc sys tmp run \
		 etc mnt/ext4 mnt/xfs payload root; do
		mkdir -p "$root/$d"
	done
	ln -s usr/bin "$root/bin"
	ln -s usr/sbin "$root/sbin"
	ln -s usr/lib "$root/lib"
	ln -s usr/lib64 "$root/lib64"
	# mke2fs and mount look here for mounted filesystems.
	ln -s /proc/mounts "$root/etc/mtab"
	[ ! -f /etc/mke2fs.conf ] || cp /etc/mke2fs.conf "$root/etc/"
}

install_busybox()
{
	local applet target

	install_file "$(command -v busybox)" /usr/bin/busybox
	install_libs "$(command -v busybox)"	# no-op for busybox-static
	# Relative links: absolute ones would point into the host while the
	# image is being built.
	for applet in $(busybox --list-full); do
		case $applet in
		linuxrc) continue ;;
		sbin/*|usr/sbin/*) target=../bin/busybox ;;
		*) target=busybox ;;
		esac
		[ -e "$root/$applet" ] || ln -s "$target" "$root/$applet"
	done
}

install_mkfs()
{
	install_bin "$(command -v mke2fs)" mke2fs
	# mke2fs picks the filesystem type from the name it is run as.
	rm -f "$root/usr/sbin/mkfs.ext4"
	ln -s mke2fs "$root/usr/sbin/mkfs.ext4"
	install_bin "$(command -v mkfs.xfs)" mkfs.xfs
}

# modules_dep: print the path of a modules.dep for $kver.  Debian's package
# has none (postinst generates it); fetch-kernel.sh adds one, a tree given
# through DAXTRACE_VM_KERNEL_DIR may lack it, so generate one aside.
modules_dep()
{
	local dep=$tree/lib/modules/$kver/modules.dep

	if [ ! -f "$dep" ]; then
		dep=$work/modules.dep
		# depmod -n prints modules.dep first, then commented sections.
		depmod -n -b "$tree" "$kver" | awk '/^#/ { exit } { print }' >"$dep"
	fi
	echo "$dep"
}

# resolve_modules DEPFILE NAME...: print "mod PATH" for every module needed,
# dependencies before their users, and "missing NAME" for unknown names.
resolve_modules()
{
	local dep=$1

	shift
	awk -v want="$*" '
	function norm(p) {
		sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p)
		gsub(/-/, "_", p)
		return p
	}
	function visit(n,    k, a, i) {
		if (n in seen)
			return
		seen[n] = 1
		if (!(n in path)) {
			print "missing " n
			return
		}
		# modprobe loads a dependency list from its end: do the same.
		k = split(deps[n], a, " ")
		for (i = k; i >= 1; i--)
			visit(a[i])
		print "mod " path[n]
	}
	{
		sub(/:$/, "", $1)
		n = norm($1)
		path[n] = $1
		for (i = 2; i <= NF; i++)
			deps[n] = deps[n] " " norm($i)
	}
	END {
		k = split(want, w, " ")
		for (i = 1; i <= k; i++) {
			n = w[i]; gsub(/-/, "_", n)
			visit(n)
		}
	}' "$dep"
}

# install_module RELPATH: copy one module, decompressed (busybox insmod
# may not handle .ko.xz/.ko.zst), and record its guest path in load order.
install_module()
{
	local src=$tree/lib/modules/$kver/$1 rel=${1%.ko*}.ko dest

	dest=$root/lib/modules/$kver/$rel
	mkdir -p "${dest%/*}"
	case $1 in
	*.ko) cp "$src" "$dest" ;;
	*.ko.xz) need_tool xz xz-utils; xz -dc "$src" >"$dest" ;;
	*.ko.zst) need_tool zstd zstd; zstd -qdc "$src" >"$dest" ;;
	*.ko.gz) gzip -dc "$src" >"$dest" ;;
	*) die "unknown module format: $1" ;;
	esac
	echo "/lib/modules/$kver/$rel" >>"$root/etc/daxtrace-modules"
}

install_modules()
{
	local kind name builtin=$tree/lib/modules/$kver/modules.builtin

	: >"$root/etc/daxtrace-modules"
	# shellcheck disable=SC2086 # MODULES is a word list
	resolve_modules "$(modules_dep)" $(echo "$MODULES" | tr -d '?') >"$work/modlist"
	while read -r kind name; do
		case $kind in
		mod) install_module "$name" ;;
		missing)
			# Built into this kernel: nothing to load.
			grep -Eq "/${name}\.ko\$" "$builtin" 2>/dev/null ||
				grep -Eq "/$(echo "$name" | tr _ -)\.ko\$" \
					"$builtin" 2>/dev/null ||
				case " $MODULES " in
				*" $name? "*) log "kernel $kver has no module '$name': not needed there" ;;
				*) die "kernel $kver has no module '$name'" ;;
				esac ;;
		esac
	done <"$work/modlist"
	log "modules: $(sed 's|.*/||' "$root/etc/daxtrace-modules" | tr '\n' ' ')"
}

install_payload()
{
	local f

	cp -a "$payload/." "$root/payload/"
	# Every ELF in the payload may be a dynamically linked test program.
	while IFS= read -r -d '' f; do
		! is_elf "$f" || install_libs "$f"
	done < <(find "$root/payload" -type f -print0)
}

# The guest's /init, run by the kernel as PID 1 from the initramfs.
write_init()
{
	cat >"$root/init" <<'INIT'
#!/bin/sh
# /init of the daxtrace test VM, generated by tests/vm/mkimage.sh.
# ttyS0 is the console, ttyS1 carries the payload's results to the host.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
RES=/dev/ttyS1
PMEM=/dev/pmem0

say()
{
	echo "DAXTRACE-VM: $*"
}

# finish CODE: report CODE on both ports and power off.  -no-reboot on the
# host turns the power-off (or a panic if it fails) into a QEMU exit.
finish()
{
	say "guest-run exit $1"
	echo "@@GUEST-EXIT $1" >"$RES"
	sync
	# Closing the tty drains it, but give the UART a moment anyway: the
	# exit line is what the host waits for.
	sleep 1
	poweroff -f
}

mount_fs()
{
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	# The console node exists only now if the kernel's built-in
	# initramfs did not provide one.
	exec </dev/console >/dev/console 2>&1
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tracefs tracefs /sys/kernel/tracing
	mount -t tmpfs tmpfs /tmp
	# For BPF payloads that pin objects; harmless otherwise.
	mount -t bpf bpf /sys/fs/bpf
}

load_modules()
{
	while read -r m; do
		insmod "$m" || say "insmod $m failed" | tee "$RES"
	done </etc/daxtrace-modules
}

# wait_pmem: /dev/pmem0 shows up asynchronously once nd_pmem probes the
# memmap= region; 30 s is ample even under TCG.  With several memmap=
# regions (boot.sh's DAXTRACE_VM_PMEM) every /dev/pmemN is waited for.
wait_pmem()
{
	n=$(tr ' ' '\n' </proc/cmdline | grep -c '^memmap=.*!')
	last=/dev/pmem$((n > 0 ? n - 1 : 0))
	i=0
	while [ ! -b "$PMEM" ] || [ ! -b "$last" ]; do
		if [ "$i" -ge 150 ]; then
			say "$PMEM or $last did not appear within 30 s (memmap=...!" \
			    "missing or nd_e820/nd_pmem failed)" | tee "$RES"
			say "guest-run exit 99"
			echo "@@GUEST-EXIT 99" >"$RES"
			sleep 1
			poweroff -f
		fi
		sleep 0.2
		i=$((i + 1))
	done
	more=
	[ "$n" -le 1 ] || more=" (and $((n - 1)) more)"
	say "$PMEM$more ready at uptime $(cut -d' ' -f1 /proc/uptime) s"
}

# heartbeat: a line on the console every daxtrace.heartbeat= seconds
# (boot.sh's DAXTRACE_VM_HEARTBEAT), so that the host can tell a guest at
# work (an xfstests test may print nothing for minutes) from one that
# stopped, and give the latter up in minutes, not at its timeout.
heartbeat()
{
	hb=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^daxtrace\.heartbeat=//p')
	[ -n "$hb" ] && [ "$hb" -gt 0 ] 2>/dev/null || return 0
	while sleep "$hb"; do
		say "alive at $(cut -d' ' -f1 /proc/uptime) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
	done &
}

mount_fs
# Raw output: no \n -> \r\n translation on the results channel.
stty -F "$RES" -opost 2>/dev/null
# _text: where KASLR put the kernel, for boot.sh's report of a guest that
# went silent (its vCPUs' RIPs as offsets into the kernel image)
say "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, _text at $(sed -n 's/ T _text$//p' /proc/kallsyms)"
heartbeat
load_modules
wait_pmem
export DAXTRACE_VM=1 DAXTRACE_PMEM="$PMEM"
cd /payload || finish 98
sh /payload/guest-run.sh >"$RES" 2>&1 </dev/null
finish $?
INIT
	chmod 755 "$root/init"
}

# Sorted, root-owned archive: files belong to root in the guest whoever
# built the image.
make_cpio()
{
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -6 >"$out/initramfs.cpio.gz.tmp"
	mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
}

find_kernel()
{
	if [ -n "${DAXTRACE_VM_KERNEL_DIR:-}" ]; then
		tree=$DAXTRACE_VM_KERNEL_DIR
	else
		tree=$("$here/fetch-kernel.sh" "$DAXTRACE_VM_KERNEL" "$DAXTRACE_VM_CACHE")
	fi
	[ -d "$tree/lib/modules" ] || die "$tree: no lib/modules in kernel tree" \
		"(a tree of split packages, usr/lib/modules/VER/vmlinuz, is laid out" \
		"by fetch-kernel.sh: move them to lib/modules and boot/vmlinuz-VER)"
	kver=$(ls "$tree/lib/modules")
	[ -f "$tree/boot/vmlinuz-$kver" ] ||
		die "$tree: expected one kernel, found '$kver'"
}

main()
{
	[ $# -eq 2 ] || die "usage: $0 OUT_DIR PAYLOAD_DIR"
	out=$1
	payload=$2
	[ -f "$payload/guest-run.sh" ] ||
		die "$payload/guest-run.sh not found: the payload must provide it"
	check_tools
	find_kernel

	mkdir -p "$out"
	work=$(mktemp -d "${TMPDIR:-/tmp}/daxtrace-mkimage.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	root=$work/root

	make_skeleton
	install_busybox
	install_mkfs
	install_modules
	install_payload
	write_init
	make_cpio
	cp "$tree/boot/vmlinuz-$kver" "$out/vmlinuz"
	echo "$kver" >"$out/kernel-version"
	log "built $out/vmlinuz ($kver) and $out/initramfs.cpio.gz" \
	    "($(du -k "$out/initramfs.cpio.gz" | cut -f1) KiB)"
}

main "$@"
