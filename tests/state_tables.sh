#!/bin/sh
# state_tables.sh: the SQLite tables that hold each table query's result.
#
# Runs sluiced on the embedded Kafka with a state directory and a queries
# file that creates an aggregation (GROUP BY), a filtered table (CREATE
# TABLE AS SELECT over a table) and a source table (CREATE SOURCE TABLE),
# lets it commit, stops it with SIGTERM and reads the tables with sqlite3:
# each holds exactly the current result, keyed by the table's key, with a
# row that left the result deleted.  (Restarts and kill -9 are
# agg_crash_restart.sh's.)
#
# Needs sqlite3 (contrib/install-deps.sh installs it); exits 77 without it.
set -eu

BUILD=${BUILD:-${abs_top_builddir:-.}}
SLUICED=$BUILD/sluiced
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-state.XXXXXX")
SPID=""
cleanup() {
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*"
	cat "$WORK"/sluiced.log 2>/dev/null | tail -30
	exit 1
}

cat > "$WORK/q.sql" <<'SQL'
SET 'auto.offset.reset' = 'earliest';
CREATE TABLE accounts (id INT PRIMARY KEY, name STRING, region STRING)
  WITH (kafka_topic='accounts', value_format='JSON', partitions=1);
INSERT INTO accounts (id, name, region) VALUES (1, 'ann', 'eu');
INSERT INTO accounts (id, name, region) VALUES (2, 'bob', 'us');
INSERT INTO accounts (id, name, region) VALUES (3, 'cy', 'eu');
INSERT INTO accounts (id, name, region) VALUES (1, 'ann', 'us');
CREATE SOURCE TABLE accounts_src (id INT PRIMARY KEY, name STRING, region STRING)
  WITH (kafka_topic='accounts', value_format='JSON');
CREATE TABLE eu AS SELECT * FROM accounts WHERE region = 'eu';
CREATE STREAM clicks (user STRING KEY, ms BIGINT)
  WITH (kafka_topic='clicks', value_format='JSON', partitions=2);
INSERT INTO clicks (user, ms) VALUES ('ann', 10);
INSERT INTO clicks (user, ms) VALUES ('bob', 20);
INSERT INTO clicks (user, ms) VALUES ('ann', 30);
CREATE TABLE per_user AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY user;
SQL

run_sluiced() {
	"$SLUICED" --state-dir "$WORK/state" --queries-file "$WORK/q.sql" \
		--set commit.interval.ms=200 --listen 127.0.0.1:0 >>"$WORK/sluiced.log" 2>&1 &
	SPID=$!
	# wait until every query has committed its result
	i=0
	while [ $i -lt 100 ]; do
		if [ "$(query "SELECT count(*) FROM PER_USER" 2>/dev/null)" = "2" ] &&
		   [ "$(query "SELECT count(*) FROM EU" 2>/dev/null)" = "1" ] &&
		   [ "$(query "SELECT count(*) FROM ACCOUNTS_SRC" 2>/dev/null)" = "3" ]; then
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	kill -TERM "$SPID"
	wait "$SPID" || fail "sluiced exited with an error"
	SPID=""
}

# query SQL: runs SQL on the database of the table it names
query() {
	case $1 in
	*PER_USER*) db=$(ls "$WORK"/state/CTAS_PER_USER_*.db 2>/dev/null | head -1) ;;
	*ACCOUNTS_SRC*) db="$WORK/state/CST_ACCOUNTS_SRC.db" ;;
	*EU*) db=$(ls "$WORK"/state/CTAS_EU_*.db 2>/dev/null | head -1) ;;
	esac
	[ -n "${db:-}" ] && [ -f "$db" ] || return 1
	sqlite3 -readonly "$db" "$1"
}

check() {
	got=$(query "$1") || fail "cannot read: $1"
	[ "$got" = "$2" ] || fail "$1: expected '$2', got '$got'"
}

run_sluiced
check "SELECT user || ':' || n || ':' || total FROM PER_USER ORDER BY user" "ann:2:40
bob:1:20"
check "SELECT id || ':' || name FROM EU" "3:cy"
check "SELECT id || ':' || region FROM ACCOUNTS_SRC ORDER BY id" "1:us
2:us
3:eu"
check "SELECT typeof(N) || ',' || typeof(USER) FROM PER_USER LIMIT 1" "integer,text"
echo "ok: the SQLite tables hold each query's result"
