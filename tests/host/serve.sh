#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `daxtrace serve` on this machine (no DAX needed: zeros, and the probe
# gauges of what attached here): promtool on a real scrape, both formats,
# the exposition parsed, bad clients (tests/host/serve_clients.py), bad
# input, and SIGTERM/SIGINT leaving no program behind.  Needs root,
# python3, curl and promtool (Debian: prometheus).
set -u
cd "$(dirname "$0")/../.." || exit 1
DT=./daxtrace
# VmRSS and VmHWM bound, with 1000 idle connections held (README: serve)
RSS_BOUND_KIB=32768
T=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$T"' EXIT

ok() { echo "PASS host/serve_$1"; }
bad() { echo "FAIL host/serve_$1: $2"; }
report() { if [ -z "$2" ]; then ok "$1"; else bad "$1" "$2"; fi; }

# start_serve ARGS...: sets pid and port once it says where it serves
start_serve() {
	port=
	$DT serve "$@" >"$T/out" 2>"$T/err" &
	pid=$!
	for _ in $(seq 100); do
		port=$(sed -n 's|^daxtrace: serving http://[^ ]*:\([0-9]*\)/metrics$|\1|p' "$T/err")
		[ -n "$port" ] && return 0
		kill -0 $pid 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# prog ids this daxtrace holds (its fdinfo): for the leftover check
prog_ids() { grep -h '^prog_id:' /proc/$1/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u; }

for tool in curl promtool python3; do
	if ! command -v $tool >/dev/null; then
		bad deps "no $tool (tests/deps.sh installs it)"
		exit 1
	fi
done

if ! start_serve --listen 127.0.0.1:0; then
	bad start "$(cat "$T/err")"
	exit 1
fi
ok start
URL=http://127.0.0.1:$port/metrics

# the 0.0.4 text: promtool's linter, the content type, what this host attached
curl -s -D "$T/h" -o "$T/m" "$URL"
lint=$(promtool check metrics <"$T/m" 2>&1)
report promtool "$([ $? -eq 0 ] && [ -s "$T/m" ] || echo "${lint:-empty scrape}")"
report content_type "$(grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' "$T/h" || cat "$T/h")"
# every probe point `daxtrace probes` lists is a gauge, with how it attached;
# those of PMD fallback reasons (need REASONS in include/dt_points.h) are
# unneeded in serve, whose counts keep no reasons
$DT probes >"$T/probes" 2>/dev/null
reasons=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' include/dt_points.h |
	grep -o 'POINT([a-z_]*,[[:space:]]*"[^"]*",[[:space:]]*DT_ERA_[A-Z]*,[[:space:]]*DT_KIND_[A-Z]*,[[:space:]]*REASONS,' |
	sed 's/.*"\([^"]*\)".*/\1/' | tr '\n' ' ')
want=$(awk -v reasons=" $reasons" '/^PROBE POINT/ { on = 1; next } on && NF == 0 { exit } on {
	if (index(reasons, " " $1 " ")) $2 = "unneeded"
	printf "daxtrace_probe_attached{point=\"%s\",kind=\"%s\"} %d\n", $1,
	       $2 == "no" ? "none" : $2, $2 != "no" }' "$T/probes" | sort)
[ "$(echo $reasons | wc -w)" -eq 4 ] || echo "FAIL host/serve_reason_points: '$reasons', want the four of include/dt_points.h"
got=$(grep '^daxtrace_probe_attached{' "$T/m" | sort)
report probe_gauges "$([ -n "$want" ] && [ "$want" = "$got" ] || printf 'want\n%s\ngot\n%s' "$want" "$got")"
fid=$(sed -n 's/^fidelity: \([a-z]*\).*/\1/p' "$T/probes")
report fidelity "$(grep -q "^daxtrace_fidelity_info{fidelity=\"$fid\",insert_path=\"[a-z]*\",mode=\"auto\"} 1$" "$T/m" || grep fidelity_info "$T/m")"
report build_info "$(grep -q "^daxtrace_build_info{version=\"[^\"]*\",kernel=\"$(uname -r)\"} 1$" "$T/m" || grep build_info "$T/m")"
# nothing counted here: every histogram is zeros, with 31 finite buckets and +Inf
report zeros "$(python3 - "$T/m" <<'PY'
import re, sys
fams = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    m = re.match(r'^(\w+)(\{.*\})? (\S+)$', line.rstrip("\n"))
    if not m:
        print("bad line", line); sys.exit()
    name, labels, v = m.groups()
    if name.startswith("daxtrace_fault_latency_seconds") or name == "daxtrace_untimed_faults_total":
        if float(v) != 0:
            print("nonzero", line)
    if name == "daxtrace_fault_latency_seconds_bucket":
        cls = re.search(r'class="(\w+)"', labels).group(1)
        fams.setdefault(cls, []).append(re.search(r'le="([^"]+)"', labels).group(1))
for cls, les in fams.items():
    if len(les) != 32 or les[-1] != "+Inf" or les[0] != "0.000000001" or les[-2] != "1.073741824":
        print(cls, les[:2], les[-2:], len(les))
if len(fams) < 10:
    print("classes", sorted(fams))
PY
)"

# OpenMetrics when asked, as Prometheus asks
curl -s -D "$T/h" -o "$T/om" -H 'Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' "$URL"
report om_content_type "$(grep -qi '^Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$T/h" || cat "$T/h")"
report om_eof "$([ "$(tail -n 1 "$T/om")" = "# EOF" ] && [ "$(grep -c '^# EOF' "$T/om")" -eq 1 ] || tail -n 2 "$T/om")"
report om_families "$(grep -q '^# TYPE daxtrace_faults counter$' "$T/om" && grep -q '^# TYPE daxtrace_build info$' "$T/om" &&
	grep -q '^# UNIT daxtrace_fault_latency_seconds seconds$' "$T/om" || grep '^# TYPE' "$T/om" | head -3)"
# the same samples in both formats (the 0.0.4 scrape is older: the zeros here do not move)
report om_same_samples "$(diff <(grep -v '^#' "$T/m") <(grep -v '^#' "$T/om") | head -5)"

# bad input: one line each, exit 2, nothing started
expect2() {	# expect2 NAME MESSAGE CMD...
	local name=$1 msg=$2 rc
	shift 2
	"$@" >/dev/null 2>"$T/e2"
	rc=$?
	report "$name" "$([ $rc -eq 2 ] && grep -q -- "$msg" "$T/e2" || echo "exit $rc: $(cat "$T/e2")")"
}
expect2 port_in_use "cannot listen on 127.0.0.1:$port: Address already in use" $DT serve --listen 127.0.0.1:$port
expect2 bad_listen "invalid --listen 'localhost'" $DT serve --listen localhost
expect2 bad_port "invalid port in --listen '127.0.0.1:99999'" $DT serve --listen 127.0.0.1:99999
expect2 bad_by "serve: --by is fs, dev, comm or none" $DT serve --by pid
expect2 no_command "'serve' takes no command" $DT serve -- true
if id nobody >/dev/null 2>&1; then
	chmod o+rx . "$DT" 2>/dev/null
	expect2 not_root "needs root" setpriv --reuid=nobody --regid=nogroup --clear-groups $DT serve --listen 127.0.0.1:0
fi

python3 tests/host/serve_clients.py "$port" "$pid" "$RSS_BOUND_KIB" 2>"$T/clients.log"
sed 's/^/    /' "$T/clients.log" >&2

# SIGTERM and SIGINT: exit 0, every program and link gone
for sig in TERM INT; do
	[ "$sig" = INT ] && { start_serve --listen 127.0.0.1:0 || { bad start_again "$(cat "$T/err")"; continue; }; }
	ids=$(prog_ids $pid)
	kill -$sig $pid
	wait $pid
	rc=$?
	pid=
	# the kernel frees programs after an RCU grace period: give it 3 s
	for _ in $(seq 30); do
		alive=0
		for id in $ids; do
			bpftool prog show id "$id" >/dev/null 2>&1 && alive=$((alive + 1))
		done
		[ $alive -eq 0 ] && break
		sleep 0.1
	done
	report "sig$sig" "$([ $rc -eq 0 ] && [ -n "$ids" ] && [ $alive -eq 0 ] || echo "exit $rc, $(echo $ids | wc -w) programs held, $alive left")"
done
exit 0
