/*
 * gen.c: bench/gen, a deterministic generator of the benchmarks' input as
 * flat JSON, written to Kafka as fast as librdkafka takes them (or at a
 * given pace), and/or as JSON lines to a file.
 *
 * --workload nexmark (the default) writes --count Nexmark events (SPEC
 * section 10; /work/shared/nexmark/GENERATOR.md and QUERIES.md): event id
 * e is a person if e % 50 is 0, an auction if it is 1 to 3, a bid
 * otherwise (1:3:46), each to its topic PREFIXperson, PREFIXauction,
 * PREFIXbid (--prefix, default "nexmark-"), with the snake_case fields of
 * QUERIES.md and the distributions of the reference generator
 * (nexmark-flink's PersonGenerator, AuctionGenerator, BidGenerator):
 *
 *   {"id":1000,"name":"Kate Abrams","email_address":"xjfbb@ove.com",
 *    "credit_card":"4217 0811 3319 0025","city":"Bend","state":"OR",
 *    "date_time":1704067200000,"extra":"..."}
 *   {"id":1000,"item_name":"ptf fv","description":"...","initial_bid":1893,
 *    "reserve":71112,"date_time":1704067200000,"expires":1704067200162,
 *    "seller":1000,"category":12,"extra":"..."}
 *   {"auction":1000,"bidder":1001,"price":40193,"channel":"Google",
 *    "url":"https://www.nexmark.com/lkf/ebv/iu_/item.htm?query=1",
 *    "date_time":1704067200000,"extra":"..."}
 *
 * Ids start at 1000 and follow the event ids.  Person: a first and a last
 * name of the reference's lists, email and credit card at random, one of
 * 10 cities and of 6 states.  Auction: seller 3/4 hot (the last person id
 * rounded down to 100), else one of the last 1000 people (+10 lead);
 * category 10..14; initial_bid a price, reserve initial_bid + a price;
 * expires date_time + 1 + up to twice the time of 1666 events (the
 * reference's horizon: 100 auctions in flight).  Bid: auction half hot
 * (the last auction id rounded down to 100), else one of the last 100
 * (+10 lead); bidder 3/4 hot (the last person rounded down to 100, + 1),
 * else one of the last 1000 people (+10 lead); channel half one of 4 hot
 * channels, else "channel-<0..9999>", each with its own url (90% of the
 * others with "&channel_id=").  Prices are 10^(6u) * 100 cents, rounded.
 * extra pads a record to the reference's average size (person 200,
 * auction 500, bid 100 bytes, +-20%).  date_time is --base-time + e * 1000
 * / --rate ms (the reference's timestampForEvent, default 10,000 events/s:
 * in order, no delays).
 *
 * The random numbers come from splitmix64 seeded from --seed and the
 * event id, not from Java's Random: the same seed gives the same events,
 * byte for byte, and the same event whatever else is written (--only
 * person writes exactly the persons of a full run), but not the records
 * of the Java generator.  (The reference adds FIRST_PERSON_ID to a bidder
 * twice in one version; that quirk is not copied.)
 *
 * --workload events writes instead the records of the aggregation
 * benchmarks (bench/windowed.sh, bench/serving.sh) to --topic:
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
 * Records have no key and go to the partitions of their topic in turn, so
 * every partition gets the same share: the mock cluster keeps only about
 * 5 MB per partition.  After the last delivery report, gen checks that each
 * topic still holds every record it wrote (no partition's start moved past
 * what was there before), and prints key=value lines on stdout: records,
 * bytes, seconds, records_per_s, and for nexmark persons, auctions, bids.
 *
 * With --output FILE (- for stdout) gen also writes every record as a
 * line of FILE, a nexmark event as {"event_type":0,"person":{...}} (1
 * auction, 2 bid: the layout of nexmark-flink's DDL), an events record as
 * it is; without -b it writes only the file.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define NEXMARK_TOTAL 50 /* events per epoch: 1 person, 3 auctions, 46 bids */
#define NEXMARK_PERSONS 1
#define NEXMARK_AUCTIONS 3
#define FIRST_PERSON_ID 1000
#define FIRST_AUCTION_ID 1000
#define FIRST_CATEGORY_ID 10
#define CATEGORIES 5
#define HOT_RATIO 100 /* hot auctions, sellers and bidders are multiples of this */
#define IN_FLIGHT_AUCTIONS 100
#define ACTIVE_PEOPLE 1000
#define ID_LEAD 10
#define CHANNELS 10000
#define AVG_PERSON_BYTES 200
#define AVG_AUCTION_BYTES 500
#define AVG_BID_BYTES 100

enum { PERSON, AUCTION, BID, NTYPES };
static const char *const type_names[NTYPES] = { "person", "auction", "bid" };

static const char *const hot_channels[] = { "Google", "Facebook", "Baidu", "Apple" };
#define HOT_CHANNELS ((int)(sizeof(hot_channels) / sizeof(hot_channels[0])))
static const char *const first_names[] = { "Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
					   "Kate",  "Julie", "Sarah", "Deiter", "Walter" };
static const char *const last_names[] = { "Shultz", "Abrams", "Spencer", "White", "Bartels",
					  "Walton", "Smith",  "Jones",   "Noris" };
static const char *const cities[] = { "Phoenix",  "Los Angeles", "San Francisco", "Boise",
				      "Portland", "Bend",        "Redmond",       "Seattle",
				      "Kent",     "Cheyenne" };
static const char *const states[] = { "AZ", "CA", "ID", "OR", "WA", "WY" };
#define COUNT_OF(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))

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
	uint64_t seed;
	int64_t base_ms; /* the date_time of event 0 */
	double delay_us; /* between two events: 1e6 / rate */
	char hot_urls[HOT_CHANNELS][80];
} gen_t;

/* The random numbers of event e: a generator of their own, so that an
 * event does not depend on which others are written. */
static rng_t
event_rng(const gen_t *g, int64_t e)
{
	rng_t r = { .s = g->seed ^ ((uint64_t)e * 0xd1342543de82ef95ULL) };
	rng_next(&r);
	return r;
}

/* Nexmark's timestampForEvent. */
static int64_t
event_time(const gen_t *g, int64_t e)
{
	return g->base_ms + (int64_t)((double)e * g->delay_us) / 1000;
}

/* Nexmark's nextString(random, max): 3 to max - 1 letters, a space now and
 * then, trimmed.  Returns the length written to out (max bytes). */
static size_t
next_string(rng_t *r, int max, char *out)
{
	size_t len = 3 + (size_t)rng_below(r, max - 3), b = 0, e = 0;
	for (size_t i = 0; i < len; i++)
		out[i] = rng_below(r, 13) == 0 ? ' ' : (char)('a' + rng_below(r, 26));
	while (b < len && out[b] == ' ')
		b++;
	for (size_t i = b; i < len; i++)
		if (out[i] != ' ')
			e = i + 1;
	if (e <= b)
		return 0;
	memmove(out, out + b, e - b);
	return e - b;
}

/* Nexmark's nextExtra(): letters that pad a record of current bytes to avg
 * bytes on average (+-20%).  Returns the length written to out. */
static size_t
next_extra(rng_t *r, size_t current, int avg, char *out)
{
	if ((int)current > avg)
		return 0;
	int want = avg - (int)current, delta = (int)lround(want * 0.2);
	int len = want - delta + (delta == 0 ? 0 : (int)rng_below(r, 2 * delta));
	for (int i = 0; i < len; i++)
		out[i] = (char)('a' + rng_below(r, 26));
	return (size_t)len;
}

/* Nexmark's PriceGenerator: log-uniform from 1 to 10^8 cents. */
static int64_t
next_price(rng_t *r)
{
	return llround(pow(10.0, rng_unit(r) * 6.0) * 100.0);
}

/* The last person id (from 0) generated up to event e, e's own if e is a
 * person (Nexmark's lastBase0PersonId). */
static int64_t
last_person(int64_t e)
{
	int64_t epoch = e / NEXMARK_TOTAL, off = e % NEXMARK_TOTAL;
	if (off >= NEXMARK_PERSONS)
		off = NEXMARK_PERSONS - 1;
	return epoch * NEXMARK_PERSONS + off;
}

/* The last auction id (from 0) generated up to event e, e's own if e is an
 * auction (Nexmark's lastBase0AuctionId). */
static int64_t
last_auction(int64_t e)
{
	int64_t epoch = e / NEXMARK_TOTAL, off = e % NEXMARK_TOTAL;
	if (off < NEXMARK_PERSONS) {
		epoch--;
		off = NEXMARK_AUCTIONS - 1;
	} else if (off >= NEXMARK_PERSONS + NEXMARK_AUCTIONS) {
		off = NEXMARK_AUCTIONS - 1;
	} else {
		off -= NEXMARK_PERSONS;
	}
	return epoch * NEXMARK_AUCTIONS + off;
}

/* One of the active people, or a few ids ahead (Nexmark's
 * nextBase0PersonId). */
static int64_t
next_person(rng_t *r, int64_t e)
{
	int64_t people = last_person(e) + 1;
	int64_t active = people < ACTIVE_PEOPLE ? people : ACTIVE_PEOPLE;
	return people - active + rng_below(r, active + ID_LEAD);
}

/* Nexmark's nextString(random, 5, '_'), for urls: 3 or 4 letters, a '_'
 * now and then. */
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
	g->base_ms = base_ms;
	g->delay_us = 1e6 / rate;
	rng_t r = { .s = seed };
	for (int i = 0; i < HOT_CHANNELS; i++)
		base_url(&r, g->hot_urls[i], sizeof(g->hot_urls[i]));
}

static int
event_type(int64_t e)
{
	int64_t off = e % NEXMARK_TOTAL;
	if (off < NEXMARK_PERSONS)
		return PERSON;
	return off < NEXMARK_PERSONS + NEXMARK_AUCTIONS ? AUCTION : BID;
}

static size_t
checked(int w, size_t size, const char *what)
{
	if (w < 0 || (size_t)w >= size)
		bench_die("%s does not fit in %zu bytes", what, size);
	return (size_t)w;
}

/* Writes person event e as JSON into out; returns its length. */
static size_t
gen_person(const gen_t *g, int64_t e, char *out, size_t size)
{
	rng_t r = event_rng(g, e);
	char name[32], email[16], domain[8], card[24], extra[2 * AVG_PERSON_BYTES];

	snprintf(name, sizeof(name), "%s %s", first_names[rng_below(&r, COUNT_OF(first_names))],
		 last_names[rng_below(&r, COUNT_OF(last_names))]);
	size_t elen = next_string(&r, 7, email), dlen = next_string(&r, 5, domain);
	snprintf(card, sizeof(card), "%04d %04d %04d %04d", (int)rng_below(&r, 10000),
		 (int)rng_below(&r, 10000), (int)rng_below(&r, 10000), (int)rng_below(&r, 10000));
	const char *city = cities[rng_below(&r, COUNT_OF(cities))];
	const char *state = states[rng_below(&r, COUNT_OF(states))];
	size_t cur = 8 + strlen(name) + elen + 1 + dlen + 4 + strlen(card) + strlen(city) +
		     strlen(state);
	size_t xlen = next_extra(&r, cur, AVG_PERSON_BYTES, extra);
	int w = snprintf(
		out, size,
		"{\"id\":%" PRId64 ",\"name\":\"%s\",\"email_address\":\"%.*s@%.*s.com\","
		"\"credit_card\":\"%s\",\"city\":\"%s\",\"state\":\"%s\",\"date_time\":%" PRId64
		",\"extra\":\"%.*s\"}",
		last_person(e) + FIRST_PERSON_ID, name, (int)elen, email, (int)dlen, domain, card,
		city, state, event_time(g, e), (int)xlen, extra);
	return checked(w, size, "a person");
}

/* Writes auction event e as JSON into out; returns its length. */
static size_t
gen_auction(const gen_t *g, int64_t e, char *out, size_t size)
{
	rng_t r = event_rng(g, e);
	char item[24], desc[104], extra[2 * AVG_AUCTION_BYTES];
	int64_t seller;

	if (rng_below(&r, 4) > 0)
		seller = last_person(e) / HOT_RATIO * HOT_RATIO;
	else
		seller = next_person(&r, e);
	int64_t category = FIRST_CATEGORY_ID + rng_below(&r, CATEGORIES);
	int64_t initial_bid = next_price(&r);
	/* the auction lasts on average until the auction IN_FLIGHT_AUCTIONS
	 * ahead is due (Nexmark's nextAuctionLengthMs) */
	int64_t now = event_time(g, e);
	int64_t horizon =
		event_time(g, e + IN_FLIGHT_AUCTIONS * NEXMARK_TOTAL / NEXMARK_AUCTIONS) - now;
	int64_t expires = now + 1 + rng_below(&r, horizon * 2 > 1 ? horizon * 2 : 1);
	size_t ilen = next_string(&r, 20, item), dlen = next_string(&r, 100, desc);
	int64_t reserve = initial_bid + next_price(&r);
	size_t xlen = next_extra(&r, 8 + ilen + dlen + 40, AVG_AUCTION_BYTES, extra);
	int w = snprintf(out, size,
			 "{\"id\":%" PRId64 ",\"item_name\":\"%.*s\",\"description\":\"%.*s\","
			 "\"initial_bid\":%" PRId64 ",\"reserve\":%" PRId64
			 ",\"date_time\":%" PRId64 ",\"expires\":%" PRId64 ",\"seller\":%" PRId64
			 ",\"category\":%" PRId64 ",\"extra\":\"%.*s\"}",
			 last_auction(e) + FIRST_AUCTION_ID, (int)ilen, item, (int)dlen, desc,
			 initial_bid, reserve, now, expires, seller + FIRST_PERSON_ID, category,
			 (int)xlen, extra);
	return checked(w, size, "an auction");
}

/* Writes bid event e as JSON into out; returns its length. */
static size_t
gen_bid(const gen_t *g, int64_t e, char *out, size_t size)
{
	rng_t r = event_rng(g, e);
	int64_t auction, bidder;

	if (rng_below(&r, 2) > 0) {
		auction = last_auction(e) / HOT_RATIO * HOT_RATIO;
	} else {
		int64_t hi = last_auction(e);
		int64_t lo = hi > IN_FLIGHT_AUCTIONS ? hi - IN_FLIGHT_AUCTIONS : 0;
		auction = lo + rng_below(&r, hi - lo + 1 + ID_LEAD);
	}
	if (rng_below(&r, 4) > 0)
		bidder = last_person(e) / HOT_RATIO * HOT_RATIO + 1;
	else
		bidder = next_person(&r, e);
	int64_t price = next_price(&r);

	char chan_buf[24], url_buf[112], extra[2 * AVG_BID_BYTES];
	const char *channel, *url;
	if (rng_below(&r, 2) > 0) {
		int i = (int)rng_below(&r, HOT_CHANNELS);
		channel = hot_channels[i];
		url = g->hot_urls[i];
	} else {
		int ch = (int)rng_below(&r, CHANNELS);
		snprintf(chan_buf, sizeof(chan_buf), "channel-%d", ch);
		channel_url(g, ch, url_buf, sizeof(url_buf));
		channel = chan_buf;
		url = url_buf;
	}
	/* the reference counts a bid's four numbers, not its strings */
	size_t xlen = next_extra(&r, 32, AVG_BID_BYTES, extra);
	int w = snprintf(out, size,
			 "{\"auction\":%" PRId64 ",\"bidder\":%" PRId64 ",\"price\":%" PRId64
			 ",\"channel\":\"%s\",\"url\":\"%s\",\"date_time\":%" PRId64
			 ",\"extra\":\"%.*s\"}",
			 auction + FIRST_AUCTION_ID, bidder + FIRST_PERSON_ID, price, channel, url,
			 event_time(g, e), (int)xlen, extra);
	return checked(w, size, "a bid");
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
	return checked(w, size, "an event");
}

/* ---- writing ---- */

/* One topic written to. */
typedef struct sink {
	const char *topic;
	rd_kafka_topic_t *rkt;
	int nparts;
	int64_t next; /* records written: the next goes to partition next % nparts */
	int64_t bytes;
	int64_t *before; /* end offsets before the first record */
} sink_t;

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
sink_open(sink_t *s, rd_kafka_t *rk, const char *topic)
{
	s->topic = topic;
	s->nparts = bench_partition_count(rk, topic, 10000);
	s->before = calloc((size_t)s->nparts, sizeof(*s->before));
	if (s->before == NULL)
		bench_die("out of memory");
	if (bench_offsets(rk, topic, s->nparts, RD_KAFKA_OFFSET_END, s->before, 10000) != 0)
		exit(1);
	s->rkt = rd_kafka_topic_new(rk, topic, NULL);
}

static void
sink_write(sink_t *s, rd_kafka_t *rk, const char *buf, size_t len, double deadline)
{
	int32_t part = (int32_t)(s->next % s->nparts);
	while (rd_kafka_produce(s->rkt, part, RD_KAFKA_MSG_F_COPY, (void *)buf, len, NULL, 0,
				NULL) != 0) {
		rd_kafka_resp_err_t code = rd_kafka_last_error();
		if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			bench_die("cannot produce to \"%s\": %s", s->topic, rd_kafka_err2str(code));
		if (bench_now() > deadline)
			bench_die("timed out with %" PRId64 " records sent to \"%s\"", s->next,
				  s->topic);
		rd_kafka_poll(rk, 5); /* room comes with delivery reports */
	}
	s->next++;
	s->bytes += (int64_t)len;
}

/* Dies unless the topic grew by exactly what s wrote and lost nothing (the
 * mock keeps about 5 MB per partition). */
static void
sink_check(sink_t *s, rd_kafka_t *rk)
{
	int64_t *low = calloc((size_t)s->nparts, sizeof(*low));
	int64_t *high = calloc((size_t)s->nparts, sizeof(*high));
	if (low == NULL || high == NULL)
		bench_die("out of memory");
	if (bench_offsets(rk, s->topic, s->nparts, RD_KAFKA_OFFSET_BEGINNING, low, 10000) != 0 ||
	    bench_offsets(rk, s->topic, s->nparts, RD_KAFKA_OFFSET_END, high, 10000) != 0)
		exit(1);
	int64_t added = 0;
	for (int p = 0; p < s->nparts; p++) {
		added += high[p] - s->before[p];
		if (low[p] > s->before[p])
			bench_die("topic \"%s\" partition %d lost records (it starts at offset "
				  "%" PRId64 " now, %" PRId64 " before): use more partitions",
				  s->topic, p, low[p], s->before[p]);
	}
	if (added != s->next)
		bench_die("topic \"%s\" grew by %" PRId64 " records, not %" PRId64, s->topic, added,
			  s->next);
	free(low);
	free(high);
	free(s->before);
	rd_kafka_topic_destroy(s->rkt);
}

static void
sleep_until(double t)
{
	double d = t - bench_now();
	if (d <= 0)
		return;
	struct timespec ts = { .tv_sec = (time_t)d,
			       .tv_nsec = (long)((d - (double)(time_t)d) * 1e9) };
	nanosleep(&ts, NULL);
}

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: gen [-b BOOTSTRAP] [-o FILE] [-w nexmark|events] [-n COUNT] [-s SEED]\n"
		"           [--prefix PREFIX] [--only TYPES] [-t TOPIC] [--keys K] [--distinct]\n"
		"           [--rate EVENTS_PER_S] [--pace RECORDS_PER_S] [--base-time MS]\n"
		"           [--timeout SECONDS]\n"
		"\n"
		"Writes COUNT Nexmark events to the topics PREFIXperson, PREFIXauction and\n"
		"PREFIXbid, or with -w events COUNT {\"k\",\"v\",\"ts\"} records to TOPIC (flat JSON,\n"
		"no key, to the partitions in turn), as fast as possible, and prints records,\n"
		"bytes, seconds, records_per_s (and persons, auctions, bids).\n"
		"\n"
		"  -b, --bootstrap-servers B  the Kafka cluster (the topics must exist)\n"
		"  -o, --output FILE          also write the records as JSON lines to FILE (- for\n"
		"                             stdout), nexmark ones as {\"event_type\":N,\"bid\":{...}};\n"
		"                             without -b only to FILE\n"
		"  -w, --workload NAME        nexmark (default) or events\n"
		"  -n, --count COUNT          number of events (default 1000000); nexmark: event ids\n"
		"                             0 to COUNT - 1, of which 1/50 persons, 3/50 auctions\n"
		"  -s, --seed SEED            seed of the random numbers (default 1)\n"
		"  -p, --prefix PREFIX        nexmark: prefix of the topics (default nexmark-)\n"
		"      --only TYPES           nexmark: write only these of person,auction,bid (the\n"
		"                             same records as a run that writes all)\n"
		"  -t, --topic TOPIC          events: the topic (default events)\n"
		"      --keys K               events: number of distinct keys (default 1000)\n"
		"      --distinct             events: every key once in each K records (default:\n"
		"                             keys drawn at random)\n"
		"      --rate R               events per second of event time, for date_time or ts\n"
		"                             (default 10000 for nexmark, 1000 for events)\n"
		"      --pace R               write at most R records per second (default: as fast\n"
		"                             as possible)\n"
		"      --base-time MS         date_time or ts of the first event (default\n"
		"                             1704067200000, 2024-01-01T00:00:00Z)\n"
		"      --timeout SECONDS      give up if not all delivered by then (default 300)\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bootstrap-servers", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "topic", required_argument, NULL, 't' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "only", required_argument, NULL, 'y' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "pace", required_argument, NULL, 'P' },
		{ "workload", required_argument, NULL, 'w' },
		{ "keys", required_argument, NULL, 'k' },
		{ "distinct", no_argument, NULL, 'd' },
		{ "base-time", required_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bootstrap = NULL, *output = NULL, *topic = "events", *prefix = "nexmark-";
	int64_t count = 1000000, base_ms = 1704067200000LL;
	uint64_t seed = 1;
	int64_t keys = 1000;
	double rate = 0, pace = 0, timeout = 300;
	bool events = false, distinct = false, want[NTYPES] = { true, true, true };
	int opt;

	bench_prog = "gen";
	while ((opt = getopt_long(argc, argv, "b:o:t:p:n:s:w:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bootstrap = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			topic = optarg;
			break;
		case 'p':
			prefix = optarg;
			break;
		case 'y': {
			char *list = strdup(optarg), *save = NULL;
			memset(want, 0, sizeof(want));
			for (char *t = strtok_r(list, ",", &save); t != NULL;
			     t = strtok_r(NULL, ",", &save)) {
				int i = 0;
				while (i < NTYPES && strcmp(t, type_names[i]) != 0)
					i++;
				if (i == NTYPES)
					bench_die("--only: \"%s\" is not person, auction or bid",
						  t);
				want[i] = true;
			}
			free(list);
			break;
		}
		case 'n':
			count = bench_parse_int("--count", optarg, 0, INT64_MAX / 1000);
			break;
		case 's':
			seed = (uint64_t)bench_parse_int("--seed", optarg, 0, INT64_MAX);
			break;
		case 'r':
			rate = (double)bench_parse_int("--rate", optarg, 1, 1000000000);
			break;
		case 'P':
			pace = (double)bench_parse_int("--pace", optarg, 1, 1000000000);
			break;
		case 'w':
			if (strcmp(optarg, "events") == 0)
				events = true;
			else if (strcmp(optarg, "nexmark") == 0)
				events = false;
			else
				bench_die("--workload: \"%s\" is neither nexmark nor events",
					  optarg);
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
	if ((bootstrap == NULL && output == NULL) || optind < argc) {
		usage(stderr);
		return 2;
	}
	if (rate == 0)
		rate = events ? 1000 : 10000;

	FILE *file = NULL, *report = stdout;
	if (output != NULL && strcmp(output, "-") == 0) {
		file = stdout;
		report = stderr;
	} else if (output != NULL && (file = fopen(output, "w")) == NULL) {
		bench_die("cannot write %s", output);
	}

	/* Throughput settings: big batches, a few ms of linger, no compression
	 * (consumers would pay for decompressing), no idempotence (one
	 * producer, no retries expected on 127.0.0.1). */
	rd_kafka_t *rk = NULL;
	sink_t sinks[NTYPES] = { 0 };
	char names[NTYPES][256];
	int nsinks = events ? 1 : NTYPES;
	if (bootstrap != NULL) {
		rd_kafka_conf_t *conf = rd_kafka_conf_new();
		bench_conf_set(conf, "linger.ms", "20");
		bench_conf_set(conf, "batch.num.messages", "10000");
		bench_conf_set(conf, "batch.size", "1000000");
		bench_conf_set(conf, "queue.buffering.max.messages", "1000000");
		bench_conf_set(conf, "queue.buffering.max.kbytes", "262144");
		bench_conf_set(conf, "compression.codec", "none");
		rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
		rk = bench_client_new(RD_KAFKA_PRODUCER, conf, bootstrap);
		for (int i = 0; i < nsinks; i++) {
			if (events)
				snprintf(names[i], sizeof(names[i]), "%s", topic);
			else
				snprintf(names[i], sizeof(names[i]), "%s%s", prefix, type_names[i]);
			if (events || want[i])
				sink_open(&sinks[i], rk, names[i]);
		}
	}

	gen_t g = { 0 };
	events_t ev = { 0 };
	if (events)
		events_init(&ev, seed, keys, distinct, base_ms, rate);
	else
		gen_init(&g, seed, base_ms, rate);
	char buf[2048];
	int64_t written = 0, bytes = 0, per_type[NTYPES] = { 0 };
	double t0 = bench_now(), deadline = t0 + timeout;
	for (int64_t i = 0; i < count; i++) {
		int type = events ? 0 : event_type(i);
		if (!events && !want[type])
			continue;
		size_t len;
		if (events)
			len = gen_event(&ev, i, buf, sizeof(buf));
		else if (type == PERSON)
			len = gen_person(&g, i, buf, sizeof(buf));
		else if (type == AUCTION)
			len = gen_auction(&g, i, buf, sizeof(buf));
		else
			len = gen_bid(&g, i, buf, sizeof(buf));
		if (pace > 0 && written % 64 == 0)
			sleep_until(t0 + (double)written / pace);
		if (rk != NULL) {
			sink_write(&sinks[type], rk, buf, len, deadline);
			if ((written & 1023) == 0)
				rd_kafka_poll(rk, 0);
		}
		if (file != NULL && events)
			fprintf(file, "%.*s\n", (int)len, buf);
		else if (file != NULL)
			fprintf(file, "{\"event_type\":%d,\"%s\":%.*s}\n", type, type_names[type],
				(int)len, buf);
		written++;
		per_type[type]++;
		bytes += (int64_t)len;
	}
	if (file != NULL && (fflush(file) != 0 || ferror(file)))
		bench_die("cannot write %s", output);
	if (file != NULL && file != stdout)
		fclose(file);
	if (rk != NULL) {
		while (delivered + failed < written && bench_now() < deadline)
			rd_kafka_poll(rk, 50);
		if (delivered + failed < written)
			bench_die("timed out after %.0f s: %" PRId64 " of %" PRId64
				  " records delivered",
				  timeout, delivered, written);
		if (failed > 0)
			bench_die("%" PRId64 " records could not be delivered; the first: %s",
				  failed, first_failure);
		for (int i = 0; i < nsinks; i++)
			if (sinks[i].rkt != NULL)
				sink_check(&sinks[i], rk);
		rd_kafka_destroy(rk);
	}
	double secs = bench_now() - t0;

	fprintf(report,
		"records=%" PRId64 "\nbytes=%" PRId64 "\nseconds=%.3f\nrecords_per_s=%.0f\n",
		written, bytes, secs, secs > 0 ? (double)written / secs : 0.0);
	if (!events)
		fprintf(report, "persons=%" PRId64 "\nauctions=%" PRId64 "\nbids=%" PRId64 "\n",
			per_type[PERSON], per_type[AUCTION], per_type[BID]);
	fprintf(stderr, "gen: %" PRId64 " records (%.1f MB, %.0f bytes on average", written,
		(double)bytes / 1e6, written > 0 ? (double)bytes / (double)written : 0.0);
	if (!events)
		fprintf(stderr, "; %" PRId64 " persons, %" PRId64 " auctions, %" PRId64 " bids",
			per_type[PERSON], per_type[AUCTION], per_type[BID]);
	fprintf(stderr, ") in %.3f s\n", secs);
	return 0;
}
