/*
 * aggregate.c: analysis of aggregations: GROUP BY, HAVING, WINDOW.
 *
 * Stage: analyze.  Takes over from query.c when a SELECT groups: checks
 * ksqlDB's rules (every grouping expression projected once, as the key;
 * every other non-aggregate expression made of grouping expressions;
 * aggregates neither nested nor grouped by), binds the aggregate calls,
 * and compiles the output columns and HAVING over the aggregate row (see
 * sl_analysis_t).  Hands on the group expressions, the aggregate calls and
 * the window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/internal.h"
#include "parse/parser.h"

/* Names of the aggregate row's slots in the scope of output columns. */
#define SLOT_WS "$WS"
#define SLOT_WE "$WE"

typedef struct rw {
	actx_t *c;
	const sl_node_t **group;  /* the GROUP BY expressions */
	int ngroup;
	bool windowed;
	sl_strbuf_t *bad;         /* expressions that are not grouped */
	bool item_bad;            /* the current item uses an ungrouped column */
	const char *lambda[16];   /* parameters of the enclosing lambdas */
	int nlambda;
} rw_t;

int
sl_analyze_duration(const sl_node_t *d, int64_t *ms, sl_error_t *err)
{
	char *end;
	long long n = strtoll(d->str, &end, 10);
	int64_t unit;

	if (*end != '\0' || n < 0)
		return sl_error_at(err, SL_EINVAL, d->loc, "invalid duration \"%s\"", d->str);
	if (!sl_analyze_time_unit(d->str2, &unit))
		return sl_error_at(err, SL_EINVAL, d->loc, "unknown time unit \"%s\"", d->str2);
	*ms = n * unit;
	return SL_OK;
}

static int
analyze_window(actx_t *c, const sl_node_t *w, bool final)
{
	sl_window_t *win = &c->an->window;
	int rc;

	win->type = w->op == SL_WINDOW_TUMBLING ? SL_WIN_TUMBLING :
		    w->op == SL_WINDOW_HOPPING ? SL_WIN_HOPPING : SL_WIN_SESSION;
	if ((rc = sl_analyze_duration(w->kids[0], &win->size_ms, c->err)) != SL_OK)
		return rc;
	if (win->size_ms <= 0)
		return sl_error_at(c->err, SL_EINVAL, w->kids[0]->loc,
				   "the window size must be positive");
	win->advance_ms = win->size_ms;
	if (w->kids[1] != NULL) {
		if ((rc = sl_analyze_duration(w->kids[1], &win->advance_ms, c->err)) != SL_OK)
			return rc;
		if (win->advance_ms <= 0 || win->advance_ms > win->size_ms)
			return sl_error_at(c->err, SL_EINVAL, w->kids[1]->loc,
					   "the window advance must be positive and no larger than "
					   "the window size");
	}
	/* without GRACE PERIOD ksqlDB closes EMIT FINAL windows at their end
	 * and keeps EMIT CHANGES windows open for a day */
	win->grace_ms = final ? 0 : SL_WINDOW_DEFAULT_GRACE_MS;
	if (w->kids[3] != NULL && (rc = sl_analyze_duration(w->kids[3], &win->grace_ms, c->err)) != SL_OK)
		return rc;
	win->retention_ms = win->size_ms + win->grace_ms;
	if (w->kids[2] != NULL) {
		if ((rc = sl_analyze_duration(w->kids[2], &win->retention_ms, c->err)) != SL_OK)
			return rc;
		if (win->retention_ms < win->size_ms + win->grace_ms)
			return sl_error_at(c->err, SL_EINVAL, w->kids[2]->loc,
					   "the retention of a window must be at least its size "
					   "plus its grace period (%lld ms)",
					   (long long)(win->size_ms + win->grace_ms));
	}
	return SL_OK;
}

static const sl_func_t *
aggregate_of(const actx_t *c, const sl_node_t *n)
{
	if (n == NULL || n->kind != SL_N_FUNC)
		return NULL;
	const sl_func_t *f = sl_func_lookup(c->reg, n->str);
	return f != NULL && f->kind == SL_FUNC_AGGREGATE ? f : NULL;
}

/* The first aggregate call inside n (n itself included), or NULL. */
static const sl_node_t *
find_aggregate(const actx_t *c, const sl_node_t *n)
{
	if (n == NULL)
		return NULL;
	if (aggregate_of(c, n) != NULL)
		return n;
	for (int i = 0; i < n->nkids; i++) {
		const sl_node_t *f = find_aggregate(c, n->kids[i]);
		if (f != NULL)
			return f;
	}
	return NULL;
}

static void
print_expr(sl_strbuf_t *sb, const sl_node_t *n)
{
	sl_ast_print(sb, n);
}

static sl_node_t *
slot_ref(sl_arena_t *a, const char *prefix, int i, int loc)
{
	char name[32];
	snprintf(name, sizeof(name), "%s%d", prefix, i);
	return sl_an_column_ref(a, sl_arena_strdup(a, name), NULL, loc);
}

/* Binds the aggregate call n (or finds the same call bound before);
 * *slot receives its index among the aggregates. */
static int
bind_aggregate(actx_t *c, const sl_func_t *f, const sl_node_t *n, int *slot)
{
	sl_analysis_t *an = c->an;
	int argc = (n->flags & SL_F_STAR) ? 0 : n->nkids;
	const sl_type_t **argt;
	const sl_value_t **constv;
	sl_aggcall_t agg = {.argc = argc, .ast = n};
	int rc;

	for (int i = 0; i < an->nagg; i++) {
		if (sl_ast_equal(an->aggs[i].ast, n)) {
			*slot = i;
			return SL_OK;
		}
	}
	if (n->flags & SL_F_DISTINCT)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "DISTINCT is not supported in aggregate calls: use COUNT_DISTINCT "
				   "or COLLECT_SET");
	for (int i = 0; i < argc; i++) {
		const sl_node_t *inner = find_aggregate(c, n->kids[i]);
		if (inner != NULL) {
			sl_strbuf_t sb;
			sl_strbuf_init(&sb);
			print_expr(&sb, n);
			rc = sl_error_at(c->err, SL_EINVAL, inner->loc,
					 "aggregate functions can not be nested: %s", sb.data);
			sl_strbuf_free(&sb);
			return rc;
		}
	}
	agg.args = sl_arena_calloc(c->a, sizeof(*agg.args) * (size_t)(argc + 1));
	argt = sl_arena_calloc(c->a, sizeof(*argt) * (size_t)(argc + 1));
	constv = sl_arena_calloc(c->a, sizeof(*constv) * (size_t)(argc + 1));
	for (int i = 0; i < argc; i++) {
		sl_node_t *arg;
		if ((rc = sl_an_rewrite_tablefns(c, n->kids[i], &arg)) != SL_OK)
			return rc;
		if ((rc = sl_expr_compile(arg, &c->scope, c->reg, c->a, &agg.args[i], c->err)) != SL_OK)
			return rc;
		argt[i] = sl_expr_type(agg.args[i]);
		if (sl_expr_is_constant(agg.args[i])) {
			sl_value_t *v = sl_arena_alloc(c->a, sizeof(*v));
			sl_error_t e;
			if (sl_expr_eval_constant(agg.args[i], c->a, v, &e) == SL_OK)
				constv[i] = v;
		} else if (i > 0) {
			/* ksqlDB: only the first argument of an aggregate
			 * varies per row, except for functions of several
			 * columns (CORRELATION) */
			const sl_node_t *a = n->kids[i];
			if (strcmp(f->name, "CORRELATION") != 0 && strcmp(f->name, "TOPK") != 0 &&
			    strcmp(f->name, "COLLECT_LIST") != 0) {
				sl_strbuf_t sb;
				sl_strbuf_init(&sb);
				print_expr(&sb, a);
				rc = sl_error_at(c->err, SL_EINVAL, a->loc,
						 "parameter %d passed to function %s must be a literal "
						 "constant, but was expression: '%s'", i + 1, f->name,
						 sb.data);
				sl_strbuf_free(&sb);
				return rc;
			}
		}
	}
	rc = sl_func_bind(f, argc, argt, constv, c->a, n->loc, &agg.bind, c->err);
	if (rc != SL_OK)
		return rc;
	sl_aggcall_t *v = sl_arena_alloc(c->a, sizeof(*v) * (size_t)(an->nagg + 1));
	if (an->nagg)
		memcpy(v, an->aggs, sizeof(*v) * (size_t)an->nagg);
	v[an->nagg] = agg;
	an->aggs = v;
	*slot = an->nagg++;
	return SL_OK;
}

static bool
is_lambda_param(const rw_t *w, const char *name)
{
	for (int i = 0; i < w->nlambda; i++)
		if (strcmp(w->lambda[i], name) == 0)
			return true;
	return false;
}

/* Copies n for evaluation over the aggregate row: grouping expressions
 * and aggregate calls become slot references. */
static int
rewrite(rw_t *w, const sl_node_t *n, sl_node_t **out)
{
	actx_t *c = w->c;
	const sl_func_t *f;
	int rc;

	*out = NULL;
	if (n == NULL)
		return SL_OK;
	if ((f = aggregate_of(c, n)) != NULL) {
		int slot;
		if ((rc = bind_aggregate(c, f, n, &slot)) != SL_OK)
			return rc;
		*out = slot_ref(c->a, "$A", slot, n->loc);
		return SL_OK;
	}
	if (n->kind != SL_N_LITERAL || w->nlambda == 0) {
		for (int k = 0; k < w->ngroup; k++) {
			if (sl_an_same_expr(c, n, w->group[k])) {
				*out = slot_ref(c->a, "$G", k, n->loc);
				return SL_OK;
			}
		}
	}
	if (n->kind == SL_N_COLUMN && !is_lambda_param(w, n->str)) {
		bool bound = strcmp(n->str, "WINDOWSTART") == 0 || strcmp(n->str, "WINDOWEND") == 0;
		if (bound && sl_an_resolve_column(c, n) < 0) {
			if (!w->windowed)
				return sl_error_at(c->err, SL_EINVAL, n->loc,
						   "column \"%s\" cannot be resolved: the query is not "
						   "windowed", n->str);
			*out = sl_an_column_ref(c->a, n->str[6] == 'S' ? SLOT_WS : SLOT_WE, NULL,
						n->loc);
			return SL_OK;
		}
		w->item_bad = true;
		if (w->bad != NULL) {
			if (w->bad->len > 0)
				sl_strbuf_puts(w->bad, ", ");
			print_expr(w->bad, n);
		}
		*out = sl_ast_copy(c->a, n);
		return SL_OK;
	}
	sl_node_t *copy = sl_an_copy_node(c->a, n);
	int pushed = 0;
	if (n->kind == SL_N_LAMBDA && n->kids[0] != NULL) {
		for (int i = 0; i < n->kids[0]->nkids && w->nlambda < 16; i++, pushed++)
			w->lambda[w->nlambda++] = n->kids[0]->kids[i]->str;
	}
	for (int i = 0; i < n->nkids; i++) {
		if (n->kind == SL_N_LAMBDA && i == 0) {
			copy->kids[0] = sl_ast_copy(c->a, n->kids[0]);
			continue;
		}
		if ((rc = rewrite(w, n->kids[i], &copy->kids[i])) != SL_OK)
			return rc;
	}
	w->nlambda -= pushed;
	*out = copy;
	return SL_OK;
}

/* Rewrites a whole SELECT item or HAVING: an expression that uses a
 * column outside the GROUP BY is reported whole (ksqlDB's message). */
static int
rewrite_item(rw_t *w, const sl_node_t *n, sl_strbuf_t *bad, sl_node_t **out)
{
	w->item_bad = false;
	w->bad = NULL;
	int rc = rewrite(w, n, out);
	if (rc == SL_OK && w->item_bad) {
		if (bad->len > 0)
			sl_strbuf_puts(bad, ", ");
		print_expr(bad, n);
	}
	return rc;
}

static const sl_scope_col_t *
agg_scope(actx_t *c, sl_scope_t *scope)
{
	sl_analysis_t *an = c->an;
	int n = an->ngroup + an->nagg + 2;
	sl_scope_col_t *cols = sl_arena_calloc(c->a, sizeof(*cols) * (size_t)n);
	char name[32];

	for (int k = 0; k < an->ngroup; k++) {
		snprintf(name, sizeof(name), "$G%d", k);
		cols[k] = (sl_scope_col_t){sl_arena_strdup(c->a, name), NULL,
					   sl_expr_type(an->group[k]), k};
	}
	for (int i = 0; i < an->nagg; i++) {
		snprintf(name, sizeof(name), "$A%d", i);
		cols[an->ngroup + i] = (sl_scope_col_t){sl_arena_strdup(c->a, name), NULL,
							an->aggs[i].bind.ret, an->ngroup + i};
	}
	cols[n - 2] = (sl_scope_col_t){SLOT_WS, NULL, sl_type_bigint(), an->agg_windowstart};
	cols[n - 1] = (sl_scope_col_t){SLOT_WE, NULL, sl_type_bigint(), an->agg_windowend};
	scope->cols = cols;
	scope->ncols = n;
	scope->lookup_type = c->scope.lookup_type;
	scope->lookup_ud = c->scope.lookup_ud;
	return cols;
}

int
sl_an_aggregate(actx_t *c, const sl_node_t *select, const char *sink)
{
	sl_analysis_t *an = c->an;
	const sl_source_t *src = an->from;
	const sl_node_t *gby = select->kids[4];
	sl_strbuf_t bad;
	item_t *items;
	int nitems, rc;
	rw_t w = {.c = c};
	sl_node_t **vals = NULL;
	sl_node_t *having = NULL;

	an->aggregate = true;
	/* a push query may aggregate its whole input (SELECT COUNT(*) FROM s
	 * EMIT CHANGES): one group, under a hidden constant key */
	if ((gby == NULL || gby->nkids == 0) && sink == NULL && select->kids[2] == NULL &&
	    select->op != SL_EMIT_NONE) {
		sl_node_t *lit = sl_ast_new(c->a, SL_N_LITERAL, select->loc, 0);
		lit->op = SL_LIT_INTEGER;
		lit->str = sl_arena_strdup(c->a, "1");
		sl_node_t *list = sl_ast_new(c->a, SL_N_LIST, select->loc, 1);
		list->kids[0] = lit;
		gby = list;
	}
	if (gby == NULL || gby->nkids == 0) {
		const sl_node_t *at = select->kids[2] ? select->kids[2] : select->kids[0];
		return sl_error_at(c->err, SL_EINVAL, at->loc,
				   select->kids[2] ? "a WINDOW clause requires a GROUP BY clause" :
				   "aggregate functions and HAVING require a GROUP BY clause");
	}
	if (select->kids[5] != NULL)
		return sl_error_at(c->err, SL_EINVAL, select->kids[5]->loc,
				   "PARTITION BY cannot be combined with GROUP BY");
	if (strcmp(src->value_format, "KAFKA") == 0)
		return sl_error_at(c->err, SL_EINVAL, gby->loc,
				   "source \"%s\" uses the KAFKA value format, which does not "
				   "support GROUP BY", src->name);
	if (select->kids[2] != NULL) {
		if (src->kind == SL_OBJ_TABLE)
			return sl_error_at(c->err, SL_EINVAL, select->kids[2]->loc,
					   "windowed aggregations need a stream, and \"%s\" is a "
					   "table", src->name);
		if ((rc = analyze_window(c, select->kids[2], select->op == SL_EMIT_FINAL)) != SL_OK)
			return rc;
	}
	if (select->op == SL_EMIT_FINAL && an->window.type == SL_WIN_NONE)
		return sl_error_at(c->err, SL_EINVAL, select->loc,
				   "EMIT FINAL is only supported for windowed aggregations");
	w.windowed = an->window.type != SL_WIN_NONE;

	/* GROUP BY */
	an->ngroup = gby->nkids;
	an->group = sl_arena_calloc(c->a, sizeof(*an->group) * (size_t)gby->nkids);
	w.group = (const sl_node_t **)gby->kids;
	w.ngroup = gby->nkids;
	for (int k = 0; k < gby->nkids; k++) {
		const sl_node_t *g = gby->kids[k];
		const sl_node_t *agg = find_aggregate(c, g);
		sl_node_t *e;
		if (agg != NULL)
			return sl_error_at(c->err, SL_EINVAL, agg->loc,
					   "GROUP BY does not support aggregate functions: %s is an "
					   "aggregate function", agg->str);
		for (int j = 0; j < k; j++) {
			if (sl_an_same_expr(c, g, gby->kids[j])) {
				sl_strbuf_t sb;
				sl_strbuf_init(&sb);
				print_expr(&sb, g);
				rc = sl_error_at(c->err, SL_EINVAL, g->loc,
						 "duplicate GROUP BY expression: %s", sb.data);
				sl_strbuf_free(&sb);
				return rc;
			}
		}
		if ((rc = sl_an_rewrite_tablefns(c, g, &e)) != SL_OK)
			return rc;
		if (an->ntf > 0)
			return sl_error_at(c->err, SL_EINVAL, g->loc,
					   "table functions are not allowed in GROUP BY");
		if ((rc = sl_expr_compile(e, &c->scope, c->reg, c->a, &an->group[k], c->err)) != SL_OK)
			return rc;
	}

	/* the projection: grouping expressions are the key */
	if ((rc = sl_an_expand_items(c, select->kids[0], &items, &nitems)) != SL_OK)
		return rc;
	int *keyof = sl_arena_calloc(c->a, sizeof(*keyof) * (size_t)(gby->nkids + 1));
	for (int k = 0; k < gby->nkids; k++)
		keyof[k] = -1;
	for (int i = 0; i < nitems; i++) {
		items[i].key_order = -1;
		for (int k = 0; k < gby->nkids; k++) {
			if (!sl_an_same_expr(c, items[i].ast, gby->kids[k]))
				continue;
			if (keyof[k] >= 0)
				return sl_error_at(c->err, SL_EINVAL, items[i].loc,
						   "the projection contains a key column more than "
						   "once: \"%s\" and \"%s\"", items[keyof[k]].name,
						   items[i].name);
			keyof[k] = i;
			items[i].key_order = k;
			break;
		}
	}
	for (int k = 0; k < gby->nkids; k++) {
		/* a push query may group by what it does not show */
		if (keyof[k] >= 0 || sink == NULL)
			continue;
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		print_expr(&sb, gby->kids[k]);
		rc = sl_error_at(c->err, SL_EINVAL, gby->kids[k]->loc,
				 "the query used to build \"%s\" must include the grouping "
				 "expression %s in its projection (as in SELECT %s, ...)",
				 sink ? sink : "the result", sb.data, sb.data);
		sl_strbuf_free(&sb);
		return rc;
	}

	/* value columns and HAVING, over the aggregate row */
	sl_strbuf_init(&bad);
	vals = sl_arena_calloc(c->a, sizeof(*vals) * (size_t)(nitems + 1));
	for (int i = 0; i < nitems; i++) {
		if (items[i].key_order >= 0)
			continue;
		if ((rc = rewrite_item(&w, items[i].ast, &bad, &vals[i])) != SL_OK)
			goto fail;
	}
	if (bad.len > 0) {
		rc = sl_error_at(c->err, SL_EINVAL, select->kids[0]->loc,
				 "non-aggregate SELECT expression(s) not part of GROUP BY: %s; "
				 "add them to the GROUP BY or remove them from the SELECT",
				 bad.data);
		goto fail;
	}
	if (select->kids[6] != NULL) {
		w.item_bad = false;
		w.bad = &bad;
		if ((rc = rewrite(&w, select->kids[6], &having)) != SL_OK)
			goto fail;
		if (bad.len > 0) {
			rc = sl_error_at(c->err, SL_EINVAL, select->kids[6]->loc,
					 "non-aggregate HAVING expression not part of GROUP BY: %s",
					 bad.data);
			goto fail;
		}
	}
	sl_strbuf_free(&bad);

	/* aggregating a table takes rows out of their groups again: MIN and
	 * MAX switch to a form that can */
	for (int i = 0; i < an->nagg && src->kind == SL_OBJ_TABLE; i++) {
		sl_aggcall_t *ag = &an->aggs[i];
		if ((rc = sl_func_bind_table(&ag->bind, c->a, ag->ast->loc, c->err)) != SL_OK)
			return rc;
		if (ag->bind.variant->agg == NULL || ag->bind.variant->agg->undo == NULL)
			return sl_error_at(c->err, SL_EINVAL, ag->ast->loc,
					   "the aggregate function %s cannot be applied to a table "
					   "(it cannot take a changed row back out of its group): "
					   "aggregate a stream", ag->bind.func->name);
	}
	for (int i = 0; i < an->nagg && an->window.type == SL_WIN_SESSION; i++) {
		const sl_aggcall_t *ag = &an->aggs[i];
		if (ag->bind.variant->agg == NULL || ag->bind.variant->agg->merge == NULL)
			return sl_error_at(c->err, SL_EINVAL, ag->ast->loc,
					   "the aggregate function %s cannot merge session windows",
					   ag->bind.func->name);
	}

	an->agg_windowstart = an->ngroup + an->nagg;
	an->agg_windowend = an->agg_windowstart + 1;
	an->agg_nrow = an->agg_windowend + 1;
	sl_scope_t scope;
	agg_scope(c, &scope);

	int nhidden = 0;
	for (int k = 0; k < gby->nkids; k++)
		nhidden += keyof[k] < 0;
	an->nout = nitems + nhidden;
	an->nkeys = gby->nkids;
	an->out = sl_arena_calloc(c->a, sizeof(*an->out) * (size_t)(an->nout ? an->nout : 1));
	for (int k = 0; k < gby->nkids; k++) {
		sl_out_col_t *oc = &an->out[k];
		const item_t *it = keyof[k] >= 0 ? &items[keyof[k]] : NULL;
		int loc = it != NULL ? it->loc : gby->kids[k]->loc;
		sl_node_t *ref = slot_ref(c->a, "$G", k, loc);
		if ((rc = sl_expr_compile(ref, &scope, c->reg, c->a, &oc->expr, c->err)) != SL_OK)
			return rc;
		oc->name = it != NULL ? it->name : sl_arena_strdup(c->a, "$GROUP");
		oc->type = sl_expr_type(oc->expr);
		oc->key = true;
		oc->hidden = it == NULL;
		oc->loc = loc;
	}
	int vpos = gby->nkids;
	for (int i = 0; i < nitems; i++) {
		if (items[i].key_order >= 0)
			continue;
		sl_out_col_t *oc = &an->out[vpos++];
		if ((rc = sl_expr_compile(vals[i], &scope, c->reg, c->a, &oc->expr, c->err)) != SL_OK)
			return rc;
		oc->name = items[i].name;
		oc->type = sl_expr_type(oc->expr);
		oc->loc = items[i].loc;
	}
	if (having != NULL) {
		if ((rc = sl_expr_compile(having, &scope, c->reg, c->a, &an->having, c->err)) != SL_OK)
			return rc;
		sl_tkind_t k = sl_expr_type(an->having)->kind;
		if (k != SL_T_BOOLEAN && k != SL_T_NULL)
			return sl_error_at(c->err, SL_EINVAL, select->kids[6]->loc,
					   "HAVING needs a BOOLEAN expression, not %s", sl_tkind_name(k));
	}
	return SL_OK;
fail:
	sl_strbuf_free(&bad);
	return rc;
}
