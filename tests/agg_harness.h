/*
 * agg_harness.h: the harness the aggregate-function tests share
 * (check_aggregate.c, check_aggregate_collections.c; see agg_harness.c).
 *
 * Layer: expr.  Binds an aggregate with sl_func_bind() for given argument
 * types, constant arguments given as values as the analyzer gives them
 * (then sl_func_bind_table() for an input that is a table), then drives
 * its sl_agg_ops_t as the executor does: one accumulator per group, add
 * or undo per row with call->seq growing, merge for session windows.
 * After every step the accumulator is deep-copied into a fresh arena and
 * the others are freed, so that a result still pointing into freed memory
 * shows under the sanitizers; with roundtrip set it also goes through
 * JSON first (sl_serde_json_value, then a JSON serde for the state type),
 * as when the executor stores it.  Results render as in
 * check_functions.c: strings in double quotes, ARRAY as [a,b], MAP as
 * {k:v}, STRUCT as {F=v}, NULL as null, DOUBLE as Java prints it.
 *
 * Everything runs on the test's thread; the rendering functions return
 * static buffers, valid until their next call.
 */
#ifndef SL_TESTS_AGG_HARNESS_H
#define SL_TESTS_AGG_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr/expr.h"
#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"
#include "format/serde.h"
#include "util/arena.h"
#include "util/error.h"

/* ---- fixture ----------------------------------------------------------- */

extern sl_func_registry_t *reg;         /* every function, set up by setup() */
extern uint64_t next_seq;               /* call->seq of the next row, across groups */
extern char bind_err[SL_ERROR_MSG_MAX]; /* the last binding error */

/* The checked fixture: a fresh registry and test arena per test. */
void setup(void);
void teardown(void);

/* ---- values and types -------------------------------------------------- */

/* Values.  Payloads live in the test arena (never freed by a step). */
sl_value_t vI(int32_t i);
sl_value_t vL(int64_t l);
sl_value_t vD(double d);
sl_value_t vB(bool b);
sl_value_t vN(void);
sl_value_t vS(const char *s);
sl_value_t vBY(const char *s, int n);
/* DECIMAL(p, s) from text. */
sl_value_t vDEC(const char *text, int p, int s);
/* ARRAY of n values. */
sl_value_t vARR(int n, ...);
/* MAP of n entries given as (const char *key, sl_value_t value). */
sl_value_t vMAP(int n, ...);
/* STRUCT of n field values. */
sl_value_t vROW(int n, ...);

/* Types, in the test arena. */
const sl_type_t *tDEC(int p, int s);
const sl_type_t *tARR(const sl_type_t *t);
const sl_type_t *tMAP(const sl_type_t *t);
/* STRUCT<n fields given as (const char *name, const sl_type_t *type)>. */
const sl_type_t *tROW(int n, ...);
/* t as SQL text. */
const char *tstr(const sl_type_t *t);

/* An argument of a call: a column of type t, or a constant. */
typedef struct arg {
	const sl_type_t *t;
	sl_value_t v;
	bool konst;
} arg_t;

arg_t COL(const sl_type_t *t);
arg_t KI(int32_t i);
arg_t KB(bool b);
/* The NULL literal as a constant argument. */
arg_t KNULL(void);

/* ---- driving an aggregate ---------------------------------------------- */

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

/* Binds name to args and initializes the accumulator; returns SL_OK or
 * the binding error (its message in bind_err).  rt: a JSON round trip
 * after every step. */
int agg_open(agg_t *g, const char *name, int argc, const arg_t *args, bool rt);
/* As agg_open(), for an input that is a table: the table form of the
 * variant when it has one (sl_func_bind_table()). */
int agg_open_table(agg_t *g, const char *name, int argc, const arg_t *args, bool rt);
/* Frees what agg_open() set up. */
void agg_close(agg_t *g);
/* The group's current result, rendered. */
const char *result(agg_t *g);
/* The accumulator, rendered. */
const char *state(agg_t *g);
/* The accumulator as JSON. */
const char *state_json(agg_t *g);
/* One row: vals[0..n), then the constant arguments.  Returns the result
 * rendered, or "ERROR: message" (the accumulator then stays as it was). */
const char *agg_step(agg_t *g, int n, const sl_value_t *vals, bool undo);
/* Merges other's accumulator into g's (a session window absorbing
 * another); returns the result rendered. */
const char *agg_merge(agg_t *g, agg_t *other);
/* The message of binding name to args, or "OK". */
const char *bind_msg(const char *name, int argc, const arg_t *args);

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
/* The same for an input that is a table. */
#define OPEN_TABLE(g, name, ...)                                                             \
	ck_assert_msg(agg_open_table((g), (name), NA(__VA_ARGS__), (arg_t[]){ __VA_ARGS__ }, \
				     false) == SL_OK,                                        \
		      "bind: %s", bind_err)
#define OPEN_TABLE_RT(g, name, ...)                                                          \
	ck_assert_msg(agg_open_table((g), (name), NA(__VA_ARGS__), (arg_t[]){ __VA_ARGS__ }, \
				     true) == SL_OK,                                         \
		      "bind: %s", bind_err)
#define ADD(g, ...) agg_step((g), NV(__VA_ARGS__), (sl_value_t[]){ __VA_ARGS__ }, false)
#define UNDO(g, ...) agg_step((g), NV(__VA_ARGS__), (sl_value_t[]){ __VA_ARGS__ }, true)
#define ADD0(g) agg_step((g), 0, NULL, false)
#define UNDO0(g) agg_step((g), 0, NULL, true)
#define EXPECT(expected, call) ck_assert_str_eq((call), (expected))
#define BIND_MSG(name, ...) bind_msg((name), NA(__VA_ARGS__), (arg_t[]){ __VA_ARGS__ })

#endif
