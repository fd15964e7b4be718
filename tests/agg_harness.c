/*
 * agg_harness.c: the harness the aggregate-function tests share (see
 * agg_harness.h), compiled into check_aggregate and
 * check_aggregate_collections.
 *
 * Layer: expr.  Types, bindings and argument values live in one test
 * arena that the checked fixture creates and destroys around each test;
 * each group's accumulator lives in its own arenas (agg_t), destroyed and
 * recreated after every step.
 */
#include "agg_harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "expr/decimal.h"
#include "util/strbuf.h"

static sl_arena_t arena; /* types, bindings, argument values */
sl_func_registry_t *reg;
uint64_t next_seq;
char bind_err[SL_ERROR_MSG_MAX];

void
setup(void)
{
	sl_arena_init(&arena, 0);
	reg = sl_func_registry_create();
	sl_func_register_all(reg);
	next_seq = 0;
	bind_err[0] = '\0';
}

void
teardown(void)
{
	sl_func_registry_destroy(reg);
	sl_arena_destroy(&arena);
}

/* Values.  Payloads live in the test arena (never freed by a step). */

sl_value_t
vI(int32_t i)
{
	return sl_value_int(i);
}

sl_value_t
vL(int64_t l)
{
	return sl_value_bigint(l);
}

sl_value_t
vD(double d)
{
	return sl_value_double(d);
}

sl_value_t
vB(bool b)
{
	return sl_value_bool(b);
}

sl_value_t
vN(void)
{
	return sl_value_null();
}

sl_value_t
vS(const char *s)
{
	return sl_value_string_copy(&arena, s, (int32_t)strlen(s));
}

sl_value_t
vBY(const char *s, int n)
{
	sl_value_t v = sl_value_string_copy(&arena, s, n);
	v.kind = SL_T_BYTES;
	return v;
}

/* DECIMAL(p, s) from text. */
sl_value_t
vDEC(const char *text, int p, int s)
{
	__int128 u;
	int prec, scale;
	ck_assert_int_eq(sl_dec_parse(text, strlen(text), &u, &prec, &scale), SL_OK);
	ck_assert_int_eq(sl_dec_rescale(u, scale, s, &u), SL_OK);
	return sl_value_decimal(u, p, s);
}

/* ARRAY of n values. */
sl_value_t
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
sl_value_t
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
sl_value_t
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

const sl_type_t *
tDEC(int p, int s)
{
	return sl_type_decimal(&arena, p, s);
}

const sl_type_t *
tARR(const sl_type_t *t)
{
	return sl_type_array(&arena, t);
}

const sl_type_t *
tMAP(const sl_type_t *t)
{
	return sl_type_map(&arena, sl_type_string(), t);
}

/* STRUCT<n fields given as (const char *name, const sl_type_t *type)>. */
const sl_type_t *
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

const char *
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

arg_t
COL(const sl_type_t *t)
{
	return (arg_t){ t, sl_value_null(), false };
}

arg_t
KI(int32_t i)
{
	return (arg_t){ sl_type_int(), sl_value_int(i), true };
}

arg_t
KB(bool b)
{
	return (arg_t){ sl_type_boolean(), sl_value_bool(b), true };
}

/* The NULL literal as a constant argument. */
arg_t
KNULL(void)
{
	return (arg_t){ sl_type_null(), sl_value_null(), true };
}

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

/* Binds name to args (the table form when table is set) and initializes
 * the accumulator; returns SL_OK or the binding error (its message in
 * bind_err). */
static int
open_as(agg_t *g, const char *name, int argc, const arg_t *args, bool rt, bool table)
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
	if (rc == SL_OK && table)
		rc = sl_func_bind_table(&g->b, &arena, 0, &err);
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

int
agg_open(agg_t *g, const char *name, int argc, const arg_t *args, bool rt)
{
	return open_as(g, name, argc, args, rt, false);
}

int
agg_open_table(agg_t *g, const char *name, int argc, const arg_t *args, bool rt)
{
	return open_as(g, name, argc, args, rt, true);
}

void
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
const char *
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
const char *
state(agg_t *g)
{
	static char buf[8192];
	buf[0] = '\0';
	render(buf, sizeof(buf), &g->acc, g->b.state_type);
	return buf;
}

/* The accumulator as JSON. */
const char *
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
const char *
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
const char *
agg_merge(agg_t *g, agg_t *other)
{
	sl_fcall_t c = mkcall(g);

	ck_assert_int_eq(ops_of(g)->merge(&c, &other->acc, &g->acc), SL_OK);
	settle(g);
	return result(g);
}

/* The message of binding name to args, or "OK". */
const char *
bind_msg(const char *name, int argc, const arg_t *args)
{
	agg_t g;
	if (agg_open(&g, name, argc, args, false) != SL_OK)
		return bind_err;
	agg_close(&g);
	return "OK";
}
