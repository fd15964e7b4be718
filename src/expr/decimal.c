/*
 * decimal.c: fixed-point DECIMAL arithmetic and Java-compatible number
 * formatting (see decimal.h).
 *
 * Stage: expr.
 */
#include "expr/decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

static const __int128 pow10_tab[39] = { (__int128)1ULL,
					(__int128)10ULL,
					(__int128)100ULL,
					(__int128)1000ULL,
					(__int128)10000ULL,
					(__int128)100000ULL,
					(__int128)1000000ULL,
					(__int128)10000000ULL,
					(__int128)100000000ULL,
					(__int128)1000000000ULL,
					(__int128)10000000000ULL,
					(__int128)100000000000ULL,
					(__int128)1000000000000ULL,
					(__int128)10000000000000ULL,
					(__int128)100000000000000ULL,
					(__int128)1000000000000000ULL,
					(__int128)10000000000000000ULL,
					(__int128)100000000000000000ULL,
					(__int128)1000000000000000000ULL,
					(__int128)10000000000000000000ULL,
					(__int128)10000000000000000000ULL * 10ULL,
					(__int128)10000000000000000000ULL * 100ULL,
					(__int128)10000000000000000000ULL * 1000ULL,
					(__int128)10000000000000000000ULL * 10000ULL,
					(__int128)10000000000000000000ULL * 100000ULL,
					(__int128)10000000000000000000ULL * 1000000ULL,
					(__int128)10000000000000000000ULL * 10000000ULL,
					(__int128)10000000000000000000ULL * 100000000ULL,
					(__int128)10000000000000000000ULL * 1000000000ULL,
					(__int128)10000000000000000000ULL * 10000000000ULL,
					(__int128)10000000000000000000ULL * 100000000000ULL,
					(__int128)10000000000000000000ULL * 1000000000000ULL,
					(__int128)10000000000000000000ULL * 10000000000000ULL,
					(__int128)10000000000000000000ULL * 100000000000000ULL,
					(__int128)10000000000000000000ULL * 1000000000000000ULL,
					(__int128)10000000000000000000ULL * 10000000000000000ULL,
					(__int128)10000000000000000000ULL * 100000000000000000ULL,
					(__int128)10000000000000000000ULL * 1000000000000000000ULL,
					(__int128)10000000000000000000ULL *
						10000000000000000000ULL };

__int128
sl_dec_pow10(int n)
{
	if (n < 0)
		n = 0;
	if (n > 38)
		n = 38;
	return pow10_tab[n];
}

static unsigned __int128
uabs128(__int128 v)
{
	return v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
}

int
sl_dec_digits(__int128 v)
{
	unsigned __int128 u = uabs128(v);
	int n = 1;

	while (u >= 10) {
		u /= 10;
		n++;
	}
	return n;
}

bool
sl_dec_fits(__int128 v, int precision)
{
	if (precision >= 39)
		return true;
	return uabs128(v) < (unsigned __int128)sl_dec_pow10(precision);
}

__int128
sl_dec_div_round(__int128 a, __int128 b)
{
	__int128 q = a / b, r = a % b;
	unsigned __int128 ar = uabs128(r), ab = uabs128(b);

	if (ar != 0 && ar >= ab - ar) {
		/* |r| >= |b| / 2: round away from zero */
		if ((a < 0) != (b < 0))
			q -= 1;
		else
			q += 1;
	}
	return q;
}

int
sl_dec_rescale(__int128 v, int from, int to, __int128 *out)
{
	if (to == from) {
		*out = v;
		return SL_OK;
	}
	if (to > from) {
		int k = to - from;
		__int128 r;

		if (k > 38)
			return v == 0 ? (*out = 0, SL_OK) : SL_ERR;
		if (__builtin_mul_overflow(v, sl_dec_pow10(k), &r))
			return SL_ERR;
		*out = r;
		return SL_OK;
	}
	if (from - to > 38) {
		*out = 0;
		return SL_OK;
	}
	*out = sl_dec_div_round(v, sl_dec_pow10(from - to));
	return SL_OK;
}

int
sl_dec_parse(const char *s, size_t len, __int128 *unscaled, int *precision, int *scale)
{
	size_t i = 0;
	bool neg = false, any = false;
	unsigned __int128 u = 0;
	int digits = 0, sc = 0;
	long ex = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
			   s[len - 1] == '\r'))
		len--;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (int part = 0; part < 2; part++) {
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			any = true;
			if (u != 0 || s[i] != '0')
				digits++;
			if (digits > 38)
				return SL_EINVAL;
			u = u * 10 + (unsigned)(s[i] - '0');
			if (part == 1)
				sc++;
			i++;
		}
		if (part == 0) {
			if (i < len && s[i] == '.')
				i++;
			else
				break;
		}
	}
	if (!any)
		return SL_EINVAL;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false, edig = false;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			edig = true;
			ex = ex * 10 + (s[i] - '0');
			if (ex > 1000)
				return SL_EINVAL;
			i++;
		}
		if (!edig)
			return SL_EINVAL;
		if (eneg)
			ex = -ex;
	}
	if (i != len)
		return SL_EINVAL;
	/* value = u * 10^(ex - sc) */
	sc -= (int)ex;
	while (sc < 0) {
		if (u != 0 && ++digits > 38)
			return SL_EINVAL;
		u *= 10;
		sc++;
	}
	if (sc > 38)
		return SL_EINVAL;
	*unscaled = neg ? -(__int128)u : (__int128)u;
	*scale = sc;
	digits = sl_dec_digits((__int128)u);
	*precision = digits > sc ? digits : sc;
	if (*precision > 38)
		return SL_EINVAL;
	return SL_OK;
}

int
sl_dec_format(char *buf, size_t size, __int128 v, int scale)
{
	char tmp[48];
	int n = 0, pos = 0;
	unsigned __int128 u = uabs128(v);
	char out[64];

	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0);
	while (n <= scale)
		tmp[n++] = '0';
	if (v < 0)
		out[pos++] = '-';
	for (int i = n - 1; i >= 0; i--) {
		out[pos++] = tmp[i];
		if (i == scale && scale > 0)
			out[pos++] = '.';
	}
	out[pos] = '\0';
	if (size > 0) {
		size_t c = (size_t)pos < size - 1 ? (size_t)pos : size - 1;
		memcpy(buf, out, c);
		buf[c] = '\0';
	}
	return pos;
}

double
sl_dec_to_double(__int128 v, int scale)
{
	char buf[64];

	sl_dec_format(buf, sizeof(buf), v, scale);
	return strtod(buf, NULL);
}

int
sl_dec_from_double(double d, int precision, int scale, __int128 *out)
{
	char buf[40];
	int n, p, s;
	__int128 u, r;

	if (!isfinite(d))
		return SL_EINVAL;
	n = sl_double_format(buf, sizeof(buf), d);
	if (sl_dec_parse(buf, (size_t)n, &u, &p, &s) != SL_OK)
		return SL_EINVAL;
	if (sl_dec_rescale(u, s, scale, &r) != SL_OK || !sl_dec_fits(r, precision))
		return SL_EINVAL;
	*out = r;
	return SL_OK;
}

/* The shortest digit string (no point) and decimal exponent of the first
 * digit such that the value reads back as d (d finite, > 0). */
static int
shortest_digits(double d, char *digits, int *exp10)
{
	char buf[40];

	/* Java prints at least two significant digits (4.9E-324, not 5.0E-324) */
	for (int prec = 2; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
		if (prec == 17 || strtod(buf, NULL) == d)
			break;
	}
	/* buf: d[.ddd]e[+-]xx */
	int n = 0;
	char *p = buf;

	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*exp10 = atoi(p + 1);
	return n;
}

int
sl_double_format(char *buf, size_t size, double d)
{
	char out[48], digits[24];
	int pos = 0, nd, e;

	if (isnan(d))
		return snprintf(buf, size, "NaN");
	if (isinf(d))
		return snprintf(buf, size, d > 0 ? "Infinity" : "-Infinity");
	if (d == 0)
		return snprintf(buf, size, signbit(d) ? "-0.0" : "0.0");
	if (d < 0) {
		out[pos++] = '-';
		d = -d;
	}
	nd = shortest_digits(d, digits, &e);
	if (d >= 1e-3 && d < 1e7) {
		if (e >= 0) {
			for (int i = 0; i <= e; i++)
				out[pos++] = i < nd ? digits[i] : '0';
			out[pos++] = '.';
			if (nd > e + 1) {
				for (int i = e + 1; i < nd; i++)
					out[pos++] = digits[i];
			} else {
				out[pos++] = '0';
			}
		} else {
			out[pos++] = '0';
			out[pos++] = '.';
			for (int i = 0; i < -e - 1; i++)
				out[pos++] = '0';
			for (int i = 0; i < nd; i++)
				out[pos++] = digits[i];
		}
	} else {
		out[pos++] = digits[0];
		out[pos++] = '.';
		if (nd > 1) {
			for (int i = 1; i < nd; i++)
				out[pos++] = digits[i];
		} else {
			out[pos++] = '0';
		}
		pos += snprintf(out + pos, sizeof(out) - (size_t)pos, "E%d", e);
	}
	out[pos] = '\0';
	return snprintf(buf, size, "%s", out);
}
