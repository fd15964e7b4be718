/*
 * fn_aggregate_int.h: helpers shared by the aggregate functions
 * (fn_aggregate.c, fn_count_distinct.c, fn_multiset.c).
 *
 * Stage: expr.  Private to those files: list values of accumulators
 * (accumulators received are read-only, so a change is a new list in the
 * call's arena), the order of MIN, MAX and TOPK, and the variant hooks of
 * COUNT_DISTINCT and of the table forms of MIN and MAX, which
 * fn_aggregate.c's definition table refers to.
 */
#ifndef SL_EXPR_FN_AGGREGATE_INT_H
#define SL_EXPR_FN_AGGREGATE_INT_H

#include <stdint.h>

#include "expr/func.h"
#include "expr/value.h"
#include "util/arena.h"

/* ---- values ------------------------------------------------------------ */

/* The number of items of an ARRAY or STRUCT (entries of a MAP); NULL: 0. */
static inline int32_t
sl_fn_agg_len(const sl_value_t *v)
{
	return sl_value_is_null(v) ? 0 : v->u.list->n;
}

/* The items of a non-NULL ARRAY, MAP or STRUCT. */
static inline sl_value_t *
sl_fn_agg_items(const sl_value_t *v)
{
	return v->u.list->items;
}

/* An ARRAY in a of src[0..n) followed by *extra when extra is not NULL. */
sl_value_t sl_fn_agg_array_plus(sl_arena_t *a, const sl_value_t *src, int32_t n,
				const sl_value_t *extra);
/* An ARRAY in a of v's items with elem inserted at pos, cut to at most max
 * items. */
sl_value_t sl_fn_agg_array_insert(sl_arena_t *a, const sl_value_t *v, int32_t pos,
				  const sl_value_t *elem, int32_t max);
/* An ARRAY in a of v's items without item skip. */
sl_value_t sl_fn_agg_array_without(sl_arena_t *a, const sl_value_t *v, int32_t skip);

/* compareTo of two non-NULL values of the same type, as MIN, MAX and TOPK
 * order them (Double.compare, UTF-16 strings, signed bytes). */
int sl_fn_agg_compare(const sl_value_t *a, const sl_value_t *b);

/* ---- COUNT_DISTINCT (fn_count_distinct.c) ------------------------------ */

/* The resolve hook: the state type, ARRAY<INT>. */
int sl_fn_agg_count_distinct_resolve(sl_fresolve_t *r);
/* The aggregate operations: init, add, merge and result (no undo). */
extern const sl_agg_ops_t sl_fn_agg_count_distinct_ops;

/* ---- MIN and MAX over a table (fn_multiset.c) -------------------------- */

/* The table forms of every MAX and MIN variant (sl_func_variant_t.table):
 * a multiset of the group's values, which can take one back out. */
extern const sl_func_variant_t sl_fn_agg_max_table;
extern const sl_func_variant_t sl_fn_agg_min_table;

#endif
