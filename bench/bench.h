/*
 * bench.h: helpers shared by the benchmark programs of bench/ (gen,
 * baseline, watch).
 *
 * The benchmark programs talk to Kafka through librdkafka directly, not
 * through libsluice, so that the raw baseline owes nothing to sluice's code.
 * Everything here runs on the caller's thread; a function that cannot
 * recover prints "PROG: message" on stderr and exits with status 1
 * (bench_die): these are measuring tools, not a library.
 */
#ifndef SLUICE_BENCH_H
#define SLUICE_BENCH_H

#include <stdint.h>
#include <sys/types.h>

#include <librdkafka/rdkafka.h>

/* The program name used in messages; set by main(). */
extern const char *bench_prog;

/* Prints "PROG: message" on stderr and exits with status 1. */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Parses a whole decimal integer in [lo, hi], or dies naming the option. */
long long bench_parse_int(const char *opt, const char *s, long long lo, long long hi);

/* Parses a non-negative number of seconds (may have a fraction), or dies. */
double bench_parse_seconds(const char *opt, const char *s);

/* Seconds on the monotonic clock. */
double bench_now(void);

/* CPU seconds (user + system, every thread) of this process. */
double bench_cpu_self(void);

/* CPU seconds (utime + stime from /proc/PID/stat, every thread) of process
 * pid; -1 if it cannot be read (the process is gone). */
double bench_cpu_pid(pid_t pid);

/* A size in kB from /proc/PID/status: field is "VmHWM" (peak resident set
 * size), "VmRSS" ...; -1 if it cannot be read (the process is gone). */
long bench_status_kb(pid_t pid, const char *field);

/* Sets name=value on conf, or dies with librdkafka's reason. */
void bench_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value);

/* A new client of the given type on bootstrap with the settings of conf
 * (which this function takes over), or dies. */
rd_kafka_t *bench_client_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, const char *bootstrap);

/* The number of partitions of topic, found in the metadata of every topic
 * (naming the topic in the request would create it in the mock cluster);
 * dies if the topic does not exist. */
int bench_partition_count(rd_kafka_t *rk, const char *topic, int timeout_ms);

/* The start offsets (which = RD_KAFKA_OFFSET_BEGINNING: the low
 * watermarks) or the end offsets (RD_KAFKA_OFFSET_END: the high
 * watermarks) of the nparts partitions of topic, into out[0..nparts), in
 * one ListOffsets request per leader.  Returns 0, or -1 (with a message on
 * stderr) if the request failed. */
int bench_offsets(rd_kafka_t *rk, const char *topic, int nparts, int64_t which, int64_t *out,
		  int timeout_ms);

#endif
