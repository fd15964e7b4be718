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
 * With --db GLOB, watch counts what sluiced's queries have consumed
 * instead: the input offsets that the queries whose SQLite databases match
 * GLOB (sluiced's STATE_DIR/QUERY_ID.db, read read-only next to the running
 * server; a database without a table offsets, such as catalog.db, does not
 * count) have committed.  sluiced commits them in the same transaction as
 * the query's state, and only once Kafka has acknowledged the output
 * produced from them, so reaching COUNT means everything up to there is
 * processed, stored and emitted, whatever the number of output records
 * (which record caching makes unpredictable).  -t may be given several
 * times, as TOPIC=COUNT (several input topics, as a join reads): watch
 * waits until, for each topic, some database has committed offsets of it
 * and every database that has has reached its COUNT (the sum over its
 * partitions).  The topics are expected to have been consumed from offset
 * 0.  With -b as well, watch also waits until the offsets that the queries
 * committed of any other topic have reached that topic's end (the end
 * offsets now): a query that reads another query's output (a chain of
 * statements) is then done too.  A query that has committed nothing of a
 * topic yet is not seen to read it: -r TOPIC=N says that N queries read
 * TOPIC, and watch also waits until N databases have committed offsets of
 * it (in a chain, the last query may not have fetched its input's first
 * record by the time the others are done).
 */
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bench.h"

#define MAX_PIDS 8
#define MAX_TOPICS 8
#define MAX_DBS 64

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
		"       watch --db GLOB -t TOPIC[=COUNT]... [-r TOPIC=N]... [-n COUNT] [-p NAME=PID]...\n"
		"             [-b BOOTSTRAP] [--interval SECONDS] [--timeout SECONDS]\n"
		"\n"
		"Waits until TOPIC holds COUNT records (the sum of its end offsets), or with\n"
		"--db until sluiced's queries have committed COUNT records of their input TOPIC,\n"
		"and prints the time that took, the CPU time each process PID used meanwhile\n"
		"and its peak resident set size.\n"
		"\n"
		"  -b, --bootstrap-servers B  the Kafka cluster; with --db, also wait until the\n"
		"                             queries' offsets of every other topic they read\n"
		"                             reach its end (a query that reads another's output)\n"
		"  -t, --topic TOPIC[=COUNT]  the topic to watch; with --db, several may be given,\n"
		"                             each with its COUNT\n"
		"  -r, --readers TOPIC=N      with --db: N queries read TOPIC; wait until N\n"
		"                             databases have committed offsets of it\n"
		"  -d, --db GLOB              the queries' SQLite databases (sluiced's\n"
		"                             STATE_DIR/QUERY_ID.db; waits for them to appear)\n"
		"  -n, --count COUNT          records to wait for (of a topic without =COUNT)\n"
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

/* A topic whose committed offsets --db waits for. */
typedef struct wtopic {
	const char *name;
	int64_t count; /* -1: -n's */
	int64_t min;   /* this poll: the least sum of its offsets over the databases */
	bool seen;     /* this poll: some database has its offsets */
} wtopic_t;

/* A topic that --readers queries read (-r). */
typedef struct wreaders {
	const char *name;
	int64_t n;
	int64_t seen;  /* this poll: the databases with offsets of it */
} wreaders_t;

/* The queries' committed offsets, read from their SQLite databases. */
typedef struct dbwatch {
	const char *pattern;
	int ndbs;
	char *path[MAX_DBS];
	sqlite3 *db[MAX_DBS];
	sqlite3_stmt *st[MAX_DBS]; /* NULL until its table offsets exists */
} dbwatch_t;

/* Opens the databases matching the pattern that are not open yet. */
static void
db_scan(dbwatch_t *w)
{
	glob_t gl;
	if (glob(w->pattern, 0, NULL, &gl) != 0)
		return;
	for (size_t i = 0; i < gl.gl_pathc && w->ndbs < MAX_DBS; i++) {
		int known = 0;
		for (int k = 0; k < w->ndbs && !known; k++)
			known = strcmp(w->path[k], gl.gl_pathv[i]) == 0;
		sqlite3 *db = NULL;
		if (known ||
		    sqlite3_open_v2(gl.gl_pathv[i], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
			sqlite3_close(db);
			continue;
		}
		sqlite3_busy_timeout(db, 1000);
		w->path[w->ndbs] = strdup(gl.gl_pathv[i]);
		w->db[w->ndbs] = db;
		w->st[w->ndbs++] = NULL;
	}
	globfree(&gl);
}

/* The sum of the end offsets of topic; -1 if they cannot be read. */
static int64_t
topic_end(rd_kafka_t *rk, const char *topic)
{
	int nparts = bench_partition_count(rk, topic, 5000);
	int64_t *high = calloc((size_t)nparts, sizeof(*high)), end = 0;
	if (high == NULL)
		bench_die("out of memory");
	if (bench_offsets(rk, topic, nparts, RD_KAFKA_OFFSET_END, high, 5000) != 0)
		end = -1;
	for (int p = 0; p < nparts && end >= 0; p++)
		end += high[p];
	free(high);
	return end;
}

/* Reads every database's committed offsets into the topics' min and seen;
 * with rk (--drain), *drained says whether the offsets of every other
 * topic have reached its end.  0, or -1 if no database could be read. */
static int
db_poll(dbwatch_t *w, wtopic_t *topics, int ntopics, wreaders_t *rd, int nrd, rd_kafka_t *rk,
	bool *drained)
{
	int read = 0;
	db_scan(w);
	*drained = true;
	for (int r = 0; r < nrd; r++)
		rd[r].seen = 0;
	for (int t = 0; t < ntopics; t++) {
		topics[t].min = INT64_MAX;
		topics[t].seen = false;
	}
	for (int k = 0; k < w->ndbs; k++) {
		if (w->st[k] == NULL &&
		    sqlite3_prepare_v2(w->db[k],
				       "SELECT topic, sum(next) FROM offsets GROUP BY topic", -1,
				       &w->st[k], NULL) != SQLITE_OK)
			continue; /* not a query's database, or not ready yet */
		int rc;
		while ((rc = sqlite3_step(w->st[k])) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(w->st[k], 0);
			int64_t sum = sqlite3_column_int64(w->st[k], 1);
			for (int r = 0; r < nrd; r++)
				rd[r].seen += name != NULL && strcmp(name, rd[r].name) == 0;
			int t = 0;
			while (t < ntopics && (name == NULL || strcmp(name, topics[t].name) != 0))
				t++;
			if (t < ntopics) {
				topics[t].seen = true;
				if (sum < topics[t].min)
					topics[t].min = sum;
			} else if (rk != NULL && name != NULL && *drained) {
				int64_t end = topic_end(rk, name);
				*drained = end >= 0 && sum >= end;
			}
		}
		sqlite3_reset(w->st[k]);
		read |= rc == SQLITE_DONE;
	}
	for (int t = 0; t < ntopics; t++)
		if (!topics[t].seen)
			topics[t].min = 0;
	for (int r = 0; r < nrd; r++)
		*drained = *drained && rd[r].seen >= rd[r].n;
	return read ? 0 : -1;
}

static void
db_close(dbwatch_t *w)
{
	for (int k = 0; k < w->ndbs; k++) {
		sqlite3_finalize(w->st[k]);
		sqlite3_close(w->db[k]);
		free(w->path[k]);
	}
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
		{ "readers", required_argument, NULL, 'r' },
		{ "interval", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bootstrap = NULL, *db_glob = NULL;
	int64_t count = -1;
	double interval = 0.1, timeout = 300;
	proc_t procs[MAX_PIDS];
	wtopic_t topics[MAX_TOPICS];
	wreaders_t readers[MAX_TOPICS];
	int nprocs = 0, ntopics = 0, nreaders = 0, opt;

	bench_prog = "watch";
	while ((opt = getopt_long(argc, argv, "b:t:n:p:d:r:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bootstrap = optarg;
			break;
		case 't': {
			if (ntopics == MAX_TOPICS)
				bench_die("--topic: at most %d", MAX_TOPICS);
			char *eq = strchr(optarg, '=');
			topics[ntopics].count = -1;
			if (eq != NULL) {
				*eq = '\0';
				topics[ntopics].count =
					bench_parse_int("--topic", eq + 1, 0, INT64_MAX);
			}
			topics[ntopics++].name = optarg;
			break;
		}
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
		case 'r': {
			char *eq = strchr(optarg, '=');
			if (eq == NULL || eq == optarg || nreaders == MAX_TOPICS)
				bench_die("--readers %s: expected TOPIC=N (at most %d)", optarg,
					  MAX_TOPICS);
			*eq = '\0';
			readers[nreaders].name = optarg;
			readers[nreaders++].n = bench_parse_int("--readers", eq + 1, 0, MAX_DBS);
			break;
		}
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
	int64_t want = 0;
	for (int t = 0; t < ntopics; t++) {
		if (topics[t].count < 0)
			topics[t].count = count;
		want += topics[t].count;
	}
	if ((bootstrap == NULL && db_glob == NULL) || ntopics == 0 || want < 0 ||
	    (nreaders > 0 && db_glob == NULL) ||
	    (db_glob == NULL && ntopics > 1) || optind < argc) {
		usage(stderr);
		return 2;
	}
	const char *topic = topics[0].name;

	double t0 = bench_now(), deadline = t0 + timeout;
	read_cpu(procs, nprocs, 0);

	rd_kafka_t *rk = NULL;
	int nparts = 0;
	int64_t *high = NULL;
	dbwatch_t dbw = { .pattern = db_glob };
	if (bootstrap != NULL)
		rk = bench_client_new(RD_KAFKA_CONSUMER, rd_kafka_conf_new(), bootstrap);
	if (db_glob == NULL) {
		nparts = bench_partition_count(rk, topic, 10000);
		high = calloc((size_t)nparts, sizeof(*high));
		if (high == NULL)
			bench_die("out of memory");
	}

	int64_t total = 0, first = -1;
	double first_output = -1, t = t0;
	long polls = 0;
	for (;;) {
		int polled, done = 0;
		if (db_glob != NULL) {
			bool drained;
			polled = db_poll(&dbw, topics, ntopics, readers, nreaders, rk,
					 &drained) == 0;
			total = 0;
			done = drained;
			for (int k = 0; k < ntopics; k++) {
				total += topics[k].min;
				done &= topics[k].seen && topics[k].min >= topics[k].count;
			}
		} else {
			polled = bench_offsets(rk, topic, nparts, RD_KAFKA_OFFSET_END, high,
					       5000) == 0;
			if (polled) {
				total = 0;
				for (int p = 0; p < nparts; p++)
					total += high[p];
				done = total >= want;
			}
		}
		if (polled) {
			t = bench_now();
			polls++;
			if (first < 0)
				first = total;
			if (total > 0 && first_output < 0)
				first_output = t - t0;
			if (done)
				break;
		}
		read_cpu(procs, nprocs, 1); /* only to notice that one is gone */
		if (bench_now() > deadline)
			bench_die("timed out after %.0f s: \"%s\" %s %" PRId64 " of %" PRId64
				  " records",
				  timeout, ntopics > 1 ? "the topics" : topic,
				  db_glob ? "committed" : "holds", total, want);
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
	db_close(&dbw);
	return 0;
}
