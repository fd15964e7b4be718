/*
 * analyze.h: the analyzer: parsed statements -> validated definitions.
 *
 * Stage: analyze.  Takes ASTs (parse/ast.h) and the catalog; hands on
 * source definitions (CREATE STREAM/TABLE), types (CREATE TYPE) and query
 * analyses (SELECT: resolved names, typed and compiled expressions, the
 * output schema with its key) to the planner and the engine.  Every error
 * carries the offset of the offending node; the caller turns it into
 * line:column with sl_error_locate().
 */
#ifndef SL_ANALYZE_ANALYZE_H
#define SL_ANALYZE_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>

#include "parse/ast.h"
#include "state/catalog.h"
#include "util/error.h"
#include "util/props.h"

/* The WITH clause of CREATE / CREATE AS / INSERT INTO, validated. */
typedef struct sl_with {
	const char *topic;          /* KAFKA_TOPIC */
	int partitions;             /* PARTITIONS, 0 unset */
	int replicas;               /* REPLICAS, 0 unset */
	const char *key_format;     /* KEY_FORMAT or FORMAT, upper-case */
	const char *value_format;   /* VALUE_FORMAT or FORMAT */
	const char *key_delimiter;
	const char *value_delimiter;
	int wrap_single_value;      /* -1 unset */
	const char *timestamp;      /* TIMESTAMP column, upper-cased */
	const char *timestamp_format;
	sl_wintype_t window_type;
	int64_t window_size_ms;     /* 0 unset */
	int64_t retention_ms;       /* 0 unset */
	int loc;                    /* offset of the WITH clause, for errors */
} sl_with_t;

/*
 * Reads a LIST of PROPERTY nodes (or NULL) into w, strings allocated in a.
 * Unknown names, values of the wrong kind and unknown formats are errors.
 */
int sl_analyze_with(const sl_node_t *props, sl_arena_t *a, sl_with_t *w, sl_error_t *err);

/* True when fmt names a format sluice can read and write today. */
bool sl_format_supported(const char *fmt);

/* Converts a TYPE node to a type in a; named types come from the catalog. */
int sl_analyze_type(const sl_node_t *type, const sl_catalog_t *cat, sl_arena_t *a,
		    const sl_type_t **out, sl_error_t *err);

/*
 * CREATE [OR REPLACE] [SOURCE] STREAM|TABLE name (columns) WITH (...):
 * a new source definition (not added to the catalog).  sql is the
 * statement text to keep with it.  Checks columns (KEY for streams,
 * PRIMARY KEY for tables, reserved names, duplicates, header columns), the
 * formats and the properties.
 */
/* Defaults for what a CREATE does not say (ksql.persistence.* properties);
 * NULL / -1 where none is configured. */
typedef struct sl_analyze_defaults {
	const char *key_format;       /* default KAFKA */
	const char *value_format;     /* default: none, VALUE_FORMAT required */
	int wrap_single_value;
} sl_analyze_defaults_t;

int sl_analyze_create_source(const sl_node_t *stmt, const sl_catalog_t *cat,
			     const sl_analyze_defaults_t *defs, const char *sql,
			     sl_source_t **out, sl_error_t *err);

/* CREATE TYPE name AS type. */
int sl_analyze_create_type(const sl_node_t *stmt, const sl_catalog_t *cat,
			   const char *sql, sl_named_type_t **out, sl_error_t *err);

/* True for ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND. */
bool sl_is_pseudo_column(const char *name);

#endif

#ifndef SL_ANALYZE_QUERY_DECLS
#define SL_ANALYZE_QUERY_DECLS

#include "expr/expr.h"
#include "expr/func.h"

/* One output column of a query. */
typedef struct sl_out_col {
	const char *name;
	const sl_type_t *type;
	bool key;               /* a key column (they come first) */
	bool hidden;            /* a push query's grouping key it does not show */
	sl_expr_t *expr;        /* evaluated over the evaluation row */
	int loc;
} sl_out_col_t;

/* A table function call in the projection (EXPLODE ...): its arguments,
 * and the row slot that holds one element of its result per output row. */
typedef struct sl_tablefn {
	sl_func_binding_t bind;
	int argc;
	sl_expr_t **args;
	int slot;
} sl_tablefn_t;

/* An aggregate call of an aggregation: its binding and its arguments,
 * compiled over the evaluation row (COUNT(*) has none). */
typedef struct sl_aggcall {
	sl_func_binding_t bind;
	int argc;
	sl_expr_t **args;
	const sl_node_t *ast;       /* the call, for matching repeats */
} sl_aggcall_t;

/* The WINDOW clause of an aggregation. */
typedef struct sl_window {
	sl_wintype_t type;          /* SL_WIN_NONE: not windowed */
	int64_t size_ms;            /* TUMBLING / HOPPING size; SESSION gap */
	int64_t advance_ms;         /* HOPPING advance; TUMBLING: size */
	int64_t grace_ms;           /* as given, or the default (24 hours) */
	int64_t retention_ms;       /* as given, or size + grace */
} sl_window_t;

/* ksqlDB's (Kafka Streams') grace period when none is given. */
#define SL_WINDOW_DEFAULT_GRACE_MS (24LL * 3600 * 1000)

/*
 * Joins.  The FROM clause "s0 JOIN s1 ON ... JOIN s2 ON ..." is a chain of
 * binary joins: node i joins the result of nodes 0..i-1 (or s0) with
 * source i+1.  Each source owns a segment of the evaluation row: its
 * columns, then its ROWTIME, ROWPARTITION and ROWOFFSET.  After all the
 * segments come the result's ROWTIME (an unqualified ROWTIME) and the
 * synthetic key column, when there is one.
 */
typedef struct sl_join_src {
	const sl_source_t *src;
	const char *alias;
	int base;                   /* row index of its first column */
	int rowtime, rowpartition, rowoffset;
	int windowstart, windowend; /* a windowed source's window, or -1 */
	int end;                    /* one past its last row slot */
	sl_expr_t *event_time;      /* STRING TIMESTAMP parsed, or NULL */
} sl_join_src_t;

typedef enum sl_join_op {
	SL_JOIN_SS = 1,             /* stream-stream, windowed (WITHIN) */
	SL_JOIN_ST,                 /* stream-table lookup */
	SL_JOIN_TT,                 /* table-table on the key */
	SL_JOIN_FK,                 /* table-table on a foreign key */
} sl_join_op_t;

typedef struct sl_join_node {
	int type;                   /* SL_JOIN_INNER / LEFT / RIGHT / FULL */
	sl_join_op_t op;
	sl_expr_t *lkey, *rkey;     /* the ON sides, over the row: left
				     * relation's, right source's */
	const sl_node_t *lkey_ast, *rkey_ast;
	int64_t before_ms, after_ms, grace_ms;  /* SL_JOIN_SS */
	bool has_grace;             /* GRACE PERIOD given: outer joins emit
				     * unmatched rows when their window closes */
	bool table;                 /* the node's result is a table */
} sl_join_node_t;

typedef struct sl_join {
	int nsrc;
	sl_join_src_t *src;
	int nnode;                  /* nsrc - 1 */
	sl_join_node_t *node;
	int rowtime;                /* row slot of the result's ROWTIME */
	int rowkey;                 /* row slot of the join key, or -1 (a
				     * foreign-key join keeps the left key) */
	const char *rowkey_name;    /* its name: ROWKEY (or ROWKEY_n) when it
				     * is a synthetic key column */
	bool synthetic;
	bool table;                 /* the result is a table */
	int nleft_keys;             /* SL_JOIN_FK: the left table's key columns */
} sl_join_t;

/*
 * A SELECT over one source, analyzed.  The evaluation row holds the
 * source's columns (in catalog order), then the pseudo-columns, then one
 * slot per table function.  Everything lives in the arena given to
 * sl_analyze_query().
 */
typedef struct sl_analysis {
	const sl_source_t *from;   /* for a join: a relation standing for
				     * the result (kind, formats, partitions) */
	sl_join_t *join;            /* FROM has joins, or NULL */
	const char *alias;          /* the qualifier of the source's columns */
	int nrow;                   /* width of the evaluation row */
	int ninput;                 /* the source's columns */
	int rowtime, rowpartition, rowoffset;   /* row indexes */
	int windowstart, windowend; /* row indexes, -1 when not windowed */
	sl_expr_t *where;           /* or NULL */
	sl_expr_t *event_time;      /* STRING TIMESTAMP column parsed with
				     * TIMESTAMP_FORMAT, or NULL */
	int ntf;
	sl_tablefn_t *tf;
	int nout;
	sl_out_col_t *out;          /* key columns first */
	int nkeys;
	bool partitioned;           /* PARTITION BY given (keys computed) */
	int emit;                   /* SL_EMIT_* */
	long long limit;            /* -1 when none */
	/* ORDER BY and OFFSET (pull queries): sort keys over the evaluation
	 * row (an output column's alias stands for its expression) */
	int norder;
	sl_expr_t **order;
	bool *order_desc;
	long long offset;           /* 0 when none */

	/* Aggregations (GROUP BY).  The input row is grouped by group[]
	 * (over the evaluation row) and aggregated by aggs[]; the output
	 * columns and HAVING are then evaluated over the aggregate row:
	 * the group values [0, ngroup), the aggregate results
	 * [ngroup, ngroup + nagg), WINDOWSTART (agg_windowstart) and
	 * WINDOWEND (agg_windowend); agg_nrow slots in all. */
	bool aggregate;
	int ngroup;
	sl_expr_t **group;
	int nagg;
	sl_aggcall_t *aggs;
	sl_window_t window;
	sl_expr_t *having;          /* over the aggregate row, or NULL */
	int agg_nrow, agg_windowstart, agg_windowend;
} sl_analysis_t;

/* The milliseconds of a time unit keyword (SECOND, SECONDS, ... DAYS, as
 * written, any case); false for anything else. */
bool sl_analyze_time_unit(const char *unit, int64_t *ms);

/* A DURATION node ("30 SECONDS") in milliseconds. */
int sl_analyze_duration(const sl_node_t *d, int64_t *ms, sl_error_t *err);

/*
 * Compiles STRINGTOTIMESTAMP(column, 'format') against scope: the event
 * time of a STRING TIMESTAMP column read with TIMESTAMP_FORMAT (for a
 * source, over its input row; for a sink, over its output row).
 */
int sl_analyze_time_parse(const char *column, const char *format, const sl_scope_t *scope,
			  const sl_func_registry_t *reg, sl_arena_t *a, sl_expr_t **out,
			  sl_error_t *err);

/*
 * Analyzes a SELECT for a persistent query writing sink_name (used in
 * messages), or for a transient query when sink_name is NULL.  Checks
 * ksqlDB's rules for keys: without PARTITION BY the source's key columns
 * must be projected (they stay the key); with PARTITION BY each
 * partitioning expression must be projected and becomes the key.
 */
int sl_analyze_query(const sl_node_t *select, const sl_catalog_t *cat,
		     const sl_func_registry_t *reg, const char *sink_name, sl_arena_t *a,
		     sl_analysis_t **out, sl_error_t *err);

#endif
