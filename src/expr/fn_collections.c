/*
 * fn_collections.c: array and map functions (ksqlDB's ARRAY and MAP
 * families).
 *
 * Stage: expr.  ARRAY_CONCAT ARRAY_CONTAINS ARRAY_DISTINCT ARRAY_EXCEPT
 * ARRAY_INTERSECT ARRAY_JOIN ARRAY_LENGTH ARRAY_MAX ARRAY_MIN ARRAY_REMOVE
 * ARRAY_SORT ARRAY_UNION GENERATE_SERIES SLICE; AS_MAP ENTRIES MAP_KEYS
 * MAP_UNION MAP_VALUES.  Elements compare as Java's equals/compareTo do
 * through sl_value_compare() (NULL equals NULL for the set functions, as
 * in a Java set).  Results share element payloads with the arguments;
 * only the lists are new, in call->arena.
 */
#include <stdlib.h>
#include <string.h>

#include "expr/fn_util.h"
#include "expr/func.h"

#define NC SL_FV_NULL_CALL

static int32_t
len_of(const sl_value_t *v)
{
	return v->u.list->n;
}

static const sl_value_t *
item(const sl_value_t *v, int32_t i)
{
	return &v->u.list->items[i];
}

/* Set membership with NULL equal to NULL (Java collections). */
static bool
same(const sl_value_t *a, const sl_value_t *b)
{
	if (sl_value_is_null(a) || sl_value_is_null(b))
		return sl_value_is_null(a) && sl_value_is_null(b);
	return sl_value_compare(a, b) == 0;
}

/* ---- a small hash set of values (open addressing) ---------------------- */

typedef struct vset {
	const sl_value_t **slots;
	uint32_t mask;
} vset_t;

static void
vset_init(vset_t *s, sl_arena_t *a, int32_t n)
{
	uint32_t cap = 16;
	while (cap < (uint32_t)n * 2 + 1)
		cap *= 2;
	s->slots = sl_arena_calloc(a, sizeof(*s->slots) * cap);
	s->mask = cap - 1;
}

/* Adds v unless present; returns true when it was added. */
static bool
vset_add(vset_t *s, const sl_value_t *v)
{
	uint32_t h = sl_value_is_null(v) ? 0x9e3779b9u : (uint32_t)sl_value_hash(v);
	for (uint32_t i = h & s->mask;; i = (i + 1) & s->mask) {
		if (s->slots[i] == NULL) {
			s->slots[i] = v;
			return true;
		}
		if (same(s->slots[i], v))
			return false;
	}
}

static bool
vset_has(const vset_t *s, const sl_value_t *v)
{
	uint32_t h = sl_value_is_null(v) ? 0x9e3779b9u : (uint32_t)sl_value_hash(v);
	for (uint32_t i = h & s->mask;; i = (i + 1) & s->mask) {
		if (s->slots[i] == NULL)
			return false;
		if (same(s->slots[i], v))
			return true;
	}
}

/* An array value holding the first n of items. */
static sl_value_t
array_of(sl_arena_t *a, const sl_value_t *items, int32_t n)
{
	sl_value_t arr = sl_fn_array(a, n);
	if (n > 0)
		memcpy(arr.u.list->items, items, sizeof(*items) * (size_t)n);
	return arr;
}

/* ---- ARRAY_* ----------------------------------------------------------- */

static int
fn_array_length(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = sl_value_int(len_of(&argv[0]));
	return SL_OK;
}

static int
fn_array_contains(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	bool found = false;
	if (!sl_value_is_null(&argv[0]))
		for (int32_t i = 0; i < len_of(&argv[0]) && !found; i++)
			found = same(item(&argv[0], i), &argv[1]);
	*out = sl_value_bool(found);
	return SL_OK;
}

static int
fn_array_concat(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *l = &argv[0], *r = &argv[1];
	if (sl_value_is_null(l) || sl_value_is_null(r)) {
		*out = sl_value_is_null(l) ? *r : *l;
		return SL_OK;
	}
	sl_value_t arr = sl_fn_array(call->arena, len_of(l) + len_of(r));
	if (len_of(l))
		memcpy(arr.u.list->items, l->u.list->items, sizeof(sl_value_t) * (size_t)len_of(l));
	if (len_of(r))
		memcpy(arr.u.list->items + len_of(l), r->u.list->items,
		       sizeof(sl_value_t) * (size_t)len_of(r));
	*out = arr;
	return SL_OK;
}

static int
fn_array_distinct(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *a = &argv[0];
	int32_t n = len_of(a), k = 0;
	sl_value_t *tmp = sl_arena_alloc(call->arena, sizeof(*tmp) * (size_t)(n + 1));
	vset_t seen;
	vset_init(&seen, call->arena, n);
	for (int32_t i = 0; i < n; i++)
		if (vset_add(&seen, item(a, i)))
			tmp[k++] = *item(a, i);
	*out = array_of(call->arena, tmp, k);
	return SL_OK;
}

static int
fn_array_union(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	int32_t n = len_of(&argv[0]) + len_of(&argv[1]), k = 0;
	sl_value_t *tmp = sl_arena_alloc(call->arena, sizeof(*tmp) * (size_t)(n + 1));
	vset_t seen;
	vset_init(&seen, call->arena, n);
	for (int j = 0; j < 2; j++)
		for (int32_t i = 0; i < len_of(&argv[j]); i++)
			if (vset_add(&seen, item(&argv[j], i)))
				tmp[k++] = *item(&argv[j], i);
	*out = array_of(call->arena, tmp, k);
	return SL_OK;
}

/* ARRAY_INTERSECT (keep) and ARRAY_EXCEPT (!keep): distinct elements of
 * the first array that are (not) in the second. */
static int
filter_by(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *out, bool keep)
{
	const sl_value_t *a = &argv[0], *b = &argv[1];
	vset_t other, seen;
	vset_init(&other, call->arena, len_of(b));
	for (int32_t i = 0; i < len_of(b); i++)
		vset_add(&other, item(b, i));
	vset_init(&seen, call->arena, len_of(a));
	sl_value_t *tmp = sl_arena_alloc(call->arena, sizeof(*tmp) * (size_t)(len_of(a) + 1));
	int32_t k = 0;
	for (int32_t i = 0; i < len_of(a); i++) {
		const sl_value_t *v = item(a, i);
		if (vset_has(&other, v) == keep && vset_add(&seen, v))
			tmp[k++] = *v;
	}
	*out = array_of(call->arena, tmp, k);
	return SL_OK;
}

static int
fn_array_intersect(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return filter_by(call, argv, out, true);
}

static int
fn_array_except(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return filter_by(call, argv, out, false);
}

/* ARRAY_REMOVE(array, victim): every element equal to victim (NULL
 * removes NULLs). */
static int
fn_array_remove(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *a = &argv[0];
	if (sl_value_is_null(a)) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_value_t *tmp = sl_arena_alloc(call->arena, sizeof(*tmp) * (size_t)(len_of(a) + 1));
	int32_t k = 0;
	for (int32_t i = 0; i < len_of(a); i++)
		if (!same(item(a, i), &argv[1]))
			tmp[k++] = *item(a, i);
	*out = array_of(call->arena, tmp, k);
	return SL_OK;
}

static int
array_extreme(const sl_value_t *a, sl_value_t *out, int sign)
{
	const sl_value_t *best = NULL;
	for (int32_t i = 0; i < len_of(a); i++) {
		const sl_value_t *v = item(a, i);
		if (sl_value_is_null(v))
			continue;
		if (best == NULL || sl_value_compare(v, best) * sign > 0)
			best = v;
	}
	*out = best ? *best : sl_value_null();
	return SL_OK;
}

static int
fn_array_max(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	return array_extreme(&argv[0], out, 1);
}

static int
fn_array_min(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	return array_extreme(&argv[0], out, -1);
}

static int
cmp_asc(const void *a, const void *b)
{
	const sl_value_t *x = a, *y = b;
	bool nx = sl_value_is_null(x), ny = sl_value_is_null(y);
	if (nx || ny)
		return nx - ny; /* NULLs last */
	return sl_value_compare(x, y);
}

static int
cmp_desc(const void *a, const void *b)
{
	const sl_value_t *x = a, *y = b;
	bool nx = sl_value_is_null(x), ny = sl_value_is_null(y);
	if (nx || ny)
		return nx - ny;
	return sl_value_compare(y, x);
}

/* ARRAY_SORT(array [, 'ASC' | 'DESC']): NULLs last either way; another
 * direction gives NULL. */
static int
fn_array_sort(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	bool desc = false;
	if (argc > 1) {
		const sl_value_t *d = &argv[1];
		if (sl_fn_str_ieq(d, "DESC") || sl_fn_str_ieq(d, "DESCENDING")) {
			desc = true;
		} else if (!sl_fn_str_ieq(d, "ASC") && !sl_fn_str_ieq(d, "ASCENDING")) {
			*out = sl_value_null();
			return SL_OK;
		}
	}
	const sl_value_t *a = &argv[0];
	sl_value_t arr = array_of(call->arena, a->u.list->items, len_of(a));
	/* a stable sort: merge sort through qsort on (value, index) would do,
	 * but equal elements are indistinguishable here */
	if (len_of(a) > 1)
		qsort(arr.u.list->items, (size_t)len_of(a), sizeof(sl_value_t),
		      desc ? cmp_desc : cmp_asc);
	*out = arr;
	return SL_OK;
}

/* ARRAY_JOIN(array [, delimiter]): elements as Java's toString() (NULL as
 * "null"); only primitive elements are allowed. */
static int
fn_array_join(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const sl_value_t *a = &argv[0];
	if (sl_value_is_null(a)) {
		*out = sl_value_null();
		return SL_OK;
	}
	const char *d = ",";
	size_t dn = 1;
	if (argc > 1) {
		d = sl_value_is_null(&argv[1]) ? "" : argv[1].u.s.ptr;
		dn = sl_value_is_null(&argv[1]) ? 0 : (size_t)argv[1].u.s.len;
	}
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, 64);
	for (int32_t i = 0; i < len_of(a); i++) {
		const sl_value_t *v = item(a, i);
		if (i)
			sl_fn_buf_add(&b, d, dn);
		switch (v->kind) {
		case SL_T_NULL:
			sl_fn_buf_add(&b, "null", 4);
			break;
		case SL_T_BOOLEAN:
			sl_fn_buf_puts(&b, v->u.b ? "true" : "false");
			break;
		case SL_T_INT:
			sl_fn_buf_printf(&b, "%d", v->u.i);
			break;
		case SL_T_BIGINT:
			sl_fn_buf_printf(&b, "%lld", (long long)v->u.l);
			break;
		case SL_T_DOUBLE:
			sl_fn_double_append(&b, v->u.d);
			break;
		case SL_T_DECIMAL:
			sl_fn_dec_append_java(&b, v->u.dec, v->scale);
			break;
		case SL_T_STRING:
			sl_fn_buf_add(&b, v->u.s.ptr, (size_t)v->u.s.len);
			break;
		default:
			return sl_fcall_error(call,
					      "hit element of type %s which is currently not "
					      "supported",
					      sl_tkind_name((sl_tkind_t)v->kind));
		}
	}
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* SLICE(array, from, to): 1-based, inclusive; NULL bounds mean the ends;
 * out of range gives NULL. */
static int
fn_slice(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	const sl_value_t *a = &argv[0];
	if (sl_value_is_null(a)) {
		*out = sl_value_null();
		return SL_OK;
	}
	int64_t start = sl_value_is_null(&argv[1]) ? 0 : (int64_t)argv[1].u.i - 1;
	int64_t end = sl_value_is_null(&argv[2]) ? len_of(a) : argv[2].u.i;
	if (start < 0 || end > len_of(a) || start > end) {
		*out = sl_value_null();
		return SL_OK;
	}
	*out = array_of(call->arena, a->u.list->items + start, (int32_t)(end - start));
	return SL_OK;
}

#define MAX_SERIES 10000000

static int
fn_generate_series(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	bool big = argv[0].kind == SL_T_BIGINT;
	int64_t start = big ? argv[0].u.l : argv[0].u.i;
	int64_t end = big ? argv[1].u.l : argv[1].u.i;
	int64_t step = argc > 2 ? argv[2].u.i : (end - start > 0 ? 1 : -1);
	if (step == 0)
		return sl_fcall_error(call, "GENERATE_SERIES step cannot be zero");
	__int128 diff = (__int128)end - start;
	if ((diff > 0 && step < 0) || (diff < 0 && step > 0))
		return sl_fcall_error(call, "GENERATE_SERIES step has wrong sign");
	__int128 size = 1 + diff / step;
	if (size > MAX_SERIES)
		return sl_fcall_error(call,
				      "GENERATE_SERIES would produce %lld values, more than the "
				      "limit of %d",
				      (long long)size, MAX_SERIES);
	sl_value_t arr = sl_fn_array(call->arena, (int32_t)size);
	int64_t v = start;
	for (int32_t i = 0; i < (int32_t)size; i++, v += step)
		arr.u.list->items[i] = big ? sl_value_bigint(v) : sl_value_int((int32_t)v);
	*out = arr;
	return SL_OK;
}

/* ---- maps -------------------------------------------------------------- */

/* Index of key k among the first n entries of map items, or -1. */
static int32_t
find_key(const sl_value_t *items, int32_t n, const sl_value_t *k)
{
	for (int32_t i = 0; i < n; i++)
		if (same(&items[2 * i], k))
			return i;
	return -1;
}

static int
fn_map_keys(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *m = &argv[0];
	sl_value_t arr = sl_fn_array(call->arena, m->u.list->n);
	for (int32_t i = 0; i < m->u.list->n; i++)
		arr.u.list->items[i] = m->u.list->items[2 * i];
	*out = arr;
	return SL_OK;
}

static int
fn_map_values(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *m = &argv[0];
	sl_value_t arr = sl_fn_array(call->arena, m->u.list->n);
	for (int32_t i = 0; i < m->u.list->n; i++)
		arr.u.list->items[i] = m->u.list->items[2 * i + 1];
	*out = arr;
	return SL_OK;
}

/* MAP_UNION(m1, m2): entries of both, m2's value winning; NULL maps are
 * skipped, NULL when both are. */
static int
fn_map_union(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	int32_t total = 0;
	bool any = false;
	for (int j = 0; j < 2; j++) {
		if (!sl_value_is_null(&argv[j])) {
			total += argv[j].u.list->n;
			any = true;
		}
	}
	if (!any) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_value_t m = sl_fn_map(call->arena, total);
	sl_value_t *it = m.u.list->items;
	int32_t n = 0;
	for (int j = 0; j < 2; j++) {
		if (sl_value_is_null(&argv[j]))
			continue;
		for (int32_t i = 0; i < argv[j].u.list->n; i++) {
			const sl_value_t *k = &argv[j].u.list->items[2 * i];
			int32_t at = find_key(it, n, k);
			if (at < 0)
				at = n++;
			it[2 * at] = *k;
			it[2 * at + 1] = argv[j].u.list->items[2 * i + 1];
		}
	}
	m.u.list->n = n;
	*out = m;
	return SL_OK;
}

/* AS_MAP(keys, values): pairs by position; missing values are NULL, a
 * repeated key keeps its last value. */
static int
fn_as_map(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *ks = &argv[0], *vs = &argv[1];
	sl_value_t m = sl_fn_map(call->arena, len_of(ks));
	sl_value_t *it = m.u.list->items;
	int32_t n = 0;
	for (int32_t i = 0; i < len_of(ks); i++) {
		int32_t at = find_key(it, n, item(ks, i));
		if (at < 0)
			at = n++;
		it[2 * at] = *item(ks, i);
		it[2 * at + 1] = i < len_of(vs) ? *item(vs, i) : sl_value_null();
	}
	m.u.list->n = n;
	*out = m;
	return SL_OK;
}

static int
cmp_entry_key(const void *a, const void *b)
{
	const sl_value_t *x = a, *y = b;
	return cmp_asc(&x->u.list->items[0], &y->u.list->items[0]);
}

/* ENTRIES(map, sorted): ARRAY<STRUCT<K STRING, V T>>, sorted by key when
 * sorted is true. */
static int
fn_entries(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *m = &argv[0];
	if (sl_value_is_null(m)) {
		*out = sl_value_null();
		return SL_OK;
	}
	int32_t n = m->u.list->n;
	sl_value_t arr = sl_fn_array(call->arena, n);
	for (int32_t i = 0; i < n; i++) {
		sl_value_t s = sl_value_list(call->arena, SL_T_STRUCT, 2);
		s.u.list->items[0] = m->u.list->items[2 * i];
		s.u.list->items[1] = m->u.list->items[2 * i + 1];
		arr.u.list->items[i] = s;
	}
	if (!sl_value_is_null(&argv[1]) && argv[1].u.b && n > 1)
		qsort(arr.u.list->items, (size_t)n, sizeof(sl_value_t), cmp_entry_key);
	*out = arr;
	return SL_OK;
}

static int
resolve_entries(sl_fresolve_t *r)
{
	const sl_type_t *mt = r->argt[0];
	const sl_type_t *vt = mt != NULL && mt->kind == SL_T_MAP ? mt->elem : sl_type_string();
	sl_field_t fields[2] = { { "K", sl_type_string() }, { "V", vt } };
	r->ret = sl_type_array(r->arena, sl_type_struct(r->arena, fields, 2));
	return SL_OK;
}

/* ---- registration ------------------------------------------------------ */

static const sl_func_def_t collections_defs[] = {
	{ .name = "ARRAY_CONCAT",
	  .category = "ARRAY",
	  .description = "Returns an array of all the elements of both arrays, in order; a NULL "
			 "array counts as empty unless both are NULL.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("left ARRAY<T>, right ARRAY<T>", "ARRAY<T>",
						       fn_array_concat, .flags = NC),
					       { 0 } } },
	{ .name = "ARRAY_CONTAINS",
	  .category = "ARRAY",
	  .description = "Returns true if the array is non-null and contains the supplied value.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>, val T", "BOOLEAN",
							   fn_array_contains, .flags = NC),
						   { 0 } } },
	{ .name = "ARRAY_DISTINCT",
	  .category = "ARRAY",
	  .description = "Returns an array of the distinct values of the input array, in the order "
			 "they first appear.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("array ARRAY<T>", "ARRAY<T>", fn_array_distinct), { 0 } } },
	{ .name = "ARRAY_EXCEPT",
	  .category = "ARRAY",
	  .description = "Returns the distinct elements of the first array that are not in the "
			 "second, or NULL if either array is NULL.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("left ARRAY<T>, right ARRAY<T>",
							   "ARRAY<T>", fn_array_except),
						   { 0 } } },
	{ .name = "ARRAY_INTERSECT",
	  .category = "ARRAY",
	  .description = "Returns the distinct elements present in both arrays, or NULL if either "
			 "array is NULL.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("left ARRAY<T>, right ARRAY<T>",
							   "ARRAY<T>", fn_array_intersect),
						   { 0 } } },
	{ .name = "ARRAY_JOIN",
	  .category = "ARRAY",
	  .description = "Joins the elements of an array of primitive values into a string, with a "
			 "delimiter (default ',').",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>", "VARCHAR",
							   fn_array_join, .flags = NC),
						   SL_FN_V("array ARRAY<T>, delimiter VARCHAR",
							   "VARCHAR", fn_array_join, .flags = NC),
						   { 0 } } },
	{ .name = "ARRAY_LENGTH",
	  .category = "ARRAY",
	  .description = "Returns the number of elements in the array.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>", "INT", fn_array_length),
					       { 0 } } },
	{ .name = "ARRAY_MAX",
	  .category = "ARRAY",
	  .description = "Returns the maximum value of an array of primitive values, ignoring "
			 "NULLs; NULL if there is none.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>", "T", fn_array_max),
						   { 0 } } },
	{ .name = "ARRAY_MIN",
	  .category = "ARRAY",
	  .description = "Returns the minimum value of an array of primitive values, ignoring "
			 "NULLs; NULL if there is none.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>", "T", fn_array_min),
						   { 0 } } },
	{ .name = "ARRAY_REMOVE",
	  .category = "ARRAY",
	  .description = "Removes every element equal to the given value (NULL removes NULLs).",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>, victim T", "ARRAY<T>",
							   fn_array_remove, .flags = NC),
						   { 0 } } },
	{ .name = "ARRAY_SORT",
	  .category = "ARRAY",
	  .description = "Sorts an array of primitive values in their natural order, 'ASC' "
			 "(default) or 'DESC'; NULLs are placed at the end.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("array ARRAY<T>", "ARRAY<T>", fn_array_sort),
			  SL_FN_V("array ARRAY<T>, direction VARCHAR", "ARRAY<T>", fn_array_sort),
			  { 0 } } },
	{ .name = "ARRAY_UNION",
	  .category = "ARRAY",
	  .description = "Returns the distinct elements of both arrays, or NULL if either array is "
			 "NULL.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("left ARRAY<T>, right ARRAY<T>",
							   "ARRAY<T>", fn_array_union),
						   { 0 } } },
	{ .name = "AS_MAP",
	  .category = "MAP",
	  .description = "Constructs a map from a list of keys and a list of values.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("keys ARRAY<VARCHAR>, values ARRAY<T>",
							   "MAP<VARCHAR, T>", fn_as_map),
						   { 0 } } },
	{ .name = "ENTRIES",
	  .category = "MAP",
	  .description = "Constructs an array of structs (K, V) from the entries of a map, sorted "
			 "by key if sorted is true.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("map MAP<VARCHAR, T>, sorted BOOLEAN",
							   "ARRAY<STRUCT>", fn_entries,
							   .resolve = resolve_entries, .flags = NC),
						   { 0 } } },
	{ .name = "GENERATE_SERIES",
	  .category = "ARRAY",
	  .description = "Constructs an array of the values from start to end (inclusive), with an "
			 "optional step (default 1 or -1).",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("start INT, end INT", "ARRAY<INT>", fn_generate_series),
			  SL_FN_V("start INT, end INT, step INT", "ARRAY<INT>", fn_generate_series),
			  SL_FN_V("start BIGINT, end BIGINT", "ARRAY<BIGINT>", fn_generate_series),
			  SL_FN_V("start BIGINT, end BIGINT, step INT", "ARRAY<BIGINT>",
				  fn_generate_series),
			  { 0 } } },
	{ .name = "MAP_KEYS",
	  .category = "MAP",
	  .description = "Returns an array of the keys of a map.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("map MAP<VARCHAR, T>", "ARRAY<VARCHAR>", fn_map_keys), { 0 } } },
	{ .name = "MAP_UNION",
	  .category = "MAP",
	  .description =
		  "Returns a map of the entries of both maps, the second one's value winning "
		  "for a key in both; NULL if both maps are NULL.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("map1 MAP<VARCHAR, T>, map2 MAP<VARCHAR, T>",
						       "MAP<VARCHAR, T>", fn_map_union,
						       .flags = NC),
					       { 0 } } },
	{ .name = "MAP_VALUES",
	  .category = "MAP",
	  .description = "Returns an array of the values of a map.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("map MAP<VARCHAR, T>", "ARRAY<T>", fn_map_values), { 0 } } },
	{ .name = "SLICE",
	  .category = "ARRAY",
	  .description = "Returns the elements of an array from position from to position to "
			 "(1-based, inclusive); NULL when out of range.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("array ARRAY<T>, from INT, to INT",
							   "ARRAY<T>", fn_slice, .flags = NC),
						   { 0 } } },
	{ 0 }
};

void
sl_fn_collections_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, collections_defs);
}
