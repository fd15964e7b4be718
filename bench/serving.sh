#!/bin/sh
# serving.sh: the HTTP API's latency and capacity (issue 5's figures).
#
# pull: key lookups on a materialized table (COUNT(*) and SUM(v) per key
#   over EVENTS events with KEYS keys) through POST /query-stream, from
#   CONNS keep-alive connections for SECS seconds: queries per second and
#   latency p50/p99 (bench/http pull).
# push: latency from producing a record to receiving its row on a push
#   query, at RATE records per second for SECS seconds, twice, each on a
#   topic of its own: on a source stream no query writes (the push query is
#   fed by the stream's tap, a shared consumer) and on a stream that a
#   persistent query writes (the push query is fed by that query).
# idle: the server's memory with N idle push subscribers.
#
# The broker is sluice-kafka (librdkafka's mock cluster), which answers a
# waiting fetch only when fetch.wait.max.ms has passed, even when records
# arrive meanwhile: sluiced gets the 5 ms it uses with its embedded Kafka
# (a real broker answers at once and needs nothing).
#
# Usage: bench/serving.sh [-B BUILDDIR] [-n EVENTS] [-k KEYS] [-C CONNS]
#        [-d SECS] [-r RATE] [-s SUBSCRIBERS] [-o OUTDIR]
# (`make bench-serving` runs it from the build directory.)  Everything
# listens on 127.0.0.1; every step has a time limit.

set -eu

BUILDDIR=. OUT= EVENTS=1000000 KEYS=100000 CONNS=2 SECS=10 RATE=10000 SUBS=1000
while getopts B:n:k:C:d:r:s:o: opt; do
	case $opt in
	B) BUILDDIR=$OPTARG ;;
	n) EVENTS=$OPTARG ;;
	k) KEYS=$OPTARG ;;
	C) CONNS=$OPTARG ;;
	d) SECS=$OPTARG ;;
	r) RATE=$OPTARG ;;
	s) SUBS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) echo "usage: bench/serving.sh [-B BUILDDIR] [-n EVENTS] [-k KEYS] [-C CONNS] [-d SECS] [-r RATE] [-s SUBSCRIBERS] [-o OUTDIR]" >&2; exit 2 ;;
	esac
done

BUILDDIR=$(cd "$BUILDDIR" && pwd)
for prog in sluiced sluice-kafka bench/gen bench/http; do
	[ -x "$BUILDDIR/$prog" ] || {
		echo "serving.sh: $BUILDDIR/$prog not found: run make bench-programs" >&2
		exit 2
	}
done
[ -n "$OUT" ] || OUT=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-serving.XXXXXX")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

T_START=30 T_STOP=30
log() { echo "serving.sh: $*" >&2; }
die() { log "$*"; exit 1; }
. "$(dirname "$0")/lib.sh"

ulimit -n 65536 2>/dev/null || ulimit -n 4096 2>/dev/null || true
PARTS=$(( (EVENTS + 49999) / 50000 > 4 ? (EVENTS + 49999) / 50000 : 4 ))

# the broker
start_broker serving "events:$PARTS" "COUNTS:$PARTS" pushlat1:4 pushlat2:4 PUSHLAT2:4

# the server, on a free port (read back from its start-up line)
start_daemon 3600 "$OUT/sluiced.log" "$BUILDDIR/sluiced" --bootstrap-servers "$BOOTSTRAP" \
	--state-dir "$OUT/state" --listen "127.0.0.1:0" --set commit.interval.ms=500 \
	--set kafka.fetch.wait.max.ms=5 ${SLUICED_FLAGS:-}
SLUICED_WRAP=$DAEMON_WRAP SLUICED_PID=$DAEMON_PID
wait_for "$OUT/sluiced.log" "HTTP API on" $T_START || die "sluiced did not start (see $OUT/sluiced.log)"
PORT=$(sed -n 's|.*HTTP API on http://127.0.0.1:\([0-9]*\).*|\1|p' "$OUT/sluiced.log" | head -n 1)

ksql() {
	body=$(printf '%s' "$1" | tr '\n' ' ' | sed 's/"/\\"/g')
	code=$(curl -s -o "$OUT/ksql.out" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/ksql" \
		-H 'Content-Type: application/json' -d "{\"ksql\":\"$body\"}")
	cat "$OUT/ksql.out" >>"$OUT/ksql.log"
	[ "$code" = 200 ] || die "statement failed ($code): $(cat "$OUT/ksql.out")"
}

ksql "CREATE STREAM EVENTS (K VARCHAR, V BIGINT, TS BIGINT) WITH (kafka_topic='events', value_format='JSON');
CREATE TABLE COUNTS AS SELECT K, COUNT(*) AS N, SUM(V) AS S FROM EVENTS GROUP BY K;
CREATE STREAM PUSHLAT (K VARCHAR KEY, SENT DOUBLE, PAD VARCHAR) WITH (kafka_topic='pushlat1', value_format='JSON');
CREATE STREAM PUSHSRC (K VARCHAR KEY, SENT DOUBLE, PAD VARCHAR) WITH (kafka_topic='pushlat2', value_format='JSON');
CREATE STREAM PUSHLAT2 AS SELECT * FROM PUSHSRC;"

log "writing $EVENTS events over $KEYS keys"
timeout -k 5 1200 "$BUILDDIR/bench/gen" -b "$BOOTSTRAP" -t events -w events -n "$EVENTS" \
	--keys "$KEYS" --distinct --timeout 1200 >"$OUT/gen.kv" 2>"$OUT/gen.log" ||
	die "gen failed: $(cat "$OUT/gen.log")"

# wait until the table holds every key (read-your-writes pull query)
i=0
while :; do
	n=$(curl -s -X POST "http://127.0.0.1:$PORT/query-stream" \
		-d "{\"sql\":\"SELECT K FROM COUNTS WHERE K='key$((KEYS - 1))';\",\"properties\":{\"sluice.pull.consistency\":\"wait\"}}" | grep -c '^\[' || true)
	[ "$n" -ge 1 ] && break
	i=$((i + 1)); [ $i -le 600 ] || die "the table did not fill"
	sleep 1
done
log "table ready"

echo "pull: $("$BUILDDIR/bench/http" pull -u "127.0.0.1:$PORT" -t COUNTS -c K -p key -k "$KEYS" -C "$CONNS" -d "$SECS")"
echo "push-tap: $("$BUILDDIR/bench/http" push -u "127.0.0.1:$PORT" -b "$BOOTSTRAP" -s PUSHLAT -T pushlat1 -r "$RATE" -d "$SECS")"
echo "push-fed-by-query: $("$BUILDDIR/bench/http" push -u "127.0.0.1:$PORT" -b "$BOOTSTRAP" -s PUSHLAT2 -T pushlat2 -r "$RATE" -d "$SECS")"
echo "idle: $("$BUILDDIR/bench/http" idle -u "127.0.0.1:$PORT" -s PUSHLAT2 -n "$SUBS" -P "$SLUICED_PID")"
echo "metrics: $(curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^sluice_push_queries')"
