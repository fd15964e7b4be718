/*
 * fn_multiset.c: MIN and MAX over a table, with a multiset accumulator.
 *
 * Stage: expr.  Over a stream, MIN and MAX keep one value, which cannot
 * give a row back when a table row changes or is deleted.  Their table
 * forms (sl_fn_agg_max_table and sl_fn_agg_min_table, named by every MAX
 * and MIN variant in fn_aggregate.c's definition table, and bound in their
 * place by sl_func_bind_table() when the input is a table) keep each
 * distinct value of the group with how many rows hold it:
 *
 *     ARRAY<STRUCT<VALUE T, COUNT BIGINT>>
 *
 * sorted by sl_fn_agg_compare() (the order of MIN, MAX and TOPK), each
 * VALUE once, each COUNT at least 1, stored as JSON between records like
 * any state.  add and undo find the value by binary search and copy the
 * array once; the result is the last VALUE (MAX) or the first (MIN), NULL
 * for an empty group.  NULL arguments are skipped, as on streams.
 *
 * Memory: accumulators received are read-only; a changed multiset is a
 * new ARRAY in call->arena, whose entries point to the argument values
 * (the executor copies the accumulator it keeps).  All operations run on
 * the query's thread.
 */
#include <stdbool.h>
#include <stdint.h>

#include "expr/fn_aggregate_int.h"
#include "expr/fn_util.h"
#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"

/* The fields of an entry. */
enum { M_VALUE, M_COUNT };

/* The state type: ARRAY<STRUCT<VALUE T, COUNT BIGINT>>, T the result's. */
static int
multiset_resolve(sl_fresolve_t *r)
{
	const sl_field_t f[] = { { "VALUE", r->ret }, { "COUNT", sl_type_bigint() } };

	r->state_type = sl_type_array(r->arena, sl_type_struct(r->arena, f, 2));
	return SL_OK;
}

static sl_value_t
entry(sl_arena_t *a, const sl_value_t *v, int64_t count)
{
	sl_value_t e = sl_value_list(a, SL_T_STRUCT, 2);

	sl_fn_agg_items(&e)[M_VALUE] = *v;
	sl_fn_agg_items(&e)[M_COUNT] = sl_value_bigint(count);
	return e;
}

static const sl_value_t *
entry_value(const sl_value_t *set, int32_t i)
{
	return &sl_fn_agg_items(&sl_fn_agg_items(set)[i])[M_VALUE];
}

static int64_t
entry_count(const sl_value_t *set, int32_t i)
{
	return sl_fn_agg_items(&sl_fn_agg_items(set)[i])[M_COUNT].u.l;
}

/* The position of the first entry whose VALUE is not below v; *found:
 * that VALUE equals v. */
static int32_t
lower_bound(const sl_value_t *set, const sl_value_t *v, bool *found)
{
	int32_t lo = 0, hi = sl_fn_agg_len(set);

	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;
		if (sl_fn_agg_compare(entry_value(set, mid), v) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < sl_fn_agg_len(set) && sl_fn_agg_compare(entry_value(set, lo), v) == 0;
	return lo;
}

/* set with delta more rows holding v (fewer when delta is negative): an
 * entry whose count falls below 1 goes; a value that set does not hold
 * cannot be taken out (set is returned as it is). */
static sl_value_t
multiset_update(sl_arena_t *a, const sl_value_t *set, const sl_value_t *v, int64_t delta)
{
	bool found;
	int32_t i = lower_bound(set, v, &found);
	int64_t count;
	sl_value_t e, out;

	if (!found) {
		if (delta < 1)
			return *set;
		e = entry(a, v, delta);
		return sl_fn_agg_array_insert(a, set, i, &e, INT32_MAX);
	}
	count = entry_count(set, i) + delta;
	if (count < 1)
		return sl_fn_agg_array_without(a, set, i);
	out = sl_fn_agg_array_plus(a, sl_fn_agg_items(set), sl_fn_agg_len(set), NULL);
	sl_fn_agg_items(&out)[i] = entry(a, entry_value(set, i), count);
	return out;
}

static int
multiset_init(sl_fcall_t *call, sl_value_t *acc)
{
	*acc = sl_fn_array(call->arena, 0);
	return SL_OK;
}

static int
multiset_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (!sl_value_is_null(&argv[0]))
		*acc = multiset_update(call->arena, acc, &argv[0], 1);
	return SL_OK;
}

static int
multiset_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (!sl_value_is_null(&argv[0]))
		*acc = multiset_update(call->arena, acc, &argv[0], -1);
	return SL_OK;
}

/* The union, counts added: one pass over both sorted arrays. */
static int
multiset_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	int32_t na = sl_fn_agg_len(acc), nb = sl_fn_agg_len(other), i = 0, j = 0, n = 0;
	sl_value_t out;

	if (nb == 0)
		return SL_OK;
	out = sl_fn_array(call->arena, na + nb);
	while (i < na || j < nb) {
		int c = i == na ? 1 :
			j == nb ? -1 :
				  sl_fn_agg_compare(entry_value(acc, i), entry_value(other, j));
		if (c < 0) {
			sl_fn_agg_items(&out)[n++] = sl_fn_agg_items(acc)[i++];
		} else if (c > 0) {
			sl_fn_agg_items(&out)[n++] = sl_fn_agg_items(other)[j++];
		} else {
			sl_fn_agg_items(&out)[n++] =
				entry(call->arena, entry_value(acc, i),
				      entry_count(acc, i) + entry_count(other, j));
			i++;
			j++;
		}
	}
	out.u.list->n = n;
	*acc = out;
	return SL_OK;
}

static int
max_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	int32_t n = sl_fn_agg_len(acc);

	(void)call;
	*out = n > 0 ? *entry_value(acc, n - 1) : sl_value_null();
	return SL_OK;
}

static int
min_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	(void)call;
	*out = sl_fn_agg_len(acc) > 0 ? *entry_value(acc, 0) : sl_value_null();
	return SL_OK;
}

static const sl_agg_ops_t max_table_ops = { multiset_init, multiset_add, multiset_undo,
					    multiset_merge, max_result };
static const sl_agg_ops_t min_table_ops = { multiset_init, multiset_add, multiset_undo,
					    multiset_merge, min_result };

/* Not registered: params and ret are only read by DESCRIBE FUNCTION. */
const sl_func_variant_t sl_fn_agg_max_table = { .ret = "T",
						.agg = &max_table_ops,
						.resolve = multiset_resolve };
const sl_func_variant_t sl_fn_agg_min_table = { .ret = "T",
						.agg = &min_table_ops,
						.resolve = multiset_resolve };
