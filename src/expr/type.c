/*
 * type.c: SQL data types (see type.h).
 *
 * Stage: expr.  Primitive types are static singletons; composite ones are
 * built in the caller's arena.  Equality is structural.
 */
#include "expr/type.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/ast.h"

static const sl_type_t prim[SL_T__COUNT] = {
	[SL_T_NULL] = { .kind = SL_T_NULL },     [SL_T_BOOLEAN] = { .kind = SL_T_BOOLEAN },
	[SL_T_INT] = { .kind = SL_T_INT },       [SL_T_BIGINT] = { .kind = SL_T_BIGINT },
	[SL_T_DOUBLE] = { .kind = SL_T_DOUBLE }, [SL_T_STRING] = { .kind = SL_T_STRING },
	[SL_T_BYTES] = { .kind = SL_T_BYTES },   [SL_T_TIMESTAMP] = { .kind = SL_T_TIMESTAMP },
	[SL_T_DATE] = { .kind = SL_T_DATE },     [SL_T_TIME] = { .kind = SL_T_TIME },
};

const sl_type_t *
sl_type_null(void)
{
	return &prim[SL_T_NULL];
}
const sl_type_t *
sl_type_boolean(void)
{
	return &prim[SL_T_BOOLEAN];
}
const sl_type_t *
sl_type_int(void)
{
	return &prim[SL_T_INT];
}
const sl_type_t *
sl_type_bigint(void)
{
	return &prim[SL_T_BIGINT];
}
const sl_type_t *
sl_type_double(void)
{
	return &prim[SL_T_DOUBLE];
}
const sl_type_t *
sl_type_string(void)
{
	return &prim[SL_T_STRING];
}
const sl_type_t *
sl_type_bytes(void)
{
	return &prim[SL_T_BYTES];
}
const sl_type_t *
sl_type_timestamp(void)
{
	return &prim[SL_T_TIMESTAMP];
}
const sl_type_t *
sl_type_date(void)
{
	return &prim[SL_T_DATE];
}
const sl_type_t *
sl_type_time(void)
{
	return &prim[SL_T_TIME];
}

const sl_type_t *
sl_type_primitive(sl_tkind_t k)
{
	switch (k) {
	case SL_T_DECIMAL:
	case SL_T_ARRAY:
	case SL_T_MAP:
	case SL_T_STRUCT:
	case SL_T__COUNT:
		return NULL;
	default:
		return &prim[k];
	}
}

const sl_type_t *
sl_type_decimal(sl_arena_t *a, int precision, int scale)
{
	sl_type_t *t = sl_arena_calloc(a, sizeof(*t));

	t->kind = SL_T_DECIMAL;
	t->precision = precision;
	t->scale = scale;
	return t;
}

const sl_type_t *
sl_type_array(sl_arena_t *a, const sl_type_t *elem)
{
	sl_type_t *t = sl_arena_calloc(a, sizeof(*t));

	t->kind = SL_T_ARRAY;
	t->elem = elem;
	return t;
}

const sl_type_t *
sl_type_map(sl_arena_t *a, const sl_type_t *key, const sl_type_t *value)
{
	sl_type_t *t = sl_arena_calloc(a, sizeof(*t));

	t->kind = SL_T_MAP;
	t->key = key;
	t->elem = value;
	return t;
}

const sl_type_t *
sl_type_struct(sl_arena_t *a, const sl_field_t *fields, int nfields)
{
	sl_type_t *t = sl_arena_calloc(a, sizeof(*t));
	sl_field_t *f = NULL;

	if (nfields > 0) {
		f = sl_arena_alloc(a, sizeof(*f) * (size_t)nfields);
		memcpy(f, fields, sizeof(*f) * (size_t)nfields);
	}
	t->kind = SL_T_STRUCT;
	t->nfields = nfields;
	t->fields = f;
	return t;
}

const sl_type_t *
sl_type_copy(sl_arena_t *a, const sl_type_t *t)
{
	switch (t->kind) {
	case SL_T_DECIMAL:
		return sl_type_decimal(a, t->precision, t->scale);
	case SL_T_ARRAY:
		return sl_type_array(a, sl_type_copy(a, t->elem));
	case SL_T_MAP:
		return sl_type_map(a, sl_type_copy(a, t->key), sl_type_copy(a, t->elem));
	case SL_T_STRUCT: {
		sl_type_t *c = sl_arena_calloc(a, sizeof(*c));
		sl_field_t *f = NULL;

		if (t->nfields > 0)
			f = sl_arena_alloc(a, sizeof(*f) * (size_t)t->nfields);
		for (int i = 0; i < t->nfields; i++) {
			f[i].name = sl_arena_strdup(a, t->fields[i].name);
			f[i].type = sl_type_copy(a, t->fields[i].type);
		}
		c->kind = SL_T_STRUCT;
		c->nfields = t->nfields;
		c->fields = f;
		return c;
	}
	default:
		return &prim[t->kind];
	}
}

bool
sl_type_equal(const sl_type_t *a, const sl_type_t *b)
{
	if (a == b)
		return true;
	if (a == NULL || b == NULL || a->kind != b->kind)
		return false;
	switch (a->kind) {
	case SL_T_DECIMAL:
		return a->precision == b->precision && a->scale == b->scale;
	case SL_T_ARRAY:
		return sl_type_equal(a->elem, b->elem);
	case SL_T_MAP:
		return sl_type_equal(a->key, b->key) && sl_type_equal(a->elem, b->elem);
	case SL_T_STRUCT:
		if (a->nfields != b->nfields)
			return false;
		for (int i = 0; i < a->nfields; i++) {
			if (strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
			    !sl_type_equal(a->fields[i].type, b->fields[i].type))
				return false;
		}
		return true;
	default:
		return true;
	}
}

bool
sl_type_is_numeric(const sl_type_t *t)
{
	return t->kind == SL_T_INT || t->kind == SL_T_BIGINT || t->kind == SL_T_DECIMAL ||
	       t->kind == SL_T_DOUBLE;
}

bool
sl_type_is_integral(const sl_type_t *t)
{
	return t->kind == SL_T_INT || t->kind == SL_T_BIGINT;
}

int
sl_type_field_index(const sl_type_t *t, const char *name)
{
	if (t->kind != SL_T_STRUCT)
		return -1;
	for (int i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return i;
	for (int i = 0; i < t->nfields; i++)
		if (strcasecmp(t->fields[i].name, name) == 0)
			return i;
	return -1;
}

const char *
sl_tkind_name(sl_tkind_t k)
{
	static const char *const names[SL_T__COUNT] = {
		[SL_T_NULL] = "NULL",
		[SL_T_BOOLEAN] = "BOOLEAN",
		[SL_T_INT] = "INTEGER",
		[SL_T_BIGINT] = "BIGINT",
		[SL_T_DOUBLE] = "DOUBLE",
		[SL_T_DECIMAL] = "DECIMAL",
		[SL_T_STRING] = "STRING",
		[SL_T_BYTES] = "BYTES",
		[SL_T_TIMESTAMP] = "TIMESTAMP",
		[SL_T_DATE] = "DATE",
		[SL_T_TIME] = "TIME",
		[SL_T_ARRAY] = "ARRAY",
		[SL_T_MAP] = "MAP",
		[SL_T_STRUCT] = "STRUCT",
	};
	if ((unsigned)k >= SL_T__COUNT)
		return "?";
	return names[k];
}

void
sl_type_format(sl_strbuf_t *out, const sl_type_t *t)
{
	switch (t->kind) {
	case SL_T_DECIMAL:
		sl_strbuf_printf(out, "DECIMAL(%d, %d)", t->precision, t->scale);
		break;
	case SL_T_ARRAY:
		sl_strbuf_puts(out, "ARRAY<");
		sl_type_format(out, t->elem);
		sl_strbuf_putc(out, '>');
		break;
	case SL_T_MAP:
		sl_strbuf_puts(out, "MAP<");
		sl_type_format(out, t->key);
		sl_strbuf_puts(out, ", ");
		sl_type_format(out, t->elem);
		sl_strbuf_putc(out, '>');
		break;
	case SL_T_STRUCT:
		sl_strbuf_puts(out, "STRUCT<");
		for (int i = 0; i < t->nfields; i++) {
			if (i > 0)
				sl_strbuf_puts(out, ", ");
			sl_strbuf_putc(out, '`');
			for (const char *p = t->fields[i].name; *p; p++) {
				if (*p == '`')
					sl_strbuf_putc(out, '`');
				sl_strbuf_putc(out, *p);
			}
			sl_strbuf_puts(out, "` ");
			sl_type_format(out, t->fields[i].type);
		}
		sl_strbuf_putc(out, '>');
		break;
	default:
		sl_strbuf_puts(out, sl_tkind_name(t->kind));
		break;
	}
}

const char *
sl_type_str(const sl_type_t *t, char *buf, size_t size)
{
	sl_strbuf_t sb;

	if (size == 0)
		return buf;
	sl_strbuf_init(&sb);
	sl_type_format(&sb, t);
	if (sb.len >= size) {
		memcpy(buf, sb.data, size - 1);
		buf[size - 1] = '\0';
	} else {
		memcpy(buf, sb.data, sb.len + 1);
	}
	sl_strbuf_free(&sb);
	return buf;
}

static int
parse_small_int(const char *s, int *out)
{
	long v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 1000000)
			return -1;
	}
	*out = (int)v;
	return 0;
}

int
sl_type_from_ast(const struct sl_node *n, sl_arena_t *a, sl_type_lookup_fn lookup, void *ud,
		 const sl_type_t **out, sl_error_t *err)
{
	const sl_type_t *e, *k;
	int rc;

	switch (n->op) {
	case SL_TYPE_BOOLEAN:
		*out = sl_type_boolean();
		return SL_OK;
	case SL_TYPE_INT:
		*out = sl_type_int();
		return SL_OK;
	case SL_TYPE_BIGINT:
		*out = sl_type_bigint();
		return SL_OK;
	case SL_TYPE_DOUBLE:
		*out = sl_type_double();
		return SL_OK;
	case SL_TYPE_STRING:
		*out = sl_type_string();
		return SL_OK;
	case SL_TYPE_BYTES:
		*out = sl_type_bytes();
		return SL_OK;
	case SL_TYPE_TIMESTAMP:
		*out = sl_type_timestamp();
		return SL_OK;
	case SL_TYPE_DATE:
		*out = sl_type_date();
		return SL_OK;
	case SL_TYPE_TIME:
		*out = sl_type_time();
		return SL_OK;
	case SL_TYPE_DECIMAL: {
		int p, s;

		if (parse_small_int(n->str, &p) != 0 || p < 1 || p > SL_DECIMAL_MAX_PRECISION)
			return sl_error_at(err, SL_EINVAL, n->loc,
					   "DECIMAL precision must be between 1 and %d",
					   SL_DECIMAL_MAX_PRECISION);
		if (parse_small_int(n->str2, &s) != 0 || s > p)
			return sl_error_at(err, SL_EINVAL, n->loc,
					   "DECIMAL scale must be between 0 and the precision (%d)",
					   p);
		*out = sl_type_decimal(a, p, s);
		return SL_OK;
	}
	case SL_TYPE_ARRAY:
		rc = sl_type_from_ast(n->kids[0], a, lookup, ud, &e, err);
		if (rc != SL_OK)
			return rc;
		*out = sl_type_array(a, e);
		return SL_OK;
	case SL_TYPE_MAP:
		rc = sl_type_from_ast(n->kids[0], a, lookup, ud, &k, err);
		if (rc != SL_OK)
			return rc;
		rc = sl_type_from_ast(n->kids[1], a, lookup, ud, &e, err);
		if (rc != SL_OK)
			return rc;
		*out = sl_type_map(a, k, e);
		return SL_OK;
	case SL_TYPE_STRUCT: {
		sl_field_t *f = NULL;

		if (n->nkids > 0)
			f = sl_arena_alloc(a, sizeof(*f) * (size_t)n->nkids);
		for (int i = 0; i < n->nkids; i++) {
			const sl_node_t *ft = n->kids[i];

			for (int j = 0; j < i; j++)
				if (strcmp(f[j].name, ft->str) == 0)
					return sl_error_at(err, SL_EINVAL, ft->loc,
							   "duplicate field \"%s\" in STRUCT",
							   ft->str);
			f[i].name = sl_arena_strdup(a, ft->str);
			rc = sl_type_from_ast(ft->kids[0], a, lookup, ud, &f[i].type, err);
			if (rc != SL_OK)
				return rc;
		}
		*out = sl_type_struct(a, f, n->nkids);
		return SL_OK;
	}
	case SL_TYPE_NAMED: {
		const sl_type_t *t = lookup ? lookup(ud, n->str) : NULL;

		if (t == NULL)
			return sl_error_at(err, SL_EINVAL, n->loc, "type \"%s\" does not exist",
					   n->str);
		*out = t;
		return SL_OK;
	}
	default:
		return sl_error_at(err, SL_EINVAL, n->loc, "unknown type");
	}
}
