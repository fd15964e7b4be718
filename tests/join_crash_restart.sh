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

NAME=joincrash
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/crash_lib.sh"

start_kafka l:2 r:3 PAIRS:2

cat >"$WORK/queries.sql" <<'SQL'
CREATE STREAM IF NOT EXISTS l (k VARCHAR KEY, v BIGINT, ts BIGINT) WITH (kafka_topic='l', value_format='JSON', partitions=2, timestamp='ts');
CREATE STREAM IF NOT EXISTS r (k VARCHAR KEY, v BIGINT, ts BIGINT) WITH (kafka_topic='r', value_format='JSON', partitions=3, timestamp='ts');
CREATE TABLE IF NOT EXISTS pairs AS SELECT l.k, COUNT(*) AS n, SUM(l.v * r.v) AS s FROM l JOIN r WITHIN 100 MILLISECONDS ON l.k = r.k GROUP BY l.k;
SQL

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

ROUNDS=5
produce_while_killing 40 100 $ROUNDS 100
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

wait_db "$WORK/state/CTAS_PAIRS_*.db" 'SELECT coalesce(sum(N), 0) FROM PAIRS' "$PAIRS"
# a little longer: a count past the expected one would show here
sleep 0.5
stop_sluiced

q() { sqlite3 "$DB" "$1" 2>&1 || fail "sqlite3: $1"; }
q "SELECT L_K || '|' || N || '|' || S FROM PAIRS" | sort >"$WORK/table"
cmp -s "$WORK/expected" "$WORK/table" ||
	fail "per-key join counts differ (< expected, > table):
$(diff "$WORK/expected" "$WORK/table" | head -20)"

echo "join_crash_restart: $TOTAL events on two topics, $PAIRS matches over" \
	"$(wc -l <"$WORK/expected") keys, $ROUNDS kill -9 restarts: every count and sum exact"
echo "1 passed, 0 failed"
