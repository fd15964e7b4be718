/*
 * internal.h: what the files of src/analyze share (not an API).
 *
 * Stage: analyze.  query.c analyzes a SELECT; aggregate.c takes over for
 * GROUP BY, HAVING and windows with the same context and helpers.
 */
#ifndef SL_ANALYZE_INTERNAL_H
#define SL_ANALYZE_INTERNAL_H

#include "analyze/analyze.h"

/* A projection item before compilation. */
typedef struct item {
	const sl_node_t *ast;   /* the expression */
	const char *name;       /* alias or derived name */
	bool aliased;
	int loc;
	int key_order;          /* position among the key columns, or -1 */
} item_t;

typedef struct actx {
	sl_arena_t *a;
	const sl_catalog_t *cat;
	const sl_func_registry_t *reg;
	sl_analysis_t *an;
	sl_scope_col_t *cols;   /* scope columns; grows with table functions */
	int ncols, capcols;
	sl_scope_t scope;
	sl_error_t *err;
	bool partitioned;       /* the query has PARTITION BY */
	bool star;              /* the projection has a * */
	bool transient;         /* a push or pull query (no sink) */
	int gen;                /* generated KSQL_COL_n names so far */
} actx_t;

void sl_an_scope_add(actx_t *c, const char *name, const char *qual, const sl_type_t *type,
		     int index);
/* The row index of a column reference, or -1 (unknown or ambiguous). */
int sl_an_resolve_column(const actx_t *c, const sl_node_t *col);
/* True when x and y denote the same expression (columns by what they
 * resolve to, anything else by tree equality). */
bool sl_an_same_expr(const actx_t *c, const sl_node_t *x, const sl_node_t *y);
/* Copies n, replacing each table-function call by a reference to its row
 * slot (registering it in the analysis). */
int sl_an_rewrite_tablefns(actx_t *c, const sl_node_t *n, sl_node_t **out);
const char *sl_an_derive_name(sl_arena_t *a, const sl_source_t *src, const sl_node_t *list,
			      const sl_node_t *e, int *gen);
void sl_an_items_push(sl_arena_t *a, item_t **items, int *n, int *cap, item_t it);
/* A copy of n without its children (kids[] all NULL, for the caller). */
sl_node_t *sl_an_copy_node(sl_arena_t *a, const sl_node_t *n);
sl_node_t *sl_an_column_ref(sl_arena_t *a, const char *name, const char *qual, int loc);
/* Expands *, alias.* and struct->* of the projection list into items. */
int sl_an_expand_items(actx_t *c, const sl_node_t *list, item_t **items, int *n);

/* Joins (join.c): the FROM clause's sources, row segments and join
 * nodes, and the scope over them; the name of an unaliased column
 * reference; the columns of source s for a *; the source called q (alias
 * or name), or -1; which projection item is the result's key. */
int sl_an_join_from(actx_t *c, const sl_node_t *select);
const char *sl_an_join_column_name(actx_t *c, const sl_node_t *e);
void sl_an_join_star(actx_t *c, int s, int loc, item_t **items, int *n, int *cap);
int sl_an_join_source(const actx_t *c, const char *q);
int sl_an_join_keys(actx_t *c, const sl_node_t *select, item_t *items, int n, const char *sink,
		    int *nkeys);

/* GROUP BY / HAVING / WINDOW: fills the aggregate part of c->an and its
 * output columns (aggregate.c). */
int sl_an_aggregate(actx_t *c, const sl_node_t *select, const char *sink);

#endif
