/*
 * watch.c: bench/watch, waits until a topic holds a number of records and
 * says how long that took and how much CPU some processes used meanwhile.
 *
 * Polls the end offsets of every partition of --topic (one ListOffsets
 * request per poll, every --interval seconds) until their sum reaches
 * --count, and reads the CPU time (/proc/PID/stat, utime + stime) of each
 * --pid NAME=PID at its start and at the poll that saw the count reached.
 * The topic is expected to have started empty.  Prints key=value lines on
 * stdout: records, seconds (from the start of watch to that poll),
 * end_epoch (the wall-clock time of that poll, in seconds since 1970, to
 * compare with other programs' clocks), first_records (the count at the
 * first poll), first_output_s (when the count was first non-zero), polls,
 * cpu_start_NAME, cpu_end_NAME for each process, and its peak and current
 * resident set size at that poll, hwm_kb_NAME and rss_kb_NAME (VmHWM and
 * VmRSS of /proc/PID/status, read while it still runs).  Exits with 1 on
 * timeout or if a process is gone.
 *
 * With --db GLOB, watch counts what a sluiced query has consumed instead:
 * the sum of the input offsets of --topic that the query committed (the
 * table offsets of its SQLite database, the first file matching GLOB, read
 * read-only next to the running server).  sluiced commits them in the same
 * transaction as the query's state, and only once Kafka has acknowledged
 * the output produced from them, so reaching COUNT means everything up to
 * there is processed, stored and emitted, whatever the number of output
 * records (which record caching makes unpredictable).  The topic is
 * expected to have been consumed from offset 0.  Then -b is not needed.
 */
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bench.h"

#define MAX_PIDS 8

typedef struct proc {
	const char *name;
	pid_t pid;
	double cpu_start, cpu_end;
	long hwm_kb, rss_kb;
} proc_t;

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: watch -b BOOTSTRAP -t TOPIC -n COUNT [-p NAME=PID]... [--interval SECONDS]\n"
		"             [--timeout SECONDS]\n"
		"       watch --db GLOB -t TOPIC -n COUNT [-p NAME=PID]... [--interval SECONDS]\n"
		"             [--timeout SECONDS]\n"
		"\n"
		"Waits until TOPIC holds COUNT records (the sum of its end offsets), or with\n"
		"--db until a sluiced query has committed COUNT records of its input TOPIC,\n"
		"and prints the time that took, the CPU time each process PID used meanwhile\n"
		"and its peak resident set size.\n"
		"\n"
		"  -b, --bootstrap-servers B  the Kafka cluster\n"
		"  -t, --topic TOPIC          the topic to watch\n"
		"  -d, --db GLOB              the query's SQLite database (sluiced's\n"
		"                             STATE_DIR/QUERY_ID.db; waits for it to appear)\n"
		"  -n, --count COUNT          records to wait for\n"
		"  -p, --pid NAME=PID         a process whose CPU time to report (up to 8)\n"
		"      --interval SECONDS     time between two polls (default 0.1)\n"
		"      --timeout SECONDS      give up after this long (default 300)\n");
}

static void
sleep_seconds(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
	nanosleep(&ts, NULL);
}

static void
read_cpu(proc_t *procs, int nprocs, int end)
{
	for (int i = 0; i < nprocs; i++) {
		double cpu = bench_cpu_pid(procs[i].pid);
		if (cpu < 0)
			bench_die("process %s (%ld) is gone", procs[i].name, (long)procs[i].pid);
		if (end)
			procs[i].cpu_end = cpu;
		else
			procs[i].cpu_start = cpu;
	}
}

static void
read_mem(proc_t *procs, int nprocs)
{
	for (int i = 0; i < nprocs; i++) {
		procs[i].hwm_kb = bench_status_kb(procs[i].pid, "VmHWM");
		procs[i].rss_kb = bench_status_kb(procs[i].pid, "VmRSS");
		if (procs[i].hwm_kb < 0 || procs[i].rss_kb < 0)
			bench_die("process %s (%ld) is gone", procs[i].name, (long)procs[i].pid);
	}
}

/* A query's committed offsets, read from its SQLite database. */
typedef struct dbwatch {
	const char *pattern;
	const char *topic;
	sqlite3 *db;
	sqlite3_stmt *st;
} dbwatch_t;

/* The sum of the committed offsets of the topic into *total; 0, or -1 if
 * the database is not there yet (or not ready: no table offsets yet). */
static int
db_poll(dbwatch_t *w, int64_t *total)
{
	if (w->db == NULL) {
		glob_t gl;
		if (glob(w->pattern, 0, NULL, &gl) != 0)
			return -1;
		int rc = sqlite3_open_v2(gl.gl_pathv[0], &w->db, SQLITE_OPEN_READONLY, NULL);
		globfree(&gl);
		if (rc != SQLITE_OK) {
			sqlite3_close(w->db);
			w->db = NULL;
			return -1;
		}
		sqlite3_busy_timeout(w->db, 1000);
	}
	if (w->st == NULL) {
		if (sqlite3_prepare_v2(w->db,
				       "SELECT coalesce(sum(next), 0) FROM offsets WHERE topic = ?",
				       -1, &w->st, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_text(w->st, 1, w->topic, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(w->st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(w->st, 0);
	sqlite3_reset(w->st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bootstrap-servers", required_argument, NULL, 'b' },
		{ "topic", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'd' },
		{ "interval", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bootstrap = NULL, *topic = NULL, *db_glob = NULL;
	int64_t count = -1;
	double interval = 0.1, timeout = 300;
	proc_t procs[MAX_PIDS];
	int nprocs = 0, opt;

	bench_prog = "watch";
	while ((opt = getopt_long(argc, argv, "b:t:n:p:d:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bootstrap = optarg;
			break;
		case 't':
			topic = optarg;
			break;
		case 'n':
			count = bench_parse_int("--count", optarg, 0, INT64_MAX);
			break;
		case 'p': {
			char *eq = strchr(optarg, '=');
			if (eq == NULL || eq == optarg || nprocs == MAX_PIDS)
				bench_die("--pid %s: expected NAME=PID (at most %d)", optarg,
					  MAX_PIDS);
			*eq = '\0';
			procs[nprocs].name = optarg;
			procs[nprocs].pid = (pid_t)bench_parse_int("--pid", eq + 1, 1, INT32_MAX);
			nprocs++;
			break;
		}
		case 'd':
			db_glob = optarg;
			break;
		case 'i':
			interval = bench_parse_seconds("--interval", optarg);
			break;
		case 'w':
			timeout = bench_parse_seconds("--timeout", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if ((bootstrap == NULL && db_glob == NULL) || topic == NULL || count < 0 || optind < argc) {
		usage(stderr);
		return 2;
	}

	double t0 = bench_now(), deadline = t0 + timeout;
	read_cpu(procs, nprocs, 0);

	rd_kafka_t *rk = NULL;
	int nparts = 0;
	int64_t *high = NULL;
	dbwatch_t dbw = { .pattern = db_glob, .topic = topic };
	if (db_glob == NULL) {
		rd_kafka_conf_t *conf = rd_kafka_conf_new();
		rk = bench_client_new(RD_KAFKA_CONSUMER, conf, bootstrap);
		nparts = bench_partition_count(rk, topic, 10000);
		high = calloc((size_t)nparts, sizeof(*high));
		if (high == NULL)
			bench_die("out of memory");
	}

	int64_t total = 0, first = -1;
	double first_output = -1, t = t0;
	long polls = 0;
	for (;;) {
		int polled;
		if (db_glob != NULL) {
			polled = db_poll(&dbw, &total) == 0;
		} else {
			polled = bench_offsets(rk, topic, nparts, RD_KAFKA_OFFSET_END, high,
					       5000) == 0;
			if (polled) {
				total = 0;
				for (int p = 0; p < nparts; p++)
					total += high[p];
			}
		}
		if (polled) {
			t = bench_now();
			polls++;
			if (first < 0)
				first = total;
			if (total > 0 && first_output < 0)
				first_output = t - t0;
			if (total >= count)
				break;
		}
		read_cpu(procs, nprocs, 1); /* only to notice that one is gone */
		if (bench_now() > deadline)
			bench_die("timed out after %.0f s: \"%s\" %s %" PRId64 " of %" PRId64
				  " records",
				  timeout, topic, db_glob ? "committed" : "holds", total, count);
		sleep_seconds(interval);
	}
	read_cpu(procs, nprocs, 1);
	read_mem(procs, nprocs);
	struct timespec end;
	clock_gettime(CLOCK_REALTIME, &end);

	printf("records=%" PRId64 "\nseconds=%.3f\nend_epoch=%lld.%06ld\nfirst_records=%" PRId64
	       "\nfirst_output_s=%.3f\npolls=%ld\n",
	       total, t - t0, (long long)end.tv_sec, end.tv_nsec / 1000, first, first_output,
	       polls);
	for (int i = 0; i < nprocs; i++)
		printf("cpu_start_%s=%.2f\ncpu_end_%s=%.2f\nhwm_kb_%s=%ld\nrss_kb_%s=%ld\n",
		       procs[i].name, procs[i].cpu_start, procs[i].name, procs[i].cpu_end,
		       procs[i].name, procs[i].hwm_kb, procs[i].name, procs[i].rss_kb);
	free(high);
	if (rk != NULL)
		rd_kafka_destroy(rk);
	sqlite3_finalize(dbw.st);
	sqlite3_close(dbw.db);
	return 0;
}
