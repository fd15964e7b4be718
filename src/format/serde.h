/*
 * serde.h: serializers/deserializers for Kafka keys and values (SPEC §4).
 *
 * Stage: format.  A serde is built once per source or sink from a format
 * (JSON, DELIMITED, KAFKA, NONE), the columns it carries (the key columns of
 * a key, the value columns of a value) and the WITH options; the executor
 * then calls sl_serde_decode() / sl_serde_encode() once per record.  The
 * rules are ksqlDB's: what a format accepts at creation, how a JSON value
 * is coerced to a column's type, how DELIMITED quotes, how KAFKA lays out
 * bytes (docs/formats.md has the full list with examples).
 *
 * A serde is immutable after sl_serde_create(): decode and encode may run on
 * any number of threads at once.  Neither allocates on the heap: decoded
 * strings point into the payload when they need no unescaping, and into the
 * caller's batch arena otherwise.
 */
#ifndef SL_FORMAT_SERDE_H
#define SL_FORMAT_SERDE_H

#include <stdbool.h>
#include <stddef.h>

#include "expr/type.h"
#include "expr/value.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

typedef enum sl_format {
	SL_FORMAT_NONE = 0,
	SL_FORMAT_KAFKA,
	SL_FORMAT_JSON,
	SL_FORMAT_DELIMITED,
} sl_format_t;

/*
 * Status of decode and encode when the payload is a Kafka null (a tombstone
 * for a table's value; a null key).  Not an error: it is positive, errors
 * are negative.
 */
#define SL_SERDE_NULL 1

/* WRAP_SINGLE_VALUE as given in WITH (or by the session default). */
typedef enum sl_serde_wrap {
	SL_SERDE_WRAP_DEFAULT = 0, /* not given: the format's default */
	SL_SERDE_WRAP_TRUE,
	SL_SERDE_WRAP_FALSE,
} sl_serde_wrap_t;

/*
 * is_key: a key serde (JSON keys of one column are never wrapped; keys may
 * not contain MAPs).  wrap: values only, ignored for keys.  delimiter:
 * DELIMITED only, 0 when not given (','), else from
 * sl_serde_delimiter_parse().
 */
typedef struct sl_serde_opts {
	bool is_key;
	sl_serde_wrap_t wrap;
	char delimiter;
} sl_serde_opts_t;

typedef struct sl_serde sl_serde_t;

/*
 * Parses a format name as written in WITH (any case).  Returns SL_OK, or
 * SL_EINVAL with "Unknown format: FOO" (ksqlDB's text), or, for AVRO,
 * PROTOBUF, PROTOBUF_NOSR and JSON_SR, SL_ENOTSUP with "format 'AVRO' is
 * not supported yet".
 */
int sl_format_parse(const char *name, sl_format_t *out, sl_error_t *err);

/* The upper-case name of f: "JSON", "DELIMITED", "KAFKA", "NONE". */
const char *sl_format_name(sl_format_t f);

/*
 * Parses a VALUE_DELIMITER / KEY_DELIMITER value: one character, or TAB or
 * SPACE (any case).  Returns SL_OK with *out set, or SL_EINVAL with ksqlDB's
 * message ("Invalid delimiter value: '<~>'. Delimiter must be a single
 * character or TAB,SPACE"; a blank delimiter: "Delimiter cannot be empty,
 * if you meant to have a tab or space for delimiter, please use the special
 * values 'TAB' or 'SPACE'"); the caller prefixes "Configuration
 * VALUE_DELIMITER is invalid: ".
 */
int sl_serde_delimiter_parse(const char *text, char *out, sl_error_t *err);

/*
 * Builds a serde for ncols columns cols[] (name as declared, type).
 * Names are copied; the types must outlive the serde (they live in the
 * catalog's or the query's arena).  opts may be NULL (a value serde with
 * defaults).
 *
 * Returns SL_OK and *out (free with sl_serde_destroy()), or SL_EINVAL with
 * the statement error ksqlDB gives, in ksqlDB's words so that its test
 * cases match:
 *   The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]
 *   JSON does not support the following configs: [delimiter]
 *   Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.
 *   'WRAP_SINGLE_VALUE' is only valid for single-field value schemas
 *   Map keys, including types that contain maps, are not supported ... (keys)
 *   The 'KAFKA' format only supports a single field. Got: [`A` INTEGER, `B` STRING]
 *   The 'KAFKA' format does not support type 'BOOLEAN'
 *   The 'DELIMITED' format does not support type 'ARRAY', column: `FOO`
 *   JSON only supports MAP types with STRING keys
 * The analyzer adds the context ("Key format does not support schema...").
 */
int sl_serde_create(sl_format_t format, const sl_field_t *cols, int ncols,
		    const sl_serde_opts_t *opts, sl_serde_t **out, sl_error_t *err);

/* As sl_serde_create() without keeping the serde: for validating DDL. */
int sl_serde_validate(sl_format_t format, const sl_field_t *cols, int ncols,
		      const sl_serde_opts_t *opts, sl_error_t *err);

void sl_serde_destroy(sl_serde_t *s);

sl_format_t sl_serde_format(const sl_serde_t *s);
int sl_serde_ncols(const sl_serde_t *s);
/* True when the JSON form is an object of columns (not a bare value). */
bool sl_serde_wrapped(const sl_serde_t *s);

/*
 * Decodes one payload into out[0..ncols).
 *
 * bytes == NULL is a Kafka null: returns SL_SERDE_NULL with every out[i]
 * NULL.  A JSON payload that is the literal null is the same thing (ksqlDB
 * reads it as a null row).  Otherwise returns SL_OK with out[] filled
 * (missing JSON fields and empty DELIMITED fields are NULL), or SL_EINVAL
 * with err describing the problem and where (a JSON path such as
 * "$.ADDRESS.ZIP", a DELIMITED column, a byte offset); messages never
 * quote the record's data, so they are safe for the processing log, which
 * adds topic, partition and offset.  out[] is unspecified after an error.
 *
 * Strings and bytes in out[] point into bytes[] when they can (the caller
 * keeps the payload alive as long as the values) and into arena otherwise;
 * arrays, maps and structs are built in arena.  NONE (and any serde of no
 * columns) ignores the payload.  Thread-safe; allocation-free apart from
 * arena.
 */
int sl_serde_decode(const sl_serde_t *s, const void *bytes, size_t len, sl_arena_t *arena,
		    sl_value_t *out, sl_error_t *err);

/*
 * Encodes values[0..ncols) (kinds matching the column types, or NULL) by
 * appending the payload to out.  Returns SL_OK, or SL_SERDE_NULL when the
 * payload is a Kafka null and nothing was appended: values == NULL (a
 * tombstone or a null key), NONE, no columns, and a single unwrapped JSON or
 * KAFKA column whose value is NULL.  Returns SL_EINVAL only when a value's
 * kind does not fit its column (a bug in the caller).  Thread-safe.
 */
int sl_serde_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out,
		    sl_error_t *err);

/*
 * Appends decoded values as JSON text for people (PRINT, the shell): a
 * single key column or a single column of an unwrapped or non-JSON value as
 * the bare value, otherwise an object of columns; values == NULL as null.
 * Numbers as the JSON encoder writes them (Java's double and decimal text).
 */
void sl_serde_render_json(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out);

/*
 * Appends v, of type t, as ksqlDB's JSON serializer writes it: DOUBLE as
 * Java prints it (1.0, 1.0E10, "NaN"), DECIMAL in plain notation with its
 * scale (1.50), TIMESTAMP and TIME as milliseconds, DATE as days, BYTES as
 * base64, MAP and STRUCT as objects, strings escaped as Jackson does.
 */
void sl_serde_json_value(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t);

/*
 * Kafka Streams' windowed keys: the key's bytes, then the window start
 * (time windows) or the window end and then start (sessions), 8 bytes
 * each, big-endian.  sl_serde_window_put() appends the window to an
 * encoded key; sl_serde_window_get() splits a windowed key of len bytes:
 * *key_len receives the length of the key's own bytes, *start and *end
 * the window (a time window's end is start + size); false when len cannot
 * hold a window.
 */
void sl_serde_window_put(sl_strbuf_t *out, bool session, int64_t start, int64_t end);
bool sl_serde_window_get(const void *key, size_t len, bool session, int64_t size,
			 size_t *key_len, int64_t *start, int64_t *end);

#endif
