/*
 * query_mgr.c: the engine's persistent queries: start, stop, worker
 * threads, and the test-mode barrier.
 *
 * Stage: engine.  Builds a plan (plan/plan.h) and a runtime (exec/query.h)
 * per query; in server mode each query runs on its own thread, committing
 * every commit.interval.ms; in test mode sl_engine_quiesce() runs them.
 */
#include "engine/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec/query.h"
#include "kafka/kafka.h"
#include "parse/parser.h"

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

sl_running_t *
sl_engine_find_running(sl_engine_t *eng, const char *id)
{
	for (int i = 0; i < eng->nrunning; i++)
		if (strcmp(eng->running[i]->id, id) == 0)
			return eng->running[i];
	return NULL;
}

int
sl_engine_queries_using(sl_engine_t *eng, const char *name, bool writing, const char **ids,
			int max)
{
	int n, k = 0;
	sl_query_def_t **qs = sl_catalog_queries(eng->cat, &n);

	for (int i = 0; i < n && k < max; i++) {
		const sl_query_def_t *q = qs[i];
		if (q->terminated)
			continue;
		if (writing) {
			if (strcmp(q->sink, name) == 0)
				ids[k++] = q->id;
			continue;
		}
		for (int j = 0; j < q->nsources; j++) {
			if (strcmp(q->sources[j], name) == 0) {
				ids[k++] = q->id;
				break;
			}
		}
	}
	return k;
}

static void *
worker(void *arg)
{
	sl_running_t *r = arg;
	sl_engine_t *eng = r->eng;
	int64_t interval = sl_props_get_int(&eng->props, "commit.interval.ms", 2000);
	int64_t last_commit = now_ms();
	sl_error_t err;

	while (!atomic_load(&r->stop)) {
		size_t n = 0;
		if (atomic_load(&r->paused)) {
			usleep(50 * 1000);
			continue;
		}
		if (sl_query_run_once(r->q, 100, &n, &err) != SL_OK) {
			fprintf(stderr, "sluice: query %s failed: %s\n", r->id, err.msg);
			snprintf(r->error, sizeof(r->error), "%s", err.msg);
			atomic_store(&r->failed, true);
			break;
		}
		/* a pull query waits for what was written before it came */
		long long want = atomic_load(&r->sync_requested);
		bool sync = false;
		if (want > atomic_load(&r->sync_done)) {
			bool done = false;
			if (sl_query_caught_up(r->q, &done, &err) == SL_OK && done)
				sync = true;
		}
		if (sync || now_ms() - last_commit >= interval) {
			if (sl_query_commit(r->q, 30000, &err) != SL_OK) {
				fprintf(stderr, "sluice: query %s cannot commit: %s\n", r->id,
					err.msg);
				snprintf(r->error, sizeof(r->error), "%s", err.msg);
				atomic_store(&r->failed, true);
				break;
			}
			last_commit = now_ms();
			if (sync)
				atomic_store(&r->sync_done, want);
		}
	}
	return NULL;
}

static const char *
reset_policy(sl_engine_t *eng, const sl_props_t *session)
{
	const char *v = session ? sl_props_get(session, "auto.offset.reset") : NULL;
	if (v == NULL)
		v = sl_props_get(&eng->props, "auto.offset.reset");
	if (v == NULL)
		v = sl_props_get(&eng->props, "ksql.streams.auto.offset.reset");
	return v ? v : "latest";
}

/* A property from the session, else the server, else def. */
static long long
prop_int(sl_engine_t *eng, const sl_props_t *session, const char *name, long long def)
{
	const char *v = session ? sl_props_get(session, name) : NULL;
	if (v != NULL)
		return atoll(v);
	return sl_props_get_int(&eng->props, name, def);
}

/* Record caching (ksqlDB's cache.max.bytes.buffering): on unless set to
 * 0; off by default in test mode, as ksqlDB's test runner has it. */
static bool
caching(sl_engine_t *eng, const sl_props_t *session)
{
	static const char *names[] = {"cache.max.bytes.buffering",
				      "ksql.streams.cache.max.bytes.buffering"};
	for (int i = 0; i < 2; i++) {
		const char *v = session ? sl_props_get(session, names[i]) : NULL;
		if (v == NULL)
			v = sl_props_get(&eng->props, names[i]);
		if (v != NULL)
			return atoll(v) > 0;
	}
	return !eng->test_mode;
}

static int start_query(sl_engine_t *eng, const char *id, const sl_node_t *select,
		       const sl_props_t *session, const sl_source_t *sink, sl_error_t *err);

int
sl_engine_start_query(sl_engine_t *eng, const char *id, const sl_node_t *select,
		      const sl_props_t *session, const sl_source_t *sink, sl_error_t *err)
{
	return start_query(eng, id, select, session, sink, err);
}

const char *
sl_engine_materializer_id(const sl_source_t *src, char *buf, size_t size)
{
	snprintf(buf, size, "CST_%s", src->name);
	return buf;
}

/* Parses "SELECT * FROM src" + emit into a. */
static int
select_all(const sl_source_t *src, const char *emit, sl_arena_t *a, sl_node_t **out,
	   sl_error_t *err)
{
	sl_strbuf_t sql;
	int rc;

	sl_strbuf_init(&sql);
	sl_strbuf_puts(&sql, "SELECT * FROM ");
	sl_ast_print_ident(&sql, src->name);
	sl_strbuf_printf(&sql, "%s;", emit);
	rc = sl_parse_one(sql.data, sql.len, a, out, err);
	sl_strbuf_free(&sql);
	return rc;
}

int
sl_engine_start_materializer(sl_engine_t *eng, const sl_source_t *src, sl_error_t *err)
{
	sl_arena_t a;
	sl_node_t *select;
	char id[300];
	int rc;

	sl_arena_init(&a, 0);
	rc = select_all(src, "", &a, &select, err);
	if (rc == SL_OK)
		rc = start_query(eng, sl_engine_materializer_id(src, id, sizeof(id)), select, NULL,
				 NULL, err);
	sl_arena_destroy(&a);
	return rc;
}

/* Frees a running query that is not (or no longer) in eng->running. */
static void
running_free(sl_engine_t *eng, sl_running_t *r)
{
	sl_engine_detach_subscribers(eng, r);
	atomic_store(&r->stop, true);
	if (r->has_thread)
		pthread_join(r->thread, NULL);
	sl_query_destroy(r->q);
	free(r->id);
	free(r);
}

sl_running_t *
sl_engine_tap(sl_engine_t *eng, const sl_source_t *src, sl_error_t *err)
{
	sl_arena_t a;
	sl_node_t *select;
	sl_plan_t *plan = NULL;
	sl_query_t *q = NULL;
	char id[300];
	int rc;

	for (int i = 0; i < eng->ntaps; i++)
		if (strcmp(sl_query_plan(eng->taps[i]->q)->input.name, src->name) == 0 &&
		    !atomic_load(&eng->taps[i]->failed))
			return eng->taps[i];
	snprintf(id, sizeof(id), "TAP_%s", src->name);
	sl_arena_init(&a, 0);
	rc = select_all(src, " EMIT CHANGES", &a, &select, err);
	if (rc == SL_OK)
		rc = sl_plan_create(select, eng->cat, eng->reg, id, NULL, NULL, &plan, err);
	sl_arena_destroy(&a);
	if (rc != SL_OK)
		return NULL;
	sl_query_env_t env = {
		.kafka = eng->kafka,
		.producer = eng->producer,
		.reset = SL_KAFKA_OFFSET_END,
		.errors = &eng->processing_errors,
		.processing_log_topic = eng->processing_log_topic,
		.batch_size = (int)sl_props_get_int(&eng->props, "sluice.batch.size", 0),
		.tap = true,
	};
	if (sl_query_create(&env, plan, &q, err) != SL_OK)
		return NULL;
	sl_running_t *r = calloc(1, sizeof(*r));
	if (r == NULL)
		abort();
	r->id = strdup(id);
	r->q = q;
	r->eng = eng;
	if (pthread_create(&r->thread, NULL, worker, r) != 0) {
		sl_query_destroy(q);
		free(r->id);
		free(r);
		sl_error_set(err, SL_ERR, "cannot start a thread for the tap of %s", src->name);
		return NULL;
	}
	r->has_thread = true;
	sl_running_t **v = realloc(eng->taps, sizeof(*v) * (size_t)(eng->ntaps + 1));
	if (v == NULL)
		abort();
	eng->taps = v;
	eng->taps[eng->ntaps++] = r;
	return r;
}

void
sl_engine_stop_taps(sl_engine_t *eng, const char *name)
{
	for (int i = 0; i < eng->ntaps;) {
		sl_running_t *r = eng->taps[i];
		if (name != NULL && strcmp(sl_query_plan(r->q)->input.name, name) != 0) {
			i++;
			continue;
		}
		eng->taps[i] = eng->taps[--eng->ntaps];
		running_free(eng, r);
	}
	if (eng->ntaps == 0) {
		free(eng->taps);
		eng->taps = NULL;
	}
}

/* sink NULL: the materializer of the source table select reads. */
static int
start_query(sl_engine_t *eng, const char *id, const sl_node_t *select,
	    const sl_props_t *session, const sl_source_t *sink, sl_error_t *err)
{
	sl_plan_t *plan;
	sl_query_t *q;
	int rc;

	rc = sl_plan_create(select, eng->cat, eng->reg, id, sink, sink ? sink->name : NULL, &plan,
			    err);
	if (rc != SL_OK)
		return rc;
	sl_query_env_t env = {
		.kafka = eng->kafka,
		.producer = eng->producer,
		.state_dir = eng->query_state_dir,
		.reset = strcmp(reset_policy(eng, session), "earliest") == 0 ?
			 SL_KAFKA_OFFSET_BEGINNING : SL_KAFKA_OFFSET_END,
		.errors = &eng->processing_errors,
		.processing_log_topic = eng->processing_log_topic,
		.batch_size = (int)sl_props_get_int(&eng->props, "sluice.batch.size", 0),
		.caching = caching(eng, session),
		.emit_final_idle_ms = prop_int(eng, session, "sluice.emit.final.idle.ms", 0),
		.cache_rows = (long)prop_int(eng, session, "sluice.state.cache.rows", 0),
		.materialize = sink == NULL,
	};
	/* a materialized source table holds the whole topic */
	if (sink == NULL)
		env.reset = SL_KAFKA_OFFSET_BEGINNING;
	if ((rc = sl_query_create(&env, plan, &q, err)) != SL_OK)
		return rc;
	sl_running_t *r = calloc(1, sizeof(*r));
	if (r == NULL)
		abort();
	r->id = strdup(id);
	r->q = q;
	r->eng = eng;
	if (eng->nrunning == eng->caprunning) {
		int cap = eng->caprunning ? eng->caprunning * 2 : 8;
		sl_running_t **v = realloc(eng->running, sizeof(*v) * (size_t)cap);
		if (v == NULL)
			abort();
		eng->running = v;
		eng->caprunning = cap;
	}
	eng->running[eng->nrunning++] = r;
	if (!eng->test_mode) {
		if (pthread_create(&r->thread, NULL, worker, r) != 0) {
			sl_engine_stop_query(eng, id);
			return sl_error_set(err, SL_ERR, "cannot start a thread for query %s", id);
		}
		r->has_thread = true;
	}
	return SL_OK;
}

void
sl_engine_stop_query(sl_engine_t *eng, const char *id)
{
	for (int i = 0; i < eng->nrunning; i++) {
		sl_running_t *r = eng->running[i];
		if (strcmp(r->id, id) != 0)
			continue;
		memmove(&eng->running[i], &eng->running[i + 1],
			sizeof(eng->running[0]) * (size_t)(eng->nrunning - i - 1));
		eng->nrunning--;
		running_free(eng, r);
		return;
	}
}

int
sl_engine_quiesce(sl_engine_t *eng, int timeout_ms, sl_error_t *err)
{
	int64_t deadline = now_ms() + timeout_ms;
	int rc = SL_OK;

	pthread_mutex_lock(&eng->lock);
	if ((rc = sl_kafka_producer_flush(eng->producer, timeout_ms, NULL, err)) != SL_OK)
		goto done;
	for (;;) {
		bool settled = true;
		for (int i = 0; i < eng->nrunning; i++) {
			sl_running_t *r = eng->running[i];
			bool done = false;
			if (atomic_load(&r->paused) || r->has_thread)
				continue;
			for (;;) {
				size_t n;
				if ((rc = sl_query_caught_up(r->q, &done, err)) != SL_OK)
					goto done;
				if (done)
					break;
				settled = false;
				if ((rc = sl_query_run_once(r->q, 20, &n, err)) != SL_OK)
					goto done;
				if (now_ms() > deadline) {
					rc = sl_error_set(err, SL_EIO,
							  "query %s did not catch up within %d ms",
							  r->id, timeout_ms);
					goto done;
				}
			}
			/* EMIT FINAL with an idle timeout: let the input be idle that
			 * long, so that tests see the windows it closes */
			int64_t idle = sl_query_idle_ms(r->q);
			if (idle > 0 && idle <= 10000) {
				uint64_t before = sl_query_records_out(r->q);
				usleep((useconds_t)(idle + 1) * 1000);
				if ((rc = sl_query_tick(r->q, err)) != SL_OK)
					goto done;
				if (sl_query_records_out(r->q) != before)
					settled = false;
			}
			if ((rc = sl_query_commit(r->q, timeout_ms, err)) != SL_OK)
				goto done;
		}
		if (settled)
			break;
	}
done:
	pthread_mutex_unlock(&eng->lock);
	return rc;
}
