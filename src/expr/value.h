/*
 * value.h: runtime SQL values.
 *
 * Stage: expr.  A value is a small tagged union; it does not own what it
 * points to.  Strings, bytes and composite payloads live in an arena (the
 * batch arena on the hot path) or in the record buffer they were decoded
 * from; whoever creates a value says which arena in its contract.  The
 * value's type is known from its schema: a value carries only its kind,
 * and decimals their scale.
 */
#ifndef SL_EXPR_VALUE_H
#define SL_EXPR_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr/type.h"
#include "util/arena.h"
#include "util/strbuf.h"

typedef struct sl_value sl_value_t;

/* Payload of ARRAY (n items), MAP (n entries: items[2i] key, items[2i+1]
 * value) and STRUCT (n fields in the order of the struct type). */
typedef struct sl_vlist {
	int32_t n;
	sl_value_t *items;
} sl_vlist_t;

struct sl_value {
	uint8_t kind;      /* sl_tkind_t; SL_T_NULL for a SQL NULL of any type */
	int8_t scale;      /* DECIMAL */
	uint8_t precision; /* DECIMAL */
	union {
		bool b;       /* BOOLEAN */
		int32_t i;    /* INT, DATE (days) */
		int64_t l;    /* BIGINT, TIMESTAMP (ms), TIME (ms of day) */
		double d;     /* DOUBLE */
		__int128 dec; /* DECIMAL: unscaled value */
		struct {
			const char *ptr; /* not NUL-terminated */
			int32_t len;
		} s;              /* STRING (UTF-8), BYTES */
		sl_vlist_t *list; /* ARRAY, MAP, STRUCT */
	} u;
};

static inline bool
sl_value_is_null(const sl_value_t *v)
{
	return v->kind == SL_T_NULL;
}

static inline sl_value_t
sl_value_null(void)
{
	sl_value_t v = { 0 };
	return v;
}

/* Constructors (inline: they run per record). */
static inline sl_value_t
sl_value_bool(bool b)
{
	sl_value_t v = { .kind = SL_T_BOOLEAN };
	v.u.b = b;
	return v;
}

static inline sl_value_t
sl_value_int(int32_t i)
{
	sl_value_t v = { .kind = SL_T_INT };
	v.u.i = i;
	return v;
}

static inline sl_value_t
sl_value_bigint(int64_t l)
{
	sl_value_t v = { .kind = SL_T_BIGINT };
	v.u.l = l;
	return v;
}

static inline sl_value_t
sl_value_double(double d)
{
	sl_value_t v = { .kind = SL_T_DOUBLE };
	v.u.d = d;
	return v;
}

static inline sl_value_t
sl_value_decimal(__int128 unscaled, int precision, int scale)
{
	sl_value_t v = { .kind = SL_T_DECIMAL };
	v.u.dec = unscaled;
	v.precision = (uint8_t)precision;
	v.scale = (int8_t)scale;
	return v;
}

static inline sl_value_t
sl_value_timestamp(int64_t ms)
{
	sl_value_t v = { .kind = SL_T_TIMESTAMP };
	v.u.l = ms;
	return v;
}

static inline sl_value_t
sl_value_date(int32_t days)
{
	sl_value_t v = { .kind = SL_T_DATE };
	v.u.i = days;
	return v;
}

static inline sl_value_t
sl_value_time(int64_t ms)
{
	sl_value_t v = { .kind = SL_T_TIME };
	v.u.l = ms;
	return v;
}

/* Points at s (no copy). */
static inline sl_value_t
sl_value_string(const char *s, int32_t len)
{
	sl_value_t v = { .kind = SL_T_STRING };
	v.u.s.ptr = s;
	v.u.s.len = len;
	return v;
}

static inline sl_value_t
sl_value_bytes(const char *s, int32_t len)
{
	sl_value_t v = { .kind = SL_T_BYTES };
	v.u.s.ptr = s;
	v.u.s.len = len;
	return v;
}

/* Copies s into a. */
sl_value_t sl_value_string_copy(sl_arena_t *a, const char *s, int32_t len);
/* A list payload of n zeroed items in a; kind is SL_T_ARRAY, SL_T_MAP
 * (n entries, 2n items) or SL_T_STRUCT. */
sl_value_t sl_value_list(sl_arena_t *a, sl_tkind_t kind, int32_t n);

/* Deep-copies v (strings, lists) into a. */
sl_value_t sl_value_copy(sl_arena_t *a, const sl_value_t *v);

/* SQL equality of two non-NULL values of comparable types (numeric kinds
 * compare by value); false when either is NULL. */
bool sl_value_equal(const sl_value_t *a, const sl_value_t *b);

/* Total order for sorting and grouping: NULL first, then by value;
 * returns <0, 0, >0.  Values of different non-numeric kinds order by kind. */
int sl_value_compare(const sl_value_t *a, const sl_value_t *b);

/* A hash consistent with sl_value_compare() == 0. */
uint64_t sl_value_hash(const sl_value_t *v);

/* Appends v as ksqlDB's JSON serializer writes it: numbers, strings quoted
 * and escaped, ARRAY as [...], MAP and STRUCT as {...} (STRUCT with t's
 * field names), DECIMAL as a number with its scale, TIMESTAMP and TIME as
 * milliseconds, DATE as days, BYTES as a base64 string.  t is v's type. */
void sl_value_format_json(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t);

/* Appends v as text, as ksqlDB's CAST(v AS STRING) writes it (also for
 * the shell and messages): strings unquoted, DOUBLE as Java prints it
 * (1.0E10), DECIMAL in plain notation with its scale, TIMESTAMP as
 * 2021-01-01T10:00:00.000, DATE as 2021-01-01, TIME as 10:00 / 10:00:05 /
 * 10:00:05.100, ARRAY as [1, 2], MAP as {k=v, k2=v2}, STRUCT as
 * Struct{A=1,B=x} (NULL fields left out), BYTES as base64, NULL as null. */
void sl_value_format_text(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t);

/* A NUL-terminated copy of a STRING or BYTES payload in a (for C APIs). */
char *sl_value_cstr(sl_arena_t *a, const sl_value_t *v);

/* The value stored under key in the MAP m (keys compared with
 * sl_value_equal), or NULL when absent or m is NULL. */
const sl_value_t *sl_value_map_get(const sl_value_t *m, const sl_value_t *key);

/* Appends the base64 (RFC 4648, padded) of n bytes. */
void sl_base64_encode(sl_strbuf_t *out, const unsigned char *p, size_t n);

/* Civil date <-> days since 1970-01-01 (proleptic Gregorian). */
int64_t sl_days_from_civil(int64_t y, unsigned m, unsigned d);
void sl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Appends a TIMESTAMP (ms since the epoch, UTC) as
 * yyyy-MM-ddTHH:mm:ss.SSS, a DATE (days) as yyyy-MM-dd, a TIME (ms of the
 * day) as java.time.LocalTime prints it. */
void sl_format_timestamp(sl_strbuf_t *out, int64_t ms);
void sl_format_date(sl_strbuf_t *out, int64_t days);
void sl_format_time(sl_strbuf_t *out, int64_t ms);

/* As above for the TIMESTAMP, DATE or TIME value v, into buf (size >= 48
 * always suffices); returns the length. */
int sl_format_temporal(char *buf, size_t size, const sl_value_t *v);

#endif
