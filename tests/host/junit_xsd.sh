#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The JUnit XML daxtrace writes validates against tests/schema/junit.xsd,
# hostile strings included; the schema accepts the common format beyond
# ours and rejects broken files (so this test can fail).  Needs make, gcc
# and libxml2-utils (xmllint).
set -u
cd "$(dirname "$0")/../.." || exit 1
XSD=tests/schema/junit.xsd
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

rc=0

ok() { echo "PASS host/$1"; }
bad() { echo "FAIL host/$1: $2"; rc=1; }
report() {	# report NAME WHY: PASS when WHY is empty
	if [ -z "$2" ]; then ok "$1"; else bad "$1" "$2"; fi
}
valid() { xmllint --noout --schema "$XSD" "$1" >"$T/lint.log" 2>&1; }
xpath() { xmllint --xpath "$1" "$2" 2>/dev/null; }

if ! command -v xmllint >/dev/null; then
	bad junit_xsd "no xmllint (apt-get install libxml2-utils)"
	exit 1
fi
if ! make -s build/tests/test_junit >"$T/make.log" 2>&1; then
	bad junit_xsd "build: $(tail -n 3 "$T/make.log")"
	exit 1
fi
mkdir "$T/out" "$T/broken"
build/tests/test_junit --xml "$T/out" || bad junit_xsd "test_junit --xml failed"

# our reports: valid, and the counts agree with the elements
why=
for f in "$T"/out/*.xml; do
	valid "$f" || why+="$(basename "$f"): $(head -c 300 "$T/lint.log"); "
	for what in "testcase:tests" "testcase/failure:failures" "testcase/skipped:skipped"; do
		n=$(xpath "count(//testsuite/${what%%:*})" "$f")
		want=$(xpath "string(//testsuite/@${what##*:})" "$f")
		[ "$n" = "$want" ] || why+="$(basename "$f"): ${what##*:}=\"$want\" but $n elements; "
	done
done
report junit_xsd "$why"

# hostile strings come back as written, but for what XML cannot carry
pic=$'\xe2\x90\x81' repl=$'\xef\xbf\xbd'
want="]]> <tag> & \"q\" 'a' $pic $repl end"
why=
for q in "string(//testsuite/@name)" "string(//testsuite/@hostname)" \
	 "string(//testcase[@name='hostile']/@classname)" \
	 "string(//testcase[@name='hostile']/failure/@message)" \
	 "string(//testcase/skipped/@message)" "string(//testcase[3]/@name)"; do
	got=$(xpath "$q" "$T/out/mixed.xml")
	[ "$got" = "$want" ] || why+="$q is '$got'; "
done
got=$(xpath "string(//testcase[@name='hostile']/failure)" "$T/out/mixed.xml")
[ "$got" = "$want"$'\nline\r\n\ttab' ] || why+="failure text is '$got'; "
report junit_xsd_roundtrip "$why"

# the common format as GitLab and Jenkins document it, beyond what we write
cat >"$T/common.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="all" tests="4" failures="1" errors="1" skipped="1" time="3.5">
  <testsuite name="s" tests="4" failures="1" errors="1" skipped="1" time="3.5"
             timestamp="2024-05-06T07:08:09" hostname="ci" id="0" package="p">
    <properties><property name="kernel" value="6.1"/></properties>
    <testcase name="ok" classname="c" time="0.1" file="t.c" line="12" assertions="3"/>
    <testcase name="bad" classname="c" time="1">
      <failure message="m" type="AssertionError">trace</failure>
      <system-out>out</system-out>
      <system-err>err</system-err>
    </testcase>
    <testcase name="crash" classname="c"><error message="m" type="SIGSEGV"/></testcase>
    <testcase name="later" classname="c"><skipped message="why"/></testcase>
    <system-out>suite out</system-out>
    <system-err>suite err</system-err>
  </testsuite>
</testsuites>
EOF
printf '%s\n' '<?xml version="1.0"?>' '<testsuite name="lone" tests="1">' \
	'<testcase name="t"/>' '</testsuite>' >"$T/lone.xml"
why=
for f in common lone; do
	valid "$T/$f.xml" || why+="$f.xml: $(head -c 300 "$T/lint.log"); "
done
report junit_xsd_accepts_common "$why"

# broken files, each wrong in one way, must all be refused
broken() {	# broken NAME TESTSUITE-BODY [TESTSUITE-ATTRS]
	printf '<?xml version="1.0"?>\n<testsuites>\n<testsuite name="s" tests="1"%s>\n%s\n</testsuite>\n</testsuites>\n' \
		"${3:-}" "$2" >"$T/broken/$1.xml"
}
broken unescaped '<testcase name="a"><failure message="x < y"/></testcase>'
broken raw_control $'<testcase name="a\x01"/>'
broken invalid_utf8 $'<testcase name="a\xff"/>'
broken unclosed '<testcase name="a">'
broken no_name '<testcase classname="c"/>'
broken failure_in_suite '<failure message="m"/>'
broken unknown_element '<testcase name="a"><oops/></testcase>'
broken count_not_number '<testcase name="a"/>' ' failures="one"'
broken decimal_comma '<testcase name="a" time="1,5"/>'
broken negative_time '<testcase name="a" time="-1"/>'
broken bad_timestamp '<testcase name="a"/>' ' timestamp="yesterday"'
printf '<?xml version="1.0"?>\n<testcase name="a"/>\n' >"$T/broken/wrong_root.xml"
why=
for f in "$T"/broken/*.xml; do
	valid "$f" && why+="$(basename "$f" .xml) accepted; "
done
report junit_xsd_rejects_broken "$why"
exit $rc
