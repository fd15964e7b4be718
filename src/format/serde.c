/*
 * serde.c: building serdes, and the per-record entry points (see serde.h).
 *
 * Stage: format.  sl_serde_create() checks a format against the columns
 * and options as ksqlDB does when a statement is prepared, then
 * precomputes what the hot path needs (the JSON plan, the encoded JSON
 * keys).  Decode and encode dispatch to json_*.c, delimited.c and
 * kafka_fmt.c; NONE, and any serde without columns, is handled here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/scalar.h"
#include "format/serde_impl.h"

/* ---- names ---- */

const char *
sl_format_name(sl_format_t f)
{
	switch (f) {
	case SL_FORMAT_NONE:
		return "NONE";
	case SL_FORMAT_KAFKA:
		return "KAFKA";
	case SL_FORMAT_JSON:
		return "JSON";
	case SL_FORMAT_DELIMITED:
		return "DELIMITED";
	}
	return "?";
}

int
sl_format_parse(const char *name, sl_format_t *out, sl_error_t *err)
{
	static const char *const later[] = { "AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR" };
	static const sl_format_t all[] = { SL_FORMAT_NONE, SL_FORMAT_KAFKA, SL_FORMAT_JSON,
					   SL_FORMAT_DELIMITED };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcasecmp(name, sl_format_name(all[i])) == 0) {
			*out = all[i];
			return SL_OK;
		}
	}
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (strcasecmp(name, later[i]) == 0)
			return sl_error_set(err, SL_ENOTSUP, "format '%s' is not supported yet",
					    later[i]);
	return sl_error_set(err, SL_EINVAL, "Unknown format: %s", name);
}

int
sl_serde_delimiter_parse(const char *text, char *out, sl_error_t *err)
{
	size_t n = strlen(text), b = 0, e = n;

	/* String.trim().isEmpty() */
	while (b < e && (unsigned char)text[b] <= ' ')
		b++;
	while (e > b && (unsigned char)text[e - 1] <= ' ')
		e--;
	if (b == e)
		return sl_error_set(
			err, SL_EINVAL,
			"Delimiter cannot be empty, if you meant to have a tab or space "
			"for delimiter, please use the special values 'TAB' or 'SPACE'");
	if (n == 1 && (unsigned char)text[0] < 0x80) {
		if (text[0] == '"')
			return sl_error_set(err, SL_EINVAL,
					    "The quoteChar character and the delimiter cannot be "
					    "the same ('\"')");
		*out = text[0];
		return SL_OK;
	}
	if (strcasecmp(text, "TAB") == 0) {
		*out = '\t';
		return SL_OK;
	}
	if (strcasecmp(text, "SPACE") == 0) {
		*out = ' ';
		return SL_OK;
	}
	return sl_error_set(err, SL_EINVAL,
			    "Invalid delimiter value: '%s'. Delimiter must be a single character "
			    "or TAB,SPACE",
			    text);
}

/* ---- validation ---- */

/* "[`A` INTEGER, `B` STRING KEY]" as ksqlDB lists columns in messages. */
static void
format_columns(sl_strbuf_t *sb, const sl_field_t *cols, int ncols, bool is_key)
{
	sl_strbuf_putc(sb, '[');
	for (int i = 0; i < ncols; i++) {
		if (i > 0)
			sl_strbuf_puts(sb, ", ");
		sl_strbuf_putc(sb, '`');
		for (const char *p = cols[i].name; *p; p++) {
			if (*p == '`')
				sl_strbuf_putc(sb, '`');
			sl_strbuf_putc(sb, *p);
		}
		sl_strbuf_puts(sb, "` ");
		sl_type_format(sb, cols[i].type);
		if (is_key)
			sl_strbuf_puts(sb, " KEY");
	}
	sl_strbuf_putc(sb, ']');
}

static bool
contains_map(const sl_type_t *t)
{
	switch (t->kind) {
	case SL_T_MAP:
		return true;
	case SL_T_ARRAY:
		return contains_map(t->elem);
	case SL_T_STRUCT:
		for (int i = 0; i < t->nfields; i++)
			if (contains_map(t->fields[i].type))
				return true;
		return false;
	default:
		return false;
	}
}

static bool
has_nonstring_map_key(const sl_type_t *t)
{
	switch (t->kind) {
	case SL_T_MAP:
		return t->key->kind != SL_T_STRING || has_nonstring_map_key(t->elem);
	case SL_T_ARRAY:
		return has_nonstring_map_key(t->elem);
	case SL_T_STRUCT:
		for (int i = 0; i < t->nfields; i++)
			if (has_nonstring_map_key(t->fields[i].type))
				return true;
		return false;
	default:
		return false;
	}
}

static int
check_schema(sl_format_t f, const sl_field_t *cols, int ncols, const sl_serde_opts_t *o,
	     sl_error_t *err)
{
	const char *fname = sl_format_name(f);
	sl_strbuf_t sb;
	int rc = SL_OK;

	sl_strbuf_init(&sb);
	if (f == SL_FORMAT_NONE && ncols > 0) {
		format_columns(&sb, cols, ncols, o->is_key);
		rc = sl_error_set(err, SL_EINVAL,
				  "The 'NONE' format can only be used when no columns are defined. "
				  "Got: %s",
				  sb.data);
		goto done;
	}
	if (o->delimiter != 0 && f != SL_FORMAT_DELIMITED) {
		rc = sl_error_set(err, SL_EINVAL,
				  "%s does not support the following configs: [delimiter]", fname);
		goto done;
	}
	if (!o->is_key && o->wrap == SL_SERDE_WRAP_TRUE && f != SL_FORMAT_JSON) {
		rc = sl_error_set(err, SL_EINVAL,
				  "Format '%s' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
				  fname);
		goto done;
	}
	if (!o->is_key && o->wrap != SL_SERDE_WRAP_DEFAULT && ncols != 1) {
		rc = sl_error_set(
			err, SL_EINVAL,
			"'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
		goto done;
	}
	for (int i = 0; o->is_key && i < ncols; i++) {
		if (contains_map(cols[i].type)) {
			sl_type_format(&sb, cols[i].type);
			rc = sl_error_set(
				err, SL_EINVAL,
				"Map keys, including types that contain maps, are not "
				"supported as they may lead to unexpected behavior due to "
				"inconsistent serialization. Key column name: `%s`. Column "
				"type: %s. See https://github.com/confluentinc/ksql/issues/6621 "
				"for more.",
				cols[i].name, sb.data);
			goto done;
		}
	}
	switch (f) {
	case SL_FORMAT_KAFKA:
		if (ncols > 1) {
			format_columns(&sb, cols, ncols, o->is_key);
			rc = sl_error_set(
				err, SL_EINVAL,
				"The 'KAFKA' format only supports a single field. Got: %s",
				sb.data);
			goto done;
		}
		if (ncols == 1) {
			sl_tkind_t k = cols[0].type->kind;

			if (k != SL_T_INT && k != SL_T_BIGINT && k != SL_T_DOUBLE &&
			    k != SL_T_STRING && k != SL_T_BYTES) {
				rc = sl_error_set(err, SL_EINVAL,
						  "The 'KAFKA' format does not support type '%s'",
						  sl_tkind_name(k));
				goto done;
			}
		}
		break;
	case SL_FORMAT_DELIMITED:
		for (int i = 0; i < ncols; i++) {
			sl_tkind_t k = cols[i].type->kind;

			if (k == SL_T_ARRAY || k == SL_T_MAP || k == SL_T_STRUCT) {
				rc = sl_error_set(
					err, SL_EINVAL,
					"The 'DELIMITED' format does not support type '%s', "
					"column: `%s`",
					sl_tkind_name(k), cols[i].name);
				goto done;
			}
		}
		break;
	case SL_FORMAT_JSON:
		for (int i = 0; i < ncols; i++) {
			if (has_nonstring_map_key(cols[i].type)) {
				rc = sl_error_set(err, SL_EINVAL,
						  "JSON only supports MAP types with STRING keys");
				goto done;
			}
		}
		break;
	case SL_FORMAT_NONE:
		break;
	}
done:
	sl_strbuf_free(&sb);
	return rc;
}

int
sl_serde_validate(sl_format_t format, const sl_field_t *cols, int ncols,
		  const sl_serde_opts_t *opts, sl_error_t *err)
{
	static const sl_serde_opts_t defaults;

	return check_schema(format, cols, ncols, opts ? opts : &defaults, err);
}

/* ---- life cycle ---- */

int
sl_serde_create(sl_format_t format, const sl_field_t *cols, int ncols, const sl_serde_opts_t *opts,
		sl_serde_t **out, sl_error_t *err)
{
	static const sl_serde_opts_t defaults;
	sl_serde_t *s;
	int rc;

	if (opts == NULL)
		opts = &defaults;
	*out = NULL;
	if ((rc = check_schema(format, cols, ncols, opts, err)) != SL_OK)
		return rc;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	sl_arena_init(&s->arena, 0);
	s->format = format;
	s->is_key = opts->is_key;
	s->delim = opts->delimiter ? opts->delimiter : ',';
	s->ncols = ncols;
	s->cols = sl_arena_calloc(&s->arena, sizeof(*s->cols) * (size_t)(ncols ? ncols : 1));
	for (int i = 0; i < ncols; i++) {
		s->cols[i].name = sl_arena_strdup(&s->arena, cols[i].name);
		s->cols[i].type = cols[i].type;
	}
	s->row_type = sl_type_struct(&s->arena, s->cols, ncols);
	if (format == SL_FORMAT_JSON && ncols > 0) {
		if (opts->is_key)
			s->wrapped = ncols > 1;
		else
			s->wrapped = ncols > 1 || opts->wrap != SL_SERDE_WRAP_FALSE;
		s->jplan = sl_jplan_build(&s->arena, s->wrapped ? s->row_type : s->cols[0].type);
		s->jkey = sl_arena_alloc(&s->arena, sizeof(*s->jkey) * (size_t)ncols);
		s->jkey_len = sl_arena_alloc(&s->arena, sizeof(*s->jkey_len) * (size_t)ncols);
		for (int i = 0; i < ncols; i++) {
			size_t n = strlen(s->cols[i].name);
			char *k = sl_arena_alloc(&s->arena, 6 * n + 3);
			char *e = sl_json_escape_to(k, s->cols[i].name, n);

			*e++ = ':';
			s->jkey[i] = k;
			s->jkey_len[i] = (uint32_t)(e - k);
		}
	}
	*out = s;
	return SL_OK;
}

void
sl_serde_destroy(sl_serde_t *s)
{
	if (s == NULL)
		return;
	sl_arena_destroy(&s->arena);
	free(s);
}

sl_format_t
sl_serde_format(const sl_serde_t *s)
{
	return s->format;
}

int
sl_serde_ncols(const sl_serde_t *s)
{
	return s->ncols;
}

bool
sl_serde_wrapped(const sl_serde_t *s)
{
	return s->wrapped;
}

/* ---- per record ---- */

int
sl_serde_decode(const sl_serde_t *s, const void *bytes, size_t len, sl_arena_t *arena,
		sl_value_t *out, sl_error_t *err)
{
	if (bytes == NULL) {
		memset(out, 0, sizeof(*out) * (size_t)s->ncols);
		return SL_SERDE_NULL;
	}
	if (s->ncols == 0)
		return SL_OK;
	if (len > INT32_MAX)
		return sl_error_set(err, SL_EINVAL, "payload of %zu bytes is too large", len);
	switch (s->format) {
	case SL_FORMAT_JSON:
		return sl_json_decode(s, bytes, len, arena, out, err);
	case SL_FORMAT_DELIMITED:
		return sl_delimited_decode(s, bytes, len, arena, out, err);
	case SL_FORMAT_KAFKA:
		return sl_kafka_decode(s, bytes, len, arena, out, err);
	case SL_FORMAT_NONE:
		break;
	}
	return SL_OK;
}

int
sl_serde_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out, sl_error_t *err)
{
	if (values == NULL || s->ncols == 0)
		return SL_SERDE_NULL;
	switch (s->format) {
	case SL_FORMAT_JSON:
		return sl_json_encode(s, values, out, err);
	case SL_FORMAT_DELIMITED:
		return sl_delimited_encode(s, values, out, err);
	case SL_FORMAT_KAFKA:
		return sl_kafka_encode(s, values, out, err);
	case SL_FORMAT_NONE:
		break;
	}
	return SL_SERDE_NULL;
}

void
sl_serde_render_json(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out)
{
	if (values == NULL || s->ncols == 0) {
		sl_strbuf_puts(out, "null");
		return;
	}
	if (s->ncols == 1 && (s->is_key || s->format != SL_FORMAT_JSON || !s->wrapped)) {
		sl_serde_json_value(out, &values[0], s->cols[0].type);
		return;
	}
	sl_strbuf_putc(out, '{');
	for (int i = 0; i < s->ncols; i++) {
		size_t n = strlen(s->cols[i].name);
		char *w;

		if (i > 0)
			sl_strbuf_putc(out, ',');
		w = sl_sb_reserve(out, 6 * n + 3);
		w = sl_json_escape_to(w, s->cols[i].name, n);
		*w++ = ':';
		sl_sb_commit(out, w);
		sl_serde_json_value(out, &values[i], s->cols[i].type);
	}
	sl_strbuf_putc(out, '}');
}

/* ---- shared helpers ---- */

char *
sl_sb_grow(sl_strbuf_t *sb, size_t n)
{
	if (sb->cap - sb->len < n + 1) {
		/* strbuf.h has no reserve: grow with one formatted append of n
		 * spaces, then take them back */
		size_t len = sb->len;

		while (sb->cap - len < n + 1) {
			size_t k = n < 0x40000000 ? n : 0x40000000;

			sl_strbuf_printf(sb, "%*s", (int)k, "");
		}
		sb->len = len;
		sb->data[len] = '\0';
	}
	return sb->data + sb->len;
}

int
sl_serde_kind_error(sl_error_t *err, const sl_value_t *v, const sl_type_t *t, const char *col)
{
	char tb[160];

	sl_type_str(t, tb, sizeof(tb));
	return sl_error_set(err, SL_EINVAL, "column \"%s\" of type %s holds a %s value", col, tb,
			    sl_tkind_name((sl_tkind_t)v->kind));
}

void
sl_serde_window_put(sl_strbuf_t *out, bool session, int64_t start, int64_t end)
{
	int64_t t[2] = {session ? end : start, start};
	for (int k = 0; k < (session ? 2 : 1); k++)
		for (int i = 0; i < 8; i++)
			sl_strbuf_putc(out, (char)((uint64_t)t[k] >> (56 - 8 * i)));
}

bool
sl_serde_window_get(const void *key, size_t len, bool session, int64_t size, size_t *key_len,
		    int64_t *start, int64_t *end)
{
	size_t wlen = session ? 16 : 8;
	if (key == NULL || len < wlen)
		return false;
	const unsigned char *w = (const unsigned char *)key + len - wlen;
	uint64_t t[2] = {0, 0};
	for (size_t i = 0; i < wlen; i++)
		t[i / 8] = (t[i / 8] << 8) | w[i];
	*start = (int64_t)(session ? t[1] : t[0]);
	*end = session ? (int64_t)t[0] : *start + size;
	*key_len = len - wlen;
	return true;
}
