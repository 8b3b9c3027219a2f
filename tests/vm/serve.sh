#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host's real Prometheus scrapes `daxtrace serve` in the test VM
# through a QEMU port forward on 127.0.0.1, while read_then_write runs on
# ext4 and xfs; Prometheus's HTTP API must then give exactly the
# scenario's counts, per fs, and a latency histogram whose _count is the
# timed faults.  Prints PASS/FAIL serve/KERNEL/... lines.
#
# Run it under the VM lock, like every VM run on a shared machine:
#   flock /tmp/daxtrace-vm.lock tests/vm/serve.sh
# Environment: KERNEL (7.2), FILESYSTEMS ("ext4 xfs"), VM_TIMEOUT (900).
# Needs prometheus and curl besides the VM's tools.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/vm/common.sh
KERNEL=${KERNEL:-7.2}
FILESYSTEMS=${FILESYSTEMS:-ext4 xfs}
export DAXTRACE_VM_KERNEL=$KERNEL
VM=build/vm-serve-$KERNEL
GUEST_PORT=10037
GO_GUEST_PORT=10038
CLASSES="write read hole ro_upgrade zero_upgrade cow two_step pfn_mismatch error fallback other retry"
PAGES_16M=4096
failed=0
prom=
boot=

ok() { echo "PASS serve/$KERNEL/$1"; }
bad() { echo "FAIL serve/$KERNEL/$1: $2"; failed=1; }
report() { if [ -z "$2" ]; then ok "$1"; else bad "$1" "$2"; fi; }
cleanup() {
	[ -n "$prom" ] && kill "$prom" 2>/dev/null && wait "$prom" 2>/dev/null
	[ -n "$boot" ] && kill "$boot" 2>/dev/null && wait "$boot" 2>/dev/null
}
trap cleanup EXIT

for tool in prometheus curl python3; do
	command -v $tool >/dev/null || { bad deps "no $tool (tests/deps.sh)"; exit 1; }
done
kernel_field "$KERNEL" dist >/dev/null || { bad kernel "unknown KERNEL '$KERNEL'"; exit 1; }
vma_lock=$(kernel_field "$KERNEL" vma_lock)

# three free ports of 127.0.0.1: the forward to serve, the go signal, Prometheus
read -r HOST_PORT GO_PORT PROM_PORT < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

rm -rf "$VM"
mkdir -p "$VM/payload/workloads" "$VM/prom"
cp daxtrace "$VM/payload/"
cp tests/vm/guest-serve.sh "$VM/payload/guest-run.sh"
cp build/tests/workloads/read_then_write "$VM/payload/workloads/"
tests/kmod/build.sh "$KERNEL" "$VM/payload/kmod" >"$VM/kmod.log" 2>&1 ||
	bad kmod "tests/kmod/build.sh failed: $(tail -n 1 "$VM/kmod.log")"
cat >"$VM/payload/env" <<ENV
FILESYSTEMS='$FILESYSTEMS'
SERVE_PORT=$GUEST_PORT
GO_PORT=$GO_GUEST_PORT
ENV
if ! DAXTRACE_VM_EXTRA_MODULES="virtio_pci? virtio_net" \
	tests/vm/mkimage.sh "$VM/image" "$VM/payload" >"$VM/mkimage.log" 2>&1; then
	bad image "mkimage failed: $(tail -n 5 "$VM/mkimage.log")"
	exit 1
fi

cat >"$VM/prom/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: daxtrace
    static_configs:
      - targets: ['127.0.0.1:$HOST_PORT']
YML
prometheus --config.file="$VM/prom/prometheus.yml" --storage.tsdb.path="$VM/prom/data" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$VM/prom/log" 2>&1 &
prom=$!
API=http://127.0.0.1:$PROM_PORT/api/v1
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && break
	sleep 0.2
done
curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null ||
	{ bad prometheus "not ready: $(tail -n 3 "$VM/prom/log")"; exit 1; }

# query EXPR: the value of an instant query's single result ("" if none)
query() {
	curl -sG "$API/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)
res = r.get("data", {}).get("result", [])
print(res[0]["value"][1] if r.get("status") == "success" and len(res) == 1 else "")'
}

# two regions apart (touching ones merge into one device): ext4 on
# /dev/pmem0, xfs on /dev/pmem1
DAXTRACE_VM_HOSTFWD="$HOST_PORT:$GUEST_PORT,$GO_PORT:$GO_GUEST_PORT" \
DAXTRACE_VM_PMEM='512M!1G 512M!2G' DAXTRACE_VM_MEM=3G \
	tests/vm/boot.sh "$VM/image" "$VM/results.txt" "$VM/console.log" "${VM_TIMEOUT:-900}" \
	>"$VM/boot.log" 2>&1 &
boot=$!
seen() { tr -d '\r' 2>/dev/null <"$VM/results.txt" | grep -q "$1"; }
until seen '^@@SERVE-DONE' || seen '^@@SERVE-ERROR' || seen '^@@GUEST-EXIT'; do
	kill -0 $boot 2>/dev/null || break
	sleep 1
done
if ! seen '^@@SERVE-DONE'; then
	wait $boot
	bad boot "no @@SERVE-DONE (boot.sh exit $?): $(tr -d '\r' <"$VM/results.txt" | grep '^@@SERVE' | head -3)$(tail -n 5 "$VM/boot.log")"
	exit 1
fi
done_at=$(date +%s.%N)
for fs in $FILESYSTEMS; do
	report "$fs/workload" "$(seen "^@@SERVE-WORKLOAD $fs 0" || echo "read_then_write failed")"
	report "$fs/control_workload" "$(seen "^@@SERVE-CONTROL $fs 0" || echo "read_then_write under the module failed: $(tr -d '\r' <"$VM/results.txt" | grep '^@@SERVE-CONTROL' | head -n 1)")"
done
injected=$(tr -d '\r' <"$VM/results.txt" | sed -n 's/^@@KMOD dt_two_step injected \([0-9]*\)$/\1/p')
nfs=$(echo $FILESYSTEMS | wc -w)
report control_injected "$([ "$injected" = $((PAGES_16M * nfs)) ] || echo "the module injected '$injected', want $((PAGES_16M * nfs))")"
# a scrape that started after the workloads ended holds their counts
fresh=
for _ in $(seq 60); do
	t=$(query 'timestamp(daxtrace_build_info)')
	if [ -n "$t" ] && python3 -c "import sys; sys.exit(not float('$t') > $done_at + 1)"; then
		fresh=$t
		break
	fi
	sleep 1
done
report scraped "$([ -n "$fresh" ] || echo "no scrape after the workload within 60 s: up=$(query 'up')")"
report fidelity "$([ "$(query 'daxtrace_fidelity_info{fidelity="exact"}')" = 1 ] || echo "not exact: $(curl -sG "$API/query" --data-urlencode 'query=daxtrace_fidelity_info')")"

# exact counts per fs: the plain run's read and ro_upgrade 4096 each, the
# control's read and two_step 4096 each; retry 4096 per upgrade (both
# runs) on ext4 where the kernel first tries faults under the per-VMA
# lock (wp_pfn_shared() asks vmf_can_call_fault() before ->pfn_mkwrite);
# all else 0
for fs in $FILESYSTEMS; do
	errs=
	nonzero=
	for c in $CLASSES; do
		want=0
		case $c in read) want=$((2 * PAGES_16M)) ;; ro_upgrade | two_step) want=$PAGES_16M ;; esac
		[ "$c" = retry ] && [ "$fs" = ext4 ] && [ "$vma_lock" = yes ] && want=$((2 * PAGES_16M))
		got=$(query "sum(daxtrace_faults_total{class=\"$c\",fs=\"/mnt/$fs\"})")
		[ "$got" = "$want" ] || errs="$errs $c=$got (want $want)"
		[ "$got" = 0 ] || nonzero="$nonzero $c=$got"
	done
	echo "# Prometheus: sum(daxtrace_faults_total{fs=\"/mnt/$fs\"}) by class, not 0:$nonzero" >&2
	report "$fs/read_then_write_and_control" "$errs"
	got=$(query "sum(daxtrace_faults_total{fs=\"/mnt/$fs\",size=\"pmd\"})")
	report "$fs/no_pmd" "$([ "$got" = 0 ] || echo "pmd faults: $got")"
done
# the violations: every two-step upgrade the module made, nothing else
got=$(query 'daxtrace_violations_total')
report control_violations "$([ "$got" = "$injected" ] || echo "daxtrace_violations_total '$got', the module injected '$injected'")"
got=$(query 'sum(daxtrace_pfn_mismatches_total)')
report control_no_mismatch "$([ "$got" = 0 ] || echo "pfn mismatches: $got")"
# the histogram: _count = +Inf = the class's timed faults over both fs; and
# every fault is in it or untimed.  A two-step upgrade reaches no DAX
# fault: untimed, every one.
errs=
for c in read ro_upgrade two_step; do
	case $c in
	read) want=$((2 * PAGES_16M * nfs)) want_unt=0 ;;
	ro_upgrade) want=$((PAGES_16M * nfs)) want_unt=0 ;;
	two_step) want=0 want_unt=$((PAGES_16M * nfs)) ;;
	esac
	cnt=$(query "daxtrace_fault_latency_seconds_count{class=\"$c\"}")
	inf=$(query "daxtrace_fault_latency_seconds_bucket{class=\"$c\",le=\"+Inf\"}")
	unt=$(query "daxtrace_untimed_faults_total{class=\"$c\"}")
	echo "# Prometheus: $c _count $cnt, +Inf $inf, untimed $unt" >&2
	[ "$cnt" = "$want" ] && [ "$inf" = "$want" ] && [ "$unt" = "$want_unt" ] ||
		errs="$errs $c: _count $cnt, +Inf $inf, untimed $unt (want $want, $want, $want_unt)"
done
for c in $CLASSES; do
	v=$(query "sum(daxtrace_faults_total{class=\"$c\"}) - on() (daxtrace_fault_latency_seconds_count{class=\"$c\"} + on() daxtrace_untimed_faults_total{class=\"$c\"})")
	[ "$v" = 0 ] || errs="$errs $c: faults - (_count + untimed) = '$v'"
done
report histogram_count "$errs"
# buckets cumulative: no le whose count drops below the one before
drops=$(curl -sG "$API/query" --data-urlencode 'query=daxtrace_fault_latency_seconds_bucket' | python3 -c '
import json, sys
by = {}
for r in json.load(sys.stdin)["data"]["result"]:
    le = r["metric"]["le"]
    by.setdefault(r["metric"]["class"], []).append((float(le), int(r["value"][1])))
for c, b in by.items():
    b.sort()
    if len(b) != 32 or any(b[i][1] > b[i + 1][1] for i in range(31)):
        print(c, b)')
report histogram_buckets "$drops"
# the scrape itself, through the forward, passes promtool
if command -v promtool >/dev/null; then
	lint=$(curl -s "http://127.0.0.1:$HOST_PORT/metrics" | promtool check metrics 2>&1)
	report promtool "$([ $? -eq 0 ] || echo "$lint")"
fi

# let the guest go on: SIGTERM to serve, which must exit 0
exec 3<>/dev/tcp/127.0.0.1/$GO_PORT && exec 3>&-
wait $boot
rc=$?
boot=
report sigterm "$(tr -d '\r' <"$VM/results.txt" | grep -q '^@@SERVE-EXIT 0' && [ $rc -eq 0 ] ||
	echo "boot.sh $rc; $(tr -d '\r' <"$VM/results.txt" | grep -E '^@@(SERVE|STDERR)' | tail -n 5)")"
exit $failed
