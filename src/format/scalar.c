/*
 * scalar.c: text forms of scalar values as Java writes and reads them
 * (see scalar.h).
 *
 * Stage: format.  Doubles go through the C library's correctly rounded
 * strtod/printf, always in the "C" locale (uselocale(), so that a shell
 * that called setlocale() cannot turn "1.5" into "1,5").
 */
#include "format/scalar.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the C locale ---- */

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void
c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t
c_loc(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	return c_locale;
}

/* strtod in the C locale; s is NUL-terminated. */
static double
strtod_c(const char *s, char **end)
{
	locale_t loc = c_loc();
	locale_t old = loc ? uselocale(loc) : (locale_t)0;
	double d = strtod(s, end);

	if (loc)
		uselocale(old);
	return d;
}

/* ---- integers ---- */

size_t
sl_fmt_int64(char *buf, int64_t v)
{
	char tmp[SL_FMT_INT_MAX];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, len = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

/* ---- Double.toString ---- */

static const double pow10_exact[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/*
 * The shortest digits of |d| when they are at most 15 and d is not tiny:
 * the first k with round(|d| * 10^k) * 10^-k reading back as |d|.  Below
 * 10^15 the rounding error of the product is far under one unit, so that
 * integer is the only candidate with k fraction digits.  Returns the
 * number of digits written to digits[], 0 when the slow path is needed.
 */
static int
shortest_fast(double d, char *digits, int *exp10)
{
	double a = fabs(d);
	char tmp[24];
	int n = 0, nd = 0;

	if (!(a >= 1e-7 && a < 1e15))
		return 0;
	for (int k = 0; k <= 17; k++) {
		double x = a * pow10_exact[k], m;
		uint64_t u;

		if (x >= 1e15)
			return 0;
		m = nearbyint(x);
		if (m / pow10_exact[k] != a)
			continue;
		u = (uint64_t)m;
		while (u != 0) {
			tmp[n++] = (char)('0' + u % 10);
			u /= 10;
		}
		*exp10 = n - 1 - k;
		while (n > 0)
			digits[nd++] = tmp[--n];
		while (nd > 1 && digits[nd - 1] == '0')
			nd--;
		return nd;
	}
	return 0;
}

size_t
sl_fmt_double(char *buf, double d)
{
	char tmp[48], digits[24];
	int nd = 0, exp10;
	size_t len = 0;

	if (isnan(d)) {
		memcpy(buf, "NaN", 4);
		return 3;
	}
	if (isinf(d)) {
		strcpy(buf, d > 0 ? "Infinity" : "-Infinity");
		return strlen(buf);
	}
	if (d == 0) {
		strcpy(buf, signbit(d) ? "-0.0" : "0.0");
		return strlen(buf);
	}
	nd = shortest_fast(d, digits, &exp10);
	if (nd == 0) {
		locale_t loc = c_loc(), old = loc ? uselocale(loc) : (locale_t)0;
		const char *p;

		/*
		 * When some 15-digit decimal reads back as d, the 15-digit
		 * rounding of d does (a normal double has more than 15 digits of
		 * precision) and without its trailing zeros it is the shortest;
		 * otherwise 16, then 17 digits.  Subnormals have less precision:
		 * search them from 1 digit.
		 */
		for (int prec = fabs(d) < 2.2250738585072014e-308 ? 1 : 15; prec <= 17; prec++) {
			snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
			if (prec == 17 || strtod(tmp, NULL) == d)
				break;
		}
		/* Java writes at least two digits in scientific notation, the
		 * second the closer rounding: Double.MIN_VALUE is 4.9E-324 */
		p = strchr(tmp, 'e');
		if (p != NULL && p - tmp <= 2 + (tmp[0] == '-')) {
			int e = atoi(p + 1);

			if (e < -3 || e >= 7)
				snprintf(tmp, sizeof(tmp), "%.1e", d);
		}
		if (loc)
			uselocale(old);
		/* tmp is [-]D.DDDDe[+-]XX */
		for (p = tmp; *p != 'e'; p++)
			if (*p >= '0' && *p <= '9')
				digits[nd++] = *p;
		exp10 = atoi(p + 1);
		while (nd > 1 && digits[nd - 1] == '0')
			nd--;
	}
	if (d < 0)
		buf[len++] = '-';
	if (exp10 >= -3 && exp10 < 7) {
		if (exp10 >= 0) {
			for (int i = 0; i <= exp10; i++)
				buf[len++] = i < nd ? digits[i] : '0';
			buf[len++] = '.';
			if (nd > exp10 + 1)
				for (int i = exp10 + 1; i < nd; i++)
					buf[len++] = digits[i];
			else
				buf[len++] = '0';
		} else {
			buf[len++] = '0';
			buf[len++] = '.';
			for (int i = 0; i < -exp10 - 1; i++)
				buf[len++] = '0';
			for (int i = 0; i < nd; i++)
				buf[len++] = digits[i];
		}
	} else {
		buf[len++] = digits[0];
		buf[len++] = '.';
		if (nd > 1)
			for (int i = 1; i < nd; i++)
				buf[len++] = digits[i];
		else
			buf[len++] = '0';
		buf[len++] = 'E';
		len += sl_fmt_int64(buf + len, exp10);
	}
	buf[len] = '\0';
	return len;
}

/* ---- BigDecimal.toPlainString ---- */

size_t
sl_fmt_decimal(char *buf, __int128 unscaled, int scale)
{
	char tmp[SL_FMT_DECIMAL_MAX];
	unsigned __int128 u =
		unscaled < 0 ? -(unsigned __int128)unscaled : (unsigned __int128)unscaled;
	int n = 0;
	size_t len = 0;

	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0);
	/* tmp holds the digits least significant first */
	if (unscaled < 0)
		buf[len++] = '-';
	if (scale <= 0) {
		while (n > 0)
			buf[len++] = tmp[--n];
	} else if (n > scale) {
		while (n > scale)
			buf[len++] = tmp[--n];
		buf[len++] = '.';
		while (n > 0)
			buf[len++] = tmp[--n];
	} else {
		buf[len++] = '0';
		buf[len++] = '.';
		for (int i = n; i < scale; i++)
			buf[len++] = '0';
		while (n > 0)
			buf[len++] = tmp[--n];
	}
	buf[len] = '\0';
	return len;
}

/* ---- decimal literals ---- */

static inline bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Digit i of the literal's digit sequence ip ++ fp. */
static inline int
lit_digit(const sl_numlit_t *l, size_t i)
{
	return (i < l->ilen ? l->ip[i] : l->fp[i - l->ilen]) - '0';
}

/* Reads [+-]digits into *exp, saturating; returns chars used or 0. */
static size_t
read_exponent(const char *s, size_t n, int64_t *exp)
{
	size_t i = 0;
	bool neg = false;
	int64_t e = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i >= n || !is_digit(s[i]))
		return 0;
	for (; i < n && is_digit(s[i]); i++)
		if (e < SL_NUMLIT_EXP_MAX)
			e = e * 10 + (s[i] - '0');
	if (e > SL_NUMLIT_EXP_MAX)
		e = SL_NUMLIT_EXP_MAX;
	*exp = neg ? -e : e;
	return i;
}

bool
sl_numlit_parse_bigdecimal(const char *s, size_t n, sl_numlit_t *lit)
{
	size_t i = 0;

	memset(lit, 0, sizeof(*lit));
	lit->text = s;
	lit->len = n;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		lit->neg = s[i++] == '-';
	lit->ip = s + i;
	while (i < n && is_digit(s[i]))
		i++;
	lit->ilen = (size_t)(s + i - lit->ip);
	lit->is_int = true;
	if (i < n && s[i] == '.') {
		i++;
		lit->is_int = false;
		lit->fp = s + i;
		while (i < n && is_digit(s[i]))
			i++;
		lit->flen = (size_t)(s + i - lit->fp);
	}
	if (lit->ilen + lit->flen == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t k = read_exponent(s + i + 1, n - i - 1, &lit->exp);

		if (k == 0)
			return false;
		lit->is_int = false;
		i += 1 + k;
	}
	return i == n;
}

size_t
sl_numlit_parse_json(const char *s, size_t n, sl_numlit_t *lit)
{
	size_t i = 0;

	memset(lit, 0, sizeof(*lit));
	lit->text = s;
	lit->is_int = true;
	if (i < n && s[i] == '-') {
		lit->neg = true;
		i++;
	}
	if (i >= n || !is_digit(s[i]))
		return 0;
	lit->ip = s + i;
	if (s[i] == '0') {
		i++;
	} else {
		while (i < n && is_digit(s[i]))
			i++;
	}
	lit->ilen = (size_t)(s + i - lit->ip);
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || !is_digit(s[i]))
			return 0;
		lit->fp = s + i;
		while (i < n && is_digit(s[i]))
			i++;
		lit->flen = (size_t)(s + i - lit->fp);
		lit->is_int = false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t k = read_exponent(s + i + 1, n - i - 1, &lit->exp);

		if (k == 0)
			return 0;
		i += 1 + k;
		lit->is_int = false;
	}
	lit->len = i;
	return i;
}

uint64_t
sl_numlit_trunc(const sl_numlit_t *l)
{
	size_t total = l->ilen + l->flen;
	int64_t point = (int64_t)l->ilen + l->exp; /* digits before the point */
	uint64_t v = 0;

	for (size_t i = 0; (int64_t)i < point && i < total; i++)
		v = v * 10 + (uint64_t)lit_digit(l, i);
	/* 10^64 is a multiple of 2^64: more zeros change nothing */
	for (int64_t k = (int64_t)total; k < point && k < (int64_t)total + 64; k++)
		v *= 10;
	return l->neg ? (uint64_t)0 - v : v;
}

/* Significant digits: index of the first non-zero digit, or total. */
static size_t
lit_first_nonzero(const sl_numlit_t *l)
{
	size_t total = l->ilen + l->flen, f = 0;

	while (f < total && lit_digit(l, f) == 0)
		f++;
	return f;
}

double
sl_numlit_double(const sl_numlit_t *l)
{
	/* at most 800 significant digits, then a sticky 1: enough for correct
	 * rounding (a double never needs more than 767) */
	enum { MAXDIG = 800 };
	char buf[MAXDIG + 64];
	size_t total = l->ilen + l->flen, f = lit_first_nonzero(l), m, len = 0;
	int64_t e10;
	double d;

	if (f == total)
		return 0.0; /* Jackson reads -0 and -0.0 as zero */
	m = total - f;
	if (m <= 15) {
		/* Clinger's fast path: both operands exact, one rounding */
		int64_t e = l->exp - (int64_t)l->flen;
		double v = 0;

		if (e >= -22 && e <= 22) {
			for (size_t i = f; i < total; i++)
				v = v * 10 + lit_digit(l, i);
			v = e >= 0 ? v * pow10_exact[e] : v / pow10_exact[-e];
			return l->neg ? -v : v;
		}
	}
	/* value = 0.d[f..total) * 10^e10 */
	e10 = (int64_t)m + l->exp - (int64_t)l->flen;
	if (l->neg)
		buf[len++] = '-';
	buf[len++] = '0';
	buf[len++] = '.';
	for (size_t i = 0; i < m && i < MAXDIG; i++)
		buf[len++] = (char)('0' + lit_digit(l, f + i));
	if (m > MAXDIG) {
		for (size_t i = f + MAXDIG; i < total; i++) {
			if (lit_digit(l, i) != 0) {
				buf[len++] = '1';
				break;
			}
		}
	}
	buf[len++] = 'e';
	len += sl_fmt_int64(buf + len, e10);
	d = strtod_c(buf, NULL);
	return d;
}

int
sl_numlit_decimal(const sl_numlit_t *l, int precision, int scale, __int128 *unscaled)
{
	size_t total = l->ilen + l->flen, f = lit_first_nonzero(l);
	int64_t n, lscale;
	__int128 v = 0;

	if (f == total) {
		*unscaled = 0;
		return 0;
	}
	n = (int64_t)(total - f);
	lscale = (int64_t)l->flen - l->exp;
	/* |value| < 10^(precision - scale) <=> n - lscale <= precision - scale */
	if (n - lscale > (int64_t)precision - scale)
		return SL_NUMLIT_OVERFLOW;
	if (lscale > scale) {
		int64_t drop = lscale - scale;

		if (drop >= n)
			return SL_NUMLIT_ROUNDING;
		for (int64_t i = (int64_t)total - drop; i < (int64_t)total; i++)
			if (lit_digit(l, (size_t)i) != 0)
				return SL_NUMLIT_ROUNDING;
		for (int64_t i = (int64_t)f; i < (int64_t)total - drop; i++)
			v = v * 10 + lit_digit(l, (size_t)i);
	} else {
		for (size_t i = f; i < total; i++)
			v = v * 10 + lit_digit(l, i);
		for (int64_t k = lscale; k < scale; k++)
			v *= 10;
	}
	*unscaled = l->neg ? -v : v;
	return 0;
}

size_t
sl_numlit_jackson_text(const sl_numlit_t *l, char *out)
{
	size_t total = l->ilen + l->flen, f = lit_first_nonzero(l), n, len = 0;
	int64_t scale, adjusted;
	bool zero = f == total;

	if (l->is_int) {
		if (zero) {
			out[0] = '0';
			out[1] = '\0';
			return 1;
		}
		memcpy(out, l->text, l->len);
		out[l->len] = '\0';
		return l->len;
	}
	/* BigDecimal.toString() of unscaled digits d[f..total), scale */
	if (zero)
		f = total - 1; /* one "0" digit */
	n = total - f;
	scale = (int64_t)l->flen - l->exp;
	adjusted = -scale + (int64_t)(n - 1);
	if (l->neg && !zero)
		out[len++] = '-';
	if (scale == 0) {
		for (size_t i = f; i < total; i++)
			out[len++] = (char)('0' + lit_digit(l, i));
	} else if (scale > 0 && adjusted >= -6) {
		if ((int64_t)n > scale) {
			size_t ip = n - (size_t)scale;

			for (size_t i = 0; i < n; i++) {
				if (i == ip)
					out[len++] = '.';
				out[len++] = (char)('0' + lit_digit(l, f + i));
			}
		} else {
			out[len++] = '0';
			out[len++] = '.';
			for (int64_t i = (int64_t)n; i < scale; i++)
				out[len++] = '0';
			for (size_t i = f; i < total; i++)
				out[len++] = (char)('0' + lit_digit(l, i));
		}
	} else {
		out[len++] = (char)('0' + lit_digit(l, f));
		if (n > 1) {
			out[len++] = '.';
			for (size_t i = f + 1; i < total; i++)
				out[len++] = (char)('0' + lit_digit(l, i));
		}
		if (adjusted != 0) {
			out[len++] = 'E';
			if (adjusted > 0)
				out[len++] = '+';
			len += sl_fmt_int64(out + len, adjusted);
		}
	}
	out[len] = '\0';
	return len;
}

/* ---- Java's integer and double parsers ---- */

bool
sl_fmt_parse_long(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0, limit;

	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i >= n)
		return false;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
	return true;
}

bool
sl_fmt_parse_int(const char *s, size_t n, int32_t *out)
{
	int64_t v;

	if (n > 12 || !sl_fmt_parse_long(s, n, &v) || v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

static inline bool
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
sl_fmt_parse_double(const char *s, size_t n, double *out)
{
	size_t b = 0, e = n, i;
	bool neg = false;

	/* String.trim(): every char <= ' ' */
	while (b < e && (unsigned char)s[b] <= ' ')
		b++;
	while (e > b && (unsigned char)s[e - 1] <= ' ')
		e--;
	i = b;
	if (i < e && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (e - i == 3 && memcmp(s + i, "NaN", 3) == 0) {
		*out = NAN;
		return true;
	}
	if (e - i == 8 && memcmp(s + i, "Infinity", 8) == 0) {
		*out = neg ? -INFINITY : INFINITY;
		return true;
	}
	/* an optional type suffix */
	if (e > i && (s[e - 1] == 'f' || s[e - 1] == 'F' || s[e - 1] == 'd' || s[e - 1] == 'D'))
		e--;
	if (e - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		/* 0x hex [. hex] p [+-] digits: strtod reads this form */
		char buf[512];
		size_t j = i + 2, nh = 0, k;
		int64_t pexp;

		while (j < e && is_hex(s[j]))
			j++, nh++;
		if (j < e && s[j] == '.')
			for (j++; j < e && is_hex(s[j]); j++)
				nh++;
		if (nh == 0 || j >= e || (s[j] != 'p' && s[j] != 'P'))
			return false;
		k = read_exponent(s + j + 1, e - j - 1, &pexp);
		if (k == 0 || k != e - j - 1)
			return false;
		if (e - b >= sizeof(buf))
			return false;
		memcpy(buf, s + b, e - b);
		buf[e - b] = '\0';
		*out = strtod_c(buf, NULL);
		return true;
	} else {
		sl_numlit_t lit;

		if (!sl_numlit_parse_bigdecimal(s + i, e - i, &lit) || s[i] == '+' || s[i] == '-')
			return false;
		lit.neg = neg;
		*out = sl_numlit_double(&lit);
		if (*out == 0 && neg)
			*out = -0.0;
		return true;
	}
}

/* ---- base64 ---- */

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
sl_fmt_b64_encode(char *out, const void *in, size_t n)
{
	const unsigned char *p = in;
	size_t i = 0, o = 0;

	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		out[o++] = b64_chars[v >> 18];
		out[o++] = b64_chars[(v >> 12) & 63];
		out[o++] = b64_chars[(v >> 6) & 63];
		out[o++] = b64_chars[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		out[o++] = b64_chars[v >> 18];
		out[o++] = b64_chars[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		out[o++] = b64_chars[v >> 18];
		out[o++] = b64_chars[(v >> 12) & 63];
		out[o++] = b64_chars[(v >> 6) & 63];
		out[o++] = '=';
	}
	return o;
}

static inline int
b64_val(unsigned char c)
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
sl_fmt_b64_decode(const char *s, size_t n, unsigned char *out, size_t *outlen)
{
	size_t o = 0, i, data = n;
	uint32_t acc = 0;
	int bits = 0;

	/* up to two '=' at the end, completing the last quad */
	if (data > 0 && s[data - 1] == '=') {
		data--;
		if (data > 0 && s[data - 1] == '=')
			data--;
		if (n % 4 != 0)
			return false;
	}
	if (data % 4 == 1)
		return false;
	for (i = 0; i < data; i++) {
		int v = b64_val((unsigned char)s[i]);

		if (v < 0)
			return false;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	*outlen = o;
	return true;
}

/* ---- UTF-8 ---- */

int
sl_fmt_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0], c1;

	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3)
			return 0;
		c1 = s[1];
		if ((c1 & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F))
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4)
			return 0;
		c1 = s[1];
		if ((c1 & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

size_t
sl_fmt_utf8_bad_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i = 1;

	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 1;
	}
	if (i < n && s[i] >= lo && s[i] <= hi) {
		i++;
		while (i <= need && i < n && (s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

size_t
sl_fmt_utf8_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		if (i + 8 <= n) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		int k = sl_fmt_utf8_seq(s + i, n - i);

		if (k == 0)
			return i;
		i += (size_t)k;
	}
	return n;
}

size_t
sl_fmt_utf8_repair(char *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0;

	while (i < n) {
		int k = sl_fmt_utf8_seq(s + i, n - i);

		if (k > 0) {
			memcpy(out + o, s + i, (size_t)k);
			o += (size_t)k;
			i += (size_t)k;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i += sl_fmt_utf8_bad_len(s + i, n - i);
		}
	}
	return o;
}
