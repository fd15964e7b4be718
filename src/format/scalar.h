/*
 * scalar.h: text forms of scalar values, as Java writes and reads them.
 *
 * Stage: format.  The serdes must read and write numbers, decimals, bytes
 * and strings exactly as ksqlDB (Java, Jackson, commons-csv) does:
 * Double.toString, BigDecimal's grammar and toString/toPlainString,
 * Integer.parseInt, Double.parseDouble, base64, and UTF-8 repair as
 * new String(bytes, UTF_8) does it.  Every function here is pure and
 * thread-safe, and none allocates.
 */
#ifndef SL_FORMAT_SCALAR_H
#define SL_FORMAT_SCALAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Buffer sizes that always suffice. */
#define SL_FMT_DOUBLE_MAX 32
#define SL_FMT_DECIMAL_MAX 48
#define SL_FMT_INT_MAX 24

/* Java's Double.toString(d): "1.0", "0.001", "1.0E7", "1.0E-4", "NaN",
 * "Infinity", "-0.0"; shortest digits that read back as d.  Returns the
 * length; buf gets a NUL. */
size_t sl_fmt_double(char *buf, double d);

/* BigDecimal.toPlainString() of unscaled * 10^-scale (scale >= 0):
 * "1.50", "-0.05", "12". */
size_t sl_fmt_decimal(char *buf, __int128 unscaled, int scale);

/* Decimal text of v. */
size_t sl_fmt_int64(char *buf, int64_t v);

/*
 * A decimal literal split into its parts, pointing into the text it was
 * read from: [-] ip[0..ilen) [. fp[0..flen)] [e exp].  exp is clamped to
 * +-SL_NUMLIT_EXP_MAX, far beyond any value that fits a SQL type.
 */
typedef struct sl_numlit {
	const char *text; /* the whole literal */
	size_t len;
	bool neg;
	bool is_int; /* no fraction and no exponent */
	const char *ip;
	size_t ilen;
	const char *fp;
	size_t flen;
	int64_t exp;
} sl_numlit_t;

#define SL_NUMLIT_EXP_MAX 1000000000000LL

/* Reads s[0..n) with BigDecimal(String)'s grammar: [+-] digits [. digits]
 * or [+-] . digits, then optional [eE] [+-] digits; nothing else.  Returns
 * false when s is not such a literal. */
bool sl_numlit_parse_bigdecimal(const char *s, size_t n, sl_numlit_t *lit);

/* Reads a JSON number (RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?)
 * at the start of s[0..n); returns its length, or 0 when there is none. */
size_t sl_numlit_parse_json(const char *s, size_t n, sl_numlit_t *lit);

/* The low 64 bits of the literal truncated toward zero, as Java's
 * BigDecimal.longValue() (and intValue(), taking the low 32) computes it. */
uint64_t sl_numlit_trunc(const sl_numlit_t *lit);

/* The literal as a double, correctly rounded (Infinity when too large). */
double sl_numlit_double(const sl_numlit_t *lit);

/* DecimalUtil.ensureFit(): fits the literal into DECIMAL(precision, scale)
 * without rounding.  Returns 0 with *unscaled set, SL_NUMLIT_OVERFLOW when
 * |value| >= 10^(precision - scale), SL_NUMLIT_ROUNDING when it has more
 * non-zero fraction digits than scale. */
#define SL_NUMLIT_OVERFLOW 1
#define SL_NUMLIT_ROUNDING 2
int sl_numlit_decimal(const sl_numlit_t *lit, int precision, int scale, __int128 *unscaled);

/* The text Jackson gives for the JSON number lit: integers as written
 * (with "-0" as "0"), other numbers as BigDecimal.toString() ("1.50",
 * "1E+3", "1E-7").  out needs lit->len + 32 bytes.  Returns the length. */
size_t sl_numlit_jackson_text(const sl_numlit_t *lit, char *out);

/* Integer.parseInt / Long.parseLong: [+-] ASCII digits, in range. */
bool sl_fmt_parse_int(const char *s, size_t n, int32_t *out);
bool sl_fmt_parse_long(const char *s, size_t n, int64_t *out);

/* Double.parseDouble: surrounding whitespace, [+-], NaN, Infinity,
 * decimal and hexadecimal forms, an optional [fFdD] suffix. */
bool sl_fmt_parse_double(const char *s, size_t n, double *out);

/* Base64 (RFC 4648, standard alphabet).  Encoded length with padding. */
static inline size_t
sl_fmt_b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}
/* Writes sl_fmt_b64_len(n) characters (no NUL); returns that length. */
size_t sl_fmt_b64_encode(char *out, const void *in, size_t n);
/* Decodes s[0..n) into out (room for n / 4 * 3 + 3 bytes); '=' padding
 * is optional, anything else outside the alphabet is an error.  Returns
 * false on invalid input. */
bool sl_fmt_b64_decode(const char *s, size_t n, unsigned char *out, size_t *outlen);

/* Length (1-4) of the valid UTF-8 sequence at s[0..n), or 0 (overlong
 * forms, surrogates and code points above U+10FFFF are invalid). */
int sl_fmt_utf8_seq(const unsigned char *s, size_t n);

/* Length of the maximal invalid subpart at s[0..n) (at least 1): what one
 * U+FFFD replaces when decoding (Java's and the Unicode standard's rule). */
size_t sl_fmt_utf8_bad_len(const unsigned char *s, size_t n);

/* Offset of the first invalid UTF-8 byte in s[0..n), or n. */
size_t sl_fmt_utf8_check(const char *s, size_t n);

/* Copies s[0..n) to out (room for 3 * n bytes) replacing each maximal
 * invalid subpart by U+FFFD; returns the length written. */
size_t sl_fmt_utf8_repair(char *out, const char *s, size_t n);

#endif
