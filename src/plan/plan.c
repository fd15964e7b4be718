/*
 * plan.c: building and describing query plans (see plan.h).
 *
 * Stage: plan.
 */
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

void
sl_plan_io_from_source(sl_arena_t *a, const sl_source_t *src, sl_plan_io_t *io)
{
	memset(io, 0, sizeof(*io));
	io->name = sl_arena_strdup(a, src->name);
	io->kind = src->kind;
	io->topic = sl_arena_strdup(a, src->topic);
	io->partitions = src->partitions;
	io->key_format = sl_arena_strdup(a, src->key_format);
	io->value_format = sl_arena_strdup(a, src->value_format);
	io->key_delimiter = sl_arena_strdup(a, src->key_delimiter);
	io->value_delimiter = sl_arena_strdup(a, src->value_delimiter);
	io->wrap_single_value = src->wrap_single_value;
	io->ncols = src->ncols;
	io->cols = sl_arena_calloc(a, sizeof(*io->cols) * (size_t)(src->ncols ? src->ncols : 1));
	for (int i = 0; i < src->ncols; i++) {
		io->cols[i].name = sl_arena_strdup(a, src->cols[i].name);
		io->cols[i].type = sl_type_copy(a, src->cols[i].type);
		io->cols[i].ns = src->cols[i].ns;
		io->cols[i].header_key = sl_arena_strdup(a, src->cols[i].header_key);
	}
	io->nkeys = sl_source_nkeys(src);
	io->window_type = src->window_type;
	io->window_size_ms = src->window_size_ms;
	io->timestamp_col = src->timestamp_column ? sl_source_column(src, src->timestamp_column) : -1;
	io->timestamp_format = sl_arena_strdup(a, src->timestamp_format);
}

/* Compiles STRINGTOTIMESTAMP(col, 'format') over the output row when the
 * sink takes its timestamp from a STRING column. */
static int
out_event_time(sl_plan_t *plan, const sl_func_registry_t *reg, sl_error_t *err)
{
	const sl_plan_io_t *o = &plan->output;
	sl_scope_col_t *cols;

	if (o->timestamp_col < 0 || o->cols[o->timestamp_col].type->kind != SL_T_STRING ||
	    o->timestamp_format == NULL)
		return SL_OK;
	cols = sl_arena_calloc(&plan->arena, sizeof(*cols) * (size_t)o->ncols);
	for (int i = 0; i < o->ncols; i++)
		cols[i] = (sl_scope_col_t){o->cols[i].name, NULL, o->cols[i].type, i};
	sl_scope_t scope = {.cols = cols, .ncols = o->ncols};
	return sl_analyze_time_parse(o->cols[o->timestamp_col].name, o->timestamp_format, &scope,
				     reg, &plan->arena, &plan->out_event_time, err);
}

int
sl_plan_create(const sl_node_t *select, const sl_catalog_t *cat, const sl_func_registry_t *reg,
	       const char *query_id, const sl_source_t *sink, const char *sink_name,
	       sl_plan_t **out, sl_error_t *err)
{
	sl_plan_t *plan = calloc(1, sizeof(*plan));
	int rc;

	if (plan == NULL)
		abort();
	sl_arena_init(&plan->arena, 0);
	plan->query_id = sl_arena_strdup(&plan->arena, query_id);
	rc = sl_analyze_query(select, cat, reg, sink_name, &plan->arena, &plan->an, err);
	if (rc != SL_OK) {
		sl_plan_destroy(plan);
		*out = NULL;
		return rc;
	}
	if (plan->an->join != NULL) {
		const sl_join_t *j = plan->an->join;
		plan->ninputs = j->nsrc;
		plan->inputs = sl_arena_calloc(&plan->arena, sizeof(*plan->inputs) * (size_t)j->nsrc);
		for (int i = 0; i < j->nsrc; i++)
			sl_plan_io_from_source(&plan->arena, j->src[i].src, &plan->inputs[i]);
		plan->input = plan->inputs[0];
		plan->input.kind = j->table ? SL_OBJ_TABLE : SL_OBJ_STREAM;
	} else {
		sl_plan_io_from_source(&plan->arena, plan->an->from, &plan->input);
		plan->ninputs = 1;
		plan->inputs = &plan->input;
	}
	if (sink != NULL) {
		sl_plan_io_from_source(&plan->arena, sink, &plan->output);
		plan->has_output = true;
		rc = out_event_time(plan, reg, err);
		if (rc != SL_OK) {
			sl_plan_destroy(plan);
			*out = NULL;
			return rc;
		}
	}
	*out = plan;
	return SL_OK;
}

void
sl_plan_destroy(sl_plan_t *plan)
{
	if (plan == NULL)
		return;
	sl_expr_destroy(plan->out_event_time);
	if (plan->an != NULL && plan->an->join != NULL) {
		const sl_join_t *j = plan->an->join;
		for (int i = 0; i < j->nsrc; i++)
			sl_expr_destroy(j->src[i].event_time);
		for (int i = 0; i < j->nnode; i++) {
			sl_expr_destroy(j->node[i].lkey);
			sl_expr_destroy(j->node[i].rkey);
		}
	}
	if (plan->an != NULL) {
		sl_expr_destroy(plan->an->where);
		for (int i = 0; i < plan->an->nout; i++)
			sl_expr_destroy(plan->an->out[i].expr);
		sl_expr_destroy(plan->an->having);
		for (int i = 0; i < plan->an->ngroup; i++)
			sl_expr_destroy(plan->an->group[i]);
		for (int i = 0; i < plan->an->nagg; i++) {
			for (int j = 0; j < plan->an->aggs[i].argc; j++)
				sl_expr_destroy(plan->an->aggs[i].args[j]);
			if (plan->an->aggs[i].bind.destroy != NULL)
				plan->an->aggs[i].bind.destroy(plan->an->aggs[i].bind.state);
		}
		for (int i = 0; i < plan->an->ntf; i++) {
			for (int j = 0; j < plan->an->tf[i].argc; j++)
				sl_expr_destroy(plan->an->tf[i].args[j]);
			if (plan->an->tf[i].bind.destroy != NULL)
				plan->an->tf[i].bind.destroy(plan->an->tf[i].bind.state);
		}
	}
	sl_arena_destroy(&plan->arena);
	free(plan);
}

static void
describe_io(sl_strbuf_t *out, const char *what, const sl_plan_io_t *io)
{
	sl_strbuf_printf(out, "%s %s (topic %s, %d partition%s, key %s, value %s): ", what, io->name,
			 io->topic, io->partitions, io->partitions == 1 ? "" : "s", io->key_format,
			 io->value_format);
	for (int i = 0; i < io->ncols; i++) {
		sl_strbuf_printf(out, "%s%s ", i ? ", " : "", io->cols[i].name);
		sl_type_format(out, io->cols[i].type);
		if (io->cols[i].ns == SL_COL_KEY)
			sl_strbuf_puts(out, " KEY");
	}
	sl_strbuf_putc(out, '\n');
}

void
sl_plan_explain(const sl_plan_t *plan, sl_strbuf_t *out)
{
	const sl_analysis_t *an = plan->an;

	static const char *jtypes[] = {"", "INNER", "LEFT OUTER", "RIGHT OUTER", "FULL OUTER"};
	static const char *jops[] = {"", "stream-stream", "stream-table", "table-table",
				     "foreign-key table-table"};
	for (int i = 0; i < plan->ninputs; i++) {
		describe_io(out, " > source", &plan->inputs[i]);
		if (plan->inputs[i].timestamp_col >= 0)
			sl_strbuf_printf(out, " > event time from column %s\n",
					 plan->inputs[i].cols[plan->inputs[i].timestamp_col].name);
	}
	for (int i = 0; an->join != NULL && i < an->join->nnode; i++) {
		const sl_join_node_t *nd = &an->join->node[i];
		sl_strbuf_printf(out, " > %s %s join with %s", jtypes[nd->type], jops[nd->op],
				 plan->inputs[i + 1].name);
		if (nd->op == SL_JOIN_SS)
			sl_strbuf_printf(out, " within (%lld ms before, %lld ms after, grace %lld ms%s)",
					 (long long)nd->before_ms, (long long)nd->after_ms,
					 (long long)nd->grace_ms,
					 nd->has_grace ? "" : ", unmatched rows at once");
		sl_strbuf_puts(out, "; state in SQLite\n");
	}
	if (an->where != NULL)
		sl_strbuf_puts(out, " > filter (WHERE)\n");
	if (an->ntf > 0)
		sl_strbuf_printf(out, " > table functions: %d (one output row per element)\n", an->ntf);
	if (an->aggregate) {
		static const char *wnames[] = {"", "TUMBLING", "HOPPING", "SESSION"};
		const sl_window_t *w = &an->window;
		if (w->type != SL_WIN_NONE) {
			sl_strbuf_printf(out, " > window %s (%s %lld ms", wnames[w->type],
					 w->type == SL_WIN_SESSION ? "gap" : "size", (long long)w->size_ms);
			if (w->type == SL_WIN_HOPPING)
				sl_strbuf_printf(out, ", advance %lld ms", (long long)w->advance_ms);
			sl_strbuf_printf(out, ", grace %lld ms, retention %lld ms)\n",
					 (long long)w->grace_ms, (long long)w->retention_ms);
		}
		sl_strbuf_printf(out, " > aggregate (GROUP BY %d expression%s): ", an->ngroup,
				 an->ngroup == 1 ? "" : "s");
		for (int i = 0; i < an->nagg; i++)
			sl_strbuf_printf(out, "%s%s", i ? ", " : "", an->aggs[i].bind.func->name);
		sl_strbuf_printf(out, "%s; state in SQLite, %s\n", an->nagg ? "" : "no aggregates",
				 an->emit == SL_EMIT_FINAL ? "EMIT FINAL" : "EMIT CHANGES");
		if (an->having != NULL)
			sl_strbuf_puts(out, " > filter (HAVING): a row that fails is deleted\n");
	}
	sl_strbuf_puts(out, " > project: ");
	for (int i = 0; i < an->nout; i++) {
		sl_strbuf_printf(out, "%s%s ", i ? ", " : "", an->out[i].name);
		sl_type_format(out, an->out[i].type);
		if (an->out[i].key)
			sl_strbuf_puts(out, " KEY");
	}
	sl_strbuf_putc(out, '\n');
	if (an->partitioned)
		sl_strbuf_puts(out, " > re-key (PARTITION BY)\n");
	if (plan->has_output)
		describe_io(out, " > sink", &plan->output);
}

int
sl_plan_io_serde(const sl_plan_io_t *io, bool is_key, sl_serde_t **out, sl_error_t *err)
{
	sl_field_t fields[io->ncols > 0 ? io->ncols : 1];
	sl_serde_opts_t opts = {.is_key = is_key};
	sl_format_t fmt;
	const char *delim = is_key ? io->key_delimiter : io->value_delimiter;
	int n = 0, rc;

	*out = NULL;
	rc = sl_format_parse(is_key ? io->key_format : io->value_format, &fmt, err);
	if (rc != SL_OK)
		return rc;
	for (int i = 0; i < io->ncols; i++) {
		bool key = io->cols[i].ns == SL_COL_KEY;
		if (is_key ? key : io->cols[i].ns == SL_COL_VALUE) {
			fields[n].name = io->cols[i].name;
			fields[n].type = io->cols[i].type;
			n++;
		}
	}
	if (delim != NULL && (rc = sl_serde_delimiter_parse(delim, &opts.delimiter, err)) != SL_OK)
		return rc;
	if (!is_key && io->wrap_single_value >= 0)
		opts.wrap = io->wrap_single_value ? SL_SERDE_WRAP_TRUE : SL_SERDE_WRAP_FALSE;
	return sl_serde_create(fmt, fields, n, &opts, out, err);
}

int
sl_plan_check_formats(const sl_source_t *src, sl_error_t *err)
{
	sl_arena_t a;
	sl_plan_io_t io;
	sl_serde_t *k = NULL, *v = NULL;
	int rc;

	sl_arena_init(&a, 0);
	sl_plan_io_from_source(&a, src, &io);
	rc = sl_plan_io_serde(&io, true, &k, err);
	if (rc == SL_OK)
		rc = sl_plan_io_serde(&io, false, &v, err);
	sl_serde_destroy(k);
	sl_serde_destroy(v);
	sl_arena_destroy(&a);
	return rc;
}
