#!/bin/sh
# shell_script.sh: the shell's non-interactive use (make check).
#
# Runs `sluice` as scripts and pipes run it, never on a terminal
# (tests/check_shell.c does that):
#   - exit statuses: 0; 1 when a statement fails (stopping there, or going
#     on with --continue-on-error); 2 for a bad option or an unreachable
#     server;
#   - no banner and no prompt when the standard input is not a terminal;
#   - --output csv and json;
#   - tests/shell/basic.sql run with -a (the transcript) on the embedded
#     engine and, through its HTTP API, on a sluiced started here: both
#     must print tests/shell/basic.out, byte for byte.
set -u

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
bld=${abs_top_builddir:-$(pwd)}
sluice="$bld/sluice${EXEEXT:-}"
sluiced="$bld/sluiced${EXEEXT:-}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shell_script.XXXXXX")
sd_pid=
fail=0

cleanup() {
	if [ -n "$sd_pid" ]; then
		kill "$sd_pid" 2>/dev/null
		wait "$sd_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

for p in "$sluice" "$sluiced"; do
	if [ ! -x "$p" ]; then
		echo "shell_script: $p not built" >&2
		exit 99
	fi
done

bad() {
	echo "FAIL $1" >&2
	fail=1
}

# expect_status NAME STATUS command...: runs command, output in $tmp/out
expect_status() {
	name=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit status $got, expected $want"
		cat "$tmp/out" "$tmp/err" >&2
		return 1
	fi
	echo "ok $name"
}

# expect_same NAME EXPECTED ACTUAL
expect_same() {
	if cmp -s "$2" "$3"; then
		echo "ok $1"
	else
		bad "$1: output differs from $2"
		diff -u "$2" "$3" >&2
	fi
}

# ---- exit statuses ----

expect_status "a statement" 0 "$sluice" -c "SHOW TOPICS;"
expect_status "a failed statement" 1 "$sluice" \
	-c "SELECT nonesuch FROM sluice_processing_log; SHOW TOPICS;" &&
	if grep -q "Kafka Topic" "$tmp/out"; then
		bad "the script went on after the failed statement"
	fi
grep -q '^ERROR: line 1:8: column "NONESUCH" does not exist$' "$tmp/err" ||
	bad "the error is not on stderr"
expect_status "--continue-on-error" 1 "$sluice" --continue-on-error \
	-c "SELECT nonesuch FROM sluice_processing_log; SHOW TOPICS;" &&
	if ! grep -q "Kafka Topic" "$tmp/out"; then
		bad "--continue-on-error did not go on"
	fi
expect_status "-f of a missing file" 1 "$sluice" -f "$tmp/nonesuch.sql"
expect_status "a bad option" 2 "$sluice" --nonesuch
expect_status "a bad --output" 2 "$sluice" --output yaml -c "SHOW TOPICS;"
expect_status "no server there" 2 "$sluice" -c "SHOW TOPICS;" http://127.0.0.1:1

# ---- a pipe: no banner, no prompt ----

printf 'SHOW TOPICS;\n' | "$sluice" >"$tmp/out" 2>&1
cat >"$tmp/want" <<'EOF'
 Kafka Topic           | Partitions | Replicas
-----------------------+------------+----------
 SLUICE_PROCESSING_LOG | 1          | 1
(1 row)
EOF
expect_same "standard input not a terminal" "$tmp/want" "$tmp/out"

# ---- output formats ----

q="CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);
INSERT INTO s VALUES ('a', 1); INSERT INTO s VALUES ('b,c', NULL);
SELECT * FROM s;"
"$sluice" --output csv -c "$q" >"$tmp/out" 2>&1
printf 'Stream created\nInserted one row\nInserted one row\nK,V\na,1\n"b,c",\n' >"$tmp/want"
expect_same "--output csv" "$tmp/want" "$tmp/out"
"$sluice" --output json -c "$q" >"$tmp/out" 2>&1
if ! grep -q '^{"K":"b,c","V":null}$' "$tmp/out" ||
	! grep -q '"@type":	"currentStatus"' "$tmp/out"; then
	bad "--output json"
	cat "$tmp/out" >&2
else
	echo "ok --output json"
fi

# ---- the transcript, embedded and remote ----

cd "$srcdir/tests/shell" || exit 99
"$sluice" -a --continue-on-error -v who=bob -f basic.sql >"$tmp/embedded.out" 2>&1
expect_same "basic.sql embedded" basic.out "$tmp/embedded.out"

"$sluiced" --listen 127.0.0.1:0 >"$tmp/sluiced.log" 2>&1 &
sd_pid=$!
port=
for _ in $(seq 1 300); do
	port=$(sed -n 's|^sluiced: HTTP API on http://127.0.0.1:\([0-9]*\).*|\1|p' "$tmp/sluiced.log")
	[ -n "$port" ] && break
	if ! kill -0 "$sd_pid" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
if [ -z "$port" ]; then
	bad "sluiced did not start"
	cat "$tmp/sluiced.log" >&2
else
	"$sluice" -a --continue-on-error -v who=bob -f basic.sql "http://127.0.0.1:$port" \
		>"$tmp/remote.out" 2>&1
	expect_same "basic.sql remote" basic.out "$tmp/remote.out"
fi

exit $fail
