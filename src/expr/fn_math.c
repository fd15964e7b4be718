/*
 * fn_math.c: numeric functions (ksqlDB's MATHEMATICAL family).
 *
 * Stage: expr.  ABS ACOS ASIN ATAN ATAN2 CBRT CEIL COS COSH COT DEGREES EXP
 * FLOOR GEO_DISTANCE GREATEST LEAST LN LOG PI POWER RADIANS RANDOM ROUND
 * SIGN SIN SINH SQRT TAN TANH TRUNC.  Java semantics: ROUND follows
 * Math.round (ties toward positive infinity) and rounds doubles through
 * their shortest decimal form (BigDecimal.valueOf); DECIMAL results keep
 * their input's scale except ROUND/TRUNC without places, which return
 * DECIMAL(p - s, 0).  Domain errors give NaN or infinities, not errors.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "expr/fn_util.h"
#include "expr/func.h"

#define NC SL_FV_NULL_CALL

/* ---- helpers ----------------------------------------------------------- */

static sl_value_t
dbl(double d)
{
	return sl_value_double(d);
}

/* Java's (long) d: truncation that saturates, NaN gives 0. */
static int64_t
java_d2l(double d)
{
	if (isnan(d))
		return 0;
	if (d >= 9223372036854775807.0)
		return INT64_MAX;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

/* Math.round(double). */
static int64_t
java_round(double d)
{
	if (isnan(d))
		return 0;
	double f = floor(d);
	if (d - f >= 0.5)
		f += 1;
	return java_d2l(f);
}

/* Resolve hook: the result has the first argument's (DECIMAL) type. */
static int
resolve_same_decimal(sl_fresolve_t *r)
{
	r->ret = r->argt[0];
	return SL_OK;
}

/* Resolve hook: DECIMAL(p - s, 0) (ROUND and TRUNC without places). */
static int
resolve_decimal_integral(sl_fresolve_t *r)
{
	const sl_type_t *t = r->argt[0];
	int p = t->precision - t->scale;
	r->ret = sl_type_decimal(r->arena, p < 1 ? 1 : p, 0);
	return SL_OK;
}

static int
decimal_result(sl_fcall_t *call, __int128 u, sl_value_t *out)
{
	if (!sl_dec_fits(u, call->ret->precision))
		return sl_fcall_error(call, "result does not fit DECIMAL(%d, %d)",
				      call->ret->precision, call->ret->scale);
	*out = sl_fn_dec_value(u, call->ret);
	return SL_OK;
}

/* ---- ABS, CEIL, FLOOR, SIGN -------------------------------------------- */

static int
fn_abs(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *v = &argv[0];
	switch (v->kind) {
	case SL_T_INT:
		/* Math.abs(Integer.MIN_VALUE) stays negative */
		*out = sl_value_int(v->u.i < 0 ? (int32_t)(0u - (uint32_t)v->u.i) : v->u.i);
		break;
	case SL_T_BIGINT:
		*out = sl_value_bigint(v->u.l < 0 ? (int64_t)(0ull - (uint64_t)v->u.l) : v->u.l);
		break;
	case SL_T_DECIMAL:
		*out = sl_fn_dec_value(v->u.dec < 0 ? -v->u.dec : v->u.dec, call->ret);
		break;
	default:
		*out = dbl(fabs(v->u.d));
		break;
	}
	return SL_OK;
}

static int
round_to_integral(sl_fcall_t *call, const sl_value_t *v, sl_fn_round_t mode, double (*f)(double),
		  sl_value_t *out)
{
	switch (v->kind) {
	case SL_T_INT:
	case SL_T_BIGINT:
		*out = *v;
		return SL_OK;
	case SL_T_DECIMAL: {
		__int128 u = sl_fn_dec_rescale(v->u.dec, v->scale, 0, mode);
		return decimal_result(call, sl_fn_dec_rescale(u, 0, v->scale, mode), out);
	}
	default:
		*out = dbl(f(v->u.d));
		return SL_OK;
	}
}

static int
fn_ceil(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return round_to_integral(call, &argv[0], SL_FN_ROUND_CEILING, ceil, out);
}

static int
fn_floor(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return round_to_integral(call, &argv[0], SL_FN_ROUND_FLOOR, floor, out);
}

static int
fn_sign(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	const sl_value_t *v = &argv[0];
	int s;
	switch (v->kind) {
	case SL_T_INT:
		s = (v->u.i > 0) - (v->u.i < 0);
		break;
	case SL_T_BIGINT:
		s = (v->u.l > 0) - (v->u.l < 0);
		break;
	case SL_T_DECIMAL:
		s = (v->u.dec > 0) - (v->u.dec < 0);
		break;
	default:
		s = (v->u.d > 0) - (v->u.d < 0); /* NaN: 0, as (int) NaN */
		break;
	}
	*out = sl_value_int(s);
	return SL_OK;
}

/* ---- ROUND, TRUNC ------------------------------------------------------ */

static int
fn_round_long(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	const sl_value_t *v = &argv[0];
	int64_t r;
	if (v->kind == SL_T_INT)
		r = v->u.i;
	else if (v->kind == SL_T_BIGINT)
		r = v->u.l;
	else
		r = java_round(v->u.d);
	*out = sl_value_bigint(r);
	return SL_OK;
}

static sl_fn_round_t
round_mode(bool positive)
{
	/* HALF_UP above zero, HALF_DOWN below: ties go toward +infinity */
	return positive ? SL_FN_ROUND_HALF_UP : SL_FN_ROUND_HALF_DOWN;
}

static int
fn_round_double_places(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	double d = argv[0].u.d;
	*out = dbl(isfinite(d) ? sl_fn_double_round(d, argv[1].u.i, round_mode(d > 0)) : d);
	return SL_OK;
}

static int
fn_round_decimal(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const sl_value_t *v = &argv[0];
	sl_fn_round_t mode = round_mode(v->u.dec > 0);
	if (argc == 1)
		return decimal_result(call, sl_fn_dec_rescale(v->u.dec, v->scale, 0, mode), out);
	int places = argv[1].u.i;
	if (places >= v->scale) {
		*out = sl_fn_dec_value(v->u.dec, call->ret);
		return SL_OK;
	}
	if (places < -38)
		places = -38;
	__int128 u = sl_fn_dec_rescale(v->u.dec, v->scale, places, mode);
	return decimal_result(call, sl_fn_dec_rescale(u, places, v->scale, mode), out);
}

static int
fn_trunc_long(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	const sl_value_t *v = &argv[0];
	int64_t r;
	if (v->kind == SL_T_INT)
		r = v->u.i;
	else if (v->kind == SL_T_BIGINT)
		r = v->u.l;
	else
		r = java_d2l(v->u.d);
	*out = sl_value_bigint(r);
	return SL_OK;
}

static int
fn_trunc_double_places(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	double d = argv[0].u.d;
	*out = dbl(isfinite(d) ? sl_fn_double_round(d, argv[1].u.i, SL_FN_ROUND_DOWN) : d);
	return SL_OK;
}

static int
fn_trunc_decimal(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const sl_value_t *v = &argv[0];
	if (argc == 1)
		return decimal_result(
			call, sl_fn_dec_rescale(v->u.dec, v->scale, 0, SL_FN_ROUND_DOWN), out);
	int places = argv[1].u.i;
	if (places >= v->scale) {
		*out = sl_fn_dec_value(v->u.dec, call->ret);
		return SL_OK;
	}
	if (places < -38)
		places = -38;
	__int128 u = sl_fn_dec_rescale(v->u.dec, v->scale, places, SL_FN_ROUND_DOWN);
	return decimal_result(call, sl_fn_dec_rescale(u, places, v->scale, SL_FN_ROUND_DOWN), out);
}

/* ---- DOUBLE -> DOUBLE -------------------------------------------------- */

#define UNARY(name, expr)                                                                    \
	static int name(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out) \
	{                                                                                    \
		(void)call, (void)argc;                                                      \
		double x = argv[0].u.d;                                                      \
		*out = dbl(expr);                                                            \
		return SL_OK;                                                                \
	}

/* Java's Math.toDegrees / toRadians multiply by these constants. */
#define RADIANS_TO_DEGREES 57.29577951308232
#define DEGREES_TO_RADIANS 0.017453292519943295

UNARY(fn_acos, acos(x))
UNARY(fn_asin, asin(x))
UNARY(fn_atan, atan(x))
UNARY(fn_cbrt, (double)cbrtl(x)) /* cbrt() is not correctly rounded */
UNARY(fn_cos, cos(x))
UNARY(fn_cosh, cosh(x))
UNARY(fn_cot, 1.0 / tan(x))
UNARY(fn_degrees, x *RADIANS_TO_DEGREES)
UNARY(fn_exp, exp(x))
UNARY(fn_ln, log(x))
UNARY(fn_radians, x *DEGREES_TO_RADIANS)
UNARY(fn_sin, sin(x))
UNARY(fn_sinh, sinh(x))
UNARY(fn_sqrt, sqrt(x))
UNARY(fn_tan, tan(x))
UNARY(fn_tanh, tanh(x))

static int
fn_atan2(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = dbl(atan2(argv[0].u.d, argv[1].u.d));
	return SL_OK;
}

static int
fn_power(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = dbl(pow(argv[0].u.d, argv[1].u.d));
	return SL_OK;
}

/* LOG(value) is the natural logarithm (as ksqlDB computes it);
 * LOG(base, value) is NaN for a base <= 0 or 1. */
static int
fn_log(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	if (argc == 1) {
		*out = dbl(log(argv[0].u.d));
		return SL_OK;
	}
	double base = argv[0].u.d, x = argv[1].u.d;
	*out = dbl(base <= 0 || base == 1 ? NAN : log(x) / log(base));
	return SL_OK;
}

static int
fn_pi(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc, (void)argv;
	*out = dbl(M_PI);
	return SL_OK;
}

/* A per-thread xorshift64* generator seeded from the kernel. */
static __thread uint64_t rnd_state;

static int
fn_random(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc, (void)argv;
	if (rnd_state == 0) {
		if (getrandom(&rnd_state, sizeof(rnd_state), 0) != (ssize_t)sizeof(rnd_state))
			rnd_state = (uint64_t)(uintptr_t)&rnd_state ^ 0x9E3779B97F4A7C15ull;
		if (rnd_state == 0)
			rnd_state = 1;
	}
	uint64_t x = rnd_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rnd_state = x;
	uint64_t r = x * 0x2545F4914F6CDD1Dull;
	*out = dbl((double)(r >> 11) * 0x1.0p-53);
	return SL_OK;
}

/* ---- GEO_DISTANCE ------------------------------------------------------ */

static double
haversin(double v)
{
	double s = sin(v / 2);
	return s * s;
}

static int
fn_geo_distance(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	for (int i = 0; i < 4; i++) {
		if (sl_value_is_null(&argv[i]))
			return sl_fcall_error(call, "coordinates must not be null");
	}
	double lat1 = argv[0].u.d, lon1 = argv[1].u.d, lat2 = argv[2].u.d, lon2 = argv[3].u.d;
	if (lat1 < -90 || lat2 < -90 || lat1 > 90 || lat2 > 90)
		return sl_fcall_error(call, "valid latitude values for GeoDistance function are in "
					    "the range of -90 to 90 decimal degrees");
	if (lon1 < -180 || lon2 < -180 || lon1 > 180 || lon2 > 180)
		return sl_fcall_error(call,
				      "valid longitude values for GeoDistance function are in "
				      "the range of -180 to +180 decimal degrees");
	double radius = 6371;
	if (argc > 4 && !sl_value_is_null(&argv[4])) {
		const sl_value_t *u = &argv[4];
		int32_t i = 0, j = u->u.s.len;
		while (i < j && (unsigned char)u->u.s.ptr[i] <= ' ')
			i++;
		while (j > i && (unsigned char)u->u.s.ptr[j - 1] <= ' ')
			j--;
		sl_value_t t = sl_value_string(u->u.s.ptr + i, j - i);
		if (j > i) {
			if (sl_fn_str_ieq(&t, "mi") || sl_fn_str_ieq(&t, "mile") ||
			    sl_fn_str_ieq(&t, "miles"))
				radius = 3959;
			else if (!(sl_fn_str_ieq(&t, "km") || sl_fn_str_ieq(&t, "kilometer") ||
				   sl_fn_str_ieq(&t, "kilometers") ||
				   sl_fn_str_ieq(&t, "kilometre") ||
				   sl_fn_str_ieq(&t, "kilometres")))
				return sl_fcall_error(
					call, "GeoDistance function units parameter must be "
					      "one of mi, mile, miles, km, kilometer, "
					      "kilometers, kilometre or kilometres; values are "
					      "case-insensitive");
		}
	}
	double dlat = (lat2 - lat1) * DEGREES_TO_RADIANS;
	double dlon = (lon2 - lon1) * DEGREES_TO_RADIANS;
	double a = haversin(dlat) +
		   haversin(dlon) * cos(lat1 * DEGREES_TO_RADIANS) * cos(lat2 * DEGREES_TO_RADIANS);
	*out = dbl(2 * asin(sqrt(a)) * radius);
	return SL_OK;
}

/* ---- GREATEST, LEAST --------------------------------------------------- */

static int
num_rank(sl_tkind_t k)
{
	switch (k) {
	case SL_T_INT:
		return 0;
	case SL_T_BIGINT:
		return 1;
	case SL_T_DECIMAL:
		return 2;
	case SL_T_DOUBLE:
		return 3;
	default:
		return -1;
	}
}

/* DecimalUtil.widen: enough integer digits and scale for both. */
static void
widen_decimal(int *p, int *s, int p2, int s2)
{
	int scale = *s > s2 ? *s : s2;
	int ints = (*p - *s) > (p2 - s2) ? (*p - *s) : (p2 - s2);
	int prec = scale + ints;
	*p = prec > 38 ? 38 : prec;
	*s = scale;
}

static void
types_text(sl_fresolve_t *r, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < r->argc && n < size; i++) {
		const sl_type_t *t = r->argt[i];
		const char *name =
			t == NULL || t->kind == SL_T_NULL ? "null" : sl_tkind_name(t->kind);
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", name);
	}
}

/* GREATEST and LEAST take one comparable type: numbers widen to the
 * widest of them (INT with BIGINT alone is ambiguous, as in ksqlDB),
 * string literals next to DATE, TIME or TIMESTAMP are cast to it. */
static int
resolve_extreme(sl_fresolve_t *r)
{
	char text[256];
	int maxrank = -1;
	bool have_int = false, have_bigint = false, have_dec = false;
	int p = 0, s = 0;
	sl_tkind_t kind = SL_T_NULL;
	bool mixed = false;
	for (int i = 0; i < r->argc; i++) {
		const sl_type_t *t = r->argt[i];
		if (t == NULL || t->kind == SL_T_NULL)
			continue;
		int rank = num_rank(t->kind);
		if (rank >= 0) {
			if (rank > maxrank)
				maxrank = rank;
			if (t->kind == SL_T_INT)
				have_int = true;
			else if (t->kind == SL_T_BIGINT)
				have_bigint = true;
			else if (t->kind == SL_T_DECIMAL) {
				if (!have_dec) {
					p = t->precision;
					s = t->scale;
				} else {
					widen_decimal(&p, &s, t->precision, t->scale);
				}
				have_dec = true;
			}
			continue;
		}
		if (kind == SL_T_NULL || kind == SL_T_STRING)
			kind = t->kind;
		else if (t->kind != kind && t->kind != SL_T_STRING)
			mixed = true;
	}
	if (maxrank < 0 && kind == SL_T_NULL) {
		types_text(r, text, sizeof(text));
		return sl_fresolve_error(r,
					 "function \"%s\" cannot be resolved due to ambiguous "
					 "method parameters (%s)",
					 r->func->name, text);
	}
	const sl_type_t *target;
	if (maxrank >= 0) {
		if (kind != SL_T_NULL)
			return SL_ENOTFOUND;
		if (maxrank == 1 && have_int) {
			types_text(r, text, sizeof(text));
			return sl_fresolve_error(r,
						 "function \"%s\" cannot be resolved due to "
						 "ambiguous method parameters (%s)",
						 r->func->name, text);
		}
		if (maxrank == 3) {
			target = sl_type_double();
		} else if (maxrank == 2) {
			if (have_int)
				widen_decimal(&p, &s, 10, 0);
			if (have_bigint)
				widen_decimal(&p, &s, 19, 0);
			target = sl_type_decimal(r->arena, p, s);
		} else {
			target = sl_type_primitive(have_bigint ? SL_T_BIGINT : SL_T_INT);
		}
	} else {
		if (mixed || kind == SL_T_BOOLEAN || kind == SL_T_ARRAY || kind == SL_T_MAP ||
		    kind == SL_T_STRUCT)
			return SL_ENOTFOUND;
		for (int i = 0; i < r->argc; i++) {
			const sl_type_t *t = r->argt[i];
			if (t != NULL && t->kind == SL_T_STRING && kind != SL_T_STRING &&
			    (r->constv == NULL || r->constv[i] == NULL))
				return SL_ENOTFOUND; /* only literals convert */
		}
		target = sl_type_primitive(kind);
	}
	for (int i = 0; i < r->argc; i++)
		if (r->argt[i] != NULL && r->argt[i]->kind != SL_T_NULL)
			r->argt[i] = target;
	r->ret = target;
	return SL_OK;
}

static int
extreme(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out, int sign)
{
	(void)call;
	const sl_value_t *best = NULL;
	for (int i = 0; i < argc; i++) {
		const sl_value_t *v = &argv[i];
		if (sl_value_is_null(v))
			continue;
		if (best == NULL) {
			best = v;
			continue;
		}
		int c;
		if (v->kind == SL_T_DOUBLE) {
			/* Double.compareTo: NaN above everything, -0.0 < 0.0 */
			double a = v->u.d, b = best->u.d;
			if (isnan(a) || isnan(b))
				c = isnan(a) - isnan(b);
			else if (a == b)
				c = signbit(b) - signbit(a);
			else
				c = (a > b) - (a < b);
		} else {
			c = sl_value_compare(v, best);
		}
		if (c * sign > 0)
			best = v;
	}
	*out = best ? *best : sl_value_null();
	return SL_OK;
}

static int
fn_greatest(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return extreme(call, argc, argv, out, 1);
}

static int
fn_least(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return extreme(call, argc, argv, out, -1);
}

/* ---- registration ------------------------------------------------------ */

#define ONE_DOUBLE(NAME, FN, DESC)                                             \
	{                                                                      \
		.name = NAME, .category = "MATHEMATICAL", .description = DESC, \
		.variants = (const sl_func_variant_t[])                        \
		{                                                              \
			SL_FN_V("value DOUBLE", "DOUBLE", FN),                 \
			{                                                      \
				0                                              \
			}                                                      \
		}                                                              \
	}

static const sl_func_def_t math_defs[] = {
	{ .name = "ABS",
	  .category = "MATHEMATICAL",
	  .description = "Returns the absolute value of its argument.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("value INT", "INT", fn_abs),
						   SL_FN_V("value BIGINT", "BIGINT", fn_abs),
						   SL_FN_V("value DOUBLE", "DOUBLE", fn_abs),
						   SL_FN_V("value DECIMAL", "DECIMAL", fn_abs,
							   .resolve = resolve_same_decimal),
						   { 0 } } },
	ONE_DOUBLE("ACOS", fn_acos,
		   "Returns the inverse (arc) cosine of its argument, in "
		   "radians; NaN outside [-1, 1]."),
	ONE_DOUBLE("ASIN", fn_asin,
		   "Returns the inverse (arc) sine of its argument, in radians; "
		   "NaN outside [-1, 1]."),
	ONE_DOUBLE("ATAN", fn_atan,
		   "Returns the inverse (arc) tangent of its argument, in "
		   "radians."),
	{ .name = "ATAN2",
	  .category = "MATHEMATICAL",
	  .description = "Returns the inverse (arc) tangent of y / x: the angle theta of the "
			 "Cartesian point (x, y) in polar coordinates, in radians.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("y DOUBLE, x DOUBLE", "DOUBLE", fn_atan2),
					       { 0 } } },
	ONE_DOUBLE("CBRT", fn_cbrt, "Returns the cube root of its argument."),
	{ .name = "CEIL",
	  .category = "MATHEMATICAL",
	  .description = "Returns the smallest integer greater than or equal to the specified "
			 "numeric expression.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("value INT", "INT", fn_ceil),
						   SL_FN_V("value BIGINT", "BIGINT", fn_ceil),
						   SL_FN_V("value DOUBLE", "DOUBLE", fn_ceil),
						   SL_FN_V("value DECIMAL", "DECIMAL", fn_ceil,
							   .resolve = resolve_same_decimal),
						   { 0 } } },
	ONE_DOUBLE("COS", fn_cos, "Returns the cosine of its argument (radians)."),
	ONE_DOUBLE("COSH", fn_cosh, "Returns the hyperbolic cosine of its argument."),
	ONE_DOUBLE("COT", fn_cot, "Returns the cotangent of its argument (radians)."),
	ONE_DOUBLE("DEGREES", fn_degrees, "Converts an angle in radians to degrees."),
	ONE_DOUBLE("EXP", fn_exp, "Returns e raised to the power of its argument."),
	{ .name = "FLOOR",
	  .category = "MATHEMATICAL",
	  .description = "Returns the largest integer less than or equal to the specified numeric "
			 "expression.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("value INT", "INT", fn_floor),
						   SL_FN_V("value BIGINT", "BIGINT", fn_floor),
						   SL_FN_V("value DOUBLE", "DOUBLE", fn_floor),
						   SL_FN_V("value DECIMAL", "DECIMAL", fn_floor,
							   .resolve = resolve_same_decimal),
						   { 0 } } },
	{ .name = "GEO_DISTANCE",
	  .category = "MATHEMATICAL",
	  .description = "Computes the great-circle distance between two (lat, lon) points given "
			 "in decimal degrees, in kilometers or, with a fifth argument 'MI', miles.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("lat1 DOUBLE, lon1 DOUBLE, lat2 DOUBLE, lon2 DOUBLE", "DOUBLE",
				  fn_geo_distance, .flags = NC),
			  SL_FN_V("lat1 DOUBLE, lon1 DOUBLE, lat2 DOUBLE, lon2 DOUBLE, units VARCHAR",
				  "DOUBLE", fn_geo_distance, .flags = NC),
			  { 0 } } },
	{ .name = "GREATEST",
	  .category = "MATHEMATICAL",
	  .description = "Returns the highest non-null value among a variable number of comparable "
			 "columns.",
	  .variants = (const sl_func_variant_t[]){ { .params = NULL,
						     .ret = "T",
						     .fn = fn_greatest,
						     .resolve = resolve_extreme,
						     .flags = NC,
						     .description = "GREATEST(val T, vals T...)" },
						   { 0 } } },
	{ .name = "LEAST",
	  .category = "MATHEMATICAL",
	  .description = "Returns the lowest non-null value among a variable number of comparable "
			 "columns.",
	  .variants = (const sl_func_variant_t[]){ { .params = NULL,
						     .ret = "T",
						     .fn = fn_least,
						     .resolve = resolve_extreme,
						     .flags = NC,
						     .description = "LEAST(val T, vals T...)" },
						   { 0 } } },
	ONE_DOUBLE("LN", fn_ln, "Returns the natural logarithm of its argument."),
	{ .name = "LOG",
	  .category = "MATHEMATICAL",
	  .description = "Returns the logarithm of a value: LOG(value) the natural one, "
			 "LOG(base, value) with the given base (NaN for a base <= 0 or 1).",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("value DOUBLE", "DOUBLE", fn_log),
						   SL_FN_V("base DOUBLE, value DOUBLE", "DOUBLE",
							   fn_log),
						   { 0 } } },
	{ .name = "PI",
	  .category = "MATHEMATICAL",
	  .description = "Returns an approximate value of pi.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("", "DOUBLE", fn_pi), { 0 } } },
	{ .name = "POWER",
	  .category = "MATHEMATICAL",
	  .description = "Returns base raised to the power of exponent.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("base DOUBLE, exponent DOUBLE", "DOUBLE", fn_power), { 0 } } },
	ONE_DOUBLE("RADIANS", fn_radians, "Converts an angle in degrees to radians."),
	{ .name = "RANDOM",
	  .category = "MATHEMATICAL",
	  .description = "Returns a random DOUBLE value between 0.0 and 1.0.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("", "DOUBLE", fn_random, .flags = SL_FV_VOLATILE), { 0 } } },
	{ .name = "ROUND",
	  .category = "MATHEMATICAL",
	  .description =
		  "Round a value to the number of decimal places as specified by scale to "
		  "the right of the decimal point. If scale is negative then value is rounded "
		  "to the right of the decimal point. Numbers equidistant to the nearest value "
		  "are rounded up (in the positive direction). If the number of decimal places "
		  "is not provided it defaults to zero.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("value INT", "BIGINT", fn_round_long),
			  SL_FN_V("value BIGINT", "BIGINT", fn_round_long),
			  SL_FN_V("value DOUBLE", "BIGINT", fn_round_long),
			  SL_FN_V("value DOUBLE, places INT", "DOUBLE", fn_round_double_places),
			  SL_FN_V("value DECIMAL", "DECIMAL", fn_round_decimal,
				  .resolve = resolve_decimal_integral),
			  SL_FN_V("value DECIMAL, places INT", "DECIMAL", fn_round_decimal,
				  .resolve = resolve_same_decimal),
			  { 0 } } },
	{ .name = "SIGN",
	  .category = "MATHEMATICAL",
	  .description = "Returns the sign of a value as an INT: -1, 0 or 1.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("value INT", "INT", fn_sign),
						   SL_FN_V("value BIGINT", "INT", fn_sign),
						   SL_FN_V("value DOUBLE", "INT", fn_sign),
						   SL_FN_V("value DECIMAL", "INT", fn_sign),
						   { 0 } } },
	ONE_DOUBLE("SIN", fn_sin, "Returns the sine of its argument (radians)."),
	ONE_DOUBLE("SINH", fn_sinh, "Returns the hyperbolic sine of its argument."),
	ONE_DOUBLE("SQRT", fn_sqrt, "Returns the positive square root of its argument."),
	ONE_DOUBLE("TAN", fn_tan, "Returns the tangent of its argument (radians)."),
	ONE_DOUBLE("TANH", fn_tanh, "Returns the hyperbolic tangent of its argument."),
	{ .name = "TRUNC",
	  .category = "MATHEMATICAL",
	  .description = "Truncates a value to the number of decimal places as specified by scale "
			 "to the right of the decimal point. If scale is negative then value is "
			 "truncated to the right of the decimal point.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("value INT", "BIGINT", fn_trunc_long),
			  SL_FN_V("value BIGINT", "BIGINT", fn_trunc_long),
			  SL_FN_V("value DOUBLE", "BIGINT", fn_trunc_long),
			  SL_FN_V("value DOUBLE, places INT", "DOUBLE", fn_trunc_double_places),
			  SL_FN_V("value DECIMAL", "DECIMAL", fn_trunc_decimal,
				  .resolve = resolve_decimal_integral),
			  SL_FN_V("value DECIMAL, places INT", "DECIMAL", fn_trunc_decimal,
				  .resolve = resolve_same_decimal),
			  { 0 } } },
	{ 0 }
};

void
sl_fn_math_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, math_defs);
}
