/*
 * cast.h: conversions between SQL types: explicit CAST with ksqlDB's
 * rules, the implicit widenings used by operators and function calls, and
 * the text parsers behind them.
 *
 * Stage: expr.  The compiler asks sl_cast_allowed() / sl_type_common()
 * while typing; the evaluator calls sl_cast_value() per record.
 *
 * Explicit CAST (ksqlDB's CastEvaluator table):
 *   BOOLEAN   -> STRING
 *   INT, BIGINT, DECIMAL, DOUBLE -> each other and STRING
 *   STRING    -> BOOLEAN, INT, BIGINT, DECIMAL, DOUBLE, TIMESTAMP, DATE,
 *                TIME, BYTES (base64)
 *   TIMESTAMP -> STRING, DATE, TIME;  DATE -> TIMESTAMP, STRING;
 *   TIME      -> STRING
 *   ARRAY -> ARRAY, MAP -> MAP (element-wise), STRUCT -> STRUCT (fields
 *   by name; target fields missing from the source are NULL), and each
 *   of them -> STRING
 *   any type to itself; NULL (the type of a bare NULL) to anything.
 * Narrowing follows Java: BIGINT -> INT wraps, DOUBLE -> INT/BIGINT
 * truncates and saturates (NaN -> 0), DECIMAL -> INT/BIGINT truncates then
 * wraps; to DECIMAL rounds HALF_UP and fails when the value needs more
 * integer digits than precision - scale allows.  STRING -> BOOLEAN never
 * fails: a case-insensitive prefix of "true" or "yes" is TRUE, anything
 * else FALSE.  Other failures (a string that is not a number, a date ...)
 * are runtime errors: the expression's value is NULL.
 *
 * Implicit widening: INT -> BIGINT -> DECIMAL -> DOUBLE (INT as
 * DECIMAL(10, 0), BIGINT as DECIMAL(19, 0)), DECIMAL to a DECIMAL with at
 * least as many integer and fraction digits, NULL to anything, DATE ->
 * TIMESTAMP, and ARRAY/MAP/STRUCT element-wise (a STRUCT to one with a
 * superset of its fields).
 */
#ifndef SL_EXPR_CAST_H
#define SL_EXPR_CAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr/type.h"
#include "expr/value.h"
#include "util/arena.h"
#include "util/error.h"

/* True when CAST(x AS to) is allowed for x of type from. */
bool sl_cast_allowed(const sl_type_t *from, const sl_type_t *to);

/* True when a value of type from may be used where to is expected without
 * a CAST (see above). */
bool sl_cast_implicit(const sl_type_t *from, const sl_type_t *to);

/*
 * The smallest type both x and y widen to implicitly (NULL with anything
 * gives the other; equal types give that type), built in a when needed;
 * NULL when there is none.
 */
const sl_type_t *sl_type_common(sl_arena_t *a, const sl_type_t *x, const sl_type_t *y);

/* The DECIMAL type an INT, BIGINT or DECIMAL converts to exactly
 * (DECIMAL(10, 0), DECIMAL(19, 0), itself); NULL for other types. */
const sl_type_t *sl_type_as_decimal(sl_arena_t *a, const sl_type_t *t);

/*
 * Converts v (of type from) to type to, which sl_cast_allowed() accepts.
 * Payloads of *out are allocated in a or point into v.  NULL gives NULL.
 * Returns SL_OK, or SL_EINVAL with err describing the failure (no
 * position) and *out NULL.
 */
int sl_cast_value(const sl_value_t *v, const sl_type_t *from, const sl_type_t *to, sl_arena_t *a,
		  sl_value_t *out, sl_error_t *err);

/*
 * Converts the text of a string literal to type to at compile time, as
 * ksqlDB coerces literals in IN lists, constructors and comparisons:
 * numbers through BigDecimal ('2e1' is 20 as INT; a fraction or overflow
 * fails), BOOLEAN exactly (prefixes of true/yes/false/no), TIMESTAMP,
 * DATE, TIME as CAST does; STRING as it is.  Payloads are copied into a.
 * Returns SL_OK, or SL_EINVAL
 * with err set to 'invalid input syntax for type INTEGER: "x"'.
 */
int sl_cast_string_literal(const char *s, size_t len, const sl_type_t *to, sl_arena_t *a,
			   sl_value_t *out, sl_error_t *err);

/*
 * The narrowest numeric type holding the number written in s exactly
 * (INT, BIGINT, else DECIMAL(p, s)), for coercing string literals into a
 * numeric context; NULL when s is not a number.
 */
const sl_type_t *sl_cast_number_type(const char *s, size_t len, sl_arena_t *a);

/*
 * Text parsers (SPEC §4, ksqlDB's formats; surrounding spaces allowed):
 * TIMESTAMP: yyyy[-MM[-dd]] or yyyy-MM-ddTHH[:mm[:ss[.fff]]] with an
 * optional zone Z, +hh, +hhmm, +hh:mm (fraction: up to 9 digits, kept to
 * the millisecond); DATE: yyyy[-MM[-dd]]; TIME: HH:mm[:ss[.fff]].  Each
 * returns SL_OK or SL_EINVAL.
 */
int sl_parse_timestamp(const char *s, size_t len, int64_t *ms);
int sl_parse_date(const char *s, size_t len, int32_t *days);
int sl_parse_time(const char *s, size_t len, int64_t *ms);

/* ksqlDB's exact boolean parse: SL_OK with *b, or SL_EINVAL. */
int sl_parse_bool_exact(const char *s, size_t len, bool *b);

#endif
