/*
 * backend_embedded.c: the shell's in-process engine (see backend.h).
 *
 * Stage: cli.  Statements go to sl_engine_execute(), SELECTs to
 * sl_engine_query(), both with the shell's own session, so SET and DEFINE
 * hold for the session as in ksqlDB's CLI.  Rows are taken from the query
 * with sl_tquery_take(); its notify callback wakes the shell through an
 * eventfd, polled together with the interrupt descriptor (Ctrl-C).
 *
 * In test mode the engine starts no query threads: before each statement,
 * and every few milliseconds while a query runs, the persistent queries
 * consume everything written so far (sl_engine_quiesce()), so that a script
 * gives the same output on every run, as under sluice-test.
 */
#include "cli/backend.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "engine/engine.h"

/* How long one barrier may take, and how often it runs while a query
 * streams in test mode. */
#define EMB_QUIESCE_MS 30000
#define EMB_TICK_MS 20

typedef struct emb_backend {
	sl_backend_t base;
	sl_engine_t *eng;
	sl_session_t *s;
	bool owner; /* destroys the engine (clones do not) */
	bool test_mode;
} emb_backend_t;

typedef struct emb_query {
	sl_cli_query_t base;
	sl_tquery_t *t;
	int notify_fd;
	int taken; /* rows handed on by the current poll */
	sl_cli_row_fn fn;
	void *ctx;
} emb_query_t;

/* Copies e's error into err, its position as line and column. */
static int
emb_error(const sl_exec_error_t *e, const char *sql, size_t len, sl_error_t *err)
{
	*err = e->err;
	if (err->code == SL_OK)
		err->code = SL_ERR;
	if (err->line <= 0 && err->offset >= 0)
		sl_text_position(sql, len, err->offset, &err->line, &err->col);
	err->offset = -1;
	return err->code;
}

static int
emb_barrier(emb_backend_t *b, sl_error_t *err)
{
	if (!b->test_mode)
		return SL_OK;
	if (sl_engine_quiesce(b->eng, EMB_QUIESCE_MS, err) != SL_OK) {
		char why[SL_ERROR_MSG_MAX];
		snprintf(why, sizeof(why), "%s", err->msg);
		return sl_error_set(err, SL_ERR, "quiesce: %s", why);
	}
	return SL_OK;
}

static int
emb_execute(sl_backend_t *base, const char *sql, size_t len, cJSON *results, sl_error_t *err)
{
	emb_backend_t *b = (emb_backend_t *)base;
	sl_exec_error_t e;
	int rc;

	if (emb_barrier(b, err) != SL_OK)
		return err->code;
	sl_exec_error_init(&e);
	rc = sl_engine_execute(b->eng, b->s, sql, len, results, &e);
	if (rc != SL_OK)
		rc = emb_error(&e, sql, len, err);
	sl_exec_error_clear(&e);
	return rc;
}

/* The query's notify callback: any thread, must be quick. */
static void
emb_notify(void *ctx)
{
	emb_query_t *q = ctx;
	uint64_t one = 1;
	ssize_t n = write(q->notify_fd, &one, sizeof(one));
	(void)n; /* a full counter still wakes the reader */
}

static int
emb_query_open(sl_backend_t *base, const char *sql, size_t len, sl_cli_query_t **out,
	       sl_error_t *err)
{
	emb_backend_t *b = (emb_backend_t *)base;
	emb_query_t *q;
	sl_exec_error_t e;
	sl_tquery_t *t = NULL;
	const char **names, **types;
	int n;

	if (emb_barrier(b, err) != SL_OK)
		return err->code;
	sl_exec_error_init(&e);
	if (sl_engine_query(b->eng, b->s, sql, len, NULL, &t, &e) != SL_OK) {
		int rc = emb_error(&e, sql, len, err);
		sl_exec_error_clear(&e);
		return rc;
	}
	sl_exec_error_clear(&e);
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		abort();
	q->base.b = base;
	q->t = t;
	q->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->notify_fd < 0) {
		sl_tquery_close(t);
		free(q);
		return sl_error_set(err, SL_EIO, "eventfd: %s", strerror(errno));
	}
	n = sl_tquery_ncols(t);
	names = calloc((size_t)(n > 0 ? n : 1), sizeof(*names));
	types = calloc((size_t)(n > 0 ? n : 1), sizeof(*types));
	if (names == NULL || types == NULL)
		abort();
	for (int i = 0; i < n; i++) {
		names[i] = sl_tquery_col_name(t, i);
		types[i] = sl_tquery_col_type(t, i);
	}
	sl_cli_query_set_columns(&q->base, sl_tquery_id(t), n, names, types);
	free(names);
	free(types);
	sl_tquery_set_notify(t, emb_notify, q);
	*out = &q->base;
	return SL_OK;
}

/* As /query-stream: tombstones are not rows. */
static void
emb_row(void *ctx, const char *json, size_t len, bool tombstone)
{
	emb_query_t *q = ctx;

	if (tombstone)
		return;
	q->taken++;
	q->fn(q->ctx, json, len);
}

static sl_cli_qstate_t
emb_take(emb_query_t *q)
{
	switch (sl_tquery_take(q->t, emb_row, q, 0)) {
	case SL_TQ_RUNNING:
		return SL_CLI_Q_RUNNING;
	case SL_TQ_FAILED: {
		const char *why = sl_tquery_error(q->t);
		sl_error_set(&q->base.err, SL_ERR, "%s", why && why[0] ? why : "the query failed");
		return SL_CLI_Q_FAILED;
	}
	default:
		return SL_CLI_Q_ENDED;
	}
}

static sl_cli_qstate_t
emb_query_poll(sl_cli_query_t *base, int timeout_ms, sl_cli_row_fn fn, void *ctx)
{
	emb_query_t *q = (emb_query_t *)base;
	emb_backend_t *b = (emb_backend_t *)base->b;
	struct pollfd pfd[2] = {
		{ .fd = q->notify_fd, .events = POLLIN },
		{ .fd = b->base.intr_fd, .events = POLLIN },
	};
	sl_cli_qstate_t st;
	uint64_t count;

	q->fn = fn;
	q->ctx = ctx;
	q->taken = 0;
	if (b->test_mode) {
		sl_error_t err;
		if (emb_barrier(b, &err) != SL_OK) {
			q->base.err = err;
			return SL_CLI_Q_FAILED;
		}
		if (timeout_ms > EMB_TICK_MS)
			timeout_ms = EMB_TICK_MS;
	}
	st = emb_take(q);
	if (st != SL_CLI_Q_RUNNING || q->taken > 0)
		return st;
	if (poll(pfd, b->base.intr_fd >= 0 ? 2 : 1, timeout_ms) > 0 && (pfd[0].revents & POLLIN))
		while (read(q->notify_fd, &count, sizeof(count)) > 0)
			;
	return emb_take(q);
}

static void
emb_query_close(sl_cli_query_t *base)
{
	emb_query_t *q = (emb_query_t *)base;

	if (q == NULL)
		return;
	sl_tquery_close(q->t); /* no notify after this returns */
	close(q->notify_fd);
	sl_cli_query_clear(&q->base);
	free(q);
}

static void
emb_describe(sl_backend_t *base, sl_strbuf_t *out)
{
	emb_backend_t *b = (emb_backend_t *)base;

	if (sl_engine_embedded_kafka(b->eng))
		sl_strbuf_printf(out,
				 "Kafka: the embedded Kafka at %s (in memory, a playground: its "
				 "data is lost on exit)",
				 sl_engine_bootstrap(b->eng));
	else
		sl_strbuf_printf(out, "Kafka: %s", sl_engine_bootstrap(b->eng));
}

static const sl_backend_ops_t emb_ops;

static emb_backend_t *
emb_new(sl_engine_t *eng, int intr_fd, bool test_mode, bool owner)
{
	emb_backend_t *b = calloc(1, sizeof(*b));

	if (b == NULL)
		abort();
	b->base.ops = &emb_ops;
	b->base.intr_fd = intr_fd;
	b->eng = eng;
	b->s = sl_session_create(eng);
	b->owner = owner;
	b->test_mode = test_mode;
	return b;
}

static sl_backend_t *
emb_clone(sl_backend_t *base)
{
	emb_backend_t *b = (emb_backend_t *)base;
	/* no barrier before each of its statements (the demo generator's
	 * inserts): the next barrier of the shell catches up with them all */
	emb_backend_t *c = emb_new(b->eng, -1, false, false);

	sl_props_merge(sl_session_properties(c->s), sl_session_properties(b->s));
	sl_props_merge(sl_session_variables(c->s), sl_session_variables(b->s));
	return &c->base;
}

static void
emb_destroy(sl_backend_t *base)
{
	emb_backend_t *b = (emb_backend_t *)base;

	if (b == NULL)
		return;
	sl_session_destroy(b->s);
	if (b->owner)
		sl_engine_destroy(b->eng);
	free(b);
}

static const sl_backend_ops_t emb_ops = {
	.execute = emb_execute,
	.query_open = emb_query_open,
	.query_poll = emb_query_poll,
	.query_close = emb_query_close,
	.describe = emb_describe,
	.clone = emb_clone,
	.destroy = emb_destroy,
};

int
sl_backend_embedded_create(const sl_backend_embedded_config_t *cfg, sl_backend_t **out,
			   sl_error_t *err)
{
	sl_engine_config_t ecfg = { .props = cfg->props, .test_mode = cfg->test_mode };
	sl_engine_t *eng;
	int rc;

	rc = sl_engine_create(&ecfg, &eng, err);
	if (rc != SL_OK)
		return rc;
	*out = &emb_new(eng, cfg->intr_fd, cfg->test_mode, true)->base;
	return SL_OK;
}
