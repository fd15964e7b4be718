#!/bin/sh
# q0.sh: Nexmark q0 (a pass-through projection of the bids) on sluiced,
# next to the raw baseline (librdkafka + cJSON, nothing else), in the same
# run: events per second and events per CPU-second of each, and their ratio.
#
# One run: start sluice-kafka (topics bids and Q0 with PARTITIONS each) ->
# calibrate: sluiced with the q0 statements on the still empty topic, whose
# CPU and wall time at "running" are its start-up, and whose CPU over the
# next IDLE seconds is its idle cost -> gen writes N bids -> baseline reads
# them -> sluiced runs q0 over them from the earliest offset, and bench/watch
# waits until Q0 holds N records and reads sluiced's CPU time at that poll.
# sluiced's figures are from its launch to that poll, less the calibrated
# start-up.  Each run starts from a fresh broker.
#
# Usage: bench/q0.sh [-n N] [-r RUNS] [-p PARTITIONS] [-B BUILDDIR] [-o OUTDIR] [-P PERF.DATA]
# (`make bench-q0` runs it from the build directory).  Everything listens on
# 127.0.0.1 only and every step has a time limit.  For experiments,
# $SLUICED_FLAGS and $BASELINE_FLAGS are added to the command lines of
# sluiced (e.g. "--set kafka.queued.min.messages=1000000") and baseline
# (e.g. "-X queued.min.messages=1000000").

set -eu

usage() {
	cat <<EOF
usage: bench/q0.sh [-n N] [-r RUNS] [-p PARTITIONS] [-B BUILDDIR] [-o OUTDIR] [-P PERF.DATA]
  -n N            bids to generate and process (default 1000000)
  -r RUNS         number of runs (default 3)
  -p PARTITIONS   partitions of bids and Q0 (default: N/15625, at least 32, so that
                  no partition exceeds the mock cluster's 5 MB)
  -B BUILDDIR     where sluiced, sluice-kafka and bench/{gen,baseline,watch} are
                  (default: the current directory)
  -o OUTDIR       where logs and results go (default: a new directory in \${TMPDIR:-/tmp})
  -P PERF.DATA    profile sluiced during the q0 phase with perf record (\$PERF_FLAGS,
                  default "-F 999 -g"), into PERF.DATA.RUN; the runs' numbers then
                  include perf's overhead
EOF
}

N=1000000
RUNS=3
PARTS=
BUILDDIR=.
OUT=
PERF_DATA=
while getopts n:r:p:B:o:P:h opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	p) PARTS=$OPTARG ;;
	B) BUILDDIR=$OPTARG ;;
	o) OUT=$OPTARG ;;
	P) PERF_DATA=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage >&2; exit 2; }
case $N$RUNS$PARTS in *[!0-9]*) echo "q0.sh: -n, -r and -p take numbers" >&2; exit 2 ;; esac
[ -n "$PARTS" ] || PARTS=$(( (N + 15624) / 15625 > 32 ? (N + 15624) / 15625 : 32 ))

BUILDDIR=$(cd "$BUILDDIR" && pwd)
for prog in sluiced sluice-kafka bench/gen bench/baseline bench/watch; do
	[ -x "$BUILDDIR/$prog" ] || {
		echo "q0.sh: $BUILDDIR/$prog not found: run make bench-programs" >&2
		exit 2
	}
done
[ -n "$OUT" ] || OUT=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-q0.XXXXXX")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
[ -z "$PERF_DATA" ] || command -v perf >/dev/null || { echo "q0.sh: -P needs perf" >&2; exit 2; }

# Time limits, in seconds.
T_BROKER=1800   # the life of one sluice-kafka, a backstop if this script dies
T_SLUICED=900   # the same for one sluiced
T_START=30      # a daemon's start-up
T_STOP=10       # a daemon's shutdown after SIGTERM
T_STEP=600      # gen, baseline, the q0 phase
IDLE=2          # seconds of idle sluiced measured after the calibration start-up
TCK=$(getconf CLK_TCK)

log() { echo "q0.sh: $*" >&2; }
die() { log "$*"; exit 1; }
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

# wait_for, start_daemon, stop_daemon and cleanup (the EXIT trap)
. "$(dirname "$0")/lib.sh"

QUERIES=$OUT/q0.sql
cat >"$QUERIES" <<'EOF'
CREATE STREAM bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,
  url VARCHAR, dateTime BIGINT, extra VARCHAR)
  WITH (kafka_topic='bids', value_format='JSON');
CREATE STREAM q0 AS SELECT auction, bidder, price, dateTime, extra FROM bids;
EOF

# start_sluiced RUN NAME: sluiced on the run's broker, with its own state
# directory; sets SLUICED_WRAP, SLUICED_PID, SLUICED_LOG, T_LAUNCH.
start_sluiced() {
	SLUICED_LOG=$OUT/run$1-$2.log
	rm -rf "$OUT/run$1-$2.state"
	T_LAUNCH=$(now)
	start_daemon $T_SLUICED "$SLUICED_LOG" "$BUILDDIR/sluiced" \
		--bootstrap-servers "$BOOTSTRAP" --state-dir "$OUT/run$1-$2.state" \
		--listen 127.0.0.1:0 --set auto.offset.reset=earliest --queries-file "$QUERIES" \
		${SLUICED_FLAGS:-}
	SLUICED_WRAP=$DAEMON_WRAP SLUICED_PID=$DAEMON_PID
}

RESULTS=$OUT/results.tsv
printf 'run\tbase_eps\tbase_epcs\tbase_cpu\tbase_broker_cpu\tsl_eps\tsl_epcs\tsl_cpu\tsl_broker_cpu\tsl_start_cpu\tsl_start_wall\tsl_idle_cpu_per_s\tratio_epcs\n' >"$RESULTS"

log "N=$N bids, $PARTS partitions, $RUNS runs; logs in $OUT"
[ -z "${SLUICED_FLAGS:-}${BASELINE_FLAGS:-}" ] ||
	log "SLUICED_FLAGS=${SLUICED_FLAGS:-} BASELINE_FLAGS=${BASELINE_FLAGS:-}"
run=1
while [ $run -le "$RUNS" ]; do
	# --- the broker
	rm -f "$OUT/kafka.addr"
	start_daemon $T_BROKER "$OUT/run$run-kafka.log" "$BUILDDIR/sluice-kafka" \
		--port-file "$OUT/kafka.addr" --topic "bids:$PARTS" --topic "Q0:$PARTS" \
		--topic SLUICE_PROCESSING_LOG:1
	BROKER_WRAP=$DAEMON_WRAP BROKER_PID=$DAEMON_PID
	i=0
	while [ ! -s "$OUT/kafka.addr" ]; do
		i=$((i + 1))
		[ $i -le $((T_START * 100)) ] || die "sluice-kafka did not start (see $OUT/run$run-kafka.log)"
		sleep 0.01
	done
	BOOTSTRAP=$(cat "$OUT/kafka.addr")
	case $BOOTSTRAP in 127.0.0.1:*) ;; *) die "unexpected bootstrap address $BOOTSTRAP" ;; esac

	# --- calibration: sluiced's start-up and idle cost, with nothing to read
	start_sluiced $run calib
	wait_for "$SLUICED_LOG" 'sluiced: running' $T_START ||
		die "sluiced did not start (see $SLUICED_LOG)"
	t_run=$(now)
	start_cpu=$(cpu_of "$SLUICED_PID")
	start_wall=$(calc "r - l" r="$t_run" l="$T_LAUNCH")
	sleep $IDLE
	idle_cpu=$(calc "(c - s) / i" c="$(cpu_of "$SLUICED_PID")" s="$start_cpu" i=$IDLE)
	stop_daemon "$SLUICED_WRAP" "$SLUICED_PID"
	SLUICED_PID=

	# --- the data
	timeout -k 5 $T_STEP "$BUILDDIR/bench/gen" -b "$BOOTSTRAP" -t bids -n "$N" \
		--timeout $T_STEP >"$OUT/run$run-gen.kv" 2>"$OUT/run$run-gen.log" ||
		die "gen failed: $(cat "$OUT/run$run-gen.log")"
	log "run $run: gen: $(cat "$OUT/run$run-gen.log" | sed 's/^gen: //')"

	# --- the raw baseline
	b0=$(cpu_of "$BROKER_PID")
	timeout -k 5 $T_STEP "$BUILDDIR/bench/baseline" -b "$BOOTSTRAP" -t bids -n "$N" \
		--timeout $T_STEP ${BASELINE_FLAGS:-} >"$OUT/run$run-baseline.kv" 2>"$OUT/run$run-baseline.log" ||
		die "baseline failed: $(cat "$OUT/run$run-baseline.log")"
	base_broker=$(calc "a - b" a="$(cpu_of "$BROKER_PID")" b="$b0")
	base_eps=$(kv events_per_s "$OUT/run$run-baseline.kv")
	base_epcs=$(kv events_per_cpu_s "$OUT/run$run-baseline.kv")
	base_cpu=$(kv cpu_s "$OUT/run$run-baseline.kv")
	log "run $run: baseline: $N events in $(kv seconds "$OUT/run$run-baseline.kv") s:" \
		"$base_eps events/s; $base_cpu CPU-s: $base_epcs events/CPU-s" \
		"(broker meanwhile: $base_broker CPU-s)"

	# --- sluiced running q0
	start_sluiced $run q0
	if [ -n "$PERF_DATA" ]; then
		perf record ${PERF_FLAGS:--F 999 -g} -p "$SLUICED_PID" -o "$PERF_DATA.$run" \
			>"$OUT/run$run-perf.log" 2>&1 &
		PERF_PID=$!
	fi
	timeout -k 5 $((T_STEP + 10)) "$BUILDDIR/bench/watch" -b "$BOOTSTRAP" -t Q0 -n "$N" \
		-p sluiced="$SLUICED_PID" -p broker="$BROKER_PID" --interval 0.05 \
		--timeout $T_STEP >"$OUT/run$run-watch.kv" 2>"$OUT/run$run-watch.log" ||
		die "q0 did not complete: $(cat "$OUT/run$run-watch.log") (see $SLUICED_LOG)"
	if [ -n "$PERF_PID" ]; then
		kill -INT "$PERF_PID" 2>/dev/null || true
		wait "$PERF_PID" 2>/dev/null || true
		PERF_PID=
	fi
	grep -q 'sluiced: running' "$SLUICED_LOG" || die "sluiced did not start (see $SLUICED_LOG)"
	W=$OUT/run$run-watch.kv
	sl_out=$(kv records "$W")
	sl_wall=$(calc "(e - l) - s" e="$(kv end_epoch "$W")" l="$T_LAUNCH" s="$start_wall")
	sl_cpu=$(calc "c - s" c="$(kv cpu_end_sluiced "$W")" s="$start_cpu")
	sl_broker=$(calc "e - s" e="$(kv cpu_end_broker "$W")" s="$(kv cpu_start_broker "$W")")
	sl_eps=$(calc "n / w" n="$N" w="$sl_wall")
	sl_epcs=$(calc "n / c" n="$N" c="$sl_cpu")
	ratio=$(calc "s / b" s="$sl_epcs" b="$base_epcs")
	log "run $run: sluiced: start-up $start_wall s, $start_cpu CPU-s; idle $idle_cpu CPU-s/s"
	log "run $run: sluiced q0: $N events ($sl_out output records) in $sl_wall s:" \
		"$sl_eps events/s; $sl_cpu CPU-s: $sl_epcs events/CPU-s" \
		"(broker meanwhile: $sl_broker CPU-s); ratio to the baseline $ratio"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$base_eps" \
		"$base_epcs" "$base_cpu" "$base_broker" "$sl_eps" "$sl_epcs" "$sl_cpu" \
		"$sl_broker" "$start_cpu" "$start_wall" "$idle_cpu" "$ratio" >>"$RESULTS"

	cleanup
	run=$((run + 1))
done

# min / median / max of each column over the runs
echo "q0 over $N JSON bids ($PARTS partitions), $RUNS runs; $(nproc) cores," \
	"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
awk -F '\t' '
NR == 1 { for (i = 2; i <= NF; i++) name[i] = $i; nc = NF; next }
{ for (i = 2; i <= nc; i++) v[i, NR - 1] = $i; n = NR - 1 }
END {
	printf "%-20s %12s %12s %12s\n", "", "min", "median", "max"
	for (i = 2; i <= nc; i++) {
		for (a = 1; a <= n; a++) s[a] = v[i, a] + 0
		for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++)
			if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
		med = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
		printf "%-20s %12.4g %12.4g %12.4g\n", name[i], s[1], med, s[n]
	}
}' "$RESULTS"
echo "(eps: events/s; epcs: events per CPU-second; cpu: CPU-s; per-run figures in $RESULTS)"
