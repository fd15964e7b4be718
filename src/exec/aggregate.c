/*
 * aggregate.c: the aggregate operator: GROUP BY, windows, HAVING, and the
 * query's materialized state.
 *
 * Stage: exec.  Entry points (internal.h): sl_agg_create, sl_agg_process,
 * sl_agg_tick, sl_agg_emit, sl_agg_store, sl_agg_destroy.
 *
 * Takes rows that passed WHERE; groups them by the GROUP BY values (and
 * window), keeps one accumulator per aggregate call per group, and hands
 * each changed result row (HAVING, then the projection) to the sink.
 *
 * State.  The result is a real SQLite table in the query's database,
 * named like the sink: a hidden primary key _k (the group's bytes, then
 * the window start), one typed column per output column, WINDOWSTART and
 * WINDOWEND when windowed, and hidden columns _state (the accumulators,
 * JSON), _ts (the row's timestamp), _emitted (EMIT FINAL done) and _shown
 * (the row passed HAVING when last written).  In front of it sits a
 * bounded write-back cache of groups: the hot path reads and updates the
 * cache only; a miss reads the row from SQLite; a full cache writes its
 * least recently used groups back.  Every write happens inside the
 * query's open transaction, which sl_query_commit() closes together with
 * the input offsets, the stream times and the record sequence: state and
 * offsets move in one step, so a crash at any moment resumes from a
 * consistent pair.
 *
 * Emission.  EMIT CHANGES with record caching off emits every update as
 * it happens; with caching on, each changed row once per commit interval
 * (and when its group leaves the cache).  EMIT FINAL emits a window once,
 * when stream time passes its end plus grace, in window-end order, or,
 * with sluice.emit.final.idle.ms, when the input has been quiet that long.
 *
 * Tables.  Aggregating a table needs each input key's previous row to
 * take it back out of its group: the raw value of every input key is kept
 * in the hidden table _source.
 *
 * Stream time is kept per input partition; a record whose window closed
 * (end + grace <= its partition's stream time) is late: dropped, counted
 * and written to the processing log.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec/internal.h"
#include "state/store.h"
#include "expr/cast.h"

#define AGG_DEFAULT_CACHE_ROWS 100000

enum {
	W_DIRTY = 1 << 0,    /* changed since written to SQLite */
	W_INDB = 1 << 1,     /* a row exists in SQLite */
	W_EMITTED = 1 << 2,  /* EMIT FINAL: emitted */
	W_CHANGED = 1 << 3,  /* caching: to be emitted */
	W_DELETED = 1 << 4,  /* merged away or expired: delete when written */
	W_SHOWN = 1 << 5,    /* the last row emitted passed HAVING */
};

/* One window of a group (the whole group when not windowed). */
typedef struct win {
	int64_t start, end;
	int64_t ts;          /* the largest timestamp of its records */
	unsigned flags;
	sl_value_t *acc;     /* nagg accumulators */
	void **mem;          /* per accumulator: its payload block, or NULL */
} win_t;

/* A cached group: one window (time windows, or no window), or every
 * session of the group (session windows). */
typedef struct entry {
	struct entry *hnext;           /* hash chain */
	struct entry *prev, *next;     /* LRU list, most recent first */
	struct entry *cnext, *cprev;   /* changed list (caching) */
	struct entry *dnext, *dprev;   /* dirty list: to write at the commit */
	uint64_t hash;
	bool listed;                   /* on the changed list */
	bool dirty;                    /* some window is W_DIRTY */
	int nwin, capwin;
	win_t *win;
	sl_value_t *group;             /* ngroup values */
	void *gmem;                    /* their payload */
	uint32_t klen;
	char key[];                    /* group bytes [+ window start] */
} entry_t;

struct sl_agg {
	sl_query_t *q;
	const sl_analysis_t *an;
	int ngroup, nagg;
	bool of_table, final, caching;
	sl_window_t w;
	sl_fcall_t *calls;
	int *argoff;                   /* aggregate i's arguments in args[] */
	sl_value_t *args;
	sl_value_t *group;             /* scratch: group values */
	sl_value_t *oldrow;            /* table: the previous row */
	sl_value_t *aggrow;
	sl_serde_t *state_serde;
	sl_field_t *state_fields;
	/* cache */
	entry_t **buckets;
	size_t nbuckets, count, max_rows;
	entry_t lru;                   /* sentinel */
	entry_t changed;               /* sentinel of the changed list, in change order */
	entry_t dirty;                 /* sentinel of the dirty list */
	int64_t expired_upto;          /* windows ending before this are gone */
	bool db_empty;                 /* nothing stored yet: misses skip SQLite */
	int64_t stored_max_start;      /* the latest window start ever stored */
	/* SQLite */
	char *table;                   /* quoted name */
	sqlite3_stmt *st_get, *st_range, *st_put, *st_del, *st_pending;
	sqlite3_stmt *st_close, *st_src_get, *st_src_put, *st_src_del;
	/* time */
	int nparts;
	int64_t *stream_time;          /* per partition, -1 none */
	int64_t max_time;
	int64_t next_close;            /* EMIT FINAL: smallest end + grace pending */
	int64_t idle_ms, last_wall;
	int64_t seq;
	uint64_t late;
	sl_strbuf_t kb, sb, wk;        /* scratch of the record being processed */
	sl_strbuf_t skb, swk;          /* scratch of write_entry() (it runs inside lookups) */
	sl_strbuf_t okb;               /* table: the old row's group bytes */
	sl_value_t *oargs, *ogroup;    /* table: the old row's arguments and group */
};

static int64_t
wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
db_error(sl_query_t *q, sl_error_t *err, const char *what)
{
	return sl_error_set(err, SL_EIO, "%s: %s", what, sqlite3_errmsg(q->db));
}

/* ------------------------------------------------------ value encodings */

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* Bytes needed to hold v's payload outside any arena. */
static size_t
flat_size(const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_STRING:
	case SL_T_BYTES:
		return (size_t)v->u.s.len;
	case SL_T_ARRAY:
	case SL_T_MAP:
	case SL_T_STRUCT: {
		int32_t n = (v->kind == SL_T_MAP ? 2 : 1) * v->u.list->n;
		size_t s = sizeof(sl_vlist_t) + sizeof(sl_value_t) * (size_t)n + 16;
		for (int32_t i = 0; i < n; i++)
			s += flat_size(&v->u.list->items[i]);
		return s;
	}
	default:
		return 0;
	}
}

/* Copies v's payload to *cur (advanced); returns the copy. */
static sl_value_t
flat_copy(const sl_value_t *v, char **cur)
{
	sl_value_t r = *v;
	switch (v->kind) {
	case SL_T_STRING:
	case SL_T_BYTES:
		memcpy(*cur, v->u.s.ptr, (size_t)v->u.s.len);
		r.u.s.ptr = *cur;
		*cur += v->u.s.len;
		return r;
	case SL_T_ARRAY:
	case SL_T_MAP:
	case SL_T_STRUCT: {
		int32_t n = (v->kind == SL_T_MAP ? 2 : 1) * v->u.list->n;
		uintptr_t al = ((uintptr_t)*cur + 15) & ~(uintptr_t)15;
		*cur = (char *)al;
		sl_value_t *items = (sl_value_t *)*cur;
		*cur += sizeof(sl_value_t) * (size_t)n;
		sl_vlist_t *l = (sl_vlist_t *)*cur;
		*cur += sizeof(sl_vlist_t);
		l->n = v->u.list->n;
		l->items = items;
		for (int32_t i = 0; i < n; i++)
			items[i] = flat_copy(&v->u.list->items[i], cur);
		r.u.list = l;
		return r;
	}
	default:
		return r;
	}
}

/* Stores v in *slot, its payload in a new block *mem (the old one freed
 * after the copy, so that v may point into it). */
static void
keep_value(sl_value_t *slot, void **mem, const sl_value_t *v)
{
	size_t n = flat_size(v);
	void *old = *mem;
	if (n == 0) {
		*slot = *v;
		*mem = NULL;
	} else {
		char *block = malloc(n + 16), *cur = block;
		if (block == NULL)
			abort();
		*slot = flat_copy(v, &cur);
		*mem = block;
	}
	free(old);
}

/* ---------------------------------------------------------------- cache */

static void
win_free(sl_agg_t *g, win_t *w)
{
	for (int i = 0; i < g->nagg; i++)
		free(w->mem[i]);
	free(w->acc);
	free(w->mem);
}

static void
entry_free(sl_agg_t *g, entry_t *e)
{
	for (int i = 0; i < e->nwin; i++)
		win_free(g, &e->win[i]);
	free(e->win);
	free(e->group);
	free(e->gmem);
	free(e);
}

static void
lru_unlink(entry_t *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static void
lru_front(sl_agg_t *g, entry_t *e)
{
	e->next = g->lru.next;
	e->prev = &g->lru;
	g->lru.next->prev = e;
	g->lru.next = e;
}

/* Marks e as having windows to write at the next commit. */
static void
mark_dirty(sl_agg_t *g, entry_t *e)
{
	if (e->dirty)
		return;
	e->dirty = true;
	e->dnext = &g->dirty;
	e->dprev = g->dirty.dprev;
	g->dirty.dprev->dnext = e;
	g->dirty.dprev = e;
}

static void
unmark_dirty(entry_t *e)
{
	if (!e->dirty)
		return;
	e->dirty = false;
	e->dprev->dnext = e->dnext;
	e->dnext->dprev = e->dprev;
}

static win_t *
win_add(sl_agg_t *g, entry_t *e, int64_t start, int64_t end)
{
	if (e->nwin == e->capwin) {
		int cap = e->capwin ? e->capwin * 2 : 1;
		win_t *v = realloc(e->win, sizeof(*v) * (size_t)cap);
		if (v == NULL)
			abort();
		e->win = v;
		e->capwin = cap;
	}
	win_t *w = &e->win[e->nwin++];
	memset(w, 0, sizeof(*w));
	w->start = start;
	w->end = end;
	w->acc = calloc((size_t)g->nagg + 1, sizeof(*w->acc));
	w->mem = calloc((size_t)g->nagg + 1, sizeof(*w->mem));
	if (w->acc == NULL || w->mem == NULL)
		abort();
	return w;
}

static void
win_remove(sl_agg_t *g, entry_t *e, int i)
{
	win_free(g, &e->win[i]);
	memmove(&e->win[i], &e->win[i + 1], sizeof(e->win[0]) * (size_t)(e->nwin - i - 1));
	e->nwin--;
}

/* Fresh accumulators for w. */
static int
win_init(sl_agg_t *g, win_t *w, sl_error_t *err)
{
	sl_query_t *q = g->q;
	for (int i = 0; i < g->nagg; i++) {
		sl_value_t acc = sl_value_null();
		const sl_agg_ops_t *ops = g->an->aggs[i].bind.variant->agg;
		sl_eval_ctx_t ctx = {.arena = &q->batch, .err = err};
		g->calls[i].ctx = &ctx;
		g->calls[i].arena = &q->batch;
		int rc = ops->init ? ops->init(&g->calls[i], &acc) : SL_OK;
		g->calls[i].ctx = NULL;
		if (rc != SL_OK)
			return rc;
		keep_value(&w->acc[i], &w->mem[i], &acc);
	}
	return SL_OK;
}

/* The window of a group cached per window (no window, tumbling,
 * hopping): created empty on first use. */
static int
only_window(sl_agg_t *g, entry_t *e, int64_t start, int64_t end, win_t **out, sl_error_t *err)
{
	if (e->nwin == 0) {
		int rc = win_init(g, win_add(g, e, start, end), err);
		if (rc != SL_OK)
			return rc;
	}
	*out = &e->win[0];
	return SL_OK;
}

static int write_entry(sl_agg_t *g, entry_t *e, sl_error_t *err);
static int emit_window(sl_agg_t *g, entry_t *e, win_t *w, const rd_kafka_message_t *m,
		       sl_error_t *err);

/* Makes room: writes back and drops the least recently used groups. */
static int
evict(sl_agg_t *g, sl_error_t *err)
{
	int rc;
	while (g->count > g->max_rows) {
		entry_t *e = g->lru.prev;
		if (e == &g->lru)
			break;
		if (e->listed) {
			for (int i = 0; i < e->nwin; i++)
				if ((e->win[i].flags & W_CHANGED) &&
				    (rc = emit_window(g, e, &e->win[i], NULL, err)) != SL_OK)
					return rc;
			e->cprev->cnext = e->cnext;
			e->cnext->cprev = e->cprev;
			e->listed = false;
		}
		if (e->dirty && (rc = write_entry(g, e, err)) != SL_OK)
			return rc;
		lru_unlink(e);
		entry_t **pp = &g->buckets[e->hash & (g->nbuckets - 1)];
		while (*pp != e)
			pp = &(*pp)->hnext;
		*pp = e->hnext;
		g->count--;
		entry_free(g, e);
	}
	return SL_OK;
}

static void
grow_buckets(sl_agg_t *g)
{
	size_t n = g->nbuckets * 2;
	entry_t **b = calloc(n, sizeof(*b));
	if (b == NULL)
		abort();
	for (size_t i = 0; i < g->nbuckets; i++) {
		entry_t *e = g->buckets[i], *next;
		for (; e != NULL; e = next) {
			next = e->hnext;
			e->hnext = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(g->buckets);
	g->buckets = b;
	g->nbuckets = n;
}

/* Reads the windows of key (a prefix of _k for sessions) into e. */
static int
load_entry(sl_agg_t *g, entry_t *e, int64_t start, sl_error_t *err)
{
	sl_query_t *q = g->q;
	sqlite3_stmt *st;
	int rc;

	/* nothing stored yet, or a time window newer than any stored: the
	 * common case of a stream moving forward costs no read */
	if (g->db_empty || start > g->stored_max_start)
		return SL_OK;
	if ((rc = sl_exec_tx_begin(q, err)) != SL_OK)
		return rc;
	if (g->w.type == SL_WIN_SESSION) {
		st = g->st_range;
		sl_strbuf_reset(&g->skb);
		sl_strbuf_append(&g->skb, e->key, e->klen);
		for (int i = 0; i < 9; i++)
			sl_strbuf_putc(&g->skb, (char)0xff);
		sqlite3_bind_blob(st, 1, e->key, (int)e->klen, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, g->skb.data, (int)g->skb.len, SQLITE_STATIC);
	} else {
		st = g->st_get;
		sqlite3_bind_blob(st, 1, e->key, (int)e->klen, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		win_t *w = win_add(g, e, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
		const char *state = (const char *)sqlite3_column_text(st, 2);
		int slen = sqlite3_column_bytes(st, 2);
		w->ts = sqlite3_column_int64(st, 3);
		w->flags = W_INDB | (sqlite3_column_int(st, 4) ? W_EMITTED : 0) |
			   (sqlite3_column_int(st, 5) ? W_SHOWN : 0);
		sl_value_t *acc = sl_arena_alloc(&q->batch, sizeof(*acc) * (size_t)(g->nagg + 1));
		sl_error_t e2;
		if (sl_serde_decode(g->state_serde, state, (size_t)slen, &q->batch, acc, &e2) < 0) {
			sqlite3_reset(st);
			return sl_error_set(err, SL_EIO, "corrupt aggregate state in %s: %s",
					    g->table, e2.msg);
		}
		for (int i = 0; i < g->nagg; i++)
			keep_value(&w->acc[i], &w->mem[i], &acc[i]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(q, err, "reading aggregate state");
	return SL_OK;
}

/* The cached group of key (loaded from SQLite on a miss), with group
 * values gv; start: the window start of a time window, else INT64_MIN. */
static int
lookup(sl_agg_t *g, const char *key, size_t klen, const sl_value_t *gv, int64_t start,
       entry_t **out, sl_error_t *err)
{
	uint64_t h = hash_bytes(key, klen);
	entry_t *e;
	int rc;

	for (e = g->buckets[h & (g->nbuckets - 1)]; e != NULL; e = e->hnext) {
		if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) {
			if (g->lru.next != e) {
				lru_unlink(e);
				lru_front(g, e);
			}
			*out = e;
			return SL_OK;
		}
	}
	e = calloc(1, sizeof(*e) + klen);
	if (e == NULL)
		abort();
	e->hash = h;
	e->klen = (uint32_t)klen;
	memcpy(e->key, key, klen);
	e->group = calloc((size_t)g->ngroup + 1, sizeof(*e->group));
	if (e->group == NULL)
		abort();
	size_t gsize = 0;
	for (int i = 0; i < g->ngroup; i++)
		gsize += flat_size(&gv[i]);
	if (gsize > 0) {
		char *cur = e->gmem = malloc(gsize + 16 * (size_t)g->ngroup + 16);
		if (cur == NULL)
			abort();
		for (int i = 0; i < g->ngroup; i++)
			e->group[i] = flat_copy(&gv[i], &cur);
	} else {
		memcpy(e->group, gv, sizeof(*gv) * (size_t)g->ngroup);
	}
	if ((rc = load_entry(g, e, start, err)) != SL_OK) {
		entry_free(g, e);
		return rc;
	}
	e->hnext = g->buckets[h & (g->nbuckets - 1)];
	g->buckets[h & (g->nbuckets - 1)] = e;
	lru_front(g, e);
	if (++g->count > g->nbuckets)
		grow_buckets(g);
	*out = e;
	/* evict others, never e (it is the most recent) */
	return g->count > g->max_rows ? evict(g, err) : SL_OK;
}

/* --------------------------------------------------------------- output */

/* Fills the aggregate row of w and evaluates HAVING and the projection
 * into q->out; *pass: HAVING held. */
static int
project(sl_agg_t *g, const sl_value_t *group, const win_t *w, bool *pass, sl_error_t *err)
{
	sl_query_t *q = g->q;
	const sl_analysis_t *an = g->an;
	sl_error_t e;
	sl_eval_ctx_t ctx = {.row = g->aggrow, .arena = &q->batch, .err = &e};

	for (int i = 0; i < g->ngroup; i++)
		g->aggrow[i] = group[i];
	for (int i = 0; i < g->nagg; i++) {
		const sl_agg_ops_t *ops = an->aggs[i].bind.variant->agg;
		sl_value_t *r = &g->aggrow[g->ngroup + i];
		if (ops->result == NULL) {
			*r = w->acc[i];
			continue;
		}
		g->calls[i].ctx = &ctx;
		g->calls[i].arena = &q->batch;
		if (ops->result(&g->calls[i], &w->acc[i], r) != SL_OK)
			*r = sl_value_null();
		g->calls[i].ctx = NULL;
	}
	g->aggrow[an->agg_windowstart] = g->w.type ? sl_value_bigint(w->start) : sl_value_null();
	g->aggrow[an->agg_windowend] = g->w.type ? sl_value_bigint(w->end) : sl_value_null();
	*pass = true;
	if (an->having != NULL && sl_expr_eval_bool(an->having, &ctx, pass) != SL_OK) {
		sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", NULL, e.msg);
		*pass = false;
	}
	for (int i = 0; i < an->nout; i++) {
		int before = ctx.errors;
		if (sl_expr_eval(an->out[i].expr, &ctx, &q->out[i]) != SL_OK)
			q->out[i] = sl_value_null();
		if (ctx.errors != before) {
			char msg[SL_ERROR_MSG_MAX + 64];
			snprintf(msg, sizeof(msg), "column %s: %s", an->out[i].name, e.msg);
			sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", NULL, msg);
		}
	}
	(void)err;
	return SL_OK;
}

/* Emits w's current result (a tombstone when it no longer passes HAVING
 * and did before). */
static int
emit_window(sl_agg_t *g, entry_t *e, win_t *w, const rd_kafka_message_t *m, sl_error_t *err)
{
	sl_query_t *q = g->q;
	bool pass;
	int rc;

	w->flags &= ~(unsigned)W_CHANGED;
	if ((rc = project(g, e->group, w, &pass, err)) != SL_OK)
		return rc;
	if (!pass && !(w->flags & W_SHOWN))
		return SL_OK;
	if (pass)
		w->flags |= W_SHOWN;
	else
		w->flags &= ~(unsigned)W_SHOWN;
	w->flags |= W_DIRTY;
	mark_dirty(g, e);
	q->out_wstart = w->start;
	q->out_wend = w->end;
	return sl_exec_sink(q, m, w->ts, !pass, err);
}

/* A tombstone for window w (a session merged away). */
static int
emit_delete(sl_agg_t *g, entry_t *e, const win_t *w, const rd_kafka_message_t *m,
	    sl_error_t *err)
{
	sl_query_t *q = g->q;
	bool pass;
	int rc;

	if (!(w->flags & W_SHOWN))
		return SL_OK;
	if ((rc = project(g, e->group, w, &pass, err)) != SL_OK)
		return rc;
	q->out_wstart = w->start;
	q->out_wend = w->end;
	return sl_exec_sink(q, m, w->ts, true, err);
}

/* How long after its end a window closes: a time window when stream
 * time reaches end + grace, a session when it passes end + gap + grace. */
static int64_t
close_after(const sl_agg_t *g)
{
	return g->w.type == SL_WIN_SESSION ? g->w.size_ms + g->w.grace_ms + 1 : g->w.grace_ms;
}

/* The window changed: emit it now, mark it for the commit, or (EMIT
 * FINAL) note when it closes. */
static int
changed(sl_agg_t *g, entry_t *e, win_t *w, const rd_kafka_message_t *m, sl_error_t *err)
{
	w->flags |= W_DIRTY;
	mark_dirty(g, e);
	if (g->final) {
		int64_t close = w->end + close_after(g);
		if (close < g->next_close)
			g->next_close = close;
		return SL_OK;
	}
	if (!g->caching)
		return emit_window(g, e, w, m, err);
	w->flags |= W_CHANGED;
	if (!e->listed) {
		e->listed = true;
		e->cnext = &g->changed;
		e->cprev = g->changed.cprev;
		g->changed.cprev->cnext = e;
		g->changed.cprev = e;
	}
	return SL_OK;
}

/* ---------------------------------------------------------- accumulate */

/* Applies one row's arguments to w: add (sign > 0) or undo (sign < 0). */
static int
apply(sl_agg_t *g, win_t *w, int sign, const sl_value_t *args, const rd_kafka_message_t *m)
{
	sl_query_t *q = g->q;
	sl_error_t e;
	sl_eval_ctx_t ctx = {.arena = &q->batch, .err = &e};

	for (int i = 0; i < g->nagg; i++) {
		const sl_aggcall_t *ac = &g->an->aggs[i];
		const sl_agg_ops_t *ops = ac->bind.variant->agg;
		sl_value_t acc = w->acc[i];
		int before = ctx.errors;
		g->calls[i].ctx = &ctx;
		g->calls[i].arena = &q->batch;
		g->calls[i].seq = g->seq;
		int rc = sign > 0 ? ops->add(&g->calls[i], ac->argc, args + g->argoff[i], &acc) :
			 ops->undo(&g->calls[i], ac->argc, args + g->argoff[i], &acc);
		g->calls[i].ctx = NULL;
		if (rc != SL_OK || ctx.errors != before) {
			char msg[SL_ERROR_MSG_MAX + 64];
			snprintf(msg, sizeof(msg), "aggregate %s: %s", ac->bind.func->name, e.msg);
			sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, msg);
			continue;
		}
		keep_value(&w->acc[i], &w->mem[i], &acc);
	}
	return SL_OK;
}

/* Evaluates the group values and aggregate arguments over row; *ok
 * false when the row has no group (a NULL or failed grouping value). */
static int
eval_row(sl_agg_t *g, const sl_value_t *row, sl_value_t *group, sl_value_t *args,
	 const rd_kafka_message_t *m, bool *ok)
{
	sl_query_t *q = g->q;
	const sl_analysis_t *an = g->an;
	sl_error_t e;
	sl_eval_ctx_t ctx = {.row = row, .arena = &q->batch, .err = &e};

	*ok = false;
	for (int i = 0; i < g->ngroup; i++) {
		int before = ctx.errors;
		if (sl_expr_eval(an->group[i], &ctx, &group[i]) != SL_OK || ctx.errors != before) {
			sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
			return SL_OK;
		}
		/* ksqlDB drops rows with a NULL grouping value */
		if (sl_value_is_null(&group[i]))
			return SL_OK;
	}
	for (int i = 0; i < g->nagg; i++) {
		const sl_aggcall_t *ac = &an->aggs[i];
		for (int j = 0; j < ac->argc; j++) {
			sl_value_t *v = &args[g->argoff[i] + j];
			int before = ctx.errors;
			if (sl_expr_eval(ac->args[j], &ctx, v) != SL_OK) {
				sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
				return SL_OK;
			}
			if (ctx.errors != before)
				sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
			const sl_type_t *from = sl_expr_type(ac->args[j]);
			if (!sl_value_is_null(v) && !sl_type_equal(from, ac->bind.argt[j]) &&
			    sl_cast_value(v, from, ac->bind.argt[j], &q->batch, v, &e) != SL_OK) {
				sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
				return SL_OK;
			}
		}
	}
	*ok = true;
	return SL_OK;
}

static void
group_key(sl_agg_t *g, const sl_value_t *group)
{
	sl_strbuf_reset(&g->kb);
	for (int i = 0; i < g->ngroup; i++)
		sl_store_key_put(&g->kb, &group[i]);
}

/* True for tumbling and hopping windows, whose row keys start with the
 * window start: a stream moving forward appends to the SQLite B-tree,
 * and old windows are a key range. */
static bool
time_first(const sl_agg_t *g)
{
	return g->w.type == SL_WIN_TUMBLING || g->w.type == SL_WIN_HOPPING;
}

/* The row key (_k, and the cache key) of window start of the group whose
 * bytes are gb[0..glen): start + group for time windows, group + start
 * for sessions, the group alone without a window. */
static void
row_key(const sl_agg_t *g, sl_strbuf_t *out, const char *gb, size_t glen, int64_t start)
{
	sl_strbuf_reset(out);
	if (time_first(g))
		sl_store_time_put(out, start);
	sl_strbuf_append(out, gb, glen);
	if (g->w.type == SL_WIN_SESSION)
		sl_store_time_put(out, start);
}

static void
late_record(sl_agg_t *g, const rd_kafka_message_t *m, int64_t ts, int64_t end)
{
	char msg[160];
	g->late++;
	snprintf(msg, sizeof(msg),
		 "late record: its window closed (event time %lld, window end %lld, grace %lld ms)",
		 (long long)ts, (long long)end, (long long)g->w.grace_ms);
	sl_exec_processing_log(g->q, "LATE_RECORD", m, msg);
}

/* A row of a stream (or the new row of a table without windows) joins
 * its group. */
static int
add_row(sl_agg_t *g, const sl_value_t *group, const sl_value_t *args, int64_t ts,
	const rd_kafka_message_t *m, int64_t stime, sl_error_t *err)
{
	entry_t *e;
	win_t *w;
	int rc;

	group_key(g, group);
	if (g->w.type == SL_WIN_NONE) {
		if ((rc = lookup(g, g->kb.data, g->kb.len, group, INT64_MIN, &e, err)) != SL_OK)
			return rc;
		if ((rc = only_window(g, e, 0, 0, &w, err)) != SL_OK)
			return rc;
		apply(g, w, 1, args, m);
		if (ts > w->ts)
			w->ts = ts;
		return changed(g, e, w, m, err);
	}
	if (g->w.type == SL_WIN_SESSION) {
		int64_t gap = g->w.size_ms;
		size_t glen = g->kb.len;
		if ((rc = lookup(g, g->kb.data, glen, group, INT64_MIN, &e, err)) != SL_OK)
			return rc;
		/* sessions within the gap of ts merge with the record */
		int64_t start = ts, end = ts, wts = ts;
		for (int i = 0; i < e->nwin; i++) {
			win_t *s = &e->win[i];
			if (s->flags & W_DELETED)
				continue;
			if (s->end + gap < ts || s->start - gap > ts)
				continue;
			if (s->start < start)
				start = s->start;
			if (s->end > end)
				end = s->end;
			if (s->ts > wts)
				wts = s->ts;
		}
		/* Kafka Streams: a session is late when its merged end is older
		 * than stream time less grace and gap */
		if (end + gap + g->w.grace_ms < stime) {
			late_record(g, m, ts, end);
			return SL_OK;
		}
		win_t *nw = win_add(g, e, start, end);
		if ((rc = win_init(g, nw, err)) != SL_OK)
			return rc;
		nw->ts = wts;
		int nwi = e->nwin - 1;
		for (int i = 0; i < nwi; i++) {
			win_t *s = &e->win[i];
			if ((s->flags & W_DELETED) || s->end + gap < ts || s->start - gap > ts)
				continue;
			sl_error_t e2;
			sl_eval_ctx_t ctx = {.arena = &g->q->batch, .err = &e2};
			for (int a = 0; a < g->nagg; a++) {
				const sl_agg_ops_t *ops = g->an->aggs[a].bind.variant->agg;
				sl_value_t acc = nw->acc[a];
				g->calls[a].ctx = &ctx;
				g->calls[a].arena = &g->q->batch;
				if (ops->merge(&g->calls[a], &s->acc[a], &acc) == SL_OK)
					keep_value(&nw->acc[a], &nw->mem[a], &acc);
				g->calls[a].ctx = NULL;
			}
			if (!g->final && (rc = emit_delete(g, e, s, m, err)) != SL_OK)
				return rc;
			if (s->flags & W_SHOWN)
				nw->flags |= W_SHOWN;
			s->flags = (s->flags | W_DELETED | W_DIRTY) & ~(unsigned)(W_CHANGED | W_SHOWN);
		}
		apply(g, nw, 1, args, m);
		/* a session keeps its row while it grows: the tombstones above
		 * cleared the old ones from the output */
		nw->flags &= ~(unsigned)W_SHOWN;
		return changed(g, e, nw, m, err);
	}
	/* tumbling and hopping: every window that contains ts */
	int64_t size = g->w.size_ms, adv = g->w.advance_ms;
	int64_t lo = ts - size + adv;
	if (lo < 0)
		lo = 0;
	int64_t first = lo - lo % adv;
	size_t glen = g->kb.len;
	for (int64_t start = first; start <= ts; start += adv) {
		int64_t end = start + size;
		if (end <= ts)
			continue;
		if (end + g->w.grace_ms <= stime) {
			late_record(g, m, ts, end);
			continue;
		}
		row_key(g, &g->wk, g->kb.data, glen, start);
		if ((rc = lookup(g, g->wk.data, g->wk.len, group, start, &e, err)) != SL_OK)
			return rc;
		if ((rc = only_window(g, e, start, end, &w, err)) != SL_OK)
			return rc;
		if (w->flags & W_EMITTED) {
			late_record(g, m, ts, end);
			continue;
		}
		apply(g, w, 1, args, m);
		if (ts > w->ts)
			w->ts = ts;
		if ((rc = changed(g, e, w, m, err)) != SL_OK)
			return rc;
	}
	return SL_OK;
}

/* ------------------------------------------------------------ EMIT FINAL */

static int write_dirty(sl_agg_t *g, sl_error_t *err);

/*
 * Emits every window that closes by time t (stream time, or stream time
 * plus the idle time), in window-end order.  A time window already past
 * retention at stream time st is dropped without being emitted, as
 * ksqlDB's EMIT FINAL does.
 */
static int
close_windows(sl_agg_t *g, int64_t t, int64_t st, sl_error_t *err)
{
	sl_query_t *q = g->q;
	int rc;

	if (t < g->next_close)
		return SL_OK;
	if ((rc = write_dirty(g, err)) != SL_OK)
		return rc;
	sqlite3_stmt *cst = g->st_close;
	int step = SQLITE_DONE;
	sqlite3_bind_int64(cst, 1, t - close_after(g));
	while (rc == SL_OK && (step = sqlite3_step(cst)) == SQLITE_ROW) {
		const char *k = sqlite3_column_blob(cst, 0);
		int klen = sqlite3_column_bytes(cst, 0);
		int64_t start = sqlite3_column_int64(cst, 1);
		char *key = sl_arena_alloc(&q->batch, (size_t)klen + 1);
		memcpy(key, k, (size_t)klen);
		/* the group values come back from the key's bytes */
		const char *p = key + (time_first(g) ? 8 : 0);
		for (int i = 0; i < g->ngroup; i++)
			p = sl_store_key_get(p, &q->batch, &g->group[i]);
		size_t glen = (size_t)(p - key);
		entry_t *e;
		/* sessions are cached per group, time windows per window */
		size_t lkey = g->w.type == SL_WIN_SESSION ? glen : (size_t)klen;
		if ((rc = lookup(g, key, lkey, g->group, INT64_MIN, &e, err)) != SL_OK)
			break;
		for (int i = 0; i < e->nwin && rc == SL_OK; i++) {
			win_t *w = &e->win[i];
			if (w->start != start || (w->flags & (W_DELETED | W_EMITTED)))
				continue;
			bool pass;
			project(g, e->group, w, &pass, err);
			w->flags |= W_EMITTED | W_DIRTY;
			mark_dirty(g, e);
			if (!pass || (g->w.type != SL_WIN_SESSION && w->end <= st - g->w.retention_ms))
				continue;
			w->flags |= W_SHOWN;
			q->out_wstart = w->start;
			q->out_wend = w->end;
			rc = sl_exec_sink(q, NULL, w->ts, false, err);
		}
	}
	sqlite3_reset(cst);
	if (rc != SL_OK)
		return rc;
	if (step != SQLITE_DONE)
		return db_error(q, err, "closing windows");
	if ((rc = write_dirty(g, err)) != SL_OK)
		return rc;
	g->next_close = INT64_MAX;
	if (sqlite3_step(g->st_pending) == SQLITE_ROW &&
	    sqlite3_column_type(g->st_pending, 0) != SQLITE_NULL)
		g->next_close = sqlite3_column_int64(g->st_pending, 0) + close_after(g);
	sqlite3_reset(g->st_pending);
	return SL_OK;
}

/* ------------------------------------------------------------- process */

static int
process_table(sl_agg_t *g, const rd_kafka_message_t *m, int64_t ts, bool value_null,
	      sl_error_t *err)
{
	sl_query_t *q = g->q;
	const sl_analysis_t *an = g->an;
	sl_value_t *oargs = g->oargs, *ogroup = g->ogroup;
	bool had_old = false, has_old = false, has_new = false;
	int rc;

	if ((rc = sl_exec_tx_begin(q, err)) != SL_OK)
		return rc;
	/* the key's previous row */
	sqlite3_bind_blob(g->st_src_get, 1, m->key ? m->key : "", (int)m->key_len, SQLITE_STATIC);
	if (sqlite3_step(g->st_src_get) == SQLITE_ROW) {
		had_old = true;
		int n = sqlite3_column_bytes(g->st_src_get, 0);
		char *bytes = sl_arena_alloc(&q->batch, (size_t)n + 1);
		memcpy(bytes, sqlite3_column_blob(g->st_src_get, 0), (size_t)n);
		int64_t ots = sqlite3_column_int64(g->st_src_get, 1);
		sl_error_t e;
		memcpy(g->oldrow, q->row, sizeof(*q->row) * (size_t)an->nrow);
		if (sl_exec_decode_value(q, bytes, (size_t)n, g->oldrow, &e) == SL_OK) {
			g->oldrow[an->rowtime] = sl_value_bigint(ots);
			bool pass = true;
			sl_eval_ctx_t ctx = {.row = g->oldrow, .arena = &q->batch, .err = &e};
			if (an->where != NULL && sl_expr_eval_bool(an->where, &ctx, &pass) != SL_OK)
				pass = false;
			if (pass && (rc = eval_row(g, g->oldrow, ogroup, oargs, m, &has_old)) != SL_OK) {
				sqlite3_reset(g->st_src_get);
				return rc;
			}
		}
	}
	sqlite3_reset(g->st_src_get);
	if (!value_null && (rc = eval_row(g, q->row, g->group, g->args, m, &has_new)) != SL_OK)
		return rc;

	/* remember the new row (or forget the key) */
	if (m->payload != NULL) {
		sqlite3_bind_blob(g->st_src_put, 1, m->key ? m->key : "", (int)m->key_len,
				  SQLITE_STATIC);
		sqlite3_bind_blob(g->st_src_put, 2, m->payload, (int)m->len, SQLITE_STATIC);
		sqlite3_bind_int64(g->st_src_put, 3, ts);
		rc = sqlite3_step(g->st_src_put);
		sqlite3_reset(g->st_src_put);
	} else if (had_old) {
		sqlite3_bind_blob(g->st_src_del, 1, m->key ? m->key : "", (int)m->key_len,
				  SQLITE_STATIC);
		rc = sqlite3_step(g->st_src_del);
		sqlite3_reset(g->st_src_del);
	} else {
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE)
		return db_error(q, err, "storing the source row");
	g->db_empty = false;
	rc = SL_OK;

	entry_t *e;
	win_t *w;
	sl_strbuf_t *okey = &g->okb;
	sl_strbuf_reset(okey);
	if (has_old) {
		group_key(g, ogroup);
		sl_strbuf_append(okey, g->kb.data, g->kb.len);
	}
	if (has_new)
		group_key(g, g->group);
	bool same = has_old && has_new && okey->len == g->kb.len &&
		    memcmp(okey->data, g->kb.data, okey->len) == 0;
	if (has_old) {
		rc = lookup(g, okey->data, okey->len, ogroup, INT64_MIN, &e, err);
		if (rc == SL_OK)
			rc = only_window(g, e, 0, 0, &w, err);
		if (rc == SL_OK) {
			apply(g, w, -1, oargs, m);
			if (ts > w->ts)
				w->ts = ts;
			if (same)
				apply(g, w, 1, g->args, m);
			rc = changed(g, e, w, m, err);
		}
	}
	if (rc != SL_OK)
		return rc;
	if (has_new && !same) {
		group_key(g, g->group);
		return add_row(g, g->group, g->args, ts, m, 0, err);
	}
	return SL_OK;
}

int
sl_agg_process(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
	       sl_error_t *err)
{
	sl_agg_t *g = q->agg;
	bool ok;
	int rc;

	g->seq++;
	if (g->of_table)
		return process_table(g, m, ts, value_null, err);
	if (value_null)
		return SL_OK;
	int p = m->partition >= 0 && m->partition < g->nparts ? m->partition : 0;
	if (ts > g->stream_time[p])
		g->stream_time[p] = ts;
	if (ts > g->max_time)
		g->max_time = ts;
	if ((rc = eval_row(g, q->row, g->group, g->args, m, &ok)) != SL_OK || !ok)
		return rc;
	if ((rc = add_row(g, g->group, g->args, ts, m, g->stream_time[p], err)) != SL_OK)
		return rc;
	if (g->final)
		return close_windows(g, g->max_time, g->max_time, err);
	return SL_OK;
}

int
sl_agg_tick(sl_query_t *q, size_t got, sl_error_t *err)
{
	sl_agg_t *g = q->agg;
	int64_t now = wall_ms();

	if (!g->final || g->idle_ms <= 0)
		return SL_OK;
	if (got > 0 || g->last_wall == 0) {
		g->last_wall = now;
		return SL_OK;
	}
	if (now - g->last_wall < g->idle_ms || g->next_close == INT64_MAX || g->max_time < 0)
		return SL_OK;
	return close_windows(g, g->max_time + (now - g->last_wall), g->max_time, err);
}

int
sl_agg_emit(sl_query_t *q, sl_error_t *err)
{
	sl_agg_t *g = q->agg;
	int rc;

	while (g->changed.cnext != &g->changed) {
		entry_t *e = g->changed.cnext;
		e->cprev->cnext = e->cnext;
		e->cnext->cprev = e->cprev;
		e->listed = false;
		for (int i = 0; i < e->nwin; i++) {
			if (!(e->win[i].flags & W_CHANGED))
				continue;
			if ((rc = emit_window(g, e, &e->win[i], NULL, err)) != SL_OK)
				return rc;
		}
	}
	return SL_OK;
}

/* ------------------------------------------------------------- storage */

/* Writes the changed windows of e (inside the open transaction). */
static int
write_entry(sl_agg_t *g, entry_t *e, sl_error_t *err)
{
	sl_query_t *q = g->q;
	const sl_analysis_t *an = g->an;
	sl_strbuf_t tmp;
	int rc;

	if ((rc = sl_exec_tx_begin(q, err)) != SL_OK)
		return rc;
	sl_strbuf_init(&tmp);
	size_t glen = 0;
	{
		sl_strbuf_reset(&g->skb);
		for (int i = 0; i < g->ngroup; i++)
			sl_store_key_put(&g->skb, &e->group[i]);
		glen = g->skb.len;
	}
	for (int i = 0; i < e->nwin; i++) {
		win_t *w = &e->win[i];
		if (!(w->flags & W_DIRTY))
			continue;
		row_key(g, &g->swk, g->skb.data, glen, w->start);
		if (w->flags & W_DELETED) {
			if (w->flags & W_INDB) {
				sqlite3_bind_blob(g->st_del, 1, g->swk.data, (int)g->swk.len, SQLITE_STATIC);
				rc = sqlite3_step(g->st_del);
				sqlite3_reset(g->st_del);
				if (rc != SQLITE_DONE)
					goto dberr;
			}
			continue;
		}
		bool pass;
		project(g, e->group, w, &pass, err);
		sqlite3_stmt *st = g->st_put;
		int col = 1;
		sqlite3_bind_blob(st, col++, g->swk.data, (int)g->swk.len, SQLITE_TRANSIENT);
		for (int k = 0; k < an->nout; k++) {
			if (!an->out[k].key && !pass)
				sqlite3_bind_null(st, col++);
			else
				sl_store_bind_value(st, col++, &q->out[k], an->out[k].type, &tmp);
		}
		if (g->w.type != SL_WIN_NONE) {
			sqlite3_bind_int64(st, col++, w->start);
			sqlite3_bind_int64(st, col++, w->end);
		}
		sl_strbuf_reset(&g->sb);
		sl_error_t e2;
		if (sl_serde_encode(g->state_serde, w->acc, &g->sb, &e2) < 0) {
			sl_strbuf_free(&tmp);
			sqlite3_reset(st);
			return sl_error_set(err, SL_ERR, "cannot store aggregate state: %s", e2.msg);
		}
		sqlite3_bind_text(st, col++, g->sb.data, (int)g->sb.len, SQLITE_STATIC);
		sqlite3_bind_int64(st, col++, w->ts);
		sqlite3_bind_int(st, col++, (w->flags & W_EMITTED) ? 1 : 0);
		sqlite3_bind_int(st, col++, (w->flags & W_SHOWN) && pass ? 1 : 0);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto dberr;
		w->flags |= W_INDB;
		if (w->start > g->stored_max_start)
			g->stored_max_start = w->start;
	}
	for (int i = 0; i < e->nwin; i++) {
		e->win[i].flags &= ~(unsigned)W_DIRTY;
		if (e->win[i].flags & W_DELETED)
			win_remove(g, e, i--);
	}
	unmark_dirty(e);
	g->db_empty = false;
	sl_strbuf_free(&tmp);
	return SL_OK;
dberr:
	sl_strbuf_free(&tmp);
	return db_error(q, err, "storing aggregate state");
}

static int
write_dirty(sl_agg_t *g, sl_error_t *err)
{
	int rc;
	while (g->dirty.dnext != &g->dirty)
		if ((rc = write_entry(g, g->dirty.dnext, err)) != SL_OK)
			return rc;
	return SL_OK;
}

/* Drops windows past retention from the cache and from SQLite. */
static int
expire(sl_agg_t *g, sl_error_t *err)
{
	sl_query_t *q = g->q;
	char sql[512];

	if (g->w.type == SL_WIN_NONE || g->max_time < 0)
		return SL_OK;
	int64_t limit = g->max_time - g->w.retention_ms;
	/* a pass over the cache and a DELETE per commit would cost more than
	 * windows kept a little past retention: expire in steps */
	int64_t step = g->w.retention_ms / 16 > 1000 ? g->w.retention_ms / 16 : 1000;
	if (limit < 0 || limit < g->expired_upto + step)
		return SL_OK;
	g->expired_upto = limit;
	for (entry_t *e = g->lru.next; e != &g->lru; e = e->next)
		for (int i = 0; i < e->nwin; i++)
			if (e->win[i].end < limit && !(e->win[i].flags & W_DIRTY) &&
			    !(e->win[i].flags & W_CHANGED))
				win_remove(g, e, i--);
	if (time_first(g)) {
		/* windows that end before limit start before limit - size */
		sqlite3_stmt *st;
		sl_strbuf_t b;
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE _k < ?", g->table);
		if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
			return db_error(q, err, "expiring windows");
		sl_strbuf_init(&b);
		sl_store_time_put(&b, limit - g->w.size_ms);
		sqlite3_bind_blob(st, 1, b.data, (int)b.len, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		sl_strbuf_free(&b);
		if (rc != SQLITE_DONE)
			return db_error(q, err, "expiring windows");
		return SL_OK;
	}
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE WINDOWEND < %lld", g->table,
		 (long long)limit);
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(q, err, "expiring windows");
	return SL_OK;
}

int
sl_agg_store(sl_query_t *q, sl_error_t *err)
{
	sl_agg_t *g = q->agg;
	sqlite3_stmt *st;
	int rc;

	if ((rc = write_dirty(g, err)) != SL_OK || (rc = expire(g, err)) != SL_OK)
		return rc;
	if (sqlite3_prepare_v2(q->db,
			       "INSERT OR REPLACE INTO _stream_time (partition, time) VALUES (?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(q, err, "storing stream time");
	for (int p = 0; p < g->nparts; p++) {
		if (g->stream_time[p] < 0)
			continue;
		sqlite3_bind_int(st, 1, p);
		sqlite3_bind_int64(st, 2, g->stream_time[p]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_error(q, err, "storing stream time");
		}
		sqlite3_reset(st);
	}
	sqlite3_bind_int(st, 1, -1);
	sqlite3_bind_int64(st, 2, g->seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(q, err, "storing the record sequence");
	return SL_OK;
}

/* ------------------------------------------------------------ lifecycle */

static int
prepare(sl_query_t *q, sqlite3_stmt **st, const char *sql, sl_error_t *err)
{
	if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "preparing \"%s\": %s", sql, sqlite3_errmsg(q->db));
	return SL_OK;
}

/* Creates the result table (dropping one of another shape, with the
 * query's stored offsets: its state no longer fits) and the statements. */
static int
create_tables(sl_agg_t *g, sl_error_t *err)
{
	sl_query_t *q = g->q;
	const sl_analysis_t *an = g->an;
	sl_strbuf_t sql, cols, tmp;
	char tbuf[64];
	int rc = SL_OK;

	sl_strbuf_init(&sql);
	sl_strbuf_init(&cols);
	sl_strbuf_init(&tmp);
	sl_store_quote_ident(&tmp, q->plan->has_output ? q->plan->output.name : q->plan->query_id);
	g->table = strdup(tmp.data);

	/* the column list (also the schema's fingerprint) */
	sl_strbuf_puts(&cols, "_k BLOB PRIMARY KEY");
	for (int i = 0; i < an->nout; i++) {
		sl_strbuf_puts(&cols, ", ");
		/* a push query may show the window bounds as columns of its
		 * own: they must not clash with the table's */
		const char *nm = an->out[i].name;
		if (strcmp(nm, "WINDOWSTART") == 0 || strcmp(nm, "WINDOWEND") == 0) {
			sl_strbuf_t alt;
			sl_strbuf_init(&alt);
			sl_strbuf_printf(&alt, "_col_%s", nm);
			sl_store_quote_ident(&cols, alt.data);
			sl_strbuf_free(&alt);
		} else {
			sl_store_quote_ident(&cols, nm);
		}
		sl_strbuf_printf(&cols, " %s", sl_store_sql_type(an->out[i].type, tbuf, sizeof(tbuf)));
	}
	if (g->w.type != SL_WIN_NONE)
		sl_strbuf_puts(&cols, ", WINDOWSTART BIGINT, WINDOWEND BIGINT");
	sl_strbuf_puts(&cols, ", _state JSON, _ts BIGINT, _emitted BOOLEAN, _shown BOOLEAN");
	sl_strbuf_printf(&sql, "CREATE TABLE %s (%s) WITHOUT ROWID", g->table, cols.data);

	/* a result of another shape starts over: its offsets and state go */
	bool recreated;
	const char *tname = q->plan->has_output ? q->plan->output.name : q->plan->query_id;
	if ((rc = sl_store_table_ensure(q->db, tname, sql.data, &recreated, err)) != SL_OK)
		goto done;
	sl_strbuf_t ddl;
	sl_strbuf_init(&ddl);
	sl_strbuf_puts(&ddl, "CREATE TABLE IF NOT EXISTS _stream_time (partition INTEGER PRIMARY KEY, "
		       "time INTEGER NOT NULL);");
	if (recreated)
		sl_strbuf_puts(&ddl, "DELETE FROM offsets; DROP TABLE IF EXISTS _source; "
			       "DELETE FROM _stream_time;");
	/* EMIT FINAL finds closing windows, and sessions expire, by their end */
	if (g->w.type == SL_WIN_SESSION || (g->w.type != SL_WIN_NONE && g->final))
		sl_strbuf_printf(&ddl, "CREATE INDEX IF NOT EXISTS \"%s_end\" ON %s (WINDOWEND);",
				 tname, g->table);
	if (g->of_table)
		sl_strbuf_puts(&ddl, "CREATE TABLE IF NOT EXISTS _source (k BLOB PRIMARY KEY, v BLOB, "
			       "ts INTEGER);");
	if (sqlite3_exec(q->db, ddl.data, NULL, NULL, NULL) != SQLITE_OK) {
		sl_strbuf_free(&ddl);
		rc = db_error(q, err, "creating the state tables");
		goto done;
	}
	sl_strbuf_free(&ddl);

	/* statements */
	const char *wcols = g->w.type != SL_WIN_NONE ? "WINDOWSTART, WINDOWEND" : "0, 0";
#define PREP(stp, ...)                                                  \
	do {                                                            \
		sl_strbuf_reset(&sql);                                  \
		sl_strbuf_printf(&sql, __VA_ARGS__);                    \
		if ((rc = prepare(q, stp, sql.data, err)) != SL_OK)     \
			goto done;                                      \
	} while (0)
	PREP(&g->st_get, "SELECT %s, _state, _ts, _emitted, _shown FROM %s WHERE _k = ?", wcols,
	     g->table);
	PREP(&g->st_range,
	     "SELECT %s, _state, _ts, _emitted, _shown FROM %s WHERE _k > ? AND _k < ? ORDER BY _k",
	     wcols, g->table);
	sl_strbuf_reset(&tmp);
	int n = 1 + an->nout + (g->w.type != SL_WIN_NONE ? 2 : 0) + 4;
	for (int i = 0; i < n; i++)
		sl_strbuf_puts(&tmp, i ? ", ?" : "?");
	PREP(&g->st_put, "INSERT OR REPLACE INTO %s VALUES (%s)", g->table, tmp.data);
	PREP(&g->st_del, "DELETE FROM %s WHERE _k = ?", g->table);
	if (g->w.type != SL_WIN_NONE) {
		PREP(&g->st_close,
		     "SELECT _k, WINDOWSTART FROM %s WHERE _emitted = 0 AND WINDOWEND <= ? "
		     "ORDER BY WINDOWEND, _k", g->table);
		PREP(&g->st_pending, "SELECT MIN(WINDOWEND) FROM %s WHERE _emitted = 0", g->table);
	}
	if (g->of_table) {
		PREP(&g->st_src_get, "SELECT v, ts FROM _source WHERE k = ?");
		PREP(&g->st_src_put, "INSERT OR REPLACE INTO _source (k, v, ts) VALUES (?, ?, ?)");
		PREP(&g->st_src_del, "DELETE FROM _source WHERE k = ?");
	}
#undef PREP

	/* stored stream times and sequence; is anything stored at all */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(q->db, "SELECT partition, time FROM _stream_time", -1, &st, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			int p = sqlite3_column_int(st, 0);
			int64_t t = sqlite3_column_int64(st, 1);
			if (p == -1)
				g->seq = t;
			else if (p >= 0 && p < g->nparts)
				g->stream_time[p] = t;
			if (p >= 0 && t > g->max_time)
				g->max_time = t;
		}
		sqlite3_finalize(st);
	}
	sl_strbuf_reset(&sql);
	sl_strbuf_printf(&sql, "SELECT (SELECT 1 FROM %s LIMIT 1), %s", g->table,
			 g->of_table ? "(SELECT 1 FROM _source LIMIT 1)" : "NULL");
	if (sqlite3_prepare_v2(q->db, sql.data, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			g->db_empty = sqlite3_column_type(st, 0) == SQLITE_NULL &&
				      sqlite3_column_type(st, 1) == SQLITE_NULL;
		sqlite3_finalize(st);
	}
	g->stored_max_start = INT64_MAX;
	if (g->db_empty) {
		g->stored_max_start = INT64_MIN;
	} else if (g->w.type == SL_WIN_TUMBLING || g->w.type == SL_WIN_HOPPING) {
		sl_strbuf_reset(&sql);
		sl_strbuf_printf(&sql, "SELECT MAX(WINDOWSTART) FROM %s", g->table);
		if (sqlite3_prepare_v2(q->db, sql.data, -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW &&
			    sqlite3_column_type(st, 0) != SQLITE_NULL)
				g->stored_max_start = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
	}
	if (g->final && !g->db_empty) {
		if (sqlite3_step(g->st_pending) == SQLITE_ROW &&
		    sqlite3_column_type(g->st_pending, 0) != SQLITE_NULL)
			g->next_close = sqlite3_column_int64(g->st_pending, 0) + close_after(g);
		sqlite3_reset(g->st_pending);
	}
done:
	sl_strbuf_free(&sql);
	sl_strbuf_free(&cols);
	sl_strbuf_free(&tmp);
	return rc;
}

int
sl_agg_create(sl_query_t *q, sl_error_t *err)
{
	const sl_analysis_t *an = q->an;
	sl_agg_t *g = calloc(1, sizeof(*g));
	int rc, nargs = 0;

	if (g == NULL)
		abort();
	q->agg = g;
	g->q = q;
	g->an = an;
	g->ngroup = an->ngroup;
	g->nagg = an->nagg;
	g->w = an->window;
	g->of_table = q->plan->input.kind == SL_OBJ_TABLE;
	g->final = an->emit == SL_EMIT_FINAL;
	g->caching = q->env.caching;
	g->idle_ms = q->env.emit_final_idle_ms;
	g->max_rows = q->env.cache_rows > 0 ? (size_t)q->env.cache_rows : AGG_DEFAULT_CACHE_ROWS;
	g->next_close = INT64_MAX;
	g->max_time = -1;
	g->lru.next = g->lru.prev = &g->lru;
	g->changed.cnext = g->changed.cprev = &g->changed;
	g->dirty.dnext = g->dirty.dprev = &g->dirty;
	g->expired_upto = INT64_MIN / 2;
	g->nbuckets = 1024;
	g->buckets = calloc(g->nbuckets, sizeof(*g->buckets));
	g->nparts = q->plan->input.partitions > 0 ? q->plan->input.partitions : 1;
	g->stream_time = malloc(sizeof(*g->stream_time) * (size_t)g->nparts);
	g->calls = calloc((size_t)g->nagg + 1, sizeof(*g->calls));
	g->argoff = calloc((size_t)g->nagg + 1, sizeof(*g->argoff));
	g->state_fields = calloc((size_t)g->nagg + 1, sizeof(*g->state_fields));
	if (g->buckets == NULL || g->stream_time == NULL || g->calls == NULL || g->argoff == NULL ||
	    g->state_fields == NULL)
		abort();
	for (int p = 0; p < g->nparts; p++)
		g->stream_time[p] = -1;
	sl_strbuf_init(&g->kb);
	sl_strbuf_init(&g->sb);
	sl_strbuf_init(&g->wk);
	sl_strbuf_init(&g->skb);
	sl_strbuf_init(&g->swk);
	sl_strbuf_init(&g->okb);
	for (int i = 0; i < g->nagg; i++) {
		const sl_aggcall_t *ac = &an->aggs[i];
		char name[16];
		g->argoff[i] = nargs;
		nargs += ac->argc;
		g->calls[i] = (sl_fcall_t){
			.argc = ac->argc, .argt = ac->bind.argt, .ret = ac->bind.ret,
			.state = ac->bind.state, .func = ac->bind.func,
		};
		snprintf(name, sizeof(name), "A%d", i);
		g->state_fields[i].name = sl_arena_strdup(&q->plan->arena, name);
		g->state_fields[i].type = ac->bind.state_type ? ac->bind.state_type : ac->bind.ret;
	}
	g->argoff[g->nagg] = nargs;
	g->args = calloc((size_t)nargs + 1, sizeof(*g->args));
	g->oargs = calloc((size_t)nargs + 1, sizeof(*g->oargs));
	g->ogroup = calloc((size_t)g->ngroup + 1, sizeof(*g->ogroup));
	g->group = calloc((size_t)g->ngroup + 1, sizeof(*g->group));
	g->oldrow = calloc((size_t)an->nrow + 1, sizeof(*g->oldrow));
	g->aggrow = calloc((size_t)an->agg_nrow + 1, sizeof(*g->aggrow));
	if (g->args == NULL || g->oargs == NULL || g->ogroup == NULL || g->group == NULL ||
	    g->oldrow == NULL || g->aggrow == NULL)
		abort();
	sl_serde_opts_t opts = {.wrap = SL_SERDE_WRAP_DEFAULT};
	if ((rc = sl_serde_create(SL_FORMAT_JSON, g->state_fields, g->nagg, &opts, &g->state_serde,
				  err)) != SL_OK)
		return rc;
	return create_tables(g, err);
}

void
sl_agg_destroy(sl_agg_t *g)
{
	if (g == NULL)
		return;
	for (entry_t *e = g->lru.next, *next; e != &g->lru; e = next) {
		next = e->next;
		entry_free(g, e);
	}
	sqlite3_finalize(g->st_get);
	sqlite3_finalize(g->st_range);
	sqlite3_finalize(g->st_put);
	sqlite3_finalize(g->st_del);
	sqlite3_finalize(g->st_pending);
	sqlite3_finalize(g->st_close);
	sqlite3_finalize(g->st_src_get);
	sqlite3_finalize(g->st_src_put);
	sqlite3_finalize(g->st_src_del);
	sl_serde_destroy(g->state_serde);
	sl_strbuf_free(&g->kb);
	sl_strbuf_free(&g->sb);
	sl_strbuf_free(&g->wk);
	sl_strbuf_free(&g->skb);
	sl_strbuf_free(&g->swk);
	sl_strbuf_free(&g->okb);
	free(g->oargs);
	free(g->ogroup);
	free(g->buckets);
	free(g->stream_time);
	free(g->calls);
	free(g->argoff);
	free(g->state_fields);
	free(g->args);
	free(g->group);
	free(g->oldrow);
	free(g->aggrow);
	free(g->table);
	free(g);
}

uint64_t
sl_agg_late(const sl_agg_t *agg)
{
	return agg != NULL ? (uint64_t)agg->late : 0;
}
