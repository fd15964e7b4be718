/*
 * func.h: the function registry (scalar, aggregate and table functions).
 *
 * Stage: expr.  One registry holds every function the SQL dialect knows;
 * the expression compiler (compile.c) resolves calls against it, SHOW
 * FUNCTIONS and DESCRIBE FUNCTION list it, the analyzer looks up aggregates
 * and table functions in it.  The library files src/expr/fn_*.c each hold a
 * static table of definitions and one registration function that
 * sl_func_register_all() calls.
 *
 * Defining a function.  A definition (sl_func_def_t) names the function and
 * lists its variants (overloads).  A variant gives its parameters and return
 * type as text, which the registry parses once at registration:
 *
 *     static const sl_func_def_t defs[] = {
 *         { .name = "SUBSTRING", .category = "STRING",
 *           .description = "Returns the portion of str from pos ...",
 *           .variants = (const sl_func_variant_t[]){
 *               SL_FV("str VARCHAR, pos INT", "VARCHAR", substr2),
 *               SL_FV("str VARCHAR, pos INT, len INT", "VARCHAR", substr3),
 *               { 0 } } },
 *         { .name = "ARRAY_MAX", .category = "ARRAY", .description = "...",
 *           .variants = (const sl_func_variant_t[]){
 *               SL_FV("array ARRAY<T>", "T", array_max), { 0 } } },
 *         { .name = "TRANSFORM", .category = "LAMBDA", .description = "...",
 *           .variants = (const sl_func_variant_t[]){
 *               SL_FV("array ARRAY<T>, fn LAMBDA<T, U>", "ARRAY<U>", transform),
 *               { 0 } } },
 *         { .name = "COALESCE", .category = "NULLS", .description = "...",
 *           .variants = (const sl_func_variant_t[]){
 *               SL_FV("first T, others T...", "T", coalesce,
 *                     .flags = SL_FV_NULL_CALL),
 *               { 0 } } },
 *         { 0 } };
 *     void sl_fn_collections_register(sl_func_registry_t *reg)
 *     { sl_func_register_defs(reg, defs); }
 *
 * Signature text (params: comma-separated "name TYPE", the name optional;
 * ret: one TYPE):
 *     BOOLEAN INT (= INTEGER) BIGINT DOUBLE STRING (= VARCHAR) BYTES
 *     TIMESTAMP DATE TIME
 *     DECIMAL          any DECIMAL(p, s); INT and BIGINT arguments are
 *                      widened to DECIMAL(10, 0) / DECIMAL(19, 0).  As a
 *                      return type it needs a resolve hook (the hook sets
 *                      r->ret; the text is only for DESCRIBE FUNCTION)
 *     ARRAY<t> MAP<k, v>
 *     STRUCT           any STRUCT
 *     ANY              any type, no binding
 *     T U V K E K2 ... a type variable: an upper-case letter, optionally
 *                      followed by digits;
 *                      bound by the first argument it matches, widened by
 *                      later numeric ones (INT then BIGINT binds BIGINT)
 *     LAMBDA<a1, ..., an, r>
 *                      a lambda argument "(x1, ..., xn) => body": the body is
 *                      typed with xi : ai (ai must be bound by earlier
 *                      non-lambda parameters), then r is matched against the
 *                      body's type
 *     INTERVALUNIT     a time-unit keyword argument (SECONDS, DAYS ...); the
 *                      implementation receives it as a STRING holding the
 *                      keyword as written, upper-cased
 *     t...             (last parameter only) zero or more arguments of t
 * A NULL literal argument matches any parameter; for DECIMAL, STRUCT and
 * ANY parameters its bound type stays SL_T_NULL (hooks must allow it).
 *
 * Resolution.  For a call f(a1..an) the compiler types the arguments, then
 * matches each variant: arity, then each parameter against its argument.
 * An argument matches exactly, or by implicit widening INT -> BIGINT ->
 * DECIMAL -> DOUBLE (never from or to STRING), or as a NULL literal (any
 * type).  The variant with the fewest widenings wins; ties go to the one
 * declared first.  The compiler then inserts casts so that the
 * implementation receives exactly the declared (bound) parameter types.
 * If no variant matches the error reads
 *     function "SUBSTRING" does not accept parameters (STRING, INTEGER, STRING)
 * A variant may add a resolve hook: it runs after a successful match (or,
 * when params is NULL, instead of matching) and may reject the call
 * (SL_ENOTFOUND: try the next variant), fail with a message
 * (sl_fresolve_error), set r->ret, or change r->argt[i] to ask for a cast.
 *
 * Calling.  An implementation computes one result:
 *     int fn(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
 * It returns SL_OK with *out set (a SQL NULL is fine), or the code returned
 * by sl_fcall_error() after describing a runtime failure.  Results that
 * need memory (strings, lists) are allocated in call->arena (the batch
 * arena: no malloc per record); argument payloads may be returned as they
 * are (they outlive the call).  Unless the variant has SL_FV_NULL_CALL, a
 * call with any NULL argument yields NULL without calling fn.  A runtime
 * error makes the value of that call NULL and evaluation goes on (as in
 * ksqlDB: IFNULL(PARSE_DATE('x', 'yyyy'), d) gives d); the error is
 * counted and described in the evaluation context (see expr.h), and the
 * executor writes it to the processing log.  Implementations run on the
 * query's thread; they must not keep pointers to arguments or results
 * across calls.
 *
 * Per-call-site state.  An init hook runs once when the call is compiled,
 * with the constant arguments (r->constv) known; it may build something
 * reusable (a compiled regular expression, a parsed format) into r->state,
 * allocated in r->arena or on the heap with r->destroy set to free it
 * (sl_expr_destroy() runs it).  The implementation reads it as call->state;
 * it is read-only while evaluating (the same compiled expression may be
 * evaluated by more than one thread).  When the arguments it needs are
 * not constant, call->state is NULL and fn must manage without it.  An
 * init hook may reject a bad constant argument at compile time with
 * sl_fresolve_error() / sl_fresolve_error_arg().
 *
 * Table functions (kind SL_FUNC_TABLE, e.g. EXPLODE) have the same
 * implementation signature; the return type of the variant is the type of
 * one output row value, and fn sets *out to an ARRAY of those values (NULL
 * or an empty array: no rows).
 *
 * Aggregates (kind SL_FUNC_AGGREGATE) give ops (sl_agg_ops_t) in place of
 * fn: the accumulator is an ordinary value of r->state_type (set by the
 * resolve hook; default: the return type), so that it can be stored and
 * serialized like any column.  Aggregating a table needs an undo op; a
 * variant whose cheap accumulator cannot undo (MAX keeps one value) may
 * name a table form, bound in its place for a table input: a variant
 * that is not registered (never matched, not listed), with the same
 * arguments and result, its own ops and its own state type.
 */
#ifndef SL_EXPR_FUNC_H
#define SL_EXPR_FUNC_H

#include <stdbool.h>

#include "expr/type.h"
#include "expr/value.h"
#include "util/arena.h"
#include "util/error.h"

typedef struct sl_func_registry sl_func_registry_t;
typedef struct sl_func sl_func_t;
typedef struct sl_func_variant sl_func_variant_t;
typedef struct sl_fcall sl_fcall_t;
typedef struct sl_fresolve sl_fresolve_t;
typedef struct sl_agg_ops sl_agg_ops_t;

struct sl_eval_ctx; /* expr.h */
struct sl_expr;     /* expr.h */

typedef enum sl_func_kind {
	SL_FUNC_SCALAR = 1,
	SL_FUNC_AGGREGATE,
	SL_FUNC_TABLE,
} sl_func_kind_t;

/* Variant flags. */
enum {
	/* fn is called even when an argument is NULL (COALESCE, CONCAT ...);
	 * without it any NULL argument gives NULL and fn is not called. */
	SL_FV_NULL_CALL = 1u << 0,
	/* The result may differ between calls with the same arguments
	 * (RANDOM, UNIX_TIMESTAMP()): never constant-folded. */
	SL_FV_VOLATILE = 1u << 1,
};

/* What an argument is, syntactically. */
typedef enum sl_farg_kind {
	SL_FARG_VALUE = 0, /* an ordinary expression */
	SL_FARG_LAMBDA,    /* x => body, (x, y) => body */
	SL_FARG_TIME_UNIT, /* a time-unit keyword (SECONDS ...) */
} sl_farg_kind_t;

typedef int (*sl_func_fn)(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out);
typedef int (*sl_func_resolve_fn)(sl_fresolve_t *r);

/*
 * One variant (overload).  Written in static tables with SL_FV() below;
 * the registry keeps pointers to it (it must outlive the registry).
 */
struct sl_func_variant {
	/* "str VARCHAR, pos INT"; "" for none; NULL when resolve decides */
	const char *params;
	/* "VARCHAR", "T", "ARRAY<U>" (also shown by DESCRIBE FUNCTION) */
	const char *ret;
	sl_func_fn fn;              /* scalar and table functions */
	sl_func_resolve_fn resolve; /* optional, see above */
	sl_func_resolve_fn init;    /* optional: build r->state after resolution */
	const sl_agg_ops_t *agg;    /* aggregates */
	unsigned flags;             /* SL_FV_* */
	const char *description;    /* optional, this variant only */
	/* aggregates whose ops cannot undo: the form bound instead when the
	 * input is a table (see sl_func_bind_table()), or NULL */
	const sl_func_variant_t *table;
};

/*
 * A variant in a static table: SL_FV(params, ret, fn) plus any other
 * members as designated initializers (.resolve = ..., .init = ...,
 * .flags = ..., .description = ...).  Designated, so that -Wextra does not
 * warn about the members left out.
 */
#define SL_FV(params_, ret_, fn_, ...)                                       \
	{                                                                    \
		.params = (params_), .ret = (ret_), .fn = (fn_), __VA_ARGS__ \
	}

/* A function definition: static, outlives the registry. */
typedef struct sl_func_def {
	const char *name; /* upper-case */
	/* "STRING", "MATHEMATICAL", "DATE / TIME", "JSON", "ARRAY", "MAP",
	 * "LAMBDA", "URL", "CONVERSIONS", "NULLS", "OTHER", "AGGREGATE",
	 * "TABLE" */
	const char *category;
	const char *description;
	sl_func_kind_t kind;               /* 0 means SL_FUNC_SCALAR */
	const sl_func_variant_t *variants; /* ends with an all-zero entry */
} sl_func_def_t;

/* A registered function, as SHOW FUNCTIONS / DESCRIBE FUNCTION read it.
 * Read-only; lives as long as the registry. */
struct sl_func {
	const char *name;
	const char *category;
	const char *description;
	sl_func_kind_t kind;
	int nvariants;
	const sl_func_variant_t **variants;
	/* Per variant: "SUBSTRING(str VARCHAR, pos INT, len INT)" and the
	 * return type text "VARCHAR". */
	const char **signatures;
	const char **returns;
	void *priv; /* parsed signatures; registry-internal */
};

/* ---- registry ---------------------------------------------------------- */

/* An empty registry; sl_func_registry_destroy() frees it. */
sl_func_registry_t *sl_func_registry_create(void);
void sl_func_registry_destroy(sl_func_registry_t *reg);

/*
 * Adds def (not copied: it must outlive reg).  A name registered twice gets
 * the new variants appended (the first definition's category and
 * description stay).  A malformed signature is a programming error: it is
 * reported in err and SL_EINVAL returned.
 */
int sl_func_register(sl_func_registry_t *reg, const sl_func_def_t *def, sl_error_t *err);

/* Registers a table of definitions ending with an all-zero entry; aborts
 * with a message on stderr on a malformed signature (caught by any test
 * that builds the registry). */
void sl_func_register_defs(sl_func_registry_t *reg, const sl_func_def_t *defs);

/* Registers every built-in function: calls each sl_fn_*_register() below. */
void sl_func_register_all(sl_func_registry_t *reg);

/* The library files' registration functions (src/expr/fn_*.c). */
void sl_fn_string_register(sl_func_registry_t *reg);
void sl_fn_math_register(sl_func_registry_t *reg);
void sl_fn_datetime_register(sl_func_registry_t *reg);
void sl_fn_json_register(sl_func_registry_t *reg);
void sl_fn_collections_register(sl_func_registry_t *reg);
void sl_fn_lambda_register(sl_func_registry_t *reg);
void sl_fn_url_register(sl_func_registry_t *reg);
void sl_fn_bytes_register(sl_func_registry_t *reg);
void sl_fn_regexp_register(sl_func_registry_t *reg);
void sl_fn_nulls_register(sl_func_registry_t *reg);
void sl_fn_table_register(sl_func_registry_t *reg);
void sl_fn_misc_register(sl_func_registry_t *reg);
void sl_fn_aggregate_register(sl_func_registry_t *reg);

/* The function called name (case-insensitive), or NULL. */
const sl_func_t *sl_func_lookup(const sl_func_registry_t *reg, const char *name);

/* Functions in name order, for SHOW FUNCTIONS: i in [0, sl_func_count()). */
int sl_func_count(const sl_func_registry_t *reg);
const sl_func_t *sl_func_at(const sl_func_registry_t *reg, int i);

/* "SCALAR", "AGGREGATE", "TABLE". */
const char *sl_func_kind_name(sl_func_kind_t kind);

/* ---- resolution -------------------------------------------------------- */

/*
 * The state of resolving one call, handed to resolve and init hooks.
 * Fields marked "in" are read-only for hooks.
 */
struct sl_fresolve {
	const sl_func_t *func;            /* in */
	const sl_func_variant_t *variant; /* in: the variant being tried */
	int argc;                         /* in */
	const sl_farg_kind_t *argkind;    /* in: per argument */
	/* in/out: per argument, its type (the type of the NULL literal:
	 * SL_T_NULL; a lambda: NULL).  After matching, the bound parameter
	 * type; a hook may set another type to have the argument cast to it
	 * (any cast sl_cast_allowed() accepts). */
	const sl_type_t **argt;
	/* in: per argument, its own type, as argt was before matching */
	const sl_type_t *const *origt;
	/* in: per argument, its value when it is a constant expression
	 * (allocated in arena), else NULL.  Type variables bound by
	 * matching: sl_fresolve_binding(). */
	const sl_value_t **constv;
	/* in: for types and state; lives as long as the compiled expression */
	sl_arena_t *arena;
	int loc;                      /* in: offset of the call */
	const int *argloc;            /* in: per argument, its offset (-1 unknown); may be NULL */
	const sl_type_t *ret;         /* out: the return type */
	const sl_type_t *state_type;  /* out (aggregates): accumulator type; default ret */
	void *state;                  /* out (init): call->state */
	void (*destroy)(void *state); /* out (init): frees state */
	void *priv;                   /* compiler-internal */
};

/* The type bound to the type variable var ("T") by matching, or NULL. */
const sl_type_t *sl_fresolve_binding(const sl_fresolve_t *r, const char *var);

/*
 * Types the lambda argument argi with nparams parameters of the given
 * types; *body receives the type of its body.  Returns SL_OK, SL_ENOTFOUND
 * when argument argi is not a lambda of nparams parameters (nothing is
 * recorded), or another error from compiling the body (recorded in the
 * compile error: return it).  May be called more than once for the same
 * argument; the last typing is the one compiled.
 */
int sl_fresolve_lambda(sl_fresolve_t *r, int argi, int nparams, const sl_type_t *const *ptypes,
		       const sl_type_t **body);

/* Records a compile-time error at the call (printf-style) and returns
 * SL_EINVAL, for hooks: return its result. */
int sl_fresolve_error(sl_fresolve_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* As sl_fresolve_error() at argument argi's position. */
int sl_fresolve_error_arg(sl_fresolve_t *r, int argi, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The result of resolving a call with known argument types: the analyzer
 * uses it for aggregates and table functions, whose calls it plans itself.
 * Lives in the arena given to sl_func_bind().
 */
typedef struct sl_func_binding {
	const sl_func_t *func;
	const sl_func_variant_t *variant;
	int argc;
	const sl_type_t **argt; /* the types the arguments must be cast to */
	const sl_type_t *ret;
	const sl_type_t *state_type;
	void *state; /* from the init hook */
	void (*destroy)(void *state);
} sl_func_binding_t;

/*
 * Resolves func applied to arguments of types argt[0..argc) (constv: their
 * values when constant, or NULL for none), for calls without lambda
 * arguments.  On success fills *out (allocated in a) and returns SL_OK;
 * otherwise returns SL_EINVAL with err describing it at offset loc.
 */
int sl_func_bind(const sl_func_t *func, int argc, const sl_type_t *const *argt,
		 const sl_value_t *const *constv, sl_arena_t *a, int loc, sl_func_binding_t *out,
		 sl_error_t *err);

/*
 * Switches the aggregate binding b, whose input is a table, to the table
 * form of its variant (variant->table; nothing changes when there is
 * none).  The arguments, the result and the init hook's state stay; the
 * table form's resolve hook, if any, sets the state type from r->argt and
 * r->ret (it sees no constant values).  Returns SL_OK, or the hook's
 * error, described in err at offset loc.  Allocates in a.
 */
int sl_func_bind_table(sl_func_binding_t *b, sl_arena_t *a, int loc, sl_error_t *err);

/* ---- calling ----------------------------------------------------------- */

/*
 * What an implementation gets besides its arguments.  Built by the
 * evaluator for each call; read-only for the implementation.  Code that
 * calls an implementation directly (the executor, for aggregates and
 * table functions) fills it from the sl_func_binding_t, with ctx its
 * evaluation context (errors go to ctx->err) and site NULL (no lambdas).
 */
struct sl_fcall {
	sl_arena_t *arena; /* for results: the batch arena */
	int argc;
	const sl_type_t *const *argt; /* argument types (as bound) */
	const sl_type_t *ret;         /* the return type */
	void *state;                  /* from the init hook, or NULL */
	const sl_func_t *func;
	struct sl_eval_ctx *ctx;    /* where errors go (ctx->err) */
	const struct sl_expr *site; /* the call site (lambdas); NULL outside eval */
	/* aggregates: a number that grows with every input record of the
	 * query, across restarts (EARLIEST_BY_OFFSET / LATEST_BY_OFFSET order
	 * by it); 0 elsewhere */
	int64_t seq;
};

/*
 * Evaluates lambda argument argi with its parameters bound to args[0..nargs)
 * (nargs must be its arity) and stores the body's value in *out.  Returns
 * SL_OK or the error of the body's evaluation, which the implementation
 * must return unchanged.  Re-entrant: lambdas may call lambdas.
 */
int sl_fcall_lambda(sl_fcall_t *call, int argi, const sl_value_t *args, int nargs, sl_value_t *out);

/* Records a runtime error of the call (printf-style; the function's name
 * is prefixed) and returns SL_EINVAL: return its result. */
int sl_fcall_error(sl_fcall_t *call, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- aggregates -------------------------------------------------------- */

/*
 * An aggregate's operations over its accumulator (a value of the binding's
 * state_type).  call->arena is where new accumulator payloads go; the
 * executor copies accumulators it keeps beyond the batch.  Each returns
 * SL_OK or an error from sl_fcall_error().
 */
struct sl_agg_ops {
	/* The accumulator of an empty group. */
	int (*init)(sl_fcall_t *call, sl_value_t *acc);
	/* Adds one row's arguments. */
	int (*add)(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc);
	/* Removes one row's arguments (table aggregation); NULL when the
	 * aggregate cannot undo. */
	int (*undo)(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *acc);
	/* Merges other into acc (session windows); NULL when unsupported. */
	int (*merge)(sl_fcall_t *call, const sl_value_t *other, sl_value_t *acc);
	/* The result of the group; NULL means the accumulator itself. */
	int (*result)(sl_fcall_t *call, const sl_value_t *acc, sl_value_t *out);
};

#endif
