/*
 * value.c: runtime SQL values (see value.h): construction, deep copy,
 * comparison, hashing and ksqlDB-compatible rendering (JSON, text).
 *
 * Stage: expr.  Nothing here allocates except into the caller's arena or
 * strbuf.
 */
#include "expr/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "expr/decimal.h"

sl_value_t
sl_value_string_copy(sl_arena_t *a, const char *s, int32_t len)
{
	return sl_value_string(sl_arena_strndup(a, s, (size_t)len), len);
}

sl_value_t
sl_value_list(sl_arena_t *a, sl_tkind_t kind, int32_t n)
{
	sl_value_t v = { .kind = (uint8_t)kind };
	sl_vlist_t *l = sl_arena_alloc(a, sizeof(*l));
	int32_t items = kind == SL_T_MAP ? 2 * n : n;

	l->n = n;
	l->items = items > 0 ? sl_arena_calloc(a, sizeof(sl_value_t) * (size_t)items) : NULL;
	v.u.list = l;
	return v;
}

static int32_t
list_items(const sl_value_t *v)
{
	return v->kind == SL_T_MAP ? 2 * v->u.list->n : v->u.list->n;
}

sl_value_t
sl_value_copy(sl_arena_t *a, const sl_value_t *v)
{
	sl_value_t c = *v;

	switch (v->kind) {
	case SL_T_STRING:
	case SL_T_BYTES:
		c.u.s.ptr = sl_arena_strndup(a, v->u.s.ptr, (size_t)v->u.s.len);
		break;
	case SL_T_ARRAY:
	case SL_T_MAP:
	case SL_T_STRUCT:
		c = sl_value_list(a, (sl_tkind_t)v->kind, v->u.list->n);
		for (int32_t i = 0; i < list_items(v); i++)
			c.u.list->items[i] = sl_value_copy(a, &v->u.list->items[i]);
		break;
	default:
		break;
	}
	return c;
}

char *
sl_value_cstr(sl_arena_t *a, const sl_value_t *v)
{
	return sl_arena_strndup(a, v->u.s.ptr, (size_t)v->u.s.len);
}

/* ---- comparison -------------------------------------------------------- */

static bool
is_num(int k)
{
	return k == SL_T_INT || k == SL_T_BIGINT || k == SL_T_DECIMAL || k == SL_T_DOUBLE;
}

static double
num_double(const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_INT:
		return v->u.i;
	case SL_T_BIGINT:
		return (double)v->u.l;
	case SL_T_DECIMAL:
		return sl_dec_to_double(v->u.dec, v->scale);
	default:
		return v->u.d;
	}
}

/* v as an unscaled decimal with its scale (INT/BIGINT: scale 0). */
static __int128
num_dec(const sl_value_t *v, int *scale)
{
	if (v->kind == SL_T_DECIMAL) {
		*scale = v->scale;
		return v->u.dec;
	}
	*scale = 0;
	return v->kind == SL_T_INT ? v->u.i : v->u.l;
}

static int
cmp_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) ? (isnan(b) ? 0 : 1) : -1;
	return a < b ? -1 : a > b ? 1 : 0;
}

static int
cmp_num(const sl_value_t *a, const sl_value_t *b)
{
	if (a->kind == SL_T_DOUBLE || b->kind == SL_T_DOUBLE)
		return cmp_double(num_double(a), num_double(b));
	if (a->kind != SL_T_DECIMAL && b->kind != SL_T_DECIMAL) {
		int64_t x = a->kind == SL_T_INT ? a->u.i : a->u.l;
		int64_t y = b->kind == SL_T_INT ? b->u.i : b->u.l;
		return x < y ? -1 : x > y ? 1 : 0;
	}
	int sa, sb;
	__int128 x = num_dec(a, &sa), y = num_dec(b, &sb);
	int s = sa > sb ? sa : sb;
	if (sl_dec_rescale(x, sa, s, &x) != 0 || sl_dec_rescale(y, sb, s, &y) != 0)
		return cmp_double(num_double(a), num_double(b));
	return x < y ? -1 : x > y ? 1 : 0;
}

static int
cmp_bytes(const sl_value_t *a, const sl_value_t *b)
{
	int32_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
	int c = n > 0 ? memcmp(a->u.s.ptr, b->u.s.ptr, (size_t)n) : 0;

	if (c != 0)
		return c < 0 ? -1 : 1;
	return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len ? 1 : 0;
}

/* The entry index of the smallest key of map m greater than after (NULL:
 * the smallest), or -1. */
static int32_t
map_next_key(const sl_value_t *m, const sl_value_t *after)
{
	int32_t best = -1;

	for (int32_t i = 0; i < m->u.list->n; i++) {
		const sl_value_t *k = &m->u.list->items[2 * i];
		if (after != NULL && sl_value_compare(k, after) <= 0)
			continue;
		if (best < 0 || sl_value_compare(k, &m->u.list->items[2 * best]) < 0)
			best = i;
	}
	return best;
}

static int
cmp_map(const sl_value_t *a, const sl_value_t *b)
{
	const sl_value_t *ka = NULL, *kb = NULL;

	/* Compare the entry sequences in key order: order-independent, no
	 * allocation; quadratic, but maps are small and rarely compared. */
	for (;;) {
		int32_t ia = map_next_key(a, ka), ib = map_next_key(b, kb);
		int c;

		if (ia < 0 || ib < 0)
			return ia < 0 ? (ib < 0 ? 0 : -1) : 1;
		ka = &a->u.list->items[2 * ia];
		kb = &b->u.list->items[2 * ib];
		c = sl_value_compare(ka, kb);
		if (c != 0)
			return c;
		c = sl_value_compare(ka + 1, kb + 1);
		if (c != 0)
			return c;
	}
}

int
sl_value_compare(const sl_value_t *a, const sl_value_t *b)
{
	if (a->kind == SL_T_NULL || b->kind == SL_T_NULL)
		return a->kind == SL_T_NULL ? (b->kind == SL_T_NULL ? 0 : -1) : 1;
	if (is_num(a->kind) && is_num(b->kind))
		return cmp_num(a, b);
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case SL_T_BOOLEAN:
		return (int)a->u.b - (int)b->u.b;
	case SL_T_DATE:
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i ? 1 : 0;
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		return a->u.l < b->u.l ? -1 : a->u.l > b->u.l ? 1 : 0;
	case SL_T_STRING:
	case SL_T_BYTES:
		return cmp_bytes(a, b);
	case SL_T_MAP:
		return cmp_map(a, b);
	case SL_T_ARRAY:
	case SL_T_STRUCT: {
		int32_t n = a->u.list->n < b->u.list->n ? a->u.list->n : b->u.list->n;
		for (int32_t i = 0; i < n; i++) {
			int c = sl_value_compare(&a->u.list->items[i], &b->u.list->items[i]);
			if (c != 0)
				return c;
		}
		return a->u.list->n < b->u.list->n ? -1 : a->u.list->n > b->u.list->n ? 1 : 0;
	}
	default:
		return 0;
	}
}

bool
sl_value_equal(const sl_value_t *a, const sl_value_t *b)
{
	if (a->kind == SL_T_NULL || b->kind == SL_T_NULL)
		return false;
	if (a->kind == SL_T_DOUBLE && b->kind == SL_T_DOUBLE)
		return a->u.d == b->u.d;
	if (a->kind == SL_T_MAP && b->kind == SL_T_MAP) {
		/* Cheaper than the ordering: same size, each entry found. */
		if (a->u.list->n != b->u.list->n)
			return false;
		for (int32_t i = 0; i < a->u.list->n; i++) {
			const sl_value_t *v = sl_value_map_get(b, &a->u.list->items[2 * i]);
			if (v == NULL || sl_value_compare(v, &a->u.list->items[2 * i + 1]) != 0)
				return false;
		}
		return true;
	}
	/* Inside collections NULL equals NULL (ksqlDB compares them as Java
	 * lists and maps do). */
	return sl_value_compare(a, b) == 0;
}

const sl_value_t *
sl_value_map_get(const sl_value_t *m, const sl_value_t *key)
{
	if (m == NULL || m->kind != SL_T_MAP)
		return NULL;
	for (int32_t i = 0; i < m->u.list->n; i++) {
		const sl_value_t *k = &m->u.list->items[2 * i];
		if (sl_value_compare(k, key) == 0)
			return k + 1;
	}
	return NULL;
}

/* ---- hashing ----------------------------------------------------------- */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
hash_bytes(const char *p, int32_t n, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	for (int32_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h);
}

/* Numbers that compare equal hash equal: integral values (of any numeric
 * kind) hash as int64, others as the double they convert to. */
static uint64_t
hash_num(const sl_value_t *v)
{
	double d;

	switch (v->kind) {
	case SL_T_INT:
		return mix64((uint64_t)(int64_t)v->u.i);
	case SL_T_BIGINT:
		return mix64((uint64_t)v->u.l);
	case SL_T_DECIMAL: {
		__int128 p = sl_dec_pow10(v->scale);
		if (v->u.dec % p == 0) {
			__int128 q = v->u.dec / p;
			if (q >= INT64_MIN && q <= INT64_MAX)
				return mix64((uint64_t)(int64_t)q);
		}
		d = sl_dec_to_double(v->u.dec, v->scale);
		break;
	}
	default:
		d = v->u.d;
		break;
	}
	if (isnan(d))
		return mix64(0x7ff8000000000000ULL);
	if (d == floor(d) && d >= -9.2e18 && d <= 9.2e18)
		return mix64((uint64_t)(int64_t)d);
	uint64_t bits;
	memcpy(&bits, &d, sizeof(bits));
	return mix64(bits);
}

uint64_t
sl_value_hash(const sl_value_t *v)
{
	uint64_t h;

	switch (v->kind) {
	case SL_T_NULL:
		return 0x9e3779b97f4a7c15ULL;
	case SL_T_INT:
	case SL_T_BIGINT:
	case SL_T_DECIMAL:
	case SL_T_DOUBLE:
		return hash_num(v);
	case SL_T_BOOLEAN:
		return mix64(v->u.b ? 0x51 : 0x50);
	case SL_T_DATE:
		return mix64((uint64_t)(int64_t)v->u.i ^ 0xd1);
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		return mix64((uint64_t)v->u.l ^ ((uint64_t)v->kind << 56));
	case SL_T_STRING:
	case SL_T_BYTES:
		return hash_bytes(v->u.s.ptr, v->u.s.len, v->kind);
	case SL_T_MAP:
		/* order-independent */
		h = mix64((uint64_t)v->u.list->n ^ 0x3a9);
		for (int32_t i = 0; i < v->u.list->n; i++)
			h += mix64(sl_value_hash(&v->u.list->items[2 * i]) * 31 +
				   sl_value_hash(&v->u.list->items[2 * i + 1]));
		return h;
	case SL_T_ARRAY:
	case SL_T_STRUCT:
		h = mix64((uint64_t)v->u.list->n ^ ((uint64_t)v->kind << 40));
		for (int32_t i = 0; i < v->u.list->n; i++)
			h = mix64(h * 31 + sl_value_hash(&v->u.list->items[i]));
		return h;
	default:
		return 0;
	}
}

/* ---- dates and times --------------------------------------------------- */

/* Howard Hinnant's civil-date algorithms. */
int64_t
sl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
sl_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* java.time's year: four digits, a sign beyond 9999. */
static int
put_year(char *buf, size_t size, int64_t y)
{
	if (y > 9999)
		return snprintf(buf, size, "+%lld", (long long)y);
	if (y < 0)
		return snprintf(buf, size, "-%04lld", (long long)-y);
	return snprintf(buf, size, "%04lld", (long long)y);
}

static int
date_chars(char *buf, size_t size, int64_t days)
{
	int64_t y;
	unsigned m, d;
	int n;

	sl_civil_from_days(days, &y, &m, &d);
	n = put_year(buf, size, y);
	return n + snprintf(buf + n, size - (size_t)n, "-%02u-%02u", m, d);
}

static int
timestamp_chars(char *buf, size_t size, int64_t ms)
{
	int64_t days = floor_div(ms, 86400000);
	int64_t rem = ms - days * 86400000;
	int n = date_chars(buf, size, days);

	return n + snprintf(buf + n, size - (size_t)n, "T%02d:%02d:%02d.%03d", (int)(rem / 3600000),
			    (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
}

static int
time_chars(char *buf, size_t size, int64_t ms)
{
	int64_t rem = ms - floor_div(ms, 86400000) * 86400000;
	int s = (int)(rem / 1000 % 60), f = (int)(rem % 1000);
	int n = snprintf(buf, size, "%02d:%02d", (int)(rem / 3600000), (int)(rem / 60000 % 60));

	if (s != 0 || f != 0)
		n += snprintf(buf + n, size - (size_t)n, ":%02d", s);
	if (f != 0)
		n += snprintf(buf + n, size - (size_t)n, ".%03d", f);
	return n;
}

int
sl_format_temporal(char *buf, size_t size, const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_TIMESTAMP:
		return timestamp_chars(buf, size, v->u.l);
	case SL_T_DATE:
		return date_chars(buf, size, v->u.i);
	case SL_T_TIME:
		return time_chars(buf, size, v->u.l);
	default:
		return snprintf(buf, size, "null");
	}
}

void
sl_format_date(sl_strbuf_t *out, int64_t days)
{
	char buf[48];
	sl_strbuf_append(out, buf, (size_t)date_chars(buf, sizeof(buf), days));
}

void
sl_format_timestamp(sl_strbuf_t *out, int64_t ms)
{
	char buf[48];
	sl_strbuf_append(out, buf, (size_t)timestamp_chars(buf, sizeof(buf), ms));
}

void
sl_format_time(sl_strbuf_t *out, int64_t ms)
{
	char buf[48];
	sl_strbuf_append(out, buf, (size_t)time_chars(buf, sizeof(buf), ms));
}

/* ---- rendering --------------------------------------------------------- */

void
sl_base64_encode(sl_strbuf_t *out, const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		char c[4] = { tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63] };
		sl_strbuf_append(out, c, 4);
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		char c[4] = { tab[v >> 18], tab[(v >> 12) & 63],
			      i + 1 < n ? tab[(v >> 6) & 63] : '=', '=' };
		sl_strbuf_append(out, c, 4);
	}
}

static void
json_string(sl_strbuf_t *out, const char *p, int32_t n)
{
	int32_t start = 0;

	sl_strbuf_putc(out, '"');
	for (int32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *esc = NULL;
		char ubuf[8];

		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c < 0x20) {
			switch (c) {
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			case '\b':
				esc = "\\b";
				break;
			case '\f':
				esc = "\\f";
				break;
			default:
				snprintf(ubuf, sizeof(ubuf), "\\u%04X", c);
				esc = ubuf;
				break;
			}
		}
		if (esc != NULL) {
			sl_strbuf_append(out, p + start, (size_t)(i - start));
			sl_strbuf_puts(out, esc);
			start = i + 1;
		}
	}
	sl_strbuf_append(out, p + start, (size_t)(n - start));
	sl_strbuf_putc(out, '"');
}

static void
put_double(sl_strbuf_t *out, double d, bool json)
{
	char buf[40];

	sl_double_format(buf, sizeof(buf), d);
	if (json && !isfinite(d)) {
		/* Jackson quotes non-numeric numbers */
		sl_strbuf_putc(out, '"');
		sl_strbuf_puts(out, buf);
		sl_strbuf_putc(out, '"');
	} else {
		sl_strbuf_puts(out, buf);
	}
}

static void
put_decimal(sl_strbuf_t *out, const sl_value_t *v)
{
	char buf[48];

	sl_dec_format(buf, sizeof(buf), v->u.dec, v->scale);
	sl_strbuf_puts(out, buf);
}

static void
put_scalar_text(sl_strbuf_t *out, const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_BOOLEAN:
		sl_strbuf_puts(out, v->u.b ? "true" : "false");
		break;
	case SL_T_INT:
		sl_strbuf_printf(out, "%d", v->u.i);
		break;
	case SL_T_BIGINT:
		sl_strbuf_printf(out, "%lld", (long long)v->u.l);
		break;
	case SL_T_DOUBLE:
		put_double(out, v->u.d, false);
		break;
	case SL_T_DECIMAL:
		put_decimal(out, v);
		break;
	case SL_T_TIMESTAMP:
		sl_format_timestamp(out, v->u.l);
		break;
	case SL_T_DATE:
		sl_format_date(out, v->u.i);
		break;
	case SL_T_TIME:
		sl_format_time(out, v->u.l);
		break;
	case SL_T_STRING:
		sl_strbuf_append(out, v->u.s.ptr, (size_t)v->u.s.len);
		break;
	case SL_T_BYTES:
		sl_base64_encode(out, (const unsigned char *)v->u.s.ptr, (size_t)v->u.s.len);
		break;
	default:
		sl_strbuf_puts(out, "null");
		break;
	}
}

static const sl_type_t *
elem_type(const sl_type_t *t, int which, int i)
{
	if (t == NULL)
		return NULL;
	if (t->kind == SL_T_STRUCT)
		return i < t->nfields ? t->fields[i].type : NULL;
	return which == 0 ? t->key : t->elem;
}

void
sl_value_format_json(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t)
{
	switch (v->kind) {
	case SL_T_NULL:
		sl_strbuf_puts(out, "null");
		break;
	case SL_T_DOUBLE:
		put_double(out, v->u.d, true);
		break;
	case SL_T_STRING:
		json_string(out, v->u.s.ptr, v->u.s.len);
		break;
	case SL_T_BYTES:
		sl_strbuf_putc(out, '"');
		sl_base64_encode(out, (const unsigned char *)v->u.s.ptr, (size_t)v->u.s.len);
		sl_strbuf_putc(out, '"');
		break;
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		sl_strbuf_printf(out, "%lld", (long long)v->u.l);
		break;
	case SL_T_DATE:
		sl_strbuf_printf(out, "%d", v->u.i);
		break;
	case SL_T_ARRAY:
		sl_strbuf_putc(out, '[');
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i > 0)
				sl_strbuf_putc(out, ',');
			sl_value_format_json(out, &v->u.list->items[i], elem_type(t, 1, i));
		}
		sl_strbuf_putc(out, ']');
		break;
	case SL_T_MAP:
		sl_strbuf_putc(out, '{');
		for (int32_t i = 0; i < v->u.list->n; i++) {
			const sl_value_t *k = &v->u.list->items[2 * i];
			if (i > 0)
				sl_strbuf_putc(out, ',');
			if (k->kind == SL_T_STRING) {
				json_string(out, k->u.s.ptr, k->u.s.len);
			} else {
				sl_strbuf_t kb;
				sl_strbuf_init(&kb);
				put_scalar_text(&kb, k);
				json_string(out, kb.data, (int32_t)kb.len);
				sl_strbuf_free(&kb);
			}
			sl_strbuf_putc(out, ':');
			sl_value_format_json(out, k + 1, elem_type(t, 1, i));
		}
		sl_strbuf_putc(out, '}');
		break;
	case SL_T_STRUCT:
		sl_strbuf_putc(out, '{');
		for (int32_t i = 0; i < v->u.list->n; i++) {
			const char *name = t != NULL && i < t->nfields ? t->fields[i].name : "?";
			if (i > 0)
				sl_strbuf_putc(out, ',');
			json_string(out, name, (int32_t)strlen(name));
			sl_strbuf_putc(out, ':');
			sl_value_format_json(out, &v->u.list->items[i], elem_type(t, 1, i));
		}
		sl_strbuf_putc(out, '}');
		break;
	default:
		put_scalar_text(out, v);
		break;
	}
}

void
sl_value_format_text(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t)
{
	switch (v->kind) {
	case SL_T_ARRAY:
		sl_strbuf_putc(out, '[');
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i > 0)
				sl_strbuf_puts(out, ", ");
			sl_value_format_text(out, &v->u.list->items[i], elem_type(t, 1, i));
		}
		sl_strbuf_putc(out, ']');
		break;
	case SL_T_MAP:
		sl_strbuf_putc(out, '{');
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i > 0)
				sl_strbuf_puts(out, ", ");
			sl_value_format_text(out, &v->u.list->items[2 * i], elem_type(t, 0, i));
			sl_strbuf_putc(out, '=');
			sl_value_format_text(out, &v->u.list->items[2 * i + 1], elem_type(t, 1, i));
		}
		sl_strbuf_putc(out, '}');
		break;
	case SL_T_STRUCT: {
		bool first = true;

		/* as Kafka Connect's Struct.toString(): NULL fields left out */
		sl_strbuf_puts(out, "Struct{");
		for (int32_t i = 0; i < v->u.list->n; i++) {
			const sl_value_t *f = &v->u.list->items[i];
			if (f->kind == SL_T_NULL)
				continue;
			if (!first)
				sl_strbuf_putc(out, ',');
			first = false;
			sl_strbuf_puts(out, t != NULL && i < t->nfields ? t->fields[i].name : "?");
			sl_strbuf_putc(out, '=');
			sl_value_format_text(out, f, elem_type(t, 1, i));
		}
		sl_strbuf_putc(out, '}');
		break;
	}
	default:
		put_scalar_text(out, v);
		break;
	}
}
