/*
 * check_parser.c: unit tests of the SQL parser (grammar/sql.y, parser.c).
 *
 * Layer: parse.  Parses statements and expressions of the ksqlDB dialect
 * and checks the trees node by node (kinds, ops, flags, strings, children,
 * locations): every statement kind of the AST table in ast.h, operator
 * precedence, identifier rules, error positions and messages, scripts
 * (sl_parse, sl_split) and the caret rendering of errors (errfmt).  Every
 * input is parsed from a heap copy of exactly its length, freed right after
 * parsing, so reading past the end or keeping pointers into the text is
 * caught by ASan.
 */
#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/ast.h"
#include "parse/errfmt.h"
#include "parse/parser.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

static sl_arena_t arena;

static void
setup(void)
{
	sl_arena_init(&arena, 0);
}

static void
teardown(void)
{
	sl_arena_destroy(&arena);
}

/* A heap copy of text without a terminating NUL. */
static char *
copy_text(const char *text, size_t len)
{
	char *p = malloc(len ? len : 1);
	memcpy(p, text, len);
	return p;
}

static const char *
dump(const sl_node_t *n)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_ast_dump(&sb, n);
	char *s = sl_arena_strdup(&arena, sb.data);
	sl_strbuf_free(&sb);
	return s;
}

/* Parses one statement, failing the test with the error when it does not
 * parse. */
static sl_node_t *
parse_at(const char *sql, int line)
{
	size_t len = strlen(sql);
	char *text = copy_text(sql, len);
	sl_error_t err;
	sl_node_t *n = NULL;
	sl_error_clear(&err);
	int rc = sl_parse_one(text, len, &arena, &n, &err);
	free(text);
	ck_assert_msg(rc == SL_OK, "line %d: \"%s\" failed: line %d:%d: %s", line, sql, err.line,
		      err.col, err.msg);
	ck_assert_msg(n != NULL, "line %d: \"%s\" gave no tree", line, sql);
	return n;
}
#define PARSE(sql) parse_at(sql, __LINE__)

static sl_node_t *
parse_expr_at(const char *sql, int line)
{
	size_t len = strlen(sql);
	char *text = copy_text(sql, len);
	sl_error_t err;
	sl_node_t *n = NULL;
	sl_error_clear(&err);
	int rc = sl_parse_expr(text, len, &arena, &n, &err);
	free(text);
	ck_assert_msg(rc == SL_OK,
		      "line %d: expression \"%s\" failed: line "
		      "%d:%d: %s",
		      line, sql, err.line, err.col, err.msg);
	ck_assert_ptr_nonnull(n);
	return n;
}
#define PARSE_EXPR(sql) parse_expr_at(sql, __LINE__)

/* Parses sql expecting a syntax error; returns the error. */
static sl_error_t
parse_fail_at(const char *sql, bool expr, int line)
{
	size_t len = strlen(sql);
	char *text = copy_text(sql, len);
	sl_error_t err;
	sl_node_t *n = NULL;
	sl_error_clear(&err);
	int rc = expr ? sl_parse_expr(text, len, &arena, &n, &err) :
			sl_parse_one(text, len, &arena, &n, &err);
	free(text);
	ck_assert_msg(rc == SL_ESYNTAX, "line %d: \"%s\" was accepted (%s)", line, sql,
		      rc == SL_OK ? dump(n) : "other error");
	ck_assert_int_eq(err.code, SL_ESYNTAX);
	ck_assert_msg(err.msg[0] != '\0', "line %d: empty message", line);
	return err;
}
#define PARSE_FAIL(sql) parse_fail_at(sql, false, __LINE__)
#define PARSE_EXPR_FAIL(sql) parse_fail_at(sql, true, __LINE__)

/* Checks the error position and that the message starts with prefix. */
#define ASSERT_ERROR(sql, off, ln, cl, prefix)                                         \
	do {                                                                           \
		sl_error_t e_ = PARSE_FAIL(sql);                                       \
		ck_assert_msg(e_.offset == (off) && e_.line == (ln) && e_.col == (cl), \
			      "\"%s\": expected error at %d (%d:%d), got %d "          \
			      "(%d:%d): %s",                                           \
			      sql, off, ln, cl, e_.offset, e_.line, e_.col, e_.msg);   \
		ck_assert_msg(strncmp(e_.msg, prefix, strlen(prefix)) == 0,            \
			      "\"%s\": message \"%s\" does not start with "            \
			      "\"%s\"",                                                \
			      sql, e_.msg, prefix);                                    \
	} while (0)

/* Checks one node's own fields; str/str2 NULL means "must be NULL". */
static void
check_node(const sl_node_t *n, sl_node_kind_t kind, int op, unsigned flags, const char *str,
	   const char *str2, int nkids, int line)
{
	ck_assert_msg(n != NULL, "line %d: node is NULL", line);
	ck_assert_msg(n->kind == kind, "line %d: kind %s, expected %s: %s", line,
		      sl_ast_kind_name(n->kind), sl_ast_kind_name(kind), dump(n));
	ck_assert_msg(n->op == op, "line %d: %s op %d, expected %d: %s", line,
		      sl_ast_kind_name(kind), n->op, op, dump(n));
	ck_assert_msg((n->flags & ~SL_F_COSMETIC) == flags,
		      "line %d: %s flags 0x%x, expected 0x%x: %s", line, sl_ast_kind_name(kind),
		      n->flags & ~SL_F_COSMETIC, flags, dump(n));
	if (str == NULL)
		ck_assert_msg(n->str == NULL,
			      "line %d: %s str \"%s\", expected "
			      "NULL",
			      line, sl_ast_kind_name(kind), n->str);
	else
		ck_assert_msg(n->str != NULL && strcmp(n->str, str) == 0,
			      "line %d: %s str \"%s\", expected \"%s\"", line,
			      sl_ast_kind_name(kind), n->str ? n->str : "(null)", str);
	if (str2 == NULL)
		ck_assert_msg(n->str2 == NULL,
			      "line %d: %s str2 \"%s\", expected "
			      "NULL",
			      line, sl_ast_kind_name(kind), n->str2);
	else
		ck_assert_msg(n->str2 != NULL && strcmp(n->str2, str2) == 0,
			      "line %d: %s str2 \"%s\", expected \"%s\"", line,
			      sl_ast_kind_name(kind), n->str2 ? n->str2 : "(null)", str2);
	ck_assert_msg(n->nkids == nkids,
		      "line %d: %s has %d children, expected "
		      "%d: %s",
		      line, sl_ast_kind_name(kind), n->nkids, nkids, dump(n));
}
#define NODE(n, kind, op, flags, str, str2, nkids) \
	check_node(n, SL_N_##kind, op, flags, str, str2, nkids, __LINE__)

#define KID(n, i) sl_ast_kid(n, i)

/* ---- a compact, fully parenthesized rendering of expressions ---- */

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

static void sx(sl_strbuf_t *sb, const sl_node_t *n);

static void
sx_list(sl_strbuf_t *sb, const sl_node_t *n)
{
	for (int i = 0; n != NULL && i < n->nkids; i++) {
		if (i > 0)
			sl_strbuf_puts(sb, ", ");
		sx(sb, n->kids[i]);
	}
}

/* Renders an expression with every operator application in parentheses,
 * independently of the printer under test. */
static void
sx(sl_strbuf_t *sb, const sl_node_t *n)
{
	const char *no = (n != NULL && (n->flags & SL_F_NOT)) ? "NOT " : "";
	if (n == NULL) {
		sl_strbuf_puts(sb, "nil");
		return;
	}
	switch (n->kind) {
	case SL_N_LITERAL:
		if (n->op == SL_LIT_STRING)
			sl_strbuf_printf(sb, "'%s'", n->str);
		else
			sl_strbuf_puts(sb, n->str);
		break;
	case SL_N_VARIABLE:
		sl_strbuf_printf(sb, "${%s}", n->str);
		break;
	case SL_N_COLUMN:
		if (n->str2)
			sl_strbuf_printf(sb, "%s.", n->str2);
		sl_strbuf_puts(sb, n->str);
		break;
	case SL_N_UNARY:
		sl_strbuf_puts(sb, n->op == SL_OP_NEG ? "(-" : "(+");
		sx(sb, n->kids[0]);
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_BINARY:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " %s ", op_text(n->op));
		sx(sb, n->kids[1]);
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_NOT:
		sl_strbuf_puts(sb, "(NOT ");
		sx(sb, n->kids[0]);
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_BETWEEN:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " %sBETWEEN ", no);
		sx(sb, n->kids[1]);
		sl_strbuf_puts(sb, " AND ");
		sx(sb, n->kids[2]);
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_IN:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " %sIN [", no);
		sx_list(sb, n->kids[1]);
		sl_strbuf_puts(sb, "])");
		break;
	case SL_N_LIKE:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " %sLIKE ", no);
		sx(sb, n->kids[1]);
		if (n->kids[2]) {
			sl_strbuf_puts(sb, " ESCAPE ");
			sx(sb, n->kids[2]);
		}
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_IS_NULL:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " IS %sNULL)", no);
		break;
	case SL_N_DISTINCT_FROM:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " IS %sDISTINCT FROM ", no);
		sx(sb, n->kids[1]);
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_CASE:
		sl_strbuf_puts(sb, "CASE");
		if (n->kids[0]) {
			sl_strbuf_putc(sb, ' ');
			sx(sb, n->kids[0]);
		}
		for (int i = 0; n->kids[1] && i < n->kids[1]->nkids; i++) {
			const sl_node_t *w = n->kids[1]->kids[i];
			ck_assert_int_eq(w->kind, SL_N_WHEN);
			sl_strbuf_puts(sb, " WHEN ");
			sx(sb, w->kids[0]);
			sl_strbuf_puts(sb, " THEN ");
			sx(sb, w->kids[1]);
		}
		if (n->kids[2]) {
			sl_strbuf_puts(sb, " ELSE ");
			sx(sb, n->kids[2]);
		}
		sl_strbuf_puts(sb, " END");
		break;
	case SL_N_FUNC:
		sl_strbuf_printf(sb, "%s(%s%s", n->str, (n->flags & SL_F_STAR) ? "*" : "",
				 (n->flags & SL_F_DISTINCT) ? "DISTINCT " : "");
		sx_list(sb, n);
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_TIME_UNIT:
		sl_strbuf_printf(sb, "unit:%s", n->str);
		break;
	case SL_N_LAMBDA:
		sl_strbuf_puts(sb, "(\\");
		for (int i = 0; i < n->kids[0]->nkids; i++) {
			ck_assert_int_eq(n->kids[0]->kids[i]->kind, SL_N_NAME);
			sl_strbuf_printf(sb, "%s%s", i ? "," : "", n->kids[0]->kids[i]->str);
		}
		sl_strbuf_puts(sb, " => ");
		sx(sb, n->kids[1]);
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_SUBSCRIPT:
		sx(sb, n->kids[0]);
		sl_strbuf_putc(sb, '[');
		sx(sb, n->kids[1]);
		sl_strbuf_putc(sb, ']');
		break;
	case SL_N_DEREF:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, "->%s)", n->str);
		break;
	case SL_N_ARRAY:
		sl_strbuf_puts(sb, "ARRAY[");
		sx_list(sb, n);
		sl_strbuf_putc(sb, ']');
		break;
	case SL_N_MAP:
		sl_strbuf_puts(sb, "MAP(");
		for (int i = 0; i < n->nkids; i += 2) {
			if (i > 0)
				sl_strbuf_puts(sb, ", ");
			sx(sb, n->kids[i]);
			sl_strbuf_puts(sb, ":=");
			sx(sb, n->kids[i + 1]);
		}
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_STRUCT:
		sl_strbuf_puts(sb, "STRUCT(");
		for (int i = 0; i < n->nkids; i++) {
			ck_assert_int_eq(n->kids[i]->kind, SL_N_FIELD_VALUE);
			sl_strbuf_printf(sb, "%s%s:=", i ? ", " : "", n->kids[i]->str);
			sx(sb, n->kids[i]->kids[0]);
		}
		sl_strbuf_putc(sb, ')');
		break;
	case SL_N_CAST:
		sl_strbuf_puts(sb, "CAST(");
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " AS %s)", dump(n->kids[1]));
		break;
	case SL_N_TYPED_LITERAL:
		sl_strbuf_printf(sb, "%s'%s'", n->str, n->str2);
		break;
	case SL_N_AT_TIME_ZONE:
		sl_strbuf_putc(sb, '(');
		sx(sb, n->kids[0]);
		sl_strbuf_printf(sb, " AT TIME ZONE '%s')", n->str);
		break;
	default:
		sl_strbuf_puts(sb, dump(n));
		break;
	}
}

static const char *
sexpr(const sl_node_t *n)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sx(&sb, n);
	char *s = sl_arena_strdup(&arena, sb.data);
	sl_strbuf_free(&sb);
	return s;
}

/* Parses sql as an expression and compares its rendering. */
#define EXPR(sql, expected)                                                                    \
	do {                                                                                   \
		const char *got_ = sexpr(PARSE_EXPR(sql));                                     \
		ck_assert_msg(strcmp(got_, expected) == 0, "\"%s\": expected %s, got %s", sql, \
			      expected, got_);                                                 \
	} while (0)

/* ======================================================== statements */

START_TEST(test_create_stream)
{
	sl_node_t *n = PARSE("CREATE STREAM pageviews (id INT KEY, v STRING) "
			     "WITH (kafka_topic='pv', value_format='JSON');");
	NODE(n, CREATE_SOURCE, SL_OBJ_STREAM, 0, "PAGEVIEWS", NULL, 2);
	ck_assert_int_eq(n->loc, 0);
	ck_assert_int_eq(n->str_loc, 14);
	const sl_node_t *cols = KID(n, 0);
	NODE(cols, LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(cols, 0), COLUMN_DEF, SL_CONS_KEY, 0, "ID", NULL, 1);
	NODE(KID(KID(cols, 0), 0), TYPE, SL_TYPE_INT, 0, NULL, NULL, 0);
	NODE(KID(cols, 1), COLUMN_DEF, SL_CONS_NONE, 0, "V", NULL, 1);
	NODE(KID(KID(cols, 1), 0), TYPE, SL_TYPE_STRING, 0, NULL, NULL, 0);
	const sl_node_t *props = KID(n, 1);
	NODE(props, LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(props, 0), PROPERTY, 0, 0, "KAFKA_TOPIC", NULL, 1);
	NODE(KID(KID(props, 0), 0), LITERAL, SL_LIT_STRING, 0, "pv", NULL, 0);
	NODE(KID(props, 1), PROPERTY, 0, 0, "VALUE_FORMAT", NULL, 1);
	NODE(KID(KID(props, 1), 0), LITERAL, SL_LIT_STRING, 0, "JSON", NULL, 0);
}
END_TEST

START_TEST(test_create_table_flags)
{
	sl_node_t *n = PARSE("create or replace source table if not exists "
			     "users (uid string primary key, age int) "
			     "with (kafka_topic='u', format='json', partitions=4)");
	NODE(n, CREATE_SOURCE, SL_OBJ_TABLE, SL_F_OR_REPLACE | SL_F_SOURCE | SL_F_IF_NOT_EXISTS,
	     "USERS", NULL, 2);
	NODE(KID(KID(n, 0), 0), COLUMN_DEF, SL_CONS_PRIMARY_KEY, 0, "UID", NULL, 1);
	NODE(KID(KID(n, 0), 1), COLUMN_DEF, SL_CONS_NONE, 0, "AGE", NULL, 1);
	const sl_node_t *p = KID(KID(n, 1), 2);
	NODE(p, PROPERTY, 0, 0, "PARTITIONS", NULL, 1);
	NODE(KID(p, 0), LITERAL, SL_LIT_INTEGER, 0, "4", NULL, 0);

	/* each flag alone */
	n = PARSE("CREATE OR REPLACE STREAM s (a INT) WITH (kafka_topic='t')");
	NODE(n, CREATE_SOURCE, SL_OBJ_STREAM, SL_F_OR_REPLACE, "S", NULL, 2);
	n = PARSE("CREATE SOURCE STREAM s (a INT) WITH (kafka_topic='t')");
	NODE(n, CREATE_SOURCE, SL_OBJ_STREAM, SL_F_SOURCE, "S", NULL, 2);
	n = PARSE("CREATE TABLE IF NOT EXISTS s (a INT PRIMARY KEY) WITH (kafka_topic='t')");
	NODE(n, CREATE_SOURCE, SL_OBJ_TABLE, SL_F_IF_NOT_EXISTS, "S", NULL, 2);
}
END_TEST

START_TEST(test_create_source_optional_parts)
{
	/* no column list (schema from the registry) */
	sl_node_t *n = PARSE("CREATE STREAM s WITH (kafka_topic='t', value_format='AVRO')");
	NODE(n, CREATE_SOURCE, SL_OBJ_STREAM, 0, "S", NULL, 2);
	ck_assert_ptr_null(KID(n, 0));
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 2);
	/* no WITH */
	n = PARSE("CREATE TABLE t (k INT PRIMARY KEY)");
	NODE(n, CREATE_SOURCE, SL_OBJ_TABLE, 0, "T", NULL, 2);
	NODE(KID(n, 0), LIST, 0, 0, NULL, NULL, 1);
	ck_assert_ptr_null(KID(n, 1));
	/* property values of every literal kind, names as strings */
	n = PARSE("CREATE STREAM s (a INT) WITH (partitions=-1, replicas=1.5, "
		  "wrap_single_value=false, 'value_delimiter'='|', timestamp=${ts})");
	const sl_node_t *props = KID(n, 1);
	NODE(KID(KID(props, 0), 0), LITERAL, SL_LIT_INTEGER, 0, "-1", NULL, 0);
	NODE(KID(KID(props, 1), 0), LITERAL, SL_LIT_DECIMAL, 0, "1.5", NULL, 0);
	NODE(KID(KID(props, 2), 0), LITERAL, SL_LIT_BOOLEAN, 0, "FALSE", NULL, 0);
	/* a property name is upper-cased however it is written */
	ck_assert_int_eq(KID(props, 3)->kind, SL_N_PROPERTY);
	ck_assert_str_eq(KID(props, 3)->str, "VALUE_DELIMITER");
	NODE(KID(KID(props, 3), 0), LITERAL, SL_LIT_STRING, 0, "|", NULL, 0);
	NODE(KID(KID(props, 4), 0), VARIABLE, 0, 0, "TS", NULL, 0);
}
END_TEST

START_TEST(test_column_constraints_and_headers)
{
	sl_node_t *n = PARSE("CREATE STREAM s (k STRING KEY, "
			     "hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, "
			     "h BYTES HEADER('trace-id'), v INT) "
			     "WITH (kafka_topic='t', format='json')");
	const sl_node_t *cols = KID(n, 0);
	NODE(cols, LIST, 0, 0, NULL, NULL, 4);
	NODE(KID(cols, 0), COLUMN_DEF, SL_CONS_KEY, 0, "K", NULL, 1);
	NODE(KID(cols, 1), COLUMN_DEF, SL_CONS_HEADERS, 0, "HS", NULL, 1);
	const sl_node_t *t = KID(KID(cols, 1), 0);
	NODE(t, TYPE, SL_TYPE_ARRAY, 0, NULL, NULL, 1);
	NODE(KID(t, 0), TYPE, SL_TYPE_STRUCT, 0, NULL, NULL, 2);
	NODE(KID(KID(t, 0), 0), FIELD_TYPE, 0, 0, "KEY", NULL, 1);
	NODE(KID(KID(t, 0), 1), FIELD_TYPE, 0, 0, "VALUE", NULL, 1);
	NODE(KID(cols, 2), COLUMN_DEF, SL_CONS_HEADER, 0, "H", "trace-id", 1);
	NODE(KID(cols, 3), COLUMN_DEF, SL_CONS_NONE, 0, "V", NULL, 1);
}
END_TEST

START_TEST(test_types)
{
	static const struct {
		const char *text;
		int op;
	} base[] = {
		{ "BOOLEAN", SL_TYPE_BOOLEAN },     { "INT", SL_TYPE_INT },
		{ "INTEGER", SL_TYPE_INT },         { "bigint", SL_TYPE_BIGINT },
		{ "Double", SL_TYPE_DOUBLE },       { "STRING", SL_TYPE_STRING },
		{ "varchar", SL_TYPE_STRING },      { "BYTES", SL_TYPE_BYTES },
		{ "TIMESTAMP", SL_TYPE_TIMESTAMP }, { "date", SL_TYPE_DATE },
		{ "TIME", SL_TYPE_TIME },
	};
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "CREATE STREAM s (c %s)", base[i].text);
		sl_node_t *n = PARSE(sql);
		NODE(KID(KID(KID(n, 0), 0), 0), TYPE, base[i].op, 0, NULL, NULL, 0);
	}
	sl_node_t *n = PARSE("CREATE STREAM s (a DECIMAL(10, 2), b ARRAY<INT>, "
			     "c MAP<STRING, ARRAY<DOUBLE>>, d STRUCT<x INT, `y` STRING>, "
			     "e STRUCT<>, f address, g `Addr`, h STRUCT< >)");
	const sl_node_t *cols = KID(n, 0);
	NODE(KID(KID(cols, 0), 0), TYPE, SL_TYPE_DECIMAL, 0, "10", "2", 0);
	NODE(KID(KID(cols, 1), 0), TYPE, SL_TYPE_ARRAY, 0, NULL, NULL, 1);
	NODE(KID(KID(KID(cols, 1), 0), 0), TYPE, SL_TYPE_INT, 0, NULL, NULL, 0);
	const sl_node_t *m = KID(KID(cols, 2), 0);
	NODE(m, TYPE, SL_TYPE_MAP, 0, NULL, NULL, 2);
	NODE(KID(m, 0), TYPE, SL_TYPE_STRING, 0, NULL, NULL, 0);
	NODE(KID(m, 1), TYPE, SL_TYPE_ARRAY, 0, NULL, NULL, 1);
	NODE(KID(KID(m, 1), 0), TYPE, SL_TYPE_DOUBLE, 0, NULL, NULL, 0);
	const sl_node_t *s = KID(KID(cols, 3), 0);
	NODE(s, TYPE, SL_TYPE_STRUCT, 0, NULL, NULL, 2);
	NODE(KID(s, 0), FIELD_TYPE, 0, 0, "X", NULL, 1);
	NODE(KID(s, 1), FIELD_TYPE, 0, 0, "y", NULL, 1);
	NODE(KID(KID(s, 1), 0), TYPE, SL_TYPE_STRING, 0, NULL, NULL, 0);
	NODE(KID(KID(cols, 4), 0), TYPE, SL_TYPE_STRUCT, 0, NULL, NULL, 0);
	NODE(KID(KID(cols, 5), 0), TYPE, SL_TYPE_NAMED, 0, "ADDRESS", NULL, 0);
	NODE(KID(KID(cols, 6), 0), TYPE, SL_TYPE_NAMED, 0, "Addr", NULL, 0);
	NODE(KID(KID(cols, 7), 0), TYPE, SL_TYPE_STRUCT, 0, NULL, NULL, 0);
	/* nested closing brackets written together */
	n = PARSE("CREATE STREAM s (a ARRAY<ARRAY<INT>>, b MAP<STRING,MAP<STRING,INT>>)");
	NODE(KID(KID(KID(KID(n, 0), 0), 0), 0), TYPE, SL_TYPE_ARRAY, 0, NULL, NULL, 1);
	/* a decimal needs precision and scale */
	PARSE_FAIL("CREATE STREAM s (a DECIMAL)");
	PARSE_FAIL("CREATE STREAM s (a DECIMAL(10))");
	PARSE_FAIL("CREATE STREAM s (a ARRAY<>)");
	PARSE_FAIL("CREATE STREAM s (a MAP<INT>)");
}
END_TEST

START_TEST(test_create_as)
{
	sl_node_t *n = PARSE("CREATE TABLE agg WITH (kafka_topic='agg', partitions=2) AS "
			     "SELECT k, COUNT(*) AS n FROM s GROUP BY k EMIT CHANGES;");
	NODE(n, CREATE_AS, SL_OBJ_TABLE, 0, "AGG", NULL, 2);
	NODE(KID(n, 0), LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(KID(n, 0), 1), PROPERTY, 0, 0, "PARTITIONS", NULL, 1);
	const sl_node_t *q = KID(n, 1);
	NODE(q, SELECT, SL_EMIT_CHANGES, 0, NULL, NULL, 10);
	NODE(KID(KID(q, 0), 1), SELECT_ITEM, 0, 0, "N", NULL, 1);
	NODE(KID(KID(KID(q, 0), 1), 0), FUNC, 0, SL_F_STAR, "COUNT", NULL, 0);

	n = PARSE("CREATE OR REPLACE STREAM IF NOT EXISTS s2 AS SELECT * FROM s");
	NODE(n, CREATE_AS, SL_OBJ_STREAM, SL_F_OR_REPLACE | SL_F_IF_NOT_EXISTS, "S2", NULL, 2);
	ck_assert_ptr_null(KID(n, 0));
	NODE(KID(n, 1), SELECT, SL_EMIT_NONE, 0, NULL, NULL, 10);
	/* SOURCE and a column list are not allowed with AS SELECT */
	PARSE_FAIL("CREATE SOURCE STREAM s AS SELECT * FROM t");
	PARSE_FAIL("CREATE STREAM s (a INT) AS SELECT * FROM t");
}
END_TEST

START_TEST(test_insert)
{
	sl_node_t *n = PARSE("INSERT INTO sink SELECT * FROM src EMIT CHANGES;");
	NODE(n, INSERT_SELECT, 0, 0, "SINK", NULL, 2);
	ck_assert_ptr_null(KID(n, 0));
	NODE(KID(n, 1), SELECT, SL_EMIT_CHANGES, 0, NULL, NULL, 10);
	n = PARSE("INSERT INTO sink WITH (query_id='q1') SELECT a FROM src");
	NODE(n, INSERT_SELECT, 0, 0, "SINK", NULL, 2);
	NODE(KID(KID(n, 0), 0), PROPERTY, 0, 0, "QUERY_ID", NULL, 1);

	n = PARSE("INSERT INTO s (a, `B`, rowtime) VALUES (1, 'x''y', NULL)");
	NODE(n, INSERT_VALUES, 0, 0, "S", NULL, 2);
	const sl_node_t *cols = KID(n, 0);
	NODE(cols, LIST, 0, 0, NULL, NULL, 3);
	NODE(KID(cols, 0), NAME, 0, 0, "A", NULL, 0);
	NODE(KID(cols, 1), NAME, 0, 0, "B", NULL, 0);
	NODE(KID(cols, 2), NAME, 0, 0, "ROWTIME", NULL, 0);
	const sl_node_t *vals = KID(n, 1);
	NODE(vals, LIST, 0, 0, NULL, NULL, 3);
	NODE(KID(vals, 0), LITERAL, SL_LIT_INTEGER, 0, "1", NULL, 0);
	NODE(KID(vals, 1), LITERAL, SL_LIT_STRING, 0, "x'y", NULL, 0);
	NODE(KID(vals, 2), LITERAL, SL_LIT_NULL, 0, "NULL", NULL, 0);

	n = PARSE("INSERT INTO s VALUES (1 + 2, ARRAY[1], -3)");
	ck_assert_ptr_null(KID(n, 0));
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 3);
	NODE(KID(KID(n, 1), 2), UNARY, SL_OP_NEG, 0, NULL, NULL, 1);
	n = PARSE("INSERT INTO s VALUES ()");
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 0);
	PARSE_FAIL("INSERT INTO s (a) VALUES");
	PARSE_FAIL("INSERT INTO s () VALUES (1)");
}
END_TEST

START_TEST(test_drop)
{
	sl_node_t *n = PARSE("DROP STREAM s");
	NODE(n, DROP, SL_OBJ_STREAM, 0, "S", NULL, 0);
	n = PARSE("DROP TABLE IF EXISTS t DELETE TOPIC;");
	NODE(n, DROP, SL_OBJ_TABLE, SL_F_IF_EXISTS | SL_F_DELETE_TOPIC, "T", NULL, 0);
	n = PARSE("DROP STREAM s DELETE TOPIC");
	NODE(n, DROP, SL_OBJ_STREAM, SL_F_DELETE_TOPIC, "S", NULL, 0);
	n = PARSE("DROP TYPE IF EXISTS address");
	NODE(n, DROP, SL_OBJ_TYPE, SL_F_IF_EXISTS, "ADDRESS", NULL, 0);
	PARSE_FAIL("DROP TYPE address DELETE TOPIC");
	PARSE_FAIL("DROP STREAM");
	PARSE_FAIL("DROP s");
}
END_TEST

START_TEST(test_create_type)
{
	sl_node_t *n = PARSE("CREATE TYPE address AS STRUCT<street STRING, zip INT>");
	NODE(n, CREATE_TYPE, 0, 0, "ADDRESS", NULL, 1);
	NODE(KID(n, 0), TYPE, SL_TYPE_STRUCT, 0, NULL, NULL, 2);
	n = PARSE("CREATE TYPE IF NOT EXISTS ids AS ARRAY<BIGINT>");
	NODE(n, CREATE_TYPE, 0, SL_F_IF_NOT_EXISTS, "IDS", NULL, 1);
	NODE(KID(n, 0), TYPE, SL_TYPE_ARRAY, 0, NULL, NULL, 1);
	ASSERT_ERROR("CREATE OR REPLACE TYPE t AS INT", 0, 1, 1,
		     "CREATE OR REPLACE is not allowed for types");
}
END_TEST

START_TEST(test_show)
{
	static const struct {
		const char *word;
		int op;
	} kinds[] = {
		{ "STREAMS", SL_SHOW_STREAMS },       { "TABLES", SL_SHOW_TABLES },
		{ "QUERIES", SL_SHOW_QUERIES },       { "TOPICS", SL_SHOW_TOPICS },
		{ "PROPERTIES", SL_SHOW_PROPERTIES }, { "FUNCTIONS", SL_SHOW_FUNCTIONS },
		{ "VARIABLES", SL_SHOW_VARIABLES },   { "TYPES", SL_SHOW_TYPES },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "SHOW %s", kinds[i].word);
		NODE(PARSE(sql), SHOW, kinds[i].op, 0, NULL, NULL, 0);
		snprintf(sql, sizeof(sql), "list %s;", kinds[i].word);
		NODE(PARSE(sql), SHOW, kinds[i].op, 0, NULL, NULL, 0);
	}
	NODE(PARSE("SHOW STREAMS EXTENDED"), SHOW, SL_SHOW_STREAMS, SL_F_EXTENDED, NULL, NULL, 0);
	NODE(PARSE("SHOW QUERIES EXTENDED"), SHOW, SL_SHOW_QUERIES, SL_F_EXTENDED, NULL, NULL, 0);
	NODE(PARSE("SHOW ALL TOPICS"), SHOW, SL_SHOW_TOPICS, SL_F_ALL, NULL, NULL, 0);
	NODE(PARSE("LIST ALL TOPICS EXTENDED"), SHOW, SL_SHOW_TOPICS, SL_F_ALL | SL_F_EXTENDED,
	     NULL, NULL, 0);
	PARSE_FAIL("SHOW");
	PARSE_FAIL("SHOW ALL STREAMS");
	PARSE_FAIL("SHOW STREAM");
}
END_TEST

START_TEST(test_describe)
{
	NODE(PARSE("DESCRIBE pageviews"), DESCRIBE, SL_DESC_SOURCE, 0, "PAGEVIEWS", NULL, 0);
	NODE(PARSE("DESCRIBE `PageViews` EXTENDED"), DESCRIBE, SL_DESC_SOURCE, SL_F_EXTENDED,
	     "PageViews", NULL, 0);
	NODE(PARSE("DESCRIBE STREAMS"), DESCRIBE, SL_DESC_STREAMS, 0, NULL, NULL, 0);
	NODE(PARSE("DESCRIBE STREAMS EXTENDED"), DESCRIBE, SL_DESC_STREAMS, SL_F_EXTENDED, NULL,
	     NULL, 0);
	NODE(PARSE("DESCRIBE TABLES"), DESCRIBE, SL_DESC_TABLES, 0, NULL, NULL, 0);
	NODE(PARSE("DESCRIBE FUNCTION substring"), DESCRIBE, SL_DESC_FUNCTION, 0, "SUBSTRING", NULL,
	     0);
	PARSE_FAIL("DESCRIBE");
	PARSE_FAIL("DESCRIBE FUNCTION substring EXTENDED");
}
END_TEST

START_TEST(test_explain)
{
	sl_node_t *n = PARSE("EXPLAIN CSAS_PAGEVIEWS_0");
	NODE(n, EXPLAIN, 0, 0, "CSAS_PAGEVIEWS_0", NULL, 1);
	ck_assert_ptr_null(KID(n, 0));
	n = PARSE("EXPLAIN SELECT * FROM s EMIT CHANGES;");
	NODE(n, EXPLAIN, 0, 0, NULL, NULL, 1);
	NODE(KID(n, 0), SELECT, SL_EMIT_CHANGES, 0, NULL, NULL, 10);
	n = PARSE("EXPLAIN CREATE STREAM s2 AS SELECT * FROM s");
	NODE(KID(n, 0), CREATE_AS, SL_OBJ_STREAM, 0, "S2", NULL, 2);
}
END_TEST

START_TEST(test_query_control)
{
	sl_node_t *n = PARSE("TERMINATE CSAS_X_1");
	NODE(n, TERMINATE, 0, 0, "CSAS_X_1", NULL, 0);
	NODE(PARSE("terminate all"), TERMINATE, 0, SL_F_ALL, NULL, NULL, 0);
	NODE(PARSE("PAUSE q1"), PAUSE, 0, 0, "Q1", NULL, 0);
	NODE(PARSE("PAUSE ALL"), PAUSE, 0, SL_F_ALL, NULL, NULL, 0);
	NODE(PARSE("RESUME `q1`"), RESUME, 0, 0, "q1", NULL, 0);
	NODE(PARSE("RESUME ALL;"), RESUME, 0, SL_F_ALL, NULL, NULL, 0);
	PARSE_FAIL("TERMINATE");
	PARSE_FAIL("TERMINATE a b");
}
END_TEST

START_TEST(test_print)
{
	sl_node_t *n = PARSE("PRINT 'my-topic' FROM BEGINNING INTERVAL 2 LIMIT 10;");
	NODE(n, PRINT, 0, SL_F_QUOTED | SL_F_FROM_BEGINNING, "my-topic", NULL, 2);
	NODE(KID(n, 0), LITERAL, SL_LIT_INTEGER, 0, "2", NULL, 0);
	NODE(KID(n, 1), LITERAL, SL_LIT_INTEGER, 0, "10", NULL, 0);
	n = PARSE("PRINT pageviews");
	NODE(n, PRINT, 0, 0, "PAGEVIEWS", NULL, 2);
	ck_assert_ptr_null(KID(n, 0));
	ck_assert_ptr_null(KID(n, 1));
	n = PARSE("PRINT `pageviews` SAMPLE 3");
	NODE(n, PRINT, 0, 0, "pageviews", NULL, 2);
	NODE(KID(n, 0), LITERAL, SL_LIT_INTEGER, 0, "3", NULL, 0);
	n = PARSE("PRINT t LIMIT 1");
	ck_assert_ptr_null(KID(n, 0));
	NODE(KID(n, 1), LITERAL, SL_LIT_INTEGER, 0, "1", NULL, 0);
	PARSE_FAIL("PRINT");
	PARSE_FAIL("PRINT t LIMIT 'x'");
	PARSE_FAIL("PRINT t LIMIT 1 FROM BEGINNING");
}
END_TEST

START_TEST(test_properties_and_variables)
{
	sl_node_t *n = PARSE("SET 'auto.offset.reset'='earliest';");
	NODE(n, SET, 0, SL_F_QUOTED, "auto.offset.reset", "earliest", 0);
	n = PARSE("SET ${prop} = ${val}");
	NODE(n, SET, 0, SL_F_VAR | SL_F_VAR2, "PROP", "VAL", 0);
	n = PARSE("UNSET 'auto.offset.reset'");
	NODE(n, UNSET, 0, SL_F_QUOTED, "auto.offset.reset", NULL, 0);
	n = PARSE("ALTER SYSTEM 'ksql.x'='1'");
	NODE(n, ALTER_SYSTEM, 0, SL_F_QUOTED, "ksql.x", "1", 0);
	n = PARSE("DEFINE format = 'JSON'");
	NODE(n, DEFINE, 0, 0, "FORMAT", "JSON", 0);
	n = PARSE("UNDEFINE format");
	NODE(n, UNDEFINE, 0, 0, "FORMAT", NULL, 0);
	n = PARSE("RUN SCRIPT '/tmp/my script.sql'");
	NODE(n, RUN_SCRIPT, 0, 0, "/tmp/my script.sql", NULL, 0);
	PARSE_FAIL("SET auto = 'x'");
	PARSE_FAIL("DEFINE x = 1");
	PARSE_FAIL("RUN SCRIPT x");
	PARSE_FAIL("ALTER SYSTEM 'a' = ${b}");
}
END_TEST

START_TEST(test_alter_source)
{
	sl_node_t *n = PARSE("ALTER STREAM s ADD COLUMN a INT, ADD b ARRAY<STRING>");
	NODE(n, ALTER_SOURCE, SL_OBJ_STREAM, 0, "S", NULL, 1);
	const sl_node_t *cols = KID(n, 0);
	NODE(cols, LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(cols, 0), COLUMN_DEF, SL_CONS_NONE, 0, "A", NULL, 1);
	NODE(KID(cols, 1), COLUMN_DEF, SL_CONS_NONE, 0, "B", NULL, 1);
	NODE(KID(KID(cols, 1), 0), TYPE, SL_TYPE_ARRAY, 0, NULL, NULL, 1);
	n = PARSE("ALTER TABLE t ADD COLUMN c DOUBLE");
	NODE(n, ALTER_SOURCE, SL_OBJ_TABLE, 0, "T", NULL, 1);
	PARSE_FAIL("ALTER STREAM s");
	PARSE_FAIL("ALTER STREAM s ADD COLUMN a INT KEY");
}
END_TEST

START_TEST(test_assert_statements)
{
	sl_node_t *n = PARSE("ASSERT NOT EXISTS TOPIC 'x' WITH (partitions=1) "
			     "TIMEOUT 10 SECONDS");
	NODE(n, ASSERT_TOPIC, 0, SL_F_NOT_EXISTS | SL_F_QUOTED, "x", NULL, 2);
	NODE(KID(KID(n, 0), 0), PROPERTY, 0, 0, "PARTITIONS", NULL, 1);
	NODE(KID(n, 1), DURATION, 0, 0, "10", "SECONDS", 0);
	n = PARSE("ASSERT TOPIC t");
	NODE(n, ASSERT_TOPIC, 0, 0, "T", NULL, 2);
	ck_assert_ptr_null(KID(n, 0));
	ck_assert_ptr_null(KID(n, 1));

	n = PARSE("ASSERT SCHEMA SUBJECT 'subj' ID 5 TIMEOUT 1 MINUTE");
	NODE(n, ASSERT_SCHEMA, 0, SL_F_QUOTED, "subj", NULL, 2);
	NODE(KID(n, 0), LITERAL, SL_LIT_INTEGER, 0, "5", NULL, 0);
	NODE(KID(n, 1), DURATION, 0, 0, "1", "MINUTE", 0);
	n = PARSE("ASSERT NOT EXISTS SCHEMA ID 3");
	NODE(n, ASSERT_SCHEMA, 0, SL_F_NOT_EXISTS, NULL, NULL, 2);
	NODE(KID(n, 0), LITERAL, SL_LIT_INTEGER, 0, "3", NULL, 0);
	ck_assert_ptr_null(KID(n, 1));

	n = PARSE("ASSERT VALUES s (a, b) VALUES (1, 'x')");
	NODE(n, ASSERT_VALUES, 0, 0, "S", NULL, 2);
	NODE(KID(n, 0), LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 2);
	n = PARSE("ASSERT VALUES s VALUES (1)");
	ck_assert_ptr_null(KID(n, 0));
	n = PARSE("ASSERT NULL VALUES t (k) KEY (1)");
	NODE(n, ASSERT_TOMBSTONE, 0, 0, "T", NULL, 2);
	NODE(KID(KID(n, 0), 0), NAME, 0, 0, "K", NULL, 0);
	NODE(KID(KID(n, 1), 0), LITERAL, SL_LIT_INTEGER, 0, "1", NULL, 0);

	n = PARSE("ASSERT STREAM s (a INT KEY, b STRING) WITH (kafka_topic='x')");
	NODE(n, ASSERT_SOURCE, SL_OBJ_STREAM, 0, "S", NULL, 2);
	NODE(KID(n, 0), LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 1);
	n = PARSE("ASSERT TABLE t");
	NODE(n, ASSERT_SOURCE, SL_OBJ_TABLE, 0, "T", NULL, 2);
	PARSE_FAIL("ASSERT TOPIC");
	PARSE_FAIL("ASSERT NULL VALUES t (k) VALUES (1)");
}
END_TEST

/* ============================================================ SELECT */

START_TEST(test_select_minimal)
{
	sl_node_t *n = PARSE("SELECT a FROM t");
	NODE(n, SELECT, SL_EMIT_NONE, 0, NULL, NULL, 10);
	NODE(KID(n, 0), LIST, 0, 0, NULL, NULL, 1);
	NODE(KID(KID(n, 0), 0), SELECT_ITEM, 0, 0, NULL, NULL, 1);
	NODE(KID(KID(KID(n, 0), 0), 0), COLUMN, 0, 0, "A", NULL, 0);
	NODE(KID(n, 1), RELATION, 0, 0, "T", NULL, 0);
	for (int i = 2; i < 8; i++)
		ck_assert_msg(KID(n, i) == NULL, "clause %d is set", i);
	PARSE_FAIL("SELECT a");
	PARSE_FAIL("SELECT FROM t");
	PARSE_FAIL("SELECT a, FROM t");
}
END_TEST

START_TEST(test_select_items)
{
	sl_node_t *n = PARSE("SELECT a, b AS x, c y, *, t.*, s->*, f(a) `Q`, "
			     "a + 1 AS \"Sum\" FROM t");
	const sl_node_t *items = KID(n, 0);
	NODE(items, LIST, 0, 0, NULL, NULL, 8);
	NODE(KID(items, 0), SELECT_ITEM, 0, 0, NULL, NULL, 1);
	NODE(KID(items, 1), SELECT_ITEM, 0, 0, "X", NULL, 1);
	NODE(KID(items, 2), SELECT_ITEM, 0, 0, "Y", NULL, 1);
	NODE(KID(items, 3), STAR, 0, 0, NULL, NULL, 0);
	NODE(KID(items, 4), STAR, 0, 0, "T", NULL, 0);
	NODE(KID(items, 5), STRUCT_STAR, 0, 0, NULL, NULL, 1);
	NODE(KID(KID(items, 5), 0), COLUMN, 0, 0, "S", NULL, 0);
	NODE(KID(items, 6), SELECT_ITEM, 0, 0, "Q", NULL, 1);
	NODE(KID(KID(items, 6), 0), FUNC, 0, 0, "F", NULL, 1);
	NODE(KID(items, 7), SELECT_ITEM, 0, 0, "Sum", NULL, 1);
	NODE(KID(KID(items, 7), 0), BINARY, SL_OP_ADD, 0, NULL, NULL, 2);
	/* struct star on a deeper expression */
	n = PARSE("SELECT s->a->* FROM t");
	const sl_node_t *ss = KID(KID(n, 0), 0);
	NODE(ss, STRUCT_STAR, 0, 0, NULL, NULL, 1);
	NODE(KID(ss, 0), DEREF, 0, 0, "A", NULL, 1);
}
END_TEST

START_TEST(test_select_clauses)
{
	sl_node_t *n = PARSE("SELECT k, COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 HOUR) "
			     "WHERE v > 0 GROUP BY k HAVING COUNT(*) > 1 "
			     "EMIT FINAL LIMIT 5;");
	NODE(n, SELECT, SL_EMIT_FINAL, 0, NULL, NULL, 10);
	NODE(KID(n, 2), WINDOW, SL_WINDOW_TUMBLING, 0, NULL, NULL, 4);
	NODE(KID(n, 3), BINARY, SL_OP_GT, 0, NULL, NULL, 2);
	NODE(KID(n, 4), LIST, 0, 0, NULL, NULL, 1);
	NODE(KID(KID(n, 4), 0), COLUMN, 0, 0, "K", NULL, 0);
	ck_assert_ptr_null(KID(n, 5));
	NODE(KID(n, 6), BINARY, SL_OP_GT, 0, NULL, NULL, 2);
	NODE(KID(KID(n, 6), 0), FUNC, 0, SL_F_STAR, "COUNT", NULL, 0);
	NODE(KID(n, 7), LITERAL, SL_LIT_INTEGER, 0, "5", NULL, 0);

	n = PARSE("SELECT * FROM s PARTITION BY a, b->c EMIT CHANGES");
	NODE(n, SELECT, SL_EMIT_CHANGES, 0, NULL, NULL, 10);
	NODE(KID(n, 5), LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(KID(n, 5), 1), DEREF, 0, 0, "C", NULL, 1);

	/* parenthesized GROUP BY / PARTITION BY lists are flattened */
	n = PARSE("SELECT a, b, COUNT(*) FROM s GROUP BY (a, b)");
	NODE(KID(n, 4), LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(KID(n, 4), 0), COLUMN, 0, 0, "A", NULL, 0);
	NODE(KID(KID(n, 4), 1), COLUMN, 0, 0, "B", NULL, 0);
	n = PARSE("SELECT * FROM s PARTITION BY (a)");
	NODE(KID(n, 5), LIST, 0, 0, NULL, NULL, 1);
	NODE(KID(KID(n, 5), 0), COLUMN, 0, 0, "A", NULL, 0);
	n = PARSE("SELECT * FROM s GROUP BY ()");
	NODE(KID(n, 4), LIST, 0, 0, NULL, NULL, 0);
	n = PARSE("SELECT * FROM s PARTITION BY ()");
	NODE(KID(n, 5), LIST, 0, 0, NULL, NULL, 0);
	n = PARSE("SELECT a FROM s GROUP BY (a + 1), b");
	NODE(KID(n, 4), LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(KID(n, 4), 0), BINARY, SL_OP_ADD, 0, NULL, NULL, 2);

	/* clauses in the wrong order */
	PARSE_FAIL("SELECT * FROM s WHERE a = 1 WINDOW TUMBLING (SIZE 1 SECOND)");
	PARSE_FAIL("SELECT * FROM s LIMIT 1 EMIT CHANGES");
	PARSE_FAIL("SELECT * FROM s HAVING a > 1 GROUP BY a");
	PARSE_FAIL("SELECT * FROM s EMIT");
	PARSE_FAIL("SELECT * FROM s LIMIT -1");
	PARSE_FAIL("SELECT * FROM s GROUP BY");
}
END_TEST

START_TEST(test_windows)
{
	sl_node_t *n = PARSE("SELECT * FROM s WINDOW TUMBLING (SIZE 10 SECONDS, "
			     "RETENTION 2 DAYS, GRACE PERIOD 5 MINUTES)");
	const sl_node_t *w = KID(n, 2);
	NODE(w, WINDOW, SL_WINDOW_TUMBLING, 0, NULL, NULL, 4);
	NODE(KID(w, 0), DURATION, 0, 0, "10", "SECONDS", 0);
	ck_assert_ptr_null(KID(w, 1));
	NODE(KID(w, 2), DURATION, 0, 0, "2", "DAYS", 0);
	NODE(KID(w, 3), DURATION, 0, 0, "5", "MINUTES", 0);

	n = PARSE("SELECT * FROM s WINDOW HOPPING (SIZE 1 hour, ADVANCE BY 10 minutes)");
	w = KID(n, 2);
	NODE(w, WINDOW, SL_WINDOW_HOPPING, 0, NULL, NULL, 4);
	NODE(KID(w, 0), DURATION, 0, 0, "1", "HOUR", 0);
	NODE(KID(w, 1), DURATION, 0, 0, "10", "MINUTES", 0);
	ck_assert_ptr_null(KID(w, 2));
	ck_assert_ptr_null(KID(w, 3));

	n = PARSE("SELECT * FROM s WINDOW SESSION (30 SECONDS, GRACE PERIOD 0 MILLISECONDS)");
	w = KID(n, 2);
	NODE(w, WINDOW, SL_WINDOW_SESSION, 0, NULL, NULL, 4);
	NODE(KID(w, 0), DURATION, 0, 0, "30", "SECONDS", 0);
	ck_assert_ptr_null(KID(w, 2));
	NODE(KID(w, 3), DURATION, 0, 0, "0", "MILLISECONDS", 0);

	/* every unit, singular and plural */
	static const char *units[] = {
		"DAY",     "DAYS",   "HOUR",    "HOURS",       "MINUTE",
		"MINUTES", "SECOND", "SECONDS", "MILLISECOND", "MILLISECONDS"
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT * FROM s WINDOW SESSION (7 %s)", units[i]);
		NODE(KID(KID(PARSE(sql), 2), 0), DURATION, 0, 0, "7", units[i], 0);
	}

	/* a named window */
	n = PARSE("SELECT * FROM s WINDOW w1 TUMBLING (SIZE 1 SECOND)");
	NODE(KID(n, 2), WINDOW, SL_WINDOW_TUMBLING, 0, "W1", NULL, 4);

	PARSE_FAIL("SELECT * FROM s WINDOW TUMBLING (SIZE 1)");
	PARSE_FAIL("SELECT * FROM s WINDOW TUMBLING (1 SECOND)");
	PARSE_FAIL("SELECT * FROM s WINDOW HOPPING (SIZE 1 SECOND)");
	PARSE_FAIL("SELECT * FROM s WINDOW SESSION (SIZE 1 SECOND)");
	PARSE_FAIL("SELECT * FROM s WINDOW TUMBLING (SIZE 1 WEEK)");
	PARSE_FAIL("SELECT * FROM s WINDOW TUMBLING (SIZE 1 SECOND, GRACE PERIOD 1 "
		   "SECOND, RETENTION 1 DAY)");
	ASSERT_ERROR("SELECT * FROM s WINDOW TUMBLING (SIZE 1.5 SECONDS)", 38, 1, 39,
		     "a duration takes a whole number, not \"1.5\"");
}
END_TEST

START_TEST(test_joins)
{
	sl_node_t *n = PARSE("SELECT * FROM a JOIN b WITHIN 10 SECONDS ON a.id = b.id");
	const sl_node_t *j = KID(n, 1);
	NODE(j, JOIN, SL_JOIN_INNER, 0, NULL, NULL, 4);
	NODE(KID(j, 0), RELATION, 0, 0, "A", NULL, 0);
	NODE(KID(j, 1), RELATION, 0, 0, "B", NULL, 0);
	NODE(KID(j, 2), WITHIN, 0, 0, NULL, NULL, 3);
	NODE(KID(KID(j, 2), 0), DURATION, 0, 0, "10", "SECONDS", 0);
	ck_assert_ptr_null(KID(KID(j, 2), 1));
	ck_assert_ptr_null(KID(KID(j, 2), 2));
	ck_assert_str_eq(sexpr(KID(j, 3)), "(A.ID = B.ID)");

	n = PARSE("SELECT * FROM orders AS o LEFT OUTER JOIN shipments s "
		  "WITHIN (1 HOUR, 2 HOURS) GRACE PERIOD 5 MINUTES ON o.id = s.oid");
	j = KID(n, 1);
	NODE(j, JOIN, SL_JOIN_LEFT, 0, NULL, NULL, 4);
	NODE(KID(j, 0), RELATION, 0, 0, "ORDERS", "O", 0);
	NODE(KID(j, 1), RELATION, 0, 0, "SHIPMENTS", "S", 0);
	const sl_node_t *w = KID(j, 2);
	NODE(KID(w, 0), DURATION, 0, 0, "1", "HOUR", 0);
	NODE(KID(w, 1), DURATION, 0, 0, "2", "HOURS", 0);
	NODE(KID(w, 2), DURATION, 0, 0, "5", "MINUTES", 0);

	static const struct {
		const char *kw;
		int op;
	} kinds[] = {
		{ "INNER JOIN", SL_JOIN_INNER }, { "LEFT JOIN", SL_JOIN_LEFT },
		{ "RIGHT JOIN", SL_JOIN_RIGHT }, { "RIGHT OUTER JOIN", SL_JOIN_RIGHT },
		{ "FULL JOIN", SL_JOIN_FULL },   { "FULL OUTER JOIN", SL_JOIN_FULL },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT * FROM a %s b ON a.k = b.k", kinds[i].kw);
		j = KID(PARSE(sql), 1);
		NODE(j, JOIN, kinds[i].op, 0, NULL, NULL, 4);
		ck_assert_ptr_null(KID(j, 2));
	}

	/* N-way joins nest to the left */
	n = PARSE("SELECT * FROM a JOIN b ON a.k = b.k FULL OUTER JOIN c ON a.k = c.k "
		  "LEFT JOIN d ON d.k = c.k");
	j = KID(n, 1);
	NODE(j, JOIN, SL_JOIN_LEFT, 0, NULL, NULL, 4);
	NODE(KID(j, 1), RELATION, 0, 0, "D", NULL, 0);
	NODE(KID(j, 0), JOIN, SL_JOIN_FULL, 0, NULL, NULL, 4);
	NODE(KID(KID(j, 0), 1), RELATION, 0, 0, "C", NULL, 0);
	NODE(KID(KID(j, 0), 0), JOIN, SL_JOIN_INNER, 0, NULL, NULL, 4);
	NODE(KID(KID(KID(j, 0), 0), 0), RELATION, 0, 0, "A", NULL, 0);

	PARSE_FAIL("SELECT * FROM a JOIN b");
	PARSE_FAIL("SELECT * FROM a OUTER JOIN b ON a.k = b.k");
	PARSE_FAIL("SELECT * FROM a, b");
	PARSE_FAIL("SELECT * FROM a JOIN b WITHIN 1 SECOND");
}
END_TEST

START_TEST(test_pull_query)
{
	sl_node_t *n = PARSE("SELECT * FROM agg WHERE k = 'x' AND windowstart >= 10;");
	NODE(n, SELECT, SL_EMIT_NONE, 0, NULL, NULL, 10);
	ck_assert_str_eq(sexpr(KID(n, 3)), "((K = 'x') AND (WINDOWSTART >= 10))");
}
END_TEST

/* ======================================================= expressions */

START_TEST(test_precedence_logic)
{
	EXPR("a OR b AND c", "(A OR (B AND C))");
	EXPR("a AND b OR c", "((A AND B) OR C)");
	EXPR("a OR b OR c", "((A OR B) OR C)");
	EXPR("a AND b AND c", "((A AND B) AND C)");
	EXPR("NOT a = b", "(NOT (A = B))");
	EXPR("NOT a AND b", "((NOT A) AND B)");
	EXPR("NOT a OR NOT b", "((NOT A) OR (NOT B))");
	EXPR("NOT NOT a", "(NOT (NOT A))");
	EXPR("a = b AND c < d OR e", "(((A = B) AND (C < D)) OR E)");
	EXPR("NOT a IS NULL", "(NOT (A IS NULL))");
	EXPR("NOT a BETWEEN 1 AND 2", "(NOT (A BETWEEN 1 AND 2))");
	EXPR("(a OR b) AND c", "((A OR B) AND C)");
}
END_TEST

START_TEST(test_precedence_arithmetic)
{
	EXPR("a + b * c", "(A + (B * C))");
	EXPR("a * b + c", "((A * B) + C)");
	EXPR("a - b - c", "((A - B) - C)");
	EXPR("a / b * c % d", "(((A / B) * C) % D)");
	EXPR("(a + b) * c", "((A + B) * C)");
	EXPR("a - (b - c)", "(A - (B - C))");
	EXPR("-a * b", "((-A) * B)");
	EXPR("-a + b", "((-A) + B)");
	EXPR("+a - -b", "((+A) - (-B))");
	EXPR("- -a", "(-(-A))");
	EXPR("-(a + b)", "(-(A + B))");
	EXPR("a + b = c * d", "((A + B) = (C * D))");
	/* || binds looser than + and tighter than comparisons (ksqlDB) */
	EXPR("a || b + c", "(A || (B + C))");
	EXPR("a + b || c", "((A + B) || C)");
	EXPR("a || b || c", "((A || B) || C)");
	EXPR("a || b * c", "(A || (B * C))");
	EXPR("a || b = c", "((A || B) = C)");
	EXPR("a = b || c", "(A = (B || C))");
	EXPR("-1", "(-1)");
	EXPR("-1.5e3", "(-1.5E3)");
}
END_TEST

START_TEST(test_precedence_postfix)
{
	EXPR("a[1][2]", "A[1][2]");
	EXPR("a->b->c", "((A->B)->C)");
	EXPR("a[1]->b", "(A[1]->B)");
	EXPR("a->b[1]", "(A->B)[1]");
	EXPR("-a[1]", "(-A[1])");
	EXPR("-a->b", "(-(A->B))");
	EXPR("a->b * 2", "((A->B) * 2)");
	EXPR("m['k'] + 1", "(M['k'] + 1)");
	EXPR("a[i + 1]", "A[(I + 1)]");
	EXPR("f(x)[0]->y", "(F(X)[0]->Y)");
	EXPR("ARRAY[1, 2][1]", "ARRAY[1, 2][1]");
	EXPR("ts AT TIME ZONE 'UTC'", "(TS AT TIME ZONE 'UTC')");
	EXPR("a + ts AT TIME ZONE 'UTC'", "(A + (TS AT TIME ZONE 'UTC'))");
}
END_TEST

START_TEST(test_comparisons_nonassoc)
{
	static const char *ops[] = { "=", "<>", "!=", "<", "<=", ">", ">=" };
	static const int codes[] = { SL_OP_EQ, SL_OP_NE, SL_OP_NE, SL_OP_LT,
				     SL_OP_LE, SL_OP_GT, SL_OP_GE };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "a %s b", ops[i]);
		sl_node_t *n = PARSE_EXPR(sql);
		NODE(n, BINARY, codes[i], 0, NULL, NULL, 2);
		NODE(KID(n, 0), COLUMN, 0, 0, "A", NULL, 0);
		NODE(KID(n, 1), COLUMN, 0, 0, "B", NULL, 0);
		/* comparisons do not chain */
		snprintf(sql, sizeof(sql), "a %s b %s c", ops[i], ops[i]);
		PARSE_EXPR_FAIL(sql);
	}
	PARSE_EXPR_FAIL("a = b < c");
	PARSE_EXPR_FAIL("a = b IS NULL");
	PARSE_EXPR_FAIL("a BETWEEN 1 AND 2 BETWEEN 3 AND 4");
	PARSE_EXPR_FAIL("a LIKE b LIKE c");
	PARSE_EXPR_FAIL("a IN (1) IN (2)");
	EXPR("(a = b) = c", "((A = B) = C)");
}
END_TEST

START_TEST(test_predicates)
{
	EXPR("a BETWEEN 1 AND 2", "(A BETWEEN 1 AND 2)");
	EXPR("a BETWEEN 1 AND 2 AND b", "((A BETWEEN 1 AND 2) AND B)");
	EXPR("b AND a BETWEEN x AND y AND c", "((B AND (A BETWEEN X AND Y)) AND C)");
	EXPR("a NOT BETWEEN b + 1 AND c * 2 OR d", "((A NOT BETWEEN (B + 1) AND (C * 2)) OR D)");
	EXPR("a IN (1, 'x', b + 1)", "(A IN [1, 'x', (B + 1)])");
	EXPR("a NOT IN (1) OR b IN (c)", "((A NOT IN [1]) OR (B IN [C]))");
	EXPR("a LIKE 'x%'", "(A LIKE 'x%')");
	EXPR("a NOT LIKE b || '%'", "(A NOT LIKE (B || '%'))");
	EXPR("a LIKE '!%%' ESCAPE '!'", "(A LIKE '!%%' ESCAPE '!')");
	EXPR("a NOT LIKE 'x' ESCAPE '\\' AND b", "((A NOT LIKE 'x' ESCAPE '\\') AND B)");
	EXPR("x IS NULL AND y IS NOT NULL", "((X IS NULL) AND (Y IS NOT NULL))");
	EXPR("a + 1 IS NULL", "((A + 1) IS NULL)");
	EXPR("a IS DISTINCT FROM b", "(A IS DISTINCT FROM B)");
	EXPR("a IS NOT DISTINCT FROM b + 1", "(A IS NOT DISTINCT FROM (B + 1))");

	sl_node_t *n = PARSE_EXPR("a NOT IN (1, 2)");
	NODE(n, IN, 0, SL_F_NOT, NULL, NULL, 2);
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 2);
	n = PARSE_EXPR("a LIKE b");
	NODE(n, LIKE, 0, 0, NULL, NULL, 3);
	ck_assert_ptr_null(KID(n, 2));
	n = PARSE_EXPR("a LIKE b ESCAPE '#'");
	NODE(KID(n, 2), LITERAL, SL_LIT_STRING, 0, "#", NULL, 0);
	n = PARSE_EXPR("a NOT BETWEEN 1 AND 2");
	NODE(n, BETWEEN, 0, SL_F_NOT, NULL, NULL, 3);
	n = PARSE_EXPR("a IS NOT NULL");
	NODE(n, IS_NULL, 0, SL_F_NOT, NULL, NULL, 1);
	n = PARSE_EXPR("a IS NOT DISTINCT FROM b");
	NODE(n, DISTINCT_FROM, 0, SL_F_NOT, NULL, NULL, 2);

	PARSE_EXPR_FAIL("a IN ()");
	PARSE_EXPR_FAIL("a BETWEEN 1");
	PARSE_EXPR_FAIL("a LIKE b ESCAPE c");
	PARSE_EXPR_FAIL("a IS 1");
}
END_TEST

START_TEST(test_literals)
{
	NODE(PARSE_EXPR("NULL"), LITERAL, SL_LIT_NULL, 0, "NULL", NULL, 0);
	NODE(PARSE_EXPR("true"), LITERAL, SL_LIT_BOOLEAN, 0, "TRUE", NULL, 0);
	NODE(PARSE_EXPR("False"), LITERAL, SL_LIT_BOOLEAN, 0, "FALSE", NULL, 0);
	NODE(PARSE_EXPR("'abc'"), LITERAL, SL_LIT_STRING, 0, "abc", NULL, 0);
	NODE(PARSE_EXPR("''"), LITERAL, SL_LIT_STRING, 0, "", NULL, 0);
	NODE(PARSE_EXPR("'it''s'"), LITERAL, SL_LIT_STRING, 0, "it's", NULL, 0);
	NODE(PARSE_EXPR("''''''"), LITERAL, SL_LIT_STRING, 0, "''", NULL, 0);
	NODE(PARSE_EXPR("'a\nb'"), LITERAL, SL_LIT_STRING, 0, "a\nb", NULL, 0);
	NODE(PARSE_EXPR("'\"`'"), LITERAL, SL_LIT_STRING, 0, "\"`", NULL, 0);
	NODE(PARSE_EXPR("42"), LITERAL, SL_LIT_INTEGER, 0, "42", NULL, 0);
	NODE(PARSE_EXPR("007"), LITERAL, SL_LIT_INTEGER, 0, "007", NULL, 0);
	NODE(PARSE_EXPR("1.50"), LITERAL, SL_LIT_DECIMAL, 0, "1.50", NULL, 0);
	NODE(PARSE_EXPR(".5"), LITERAL, SL_LIT_DECIMAL, 0, ".5", NULL, 0);
	NODE(PARSE_EXPR("1."), LITERAL, SL_LIT_DECIMAL, 0, "1.", NULL, 0);
	NODE(PARSE_EXPR("1e3"), LITERAL, SL_LIT_DOUBLE, 0, "1E3", NULL, 0);
	NODE(PARSE_EXPR("1.5E-3"), LITERAL, SL_LIT_DOUBLE, 0, "1.5E-3", NULL, 0);
	NODE(PARSE_EXPR("${my_var}"), VARIABLE, 0, 0, "MY_VAR", NULL, 0);
	sl_node_t *n = PARSE_EXPR("DATE '2021-01-01'");
	NODE(n, TYPED_LITERAL, 0, 0, "DATE", "2021-01-01", 0);
	n = PARSE_EXPR("timestamp '2021-01-01T00:00:00'");
	NODE(n, TYPED_LITERAL, 0, 0, "TIMESTAMP", "2021-01-01T00:00:00", 0);
	n = PARSE_EXPR("TIME '10:00'");
	NODE(n, TYPED_LITERAL, 0, 0, "TIME", "10:00", 0);
}
END_TEST

START_TEST(test_case_cast)
{
	EXPR("CASE WHEN a > 1 THEN 'big' WHEN a < 0 THEN 'neg' ELSE 'small' END",
	     "CASE WHEN (A > 1) THEN 'big' WHEN (A < 0) THEN 'neg' ELSE 'small' END");
	EXPR("CASE x WHEN 1 THEN 'a' END", "CASE X WHEN 1 THEN 'a' END");
	EXPR("CASE WHEN a OR b THEN c AND d END", "CASE WHEN (A OR B) THEN (C AND D) END");
	sl_node_t *n = PARSE_EXPR("CASE WHEN a THEN 1 END");
	NODE(n, CASE, 0, 0, NULL, NULL, 3);
	ck_assert_ptr_null(KID(n, 0));
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 1);
	NODE(KID(KID(n, 1), 0), WHEN, 0, 0, NULL, NULL, 2);
	ck_assert_ptr_null(KID(n, 2));
	n = PARSE_EXPR("CASE s WHEN 'a' THEN 1 WHEN 'b' THEN 2 ELSE 3 END");
	NODE(KID(n, 0), COLUMN, 0, 0, "S", NULL, 0);
	NODE(KID(n, 1), LIST, 0, 0, NULL, NULL, 2);
	NODE(KID(n, 2), LITERAL, SL_LIT_INTEGER, 0, "3", NULL, 0);
	PARSE_EXPR_FAIL("CASE END");
	PARSE_EXPR_FAIL("CASE WHEN a THEN 1");
	PARSE_EXPR_FAIL("CASE ELSE 1 END");

	n = PARSE_EXPR("CAST(a + 1 AS DECIMAL(10, 2))");
	NODE(n, CAST, 0, 0, NULL, NULL, 2);
	NODE(KID(n, 0), BINARY, SL_OP_ADD, 0, NULL, NULL, 2);
	NODE(KID(n, 1), TYPE, SL_TYPE_DECIMAL, 0, "10", "2", 0);
	n = PARSE_EXPR("cast(x as array<varchar>)");
	NODE(KID(n, 1), TYPE, SL_TYPE_ARRAY, 0, NULL, NULL, 1);
	NODE(KID(KID(n, 1), 0), TYPE, SL_TYPE_STRING, 0, NULL, NULL, 0);
	n = PARSE_EXPR("CAST(x AS STRUCT<a INT>)");
	NODE(KID(n, 1), TYPE, SL_TYPE_STRUCT, 0, NULL, NULL, 1);
	PARSE_EXPR_FAIL("CAST(x)");
	PARSE_EXPR_FAIL("CAST(x AS)");
}
END_TEST

START_TEST(test_constructors)
{
	EXPR("ARRAY[1, 2, a]", "ARRAY[1, 2, A]");
	NODE(PARSE_EXPR("ARRAY[]"), ARRAY, 0, 0, NULL, NULL, 0);
	EXPR("MAP('a' := 1, 'b' := x + 1)", "MAP('a':=1, 'b':=(X + 1))");
	NODE(PARSE_EXPR("MAP()"), MAP, 0, 0, NULL, NULL, 0);
	sl_node_t *n = PARSE_EXPR("STRUCT(a := 1, `B` := 'x')");
	NODE(n, STRUCT, 0, 0, NULL, NULL, 2);
	NODE(KID(n, 0), FIELD_VALUE, 0, 0, "A", NULL, 1);
	NODE(KID(n, 1), FIELD_VALUE, 0, 0, "B", NULL, 1);
	NODE(KID(KID(n, 1), 0), LITERAL, SL_LIT_STRING, 0, "x", NULL, 0);
	NODE(PARSE_EXPR("STRUCT()"), STRUCT, 0, 0, NULL, NULL, 0);
	EXPR("ARRAY[ARRAY[1], ARRAY[]]", "ARRAY[ARRAY[1], ARRAY[]]");
	PARSE_EXPR_FAIL("MAP('a' = 1)");
	PARSE_EXPR_FAIL("MAP('a')");
	PARSE_EXPR_FAIL("STRUCT(1 := 2)");
	PARSE_EXPR_FAIL("ARRAY[1,]");
}
END_TEST

START_TEST(test_functions)
{
	sl_node_t *n = PARSE_EXPR("COUNT(*)");
	NODE(n, FUNC, 0, SL_F_STAR, "COUNT", NULL, 0);
	n = PARSE_EXPR("now()");
	NODE(n, FUNC, 0, 0, "NOW", NULL, 0);
	n = PARSE_EXPR("count(DISTINCT x)");
	NODE(n, FUNC, 0, SL_F_DISTINCT, "COUNT", NULL, 1);
	EXPR("substring(s, 1, 2)", "SUBSTRING(S, 1, 2)");
	EXPR("`myUdf`(a)", "myUdf(A)");
	EXPR("f(g(x), h())", "F(G(X), H())");
	n = PARSE_EXPR("TIMESTAMPADD(SECONDS, 5, ts)");
	NODE(n, FUNC, 0, 0, "TIMESTAMPADD", NULL, 3);
	NODE(KID(n, 0), TIME_UNIT, 0, 0, "SECONDS", NULL, 0);
	n = PARSE_EXPR("timestampsub(milliseconds, 5, ts)");
	NODE(KID(n, 0), TIME_UNIT, 0, 0, "MILLISECONDS", NULL, 0);

	/* lambdas */
	EXPR("TRANSFORM(arr, x => x + 1)", "TRANSFORM(ARR, (\\X => (X + 1)))");
	EXPR("REDUCE(arr, 0, (s, x) => s + x)", "REDUCE(ARR, 0, (\\S,X => (S + X)))");
	EXPR("TRANSFORM(m, (k, v) => UCASE(k), (k, v) => v * 2)",
	     "TRANSFORM(M, (\\K,V => UCASE(K)), (\\K,V => (V * 2)))");
	EXPR("FILTER(a, (x) => x > 0)", "FILTER(A, (\\X => (X > 0)))");
	EXPR("FILTER(a, x => x > 0 AND x < 5)", "FILTER(A, (\\X => ((X > 0) AND (X < 5))))");
	n = PARSE_EXPR("TRANSFORM(a, x => x)");
	const sl_node_t *l = KID(n, 1);
	NODE(l, LAMBDA, 0, 0, NULL, NULL, 2);
	NODE(KID(l, 0), LIST, 0, 0, NULL, NULL, 1);
	NODE(KID(KID(l, 0), 0), NAME, 0, 0, "X", NULL, 0);
	NODE(KID(l, 1), COLUMN, 0, 0, "X", NULL, 0);

	PARSE_EXPR_FAIL("f(");
	PARSE_EXPR_FAIL("f(a,)");
	PARSE_EXPR_FAIL("f(*, a)");
	PARSE_EXPR_FAIL("TRANSFORM(a, x + 1 => x)");
	PARSE_EXPR_FAIL("TRANSFORM(a, t.x => x)");
	PARSE_EXPR_FAIL("TRANSFORM(a, (x, 1) => x)");
	PARSE_EXPR_FAIL("x => x");
}
END_TEST

START_TEST(test_columns_and_parens)
{
	sl_node_t *n = PARSE_EXPR("t.col");
	NODE(n, COLUMN, 0, 0, "COL", "T", 0);
	n = PARSE_EXPR("`T`.`my col`");
	NODE(n, COLUMN, 0, 0, "my col", "T", 0);
	n = PARSE_EXPR("((a))");
	NODE(n, COLUMN, 0, 0, "A", NULL, 0);
	ck_assert(n->flags & SL_F_PAREN);
	n = PARSE_EXPR("a");
	ck_assert(!(n->flags & SL_F_PAREN));
	PARSE_EXPR_FAIL("a.b.c");
	PARSE_EXPR_FAIL("(a");
	PARSE_EXPR_FAIL("a)");
	PARSE_EXPR_FAIL("()");
}
END_TEST

START_TEST(test_tuple_rejected)
{
	ASSERT_ERROR("SELECT (1, 2) FROM t", 7, 1, 8,
		     "a parenthesized list is only allowed as lambda parameters");
	PARSE_FAIL("SELECT * FROM t WHERE (a, b) = (1, 2)");
	PARSE_FAIL("SELECT * FROM t GROUP BY (a, b), c");
	PARSE_EXPR_FAIL("(a, b)");
}
END_TEST

/* ======================================================= identifiers */

START_TEST(test_identifier_case)
{
	sl_node_t *n = PARSE("select foo, Bar, `Baz`, \"Qux\", `a``b`, \"c\"\"d\" "
			     "from MyStream");
	const sl_node_t *items = KID(n, 0);
	NODE(KID(KID(items, 0), 0), COLUMN, 0, 0, "FOO", NULL, 0);
	NODE(KID(KID(items, 1), 0), COLUMN, 0, 0, "BAR", NULL, 0);
	NODE(KID(KID(items, 2), 0), COLUMN, 0, 0, "Baz", NULL, 0);
	NODE(KID(KID(items, 3), 0), COLUMN, 0, 0, "Qux", NULL, 0);
	NODE(KID(KID(items, 4), 0), COLUMN, 0, 0, "a`b", NULL, 0);
	NODE(KID(KID(items, 5), 0), COLUMN, 0, 0, "c\"d", NULL, 0);
	NODE(KID(n, 1), RELATION, 0, 0, "MYSTREAM", NULL, 0);
	/* digit identifiers, @ and _ */
	n = PARSE("SELECT 1abc, a@b, _x FROM t");
	NODE(KID(KID(KID(n, 0), 0), 0), COLUMN, 0, 0, "1ABC", NULL, 0);
	NODE(KID(KID(KID(n, 0), 1), 0), COLUMN, 0, 0, "A@B", NULL, 0);
	NODE(KID(KID(KID(n, 0), 2), 0), COLUMN, 0, 0, "_X", NULL, 0);
	/* reserved words need quotes */
	n = PARSE("SELECT `FROM`, `select` FROM `TABLE`");
	NODE(KID(KID(KID(n, 0), 0), 0), COLUMN, 0, 0, "FROM", NULL, 0);
	NODE(KID(KID(KID(n, 0), 1), 0), COLUMN, 0, 0, "select", NULL, 0);
	NODE(KID(n, 1), RELATION, 0, 0, "TABLE", NULL, 0);
	/* non-ASCII is fine inside quotes */
	n = PARSE("SELECT `caf\xc3\xa9` FROM t");
	NODE(KID(KID(KID(n, 0), 0), 0), COLUMN, 0, 0, "caf\xc3\xa9", NULL, 0);
}
END_TEST

/* Keywords that ksqlDB does not reserve (SqlBase.g4 nonReserved), plus
 * words that are not keywords here at all; each must work as a name. */
static const char *const nonreserved[] = {
	"SHOW",     "TABLES",    "COLUMNS",  "COLUMN",  "PARTITIONS", "FUNCTIONS", "FUNCTION",
	"SESSION",  "STRUCT",    "MAP",      "ARRAY",   "PARTITION",  "INTEGER",   "DATE",
	"TIME",     "TIMESTAMP", "INTERVAL", "ZONE",    "STRING",     "YEAR",      "MONTH",
	"DAY",      "HOUR",      "MINUTE",   "SECOND",  "EXPLAIN",    "ANALYZE",   "TYPE",
	"TYPES",    "SET",       "RESET",    "IF",      "SOURCE",     "SINK",      "PRIMARY",
	"KEY",      "EMIT",      "CHANGES",  "FINAL",   "ESCAPE",     "REPLACE",   "ASSERT",
	"ALTER",    "ADD",       "HEADER",   "HEADERS", "GRACE",      "PERIOD",    "DEFINE",
	"UNDEFINE", "VARIABLES", "PLUGINS",  "SYSTEM",  "TIMEOUT",    "SCHEMA",    "SUBJECT",
	"ID",
};
#define NNONRESERVED ((int)(sizeof(nonreserved) / sizeof(nonreserved[0])))

static void
lower(char *dst, const char *src)
{
	for (; *src; src++)
		*dst++ = (char)(*src >= 'A' && *src <= 'Z' ? *src - 'A' + 'a' : *src);
	*dst = '\0';
}

START_TEST(test_nonreserved_as_identifiers)
{
	const char *w = nonreserved[_i];
	char lw[32], sql[512];
	lower(lw, w);

	/* a column in the select list, WHERE and GROUP BY; a source name */
	snprintf(sql, sizeof(sql),
		 "SELECT %s, t.%s, %s + 1 FROM %s t WHERE %s = 1 "
		 "GROUP BY %s",
		 lw, lw, lw, lw, lw, lw);
	sl_node_t *n = PARSE(sql);
	const sl_node_t *items = KID(n, 0);
	NODE(KID(KID(items, 0), 0), COLUMN, 0, 0, w, NULL, 0);
	NODE(KID(KID(items, 1), 0), COLUMN, 0, 0, w, "T", 0);
	NODE(KID(KID(KID(items, 2), 0), 0), COLUMN, 0, 0, w, NULL, 0);
	NODE(KID(n, 1), RELATION, 0, 0, w, "T", 0);
	NODE(KID(KID(n, 3), 0), COLUMN, 0, 0, w, NULL, 0);
	NODE(KID(KID(n, 4), 0), COLUMN, 0, 0, w, NULL, 0);

	/* an alias after AS, a struct field, a qualifier */
	snprintf(sql, sizeof(sql), "SELECT a AS %s, s->%s, %s.x FROM t AS %s", lw, lw, lw, lw);
	n = PARSE(sql);
	NODE(KID(KID(n, 0), 0), SELECT_ITEM, 0, 0, w, NULL, 1);
	NODE(KID(KID(KID(n, 0), 1), 0), DEREF, 0, 0, w, NULL, 1);
	NODE(KID(KID(KID(n, 0), 2), 0), COLUMN, 0, 0, "X", w, 0);
	NODE(KID(n, 1), RELATION, 0, 0, "T", w, 0);

	/* a column definition and a stream name; IF right after STREAM starts
	 * IF [NOT] EXISTS, so only IF EXISTS-less positions are checked */
	bool is_if = strcmp(w, "IF") == 0;
	snprintf(sql, sizeof(sql),
		 "CREATE STREAM %s (%s INT KEY, v STRUCT<%s INT>) "
		 "WITH (kafka_topic='t')",
		 is_if ? "s" : lw, lw, lw);
	n = PARSE(sql);
	ck_assert_str_eq(n->str, is_if ? "S" : w);
	NODE(KID(KID(n, 0), 0), COLUMN_DEF, SL_CONS_KEY, 0, w, NULL, 1);
	NODE(KID(KID(KID(KID(n, 0), 1), 0), 0), FIELD_TYPE, 0, 0, w, NULL, 1);

	/* INSERT column lists and DROP */
	snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES (1)", lw, lw);
	n = PARSE(sql);
	ck_assert_str_eq(n->str, w);
	NODE(KID(KID(n, 0), 0), NAME, 0, 0, w, NULL, 0);
	if (!is_if) {
		snprintf(sql, sizeof(sql), "DROP STREAM %s", lw);
		NODE(PARSE(sql), DROP, SL_OBJ_STREAM, 0, w, NULL, 0);
	}
}
END_TEST

/* MAP, ARRAY and STRUCT open constructors and types only before their
 * brackets; as column names they may be compared with < and <> (ksqlDB
 * accepts "WHERE map < 3": MAP is non-reserved there). */
START_TEST(test_constructor_words_compared)
{
	static const struct {
		const char *expr;
		int op;
		const char *col;
	} cases[] = {
		{ "map < 3", SL_OP_LT, "MAP" },
		{ "array <= 1", SL_OP_LE, "ARRAY" },
		{ "struct <> 1", SL_OP_NE, "STRUCT" },
		{ "map > 3", SL_OP_GT, "MAP" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sl_node_t *n = PARSE_EXPR(cases[i].expr);
		NODE(n, BINARY, cases[i].op, 0, NULL, NULL, 2);
		NODE(KID(n, 0), COLUMN, 0, 0, cases[i].col, NULL, 0);
	}
}
END_TEST

START_TEST(test_reserved_not_identifiers)
{
	static const char *reserved[] = { "SELECT", "FROM",  "WHERE",  "GROUP",    "BY",
					  "AND",    "OR",    "NOT",    "NULL",     "CASE",
					  "WHEN",   "END",   "JOIN",   "ON",       "WITHIN",
					  "WINDOW", "LIMIT", "SIZE",   "TUMBLING", "CREATE",
					  "STREAM", "TABLE", "INSERT", "VALUES",   "TRUE",
					  "AS" };
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		char sql[128];
		/* NULL and TRUE are literals there */
		if (strcmp(reserved[i], "NULL") != 0 && strcmp(reserved[i], "TRUE") != 0) {
			snprintf(sql, sizeof(sql), "SELECT %s FROM t", reserved[i]);
			PARSE_FAIL(sql);
		}
		snprintf(sql, sizeof(sql), "CREATE STREAM s (%s INT)", reserved[i]);
		PARSE_FAIL(sql);
		/* quoted, any word is a name */
		snprintf(sql, sizeof(sql), "SELECT `%s` FROM `%s`", reserved[i], reserved[i]);
		sl_node_t *n = PARSE(sql);
		NODE(KID(KID(KID(n, 0), 0), 0), COLUMN, 0, 0, reserved[i], NULL, 0);
	}
}
END_TEST

START_TEST(test_variables_as_names)
{
	sl_node_t *n = PARSE("CREATE STREAM ${name} (${col} INT) WITH (kafka_topic=${topic})");
	NODE(n, CREATE_SOURCE, SL_OBJ_STREAM, SL_F_VAR, "NAME", NULL, 2);
	NODE(KID(KID(n, 0), 0), COLUMN_DEF, SL_CONS_NONE, SL_F_VAR, "COL", NULL, 1);
	NODE(KID(KID(KID(n, 1), 0), 0), VARIABLE, 0, 0, "TOPIC", NULL, 0);
	n = PARSE("SELECT * FROM ${src} WHERE x = ${v}");
	NODE(KID(n, 1), RELATION, 0, SL_F_VAR, "SRC", NULL, 0);
	NODE(KID(KID(n, 3), 1), VARIABLE, 0, 0, "V", NULL, 0);
}
END_TEST

/* ========================================================== locations */

START_TEST(test_locations)
{
	/*                    0         1         2         3
	 *                    0123456789012345678901234567890123456 */
	sl_node_t *n = PARSE("SELECT a, f(b) FROM t WHERE c = 'x'");
	ck_assert_int_eq(n->loc, 0);
	const sl_node_t *a = KID(KID(KID(n, 0), 0), 0);
	ck_assert_int_eq(a->loc, 7);
	ck_assert_int_eq(a->str_loc, 7);
	const sl_node_t *f = KID(KID(KID(n, 0), 1), 0);
	ck_assert_int_eq(f->loc, 10);
	ck_assert_int_eq(KID(f, 0)->loc, 12);
	ck_assert_int_eq(KID(n, 1)->loc, 20);
	ck_assert_int_eq(KID(n, 1)->str_loc, 20);
	const sl_node_t *w = KID(n, 3);
	ck_assert_int_eq(KID(w, 0)->loc, 28);
	ck_assert_int_eq(KID(w, 0)->str_loc, 28);
	ck_assert_int_eq(KID(w, 1)->loc, 32);

	/* multi-line: offsets are bytes from the start of the text */
	n = PARSE("SELECT\n  x\nFROM\n  s\nWHERE\n  t.y > 1");
	ck_assert_int_eq(KID(KID(KID(n, 0), 0), 0)->loc, 9);
	ck_assert_int_eq(KID(n, 1)->loc, 18);
	const sl_node_t *col = KID(KID(n, 3), 0);
	NODE(col, COLUMN, 0, 0, "Y", "T", 0);
	ck_assert_int_eq(col->loc, 28);
	ck_assert_int_eq(col->str_loc, 30);

	/* every statement starts at its first keyword */
	static const char *stmts[] = {
		"  TERMINATE q1",
		"  TERMINATE ALL",
		"  PAUSE q1",
		"  RESUME ALL",
		"  DROP STREAM s",
		"  SHOW STREAMS",
		"  LIST TOPICS",
		"  DESCRIBE s",
		"  PRINT t",
		"  SET 'a'='b'",
		"  INSERT INTO s VALUES (1)",
		"  CREATE STREAM s (a INT)",
		"  EXPLAIN q",
		"  ASSERT TOPIC t",
		"  ASSERT SCHEMA ID 1",
		"  RUN SCRIPT 'x'",
		"  DEFINE v='x'",
		"  SELECT * FROM t",
	};
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		n = PARSE(stmts[i]);
		ck_assert_msg(n->loc == 2, "\"%s\": statement at %d, expected 2", stmts[i], n->loc);
	}
}
END_TEST

/* ============================================================= errors */

START_TEST(test_error_positions)
{
	ASSERT_ERROR("SELECT FROM t", 7, 1, 8, "syntax error at or near \"FROM\"");
	ASSERT_ERROR("SELECT a FROM t WHERE", 21, 1, 22, "syntax error at end of input");
	ASSERT_ERROR("SELECT a,\n  b\nFROM t\nWHERE x = = 1", 31, 4, 11,
		     "syntax error at or near \"=\"");
	ASSERT_ERROR("SELECT '\xc3\xa9', FROM t", 13, 1, 13, "syntax error at or near \"FROM\"");
	ASSERT_ERROR("CREATE STREAM s (a INT,) WITH (kafka_topic='t')", 23, 1, 24,
		     "syntax error at or near \")\"");
	ASSERT_ERROR("SELECT * FROM t LIMIT x", 22, 1, 23, "syntax error at or near \"x\"");
	ASSERT_ERROR("SELEC * FROM t", 0, 1, 1, "syntax error at or near \"SELEC\"");
	ASSERT_ERROR("SELECT * FROM t; SELECT", 17, 1, 18, "syntax error at or near \"SELECT\"");
	ASSERT_ERROR("\n\n   DROP", 9, 3, 8, "syntax error at end of input");
	ASSERT_ERROR("SELECT * FROM t WHERE a = 1 EMIT CHANGES CHANGES", 41, 1, 42,
		     "syntax error at or near \"CHANGES\"");
}
END_TEST

START_TEST(test_error_expected)
{
	/* the message names what would have been accepted */
	sl_error_t e = PARSE_FAIL("DROP STREAM s DELETE");
	ck_assert_int_eq(e.offset, 20);
	ck_assert_msg(strstr(e.msg, "expected TOPIC") != NULL, "message: %s", e.msg);
	e = PARSE_FAIL("SELECT * FROM t EMIT");
	ck_assert_msg(strstr(e.msg, "expected one of ") != NULL &&
			      strstr(e.msg, "CHANGES") != NULL && strstr(e.msg, "FINAL") != NULL,
		      "message: %s", e.msg);
	e = PARSE_FAIL("CREATE STREAM s (a INT");
	ck_assert_int_eq(e.offset, 22);
	ck_assert_msg(strstr(e.msg, "\")\"") != NULL && strstr(e.msg, "\",\"") != NULL,
		      "message: %s", e.msg);
	e = PARSE_FAIL("INSERT INTO s (a) VALUES 1");
	ck_assert_msg(strstr(e.msg, "expected \"(\"") != NULL, "message: %s", e.msg);
	/* a long token is cut in the message */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT * FROM t t2 %s",
		 "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij");
	e = PARSE_FAIL(sql);
	ck_assert_msg(strstr(e.msg, "abcdefghijabcdefghijabcdefghijabcdefghij...") != NULL,
		      "message: %s", e.msg);
}
END_TEST

START_TEST(test_lexical_errors)
{
	ASSERT_ERROR("SELECT * FROM t WHERE a = 'oops", 26, 1, 27, "unterminated string literal");
	ASSERT_ERROR("SELECT `oops FROM t", 7, 1, 8, "unterminated quoted identifier");
	ASSERT_ERROR("SELECT a FROM t /* oops", 16, 1, 17, "unterminated comment");
	ASSERT_ERROR("SELECT a # b FROM t", 9, 1, 10, "unexpected character \"#\"");
	ASSERT_ERROR("SELECT a ? FROM t", 9, 1, 10, "unexpected character \"?\"");
	ASSERT_ERROR("SELECT a, `` FROM t", 10, 1, 11, "zero-length quoted identifier");
	ASSERT_ERROR("SELECT a FROM \"\"", 14, 1, 15, "zero-length quoted identifier");
	ASSERT_ERROR("SELECT\n\xff FROM t", 7, 2, 1, "unexpected byte 0xff");
}
END_TEST

START_TEST(test_empty_input)
{
	PARSE_FAIL("");
	PARSE_FAIL("   ");
	PARSE_FAIL("-- nothing");
	PARSE_FAIL(";");
	PARSE_EXPR_FAIL("");
	PARSE_EXPR_FAIL("a;");
	PARSE_EXPR_FAIL("SELECT a FROM t");
	PARSE_EXPR_FAIL("a +");
	/* sl_parse_one takes one statement with an optional ';' */
	PARSE("SELECT a FROM t;");
	PARSE("SELECT a FROM t ; -- trailing comment");
	PARSE_FAIL("SELECT a FROM t;;");
	PARSE_FAIL("SELECT a FROM t; SELECT b FROM t");
}
END_TEST

START_TEST(test_nesting_limit)
{
	/* moderate nesting parses; pathological nesting is refused with an
	 * error, not a crash */
	char *sql = malloc(100000);
	strcpy(sql, "SELECT ");
	for (int i = 0; i < 100; i++)
		strcat(sql, "(");
	strcat(sql, "a");
	for (int i = 0; i < 100; i++)
		strcat(sql, ")");
	strcat(sql, " FROM t");
	PARSE(sql);

	size_t len = 0;
	len += (size_t)sprintf(sql + len, "SELECT ");
	for (int i = 0; i < 20000; i++)
		sql[len++] = '(';
	len += (size_t)sprintf(sql + len, "a");
	for (int i = 0; i < 20000; i++)
		sql[len++] = ')';
	len += (size_t)sprintf(sql + len, " FROM t");
	sl_error_t e = PARSE_FAIL(sql);
	ck_assert_msg(strstr(e.msg, "nested too deeply") != NULL, "message: %s", e.msg);

	/* a long flat chain is deep too */
	len = (size_t)sprintf(sql, "SELECT a");
	for (int i = 0; i < 5000; i++)
		len += (size_t)sprintf(sql + len, " + a");
	sprintf(sql + len, " FROM t");
	e = PARSE_FAIL(sql);
	ck_assert_msg(strstr(e.msg, "nested too deeply") != NULL, "message: %s", e.msg);

	len = (size_t)sprintf(sql, "SELECT ");
	for (int i = 0; i < 20000; i++)
		len += (size_t)sprintf(sql + len, "- ");
	sprintf(sql + len, "a FROM t");
	e = PARSE_FAIL(sql);
	ck_assert_msg(strstr(e.msg, "nested too deeply") != NULL, "message: %s", e.msg);
	free(sql);
}
END_TEST

/* ============================================================ scripts */

START_TEST(test_parse_script)
{
	const char *sql = "CREATE STREAM s (a INT) WITH (kafka_topic='t');\n"
			  "-- a comment; with a semicolon\n"
			  "SELECT * FROM s;\n"
			  "  DROP STREAM s";
	size_t len = strlen(sql);
	char *text = copy_text(sql, len);
	sl_stmt_list_t out;
	sl_error_t err;
	sl_error_clear(&err);
	int rc = sl_parse(text, len, &arena, &out, &err);
	free(text);
	ck_assert_msg(rc == SL_OK, "failed: %s", err.msg);
	ck_assert_int_eq(out.n, 3);
	ck_assert_int_eq(out.items[0].node->kind, SL_N_CREATE_SOURCE);
	ck_assert_int_eq(out.items[0].offset, 0);
	ck_assert_int_eq(out.items[0].len, 47);
	ck_assert_int_eq(out.items[1].node->kind, SL_N_SELECT);
	ck_assert_int_eq(out.items[1].offset, 79);
	ck_assert_int_eq(out.items[1].len, 16);
	ck_assert_int_eq(out.items[2].node->kind, SL_N_DROP);
	ck_assert_int_eq(out.items[2].offset, 98);
	ck_assert_int_eq(out.items[2].len, 13);
	/* node locations are offsets in the whole script */
	ck_assert_int_eq(out.items[1].node->loc, 79);
	ck_assert_int_eq(KID(out.items[1].node, 1)->loc, 93);
	ck_assert_int_eq(out.items[2].node->str_loc, 110);
}
END_TEST

START_TEST(test_parse_script_edge_cases)
{
	sl_stmt_list_t out;
	sl_error_t err;
	static const char *empty[] = { "", "  \n\t", ";", ";;;", "-- only\n", "/* c */ ; -- x" };
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		int rc = sl_parse(empty[i], strlen(empty[i]), &arena, &out, &err);
		ck_assert_msg(rc == SL_OK, "\"%s\": %s", empty[i], err.msg);
		ck_assert_int_eq(out.n, 0);
	}
	const char *sql = "SHOW STREAMS;;; SHOW TABLES ; ";
	int rc = sl_parse(sql, strlen(sql), &arena, &out, &err);
	ck_assert_int_eq(rc, SL_OK);
	ck_assert_int_eq(out.n, 2);
	ck_assert_int_eq(out.items[1].offset, 16);
	ck_assert_int_eq(out.items[1].len, 13);
	NODE(out.items[1].node, SHOW, SL_SHOW_TABLES, 0, NULL, NULL, 0);
}
END_TEST

START_TEST(test_parse_script_error)
{
	const char *sql = "SHOW STREAMS;\nSHOW TABLES;\nSELECT FROM t;\nSHOW TOPICS;";
	sl_stmt_list_t out;
	sl_error_t err;
	sl_error_clear(&err);
	int rc = sl_parse(sql, strlen(sql), &arena, &out, &err);
	ck_assert_int_eq(rc, SL_ESYNTAX);
	ck_assert_int_eq(err.code, SL_ESYNTAX);
	/* the statements before the failing one are kept */
	ck_assert_int_eq(out.n, 2);
	NODE(out.items[0].node, SHOW, SL_SHOW_STREAMS, 0, NULL, NULL, 0);
	NODE(out.items[1].node, SHOW, SL_SHOW_TABLES, 0, NULL, NULL, 0);
	ck_assert_int_eq(err.offset, 34);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.col, 8);
	char buf[256];
	sl_error_format(&err, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "line 3:8: syntax error at or near \"FROM\"", 40) == 0, "got %s",
		      buf);

	/* an unterminated string in the last statement */
	sql = "SHOW STREAMS;\nSELECT 'x FROM t;";
	rc = sl_parse(sql, strlen(sql), &arena, &out, &err);
	ck_assert_int_eq(rc, SL_ESYNTAX);
	ck_assert_int_eq(out.n, 1);
	ck_assert_int_eq(err.offset, 21);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.col, 8);
	ck_assert_str_eq(err.msg, "unterminated string literal");

	/* an unterminated token that starts a statement is an error too */
	static const struct {
		const char *sql;
		int offset;
		const char *msg;
	} unterminated[] = {
		{ "SELECT a FROM t; 'abc", 17, "unterminated string literal" },
		{ "SELECT a FROM t; `abc", 17, "unterminated quoted identifier" },
		{ "SELECT a FROM t; /* x", 17, "unterminated comment" },
		{ "'abc", 0, "unterminated string literal" },
		{ "/*", 0, "unterminated comment" },
	};
	for (size_t i = 0; i < sizeof(unterminated) / sizeof(unterminated[0]); i++) {
		sl_error_clear(&err);
		rc = sl_parse(unterminated[i].sql, strlen(unterminated[i].sql), &arena, &out, &err);
		ck_assert_msg(rc == SL_ESYNTAX, "\"%s\" was accepted (%d statements)",
			      unterminated[i].sql, out.n);
		ck_assert_int_eq(err.offset, unterminated[i].offset);
		ck_assert_str_eq(err.msg, unterminated[i].msg);
	}

	/* a statement cut short by the end of its span reports its end */
	sql = "SELECT * FROM; SHOW STREAMS";
	rc = sl_parse(sql, strlen(sql), &arena, &out, &err);
	ck_assert_int_eq(rc, SL_ESYNTAX);
	ck_assert_int_eq(out.n, 0);
	ck_assert_int_eq(err.offset, 13);
	ck_assert_str_eq(err.msg, "syntax error at or near \";\", expected identifier");
}
END_TEST

/* Splits sql and checks the spans against pairs of offset, length. */
static void
check_split(const char *sql, const int *exp, int nexp, int line)
{
	size_t len = strlen(sql);
	char *text = copy_text(sql, len);
	sl_span_t *spans = NULL;
	int n = -1;
	sl_error_t err;
	sl_error_clear(&err);
	int rc = sl_split(text, len, &arena, &spans, &n, &err);
	free(text);
	ck_assert_msg(rc == SL_OK, "line %d: \"%s\": %s", line, sql, err.msg);
	ck_assert_msg(n == nexp, "line %d: \"%s\": %d spans, expected %d", line, sql, n, nexp);
	for (int i = 0; i < n; i++)
		ck_assert_msg(spans[i].offset == exp[2 * i] && spans[i].len == exp[2 * i + 1],
			      "line %d: \"%s\" span %d: %d+%d, expected %d+%d", line, sql, i,
			      spans[i].offset, spans[i].len, exp[2 * i], exp[2 * i + 1]);
}
#define SPLIT(sql, ...)                                                                \
	do {                                                                           \
		static const int e_[] = { __VA_ARGS__ };                               \
		check_split(sql, e_, (int)(sizeof(e_) / sizeof(e_[0])) / 2, __LINE__); \
	} while (0)
#define SPLIT_NONE(sql) check_split(sql, NULL, 0, __LINE__)

START_TEST(test_split)
{
	SPLIT("a; b; c", 0, 2, 3, 2, 6, 1);
	SPLIT("SELECT ';' FROM t; SELECT 2", 0, 18, 19, 8);
	SPLIT("SELECT `a;b`, \"c;d\" FROM t;x;", 0, 27, 27, 2);
	SPLIT("-- ; comment\nx; /* ; */ y", 13, 2, 24, 1);
	SPLIT("a;;;b", 0, 2, 4, 1);
	SPLIT("a", 0, 1);
	SPLIT("  a  ", 2, 1);
	SPLIT("x; -- trailing comment", 0, 2);
	SPLIT("x; /* c */", 0, 2);
	SPLIT("'it''s;';", 0, 9);
	SPLIT("a\n;\nb\n", 0, 3, 4, 1);
	/* not a real statement, but the splitter does not parse */
	SPLIT("#?!;", 0, 4);
	SPLIT_NONE("");
	SPLIT_NONE("   \n ");
	SPLIT_NONE(";;");
	SPLIT_NONE("-- ;\n/* ; */");
}
END_TEST

START_TEST(test_split_errors)
{
	static const struct {
		const char *sql;
		int offset, line, col;
		const char *msg;
	} cases[] = {
		{ "SELECT 1; SELECT 'abc; def", 17, 1, 18, "unterminated string literal" },
		{ "a;\n`b;", 3, 2, 1, "unterminated quoted identifier" },
		{ "a; /* x", 3, 1, 4, "unterminated comment" },
		{ "\"", 0, 1, 1, "unterminated quoted identifier" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sl_span_t *spans;
		int n;
		sl_error_t err;
		sl_error_clear(&err);
		int rc = sl_split(cases[i].sql, strlen(cases[i].sql), &arena, &spans, &n, &err);
		ck_assert_msg(rc == SL_ESYNTAX, "\"%s\" was split", cases[i].sql);
		ck_assert_int_eq(err.offset, cases[i].offset);
		ck_assert_int_eq(err.line, cases[i].line);
		ck_assert_int_eq(err.col, cases[i].col);
		ck_assert_str_eq(err.msg, cases[i].msg);
	}
}
END_TEST

/* ========================================================= error caret */

static const char *
caret(const char *text, size_t len, const sl_error_t *err)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_errfmt_caret(&sb, text, len, err);
	char *s = sl_arena_strdup(&arena, sb.data);
	sl_strbuf_free(&sb);
	return s;
}

START_TEST(test_errfmt_caret)
{
	const char *sql = "SELECT nonesuch FROM pageviews;";
	sl_error_t err;
	sl_error_at(&err, SL_EINVAL, 7, "column \"NONESUCH\" does not exist");
	ck_assert_str_eq(caret(sql, strlen(sql), &err),
			 "ERROR: line 1:8: column \"NONESUCH\" does not exist\n"
			 "LINE 1: SELECT nonesuch FROM pageviews;\n"
			 "               ^\n");
	/* the line of the error only, without its CR LF */
	sql = "SELECT a,\r\n  b\r\nFROM t";
	sl_error_at(&err, SL_ESYNTAX, 13, "bad");
	ck_assert_str_eq(caret(sql, strlen(sql), &err), "ERROR: line 2:3: bad\n"
							"LINE 2:   b\n"
							"          ^\n");
	/* tabs stay tabs; UTF-8 characters take one column */
	sql = "\tx = '\xc3\xa9' ?";
	sl_error_at(&err, SL_ESYNTAX, 11, "bad");
	ck_assert_str_eq(caret(sql, strlen(sql), &err), "ERROR: line 1:11: bad\n"
							"LINE 1: \tx = '\xc3\xa9' ?\n"
							"        \t         ^\n");
	/* no position: the message only */
	sl_error_set(&err, SL_ERR, "no position");
	ck_assert_str_eq(caret(sql, strlen(sql), &err), "ERROR: no position\n");
	ck_assert_str_eq(caret(NULL, 0, &err), "ERROR: no position\n");
	/* the end of the text */
	sql = "DROP";
	sl_error_at(&err, SL_ESYNTAX, 4, "syntax error at end of input");
	ck_assert_str_eq(caret(sql, strlen(sql), &err),
			 "ERROR: line 1:5: syntax error at end of input\n"
			 "LINE 1: DROP\n"
			 "            ^\n");
	/* a parse error rendered end to end */
	sql = "SELECT a\nFROM t\nWHERE a = = 1";
	err = PARSE_FAIL(sql);
	ck_assert_str_eq(caret(sql, strlen(sql), &err),
			 "ERROR: line 3:11: syntax error at or near \"=\", "
			 "expected an expression\n"
			 "LINE 3: WHERE a = = 1\n"
			 "                  ^\n");
}
END_TEST

static Suite *
parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("statements");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_stream);
	tcase_add_test(tc, test_create_table_flags);
	tcase_add_test(tc, test_create_source_optional_parts);
	tcase_add_test(tc, test_column_constraints_and_headers);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_create_as);
	tcase_add_test(tc, test_insert);
	tcase_add_test(tc, test_drop);
	tcase_add_test(tc, test_create_type);
	tcase_add_test(tc, test_show);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_explain);
	tcase_add_test(tc, test_query_control);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_properties_and_variables);
	tcase_add_test(tc, test_alter_source);
	tcase_add_test(tc, test_assert_statements);
	suite_add_tcase(s, tc);

	tc = tcase_create("select");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_select_minimal);
	tcase_add_test(tc, test_select_items);
	tcase_add_test(tc, test_select_clauses);
	tcase_add_test(tc, test_windows);
	tcase_add_test(tc, test_joins);
	tcase_add_test(tc, test_pull_query);
	suite_add_tcase(s, tc);

	tc = tcase_create("expressions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_precedence_logic);
	tcase_add_test(tc, test_precedence_arithmetic);
	tcase_add_test(tc, test_precedence_postfix);
	tcase_add_test(tc, test_comparisons_nonassoc);
	tcase_add_test(tc, test_predicates);
	tcase_add_test(tc, test_literals);
	tcase_add_test(tc, test_case_cast);
	tcase_add_test(tc, test_constructors);
	tcase_add_test(tc, test_functions);
	tcase_add_test(tc, test_columns_and_parens);
	tcase_add_test(tc, test_tuple_rejected);
	suite_add_tcase(s, tc);

	tc = tcase_create("identifiers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_identifier_case);
	tcase_add_loop_test(tc, test_nonreserved_as_identifiers, 0, NNONRESERVED);
	tcase_add_test(tc, test_constructor_words_compared);
	tcase_add_test(tc, test_reserved_not_identifiers);
	tcase_add_test(tc, test_variables_as_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_locations);
	tcase_add_test(tc, test_error_positions);
	tcase_add_test(tc, test_error_expected);
	tcase_add_test(tc, test_lexical_errors);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_errfmt_caret);
	suite_add_tcase(s, tc);

	tc = tcase_create("scripts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse_script);
	tcase_add_test(tc, test_parse_script_edge_cases);
	tcase_add_test(tc, test_parse_script_error);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_split_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(parser_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
