/*
 * engine.h: the engine API: SQL in, ksqlDB-shaped results out.
 *
 * Stage: engine.  The one entry point that the HTTP server, the shell and
 * sluice-test call, so that their behaviour cannot diverge.  It takes SQL
 * text (any number of statements) with a session (properties set by SET,
 * variables set by DEFINE), runs each statement through parse -> analyze ->
 * plan -> execute, and appends one ksqlDB REST entity per statement (a
 * cJSON object with "@type": currentStatus, streams, tables, queries,
 * sourceDescription, kafka_topics, properties, function_names,
 * describe_function, variables, queryDescription, ...) to a results array.
 *
 * Persistent queries run on their own threads in server mode.  In test
 * mode (sl_engine_config_t.test_mode) no thread is started: the caller
 * drives them with sl_engine_quiesce(), which makes output deterministic.
 *
 * Thread-safety: sl_engine_execute() may be called from several threads;
 * statements are serialized inside the engine.  A session belongs to one
 * caller at a time.
 */
#ifndef SL_ENGINE_ENGINE_H
#define SL_ENGINE_ENGINE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/props.h"

typedef struct sl_engine sl_engine_t;
typedef struct sl_session sl_session_t;
typedef struct sl_kafka sl_kafka_t;

typedef struct sl_engine_config {
	/* Server properties: bootstrap.servers (absent: the embedded Kafka),
	 * kafka.* (passed to librdkafka), state.dir (absent: in memory),
	 * commit.interval.ms, processing.log.topic, ...  Copied. */
	const sl_props_t *props;
	/* No query threads; sl_engine_quiesce() runs the queries. */
	bool test_mode;
} sl_engine_config_t;

/* Starts an engine: connects to (or starts) Kafka, opens the catalog and
 * resumes the persistent queries it lists. */
int sl_engine_create(const sl_engine_config_t *cfg, sl_engine_t **out, sl_error_t *err);

/* Stops every query (committing what it has processed) and frees all. */
void sl_engine_destroy(sl_engine_t *eng);

/* The Kafka bootstrap address in use (the embedded one when started). */
const char *sl_engine_bootstrap(const sl_engine_t *eng);

/* True when the engine started the embedded Kafka. */
bool sl_engine_embedded_kafka(const sl_engine_t *eng);

/* The engine's Kafka client (producer, admin), for tools and tests. */
sl_kafka_t *sl_engine_kafka(sl_engine_t *eng);

sl_session_t *sl_session_create(sl_engine_t *eng);
void sl_session_destroy(sl_session_t *s);

/* The session's properties (SET) and variables (DEFINE); mutable. */
sl_props_t *sl_session_properties(sl_session_t *s);
sl_props_t *sl_session_variables(sl_session_t *s);

/* What went wrong, for the caller to show: the error (with line:col
 * relative to the whole text when it has a position), the failing
 * statement's text and its offset in the text. */
typedef struct sl_exec_error {
	sl_error_t err;
	char *statement;      /* malloc'd; NULL when none */
	int stmt_offset;      /* offset of the statement in the text */
	int http_status;      /* 400 bad statement, 404 unknown object, 500 */
	int error_code;       /* ksqlDB's error_code when not http_status * 100 + 1
			       * (40002: a query sent to /ksql); 0 otherwise */
} sl_exec_error_t;

void sl_exec_error_init(sl_exec_error_t *e);
void sl_exec_error_clear(sl_exec_error_t *e);

/*
 * Runs every statement of text[0..len).  Appends one entity per statement
 * to results (a cJSON array owned by the caller).  Stops at the first
 * failing statement: statements before it have taken effect, the error is
 * described in *e and a negative SL_E* code returned.
 */
int sl_engine_execute(sl_engine_t *eng, sl_session_t *s, const char *text, size_t len,
		      cJSON *results, sl_exec_error_t *e);

/*
 * Test mode: runs every persistent query until each has consumed all the
 * records written to its input topics so far and its output is flushed to
 * Kafka; repeats until no query makes progress (queries reading other
 * queries' outputs).  Returns SL_OK, or an error (e.g. a failed delivery)
 * after timeout_ms.
 */
int sl_engine_quiesce(sl_engine_t *eng, int timeout_ms, sl_error_t *err);

/* The source named name, for tools that need its schema (the test runner
 * serializes inputs and reads outputs with the source's formats); NULL if
 * absent.  Valid until the next statement that changes the catalog. */
struct sl_source;
const struct sl_source *sl_engine_source(sl_engine_t *eng, const char *name);

/* Every source reading or writing topic, for the test runner (n: count). */
const struct sl_source **sl_engine_sources_on_topic(sl_engine_t *eng, const char *topic,
						    int *n);

/* Counters for the processing log (records that failed to decode or
 * evaluate) since start. */
int64_t sl_engine_processing_errors(const sl_engine_t *eng);

/* ------------------------------------------------ transient queries
 *
 * A SELECT on its own: a pull query (no EMIT, answered at once from the
 * materialized table in SQLite, or a bounded scan of a stream) or a push
 * query (EMIT CHANGES: every change from now, or from the beginning with
 * auto.offset.reset=earliest, until LIMIT or close).  A push query on a
 * source that a persistent query writes (CREATE ... AS SELECT, or the
 * materializer of a CREATE SOURCE TABLE) attaches to that query's
 * changes; otherwise it runs its own consumer on its own thread.
 *
 * Rows are handed over as JSON text: one array of the column values in
 * ksqlDB's JSON form ("[\"k\",1,null]").  Rows wait in the query's buffer
 * until taken; a push query whose buffer holds more than
 * sluice.push.buffer.bytes (default 4 MiB) is dropped (SL_TQ_FAILED with
 * a message), so that a slow client never stalls the query feeding it.
 */
typedef struct sl_tquery sl_tquery_t;

typedef enum sl_tq_state {
	SL_TQ_RUNNING = 0,  /* more rows may come */
	SL_TQ_DONE,         /* every row of a pull query has been taken */
	SL_TQ_LIMIT,        /* LIMIT reached ("Limit Reached") */
	SL_TQ_CLOSED,       /* sl_engine_close_query(), or the engine stopped */
	SL_TQ_FAILED,       /* stopped by an error: sl_tquery_error() */
} sl_tq_state_t;

/*
 * Starts the one SELECT statement of text[0..len) (a trailing ';' is
 * optional).  props (may be NULL) are the request's properties, over the
 * session's.  Errors are reported as by sl_engine_execute().
 */
int sl_engine_query(sl_engine_t *eng, sl_session_t *s, const char *text, size_t len,
		    const sl_props_t *props, sl_tquery_t **out, sl_exec_error_t *e);

/* True when text (after comments and blanks) starts with SELECT: the
 * statement goes to sl_engine_query() rather than sl_engine_execute(). */
bool sl_engine_is_query(const char *text, size_t len);

const char *sl_tquery_id(const sl_tquery_t *t);
bool sl_tquery_is_pull(const sl_tquery_t *t);
/* A pull query on a stream (a bounded scan, which ksqlDB ends with "Query
 * Completed"), as opposed to one on a table (no final message). */
bool sl_tquery_is_stream_scan(const sl_tquery_t *t);
int sl_tquery_ncols(const sl_tquery_t *t);
/* Column i's name and ksqlDB type ("STRING", "ARRAY<INTEGER>",
 * "STRUCT<`A` INTEGER>"), and whether it is a key column. */
const char *sl_tquery_col_name(const sl_tquery_t *t, int i);
const char *sl_tquery_col_type(const sl_tquery_t *t, int i);
bool sl_tquery_col_key(const sl_tquery_t *t, int i);
/* The header schema of /query: "`ID` STRING KEY, `COUNT` BIGINT" (KEY
 * only for pull queries, as ksqlDB writes it). */
const char *sl_tquery_schema(const sl_tquery_t *t);

/* fn(ctx) is called, from any thread, when rows arrive or the state
 * changes.  It must be quick and must not call into the engine: it
 * wakes up whoever takes the rows.  Set it once, before the first take. */
void sl_tquery_set_notify(sl_tquery_t *t, void (*fn)(void *ctx), void *ctx);

/* One row: json[0..len) is the array of its columns; tombstone: a table
 * row deleted (its value columns are null). */
typedef void (*sl_tquery_row_fn)(void *ctx, const char *json, size_t len, bool tombstone);

/* Hands the waiting rows, up to about max_bytes of them (0: all), to fn
 * and returns the state.  A state other than SL_TQ_RUNNING is returned
 * only once every row has been taken: the query is over. */
sl_tq_state_t sl_tquery_take(sl_tquery_t *t, sl_tquery_row_fn fn, void *ctx, size_t max_bytes);

/* Why the query failed (SL_TQ_FAILED), else "". */
const char *sl_tquery_error(const sl_tquery_t *t);

/* Stops the query (if still running) and frees it, without waiting for
 * its thread (which finishes on its own).  Any thread; not at the same
 * time as a take on the same query.  Once it has returned, the notify
 * callback is not called again. */
void sl_tquery_close(sl_tquery_t *t);

/* POST /close-query: ends push query id (its taker then sees
 * SL_TQ_CLOSED).  False when no such query runs. */
bool sl_engine_close_query(sl_engine_t *eng, const char *id);

/* Push queries running now. */
int sl_engine_push_queries(sl_engine_t *eng);

/* ------------------------------------------------ inserts (/inserts-stream) */
typedef struct sl_inserter sl_inserter_t;

/* Opens an inserter into stream target (a stream, as ksqlDB requires). */
int sl_engine_insert_open(sl_engine_t *eng, sl_session_t *s, const char *target,
			  sl_inserter_t **out, sl_error_t *err);
/* Writes one row, a JSON object of column name (any case) to value;
 * missing columns are null.  Returns SL_OK once the record is delivered
 * to Kafka, or an error saying what is wrong with the row. */
int sl_inserter_row(sl_inserter_t *ins, const cJSON *row, sl_error_t *err);
void sl_inserter_close(sl_inserter_t *ins);

/* ------------------------------------------------ server state */
/* GET /info: {"KsqlServerInfo":{"version","kafkaClusterId","ksqlServiceId","serverStatus"}} */
cJSON *sl_engine_info(sl_engine_t *eng);
/* GET /healthcheck: {"isHealthy":b,"details":{"metastore":{"isHealthy":b},
 * "kafka":{"isHealthy":b},"commandRunner":{"isHealthy":b},"state":{"isHealthy":b}}} */
cJSON *sl_engine_health(sl_engine_t *eng);
/* GET /status: {"commandStatuses":{"stream/`S`/create":"SUCCESS",...}} */
cJSON *sl_engine_status(sl_engine_t *eng);
/* GET /metrics: appends the engine's metrics in Prometheus text format
 * (per query: records in/out, consumer lag, late records, errors, state
 * rows and bytes, commit latency; push queries). */
struct sl_strbuf;
void sl_engine_metrics(sl_engine_t *eng, struct sl_strbuf *out);

#endif
