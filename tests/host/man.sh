#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# daxtrace(8) against `daxtrace --help`: every option, subcommand and
# exit status is in the man page, which renders without a warning; the
# systemd unit verifies; `make install` puts all three in place.
# Needs groff and man-db; systemd-analyze if present.
set -u
cd "$(dirname "$0")/../.." || exit 1
MAN=dist/daxtrace.8
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "PASS host/man_$1"; }
bad() { echo "FAIL host/man_$1: $2"; }
report() { if [ -z "$2" ]; then ok "$1"; else bad "$1" "$2"; fi; }

./daxtrace --help >"$T/help"
# the roff source with its escapes undone: \- is -, \(aq is '
sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" "$MAN" >"$T/src"
opts=$(grep -oE -- '--[a-z][a-z-]*|(^|[ ,])-[a-zA-Z]\b' "$T/help" | tr -d ' ,' | sort -u)
missing=
for o in $opts; do
	grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$T/src" || missing="$missing $o"
done
report options "$([ -z "$missing" ] && [ "$(echo "$opts" | wc -w)" -ge 30 ] || echo "not in $MAN:$missing (of $(echo $opts | wc -w))")"
cmds=$(sed -n 's/^ *\(Usage:\)\? *daxtrace \([a-z]\+\) .*/\2/p' "$T/help" | sort -u)
missing=
for c in $cmds; do
	grep -q "^\.SY \"daxtrace $c\"" "$T/src" && grep -q "^\.B $c\$" "$T/src" || missing="$missing $c"
done
report subcommands "$([ -z "$missing" ] && [ "$(echo $cmds | wc -w)" -eq 7 ] || echo "missing:$missing (help lists: $(echo $cmds))")"
sect=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH/p' "$T/src")
missing=
for st in 0 1 2 3; do
	echo "$sect" | grep -qx "\.B $st" || missing="$missing $st"
	grep -q "^Exit status: .*\b$st\b" "$T/help" || grep -q "\b$st [a-zA-Z]" "$T/help" || missing="$missing help:$st"
done
report exit_status "$missing"

groff -man -Tutf8 -ww -z "$MAN" 2>"$T/groff"
report groff_no_warnings "$([ $? -eq 0 ] && [ ! -s "$T/groff" ] || head -5 "$T/groff")"
MANWIDTH=80 man --warnings -l "$MAN" >"$T/man.txt" 2>"$T/man.err"
report man_renders "$([ $? -eq 0 ] && [ ! -s "$T/man.err" ] && grep -q '^EXIT STATUS' "$T/man.txt" || head -5 "$T/man.err")"

make -s install DESTDIR="$T/root" PREFIX=/usr/local >"$T/install.log" 2>&1
missing=
for f in sbin/daxtrace lib/systemd/system/daxtrace.service share/man/man8/daxtrace.8; do
	[ -s "$T/root/usr/local/$f" ] || missing="$missing $f"
done
report install "$missing$(grep -q '^ExecStart=/usr/local/sbin/daxtrace serve$' "$T/root/usr/local/lib/systemd/system/daxtrace.service" || echo ' ExecStart')"
if command -v systemd-analyze >/dev/null; then
	# ExecStart must exist: point it at this build
	sed "s|@SBINDIR@|$PWD|" dist/daxtrace.service.in >"$T/daxtrace.service"
	systemd-analyze verify --man=no "$T/daxtrace.service" >"$T/verify" 2>&1
	report unit_verifies "$([ $? -eq 0 ] && [ ! -s "$T/verify" ] || head -5 "$T/verify")"
else
	echo "SKIP host/man_unit_verifies: no systemd-analyze"
fi
exit 0
