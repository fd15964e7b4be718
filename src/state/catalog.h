/*
 * catalog.h: the metastore: streams, tables, types and persistent queries.
 *
 * Stage: state.  Takes validated definitions from the engine and hands them
 * to the analyzer (name lookup), the planner (topics, formats, columns) and
 * the engine (SHOW/DESCRIBE).  Everything a definition points at lives in
 * the definition's own arena.  When opened on a state directory, every
 * change is written to state.dir/catalog.db (SQLite, WAL) in the same call,
 * and sl_catalog_open() hands back the stored statements in order so that
 * the engine can rebuild sources and restart queries after a restart.
 *
 * Not thread-safe: the engine serializes statement execution.
 */
#ifndef SL_STATE_CATALOG_H
#define SL_STATE_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "expr/type.h"
#include "util/arena.h"
#include "util/error.h"

typedef enum {
	SL_COL_KEY = 1,
	SL_COL_VALUE,
	SL_COL_HEADERS,  /* ARRAY<STRUCT<KEY STRING, VALUE BYTES>>: all headers */
	SL_COL_HEADER,   /* BYTES: the header named header_key */
} sl_col_ns_t;

typedef struct sl_column {
	const char *name;
	const sl_type_t *type;
	sl_col_ns_t ns;
	const char *header_key; /* SL_COL_HEADER */
} sl_column_t;

typedef enum {
	SL_WIN_NONE = 0,
	SL_WIN_TUMBLING,
	SL_WIN_HOPPING,
	SL_WIN_SESSION,
} sl_wintype_t;

typedef struct sl_source {
	sl_arena_t arena;         /* owns every string and type below */
	const char *name;
	int kind;                 /* SL_OBJ_STREAM or SL_OBJ_TABLE (parse/ast.h) */
	bool read_only;           /* CREATE SOURCE STREAM/TABLE */
	const char *topic;
	int partitions;
	int replicas;
	const char *key_format;   /* upper-case: KAFKA, JSON, DELIMITED, NONE, ... */
	const char *value_format;
	const char *key_delimiter;   /* NULL: the default "," */
	const char *value_delimiter;
	int wrap_single_value;    /* -1 unset, 0 false, 1 true */
	const char *timestamp_column;  /* NULL: the record timestamp */
	const char *timestamp_format;
	sl_wintype_t window_type;      /* windowed key (WINDOW_TYPE) */
	int64_t window_size_ms;
	int ncols;
	sl_column_t *cols;        /* key columns first, in declaration order */
	const char *sql;          /* the statement that created it */
	const char *query_id;     /* the persistent query writing it, or NULL */
	int64_t seq;              /* creation order */
} sl_source_t;

typedef struct sl_named_type {
	sl_arena_t arena;
	const char *name;
	const sl_type_t *type;
	const char *sql;
	int64_t seq;
} sl_named_type_t;

/* A persistent query as the catalog keeps it. */
typedef struct sl_query_def {
	sl_arena_t arena;
	const char *id;           /* CSAS_OUTPUT_0, INSERTQUERY_3, ... */
	const char *sql;          /* the statement, variables substituted */
	const char *sink;         /* the source it writes */
	int nsources;
	const char **sources;     /* the sources it reads */
	bool terminated;
	int64_t seq;
} sl_query_def_t;

/* One stored statement to replay on start-up. */
typedef struct sl_catalog_entry {
	int64_t seq;
	const char *sql;
	const char *query_id;     /* the id its query had, or NULL */
	bool terminated;          /* its query was terminated */
} sl_catalog_entry_t;

typedef struct sl_catalog sl_catalog_t;

/*
 * Opens a catalog.  With state_dir NULL it is in memory only; otherwise
 * state_dir is created if needed and state_dir/catalog.db opened.  The
 * stored statements come back in *entries (allocated in the catalog; valid
 * until the next sl_catalog_* call that changes it).  Returns SL_OK or an
 * error (unreadable or corrupt database).
 */
int sl_catalog_open(const char *state_dir, sl_catalog_t **out,
		    sl_catalog_entry_t **entries, int *nentries, sl_error_t *err);

void sl_catalog_close(sl_catalog_t *cat);

/* A new, empty source definition with its own arena (not yet added). */
sl_source_t *sl_source_new(void);
void sl_source_free(sl_source_t *src);

/* Index of the column named name in src (exact match), or -1. */
int sl_source_column(const sl_source_t *src, const char *name);

/* Number of key columns (they come first). */
int sl_source_nkeys(const sl_source_t *src);

/* Adds src; ownership moves to the catalog on success.  With replace, an
 * existing source of the same name is freed and replaced.  SL_EEXISTS when
 * the name is taken and !replace. */
int sl_catalog_add_source(sl_catalog_t *cat, sl_source_t *src, bool replace,
			  sl_error_t *err);

/* Removes and frees the source; SL_ENOTFOUND when absent. */
int sl_catalog_drop_source(sl_catalog_t *cat, const char *name, sl_error_t *err);

/* The source named name (exact, already normalized), or NULL. */
sl_source_t *sl_catalog_source(const sl_catalog_t *cat, const char *name);

/* Sources in creation order; *n receives the count. */
sl_source_t **sl_catalog_sources(const sl_catalog_t *cat, int *n);

sl_named_type_t *sl_named_type_new(void);
int sl_catalog_add_type(sl_catalog_t *cat, sl_named_type_t *t, sl_error_t *err);
int sl_catalog_drop_type(sl_catalog_t *cat, const char *name, sl_error_t *err);
sl_named_type_t *sl_catalog_type(const sl_catalog_t *cat, const char *name);
sl_named_type_t **sl_catalog_types(const sl_catalog_t *cat, int *n);

sl_query_def_t *sl_query_def_new(void);
/* Adds a persistent query; ownership moves to the catalog. */
int sl_catalog_add_query(sl_catalog_t *cat, sl_query_def_t *q, sl_error_t *err);
/* Removes and frees a query definition. */
void sl_catalog_remove_query(sl_catalog_t *cat, const char *id);
sl_query_def_t *sl_catalog_query(const sl_catalog_t *cat, const char *id);
sl_query_def_t **sl_catalog_queries(const sl_catalog_t *cat, int *n);

/*
 * The statement log that rebuilds the catalog on start-up.  The engine logs
 * each statement that creates something (a source, a type, a persistent
 * query), removes the entry when that thing is dropped, and marks it when
 * its query is terminated.  No-ops (SL_OK) for an in-memory catalog.
 */
int sl_catalog_log(sl_catalog_t *cat, const char *sql, const char *query_id,
		   int64_t *seq, sl_error_t *err);
int sl_catalog_unlog(sl_catalog_t *cat, int64_t seq, sl_error_t *err);
int sl_catalog_log_terminated(sl_catalog_t *cat, int64_t seq, sl_error_t *err);

/* The next number for a query id; persistent across restarts. */
int64_t sl_catalog_next_query_number(sl_catalog_t *cat);

/* The state directory, or NULL for an in-memory catalog. */
const char *sl_catalog_state_dir(const sl_catalog_t *cat);

#endif
