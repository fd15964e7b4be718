/*
 * query.c: the runtime of a persistent query (see query.h).
 *
 * Stage: exec.  The operator pipeline of a stateless query:
 *   source   decode key and value into the evaluation row, event time
 *   filter   WHERE
 *   tablefn  EXPLODE and friends: one output row per element (zipped)
 *   project  the output columns
 *   sink     encode key and value, produce with the output timestamp
 * Each stage is a function over the row below; the batch arena holds
 * everything a record needs and is reset after each batch.
 */
#include "exec/query.h"
#include "exec/internal.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expr/cast.h"
#include "util/strbuf.h"

/* ------------------------------------------------------- processing log */

void
sl_exec_processing_log(sl_query_t *q, const char *reason, const rd_kafka_message_t *m,
	       const char *detail)
{
	sl_strbuf_t sb;
	struct timespec ts;

	if (q->env.errors != NULL)
		atomic_fetch_add(q->env.errors, 1);
	clock_gettime(CLOCK_REALTIME, &ts);
	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "{\"level\":\"ERROR\",\"logger\":\"processing.%s\",\"time\":%lld,"
			 "\"message\":{\"type\":", q->plan->query_id,
			 (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	sl_value_t v = sl_value_string(reason, (int32_t)strlen(reason));
	sl_serde_json_value(&sb, &v, sl_type_string());
	sl_strbuf_puts(&sb, ",\"errorMessage\":");
	v = sl_value_string(detail, (int32_t)strlen(detail));
	sl_serde_json_value(&sb, &v, sl_type_string());
	sl_strbuf_puts(&sb, ",\"topic\":");
	const char *topic = m && m->rkt ? rd_kafka_topic_name(m->rkt) : q->plan->input.topic;
	v = sl_value_string(topic, (int32_t)strlen(topic));
	sl_serde_json_value(&sb, &v, sl_type_string());
	sl_strbuf_printf(&sb, ",\"partition\":%d,\"offset\":%lld}}", m ? (int)m->partition : -1,
			 m ? (long long)m->offset : -1LL);
	if (q->env.processing_log_topic != NULL) {
		sl_kafka_record_t rec = {
			.topic = q->env.processing_log_topic,
			.partition = SL_KAFKA_PARTITION_ANY,
			.value = sb.data,
			.value_len = sb.len,
		};
		if (sl_kafka_producer_produce(q->env.producer, &rec, NULL) != SL_OK)
			fprintf(stderr, "sluice: processing log: %s\n", sb.data);
	} else {
		fprintf(stderr, "sluice: processing log: %s\n", sb.data);
	}
	sl_strbuf_free(&sb);
}

/* --------------------------------------------------------------- offsets */

static int
offsets_open(sl_query_t *q, sl_error_t *err)
{
	char path[4096];

	/* without a state directory the state lives in memory */
	if (q->env.state_dir == NULL)
		snprintf(path, sizeof(path), ":memory:");
	else
		snprintf(path, sizeof(path), "%s/%s.db", q->env.state_dir, q->plan->query_id);
	if (sqlite3_open(path, &q->db) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "cannot open \"%s\": %s", path,
				    q->db ? sqlite3_errmsg(q->db) : "out of memory");
	sqlite3_busy_timeout(q->db, 5000);
	if (sqlite3_exec(q->db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
			 "CREATE TABLE IF NOT EXISTS offsets (topic TEXT NOT NULL, "
			 "partition INTEGER NOT NULL, next INTEGER NOT NULL, "
			 "PRIMARY KEY (topic, partition));",
			 NULL, NULL, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "cannot prepare \"%s\": %s", path,
				    sqlite3_errmsg(q->db));
	return SL_OK;
}

int
sl_exec_tx_begin(sl_query_t *q, sl_error_t *err)
{
	if (q->in_tx)
		return SL_OK;
	if (sqlite3_exec(q->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "beginning a transaction: %s", sqlite3_errmsg(q->db));
	q->in_tx = true;
	return SL_OK;
}

/* The stored next offset of partition p, or SL_KAFKA_OFFSET_INVALID. */
static int64_t
offsets_get(sl_query_t *q, const char *topic, int p)
{
	sqlite3_stmt *st;
	int64_t off = SL_KAFKA_OFFSET_INVALID;

	if (q->db == NULL)
		return off;
	if (sqlite3_prepare_v2(q->db, "SELECT next FROM offsets WHERE topic = ? AND partition = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return off;
	sqlite3_bind_text(st, 1, topic, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, p);
	if (sqlite3_step(st) == SQLITE_ROW)
		off = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return off;
}

static int
offsets_store(sl_query_t *q, sl_error_t *err)
{
	sqlite3_stmt *st = NULL;
	const char *topic = q->plan->input.topic;
	int rc = SL_OK;

	if ((rc = sl_exec_tx_begin(q, err)) != SL_OK)
		return rc;
	if (q->agg != NULL && (rc = sl_agg_store(q, err)) != SL_OK)
		goto done;
	if (q->join != NULL && (rc = sl_join_store(q, err)) != SL_OK)
		goto done;
	if (sqlite3_prepare_v2(q->db,
			       "INSERT INTO offsets (topic, partition, next) VALUES (?, ?, ?) "
			       "ON CONFLICT (topic, partition) DO UPDATE SET next = excluded.next",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = sl_error_set(err, SL_EIO, "storing offsets: %s", sqlite3_errmsg(q->db));
		goto done;
	}
	for (int i = 0; i < q->plan->ninputs; i++) {
		topic = q->plan->inputs[i].topic;
		for (int p = 0; p < q->plan->inputs[i].partitions; p++) {
			int64_t pos = q->join != NULL ? sl_join_position(q, topic, p) :
				      sl_kafka_consumer_position(q->consumer, topic, p);
			if (pos < 0)
				continue;
			sqlite3_bind_text(st, 1, topic, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 2, p);
			sqlite3_bind_int64(st, 3, pos);
			if (sqlite3_step(st) != SQLITE_DONE) {
				rc = sl_error_set(err, SL_EIO, "storing offsets: %s",
						  sqlite3_errmsg(q->db));
				goto done;
			}
			sqlite3_reset(st);
		}
	}
done:
	sqlite3_finalize(st);
	if (sqlite3_exec(q->db, rc == SL_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == SL_OK)
		rc = sl_error_set(err, SL_EIO, "committing state: %s", sqlite3_errmsg(q->db));
	q->in_tx = false;
	return rc;
}

/* ------------------------------------------------------------- lifecycle */

static int op_source(sl_query_t *q, const rd_kafka_message_t *m, sl_error_t *err);

int
sl_query_create(const sl_query_env_t *env, sl_plan_t *plan, sl_query_t **out, sl_error_t *err)
{
	sl_query_t *q = calloc(1, sizeof(*q));
	const sl_plan_io_t *in = &plan->input;
	const sl_analysis_t *an = plan->an;
	sl_kafka_tp_t *tps = NULL;
	int rc;

	if (q == NULL)
		abort();
	*out = NULL;
	q->env = *env;
	pthread_mutex_init(&q->subs_lock, NULL);
	q->plan = plan;
	q->an = an;
	q->out_ts_col = -1;
	q->batch_size = env->batch_size > 0 ? env->batch_size : SL_QUERY_DEFAULT_BATCH;
	/* a fed query (a push query's) handles one record at a time */
	sl_arena_init(&q->batch, env->fed ? 4096 : 64 * 1024);
	sl_strbuf_init(&q->kbuf);
	sl_strbuf_init(&q->vbuf);
	q->row = calloc((size_t)an->nrow + 1, sizeof(*q->row));
	q->out = calloc((size_t)an->nout + 1, sizeof(*q->out));
	q->vals = calloc((size_t)in->ncols + 1, sizeof(*q->vals));
	q->vmap = calloc((size_t)in->ncols + 1, sizeof(*q->vmap));
	q->msgs = calloc(env->fed ? 1 : (size_t)q->batch_size, sizeof(*q->msgs));
	if (q->row == NULL || q->out == NULL || q->vals == NULL || q->vmap == NULL ||
	    q->msgs == NULL)
		abort();
	for (int i = 0; i < in->ncols; i++)
		if (in->cols[i].ns == SL_COL_VALUE)
			q->vmap[q->nvals++] = i;
	if (plan->has_output) {
		const sl_plan_io_t *o = &plan->output;
		if (o->timestamp_col >= 0)
			q->out_ts_col = o->timestamp_col;
		if ((rc = sl_plan_io_serde(o, true, &q->out_key, err)) != SL_OK ||
		    (rc = sl_plan_io_serde(o, false, &q->out_value, err)) != SL_OK)
			goto fail;
	}
	if ((rc = sl_plan_io_serde(in, true, &q->in_key, err)) != SL_OK ||
	    (rc = sl_plan_io_serde(in, false, &q->in_value, err)) != SL_OK)
		goto fail;
	if ((!env->fed || an->aggregate) && (rc = offsets_open(q, err)) != SL_OK)
		goto fail;
	if (env->fed) {
		if (an->aggregate && (rc = sl_agg_create(q, err)) != SL_OK)
			goto fail;
		*out = q;
		return SL_OK;
	}
	rc = sl_kafka_consumer_create(env->kafka, plan->query_id, env->reset, &q->consumer, err);
	if (rc != SL_OK)
		goto fail;
	int parts = 0, ntps = 0;
	for (int i = 0; i < plan->ninputs; i++) {
		if ((rc = sl_kafka_topic_describe(env->kafka, plan->inputs[i].topic, &parts, NULL,
						  err)) != SL_OK)
			goto fail;
		plan->inputs[i].partitions = parts;
		ntps += parts;
	}
	if (plan->inputs != &plan->input) {
		/* a join: stream time is kept per partition of any source */
		plan->input.partitions = 0;
		for (int i = 0; i < plan->ninputs; i++)
			if (plan->inputs[i].partitions > plan->input.partitions)
				plan->input.partitions = plan->inputs[i].partitions;
		if ((rc = sl_join_create(q, err)) != SL_OK)
			goto fail;
	}
	if (an->aggregate && (rc = sl_agg_create(q, err)) != SL_OK)
		goto fail;
	/* a table without aggregation is kept in SQLite too */
	if (!an->aggregate && (in->window_type == SL_WIN_NONE || plan->ninputs > 1) &&
	    ((plan->has_output && plan->output.kind == SL_OBJ_TABLE) ||
	     (!plan->has_output && env->materialize)) &&
	    (rc = sl_mat_create(q, plan->has_output ? plan->output.name : in->name, err)) != SL_OK)
		goto fail;
	tps = calloc((size_t)ntps + 1, sizeof(*tps));
	if (tps == NULL)
		abort();
	ntps = 0;
	for (int i = 0; i < plan->ninputs; i++) {
		const sl_plan_io_t *io = &plan->inputs[i];
		/* the tables a join looks rows up in are read from the start */
		bool whole = plan->ninputs > 1 && io->kind == SL_OBJ_TABLE;
		for (int p = 0; p < io->partitions; p++) {
			sl_kafka_tp_t *tp = &tps[ntps++];
			tp->topic = io->topic;
			tp->partition = p;
			tp->offset = offsets_get(q, io->topic, p);
			if (tp->offset == SL_KAFKA_OFFSET_INVALID && whole)
				tp->offset = SL_KAFKA_OFFSET_BEGINNING;
			/* "latest" is the end as it is when the query starts, not
			 * wherever the end is when the fetcher gets there */
			int64_t lo, hi;
			sl_error_t e;
			if (tp->offset == SL_KAFKA_OFFSET_INVALID && env->reset == SL_KAFKA_OFFSET_END &&
			    sl_kafka_consumer_watermarks(q->consumer, io->topic, p, 5000, &lo, &hi,
							 &e) == SL_OK)
				tp->offset = hi;
		}
	}
	rc = sl_kafka_consumer_assign(q->consumer, tps, (size_t)ntps, err);
	free(tps);
	if (rc != SL_OK)
		goto fail;
	q->seen = sl_kafka_producer_failures(env->producer);
	*out = q;
	return SL_OK;
fail:
	sl_query_destroy(q);
	return rc;
}

void
sl_query_destroy(sl_query_t *q)
{
	if (q == NULL)
		return;
	if (q->consumer != NULL && q->dirty)
		sl_query_commit(q, 5000, NULL);
	sl_kafka_consumer_destroy(q->consumer);
	sl_agg_destroy(q->agg);
	sl_mat_destroy(q->mat);
	sl_join_destroy(q->join);
	if (q->db != NULL) {
		if (q->in_tx)
			sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(q->db);
	}
	sl_serde_destroy(q->in_key);
	sl_serde_destroy(q->in_value);
	sl_serde_destroy(q->out_key);
	sl_serde_destroy(q->out_value);
	sl_plan_destroy(q->plan);
	sl_arena_destroy(&q->batch);
	sl_strbuf_free(&q->kbuf);
	sl_strbuf_free(&q->vbuf);
	free(q->row);
	free(q->out);
	free(q->vals);
	free(q->vmap);
	free(q->msgs);
	free(q->subs);
	pthread_mutex_destroy(&q->subs_lock);
	free(q);
}

void
sl_query_subscribe(sl_query_t *q, sl_query_t *sub)
{
	pthread_mutex_lock(&q->subs_lock);
	int n = atomic_load(&q->nsubs);
	if (n == q->capsubs) {
		int cap = q->capsubs ? q->capsubs * 2 : 8;
		sl_query_t **v = realloc(q->subs, sizeof(*v) * (size_t)cap);
		if (v == NULL)
			abort();
		q->subs = v;
		q->capsubs = cap;
	}
	q->subs[n] = sub;
	atomic_store(&q->nsubs, n + 1);
	pthread_mutex_unlock(&q->subs_lock);
}

void
sl_query_unsubscribe(sl_query_t *q, sl_query_t *sub)
{
	pthread_mutex_lock(&q->subs_lock);
	int n = atomic_load(&q->nsubs);
	for (int i = 0; i < n; i++) {
		if (q->subs[i] == sub) {
			q->subs[i] = q->subs[n - 1];
			atomic_store(&q->nsubs, n - 1);
			break;
		}
	}
	pthread_mutex_unlock(&q->subs_lock);
}

int
sl_query_nsubscribers(sl_query_t *q)
{
	return atomic_load(&q->nsubs);
}

int
sl_query_feed(sl_query_t *q, const void *key, size_t key_len, const void *value,
	      size_t value_len, int64_t ts, sl_error_t *err)
{
	rd_kafka_message_t m = {
		.payload = (void *)value, .len = value_len, .key = (void *)key, .key_len = key_len,
		.partition = 0, .offset = -1,
	};
	q->feeding = true;
	q->feed_ts = ts;
	int rc = op_source(q, &m, err);
	q->feeding = false;
	sl_arena_reset(&q->batch);
	return rc;
}

int64_t
sl_query_idle_ms(const sl_query_t *q)
{
	return q->agg != NULL && q->an->emit == SL_EMIT_FINAL ? q->env.emit_final_idle_ms : 0;
}

int
sl_query_tick(sl_query_t *q, sl_error_t *err)
{
	if (q->agg == NULL)
		return SL_OK;
	int rc = sl_agg_tick(q, 0, err);
	sl_arena_reset(&q->batch);
	q->dirty = true;
	return rc;
}

const sl_plan_t *
sl_query_plan(const sl_query_t *q)
{
	return q->plan;
}

uint64_t
sl_query_records_in(const sl_query_t *q)
{
	return q->in;
}

uint64_t
sl_query_records_out(const sl_query_t *q)
{
	return q->produced;
}

/* ------------------------------------------------------------- operators */

/* Hands one record to every subscriber; a subscriber's failure is its
 * own (it is logged, the feeding query goes on). */
static void
feed_subscribers(sl_query_t *q, const void *key, size_t key_len, const void *value,
		 size_t value_len, int64_t ts)
{
	sl_error_t e;

	pthread_mutex_lock(&q->subs_lock);
	for (int i = 0; i < atomic_load(&q->nsubs); i++)
		if (sl_query_feed(q->subs[i], key, key_len, value, value_len, ts, &e) != SL_OK)
			fprintf(stderr, "sluice: push query %s: %s\n", q->subs[i]->plan->query_id,
				e.msg);
	pthread_mutex_unlock(&q->subs_lock);
}

/* sink: encodes out[] and produces it. */
int
sl_exec_sink(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
	sl_error_t *err)
{
	const sl_analysis_t *an = q->an;
	sl_error_t e;
	int krc, vrc;

	if (q->env.emit != NULL) {
		q->produced++;
		q->env.emit(q->env.emit_ctx, q->out, an->nout, ts, value_null, q->out_wstart,
			    q->out_wend);
		return SL_OK;
	}
	if (!q->plan->has_output)
		return q->mat != NULL ? sl_mat_write(q, value_null, ts, err) : SL_OK;
	sl_strbuf_reset(&q->kbuf);
	sl_strbuf_reset(&q->vbuf);
	/* a key copied from a null input key stays null (PARTITION BY
	 * computes a new key, which is written even when its columns are) */
	bool key_null = an->nkeys == 0 || (!an->partitioned && !an->aggregate && q->in_key_null);
	krc = sl_serde_encode(q->out_key, key_null ? NULL : q->out, &q->kbuf, &e);
	if (krc < 0) {
		sl_exec_processing_log(q, "SERIALIZATION_ERROR", m, e.msg);
		return SL_OK;
	}
	if (q->plan->output.window_type != SL_WIN_NONE) {
		sl_serde_window_put(&q->kbuf, q->plan->output.window_type == SL_WIN_SESSION,
				    q->out_wstart, q->out_wend);
		krc = SL_OK;
	}
	vrc = value_null ? SL_SERDE_NULL :
	      sl_serde_encode(q->out_value, q->out + an->nkeys, &q->vbuf, &e);
	if (vrc < 0) {
		sl_exec_processing_log(q, "SERIALIZATION_ERROR", m, e.msg);
		return SL_OK;
	}
	if (q->out_ts_col >= 0) {
		const sl_value_t *tv = &q->out[q->out_ts_col];
		if (sl_value_is_null(tv)) {
			sl_exec_processing_log(q, "TIMESTAMP_ERROR", m, "the timestamp column is NULL");
			return SL_OK;
		}
		if (tv->kind == SL_T_STRING) {
			sl_value_t parsed;
			sl_eval_ctx_t ctx = {.row = q->out, .arena = &q->batch, .err = &e};
			if (q->plan->out_event_time == NULL ||
			    sl_expr_eval(q->plan->out_event_time, &ctx, &parsed) != SL_OK ||
			    sl_value_is_null(&parsed)) {
				sl_exec_processing_log(q, "TIMESTAMP_ERROR", m,
					       "cannot parse the TIMESTAMP column with TIMESTAMP_FORMAT");
				return SL_OK;
			}
			ts = parsed.u.l;
		} else {
			ts = tv->kind == SL_T_INT ? tv->u.i : tv->u.l;
		}
		if (ts < 0) {
			sl_exec_processing_log(q, "TIMESTAMP_ERROR", m,
				       "negative output timestamp: record skipped");
			return SL_OK;
		}
	}
	/* the input record's headers travel with its results, as in ksqlDB */
	rd_kafka_headers_t *hdrs = NULL;
	sl_kafka_header_t *hv = NULL;
	size_t nh = 0;
	if (m != NULL && !q->feeding &&
	    sl_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    (nh = rd_kafka_header_cnt(hdrs)) > 0) {
		hv = sl_arena_alloc(&q->batch, sizeof(*hv) * nh);
		for (size_t h = 0; h < nh; h++)
			rd_kafka_header_get_all(hdrs, h, &hv[h].name, &hv[h].value, &hv[h].len);
	}
	sl_kafka_record_t rec = {
		.headers = hv,
		.nheaders = nh,
		.topic = q->plan->output.topic,
		.partition = SL_KAFKA_PARTITION_ANY,
		.key = krc == SL_SERDE_NULL ? NULL : q->kbuf.data,
		.key_len = krc == SL_SERDE_NULL ? 0 : q->kbuf.len,
		.value = vrc == SL_SERDE_NULL ? NULL : q->vbuf.data,
		.value_len = vrc == SL_SERDE_NULL ? 0 : q->vbuf.len,
		.timestamp = ts,
	};
	int rc = sl_kafka_producer_produce(q->env.producer, &rec, err);
	if (rc != SL_OK)
		return rc;
	q->produced++;
	if (atomic_load(&q->nsubs) > 0)
		feed_subscribers(q, rec.key, rec.key_len, rec.value, rec.value_len, ts);
	if (q->mat != NULL)
		return sl_mat_write(q, value_null, ts, err);
	return SL_OK;
}

/* project: evaluates the output columns over q->row into q->out. */
static int
op_project(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
	   sl_error_t *err)
{
	const sl_analysis_t *an = q->an;
	sl_error_t e;
	sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = &e};

	for (int i = 0; i < an->nout; i++) {
		int before = ctx.errors;
		/* a push query shows a deleted row's key and window columns,
		 * whatever their place in its projection */
		if (value_null && !an->out[i].key && q->env.emit == NULL) {
			q->out[i] = sl_value_null();
			continue;
		}
		/* a failed function call yields NULL and counts an error; a failed
		 * cast or operator fails the whole expression: both are logged */
		if (sl_expr_eval(an->out[i].expr, &ctx, &q->out[i]) != SL_OK)
			q->out[i] = sl_value_null();
		if (ctx.errors != before) {
			char msg[SL_ERROR_MSG_MAX + 64];
			snprintf(msg, sizeof(msg), "column %s: %s", an->out[i].name, e.msg);
			sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, msg);
		}
	}
	return sl_exec_sink(q, m, ts, value_null, err);
}

/* Calls table function tf over the current row; *out is an ARRAY or NULL. */
static int
call_tablefn(sl_query_t *q, const sl_tablefn_t *tf, sl_value_t *out, sl_error_t *e)
{
	sl_value_t args[tf->argc > 0 ? tf->argc : 1];
	sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = e};
	bool any_null = false;
	int rc;

	for (int i = 0; i < tf->argc; i++) {
		sl_value_t v;
		if ((rc = sl_expr_eval(tf->args[i], &ctx, &v)) != SL_OK)
			return rc;
		const sl_type_t *from = sl_expr_type(tf->args[i]);
		if (!sl_type_equal(from, tf->bind.argt[i]) && from->kind != SL_T_NULL &&
		    (rc = sl_cast_value(&v, from, tf->bind.argt[i], &q->batch, &v, e)) != SL_OK)
			return rc;
		any_null |= sl_value_is_null(&v);
		args[i] = v;
	}
	if (any_null && !(tf->bind.variant->flags & SL_FV_NULL_CALL)) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_fcall_t call = {
		.arena = &q->batch, .argc = tf->argc, .argt = tf->bind.argt, .ret = tf->bind.ret,
		.state = tf->bind.state, .func = tf->bind.func,
	};
	return tf->bind.variant->fn(&call, tf->argc, args, out);
}

/* tablefn: one projection per element of the table functions' results. */
static int
op_tablefn(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, sl_error_t *err)
{
	const sl_analysis_t *an = q->an;
	sl_value_t res[an->ntf];
	int rows = 0, rc;

	for (int i = 0; i < an->ntf; i++) {
		sl_error_t e;
		if (call_tablefn(q, &an->tf[i], &res[i], &e) != SL_OK) {
			sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
			return SL_OK;
		}
		if (!sl_value_is_null(&res[i]) && res[i].u.list->n > rows)
			rows = res[i].u.list->n;
	}
	for (int r = 0; r < rows; r++) {
		for (int i = 0; i < an->ntf; i++) {
			const sl_value_t *arr = &res[i];
			q->row[an->tf[i].slot] = (!sl_value_is_null(arr) && r < arr->u.list->n) ?
						 arr->u.list->items[r] : sl_value_null();
		}
		if ((rc = op_project(q, m, ts, false, err)) != SL_OK)
			return rc;
	}
	return SL_OK;
}

int
sl_exec_decode_value(sl_query_t *q, const void *bytes, size_t len, sl_value_t *row,
		     sl_error_t *e)
{
	int rc = sl_serde_decode(q->in_value, bytes, len, &q->batch, q->vals, e);
	if (rc < 0)
		return rc;
	for (int i = 0; i < q->nvals; i++)
		row[q->vmap[i]] = rc == SL_SERDE_NULL ? sl_value_null() : q->vals[i];
	return rc;
}

/* Fills the header columns of row: all headers, or the last one with a
 * key (a fed record has none). */
void
sl_exec_headers(sl_query_t *q, const rd_kafka_message_t *m, const sl_plan_io_t *in,
		sl_value_t *row)
{
	for (int i = 0; i < in->ncols; i++)
		if (in->cols[i].ns == SL_COL_HEADERS || in->cols[i].ns == SL_COL_HEADER)
			row[i] = sl_value_null();
	rd_kafka_headers_t *hdrs = NULL;
	if (!q->feeding &&
	    sl_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		size_t nh = rd_kafka_header_cnt(hdrs);
		for (int i = 0; i < in->ncols; i++) {
			const sl_column_t *col = &in->cols[i];
			if (col->ns == SL_COL_HEADERS) {
				sl_value_t arr = sl_value_list(&q->batch, SL_T_ARRAY, (int32_t)nh);
				for (size_t h = 0; h < nh; h++) {
					const char *name;
					const void *val;
					size_t vlen;
					rd_kafka_header_get_all(hdrs, h, &name, &val, &vlen);
					sl_value_t st = sl_value_list(&q->batch, SL_T_STRUCT, 2);
					st.u.list->items[0] = sl_value_string(name, (int32_t)strlen(name));
					st.u.list->items[1] = val ? sl_value_bytes(val, (int32_t)vlen) :
								    sl_value_null();
					arr.u.list->items[h] = st;
				}
				row[i] = arr;
			} else if (col->ns == SL_COL_HEADER) {
				const void *val;
				size_t vlen;
				if (rd_kafka_header_get_last(hdrs, col->header_key, &val, &vlen) ==
					    RD_KAFKA_RESP_ERR_NO_ERROR && val != NULL)
					row[i] = sl_value_bytes(val, (int32_t)vlen);
			}
		}
	} else {
		for (int i = 0; i < in->ncols; i++)
			if (in->cols[i].ns == SL_COL_HEADERS)
				row[i] = sl_value_list(&q->batch, SL_T_ARRAY, 0);
	}
}

bool
sl_exec_event_time(sl_query_t *q, const rd_kafka_message_t *m, const sl_plan_io_t *in,
		   const sl_value_t *cols, const sl_expr_t *parse, bool value_null, int64_t *ts)
{
	sl_error_t e;

	if (in->timestamp_col >= 0 && !value_null) {
		const sl_value_t *tv = &cols[in->timestamp_col];
		if (sl_value_is_null(tv)) {
			sl_exec_processing_log(q, "TIMESTAMP_ERROR", m, "the TIMESTAMP column is NULL");
			return false;
		}
		if (tv->kind == SL_T_STRING) {
			sl_value_t parsed;
			sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = &e};
			if (parse == NULL || sl_expr_eval(parse, &ctx, &parsed) != SL_OK ||
			    sl_value_is_null(&parsed)) {
				sl_exec_processing_log(q, "TIMESTAMP_ERROR", m,
					       "cannot parse the TIMESTAMP column with TIMESTAMP_FORMAT");
				return false;
			}
			*ts = parsed.u.l;
		} else {
			*ts = tv->kind == SL_T_INT ? tv->u.i : tv->u.l;
		}
	}
	if (*ts < 0) {
		sl_exec_processing_log(q, "TIMESTAMP_ERROR", m, "negative event time: record skipped");
		return false;
	}
	return true;
}

/* source + filter: decodes one message into the row and pushes it on. */
static int
op_source(sl_query_t *q, const rd_kafka_message_t *m, sl_error_t *err)
{
	const sl_plan_io_t *in = &q->plan->input;
	const sl_analysis_t *an = q->an;
	sl_error_t e;
	int64_t ts;
	bool value_null;
	int rc;

	if (q->join != NULL) {
		int s = m->rkt != NULL ? sl_join_source_of(q, rd_kafka_topic_name(m->rkt)) : -1;
		return s < 0 ? SL_OK : sl_join_source(q, s, m, err);
	}
	q->in++;
	q->in_key_null = m->key == NULL;
	if ((q->env.materialize || q->env.tap) && atomic_load(&q->nsubs) > 0)
		feed_subscribers(q, m->key, m->key_len, m->payload, m->len,
				 sl_kafka_message_timestamp(q->env.kafka, m));
	if (q->env.tap)
		return SL_OK;
	const void *key = m->key;
	size_t key_len = m->key_len;
	if (in->window_type != SL_WIN_NONE && an->windowstart >= 0) {
		int64_t start, end;
		if (!sl_serde_window_get(m->key, m->key_len, in->window_type == SL_WIN_SESSION,
					 in->window_size_ms, &key_len, &start, &end)) {
			sl_exec_processing_log(q, "DESERIALIZATION_ERROR", m,
					       "a windowed key is too short to hold its window");
			return SL_OK;
		}
		q->row[an->windowstart] = sl_value_bigint(start);
		q->row[an->windowend] = sl_value_bigint(end);
		q->out_wstart = start;
		q->out_wend = end;
	}
	if (in->nkeys > 0) {
		rc = sl_serde_decode(q->in_key, key, key_len, &q->batch, q->row, &e);
		if (rc < 0) {
			sl_exec_processing_log(q, "DESERIALIZATION_ERROR", m, e.msg);
			return SL_OK;
		}
	}
	rc = sl_exec_decode_value(q, m->payload, m->len, q->row, &e);
	if (rc < 0) {
		sl_exec_processing_log(q, "DESERIALIZATION_ERROR", m, e.msg);
		return SL_OK;
	}
	value_null = rc == SL_SERDE_NULL;
	/* a push query on a stream skips records without a value, as
	 * ksqlDB's do; fed by a persistent query (ksqlDB's scalable push
	 * queries), also those without a key */
	if (q->env.emit != NULL && in->kind == SL_OBJ_STREAM && !q->an->aggregate &&
	    (value_null || (q->feeding && m->key == NULL && in->nkeys > 0)))
		return SL_OK;
	if (in->ncols > in->nkeys + q->nvals)
		sl_exec_headers(q, m, in, q->row);
	ts = q->feeding ? q->feed_ts : sl_kafka_message_timestamp(q->env.kafka, m);
	if (!sl_exec_event_time(q, m, in, q->row, an->event_time, value_null, &ts))
		return SL_OK;
	q->row[an->rowtime] = sl_value_bigint(ts);
	q->row[an->rowpartition] = sl_value_int(m->partition);
	q->row[an->rowoffset] = sl_value_bigint(m->offset);

	bool table = in->kind == SL_OBJ_TABLE;
	if (table) {
		/* a table's changelog: a row without a key cannot be upserted */
		bool key_null = true;
		for (int i = 0; i < in->nkeys && key_null; i++)
			key_null = sl_value_is_null(&q->row[i]);
		if (key_null)
			return SL_OK;
	}
	return sl_exec_row(q, m, ts, value_null, table, err);
}

int
sl_exec_row(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null, bool table,
	    sl_error_t *err)
{
	const sl_analysis_t *an = q->an;
	sl_error_t e;

	if (an->where != NULL && !value_null) {
		bool pass;
		sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = &e};
		if (sl_expr_eval_bool(an->where, &ctx, &pass) != SL_OK) {
			sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
			pass = false;
		}
		/* a table row that no longer passes is deleted downstream; a
		 * push query shows only the rows that pass */
		if (!pass && (!table || q->env.emit != NULL))
			return SL_OK;
		if (!pass)
			value_null = true;
	} else if (an->where != NULL && value_null && !table) {
		return SL_OK;
	}
	return sl_exec_filtered(q, m, ts, value_null, err);
}

int
sl_exec_filtered(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
		 sl_error_t *err)
{
	const sl_analysis_t *an = q->an;

	if (q->agg != NULL)
		return sl_agg_process(q, m, ts, value_null, err);
	if (an->ntf > 0 && !value_null)
		return op_tablefn(q, m, ts, err);
	return op_project(q, m, ts, value_null, err);
}

/* ------------------------------------------------------------------ run */

int
sl_query_run_once(sl_query_t *q, int timeout_ms, size_t *n, sl_error_t *err)
{
	size_t got = 0;
	int rc, prc;

	*n = 0;
	if (q->join != NULL) {
		prc = sl_join_run(q, timeout_ms, &got, err);
		if (prc != SL_OK) {
			sl_arena_reset(&q->batch);
			return prc;
		}
		goto processed;
	}
	prc = sl_kafka_consumer_poll(q->consumer, q->msgs, (size_t)q->batch_size, timeout_ms, &got,
				     err);
	if (prc == SL_ERR)
		return prc;
	for (size_t i = 0; i < got; i++) {
		rc = op_source(q, q->msgs[i], err);
		if (rc != SL_OK) {
			sl_kafka_messages_destroy(q->msgs + i, got - i);
			sl_arena_reset(&q->batch);
			return rc;
		}
		rd_kafka_message_destroy(q->msgs[i]);
	}
processed:
	if (q->agg != NULL && (rc = sl_agg_tick(q, got, err)) != SL_OK) {
		sl_arena_reset(&q->batch);
		return rc;
	}
	sl_arena_reset(&q->batch);
	if (got > 0 || (q->agg != NULL && q->in_tx))
		q->dirty = true;
	*n = got;
	if ((rc = sl_kafka_producer_poll(q->env.producer, &q->seen, err)) != SL_OK)
		return rc;
	return SL_OK;
}

int
sl_query_commit(sl_query_t *q, int timeout_ms, sl_error_t *err)
{
	struct timespec t0, t1;
	int rc;

	if (q->env.tap)
		return SL_OK; /* a tap keeps no state and writes nothing */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* rows collapsed by record caching go out first; everything produced
	 * is delivered before the state and offsets that produced it are
	 * committed, so a crash repeats output but never loses it */
	if (q->agg != NULL && (rc = sl_agg_emit(q, err)) != SL_OK)
		return rc;
	sl_arena_reset(&q->batch);
	if ((rc = sl_kafka_producer_flush(q->env.producer, timeout_ms, &q->seen, err)) != SL_OK)
		return rc;
	if ((rc = offsets_store(q, err)) != SL_OK)
		return rc;
	q->dirty = false;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	q->commit_seconds_last = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	q->commit_seconds_total += q->commit_seconds_last;
	q->commits++;
	return SL_OK;
}

void
sl_query_stats(sl_query_t *q, sl_query_stats_t *st)
{
	memset(st, 0, sizeof(*st));
	st->records_in = q->in;
	st->records_out = q->produced;
	st->late_records = sl_agg_late(q->agg);
	st->commits = q->commits;
	st->commit_seconds_total = q->commit_seconds_total;
	st->commit_seconds_last = q->commit_seconds_last;
	st->lag = -1;
	if (q->consumer == NULL)
		return;
	st->lag = 0;
	for (int i = 0; i < q->plan->ninputs; i++) {
		const char *topic = q->plan->inputs[i].topic;
		for (int p = 0; p < q->plan->inputs[i].partitions; p++) {
			int64_t lo, hi, pos;
			sl_error_t e;
			if (sl_kafka_consumer_watermarks(q->consumer, topic, p, 1000, &lo, &hi, &e) !=
			    SL_OK) {
				st->lag = -1;
				return;
			}
			pos = sl_kafka_consumer_position(q->consumer, topic, p);
			if (pos < 0)
				pos = lo;
			if (hi > pos)
				st->lag += hi - pos;
		}
	}
}

int
sl_query_caught_up(sl_query_t *q, bool *done, sl_error_t *err)
{
	int rc = sl_kafka_consumer_caught_up(q->consumer, 5000, done, err);
	if (rc == SL_OK && *done && q->join != NULL)
		*done = sl_join_idle(q);
	return rc;
}
