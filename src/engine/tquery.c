/*
 * tquery.c: transient queries, the push and pull queries of the HTTP API
 * and the shell (engine.h: sl_engine_query and sl_tquery_*).
 *
 * Stage: engine.  A SELECT on its own is parsed and analyzed like the
 * SELECT of a persistent query, then:
 *
 * - pull on a table (no EMIT): answered at once from the SQLite table that
 *   the query writing the table keeps (pull.c);
 * - pull on a stream: a bounded scan, an exec query reading the topic from
 *   the start until it has caught up with its end, run on the caller's
 *   thread;
 * - push (EMIT CHANGES): an exec query whose rows go to the tquery's
 *   buffer instead of Kafka.  From now (auto.offset.reset=latest, the
 *   default) on a source that a running persistent query writes, it is
 *   fed by that query (sl_query_subscribe): no consumer of its own, and it
 *   runs on the feeding query's thread.  Otherwise it runs its own
 *   consumer on its own thread.
 *
 * Rows wait, rendered as JSON arrays, in the tquery's buffer until the
 * caller takes them; a buffer over sluice.push.buffer.bytes ends the query
 * (FAILED): a slow client never stalls the query that feeds it.
 *
 * Locks, in the order they are taken: eng->lock (statements),
 * eng->tq_lock (the registry of tqueries and who feeds whom), the feeding
 * query's subscriber lock, a tquery's own mutex.
 */
#include "engine/internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec/query.h"
#include "expr/cast.h"
#include "format/serde.h"
#include "parse/parser.h"
#include "plan/plan.h"
#include "util/strbuf.h"

#define TQ_DEFAULT_BUFFER (4u << 20)

/* Frame of one buffered row: its length, whether it is a tombstone, then
 * the JSON text. */
typedef struct frame {
	uint32_t len;
	uint8_t tombstone;
} frame_t;

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------- columns */

/* Records the output columns of an (their ksqlDB types, the header). */
void
sl_tquery_set_columns(sl_tquery_t *t, const sl_analysis_t *an)
{
	sl_strbuf_t sb, schema;

	t->ncols = 0;
	t->cols = sl_arena_calloc(&t->arena, sizeof(*t->cols) * (size_t)(an->nout + 1));
	for (int i = 0; i < an->nout; i++)
		if (!an->out[i].hidden)
			t->cols[t->ncols++] = i;
	/* the projection's order, as ksqlDB shows it (the analysis puts the
	 * keys first); the items of one * keep theirs */
	for (int i = 1; i < t->ncols; i++) {
		int c = t->cols[i], j = i;
		while (j > 0 && an->out[t->cols[j - 1]].loc > an->out[c].loc) {
			t->cols[j] = t->cols[j - 1];
			j--;
		}
		t->cols[j] = c;
	}
	t->names = sl_arena_calloc(&t->arena, sizeof(*t->names) * (size_t)(an->nout + 1));
	t->types = sl_arena_calloc(&t->arena, sizeof(*t->types) * (size_t)(an->nout + 1));
	t->ctypes = sl_arena_calloc(&t->arena, sizeof(*t->ctypes) * (size_t)(an->nout + 1));
	t->keys = sl_arena_calloc(&t->arena, sizeof(*t->keys) * (size_t)(an->nout + 1));
	sl_strbuf_init(&sb);
	sl_strbuf_init(&schema);
	for (int i = 0; i < t->ncols; i++) {
		const sl_out_col_t *oc = &an->out[t->cols[i]];
		sl_strbuf_reset(&sb);
		sl_type_format(&sb, oc->type);
		t->names[i] = sl_arena_strdup(&t->arena, oc->name);
		t->types[i] = sl_arena_strdup(&t->arena, sb.data);
		t->ctypes[i] = sl_type_copy(&t->arena, oc->type);
		t->keys[i] = t->pull && !t->scan && (oc->key ||
					 (an->from->window_type != SL_WIN_NONE && !an->aggregate &&
					  (strcmp(t->names[i], "WINDOWSTART") == 0 ||
					   strcmp(t->names[i], "WINDOWEND") == 0)));
		if (i > 0)
			sl_strbuf_puts(&schema, ", ");
		sl_strbuf_printf(&schema, "`%s` %s%s", t->names[i], t->types[i],
				 t->keys[i] ? " KEY" : "");
	}
	t->schema = sl_arena_strdup(&t->arena, schema.data ? schema.data : "");
	sl_strbuf_free(&sb);
	sl_strbuf_free(&schema);
}

/* Appends v as the REST API writes a column: as the JSON serializer
 * does, but TIMESTAMP, DATE and TIME as ksqlDB's strings. */
static void
render_value(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t, sl_arena_t *a)
{
	if (!sl_value_is_null(v) &&
	    (t->kind == SL_T_TIMESTAMP || t->kind == SL_T_DATE || t->kind == SL_T_TIME)) {
		sl_value_t s;
		sl_error_t e;
		if (sl_cast_value(v, t, sl_type_string(), a, &s, &e) == SL_OK) {
			sl_serde_json_value(out, &s, sl_type_string());
			return;
		}
	}
	sl_serde_json_value(out, v, t);
}

void
sl_tquery_render_row(sl_tquery_t *t, const sl_value_t *out, sl_strbuf_t *sb, sl_arena_t *a)
{
	sl_strbuf_putc(sb, '[');
	for (int i = 0; i < t->ncols; i++) {
		if (i > 0)
			sl_strbuf_putc(sb, ',');
		render_value(sb, &out[t->cols[i]], t->ctypes[i], a);
	}
	sl_strbuf_putc(sb, ']');
}

/* ------------------------------------------------------------- buffer */

/* Calls the notify callback fn taken (and counted in notifying) under
 * t->mu; sl_tquery_close() waits for such calls to finish. */
static void
notify_done(sl_tquery_t *t, void (*fn)(void *), void *ctx)
{
	if (fn == NULL)
		return;
	fn(ctx);
	pthread_mutex_lock(&t->mu);
	t->notifying--;
	pthread_mutex_unlock(&t->mu);
}

/* Ends t with state (once: the first end wins) and wakes its taker. */
void
sl_tquery_end(sl_tquery_t *t, sl_tq_state_t state, const char *error)
{
	pthread_mutex_lock(&t->mu);
	if (t->end == SL_TQ_RUNNING) {
		t->end = state;
		if (error != NULL)
			snprintf(t->error, sizeof(t->error), "%s", error);
	}
	void (*fn)(void *) = t->notify;
	void *ctx = t->nctx;
	if (fn != NULL)
		t->notifying++;
	pthread_mutex_unlock(&t->mu);
	notify_done(t, fn, ctx);
}

/* Appends one rendered row; counts it against LIMIT and the bound. */
bool
sl_tquery_push(sl_tquery_t *t, const char *json, size_t len, bool tombstone)
{
	bool ended = false, accepted = false;
	frame_t f = {.len = (uint32_t)len, .tombstone = tombstone};

	pthread_mutex_lock(&t->mu);
	/* the taker is woken when rows start waiting, not for each row: it
	 * takes all that wait at once */
	bool was_empty = t->buf.len == t->head;
	if (t->end == SL_TQ_RUNNING) {
		if (!t->pull && t->buf.len - t->head + len > t->max_buffer) {
			t->end = SL_TQ_FAILED;
			snprintf(t->error, sizeof(t->error),
				 "push query %s dropped: the client did not read its rows fast "
				 "enough (more than %zu bytes waiting; sluice.push.buffer.bytes)",
				 t->id, t->max_buffer);
			ended = true;
		} else {
			if (t->head > 0 && t->head == t->buf.len) {
				sl_strbuf_reset(&t->buf);
				t->head = 0;
			}
			sl_strbuf_append(&t->buf, (const char *)&f, sizeof(f));
			sl_strbuf_append(&t->buf, json, len);
			accepted = true;
			t->emitted++;
			if (t->limit >= 0 && t->emitted >= t->limit) {
				t->end = SL_TQ_LIMIT;
				ended = true;
			}
		}
	}
	void (*fn)(void *) = (accepted && was_empty) || ended ? t->notify : NULL;
	void *ctx = t->nctx;
	if (fn != NULL)
		t->notifying++;
	pthread_mutex_unlock(&t->mu);
	notify_done(t, fn, ctx);
	return accepted;
}

/* exec's emit callback: one result row of a push query (or of a stream
 * scan). */
static void
on_row(void *ctx, const sl_value_t *out, int nout, int64_t ts, bool tombstone, int64_t wstart,
       int64_t wend)
{
	sl_tquery_t *t = ctx;
	(void)nout;
	(void)ts;
	(void)wstart;
	(void)wend;
	if (t->skip > 0) {
		t->skip--;
		return;
	}
	sl_strbuf_reset(&t->row);
	sl_tquery_render_row(t, out, &t->row, &t->scratch);
	sl_arena_reset(&t->scratch);
	sl_tquery_push(t, t->row.data, t->row.len, tombstone);
}

sl_tq_state_t
sl_tquery_take(sl_tquery_t *t, sl_tquery_row_fn fn, void *ctx, size_t max_bytes)
{
	sl_strbuf_t mine;
	sl_tq_state_t state;
	size_t head = 0;

	/* take the rows out under the lock, hand them on without it */
	sl_strbuf_init(&mine);
	pthread_mutex_lock(&t->mu);
	size_t avail = t->buf.len - t->head, n = 0;
	if (max_bytes == 0 || avail <= max_bytes) {
		n = avail;
	} else {
		while (n < avail) {
			frame_t f;
			memcpy(&f, t->buf.data + t->head + n, sizeof(f));
			if (n > 0 && n + sizeof(f) + f.len > max_bytes)
				break;
			n += sizeof(f) + f.len;
		}
	}
	if (n > 0) {
		sl_strbuf_append(&mine, t->buf.data + t->head, n);
		t->head += n;
		if (t->head == t->buf.len) {
			sl_strbuf_reset(&t->buf);
			t->head = 0;
		}
	}
	state = t->buf.len - t->head > 0 ? SL_TQ_RUNNING : t->end;
	pthread_mutex_unlock(&t->mu);
	while (head < mine.len) {
		frame_t f;
		memcpy(&f, mine.data + head, sizeof(f));
		head += sizeof(f);
		fn(ctx, mine.data + head, f.len, f.tombstone != 0);
		head += f.len;
	}
	sl_strbuf_free(&mine);
	return state;
}

/* ------------------------------------------------------------- accessors */

const char *sl_tquery_id(const sl_tquery_t *t) { return t->id; }
bool sl_tquery_is_pull(const sl_tquery_t *t) { return t->pull; }
bool sl_tquery_is_stream_scan(const sl_tquery_t *t) { return t->scan; }
int sl_tquery_ncols(const sl_tquery_t *t) { return t->ncols; }
const char *sl_tquery_col_name(const sl_tquery_t *t, int i) { return t->names[i]; }
const char *sl_tquery_col_type(const sl_tquery_t *t, int i) { return t->types[i]; }
bool sl_tquery_col_key(const sl_tquery_t *t, int i) { return t->keys[i]; }
const char *sl_tquery_schema(const sl_tquery_t *t) { return t->schema; }

const char *
sl_tquery_error(const sl_tquery_t *t)
{
	return t->error;
}

void
sl_tquery_set_notify(sl_tquery_t *t, void (*fn)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&t->mu);
	t->notify = fn;
	t->nctx = ctx;
	pthread_mutex_unlock(&t->mu);
}

/* ------------------------------------------------------------- lifecycle */

sl_tquery_t *
sl_tquery_new(sl_engine_t *eng, bool pull, const char *prefix, const char *source)
{
	sl_tquery_t *t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	t->eng = eng;
	t->pull = pull;
	t->limit = -1;
	sl_arena_init(&t->arena, 0);
	sl_arena_init(&t->scratch, 0);
	sl_strbuf_init(&t->buf);
	sl_strbuf_init(&t->row);
	pthread_mutex_init(&t->mu, NULL);
	t->max_buffer = (size_t)sl_props_get_int(&eng->props, "sluice.push.buffer.bytes",
						 TQ_DEFAULT_BUFFER);
	snprintf(t->id, sizeof(t->id), "%s%s_%" PRId64 "_%d", prefix, source ? source : "",
		 now_ms(), atomic_fetch_add(&eng->tq_seq, 1));
	return t;
}

static void
registry_add(sl_engine_t *eng, sl_tquery_t *t)
{
	pthread_mutex_lock(&eng->tq_lock);
	t->next = eng->tqueries;
	eng->tqueries = t;
	if (!t->pull)
		eng->npush++;
	t->registered = true;
	pthread_mutex_unlock(&eng->tq_lock);
}

static void tquery_free(sl_tquery_t *t);

void
sl_tquery_close(sl_tquery_t *t)
{
	sl_engine_t *eng = t->eng;

	if (t == NULL)
		return;
	pthread_mutex_lock(&eng->tq_lock);
	if (t->registered) {
		for (sl_tquery_t **p = &eng->tqueries; *p != NULL; p = &(*p)->next) {
			if (*p == t) {
				*p = t->next;
				break;
			}
		}
		if (!t->pull)
			eng->npush--;
		t->registered = false;
	}
	if (t->feeder != NULL) {
		sl_query_unsubscribe(t->feeder->q, t->q);
		t->feeder = NULL;
	}
	pthread_mutex_unlock(&eng->tq_lock);
	atomic_store(&t->stop, true);
	/* no notify call once this returns: wait out those under way */
	pthread_mutex_lock(&t->mu);
	t->notify = NULL;
	while (t->notifying > 0) {
		pthread_mutex_unlock(&t->mu);
		usleep(100);
		pthread_mutex_lock(&t->mu);
	}
	pthread_mutex_unlock(&t->mu);
	if (t->has_thread) {
		/* the worker frees the query when it sees the stop, unless it
		 * has finished already */
		pthread_mutex_lock(&t->mu);
		t->closed = true;
		t->notify = NULL;
		bool done = t->worker_done;
		pthread_mutex_unlock(&t->mu);
		if (!done) {
			pthread_detach(t->thread);
			return;
		}
		pthread_join(t->thread, NULL);
	}
	tquery_free(t);
}

/* Frees t and its runtime. */
static void
tquery_free(sl_tquery_t *t)
{
	sl_query_destroy(t->q);
	sl_strbuf_free(&t->buf);
	sl_strbuf_free(&t->row);
	sl_arena_destroy(&t->scratch);
	sl_arena_destroy(&t->arena);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

bool
sl_engine_close_query(sl_engine_t *eng, const char *id)
{
	sl_tquery_t *found = NULL;

	pthread_mutex_lock(&eng->tq_lock);
	for (sl_tquery_t *t = eng->tqueries; t != NULL; t = t->next) {
		if (!t->pull && strcmp(t->id, id) == 0) {
			found = t;
			if (t->feeder != NULL) {
				sl_query_unsubscribe(t->feeder->q, t->q);
				t->feeder = NULL;
			}
			sl_tquery_end(t, SL_TQ_CLOSED, NULL);
			break;
		}
	}
	pthread_mutex_unlock(&eng->tq_lock);
	return found != NULL;
}

int
sl_engine_push_queries(sl_engine_t *eng)
{
	pthread_mutex_lock(&eng->tq_lock);
	int n = eng->npush;
	pthread_mutex_unlock(&eng->tq_lock);
	return n;
}

void
sl_engine_detach_subscribers(sl_engine_t *eng, sl_running_t *r)
{
	pthread_mutex_lock(&eng->tq_lock);
	for (sl_tquery_t *t = eng->tqueries; t != NULL; t = t->next) {
		if (t->feeder == r) {
			sl_query_unsubscribe(r->q, t->q);
			t->feeder = NULL;
			sl_tquery_end(t, SL_TQ_CLOSED, NULL);
		}
	}
	pthread_mutex_unlock(&eng->tq_lock);
}

void
sl_engine_end_tqueries(sl_engine_t *eng)
{
	pthread_mutex_lock(&eng->tq_lock);
	for (sl_tquery_t *t = eng->tqueries; t != NULL; t = t->next) {
		if (t->feeder != NULL) {
			sl_query_unsubscribe(t->feeder->q, t->q);
			t->feeder = NULL;
		}
		atomic_store(&t->stop, true);
		sl_tquery_end(t, SL_TQ_CLOSED, NULL);
	}
	pthread_mutex_unlock(&eng->tq_lock);
}

/* ------------------------------------------------------------- push */

/* The thread of a push query with its own consumer. */
static void *
push_worker(void *arg)
{
	sl_tquery_t *t = arg;
	sl_error_t err;

	while (!atomic_load(&t->stop)) {
		size_t n;
		pthread_mutex_lock(&t->mu);
		bool over = t->end != SL_TQ_RUNNING;
		pthread_mutex_unlock(&t->mu);
		if (over)
			break;
		if (sl_query_run_once(t->q, 100, &n, &err) != SL_OK) {
			sl_tquery_end(t, SL_TQ_FAILED, err.msg);
			break;
		}
	}
	/* whoever comes last frees: a closed query's worker, or close() */
	pthread_mutex_lock(&t->mu);
	t->worker_done = true;
	bool closed = t->closed;
	pthread_mutex_unlock(&t->mu);
	if (closed) {
		/* close() detached this thread and left the freeing to it, or
		 * is about to join it: it joins only when worker_done was set
		 * first, which it was not (closed was) */
		tquery_free(t);
	}
	return NULL;
}

bool
sl_engine_is_query(const char *text, size_t len)
{
	size_t i = 0;

	for (;;) {
		while (i < len && isspace((unsigned char)text[i]))
			i++;
		if (i + 1 < len && text[i] == '-' && text[i + 1] == '-') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		if (i + 1 < len && text[i] == '/' && text[i + 1] == '*') {
			i += 2;
			while (i + 1 < len && !(text[i] == '*' && text[i + 1] == '/'))
				i++;
			i += 2;
			continue;
		}
		break;
	}
	return i + 6 <= len && strncasecmp(text + i, "SELECT", 6) == 0 &&
	       (i + 6 == len || !(isalnum((unsigned char)text[i + 6]) || text[i + 6] == '_'));
}

/* A property of the request, else the session, else the server. */
const char *
sl_tquery_prop(sl_engine_t *eng, sl_session_t *s, const sl_props_t *props, const char *name)
{
	const char *v = props ? sl_props_get(props, name) : NULL;
	if (v == NULL && s != NULL)
		v = sl_props_get(&s->props, name);
	if (v == NULL)
		v = sl_props_get(&eng->props, name);
	return v;
}

static bool
earliest(sl_engine_t *eng, sl_session_t *s, const sl_props_t *props)
{
	const char *v = sl_tquery_prop(eng, s, props, "auto.offset.reset");
	if (v == NULL)
		v = sl_tquery_prop(eng, s, props, "ksql.streams.auto.offset.reset");
	return v != NULL && strcasecmp(v, "earliest") == 0;
}

/* The running query that writes src and can feed a push query on it:
 * its writer, its materializer, or, when no query writes it, its tap;
 * NULL when the push query must read the topic itself. */
static sl_running_t *
feeder_of(sl_engine_t *eng, const sl_source_t *src)
{
	sl_error_t err;
	char buf[300];
	const char *id = src->query_id;

	for (int i = 0; i < src->ncols; i++)
		if (src->cols[i].ns == SL_COL_HEADERS || src->cols[i].ns == SL_COL_HEADER)
			return NULL; /* headers do not travel to subscribers */
	if (id == NULL && src->read_only && src->kind == SL_OBJ_TABLE)
		id = sl_engine_materializer_id(src, buf, sizeof(buf));
	if (id == NULL) {
		sl_running_t *tap = sl_engine_tap(eng, src, &err);
		if (tap == NULL)
			fprintf(stderr, "sluice: no tap on %s: %s\n", src->name, err.msg);
		return tap;
	}
	/* a source written by several queries (INSERT INTO) is read from Kafka */
	const char *ids[2];
	if (src->query_id != NULL && sl_engine_queries_using(eng, src->name, true, ids, 2) > 1)
		return NULL;
	sl_running_t *r = sl_engine_find_running(eng, id);
	if (r == NULL || atomic_load(&r->failed))
		return NULL;
	return r;
}

static int
start_push(sl_engine_t *eng, sl_session_t *s, const sl_props_t *props, const sl_node_t *select,
	   sl_tquery_t **out, sl_error_t *err)
{
	const sl_node_t *from = select->kids[1];
	const char *name = from->kind == SL_N_RELATION ? from->str : NULL;
	const sl_source_t *src = name ? sl_catalog_source(eng->cat, name) : NULL;
	sl_tquery_t *t = sl_tquery_new(eng, false, "transient_", src ? src->name : "");
	sl_plan_t *plan;
	int rc;

	rc = sl_plan_create(select, eng->cat, eng->reg, t->id, NULL, NULL, &plan, err);
	if (rc != SL_OK) {
		sl_tquery_close(t);
		return rc;
	}
	sl_tquery_set_columns(t, plan->an);
	t->limit = plan->an->limit;
	bool from_start = earliest(eng, s, props);
	sl_running_t *feeder = from_start || src == NULL ? NULL : feeder_of(eng, src);
	/* fed by a persistent query: what ksqlDB calls a scalable push query */
	if (feeder != NULL && strncmp(feeder->id, "TAP_", 4) != 0) {
		char id[sizeof(t->id)];
		snprintf(id, sizeof(id), "SCALABLE_PUSH_QUERY_%s", t->id + strlen("transient_"));
		snprintf(t->id, sizeof(t->id), "%s", id);
	}
	if (t->limit == 0) {
		/* nothing to wait for */
		sl_plan_destroy(plan);
		registry_add(eng, t);
		sl_tquery_end(t, SL_TQ_LIMIT, NULL);
		*out = t;
		return SL_OK;
	}
	sl_query_env_t env = {
		.kafka = eng->kafka,
		.producer = eng->producer,
		.state_dir = NULL,
		.reset = from_start ? SL_KAFKA_OFFSET_BEGINNING : SL_KAFKA_OFFSET_END,
		.errors = &eng->processing_errors,
		.processing_log_topic = eng->processing_log_topic,
		.emit = on_row,
		.emit_ctx = t,
		.fed = feeder != NULL,
		.cache_rows = (long)sl_props_get_int(&eng->props, "sluice.state.cache.rows", 0),
	};
	if ((rc = sl_query_create(&env, plan, &t->q, err)) != SL_OK) {
		sl_tquery_close(t);
		return rc;
	}
	registry_add(eng, t);
	if (feeder != NULL) {
		pthread_mutex_lock(&eng->tq_lock);
		t->feeder = feeder;
		sl_query_subscribe(feeder->q, t->q);
		pthread_mutex_unlock(&eng->tq_lock);
	} else {
		if (pthread_create(&t->thread, NULL, push_worker, t) != 0) {
			sl_tquery_close(t);
			return sl_error_set(err, SL_ERR, "cannot start a thread for a push query");
		}
		t->has_thread = true;
	}
	*out = t;
	return SL_OK;
}

/* ------------------------------------------------------------- pull on streams */

/* A bounded scan of a stream: from the start to the end it has now. */
static int
scan_stream(sl_engine_t *eng, const sl_node_t *select, sl_tquery_t *t, sl_error_t *err)
{
	sl_plan_t *plan;
	int rc;

	t->scan = true;
	rc = sl_plan_create(select, eng->cat, eng->reg, t->id, NULL, NULL, &plan, err);
	if (rc != SL_OK)
		return rc;
	if (plan->an->norder > 0) {
		int loc = select->kids[8]->loc;
		sl_plan_destroy(plan);
		return sl_error_at(err, SL_EINVAL, loc,
				   "ORDER BY sorts the rows of a table: a scan of a stream gives "
				   "them in the order of each partition");
	}
	sl_tquery_set_columns(t, plan->an);
	t->limit = plan->an->limit;
	t->skip = plan->an->offset;
	if (t->limit == 0) {
		sl_plan_destroy(plan);
		sl_tquery_end(t, SL_TQ_LIMIT, NULL);
		return SL_OK;
	}
	sl_query_env_t env = {
		.kafka = eng->kafka,
		.producer = eng->producer,
		.reset = SL_KAFKA_OFFSET_BEGINNING,
		.errors = &eng->processing_errors,
		.processing_log_topic = eng->processing_log_topic,
		.emit = on_row,
		.emit_ctx = t,
	};
	if ((rc = sl_query_create(&env, plan, &t->q, err)) != SL_OK)
		return rc;
	for (;;) {
		bool done = false;
		size_t n;
		if ((rc = sl_query_caught_up(t->q, &done, err)) != SL_OK)
			return rc;
		pthread_mutex_lock(&t->mu);
		bool over = t->end != SL_TQ_RUNNING;
		pthread_mutex_unlock(&t->mu);
		if (done || over)
			break;
		if ((rc = sl_query_run_once(t->q, 100, &n, err)) != SL_OK)
			return rc;
	}
	sl_tquery_end(t, SL_TQ_DONE, NULL);
	return SL_OK;
}

/* ------------------------------------------------------------- entry */

/* ksqlDB's rules for what a pull query may contain. */
static int
check_pull(const sl_node_t *select, sl_error_t *err)
{
	static const char hint[] = " See https://cnfl.io/queries for more info.\n"
				   "Add EMIT CHANGES if you intended to issue a push query.";
	if (select->kids[1]->kind == SL_N_JOIN)
		return sl_error_at(err, SL_EINVAL, select->kids[1]->loc,
				   "Pull queries don't support JOIN clauses.%s", hint);
	if (select->kids[2] != NULL)
		return sl_error_at(err, SL_EINVAL, select->kids[2]->loc,
				   "Pull queries don't support WINDOW clauses.%s", hint);
	if (select->kids[4] != NULL)
		return sl_error_at(err, SL_EINVAL, select->kids[4]->loc,
				   "Pull queries don't support GROUP BY clauses.%s", hint);
	if (select->kids[5] != NULL)
		return sl_error_at(err, SL_EINVAL, select->kids[5]->loc,
				   "Pull queries don't support PARTITION BY clauses.%s", hint);
	if (select->kids[6] != NULL)
		return sl_error_at(err, SL_EINVAL, select->kids[6]->loc,
				   "Pull queries don't support HAVING clauses.%s", hint);
	return SL_OK;
}

/* The first use of ROWPARTITION or ROWOFFSET under n, or NULL. */
static const sl_node_t *
find_row_meta(const sl_node_t *n)
{
	if (n == NULL)
		return NULL;
	if (n->kind == SL_N_COLUMN &&
	    (strcmp(n->str, "ROWPARTITION") == 0 || strcmp(n->str, "ROWOFFSET") == 0))
		return n;
	for (int i = 0; i < n->nkids; i++) {
		const sl_node_t *f = find_row_meta(n->kids[i]);
		if (f != NULL)
			return f;
	}
	return NULL;
}

int
sl_engine_query(sl_engine_t *eng, sl_session_t *s, const char *text, size_t len,
		const sl_props_t *props, sl_tquery_t **out, sl_exec_error_t *e)
{
	sl_arena_t a;
	sl_node_t *select;
	sl_error_t err;
	sl_tquery_t *t = NULL;
	char *sql;
	int rc;

	*out = NULL;
	sl_error_clear(&err);
	sl_arena_init(&a, 0);
	sql = sl_engine_substitute(text, len, &s->vars);
	if (sql == NULL)
		sql = strndup(text, len);
	/* a pull query on a table in server mode reads the catalog alone:
	 * pull queries run in parallel; everything else is a statement */
	rc = sl_parse_one(sql, strlen(sql), &a, &select, &err);
	bool shared = rc == SL_OK && select->kind == SL_N_SELECT && select->op == SL_EMIT_NONE &&
		      !eng->test_mode;
	if (shared) {
		pthread_rwlock_rdlock(&eng->catalog_lock);
	} else {
		pthread_mutex_lock(&eng->lock);
		pthread_rwlock_wrlock(&eng->catalog_lock);
	}
	if (rc == SL_OK && select->kind != SL_N_SELECT)
		rc = sl_error_at(&err, SL_EINVAL, select->loc,
				 "only a SELECT can run as a query: send other statements to "
				 "/ksql");
	if (rc != SL_OK)
		goto done;
	if (select->op != SL_EMIT_NONE) {
		rc = start_push(eng, s, props, select, &t, &err);
		goto done;
	}
	if ((rc = check_pull(select, &err)) != SL_OK)
		goto done;
	const sl_node_t *meta = find_row_meta(select->kids[0]);
	const char *where = "SELECT";
	if (meta == NULL) {
		meta = find_row_meta(select->kids[3]);
		where = "WHERE";
	}
	if (meta != NULL) {
		rc = sl_error_at(&err, SL_EINVAL, meta->loc,
				 "Pull queries don't support the following columns in %s clauses: "
				 "`%s`", where, meta->str);
		goto done;
	}
	const sl_node_t *from = select->kids[1];
	const sl_source_t *src = sl_catalog_source(eng->cat, from->str);
	if (src == NULL) {
		/* the analyzer says it as for any query */
		sl_analysis_t *an;
		rc = sl_analyze_query(select, eng->cat, eng->reg, NULL, &a, &an, &err);
		if (rc == SL_OK)
			rc = sl_error_at(&err, SL_ENOTFOUND, from->loc, "unknown source");
		goto done;
	}
	t = sl_tquery_new(eng, true, "query", "");
	if (src->kind == SL_OBJ_STREAM) {
		const char *en = sl_tquery_prop(eng, s, props, "ksql.query.pull.stream.enabled");
		if (en != NULL && strcasecmp(en, "false") == 0) {
			rc = sl_error_at(&err, SL_EINVAL, from->loc,
					 "Pull queries on streams are disabled. To create a push "
					 "query on the stream, add EMIT CHANGES to the end. To enable "
					 "pull queries on streams, set the "
					 "ksql.query.pull.stream.enabled config to 'true'.");
			goto done;
		}
		rc = scan_stream(eng, select, t, &err);
	} else {
		rc = sl_pull_table(eng, s, props, select, src, t, &err);
	}
done:
	pthread_rwlock_unlock(&eng->catalog_lock);
	if (!shared)
		pthread_mutex_unlock(&eng->lock);
	if (rc != SL_OK) {
		if (t != NULL)
			sl_tquery_close(t);
		e->err = err;
		if (e->err.offset >= 0)
			sl_error_locate(&e->err, sql, strlen(sql));
		free(e->statement);
		e->statement = strndup(text, len);
		e->stmt_offset = 0;
		e->http_status = err.code == SL_ENOTFOUND ? 404 :
				 (err.code == SL_EIO || err.code == SL_ERR) ? 500 : 400;
		/* ksqlDB answers an unknown source in a query with 400 */
		if (err.code == SL_ENOTFOUND)
			e->http_status = 400;
	} else {
		*out = t;
	}
	free(sql);
	sl_arena_destroy(&a);
	return rc;
}
