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
#include "util/error.h"

typedef struct sl_query sl_query_t;

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

#endif
