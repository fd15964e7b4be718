#!/bin/sh
# cubejs_driver.sh: Cube's unmodified ksqlDB driver against sluiced.
#
# Installs @cubejs-backend/ksql-driver (a pinned version) with npm into a
# cache directory, starts sluiced on the embedded Kafka with basic
# authentication on, and runs tests/cubejs_driver.js: testConnection,
# fetchTables, tablesSchema, DDL, errors and a drop, as Cube does them.
#
# Needs node and npm and the npm registry; exits 77 (skip) without them.
set -eu

BUILD=${BUILD:-${abs_top_builddir:-.}}
SRCDIR=${SRCDIR:-${abs_top_srcdir:-$(dirname "$0")/..}}
SLUICED=$BUILD/sluiced
DRIVER_VERSION=1.7.43

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	{ echo "node and npm not installed: skip"; exit 77; }

CACHE=${SLUICE_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice-npm}
if [ ! -d "$CACHE/node_modules/@cubejs-backend/ksql-driver" ]; then
	mkdir -p "$CACHE"
	if ! timeout 600 npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error \
		"@cubejs-backend/ksql-driver@$DRIVER_VERSION" >"$CACHE/npm.log" 2>&1; then
		echo "cannot install @cubejs-backend/ksql-driver (no npm registry?): skip"
		tail -5 "$CACHE/npm.log"
		exit 77
	fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-cubejs.XXXXXX")
SPID=""
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

printf 'cube:s3cret\n' >"$WORK/passwords"
# port 0: any free port, read back from the start-up line
"$SLUICED" --state-dir "$WORK/state" --listen "127.0.0.1:0" \
	--password-file "$WORK/passwords" >"$WORK/sluiced.log" 2>&1 &
SPID=$!
i=0
until grep -q "HTTP API on" "$WORK/sluiced.log"; do
	i=$((i + 1))
	[ $i -le 300 ] || { echo "FAIL: sluiced did not start"; cat "$WORK/sluiced.log"; exit 1; }
	kill -0 "$SPID" 2>/dev/null || { echo "FAIL: sluiced exited"; cat "$WORK/sluiced.log"; exit 1; }
	sleep 0.1
done
PORT=$(sed -n 's|.*HTTP API on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/sluiced.log" | head -n 1)

if ! NODE_PATH="$CACHE/node_modules" SLUICE_URL="http://127.0.0.1:$PORT" SLUICE_USER=cube \
	SLUICE_PASSWORD=s3cret CUBEJS_DB_URL="http://127.0.0.1:$PORT" \
	timeout 120 node "$SRCDIR/tests/cubejs_driver.js"; then
	echo "FAIL: the driver's checks (sluiced's log follows)"
	tail -30 "$WORK/sluiced.log"
	exit 1
fi
