/*
 * check_expr.c: unit tests of the expression core (src/expr): types,
 * values, casts, the function registry, the compiler and the evaluator.
 *
 * Layer: expr.  Most tests parse an expression with the real parser,
 * compile it against a fixed scope (one row with a column of every type,
 * NULLs, qualified and ambiguous names) and a registry holding test-only
 * functions, evaluate it, and compare "TYPE json" (or the error with its
 * line:column) with the expected text, so that both the typing and the
 * value are pinned.  The expected values follow ksqlDB's query-validation
 * tests where they say something (comparisons with NULL are FALSE, CAST
 * rounds HALF_UP, string literals coerce in lists, ...).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/cast.h"
#include "expr/decimal.h"
#include "expr/expr.h"
#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"
#include "parse/parser.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

static sl_arena_t arena; /* per test: compiled expressions, results */
static sl_func_registry_t *reg;
static sl_scope_col_t cols[32];
static sl_value_t row[32];
static sl_scope_t scope;

/* ---- test-only functions ----------------------------------------------- */

static int
fn_add_int(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	(void)argc;
	*out = sl_value_int(argv[0].u.i + argv[1].u.i);
	return SL_OK;
}

static int
fn_add_double(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	(void)argc;
	*out = sl_value_double(argv[0].u.d + argv[1].u.d);
	return SL_OK;
}

static int
fn_max(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const sl_vlist_t *l = argv[0].u.list;
	(void)call;
	(void)argc;
	*out = sl_value_null();
	for (int i = 0; i < l->n; i++)
		if (l->items[i].kind != SL_T_NULL &&
		    (out->kind == SL_T_NULL || sl_value_compare(&l->items[i], out) > 0))
			*out = l->items[i];
	return SL_OK;
}

static int
fn_transform(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const sl_vlist_t *l = argv[0].u.list;
	sl_value_t r = sl_value_list(call->arena, SL_T_ARRAY, l->n);
	(void)argc;
	for (int i = 0; i < l->n; i++) {
		int rc = sl_fcall_lambda(call, 1, &l->items[i], 1, &r.u.list->items[i]);
		if (rc != SL_OK)
			return rc;
	}
	*out = r;
	return SL_OK;
}

static int
fn_transform_map(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const sl_vlist_t *l = argv[0].u.list;
	sl_value_t r = sl_value_list(call->arena, SL_T_MAP, l->n);
	(void)argc;
	for (int i = 0; i < l->n; i++) {
		int rc = sl_fcall_lambda(call, 1, &l->items[2 * i], 2, &r.u.list->items[2 * i]);
		if (rc == SL_OK)
			rc = sl_fcall_lambda(call, 2, &l->items[2 * i], 2,
					     &r.u.list->items[2 * i + 1]);
		if (rc != SL_OK)
			return rc;
	}
	*out = r;
	return SL_OK;
}

static int
fn_reduce(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const sl_vlist_t *l = argv[0].u.list;
	sl_value_t acc = argv[1];
	(void)argc;
	for (int i = 0; i < l->n; i++) {
		sl_value_t args[2] = { acc, l->items[i] };
		int rc = sl_fcall_lambda(call, 2, args, 2, &acc);
		if (rc != SL_OK)
			return rc;
	}
	*out = acc;
	return SL_OK;
}

static int
fn_fail(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	(void)out;
	return sl_fcall_error(call, "bad input %.*s", (int)argv[0].u.s.len, argv[0].u.s.ptr);
}

static int
fn_coalesce(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	*out = sl_value_null();
	for (int i = 0; i < argc; i++)
		if (argv[i].kind != SL_T_NULL) {
			*out = argv[i];
			break;
		}
	return SL_OK;
}

static int
fn_concat(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	size_t n = 0;
	char *buf;
	for (int i = 0; i < argc; i++)
		if (argv[i].kind != SL_T_NULL)
			n += (size_t)argv[i].u.s.len;
	buf = sl_arena_alloc(call->arena, n + 1);
	n = 0;
	for (int i = 0; i < argc; i++)
		if (argv[i].kind != SL_T_NULL) {
			memcpy(buf + n, argv[i].u.s.ptr, (size_t)argv[i].u.s.len);
			n += (size_t)argv[i].u.s.len;
		}
	*out = sl_value_string(buf, (int32_t)n);
	return SL_OK;
}

static int
fn_ident(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	(void)argc;
	*out = argv[0];
	return SL_OK;
}

static int
resolve_same(sl_fresolve_t *r)
{
	/* argt: as matched (INT widened to DECIMAL(10, 0)); origt: as given */
	ck_assert(r->argt[0]->kind == SL_T_DECIMAL);
	ck_assert(r->origt[0]->kind == SL_T_DECIMAL || r->origt[0]->kind == SL_T_INT ||
		  r->origt[0]->kind == SL_T_BIGINT || r->origt[0]->kind == SL_T_NULL);
	r->ret = r->argt[0];
	return SL_OK;
}

static int counter;

static int
fn_counter(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	(void)argc;
	(void)argv;
	*out = sl_value_bigint(++counter);
	return SL_OK;
}

static int live_states;

static void
destroy_prefix(void *state)
{
	free(state);
	live_states--;
}

static int
init_prefix(sl_fresolve_t *r)
{
	const sl_value_t *p = r->constv[1];
	if (p == NULL)
		return SL_OK;
	if (p->kind == SL_T_STRING && p->u.s.len == 0)
		return sl_fresolve_error_arg(r, 1, "the prefix must not be empty");
	char *s = malloc((size_t)p->u.s.len + 1);
	memcpy(s, p->u.s.ptr, (size_t)p->u.s.len);
	s[p->u.s.len] = '\0';
	r->state = s;
	r->destroy = destroy_prefix;
	live_states++;
	return SL_OK;
}

static int
fn_prefix(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	const char *p = call->state;
	size_t pl;
	(void)argc;
	if (p == NULL) /* not constant: a state-less path */
		p = sl_value_cstr(call->arena, &argv[1]);
	pl = strlen(p);
	*out = sl_value_bool((size_t)argv[0].u.s.len >= pl && memcmp(argv[0].u.s.ptr, p, pl) == 0);
	return SL_OK;
}

static int
fn_unit(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	char buf[64];
	int n;
	(void)argc;
	n = snprintf(buf, sizeof(buf), "%.*s%d", (int)argv[0].u.s.len, argv[0].u.s.ptr,
		     argv[1].u.i);
	*out = sl_value_string_copy(call->arena, buf, n);
	return SL_OK;
}

static const sl_func_def_t test_defs[] = {
	{ .name = "T_ADD",
	  .category = "MATHEMATICAL",
	  .description = "Adds.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FV("a INT, b INT", "INT", fn_add_int),
					       SL_FV("a DOUBLE, b DOUBLE", "DOUBLE", fn_add_double),
					       { 0 } } },
	{ .name = "T_MAX",
	  .category = "ARRAY",
	  .description = "Largest element.",
	  .variants = (const sl_func_variant_t[]){ SL_FV("arr ARRAY<T>", "T", fn_max), { 0 } } },
	{ .name = "T_TRANSFORM",
	  .category = "LAMBDA",
	  .description = "Maps.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FV("arr ARRAY<T>, f LAMBDA<T, U>", "ARRAY<U>", fn_transform),
			  SL_FV("m MAP<K, V>, fk LAMBDA<K, V, K2>, fv LAMBDA<K, V, V2>",
				"MAP<K2, V2>", fn_transform_map),
			  { 0 } } },
	{ .name = "T_REDUCE",
	  .category = "LAMBDA",
	  .description = "Folds.",
	  .variants = (const sl_func_variant_t[]){ SL_FV("arr ARRAY<T>, init S, f LAMBDA<S, T, S>",
							 "S", fn_reduce),
						   { 0 } } },
	{ .name = "T_FAIL",
	  .category = "OTHER",
	  .description = "Always fails.",
	  .variants = (const sl_func_variant_t[]){ SL_FV("s STRING", "STRING", fn_fail), { 0 } } },
	{ .name = "T_COALESCE",
	  .category = "NULLS",
	  .description = "First non-NULL.",
	  .variants = (const sl_func_variant_t[]){ SL_FV("first T, rest T...", "T", fn_coalesce,
							 .flags = SL_FV_NULL_CALL),
						   { 0 } } },
	{ .name = "T_CONCAT",
	  .category = "STRING",
	  .description = "Concatenates.",
	  .variants = (const sl_func_variant_t[]){ SL_FV("parts STRING...", "STRING", fn_concat,
							 .flags = SL_FV_NULL_CALL),
						   { 0 } } },
	{ .name = "T_SCALE",
	  .category = "MATHEMATICAL",
	  .description = "Identity on decimals.",
	  .variants = (const sl_func_variant_t[]){ SL_FV("d DECIMAL", "DECIMAL", fn_ident,
							 .resolve = resolve_same),
						   { 0 } } },
	{ .name = "T_COUNTER",
	  .category = "OTHER",
	  .description = "Counts calls.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FV("", "BIGINT", fn_counter, .flags = SL_FV_VOLATILE), { 0 } } },
	{ .name = "T_PREFIX",
	  .category = "STRING",
	  .description = "Starts with.",
	  .variants = (const sl_func_variant_t[]){ SL_FV("s STRING, p STRING", "BOOLEAN", fn_prefix,
							 .init = init_prefix),
						   { 0 } } },
	{ .name = "T_UNIT",
	  .category = "DATE / TIME",
	  .description = "Unit and count.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FV("u INTERVALUNIT, n INT", "STRING", fn_unit),
					       { 0 } } },
	{ .name = "T_AGG",
	  .category = "AGGREGATE",
	  .description = "An aggregate.",
	  .kind = SL_FUNC_AGGREGATE,
	  .variants =
		  (const sl_func_variant_t[]){
			  { .params = "x T", .ret = "BIGINT", .agg = &(const sl_agg_ops_t){ 0 } },
			  { 0 } } },
	{ 0 },
};

/* ---- fixture ----------------------------------------------------------- */

static int ncols;

static void
add_col(const char *name, const char *qual, const sl_type_t *t, sl_value_t v)
{
	cols[ncols].name = name;
	cols[ncols].qualifier = qual;
	cols[ncols].type = t;
	cols[ncols].index = ncols;
	row[ncols] = v;
	ncols++;
}

static sl_value_t
list_of(sl_tkind_t kind, int n, const sl_value_t *items)
{
	sl_value_t v = sl_value_list(&arena, kind, n);
	int k = kind == SL_T_MAP ? 2 * n : n;
	memcpy(v.u.list->items, items, sizeof(*items) * (size_t)k);
	return v;
}

static void
setup(void)
{
	sl_arena_init(&arena, 0);
	reg = sl_func_registry_create();
	sl_func_register_defs(reg, test_defs);
	ncols = 0;

	sl_field_t stf[2] = { { "F1", sl_type_int() }, { "f2", sl_type_string() } };
	sl_field_t inner[1] = { { "N", sl_type_string() } };
	sl_field_t outer[1] = { { "P", sl_type_struct(&arena, inner, 1) } };
	sl_value_t a3[3] = { sl_value_int(1), sl_value_int(2), sl_value_int(3) };
	sl_value_t m2[4] = { sl_value_string("a", 1), sl_value_int(1), sl_value_string("b", 1),
			     sl_value_int(2) };
	sl_value_t st[2] = { sl_value_int(7), sl_value_string("x", 1) };
	sl_value_t as[3] = { sl_value_string("a", 1), sl_value_null(), sl_value_string("c", 1) };
	sl_value_t nst[1] = { sl_value_null() };
	sl_value_t la[2] = { sl_value_bigint(5000000000LL), sl_value_bigint(1) };

	add_col("I", NULL, sl_type_int(), sl_value_int(3));                   /* 0 */
	add_col("L", NULL, sl_type_bigint(), sl_value_bigint(10000000000LL)); /* 1 */
	add_col("D", NULL, sl_type_double(), sl_value_double(1.5));           /* 2 */
	add_col("DEC", NULL, sl_type_decimal(&arena, 4, 2), sl_value_decimal(1234, 4, 2));
	add_col("S", NULL, sl_type_string(), sl_value_string("hello", 5));
	add_col("B", NULL, sl_type_boolean(), sl_value_bool(true));
	add_col("NI", NULL, sl_type_int(), sl_value_null());
	add_col("NS", NULL, sl_type_string(), sl_value_null());
	add_col("NB", NULL, sl_type_boolean(), sl_value_null());
	add_col("A", NULL, sl_type_array(&arena, sl_type_int()), list_of(SL_T_ARRAY, 3, a3));
	add_col("M", NULL, sl_type_map(&arena, sl_type_string(), sl_type_int()),
		list_of(SL_T_MAP, 2, m2));
	add_col("ST", NULL, sl_type_struct(&arena, stf, 2), list_of(SL_T_STRUCT, 2, st));
	add_col("TS", NULL, sl_type_timestamp(), sl_value_timestamp(1651182287943LL));
	add_col("DT", NULL, sl_type_date(), sl_value_date(19000));
	add_col("TM", NULL, sl_type_time(), sl_value_time(5000));
	add_col("X", "T1", sl_type_int(), sl_value_int(1));
	add_col("X", "T2", sl_type_int(), sl_value_int(2));
	add_col("Y", "T1", sl_type_string(), sl_value_string("y", 1));
	add_col("SA", NULL, sl_type_array(&arena, sl_type_string()), list_of(SL_T_ARRAY, 3, as));
	add_col("NA", NULL, sl_type_array(&arena, sl_type_int()), sl_value_null());
	add_col("BF", NULL, sl_type_boolean(), sl_value_bool(false));
	add_col("IMAX", NULL, sl_type_int(), sl_value_int(2147483647));
	add_col("LMIN", NULL, sl_type_bigint(), sl_value_bigint(INT64_MIN));
	add_col("NST", NULL, sl_type_struct(&arena, outer, 1), list_of(SL_T_STRUCT, 1, nst));
	add_col("BYT", NULL, sl_type_bytes(), sl_value_bytes("hi", 2));
	add_col("LA", NULL, sl_type_array(&arena, sl_type_bigint()), list_of(SL_T_ARRAY, 2, la));
	add_col("ND", NULL, sl_type_double(), sl_value_null());
	scope.cols = cols;
	scope.ncols = ncols;
	scope.lookup_type = NULL;
	scope.lookup_ud = NULL;
}

static void
teardown(void)
{
	sl_func_registry_destroy(reg);
	sl_arena_destroy(&arena);
}

/* ---- helpers ----------------------------------------------------------- */

static const char *
keep(sl_strbuf_t *sb)
{
	char *s = sl_arena_strdup(&arena, sb->data);
	sl_strbuf_free(sb);
	return s;
}

static const char *
render(const sl_type_t *t, const sl_value_t *v)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_type_format(&sb, t);
	sl_strbuf_putc(&sb, ' ');
	sl_value_format_json(&sb, v, t);
	return keep(&sb);
}

static const char *
error_text(sl_error_t *err, const char *text)
{
	char buf[SL_ERROR_MSG_MAX + 64];
	sl_error_locate(err, text, strlen(text));
	sl_error_format(err, buf, sizeof(buf));
	return sl_arena_strdup(&arena, buf);
}

/* Parses, compiles and evaluates text against the row: "TYPE json", or
 * "error: line:col: msg" (compile) or "runtime: msg". */
static const char *
run(const char *text)
{
	sl_node_t *ast;
	sl_error_t err;
	sl_expr_t *e;
	sl_value_t v;
	sl_eval_ctx_t ctx = { .row = row, .arena = &arena, .err = &err };
	int rc;

	sl_error_clear(&err);
	rc = sl_parse_expr(text, strlen(text), &arena, &ast, &err);
	if (rc != SL_OK)
		return sl_arena_strdup(&arena, "parse error");
	rc = sl_expr_compile(ast, &scope, reg, &arena, &e, &err);
	if (rc != SL_OK) {
		const char *m = error_text(&err, text);
		char buf[SL_ERROR_MSG_MAX + 80];
		snprintf(buf, sizeof(buf), "error: %s", m);
		return sl_arena_strdup(&arena, buf);
	}
	sl_error_clear(&err);
	rc = sl_expr_eval(e, &ctx, &v);
	sl_expr_destroy(e);
	if (rc != SL_OK) {
		char buf[SL_ERROR_MSG_MAX + 16];
		ck_assert_int_eq(v.kind, SL_T_NULL);
		ck_assert_int_eq(ctx.errors, 1);
		snprintf(buf, sizeof(buf), "runtime: %s", err.msg);
		return sl_arena_strdup(&arena, buf);
	}
	if (ctx.errors > 0) {
		/* calls that failed and were taken as NULL */
		char buf[SL_ERROR_MSG_MAX + 256];
		snprintf(buf, sizeof(buf), "%s [%d error(s): %s]", render(sl_expr_type(e), &v),
			 ctx.errors, err.msg);
		return sl_arena_strdup(&arena, buf);
	}
	return render(sl_expr_type(e), &v);
}

typedef struct {
	const char *expr;
	const char *want;
} case_t;

static void
run_cases(const case_t *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = run(cases[i].expr);
		ck_assert_msg(strcmp(got, cases[i].want) == 0, "%s\n  got:  %s\n  want: %s",
			      cases[i].expr, got, cases[i].want);
	}
}

#define RUN_CASES(c) run_cases(c, sizeof(c) / sizeof(c[0]))

/* ---- literals, names ------------------------------------------------------ */

START_TEST(test_literals)
{
	static const case_t c[] = {
		{ "1", "INTEGER 1" },
		{ "2147483647", "INTEGER 2147483647" },
		{ "2147483648", "BIGINT 2147483648" },
		{ "-2147483648", "INTEGER -2147483648" },
		{ "00002147483647", "INTEGER 2147483647" },
		{ "-9223372036854775808", "BIGINT -9223372036854775808" },
		{ "9223372036854775808",
		  "error: line 1:1: invalid numeric literal: 9223372036854775808" },
		{ "-9223372036854775809",
		  "error: line 1:1: invalid numeric literal: -9223372036854775809" },
		{ "1.50", "DECIMAL(3, 2) 1.50" },
		{ "2.345", "DECIMAL(4, 3) 2.345" },
		{ "0.08", "DECIMAL(2, 2) 0.08" },
		{ "0.00", "DECIMAL(3, 2) 0.00" },
		{ "-1.5", "DECIMAL(2, 1) -1.5" },
		{ "1.5E3", "DOUBLE 1500.0" },
		{ "04.90E-324", "DOUBLE 4.9E-324" },
		{ "-1.7976931348623157E308", "DOUBLE -1.7976931348623157E308" },
		{ "1.7976931348623159E308",
		  "error: line 1:1: number overflows DOUBLE: 1.7976931348623159E308" },
		{ "'it''s'", "STRING \"it's\"" },
		{ "''", "STRING \"\"" },
		{ "TRUE", "BOOLEAN true" },
		{ "false", "BOOLEAN false" },
		{ "NULL", "NULL null" },
		{ "DATE '2021-01-02'", "DATE 18629" },
		{ "TIMESTAMP '1970-01-01T00:00:01'", "TIMESTAMP 1000" },
		{ "TIMESTAMP '2017-11-13T23:59:58.999-0100'", "TIMESTAMP 1510621198999" },
		{ "TIME '10:00'", "TIME 36000000" },
		{ "TIME '00:00:00.010'", "TIME 10" },
		{ "DATE 'x'", "error: line 1:1: invalid input syntax for type DATE: \"x\"" },
		{ "DATE '2021-02-30'",
		  "error: line 1:1: invalid input syntax for type DATE: \"2021-02-30\"" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_names)
{
	static const case_t c[] = {
		{ "I", "INTEGER 3" },
		{ "S", "STRING \"hello\"" },
		{ "NOPE", "error: line 1:1: column \"NOPE\" does not exist" },
		{ "1 + NOPE", "error: line 1:5: column \"NOPE\" does not exist" },
		{ "X", "error: line 1:1: column reference \"X\" is ambiguous" },
		{ "T1.X", "INTEGER 1" },
		{ "T2.X", "INTEGER 2" },
		{ "T1.Y", "STRING \"y\"" },
		{ "Y", "STRING \"y\"" },
		{ "T3.X", "error: line 1:1: column \"T3.X\" does not exist" },
		{ "T2.Y", "error: line 1:1: column \"T2.Y\" does not exist" },
		{ "${v}", "error: line 1:1: variable reference \"${V}\" was not substituted" },
		{ "1 + ${v}", "error: line 1:5: variable reference \"${V}\" was not substituted" },
		{ "`i`", "error: line 1:1: column \"i\" does not exist" },
	};
	RUN_CASES(c);
}
END_TEST

/* ---- operators --------------------------------------------------------- */

START_TEST(test_arithmetic)
{
	static const case_t c[] = {
		{ "1 + 2", "INTEGER 3" },
		{ "7 / 2", "INTEGER 3" },
		{ "-7 / 2", "INTEGER -3" },
		{ "-7 % 3", "INTEGER -1" },
		{ "7 % -3", "INTEGER 1" },
		{ "I + L", "BIGINT 10000000003" },
		{ "I * 25", "INTEGER 75" },
		{ "I + D", "DOUBLE 4.5" },
		{ "D * 2", "DOUBLE 3.0" },
		{ "D / 4", "DOUBLE 0.375" },
		{ "D % 1", "DOUBLE 0.5" },
		{ "IMAX + 1", "INTEGER -2147483648" },
		{ "IMAX * 2", "INTEGER -2" },
		{ "LMIN - 1", "BIGINT 9223372036854775807" },
		{ "-LMIN", "BIGINT -9223372036854775808" },
		{ "LMIN / -1", "BIGINT -9223372036854775808" },
		{ "I / 0", "runtime: division by zero" },
		{ "I % 0", "runtime: division by zero" },
		{ "L / 0", "runtime: division by zero" },
		{ "D / 0", "DOUBLE \"Infinity\"" },
		{ "-D / 0", "DOUBLE \"-Infinity\"" },
		{ "DEC + 1", "DECIMAL(13, 2) 13.34" },
		{ "DEC + DEC", "DECIMAL(5, 2) 24.68" },
		{ "DEC - 20", "DECIMAL(13, 2) -7.66" },
		{ "DEC * DEC", "DECIMAL(9, 4) 152.2756" },
		{ "DEC / 4", "DECIMAL(15, 13) 3.0850000000000" },
		{ "DEC / 3", "DECIMAL(15, 13) 4.1133333333333" },
		{ "DEC / 0", "runtime: division by zero" },
		{ "DEC % 5", "DECIMAL(4, 2) 2.34" },
		{ "-DEC", "DECIMAL(4, 2) -12.34" },
		{ "DEC + 0.5E0", "DOUBLE 12.84" },
		{ "1.5 + 1.25", "DECIMAL(4, 2) 2.75" },
		{ "10.01 + 5.1", "DECIMAL(5, 2) 15.11" },
		{ "10.1 / 2.0", "DECIMAL(9, 6) 5.050000" },
		{ "2 / 3.0", "DECIMAL(17, 6) 0.666667" },
		{ "'a' + 'b'", "STRING \"ab\"" },
		{ "S || ' world'", "STRING \"hello world\"" },
		{ "S || NS", "STRING null" },
		{ "1 + 'a'",
		  "error: line 1:3: operator \"+\" cannot be applied to INTEGER and STRING" },
		{ "'a' || 1",
		  "error: line 1:5: operator \"||\" cannot be applied to STRING and INTEGER" },
		{ "B + 1",
		  "error: line 1:3: operator \"+\" cannot be applied to BOOLEAN and INTEGER" },
		{ "-S", "error: line 1:1: operator \"-\" cannot be applied to STRING" },
		{ "NI + 1", "INTEGER null" },
		{ "NULL + 1", "INTEGER null" },
		{ "+I", "INTEGER 3" },
		{ "- - I", "INTEGER 3" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_precedence)
{
	static const case_t c[] = {
		{ "2 * 3 + 4", "INTEGER 10" },
		{ "2 * 3 - 4", "INTEGER 2" },
		{ "6 / 3 - 4", "INTEGER -2" },
		{ "6 % 4 + 4", "INTEGER 6" },
		{ "10 - 2 + 5", "INTEGER 13" },
		{ "6 % 4 / 2 * 6", "INTEGER 6" },
		{ "6 / 2 % 2 * 2", "INTEGER 2" },
		{ "2 * 3 % 4", "INTEGER 2" },
		{ "1 - 2 - 3", "INTEGER -4" },
		{ "(1 + 2) * 3", "INTEGER 9" },
		{ "NOT 4 > 11", "BOOLEAN true" },
		{ "NOT false AND NOT false", "BOOLEAN true" },
		{ "'this' LIKE '%hi%' AND true", "BOOLEAN true" },
		{ "true OR false AND false", "BOOLEAN true" },
		{ "1 + 2 = 3 AND 'a' || 'b' = 'ab'", "BOOLEAN true" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_comparison)
{
	static const case_t c[] = {
		{ "1 < 2", "BOOLEAN true" },
		{ "I = 3", "BOOLEAN true" },
		{ "I <> 3", "BOOLEAN false" },
		{ "I >= 3 AND I <= 3", "BOOLEAN true" },
		/* ksqlDB: a comparison with a NULL operand is FALSE, not NULL */
		{ "NI = 3", "BOOLEAN false" },
		{ "NI <> 3", "BOOLEAN false" },
		{ "NI < 3", "BOOLEAN false" },
		{ "NS = NS", "BOOLEAN false" },
		{ "1 = 1.0", "BOOLEAN true" },
		{ "L > I", "BOOLEAN true" },
		{ "DEC = 12.340", "BOOLEAN true" },
		{ "DEC < 12.341", "BOOLEAN true" },
		{ "DEC = 12.34E0", "BOOLEAN true" },
		{ "S = 'hello'", "BOOLEAN true" },
		{ "S > 'hello'", "BOOLEAN false" },
		{ "'Foo' < 'foo'", "BOOLEAN true" },
		{ "'a' < 'ab'", "BOOLEAN true" },
		{ "B = true", "BOOLEAN true" },
		{ "TS > '2022-01-01'", "BOOLEAN true" },
		{ "TS = '2022-04-28T21:44:47.943Z'", "BOOLEAN true" },
		{ "TS = '2022-04-28T23:44:47.943+02:00'", "BOOLEAN true" },
		{ "TS < S", "runtime: invalid input syntax for type TIMESTAMP: \"hello\"" },
		{ "DT = '2022-01-08'", "BOOLEAN true" },
		{ "DT < TS", "BOOLEAN true" },
		{ "DT = TIMESTAMP '2022-01-08T00:00:00'", "BOOLEAN true" },
		{ "TM = '00:00:05'", "BOOLEAN true" },
		{ "TM > '00:00:04.999'", "BOOLEAN true" },
		{ "TS > 'never'",
		  "error: line 1:6: invalid input syntax for type TIMESTAMP: \"never\"" },
		{ "I = 'x'",
		  "error: line 1:3: operator \"=\" cannot be applied to INTEGER and STRING" },
		{ "I >= 'not an int'",
		  "error: line 1:3: operator \">=\" cannot be applied to INTEGER and STRING" },
		{ "NULL <> NULL",
		  "error: line 1:6: comparison with NULL is not supported; use IS [NOT] NULL or IS "
		  "[NOT] DISTINCT FROM" },
		{ "I = NULL",
		  "error: line 1:3: comparison with NULL is not supported; use IS [NOT] NULL or IS "
		  "[NOT] DISTINCT FROM" },
		{ "A = ARRAY[1, 2, 3]", "BOOLEAN true" },
		{ "A = ARRAY[1, 2]", "BOOLEAN false" },
		{ "A <> ARRAY[1, 2]", "BOOLEAN true" },
		{ "LA = ARRAY[5000000000, 1]", "BOOLEAN true" },
		{ "M = MAP('b' := 2, 'a' := 1)", "BOOLEAN true" },
		{ "M = MAP('a' := 1)", "BOOLEAN false" },
		{ "ST = STRUCT(F1 := 7, `f2` := 'x')", "BOOLEAN true" },
		{ "SA = ARRAY['a', CAST(NULL AS STRING), 'c']", "BOOLEAN true" },
		{ "A < A",
		  "error: line 1:3: operator \"<\" cannot be applied to ARRAY<INTEGER> and "
		  "ARRAY<INTEGER>" },
		{ "ST > ST",
		  "error: line 1:4: operator \">\" cannot be applied to STRUCT<`F1` INTEGER, `f2` "
		  "STRING> and STRUCT<`F1` INTEGER, `f2` STRING>" },
		{ "B = 1",
		  "error: line 1:3: operator \"=\" cannot be applied to BOOLEAN and INTEGER" },
		{ "1.0E0 / 0 = 1.0E0 / 0", "BOOLEAN true" },
	};
	RUN_CASES(c);
}
END_TEST

/* Three-valued logic, with constants (folded) and with columns (B TRUE,
 * BF FALSE, NB NULL: evaluated per row). */
START_TEST(test_logic_truth_tables)
{
	static const char *lit[3] = { "TRUE", "FALSE", "CAST(NULL AS BOOLEAN)" };
	static const char *col[3] = { "B", "BF", "NB" };
	static const char *val[3] = { "true", "false", "null" };
	/* [a][b] */
	static const int and_t[3][3] = { { 0, 1, 2 }, { 1, 1, 1 }, { 2, 1, 2 } };
	static const int or_t[3][3] = { { 0, 0, 0 }, { 0, 1, 2 }, { 0, 2, 2 } };
	static const int not_t[3] = { 1, 0, 2 };
	char buf[128], want[64];

	for (int form = 0; form < 2; form++) {
		const char **x = form ? col : lit;
		for (int a = 0; a < 3; a++) {
			for (int b = 0; b < 3; b++) {
				snprintf(buf, sizeof(buf), "%s AND %s", x[a], x[b]);
				snprintf(want, sizeof(want), "BOOLEAN %s", val[and_t[a][b]]);
				ck_assert_msg(strcmp(run(buf), want) == 0, "%s: %s", buf, run(buf));
				snprintf(buf, sizeof(buf), "%s OR %s", x[a], x[b]);
				snprintf(want, sizeof(want), "BOOLEAN %s", val[or_t[a][b]]);
				ck_assert_msg(strcmp(run(buf), want) == 0, "%s: %s", buf, run(buf));
			}
			snprintf(buf, sizeof(buf), "NOT %s", x[a]);
			snprintf(want, sizeof(want), "BOOLEAN %s", val[not_t[a]]);
			ck_assert_msg(strcmp(run(buf), want) == 0, "%s: %s", buf, run(buf));
		}
	}
	static const case_t c[] = {
		{ "NULL AND TRUE", "BOOLEAN null" },
		{ "NULL OR TRUE", "BOOLEAN true" },
		{ "NOT NULL", "BOOLEAN null" },
		{ "1 AND TRUE", "error: line 1:1: argument of AND must be BOOLEAN, not INTEGER" },
		{ "TRUE OR 'x'", "error: line 1:9: argument of OR must be BOOLEAN, not STRING" },
		{ "NOT I", "error: line 1:5: argument of NOT must be BOOLEAN, not INTEGER" },
		/* short circuit: the failing side is not evaluated */
		{ "BF AND T_FAIL(S) = 'x'", "BOOLEAN false" },
		{ "B OR T_FAIL(S) = 'x'", "BOOLEAN true" },
		{ "B AND T_FAIL(S) = 'x'",
		  "BOOLEAN false [1 error(s): function \"T_FAIL\": bad input hello]" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_null_predicates)
{
	static const case_t c[] = {
		{ "NI IS NULL", "BOOLEAN true" },
		{ "I IS NULL", "BOOLEAN false" },
		{ "NI IS NOT NULL", "BOOLEAN false" },
		{ "NA IS NULL", "BOOLEAN true" },
		{ "NULL IS NULL", "BOOLEAN true" },
		{ "NI IS DISTINCT FROM NULL", "BOOLEAN false" },
		{ "I IS DISTINCT FROM NI", "BOOLEAN true" },
		{ "I IS DISTINCT FROM 3", "BOOLEAN false" },
		{ "I IS NOT DISTINCT FROM 3", "BOOLEAN true" },
		{ "NI IS NOT DISTINCT FROM NULL", "BOOLEAN true" },
		{ "NI IS NOT DISTINCT FROM I", "BOOLEAN false" },
		{ "A IS DISTINCT FROM ARRAY[1, 2]", "BOOLEAN true" },
		{ "DEC IS NOT DISTINCT FROM 12.34", "BOOLEAN true" },
		{ "S IS DISTINCT FROM 1",
		  "error: line 1:3: operator \"=\" cannot be applied to STRING and INTEGER" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_in)
{
	static const case_t c[] = {
		{ "I IN (1, 2, 3)", "BOOLEAN true" },
		{ "I IN (1, 2)", "BOOLEAN false" },
		{ "I NOT IN (1, 2)", "BOOLEAN true" },
		{ "I NOT IN (1, 3)", "BOOLEAN false" },
		/* SQL: no match and a NULL involved gives NULL */
		{ "I IN (1, NULL)", "BOOLEAN null" },
		{ "I IN (3, NULL)", "BOOLEAN true" },
		{ "I NOT IN (1, NULL)", "BOOLEAN null" },
		{ "NI IN (1)", "BOOLEAN null" },
		{ "I IN (NI, 3)", "BOOLEAN true" },
		{ "I IN (I, I * 2)", "BOOLEAN true" },
		/* literals coerce to the value's type (ksqlDB in.json) */
		{ "I IN (1, '3')", "BOOLEAN true" },
		{ "I IN (1, '2147483648')", "BOOLEAN false" },
		{ "L IN (1, 2.0, '10000000000')", "BOOLEAN true" },
		{ "L IN (10000000000.000)", "BOOLEAN true" },
		{ "DEC IN (12.340, 1)", "BOOLEAN true" },
		{ "S IN (true, 10, 'hello')", "BOOLEAN true" },
		{ "'10.30' IN (S, 10.30)", "BOOLEAN true" },
		{ "'true' IN (S, true)", "BOOLEAN true" },
		{ "B IN (FALSE, 'TrUe')", "BOOLEAN true" },
		{ "B IN (FALSE, 'y')", "BOOLEAN true" },
		{ "BF IN ('tr', 'n')", "BOOLEAN true" },
		{ "I IN (1, 'x')",
		  "error: line 1:10: invalid input syntax for type INTEGER: \"x\"" },
		{ "B IN (true, 10)",
		  "error: line 1:13: invalid IN list: operator does not exist: BOOLEAN = INTEGER" },
		{ "I IN (1, S)",
		  "error: line 1:10: invalid IN list: operator does not exist: INTEGER = STRING" },
		{ "A IN (ARRAY[1, 2, 3])", "BOOLEAN true" },
		{ "A IN (ARRAY[1, 2], LA)", "BOOLEAN false" },
		{ "SA IN (ARRAY['a', NULL, 'c'])", "BOOLEAN true" },
		{ "ST IN (STRUCT(F1 := 7, `f2` := 'x'))", "BOOLEAN true" },
		{ "M IN (MAP('a' := 1, 'b' := 2))", "BOOLEAN true" },
		{ "TS IN ('2022-04-28T21:44:47.943')", "BOOLEAN true" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_between)
{
	static const case_t c[] = {
		{ "I BETWEEN 1 AND 3", "BOOLEAN true" },
		{ "I BETWEEN 4 AND 5", "BOOLEAN false" },
		{ "I NOT BETWEEN 1 AND 3", "BOOLEAN false" },
		{ "I NOT BETWEEN 4 AND 5", "BOOLEAN true" },
		{ "NI BETWEEN 1 AND 3", "BOOLEAN false" },
		{ "I BETWEEN NI AND 3", "BOOLEAN false" },
		{ "S BETWEEN 'a' AND 'z'", "BOOLEAN true" },
		{ "S BETWEEN 'b' AND 'c'", "BOOLEAN false" },
		{ "DEC BETWEEN 12 AND 12.5", "BOOLEAN true" },
		{ "D BETWEEN 1 AND 2", "BOOLEAN true" },
		{ "TS BETWEEN '2022-04-28' AND '2022-04-29'", "BOOLEAN true" },
		{ "DT BETWEEN '2022-01-04' AND '2022-01-10'", "BOOLEAN true" },
		{ "A[2] BETWEEN 2 AND 4", "BOOLEAN true" },
		{ "I BETWEEN '1' AND 5", "BOOLEAN true" },
		{ "A BETWEEN A AND A",
		  "error: line 1:3: BETWEEN cannot be applied to ARRAY<INTEGER>" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_like)
{
	static const case_t c[] = {
		{ "'abc' LIKE 'a%'", "BOOLEAN true" },
		{ "'abc' LIKE '%c'", "BOOLEAN true" },
		{ "'abc' LIKE '%b%'", "BOOLEAN true" },
		{ "'abc' LIKE '_b_'", "BOOLEAN true" },
		{ "'abc' LIKE 'a_'", "BOOLEAN false" },
		{ "'abc' LIKE 'abc'", "BOOLEAN true" },
		{ "'abc' LIKE 'ABC'", "BOOLEAN false" },
		{ "'abc' LIKE '%'", "BOOLEAN true" },
		{ "'' LIKE '%'", "BOOLEAN true" },
		{ "'' LIKE '_'", "BOOLEAN false" },
		{ "'abcabc' LIKE '%bc'", "BOOLEAN true" },
		{ "'aXbXc' LIKE 'a%b%c'", "BOOLEAN true" },
		{ "'aXbXd' LIKE 'a%b%c'", "BOOLEAN false" },
		{ "'h\xc3\xa9llo' LIKE 'h_llo'", "BOOLEAN true" },
		{ "'a%c' LIKE 'a\\%c' ESCAPE '\\'", "BOOLEAN true" },
		{ "'abc' LIKE 'a\\%c' ESCAPE '\\'", "BOOLEAN false" },
		{ "'a_c' LIKE 'a!_c' ESCAPE '!'", "BOOLEAN true" },
		{ "'abc' LIKE 'a!_c' ESCAPE '!'", "BOOLEAN false" },
		{ "S LIKE 'hel%'", "BOOLEAN true" },
		{ "S NOT LIKE 'hel%'", "BOOLEAN false" },
		{ "S LIKE S", "BOOLEAN true" },
		{ "NS LIKE '%'", "BOOLEAN null" },
		{ "S LIKE NS", "BOOLEAN null" },
		{ "I LIKE '%'", "error: line 1:1: The column type for Like condition must be VARCHAR. The column type is INTEGER" },
		{ "S LIKE 'x' ESCAPE 'ab'",
		  "error: line 1:19: the ESCAPE of LIKE must be a single character" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_case)
{
	static const case_t c[] = {
		{ "CASE WHEN I < 2 THEN 'small' WHEN I < 4 THEN 'medium' ELSE 'large' END",
		  "STRING \"medium\"" },
		{ "CASE WHEN I > 5 THEN 'big' END", "STRING null" },
		{ "CASE WHEN NB THEN 1 ELSE 2 END", "INTEGER 2" },
		{ "CASE WHEN I < 4 THEN NULL ELSE 'large' END", "STRING null" },
		{ "CASE WHEN I > 4 THEN NULL ELSE 'large' END", "STRING \"large\"" },
		{ "CASE WHEN B THEN 1 ELSE 2.5 END", "DECIMAL(11, 1) 1.0" },
		{ "CASE WHEN B THEN I ELSE L END", "BIGINT 3" },
		{ "CASE I WHEN 1 THEN 'a' WHEN 3 THEN 'c' END", "STRING \"c\"" },
		{ "CASE I WHEN 1 THEN 'a' ELSE 'z' END", "STRING \"z\"" },
		{ "CASE NI WHEN NULL THEN 'x' ELSE 'y' END", "STRING \"y\"" },
		{ "CASE S WHEN 'hello' THEN 1 END", "INTEGER 1" },
		{ "CASE WHEN BF THEN T_FAIL(S) ELSE 'ok' END", "STRING \"ok\"" },
		{ "CASE WHEN I < 2 THEN NULL ELSE NULL END",
		  "error: line 1:1: invalid CASE expression: all branches have NULL type" },
		{ "CASE WHEN 1 THEN 2 END",
		  "error: line 1:11: argument of WHEN must be BOOLEAN, not INTEGER" },
		{ "CASE WHEN B THEN 1 ELSE 'x' END",
		  "error: line 1:25: invalid input syntax for type INTEGER: \"x\"" },
		{ "CASE WHEN B THEN 1 ELSE S END",
		  "error: line 1:18: invalid CASE: operator does not exist: STRING = INTEGER" },
	};
	RUN_CASES(c);
}
END_TEST

/* ---- casts ------------------------------------------------------------- */

START_TEST(test_cast)
{
	static const case_t c[] = {
		/* to STRING */
		{ "CAST(I AS STRING)", "STRING \"3\"" },
		{ "CAST(L AS VARCHAR)", "STRING \"10000000000\"" },
		{ "CAST(D AS STRING)", "STRING \"1.5\"" },
		{ "CAST(1.0E10 AS STRING)", "STRING \"1.0E10\"" },
		{ "CAST(0.0001E0 AS STRING)", "STRING \"1.0E-4\"" },
		{ "CAST(DEC AS STRING)", "STRING \"12.34\"" },
		{ "CAST(0.00 AS STRING)", "STRING \"0.00\"" },
		{ "CAST(B AS STRING)", "STRING \"true\"" },
		{ "CAST(TS AS STRING)", "STRING \"2022-04-28T21:44:47.943\"" },
		{ "CAST(TIMESTAMP '1970-01-01T00:00:00.010' AS STRING)",
		  "STRING \"1970-01-01T00:00:00.010\"" },
		{ "CAST(TM AS STRING)", "STRING \"00:00:05\"" },
		{ "CAST(TIME '10:00' AS STRING)", "STRING \"10:00\"" },
		{ "CAST(TIME '10:00:05.100' AS STRING)", "STRING \"10:00:05.100\"" },
		{ "CAST(DT AS STRING)", "STRING \"2022-01-08\"" },
		{ "CAST(A AS STRING)", "STRING \"[1, 2, 3]\"" },
		{ "CAST(SA AS STRING)", "STRING \"[a, null, c]\"" },
		{ "CAST(M AS STRING)", "STRING \"{a=1, b=2}\"" },
		{ "CAST(ST AS STRING)", "STRING \"Struct{F1=7,f2=x}\"" },
		{ "CAST(NST AS STRING)", "STRING \"Struct{}\"" },
		{ "CAST(NS AS STRING)", "STRING null" },
		/* numbers */
		{ "CAST(DEC AS INT)", "INTEGER 12" },
		{ "CAST(DEC AS BIGINT)", "BIGINT 12" },
		{ "CAST(DEC AS DOUBLE)", "DOUBLE 12.34" },
		{ "CAST(-12.99 AS INT)", "INTEGER -12" },
		{ "CAST(D AS INT)", "INTEGER 1" },
		{ "CAST(-1.9E0 AS BIGINT)", "BIGINT -1" },
		{ "CAST(1E20 AS BIGINT)", "BIGINT 9223372036854775807" },
		{ "CAST(-1E20 AS INT)", "INTEGER -2147483648" },
		{ "CAST(2147483648 AS INT)", "INTEGER -2147483648" },
		{ "CAST(I - 4 AS BIGINT)", "BIGINT -1" },
		{ "CAST(I AS DOUBLE)", "DOUBLE 3.0" },
		/* to DECIMAL: HALF_UP, overflow is an error */
		{ "CAST(I AS DECIMAL(2, 1))", "DECIMAL(2, 1) 3.0" },
		{ "CAST(0 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 0.0" },
		{ "CAST(-1 AS DECIMAL(2, 1))", "DECIMAL(2, 1) -1.0" },
		{ "CAST(I * 4 AS DECIMAL(2, 1))",
		  "runtime: numeric field overflow: a field with precision 2 and scale 1 must round "
		  "to an absolute value less than 10^1" },
		{ "CAST(0.1E0 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 0.1" },
		{ "CAST(0.99E0 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 1.0" },
		{ "CAST(0.01E0 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 0.0" },
		{ "CAST(0.05E0 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 0.1" },
		{ "CAST(-0.05E0 AS DECIMAL(2, 1))", "DECIMAL(2, 1) -0.1" },
		{ "CAST(0.99 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 1.0" },
		{ "CAST(1.25 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 1.3" },
		{ "CAST(-1.25 AS DECIMAL(2, 1))", "DECIMAL(2, 1) -1.3" },
		{ "CAST(1.24 AS DECIMAL(2, 1))", "DECIMAL(2, 1) 1.2" },
		{ "CAST(DEC AS DECIMAL(5, 3))", "DECIMAL(5, 3) 12.340" },
		{ "CAST(DEC AS DECIMAL(3, 1))", "DECIMAL(3, 1) 12.3" },
		{ "CAST(DEC AS DECIMAL(2, 0))", "DECIMAL(2, 0) 12" },
		{ "CAST(DEC AS DECIMAL(3, 2))",
		  "runtime: numeric field overflow: a field with precision 3 and scale 2 must round "
		  "to an absolute value less than 10^1" },
		{ "CAST(9.96 AS DECIMAL(2, 1))",
		  "runtime: numeric field overflow: a field with precision 2 and scale 1 must round "
		  "to an absolute value less than 10^1" },
		{ "CAST(D AS DECIMAL(38, 37))",
		  "DECIMAL(38, 37) 1.5000000000000000000000000000000000000" },
		{ "CAST(ND / 0 AS DECIMAL(2, 1))", "DECIMAL(2, 1) null" },
		{ "CAST(D / 0 AS DECIMAL(2, 1))",
		  "runtime: numeric field overflow: a field with precision 2 and scale 1 must round "
		  "to an absolute value less than 10^1" },
		/* from STRING */
		{ "CAST('12' AS INT)", "INTEGER 12" },
		{ "CAST(' 12 ' AS INT)", "INTEGER 12" },
		{ "CAST('-12' AS BIGINT)", "BIGINT -12" },
		{ "CAST('12.5' AS INT)",
		  "runtime: invalid input syntax for type INTEGER: \"12.5\"" },
		{ "CAST(S AS INT)", "runtime: invalid input syntax for type INTEGER: \"hello\"" },
		{ "CAST('2147483648' AS INT)",
		  "runtime: invalid input syntax for type INTEGER: \"2147483648\"" },
		{ "CAST('1e3' AS DOUBLE)", "DOUBLE 1000.0" },
		{ "CAST('NaN' AS DOUBLE)",
		  "runtime: invalid input syntax for type DOUBLE: \"NaN\"" },
		{ "CAST('1.25' AS DECIMAL(2, 1))", "DECIMAL(2, 1) 1.3" },
		{ "CAST('x' AS DECIMAL(2, 1))",
		  "runtime: invalid input syntax for type DECIMAL(2, 1): \"x\"" },
		{ "CAST('yes' AS BOOLEAN)", "BOOLEAN true" },
		{ "CAST(' TRUE ' AS BOOLEAN)", "BOOLEAN true" },
		{ "CAST('t' AS BOOLEAN)", "BOOLEAN true" },
		{ "CAST('nope' AS BOOLEAN)", "BOOLEAN false" },
		{ "CAST('false' AS BOOLEAN)", "BOOLEAN false" },
		{ "CAST('2022-04-28T21:44:47.943Z' AS TIMESTAMP)", "TIMESTAMP 1651182287943" },
		{ "CAST('2022-04-28T21:44:47.943' AS TIMESTAMP)", "TIMESTAMP 1651182287943" },
		{ "CAST('1970-01-01T00:00:01' AS TIMESTAMP)", "TIMESTAMP 1000" },
		{ "CAST('2019-01-01T00:00:00+0445' AS TIMESTAMP)", "TIMESTAMP 1546283700000" },
		{ "CAST('2018' AS TIMESTAMP)", "TIMESTAMP 1514764800000" },
		{ "CAST('foo' AS TIMESTAMP)",
		  "runtime: invalid input syntax for type TIMESTAMP: \"foo\"" },
		{ "CAST('1970-01-10' AS DATE)", "DATE 9" },
		{ "CAST('1970-01' AS DATE)", "DATE 0" },
		{ "CAST('1969-12-31' AS DATE)", "DATE -1" },
		{ "CAST('00:00:00.010' AS TIME)", "TIME 10" },
		{ "CAST('aGk=' AS BYTES)", "BYTES \"aGk=\"" },
		/* time types */
		{ "CAST(TS AS DATE)", "DATE 19110" },
		{ "CAST(TIMESTAMP '1969-12-31T23:59:58' AS DATE)", "DATE -1" },
		{ "CAST(TIMESTAMP '1969-12-31T23:59:58' AS TIME)", "TIME 86398000" },
		{ "CAST(TIMESTAMP '1970-01-02T00:00:00.100' AS TIME)", "TIME 100" },
		{ "CAST(DT AS TIMESTAMP)", "TIMESTAMP 1641600000000" },
		/* collections */
		{ "CAST(A AS ARRAY<STRING>)", "ARRAY<STRING> [\"1\",\"2\",\"3\"]" },
		{ "CAST(ARRAY[1, 3, 2147483648] AS ARRAY<INT>)",
		  "ARRAY<INTEGER> [1,3,-2147483648]" },
		{ "CAST(M AS MAP<STRING, DOUBLE>)", "MAP<STRING, DOUBLE> {\"a\":1.0,\"b\":2.0}" },
		{ "CAST(MAP('k' := MAP('k2' := '10')) AS MAP<STRING, MAP<STRING, INT>>)",
		  "MAP<STRING, MAP<STRING, INTEGER>> {\"k\":{\"k2\":10}}" },
		{ "CAST(ST AS STRUCT<F1 BIGINT, F3 STRING>)",
		  "STRUCT<`F1` BIGINT, `F3` STRING> {\"F1\":7,\"F3\":null}" },
		{ "CAST(ST AS STRUCT<F1 INT, `f2` STRING>)",
		  "STRUCT<`F1` INTEGER, `f2` STRING> {\"F1\":7,\"f2\":\"x\"}" },
		/* identity and NULL */
		{ "CAST(NULL AS INT)", "INTEGER null" },
		{ "CAST(I AS INT)", "INTEGER 3" },
		{ "CAST(NULL AS ARRAY<STRING>)", "ARRAY<STRING> null" },
		/* not allowed */
		{ "CAST(S AS ARRAY<INT>)",
		  "error: line 1:1: cast of STRING to ARRAY<INTEGER> is not supported" },
		{ "CAST(S AS MAP<STRING, INT>)",
		  "error: line 1:1: cast of STRING to MAP<STRING, INTEGER> is not supported" },
		{ "CAST(B AS INT)",
		  "error: line 1:1: cast of BOOLEAN to INTEGER is not supported" },
		{ "CAST(I AS BOOLEAN)",
		  "error: line 1:1: cast of INTEGER to BOOLEAN is not supported" },
		{ "CAST(BYT AS STRING)",
		  "error: line 1:1: cast of BYTES to STRING is not supported" },
		{ "CAST(I AS TIMESTAMP)",
		  "error: line 1:1: cast of INTEGER to TIMESTAMP is not supported" },
		{ "CAST(TM AS TIMESTAMP)",
		  "error: line 1:1: cast of TIME to TIMESTAMP is not supported" },
		{ "CAST(A AS ARRAY<BOOLEAN>)",
		  "error: line 1:1: cast of ARRAY<INTEGER> to ARRAY<BOOLEAN> is not supported" },
		{ "CAST(I AS DECIMAL(39, 1))",
		  "error: line 1:11: DECIMAL precision must be between 1 and 38" },
		{ "CAST(I AS DECIMAL(2, 3))",
		  "error: line 1:11: DECIMAL scale must be between 0 and the precision (2)" },
		{ "CAST(I AS POINT)", "error: line 1:11: type \"POINT\" does not exist" },
	};
	RUN_CASES(c);
}
END_TEST

/* sl_cast_allowed / sl_cast_implicit / sl_type_common directly. */
START_TEST(test_cast_rules)
{
	const sl_type_t *i = sl_type_int(), *l = sl_type_bigint(), *d = sl_type_double();
	const sl_type_t *s = sl_type_string(), *b = sl_type_boolean();
	const sl_type_t *d42 = sl_type_decimal(&arena, 4, 2), *d53 = sl_type_decimal(&arena, 5, 3);
	const sl_type_t *t;
	char buf[64];

	ck_assert(sl_cast_implicit(i, l));
	ck_assert(!sl_cast_implicit(l, i));
	ck_assert(sl_cast_implicit(i, d));
	ck_assert(sl_cast_implicit(d42, d));
	ck_assert(!sl_cast_implicit(d, d42));
	ck_assert(sl_cast_implicit(d42, d53));
	ck_assert(!sl_cast_implicit(d53, d42));
	ck_assert(sl_cast_implicit(i, sl_type_decimal(&arena, 10, 0)));
	ck_assert(!sl_cast_implicit(i, sl_type_decimal(&arena, 9, 0)));
	ck_assert(sl_cast_implicit(sl_type_date(), sl_type_timestamp()));
	ck_assert(!sl_cast_implicit(s, i));
	ck_assert(sl_cast_implicit(sl_type_null(), sl_type_array(&arena, s)));
	ck_assert(sl_cast_implicit(sl_type_array(&arena, i), sl_type_array(&arena, l)));

	ck_assert(sl_cast_allowed(b, s));
	ck_assert(!sl_cast_allowed(b, i));
	ck_assert(sl_cast_allowed(s, sl_type_bytes()));
	ck_assert(!sl_cast_allowed(sl_type_bytes(), s));
	ck_assert(sl_cast_allowed(sl_type_date(), sl_type_timestamp()));
	ck_assert(!sl_cast_allowed(sl_type_time(), sl_type_date()));

	t = sl_type_common(&arena, d42, d53);
	ck_assert_str_eq(sl_type_str(t, buf, sizeof(buf)), "DECIMAL(5, 3)");
	t = sl_type_common(&arena, d42, i);
	ck_assert_str_eq(sl_type_str(t, buf, sizeof(buf)), "DECIMAL(12, 2)");
	t = sl_type_common(&arena, l, d42);
	ck_assert_str_eq(sl_type_str(t, buf, sizeof(buf)), "DECIMAL(21, 2)");
	t = sl_type_common(&arena, i, l);
	ck_assert_str_eq(sl_type_str(t, buf, sizeof(buf)), "BIGINT");
	t = sl_type_common(&arena, d42, d);
	ck_assert_str_eq(sl_type_str(t, buf, sizeof(buf)), "DOUBLE");
	ck_assert_ptr_null(sl_type_common(&arena, s, i));
	ck_assert_ptr_null(sl_type_common(&arena, b, i));
	t = sl_type_common(&arena, sl_type_map(&arena, s, i), sl_type_map(&arena, s, l));
	ck_assert_str_eq(sl_type_str(t, buf, sizeof(buf)), "MAP<STRING, BIGINT>");
	/* truncated rendering */
	sl_type_str(sl_type_map(&arena, s, i), buf, 8);
	ck_assert_str_eq(buf, "MAP<STR");
}
END_TEST

START_TEST(test_parsers)
{
	static const struct {
		const char *text;
		int ok;
		long long ms;
	} ts[] = {
		{ "2017", 1, 1483228800000LL },
		{ "2020-02", 1, 1580515200000LL },
		{ "2020-01-02", 1, 1577923200000LL },
		{ "2020-01-02T", 1, 1577923200000LL },
		{ "2020-01-02TZ", 1, 1577923200000LL },
		{ "2020-12-02T13", 1, 1606914000000LL },
		{ "2020-12-02T13:59Z", 1, 1606917540000LL },
		{ "2020-12-02T13:59:58", 1, 1606917598000LL },
		{ "2020-12-02T13:59:58.123", 1, 1606917598123LL },
		{ "2020-12-02T13:59:58.1", 1, 1606917598100LL },
		{ "2020-12-02T13:59:58.123456789Z", 1, 1606917598123LL },
		{ "2017-11-13T23:59:58.999+0100", 1, 1510613998999LL },
		{ "2017-11-13T23:59:58.999-0100", 1, 1510621198999LL },
		{ "2017-11-13T23:59:58.999+01:00", 1, 1510613998999LL },
		{ "2017-11-13T23:59:58.999+01", 1, 1510613998999LL },
		{ "1969-12-31T23:59:59.999", 1, -1LL },
		{ "2017-1-1", 0, 0 },
		{ "2017-01-01T00:00:00.000+foo", 0, 0 },
		{ "2017-13-01", 0, 0 },
		{ "2017-01-01T24:00", 0, 0 },
		{ "", 0, 0 },
		{ "hello", 0, 0 },
	};
	for (size_t k = 0; k < sizeof(ts) / sizeof(ts[0]); k++) {
		int64_t ms = 0;
		int rc = sl_parse_timestamp(ts[k].text, strlen(ts[k].text), &ms);
		ck_assert_msg((rc == SL_OK) == ts[k].ok, "%s", ts[k].text);
		if (ts[k].ok)
			ck_assert_msg(ms == ts[k].ms, "%s: %lld", ts[k].text, (long long)ms);
	}
	int32_t days;
	int64_t ms;
	bool b;
	ck_assert_int_eq(sl_parse_date("2000-02-29", 10, &days), SL_OK);
	ck_assert_int_eq(days, 11016);
	ck_assert_int_eq(sl_parse_date("1900-02-29", 10, &days), SL_EINVAL);
	ck_assert_int_eq(sl_parse_date("0001-01-01", 10, &days), SL_OK);
	ck_assert_int_eq(days, -719162);
	ck_assert_int_eq(sl_parse_time("23:59:59.999", 12, &ms), SL_OK);
	ck_assert_int_eq(ms, 86399999);
	ck_assert_int_eq(sl_parse_time("10", 2, &ms), SL_EINVAL);
	ck_assert_int_eq(sl_parse_bool_exact("Ye", 2, &b), SL_OK);
	ck_assert(b);
	ck_assert_int_eq(sl_parse_bool_exact("FAL", 3, &b), SL_OK);
	ck_assert(!b);
	ck_assert_int_eq(sl_parse_bool_exact("", 0, &b), SL_EINVAL);
	ck_assert_int_eq(sl_parse_bool_exact("truee", 5, &b), SL_EINVAL);
}
END_TEST

/* ---- access and constructors ------------------------------------------- */

START_TEST(test_subscript_deref)
{
	static const case_t c[] = {
		{ "A[1]", "INTEGER 1" },
		{ "A[3]", "INTEGER 3" },
		{ "A[-1]", "INTEGER 3" },
		{ "A[-3]", "INTEGER 1" },
		{ "A[0]", "INTEGER null" },
		{ "A[4]", "INTEGER null" },
		{ "A[-4]", "INTEGER null" },
		{ "A[I]", "INTEGER 3" },
		{ "A[L]", "INTEGER null" },
		{ "A[NI]", "INTEGER null" },
		{ "NA[1]", "INTEGER null" },
		{ "SA[2]", "STRING null" },
		{ "M['a']", "INTEGER 1" },
		{ "M['z']", "INTEGER null" },
		{ "M[S]", "INTEGER null" },
		{ "ST->F1", "INTEGER 7" },
		{ "ST->`f2`", "STRING \"x\"" },
		{ "ST->F2", "STRING \"x\"" },
		{ "NST->P->N", "STRING null" },
		{ "STRUCT(A := ST)->A->F1", "INTEGER 7" },
		{ "ARRAY[10, 20][2]", "INTEGER 20" },
		{ "MAP('k' := 1.5)['k']", "DECIMAL(2, 1) 1.5" },
		{ "ST->NOPE",
		  "error: line 1:5: field \"NOPE\" does not exist in STRUCT<`F1` INTEGER, `f2` STRING>" },
		{ "I->F",
		  "error: line 1:2: cannot dereference field \"F\" of a value of type INTEGER" },
		{ "I[1]", "error: line 1:2: cannot subscript a value of type INTEGER" },
		{ "A['x']",
		  "error: line 1:3: an array index must be INTEGER or BIGINT, not STRING" },
		{ "M[1]", "error: line 1:3: a key of MAP<STRING, INTEGER> cannot be INTEGER" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_constructors)
{
	static const case_t c[] = {
		{ "ARRAY[1, 2, 3]", "ARRAY<INTEGER> [1,2,3]" },
		{ "ARRAY[I, NI, 3]", "ARRAY<INTEGER> [3,null,3]" },
		{ "ARRAY[NULL, 10, '2e1', I, L]", "ARRAY<BIGINT> [null,10,20,3,10000000000]" },
		{ "ARRAY[1, 2.5]", "ARRAY<DECIMAL(11, 1)> [1.0,2.5]" },
		{ "ARRAY[1, D]", "ARRAY<DOUBLE> [1.0,1.5]" },
		{ "ARRAY['a', 'b']", "ARRAY<STRING> [\"a\",\"b\"]" },
		{ "ARRAY[CAST(NULL AS INT)]", "ARRAY<INTEGER> [null]" },
		{ "ARRAY[ARRAY[1], ARRAY[2, 3]]", "ARRAY<ARRAY<INTEGER>> [[1],[2,3]]" },
		{ "ARRAY[1, 'not a number']",
		  "error: line 1:10: invalid input syntax for type INTEGER: \"not a number\"" },
		{ "ARRAY[1, B]",
		  "error: line 1:7: invalid ARRAY: operator does not exist: BOOLEAN = INTEGER" },
		{ "ARRAY[NULL]",
		  "error: line 1:1: cannot construct an array with all NULL elements; cast a NULL to "
		  "the element type" },
		{ "ARRAY[]",
		  "error: line 1:1: cannot construct an empty array: its element type is unknown" },
		{ "MAP('a' := 1, 'b' := I)", "MAP<STRING, INTEGER> {\"a\":1,\"b\":3}" },
		{ "MAP(S := I * 2)", "MAP<STRING, INTEGER> {\"hello\":6}" },
		{ "MAP('a' := 1, 'a' := 2)", "MAP<STRING, INTEGER> {\"a\":2}" },
		{ "MAP('a' := 1, NULL := 2)", "MAP<STRING, INTEGER> {\"a\":1,\"null\":2}" },
		{ "MAP('a' := 'hello', 'b' := I)",
		  "error: line 1:12: invalid input syntax for type INTEGER: \"hello\"" },
		{ "MAP()",
		  "error: line 1:1: map constructor cannot be empty; supply at least one key-value pair" },
		{ "MAP(NULL := 1)", "error: line 1:1: cannot construct a map with all NULL keys" },
		{ "MAP('a' := NULL)",
		  "error: line 1:1: cannot construct a map with all NULL values" },
		{ "STRUCT(A := 1, B := 'x')",
		  "STRUCT<`A` INTEGER, `B` STRING> {\"A\":1,\"B\":\"x\"}" },
		{ "STRUCT(f := STRUCT(c := S))",
		  "STRUCT<`F` STRUCT<`C` STRING>> {\"F\":{\"C\":\"hello\"}}" },
		{ "STRUCT(`q` := A)", "STRUCT<`q` ARRAY<INTEGER>> {\"q\":[1,2,3]}" },
		{ "STRUCT()", "STRUCT<> {}" },
		{ "STRUCT(F1 := CAST(NULL AS INT))", "STRUCT<`F1` INTEGER> {\"F1\":null}" },
		{ "STRUCT(A := 1, A := 2)", "error: line 1:16: duplicate field \"A\" in STRUCT" },
		{ "STRUCT(A := NULL)",
		  "error: line 1:8: the type of field \"A\" is unknown: cast the NULL to a type" },
		/* a struct literal adapts to a struct column with more fields */
		{ "ARRAY[ST, STRUCT(F1 := 1)]",
		  "ARRAY<STRUCT<`F1` INTEGER, `f2` STRING>> [{\"F1\":7,\"f2\":\"x\"},{\"F1\":1,\"f2\":null}]" },
	};
	RUN_CASES(c);
}
END_TEST

/* ---- functions --------------------------------------------------------- */

START_TEST(test_functions)
{
	static const case_t c[] = {
		{ "T_ADD(1, 2)", "INTEGER 3" },
		{ "t_add(1, 2)", "INTEGER 3" },
		{ "T_ADD(1, 2.5)", "DOUBLE 3.5" },
		{ "T_ADD(1, D)", "DOUBLE 2.5" },
		{ "T_ADD(L, 1)", "DOUBLE 1.0000000001E10" },
		{ "T_ADD(NI, 1)", "INTEGER null" },
		{ "T_ADD(NULL, 1)", "INTEGER null" },
		{ "T_ADD('a', 1)",
		  "error: line 1:1: function \"T_ADD\" does not accept parameters (STRING, INTEGER)" },
		{ "T_ADD(1)",
		  "error: line 1:1: function \"T_ADD\" does not accept parameters (INTEGER)" },
		{ "T_MAX(A)", "INTEGER 3" },
		{ "T_MAX(SA)", "STRING \"c\"" },
		{ "T_MAX(ARRAY[1, 2.5])", "DECIMAL(11, 1) 2.5" },
		{ "T_MAX(NA)", "INTEGER null" },
		{ "T_MAX(I)",
		  "error: line 1:1: function \"T_MAX\" does not accept parameters (INTEGER)" },
		{ "T_COALESCE(NI, 5)", "INTEGER 5" },
		{ "T_COALESCE(NI, NULL, L)", "BIGINT 10000000000" },
		{ "T_COALESCE(NS, 'x')", "STRING \"x\"" },
		{ "T_COALESCE(NI, S)",
		  "error: line 1:1: function \"T_COALESCE\" does not accept parameters (INTEGER, STRING)" },
		{ "T_COALESCE(NULL)", "NULL null" },
		{ "T_CONCAT('a', NS, 'b')", "STRING \"ab\"" },
		{ "T_CONCAT()", "STRING \"\"" },
		{ "T_CONCAT(S, ' ', S)", "STRING \"hello hello\"" },
		{ "T_SCALE(DEC)", "DECIMAL(4, 2) 12.34" },
		{ "T_SCALE(I)", "DECIMAL(10, 0) 3" },
		{ "T_SCALE(D)",
		  "error: line 1:1: function \"T_SCALE\" does not accept parameters (DOUBLE)" },
		{ "T_UNIT(SECONDS, 5)", "STRING \"SECONDS5\"" },
		{ "T_UNIT(5, 5)",
		  "error: line 1:1: function \"T_UNIT\" does not accept parameters (INTEGER, INTEGER)" },
		{ "T_PREFIX(S, 'he')", "BOOLEAN true" },
		{ "T_PREFIX(S, S)", "BOOLEAN true" },
		{ "T_PREFIX(S, 'x')", "BOOLEAN false" },
		{ "T_PREFIX(S, '')", "error: line 1:13: the prefix must not be empty" },
		{ "T_FAIL(S)", "STRING null [1 error(s): function \"T_FAIL\": bad input hello]" },
		/* a failing call is NULL; evaluation goes on (ksqlDB) */
		{ "T_COALESCE(T_FAIL(S), 'z')",
		  "STRING \"z\" [1 error(s): function \"T_FAIL\": bad input hello]" },
		/* so does a failure in evaluating a call's arguments */
		{ "T_COALESCE(T_ADD(I / 0, 1), 5)", "INTEGER 5 [1 error(s): division by zero]" },
		{ "T_ADD(I / 0, 1) + 1", "INTEGER null [1 error(s): division by zero]" },
		/* outside any call, a failure makes the whole expression NULL */
		{ "T_COALESCE(NI, 5) + I / 0", "runtime: division by zero" },
		{ "NOSUCH(1)", "error: line 1:1: function \"NOSUCH\" does not exist" },
		{ "T_AGG(I)", "error: line 1:1: aggregate function \"T_AGG\" is not allowed here" },
		{ "T_ADD(*)", "error: line 1:1: \"*\" is only allowed with aggregate functions" },
		{ "T_ADD(DISTINCT I)",
		  "error: line 1:1: DISTINCT is only allowed with aggregate functions" },
	};
	RUN_CASES(c);
}
END_TEST

START_TEST(test_lambdas)
{
	static const case_t c[] = {
		{ "T_TRANSFORM(A, x => x * 2)", "ARRAY<INTEGER> [2,4,6]" },
		{ "T_TRANSFORM(A, x => CAST(x AS STRING))", "ARRAY<STRING> [\"1\",\"2\",\"3\"]" },
		{ "T_TRANSFORM(A, (x) => x > 1)", "ARRAY<BOOLEAN> [false,true,true]" },
		{ "T_TRANSFORM(A, x => x + I)", "ARRAY<INTEGER> [4,5,6]" },
		/* a lambda parameter shadows a column */
		{ "T_TRANSFORM(A, I => I * 10)", "ARRAY<INTEGER> [10,20,30]" },
		/* nested lambdas; the inner one reads the outer's parameter */
		{ "T_TRANSFORM(A, x => T_REDUCE(A, 0, (s, y) => s + x * y))",
		  "ARRAY<INTEGER> [6,12,18]" },
		{ "T_TRANSFORM(T_TRANSFORM(A, x => x + 1), y => y * y)",
		  "ARRAY<INTEGER> [4,9,16]" },
		{ "T_TRANSFORM(A, x => STRUCT(V := x, W := S))",
		  "ARRAY<STRUCT<`V` INTEGER, `W` STRING>> "
		  "[{\"V\":1,\"W\":\"hello\"},{\"V\":2,\"W\":\"hello\"},{\"V\":3,\"W\":\"hello\"}]" },
		{ "T_TRANSFORM(M, (k, v) => k + '_x', (k, v) => v * 10)",
		  "MAP<STRING, INTEGER> {\"a_x\":10,\"b_x\":20}" },
		{ "T_REDUCE(A, 0, (s, x) => s + x)", "INTEGER 6" },
		{ "T_REDUCE(A, 0.5, (s, x) => s + x)", "DECIMAL(38, 1) 6.5" },
		/* the state widens to the body's type: s is typed again as BIGINT */
		{ "T_REDUCE(LA, 0, (s, x) => s + x)", "BIGINT 5000000001" },
		{ "T_TRANSFORM(NA, x => x)", "ARRAY<INTEGER> null" },
		{ "T_TRANSFORM(A, x => T_FAIL(S))",
		  "ARRAY<STRING> [null,null,null] [3 error(s): function \"T_FAIL\": bad input hello]" },
		{ "T_TRANSFORM(A, x => x / (x - 2))",
		  "ARRAY<INTEGER> null [1 error(s): division by zero]" },
		{ "T_TRANSFORM(A, (x, y) => x)",
		  "error: line 1:1: function \"T_TRANSFORM\" does not accept parameters "
		  "(ARRAY<INTEGER>, LAMBDA)" },
		{ "T_TRANSFORM(A, x => x + 'a')",
		  "error: line 1:23: operator \"+\" cannot be applied to INTEGER and STRING" },
		{ "T_TRANSFORM(A, (x, x) => x)",
		  "error: line 1:20: duplicate lambda parameter \"X\"" },
		{ "T_ADD(x => x, 1)",
		  "error: line 1:1: function \"T_ADD\" does not accept parameters (LAMBDA, INTEGER)" },
		{ "T_TRANSFORM(ARRAY[1, 2], x => x + 1)", "ARRAY<INTEGER> [2,3]" },
	};
	RUN_CASES(c);
}
END_TEST

/* ---- compiled-expression API ------------------------------------------- */

static sl_expr_t *
compile_ok(const char *text)
{
	sl_node_t *ast;
	sl_error_t err;
	sl_expr_t *e;

	ck_assert_int_eq(sl_parse_expr(text, strlen(text), &arena, &ast, &err), SL_OK);
	ck_assert_msg(sl_expr_compile(ast, &scope, reg, &arena, &e, &err) == SL_OK, "%s: %s", text,
		      err.msg);
	return e;
}

START_TEST(test_constant_api)
{
	sl_expr_t *e;
	sl_value_t v;
	sl_error_t err;
	const sl_type_t *t;
	sl_node_t *ast;
	char buf[64];

	e = compile_ok("1 + 2 * 3");
	ck_assert(sl_expr_is_constant(e));
	ck_assert_int_eq(sl_expr_eval_constant(e, &arena, &v, &err), SL_OK);
	ck_assert_int_eq(v.kind, SL_T_INT);
	ck_assert_int_eq(v.u.i, 7);

	e = compile_ok("I + 1");
	ck_assert(!sl_expr_is_constant(e));
	ck_assert_int_eq(sl_expr_eval_constant(e, &arena, &v, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "expression is not constant");

	e = compile_ok("T_TRANSFORM(ARRAY[1, 2], x => x * 2)");
	ck_assert(sl_expr_is_constant(e));
	e = compile_ok("T_COUNTER() + 1");
	ck_assert(!sl_expr_is_constant(e));

	ck_assert_int_eq(sl_parse_expr("MAP('a' := ARRAY[1.5])", 22, &arena, &ast, &err), SL_OK);
	ck_assert_int_eq(sl_expr_constant_value(ast, reg, &arena, &t, &v, &err), SL_OK);
	ck_assert_str_eq(sl_type_str(t, buf, sizeof(buf)), "MAP<STRING, ARRAY<DECIMAL(2, 1)>>");
	ck_assert_str_eq(render(t, &v), "MAP<STRING, ARRAY<DECIMAL(2, 1)>> {\"a\":[1.5]}");

	ck_assert_int_eq(sl_parse_expr("I", 1, &arena, &ast, &err), SL_OK);
	ck_assert_int_eq(sl_expr_constant_value(ast, reg, &arena, &t, &v, &err), SL_EINVAL);
	ck_assert_str_eq(err.msg, "column \"I\" does not exist");
}
END_TEST

START_TEST(test_eval_api)
{
	sl_expr_t *e = compile_ok("T_COUNTER()");
	sl_eval_ctx_t ctx = { .row = row, .arena = &arena };
	sl_error_t err;
	sl_value_t v;
	bool b;

	/* volatile: evaluated per call, not folded */
	counter = 0;
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(v.u.l, 2);

	/* error slot may be NULL */
	e = compile_ok("I / 0");
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_EINVAL);
	ck_assert_int_eq(v.kind, SL_T_NULL);
	ctx.err = &err;
	sl_error_clear(&err);
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_EINVAL);
	ck_assert_str_eq(err.msg, "division by zero");
	ck_assert_int_eq(err.offset, -1);

	/* a failing call: the value goes on with NULL, the error is counted */
	e = compile_ok("T_COALESCE(T_FAIL(S), 'z')");
	ctx.errors = 0;
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(v.kind, SL_T_STRING);
	ck_assert_int_eq(ctx.errors, 1);
	ck_assert_str_eq(err.msg, "function \"T_FAIL\": bad input hello");
	/* err is cleared per evaluation, errors keeps counting */
	e = compile_ok("I + 1");
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(err.code, SL_OK);
	ck_assert_str_eq(err.msg, "");
	ck_assert_int_eq(ctx.errors, 1);
	/* a constant call that fails is not folded: it fails per record */
	e = compile_ok("T_FAIL('abc')");
	ck_assert(sl_expr_is_constant(e));
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(ctx.errors, 3);

	/* predicates: only TRUE passes */
	e = compile_ok("I > 1");
	ck_assert_int_eq(sl_expr_eval_bool(e, &ctx, &b), SL_OK);
	ck_assert(b);
	e = compile_ok("NB");
	ck_assert_int_eq(sl_expr_eval_bool(e, &ctx, &b), SL_OK);
	ck_assert(!b);
	e = compile_ok("I / 0 > 1");
	ck_assert_int_eq(sl_expr_eval_bool(e, &ctx, &b), SL_EINVAL);
	ck_assert(!b);

	/* the row is read at evaluation time, not compile time */
	e = compile_ok("I * 2");
	row[0] = sl_value_int(21);
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(v.u.i, 42);
	row[0] = sl_value_null();
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert_int_eq(v.kind, SL_T_NULL);
	ck_assert_int_eq(sl_expr_type(e)->kind, SL_T_INT);
}
END_TEST

START_TEST(test_call_state)
{
	sl_eval_ctx_t ctx = { .row = row, .arena = &arena };
	sl_value_t v;
	sl_expr_t *e;

	live_states = 0;
	e = compile_ok("T_PREFIX(S, 'he') AND T_PREFIX(S, 'hel')");
	ck_assert_int_eq(live_states, 2);
	ck_assert_int_eq(sl_expr_eval(e, &ctx, &v), SL_OK);
	ck_assert(v.u.b);
	sl_expr_destroy(e);
	ck_assert_int_eq(live_states, 0);
	sl_expr_destroy(e); /* idempotent */
	ck_assert_int_eq(live_states, 0);

	/* non-constant pattern: no state */
	e = compile_ok("T_PREFIX(S, S)");
	ck_assert_int_eq(live_states, 0);
	sl_expr_destroy(e);

	/* a compile error after a call built state releases it */
	sl_node_t *ast;
	sl_error_t err;
	const char *text = "T_PREFIX(S, 'h') AND NOPE";
	ck_assert_int_eq(sl_parse_expr(text, strlen(text), &arena, &ast, &err), SL_OK);
	ck_assert_int_eq(sl_expr_compile(ast, &scope, reg, &arena, &e, &err), SL_EINVAL);
	ck_assert_int_eq(live_states, 0);
	ck_assert_ptr_null(e);
}
END_TEST

/* ---- registry ---------------------------------------------------------- */

/* Definitions registered by test_registry (file scope: the registry keeps
 * pointers to them). */
static const sl_func_def_t more = { .name = "T_ADD",
				    .variants = (const sl_func_variant_t[]){
					    SL_FV("a STRING, b STRING", "STRING", fn_concat),
					    { 0 } } };
static const sl_func_def_t bad[] = {
	{ .name = "BAD1",
	  .variants = (const sl_func_variant_t[]){ SL_FV("x ARRAY<", "INT", fn_ident), { 0 } } },
	{ .name = "BAD2",
	  .variants = (const sl_func_variant_t[]){ SL_FV("x INT", "DECIMAL", fn_ident), { 0 } } },
	{ .name = "BAD3",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FV("x INT..., y INT", "INT", fn_ident), { 0 } } },
	{ .name = "BAD4",
	  .variants = (const sl_func_variant_t[]){ SL_FV("x lower", "INT", fn_ident), { 0 } } },
	{ .name = "BAD5",
	  .variants = (const sl_func_variant_t[]){ SL_FV("x INT", NULL, fn_ident), { 0 } } },
};

START_TEST(test_registry)
{
	const sl_func_t *f = sl_func_lookup(reg, "t_add");
	sl_error_t err;

	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->name, "T_ADD");
	ck_assert_str_eq(f->category, "MATHEMATICAL");
	ck_assert_int_eq(f->kind, SL_FUNC_SCALAR);
	ck_assert_int_eq(f->nvariants, 2);
	ck_assert_str_eq(f->signatures[0], "T_ADD(a INT, b INT)");
	ck_assert_str_eq(f->returns[0], "INT");
	ck_assert_str_eq(f->signatures[1], "T_ADD(a DOUBLE, b DOUBLE)");
	ck_assert_ptr_null(sl_func_lookup(reg, "T_ADDX"));
	ck_assert_str_eq(sl_func_kind_name(sl_func_lookup(reg, "T_AGG")->kind), "AGGREGATE");

	/* listed in name order */
	ck_assert_int_eq(sl_func_count(reg), 12);
	for (int i = 1; i < sl_func_count(reg); i++)
		ck_assert(strcmp(sl_func_at(reg, i - 1)->name, sl_func_at(reg, i)->name) < 0);
	ck_assert_ptr_null(sl_func_at(reg, 12));

	/* a second definition of a name adds variants */
	ck_assert_int_eq(sl_func_register(reg, &more, &err), SL_OK);
	ck_assert_int_eq(sl_func_lookup(reg, "T_ADD")->nvariants, 3);
	ck_assert_str_eq(run("T_ADD('a', 'b')"), "STRING \"ab\"");

	/* malformed signatures are rejected, the registry unchanged */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(sl_func_register(reg, &bad[i], &err) == SL_EINVAL, "%s", bad[i].name);
		ck_assert_ptr_null(sl_func_lookup(reg, bad[i].name));
	}
	ck_assert_int_eq(sl_func_count(reg), 12);
	ck_assert_str_eq(err.msg, "function \"BAD5\", variant 1 (x INT): ret is missing");

	/* the built-in library registers (weak defaults when absent) */
	sl_func_registry_t *all = sl_func_registry_create();
	sl_func_register_all(all);
	ck_assert_int_ge(sl_func_count(all), 0);
	sl_func_registry_destroy(all);
}
END_TEST

START_TEST(test_func_bind)
{
	const sl_type_t *argt[2] = { sl_type_int(), sl_type_bigint() };
	sl_func_binding_t b;
	sl_error_t err;
	char buf[64];

	ck_assert_int_eq(
		sl_func_bind(sl_func_lookup(reg, "T_ADD"), 2, argt, NULL, &arena, 7, &b, &err),
		SL_OK);
	ck_assert_str_eq(sl_type_str(b.ret, buf, sizeof(buf)), "DOUBLE");
	ck_assert_str_eq(sl_type_str(b.argt[0], buf, sizeof(buf)), "DOUBLE");
	ck_assert_str_eq(sl_type_str(b.argt[1], buf, sizeof(buf)), "DOUBLE");
	ck_assert_str_eq(sl_type_str(b.state_type, buf, sizeof(buf)), "DOUBLE");

	ck_assert_int_eq(
		sl_func_bind(sl_func_lookup(reg, "T_AGG"), 1, argt, NULL, &arena, 7, &b, &err),
		SL_OK);
	ck_assert_str_eq(sl_type_str(b.ret, buf, sizeof(buf)), "BIGINT");
	ck_assert_ptr_nonnull(b.variant->agg);

	argt[0] = sl_type_string();
	ck_assert_int_eq(
		sl_func_bind(sl_func_lookup(reg, "T_MAX"), 1, argt, NULL, &arena, 7, &b, &err),
		SL_EINVAL);
	ck_assert_str_eq(err.msg, "function \"T_MAX\" does not accept parameters (STRING)");
	ck_assert_int_eq(err.offset, 7);
	/* lambdas need the compiler */
	ck_assert_int_eq(sl_func_bind(sl_func_lookup(reg, "T_TRANSFORM"), 1, argt, NULL, &arena, 0,
				      &b, &err),
			 SL_EINVAL);
}
END_TEST

/* ---- values ------------------------------------------------------------ */

START_TEST(test_value_compare_hash)
{
	sl_value_t i1 = sl_value_int(1), l1 = sl_value_bigint(1), d1 = sl_value_double(1.0);
	sl_value_t dec1 = sl_value_decimal(100, 3, 2), dec15 = sl_value_decimal(15, 2, 1);
	sl_value_t d15 = sl_value_double(1.5), n = sl_value_null();
	sl_value_t sa = sl_value_string("a", 1), sab = sl_value_string("ab", 2);

	ck_assert_int_eq(sl_value_compare(&i1, &l1), 0);
	ck_assert(sl_value_hash(&i1) == sl_value_hash(&l1));
	ck_assert_int_eq(sl_value_compare(&i1, &d1), 0);
	ck_assert(sl_value_hash(&i1) == sl_value_hash(&d1));
	ck_assert_int_eq(sl_value_compare(&dec1, &i1), 0);
	ck_assert(sl_value_hash(&dec1) == sl_value_hash(&i1));
	ck_assert_int_eq(sl_value_compare(&dec15, &d15), 0);
	ck_assert(sl_value_hash(&dec15) == sl_value_hash(&d15));
	ck_assert_int_lt(sl_value_compare(&i1, &dec15), 0);
	ck_assert_int_gt(sl_value_compare(&d15, &l1), 0);
	ck_assert_int_lt(sl_value_compare(&n, &i1), 0);
	ck_assert_int_eq(sl_value_compare(&n, &n), 0);
	ck_assert(!sl_value_equal(&n, &n));
	ck_assert(sl_value_equal(&i1, &dec1));
	ck_assert_int_lt(sl_value_compare(&sa, &sab), 0);
	ck_assert(sl_value_hash(&sa) != sl_value_hash(&sab));

	/* maps: order-independent equality and hash */
	sl_value_t e1[4] = { sa, i1, sab, l1 }, e2[4] = { sab, l1, sa, i1 },
		   e3[4] = { sa, i1, sab, d15 };
	sl_value_t m1 = list_of(SL_T_MAP, 2, e1), m2 = list_of(SL_T_MAP, 2, e2);
	sl_value_t m3 = list_of(SL_T_MAP, 2, e3);
	ck_assert(sl_value_equal(&m1, &m2));
	ck_assert_int_eq(sl_value_compare(&m1, &m2), 0);
	ck_assert(sl_value_hash(&m1) == sl_value_hash(&m2));
	ck_assert(!sl_value_equal(&m1, &m3));
	ck_assert_int_ne(sl_value_compare(&m1, &m3), 0);
	ck_assert_int_eq(sl_value_compare(&m1, &m3), -sl_value_compare(&m3, &m1));

	/* arrays: element-wise, NULL elements equal */
	sl_value_t a1[2] = { i1, n }, a2[2] = { l1, n }, a3[1] = { i1 };
	sl_value_t x1 = list_of(SL_T_ARRAY, 2, a1), x2 = list_of(SL_T_ARRAY, 2, a2);
	sl_value_t x3 = list_of(SL_T_ARRAY, 1, a3);
	ck_assert(sl_value_equal(&x1, &x2));
	ck_assert(sl_value_hash(&x1) == sl_value_hash(&x2));
	ck_assert_int_gt(sl_value_compare(&x1, &x3), 0);

	/* deep copy */
	sl_value_t c = sl_value_copy(&arena, &m1);
	ck_assert(c.u.list != m1.u.list);
	ck_assert(c.u.list->items[0].u.s.ptr != sa.u.s.ptr);
	ck_assert(sl_value_equal(&c, &m1));
	ck_assert_ptr_nonnull(sl_value_map_get(&m1, &sab));
	ck_assert_int_eq(sl_value_map_get(&m1, &sab)->u.l, 1);
	ck_assert_ptr_null(sl_value_map_get(&m1, &i1));
}
END_TEST

static const char *
json_of(const sl_value_t *v, const sl_type_t *t)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_value_format_json(&sb, v, t);
	return keep(&sb);
}

static const char *
text_of(const sl_value_t *v, const sl_type_t *t)
{
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	sl_value_format_text(&sb, v, t);
	return keep(&sb);
}

START_TEST(test_value_format)
{
	static const struct {
		double d;
		const char *want;
	} dbl[] = {
		{ 1.0, "1.0" },
		{ 0.5, "0.5" },
		{ 13.21, "13.21" },
		{ -0.0, "-0.0" },
		{ 0.0, "0.0" },
		{ 1e10, "1.0E10" },
		{ 1e7, "1.0E7" },
		{ 9999999.0, "9999999.0" },
		{ 0.001, "0.001" },
		{ 0.0001, "1.0E-4" },
		{ 123456789.0, "1.23456789E8" },
		{ 4.9e-324, "4.9E-324" },
		{ 1.7976931348623157e308, "1.7976931348623157E308" },
		{ 0.1 + 0.2, "0.30000000000000004" },
		{ 100.0, "100.0" },
		{ -2.5e-5, "-2.5E-5" },
		{ NAN, "NaN" },
		{ INFINITY, "Infinity" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(dbl) / sizeof(dbl[0]); i++) {
		sl_double_format(buf, sizeof(buf), dbl[i].d);
		ck_assert_msg(strcmp(buf, dbl[i].want) == 0, "%g: %s", dbl[i].d, buf);
	}
	sl_value_t v = sl_value_double(NAN);
	ck_assert_str_eq(json_of(&v, sl_type_double()), "\"NaN\"");
	v = sl_value_string("a\"b\\\n\t\x01/\xc3\xa9", 10);
	ck_assert_str_eq(json_of(&v, sl_type_string()), "\"a\\\"b\\\\\\n\\t\\u0001/\xc3\xa9\"");
	ck_assert_str_eq(text_of(&v, sl_type_string()), "a\"b\\\n\t\x01/\xc3\xa9");
	v = sl_value_decimal(-5, 3, 2);
	ck_assert_str_eq(json_of(&v, sl_type_decimal(&arena, 3, 2)), "-0.05");
	v = sl_value_decimal(1000, 5, 2);
	ck_assert_str_eq(json_of(&v, sl_type_decimal(&arena, 5, 2)), "10.00");
	v = sl_value_bytes("hi!", 3);
	ck_assert_str_eq(json_of(&v, sl_type_bytes()), "\"aGkh\"");
	v = sl_value_bytes("h", 1);
	ck_assert_str_eq(json_of(&v, sl_type_bytes()), "\"aA==\"");
	v = sl_value_timestamp(-1);
	ck_assert_str_eq(json_of(&v, sl_type_timestamp()), "-1");
	ck_assert_str_eq(text_of(&v, sl_type_timestamp()), "1969-12-31T23:59:59.999");
	v = sl_value_date(-719162);
	ck_assert_str_eq(text_of(&v, sl_type_date()), "0001-01-01");
	v = sl_value_time(36005100);
	ck_assert_str_eq(text_of(&v, sl_type_time()), "10:00:05.100");
	v = sl_value_null();
	ck_assert_str_eq(json_of(&v, sl_type_int()), "null");
	ck_assert_str_eq(text_of(&v, sl_type_int()), "null");
	ck_assert_str_eq(json_of(&row[11], cols[11].type), "{\"F1\":7,\"f2\":\"x\"}");
	ck_assert_str_eq(json_of(&row[10], cols[10].type), "{\"a\":1,\"b\":2}");
	ck_assert_str_eq(json_of(&row[18], cols[18].type), "[\"a\",null,\"c\"]");
	ck_assert_str_eq(json_of(&row[23], cols[23].type), "{\"P\":null}");
	/* a map with non-string keys writes them as text */
	sl_value_t e[2] = { sl_value_int(5), sl_value_bool(true) };
	v = list_of(SL_T_MAP, 1, e);
	ck_assert_str_eq(json_of(&v, sl_type_map(&arena, sl_type_int(), sl_type_boolean())),
			 "{\"5\":true}");
}
END_TEST

START_TEST(test_decimal_helpers)
{
	__int128 u, r;
	int p, s;
	char buf[64];

	ck_assert_int_eq(sl_dec_parse("2e1", 3, &u, &p, &s), SL_OK);
	ck_assert(u == 20 && s == 0 && p == 2);
	ck_assert_int_eq(sl_dec_parse("-0.050", 6, &u, &p, &s), SL_OK);
	ck_assert(u == -50 && s == 3 && p == 3);
	ck_assert_int_eq(sl_dec_parse(" 1.5E-3 ", 8, &u, &p, &s), SL_OK);
	ck_assert(u == 15 && s == 4);
	ck_assert_int_eq(sl_dec_parse("1.", 2, &u, &p, &s), SL_OK);
	ck_assert_int_eq(sl_dec_parse(".5", 2, &u, &p, &s), SL_OK);
	ck_assert(u == 5 && s == 1);
	ck_assert_int_eq(sl_dec_parse("1e", 2, &u, &p, &s), SL_EINVAL);
	ck_assert_int_eq(sl_dec_parse("abc", 3, &u, &p, &s), SL_EINVAL);
	ck_assert_int_eq(sl_dec_parse("", 0, &u, &p, &s), SL_EINVAL);
	ck_assert_int_eq(sl_dec_parse("123456789012345678901234567890123456789", 39, &u, &p, &s),
			 SL_EINVAL);
	ck_assert_int_eq(sl_dec_parse("12345678901234567890123456789012345678", 38, &u, &p, &s),
			 SL_OK);
	ck_assert_int_eq(p, 38);
	sl_dec_format(buf, sizeof(buf), u, 38);
	ck_assert_str_eq(buf, "0.12345678901234567890123456789012345678");

	/* HALF_UP both ways */
	ck_assert_int_eq(sl_dec_rescale(125, 2, 1, &r), SL_OK);
	ck_assert(r == 13);
	ck_assert_int_eq(sl_dec_rescale(-125, 2, 1, &r), SL_OK);
	ck_assert(r == -13);
	ck_assert_int_eq(sl_dec_rescale(-124, 2, 1, &r), SL_OK);
	ck_assert(r == -12);
	ck_assert_int_eq(sl_dec_rescale(5, 1, 0, &r), SL_OK);
	ck_assert(r == 1);
	ck_assert_int_eq(sl_dec_rescale(4, 1, 0, &r), SL_OK);
	ck_assert(r == 0);
	ck_assert_int_eq(sl_dec_rescale(sl_dec_pow10(37), 0, 2, &r), SL_ERR);
	ck_assert(sl_dec_div_round(7, 2) == 4);
	ck_assert(sl_dec_div_round(-7, 2) == -4);
	ck_assert(sl_dec_div_round(7, -3) == -2);
	ck_assert(sl_dec_fits(99, 2));
	ck_assert(!sl_dec_fits(-100, 2));
	ck_assert_int_eq(sl_dec_digits(0), 1);
	ck_assert_int_eq(sl_dec_digits(-1000), 4);
	ck_assert_int_eq(sl_dec_from_double(0.99, 2, 1, &r), SL_OK);
	ck_assert(r == 10);
	ck_assert_int_eq(sl_dec_from_double(NAN, 2, 1, &r), SL_EINVAL);
	ck_assert(sl_dec_to_double(1234, 2) == 12.34);
}
END_TEST

START_TEST(test_type_basics)
{
	sl_field_t f[2] = { { "A", sl_type_int() }, { "b`q", sl_type_string() } };
	const sl_type_t *st = sl_type_struct(&arena, f, 2);
	const sl_type_t *m = sl_type_map(&arena, sl_type_string(), sl_type_array(&arena, st));
	sl_arena_t other;
	char buf[128];

	ck_assert_str_eq(sl_type_str(m, buf, sizeof(buf)),
			 "MAP<STRING, ARRAY<STRUCT<`A` INTEGER, `b``q` STRING>>>");
	sl_arena_init(&other, 0);
	const sl_type_t *c = sl_type_copy(&other, m);
	ck_assert(sl_type_equal(c, m));
	ck_assert(c != m);
	sl_arena_destroy(&other);
	ck_assert_int_eq(sl_type_field_index(st, "A"), 0);
	ck_assert_int_eq(sl_type_field_index(st, "a"), 0);
	ck_assert_int_eq(sl_type_field_index(st, "B`Q"), 1);
	ck_assert_int_eq(sl_type_field_index(st, "C"), -1);
	ck_assert(!sl_type_equal(sl_type_decimal(&arena, 4, 2), sl_type_decimal(&arena, 4, 1)));
	ck_assert(sl_type_equal(sl_type_decimal(&arena, 4, 2), sl_type_decimal(&arena, 4, 2)));
	ck_assert(sl_type_is_numeric(sl_type_decimal(&arena, 4, 2)));
	ck_assert(!sl_type_is_numeric(sl_type_string()));
	ck_assert_ptr_null(sl_type_primitive(SL_T_ARRAY));
	ck_assert_str_eq(sl_tkind_name(SL_T_INT), "INTEGER");
}
END_TEST

static Suite *
expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc;

	tc = tcase_create("operators");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_literals);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_arithmetic);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_comparison);
	tcase_add_test(tc, test_logic_truth_tables);
	tcase_add_test(tc, test_null_predicates);
	tcase_add_test(tc, test_in);
	tcase_add_test(tc, test_between);
	tcase_add_test(tc, test_like);
	tcase_add_test(tc, test_case);
	suite_add_tcase(s, tc);

	tc = tcase_create("casts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cast);
	tcase_add_test(tc, test_cast_rules);
	tcase_add_test(tc, test_parsers);
	suite_add_tcase(s, tc);

	tc = tcase_create("structure");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_subscript_deref);
	tcase_add_test(tc, test_constructors);
	suite_add_tcase(s, tc);

	tc = tcase_create("functions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_functions);
	tcase_add_test(tc, test_lambdas);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_func_bind);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_constant_api);
	tcase_add_test(tc, test_eval_api);
	tcase_add_test(tc, test_call_state);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_value_compare_hash);
	tcase_add_test(tc, test_value_format);
	tcase_add_test(tc, test_decimal_helpers);
	tcase_add_test(tc, test_type_basics);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(expr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
