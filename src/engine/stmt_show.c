/*
 * stmt_show.c: SHOW/LIST, DESCRIBE, DESCRIBE FUNCTION and EXPLAIN.
 *
 * Stage: engine.  Reads the catalog, the function registry and Kafka's
 * topic list; answers with ksqlDB's entities (streams, tables, queries,
 * kafka_topics, properties, function_names, variables, type_list,
 * sourceDescription(s), describe_function, queryDescription).
 */
#include "engine/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/query.h"
#include "kafka/kafka.h"
#include "plan/plan.h"

static cJSON *
source_summary(const sl_source_t *src)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", src->kind == SL_OBJ_TABLE ? "TABLE" : "STREAM");
	cJSON_AddStringToObject(o, "name", src->name);
	cJSON_AddStringToObject(o, "topic", src->topic);
	cJSON_AddStringToObject(o, "keyFormat", src->key_format);
	cJSON_AddStringToObject(o, "valueFormat", src->value_format);
	cJSON_AddBoolToObject(o, "isWindowed", src->window_type != SL_WIN_NONE);
	return o;
}

static int
show_sources(sl_stmt_ctx_t *c, int kind)
{
	int n;
	sl_source_t **all = sl_catalog_sources(c->eng->cat, &n);
	bool extended = c->node->flags & SL_F_EXTENDED;
	const char *key = kind == SL_OBJ_TABLE ? "tables" : "streams";
	cJSON *e, *list = cJSON_CreateArray();

	for (int i = 0; i < n; i++) {
		if (all[i]->kind != kind)
			continue;
		if (extended)
			cJSON_AddItemToArray(list, sl_entity_source_description(c->eng, all[i], true));
		else
			cJSON_AddItemToArray(list, source_summary(all[i]));
	}
	if (extended) {
		e = sl_entity_new(c, "source_descriptions");
		cJSON_AddItemToObject(e, "sourceDescriptions", list);
	} else {
		e = sl_entity_new(c, key);
		cJSON_AddItemToObject(e, key, list);
	}
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

static int
show_queries(sl_stmt_ctx_t *c)
{
	int n;
	sl_query_def_t **qs = sl_catalog_queries(c->eng->cat, &n);
	cJSON *e = sl_entity_new(c, "queries"), *list = cJSON_CreateArray();

	for (int i = 0; i < n; i++) {
		const sl_query_def_t *q = qs[i];
		sl_running_t *r = sl_engine_find_running(c->eng, q->id);
		const char *state = q->terminated ? "TERMINATED" :
				    r == NULL ? "ERROR" :
				    atomic_load(&r->paused) ? "PAUSED" : "RUNNING";
		const sl_source_t *sink = sl_catalog_source(c->eng->cat, q->sink);
		cJSON *o = cJSON_CreateObject(), *sinks = cJSON_CreateArray();
		cJSON *topics = cJSON_CreateArray(), *count = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "queryString", q->sql);
		cJSON_AddItemToArray(sinks, cJSON_CreateString(q->sink));
		cJSON_AddItemToObject(o, "sinks", sinks);
		if (sink != NULL)
			cJSON_AddItemToArray(topics, cJSON_CreateString(sink->topic));
		cJSON_AddItemToObject(o, "sinkKafkaTopics", topics);
		cJSON_AddStringToObject(o, "id", q->id);
		cJSON_AddNumberToObject(count, state, 1);
		cJSON_AddItemToObject(o, "statusCount", count);
		cJSON_AddStringToObject(o, "queryType", "PERSISTENT");
		cJSON_AddStringToObject(o, "state", state);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddItemToObject(e, "queries", list);
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

static int
show_topics(sl_stmt_ctx_t *c)
{
	sl_kafka_topic_info_t *topics = NULL;
	size_t n = 0;
	int rc;
	bool all = c->node->flags & SL_F_ALL;
	cJSON *e, *list = cJSON_CreateArray();

	rc = sl_kafka_topic_list(c->eng->kafka, &topics, &n, c->err);
	if (rc != SL_OK) {
		cJSON_Delete(list);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		/* internal topics (leading '_') only with SHOW ALL TOPICS */
		if (!all && topics[i].name[0] == '_')
			continue;
		cJSON *o = cJSON_CreateObject(), *ri = cJSON_CreateArray();
		cJSON_AddStringToObject(o, "name", topics[i].name);
		for (int p = 0; p < topics[i].partitions; p++)
			cJSON_AddItemToArray(ri, cJSON_CreateNumber(topics[i].replicas));
		cJSON_AddItemToObject(o, "replicaInfo", ri);
		cJSON_AddItemToArray(list, o);
	}
	sl_kafka_topic_list_free(topics, n);
	e = sl_entity_new(c, (c->node->flags & SL_F_EXTENDED) ? "kafka_topics_extended" :
			  "kafka_topics");
	cJSON_AddItemToObject(e, "topics", list);
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

static void
add_props(cJSON *list, const sl_props_t *p, const char *scope)
{
	for (int i = 0; i < p->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", p->items[i].key);
		cJSON_AddStringToObject(o, "scope", scope);
		cJSON_AddStringToObject(o, "value", p->items[i].value);
		cJSON_AddItemToArray(list, o);
	}
}

static int
show_properties(sl_stmt_ctx_t *c)
{
	cJSON *e = sl_entity_new(c, "properties"), *list = cJSON_CreateArray();
	cJSON *over = cJSON_CreateArray();

	add_props(list, &c->eng->props, "SERVER");
	add_props(list, &c->session->props, "SESSION");
	for (int i = 0; i < c->session->props.n; i++)
		cJSON_AddItemToArray(over, cJSON_CreateString(c->session->props.items[i].key));
	cJSON_AddItemToObject(e, "properties", list);
	cJSON_AddItemToObject(e, "overwrittenProperties", over);
	cJSON_AddItemToObject(e, "defaultProperties", cJSON_CreateArray());
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

static int
show_functions(sl_stmt_ctx_t *c)
{
	cJSON *e = sl_entity_new(c, "function_names"), *list = cJSON_CreateArray();
	int n = sl_func_count(c->eng->reg);

	for (int i = 0; i < n; i++) {
		const sl_func_t *f = sl_func_at(c->eng->reg, i);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", f->name);
		cJSON_AddStringToObject(o, "type", sl_func_kind_name(f->kind));
		cJSON_AddStringToObject(o, "category", f->category ? f->category : "OTHER");
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddItemToObject(e, "functions", list);
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

static int
show_variables(sl_stmt_ctx_t *c)
{
	cJSON *e = sl_entity_new(c, "variables"), *list = cJSON_CreateArray();
	const sl_props_t *v = &c->session->vars;

	for (int i = 0; i < v->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", v->items[i].key);
		cJSON_AddStringToObject(o, "value", v->items[i].value);
		cJSON_AddItemToArray(list, o);
	}
	cJSON_AddItemToObject(e, "variables", list);
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

static int
show_types(sl_stmt_ctx_t *c)
{
	int n;
	sl_named_type_t **ts = sl_catalog_types(c->eng->cat, &n);
	cJSON *e = sl_entity_new(c, "type_list"), *types = cJSON_CreateObject();

	for (int i = 0; i < n; i++)
		cJSON_AddItemToObject(types, ts[i]->name, sl_entity_schema(ts[i]->type));
	cJSON_AddItemToObject(e, "types", types);
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

int
sl_stmt_show(sl_stmt_ctx_t *c)
{
	switch (c->node->op) {
	case SL_SHOW_STREAMS: return show_sources(c, SL_OBJ_STREAM);
	case SL_SHOW_TABLES: return show_sources(c, SL_OBJ_TABLE);
	case SL_SHOW_QUERIES: return show_queries(c);
	case SL_SHOW_TOPICS: return show_topics(c);
	case SL_SHOW_PROPERTIES: return show_properties(c);
	case SL_SHOW_FUNCTIONS: return show_functions(c);
	case SL_SHOW_VARIABLES: return show_variables(c);
	default: return show_types(c);
	}
}

/* Splits "a INT, b VARCHAR" (a variant's parameter text) into arguments:
 * each "name TYPE", or a bare "TYPE". */
static cJSON *
describe_arguments(const char *params)
{
	cJSON *args = cJSON_CreateArray();
	const char *p = params ? params : "";

	while (*p != '\0') {
		int depth = 0;
		const char *start = p;
		while (*p != '\0' && !(depth == 0 && *p == ',')) {
			if (*p == '<' || *p == '(')
				depth++;
			else if (*p == '>' || *p == ')')
				depth--;
			p++;
		}
		char *arg = strndup(start, (size_t)(p - start));
		char *s = arg, *sp;
		cJSON *o = cJSON_CreateObject();
		while (*s == ' ')
			s++;
		sp = strchr(s, ' ');
		if (sp != NULL && strcspn(s, "<(") > (size_t)(sp - s)) {
			*sp = '\0';
			cJSON_AddStringToObject(o, "name", s);
			cJSON_AddStringToObject(o, "type", sp + 1);
		} else {
			cJSON_AddStringToObject(o, "name", "");
			cJSON_AddStringToObject(o, "type", s);
		}
		cJSON_AddStringToObject(o, "description", "");
		cJSON_AddItemToArray(args, o);
		free(arg);
		if (*p == ',')
			p++;
	}
	return args;
}

static int
describe_function(sl_stmt_ctx_t *c)
{
	const sl_func_t *f = sl_func_lookup(c->eng->reg, c->node->str);
	cJSON *e, *vars;

	if (f == NULL)
		return sl_error_at(c->err, SL_ENOTFOUND, c->node->str_loc,
				   "function \"%s\" does not exist", c->node->str);
	e = sl_entity_new(c, "describe_function");
	cJSON_AddStringToObject(e, "name", f->name);
	cJSON_AddStringToObject(e, "description", f->description ? f->description : "");
	cJSON_AddStringToObject(e, "author", "sluice");
	cJSON_AddStringToObject(e, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(e, "path", "internal");
	vars = cJSON_CreateArray();
	for (int i = 0; i < f->nvariants; i++) {
		const sl_func_variant_t *v = f->variants[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "arguments", describe_arguments(v->params));
		cJSON_AddStringToObject(o, "returnType", f->returns[i]);
		cJSON_AddStringToObject(o, "description",
					v->description ? v->description :
					f->description ? f->description : "");
		cJSON_AddStringToObject(o, "signature", f->signatures[i]);
		cJSON_AddItemToArray(vars, o);
	}
	cJSON_AddItemToObject(e, "functions", vars);
	cJSON_AddStringToObject(e, "type", sl_func_kind_name(f->kind));
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

int
sl_stmt_describe(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	bool extended = n->flags & SL_F_EXTENDED;
	cJSON *e;

	switch (n->op) {
	case SL_DESC_FUNCTION:
		return describe_function(c);
	case SL_DESC_STREAMS:
	case SL_DESC_TABLES: {
		int cnt;
		sl_source_t **all = sl_catalog_sources(c->eng->cat, &cnt);
		cJSON *list = cJSON_CreateArray();
		int kind = n->op == SL_DESC_TABLES ? SL_OBJ_TABLE : SL_OBJ_STREAM;
		for (int i = 0; i < cnt; i++)
			if (all[i]->kind == kind)
				cJSON_AddItemToArray(list,
						     sl_entity_source_description(c->eng, all[i],
										  extended));
		e = sl_entity_new(c, "source_descriptions");
		cJSON_AddItemToObject(e, "sourceDescriptions", list);
		break;
	}
	default: {
		const sl_source_t *src = sl_catalog_source(c->eng->cat, n->str);
		if (src == NULL)
			return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc,
					   "stream or table \"%s\" does not exist", n->str);
		e = sl_entity_new(c, "sourceDescription");
		cJSON_AddItemToObject(e, "sourceDescription",
				      sl_entity_source_description(c->eng, src, extended));
		break;
	}
	}
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}

/* EXPLAIN of a statement: analyzes and plans its query without running
 * it, and describes the operator pipeline. */
static int
explain_statement(sl_stmt_ctx_t *c, const sl_node_t *stmt)
{
	const sl_node_t *select;
	const char *sink = NULL;
	sl_plan_t *plan;
	sl_strbuf_t text;
	int rc;

	switch (stmt->kind) {
	case SL_N_CREATE_AS:
		select = stmt->kids[1];
		sink = stmt->str;
		break;
	case SL_N_INSERT_SELECT:
		select = stmt->kids[1];
		sink = stmt->str;
		break;
	case SL_N_SELECT:
		select = stmt;
		break;
	default:
		return sl_error_at(c->err, SL_EINVAL, stmt->loc,
				   "EXPLAIN takes a query id or a statement with a query "
				   "(CREATE ... AS SELECT, INSERT INTO ... SELECT, SELECT)");
	}
	rc = sl_plan_create(select, c->eng->cat, c->eng->reg, "EXPLAIN", NULL, sink, &plan, c->err);
	if (rc != SL_OK)
		return rc;
	sl_strbuf_init(&text);
	sl_plan_explain(plan, &text);
	if (sink != NULL)
		sl_strbuf_printf(&text, " > sink %s\n", sink);
	cJSON *e = sl_entity_new(c, "queryDescription");
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "id", "");
	cJSON_AddStringToObject(d, "statementText", c->sql);
	cJSON *fields = cJSON_CreateArray();
	for (int i = 0; i < plan->an->nout; i++) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "name", plan->an->out[i].name);
		cJSON_AddItemToObject(f, "schema", sl_entity_schema(plan->an->out[i].type));
		if (plan->an->out[i].key)
			cJSON_AddStringToObject(f, "type", "KEY");
		cJSON_AddItemToArray(fields, f);
	}
	cJSON_AddItemToObject(d, "fields", fields);
	cJSON *sources = cJSON_CreateArray();
	for (int i = 0; i < plan->ninputs; i++)
		cJSON_AddItemToArray(sources, cJSON_CreateString(plan->inputs[i].name));
	cJSON_AddItemToObject(d, "sources", sources);
	cJSON *sinks = cJSON_CreateArray();
	if (sink != NULL)
		cJSON_AddItemToArray(sinks, cJSON_CreateString(sink));
	cJSON_AddItemToObject(d, "sinks", sinks);
	cJSON_AddStringToObject(d, "executionPlan", text.data);
	cJSON_AddStringToObject(d, "queryType", sink != NULL ? "PERSISTENT" : "PUSH");
	cJSON_AddItemToObject(e, "queryDescription", d);
	cJSON_AddItemToArray(c->results, e);
	sl_strbuf_free(&text);
	sl_plan_destroy(plan);
	return SL_OK;
}

int
sl_stmt_explain(sl_stmt_ctx_t *c)
{
	const sl_node_t *n = c->node;
	const sl_query_def_t *q;
	cJSON *e, *d, *sources, *sinks;

	if (n->kids[0] != NULL)
		return explain_statement(c, n->kids[0]);
	q = sl_catalog_query(c->eng->cat, n->str);
	if (q == NULL)
		return sl_error_at(c->err, SL_ENOTFOUND, n->str_loc,
				   "query \"%s\" does not exist", n->str);
	e = sl_entity_new(c, "queryDescription");
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "id", q->id);
	cJSON_AddStringToObject(d, "statementText", q->sql);
	cJSON_AddNullToObject(d, "windowType");
	sources = cJSON_CreateArray();
	for (int i = 0; i < q->nsources; i++)
		cJSON_AddItemToArray(sources, cJSON_CreateString(q->sources[i]));
	cJSON_AddItemToObject(d, "sources", sources);
	sinks = cJSON_CreateArray();
	cJSON_AddItemToArray(sinks, cJSON_CreateString(q->sink));
	cJSON_AddItemToObject(d, "sinks", sinks);
	const sl_source_t *sink = sl_catalog_source(c->eng->cat, q->sink);
	cJSON *fields = cJSON_CreateArray();
	for (int i = 0; sink != NULL && i < sink->ncols; i++) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "name", sink->cols[i].name);
		cJSON_AddItemToObject(f, "schema", sl_entity_schema(sink->cols[i].type));
		if (sink->cols[i].ns == SL_COL_KEY)
			cJSON_AddStringToObject(f, "type", "KEY");
		cJSON_AddItemToArray(fields, f);
	}
	cJSON_AddItemToObject(d, "fields", fields);
	sl_running_t *r = sl_engine_find_running(c->eng, q->id);
	if (r != NULL) {
		sl_strbuf_t plan;
		sl_strbuf_init(&plan);
		sl_plan_explain(sl_query_plan(r->q), &plan);
		cJSON_AddStringToObject(d, "executionPlan", plan.data);
		sl_strbuf_free(&plan);
	}
	cJSON_AddStringToObject(d, "state", q->terminated ? "TERMINATED" :
				r == NULL ? "ERROR" : atomic_load(&r->paused) ? "PAUSED" : "RUNNING");
	cJSON_AddStringToObject(d, "queryType", "PERSISTENT");
	cJSON_AddItemToObject(e, "queryDescription", d);
	cJSON_AddItemToArray(c->results, e);
	return SL_OK;
}
