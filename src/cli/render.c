/*
 * render.c: ksqlDB entities as the shell shows them (render.h).
 *
 * Stage: cli (presentation).  Takes one entity of POST /ksql (or of
 * sl_engine_execute(), the same object) and appends its text: a status is
 * its message; a list (streams, tables, queries, topics, properties,
 * functions, variables, types) a table; a description of a source, a
 * function or a query "Label: value" lines and a table of fields; PRINT's
 * records one line each.  What varies between runs (command sequence
 * numbers, the statement text already on screen) is left out, and an
 * entity of an unknown type shows as compact JSON so that nothing is
 * hidden.  In the json format every entity is the JSON the server sent.
 */
#include "cli/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A member as text: strings as they are, numbers and booleans printed;
 * "" when absent or composite.  buf holds the text of a number. */
static const char *
member_text(const cJSON *o, const char *name, char *buf, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v)) {
		snprintf(buf, size, "%.17g", v->valuedouble);
		return buf;
	}
	return "";
}

/* A string member, or NULL. */
static const char *
member_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *
member(const cJSON *o, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(o, name);
}

/* "Label: value" when value is there and not empty. */
static void
label_line(sl_strbuf_t *out, const char *label, const char *value)
{
	if (value != NULL && *value != '\0')
		sl_strbuf_printf(out, "%s: %s\n", label, value);
}

/* Appends the strings of list (or the "id" of its objects), joined by ", ". */
static void
join_names(sl_strbuf_t *out, const cJSON *list)
{
	const cJSON *it;
	bool first = true;

	cJSON_ArrayForEach(it, (cJSON_IsArray(list) ? list : NULL)) {
		const char *s = cJSON_IsString(it) ? it->valuestring : member_str(it, "id");
		if (cJSON_IsObject(it) && s == NULL)
			s = "?";
		if (s == NULL)
			continue;
		sl_strbuf_printf(out, "%s%s", first ? "" : ", ", s);
		first = false;
	}
}

/* ---- tables of entity members ---- */

/* A column of a list: the member it shows and its header. */
typedef struct list_col {
	const char *member;
	const char *header;
} list_col_t;

#define LIST_MAX_COLS 8

static void
print_list(sl_strbuf_t *out, const cJSON *list, const list_col_t *cols, int ncols,
	   const sl_cli_pset_t *ps)
{
	const char *headers[LIST_MAX_COLS], *cells[LIST_MAX_COLS];
	char bufs[LIST_MAX_COLS][40];
	sl_cli_table_t t;
	const cJSON *o;

	for (int c = 0; c < ncols; c++)
		headers[c] = cols[c].header;
	sl_cli_table_init(&t, ncols, headers);
	cJSON_ArrayForEach(o, (cJSON_IsArray(list) ? list : NULL)) {
		for (int c = 0; c < ncols; c++)
			cells[c] = member_text(o, cols[c].member, bufs[c], sizeof(bufs[c]));
		sl_cli_table_add(&t, cells);
	}
	sl_cli_table_print(out, &t, ps);
	sl_cli_table_free(&t);
}

/* A ksqlDB schema ({"type", "memberSchema", "fields", "parameters"}) as
 * SQL type text. */
static void
schema_text(sl_strbuf_t *out, const cJSON *schema)
{
	const char *type = member_str(schema, "type");
	const cJSON *elem = member(schema, "memberSchema");
	const cJSON *fields = member(schema, "fields");
	const cJSON *params = member(schema, "parameters");

	if (type == NULL) {
		sl_strbuf_putc(out, '?');
	} else if (strcmp(type, "ARRAY") == 0 && cJSON_IsObject(elem)) {
		sl_strbuf_puts(out, "ARRAY<");
		schema_text(out, elem);
		sl_strbuf_putc(out, '>');
	} else if (strcmp(type, "MAP") == 0 && cJSON_IsObject(elem)) {
		sl_strbuf_puts(out, "MAP<STRING, ");
		schema_text(out, elem);
		sl_strbuf_putc(out, '>');
	} else if (strcmp(type, "STRUCT") == 0 && cJSON_IsArray(fields)) {
		const cJSON *f;
		sl_strbuf_puts(out, "STRUCT<");
		cJSON_ArrayForEach(f, fields) {
			const char *name = member_str(f, "name");
			sl_strbuf_printf(out, "%s ", name != NULL ? name : "?");
			schema_text(out, member(f, "schema"));
			if (f->next != NULL)
				sl_strbuf_puts(out, ", ");
		}
		sl_strbuf_putc(out, '>');
	} else if (strcmp(type, "DECIMAL") == 0 && cJSON_IsObject(params)) {
		const cJSON *p = member(params, "precision"), *s = member(params, "scale");
		sl_strbuf_printf(out, "DECIMAL(%d, %d)", cJSON_IsNumber(p) ? p->valueint : 0,
				 cJSON_IsNumber(s) ? s->valueint : 0);
	} else {
		sl_strbuf_puts(out, type);
	}
}

/* Field | Type, the type marked KEY or HEADER('k'). */
static void
print_fields(sl_strbuf_t *out, const cJSON *fields, const sl_cli_pset_t *ps)
{
	static const list_col_t cols[] = { { "name", "Field" }, { "type", "Type" } };
	cJSON *rows = cJSON_CreateArray();
	sl_strbuf_t type;
	const cJSON *f;

	sl_strbuf_init(&type);
	cJSON_ArrayForEach(f, (cJSON_IsArray(fields) ? fields : NULL)) {
		const char *role = member_str(f, "type"), *hkey = member_str(f, "headerKey");
		const char *name = member_str(f, "name");
		cJSON *row = cJSON_CreateObject();

		sl_strbuf_reset(&type);
		schema_text(&type, member(f, "schema"));
		if (role != NULL && strcmp(role, "KEY") == 0)
			sl_strbuf_puts(&type, " KEY");
		else if (role != NULL && strcmp(role, "HEADER") == 0 && hkey != NULL)
			sl_strbuf_printf(&type, " HEADER('%s')", hkey);
		else if (role != NULL && strcmp(role, "HEADER") == 0)
			sl_strbuf_puts(&type, " HEADER");
		cJSON_AddStringToObject(row, "name", name != NULL ? name : "");
		cJSON_AddStringToObject(row, "type", type.data);
		cJSON_AddItemToArray(rows, row);
	}
	print_list(out, rows, cols, 2, ps);
	sl_strbuf_free(&type);
	cJSON_Delete(rows);
}

/* ---- entity types ---- */

static void
print_source(sl_strbuf_t *out, const cJSON *d, const sl_cli_pset_t *ps)
{
	char parts[40], repl[40];
	sl_strbuf_t names;

	label_line(out, "Name", member_str(d, "name"));
	label_line(out, "Type", member_str(d, "type"));
	label_line(out, "Key format", member_str(d, "keyFormat"));
	label_line(out, "Value format", member_str(d, "valueFormat"));
	if (member_str(d, "topic") != NULL) {
		const char *p = member_text(d, "partitions", parts, sizeof(parts));
		const char *r = member_text(d, "replication", repl, sizeof(repl));
		sl_strbuf_printf(out, "Kafka topic: %s (partitions: %s, replication: %s)\n",
				 member_str(d, "topic"), *p ? p : "?", *r ? r : "?");
	}
	label_line(out, "Timestamp column", member_str(d, "timestamp"));
	label_line(out, "Window type", member_str(d, "windowType"));
	sl_strbuf_init(&names);
	join_names(&names, member(d, "readQueries"));
	label_line(out, "Read by", names.data);
	sl_strbuf_reset(&names);
	join_names(&names, member(d, "writeQueries"));
	label_line(out, "Written by", names.data);
	sl_strbuf_free(&names);
	print_fields(out, member(d, "fields"), ps);
}

static void
print_queries(sl_strbuf_t *out, const cJSON *list, const sl_cli_pset_t *ps)
{
	static const list_col_t cols[] = {
		{ "id", "Query ID" },
		{ "state", "Status" },
		{ "sinkNames", "Sink" },
		{ "queryString", "Query" },
	};
	cJSON *rows = cJSON_Duplicate(list, true);
	sl_strbuf_t sinks;
	cJSON *q;

	/* the sinks joined into one cell */
	sl_strbuf_init(&sinks);
	cJSON_ArrayForEach(q, (cJSON_IsArray(rows) ? rows : NULL)) {
		sl_strbuf_reset(&sinks);
		join_names(&sinks, member(q, "sinks"));
		cJSON_AddStringToObject(q, "sinkNames", sinks.data != NULL ? sinks.data : "");
	}
	print_list(out, rows, cols, 4, ps);
	sl_strbuf_free(&sinks);
	cJSON_Delete(rows);
}

static void
print_topics(sl_strbuf_t *out, const cJSON *list, const sl_cli_pset_t *ps)
{
	static const char *const headers[] = { "Kafka Topic", "Partitions", "Replicas" };
	sl_cli_table_t t;
	const cJSON *o;

	sl_cli_table_init(&t, 3, headers);
	cJSON_ArrayForEach(o, (cJSON_IsArray(list) ? list : NULL)) {
		const cJSON *ri = member(o, "replicaInfo");
		const char *name = member_str(o, "name");
		char parts[16], repl[16];
		const char *cells[3] = { name != NULL ? name : "", parts, repl };

		snprintf(parts, sizeof(parts), "%d", cJSON_GetArraySize(ri));
		snprintf(repl, sizeof(repl), "%d",
			 cJSON_GetArraySize(ri) > 0 && cJSON_IsNumber(ri->child) ?
				 ri->child->valueint :
				 0);
		sl_cli_table_add(&t, cells);
	}
	sl_cli_table_print(out, &t, ps);
	sl_cli_table_free(&t);
}

static void
print_function(sl_strbuf_t *out, const cJSON *e, const sl_cli_pset_t *ps)
{
	static const list_col_t cols[] = {
		{ "signature", "Signature" },
		{ "returnType", "Returns" },
	};

	label_line(out, "Name", member_str(e, "name"));
	label_line(out, "Type", member_str(e, "type"));
	label_line(out, "Description", member_str(e, "description"));
	print_list(out, member(e, "functions"), cols, 2, ps);
}

static void
print_query_description(sl_strbuf_t *out, const cJSON *d, const sl_cli_pset_t *ps)
{
	sl_strbuf_t names;

	label_line(out, "ID", member_str(d, "id"));
	label_line(out, "Query", member_str(d, "statementText"));
	label_line(out, "State", member_str(d, "state"));
	sl_strbuf_init(&names);
	join_names(&names, member(d, "sources"));
	label_line(out, "Sources", names.data);
	sl_strbuf_reset(&names);
	join_names(&names, member(d, "sinks"));
	label_line(out, "Sinks", names.data);
	sl_strbuf_free(&names);
	print_fields(out, member(d, "fields"), ps);
	if (member_str(d, "executionPlan") != NULL)
		sl_strbuf_printf(out, "Execution plan:\n%s", member_str(d, "executionPlan"));
}

static void
print_types(sl_strbuf_t *out, const cJSON *types, const sl_cli_pset_t *ps)
{
	static const list_col_t cols[] = { { "name", "Type Name" }, { "schema", "Schema" } };
	cJSON *rows = cJSON_CreateArray();
	const cJSON *t;

	cJSON_ArrayForEach(t, (cJSON_IsObject(types) ? types : NULL)) {
		cJSON *row = cJSON_CreateObject();
		char *schema = cJSON_PrintUnformatted(t);
		cJSON_AddStringToObject(row, "name", t->string);
		cJSON_AddStringToObject(row, "schema", schema != NULL ? schema : "");
		cJSON_AddItemToArray(rows, row);
		cJSON_free(schema);
	}
	print_list(out, rows, cols, 2, ps);
	cJSON_Delete(rows);
}

/* PRINT as ksqlDB's CLI shows it: the formats, then a line a record. */
static void
print_records(sl_strbuf_t *out, const cJSON *e)
{
	const char *kf = member_str(e, "keyFormat"), *vf = member_str(e, "valueFormat");
	const cJSON *recs = member(e, "records"), *r;

	sl_strbuf_printf(out, "Key format: %s\nValue format: %s\n", kf ? kf : "?", vf ? vf : "?");
	cJSON_ArrayForEach(r, (cJSON_IsArray(recs) ? recs : NULL)) {
		const cJSON *k = member(r, "key"), *v = member(r, "value");
		const cJSON *t = member(r, "rowtime"), *p = member(r, "partition");
		sl_strbuf_printf(out, "rowtime: %lld, key: %s, value: %s, partition: %d\n",
				 cJSON_IsNumber(t) ? (long long)t->valuedouble : -1LL,
				 cJSON_IsString(k) ? k->valuestring : "<null>",
				 cJSON_IsString(v) ? v->valuestring : "<null>",
				 cJSON_IsNumber(p) ? p->valueint : -1);
	}
}

/* Compact JSON without the members that repeat the statement or vary. */
static void
print_compact(sl_strbuf_t *out, const cJSON *e)
{
	cJSON *copy = cJSON_Duplicate(e, true);
	char *text;

	cJSON_DeleteItemFromObjectCaseSensitive(copy, "statementText");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "warnings");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "commandSequenceNumber");
	text = cJSON_PrintUnformatted(copy);
	sl_strbuf_puts(out, text != NULL ? text : "?");
	sl_strbuf_putc(out, '\n');
	cJSON_free(text);
	cJSON_Delete(copy);
}

/* The lists: entity type, the member holding the list, its columns. */
static const list_col_t source_cols[] = {
	{ "name", "Name" },
	{ "topic", "Kafka Topic" },
	{ "keyFormat", "Key Format" },
	{ "valueFormat", "Value Format" },
	{ "isWindowed", "Windowed" },
};
static const list_col_t property_cols[] = {
	{ "name", "Property" },
	{ "scope", "Scope" },
	{ "value", "Value" },
};
static const list_col_t function_cols[] = {
	{ "name", "Function" },
	{ "type", "Type" },
	{ "category", "Category" },
};
static const list_col_t variable_cols[] = { { "name", "Variable" }, { "value", "Value" } };

static const struct {
	const char *type;
	const char *list;
	const list_col_t *cols;
	int ncols;
} lists[] = {
	{ "streams", "streams", source_cols, 5 },
	{ "tables", "tables", source_cols, 5 },
	{ "properties", "properties", property_cols, 3 },
	{ "function_names", "functions", function_cols, 3 },
	{ "variables", "variables", variable_cols, 2 },
};

void
sl_cli_render_entity(sl_strbuf_t *out, const cJSON *e, const sl_cli_pset_t *ps)
{
	const char *type = member_str(e, "@type");
	const cJSON *warnings = member(e, "warnings"), *w;

	if (ps->format == SL_CLI_FMT_JSON) {
		char *text = cJSON_Print(e);
		sl_strbuf_puts(out, text != NULL ? text : "null");
		sl_strbuf_putc(out, '\n');
		cJSON_free(text);
		return;
	}
	cJSON_ArrayForEach(w, (cJSON_IsArray(warnings) ? warnings : NULL)) {
		const char *msg = member_str(w, "message");
		sl_strbuf_printf(out, "WARNING: %s\n", msg != NULL ? msg : "?");
	}
	if (type == NULL) {
		print_compact(out, e);
		return;
	}
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (strcmp(type, lists[i].type) == 0) {
			print_list(out, member(e, lists[i].list), lists[i].cols, lists[i].ncols,
				   ps);
			return;
		}
	if (strcmp(type, "currentStatus") == 0) {
		const cJSON *st = member(e, "commandStatus");
		const char *status = member_str(st, "status"), *msg = member_str(st, "message");
		if (status != NULL && strcmp(status, "SUCCESS") != 0)
			sl_strbuf_printf(out, "%s: ", status);
		sl_strbuf_printf(out, "%s\n", msg != NULL ? msg : "");
	} else if (strcmp(type, "sourceDescription") == 0) {
		print_source(out, member(e, type), ps);
	} else if (strcmp(type, "source_descriptions") == 0) {
		const cJSON *d;
		cJSON_ArrayForEach(d, member(e, "sourceDescriptions")) {
			print_source(out, d, ps);
			if (d->next != NULL)
				sl_strbuf_putc(out, '\n');
		}
	} else if (strcmp(type, "queries") == 0) {
		print_queries(out, member(e, "queries"), ps);
	} else if (strcmp(type, "kafka_topics") == 0 ||
		   strcmp(type, "kafka_topics_extended") == 0) {
		print_topics(out, member(e, "topics"), ps);
	} else if (strcmp(type, "describe_function") == 0) {
		print_function(out, e, ps);
	} else if (strcmp(type, "type_list") == 0) {
		print_types(out, member(e, "types"), ps);
	} else if (strcmp(type, "print") == 0) {
		print_records(out, e);
	} else if (strcmp(type, "queryDescription") == 0) {
		print_query_description(out, member(e, type), ps);
	} else {
		print_compact(out, e);
	}
}
