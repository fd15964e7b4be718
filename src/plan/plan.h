/*
 * plan.h: physical plans of persistent and transient queries.
 *
 * Stage: plan.  Takes an analyzed SELECT (analyze.h) plus the definitions
 * of its input and output, and hands the executor a self-contained plan:
 * copies of the topics, formats and columns it reads and writes, and the
 * compiled expressions, all in the plan's own arena, so that a running
 * query never points into catalog entries that a later statement may
 * replace.  Plans are read-only once built; the executor keeps its state
 * apart (exec/query.h).
 *
 * The operator pipeline of a stateless query, in order:
 *   source (consume, decode key and value, event time)
 *   -> filter (WHERE) -> table functions (EXPLODE...) -> project
 *   -> sink (encode, produce with the output key and timestamp)
 */
#ifndef SL_PLAN_PLAN_H
#define SL_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "analyze/analyze.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

/* One end of a query: a topic with its formats and columns. */
typedef struct sl_plan_io {
	const char *name;           /* the stream or table */
	int kind;                   /* SL_OBJ_STREAM / SL_OBJ_TABLE */
	const char *topic;
	int partitions;
	const char *key_format;
	const char *value_format;
	const char *key_delimiter;
	const char *value_delimiter;
	int wrap_single_value;      /* -1 unset */
	int ncols;
	sl_column_t *cols;          /* key columns first */
	int nkeys;
	sl_wintype_t window_type;
	int64_t window_size_ms;
	int timestamp_col;          /* column giving event time, -1: record time */
	const char *timestamp_format;
} sl_plan_io_t;

typedef struct sl_plan {
	sl_arena_t arena;           /* owns everything below */
	const char *query_id;
	sl_plan_io_t input;         /* a join: its left-most source */
	int ninputs;                /* 1, or a join's sources */
	sl_plan_io_t *inputs;       /* inputs[0] is input */
	sl_plan_io_t output;        /* unused for transient queries */
	bool has_output;
	sl_analysis_t *an;
	/* the output timestamp parsed from a STRING sink TIMESTAMP column
	 * (TIMESTAMP_FORMAT), evaluated over the output row; or NULL */
	sl_expr_t *out_event_time;
} sl_plan_t;

/* Copies the definition of src into io, allocated in a. */
void sl_plan_io_from_source(sl_arena_t *a, const sl_source_t *src, sl_plan_io_t *io);

/*
 * Plans the SELECT select (a persistent query writing sink when sink is
 * not NULL; a transient one otherwise).  The plan owns its own arena.
 */
int sl_plan_create(const sl_node_t *select, const sl_catalog_t *cat,
		   const sl_func_registry_t *reg, const char *query_id,
		   const sl_source_t *sink, const char *sink_name, sl_plan_t **out,
		   sl_error_t *err);

void sl_plan_destroy(sl_plan_t *plan);

/* Appends a readable description of the operator pipeline (EXPLAIN). */
void sl_plan_explain(const sl_plan_t *plan, sl_strbuf_t *out);

#endif

#include "format/serde.h"

/*
 * Builds the key (is_key) or value serde of io: its key columns, or its
 * value columns (header columns are not in the payload), with io's format,
 * delimiter and WRAP_SINGLE_VALUE.  Errors in ksqlDB's words (serde.h).
 */
int sl_plan_io_serde(const sl_plan_io_t *io, bool is_key, sl_serde_t **out, sl_error_t *err);

/* Checks that src's formats can carry its columns (DDL validation). */
int sl_plan_check_formats(const sl_source_t *src, sl_error_t *err);
