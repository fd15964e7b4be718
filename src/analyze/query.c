/*
 * query.c: analysis of SELECT for stateless queries over one source.
 *
 * Stage: analyze.  Consumes a SELECT node and the catalog; hands on an
 * sl_analysis_t: the evaluation row layout, the compiled filter, table
 * functions and projection, and which output columns form the key, by
 * ksqlDB's rules (see analyze.h).
 */
#include "analyze/analyze.h"
#include "analyze/internal.h"

#include "expr/cast.h"
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sl_type_t *
lookup_named_type(void *ud, const char *name)
{
	const sl_catalog_t *cat = ud;
	sl_named_type_t *t = cat ? sl_catalog_type(cat, name) : NULL;
	return t ? t->type : NULL;
}

void
sl_an_scope_add(actx_t *c, const char *name, const char *qual, const sl_type_t *type, int index)
{
	if (c->ncols == c->capcols) {
		int cap = c->capcols ? c->capcols * 2 : 32;
		sl_scope_col_t *v = sl_arena_alloc(c->a, sizeof(*v) * (size_t)cap);
		if (c->ncols)
			memcpy(v, c->cols, sizeof(*v) * (size_t)c->ncols);
		c->cols = v;
		c->capcols = cap;
	}
	/* the compiled expressions keep what the scope gives them: copies in
	 * the analysis arena, never catalog memory a later statement frees */
	c->cols[c->ncols++] = (sl_scope_col_t){sl_arena_strdup(c->a, name),
					       sl_arena_strdup(c->a, qual),
					       sl_type_copy(c->a, type), index};
	c->scope.cols = c->cols;
	c->scope.ncols = c->ncols;
}

/* The scope index of an unqualified or qualified column reference, or -1. */
int
sl_an_resolve_column(const actx_t *c, const sl_node_t *col)
{
	int found = -1;
	for (int i = 0; i < c->ncols; i++) {
		if (strcmp(c->cols[i].name, col->str) != 0)
			continue;
		if (col->str2 != NULL &&
		    (c->cols[i].qualifier == NULL || strcmp(c->cols[i].qualifier, col->str2) != 0))
			continue;
		if (col->str2 == NULL && c->cols[i].qualifier == NULL)
			return c->cols[i].index;
		if (found >= 0 && c->cols[found].index != c->cols[i].index)
			return -1;
		found = i;
	}
	return found < 0 ? -1 : c->cols[found].index;
}

bool
sl_an_same_expr(const actx_t *c, const sl_node_t *x, const sl_node_t *y)
{
	if (x->kind == SL_N_COLUMN && y->kind == SL_N_COLUMN) {
		int i = sl_an_resolve_column(c, x);
		return i >= 0 && i == sl_an_resolve_column(c, y);
	}
	return sl_ast_equal(x, y);
}


static bool
is_time_column(const sl_node_t *n)
{
	return n != NULL && n->kind == SL_N_COLUMN &&
	       (strcmp(n->str, "ROWTIME") == 0 || strcmp(n->str, "WINDOWSTART") == 0 ||
		strcmp(n->str, "WINDOWEND") == 0);
}

/*
 * ksqlDB's "magic" timestamps: a string literal compared with ROWTIME,
 * WINDOWSTART or WINDOWEND (=, <, BETWEEN ...) is read as a timestamp
 * ('2018-01-01T00:00:00.001', with an optional zone) and becomes its
 * milliseconds.  Rewrites the comparison n in place.
 */
static void
magic_timestamps(actx_t *c, sl_node_t *n)
{
	bool cmp = (n->kind == SL_N_BINARY && n->op >= SL_OP_EQ && n->op <= SL_OP_GE) ||
		   n->kind == SL_N_BETWEEN;
	if (!cmp)
		return;
	bool timed = is_time_column(n->kids[0]) ||
		     (n->kind == SL_N_BINARY && is_time_column(n->kids[1]));
	if (!timed)
		return;
	for (int i = 0; i < n->nkids; i++) {
		sl_node_t *k = n->kids[i];
		int64_t ms;
		if (k == NULL || k->kind != SL_N_LITERAL || k->op != SL_LIT_STRING ||
		    sl_parse_timestamp(k->str, strlen(k->str), &ms) != SL_OK)
			continue;
		char buf[32];
		snprintf(buf, sizeof(buf), "%lld", (long long)ms);
		sl_node_t *lit = sl_ast_new(c->a, SL_N_LITERAL, k->loc, 0);
		lit->op = SL_LIT_INTEGER;
		lit->str = sl_arena_strdup(c->a, buf);
		lit->str_loc = k->str_loc;
		n->kids[i] = lit;
	}
}

static int
bind_tablefn(actx_t *c, const sl_node_t *call, const sl_func_t *f, sl_node_t **out)
{
	sl_analysis_t *an = c->an;
	sl_tablefn_t *tf;
	const sl_type_t **argt;
	int rc;

	tf = sl_arena_calloc(c->a, sizeof(*tf));
	tf->argc = call->nkids;
	tf->args = sl_arena_calloc(c->a, sizeof(*tf->args) * (size_t)(call->nkids + 1));
	argt = sl_arena_calloc(c->a, sizeof(*argt) * (size_t)(call->nkids + 1));
	for (int i = 0; i < call->nkids; i++) {
		sl_node_t *arg;
		if ((rc = sl_an_rewrite_tablefns(c, call->kids[i], &arg)) != SL_OK)
			return rc;
		if ((rc = sl_expr_compile(arg, &c->scope, c->reg, c->a, &tf->args[i], c->err)) != SL_OK)
			return rc;
		argt[i] = sl_expr_type(tf->args[i]);
	}
	rc = sl_func_bind(f, call->nkids, argt, NULL, c->a, call->loc, &tf->bind, c->err);
	if (rc != SL_OK)
		return rc;
	tf->slot = an->nrow++;
	/* grow the table-function array by one */
	sl_tablefn_t *v = sl_arena_alloc(c->a, sizeof(*v) * (size_t)(an->ntf + 1));
	if (an->ntf)
		memcpy(v, an->tf, sizeof(*v) * (size_t)an->ntf);
	v[an->ntf++] = *tf;
	an->tf = v;

	char name[32];
	snprintf(name, sizeof(name), "$TF%d", an->ntf - 1);
	const char *nm = sl_arena_strdup(c->a, name);
	sl_an_scope_add(c, nm, NULL, tf->bind.ret, tf->slot);
	sl_node_t *ref = sl_ast_new(c->a, SL_N_COLUMN, call->loc, 0);
	ref->str = nm;
	*out = ref;
	return SL_OK;
}

int
sl_an_rewrite_tablefns(actx_t *c, const sl_node_t *n, sl_node_t **out)
{
	int rc;

	if (n == NULL) {
		*out = NULL;
		return SL_OK;
	}
	if (n->kind == SL_N_FUNC) {
		const sl_func_t *f = sl_func_lookup(c->reg, n->str);
		if (f != NULL && f->kind == SL_FUNC_TABLE)
			return bind_tablefn(c, n, f, out);
		if (f != NULL && f->kind == SL_FUNC_AGGREGATE)
			return sl_error_at(c->err, SL_EINVAL, n->loc,
					   "aggregate function \"%s\" is not allowed here (only in "
					   "SELECT and HAVING of a GROUP BY)", n->str);
	}
	sl_node_t *copy = sl_an_copy_node(c->a, n);
	for (int i = 0; i < n->nkids; i++)
		if ((rc = sl_an_rewrite_tablefns(c, n->kids[i], &copy->kids[i])) != SL_OK)
			return rc;
	magic_timestamps(c, copy);
	*out = copy;
	return SL_OK;
}

/* True when the source has a column name, or an item of list is aliased
 * or named name. */
static bool
name_taken(const sl_source_t *src, const sl_node_t *list, const char *name)
{
	if (sl_source_column(src, name) >= 0)
		return true;
	for (int i = 0; i < list->nkids; i++) {
		const sl_node_t *it = list->kids[i];
		if (it->kind != SL_N_SELECT_ITEM)
			continue;
		if (it->str != NULL && strcmp(it->str, name) == 0)
			return true;
		const sl_node_t *e = it->kids[0];
		if (it->str == NULL && (e->kind == SL_N_COLUMN || e->kind == SL_N_DEREF) &&
		    strcmp(e->str, name) == 0)
			return true;
	}
	return false;
}

/* The name ksqlDB derives for an unaliased projection item: the column or
 * field name, else KSQL_COL_n with n counting generated names (skipping
 * names the projection already uses). */
const char *
sl_an_derive_name(sl_arena_t *a, const sl_source_t *src, const sl_node_t *list, const sl_node_t *e,
	    int *gen)
{
	char buf[32];
	if (e->kind == SL_N_COLUMN || e->kind == SL_N_DEREF)
		return e->str;
	do
		snprintf(buf, sizeof(buf), "KSQL_COL_%d", (*gen)++);
	while (name_taken(src, list, buf));
	return sl_arena_strdup(a, buf);
}

/* Appends one item to the growing projection list. */
void
sl_an_items_push(sl_arena_t *a, item_t **items, int *n, int *cap, item_t it)
{
	if (*n == *cap) {
		int nc = *cap ? *cap * 2 : 16;
		item_t *v = sl_arena_alloc(a, sizeof(*v) * (size_t)nc);
		if (*n)
			memcpy(v, *items, sizeof(*v) * (size_t)*n);
		*items = v;
		*cap = nc;
	}
	(*items)[(*n)++] = it;
}

sl_node_t *
sl_an_copy_node(sl_arena_t *a, const sl_node_t *n)
{
	sl_node_t *copy = sl_ast_new(a, n->kind, n->loc, n->nkids);
	copy->str_loc = n->str_loc;
	copy->op = n->op;
	copy->flags = n->flags;
	copy->str = n->str;
	copy->str2 = n->str2;
	copy->depth = n->depth;
	return copy;
}

sl_node_t *
sl_an_column_ref(sl_arena_t *a, const char *name, const char *qual, int loc)
{
	sl_node_t *n = sl_ast_new(a, SL_N_COLUMN, loc, 0);
	n->str = name;
	n->str2 = qual;
	n->str_loc = loc;
	return n;
}

/* Expands *, alias.* and struct->* into items. */
int
sl_an_expand_items(actx_t *c, const sl_node_t *list, item_t **items, int *n)
{
	const sl_source_t *src = c->an->from;
	int cap = 0, rc;

	*n = 0;
	*items = NULL;
	for (int i = 0; i < list->nkids; i++) {
		const sl_node_t *it = list->kids[i];
		if (it->kind == SL_N_STAR && c->an->join != NULL) {
			int s = it->str != NULL ? sl_an_join_source(c, it->str) : -1;
			if (it->str != NULL && s < 0)
				return sl_error_at(c->err, SL_EINVAL, it->loc,
						   "Failed to prepare statement: '%s' is not a valid "
						   "stream/table name or alias.", it->str);
			for (int k = 0; k < c->an->join->nsrc; k++)
				if (s < 0 || k == s)
					sl_an_join_star(c, k, it->loc, items, n, &cap);
			c->star = true;
		} else if (it->kind == SL_N_STAR) {
			if (it->str != NULL && strcmp(it->str, c->an->alias) != 0 &&
			    strcmp(it->str, src->name) != 0)
				return sl_error_at(c->err, SL_EINVAL, it->loc,
						   "\"%s\" is not a stream or table of this query",
						   it->str);
			/* with PARTITION BY the old key columns become values and
			 * move behind the others, as in ksqlDB */
			bool rekey = c->partitioned;
			int nk = sl_source_nkeys(src);
			for (int k = 0; k < src->ncols; k++) {
				int j = rekey ? (k + nk) % src->ncols : k;
				const char *nm = sl_arena_strdup(c->a, src->cols[j].name);
				item_t x = {sl_an_column_ref(c->a, nm, NULL, it->loc), nm, false, it->loc,
					    -1};
				sl_an_items_push(c->a, items, n, &cap, x);
				/* a query's answer shows the window of a windowed
				 * source after its key, as ksqlDB does */
				if (c->transient && src->window_type != SL_WIN_NONE && !rekey &&
				    k == nk - 1) {
					static const char *wb[] = {"WINDOWSTART", "WINDOWEND"};
					for (int w = 0; w < 2; w++) {
						item_t y = {sl_an_column_ref(c->a, wb[w], NULL, it->loc),
							    wb[w], false, it->loc, -1};
						sl_an_items_push(c->a, items, n, &cap, y);
					}
				}
			}
			c->star = true;
		} else if (it->kind == SL_N_STRUCT_STAR) {
			sl_expr_t *e;
			if ((rc = sl_expr_compile(it->kids[0], &c->scope, c->reg, c->a, &e, c->err)) != SL_OK)
				return rc;
			const sl_type_t *t = sl_expr_type(e);
			if (t->kind != SL_T_STRUCT)
				return sl_error_at(c->err, SL_EINVAL, it->loc,
						   "->* needs a STRUCT, not %s", sl_tkind_name(t->kind));
			for (int j = 0; j < t->nfields; j++) {
				sl_node_t *d = sl_ast_new(c->a, SL_N_DEREF, it->loc, 1);
				d->kids[0] = it->kids[0];
				d->str = t->fields[j].name;
				d->depth = it->kids[0]->depth + 1;
				item_t x = {d, t->fields[j].name, false, it->loc, -1};
				sl_an_items_push(c->a, items, n, &cap, x);
			}
		} else {
			const sl_node_t *e = it->kids[0];
			const char *nm = it->str;
			if (nm == NULL && c->an->join != NULL && e->kind == SL_N_COLUMN)
				nm = sl_an_join_column_name(c, e);
			if (nm == NULL)
				nm = sl_an_derive_name(c->a, src, list, e, &c->gen);
			item_t x = {e, nm, it->str != NULL, it->loc, -1};
			/* a persistent query would write a column named like a
			 * pseudo-column; a push or pull query just shows it */
			if (!x.aliased && e->kind == SL_N_COLUMN && sl_is_pseudo_column(x.name) &&
			    !c->transient)
				return sl_error_at(c->err, SL_EINVAL, it->loc,
						   "reserved column name \"%s\" in the projection: "
						   "alias it (%s AS ...)", e->str, e->str);
			if (x.aliased && sl_is_pseudo_column(x.name))
				return sl_error_at(c->err, SL_EINVAL, it->loc,
						   "\"%s\" is a reserved column name and cannot be an alias",
						   x.name);
			sl_an_items_push(c->a, items, n, &cap, x);
		}
	}
	return SL_OK;
}

static int
assign_keys(actx_t *c, const sl_node_t *select, item_t **items_p, int *n_p, const char *sink,
	    int *nkeys)
{
	const sl_source_t *src = c->an->from;
	const sl_node_t *pby = select->kids[5];
	item_t *items = *items_p;
	int n = *n_p, cap_unused = *n_p;
	char what[256];

	*nkeys = 0;
	if (pby != NULL) {
		c->an->partitioned = true;
		if (pby->nkids == 0)
			return sl_error_at(c->err, SL_EINVAL, pby->loc,
					   "PARTITION BY requires at least one expression");
		if (pby->nkids == 1 && pby->kids[0]->kind == SL_N_LITERAL &&
		    pby->kids[0]->op == SL_LIT_NULL)
			return SL_OK; /* PARTITION BY NULL: no key */
		for (int k = 0; k < pby->nkids; k++) {
			const sl_node_t *p = pby->kids[k];
			int found = -1;
			for (int i = 0; i < n; i++) {
				if (!sl_an_same_expr(c, items[i].ast, p))
					continue;
				if (found >= 0)
					return sl_error_at(c->err, SL_EINVAL, items[i].loc,
							   "the projection contains the key \"%s\" more "
							   "than once, as %s and %s", items[found].name,
							   items[found].name, items[i].name);
				found = i;
			}
			if (found < 0 && c->star) {
				/* SELECT * ... PARTITION BY expr: the expression is the new
				 * key, named like an unaliased projection item */
				const char *nm = sl_an_derive_name(c->a, src, select->kids[0], p, &c->gen);
				item_t x = {p, nm, false, p->loc, (*nkeys)++};
				sl_an_items_push(c->a, items_p, n_p, &cap_unused, x);
				items = *items_p;
				n = *n_p;
				continue;
			}
			if (found < 0) {
				sl_strbuf_t sb;
				sl_strbuf_init(&sb);
				sl_ast_print(&sb, p);
				snprintf(what, sizeof(what), "%s", sb.data);
				sl_strbuf_free(&sb);
				return sl_error_at(c->err, SL_EINVAL, p->loc,
						   "the query used to build \"%s\" must include the "
						   "partitioning expression %s in its projection",
						   sink ? sink : "the result", what);
			}
			items[found].key_order = (*nkeys)++;
		}
		return SL_OK;
	}
	if (c->an->join != NULL)
		return sl_an_join_keys(c, select, items, n, sink, nkeys);
	for (int k = 0; k < sl_source_nkeys(src); k++) {
		int found = -1;
		for (int i = 0; i < n; i++) {
			const sl_node_t *e = items[i].ast;
			if (e->kind != SL_N_COLUMN || sl_an_resolve_column(c, e) != k)
				continue;
			if (found >= 0)
				return sl_error_at(c->err, SL_EINVAL, items[i].loc,
						   "the projection contains the key column \"%s\" more "
						   "than once, as %s and %s", src->cols[k].name,
						   items[found].name, items[i].name);
			found = i;
		}
		if (found < 0 && sink == NULL)
			continue; /* a push or pull query shows what it likes */
		if (found < 0)
			return sl_error_at(c->err, SL_EINVAL, select->kids[0]->loc,
					   "the query used to build \"%s\" must include the key column "
					   "%s in its projection (as in SELECT %s, ...)",
					   sink ? sink : "the result", src->cols[k].name,
					   src->cols[k].name);
		items[found].key_order = (*nkeys)++;
	}
	return SL_OK;
}

/* True when n (an expression or a list of select items) calls an
 * aggregate function. */
static bool
has_aggregate(const sl_func_registry_t *reg, const sl_node_t *n)
{
	if (n == NULL)
		return false;
	if (n->kind == SL_N_FUNC) {
		const sl_func_t *f = sl_func_lookup(reg, n->str);
		if (f != NULL && f->kind == SL_FUNC_AGGREGATE)
			return true;
	}
	for (int i = 0; i < n->nkids; i++)
		if (has_aggregate(reg, n->kids[i]))
			return true;
	return false;
}

int
sl_analyze_time_parse(const char *column, const char *format, const sl_scope_t *scope,
		      const sl_func_registry_t *reg, sl_arena_t *a, sl_expr_t **out,
		      sl_error_t *err)
{
	sl_strbuf_t sb;
	sl_node_t *ast;
	int rc;

	sl_strbuf_init(&sb);
	sl_strbuf_puts(&sb, "STRINGTOTIMESTAMP(");
	sl_ast_print_ident(&sb, column);
	sl_strbuf_puts(&sb, ", ");
	sl_ast_print_string(&sb, format);
	sl_strbuf_puts(&sb, ")");
	rc = sl_parse_expr(sb.data, sb.len, a, &ast, err);
	if (rc == SL_OK)
		rc = sl_expr_compile(ast, scope, reg, a, out, err);
	sl_strbuf_free(&sb);
	return rc;
}

/* ORDER BY and OFFSET: only pull queries (a SELECT without EMIT and
 * without aggregation) sort and skip. */
static int
order_offset(actx_t *c, const sl_node_t *select, const char *sink, sl_arena_t *a,
	     sl_analysis_t *an, const sl_func_registry_t *reg, sl_error_t *err)
{
	const sl_node_t *order = select->kids[8], *offset = select->kids[9];
	const sl_node_t *first = order != NULL ? order : offset;
	int rc;

	if (first == NULL)
		return SL_OK;
	if (an->emit != SL_EMIT_NONE || an->aggregate || sink != NULL)
		return sl_error_at(err, SL_EINVAL, first->loc,
				   "ORDER BY and OFFSET are only for pull queries (a SELECT "
				   "without EMIT CHANGES and without GROUP BY)");
	if (offset != NULL)
		an->offset = atoll(offset->str);
	if (order == NULL)
		return SL_OK;
	an->norder = order->nkids;
	an->order = sl_arena_alloc(a, sizeof(*an->order) * (size_t)order->nkids);
	an->order_desc = sl_arena_alloc(a, sizeof(*an->order_desc) * (size_t)order->nkids);
	for (int i = 0; i < order->nkids; i++) {
		const sl_node_t *e = order->kids[i]->kids[0];
		an->order_desc[i] = order->kids[i]->op == 1;
		an->order[i] = NULL;
		/* an alias of the projection */
		if (e->kind == SL_N_COLUMN && e->str2 == NULL) {
			for (int j = 0; j < an->nout && an->order[i] == NULL; j++)
				if (strcmp(an->out[j].name, e->str) == 0)
					an->order[i] = an->out[j].expr;
		}
		if (an->order[i] == NULL &&
		    (rc = sl_expr_compile(e, &c->scope, reg, a, &an->order[i], err)) != SL_OK)
			return rc;
	}
	return SL_OK;
}

int
sl_analyze_query(const sl_node_t *select, const sl_catalog_t *cat, const sl_func_registry_t *reg,
		 const char *sink, sl_arena_t *a, sl_analysis_t **out, sl_error_t *err)
{
	actx_t c = {.a = a, .cat = cat, .reg = reg, .err = err, .transient = sink == NULL};
	sl_analysis_t *an = sl_arena_calloc(a, sizeof(*an));
	const sl_node_t *from = select->kids[1];
	item_t *items;
	int nitems, nkeys, rc;

	/* the analysis (and the plan built on it) owns a copy of the query, so
	 * that nothing points into the statement's arena once it is gone */
	select = sl_ast_copy(a, select);
	c.an = an;
	c.scope.lookup_type = lookup_named_type;
	c.scope.lookup_ud = (void *)cat;
	an->emit = select->op;
	an->limit = -1;
	*out = NULL;

	if (from->kind == SL_N_JOIN) {
		if ((rc = sl_an_join_from(&c, select)) != SL_OK)
			return rc;
		goto where;
	}
	an->from = sl_catalog_source(cat, from->str);
	if (an->from == NULL)
		return sl_error_at(err, SL_ENOTFOUND, from->loc,
				   "stream or table \"%s\" does not exist", from->str);
	an->alias = sl_arena_strdup(a, from->str2 ? from->str2 : an->from->name);

	/* the evaluation row: source columns, then pseudo-columns */
	const sl_source_t *src = an->from;
	an->ninput = src->ncols;
	for (int i = 0; i < src->ncols; i++)
		sl_an_scope_add(&c, src->cols[i].name, an->alias, src->cols[i].type, i);
	an->nrow = src->ncols;
	an->rowtime = an->nrow++;
	sl_an_scope_add(&c, "ROWTIME", an->alias, sl_type_bigint(), an->rowtime);
	an->rowpartition = an->nrow++;
	sl_an_scope_add(&c, "ROWPARTITION", an->alias, sl_type_int(), an->rowpartition);
	an->rowoffset = an->nrow++;
	sl_an_scope_add(&c, "ROWOFFSET", an->alias, sl_type_bigint(), an->rowoffset);
	an->windowstart = an->windowend = -1;
	if (src->window_type != SL_WIN_NONE) {
		an->windowstart = an->nrow++;
		sl_an_scope_add(&c, "WINDOWSTART", an->alias, sl_type_bigint(), an->windowstart);
		an->windowend = an->nrow++;
		sl_an_scope_add(&c, "WINDOWEND", an->alias, sl_type_bigint(), an->windowend);
	}

	if (src->timestamp_column != NULL && src->timestamp_format != NULL) {
		rc = sl_analyze_time_parse(src->timestamp_column, src->timestamp_format, &c.scope,
					   reg, a, &an->event_time, err);
		if (rc != SL_OK)
			return sl_error_at(err, rc, from->loc,
					   "cannot read event time from \"%s\" with TIMESTAMP_FORMAT '%s'",
					   src->timestamp_column, src->timestamp_format);
	}

where:
	if (select->kids[3] != NULL) {
		sl_node_t *w;
		if ((rc = sl_an_rewrite_tablefns(&c, select->kids[3], &w)) != SL_OK)
			return rc;
		if (an->ntf > 0)
			return sl_error_at(err, SL_EINVAL, select->kids[3]->loc,
					   "table functions are not allowed in WHERE");
		if ((rc = sl_expr_compile(w, &c.scope, reg, a, &an->where, err)) != SL_OK)
			return rc;
		sl_tkind_t k = sl_expr_type(an->where)->kind;
		if (k != SL_T_BOOLEAN && k != SL_T_NULL)
			return sl_error_at(err, SL_EINVAL, select->kids[3]->loc,
					   "WHERE needs a BOOLEAN expression, not %s", sl_tkind_name(k));
	}

	if (select->kids[2] != NULL || select->kids[4] != NULL || select->kids[6] != NULL ||
	    has_aggregate(reg, select->kids[0])) {
		if ((rc = sl_an_aggregate(&c, select, sink)) != SL_OK)
			return rc;
		goto check;
	}
	if (select->op == SL_EMIT_FINAL)
		return sl_error_at(err, SL_EINVAL, select->loc,
				   "EMIT FINAL is only supported for windowed aggregations");
	/* a windowed table's rows can be aggregated (by WINDOWSTART, say), not
	 * copied: a copy would be a windowed table of its own (as in ksqlDB) */
	if (sink != NULL && from->kind != SL_N_JOIN && an->from->kind == SL_OBJ_TABLE &&
	    an->from->window_type != SL_WIN_NONE)
		return sl_error_at(err, SL_EINVAL, from->loc,
				   "persistent queries on windowed tables are not supported: "
				   "\"%s\" is windowed (aggregate it with GROUP BY, for example "
				   "by WINDOWSTART)", an->from->name);

	c.partitioned = select->kids[5] != NULL;
	if ((rc = sl_an_expand_items(&c, select->kids[0], &items, &nitems)) != SL_OK)
		return rc;
	if ((rc = assign_keys(&c, select, &items, &nitems, sink, &nkeys)) != SL_OK)
		return rc;

	an->nout = nitems;
	an->nkeys = nkeys;
	an->out = sl_arena_calloc(a, sizeof(*an->out) * (size_t)(nitems ? nitems : 1));
	int kpos = 0, vpos = nkeys;
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; pass == 0 && k < nkeys; k++) {
			for (int i = 0; i < nitems; i++) {
				if (items[i].key_order != k)
					continue;
				sl_out_col_t *oc = &an->out[kpos++];
				sl_node_t *e;
				if ((rc = sl_an_rewrite_tablefns(&c, items[i].ast, &e)) != SL_OK)
					return rc;
				if ((rc = sl_expr_compile(e, &c.scope, reg, a, &oc->expr, err)) != SL_OK)
					return rc;
				oc->name = items[i].name;
				oc->type = sl_expr_type(oc->expr);
				oc->key = true;
				oc->loc = items[i].loc;
			}
		}
		for (int i = 0; pass == 1 && i < nitems; i++) {
			if (items[i].key_order >= 0)
				continue;
			sl_out_col_t *oc = &an->out[vpos++];
			sl_node_t *e;
			if ((rc = sl_an_rewrite_tablefns(&c, items[i].ast, &e)) != SL_OK)
				return rc;
			if ((rc = sl_expr_compile(e, &c.scope, reg, a, &oc->expr, err)) != SL_OK)
				return rc;
			oc->name = items[i].name;
			oc->type = sl_expr_type(oc->expr);
			oc->loc = items[i].loc;
		}
	}
check:
	for (int i = 0; i < an->nout; i++) {
		for (int j = 0; j < i; j++) {
			if (strcmp(an->out[i].name, an->out[j].name) == 0 && sink == NULL) {
				char tb[64];
				return sl_error_at(err, SL_EINVAL, an->out[i].loc,
						   "Duplicate value columns found in schema: `%s` %s",
						   an->out[i].name,
						   sl_type_str(an->out[i].type, tb, sizeof(tb)));
			}
			if (strcmp(an->out[i].name, an->out[j].name) == 0)
				return sl_error_at(err, SL_EINVAL, an->out[i].loc,
						   "duplicate column name \"%s\" in the projection: "
						   "alias one of them", an->out[i].name);
		}
		if (an->out[i].type->kind == SL_T_NULL)
			return sl_error_at(err, SL_EINVAL, an->out[i].loc,
					   "cannot infer the type of \"%s\" (a bare NULL): CAST it",
					   an->out[i].name);
	}
	if (sink != NULL && an->nout == an->nkeys)
		return sl_error_at(err, SL_EINVAL, select->kids[0]->loc,
				   "the projection contains no value columns");
	if (select->kids[7] != NULL)
		an->limit = atoll(select->kids[7]->str);
	if (select->nkids > 8 && (rc = order_offset(&c, select, sink, a, an, reg, err)) != SL_OK)
		return rc;
	*out = an;
	return SL_OK;
}
