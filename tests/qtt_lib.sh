# qtt_lib.sh: what the qtt_*.sh scripts share; sourced by them.
#
# They run sluice-test on ksqlDB's test files, data kept outside the
# repository: $SLUICE_QTT_DIR, else ../shared/qtt beside the source tree.
# When neither exists (a tarball, as in make distcheck) they are skipped
# (exit 77).

# qtt_setup NAME DIR: sets runner (sluice-test), qtt (the test files) and
# out (a scratch file named after NAME); exits 77 when $qtt/DIR is missing
# and 99 when sluice-test is not built.
qtt_setup() {
	srcdir=${srcdir:-$(dirname "$0")/..}
	abs_top_srcdir=${abs_top_srcdir:-$(cd "$srcdir" && pwd)}
	abs_top_builddir=${abs_top_builddir:-$(pwd)}
	runner="$abs_top_builddir/sluice-test${EXEEXT:-}"
	qtt=${SLUICE_QTT_DIR:-$abs_top_srcdir/../shared/qtt}
	out="$abs_top_builddir/tests/$1.out"

	if [ ! -d "$qtt/$2" ]; then
		echo "$1: $qtt/$2 not found (set SLUICE_QTT_DIR); skipped"
		exit 77
	fi
	if [ ! -x "$runner" ]; then
		echo "$1: $runner not built" >&2
		exit 99
	fi
}

# qtt_held NAME DIR LIST: runs sluice-test --qtt on the files of $qtt/DIR
# that hold a case listed in sql-tests/LIST, and exits 1 only when a listed
# case no longer passes.  The other cases of those files run too: their
# failures are shown but do not fail the check, since the list says what
# already works and only grows (docs/testing.md).
qtt_held() {
	name=$1
	dir=$2
	qtt_setup "$name" "$dir"
	passing="$abs_top_srcdir/sql-tests/$3"
	if [ ! -f "$passing" ]; then
		echo "$name: $passing missing" >&2
		exit 1
	fi

	# only the files that hold a listed case: the others cannot fail the check
	set --
	for f in $(grep -v '^#' "$passing" | sed -n 's/^\([^:]*\.json\): .*/\1/p' | sort -u); do
		if [ ! -f "$qtt/$dir/$f" ]; then
			echo "$name: $passing names $f, which is not in $qtt/$dir" >&2
			exit 1
		fi
		set -- "$@" "$qtt/$dir/$f"
	done
	if [ $# -eq 0 ]; then
		echo "$name: $passing lists no case yet; nothing to check"
		exit 0
	fi
	echo "$name: $# files from $qtt/$dir, held to $passing"

	rc=0
	"$runner" --qtt --require-passing "$passing" "$@" >"$out" 2>&1 || rc=$?
	cat "$out"

	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$out" | tail -n 1)
	rm -f "$out"
	if [ -z "$summary" ]; then
		echo "$name: sluice-test printed no closing \"N passed, N failed, N skipped\" line (exit $rc)" >&2
		exit 1
	fi
	if [ "$rc" -ne 0 ]; then
		echo "$name: sluice-test exited $rc: a case of $passing did not pass" >&2
		exit 1
	fi
	exit 0
}
