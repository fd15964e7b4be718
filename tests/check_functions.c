/*
 * check_functions.c: unit tests of the built-in function library
 * (src/expr/fn_*.c).
 *
 * Layer: expr.  Each test resolves a call against the registry with
 * sl_func_bind() (so variants, resolve and init hooks are exercised as the
 * compiler uses them), runs the implementation the way the evaluator does
 * (NULL arguments short-circuit unless the variant is SL_FV_NULL_CALL) and
 * compares a rendering of the result: strings in double quotes, ARRAY as
 * [a,b], MAP as {k:v}, STRUCT as {F=v}, NULL as null, DOUBLE as Java
 * prints it, "ERROR" for a runtime error.  Functions that take lambdas or
 * time-unit keywords are tested through SQL instead (sqlv(): parse,
 * compile and evaluate a constant expression).  Expected values come from
 * ksqlDB's documentation, its function sources and its query-validation
 * tests.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/decimal.h"
#include "expr/expr.h"
#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"
#include "parse/parser.h"
#include "util/arena.h"

/* ---- harness ----------------------------------------------------------- */

typedef struct arg {
	const sl_type_t *t;
	sl_value_t v;
	bool nonconst; /* hide the value from init hooks */
} arg_t;

static sl_arena_t arena;
static sl_func_registry_t *reg;
static const sl_type_t *last_ret; /* return type of the last call */
static char last_err[SL_ERROR_MSG_MAX];

static void
setup(void)
{
	sl_arena_init(&arena, 0);
	reg = sl_func_registry_create();
	sl_func_register_all(reg);
}

static void
teardown(void)
{
	sl_func_registry_destroy(reg);
	sl_arena_destroy(&arena);
}

static arg_t
S(const char *s)
{
	return (arg_t){ sl_type_string(), sl_value_string(s, (int32_t)strlen(s)), false };
}

static arg_t
BY(const char *s, int n)
{
	return (arg_t){ sl_type_bytes(), sl_value_bytes(s, n), false };
}

static arg_t
I(int32_t i)
{
	return (arg_t){ sl_type_int(), sl_value_int(i), false };
}

static arg_t
L(int64_t l)
{
	return (arg_t){ sl_type_bigint(), sl_value_bigint(l), false };
}

static arg_t
D(double d)
{
	return (arg_t){ sl_type_double(), sl_value_double(d), false };
}

static arg_t
B(bool b)
{
	return (arg_t){ sl_type_boolean(), sl_value_bool(b), false };
}

static arg_t
TS(int64_t ms)
{
	return (arg_t){ sl_type_timestamp(), sl_value_timestamp(ms), false };
}

static arg_t
DT(int32_t days)
{
	return (arg_t){ sl_type_date(), sl_value_date(days), false };
}

static arg_t
TM(int64_t ms)
{
	return (arg_t){ sl_type_time(), sl_value_time(ms), false };
}

/* DECIMAL(p, s) from text. */
static arg_t
DEC(const char *text, int p, int s)
{
	__int128 u;
	int prec, scale;
	ck_assert_int_eq(sl_dec_parse(text, strlen(text), &u, &prec, &scale), SL_OK);
	ck_assert_int_eq(sl_dec_rescale(u, scale, s, &u), SL_OK);
	return (arg_t){ sl_type_decimal(&arena, p, s), sl_value_decimal(u, p, s), false };
}

/* A typed NULL. */
static arg_t
NUL(const sl_type_t *t)
{
	return (arg_t){ t, sl_value_null(), false };
}

/* The NULL literal (type NULL). */
static arg_t
NULLLIT(void)
{
	return (arg_t){ sl_type_null(), sl_value_null(), false };
}

static arg_t
VAR(arg_t a)
{
	a.nonconst = true;
	return a;
}

/* ARRAY of n elements of type t (the args' values). */
static arg_t
ARR(const sl_type_t *t, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	sl_value_t v = sl_value_list(&arena, SL_T_ARRAY, n);
	for (int i = 0; i < n; i++)
		v.u.list->items[i] = va_arg(ap, arg_t).v;
	va_end(ap);
	return (arg_t){ sl_type_array(&arena, t), v, false };
}

/* MAP<STRING, t> of n entries given as key, value pairs (const char *,
 * arg_t). */
static arg_t
MAP(const sl_type_t *t, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	sl_value_t v = sl_value_list(&arena, SL_T_MAP, n);
	for (int i = 0; i < n; i++) {
		const char *k = va_arg(ap, const char *);
		v.u.list->items[2 * i] = sl_value_string(k, (int32_t)strlen(k));
		v.u.list->items[2 * i + 1] = va_arg(ap, arg_t).v;
	}
	va_end(ap);
	return (arg_t){ sl_type_map(&arena, sl_type_string(), t), v, false };
}

static const sl_type_t *
ARRT(const sl_type_t *t)
{
	return sl_type_array(&arena, t);
}

static const sl_type_t *
MAPT(const sl_type_t *t)
{
	return sl_type_map(&arena, sl_type_string(), t);
}

static void render(char *buf, size_t size, const sl_value_t *v, const sl_type_t *t);

static size_t
append(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);
	snprintf(buf + n, size - n, "%s", s);
	return strlen(buf);
}

static void
render(char *buf, size_t size, const sl_value_t *v, const sl_type_t *t)
{
	char tmp[128];
	if (sl_value_is_null(v)) {
		append(buf, size, "null");
		return;
	}
	switch (v->kind) {
	case SL_T_BOOLEAN:
		append(buf, size, v->u.b ? "true" : "false");
		break;
	case SL_T_INT:
	case SL_T_DATE:
		snprintf(tmp, sizeof(tmp), "%d", v->u.i);
		append(buf, size, tmp);
		break;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		snprintf(tmp, sizeof(tmp), "%lld", (long long)v->u.l);
		append(buf, size, tmp);
		break;
	case SL_T_DOUBLE:
		sl_double_format(tmp, sizeof(tmp), v->u.d);
		append(buf, size, tmp);
		break;
	case SL_T_DECIMAL:
		sl_dec_format(tmp, sizeof(tmp), v->u.dec, v->scale);
		append(buf, size, tmp);
		break;
	case SL_T_STRING: {
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, "\"%.*s\"", (int)v->u.s.len, v->u.s.ptr);
		break;
	}
	case SL_T_BYTES: {
		append(buf, size, "0x");
		for (int32_t i = 0; i < v->u.s.len; i++) {
			snprintf(tmp, sizeof(tmp), "%02X", (unsigned char)v->u.s.ptr[i]);
			append(buf, size, tmp);
		}
		break;
	}
	case SL_T_ARRAY:
		append(buf, size, "[");
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i)
				append(buf, size, ",");
			render(buf, size, &v->u.list->items[i], t ? t->elem : NULL);
		}
		append(buf, size, "]");
		break;
	case SL_T_MAP:
		append(buf, size, "{");
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i)
				append(buf, size, ",");
			const sl_value_t *k = &v->u.list->items[2 * i];
			snprintf(tmp, sizeof(tmp), "%.*s:", (int)k->u.s.len, k->u.s.ptr);
			append(buf, size, tmp);
			render(buf, size, &v->u.list->items[2 * i + 1], t ? t->elem : NULL);
		}
		append(buf, size, "}");
		break;
	case SL_T_STRUCT:
		append(buf, size, "{");
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i)
				append(buf, size, ",");
			if (t && i < t->nfields) {
				append(buf, size, t->fields[i].name);
				append(buf, size, "=");
			}
			render(buf, size, &v->u.list->items[i],
			       t && i < t->nfields ? t->fields[i].type : NULL);
		}
		append(buf, size, "}");
		break;
	default:
		append(buf, size, "?");
	}
}

/* Calls name(args...) and returns the rendered result ("ERROR" on a
 * runtime error, "NOMATCH: msg" when no variant accepts the arguments). */
static const char *
callv(const char *name, int argc, const arg_t *args)
{
	static char buf[4096];
	buf[0] = '\0';
	last_ret = NULL;
	last_err[0] = '\0';
	const sl_func_t *f = sl_func_lookup(reg, name);
	ck_assert_msg(f != NULL, "function %s not registered", name);
	const sl_type_t **argt = sl_arena_alloc(&arena, sizeof(*argt) * (size_t)(argc + 1));
	const sl_value_t **constv = sl_arena_alloc(&arena, sizeof(*constv) * (size_t)(argc + 1));
	for (int i = 0; i < argc; i++) {
		argt[i] = args[i].t;
		constv[i] = args[i].nonconst ? NULL : &args[i].v;
	}
	sl_func_binding_t bnd;
	sl_error_t err;
	sl_error_clear(&err);
	if (sl_func_bind(f, argc, argt, constv, &arena, 0, &bnd, &err) != SL_OK) {
		snprintf(buf, sizeof(buf), "NOMATCH: %s", err.msg);
		snprintf(last_err, sizeof(last_err), "%s", err.msg);
		return buf;
	}
	last_ret = bnd.ret;
	/* the compiler casts arguments to the bound types; tests pass them
	 * already typed, except for numeric widening done here */
	sl_value_t *argv = sl_arena_alloc(&arena, sizeof(*argv) * (size_t)(argc + 1));
	bool anynull = false;
	for (int i = 0; i < argc; i++) {
		argv[i] = args[i].v;
		const sl_type_t *bt = bnd.argt[i];
		if (sl_value_is_null(&argv[i])) {
			anynull = true;
			continue;
		}
		if (bt == NULL || (bt->kind == argv[i].kind &&
				   (bt->kind != SL_T_DECIMAL || bt->scale == argv[i].scale)))
			continue;
		double d = argv[i].kind == SL_T_INT ? argv[i].u.i : (double)argv[i].u.l;
		if (bt->kind == SL_T_BIGINT && argv[i].kind == SL_T_INT)
			argv[i] = sl_value_bigint(argv[i].u.i);
		else if (bt->kind == SL_T_DOUBLE && argv[i].kind == SL_T_DECIMAL)
			argv[i] = sl_value_double(sl_dec_to_double(argv[i].u.dec, argv[i].scale));
		else if (bt->kind == SL_T_DOUBLE)
			argv[i] = sl_value_double(d);
		else if (bt->kind == SL_T_DECIMAL && argv[i].kind == SL_T_DECIMAL) {
			__int128 u;
			ck_assert_int_eq(
				sl_dec_rescale(argv[i].u.dec, argv[i].scale, bt->scale, &u), SL_OK);
			argv[i] = sl_value_decimal(u, bt->precision, bt->scale);
		} else if (bt->kind == SL_T_DECIMAL) {
			__int128 u = argv[i].kind == SL_T_INT ? argv[i].u.i : argv[i].u.l;
			ck_assert_int_eq(sl_dec_rescale(u, 0, bt->scale, &u), SL_OK);
			argv[i] = sl_value_decimal(u, bt->precision, bt->scale);
		}
	}
	sl_value_t out = sl_value_null();
	int rc = SL_OK;
	if (!anynull || (bnd.variant->flags & SL_FV_NULL_CALL)) {
		sl_fcall_t call = { .arena = &arena,
				    .argc = argc,
				    .argt = bnd.argt,
				    .ret = bnd.ret,
				    .state = bnd.state,
				    .func = f };
		rc = bnd.variant->fn(&call, argc, argv, &out);
	}
	if (bnd.destroy)
		bnd.destroy(bnd.state);
	if (rc != SL_OK) {
		snprintf(buf, sizeof(buf), "ERROR");
		return buf;
	}
	render(buf, sizeof(buf), &out, bnd.ret);
	return buf;
}

#define NARGS(...) (int)(sizeof((arg_t[]){ __VA_ARGS__ }) / sizeof(arg_t))
#define CALL(name, ...) callv(name, NARGS(__VA_ARGS__), (arg_t[]){ __VA_ARGS__ })
#define CALL0(name) callv(name, 0, NULL)
#define EXPECT(expected, name, ...) ck_assert_str_eq(CALL(name, __VA_ARGS__), expected)

/* Compiles and evaluates the constant SQL expression text; renders the
 * result as callv() does ("COMPILE: msg" when it does not compile,
 * "ERROR" when a call failed at runtime). */
static const char *
sqlv(const char *text)
{
	static char buf[4096];
	buf[0] = '\0';
	last_ret = NULL;
	sl_node_t *ast;
	sl_error_t err;
	sl_error_clear(&err);
	if (sl_parse_expr(text, strlen(text), &arena, &ast, &err) != SL_OK) {
		snprintf(buf, sizeof(buf), "PARSE: %s", err.msg);
		return buf;
	}
	sl_scope_t scope = { 0 };
	sl_expr_t *e;
	if (sl_expr_compile(ast, &scope, reg, &arena, &e, &err) != SL_OK) {
		snprintf(buf, sizeof(buf), "COMPILE: %s", err.msg);
		snprintf(last_err, sizeof(last_err), "%s", err.msg);
		return buf;
	}
	last_ret = sl_expr_type(e);
	sl_value_t out;
	int rc = sl_expr_eval_constant(e, &arena, &out, &err);
	sl_expr_destroy(e);
	/* a failing call is NULL and evaluation goes on; err tells */
	if (rc != SL_OK || err.code != SL_OK) {
		snprintf(last_err, sizeof(last_err), "%s", err.msg);
		snprintf(buf, sizeof(buf), "ERROR");
		return buf;
	}
	render(buf, sizeof(buf), &out, last_ret);
	return buf;
}

#define SQL(expected, text) ck_assert_str_eq(sqlv(text), expected)

/* The type of the last call's result, as DESCRIBE prints it. */
static const char *
ret_type(void)
{
	static char buf[256];
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	if (last_ret)
		sl_type_format(&sb, last_ret);
	snprintf(buf, sizeof(buf), "%s", sb.data);
	sl_strbuf_free(&sb);
	return buf;
}

/* ---- registry ---------------------------------------------------------- */

START_TEST(test_registry_complete)
{
	static const char *names[] = {
		"ABS",
		"ACOS",
		"ARRAY_CONCAT",
		"ARRAY_CONTAINS",
		"ARRAY_DISTINCT",
		"ARRAY_EXCEPT",
		"ARRAY_INTERSECT",
		"ARRAY_JOIN",
		"ARRAY_LENGTH",
		"ARRAY_MAX",
		"ARRAY_MIN",
		"ARRAY_REMOVE",
		"ARRAY_SORT",
		"ARRAY_UNION",
		"AS_MAP",
		"AS_VALUE",
		"ASIN",
		"ATAN",
		"ATAN2",
		"BIGINT_FROM_BYTES",
		"CBRT",
		"CEIL",
		"CHR",
		"COALESCE",
		"CONCAT",
		"CONCAT_WS",
		"CONVERT_TZ",
		"COS",
		"COSH",
		"COT",
		"CUBE_EXPLODE",
		"DATEADD",
		"DATESUB",
		"DATETOSTRING",
		"DEGREES",
		"DOUBLE_FROM_BYTES",
		"ELT",
		"ENCODE",
		"ENTRIES",
		"EXP",
		"EXPLODE",
		"EXTRACTJSONFIELD",
		"FIELD",
		"FILTER",
		"FLOOR",
		"FORMAT_DATE",
		"FORMAT_TIME",
		"FORMAT_TIMESTAMP",
		"FROM_BYTES",
		"FROM_DAYS",
		"FROM_UNIXTIME",
		"GENERATE_SERIES",
		"GEO_DISTANCE",
		"GREATEST",
		"IFNULL",
		"INITCAP",
		"INSTR",
		"INT_FROM_BYTES",
		"IS_JSON_STRING",
		"JSON_ARRAY_CONTAINS",
		"JSON_ARRAY_LENGTH",
		"JSON_CONCAT",
		"JSON_ITEMS",
		"JSON_KEYS",
		"JSON_RECORDS",
		"LCASE",
		"LEAST",
		"LEN",
		"LN",
		"LOG",
		"LPAD",
		"MAP_KEYS",
		"MAP_UNION",
		"MAP_VALUES",
		"MD5",
		"NULLIF",
		"PARSE_DATE",
		"PARSE_TIME",
		"PARSE_TIMESTAMP",
		"POWER",
		"RADIANS",
		"RANDOM",
		"REDUCE",
		"REGEXP_EXTRACT",
		"REGEXP_EXTRACT_ALL",
		"REGEXP_REPLACE",
		"REGEXP_SPLIT_TO_ARRAY",
		"REPLACE",
		"ROUND",
		"RPAD",
		"SIGN",
		"SIN",
		"SINH",
		"SLICE",
		"SPLIT",
		"SPLIT_TO_MAP",
		"SQRT",
		"STRINGTODATE",
		"STRINGTOTIMESTAMP",
		"SUBSTRING",
		"TAN",
		"TIMEADD",
		"TIMESTAMPADD",
		"TIMESTAMPSUB",
		"TIMESTAMPTOSTRING",
		"TIMESUB",
		"TO_BYTES",
		"TO_JSON_STRING",
		"TRANSFORM",
		"TRIM",
		"TRUNC",
		"UCASE",
		"UNIX_DATE",
		"UNIX_TIMESTAMP",
		"URL_DECODE_PARAM",
		"URL_ENCODE_PARAM",
		"URL_EXTRACT_FRAGMENT",
		"URL_EXTRACT_HOST",
		"URL_EXTRACT_PARAMETER",
		"URL_EXTRACT_PATH",
		"URL_EXTRACT_PORT",
		"URL_EXTRACT_PROTOCOL",
		"URL_EXTRACT_QUERY",
		"UUID",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const sl_func_t *f = sl_func_lookup(reg, names[i]);
		ck_assert_msg(f != NULL, "%s is not registered", names[i]);
		ck_assert_ptr_nonnull(f->category);
		ck_assert_ptr_nonnull(f->description);
		ck_assert_int_gt(f->nvariants, 0);
	}
}
END_TEST

/* ---- string ------------------------------------------------------------ */

START_TEST(test_string_case_trim)
{
	EXPECT("\"LOWER\"", "UCASE", S("lower"));
	EXPECT("\"mixed\"", "LCASE", S("MiXeD"));
	EXPECT("\"ÜBER\"", "UCASE", S("über"));
	EXPECT("\"with white space\"", "TRIM", S(" \t with white space \t"));
	EXPECT("\"x \"", "LTRIM", S("  x "));
	EXPECT("\" x\"", "RTRIM", S(" x  "));
	EXPECT("null", "TRIM", NUL(sl_type_string()));
	EXPECT("\"Some_string\"", "INITCAP", S("some_string"));
	EXPECT("\"The   Quick Br0wn Fox\"", "INITCAP", S("the   Quick br0wn fOx"));
	EXPECT("\"\"", "INITCAP", S(""));
}
END_TEST

START_TEST(test_string_substring)
{
	EXPECT("\"string\"", "SUBSTRING", S("some_string"), I(6));
	EXPECT("\"er\"", "SUBSTRING", S("another"), I(6));
	EXPECT("\"\"", "SUBSTRING", S("short"), I(6));
	EXPECT("\"ower\"", "SUBSTRING", S("lower"), I(2), I(5));
	EXPECT("\"so\"", "SUBSTRING", S("some string"), I(0), I(2));
	EXPECT("\"ng\"", "SUBSTRING", S("string"), I(-2));
	EXPECT("\"str\"", "SUBSTRING", S("string"), I(-10), I(3));
	EXPECT("\"\"", "SUBSTRING", S("s"), I(2), I(5));
	EXPECT("null", "SUBSTRING", S("abc"), NUL(sl_type_int()));
	EXPECT("\"ñé\"", "SUBSTRING", S("añéb"), I(2), I(2));
	EXPECT("0x737472", "SUBSTRING", BY("some_string", 11), I(6), I(3));
	EXPECT("0x", "SUBSTRING", BY("short", 5), I(6));
}
END_TEST

START_TEST(test_string_len_instr)
{
	EXPECT("3", "LEN", S("ABC"));
	EXPECT("0", "LEN", S(""));
	EXPECT("3", "LEN", BY("abc", 3));
	EXPECT("2", "LEN", S("ñé"));
	EXPECT("2", "INSTR", S("corporate floor"), S("or"));
	EXPECT("15", "INSTR", S("should I stay or should I go"), S("or"));
	EXPECT("0", "INSTR", S("no substring"), S("or"));
	EXPECT("5", "INSTR", S("corporate floor"), S("or"), I(4));
	EXPECT("0", "INSTR", S("short"), S("or"), I(4));
	EXPECT("5", "INSTR", S("corporate floor"), S("or"), I(-4));
	EXPECT("2", "INSTR", S("corporate floor"), S("or"), I(-4), I(2));
	EXPECT("14", "INSTR", S("corporate floor"), S("or"), I(3), I(2));
	EXPECT("0", "INSTR", NUL(sl_type_string()), S("or"));
}
END_TEST

START_TEST(test_string_concat)
{
	EXPECT("\"prefix-s1-postfix\"", "CONCAT", S("prefix-"), S("s1"), S("-postfix"));
	EXPECT("\"ab\"", "CONCAT", S("a"), NUL(sl_type_string()), S("b"));
	EXPECT("0x6162", "CONCAT", BY("a", 1), NUL(sl_type_bytes()), BY("b", 1));
	EXPECT("\"fooSEPbarSEPbazSEPliteral\"", "CONCAT_WS", S("SEP"), S("foo"), S("bar"), S("baz"),
	       NULLLIT(), S("literal"));
	EXPECT("\"literal\"", "CONCAT_WS", S("SEP"), NUL(sl_type_string()), S("literal"));
	EXPECT("null", "CONCAT_WS", NUL(sl_type_string()), S("foo"), S("bar"));
	EXPECT("0x6261796573616E6F", "CONCAT_WS", BY("a", 1), BY("b", 1), BY("yes", 3),
	       NUL(sl_type_bytes()), BY("no", 2));
	EXPECT("\"something\"", "ELT", I(2), S("ignored"), S("something"));
	EXPECT("null", "ELT", I(3), S("a"), S("b"));
	EXPECT("null", "ELT", I(0), S("a"));
	EXPECT("1", "FIELD", S("hello"), S("hello"), S("world"));
	EXPECT("2", "FIELD", S("hello"), NUL(sl_type_string()), S("hello"));
	EXPECT("0", "FIELD", NUL(sl_type_string()), S("hello"));
}
END_TEST

START_TEST(test_string_pad)
{
	EXPECT("\"BarBfoo\"", "LPAD", S("foo"), I(7), S("Bar"));
	EXPECT("\"Bafoo\"", "LPAD", S("foo"), I(5), S("Bar"));
	EXPECT("\"fo\"", "LPAD", S("foo"), I(2), S("Bar"));
	EXPECT("null", "LPAD", S("foo"), I(-1), S("Bar"));
	EXPECT("null", "LPAD", S("foo"), I(5), NUL(sl_type_string()));
	EXPECT("null", "LPAD", S("foo"), I(7), S(""));
	EXPECT("\"BarBarB\"", "LPAD", S(""), I(7), S("Bar"));
	EXPECT("\"fooBarB\"", "RPAD", S("foo"), I(7), S("Bar"));
	EXPECT("\"fo\"", "RPAD", S("foo"), I(2), S("Bar"));
	EXPECT("0x6E6F6E6F6E796573", "LPAD", BY("yes", 3), I(8), BY("no", 2));
	EXPECT("0x7965", "LPAD", BY("yes", 3), I(2), BY("no", 2));
	EXPECT("0x", "LPAD", BY("yes", 3), I(0), BY("no", 2));
	EXPECT("null", "LPAD", BY("yes", 3), I(3), BY("", 0));
	EXPECT("0x7965736E6F6E6F6E", "RPAD", BY("yes", 3), I(8), BY("no", 2));
}
END_TEST

START_TEST(test_string_replace_split)
{
	EXPECT("\"onocondo\"", "REPLACE", S("anaconda"), S("a"), S("o"));
	EXPECT("null", "REPLACE", S("anaconda"), NUL(sl_type_string()), S("o"));
	EXPECT("\"xaxbx\"", "REPLACE", S("ab"), S(""), S("x"));
	EXPECT("[\"a\",\"b\",\"c\"]", "SPLIT", S("a.b.c"), S("."));
	EXPECT("[\"\",\"abc\",\"\"]", "SPLIT", S(".abc."), S("."));
	EXPECT("[\"\",\"\",\"a\",\"\",\"\"]", "SPLIT", S("..a.."), S("."));
	EXPECT("[\"a\",\"b.c\"]", "SPLIT", S("a$$b.c"), S("$$"));
	EXPECT("[\"\"]", "SPLIT", S(""), S("."));
	EXPECT("[\"a\",\"ñ\",\"c\"]", "SPLIT", S("añc"), S(""));
	EXPECT("[0x61,0x62,0x63]", "SPLIT", BY("a.b.c", 5), BY(".", 1));
	EXPECT("[0x]", "SPLIT", BY("", 0), BY(".", 1));
	EXPECT("{apple:\"green\",banana:\"yellow\",cherry:\"red\"}", "SPLIT_TO_MAP",
	       S("apple:green/banana:yellow/cherry:red"), S("/"), S(":"));
	EXPECT("{apple:\"green/banana\"}", "SPLIT_TO_MAP",
	       S("apple:green/banana:yellow/cherry:red"), S("&&"), S(":"));
	EXPECT("{apple:\"green\",banana:\"yellow\",cherry:\"red\"}", "SPLIT_TO_MAP",
	       S("apple:green//banana:yellow//cherry:red/"), S("/"), S(":"));
	EXPECT("{}", "SPLIT_TO_MAP", S("apple:green/banana:yellow"), S("/"), S("="));
	EXPECT("null", "SPLIT_TO_MAP", S("a:b"), S(""), S(":"));
	EXPECT("{}", "SPLIT_TO_MAP", S(""), S("/"), S(":"));
	EXPECT("{a:\"3\"}", "SPLIT_TO_MAP", S("a:1/a:3"), S("/"), S(":"));
}
END_TEST

START_TEST(test_string_chr_encode)
{
	EXPECT("\"K\"", "CHR", I(75));
	EXPECT("\"好\"", "CHR", I(22909));
	EXPECT("\"\xF0\x98\x8A\xB8\"", "CHR", I(99000));
	EXPECT("null", "CHR", I(-1));
	EXPECT("\"K\"", "CHR", S("\\u004b"));
	EXPECT("\"\xF0\x98\x8A\xB8\"", "CHR", S("\\ud820\\udeb8"));
	EXPECT("null", "CHR", S("75"));
	EXPECT("null", "CHR", S(""));
	EXPECT("\"Example!\"", "ENCODE", S("4578616d706C6521"), S("hex"), S("ascii"));
	EXPECT("\"RXhhbXBsZSE=\"", "ENCODE", S("0x4578616d706C6521"), S("hex"), S("base64"));
	EXPECT("\"Example!\"", "ENCODE", S("X'4578616d706C6521'"), S("hex"), S("utf8"));
	EXPECT("\"\"", "ENCODE", S("x''"), S("hex"), S("utf8"));
	EXPECT("ERROR", "ENCODE", S("0x0x"), S("hex"), S("utf8"));
	EXPECT("ERROR", "ENCODE", S("x'4578616d706C6521"), S("hex"), S("utf8"));
	EXPECT("\"\x05xample!\"", "ENCODE", S("0x578616d706C6521"), S("hex"), S("utf8"));
	EXPECT("\"\xC3\x9C"
	       "bermensch\"",
	       "ENCODE", S("c39c6265726d656e736368"), S("hex"), S("utf8"));
	EXPECT("\"\xEF\xBF\xBD\xEF\xBF\xBD"
	       "bermensch\"",
	       "ENCODE", S("c39c6265726d656e736368"), S("hex"), S("ascii"));
	EXPECT("\"3f3f\"", "ENCODE", S("ñé"), S("ascii"), S("hex"));
	EXPECT("\"4578616d706c6521\"", "ENCODE", S("Example!"), S("utf8"), S("hex"));
	EXPECT("\"Example!\"", "ENCODE", S("RXhhbXBsZSE="), S("base64"), S("utf8"));
	EXPECT("ERROR", "ENCODE", S("RXhhbXBsZSE="), S("base64"), S("null"));
}
END_TEST

START_TEST(test_string_mask_md5_uuid)
{
	EXPECT("\"Xxxxx-nnn\"", "MASK", S("Hello-123"));
	EXPECT("\"Ulllloddd\"", "MASK", S("Hello-123"), S("U"), S("l"), S("d"), S("o"));
	EXPECT("\"Hello-123\"", "MASK", S("Hello-123"), S("H"), NUL(sl_type_string()),
	       NUL(sl_type_string()), NUL(sl_type_string()));
	EXPECT("\"Hello-123\"", "MASK", S("Hello-123"), NUL(sl_type_string()),
	       NUL(sl_type_string()), NUL(sl_type_string()), NUL(sl_type_string()));
	EXPECT("\"Helxx-nnn\"", "MASK_KEEP_LEFT", S("Hello-123"), I(3));
	EXPECT("\"Xxxxx-123\"", "MASK_KEEP_RIGHT", S("Hello-123"), I(3));
	EXPECT("\"Xxxlo-123\"", "MASK_LEFT", S("Hello-123"), I(3));
	EXPECT("\"Hello-nnn\"", "MASK_RIGHT", S("Hello-123"), I(3));
	EXPECT("\"Xxxxx-nnn\"", "MASK_LEFT", S("Hello-123"), I(30));
	EXPECT("ERROR", "MASK_LEFT", S("Hello-123"), I(-1));
	EXPECT("\"7c92cf1eee8d99cc85f8355a3d6e4b86\"", "MD5", S("r1"));
	EXPECT("\"d41d8cd98f00b204e9800998ecf8427e\"", "MD5", S(""));
	EXPECT("\"23b58def11b45727d3351702515f86af\"", "MD5", S("  "));
	EXPECT("\"9e107d9d372bb6826bd81d3542a419d6\"", "MD5",
	       S("The quick brown fox jumps over the lazy dog"));
	const char *u = CALL0("UUID");
	ck_assert_int_eq((int)strlen(u), 38);
	ck_assert_int_eq(u[15], '4');
	EXPECT("\"00010203-0405-0607-0809-0a0b0c0d0e0f\"", "UUID",
	       BY("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16));
	EXPECT("null", "UUID", BY("abc", 3));
}
END_TEST

/* ---- bytes ------------------------------------------------------------- */

START_TEST(test_bytes_conversions)
{
	EXPECT("\"21\"", "FROM_BYTES", BY("!", 1), S("hex"));
	EXPECT("\"1AB2\"", "FROM_BYTES", BY("\x1a\xb2", 2), S("HEX"));
	EXPECT("0x1AB2", "TO_BYTES", S("1aB2"), S("hex"));
	EXPECT("ERROR", "TO_BYTES", S("1aB"), S("hex"));
	EXPECT("\"!\"", "FROM_BYTES", BY("!", 1), S("ascii"));
	EXPECT("\"IQ==\"", "FROM_BYTES", BY("!", 1), S("base64"));
	EXPECT("0x21", "TO_BYTES", S("IQ=="), S("base64"));
	EXPECT("0xC3A9", "TO_BYTES", S("é"), S("utf8"));
	EXPECT("0x3F", "TO_BYTES", S("é"), S("ascii"));
	EXPECT("ERROR", "TO_BYTES", S("x"), S("latin1"));
	EXPECT("2021", "INT_FROM_BYTES", BY("\x00\x00\x07\xe5", 4));
	EXPECT("-452526080", "INT_FROM_BYTES", BY("\x00\x00\x07\xe5", 4), S("LITTLE_ENDIAN"));
	EXPECT("ERROR", "INT_FROM_BYTES", BY("\x00\x07\xe5", 3));
	EXPECT("5000000000", "BIGINT_FROM_BYTES", BY("\x00\x00\x00\x01\x2a\x05\xf2\x00", 8));
	EXPECT("532.8738323", "DOUBLE_FROM_BYTES", BY("\x40\x80\xa6\xfd\x9b\xc9\xf5\x82", 8));
}
END_TEST

/* ---- math -------------------------------------------------------------- */

START_TEST(test_math_round)
{
	static const struct {
		double v;
		const char *r0, *r1, *r2, *rm1, *rm2;
	} cases[] = {
		{ 1.2, "1", "1.2", "1.2", "0.0", "0.0" },
		{ 1.5, "2", "1.5", "1.5", "0.0", "0.0" },
		{ 1.234567, "1", "1.2", "1.23", "0.0", "0.0" },
		{ 111, "111", "111.0", "111.0", "110.0", "100.0" },
		{ -1.5, "-1", "-1.5", "-1.5", "0.0", "0.0" },
		{ -1.7, "-2", "-1.7", "-1.7", "0.0", "0.0" },
		{ 12345.678, "12346", "12345.7", "12345.68", "12350.0", "12300.0" },
		{ -12345.678, "-12346", "-12345.7", "-12345.68", "-12350.0", "-12300.0" },
		{ 0.5, "1", "0.5", "0.5", "0.0", "0.0" },
		{ -0.5, "0", "-0.5", "-0.5", "0.0", "0.0" },
		{ 2.675, "3", "2.7", "2.68", "0.0", "0.0" },
		{ -2.675, "-3", "-2.7", "-2.67", "0.0", "0.0" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT(cases[i].r0, "ROUND", D(cases[i].v));
		EXPECT(cases[i].r1, "ROUND", D(cases[i].v), I(1));
		EXPECT(cases[i].r2, "ROUND", D(cases[i].v), I(2));
		EXPECT(cases[i].rm1, "ROUND", D(cases[i].v), I(-1));
		EXPECT(cases[i].rm2, "ROUND", D(cases[i].v), I(-2));
	}
	EXPECT("5", "ROUND", I(5));
	ck_assert_str_eq(ret_type(), "BIGINT");
	EXPECT("9223372036854775807", "ROUND", D(1e300));
	EXPECT("0", "ROUND", D(NAN));
	EXPECT("12345678987654322", "ROUND", DEC("12345678987654321.5", 33, 16));
	ck_assert_str_eq(ret_type(), "DECIMAL(17, 0)");
	EXPECT("12345678987654322.0000000000000000", "ROUND", DEC("12345678987654321.5", 33, 16),
	       I(0));
	ck_assert_str_eq(ret_type(), "DECIMAL(33, 16)");
	EXPECT("-1.00", "ROUND", DEC("-1.50", 4, 2), I(0));
	EXPECT("-2.00", "ROUND", DEC("-1.51", 4, 2), I(0));
	EXPECT("10.60", "ROUND", DEC("10.55", 4, 2), I(1));
	EXPECT("10", "ROUND", DEC("9.56", 4, 2));
	EXPECT("120.00", "ROUND", DEC("123.45", 5, 2), I(-1));
}
END_TEST

START_TEST(test_math_trunc_floor_ceil)
{
	EXPECT("12345", "TRUNC", D(12345.678));
	EXPECT("-12345", "TRUNC", D(-12345.678));
	EXPECT("12345.6", "TRUNC", D(12345.678), I(1));
	EXPECT("-12345.67", "TRUNC", D(-12345.678), I(2));
	EXPECT("12340.0", "TRUNC", D(12345.678), I(-1));
	EXPECT("2147483648", "TRUNC", L(2147483648LL));
	EXPECT("-1", "TRUNC", DEC("-1.7", 2, 1));
	EXPECT("-1.60", "TRUNC", DEC("-1.67", 3, 2), I(1));
	EXPECT("-2.0", "FLOOR", D(-1.1));
	EXPECT("1", "FLOOR", I(1));
	EXPECT("-2.0", "FLOOR", DEC("-1.1", 2, 1));
	ck_assert_str_eq(ret_type(), "DECIMAL(2, 1)");
	EXPECT("2.0", "CEIL", D(1.1));
	EXPECT("-1.0", "CEIL", D(-1.5));
	EXPECT("2.0", "CEIL", DEC("1.1", 2, 1));
	EXPECT("-1", "CEIL", L(-1));
}
END_TEST

START_TEST(test_math_functions)
{
	EXPECT("1", "ABS", I(-1));
	EXPECT("2", "ABS", L(-2));
	EXPECT("3.1", "ABS", D(-3.1));
	EXPECT("3.2", "ABS", DEC("-3.2", 2, 1));
	EXPECT("-2147483648", "ABS", I(INT32_MIN));
	EXPECT("0.36787944117144233", "EXP", I(-1));
	EXPECT("7.38905609893065", "EXP", L(2));
	EXPECT("20.085536923187668", "EXP", D(3.0));
	EXPECT("NaN", "LN", I(-1));
	EXPECT("-Infinity", "LN", L(0));
	EXPECT("1.0986122886681098", "LN", D(3.0));
	EXPECT("0.9471572411831843", "LOG", I(15), I(13));
	EXPECT("-Infinity", "LOG", D(15), D(0));
	EXPECT("NaN", "LOG", I(1), I(13));
	EXPECT("NaN", "LOG", I(0), I(13));
	EXPECT("NaN", "LOG", I(-15), I(13));
	EXPECT("0.06666666666666667", "POWER", I(15), I(-1));
	EXPECT("1.946195068359375E15", "POWER", L(15), L(13));
	EXPECT("1.0", "POWER", D(0), D(0));
	EXPECT("-2.0", "CBRT", I(-8));
	EXPECT("1.4422495703074083", "CBRT", L(3));
	EXPECT("-1", "SIGN", D(-3.0));
	EXPECT("0", "SIGN", L(0));
	EXPECT("1", "SIGN", I(7));
	EXPECT("-114.591559026165", "ROUND", D(-114.59155902616465), I(12));
	EXPECT("-114.59155902616465", "DEGREES", I(-2));
	EXPECT("1.2345", "ROUND", D(1.2345000000000002), I(13));
	EXPECT("-1.9896753472735", "ROUND", D(-1.9896753472735356), I(13));
	EXPECT("-1.9896753472735358", "RADIANS", I(-114));
	EXPECT("3.0", "SQRT", I(9));
	EXPECT("0.0", "SIN", I(0));
	EXPECT("1.0", "COS", D(0));
	EXPECT("-2.5535900500422257", "ATAN2", I(-2), I(-3));
	EXPECT("3.141592653589793", "ATAN2", I(0), I(-3));
	EXPECT("1.5707963267948966", "ACOS", I(0));
	EXPECT("-1.5707963267948966", "ASIN", I(-1));
	EXPECT("548.317035155212", "COSH", I(7));
	EXPECT("-1.1475154224051356", "COT", I(-7));
	EXPECT("3.141592653589793", "PI", );
	const char *r = CALL0("RANDOM");
	double d = atof(r);
	ck_assert(d >= 0.0 && d < 1.0);
}
END_TEST

START_TEST(test_math_geo_distance)
{
	EXPECT("8682.459061368269", "GEO_DISTANCE", D(37.4439), D(-122.1663), I(51), I(0));
	EXPECT("5395.362646987439", "GEO_DISTANCE", D(37.4439), D(-122.1663), D(51.0), D(0.0),
	       S("MI"));
	EXPECT("ERROR", "GEO_DISTANCE", D(137.4439), D(-122.1663), D(51.0), D(0.0));
	EXPECT("ERROR", "GEO_DISTANCE", D(37.4439), D(-122.1663), D(51.0), D(0.0), S("feet"));
}
END_TEST

START_TEST(test_math_greatest_least)
{
	EXPECT("2147483647", "GREATEST", I(2147483647), I(-2147483647), NUL(sl_type_int()),
	       NULLLIT(), I(5));
	ck_assert_str_eq(ret_type(), "INTEGER");
	EXPECT("-2147483647", "LEAST", I(2147483647), I(-2147483647), NUL(sl_type_int()), NULLLIT(),
	       I(5));
	EXPECT("50000.555", "GREATEST", D(50000.555), D(-99999.555), NUL(sl_type_double()));
	EXPECT("1.0E12", "GREATEST", I(-1), L(1000000000000LL), DEC("99999.99999", 30, 18),
	       NUL(sl_type_double()), NULLLIT());
	ck_assert_str_eq(ret_type(), "DOUBLE");
	EXPECT("1234567.890000", "GREATEST", DEC("1234567.89", 9, 2), DEC("0.123456", 7, 6));
	ck_assert_str_eq(ret_type(), "DECIMAL(13, 6)");
	ck_assert(strncmp(CALL("GREATEST", I(1), L(2)), "NOMATCH", 7) == 0);
	ck_assert_str_eq(last_err, "function \"GREATEST\" cannot be resolved due to ambiguous "
				   "method parameters (INTEGER, BIGINT)");
	ck_assert(strncmp(CALL("GREATEST", NULLLIT(), NULLLIT()), "NOMATCH", 7) == 0);
	EXPECT("\"zebra\"", "GREATEST", S("apple"), S("zebra"), NUL(sl_type_string()));
	EXPECT("\"apple\"", "LEAST", S("apple"), S("zebra"), NUL(sl_type_string()));
	EXPECT("0x656C6C6F", "GREATEST", BY("apple", 5), BY("ello", 4));
	EXPECT("null", "GREATEST", NUL(sl_type_int()), NULLLIT());
	EXPECT("33370000", "GREATEST", TM(32560000), TM(33370000), NUL(sl_type_time()));
}
END_TEST

/* ---- nulls ------------------------------------------------------------- */

START_TEST(test_nulls)
{
	EXPECT("1", "COALESCE", I(1), I(2));
	EXPECT("2", "COALESCE", NUL(sl_type_int()), I(2), I(3));
	EXPECT("null", "COALESCE", NUL(sl_type_int()), NULLLIT());
	EXPECT("[10,20]", "COALESCE", NUL(ARRT(sl_type_int())),
	       ARR(sl_type_int(), 2, I(10), I(20)));
	EXPECT("\"x\"", "IFNULL", NUL(sl_type_string()), S("x"));
	EXPECT("\"y\"", "IFNULL", S("y"), S("x"));
	EXPECT("null", "NULLIF", I(10), I(10));
	EXPECT("1", "NULLIF", I(1), I(10));
	EXPECT("1", "NULLIF", I(1), NUL(sl_type_int()));
	EXPECT("null", "NULLIF", NUL(sl_type_int()), I(1));
	EXPECT("null", "NULLIF", ARR(sl_type_int(), 3, I(1), I(2), I(3)),
	       ARR(sl_type_int(), 3, I(1), I(2), I(3)));
	EXPECT("[4,5]", "NULLIF", ARR(sl_type_int(), 2, I(4), I(5)),
	       ARR(sl_type_int(), 3, I(1), I(2), I(3)));
}
END_TEST

/* ---- regexp ------------------------------------------------------------ */

START_TEST(test_regexp)
{
	EXPECT("\"test_\"", "REGEXP_EXTRACT", S("test."), S("some_test_string"));
	EXPECT("null", "REGEXP_EXTRACT", S("test."), S("anothertest"));
	EXPECT("\"zhang\"", "REGEXP_EXTRACT", S("(.*) (.*)"), S("steven zhang"), I(2));
	EXPECT("\"zhang\"", "REGEXP_EXTRACT", VAR(S("(.*) (.*)")), S("steven zhang"), I(2));
	EXPECT("null", "REGEXP_EXTRACT", S("(.*) (.*)"), S("agavra"), I(2));
	EXPECT("null", "REGEXP_EXTRACT", S("(.*)"), S("agavra"), I(2));
	EXPECT("null", "REGEXP_EXTRACT", S("(a)|(b)"), S("a"), I(2));
	EXPECT("ERROR", "REGEXP_EXTRACT", S("(a"), S("a"));
	EXPECT("ERROR", "REGEXP_EXTRACT", VAR(S("(a")), S("a"));
	EXPECT("[\"zhang\",\"coates\"]", "REGEXP_EXTRACT_ALL", S("(\\w+) (\\w*)"),
	       S("steven zhang andy coates"), I(2));
	EXPECT("[\"mehta\",\"\"]", "REGEXP_EXTRACT_ALL", S("(\\w+) (\\w*)"),
	       S("apurva mehta agavra "), I(2));
	EXPECT("[]", "REGEXP_EXTRACT_ALL", S("(\\w+) (\\w*)"), S("agavra"), I(2));
	EXPECT("[\"\",\"aaa\",\"\"]", "REGEXP_EXTRACT_ALL", S("a*"), S("baaa"));
	EXPECT("\"bacataa\"", "REGEXP_REPLACE", S("baababaa"), S("(ab)+"), S("cat"));
	EXPECT("\"bacatbcataa\"", "REGEXP_REPLACE", S("baabbabaa"), S("(ab)+"), S("cat"));
	EXPECT("\"ba-ab-abaa\"", "REGEXP_REPLACE", S("baababaa"), S("a(b)"), S("-$0"));
	EXPECT("\"bb$a\"", "REGEXP_REPLACE", S("ba"), S("(?<x>b)"), S("${x}b\\$"));
	EXPECT("\"xaxbx\"", "REGEXP_REPLACE", S("ab"), S(""), S("x"));
	EXPECT("ERROR", "REGEXP_REPLACE", S("ab"), S("a"), S("$2"));
	EXPECT("[\"a\",\"\",\"a\"]", "REGEXP_SPLIT_TO_ARRAY", S("aabcda"), S("(ab|cd)"));
	EXPECT("[\"a\",\"d\",\"a\"]", "REGEXP_SPLIT_TO_ARRAY", S("aabdcda"), S("(ab|cd)"));
	EXPECT("[\"zxy\"]", "REGEXP_SPLIT_TO_ARRAY", S("zxy"), S("(ab|cd)"));
	EXPECT("[\"\",\"b\",\"\"]", "REGEXP_SPLIT_TO_ARRAY", S("aba"), S("a"));
	EXPECT("[\"a\",\"b\",\"c\"]", "REGEXP_SPLIT_TO_ARRAY", S("abc"), S(""));
	EXPECT("[\"a\",\"b\",\"c\"]", "REGEXP_SPLIT_TO_ARRAY", S("abc"), S("x*"));
	EXPECT("[\"a\",\"b\",\"\",\"c\"]", "REGEXP_SPLIT_TO_ARRAY", S("ab1c2"), VAR(S("\\d*")));
	EXPECT("\"x\"", "REGEXP_EXTRACT", S("."), S("\nx"));
	EXPECT("\"é\"", "REGEXP_EXTRACT", S("."), S("é"));
}
END_TEST

/* ---- url --------------------------------------------------------------- */

START_TEST(test_url)
{
	EXPECT("\"%3Ffoo+%24bar\"", "URL_ENCODE_PARAM", S("?foo $bar"));
	EXPECT("\"hello%26world\"", "URL_ENCODE_PARAM", S("hello&world"));
	EXPECT("\"%C3%A9\"", "URL_ENCODE_PARAM", S("é"));
	EXPECT("\"?foo $bar\"", "URL_DECODE_PARAM", S("%3Ffoo+%24bar"));
	EXPECT("\"é\"", "URL_DECODE_PARAM", S("%C3%A9"));
	EXPECT("ERROR", "URL_DECODE_PARAM", S("%zz"));
	EXPECT("\"fragment\"", "URL_EXTRACT_FRAGMENT", S("http://www.test.com/?query#fragment"));
	EXPECT("null", "URL_EXTRACT_FRAGMENT", S("http://www.nofragment.com"));
	EXPECT("\"www.test.com\"", "URL_EXTRACT_HOST", S("http://www.test.com/?query#fragment"));
	EXPECT("\"confluent.io\"", "URL_EXTRACT_HOST", S("http://test@confluent.io:8080"));
	EXPECT("null", "URL_EXTRACT_HOST", S("www.confluent.io"));
	EXPECT("\"url encoded\"", "URL_EXTRACT_PARAMETER",
	       S("http://www.test.com/?one=a&two=url%20encoded"), S("two"));
	EXPECT("\"a\"", "URL_EXTRACT_PARAMETER", S("http://www.test.com/?one=a&two=b"), S("one"));
	EXPECT("\"\"", "URL_EXTRACT_PARAMETER", S("http://www.test.com/?one&two=b"), S("one"));
	EXPECT("null", "URL_EXTRACT_PARAMETER", S("http://www.test.com/?one=a"), S("three"));
	EXPECT("\"\"", "URL_EXTRACT_PATH", S("http://www.test.com?query#fragment"));
	EXPECT("\"/path\"", "URL_EXTRACT_PATH", S("http://www.test.com/path?query"));
	EXPECT("\"/nested/path\"", "URL_EXTRACT_PATH",
	       S("http://test@confluent.io:8080/nested/path?query&jobs"));
	EXPECT("null", "URL_EXTRACT_PORT", S("http://test@confluent.io"));
	EXPECT("8080", "URL_EXTRACT_PORT",
	       S("http://test@confluent.io:8080/nested/path?query&jobs"));
	EXPECT("\"http\"", "URL_EXTRACT_PROTOCOL", S("http://test@confluent.io"));
	EXPECT("\"https\"", "URL_EXTRACT_PROTOCOL", S("https://test@confluent.io:8080/nested"));
	EXPECT("null", "URL_EXTRACT_PROTOCOL", S("www.confluent.io"));
	EXPECT("\"query\"", "URL_EXTRACT_QUERY", S("http://www.test.com?query#fragment"));
	EXPECT("\"q1&q2\"", "URL_EXTRACT_QUERY", S("http://www.test.com/path?q1&q2"));
	EXPECT("null", "URL_EXTRACT_QUERY", S("http://test@confluent.io:8080/path"));
	EXPECT("ERROR", "URL_EXTRACT_QUERY", S("http://bad url/"));
	EXPECT("null", "URL_EXTRACT_PATH", S("mailto:someone@example.com"));
}
END_TEST

/* ---- date / time ------------------------------------------------------- */

START_TEST(test_datetime_format)
{
	EXPECT("\"2018-05-11\"", "DATETOSTRING", I(17662), S("yyyy-MM-dd"));
	EXPECT("\"11/05/2019\"", "DATETOSTRING", I(18027), S("dd/MM/yyyy"));
	EXPECT("\"01-Jan-2022\"", "DATETOSTRING", I(18993), S("dd-MMM-yyyy"));
	EXPECT("\"31-12-1969Sophia\"", "DATETOSTRING", I(-1), S("dd-MM-yyyy'Sophia'"));
	EXPECT("\"2018-05-11\"", "FORMAT_DATE", DT(17662), S("yyyy-MM-dd"));
	EXPECT("ERROR", "FORMAT_DATE", DT(17662), S("yyyy-MM-dd HH"));
	EXPECT("\"00_01_05_000\"", "FORMAT_TIME", TM(65000), S("HH_mm_ss_SSS"));
	EXPECT("\"002034AAAAA\"", "FORMAT_TIME", TM(1234567), S("HHmmss'AAAAA'"));
	EXPECT("ERROR", "FORMAT_TIME", TM(0), S("yyyy"));
	EXPECT("\"2018-05-11 14:58:33 PDT\"", "TIMESTAMPTOSTRING", L(1526075913000LL),
	       S("yyyy-MM-dd HH:mm:ss zzz"), S("America/Los_Angeles"));
	EXPECT("\"2018-05-11 22:58:33 BST\"", "TIMESTAMPTOSTRING", L(1526075913000LL),
	       S("yyyy-MM-dd HH:mm:ss zzz"), S("Europe/London"));
	EXPECT("\"2018-05-11 21:58:33\"", "FORMAT_TIMESTAMP", TS(1526075913000LL),
	       S("yyyy-MM-dd HH:mm:ss"));
	EXPECT("\"2018-05-11T23:58:33.000+0200\"", "FORMAT_TIMESTAMP", TS(1526075913000LL),
	       S("yyyy-MM-dd'T'HH:mm:ss.SSSZ"), S("+02:00"));
	EXPECT("\"Fri, May 11 2018 9:58 PM Z GMT\"", "FORMAT_TIMESTAMP", TS(1526075913000LL),
	       S("EEE, MMMM d yyyy h:mm a X O"));
	EXPECT("\"Friday 131 Q2 AD\"", "FORMAT_TIMESTAMP", TS(1526075913000LL), S("EEEE D QQQ G"));
	EXPECT("\"2018-05-11T21:58:33Z[UTC]\"", "FORMAT_TIMESTAMP", TS(1526075913000LL),
	       S("yyyy-MM-dd'T'HH:mm:ssXXX'['VV']'"), S("UTC"));
	EXPECT("\"1969-12-31 23:59:59.999\"", "FORMAT_TIMESTAMP", TS(-1),
	       S("yyyy-MM-dd HH:mm:ss.SSS"));
	EXPECT("\"2018 19\"", "FORMAT_TIMESTAMP", TS(1526075913000LL), S("YYYY w"));
	EXPECT("\"it's\"", "FORMAT_TIMESTAMP", TS(0), S("'it''s'"));
	EXPECT("ERROR", "FORMAT_TIMESTAMP", TS(0), S("yyyy-MM-dd"), S("Nowhere/Special"));
	EXPECT("ERROR", "FORMAT_TIMESTAMP", TS(0), S("yyyy-MM-dd bb"));
	EXPECT("ERROR", "FORMAT_TIMESTAMP", TS(0), VAR(S("yyyy-MM-dd bb")));
}
END_TEST

START_TEST(test_datetime_parse)
{
	EXPECT("1526075913000", "STRINGTOTIMESTAMP", S("2018-05-11T21:58:33Z"),
	       S("yyyy-MM-dd'T'HH:mm:ssX"));
	EXPECT("1589234313000", "STRINGTOTIMESTAMP", S("2020-05-11T21:58:33z"),
	       S("yyyy-MM-dd'T'HH:mm:ssX"));
	EXPECT("1566912669200", "STRINGTOTIMESTAMP", S("2019-08-27T13:31:09.2+0000"),
	       S("yyyy-MM-dd'T'HH:mm:ss.SX"));
	EXPECT("1526050713000", "STRINGTOTIMESTAMP", S("2018-05-11 21:58:33"),
	       S("yyyy-MM-dd HH:mm:ss"), S("+07:00"));
	EXPECT("1526101113000", "STRINGTOTIMESTAMP", S("2018-05-11 21:58:33"),
	       S("yyyy-MM-dd HH:mm:ss"), S("America/Los_Angeles"));
	EXPECT("1526075913000", "PARSE_TIMESTAMP", S("2018-05-11T21:58:33"),
	       S("yyyy-MM-dd'T'HH:mm:ss"));
	EXPECT("1526075913000", "PARSE_TIMESTAMP", S("20180511215833"), S("yyyyMMddHHmmss"));
	EXPECT("1526075913123", "PARSE_TIMESTAMP", S("20180511215833123"), S("yyyyMMddHHmmssSSS"));
	EXPECT("3600000", "PARSE_TIMESTAMP", S("01"), S("HH"));
	EXPECT("ERROR", "PARSE_TIMESTAMP", S("2018-05-11"), S("yyyy-MM-dd HH"));
	EXPECT("ERROR", "PARSE_TIMESTAMP", S("2018-05-11 13"), S("yyyy-MM-dd"));
	EXPECT("1526075913000", "PARSE_TIMESTAMP", S("2018-05-11 14:58:33 PDT"),
	       S("yyyy-MM-dd HH:mm:ss zzz"));
	EXPECT("1526075913000", "PARSE_TIMESTAMP", S("2018-05-11 14:58:33 America/Los_Angeles"),
	       S("yyyy-MM-dd HH:mm:ss VV"));
	EXPECT("17662", "STRINGTODATE", S("2018-05-11Lit"), S("yyyy-MM-dd'Lit'"));
	EXPECT("18027", "STRINGTODATE", S("11/05/2019"), S("dd/MM/yyyy"));
	EXPECT("18993", "STRINGTODATE", S("01-Jan-2022"), S("dd-MMM-yyyy"));
	EXPECT("0", "STRINGTODATE", S("01-01-1970"), S("dd-MM-yyyy"));
	EXPECT("ERROR", "STRINGTODATE", S("foo"), S("yyyyMMdd"));
	EXPECT("ERROR", "STRINGTODATE", S("Jan-2022"), S("MMM-yyyy"));
	EXPECT("18993", "PARSE_DATE", S("01-JAN-2022"), S("dd-MMM-yyyy"));
	EXPECT("18993", "PARSE_DATE", S("JAN-2022"), S("MMM-yyyy"));
	EXPECT("12410", "PARSE_DATE", S("2003-12-24"), S("yyyy-MM-dd"));
	EXPECT("ERROR", "PARSE_DATE", S("2004"), S("yyyy-MM-dd"));
	EXPECT("12418", "PARSE_DATE", S("2004-01-01"), S("yyyy-MM-dd"));
	EXPECT("ERROR", "PARSE_DATE", S("2004-01-01 10"), S("yyyy-MM-dd HH"));
	EXPECT("12410", "PARSE_DATE", S("2003-12-24-01-01"), S("yyyy-MM-dd"));
	EXPECT("ERROR", "STRINGTODATE", S("2003-12-24-01-01"), S("yyyy-MM-dd"));
	EXPECT("18321", "PARSE_DATE", S("2020-02-30"), S("yyyy-MM-dd"));
	EXPECT("65000", "PARSE_TIME", S("00:01:05Lit"), S("HH:mm:ss'Lit'"));
	EXPECT("39919000", "PARSE_TIME", S("11/05/19"), S("HH/mm/ss"));
	EXPECT("46800000", "PARSE_TIME", S("01:00:00 PM"), S("hh:mm:ss a"));
	EXPECT("46800000", "PARSE_TIME", S("01:00:00 Pm"), S("hh:mm:ss a"));
	EXPECT("ERROR", "PARSE_TIME", S("2020 01:00"), S("yyyy HH:mm"));
	EXPECT("ERROR", "PARSE_TIME", S("01:00"), S("hh:mm"));
}
END_TEST

START_TEST(test_datetime_misc)
{
	EXPECT("10800100", "CONVERT_TZ", TS(100), S("+0200"), S("+0500"));
	EXPECT("1589245113000", "CONVERT_TZ", TS(1589234313000LL), S("America/Los_Angeles"),
	       S("America/New_York"));
	EXPECT("10800100", "CONVERT_TZ", TS(100), S("America/Los_Angeles"), S("America/New_York"));
	EXPECT("ERROR", "CONVERT_TZ", TS(100), VAR(S("Mars/Olympus")), S("UTC"));
	SQL("20", "DATEADD(DAYS, 10, FROM_DAYS(10))");
	SQL("-5", "DATESUB(DAYS, 10, FROM_DAYS(5))");
	SQL("5", "DATEADD(MILLISECONDS, 5, FROM_DAYS(5))");
	SQL("6", "DATEADD(HOURS, 24, FROM_DAYS(5))");
	SQL("20", "TIMEADD(MILLISECONDS, 10, PARSE_TIME('00:00:00.010', 'HH:mm:ss.SSS'))");
	SQL("5", "TIMEADD(MILLISECONDS, 10, PARSE_TIME('23:59:59.995', 'HH:mm:ss.SSS'))");
	SQL("86399995", "TIMESUB(MILLISECONDS, 10, PARSE_TIME('00:00:00.005', 'HH:mm:ss.SSS'))");
	SQL("7200010", "TIMEADD(HOURS, 26, PARSE_TIME('00:00:00.010', 'HH:mm:ss.SSS'))");
	SQL("20", "TIMESTAMPADD(MILLISECONDS, 10, FROM_UNIXTIME(10))");
	SQL("10", "TIMESTAMPSUB(MILLISECONDS, 10, FROM_UNIXTIME(20))");
	SQL("86400020", "TIMESTAMPADD(DAYS, 1, FROM_UNIXTIME(20))");
	SQL("null", "TIMESTAMPADD(DAYS, CAST(NULL AS INT), FROM_UNIXTIME(20))");
	ck_assert(strncmp(sqlv("DATEADD(FROM_DAYS(1), 5, FROM_DAYS(1))"), "COMPILE", 7) == 0);
	EXPECT("100", "UNIX_TIMESTAMP", TS(100));
	EXPECT("10", "UNIX_DATE", DT(10));
	ck_assert(atoll(CALL0("UNIX_TIMESTAMP")) > 1600000000000LL);
	ck_assert(atoll(CALL0("UNIX_DATE")) > 18000);
	EXPECT("100", "FROM_UNIXTIME", L(100));
	EXPECT("-10", "FROM_DAYS", I(-10));
}
END_TEST

/* ---- json -------------------------------------------------------------- */

START_TEST(test_json_extract)
{
	const char *doc =
		"{\"name\": \"cdc\", \"version\": \"1\", \"@type\": \"UDF\", "
		"\"n\": 1.50, \"e\": 1e3, \"a\": [1, {\"b\": null}], \"o\": {\"x\": \"q\\\"\"}}";
	EXPECT("\"cdc\"", "EXTRACTJSONFIELD", S(doc), S("$.name"));
	EXPECT("\"UDF\"", "EXTRACTJSONFIELD", S(doc), S("$.@type"));
	EXPECT("\"1.50\"", "EXTRACTJSONFIELD", S(doc), S("$.n"));
	EXPECT("\"1E+3\"", "EXTRACTJSONFIELD", S(doc), S("$.e"));
	EXPECT("\"1\"", "EXTRACTJSONFIELD", S(doc), S("$.a[0]"));
	EXPECT("\"null\"", "EXTRACTJSONFIELD", S(doc), S("$.a[1].b"));
	EXPECT("\"{\"b\":null}\"", "EXTRACTJSONFIELD", S(doc), S("$.a[1]"));
	EXPECT("\"{\"x\":\"q\\\"\"}\"", "EXTRACTJSONFIELD", S(doc), S("$[\"o\"]"));
	EXPECT("ERROR", "EXTRACTJSONFIELD", S(doc), S("$['o']"));
	EXPECT("\"q\"\"", "EXTRACTJSONFIELD", S(doc), S("$[\"o\"].x"));
	EXPECT("null", "EXTRACTJSONFIELD", S(doc), S("$.missing"));
	EXPECT("null", "EXTRACTJSONFIELD", S(doc), S("$.a[5]"));
	EXPECT("null", "EXTRACTJSONFIELD", S(doc), S("$.a.b"));
	EXPECT("\"cdd\"", "EXTRACTJSONFIELD",
	       S("{\"name\": \"cdd\", \"version\": \"2\", \"@type\": \"VAL\"}}"), S("$.name"));
	EXPECT("\"fred\"", "EXTRACTJSONFIELD", VAR(S("{\"name\":\"fred\",\"value\":1}")),
	       VAR(S("$.name")));
	EXPECT("ERROR", "EXTRACTJSONFIELD", S("{\"a\": }"), S("$.a"));
	EXPECT("ERROR", "EXTRACTJSONFIELD", S("{}"), S("a"));
	EXPECT("null", "EXTRACTJSONFIELD", S(""), S("$.a"));
}
END_TEST

START_TEST(test_json_functions)
{
	EXPECT("true", "IS_JSON_STRING", S("1"));
	EXPECT("false", "IS_JSON_STRING", S("abc"));
	EXPECT("true", "IS_JSON_STRING", S("[1, 2, 3]"));
	EXPECT("true", "IS_JSON_STRING", S("\"abc\""));
	EXPECT("false", "IS_JSON_STRING", S(""));
	EXPECT("false", "IS_JSON_STRING", NUL(sl_type_string()));
	EXPECT("false", "IS_JSON_STRING", S("01"));
	EXPECT("false", "IS_JSON_STRING", S("1abc"));
	EXPECT("false", "IS_JSON_STRING", S("{\"a\" 1}"));
	EXPECT("2", "JSON_ARRAY_LENGTH", S("[\"Red\", \"Green\"]"));
	EXPECT("0", "JSON_ARRAY_LENGTH", S("[]"));
	EXPECT("null", "JSON_ARRAY_LENGTH", S(""));
	EXPECT("null", "JSON_ARRAY_LENGTH", S("{}"));
	EXPECT("false", "JSON_ARRAY_CONTAINS", S("[\"Red\", \"Green\"]"), S("Pink"));
	EXPECT("true", "JSON_ARRAY_CONTAINS", S("[\"Pink\", \"Yellow\", \"Pink\"]"), S("Pink"));
	EXPECT("true", "JSON_ARRAY_CONTAINS", S("[\"Pink\", null]"), NUL(sl_type_string()));
	EXPECT("false", "JSON_ARRAY_CONTAINS", S("[\"Pink\"]"), NUL(sl_type_string()));
	EXPECT("true", "JSON_ARRAY_CONTAINS", S("[1, 2]"), I(2));
	EXPECT("true", "JSON_ARRAY_CONTAINS", S("[1, 2]"), L(2));
	EXPECT("false", "JSON_ARRAY_CONTAINS", S("[1.0, 2]"), I(1));
	EXPECT("true", "JSON_ARRAY_CONTAINS", S("[1.0, 2]"), D(1.0));
	EXPECT("true", "JSON_ARRAY_CONTAINS", S("[false, true]"), B(true));
	EXPECT("false", "JSON_ARRAY_CONTAINS", S("[[1], {\"a\": 1}]"), I(1));
	EXPECT("false", "JSON_ARRAY_CONTAINS", S("{\"a\": 1}"), I(1));
	EXPECT("true", "JSON_ARRAY_CONTAINS", S("[1, 2, oops"), I(1));
	EXPECT("[\"Red\",\"Green\"]", "JSON_KEYS", S("{\"Red\": 3, \"Green\": 5}"));
	EXPECT("[]", "JSON_KEYS", S("{}"));
	EXPECT("null", "JSON_KEYS", S(""));
	EXPECT("null", "JSON_KEYS", S("[1]"));
	EXPECT("[\"a\",\"b\"]", "JSON_KEYS", S("{\"a\": 1, \"b\": 2, \"a\": 3}"));
	EXPECT("{Red:\"3\",Green:\"5\"}", "JSON_RECORDS", S("{\"Red\": 3, \"Green\": 5}"));
	EXPECT("{White:\"Seven\"}", "JSON_RECORDS", S("{\"White\": \"Seven\"}"));
	EXPECT("{a:\"[1,2]\",b:\"null\"}", "JSON_RECORDS", S("{\"a\": [1, 2], \"b\": null}"));
	EXPECT("{}", "JSON_RECORDS", S("{}"));
	EXPECT("null", "JSON_RECORDS", S(""));
	EXPECT("[\"{\"type\":\"A\",\"timestamp\":\"2022-01-27\"}\",\"{\"type\":\"B\"}\"]",
	       "JSON_ITEMS",
	       S("[{\"type\": \"A\", \"timestamp\": \"2022-01-27\"}, {\"type\": \"B\"}]"));
	EXPECT("[]", "JSON_ITEMS", S("[]"));
	EXPECT("ERROR", "JSON_ITEMS", S("{}"));
	EXPECT("\"{\"a\":1,\"b\":2}\"", "JSON_CONCAT", S("{\"a\": 1}"), S("{\"b\": 2}"));
	EXPECT("\"{}\"", "JSON_CONCAT", S("{}"), S("{}"));
	EXPECT("\"{\"a\":{\"3\":4}}\"", "JSON_CONCAT", S("{\"a\": {\"5\": 6}}"),
	       S("{\"a\": {\"3\": 4}}"));
	EXPECT("\"[1,2,3,4]\"", "JSON_CONCAT", S("[1, 2]"), S("[3, 4]"));
	EXPECT("\"[null,null]\"", "JSON_CONCAT", S("null"), S("null"));
	EXPECT("\"[1,2,{\"a\":1}]\"", "JSON_CONCAT", S("[1, 2]"), S("{\"a\": 1}"));
	EXPECT("\"[1,[2],[[3]],[[[4]]]]\"", "JSON_CONCAT", S("[1, [2]]"), S("[[[3]], [[[4]]]]"));
	EXPECT("\"[1,2,{\"a\":1},4]\"", "JSON_CONCAT", S("[1, 2]"), S("{\"a\": 1}"), S("4"));
	EXPECT("null", "JSON_CONCAT", S("1"), S(""));
	EXPECT("null", "JSON_CONCAT", NUL(sl_type_string()), S("1"));
	EXPECT("\"[1000,0.00000001]\"", "JSON_CONCAT", S("[1e3]"), S("1e-8"));
}
END_TEST

START_TEST(test_json_to_json_string)
{
	EXPECT("\"1\"", "TO_JSON_STRING", I(1));
	EXPECT("\"null\"", "TO_JSON_STRING", NUL(sl_type_int()));
	EXPECT("\"\"abc\"\"", "TO_JSON_STRING", S("abc"));
	EXPECT("\"\"a\\\"b\\n\"\"", "TO_JSON_STRING", S("a\"b\n"));
	EXPECT("\"123.456\"", "TO_JSON_STRING", D(123.456));
	EXPECT("\"1.0E10\"", "TO_JSON_STRING", D(1e10));
	EXPECT("\"\"IQ==\"\"", "TO_JSON_STRING", BY("!", 1));
	EXPECT("\"\"16:43:40\"\"", "TO_JSON_STRING", TM(60220000));
	EXPECT("\"\"16:43\"\"", "TO_JSON_STRING", TM(60180000));
	EXPECT("\"\"1971-11-28T23:46:40.000\"\"", "TO_JSON_STRING", TS(60220000000LL));
	EXPECT("\"\"2018-05-11\"\"", "TO_JSON_STRING", DT(17662));
	EXPECT("\"1.50\"", "TO_JSON_STRING", DEC("1.50", 3, 2));
	EXPECT("\"true\"", "TO_JSON_STRING", B(true));
	EXPECT("\"[1,2,3]\"", "TO_JSON_STRING", ARR(sl_type_int(), 3, I(1), I(2), I(3)));
	EXPECT("\"{\"a\":[1],\"b\":null}\"", "TO_JSON_STRING",
	       MAP(ARRT(sl_type_int()), 2, "b", NUL(ARRT(sl_type_int())), "a",
		   ARR(sl_type_int(), 1, I(1))));
}
END_TEST

/* ---- collections ------------------------------------------------------- */

START_TEST(test_collections_arrays)
{
	const sl_type_t *it = sl_type_int();
	arg_t a = ARR(it, 5, I(0), I(0), I(1), I(0), I(-1));
	EXPECT("[0,0,1,0,-1,1,-2,0]", "ARRAY_CONCAT", a, ARR(it, 3, I(1), I(-2), I(0)));
	EXPECT("[1,-2]", "ARRAY_CONCAT", NUL(ARRT(it)), ARR(it, 2, I(1), I(-2)));
	EXPECT("null", "ARRAY_CONCAT", NUL(ARRT(it)), NUL(ARRT(it)));
	EXPECT("true", "ARRAY_CONTAINS", ARR(sl_type_string(), 2, S("White"), S("Pink")),
	       S("Pink"));
	EXPECT("false", "ARRAY_CONTAINS", ARR(sl_type_string(), 1, S("Black")), S("Pink"));
	EXPECT("true", "ARRAY_CONTAINS", ARR(it, 2, I(1), NUL(it)), NUL(it));
	EXPECT("false", "ARRAY_CONTAINS", NUL(ARRT(it)), I(1));
	EXPECT("[0,1,-1]", "ARRAY_DISTINCT", a);
	EXPECT("[0,null,1,-1]", "ARRAY_DISTINCT", ARR(it, 5, I(0), NUL(it), I(1), NUL(it), I(-1)));
	EXPECT("[]", "ARRAY_DISTINCT", ARR(it, 0));
	EXPECT("[0,-1]", "ARRAY_EXCEPT", a, ARR(it, 2, I(1), I(-2)));
	EXPECT("[]", "ARRAY_EXCEPT", a, ARR(it, 3, I(1), I(-1), I(0)));
	EXPECT("[0,1,-1]", "ARRAY_EXCEPT", a, ARR(it, 0));
	EXPECT("null", "ARRAY_EXCEPT", a, NUL(ARRT(it)));
	EXPECT("[0,1]", "ARRAY_INTERSECT", a, ARR(it, 3, I(1), I(-2), I(0)));
	EXPECT("[]", "ARRAY_INTERSECT", a, ARR(it, 2, I(3), I(4)));
	EXPECT("[0,1,-1,-2]", "ARRAY_UNION", a, ARR(it, 3, I(1), I(-2), I(0)));
	EXPECT("null", "ARRAY_UNION", NUL(ARRT(it)), a);
	EXPECT("5", "ARRAY_LENGTH", a);
	EXPECT("null", "ARRAY_LENGTH", NUL(ARRT(it)));
	EXPECT("1", "ARRAY_MAX", ARR(it, 4, I(0), NUL(it), I(1), I(-1)));
	EXPECT("-1", "ARRAY_MIN", ARR(it, 4, I(0), NUL(it), I(1), I(-1)));
	EXPECT("null", "ARRAY_MAX", ARR(it, 1, NUL(it)));
	EXPECT("\"food\"", "ARRAY_MAX",
	       ARR(sl_type_string(), 4, S("foo"), S("Food"), S("food"), S("F")));
	EXPECT("\"F\"", "ARRAY_MIN",
	       ARR(sl_type_string(), 4, S("foo"), S("Food"), S("food"), S("F")));
	EXPECT("9.0", "ARRAY_MAX",
	       ARR(sl_type_decimal(&arena, 2, 1), 3, DEC("1.0", 2, 1), DEC("9.0", 2, 1),
		   DEC("-9.9", 2, 1)));
	EXPECT("[-1,0,1,null]", "ARRAY_SORT", ARR(it, 4, I(0), NUL(it), I(1), I(-1)));
	EXPECT("[1,0,-1,null]", "ARRAY_SORT", ARR(it, 4, I(0), NUL(it), I(1), I(-1)), S("desc"));
	EXPECT("null", "ARRAY_SORT", ARR(it, 1, I(0)), S("sideways"));
	EXPECT("[true,false,false]", "ARRAY_SORT",
	       ARR(sl_type_boolean(), 3, B(false), B(true), B(false)), S("DESCENDING"));
	EXPECT("[\"bar\"]", "ARRAY_REMOVE", ARR(sl_type_string(), 3, S("foo"), S("bar"), S("foo")),
	       S("foo"));
	EXPECT("[0,1,0,-1]", "ARRAY_REMOVE", ARR(it, 5, I(0), NUL(it), I(1), I(0), I(-1)), NUL(it));
	EXPECT("null", "ARRAY_REMOVE", NUL(ARRT(it)), I(1));
	EXPECT("\"true,null,false\"", "ARRAY_JOIN",
	       ARR(sl_type_boolean(), 3, B(true), NUL(it), B(false)));
	EXPECT("\"1.23 -23.42 0.0 1.0E10\"", "ARRAY_JOIN",
	       ARR(sl_type_double(), 4, D(1.23), D(-23.42), D(0.0), D(1e10)), S(" "));
	EXPECT("\"123.450000000#987.650000000#1E-9\"", "ARRAY_JOIN",
	       ARR(sl_type_decimal(&arena, 10, 9), 3, DEC("123.45", 12, 9), DEC("987.65", 12, 9),
		   DEC("0.000000001", 10, 9)),
	       S("#"));
	EXPECT("\"HelloFrom\"", "ARRAY_JOIN", ARR(sl_type_string(), 2, S("Hello"), S("From")),
	       NUL(sl_type_string()));
	EXPECT("ERROR", "ARRAY_JOIN", ARR(ARRT(it), 1, ARR(it, 1, I(1))));
	EXPECT("[\"b\",\"c\"]", "SLICE", ARR(sl_type_string(), 4, S("a"), S("b"), S("c"), S("d")),
	       I(2), I(3));
	EXPECT("[\"a\",\"b\"]", "SLICE", ARR(sl_type_string(), 2, S("a"), S("b")), NUL(it),
	       NUL(it));
	EXPECT("null", "SLICE", ARR(sl_type_string(), 2, S("a"), S("b")), I(0), I(1));
	EXPECT("null", "SLICE", ARR(sl_type_string(), 2, S("a"), S("b")), I(1), I(3));
	EXPECT("[0,1,2,3]", "GENERATE_SERIES", I(0), I(3));
	EXPECT("[4,3,2,1,0]", "GENERATE_SERIES", I(4), I(0));
	EXPECT("[1,3,5]", "GENERATE_SERIES", I(1), I(6), I(2));
	EXPECT("[5,3,1]", "GENERATE_SERIES", L(5), L(1), I(-2));
	ck_assert_str_eq(ret_type(), "ARRAY<BIGINT>");
	EXPECT("ERROR", "GENERATE_SERIES", I(1), I(6), I(0));
	EXPECT("ERROR", "GENERATE_SERIES", I(1), I(6), I(-1));
}
END_TEST

START_TEST(test_collections_maps)
{
	const sl_type_t *it = sl_type_int();
	arg_t m = MAP(it, 3, "foo", I(10), "bar", I(20), "baz", I(30));
	EXPECT("[\"foo\",\"bar\",\"baz\"]", "MAP_KEYS", m);
	EXPECT("[10,20,30]", "MAP_VALUES", m);
	EXPECT("null", "MAP_KEYS", NUL(MAPT(it)));
	EXPECT("{foo:99,bar:20,baz:30,apple:-1}", "MAP_UNION", m,
	       MAP(it, 2, "foo", I(99), "apple", I(-1)));
	EXPECT("{foo:null}", "MAP_UNION", NUL(MAPT(it)), MAP(it, 1, "foo", NUL(it)));
	EXPECT("null", "MAP_UNION", NUL(MAPT(it)), NUL(MAPT(it)));
	EXPECT("{a:1,b:2}", "AS_MAP", ARR(sl_type_string(), 2, S("a"), S("b")),
	       ARR(it, 3, I(1), I(2), I(3)));
	EXPECT("{a:1,b:2,c:null}", "AS_MAP", ARR(sl_type_string(), 3, S("a"), S("b"), S("c")),
	       ARR(it, 2, I(1), I(2)));
	EXPECT("[{K=\"bar\",V=20},{K=\"baz\",V=30},{K=\"foo\",V=10}]", "ENTRIES", m, B(true));
	ck_assert_str_eq(ret_type(), "ARRAY<STRUCT<`K` STRING, `V` INTEGER>>");
	EXPECT("[{K=\"foo\",V=10},{K=\"bar\",V=20},{K=\"baz\",V=30}]", "ENTRIES", m, B(false));
	EXPECT("null", "ENTRIES", NUL(MAPT(it)), B(true));
}
END_TEST

START_TEST(test_table_functions)
{
	const sl_type_t *it = sl_type_int();
	EXPECT("[1,2]", "EXPLODE", ARR(it, 2, I(1), I(2)));
	ck_assert_str_eq(ret_type(), "INTEGER");
	EXPECT("null", "EXPLODE", NUL(ARRT(it)));
	EXPECT("[[null,null],[null,2],[1,null],[1,2]]", "CUBE_EXPLODE", ARR(it, 2, I(1), I(2)));
	EXPECT("[[null,null],[1,null]]", "CUBE_EXPLODE", ARR(it, 2, I(1), NUL(it)));
	EXPECT("[[null,null,null],[null,null,\"c\"],[null,\"b\",null],[null,\"b\",\"c\"],"
	       "[\"a\",null,null],[\"a\",null,\"c\"],[\"a\",\"b\",null],[\"a\",\"b\",\"c\"]]",
	       "CUBE_EXPLODE", ARR(sl_type_string(), 3, S("a"), S("b"), S("c")));
	EXPECT("null", "AS_VALUE", NUL(it));
	EXPECT("3", "AS_VALUE", I(3));
}
END_TEST

/* ---- lambdas ----------------------------------------------------------- */

START_TEST(test_lambda)
{
	SQL("[8,11]", "TRANSFORM(ARRAY[3, 6], x => x + 5)");
	SQL("[\"HELLO\",null,\"NULL\"]", "TRANSFORM(ARRAY['hello', NULL, 'null'], x => UCASE(x))");
	SQL("[6,10]", "FILTER(ARRAY[3, 6, 2, 10], x => x > 5)");
	SQL("[]", "FILTER(ARRAY[5, NULL], x => x > 5)");
	SQL("{abcd:15}",
	    "FILTER(MAP('ab' := 6, 'abcd' := 15), (x, y) => LEN(x) * 5 > 15 AND y % 5 = 0)");
	SQL("{}", "FILTER(MAP('a' := 15, 'abc' := 7), (x, y) => LEN(x) * 5 > 15 AND y % 5 = 0)");
	SQL("11", "REDUCE(ARRAY[3, 6], 2, (s, x) => s + x)");
	SQL("2", "REDUCE(CAST(NULL AS ARRAY<INT>), 2, (s, x) => s + x)");
	SQL("null", "REDUCE(ARRAY[1, 2], CAST(NULL AS INT), (s, x) => s + x)");
	SQL("-8", "REDUCE(MAP('123' := 3, '12' := 7, '1234' := 2), 0, "
		  "(s, k, v) => CASE WHEN LEN(k) > 3 THEN s + v ELSE s - v END)");
	SQL("{a_test:3,b_test:-1}", "TRANSFORM(MAP('a' := ARRAY[2, 4, 5], 'b' := ARRAY[-1, -2]), "
				    "(x, y) => x + '_test', (k, v) => ARRAY_MIN(v) + 1)");
	SQL("ERROR", "TRANSFORM(MAP('5' := ARRAY[0, 1, 2], '4' := ARRAY[1, 2]), "
		     "(x, y) => CAST(ARRAY_MAX(y) AS STRING), (x, y) => y)");
	SQL("{abcd:8}",
	    "TRANSFORM(FILTER(MAP('a' := ARRAY[2, 4, 5], 'bcd' := ARRAY[-5, 7]), "
	    "(a, b) => LEN(a) > 2 AND REDUCE(b, 0, (c, d) => c + d) < 20), "
	    "(X, Y) => LPAD(x, REDUCE(Y, 2, (s, k) => ABS(ABS(k) - s)), 'a'), "
	    "(X, Y) => REDUCE(ARRAY_UNION(Y, TRANSFORM(Y, z => z * 3)), 0, (e, f) => e + f))");
	SQL("[\"2022-01-27\",\"2022-05-18\"]",
	    "TRANSFORM(JSON_ITEMS('[{\"timestamp\": \"2022-01-27\"}, {\"timestamp\": \"2022-05-18\"}]'), "
	    "(obj) => EXTRACTJSONFIELD(obj, '$.timestamp'))");
}
END_TEST

/* ---- suite ------------------------------------------------------------- */

static Suite *
functions_suite(void)
{
	Suite *s = suite_create("functions");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_registry_complete);
	tcase_add_test(tc, test_string_case_trim);
	tcase_add_test(tc, test_string_substring);
	tcase_add_test(tc, test_string_len_instr);
	tcase_add_test(tc, test_string_concat);
	tcase_add_test(tc, test_string_pad);
	tcase_add_test(tc, test_string_replace_split);
	tcase_add_test(tc, test_string_chr_encode);
	tcase_add_test(tc, test_string_mask_md5_uuid);
	tcase_add_test(tc, test_bytes_conversions);
	tcase_add_test(tc, test_math_round);
	tcase_add_test(tc, test_math_trunc_floor_ceil);
	tcase_add_test(tc, test_math_functions);
	tcase_add_test(tc, test_math_geo_distance);
	tcase_add_test(tc, test_math_greatest_least);
	tcase_add_test(tc, test_nulls);
	tcase_add_test(tc, test_regexp);
	tcase_add_test(tc, test_url);
	tcase_add_test(tc, test_datetime_format);
	tcase_add_test(tc, test_datetime_parse);
	tcase_add_test(tc, test_datetime_misc);
	tcase_add_test(tc, test_json_extract);
	tcase_add_test(tc, test_json_functions);
	tcase_add_test(tc, test_json_to_json_string);
	tcase_add_test(tc, test_collections_arrays);
	tcase_add_test(tc, test_collections_maps);
	tcase_add_test(tc, test_table_functions);
	tcase_add_test(tc, test_lambda);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(functions_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
