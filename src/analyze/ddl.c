/*
 * ddl.c: analysis of CREATE STREAM/TABLE, CREATE TYPE and WITH clauses.
 *
 * Stage: analyze.  Consumes CREATE_SOURCE / CREATE_TYPE / PROPERTY nodes;
 * hands on sl_source_t and sl_named_type_t definitions for the catalog.
 */
#include "analyze/analyze.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const known_formats[] = {
	"JSON", "DELIMITED", "KAFKA", "NONE", "AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR",
};

bool
sl_format_supported(const char *fmt)
{
	return strcmp(fmt, "JSON") == 0 || strcmp(fmt, "DELIMITED") == 0 ||
	       strcmp(fmt, "KAFKA") == 0 || strcmp(fmt, "NONE") == 0;
}

bool
sl_is_pseudo_column(const char *name)
{
	return strcmp(name, "ROWTIME") == 0 || strcmp(name, "ROWPARTITION") == 0 ||
	       strcmp(name, "ROWOFFSET") == 0 || strcmp(name, "WINDOWSTART") == 0 ||
	       strcmp(name, "WINDOWEND") == 0;
}

static char *
upper_dup(sl_arena_t *a, const char *s)
{
	char *u = sl_arena_strdup(a, s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

static int
check_format(const char *fmt, int loc, sl_error_t *err)
{
	for (size_t i = 0; i < sizeof(known_formats) / sizeof(known_formats[0]); i++)
		if (strcmp(fmt, known_formats[i]) == 0)
			return SL_OK;
	return sl_error_at(err, SL_EINVAL, loc, "unknown format \"%s\"", fmt);
}

/* The value of a property literal as text, or NULL for a non-string. */
static const char *
prop_string(const sl_node_t *p)
{
	const sl_node_t *v = p->kids[0];
	return (v->kind == SL_N_LITERAL && v->op == SL_LIT_STRING) ? v->str : NULL;
}

static int
prop_int(const sl_node_t *p, long long *out, sl_error_t *err)
{
	const sl_node_t *v = p->kids[0];
	const char *s = v->str;
	char *end;

	if (v->kind != SL_N_LITERAL || (v->op != SL_LIT_INTEGER && v->op != SL_LIT_STRING))
		return sl_error_at(err, SL_EINVAL, v->loc, "property %s takes a whole number", p->str);
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return sl_error_at(err, SL_EINVAL, v->loc, "property %s takes a whole number, not \"%s\"",
				   p->str, s);
	return SL_OK;
}

static int
prop_bool(const sl_node_t *p, int *out, sl_error_t *err)
{
	const sl_node_t *v = p->kids[0];
	if (v->kind == SL_N_LITERAL && (v->op == SL_LIT_BOOLEAN || v->op == SL_LIT_STRING)) {
		if (strcasecmp(v->str, "true") == 0) {
			*out = 1;
			return SL_OK;
		}
		if (strcasecmp(v->str, "false") == 0) {
			*out = 0;
			return SL_OK;
		}
	}
	return sl_error_at(err, SL_EINVAL, v->loc, "property %s takes true or false", p->str);
}

bool
sl_analyze_time_unit(const char *unit, int64_t *ms)
{
	static const struct {
		const char *unit;
		int64_t ms;
	} units[] = {
		{"MILLISECOND", 1}, {"MILLISECONDS", 1}, {"SECOND", 1000}, {"SECONDS", 1000},
		{"MINUTE", 60000}, {"MINUTES", 60000}, {"HOUR", 3600000}, {"HOURS", 3600000},
		{"DAY", 86400000}, {"DAYS", 86400000},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(unit, units[i].unit) == 0) {
			*ms = units[i].ms;
			return true;
		}
	}
	return false;
}

/* Parses "10 SECONDS"-style window sizes as ksqlDB's WINDOW_SIZE. */
static int
parse_window_size(const char *s, int64_t *ms)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	int64_t unit;
	while (*end == ' ')
		end++;
	if (end == s || n <= 0 || !sl_analyze_time_unit(end, &unit))
		return -1;
	*ms = n * unit;
	return 0;
}

static int
with_prop(const sl_node_t *p, sl_arena_t *a, sl_with_t *w, sl_error_t *err)
{
	const char *name = p->str;
	const char *s = prop_string(p);
	long long n;
	int rc;

	/* property names are case-insensitive */
	char *key = upper_dup(a, name);
	if (strcmp(key, "KAFKA_TOPIC") == 0) {
		if (s == NULL || s[0] == '\0')
			return sl_error_at(err, SL_EINVAL, p->loc, "KAFKA_TOPIC takes a topic name");
		w->topic = sl_arena_strdup(a, s);
	} else if (strcmp(key, "PARTITIONS") == 0) {
		if ((rc = prop_int(p, &n, err)) != SL_OK)
			return rc;
		if (n <= 0 || n > 100000)
			return sl_error_at(err, SL_EINVAL, p->loc, "PARTITIONS must be positive");
		w->partitions = (int)n;
	} else if (strcmp(key, "REPLICAS") == 0) {
		if ((rc = prop_int(p, &n, err)) != SL_OK)
			return rc;
		if (n <= 0 || n > 1000)
			return sl_error_at(err, SL_EINVAL, p->loc, "REPLICAS must be positive");
		w->replicas = (int)n;
	} else if (strcmp(key, "VALUE_FORMAT") == 0 || strcmp(key, "KEY_FORMAT") == 0 ||
		   strcmp(key, "FORMAT") == 0) {
		if (s == NULL)
			return sl_error_at(err, SL_EINVAL, p->loc, "%s takes a format name", key);
		char *fmt = upper_dup(a, s);
		if ((rc = check_format(fmt, p->kids[0]->loc, err)) != SL_OK)
			return rc;
		if (key[0] == 'F') {
			if (w->key_format != NULL || w->value_format != NULL)
				return sl_error_at(err, SL_EINVAL, p->loc,
						   "FORMAT cannot be combined with KEY_FORMAT or VALUE_FORMAT");
			w->key_format = w->value_format = fmt;
		} else if (key[0] == 'V') {
			w->value_format = fmt;
		} else {
			w->key_format = fmt;
		}
	} else if (strcmp(key, "VALUE_DELIMITER") == 0 || strcmp(key, "KEY_DELIMITER") == 0) {
		/* kept as written (one character, TAB or SPACE): the serde
		 * checks it when the source is validated */
		if (s == NULL)
			return sl_error_at(err, SL_EINVAL, p->loc, "%s takes a string", key);
		if (key[0] == 'V')
			w->value_delimiter = sl_arena_strdup(a, s);
		else
			w->key_delimiter = sl_arena_strdup(a, s);
	} else if (strcmp(key, "WRAP_SINGLE_VALUE") == 0) {
		if ((rc = prop_bool(p, &w->wrap_single_value, err)) != SL_OK)
			return rc;
	} else if (strcmp(key, "TIMESTAMP") == 0) {
		if (s == NULL)
			return sl_error_at(err, SL_EINVAL, p->loc, "TIMESTAMP takes a column name");
		/* a quoted name keeps its case: `ts` */
		size_t len = strlen(s);
		if (len >= 2 && s[0] == '`' && s[len - 1] == '`')
			w->timestamp = sl_arena_strndup(a, s + 1, len - 2);
		else
			w->timestamp = upper_dup(a, s);
	} else if (strcmp(key, "TIMESTAMP_FORMAT") == 0) {
		if (s == NULL)
			return sl_error_at(err, SL_EINVAL, p->loc, "TIMESTAMP_FORMAT takes a pattern");
		w->timestamp_format = sl_arena_strdup(a, s);
	} else if (strcmp(key, "WINDOW_TYPE") == 0) {
		if (s != NULL && strcasecmp(s, "TUMBLING") == 0)
			w->window_type = SL_WIN_TUMBLING;
		else if (s != NULL && strcasecmp(s, "HOPPING") == 0)
			w->window_type = SL_WIN_HOPPING;
		else if (s != NULL && strcasecmp(s, "SESSION") == 0)
			w->window_type = SL_WIN_SESSION;
		else
			return sl_error_at(err, SL_EINVAL, p->loc,
					   "WINDOW_TYPE must be TUMBLING, HOPPING or SESSION");
	} else if (strcmp(key, "WINDOW_SIZE") == 0) {
		if (s == NULL || parse_window_size(s, &w->window_size_ms) != 0)
			return sl_error_at(err, SL_EINVAL, p->loc,
					   "WINDOW_SIZE takes a size such as '10 SECONDS'");
	} else if (strcmp(key, "RETENTION_MS") == 0) {
		if ((rc = prop_int(p, &n, err)) != SL_OK)
			return rc;
		w->retention_ms = n;
	} else if (strcmp(key, "VALUE_SCHEMA_ID") == 0 || strcmp(key, "KEY_SCHEMA_ID") == 0 ||
		   strcmp(key, "VALUE_SCHEMA_FULL_NAME") == 0 ||
		   strcmp(key, "KEY_SCHEMA_FULL_NAME") == 0 ||
		   strcmp(key, "VALUE_AVRO_SCHEMA_FULL_NAME") == 0) {
		/* schema-registry properties: accepted, meaningful only with the
		 * registry formats, which are refused elsewhere */
	} else {
		return sl_error_at(err, SL_EINVAL, p->loc,
				   "invalid property \"%s\" in the WITH clause", name);
	}
	return SL_OK;
}

int
sl_analyze_with(const sl_node_t *props, sl_arena_t *a, sl_with_t *w, sl_error_t *err)
{
	memset(w, 0, sizeof(*w));
	w->wrap_single_value = -1;
	w->loc = props ? props->loc : -1;
	for (int i = 0; props != NULL && i < props->nkids; i++) {
		int rc = with_prop(props->kids[i], a, w, err);
		if (rc != SL_OK)
			return rc;
	}
	if (w->window_type == SL_WIN_SESSION && w->window_size_ms != 0)
		return sl_error_at(err, SL_EINVAL, w->loc,
				   "WINDOW_SIZE should not be set for SESSION windows");
	if ((w->window_type == SL_WIN_TUMBLING || w->window_type == SL_WIN_HOPPING) &&
	    w->window_size_ms == 0)
		return sl_error_at(err, SL_EINVAL, w->loc,
				   "WINDOW_SIZE is required for TUMBLING and HOPPING windows");
	return SL_OK;
}

int
sl_analyze_type(const sl_node_t *t, const sl_catalog_t *cat, sl_arena_t *a,
		const sl_type_t **out, sl_error_t *err)
{
	const sl_type_t *k, *v;
	int rc;

	switch (t->op) {
	case SL_TYPE_BOOLEAN: *out = sl_type_boolean(); return SL_OK;
	case SL_TYPE_INT: *out = sl_type_int(); return SL_OK;
	case SL_TYPE_BIGINT: *out = sl_type_bigint(); return SL_OK;
	case SL_TYPE_DOUBLE: *out = sl_type_double(); return SL_OK;
	case SL_TYPE_STRING: *out = sl_type_string(); return SL_OK;
	case SL_TYPE_BYTES: *out = sl_type_bytes(); return SL_OK;
	case SL_TYPE_TIMESTAMP: *out = sl_type_timestamp(); return SL_OK;
	case SL_TYPE_DATE: *out = sl_type_date(); return SL_OK;
	case SL_TYPE_TIME: *out = sl_type_time(); return SL_OK;
	case SL_TYPE_DECIMAL: {
		int p = atoi(t->str), s = atoi(t->str2);
		if (p < 1 || p > 38)
			return sl_error_at(err, SL_EINVAL, t->loc,
					   "DECIMAL precision must be between 1 and 38, not %d", p);
		if (s < 0 || s > p)
			return sl_error_at(err, SL_EINVAL, t->loc,
					   "DECIMAL scale must be between 0 and the precision %d, not %d",
					   p, s);
		*out = sl_type_decimal(a, p, s);
		return SL_OK;
	}
	case SL_TYPE_ARRAY:
		if ((rc = sl_analyze_type(t->kids[0], cat, a, &v, err)) != SL_OK)
			return rc;
		*out = sl_type_array(a, v);
		return SL_OK;
	case SL_TYPE_MAP:
		if ((rc = sl_analyze_type(t->kids[0], cat, a, &k, err)) != SL_OK)
			return rc;
		if ((rc = sl_analyze_type(t->kids[1], cat, a, &v, err)) != SL_OK)
			return rc;
		*out = sl_type_map(a, k, v);
		return SL_OK;
	case SL_TYPE_STRUCT: {
		sl_field_t *f = sl_arena_alloc(a, sizeof(*f) * (size_t)(t->nkids ? t->nkids : 1));
		for (int i = 0; i < t->nkids; i++) {
			for (int j = 0; j < i; j++)
				if (strcmp(f[j].name, t->kids[i]->str) == 0)
					return sl_error_at(err, SL_EINVAL, t->kids[i]->loc,
							   "duplicate field \"%s\" in STRUCT",
							   t->kids[i]->str);
			f[i].name = sl_arena_strdup(a, t->kids[i]->str);
			if ((rc = sl_analyze_type(t->kids[i]->kids[0], cat, a, &f[i].type, err)) != SL_OK)
				return rc;
		}
		*out = sl_type_struct(a, f, t->nkids);
		return SL_OK;
	}
	default: {
		sl_named_type_t *nt = cat ? sl_catalog_type(cat, t->str) : NULL;
		if (nt == NULL)
			return sl_error_at(err, SL_EINVAL, t->loc, "type \"%s\" does not exist", t->str);
		*out = sl_type_copy(a, nt->type);
		return SL_OK;
	}
	}
}

static bool
is_headers_type(const sl_type_t *t)
{
	return t->kind == SL_T_ARRAY && t->elem->kind == SL_T_STRUCT && t->elem->nfields == 2 &&
	       strcasecmp(t->elem->fields[0].name, "KEY") == 0 &&
	       t->elem->fields[0].type->kind == SL_T_STRING &&
	       strcasecmp(t->elem->fields[1].name, "VALUE") == 0 &&
	       t->elem->fields[1].type->kind == SL_T_BYTES;
}

int
sl_analyze_create_source(const sl_node_t *stmt, const sl_catalog_t *cat,
			 const sl_analyze_defaults_t *defs, const char *sql, sl_source_t **out,
			 sl_error_t *err)
{
	sl_source_t *src = sl_source_new();
	const sl_node_t *cols = stmt->kids[0];
	const char *what = stmt->op == SL_OBJ_TABLE ? "table" : "stream";
	sl_with_t w;
	int rc, nkeys = 0;

	src->name = sl_arena_strdup(&src->arena, stmt->str);
	src->kind = stmt->op;
	src->read_only = (stmt->flags & SL_F_SOURCE) != 0;
	src->sql = sl_arena_strdup(&src->arena, sql);
	if ((rc = sl_analyze_with(stmt->kids[1], &src->arena, &w, err)) != SL_OK)
		goto fail;
	if (src->read_only && (stmt->flags & SL_F_OR_REPLACE)) {
		rc = sl_error_at(err, SL_EINVAL, stmt->loc,
				 "CREATE OR REPLACE is not supported on source %ss", what);
		goto fail;
	}
	if (cols == NULL || cols->nkids == 0) {
		rc = sl_error_at(err, SL_EINVAL, stmt->str_loc,
				 "the %s \"%s\" has no columns: declare them, as in "
				 "CREATE %s %s (ID INT %s, ...)", what, stmt->str,
				 stmt->op == SL_OBJ_TABLE ? "TABLE" : "STREAM", stmt->str,
				 stmt->op == SL_OBJ_TABLE ? "PRIMARY KEY" : "KEY");
		goto fail;
	}
	if (w.topic == NULL) {
		rc = sl_error_at(err, SL_EINVAL, w.loc >= 0 ? w.loc : stmt->loc,
				 "missing property KAFKA_TOPIC in the WITH clause");
		goto fail;
	}
	if (w.value_format == NULL && defs != NULL && defs->value_format != NULL)
		w.value_format = upper_dup(&src->arena, defs->value_format);
	if (w.key_format == NULL && defs != NULL && defs->key_format != NULL)
		w.key_format = upper_dup(&src->arena, defs->key_format);
	if (w.value_format == NULL) {
		rc = sl_error_at(err, SL_EINVAL, w.loc >= 0 ? w.loc : stmt->loc,
				 "missing property VALUE_FORMAT (or FORMAT) in the WITH clause");
		goto fail;
	}
	src->topic = w.topic;
	src->partitions = w.partitions;
	src->replicas = w.replicas;
	src->key_format = w.key_format ? w.key_format : "KAFKA";
	src->value_format = w.value_format;
	src->key_delimiter = w.key_delimiter;
	src->value_delimiter = w.value_delimiter;
	src->wrap_single_value = w.wrap_single_value;
	src->timestamp_column = w.timestamp;
	src->timestamp_format = w.timestamp_format;
	src->window_type = w.window_type;
	src->window_size_ms = w.window_size_ms;

	/* key columns first, keeping the declaration order within each part */
	src->ncols = cols->nkids;
	src->cols = sl_arena_calloc(&src->arena, sizeof(*src->cols) * (size_t)cols->nkids);
	for (int i = 0; i < cols->nkids; i++)
		if (cols->kids[i]->op == SL_CONS_KEY || cols->kids[i]->op == SL_CONS_PRIMARY_KEY)
			nkeys++;
	int k = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < cols->nkids; i++) {
			const sl_node_t *c = cols->kids[i];
			bool key = c->op == SL_CONS_KEY || c->op == SL_CONS_PRIMARY_KEY;
			if (key != (pass == 0))
				continue;
			sl_column_t *col = &src->cols[k++];
			if (sl_is_pseudo_column(c->str)) {
				rc = sl_error_at(err, SL_EINVAL, c->loc,
						 "\"%s\" is a reserved column name", c->str);
				goto fail;
			}
			for (int j = 0; j < k - 1; j++) {
				if (strcmp(src->cols[j].name, c->str) == 0) {
					rc = sl_error_at(err, SL_EINVAL, c->loc,
							 "duplicate column name \"%s\"", c->str);
					goto fail;
				}
			}
			col->name = sl_arena_strdup(&src->arena, c->str);
			if ((rc = sl_analyze_type(c->kids[0], cat, &src->arena, &col->type, err)) != SL_OK)
				goto fail;
			switch (c->op) {
			case SL_CONS_KEY:
				if (src->kind == SL_OBJ_TABLE) {
					rc = sl_error_at(err, SL_EINVAL, c->loc,
							 "column \"%s\" is a KEY column: tables take "
							 "PRIMARY KEY instead", c->str);
					goto fail;
				}
				col->ns = SL_COL_KEY;
				break;
			case SL_CONS_PRIMARY_KEY:
				if (src->kind == SL_OBJ_STREAM) {
					rc = sl_error_at(err, SL_EINVAL, c->loc,
							 "column \"%s\" is a PRIMARY KEY column: streams "
							 "take KEY instead (streams have keys with no "
							 "uniqueness constraint)", c->str);
					goto fail;
				}
				col->ns = SL_COL_KEY;
				break;
			case SL_CONS_HEADERS:
				if (!is_headers_type(col->type)) {
					rc = sl_error_at(err, SL_EINVAL, c->loc,
							 "column \"%s\" marked HEADERS must have type "
							 "ARRAY<STRUCT<KEY STRING, VALUE BYTES>>", c->str);
					goto fail;
				}
				col->ns = SL_COL_HEADERS;
				break;
			case SL_CONS_HEADER:
				if (col->type->kind != SL_T_BYTES) {
					rc = sl_error_at(err, SL_EINVAL, c->loc,
							 "column \"%s\" marked HEADER('%s') must have "
							 "type BYTES", c->str, c->str2);
					goto fail;
				}
				col->ns = SL_COL_HEADER;
				col->header_key = sl_arena_strdup(&src->arena, c->str2);
				break;
			default:
				col->ns = SL_COL_VALUE;
				break;
			}
		}
	}
	/* a configured default wraps or unwraps single-column values only */
	if (src->wrap_single_value < 0 && defs != NULL && defs->wrap_single_value >= 0) {
		int nvals = 0;
		for (int i = 0; i < src->ncols; i++)
			nvals += src->cols[i].ns == SL_COL_VALUE;
		if (nvals == 1)
			src->wrap_single_value = defs->wrap_single_value;
	}
	if (src->window_type != SL_WIN_NONE && nkeys == 0) {
		rc = sl_error_at(err, SL_EINVAL, stmt->str_loc,
				 "windowed sources require a key column");
		goto fail;
	}
	if (src->kind == SL_OBJ_TABLE && nkeys == 0) {
		rc = sl_error_at(err, SL_EINVAL, stmt->str_loc,
				 "tables require a PRIMARY KEY: declare one, as in "
				 "CREATE TABLE %s (ID INT PRIMARY KEY, ...)", stmt->str);
		goto fail;
	}
	if (nkeys > 0 && strcmp(src->key_format, "NONE") == 0) {
		rc = sl_error_at(err, SL_EINVAL, stmt->str_loc,
				 "key format NONE cannot carry the key columns of \"%s\"", stmt->str);
		goto fail;
	}
	if (src->timestamp_column != NULL) {
		int i = sl_source_column(src, src->timestamp_column);
		if (i < 0) {
			rc = sl_error_at(err, SL_EINVAL, w.loc,
					 "TIMESTAMP column \"%s\" does not exist", src->timestamp_column);
			goto fail;
		}
		sl_tkind_t tk = src->cols[i].type->kind;
		if (src->timestamp_format == NULL && tk != SL_T_BIGINT && tk != SL_T_TIMESTAMP) {
			rc = sl_error_at(err, SL_EINVAL, w.loc,
					 "TIMESTAMP column \"%s\" must be BIGINT or TIMESTAMP, or a "
					 "STRING with TIMESTAMP_FORMAT", src->timestamp_column);
			goto fail;
		}
	}
	*out = src;
	return SL_OK;
fail:
	sl_source_free(src);
	*out = NULL;
	return rc;
}

int
sl_analyze_create_type(const sl_node_t *stmt, const sl_catalog_t *cat, const char *sql,
		       sl_named_type_t **out, sl_error_t *err)
{
	sl_named_type_t *t = sl_named_type_new();
	int rc;

	t->name = sl_arena_strdup(&t->arena, stmt->str);
	t->sql = sl_arena_strdup(&t->arena, sql);
	rc = sl_analyze_type(stmt->kids[0], cat, &t->arena, &t->type, err);
	if (rc != SL_OK) {
		sl_arena_destroy(&t->arena);
		free(t);
		*out = NULL;
		return rc;
	}
	*out = t;
	return SL_OK;
}
