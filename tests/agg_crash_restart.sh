#!/bin/sh
# agg_crash_restart.sh: exactly-once aggregation state across kill -9.
#
# sluice-kafka runs as its own process, so the topics outlive sluiced.  A
# CREATE TABLE AS SELECT counts and sums the events per key.  A producer
# writes events in small batches the whole time while the test kills
# sluiced with SIGKILL five times, at random moments (while it reads,
# aggregates, commits, or is still starting and restoring its state), and
# starts it again on the same state directory after a random pause (so
# events also arrive while it is down).  State and input offsets commit
# together, so however often it is killed, the table must end up with
# exactly the counts and sums of the input: no event lost, none counted
# twice.  At the end the last incarnation catches up and is stopped with
# SIGTERM, and the test checks, against the values computed here from the
# input:
#   - the SQLite table TOTALS: one row per distinct key, sum(N) = events,
#     sum(S) = sum of every v, and (N, S) of every key;
#   - the output topic TOTALS: the last value of every key equals the table.
#
# Needs kcat and sqlite3 (contrib/install-deps.sh installs both); exits 77
# (skip) without them.  Bounded: about 10 s (also with sanitizers); every
# wait has a deadline.  Everything listens on 127.0.0.1.
set -eu

NAME=aggcrash
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/crash_lib.sh"

start_kafka events:4 TOTALS:4

cat >"$WORK/queries.sql" <<'SQL'
CREATE STREAM IF NOT EXISTS events (k VARCHAR KEY, v BIGINT) WITH (kafka_topic='events', value_format='JSON', partitions=4);
CREATE TABLE IF NOT EXISTS totals AS SELECT k, COUNT(*) AS n, SUM(v) AS s FROM events GROUP BY k;
SQL

# produce FIRST LAST: events FIRST..LAST, key "k<n*7 mod 53>", value
# {"V": v} with v in -100..100 (a mix of signs, so that a sum counted
# twice or lost cannot cancel out by chance); appended to $WORK/input once
# written, from which the expected results are computed.
produce() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		for (n = a; n <= b; n++)
			printf "k%d:{\"V\":%d}\n", (n * 7) % 53, (n * 37) % 201 - 100
	}' >"$WORK/batch"
	kcat -P -b "$BS" -t events -K: -q <"$WORK/batch" 2>>"$WORK/kcat.log" || return 1
	cat "$WORK/batch" >>"$WORK/input"
}

ROUNDS=5
produce_while_killing 50 200 $ROUNDS 120

# expected: per key, the count and the sum of v
awk -F: '{ v = $3; sub(/}.*/, "", v); n[$1]++; s[$1] += v }
	END { for (k in n) printf "%s|%d|%d\n", k, n[k], s[k] }' "$WORK/input" |
	sort >"$WORK/expected"
KEYS=$(wc -l <"$WORK/expected")
SUMV=$(awk -F'|' '{ s += $3 } END { print s }' "$WORK/expected")
[ "$(wc -l <"$WORK/input")" -eq "$TOTAL" ] || fail "the input log does not hold $TOTAL events"

# wait until the last incarnation has counted every event (sum(N) reaches
# TOTAL; it can only overshoot if events are counted twice, which the checks
# below catch), reading the table next to the running server (WAL mode)
wait_db "$WORK/state/CTAS_TOTALS_*.db" 'SELECT coalesce(sum(N), 0) FROM TOTALS' "$TOTAL"
stop_sluiced
created=$(grep -l "Created query with ID" "$WORK"/sluiced.*.log | wc -l)
[ "$created" -eq 1 ] ||
	fail "the CTAS was created by $created incarnations, expected 1 (restarts restore it)"

# the table
q() { sqlite3 "$DB" "$1" 2>&1 || fail "sqlite3: $1"; }
rows=$(q 'SELECT count(*) FROM TOTALS')
[ "$rows" -eq "$KEYS" ] || fail "TOTALS has $rows rows, expected $KEYS (distinct keys)"
n=$(q 'SELECT sum(N) FROM TOTALS')
[ "$n" -eq "$TOTAL" ] || fail "sum(N) = $n, expected $TOTAL (events)"
s=$(q 'SELECT sum(S) FROM TOTALS')
[ "$s" -eq "$SUMV" ] || fail "sum(S) = $s, expected $SUMV (sum of v)"
q "SELECT K || '|' || N || '|' || S FROM TOTALS" | sort >"$WORK/table"
cmp -s "$WORK/expected" "$WORK/table" ||
	fail "per-key results differ (< expected, > table):
$(diff "$WORK/expected" "$WORK/table" | head -20)"

# the output topic: the last value of each key, e.g. k3 {"N":12,"S":-40}
kcat -C -b "$BS" -t TOTALS -o beginning -e -q -f '%k|%s\n' 2>>"$WORK/kcat.log" >"$WORK/topic" ||
	fail "kcat could not read TOTALS"
awk -F'|' '{
	n = $2; sub(/.*"N":/, "", n); sub(/[,}].*/, "", n)
	s = $2; sub(/.*"S":/, "", s); sub(/[,}].*/, "", s)
	last[$1] = $1 "|" n "|" s
} END { for (k in last) print last[k] }' "$WORK/topic" | sort >"$WORK/topic.last"
cmp -s "$WORK/table" "$WORK/topic.last" ||
	fail "the last value per key in the topic TOTALS differs from the table (< table, > topic):
$(diff "$WORK/table" "$WORK/topic.last" | head -20)"

echo "agg_crash_restart: $TOTAL events over $KEYS keys, $ROUNDS kill -9 restarts:" \
	"every count and sum exact; TOTALS topic ($(wc -l <"$WORK/topic") records) ends at the table"
echo "1 passed, 0 failed"
