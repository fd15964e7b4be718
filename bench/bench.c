/*
 * bench.c: helpers shared by the benchmark programs (see bench.h): clocks,
 * CPU time of this and other processes, librdkafka set-up, topic metadata
 * and end offsets.
 */
#include "bench.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

const char *bench_prog = "bench";

void
bench_die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", bench_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

long long
bench_parse_int(const char *opt, const char *s, long long lo, long long hi)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		bench_die("%s: \"%s\" is not an integer from %lld to %lld", opt, s, lo, hi);
	return v;
}

double
bench_parse_seconds(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0 && v < 1e7))
		bench_die("%s: \"%s\" is not a number of seconds", opt, s);
	return v;
}

double
bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
bench_cpu_self(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

double
bench_cpu_pid(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command name (field 2) is in parentheses and may hold spaces:
	 * count fields from the last ')'; utime and stime are fields 14, 15 */
	const char *p = strrchr(buf, ')');
	unsigned long long utime, stime;
	if (p == NULL || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				&utime, &stime) != 2)
		return -1;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

long
bench_status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t flen = strlen(field);
	long kb = -1;
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			kb = strtol(line + flen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

void
bench_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
	char errstr[512];
	if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK)
		bench_die("cannot set %s=%s: %s", name, value, errstr);
}

rd_kafka_t *
bench_client_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, const char *bootstrap)
{
	char errstr[512];
	bench_conf_set(conf, "bootstrap.servers", bootstrap);
	bench_conf_set(conf, "client.id", bench_prog);
	rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
	if (rk == NULL)
		bench_die("cannot create the kafka client: %s", errstr);
	return rk;
}

int
bench_partition_count(rd_kafka_t *rk, const char *topic, int timeout_ms)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t code = rd_kafka_metadata(rk, 1, NULL, &md, timeout_ms);
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR)
		bench_die("cannot read the cluster's metadata: %s", rd_kafka_err2str(code));
	int n = -1;
	for (int i = 0; i < md->topic_cnt && n < 0; i++)
		if (strcmp(md->topics[i].topic, topic) == 0 &&
		    md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
			n = md->topics[i].partition_cnt;
	rd_kafka_metadata_destroy(md);
	if (n <= 0)
		bench_die("topic \"%s\" does not exist", topic);
	return n;
}

int
bench_offsets(rd_kafka_t *rk, const char *topic, int nparts, int64_t which, int64_t *out,
	      int timeout_ms)
{
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(nparts);
	int rc = 0;
	/* ListOffsets takes a timestamp: -1 asks for the end, -2 for the start */
	for (int p = 0; p < nparts; p++)
		rd_kafka_topic_partition_list_add(list, topic, p)->offset = which;
	rd_kafka_resp_err_t code = rd_kafka_offsets_for_times(rk, list, timeout_ms);
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "%s: cannot read the offsets of \"%s\": %s\n", bench_prog, topic,
			rd_kafka_err2str(code));
		rc = -1;
	}
	for (int i = 0; i < list->cnt && rc == 0; i++) {
		const rd_kafka_topic_partition_t *tp = &list->elems[i];
		if (tp->err != RD_KAFKA_RESP_ERR_NO_ERROR || tp->offset < 0) {
			fprintf(stderr, "%s: cannot read the offset of \"%s\" partition %d: %s\n",
				bench_prog, topic, (int)tp->partition, rd_kafka_err2str(tp->err));
			rc = -1;
		} else if (tp->partition >= 0 && tp->partition < nparts) {
			out[tp->partition] = tp->offset;
		}
	}
	rd_kafka_topic_partition_list_destroy(list);
	return rc;
}
