/*
 * test_render.c: the engine's answers as the regression transcripts show
 * them.
 *
 * Used by the engine mode of test_regress.c.  Takes one result entity of
 * sl_engine_execute() (a ksqlDB REST entity, engine.h) and appends its
 * rendering: compact, deterministic text that a person can check line by
 * line.  A status is its message; a list is an aligned table, psql style,
 * with a row count; a description is "Name: value" lines and a table of
 * fields.  What varies from run to run (command sequence numbers, the
 * statement text already echoed above) is left out.  An entity this file
 * does not know is shown as compact JSON, so that nothing is hidden.
 */
#include "sluice_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- aligned tables ---- */

/* A table being built: ncols headers, then rows of ncols cells (copies). */
typedef struct render_table {
	int ncols;
	int nrows;
	int cap;
	char **cells; /* (nrows + 1) * ncols, the header row first */
} render_table_t;

static void
render_table_init(render_table_t *t, int ncols, const char *const *headers)
{
	t->ncols = ncols;
	t->nrows = 0;
	t->cap = 8;
	t->cells = calloc((size_t)(t->cap + 1) * (size_t)ncols, sizeof(*t->cells));
	if (t->cells == NULL)
		abort();
	for (int i = 0; i < ncols; i++)
		t->cells[i] = strdup(headers[i]);
}

static void
render_table_free(render_table_t *t)
{
	for (int i = 0; i < (t->nrows + 1) * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* Adds a row of t->ncols cells (NULL shows as empty). */
static void
render_table_row(render_table_t *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		t->cap *= 2;
		t->cells = realloc(t->cells, (size_t)(t->cap + 1) * (size_t)t->ncols * sizeof(*t->cells));
		if (t->cells == NULL)
			abort();
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[(t->nrows + 1) * t->ncols + i] = strdup(cells[i] != NULL ? cells[i] : "");
	t->nrows++;
}

/* Display width: UTF-8 characters, not bytes. */
static int
render_width(const char *s)
{
	int w = 0;
	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void
render_pad(sl_strbuf_t *out, int n, char c)
{
	for (int i = 0; i < n; i++)
		sl_strbuf_putc(out, c);
}

/* Appends t: " h1 | h2\n----+----\n v1 | v2\n(N rows)\n", without
 * trailing blanks. */
static void
render_table_print(sl_strbuf_t *out, const render_table_t *t)
{
	int *width = calloc((size_t)t->ncols, sizeof(*width));

	if (width == NULL)
		abort();
	for (int r = 0; r <= t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			int w = render_width(t->cells[r * t->ncols + c]);
			if (w > width[c])
				width[c] = w;
		}
	for (int r = 0; r <= t->nrows; r++) {
		size_t start = out->len;
		for (int c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			sl_strbuf_puts(out, c == 0 ? " " : " | ");
			sl_strbuf_puts(out, cell);
			render_pad(out, width[c] - render_width(cell), ' ');
		}
		while (out->len > start && out->data[out->len - 1] == ' ')
			out->len--;
		out->data[out->len] = '\0';
		sl_strbuf_putc(out, '\n');
		if (r == 0) {
			for (int c = 0; c < t->ncols; c++) {
				if (c > 0)
					sl_strbuf_putc(out, '+');
				render_pad(out, width[c] + 2, '-');
			}
			sl_strbuf_putc(out, '\n');
		}
	}
	sl_strbuf_printf(out, "(%d row%s)\n", t->nrows, t->nrows == 1 ? "" : "s");
	free(width);
}

/* ---- entity fields ---- */

static const char *
render_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A scalar member as text (numbers and booleans printed; NULL if absent or
 * composite); buf holds the text of non-strings. */
static const char *
render_scalar(const cJSON *o, const char *name, char *buf, size_t size)
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
	return NULL;
}

/* A ksqlDB schema object ({"type", "fields", "memberSchema",
 * "parameters"}) as SQL type text. */
static void
render_schema(sl_strbuf_t *out, const cJSON *schema)
{
	const char *type = render_str(schema, "type");
	const cJSON *member = cJSON_GetObjectItemCaseSensitive(schema, "memberSchema");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(schema, "fields");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(schema, "parameters");

	if (type == NULL) {
		sl_strbuf_puts(out, "?");
		return;
	}
	if (strcmp(type, "ARRAY") == 0 && cJSON_IsObject(member)) {
		sl_strbuf_puts(out, "ARRAY<");
		render_schema(out, member);
		sl_strbuf_putc(out, '>');
	} else if (strcmp(type, "MAP") == 0 && cJSON_IsObject(member)) {
		sl_strbuf_puts(out, "MAP<STRING, ");
		render_schema(out, member);
		sl_strbuf_putc(out, '>');
	} else if (strcmp(type, "STRUCT") == 0 && cJSON_IsArray(fields)) {
		sl_strbuf_puts(out, "STRUCT<");
		for (const cJSON *f = fields->child; f != NULL; f = f->next) {
			const char *name = render_str(f, "name");
			sl_strbuf_printf(out, "%s ", name != NULL ? name : "?");
			render_schema(out, cJSON_GetObjectItemCaseSensitive(f, "schema"));
			if (f->next != NULL)
				sl_strbuf_puts(out, ", ");
		}
		sl_strbuf_putc(out, '>');
	} else if (strcmp(type, "DECIMAL") == 0 && cJSON_IsObject(params)) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(params, "precision");
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(params, "scale");
		sl_strbuf_printf(out, "DECIMAL(%d, %d)", cJSON_IsNumber(p) ? p->valueint : 0,
				 cJSON_IsNumber(s) ? s->valueint : 0);
	} else {
		sl_strbuf_puts(out, type);
	}
}

/* A table of the objects of list: one column per (member, header). */
static void
render_list(sl_strbuf_t *out, const cJSON *list, const char *const *members,
	    const char *const *headers, int ncols)
{
	render_table_t t;
	const char *cells[16];
	char bufs[16][40];

	render_table_init(&t, ncols, headers);
	for (const cJSON *o = cJSON_IsArray(list) ? list->child : NULL; o != NULL; o = o->next) {
		for (int c = 0; c < ncols && c < 16; c++)
			cells[c] = render_scalar(o, members[c], bufs[c], sizeof(bufs[c]));
		render_table_row(&t, cells);
	}
	render_table_print(out, &t);
	render_table_free(&t);
}

/* Names of the queries in list ([{"id": ...}]), comma-separated. */
static void
render_ids(sl_strbuf_t *out, const cJSON *list)
{
	for (const cJSON *q = cJSON_IsArray(list) ? list->child : NULL; q != NULL; q = q->next) {
		const char *id = render_str(q, "id");
		sl_strbuf_puts(out, id != NULL ? id : "?");
		if (q->next != NULL)
			sl_strbuf_puts(out, ", ");
	}
}

/* A table of fields [{name, schema, type: KEY|HEADER}]. */
static void
render_fields(sl_strbuf_t *out, const cJSON *fields)
{
	static const char *const headers[] = { "Field", "Type" };
	render_table_t t;
	sl_strbuf_t type;

	render_table_init(&t, 2, headers);
	sl_strbuf_init(&type);
	for (const cJSON *f = cJSON_IsArray(fields) ? fields->child : NULL; f != NULL; f = f->next) {
		const char *role = render_str(f, "type");
		const char *cells[2];

		sl_strbuf_reset(&type);
		render_schema(&type, cJSON_GetObjectItemCaseSensitive(f, "schema"));
		if (role != NULL && strcmp(role, "KEY") == 0)
			sl_strbuf_puts(&type, " KEY");
		else if (role != NULL && strcmp(role, "HEADER") == 0)
			sl_strbuf_printf(&type, " HEADER%s%s%s",
					 render_str(f, "headerKey") ? "('" : "",
					 render_str(f, "headerKey") ? render_str(f, "headerKey") : "",
					 render_str(f, "headerKey") ? "')" : "");
		cells[0] = render_str(f, "name");
		cells[1] = type.data;
		render_table_row(&t, cells);
	}
	render_table_print(out, &t);
	sl_strbuf_free(&type);
	render_table_free(&t);
}

/* "Label: value" when value is present and not empty. */
static void
render_line(sl_strbuf_t *out, const char *label, const char *value)
{
	if (value != NULL && *value != '\0')
		sl_strbuf_printf(out, "%s: %s\n", label, value);
}

static void
render_source_description(sl_strbuf_t *out, const cJSON *d)
{
	char buf[40], buf2[40];
	const char *parts = render_scalar(d, "partitions", buf, sizeof(buf));
	const char *repl = render_scalar(d, "replication", buf2, sizeof(buf2));
	const cJSON *reads = cJSON_GetObjectItemCaseSensitive(d, "readQueries");
	const cJSON *writes = cJSON_GetObjectItemCaseSensitive(d, "writeQueries");

	render_line(out, "Name", render_str(d, "name"));
	render_line(out, "Type", render_str(d, "type"));
	render_line(out, "Key format", render_str(d, "keyFormat"));
	render_line(out, "Value format", render_str(d, "valueFormat"));
	if (render_str(d, "topic") != NULL)
		sl_strbuf_printf(out, "Kafka topic: %s (partitions: %s, replication: %s)\n",
				 render_str(d, "topic"), parts ? parts : "?", repl ? repl : "?");
	render_line(out, "Timestamp column", render_str(d, "timestamp"));
	render_line(out, "Window type", render_str(d, "windowType"));
	if (cJSON_GetArraySize(reads) > 0) {
		sl_strbuf_puts(out, "Read by: ");
		render_ids(out, reads);
		sl_strbuf_putc(out, '\n');
	}
	if (cJSON_GetArraySize(writes) > 0) {
		sl_strbuf_puts(out, "Written by: ");
		render_ids(out, writes);
		sl_strbuf_putc(out, '\n');
	}
	render_fields(out, cJSON_GetObjectItemCaseSensitive(d, "fields"));
}

static void
render_queries(sl_strbuf_t *out, const cJSON *list)
{
	static const char *const headers[] = { "Query ID", "Status", "Sink", "Query" };
	render_table_t t;
	sl_strbuf_t sinks;

	render_table_init(&t, 4, headers);
	sl_strbuf_init(&sinks);
	for (const cJSON *q = cJSON_IsArray(list) ? list->child : NULL; q != NULL; q = q->next) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(q, "sinks");
		const char *cells[4];

		sl_strbuf_reset(&sinks);
		for (const cJSON *n = cJSON_IsArray(s) ? s->child : NULL; n != NULL; n = n->next)
			if (cJSON_IsString(n))
				sl_strbuf_printf(&sinks, "%s%s", sinks.len ? ", " : "", n->valuestring);
		cells[0] = render_str(q, "id");
		cells[1] = render_str(q, "state");
		cells[2] = sinks.data != NULL ? sinks.data : "";
		cells[3] = render_str(q, "queryString");
		render_table_row(&t, cells);
	}
	render_table_print(out, &t);
	sl_strbuf_free(&sinks);
	render_table_free(&t);
}

static void
render_topics(sl_strbuf_t *out, const cJSON *list)
{
	static const char *const headers[] = { "Kafka Topic", "Partitions", "Replicas" };
	render_table_t t;

	render_table_init(&t, 3, headers);
	for (const cJSON *o = cJSON_IsArray(list) ? list->child : NULL; o != NULL; o = o->next) {
		const cJSON *ri = cJSON_GetObjectItemCaseSensitive(o, "replicaInfo");
		char parts[16], repl[16];
		const char *cells[3];

		snprintf(parts, sizeof(parts), "%d", cJSON_GetArraySize(ri));
		snprintf(repl, sizeof(repl), "%d",
			 cJSON_GetArraySize(ri) > 0 && cJSON_IsNumber(ri->child) ?
				 ri->child->valueint : 0);
		cells[0] = render_str(o, "name");
		cells[1] = parts;
		cells[2] = repl;
		render_table_row(&t, cells);
	}
	render_table_print(out, &t);
	render_table_free(&t);
}

static void
render_describe_function(sl_strbuf_t *out, const cJSON *e)
{
	static const char *const headers[] = { "Signature", "Returns" };
	const cJSON *fns = cJSON_GetObjectItemCaseSensitive(e, "functions");
	render_table_t t;

	render_line(out, "Name", render_str(e, "name"));
	render_line(out, "Type", render_str(e, "type"));
	render_line(out, "Description", render_str(e, "description"));
	render_table_init(&t, 2, headers);
	for (const cJSON *f = cJSON_IsArray(fns) ? fns->child : NULL; f != NULL; f = f->next) {
		const char *cells[2] = { render_str(f, "signature"), render_str(f, "returnType") };
		render_table_row(&t, cells);
	}
	render_table_print(out, &t);
	render_table_free(&t);
}

static void
render_query_description(sl_strbuf_t *out, const cJSON *d)
{
	const cJSON *sources = cJSON_GetObjectItemCaseSensitive(d, "sources");
	const cJSON *sinks = cJSON_GetObjectItemCaseSensitive(d, "sinks");
	sl_strbuf_t names;

	sl_strbuf_init(&names);
	render_line(out, "ID", render_str(d, "id"));
	render_line(out, "Query", render_str(d, "statementText"));
	render_line(out, "State", render_str(d, "state"));
	for (int k = 0; k < 2; k++) {
		const cJSON *list = k == 0 ? sources : sinks;
		sl_strbuf_reset(&names);
		for (const cJSON *n = cJSON_IsArray(list) ? list->child : NULL; n != NULL; n = n->next)
			if (cJSON_IsString(n))
				sl_strbuf_printf(&names, "%s%s", names.len ? ", " : "", n->valuestring);
		render_line(out, k == 0 ? "Sources" : "Sinks", names.data);
	}
	render_fields(out, cJSON_GetObjectItemCaseSensitive(d, "fields"));
	const char *plan = render_str(d, "executionPlan");
	if (plan != NULL)
		sl_strbuf_printf(out, "Execution plan:\n%s", plan);
	sl_strbuf_free(&names);
}

/* Everything but the members that repeat the statement or vary. */
static void
render_json(sl_strbuf_t *out, const cJSON *e)
{
	cJSON *copy = cJSON_Duplicate(e, true);

	cJSON_DeleteItemFromObjectCaseSensitive(copy, "statementText");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "warnings");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "commandSequenceNumber");
	sl_test_json_append(out, copy);
	sl_strbuf_putc(out, '\n');
	cJSON_Delete(copy);
}

/* PRINT as ksqlDB's CLI shows it: the formats, then one line a record. */
static void
render_print(sl_strbuf_t *out, const cJSON *e)
{
	const cJSON *recs = cJSON_GetObjectItemCaseSensitive(e, "records");
	const char *kf = render_str(e, "keyFormat"), *vf = render_str(e, "valueFormat");

	sl_strbuf_printf(out, "Key format: %s\nValue format: %s\n", kf ? kf : "?", vf ? vf : "?");
	for (const cJSON *r = cJSON_IsArray(recs) ? recs->child : NULL; r != NULL; r = r->next) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(r, "key");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "value");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "rowtime");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "partition");
		sl_strbuf_printf(out, "rowtime: %lld, key: %s, value: %s, partition: %d\n",
				 cJSON_IsNumber(t) ? (long long)t->valuedouble : -1LL,
				 cJSON_IsString(k) ? k->valuestring : "<null>",
				 cJSON_IsString(v) ? v->valuestring : "<null>",
				 cJSON_IsNumber(p) ? p->valueint : -1);
	}
}

void
sl_test_render_entity(sl_strbuf_t *out, const cJSON *e)
{
	const char *type = render_str(e, "@type");
	const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(e, "warnings");

	for (const cJSON *w = cJSON_IsArray(warnings) ? warnings->child : NULL; w != NULL;
	     w = w->next) {
		const char *msg = render_str(w, "message");
		sl_strbuf_printf(out, "WARNING: %s\n", msg != NULL ? msg : "?");
	}
	if (type == NULL) {
		render_json(out, e);
	} else if (strcmp(type, "currentStatus") == 0) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "commandStatus");
		const char *status = render_str(st, "status");
		const char *msg = render_str(st, "message");
		if (status != NULL && strcmp(status, "SUCCESS") != 0)
			sl_strbuf_printf(out, "%s: ", status);
		sl_strbuf_printf(out, "%s\n", msg != NULL ? msg : "");
	} else if (strcmp(type, "streams") == 0 || strcmp(type, "tables") == 0) {
		static const char *const members[] = { "name", "topic", "keyFormat", "valueFormat",
						       "isWindowed" };
		static const char *const headers[] = { "Name", "Kafka Topic", "Key Format",
						       "Value Format", "Windowed" };
		render_list(out, cJSON_GetObjectItemCaseSensitive(e, type), members, headers, 5);
	} else if (strcmp(type, "sourceDescription") == 0) {
		render_source_description(out, cJSON_GetObjectItemCaseSensitive(e, type));
	} else if (strcmp(type, "source_descriptions") == 0) {
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(e, "sourceDescriptions");
		for (const cJSON *d = cJSON_IsArray(list) ? list->child : NULL; d != NULL;
		     d = d->next) {
			render_source_description(out, d);
			if (d->next != NULL)
				sl_strbuf_putc(out, '\n');
		}
	} else if (strcmp(type, "queries") == 0) {
		render_queries(out, cJSON_GetObjectItemCaseSensitive(e, "queries"));
	} else if (strcmp(type, "kafka_topics") == 0 || strcmp(type, "kafka_topics_extended") == 0) {
		render_topics(out, cJSON_GetObjectItemCaseSensitive(e, "topics"));
	} else if (strcmp(type, "properties") == 0) {
		static const char *const members[] = { "name", "scope", "value" };
		static const char *const headers[] = { "Property", "Scope", "Value" };
		render_list(out, cJSON_GetObjectItemCaseSensitive(e, "properties"), members,
			    headers, 3);
	} else if (strcmp(type, "function_names") == 0) {
		static const char *const members[] = { "name", "type", "category" };
		static const char *const headers[] = { "Function", "Type", "Category" };
		render_list(out, cJSON_GetObjectItemCaseSensitive(e, "functions"), members, headers,
			    3);
	} else if (strcmp(type, "variables") == 0) {
		static const char *const members[] = { "name", "value" };
		static const char *const headers[] = { "Variable", "Value" };
		render_list(out, cJSON_GetObjectItemCaseSensitive(e, "variables"), members, headers,
			    2);
	} else if (strcmp(type, "describe_function") == 0) {
		render_describe_function(out, e);
	} else if (strcmp(type, "type_list") == 0) {
		const cJSON *types = cJSON_GetObjectItemCaseSensitive(e, "types");
		cJSON *rows = cJSON_CreateArray();
		for (const cJSON *t = cJSON_IsObject(types) ? types->child : NULL; t != NULL;
		     t = t->next) {
			cJSON *row = cJSON_CreateObject();
			char *schema = cJSON_PrintUnformatted(t);
			cJSON_AddStringToObject(row, "name", t->string);
			cJSON_AddStringToObject(row, "schema", schema ? schema : "");
			cJSON_AddItemToArray(rows, row);
			free(schema);
		}
		static const char *const members[] = { "name", "schema" };
		static const char *const headers[] = { "Type Name", "Schema" };
		render_list(out, rows, members, headers, 2);
		cJSON_Delete(rows);
	} else if (strcmp(type, "print") == 0) {
		render_print(out, e);
	} else if (strcmp(type, "queryDescription") == 0) {
		render_query_description(out, cJSON_GetObjectItemCaseSensitive(e, type));
	} else {
		render_json(out, e);
	}
}
