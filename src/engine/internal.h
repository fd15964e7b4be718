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
#include "util/strbuf.h"

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
	/* pull queries with sluice.pull.consistency=wait: a request to catch
	 * up and commit (tickets), and the last ticket served */
	atomic_llong sync_requested, sync_done;
} sl_running_t;

struct sl_engine {
	sl_props_t props;
	bool test_mode;
	sl_kafka_t *kafka;
	struct sl_kafka_producer *producer;  /* shared by every query */
	sl_catalog_t *cat;
	sl_func_registry_t *reg;
	pthread_mutex_t lock;         /* serializes statements */
	/* the catalog and the running queries: written by statements (with
	 * lock), read by pull queries (without it, so that they run in
	 * parallel with each other) */
	pthread_rwlock_t catalog_lock;
	sl_running_t **running;
	int nrunning, caprunning;
	int64_t command_seq;
	atomic_llong processing_errors;
	const char *processing_log_topic;   /* NULL: stderr only */
	/* taps: one consumer per source that no query writes, feeding the
	 * push queries on it (query_mgr.c); threaded in every mode */
	sl_running_t **taps;
	int ntaps;
	/* transient queries (tquery.c) */
	pthread_mutex_t tq_lock;
	struct sl_tquery *tqueries;   /* every open one */
	int npush;
	atomic_int tq_seq;
	/* where each query keeps its SQLite database: state.dir, or a
	 * temporary directory (removed at the end) without one */
	char *query_state_dir;
	bool temp_state_dir;
	/* read-only connections of pull queries (pull.c) */
	pthread_mutex_t pull_lock;
	struct sl_pullconn *pullconns;
	/* scratch for sl_engine_sources_on_topic() */
	const struct sl_source **topic_sources;
	int ntopic_sources;
};

struct sl_session {
	sl_engine_t *eng;
	sl_props_t props;
	sl_props_t vars;
};

/* A transient query (engine.h). */
struct sl_tquery {
	sl_engine_t *eng;
	char id[160];
	bool pull;
	sl_arena_t arena;            /* columns */
	int ncols;
	int *cols;                   /* the output columns shown (not hidden) */
	char **names, **types;
	const sl_type_t **ctypes;
	bool *keys;
	char *schema;
	/* rows waiting to be taken: frames (length, tombstone, JSON) */
	pthread_mutex_t mu;
	sl_strbuf_t buf;
	size_t head;
	sl_tq_state_t end;           /* SL_TQ_RUNNING until it ends */
	char error[SL_ERROR_MSG_MAX];
	void (*notify)(void *ctx);
	void *nctx;
	long long limit, emitted, skip;
	size_t max_buffer;
	/* rendering, on the thread producing rows */
	sl_strbuf_t row;
	sl_arena_t scratch;
	/* push queries and stream scans: the exec runtime */
	struct sl_query *q;
	sl_running_t *feeder;        /* the persistent query feeding q, or NULL */
	pthread_t thread;
	bool has_thread;
	atomic_bool stop;
	bool registered;
	bool scan;                   /* a pull query on a stream */
	bool closed, worker_done;    /* under mu: who frees a threaded query */
	int notifying;               /* under mu: notify calls under way */
	struct sl_tquery *next;
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
	int error_code;           /* set on failure when not http_status * 100 + 1 */
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
/* The tap of source src (started now, from the end of its topic, when
 * there is none); NULL with err set when it cannot start. */
sl_running_t *sl_engine_tap(sl_engine_t *eng, const sl_source_t *src, sl_error_t *err);
/* Stops the tap of source name (dropped), or every tap (name NULL). */
void sl_engine_stop_taps(sl_engine_t *eng, const char *name);
/* Stops and frees the runtime of id (its catalog definition stays). */
void sl_engine_stop_query(sl_engine_t *eng, const char *id);
/* Queries reading (or writing) source name. */
int sl_engine_queries_using(sl_engine_t *eng, const char *name, bool writing,
			    const char **ids, int max);
/* The properties a statement sees: server, then session overrides. */
const char *sl_engine_prop(const sl_stmt_ctx_t *c, const char *key, const char *def);

/* ---- transient queries (tquery.c, pull.c) ---- */
sl_tquery_t *sl_tquery_new(sl_engine_t *eng, bool pull, const char *prefix, const char *source);
void sl_tquery_end(sl_tquery_t *t, sl_tq_state_t state, const char *error);
bool sl_tquery_push(sl_tquery_t *t, const char *json, size_t len, bool tombstone);
void sl_tquery_render_row(sl_tquery_t *t, const sl_value_t *out, sl_strbuf_t *sb, sl_arena_t *a);
void sl_tquery_set_columns(sl_tquery_t *t, const sl_analysis_t *an);
const char *sl_tquery_prop(sl_engine_t *eng, sl_session_t *s, const sl_props_t *props,
			   const char *name);
/* Answers the pull query select on the materialized table src into t. */
int sl_pull_table(sl_engine_t *eng, sl_session_t *s, const sl_props_t *props,
		  const sl_node_t *select, const sl_source_t *src, sl_tquery_t *t, sl_error_t *err);
void sl_pull_close_all(sl_engine_t *eng);
/* Push queries fed by r end (CLOSED) before r stops. */
void sl_engine_detach_subscribers(sl_engine_t *eng, sl_running_t *r);
/* Every transient query ends (the engine is stopping). */
void sl_engine_end_tqueries(sl_engine_t *eng);
/* ${name} substitution of DEFINE variables: a malloc'd copy, or NULL
 * when nothing was replaced. */
char *sl_engine_substitute(const char *text, size_t len, const sl_props_t *vars);

/* WRAP_SINGLE_VALUE when a statement does not say
 * (ksql.persistence.wrap.single.values): -1 (the format's default), 0, 1. */
int sl_engine_default_wrap(const sl_stmt_ctx_t *c);

#endif
