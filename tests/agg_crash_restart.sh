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

BUILD=${BUILD:-${abs_top_builddir:-.}}
SLUICED=$BUILD/sluiced
KAFKA=$BUILD/sluice-kafka
command -v kcat >/dev/null 2>&1 || { echo "kcat not installed: skip"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-aggcrash.XXXXXX")
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
"$KAFKA" --port-file "$WORK/port" --topic events:4 --topic TOTALS:4 \
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
CREATE STREAM IF NOT EXISTS events (k VARCHAR KEY, v BIGINT) WITH (kafka_topic='events', value_format='JSON', partitions=4);
CREATE TABLE IF NOT EXISTS totals AS SELECT k, COUNT(*) AS n, SUM(v) AS s FROM events GROUP BY k;
SQL

# A short commit interval: many commits per round, so that the kills fall
# between, and in the middle of, commits of state and offsets.
start_sluiced() {
	"$SLUICED" --bootstrap-servers "$BS" --state-dir "$WORK/state" \
		--queries-file "$WORK/queries.sql" --listen 127.0.0.1:0 \
		--set auto.offset.reset=earliest --set commit.interval.ms=100 \
		>"$WORK/sluiced.$1.log" 2>&1 &
	SPID=$!
}

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

# random_sleep MAX: 0 to MAX/100 s, in steps of 10 ms
random_sleep() {
	sleep "$(od -An -N2 -tu2 /dev/urandom | awk -v m="$1" '{ printf "%.2f", ($1 % (m + 1)) / 100 }')"
}

# The producer writes BATCHES batches of PER events, about 10 a second,
# for the whole of the kills, so that sluiced is killed while it reads,
# aggregates and commits (and also while it starts, or restores its
# state), and events also arrive while it is down.
BATCHES=50
PER=200
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
# the first incarnation creates the stream and the query before the kills
# start (later ones are also killed while they start and restore)
i=0
while ! grep -q 'sluiced: running' "$WORK/sluiced.0.log"; do
	i=$((i + 1))
	[ $i -gt 300 ] && fail "sluiced did not start within 30 s"
	kill -0 "$SPID" 2>/dev/null || fail "sluiced exited at start-up"
	sleep 0.1
done
r=1
while [ $r -le $ROUNDS ]; do
	random_sleep 120
	kill -9 "$SPID" 2>/dev/null || fail "sluiced died on its own in round $r"
	wait "$SPID" 2>/dev/null || true
	random_sleep 30
	start_sluiced $r
	r=$((r + 1))
done
wait $PPID_ || fail "$(cat "$WORK/producer.err" 2>/dev/null)"
PPID_=""

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
DB=
deadline=$(($(date +%s) + 40))
while :; do
	kill -0 "$SPID" 2>/dev/null || fail "the restarted sluiced exited"
	[ -n "$DB" ] || DB=$(ls "$WORK"/state/CTAS_TOTALS_*.db 2>/dev/null | head -n 1)
	if [ -n "$DB" ]; then
		got=$(sqlite3 -readonly "$DB" 'SELECT coalesce(sum(N), 0) FROM TOTALS' 2>/dev/null || echo 0)
		[ "$got" -ge "$TOTAL" ] && break
	else
		got="no database"
	fi
	[ "$(date +%s)" -gt $deadline ] && fail "sluiced did not catch up: sum(N) = $got of $TOTAL"
	sleep 0.2
done

# stop it cleanly: it flushes its output and commits
kill -TERM "$SPID"
i=0
while kill -0 "$SPID" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 150 ] && fail "sluiced did not stop within 15 s of SIGTERM"
	sleep 0.1
done
wait "$SPID" 2>/dev/null || fail "sluiced exited with status $? after SIGTERM"
SPID=""
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
