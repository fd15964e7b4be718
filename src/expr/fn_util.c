/*
 * fn_util.c: helpers shared by the built-in function library (see
 * fn_util.h).
 *
 * Stage: expr.  Everything here runs on the query's thread and allocates
 * only in the arena it is given; the case-mapping locale is created once
 * per process.
 */
#include "expr/fn_util.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* ---- buffer ------------------------------------------------------------ */

void
sl_fn_buf_init(sl_fn_buf_t *b, sl_arena_t *a, size_t hint)
{
	b->a = a;
	b->len = 0;
	b->cap = hint < 16 ? 16 : hint;
	b->p = sl_arena_alloc(a, b->cap);
}

static void
buf_reserve(sl_fn_buf_t *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	size_t cap = b->cap * 2;
	while (cap < b->len + n)
		cap *= 2;
	char *p = sl_arena_alloc(b->a, cap);
	memcpy(p, b->p, b->len);
	b->p = p;
	b->cap = cap;
}

void
sl_fn_buf_add(sl_fn_buf_t *b, const void *s, size_t n)
{
	if (n == 0)
		return;
	buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void
sl_fn_buf_putc(sl_fn_buf_t *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
}

void
sl_fn_buf_puts(sl_fn_buf_t *b, const char *s)
{
	sl_fn_buf_add(b, s, strlen(s));
}

void
sl_fn_buf_printf(sl_fn_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
sl_fn_buf_utf8(sl_fn_buf_t *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sl_fn_buf_add(b, u, n);
}

sl_value_t
sl_fn_buf_string(const sl_fn_buf_t *b)
{
	return sl_value_string(b->p, (int32_t)b->len);
}

sl_value_t
sl_fn_buf_bytes(const sl_fn_buf_t *b)
{
	return sl_value_bytes(b->p, (int32_t)b->len);
}

/* ---- values ------------------------------------------------------------ */

sl_value_t
sl_fn_str(sl_arena_t *a, const char *s, size_t n)
{
	return sl_value_string_copy(a, s, (int32_t)n);
}

sl_value_t
sl_fn_array(sl_arena_t *a, int32_t n)
{
	return sl_value_list(a, SL_T_ARRAY, n);
}

sl_value_t
sl_fn_map(sl_arena_t *a, int32_t n)
{
	return sl_value_list(a, SL_T_MAP, n);
}

char *
sl_fn_cstr(sl_arena_t *a, const sl_value_t *v)
{
	return sl_arena_strndup(a, v->u.s.ptr, (size_t)v->u.s.len);
}

bool
sl_fn_str_ieq(const sl_value_t *v, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)v->u.s.len != n)
		return false;
	return strncasecmp(v->u.s.ptr, s, n) == 0;
}

double
sl_fn_num_double(const sl_value_t *v)
{
	switch (v->kind) {
	case SL_T_INT:
		return v->u.i;
	case SL_T_BIGINT:
		return (double)v->u.l;
	case SL_T_DECIMAL:
		return sl_dec_to_double(v->u.dec, v->scale);
	case SL_T_DOUBLE:
		return v->u.d;
	default:
		return NAN;
	}
}

/* ---- UTF-8 ------------------------------------------------------------- */

uint32_t
sl_fn_utf8_next(const char *s, int32_t len, int32_t *i)
{
	const unsigned char *u = (const unsigned char *)s;
	int32_t k = *i;
	uint32_t c = u[k];
	int n;
	uint32_t min;
	if (c < 0x80) {
		*i = k + 1;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		n = 1;
		c &= 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2;
		c &= 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		*i = k + 1;
		return 0xFFFD;
	}
	for (int j = 1; j <= n; j++) {
		if (k + j >= len || (u[k + j] & 0xC0) != 0x80) {
			*i = k + 1;
			return 0xFFFD;
		}
		c = (c << 6) | (u[k + j] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*i = k + 1;
		return 0xFFFD;
	}
	*i = k + n + 1;
	return c;
}

int32_t
sl_fn_utf8_count(const char *s, int32_t len)
{
	int32_t n = 0;
	for (int32_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int32_t
sl_fn_utf8_offset(const char *s, int32_t len, int32_t n)
{
	int32_t i = 0;
	while (n > 0 && i < len) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return i;
}

bool
sl_fn_is_java_space(uint32_t cp)
{
	/* Character.isWhitespace: Unicode space separators except the
	 * non-breaking ones, plus \t \n \v \f \r and U+001C..U+001F. */
	if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F))
		return true;
	if (cp == 0x00A0 || cp == 0x2007 || cp == 0x202F)
		return false;
	return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x205F || cp == 0x3000;
}

static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;
static locale_t utf8_locale;

static void
utf8_locale_init(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t
get_utf8_locale(void)
{
	pthread_once(&utf8_once, utf8_locale_init);
	return utf8_locale;
}

uint32_t
sl_fn_upper(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
	locale_t l = get_utf8_locale();
	return l ? (uint32_t)towupper_l((wint_t)cp, l) : cp;
}

uint32_t
sl_fn_lower(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
	locale_t l = get_utf8_locale();
	return l ? (uint32_t)towlower_l((wint_t)cp, l) : cp;
}

bool
sl_fn_is_alpha(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 32) >= 'a' && (cp | 32) <= 'z';
	locale_t l = get_utf8_locale();
	return l ? iswalpha_l((wint_t)cp, l) != 0 : false;
}

bool
sl_fn_is_alnum(uint32_t cp)
{
	if (cp < 0x80)
		return ((cp | 32) >= 'a' && (cp | 32) <= 'z') || (cp >= '0' && cp <= '9');
	locale_t l = get_utf8_locale();
	return l ? iswalnum_l((wint_t)cp, l) != 0 : false;
}

/* ---- decimals ---------------------------------------------------------- */

__int128
sl_fn_dec_rescale(__int128 v, int from, int to, sl_fn_round_t mode)
{
	if (to >= from) {
		int k = to - from;
		return k > 38 ? 0 : v * sl_dec_pow10(k);
	}
	int k = from - to;
	if (k > 38)
		return 0;
	__int128 p = sl_dec_pow10(k);
	__int128 q = v / p;
	__int128 r = v % p;
	if (r == 0)
		return q;
	int sign = v < 0 ? -1 : 1;
	__int128 ar = r < 0 ? -r : r;
	/* compare 2*|r| with p without overflow: p <= 10^38 < 2^127 / 2 */
	int cmp = (2 * ar > p) - (2 * ar < p);
	bool away;
	switch (mode) {
	case SL_FN_ROUND_HALF_UP:
		away = cmp >= 0;
		break;
	case SL_FN_ROUND_HALF_DOWN:
		away = cmp > 0;
		break;
	case SL_FN_ROUND_HALF_EVEN:
		away = cmp > 0 || (cmp == 0 && (q % 2) != 0);
		break;
	case SL_FN_ROUND_FLOOR:
		away = sign < 0;
		break;
	case SL_FN_ROUND_CEILING:
		away = sign > 0;
		break;
	case SL_FN_ROUND_UP:
		away = true;
		break;
	case SL_FN_ROUND_DOWN:
	default:
		away = false;
		break;
	}
	return away ? q + sign : q;
}

void
sl_fn_dec_format(sl_fn_buf_t *b, __int128 v, int scale)
{
	char buf[96];
	if (scale < 0) {
		/* BigDecimal with a negative scale: its plain text has zeros */
		sl_dec_format(buf, sizeof(buf), v, 0);
		sl_fn_buf_puts(b, buf);
		if (v != 0)
			for (int i = 0; i < -scale; i++)
				sl_fn_buf_putc(b, '0');
		return;
	}
	sl_dec_format(buf, sizeof(buf), v, scale);
	sl_fn_buf_puts(b, buf);
}

void
sl_fn_dec_append_java(sl_fn_buf_t *b, __int128 v, int scale)
{
	char dig[48];
	sl_dec_format(dig, sizeof(dig), v < 0 ? -v : v, 0);
	int n = (int)strlen(dig);
	long adjusted = -(long)scale + (n - 1);
	if (scale >= 0 && adjusted >= -6) {
		sl_fn_dec_format(b, v, scale);
		return;
	}
	if (v < 0)
		sl_fn_buf_putc(b, '-');
	sl_fn_buf_putc(b, dig[0]);
	if (n > 1) {
		sl_fn_buf_putc(b, '.');
		sl_fn_buf_add(b, dig + 1, (size_t)(n - 1));
	}
	sl_fn_buf_printf(b, "E%s%ld", adjusted >= 0 ? "+" : "", adjusted);
}

sl_value_t
sl_fn_dec_value(__int128 unscaled, const sl_type_t *t)
{
	return sl_value_decimal(unscaled, t->precision, t->scale);
}

/* ---- Java number text -------------------------------------------------- */

int
sl_fn_double_digits(double d, char *dig, int *exp10)
{
	char buf[40];
	for (int prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, d);
		if (strtod(buf, NULL) == d || prec == 16)
			break;
	}
	/* buf: [-]D[.DDD]e[+-]XX */
	const char *p = buf;
	if (*p == '-')
		p++;
	int n = 0;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			dig[n++] = *p;
	int e = atoi(p + 1);
	while (n > 1 && dig[n - 1] == '0')
		n--;
	dig[n] = '\0';
	*exp10 = e + 1;
	return n;
}

void
sl_fn_double_append(sl_fn_buf_t *b, double d)
{
	char buf[40];
	sl_double_format(buf, sizeof(buf), d);
	sl_fn_buf_puts(b, buf);
}

double
sl_fn_double_round(double d, int places, sl_fn_round_t mode)
{
	if (d == 0 || !isfinite(d))
		return d;
	char dig[24];
	int e;
	int n = sl_fn_double_digits(d, dig, &e);
	/* value = 0.dig x 10^e; keep digits up to position e + places */
	int keep = e + places;
	if (keep >= n)
		return d;
	bool neg = d < 0;
	/* digits kept: dig[0..keep); decide the rounding from the rest */
	__int128 q = 0;
	for (int i = 0; i < keep; i++)
		q = q * 10 + (dig[i] - '0');
	int first = keep >= 0 ? dig[keep] - '0' : 0;
	bool rest = false; /* any non-zero digit after the first dropped one */
	for (int i = (keep >= 0 ? keep + 1 : 0); i < n; i++)
		if (dig[i] != '0')
			rest = true;
	if (keep < 0) {
		/* everything dropped, and even the first dropped digit is a
		 * zero: the value is below half a unit */
		first = 0;
		rest = true;
	}
	bool away;
	bool half = first == 5 && !rest, above = first > 5 || (first == 5 && rest);
	switch (mode) {
	case SL_FN_ROUND_HALF_UP:
		away = above || half;
		break;
	case SL_FN_ROUND_HALF_DOWN:
		away = above;
		break;
	case SL_FN_ROUND_HALF_EVEN:
		away = above || (half && (q % 2) != 0);
		break;
	case SL_FN_ROUND_FLOOR:
		away = neg;
		break;
	case SL_FN_ROUND_CEILING:
		away = !neg;
		break;
	case SL_FN_ROUND_UP:
		away = true;
		break;
	default:
		away = false;
		break;
	}
	if (away)
		q++;
	if (q == 0)
		return 0.0; /* BigDecimal has no negative zero */
	char buf[80];
	char qt[48];
	sl_dec_format(qt, sizeof(qt), q, 0);
	snprintf(buf, sizeof(buf), "%s%se%d", neg ? "-" : "", qt, -places);
	return strtod(buf, NULL);
}

/* ---- base64 / hex ------------------------------------------------------ */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
sl_fn_base64_encode(sl_fn_buf_t *b, const unsigned char *s, size_t n, bool mime)
{
	size_t line = 0;
	for (size_t i = 0; i < n; i += 3) {
		if (mime && line == 76) {
			sl_fn_buf_add(b, "\r\n", 2);
			line = 0;
		}
		uint32_t v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char o[4];
		o[0] = b64[(v >> 18) & 63];
		o[1] = b64[(v >> 12) & 63];
		o[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		o[3] = i + 2 < n ? b64[v & 63] : '=';
		sl_fn_buf_add(b, o, 4);
		line += 4;
	}
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool
sl_fn_base64_decode(sl_fn_buf_t *b, const char *s, size_t n, bool mime)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0, count = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '=') {
			pad++;
			continue;
		}
		int v = b64val(c);
		if (v < 0) {
			if (mime)
				continue;
			return false;
		}
		if (pad > 0)
			return false; /* data after padding */
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		count++;
		if (bits >= 8) {
			bits -= 8;
			sl_fn_buf_putc(b, (char)((acc >> bits) & 0xFF));
		}
	}
	if (count % 4 == 1)
		return false;
	if (pad > 0 && (count + pad) % 4 != 0)
		return false;
	return true;
}

int
sl_fn_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
