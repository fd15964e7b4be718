/*
 * serde_impl.h: what the serde files of src/format share; not for use
 * outside src/format.
 *
 * Stage: format.  serde.c builds the sl_serde_t and dispatches; json_*.c,
 * delimited.c and kafka_fmt.c implement one format each on top of it.
 */
#ifndef SL_FORMAT_SERDE_IMPL_H
#define SL_FORMAT_SERDE_IMPL_H

#include <stdint.h>

#include "format/serde.h"

/* Deepest JSON nesting accepted (Jackson's default limit). */
#define SL_JSON_MAX_DEPTH 1000

typedef struct sl_jplan sl_jplan_t;

typedef struct sl_jfield {
	const char *name;
	uint32_t len;
	const sl_jplan_t *plan;
} sl_jfield_t;

/*
 * The JSON decoder's view of a type, built once per serde: field names
 * with their lengths, whether they stay distinct when upper-cased (then a
 * case-insensitive match is final without looking for an exact one).
 */
struct sl_jplan {
	const sl_type_t *type;
	sl_tkind_t kind;
	const sl_jplan_t *elem; /* ARRAY element, MAP value */
	int nfields;            /* STRUCT */
	const sl_jfield_t *fields;
	bool ci_unique;
};

struct sl_serde {
	sl_format_t format;
	bool is_key;
	bool wrapped; /* JSON: an object of the columns */
	char delim;   /* DELIMITED */
	int ncols;
	sl_field_t *cols;          /* names copied into arena */
	const sl_type_t *row_type; /* STRUCT of the columns (messages) */
	const sl_jplan_t *jplan;   /* JSON: the whole payload */
	const char **jkey;         /* JSON: "\"NAME\":" of each column */
	uint32_t *jkey_len;
	sl_arena_t arena; /* everything above */
};

/* json_decode.c */
const sl_jplan_t *sl_jplan_build(sl_arena_t *a, const sl_type_t *t);
int sl_json_decode(const sl_serde_t *s, const char *p, size_t len, sl_arena_t *arena,
		   sl_value_t *out, sl_error_t *err);

/* json_encode.c */
int sl_json_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out,
		   sl_error_t *err);
/* Writes s[0..n) as a JSON string literal, escaped as Jackson does,
 * invalid UTF-8 replaced by U+FFFD; dst needs 6 * n + 2 bytes.  Returns
 * the end of what was written. */
char *sl_json_escape_to(char *dst, const char *s, size_t n);

/* delimited.c */
int sl_delimited_decode(const sl_serde_t *s, const char *p, size_t len, sl_arena_t *arena,
			sl_value_t *out, sl_error_t *err);
int sl_delimited_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out,
			sl_error_t *err);

/* kafka_fmt.c */
int sl_kafka_decode(const sl_serde_t *s, const char *p, size_t len, sl_arena_t *arena,
		    sl_value_t *out, sl_error_t *err);
int sl_kafka_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out,
		    sl_error_t *err);

/* Room for n more bytes (and a NUL) at the end of sb; returns where they
 * start.  Write there, then sl_sb_commit() the end. */
char *sl_sb_grow(sl_strbuf_t *sb, size_t n);

static inline char *
sl_sb_reserve(sl_strbuf_t *sb, size_t n)
{
	if (sb->cap - sb->len >= n + 1)
		return sb->data + sb->len;
	return sl_sb_grow(sb, n);
}

static inline void
sl_sb_commit(sl_strbuf_t *sb, char *end)
{
	sb->len = (size_t)(end - sb->data);
	sb->data[sb->len] = '\0';
}

/* An error for a value whose kind does not fit its column. */
int sl_serde_kind_error(sl_error_t *err, const sl_value_t *v, const sl_type_t *t, const char *col);

#endif
