/*
 * fn_aggregate.c: the aggregate functions (ksqlDB's built-in UDAFs).
 *
 * Stage: expr.  COUNT SUM AVG MIN MAX COUNT_DISTINCT COLLECT_LIST
 * COLLECT_SET EARLIEST_BY_OFFSET LATEST_BY_OFFSET TOPK TOPKDISTINCT
 * HISTOGRAM STDDEV_SAMP STDDEV_SAMPLE CORRELATION ATTR.  The analyzer binds
 * them with sl_func_bind(); the executor drives each variant's
 * sl_agg_ops_t over an accumulator of the binding's state_type, which it
 * stores as JSON between records.  The state types are ksqlDB's
 * intermediate schemas (AVG: STRUCT<SUM, COUNT>, EARLIEST_BY_OFFSET:
 * STRUCT<SEQ, VAL>, ATTR: ARRAY<STRUCT<VALUE, COUNT>> ...), so that the
 * same value formats accept or refuse them.  COUNT_DISTINCT's HyperLogLog
 * is in fn_count_distinct.c (its definition is in the table here), the
 * multiset that MIN and MAX keep over a table in fn_multiset.c, the
 * helpers these files share in fn_aggregate_int.h.
 *
 * Semantics are those of ksqlDB's Java classes: INT and BIGINT arithmetic
 * wraps, integer division truncates, values order by Java's compareTo
 * (Double.compare, UTF-16 strings, signed bytes) and match by equals.
 * NULL arguments are skipped except where ksqlDB keeps them
 * (COLLECT_LIST, COLLECT_SET, ATTR, and the BY_OFFSET functions with
 * ignoreNulls false).  Constant parameters (TOPK's k, EARLIEST_BY_OFFSET's
 * n and ignoreNulls) are checked once by an init hook, which keeps them
 * in call->state.
 *
 * Memory: accumulators received are read-only (the executor may share
 * their payload); new lists and structs go in call->arena.  COUNT, SUM,
 * MIN and MAX never allocate (MIN and MAX over a table do: see
 * fn_multiset.c); AVG, STDDEV and CORRELATION allocate one small struct
 * per row.  All operations run on the query's thread.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "expr/decimal.h"
#include "expr/fn_aggregate_int.h"
#include "expr/fn_util.h"
#include "expr/func.h"

/* An aggregate variant in a definition table. */
#define AV(p, r, ops_, ...)                                           \
	{                                                             \
		.params = (p), .ret = (r), .agg = (ops_), __VA_ARGS__ \
	}

/* HISTOGRAM keeps at most this many distinct values (ksqlDB's LIMIT). */
#define HISTOGRAM_LIMIT 1000

/* COLLECT_LIST and COLLECT_SET keep at most this many values: ksqlDB's
 * default for ksql.functions.collect_list.limit / collect_set.limit
 * (Integer.MAX_VALUE, no limit). */
#define COLLECT_LIMIT INT32_MAX

/* The constant parameters, checked at compile time (call->state). */
typedef struct agg_opts {
	int32_t n;         /* BY_OFFSET's n (0: the single-value form); TOPK's k */
	bool ignore_nulls; /* BY_OFFSET */
} agg_opts_t;

/* ---- values and types -------------------------------------------------- */

/* An ARRAY of src[0..n) followed by *extra when extra is not NULL. */
sl_value_t
sl_fn_agg_array_plus(sl_arena_t *a, const sl_value_t *src, int32_t n, const sl_value_t *extra)
{
	sl_value_t arr = sl_fn_array(a, n + (extra != NULL));

	if (n > 0)
		memcpy(sl_fn_agg_items(&arr), src, sizeof(*src) * (size_t)n);
	if (extra != NULL)
		sl_fn_agg_items(&arr)[n] = *extra;
	return arr;
}

/* An ARRAY of v's items without item skip. */
sl_value_t
sl_fn_agg_array_without(sl_arena_t *a, const sl_value_t *v, int32_t skip)
{
	int32_t n = sl_fn_agg_len(v);
	sl_value_t arr = sl_fn_array(a, n - 1);

	if (skip > 0)
		memcpy(sl_fn_agg_items(&arr), sl_fn_agg_items(v),
		       sizeof(sl_value_t) * (size_t)skip);
	if (n - skip - 1 > 0)
		memcpy(sl_fn_agg_items(&arr) + skip, sl_fn_agg_items(v) + skip + 1,
		       sizeof(sl_value_t) * (size_t)(n - skip - 1));
	return arr;
}

/* An ARRAY of v's items with elem inserted at pos, cut to at most max. */
sl_value_t
sl_fn_agg_array_insert(sl_arena_t *a, const sl_value_t *v, int32_t pos, const sl_value_t *elem,
		       int32_t max)
{
	int32_t n = sl_fn_agg_len(v), m = n + 1 > max ? max : n + 1;
	sl_value_t arr = sl_fn_array(a, m);

	if (pos > 0)
		memcpy(sl_fn_agg_items(&arr), sl_fn_agg_items(v), sizeof(sl_value_t) * (size_t)pos);
	if (pos < m) {
		sl_fn_agg_items(&arr)[pos] = *elem;
		if (m - pos - 1 > 0)
			memcpy(sl_fn_agg_items(&arr) + pos + 1, sl_fn_agg_items(v) + pos,
			       sizeof(sl_value_t) * (size_t)(m - pos - 1));
	}
	return arr;
}

/* STRUCT<names[0] types[0], ...> in a (names are not copied). */
static const sl_type_t *
struct_of(sl_arena_t *a, int n, const char *const *names, const sl_type_t *const *types)
{
	sl_field_t f[8];

	for (int i = 0; i < n; i++) {
		f[i].name = names[i];
		f[i].type = types[i];
	}
	return sl_type_struct(a, f, n);
}

/* The value of an INT or BIGINT (NULL: 0). */
static int64_t
num_l(const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_INT:
		return v->u.i;
	case SL_T_BIGINT:
		return v->u.l;
	default:
		return 0;
	}
}

/* The value of an INT, BIGINT or DOUBLE (NULL: 0). */
static double
num_d(const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_INT:
		return v->u.i;
	case SL_T_BIGINT:
		return (double)v->u.l;
	case SL_T_DOUBLE:
		return v->u.d;
	default:
		return 0;
	}
}

/* ---- Java arithmetic and ordering -------------------------------------- */

static int32_t
jadd32(int32_t a, int32_t b)
{
	return (int32_t)((uint32_t)a + (uint32_t)b);
}

static int32_t
jsub32(int32_t a, int32_t b)
{
	return (int32_t)((uint32_t)a - (uint32_t)b);
}

static int32_t
jmul32(int32_t a, int32_t b)
{
	return (int32_t)((uint32_t)a * (uint32_t)b);
}

static int32_t
jdiv32(int32_t a, int32_t b)
{
	return b == -1 ? jsub32(0, a) : a / b;
}

static int64_t
jadd64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t
jsub64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t
jmul64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

static int64_t
jdiv64(int64_t a, int64_t b)
{
	return b == -1 ? jsub64(0, a) : a / b;
}

/* a + b (sign > 0) or a - b as Java adds boxed numbers of kind k (INT,
 * BIGINT, DOUBLE); a NULL operand counts as 0. */
static sl_value_t
num_addsub(sl_tkind_t k, const sl_value_t *a, const sl_value_t *b, int sign)
{
	switch (k) {
	case SL_T_INT: {
		int32_t x = (int32_t)num_l(a), y = (int32_t)num_l(b);
		return sl_value_int(sign > 0 ? jadd32(x, y) : jsub32(x, y));
	}
	case SL_T_BIGINT:
		return sl_value_bigint(sign > 0 ? jadd64(num_l(a), num_l(b)) :
						  jsub64(num_l(a), num_l(b)));
	default:
		return sl_value_double(sign > 0 ? num_d(a) + num_d(b) : num_d(a) - num_d(b));
	}
}

/* Double.compare: -0.0 below 0.0, NaN above everything and equal to
 * itself. */
static int
cmp_double(double a, double b)
{
	int64_t x, y;

	if (a < b)
		return -1;
	if (a > b)
		return 1;
	if (isnan(a))
		a = NAN;
	if (isnan(b))
		b = NAN;
	memcpy(&x, &a, sizeof(x));
	memcpy(&y, &b, sizeof(y));
	return x == y ? 0 : x < y ? -1 : 1;
}

/* Iterates a UTF-8 string as the UTF-16 code units Java compares. */
typedef struct u16it {
	const char *s;
	int32_t len, i;
	uint32_t pending; /* a low surrogate still to return */
} u16it_t;

static int32_t
u16_next(u16it_t *it)
{
	uint32_t cp;

	if (it->pending != 0) {
		cp = it->pending;
		it->pending = 0;
		return (int32_t)cp;
	}
	if (it->i >= it->len)
		return -1;
	cp = sl_fn_utf8_next(it->s, it->len, &it->i);
	if (cp < 0x10000)
		return (int32_t)cp;
	cp -= 0x10000;
	it->pending = 0xDC00 + (cp & 0x3FF);
	return (int32_t)(0xD800 + (cp >> 10));
}

/* String.compareTo. */
static int
cmp_string(const sl_value_t *a, const sl_value_t *b)
{
	u16it_t x = { a->u.s.ptr, a->u.s.len, 0, 0 }, y = { b->u.s.ptr, b->u.s.len, 0, 0 };

	for (;;) {
		int32_t u = u16_next(&x), v = u16_next(&y);
		if (u != v)
			return u < v ? -1 : 1;
		if (u < 0)
			return 0;
	}
}

/* ByteBuffer.compareTo: signed bytes, then the length. */
static int
cmp_bytes(const sl_value_t *a, const sl_value_t *b)
{
	int32_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;

	for (int32_t i = 0; i < n; i++) {
		int8_t x = (int8_t)a->u.s.ptr[i], y = (int8_t)b->u.s.ptr[i];
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len ? 1 : 0;
}

/* compareTo of two non-NULL values of the same type (MIN, MAX, TOPK). */
int
sl_fn_agg_compare(const sl_value_t *a, const sl_value_t *b)
{
	switch (a->kind) {
	case SL_T_INT:
	case SL_T_DATE:
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i ? 1 : 0;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		return a->u.l < b->u.l ? -1 : a->u.l > b->u.l ? 1 : 0;
	case SL_T_DOUBLE:
		return cmp_double(a->u.d, b->u.d);
	case SL_T_STRING:
		return cmp_string(a, b);
	case SL_T_BYTES:
		return cmp_bytes(a, b);
	default:
		return sl_value_compare(a, b);
	}
}

/* Objects.equals: NULL equals NULL; DOUBLE as Double.equals, DECIMAL as
 * BigDecimal.equals (scale included), maps whatever their order. */
static bool
jequal(const sl_value_t *a, const sl_value_t *b)
{
	if (sl_value_is_null(a) || sl_value_is_null(b))
		return sl_value_is_null(a) && sl_value_is_null(b);
	if (a->kind == SL_T_DOUBLE && b->kind == SL_T_DOUBLE)
		return cmp_double(a->u.d, b->u.d) == 0;
	if (a->kind == SL_T_DECIMAL && b->kind == SL_T_DECIMAL)
		return a->scale == b->scale && a->u.dec == b->u.dec;
	return sl_value_compare(a, b) == 0;
}

/* Index of the first item of list equal to v (from the end when last), or
 * -1. */
static int32_t
list_find(const sl_value_t *list, const sl_value_t *v, bool last)
{
	int32_t n = sl_fn_agg_len(list);

	for (int32_t k = 0; k < n; k++) {
		int32_t i = last ? n - 1 - k : k;
		if (jequal(&sl_fn_agg_items(list)[i], v))
			return i;
	}
	return -1;
}

/* ---- resolve and init hooks -------------------------------------------- */

/* DECIMAL variants: the result has the argument's precision and scale. */
static int
resolve_ret_arg0(sl_fresolve_t *r)
{
	if (r->argt[0]->kind != SL_T_DECIMAL)
		return SL_ENOTFOUND;
	r->ret = r->argt[0];
	return SL_OK;
}

/* TOPKDISTINCT(DECIMAL, k): ARRAY of the argument's type. */
static int
resolve_array_arg0(sl_fresolve_t *r)
{
	if (r->argt[0]->kind != SL_T_DECIMAL)
		return SL_ENOTFOUND;
	r->ret = sl_type_array(r->arena, r->argt[0]);
	return SL_OK;
}

/* Generic variants ("val T"): T must be a known type, not the NULL
 * literal's. */
static int
resolve_typed(sl_fresolve_t *r)
{
	return r->argt[0]->kind == SL_T_NULL ? SL_ENOTFOUND : SL_OK;
}

/* The constant argument argi as an INT or BOOLEAN value (ksqlDB takes
 * these parameters from literals only). */
static int
const_arg(sl_fresolve_t *r, int argi, sl_tkind_t kind, sl_value_t *out)
{
	const sl_value_t *v = r->constv != NULL ? r->constv[argi] : NULL;

	if (v == NULL)
		return sl_fresolve_error_arg(
			r, argi, "Parameter %d passed to function %s must be a literal constant",
			argi + 1, r->func->name);
	if (kind == SL_T_INT && v->kind == SL_T_BIGINT && v->u.l >= INT32_MIN &&
	    v->u.l <= INT32_MAX) {
		*out = sl_value_int((int32_t)v->u.l);
		return SL_OK;
	}
	if (v->kind != kind)
		return sl_fresolve_error_arg(r, argi,
					     "Parameter %d passed to function %s must not be null",
					     argi + 1, r->func->name);
	*out = *v;
	return SL_OK;
}

/* ---- COUNT ------------------------------------------------------------- */

static int64_t
count_of(const sl_value_t *acc)
{
	return sl_value_is_null(acc) ? 0 : acc->u.l;
}

static int
count_init(sl_fcall_t *call, sl_value_t *acc)
{
	(void)call;
	*acc = sl_value_bigint(0);
	return SL_OK;
}

/* COUNT(*) and COUNT() (no argument) count rows, COUNT(x) rows where x is
 * not NULL. */
static int
count_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)call;
	if (argc == 0 || !sl_value_is_null(&argv[0]))
		*acc = sl_value_bigint(jadd64(count_of(acc), 1));
	return SL_OK;
}

static int
count_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)call;
	if (argc == 0 || !sl_value_is_null(&argv[0]))
		*acc = sl_value_bigint(jsub64(count_of(acc), 1));
	return SL_OK;
}

static int
count_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	(void)call;
	*acc = sl_value_bigint(jadd64(count_of(acc), count_of(other)));
	return SL_OK;
}

static const sl_agg_ops_t count_ops = { count_init, count_add, count_undo, count_merge, NULL };

/* ---- SUM --------------------------------------------------------------- */

static int
sum_init(sl_fcall_t *call, sl_value_t *acc)
{
	switch (call->ret->kind) {
	case SL_T_INT:
		*acc = sl_value_int(0);
		break;
	case SL_T_BIGINT:
		*acc = sl_value_bigint(0);
		break;
	case SL_T_DOUBLE:
		*acc = sl_value_double(0);
		break;
	default:
		*acc = sl_fn_dec_value(0, call->ret);
		break;
	}
	return SL_OK;
}

/*
 * ksqlDB's DecimalSumKudaf adds with a MathContext of the column's
 * precision and refuses a result of 10^(precision - scale) or more; the
 * message shows that rounded result.  hi * 10 + lo is the exact sum (lo in
 * -18..18) when it overflowed 128 bits (precision 38), else lo is the sum
 * and hi unused.
 */
static int
dec_overflow(sl_fcall_t *call, bool wide, __int128 hi, __int128 lo)
{
	const sl_type_t *t = call->ret;
	sl_fn_buf_t b;
	__int128 v;
	int scale = t->scale;

	if (wide) {
		/* 39 digits: drop one, rounding HALF_UP (hi and lo have
		 * the same sign: both addends did) */
		__int128 rem = lo % 10;
		v = hi + lo / 10 + (rem >= 5 ? 1 : rem <= -5 ? -1 : 0);
		scale--;
	} else {
		int drop = sl_dec_digits(lo) - t->precision;
		v = lo;
		if (drop > 0) {
			v = sl_fn_dec_rescale(lo, scale, scale - drop, SL_FN_ROUND_HALF_UP);
			scale -= drop;
		}
	}
	sl_fn_buf_init(&b, call->arena, 64);
	sl_fn_dec_format(&b, v, scale);
	sl_fn_buf_putc(&b, '\0');
	return sl_fcall_error(call,
			      "Numeric field overflow: A field with precision %d and scale %d "
			      "must round to an absolute value less than 10^%d. Got %s",
			      t->precision, t->scale, t->precision - t->scale, b.p);
}

/* acc + v (sign > 0) or acc - v; NULL v changes nothing. */
static int
sum_step(sl_fcall_t *call, const sl_value_t *v, sl_value_t *acc, int sign)
{
	const sl_type_t *t = call->ret;
	__int128 x, r;

	if (sl_value_is_null(v))
		return SL_OK;
	if (sl_value_is_null(acc))
		sum_init(call, acc);
	if (t->kind != SL_T_DECIMAL) {
		*acc = num_addsub(t->kind, acc, v, sign);
		return SL_OK;
	}
	x = v->u.dec;
	if (v->scale != t->scale && sl_dec_rescale(x, v->scale, t->scale, &x) != SL_OK)
		return dec_overflow(call, false, 0, x);
	if (sign > 0 ? __builtin_add_overflow(acc->u.dec, x, &r) :
		       __builtin_sub_overflow(acc->u.dec, x, &r)) {
		__int128 y = sign > 0 ? x : -x;
		return dec_overflow(call, true, acc->u.dec / 10 + y / 10, acc->u.dec % 10 + y % 10);
	}
	if (!sl_dec_fits(r, t->precision))
		return dec_overflow(call, false, 0, r);
	*acc = sl_fn_dec_value(r, t);
	return SL_OK;
}

static int
sum_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	return sum_step(call, &argv[0], acc, 1);
}

static int
sum_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	return sum_step(call, &argv[0], acc, -1);
}

static int
sum_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	return sum_step(call, other, acc, 1);
}

static const sl_agg_ops_t sum_ops = { sum_init, sum_add, sum_undo, sum_merge, NULL };

/* ---- AVG --------------------------------------------------------------- */

/* STRUCT<SUM x, COUNT BIGINT>, x the argument's type (INT, BIGINT, DOUBLE). */
static int
avg_resolve(sl_fresolve_t *r)
{
	static const char *const names[] = { "SUM", "COUNT" };
	const sl_type_t *types[] = { r->argt[0], sl_type_bigint() };

	r->state_type = struct_of(r->arena, 2, names, types);
	return SL_OK;
}

static sl_value_t
avg_make(sl_arena_t *a, sl_value_t sum, int64_t count)
{
	sl_value_t st = sl_value_list(a, SL_T_STRUCT, 2);

	sl_fn_agg_items(&st)[0] = sum;
	sl_fn_agg_items(&st)[1] = sl_value_bigint(count);
	return st;
}

static int
avg_init(sl_fcall_t *call, sl_value_t *acc)
{
	sl_value_t zero = sl_value_int(0);

	*acc = avg_make(call->arena, num_addsub(call->argt[0]->kind, &zero, &zero, 1), 0);
	return SL_OK;
}

static const sl_value_t *
field(const sl_value_t *st, int i)
{
	static const sl_value_t null = { 0 };

	return sl_value_is_null(st) ? &null : &sl_fn_agg_items(st)[i];
}

static int
avg_step(sl_fcall_t *call, const sl_value_t *sum, int64_t count, sl_value_t *acc, int sign)
{
	*acc = avg_make(call->arena, num_addsub(call->argt[0]->kind, field(acc, 0), sum, sign),
			sign > 0 ? jadd64(num_l(field(acc, 1)), count) :
				   jsub64(num_l(field(acc, 1)), count));
	return SL_OK;
}

static int
avg_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (sl_value_is_null(&argv[0]))
		return SL_OK;
	return avg_step(call, &argv[0], 1, acc, 1);
}

static int
avg_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (sl_value_is_null(&argv[0]))
		return SL_OK;
	return avg_step(call, &argv[0], 1, acc, -1);
}

static int
avg_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	return avg_step(call, field(other, 0), num_l(field(other, 1)), acc, 1);
}

static int
avg_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	int64_t count = num_l(field(acc, 1));

	(void)call;
	*out = sl_value_double(count == 0 ? 0.0 : num_d(field(acc, 0)) / (double)count);
	return SL_OK;
}

static const sl_agg_ops_t avg_ops = { avg_init, avg_add, avg_undo, avg_merge, avg_result };

/* ---- MIN, MAX ---------------------------------------------------------- */

static int
null_init(sl_fcall_t *call, sl_value_t *acc)
{
	(void)call;
	*acc = sl_value_null();
	return SL_OK;
}

/* Keeps the larger (dir > 0) or smaller of acc and v; ties take v, as
 * ksqlDB's MaxKudaf does. */
static void
extreme(const sl_value_t *v, sl_value_t *acc, int dir)
{
	if (sl_value_is_null(v))
		return;
	if (sl_value_is_null(acc) || sl_fn_agg_compare(acc, v) * dir <= 0)
		*acc = *v;
}

static int
max_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)call, (void)argc;
	extreme(&argv[0], acc, 1);
	return SL_OK;
}

static int
max_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	(void)call;
	extreme(other, acc, 1);
	return SL_OK;
}

static int
min_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)call, (void)argc;
	extreme(&argv[0], acc, -1);
	return SL_OK;
}

static int
min_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	(void)call;
	extreme(other, acc, -1);
	return SL_OK;
}

/* Streams only: a table input binds the multiset forms instead
 * (fn_multiset.c), which can undo. */
static const sl_agg_ops_t max_ops = { null_init, max_add, NULL, max_merge, NULL };
static const sl_agg_ops_t min_ops = { null_init, min_add, NULL, min_merge, NULL };

/* ---- COLLECT_LIST, COLLECT_SET ----------------------------------------- */

static int
collect_resolve(sl_fresolve_t *r)
{
	return resolve_typed(r);
}

static int
empty_array_init(sl_fcall_t *call, sl_value_t *acc)
{
	*acc = sl_fn_array(call->arena, 0);
	return SL_OK;
}

/* NULL values are collected too. */
static int
clist_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (sl_fn_agg_len(acc) < COLLECT_LIMIT)
		*acc = sl_fn_agg_array_plus(call->arena,
					    sl_value_is_null(acc) ? NULL : sl_fn_agg_items(acc),
					    sl_fn_agg_len(acc), &argv[0]);
	return SL_OK;
}

/* Removes the last value equal to the argument (ksqlDB's lastIndexOf). */
static int
clist_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	int32_t i = list_find(acc, &argv[0], true);

	(void)argc;
	if (i >= 0)
		*acc = sl_fn_agg_array_without(call->arena, acc, i);
	return SL_OK;
}

static int
clist_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	int32_t na = sl_fn_agg_len(acc), nb = sl_fn_agg_len(other);
	sl_value_t out;

	if (nb > COLLECT_LIMIT - na)
		nb = COLLECT_LIMIT - na;
	if (nb <= 0)
		return SL_OK;
	out = sl_fn_array(call->arena, na + nb);
	if (na > 0)
		memcpy(sl_fn_agg_items(&out), sl_fn_agg_items(acc),
		       sizeof(sl_value_t) * (size_t)na);
	memcpy(sl_fn_agg_items(&out) + na, sl_fn_agg_items(other), sizeof(sl_value_t) * (size_t)nb);
	*acc = out;
	return SL_OK;
}

static const sl_agg_ops_t collect_list_ops = { empty_array_init, clist_add, clist_undo, clist_merge,
					       NULL };

static int
cset_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (sl_fn_agg_len(acc) < COLLECT_LIMIT && list_find(acc, &argv[0], false) < 0)
		*acc = sl_fn_agg_array_plus(call->arena,
					    sl_value_is_null(acc) ? NULL : sl_fn_agg_items(acc),
					    sl_fn_agg_len(acc), &argv[0]);
	return SL_OK;
}

static int
cset_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	for (int32_t i = 0; i < sl_fn_agg_len(other) && sl_fn_agg_len(acc) < COLLECT_LIMIT; i++)
		if (list_find(acc, &sl_fn_agg_items(other)[i], false) < 0)
			*acc = sl_fn_agg_array_plus(
				call->arena, sl_value_is_null(acc) ? NULL : sl_fn_agg_items(acc),
				sl_fn_agg_len(acc), &sl_fn_agg_items(other)[i]);
	return SL_OK;
}

static const sl_agg_ops_t collect_set_ops = { empty_array_init, cset_add, NULL, cset_merge, NULL };

/* ---- EARLIEST_BY_OFFSET, LATEST_BY_OFFSET ------------------------------ */

/*
 * The state pairs each value with call->seq, the position of its record
 * in the query's input, so that merged session windows keep the earliest
 * or latest: STRUCT<SEQ BIGINT, VAL T> for the single-value forms,
 * ARRAY<STRUCT<SEQ BIGINT, VAL T>> in record order for the (col, n) forms.
 */
static int
offset_resolve(sl_fresolve_t *r)
{
	static const char *const names[] = { "SEQ", "VAL" };
	const sl_type_t *types[] = { sl_type_bigint(), r->argt[0] };
	const sl_type_t *st;

	if (r->argt[0]->kind == SL_T_NULL)
		return SL_ENOTFOUND;
	st = struct_of(r->arena, 2, names, types);
	r->state_type =
		r->argc >= 2 && r->argt[1]->kind == SL_T_INT ? sl_type_array(r->arena, st) : st;
	return SL_OK;
}

static int
offset_init(sl_fresolve_t *r)
{
	agg_opts_t *o = sl_arena_calloc(r->arena, sizeof(*o));

	o->ignore_nulls = true;
	for (int i = 1; i < r->argc; i++) {
		bool is_n = r->argt[i]->kind == SL_T_INT;
		sl_value_t v;
		int rc = const_arg(r, i, is_n ? SL_T_INT : SL_T_BOOLEAN, &v);

		if (rc != SL_OK)
			return rc;
		if (!is_n) {
			o->ignore_nulls = v.u.b;
			continue;
		}
		if (v.u.i <= 0)
			return sl_fresolve_error_arg(r, i, "%sN must be 1 or greater",
						     r->func->name[0] == 'E' ? "earliest" :
									       "latest");
		o->n = v.u.i;
	}
	r->state = o;
	return SL_OK;
}

/* The options of the call: from the init hook, else from the arguments. */
static agg_opts_t
offset_opts(const sl_fcall_t *call, int argc, const sl_value_t *argv)
{
	agg_opts_t o = { 0, true };

	if (call->state != NULL)
		return *(const agg_opts_t *)call->state;
	for (int i = 1; i < argc; i++) {
		if (argv[i].kind == SL_T_INT)
			o.n = argv[i].u.i;
		else if (argv[i].kind == SL_T_BOOLEAN)
			o.ignore_nulls = argv[i].u.b;
	}
	return o;
}

static sl_value_t
seq_val(sl_fcall_t *call, const sl_value_t *v)
{
	sl_value_t st = sl_value_list(call->arena, SL_T_STRUCT, 2);

	sl_fn_agg_items(&st)[0] = sl_value_bigint(call->seq);
	sl_fn_agg_items(&st)[1] = *v;
	return st;
}

/* ksqlDB's INTERMEDIATE_STRUCT_COMPARATOR: by SEQ, a negative SEQ (the
 * sequence wrapped) after every positive one; with ignore_nulls a NULL
 * VAL before any other. */
static int
seq_cmp(const sl_value_t *a, const sl_value_t *b, bool ignore_nulls)
{
	int64_t x = num_l(field(a, 0)), y = num_l(field(b, 0));

	if (ignore_nulls) {
		bool na = sl_value_is_null(field(a, 1)), nb = sl_value_is_null(field(b, 1));
		if (na || nb)
			return na && nb ? 0 : na ? -1 : 1;
	}
	if (x < 0 && y >= 0)
		return 1;
	if (y < 0 && x >= 0)
		return -1;
	return x < y ? -1 : x > y ? 1 : 0;
}

/* The concatenation of a and b sorted (stably) by seq_cmp, keeping the
 * first (first) or last max items. */
static sl_value_t
seq_merge(sl_arena_t *ar, const sl_value_t *a, const sl_value_t *b, int32_t max, bool first,
	  bool ignore_nulls)
{
	int32_t na = sl_fn_agg_len(a), nb = sl_fn_agg_len(b), n = na + nb, from = 0;
	sl_value_t *tmp = sl_arena_alloc(ar, sizeof(*tmp) * (size_t)(n + 1));

	if (na > 0)
		memcpy(tmp, sl_fn_agg_items(a), sizeof(*tmp) * (size_t)na);
	if (nb > 0)
		memcpy(tmp + na, sl_fn_agg_items(b), sizeof(*tmp) * (size_t)nb);
	for (int32_t i = 1; i < n; i++) {
		sl_value_t x = tmp[i];
		int32_t k = i;
		while (k > 0 && seq_cmp(&tmp[k - 1], &x, ignore_nulls) > 0) {
			tmp[k] = tmp[k - 1];
			k--;
		}
		tmp[k] = x;
	}
	if (max > 0 && n > max) {
		from = first ? 0 : n - max;
		n = max;
	}
	return sl_fn_agg_array_plus(ar, tmp + from, n, NULL);
}

/* The VAL of each STRUCT<SEQ, VAL> of the state. */
static int
offset_n_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	int32_t n = sl_fn_agg_len(acc);

	*out = sl_fn_array(call->arena, n);
	for (int32_t i = 0; i < n; i++)
		sl_fn_agg_items(out)[i] = *field(&sl_fn_agg_items(acc)[i], 1);
	return SL_OK;
}

static int
offset_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	(void)call;
	*out = *field(acc, 1);
	return SL_OK;
}

/* The first value (the first non-NULL one with ignoreNulls). */
static int
earliest_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	agg_opts_t o = offset_opts(call, argc, argv);

	if (!sl_value_is_null(acc) || (sl_value_is_null(&argv[0]) && o.ignore_nulls))
		return SL_OK;
	*acc = seq_val(call, &argv[0]);
	return SL_OK;
}

static int
earliest_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	(void)call;
	if (sl_value_is_null(acc) || (!sl_value_is_null(other) && seq_cmp(acc, other, false) >= 0))
		*acc = *other;
	return SL_OK;
}

static int
earliest_n_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	agg_opts_t o = offset_opts(call, argc, argv);
	sl_value_t sv;

	if (sl_value_is_null(&argv[0]) && o.ignore_nulls)
		return SL_OK;
	if (sl_fn_agg_len(acc) >= o.n)
		return SL_OK;
	sv = seq_val(call, &argv[0]);
	*acc = sl_fn_agg_array_plus(call->arena,
				    sl_value_is_null(acc) ? NULL : sl_fn_agg_items(acc),
				    sl_fn_agg_len(acc), &sv);
	return SL_OK;
}

static int
earliest_n_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	agg_opts_t o = offset_opts(call, 0, NULL);

	*acc = seq_merge(call->arena, acc, other, o.n, true, false);
	return SL_OK;
}

/* The last value (the last non-NULL one with ignoreNulls). */
static int
latest_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	agg_opts_t o = offset_opts(call, argc, argv);

	if (sl_value_is_null(&argv[0]) && o.ignore_nulls)
		return SL_OK;
	*acc = seq_val(call, &argv[0]);
	return SL_OK;
}

static int
latest_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	agg_opts_t o = offset_opts(call, 0, NULL);

	if (sl_value_is_null(acc) ||
	    (!sl_value_is_null(other) && seq_cmp(acc, other, o.ignore_nulls) < 0))
		*acc = *other;
	return SL_OK;
}

static int
latest_n_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	agg_opts_t o = offset_opts(call, argc, argv);
	int32_t n = sl_fn_agg_len(acc), from;
	sl_value_t sv;

	if (sl_value_is_null(&argv[0]) && o.ignore_nulls)
		return SL_OK;
	sv = seq_val(call, &argv[0]);
	from = o.n > 0 && n + 1 > o.n ? n + 1 - o.n : 0;
	*acc = sl_fn_agg_array_plus(call->arena, n > 0 ? sl_fn_agg_items(acc) + from : NULL,
				    n - from, &sv);
	return SL_OK;
}

static int
latest_n_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	agg_opts_t o = offset_opts(call, 0, NULL);

	*acc = seq_merge(call->arena, acc, other, o.n, false, o.ignore_nulls);
	return SL_OK;
}

static const sl_agg_ops_t earliest_ops = { null_init, earliest_add, NULL, earliest_merge,
					   offset_result };
static const sl_agg_ops_t earliest_n_ops = { empty_array_init, earliest_n_add, NULL,
					     earliest_n_merge, offset_n_result };
static const sl_agg_ops_t latest_ops = { null_init, latest_add, NULL, latest_merge, offset_result };
static const sl_agg_ops_t latest_n_ops = { empty_array_init, latest_n_add, NULL, latest_n_merge,
					   offset_n_result };

/* ---- TOPK, TOPKDISTINCT ------------------------------------------------ */

/*
 * The state is the result: the k largest values, largest first, equal
 * values in arrival order (Java's stable sort).  TOPK(col, c1, ..., k)
 * keeps STRUCT<sort_col, col0, ...> rows ordered by sort_col.
 */
static int
topk_init(sl_fresolve_t *r)
{
	agg_opts_t *o = sl_arena_calloc(r->arena, sizeof(*o));
	sl_value_t v;
	int rc = const_arg(r, r->argc - 1, SL_T_INT, &v);

	if (rc != SL_OK)
		return rc;
	if (v.u.i <= 0)
		return sl_fresolve_error_arg(r, r->argc - 1, "k must be 1 or greater, got %d",
					     (int)v.u.i);
	o->n = v.u.i;
	r->state = o;
	return SL_OK;
}

/* TOPK(sort_col, col1, ..., k): ARRAY<STRUCT<sort_col T, col0 U1, ...>>;
 * sort_col INT, BIGINT, DOUBLE or STRING (DECIMAL is cast to DOUBLE, as
 * for TOPK(col, k)). */
static int
topk_resolve_cols(sl_fresolve_t *r)
{
	const char *names[8];
	const sl_type_t *types[8];
	const sl_type_t *st;
	int nf = r->argc - 1;

	if (r->argc < 3 || nf > 8)
		return SL_ENOTFOUND;
	for (int i = 0; i < r->argc; i++)
		if (r->argkind[i] != SL_FARG_VALUE || r->argt[i]->kind == SL_T_NULL)
			return SL_ENOTFOUND;
	if (r->argt[r->argc - 1]->kind != SL_T_INT)
		return SL_ENOTFOUND;
	switch (r->argt[0]->kind) {
	case SL_T_INT:
	case SL_T_BIGINT:
	case SL_T_DOUBLE:
	case SL_T_STRING:
		break;
	case SL_T_DECIMAL:
		r->argt[0] = sl_type_double();
		break;
	default:
		return SL_ENOTFOUND;
	}
	names[0] = "sort_col";
	types[0] = r->argt[0];
	for (int i = 1; i < nf; i++) {
		char buf[16];
		snprintf(buf, sizeof(buf), "col%d", i - 1);
		names[i] = sl_arena_strdup(r->arena, buf);
		types[i] = r->argt[i];
	}
	st = struct_of(r->arena, nf, names, types);
	r->ret = sl_type_array(r->arena, st);
	return SL_OK;
}

static int32_t
topk_k(const sl_fcall_t *call, int argc, const sl_value_t *argv)
{
	if (call->state != NULL)
		return ((const agg_opts_t *)call->state)->n;
	return argc > 0 && argv[argc - 1].kind == SL_T_INT ? argv[argc - 1].u.i : 0;
}

/* The value an item of the state is ordered by. */
static const sl_value_t *
sort_key(const sl_value_t *item, bool rows)
{
	return rows ? field(item, 0) : item;
}

static int
topk_add_impl(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc, bool distinct)
{
	int32_t k = topk_k(call, argc, argv), n = sl_fn_agg_len(acc), pos;
	bool rows = argc > 2;
	const sl_value_t *key = &argv[0];
	sl_value_t elem;

	if (sl_value_is_null(key) || k <= 0)
		return SL_OK;
	if (n >= k && sl_fn_agg_compare(key, sort_key(&sl_fn_agg_items(acc)[n - 1], rows)) <= 0)
		return SL_OK;
	if (distinct && list_find(acc, key, false) >= 0)
		return SL_OK;
	pos = n < k ? n : k - 1;
	while (pos > 0 &&
	       sl_fn_agg_compare(sort_key(&sl_fn_agg_items(acc)[pos - 1], rows), key) < 0)
		pos--;
	elem = *key;
	if (rows) {
		elem = sl_value_list(call->arena, SL_T_STRUCT, argc - 1);
		memcpy(sl_fn_agg_items(&elem), argv, sizeof(*argv) * (size_t)(argc - 1));
	}
	*acc = sl_fn_agg_array_insert(call->arena, acc, pos, &elem, k);
	return SL_OK;
}

static int
topk_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	return topk_add_impl(call, argc, argv, acc, false);
}

static int
topkd_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	return topk_add_impl(call, argc, argv, acc, true);
}

/* Merges two states largest first, at most k items; ties take acc's
 * first; distinct: equal values once. */
static int
topk_merge_impl(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc, bool distinct)
{
	int32_t na = sl_fn_agg_len(acc), nb = sl_fn_agg_len(other), i = 0, j = 0, n = 0;
	int32_t k = topk_k(call, 0, NULL);
	bool rows = call->ret->elem->kind == SL_T_STRUCT && call->argc > 2;
	sl_value_t out;

	if (k <= 0)
		k = na + nb;
	out = sl_fn_array(call->arena, na + nb < k ? na + nb : k);
	while (n < k && (i < na || j < nb)) {
		const sl_value_t *x = i < na ? &sl_fn_agg_items(acc)[i] : NULL;
		const sl_value_t *y = j < nb ? &sl_fn_agg_items(other)[j] : NULL;
		int c = !x ? -1 : !y ? 1 : sl_fn_agg_compare(sort_key(x, rows), sort_key(y, rows));
		if (c > 0 || (c == 0 && !distinct)) {
			sl_fn_agg_items(&out)[n++] = *x;
			i++;
		} else if (c < 0) {
			sl_fn_agg_items(&out)[n++] = *y;
			j++;
		} else {
			sl_fn_agg_items(&out)[n++] = *x;
			i++;
			j++;
		}
	}
	out.u.list->n = n;
	*acc = out;
	return SL_OK;
}

static int
topk_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	return topk_merge_impl(call, other, acc, false);
}

static int
topkd_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	return topk_merge_impl(call, other, acc, true);
}

static const sl_agg_ops_t topk_ops = { empty_array_init, topk_add, NULL, topk_merge, NULL };
static const sl_agg_ops_t topkd_ops = { empty_array_init, topkd_add, NULL, topkd_merge, NULL };

/* ---- HISTOGRAM --------------------------------------------------------- */

static int32_t
hist_find(const sl_value_t *map, const sl_value_t *key)
{
	for (int32_t i = 0; i < sl_fn_agg_len(map); i++) {
		const sl_value_t *k = &sl_fn_agg_items(map)[2 * i];
		if (k->u.s.len == key->u.s.len &&
		    sl_fn_memcmp(k->u.s.ptr, key->u.s.ptr, (size_t)key->u.s.len) == 0)
			return i;
	}
	return -1;
}

/* The map with key's count changed by delta (entries below 1 removed), a
 * new key added with count delta while there is room. */
static sl_value_t
hist_update(sl_arena_t *a, const sl_value_t *map, const sl_value_t *key, int64_t delta)
{
	int32_t n = sl_fn_agg_len(map), i = hist_find(map, key), m;
	int64_t count;
	sl_value_t out;

	if (i < 0 && (delta < 1 || n >= HISTOGRAM_LIMIT))
		return *map;
	count = i < 0 ? delta : jadd64(sl_fn_agg_items(map)[2 * i + 1].u.l, delta);
	m = i < 0 ? n + 1 : count < 1 ? n - 1 : n;
	out = sl_fn_map(a, m);
	for (int32_t s = 0, d = 0; s < n; s++) {
		if (s == i && count < 1)
			continue;
		sl_fn_agg_items(&out)[2 * d] = sl_fn_agg_items(map)[2 * s];
		sl_fn_agg_items(&out)[2 * d + 1] =
			s == i ? sl_value_bigint(count) : sl_fn_agg_items(map)[2 * s + 1];
		d++;
	}
	if (i < 0) {
		sl_fn_agg_items(&out)[2 * n] = *key;
		sl_fn_agg_items(&out)[2 * n + 1] = sl_value_bigint(count);
	}
	return out;
}

static int
hist_init(sl_fcall_t *call, sl_value_t *acc)
{
	*acc = sl_fn_map(call->arena, 0);
	return SL_OK;
}

/* NULL strings are not counted (a MAP key cannot be NULL). */
static int
hist_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (sl_value_is_null(acc))
		hist_init(call, acc);
	if (!sl_value_is_null(&argv[0]))
		*acc = hist_update(call->arena, acc, &argv[0], 1);
	return SL_OK;
}

static int
hist_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	if (!sl_value_is_null(&argv[0]) && !sl_value_is_null(acc))
		*acc = hist_update(call->arena, acc, &argv[0], -1);
	return SL_OK;
}

static int
hist_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	if (sl_value_is_null(acc))
		hist_init(call, acc);
	for (int32_t i = 0; i < sl_fn_agg_len(other); i++)
		*acc = hist_update(call->arena, acc, &sl_fn_agg_items(other)[2 * i],
				   sl_fn_agg_items(other)[2 * i + 1].u.l);
	return SL_OK;
}

static const sl_agg_ops_t histogram_ops = { hist_init, hist_add, hist_undo, hist_merge, NULL };

/* ---- STDDEV_SAMP, STDDEV_SAMPLE ---------------------------------------- */

/*
 * Youngs-Cramer over STRUCT<SUM x, COUNT c, M2 DOUBLE>, x the argument's
 * type.  ksqlDB has two classes with different Java arithmetic, kept
 * here: STDDEV_SAMP counts in an INT, divides the sums in merges as
 * integers and returns the sample variance (M2 / (n - 1), without the
 * square root); STDDEV_SAMPLE counts in a BIGINT and returns the sample
 * standard deviation.  Fewer than two values give 0.0.
 */
static bool
is_samp(const sl_fcall_t *call)
{
	return strcmp(call->func->name, "STDDEV_SAMP") == 0;
}

static int
sd_resolve(sl_fresolve_t *r)
{
	static const char *const names[] = { "SUM", "COUNT", "M2" };
	const sl_type_t *types[] = { r->argt[0], sl_type_int(), sl_type_double() };

	if (strcmp(r->func->name, "STDDEV_SAMPLE") == 0)
		types[1] = sl_type_bigint();
	r->state_type = struct_of(r->arena, 3, names, types);
	return SL_OK;
}

static sl_value_t
sd_make(sl_fcall_t *call, sl_value_t sum, int64_t count, double m2)
{
	sl_value_t st = sl_value_list(call->arena, SL_T_STRUCT, 3);

	sl_fn_agg_items(&st)[0] = sum;
	sl_fn_agg_items(&st)[1] =
		is_samp(call) ? sl_value_int((int32_t)count) : sl_value_bigint(count);
	sl_fn_agg_items(&st)[2] = sl_value_double(m2);
	return st;
}

static int
sd_init(sl_fcall_t *call, sl_value_t *acc)
{
	sl_value_t zero = sl_value_int(0);

	*acc = sd_make(call, num_addsub(call->argt[0]->kind, &zero, &zero, 1), 0, 0.0);
	return SL_OK;
}

/* createDelta: v * (count + 1) - (sum + v), in the class's arithmetic. */
static double
sd_delta(const sl_fcall_t *call, const sl_value_t *acc, const sl_value_t *v)
{
	const sl_value_t *sum = field(acc, 0);
	int64_t c = num_l(field(acc, 1));

	switch (call->argt[0]->kind) {
	case SL_T_INT: {
		int32_t x = v->u.i, s = (int32_t)num_l(sum);
		if (is_samp(call))
			return jsub32(jmul32(x, jadd32((int32_t)c, 1)), jadd32(s, x));
		return (double)jsub64(jmul64(x, jadd64(c, 1)), jadd32(s, x));
	}
	case SL_T_BIGINT: {
		int64_t x = v->u.l, s = num_l(sum);
		int64_t c1 = is_samp(call) ? jadd32((int32_t)c, 1) : jadd64(c, 1);
		return (double)jsub64(jmul64(x, c1), jadd64(s, x));
	}
	default: {
		double c1 = is_samp(call) ? (double)jadd32((int32_t)c, 1) : (double)(c + 1);
		return v->u.d * c1 - (num_d(sum) + v->u.d);
	}
	}
}

/* count * (count - 1) (sign > 0) or count * (count + 1), in an INT for
 * STDDEV_SAMP. */
static double
sd_pairs(const sl_fcall_t *call, int64_t count, int sign)
{
	if (is_samp(call))
		return jmul32((int32_t)count, jadd32((int32_t)count, sign > 0 ? -1 : 1));
	return (double)jmul64(count, jadd64(count, sign > 0 ? -1 : 1));
}

static int
sd_step(sl_fcall_t *call, const sl_value_t *v, sl_value_t *acc, int sign)
{
	int64_t c = num_l(field(acc, 1)), nc;
	double m2 = 0;

	if (sl_value_is_null(v))
		return SL_OK;
	nc = is_samp(call) ? jadd32((int32_t)c, sign) : jadd64(c, sign);
	if (sign > 0 ? nc - 1 > 0 : nc > 0) {
		double delta = sd_delta(call, acc, v);
		m2 = delta * delta / sd_pairs(call, nc, sign);
	}
	*acc = sd_make(call, num_addsub(call->argt[0]->kind, field(acc, 0), v, sign), nc,
		       sign > 0 ? m2 + num_d(field(acc, 2)) : num_d(field(acc, 2)) - m2);
	return SL_OK;
}

static int
sd_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	return sd_step(call, &argv[0], acc, 1);
}

static int
sd_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	return sd_step(call, &argv[0], acc, -1);
}

/* mergeInner: the difference of the means, in the class's arithmetic. */
static double
sd_mean_diff(const sl_fcall_t *call, const sl_value_t *a, const sl_value_t *b)
{
	int64_t ca = num_l(field(a, 1)), cb = num_l(field(b, 1));

	if (!is_samp(call) || call->argt[0]->kind == SL_T_DOUBLE)
		return num_d(field(a, 0)) / (double)ca - num_d(field(b, 0)) / (double)cb;
	if (call->argt[0]->kind == SL_T_INT)
		return jsub32(jdiv32((int32_t)num_l(field(a, 0)), (int32_t)ca),
			      jdiv32((int32_t)num_l(field(b, 0)), (int32_t)cb));
	return (double)jsub64(jdiv64(num_l(field(a, 0)), ca), jdiv64(num_l(field(b, 0)), cb));
}

static int
sd_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	int64_t ca = num_l(field(acc, 1)), cb = num_l(field(other, 1)), nc;
	double m2 = num_d(field(acc, 2)) + num_d(field(other, 2));

	nc = is_samp(call) ? jadd32((int32_t)ca, (int32_t)cb) : jadd64(ca, cb);
	if (ca != 0 && cb != 0) {
		double inner = sd_mean_diff(call, acc, other);
		double pairs =
			is_samp(call) ? jmul32((int32_t)ca, (int32_t)cb) : (double)jmul64(ca, cb);
		m2 += pairs * inner * inner / (double)nc;
	}
	*acc = sd_make(call, num_addsub(call->argt[0]->kind, field(acc, 0), field(other, 0), 1), nc,
		       m2);
	return SL_OK;
}

static int
sd_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	int64_t c = num_l(field(acc, 1));
	double var;

	if (c < 2) {
		*out = sl_value_double(0.0);
		return SL_OK;
	}
	var = num_d(field(acc, 2)) / (double)(c - 1);
	*out = sl_value_double(is_samp(call) ? var : sqrt(var));
	return SL_OK;
}

static const sl_agg_ops_t stddev_ops = { sd_init, sd_add, sd_undo, sd_merge, sd_result };

/* ---- CORRELATION ------------------------------------------------------- */

enum { C_X, C_Y, C_XX, C_YY, C_XY, C_COUNT, C_NFIELDS };

static int
corr_resolve(sl_fresolve_t *r)
{
	static const char *const names[] = { "X_SUM",         "Y_SUM",  "X_SQUARED_SUM",
					     "Y_SQUARED_SUM", "XY_SUM", "COUNT" };
	const sl_type_t *d = sl_type_double();
	const sl_type_t *types[] = { d, d, d, d, d, sl_type_bigint() };

	r->state_type = struct_of(r->arena, C_NFIELDS, names, types);
	return SL_OK;
}

/* acc + sign * (x, y, x², y², xy, 1). */
static sl_value_t
corr_make(sl_fcall_t *call, const sl_value_t *acc, const double *d, int64_t count, int sign)
{
	sl_value_t st = sl_value_list(call->arena, SL_T_STRUCT, C_NFIELDS);

	for (int i = 0; i < C_COUNT; i++)
		sl_fn_agg_items(&st)[i] = sl_value_double(sign > 0 ? num_d(field(acc, i)) + d[i] :
								     num_d(field(acc, i)) - d[i]);
	sl_fn_agg_items(&st)[C_COUNT] =
		sl_value_bigint(sign > 0 ? jadd64(num_l(field(acc, C_COUNT)), count) :
					   jsub64(num_l(field(acc, C_COUNT)), count));
	return st;
}

static int
corr_init(sl_fcall_t *call, sl_value_t *acc)
{
	static const double zero[C_COUNT] = { 0 };
	sl_value_t null = sl_value_null();

	*acc = corr_make(call, &null, zero, 0, 1);
	return SL_OK;
}

static int
corr_step(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *acc, int sign)
{
	double x, y;

	if (sl_value_is_null(&argv[0]) || sl_value_is_null(&argv[1]))
		return SL_OK;
	x = argv[0].u.d;
	y = argv[1].u.d;
	*acc = corr_make(call, acc, (const double[]){ x, y, x * x, y * y, x * y }, 1, sign);
	return SL_OK;
}

static int
corr_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	return corr_step(call, argv, acc, 1);
}

static int
corr_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	return corr_step(call, argv, acc, -1);
}

static int
corr_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	double d[C_COUNT];

	for (int i = 0; i < C_COUNT; i++)
		d[i] = num_d(field(other, i));
	*acc = corr_make(call, acc, d, num_l(field(other, C_COUNT)), 1);
	return SL_OK;
}

/* Pearson's r by the single-pass formula; NaN for fewer than two pairs
 * (0 / 0), as in ksqlDB. */
static int
corr_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	double sx = num_d(field(acc, C_X)), sy = num_d(field(acc, C_Y));
	double n = (double)num_l(field(acc, C_COUNT));
	double num = n * num_d(field(acc, C_XY)) - sx * sy;
	double dx = n * num_d(field(acc, C_XX)) - sx * sx;
	double dy = n * num_d(field(acc, C_YY)) - sy * sy;

	(void)call;
	*out = sl_value_double(num / sqrt(dx * dy));
	return SL_OK;
}

static const sl_agg_ops_t correlation_ops = { corr_init, corr_add, corr_undo, corr_merge,
					      corr_result };

/* ---- ATTR -------------------------------------------------------------- */

/* ARRAY<STRUCT<VALUE T, COUNT INT>>: each distinct value (NULL included)
 * and how many rows hold it; entries whose count falls to 0 stay. */
static int
attr_resolve(sl_fresolve_t *r)
{
	static const char *const names[] = { "VALUE", "COUNT" };
	const sl_type_t *types[] = { r->argt[0], sl_type_int() };

	if (r->argt[0]->kind == SL_T_NULL)
		return SL_ENOTFOUND;
	r->state_type = sl_type_array(r->arena, struct_of(r->arena, 2, names, types));
	return SL_OK;
}

static sl_value_t
attr_entry(sl_arena_t *a, const sl_value_t *v, int32_t count)
{
	sl_value_t st = sl_value_list(a, SL_T_STRUCT, 2);

	sl_fn_agg_items(&st)[0] = *v;
	sl_fn_agg_items(&st)[1] = sl_value_int(count);
	return st;
}

/* ksqlDB's Attr.update(): count + delta (not below 0) for the entry equal
 * to v; a new entry when there is none and delta is positive. */
static void
attr_update(sl_arena_t *a, sl_value_t *acc, const sl_value_t *v, int32_t delta)
{
	int32_t n = sl_fn_agg_len(acc);
	sl_value_t e;

	for (int32_t i = 0; i < n; i++) {
		const sl_value_t *it = &sl_fn_agg_items(acc)[i];
		if (!jequal(field(it, 0), v))
			continue;
		int32_t c = jadd32((int32_t)num_l(field(it, 1)), delta);
		*acc = sl_fn_agg_array_plus(a, sl_fn_agg_items(acc), n, NULL);
		sl_fn_agg_items(acc)[i] = attr_entry(a, v, c < 0 ? 0 : c);
		return;
	}
	if (delta <= 0)
		return;
	e = attr_entry(a, v, delta);
	*acc = sl_fn_agg_array_plus(a, n > 0 ? sl_fn_agg_items(acc) : NULL, n, &e);
}

static int
attr_add(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	attr_update(call->arena, acc, &argv[0], 1);
	return SL_OK;
}

static int
attr_undo(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc)
{
	(void)argc;
	attr_update(call->arena, acc, &argv[0], -1);
	return SL_OK;
}

static int
attr_merge(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc)
{
	for (int32_t i = 0; i < sl_fn_agg_len(other); i++) {
		const sl_value_t *it = &sl_fn_agg_items(other)[i];
		attr_update(call->arena, acc, field(it, 0), (int32_t)num_l(field(it, 1)));
	}
	return SL_OK;
}

/* The only value with a positive count, else NULL. */
static int
attr_result(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out)
{
	const sl_value_t *only = NULL;
	int found = 0;

	(void)call;
	for (int32_t i = 0; i < sl_fn_agg_len(acc); i++) {
		if (num_l(field(&sl_fn_agg_items(acc)[i], 1)) > 0) {
			only = field(&sl_fn_agg_items(acc)[i], 0);
			found++;
		}
	}
	*out = found == 1 ? *only : sl_value_null();
	return SL_OK;
}

static const sl_agg_ops_t attr_ops = { empty_array_init, attr_add, attr_undo, attr_merge,
				       attr_result };

/* ---- registration ------------------------------------------------------ */

/* Every definition here: category AGGREGATE, kind SL_FUNC_AGGREGATE. */
#define AGGREGATE .category = "AGGREGATE", .kind = SL_FUNC_AGGREGATE

/* The variants of MIN and MAX, one per type they order: ops_ over a
 * stream, the table form table_ over a table. */
#define MIN_MAX_VARIANTS(ops_, table_)                                                            \
	AV("val INT", "INT", ops_, .table = table_),                                              \
		AV("val BIGINT", "BIGINT", ops_, .table = table_),                                \
		AV("val DOUBLE", "DOUBLE", ops_, .table = table_),                                \
		AV("val DECIMAL", "DECIMAL", ops_, .table = table_, .resolve = resolve_ret_arg0), \
		AV("val DATE", "DATE", ops_, .table = table_),                                    \
		AV("val TIME", "TIME", ops_, .table = table_),                                    \
		AV("val TIMESTAMP", "TIMESTAMP", ops_, .table = table_),                          \
		AV("val STRING", "STRING", ops_, .table = table_),                                \
		AV("val BYTES", "BYTES", ops_, .table = table_)

static const sl_func_def_t aggregate_defs[] = {
	{ .name = "ATTR",
	  AGGREGATE,
	  .description =
		  "The ATTR() aggregation indicates there are multiple values, but only one was "
		  "expected. For example, if aggregating against a table that semantically should "
		  "have only one value for a column given a key, this aggregation enables users to "
		  "indicate that they expect only a single value.\n\nIf the aggregation encounters "
		  "more than a single value for the expected singular column, the entire aggregation "
		  "will return null.",
	  .variants =
		  (const sl_func_variant_t[]){ AV("val T", "T", &attr_ops, .resolve = attr_resolve),
					       { 0 } } },
	{ .name = "AVG",
	  AGGREGATE,
	  .description =
		  "Returns the average value of the column computed as the sum divided by the count. "
		  "Applicable only to numeric types.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val INT", "DOUBLE", &avg_ops, .resolve = avg_resolve),
			  AV("val BIGINT", "DOUBLE", &avg_ops, .resolve = avg_resolve),
			  AV("val DOUBLE", "DOUBLE", &avg_ops, .resolve = avg_resolve),
			  { 0 } } },
	{ .name = "COLLECT_LIST",
	  AGGREGATE,
	  .description =
		  "Gather all of the values from an input grouping into a single Array field.\n"
		  "Although this aggregate works on both Stream and Table inputs, the order of "
		  "entries in the result array is not guaranteed when working on Table input data.",
	  .variants = (const sl_func_variant_t[]){ AV("val T", "ARRAY<T>", &collect_list_ops,
						      .resolve = collect_resolve),
						   { 0 } } },
	{ .name = "COLLECT_SET",
	  AGGREGATE,
	  .description =
		  "Gather all of the distinct values from an input grouping into a single Array.\n"
		  "Not available for aggregating values from an input Table.",
	  .variants = (const sl_func_variant_t[]){ AV("val T", "ARRAY<T>", &collect_set_ops,
						      .resolve = collect_resolve),
						   { 0 } } },
	{ .name = "CORRELATION",
	  AGGREGATE,
	  .description =
		  "Computes the Pearson correlation coefficient between two columns of data.",
	  .variants = (const sl_func_variant_t[]){ AV("x DOUBLE, y DOUBLE", "DOUBLE",
						      &correlation_ops, .resolve = corr_resolve),
						   { 0 } } },
	{ .name = "COUNT",
	  AGGREGATE,
	  .description = "Counts records by key.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("", "BIGINT", &count_ops,
			     .description = "Counts the rows of the group."),
			  AV("val ANY", "BIGINT", &count_ops,
			     .description = "Counts the rows of the group where val is not NULL."),
			  { 0 } } },
	{ .name = "COUNT_DISTINCT",
	  AGGREGATE,
	  .description =
		  "This function returns the number of items found in a group. The implementation "
		  "is probabilistic with a typical accuracy (standard error) of less than 1%.",
	  .variants =
		  (const sl_func_variant_t[]){ AV("val T", "BIGINT", &sl_fn_agg_count_distinct_ops,
						  .resolve = sl_fn_agg_count_distinct_resolve),
					       { 0 } } },
	{ .name = "EARLIEST_BY_OFFSET",
	  AGGREGATE,
	  .description =
		  "This function returns the oldest N values for the column, computed by offset.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val T", "T", &earliest_ops, .resolve = offset_resolve,
			     .init = offset_init),
			  AV("val T, ignoreNulls BOOLEAN", "T", &earliest_ops,
			     .resolve = offset_resolve, .init = offset_init),
			  AV("val T, earliestN INT", "ARRAY<T>", &earliest_n_ops,
			     .resolve = offset_resolve, .init = offset_init),
			  AV("val T, earliestN INT, ignoreNulls BOOLEAN", "ARRAY<T>",
			     &earliest_n_ops, .resolve = offset_resolve, .init = offset_init),
			  { 0 } } },
	{ .name = "HISTOGRAM",
	  AGGREGATE,
	  .description =
		  "Returns a map of each distinct String from the input Stream or Table and how many "
		  "times each occurs. \nThis version limits the size of the resultant Map to 1000 "
		  "entries. Any entries added beyond this limit will be ignored.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val STRING", "MAP<STRING, BIGINT>", &histogram_ops), { 0 } } },
	{ .name = "LATEST_BY_OFFSET",
	  AGGREGATE,
	  .description =
		  "This function returns the most recent N values for the column, computed by "
		  "offset.",
	  .variants =
		  (const sl_func_variant_t[]){ AV("val T", "T", &latest_ops,
						  .resolve = offset_resolve, .init = offset_init),
					       AV("val T, ignoreNulls BOOLEAN", "T", &latest_ops,
						  .resolve = offset_resolve, .init = offset_init),
					       AV("val T, latestN INT", "ARRAY<T>", &latest_n_ops,
						  .resolve = offset_resolve, .init = offset_init),
					       AV("val T, latestN INT, ignoreNulls BOOLEAN",
						  "ARRAY<T>", &latest_n_ops,
						  .resolve = offset_resolve, .init = offset_init),
					       { 0 } } },
	{ .name = "MAX",
	  AGGREGATE,
	  .description = "Computes the maximum value for a key.",
	  .variants = (const sl_func_variant_t[]){ MIN_MAX_VARIANTS(&max_ops, &sl_fn_agg_max_table),
						   { 0 } } },
	{ .name = "MIN",
	  AGGREGATE,
	  .description = "Computes the minimum value for a key.",
	  .variants = (const sl_func_variant_t[]){ MIN_MAX_VARIANTS(&min_ops, &sl_fn_agg_min_table),
						   { 0 } } },
	{ .name = "STDDEV_SAMP",
	  AGGREGATE,
	  .description =
		  "Returns the sample standard deviation of the column. Applicable only to numeric "
		  "types.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val INT", "DOUBLE", &stddev_ops, .resolve = sd_resolve),
			  AV("val BIGINT", "DOUBLE", &stddev_ops, .resolve = sd_resolve),
			  AV("val DOUBLE", "DOUBLE", &stddev_ops, .resolve = sd_resolve),
			  { 0 } } },
	{ .name = "STDDEV_SAMPLE",
	  AGGREGATE,
	  .description =
		  "Returns the sample standard deviation of the column. Applicable only to numeric "
		  "types.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val INT", "DOUBLE", &stddev_ops, .resolve = sd_resolve),
			  AV("val BIGINT", "DOUBLE", &stddev_ops, .resolve = sd_resolve),
			  AV("val DOUBLE", "DOUBLE", &stddev_ops, .resolve = sd_resolve),
			  { 0 } } },
	{ .name = "SUM",
	  AGGREGATE,
	  .description = "Computes the sum for a key.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val INT", "INT", &sum_ops),
			  AV("val BIGINT", "BIGINT", &sum_ops),
			  AV("val DOUBLE", "DOUBLE", &sum_ops),
			  AV("val DECIMAL", "DECIMAL", &sum_ops, .resolve = resolve_ret_arg0,
			     .description =
				     "Computes the sum of decimal values for a key, resulting in a "
				     "decimal with the same precision and scale."),
			  { 0 } } },
	{ .name = "TOPK",
	  AGGREGATE,
	  .description = "Computes the top k values for a column, per key.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val INT, k INT", "ARRAY<INT>", &topk_ops, .init = topk_init),
			  AV("val BIGINT, k INT", "ARRAY<BIGINT>", &topk_ops, .init = topk_init),
			  AV("val DOUBLE, k INT", "ARRAY<DOUBLE>", &topk_ops, .init = topk_init),
			  AV("val STRING, k INT", "ARRAY<STRING>", &topk_ops, .init = topk_init),
			  AV(NULL, "ARRAY<STRUCT<sort_col T, col0 U0, ...>>", &topk_ops,
			     .resolve = topk_resolve_cols, .init = topk_init,
			     .description =
				     "TOPK(sort_col, col1, ..., k): the rows with the top k values of "
				     "sort_col, with the other columns as col0, col1 ..."),
			  { 0 } } },
	{ .name = "TOPKDISTINCT",
	  AGGREGATE,
	  .description = "Calculates the Topk distinct values for a column, per key.",
	  .variants =
		  (const sl_func_variant_t[]){
			  AV("val INT, k INT", "ARRAY<INT>", &topkd_ops, .init = topk_init),
			  AV("val BIGINT, k INT", "ARRAY<BIGINT>", &topkd_ops, .init = topk_init),
			  AV("val DOUBLE, k INT", "ARRAY<DOUBLE>", &topkd_ops, .init = topk_init),
			  AV("val DECIMAL, k INT", "ARRAY<DECIMAL>", &topkd_ops,
			     .resolve = resolve_array_arg0, .init = topk_init),
			  AV("val STRING, k INT", "ARRAY<STRING>", &topkd_ops, .init = topk_init),
			  AV("val BYTES, k INT", "ARRAY<BYTES>", &topkd_ops, .init = topk_init),
			  AV("val DATE, k INT", "ARRAY<DATE>", &topkd_ops, .init = topk_init),
			  AV("val TIME, k INT", "ARRAY<TIME>", &topkd_ops, .init = topk_init),
			  AV("val TIMESTAMP, k INT", "ARRAY<TIMESTAMP>", &topkd_ops,
			     .init = topk_init),
			  { 0 } } },
	{ 0 }
};

void
sl_fn_aggregate_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, aggregate_defs);
}
