/*
 * build.c: AST constructors called by the grammar actions (see build.h).
 *
 * Stage: parse.  Decodes token text (identifier normalization, string
 * unescaping) and assembles nodes in the statement arena.
 */
#include "parse/build.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void
sl_build_error(sl_parse_ctx_t *ctx, int offset, const char *fmt, ...)
{
	va_list ap;

	if (ctx->failed)
		return;
	ctx->failed = true;
	if (ctx->err == NULL)
		return;
	ctx->err->code = SL_ESYNTAX;
	ctx->err->offset = offset;
	ctx->err->line = ctx->err->col = 0;
	va_start(ap, fmt);
	vsnprintf(ctx->err->msg, sizeof(ctx->err->msg), fmt, ap);
	va_end(ap);
}

void
sl_build_set(sl_node_t *n, int i, sl_node_t *kid)
{
	n->kids[i] = kid;
	if (kid != NULL && kid->depth + 1 > n->depth)
		n->depth = kid->depth + 1;
}

/* True for a comparison or another predicate (BETWEEN, IN, LIKE, IS ...). */
static bool
is_predicate(const sl_node_t *n)
{
	if (n == NULL || (n->flags & SL_F_PAREN))
		return false;
	switch (n->kind) {
	case SL_N_BINARY:
		return n->op >= SL_OP_EQ && n->op <= SL_OP_GE;
	case SL_N_BETWEEN:
	case SL_N_IN:
	case SL_N_LIKE:
	case SL_N_IS_NULL:
	case SL_N_DISTINCT_FROM:
		return true;
	default:
		return false;
	}
}

sl_node_t *
sl_build(sl_parse_ctx_t *ctx, sl_node_kind_t kind, int loc, int op,
	 unsigned flags, int nkids, ...)
{
	sl_node_t *n = sl_ast_new(ctx->arena, kind, loc, nkids);
	va_list ap;

	n->op = op;
	n->flags = flags;
	va_start(ap, nkids);
	for (int i = 0; i < nkids; i++)
		sl_build_set(n, i, va_arg(ap, sl_node_t *));
	va_end(ap);
	/* comparisons do not chain (a = b = c), as in ksqlDB and SQL: lemon's
	 * %nonassoc cannot refuse it where a state reduces by default */
	if (is_predicate(n)) {
		const sl_node_t *side = is_predicate(n->kids[0]) ? n->kids[0] :
					(kind == SL_N_BINARY && is_predicate(n->kids[1])) ?
					n->kids[1] : NULL;
		if (side != NULL)
			sl_build_error(ctx, loc, "comparisons cannot be chained: add parentheses");
	}
	return n;
}

sl_node_t *
sl_build_list(sl_parse_ctx_t *ctx, int loc)
{
	return sl_ast_new(ctx->arena, SL_N_LIST, loc, 0);
}

sl_node_t *
sl_build_append(sl_parse_ctx_t *ctx, sl_node_t *list, sl_node_t *kid)
{
	if (list == NULL)
		list = sl_build_list(ctx, kid != NULL ? kid->loc : -1);
	return sl_ast_append(ctx->arena, list, kid);
}

const char *
sl_build_text(sl_parse_ctx_t *ctx, const sl_token_t *t)
{
	return sl_arena_strndup(ctx->arena, ctx->text + t->offset, (size_t)t->len);
}

/* Copies text between the quotes q, undoubling each doubled q. */
static const char *
unquote(sl_parse_ctx_t *ctx, const sl_token_t *t)
{
	const char *s = ctx->text + t->offset;
	int len = t->len;
	char q = s[0];
	char *out = sl_arena_alloc(ctx->arena, (size_t)len);
	int j = 0;

	for (int i = 1; i < len - 1; i++) {
		out[j++] = s[i];
		if (s[i] == q)
			i++; /* a doubled quote stands for one */
	}
	out[j] = '\0';
	return out;
}

const char *
sl_build_ident(sl_parse_ctx_t *ctx, const sl_token_t *t)
{
	if (t->quoted) {
		const char *name = unquote(ctx, t);
		if (name[0] == '\0')
			sl_build_error(ctx, t->offset, "zero-length quoted identifier");
		return name;
	}
	char *out = sl_arena_strndup(ctx->arena, ctx->text + t->offset, (size_t)t->len);
	for (char *p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return out;
}

const char *
sl_build_string(sl_parse_ctx_t *ctx, const sl_token_t *t)
{
	return unquote(ctx, t);
}

const char *
sl_build_varname(sl_parse_ctx_t *ctx, const sl_token_t *t)
{
	/* "${" name "}" */
	char *out = sl_arena_strndup(ctx->arena, ctx->text + t->offset + 2,
				     (size_t)t->len - 3);
	for (char *p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return out;
}

sl_node_t *
sl_build_name(sl_parse_ctx_t *ctx, sl_node_t *n, const sl_token_t *t)
{
	if (t->type == TK_VARIABLE) {
		n->str = sl_build_varname(ctx, t);
		n->flags |= SL_F_VAR;
	} else if (t->type == TK_STRING) {
		n->str = sl_build_string(ctx, t);
		n->flags |= SL_F_QUOTED;
	} else {
		n->str = sl_build_ident(ctx, t);
	}
	n->str_loc = t->offset;
	return n;
}

sl_node_t *
sl_build_name2(sl_parse_ctx_t *ctx, sl_node_t *n, const sl_token_t *t)
{
	if (t->type == TK_VARIABLE) {
		n->str2 = sl_build_varname(ctx, t);
		n->flags |= SL_F_VAR2;
	} else if (t->type == TK_STRING) {
		n->str2 = sl_build_string(ctx, t);
	} else {
		n->str2 = sl_build_ident(ctx, t);
	}
	return n;
}

sl_node_t *
sl_build_name_node(sl_parse_ctx_t *ctx, const sl_token_t *t)
{
	return sl_build_name(ctx, sl_ast_new(ctx->arena, SL_N_NAME, t->offset, 0), t);
}

sl_node_kind_t
sl_build_qctl_kind(const sl_token_t *t)
{
	return t->type == TK_TERMINATE ? SL_N_TERMINATE :
	       t->type == TK_PAUSE ? SL_N_PAUSE : SL_N_RESUME;
}

sl_node_t *
sl_build_property(sl_parse_ctx_t *ctx, const sl_token_t *t, sl_node_t *v)
{
	sl_node_t *n = sl_build(ctx, SL_N_PROPERTY, t->offset, 0, 0, 1, v);
	char *name;

	sl_build_name(ctx, n, t);
	name = sl_arena_strdup(ctx->arena, n->str);
	for (char *p = name; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	n->str = name;
	return n;
}

sl_node_t *
sl_build_literal(sl_parse_ctx_t *ctx, int kind, const sl_token_t *t, bool neg)
{
	sl_node_t *n = sl_ast_new(ctx->arena, SL_N_LITERAL, neg ? t->offset - 1 : t->offset, 0);

	n->op = kind;
	n->str_loc = t->offset;
	switch (kind) {
	case SL_LIT_NULL:
		n->str = "NULL";
		break;
	case SL_LIT_BOOLEAN:
		n->str = (ctx->text[t->offset] == 't' || ctx->text[t->offset] == 'T') ?
			"TRUE" : "FALSE";
		break;
	case SL_LIT_STRING:
		n->str = sl_build_string(ctx, t);
		break;
	default: {
		/* numbers keep their spelling; the exponent marker is upper-cased
		 * so that 1e3 and 1E3 are one literal */
		char *s = sl_arena_alloc(ctx->arena, (size_t)t->len + 2);
		int j = 0;
		if (neg)
			s[j++] = '-';
		for (int i = 0; i < t->len; i++)
			s[j++] = (char)toupper((unsigned char)ctx->text[t->offset + i]);
		s[j] = '\0';
		n->str = s;
		break;
	}
	}
	return n;
}

static const struct {
	const char *name;
	sl_type_kind_t kind;
} base_types[] = {
	{"BOOLEAN", SL_TYPE_BOOLEAN}, {"INT", SL_TYPE_INT},
	{"INTEGER", SL_TYPE_INT},     {"BIGINT", SL_TYPE_BIGINT},
	{"DOUBLE", SL_TYPE_DOUBLE},   {"STRING", SL_TYPE_STRING},
	{"VARCHAR", SL_TYPE_STRING},  {"BYTES", SL_TYPE_BYTES},
	{"TIMESTAMP", SL_TYPE_TIMESTAMP}, {"DATE", SL_TYPE_DATE},
	{"TIME", SL_TYPE_TIME},
};

sl_node_t *
sl_build_type_named(sl_parse_ctx_t *ctx, const sl_token_t *t)
{
	sl_node_t *n = sl_ast_new(ctx->arena, SL_N_TYPE, t->offset, 0);

	sl_build_name(ctx, n, t);
	if (!t->quoted && t->type != TK_VARIABLE) {
		for (size_t i = 0; i < sizeof(base_types) / sizeof(base_types[0]); i++) {
			if (strcmp(n->str, base_types[i].name) == 0) {
				n->op = base_types[i].kind;
				n->str = NULL;
				return n;
			}
		}
	}
	n->op = SL_TYPE_NAMED;
	return n;
}

sl_node_t *
sl_build_duration(sl_parse_ctx_t *ctx, sl_node_t *number, const sl_token_t *unit)
{
	sl_node_t *n = sl_ast_new(ctx->arena, SL_N_DURATION, number->loc, 0);

	n->str = number->str;
	n->str_loc = number->str_loc;
	n->str2 = sl_build_ident(ctx, unit);
	if (number->op != SL_LIT_INTEGER)
		sl_build_error(ctx, number->loc, "a duration takes a whole number, not \"%s\"",
			       number->str);
	return n;
}

static bool
is_param(const sl_node_t *e)
{
	return e != NULL && e->kind == SL_N_COLUMN && e->str2 == NULL &&
	       !(e->flags & SL_F_PAREN);
}

sl_node_t *
sl_build_lambda(sl_parse_ctx_t *ctx, sl_node_t *params, int loc, sl_node_t *body)
{
	sl_node_t *names = sl_build_list(ctx, params->loc);
	sl_node_t *n;

	if (params->kind == SL_N_TUPLE) {
		for (int i = 0; i < params->nkids; i++) {
			if (!is_param(params->kids[i])) {
				sl_build_error(ctx, params->kids[i]->loc,
					       "lambda parameters must be plain names");
				break;
			}
		}
	} else if (params->kind == SL_N_COLUMN && params->str2 == NULL) {
		/* x => ... and (x) => ... */
		params = sl_build_append(ctx, NULL, params);
	} else {
		sl_build_error(ctx, params->loc, "lambda parameters must be plain names");
		params = sl_build_list(ctx, params->loc);
	}
	for (int i = 0; i < params->nkids; i++) {
		sl_node_t *p = sl_ast_new(ctx->arena, SL_N_NAME, params->kids[i]->loc, 0);
		p->str = params->kids[i]->str;
		p->str_loc = params->kids[i]->str_loc;
		p->flags = params->kids[i]->flags & SL_F_VAR;
		sl_build_append(ctx, names, p);
	}
	n = sl_ast_new(ctx->arena, SL_N_LAMBDA, loc, 2);
	sl_build_set(n, 0, names);
	sl_build_set(n, 1, body);
	return n;
}

sl_node_t *
sl_build_flatten(sl_parse_ctx_t *ctx, sl_node_t *list)
{
	if (list->nkids == 1 && list->kids[0]->kind == SL_N_TUPLE) {
		sl_node_t *tuple = list->kids[0];
		sl_node_t *out = sl_build_list(ctx, tuple->loc);
		for (int i = 0; i < tuple->nkids; i++)
			sl_build_append(ctx, out, tuple->kids[i]);
		return out;
	}
	return list;
}

/* The first TUPLE in n, or NULL. */
static const sl_node_t *
find_tuple(const sl_node_t *n, int depth)
{
	if (n == NULL || depth > SL_AST_MAX_DEPTH)
		return NULL;
	if (n->kind == SL_N_TUPLE)
		return n;
	for (int i = 0; i < n->nkids; i++) {
		const sl_node_t *t = find_tuple(n->kids[i], depth + 1);
		if (t != NULL)
			return t;
	}
	return NULL;
}

void
sl_build_check(sl_parse_ctx_t *ctx, sl_node_t *stmt)
{
	const sl_node_t *t;

	if (stmt == NULL || ctx->failed)
		return;
	if (stmt->depth > SL_AST_MAX_DEPTH) {
		sl_build_error(ctx, stmt->loc, "statement is nested too deeply (more than %d levels)",
			       SL_AST_MAX_DEPTH);
		return;
	}
	t = find_tuple(stmt, 0);
	if (t != NULL)
		sl_build_error(ctx, t->loc, "a parenthesized list is only allowed as lambda parameters");
}
