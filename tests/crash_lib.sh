# crash_lib.sh: what the kill -9 tests share (sourced, not run).
#
# tests/crash_restart.sh, agg_crash_restart.sh and join_crash_restart.sh run
# sluice-kafka as its own process, so that the topics outlive sluiced, and
# kill sluiced with SIGKILL while a producer writes.  Set NAME (for the
# work directory) before sourcing; then:
#   start_kafka TOPIC:PARTITIONS...   the broker; sets BS
#   start_sluiced N                   sluiced #N on $WORK/queries.sql and
#                                     $WORK/state (log $WORK/sluiced.N.log)
#   wait_running                      until sluiced #0 says it runs
#   kill_rounds ROUNDS MAX            ROUNDS times: up to MAX/100 s, kill -9,
#                                     up to 0.3 s, start again
#   wait_db GLOB SQL TARGET           until the state database GLOB answers
#                                     SQL with TARGET or more; sets DB
#   stop_sluiced                      SIGTERM, and a clean exit within 15 s
#   produce_while_killing BATCHES PER ROUNDS MAX
#                                     the caller's produce FIRST LAST writes
#                                     BATCHES batches of PER events in the
#                                     background while sluiced #0 starts and
#                                     kill_rounds ROUNDS MAX runs; sets TOTAL
# COMMIT_MS (default 100) is sluiced's commit.interval.ms.
# PPID_ is the producer's pid, killed on exit if set.  Needs kcat and
# sqlite3 (contrib/install-deps.sh installs both); exits 77 (skip) without
# them.  Every wait has a deadline; everything listens on 127.0.0.1.

BUILD=${BUILD:-${abs_top_builddir:-.}}
SLUICED=$BUILD/sluiced
KAFKA=$BUILD/sluice-kafka
command -v kcat >/dev/null 2>&1 || { echo "kcat not installed: skip"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 not installed: skip"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-$NAME.XXXXXX")
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
start_kafka() {
	set -- $(for t in "$@" SLUICE_PROCESSING_LOG:1; do printf -- '--topic %s ' "$t"; done)
	"$KAFKA" --port-file "$WORK/port" "$@" >"$WORK/kafka.log" 2>&1 &
	KPID=$!
	i=0
	while [ ! -s "$WORK/port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "sluice-kafka did not start"
		sleep 0.1
	done
	BS=$(cat "$WORK/port")
	case $BS in 127.0.0.1:*) ;; *) fail "unexpected bootstrap address $BS" ;; esac
}

# A short commit interval: many commits per round, so that the kills fall
# between, and in the middle of, commits of state and offsets.
start_sluiced() {
	"$SLUICED" --bootstrap-servers "$BS" --state-dir "$WORK/state" \
		--queries-file "$WORK/queries.sql" --listen 127.0.0.1:0 \
		--set auto.offset.reset=earliest --set commit.interval.ms="${COMMIT_MS:-100}" \
		>"$WORK/sluiced.$1.log" 2>&1 &
	SPID=$!
}

# random_sleep MAX: 0 to MAX/100 s, in steps of 10 ms
random_sleep() {
	sleep "$(od -An -N2 -tu2 /dev/urandom | awk -v m="$1" '{ printf "%.2f", ($1 % (m + 1)) / 100 }')"
}

# the first incarnation creates the streams and queries before the kills
# start (later ones are also killed while they start and restore)
wait_running() {
	i=0
	while ! grep -q 'sluiced: running' "$WORK/sluiced.0.log"; do
		i=$((i + 1))
		[ $i -gt 300 ] && fail "sluiced did not start within 30 s"
		kill -0 "$SPID" 2>/dev/null || fail "sluiced exited at start-up"
		sleep 0.1
	done
}

kill_rounds() {
	r=1
	while [ $r -le "$1" ]; do
		random_sleep "$2"
		kill -9 "$SPID" 2>/dev/null || fail "sluiced died on its own in round $r"
		wait "$SPID" 2>/dev/null || true
		random_sleep 30
		start_sluiced $r
		r=$((r + 1))
	done
}

# reads the database next to the running server (WAL mode); a result past
# TARGET can only come from input counted twice, which the callers' checks
# catch
wait_db() {
	DB=
	deadline=$(($(date +%s) + 60))
	while :; do
		kill -0 "$SPID" 2>/dev/null || fail "the restarted sluiced exited"
		[ -n "$DB" ] || DB=$(ls $1 2>/dev/null | head -n 1)
		if [ -n "$DB" ]; then
			got=$(sqlite3 -readonly "$DB" "$2" 2>/dev/null || echo 0)
			[ "$got" -ge "$3" ] && break
		else
			got="no database"
		fi
		[ "$(date +%s)" -gt $deadline ] && fail "sluiced did not catch up: $2 = $got of $3"
		sleep 0.2
	done
}

# stop it cleanly: it flushes its output and commits
stop_sluiced() {
	kill -TERM "$SPID"
	i=0
	while kill -0 "$SPID" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 150 ] && fail "sluiced did not stop within 15 s of SIGTERM"
		sleep 0.1
	done
	wait "$SPID" 2>/dev/null || fail "sluiced exited with status $? after SIGTERM"
	SPID=""
}

# The producer writes its batches, about 10 a second, for the whole of the
# kills, so that sluiced is killed while it reads, processes and commits
# (and also while it starts, or restores its state), and events also
# arrive while it is down.
produce_while_killing() {
	TOTAL=$(($1 * $2))
	: >"$WORK/input"
	(
		b=0
		while [ $b -lt "$1" ]; do
			produce $((b * $2 + 1)) $((b * $2 + $2)) ||
				{ echo "kcat could not produce" >"$WORK/producer.err"; exit 1; }
			b=$((b + 1))
			sleep 0.05
		done
	) &
	PPID_=$!
	start_sluiced 0
	wait_running
	kill_rounds "$3" "$4"
	wait $PPID_ || fail "$(cat "$WORK/producer.err" 2>/dev/null)"
	PPID_=""
}
