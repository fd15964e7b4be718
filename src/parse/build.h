/*
 * build.h: the constructors that grammar actions call (parser-internal).
 *
 * Stage: parse.  Each function builds one AST node (or decodes one token)
 * from the statement arena held in the parse context; none of them fails
 * except where it validates what the grammar cannot (then it records a
 * syntax error with a position in ctx and returns a harmless node).
 */
#ifndef SL_PARSE_BUILD_H
#define SL_PARSE_BUILD_H

#include <stdbool.h>

#include "parse/ast.h"
#include "parse/lexer.h"
#include "util/error.h"

/* Statements nested deeper than this are refused, so that the recursive
 * printer, comparator and analyzer stay within the C stack. */
#define SL_AST_MAX_DEPTH 400

typedef struct sl_parse_ctx {
	sl_arena_t *arena;
	const char *text;     /* the whole text being parsed */
	size_t len;
	sl_node_t *result;    /* the statement (or expression) parsed */
	sl_error_t *err;
	bool failed;          /* an error has been recorded */
} sl_parse_ctx_t;

/* Records a syntax error at offset (the first one wins). */
void sl_build_error(sl_parse_ctx_t *ctx, int offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A node of kind at loc with op, flags and nkids children given as
 * varargs (sl_node_t *, NULLs allowed). */
sl_node_t *sl_build(sl_parse_ctx_t *ctx, sl_node_kind_t kind, int loc, int op,
		    unsigned flags, int nkids, ...);

/* Sets child i of n (growing its depth). */
void sl_build_set(sl_node_t *n, int i, sl_node_t *kid);

/* Appends kid to a LIST (or a variable-arity node); a NULL list starts a
 * new LIST at kid's location. */
sl_node_t *sl_build_append(sl_parse_ctx_t *ctx, sl_node_t *list, sl_node_t *kid);

/* A new empty LIST at loc. */
sl_node_t *sl_build_list(sl_parse_ctx_t *ctx, int loc);

/* The normalized name of an identifier token: unquoted upper-cased,
 * quoted without its quotes and with doubled quotes undoubled. */
const char *sl_build_ident(sl_parse_ctx_t *ctx, const sl_token_t *t);

/* The value of a string literal token, quotes removed, '' undoubled. */
const char *sl_build_string(sl_parse_ctx_t *ctx, const sl_token_t *t);

/* The raw text of a token. */
const char *sl_build_text(sl_parse_ctx_t *ctx, const sl_token_t *t);

/* The name inside a ${name} token, upper-cased. */
const char *sl_build_varname(sl_parse_ctx_t *ctx, const sl_token_t *t);

/* Sets str of n from an identifier token, or a ${variable} token. */
sl_node_t *sl_build_name(sl_parse_ctx_t *ctx, sl_node_t *n, const sl_token_t *t);

/* Sets str2 likewise. */
sl_node_t *sl_build_name2(sl_parse_ctx_t *ctx, sl_node_t *n, const sl_token_t *t);

/* A NAME node from an identifier (or variable) token. */
sl_node_t *sl_build_name_node(sl_parse_ctx_t *ctx, const sl_token_t *t);

/* The statement kind of TERMINATE, PAUSE or RESUME token t. */
sl_node_kind_t sl_build_qctl_kind(const sl_token_t *t);

/* A PROPERTY named by identifier or string token t (names are
 * case-insensitive: upper-cased), with value v. */
sl_node_t *sl_build_property(sl_parse_ctx_t *ctx, const sl_token_t *t, sl_node_t *v);

/* A LITERAL of kind from token t (strings unescaped); neg prefixes '-'. */
sl_node_t *sl_build_literal(sl_parse_ctx_t *ctx, int kind, const sl_token_t *t,
			    bool neg);

/* A TYPE from a base type name (INT, VARCHAR, ...; other names are types
 * registered with CREATE TYPE). */
sl_node_t *sl_build_type_named(sl_parse_ctx_t *ctx, const sl_token_t *t);

/* A DURATION: number (possibly negative) and unit token. */
sl_node_t *sl_build_duration(sl_parse_ctx_t *ctx, sl_node_t *number,
			     const sl_token_t *unit);

/* A LAMBDA from its parameter expression (a column or a TUPLE of columns)
 * and body; rejects other parameter forms. */
sl_node_t *sl_build_lambda(sl_parse_ctx_t *ctx, sl_node_t *params, int loc,
			   sl_node_t *body);

/* Flattens a parenthesized GROUP BY / PARTITION BY list: a single TUPLE
 * item becomes the list of its elements. */
sl_node_t *sl_build_flatten(sl_parse_ctx_t *ctx, sl_node_t *list);

/* Checks a finished statement: no stray TUPLE, nesting within bounds. */
void sl_build_check(sl_parse_ctx_t *ctx, sl_node_t *stmt);

#endif
