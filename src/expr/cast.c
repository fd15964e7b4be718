/*
 * cast.c: explicit and implicit conversions between SQL types (see
 * cast.h).
 *
 * Stage: expr.  Runs at compile time (typing, literal coercion) and per
 * record (sl_cast_value); the per-record path allocates only results, in
 * the caller's arena.
 */
#include "expr/cast.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr/decimal.h"

/* ---- type rules -------------------------------------------------------- */

static bool
is_numeric_kind(sl_tkind_t k)
{
	return k == SL_T_INT || k == SL_T_BIGINT || k == SL_T_DECIMAL || k == SL_T_DOUBLE;
}

static int
struct_field_exact(const sl_type_t *t, const char *name)
{
	for (int i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return i;
	return -1;
}

bool
sl_cast_allowed(const sl_type_t *from, const sl_type_t *to)
{
	sl_tkind_t f = from->kind, t = to->kind;

	if (f == SL_T_NULL || sl_type_equal(from, to))
		return true;
	if (t == SL_T_NULL)
		return false;
	if (t == SL_T_STRING)
		return f != SL_T_BYTES;
	if (is_numeric_kind(f) && is_numeric_kind(t))
		return true;
	switch (f) {
	case SL_T_STRING:
		return t == SL_T_BOOLEAN || is_numeric_kind(t) || t == SL_T_TIMESTAMP ||
		       t == SL_T_DATE || t == SL_T_TIME || t == SL_T_BYTES;
	case SL_T_TIMESTAMP:
		return t == SL_T_DATE || t == SL_T_TIME;
	case SL_T_DATE:
		return t == SL_T_TIMESTAMP;
	case SL_T_ARRAY:
		return t == SL_T_ARRAY && sl_cast_allowed(from->elem, to->elem);
	case SL_T_MAP:
		return t == SL_T_MAP && sl_cast_allowed(from->key, to->key) &&
		       sl_cast_allowed(from->elem, to->elem);
	case SL_T_STRUCT:
		if (t != SL_T_STRUCT)
			return false;
		for (int i = 0; i < from->nfields; i++) {
			int j = struct_field_exact(to, from->fields[i].name);
			if (j >= 0 && !sl_cast_allowed(from->fields[i].type, to->fields[j].type))
				return false;
		}
		return true;
	default:
		return false;
	}
}

static int
num_rank(sl_tkind_t k)
{
	switch (k) {
	case SL_T_INT:
		return 1;
	case SL_T_BIGINT:
		return 2;
	case SL_T_DECIMAL:
		return 3;
	case SL_T_DOUBLE:
		return 4;
	default:
		return 0;
	}
}

const sl_type_t *
sl_type_as_decimal(sl_arena_t *a, const sl_type_t *t)
{
	switch (t->kind) {
	case SL_T_INT:
		return sl_type_decimal(a, 10, 0);
	case SL_T_BIGINT:
		return sl_type_decimal(a, 19, 0);
	case SL_T_DECIMAL:
		return t;
	default:
		return NULL;
	}
}

bool
sl_cast_implicit(const sl_type_t *from, const sl_type_t *to)
{
	sl_tkind_t f = from->kind, t = to->kind;

	if (f == SL_T_NULL || sl_type_equal(from, to))
		return true;
	if (num_rank(f) && num_rank(t)) {
		if (t == SL_T_DECIMAL) {
			int p, s;
			if (f == SL_T_DOUBLE)
				return false;
			p = f == SL_T_INT ? 10 : f == SL_T_BIGINT ? 19 : from->precision;
			s = f == SL_T_DECIMAL ? from->scale : 0;
			return to->scale >= s && to->precision - to->scale >= p - s;
		}
		return num_rank(f) <= num_rank(t);
	}
	if (f == SL_T_DATE && t == SL_T_TIMESTAMP)
		return true;
	if (f != t)
		return false;
	switch (f) {
	case SL_T_ARRAY:
		return sl_cast_implicit(from->elem, to->elem);
	case SL_T_MAP:
		return sl_cast_implicit(from->key, to->key) &&
		       sl_cast_implicit(from->elem, to->elem);
	case SL_T_STRUCT:
		for (int i = 0; i < from->nfields; i++) {
			int j = struct_field_exact(to, from->fields[i].name);
			if (j < 0 || !sl_cast_implicit(from->fields[i].type, to->fields[j].type))
				return false;
		}
		return true;
	default:
		return false;
	}
}

static const sl_type_t *
common_decimal(sl_arena_t *a, const sl_type_t *x, const sl_type_t *y)
{
	const sl_type_t *dx = sl_type_as_decimal(a, x), *dy = sl_type_as_decimal(a, y);
	int s = dx->scale > dy->scale ? dx->scale : dy->scale;
	int ix = dx->precision - dx->scale, iy = dy->precision - dy->scale;
	int p = (ix > iy ? ix : iy) + s;

	if (p > SL_DECIMAL_MAX_PRECISION)
		p = SL_DECIMAL_MAX_PRECISION;
	if (dx->precision == p && dx->scale == s)
		return dx;
	if (dy->precision == p && dy->scale == s)
		return dy;
	return sl_type_decimal(a, p, s);
}

const sl_type_t *
sl_type_common(sl_arena_t *a, const sl_type_t *x, const sl_type_t *y)
{
	if (x->kind == SL_T_NULL)
		return y;
	if (y->kind == SL_T_NULL || sl_type_equal(x, y))
		return x;
	if (num_rank(x->kind) && num_rank(y->kind)) {
		int rx = num_rank(x->kind), ry = num_rank(y->kind);
		if (rx == 4 || ry == 4)
			return sl_type_double();
		if (rx == 3 || ry == 3)
			return common_decimal(a, x, y);
		return rx > ry ? x : y;
	}
	if ((x->kind == SL_T_DATE && y->kind == SL_T_TIMESTAMP) ||
	    (x->kind == SL_T_TIMESTAMP && y->kind == SL_T_DATE))
		return sl_type_timestamp();
	if (x->kind != y->kind)
		return NULL;
	switch (x->kind) {
	case SL_T_ARRAY: {
		const sl_type_t *e = sl_type_common(a, x->elem, y->elem);
		return e ? sl_type_array(a, e) : NULL;
	}
	case SL_T_MAP: {
		const sl_type_t *k = sl_type_common(a, x->key, y->key);
		const sl_type_t *v = sl_type_common(a, x->elem, y->elem);
		return k && v ? sl_type_map(a, k, v) : NULL;
	}
	case SL_T_STRUCT: {
		/* the union of the fields, in order of first appearance */
		int n = x->nfields;
		sl_field_t *f =
			sl_arena_alloc(a, sizeof(*f) * (size_t)(x->nfields + y->nfields + 1));

		for (int i = 0; i < x->nfields; i++) {
			int j = struct_field_exact(y, x->fields[i].name);
			f[i] = x->fields[i];
			if (j >= 0) {
				f[i].type = sl_type_common(a, x->fields[i].type, y->fields[j].type);
				if (f[i].type == NULL)
					return NULL;
			}
		}
		for (int j = 0; j < y->nfields; j++)
			if (struct_field_exact(x, y->fields[j].name) < 0)
				f[n++] = y->fields[j];
		return sl_type_struct(a, f, n);
	}
	default:
		return NULL;
	}
}

/* ---- parsers ----------------------------------------------------------- */

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Reads exactly n digits at s[*i]. */
static bool
digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0;

	if (*i + (size_t)n > len)
		return false;
	for (int k = 0; k < n; k++) {
		char c = s[*i + (size_t)k];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)n;
	*out = v;
	return true;
}

static bool
valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return true;
}

/* yyyy[-MM[-dd]] at s[*i]; full requires all three parts. */
static bool
parse_date_part(const char *s, size_t len, size_t *i, bool full, int64_t *days)
{
	int y, m = 1, d = 1;

	if (!digits(s, len, i, 4, &y))
		return false;
	if (*i < len && s[*i] == '-') {
		(*i)++;
		if (!digits(s, len, i, 2, &m))
			return false;
		if (*i < len && s[*i] == '-') {
			(*i)++;
			if (!digits(s, len, i, 2, &d))
				return false;
		} else if (full) {
			return false;
		}
	} else if (full) {
		return false;
	}
	if (!valid_date(y, m, d))
		return false;
	*days = sl_days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

/* HH[:mm[:ss[.fff]]] at s[*i] (min_parts: 1 or 2). */
static bool
parse_time_part(const char *s, size_t len, size_t *i, int min_parts, int64_t *ms)
{
	int h, mi = 0, sec = 0, frac = 0, parts = 1;

	if (!digits(s, len, i, 2, &h))
		return false;
	if (*i < len && s[*i] == ':') {
		(*i)++;
		if (!digits(s, len, i, 2, &mi))
			return false;
		parts++;
		if (*i < len && s[*i] == ':') {
			(*i)++;
			if (!digits(s, len, i, 2, &sec))
				return false;
			parts++;
			if (*i < len && s[*i] == '.') {
				int nd = 0;
				(*i)++;
				while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
					if (nd < 3)
						frac = frac * 10 + (s[*i] - '0');
					nd++;
					(*i)++;
				}
				if (nd == 0 || nd > 9)
					return false;
				for (; nd < 3; nd++)
					frac *= 10;
			}
		}
	}
	if (parts < min_parts || h > 23 || mi > 59 || sec > 59)
		return false;
	*ms = ((int64_t)h * 3600 + mi * 60 + sec) * 1000 + frac;
	return true;
}

int
sl_parse_date(const char *s, size_t len, int32_t *days)
{
	size_t i = 0;
	int64_t d;

	trim(&s, &len);
	if (!parse_date_part(s, len, &i, false, &d) || i != len)
		return SL_EINVAL;
	*days = (int32_t)d;
	return SL_OK;
}

int
sl_parse_time(const char *s, size_t len, int64_t *ms)
{
	size_t i = 0;

	trim(&s, &len);
	if (!parse_time_part(s, len, &i, 2, ms) || i != len)
		return SL_EINVAL;
	return SL_OK;
}

int
sl_parse_timestamp(const char *s, size_t len, int64_t *ms)
{
	size_t i = 0;
	int64_t days, tod = 0, off = 0;

	trim(&s, &len);
	if (memchr(s, 'T', len) == NULL) {
		if (!parse_date_part(s, len, &i, false, &days) || i != len)
			return SL_EINVAL;
		*ms = days * 86400000;
		return SL_OK;
	}
	if (!parse_date_part(s, len, &i, true, &days) || i >= len || s[i] != 'T')
		return SL_EINVAL;
	i++;
	if (i < len && s[i] >= '0' && s[i] <= '9' && !parse_time_part(s, len, &i, 1, &tod))
		return SL_EINVAL;
	if (i < len && s[i] == 'Z') {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1, hh, mm = 0;
		i++;
		if (!digits(s, len, &i, 2, &hh))
			return SL_EINVAL;
		if (i < len && s[i] == ':')
			i++;
		if (i < len && !digits(s, len, &i, 2, &mm))
			return SL_EINVAL;
		if (hh > 18 || mm > 59)
			return SL_EINVAL;
		off = sign * ((int64_t)hh * 3600 + mm * 60) * 1000;
	}
	if (i != len)
		return SL_EINVAL;
	*ms = days * 86400000 + tod - off;
	return SL_OK;
}

static bool
prefix_ci(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);
	return len > 0 && len <= wl && strncasecmp(s, word, len) == 0;
}

int
sl_parse_bool_exact(const char *s, size_t len, bool *b)
{
	if (prefix_ci(s, len, "true") || prefix_ci(s, len, "yes")) {
		*b = true;
		return SL_OK;
	}
	if (prefix_ci(s, len, "false") || prefix_ci(s, len, "no")) {
		*b = false;
		return SL_OK;
	}
	return SL_EINVAL;
}

/* Java's Integer.parseInt / Long.parseLong: [+-]digits, range-checked. */
static bool
parse_integer(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0, lim;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	if (i == len)
		return false;
	lim = neg ? (uint64_t)0 - (uint64_t)lo : (uint64_t)hi;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
	return true;
}

static bool
parse_double(const char *s, size_t len, double *out)
{
	char buf[128];
	char *end;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* Java accepts a trailing d/D/f/F */
	if (len > 1 && strchr("dDfF", buf[len - 1]) != NULL)
		buf[len - 1] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (*end != '\0' || end == buf)
		return false;
	/* ksqlDB rejects NaN and Infinity, and overflow */
	if (!isfinite(*out))
		return false;
	return true;
}

static const char *
type_name(const sl_type_t *t, char *buf, size_t size)
{
	return sl_type_str(t, buf, size);
}

static int
syntax_error(sl_error_t *err, const sl_type_t *to, const char *s, size_t len)
{
	char tn[64];
	int n = len > 200 ? 200 : (int)len;

	return sl_error_set(err, SL_EINVAL, "invalid input syntax for type %s: \"%.*s\"",
			    type_name(to, tn, sizeof(tn)), n, s);
}

static int
overflow_error(sl_error_t *err, const sl_type_t *to)
{
	return sl_error_set(err, SL_EINVAL,
			    "numeric field overflow: a field with precision %d and scale %d must "
			    "round to an absolute value less than 10^%d",
			    to->precision, to->scale, to->precision - to->scale);
}

static int
decimal_to(__int128 u, int scale, const sl_type_t *to, sl_value_t *out, sl_error_t *err)
{
	__int128 r;

	if (sl_dec_rescale(u, scale, to->scale, &r) != SL_OK || !sl_dec_fits(r, to->precision))
		return overflow_error(err, to);
	*out = sl_value_decimal(r, to->precision, to->scale);
	return SL_OK;
}

static int64_t
double_to_long(double d)
{
	if (isnan(d))
		return 0;
	if (d >= 9223372036854775807.0)
		return INT64_MAX;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

static int32_t
double_to_int(double d)
{
	if (isnan(d))
		return 0;
	if (d >= 2147483647.0)
		return INT32_MAX;
	if (d <= -2147483648.0)
		return INT32_MIN;
	return (int32_t)d;
}

/* BigDecimal.longValue(): truncate, then the low 64 bits. */
static int64_t
decimal_to_long(__int128 u, int scale)
{
	__int128 q = u / sl_dec_pow10(scale);
	return (int64_t)(uint64_t)(unsigned __int128)q;
}

/* Scalars are formatted on the stack (no malloc per record); composite
 * values go through a strbuf. */
static int
cast_to_string(const sl_value_t *v, const sl_type_t *from, sl_arena_t *a, sl_value_t *out)
{
	char buf[64];
	int n;
	sl_strbuf_t sb;

	switch (v->kind) {
	case SL_T_INT:
	case SL_T_BIGINT: {
		int64_t x = v->kind == SL_T_INT ? v->u.i : v->u.l;
		uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
		char *p = buf + sizeof(buf);

		do {
			*--p = (char)('0' + u % 10);
			u /= 10;
		} while (u != 0);
		if (x < 0)
			*--p = '-';
		*out = sl_value_string_copy(a, p, (int32_t)(buf + sizeof(buf) - p));
		return SL_OK;
	}
	case SL_T_DOUBLE:
		n = sl_double_format(buf, sizeof(buf), v->u.d);
		break;
	case SL_T_DECIMAL:
		n = sl_dec_format(buf, sizeof(buf), v->u.dec, v->scale);
		break;
	case SL_T_BOOLEAN:
		*out = v->u.b ? sl_value_string("true", 4) : sl_value_string("false", 5);
		return SL_OK;
	case SL_T_TIMESTAMP:
	case SL_T_DATE:
	case SL_T_TIME:
		n = sl_format_temporal(buf, sizeof(buf), v);
		break;
	default:
		sl_strbuf_init(&sb);
		sl_value_format_text(&sb, v, from);
		*out = sl_value_string_copy(a, sb.data, (int32_t)sb.len);
		sl_strbuf_free(&sb);
		return SL_OK;
	}
	*out = sl_value_string_copy(a, buf, n);
	return SL_OK;
}

static int
base64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

static int
base64_decode(const char *s, size_t len, sl_arena_t *a, sl_value_t *out)
{
	char *buf = sl_arena_alloc(a, len / 4 * 3 + 3);
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;

	while (len > 0 && s[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int v = base64_value((unsigned char)s[i]);
		if (v < 0)
			return SL_EINVAL;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	*out = sl_value_bytes(buf, (int32_t)n);
	return SL_OK;
}

static int cast_list(const sl_value_t *v, const sl_type_t *from, const sl_type_t *to, sl_arena_t *a,
		     sl_value_t *out, sl_error_t *err);

int
sl_cast_value(const sl_value_t *v, const sl_type_t *from, const sl_type_t *to, sl_arena_t *a,
	      sl_value_t *out, sl_error_t *err)
{
	sl_tkind_t t = to->kind;
	int rc;

	if (v->kind == SL_T_NULL) {
		*out = sl_value_null();
		return SL_OK;
	}
	if (sl_type_equal(from, to)) {
		*out = *v;
		return SL_OK;
	}
	if (t == SL_T_STRING)
		return cast_to_string(v, from, a, out);
	switch (v->kind) {
	case SL_T_INT:
	case SL_T_BIGINT: {
		int64_t x = v->kind == SL_T_INT ? v->u.i : v->u.l;
		switch (t) {
		case SL_T_INT:
			*out = sl_value_int((int32_t)(uint32_t)(uint64_t)x);
			return SL_OK;
		case SL_T_BIGINT:
			*out = sl_value_bigint(x);
			return SL_OK;
		case SL_T_DOUBLE:
			*out = sl_value_double((double)x);
			return SL_OK;
		case SL_T_DECIMAL:
			return decimal_to(x, 0, to, out, err);
		default:
			break;
		}
		break;
	}
	case SL_T_DOUBLE:
		switch (t) {
		case SL_T_INT:
			*out = sl_value_int(double_to_int(v->u.d));
			return SL_OK;
		case SL_T_BIGINT:
			*out = sl_value_bigint(double_to_long(v->u.d));
			return SL_OK;
		case SL_T_DOUBLE:
			*out = *v;
			return SL_OK;
		case SL_T_DECIMAL: {
			__int128 r;
			if (sl_dec_from_double(v->u.d, to->precision, to->scale, &r) != SL_OK)
				return overflow_error(err, to);
			*out = sl_value_decimal(r, to->precision, to->scale);
			return SL_OK;
		}
		default:
			break;
		}
		break;
	case SL_T_DECIMAL:
		switch (t) {
		case SL_T_INT:
			*out = sl_value_int(
				(int32_t)(uint32_t)(uint64_t)decimal_to_long(v->u.dec, v->scale));
			return SL_OK;
		case SL_T_BIGINT:
			*out = sl_value_bigint(decimal_to_long(v->u.dec, v->scale));
			return SL_OK;
		case SL_T_DOUBLE:
			*out = sl_value_double(sl_dec_to_double(v->u.dec, v->scale));
			return SL_OK;
		case SL_T_DECIMAL:
			return decimal_to(v->u.dec, v->scale, to, out, err);
		default:
			break;
		}
		break;
	case SL_T_STRING: {
		const char *s = v->u.s.ptr;
		size_t len = (size_t)v->u.s.len;
		int64_t x;

		trim(&s, &len);
		switch (t) {
		case SL_T_BOOLEAN:
			/* SqlBooleans.parseBoolean: never fails */
			*out = sl_value_bool(prefix_ci(s, len, "true") || prefix_ci(s, len, "yes"));
			return SL_OK;
		case SL_T_INT:
			if (!parse_integer(s, len, INT32_MIN, INT32_MAX, &x))
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			*out = sl_value_int((int32_t)x);
			return SL_OK;
		case SL_T_BIGINT:
			if (!parse_integer(s, len, INT64_MIN, INT64_MAX, &x))
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			*out = sl_value_bigint(x);
			return SL_OK;
		case SL_T_DOUBLE: {
			double d;
			if (!parse_double(s, len, &d))
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			*out = sl_value_double(d);
			return SL_OK;
		}
		case SL_T_DECIMAL: {
			__int128 u;
			int p, sc;
			if (sl_dec_parse(s, len, &u, &p, &sc) != SL_OK)
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			return decimal_to(u, sc, to, out, err);
		}
		case SL_T_TIMESTAMP:
			if (sl_parse_timestamp(s, len, &x) != SL_OK)
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			*out = sl_value_timestamp(x);
			return SL_OK;
		case SL_T_DATE: {
			int32_t d;
			if (sl_parse_date(s, len, &d) != SL_OK)
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			*out = sl_value_date(d);
			return SL_OK;
		}
		case SL_T_TIME:
			if (sl_parse_time(s, len, &x) != SL_OK)
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			*out = sl_value_time(x);
			return SL_OK;
		case SL_T_BYTES:
			if (base64_decode(s, len, a, out) != SL_OK)
				return syntax_error(err, to, v->u.s.ptr, (size_t)v->u.s.len);
			return SL_OK;
		default:
			break;
		}
		break;
	}
	case SL_T_TIMESTAMP: {
		int64_t days = v->u.l / 86400000;
		if (v->u.l % 86400000 != 0 && v->u.l < 0)
			days--;
		if (t == SL_T_DATE) {
			*out = sl_value_date((int32_t)days);
			return SL_OK;
		}
		if (t == SL_T_TIME) {
			*out = sl_value_time(v->u.l - days * 86400000);
			return SL_OK;
		}
		break;
	}
	case SL_T_DATE:
		if (t == SL_T_TIMESTAMP) {
			*out = sl_value_timestamp((int64_t)v->u.i * 86400000);
			return SL_OK;
		}
		break;
	case SL_T_ARRAY:
	case SL_T_MAP:
	case SL_T_STRUCT:
		if (v->kind == t)
			return cast_list(v, from, to, a, out, err);
		break;
	default:
		break;
	}
	{
		char fb[128], tb[128];
		rc = sl_error_set(err, SL_EINVAL, "cannot cast %s to %s",
				  type_name(from, fb, sizeof(fb)), type_name(to, tb, sizeof(tb)));
	}
	*out = sl_value_null();
	return rc;
}

static int
cast_list(const sl_value_t *v, const sl_type_t *from, const sl_type_t *to, sl_arena_t *a,
	  sl_value_t *out, sl_error_t *err)
{
	const sl_vlist_t *in = v->u.list;
	sl_value_t r;
	int rc;

	switch (to->kind) {
	case SL_T_ARRAY:
		r = sl_value_list(a, SL_T_ARRAY, in->n);
		for (int32_t i = 0; i < in->n; i++) {
			rc = sl_cast_value(&in->items[i], from->elem, to->elem, a,
					   &r.u.list->items[i], err);
			if (rc != SL_OK)
				return rc;
		}
		break;
	case SL_T_MAP:
		r = sl_value_list(a, SL_T_MAP, in->n);
		for (int32_t i = 0; i < 2 * in->n; i++) {
			rc = sl_cast_value(&in->items[i], (i & 1) ? from->elem : from->key,
					   (i & 1) ? to->elem : to->key, a, &r.u.list->items[i],
					   err);
			if (rc != SL_OK)
				return rc;
		}
		break;
	default: /* STRUCT: by field name */
		r = sl_value_list(a, SL_T_STRUCT, to->nfields);
		for (int j = 0; j < to->nfields; j++) {
			int i = struct_field_exact(from, to->fields[j].name);
			if (i < 0 || i >= in->n)
				continue; /* stays NULL */
			rc = sl_cast_value(&in->items[i], from->fields[i].type, to->fields[j].type,
					   a, &r.u.list->items[j], err);
			if (rc != SL_OK)
				return rc;
		}
		break;
	}
	*out = r;
	return SL_OK;
}

/* ---- literal coercion -------------------------------------------------- */

const sl_type_t *
sl_cast_number_type(const char *s, size_t len, sl_arena_t *a)
{
	__int128 u;
	int p, sc;

	if (sl_dec_parse(s, len, &u, &p, &sc) != SL_OK)
		return NULL;
	/* integral values (2e1, 4.000) count as integers */
	while (sc > 0 && u % 10 == 0) {
		u /= 10;
		sc--;
	}
	if (sc == 0) {
		if (u >= INT32_MIN && u <= INT32_MAX)
			return sl_type_int();
		if (u >= INT64_MIN && u <= INT64_MAX)
			return sl_type_bigint();
	}
	p = sl_dec_digits(u);
	return sl_type_decimal(a, p > sc ? p : sc, sc);
}

int
sl_cast_string_literal(const char *s, size_t len, const sl_type_t *to, sl_arena_t *a,
		       sl_value_t *out, sl_error_t *err)
{
	const char *t = s;
	size_t tl = len;
	__int128 u;
	int p, sc;

	trim(&t, &tl);
	switch (to->kind) {
	case SL_T_STRING:
		*out = sl_value_string_copy(a, s, (int32_t)len);
		return SL_OK;
	case SL_T_BOOLEAN: {
		bool b;
		if (sl_parse_bool_exact(t, tl, &b) != SL_OK)
			return syntax_error(err, to, s, len);
		*out = sl_value_bool(b);
		return SL_OK;
	}
	case SL_T_INT:
	case SL_T_BIGINT:
	case SL_T_DECIMAL: {
		__int128 r;
		if (sl_dec_parse(t, tl, &u, &p, &sc) != SL_OK)
			return syntax_error(err, to, s, len);
		if (to->kind == SL_T_DECIMAL)
			return decimal_to(u, sc, to, out, err) == SL_OK ?
				       SL_OK :
				       syntax_error(err, to, s, len);
		if (sl_dec_rescale(u, sc, 0, &r) != SL_OK || r * sl_dec_pow10(sc) != u)
			return syntax_error(err, to, s, len);
		if (to->kind == SL_T_INT) {
			if (r < INT32_MIN || r > INT32_MAX)
				return syntax_error(err, to, s, len);
			*out = sl_value_int((int32_t)r);
		} else {
			if (r < INT64_MIN || r > INT64_MAX)
				return syntax_error(err, to, s, len);
			*out = sl_value_bigint((int64_t)r);
		}
		return SL_OK;
	}
	case SL_T_DOUBLE: {
		double d;
		if (!parse_double(t, tl, &d))
			return syntax_error(err, to, s, len);
		*out = sl_value_double(d);
		return SL_OK;
	}
	case SL_T_TIMESTAMP:
	case SL_T_DATE:
	case SL_T_TIME:
	case SL_T_BYTES: {
		sl_value_t in = sl_value_string(s, (int32_t)len);
		return sl_cast_value(&in, sl_type_string(), to, a, out, err);
	}
	default:
		return syntax_error(err, to, s, len);
	}
}
