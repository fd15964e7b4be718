# lib.sh: process helpers shared by the benchmark drivers (q0.sh,
# windowed.sh), sourced after they define log(), die() and T_STOP.
# Everything runs under timeout(1); cleanup() stops what is still running.

# wait_for FILE PATTERN SECONDS: waits until FILE holds PATTERN; 1 on timeout.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($3 * 100)) ] || return 1
		sleep 0.01
	done
}

# start_daemon LIMIT LOG CMD...: runs CMD under timeout(1) in the
# background; sets DAEMON_WRAP (the timeout process) and DAEMON_PID (CMD).
start_daemon() {
	limit=$1 dlog=$2
	shift 2
	timeout -k 5 "$limit" "$@" >"$dlog" 2>&1 &
	DAEMON_WRAP=$!
	DAEMON_PID=
	i=0
	while [ -z "$DAEMON_PID" ] && [ $i -lt 500 ]; do
		DAEMON_PID=$(ps -o pid= --ppid "$DAEMON_WRAP" | tr -d ' ' | head -n 1)
		[ -n "$DAEMON_PID" ] || sleep 0.01
		i=$((i + 1))
	done
	[ -n "$DAEMON_PID" ] || die "cannot start $1 (see $dlog)"
}

# stop_daemon WRAP PID: SIGTERM, then SIGKILL after T_STOP seconds.
stop_daemon() {
	[ -n "$2" ] || return 0
	kill -TERM "$2" 2>/dev/null || true
	i=0
	while kill -0 "$2" 2>/dev/null && [ $i -lt $((T_STOP * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$2" 2>/dev/null; then
		log "process $2 did not stop in $T_STOP s: killing it"
		kill -KILL "$2" 2>/dev/null || true
	fi
	wait "$1" 2>/dev/null || true
}

BROKER_WRAP= BROKER_PID= SLUICED_WRAP= SLUICED_PID= PERF_PID=
cleanup() {
	[ -z "$PERF_PID" ] || { kill -INT "$PERF_PID" 2>/dev/null || true; wait "$PERF_PID" 2>/dev/null || true; }
	stop_daemon "$SLUICED_WRAP" "$SLUICED_PID"
	stop_daemon "$BROKER_WRAP" "$BROKER_PID"
	PERF_PID= SLUICED_PID= BROKER_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM
