#!/bin/sh
# join_crash_restart.sh: exactly-once join state across kill -9.
#
# sluice-kafka runs as its own process, so the topics outlive sluiced.  One
# persistent query joins two streams, L and R, WITHIN 100 ms (event time
# from the TS column) and counts the matches per key in the same query:
#   CREATE TABLE pairs AS SELECT l.k, COUNT(*) AS n, SUM(l.v * r.v) AS s
#     FROM l JOIN r WITHIN 100 MILLISECONDS ON l.k = r.k GROUP BY l.k;
# A producer writes events to both topics in small batches the whole time
# while the test kills sluiced with SIGKILL five times at random moments
# and starts it again on the same state directory.  The join's window
# stores, the aggregation and the input offsets of both topics commit in
# one SQLite transaction, so the table must end up with exactly the pairs
# of the input: no match lost (a record forgotten by the window store),
# none counted twice (a record replayed into a store that kept it).  The
# expected pairs are computed here from the input.
#
# Needs kcat and sqlite3 (contrib/install-deps.sh installs both); exits 77
# (skip) without them.  Bounded: every wait has a deadline.  Everything
# listens on 127.0.0.1.
set -eu

BUILD=${BUILD:-${abs_top_builddir:-.}}
SLUICED=$BUILD/sluiced
KAFKA=$BUILD/sluice-kafka
command -v kcat >/dev/null 2>&1 || { echo "kcat not installed: skip"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-joincrash.XXXXXX")
KPID=""
SPID=""
PPID_=""
cleanup() {
	[ -n "$PPID_" ] && kill "$PPID_" 2>/dev/null || true
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null || true
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

fail() {
	echo "FAIL: $*"
	for f in "$WORK"/sluiced.*.log; do
		[ -f "$f" ] || continue
		echo "--- $(basename "$f") (last 15 lines):"
		tail -15 "$f"
	done
	exit 1
}

# a mock cluster in another process cannot create topics through the Admin
# API (librdkafka 2.0): sluice-kafka creates them at start
"$KAFKA" --port-file "$WORK/port" --topic l:2 --topic r:3 --topic PAIRS:2 \
	--topic SLUICE_PROCESSING_LOG:1 >"$WORK/kafka.log" 2>&1 &
KPID=$!
i=0
while [ ! -s "$WORK/port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "sluice-kafka did not start"
	sleep 0.1
done
BS=$(cat "$WORK/port")
case $BS in 127.0.0.1:*) ;; *) fail "unexpected bootstrap address $BS" ;; esac

cat >"$WORK/queries.sql" <<'SQL'
CREATE STREAM IF NOT EXISTS l (k VARCHAR KEY, v BIGINT, ts BIGINT) WITH (kafka_topic='l', value_format='JSON', partitions=2, timestamp='ts');
CREATE STREAM IF NOT EXISTS r (k VARCHAR KEY, v BIGINT, ts BIGINT) WITH (kafka_topic='r', value_format='JSON', partitions=3, timestamp='ts');
CREATE TABLE IF NOT EXISTS pairs AS SELECT l.k, COUNT(*) AS n, SUM(l.v * r.v) AS s FROM l JOIN r WITHIN 100 MILLISECONDS ON l.k = r.k GROUP BY l.k;
SQL

start_sluiced() {
	"$SLUICED" --bootstrap-servers "$BS" --state-dir "$WORK/state" \
		--queries-file "$WORK/queries.sql" --listen 127.0.0.1:0 \
		--set auto.offset.reset=earliest --set commit.interval.ms=100 \
		>"$WORK/sluiced.$1.log" 2>&1 &
	SPID=$!
}

# produce FIRST LAST: events FIRST..LAST; event n goes to l when n is odd,
# to r when even, with key "k<n mod 7>", v = n mod 11 - 5 and event time
# 10 * n ms; appended to $WORK/input (topic|key|v|ts) once written.
produce() {
	awk -v a="$1" -v b="$2" -v w="$WORK" 'BEGIN {
		for (n = a; n <= b; n++) {
			t = n % 2 ? "l" : "r"
			printf "k%d:{\"V\":%d,\"TS\":%d}\n", n % 7, n % 11 - 5, 10 * n > (w "/batch." t)
			printf "%s|k%d|%d|%d\n", t, n % 7, n % 11 - 5, 10 * n > (w "/batch.log")
		}
	}'
	kcat -P -b "$BS" -t l -K: -q <"$WORK/batch.l" 2>>"$WORK/kcat.log" || return 1
	kcat -P -b "$BS" -t r -K: -q <"$WORK/batch.r" 2>>"$WORK/kcat.log" || return 1
	cat "$WORK/batch.log" >>"$WORK/input"
	rm -f "$WORK/batch.l" "$WORK/batch.r" "$WORK/batch.log"
}

random_sleep() {
	sleep "$(od -An -N2 -tu2 /dev/urandom | awk -v m="$1" '{ printf "%.2f", ($1 % (m + 1)) / 100 }')"
}

BATCHES=40
PER=100
TOTAL=$((BATCHES * PER))
: >"$WORK/input"
(
	b=0
	while [ $b -lt $BATCHES ]; do
		produce $((b * PER + 1)) $((b * PER + PER)) || { echo "kcat could not produce" >"$WORK/producer.err"; exit 1; }
		b=$((b + 1))
		sleep 0.05
	done
) &
PPID_=$!

ROUNDS=5
start_sluiced 0
i=0
while ! grep -q 'sluiced: running' "$WORK/sluiced.0.log"; do
	i=$((i + 1))
	[ $i -gt 300 ] && fail "sluiced did not start within 30 s"
	kill -0 "$SPID" 2>/dev/null || fail "sluiced exited at start-up"
	sleep 0.1
done
r=1
while [ $r -le $ROUNDS ]; do
	random_sleep 100
	kill -9 "$SPID" 2>/dev/null || fail "sluiced died on its own in round $r"
	wait "$SPID" 2>/dev/null || true
	random_sleep 30
	start_sluiced $r
	r=$((r + 1))
done
wait $PPID_ || fail "$(cat "$WORK/producer.err" 2>/dev/null)"
PPID_=""
[ "$(wc -l <"$WORK/input")" -eq "$TOTAL" ] || fail "the input log does not hold $TOTAL events"

# expected: every (l, r) pair of a key at most 100 ms apart
awk -F'|' '$1 == "l" { lk[NR] = $2; lv[NR] = $3; lt[NR] = $4 }
	$1 == "r" { rk[NR] = $2; rv[NR] = $3; rt[NR] = $4 }
	END {
		for (i in lk) for (j in rk)
			if (lk[i] == rk[j] && lt[i] - rt[j] <= 100 && rt[j] - lt[i] <= 100) {
				n[lk[i]]++; s[lk[i]] += lv[i] * rv[j]
			}
		for (k in n) printf "%s|%d|%d\n", k, n[k], s[k]
	}' "$WORK/input" | sort >"$WORK/expected"
PAIRS=$(awk -F'|' '{ s += $2 } END { print s }' "$WORK/expected")

DB=
deadline=$(($(date +%s) + 60))
while :; do
	kill -0 "$SPID" 2>/dev/null || fail "the restarted sluiced exited"
	[ -n "$DB" ] || DB=$(ls "$WORK"/state/CTAS_PAIRS_*.db 2>/dev/null | head -n 1)
	if [ -n "$DB" ]; then
		got=$(sqlite3 -readonly "$DB" 'SELECT coalesce(sum(N), 0) FROM PAIRS' 2>/dev/null || echo 0)
		[ "$got" -ge "$PAIRS" ] && break
	else
		got="no database"
	fi
	[ "$(date +%s)" -gt $deadline ] && fail "sluiced did not catch up: sum(N) = $got of $PAIRS"
	sleep 0.2
done
# a little longer: a count past the expected one would show here
sleep 0.5
kill -TERM "$SPID"
i=0
while kill -0 "$SPID" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 150 ] && fail "sluiced did not stop within 15 s of SIGTERM"
	sleep 0.1
done
wait "$SPID" 2>/dev/null || fail "sluiced exited with status $? after SIGTERM"
SPID=""

q() { sqlite3 "$DB" "$1" 2>&1 || fail "sqlite3: $1"; }
q "SELECT L_K || '|' || N || '|' || S FROM PAIRS" | sort >"$WORK/table"
cmp -s "$WORK/expected" "$WORK/table" ||
	fail "per-key join counts differ (< expected, > table):
$(diff "$WORK/expected" "$WORK/table" | head -20)"

echo "join_crash_restart: $TOTAL events on two topics, $PAIRS matches over" \
	"$(wc -l <"$WORK/expected") keys, $ROUNDS kill -9 restarts: every count and sum exact"
echo "1 passed, 0 failed"
