/*
 * query.h: the runtime of a persistent query.
 *
 * Stage: exec.  Takes a plan (plan/plan.h) and runs it: consumes its input
 * topic in batches with an assign-mode consumer, pushes each record through
 * the operator pipeline (decode, event time, filter, table functions,
 * project, encode) and produces the results with the engine's shared
 * producer.  Offsets are kept in the query's own SQLite database
 * (state.dir/QUERY_ID.db): sl_query_commit() flushes the producer and only
 * then stores the offsets of everything processed, so output is
 * at-least-once and a restart resumes where the last commit left off.
 *
 * Records that cannot be decoded, lack an event time, or whose expressions
 * fail go to the processing log (a JSON record on the processing-log
 * topic, with reason, topic, partition and offset) and a counter goes up;
 * the query goes on.
 *
 * One thread drives a query at a time (its worker thread, or the test
 * runner through sl_engine_quiesce()).  No allocation per record: each
 * batch uses one arena, reset after the batch.
 */
#ifndef SL_EXEC_QUERY_H
#define SL_EXEC_QUERY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kafka/kafka.h"
#include "plan/plan.h"
#include "expr/value.h"
#include "util/error.h"

typedef struct sl_query sl_query_t;

/* A transient query's output row: out[0..nout) (keys first; a tombstone
 * has its value columns NULL), its timestamp, and for windowed results
 * the window. */
typedef void (*sl_query_emit_fn)(void *ctx, const sl_value_t *out, int nout, int64_t ts,
				 bool tombstone, int64_t wstart, int64_t wend);

typedef struct sl_query_env {
	sl_kafka_t *kafka;
	sl_kafka_producer_t *producer;
	const char *state_dir;          /* NULL: offsets only in memory */
	int64_t reset;                  /* SL_KAFKA_OFFSET_BEGINNING or _END */
	atomic_llong *errors;           /* processing-log counter */
	const char *processing_log_topic; /* NULL: counted and logged to stderr */
	int batch_size;                 /* records per poll (0: 10000) */
	/* aggregations */
	bool caching;                   /* collapse updates per commit interval */
	int64_t emit_final_idle_ms;     /* EMIT FINAL closes on an idle input; 0 off */
	long cache_rows;                /* groups kept in memory (0: 100000) */
	/* a plan without output: keep the input table in SQLite, under its
	 * own name (the materialization of CREATE SOURCE TABLE) */
	bool materialize;
	/* a transient query: result rows go to emit(emit_ctx, ...) instead
	 * of Kafka */
	sl_query_emit_fn emit;
	void *emit_ctx;
	/* no consumer: the records come from sl_query_feed() (a push query
	 * attached to the query that writes its source) */
	bool fed;
	/* a tap: reads its input only to hand each record to its
	 * subscribers (the push queries on a source no query writes share
	 * one consumer) */
	bool tap;
} sl_query_env_t;

/* Creates the runtime; ownership of plan moves to it (also on failure). */
int sl_query_create(const sl_query_env_t *env, sl_plan_t *plan, sl_query_t **out,
		    sl_error_t *err);

/* Commits what was processed, then frees the query (NULL is fine). */
void sl_query_destroy(sl_query_t *q);

/* Polls one batch (waiting up to timeout_ms for the first record) and
 * processes it; *n receives the number of records taken.  Fails only on
 * errors that stop the query (a fatal Kafka error, a failed delivery). */
int sl_query_run_once(sl_query_t *q, int timeout_ms, size_t *n, sl_error_t *err);

/* Flushes the producer (waiting up to timeout_ms) and stores the offsets
 * of every processed record. */
int sl_query_commit(sl_query_t *q, int timeout_ms, sl_error_t *err);

/* Sets *done when the query has consumed everything written to its input
 * so far (the test-mode barrier). */
int sl_query_caught_up(sl_query_t *q, bool *done, sl_error_t *err);

/* For EMIT FINAL with sluice.emit.final.idle.ms: the idle time after
 * which windows close (0 for other queries); sl_query_tick() closes them
 * when the input has been idle that long (sl_query_run_once() does so on
 * every empty poll). */
int64_t sl_query_idle_ms(const sl_query_t *q);
int sl_query_tick(sl_query_t *q, sl_error_t *err);

/* Records processed, and records written, since the query started. */
uint64_t sl_query_records_in(const sl_query_t *q);
uint64_t sl_query_records_out(const sl_query_t *q);

const sl_plan_t *sl_query_plan(const sl_query_t *q);

/* What /metrics shows of a query.  Read from another thread than the
 * query's: the counters are as fresh as the CPU makes them. */
typedef struct sl_query_stats {
	uint64_t records_in, records_out;
	uint64_t late_records;           /* dropped: their window had closed */
	uint64_t commits;
	double commit_seconds_total, commit_seconds_last;
	int64_t lag;                     /* records in the input not read yet; -1 unknown */
} sl_query_stats_t;

void sl_query_stats(sl_query_t *q, sl_query_stats_t *st);

/*
 * Subscribers.  A query hands every record it writes (the key and value
 * bytes it produces, with their timestamp) to each subscriber, a fed
 * query reading its output; a materializer hands on every record it
 * reads.  Subscribing and unsubscribing may happen on any thread; the
 * subscribers run on the thread of the query feeding them.
 */
void sl_query_subscribe(sl_query_t *q, sl_query_t *sub);
void sl_query_unsubscribe(sl_query_t *q, sl_query_t *sub);
int sl_query_nsubscribers(sl_query_t *q);

/* Processes one record of a fed query (key or value NULL: a Kafka null). */
int sl_query_feed(sl_query_t *q, const void *key, size_t key_len, const void *value,
		  size_t value_len, int64_t ts, sl_error_t *err);


#endif
