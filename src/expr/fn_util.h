/*
 * fn_util.h: helpers shared by the built-in function library (fn_*.c).
 *
 * Stage: expr.  Private to src/expr/fn_*.c and their tests: result
 * buffers that grow inside the call's arena, UTF-8 walking (ksqlDB counts
 * characters; we count code points), DECIMAL arithmetic on the unscaled
 * __int128, and Java's number-to-text rules (Double.toString,
 * BigDecimal.valueOf) that ksqlDB's functions inherit.
 */
#ifndef SL_EXPR_FN_UTIL_H
#define SL_EXPR_FN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "expr/decimal.h"
#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"
#include "util/arena.h"

/* A variant in a definition table: params, ret, fn, then optional
 * designated members (.flags = ..., .resolve = ...). */
#define SL_FN_V(p, r, f, ...)                                     \
	{                                                         \
		.params = (p), .ret = (r), .fn = (f), __VA_ARGS__ \
	}

/* memcmp() that accepts NULL pointers when n is 0 (an empty STRING value
 * may have no payload). */
static inline int
sl_fn_memcmp(const void *a, const void *b, size_t n)
{
	return n == 0 ? 0 : memcmp(a, b, n);
}

/* ---- a byte buffer growing in an arena --------------------------------- */

/* Growth leaves the old chunk behind in the arena: at most twice the final
 * size is used, and it all goes when the batch arena is reset. */
typedef struct sl_fn_buf {
	sl_arena_t *a;
	char *p;
	size_t len;
	size_t cap;
} sl_fn_buf_t;

void sl_fn_buf_init(sl_fn_buf_t *b, sl_arena_t *a, size_t hint);
void sl_fn_buf_add(sl_fn_buf_t *b, const void *s, size_t n);
void sl_fn_buf_putc(sl_fn_buf_t *b, char c);
void sl_fn_buf_puts(sl_fn_buf_t *b, const char *s);
void sl_fn_buf_printf(sl_fn_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends code point cp as UTF-8. */
void sl_fn_buf_utf8(sl_fn_buf_t *b, uint32_t cp);
/* The contents as a STRING (or BYTES) value; the buffer stays usable. */
sl_value_t sl_fn_buf_string(const sl_fn_buf_t *b);
sl_value_t sl_fn_buf_bytes(const sl_fn_buf_t *b);

/* ---- values ------------------------------------------------------------ */

/* A copy of s as a STRING value in a. */
sl_value_t sl_fn_str(sl_arena_t *a, const char *s, size_t n);
/* An ARRAY value of n NULL items in a. */
sl_value_t sl_fn_array(sl_arena_t *a, int32_t n);
/* A MAP value of n entries (NULL keys and values) in a. */
sl_value_t sl_fn_map(sl_arena_t *a, int32_t n);
/* A NUL-terminated copy of a STRING value in a. */
char *sl_fn_cstr(sl_arena_t *a, const sl_value_t *v);
/* Case-insensitive comparison of a STRING value with ASCII text. */
bool sl_fn_str_ieq(const sl_value_t *v, const char *s);

/* The numeric value of an INT, BIGINT, DOUBLE or DECIMAL as a double. */
double sl_fn_num_double(const sl_value_t *v);

/* ---- UTF-8 ------------------------------------------------------------- */

/* Decodes the code point at s[*i] (len bytes in all) and advances *i; a
 * malformed sequence gives U+FFFD and advances by one byte. */
uint32_t sl_fn_utf8_next(const char *s, int32_t len, int32_t *i);
/* The number of code points in s. */
int32_t sl_fn_utf8_count(const char *s, int32_t len);
/* The byte offset of code point n (clamped to len). */
int32_t sl_fn_utf8_offset(const char *s, int32_t len, int32_t n);
/* Java's Character.isWhitespace() for a code point (String.trim() trims
 * every char <= U+0020 instead: see sl_fn_is_trim_space). */
bool sl_fn_is_java_space(uint32_t cp);
static inline bool
sl_fn_is_trim_space(uint32_t cp)
{
	return cp <= 0x20;
}
/* Unicode simple case mappings (C.UTF-8 tables). */
uint32_t sl_fn_upper(uint32_t cp);
uint32_t sl_fn_lower(uint32_t cp);
/* Letter / digit classes as Java's Character.isLetter / isLetterOrDigit. */
bool sl_fn_is_alpha(uint32_t cp);
bool sl_fn_is_alnum(uint32_t cp);

/* ---- decimals ---------------------------------------------------------- */

typedef enum sl_fn_round {
	SL_FN_ROUND_HALF_UP = 0, /* ties away from zero */
	SL_FN_ROUND_HALF_DOWN,   /* ties toward zero */
	SL_FN_ROUND_HALF_EVEN,
	SL_FN_ROUND_FLOOR,
	SL_FN_ROUND_CEILING,
	SL_FN_ROUND_DOWN, /* toward zero */
	SL_FN_ROUND_UP,   /* away from zero */
} sl_fn_round_t;

/* v (unscaled, at scale from) at scale to, rounding by mode when digits
 * are dropped; to may be negative (BigDecimal.setScale(-1)).  The result
 * may need more digits than v (callers check with sl_dec_fits()). */
__int128 sl_fn_dec_rescale(__int128 v, int from, int to, sl_fn_round_t mode);
/* Appends the plain text of unscaled v at scale (BigDecimal.toPlainString). */
void sl_fn_dec_format(sl_fn_buf_t *b, __int128 v, int scale);
/* Appends unscaled v at scale as BigDecimal.toString() prints it: plain,
 * or scientific ("1E-7") when the adjusted exponent is below -6. */
void sl_fn_dec_append_java(sl_fn_buf_t *b, __int128 v, int scale);
/* A DECIMAL value of the given type. */
sl_value_t sl_fn_dec_value(__int128 unscaled, const sl_type_t *t);

/* ---- Java number text -------------------------------------------------- */

/* The shortest decimal digits that round-trip d (d finite, non-zero):
 * digits (no dot, no leading zero) into dig (>= 20 bytes), returning the
 * count, with d == 0.DIGITS x 10^*exp10. */
int sl_fn_double_digits(double d, char *dig, int *exp10);
/* Appends Java's Double.toString(d) (decimal.h's sl_double_format). */
void sl_fn_double_append(sl_fn_buf_t *b, double d);

/* BigDecimal.valueOf(d).setScale(places, mode).doubleValue(): rounds the
 * shortest decimal form of d; d must be finite. */
double sl_fn_double_round(double d, int places, sl_fn_round_t mode);

/* ---- misc -------------------------------------------------------------- */

/* Base64 (RFC 4648) of n bytes; mime: line breaks "\r\n" every 76 chars as
 * java.util.Base64.getMimeEncoder(). */
void sl_fn_base64_encode(sl_fn_buf_t *b, const unsigned char *s, size_t n, bool mime);
/* Decodes base64.  mime: characters outside the alphabet are skipped
 * (Base64.getMimeDecoder()); otherwise they are an error.  Returns false on
 * malformed input. */
bool sl_fn_base64_decode(sl_fn_buf_t *b, const char *s, size_t n, bool mime);
/* Hex digits value or -1. */
int sl_fn_hexval(int c);

#endif
