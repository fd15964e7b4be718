#!/bin/sh
# crash_restart.sh: kill -9 of sluiced while a CSAS runs, then restarts.
#
# sluice-kafka runs as its own process, so the topics outlive sluiced.  The
# test produces events in rounds, kills sluiced at a random moment of each
# round with SIGKILL and starts it again on the same state directory.  At
# the end every input event must appear in the output topic at least once
# (at-least-once output), the restarted server must have restored its
# catalog (the CSAS is not created twice, its query resumes), and the
# catalog database must hold exactly the two statements.
#
# Needs kcat and sqlite3 (contrib/install-deps.sh installs both); exits 77
# (skip) without them.  Bounded: about 30 seconds.
set -eu

NAME=crash
COMMIT_MS=50
. "${abs_top_srcdir:-$(dirname "$0")/..}/tests/crash_lib.sh"

start_kafka events:2 DOUBLED:2

cat >"$WORK/queries.sql" <<'SQL'
CREATE STREAM IF NOT EXISTS events (k VARCHAR KEY, id BIGINT, v BIGINT)
  WITH (kafka_topic='events', value_format='JSON', partitions=2);
CREATE STREAM IF NOT EXISTS doubled AS
  SELECT k, id, v * 2 AS v2 FROM events WHERE v >= 0;
SQL

produce() { # first last
	n=$1
	while [ "$n" -le "$2" ]; do
		echo "k$((n % 7)):{\"id\":$n,\"v\":$((n % 100))}"
		n=$((n + 1))
	done | kcat -P -b "$BS" -t events -K: -q 2>>"$WORK/kcat.log" || fail "kcat could not produce"
}

TOTAL=0
ROUNDS=3
PER=400
start_sluiced 0
sleep 1
r=1
while [ $r -le $ROUNDS ]; do
	produce $((TOTAL + 1)) $((TOTAL + PER))
	TOTAL=$((TOTAL + PER))
	# kill at a random moment of the round: 0 to 0.9 s after producing
	sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1)"
	kill -9 "$SPID" 2>/dev/null || fail "sluiced died on its own in round $r"
	wait "$SPID" 2>/dev/null || true
	# records written while the server is down must not be lost either
	produce $((TOTAL + 1)) $((TOTAL + 50))
	TOTAL=$((TOTAL + 50))
	start_sluiced $r
	r=$((r + 1))
done

# let the last incarnation catch up, then check the output
seq 1 $TOTAL | sort >"$WORK/expected"
deadline=$(($(date +%s) + 20))
while :; do
	kcat -C -b "$BS" -t DOUBLED -o beginning -e -q -f '%s\n' 2>/dev/null |
		sed -n 's/.*"ID":\([0-9]*\).*/\1/p' | sort -u >"$WORK/got"
	missing=$(comm -23 "$WORK/expected" "$WORK/got" | wc -l)
	[ "$missing" -eq 0 ] && break
	[ "$(date +%s)" -gt $deadline ] && fail "$missing of $TOTAL events never reached the output"
	sleep 0.5
done
kill -0 "$SPID" 2>/dev/null || fail "the restarted sluiced exited"
grep -q "Created query with ID" "$WORK"/sluiced.[1-9].log &&
	fail "a restart created the CSAS again instead of restoring it"
n=$(sqlite3 "$WORK/state/catalog.db" "SELECT count(*) FROM statements")
[ "$n" -eq 2 ] || fail "catalog holds $n statements, expected 2"
dups=$(kcat -C -b "$BS" -t DOUBLED -o beginning -e -q -f '%s\n' 2>/dev/null | wc -l)
echo "crash_restart: $TOTAL events, $ROUNDS kill -9 restarts, all in the output ($dups records, $((dups - TOTAL)) repeated)"
echo "1 passed, 0 failed"
