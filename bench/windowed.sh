#!/bin/sh
# windowed.sh: the aggregation benchmarks.
#
# windowed-count: a windowed COUNT(*) and SUM(v) per key on sluiced, next to
# the raw baseline (librdkafka + cJSON + an in-memory hash table doing the
# same counting) in the same run: events per second and per CPU-second of
# each, their ratio, and sluiced's peak resident set size.
#
# windowed-keys: sluiced's peak resident set size while it counts the
# records of 10,000,000 distinct keys (non-windowed GROUP BY): its state
# has to live in SQLite, not in memory.
#
# One windowed-count run: start sluice-kafka (topics events and WC with
# PARTITIONS each) -> calibrate: sluiced with the statements on the still
# empty topic, whose CPU and wall time at "running" are its start-up, and
# whose CPU over the next IDLE seconds is its idle cost -> gen writes N
# events -> baseline aggregates them -> sluiced runs the query over them
# from the earliest offset, and bench/watch waits until the query has
# committed N input offsets (which it does together with its state, after
# Kafka has acknowledged the output), and reads sluiced's CPU time and
# VmHWM at that poll -> the table is checked against the baseline's groups.
# sluiced's figures are from its launch to that poll, less the calibrated
# start-up.  Each run starts from a fresh broker.  The windowed-keys run has
# the same shape without calibration and baseline.
#
# Usage: bench/windowed.sh [-w count|keys|all] [-n N] [-k KEYS] [-K KEYS_N] [-r RUNS]
#        [-p PARTITIONS] [-c COMMIT_MS] [-B BUILDDIR] [-o OUTDIR] [-P PERF.DATA]
# (`make bench-windowed` runs it from the build directory; bench/run runs
# windowed-count).  Everything listens on 127.0.0.1 only and every step has
# a time limit.  For experiments, $SLUICED_FLAGS and $BASELINE_FLAGS are
# added to the command lines of sluiced and baseline, as in bench/run.

set -eu

usage() {
	cat <<EOF
usage: bench/windowed.sh [-w count|keys|all] [-n N] [-k KEYS] [-K KEYS_N] [-r RUNS]
                         [-p PARTITIONS] [-c COMMIT_MS] [-B BUILDDIR] [-o OUTDIR] [-P PERF.DATA]
  -w WHICH        count: windowed-count; keys: windowed-keys; all (default): both
  -n N            windowed-count: events (default 1000000), 1000 per second of
                  event time (so N/1000 one-second windows)
  -k KEYS         windowed-count: distinct keys, drawn at random (default 1000)
  -K KEYS_N       windowed-keys: events, each with its own key (default 10000000)
  -r RUNS         windowed-count: number of runs (default 3); windowed-keys runs once
  -p PARTITIONS   partitions of the input and output topics (default: events/50000,
                  at least 16, so that no partition exceeds the mock cluster's 5 MB)
  -c COMMIT_MS    sluiced's commit.interval.ms (default 200): completion is seen at
                  the first commit after the last record, so this bounds the error
                  of the wall time
  -B BUILDDIR     where sluiced, sluice-kafka and bench/{gen,baseline,watch} are
                  (default: the current directory)
  -o OUTDIR       where logs and results go (default: a new directory in \${TMPDIR:-/tmp})
  -P PERF.DATA    profile sluiced during the windowed-count phase with perf record
                  (\$PERF_FLAGS, default "-F 999 -g"), into PERF.DATA.RUN; the runs'
                  numbers then include perf's overhead
EOF
}

WHICH=all
N=1000000
RATE=${RATE:-1000}
KEYS=1000
KEYS_N=10000000
RUNS=3
PARTS=
COMMIT_MS=200
BUILDDIR=.
OUT=
PERF_DATA=
while getopts w:n:k:K:r:p:c:B:o:P:h opt; do
	case $opt in
	w) WHICH=$OPTARG ;;
	n) N=$OPTARG ;;
	k) KEYS=$OPTARG ;;
	K) KEYS_N=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	p) PARTS=$OPTARG ;;
	c) COMMIT_MS=$OPTARG ;;
	B) BUILDDIR=$OPTARG ;;
	o) OUT=$OPTARG ;;
	P) PERF_DATA=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage >&2; exit 2; }
case $N$KEYS$KEYS_N$RUNS$PARTS$COMMIT_MS in
*[!0-9]*) echo "windowed.sh: -n, -k, -K, -r, -p and -c take numbers" >&2; exit 2 ;;
esac
case $WHICH in count | keys | all) ;; *) usage >&2; exit 2 ;; esac
# partitions for a number of events: about 45 bytes each, 50,000 (2.5 MB)
# per partition at most
parts_for() {
	if [ -n "$PARTS" ]; then echo "$PARTS"; else
		echo $(( ($1 + 49999) / 50000 > 16 ? ($1 + 49999) / 50000 : 16 ))
	fi
}

BUILDDIR=$(cd "$BUILDDIR" && pwd)
for prog in sluiced sluice-kafka bench/gen bench/baseline bench/watch; do
	[ -x "$BUILDDIR/$prog" ] || {
		echo "windowed.sh: $BUILDDIR/$prog not found: run make bench-programs" >&2
		exit 2
	}
done
command -v sqlite3 >/dev/null || { echo "windowed.sh: needs sqlite3 (the command)" >&2; exit 2; }
[ -n "$OUT" ] || OUT=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-windowed.XXXXXX")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
[ -z "$PERF_DATA" ] || command -v perf >/dev/null || { echo "windowed.sh: -P needs perf" >&2; exit 2; }

log() { echo "windowed.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# time limits, calc, kv, start_broker, start_sluiced, calibrate, measured,
# perf_start, cleanup (the EXIT trap) ...
. "$(dirname "$0")/lib.sh"

# The stream takes its event time from the field ts (milliseconds), as a
# producer that stamps its events would: the windows follow the data, not
# the time at which gen happened to write it.
STREAM="CREATE STREAM events (k VARCHAR, v BIGINT, ts BIGINT)
  WITH (kafka_topic='events', value_format='JSON', timestamp='ts');"
cat >"$OUT/windowed-count.sql" <<EOF
$STREAM
CREATE TABLE wc AS SELECT k, COUNT(*) AS n, SUM(v) AS s FROM events
  WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY k;
EOF
cat >"$OUT/windowed-keys.sql" <<EOF
$STREAM
CREATE TABLE kc AS SELECT k, COUNT(*) AS n FROM events GROUP BY k;
EOF

# gen_events TAG COUNT ARGS...: COUNT events to the topic events
gen_events() {
	tag=$1 count=$2
	shift 2
	timeout -k 5 $T_STEP "$BUILDDIR/bench/gen" -b "$BOOTSTRAP" -t events -w events \
		-n "$count" --timeout $T_STEP "$@" >"$OUT/$tag-gen.kv" 2>"$OUT/$tag-gen.log" ||
		die "gen failed: $(cat "$OUT/$tag-gen.log")"
	log "$tag: gen: $(sed 's/^gen: //' "$OUT/$tag-gen.log")"
}

# watch_query TAG COUNT QUERY_ID_GLOB: waits until sluiced's query has
# committed COUNT input records; its key=value output in OUT/TAG-watch.kv
watch_query() {
	timeout -k 5 $((T_STEP + 10)) "$BUILDDIR/bench/watch" --db "$STATE/$3.db" -t events \
		-n "$2" -p sluiced="$SLUICED_PID" -p broker="$BROKER_PID" --interval 0.05 \
		--timeout $T_STEP >"$OUT/$1-watch.kv" 2>"$OUT/$1-watch.log" ||
		die "$1 did not complete: $(cat "$OUT/$1-watch.log") (see $SLUICED_LOG)"
	grep -q 'sluiced: running' "$SLUICED_LOG" || die "sluiced did not start (see $SLUICED_LOG)"
}

# sql DB STATEMENT: one value from sluiced's query database
sql() { sqlite3 -readonly "$1" "$2" 2>&1 || die "sqlite3 $1: $2 failed"; }

RESULTS=$OUT/results.tsv
printf 'run\tbase_eps\tbase_epcs\tbase_cpu\tbase_broker_cpu\tsl_eps\tsl_epcs\tsl_cpu\tsl_broker_cpu\tsl_start_cpu\tsl_start_wall\tsl_idle_cpu_per_s\tsl_peak_rss_mb\tbase_peak_rss_mb\tgroups\tout_records\tratio_epcs\n' >"$RESULTS"

# ---------------------------------------------------------------- windowed-count
if [ "$WHICH" != keys ]; then
	P=$(parts_for "$N")
	log "windowed-count: N=$N events, $KEYS keys, $P partitions, commit.interval.ms=$COMMIT_MS," \
		"$RUNS runs; logs in $OUT"
	[ -z "${SLUICED_FLAGS:-}${BASELINE_FLAGS:-}" ] ||
		log "SLUICED_FLAGS=${SLUICED_FLAGS:-} BASELINE_FLAGS=${BASELINE_FLAGS:-}"
	run=1
	while [ $run -le "$RUNS" ]; do
		R=run$run
		start_broker "$R" "events:$P" "WC:$P"

		# --- calibration: sluiced's start-up and idle cost, with nothing to read
		calibrate "$R-calib" "$OUT/windowed-count.sql" ||
			die "sluiced refused the statements: $ENGINE_ERROR"

		# --- the data: 1000 events per second of event time
		gen_events "$R" "$N" --keys "$KEYS" --rate "$RATE"

		# --- the raw baseline
		b0=$(cpu_of "$BROKER_PID")
		timeout -k 5 $T_STEP "$BUILDDIR/bench/baseline" -b "$BOOTSTRAP" -t events -n "$N" \
			--aggregate --window-ms 1000 --timeout $T_STEP ${BASELINE_FLAGS:-} \
			>"$OUT/$R-baseline.kv" 2>"$OUT/$R-baseline.log" ||
			die "baseline failed: $(cat "$OUT/$R-baseline.log")"
		B=$OUT/$R-baseline.kv
		base_broker=$(calc "a - b" a="$(cpu_of "$BROKER_PID")" b="$b0")
		base_eps=$(kv events_per_s "$B")
		base_epcs=$(kv events_per_cpu_s "$B")
		base_cpu=$(kv cpu_s "$B")
		base_rss=$(mb "$(kv peak_rss_kb "$B")")
		groups=$(kv groups "$B")
		log "$R: baseline: $N events in $(kv seconds "$B") s: $base_eps events/s;" \
			"$base_cpu CPU-s: $base_epcs events/CPU-s; $groups groups; peak RSS $base_rss MB" \
			"(broker meanwhile: $base_broker CPU-s)"

		# --- sluiced running the windowed count
		start_sluiced "$R-wc" "$OUT/windowed-count.sql"
		[ -z "$PERF_DATA" ] || perf_start "$PERF_DATA.$run"
		watch_query "$R" "$N" 'CTAS_WC_*'
		perf_stop
		W=$OUT/$R-watch.kv
		measured "$N" "$W"
		sl_broker=$(calc "e - s" e="$(kv cpu_end_broker "$W")" s="$(kv cpu_start_broker "$W")")
		ratio=$(calc "s / b" s="$SL_EPCS" b="$base_epcs")

		# --- is the result right?  The committed table against the baseline
		DB=$(ls "$STATE"/CTAS_WC_*.db | head -n 1)
		got=$(sql "$DB" 'SELECT count(*) || " " || sum(N) || " " || sum(S) FROM WC')
		want="$groups $(kv count_total "$B") $(kv sum_total "$B")"
		[ "$got" = "$want" ] ||
			die "$R: table WC holds (rows, sum(N), sum(S)) = ($got), the baseline ($want)"
		out=$("$BUILDDIR/bench/watch" -b "$BOOTSTRAP" -t WC -n 0 2>/dev/null | sed -n 's/^records=//p')
		log "$R: sluiced: start-up $START_WALL s, $START_CPU CPU-s; idle $IDLE_CPU CPU-s/s"
		log "$R: sluiced windowed-count: $N events in $SL_WALL s: $SL_EPS events/s;" \
			"$SL_CPU CPU-s: $SL_EPCS events/CPU-s; peak RSS $SL_RSS MB; table WC right" \
			"($groups rows), $out output records (broker meanwhile: $sl_broker CPU-s);" \
			"ratio to the baseline $ratio"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
			"$run" "$base_eps" "$base_epcs" "$base_cpu" "$base_broker" "$SL_EPS" "$SL_EPCS" \
			"$SL_CPU" "$sl_broker" "$START_CPU" "$START_WALL" "$IDLE_CPU" "$SL_RSS" \
			"$base_rss" "$groups" "$out" "$ratio" >>"$RESULTS"
		cleanup
		run=$((run + 1))
	done
fi

# ---------------------------------------------------------------- windowed-keys
if [ "$WHICH" != count ]; then
	P=$(parts_for "$KEYS_N")
	log "windowed-keys: $KEYS_N events with distinct keys, $P partitions; logs in $OUT"
	start_broker keys "events:$P" "KC:$P"
	gen_events keys "$KEYS_N" --keys "$KEYS_N" --distinct --rate 1000
	start_sluiced keys "$OUT/windowed-keys.sql"
	watch_query keys "$KEYS_N" 'CTAS_KC_*'
	W=$OUT/keys-watch.kv
	k_wall=$(calc "e - l" e="$(kv end_epoch "$W")" l="$T_LAUNCH")
	k_cpu=$(kv cpu_end_sluiced "$W")
	k_rss=$(mb "$(kv hwm_kb_sluiced "$W")")
	k_rss_end=$(mb "$(kv rss_kb_sluiced "$W")")
	DB=$(ls "$STATE"/CTAS_KC_*.db | head -n 1)
	got=$(sql "$DB" 'SELECT count(*) || " " || sum(N) FROM KC')
	[ "$got" = "$KEYS_N $KEYS_N" ] ||
		die "keys: table KC holds (rows, sum(N)) = ($got), expected ($KEYS_N $KEYS_N)"
	db_mb=$(du -sm "$STATE" | cut -f 1)
	log "keys: sluiced: $KEYS_N events in $k_wall s (with start-up): $(calc "n / w" n="$KEYS_N" w="$k_wall")" \
		"events/s; $k_cpu CPU-s: $(calc "n / c" n="$KEYS_N" c="$k_cpu") events/CPU-s;" \
		"peak RSS $k_rss MB (at the end $k_rss_end MB); table KC right; state dir $db_mb MB"
	printf 'keys\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$KEYS_N" "$k_wall" "$k_cpu" "$k_rss" \
		"$k_rss_end" "$db_mb" "$P" >"$OUT/keys.tsv"
	cleanup
fi

# ---------------------------------------------------------------- report
echo "$(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1);" \
	"commit.interval.ms=$COMMIT_MS; per-run figures in $OUT"
if [ "$WHICH" != keys ]; then
	# min / median / max of each column over the runs
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
			m[name[i]] = med
		}
		printf "windowed-count: %.0f events/s, %.0f events per CPU-second, %.2fx baseline, peak RSS %.0f MB (medians of %d runs)\n",
			m["sl_eps"], m["sl_epcs"], m["ratio_epcs"], m["sl_peak_rss_mb"], n
	}' "$RESULTS"
fi
if [ "$WHICH" != count ]; then
	awk -F '\t' '{ printf "windowed-keys: peak RSS %.0f MB over %d distinct keys (%.0f events/s, %.0f events per CPU-second, including start-up; state %d MB on disk)\n",
		$5, $2, $2 / $3, $2 / $4, $7 }' "$OUT/keys.tsv"
fi
