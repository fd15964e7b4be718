/*
 * compile.c: expression AST in, typed evaluable tree out (see expr.h).
 *
 * Stage: expr.  Called by the analyzer for every expression of a
 * statement.  Resolves column names against the scope and lambda
 * parameters against the enclosing lambdas, types every node with
 * ksqlDB's rules (implicit widening, string-literal coercion in lists,
 * decimal result types), resolves function calls through the registry,
 * inserts casts so that the evaluator never converts on its own, and
 * folds subtrees that use no column into constants.  Everything is
 * allocated in the caller's arena; errors carry the offending node's
 * offset.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr/cast.h"
#include "expr/decimal.h"
#include "expr/expr_int.h"

/* A lambda's parameters while its body is compiled. */
typedef struct lscope {
	const struct lscope *up;
	int n;
	const char **names;
	const sl_type_t **types;
} lscope_t;

typedef struct cctx {
	const sl_scope_t *scope;
	const sl_func_registry_t *reg;
	sl_arena_t *a;
	sl_error_t *err;
	const lscope_t *lambdas; /* innermost first */
	int depth;               /* lambda nesting */
	sl_xdtor_t *dtors;
} cctx_t;

static int comp(cctx_t *c, const sl_node_t *n, sl_expr_t **out);

/* ---- helpers ----------------------------------------------------------- */

static const char *
tname(const sl_type_t *t, char *buf, size_t size)
{
	return sl_type_str(t, buf, size);
}

static sl_expr_t *
xnew(cctx_t *c, sl_xop_t op, int loc, const sl_type_t *type, int nkids)
{
	sl_expr_t *e = sl_arena_calloc(c->a, sizeof(*e));

	e->op = (uint8_t)op;
	e->loc = loc;
	e->type = type;
	e->nkids = nkids;
	if (nkids > 0)
		e->kids = sl_arena_calloc(c->a, sizeof(*e->kids) * (size_t)nkids);
	return e;
}

static sl_expr_t *
xconst(cctx_t *c, int loc, const sl_type_t *type, sl_value_t v)
{
	sl_expr_t *e = xnew(c, SL_X_CONST, loc, type, 0);
	e->u.konst = v;
	return e;
}

static bool
is_const(const sl_expr_t *e)
{
	return e->op == SL_X_CONST;
}

/* A literal as written (so that string literals may be coerced and
 * other literals written as text), looking through a unary minus. */
static const sl_node_t *
literal_of(const sl_node_t *n)
{
	if (n == NULL)
		return NULL;
	if (n->kind == SL_N_LITERAL)
		return n;
	if (n->kind == SL_N_UNARY && n->op == SL_OP_NEG && n->kids[0]->kind == SL_N_LITERAL &&
	    n->kids[0]->op != SL_LIT_STRING && n->kids[0]->op != SL_LIT_BOOLEAN &&
	    n->kids[0]->op != SL_LIT_NULL)
		return n->kids[0];
	return NULL;
}

static bool
is_string_literal(const sl_node_t *n)
{
	return n != NULL && n->kind == SL_N_LITERAL && n->op == SL_LIT_STRING;
}

/*
 * Finishes node e: propagates the flags of its children and folds it into
 * a constant when it reads no column and no free lambda parameter.  A
 * failing fold keeps the node, so that the failure is reported per row as
 * ksqlDB does.
 */
static sl_expr_t *
finish(cctx_t *c, sl_expr_t *e)
{
	for (int i = 0; i < e->nkids; i++)
		if (e->kids[i] != NULL)
			e->flags |= e->kids[i]->flags & (SL_XF_HASCOL | SL_XF_HASPARAM);
	if (e->op == SL_X_CONST || e->op == SL_X_LAMBDA || e->op == SL_X_COLUMN ||
	    e->op == SL_X_LPARAM || (e->flags & SL_XF_HASCOL) ||
	    (c->depth > 0 && (e->flags & SL_XF_HASPARAM)))
		return e;
	{
		sl_error_t ferr;
		sl_eval_ctx_t ctx = { .row = NULL, .arena = c->a, .err = &ferr, .frame = NULL };
		sl_value_t v;

		sl_error_clear(&ferr);
		/* a failure (even one a call turned into NULL) is left to
		 * happen, and be reported, per record */
		if (sl_expr_eval_node(e, &ctx, &v) != SL_OK || ctx.errors != 0)
			return e;
		return xconst(c, e->loc, e->type, v);
	}
}

/*
 * Converts e to type `to` (which sl_cast_allowed() accepts): a constant is
 * converted now, anything else gets a CAST node.  A constant that fails to
 * convert is an error at loc.
 */
static int
coerce(cctx_t *c, sl_expr_t **e, const sl_type_t *to)
{
	sl_expr_t *x = *e, *cast;

	if (sl_type_equal(x->type, to))
		return SL_OK;
	if (x->type->kind == SL_T_NULL && is_const(x)) {
		*e = xconst(c, x->loc, to, sl_value_null());
		return SL_OK;
	}
	if (is_const(x)) {
		sl_value_t v;
		sl_error_t cerr;
		if (sl_cast_value(&x->u.konst, x->type, to, c->a, &v, &cerr) != SL_OK)
			return sl_error_at(c->err, SL_EINVAL, x->loc, "%s", cerr.msg);
		*e = xconst(c, x->loc, to, v);
		return SL_OK;
	}
	cast = xnew(c, SL_X_CAST, x->loc, to, 1);
	cast->kids[0] = x;
	cast->u.from = x->type;
	*e = finish(c, cast);
	return SL_OK;
}

static bool
has_var_flag(const sl_node_t *n)
{
	return (n->flags & (SL_F_VAR | SL_F_VAR2)) != 0;
}

/* ---- literals ---------------------------------------------------------- */

static int
literal_number(cctx_t *c, const char *text, int loc, sl_lit_kind_t kind, sl_expr_t **out)
{
	size_t len = strlen(text);

	switch (kind) {
	case SL_LIT_INTEGER: {
		__int128 u;
		int p, s;
		if (sl_dec_parse(text, len, &u, &p, &s) != SL_OK || s != 0 || u > INT64_MAX ||
		    u < INT64_MIN)
			return sl_error_at(c->err, SL_EINVAL, loc, "invalid numeric literal: %s",
					   text);
		if (u >= INT32_MIN && u <= INT32_MAX)
			*out = xconst(c, loc, sl_type_int(), sl_value_int((int32_t)u));
		else
			*out = xconst(c, loc, sl_type_bigint(), sl_value_bigint((int64_t)u));
		return SL_OK;
	}
	case SL_LIT_DECIMAL: {
		__int128 u;
		int p, s;
		if (sl_dec_parse(text, len, &u, &p, &s) != SL_OK)
			return sl_error_at(c->err, SL_EINVAL, loc, "invalid numeric literal: %s",
					   text);
		if (u == 0 && s + 1 <= SL_DECIMAL_MAX_PRECISION)
			p = s + 1; /* as ksqlDB: 0.00 is DECIMAL(3, 2) */
		*out = xconst(c, loc, sl_type_decimal(c->a, p, s), sl_value_decimal(u, p, s));
		return SL_OK;
	}
	default: {
		char *end;
		double d = strtod(text, &end);
		if (*end != '\0')
			return sl_error_at(c->err, SL_EINVAL, loc, "invalid numeric literal: %s",
					   text);
		if (d == HUGE_VAL || d == -HUGE_VAL)
			return sl_error_at(c->err, SL_EINVAL, loc, "number overflows DOUBLE: %s",
					   text);
		*out = xconst(c, loc, sl_type_double(), sl_value_double(d));
		return SL_OK;
	}
	}
}

static int
comp_literal(cctx_t *c, const sl_node_t *n, const char *sign, int loc, sl_expr_t **out)
{
	switch (n->op) {
	case SL_LIT_NULL:
		*out = xconst(c, n->loc, sl_type_null(), sl_value_null());
		return SL_OK;
	case SL_LIT_BOOLEAN:
		*out = xconst(c, n->loc, sl_type_boolean(),
			      sl_value_bool(strcasecmp(n->str, "TRUE") == 0));
		return SL_OK;
	case SL_LIT_STRING:
		*out = xconst(c, n->loc, sl_type_string(),
			      sl_value_string_copy(c->a, n->str, (int32_t)strlen(n->str)));
		return SL_OK;
	default: {
		const char *text = n->str;
		if (sign != NULL) {
			size_t l = strlen(n->str);
			char *t = sl_arena_alloc(c->a, l + 2);
			t[0] = '-';
			memcpy(t + 1, n->str, l + 1);
			text = t;
		}
		return literal_number(c, text, loc, (sl_lit_kind_t)n->op, out);
	}
	}
}

static int
comp_typed_literal(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	static const struct {
		const char *name;
		sl_tkind_t kind;
	} types[] = {
		{ "DATE", SL_T_DATE },
		{ "TIME", SL_T_TIME },
		{ "TIMESTAMP", SL_T_TIMESTAMP },
		{ "BOOLEAN", SL_T_BOOLEAN },
		{ "INT", SL_T_INT },
		{ "INTEGER", SL_T_INT },
		{ "BIGINT", SL_T_BIGINT },
		{ "DOUBLE", SL_T_DOUBLE },
		{ "STRING", SL_T_STRING },
		{ "VARCHAR", SL_T_STRING },
		{ "BYTES", SL_T_BYTES },
	};
	sl_value_t v;
	sl_error_t cerr;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const sl_type_t *t;
		if (strcasecmp(n->str, types[i].name) != 0)
			continue;
		t = sl_type_primitive(types[i].kind);
		if (sl_cast_string_literal(n->str2, strlen(n->str2), t, c->a, &v, &cerr) != SL_OK)
			return sl_error_at(c->err, SL_EINVAL, n->loc, "%s", cerr.msg);
		*out = xconst(c, n->loc, t, v);
		return SL_OK;
	}
	return sl_error_at(c->err, SL_EINVAL, n->loc, "type \"%s\" has no literal form", n->str);
}

/* ---- names ------------------------------------------------------------- */

static int
comp_column(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	const sl_scope_col_t *hit = NULL;
	int nhits = 0;
	sl_expr_t *e;

	if (n->str2 == NULL) {
		int depth = 0;
		for (const lscope_t *l = c->lambdas; l != NULL; l = l->up, depth++) {
			for (int i = 0; i < l->n; i++) {
				if (strcmp(l->names[i], n->str) != 0)
					continue;
				e = xnew(c, SL_X_LPARAM, n->loc, l->types[i], 0);
				e->u.lp.depth = depth;
				e->u.lp.index = i;
				e->flags |= SL_XF_HASPARAM;
				*out = e;
				return SL_OK;
			}
		}
	}
	for (int i = 0; c->scope != NULL && i < c->scope->ncols; i++) {
		const sl_scope_col_t *col = &c->scope->cols[i];
		if (strcmp(col->name, n->str) != 0)
			continue;
		if (n->str2 != NULL &&
		    (col->qualifier == NULL || strcmp(col->qualifier, n->str2) != 0))
			continue;
		/* an unqualified name with an unqualified column of its own (a
		 * join's ROWTIME) means that column */
		if (n->str2 == NULL && col->qualifier == NULL) {
			hit = col;
			nhits = 1;
			break;
		}
		if (hit == NULL || hit->index != col->index)
			nhits++;
		hit = col;
	}
	if (nhits == 0) {
		if (n->str2 != NULL)
			return sl_error_at(c->err, SL_EINVAL, n->loc,
					   "column \"%s.%s\" does not exist", n->str2, n->str);
		return sl_error_at(c->err, SL_EINVAL, n->loc, "column \"%s\" does not exist",
				   n->str);
	}
	if (nhits > 1)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "column reference \"%s\" is ambiguous", n->str);
	e = xnew(c, SL_X_COLUMN, n->loc, hit->type, 0);
	e->u.col = hit->index;
	e->flags |= SL_XF_HASCOL;
	*out = e;
	return SL_OK;
}

/* ---- type unification for lists --------------------------------------- */

/*
 * Unifies the types of xs[0..n) (ns: their AST nodes) as ksqlDB coerces
 * user lists (IN, constructors, CASE results): the non-literal
 * expressions decide; literals of other types follow (a string literal is
 * parsed as the wanted type; with to_text, as in IN lists, a number or
 * boolean literal becomes its text where STRING is wanted); NULLs take
 * any type.  Converts every element and stores the type in *type
 * (SL_T_NULL when all are NULL).  what names the construct for messages.
 */
static int
unify_list(cctx_t *c, sl_expr_t **xs, const sl_node_t *const *ns, int n, const char *what,
	   bool to_text, const sl_type_t **type)
{
	const sl_type_t *tnon = NULL, *tlit = NULL, *t;
	int first_lit = -1, rc;
	char b1[128], b2[128];

	for (int pass = 0; pass < 2; pass++) {
		const sl_type_t **acc = pass == 0 ? &tnon : &tlit;

		if (pass == 1 && to_text && tnon != NULL && tnon->kind == SL_T_STRING)
			break; /* literals are written as text */
		for (int i = 0; i < n; i++) {
			const sl_type_t *xt = xs[i]->type, *u;
			bool lit = literal_of(ns[i]) != NULL && is_const(xs[i]);

			if (lit != (pass == 1) || xt->kind == SL_T_NULL ||
			    (lit && is_string_literal(ns[i])))
				continue;
			if (*acc == NULL) {
				*acc = xt;
				if (pass == 1)
					first_lit = i;
				continue;
			}
			u = sl_type_common(c->a, *acc, xt);
			if (u == NULL)
				return sl_error_at(c->err, SL_EINVAL, xs[i]->loc,
						   "%s: operator does not exist: %s = %s", what,
						   tname(*acc, b1, sizeof(b1)),
						   tname(xt, b2, sizeof(b2)));
			*acc = u;
		}
	}
	if (tnon == NULL) {
		t = tlit;
	} else if (tlit == NULL) {
		t = tnon;
	} else {
		t = sl_type_common(c->a, tnon, tlit);
		if (t == NULL)
			return sl_error_at(c->err, SL_EINVAL, xs[first_lit]->loc,
					   "%s: operator does not exist: %s = %s", what,
					   tname(tnon, b1, sizeof(b1)),
					   tname(tlit, b2, sizeof(b2)));
	}
	/* string literals: STRING on their own, else parsed as the type */
	for (int i = 0; i < n; i++) {
		const sl_type_t *nt;
		if (!is_string_literal(ns[i]) || !is_const(xs[i]))
			continue;
		if (t == NULL) {
			t = sl_type_string();
			break;
		}
		if (sl_type_is_numeric(t) && t->kind != SL_T_DOUBLE) {
			nt = sl_cast_number_type(ns[i]->str, strlen(ns[i]->str), c->a);
			if (nt == NULL)
				return sl_error_at(c->err, SL_EINVAL, xs[i]->loc,
						   "invalid input syntax for type %s: \"%s\"",
						   tname(t, b1, sizeof(b1)), ns[i]->str);
			t = sl_type_common(c->a, t, nt);
		}
	}
	if (t == NULL) {
		*type = sl_type_null();
		return SL_OK;
	}
	for (int i = 0; i < n; i++) {
		const sl_node_t *lit = literal_of(ns[i]);
		sl_value_t v;
		sl_error_t cerr;

		if (lit != NULL && is_const(xs[i]) && lit->op == SL_LIT_STRING) {
			if (sl_cast_string_literal(lit->str, strlen(lit->str), t, c->a, &v,
						   &cerr) != SL_OK)
				return sl_error_at(c->err, SL_EINVAL, xs[i]->loc, "%s", cerr.msg);
			xs[i] = xconst(c, xs[i]->loc, t, v);
			continue;
		}
		if (to_text && lit != NULL && is_const(xs[i]) && t->kind == SL_T_STRING &&
		    xs[i]->type->kind != SL_T_STRING && xs[i]->type->kind != SL_T_NULL) {
			/* the literal's text, as written */
			sl_strbuf_t sb;
			sl_strbuf_init(&sb);
			if (lit != ns[i])
				sl_strbuf_putc(&sb, '-');
			if (lit->op == SL_LIT_BOOLEAN)
				sl_strbuf_puts(&sb, strcasecmp(lit->str, "TRUE") == 0 ? "true" :
											"false");
			else
				sl_strbuf_puts(&sb, lit->str);
			xs[i] = xconst(c, xs[i]->loc, t,
				       sl_value_string_copy(c->a, sb.data, (int32_t)sb.len));
			sl_strbuf_free(&sb);
			continue;
		}
		if (!sl_cast_implicit(xs[i]->type, t))
			return sl_error_at(c->err, SL_EINVAL, xs[i]->loc,
					   "%s: operator does not exist: %s = %s", what,
					   tname(t, b1, sizeof(b1)),
					   tname(xs[i]->type, b2, sizeof(b2)));
		rc = coerce(c, &xs[i], t);
		if (rc != SL_OK)
			return rc;
	}
	*type = t;
	return SL_OK;
}

/* ---- operators --------------------------------------------------------- */

static const char *
op_text(int op)
{
	switch (op) {
	case SL_OP_ADD:
		return "+";
	case SL_OP_SUB:
		return "-";
	case SL_OP_MUL:
		return "*";
	case SL_OP_DIV:
		return "/";
	case SL_OP_MOD:
		return "%";
	case SL_OP_CONCAT:
		return "||";
	case SL_OP_EQ:
		return "=";
	case SL_OP_NE:
		return "<>";
	case SL_OP_LT:
		return "<";
	case SL_OP_LE:
		return "<=";
	case SL_OP_GT:
		return ">";
	case SL_OP_GE:
		return ">=";
	case SL_OP_AND:
		return "AND";
	case SL_OP_OR:
		return "OR";
	default:
		return "?";
	}
}

static int
op_error(cctx_t *c, int loc, int op, const sl_type_t *l, const sl_type_t *r)
{
	char b1[128], b2[128];
	return sl_error_at(c->err, SL_EINVAL, loc, "operator \"%s\" cannot be applied to %s and %s",
			   op_text(op), tname(l, b1, sizeof(b1)), tname(r, b2, sizeof(b2)));
}

/* The result type of DECIMAL arithmetic (SQL Server / Hive rules, as
 * ksqlDB), capped at precision 38. */
static const sl_type_t *
decimal_result(cctx_t *c, int op, const sl_type_t *l, const sl_type_t *r)
{
	int p1 = l->precision, s1 = l->scale, p2 = r->precision, s2 = r->scale, p, s;
	int i1 = p1 - s1, i2 = p2 - s2;

	switch (op) {
	case SL_OP_ADD:
	case SL_OP_SUB:
		s = s1 > s2 ? s1 : s2;
		p = (i1 > i2 ? i1 : i2) + s + 1;
		break;
	case SL_OP_MUL:
		p = p1 + p2 + 1;
		s = s1 + s2;
		break;
	case SL_OP_DIV:
		s = 6 > s1 + p2 + 1 ? 6 : s1 + p2 + 1;
		p = p1 - s1 + s2 + s;
		break;
	default: /* MOD */
		s = s1 > s2 ? s1 : s2;
		p = (i1 < i2 ? i1 : i2) + s;
		break;
	}
	if (p > SL_DECIMAL_MAX_PRECISION) {
		int keep = s < 6 ? s : 6;
		s = SL_DECIMAL_MAX_PRECISION - (p - s);
		if (s < keep)
			s = keep;
		p = SL_DECIMAL_MAX_PRECISION;
	}
	if (p < 1)
		p = 1;
	if (s > p)
		s = p;
	return sl_type_decimal(c->a, p, s);
}

/* Appends n as ksqlDB prints an expression in its messages:
 * (MAP(1:='cat') + null), ARRAY[1, 2, 3]. */
static void
print_ksql_expr(sl_strbuf_t *sb, const sl_node_t *n)
{
	switch (n->kind) {
	case SL_N_LITERAL:
		if (n->op == SL_LIT_NULL)
			sl_strbuf_puts(sb, "null");
		else if (n->op == SL_LIT_STRING)
			sl_strbuf_printf(sb, "'%s'", n->str);
		else
			sl_strbuf_puts(sb, n->str);
		return;
	case SL_N_BINARY:
		sl_strbuf_putc(sb, '(');
		print_ksql_expr(sb, n->kids[0]);
		sl_strbuf_printf(sb, " %s ", op_text(n->op));
		print_ksql_expr(sb, n->kids[1]);
		sl_strbuf_putc(sb, ')');
		return;
	case SL_N_ARRAY:
		sl_strbuf_puts(sb, "ARRAY[");
		for (int i = 0; i < n->nkids; i++) {
			if (i > 0)
				sl_strbuf_puts(sb, ", ");
			print_ksql_expr(sb, n->kids[i]);
		}
		sl_strbuf_putc(sb, ']');
		return;
	case SL_N_MAP:
		sl_strbuf_puts(sb, "MAP(");
		for (int i = 0; i + 1 < n->nkids; i += 2) {
			if (i > 0)
				sl_strbuf_puts(sb, ", ");
			print_ksql_expr(sb, n->kids[i]);
			sl_strbuf_puts(sb, ":=");
			print_ksql_expr(sb, n->kids[i + 1]);
		}
		sl_strbuf_putc(sb, ')');
		return;
	default:
		sl_ast_print(sb, n);
		return;
	}
}

static int
comp_arith(cctx_t *c, const sl_node_t *n, sl_expr_t *l, sl_expr_t *r, sl_expr_t **out)
{
	const sl_type_t *lt = l->type, *rt = r->type, *t;
	sl_expr_t *e;
	int op = n->op, rc;

	/* NULL with NULL, or with what is not a number nor a string: ksqlDB
	 * refuses it (and says so in these words) */
	if ((lt->kind == SL_T_NULL || rt->kind == SL_T_NULL) && op != SL_OP_CONCAT) {
		const sl_type_t *other = lt->kind == SL_T_NULL ? rt : lt;
		if (other->kind == SL_T_NULL ||
		    (!sl_type_is_numeric(other) && other->kind != SL_T_STRING)) {
			sl_strbuf_t sb;
			char b1[128], b2[128];
			sl_strbuf_init(&sb);
			print_ksql_expr(&sb, n);
			rc = sl_error_at(c->err, SL_EINVAL, n->loc,
					 "Error processing expression: %s. Arithmetic on types %s and "
					 "%s are not supported.", sb.data,
					 lt->kind == SL_T_NULL ? "null" : tname(lt, b1, sizeof(b1)),
					 rt->kind == SL_T_NULL ? "null" : tname(rt, b2, sizeof(b2)));
			sl_strbuf_free(&sb);
			return rc;
		}
	}

	/* NULL takes the other side's type */
	if (lt->kind == SL_T_NULL && rt->kind != SL_T_NULL)
		lt = rt;
	if (rt->kind == SL_T_NULL)
		rt = lt;
	if (lt->kind == SL_T_NULL) {
		*out = xconst(c, n->loc, sl_type_null(), sl_value_null());
		return SL_OK;
	}
	if ((lt->kind == SL_T_STRING && rt->kind == SL_T_STRING && op == SL_OP_ADD) ||
	    op == SL_OP_CONCAT) {
		if (!((lt->kind == SL_T_STRING && rt->kind == SL_T_STRING) ||
		      (lt->kind == SL_T_BYTES && rt->kind == SL_T_BYTES)))
			return op_error(c, n->loc, op, l->type, r->type);
		e = xnew(c, SL_X_CONCAT, n->loc, lt, 2);
		if ((rc = coerce(c, &l, lt)) != SL_OK || (rc = coerce(c, &r, lt)) != SL_OK)
			return rc;
		e->kids[0] = l;
		e->kids[1] = r;
		*out = finish(c, e);
		return SL_OK;
	}
	if (!sl_type_is_numeric(lt) || !sl_type_is_numeric(rt))
		return op_error(c, n->loc, op, l->type, r->type);
	if (lt->kind == SL_T_DOUBLE || rt->kind == SL_T_DOUBLE) {
		t = sl_type_double();
		if ((rc = coerce(c, &l, t)) != SL_OK || (rc = coerce(c, &r, t)) != SL_OK)
			return rc;
	} else if (lt->kind == SL_T_DECIMAL || rt->kind == SL_T_DECIMAL) {
		const sl_type_t *dl = sl_type_as_decimal(c->a, lt),
				*dr = sl_type_as_decimal(c->a, rt);
		t = decimal_result(c, op, dl, dr);
		if ((rc = coerce(c, &l, dl)) != SL_OK || (rc = coerce(c, &r, dr)) != SL_OK)
			return rc;
	} else {
		t = (lt->kind == SL_T_BIGINT || rt->kind == SL_T_BIGINT) ? sl_type_bigint() :
									   sl_type_int();
		if ((rc = coerce(c, &l, t)) != SL_OK || (rc = coerce(c, &r, t)) != SL_OK)
			return rc;
	}
	e = xnew(c, SL_X_ARITH, n->loc, t, 2);
	e->sub = (uint8_t)op;
	e->kids[0] = l;
	e->kids[1] = r;
	*out = finish(c, e);
	return SL_OK;
}

static bool
is_temporal(sl_tkind_t k)
{
	return k == SL_T_TIMESTAMP || k == SL_T_DATE || k == SL_T_TIME;
}

/*
 * Brings the operands of a comparison (or IS DISTINCT FROM, BETWEEN) to
 * one type: numeric widening, DATE with TIMESTAMP as TIMESTAMP, a STRING
 * (literal or not) compared with a TIMESTAMP/DATE/TIME parsed as that.
 */
static int
compare_operands(cctx_t *c, int loc, int op, sl_expr_t **xs, const sl_node_t *const *ns, int n,
		 const sl_type_t **type)
{
	const sl_type_t *t = NULL;
	int rc;

	for (int i = 0; i < n; i++) {
		const sl_type_t *xt = xs[i]->type;
		if (xt->kind == SL_T_NULL || xt->kind == SL_T_STRING)
			continue;
		if (t == NULL) {
			t = xt;
			continue;
		}
		const sl_type_t *u = sl_type_common(c->a, t, xt);
		if (u == NULL)
			return op_error(c, loc, op, t, xt);
		t = u;
	}
	if (t == NULL) {
		/* only strings and NULLs */
		t = sl_type_string();
		for (int i = 0; i < n; i++)
			if (xs[i]->type->kind != SL_T_NULL)
				goto have;
		t = sl_type_null();
		*type = t;
		return SL_OK;
	}
have:
	for (int i = 0; i < n; i++) {
		const sl_type_t *xt = xs[i]->type;
		if (xt->kind != SL_T_STRING || t->kind == SL_T_STRING)
			continue;
		if (!is_temporal(t->kind))
			return op_error(c, loc, op, i == 0 ? xt : t, i == 0 ? t : xt);
		if (is_string_literal(ns[i]) && is_const(xs[i])) {
			sl_value_t v;
			sl_error_t cerr;
			if (sl_cast_string_literal(ns[i]->str, strlen(ns[i]->str), t, c->a, &v,
						   &cerr) != SL_OK)
				return sl_error_at(c->err, SL_EINVAL, xs[i]->loc, "%s", cerr.msg);
			xs[i] = xconst(c, xs[i]->loc, t, v);
		}
	}
	for (int i = 0; i < n; i++) {
		rc = coerce(c, &xs[i], t);
		if (rc != SL_OK)
			return rc;
	}
	*type = t;
	return SL_OK;
}

static bool
orderable(const sl_type_t *t)
{
	return t->kind != SL_T_ARRAY && t->kind != SL_T_MAP && t->kind != SL_T_STRUCT;
}

static int
comp_compare(cctx_t *c, const sl_node_t *n, sl_expr_t *l, sl_expr_t *r, sl_expr_t **out)
{
	sl_expr_t *xs[2] = { l, r }, *e;
	const sl_node_t *ns[2] = { n->kids[0], n->kids[1] };
	const sl_type_t *t;
	int rc;

	if (l->type->kind == SL_T_NULL || r->type->kind == SL_T_NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "comparison with NULL is not supported; use IS [NOT] NULL or "
				   "IS [NOT] DISTINCT FROM");
	rc = compare_operands(c, n->loc, n->op, xs, ns, 2, &t);
	if (rc != SL_OK)
		return rc;
	if (n->op != SL_OP_EQ && n->op != SL_OP_NE && !orderable(t))
		return op_error(c, n->loc, n->op, l->type, r->type);
	e = xnew(c, SL_X_CMP, n->loc, sl_type_boolean(), 2);
	e->sub = (uint8_t)n->op;
	e->kids[0] = xs[0];
	e->kids[1] = xs[1];
	*out = finish(c, e);
	return SL_OK;
}

static int
need_boolean(cctx_t *c, sl_expr_t **x, const char *what)
{
	char b[128];

	if ((*x)->type->kind == SL_T_NULL)
		return coerce(c, x, sl_type_boolean());
	if ((*x)->type->kind != SL_T_BOOLEAN)
		return sl_error_at(c->err, SL_EINVAL, (*x)->loc,
				   "argument of %s must be BOOLEAN, not %s", what,
				   tname((*x)->type, b, sizeof(b)));
	return SL_OK;
}

static int
comp_binary(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *l, *r, *e;
	int rc;

	if ((rc = comp(c, n->kids[0], &l)) != SL_OK || (rc = comp(c, n->kids[1], &r)) != SL_OK)
		return rc;
	switch (n->op) {
	case SL_OP_AND:
	case SL_OP_OR:
		if ((rc = need_boolean(c, &l, op_text(n->op))) != SL_OK ||
		    (rc = need_boolean(c, &r, op_text(n->op))) != SL_OK)
			return rc;
		e = xnew(c, n->op == SL_OP_AND ? SL_X_AND : SL_X_OR, n->loc, sl_type_boolean(), 2);
		e->kids[0] = l;
		e->kids[1] = r;
		*out = finish(c, e);
		return SL_OK;
	case SL_OP_EQ:
	case SL_OP_NE:
	case SL_OP_LT:
	case SL_OP_LE:
	case SL_OP_GT:
	case SL_OP_GE:
		return comp_compare(c, n, l, r, out);
	default:
		return comp_arith(c, n, l, r, out);
	}
}

static int
comp_unary(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	const sl_node_t *k = n->kids[0];
	sl_expr_t *x, *e;
	char b[128];
	int rc;

	/* -literal is a literal (so that -2147483648 is an INT) */
	if (n->op == SL_OP_NEG && k->kind == SL_N_LITERAL &&
	    (k->op == SL_LIT_INTEGER || k->op == SL_LIT_DECIMAL || k->op == SL_LIT_DOUBLE)) {
		return comp_literal(c, k, "-", n->loc, out);
	}
	if ((rc = comp(c, k, &x)) != SL_OK)
		return rc;
	if (x->type->kind == SL_T_NULL) {
		*out = x;
		return SL_OK;
	}
	if (!sl_type_is_numeric(x->type))
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "operator \"%s\" cannot be applied to %s",
				   n->op == SL_OP_NEG ? "-" : "+", tname(x->type, b, sizeof(b)));
	if (n->op == SL_OP_POS) {
		*out = x;
		return SL_OK;
	}
	e = xnew(c, SL_X_NEG, n->loc, x->type, 1);
	e->kids[0] = x;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_not(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *x, *e;
	int rc;

	if ((rc = comp(c, n->kids[0], &x)) != SL_OK || (rc = need_boolean(c, &x, "NOT")) != SL_OK)
		return rc;
	e = xnew(c, SL_X_NOT, n->loc, sl_type_boolean(), 1);
	e->kids[0] = x;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_is_null(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *x, *e;
	int rc;

	if ((rc = comp(c, n->kids[0], &x)) != SL_OK)
		return rc;
	e = xnew(c, SL_X_IS_NULL, n->loc, sl_type_boolean(), 1);
	e->kids[0] = x;
	if (n->flags & SL_F_NOT)
		e->flags |= SL_XF_NOT;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_distinct(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *xs[2], *e;
	const sl_node_t *ns[2] = { n->kids[0], n->kids[1] };
	const sl_type_t *t;
	int rc;

	if ((rc = comp(c, n->kids[0], &xs[0])) != SL_OK ||
	    (rc = comp(c, n->kids[1], &xs[1])) != SL_OK)
		return rc;
	rc = compare_operands(c, n->loc, SL_OP_EQ, xs, ns, 2, &t);
	if (rc != SL_OK)
		return rc;
	e = xnew(c, SL_X_DISTINCT, n->loc, sl_type_boolean(), 2);
	e->kids[0] = xs[0];
	e->kids[1] = xs[1];
	if (n->flags & SL_F_NOT)
		e->flags |= SL_XF_NOT;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_between(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *xs[3], *e;
	const sl_node_t *ns[3] = { n->kids[0], n->kids[1], n->kids[2] };
	const sl_type_t *t;
	int rc;

	for (int i = 0; i < 3; i++)
		if ((rc = comp(c, n->kids[i], &xs[i])) != SL_OK)
			return rc;
	/* numbers written as strings adapt as in lists, then as comparisons */
	rc = compare_operands(c, n->loc, SL_OP_GE, xs, ns, 3, &t);
	if (rc != SL_OK) {
		sl_error_t keep = *c->err;
		if (unify_list(c, xs, ns, 3, "BETWEEN", false, &t) != SL_OK) {
			*c->err = keep;
			return rc;
		}
	}
	if (!orderable(t)) {
		char b[128];
		return sl_error_at(c->err, SL_EINVAL, n->loc, "BETWEEN cannot be applied to %s",
				   tname(t, b, sizeof(b)));
	}
	e = xnew(c, SL_X_BETWEEN, n->loc, sl_type_boolean(), 3);
	for (int i = 0; i < 3; i++)
		e->kids[i] = xs[i];
	if (n->flags & SL_F_NOT)
		e->flags |= SL_XF_NOT;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_in(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	const sl_node_t *list = n->kids[1];
	int cnt = 1 + list->nkids, rc;
	sl_expr_t **xs = sl_arena_alloc(c->a, sizeof(*xs) * (size_t)cnt), *e;
	const sl_node_t **ns = sl_arena_alloc(c->a, sizeof(*ns) * (size_t)cnt);
	const sl_type_t *t;

	ns[0] = n->kids[0];
	for (int i = 0; i < list->nkids; i++)
		ns[i + 1] = list->kids[i];
	for (int i = 0; i < cnt; i++)
		if ((rc = comp(c, ns[i], &xs[i])) != SL_OK)
			return rc;
	rc = unify_list(c, xs, ns, cnt, "invalid IN list", true, &t);
	if (rc != SL_OK)
		return rc;
	e = xnew(c, SL_X_IN, n->loc, sl_type_boolean(), cnt);
	memcpy(e->kids, xs, sizeof(*xs) * (size_t)cnt);
	if (n->flags & SL_F_NOT)
		e->flags |= SL_XF_NOT;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_like(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *v, *p, *e;
	char b[128];
	int rc, esc = -1;

	if ((rc = comp(c, n->kids[0], &v)) != SL_OK || (rc = comp(c, n->kids[1], &p)) != SL_OK)
		return rc;
	if (v->type->kind != SL_T_STRING && v->type->kind != SL_T_NULL)
		return sl_error_at(c->err, SL_EINVAL, v->loc,
				   "The column type for Like condition must be VARCHAR. The column "
				   "type is %s", tname(v->type, b, sizeof(b)));
	if (p->type->kind != SL_T_STRING && p->type->kind != SL_T_NULL)
		return sl_error_at(c->err, SL_EINVAL, p->loc,
				   "a LIKE pattern must be a STRING, not %s",
				   tname(p->type, b, sizeof(b)));
	if ((rc = coerce(c, &v, sl_type_string())) != SL_OK ||
	    (rc = coerce(c, &p, sl_type_string())) != SL_OK)
		return rc;
	if (n->kids[2] != NULL) {
		const sl_node_t *x = n->kids[2];
		if (x->kind != SL_N_LITERAL || x->op != SL_LIT_STRING || strlen(x->str) != 1)
			return sl_error_at(c->err, SL_EINVAL, x->loc,
					   "the ESCAPE of LIKE must be a single character");
		esc = (unsigned char)x->str[0];
	}
	e = xnew(c, SL_X_LIKE, n->loc, sl_type_boolean(), 2);
	e->kids[0] = v;
	e->kids[1] = p;
	e->u.esc = esc;
	if (n->flags & SL_F_NOT)
		e->flags |= SL_XF_NOT;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_case(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	const sl_node_t *operand = n->kids[0], *whens = n->kids[1], *els = n->kids[2];
	int nw = whens->nkids, nres = nw + (els ? 1 : 0), rc, k = 0;
	sl_expr_t **res = sl_arena_alloc(c->a, sizeof(*res) * (size_t)nres);
	const sl_node_t **rns = sl_arena_alloc(c->a, sizeof(*rns) * (size_t)nres);
	sl_expr_t **conds = sl_arena_alloc(c->a, sizeof(*conds) * (size_t)(nw + 1));
	const sl_type_t *t;
	sl_expr_t *e;

	if (operand != NULL) {
		/* CASE x WHEN v ...: x and the values unify as an IN list */
		sl_expr_t **xs = sl_arena_alloc(c->a, sizeof(*xs) * (size_t)(nw + 1));
		const sl_node_t **ns = sl_arena_alloc(c->a, sizeof(*ns) * (size_t)(nw + 1));
		ns[0] = operand;
		for (int i = 0; i < nw; i++)
			ns[i + 1] = whens->kids[i]->kids[0];
		for (int i = 0; i <= nw; i++)
			if ((rc = comp(c, ns[i], &xs[i])) != SL_OK)
				return rc;
		rc = unify_list(c, xs, ns, nw + 1, "invalid CASE", true, &t);
		if (rc != SL_OK)
			return rc;
		memcpy(conds, xs, sizeof(*xs) * (size_t)(nw + 1));
	} else {
		for (int i = 0; i < nw; i++) {
			if ((rc = comp(c, whens->kids[i]->kids[0], &conds[i])) != SL_OK ||
			    (rc = need_boolean(c, &conds[i], "WHEN")) != SL_OK)
				return rc;
		}
	}
	for (int i = 0; i < nw; i++) {
		rns[i] = whens->kids[i]->kids[1];
		if ((rc = comp(c, rns[i], &res[i])) != SL_OK)
			return rc;
	}
	if (els != NULL) {
		rns[nw] = els;
		if ((rc = comp(c, els, &res[nw])) != SL_OK)
			return rc;
	}
	rc = unify_list(c, res, rns, nres, "invalid CASE", false, &t);
	if (rc != SL_OK)
		return rc;
	if (t->kind == SL_T_NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "invalid CASE expression: all branches have NULL type");
	e = xnew(c, SL_X_CASE, n->loc, t, (operand ? 1 : 0) + 2 * nw + (els ? 1 : 0));
	if (operand != NULL) {
		e->flags |= SL_XF_SIMPLE;
		e->kids[k++] = conds[0];
	}
	for (int i = 0; i < nw; i++) {
		e->kids[k++] = operand ? conds[i + 1] : conds[i];
		e->kids[k++] = res[i];
	}
	if (els != NULL)
		e->kids[k++] = res[nw];
	e->u.has_else = els != NULL;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_cast(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *x, *e;
	const sl_type_t *t;
	int rc;
	char b1[128], b2[128];

	if ((rc = comp(c, n->kids[0], &x)) != SL_OK)
		return rc;
	rc = sl_type_from_ast(n->kids[1], c->a, c->scope ? c->scope->lookup_type : NULL,
			      c->scope ? c->scope->lookup_ud : NULL, &t, c->err);
	if (rc != SL_OK)
		return rc;
	if (!sl_cast_allowed(x->type, t))
		return sl_error_at(c->err, SL_EINVAL, n->loc, "cast of %s to %s is not supported",
				   tname(x->type, b1, sizeof(b1)), tname(t, b2, sizeof(b2)));
	if (sl_type_equal(x->type, t)) {
		*out = x;
		return SL_OK;
	}
	if (x->type->kind == SL_T_NULL) {
		*out = xconst(c, n->loc, t, sl_value_null());
		return SL_OK;
	}
	e = xnew(c, SL_X_CAST, n->loc, t, 1);
	e->kids[0] = x;
	e->u.from = x->type;
	*out = finish(c, e);
	return SL_OK;
}

/* ---- constructors ------------------------------------------------------ */

static int
comp_array(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	int cnt = n->nkids, rc;
	sl_expr_t **xs, *e;
	const sl_type_t *t;

	if (cnt == 0)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "cannot construct an empty array: its element type is unknown");
	xs = sl_arena_alloc(c->a, sizeof(*xs) * (size_t)cnt);
	for (int i = 0; i < cnt; i++)
		if ((rc = comp(c, n->kids[i], &xs[i])) != SL_OK)
			return rc;
	rc = unify_list(c, xs, (const sl_node_t *const *)n->kids, cnt, "invalid ARRAY", false, &t);
	if (rc != SL_OK)
		return rc;
	if (t->kind == SL_T_NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "cannot construct an array with all NULL elements; cast a NULL "
				   "to the element type");
	e = xnew(c, SL_X_ARRAY, n->loc, sl_type_array(c->a, t), cnt);
	memcpy(e->kids, xs, sizeof(*xs) * (size_t)cnt);
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_map(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	int cnt = n->nkids / 2, rc;
	sl_expr_t **ks, **vs, *e;
	const sl_node_t **kn, **vn;
	const sl_type_t *kt, *vt;

	if (cnt == 0)
		return sl_error_at(
			c->err, SL_EINVAL, n->loc,
			"map constructor cannot be empty; supply at least one key-value pair");
	ks = sl_arena_alloc(c->a, sizeof(*ks) * (size_t)cnt);
	vs = sl_arena_alloc(c->a, sizeof(*vs) * (size_t)cnt);
	kn = sl_arena_alloc(c->a, sizeof(*kn) * (size_t)cnt);
	vn = sl_arena_alloc(c->a, sizeof(*vn) * (size_t)cnt);
	for (int i = 0; i < cnt; i++) {
		kn[i] = n->kids[2 * i];
		vn[i] = n->kids[2 * i + 1];
		if ((rc = comp(c, kn[i], &ks[i])) != SL_OK ||
		    (rc = comp(c, vn[i], &vs[i])) != SL_OK)
			return rc;
	}
	if ((rc = unify_list(c, ks, kn, cnt, "invalid MAP", false, &kt)) != SL_OK ||
	    (rc = unify_list(c, vs, vn, cnt, "invalid MAP", false, &vt)) != SL_OK)
		return rc;
	if (kt->kind == SL_T_NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "cannot construct a map with all NULL keys");
	if (vt->kind == SL_T_NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "cannot construct a map with all NULL values");
	e = xnew(c, SL_X_MAP, n->loc, sl_type_map(c->a, kt, vt), 2 * cnt);
	for (int i = 0; i < cnt; i++) {
		e->kids[2 * i] = ks[i];
		e->kids[2 * i + 1] = vs[i];
	}
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_struct(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	int cnt = n->nkids, rc;
	sl_field_t *f = sl_arena_alloc(c->a, sizeof(*f) * (size_t)(cnt + 1));
	sl_expr_t *e = xnew(c, SL_X_STRUCT, n->loc, NULL, cnt);

	for (int i = 0; i < cnt; i++) {
		const sl_node_t *fv = n->kids[i];
		sl_expr_t *x;

		if (has_var_flag(fv))
			return sl_error_at(c->err, SL_EINVAL, fv->loc,
					   "variable reference \"${%s}\" was not substituted",
					   fv->str);
		for (int j = 0; j < i; j++)
			if (strcmp(f[j].name, fv->str) == 0)
				return sl_error_at(c->err, SL_EINVAL, fv->loc,
						   "duplicate field \"%s\" in STRUCT", fv->str);
		if ((rc = comp(c, fv->kids[0], &x)) != SL_OK)
			return rc;
		if (x->type->kind == SL_T_NULL)
			return sl_error_at(
				c->err, SL_EINVAL, fv->loc,
				"the type of field \"%s\" is unknown: cast the NULL to a type",
				fv->str);
		f[i].name = sl_arena_strdup(c->a, fv->str);
		f[i].type = x->type;
		e->kids[i] = x;
	}
	e->type = sl_type_struct(c->a, f, cnt);
	*out = finish(c, e);
	return SL_OK;
}

/* ---- access ------------------------------------------------------------ */

static int
comp_subscript(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *b, *i, *e;
	char b1[128], b2[128];
	int rc;

	if ((rc = comp(c, n->kids[0], &b)) != SL_OK || (rc = comp(c, n->kids[1], &i)) != SL_OK)
		return rc;
	if (b->type->kind == SL_T_ARRAY) {
		if (i->type->kind != SL_T_INT && i->type->kind != SL_T_BIGINT &&
		    i->type->kind != SL_T_NULL)
			return sl_error_at(c->err, SL_EINVAL, i->loc,
					   "an array index must be INTEGER or BIGINT, not %s",
					   tname(i->type, b1, sizeof(b1)));
		if (i->type->kind == SL_T_NULL && (rc = coerce(c, &i, sl_type_int())) != SL_OK)
			return rc;
		e = xnew(c, SL_X_INDEX, n->loc, b->type->elem, 2);
	} else if (b->type->kind == SL_T_MAP) {
		const sl_node_t *ns[1] = { n->kids[1] };
		const sl_type_t *kt = b->type->key;
		if (is_string_literal(ns[0]) && is_const(i)) {
			sl_value_t v;
			sl_error_t cerr;
			if (sl_cast_string_literal(ns[0]->str, strlen(ns[0]->str), kt, c->a, &v,
						   &cerr) != SL_OK)
				return sl_error_at(c->err, SL_EINVAL, i->loc, "%s", cerr.msg);
			i = xconst(c, i->loc, kt, v);
		} else if (!sl_cast_implicit(i->type, kt)) {
			return sl_error_at(c->err, SL_EINVAL, i->loc, "a key of %s cannot be %s",
					   tname(b->type, b1, sizeof(b1)),
					   tname(i->type, b2, sizeof(b2)));
		} else if ((rc = coerce(c, &i, kt)) != SL_OK) {
			return rc;
		}
		e = xnew(c, SL_X_MAPGET, n->loc, b->type->elem, 2);
	} else {
		return sl_error_at(c->err, SL_EINVAL, n->loc, "cannot subscript a value of type %s",
				   tname(b->type, b1, sizeof(b1)));
	}
	e->kids[0] = b;
	e->kids[1] = i;
	*out = finish(c, e);
	return SL_OK;
}

static int
comp_deref(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	sl_expr_t *b, *e;
	char buf[128];
	int rc, idx;

	if ((rc = comp(c, n->kids[0], &b)) != SL_OK)
		return rc;
	if (b->type->kind != SL_T_STRUCT)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "cannot dereference field \"%s\" of a value of type %s", n->str,
				   tname(b->type, buf, sizeof(buf)));
	idx = sl_type_field_index(b->type, n->str);
	if (idx < 0)
		return sl_error_at(c->err, SL_EINVAL, n->str_loc >= 0 ? n->str_loc : n->loc,
				   "field \"%s\" does not exist in %s", n->str,
				   tname(b->type, buf, sizeof(buf)));
	e = xnew(c, SL_X_FIELD, n->loc, b->type->fields[idx].type, 1);
	e->kids[0] = b;
	e->u.field = idx;
	*out = finish(c, e);
	return SL_OK;
}

/* ---- functions and lambdas --------------------------------------------- */

typedef struct callctx {
	cctx_t *c;
	const sl_node_t *call;
	sl_expr_t **args;
} callctx_t;

/* Compiles lambda argument argi with the given parameter types (called by
 * the registry while it resolves the call). */
static int
type_lambda(void *vctx, int argi, int nparams, const sl_type_t *const *ptypes,
	    const sl_type_t **body)
{
	callctx_t *cc = vctx;
	cctx_t *c = cc->c;
	const sl_node_t *ln = cc->call->kids[argi], *names = ln->kids[0];
	lscope_t scope;
	const lscope_t *saved = c->lambdas;
	sl_expr_t *b, *e;
	int rc;

	for (int i = 0; i < names->nkids; i++) {
		if (has_var_flag(names->kids[i]))
			return sl_error_at(c->err, SL_EINVAL, names->kids[i]->loc,
					   "variable reference \"${%s}\" was not substituted",
					   names->kids[i]->str);
		for (int j = 0; j < i; j++)
			if (strcmp(names->kids[j]->str, names->kids[i]->str) == 0)
				return sl_error_at(c->err, SL_EINVAL, names->kids[i]->loc,
						   "duplicate lambda parameter \"%s\"",
						   names->kids[i]->str);
	}
	if (names->nkids != nparams)
		return SL_ENOTFOUND;
	scope.up = c->lambdas;
	scope.n = nparams;
	scope.names = sl_arena_alloc(c->a, sizeof(*scope.names) * (size_t)(nparams + 1));
	scope.types = sl_arena_alloc(c->a, sizeof(*scope.types) * (size_t)(nparams + 1));
	for (int i = 0; i < nparams; i++) {
		scope.names[i] = names->kids[i]->str;
		scope.types[i] = ptypes[i];
	}
	c->lambdas = &scope;
	c->depth++;
	rc = comp(c, ln->kids[1], &b);
	c->depth--;
	c->lambdas = saved;
	if (rc != SL_OK)
		return rc;
	e = xnew(c, SL_X_LAMBDA, ln->loc, b->type, 1);
	e->kids[0] = b;
	e->u.nparams = nparams;
	/* the lambda's own parameters are bound inside it; it still depends
	 * on outer parameters if the body does, which the HASPARAM flag
	 * over-approximates (only costs a missed fold) */
	e->flags = b->flags & (SL_XF_HASCOL | SL_XF_HASPARAM);
	cc->args[argi] = e;
	*body = b->type;
	return SL_OK;
}

static int
comp_func(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	const sl_func_t *f = sl_func_lookup(c->reg, n->str);
	int argc = n->nkids, rc;
	sl_fresolve_t r = { 0 };
	sl_farg_kind_t *kinds;
	const sl_value_t **constv;
	int *argloc;
	sl_expr_t **args, *e;
	callctx_t cc;

	if (f == NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc, "function \"%s\" does not exist",
				   n->str);
	if (f->kind == SL_FUNC_AGGREGATE)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "aggregate function \"%s\" is not allowed here", f->name);
	if (f->kind == SL_FUNC_TABLE)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "table function \"%s\" is not allowed here", f->name);
	if (n->flags & (SL_F_STAR | SL_F_DISTINCT))
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "%s is only allowed with aggregate functions",
				   (n->flags & SL_F_STAR) ? "\"*\"" : "DISTINCT");
	kinds = sl_arena_calloc(c->a, sizeof(*kinds) * (size_t)(argc + 1));
	constv = sl_arena_calloc(c->a, sizeof(*constv) * (size_t)(argc + 1));
	argloc = sl_arena_calloc(c->a, sizeof(*argloc) * (size_t)(argc + 1));
	args = sl_arena_calloc(c->a, sizeof(*args) * (size_t)(argc + 1));
	r.argt = sl_arena_calloc(c->a, sizeof(*r.argt) * (size_t)(argc + 1));
	for (int i = 0; i < argc; i++) {
		const sl_node_t *a = n->kids[i];
		argloc[i] = a->loc;
		if (a->kind == SL_N_LAMBDA) {
			kinds[i] = SL_FARG_LAMBDA;
			continue;
		}
		if (a->kind == SL_N_TIME_UNIT) {
			kinds[i] = SL_FARG_TIME_UNIT;
			args[i] =
				xconst(c, a->loc, sl_type_string(),
				       sl_value_string_copy(c->a, a->str, (int32_t)strlen(a->str)));
		} else if ((rc = comp(c, a, &args[i])) != SL_OK) {
			return rc;
		}
		r.argt[i] = args[i]->type;
		if (is_const(args[i]))
			constv[i] = &args[i]->u.konst;
	}
	r.func = f;
	r.argc = argc;
	r.argkind = kinds;
	r.constv = constv;
	r.arena = c->a;
	r.loc = n->loc;
	r.argloc = argloc;
	cc.c = c;
	cc.call = n;
	cc.args = args;
	rc = sl_func_resolve_call(&r, type_lambda, &cc, c->err);
	if (rc != SL_OK)
		return rc;
	for (int i = 0; i < argc; i++) {
		if (kinds[i] != SL_FARG_VALUE)
			continue;
		if (r.argt[i] != NULL && !sl_type_equal(args[i]->type, r.argt[i])) {
			char b1[128], b2[128];
			if (!sl_cast_allowed(args[i]->type, r.argt[i]))
				return sl_error_at(c->err, SL_EINVAL, args[i]->loc,
						   "function \"%s\": cannot convert %s to %s",
						   f->name, tname(args[i]->type, b1, sizeof(b1)),
						   tname(r.argt[i], b2, sizeof(b2)));
			if ((rc = coerce(c, &args[i], r.argt[i])) != SL_OK)
				return rc;
		}
		r.argt[i] = args[i]->type;
	}
	for (int i = 0; i < argc; i++)
		if (kinds[i] == SL_FARG_LAMBDA && args[i] == NULL)
			return sl_error_at(c->err, SL_EINVAL, n->kids[i]->loc,
					   "function \"%s\" takes no lambda here", f->name);
	e = xnew(c, SL_X_CALL, n->loc, r.ret, argc);
	if (argc > 0)
		memcpy(e->kids, args, sizeof(*args) * (size_t)argc);
	e->u.call.func = f;
	e->u.call.fn = r.variant->fn;
	e->u.call.state = r.state;
	e->u.call.argt = r.argt;
	if (r.variant->flags & SL_FV_NULL_CALL)
		e->flags |= SL_XF_NULLCALL;
	if (r.variant->flags & SL_FV_VOLATILE)
		e->flags |= SL_XF_HASCOL;
	if (r.destroy != NULL) {
		sl_xdtor_t *d = sl_arena_alloc(c->a, sizeof(*d));
		d->fn = r.destroy;
		d->state = r.state;
		d->next = c->dtors;
		c->dtors = d;
	}
	if (e->u.call.fn == NULL)
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "function \"%s\" has no implementation", f->name);
	*out = finish(c, e);
	return SL_OK;
}

/* ---- dispatch ---------------------------------------------------------- */

static int
comp(cctx_t *c, const sl_node_t *n, sl_expr_t **out)
{
	if (n == NULL)
		return sl_error_set(c->err, SL_EINVAL, "missing expression");
	if (n->kind != SL_N_LITERAL && n->kind != SL_N_TYPED_LITERAL && has_var_flag(n))
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "variable reference \"${%s}\" was not substituted", n->str);
	switch (n->kind) {
	case SL_N_LITERAL:
		return comp_literal(c, n, NULL, n->loc, out);
	case SL_N_TYPED_LITERAL:
		return comp_typed_literal(c, n, out);
	case SL_N_VARIABLE:
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "variable reference \"${%s}\" was not substituted", n->str);
	case SL_N_COLUMN:
		return comp_column(c, n, out);
	case SL_N_UNARY:
		return comp_unary(c, n, out);
	case SL_N_BINARY:
		return comp_binary(c, n, out);
	case SL_N_NOT:
		return comp_not(c, n, out);
	case SL_N_BETWEEN:
		return comp_between(c, n, out);
	case SL_N_IN:
		return comp_in(c, n, out);
	case SL_N_LIKE:
		return comp_like(c, n, out);
	case SL_N_IS_NULL:
		return comp_is_null(c, n, out);
	case SL_N_DISTINCT_FROM:
		return comp_distinct(c, n, out);
	case SL_N_CASE:
		return comp_case(c, n, out);
	case SL_N_CAST:
		return comp_cast(c, n, out);
	case SL_N_ARRAY:
		return comp_array(c, n, out);
	case SL_N_MAP:
		return comp_map(c, n, out);
	case SL_N_STRUCT:
		return comp_struct(c, n, out);
	case SL_N_FUNC:
		return comp_func(c, n, out);
	case SL_N_SUBSCRIPT:
		return comp_subscript(c, n, out);
	case SL_N_DEREF:
		return comp_deref(c, n, out);
	case SL_N_LAMBDA:
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "a lambda is only allowed as a function argument");
	case SL_N_TIME_UNIT:
		return sl_error_at(c->err, SL_EINVAL, n->loc,
				   "time unit %s is only allowed as a function argument", n->str);
	case SL_N_AT_TIME_ZONE:
		return sl_error_at(c->err, SL_ENOTSUP, n->loc, "AT TIME ZONE is not supported here");
	case SL_N_STAR:
	case SL_N_STRUCT_STAR:
		return sl_error_at(c->err, SL_EINVAL, n->loc, "\"*\" is not allowed here");
	default:
		return sl_error_at(c->err, SL_EINVAL, n->loc, "%s is not an expression",
				   sl_ast_kind_name(n->kind));
	}
}

/* ---- entry points ------------------------------------------------------ */

int
sl_expr_compile(const sl_node_t *ast, const sl_scope_t *scope, const sl_func_registry_t *reg,
		sl_arena_t *a, sl_expr_t **out, sl_error_t *err)
{
	cctx_t c = { .scope = scope, .reg = reg, .a = a, .err = err };
	sl_expr_t *e;
	int rc;

	*out = NULL;
	rc = comp(&c, ast, &e);
	if (rc != SL_OK) {
		/* states built for calls before the failure */
		for (sl_xdtor_t *d = c.dtors; d != NULL; d = d->next)
			d->fn(d->state);
		return rc;
	}
	e->dtors = c.dtors;
	*out = e;
	return SL_OK;
}

const sl_type_t *
sl_expr_type(const sl_expr_t *e)
{
	return e->type;
}

bool
sl_expr_is_constant(const sl_expr_t *e)
{
	return (e->flags & SL_XF_HASCOL) == 0;
}

void
sl_expr_destroy(sl_expr_t *e)
{
	if (e == NULL)
		return;
	for (sl_xdtor_t *d = e->dtors; d != NULL; d = d->next)
		d->fn(d->state);
	e->dtors = NULL;
}

int
sl_expr_constant_value(const sl_node_t *ast, const sl_func_registry_t *reg, sl_arena_t *a,
		       const sl_type_t **type, sl_value_t *out, sl_error_t *err)
{
	sl_expr_t *e;
	int rc = sl_expr_compile(ast, NULL, reg, a, &e, err);

	if (rc != SL_OK)
		return rc;
	if (!sl_expr_is_constant(e)) {
		sl_expr_destroy(e);
		return sl_error_at(err, SL_EINVAL, ast->loc, "expression is not constant");
	}
	rc = sl_expr_eval_constant(e, a, out, err);
	if (type != NULL)
		*type = e->type;
	sl_expr_destroy(e);
	return rc;
}
