/*
 * baseline.c: bench/baseline, the raw baseline of the throughput
 * benchmarks: a plain librdkafka consumer that parses each record's value
 * with cJSON and does nothing else.
 *
 * Assigns itself every partition of the topic from the beginning (no group
 * join, no commits), reads in batches as sluice's query consumer does (wait
 * for one record, then take what is already fetched, up to --batch), with
 * sluice's consumer settings (src/kafka/client.c), parses each value with
 * cJSON, reads one field (price, summed so that the work cannot be left
 * out), frees the tree, and stops after --count records.
 *
 * The clock and the CPU meter (getrusage of the whole process: the
 * polling thread and librdkafka's threads) start once the partitions are
 * assigned, so client start-up is not counted.  Prints key=value lines on
 * stdout: records, parse_errors, seconds, cpu_s, events_per_s,
 * events_per_cpu_s, startup_cpu_s.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "bench.h"

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: baseline -b BOOTSTRAP [-t TOPIC] [-n COUNT] [--batch N] [-X NAME=VALUE]...\n"
		"                [--timeout SECONDS]\n"
		"\n"
		"Reads COUNT records of TOPIC from the beginning of every partition, parses each\n"
		"value with cJSON, and prints events_per_s and events_per_cpu_s.\n"
		"\n"
		"  -b, --bootstrap-servers B  the Kafka cluster\n"
		"  -t, --topic TOPIC          the topic (default bids)\n"
		"  -n, --count COUNT          records to read (default 1000000)\n"
		"      --batch N              records taken at once (default 10000, like\n"
		"                             sluice.batch.size)\n"
		"      --field NAME           the field read from each record (default price)\n"
		"  -X NAME=VALUE              a librdkafka property, over sluice's settings\n"
		"      --timeout SECONDS      give up after this long (default 300)\n");
}

typedef struct prop {
	const char *name;
	const char *value;
} prop_t;

/* sluice's consumer settings (src/kafka/client.c, consumer_defaults and
 * consumer_required), so that both read Kafka the same way; assign()
 * needs a group.id, but the group is never joined. */
static const prop_t consumer_conf[] = {
	{ "group.id", "sluice-bench-baseline" },
	{ "enable.auto.commit", "false" },
	{ "enable.auto.offset.store", "false" },
	{ "queued.min.messages", "1000000" },
	{ "queued.max.messages.kbytes", "131072" },
	{ "fetch.max.bytes", "52428800" },
	{ "max.partition.fetch.bytes", "1048576" },
	{ "fetch.wait.max.ms", "100" },
	{ "enable.partition.eof", "true" },
	{ "auto.offset.reset", "error" },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bootstrap-servers", required_argument, NULL, 'b' },
		{ "topic", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'B' },
		{ "field", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "property", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bootstrap = NULL, *topic = "bids", *field = "price";
	int64_t count = 1000000;
	size_t batch = 10000;
	double timeout = 300;
	int opt;

	bench_prog = "baseline";
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	for (const prop_t *p = consumer_conf; p->name != NULL; p++)
		bench_conf_set(conf, p->name, p->value);
	while ((opt = getopt_long(argc, argv, "b:t:n:X:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bootstrap = optarg;
			break;
		case 't':
			topic = optarg;
			break;
		case 'n':
			count = bench_parse_int("--count", optarg, 1, INT64_MAX);
			break;
		case 'B':
			batch = (size_t)bench_parse_int("--batch", optarg, 1, 1000000);
			break;
		case 'f':
			field = optarg;
			break;
		case 'w':
			timeout = bench_parse_seconds("--timeout", optarg);
			break;
		case 'X': {
			char *eq = strchr(optarg, '=');
			if (eq == NULL || eq == optarg)
				bench_die("-X %s: expected NAME=VALUE", optarg);
			*eq = '\0';
			bench_conf_set(conf, optarg, eq + 1);
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (bootstrap == NULL || optind < argc) {
		usage(stderr);
		return 2;
	}

	rd_kafka_t *rk = bench_client_new(RD_KAFKA_CONSUMER, conf, bootstrap);
	rd_kafka_poll_set_consumer(rk);
	rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(rk);

	/* The topic's metadata first: without it librdkafka 2.0.2 starts
	 * fetching only after a 0.5 to 1 s back-off (as sluice does). */
	int nparts = bench_partition_count(rk, topic, 10000);
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	const struct rd_kafka_metadata *md;
	if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(nparts);
	for (int p = 0; p < nparts; p++)
		rd_kafka_topic_partition_list_add(list, topic, p)->offset =
			RD_KAFKA_OFFSET_BEGINNING;
	rd_kafka_resp_err_t code = rd_kafka_assign(rk, list);
	rd_kafka_topic_partition_list_destroy(list);
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR)
		bench_die("cannot assign the partitions of \"%s\": %s", topic,
			  rd_kafka_err2str(code));

	rd_kafka_message_t **msgs = calloc(batch, sizeof(*msgs));
	if (msgs == NULL)
		bench_die("out of memory");
	int64_t got = 0, parse_errors = 0;
	double sum = 0;
	double startup_cpu = bench_cpu_self();
	double t0 = bench_now(), cpu0 = startup_cpu, deadline = t0 + timeout;
	while (got < count) {
		if (bench_now() > deadline)
			bench_die("timed out after %.0f s with %" PRId64 " of %" PRId64 " records",
				  timeout, got, count);
		size_t n = 0;
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
		if (m == NULL)
			continue;
		msgs[n++] = m;
		if (batch > 1) {
			ssize_t more = rd_kafka_consume_batch_queue(queue, 0, msgs + 1, batch - 1);
			if (more > 0)
				n += (size_t)more;
		}
		for (size_t i = 0; i < n; i++) {
			m = msgs[i];
			if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				rd_kafka_message_destroy(m);
				continue;
			}
			if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR)
				bench_die("%s", rd_kafka_message_errstr(m));
			if (got < count) {
				got++;
				cJSON *doc = cJSON_ParseWithLength(m->payload, m->len);
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, field);
				if (doc == NULL)
					parse_errors++;
				else if (cJSON_IsNumber(v))
					sum += v->valuedouble;
				cJSON_Delete(doc);
			}
			rd_kafka_message_destroy(m);
		}
	}
	double secs = bench_now() - t0, cpu = bench_cpu_self() - cpu0;

	printf("records=%" PRId64 "\nparse_errors=%" PRId64 "\nseconds=%.3f\ncpu_s=%.3f\n"
	       "events_per_s=%.0f\nevents_per_cpu_s=%.0f\nstartup_cpu_s=%.3f\n",
	       got, parse_errors, secs, cpu, secs > 0 ? (double)got / secs : 0.0,
	       cpu > 0 ? (double)got / cpu : 0.0, startup_cpu);
	fprintf(stderr,
		"baseline: %" PRId64 " records of \"%s\" in %.3f s, %.3f CPU-s "
		"(sum of %s: %.0f)\n",
		got, topic, secs, cpu, field, sum);
	free(msgs);
	rd_kafka_queue_destroy(queue);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return parse_errors > 0 ? 1 : 0;
}
