/*
 * ast.c: AST allocation, comparison and debug dump (see ast.h).
 *
 * Stage: parse.  Nodes come from the statement arena; the children array
 * grows by doubling inside the same arena.
 */
#include "parse/ast.h"

#include <string.h>

sl_node_t *
sl_ast_new(sl_arena_t *a, sl_node_kind_t kind, int loc, int nkids)
{
	sl_node_t *n = sl_arena_calloc(a, sizeof(*n));

	n->kind = kind;
	n->loc = loc;
	n->str_loc = -1;
	n->depth = 1;
	n->nkids = nkids;
	n->capkids = nkids;
	if (nkids > 0)
		n->kids = sl_arena_calloc(a, sizeof(*n->kids) * (size_t)nkids);
	return n;
}

sl_node_t *
sl_ast_append(sl_arena_t *a, sl_node_t *n, sl_node_t *kid)
{
	if (n->nkids == n->capkids) {
		int cap = n->capkids ? n->capkids * 2 : 4;
		sl_node_t **kids = sl_arena_alloc(a, sizeof(*kids) * (size_t)cap);
		if (n->nkids > 0)
			memcpy(kids, n->kids, sizeof(*kids) * (size_t)n->nkids);
		n->kids = kids;
		n->capkids = cap;
	}
	n->kids[n->nkids++] = kid;
	if (kid != NULL && kid->depth + 1 > n->depth)
		n->depth = kid->depth + 1;
	return n;
}

sl_node_t *
sl_ast_copy(sl_arena_t *a, const sl_node_t *n)
{
	sl_node_t *c;

	if (n == NULL)
		return NULL;
	c = sl_ast_new(a, n->kind, n->loc, n->nkids);
	c->str_loc = n->str_loc;
	c->op = n->op;
	c->flags = n->flags;
	c->depth = n->depth;
	c->str = sl_arena_strdup(a, n->str);
	c->str2 = sl_arena_strdup(a, n->str2);
	for (int i = 0; i < n->nkids; i++)
		c->kids[i] = sl_ast_copy(a, n->kids[i]);
	return c;
}

static bool
str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

bool
sl_ast_equal(const sl_node_t *a, const sl_node_t *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->kind != b->kind || a->op != b->op ||
	    (a->flags & ~SL_F_COSMETIC) != (b->flags & ~SL_F_COSMETIC) ||
	    !str_equal(a->str, b->str) || !str_equal(a->str2, b->str2) ||
	    a->nkids != b->nkids)
		return false;
	for (int i = 0; i < a->nkids; i++)
		if (!sl_ast_equal(a->kids[i], b->kids[i]))
			return false;
	return true;
}

static const char *const kind_names[SL_N__COUNT] = {
	[SL_N_INVALID] = "INVALID",
	[SL_N_CREATE_SOURCE] = "CREATE_SOURCE",
	[SL_N_CREATE_AS] = "CREATE_AS",
	[SL_N_INSERT_SELECT] = "INSERT_SELECT",
	[SL_N_INSERT_VALUES] = "INSERT_VALUES",
	[SL_N_DROP] = "DROP",
	[SL_N_CREATE_TYPE] = "CREATE_TYPE",
	[SL_N_SHOW] = "SHOW",
	[SL_N_DESCRIBE] = "DESCRIBE",
	[SL_N_EXPLAIN] = "EXPLAIN",
	[SL_N_TERMINATE] = "TERMINATE",
	[SL_N_PAUSE] = "PAUSE",
	[SL_N_RESUME] = "RESUME",
	[SL_N_PRINT] = "PRINT",
	[SL_N_SET] = "SET",
	[SL_N_UNSET] = "UNSET",
	[SL_N_ALTER_SYSTEM] = "ALTER_SYSTEM",
	[SL_N_DEFINE] = "DEFINE",
	[SL_N_UNDEFINE] = "UNDEFINE",
	[SL_N_RUN_SCRIPT] = "RUN_SCRIPT",
	[SL_N_ALTER_SOURCE] = "ALTER_SOURCE",
	[SL_N_ASSERT_TOPIC] = "ASSERT_TOPIC",
	[SL_N_ASSERT_SCHEMA] = "ASSERT_SCHEMA",
	[SL_N_ASSERT_VALUES] = "ASSERT_VALUES",
	[SL_N_ASSERT_TOMBSTONE] = "ASSERT_TOMBSTONE",
	[SL_N_ASSERT_SOURCE] = "ASSERT_SOURCE",
	[SL_N_SELECT] = "SELECT",
	[SL_N_COLUMN_DEF] = "COLUMN_DEF",
	[SL_N_PROPERTY] = "PROPERTY",
	[SL_N_TYPE] = "TYPE",
	[SL_N_FIELD_TYPE] = "FIELD_TYPE",
	[SL_N_SELECT_ITEM] = "SELECT_ITEM",
	[SL_N_STAR] = "STAR",
	[SL_N_STRUCT_STAR] = "STRUCT_STAR",
	[SL_N_RELATION] = "RELATION",
	[SL_N_JOIN] = "JOIN",
	[SL_N_WITHIN] = "WITHIN",
	[SL_N_WINDOW] = "WINDOW",
	[SL_N_DURATION] = "DURATION",
	[SL_N_NAME] = "NAME",
	[SL_N_LIST] = "LIST",
	[SL_N_LITERAL] = "LITERAL",
	[SL_N_VARIABLE] = "VARIABLE",
	[SL_N_COLUMN] = "COLUMN",
	[SL_N_UNARY] = "UNARY",
	[SL_N_BINARY] = "BINARY",
	[SL_N_NOT] = "NOT",
	[SL_N_BETWEEN] = "BETWEEN",
	[SL_N_IN] = "IN",
	[SL_N_LIKE] = "LIKE",
	[SL_N_IS_NULL] = "IS_NULL",
	[SL_N_DISTINCT_FROM] = "DISTINCT_FROM",
	[SL_N_CASE] = "CASE",
	[SL_N_WHEN] = "WHEN",
	[SL_N_CAST] = "CAST",
	[SL_N_ARRAY] = "ARRAY",
	[SL_N_MAP] = "MAP",
	[SL_N_STRUCT] = "STRUCT",
	[SL_N_FIELD_VALUE] = "FIELD_VALUE",
	[SL_N_FUNC] = "FUNC",
	[SL_N_TIME_UNIT] = "TIME_UNIT",
	[SL_N_LAMBDA] = "LAMBDA",
	[SL_N_SUBSCRIPT] = "SUBSCRIPT",
	[SL_N_DEREF] = "DEREF",
	[SL_N_TYPED_LITERAL] = "TYPED_LITERAL",
	[SL_N_AT_TIME_ZONE] = "AT_TIME_ZONE",
	[SL_N_TUPLE] = "TUPLE",
};

const char *
sl_ast_kind_name(sl_node_kind_t kind)
{
	if ((int)kind < 0 || kind >= SL_N__COUNT || kind_names[kind] == NULL)
		return "?";
	return kind_names[kind];
}

void
sl_ast_dump(sl_strbuf_t *out, const sl_node_t *n)
{
	if (n == NULL) {
		sl_strbuf_puts(out, "nil");
		return;
	}
	sl_strbuf_printf(out, "(%s", sl_ast_kind_name(n->kind));
	if (n->op)
		sl_strbuf_printf(out, " op=%d", n->op);
	if (n->flags & ~SL_F_COSMETIC)
		sl_strbuf_printf(out, " flags=0x%x", n->flags & ~SL_F_COSMETIC);
	if (n->str) {
		sl_strbuf_puts(out, " ");
		sl_ast_print_string(out, n->str);
	}
	if (n->str2) {
		sl_strbuf_puts(out, " str2=");
		sl_ast_print_string(out, n->str2);
	}
	for (int i = 0; i < n->nkids; i++) {
		sl_strbuf_putc(out, ' ');
		sl_ast_dump(out, n->kids[i]);
	}
	sl_strbuf_putc(out, ')');
}
