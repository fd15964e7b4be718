#!/bin/sh
# shell_transcripts.sh: scripts run through the shell, compared with their
# expected transcripts (make check).
#
# Each runs with `sluice --test-mode -a --continue-on-error -f SCRIPT`:
# the embedded engine in sluice-test's deterministic mode, each statement
# echoed before its output.
#
#   - SQL regression scripts: sql-tests/sql/NAME.sql must print
#     sql-tests/expected/NAME.out, so the shell shows the engine's answers
#     exactly as the regression runner does (both print query answers with
#     the shell's table renderer): every engine-mode script, not the
#     parse-mode ones (their output is the parser's canonical text).
#   - the examples: with --demo examples/NAME.sql --demo-events 200 (the
#     example's script, then 200 events from its generator: a fixed seed
#     and fixed event times), tests/examples/NAME.sql must print
#     tests/examples/NAME.out.
set -u

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
bld=${abs_top_builddir:-$(pwd)}
sluice="$bld/sluice${EXEEXT:-}"
out=$(mktemp "${TMPDIR:-/tmp}/shell_transcripts.XXXXXX")
trap 'rm -f "$out"' EXIT
fail=0

if [ ! -x "$sluice" ]; then
	echo "shell_transcripts: $sluice not built" >&2
	exit 99
fi

# run NAME SCRIPT EXPECTED [OPTION...]
run() {
	name=$1 script=$2 expected=$3
	shift 3
	"$sluice" --test-mode -a --continue-on-error "$@" -f "$script" >"$out" 2>&1
	if cmp -s "$expected" "$out"; then
		echo "ok $name"
	else
		echo "FAIL $name"
		diff -u "$expected" "$out"
		fail=1
	fi
}

# paths in the scripts (RUN SCRIPT) are relative to the source tree
cd "$srcdir" || exit 99
for name in engine_ddl engine_statements engine_aggregates engine_queries engine_pull_push \
	engine_joins engine_windowed_tables; do
	run "sql-tests/$name" "sql-tests/sql/$name.sql" "sql-tests/expected/$name.out"
done
for name in quickstart clickstream fraud iot; do
	run "examples/$name" "tests/examples/$name.sql" "tests/examples/$name.out" \
		--demo "examples/$name.sql" --demo-events 200
done
exit $fail
