/*
 * baseline.c: bench/baseline, the raw baseline of the throughput
 * benchmarks: a plain librdkafka consumer that parses each record's value
 * with cJSON and does nothing else.
 *
 * Assigns itself every partition of the topic (or topics: --topic takes a
 * comma-separated list, as a query that joins reads several) from the
 * beginning (no group join, no commits), reads in batches as sluice's query
 * consumer does (wait for one record, then take what is already fetched, up
 * to --batch), with sluice's consumer settings (src/kafka/client.c), parses
 * each value with cJSON, reads one field (price, summed so that the work
 * cannot be left out), frees the tree, and stops after --count records.
 *
 * With --aggregate it does instead what bench/windowed.sh's query does
 * (SELECT k, COUNT(*), SUM(v) ... [WINDOW TUMBLING (SIZE W)] GROUP BY k):
 * reads the fields k (a string), v and ts (numbers) of each record and
 * counts and sums v per k, or per k and window of --window-ms (the window
 * starting at ts - ts mod W), in an in-memory hash table (open addressing,
 * the key bytes in large blocks: no allocation per record but cJSON's).
 * It keeps the groups in memory only: no state store, no output.  It then
 * also prints groups, count_total, sum_total and peak_rss_kb.
 *
 * The clock and the CPU meter (getrusage of the whole process: the
 * polling thread and librdkafka's threads) start once the partitions are
 * assigned, so client start-up is not counted.  Prints key=value lines on
 * stdout: records, parse_errors, seconds, cpu_s, events_per_s,
 * events_per_cpu_s, startup_cpu_s.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cJSON.h>

#include "bench.h"

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: baseline -b BOOTSTRAP [-t TOPIC[,TOPIC]...] [-n COUNT] [--batch N]\n"
		"                [-X NAME=VALUE]...\n"
		"                [--timeout SECONDS]\n"
		"\n"
		"Reads COUNT records of the TOPICs from the beginning of every partition, parses each\n"
		"value with cJSON, and prints events_per_s and events_per_cpu_s.  With\n"
		"--aggregate, counts the records and sums the field v per string field k\n"
		"(and window of the field ts) in memory, and also prints groups.\n"
		"\n"
		"  -b, --bootstrap-servers B  the Kafka cluster\n"
		"  -t, --topic TOPIC,...      the topic or topics (default nexmark-bid)\n"
		"  -n, --count COUNT          records to read (default 1000000)\n"
		"      --batch N              records taken at once (default 10000, like\n"
		"                             sluice.batch.size)\n"
		"      --field NAME           the field read from each record (default price)\n"
		"      --aggregate            count and sum v per k (and window): see below\n"
		"      --window-ms W          --aggregate: per k and W-ms tumbling window of ts\n"
		"                             (default 0: per k only)\n"
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

/* ---- --aggregate: COUNT(*) and SUM(v) per k [and window] ---- */

typedef struct group {
	uint64_t hash; /* 0: empty slot */
	int64_t wstart;
	const char *k;
	size_t klen;
	int64_t count;
	int64_t sum;
} group_t;

typedef struct groups {
	group_t *slots;
	size_t cap, n;                 /* cap a power of two, n <= cap / 2 */
	char *block;                   /* key bytes, in blocks of BLOCK bytes, each starting */
	size_t block_used, block_size; /* with a pointer to the one before */
} groups_t;

#define BLOCK (1 << 20)

/* FNV-1a of the key bytes and the window start; never 0. */
static uint64_t
group_hash(const char *k, size_t klen, int64_t wstart)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < klen; i++)
		h = (h ^ (unsigned char)k[i]) * 0x100000001b3ULL;
	h ^= (uint64_t)wstart;
	h *= 0x9e3779b97f4a7c15ULL;
	h ^= h >> 32;
	return h == 0 ? 1 : h;
}

static void
groups_grow(groups_t *gs)
{
	size_t cap = gs->cap ? gs->cap * 2 : 1024;
	group_t *slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		bench_die("out of memory");
	for (size_t i = 0; i < gs->cap; i++) {
		group_t *g = &gs->slots[i];
		if (g->hash == 0)
			continue;
		size_t j = g->hash & (cap - 1);
		while (slots[j].hash != 0)
			j = (j + 1) & (cap - 1);
		slots[j] = *g;
	}
	free(gs->slots);
	gs->slots = slots;
	gs->cap = cap;
}

/* The group of (k, wstart), created with a copy of k if new. */
static group_t *
groups_get(groups_t *gs, const char *k, size_t klen, int64_t wstart)
{
	if (gs->n + 1 > gs->cap / 2)
		groups_grow(gs);
	uint64_t h = group_hash(k, klen, wstart);
	size_t j = h & (gs->cap - 1);
	for (;; j = (j + 1) & (gs->cap - 1)) {
		group_t *g = &gs->slots[j];
		if (g->hash == 0)
			break;
		if (g->hash == h && g->wstart == wstart && g->klen == klen &&
		    memcmp(g->k, k, klen) == 0)
			return g;
	}
	if (gs->block == NULL || gs->block_used + klen > gs->block_size) {
		/* the old blocks stay: groups point there */
		size_t size = sizeof(char *) + (klen > BLOCK ? klen : BLOCK);
		char *block = malloc(size);
		if (block == NULL)
			bench_die("out of memory");
		memcpy(block, &gs->block, sizeof(char *));
		gs->block = block;
		gs->block_size = size;
		gs->block_used = sizeof(char *);
	}
	char *copy = gs->block + gs->block_used;
	memcpy(copy, k, klen);
	gs->block_used += klen;
	group_t *g = &gs->slots[j];
	*g = (group_t){ .hash = h, .wstart = wstart, .k = copy, .klen = klen };
	gs->n++;
	return g;
}

static void
groups_free(groups_t *gs)
{
	while (gs->block != NULL) {
		char *prev;
		memcpy(&prev, gs->block, sizeof(char *));
		free(gs->block);
		gs->block = prev;
	}
	free(gs->slots);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bootstrap-servers", required_argument, NULL, 'b' },
		{ "topic", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'B' },
		{ "field", required_argument, NULL, 'f' },
		{ "aggregate", no_argument, NULL, 'a' },
		{ "window-ms", required_argument, NULL, 'W' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "property", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bootstrap = NULL, *topic = "nexmark-bid", *field = "price";
	int64_t count = 1000000;
	size_t batch = 10000;
	double timeout = 300;
	bool aggregate = false;
	int64_t window_ms = 0;
	groups_t gs = { 0 };
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
		case 'a':
			aggregate = true;
			break;
		case 'W':
			window_ms = bench_parse_int("--window-ms", optarg, 0, INT64_MAX / 2);
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

	/* The topics' metadata first: without it librdkafka 2.0.2 starts
	 * fetching only after a 0.5 to 1 s back-off (as sluice does). */
	char *topics = strdup(topic), *save = NULL;
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(64);
	for (char *t = strtok_r(topics, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		int nparts = bench_partition_count(rk, t, 10000);
		rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, t, NULL);
		const struct rd_kafka_metadata *md;
		if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR)
			rd_kafka_metadata_destroy(md);
		rd_kafka_topic_destroy(rkt);
		for (int p = 0; p < nparts; p++)
			rd_kafka_topic_partition_list_add(list, t, p)->offset =
				RD_KAFKA_OFFSET_BEGINNING;
	}
	free(topics);
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
			if (got < count && aggregate) {
				got++;
				cJSON *doc = cJSON_ParseWithLength(m->payload, m->len);
				const cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, "k");
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "v");
				const cJSON *ts = cJSON_GetObjectItemCaseSensitive(doc, "ts");
				if (!cJSON_IsString(k) || !cJSON_IsNumber(v) ||
				    (window_ms > 0 && !cJSON_IsNumber(ts))) {
					parse_errors++;
				} else {
					int64_t wstart = 0;
					if (window_ms > 0) {
						int64_t t = (int64_t)ts->valuedouble;
						wstart = t - t % window_ms;
					}
					group_t *g = groups_get(&gs, k->valuestring,
								strlen(k->valuestring), wstart);
					g->count++;
					g->sum += (int64_t)v->valuedouble;
				}
				cJSON_Delete(doc);
			} else if (got < count) {
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
	if (aggregate) {
		int64_t count_total = 0, sum_total = 0;
		for (size_t i = 0; i < gs.cap; i++) {
			count_total += gs.slots[i].count;
			sum_total += gs.slots[i].sum;
		}
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("groups=%zu\ncount_total=%" PRId64 "\nsum_total=%" PRId64
		       "\npeak_rss_kb=%ld\n",
		       gs.n, count_total, sum_total, ru.ru_maxrss);
		fprintf(stderr,
			"baseline: %" PRId64 " records of \"%s\" in %.3f s, %.3f CPU-s "
			"(%zu groups, count %" PRId64 ", sum %" PRId64 ", peak RSS %ld kB)\n",
			got, topic, secs, cpu, gs.n, count_total, sum_total, ru.ru_maxrss);
	} else {
		fprintf(stderr,
			"baseline: %" PRId64 " records of \"%s\" in %.3f s, %.3f CPU-s "
			"(sum of %s: %.0f)\n",
			got, topic, secs, cpu, field, sum);
	}
	groups_free(&gs);
	free(msgs);
	rd_kafka_queue_destroy(queue);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return parse_errors > 0 ? 1 : 0;
}
