/*
 * print.c: the AST printer: canonical SQL from a tree (see ast.h).
 *
 * Stage: parse.  Consumes any AST node; hands on SQL text that the parser
 * reads back into an equal tree.  Keywords are upper-case, names are quoted
 * only when they must be, parentheses appear only where precedence needs
 * them, and string literals double their quotes.
 */
#include "parse/ast.h"

#include <string.h>

#include "parse/lexer.h"

/* Operator precedence, loosest first, matching grammar/sql.y. */
enum {
	P_ANY = 0,
	P_OR,
	P_AND,
	P_NOT,
	P_CMP,     /* comparisons, BETWEEN, IN, LIKE, IS */
	P_CONCAT,
	P_ADD,
	P_MUL,
	P_UNARY,
	P_AT,
	P_POSTFIX, /* subscript, -> */
	P_PRIMARY,
};

static void print_node(sl_strbuf_t *out, const sl_node_t *n);
static void print_expr(sl_strbuf_t *out, const sl_node_t *n, int minprec);

static bool
plain_name(const char *s)
{
	if (!((s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return false;
	for (const char *p = s + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '@'))
			return false;
	return true;
}

static void
print_backquoted(sl_strbuf_t *out, const char *name)
{
	sl_strbuf_putc(out, '`');
	for (const char *p = name; *p; p++) {
		if (*p == '`')
			sl_strbuf_putc(out, '`');
		sl_strbuf_putc(out, *p);
	}
	sl_strbuf_putc(out, '`');
}

void
sl_ast_print_ident(sl_strbuf_t *out, const char *name)
{
	if (plain_name(name) && !sl_is_keyword(name, strlen(name)))
		sl_strbuf_puts(out, name);
	else
		print_backquoted(out, name);
}

/* A name in a position where non-reserved keywords read as names (column
 * references, function names, field names, names after AS). */
static void
print_ident_relaxed(sl_strbuf_t *out, const char *name)
{
	if (plain_name(name) && !sl_is_reserved(name, strlen(name)))
		sl_strbuf_puts(out, name);
	else
		print_backquoted(out, name);
}

void
sl_ast_print_string(sl_strbuf_t *out, const char *s)
{
	sl_strbuf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			sl_strbuf_putc(out, '\'');
		sl_strbuf_putc(out, *p);
	}
	sl_strbuf_putc(out, '\'');
}

static void
print_var(sl_strbuf_t *out, const char *name)
{
	sl_strbuf_printf(out, "${%s}", name);
}

/* str of n as a name (or ${variable}); relaxed picks the quoting rule. */
static void
print_str(sl_strbuf_t *out, const sl_node_t *n, bool relaxed)
{
	if (n->flags & SL_F_VAR)
		print_var(out, n->str);
	else if (relaxed)
		print_ident_relaxed(out, n->str);
	else
		sl_ast_print_ident(out, n->str);
}

static void
print_str2(sl_strbuf_t *out, const sl_node_t *n, bool relaxed)
{
	if (n->flags & SL_F_VAR2)
		print_var(out, n->str2);
	else if (relaxed)
		print_ident_relaxed(out, n->str2);
	else
		sl_ast_print_ident(out, n->str2);
}

/* A topic or subject name: string literals keep their form. */
static void
print_resname(sl_strbuf_t *out, const sl_node_t *n)
{
	if (n->flags & SL_F_QUOTED)
		sl_ast_print_string(out, n->str);
	else
		print_str(out, n, false);
}

static void
print_list(sl_strbuf_t *out, const sl_node_t *list, const char *sep)
{
	for (int i = 0; i < list->nkids; i++) {
		if (i > 0)
			sl_strbuf_puts(out, sep);
		print_node(out, list->kids[i]);
	}
}

static void
print_exprs(sl_strbuf_t *out, const sl_node_t *list)
{
	for (int i = 0; list != NULL && i < list->nkids; i++) {
		if (i > 0)
			sl_strbuf_puts(out, ", ");
		print_expr(out, list->kids[i], P_ANY);
	}
}

static void
print_with(sl_strbuf_t *out, const sl_node_t *props)
{
	if (props == NULL)
		return;
	sl_strbuf_puts(out, " WITH (");
	print_list(out, props, ", ");
	sl_strbuf_putc(out, ')');
}

static void
print_columns(sl_strbuf_t *out, const sl_node_t *cols)
{
	if (cols == NULL)
		return;
	sl_strbuf_puts(out, " (");
	print_list(out, cols, ", ");
	sl_strbuf_putc(out, ')');
}

static const char *
obj_word(int op)
{
	switch (op) {
	case SL_OBJ_STREAM: return "STREAM";
	case SL_OBJ_TABLE: return "TABLE";
	default: return "TYPE";
	}
}

static const char *
show_word(int op)
{
	switch (op) {
	case SL_SHOW_STREAMS: return "STREAMS";
	case SL_SHOW_TABLES: return "TABLES";
	case SL_SHOW_QUERIES: return "QUERIES";
	case SL_SHOW_TOPICS: return "TOPICS";
	case SL_SHOW_PROPERTIES: return "PROPERTIES";
	case SL_SHOW_FUNCTIONS: return "FUNCTIONS";
	case SL_SHOW_VARIABLES: return "VARIABLES";
	default: return "TYPES";
	}
}

static const char *
binop_word(int op)
{
	switch (op) {
	case SL_OP_ADD: return "+";
	case SL_OP_SUB: return "-";
	case SL_OP_MUL: return "*";
	case SL_OP_DIV: return "/";
	case SL_OP_MOD: return "%";
	case SL_OP_CONCAT: return "||";
	case SL_OP_EQ: return "=";
	case SL_OP_NE: return "<>";
	case SL_OP_LT: return "<";
	case SL_OP_LE: return "<=";
	case SL_OP_GT: return ">";
	case SL_OP_GE: return ">=";
	case SL_OP_AND: return "AND";
	default: return "OR";
	}
}

static int
binop_prec(int op)
{
	switch (op) {
	case SL_OP_OR: return P_OR;
	case SL_OP_AND: return P_AND;
	case SL_OP_CONCAT: return P_CONCAT;
	case SL_OP_ADD:
	case SL_OP_SUB: return P_ADD;
	case SL_OP_MUL:
	case SL_OP_DIV:
	case SL_OP_MOD: return P_MUL;
	default: return P_CMP;
	}
}

static int
expr_prec(const sl_node_t *n)
{
	switch (n->kind) {
	case SL_N_BINARY: return binop_prec(n->op);
	case SL_N_NOT: return P_NOT;
	case SL_N_BETWEEN:
	case SL_N_IN:
	case SL_N_LIKE:
	case SL_N_IS_NULL:
	case SL_N_DISTINCT_FROM: return P_CMP;
	case SL_N_UNARY: return P_UNARY;
	case SL_N_AT_TIME_ZONE: return P_AT;
	case SL_N_SUBSCRIPT:
	case SL_N_DEREF: return P_POSTFIX;
	case SL_N_LAMBDA: return P_ANY;
	default: return P_PRIMARY;
	}
}

static void
print_literal(sl_strbuf_t *out, const sl_node_t *n)
{
	if (n->op == SL_LIT_STRING)
		sl_ast_print_string(out, n->str);
	else
		sl_strbuf_puts(out, n->str);
}

static void
print_expr_inner(sl_strbuf_t *out, const sl_node_t *n)
{
	int p = expr_prec(n);

	switch (n->kind) {
	case SL_N_LITERAL:
		print_literal(out, n);
		break;
	case SL_N_VARIABLE:
		print_var(out, n->str);
		break;
	case SL_N_COLUMN:
		if (n->str2 != NULL) {
			print_str2(out, n, true);
			sl_strbuf_putc(out, '.');
		}
		print_str(out, n, true);
		break;
	case SL_N_UNARY: {
		const sl_node_t *e = n->kids[0];
		sl_strbuf_puts(out, n->op == SL_OP_NEG ? "-" : "+");
		/* "- -x" must not become the comment "--x" */
		if (e->kind == SL_N_UNARY) {
			sl_strbuf_putc(out, '(');
			print_expr(out, e, P_ANY);
			sl_strbuf_putc(out, ')');
		} else {
			print_expr(out, e, P_UNARY);
		}
		break;
	}
	case SL_N_BINARY:
		if (p == P_CMP) {
			print_expr(out, n->kids[0], P_CMP + 1);
			sl_strbuf_printf(out, " %s ", binop_word(n->op));
			print_expr(out, n->kids[1], P_CMP + 1);
		} else {
			print_expr(out, n->kids[0], p);
			sl_strbuf_printf(out, " %s ", binop_word(n->op));
			print_expr(out, n->kids[1], p + 1);
		}
		break;
	case SL_N_NOT:
		sl_strbuf_puts(out, "NOT ");
		print_expr(out, n->kids[0], P_NOT);
		break;
	case SL_N_BETWEEN:
		print_expr(out, n->kids[0], P_CMP + 1);
		sl_strbuf_puts(out, (n->flags & SL_F_NOT) ? " NOT BETWEEN " : " BETWEEN ");
		print_expr(out, n->kids[1], P_CMP + 1);
		sl_strbuf_puts(out, " AND ");
		print_expr(out, n->kids[2], P_CMP + 1);
		break;
	case SL_N_IN:
		print_expr(out, n->kids[0], P_CMP + 1);
		sl_strbuf_puts(out, (n->flags & SL_F_NOT) ? " NOT IN (" : " IN (");
		print_exprs(out, n->kids[1]);
		sl_strbuf_putc(out, ')');
		break;
	case SL_N_LIKE:
		print_expr(out, n->kids[0], P_CMP + 1);
		sl_strbuf_puts(out, (n->flags & SL_F_NOT) ? " NOT LIKE " : " LIKE ");
		print_expr(out, n->kids[1], P_CMP + 1);
		if (n->kids[2] != NULL) {
			sl_strbuf_puts(out, " ESCAPE ");
			print_literal(out, n->kids[2]);
		}
		break;
	case SL_N_IS_NULL:
		print_expr(out, n->kids[0], P_CMP + 1);
		sl_strbuf_puts(out, (n->flags & SL_F_NOT) ? " IS NOT NULL" : " IS NULL");
		break;
	case SL_N_DISTINCT_FROM:
		print_expr(out, n->kids[0], P_CMP + 1);
		sl_strbuf_puts(out, (n->flags & SL_F_NOT) ? " IS NOT DISTINCT FROM " :
			       " IS DISTINCT FROM ");
		print_expr(out, n->kids[1], P_CMP + 1);
		break;
	case SL_N_CASE:
		sl_strbuf_puts(out, "CASE");
		if (n->kids[0] != NULL) {
			sl_strbuf_putc(out, ' ');
			print_expr(out, n->kids[0], P_ANY);
		}
		for (int i = 0; i < n->kids[1]->nkids; i++) {
			const sl_node_t *w = n->kids[1]->kids[i];
			sl_strbuf_puts(out, " WHEN ");
			print_expr(out, w->kids[0], P_ANY);
			sl_strbuf_puts(out, " THEN ");
			print_expr(out, w->kids[1], P_ANY);
		}
		if (n->kids[2] != NULL) {
			sl_strbuf_puts(out, " ELSE ");
			print_expr(out, n->kids[2], P_ANY);
		}
		sl_strbuf_puts(out, " END");
		break;
	case SL_N_CAST:
		sl_strbuf_puts(out, "CAST(");
		print_expr(out, n->kids[0], P_ANY);
		sl_strbuf_puts(out, " AS ");
		print_node(out, n->kids[1]);
		sl_strbuf_putc(out, ')');
		break;
	case SL_N_ARRAY:
		sl_strbuf_puts(out, "ARRAY[");
		print_exprs(out, n);
		sl_strbuf_putc(out, ']');
		break;
	case SL_N_MAP:
		sl_strbuf_puts(out, "MAP(");
		for (int i = 0; i + 1 < n->nkids; i += 2) {
			if (i > 0)
				sl_strbuf_puts(out, ", ");
			print_expr(out, n->kids[i], P_ANY);
			sl_strbuf_puts(out, " := ");
			print_expr(out, n->kids[i + 1], P_ANY);
		}
		sl_strbuf_putc(out, ')');
		break;
	case SL_N_STRUCT:
		sl_strbuf_puts(out, "STRUCT(");
		for (int i = 0; i < n->nkids; i++) {
			const sl_node_t *f = n->kids[i];
			if (i > 0)
				sl_strbuf_puts(out, ", ");
			print_str(out, f, true);
			sl_strbuf_puts(out, " := ");
			print_expr(out, f->kids[0], P_ANY);
		}
		sl_strbuf_putc(out, ')');
		break;
	case SL_N_FUNC:
		print_str(out, n, true);
		sl_strbuf_putc(out, '(');
		if (n->flags & SL_F_STAR)
			sl_strbuf_putc(out, '*');
		if (n->flags & SL_F_DISTINCT)
			sl_strbuf_puts(out, "DISTINCT ");
		print_exprs(out, n);
		sl_strbuf_putc(out, ')');
		break;
	case SL_N_TIME_UNIT:
		sl_strbuf_puts(out, n->str);
		break;
	case SL_N_LAMBDA: {
		const sl_node_t *params = n->kids[0];
		if (params->nkids == 1) {
			print_str(out, params->kids[0], true);
		} else {
			sl_strbuf_putc(out, '(');
			for (int i = 0; i < params->nkids; i++) {
				if (i > 0)
					sl_strbuf_puts(out, ", ");
				print_str(out, params->kids[i], true);
			}
			sl_strbuf_putc(out, ')');
		}
		sl_strbuf_puts(out, " => ");
		print_expr(out, n->kids[1], P_ANY);
		break;
	}
	case SL_N_SUBSCRIPT:
		print_expr(out, n->kids[0], P_POSTFIX);
		sl_strbuf_putc(out, '[');
		print_expr(out, n->kids[1], P_ANY);
		sl_strbuf_putc(out, ']');
		break;
	case SL_N_DEREF:
		print_expr(out, n->kids[0], P_POSTFIX);
		sl_strbuf_puts(out, "->");
		print_str(out, n, true);
		break;
	case SL_N_TYPED_LITERAL:
		print_str(out, n, true);
		sl_strbuf_putc(out, ' ');
		sl_ast_print_string(out, n->str2);
		break;
	case SL_N_AT_TIME_ZONE:
		print_expr(out, n->kids[0], P_AT);
		sl_strbuf_puts(out, " AT TIME ZONE ");
		sl_ast_print_string(out, n->str);
		break;
	case SL_N_TUPLE:
		sl_strbuf_putc(out, '(');
		print_exprs(out, n);
		sl_strbuf_putc(out, ')');
		break;
	default:
		print_node(out, n);
		break;
	}
}

static void
print_expr(sl_strbuf_t *out, const sl_node_t *n, int minprec)
{
	if (n == NULL)
		return;
	if (expr_prec(n) < minprec) {
		sl_strbuf_putc(out, '(');
		print_expr_inner(out, n);
		sl_strbuf_putc(out, ')');
	} else {
		print_expr_inner(out, n);
	}
}

static const char *const base_type_words[] = {
	[SL_TYPE_BOOLEAN] = "BOOLEAN", [SL_TYPE_INT] = "INTEGER",
	[SL_TYPE_BIGINT] = "BIGINT",   [SL_TYPE_DOUBLE] = "DOUBLE",
	[SL_TYPE_STRING] = "STRING",   [SL_TYPE_BYTES] = "BYTES",
	[SL_TYPE_TIMESTAMP] = "TIMESTAMP", [SL_TYPE_DATE] = "DATE",
	[SL_TYPE_TIME] = "TIME",
};

static bool
is_base_type_name(const char *s)
{
	static const char *const names[] = {"BOOLEAN", "INT", "INTEGER", "BIGINT", "DOUBLE",
					    "STRING", "VARCHAR", "BYTES", "TIMESTAMP",
					    "DATE", "TIME"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return true;
	return false;
}

static void
print_type(sl_strbuf_t *out, const sl_node_t *n)
{
	switch (n->op) {
	case SL_TYPE_ARRAY:
		sl_strbuf_puts(out, "ARRAY<");
		print_type(out, n->kids[0]);
		sl_strbuf_putc(out, '>');
		break;
	case SL_TYPE_MAP:
		sl_strbuf_puts(out, "MAP<");
		print_type(out, n->kids[0]);
		sl_strbuf_puts(out, ", ");
		print_type(out, n->kids[1]);
		sl_strbuf_putc(out, '>');
		break;
	case SL_TYPE_STRUCT:
		sl_strbuf_puts(out, "STRUCT<");
		for (int i = 0; i < n->nkids; i++) {
			if (i > 0)
				sl_strbuf_puts(out, ", ");
			print_str(out, n->kids[i], true);
			sl_strbuf_putc(out, ' ');
			print_type(out, n->kids[i]->kids[0]);
		}
		sl_strbuf_putc(out, '>');
		break;
	case SL_TYPE_DECIMAL:
		sl_strbuf_printf(out, "DECIMAL(%s, %s)", n->str, n->str2);
		break;
	case SL_TYPE_NAMED:
		if (!(n->flags & SL_F_VAR) && is_base_type_name(n->str))
			print_backquoted(out, n->str); /* a user type spelled like INT */
		else
			print_str(out, n, true);
		break;
	default:
		if (n->op > 0 && n->op < (int)(sizeof(base_type_words) / sizeof(base_type_words[0])) &&
		    base_type_words[n->op] != NULL)
			sl_strbuf_puts(out, base_type_words[n->op]);
		break;
	}
}

static void
print_duration(sl_strbuf_t *out, const sl_node_t *d)
{
	sl_strbuf_printf(out, "%s %s", d->str, d->str2);
}

static void
print_window(sl_strbuf_t *out, const sl_node_t *w)
{
	sl_strbuf_puts(out, " WINDOW ");
	if (w->str != NULL) {
		print_str(out, w, false);
		sl_strbuf_putc(out, ' ');
	}
	switch (w->op) {
	case SL_WINDOW_TUMBLING:
		sl_strbuf_puts(out, "TUMBLING (SIZE ");
		print_duration(out, w->kids[0]);
		break;
	case SL_WINDOW_HOPPING:
		sl_strbuf_puts(out, "HOPPING (SIZE ");
		print_duration(out, w->kids[0]);
		sl_strbuf_puts(out, ", ADVANCE BY ");
		print_duration(out, w->kids[1]);
		break;
	default:
		sl_strbuf_puts(out, "SESSION (");
		print_duration(out, w->kids[0]);
		break;
	}
	if (w->kids[2] != NULL) {
		sl_strbuf_puts(out, ", RETENTION ");
		print_duration(out, w->kids[2]);
	}
	if (w->kids[3] != NULL) {
		sl_strbuf_puts(out, ", GRACE PERIOD ");
		print_duration(out, w->kids[3]);
	}
	sl_strbuf_putc(out, ')');
}

static void
print_from(sl_strbuf_t *out, const sl_node_t *f)
{
	if (f->kind == SL_N_RELATION) {
		print_str(out, f, false);
		if (f->str2 != NULL) {
			sl_strbuf_puts(out, " ");
			print_str2(out, f, false);
		}
		return;
	}
	/* JOIN */
	print_from(out, f->kids[0]);
	switch (f->op) {
	case SL_JOIN_LEFT: sl_strbuf_puts(out, " LEFT JOIN "); break;
	case SL_JOIN_RIGHT: sl_strbuf_puts(out, " RIGHT JOIN "); break;
	case SL_JOIN_FULL: sl_strbuf_puts(out, " FULL OUTER JOIN "); break;
	default: sl_strbuf_puts(out, " INNER JOIN "); break;
	}
	print_from(out, f->kids[1]);
	if (f->kids[2] != NULL) {
		const sl_node_t *w = f->kids[2];
		sl_strbuf_puts(out, " WITHIN ");
		if (w->kids[1] != NULL) {
			sl_strbuf_putc(out, '(');
			print_duration(out, w->kids[0]);
			sl_strbuf_puts(out, ", ");
			print_duration(out, w->kids[1]);
			sl_strbuf_putc(out, ')');
		} else {
			print_duration(out, w->kids[0]);
		}
		if (w->kids[2] != NULL) {
			sl_strbuf_puts(out, " GRACE PERIOD ");
			print_duration(out, w->kids[2]);
		}
	}
	sl_strbuf_puts(out, " ON ");
	print_expr(out, f->kids[3], P_ANY);
}

static void
print_select(sl_strbuf_t *out, const sl_node_t *q)
{
	sl_strbuf_puts(out, "SELECT ");
	print_list(out, q->kids[0], ", ");
	sl_strbuf_puts(out, " FROM ");
	print_from(out, q->kids[1]);
	if (q->kids[2] != NULL)
		print_window(out, q->kids[2]);
	if (q->kids[3] != NULL) {
		sl_strbuf_puts(out, " WHERE ");
		print_expr(out, q->kids[3], P_ANY);
	}
	if (q->kids[4] != NULL) {
		sl_strbuf_puts(out, " GROUP BY ");
		if (q->kids[4]->nkids == 0)
			sl_strbuf_puts(out, "()");
		print_exprs(out, q->kids[4]);
	}
	if (q->kids[5] != NULL) {
		sl_strbuf_puts(out, " PARTITION BY ");
		if (q->kids[5]->nkids == 0)
			sl_strbuf_puts(out, "()");
		print_exprs(out, q->kids[5]);
	}
	if (q->kids[6] != NULL) {
		sl_strbuf_puts(out, " HAVING ");
		print_expr(out, q->kids[6], P_ANY);
	}
	if (q->nkids > 8 && q->kids[8] != NULL) {
		sl_strbuf_puts(out, " ORDER BY ");
		for (int i = 0; i < q->kids[8]->nkids; i++) {
			const sl_node_t *it = q->kids[8]->kids[i];
			if (i > 0)
				sl_strbuf_puts(out, ", ");
			print_expr(out, it->kids[0], P_ANY);
			if (it->op == 1)
				sl_strbuf_puts(out, " DESC");
		}
	}
	if (q->op == SL_EMIT_CHANGES)
		sl_strbuf_puts(out, " EMIT CHANGES");
	else if (q->op == SL_EMIT_FINAL)
		sl_strbuf_puts(out, " EMIT FINAL");
	if (q->kids[7] != NULL) {
		sl_strbuf_puts(out, " LIMIT ");
		print_literal(out, q->kids[7]);
	}
	if (q->nkids > 9 && q->kids[9] != NULL) {
		sl_strbuf_puts(out, " OFFSET ");
		print_literal(out, q->kids[9]);
	}
}

static void
print_flags_create(sl_strbuf_t *out, const sl_node_t *n)
{
	sl_strbuf_puts(out, "CREATE ");
	if (n->flags & SL_F_OR_REPLACE)
		sl_strbuf_puts(out, "OR REPLACE ");
	if (n->flags & SL_F_SOURCE)
		sl_strbuf_puts(out, "SOURCE ");
	sl_strbuf_printf(out, "%s ", obj_word(n->op));
	if (n->flags & SL_F_IF_NOT_EXISTS)
		sl_strbuf_puts(out, "IF NOT EXISTS ");
	print_str(out, n, false);
}

/* A property or variable value given as a string literal or ${var}. */
static void
print_pvalue(sl_strbuf_t *out, const char *s, bool var)
{
	if (var)
		print_var(out, s);
	else
		sl_ast_print_string(out, s);
}

static void
print_node(sl_strbuf_t *out, const sl_node_t *n)
{
	if (n == NULL)
		return;
	switch (n->kind) {
	case SL_N_CREATE_SOURCE:
		print_flags_create(out, n);
		print_columns(out, n->kids[0]);
		print_with(out, n->kids[1]);
		break;
	case SL_N_CREATE_AS:
		print_flags_create(out, n);
		print_with(out, n->kids[0]);
		sl_strbuf_puts(out, " AS ");
		print_select(out, n->kids[1]);
		break;
	case SL_N_INSERT_SELECT:
		sl_strbuf_puts(out, "INSERT INTO ");
		print_str(out, n, false);
		print_with(out, n->kids[0]);
		sl_strbuf_putc(out, ' ');
		print_select(out, n->kids[1]);
		break;
	case SL_N_INSERT_VALUES:
	case SL_N_ASSERT_VALUES:
	case SL_N_ASSERT_TOMBSTONE:
		sl_strbuf_puts(out, n->kind == SL_N_INSERT_VALUES ? "INSERT INTO " :
			       n->kind == SL_N_ASSERT_VALUES ? "ASSERT VALUES " :
			       "ASSERT NULL VALUES ");
		print_str(out, n, false);
		print_columns(out, n->kids[0]);
		sl_strbuf_puts(out, n->kind == SL_N_ASSERT_TOMBSTONE ? " KEY (" : " VALUES (");
		print_exprs(out, n->kids[1]);
		sl_strbuf_putc(out, ')');
		break;
	case SL_N_DROP:
		sl_strbuf_printf(out, "DROP %s ", obj_word(n->op));
		if (n->flags & SL_F_IF_EXISTS)
			sl_strbuf_puts(out, "IF EXISTS ");
		print_str(out, n, false);
		if (n->flags & SL_F_DELETE_TOPIC)
			sl_strbuf_puts(out, " DELETE TOPIC");
		break;
	case SL_N_CREATE_TYPE:
		sl_strbuf_puts(out, "CREATE TYPE ");
		if (n->flags & SL_F_IF_NOT_EXISTS)
			sl_strbuf_puts(out, "IF NOT EXISTS ");
		print_str(out, n, false);
		sl_strbuf_puts(out, " AS ");
		print_type(out, n->kids[0]);
		break;
	case SL_N_SHOW:
		sl_strbuf_puts(out, "SHOW ");
		if (n->flags & SL_F_ALL)
			sl_strbuf_puts(out, "ALL ");
		sl_strbuf_puts(out, show_word(n->op));
		if (n->flags & SL_F_EXTENDED)
			sl_strbuf_puts(out, " EXTENDED");
		break;
	case SL_N_DESCRIBE:
		sl_strbuf_puts(out, "DESCRIBE ");
		switch (n->op) {
		case SL_DESC_STREAMS: sl_strbuf_puts(out, "STREAMS"); break;
		case SL_DESC_TABLES: sl_strbuf_puts(out, "TABLES"); break;
		case SL_DESC_FUNCTION:
			sl_strbuf_puts(out, "FUNCTION ");
			print_str(out, n, false);
			break;
		default: print_str(out, n, false); break;
		}
		if (n->flags & SL_F_EXTENDED)
			sl_strbuf_puts(out, " EXTENDED");
		break;
	case SL_N_EXPLAIN:
		sl_strbuf_puts(out, "EXPLAIN ");
		if (n->kids[0] != NULL)
			print_node(out, n->kids[0]);
		else
			print_str(out, n, false);
		break;
	case SL_N_TERMINATE:
	case SL_N_PAUSE:
	case SL_N_RESUME:
		sl_strbuf_puts(out, n->kind == SL_N_TERMINATE ? "TERMINATE " :
			       n->kind == SL_N_PAUSE ? "PAUSE " : "RESUME ");
		if (n->flags & SL_F_ALL)
			sl_strbuf_puts(out, "ALL");
		else
			print_str(out, n, false);
		break;
	case SL_N_PRINT:
		sl_strbuf_puts(out, "PRINT ");
		print_resname(out, n);
		if (n->flags & SL_F_FROM_BEGINNING)
			sl_strbuf_puts(out, " FROM BEGINNING");
		if (n->kids[0] != NULL) {
			sl_strbuf_puts(out, " INTERVAL ");
			print_literal(out, n->kids[0]);
		}
		if (n->kids[1] != NULL) {
			sl_strbuf_puts(out, " LIMIT ");
			print_literal(out, n->kids[1]);
		}
		break;
	case SL_N_SET:
	case SL_N_ALTER_SYSTEM:
		sl_strbuf_puts(out, n->kind == SL_N_SET ? "SET " : "ALTER SYSTEM ");
		print_pvalue(out, n->str, n->flags & SL_F_VAR);
		sl_strbuf_putc(out, '=');
		print_pvalue(out, n->str2, n->flags & SL_F_VAR2);
		break;
	case SL_N_UNSET:
		sl_strbuf_puts(out, "UNSET ");
		print_pvalue(out, n->str, n->flags & SL_F_VAR);
		break;
	case SL_N_DEFINE:
		sl_strbuf_puts(out, "DEFINE ");
		print_str(out, n, false);
		sl_strbuf_putc(out, '=');
		sl_ast_print_string(out, n->str2);
		break;
	case SL_N_UNDEFINE:
		sl_strbuf_puts(out, "UNDEFINE ");
		print_str(out, n, false);
		break;
	case SL_N_RUN_SCRIPT:
		sl_strbuf_puts(out, "RUN SCRIPT ");
		sl_ast_print_string(out, n->str);
		break;
	case SL_N_ALTER_SOURCE:
		sl_strbuf_printf(out, "ALTER %s ", obj_word(n->op));
		print_str(out, n, false);
		for (int i = 0; i < n->kids[0]->nkids; i++) {
			sl_strbuf_puts(out, i ? ", ADD COLUMN " : " ADD COLUMN ");
			print_node(out, n->kids[0]->kids[i]);
		}
		break;
	case SL_N_ASSERT_TOPIC:
		sl_strbuf_puts(out, (n->flags & SL_F_NOT_EXISTS) ? "ASSERT NOT EXISTS TOPIC " :
			       "ASSERT TOPIC ");
		print_resname(out, n);
		print_with(out, n->kids[0]);
		if (n->kids[1] != NULL) {
			sl_strbuf_puts(out, " TIMEOUT ");
			print_duration(out, n->kids[1]);
		}
		break;
	case SL_N_ASSERT_SCHEMA:
		sl_strbuf_puts(out, (n->flags & SL_F_NOT_EXISTS) ? "ASSERT NOT EXISTS SCHEMA" :
			       "ASSERT SCHEMA");
		if (n->str != NULL) {
			sl_strbuf_puts(out, " SUBJECT ");
			print_resname(out, n);
		}
		if (n->kids[0] != NULL) {
			sl_strbuf_puts(out, " ID ");
			print_node(out, n->kids[0]);
		}
		if (n->kids[1] != NULL) {
			sl_strbuf_puts(out, " TIMEOUT ");
			print_duration(out, n->kids[1]);
		}
		break;
	case SL_N_ASSERT_SOURCE:
		sl_strbuf_printf(out, "ASSERT %s ", obj_word(n->op));
		print_str(out, n, false);
		print_columns(out, n->kids[0]);
		print_with(out, n->kids[1]);
		break;
	case SL_N_SELECT:
		print_select(out, n);
		break;
	case SL_N_COLUMN_DEF:
		print_str(out, n, true);
		sl_strbuf_putc(out, ' ');
		print_type(out, n->kids[0]);
		switch (n->op) {
		case SL_CONS_KEY: sl_strbuf_puts(out, " KEY"); break;
		case SL_CONS_PRIMARY_KEY: sl_strbuf_puts(out, " PRIMARY KEY"); break;
		case SL_CONS_HEADERS: sl_strbuf_puts(out, " HEADERS"); break;
		case SL_CONS_HEADER:
			sl_strbuf_puts(out, " HEADER(");
			sl_ast_print_string(out, n->str2);
			sl_strbuf_putc(out, ')');
			break;
		default: break;
		}
		break;
	case SL_N_PROPERTY:
		if (n->flags & SL_F_QUOTED)
			sl_ast_print_string(out, n->str);
		else
			print_str(out, n, true);
		sl_strbuf_putc(out, '=');
		print_node(out, n->kids[0]);
		break;
	case SL_N_TYPE:
		print_type(out, n);
		break;
	case SL_N_FIELD_TYPE:
		print_str(out, n, true);
		sl_strbuf_putc(out, ' ');
		print_type(out, n->kids[0]);
		break;
	case SL_N_SELECT_ITEM:
		print_expr(out, n->kids[0], P_ANY);
		if (n->str != NULL) {
			sl_strbuf_puts(out, " AS ");
			print_str(out, n, true);
		}
		break;
	case SL_N_STAR:
		if (n->str != NULL) {
			print_str(out, n, true);
			sl_strbuf_putc(out, '.');
		}
		sl_strbuf_putc(out, '*');
		break;
	case SL_N_STRUCT_STAR:
		print_expr(out, n->kids[0], P_POSTFIX);
		sl_strbuf_puts(out, "->*");
		break;
	case SL_N_RELATION:
	case SL_N_JOIN:
		print_from(out, n);
		break;
	case SL_N_WINDOW:
		print_window(out, n);
		break;
	case SL_N_DURATION:
		print_duration(out, n);
		break;
	case SL_N_NAME:
		print_str(out, n, true);
		break;
	case SL_N_LIST:
		print_list(out, n, ", ");
		break;
	case SL_N_WITHIN:
	case SL_N_WHEN:
	case SL_N_FIELD_VALUE:
		/* only printed as part of their parents */
		break;
	default:
		print_expr(out, n, P_ANY);
		break;
	}
}

void
sl_ast_print(sl_strbuf_t *out, const sl_node_t *n)
{
	print_node(out, n);
}
