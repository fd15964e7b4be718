/*
 * internal.h: the engine's private structures, shared by the files of src/engine.
 *
 * Stage: engine.  Not part of the API (engine.h); the HTTP server and the
 * shell never include it.
 */
#ifndef SL_ENGINE_INTERNAL_H
#define SL_ENGINE_INTERNAL_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>

#include "analyze/analyze.h"
#include "engine/engine.h"
#include "expr/func.h"
#include "parse/ast.h"
#include "state/catalog.h"
#include "util/props.h"

struct sl_query;  /* exec/query.h */

/* A running (or paused) persistent query. */
typedef struct sl_running {
	sl_engine_t *eng;
	char *id;
	struct sl_query *q;      /* the runtime */
	pthread_t thread;        /* server mode */
	bool has_thread;
	atomic_bool stop;
	atomic_bool paused;
	atomic_bool failed;      /* stopped by an error: see error */
	char error[SL_ERROR_MSG_MAX];
} sl_running_t;

struct sl_engine {
	sl_props_t props;
	bool test_mode;
	sl_kafka_t *kafka;
	struct sl_kafka_producer *producer;  /* shared by every query */
	sl_catalog_t *cat;
	sl_func_registry_t *reg;
	pthread_mutex_t lock;         /* serializes statements */
	sl_running_t **running;
	int nrunning, caprunning;
	int64_t command_seq;
	atomic_llong processing_errors;
	const char *processing_log_topic;   /* NULL: stderr only */
	/* scratch for sl_engine_sources_on_topic() */
	const struct sl_source **topic_sources;
	int ntopic_sources;
};

struct sl_session {
	sl_engine_t *eng;
	sl_props_t props;
	sl_props_t vars;
};

/* What one statement handler gets. */
typedef struct sl_stmt_ctx {
	sl_engine_t *eng;
	sl_session_t *session;
	const sl_node_t *node;
	const char *sql;          /* the statement's text (variables substituted) */
	cJSON *results;
	sl_error_t *err;
	int http_status;          /* set on failure when not 400 */
	bool replaying;           /* rebuilding the catalog at start-up */
	const char *replay_query_id;
	bool replay_terminated;
	int64_t replay_seq;
} sl_stmt_ctx_t;

/* ---- entities (entity.c) ---- */
cJSON *sl_entity_status(sl_stmt_ctx_t *c, const char *command_id, const char *message,
			const char *query_id);
cJSON *sl_entity_new(sl_stmt_ctx_t *c, const char *type);
/* The ksqlDB schema object of a type: {"type":"INTEGER","fields":null,
 * "memberSchema":null}. */
cJSON *sl_entity_schema(const sl_type_t *t);
/* "`K` STRING KEY, `V` INTEGER" */
void sl_entity_schema_string(sl_strbuf_t *out, const sl_source_t *src);
cJSON *sl_entity_source_description(sl_engine_t *eng, const sl_source_t *src, bool extended);

/* ---- statement handlers ---- */
int sl_stmt_create_source(sl_stmt_ctx_t *c);
int sl_stmt_create_type(sl_stmt_ctx_t *c);
int sl_stmt_drop(sl_stmt_ctx_t *c);
int sl_stmt_alter_source(sl_stmt_ctx_t *c);
int sl_stmt_create_as(sl_stmt_ctx_t *c);
int sl_stmt_insert_select(sl_stmt_ctx_t *c);
int sl_stmt_insert_values(sl_stmt_ctx_t *c);
int sl_stmt_query_control(sl_stmt_ctx_t *c);   /* TERMINATE, PAUSE, RESUME */
int sl_stmt_show(sl_stmt_ctx_t *c);
int sl_stmt_describe(sl_stmt_ctx_t *c);
int sl_stmt_explain(sl_stmt_ctx_t *c);
int sl_stmt_print(sl_stmt_ctx_t *c);
int sl_stmt_select(sl_stmt_ctx_t *c);

/* Makes sure the topic of src exists (stmt_ddl.c); fills src->partitions. */
int sl_engine_ensure_topic(sl_engine_t *eng, sl_source_t *src, bool create_if_missing,
			   int default_partitions, int loc, sl_error_t *err);

/* ---- queries (query_mgr.c) ---- */
/* Plans and starts persistent query id: select writes sink; session gives
 * auto.offset.reset (may be NULL). */
int sl_engine_start_query(sl_engine_t *eng, const char *id, const sl_node_t *select,
			  const sl_props_t *session, const sl_source_t *sink, sl_error_t *err);
/* Starts the query that keeps the source table src in SQLite (CREATE
 * SOURCE TABLE): id CST_<NAME>, reading the topic from the start. */
int sl_engine_start_materializer(sl_engine_t *eng, const sl_source_t *src, sl_error_t *err);
/* The id of src's materializer query in buf. */
const char *sl_engine_materializer_id(const sl_source_t *src, char *buf, size_t size);
sl_running_t *sl_engine_find_running(sl_engine_t *eng, const char *id);
/* Stops and frees the runtime of id (its catalog definition stays). */
void sl_engine_stop_query(sl_engine_t *eng, const char *id);
/* Queries reading (or writing) source name. */
int sl_engine_queries_using(sl_engine_t *eng, const char *name, bool writing,
			    const char **ids, int max);
/* The properties a statement sees: server, then session overrides. */
const char *sl_engine_prop(const sl_stmt_ctx_t *c, const char *key, const char *def);

/* WRAP_SINGLE_VALUE when a statement does not say
 * (ksql.persistence.wrap.single.values): -1 (the format's default), 0, 1. */
int sl_engine_default_wrap(const sl_stmt_ctx_t *c);

#endif
