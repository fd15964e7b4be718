/*
 * join.c: the join operators and their state.
 *
 * Stage: exec.  A join query reads every source of its FROM clause with
 * the query's one consumer.  A record is decoded into its source's segment
 * of the evaluation row and handed to the join node it feeds (source 0:
 * node 0's left side; source i: node i-1's right side).  A node matches it
 * against its state and hands each result to the next node's left side,
 * and the last node to the rest of the query (WHERE, aggregation or
 * projection, sink) through sl_exec_row().  Semantics are Kafka Streams'
 * as ksqlDB uses them:
 *
 *   stream-stream  each side's records are kept for before + after + grace
 *                  in a window store; a record joins the other side's
 *                  records within [ts - before, ts + after] (the right
 *                  side's window mirrored); results carry the larger
 *                  timestamp.  An outer side's unmatched record is emitted
 *                  with NULLs at once, or, with a GRACE PERIOD, held until
 *                  its window closes (no spurious early NULL row).
 *   stream-table   a stream record looks its key up in the table's current
 *                  state; table changes only update the state.
 *   table-table    both sides kept by key; a change on one side is joined
 *                  with the other side's row (KTable-KTable join rules,
 *                  tombstones included); timestamps are the larger one.
 *   foreign key    the left table's rows are kept with their foreign key
 *                  (indexed); a right change is joined with every left row
 *                  pointing at it.
 *
 * State lives in the query's SQLite database, written in the commit
 * interval's transaction together with the input offsets, so state,
 * offsets and output stay consistent across a crash.  Rows are stored as
 * JSON objects of the side's row slots (its sources' columns and
 * pseudo-columns).  Join keys are stored as SQLite integers (INT, BIGINT)
 * or text (STRING, and the JSON form of other types).
 */
#include "exec/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * A table side's rows are cached in memory in front of SQLite: a
 * direct-mapped array of slots by the hash of the key, holding the stored
 * row's bytes (or that the key has no row).  Writes go to both; a slot
 * taken by another key is a miss that reads SQLite.  Bounded: at most
 * nslots entries.
 */
typedef struct jcent {
	uint64_t hash;
	int64_t ts;
	uint32_t klen, vlen;            /* vlen UINT32_MAX: no row */
	char bytes[];                   /* key, then row */
} jcent_t;

#define JC_NONE UINT32_MAX

/* The state of one side of a node: its row slots and serde, and its
 * store's statements. */
typedef struct jside {
	jcent_t **cache;                /* table sides; NULL: none */
	size_t cache_mask;
	int first, last;                /* row slots [first, last) */
	sl_serde_t *serde;              /* JSON of those slots */
	bool outer;                     /* unmatched rows are emitted */
	int64_t store_time;             /* SS: the largest timestamp stored */
	sqlite3_stmt *put, *get, *del, *fetch, *purge, *by_fk;
} jside_t;

typedef struct jnode {
	const sl_join_node_t *nd;
	jside_t side[2];                /* 0: left, 1: right */
	int64_t stream_time;            /* SS: over both sides */
	int64_t seq;                    /* SS: insertion order of stored rows */
	sqlite3_stmt *o_put, *o_del, *o_scan, *o_drop;   /* SS outer store */
	bool dirty_time;
	const sl_type_t *kt;            /* the join key's type */
	const sl_type_t *lkt;           /* FK: the left table's key type */
} jnode_t;

typedef struct jsrc {
	const sl_plan_io_t *io;
	const sl_join_src_t *js;
	sl_serde_t *key, *value;
	int *vmap;                      /* value column i -> row slot */
	int nvals;
	sl_value_t *vals;
	int queue;                      /* its partition 0's queue */
	const rd_kafka_topic_t *rkt;    /* its topic handle, once seen */
} jsrc_t;

/* The records of one input partition polled and not processed yet. */
typedef struct jqueue {
	const char *topic;
	int partition;
	int src;
	rd_kafka_message_t **msgs;
	size_t head, n, cap;
	int64_t next;                   /* offset after the last processed; -1 */
	int64_t head_ts;                /* the timestamp of msgs[head] */
	bool paused;                    /* fetching paused: the queue is full */
	int64_t behind_since;           /* ms: empty while the broker has more */
} jqueue_t;

struct sl_join_rt {
	const sl_join_t *j;
	int nqueue;
	jqueue_t *queue;
	int nsrc;
	jsrc_t *src;
	jnode_t *node;
	sl_strbuf_t buf;                /* an encoded row */
	sl_strbuf_t kb;                 /* a key's cache bytes */
	sl_value_t key;                 /* the join key of the row in hand */
	int64_t wstart;                 /* and its window (windowed sources),
					 * or INT64_MIN */
	sqlite3_stmt *meta_put;
	sqlite3_stmt *out_put, *out_del;  /* a filtered table's result keys */
};

#define JERR(q, err, what) sl_error_set((err), SL_EIO, "%s: %s", (what), sqlite3_errmsg((q)->db))

/* ---------------------------------------------------------------- keys */

/* Binds a join key to parameter i: integers as integers, strings as text,
 * anything else as its JSON text. */
static void
bind_key(sl_query_t *q, sqlite3_stmt *st, int i, const sl_value_t *k, const sl_type_t *t)
{
	if (q->join->wstart != INT64_MIN) {
		/* windowed sources join within the same window */
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		sl_value_format_json(&sb, k, t);
		sl_strbuf_printf(&sb, "@%" PRId64, q->join->wstart);
		char *s = sl_arena_alloc(&q->batch, sb.len + 1);
		memcpy(s, sb.data, sb.len);
		s[sb.len] = 0;
		sqlite3_bind_text(st, i, s, (int)sb.len, SQLITE_STATIC);
		sl_strbuf_free(&sb);
		return;
	}
	switch (k->kind) {
	case SL_T_INT:
	case SL_T_DATE:
		sqlite3_bind_int64(st, i, k->u.i);
		return;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		sqlite3_bind_int64(st, i, k->u.l);
		return;
	case SL_T_STRING:
		sqlite3_bind_text(st, i, k->u.s.len ? k->u.s.ptr : "", k->u.s.len, SQLITE_STATIC);
		return;
	default: {
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		sl_value_format_json(&sb, k, t);
		char *s = sl_arena_alloc(&q->batch, sb.len + 1);
		memcpy(s, sb.data ? sb.data : "", sb.len);
		s[sb.len] = 0;
		sqlite3_bind_text(st, i, s, (int)sb.len, SQLITE_STATIC);
		sl_strbuf_free(&sb);
	}
	}
}

/* ---------------------------------------------------------------- rows */

static void
null_slots(sl_query_t *q, const jside_t *s)
{
	for (int i = s->first; i < s->last; i++)
		q->row[i] = sl_value_null();
}

/* Encodes the side's slots of the row into rt->buf. */
static int
encode_side(sl_query_t *q, const jside_t *s, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	sl_strbuf_reset(&rt->buf);
	int rc = sl_serde_encode(s->serde, q->row + s->first, &rt->buf, err);
	return rc < 0 ? rc : SL_OK;
}

/* Decodes a stored row (column col of st) into the side's slots. */
static int
decode_side(sl_query_t *q, const jside_t *s, sqlite3_stmt *st, int col, sl_error_t *err)
{
	int n = sqlite3_column_bytes(st, col);
	char *bytes = sl_arena_alloc(&q->batch, (size_t)n + 1);
	memcpy(bytes, sqlite3_column_blob(st, col), (size_t)n);
	int rc = sl_serde_decode(s->serde, bytes, (size_t)n, &q->batch, q->row + s->first, err);
	return rc < 0 ? rc : SL_OK;
}

/* ------------------------------------------------------------ pipeline */

static sl_value_t left_key(sl_query_t *q);

static int node_input(sl_query_t *q, int n, int side, const rd_kafka_message_t *m, int64_t ts,
		      bool del, sl_error_t *err);

/* A result of node n: on to the next node, or to the rest of the query. */
static int
emit(sl_query_t *q, int n, const rd_kafka_message_t *m, int64_t ts, bool del, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	const sl_join_t *j = rt->j;

	if (n + 1 < j->nnode)
		return node_input(q, n + 1, 0, m, ts, del, err);
	q->row[j->rowtime] = sl_value_bigint(ts);
	if (j->rowkey >= 0)
		q->row[j->rowkey] = rt->key;
	if (q->an->windowstart >= 0) {
		/* the window of whichever source is present */
		for (int s = 0; s < j->nsrc; s++) {
			const sl_value_t *ws = &q->row[j->src[s].windowstart];
			if (sl_value_is_null(ws))
				continue;
			q->row[q->an->windowstart] = *ws;
			q->row[q->an->windowend] = q->row[j->src[s].windowend];
			q->out_wstart = ws->u.l;
			q->out_wend = q->row[j->src[s].windowend].u.l;
			break;
		}
	}
	q->in_key_null = false;
	if (rt->out_put == NULL)
		return sl_exec_row(q, m, ts, del, j->table, err);

	/* a filtered table: a row that fails WHERE deletes the result only if
	 * the result exists (Kafka Streams' filter with old values) */
	const jnode_t *last = &rt->node[j->nnode - 1];
	sl_value_t k = last->nd->op == SL_JOIN_FK ? left_key(q) : rt->key;
	const sl_type_t *kt = last->nd->op == SL_JOIN_FK ? last->lkt : last->kt;
	bool pass = false;
	if (!del) {
		sl_error_t e;
		sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = &e};
		if (sl_expr_eval_bool(q->an->where, &ctx, &pass) != SL_OK) {
			sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
			pass = false;
		}
	}
	sqlite3_stmt *st = pass ? rt->out_put : rt->out_del;
	bind_key(q, st, 1, &k, kt);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return JERR(q, err, "join state");
	if (!pass && sqlite3_changes(q->db) == 0)
		return SL_OK;
	return sl_exec_filtered(q, m, ts, !pass, err);
}

/* A stored row copied out of SQLite: its timestamp and encoded value. */
typedef struct srow {
	int64_t ts;
	char *v;
	int len;
} srow_t;

/* Steps st (bound) to its end and resets it, copying each row into the
 * batch arena: its blob column tscol + 1, and its timestamp from column
 * tscol (tscol < 0: no timestamp, the blob is column 0).  Rows are copied
 * before any is used, since emitting may write to the table read. */
static int
collect_rows(sl_query_t *q, sqlite3_stmt *st, int tscol, srow_t **out, int *n, sl_error_t *err)
{
	int cap = 0, nm = 0, rc, vcol = tscol + 1;
	srow_t *rows = NULL;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nm == cap) {
			cap = cap ? cap * 2 : 8;
			srow_t *v = sl_arena_alloc(&q->batch, sizeof(*v) * (size_t)cap);
			if (nm)
				memcpy(v, rows, sizeof(*v) * (size_t)nm);
			rows = v;
		}
		rows[nm].ts = tscol >= 0 ? sqlite3_column_int64(st, tscol) : 0;
		rows[nm].len = sqlite3_column_bytes(st, vcol);
		rows[nm].v = sl_arena_alloc(&q->batch, (size_t)rows[nm].len + 1);
		memcpy(rows[nm].v, sqlite3_column_blob(st, vcol), (size_t)rows[nm].len);
		nm++;
	}
	sqlite3_reset(st);
	*out = rows;
	*n = nm;
	return rc == SQLITE_DONE ? SL_OK : JERR(q, err, "join state");
}

/* ---------------------------------------------------------- stream-stream */

/* Emits the held unmatched rows whose window closed (GRACE PERIOD). */
static int
ss_expire(sl_query_t *q, int n, int side, const rd_kafka_message_t *m, sl_error_t *err)
{
	jnode_t *jn = &q->join->node[n];
	const sl_join_node_t *nd = jn->nd;
	int64_t after = side == 0 ? nd->after_ms : nd->before_ms;
	sl_value_t saved = q->join->key;
	int64_t saved_w = q->join->wstart;
	int rc = SL_OK;

	for (;;) {
		sqlite3_stmt *st = jn->o_scan;
		sqlite3_bind_int64(st, 1, jn->stream_time - after - nd->grace_ms);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			break;
		}
		int64_t ts = sqlite3_column_int64(st, 0);
		int s = sqlite3_column_int(st, 1) ? 0 : 1;
		int64_t rowid = sqlite3_column_int64(st, 3);
		null_slots(q, &jn->side[!s]);
		rc = decode_side(q, &jn->side[s], st, 2, err);
		/* the key: evaluated again over the restored row */
		sl_value_t k = sl_value_null();
		sl_error_t e;
		sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = &e};
		sl_expr_eval(s == 0 ? nd->lkey : nd->rkey, &ctx, &k);
		const sl_join_src_t *wsrc = &q->join->j->src[s == 0 ? 0 : n + 1];
		q->join->wstart = wsrc->windowstart >= 0 && !sl_value_is_null(&q->row[wsrc->windowstart]) ?
				  q->row[wsrc->windowstart].u.l : INT64_MIN;
		sqlite3_reset(st);
		sqlite3_bind_int64(jn->o_drop, 1, rowid);
		if (sqlite3_step(jn->o_drop) != SQLITE_DONE) {
			sqlite3_reset(jn->o_drop);
			return JERR(q, err, "join state");
		}
		sqlite3_reset(jn->o_drop);
		if (rc != SL_OK)
			return rc;
		q->join->key = k;
		if ((rc = emit(q, n, m, ts, false, err)) != SL_OK)
			return rc;
	}
	q->join->key = saved;
	q->join->wstart = saved_w;
	return rc;
}

static int
ss_input(sl_query_t *q, int n, int side, const rd_kafka_message_t *m, int64_t ts,
	 sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	jnode_t *jn = &rt->node[n];
	const sl_join_node_t *nd = jn->nd;
	jside_t *me = &jn->side[side], *other = &jn->side[!side];
	int64_t retention = nd->before_ms + nd->after_ms + nd->grace_ms;
	int64_t before = side == 0 ? nd->before_ms : nd->after_ms;
	int64_t after = side == 0 ? nd->after_ms : nd->before_ms;
	sl_value_t key = rt->key;
	int64_t wstart = rt->wstart;
	int rc;

	if (ts > jn->stream_time)
		jn->stream_time = ts;
	if (ts > me->store_time)
		me->store_time = ts;
	jn->dirty_time = true;
	/* keep the record, unless its window has already expired */
	if (ts >= me->store_time - retention) {
		if ((rc = encode_side(q, me, err)) != SL_OK)
			return rc;
		bind_key(q, me->put, 1, &key, jn->kt);
		sqlite3_bind_int64(me->put, 2, ts);
		sqlite3_bind_int64(me->put, 3, jn->seq++);
		sqlite3_bind_blob(me->put, 4, rt->buf.data, (int)rt->buf.len, SQLITE_TRANSIENT);
		rc = sqlite3_step(me->put);
		sqlite3_reset(me->put);
		if (rc != SQLITE_DONE)
			return JERR(q, err, "join state");
	}
	int mine = me->last - me->first;
	sl_value_t saved[mine > 0 ? mine : 1];
	memcpy(saved, q->row + me->first, sizeof(*saved) * (size_t)mine);
	if (nd->has_grace && (me->outer || other->outer) && ts == jn->stream_time &&
	    (rc = ss_expire(q, n, side, m, err)) != SL_OK)
		return rc;

	/* the other side's records within the window */
	int64_t from = ts - before < 0 ? 0 : ts - before, to = ts + after;
	int64_t visible = other->store_time - retention;
	bool matched = false;
	sqlite3_stmt *st = other->fetch;
	bind_key(q, st, 1, &key, jn->kt);
	sqlite3_bind_int64(st, 2, from > visible ? from : visible);
	sqlite3_bind_int64(st, 3, to);
	/* rows are collected first: emitting may write to this node's state */
	srow_t *ms;
	int nm;
	if ((rc = collect_rows(q, st, 0, &ms, &nm, err)) != SL_OK)
		return rc;
	/* the record's own slots are restored before each match: emitting
	 * may have changed them */
	for (int i = 0; i < nm; i++) {
		matched = true;
		rt->wstart = wstart;
		if (nd->has_grace && jn->o_del != NULL) {
			bind_key(q, jn->o_del, 1, &key, jn->kt);
			sqlite3_bind_int64(jn->o_del, 2, ms[i].ts);
			sqlite3_bind_int(jn->o_del, 3, side == 0 ? 0 : 1);
			rc = sqlite3_step(jn->o_del);
			sqlite3_reset(jn->o_del);
			if (rc != SQLITE_DONE)
				return JERR(q, err, "join state");
		}
		memcpy(q->row + me->first, saved, sizeof(*saved) * (size_t)mine);
		rc = sl_serde_decode(other->serde, ms[i].v, (size_t)ms[i].len, &q->batch,
				     q->row + other->first, err);
		if (rc < 0)
			return rc;
		rt->key = key;
		if ((rc = emit(q, n, m, ts > ms[i].ts ? ts : ms[i].ts, false, err)) != SL_OK)
			return rc;
	}
	if (matched || !me->outer)
		return SL_OK;
	memcpy(q->row + me->first, saved, sizeof(*saved) * (size_t)mine);
	if (!nd->has_grace || to < jn->stream_time) {
		null_slots(q, other);
		rt->key = key;
		return emit(q, n, m, ts, false, err);
	}
	/* held until its window closes */
	rt->wstart = wstart;
	if ((rc = encode_side(q, me, err)) != SL_OK)
		return rc;
	sqlite3_bind_int64(jn->o_put, 1, ts);
	sqlite3_bind_int(jn->o_put, 2, side == 0 ? 1 : 0);
	bind_key(q, jn->o_put, 3, &key, jn->kt);
	sqlite3_bind_blob(jn->o_put, 4, rt->buf.data, (int)rt->buf.len, SQLITE_TRANSIENT);
	rc = sqlite3_step(jn->o_put);
	sqlite3_reset(jn->o_put);
	return rc == SQLITE_DONE ? SL_OK : JERR(q, err, "join state");
}

/* ------------------------------------------------------------- tables */

/* The bytes that identify a key in the cache (as bind_key() stores it). */
static void
key_bytes(sl_query_t *q, const sl_value_t *k, const sl_type_t *t, sl_strbuf_t *out)
{
	sl_strbuf_reset(out);
	if (q->join->wstart != INT64_MIN) {
		sl_value_format_json(out, k, t);
		sl_strbuf_printf(out, "@%" PRId64, q->join->wstart);
		return;
	}
	switch (k->kind) {
	case SL_T_INT:
	case SL_T_DATE:
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME: {
		int64_t v = k->kind == SL_T_INT || k->kind == SL_T_DATE ? k->u.i : k->u.l;
		sl_strbuf_putc(out, 'i');
		sl_strbuf_append(out, (const char *)&v, sizeof(v));
		return;
	}
	case SL_T_STRING:
		sl_strbuf_putc(out, 's');
		sl_strbuf_append(out, k->u.s.ptr, (size_t)k->u.s.len);
		return;
	default:
		sl_strbuf_putc(out, 'j');
		sl_value_format_json(out, k, t);
	}
}

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* The cache slot of the key in rt->kb (hash in *h). */
static jcent_t **
cache_slot(sl_join_rt_t *rt, jside_t *s, uint64_t *h)
{
	*h = hash_bytes(rt->kb.data, rt->kb.len);
	return &s->cache[*h & s->cache_mask];
}

static void
cache_set(sl_join_rt_t *rt, jside_t *s, const char *v, uint32_t vlen, int64_t ts)
{
	uint64_t h;
	jcent_t **slot = cache_slot(rt, s, &h);
	size_t klen = rt->kb.len, n = klen + (vlen == JC_NONE ? 0 : vlen);
	jcent_t *e = *slot;
	if (e == NULL || e->klen + (e->vlen == JC_NONE ? 0 : e->vlen) < n) {
		free(e);
		e = malloc(sizeof(*e) + n + 1);
		if (e == NULL)
			abort();
		*slot = e;
	}
	e->hash = h;
	e->ts = ts;
	e->klen = (uint32_t)klen;
	e->vlen = vlen;
	memcpy(e->bytes, rt->kb.data, klen);
	if (vlen != JC_NONE)
		memcpy(e->bytes + klen, v, vlen);
}

/* Looks key up in a side's table store; on a hit decodes the row into the
 * side's slots and sets *ts.  *found false leaves the slots alone. */
static int
table_get(sl_query_t *q, jside_t *s, const sl_value_t *key, const sl_type_t *kt, bool *found,
	  int64_t *ts, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	int rc;

	*found = false;
	if (s->cache != NULL) {
		uint64_t h;
		key_bytes(q, key, kt, &rt->kb);
		jcent_t *e = *cache_slot(rt, s, &h);
		if (e != NULL && e->hash == h && e->klen == rt->kb.len &&
		    memcmp(e->bytes, rt->kb.data, e->klen) == 0) {
			if (e->vlen == JC_NONE)
				return SL_OK;
			*found = true;
			if (ts != NULL)
				*ts = e->ts;
			char *bytes = sl_arena_alloc(&q->batch, e->vlen + 1);
			memcpy(bytes, e->bytes + e->klen, e->vlen);
			rc = sl_serde_decode(s->serde, bytes, e->vlen, &q->batch, q->row + s->first,
					     err);
			return rc < 0 ? rc : SL_OK;
		}
	}
	bind_key(q, s->get, 1, key, kt);
	rc = sqlite3_step(s->get);
	if (rc == SQLITE_ROW) {
		*found = true;
		int64_t rts = sqlite3_column_int64(s->get, 1);
		if (ts != NULL)
			*ts = rts;
		if (s->cache != NULL)
			cache_set(rt, s, sqlite3_column_blob(s->get, 0),
				  (uint32_t)sqlite3_column_bytes(s->get, 0), rts);
		rc = decode_side(q, s, s->get, 0, err);
		sqlite3_reset(s->get);
		return rc;
	}
	sqlite3_reset(s->get);
	if (rc != SQLITE_DONE)
		return JERR(q, err, "join state");
	if (s->cache != NULL)
		cache_set(rt, s, NULL, JC_NONE, 0);
	return SL_OK;
}

/* Stores (del: forgets) the side's row under key; fk: the foreign key
 * column of a foreign-key join's left side, or NULL. */
static int
table_put(sl_query_t *q, jside_t *s, const sl_value_t *key, const sl_type_t *kt, bool del,
	  int64_t ts, const sl_value_t *fk, const sl_type_t *fk_type, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	int rc;

	if (s->cache != NULL)
		key_bytes(q, key, kt, &rt->kb);
	if (del) {
		bind_key(q, s->del, 1, key, kt);
		rc = sqlite3_step(s->del);
		sqlite3_reset(s->del);
		if (s->cache != NULL)
			cache_set(rt, s, NULL, JC_NONE, 0);
		return rc == SQLITE_DONE ? SL_OK : JERR(q, err, "join state");
	}
	if ((rc = encode_side(q, s, err)) != SL_OK)
		return rc;
	if (s->cache != NULL)
		cache_set(rt, s, rt->buf.data, (uint32_t)rt->buf.len, ts);
	bind_key(q, s->put, 1, key, kt);
	sqlite3_bind_blob(s->put, 2, rt->buf.data, (int)rt->buf.len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s->put, 3, ts);
	if (fk != NULL) {
		/* a foreign key points at an unwindowed table row */
		int64_t wstart = rt->wstart;
		rt->wstart = INT64_MIN;
		if (sl_value_is_null(fk))
			sqlite3_bind_null(s->put, 4);
		else
			bind_key(q, s->put, 4, fk, fk_type);
		rt->wstart = wstart;
	}
	rc = sqlite3_step(s->put);
	sqlite3_reset(s->put);
	return rc == SQLITE_DONE ? SL_OK : JERR(q, err, "join state");
}

static int
st_input(sl_query_t *q, int n, int side, const rd_kafka_message_t *m, int64_t ts, bool del,
	 sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	jnode_t *jn = &rt->node[n];
	sl_value_t key = rt->key;
	bool found;
	int rc;

	if (side == 1)
		return table_put(q, &jn->side[1], &key, jn->kt, del, ts, NULL, NULL, err);
	if ((rc = table_get(q, &jn->side[1], &key, jn->kt, &found, NULL, err)) != SL_OK)
		return rc;
	if (!found && jn->nd->type == SL_JOIN_INNER)
		return SL_OK;
	if (!found)
		null_slots(q, &jn->side[1]);
	rt->key = key;
	return emit(q, n, m, ts, false, err);
}

/*
 * A change of one side of a table-table join on the key: Kafka Streams'
 * KTable-KTable join processors.  An outer side sends its old values, so
 * deleting a row that had a result deletes the result.
 */
static int
tt_input(sl_query_t *q, int n, int side, const rd_kafka_message_t *m, int64_t ts, bool del,
	 sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	jnode_t *jn = &rt->node[n];
	jside_t *me = &jn->side[side], *other = &jn->side[!side];
	sl_value_t key = rt->key;
	bool had_old = false, found;
	int64_t ots = 0;
	int rc;

	/* the side's old row exists? (decoded into a scratch copy) */
	if (me->outer) {
		int w = me->last - me->first;
		sl_value_t keep[w > 0 ? w : 1];
		memcpy(keep, q->row + me->first, sizeof(*keep) * (size_t)w);
		if ((rc = table_get(q, me, &key, jn->kt, &had_old, NULL, err)) != SL_OK)
			return rc;
		memcpy(q->row + me->first, keep, sizeof(*keep) * (size_t)w);
	}
	if ((rc = table_put(q, me, &key, jn->kt, del, ts, NULL, NULL, err)) != SL_OK)
		return rc;
	if ((rc = table_get(q, other, &key, jn->kt, &found, &ots, err)) != SL_OK)
		return rc;
	int64_t rts = found && ots > ts ? ots : ts;
	rt->key = key;
	if (!found) {
		if (!me->outer || (del && !had_old))
			return SL_OK;
		/* an outer side alone: its row with NULLs, or its deletion */
		null_slots(q, other);
		return emit(q, n, m, ts, del, err);
	}
	if (!del)
		return emit(q, n, m, rts, false, err);
	/* deleted, the other side present: the other side alone if it is
	 * outer, else the result is deleted */
	if (other->outer) {
		null_slots(q, me);
		return emit(q, n, m, rts, false, err);
	}
	return emit(q, n, m, rts, true, err);
}

/* The left table's key: its one key column, or the JSON array of its
 * key columns (jn->lkt is then STRING). */
static sl_value_t
left_key(sl_query_t *q)
{
	const sl_join_src_t *js = &q->join->j->src[0];
	const sl_plan_io_t *io = &q->plan->inputs[0];
	if (io->nkeys == 1)
		return q->row[js->base];
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_strbuf_putc(&sb, '[');
	for (int i = 0; i < io->nkeys; i++) {
		if (i > 0)
			sl_strbuf_putc(&sb, ',');
		sl_value_format_json(&sb, &q->row[js->base + i], io->cols[i].type);
	}
	sl_strbuf_putc(&sb, ']');
	sl_value_t v = sl_value_string_copy(&q->batch, sb.data, (int32_t)sb.len);
	sl_strbuf_free(&sb);
	return v;
}

/*
 * A foreign-key join: left changes join the right row their foreign key
 * points at; right changes join every left row pointing at them.
 */
static int
fk_input(sl_query_t *q, int n, int side, const rd_kafka_message_t *m, int64_t ts, bool del,
	 sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	jnode_t *jn = &rt->node[n];
	const sl_join_node_t *nd = jn->nd;
	jside_t *L = &jn->side[0], *R = &jn->side[1];
	bool left_join = nd->type == SL_JOIN_LEFT;
	const sl_type_t *fkt = sl_expr_type(nd->lkey);
	int lwin = rt->j->src[0].windowstart;
	int rc;

	if (side == 1) {
		sl_value_t rk = rt->key;
		if ((rc = table_put(q, R, &rk, jn->kt, del, ts, NULL, NULL, err)) != SL_OK)
			return rc;
		/* every left row pointing at it, in key order */
		int w = R->last - R->first;
		sl_value_t rrow[w > 0 ? w : 1];
		memcpy(rrow, q->row + R->first, sizeof(*rrow) * (size_t)w);
		sqlite3_stmt *st = L->by_fk;
		bind_key(q, st, 1, &rk, fkt);
		srow_t *ls;
		int nm;
		if ((rc = collect_rows(q, st, -1, &ls, &nm, err)) != SL_OK)
			return rc;
		for (int i = 0; i < nm; i++) {
			rc = sl_serde_decode(L->serde, ls[i].v, (size_t)ls[i].len, &q->batch,
					     q->row + L->first, err);
			if (rc < 0)
				return rc;
			/* a windowed left row's key is in its window */
			if (lwin >= 0)
				rt->wstart = q->row[lwin].u.l;
			if (del && !left_join) {
				if ((rc = emit(q, n, m, ts, true, err)) != SL_OK)
					return rc;
				continue;
			}
			if (del)
				null_slots(q, R);
			else
				memcpy(q->row + R->first, rrow, sizeof(*rrow) * (size_t)w);
			if ((rc = emit(q, n, m, ts, false, err)) != SL_OK)
				return rc;
		}
		rt->wstart = INT64_MIN;
		return SL_OK;
	}

	/* a left change: its key is the left table's key, rt->key its
	 * foreign key (NULL when deleted) */
	sl_value_t lk = left_key(q);
	int w = L->last - L->first;
	sl_value_t keep[w > 0 ? w : 1];
	memcpy(keep, q->row + L->first, sizeof(*keep) * (size_t)w);
	bool had_old;
	if ((rc = table_get(q, L, &lk, jn->lkt, &had_old, NULL, err)) != SL_OK)
		return rc;
	sl_value_t old_fk = sl_value_null();
	if (had_old) {
		sl_error_t e;
		sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = &e};
		sl_expr_eval(nd->lkey, &ctx, &old_fk);
	}
	memcpy(q->row + L->first, keep, sizeof(*keep) * (size_t)w);
	sl_value_t fk = del ? sl_value_null() : rt->key;
	if ((rc = table_put(q, L, &lk, jn->lkt, del, ts, &fk, fkt, err)) != SL_OK)
		return rc;
	if (had_old && sl_value_is_null(&old_fk))
		return SL_OK;
	if (del) {
		if (!had_old)
			return SL_OK;
		null_slots(q, R);
		return emit(q, n, m, ts, true, err);
	}
	if (sl_value_is_null(&fk))
		return SL_OK;
	/* the right row's key has no window; the left row's keeps its own */
	bool found;
	int64_t lwstart = rt->wstart;
	rt->wstart = INT64_MIN;
	rc = table_get(q, R, &fk, jn->kt, &found, NULL, err);
	rt->wstart = lwstart;
	if (rc != SL_OK)
		return rc;
	if (found)
		return emit(q, n, m, ts, false, err);
	if (left_join) {
		null_slots(q, R);
		return emit(q, n, m, ts, false, err);
	}
	if (had_old)
		return emit(q, n, m, ts, true, err);
	return SL_OK;
}

static int
node_input(sl_query_t *q, int n, int side, const rd_kafka_message_t *m, int64_t ts, bool del,
	   sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	const sl_join_node_t *nd = rt->node[n].nd;
	sl_error_t e;
	sl_eval_ctx_t ctx = {.row = q->row, .arena = &q->batch, .err = &e};
	sl_value_t key = sl_value_null();

	/* the join key; a deleted table row keeps the key it had */
	if (!(del && nd->op == SL_JOIN_FK && side == 0) &&
	    sl_expr_eval(side == 0 ? nd->lkey : nd->rkey, &ctx, &key) != SL_OK) {
		sl_exec_processing_log(q, "RECORD_PROCESSING_ERROR", m, e.msg);
		return SL_OK;
	}
	/* a record without a join key joins nothing */
	if (sl_value_is_null(&key) && !(nd->op == SL_JOIN_FK && side == 0))
		return SL_OK;
	rt->key = key;
	rt->wstart = INT64_MIN;
	const sl_join_src_t *ws = &rt->j->src[side == 0 ? 0 : n + 1];
	if (ws->windowstart >= 0 && !sl_value_is_null(&q->row[ws->windowstart]))
		rt->wstart = q->row[ws->windowstart].u.l;
	switch (nd->op) {
	case SL_JOIN_SS:
		return ss_input(q, n, side, m, ts, err);
	case SL_JOIN_ST:
		return st_input(q, n, side, m, ts, del, err);
	case SL_JOIN_TT:
		return tt_input(q, n, side, m, ts, del, err);
	case SL_JOIN_FK:
		return fk_input(q, n, side, m, ts, del, err);
	}
	return SL_OK;
}

/* -------------------------------------------------------------- sources */

int
sl_join_source(sl_query_t *q, int s, const rd_kafka_message_t *m, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	jsrc_t *src = &rt->src[s];
	const sl_plan_io_t *in = src->io;
	const sl_join_src_t *js = src->js;
	sl_value_t *seg = q->row + js->base;
	sl_error_t e;
	int rc;

	q->in++;
	/* state changes belong to the commit interval's transaction, with
	 * the offsets that produced them */
	if ((rc = sl_exec_tx_begin(q, err)) != SL_OK)
		return rc;
	for (int i = js->base; i < js->end; i++)
		q->row[i] = sl_value_null();
	size_t key_len = m->key_len;
	if (in->window_type != SL_WIN_NONE && js->windowstart >= 0) {
		int64_t start, end;
		if (m->key == NULL ||
		    !sl_serde_window_get(m->key, m->key_len, in->window_type == SL_WIN_SESSION,
					 in->window_size_ms, &key_len, &start, &end)) {
			sl_exec_processing_log(q, "DESERIALIZATION_ERROR", m,
					       "a windowed key is too short to hold its window");
			return SL_OK;
		}
		q->row[js->windowstart] = sl_value_bigint(start);
		q->row[js->windowend] = sl_value_bigint(end);
	}
	if (in->nkeys > 0 && m->key != NULL) {
		rc = sl_serde_decode(src->key, m->key, key_len, &q->batch, seg, &e);
		if (rc < 0) {
			sl_exec_processing_log(q, "DESERIALIZATION_ERROR", m, e.msg);
			return SL_OK;
		}
	}
	rc = sl_serde_decode(src->value, m->payload, m->len, &q->batch, src->vals, &e);
	if (rc < 0) {
		sl_exec_processing_log(q, "DESERIALIZATION_ERROR", m, e.msg);
		return SL_OK;
	}
	bool del = rc == SL_SERDE_NULL;
	for (int i = 0; i < src->nvals; i++)
		seg[src->vmap[i]] = del ? sl_value_null() : src->vals[i];
	if (in->ncols > in->nkeys + src->nvals)
		sl_exec_headers(q, m, in, seg);
	bool table = in->kind == SL_OBJ_TABLE;
	if (del && !table)
		return SL_OK;   /* a stream record without a value joins nothing */
	if (table) {
		bool key_null = true;
		for (int i = 0; i < in->nkeys && key_null; i++)
			key_null = sl_value_is_null(&seg[i]);
		if (key_null)
			return SL_OK;
	}

	int64_t ts = sl_kafka_message_timestamp(q->env.kafka, m);
	if (!sl_exec_event_time(q, m, in, seg, js->event_time, del, &ts))
		return SL_OK;
	q->row[js->rowtime] = sl_value_bigint(ts);
	q->row[js->rowpartition] = sl_value_int(m->partition);
	q->row[js->rowoffset] = sl_value_bigint(m->offset);
	return node_input(q, s == 0 ? 0 : s - 1, s == 0 ? 0 : 1, m, ts, del, err);
}

int
sl_join_source_of(const sl_query_t *q, const char *topic)
{
	const sl_join_rt_t *rt = q->join;
	for (int s = 0; s < rt->nsrc; s++)
		if (strcmp(rt->src[s].io->topic, topic) == 0)
			return s;
	return -1;
}

/* ------------------------------------------------------------- the run */

/*
 * Records of the join's inputs are processed in timestamp order across
 * partitions, as Kafka Streams does: the polled records wait in one queue
 * per partition, and the head with the smallest timestamp goes next.  A
 * partition with nothing polled holds the others back while the broker
 * says it has more (its high watermark is past what was processed), for
 * at most SL_JOIN_MAX_IDLE_MS; so a table's backlog is read before the
 * stream records that come after it in time.
 */
#define SL_JOIN_MAX_IDLE_MS 1000
/* ... or, when its high watermark is known to be ahead, for at most this
 * long (records that never come: a transaction's markers) */
#define SL_JOIN_MAX_LAG_WAIT_MS 10000
/* records polled and waiting in one partition's queue before its fetching
 * pauses */
#define SL_JOIN_QUEUE_MAX 5000

static int64_t
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static jqueue_t *
queue_of(sl_join_rt_t *rt, const rd_kafka_message_t *m)
{
	/* by the topic handle (one per topic for the consumer's life), its
	 * name compared only the first time */
	for (int s = 0; s < rt->nsrc; s++) {
		jsrc_t *src = &rt->src[s];
		if (src->rkt == NULL && m->rkt != NULL &&
		    strcmp(src->io->topic, rd_kafka_topic_name(m->rkt)) == 0)
			src->rkt = m->rkt;
		if (src->rkt == m->rkt && m->rkt != NULL) {
			if (m->partition < 0 || m->partition >= src->io->partitions)
				return NULL;
			return &rt->queue[src->queue + m->partition];
		}
	}
	return NULL;
}

/*
 * Does an empty queue hold the other partitions back?  While the broker
 * says its partition has more (its high watermark is past what was
 * processed), yes, for up to SL_JOIN_MAX_LAG_WAIT_MS; while that is not
 * known yet, for up to SL_JOIN_MAX_IDLE_MS.  An empty partition, or one
 * read to its end, does not.
 */
static bool
queue_blocks(sl_query_t *q, jqueue_t *jq, int64_t now)
{
	int64_t end = sl_kafka_consumer_cached_end(q->consumer, jq->topic, jq->partition);
	/* an empty queue has processed all that was polled: the consumer's
	 * position is as far, or past the end it found (markers of
	 * transactions take offsets too) */
	int64_t pos = sl_kafka_consumer_position(q->consumer, jq->topic, jq->partition);
	if (pos < jq->next)
		pos = jq->next;
	bool known = end >= 0 && pos >= 0;
	if (end == 0 || (known && pos >= end)) {
		jq->behind_since = 0;
		return false;
	}
	if (jq->behind_since == 0)
		jq->behind_since = now;
	return now - jq->behind_since < (known ? SL_JOIN_MAX_LAG_WAIT_MS : SL_JOIN_MAX_IDLE_MS);
}

int
sl_join_run(sl_query_t *q, int timeout_ms, size_t *got_out, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	size_t got = 0, done = 0;
	int rc;

	*got_out = 0;
	bool pending = false;
	for (int i = 0; i < rt->nqueue && !pending; i++)
		pending = rt->queue[i].n > rt->queue[i].head;
	rc = sl_kafka_consumer_poll(q->consumer, q->msgs, (size_t)q->batch_size,
				    pending ? 5 : timeout_ms, &got, err);
	if (rc == SL_ERR)
		return rc;
	rc = SL_OK;
	for (size_t i = 0; i < got; i++) {
		jqueue_t *jq = queue_of(rt, q->msgs[i]);
		if (jq == NULL) {
			rd_kafka_message_destroy(q->msgs[i]);
			continue;
		}
		if (jq->head == jq->n)
			jq->head = jq->n = 0;
		if (jq->n == jq->cap) {
			if (jq->head > 0) {
				memmove(jq->msgs, jq->msgs + jq->head,
					sizeof(*jq->msgs) * (jq->n - jq->head));
				jq->n -= jq->head;
				jq->head = 0;
			}
			if (jq->n == jq->cap) {
				jq->cap = jq->cap ? jq->cap * 2 : 256;
				jq->msgs = realloc(jq->msgs, sizeof(*jq->msgs) * jq->cap);
				if (jq->msgs == NULL)
					abort();
			}
		}
		if (jq->head == jq->n) {
			jq->head_ts = sl_kafka_message_timestamp(q->env.kafka, q->msgs[i]);
			jq->behind_since = 0;
		}
		jq->msgs[jq->n++] = q->msgs[i];
		if (jq->next < 0)
			jq->next = q->msgs[i]->offset;
	}
	/* a partition far ahead of the others stops fetching for a while, so
	 * that memory stays bounded while the others catch up */
	for (int i = 0; i < rt->nqueue; i++) {
		jqueue_t *jq = &rt->queue[i];
		if (!jq->paused && jq->n - jq->head > SL_JOIN_QUEUE_MAX) {
			sl_error_t e;
			if (sl_kafka_consumer_pause(q->consumer, jq->topic, jq->partition, &e) == SL_OK)
				jq->paused = true;
		}
	}

	/* the empty queues that hold the others back */
	int64_t now = now_ms();
	bool blocked = false;
	for (int i = 0; i < rt->nqueue && !blocked; i++)
		if (rt->queue[i].head == rt->queue[i].n)
			blocked = queue_blocks(q, &rt->queue[i], now);
	while (!blocked) {
		jqueue_t *best = NULL;
		for (int i = 0; i < rt->nqueue; i++) {
			jqueue_t *jq = &rt->queue[i];
			if (jq->head < jq->n && (best == NULL || jq->head_ts < best->head_ts))
				best = jq;
		}
		if (best == NULL)
			break;
		rd_kafka_message_t *m = best->msgs[best->head++];
		best->next = m->offset + 1;
		rc = sl_join_source(q, best->src, m, err);
		sl_kafka_message_free(m);
		done++;
		if (best->head < best->n)
			best->head_ts = sl_kafka_message_timestamp(q->env.kafka, best->msgs[best->head]);
		else
			blocked = queue_blocks(q, best, now);
		if (rc != SL_OK)
			break;
		/* the batch arena holds one batch's worth of rows */
		if (done == (size_t)q->batch_size)
			break;
	}
	/* the records that wait are copied out of librdkafka's fetch
	 * buffers, which each one would otherwise keep whole */
	for (int i = 0; i < rt->nqueue; i++) {
		jqueue_t *jq = &rt->queue[i];
		for (size_t k = jq->n; k > jq->head && !sl_kafka_message_is_copy(jq->msgs[k - 1]); k--) {
			rd_kafka_message_t *c = sl_kafka_message_copy(q->env.kafka, jq->msgs[k - 1]);
			rd_kafka_message_destroy(jq->msgs[k - 1]);
			jq->msgs[k - 1] = c;
		}
	}
	for (int i = 0; i < rt->nqueue; i++) {
		jqueue_t *jq = &rt->queue[i];
		if (jq->paused && jq->n - jq->head < SL_JOIN_QUEUE_MAX / 2) {
			sl_error_t e;
			if (sl_kafka_consumer_resume(q->consumer, jq->topic, jq->partition, &e) == SL_OK)
				jq->paused = false;
		}
	}
	*got_out = done;
	return rc;
}

int64_t
sl_join_position(const sl_query_t *q, const char *topic, int partition)
{
	const sl_join_rt_t *rt = q->join;
	for (int i = 0; i < rt->nqueue; i++)
		if (rt->queue[i].partition == partition && strcmp(rt->queue[i].topic, topic) == 0)
			return rt->queue[i].next;
	return -1;
}

bool
sl_join_idle(const sl_query_t *q)
{
	const sl_join_rt_t *rt = q->join;
	for (int i = 0; i < rt->nqueue; i++)
		if (rt->queue[i].n > rt->queue[i].head)
			return false;
	return true;
}

/* ------------------------------------------------------------ lifecycle */

static int
prep(sl_query_t *q, sqlite3_stmt **st, sl_error_t *err, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return JERR(q, err, "preparing join state");
	return SL_OK;
}

static int
exec_sql(sl_query_t *q, sl_error_t *err, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return JERR(q, err, "creating join state");
	return SL_OK;
}

/* A JSON serde over row slots [first, last). */
static int
side_serde(sl_query_t *q, jside_t *s, sl_error_t *err)
{
	int n = s->last - s->first;
	sl_field_t *f = calloc((size_t)n + 1, sizeof(*f));
	char (*names)[16] = calloc((size_t)n + 1, sizeof(*names));
	const sl_join_t *j = q->join->j;
	int rc;

	if (f == NULL || names == NULL)
		abort();
	for (int i = 0; i < n; i++) {
		int slot = s->first + i;
		snprintf(names[i], sizeof(names[i]), "C%d", i);
		f[i].name = names[i];
		f[i].type = sl_type_bigint();
		for (int k = 0; k < j->nsrc; k++) {
			const sl_join_src_t *js = &j->src[k];
			if (slot >= js->base && slot < js->base + q->plan->inputs[k].ncols)
				f[i].type = q->plan->inputs[k].cols[slot - js->base].type;
			else if (slot == js->rowpartition)
				f[i].type = sl_type_int();
		}
	}
	sl_serde_opts_t opts = {.wrap = n == 1 ? SL_SERDE_WRAP_TRUE : SL_SERDE_WRAP_DEFAULT};
	rc = sl_serde_create(SL_FORMAT_JSON, f, n, &opts, &s->serde, err);
	free(f);
	free(names);
	return rc;
}

static int
node_create(sl_query_t *q, int n, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	const sl_join_t *j = rt->j;
	jnode_t *jn = &rt->node[n];
	const sl_join_node_t *nd = &j->node[n];
	int rc;

	jn->nd = nd;
	jn->kt = sl_expr_type(nd->rkey);
	jn->lkt = q->plan->inputs[0].nkeys == 1 ? q->plan->inputs[0].cols[0].type : sl_type_string();
	jn->side[0].first = j->src[0].base;
	jn->side[0].last = j->src[n].end;
	jn->side[1].first = j->src[n + 1].base;
	jn->side[1].last = j->src[n + 1].end;
	jn->side[0].outer = nd->type == SL_JOIN_LEFT || nd->type == SL_JOIN_FULL;
	jn->side[1].outer = nd->type == SL_JOIN_RIGHT || nd->type == SL_JOIN_FULL;
	jn->stream_time = INT64_MIN / 4;
	for (int s = 0; s < 2; s++) {
		jside_t *sd = &jn->side[s];
		char t[64];
		sd->store_time = INT64_MIN / 4;
		if ((rc = side_serde(q, sd, err)) != SL_OK)
			return rc;
		snprintf(t, sizeof(t), "_join%d_%s", n, s == 0 ? "left" : "right");
		if (nd->op == SL_JOIN_SS) {
			if ((rc = exec_sql(q, err, "CREATE TABLE IF NOT EXISTS %s (k, ts INTEGER NOT NULL, "
					   "seq INTEGER NOT NULL, v BLOB, PRIMARY KEY (k, ts, seq)) "
					   "WITHOUT ROWID; CREATE INDEX IF NOT EXISTS %s_ts ON %s (ts)",
					   t, t, t)) != SL_OK ||
			    (rc = prep(q, &sd->put, err, "INSERT INTO %s (k, ts, seq, v) VALUES "
				       "(?, ?, ?, ?)", t)) != SL_OK ||
			    (rc = prep(q, &sd->fetch, err, "SELECT ts, v FROM %s WHERE k = ? AND ts >= ? "
				       "AND ts <= ? ORDER BY ts, seq", t)) != SL_OK ||
			    (rc = prep(q, &sd->purge, err, "DELETE FROM %s WHERE ts < ?", t)) != SL_OK)
				return rc;
		} else if (nd->op == SL_JOIN_FK && s == 0) {
			if ((rc = exec_sql(q, err, "CREATE TABLE IF NOT EXISTS %s (k PRIMARY KEY, v BLOB, "
					   "ts INTEGER, fk) WITHOUT ROWID; CREATE INDEX IF NOT EXISTS %s_fk ON %s "
					   "(fk, k)", t, t, t)) != SL_OK ||
			    (rc = prep(q, &sd->put, err, "INSERT OR REPLACE INTO %s (k, v, ts, fk) "
				       "VALUES (?, ?, ?, ?)", t)) != SL_OK ||
			    (rc = prep(q, &sd->by_fk, err, "SELECT v FROM %s WHERE fk = ? ORDER BY k",
				       t)) != SL_OK)
				return rc;
		} else if (nd->op != SL_JOIN_ST || s == 1) {
			if ((rc = exec_sql(q, err, "CREATE TABLE IF NOT EXISTS %s (k PRIMARY KEY, v BLOB, "
					   "ts INTEGER) WITHOUT ROWID", t)) != SL_OK ||
			    (rc = prep(q, &sd->put, err, "INSERT OR REPLACE INTO %s (k, v, ts) VALUES "
				       "(?, ?, ?)", t)) != SL_OK)
				return rc;
		}
		if (nd->op != SL_JOIN_SS && (nd->op != SL_JOIN_ST || s == 1)) {
			if ((rc = prep(q, &sd->get, err, "SELECT v, ts FROM %s WHERE k = ?", t)) != SL_OK ||
			    (rc = prep(q, &sd->del, err, "DELETE FROM %s WHERE k = ?", t)) != SL_OK)
				return rc;
			/* twice as many slots as the aggregations' cache has rows */
			size_t want = (size_t)(q->env.cache_rows > 0 ? q->env.cache_rows : 100000) * 2;
			size_t n = 1024;
			while (n < want)
				n <<= 1;
			sd->cache = calloc(n, sizeof(*sd->cache));
			if (sd->cache == NULL)
				abort();
			sd->cache_mask = n - 1;
		}
	}
	if (nd->op == SL_JOIN_SS) {
		char t[64];
		snprintf(t, sizeof(t), "_join%d_outer", n);
		if ((rc = exec_sql(q, err, "CREATE TABLE IF NOT EXISTS %s (ts INTEGER NOT NULL, "
				   "left INTEGER NOT NULL, k, v BLOB); CREATE INDEX IF NOT EXISTS "
				   "%s_order ON %s (ts, left, k)", t, t, t)) != SL_OK ||
		    (rc = prep(q, &jn->o_put, err, "INSERT INTO %s (ts, left, k, v) VALUES "
			       "(?, ?, ?, ?)", t)) != SL_OK ||
		    (rc = prep(q, &jn->o_del, err, "DELETE FROM %s WHERE k = ? AND ts = ? AND "
			       "left = ?", t)) != SL_OK ||
		    (rc = prep(q, &jn->o_scan, err, "SELECT ts, left, v, rowid FROM %s WHERE ts < ? "
			       "ORDER BY ts, left, k, rowid LIMIT 1", t)) != SL_OK ||
		    (rc = prep(q, &jn->o_drop, err, "DELETE FROM %s WHERE rowid = ?", t)) != SL_OK)
			return rc;
		/* stream times and the insertion counter survive restarts */
		sqlite3_stmt *st;
		if ((rc = prep(q, &st, err, "SELECT a, b, c, d FROM _join_time WHERE node = %d", n)) !=
		    SL_OK)
			return rc;
		if (sqlite3_step(st) == SQLITE_ROW) {
			jn->stream_time = sqlite3_column_int64(st, 0);
			jn->side[0].store_time = sqlite3_column_int64(st, 1);
			jn->side[1].store_time = sqlite3_column_int64(st, 2);
			jn->seq = sqlite3_column_int64(st, 3);
		}
		sqlite3_finalize(st);
	}
	return SL_OK;
}

int
sl_join_create(sl_query_t *q, sl_error_t *err)
{
	const sl_join_t *j = q->an->join;
	sl_join_rt_t *rt = calloc(1, sizeof(*rt));
	int rc;

	if (rt == NULL)
		abort();
	q->join = rt;
	rt->j = j;
	rt->nsrc = j->nsrc;
	rt->wstart = INT64_MIN;
		sl_strbuf_init(&rt->buf);
	sl_strbuf_init(&rt->kb);
	rt->src = calloc((size_t)j->nsrc, sizeof(*rt->src));
	rt->node = calloc((size_t)j->nnode, sizeof(*rt->node));
	if (rt->src == NULL || rt->node == NULL)
		abort();
	for (int s = 0; s < j->nsrc; s++) {
		jsrc_t *src = &rt->src[s];
		src->io = &q->plan->inputs[s];
		src->js = &j->src[s];
		src->vmap = calloc((size_t)src->io->ncols + 1, sizeof(*src->vmap));
		src->vals = calloc((size_t)src->io->ncols + 1, sizeof(*src->vals));
		if (src->vmap == NULL || src->vals == NULL)
			abort();
		for (int i = 0; i < src->io->ncols; i++)
			if (src->io->cols[i].ns == SL_COL_VALUE)
				src->vmap[src->nvals++] = i;
		if ((rc = sl_plan_io_serde(src->io, true, &src->key, err)) != SL_OK ||
		    (rc = sl_plan_io_serde(src->io, false, &src->value, err)) != SL_OK)
			return rc;
	}
	for (int s = 0; s < j->nsrc; s++)
		rt->nqueue += q->plan->inputs[s].partitions;
	rt->queue = calloc((size_t)rt->nqueue + 1, sizeof(*rt->queue));
	if (rt->queue == NULL)
		abort();
	rt->nqueue = 0;
	for (int s = 0; s < j->nsrc; s++) {
		rt->src[s].queue = rt->nqueue;
		for (int p = 0; p < q->plan->inputs[s].partitions; p++) {
			jqueue_t *jq = &rt->queue[rt->nqueue++];
			jq->topic = q->plan->inputs[s].topic;
			jq->partition = p;
			jq->src = s;
			jq->next = -1;
		}
	}
	if ((rc = exec_sql(q, err, "CREATE TABLE IF NOT EXISTS _join_time (node INTEGER PRIMARY "
			   "KEY, a INTEGER, b INTEGER, c INTEGER, d INTEGER)")) != SL_OK ||
	    (rc = prep(q, &rt->meta_put, err, "INSERT OR REPLACE INTO _join_time (node, a, b, c, d) "
		       "VALUES (?, ?, ?, ?, ?)")) != SL_OK)
		return rc;
	if (j->table && q->an->where != NULL &&
	    ((rc = exec_sql(q, err, "CREATE TABLE IF NOT EXISTS _join_out (k PRIMARY KEY)")) != SL_OK ||
	     (rc = prep(q, &rt->out_put, err, "INSERT OR IGNORE INTO _join_out (k) VALUES (?)")) !=
		     SL_OK ||
	     (rc = prep(q, &rt->out_del, err, "DELETE FROM _join_out WHERE k = ?")) != SL_OK))
		return rc;
	for (int n = 0; n < j->nnode; n++) {
		/* every node keys its state with its own key type */
		if ((rc = node_create(q, n, err)) != SL_OK)
			return rc;
	}
	return SL_OK;
}

/* Inside the commit's transaction: stream times, and windows past their
 * retention deleted. */
int
sl_join_store(sl_query_t *q, sl_error_t *err)
{
	sl_join_rt_t *rt = q->join;
	int rc;

	for (int n = 0; n < rt->j->nnode; n++) {
		jnode_t *jn = &rt->node[n];
		if (jn->nd->op != SL_JOIN_SS || !jn->dirty_time)
			continue;
		int64_t retention = jn->nd->before_ms + jn->nd->after_ms + jn->nd->grace_ms;
		for (int s = 0; s < 2; s++) {
			sqlite3_bind_int64(jn->side[s].purge, 1, jn->side[s].store_time - retention);
			rc = sqlite3_step(jn->side[s].purge);
			sqlite3_reset(jn->side[s].purge);
			if (rc != SQLITE_DONE)
				return JERR(q, err, "expiring join state");
		}
		sqlite3_bind_int(rt->meta_put, 1, n);
		sqlite3_bind_int64(rt->meta_put, 2, jn->stream_time);
		sqlite3_bind_int64(rt->meta_put, 3, jn->side[0].store_time);
		sqlite3_bind_int64(rt->meta_put, 4, jn->side[1].store_time);
		sqlite3_bind_int64(rt->meta_put, 5, jn->seq);
		rc = sqlite3_step(rt->meta_put);
		sqlite3_reset(rt->meta_put);
		if (rc != SQLITE_DONE)
			return JERR(q, err, "storing join state");
		jn->dirty_time = false;
	}
	return SL_OK;
}

void
sl_join_destroy(sl_join_rt_t *rt)
{
	if (rt == NULL)
		return;
	for (int s = 0; s < rt->nsrc; s++) {
		sl_serde_destroy(rt->src[s].key);
		sl_serde_destroy(rt->src[s].value);
		free(rt->src[s].vmap);
		free(rt->src[s].vals);
	}
	for (int n = 0; rt->node != NULL && n < rt->j->nnode; n++) {
		jnode_t *jn = &rt->node[n];
		for (int s = 0; s < 2; s++) {
			jside_t *sd = &jn->side[s];
			for (size_t i = 0; sd->cache != NULL && i <= sd->cache_mask; i++)
				free(sd->cache[i]);
			free(sd->cache);
			sl_serde_destroy(sd->serde);
			sqlite3_finalize(sd->put);
			sqlite3_finalize(sd->get);
			sqlite3_finalize(sd->del);
			sqlite3_finalize(sd->fetch);
			sqlite3_finalize(sd->purge);
			sqlite3_finalize(sd->by_fk);
		}
		sqlite3_finalize(jn->o_put);
		sqlite3_finalize(jn->o_del);
		sqlite3_finalize(jn->o_scan);
		sqlite3_finalize(jn->o_drop);
	}
	for (int i = 0; i < rt->nqueue; i++) {
		jqueue_t *jq = &rt->queue[i];
		sl_kafka_messages_destroy(jq->msgs + jq->head, jq->n - jq->head);
		free(jq->msgs);
	}
	free(rt->queue);
	sqlite3_finalize(rt->meta_put);
	sqlite3_finalize(rt->out_put);
	sqlite3_finalize(rt->out_del);
	sl_strbuf_free(&rt->buf);
	sl_strbuf_free(&rt->kb);
	free(rt->src);
	free(rt->node);
	free(rt);
}
