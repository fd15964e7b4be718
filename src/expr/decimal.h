/*
 * decimal.h: fixed-point DECIMAL arithmetic on 128-bit unscaled values.
 *
 * Stage: expr.  A DECIMAL(p, s) value is an unscaled integer u with
 * |u| < 10^p, meaning u / 10^s (ksqlDB's BigDecimal with a fixed scale).
 * Rounding is HALF_UP (away from zero on a tie), as Java's
 * RoundingMode.HALF_UP.  Functions returning int give SL_OK or SL_ERR on
 * overflow of the 128-bit range (callers turn that into a runtime error).
 * Pure functions, thread-safe.
 */
#ifndef SL_EXPR_DECIMAL_H
#define SL_EXPR_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

/* 10^n for n in 0..38. */
__int128 sl_dec_pow10(int n);

/* Number of decimal digits of |v| (1 for 0). */
int sl_dec_digits(__int128 v);

/* True when |v| < 10^precision. */
bool sl_dec_fits(__int128 v, int precision);

/* Changes the scale of v from `from` to `to` (rounding HALF_UP when
 * `to` < `from`). */
int sl_dec_rescale(__int128 v, int from, int to, __int128 *out);

/* Divides a by b (b != 0), rounding HALF_UP. */
__int128 sl_dec_div_round(__int128 a, __int128 b);

/*
 * Parses [+-]digits[.digits][(e|E)[+-]digits] (surrounding spaces
 * allowed) into an unscaled value and its natural scale (>= 0; a negative
 * exponent-derived scale is normalized to 0) and precision (digits of the
 * unscaled value, at least scale... as BigDecimal: max(digits, scale) is
 * what a DECIMAL type needs).  Returns SL_OK, or SL_EINVAL when s is not a
 * number or needs more than 38 digits.
 */
int sl_dec_parse(const char *s, size_t len, __int128 *unscaled, int *precision, int *scale);

/* Writes v / 10^scale in plain notation ("-0.05", "12", "10.00") into
 * buf; returns the length.  size >= 42 always suffices. */
int sl_dec_format(char *buf, size_t size, __int128 v, int scale);

/* The nearest double. */
double sl_dec_to_double(__int128 v, int scale);

/*
 * Converts d to DECIMAL(precision, scale) as ksqlDB does
 * (BigDecimal.valueOf(d), then HALF_UP to scale).  Returns SL_OK, or
 * SL_EINVAL for NaN/infinite or a value needing more than precision
 * digits.
 */
int sl_dec_from_double(double d, int precision, int scale, __int128 *out);

/*
 * Formats d as Java's Double.toString does (ksqlDB's rendering of DOUBLE
 * in JSON and in CAST to STRING): "1.0", "13.21", "1.0E10", "4.9E-324",
 * "NaN", "Infinity"; the shortest digits that read back as d.  Returns the
 * length; size >= 32 suffices.
 */
int sl_double_format(char *buf, size_t size, double d);

#endif
