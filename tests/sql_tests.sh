#!/bin/sh
# sql_tests.sh: runs the SQL regression tests of sql-tests/ (make check).
#
# sluice-test runs each sql-tests/sql/NAME.sql, writes NAME.out into the
# build directory's sql-tests/results and compares it with
# sql-tests/expected/NAME.out in the source directory (read-only here, as in
# make distcheck).  Passes when sluice-test exits 0 and reports at least one
# test passed and none failed.
set -u

srcdir=${srcdir:-$(dirname "$0")/..}
abs_top_builddir=${abs_top_builddir:-$(pwd)}
runner="$abs_top_builddir/sluice-test${EXEEXT:-}"
results="$abs_top_builddir/sql-tests/results"
out="$abs_top_builddir/tests/sql_tests.out"

if [ ! -x "$runner" ]; then
	echo "sql_tests: $runner not built" >&2
	exit 99
fi

rc=0
"$runner" --results-dir "$results" "$srcdir/sql-tests" >"$out" 2>&1 || rc=$?
cat "$out"

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
rm -f "$out"
if [ -z "$summary" ]; then
	echo "sql_tests: sluice-test printed no closing \"N passed, N failed\" line (exit $rc)" >&2
	exit 1
fi
passed=${summary%% passed*}
if [ "$rc" -ne 0 ]; then
	echo "sql_tests: sluice-test exited $rc; results in $results" >&2
	exit 1
fi
if [ "$passed" -eq 0 ]; then
	echo "sql_tests: no regression test ran" >&2
	exit 1
fi
exit 0
