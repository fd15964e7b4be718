/*
 * expr_int.h: the compiled expression tree, shared by compile.c (which
 * builds it), eval.c (which walks it) and func_registry.c (which resolves
 * calls for the compiler).  Private to src/expr.
 *
 * A compiled node has an operation, its result type, its children and an
 * operation-specific payload.  Operand types are settled at compile time:
 * the compiler inserts SL_X_CAST nodes so that, e.g., both sides of a
 * comparison or an arithmetic operation have the same type, and the
 * evaluator switches on that type without looking further.
 */
#ifndef SL_EXPR_EXPR_INT_H
#define SL_EXPR_EXPR_INT_H

#include <stdint.h>

#include "expr/expr.h"

typedef enum sl_xop {
	SL_X_CONST = 1, /* u.konst */
	SL_X_COLUMN,    /* u.col: index in the row */
	SL_X_LPARAM,    /* u.lp: a lambda parameter */
	SL_X_NEG,       /* kids[0], numeric */
	SL_X_ARITH,     /* sub = SL_OP_ADD..MOD; kids of e->type (DECIMAL: any scale) */
	SL_X_CONCAT,    /* STRING || STRING, BYTES || BYTES */
	SL_X_CMP,       /* sub = SL_OP_EQ..GE; both kids of one type */
	SL_X_AND,
	SL_X_OR,
	SL_X_NOT,
	SL_X_IS_NULL,  /* flags SL_XF_NOT */
	SL_X_DISTINCT, /* flags SL_XF_NOT (IS NOT DISTINCT FROM) */
	SL_X_BETWEEN,  /* flags SL_XF_NOT; value, low, high of one type */
	SL_X_IN,       /* flags SL_XF_NOT; kids[0] value, kids[1..] list, one type */
	SL_X_LIKE,     /* flags SL_XF_NOT; value, pattern; u.esc */
	SL_X_CASE,     /* flags SL_XF_SIMPLE: kids[0] operand; then (when, then)
			   * pairs; u.has_else: last kid is ELSE */
	SL_X_CAST,     /* kids[0]; u.from: its type; to: e->type */
	SL_X_ARRAY,    /* kids: elements */
	SL_X_MAP,      /* kids: key, value, key, value ... */
	SL_X_STRUCT,   /* kids: fields in the order of e->type */
	SL_X_INDEX,    /* array[int] */
	SL_X_MAPGET,   /* map[key] */
	SL_X_FIELD,    /* struct->field: u.field */
	SL_X_CALL,     /* u.call; kids: arguments (lambdas as SL_X_LAMBDA) */
	SL_X_LAMBDA,   /* kids[0] = body; u.nparams; evaluated only through
			   * sl_fcall_lambda() */
} sl_xop_t;

enum {
	SL_XF_NOT = 1u << 0,
	SL_XF_SIMPLE = 1u << 1,
	SL_XF_HASCOL = 1u << 2,   /* subtree reads a column or calls a volatile function */
	SL_XF_HASPARAM = 1u << 3, /* subtree reads a lambda parameter */
	SL_XF_NULLCALL = 1u << 4, /* SL_X_CALL: SL_FV_NULL_CALL */
};

/* A per-call-site state destructor, run by sl_expr_destroy(). */
typedef struct sl_xdtor {
	struct sl_xdtor *next;
	void (*fn)(void *state);
	void *state;
} sl_xdtor_t;

struct sl_expr {
	uint8_t op;     /* sl_xop_t */
	uint8_t sub;    /* SL_OP_* for ARITH / CMP */
	uint16_t flags; /* SL_XF_* */
	int nkids;
	int loc; /* offset in the SQL text, for messages */
	const sl_type_t *type;
	struct sl_expr **kids;
	sl_xdtor_t *dtors; /* root only */
	union {
		sl_value_t konst;
		int col;
		struct {
			int depth; /* 0: the innermost enclosing lambda */
			int index;
		} lp;
		int esc; /* LIKE: escape byte, -1 for none */
		const sl_type_t *from;
		int field;
		int nparams;
		int has_else;
		struct {
			const sl_func_t *func;
			sl_func_fn fn;
			void *state;
			const sl_type_t **argt;
		} call;
	} u;
};

/* A lambda-parameter frame on the evaluator's stack (ctx->frame). */
typedef struct sl_lframe {
	const struct sl_lframe *up;
	const sl_value_t *args;
} sl_lframe_t;

/* Evaluates e without the top-level error bookkeeping (eval.c). */
int sl_expr_eval_node(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out);

/* How the registry asks the compiler to type a lambda argument: the
 * compiler stores this in sl_fresolve_t.priv->lambda. */
typedef int (*sl_lambda_typer_fn)(void *cctx, int argi, int nparams, const sl_type_t *const *ptypes,
				  const sl_type_t **body);

/*
 * Resolves a call for the compiler (func_registry.c): r is filled in by
 * the caller except priv/ret/state; typer/cctx type lambda arguments;
 * err receives compile errors.  On success r->variant, r->argt, r->ret,
 * r->state, r->destroy describe the chosen variant.
 */
int sl_func_resolve_call(sl_fresolve_t *r, sl_lambda_typer_fn typer, void *cctx, sl_error_t *err);

#endif
