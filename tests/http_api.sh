#!/bin/sh
# http_api.sh: the REST API of sluiced (src/http), with curl.
#
# Starts sluiced on the embedded Kafka on a free port (--listen
# 127.0.0.1:0) and checks every endpoint against the bodies ksqlDB sends:
# /ksql (entities, statement errors with line:column, the /query
# redirection), /query and /query-stream (push with LIMIT in every
# format, push without LIMIT ended by /close-query, a client that hangs
# up, pull queries on a CREATE TABLE AS SELECT ... GROUP BY), /inserts-
# stream, /info, /healthcheck, /status, /metrics; then the JSON errors
# (malformed JSON, unknown endpoint, wrong method, body too large, Accept
# that cannot be met).  A second server checks basic authentication (401
# everywhere but /healthcheck), a third TLS with a self-signed
# certificate made by openssl (skipped, with a message, without openssl).
# A port in use must be a clear start-up error.
#
# Needs curl; exits 77 (skip) without it.  About 30 seconds.
set -eu

BUILD=${BUILD:-${abs_top_builddir:-.}}
SLUICED=$BUILD/sluiced
command -v curl >/dev/null 2>&1 || { echo "curl not installed: skip"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-http.XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "${SLUICE_KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

FAILS=0
fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}
die() {
	echo "FAIL: $*"
	for f in "$WORK"/sluiced*.log; do
		[ -f "$f" ] && { echo "--- $f:"; tail -30 "$f"; }
	done
	exit 1
}
ok() { echo "ok: $*"; }

# start NAME ARGS...: starts sluiced, sets PORT (and SPID)
start() {
	name=$1
	shift
	"$SLUICED" --listen 127.0.0.1:0 "$@" >"$WORK/sluiced.$name.log" 2>&1 &
	SPID=$!
	PIDS="$PIDS $SPID"
	i=0
	while ! grep -q "HTTP API on" "$WORK/sluiced.$name.log"; do
		kill -0 "$SPID" 2>/dev/null || die "sluiced ($name) exited at start"
		i=$((i + 1))
		[ $i -gt 300 ] && die "sluiced ($name) did not start"
		sleep 0.1
	done
	PORT=$(sed -n 's/.*HTTP API on https*:\/\/[^ ]*:\([0-9]*\).*/\1/p' \
		"$WORK/sluiced.$name.log" | head -1)
	[ -n "$PORT" ] || die "no port in the start-up line of sluiced ($name)"
}

# stop PID NAME: SIGTERM, expects a clean exit
stop() {
	kill -TERM "$1"
	if ! wait "$1"; then
		fail "sluiced ($2) did not exit cleanly"
		tail -20 "$WORK/sluiced.$2.log"
	fi
	if grep -q "Sanitizer" "$WORK/sluiced.$2.log"; then
		fail "sanitizer report from sluiced ($2)"
		grep -A20 "Sanitizer" "$WORK/sluiced.$2.log" | head -40
	fi
}

# req METHOD PATH [BODY [curl args...]]: sets STATUS, BODY, HDRS (file);
# BODY "-": none
req() {
	m=$1
	p=$2
	shift 2
	if [ $# -gt 0 ] && [ "$1" = - ]; then
		shift
		STATUS=$(curl -s --max-time 30 -o "$WORK/body" -D "$WORK/hdrs" -w '%{http_code}' -X "$m" \
			"$@" "$URL$p") || STATUS=000
	elif [ $# -gt 0 ]; then
		d=$1
		shift
		STATUS=$(curl -s --max-time 30 -o "$WORK/body" -D "$WORK/hdrs" -w '%{http_code}' -X "$m" \
			"$@" --data-binary "$d" "$URL$p") || STATUS=000
	else
		STATUS=$(curl -s --max-time 30 -o "$WORK/body" -D "$WORK/hdrs" -w '%{http_code}' -X "$m" \
			"$@" "$URL$p") || STATUS=000
	fi
	BODY=$(cat "$WORK/body")
	HDRS="$WORK/hdrs"
}

# expect WHAT STATUS BODY: the last req answered STATUS with exactly BODY
expect() {
	if [ "$STATUS" != "$2" ] || [ "$BODY" != "$3" ]; then
		fail "$1: expected $2 with
$3
got $STATUS with
$BODY"
	else
		ok "$1"
	fi
}

# expect_has WHAT STATUS TEXT: the body holds TEXT
expect_has() {
	case $BODY in
	*"$3"*) [ "$STATUS" = "$2" ] && { ok "$1"; return; } ;;
	esac
	fail "$1: expected $2 with a body holding
$3
got $STATUS with
$BODY"
}

# The query id varies: replaced by Q.
noid() { sed -e 's/"queryId":"[^"]*"/"queryId":"Q"/g'; }

ksql() { req POST /ksql "{\"ksql\":\"$1\"}"; }

# ---------------------------------------------------------------- server 1
start main --set sluice.http.max.body.bytes=4096 --set sluice.http.heartbeat.ms=200
MAIN=$SPID
URL="http://127.0.0.1:$PORT"
MAIN_PORT=$PORT

# a port in use is a clear error
if "$SLUICED" --listen "127.0.0.1:$PORT" >"$WORK/sluiced.dup.log" 2>&1; then
	fail "a second sluiced on port $PORT started"
elif grep -q "cannot listen on 127.0.0.1:$PORT: Address already in use" \
	"$WORK/sluiced.dup.log"; then
	ok "port in use"
else
	fail "port in use: unclear error: $(cat "$WORK/sluiced.dup.log")"
fi
if "$SLUICED" --listen "ftp://x:1" >"$WORK/sluiced.bad.log" 2>&1 ||
	! grep -q 'listener "ftp://x:1": the scheme must be http or https' \
		"$WORK/sluiced.bad.log"; then
	fail "a bad --listen: $(cat "$WORK/sluiced.bad.log")"
else
	ok "bad --listen"
fi

# ---- server state
req GET /info
expect_has "/info" 200 '{"KsqlServerInfo":{"version":'
expect_has "/info status" 200 '"serverStatus":"RUNNING"'
req GET /healthcheck
expect_has "/healthcheck" 200 '{"isHealthy":true,'

# ---- /ksql
ksql "CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='s', value_format='json', partitions=1);"
expect_has "/ksql CREATE STREAM" 200 \
	'"statementText":"CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='"'s'"', value_format='"'json'"', partitions=1);"'
expect_has "/ksql CREATE STREAM status" 200 '"commandStatus":{"status":"SUCCESS","message":"Stream created"'
case $BODY in \[*\]) ;; *) fail "/ksql does not answer an array: $BODY" ;; esac

req POST /ksql '{"ksql":"SHOW STREAMS;\nSELEC * FROM S;"}'
expect_has "/ksql bad statement: code and position" 400 \
	'{"@type":"statement_error","error_code":40001,"message":"line 2:1: '
expect_has "/ksql bad statement: statement text" 400 '"statementText":"SELEC * FROM S;"'
expect_has "/ksql bad statement: entities before it" 400 '"entities":[{"@type":"streams",'

ksql "DESCRIBE NONESUCH;"
case $STATUS in
4*) expect_has "/ksql unknown source" "$STATUS" '"@type":"statement_error"' ;;
*) fail "/ksql DESCRIBE of an unknown source: $STATUS $BODY" ;;
esac

ksql "SELECT * FROM S;"
expect "/ksql SELECT goes to /query" 400 \
	'{"@type":"statement_error","error_code":40002,"message":"The following statement types should be issued to the websocket endpoint '"'/query'"':\n\t* PRINT\n\t* SELECT","statementText":"SELECT * FROM S;","entities":[]}'

req POST /ksql '{"ksql": "SHOW STREAMS;", "streamsProperties": 3}'
expect "/ksql streamsProperties not an object" 400 \
	'{"@type":"generic_error","error_code":40000,"message":"\"streamsProperties\" must be a JSON object"}'

# ---- JSON errors
req POST /ksql '{"ksql": "SHOW STREAMS;"'
expect "malformed JSON" 400 \
	'{"@type":"generic_error","error_code":40000,"message":"Malformed JSON in request"}'
req POST /ksql '[1,2]'
expect "JSON that is not an object" 400 \
	'{"@type":"generic_error","error_code":40000,"message":"Malformed JSON in request"}'
req POST /ksql '{"sql":"SHOW STREAMS;"}'
expect "no ksql field" 400 \
	'{"@type":"generic_error","error_code":40000,"message":"No ksql in arguments"}'
req POST /query-stream '{"ksql":"SELECT * FROM S EMIT CHANGES;"}'
expect "no sql field" 400 \
	'{"@type":"generic_error","error_code":40000,"message":"No sql in arguments"}'
req GET /nonesuch
expect "unknown endpoint" 404 \
	'{"@type":"generic_error","error_code":40400,"message":"unknown endpoint \"/nonesuch\""}'
req GET /ksql
expect "wrong method" 405 \
	'{"@type":"generic_error","error_code":40500,"message":"method GET not allowed on /ksql: use POST"}'
grep -qi '^Allow: POST' "$HDRS" || fail "405 without Allow: POST"
big=$(printf '%05000d' 0)
req POST /ksql "{\"ksql\":\"$big\"}"
expect "body too large" 413 \
	'{"@type":"generic_error","error_code":41300,"message":"request body larger than 4096 bytes"}'
req POST /ksql "{\"ksql\":\"$big\"}" -H 'Transfer-Encoding: chunked'
expect "chunked body too large" 413 \
	'{"@type":"generic_error","error_code":41300,"message":"request body larger than 4096 bytes"}'
req POST /query-stream '{"sql":"SELECT * FROM S EMIT CHANGES;"}' -H 'Accept: image/png'
expect_has "Accept that cannot be met" 406 '{"@type":"generic_error","error_code":40600,'
ksql "SHOW STREAMS;"
expect_has "the server still answers" 200 '"@type":"streams"'

# ---- /status
req GET /status
expect_has "/status" 200 '"stream/`S`/create":"SUCCESS"'
req GET '/status/stream/%60S%60/create'
expect "/status/<commandId>" 200 '{"status":"SUCCESS","message":""}'
req GET /status/stream/nonesuch/create
expect "/status of an unknown command" 404 \
	'{"@type":"generic_error","error_code":40400,"message":"Command not found"}'

# ---- push and pull queries
ksql "INSERT INTO S (K, V) VALUES ('a', 1); INSERT INTO S (K, V) VALUES ('b', 2);"
expect_has "INSERT INTO VALUES" 200 '"@type":"currentStatus"'

PUSH2='SELECT * FROM S EMIT CHANGES LIMIT 2;'
req POST /query "{\"ksql\":\"$PUSH2\",\"streamsProperties\":{\"ksql.streams.auto.offset.reset\":\"earliest\"}}"
BODY=$(echo "$BODY" | noid)
expect "/query push LIMIT 2" 200 '[{"header":{"queryId":"Q","schema":"`K` STRING, `V` INTEGER"}},
{"row":{"columns":["a",1]}},
{"row":{"columns":["b",2]}},
{"finalMessage":"Limit Reached"}]'
grep -qi '^Transfer-Encoding: chunked' "$HDRS" || fail "/query is not chunked"
grep -qi '^Content-Type: application/json' "$HDRS" || fail "/query is not application/json"

req POST /query-stream "{\"sql\":\"$PUSH2\",\"properties\":{\"auto.offset.reset\":\"earliest\"}}"
BODY=$(echo "$BODY" | noid)
expect "/query-stream push LIMIT 2, delimited" 200 \
	'{"queryId":"Q","columnNames":["K","V"],"columnTypes":["STRING","INTEGER"]}
["a",1]
["b",2]'
grep -qi '^Content-Type: application/vnd.ksqlapi.delimited.v1' "$HDRS" ||
	fail "/query-stream is not application/vnd.ksqlapi.delimited.v1"

req POST /query-stream "{\"sql\":\"$PUSH2\",\"properties\":{\"auto.offset.reset\":\"earliest\"}}" \
	-H 'Accept: application/json'
BODY=$(echo "$BODY" | noid)
expect "/query-stream push LIMIT 2, application/json" 200 \
	'[{"queryId":"Q","columnNames":["K","V"],"columnTypes":["STRING","INTEGER"]},["a",1],["b",2]]'

req POST /query-stream "{\"sql\":\"$PUSH2\",\"properties\":{\"auto.offset.reset\":\"earliest\"}}" \
	-H 'Accept: text/event-stream'
# heartbeats (":" and a blank line) come every 200 ms here: on a busy
# machine some may come before the rows
BODY=$(echo "$BODY" | noid | sed '/^:$/{N;d;}')
expect "/query-stream push LIMIT 2, text/event-stream" 200 'event: header
data: {"queryId":"Q","columnNames":["K","V"],"columnTypes":["STRING","INTEGER"]}

data: ["a",1]

data: ["b",2]

event: end
data: {"finalMessage":"Limit Reached"}'

# a push query on a join: the table's row (dated before the stream's
# records, which a join reads in timestamp order) enriches them
ksql "CREATE TABLE J (K STRING PRIMARY KEY, W INT) WITH (kafka_topic='j', value_format='json', partitions=1); INSERT INTO J (ROWTIME, K, W) VALUES (1, 'b', 20);"
expect_has "/ksql CREATE TABLE, INSERT" 200 '"@type":"currentStatus"'
req POST /query-stream "{\"sql\":\"SELECT S.K, V, W FROM S LEFT JOIN J ON S.K = J.K EMIT CHANGES LIMIT 2;\",\"properties\":{\"auto.offset.reset\":\"earliest\"}}"
BODY=$(echo "$BODY" | noid)
expect "/query-stream push on a stream-table join" 200 \
	'{"queryId":"Q","columnNames":["S_K","V","W"],"columnTypes":["STRING","INTEGER","INTEGER"]}
["a",1,null]
["b",2,20]'
req POST /query-stream '{"sql":"SELECT * FROM S JOIN J ON S.K = J.K;"}'
expect_has "/query-stream pull on a join" 400 '"message":"line 1:22: Pull queries don'"'"'t support JOIN clauses.'

req POST /query '{"ksql":"SELECT * FROM NONESUCH EMIT CHANGES;"}'
expect_has "/query of an unknown source" 400 '{"@type":"statement_error","error_code":40001,"message":"line 1:15: '

metric() {
	curl -s --max-time 5 "$URL/metrics" | sed -n "s/^$1 //p"
}
# wait_metric NAME VALUE: up to 5 s
wait_metric() {
	i=0
	while [ "$(metric "$1")" != "$2" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && return 1
		sleep 0.1
	done
}
# wait_file FILE TEXT: up to 10 s until FILE holds TEXT
wait_file() {
	i=0
	while ! grep -qF "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

# a push query without LIMIT, ended by /close-query
curl -s -N --max-time 60 -X POST "$URL/query-stream" -d '{"sql":"SELECT * FROM S EMIT CHANGES;"}' \
	>"$WORK/push1" 2>&1 &
CURL1=$!
PIDS="$PIDS $CURL1"
wait_file "$WORK/push1" columnNames || fail "push query: no metadata line"
QID=$(sed -n 's/.*"queryId":"\([^"]*\)".*/\1/p' "$WORK/push1" | head -1)
wait_metric sluice_push_subscribers 1 || fail "push query: sluice_push_subscribers is not 1"
ksql "INSERT INTO S (K, V) VALUES ('c', 3);"
wait_file "$WORK/push1" '["c",3]' || fail "push query: the new row did not arrive"
req POST /close-query "{\"queryId\":\"$QID\"}"
expect "/close-query" 200 ""
i=0
while kill -0 "$CURL1" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && { fail "/close-query did not end the response"; break; }
	sleep 0.1
done
BODY=$(noid <"$WORK/push1")
STATUS=200
expect "push query ended by /close-query" 200 \
	'{"queryId":"Q","columnNames":["K","V"],"columnTypes":["STRING","INTEGER"]}
["c",3]'
req POST /close-query "{\"queryId\":\"$QID\"}"
expect "/close-query of an ended query" 400 \
	"{\"@type\":\"generic_error\",\"error_code\":40000,\"message\":\"No query with id $QID\"}"
wait_metric sluice_push_subscribers 0 || fail "sluice_push_subscribers is not back to 0"

# a client that hangs up: the query is closed at once
curl -s -N --max-time 60 -X POST "$URL/query" -d '{"ksql":"SELECT * FROM S EMIT CHANGES;"}' \
	>"$WORK/push2" 2>&1 &
CURL2=$!
PIDS="$PIDS $CURL2"
wait_file "$WORK/push2" '"header"' || fail "/query push: no header"
wait_metric sluice_push_subscribers 1 || fail "/query push: sluice_push_subscribers is not 1"
kill "$CURL2"
wait "$CURL2" 2>/dev/null || true
if wait_metric sluice_push_subscribers 0 && wait_metric sluice_push_queries 0; then
	ok "client disconnect closes the push query"
else
	fail "client disconnect: sluice_push_subscribers $(metric sluice_push_subscribers)," \
		"sluice_push_queries $(metric sluice_push_queries)"
fi

# text/event-stream heartbeats on an idle push query (every 200 ms here)
curl -s -N --max-time 60 -X POST "$URL/query-stream" -H 'Accept: text/event-stream' \
	-d '{"sql":"SELECT * FROM S EMIT CHANGES;"}' >"$WORK/push3" 2>&1 &
CURL3=$!
PIDS="$PIDS $CURL3"
wait_file "$WORK/push3" 'event: header' || fail "text/event-stream: no header"
sleep 1
if [ "$(grep -c '^:$' "$WORK/push3")" -ge 2 ]; then
	ok "text/event-stream heartbeats"
else
	fail "text/event-stream: no heartbeat in 1 s: $(cat "$WORK/push3")"
fi
kill "$CURL3"
wait "$CURL3" 2>/dev/null || true

# pull queries on a CREATE TABLE AS SELECT ... GROUP BY
req POST /ksql '{"ksql":"CREATE TABLE T AS SELECT K, COUNT(*) AS N, SUM(V) AS TOTAL FROM S GROUP BY K;","streamsProperties":{"auto.offset.reset":"earliest"}}'
expect_has "CREATE TABLE AS SELECT" 200 '"commandStatus":{"status":"SUCCESS"'
i=0
while :; do
	req POST /query '{"ksql":"SELECT * FROM T WHERE K='"'c'"';"}'
	case $BODY in *'"row"'*) break ;; esac
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.1
done
BODY=$(echo "$BODY" | noid)
expect "/query pull by key" 200 '[{"header":{"queryId":"Q","schema":"`K` STRING KEY, `N` BIGINT, `TOTAL` INTEGER"}},
{"row":{"columns":["c",1,3]}}]'
req POST /query '{"ksql":"SELECT * FROM T WHERE K='"'zz'"';"}'
BODY=$(echo "$BODY" | noid)
expect "/query pull, no row" 200 '[{"header":{"queryId":"Q","schema":"`K` STRING KEY, `N` BIGINT, `TOTAL` INTEGER"}}]'
req POST /query-stream '{"sql":"SELECT K, TOTAL FROM T WHERE K='"'b'"';"}'
BODY=$(echo "$BODY" | noid)
expect "/query-stream pull" 200 '{"queryId":"Q","columnNames":["K","TOTAL"],"columnTypes":["STRING","INTEGER"]}
["b",2]'
req POST /query-stream '{"sql":"SELECT * FROM T;"}' -H 'Accept: application/json'
BODY=$(echo "$BODY" | noid)
expect "/query-stream pull, application/json" 200 \
	'[{"queryId":"Q","columnNames":["K","N","TOTAL"],"columnTypes":["STRING","BIGINT","INTEGER"]},["a",1,1],["b",1,2],["c",1,3]]'

# ---- /inserts-stream
req POST /inserts-stream '{"target":"S"}
{"K":"d","V":4}
{"k":"e","v":5}
{"K":"f","V":"not a number"}
{"K":"g","V":7}'
case $BODY in
'{"status":"ok","seq":0}
{"status":"ok","seq":1}
{"status":"error","seq":2,"error_code":40000,"message":'*'
{"status":"ok","seq":3}') ok "/inserts-stream" ;;
*) fail "/inserts-stream: got $STATUS with
$BODY" ;;
esac
req POST /inserts-stream '{"target":"S"}
{"K":"h","V":8}
{not json
{"K":"i","V":9}
' -H 'Accept: application/json'
expect "/inserts-stream, malformed row, application/json" 200 \
	'[{"status":"ok","seq":0},{"status":"error","seq":1,"error_code":40000,"message":"Invalid JSON in inserts stream"}]'
req POST /inserts-stream '{"target":"NONESUCH"}
{"K":"h","V":8}
'
expect_has "/inserts-stream into an unknown stream" 400 '{"@type":"generic_error","error_code":40001,"message":"'
req POST /inserts-stream '{"into":"S"}
'
expect "/inserts-stream without a target" 400 \
	'{"@type":"generic_error","error_code":40000,"message":"No target in arguments"}'
req POST /query-stream "{\"sql\":\"SELECT * FROM S EMIT CHANGES LIMIT 7;\",\"properties\":{\"auto.offset.reset\":\"earliest\"}}"
BODY=$(echo "$BODY" | tail -4)
expect "inserted rows are in the stream" 200 '["d",4]
["e",5]
["g",7]
["h",8]'

# ---- 1,000 push subscribers at once (with python3 for the sockets), on
# the output of a persistent query, which feeds them all
ksql "CREATE STREAM S2 AS SELECT * FROM S;"
expect_has "CREATE STREAM AS SELECT" 200 '"commandStatus":{"status":"SUCCESS"'
if command -v python3 >/dev/null 2>&1; then
	cat >"$WORK/many.py" <<'PY'
import json, resource, select, socket, sys, time, urllib.request
url, n = sys.argv[1], int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < n + 100:
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 200), hard))
    except ValueError:
        print("skip: open-file limit %d" % soft); sys.exit(0)
host, port = url.split("//")[1].split(":")
body = json.dumps({"sql": "SELECT * FROM S2 EMIT CHANGES;"}).encode()
req = (b"POST /query-stream HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
       % len(body)) + body
socks = []
for i in range(n):
    s = socket.create_connection((host, int(port)))
    s.sendall(req)
    socks.append(s)
bufs = {s: b"" for s in socks}
def wait_for(text, timeout):
    end = time.time() + timeout
    pending = [s for s in socks if text not in bufs[s]]
    while pending and time.time() < end:
        r, _, _ = select.select(pending[:900], [], [], 0.2)
        for s in r:
            bufs[s] += s.recv(65536)
        pending = [s for s in socks if text not in bufs[s]]
    return len(pending)
def metric(name):
    for line in urllib.request.urlopen(url + "/metrics", timeout=10).read().decode().split("\n"):
        if line.startswith(name + " "):
            return int(line.split()[1])
if wait_for(b"columnNames", 60):
    print("FAIL: not every subscriber got its metadata"); sys.exit(1)
if metric("sluice_push_subscribers") != n:
    print("FAIL: sluice_push_subscribers %s" % metric("sluice_push_subscribers")); sys.exit(1)
urllib.request.urlopen(url + "/ksql", data=json.dumps(
    {"ksql": "INSERT INTO S (K, V) VALUES ('many', 1000);"}).encode(), timeout=30).read()
left = wait_for(b'["many",1000]', 60)
if left:
    print("FAIL: %d subscribers did not get the row" % left); sys.exit(1)
for s in socks:
    s.close()
end = time.time() + 20
while metric("sluice_push_subscribers") != 0 and time.time() < end:
    time.sleep(0.1)
if metric("sluice_push_subscribers") != 0:
    print("FAIL: after the clients left, sluice_push_subscribers %s"
          % metric("sluice_push_subscribers")); sys.exit(1)
print("ok")
PY
	res=$(python3 "$WORK/many.py" "$URL" 1000 2>&1 || true)
	case $res in
	ok) ok "1000 push subscribers get a row, and leave" ;;
	skip*) echo "1000 subscribers: $res" ;;
	*) fail "1000 push subscribers: $res" ;;
	esac
else
	echo "python3 not installed: 1000 subscribers not tested"
fi

# ---- /metrics
req GET /metrics
expect_has "/metrics: requests" 200 '# TYPE sluice_http_requests_total counter'
expect_has "/metrics: /ksql 200" 200 'sluice_http_requests_total{endpoint="/ksql",status="200"} '
expect_has "/metrics: 404" 200 'sluice_http_requests_total{endpoint="other",status="404"} 1'
expect_has "/metrics: 413" 200 'sluice_http_requests_total{endpoint="/ksql",status="413"} 2'
expect_has "/metrics: subscribers" 200 '# TYPE sluice_push_subscribers gauge
sluice_push_subscribers 0'
grep -qi '^Content-Type: text/plain; version=0.0.4' "$HDRS" || fail "/metrics Content-Type"

stop "$MAIN" main

# ---------------------------------------------------------------- server 2: auth
printf '# sluice users\nalice:s3cret\nbob: hunter2,admin\n' >"$WORK/passwords"
start auth --password-file "$WORK/passwords"
AUTH=$SPID
URL="http://127.0.0.1:$PORT"
req GET /info
expect "no credentials" 401 '{"@type":"generic_error","error_code":40100,"message":"Unauthorized"}'
grep -qi '^WWW-Authenticate: Basic realm="sluice"' "$HDRS" || fail "401 without WWW-Authenticate"
req POST /ksql '{"ksql":"SHOW STREAMS;"}'
expect "no credentials on /ksql" 401 '{"@type":"generic_error","error_code":40100,"message":"Unauthorized"}'
req GET /info - -u alice:wrong
[ "$STATUS" = 401 ] && ok "wrong password" || fail "wrong password: $STATUS"
req GET /info - -u alice:s3cret
expect_has "user:password" 200 '{"KsqlServerInfo":'
req POST /ksql '{"ksql":"SHOW STREAMS;"}' -u bob:hunter2
expect_has "Jetty's user: password,role" 200 '"@type":"streams"'
req GET /healthcheck
expect_has "/healthcheck without credentials" 200 '{"isHealthy":true'
stop "$AUTH" auth

# ---------------------------------------------------------------- server 3: TLS
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" \
		-out "$WORK/cert.pem" -days 2 -subj /CN=localhost >"$WORK/openssl.log" 2>&1; then
	start tls --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem"
	TLS=$SPID
	grep -q "HTTP API on https://127.0.0.1:" "$WORK/sluiced.tls.log" ||
		fail "TLS: the start-up line does not say https"
	URL="https://localhost:$PORT"
	req GET /info - --cacert "$WORK/cert.pem"
	expect_has "TLS /info" 200 '{"KsqlServerInfo":'
	req POST /query-stream '{"sql":"SELECT * FROM NONESUCH;"}' --cacert "$WORK/cert.pem"
	expect_has "TLS /query-stream error" 400 '"@type":"statement_error"'
	STATUS=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/info" ||
		true)
	[ "$STATUS" != 200 ] && ok "TLS: no plain HTTP" || fail "TLS: plain HTTP answered"
	stop "$TLS" tls
else
	echo "openssl not installed (or failed): TLS not tested"
fi

if [ "$FAILS" -gt 0 ]; then
	echo "$FAILS failed"
	exit 1
fi
echo "all passed"
