/*
 * func_registry.c: the function registry and call resolution (see
 * func.h).
 *
 * Stage: expr.  Registration parses each variant's signature text once
 * into a pattern tree; resolution matches argument types against the
 * patterns (binding type variables, counting widenings), asks the
 * compiler to type lambda arguments, runs the variant's hooks and reports
 * the bound parameter types so that the compiler can insert casts.
 * Registration happens at start-up on one thread; lookups and resolution
 * are then read-only and thread-safe.
 */
#include "expr/func.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr/cast.h"
#include "expr/expr_int.h"

/* ---- signature patterns ------------------------------------------------ */

typedef enum {
	P_CONCRETE = 1, /* t */
	P_DECIMAL,      /* any DECIMAL */
	P_STRUCT,       /* any STRUCT */
	P_ANY,
	P_VAR,    /* var */
	P_ARRAY,  /* sub[0] */
	P_MAP,    /* sub[0], sub[1] */
	P_LAMBDA, /* sub[0..nsub-2] params, sub[nsub-1] result */
	P_UNIT,   /* INTERVALUNIT */
} pkind_t;

typedef struct pat {
	pkind_t k;
	const sl_type_t *t;
	int var;
	int nsub;
	struct pat **sub;
} pat_t;

#define MAX_VARS 8

typedef struct sig {
	int nparams;
	pat_t **params;
	bool variadic;
	pat_t *ret; /* NULL when the variant has no text signature */
	int nvars;
	const char *vars[MAX_VARS];
} sig_t;

struct sl_func_registry {
	sl_arena_t arena;  /* patterns, signature strings, sl_func_t */
	sl_func_t **funcs; /* sorted by name */
	int n, cap;
};

/* Per function (sl_func_t.priv): growable arrays of the variants. */
typedef struct fpriv {
	int cap;
	sig_t **sigs;
} fpriv_t;

typedef struct sigparser {
	const char *s;
	size_t i;
	sl_arena_t *a;
	sig_t *sig;
	const char *err;
} sigparser_t;

static void
sp_space(sigparser_t *p)
{
	while (isspace((unsigned char)p->s[p->i]))
		p->i++;
}

static size_t
sp_word(sigparser_t *p, char *buf, size_t size)
{
	size_t n = 0;

	sp_space(p);
	while (isalnum((unsigned char)p->s[p->i]) || p->s[p->i] == '_') {
		if (n + 1 < size)
			buf[n++] = (char)toupper((unsigned char)p->s[p->i]);
		p->i++;
	}
	buf[n] = '\0';
	return n;
}

static bool
sp_eat(sigparser_t *p, char c)
{
	sp_space(p);
	if (p->s[p->i] == c) {
		p->i++;
		return true;
	}
	return false;
}

static pat_t *
pat_new(sigparser_t *p, pkind_t k, int nsub)
{
	pat_t *pt = sl_arena_calloc(p->a, sizeof(*pt));

	pt->k = k;
	pt->nsub = nsub;
	if (nsub > 0)
		pt->sub = sl_arena_calloc(p->a, sizeof(*pt->sub) * (size_t)nsub);
	return pt;
}

static pat_t *sp_type(sigparser_t *p);

static pat_t *
sp_concrete(sigparser_t *p, const sl_type_t *t)
{
	pat_t *pt = pat_new(p, P_CONCRETE, 0);
	pt->t = t;
	return pt;
}

static pat_t *
sp_type(sigparser_t *p)
{
	static const struct {
		const char *name;
		sl_tkind_t kind;
	} prims[] = {
		{ "BOOLEAN", SL_T_BOOLEAN },     { "INT", SL_T_INT },
		{ "INTEGER", SL_T_INT },         { "BIGINT", SL_T_BIGINT },
		{ "DOUBLE", SL_T_DOUBLE },       { "STRING", SL_T_STRING },
		{ "VARCHAR", SL_T_STRING },      { "BYTES", SL_T_BYTES },
		{ "TIMESTAMP", SL_T_TIMESTAMP }, { "DATE", SL_T_DATE },
		{ "TIME", SL_T_TIME },
	};
	char w[32];
	pat_t *pt;
	size_t raw;

	sp_space(p);
	raw = p->i;
	if (sp_word(p, w, sizeof(w)) == 0) {
		p->err = "a type was expected";
		return NULL;
	}
	for (size_t i = 0; i < sizeof(prims) / sizeof(prims[0]); i++)
		if (strcmp(w, prims[i].name) == 0)
			return sp_concrete(p, sl_type_primitive(prims[i].kind));
	if (strcmp(w, "DECIMAL") == 0) {
		if (sp_eat(p, '(')) {
			int prec = 0, scale = 0;
			char d[8];
			sp_word(p, d, sizeof(d));
			prec = atoi(d);
			if (!sp_eat(p, ','))
				goto bad;
			sp_word(p, d, sizeof(d));
			scale = atoi(d);
			if (!sp_eat(p, ')') || prec < 1 || prec > 38 || scale > prec)
				goto bad;
			return sp_concrete(p, sl_type_decimal(p->a, prec, scale));
		}
		return pat_new(p, P_DECIMAL, 0);
	}
	if (strcmp(w, "STRUCT") == 0)
		return pat_new(p, P_STRUCT, 0);
	if (strcmp(w, "ANY") == 0)
		return pat_new(p, P_ANY, 0);
	if (strcmp(w, "INTERVALUNIT") == 0)
		return pat_new(p, P_UNIT, 0);
	if (strcmp(w, "ARRAY") == 0 || strcmp(w, "MAP") == 0 || strcmp(w, "LAMBDA") == 0) {
		pat_t *subs[16];
		int n = 0;

		if (!sp_eat(p, '<'))
			goto bad;
		do {
			if (n == 16 || (subs[n++] = sp_type(p)) == NULL)
				goto bad;
		} while (sp_eat(p, ','));
		if (!sp_eat(p, '>'))
			goto bad;
		if ((w[0] == 'A' && n != 1) || (w[0] == 'M' && n != 2) || (w[0] == 'L' && n < 1))
			goto bad;
		pt = pat_new(p, w[0] == 'A' ? P_ARRAY : w[0] == 'M' ? P_MAP : P_LAMBDA, n);
		memcpy(pt->sub, subs, sizeof(*subs) * (size_t)n);
		return pt;
	}
	/* a type variable: an upper-case letter and optional digits (T, K2),
	 * so that a misspelt type name is an error, not a variable */
	if (!isupper((unsigned char)p->s[raw]))
		goto bad;
	for (size_t k = raw + 1; k < p->i; k++)
		if (!isdigit((unsigned char)p->s[k]))
			goto bad;
	pt = pat_new(p, P_VAR, 0);
	for (pt->var = 0; pt->var < p->sig->nvars; pt->var++)
		if (strcmp(p->sig->vars[pt->var], w) == 0)
			return pt;
	if (p->sig->nvars == MAX_VARS)
		goto bad;
	p->sig->vars[p->sig->nvars++] = sl_arena_strdup(p->a, w);
	return pt;
bad:
	if (p->err == NULL)
		p->err = "unknown or malformed type";
	return NULL;
}

/* One parameter: [name] type [...] */
static pat_t *
sp_param(sigparser_t *p, bool *variadic)
{
	size_t save;
	char w[64];
	pat_t *pt;

	sp_space(p);
	save = p->i;
	if (sp_word(p, w, sizeof(w)) > 0) {
		sp_space(p);
		if (isalpha((unsigned char)p->s[p->i]))
			save = p->i; /* "name TYPE": skip the name */
	}
	p->i = save;
	pt = sp_type(p);
	if (pt == NULL)
		return NULL;
	sp_space(p);
	if (strncmp(p->s + p->i, "...", 3) == 0) {
		p->i += 3;
		*variadic = true;
	}
	return pt;
}

/* Parses v's text signature into a sig_t; NULL with *err on error. */
static sig_t *
sig_parse(sl_arena_t *a, const sl_func_variant_t *v, const char **err)
{
	sig_t *sig = sl_arena_calloc(a, sizeof(*sig));
	sigparser_t p = { .a = a, .sig = sig };
	pat_t *params[64];
	int n = 0;

	if (v->params == NULL) {
		if (v->resolve == NULL) {
			*err = "a variant without params needs a resolve hook";
			return NULL;
		}
		return sig;
	}
	p.s = v->params;
	sp_space(&p);
	if (p.s[p.i] != '\0') {
		do {
			bool variadic = false;
			if (n == 64 || sig->variadic) {
				*err = sig->variadic ? "only the last parameter may be variadic" :
						       "too many parameters";
				return NULL;
			}
			params[n] = sp_param(&p, &variadic);
			if (params[n] == NULL) {
				*err = p.err;
				return NULL;
			}
			n++;
			sig->variadic = variadic;
		} while (sp_eat(&p, ','));
	}
	sp_space(&p);
	if (p.s[p.i] != '\0') {
		*err = "unexpected text in params";
		return NULL;
	}
	sig->nparams = n;
	sig->params = sl_arena_alloc(a, sizeof(*params) * (size_t)(n > 0 ? n : 1));
	memcpy(sig->params, params, sizeof(*params) * (size_t)n);
	if (v->ret == NULL) {
		if (v->resolve == NULL && v->agg == NULL) {
			*err = "ret is missing";
			return NULL;
		}
		return sig;
	}
	p.s = v->ret;
	p.i = 0;
	sig->ret = sp_type(&p);
	sp_space(&p);
	if (sig->ret == NULL || p.s[p.i] != '\0') {
		*err = p.err ? p.err : "malformed return type";
		return NULL;
	}
	if ((sig->ret->k == P_DECIMAL || sig->ret->k == P_STRUCT || sig->ret->k == P_ANY) &&
	    v->resolve == NULL) {
		*err = "a DECIMAL, STRUCT or ANY return type needs a resolve hook";
		return NULL;
	}
	return sig;
}

/* ---- registry ---------------------------------------------------------- */

sl_func_registry_t *
sl_func_registry_create(void)
{
	sl_func_registry_t *reg = calloc(1, sizeof(*reg));

	if (reg == NULL)
		abort();
	sl_arena_init(&reg->arena, 0);
	return reg;
}

void
sl_func_registry_destroy(sl_func_registry_t *reg)
{
	if (reg == NULL)
		return;
	for (int i = 0; i < reg->n; i++) {
		sl_func_t *f = reg->funcs[i];
		fpriv_t *fp = f->priv;
		free(f->variants);
		free(f->signatures);
		free(f->returns);
		free(fp->sigs);
	}
	free(reg->funcs);
	sl_arena_destroy(&reg->arena);
	free(reg);
}

static int
find_index(const sl_func_registry_t *reg, const char *name, bool *found)
{
	int lo = 0, hi = reg->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		int c = strcasecmp(reg->funcs[mid]->name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static void *
xrealloc(void *p, size_t n)
{
	void *r = realloc(p, n);
	if (r == NULL)
		abort();
	return r;
}

static const char *
make_signature(sl_arena_t *a, const char *name, const char *params)
{
	sl_strbuf_t sb;
	char *s;

	sl_strbuf_init(&sb);
	sl_strbuf_printf(&sb, "%s(%s)", name, params ? params : "...");
	s = sl_arena_strdup(a, sb.data);
	sl_strbuf_free(&sb);
	return s;
}

int
sl_func_register(sl_func_registry_t *reg, const sl_func_def_t *def, sl_error_t *err)
{
	bool found;
	int idx, nv = 0;
	sl_func_t *f;
	fpriv_t *fp;

	if (def->name == NULL || def->variants == NULL)
		return sl_error_set(err, SL_EINVAL, "function definition without name or variants");
	while (def->variants[nv].fn != NULL || def->variants[nv].agg != NULL ||
	       def->variants[nv].resolve != NULL)
		nv++;
	/* parse first, so that a bad definition leaves the registry as it was */
	sig_t **sigs = nv > 0 ? calloc((size_t)nv, sizeof(*sigs)) : NULL;
	for (int i = 0; i < nv; i++) {
		const char *why = NULL;
		sigs[i] = sig_parse(&reg->arena, &def->variants[i], &why);
		if (sigs[i] == NULL) {
			free(sigs);
			return sl_error_set(
				err, SL_EINVAL, "function \"%s\", variant %d (%s): %s", def->name,
				i + 1, def->variants[i].params ? def->variants[i].params : "", why);
		}
	}
	idx = find_index(reg, def->name, &found);
	if (!found) {
		if (reg->n == reg->cap) {
			reg->cap = reg->cap ? reg->cap * 2 : 64;
			reg->funcs = xrealloc(reg->funcs, sizeof(*reg->funcs) * (size_t)reg->cap);
		}
		memmove(reg->funcs + idx + 1, reg->funcs + idx,
			sizeof(*reg->funcs) * (size_t)(reg->n - idx));
		f = sl_arena_calloc(&reg->arena, sizeof(*f));
		fp = sl_arena_calloc(&reg->arena, sizeof(*fp));
		f->name = def->name;
		f->category = def->category ? def->category : "OTHER";
		f->description = def->description ? def->description : "";
		f->kind = def->kind ? def->kind : SL_FUNC_SCALAR;
		f->priv = fp;
		reg->funcs[idx] = f;
		reg->n++;
	} else {
		f = reg->funcs[idx];
		fp = f->priv;
	}
	if (f->nvariants + nv > fp->cap) {
		fp->cap = f->nvariants + nv + 4;
		f->variants = xrealloc(f->variants, sizeof(*f->variants) * (size_t)fp->cap);
		f->signatures = xrealloc(f->signatures, sizeof(*f->signatures) * (size_t)fp->cap);
		f->returns = xrealloc(f->returns, sizeof(*f->returns) * (size_t)fp->cap);
		fp->sigs = xrealloc(fp->sigs, sizeof(*fp->sigs) * (size_t)fp->cap);
	}
	for (int i = 0; i < nv; i++) {
		int k = f->nvariants++;
		f->variants[k] = &def->variants[i];
		f->signatures[k] = make_signature(&reg->arena, f->name, def->variants[i].params);
		f->returns[k] = def->variants[i].ret ? def->variants[i].ret : "";
		fp->sigs[k] = sigs[i];
	}
	free(sigs);
	return SL_OK;
}

void
sl_func_register_defs(sl_func_registry_t *reg, const sl_func_def_t *defs)
{
	for (; defs->name != NULL; defs++) {
		sl_error_t err;
		if (sl_func_register(reg, defs, &err) != SL_OK) {
			fprintf(stderr, "sluice: bad function definition: %s\n", err.msg);
			abort();
		}
	}
}

const sl_func_t *
sl_func_lookup(const sl_func_registry_t *reg, const char *name)
{
	bool found;
	int idx = find_index(reg, name, &found);

	return found ? reg->funcs[idx] : NULL;
}

int
sl_func_count(const sl_func_registry_t *reg)
{
	return reg->n;
}

const sl_func_t *
sl_func_at(const sl_func_registry_t *reg, int i)
{
	return i >= 0 && i < reg->n ? reg->funcs[i] : NULL;
}

const char *
sl_func_kind_name(sl_func_kind_t kind)
{
	switch (kind) {
	case SL_FUNC_AGGREGATE:
		return "AGGREGATE";
	case SL_FUNC_TABLE:
		return "TABLE";
	default:
		return "SCALAR";
	}
}

void
sl_func_register_all(sl_func_registry_t *reg)
{
	sl_fn_string_register(reg);
	sl_fn_math_register(reg);
	sl_fn_datetime_register(reg);
	sl_fn_json_register(reg);
	sl_fn_collections_register(reg);
	sl_fn_lambda_register(reg);
	sl_fn_url_register(reg);
	sl_fn_bytes_register(reg);
	sl_fn_regexp_register(reg);
	sl_fn_nulls_register(reg);
	sl_fn_table_register(reg);
	sl_fn_misc_register(reg);
	sl_fn_aggregate_register(reg);
}

/* ---- resolution -------------------------------------------------------- */

/* What the resolver keeps in sl_fresolve_t.priv. */
typedef struct rpriv {
	const sig_t *sig;
	const sl_type_t *bind[MAX_VARS];
	sl_lambda_typer_fn typer;
	void *cctx;
	sl_error_t *err;
} rpriv_t;

const sl_type_t *
sl_fresolve_binding(const sl_fresolve_t *r, const char *var)
{
	const rpriv_t *rp = r->priv;

	if (rp == NULL || rp->sig == NULL)
		return NULL;
	for (int i = 0; i < rp->sig->nvars; i++)
		if (strcasecmp(rp->sig->vars[i], var) == 0)
			return rp->bind[i];
	return NULL;
}

int
sl_fresolve_lambda(sl_fresolve_t *r, int argi, int nparams, const sl_type_t *const *ptypes,
		   const sl_type_t **body)
{
	rpriv_t *rp = r->priv;

	if (rp == NULL || rp->typer == NULL || argi < 0 || argi >= r->argc ||
	    r->argkind[argi] != SL_FARG_LAMBDA)
		return SL_ENOTFOUND;
	return rp->typer(rp->cctx, argi, nparams, ptypes, body);
}

static int
fresolve_verror(sl_fresolve_t *r, int loc, const char *fmt, va_list ap)
{
	rpriv_t *rp = r->priv;
	char msg[SL_ERROR_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return sl_error_at(rp ? rp->err : NULL, SL_EINVAL, loc, "%s", msg);
}

int
sl_fresolve_error(sl_fresolve_t *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fresolve_verror(r, r->loc, fmt, ap);
	va_end(ap);
	return rc;
}

int
sl_fresolve_error_arg(sl_fresolve_t *r, int argi, const char *fmt, ...)
{
	va_list ap;
	int rc, loc = r->loc;

	if (r->argloc != NULL && argi >= 0 && argi < r->argc && r->argloc[argi] >= 0)
		loc = r->argloc[argi];
	va_start(ap, fmt);
	rc = fresolve_verror(r, loc, fmt, ap);
	va_end(ap);
	return rc;
}

/* Matching cost units. */
#define COST_NULL 1
#define COST_GENERIC 1
#define COST_WIDEN 4

static int
rank(sl_tkind_t k)
{
	switch (k) {
	case SL_T_INT:
		return 1;
	case SL_T_BIGINT:
		return 2;
	case SL_T_DECIMAL:
		return 3;
	case SL_T_DOUBLE:
		return 4;
	default:
		return 0;
	}
}

static bool
unify(const pat_t *p, const sl_type_t *t, rpriv_t *rp, sl_arena_t *a, int *cost)
{
	if (t->kind == SL_T_NULL) {
		*cost += COST_NULL;
		return p->k != P_UNIT && p->k != P_LAMBDA;
	}
	switch (p->k) {
	case P_CONCRETE:
		if (sl_type_equal(p->t, t))
			return true;
		if (rank(t->kind) && rank(p->t->kind) && sl_cast_implicit(t, p->t)) {
			*cost += COST_WIDEN * (rank(p->t->kind) - rank(t->kind) + 1);
			return true;
		}
		if (t->kind == SL_T_DATE && p->t->kind == SL_T_TIMESTAMP) {
			*cost += COST_WIDEN;
			return true;
		}
		return false;
	case P_DECIMAL:
		if (t->kind == SL_T_DECIMAL)
			return true;
		if (t->kind == SL_T_INT || t->kind == SL_T_BIGINT) {
			*cost += COST_WIDEN * (3 - rank(t->kind));
			return true;
		}
		return false;
	case P_STRUCT:
		return t->kind == SL_T_STRUCT;
	case P_ANY:
		*cost += COST_GENERIC;
		return true;
	case P_VAR: {
		const sl_type_t *b = rp->bind[p->var], *c;
		if (b == NULL) {
			rp->bind[p->var] = t;
			*cost += COST_GENERIC;
			return true;
		}
		if (sl_type_equal(b, t))
			return true;
		c = sl_type_common(a, b, t);
		if (c == NULL || !sl_cast_implicit(b, c) || !sl_cast_implicit(t, c))
			return false;
		rp->bind[p->var] = c;
		*cost += COST_WIDEN;
		return true;
	}
	case P_ARRAY:
		return t->kind == SL_T_ARRAY && unify(p->sub[0], t->elem, rp, a, cost);
	case P_MAP:
		return t->kind == SL_T_MAP && unify(p->sub[0], t->key, rp, a, cost) &&
		       unify(p->sub[1], t->elem, rp, a, cost);
	default:
		return false;
	}
}

/* The type p stands for under the bindings (arg: the argument's type, for
 * DECIMAL/STRUCT/ANY); NULL when a variable is unbound and no arg. */
static const sl_type_t *
subst(const pat_t *p, const sl_type_t *arg, const rpriv_t *rp, sl_arena_t *a)
{
	const sl_type_t *x, *y;

	switch (p->k) {
	case P_CONCRETE:
		return p->t;
	case P_DECIMAL:
		if (arg == NULL || arg->kind == SL_T_NULL)
			return arg;
		return sl_type_as_decimal(a, arg);
	case P_STRUCT:
	case P_ANY:
		return arg;
	case P_VAR:
		return rp->bind[p->var] ? rp->bind[p->var] : sl_type_null();
	case P_ARRAY:
		x = subst(p->sub[0], arg && arg->kind == SL_T_ARRAY ? arg->elem : NULL, rp, a);
		return x ? sl_type_array(a, x) : NULL;
	case P_MAP:
		x = subst(p->sub[0], arg && arg->kind == SL_T_MAP ? arg->key : NULL, rp, a);
		y = subst(p->sub[1], arg && arg->kind == SL_T_MAP ? arg->elem : NULL, rp, a);
		return x && y ? sl_type_map(a, x, y) : NULL;
	case P_UNIT:
		return sl_type_string();
	default:
		return NULL;
	}
}

static const pat_t *
param_for(const sig_t *sig, int i)
{
	return i < sig->nparams ? sig->params[i] : sig->params[sig->nparams - 1];
}

/*
 * Matches the arguments described by in (argt: the arguments' own types)
 * against sig.  On a match stores the bound argument types in out_argt
 * and the cost, and returns SL_OK; SL_ENOTFOUND when it does not match;
 * another code for a hard error (a lambda body that does not compile).
 */
static int
match(const sig_t *sig, const sl_fresolve_t *in, const sl_type_t *const *argt, rpriv_t *rp,
      sl_arena_t *a, const sl_type_t **out_argt, int *cost)
{
	int argc = in->argc;

	memset(rp->bind, 0, sizeof(rp->bind));
	rp->sig = sig;
	*cost = 0;
	if (sig->variadic ? argc < sig->nparams - 1 : argc != sig->nparams)
		return SL_ENOTFOUND;
	for (int i = 0; i < argc; i++) {
		const pat_t *p = param_for(sig, i);
		switch (in->argkind[i]) {
		case SL_FARG_TIME_UNIT:
			if (p->k != P_UNIT)
				return SL_ENOTFOUND;
			break;
		case SL_FARG_LAMBDA:
			if (p->k != P_LAMBDA)
				return SL_ENOTFOUND;
			break;
		default:
			if (p->k == P_UNIT || p->k == P_LAMBDA)
				return SL_ENOTFOUND;
			if (!unify(p, argt[i], rp, a, cost))
				return SL_ENOTFOUND;
			break;
		}
	}
	for (int i = 0; i < argc; i++) {
		const pat_t *p = param_for(sig, i);
		const sl_type_t *ptypes[16], *body = NULL;
		int np = p->nsub - 1, rc;

		if (in->argkind[i] != SL_FARG_LAMBDA)
			continue;
		if (np > 16)
			return SL_ENOTFOUND;
		for (int k = 0; k < np; k++) {
			ptypes[k] = subst(p->sub[k], NULL, rp, a);
			if (ptypes[k] == NULL)
				return SL_ENOTFOUND;
		}
		if (rp->typer == NULL)
			return SL_ENOTFOUND;
		/* The body's type may widen a variable that is also a
		 * parameter type (REDUCE's state: 0 then s + bigint): type
		 * the lambda again until its parameter types are stable. */
		for (int round = 0;; round++) {
			bool stable = true;

			rc = rp->typer(rp->cctx, i, np, ptypes, &body);
			if (rc != SL_OK)
				return rc;
			if (!unify(p->sub[np], body, rp, a, cost))
				return SL_ENOTFOUND;
			for (int k = 0; k < np; k++) {
				const sl_type_t *t = subst(p->sub[k], NULL, rp, a);
				if (sl_type_equal(t, ptypes[k]))
					continue;
				/* a DECIMAL state grows with every typing
				 * (s + x adds a digit): give it all 38 */
				if (round > 0 && t->kind == SL_T_DECIMAL && p->sub[k]->k == P_VAR) {
					t = sl_type_decimal(a, SL_DECIMAL_MAX_PRECISION, t->scale);
					rp->bind[p->sub[k]->var] = t;
				}
				ptypes[k] = t;
				stable = false;
			}
			if (stable)
				break;
			if (round == 3)
				return SL_ENOTFOUND;
		}
	}
	for (int i = 0; i < argc; i++) {
		if (in->argkind[i] == SL_FARG_LAMBDA) {
			out_argt[i] = NULL;
			continue;
		}
		out_argt[i] = subst(param_for(sig, i), argt[i], rp, a);
		if (out_argt[i] == NULL || out_argt[i]->kind == SL_T_NULL)
			out_argt[i] = argt[i];
	}
	return SL_OK;
}

static void
describe_args(sl_strbuf_t *sb, const sl_fresolve_t *r, const sl_type_t *const *argt)
{
	sl_strbuf_putc(sb, '(');
	for (int i = 0; i < r->argc; i++) {
		if (i > 0)
			sl_strbuf_puts(sb, ", ");
		if (r->argkind[i] == SL_FARG_LAMBDA)
			sl_strbuf_puts(sb, "LAMBDA");
		else if (r->argkind[i] == SL_FARG_TIME_UNIT)
			sl_strbuf_puts(sb, "INTERVALUNIT");
		else
			sl_type_format(sb, argt[i]);
	}
	sl_strbuf_putc(sb, ')');
}

/* Runs variant vi fully (match + hooks) into r; SL_ENOTFOUND to try the
 * next one. */
static int
try_variant(sl_fresolve_t *r, int vi, const sl_type_t *const *argt, rpriv_t *rp, int *cost)
{
	const sl_func_t *f = r->func;
	const sig_t *sig = ((fpriv_t *)f->priv)->sigs[vi];
	const sl_func_variant_t *v = f->variants[vi];
	int rc;

	r->variant = v;
	r->ret = NULL;
	r->state_type = NULL;
	*cost = 0;
	if (v->params != NULL) {
		rc = match(sig, r, argt, rp, r->arena, r->argt, cost);
		if (rc != SL_OK)
			return rc;
		if (sig->ret != NULL && sig->ret->k != P_DECIMAL && sig->ret->k != P_STRUCT &&
		    sig->ret->k != P_ANY)
			r->ret = subst(sig->ret, NULL, rp, r->arena);
	} else {
		memset(rp->bind, 0, sizeof(rp->bind));
		rp->sig = sig;
		for (int i = 0; i < r->argc; i++)
			r->argt[i] = argt[i];
	}
	if (v->resolve != NULL) {
		rc = v->resolve(r);
		if (rc != SL_OK)
			return rc;
	}
	if (r->ret == NULL)
		return sl_fresolve_error(r, "function \"%s\": the resolver set no return type",
					 f->name);
	if (r->state_type == NULL)
		r->state_type = r->ret;
	return SL_OK;
}

int
sl_func_resolve_call(sl_fresolve_t *r, sl_lambda_typer_fn typer, void *cctx, sl_error_t *err)
{
	const sl_func_t *f = r->func;
	rpriv_t rp = { .typer = typer, .cctx = cctx, .err = err };
	const sl_type_t **orig;
	int best = -1, best_cost = 0, rc;
	bool *rejected;

	r->priv = &rp;
	r->state = NULL;
	r->destroy = NULL;
	orig = sl_arena_alloc(r->arena, sizeof(*orig) * (size_t)(r->argc + 1));
	memcpy(orig, r->argt, sizeof(*orig) * (size_t)r->argc);
	r->origt = orig;
	rejected = sl_arena_calloc(r->arena, sizeof(*rejected) * (size_t)(f->nvariants + 1));

	for (;;) {
		/* the cheapest variant not yet rejected */
		best = -1;
		for (int vi = 0; vi < f->nvariants; vi++) {
			int cost;
			const sig_t *sig = ((fpriv_t *)f->priv)->sigs[vi];

			if (rejected[vi])
				continue;
			if (f->variants[vi]->params == NULL) {
				cost = 1000; /* hook-only variants after the typed ones */
			} else {
				rc = match(sig, r, orig, &rp, r->arena, r->argt, &cost);
				if (rc == SL_ENOTFOUND) {
					rejected[vi] = true;
					continue;
				}
				if (rc != SL_OK)
					goto fail;
			}
			if (best < 0 || cost < best_cost) {
				best = vi;
				best_cost = cost;
			}
		}
		if (best < 0)
			break;
		/* re-run the chosen one: bindings, lambda typings, hooks */
		rc = try_variant(r, best, orig, &rp, &best_cost);
		if (rc == SL_OK)
			break;
		if (rc != SL_ENOTFOUND)
			goto fail;
		rejected[best] = true;
	}
	if (best < 0) {
		sl_strbuf_t sb;
		sl_strbuf_init(&sb);
		describe_args(&sb, r, orig);
		rc = sl_error_at(err, SL_EINVAL, r->loc,
				 "function \"%s\" does not accept parameters %s", f->name, sb.data);
		sl_strbuf_free(&sb);
		goto fail;
	}
	if (r->variant->init != NULL) {
		rc = r->variant->init(r);
		if (rc != SL_OK)
			goto fail;
	}
	r->priv = NULL;
	return SL_OK;
fail:
	r->priv = NULL;
	return rc;
}

int
sl_func_bind(const sl_func_t *func, int argc, const sl_type_t *const *argt,
	     const sl_value_t *const *constv, sl_arena_t *a, int loc, sl_func_binding_t *out,
	     sl_error_t *err)
{
	sl_fresolve_t r = { 0 };
	sl_farg_kind_t *kinds = sl_arena_calloc(a, sizeof(*kinds) * (size_t)(argc + 1));
	const sl_value_t **cv = sl_arena_calloc(a, sizeof(*cv) * (size_t)(argc + 1));
	int rc;

	if (constv != NULL)
		memcpy(cv, constv, sizeof(*cv) * (size_t)argc);
	r.func = func;
	r.argc = argc;
	r.argkind = kinds;
	r.argt = sl_arena_alloc(a, sizeof(*r.argt) * (size_t)(argc + 1));
	memcpy(r.argt, argt, sizeof(*r.argt) * (size_t)argc);
	r.constv = cv;
	r.arena = a;
	r.loc = loc;
	rc = sl_func_resolve_call(&r, NULL, NULL, err);
	if (rc != SL_OK)
		return rc;
	out->func = func;
	out->variant = r.variant;
	out->argc = argc;
	out->argt = r.argt;
	out->ret = r.ret;
	out->state_type = r.state_type;
	out->state = r.state;
	out->destroy = r.destroy;
	return SL_OK;
}

int
sl_func_bind_table(sl_func_binding_t *b, sl_arena_t *a, int loc, sl_error_t *err)
{
	const sl_func_variant_t *tv = b->variant->table;
	rpriv_t rp = { .err = err };
	sl_fresolve_t r = { 0 };
	int rc;

	if (tv == NULL)
		return SL_OK;
	r.func = b->func;
	r.variant = tv;
	r.argc = b->argc;
	r.argkind = sl_arena_calloc(a, sizeof(*r.argkind) * (size_t)(b->argc + 1));
	r.argt = b->argt;
	r.origt = b->argt;
	r.constv = sl_arena_calloc(a, sizeof(*r.constv) * (size_t)(b->argc + 1));
	r.arena = a;
	r.loc = loc;
	r.ret = b->ret;
	r.priv = &rp;
	if (tv->resolve != NULL && (rc = tv->resolve(&r)) != SL_OK)
		return rc;
	b->variant = tv;
	b->state_type = r.state_type != NULL ? r.state_type : b->ret;
	return SL_OK;
}
