/*
 * entity.c: ksqlDB REST entities built by the statement handlers.
 *
 * Stage: engine.  Hands on cJSON objects shaped as ksqlDB's /ksql endpoint
 * answers them, so that its clients work unchanged.
 */
#include "engine/internal.h"

#include <stdio.h>
#include <string.h>

cJSON *
sl_entity_new(sl_stmt_ctx_t *c, const char *type)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "@type", type);
	cJSON_AddStringToObject(o, "statementText", c->sql);
	cJSON_AddItemToObject(o, "warnings", cJSON_CreateArray());
	return o;
}

cJSON *
sl_entity_status(sl_stmt_ctx_t *c, const char *command_id, const char *message,
		 const char *query_id)
{
	cJSON *o = sl_entity_new(c, "currentStatus");
	cJSON *st = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "commandId", command_id);
	cJSON_AddStringToObject(st, "status", "SUCCESS");
	cJSON_AddStringToObject(st, "message", message);
	if (query_id != NULL)
		cJSON_AddStringToObject(st, "queryId", query_id);
	else
		cJSON_AddNullToObject(st, "queryId");
	cJSON_AddItemToObject(o, "commandStatus", st);
	cJSON_AddNumberToObject(o, "commandSequenceNumber", (double)++c->eng->command_seq);
	return o;
}

static const char *
schema_type_name(const sl_type_t *t)
{
	switch (t->kind) {
	case SL_T_BOOLEAN: return "BOOLEAN";
	case SL_T_INT: return "INTEGER";
	case SL_T_BIGINT: return "BIGINT";
	case SL_T_DOUBLE: return "DOUBLE";
	case SL_T_DECIMAL: return "DECIMAL";
	case SL_T_STRING: return "STRING";
	case SL_T_BYTES: return "BYTES";
	case SL_T_TIMESTAMP: return "TIMESTAMP";
	case SL_T_DATE: return "DATE";
	case SL_T_TIME: return "TIME";
	case SL_T_ARRAY: return "ARRAY";
	case SL_T_MAP: return "MAP";
	case SL_T_STRUCT: return "STRUCT";
	default: return "NULL";
	}
}

cJSON *
sl_entity_schema(const sl_type_t *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", schema_type_name(t));
	if (t->kind == SL_T_STRUCT) {
		cJSON *fields = cJSON_CreateArray();
		for (int i = 0; i < t->nfields; i++) {
			cJSON *f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "name", t->fields[i].name);
			cJSON_AddItemToObject(f, "schema", sl_entity_schema(t->fields[i].type));
			cJSON_AddItemToArray(fields, f);
		}
		cJSON_AddItemToObject(o, "fields", fields);
	} else {
		cJSON_AddNullToObject(o, "fields");
	}
	if (t->kind == SL_T_ARRAY || t->kind == SL_T_MAP)
		cJSON_AddItemToObject(o, "memberSchema", sl_entity_schema(t->elem));
	else
		cJSON_AddNullToObject(o, "memberSchema");
	if (t->kind == SL_T_DECIMAL) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddNumberToObject(p, "precision", t->precision);
		cJSON_AddNumberToObject(p, "scale", t->scale);
		cJSON_AddItemToObject(o, "parameters", p);
	}
	return o;
}

void
sl_entity_schema_string(sl_strbuf_t *out, const sl_source_t *src)
{
	for (int i = 0; i < src->ncols; i++) {
		const sl_column_t *col = &src->cols[i];
		if (i > 0)
			sl_strbuf_puts(out, ", ");
		sl_strbuf_printf(out, "`%s` ", col->name);
		sl_type_format(out, col->type);
		if (col->ns == SL_COL_KEY)
			sl_strbuf_puts(out, src->kind == SL_OBJ_TABLE ? " PRIMARY KEY" : " KEY");
		else if (col->ns == SL_COL_HEADERS)
			sl_strbuf_puts(out, " HEADERS");
		else if (col->ns == SL_COL_HEADER)
			sl_strbuf_printf(out, " HEADER('%s')", col->header_key);
	}
}

static const char *
window_name(sl_wintype_t w)
{
	switch (w) {
	case SL_WIN_TUMBLING: return "TUMBLING";
	case SL_WIN_HOPPING: return "HOPPING";
	case SL_WIN_SESSION: return "SESSION";
	default: return NULL;
	}
}

cJSON *
sl_entity_source_description(sl_engine_t *eng, const sl_source_t *src, bool extended)
{
	cJSON *d = cJSON_CreateObject();
	cJSON *fields = cJSON_CreateArray();
	cJSON *reads = cJSON_CreateArray(), *writes = cJSON_CreateArray();
	const char *ids[256];
	int n;

	cJSON_AddStringToObject(d, "name", src->name);
	if (window_name(src->window_type))
		cJSON_AddStringToObject(d, "windowType", window_name(src->window_type));
	else
		cJSON_AddNullToObject(d, "windowType");
	n = sl_engine_queries_using(eng, src->name, false, ids, 256);
	for (int i = 0; i < n; i++) {
		cJSON *q = cJSON_CreateObject();
		cJSON_AddStringToObject(q, "id", ids[i]);
		cJSON_AddItemToArray(reads, q);
	}
	n = sl_engine_queries_using(eng, src->name, true, ids, 256);
	for (int i = 0; i < n; i++) {
		cJSON *q = cJSON_CreateObject();
		cJSON_AddStringToObject(q, "id", ids[i]);
		cJSON_AddItemToArray(writes, q);
	}
	cJSON_AddItemToObject(d, "readQueries", reads);
	cJSON_AddItemToObject(d, "writeQueries", writes);
	for (int i = 0; i < src->ncols; i++) {
		const sl_column_t *col = &src->cols[i];
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "name", col->name);
		cJSON_AddItemToObject(f, "schema", sl_entity_schema(col->type));
		if (col->ns == SL_COL_KEY)
			cJSON_AddStringToObject(f, "type", "KEY");
		else if (col->ns == SL_COL_HEADERS || col->ns == SL_COL_HEADER)
			cJSON_AddStringToObject(f, "type", "HEADER");
		if (col->ns == SL_COL_HEADER)
			cJSON_AddStringToObject(f, "headerKey", col->header_key);
		cJSON_AddItemToArray(fields, f);
	}
	cJSON_AddItemToObject(d, "fields", fields);
	cJSON_AddStringToObject(d, "type", src->kind == SL_OBJ_TABLE ? "TABLE" : "STREAM");
	cJSON_AddStringToObject(d, "timestamp", src->timestamp_column ? src->timestamp_column : "");
	cJSON_AddStringToObject(d, "statistics", "");
	cJSON_AddStringToObject(d, "errorStats", "");
	cJSON_AddBoolToObject(d, "extended", extended);
	cJSON_AddStringToObject(d, "keyFormat", src->key_format);
	cJSON_AddStringToObject(d, "valueFormat", src->value_format);
	cJSON_AddStringToObject(d, "topic", src->topic);
	cJSON_AddNumberToObject(d, "partitions", src->partitions);
	cJSON_AddNumberToObject(d, "replication", src->replicas ? src->replicas : 1);
	cJSON_AddStringToObject(d, "statement", src->sql);
	cJSON_AddItemToObject(d, "sourceConstraints", cJSON_CreateArray());
	return d;
}
