/*
 * join.c: analysis of FROM clauses with joins.
 *
 * Stage: analyze.  Consumes the JOIN tree of a SELECT and the catalog;
 * fills the join part of the analysis (analyze.h): the sources and their
 * row segments, one node per JOIN with its compiled ON sides and kind
 * (stream-stream, stream-table, table-table on the key or on a foreign
 * key), and the scope the rest of the SELECT is compiled against.  Checks
 * ksqlDB's rules: what may be joined with what, on which columns, in
 * which order, with which windows; and, once the projection is known,
 * which output column is the key and how unaliased columns are named.
 */
#include "analyze/analyze.h"
#include "analyze/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *join_names[] = {"", "INNER", "LEFT", "RIGHT", "FULL"};

/* The source index of row slot idx, or -1 (a slot after the segments). */
static int
source_of_slot(const sl_join_t *j, int idx)
{
	for (int i = 0; i < j->nsrc; i++)
		if (idx >= j->src[i].base && idx < j->src[i].end)
			return i;
	return -1;
}

/*
 * Collects the sources expression e refers to into *mask (bit i: source
 * i).  A column that resolves to nothing is an error in ksqlDB's words.
 */
static int
sources_of(actx_t *c, const sl_join_t *j, const sl_node_t *e, unsigned *mask)
{
	int rc;

	if (e == NULL)
		return SL_OK;
	if (e->kind == SL_N_COLUMN) {
		int idx = sl_an_resolve_column(c, e);
		int s = idx >= 0 ? source_of_slot(j, idx) : -1;
		if (s < 0) {
			if (e->str2 != NULL)
				return sl_error_at(c->err, SL_EINVAL, e->loc,
						   "JOIN ON column '%s.%s' cannot be resolved.", e->str2,
						   e->str);
			return sl_error_at(c->err, SL_EINVAL, e->loc,
					   "JOIN ON column '%s' cannot be resolved.", e->str);
		}
		*mask |= 1u << s;
		return SL_OK;
	}
	if (e->kind == SL_N_LAMBDA)
		return SL_OK;
	for (int i = 0; i < e->nkids; i++)
		if ((rc = sources_of(c, j, e->kids[i], mask)) != SL_OK)
			return rc;
	return SL_OK;
}

static int
only_source(unsigned mask)
{
	if (mask == 0 || (mask & (mask - 1)) != 0)
		return -1;
	return __builtin_ctz(mask);
}

static char *
print_node(sl_arena_t *a, const sl_node_t *n)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_ast_print(&sb, n);
	char *s = sl_arena_strdup(a, sb.data ? sb.data : "");
	sl_strbuf_free(&sb);
	return s;
}

/* ksqlDB's type names in join messages: INTEGER, BIGINT, STRING ... */
static const char *
ksql_type(const sl_type_t *t, char *buf, size_t size)
{
	if (t->kind == SL_T_INT)
		return "INTEGER";
	return sl_type_str(t, buf, size);
}

static bool
has_map(const sl_type_t *t)
{
	if (t->kind == SL_T_MAP)
		return true;
	if (t->kind == SL_T_ARRAY)
		return has_map(t->elem);
	for (int i = 0; t->kind == SL_T_STRUCT && i < t->nfields; i++)
		if (has_map(t->fields[i].type))
			return true;
	return false;
}

/* True when e is a column reference to source s's key column k. */
static bool
is_key_column(actx_t *c, const sl_join_t *j, const sl_node_t *e, int s)
{
	if (e->kind != SL_N_COLUMN)
		return false;
	int idx = sl_an_resolve_column(c, e);
	const sl_join_src_t *js = &j->src[s];
	int nk = sl_source_nkeys(js->src);
	return nk == 1 && idx == js->base;
}

/* True when x and y are the same expression of the row. */
static bool
same_expr(actx_t *c, const sl_node_t *x, const sl_node_t *y)
{
	return sl_an_same_expr(c, x, y);
}

/* The sources of the FROM tree, left to right. */
static int
flatten(actx_t *c, const sl_node_t *from, const sl_node_t **rel, const sl_node_t **joins, int *n)
{
	if (from->kind == SL_N_JOIN) {
		int rc = flatten(c, from->kids[0], rel, joins, n);
		if (rc != SL_OK)
			return rc;
		if (*n >= 32)
			return sl_error_at(c->err, SL_EINVAL, from->loc, "too many joins (at most 31)");
		joins[*n - 1] = from;
		rel[(*n)++] = from->kids[1];
		return SL_OK;
	}
	rel[(*n)++] = from;
	return SL_OK;
}

static const char *
window_name(sl_wintype_t t)
{
	static const char *names[] = {"", "TUMBLING", "HOPPING", "SESSION"};
	return names[t];
}

int
sl_an_join_from(actx_t *c, const sl_node_t *select)
{
	sl_analysis_t *an = c->an;
	const sl_node_t *rel[32], *joins[32];
	int nrel = 0, rc;
	sl_join_t *j = sl_arena_calloc(c->a, sizeof(*j));

	if ((rc = flatten(c, select->kids[1], rel, joins, &nrel)) != SL_OK)
		return rc;
	j->nsrc = nrel;
	j->nnode = nrel - 1;
	j->src = sl_arena_calloc(c->a, sizeof(*j->src) * (size_t)nrel);
	j->node = sl_arena_calloc(c->a, sizeof(*j->node) * (size_t)j->nnode);
	j->rowkey = -1;
	an->join = j;

	/* the sources and their row segments */
	for (int i = 0; i < nrel; i++) {
		sl_join_src_t *js = &j->src[i];
		const sl_source_t *src = sl_catalog_source(c->cat, rel[i]->str);
		if (src == NULL)
			return sl_error_at(c->err, SL_ENOTFOUND, rel[i]->loc,
					   "stream or table \"%s\" does not exist", rel[i]->str);
		js->src = src;
		js->alias = sl_arena_strdup(c->a, rel[i]->str2 ? rel[i]->str2 : src->name);
		for (int k = 0; k < i; k++) {
			if (j->src[k].src == src && nrel == 2)
				return sl_error_at(c->err, SL_EINVAL, rel[i]->loc,
						   "Can not join '%s' to '%s': self joins are not yet "
						   "supported.", src->name, src->name);
			if (j->src[k].src == src)
				return sl_error_at(c->err, SL_EINVAL, rel[i]->loc,
						   "N-way joins do not support multiple occurrences of "
						   "the same source. Source: '%s'", src->name);
			if (strcmp(j->src[k].alias, js->alias) == 0)
				return sl_error_at(c->err, SL_EINVAL, rel[i]->loc,
						   "two sources of the join are called \"%s\": give "
						   "one an alias", js->alias);
		}
		if (strcmp(src->value_format, "KAFKA") == 0 && i == 1 &&
		    strcmp(j->src[0].src->value_format, "KAFKA") == 0)
			return sl_error_at(c->err, SL_EINVAL, rel[i]->loc,
					   "Source(s) %s, %s are using the 'KAFKA' value format. This "
					   "format does not yet support JOIN.", j->src[0].src->name,
					   src->name);
		js->base = an->nrow;
		for (int k = 0; k < src->ncols; k++)
			sl_an_scope_add(c, src->cols[k].name, js->alias, src->cols[k].type,
					an->nrow + k);
		an->nrow += src->ncols;
		js->rowtime = an->nrow++;
		sl_an_scope_add(c, "ROWTIME", js->alias, sl_type_bigint(), js->rowtime);
		js->rowpartition = an->nrow++;
		sl_an_scope_add(c, "ROWPARTITION", js->alias, sl_type_int(), js->rowpartition);
		js->rowoffset = an->nrow++;
		sl_an_scope_add(c, "ROWOFFSET", js->alias, sl_type_bigint(), js->rowoffset);
		js->windowstart = js->windowend = -1;
		if (src->window_type != SL_WIN_NONE) {
			js->windowstart = an->nrow++;
			sl_an_scope_add(c, "WINDOWSTART", js->alias, sl_type_bigint(), js->windowstart);
			js->windowend = an->nrow++;
			sl_an_scope_add(c, "WINDOWEND", js->alias, sl_type_bigint(), js->windowend);
		}
		js->end = an->nrow;
		if (src->timestamp_column != NULL && src->timestamp_format != NULL) {
			sl_scope_t scope = c->scope;
			/* the source's own columns, unqualified, at their slots */
			sl_scope_col_t *cols = sl_arena_calloc(c->a, sizeof(*cols) * (size_t)src->ncols);
			for (int k = 0; k < src->ncols; k++)
				cols[k] = (sl_scope_col_t){src->cols[k].name, NULL, src->cols[k].type,
							   js->base + k};
			scope.cols = cols;
			scope.ncols = src->ncols;
			rc = sl_analyze_time_parse(src->timestamp_column, src->timestamp_format,
						   &scope, c->reg, c->a, &js->event_time, c->err);
			if (rc != SL_OK)
				return sl_error_at(c->err, rc, rel[i]->loc,
						   "cannot read event time from \"%s\" with "
						   "TIMESTAMP_FORMAT '%s'", src->timestamp_column,
						   src->timestamp_format);
		}
	}
	/* the result's timestamp: an unqualified ROWTIME */
	j->rowtime = an->nrow++;
	sl_an_scope_add(c, "ROWTIME", NULL, sl_type_bigint(), j->rowtime);
	an->rowtime = j->rowtime;
	an->rowpartition = j->src[0].rowpartition;
	an->rowoffset = j->src[0].rowoffset;
	an->windowstart = an->windowend = -1;
	if (j->src[0].src->window_type != SL_WIN_NONE) {
		/* the result's window (the sources' windows are equal) */
		an->windowstart = an->nrow++;
		sl_an_scope_add(c, "WINDOWSTART", NULL, sl_type_bigint(), an->windowstart);
		an->windowend = an->nrow++;
		sl_an_scope_add(c, "WINDOWEND", NULL, sl_type_bigint(), an->windowend);
	}

	/* the joins */
	bool left_table = j->src[0].src->kind == SL_OBJ_TABLE;
	for (int i = 0; i < j->nnode; i++) {
		const sl_node_t *jn = joins[i];
		const sl_node_t *on = jn->kids[3], *within = jn->kids[2];
		sl_join_node_t *nd = &j->node[i];
		const sl_join_src_t *rs = &j->src[i + 1];
		const sl_source_t *rsrc = rs->src;
		bool right_table = rsrc->kind == SL_OBJ_TABLE;
		const char *lname = j->src[0].src->name;

		nd->type = jn->op;
		if (on == NULL || on->kind != SL_N_BINARY || on->op != SL_OP_EQ)
			return sl_error_at(c->err, SL_EINVAL, on ? on->loc : jn->loc,
					   "Unsupported join expression: a join criteria must be an "
					   "equality (a = b) between one expression of each side");
		const sl_node_t *x = on->kids[0], *y = on->kids[1];
		unsigned mx = 0, my = 0;
		if ((rc = sources_of(c, j, x, &mx)) != SL_OK ||
		    (rc = sources_of(c, j, y, &my)) != SL_OK)
			return rc;
		int sx = only_source(mx), sy = only_source(my);
		if (sx < 0 || sy < 0) {
			const sl_node_t *bad = sx < 0 ? x : y;
			return sl_error_at(c->err, SL_EINVAL, bad->loc,
					   "Invalid comparison expression '%s' in join '(%s)'. Each "
					   "side of the join comparision must contain references from "
					   "exactly one source.", print_node(c->a, bad),
					   print_node(c->a, on));
		}
		if (sx == sy)
			return sl_error_at(c->err, SL_EINVAL, on->loc,
					   "Each side of the join must reference exactly one source and "
					   "not the same source. Left side references `%s` and right "
					   "references `%s`", j->src[sx].src->name, j->src[sy].src->name);
		if (sx != i + 1 && sy != i + 1)
			return sl_error_at(c->err, SL_EINVAL, on->loc,
					   "A join criteria is expected to reference the source (`%s`) "
					   "in the FROM clause, instead the right source references `%s` "
					   "and the left source references `%s`", rsrc->name,
					   j->src[sy].src->name, j->src[sx].src->name);
		if (sx > i + 1 || sy > i + 1) {
			int later = sx > i + 1 ? sx : sy;
			return sl_error_at(c->err, SL_EINVAL, on->loc,
					   "the criteria of this join refers to `%s`, which is joined "
					   "later", j->src[later].src->name);
		}
		/* the left side first */
		if (sx == i + 1) {
			const sl_node_t *t = x;
			x = y;
			y = t;
		}
		nd->lkey_ast = x;
		nd->rkey_ast = y;
		if ((rc = sl_expr_compile(x, &c->scope, c->reg, c->a, &nd->lkey, c->err)) != SL_OK ||
		    (rc = sl_expr_compile(y, &c->scope, c->reg, c->a, &nd->rkey, c->err)) != SL_OK)
			return rc;
		const sl_type_t *tx = sl_expr_type(nd->lkey), *ty = sl_expr_type(nd->rkey);
		if (!sl_type_equal(tx, ty)) {
			char b1[128], b2[128];
			return sl_error_at(c->err, SL_EINVAL, on->loc,
					   "Invalid join condition: types don't match. Got %s{%s} = "
					   "%s{%s}.", print_node(c->a, on->kids[0]),
					   ksql_type(sl_expr_type(on->kids[0] == x ? nd->lkey : nd->rkey),
						     b1, sizeof(b1)),
					   print_node(c->a, on->kids[1]),
					   ksql_type(sl_expr_type(on->kids[1] == y ? nd->rkey : nd->lkey),
						     b2, sizeof(b2)));
		}
		if (has_map(tx))
			return sl_error_at(c->err, SL_EINVAL, on->loc,
					   "Map keys, including types that contain maps, are not "
					   "supported as they may lead to unexpected behavior due to "
					   "inconsistent serialization. Key column name: `%s_%s`. "
					   "Column type: %s.", j->src[0].alias,
					   x->kind == SL_N_COLUMN ? x->str : "KEY",
					   sl_type_str(tx, (char[128]){0}, 128));

		/* windowed sources join only their equals, on their keys */
		if (i == 0) {
			sl_wintype_t lw = j->src[0].src->window_type, rw = rsrc->window_type;
			/* beyond ksqlDB: a windowed table's rows may point into a
			 * table by a foreign key (WINDOWSTART, say); each keeps its
			 * own key and window */
			bool fk_from_window = lw != SL_WIN_NONE && rw == SL_WIN_NONE &&
					      left_table && right_table &&
					      !is_key_column(c, j, x, 0);
			if ((lw == SL_WIN_NONE) != (rw == SL_WIN_NONE) && !fk_from_window) {
				const sl_source_t *w = lw != SL_WIN_NONE ? j->src[0].src : rsrc;
				const sl_source_t *nw = lw != SL_WIN_NONE ? rsrc : j->src[0].src;
				return sl_error_at(c->err, SL_EINVAL, jn->loc,
						   "Can not join windowed source to non-windowed source.\n"
						   "`%s` is %s windowed\n`%s` is not windowed", w->name,
						   window_name(w->window_type), nw->name);
			}
			if (lw != SL_WIN_NONE && lw != rw && (lw == SL_WIN_SESSION || rw == SL_WIN_SESSION))
				return sl_error_at(c->err, SL_EINVAL, jn->loc,
						   "Incompatible windowed sources.\nLeft source: %s\n"
						   "Right source: %s\nSession windowed sources can only be "
						   "joined to other session windowed sources, and may still "
						   "not result in expected behaviour as session bounds must "
						   "be an exact match for the join to work\nHopping and "
						   "tumbling windowed sources can only be joined to other "
						   "hopping and tumbling windowed sources", window_name(lw),
						   window_name(rw));
			if (lw != SL_WIN_NONE && !fk_from_window &&
			    (!is_key_column(c, j, x, 0) || !is_key_column(c, j, y, 1) ||
			     (lw != SL_WIN_SESSION &&
			      j->src[0].src->window_size_ms != rsrc->window_size_ms)))
				return sl_error_at(c->err, SL_EINVAL, jn->loc,
						   "Implicit repartitioning of windowed sources is not "
						   "supported. See https://github.com/confluentinc/ksql/"
						   "issues/4385.");
		} else if ((rsrc->window_type != SL_WIN_NONE) !=
			   (j->src[0].src->window_type != SL_WIN_NONE)) {
			const sl_source_t *w = rsrc->window_type != SL_WIN_NONE ? rsrc : j->src[0].src;
			const sl_source_t *nw = rsrc->window_type != SL_WIN_NONE ? j->src[0].src : rsrc;
			return sl_error_at(c->err, SL_EINVAL, jn->loc,
					   "Can not join windowed source to non-windowed source.\n"
					   "`%s` is %s windowed\n`%s` is not windowed", w->name,
					   window_name(w->window_type), nw->name);
		} else if (rsrc->window_type != SL_WIN_NONE &&
			   (!is_key_column(c, j, y, i + 1) ||
			    !(same_expr(c, x, j->node[i - 1].lkey_ast) ||
			      same_expr(c, x, j->node[i - 1].rkey_ast)))) {
			return sl_error_at(c->err, SL_EINVAL, jn->loc,
					   "Implicit repartitioning of windowed sources is not "
					   "supported. See https://github.com/confluentinc/ksql/"
					   "issues/4385.");
		}

		char jdesc[512];
		snprintf(jdesc, sizeof(jdesc), "%s [%s]%s JOIN %s", i == 0 ? lname : "(join)",
			 join_names[nd->type], nd->type == SL_JOIN_INNER ? "" : " OUTER",
			 rsrc->name);
		if (!left_table && !right_table) {
			nd->op = SL_JOIN_SS;
			if (within == NULL)
				return sl_error_at(c->err, SL_EINVAL, jn->loc,
						   "Stream-Stream joins must have a WITHIN clause "
						   "specified. None was provided. To learn about how to "
						   "specify a WITHIN clause with a stream-stream join, "
						   "please visit: https://docs.confluent.io/current/ksql/"
						   "docs/syntax-reference.html#create-stream-as-select");
			if ((rc = sl_analyze_duration(within->kids[0], &nd->before_ms, c->err)) != SL_OK)
				return rc;
			nd->after_ms = nd->before_ms;
			if (within->kids[1] != NULL &&
			    (rc = sl_analyze_duration(within->kids[1], &nd->after_ms, c->err)) != SL_OK)
				return rc;
			nd->grace_ms = SL_WINDOW_DEFAULT_GRACE_MS;
			if (within->kids[2] != NULL) {
				if ((rc = sl_analyze_duration(within->kids[2], &nd->grace_ms, c->err)) != SL_OK)
					return rc;
				nd->has_grace = true;
			}
			nd->table = false;
		} else if (!left_table && right_table) {
			nd->op = SL_JOIN_ST;
			if (within != NULL)
				return sl_error_at(c->err, SL_EINVAL, within->loc,
						   "A window definition was provided for a Stream-Table "
						   "join. These joins are not windowed. Please drop the "
						   "window definition (ie. the WITHIN clause) and try to "
						   "execute your join again.");
			if (nd->type == SL_JOIN_FULL || nd->type == SL_JOIN_RIGHT)
				return sl_error_at(c->err, SL_EINVAL, jn->loc,
						   "Invalid join type: %s join not supported for "
						   "stream-table join. Got %s.",
						   nd->type == SL_JOIN_FULL ? "full-outer" : "right-outer",
						   jdesc);
			if (!is_key_column(c, j, y, i + 1))
				return sl_error_at(c->err, SL_EINVAL, on->loc,
						   "Invalid join condition: stream-table joins require to "
						   "join on the table's primary key. Got %s = %s.",
						   print_node(c->a, x), print_node(c->a, y));
			nd->table = false;
		} else if (left_table && !right_table) {
			return sl_error_at(c->err, SL_EINVAL, jn->loc,
					   "Invalid join order: table-stream joins are not supported; "
					   "only stream-table joins. Got %s.", jdesc);
		} else {
			if (within != NULL)
				return sl_error_at(c->err, SL_EINVAL, within->loc,
						   "A window definition was provided for a Table-Table "
						   "join. These joins are not windowed. Please drop the "
						   "window definition (ie. the WITHIN clause) and try to "
						   "execute your join again.");
			if (!is_key_column(c, j, y, i + 1))
				return sl_error_at(c->err, SL_EINVAL, on->loc,
						   "Invalid join condition: table-table joins require to "
						   "join on the primary key of the right input table. Got "
						   "%s = %s.", print_node(c->a, on->kids[0]),
						   print_node(c->a, on->kids[1]));
			bool on_key;
			if (i == 0)
				on_key = is_key_column(c, j, x, 0);
			else if (j->node[i - 1].op == SL_JOIN_FK)
				on_key = is_key_column(c, j, x, 0);
			else
				on_key = same_expr(c, x, j->node[i - 1].lkey_ast) ||
					 same_expr(c, x, j->node[i - 1].rkey_ast);
			nd->op = on_key ? SL_JOIN_TT : SL_JOIN_FK;
			if (!on_key && i > 0)
				return sl_error_at(c->err, SL_EINVAL, on->loc,
						   "Invalid join condition: foreign-key table-table joins "
						   "are not supported as part of n-way joins. Got %s = %s.",
						   print_node(c->a, on->kids[0]),
						   print_node(c->a, on->kids[1]));
			if (!on_key && nd->type == SL_JOIN_RIGHT)
				return sl_error_at(c->err, SL_EINVAL, jn->loc,
						   "RIGHT OUTER JOIN on a foreign key is not supported");
			if (!on_key && nd->type == SL_JOIN_FULL)
				return sl_error_at(c->err, SL_EINVAL, jn->loc,
						   "FULL OUTER JOIN on a foreign key is not supported");
			if (!on_key)
				j->nleft_keys = sl_source_nkeys(j->src[0].src);
			nd->table = true;
		}
		left_table = nd->table;
	}
	j->table = j->node[j->nnode - 1].table;

	/* the relation the rest of the analysis sees: the result's kind, the
	 * left source's formats and partitions */
	sl_source_t *rel0 = sl_arena_calloc(c->a, sizeof(*rel0));
	const sl_source_t *s0 = j->src[0].src;
	rel0->name = s0->name;
	rel0->kind = j->table ? SL_OBJ_TABLE : SL_OBJ_STREAM;
	rel0->topic = s0->topic;
	rel0->partitions = s0->partitions;
	rel0->key_format = s0->key_format;
	rel0->value_format = s0->value_format;
	rel0->key_delimiter = s0->key_delimiter;
	rel0->value_delimiter = s0->value_delimiter;
	rel0->wrap_single_value = -1;
	rel0->window_type = s0->window_type;
	rel0->window_size_ms = s0->window_size_ms;
	int ncols = 0;
	for (int i = 0; i < j->nsrc; i++)
		ncols += j->src[i].src->ncols;
	rel0->cols = sl_arena_calloc(c->a, sizeof(*rel0->cols) * (size_t)(ncols + 1));
	for (int i = 0; i < j->nsrc; i++) {
		const sl_source_t *s = j->src[i].src;
		for (int k = 0; k < s->ncols; k++) {
			sl_column_t *col = &rel0->cols[rel0->ncols++];
			char buf[512];
			snprintf(buf, sizeof(buf), "%s_%s", j->src[i].alias, s->cols[k].name);
			col->name = sl_arena_strdup(c->a, buf);
			col->type = s->cols[k].type;
			col->ns = SL_COL_VALUE;
		}
	}
	an->from = rel0;
	an->alias = j->src[0].alias;
	an->ninput = 0;

	/* the synthetic key: FULL OUTER joins, or criteria on no column */
	const sl_join_node_t *last = &j->node[j->nnode - 1];
	bool synthetic = last->type == SL_JOIN_FULL ||
			 (last->lkey_ast->kind != SL_N_COLUMN && last->rkey_ast->kind != SL_N_COLUMN &&
			  (j->nnode == 1 ||
			   !(same_expr(c, last->lkey_ast, j->node[j->nnode - 2].lkey_ast) ||
			     same_expr(c, last->lkey_ast, j->node[j->nnode - 2].rkey_ast))));
	if (last->op == SL_JOIN_FK)
		synthetic = false;
	if (!synthetic) {
		/* the key of the result is the join key, whichever column of
		 * the criteria shows it (a RIGHT join's unmatched rows have a
		 * NULL left column, not a NULL key) */
		j->rowkey_name = "$JOINKEY";
		j->rowkey = an->nrow++;
		sl_an_scope_add(c, j->rowkey_name, NULL, sl_expr_type(last->rkey), j->rowkey);
		j->synthetic = false;
	}
	if (synthetic) {
		char name[32] = "ROWKEY";
		j->synthetic = true;
		for (int n = 1;; n++) {
			bool taken = false;
			for (int i = 0; i < j->nsrc && !taken; i++)
				taken = sl_source_column(j->src[i].src, name) >= 0;
			if (!taken)
				break;
			snprintf(name, sizeof(name), "ROWKEY_%d", n);
		}
		j->rowkey_name = sl_arena_strdup(c->a, name);
		j->rowkey = an->nrow++;
		sl_an_scope_add(c, j->rowkey_name, NULL, sl_expr_type(last->lkey), j->rowkey);
	}
	return SL_OK;
}

/* ------------------------------------------------------------ projection */

/* The name of an unaliased column reference in a join's projection: the
 * column's name when no other source has a column so named, else
 * ALIAS_NAME. */
const char *
sl_an_join_column_name(actx_t *c, const sl_node_t *e)
{
	const sl_join_t *j = c->an->join;
	int idx = sl_an_resolve_column(c, e);
	int s = idx >= 0 ? source_of_slot(j, idx) : -1;
	char buf[512];

	if (s < 0 || e->str2 == NULL)
		return e->str;
	int owners = 0;
	bool pseudo = sl_is_pseudo_column(e->str);
	for (int i = 0; i < j->nsrc; i++)
		owners += sl_source_column(j->src[i].src, e->str) >= 0;
	if (!pseudo && owners <= 1)
		return e->str;
	snprintf(buf, sizeof(buf), "%s_%s", j->src[s].alias, e->str);
	return sl_arena_strdup(c->a, buf);
}

/* Appends the columns of source s as items named ALIAS_COLUMN. */
void
sl_an_join_star(actx_t *c, int s, int loc, item_t **items, int *n, int *cap)
{
	const sl_join_src_t *js = &c->an->join->src[s];
	int nk = sl_source_nkeys(js->src);
	for (int k = 0; k < js->src->ncols; k++) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s_%s", js->alias, js->src->cols[k].name);
		const char *nm = sl_arena_strdup(c->a, buf);
		item_t x = {sl_an_column_ref(c->a, js->src->cols[k].name, js->alias, loc), nm, false,
			    loc, -1};
		sl_an_items_push(c->a, items, n, cap, x);
		/* a windowed source's window follows its key */
		if (js->windowstart >= 0 && k == nk - 1) {
			static const char *wb[] = {"WINDOWSTART", "WINDOWEND"};
			for (int w = 0; w < 2; w++) {
				snprintf(buf, sizeof(buf), "%s_%s", js->alias, wb[w]);
				item_t y = {sl_an_column_ref(c->a, wb[w], js->alias, loc),
					    sl_arena_strdup(c->a, buf), false, loc, -1};
				sl_an_items_push(c->a, items, n, cap, y);
			}
		}
	}
}

/* The source index whose alias or name is q, or -1. */
int
sl_an_join_source(const actx_t *c, const char *q)
{
	const sl_join_t *j = c->an->join;
	for (int i = 0; i < j->nsrc; i++)
		if (strcmp(j->src[i].alias, q) == 0 || strcmp(j->src[i].src->name, q) == 0)
			return i;
	return -1;
}

/* Adds the column references among node i's ON sides (and, when its left
 * side is the key of node i-1's result, node i-1's) to viable[]. */
static void
viable_keys(actx_t *c, int i, const sl_node_t **viable, int *n)
{
	const sl_join_t *j = c->an->join;
	const sl_join_node_t *nd = &j->node[i];
	if (i > 0 && j->node[i - 1].type != SL_JOIN_FULL &&
	    (same_expr(c, nd->lkey_ast, j->node[i - 1].lkey_ast) ||
	     same_expr(c, nd->lkey_ast, j->node[i - 1].rkey_ast)))
		viable_keys(c, i - 1, viable, n);
	const sl_node_t *two[2] = {nd->lkey_ast, nd->rkey_ast};
	for (int k = 0; k < 2; k++) {
		if (two[k]->kind != SL_N_COLUMN)
			continue;
		bool dup = false;
		for (int m = 0; m < *n && !dup; m++)
			dup = same_expr(c, viable[m], two[k]);
		if (!dup && *n < 64)
			viable[(*n)++] = two[k];
	}
}

static void
print_qualified(actx_t *c, sl_strbuf_t *sb, const sl_node_t *col)
{
	int idx = sl_an_resolve_column(c, col);
	int s = source_of_slot(c->an->join, idx);
	sl_strbuf_printf(sb, "%s.%s", s >= 0 ? c->an->join->src[s].alias : "?", col->str);
}

/*
 * The key of a join's result, by ksqlDB's rules: a FOREIGN KEY join keeps
 * the left table's key (every key column must be projected); otherwise the
 * key is the first projected column among the join's criteria (the
 * "viable" key columns), or the synthetic key column when the join has
 * one.  A persistent query must project it; a push query need not.
 */
int
sl_an_join_keys(actx_t *c, const sl_node_t *select, item_t *items, int n, const char *sink,
		int *nkeys)
{
	const sl_join_t *j = c->an->join;
	*nkeys = 0;

	if (j->node[j->nnode - 1].op == SL_JOIN_FK) {
		const sl_join_src_t *ls = &j->src[0];
		int nk = sl_source_nkeys(ls->src);
		for (int k = 0; k < nk; k++) {
			int found = -1;
			for (int i = 0; i < n; i++) {
				if (items[i].ast->kind != SL_N_COLUMN ||
				    sl_an_resolve_column(c, items[i].ast) != ls->base + k)
					continue;
				if (found >= 0)
					return sl_error_at(c->err, SL_EINVAL, items[i].loc,
							   "The projection contains a key column (`%s_%s`) "
							   "more than once, aliased as: %s and %s.",
							   ls->src->name, ls->src->cols[k].name,
							   items[found].name, items[i].name);
				found = i;
			}
			if (found < 0 && sink == NULL)
				continue;
			if (found < 0)
				return sl_error_at(c->err, SL_EINVAL, select->kids[0]->loc,
						   "Primary key column missing in projection. For "
						   "foreign-key table-table joins, the projection must "
						   "include all primary key columns from the left input "
						   "table (`%s`). Missing column: `%s`.", ls->src->name,
						   ls->src->cols[k].name);
			items[found].key_order = (*nkeys)++;
		}
		return SL_OK;
	}
	if (j->synthetic) {
		int found = -1;
		for (int i = 0; i < n; i++) {
			if (items[i].ast->kind != SL_N_COLUMN ||
			    sl_an_resolve_column(c, items[i].ast) != j->rowkey)
				continue;
			if (found < 0)
				found = i;
		}
		if (found < 0 && sink != NULL)
			return sl_error_at(c->err, SL_EINVAL, select->kids[0]->loc,
					   "Key missing from projection (ie, SELECT). See "
					   "https://cnfl.io/2LV7ouS.\nThe query used to build `%s` must "
					   "include the join expression %s in its projection (eg, SELECT "
					   "%s...).\n%s was added as a synthetic key column because the "
					   "join criteria did not match any source column. This "
					   "expression must be included in the projection and may be "
					   "aliased.", sink, j->rowkey_name, j->rowkey_name,
					   j->rowkey_name);
		if (found >= 0)
			items[found].key_order = (*nkeys)++;
		return SL_OK;
	}
	const sl_node_t *viable[64];
	int nv = 0;
	viable_keys(c, j->nnode - 1, viable, &nv);
	for (int v = 0; v < nv; v++) {
		int idx = sl_an_resolve_column(c, viable[v]);
		for (int i = 0; i < n; i++) {
			if (items[i].ast->kind == SL_N_COLUMN &&
			    sl_an_resolve_column(c, items[i].ast) == idx) {
				items[i].key_order = (*nkeys)++;
				if (j->rowkey >= 0)
					items[i].ast = sl_an_column_ref(c->a, j->rowkey_name, NULL,
									items[i].loc);
				return SL_OK;
			}
		}
	}
	if (sink == NULL)
		return SL_OK;
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	for (int v = 0; v < nv; v++) {
		if (v > 0)
			sl_strbuf_puts(&sb, v == nv - 1 ? " or " : ", ");
		print_qualified(c, &sb, viable[v]);
	}
	sl_strbuf_t first;
	sl_strbuf_init(&first);
	if (nv > 0)
		print_qualified(c, &first, viable[0]);
	int rc = sl_error_at(c->err, SL_EINVAL, select->kids[0]->loc,
			     "The query used to build `%s` must include the join expression%s %s in "
			     "its projection (eg, SELECT %s...).", sink, nv > 1 ? "s" : "",
			     sb.data ? sb.data : "", first.data ? first.data : "");
	sl_strbuf_free(&sb);
	sl_strbuf_free(&first);
	return rc;
}
