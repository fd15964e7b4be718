/*
 * type.h: SQL data types (SPEC §4).
 *
 * Stage: expr.  Types are immutable once built.  Primitive types are static
 * singletons (sl_type_int() ...); composite types are built in an arena whose
 * lifetime covers every user of the type (a query's or the catalog's).
 * Compare types with sl_type_equal(), never by pointer.
 */
#ifndef SL_EXPR_TYPE_H
#define SL_EXPR_TYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

struct sl_node;

typedef enum sl_tkind {
	SL_T_NULL = 0, /* the type of a bare NULL literal before coercion */
	SL_T_BOOLEAN,
	SL_T_INT,    /* 32-bit */
	SL_T_BIGINT, /* 64-bit */
	SL_T_DOUBLE,
	SL_T_DECIMAL, /* precision 1..38, scale 0..precision */
	SL_T_STRING,
	SL_T_BYTES,
	SL_T_TIMESTAMP, /* milliseconds since the epoch, UTC */
	SL_T_DATE,      /* days since the epoch */
	SL_T_TIME,      /* milliseconds since midnight */
	SL_T_ARRAY,
	SL_T_MAP,
	SL_T_STRUCT,
	SL_T__COUNT
} sl_tkind_t;

typedef struct sl_type sl_type_t;

typedef struct sl_field {
	const char *name; /* as declared (case kept) */
	const sl_type_t *type;
} sl_field_t;

struct sl_type {
	sl_tkind_t kind;
	int precision;         /* DECIMAL */
	int scale;             /* DECIMAL */
	const sl_type_t *elem; /* ARRAY element, MAP value */
	const sl_type_t *key;  /* MAP key (always STRING in ksqlDB) */
	int nfields;           /* STRUCT */
	const sl_field_t *fields;
};

const sl_type_t *sl_type_null(void);
const sl_type_t *sl_type_boolean(void);
const sl_type_t *sl_type_int(void);
const sl_type_t *sl_type_bigint(void);
const sl_type_t *sl_type_double(void);
const sl_type_t *sl_type_string(void);
const sl_type_t *sl_type_bytes(void);
const sl_type_t *sl_type_timestamp(void);
const sl_type_t *sl_type_date(void);
const sl_type_t *sl_type_time(void);

/* The primitive singleton of kind k (not DECIMAL/ARRAY/MAP/STRUCT). */
const sl_type_t *sl_type_primitive(sl_tkind_t k);

const sl_type_t *sl_type_decimal(sl_arena_t *a, int precision, int scale);
const sl_type_t *sl_type_array(sl_arena_t *a, const sl_type_t *elem);
const sl_type_t *sl_type_map(sl_arena_t *a, const sl_type_t *key, const sl_type_t *value);
/* fields is copied into a. */
const sl_type_t *sl_type_struct(sl_arena_t *a, const sl_field_t *fields, int nfields);

/* Deep-copies t into a (for moving a type to a longer-lived arena). */
const sl_type_t *sl_type_copy(sl_arena_t *a, const sl_type_t *t);

bool sl_type_equal(const sl_type_t *a, const sl_type_t *b);

/* True for INT, BIGINT, DECIMAL, DOUBLE. */
bool sl_type_is_numeric(const sl_type_t *t);

/* Index of the STRUCT field named name (exact match first, then
 * case-insensitive), or -1. */
int sl_type_field_index(const sl_type_t *t, const char *name);

/* Appends the SQL spelling as ksqlDB prints it in schemas and DESCRIBE:
 * INTEGER, BIGINT, DECIMAL(4, 2), ARRAY<STRING>, MAP<STRING, INTEGER>,
 * STRUCT<`A` INTEGER, `B` STRING>. */
void sl_type_format(sl_strbuf_t *out, const sl_type_t *t);

/* The name of a kind as ksqlDB spells it in messages (INTEGER, STRING). */
const char *sl_tkind_name(sl_tkind_t k);

/* Formats t into buf (truncated to size, always NUL-terminated) and
 * returns buf: for error messages. */
const char *sl_type_str(const sl_type_t *t, char *buf, size_t size);

/* True for INT and BIGINT. */
bool sl_type_is_integral(const sl_type_t *t);

/* Looks up a type defined with CREATE TYPE; NULL when there is none. */
typedef const sl_type_t *(*sl_type_lookup_fn)(void *ud, const char *name);

/*
 * Builds the type written as the TYPE node n (parse/ast.h) in a.  Named
 * types are resolved with lookup (may be NULL: then every named type is
 * unknown).  Returns SL_OK, or SL_EINVAL with err set at the offending
 * node: unknown type, DECIMAL precision outside 1..38 or scale outside
 * 0..precision, duplicate STRUCT field.
 */
int sl_type_from_ast(const struct sl_node *n, sl_arena_t *a, sl_type_lookup_fn lookup, void *ud,
		     const sl_type_t **out, sl_error_t *err);

/* Largest DECIMAL precision. */
#define SL_DECIMAL_MAX_PRECISION 38

#endif
