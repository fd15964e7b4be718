/*
 * store.c: SQLite tables that hold materialized results (see store.h).
 *
 * Stage: state.
 */
#include "state/store.h"

#include <stdio.h>
#include <string.h>

#include "format/serde.h"

/* The group's bytes: a tagged binary form that is equal exactly when the
 * values are (the hash key, and the start of _k). */
void
sl_store_key_put(sl_strbuf_t *sb, const sl_value_t *v)
{
	sl_strbuf_putc(sb, (char)v->kind);
	switch (v->kind) {
	case SL_T_NULL:
		break;
	case SL_T_BOOLEAN:
		sl_strbuf_putc(sb, v->u.b ? 1 : 0);
		break;
	case SL_T_INT:
	case SL_T_DATE:
		sl_strbuf_append(sb, (const char *)&v->u.i, sizeof(v->u.i));
		break;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		sl_strbuf_append(sb, (const char *)&v->u.l, sizeof(v->u.l));
		break;
	case SL_T_DOUBLE:
		sl_strbuf_append(sb, (const char *)&v->u.d, sizeof(v->u.d));
		break;
	case SL_T_DECIMAL:
		sl_strbuf_putc(sb, (char)v->precision);
		sl_strbuf_putc(sb, (char)v->scale);
		sl_strbuf_append(sb, (const char *)&v->u.dec, sizeof(v->u.dec));
		break;
	case SL_T_STRING:
	case SL_T_BYTES:
		sl_strbuf_append(sb, (const char *)&v->u.s.len, sizeof(v->u.s.len));
		sl_strbuf_append(sb, v->u.s.ptr, (size_t)v->u.s.len);
		break;
	default:
		sl_strbuf_append(sb, (const char *)&v->u.list->n, sizeof(v->u.list->n));
		for (int32_t i = 0; i < (v->kind == SL_T_MAP ? 2 : 1) * v->u.list->n; i++)
			sl_store_key_put(sb, &v->u.list->items[i]);
		break;
	}
}

/* Reads back what sl_store_key_put() wrote; payloads point into p or arena. */
const char *
sl_store_key_get(const char *p, sl_arena_t *a, sl_value_t *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = (uint8_t)*p++;
	switch (v->kind) {
	case SL_T_NULL:
		break;
	case SL_T_BOOLEAN:
		v->u.b = *p++ != 0;
		break;
	case SL_T_INT:
	case SL_T_DATE:
		memcpy(&v->u.i, p, sizeof(v->u.i));
		p += sizeof(v->u.i);
		break;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		memcpy(&v->u.l, p, sizeof(v->u.l));
		p += sizeof(v->u.l);
		break;
	case SL_T_DOUBLE:
		memcpy(&v->u.d, p, sizeof(v->u.d));
		p += sizeof(v->u.d);
		break;
	case SL_T_DECIMAL:
		v->precision = (uint8_t)*p++;
		v->scale = (int8_t)*p++;
		memcpy(&v->u.dec, p, sizeof(v->u.dec));
		p += sizeof(v->u.dec);
		break;
	case SL_T_STRING:
	case SL_T_BYTES:
		memcpy(&v->u.s.len, p, sizeof(v->u.s.len));
		p += sizeof(v->u.s.len);
		v->u.s.ptr = p;
		p += v->u.s.len;
		break;
	default: {
		int32_t n;
		memcpy(&n, p, sizeof(n));
		p += sizeof(n);
		sl_value_t l = sl_value_list(a, (sl_tkind_t)v->kind, n);
		for (int32_t i = 0; i < (v->kind == SL_T_MAP ? 2 : 1) * n; i++)
			p = sl_store_key_get(p, a, &l.u.list->items[i]);
		*v = l;
		break;
	}
	}
	return p;
}

/* A window start as 8 bytes that sort like the number. */
void
sl_store_time_put(sl_strbuf_t *sb, int64_t t)
{
	uint64_t u = (uint64_t)t ^ (1ULL << 63);
	char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (char)(u >> (56 - 8 * i));
	sl_strbuf_append(sb, b, 8);
}

void
sl_store_bind_value(sqlite3_stmt *st, int i, const sl_value_t *v, const sl_type_t *t, sl_strbuf_t *sb)
{
	switch (v->kind) {
	case SL_T_NULL:
		sqlite3_bind_null(st, i);
		break;
	case SL_T_BOOLEAN:
		sqlite3_bind_int(st, i, v->u.b);
		break;
	case SL_T_INT:
	case SL_T_DATE:
		sqlite3_bind_int(st, i, v->u.i);
		break;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		sqlite3_bind_int64(st, i, v->u.l);
		break;
	case SL_T_DOUBLE:
		sqlite3_bind_double(st, i, v->u.d);
		break;
	case SL_T_BYTES:
		sqlite3_bind_blob(st, i, v->u.s.ptr, v->u.s.len, SQLITE_TRANSIENT);
		break;
	case SL_T_STRING:
		sqlite3_bind_text(st, i, v->u.s.ptr, v->u.s.len, SQLITE_TRANSIENT);
		break;
	default:
		/* DECIMAL as its exact text, complex values as JSON */
		sl_strbuf_reset(sb);
		sl_serde_json_value(sb, v, t);
		sqlite3_bind_text(st, i, sb->data, (int)sb->len, SQLITE_TRANSIENT);
		break;
	}
}

/* The SQLite column type of t (affinity follows the name). */
const char *
sl_store_sql_type(const sl_type_t *t, char *buf, size_t size)
{
	switch (t->kind) {
	case SL_T_BOOLEAN: return "BOOLEAN";
	case SL_T_INT: return "INT";
	case SL_T_BIGINT: return "BIGINT";
	case SL_T_DOUBLE: return "DOUBLE";
	case SL_T_DECIMAL:
		snprintf(buf, size, "DECIMAL(%d,%d)", t->precision, t->scale);
		return buf;
	case SL_T_STRING: return "VARCHAR";
	case SL_T_BYTES: return "BLOB";
	case SL_T_TIMESTAMP: return "TIMESTAMP";
	case SL_T_DATE: return "DATE";
	case SL_T_TIME: return "TIME";
	default: return "JSON";
	}
}

void
sl_store_quote_ident(sl_strbuf_t *sb, const char *name)
{
	sl_strbuf_putc(sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			sl_strbuf_putc(sb, '"');
		sl_strbuf_putc(sb, *p);
	}
	sl_strbuf_putc(sb, '"');
}

int
sl_store_table_ensure(sqlite3 *db, const char *name, const char *create_sql, bool *recreated,
		      sl_error_t *err)
{
	sqlite3_stmt *st;
	bool exists = false, same = false;

	*recreated = false;
	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "reading the schema: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		exists = true;
		same = strcmp((const char *)sqlite3_column_text(st, 0), create_sql) == 0;
	}
	sqlite3_finalize(st);
	if (same)
		return SL_OK;
	if (exists) {
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		sl_strbuf_puts(&sb, "DROP TABLE ");
		sl_store_quote_ident(&sb, name);
		int rc = sqlite3_exec(db, sb.data, NULL, NULL, NULL);
		sl_strbuf_free(&sb);
		if (rc != SQLITE_OK)
			return sl_error_set(err, SL_EIO, "dropping \"%s\": %s", name, sqlite3_errmsg(db));
		*recreated = true;
	}
	if (sqlite3_exec(db, create_sql, NULL, NULL, NULL) != SQLITE_OK)
		return sl_error_set(err, SL_EIO, "creating \"%s\": %s", name, sqlite3_errmsg(db));
	return SL_OK;
}
