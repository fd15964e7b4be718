/*
 * consumer.c: the assign-mode consumer of a persistent query.
 *
 * Takes an explicit assignment (topic, partition, start offset from sluice's
 * state) and hands records to src/exec in batches of rd_kafka_message_t.
 * No consumer group is joined and no offset is committed: in single-server
 * mode sluice owns its partitions and keeps offsets in its own state.
 * Partition ends (enable.partition.eof) and the records returned move a
 * per-partition position that other threads may read: the test-mode barrier
 * compares it with the high watermark.  An offset that is no longer
 * available is not reset silently by librdkafka (auto.offset.reset=error):
 * poll reports it and re-assigns the partition at the consumer's reset.
 */
#include "kafka/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct part {
	char *topic;
	int32_t partition;
	int64_t position; /* next offset to return, SL_KAFKA_OFFSET_INVALID if unknown */
	bool paused;
} part_t;

struct sl_kafka_consumer {
	sl_kafka_t *k;
	rd_kafka_t *rk;
	rd_kafka_queue_t *q; /* the consumer queue, for batch reads */
	int64_t reset;       /* SL_KAFKA_OFFSET_BEGINNING or _END */

	pthread_mutex_t mu; /* guards parts and last (positions are read by other threads) */
	part_t *parts;
	size_t nparts;
	size_t last; /* index of the last partition a record came from */

	bool fatal; /* set by error_cb, on the polling thread */
	char fatal_msg[256];
};

/* Client-level errors (broker down, authentication, fatal), served by
 * rd_kafka_consumer_poll() on the polling thread.  librdkafka recovers from
 * all but the fatal ones by itself. */
static void
consumer_error_cb(rd_kafka_t *rk, int code, const char *reason, void *opaque)
{
	sl_kafka_consumer_t *c = opaque;
	char buf[256];
	bool fatal = code == RD_KAFKA_RESP_ERR__FATAL;
	if (fatal) {
		code = rd_kafka_fatal_error(rk, buf, sizeof(buf));
		reason = buf;
		c->fatal = true;
		sl_kafka_errstr(c->fatal_msg, sizeof(c->fatal_msg), reason);
	}
	sl_kafka_note_error(c->k, "kafka consumer", code, reason, fatal);
}

int
sl_kafka_consumer_create(sl_kafka_t *k, const char *group, int64_t reset, sl_kafka_consumer_t **out,
			 sl_error_t *err)
{
	rd_kafka_conf_t *conf;
	int rc;

	if (reset != SL_KAFKA_OFFSET_BEGINNING && reset != SL_KAFKA_OFFSET_END)
		return sl_error_set(err, SL_EINVAL, "invalid consumer reset offset %" PRId64,
				    reset);
	sl_kafka_consumer_t *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	c->k = k;
	c->reset = reset;
	pthread_mutex_init(&c->mu, NULL);
	if ((rc = sl_kafka_conf_build(k, SL_KAFKA_ROLE_CONSUMER, group, &conf, err)) != SL_OK)
		goto fail;
	rd_kafka_conf_set_opaque(conf, c);
	rd_kafka_conf_set_error_cb(conf, consumer_error_cb);
	if ((rc = sl_kafka_handle_new(RD_KAFKA_CONSUMER, conf, "consumer", &c->rk, err)) != SL_OK)
		goto fail;
	rd_kafka_poll_set_consumer(c->rk); /* errors and logs come with the records */
	c->q = rd_kafka_queue_get_consumer(c->rk);
	*out = c;
	return SL_OK;
fail:
	sl_kafka_consumer_destroy(c);
	return rc;
}

static void
parts_free(part_t *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i].topic);
	free(parts);
}

void
sl_kafka_consumer_destroy(sl_kafka_consumer_t *c)
{
	if (c == NULL)
		return;
	if (c->q != NULL)
		rd_kafka_queue_destroy(c->q);
	if (c->rk != NULL) {
		rd_kafka_consumer_close(c->rk);
		rd_kafka_destroy(c->rk);
	}
	parts_free(c->parts, c->nparts);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

/* Where a partition starts when asked for offset. */
static int64_t
start_offset(sl_kafka_consumer_t *c, const char *topic, int32_t partition, int64_t offset)
{
	int64_t base =
		c->k->mock != NULL ? sl_kafka_mock_topic_base(c->k->mock, topic, partition) : 0;
	if (offset == SL_KAFKA_OFFSET_INVALID || (offset >= 0 && offset < base))
		offset = c->reset; /* no offset, or one of a deleted topic's former life */
	if (offset == SL_KAFKA_OFFSET_BEGINNING && base > 0)
		offset = base;
	return offset;
}

/* Checks that every topic and partition of tps exists (assigning a missing
 * one would make the mock cluster create it). */
static int
assign_check(sl_kafka_consumer_t *c, const sl_kafka_tp_t *tps, size_t n, sl_error_t *err)
{
	const struct rd_kafka_metadata *md;
	int rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = sl_kafka_topic_name_check(tps[i].topic, err)) != SL_OK)
			return rc;
		int64_t o = tps[i].offset;
		if (o < 0 && o != SL_KAFKA_OFFSET_BEGINNING && o != SL_KAFKA_OFFSET_END &&
		    o != SL_KAFKA_OFFSET_INVALID)
			return sl_error_set(err, SL_EINVAL,
					    "invalid start offset %" PRId64
					    " for topic \"%s\" partition %" PRId32,
					    o, tps[i].topic, tps[i].partition);
	}
	if (n == 0)
		return SL_OK;
	if ((rc = sl_kafka_metadata(c->k, &md, err)) != SL_OK)
		return rc;
	for (size_t i = 0; i < n && rc == SL_OK; i++) {
		const struct rd_kafka_metadata_topic *t = sl_kafka_metadata_topic(md, tps[i].topic);
		if (t == NULL)
			rc = sl_error_set(err, SL_ENOTFOUND, "topic \"%s\" does not exist",
					  tps[i].topic);
		else if (tps[i].partition < 0 || tps[i].partition >= t->partition_cnt)
			rc = sl_error_set(err, SL_EINVAL,
					  "topic \"%s\" has no partition %" PRId32 " (it has %d)",
					  tps[i].topic, tps[i].partition, t->partition_cnt);
	}
	rd_kafka_metadata_destroy(md);
	return rc;
}

int
sl_kafka_consumer_assign(sl_kafka_consumer_t *c, const sl_kafka_tp_t *tps, size_t n,
			 sl_error_t *err)
{
	char buf[200];
	int rc = assign_check(c, tps, n, err);
	if (rc != SL_OK)
		return rc;
	part_t *parts = calloc(n > 0 ? n : 1, sizeof(*parts));
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)n);
	if (parts == NULL) {
		rc = sl_error_set(err, SL_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t start = start_offset(c, tps[i].topic, tps[i].partition, tps[i].offset);
		rd_kafka_topic_partition_list_add(list, tps[i].topic, tps[i].partition)->offset =
			start;
		parts[i].partition = tps[i].partition;
		parts[i].position = start >= 0 ? start : SL_KAFKA_OFFSET_INVALID;
		if ((parts[i].topic = strdup(tps[i].topic)) == NULL) {
			rc = sl_error_set(err, SL_ENOMEM, "out of memory");
			goto out;
		}
	}
	/* Load each topic's metadata first: without it librdkafka 2.0.2 starts
	 * fetching only after a 0.5 to 1 s back-off. */
	for (size_t i = 0; i < n; i++) {
		bool again = false;
		for (size_t j = 0; j < i && !again; j++)
			again = strcmp(tps[j].topic, tps[i].topic) == 0;
		rd_kafka_topic_t *rkt =
			again ? NULL : rd_kafka_topic_new(c->rk, tps[i].topic, NULL);
		if (rkt == NULL)
			continue;
		const struct rd_kafka_metadata *md;
		if (rd_kafka_metadata(c->rk, 0, rkt, &md, c->k->timeout_ms) ==
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			rd_kafka_metadata_destroy(md);
		rd_kafka_topic_destroy(rkt);
	}
	rd_kafka_resp_err_t code = rd_kafka_assign(c->rk, list);
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rc = sl_error_set(err, SL_EIO, "cannot assign partitions to the kafka consumer: %s",
				  sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(code)));
		goto out;
	}
	pthread_mutex_lock(&c->mu);
	part_t *old = c->parts;
	size_t nold = c->nparts;
	c->parts = parts;
	c->nparts = n;
	c->last = 0;
	pthread_mutex_unlock(&c->mu);
	parts = old;
	n = nold;
out:
	if (parts != NULL)
		parts_free(parts, n);
	rd_kafka_topic_partition_list_destroy(list);
	return rc;
}

/* Caller holds c->mu. */
static part_t *
part_find(sl_kafka_consumer_t *c, const char *topic, int32_t partition)
{
	if (c->last < c->nparts && c->parts[c->last].partition == partition &&
	    strcmp(c->parts[c->last].topic, topic) == 0)
		return &c->parts[c->last];
	for (size_t i = 0; i < c->nparts; i++)
		if (c->parts[i].partition == partition && strcmp(c->parts[i].topic, topic) == 0) {
			c->last = i;
			return &c->parts[i];
		}
	return NULL;
}

/* Re-assigns a partition whose offset is gone at the consumer's reset.
 * Caller holds c->mu. */
static void
part_reset(sl_kafka_consumer_t *c, part_t *pt)
{
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(list, pt->topic, pt->partition)->offset =
		start_offset(c, pt->topic, pt->partition, SL_KAFKA_OFFSET_INVALID);
	rd_kafka_error_t *error = rd_kafka_incremental_unassign(c->rk, list);
	if (error == NULL)
		error = rd_kafka_incremental_assign(c->rk, list);
	if (error == NULL && pt->paused)
		rd_kafka_pause_partitions(c->rk, list); /* a new assignment runs */
	if (error != NULL) {
		sl_kafka_note_error(c->k, "kafka consumer", rd_kafka_error_code(error),
				    rd_kafka_error_string(error), false);
		rd_kafka_error_destroy(error);
	}
	rd_kafka_topic_partition_list_destroy(list);
	pt->position = SL_KAFKA_OFFSET_INVALID;
}

/* Handles a message that is not a record (partition end or error); returns
 * the status it gives the poll.  Caller holds c->mu. */
static int
event_handle(sl_kafka_consumer_t *c, const rd_kafka_message_t *m, bool first, sl_error_t *err)
{
	const char *topic = m->rkt != NULL ? rd_kafka_topic_name(m->rkt) : NULL;
	part_t *pt = topic != NULL ? part_find(c, topic, m->partition) : NULL;
	char buf[256];

	if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
		if (pt != NULL)
			pt->position = m->offset;
		return SL_OK;
	}
	int rc = m->err == RD_KAFKA_RESP_ERR__FATAL ? SL_ERR : SL_EIO;
	if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET && pt != NULL) {
		if (first)
			sl_error_set(err, rc,
				     "topic \"%s\" partition %" PRId32 ": offset %" PRId64 " is no "
				     "longer available (removed by retention, or beyond the "
				     "embedded cluster's 5 MB per partition): records were lost; "
				     "resuming at the %s offset",
				     topic, m->partition, m->offset,
				     c->reset == SL_KAFKA_OFFSET_BEGINNING ? "earliest" : "latest");
		part_reset(c, pt);
	} else if (first) {
		sl_kafka_errstr(buf, sizeof(buf), rd_kafka_message_errstr(m));
		if (topic != NULL)
			sl_error_set(err, rc,
				     "kafka consumer: topic \"%s\" partition %" PRId32 ": %s",
				     topic, m->partition, buf);
		else
			sl_error_set(err, rc, "kafka consumer: %s", buf);
	}
	return rc;
}

int
sl_kafka_consumer_poll(sl_kafka_consumer_t *c, rd_kafka_message_t **msgs, size_t max,
		       int timeout_ms, size_t *n, sl_error_t *err)
{
	size_t got = 0, keep = 0;
	int rc = SL_OK;

	*n = 0;
	if (max == 0)
		return sl_error_set(err, SL_EINVAL, "kafka consumer poll with room for no records");
	/* wait for one, then take what is ready: low latency and whole batches */
	rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, timeout_ms);
	if (m != NULL) {
		msgs[got++] = m;
		if (max > 1) {
			ssize_t more = rd_kafka_consume_batch_queue(c->q, 0, msgs + 1, max - 1);
			if (more > 0)
				got += (size_t)more;
		}
	}
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < got; i++) {
		m = msgs[i];
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			part_t *pt = part_find(c, rd_kafka_topic_name(m->rkt), m->partition);
			if (pt != NULL)
				pt->position = m->offset + 1;
			msgs[keep++] = m;
			continue;
		}
		int erc = event_handle(c, m, rc == SL_OK, err);
		if (erc != SL_OK && rc != SL_ERR)
			rc = erc;
		rd_kafka_message_destroy(m);
	}
	pthread_mutex_unlock(&c->mu);
	if (c->fatal)
		rc = sl_error_set(err, SL_ERR, "the kafka consumer failed for good: %s",
				  c->fatal_msg);
	*n = keep;
	return rc;
}

void
sl_kafka_messages_destroy(rd_kafka_message_t **msgs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sl_kafka_message_free(msgs[i]);
}

int64_t
sl_kafka_consumer_position(sl_kafka_consumer_t *c, const char *topic, int32_t partition)
{
	pthread_mutex_lock(&c->mu);
	part_t *pt = part_find(c, topic, partition);
	int64_t pos = pt != NULL ? pt->position : SL_KAFKA_OFFSET_INVALID;
	pthread_mutex_unlock(&c->mu);
	return pos;
}

int
sl_kafka_consumer_watermarks(sl_kafka_consumer_t *c, const char *topic, int32_t partition,
			     int timeout_ms, int64_t *low, int64_t *high, sl_error_t *err)
{
	char buf[200];
	int64_t lo, hi;
	rd_kafka_resp_err_t code =
		rd_kafka_query_watermark_offsets(c->rk, topic, partition, &lo, &hi, timeout_ms);
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR)
		return sl_error_set(err, SL_EIO,
				    "cannot read the watermarks of topic \"%s\" partition %" PRId32
				    ": %s",
				    topic, partition,
				    sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(code)));
	if (c->k->mock != NULL) {
		int64_t base = sl_kafka_mock_topic_base(c->k->mock, topic, partition);
		if (lo < base)
			lo = base; /* a re-created topic starts where its former life ended */
	}
	if (low != NULL)
		*low = lo;
	if (high != NULL)
		*high = hi;
	return SL_OK;
}

int64_t
sl_kafka_consumer_cached_end(sl_kafka_consumer_t *c, const char *topic, int32_t partition)
{
	int64_t lo = -1, hi = -1;
	if (rd_kafka_get_watermark_offsets(c->rk, topic, partition, &lo, &hi) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR)
		return -1;
	return hi;
}

int
sl_kafka_consumer_caught_up(sl_kafka_consumer_t *c, int timeout_ms, bool *done, sl_error_t *err)
{
	int rc = SL_OK;
	size_t n;

	/* a snapshot, so that no lock is held while asking the brokers */
	pthread_mutex_lock(&c->mu);
	n = c->nparts;
	part_t *snap = calloc(n > 0 ? n : 1, sizeof(*snap));
	for (size_t i = 0; snap != NULL && i < n; i++) {
		snap[i] = c->parts[i];
		snap[i].topic = strdup(c->parts[i].topic);
		if (snap[i].topic == NULL) {
			parts_free(snap, i);
			snap = NULL;
		}
	}
	pthread_mutex_unlock(&c->mu);
	if (snap == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");

	*done = true;
	for (size_t i = 0; i < n && *done; i++) {
		int64_t lo, hi;
		rc = sl_kafka_consumer_watermarks(c, snap[i].topic, snap[i].partition, timeout_ms,
						  &lo, &hi, err);
		if (rc != SL_OK)
			break;
		/* an unknown position (nothing returned, the end not reached yet)
		 * is caught up only with an empty partition */
		int64_t pos = snap[i].position != SL_KAFKA_OFFSET_INVALID ? snap[i].position : lo;
		if (pos < hi)
			*done = false;
	}
	parts_free(snap, n);
	if (rc != SL_OK)
		*done = false;
	return rc;
}

static int
pause_resume(sl_kafka_consumer_t *c, const char *topic, int32_t partition, bool pause,
	     sl_error_t *err)
{
	char buf[200];
	int rc = SL_OK;
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
	bool matched = false;
	/* only what changes state: librdkafka 2.0.2 restarts the fetch of a
	 * partition that is resumed without having been paused, at an old
	 * offset, which would repeat records */
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->nparts; i++) {
		const part_t *pt = &c->parts[i];
		if ((topic == NULL || strcmp(pt->topic, topic) == 0) &&
		    (partition < 0 || pt->partition == partition)) {
			matched = true;
			if (pt->paused != pause)
				rd_kafka_topic_partition_list_add(list, pt->topic, pt->partition);
		}
	}
	pthread_mutex_unlock(&c->mu);
	if (!matched && topic != NULL) {
		if (partition < 0)
			rc = sl_error_set(err, SL_ENOTFOUND,
					  "topic \"%s\" is not assigned to the "
					  "kafka consumer",
					  topic);
		else
			rc = sl_error_set(err, SL_ENOTFOUND,
					  "topic \"%s\" partition %" PRId32 " is "
					  "not assigned to the kafka consumer",
					  topic, partition);
		goto out;
	}
	if (list->cnt == 0)
		goto out;
	rd_kafka_resp_err_t code = pause ? rd_kafka_pause_partitions(c->rk, list) :
					   rd_kafka_resume_partitions(c->rk, list);
	pthread_mutex_lock(&c->mu);
	for (int i = 0; i < list->cnt; i++) {
		part_t *pt = part_find(c, list->elems[i].topic, list->elems[i].partition);
		if (list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR && pt != NULL)
			pt->paused = pause;
		else if (code == RD_KAFKA_RESP_ERR_NO_ERROR)
			code = list->elems[i].err;
	}
	pthread_mutex_unlock(&c->mu);
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR)
		rc = sl_error_set(err, SL_EIO, "cannot %s the kafka consumer: %s",
				  pause ? "pause" : "resume",
				  sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(code)));
out:
	rd_kafka_topic_partition_list_destroy(list);
	return rc;
}

int
sl_kafka_consumer_pause(sl_kafka_consumer_t *c, const char *topic, int32_t partition,
			sl_error_t *err)
{
	return pause_resume(c, topic, partition, true, err);
}

int
sl_kafka_consumer_resume(sl_kafka_consumer_t *c, const char *topic, int32_t partition,
			 sl_error_t *err)
{
	return pause_resume(c, topic, partition, false, err);
}
