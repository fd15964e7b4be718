/*
 * admin.c: topic administration: create, delete, describe, list.
 *
 * Reads go through all-topics metadata on k's admin handle and never name a
 * topic (the mock cluster creates any topic a metadata request names).
 * Against a real cluster, creation and deletion use the Admin API and then
 * wait until the metadata agrees; against the embedded cluster they go to
 * mock.c.  Every call is bounded by k->timeout_ms; thread-safe.
 */
#include "kafka/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOPIC_NAME_MAX 249

int
sl_kafka_topic_name_check(const char *name, sl_error_t *err)
{
	if (name == NULL || name[0] == '\0')
		return sl_error_set(err, SL_EINVAL, "the topic name is empty");
	size_t len = strlen(name);
	if (len > TOPIC_NAME_MAX)
		return sl_error_set(err, SL_EINVAL,
				    "topic name \"%.40s...\" is longer than %d "
				    "characters",
				    name, TOPIC_NAME_MAX);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return sl_error_set(err, SL_EINVAL, "invalid topic name \"%s\"", name);
	for (const char *p = name; *p != '\0'; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return sl_error_set(
				err, SL_EINVAL,
				"invalid topic name \"%s\": only letters, digits, \".\", "
				"\"_\" and \"-\" are allowed",
				name);
	}
	return SL_OK;
}

int
sl_kafka_metadata(sl_kafka_t *k, const struct rd_kafka_metadata **md, sl_error_t *err)
{
	char buf[200];
	rd_kafka_resp_err_t code = rd_kafka_metadata(k->admin, 1, NULL, md, k->timeout_ms);
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR)
		return sl_error_set(
			err, SL_EIO, "cannot read topic metadata from kafka at \"%s\": %s",
			k->bootstrap, sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(code)));
	return SL_OK;
}

const struct rd_kafka_metadata_topic *
sl_kafka_metadata_topic(const struct rd_kafka_metadata *md, const char *name)
{
	for (int i = 0; i < md->topic_cnt; i++) {
		const struct rd_kafka_metadata_topic *t = &md->topics[i];
		if (strcmp(t->topic, name) == 0)
			return t->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ? NULL : t;
	}
	return NULL;
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Polls metadata until topic name is there (ready with partitions) or gone,
 * as wanted; a freshly created or deleted topic takes a moment to show. */
static int
metadata_wait(sl_kafka_t *k, const char *name, bool present, sl_error_t *err)
{
	long long deadline = now_ms() + k->timeout_ms;
	for (;;) {
		const struct rd_kafka_metadata *md;
		int rc = sl_kafka_metadata(k, &md, err);
		if (rc != SL_OK)
			return rc;
		const struct rd_kafka_metadata_topic *t = sl_kafka_metadata_topic(md, name);
		bool there =
			t != NULL && t->err == RD_KAFKA_RESP_ERR_NO_ERROR && t->partition_cnt > 0;
		rd_kafka_metadata_destroy(md);
		if (there == present)
			return SL_OK;
		if (now_ms() >= deadline)
			return sl_error_set(err, SL_EIO,
					    "topic \"%s\" was %s but the cluster's "
					    "metadata does not show it after %d ms",
					    name, present ? "created" : "deleted", k->timeout_ms);
		struct timespec pause = { 0, 50 * 1000000 };
		nanosleep(&pause, NULL);
	}
}

/* Runs one Admin API request whose result lands on q; returns the event
 * (the caller destroys it) or NULL when none came in time. */
static rd_kafka_event_t *
admin_wait(sl_kafka_t *k, rd_kafka_queue_t *q)
{
	/* the request itself is bounded by the options; this is a backstop */
	return rd_kafka_queue_poll(q, k->timeout_ms + 5000);
}

static rd_kafka_AdminOptions_t *
admin_options(sl_kafka_t *k, rd_kafka_admin_op_t op)
{
	char errstr[256];
	rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(k->admin, op);
	rd_kafka_AdminOptions_set_request_timeout(o, k->timeout_ms, errstr, sizeof(errstr));
	rd_kafka_AdminOptions_set_operation_timeout(o, k->timeout_ms, errstr, sizeof(errstr));
	return o;
}

static int
create_external(sl_kafka_t *k, const char *name, int partitions, int replicas, sl_error_t *err)
{
	char errstr[256], buf[300];
	int rc = SL_OK;
	rd_kafka_NewTopic_t *nt =
		rd_kafka_NewTopic_new(name, partitions, replicas, errstr, sizeof(errstr));
	if (nt == NULL)
		return sl_error_set(err, SL_EINVAL, "cannot create topic \"%s\": %s", name,
				    sl_kafka_errstr(buf, sizeof(buf), errstr));
	rd_kafka_queue_t *q = rd_kafka_queue_new(k->admin);
	rd_kafka_AdminOptions_t *o = admin_options(k, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_CreateTopics(k->admin, &nt, 1, o, q);
	rd_kafka_event_t *ev = admin_wait(k, q);
	rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR__TIMED_OUT;
	const char *reason = NULL;
	size_t n = 0;
	if (ev != NULL && (code = rd_kafka_event_error(ev)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		reason = rd_kafka_event_error_string(ev);
	} else if (ev != NULL) {
		const rd_kafka_topic_result_t **res = rd_kafka_CreateTopics_result_topics(
			rd_kafka_event_CreateTopics_result(ev), &n);
		code = n == 1 ? rd_kafka_topic_result_error(res[0]) : RD_KAFKA_RESP_ERR__FAIL;
		reason = n == 1 ? rd_kafka_topic_result_error_string(res[0]) : NULL;
	}
	if (reason == NULL)
		reason = rd_kafka_err2str(code);
	switch (code) {
	case RD_KAFKA_RESP_ERR_NO_ERROR:
		break;
	case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
		rc = sl_error_set(err, SL_EEXISTS, "topic \"%s\" already exists", name);
		break;
	case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
	case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
	case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
	case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
		rc = sl_error_set(err, SL_EINVAL, "cannot create topic \"%s\": %s", name,
				  sl_kafka_errstr(buf, sizeof(buf), reason));
		break;
	case RD_KAFKA_RESP_ERR__TIMED_OUT:
		/* the mock cluster (sluice-kafka) has no controller and never answers */
		rc = sl_error_set(err, SL_EIO,
				  "cannot create topic \"%s\": %s (sluice-kafka and other mock "
				  "clusters cannot create topics through the Admin API: start "
				  "sluice-kafka with --topic %s:%d)",
				  name, sl_kafka_errstr(buf, sizeof(buf), reason), name,
				  partitions > 0 ? partitions : 1);
		break;
	default:
		rc = sl_error_set(err, SL_EIO, "cannot create topic \"%s\": %s", name,
				  sl_kafka_errstr(buf, sizeof(buf), reason));
		break;
	}
	if (ev != NULL)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	rd_kafka_NewTopic_destroy(nt);
	if (rc == SL_OK)
		rc = metadata_wait(k, name, true, err);
	return rc;
}

int
sl_kafka_topic_create(sl_kafka_t *k, const char *name, int partitions, int replicas,
		      sl_error_t *err)
{
	int rc = sl_kafka_topic_name_check(name, err);
	if (rc != SL_OK)
		return rc;
	if (partitions == 0 || partitions < -1 || partitions > 100000)
		return sl_error_set(err, SL_EINVAL, "cannot create topic \"%s\" with %d partitions",
				    name, partitions);
	if (replicas == 0 || replicas < -1 || replicas > 32767)
		return sl_error_set(err, SL_EINVAL, "cannot create topic \"%s\" with %d replicas",
				    name, replicas);
	if (k->mock != NULL)
		return sl_kafka_mock_topic_create(k->mock, name, partitions, replicas, err);
	return create_external(k, name, partitions, replicas, err);
}

static int
delete_embedded(sl_kafka_t *k, const char *name, sl_error_t *err)
{
	const struct rd_kafka_metadata *md;
	char buf[200];
	int rc = sl_kafka_metadata(k, &md, err);
	if (rc != SL_OK)
		return rc;
	const struct rd_kafka_metadata_topic *t = sl_kafka_metadata_topic(md, name);
	bool found = t != NULL;
	int npart = found ? t->partition_cnt : 0;
	rd_kafka_metadata_destroy(md);
	if (!found)
		return sl_error_set(err, SL_ENOTFOUND, "topic \"%s\" does not exist", name);
	int64_t *high = calloc(npart > 0 ? (size_t)npart : 1, sizeof(*high));
	if (high == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	for (int p = 0; p < npart && rc == SL_OK; p++) {
		int64_t low;
		rd_kafka_resp_err_t code = rd_kafka_query_watermark_offsets(
			k->admin, name, p, &low, &high[p], k->timeout_ms);
		if (code != RD_KAFKA_RESP_ERR_NO_ERROR)
			rc = sl_error_set(
				err, SL_EIO, "cannot delete topic \"%s\": %s", name,
				sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(code)));
	}
	if (rc == SL_OK)
		rc = sl_kafka_mock_topic_delete(k->mock, name, npart, high, err);
	free(high);
	return rc;
}

static int
delete_external(sl_kafka_t *k, const char *name, sl_error_t *err)
{
	char buf[300];
	int rc = SL_OK;
	rd_kafka_DeleteTopic_t *dt = rd_kafka_DeleteTopic_new(name);
	rd_kafka_queue_t *q = rd_kafka_queue_new(k->admin);
	rd_kafka_AdminOptions_t *o = admin_options(k, RD_KAFKA_ADMIN_OP_DELETETOPICS);
	rd_kafka_DeleteTopics(k->admin, &dt, 1, o, q);
	rd_kafka_event_t *ev = admin_wait(k, q);
	rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR__TIMED_OUT;
	const char *reason = NULL;
	size_t n = 0;
	if (ev != NULL && (code = rd_kafka_event_error(ev)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		reason = rd_kafka_event_error_string(ev);
	} else if (ev != NULL) {
		const rd_kafka_topic_result_t **res = rd_kafka_DeleteTopics_result_topics(
			rd_kafka_event_DeleteTopics_result(ev), &n);
		code = n == 1 ? rd_kafka_topic_result_error(res[0]) : RD_KAFKA_RESP_ERR__FAIL;
		reason = n == 1 ? rd_kafka_topic_result_error_string(res[0]) : NULL;
	}
	if (reason == NULL)
		reason = rd_kafka_err2str(code);
	if (code == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
		rc = sl_error_set(err, SL_ENOTFOUND, "topic \"%s\" does not exist", name);
	else if (code == RD_KAFKA_RESP_ERR_TOPIC_DELETION_DISABLED)
		rc = sl_error_set(err, SL_EIO,
				  "cannot delete topic \"%s\": the brokers have topic "
				  "deletion disabled (delete.topic.enable=false)",
				  name);
	else if (code != RD_KAFKA_RESP_ERR_NO_ERROR)
		rc = sl_error_set(err, SL_EIO, "cannot delete topic \"%s\": %s", name,
				  sl_kafka_errstr(buf, sizeof(buf), reason));
	if (ev != NULL)
		rd_kafka_event_destroy(ev);
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	rd_kafka_DeleteTopic_destroy(dt);
	if (rc == SL_OK)
		rc = metadata_wait(k, name, false, err);
	return rc;
}

int
sl_kafka_topic_delete(sl_kafka_t *k, const char *name, sl_error_t *err)
{
	int rc = sl_kafka_topic_name_check(name, err);
	if (rc != SL_OK)
		return rc;
	return k->mock != NULL ? delete_embedded(k, name, err) : delete_external(k, name, err);
}

int
sl_kafka_topic_describe(sl_kafka_t *k, const char *name, int *partitions, int *replicas,
			sl_error_t *err)
{
	const struct rd_kafka_metadata *md;
	char buf[200];
	int rc = sl_kafka_topic_name_check(name, err);
	if (rc != SL_OK || (rc = sl_kafka_metadata(k, &md, err)) != SL_OK)
		return rc;
	const struct rd_kafka_metadata_topic *t = sl_kafka_metadata_topic(md, name);
	if (t == NULL) {
		rc = sl_error_set(err, SL_ENOTFOUND, "topic \"%s\" does not exist", name);
	} else if (t->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		rc = sl_error_set(err, SL_EIO, "cannot describe topic \"%s\": %s", name,
				  sl_kafka_errstr(buf, sizeof(buf), rd_kafka_err2str(t->err)));
	} else {
		if (partitions != NULL)
			*partitions = t->partition_cnt;
		if (replicas != NULL)
			*replicas = t->partition_cnt > 0 ? t->partitions[0].replica_cnt : 0;
	}
	rd_kafka_metadata_destroy(md);
	return rc;
}

int
sl_kafka_topic_exists(sl_kafka_t *k, const char *name, bool *exists, sl_error_t *err)
{
	sl_error_t e;
	int rc = sl_kafka_topic_describe(k, name, NULL, NULL, &e);
	if (rc == SL_ENOTFOUND || rc == SL_OK) {
		*exists = rc == SL_OK;
		return SL_OK;
	}
	if (err != NULL)
		*err = e;
	return rc;
}

static int
info_cmp(const void *a, const void *b)
{
	return strcmp(((const sl_kafka_topic_info_t *)a)->name,
		      ((const sl_kafka_topic_info_t *)b)->name);
}

int
sl_kafka_topic_list(sl_kafka_t *k, sl_kafka_topic_info_t **topics, size_t *n, sl_error_t *err)
{
	const struct rd_kafka_metadata *md;
	int rc = sl_kafka_metadata(k, &md, err);
	if (rc != SL_OK)
		return rc;
	sl_kafka_topic_info_t *list =
		calloc(md->topic_cnt > 0 ? (size_t)md->topic_cnt : 1, sizeof(*list));
	size_t cnt = 0;
	if (list == NULL) {
		rc = sl_error_set(err, SL_ENOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < md->topic_cnt; i++) {
		const struct rd_kafka_metadata_topic *t = &md->topics[i];
		if (t->err != RD_KAFKA_RESP_ERR_NO_ERROR)
			continue; /* deleted (in the embedded cluster) or not ready */
		if ((list[cnt].name = strdup(t->topic)) == NULL) {
			sl_kafka_topic_list_free(list, cnt);
			rc = sl_error_set(err, SL_ENOMEM, "out of memory");
			goto out;
		}
		list[cnt].partitions = t->partition_cnt;
		list[cnt].replicas = t->partition_cnt > 0 ? t->partitions[0].replica_cnt : 0;
		cnt++;
	}
	qsort(list, cnt, sizeof(*list), info_cmp);
	*topics = list;
	*n = cnt;
out:
	rd_kafka_metadata_destroy(md);
	return rc;
}

void
sl_kafka_topic_list_free(sl_kafka_topic_info_t *topics, size_t n)
{
	if (topics == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(topics[i].name);
	free(topics);
}
