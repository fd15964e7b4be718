/*
 * producer.c: the shared producer: sink records and test input to Kafka.
 *
 * One librdkafka producer (thread-safe) per server: idempotent, batching
 * (linger.ms 5), the murmur2_random partitioner.  Delivery reports and error
 * events are served by librdkafka's background thread (the main queue is
 * forwarded to it), so no caller has to poll and rd_kafka_flush() only
 * waits.  Each failed delivery is counted and its reason kept in a small
 * ring; callers learn of failures through a cursor (kafka.h).  The first
 * record for a topic loads the topic's metadata at once: librdkafka 2.0.2
 * would otherwise wait for its 1 s metadata scan before sending anything.
 */
#include "kafka/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL_RING 8 /* reasons kept: the first unreported one, mostly */
#define FAIL_MSG 256

#define WARM_TIMEOUT_MS 1000 /* a latency aid only: never wait long for it */

struct sl_kafka_producer {
	sl_kafka_t *k;
	rd_kafka_t *rk;
	rd_kafka_queue_t *bg;

	pthread_rwlock_t topics_lock; /* guards the set of topics produced to */
	char **topics;                /* open addressing; NULL: free slot */
	size_t topics_cap, ntopics;   /* capacity is a power of two */

	pthread_mutex_t mu; /* guards what follows; written by the background thread */
	uint64_t delivered;
	uint64_t failures;
	uint64_t seen;                  /* the cursor of callers that pass none */
	char ring[FAIL_RING][FAIL_MSG]; /* reason of failure i in ring[i % FAIL_RING] */
	bool fatal;
	char fatal_msg[FAIL_MSG];
};

static void
partition_str(char *buf, size_t size, int32_t partition)
{
	if (partition == RD_KAFKA_PARTITION_UA)
		snprintf(buf, size, "(by key)");
	else
		snprintf(buf, size, "%" PRId32, partition);
}

/* Delivery reports and errors, on librdkafka's background thread. */
static void
producer_event_cb(rd_kafka_t *rk, rd_kafka_event_t *ev, void *opaque)
{
	sl_kafka_producer_t *p = opaque;
	char buf[200], part[16];

	switch (rd_kafka_event_type(ev)) {
	case RD_KAFKA_EVENT_DR: {
		const rd_kafka_message_t *m;
		pthread_mutex_lock(&p->mu);
		while ((m = rd_kafka_event_message_next(ev)) != NULL) {
			if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
				p->delivered++;
				continue;
			}
			/* rd_kafka_message_errstr() would show the payload here */
			partition_str(part, sizeof(part), m->partition);
			snprintf(p->ring[p->failures % FAIL_RING], FAIL_MSG,
				 "topic \"%s\" partition %s: %s", rd_kafka_topic_name(m->rkt), part,
				 sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(m->err)));
			p->failures++;
		}
		pthread_mutex_unlock(&p->mu);
		break;
	}
	case RD_KAFKA_EVENT_ERROR: {
		bool fatal = rd_kafka_event_error_is_fatal(ev);
		rd_kafka_resp_err_t code = rd_kafka_event_error(ev);
		char reason[FAIL_MSG];
		snprintf(reason, sizeof(reason), "%s", rd_kafka_event_error_string(ev));
		if (fatal) {
			/* the event only says "fatal": ask for the underlying error */
			code = rd_kafka_fatal_error(rk, reason, sizeof(reason));
			pthread_mutex_lock(&p->mu);
			p->fatal = true;
			sl_kafka_errstr(p->fatal_msg, sizeof(p->fatal_msg), reason);
			pthread_mutex_unlock(&p->mu);
		}
		sl_kafka_note_error(p->k, "kafka producer", code, reason, fatal);
		break;
	}
	default:
		break;
	}
	rd_kafka_event_destroy(ev);
}

static size_t
topic_hash(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Caller holds topics_lock. */
static bool
topic_seen(const sl_kafka_producer_t *p, const char *topic)
{
	if (p->topics_cap == 0)
		return false;
	for (size_t i = topic_hash(topic) & (p->topics_cap - 1);;
	     i = (i + 1) & (p->topics_cap - 1)) {
		if (p->topics[i] == NULL)
			return false;
		if (strcmp(p->topics[i], topic) == 0)
			return true;
	}
}

/* Caller holds topics_lock for writing; false when out of memory. */
static bool
topic_add(sl_kafka_producer_t *p, const char *topic)
{
	if (topic_seen(p, topic))
		return true;
	if ((p->ntopics + 1) * 2 > p->topics_cap) {
		size_t cap = p->topics_cap > 0 ? p->topics_cap * 2 : 16;
		char **slots = calloc(cap, sizeof(*slots));
		if (slots == NULL)
			return false;
		for (size_t j = 0; j < p->topics_cap; j++) {
			if (p->topics[j] == NULL)
				continue;
			size_t i = topic_hash(p->topics[j]) & (cap - 1);
			while (slots[i] != NULL)
				i = (i + 1) & (cap - 1);
			slots[i] = p->topics[j];
		}
		free(p->topics);
		p->topics = slots;
		p->topics_cap = cap;
	}
	char *copy = strdup(topic);
	if (copy == NULL)
		return false;
	size_t i = topic_hash(topic) & (p->topics_cap - 1);
	while (p->topics[i] != NULL)
		i = (i + 1) & (p->topics_cap - 1);
	p->topics[i] = copy;
	p->ntopics++;
	return true;
}

/* Loads the metadata of a topic the producer has not sent to yet. */
static void
topic_warm(sl_kafka_producer_t *p, const char *topic)
{
	pthread_rwlock_rdlock(&p->topics_lock);
	bool seen = topic_seen(p, topic);
	pthread_rwlock_unlock(&p->topics_lock);
	if (seen)
		return;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(p->rk, topic, NULL);
	if (rkt != NULL) {
		const struct rd_kafka_metadata *md;
		if (rd_kafka_metadata(p->rk, 0, rkt, &md, WARM_TIMEOUT_MS) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			rd_kafka_metadata_destroy(md);
		rd_kafka_topic_destroy(rkt);
	}
	pthread_rwlock_wrlock(&p->topics_lock);
	(void)topic_add(p, topic); /* out of memory: warmed again next time */
	pthread_rwlock_unlock(&p->topics_lock);
}

int
sl_kafka_producer_create(sl_kafka_t *k, sl_kafka_producer_t **out, sl_error_t *err)
{
	rd_kafka_conf_t *conf;
	int rc;

	sl_kafka_producer_t *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	p->k = k;
	pthread_mutex_init(&p->mu, NULL);
	pthread_rwlock_init(&p->topics_lock, NULL);
	if ((rc = sl_kafka_conf_build(k, SL_KAFKA_ROLE_PRODUCER, NULL, &conf, err)) != SL_OK)
		goto fail;
	rd_kafka_conf_set_opaque(conf, p);
	rd_kafka_conf_set_events(conf, RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR);
	rd_kafka_conf_set_background_event_cb(conf, producer_event_cb);
	if ((rc = sl_kafka_handle_new(RD_KAFKA_PRODUCER, conf, "producer", &p->rk, err)) != SL_OK)
		goto fail;
	rd_kafka_queue_t *mainq = rd_kafka_queue_get_main(p->rk);
	p->bg = rd_kafka_queue_get_background(p->rk);
	rd_kafka_queue_forward(mainq, p->bg);
	rd_kafka_queue_destroy(mainq);
	*out = p;
	return SL_OK;
fail:
	sl_kafka_producer_destroy(p);
	return rc;
}

void
sl_kafka_producer_destroy(sl_kafka_producer_t *p)
{
	if (p == NULL)
		return;
	if (p->rk != NULL) {
		if (rd_kafka_flush(p->rk, 1000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
			rd_kafka_purge(p->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
			rd_kafka_flush(p->rk, 1000); /* the purged records' reports */
		}
		rd_kafka_queue_destroy(p->bg);
		rd_kafka_destroy(p->rk);
	}
	for (size_t i = 0; i < p->topics_cap; i++)
		free(p->topics[i]);
	free(p->topics);
	pthread_rwlock_destroy(&p->topics_lock);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int
sl_kafka_producer_produce(sl_kafka_producer_t *p, const sl_kafka_record_t *rec, sl_error_t *err)
{
	rd_kafka_headers_t *hdrs = NULL;
	rd_kafka_vu_t vu[8];
	size_t n = 0;
	char buf[200], part[16];

	topic_warm(p, rec->topic);
	if (rec->nheaders > 0) {
		hdrs = rd_kafka_headers_new(rec->nheaders);
		for (size_t i = 0; i < rec->nheaders; i++) {
			const sl_kafka_header_t *h = &rec->headers[i];
			rd_kafka_header_add(hdrs, h->name, -1, h->value,
					    h->value != NULL ? (ssize_t)h->len : 0);
		}
	}
	vu[n].vtype = RD_KAFKA_VTYPE_TOPIC;
	vu[n++].u.cstr = rec->topic;
	vu[n].vtype = RD_KAFKA_VTYPE_PARTITION;
	vu[n++].u.i32 = rec->partition;
	vu[n].vtype = RD_KAFKA_VTYPE_KEY;
	vu[n].u.mem.ptr = (void *)rec->key;
	vu[n++].u.mem.size = rec->key != NULL ? rec->key_len : 0;
	vu[n].vtype = RD_KAFKA_VTYPE_VALUE;
	vu[n].u.mem.ptr = (void *)rec->value;
	vu[n++].u.mem.size = rec->value != NULL ? rec->value_len : 0;
	vu[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
	/* librdkafka sends 0 as "now"; where exact times matter (test mode) a
	 * 0 travels as -1 and sl_kafka_message_timestamp() reads it back */
	vu[n++].u.i64 = rec->timestamp > 0 ? rec->timestamp :
			(rec->timestamp == 0 && p->k->zero_timestamps) ? -1 : 0;
	/* COPY: the caller's buffers are batch-arena memory; BLOCK: back-pressure
	 * (safe because the background thread serves the delivery reports) */
	vu[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
	vu[n++].u.i = RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK;
	if (hdrs != NULL) {
		vu[n].vtype = RD_KAFKA_VTYPE_HEADERS;
		vu[n++].u.headers = hdrs;
	}
	rd_kafka_error_t *error = rd_kafka_produceva(p->rk, vu, n);
	if (error == NULL)
		return SL_OK; /* librdkafka owns hdrs now */

	rd_kafka_resp_err_t code = rd_kafka_error_code(error);
	int rc;
	switch (code) {
	case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
	case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
	case RD_KAFKA_RESP_ERR__INVALID_ARG:
		rc = SL_EINVAL;
		break;
	case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
		rc = SL_ENOTFOUND;
		break;
	case RD_KAFKA_RESP_ERR__FATAL:
		rc = SL_ERR;
		break;
	default:
		rc = SL_EIO;
		break;
	}
	partition_str(part, sizeof(part), rec->partition);
	sl_error_set(err, rc, "cannot produce to topic \"%s\" partition %s: %s", rec->topic, part,
		     sl_kafka_errstr(buf, sizeof(buf), rd_kafka_error_string(error)));
	rd_kafka_error_destroy(error);
	if (hdrs != NULL)
		rd_kafka_headers_destroy(hdrs);
	return rc;
}

/* Reports the failures after *cursor and moves it.  Caller holds p->mu. */
static int
report(sl_kafka_producer_t *p, uint64_t *cursor, sl_error_t *err)
{
	if (p->fatal)
		return sl_error_set(err, SL_ERR,
				    "the kafka producer failed for good and must be "
				    "re-created: %s",
				    p->fatal_msg);
	uint64_t total = p->failures, from = *cursor;
	if (from >= total) {
		*cursor = total;
		return SL_OK;
	}
	uint64_t count = total - from;
	if (count > FAIL_RING)
		from = total - FAIL_RING; /* older reasons were overwritten */
	*cursor = total;
	if (count == 1)
		return sl_error_set(err, SL_EIO, "a record could not be delivered: %s",
				    p->ring[from % FAIL_RING]);
	return sl_error_set(err, SL_EIO, "%" PRIu64 " records could not be delivered; %s: %s",
			    count, count > FAIL_RING ? "one of them" : "the first",
			    p->ring[from % FAIL_RING]);
}

int
sl_kafka_producer_poll(sl_kafka_producer_t *p, uint64_t *seen, sl_error_t *err)
{
	pthread_mutex_lock(&p->mu);
	int rc = report(p, seen != NULL ? seen : &p->seen, err);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
sl_kafka_producer_flush(sl_kafka_producer_t *p, int timeout_ms, uint64_t *seen, sl_error_t *err)
{
	/* in event mode this only waits until every record has been reported */
	rd_kafka_resp_err_t code = rd_kafka_flush(p->rk, timeout_ms);
	int rc = sl_kafka_producer_poll(p, seen, err);
	if (rc == SL_OK && code != RD_KAFKA_RESP_ERR_NO_ERROR)
		rc = sl_error_set(err, SL_EIO,
				  "kafka producer flush timed out after %d ms with %d "
				  "records and requests in flight",
				  timeout_ms, rd_kafka_outq_len(p->rk));
	return rc;
}

uint64_t
sl_kafka_producer_failures(sl_kafka_producer_t *p)
{
	pthread_mutex_lock(&p->mu);
	uint64_t n = p->failures;
	pthread_mutex_unlock(&p->mu);
	return n;
}
