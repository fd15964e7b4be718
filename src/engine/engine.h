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

#endif
