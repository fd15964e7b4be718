/*
 * fn_lambda.c: higher-order functions over arrays and maps (ksqlDB's
 * LAMBDA family).
 *
 * Stage: expr.  TRANSFORM FILTER REDUCE.  The lambda arguments are
 * evaluated through sl_fcall_lambda(); an error in a lambda body is the
 * error of the whole call (its value is NULL), as an exception in ksqlDB.
 * Java's collectors also reject what ksqlDB's do: a map built by TRANSFORM
 * or FILTER may not hold a NULL value or, for TRANSFORM, the same key
 * twice.  A FILTER predicate that is NULL counts as false.
 */
#include <string.h>

#include "expr/fn_util.h"
#include "expr/func.h"

#define NC SL_FV_NULL_CALL

static bool
same_key(const sl_value_t *a, const sl_value_t *b)
{
	if (sl_value_is_null(a) || sl_value_is_null(b))
		return sl_value_is_null(a) && sl_value_is_null(b);
	return sl_value_compare(a, b) == 0;
}

/* TRANSFORM(array, x => f(x)). */
static int
fn_transform_array(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *a = &argv[0];
	int32_t n = a->u.list->n;
	sl_value_t arr = sl_fn_array(call->arena, n);
	for (int32_t i = 0; i < n; i++) {
		int rc = sl_fcall_lambda(call, 1, &a->u.list->items[i], 1, &arr.u.list->items[i]);
		if (rc != SL_OK)
			return rc;
	}
	*out = arr;
	return SL_OK;
}

/* TRANSFORM(map, (k, v) => new key, (k, v) => new value). */
static int
fn_transform_map(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *m = &argv[0];
	int32_t n = m->u.list->n;
	sl_value_t res = sl_fn_map(call->arena, n);
	sl_value_t *it = res.u.list->items;
	for (int32_t i = 0; i < n; i++) {
		const sl_value_t *kv = &m->u.list->items[2 * i];
		sl_value_t k, v;
		int rc = sl_fcall_lambda(call, 1, kv, 2, &k);
		if (rc == SL_OK)
			rc = sl_fcall_lambda(call, 2, kv, 2, &v);
		if (rc != SL_OK)
			return rc;
		for (int32_t j = 0; j < i; j++)
			if (same_key(&it[2 * j], &k))
				return sl_fcall_error(call, "duplicate key in the transformed map");
		if (sl_value_is_null(&v))
			return sl_fcall_error(call, "the transformed map has a NULL value");
		it[2 * i] = k;
		it[2 * i + 1] = v;
	}
	*out = res;
	return SL_OK;
}

/* Evaluates predicate argument 1 on args; NULL is false. */
static int
test(sl_fcall_t *call, const sl_value_t *args, int nargs, bool *keep)
{
	sl_value_t r;
	int rc = sl_fcall_lambda(call, 1, args, nargs, &r);
	if (rc != SL_OK)
		return rc;
	*keep = !sl_value_is_null(&r) && r.u.b;
	return SL_OK;
}

static int
fn_filter_array(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *a = &argv[0];
	int32_t n = a->u.list->n, k = 0;
	sl_value_t arr = sl_fn_array(call->arena, n);
	for (int32_t i = 0; i < n; i++) {
		bool keep;
		int rc = test(call, &a->u.list->items[i], 1, &keep);
		if (rc != SL_OK)
			return rc;
		if (keep)
			arr.u.list->items[k++] = a->u.list->items[i];
	}
	arr.u.list->n = k;
	*out = arr;
	return SL_OK;
}

static int
fn_filter_map(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *m = &argv[0];
	int32_t n = m->u.list->n, k = 0;
	sl_value_t res = sl_fn_map(call->arena, n);
	for (int32_t i = 0; i < n; i++) {
		const sl_value_t *kv = &m->u.list->items[2 * i];
		bool keep;
		int rc = test(call, kv, 2, &keep);
		if (rc != SL_OK)
			return rc;
		if (!keep)
			continue;
		if (sl_value_is_null(&kv[1]))
			return sl_fcall_error(call, "the filtered map has a NULL value");
		res.u.list->items[2 * k] = kv[0];
		res.u.list->items[2 * k + 1] = kv[1];
		k++;
	}
	res.u.list->n = k;
	*out = res;
	return SL_OK;
}

/* REDUCE(collection, initial, (s, x) => ...) or (s, k, v) => ... for a
 * map: NULL when initial is NULL, initial when the collection is NULL. */
static int
reduce(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *out, bool map)
{
	if (sl_value_is_null(&argv[1])) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_value_t state = argv[1];
	if (sl_value_is_null(&argv[0])) {
		*out = state;
		return SL_OK;
	}
	const sl_value_t *c = &argv[0];
	for (int32_t i = 0; i < c->u.list->n; i++) {
		sl_value_t args[3];
		args[0] = state;
		if (map) {
			args[1] = c->u.list->items[2 * i];
			args[2] = c->u.list->items[2 * i + 1];
		} else {
			args[1] = c->u.list->items[i];
		}
		int rc = sl_fcall_lambda(call, 2, args, map ? 3 : 2, &state);
		if (rc != SL_OK)
			return rc;
	}
	*out = state;
	return SL_OK;
}

static int
fn_reduce_array(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return reduce(call, argv, out, false);
}

static int
fn_reduce_map(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return reduce(call, argv, out, true);
}

static const sl_func_def_t lambda_defs[] = {
	{ .name = "FILTER",
	  .category = "LAMBDA",
	  .description = "Filter the input collection through a given lambda function; the "
			 "elements (or map entries) for which it is true are returned.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>, fn LAMBDA<T, BOOLEAN>",
						       "ARRAY<T>", fn_filter_array),
					       SL_FN_V("map MAP<K, V>, fn LAMBDA<K, V, BOOLEAN>",
						       "MAP<K, V>", fn_filter_map),
					       { 0 } } },
	{ .name = "REDUCE",
	  .category = "LAMBDA",
	  .description = "Reduce the input collection down to a single value using an initial "
			 "state and a function of the state and each element (for a map: the "
			 "state, the key and the value). The final state is returned.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("array ARRAY<T>, initialState S, fn LAMBDA<S, T, S>", "S",
				  fn_reduce_array, .flags = NC),
			  SL_FN_V("map MAP<K, V>, initialState S, fn LAMBDA<S, K, V, S>", "S",
				  fn_reduce_map, .flags = NC),
			  { 0 } } },
	{ .name = "TRANSFORM",
	  .category = "LAMBDA",
	  .description = "Apply a function to each element of an array, or to each key and value "
			 "of a map (two functions, each of the key and the value). The transformed "
			 "collection is returned.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("array ARRAY<T>, fn LAMBDA<T, U>", "ARRAY<U>",
				  fn_transform_array),
			  SL_FN_V("map MAP<K, V>, keyFn LAMBDA<K, V, R>, valueFn LAMBDA<K, V, U>",
				  "MAP<R, U>", fn_transform_map),
			  { 0 } } },
	{ 0 }
};

void
sl_fn_lambda_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, lambda_defs);
}
