/*
 * expr.h: compiled expressions: typing an expression AST and evaluating it
 * against rows.
 *
 * Stage: expr.  The analyzer hands sl_expr_compile() an expression AST
 * (parse/ast.h) and a scope (the columns visible to it); the compiler
 * resolves names to row indexes, types every node (inserting the implicit
 * casts of cast.h), resolves function calls against the registry
 * (func.h), folds constant subexpressions and builds a compact tree.  The
 * executor evaluates that tree per record with sl_expr_eval(): no malloc,
 * results in the batch arena.
 *
 * A compiled expression is read-only: several threads may evaluate it at
 * once, each with its own sl_eval_ctx_t.  It lives in the arena given to
 * the compiler; if any function call in it has per-call-site state with a
 * destructor, sl_expr_destroy() must be called before that arena goes.
 *
 * Errors at compile time carry the offending node's offset (sl_error_at).
 * Runtime errors follow ksqlDB, which wraps every function call:
 *   - a failure inside a function call (the function's own error, or one
 *     in evaluating its arguments) makes that call's value NULL, and
 *     evaluation goes on (IFNULL(PARSE_DATE('x', ...), d) is d);
 *   - any other failure (a CAST that does not parse, division by zero, a
 *     decimal overflow) makes the value of the whole expression NULL:
 *     sl_expr_eval() stores NULL in *out and returns the error code.
 * Either way ctx->errors goes up by one per failure and ctx->err describes
 * the latest (no position); so the caller logs when ctx->errors changed
 * across an evaluation (the executor writes the processing log; a filter
 * that failed drops the row).
 */
#ifndef SL_EXPR_EXPR_H
#define SL_EXPR_EXPR_H

#include <stdbool.h>

#include "expr/func.h"
#include "expr/type.h"
#include "expr/value.h"
#include "parse/ast.h"
#include "util/arena.h"
#include "util/error.h"

typedef struct sl_expr sl_expr_t;

/* One visible column. */
typedef struct sl_scope_col {
	const char *name;      /* normalized (unquoted names upper-cased) */
	const char *qualifier; /* the source's alias or name, or NULL */
	const sl_type_t *type;
	int index; /* index of its value in the row */
} sl_scope_col_t;

/*
 * The names an expression may use: the columns of its input row.  The
 * caller adds pseudo-columns (ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART,
 * WINDOWEND) as ordinary entries.  An unqualified name must match exactly
 * one column; a qualified one (q.col) the column of that qualifier.
 */
typedef struct sl_scope {
	const sl_scope_col_t *cols;
	int ncols;
	sl_type_lookup_fn lookup_type; /* for CAST(x AS named_type); may be NULL */
	void *lookup_ud;
} sl_scope_t;

/* Per-evaluation context, owned by the caller (one per thread). */
typedef struct sl_eval_ctx {
	const sl_value_t *row; /* the input row, indexed by sl_scope_col_t.index */
	sl_arena_t *arena;     /* results (strings, lists): the batch arena */
	sl_error_t *err;       /* the latest runtime error; may be NULL */
	int errors;            /* runtime errors so far (never reset by eval) */
	const void *frame;     /* evaluator-internal (lambda parameters): NULL */
} sl_eval_ctx_t;

/*
 * Compiles ast against scope and reg into *out, allocated in a (types too).
 * a, reg and the types of the scope's columns must outlive the expression;
 * the AST, the scope array and its names need not.  Returns SL_OK, or
 * SL_EINVAL (unknown or ambiguous column, type error, unknown function,
 * ${variable} not substituted, bad literal) with err set at the offending
 * node.  Aggregate and table functions are rejected here: the analyzer
 * plans them (sl_func_bind) and passes their results as columns.
 */
int sl_expr_compile(const sl_node_t *ast, const sl_scope_t *scope, const sl_func_registry_t *reg,
		    sl_arena_t *a, sl_expr_t **out, sl_error_t *err);

/* The type of the expression's value (SL_T_NULL for a bare NULL). */
const sl_type_t *sl_expr_type(const sl_expr_t *e);

/* True when the expression uses no column and no volatile function. */
bool sl_expr_is_constant(const sl_expr_t *e);

/*
 * Evaluates e against ctx->row into *out.  Payloads of *out point into the
 * row, the compiled expression or ctx->arena.  Clears ctx->err first.
 * Returns SL_OK (ctx->errors may still have grown: a call failed and was
 * taken as NULL), or an error code with *out NULL (see above).
 */
int sl_expr_eval(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out);

/*
 * Evaluates a constant expression (sl_expr_is_constant()) with no row, for
 * INSERT VALUES and literals in statements; results go to a.  Returns as
 * sl_expr_eval().
 */
int sl_expr_eval_constant(const sl_expr_t *e, sl_arena_t *a, sl_value_t *out, sl_error_t *err);

/* Evaluates a predicate: *out is true only when the value is TRUE (FALSE
 * and NULL are false).  Returns as sl_expr_eval() (with *out false). */
int sl_expr_eval_bool(const sl_expr_t *e, sl_eval_ctx_t *ctx, bool *out);

/* Runs the destructors of per-call-site function state; the expression
 * must not be evaluated afterwards.  e may be NULL. */
void sl_expr_destroy(sl_expr_t *e);

/*
 * Convenience for analyzers and tests: compiles and evaluates the
 * constant expression ast (no columns) into *out, allocated in a.
 */
int sl_expr_constant_value(const sl_node_t *ast, const sl_func_registry_t *reg, sl_arena_t *a,
			   const sl_type_t **type, sl_value_t *out, sl_error_t *err);

#endif
