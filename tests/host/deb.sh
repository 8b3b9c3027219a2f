#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian package (make deb): built and lintian clean; installed with
# its dependencies by apt in a clean Debian 12 chroot; its daxtrace runs
# there (--version, probes on this machine's kernel); the unit is in
# /lib/systemd/system and not enabled; purged with what it pulled in, it
# leaves no file behind.  The chroot is debootstrap's minbase, made once
# and cached as a tarball beside the VM kernels (DAXTRACE_VM_CACHE/chroot),
# unpacked afresh for each run.  Needs root, debootstrap, debhelper,
# lintian.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/common.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/daxtrace-deb.XXXXXX")
trap 'rm -rf "$T"' EXIT
R=$T/root

ok() { echo "PASS host/$1"; }
bad() { echo "FAIL host/$1: $2"; }
report() { if [ -z "$2" ]; then ok "$1"; else bad "$1" "$2"; fi; }

for tool in dpkg-buildpackage lintian debootstrap unshare; do
	command -v $tool >/dev/null || { bad deb_deps "no $tool (tests/deps.sh)"; exit 0; }
done
if ! make -s deb >"$T/make.log" 2>&1; then
	bad deb_build "make deb: $(grep -v '^running with root' "$T/make.log" | tail -n 5 | tr '\n' ' ')"
	exit 0
fi
ok deb_build_lintian_clean
deb=$(ls build/deb/daxtrace_*_amd64.deb)

# the clean chroot, made once
base=$DAXTRACE_VM_CACHE/chroot/bookworm-minbase.tar
mkdir -p "$DAXTRACE_VM_CACHE/chroot"
exec 9>"$DAXTRACE_VM_CACHE/chroot/.lock"
flock 9
if [ ! -s "$base" ]; then
	mirrors
	if ! debootstrap --variant=minbase bookworm "$T/boot" "$mirror" >"$T/debootstrap.log" 2>&1; then
		bad deb_chroot "debootstrap bookworm failed: $(tail -n 3 "$T/debootstrap.log" | tr '\n' ' ')"
		exit 0
	fi
	tar -C "$T/boot" -cf "$base.tmp" . && mv "$base.tmp" "$base"
	rm -rf "${T:?}/boot"
fi
flock -u 9
mkdir -p "$R"
tar -C "$R" -xf "$base"
chroot_apt_conf "$R"
cp "$deb" "$R/tmp/"
in_chroot "$R" apt-get -q update >"$T/apt.log" 2>&1 ||
	{ bad deb_chroot "apt-get update in the chroot failed: $(tail -n 3 "$T/apt.log")"; exit 0; }

# everything but what apt and dpkg keep of their own doings
listing() {
	(cd "$R" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp \
		-o -path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/dpkg \
		-o -path ./var/log \) -prune -o -print | LC_ALL=C sort)
}
listing >"$T/before"
if in_chroot "$R" apt-get -q install -y "/tmp/${deb##*/}" >>"$T/apt.log" 2>&1; then
	ok deb_install
else
	bad deb_install "$(tail -n 5 "$T/apt.log" | tr '\n' ' ')"
	exit 0
fi
errs=
for f in usr/sbin/daxtrace lib/systemd/system/daxtrace.service usr/share/man/man8/daxtrace.8.gz \
	 usr/share/daxtrace/prometheus/daxtrace.rules.yml usr/share/daxtrace/grafana/daxtrace.json; do
	[ -e "$R/$f" ] || errs="$errs no /$f;"
done
grep -qx 'ExecStart=/usr/sbin/daxtrace serve' "$R/lib/systemd/system/daxtrace.service" ||
	errs="$errs ExecStart is not /usr/sbin/daxtrace;"
[ -z "$(find "$R/etc/systemd" -name 'daxtrace*' 2>/dev/null)" ] ||
	errs="$errs enabled: $(find "$R/etc/systemd" -name 'daxtrace*');"
report deb_files "$errs"
out=$(in_chroot "$R" daxtrace --version 2>&1)
want="daxtrace $(git describe --always --dirty 2>/dev/null || echo unknown)"
[ "$(echo "$out" | head -n 1)" = "$want" ] && ok deb_version ||
	bad deb_version "'$(echo "$out" | head -n 1)', want '$want'"
out=$(in_chroot "$R" daxtrace probes 2>&1)
rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q '^fidelity: ' && ok deb_probes ||
	bad deb_probes "exit $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
if in_chroot "$R" apt-get -q purge -y --autoremove daxtrace >>"$T/apt.log" 2>&1; then
	listing >"$T/after"
	left=$(comm -13 "$T/before" "$T/after" | head -n 10 | tr '\n' ' ')
	gone=$(comm -23 "$T/before" "$T/after" | head -n 10 | tr '\n' ' ')
	report deb_purge_clean "$([ -z "$left$gone" ] || echo "left: $left; removed: $gone")"
else
	bad deb_purge_clean "apt-get purge: $(tail -n 5 "$T/apt.log" | tr '\n' ' ')"
fi
exit 0
