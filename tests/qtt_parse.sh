#!/bin/sh
# qtt_parse.sh: checks that every statement of ksqlDB's query-validation
# test files parses, and that its canonical text parses back to the same
# tree (sluice-test --parse-only), as part of make check.
#
# qtt_lib.sh says where the files are and when the test is skipped.
set -u
. "$(dirname "$0")/qtt_lib.sh"
qtt_setup qtt_parse ""

set --
for f in "$qtt"/query-validation-tests/*.json "$qtt"/rest-query-validation-tests/*.json; do
	[ -f "$f" ] && set -- "$@" "$f"
done
if [ $# -eq 0 ]; then
	echo "qtt_parse: no *.json files under $qtt/query-validation-tests or $qtt/rest-query-validation-tests" >&2
	exit 1
fi
echo "qtt_parse: $# files from $qtt"

rc=0
"$runner" --parse-only "$@" >"$out" 2>&1 || rc=$?
cat "$out"

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
rm -f "$out"
if [ -z "$summary" ]; then
	echo "qtt_parse: sluice-test printed no closing \"N passed, N failed\" line (exit $rc)" >&2
	exit 1
fi
passed=${summary%% passed*}
if [ "$rc" -ne 0 ]; then
	echo "qtt_parse: sluice-test exited $rc" >&2
	exit 1
fi
if [ "$passed" -eq 0 ]; then
	echo "qtt_parse: no statement was checked" >&2
	exit 1
fi
exit 0
