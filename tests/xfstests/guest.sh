#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The VM side of tests/xfstests/run.sh, run by mkimage.sh's /init as
# /payload/guest-run.sh (busybox sh), its output on the results port.
#
# xfstests needs a full userland (bash, gawk, xfs_io, dmsetup, su, ...):
# rather than an image of its own, it runs in a chroot made of the host's
# root, shared read-only over 9p (boot.sh DAXTRACE_VM_HOSTROOT=1): the
# host's /usr bound in, a writable copy of its /etc (xfstests' users are
# added there), tmpfs for the rest, and a writable copy of the xfstests
# build, unpacked from run.sh's archive (check writes its results beside
# itself).  inner.sh does the rest
# in there, for the one filesystem named by xfstests.fs= on the kernel
# command line.
#
# Exit 0 when inner.sh ran (the host judges what it printed); 10 when the
# chroot could not be made ("@@SETUP-FAIL why").
P=/payload
H=/host
R=/xroot
. $P/env

setup_fail() {
	echo "@@SETUP-FAIL $*"
	exit 10
}

fs=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^xfstests\.fs=//p')
[ -n "$fs" ] || setup_fail "no xfstests.fs= on the kernel command line"
echo "@@KERNEL $(uname -r)"

mkdir -p $H $R
# cache=loose: the share is read-only, so the guest may cache it; without
# it every exec of bash or xfs_io goes over 9p again.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot $H ||
	setup_fail "cannot mount the host's root (9p tag hostroot): boot.sh needs DAXTRACE_VM_HOSTROOT=1, the image the modules virtio_pci 9pnet_virtio 9p"
[ -x $H/bin/bash ] || setup_fail "the host's root has no /bin/bash"
[ -f "$H$XFST_DIR" ] || setup_fail "the host's root has no $XFST_DIR"

t0=$(cut -d. -f1 /proc/uptime)
mount -t tmpfs -o mode=755,size=1536m xroot $R || setup_fail "tmpfs for the chroot"
for d in usr etc proc sys dev tmp var/tmp run/lock root home mnt/test \
	 mnt/scratch payload; do
	mkdir -p $R/$d
done
chmod 1777 $R/tmp $R/var/tmp
# The host's top-level layout: merged-/usr links (bin -> usr/bin), or
# real directories on an older layout.
for d in bin sbin lib lib32 lib64 libx32; do
	if [ -L $H/$d ]; then
		ln -s "$(readlink $H/$d)" $R/$d
	elif [ -d $H/$d ]; then
		mkdir -p $R/$d
		mount -o bind $H/$d $R/$d
	fi
done
mount -o bind $H/usr $R/usr || setup_fail "bind mount of the host's /usr"
cp -a $H/etc/. $R/etc/ || setup_fail "copy of the host's /etc"
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t debugfs debugfs $R/sys/kernel/debug
mount -t tracefs tracefs $R/sys/kernel/tracing
mount -t bpf bpf $R/sys/fs/bpf
# What udev or systemd would add to devtmpfs: bash's process substitution
# (xfstests' check -e) needs /dev/fd.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
mount -o bind /dev $R/dev
mkdir -p $R/dev/shm
mount -t tmpfs -o mode=1777 shm $R/dev/shm
mount -o bind $P $R/payload
tar -xf "$H$XFST_DIR" -C $R || setup_fail "cannot unpack $XFST_DIR"
[ -x $R/xfstests/check ] || setup_fail "$XFST_DIR has no xfstests/check"
echo "@@NOTE setup: chroot ready in $(($(cut -d. -f1 /proc/uptime) - t0)) s"

# DM_DISABLE_UDEV: no udev runs here, so libdevmapper must make the
# /dev/mapper nodes itself (generic/470's log-writes device), not wait for
# udev to.
chroot $R /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 DM_DISABLE_UDEV=1 \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/bin/bash /payload/inner.sh "$fs"
echo "@@INNER-EXIT $?"
exit 0
