# lib.sh: helpers shared by the benchmark drivers (run, windowed.sh,
# serving.sh), sourced after they define log() and die() and set BUILDDIR
# and OUT.  Everything runs under timeout(1); cleanup() (the EXIT trap)
# stops what is still running.  Time limits, in seconds, unless the driver
# set them before:
: "${T_BROKER:=3600}"  # the life of one sluice-kafka, a backstop if the driver dies
: "${T_SLUICED:=1800}" # the same for one sluiced
: "${T_START:=30}"     # a daemon's start-up
: "${T_STOP:=30}"      # a daemon's shutdown after SIGTERM (it commits its state)
: "${T_STEP:=1200}"    # gen, baseline, a measured phase
: "${IDLE:=2}"         # seconds of idle sluiced measured after the calibration start-up
: "${COMMIT_MS:=200}"  # sluiced's commit.interval.ms: completion is seen at a commit
TCK=$(getconf CLK_TCK)

now() { date +%s.%N; }
# CPU seconds (user + system) of process $1, from /proc/$1/stat: after the
# command name "(...)", utime and stime are the 12th and 13th fields.
cpu_of() { sed 's/.*) //' "/proc/$1/stat" | awk -v t="$TCK" '{ printf "%.2f\n", ($12 + $13) / t }'; }
# Value of key $1 in the key=value file $2.
kv() { sed -n "s/^$1=//p" "$2" | tail -n 1; }
# awk arithmetic: calc EXPR [VAR=VALUE...] (values without spaces)
calc() {
	e=$1 args=
	shift
	for a in "$@"; do args="$args -v $a"; done
	awk $args "BEGIN { printf \"%.6g\n\", $e }" </dev/null
}
# kB to MB, one decimal
mb() { awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }' </dev/null; }
# median_of TSV COLUMN [KEYCOLUMN KEY]: the median of a column of a
# tab-separated file with a header line (of the rows whose KEYCOLUMN is KEY)
median_of() {
	awk -F '\t' -v col="$2" -v kc="${3:-}" -v key="${4:-}" '
	NR == 1 { for (i = 1; i <= NF; i++) { if ($i == col) c = i; if ($i == kc) k = i }; next }
	c && (kc == "" || $k == key) { v[++n] = $c + 0 }
	END {
		if (n == 0) exit
		for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++)
			if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
		printf "%.6g\n", n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}' "$1"
}

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

# start_broker TAG NAME:PARTITIONS...: a fresh sluice-kafka with these
# topics and the processing log's; sets BROKER_WRAP, BROKER_PID, BOOTSTRAP.
start_broker() {
	blog=$OUT/$1-kafka.log
	shift
	topics=
	for t in "$@"; do topics="$topics --topic $t"; done
	rm -f "$OUT/kafka.addr"
	start_daemon $T_BROKER "$blog" "$BUILDDIR/sluice-kafka" --port-file "$OUT/kafka.addr" \
		$topics --topic SLUICE_PROCESSING_LOG:1
	BROKER_WRAP=$DAEMON_WRAP BROKER_PID=$DAEMON_PID
	wait_for "$OUT/kafka.addr" . $T_START || die "sluice-kafka did not start (see $blog)"
	BOOTSTRAP=$(cat "$OUT/kafka.addr")
	case $BOOTSTRAP in 127.0.0.1:*) ;; *) die "unexpected bootstrap address $BOOTSTRAP" ;; esac
}

# start_sluiced TAG QUERIES [STATE]: sluiced on the broker, reading from
# the earliest offsets, with its own state directory OUT/TAG.state (or
# with STATE, an existing one that an earlier sluiced left: it resumes its
# queries from there) and the statements of the file QUERIES; sets
# SLUICED_WRAP, SLUICED_PID, SLUICED_LOG, STATE, T_LAUNCH.  $SLUICED_FLAGS
# are added for experiments.
start_sluiced() {
	SLUICED_LOG=$OUT/$1.log
	if [ -n "${3:-}" ]; then
		STATE=$3
	else
		STATE=$OUT/$1.state
		rm -rf "$STATE"
	fi
	T_LAUNCH=$(now)
	start_daemon $T_SLUICED "$SLUICED_LOG" "$BUILDDIR/sluiced" \
		--bootstrap-servers "$BOOTSTRAP" --state-dir "$STATE" \
		--listen 127.0.0.1:0 --set auto.offset.reset=earliest \
		--set commit.interval.ms="$COMMIT_MS" --queries-file "$2" \
		${SLUICED_FLAGS:-}
	SLUICED_WRAP=$DAEMON_WRAP SLUICED_PID=$DAEMON_PID
}

# sluiced_ready: waits until sluiced runs its statements (0), or has exited
# because it refused one (1; ENGINE_ERROR holds the engine's message).
sluiced_ready() {
	i=0
	while ! grep -q 'sluiced: running' "$SLUICED_LOG" 2>/dev/null; do
		if ! kill -0 "$SLUICED_PID" 2>/dev/null; then
			wait "$SLUICED_WRAP" 2>/dev/null || true
			SLUICED_PID=
			ENGINE_ERROR=$(sed -n 's/^ERROR: //p' "$SLUICED_LOG" | head -n 1)
			[ -n "$ENGINE_ERROR" ] || ENGINE_ERROR="sluiced exited: $(tail -n 1 "$SLUICED_LOG")"
			return 1
		fi
		i=$((i + 1))
		[ $i -le $((T_START * 100)) ] || die "sluiced did not start (see $SLUICED_LOG)"
		sleep 0.01
	done
}

# calibrate TAG QUERIES: sluiced with the statements over the still empty
# input topics: sets START_CPU and START_WALL (its CPU and wall time when
# it says it runs: its start-up) and IDLE_CPU (its CPU-s per second over
# the next IDLE s), then stops it; 1 if it refused the statements.
calibrate() {
	start_sluiced "$1" "$2"
	sluiced_ready || return 1
	t_run=$(now)
	START_CPU=$(cpu_of "$SLUICED_PID")
	START_WALL=$(calc "r - l" r="$t_run" l="$T_LAUNCH")
	sleep $IDLE
	IDLE_CPU=$(calc "(c - s) / i" c="$(cpu_of "$SLUICED_PID")" s="$START_CPU" i=$IDLE)
	stop_daemon "$SLUICED_WRAP" "$SLUICED_PID"
	SLUICED_PID=
}

# measured EVENTS WATCH_KV: sluiced's figures from bench/watch's output,
# from its launch less the calibrated start-up: SL_WALL, SL_CPU, SL_EPS
# (events/s), SL_EPCS (events per CPU-second), SL_RSS (peak, MB).
measured() {
	SL_WALL=$(calc "(e - l) - s" e="$(kv end_epoch "$2")" l="$T_LAUNCH" s="$START_WALL")
	SL_CPU=$(calc "c - s" c="$(kv cpu_end_sluiced "$2")" s="$START_CPU")
	SL_EPS=$(calc "n / w" n="$1" w="$SL_WALL")
	SL_EPCS=$(calc "n / c" n="$1" c="$SL_CPU")
	SL_RSS=$(mb "$(kv hwm_kb_sluiced "$2")")
}

# perf_start FILE: profiles sluiced with perf record ($PERF_FLAGS, default
# "-F 999 -g") into FILE until perf_stop, from the moment its queries run.
perf_start() {
	# perf record -p follows the threads that exist when it attaches:
	# wait until sluiced has started its queries' threads
	i=0
	while ! grep -q 'sluiced: running' "$SLUICED_LOG" 2>/dev/null && [ $i -lt 1000 ]; do
		i=$((i + 1))
		sleep 0.01
	done
	perf record ${PERF_FLAGS:--F 999 -g} -p "$SLUICED_PID" -o "$1" >"$1.log" 2>&1 &
	PERF_PID=$!
}
perf_stop() {
	[ -n "$PERF_PID" ] || return 0
	kill -INT "$PERF_PID" 2>/dev/null || true
	wait "$PERF_PID" 2>/dev/null || true
	PERF_PID=
}

BROKER_WRAP= BROKER_PID= SLUICED_WRAP= SLUICED_PID= PERF_PID=
cleanup() {
	perf_stop
	stop_daemon "$SLUICED_WRAP" "$SLUICED_PID"
	stop_daemon "$BROKER_WRAP" "$BROKER_PID"
	PERF_PID= SLUICED_PID= BROKER_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM
