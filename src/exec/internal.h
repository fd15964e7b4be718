/*
 * internal.h: what the files of src/exec share (not an API).
 *
 * Stage: exec.  query.c runs the source, the stateless operators and the
 * sink; aggregate.c runs GROUP BY with windows and the query's state.
 * Both work on one sl_query_t from the query's single thread.
 */
#ifndef SL_EXEC_INTERNAL_H
#define SL_EXEC_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>

#include "exec/query.h"
#include "format/serde.h"
#include "util/strbuf.h"

#define SL_QUERY_DEFAULT_BATCH 10000

typedef struct sl_agg sl_agg_t;
typedef struct sl_mat sl_mat_t;
typedef struct sl_join_rt sl_join_rt_t;

struct sl_query {
	sl_query_env_t env;
	sl_plan_t *plan;
	const sl_analysis_t *an;
	sl_kafka_consumer_t *consumer;
	sl_serde_t *in_key, *in_value, *out_key, *out_value;
	sqlite3 *db;                   /* offsets and state; in memory without
					* a state directory */
	bool in_tx;                    /* a write transaction is open */
	sl_arena_t batch;              /* reset after each batch */
	sl_value_t *row;               /* the evaluation row (an->nrow) */
	sl_value_t *vals;              /* decoded value columns */
	sl_value_t *out;               /* output columns (an->nout) */
	int *vmap;                     /* value column i -> row index */
	int nvals;
	sl_strbuf_t kbuf, vbuf;        /* encoded output key and value */
	rd_kafka_message_t **msgs;
	int batch_size;
	int out_ts_col;                /* output column giving the timestamp, -1 */
	uint64_t seen;                 /* producer failure cursor */
	uint64_t in, produced;
	bool dirty;                    /* processed since the last commit */
	bool in_key_null;              /* the current input record has no key */
	/* the window of the row being written (windowed sinks) */
	int64_t out_wstart, out_wend;
	sl_agg_t *agg;                 /* aggregation, or NULL */
	sl_mat_t *mat;                 /* materialized table result, or NULL */
	sl_join_rt_t *join;            /* the joins of FROM, or NULL */
	/* push queries fed by this one (sl_query_subscribe) */
	pthread_mutex_t subs_lock;
	sl_query_t **subs;
	atomic_int nsubs;
	int capsubs;
	uint64_t commits;
	double commit_seconds_total, commit_seconds_last;
	/* sl_query_feed(): the record in hand is not a consumed message */
	bool feeding;
	int64_t feed_ts;
};

/* Writes a record to the processing log and counts it (m may be NULL). */
void sl_exec_processing_log(sl_query_t *q, const char *reason, const rd_kafka_message_t *m,
			    const char *detail);

/* Encodes q->out (keys, then values; the value NULL: a tombstone) with
 * the window q->out_wstart/out_wend when the sink is windowed, and
 * produces it with timestamp ts.  Fails only when producing fails. */
int sl_exec_sink(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
		 sl_error_t *err);

/* Decodes a value payload of the input into the value columns of row
 * (the key columns are left alone).  Returns SL_OK, SL_SERDE_NULL for a
 * tombstone, or an error with e set. */
int sl_exec_decode_value(sl_query_t *q, const void *bytes, size_t len, sl_value_t *row,
			 sl_error_t *e);

/*
 * The operators after the source: WHERE, then the aggregation, the table
 * functions or the projection, then the sink, for the row in q->row with
 * event time ts.  value_null: a table row deleted; table: the row belongs
 * to a table (a row that fails WHERE is then deleted downstream).
 */
int sl_exec_row(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
		bool table, sl_error_t *err);

/*
 * The event time of a record of in whose columns were decoded into cols:
 * *ts holds the record's timestamp and becomes the TIMESTAMP column's
 * value (a STRING one read with parse, over q->row) when in has one.
 * False when the record has no usable event time (logged to the
 * processing log: it is skipped).
 */
bool sl_exec_event_time(sl_query_t *q, const rd_kafka_message_t *m, const sl_plan_io_t *in,
			const sl_value_t *cols, const sl_expr_t *parse, bool value_null, int64_t *ts);

/* Fills the header columns of in (HEADERS, HEADER('key')) in row. */
void sl_exec_headers(sl_query_t *q, const rd_kafka_message_t *m, const sl_plan_io_t *in,
		     sl_value_t *row);

/* sl_exec_row() past WHERE: the row passed it (or, value_null, is a
 * deletion). */
int sl_exec_filtered(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
		     sl_error_t *err);

/* Opens the write transaction of this commit interval if none is open. */
int sl_exec_tx_begin(sl_query_t *q, sl_error_t *err);

/* ---- aggregate.c: GROUP BY, windows and their state ----
 * Entry points, in the order the runtime calls them:
 *   sl_agg_create   after the database is open: tables, stored stream time
 *   sl_agg_process  one input row that passed WHERE (value_null: a table
 *                   row deleted or filtered out), with event time ts
 *   sl_agg_tick     once per poll: EMIT FINAL on an idle input
 *   sl_agg_emit     before a commit: the rows collapsed by record caching
 *   sl_agg_store    inside the commit's transaction: changed state
 *   sl_agg_destroy
 */
int sl_agg_create(sl_query_t *q, sl_error_t *err);
int sl_agg_process(sl_query_t *q, const rd_kafka_message_t *m, int64_t ts, bool value_null,
		   sl_error_t *err);
int sl_agg_tick(sl_query_t *q, size_t got, sl_error_t *err);
int sl_agg_emit(sl_query_t *q, sl_error_t *err);
int sl_agg_store(sl_query_t *q, sl_error_t *err);
void sl_agg_destroy(sl_agg_t *agg);
uint64_t sl_agg_late(const sl_agg_t *agg);

/* ---- materialize.c: a table query's result in SQLite ----
 *   sl_mat_create   after the database is open: the table called name
 *   sl_mat_write    each result row in q->out (value_null: a tombstone)
 *   sl_mat_destroy
 */
int sl_mat_create(sl_query_t *q, const char *name, sl_error_t *err);
int sl_mat_write(sl_query_t *q, bool value_null, int64_t ts, sl_error_t *err);
void sl_mat_destroy(sl_mat_t *m);

/* ---- join.c: the joins of FROM and their state ----
 *   sl_join_create     after the database is open: tables and statements
 *   sl_join_source_of  which source of the join reads topic (-1: none)
 *   sl_join_source     one record of source s
 *   sl_join_store      inside the commit's transaction: stream times,
 *                      expired windows
 *   sl_join_destroy
 */
int sl_join_create(sl_query_t *q, sl_error_t *err);
int sl_join_source_of(const sl_query_t *q, const char *topic);
int sl_join_source(sl_query_t *q, int s, const rd_kafka_message_t *m, sl_error_t *err);
int sl_join_store(sl_query_t *q, sl_error_t *err);
/* Polls and processes what can go next in timestamp order (instead of
 * sl_query_run_once()'s loop); the next offset processed of a partition
 * (-1: none yet); true when no polled record waits. */
int sl_join_run(sl_query_t *q, int timeout_ms, size_t *got, sl_error_t *err);
int64_t sl_join_position(const sl_query_t *q, const char *topic, int partition);
bool sl_join_idle(const sl_query_t *q);
void sl_join_destroy(sl_join_rt_t *rt);

#endif
