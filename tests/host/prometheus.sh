#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Prometheus rules and the Grafana dashboard of dist/ against the real
# exporter: promtool checks the rules and runs their unit tests; every
# dashboard query parses (promtool, as recording rules); every daxtrace_*
# metric the rules and the dashboard name is one `daxtrace serve` on this
# machine exports.  Needs promtool (prometheus), curl, python3, root.
set -u
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d)
serve=
trap '[ -n "$serve" ] && kill "$serve" 2>/dev/null; rm -rf "$T"' EXIT
RULES=dist/prometheus/daxtrace.rules.yml
DASH=dist/grafana/daxtrace.json

ok() { echo "PASS host/$1"; }
bad() { echo "FAIL host/$1: $2"; }
report() { if [ -z "$2" ]; then ok "$1"; else bad "$1" "$2"; fi; }

for tool in promtool curl python3; do
	command -v $tool >/dev/null || { bad prometheus_deps "no $tool (tests/deps.sh)"; exit 0; }
done

out=$(promtool check rules "$RULES" 2>&1)
report prometheus_rules_check "$([ $? -eq 0 ] || echo "$out")"
out=$(cd dist/prometheus && promtool test rules daxtrace.rules.test.yml 2>&1)
report prometheus_rules_test "$([ $? -eq 0 ] || echo "$out" | tail -n 5)"

# the dashboard: well-formed, and each query as a recording rule for
# promtool, Grafana's variables given values of their kind
python3 - "$DASH" "$T/dash.rules.yml" "$T/dash.exprs" >"$T/dash.err" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
errs, ids, exprs = [], set(), []
if d.get("schemaVersion", 0) < 36:
    errs.append("schemaVersion %s" % d.get("schemaVersion"))
for p in d["panels"]:
    if p["id"] in ids:
        errs.append("panel id %d twice" % p["id"])
    ids.add(p["id"])
    for k in ("x", "y", "w", "h"):
        if k not in p.get("gridPos", {}):
            errs.append("panel %d: no gridPos.%s" % (p["id"], k))
    if p.get("datasource", {}).get("uid") != "${datasource}":
        errs.append("panel %d: datasource %s" % (p["id"], p.get("datasource")))
    if not p.get("targets"):
        errs.append("panel %d (%s): no query" % (p["id"], p["title"]))
    for t in p.get("targets", []):
        exprs.append((p["id"], t["refId"], t["expr"]))
subst = {"$__rate_interval": "5m", "$__range": "1h", "$instance": ".*",
         "$class": ".*"}
with open(sys.argv[2], "w") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for pid, ref, e in exprs:
        for k, v in subst.items():
            e = e.replace(k, v)
        if "$" in e:
            errs.append("panel %d: unknown variable in %s" % (pid, e))
        f.write("      - record: dashboard:panel%d_%s\n        expr: %s\n" %
                (pid, ref, json.dumps(e)))
open(sys.argv[3], "w").write("\n".join(e for _, _, e in exprs) + "\n")
if errs:
    print("; ".join(errs))
    sys.exit(1)
print(len(d["panels"]), "panels,", len(exprs), "queries")
PY
if [ $? -eq 0 ]; then
	report grafana_dashboard ""
	echo "# dashboard: $(cat "$T/dash.err")"
	out=$(promtool check rules "$T/dash.rules.yml" 2>&1)
	report grafana_queries_parse "$([ $? -eq 0 ] || echo "$out" | tail -n 5)"
else
	report grafana_dashboard "$(cat "$T/dash.err")"
fi

# what serve exports here: every sample name of one scrape
./daxtrace serve --listen 127.0.0.1:0 2>"$T/serve.err" &
serve=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$T/serve.err" | head -n 1)
	[ -n "$port" ] && break
	sleep 0.1
done
if [ -z "$port" ] || ! curl -sf "http://127.0.0.1:$port/metrics" >"$T/metrics"; then
	bad prometheus_metric_names "serve did not answer: $(head -c 300 "$T/serve.err")"
	exit 0
fi
# ... and what its writer gives in exact mode with every class counted
# (this host may have no DAX and no kprobes: no violations series then)
if ! build/tests/metrics_names >"$T/metrics.exact"; then
	bad prometheus_metric_names "build/tests/metrics_names failed (make test builds it)"
	exit 0
fi
# recording rules' own names (level:daxtrace_...:operation) are not serve's
missing=$(python3 - "$T/metrics" "$T/metrics.exact" "$RULES" "$T/dash.exprs" <<'PY'
import re, sys
names = {l.split("{")[0].split()[0] for f in sys.argv[1:3] for l in open(f)
         if l.strip() and not l.startswith("#")}
used = set()
for f in sys.argv[3:]:
    text = re.sub(r"[a-z_]+:daxtrace_[a-z_]+:[a-z0-9_]+", "", open(f).read())
    used |= set(re.findall(r"\bdaxtrace_[a-z_]+\b", text))
print(" ".join(sorted(used - names)))
PY
)
report prometheus_metric_names "$([ -z "$missing" ] || echo "named but not exported by serve: $missing")"
exit 0
