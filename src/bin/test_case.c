/*
 * test_case.c: one ksqlDB-style test case run on a fresh engine.
 *
 * Used by --qtt and -s/-i/-o (test_qtt.c).  Takes a case (statements,
 * session properties, topics, input records, expected output records or an
 * expected error, post-conditions; sluice_test.h) and hands on a verdict and
 * the first difference found.  The case runs as ksqlDB's TestExecutor runs
 * it:
 *
 *   1. a new engine in test mode, with the embedded Kafka, so that nothing
 *      leaks from one case to the next;
 *   2. "properties" set on the session;
 *   3. every topic the case names (in "topics", the KAFKA_TOPIC of its
 *      CREATE STREAM/TABLE statements, its inputs and outputs) created with
 *      one partition unless told otherwise;
 *   4. the statements run one by one, so that an error has its statement;
 *   5. each input produced (key and value written by test_codec.c for the
 *      source on its topic), then sl_engine_quiesce(): the barrier that lets
 *      every query consume it before the next one;
 *   6. every topic with expected outputs read from the beginning and
 *      compared record by record (test_compare.c);
 *   7. the post-conditions on sources and topics.
 *
 * Kafka is reached through the engine's client (sl_engine_kafka() and
 * src/kafka/kafka.h): the "topic I/O" section below.
 *
 * test_rest.c, which sends the statements over HTTP instead, uses steps 1
 * to 3 (sl_test_env_open()), 5 and 6 through the sl_test_env_* functions.
 */
#include "sluice_test.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "engine/engine.h"
#include "kafka/kafka.h"
#include "parse/parser.h"
#include "state/catalog.h"

/* How long one quiesce may take before the case fails. */
#define CASE_QUIESCE_MS 30000

/* A topic the case needs before its statements run. */
typedef struct case_topic {
	char *name;
	int partitions;
} case_topic_t;

/* A record read back from an output topic. */
typedef struct case_record {
	cJSON *key;
	cJSON *value;
	sl_test_window_t win;
	int64_t timestamp;
	cJSON *headers; /* [{KEY, VALUE (base64 or null)}] */
	int partition;
	int64_t offset;
} case_record_t;

/* A case's engine (sl_test_env_t of sluice_test.h). */
typedef struct sl_test_env {
	const sl_test_case_t *tc;
	bool verbose;
	sl_strbuf_t *why;
	sl_engine_t *eng;
	sl_session_t *s;
	sl_kafka_producer_t *producer; /* created on first use */
	sl_kafka_consumer_t *consumer;
	case_topic_t *topics;
	int ntopics, captopics;
} case_run_t;

/* ---- topic I/O (src/kafka) ---- */

/* Creates topic with partitions partitions unless it exists. */
static int
case_topic_create(case_run_t *r, const char *topic, int partitions, sl_error_t *err)
{
	int rc = sl_kafka_topic_create(sl_engine_kafka(r->eng), topic, partitions, 1, err);
	if (rc == SL_EEXISTS) {
		sl_error_clear(err);
		return SL_OK;
	}
	return rc;
}

/* Produces one record to topic (the partition chosen by key, as Java
 * clients do) and waits for its delivery.  key/value NULL: a null
 * key/value.  headers: [{KEY, VALUE (base64 or null)}] or NULL. */
static int
case_produce(case_run_t *r, const char *topic, const sl_strbuf_t *key, const sl_strbuf_t *value,
	     int64_t timestamp, const cJSON *headers, sl_error_t *err)
{
	sl_kafka_header_t hdrs[64];
	sl_kafka_record_t rec = {
		.topic = topic,
		.partition = SL_KAFKA_PARTITION_ANY,
		.key = key != NULL ? key->data : NULL,
		.key_len = key != NULL ? key->len : 0,
		.value = value != NULL ? (value->data != NULL ? value->data : "") : NULL,
		.value_len = value != NULL ? value->len : 0,
		.timestamp = timestamp,
		.headers = hdrs,
	};
	sl_strbuf_t bufs[64];
	int rc;

	if (r->producer == NULL &&
	    (rc = sl_kafka_producer_create(sl_engine_kafka(r->eng), &r->producer, err)) != SL_OK)
		return rc;
	for (const cJSON *h = headers != NULL ? headers->child : NULL; h != NULL && rec.nheaders < 64;
	     h = h->next) {
		const cJSON *hk = cJSON_GetObjectItemCaseSensitive(h, "KEY");
		const cJSON *hv = cJSON_GetObjectItemCaseSensitive(h, "VALUE");
		sl_kafka_header_t *out = &hdrs[rec.nheaders];
		sl_strbuf_t *buf = &bufs[rec.nheaders++];

		sl_strbuf_init(buf);
		out->name = cJSON_IsString(hk) ? hk->valuestring : "";
		out->value = NULL;
		out->len = 0;
		if (!cJSON_IsString(hv))
			continue;
		if (!sl_test_base64_decode(buf, hv->valuestring)) {
			rc = sl_error_set(err, SL_EINVAL, "header \"%s\": bad base64", out->name);
			goto done;
		}
		out->value = buf->data; /* never NULL: an empty value is not a null one */
		out->len = buf->len;
	}
	rc = sl_kafka_producer_produce(r->producer, &rec, err);
	if (rc == SL_OK)
		rc = sl_kafka_producer_flush(r->producer, CASE_QUIESCE_MS, NULL, err);
done:
	for (size_t i = 0; i < rec.nheaders; i++)
		sl_strbuf_free(&bufs[i]);
	return rc;
}

static void
case_records_free(case_record_t *recs, int n)
{
	for (int i = 0; i < n; i++) {
		cJSON_Delete(recs[i].key);
		cJSON_Delete(recs[i].value);
		cJSON_Delete(recs[i].headers);
	}
	free(recs);
}

/* A message's headers as the test files write them: [{"KEY": name,
 * "VALUE": base64 or null}]. */
static cJSON *
case_headers_json(rd_kafka_message_t *msg)
{
	cJSON *arr = cJSON_CreateArray();
	rd_kafka_headers_t *hdrs = NULL;
	const char *name;
	const void *val;
	size_t size;

	if (rd_kafka_message_headers(msg, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return arr;
	for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) ==
			   RD_KAFKA_RESP_ERR_NO_ERROR;
	     i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "KEY", name);
		if (val == NULL) {
			cJSON_AddNullToObject(o, "VALUE");
		} else {
			sl_strbuf_t b;
			sl_strbuf_init(&b);
			sl_test_base64_encode(&b, val, size);
			cJSON_AddStringToObject(o, "VALUE", b.data);
			sl_strbuf_free(&b);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* Decodes msg for src into a new entry of *recs.  Returns SL_OK, or
 * SL_EINVAL with why set. */
static int
case_record_add(const sl_kafka_t *k, const sl_source_t *src, rd_kafka_message_t *msg,
		case_record_t **recs, int *n, int *cap, sl_strbuf_t *why)
{
	case_record_t *out;
	sl_test_window_t nowin;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*recs = realloc(*recs, (size_t)*cap * sizeof(**recs));
		if (*recs == NULL)
			abort();
	}
	out = &(*recs)[*n];
	memset(out, 0, sizeof(*out));
	if (sl_test_decode(src, true, msg->key, msg->key_len, &out->key, &out->win, why) != SL_OK ||
	    sl_test_decode(src, false, msg->payload, msg->len, &out->value, &nowin, why) !=
		    SL_OK) {
		cJSON_Delete(out->key);
		sl_strbuf_printf(why, " (partition %d, offset %lld)", (int)msg->partition,
				 (long long)msg->offset);
		return SL_EINVAL;
	}
	out->timestamp = sl_kafka_message_timestamp(k, msg);
	out->headers = case_headers_json(msg);
	out->partition = msg->partition;
	out->offset = msg->offset;
	(*n)++;
	return SL_OK;
}

static int
case_record_cmp(const void *x, const void *y)
{
	const case_record_t *a = x, *b = y;
	if (a->partition != b->partition)
		return a->partition < b->partition ? -1 : 1;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* Reads every record of topic from the beginning and decodes it for src,
 * partition by partition in offset order.  Returns SL_OK, or an error with
 * r->why set. */
static int
case_read_topic(case_run_t *r, const char *topic, const sl_source_t *src, case_record_t **recs,
		int *n)
{
	sl_kafka_t *k = sl_engine_kafka(r->eng);
	sl_kafka_tp_t tps[256];
	rd_kafka_message_t *msgs[256];
	case_record_t *out = NULL;
	int nout = 0, cap = 0, parts = 0, rc;
	sl_strbuf_t why;
	sl_error_t err;

	sl_strbuf_init(&why);
	sl_error_clear(&err);
	if (r->consumer == NULL &&
	    (rc = sl_kafka_consumer_create(k, "sluice-test", SL_KAFKA_OFFSET_BEGINNING,
					   &r->consumer, &err)) != SL_OK)
		goto fail;
	if ((rc = sl_kafka_topic_describe(k, topic, &parts, NULL, &err)) != SL_OK)
		goto fail;
	if (parts > 256)
		parts = 256;
	for (int p = 0; p < parts; p++)
		tps[p] = (sl_kafka_tp_t){ topic, p, SL_KAFKA_OFFSET_BEGINNING };
	if ((rc = sl_kafka_consumer_assign(r->consumer, tps, (size_t)parts, &err)) != SL_OK)
		goto fail;
	for (int round = 0;; round++) {
		bool done = false;
		size_t got = 0;

		if ((rc = sl_kafka_consumer_caught_up(r->consumer, CASE_QUIESCE_MS, &done, &err)) !=
		    SL_OK)
			goto fail;
		if (done)
			break;
		if (round > 1000) {
			rc = sl_error_set(&err, SL_EIO, "reading did not reach the end");
			goto fail;
		}
		rc = sl_kafka_consumer_poll(r->consumer, msgs, 256, 100, &got, &err);
		for (size_t i = 0; i < got; i++) {
			if (rc != SL_ERR && why.len == 0)
				case_record_add(k, src, msgs[i], &out, &nout, &cap, &why);
		}
		sl_kafka_messages_destroy(msgs, got);
		if (rc == SL_ERR)
			goto fail;
		if (why.len > 0) {
			sl_strbuf_printf(r->why, "topic %s: %s", topic, why.data);
			rc = SL_EINVAL;
			goto out;
		}
	}
	sl_kafka_consumer_assign(r->consumer, NULL, 0, NULL);
	if (nout > 1)
		qsort(out, (size_t)nout, sizeof(*out), case_record_cmp);
	*recs = out;
	*n = nout;
	sl_strbuf_free(&why);
	return SL_OK;

fail:
	sl_strbuf_printf(r->why, "topic %s: cannot read: %s", topic, err.msg);
out:
	case_records_free(out, nout);
	sl_strbuf_free(&why);
	return rc;
}

/* ---- helpers ---- */

static const char *
case_json_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
case_add_topic(case_run_t *r, const char *name, int partitions)
{
	for (int i = 0; i < r->ntopics; i++)
		if (strcmp(r->topics[i].name, name) == 0)
			return;
	if (r->ntopics == r->captopics) {
		r->captopics = r->captopics ? r->captopics * 2 : 8;
		r->topics = realloc(r->topics, (size_t)r->captopics * sizeof(*r->topics));
		if (r->topics == NULL)
			abort();
	}
	r->topics[r->ntopics].name = strdup(name);
	r->topics[r->ntopics].partitions = partitions > 0 ? partitions : 1;
	r->ntopics++;
}

/* The topic a CREATE STREAM/TABLE statement reads, and its PARTITIONS, as
 * ksqlDB's runner infers them to create the topic beforehand. */
static void
case_topics_of_statement(case_run_t *r, const char *text)
{
	sl_arena_t a;
	sl_stmt_list_t list;
	sl_error_t err;

	sl_arena_init(&a, 0);
	if (sl_parse(text, strlen(text), &a, &list, &err) != SL_OK)
		goto done;
	for (int i = 0; i < list.n; i++) {
		const sl_node_t *node = list.items[i].node;
		const sl_node_t *props = sl_ast_kid(node, 1);
		const char *topic = NULL;
		int partitions = 1;

		if (node->kind != SL_N_CREATE_SOURCE || props == NULL)
			continue;
		for (int j = 0; j < props->nkids; j++) {
			const sl_node_t *p = props->kids[j];
			const sl_node_t *lit = sl_ast_kid(p, 0);
			if (lit == NULL || lit->str == NULL)
				continue;
			if (strcmp(p->str, "KAFKA_TOPIC") == 0)
				topic = lit->str;
			else if (strcmp(p->str, "PARTITIONS") == 0)
				partitions = atoi(lit->str);
		}
		if (topic != NULL)
			case_add_topic(r, topic, partitions);
	}
done:
	sl_arena_destroy(&a);
}

/* Every topic the case names, with its partition count. */
static void
case_collect_topics(case_run_t *r)
{
	const sl_test_case_t *tc = r->tc;
	const cJSON *t;

	for (t = tc->topics != NULL ? tc->topics->child : NULL; t != NULL; t = t->next) {
		const char *name = case_json_string(t, "name");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(t, "partitions");
		if (name != NULL)
			case_add_topic(r, name, cJSON_IsNumber(p) ? p->valueint : 1);
	}
	for (int i = 0; i < tc->nstmts; i++)
		case_topics_of_statement(r, tc->stmts[i]);
	for (t = tc->inputs != NULL ? tc->inputs->child : NULL; t != NULL; t = t->next)
		if (case_json_string(t, "topic") != NULL)
			case_add_topic(r, case_json_string(t, "topic"), 1);
	for (t = tc->outputs != NULL ? tc->outputs->child : NULL; t != NULL; t = t->next)
		if (case_json_string(t, "topic") != NULL)
			case_add_topic(r, case_json_string(t, "topic"), 1);
}

/* The source whose formats describe topic: the one a query writes, else
 * the first defined on it; NULL when none. */
static const sl_source_t *
case_source_of_topic(case_run_t *r, const char *topic, bool prefer_sink)
{
	int n = 0;
	const sl_source_t **all = sl_engine_sources_on_topic(r->eng, topic, &n);

	if (prefer_sink)
		for (int i = 0; i < n; i++)
			if (all[i]->query_id != NULL)
				return all[i];
	return n > 0 ? all[0] : NULL;
}

static bool
case_window_of(const cJSON *rec, sl_test_window_t *win)
{
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(rec, "window");
	const cJSON *start, *end;
	const char *type;

	memset(win, 0, sizeof(*win));
	if (!cJSON_IsObject(w))
		return false;
	start = cJSON_GetObjectItemCaseSensitive(w, "start");
	end = cJSON_GetObjectItemCaseSensitive(w, "end");
	type = case_json_string(w, "type");
	win->present = true;
	win->start = cJSON_IsNumber(start) ? (int64_t)start->valuedouble : 0;
	win->end = cJSON_IsNumber(end) ? (int64_t)end->valuedouble : 0;
	win->session = type != NULL && strcasecmp(type, "session") == 0;
	return true;
}

/* ---- statements ---- */

/* Sets the case's properties on the session (as SET would), over
 * auto.offset.reset=earliest. */
static void
case_set_properties(case_run_t *r)
{
	sl_props_t *props = sl_session_properties(r->s);
	const cJSON *p;

	/* ksqlDB's runner reads every topic from the start (its BASE_CONFIG) */
	sl_props_set(props, "auto.offset.reset", "earliest");
	for (p = r->tc->properties != NULL ? r->tc->properties->child : NULL; p != NULL;
	     p = p->next) {
		if (cJSON_IsString(p)) {
			sl_props_set(props, p->string, p->valuestring);
		} else {
			sl_strbuf_t v;
			sl_strbuf_init(&v);
			sl_test_json_append(&v, p);
			sl_props_set(props, p->string, v.data);
			sl_strbuf_free(&v);
		}
	}
}

/*
 * Runs the statements.  Returns 1 when all succeeded, 0 when one failed as
 * the case expects (the case passed), -1 when the case failed.
 */
static int
case_statements(case_run_t *r)
{
	const sl_test_case_t *tc = r->tc;

	for (int i = 0; i < tc->nstmts; i++) {
		const char *text = tc->stmts[i];
		cJSON *results = cJSON_CreateArray();
		sl_exec_error_t e;
		char msg[SL_ERROR_MSG_MAX + 32];
		sl_error_t qerr;
		int rc;

		sl_exec_error_init(&e);
		sl_error_clear(&qerr);
		/* the barrier of SPEC section 9: queries catch up first */
		rc = sl_engine_quiesce(r->eng, CASE_QUIESCE_MS, &qerr);
		if (rc == SL_OK)
			rc = sl_engine_execute(r->eng, r->s, text, strlen(text), results, &e);
		cJSON_Delete(results);
		if (rc == SL_OK) {
			sl_exec_error_clear(&e);
			continue;
		}
		sl_error_format(qerr.code != SL_OK ? &qerr : &e.err, msg, sizeof(msg));
		/* a feature sluice lacks is not the error a case expects */
		bool unsupported = e.err.code == SL_ENOTSUP;
		sl_exec_error_clear(&e);
		if (tc->expect_error && qerr.code == SL_OK && !unsupported) {
			if (r->verbose)
				sl_strbuf_printf(r->why, "statement %d failed as expected: %s%s%s", i + 1,
						 msg, tc->expect_msg ? "\n  ksqlDB: " : "",
						 tc->expect_msg ? tc->expect_msg : "");
			return 0;
		}
		sl_strbuf_printf(r->why, "statement %d: %s\n  %s", i + 1, msg, text);
		return -1;
	}
	if (tc->expect_error) {
		sl_strbuf_printf(r->why, "expected an error (%s), but every statement succeeded",
				 tc->expect_msg ? tc->expect_msg : "any");
		return -1;
	}
	return 1;
}

/* ---- inputs ---- */

static bool
case_inputs(case_run_t *r)
{
	const cJSON *in;
	sl_strbuf_t key, value, why;
	int index = 0;
	bool ok = true;

	sl_strbuf_init(&key);
	sl_strbuf_init(&value);
	sl_strbuf_init(&why);
	for (in = r->tc->inputs != NULL ? r->tc->inputs->child : NULL; in != NULL && ok;
	     in = in->next, index++) {
		const char *topic = case_json_string(in, "topic");
		const cJSON *ts = cJSON_GetObjectItemCaseSensitive(in, "timestamp");
		const sl_source_t *src;
		sl_test_window_t win;
		sl_error_t err;
		bool knull, vnull;

		if (topic == NULL) {
			sl_strbuf_printf(r->why, "input %d: no topic", index + 1);
			ok = false;
			break;
		}
		src = case_source_of_topic(r, topic, false);
		case_window_of(in, &win);
		sl_strbuf_reset(&key);
		sl_strbuf_reset(&value);
		sl_strbuf_reset(&why);
		if (sl_test_encode(src, true, cJSON_GetObjectItemCaseSensitive(in, "key"), &win, &key,
				   &knull, &why) != SL_OK ||
		    sl_test_encode(src, false, cJSON_GetObjectItemCaseSensitive(in, "value"), NULL,
				   &value, &vnull, &why) != SL_OK) {
			sl_strbuf_printf(r->why, "input %d (topic %s): %s", index + 1, topic, why.data);
			ok = false;
			break;
		}
		sl_error_clear(&err);
		if (case_produce(r, topic, knull ? NULL : &key, vnull ? NULL : &value,
				 cJSON_IsNumber(ts) ? (int64_t)ts->valuedouble : 0,
				 cJSON_GetObjectItemCaseSensitive(in, "headers"), &err) != SL_OK) {
			sl_strbuf_printf(r->why, "input %d (topic %s): cannot produce: %s", index + 1,
					 topic, err.msg);
			ok = false;
			break;
		}
		if (sl_engine_quiesce(r->eng, CASE_QUIESCE_MS, &err) != SL_OK) {
			sl_strbuf_printf(r->why, "input %d (topic %s): quiesce: %s", index + 1, topic,
					 err.msg);
			ok = false;
		}
	}
	sl_strbuf_free(&why);
	sl_strbuf_free(&value);
	sl_strbuf_free(&key);
	return ok;
}

/* ---- outputs ---- */

static void
case_record_describe(sl_strbuf_t *out, const cJSON *key, const cJSON *value, int64_t ts,
		     const sl_test_window_t *win, const cJSON *headers)
{
	sl_strbuf_puts(out, "<");
	sl_test_json_append(out, key);
	sl_strbuf_puts(out, ", ");
	sl_test_json_append(out, value);
	sl_strbuf_printf(out, "> timestamp=%lld", (long long)ts);
	if (win != NULL && win->present)
		sl_strbuf_printf(out, " window=%s[%lld,%lld]", win->session ? "session" : "time",
				 (long long)win->start, (long long)win->end);
	if (headers != NULL && cJSON_GetArraySize(headers) > 0) {
		sl_strbuf_puts(out, " headers=");
		sl_test_json_append(out, headers);
	}
}

static void
case_expected_describe(sl_strbuf_t *out, const cJSON *exp)
{
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(exp, "timestamp");
	sl_test_window_t win;

	case_window_of(exp, &win);
	sl_strbuf_puts(out, "<");
	sl_test_json_append(out, cJSON_GetObjectItemCaseSensitive(exp, "key"));
	sl_strbuf_puts(out, ", ");
	sl_test_json_append(out, cJSON_GetObjectItemCaseSensitive(exp, "value"));
	sl_strbuf_puts(out, ">");
	if (cJSON_IsNumber(ts))
		sl_strbuf_printf(out, " timestamp=%lld", (long long)ts->valuedouble);
	if (win.present)
		sl_strbuf_printf(out, " window=%s[%lld,%lld]", win.session ? "session" : "time",
				 (long long)win.start, (long long)win.end);
	if (cJSON_GetObjectItemCaseSensitive(exp, "headers") != NULL) {
		sl_strbuf_puts(out, " headers=");
		sl_test_json_append(out, cJSON_GetObjectItemCaseSensitive(exp, "headers"));
	}
}

/* Whether the actual record matches the expected one (ksqlDB's
 * TestExecutor.validateCreatedMessage). */
static bool
case_record_match(const cJSON *exp, const case_record_t *act, const sl_source_t *src,
		  bool no_inputs)
{
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(exp, "timestamp");
	const cJSON *headers = cJSON_GetObjectItemCaseSensitive(exp, "headers");
	bool klenient = src != NULL && strcmp(src->key_format, "DELIMITED") == 0;
	bool vlenient = src != NULL && strcmp(src->value_format, "DELIMITED") == 0;
	sl_test_window_t win;

	if (case_window_of(exp, &win)) {
		if (!act->win.present || act->win.session != win.session ||
		    act->win.start != win.start || act->win.end != win.end)
			return false;
	}
	if (!sl_test_json_match(cJSON_GetObjectItemCaseSensitive(exp, "key"), act->key, klenient))
		return false;
	if (!sl_test_json_match(cJSON_GetObjectItemCaseSensitive(exp, "value"), act->value,
				vlenient))
		return false;
	if (headers != NULL && !sl_test_json_match(headers, act->headers, false))
		return false;
	if (cJSON_IsNumber(ts) && (int64_t)ts->valuedouble != act->timestamp &&
	    !(no_inputs && ts->valuedouble == 0))
		return false;
	return true;
}

/* Checks the records of one output topic. */
static bool
case_check_topic(case_run_t *r, const char *topic)
{
	const cJSON *outputs = r->tc->outputs;
	const sl_source_t *src = case_source_of_topic(r, topic, true);
	bool no_inputs = cJSON_GetArraySize(r->tc->inputs) == 0;
	case_record_t *recs = NULL;
	int n = 0, i = 0, nexp = 0;
	const cJSON *exp;
	bool ok = true;

	if (case_read_topic(r, topic, src, &recs, &n) != SL_OK)
		return false;
	for (exp = outputs->child; exp != NULL; exp = exp->next) {
		const char *t = case_json_string(exp, "topic");
		if (t == NULL || strcmp(t, topic) != 0)
			continue;
		nexp++;
		if (!ok)
			continue;
		if (i >= n) {
			sl_strbuf_printf(r->why, "topic %s: record %d missing: expected ", topic, i + 1);
			case_expected_describe(r->why, exp);
			ok = false;
			continue;
		}
		if (!case_record_match(exp, &recs[i], src, no_inputs)) {
			sl_strbuf_printf(r->why, "topic %s: record %d:\n  expected ", topic, i + 1);
			case_expected_describe(r->why, exp);
			sl_strbuf_puts(r->why, "\n  actual   ");
			case_record_describe(r->why, recs[i].key, recs[i].value, recs[i].timestamp,
					     &recs[i].win, recs[i].headers);
			ok = false;
		}
		i++;
	}
	if (ok && n > nexp && !r->tc->outputs_prefix) {
		sl_strbuf_printf(r->why, "topic %s: %d records expected, %d written; the first extra: ",
				 topic, nexp, n);
		case_record_describe(r->why, recs[nexp].key, recs[nexp].value, recs[nexp].timestamp,
				     &recs[nexp].win, recs[nexp].headers);
		ok = false;
	} else if (!ok && n != nexp) {
		sl_strbuf_printf(r->why, "\n  (%d records expected, %d written)", nexp, n);
	}
	case_records_free(recs, n);
	return ok;
}

static bool
case_outputs(case_run_t *r)
{
	const cJSON *outputs = r->tc->outputs;
	const cJSON *exp, *prev;

	if (outputs == NULL)
		return true;
	/* each topic once, in the order of its first expected record */
	for (exp = outputs->child; exp != NULL; exp = exp->next) {
		const char *topic = case_json_string(exp, "topic");
		bool seen = false;
		if (topic == NULL) {
			sl_strbuf_puts(r->why, "an expected output has no topic");
			return false;
		}
		for (prev = outputs->child; prev != exp && !seen; prev = prev->next) {
			const char *t = case_json_string(prev, "topic");
			seen = t != NULL && strcmp(t, topic) == 0;
		}
		if (!seen && !case_check_topic(r, topic))
			return false;
	}
	return true;
}

/* ---- post-conditions ---- */

static bool
case_post_source(case_run_t *r, const cJSON *exp)
{
	const char *name = case_json_string(exp, "name");
	const char *type = case_json_string(exp, "type");
	const char *schema = case_json_string(exp, "schema");
	const cJSON *kf = cJSON_GetObjectItemCaseSensitive(exp, "keyFormat");
	const char *vf = case_json_string(exp, "valueFormat");
	const sl_source_t *src;

	if (name == NULL)
		return true;
	src = sl_engine_source(r->eng, name);
	if (src == NULL) {
		sl_strbuf_printf(r->why, "post: source %s does not exist", name);
		return false;
	}
	if (type != NULL &&
	    strcasecmp(type, src->kind == SL_OBJ_TABLE ? "table" : "stream") != 0) {
		sl_strbuf_printf(r->why, "post: %s is a %s, expected a %s", name,
				 src->kind == SL_OBJ_TABLE ? "table" : "stream", type);
		return false;
	}
	if (schema != NULL) {
		sl_strbuf_t why;
		bool ok;
		sl_strbuf_init(&why);
		ok = sl_test_schema_match(schema, src, &why);
		if (!ok)
			sl_strbuf_printf(r->why, "post: %s", why.data);
		sl_strbuf_free(&why);
		if (!ok)
			return false;
	}
	if (cJSON_IsObject(kf)) {
		const char *f = case_json_string(kf, "format");
		const char *wt = case_json_string(kf, "windowType");
		const cJSON *ws = cJSON_GetObjectItemCaseSensitive(kf, "windowSize");
		static const char *const wnames[] = { NULL, "TUMBLING", "HOPPING", "SESSION" };
		const char *actual_wt = wnames[src->window_type];

		if (f != NULL && strcasecmp(f, src->key_format) != 0) {
			sl_strbuf_printf(r->why, "post: %s has key format %s, expected %s", name,
					 src->key_format, f);
			return false;
		}
		if (wt != NULL && (actual_wt == NULL || strcasecmp(wt, actual_wt) != 0)) {
			sl_strbuf_printf(r->why, "post: %s has window type %s, expected %s", name,
					 actual_wt ? actual_wt : "none", wt);
			return false;
		}
		if (cJSON_IsNumber(ws) && (int64_t)ws->valuedouble != src->window_size_ms) {
			sl_strbuf_printf(r->why, "post: %s has window size %lld ms, expected %lld",
					 name, (long long)src->window_size_ms,
					 (long long)ws->valuedouble);
			return false;
		}
	}
	if (vf != NULL && strcasecmp(vf, src->value_format) != 0) {
		sl_strbuf_printf(r->why, "post: %s has value format %s, expected %s", name,
				 src->value_format, vf);
		return false;
	}
	return true;
}

/* post.topics: no topic matches the blacklist; each listed topic exists
 * (with its partition count when given). */
static bool
case_post_topics(case_run_t *r, const cJSON *topics)
{
	const char *black = case_json_string(topics, "blacklist");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(topics, "topics");
	sl_kafka_topic_info_t *all = NULL;
	sl_error_t err;
	size_t n = 0;
	bool ok = true;

	sl_error_clear(&err);
	if (sl_kafka_topic_list(sl_engine_kafka(r->eng), &all, &n, &err) != SL_OK) {
		sl_strbuf_printf(r->why, "post: cannot list topics: %s", err.msg);
		return false;
	}
	if (black != NULL) {
		regex_t re;
		sl_strbuf_t anchored;
		sl_strbuf_init(&anchored);
		sl_strbuf_printf(&anchored, "^(%s)$", black);
		if (regcomp(&re, anchored.data, REG_EXTENDED | REG_NOSUB) == 0) {
			for (size_t i = 0; i < n && ok; i++)
				if (regexec(&re, all[i].name, 0, NULL, 0) == 0) {
					sl_strbuf_printf(r->why, "post: blacklisted topic %s exists",
							 all[i].name);
					ok = false;
				}
			regfree(&re);
		}
		sl_strbuf_free(&anchored);
	}
	for (const cJSON *t = cJSON_IsArray(list) ? list->child : NULL; t != NULL && ok;
	     t = t->next) {
		const char *name = case_json_string(t, "name");
		const cJSON *parts = cJSON_GetObjectItemCaseSensitive(t, "partitions");
		int found = -1;
		if (name == NULL)
			continue;
		for (size_t i = 0; i < n && found < 0; i++)
			if (strcmp(all[i].name, name) == 0)
				found = (int)i;
		if (found < 0) {
			sl_strbuf_printf(r->why, "post: topic %s does not exist", name);
			ok = false;
		} else if (cJSON_IsNumber(parts) && parts->valueint != all[found].partitions) {
			sl_strbuf_printf(r->why, "post: topic %s has %d partitions, expected %d",
					 name, all[found].partitions, parts->valueint);
			ok = false;
		}
	}
	sl_kafka_topic_list_free(all, n);
	return ok;
}

static bool
case_post(case_run_t *r)
{
	const cJSON *post = r->tc->post;
	const cJSON *sources = cJSON_GetObjectItemCaseSensitive(post, "sources");
	const cJSON *topics = cJSON_GetObjectItemCaseSensitive(post, "topics");

	for (const cJSON *s = cJSON_IsArray(sources) ? sources->child : NULL; s != NULL;
	     s = s->next)
		if (!case_post_source(r, s))
			return false;
	if (cJSON_IsObject(topics) && !case_post_topics(r, topics))
		return false;
	return true;
}

/* ---- the case ---- */

sl_test_env_t *
sl_test_env_open(const sl_test_case_t *tc, const sl_props_t *server, bool verbose, sl_strbuf_t *why)
{
	case_run_t *r = calloc(1, sizeof(*r));
	sl_engine_config_t cfg = { .props = server, .test_mode = true };
	sl_error_t err;

	if (r == NULL)
		abort();
	r->tc = tc;
	r->verbose = verbose;
	r->why = why;
	sl_error_clear(&err);
	if (sl_engine_create(&cfg, &r->eng, &err) != SL_OK) {
		sl_strbuf_printf(why, "cannot start the engine: %s", err.msg);
		free(r);
		return NULL;
	}
	r->s = sl_session_create(r->eng);
	case_set_properties(r);
	case_collect_topics(r);
	for (int i = 0; i < r->ntopics; i++) {
		sl_error_clear(&err);
		if (case_topic_create(r, r->topics[i].name, r->topics[i].partitions, &err) != SL_OK) {
			sl_strbuf_printf(why, "cannot create topic %s: %s", r->topics[i].name,
					 err.msg);
			sl_test_env_close(r);
			return NULL;
		}
	}
	return r;
}

struct sl_engine *
sl_test_env_engine(sl_test_env_t *r)
{
	return r->eng;
}

bool
sl_test_env_inputs(sl_test_env_t *r)
{
	return case_inputs(r);
}

bool
sl_test_env_outputs(sl_test_env_t *r)
{
	return case_outputs(r);
}

void
sl_test_env_close(sl_test_env_t *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < r->ntopics; i++)
		free(r->topics[i].name);
	free(r->topics);
	sl_kafka_producer_destroy(r->producer);
	sl_kafka_consumer_destroy(r->consumer);
	sl_session_destroy(r->s);
	sl_engine_destroy(r->eng);
	free(r);
}

bool
sl_test_case_run(const sl_test_case_t *tc, bool verbose, sl_strbuf_t *why)
{
	case_run_t *r = sl_test_env_open(tc, NULL, verbose, why);
	bool ok;
	int rc;

	if (r == NULL)
		return false;
	rc = case_statements(r);
	if (rc <= 0) {
		ok = rc == 0;
	} else {
		ok = case_inputs(r) && case_outputs(r) && case_post(r);
		if (ok && verbose)
			sl_strbuf_printf(why, "%d inputs, %d outputs checked",
					 cJSON_GetArraySize(tc->inputs), cJSON_GetArraySize(tc->outputs));
	}
	sl_test_env_close(r);
	return ok;
}
