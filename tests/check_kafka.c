/*
 * check_kafka.c: unit tests of src/kafka against the embedded cluster.
 *
 * Layer: kafka.  Every test starts its own in-process mock cluster on
 * 127.0.0.1: properties and kafka.* pass-through, topic administration
 * (including the emulated delete), produce and consume back (keys,
 * timestamps, headers, tombstones, the Java partitioner), start offsets,
 * positions, watermarks and the caught-up barrier, pause/resume, delivery
 * failures (injected with the mock's request errors), lost offsets, a broker
 * outage, and sluice-kafka as a separate process (its path from
 * $SLUICE_KAFKA, argv[1], or $abs_top_builddir/sluice-kafka; skipped when
 * there is none).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kafka/kafka.h"

/* Kafka protocol ApiKeys (not in librdkafka's public headers). */
#define APIKEY_PRODUCE 0

static const char *sluice_kafka_path; /* the sluice-kafka binary, or NULL */

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static sl_kafka_t *
embedded(int brokers)
{
	char buf[16];
	sl_kafka_prop_t props[] = { { "sluice.kafka.embedded.brokers", buf } };
	sl_kafka_t *k = NULL;
	sl_error_t err;
	snprintf(buf, sizeof(buf), "%d", brokers);
	int rc = sl_kafka_create(props, 1, &k, &err);
	ck_assert_msg(rc == SL_OK, "sl_kafka_create: %s", err.msg);
	return k;
}

static sl_kafka_producer_t *
producer(sl_kafka_t *k)
{
	sl_kafka_producer_t *p = NULL;
	sl_error_t err;
	ck_assert_msg(sl_kafka_producer_create(k, &p, &err) == SL_OK, "producer: %s", err.msg);
	return p;
}

static sl_kafka_consumer_t *
consumer(sl_kafka_t *k, int64_t reset)
{
	sl_kafka_consumer_t *c = NULL;
	sl_error_t err;
	ck_assert_msg(sl_kafka_consumer_create(k, "check", reset, &c, &err) == SL_OK,
		      "consumer: %s", err.msg);
	return c;
}

static void
topic(sl_kafka_t *k, const char *name, int partitions)
{
	sl_error_t err;
	ck_assert_msg(sl_kafka_topic_create(k, name, partitions, 1, &err) == SL_OK,
		      "create topic: %s", err.msg);
}

/* Assigns every partition of name at offset. */
static void
assign_all(sl_kafka_consumer_t *c, const char *name, int partitions, int64_t offset)
{
	sl_kafka_tp_t tps[16];
	sl_error_t err;
	ck_assert_int_le(partitions, 16);
	for (int i = 0; i < partitions; i++)
		tps[i] = (sl_kafka_tp_t){ name, i, offset };
	ck_assert_msg(sl_kafka_consumer_assign(c, tps, (size_t)partitions, &err) == SL_OK,
		      "assign: %s", err.msg);
}

static void
produce_str(sl_kafka_producer_t *p, const char *name, int32_t partition, const char *key,
	    const char *value, int64_t ts)
{
	sl_kafka_record_t rec = { .topic = name,
				  .partition = partition,
				  .key = key,
				  .key_len = key ? strlen(key) : 0,
				  .value = value,
				  .value_len = value ? strlen(value) : 0,
				  .timestamp = ts };
	sl_error_t err;
	ck_assert_msg(sl_kafka_producer_produce(p, &rec, &err) == SL_OK, "produce: %s", err.msg);
}

static void
flush_ok(sl_kafka_producer_t *p)
{
	sl_error_t err;
	ck_assert_msg(sl_kafka_producer_flush(p, 5000, NULL, &err) == SL_OK, "flush: %s", err.msg);
}

/* Polls until want records came or timeout_ms passed; every poll must
 * succeed.  Returns the count, messages in out. */
static size_t
consume(sl_kafka_consumer_t *c, rd_kafka_message_t **out, size_t want, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	size_t got = 0;
	sl_error_t err;
	while (got < want && now_ms() < deadline) {
		size_t n;
		int rc = sl_kafka_consumer_poll(c, out + got, want - got, 100, &n, &err);
		ck_assert_msg(rc == SL_OK, "poll: %s", err.msg);
		got += n;
	}
	return got;
}

/* Polls until the barrier says caught up; fails after timeout_ms. */
static void
catch_up(sl_kafka_consumer_t *c, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	rd_kafka_message_t *msgs[64];
	sl_error_t err;
	for (;;) {
		bool done;
		ck_assert_msg(sl_kafka_consumer_caught_up(c, 2000, &done, &err) == SL_OK,
			      "caught_up: %s", err.msg);
		if (done)
			return;
		ck_assert_msg(now_ms() < deadline, "consumer did not catch up in %d ms",
			      timeout_ms);
		size_t n;
		ck_assert_int_eq(sl_kafka_consumer_poll(c, msgs, 64, 50, &n, &err), SL_OK);
		sl_kafka_messages_destroy(msgs, n);
	}
}

/* Kafka's Utils.murmur2, as Java producers (and ksqlDB) partition keys. */
static int32_t
murmur2(const void *key, size_t len)
{
	const uint8_t *data = key;
	const uint32_t m = 0x5bd1e995;
	uint32_t h = 0x9747b28c ^ (uint32_t)len;
	size_t i;
	for (i = 0; i + 4 <= len; i += 4) {
		uint32_t k = data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16 |
			     (uint32_t)data[i + 3] << 24;
		k *= m;
		k ^= k >> 24;
		k *= m;
		h *= m;
		h ^= k;
	}
	switch (len & 3) {
	case 3:
		h ^= (uint32_t)data[i + 2] << 16;
		/* fall through */
	case 2:
		h ^= (uint32_t)data[i + 1] << 8;
		/* fall through */
	case 1:
		h ^= data[i];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return (int32_t)h;
}

static int32_t
java_partition(const char *key, int partitions)
{
	return (int32_t)((uint32_t)murmur2(key, strlen(key)) & 0x7fffffff) % partitions;
}

/* ---- the client context and properties ---- */

START_TEST(test_embedded_start)
{
	sl_kafka_t *k = embedded(3);
	sl_error_t err;
	const char *bs = sl_kafka_bootstrap(k);
	ck_assert(sl_kafka_embedded(k));
	ck_assert_ptr_nonnull(sl_kafka_mock_cluster(k));
	ck_assert_msg(strncmp(bs, "127.0.0.1:", 10) == 0, "bootstrap %s", bs);
	int commas = 0;
	for (const char *s = bs; *s; s++)
		commas += *s == ',';
	ck_assert_int_eq(commas, 2); /* three brokers */
	ck_assert_msg(sl_kafka_ping(k, 5000, &err) == SL_OK, "ping: %s", err.msg);
	sl_kafka_destroy(k);

	/* with no property at all: one broker */
	ck_assert_int_eq(sl_kafka_create(NULL, 0, &k, &err), SL_OK);
	ck_assert_ptr_null(strchr(sl_kafka_bootstrap(k), ','));
	sl_kafka_destroy(k);
}
END_TEST

START_TEST(test_props_errors)
{
	sl_kafka_t *k = NULL;
	sl_error_t err;

	sl_kafka_prop_t bad_value[] = { { "kafka.linger.ms", "soon" } };
	ck_assert_int_eq(sl_kafka_create(bad_value, 1, &k, &err), SL_EINVAL);
	ck_assert_ptr_null(k);
	ck_assert_msg(strstr(err.msg, "invalid property \"kafka.linger.ms\" (value \"soon\"): "
				      "invalid value") != NULL,
		      "%s", err.msg);

	sl_kafka_prop_t bad_name[] = { { "kafka.no.such.property", "1" } };
	ck_assert_int_eq(sl_kafka_create(bad_name, 1, &k, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "invalid property \"kafka.no.such.property\": no such "
				      "configuration property") != NULL,
		      "%s", err.msg);

	sl_kafka_prop_t ours[] = { { "sluice.kafka.embedded.brokers", "0" } };
	ck_assert_int_eq(sl_kafka_create(ours, 1, &k, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "sluice.kafka.embedded.brokers") != NULL, "%s", err.msg);

	sl_kafka_prop_t unknown[] = { { "sluice.kafka.nonesuch", "1" } };
	ck_assert_int_eq(sl_kafka_create(unknown, 1, &k, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "unknown property \"sluice.kafka.nonesuch\"");

	sl_kafka_prop_t clash[] = { { "bootstrap.servers", "127.0.0.1:1" },
				    { "kafka.bootstrap.servers", "127.0.0.1:2" } };
	ck_assert_int_eq(sl_kafka_create(clash, 2, &k, &err), SL_EINVAL);

	/* properties of other layers are none of kafka's business */
	sl_kafka_prop_t others[] = { { "ksql.streams.auto.offset.reset", "earliest" },
				     { "kafka.client.id", "check-kafka" } };
	ck_assert_msg(sl_kafka_create(others, 2, &k, &err) == SL_OK, "%s", err.msg);
	sl_kafka_destroy(k);
}
END_TEST

/* A kafka.* property reaches the producer: a small message.max.bytes makes
 * a large record fail, and an inconsistent pair is refused with a reason. */
START_TEST(test_props_passthrough)
{
	sl_kafka_prop_t props[] = { { "kafka.message.max.bytes", "2000" } };
	sl_kafka_t *k = NULL;
	sl_kafka_producer_t *p;
	sl_error_t err;
	ck_assert_msg(sl_kafka_create(props, 1, &k, &err) == SL_OK, "%s", err.msg);
	topic(k, "big", 1);
	p = producer(k);
	static char value[5000];
	memset(value, 'x', sizeof(value));
	sl_kafka_record_t rec = {
		.topic = "big", .partition = 0, .value = value, .value_len = sizeof(value)
	};
	ck_assert_int_eq(sl_kafka_producer_produce(p, &rec, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "cannot produce to topic \"big\" partition 0") != NULL, "%s",
		      err.msg);
	rec.value_len = 100;
	ck_assert_int_eq(sl_kafka_producer_produce(p, &rec, &err), SL_OK);
	flush_ok(p);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);

	/* idempotence needs acks=all: librdkafka says so at producer creation */
	sl_kafka_prop_t clash[] = { { "kafka.acks", "1" } };
	ck_assert_int_eq(sl_kafka_create(clash, 1, &k, &err), SL_OK);
	p = NULL;
	ck_assert_int_eq(sl_kafka_producer_create(k, &p, &err), SL_EINVAL);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err.msg, "cannot create the kafka producer") != NULL &&
			      strstr(err.msg, "acks") != NULL,
		      "%s", err.msg);
	sl_kafka_destroy(k);
}
END_TEST

/* ---- topics ---- */

static bool
listed(sl_kafka_t *k, const char *name, int *partitions)
{
	sl_kafka_topic_info_t *list;
	size_t n;
	sl_error_t err;
	bool found = false;
	ck_assert_msg(sl_kafka_topic_list(k, &list, &n, &err) == SL_OK, "%s", err.msg);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			ck_assert_int_lt(strcmp(list[i - 1].name, list[i].name), 0);
		if (strcmp(list[i].name, name) == 0) {
			found = true;
			if (partitions != NULL)
				*partitions = list[i].partitions;
		}
	}
	sl_kafka_topic_list_free(list, n);
	return found;
}

START_TEST(test_topic_admin)
{
	sl_kafka_t *k = embedded(1);
	sl_error_t err;
	int parts = 0, replicas = 0;
	bool exists;

	topic(k, "orders", 3);
	topic(k, "audit", 1);
	ck_assert_int_eq(sl_kafka_topic_describe(k, "orders", &parts, &replicas, &err), SL_OK);
	ck_assert_int_eq(parts, 3);
	ck_assert_int_eq(replicas, 1);
	ck_assert_int_eq(sl_kafka_topic_exists(k, "orders", &exists, &err), SL_OK);
	ck_assert(exists);
	ck_assert(listed(k, "orders", &parts));
	ck_assert_int_eq(parts, 3);
	ck_assert(listed(k, "audit", NULL));

	ck_assert_int_eq(sl_kafka_topic_create(k, "orders", 3, 1, &err), SL_EEXISTS);
	ck_assert_str_eq(err.msg, "topic \"orders\" already exists");
	ck_assert_int_eq(sl_kafka_topic_create(k, "bad name", 1, 1, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "invalid topic name \"bad name\"") != NULL, "%s", err.msg);
	ck_assert_int_eq(sl_kafka_topic_create(k, "zero", 0, 1, &err), SL_EINVAL);
	ck_assert_int_eq(sl_kafka_topic_create(k, "wide", 1, 3, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "1 broker") != NULL, "%s", err.msg);

	/* asking about a missing topic must not create it (the mock would) */
	ck_assert_int_eq(sl_kafka_topic_describe(k, "ghost", NULL, NULL, &err), SL_ENOTFOUND);
	ck_assert_str_eq(err.msg, "topic \"ghost\" does not exist");
	ck_assert_int_eq(sl_kafka_topic_exists(k, "ghost", &exists, &err), SL_OK);
	ck_assert(!exists);
	ck_assert(!listed(k, "ghost", NULL));

	ck_assert_int_eq(sl_kafka_topic_delete(k, "orders", &err), SL_OK);
	ck_assert_int_eq(sl_kafka_topic_exists(k, "orders", &exists, &err), SL_OK);
	ck_assert(!exists);
	ck_assert(!listed(k, "orders", NULL));
	ck_assert(listed(k, "audit", NULL));
	ck_assert_int_eq(sl_kafka_topic_delete(k, "orders", &err), SL_ENOTFOUND);
	ck_assert_int_eq(sl_kafka_topic_delete(k, "ghost", &err), SL_ENOTFOUND);

	/* the emulated delete cannot change the partition count */
	ck_assert_int_eq(sl_kafka_topic_create(k, "orders", 2, 1, &err), SL_EINVAL);
	ck_assert_msg(strstr(err.msg, "only with its former 3") != NULL, "%s", err.msg);
	topic(k, "orders", 3);
	ck_assert(listed(k, "orders", &parts));
	sl_kafka_destroy(k);
}
END_TEST

/* A deleted then re-created topic reads as empty to sluice's consumers. */
START_TEST(test_topic_recreate_empty)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	rd_kafka_message_t *msgs[8];
	sl_error_t err;

	topic(k, "life", 1);
	produce_str(p, "life", 0, "k", "first life", 0);
	produce_str(p, "life", 0, "k", "first life again", 0);
	flush_ok(p);
	ck_assert_int_eq(sl_kafka_topic_delete(k, "life", &err), SL_OK);
	topic(k, "life", 1);

	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_BEGINNING);
	assign_all(c, "life", 1, SL_KAFKA_OFFSET_BEGINNING);
	int64_t lo, hi;
	ck_assert_int_eq(sl_kafka_consumer_watermarks(c, "life", 0, 2000, &lo, &hi, &err), SL_OK);
	ck_assert_int_eq(lo, hi); /* empty */
	catch_up(c, 5000);
	produce_str(p, "life", 0, "k", "second life", 0);
	flush_ok(p);
	ck_assert_int_eq(consume(c, msgs, 1, 5000), 1);
	ck_assert_int_eq(msgs[0]->len, strlen("second life"));
	ck_assert(memcmp(msgs[0]->payload, "second life", msgs[0]->len) == 0);
	sl_kafka_messages_destroy(msgs, 1);
	/* nothing of the first life follows */
	ck_assert_int_eq(consume(c, msgs, 1, 300), 0);

	/* a stored offset of the former life starts at the reset instead */
	sl_kafka_tp_t tp = { "life", 0, 1 };
	ck_assert_int_eq(sl_kafka_consumer_assign(c, &tp, 1, &err), SL_OK);
	ck_assert_int_eq(consume(c, msgs, 2, 500), 1);
	ck_assert(memcmp(msgs[0]->payload, "second life", msgs[0]->len) == 0);
	sl_kafka_messages_destroy(msgs, 1);

	sl_kafka_consumer_destroy(c);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

/* ---- produce and consume ---- */

#define NREC 300
#define NPART 3

START_TEST(test_produce_consume)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_BEGINNING);
	static rd_kafka_message_t *msgs[NREC + 1];
	bool seen[NREC] = { false };
	int per_part[NPART] = { 0 };
	sl_error_t err;

	topic(k, "events", NPART);
	for (int i = 0; i < NREC; i++) {
		char key[16], value[32], hv[16];
		snprintf(key, sizeof(key), "key-%d", i % 37);
		snprintf(value, sizeof(value), "{\"i\":%d}", i);
		snprintf(hv, sizeof(hv), "%d", i);
		sl_kafka_header_t hdrs[] = { { "seq", hv, strlen(hv) }, { "nil", NULL, 0 } };
		sl_kafka_record_t rec = {
			.topic = "events",
			.partition = SL_KAFKA_PARTITION_ANY,
			.key = key,
			.key_len = strlen(key),
			.value = i % 10 == 9 ? NULL : value,
			.value_len = strlen(value),
			.timestamp = 1600000000000LL + i,
			.headers = hdrs,
			.nheaders = 2,
		};
		ck_assert_msg(sl_kafka_producer_produce(p, &rec, &err) == SL_OK, "%s", err.msg);
	}
	flush_ok(p);

	assign_all(c, "events", NPART, SL_KAFKA_OFFSET_BEGINNING);
	size_t n = consume(c, msgs, NREC, 8000);
	ck_assert_int_eq(n, NREC);
	ck_assert_int_eq(consume(c, msgs + NREC, 1, 200), 0); /* and no more */
	/* every other record copied out of librdkafka's buffers (as a join
	 * keeps the records that wait) reads the same */
	for (size_t j = 1; j < n; j += 2) {
		rd_kafka_message_t *copy = sl_kafka_message_copy(k, msgs[j]);
		ck_assert(sl_kafka_message_is_copy(copy) && !sl_kafka_message_is_copy(msgs[j]));
		ck_assert_ptr_eq(sl_kafka_message_copy(k, copy), copy);
		rd_kafka_message_destroy(msgs[j]);
		msgs[j] = copy;
	}
	for (size_t j = 0; j < n; j++) {
		rd_kafka_message_t *m = msgs[j];
		rd_kafka_headers_t *hdrs;
		const void *hv;
		size_t hlen;
		char hbuf[16], key[16];
		ck_assert_int_eq(m->err, 0);
		ck_assert_str_eq(rd_kafka_topic_name(m->rkt), "events");
		ck_assert_int_eq(sl_kafka_message_headers(m, &hdrs), 0);
		ck_assert_int_eq(rd_kafka_header_get_last(hdrs, "seq", &hv, &hlen), 0);
		snprintf(hbuf, sizeof(hbuf), "%.*s", (int)hlen, (const char *)hv);
		int i = atoi(hbuf);
		ck_assert(i >= 0 && i < NREC && !seen[i]);
		seen[i] = true;
		ck_assert_int_eq(rd_kafka_header_get_last(hdrs, "nil", &hv, &hlen), 0);
		ck_assert_ptr_null(hv);
		snprintf(key, sizeof(key), "key-%d", i % 37);
		ck_assert_int_eq(m->key_len, strlen(key));
		ck_assert(memcmp(m->key, key, m->key_len) == 0);
		/* the same partition as a Java producer would choose */
		ck_assert_int_eq(m->partition, java_partition(key, NPART));
		ck_assert_int_eq(sl_kafka_message_timestamp(k, m), 1600000000000LL + i);
		if (i % 10 == 9) {
			ck_assert_ptr_null(m->payload); /* tombstone */
		} else {
			char value[32];
			snprintf(value, sizeof(value), "{\"i\":%d}", i);
			ck_assert_int_eq(m->len, strlen(value));
			ck_assert(memcmp(m->payload, value, m->len) == 0);
		}
		per_part[m->partition]++;
	}
	sl_kafka_messages_destroy(msgs, n);

	/* positions are the high watermarks, and the barrier agrees */
	for (int part = 0; part < NPART; part++) {
		int64_t lo, hi;
		ck_assert_int_eq(
			sl_kafka_consumer_watermarks(c, "events", part, 2000, &lo, &hi, &err),
			SL_OK);
		ck_assert_int_eq(lo, 0);
		ck_assert_int_eq(hi, per_part[part]);
		ck_assert_int_eq(sl_kafka_consumer_position(c, "events", part), hi);
	}
	catch_up(c, 2000);
	ck_assert_int_eq(sl_kafka_consumer_position(c, "nonesuch", 0), SL_KAFKA_OFFSET_INVALID);

	/* from given offsets: partition 0 from 5, the others from their end */
	sl_kafka_tp_t tps[] = { { "events", 0, 5 },
				{ "events", 1, SL_KAFKA_OFFSET_END },
				{ "events", 2, SL_KAFKA_OFFSET_END } };
	ck_assert_int_eq(sl_kafka_consumer_assign(c, tps, 3, &err), SL_OK);
	n = consume(c, msgs, (size_t)per_part[0] - 5, 5000);
	ck_assert_int_eq(n, per_part[0] - 5);
	ck_assert_int_eq(consume(c, msgs + n, 1, 200), 0);
	ck_assert_int_eq(msgs[0]->partition, 0);
	ck_assert_int_eq(msgs[0]->offset, 5);
	sl_kafka_messages_destroy(msgs, n);
	catch_up(c, 2000);

	sl_kafka_consumer_destroy(c);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

START_TEST(test_assign_errors)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_END);
	sl_error_t err;
	bool exists;

	topic(k, "two", 2);
	sl_kafka_tp_t missing = { "absent", 0, 0 };
	ck_assert_int_eq(sl_kafka_consumer_assign(c, &missing, 1, &err), SL_ENOTFOUND);
	ck_assert_str_eq(err.msg, "topic \"absent\" does not exist");
	ck_assert_int_eq(sl_kafka_topic_exists(k, "absent", &exists, &err), SL_OK);
	ck_assert(!exists);
	sl_kafka_tp_t beyond = { "two", 2, 0 };
	ck_assert_int_eq(sl_kafka_consumer_assign(c, &beyond, 1, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "topic \"two\" has no partition 2 (it has 2)");
	sl_kafka_tp_t bad = { "two", 0, -7 };
	ck_assert_int_eq(sl_kafka_consumer_assign(c, &bad, 1, &err), SL_EINVAL);
	ck_assert_int_eq(sl_kafka_consumer_pause(c, "two", 0, &err), SL_ENOTFOUND);
	sl_kafka_consumer_t *c2 = NULL;
	ck_assert_int_eq(sl_kafka_consumer_create(k, NULL, 42, &c2, &err), SL_EINVAL);
	ck_assert_ptr_null(c2);

	/* latest with nothing written: caught up at once */
	assign_all(c, "two", 2, SL_KAFKA_OFFSET_INVALID);
	catch_up(c, 3000);
	sl_kafka_consumer_destroy(c);
	sl_kafka_destroy(k);
}
END_TEST

/* The barrier: not caught up while flushed records are unread. */
START_TEST(test_barrier)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_END);
	rd_kafka_message_t *msgs[16];
	sl_error_t err;
	bool done;

	topic(k, "ticks", 2);
	for (int i = 0; i < 4; i++)
		produce_str(p, "ticks", i % 2, NULL, "old", 0);
	flush_ok(p);
	assign_all(c, "ticks", 2, SL_KAFKA_OFFSET_INVALID); /* latest: skip "old" */
	catch_up(c, 3000);
	ck_assert_int_eq(sl_kafka_consumer_position(c, "ticks", 0), 2);

	for (int i = 0; i < 10; i++)
		produce_str(p, "ticks", i % 2, NULL, "new", 0);
	flush_ok(p);
	ck_assert_int_eq(sl_kafka_consumer_caught_up(c, 2000, &done, &err), SL_OK);
	ck_assert(!done);
	size_t n = consume(c, msgs, 10, 5000);
	ck_assert_int_eq(n, 10);
	for (size_t i = 0; i < n; i++)
		ck_assert(memcmp(msgs[i]->payload, "new", 3) == 0);
	sl_kafka_messages_destroy(msgs, n);
	ck_assert_int_eq(sl_kafka_consumer_caught_up(c, 2000, &done, &err), SL_OK);
	ck_assert(done);
	ck_assert_int_eq(sl_kafka_consumer_position(c, "ticks", 1), 7);

	sl_kafka_consumer_destroy(c);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

START_TEST(test_pause_resume)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_BEGINNING);
	static rd_kafka_message_t *msgs[2000];
	int64_t next[2] = { 0, 0 };
	sl_error_t err;

	topic(k, "pp", 2);
	for (int i = 0; i < 2000; i++) {
		char v[16];
		snprintf(v, sizeof(v), "%d", i);
		produce_str(p, "pp", i % 2, NULL, v, 0);
	}
	flush_ok(p);
	assign_all(c, "pp", 2, SL_KAFKA_OFFSET_BEGINNING);
	size_t n = consume(c, msgs, 300, 5000);
	ck_assert_int_eq(n, 300);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(msgs[i]->offset, next[msgs[i]->partition]);
		next[msgs[i]->partition]++;
	}
	sl_kafka_messages_destroy(msgs, n);

	ck_assert_int_eq(sl_kafka_consumer_pause(c, "pp", 0, &err), SL_OK);
	n = consume(c, msgs, (size_t)(1000 - next[1]), 5000);
	ck_assert_int_eq(consume(c, msgs + n, 1, 300), 0); /* partition 0 stays quiet */
	for (size_t i = 0; i < n; i++) {
		/* whatever partition 0 had prefetched is dropped by librdkafka */
		ck_assert_int_eq(msgs[i]->partition, 1);
		ck_assert_int_eq(msgs[i]->offset, next[1]);
		next[1]++;
	}
	sl_kafka_messages_destroy(msgs, n);
	ck_assert_int_eq(next[1], 1000);

	ck_assert_int_eq(sl_kafka_consumer_resume(c, NULL, -1, &err), SL_OK);
	n = consume(c, msgs, (size_t)(1000 - next[0]), 5000);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(msgs[i]->partition == 0, "partition %d offset %" PRId64,
			      (int)msgs[i]->partition, msgs[i]->offset); /* no repeat, no gap */
		ck_assert_int_eq(msgs[i]->offset, next[0]);
		next[0]++;
	}
	sl_kafka_messages_destroy(msgs, n);
	ck_assert_int_eq(next[0], 1000);
	catch_up(c, 2000);

	sl_kafka_consumer_destroy(c);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

/* ---- failures ---- */

/* Failed deliveries are reported by flush, once per cursor. */
START_TEST(test_delivery_failure)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	sl_error_t err;
	uint64_t mine = 0;

	topic(k, "sink", 1);
	produce_str(p, "sink", 0, "k", "fine", 0);
	flush_ok(p);
	ck_assert_int_eq(sl_kafka_producer_failures(p), 0);

	/* a permanent broker error for the next Produce requests */
	rd_kafka_mock_push_request_errors(
		sl_kafka_mock_cluster(k), APIKEY_PRODUCE, 3, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
		RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
	produce_str(p, "sink", 0, "k", "lost", 0);
	ck_assert_int_eq(sl_kafka_producer_flush(p, 5000, NULL, &err), SL_EIO);
	ck_assert_msg(strstr(err.msg, "could not be delivered") != NULL &&
			      strstr(err.msg, "topic \"sink\" partition 0") != NULL &&
			      strstr(err.msg, "too large") != NULL,
		      "%s", err.msg);
	uint64_t failed = sl_kafka_producer_failures(p);
	ck_assert_uint_ge(failed, 1);
	/* reported once to the producer's own cursor... */
	ck_assert_int_eq(sl_kafka_producer_poll(p, NULL, &err), SL_OK);
	/* ...and once to every other cursor */
	ck_assert_int_eq(sl_kafka_producer_poll(p, &mine, &err), SL_EIO);
	ck_assert_uint_eq(mine, failed);
	ck_assert_int_eq(sl_kafka_producer_poll(p, &mine, &err), SL_OK);

	rd_kafka_mock_clear_request_errors(sl_kafka_mock_cluster(k), APIKEY_PRODUCE);
	produce_str(p, "sink", 0, "k", "fine again", 0);
	ck_assert_msg(sl_kafka_producer_flush(p, 5000, &mine, &err) == SL_OK, "%s", err.msg);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

START_TEST(test_unknown_partition)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	sl_error_t err;

	topic(k, "narrow", 1);
	produce_str(p, "narrow", 0, NULL, "v", 0); /* the producer learns the metadata */
	flush_ok(p);
	sl_kafka_record_t rec = { .topic = "narrow", .partition = 7, .value = "v", .value_len = 1 };
	int rc = sl_kafka_producer_produce(p, &rec, &err);
	if (rc == SL_OK) /* metadata not known yet: fails in delivery instead */
		rc = sl_kafka_producer_flush(p, 5000, NULL, &err);
	ck_assert_int_ne(rc, SL_OK);
	ck_assert_msg(strstr(err.msg, "\"narrow\" partition 7") != NULL &&
			      strstr(err.msg, "nknown partition") != NULL,
		      "%s", err.msg);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

/* A broker outage: flush times out, then everything is delivered. */
START_TEST(test_broker_outage)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_BEGINNING);
	rd_kafka_message_t *msgs[8];
	sl_error_t err;

	topic(k, "outage", 1);
	produce_str(p, "outage", 0, NULL, "before", 0);
	flush_ok(p);
	ck_assert_int_eq(rd_kafka_mock_broker_set_down(sl_kafka_mock_cluster(k), 1), 0);
	produce_str(p, "outage", 0, NULL, "during", 0);
	ck_assert_int_eq(sl_kafka_producer_flush(p, 700, NULL, &err), SL_EIO);
	ck_assert_msg(strstr(err.msg, "timed out") != NULL, "%s", err.msg);
	ck_assert_int_eq(rd_kafka_mock_broker_set_up(sl_kafka_mock_cluster(k), 1), 0);
	ck_assert_msg(sl_kafka_producer_flush(p, 8000, NULL, &err) == SL_OK, "%s", err.msg);
	ck_assert_int_eq(sl_kafka_producer_failures(p), 0);
	ck_assert_msg(sl_kafka_ping(k, 5000, &err) == SL_OK, "%s", err.msg);

	assign_all(c, "outage", 1, SL_KAFKA_OFFSET_BEGINNING);
	ck_assert_int_eq(consume(c, msgs, 2, 8000), 2);
	ck_assert(memcmp(msgs[1]->payload, "during", 6) == 0);
	sl_kafka_messages_destroy(msgs, 2);
	sl_kafka_consumer_destroy(c);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

/* Offsets lost to the embedded cluster's 5 MB per partition: reported,
 * then consumption resumes at the earliest offset left. */
START_TEST(test_offset_lost)
{
	sl_kafka_t *k = embedded(1);
	sl_kafka_producer_t *p = producer(k);
	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_BEGINNING);
	static char value[1000];
	rd_kafka_message_t *msgs[64];
	sl_error_t err;
	int64_t lo, hi;

	topic(k, "flood", 1);
	memset(value, 'x', sizeof(value));
	for (int i = 0; i < 7000; i++) {
		sl_kafka_record_t rec = {
			.topic = "flood", .partition = 0, .value = value, .value_len = sizeof(value)
		};
		ck_assert_int_eq(sl_kafka_producer_produce(p, &rec, &err), SL_OK);
	}
	flush_ok(p);
	sl_kafka_tp_t tp = { "flood", 0, 10 };
	ck_assert_int_eq(sl_kafka_consumer_assign(c, &tp, 1, &err), SL_OK);
	ck_assert_int_eq(sl_kafka_consumer_watermarks(c, "flood", 0, 2000, &lo, &hi, &err), SL_OK);
	ck_assert_int_gt(lo, 10);
	ck_assert_int_eq(hi, 7000);

	long long deadline = now_ms() + 5000;
	int rc = SL_OK;
	size_t n = 0;
	while (rc == SL_OK && n == 0 && now_ms() < deadline)
		rc = sl_kafka_consumer_poll(c, msgs, 64, 100, &n, &err);
	ck_assert_int_eq(rc, SL_EIO);
	ck_assert_msg(strstr(err.msg, "offset 10 is no longer available") != NULL &&
			      strstr(err.msg, "records were lost") != NULL,
		      "%s", err.msg);
	sl_kafka_messages_destroy(msgs, n);
	n = consume(c, msgs, 1, 5000);
	ck_assert_int_eq(n, 1);
	ck_assert_int_ge(msgs[0]->offset, lo);
	sl_kafka_messages_destroy(msgs, n);
	sl_kafka_consumer_destroy(c);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);
}
END_TEST

START_TEST(test_unreachable)
{
	sl_kafka_prop_t props[] = { { "bootstrap.servers", "127.0.0.1:9" },
				    { "kafka.reconnect.backoff.max.ms", "100" },
				    { "sluice.kafka.timeout.ms", "500" } };
	sl_kafka_t *k = NULL;
	sl_error_t err;
	bool exists;
	ck_assert_msg(sl_kafka_create(props, 3, &k, &err) == SL_OK, "%s", err.msg);
	ck_assert(!sl_kafka_embedded(k));
	ck_assert_ptr_null(sl_kafka_mock_cluster(k));
	ck_assert_str_eq(sl_kafka_bootstrap(k), "127.0.0.1:9");
	ck_assert_int_eq(sl_kafka_ping(k, 500, &err), SL_EIO);
	ck_assert_msg(strstr(err.msg, "kafka at \"127.0.0.1:9\" does not answer") != NULL, "%s",
		      err.msg);
	ck_assert_int_eq(sl_kafka_topic_exists(k, "any", &exists, &err), SL_EIO);
	sl_kafka_destroy(k);
}
END_TEST

/* ---- sluice-kafka as a separate process ---- */

static pid_t
spawn(const char *path, const char *port_file)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* a failed assertion ends the test process: take sluice-kafka along */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execl(path, path, "--brokers", "2", "--port-file", port_file, "--topic", "ext:2",
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

START_TEST(test_sluice_kafka)
{
	if (sluice_kafka_path == NULL) {
		fprintf(stderr, "check_kafka: sluice-kafka not found ($SLUICE_KAFKA): skipped\n");
		return;
	}
	char dir[] = "/tmp/check_kafka.XXXXXX", port_file[64], addr[256] = "";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(port_file, sizeof(port_file), "%s/port", dir);
	pid_t pid = spawn(sluice_kafka_path, port_file);

	long long deadline = now_ms() + 5000;
	FILE *f = NULL;
	while ((f = fopen(port_file, "r")) == NULL && now_ms() < deadline)
		usleep(20000);
	ck_assert_msg(f != NULL, "sluice-kafka wrote no port file in 5 s");
	ck_assert_ptr_nonnull(fgets(addr, sizeof(addr), f));
	fclose(f);
	addr[strcspn(addr, "\n")] = '\0';
	ck_assert_msg(strncmp(addr, "127.0.0.1:", 10) == 0 && strchr(addr, ',') != NULL, "%s",
		      addr);

	sl_kafka_prop_t props[] = { { "bootstrap.servers", addr },
				    { "sluice.kafka.timeout.ms", "1500" },
				    { "kafka.fetch.wait.max.ms", "10" } };
	sl_kafka_t *k = NULL;
	sl_error_t err;
	int parts = 0;
	ck_assert_msg(sl_kafka_create(props, 3, &k, &err) == SL_OK, "%s", err.msg);
	ck_assert(!sl_kafka_embedded(k));
	ck_assert_msg(sl_kafka_ping(k, 5000, &err) == SL_OK, "%s", err.msg);
	ck_assert_int_eq(sl_kafka_topic_describe(k, "ext", &parts, NULL, &err), SL_OK);
	ck_assert_int_eq(parts, 2);

	sl_kafka_producer_t *p = producer(k);
	sl_kafka_consumer_t *c = consumer(k, SL_KAFKA_OFFSET_BEGINNING);
	rd_kafka_message_t *msgs[8];
	produce_str(p, "ext", 1, "k", "across processes", 1234567);
	flush_ok(p);
	assign_all(c, "ext", 2, SL_KAFKA_OFFSET_BEGINNING);
	ck_assert_int_eq(consume(c, msgs, 1, 5000), 1);
	ck_assert_int_eq(msgs[0]->partition, 1);
	ck_assert_int_eq(rd_kafka_message_timestamp(msgs[0], NULL), 1234567);
	ck_assert(memcmp(msgs[0]->payload, "across processes", msgs[0]->len) == 0);
	sl_kafka_messages_destroy(msgs, 1);
	catch_up(c, 3000);

	/* the mock has no Admin API: a clear error, in bounded time */
	long long t0 = now_ms();
	ck_assert_int_eq(sl_kafka_topic_create(k, "made", 1, 1, &err), SL_EIO);
	ck_assert_int_lt(now_ms() - t0, 8000);
	ck_assert_msg(strstr(err.msg, "--topic made:1") != NULL, "%s", err.msg);

	sl_kafka_consumer_destroy(c);
	sl_kafka_producer_destroy(p);
	sl_kafka_destroy(k);

	int status;
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sluice-kafka status %d",
		      status);
	ck_assert_int_ne(access(port_file, F_OK), 0); /* removed on exit */
	rmdir(dir);
}
END_TEST

/* CHECK_KAFKA_TIMES=1 prints how long each test took. */
static long long test_start;

static void
time_setup(void)
{
	test_start = now_ms();
}

static void
time_teardown(void)
{
	if (getenv("CHECK_KAFKA_TIMES") != NULL)
		fprintf(stderr, "check_kafka: test took %lld ms\n", now_ms() - test_start);
}

static Suite *
kafka_suite(void)
{
	Suite *s = suite_create("kafka");
	TCase *tc;

	tc = tcase_create("client");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, time_setup, time_teardown);
	tcase_add_test(tc, test_embedded_start);
	tcase_add_test(tc, test_props_errors);
	tcase_add_test(tc, test_props_passthrough);
	tcase_add_test(tc, test_unreachable);
	suite_add_tcase(s, tc);

	tc = tcase_create("topics");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, time_setup, time_teardown);
	tcase_add_test(tc, test_topic_admin);
	tcase_add_test(tc, test_topic_recreate_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("records");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, time_setup, time_teardown);
	tcase_add_test(tc, test_produce_consume);
	tcase_add_test(tc, test_assign_errors);
	tcase_add_test(tc, test_barrier);
	tcase_add_test(tc, test_pause_resume);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, time_setup, time_teardown);
	tcase_add_test(tc, test_delivery_failure);
	tcase_add_test(tc, test_unknown_partition);
	tcase_add_test(tc, test_broker_outage);
	tcase_add_test(tc, test_offset_lost);
	suite_add_tcase(s, tc);

	tc = tcase_create("sluice_kafka");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, time_setup, time_teardown);
	tcase_add_test(tc, test_sluice_kafka);
	suite_add_tcase(s, tc);
	return s;
}

static const char *
find_sluice_kafka(int argc, char **argv)
{
	static char path[4096];
	const char *env = getenv("SLUICE_KAFKA");
	if (env != NULL && env[0] != '\0')
		return env;
	if (argc > 1)
		return argv[1];
	const char *top = getenv("abs_top_builddir");
	if (top != NULL) {
		snprintf(path, sizeof(path), "%s/sluice-kafka", top);
		if (access(path, X_OK) == 0)
			return path;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	sluice_kafka_path = find_sluice_kafka(argc, argv);
	if (sluice_kafka_path != NULL && access(sluice_kafka_path, X_OK) != 0) {
		fprintf(stderr, "check_kafka: \"%s\" is not executable\n", sluice_kafka_path);
		return EXIT_FAILURE;
	}
	SRunner *sr = srunner_create(kafka_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
