#!/bin/sh
# qtt_engine.sh: runs ksqlDB's query-validation test cases on the engine
# (sluice-test --qtt) as part of make check, and fails only when a case
# listed in sql-tests/qtt-passing.txt no longer passes.  Only the files
# holding a listed case are run; their other failures are shown but do not
# fail the check: the list says what already works, and only grows
# (docs/testing.md).
#
# The test files are data kept outside the repository: $SLUICE_QTT_DIR,
# else ../shared/qtt beside the source tree.  When neither exists (a
# tarball, as in make distcheck) the test is skipped (exit 77).
set -u

srcdir=${srcdir:-$(dirname "$0")/..}
abs_top_srcdir=${abs_top_srcdir:-$(cd "$srcdir" && pwd)}
abs_top_builddir=${abs_top_builddir:-$(pwd)}
runner="$abs_top_builddir/sluice-test${EXEEXT:-}"
qtt=${SLUICE_QTT_DIR:-$abs_top_srcdir/../shared/qtt}
passing="$abs_top_srcdir/sql-tests/qtt-passing.txt"
out="$abs_top_builddir/tests/qtt_engine.out"

if [ ! -d "$qtt/query-validation-tests" ]; then
	echo "qtt_engine: $qtt/query-validation-tests not found (set SLUICE_QTT_DIR); skipped"
	exit 77
fi
if [ ! -x "$runner" ]; then
	echo "qtt_engine: $runner not built" >&2
	exit 99
fi
if [ ! -f "$passing" ]; then
	echo "qtt_engine: $passing missing" >&2
	exit 1
fi

# only the files that hold a listed case: the others cannot fail the check
set --
for name in $(grep -v '^#' "$passing" | sed -n 's/^\([^:]*\.json\): .*/\1/p' | sort -u); do
	f="$qtt/query-validation-tests/$name"
	if [ ! -f "$f" ]; then
		echo "qtt_engine: $passing names $name, which is not in $qtt/query-validation-tests" >&2
		exit 1
	fi
	set -- "$@" "$f"
done
if [ $# -eq 0 ]; then
	echo "qtt_engine: $passing lists no case yet; nothing to check"
	exit 0
fi
echo "qtt_engine: $# files from $qtt, held to $passing"

rc=0
"$runner" --qtt --require-passing "$passing" "$@" >"$out" 2>&1 || rc=$?
cat "$out"

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$out" | tail -n 1)
rm -f "$out"
if [ -z "$summary" ]; then
	echo "qtt_engine: sluice-test printed no closing \"N passed, N failed, N skipped\" line (exit $rc)" >&2
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	echo "qtt_engine: sluice-test exited $rc: a case of $passing did not pass" >&2
	exit 1
fi
exit 0
