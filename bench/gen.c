/*
 * gen.c: bench/gen, a deterministic generator of Nexmark bids as flat JSON,
 * written to a Kafka topic as fast as librdkafka takes them.
 *
 * Produces --count bid records, the bids of the Nexmark event stream
 * (person:auction:bid = 1:3:46, so the n-th bid is event
 * (n / 46) * 50 + 4 + n % 46), with the field set and the distributions of
 * the reference generator (/work/shared/nexmark/GENERATOR.md; nexmark-flink
 * BidGenerator):
 *
 *   {"auction":1007,"bidder":1001,"price":40193,"channel":"Google",
 *    "url":"https://www.nexmark.com/lkf/ebv/iu_/item.htm?query=1",
 *    "dateTime":1704067200000,"extra":"..."}
 *
 * auction: half the bids go to the hot auction (the last auction id rounded
 * down to a multiple of 100), the others to one of the last 100 auctions
 * (+10 lead); bidder: 3/4 hot (the last person id rounded down to 100, + 1),
 * else one of the last 1000 people (+10 lead); price: 10^(6u) * 100 cents,
 * rounded; channel: half one of 4 hot channels, else "channel-<0..9999>",
 * each with its own url (90% of the others with "&channel_id="); dateTime:
 * base time + event id / event rate; extra: padding of 54 to 81 letters
 * (Nexmark's 100-byte average bid less its four 8-byte numbers).  The random
 * numbers come from splitmix64 seeded with --seed, not from Java's Random:
 * the same seed gives the same records, byte for byte, but not the records
 * of the Java generator.  (The reference adds FIRST_PERSON_ID to a bidder
 * twice; that quirk is not copied.)
 *
 * With --workload events, gen writes the records of the aggregation
 * benchmarks (bench/windowed.sh) instead:
 *
 *   {"k":"key417","v":42,"ts":1704067200001}
 *
 * k: one of --keys keys, uniform at random, or with --distinct each key
 * exactly once in every --keys consecutive records, in a scrambled order
 * (record i gets key (i * P) mod keys, P coprime with keys); v: 0 to 99,
 * uniform; ts: base time + i * 1000 / --rate (ms; default 1,000 records per
 * second of event time, so a million records span 1,000 one-second
 * windows), increasing with i.
 *
 * Records have no key and go to the partitions in turn (record i to
 * partition i % partitions), so every partition gets the same share: the
 * mock cluster keeps only about 5 MB per partition.  After the last
 * delivery report, gen checks that the topic still holds every record it
 * wrote (no partition's start moved past what was there before), and
 * prints key=value lines on stdout: records, bytes, seconds,
 * records_per_s.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define NEXMARK_TOTAL 50 /* events per epoch: 1 person, 3 auctions, 46 bids */
#define NEXMARK_PERSONS 1
#define NEXMARK_AUCTIONS 3
#define NEXMARK_BIDS 46
#define FIRST_PERSON_ID 1000
#define FIRST_AUCTION_ID 1000
#define HOT_AUCTION_RATIO 100 /* the ids of hot auctions and bidders are */
#define HOT_BIDDER_RATIO 100  /* multiples of these */
#define IN_FLIGHT_AUCTIONS 100
#define ACTIVE_PEOPLE 1000
#define AUCTION_ID_LEAD 10
#define PERSON_ID_LEAD 10
#define CHANNELS 10000
#define AVG_BID_BYTES 100

static const char *const hot_channels[] = { "Google", "Facebook", "Baidu", "Apple" };
#define HOT_CHANNELS ((int)(sizeof(hot_channels) / sizeof(hot_channels[0])))

typedef struct rng {
	uint64_t s;
} rng_t;

/* splitmix64: small, fast, and good enough for test data. */
static uint64_t
rng_next(rng_t *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n), n > 0. */
static int64_t
rng_below(rng_t *r, int64_t n)
{
	return (int64_t)(rng_next(r) % (uint64_t)n);
}

/* A number in [0, 1). */
static double
rng_unit(rng_t *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

typedef struct gen {
	rng_t rng;
	uint64_t seed;
	int64_t base_ms;     /* the dateTime of event 0 */
	double ms_per_event; /* 1000 / event rate */
	char hot_urls[HOT_CHANNELS][80];
} gen_t;

/* Nexmark's nextString(random, 5, '_'): 3 or 4 letters, a '_' now and
 * then, trimmed (a no-op without spaces). */
static size_t
url_part(rng_t *r, char *out)
{
	size_t len = 3 + (size_t)rng_below(r, 2);
	for (size_t i = 0; i < len; i++)
		out[i] = rng_below(r, 13) == 0 ? '_' : (char)('a' + rng_below(r, 26));
	return len;
}

/* Nexmark's getBaseUrl(). */
static void
base_url(rng_t *r, char *out, size_t size)
{
	char a[8] = "", b[8] = "", c[8] = "";
	url_part(r, a);
	url_part(r, b);
	url_part(r, c);
	snprintf(out, size, "https://www.nexmark.com/%s/%s/%s/item.htm?query=1", a, b, c);
}

/* The url of channel number ch: fixed per channel (Nexmark caches it), so
 * drawn from a generator of its own seeded with the channel number. */
static void
channel_url(const gen_t *g, int ch, char *out, size_t size)
{
	rng_t r = { .s = g->seed ^ (0x5851f42d4c957f2dULL * (uint64_t)(ch + 1)) };
	base_url(&r, out, size);
	if (rng_below(&r, 10) > 0) {
		uint32_t v = (uint32_t)ch, rev = 0; /* Java's Integer.reverse */
		for (int i = 0; i < 32; i++, v >>= 1)
			rev = (rev << 1) | (v & 1);
		int64_t id = (int32_t)rev;
		size_t len = strlen(out);
		snprintf(out + len, size - len, "&channel_id=%" PRId64, id < 0 ? -id : id);
	}
}

static void
gen_init(gen_t *g, uint64_t seed, int64_t base_ms, double rate)
{
	g->seed = seed;
	g->rng.s = seed;
	g->base_ms = base_ms;
	g->ms_per_event = 1000.0 / rate;
	for (int i = 0; i < HOT_CHANNELS; i++)
		base_url(&g->rng, g->hot_urls[i], sizeof(g->hot_urls[i]));
}

/* The last auction id (from 0) generated before event id e, which is a
 * bid's. */
static int64_t
last_auction(int64_t e)
{
	return e / NEXMARK_TOTAL * NEXMARK_AUCTIONS + NEXMARK_AUCTIONS - 1;
}

/* The last person id (from 0) generated before event id e, a bid's. */
static int64_t
last_person(int64_t e)
{
	return e / NEXMARK_TOTAL * NEXMARK_PERSONS + NEXMARK_PERSONS - 1;
}

/* Writes bid number n as JSON into out; returns its length. */
static size_t
gen_bid(gen_t *g, int64_t n, char *out, size_t size)
{
	rng_t *r = &g->rng;
	int64_t e = n / NEXMARK_BIDS * NEXMARK_TOTAL + NEXMARK_PERSONS + NEXMARK_AUCTIONS +
		    n % NEXMARK_BIDS;
	int64_t auction, bidder;

	if (rng_below(r, 2) > 0) {
		auction = last_auction(e) / HOT_AUCTION_RATIO * HOT_AUCTION_RATIO;
	} else {
		int64_t hi = last_auction(e);
		int64_t lo = hi > IN_FLIGHT_AUCTIONS ? hi - IN_FLIGHT_AUCTIONS : 0;
		auction = lo + rng_below(r, hi - lo + 1 + AUCTION_ID_LEAD);
	}
	auction += FIRST_AUCTION_ID;
	if (rng_below(r, 4) > 0) {
		bidder = last_person(e) / HOT_BIDDER_RATIO * HOT_BIDDER_RATIO + 1;
	} else {
		int64_t people = last_person(e) + 1;
		int64_t active = people < ACTIVE_PEOPLE ? people : ACTIVE_PEOPLE;
		bidder = people - active + rng_below(r, active + PERSON_ID_LEAD);
	}
	bidder += FIRST_PERSON_ID;
	int64_t price = llround(pow(10.0, rng_unit(r) * 6.0) * 100.0);

	char chan_buf[24], url_buf[112];
	const char *channel, *url;
	if (rng_below(r, 2) > 0) {
		int i = (int)rng_below(r, HOT_CHANNELS);
		channel = hot_channels[i];
		url = g->hot_urls[i];
	} else {
		int ch = (int)rng_below(r, CHANNELS);
		snprintf(chan_buf, sizeof(chan_buf), "channel-%d", ch);
		channel_url(g, ch, url_buf, sizeof(url_buf));
		channel = chan_buf;
		url = url_buf;
	}
	int64_t date_time = g->base_ms + (int64_t)((double)e * g->ms_per_event);

	/* Nexmark's nextExtra(): the average size less four 8-byte numbers, +-20% */
	char extra[AVG_BID_BYTES];
	int want = AVG_BID_BYTES - 32, delta = (want + 2) / 5;
	int len = want - delta + (int)rng_below(r, 2 * delta);
	for (int i = 0; i < len; i++)
		extra[i] = (char)('a' + rng_below(r, 26));

	int w = snprintf(out, size,
			 "{\"auction\":%" PRId64 ",\"bidder\":%" PRId64 ",\"price\":%" PRId64
			 ",\"channel\":\"%s\",\"url\":\"%s\",\"dateTime\":%" PRId64
			 ",\"extra\":\"%.*s\"}",
			 auction, bidder, price, channel, url, date_time, len, extra);
	if (w < 0 || (size_t)w >= size)
		bench_die("a bid does not fit in %zu bytes", size);
	return (size_t)w;
}

/* ---- the events workload ---- */

typedef struct events {
	rng_t rng;
	int64_t keys; /* number of distinct keys */
	int64_t step; /* --distinct: coprime with keys; 0: random keys */
	int64_t base_ms;
	double ms_per_event;
} events_t;

static int64_t
gcd64(int64_t a, int64_t b)
{
	while (b != 0) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static void
events_init(events_t *ev, uint64_t seed, int64_t keys, bool distinct, int64_t base_ms, double rate)
{
	ev->rng.s = seed;
	ev->keys = keys;
	ev->step = 0;
	if (distinct) {
		/* near keys / golden ratio, so that neighbours in the input are
		 * far apart in key order */
		int64_t p = (int64_t)((double)keys * 0.6180339887) | 1;
		while (gcd64(p, keys) != 1)
			p++;
		ev->step = p;
	}
	ev->base_ms = base_ms;
	ev->ms_per_event = 1000.0 / rate;
}

/* Writes event number n as JSON into out; returns its length. */
static size_t
gen_event(events_t *ev, int64_t n, char *out, size_t size)
{
	int64_t key;
	if (ev->step != 0)
		key = (int64_t)(((unsigned __int128)n * (uint64_t)ev->step) % (uint64_t)ev->keys);
	else
		key = rng_below(&ev->rng, ev->keys);
	int64_t v = rng_below(&ev->rng, 100);
	int64_t ts = ev->base_ms + (int64_t)((double)n * ev->ms_per_event);
	int w = snprintf(out, size,
			 "{\"k\":\"key%" PRId64 "\",\"v\":%" PRId64 ",\"ts\":%" PRId64 "}", key, v,
			 ts);
	if (w < 0 || (size_t)w >= size)
		bench_die("an event does not fit in %zu bytes", size);
	return (size_t)w;
}

/* ---- producing ---- */

static int64_t delivered, failed;
static char first_failure[256];

static void
on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		delivered++;
		return;
	}
	if (failed++ == 0)
		snprintf(first_failure, sizeof(first_failure), "partition %d: %s",
			 (int)m->partition, rd_kafka_err2str(m->err));
}

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: gen -b BOOTSTRAP [-t TOPIC] [-n COUNT] [-s SEED] [-w bids|events]\n"
		"           [--keys K] [--distinct] [--rate EVENTS_PER_S] [--base-time MS]\n"
		"           [--timeout SECONDS]\n"
		"\n"
		"Writes COUNT Nexmark bids, or with -w events COUNT {\"k\",\"v\",\"ts\"} records\n"
		"(flat JSON, no key) to TOPIC as fast as possible, to its partitions in turn,\n"
		"and prints records, bytes, seconds, records_per_s.\n"
		"\n"
		"  -b, --bootstrap-servers B  the Kafka cluster\n"
		"  -t, --topic TOPIC          the topic, which must exist (default bids)\n"
		"  -n, --count COUNT          number of records (default 1000000)\n"
		"  -s, --seed SEED            seed of the random numbers (default 1)\n"
		"  -w, --workload NAME        bids (default): Nexmark bids; events:\n"
		"                             {\"k\":\"keyN\",\"v\":0..99,\"ts\":MS}\n"
		"      --keys K               events: number of distinct keys (default 1000)\n"
		"      --distinct             events: every key once in each K records (default:\n"
		"                             keys drawn at random)\n"
		"      --rate R               events per second of event time, for dateTime or ts\n"
		"                             (default 10000 for bids, Nexmark's, bids being 46\n"
		"                             of 50; 1000 for events)\n"
		"      --base-time MS         dateTime or ts of the first event (default 1704067200000,\n"
		"                             2024-01-01T00:00:00Z)\n"
		"      --timeout SECONDS      give up if not all delivered by then (default 300)\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bootstrap-servers", required_argument, NULL, 'b' },
		{ "topic", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "workload", required_argument, NULL, 'w' },
		{ "keys", required_argument, NULL, 'k' },
		{ "distinct", no_argument, NULL, 'd' },
		{ "base-time", required_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bootstrap = NULL, *topic = "bids";
	int64_t count = 1000000, base_ms = 1704067200000LL;
	uint64_t seed = 1;
	int64_t keys = 1000;
	double rate = 0, timeout = 300;
	bool events = false, distinct = false;
	int opt;

	bench_prog = "gen";
	while ((opt = getopt_long(argc, argv, "b:t:n:s:w:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bootstrap = optarg;
			break;
		case 't':
			topic = optarg;
			break;
		case 'n':
			count = bench_parse_int("--count", optarg, 0, INT64_MAX / NEXMARK_TOTAL);
			break;
		case 's':
			seed = (uint64_t)bench_parse_int("--seed", optarg, 0, INT64_MAX);
			break;
		case 'r':
			rate = (double)bench_parse_int("--rate", optarg, 1, 1000000000);
			break;
		case 'w':
			if (strcmp(optarg, "events") == 0)
				events = true;
			else if (strcmp(optarg, "bids") == 0)
				events = false;
			else
				bench_die("--workload: \"%s\" is neither bids nor events", optarg);
			break;
		case 'k':
			keys = bench_parse_int("--keys", optarg, 1, INT64_MAX / 2);
			break;
		case 'd':
			distinct = true;
			break;
		case 'T':
			base_ms = bench_parse_int("--base-time", optarg, 0, INT64_MAX / 2);
			break;
		case 'O':
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
	if (bootstrap == NULL || optind < argc) {
		usage(stderr);
		return 2;
	}
	if (rate == 0)
		rate = events ? 1000 : 10000;

	/* Throughput settings: big batches, a few ms of linger, no compression
	 * (consumers would pay for decompressing), no idempotence (one
	 * producer, no retries expected on 127.0.0.1). */
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	bench_conf_set(conf, "linger.ms", "20");
	bench_conf_set(conf, "batch.num.messages", "10000");
	bench_conf_set(conf, "batch.size", "1000000");
	bench_conf_set(conf, "queue.buffering.max.messages", "1000000");
	bench_conf_set(conf, "queue.buffering.max.kbytes", "262144");
	bench_conf_set(conf, "compression.codec", "none");
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_t *rk = bench_client_new(RD_KAFKA_PRODUCER, conf, bootstrap);

	int nparts = bench_partition_count(rk, topic, 10000);
	int64_t *before = calloc((size_t)nparts, sizeof(*before));
	int64_t *low = calloc((size_t)nparts, sizeof(*low));
	int64_t *high = calloc((size_t)nparts, sizeof(*high));
	if (before == NULL || low == NULL || high == NULL)
		bench_die("out of memory");
	if (bench_offsets(rk, topic, nparts, RD_KAFKA_OFFSET_END, before, 10000) != 0)
		return 1;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);

	gen_t g = { 0 };
	events_t ev = { 0 };
	if (events)
		events_init(&ev, seed, keys, distinct, base_ms, rate);
	else
		gen_init(&g, seed, base_ms, rate);
	char buf[1024];
	int64_t bytes = 0;
	double t0 = bench_now(), deadline = t0 + timeout;
	for (int64_t i = 0; i < count; i++) {
		size_t len = events ? gen_event(&ev, i, buf, sizeof(buf)) :
				      gen_bid(&g, i, buf, sizeof(buf));
		int32_t part = (int32_t)(i % nparts);
		while (rd_kafka_produce(rkt, part, RD_KAFKA_MSG_F_COPY, buf, len, NULL, 0, NULL) !=
		       0) {
			rd_kafka_resp_err_t code = rd_kafka_last_error();
			if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL)
				bench_die("cannot produce to \"%s\": %s", topic,
					  rd_kafka_err2str(code));
			if (bench_now() > deadline)
				bench_die("timed out after %.0f s with %" PRId64 " records sent",
					  timeout, i);
			rd_kafka_poll(rk, 5); /* room comes with delivery reports */
		}
		bytes += (int64_t)len;
		if ((i & 1023) == 0)
			rd_kafka_poll(rk, 0);
	}
	while (delivered + failed < count && bench_now() < deadline)
		rd_kafka_poll(rk, 50);
	double secs = bench_now() - t0;
	if (delivered + failed < count)
		bench_die("timed out after %.0f s: %" PRId64 " of %" PRId64 " records delivered",
			  timeout, delivered, count);
	if (failed > 0)
		bench_die("%" PRId64 " records could not be delivered; the first: %s", failed,
			  first_failure);

	/* Every record still there?  The mock keeps about 5 MB per partition. */
	if (bench_offsets(rk, topic, nparts, RD_KAFKA_OFFSET_BEGINNING, low, 10000) != 0 ||
	    bench_offsets(rk, topic, nparts, RD_KAFKA_OFFSET_END, high, 10000) != 0)
		return 1;
	int64_t added = 0;
	for (int p = 0; p < nparts; p++) {
		added += high[p] - before[p];
		if (low[p] > before[p])
			bench_die("topic \"%s\" partition %d lost records (it starts at offset "
				  "%" PRId64 " now, %" PRId64 " before): use more partitions",
				  topic, p, low[p], before[p]);
	}
	if (added != count)
		bench_die("topic \"%s\" grew by %" PRId64 " records, not %" PRId64, topic, added,
			  count);

	printf("records=%" PRId64 "\nbytes=%" PRId64 "\nseconds=%.3f\nrecords_per_s=%.0f\n", count,
	       bytes, secs, secs > 0 ? (double)count / secs : 0.0);
	fprintf(stderr,
		"gen: %" PRId64 " %s (%.1f MB, %.0f bytes on average) to \"%s\" "
		"(%d partitions) in %.3f s\n",
		count, events ? "events" : "bids", (double)bytes / 1e6,
		count > 0 ? (double)bytes / (double)count : 0.0, topic, nparts, secs);
	rd_kafka_topic_destroy(rkt);
	rd_kafka_destroy(rk);
	free(before);
	free(low);
	free(high);
	return 0;
}
