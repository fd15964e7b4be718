/*
 * check_aggregate.c: unit tests of the aggregate functions
 * (src/expr/fn_aggregate.c).
 *
 * Layer: expr.  Each test binds an aggregate with sl_func_bind() for
 * given argument types, constant arguments given as values as the
 * analyzer gives them, then drives its sl_agg_ops_t as the executor does:
 * one accumulator per group, add or undo per row with call->seq growing,
 * merge for session windows.  After every step the accumulator is deep-
 * copied into a fresh arena and the others are freed, so that a result
 * still pointing into freed memory shows under the sanitizers; with
 * roundtrip set it also goes through JSON first (sl_serde_json_value, then
 * a JSON serde for the state type), as when the executor stores it.
 * Results render as in check_functions.c: strings in double quotes, ARRAY
 * as [a,b], MAP as {k:v}, STRUCT as {F=v}, NULL as null, DOUBLE as Java
 * prints it.  Expected values come from ksqlDB's query-validation tests;
 * COUNT_DISTINCT's estimates, the STDDEV undo and merge values and the
 * DECIMAL overflow texts were computed on the JVM with ksqlDB's (and
 * stream-lib's) algorithms.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/decimal.h"
#include "expr/expr.h"
#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"
#include "format/serde.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"

/* ---- harness ----------------------------------------------------------- */

static sl_arena_t arena; /* types, bindings, argument values */
static sl_func_registry_t *reg;
static uint64_t next_seq; /* call->seq of the next row, across groups */
static char bind_err[SL_ERROR_MSG_MAX];

static void
setup(void)
{
	sl_arena_init(&arena, 0);
	reg = sl_func_registry_create();
	sl_func_register_all(reg);
	next_seq = 0;
	bind_err[0] = '\0';
}

static void
teardown(void)
{
	sl_func_registry_destroy(reg);
	sl_arena_destroy(&arena);
}

/* Values.  Payloads live in the test arena (never freed by a step). */

static sl_value_t
vI(int32_t i)
{
	return sl_value_int(i);
}

static sl_value_t
vL(int64_t l)
{
	return sl_value_bigint(l);
}

static sl_value_t
vD(double d)
{
	return sl_value_double(d);
}

static sl_value_t
vB(bool b)
{
	return sl_value_bool(b);
}

static sl_value_t
vN(void)
{
	return sl_value_null();
}

static sl_value_t
vS(const char *s)
{
	return sl_value_string_copy(&arena, s, (int32_t)strlen(s));
}

static sl_value_t
vBY(const char *s, int n)
{
	sl_value_t v = sl_value_string_copy(&arena, s, n);
	v.kind = SL_T_BYTES;
	return v;
}

/* DECIMAL(p, s) from text. */
static sl_value_t
vDEC(const char *text, int p, int s)
{
	__int128 u;
	int prec, scale;
	ck_assert_int_eq(sl_dec_parse(text, strlen(text), &u, &prec, &scale), SL_OK);
	ck_assert_int_eq(sl_dec_rescale(u, scale, s, &u), SL_OK);
	return sl_value_decimal(u, p, s);
}

/* ARRAY of n values. */
static sl_value_t
vARR(int n, ...)
{
	va_list ap;
	sl_value_t v = sl_value_list(&arena, SL_T_ARRAY, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v.u.list->items[i] = va_arg(ap, sl_value_t);
	va_end(ap);
	return v;
}

/* MAP of n entries given as (const char *key, sl_value_t value). */
static sl_value_t
vMAP(int n, ...)
{
	va_list ap;
	sl_value_t v = sl_value_list(&arena, SL_T_MAP, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		v.u.list->items[2 * i] = vS(va_arg(ap, const char *));
		v.u.list->items[2 * i + 1] = va_arg(ap, sl_value_t);
	}
	va_end(ap);
	return v;
}

/* STRUCT of n field values. */
static sl_value_t
vROW(int n, ...)
{
	va_list ap;
	sl_value_t v = sl_value_list(&arena, SL_T_STRUCT, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v.u.list->items[i] = va_arg(ap, sl_value_t);
	va_end(ap);
	return v;
}

/* Types. */

static const sl_type_t *
tDEC(int p, int s)
{
	return sl_type_decimal(&arena, p, s);
}

static const sl_type_t *
tARR(const sl_type_t *t)
{
	return sl_type_array(&arena, t);
}

static const sl_type_t *
tMAP(const sl_type_t *t)
{
	return sl_type_map(&arena, sl_type_string(), t);
}

/* STRUCT<n fields given as (const char *name, const sl_type_t *type)>. */
static const sl_type_t *
tROW(int n, ...)
{
	va_list ap;
	sl_field_t f[8];
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		f[i].name = va_arg(ap, const char *);
		f[i].type = va_arg(ap, const sl_type_t *);
	}
	va_end(ap);
	return sl_type_struct(&arena, f, n);
}

static const char *
tstr(const sl_type_t *t)
{
	static char buf[512];
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	if (t != NULL)
		sl_type_format(&sb, t);
	snprintf(buf, sizeof(buf), "%s", sb.data);
	sl_strbuf_free(&sb);
	return buf;
}

/* An argument of a call: a column of type t, or a constant. */
typedef struct arg {
	const sl_type_t *t;
	sl_value_t v;
	bool konst;
} arg_t;

static arg_t
COL(const sl_type_t *t)
{
	return (arg_t){ t, sl_value_null(), false };
}

static arg_t
KI(int32_t i)
{
	return (arg_t){ sl_type_int(), sl_value_int(i), true };
}

static arg_t
KB(bool b)
{
	return (arg_t){ sl_type_boolean(), sl_value_bool(b), true };
}

/* The NULL literal as a constant argument. */
static arg_t
KNULL(void)
{
	return (arg_t){ sl_type_null(), sl_value_null(), true };
}

/* One group's accumulator for a bound aggregate. */
typedef struct agg {
	const sl_func_t *f;
	sl_func_binding_t b;
	int argc;
	sl_value_t konst[8]; /* constant arguments, appended to each row */
	sl_value_t acc;
	sl_arena_t batch;    /* call->arena; freed after every step */
	sl_arena_t state[2]; /* where the accumulator is kept, alternately */
	int cur;
	bool roundtrip; /* through JSON after every step */
	sl_serde_t *serde;
	size_t last_alloc; /* bytes the last step took from call->arena */
	sl_error_t err;
	sl_eval_ctx_t ctx;
} agg_t;

static void
json_of(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t)
{
	sl_strbuf_reset(sb);
	sl_serde_json_value(sb, v, t);
}

/* Encodes the accumulator as JSON and decodes it back (into the batch
 * arena); the decoded value must encode to the same text. */
static void
roundtrip(agg_t *g)
{
	sl_strbuf_t a, b;
	sl_value_t out;
	sl_error_t err;
	int rc;

	if (g->serde == NULL) {
		sl_field_t col = { "STATE", g->b.state_type };
		sl_serde_opts_t opts = { .wrap = SL_SERDE_WRAP_FALSE };
		sl_error_clear(&err);
		rc = sl_serde_create(SL_FORMAT_JSON, &col, 1, &opts, &g->serde, &err);
		ck_assert_msg(rc == SL_OK, "serde for %s: %s", tstr(g->b.state_type), err.msg);
	}
	sl_strbuf_init(&a);
	sl_strbuf_init(&b);
	json_of(&a, &g->acc, g->b.state_type);
	sl_error_clear(&err);
	rc = sl_serde_decode(g->serde, a.data, a.len, &g->batch, &out, &err);
	ck_assert_msg(rc == SL_OK || rc == SL_SERDE_NULL, "decoding %s as %s: %s", a.data,
		      tstr(g->b.state_type), err.msg);
	g->acc = sl_value_copy(&g->batch, &out);
	json_of(&b, &g->acc, g->b.state_type);
	ck_assert_str_eq(b.data, a.data);
	sl_strbuf_free(&a);
	sl_strbuf_free(&b);
}

/* What the executor does after each call: keep a deep copy, free the
 * rest (destroyed, not reset, so that stale pointers are caught). */
static void
settle(agg_t *g)
{
	sl_arena_t *next = &g->state[g->cur ^ 1];

	if (g->roundtrip)
		roundtrip(g);
	g->acc = sl_value_copy(next, &g->acc);
	sl_arena_destroy(&g->batch);
	sl_arena_init(&g->batch, 0);
	sl_arena_destroy(&g->state[g->cur]);
	sl_arena_init(&g->state[g->cur], 0);
	g->cur ^= 1;
}

static sl_fcall_t
mkcall(agg_t *g)
{
	sl_fcall_t c = { .arena = &g->batch,
			 .argc = g->argc,
			 .argt = g->b.argt,
			 .ret = g->b.ret,
			 .state = g->b.state,
			 .func = g->f,
			 .ctx = &g->ctx,
			 .site = NULL,
			 .seq = 0 };
	return c;
}

static const sl_agg_ops_t *
ops_of(const agg_t *g)
{
	return g->b.variant->agg;
}

/* Binds name to args and initializes the accumulator; returns SL_OK or
 * the binding error (its message in bind_err). */
static int
agg_open(agg_t *g, const char *name, int argc, const arg_t *args, bool rt)
{
	const sl_type_t **argt = sl_arena_alloc(&arena, sizeof(*argt) * (size_t)(argc + 1));
	const sl_value_t **constv = sl_arena_alloc(&arena, sizeof(*constv) * (size_t)(argc + 1));
	sl_value_t *kv = sl_arena_alloc(&arena, sizeof(*kv) * (size_t)(argc + 1));
	sl_error_t err;
	sl_fcall_t c;
	int rc;

	memset(g, 0, sizeof(*g));
	g->f = sl_func_lookup(reg, name);
	ck_assert_msg(g->f != NULL, "function %s not registered", name);
	for (int i = 0; i < argc; i++) {
		argt[i] = args[i].t;
		kv[i] = args[i].v;
		constv[i] = args[i].konst ? &kv[i] : NULL;
		g->konst[i] = args[i].v;
	}
	sl_error_clear(&err);
	bind_err[0] = '\0';
	rc = sl_func_bind(g->f, argc, argt, constv, &arena, 0, &g->b, &err);
	if (rc != SL_OK) {
		snprintf(bind_err, sizeof(bind_err), "%s", err.msg);
		return rc;
	}
	g->argc = argc;
	g->roundtrip = rt;
	sl_arena_init(&g->batch, 0);
	sl_arena_init(&g->state[0], 0);
	sl_arena_init(&g->state[1], 0);
	sl_error_clear(&g->err);
	g->ctx.err = &g->err;
	g->ctx.arena = &g->batch;
	c = mkcall(g);
	ck_assert_int_eq(ops_of(g)->init(&c, &g->acc), SL_OK);
	settle(g);
	return SL_OK;
}

static void
agg_close(agg_t *g)
{
	sl_arena_destroy(&g->batch);
	sl_arena_destroy(&g->state[0]);
	sl_arena_destroy(&g->state[1]);
	if (g->serde != NULL)
		sl_serde_destroy(g->serde);
	if (g->b.destroy != NULL)
		g->b.destroy(g->b.state);
}

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
	case SL_T_BYTES:
		append(buf, size, "0x");
		for (int32_t i = 0; i < v->u.s.len; i++) {
			snprintf(tmp, sizeof(tmp), "%02X", (unsigned char)v->u.s.ptr[i]);
			append(buf, size, tmp);
		}
		break;
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
			const sl_value_t *k = &v->u.list->items[2 * i];
			if (i)
				append(buf, size, ",");
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

/* The group's current result, rendered. */
static const char *
result(agg_t *g)
{
	static char buf[8192];
	sl_fcall_t c = mkcall(g);
	sl_value_t out = g->acc;

	buf[0] = '\0';
	if (ops_of(g)->result != NULL)
		ck_assert_int_eq(ops_of(g)->result(&c, &g->acc, &out), SL_OK);
	render(buf, sizeof(buf), &out, g->b.ret);
	return buf;
}

/* The accumulator, rendered. */
static const char *
state(agg_t *g)
{
	static char buf[8192];
	buf[0] = '\0';
	render(buf, sizeof(buf), &g->acc, g->b.state_type);
	return buf;
}

/* The accumulator as JSON. */
static const char *
state_json(agg_t *g)
{
	static char buf[8192];
	sl_strbuf_t sb;
	sl_strbuf_init(&sb);
	json_of(&sb, &g->acc, g->b.state_type);
	snprintf(buf, sizeof(buf), "%s", sb.data);
	sl_strbuf_free(&sb);
	return buf;
}

/* One row: vals[0..n), then the constant arguments.  Returns the result
 * rendered, or "ERROR: message" (the accumulator then stays as it was). */
static const char *
agg_step(agg_t *g, int n, const sl_value_t *vals, bool undo)
{
	static char buf[SL_ERROR_MSG_MAX + 16];
	sl_value_t argv[8];
	sl_fcall_t c = mkcall(g);
	sl_value_t before = g->acc;
	size_t used = g->batch.total;
	int rc;

	for (int i = 0; i < g->argc; i++)
		argv[i] = i < n ? vals[i] : g->konst[i];
	c.seq = (int64_t)next_seq++;
	sl_error_clear(&g->err);
	if (undo) {
		ck_assert_msg(ops_of(g)->undo != NULL, "%s has no undo", g->f->name);
		rc = ops_of(g)->undo(&c, g->argc, argv, &g->acc);
	} else {
		rc = ops_of(g)->add(&c, g->argc, argv, &g->acc);
	}
	g->last_alloc = g->batch.total - used;
	if (rc != SL_OK) {
		g->acc = before;
		snprintf(buf, sizeof(buf), "ERROR: %s", g->err.msg);
		return buf;
	}
	ck_assert_int_eq(g->err.code, SL_OK);
	settle(g);
	return result(g);
}

/* Merges other's accumulator into g's (a session window absorbing
 * another); returns the result rendered. */
static const char *
agg_merge(agg_t *g, agg_t *other)
{
	sl_fcall_t c = mkcall(g);

	ck_assert_int_eq(ops_of(g)->merge(&c, &other->acc, &g->acc), SL_OK);
	settle(g);
	return result(g);
}

#define NA(...) (int)(sizeof((arg_t[]){ __VA_ARGS__ }) / sizeof(arg_t))
#define NV(...) (int)(sizeof((sl_value_t[]){ __VA_ARGS__ }) / sizeof(sl_value_t))
/* Binds and initializes g, without (OPEN) or with (OPEN_RT) a JSON round
 * trip after each step. */
#define OPEN(g, name, ...)                                                                       \
	ck_assert_msg(agg_open((g), (name), NA(__VA_ARGS__), (arg_t[]){ __VA_ARGS__ }, false) == \
			      SL_OK,                                                             \
		      "bind: %s", bind_err)
#define OPEN_RT(g, name, ...)                                                                   \
	ck_assert_msg(agg_open((g), (name), NA(__VA_ARGS__), (arg_t[]){ __VA_ARGS__ }, true) == \
			      SL_OK,                                                            \
		      "bind: %s", bind_err)
#define ADD(g, ...) agg_step((g), NV(__VA_ARGS__), (sl_value_t[]){ __VA_ARGS__ }, false)
#define UNDO(g, ...) agg_step((g), NV(__VA_ARGS__), (sl_value_t[]){ __VA_ARGS__ }, true)
#define ADD0(g) agg_step((g), 0, NULL, false)
#define UNDO0(g) agg_step((g), 0, NULL, true)
#define EXPECT(expected, call) ck_assert_str_eq((call), (expected))

/* The message of binding name to args, or "OK". */
static const char *
bind_msg(const char *name, int argc, const arg_t *args)
{
	agg_t g;
	if (agg_open(&g, name, argc, args, false) != SL_OK)
		return bind_err;
	agg_close(&g);
	return "OK";
}

#define BIND_MSG(name, ...) bind_msg((name), NA(__VA_ARGS__), (arg_t[]){ __VA_ARGS__ })

/* ---- registry ---------------------------------------------------------- */

START_TEST(test_registry)
{
	static const struct {
		const char *name;
		bool undo;
	} fns[] = {
		{ "ATTR", true },
		{ "AVG", true },
		{ "COLLECT_LIST", true },
		{ "COLLECT_SET", false },
		{ "CORRELATION", true },
		{ "COUNT", true },
		{ "COUNT_DISTINCT", false },
		{ "EARLIEST_BY_OFFSET", false },
		{ "HISTOGRAM", true },
		{ "LATEST_BY_OFFSET", false },
		{ "MAX", false },
		{ "MIN", false },
		{ "STDDEV_SAMP", true },
		{ "STDDEV_SAMPLE", true },
		{ "SUM", true },
		{ "TOPK", false },
		{ "TOPKDISTINCT", false },
	};
	int naggs = 0;

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		const sl_func_t *f = sl_func_lookup(reg, fns[i].name);
		ck_assert_msg(f != NULL, "%s missing", fns[i].name);
		ck_assert_int_eq(f->kind, SL_FUNC_AGGREGATE);
		ck_assert_str_eq(f->category, "AGGREGATE");
		ck_assert_msg(strlen(f->description) > 10, "%s: no description", f->name);
		ck_assert_int_gt(f->nvariants, 0);
		for (int v = 0; v < f->nvariants; v++) {
			const sl_agg_ops_t *ops = f->variants[v]->agg;
			ck_assert_msg(ops != NULL && f->variants[v]->fn == NULL, "%s", f->name);
			ck_assert_msg(ops->init && ops->add && ops->merge, "%s", f->name);
			ck_assert_msg((ops->undo != NULL) == fns[i].undo, "%s: undo", f->name);
		}
	}
	/* no other aggregate, and every aggregate is one of these */
	for (int i = 0; i < sl_func_count(reg); i++)
		if (sl_func_at(reg, i)->kind == SL_FUNC_AGGREGATE)
			naggs++;
	ck_assert_int_eq(naggs, (int)(sizeof(fns) / sizeof(fns[0])));
	ck_assert_str_eq(sl_func_kind_name(sl_func_lookup(reg, "TOPK")->kind), "AGGREGATE");
}
END_TEST

/* Return and state types, as DESCRIBE and the executor see them. */
START_TEST(test_types)
{
	agg_t g;

#define TYPES(ret_, state_, name, ...)                          \
	do {                                                    \
		OPEN(&g, name, __VA_ARGS__);                    \
		ck_assert_str_eq(tstr(g.b.ret), ret_);          \
		ck_assert_str_eq(tstr(g.b.state_type), state_); \
		agg_close(&g);                                  \
	} while (0)

	ck_assert_int_eq(agg_open(&g, "COUNT", 0, NULL, false), SL_OK);
	ck_assert_str_eq(tstr(g.b.ret), "BIGINT");
	ck_assert_str_eq(tstr(g.b.state_type), "BIGINT");
	agg_close(&g);
	TYPES("BIGINT", "BIGINT", "COUNT", COL(tMAP(sl_type_int())));
	TYPES("INTEGER", "INTEGER", "SUM", COL(sl_type_int()));
	TYPES("BIGINT", "BIGINT", "SUM", COL(sl_type_bigint()));
	TYPES("DOUBLE", "DOUBLE", "SUM", COL(sl_type_double()));
	TYPES("DECIMAL(4, 1)", "DECIMAL(4, 1)", "SUM", COL(tDEC(4, 1)));
	TYPES("DOUBLE", "STRUCT<`SUM` INTEGER, `COUNT` BIGINT>", "AVG", COL(sl_type_int()));
	TYPES("DOUBLE", "STRUCT<`SUM` BIGINT, `COUNT` BIGINT>", "AVG", COL(sl_type_bigint()));
	/* DECIMAL widens to the DOUBLE variant, as in ksqlDB */
	TYPES("DOUBLE", "STRUCT<`SUM` DOUBLE, `COUNT` BIGINT>", "AVG", COL(tDEC(4, 1)));
	ck_assert_str_eq(tstr(g.b.argt[0]), "DOUBLE");
	TYPES("DATE", "DATE", "MIN", COL(sl_type_date()));
	TYPES("DECIMAL(4, 2)", "DECIMAL(4, 2)", "MAX", COL(tDEC(4, 2)));
	TYPES("BYTES", "BYTES", "MAX", COL(sl_type_bytes()));
	TYPES("BIGINT", "ARRAY<INTEGER>", "COUNT_DISTINCT", COL(sl_type_string()));
	TYPES("ARRAY<MAP<STRING, INTEGER>>", "ARRAY<MAP<STRING, INTEGER>>", "COLLECT_LIST",
	      COL(tMAP(sl_type_int())));
	TYPES("ARRAY<STRING>", "ARRAY<STRING>", "COLLECT_SET", COL(sl_type_string()));
	TYPES("INTEGER", "STRUCT<`SEQ` BIGINT, `VAL` INTEGER>", "EARLIEST_BY_OFFSET",
	      COL(sl_type_int()));
	TYPES("INTEGER", "STRUCT<`SEQ` BIGINT, `VAL` INTEGER>", "LATEST_BY_OFFSET",
	      COL(sl_type_int()), KB(false));
	TYPES("ARRAY<INTEGER>", "ARRAY<STRUCT<`SEQ` BIGINT, `VAL` INTEGER>>", "EARLIEST_BY_OFFSET",
	      COL(sl_type_int()), KI(2));
	TYPES("ARRAY<STRING>", "ARRAY<STRUCT<`SEQ` BIGINT, `VAL` STRING>>", "LATEST_BY_OFFSET",
	      COL(sl_type_string()), KI(2), KB(true));
	TYPES("ARRAY<INTEGER>", "ARRAY<INTEGER>", "TOPK", COL(sl_type_int()), KI(3));
	TYPES("ARRAY<DOUBLE>", "ARRAY<DOUBLE>", "TOPK", COL(tDEC(4, 1)), KI(3));
	TYPES("ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>",
	      "ARRAY<STRUCT<`sort_col` INTEGER, `col0` STRING>>", "TOPK", COL(sl_type_int()),
	      COL(sl_type_string()), KI(3));
	TYPES("ARRAY<STRUCT<`sort_col` STRING, `col0` BIGINT, `col1` BOOLEAN>>",
	      "ARRAY<STRUCT<`sort_col` STRING, `col0` BIGINT, `col1` BOOLEAN>>", "TOPK",
	      COL(sl_type_string()), COL(sl_type_bigint()), COL(sl_type_boolean()), KI(3));
	TYPES("ARRAY<DECIMAL(2, 1)>", "ARRAY<DECIMAL(2, 1)>", "TOPKDISTINCT", COL(tDEC(2, 1)),
	      KI(3));
	TYPES("ARRAY<TIME>", "ARRAY<TIME>", "TOPKDISTINCT", COL(sl_type_time()), KI(3));
	TYPES("MAP<STRING, BIGINT>", "MAP<STRING, BIGINT>", "HISTOGRAM", COL(sl_type_string()));
	TYPES("DOUBLE", "STRUCT<`SUM` INTEGER, `COUNT` INTEGER, `M2` DOUBLE>", "STDDEV_SAMP",
	      COL(sl_type_int()));
	TYPES("DOUBLE", "STRUCT<`SUM` BIGINT, `COUNT` BIGINT, `M2` DOUBLE>", "STDDEV_SAMPLE",
	      COL(sl_type_bigint()));
	TYPES("DOUBLE",
	      "STRUCT<`X_SUM` DOUBLE, `Y_SUM` DOUBLE, `X_SQUARED_SUM` DOUBLE, `Y_SQUARED_SUM` "
	      "DOUBLE, `XY_SUM` DOUBLE, `COUNT` BIGINT>",
	      "CORRELATION", COL(sl_type_int()), COL(sl_type_int()));
	ck_assert_str_eq(tstr(g.b.argt[0]), "DOUBLE");
	ck_assert_str_eq(tstr(g.b.argt[1]), "DOUBLE");
	TYPES("STRING", "ARRAY<STRUCT<`VALUE` STRING, `COUNT` INTEGER>>", "ATTR",
	      COL(sl_type_string()));
	TYPES("STRUCT<`A` STRING>", "ARRAY<STRUCT<`VALUE` STRUCT<`A` STRING>, `COUNT` INTEGER>>",
	      "ATTR", COL(tROW(1, "A", sl_type_string())));
#undef TYPES
}
END_TEST

START_TEST(test_bind_errors)
{
	const sl_type_t *i = sl_type_int(), *s = sl_type_string();

	ck_assert_str_eq(BIND_MSG("SUM", COL(s)),
			 "function \"SUM\" does not accept parameters (STRING)");
	ck_assert_str_eq(BIND_MSG("AVG", COL(sl_type_boolean())),
			 "function \"AVG\" does not accept parameters (BOOLEAN)");
	ck_assert_str_eq(BIND_MSG("MAX", COL(sl_type_boolean())),
			 "function \"MAX\" does not accept parameters (BOOLEAN)");
	ck_assert_str_eq(BIND_MSG("MIN", COL(tARR(i))),
			 "function \"MIN\" does not accept parameters (ARRAY<INTEGER>)");
	ck_assert_str_eq(BIND_MSG("HISTOGRAM", COL(i)),
			 "function \"HISTOGRAM\" does not accept parameters (INTEGER)");
	ck_assert_str_eq(BIND_MSG("STDDEV_SAMPLE", COL(s)),
			 "function \"STDDEV_SAMPLE\" does not accept parameters (STRING)");
	ck_assert_str_eq(BIND_MSG("CORRELATION", COL(s), COL(sl_type_double())),
			 "function \"CORRELATION\" does not accept parameters (STRING, DOUBLE)");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(sl_type_boolean()), KI(3)),
			 "function \"TOPK\" does not accept parameters (BOOLEAN, INTEGER)");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(sl_type_date()), COL(s), KI(3)),
			 "function \"TOPK\" does not accept parameters (DATE, STRING, INTEGER)");
	ck_assert_str_eq(BIND_MSG("TOPKDISTINCT", COL(sl_type_boolean()), KI(3)),
			 "function \"TOPKDISTINCT\" does not accept parameters (BOOLEAN, INTEGER)");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i)),
			 "function \"TOPK\" does not accept parameters (INTEGER)");
	ck_assert_str_eq(BIND_MSG("COUNT", COL(i), COL(i)),
			 "function \"COUNT\" does not accept parameters (INTEGER, INTEGER)");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(2), KB(true), KI(1)),
			 "function \"EARLIEST_BY_OFFSET\" does not accept parameters "
			 "(INTEGER, INTEGER, BOOLEAN, INTEGER)");
	ck_assert_msg(strncmp(BIND_MSG("COLLECT_LIST", KNULL()),
			      "function \"COLLECT_LIST\" does not accept parameters (", 50) == 0,
		      "%s", bind_err);

	/* constant parameters: literals, in range */
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i), COL(i)),
			 "Parameter 2 passed to function TOPK must be a literal constant");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i), KI(0)), "k must be 1 or greater, got 0");
	ck_assert_str_eq(BIND_MSG("TOPK", COL(i), COL(s), KI(-2)),
			 "k must be 1 or greater, got -2");
	ck_assert_str_eq(BIND_MSG("TOPKDISTINCT", COL(i), KNULL()),
			 "Parameter 2 passed to function TOPKDISTINCT must not be null");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), COL(i)),
			 "Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal "
			 "constant");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(2), COL(sl_type_boolean())),
			 "Parameter 3 passed to function EARLIEST_BY_OFFSET must be a literal "
			 "constant");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(0)),
			 "earliestN must be 1 or greater");
	ck_assert_str_eq(BIND_MSG("LATEST_BY_OFFSET", COL(i), KI(-1), KB(true)),
			 "latestN must be 1 or greater");
	ck_assert_str_eq(BIND_MSG("LATEST_BY_OFFSET", COL(i), KNULL()),
			 "Parameter 2 passed to function LATEST_BY_OFFSET must not be null");
	ck_assert_str_eq(BIND_MSG("EARLIEST_BY_OFFSET", COL(i), KI(2), KB(true)), "OK");
	ck_assert_str_eq(BIND_MSG("COUNT_DISTINCT", COL(tROW(1, "A", i))), "OK");
}
END_TEST

/* ---- COUNT ------------------------------------------------------------- */

START_TEST(test_count)
{
	agg_t g, h;

	/* COUNT(*) / COUNT(): rows */
	ck_assert_int_eq(agg_open(&g, "COUNT", 0, NULL, false), SL_OK);
	EXPECT("0", result(&g));
	EXPECT("1", ADD0(&g));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("2", ADD0(&g));
	EXPECT("1", UNDO0(&g));
	agg_close(&g);

	/* COUNT(x): rows where x is not NULL */
	OPEN(&g, "COUNT", COL(sl_type_string()));
	EXPECT("1", ADD(&g, vS("a")));
	EXPECT("1", ADD(&g, vN()));
	EXPECT("2", ADD(&g, vS("b")));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("2", UNDO(&g, vN()));
	EXPECT("1", UNDO(&g, vS("a")));
	OPEN(&h, "COUNT", COL(sl_type_string()));
	ADD(&h, vS("x"));
	ADD(&h, vS("y"));
	EXPECT("3", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);

	/* count.json "count table": COUNT(1) grouped by name, rows moving */
	agg_t bob, john;
	OPEN(&bob, "COUNT", (arg_t){ sl_type_int(), vI(1), true });
	OPEN(&john, "COUNT", (arg_t){ sl_type_int(), vI(1), true });
	EXPECT("1", ADD0(&bob));
	EXPECT("0", UNDO0(&bob));
	EXPECT("1", ADD0(&john));
	EXPECT("2", ADD0(&john));
	EXPECT("1", UNDO0(&john));
	agg_close(&bob);
	agg_close(&john);

	/* COUNT over any type, NULL of that type skipped */
	OPEN_RT(&g, "COUNT", COL(tROW(1, "A", sl_type_int())));
	EXPECT("1", ADD(&g, vROW(1, vN())));
	EXPECT("1", ADD(&g, vN()));
	ck_assert_str_eq(state_json(&g), "1");
	agg_close(&g);
}
END_TEST

/* ---- SUM --------------------------------------------------------------- */

START_TEST(test_sum)
{
	agg_t g, h;

	/* sum.json "sum int" */
	OPEN(&g, "SUM", COL(sl_type_int()));
	EXPECT("0", result(&g));
	EXPECT("0", ADD(&g, vI(0)));
	EXPECT("100", ADD(&g, vI(100)));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("100", ADD(&g, vN()));
	/* Integer arithmetic wraps */
	EXPECT("2147483647", ADD(&g, vI(2147483547)));
	EXPECT("-2147483648", ADD(&g, vI(1)));
	EXPECT("2147483647", UNDO(&g, vI(1)));
	agg_close(&g);

	OPEN(&g, "SUM", COL(sl_type_bigint()));
	EXPECT("9223372036854775807", ADD(&g, vL(INT64_MAX)));
	EXPECT("-9223372036854775808", ADD(&g, vL(1)));
	agg_close(&g);

	/* "sum double" */
	OPEN(&g, "SUM", COL(sl_type_double()));
	EXPECT("5.4", ADD(&g, vD(5.4)));
	EXPECT("105.5", ADD(&g, vD(100.1)));
	agg_close(&g);
	OPEN(&g, "SUM", COL(sl_type_double()));
	EXPECT("500.9", ADD(&g, vD(500.9)));
	EXPECT("801.7", ADD(&g, vD(300.8)));
	agg_close(&g);

	/* "sum decimal": DECIMAL(4,1) keeps its precision and scale */
	OPEN_RT(&g, "SUM", COL(tDEC(4, 1)));
	EXPECT("0.0", result(&g));
	EXPECT("5.4", ADD(&g, vDEC("5.4", 4, 1)));
	EXPECT("105.5", ADD(&g, vDEC("100.1", 4, 1)));
	ck_assert_uint_eq(g.last_alloc, 0);
	EXPECT("105.5", ADD(&g, vN()));
	EXPECT("5.4", UNDO(&g, vDEC("100.1", 4, 1)));
	agg_close(&g);
	/* "sum decimal should not overflow with cast to higher precision" */
	OPEN(&g, "SUM", COL(tDEC(6, 2)));
	EXPECT("500.90", ADD(&g, vDEC("500.9", 6, 2)));
	EXPECT("801.70", ADD(&g, vDEC("300.8", 6, 2)));
	EXPECT("1202.50", ADD(&g, vDEC("400.8", 6, 2)));
	agg_close(&g);
	/* "sum decimal should overflow with cast to lower precision": the
	 * sum keeps its last good value */
	OPEN(&g, "SUM", COL(tDEC(3, 1)));
	EXPECT("50.9", ADD(&g, vDEC("50.9", 3, 1)));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 3 and "
	       "scale 1 must round to an absolute value less than 10^2. Got 102",
	       ADD(&g, vDEC("50.8", 3, 1)));
	EXPECT("50.9", result(&g));
	EXPECT("-49.0", ADD(&g, vDEC("-99.9", 3, 1)));
	agg_close(&g);
	OPEN(&g, "SUM", COL(tDEC(4, 1)));
	ADD(&g, vDEC("999.9", 4, 1));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 4 and "
	       "scale 1 must round to an absolute value less than 10^3. Got 1000",
	       ADD(&g, vDEC("0.2", 4, 1)));
	agg_close(&g);
	/* beyond 128 bits: 38 digits twice */
	OPEN(&g, "SUM", COL(tDEC(38, 0)));
	ADD(&g, vDEC("99999999999999999999999999999999999999", 38, 0));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 38 and "
	       "scale 0 must round to an absolute value less than 10^38. Got "
	       "200000000000000000000000000000000000000",
	       ADD(&g, vDEC("99999999999999999999999999999999999999", 38, 0)));
	agg_close(&g);
	OPEN(&g, "SUM", COL(tDEC(38, 1)));
	ADD(&g, vDEC("9999999999999999999999999999999999999.5", 38, 1));
	EXPECT("ERROR: function \"SUM\": Numeric field overflow: A field with precision 38 and "
	       "scale 1 must round to an absolute value less than 10^37. Got "
	       "10000000000000000000000000000000000000",
	       ADD(&g, vDEC("0.6", 38, 1)));
	agg_close(&g);

	/* "sum int left join of table": NULLs add nothing, undo back to 0 */
	OPEN(&g, "SUM", COL(sl_type_int()));
	EXPECT("0", ADD(&g, vN()));
	EXPECT("0", UNDO(&g, vN()));
	EXPECT("5", ADD(&g, vI(5)));
	EXPECT("0", UNDO(&g, vI(5)));
	EXPECT("20", ADD(&g, vI(20)));
	OPEN(&h, "SUM", COL(sl_type_int()));
	ADD(&h, vI(22));
	EXPECT("42", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);

	/* a constant argument: SUM(2) */
	OPEN(&g, "SUM", (arg_t){ sl_type_int(), vI(2), true });
	EXPECT("2", ADD0(&g));
	EXPECT("4", ADD0(&g));
	agg_close(&g);
}
END_TEST

/* ---- AVG --------------------------------------------------------------- */

START_TEST(test_avg)
{
	agg_t alice, bob, g, h;

	/* average-udaf.json "average int" */
	OPEN_RT(&alice, "AVG", COL(sl_type_int()));
	OPEN_RT(&bob, "AVG", COL(sl_type_int()));
	EXPECT("0.0", result(&alice));
	EXPECT("1.0", ADD(&alice, vI(1)));
	EXPECT("2.0", ADD(&bob, vI(2)));
	EXPECT("1.5", ADD(&alice, vI(2)));
	EXPECT("1.6666666666666667", ADD(&alice, vI(2)));
	EXPECT("2.0", ADD(&bob, vI(2)));
	EXPECT("1.3333333333333333", ADD(&bob, vI(0)));
	EXPECT("1.6666666666666667", ADD(&alice, vN()));
	ck_assert_str_eq(state_json(&alice), "{\"SUM\":5,\"COUNT\":3}");
	agg_close(&alice);
	agg_close(&bob);

	/* "average long": BIGINT sums wrap as Java's long */
	OPEN_RT(&g, "AVG", COL(sl_type_bigint()));
	EXPECT("-1.0", ADD(&g, vL(-1)));
	EXPECT("4.611686018427388E18", ADD(&g, vL(INT64_MAX)));
	EXPECT("3.0744573456182584E18", ADD(&g, vL(1)));
	EXPECT("3.0744573456182584E18", ADD(&g, vN()));
	agg_close(&g);

	/* "average udaf with table": alice's row updated (undo, add) */
	OPEN_RT(&g, "AVG", COL(sl_type_int()));
	EXPECT("1.0", ADD(&g, vI(1)));
	EXPECT("1.5", ADD(&g, vI(2)));
	EXPECT("2.0", UNDO(&g, vI(1)));
	EXPECT("2.0", ADD(&g, vN()));
	EXPECT("2.0", UNDO(&g, vN()));
	EXPECT("3.0", ADD(&g, vI(4)));
	EXPECT("0.0", (UNDO(&g, vI(2)), UNDO(&g, vI(4))));
	agg_close(&g);

	/* DOUBLE; merge adds sums and counts */
	OPEN(&g, "AVG", COL(sl_type_double()));
	OPEN(&h, "AVG", COL(sl_type_double()));
	ADD(&g, vD(1.5));
	ADD(&g, vD(2.5));
	ADD(&h, vD(5.0));
	EXPECT("3.0", agg_merge(&g, &h));
	ck_assert_str_eq(state(&g), "{SUM=9.0,COUNT=3}");
	agg_close(&g);
	agg_close(&h);

	/* average.json: SUM / COUNT in an expression (BIGINT, BIGINT) */
	OPEN(&g, "SUM", COL(sl_type_bigint()));
	OPEN(&h, "COUNT", COL(sl_type_bigint()));
	ADD(&g, vL(-50));
	ADD(&h, vL(0));
	ADD(&g, vL(-10));
	ADD(&h, vL(0));
	EXPECT("-60", result(&g));
	EXPECT("2", result(&h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- MIN, MAX ---------------------------------------------------------- */

START_TEST(test_min_max)
{
	agg_t mx, mn, g, h;

	/* max-group-by.json / min-group-by.json "decimal group by" */
	OPEN_RT(&mx, "MAX", COL(tDEC(4, 2)));
	OPEN_RT(&mn, "MIN", COL(tDEC(4, 2)));
	EXPECT("null", result(&mx));
	EXPECT("null", ADD(&mx, vN()));
	EXPECT("-10.12", ADD(&mx, vDEC("-10.12", 4, 2)));
	EXPECT("0.00", ADD(&mx, vDEC("0", 4, 2)));
	EXPECT("5.10", ADD(&mx, vDEC("5.1", 4, 2)));
	EXPECT("5.10", ADD(&mx, vN()));
	EXPECT("20.99", ADD(&mx, vDEC("20.99", 4, 2)));
	EXPECT("20.99", ADD(&mx, vDEC("10.11", 4, 2)));
	ck_assert_uint_eq(mx.last_alloc, 0);
	EXPECT("null", ADD(&mn, vN()));
	EXPECT("-10.12", ADD(&mn, vDEC("-10.12", 4, 2)));
	EXPECT("-10.12", ADD(&mn, vDEC("0", 4, 2)));
	agg_close(&mx);
	agg_close(&mn);

	/* integers, dates, times, timestamps */
	OPEN(&g, "MAX", COL(sl_type_int()));
	EXPECT("5", (ADD(&g, vI(5)), ADD(&g, vI(-7))));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_bigint()));
	EXPECT("-7", (ADD(&g, vL(5)), ADD(&g, vL(-7))));
	agg_close(&g);
	OPEN(&g, "MAX", COL(sl_type_date()));
	EXPECT("19000", (ADD(&g, sl_value_date(19000)), ADD(&g, sl_value_date(18000))));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_time()));
	EXPECT("100", (ADD(&g, sl_value_time(2000)), ADD(&g, sl_value_time(100))));
	agg_close(&g);
	OPEN_RT(&g, "MAX", COL(sl_type_timestamp()));
	EXPECT("1600000000000",
	       (ADD(&g, sl_value_timestamp(1600000000000)), ADD(&g, sl_value_timestamp(-5))));
	agg_close(&g);

	/* DOUBLE as Double.compare: -0.0 < 0.0, NaN above all */
	OPEN(&g, "MAX", COL(sl_type_double()));
	EXPECT("-0.0", ADD(&g, vD(-0.0)));
	EXPECT("0.0", ADD(&g, vD(0.0)));
	EXPECT("NaN", ADD(&g, vD(NAN)));
	EXPECT("NaN", ADD(&g, vD(INFINITY)));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_double()));
	EXPECT("-0.0", (ADD(&g, vD(0.0)), ADD(&g, vD(-0.0))));
	agg_close(&g);

	/* STRING as String.compareTo (UTF-16 units): U+FFFD sorts after
	 * U+1F600, although its UTF-8 bytes sort before */
	OPEN(&g, "MAX", COL(sl_type_string()));
	EXPECT("\"b\"", (ADD(&g, vS("a")), ADD(&g, vS("b"))));
	EXPECT("\"\xef\xbf\xbd\"", (ADD(&g, vS("\xef\xbf\xbd")), ADD(&g, vS("\xf0\x9f\x98\x80"))));
	agg_close(&g);
	OPEN(&g, "MIN", COL(sl_type_string()));
	EXPECT("\"\xf0\x9f\x98\x80\"",
	       (ADD(&g, vS("\xef\xbf\xbd")), ADD(&g, vS("\xf0\x9f\x98\x80"))));
	EXPECT("\"\"", ADD(&g, vS("")));
	agg_close(&g);

	/* BYTES as ByteBuffer.compareTo: signed bytes */
	OPEN_RT(&g, "MAX", COL(sl_type_bytes()));
	EXPECT("0x7F", (ADD(&g, vBY("\x80", 1)), ADD(&g, vBY("\x7f", 1))));
	EXPECT("0x7F00", ADD(&g, vBY("\x7f\x00", 2)));
	agg_close(&g);

	/* merge: as adding the other group's extreme */
	OPEN(&g, "MAX", COL(sl_type_string()));
	OPEN(&h, "MAX", COL(sl_type_string()));
	ADD(&g, vS("m"));
	EXPECT("\"m\"", agg_merge(&g, &h));
	ADD(&h, vS("z"));
	EXPECT("\"z\"", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- COUNT_DISTINCT ---------------------------------------------------- */

START_TEST(test_count_distinct)
{
	agg_t foo, bar, g, h, w;
	char buf[32];

	/* count-distinct.json */
	OPEN_RT(&foo, "COUNT_DISTINCT", COL(sl_type_string()));
	OPEN_RT(&bar, "COUNT_DISTINCT", COL(sl_type_string()));
	EXPECT("0", result(&foo));
	EXPECT("1", ADD(&foo, vS("one")));
	EXPECT("2", ADD(&foo, vS("two")));
	EXPECT("2", ADD(&foo, vS("one")));
	EXPECT("2", ADD(&foo, vS("two")));
	EXPECT("1", ADD(&bar, vS("one")));
	EXPECT("2", ADD(&foo, vN()));
	ck_assert_int_eq(foo.acc.u.list->n, 2); /* sparse: two registers */
	agg_close(&foo);
	agg_close(&bar);

	/* stream-lib's estimates (run on the JVM): strings "item-i" */
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "item-%d", i);
		ADD(&g, vS(buf));
	}
	EXPECT("994", result(&g));
	agg_close(&g);

	/* INT 0..4999: the registers outgrow the sparse list and take
	 * ksqlDB's layout (2,731 words); halves merged give the same */
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_int()));
	OPEN(&h, "COUNT_DISTINCT", COL(sl_type_int()));
	OPEN(&w, "COUNT_DISTINCT", COL(sl_type_int()));
	for (int i = 0; i < 5000; i++)
		ADD(i < 2500 ? &g : &h, vI(i));
	EXPECT("4962", agg_merge(&g, &h));
	ck_assert_int_eq(g.acc.u.list->n, 2731);
	for (int i = 0; i < 5000; i++)
		ADD(&w, vI(i));
	EXPECT("4962", result(&w));
	ck_assert_int_eq(w.acc.u.list->n, 2731);
	ck_assert_str_eq(state_json(&w), state_json(&g));
	w.roundtrip = true;
	EXPECT("4962", ADD(&w, vI(7)));
	/* merging a sparse list into the dense form */
	agg_close(&h);
	OPEN(&h, "COUNT_DISTINCT", COL(sl_type_int()));
	for (int i = 0; i < 300; i++)
		ADD(&h, vI(1000000 + i * 7919));
	EXPECT("5256", agg_merge(&w, &h));
	agg_close(&g);
	agg_close(&h);
	agg_close(&w);

	/* BIGINT and DOUBLE hash through hashLong */
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_bigint()));
	for (int i = 0; i < 1000; i++)
		ADD(&g, vL((int64_t)i * 1000003));
	EXPECT("992", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_double()));
	for (int i = 0; i < 1000; i++)
		ADD(&g, vD(i + 0.5));
	EXPECT("1003", result(&g));
	agg_close(&g);

	/* non-ASCII strings (sign-extended tail bytes); other types by
	 * their Java text */
	OPEN_RT(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	ADD(&g, vS("h\xc3\xa9"));
	ADD(&g, vS("\xc3\xa9\xc3\xa9\xc3\xa9"));
	EXPECT("3", ADD(&g, vS("caf\xc3\xa9")));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	for (int i = 0; i < 3000; i++) {
		snprintf(buf, sizeof(buf), "k%d\xc3\xa9", i);
		ADD(&g, vS(buf));
	}
	EXPECT("2980", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_string()));
	for (int i = 0; i < 3000; i++) {
		snprintf(buf, sizeof(buf), "k%d\xc3\xa9x", i);
		ADD(&g, vS(buf));
	}
	EXPECT("2960", result(&g));
	agg_close(&g);
	/* BigDecimal.toString() (5E-8), java.sql.Timestamp/Date/Time (UTC) */
	OPEN(&g, "COUNT_DISTINCT", COL(tDEC(12, 8)));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_decimal(i, 12, 8));
	EXPECT("1997", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_timestamp()));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_timestamp((int64_t)i * 1000003 - 500000000));
	EXPECT("2000", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_date()));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_date(i * 7));
	EXPECT("2000", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_time()));
	for (int i = 0; i < 2000; i++)
		ADD(&g, sl_value_time((int64_t)i * 40000));
	EXPECT("2015", result(&g));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_boolean()));
	EXPECT("2", (ADD(&g, vB(true)), ADD(&g, vB(false)), ADD(&g, vB(true))));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(tDEC(3, 2)));
	ADD(&g, vDEC("1.50", 3, 2));
	EXPECT("2", (ADD(&g, vDEC("1.50", 3, 2)), ADD(&g, vDEC("1.51", 3, 2))));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(tROW(1, "A", sl_type_int())));
	ADD(&g, vROW(1, vI(1)));
	EXPECT("2", (ADD(&g, vROW(1, vI(1))), ADD(&g, vROW(1, vN()))));
	agg_close(&g);
	OPEN(&g, "COUNT_DISTINCT", COL(sl_type_timestamp()));
	EXPECT("2", (ADD(&g, sl_value_timestamp(12)), ADD(&g, sl_value_timestamp(12)),
		     ADD(&g, sl_value_timestamp(-1))));
	agg_close(&g);
}
END_TEST

/* ---- COLLECT_LIST, COLLECT_SET ----------------------------------------- */

START_TEST(test_collect_list)
{
	agg_t g, h;
	const sl_type_t *row = tROW(2, "A", sl_type_string(), "B", sl_type_bigint());

	/* collect-list.json "collect_list int" */
	OPEN_RT(&g, "COLLECT_LIST", COL(sl_type_int()));
	EXPECT("[]", result(&g));
	EXPECT("[0]", ADD(&g, vI(0)));
	EXPECT("[0,100]", ADD(&g, vI(100)));
	agg_close(&g);

	/* "collect_list decimal": NULLs are kept */
	OPEN_RT(&g, "COLLECT_LIST", COL(tDEC(4, 1)));
	EXPECT("[500.9]", ADD(&g, vDEC("500.9", 4, 1)));
	EXPECT("[500.9,300.8]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", ADD(&g, vN()));
	EXPECT("[500.9,300.8,null,300.8]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null,300.8,null]", ADD(&g, vN()));
	/* undo removes the last equal value */
	EXPECT("[500.9,300.8,null,null]", UNDO(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", UNDO(&g, vN()));
	EXPECT("[500.9,300.8,null]", UNDO(&g, vDEC("1.0", 4, 1)));
	agg_close(&g);

	/* "collect_list long table": a row updated */
	OPEN(&g, "COLLECT_LIST", COL(sl_type_bigint()));
	EXPECT("[2147483648]", ADD(&g, vL(2147483648)));
	EXPECT("[]", UNDO(&g, vL(2147483648)));
	EXPECT("[100]", ADD(&g, vL(100)));
	agg_close(&g);

	/* "collect_list struct", maps; merge appends */
	OPEN_RT(&g, "COLLECT_LIST", COL(row));
	OPEN_RT(&h, "COLLECT_LIST", COL(row));
	EXPECT("[{A=\"Record0\",B=1}]", ADD(&g, vROW(2, vS("Record0"), vL(1))));
	EXPECT("[{A=\"Record0\",B=1},{A=\"Record1\",B=100}]",
	       ADD(&g, vROW(2, vS("Record1"), vL(100))));
	ADD(&h, vROW(2, vS("Record0"), vN()));
	EXPECT("[{A=\"Record0\",B=1},{A=\"Record1\",B=100},{A=\"Record0\",B=null}]",
	       agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
	OPEN_RT(&g, "COLLECT_LIST", COL(tMAP(sl_type_bigint())));
	EXPECT("[{Record0:100},{Record0:100}]",
	       (ADD(&g, vMAP(1, "Record0", vL(100))), ADD(&g, vMAP(1, "Record0", vL(100)))));
	agg_close(&g);
}
END_TEST

START_TEST(test_collect_set)
{
	agg_t g, h;

	/* collect-set.json "collect_set decimal": NULL kept once */
	OPEN_RT(&g, "COLLECT_SET", COL(tDEC(4, 1)));
	EXPECT("[500.9]", ADD(&g, vDEC("500.9", 4, 1)));
	EXPECT("[500.9,300.8]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", ADD(&g, vN()));
	EXPECT("[500.9,300.8,null]", ADD(&g, vDEC("300.8", 4, 1)));
	EXPECT("[500.9,300.8,null]", ADD(&g, vN()));
	agg_close(&g);

	/* "collect_set maps": equal maps in another order are one value */
	OPEN_RT(&g, "COLLECT_SET", COL(tMAP(sl_type_bigint())));
	EXPECT("[{Record0:100,Record2:2}]", ADD(&g, vMAP(2, "Record0", vL(100), "Record2", vL(2))));
	EXPECT("[{Record0:100,Record2:2}]", ADD(&g, vMAP(2, "Record2", vL(2), "Record0", vL(100))));
	EXPECT("[{Record0:100,Record2:2},{Record0:100}]", ADD(&g, vMAP(1, "Record0", vL(100))));
	agg_close(&g);

	/* "collect_set string", "bool map"; DOUBLE by Double.equals */
	OPEN(&g, "COLLECT_SET", COL(sl_type_string()));
	EXPECT("[\"baz\"]", (ADD(&g, vS("baz")), ADD(&g, vS("baz"))));
	EXPECT("[\"baz\",\"foo\",null]", (ADD(&g, vS("foo")), ADD(&g, vN())));
	agg_close(&g);
	OPEN(&g, "COLLECT_SET", COL(sl_type_boolean()));
	EXPECT("[true,false]", (ADD(&g, vB(true)), ADD(&g, vB(false)), ADD(&g, vB(true))));
	agg_close(&g);
	OPEN(&g, "COLLECT_SET", COL(sl_type_double()));
	EXPECT("[NaN,0.0,-0.0]", (ADD(&g, vD(NAN)), ADD(&g, vD(-NAN)), ADD(&g, vD(0.0)),
				  ADD(&g, vD(-0.0)), ADD(&g, vD(0.0))));
	agg_close(&g);

	/* merge: the other's values not yet present, in order */
	OPEN(&g, "COLLECT_SET", COL(sl_type_int()));
	OPEN(&h, "COLLECT_SET", COL(sl_type_int()));
	ADD(&g, vI(1));
	ADD(&g, vI(2));
	ADD(&h, vI(2));
	ADD(&h, vI(3));
	ADD(&h, vI(1));
	ADD(&h, vI(4));
	EXPECT("[1,2,3,4]", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- EARLIEST_BY_OFFSET, LATEST_BY_OFFSET ------------------------------ */

START_TEST(test_earliest)
{
	const sl_type_t *i = sl_type_int();
	agg_t g, s0, s1, m;

	/* earliest-offset-udaf.json "nulls later - single - nulls ignored" */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i));
	EXPECT("null", result(&g));
	EXPECT("12", ADD(&g, vI(12)));
	EXPECT("12", ADD(&g, vN()));
	EXPECT("12", ADD(&g, vI(13)));
	agg_close(&g);
	/* "null first - single - ignoring nulls" */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	EXPECT("null", ADD(&g, vN()));
	EXPECT("13", ADD(&g, vI(13)));
	agg_close(&g);
	/* not ignoring nulls: the first value is NULL for good */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KB(false));
	EXPECT("null", ADD(&g, vN()));
	EXPECT("null", ADD(&g, vI(13)));
	agg_close(&g);
	/* "null later - single - nulls not ignored" */
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i), KB(false));
	EXPECT("12", (ADD(&g, vI(12)), ADD(&g, vN()), ADD(&g, vI(13))));
	agg_close(&g);

	/* "null first - multiple - ignoring nulls", "... not ignoring nulls" */
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2));
	EXPECT("[]", ADD(&g, vN()));
	EXPECT("[13]", ADD(&g, vI(13)));
	agg_close(&g);
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[null]", ADD(&g, vN()));
	EXPECT("[null,13]", ADD(&g, vI(13)));
	EXPECT("[null,13]", ADD(&g, vI(14)));
	agg_close(&g);
	/* "null later - multiple - nulls not ignored" */
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[12]", ADD(&g, vI(12)));
	EXPECT("[12,null]", ADD(&g, vN()));
	EXPECT("[12,null]", ADD(&g, vI(13)));
	agg_close(&g);
	/* "earliest n by offset"; udaf.json "support more than one literal
	 * param" */
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(sl_type_string()), KI(2));
	EXPECT("[\"foo\",\"bar\"]", (ADD(&g, vS("foo")), ADD(&g, vS("bar")), ADD(&g, vS("baz"))));
	agg_close(&g);
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(true));
	EXPECT("[1]", ADD(&g, vI(1)));
	agg_close(&g);

	/* "merging session windows": sessions at 0 and 1500 merged when a
	 * record at 700 joins them; the earliest record wins */
	OPEN_RT(&s0, "EARLIEST_BY_OFFSET", COL(i));
	OPEN_RT(&s1, "EARLIEST_BY_OFFSET", COL(i));
	OPEN_RT(&m, "EARLIEST_BY_OFFSET", COL(i));
	EXPECT("1", ADD(&s0, vI(1)));
	EXPECT("3", ADD(&s1, vI(3)));
	agg_merge(&m, &s0);
	agg_merge(&m, &s1);
	EXPECT("1", ADD(&m, vI(2)));
	/* the other way round too: acc later than other */
	agg_close(&m);
	OPEN(&m, "EARLIEST_BY_OFFSET", COL(i));
	agg_merge(&m, &s1);
	EXPECT("1", agg_merge(&m, &s0));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* "merging session windows - with nulls ignored" */
	OPEN(&s0, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	OPEN(&s1, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	OPEN(&m, "EARLIEST_BY_OFFSET", COL(i), KB(true));
	EXPECT("null", ADD(&s0, vN()));
	EXPECT("1", ADD(&s1, vI(1)));
	agg_merge(&m, &s0);
	agg_merge(&m, &s1);
	EXPECT("1", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* "merging session windows - all nulls - N" */
	OPEN_RT(&s0, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&s1, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&m, "EARLIEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[null]", ADD(&s0, vN()));
	EXPECT("[null]", ADD(&s1, vN()));
	agg_merge(&m, &s0);
	EXPECT("[null,null]", agg_merge(&m, &s1));
	EXPECT("[null,null]", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* merged N lists keep record order whatever the merge order */
	OPEN(&s0, "EARLIEST_BY_OFFSET", COL(i), KI(3));
	OPEN(&s1, "EARLIEST_BY_OFFSET", COL(i), KI(3));
	ADD(&s0, vI(1));
	ADD(&s1, vI(2));
	ADD(&s0, vI(3));
	ADD(&s1, vI(4));
	EXPECT("[1,2,3]", agg_merge(&s1, &s0));
	agg_close(&s0);
	agg_close(&s1);

	/* "earliest by offset with arrays, structs, and maps" */
	const sl_type_t *t = tARR(tROW(2, "A", sl_type_string(), "M", tMAP(sl_type_double())));
	OPEN_RT(&g, "EARLIEST_BY_OFFSET", COL(t));
	EXPECT("[{A=\"Early0\",M={Early0:1.234}},{A=\"Early2\",M={Early2:1.23456}}]",
	       ADD(&g, vARR(2, vROW(2, vS("Early0"), vMAP(1, "Early0", vD(1.234))),
			    vROW(2, vS("Early2"), vMAP(1, "Early2", vD(1.23456))))));
	EXPECT("[{A=\"Early0\",M={Early0:1.234}},{A=\"Early2\",M={Early2:1.23456}}]",
	       ADD(&g, vARR(1, vROW(2, vS("Later0"), vMAP(1, "Early0", vD(3.45))))));
	agg_close(&g);
}
END_TEST

START_TEST(test_latest)
{
	const sl_type_t *i = sl_type_int();
	agg_t g, s0, s1, m;

	/* latest-offset-udaf.json "nulls ignored - single" */
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(i), KB(true));
	EXPECT("12", ADD(&g, vI(12)));
	EXPECT("12", ADD(&g, vN()));
	EXPECT("13", ADD(&g, vI(13)));
	agg_close(&g);
	/* "latest by offset with all nulls"; nulls not ignored */
	OPEN(&g, "LATEST_BY_OFFSET", COL(i));
	EXPECT("null", (ADD(&g, vN()), ADD(&g, vN())));
	agg_close(&g);
	OPEN(&g, "LATEST_BY_OFFSET", COL(i), KB(false));
	EXPECT("12", ADD(&g, vI(12)));
	EXPECT("null", ADD(&g, vN()));
	agg_close(&g);
	/* "nulls ignored - multiple", "nulls not ignored - multiple" */
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(i), KI(2), KB(true));
	EXPECT("[12]", ADD(&g, vI(12)));
	EXPECT("[12]", ADD(&g, vN()));
	EXPECT("[12,13]", ADD(&g, vI(13)));
	EXPECT("[13,14]", ADD(&g, vI(14)));
	agg_close(&g);
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[12]", ADD(&g, vI(12)));
	EXPECT("[12,null]", ADD(&g, vN()));
	EXPECT("[null,13]", ADD(&g, vI(13)));
	agg_close(&g);
	/* "latest n by offset with all nulls" */
	OPEN(&g, "LATEST_BY_OFFSET", COL(i), KI(2));
	EXPECT("[]", (ADD(&g, vN()), ADD(&g, vN())));
	agg_close(&g);

	/* "merging session windows - with nulls ignored" */
	OPEN_RT(&s0, "LATEST_BY_OFFSET", COL(i));
	OPEN_RT(&s1, "LATEST_BY_OFFSET", COL(i));
	OPEN_RT(&m, "LATEST_BY_OFFSET", COL(i));
	EXPECT("1", ADD(&s0, vI(1)));
	EXPECT("null", ADD(&s1, vN()));
	agg_merge(&m, &s0);
	EXPECT("1", agg_merge(&m, &s1));
	EXPECT("2", ADD(&m, vI(2)));
	agg_close(&m);
	/* "... with nulls ignored when merging" */
	OPEN(&m, "LATEST_BY_OFFSET", COL(i));
	agg_merge(&m, &s0);
	EXPECT("1", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);
	/* "... with nulls not ignored when merging" */
	OPEN(&s0, "LATEST_BY_OFFSET", COL(i), KB(false));
	OPEN(&m, "LATEST_BY_OFFSET", COL(i), KB(false));
	ADD(&s0, vI(1));
	agg_merge(&m, &s0);
	EXPECT("null", ADD(&m, vN()));
	agg_close(&s0);
	agg_close(&m);
	/* the later of two sessions wins a merge, either way round */
	OPEN(&s0, "LATEST_BY_OFFSET", COL(i));
	OPEN(&s1, "LATEST_BY_OFFSET", COL(i));
	ADD(&s0, vI(1));
	ADD(&s1, vI(2));
	EXPECT("2", agg_merge(&s0, &s1));
	ADD(&s0, vI(3));
	EXPECT("3", agg_merge(&s1, &s0));
	agg_close(&s0);
	agg_close(&s1);
	/* "merging session windows - with nulls not ignored - N" */
	OPEN_RT(&s0, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&s1, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	OPEN_RT(&m, "LATEST_BY_OFFSET", COL(i), KI(2), KB(false));
	EXPECT("[1]", ADD(&s0, vI(1)));
	EXPECT("[null]", ADD(&s1, vN()));
	agg_merge(&m, &s0);
	EXPECT("[1,null]", agg_merge(&m, &s1));
	EXPECT("[null,2]", ADD(&m, vI(2)));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&m);

	/* a sequence that wrapped: negative SEQs come after positive ones */
	OPEN(&s0, "LATEST_BY_OFFSET", COL(i));
	OPEN(&s1, "LATEST_BY_OFFSET", COL(i));
	OPEN(&g, "EARLIEST_BY_OFFSET", COL(i));
	OPEN(&m, "EARLIEST_BY_OFFSET", COL(i));
	next_seq = (uint64_t)INT64_MAX - 1;
	ADD(&s0, vI(1));
	ADD(&g, vI(1));
	ADD(&s1, vI(2));
	ADD(&m, vI(2));
	ck_assert_str_eq(state(&g), "{SEQ=9223372036854775807,VAL=1}");
	ck_assert_str_eq(state(&s1), "{SEQ=-9223372036854775808,VAL=2}");
	EXPECT("2", agg_merge(&s0, &s1));
	EXPECT("1", agg_merge(&m, &g));
	agg_close(&s0);
	agg_close(&s1);
	agg_close(&g);
	agg_close(&m);

	/* "latest by offset with maps", BYTES */
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(tMAP(sl_type_double())));
	EXPECT("{Early0:1.234}", ADD(&g, vMAP(1, "Early0", vD(1.234))));
	EXPECT("{Later0:3.6789}", ADD(&g, vMAP(1, "Later0", vD(3.6789))));
	agg_close(&g);
	OPEN_RT(&g, "LATEST_BY_OFFSET", COL(sl_type_bytes()), KI(2));
	EXPECT("[0x61,0x62]", (ADD(&g, vBY("a", 1)), ADD(&g, vBY("b", 1))));
	agg_close(&g);
}
END_TEST

/* ---- TOPK, TOPKDISTINCT ------------------------------------------------ */

START_TEST(test_topk)
{
	const sl_type_t *i = sl_type_int(), *s = sl_type_string();
	agg_t g, h;

	/* topk-group-by.json "topk integer" */
	OPEN_RT(&g, "TOPK", COL(i), KI(3));
	EXPECT("[]", result(&g));
	EXPECT("[0]", ADD(&g, vI(0)));
	EXPECT("[100,0]", ADD(&g, vI(100)));
	EXPECT("[100,99,0]", ADD(&g, vI(99)));
	EXPECT("[100,99,7]", ADD(&g, vI(7)));
	EXPECT("[100,100,99]", ADD(&g, vI(100)));
	EXPECT("[100,100,99]", ADD(&g, vN()));
	EXPECT("[100,100,99]", ADD(&g, vI(99)));
	agg_close(&g);
	/* "topk long" */
	OPEN(&g, "TOPK", COL(sl_type_bigint()), KI(3));
	EXPECT("[2147483648,100,100]", (ADD(&g, vL(2147483648)), ADD(&g, vL(100)), ADD(&g, vL(99)),
					ADD(&g, vL(7)), ADD(&g, vL(100))));
	agg_close(&g);
	/* "topk string" */
	OPEN(&g, "TOPK", COL(s), KI(3));
	EXPECT("[\"a\"]", ADD(&g, vS("a")));
	EXPECT("[\"b\",\"a\"]", ADD(&g, vS("b")));
	EXPECT("[\"c\",\"b\",\"a\"]", ADD(&g, vS("c")));
	EXPECT("[\"c\",\"b\",\"b\"]", ADD(&g, vS("b")));
	EXPECT("[\"d\",\"c\",\"b\"]", ADD(&g, vS("d")));
	agg_close(&g);
	/* k = 1; DECIMAL goes through the DOUBLE variant */
	OPEN(&g, "TOPK", COL(sl_type_double()), KI(1));
	EXPECT("[2.5]", (ADD(&g, vD(1.5)), ADD(&g, vD(2.5)), ADD(&g, vD(-3))));
	agg_close(&g);

	/* "topk integer struct": TOPK(value, name, 3) */
	OPEN_RT(&g, "TOPK", COL(i), COL(s), KI(3));
	EXPECT("[{sort_col=0,col0=\"zero\"}]", ADD(&g, vI(0), vS("zero")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=0,col0=\"zero\"}]",
	       ADD(&g, vI(100), vS("one")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=99,col0=\"two\"},"
	       "{sort_col=0,col0=\"zero\"}]",
	       ADD(&g, vI(99), vS("two")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=99,col0=\"two\"},"
	       "{sort_col=0,col0=\"zero\"}]",
	       ADD(&g, vN(), vS("three")));
	EXPECT("[{sort_col=100,col0=\"one\"},{sort_col=100,col0=null},"
	       "{sort_col=99,col0=\"two\"}]",
	       ADD(&g, vI(100), vN()));
	ck_assert_str_eq(state_json(&g), "[{\"sort_col\":100,\"col0\":\"one\"},"
					 "{\"sort_col\":100,\"col0\":null},"
					 "{\"sort_col\":99,\"col0\":\"two\"}]");
	agg_close(&g);
	/* "topk string struct" */
	OPEN(&g, "TOPK", COL(s), COL(s), KI(3));
	ADD(&g, vS("a"), vS("zero"));
	ADD(&g, vN(), vS("one"));
	ADD(&g, vS("c"), vS("two"));
	EXPECT("[{sort_col=\"c\",col0=\"two\"},{sort_col=\"b\",col0=\"three\"},"
	       "{sort_col=\"a\",col0=\"zero\"}]",
	       ADD(&g, vS("b"), vS("three")));
	EXPECT("[{sort_col=\"d\",col0=null},{sort_col=\"c\",col0=\"two\"},"
	       "{sort_col=\"b\",col0=\"three\"}]",
	       ADD(&g, vS("d"), vN()));
	agg_close(&g);
	/* more columns */
	OPEN_RT(&g, "TOPK", COL(sl_type_double()), COL(sl_type_bigint()), COL(sl_type_boolean()),
		KI(2));
	ADD(&g, vD(1.5), vL(1), vB(true));
	EXPECT("[{sort_col=2.5,col0=2,col1=false},{sort_col=1.5,col0=1,col1=true}]",
	       ADD(&g, vD(2.5), vL(2), vB(false)));
	agg_close(&g);

	/* merge: largest first, ties from the accumulator first, k kept */
	OPEN(&g, "TOPK", COL(i), KI(3));
	OPEN(&h, "TOPK", COL(i), KI(3));
	ADD(&g, vI(100));
	ADD(&g, vI(99));
	ADD(&g, vI(7));
	ADD(&h, vI(100));
	ADD(&h, vI(50));
	EXPECT("[100,100,99]", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
	OPEN(&g, "TOPK", COL(i), COL(s), KI(3));
	OPEN(&h, "TOPK", COL(i), COL(s), KI(3));
	ADD(&g, vI(5), vS("g"));
	ADD(&h, vI(5), vS("h"));
	ADD(&h, vI(9), vS("h"));
	EXPECT("[{sort_col=9,col0=\"h\"},{sort_col=5,col0=\"h\"},{sort_col=5,col0=\"g\"}]",
	       agg_merge(&h, &g));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

START_TEST(test_topkdistinct)
{
	agg_t g, h;

	/* topk-distinct.json "topk distinct integer" */
	OPEN_RT(&g, "TOPKDISTINCT", COL(sl_type_int()), KI(3));
	EXPECT("[0]", ADD(&g, vI(0)));
	EXPECT("[100,0]", ADD(&g, vI(100)));
	EXPECT("[100,99,0]", ADD(&g, vI(99)));
	EXPECT("[100,99,7]", ADD(&g, vI(7)));
	EXPECT("[100,99,7]", ADD(&g, vI(100)));
	agg_close(&g);
	/* "topk distinct decimal" */
	OPEN_RT(&g, "TOPKDISTINCT", COL(tDEC(2, 1)), KI(3));
	EXPECT("[9.8]", ADD(&g, vDEC("9.8", 2, 1)));
	EXPECT("[9.8,8.9]", ADD(&g, vDEC("8.9", 2, 1)));
	EXPECT("[9.8,8.9]", ADD(&g, vN()));
	EXPECT("[9.8,8.9,7.8]", ADD(&g, vDEC("7.8", 2, 1)));
	EXPECT("[9.8,8.9,7.8]", ADD(&g, vDEC("6.5", 2, 1)));
	EXPECT("[9.9,9.8,8.9]", ADD(&g, vDEC("9.9", 2, 1)));
	agg_close(&g);
	/* "topk distinct bytes" */
	OPEN_RT(&g, "TOPKDISTINCT", COL(sl_type_bytes()), KI(3));
	EXPECT("[0x42]", ADD(&g, vBY("B", 1)));
	EXPECT("[0x46,0x42]", ADD(&g, vBY("F", 1)));
	EXPECT("[0x47,0x46,0x42]", ADD(&g, vBY("G", 1)));
	EXPECT("[0x47,0x46,0x42]", (ADD(&g, vN()), ADD(&g, vBY("A", 1)), ADD(&g, vBY("F", 1))));
	agg_close(&g);
	/* "topk distinct timestamp" */
	OPEN(&g, "TOPKDISTINCT", COL(sl_type_timestamp()), KI(3));
	EXPECT("[100,99,0]", (ADD(&g, sl_value_timestamp(0)), ADD(&g, sl_value_timestamp(100)),
			      ADD(&g, sl_value_timestamp(99)), ADD(&g, sl_value_timestamp(-7)),
			      ADD(&g, sl_value_timestamp(100))));
	agg_close(&g);
	/* not full yet: a duplicate still does not enter */
	OPEN(&g, "TOPKDISTINCT", COL(sl_type_string()), KI(5));
	EXPECT("[\"b\",\"a\"]", (ADD(&g, vS("a")), ADD(&g, vS("b")), ADD(&g, vS("a"))));
	agg_close(&g);

	/* merge: equal values once */
	OPEN(&g, "TOPKDISTINCT", COL(sl_type_int()), KI(3));
	OPEN(&h, "TOPKDISTINCT", COL(sl_type_int()), KI(3));
	ADD(&g, vI(100));
	ADD(&g, vI(99));
	ADD(&g, vI(7));
	ADD(&h, vI(100));
	ADD(&h, vI(50));
	EXPECT("[100,99,50]", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- HISTOGRAM --------------------------------------------------------- */

START_TEST(test_histogram)
{
	agg_t g, east, west;
	char buf[32];

	/* histogram.json "histogram string" */
	OPEN_RT(&g, "HISTOGRAM", COL(sl_type_string()));
	EXPECT("{}", result(&g));
	EXPECT("{baz:1}", ADD(&g, vS("baz")));
	EXPECT("{baz:2}", ADD(&g, vS("baz")));
	EXPECT("{baz:2,foo:1}", ADD(&g, vS("foo")));
	EXPECT("{baz:2,foo:1}", ADD(&g, vN()));
	ck_assert_str_eq(state_json(&g), "{\"baz\":2,\"foo\":1}");
	agg_close(&g);

	/* "histogram on a table": bob moves from east to west, then goes */
	OPEN_RT(&east, "HISTOGRAM", COL(sl_type_string()));
	OPEN_RT(&west, "HISTOGRAM", COL(sl_type_string()));
	EXPECT("{alice:1}", ADD(&east, vS("alice")));
	EXPECT("{alice:1,bob:1}", ADD(&east, vS("bob")));
	EXPECT("{carol:1}", ADD(&west, vS("carol")));
	EXPECT("{carol:1,dave:1}", ADD(&west, vS("dave")));
	EXPECT("{alice:1}", UNDO(&east, vS("bob")));
	EXPECT("{carol:1,dave:1,bob:1}", ADD(&west, vS("bob")));
	EXPECT("{carol:1,dave:1}", UNDO(&west, vS("bob")));
	EXPECT("{carol:1,dave:1}", UNDO(&west, vS("nobody")));
	/* merge adds counts */
	ADD(&east, vS("dave"));
	EXPECT("{carol:1,dave:2,alice:1}", agg_merge(&west, &east));
	agg_close(&east);
	agg_close(&west);

	/* at most 1000 distinct values; those present still count */
	OPEN(&g, "HISTOGRAM", COL(sl_type_string()));
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "v%d", i);
		ADD(&g, vS(buf));
	}
	ADD(&g, vS("extra"));
	ck_assert_int_eq(g.acc.u.list->n, 1000);
	ADD(&g, vS("v999"));
	ck_assert_int_eq(g.acc.u.list->items[2 * 999 + 1].u.l, 2);
	agg_close(&g);
}
END_TEST

/* ---- STDDEV_SAMP, STDDEV_SAMPLE ---------------------------------------- */

START_TEST(test_stddev)
{
	agg_t g0, g1, g, h;

	/* standarddeviation.json "stddev_sample int" */
	OPEN_RT(&g0, "STDDEV_SAMPLE", COL(sl_type_int()));
	OPEN_RT(&g1, "STDDEV_SAMPLE", COL(sl_type_int()));
	EXPECT("0.0", result(&g0));
	EXPECT("0.0", ADD(&g0, vI(0)));
	EXPECT("7.0710678118654755", ADD(&g0, vI(10)));
	EXPECT("0.0", ADD(&g1, vI(50)));
	EXPECT("28.284271247461902", ADD(&g1, vI(10)));
	EXPECT("5.131601439446884", ADD(&g0, vI(7)));
	EXPECT("25.357444666211933", ADD(&g1, vI(3)));
	EXPECT("25.357444666211933", ADD(&g1, vN()));
	EXPECT("4.193248541803041", ADD(&g0, vI(6)));
	/* undo (ksqlDB's algorithm on the JVM) */
	EXPECT("5.131601439446884", UNDO(&g0, vI(6)));
	EXPECT("2.1213203435596424", UNDO(&g0, vI(0)));
	EXPECT("2.1213203435596424", UNDO(&g0, vN()));
	agg_close(&g0);
	agg_close(&g1);
	/* merge {0, 10} with {7, 6} */
	OPEN(&g, "STDDEV_SAMPLE", COL(sl_type_int()));
	OPEN(&h, "STDDEV_SAMPLE", COL(sl_type_int()));
	ADD(&g, vI(0));
	ADD(&g, vI(10));
	ADD(&h, vI(7));
	ADD(&h, vI(6));
	EXPECT("4.193248541803041", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);

	/* "stddev_sample long" */
	OPEN(&g0, "STDDEV_SAMPLE", COL(sl_type_bigint()));
	OPEN(&g1, "STDDEV_SAMPLE", COL(sl_type_bigint()));
	EXPECT("0.0", ADD(&g0, vL(2147483648)));
	EXPECT("1.5185001792773468E9", ADD(&g0, vL(100)));
	EXPECT("0.0", ADD(&g1, vL(500)));
	EXPECT("282.842712474619", ADD(&g1, vL(100)));
	EXPECT("1.2398502339629574E9", ADD(&g0, vL(-2)));
	EXPECT("264.5751311064591", ADD(&g1, vL(0)));
	EXPECT("239.32335169528832", ADD(&g1, vL(-6)));
	EXPECT("1.2398502339629574E9", ADD(&g0, vN()));
	agg_close(&g0);
	agg_close(&g1);
	/* "stddev_sample double map" */
	OPEN_RT(&g, "STDDEV_SAMPLE", COL(sl_type_double()));
	EXPECT("0.0", ADD(&g, vD(10.0)));
	EXPECT("1.4142135623730951", ADD(&g, vD(12.0)));
	EXPECT("1.5275252316519465", ADD(&g, vD(13.0)));
	EXPECT("1.707825127659933", ADD(&g, vD(14.0)));
	EXPECT("2.23606797749979", ADD(&g, vD(16.0)));
	agg_close(&g);

	/* "stddev_samp long": ksqlDB's STDDEV_SAMP returns the variance */
	OPEN_RT(&g0, "STDDEV_SAMP", COL(sl_type_bigint()));
	OPEN_RT(&g1, "STDDEV_SAMP", COL(sl_type_bigint()));
	EXPECT("0.0", ADD(&g0, vL(2147483648)));
	EXPECT("2.3058427944653343E18", ADD(&g0, vL(100)));
	EXPECT("0.0", ADD(&g1, vL(500)));
	EXPECT("80000.0", ADD(&g1, vL(100)));
	EXPECT("1.5372286026580004E18", ADD(&g0, vL(-2)));
	EXPECT("70000.0", ADD(&g1, vL(0)));
	EXPECT("57275.666666666664", ADD(&g1, vL(-6)));
	EXPECT("1.5372286026580004E18", ADD(&g0, vN()));
	ck_assert_str_eq(state(&g1), "{SUM=594,COUNT=4,M2=171827.0}");
	agg_close(&g0);
	agg_close(&g1);
	/* "stddev_samp double" */
	OPEN(&g0, "STDDEV_SAMP", COL(sl_type_double()));
	OPEN(&g1, "STDDEV_SAMP", COL(sl_type_double()));
	EXPECT("0.0", ADD(&g0, vD(-1.8)));
	EXPECT("8.405", ADD(&g0, vD(2.3)));
	EXPECT("0.0", ADD(&g1, vD(9223372036854.775)));
	EXPECT("4.253529586234292E25", ADD(&g1, vD(300.8)));
	EXPECT("3334.2033333333347", ADD(&g0, vD(100.2)));
	EXPECT("2.835686452404674E25", ADD(&g1, vD(-200000.6)));
	EXPECT("2.1267648239542927E25", ADD(&g1, vD(0.0)));
	EXPECT("3334.2033333333347", ADD(&g0, vN()));
	agg_close(&g0);
	agg_close(&g1);
	/* STDDEV_SAMP merges divide the INT sums as integers: {1, 2} with
	 * {4, 8} gives 11.166666666666666 where all four give
	 * 9.583333333333334 */
	OPEN(&g, "STDDEV_SAMP", COL(sl_type_int()));
	OPEN(&h, "STDDEV_SAMP", COL(sl_type_int()));
	ADD(&g, vI(1));
	ADD(&g, vI(2));
	ADD(&h, vI(4));
	ADD(&h, vI(8));
	EXPECT("11.166666666666666", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
	/* Java's int arithmetic in STDDEV_SAMP's delta overflows where
	 * STDDEV_SAMPLE's long arithmetic does not */
	OPEN(&g, "STDDEV_SAMP", COL(sl_type_int()));
	EXPECT("4.350285285477581E16", (ADD(&g, vI(-2000000000)), ADD(&g, vI(2000000000))));
	agg_close(&g);
	OPEN(&g, "STDDEV_SAMPLE", COL(sl_type_int()));
	EXPECT("2.82842712474619E9", (ADD(&g, vI(-2000000000)), ADD(&g, vI(2000000000))));
	agg_close(&g);
	OPEN(&g, "STDDEV_SAMP", COL(sl_type_int()));
	EXPECT("9.583333333333334",
	       (ADD(&g, vI(1)), ADD(&g, vI(2)), ADD(&g, vI(4)), ADD(&g, vI(8))));
	agg_close(&g);
}
END_TEST

/* ---- CORRELATION ------------------------------------------------------- */

START_TEST(test_correlation)
{
	agg_t alice, bob, g;
	const sl_type_t *d = sl_type_double();

	/* correlation-udaf.json "correlation double" */
	OPEN_RT(&alice, "CORRELATION", COL(d), COL(d));
	OPEN_RT(&bob, "CORRELATION", COL(d), COL(d));
	EXPECT("NaN", ADD(&alice, vD(1.5), vD(8.0)));
	EXPECT("NaN", ADD(&bob, vD(-3.5), vD(-2.0)));
	EXPECT("1.0", ADD(&alice, vD(-1.0), vD(-2.0)));
	EXPECT("0.7580764521133173", ADD(&alice, vD(-4.5), vD(-1.0)));
	EXPECT("NaN", ADD(&bob, vD(13.1), vN()));
	EXPECT("1.0", ADD(&bob, vD(3.0), vD(11.0)));
	EXPECT("0.7580764521133173", ADD(&alice, vN(), vD(-6.0)));
	agg_close(&alice);
	agg_close(&bob);
	/* "correlation int": the INT arguments are cast to DOUBLE */
	OPEN(&g, "CORRELATION", COL(sl_type_int()), COL(sl_type_int()));
	ADD(&g, vD(1), vD(8));
	ADD(&g, vD(-1), vD(-2));
	EXPECT("0.7455284088780169", ADD(&g, vD(-4), vD(-1)));
	agg_close(&g);
	/* "correlation udaf with table": alice's row updated */
	OPEN_RT(&g, "CORRELATION", COL(d), COL(d));
	EXPECT("NaN", ADD(&g, vD(1.5), vD(8.0)));
	EXPECT("1.0", ADD(&g, vD(-3.5), vD(-2.0)));
	UNDO(&g, vD(1.5), vD(8.0));
	EXPECT("NaN", ADD(&g, vD(-1.0), vD(-2.0)));
	EXPECT("-0.7205766921228921", ADD(&g, vD(-4.5), vD(-1.0)));
	agg_close(&g);
	/* merge: the sums add */
	OPEN(&alice, "CORRELATION", COL(d), COL(d));
	OPEN(&bob, "CORRELATION", COL(d), COL(d));
	ADD(&alice, vD(1.5), vD(8.0));
	ADD(&alice, vD(-1.0), vD(-2.0));
	ADD(&bob, vD(-4.5), vD(-1.0));
	EXPECT("0.7580764521133173", agg_merge(&alice, &bob));
	agg_close(&alice);
	agg_close(&bob);
}
END_TEST

/* ---- ATTR -------------------------------------------------------------- */

START_TEST(test_attr)
{
	agg_t g;

	/* attr.json "valid attr with various scalar fields" */
	OPEN_RT(&g, "ATTR", COL(sl_type_double()));
	EXPECT("null", result(&g));
	EXPECT("1.0", (ADD(&g, vD(1.0)), ADD(&g, vD(1.0)), ADD(&g, vD(1.0))));
	agg_close(&g);
	/* "... non-scalar fields" */
	OPEN_RT(&g, "ATTR", COL(tROW(2, "A", sl_type_string(), "B", sl_type_int())));
	EXPECT("{A=\"a\",B=1}",
	       (ADD(&g, vROW(2, vS("a"), vI(1))), ADD(&g, vROW(2, vS("a"), vI(1)))));
	agg_close(&g);
	/* "invalid attr", "invalid attr with nulls" */
	OPEN(&g, "ATTR", COL(sl_type_string()));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("null", ADD(&g, vS("2")));
	EXPECT("null", ADD(&g, vS("3")));
	agg_close(&g);
	OPEN(&g, "ATTR", COL(sl_type_string()));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("null", ADD(&g, vN()));
	EXPECT("null", ADD(&g, vS("1")));
	agg_close(&g);
	/* "table attr with tombstones" */
	OPEN_RT(&g, "ATTR", COL(sl_type_string()));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("\"1\"", ADD(&g, vS("1")));
	EXPECT("\"1\"", UNDO(&g, vS("1")));
	EXPECT("null", UNDO(&g, vS("1")));
	EXPECT("\"2\"", ADD(&g, vS("2")));
	EXPECT("null", ADD(&g, vS("3")));
	EXPECT("\"2\"", UNDO(&g, vS("3")));
	/* entries at zero stay (and never go below zero) */
	ck_assert_str_eq(state(&g), "[{VALUE=\"1\",COUNT=0},{VALUE=\"2\",COUNT=1},"
				    "{VALUE=\"3\",COUNT=0}]");
	EXPECT("\"2\"", UNDO(&g, vS("3")));
	EXPECT("\"2\"", UNDO(&g, vS("4")));
	ck_assert_str_eq(state_json(&g), "[{\"VALUE\":\"1\",\"COUNT\":0},"
					 "{\"VALUE\":\"2\",\"COUNT\":1},"
					 "{\"VALUE\":\"3\",\"COUNT\":0}]");
	agg_close(&g);
	/* merge adds the counts */
	agg_t h;
	OPEN(&g, "ATTR", COL(sl_type_int()));
	OPEN(&h, "ATTR", COL(sl_type_int()));
	ADD(&g, vI(5));
	ADD(&h, vI(5));
	EXPECT("5", agg_merge(&g, &h));
	ck_assert_str_eq(state(&g), "[{VALUE=5,COUNT=2}]");
	ADD(&h, vN());
	EXPECT("null", agg_merge(&g, &h));
	agg_close(&g);
	agg_close(&h);
}
END_TEST

/* ---- JSON round trip of every state type ------------------------------- */

/* Every aggregate over a few rows, once kept in memory and once through
 * JSON after every step: the results and states must agree. */
START_TEST(test_roundtrip_all)
{
	const sl_type_t *i = sl_type_int(), *s = sl_type_string(), *d = sl_type_double();
	const sl_type_t *row = tROW(2, "A", s, "B", tARR(i));
	const sl_value_t r1 = vROW(2, vS("x"), vARR(2, vI(1), vN()));
	const sl_value_t r2 = vROW(2, vN(), vARR(0));
	struct {
		const char *name;
		int argc;
		arg_t args[4];
		int ncols, nrows;
		sl_value_t rows[3][2];
	} cases[] = {
		{ "COUNT", 1, { COL(s) }, 1, 3, { { vS("a") }, { vN() }, { vS("b") } } },
		{ "SUM",
		  1,
		  { COL(tDEC(5, 2)) },
		  1,
		  2,
		  { { vDEC("1.25", 5, 2) }, { vDEC("-3", 5, 2) } } },
		{ "SUM", 1, { COL(d) }, 1, 3, { { vD(0.1) }, { vD(0.2) }, { vD(1e300) } } },
		{ "AVG", 1, { COL(sl_type_bigint()) }, 1, 2, { { vL(INT64_MAX) }, { vL(3) } } },
		{ "AVG", 1, { COL(d) }, 1, 2, { { vD(0.1) }, { vD(-7.25) } } },
		{ "MIN",
		  1,
		  { COL(sl_type_bytes()) },
		  1,
		  2,
		  { { vBY("\x01\xff", 2) }, { vBY("", 0) } } },
		{ "MAX", 1, { COL(sl_type_timestamp()) }, 1, 1, { { sl_value_timestamp(5) } } },
		{ "COUNT_DISTINCT", 1, { COL(row) }, 1, 3, { { r1 }, { r2 }, { r1 } } },
		{ "COLLECT_LIST", 1, { COL(row) }, 1, 3, { { r1 }, { vN() }, { r2 } } },
		{ "COLLECT_SET",
		  1,
		  { COL(tMAP(d)) },
		  1,
		  3,
		  { { vMAP(1, "k\"\\", vD(1.5)) }, { vMAP(0) }, { vMAP(1, "k\"\\", vD(1.5)) } } },
		{ "EARLIEST_BY_OFFSET", 1, { COL(row) }, 1, 2, { { r2 }, { r1 } } },
		{ "EARLIEST_BY_OFFSET",
		  3,
		  { COL(s), KI(2), KB(false) },
		  1,
		  3,
		  { { vN() }, { vS("\xc3\xa9\n") }, { vS("z") } } },
		{ "LATEST_BY_OFFSET",
		  2,
		  { COL(sl_type_date()), KB(false) },
		  1,
		  2,
		  { { sl_value_date(1) }, { vN() } } },
		{ "LATEST_BY_OFFSET",
		  2,
		  { COL(tARR(s)), KI(2) },
		  1,
		  3,
		  { { vARR(1, vS("a")) }, { vARR(0) }, { vARR(1, vN()) } } },
		{ "TOPK", 2, { COL(s), KI(2) }, 1, 3, { { vS("b") }, { vS("a") }, { vS("c") } } },
		{ "TOPK",
		  3,
		  { COL(i), COL(row), KI(2) },
		  2,
		  3,
		  { { vI(1), r1 }, { vI(3), r2 }, { vI(2), vN() } } },
		{ "TOPKDISTINCT",
		  2,
		  { COL(tDEC(3, 1)), KI(2) },
		  1,
		  3,
		  { { vDEC("1.5", 3, 1) }, { vDEC("1.5", 3, 1) }, { vDEC("-2", 3, 1) } } },
		{ "TOPKDISTINCT",
		  2,
		  { COL(sl_type_time()), KI(2) },
		  1,
		  2,
		  { { sl_value_time(1000) }, { sl_value_time(5) } } },
		{ "HISTOGRAM",
		  1,
		  { COL(s) },
		  1,
		  3,
		  { { vS("a") }, { vS("\xe2\x82\xac") }, { vS("a") } } },
		{ "STDDEV_SAMP", 1, { COL(i) }, 1, 3, { { vI(3) }, { vI(-4) }, { vI(11) } } },
		{ "STDDEV_SAMPLE", 1, { COL(d) }, 1, 2, { { vD(0.5) }, { vD(2.25) } } },
		{ "CORRELATION",
		  2,
		  { COL(d), COL(d) },
		  2,
		  3,
		  { { vD(1), vD(2) }, { vD(2), vD(5) }, { vD(3), vD(4) } } },
		{ "ATTR", 1, { COL(row) }, 1, 3, { { r1 }, { r1 }, { vN() } } },

	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		agg_t mem, rt;
		char res[3][2048], st[3][2048];
		uint64_t seq0 = next_seq;

		ck_assert_msg(agg_open(&mem, cases[c].name, cases[c].argc, cases[c].args, false) ==
				      SL_OK,
			      "%s: %s", cases[c].name, bind_err);
		ck_assert_msg(agg_open(&rt, cases[c].name, cases[c].argc, cases[c].args, true) ==
				      SL_OK,
			      "%s: %s", cases[c].name, bind_err);
		for (int r = 0; r < cases[c].nrows; r++) {
			snprintf(res[r], sizeof(res[r]), "%s",
				 agg_step(&mem, cases[c].ncols, cases[c].rows[r], false));
			snprintf(st[r], sizeof(st[r]), "%s", state(&mem));
		}
		next_seq = seq0; /* the same call->seq for the same rows */
		for (int r = 0; r < cases[c].nrows; r++) {
			const char *got = agg_step(&rt, cases[c].ncols, cases[c].rows[r], false);
			ck_assert_msg(strcmp(got, res[r]) == 0, "%s row %d: %s, not %s",
				      cases[c].name, r, got, res[r]);
			ck_assert_msg(strcmp(state(&rt), st[r]) == 0, "%s row %d: state %s, not %s",
				      cases[c].name, r, state(&rt), st[r]);
		}
		agg_close(&mem);
		agg_close(&rt);
	}
}
END_TEST

/* ---- suite ------------------------------------------------------------- */

static Suite *
aggregate_suite(void)
{
	Suite *s = suite_create("aggregate");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_bind_errors);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_sum);
	tcase_add_test(tc, test_avg);
	tcase_add_test(tc, test_min_max);
	tcase_add_test(tc, test_count_distinct);
	tcase_add_test(tc, test_collect_list);
	tcase_add_test(tc, test_collect_set);
	tcase_add_test(tc, test_earliest);
	tcase_add_test(tc, test_latest);
	tcase_add_test(tc, test_topk);
	tcase_add_test(tc, test_topkdistinct);
	tcase_add_test(tc, test_histogram);
	tcase_add_test(tc, test_stddev);
	tcase_add_test(tc, test_correlation);
	tcase_add_test(tc, test_attr);
	tcase_add_test(tc, test_roundtrip_all);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(aggregate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
