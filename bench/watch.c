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
 * and cpu_start_NAME, cpu_end_NAME for each process.  Exits with 1 on timeout or if a process is gone.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define MAX_PIDS 8

typedef struct proc {
	const char *name;
	pid_t pid;
	double cpu_start, cpu_end;
} proc_t;

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: watch -b BOOTSTRAP -t TOPIC -n COUNT [-p NAME=PID]... [--interval SECONDS]\n"
		"             [--timeout SECONDS]\n"
		"\n"
		"Waits until TOPIC holds COUNT records (the sum of its end offsets) and prints\n"
		"the time that took and the CPU time each process PID used meanwhile.\n"
		"\n"
		"  -b, --bootstrap-servers B  the Kafka cluster\n"
		"  -t, --topic TOPIC          the topic to watch\n"
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

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bootstrap-servers", required_argument, NULL, 'b' },
		{ "topic", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bootstrap = NULL, *topic = NULL;
	int64_t count = -1;
	double interval = 0.1, timeout = 300;
	proc_t procs[MAX_PIDS];
	int nprocs = 0, opt;

	bench_prog = "watch";
	while ((opt = getopt_long(argc, argv, "b:t:n:p:h", opts, NULL)) != -1) {
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
	if (bootstrap == NULL || topic == NULL || count < 0 || optind < argc) {
		usage(stderr);
		return 2;
	}

	double t0 = bench_now(), deadline = t0 + timeout;
	read_cpu(procs, nprocs, 0);

	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_t *rk = bench_client_new(RD_KAFKA_CONSUMER, conf, bootstrap);
	int nparts = bench_partition_count(rk, topic, 10000);
	int64_t *high = calloc((size_t)nparts, sizeof(*high));
	if (high == NULL)
		bench_die("out of memory");

	int64_t total = 0, first = -1;
	double first_output = -1, t = t0;
	long polls = 0;
	for (;;) {
		if (bench_offsets(rk, topic, nparts, RD_KAFKA_OFFSET_END, high, 5000) == 0) {
			t = bench_now();
			polls++;
			total = 0;
			for (int p = 0; p < nparts; p++)
				total += high[p];
			if (first < 0)
				first = total;
			if (total > 0 && first_output < 0)
				first_output = t - t0;
			if (total >= count)
				break;
		}
		read_cpu(procs, nprocs, 1); /* only to notice that one is gone */
		if (bench_now() > deadline)
			bench_die("timed out after %.0f s: \"%s\" holds %" PRId64 " of %" PRId64
				  " records",
				  timeout, topic, total, count);
		sleep_seconds(interval);
	}
	read_cpu(procs, nprocs, 1);
	struct timespec end;
	clock_gettime(CLOCK_REALTIME, &end);

	printf("records=%" PRId64 "\nseconds=%.3f\nend_epoch=%lld.%06ld\nfirst_records=%" PRId64
	       "\nfirst_output_s=%.3f\npolls=%ld\n",
	       total, t - t0, (long long)end.tv_sec, end.tv_nsec / 1000, first, first_output,
	       polls);
	for (int i = 0; i < nprocs; i++)
		printf("cpu_start_%s=%.2f\ncpu_end_%s=%.2f\n", procs[i].name, procs[i].cpu_start,
		       procs[i].name, procs[i].cpu_end);
	free(high);
	rd_kafka_destroy(rk);
	return 0;
}
