/*
 * eval.c: evaluating compiled expressions against rows (see expr.h).
 *
 * Stage: expr, on the executor's hot path.  A recursive switch over the
 * compact tree built by compile.c: operand types were settled at compile
 * time, so each case knows the representation it reads.  Nothing is
 * malloc'd; results that need memory (strings, lists) go to ctx->arena.
 * An error (a failing cast, division by zero, a function's error)
 * propagates up as a return code and makes the whole expression NULL.
 *
 * NULL semantics (ksqlDB): arithmetic, ||, casts, subscripts and field
 * access give NULL for a NULL operand; comparisons (=, <>, <, <=, >, >=)
 * and BETWEEN give FALSE when an operand is NULL, as ksqlDB's generated
 * code does; AND, OR and NOT follow SQL's three-valued logic; IN is SQL's
 * (NULL when nothing matches and a NULL was involved); IS [NOT] DISTINCT
 * FROM treats NULLs as equal.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "expr/cast.h"
#include "expr/decimal.h"
#include "expr/expr_int.h"

static int eval_error(sl_eval_ctx_t *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
eval_error(sl_eval_ctx_t *ctx, const char *fmt, ...)
{
	char msg[SL_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sl_error_set(ctx->err, SL_EINVAL, "%s", msg);
}

/* Leaves (constants, columns) inline; everything else through the
 * switch.  Most operands are leaves. */
static inline int
ev(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	if (e->op == SL_X_CONST) {
		*out = e->u.konst;
		return SL_OK;
	}
	if (e->op == SL_X_COLUMN) {
		*out = ctx->row[e->u.col];
		return SL_OK;
	}
	return sl_expr_eval_node(e, ctx, out);
}

/* ---- arithmetic -------------------------------------------------------- */

static int
arith_int(sl_eval_ctx_t *ctx, int op, int32_t a, int32_t b, sl_value_t *out)
{
	uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
	int32_t r;

	/* Java int semantics: wrap on overflow */
	switch (op) {
	case SL_OP_ADD:
		r = (int32_t)(ua + ub);
		break;
	case SL_OP_SUB:
		r = (int32_t)(ua - ub);
		break;
	case SL_OP_MUL:
		r = (int32_t)(ua * ub);
		break;
	case SL_OP_DIV:
		if (b == 0)
			return eval_error(ctx, "division by zero");
		r = (a == INT32_MIN && b == -1) ? INT32_MIN : a / b;
		break;
	default:
		if (b == 0)
			return eval_error(ctx, "division by zero");
		r = (b == -1) ? 0 : a % b;
		break;
	}
	*out = sl_value_int(r);
	return SL_OK;
}

static int
arith_long(sl_eval_ctx_t *ctx, int op, int64_t a, int64_t b, sl_value_t *out)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	int64_t r;

	switch (op) {
	case SL_OP_ADD:
		r = (int64_t)(ua + ub);
		break;
	case SL_OP_SUB:
		r = (int64_t)(ua - ub);
		break;
	case SL_OP_MUL:
		r = (int64_t)(ua * ub);
		break;
	case SL_OP_DIV:
		if (b == 0)
			return eval_error(ctx, "division by zero");
		r = (a == INT64_MIN && b == -1) ? INT64_MIN : a / b;
		break;
	default:
		if (b == 0)
			return eval_error(ctx, "division by zero");
		r = (b == -1) ? 0 : a % b;
		break;
	}
	*out = sl_value_bigint(r);
	return SL_OK;
}

static double
arith_double(int op, double a, double b)
{
	switch (op) {
	case SL_OP_ADD:
		return a + b;
	case SL_OP_SUB:
		return a - b;
	case SL_OP_MUL:
		return a * b;
	case SL_OP_DIV:
		return a / b;
	default:
		return fmod(a, b);
	}
}

static int
dec_overflow(sl_eval_ctx_t *ctx, const sl_type_t *t)
{
	return eval_error(ctx, "numeric field overflow: the result does not fit DECIMAL(%d, %d)",
			  t->precision, t->scale);
}

static int
arith_decimal(sl_eval_ctx_t *ctx, int op, const sl_value_t *l, const sl_value_t *r,
	      const sl_type_t *t, sl_value_t *out)
{
	__int128 a = l->u.dec, b = r->u.dec, x, y, res;
	int sa = l->scale, sb = r->scale, s = sa > sb ? sa : sb, rs;

	switch (op) {
	case SL_OP_ADD:
	case SL_OP_SUB:
		if (sl_dec_rescale(a, sa, s, &x) != SL_OK ||
		    sl_dec_rescale(b, sb, s, &y) != SL_OK ||
		    (op == SL_OP_ADD ? __builtin_add_overflow(x, y, &res) :
				       __builtin_sub_overflow(x, y, &res)))
			return dec_overflow(ctx, t);
		rs = s;
		break;
	case SL_OP_MUL:
		if (__builtin_mul_overflow(a, b, &res))
			return dec_overflow(ctx, t);
		rs = sa + sb;
		break;
	case SL_OP_DIV: {
		int k = t->scale - sa + sb;
		if (b == 0)
			return eval_error(ctx, "division by zero");
		if (k >= 0) {
			if (k > 38 || __builtin_mul_overflow(a, sl_dec_pow10(k), &x))
				return dec_overflow(ctx, t);
			res = sl_dec_div_round(x, b);
		} else {
			if (-k > 38 || __builtin_mul_overflow(b, sl_dec_pow10(-k), &y))
				res = 0;
			else
				res = sl_dec_div_round(a, y);
		}
		rs = t->scale;
		break;
	}
	default: /* MOD */
		if (b == 0)
			return eval_error(ctx, "division by zero");
		if (sl_dec_rescale(a, sa, s, &x) != SL_OK || sl_dec_rescale(b, sb, s, &y) != SL_OK)
			return dec_overflow(ctx, t);
		res = x % y;
		rs = s;
		break;
	}
	if (sl_dec_rescale(res, rs, t->scale, &res) != SL_OK || !sl_dec_fits(res, t->precision))
		return dec_overflow(ctx, t);
	*out = sl_value_decimal(res, t->precision, t->scale);
	return SL_OK;
}

static int
eval_arith(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t l, r;
	int rc;

	if ((rc = ev(e->kids[0], ctx, &l)) != SL_OK)
		return rc;
	if ((rc = ev(e->kids[1], ctx, &r)) != SL_OK)
		return rc;
	if (l.kind == SL_T_NULL || r.kind == SL_T_NULL) {
		*out = sl_value_null();
		return SL_OK;
	}
	switch (e->type->kind) {
	case SL_T_INT:
		return arith_int(ctx, e->sub, l.u.i, r.u.i, out);
	case SL_T_BIGINT:
		return arith_long(ctx, e->sub, l.u.l, r.u.l, out);
	case SL_T_DOUBLE:
		*out = sl_value_double(arith_double(e->sub, l.u.d, r.u.d));
		return SL_OK;
	default:
		return arith_decimal(ctx, e->sub, &l, &r, e->type, out);
	}
}

static int
eval_neg(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t v;
	int rc;

	if ((rc = ev(e->kids[0], ctx, &v)) != SL_OK)
		return rc;
	switch (v.kind) {
	case SL_T_INT:
		v.u.i = (int32_t)(0u - (uint32_t)v.u.i);
		break;
	case SL_T_BIGINT:
		v.u.l = (int64_t)(0u - (uint64_t)v.u.l);
		break;
	case SL_T_DOUBLE:
		v.u.d = -v.u.d;
		break;
	case SL_T_DECIMAL:
		v.u.dec = -v.u.dec;
		break;
	default:
		break;
	}
	*out = v;
	return SL_OK;
}

static int
eval_concat(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t l, r;
	char *buf;
	int rc;

	if ((rc = ev(e->kids[0], ctx, &l)) != SL_OK)
		return rc;
	if ((rc = ev(e->kids[1], ctx, &r)) != SL_OK)
		return rc;
	if (l.kind == SL_T_NULL || r.kind == SL_T_NULL) {
		*out = sl_value_null();
		return SL_OK;
	}
	buf = sl_arena_alloc(ctx->arena, (size_t)l.u.s.len + (size_t)r.u.s.len + 1);
	memcpy(buf, l.u.s.ptr, (size_t)l.u.s.len);
	memcpy(buf + l.u.s.len, r.u.s.ptr, (size_t)r.u.s.len);
	buf[l.u.s.len + r.u.s.len] = '\0';
	l.u.s.ptr = buf;
	l.u.s.len += r.u.s.len;
	*out = l;
	return SL_OK;
}

/* ---- comparison -------------------------------------------------------- */

/* Orders two non-NULL values of the same type. */
static int
cmp_same(const sl_value_t *a, const sl_value_t *b)
{
	switch (a->kind) {
	case SL_T_INT:
	case SL_T_DATE:
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		return a->u.l < b->u.l ? -1 : a->u.l > b->u.l;
	case SL_T_STRING:
	case SL_T_BYTES: {
		int32_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
		int c = n > 0 ? memcmp(a->u.s.ptr, b->u.s.ptr, (size_t)n) : 0;
		if (c != 0)
			return c < 0 ? -1 : 1;
		return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len;
	}
	default:
		return sl_value_compare(a, b);
	}
}

static bool
cmp_result(int op, int c)
{
	switch (op) {
	case SL_OP_EQ:
		return c == 0;
	case SL_OP_NE:
		return c != 0;
	case SL_OP_LT:
		return c < 0;
	case SL_OP_LE:
		return c <= 0;
	case SL_OP_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

static bool
values_equal(const sl_value_t *a, const sl_value_t *b)
{
	if (a->kind == SL_T_MAP || a->kind == SL_T_ARRAY || a->kind == SL_T_STRUCT)
		return sl_value_equal(a, b);
	return cmp_same(a, b) == 0;
}

static int
eval_cmp(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t l, r;
	int rc, c;

	if ((rc = ev(e->kids[0], ctx, &l)) != SL_OK)
		return rc;
	if ((rc = ev(e->kids[1], ctx, &r)) != SL_OK)
		return rc;
	if (l.kind == SL_T_NULL || r.kind == SL_T_NULL) {
		*out = sl_value_bool(false);
		return SL_OK;
	}
	if (e->sub == SL_OP_EQ || e->sub == SL_OP_NE)
		c = values_equal(&l, &r) ? 0 : 1;
	else
		c = cmp_same(&l, &r);
	*out = sl_value_bool(cmp_result(e->sub, c));
	return SL_OK;
}

static int
eval_between(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t v[3];
	int rc;

	for (int i = 0; i < 3; i++)
		if ((rc = ev(e->kids[i], ctx, &v[i])) != SL_OK)
			return rc;
	if (v[0].kind == SL_T_NULL || v[1].kind == SL_T_NULL || v[2].kind == SL_T_NULL) {
		*out = sl_value_bool(false);
		return SL_OK;
	}
	bool in = cmp_same(&v[0], &v[1]) >= 0 && cmp_same(&v[0], &v[2]) <= 0;
	*out = sl_value_bool((e->flags & SL_XF_NOT) ? !in : in);
	return SL_OK;
}

static int
eval_in(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t v, x;
	bool saw_null = false;
	int rc;

	if ((rc = ev(e->kids[0], ctx, &v)) != SL_OK)
		return rc;
	if (v.kind == SL_T_NULL) {
		*out = sl_value_null();
		return SL_OK;
	}
	for (int i = 1; i < e->nkids; i++) {
		if ((rc = ev(e->kids[i], ctx, &x)) != SL_OK)
			return rc;
		if (x.kind == SL_T_NULL) {
			saw_null = true;
			continue;
		}
		if (values_equal(&v, &x)) {
			*out = sl_value_bool(!(e->flags & SL_XF_NOT));
			return SL_OK;
		}
	}
	*out = saw_null ? sl_value_null() : sl_value_bool((e->flags & SL_XF_NOT) != 0);
	return SL_OK;
}

static int
eval_distinct(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t l, r;
	bool distinct;
	int rc;

	if ((rc = ev(e->kids[0], ctx, &l)) != SL_OK)
		return rc;
	if ((rc = ev(e->kids[1], ctx, &r)) != SL_OK)
		return rc;
	if (l.kind == SL_T_NULL || r.kind == SL_T_NULL)
		distinct = l.kind != r.kind;
	else
		distinct = !values_equal(&l, &r);
	*out = sl_value_bool((e->flags & SL_XF_NOT) ? !distinct : distinct);
	return SL_OK;
}

/* ---- LIKE -------------------------------------------------------------- */

static size_t
cp_len(const char *s, size_t i, size_t n)
{
	unsigned char c = (unsigned char)s[i];
	size_t l = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	return i + l <= n ? l : n - i;
}

/* SQL LIKE: % any run, _ one character (UTF-8 code point), esc quotes
 * the next character; case-sensitive, whole string. */
static bool
like_match(const char *s, size_t sn, const char *p, size_t pn, int esc)
{
	size_t si = 0, pi = 0, star_p = 0, star_s = 0;
	bool star = false;

	while (si < sn) {
		if (pi < pn) {
			unsigned char c = (unsigned char)p[pi];
			if (c == '%' && (int)c != esc) {
				star = true;
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if (c == '_' && (int)c != esc) {
				si += cp_len(s, si, sn);
				pi++;
				continue;
			}
			size_t lp = pi;
			if ((int)c == esc && pi + 1 < pn)
				lp = pi + 1;
			size_t l = cp_len(p, lp, pn);
			if (si + l <= sn && memcmp(s + si, p + lp, l) == 0) {
				si += l;
				pi = lp + l;
				continue;
			}
		}
		if (!star)
			return false;
		star_s += cp_len(s, star_s, sn);
		si = star_s;
		pi = star_p;
	}
	while (pi < pn && p[pi] == '%' && esc != '%')
		pi++;
	return pi == pn;
}

static int
eval_like(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t v, p;
	bool m;
	int rc;

	if ((rc = ev(e->kids[0], ctx, &v)) != SL_OK)
		return rc;
	if ((rc = ev(e->kids[1], ctx, &p)) != SL_OK)
		return rc;
	if (v.kind == SL_T_NULL || p.kind == SL_T_NULL) {
		*out = sl_value_null();
		return SL_OK;
	}
	m = like_match(v.u.s.ptr, (size_t)v.u.s.len, p.u.s.ptr, (size_t)p.u.s.len, e->u.esc);
	*out = sl_value_bool((e->flags & SL_XF_NOT) ? !m : m);
	return SL_OK;
}

/* ---- logic ------------------------------------------------------------- */

static int
eval_and_or(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	bool is_and = e->op == SL_X_AND;
	sl_value_t l, r;
	int rc;

	/* FALSE AND x is FALSE, TRUE OR x is TRUE, without evaluating x */
	if ((rc = ev(e->kids[0], ctx, &l)) != SL_OK)
		return rc;
	if (l.kind != SL_T_NULL && l.u.b != is_and) {
		*out = l;
		return SL_OK;
	}
	if ((rc = ev(e->kids[1], ctx, &r)) != SL_OK)
		return rc;
	if (r.kind != SL_T_NULL && r.u.b != is_and) {
		*out = r;
		return SL_OK;
	}
	*out = (l.kind == SL_T_NULL || r.kind == SL_T_NULL) ? sl_value_null() :
							      sl_value_bool(is_and);
	return SL_OK;
}

static int
eval_case(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	int k = 0, npairs, rc;
	sl_value_t operand, w;

	if (e->flags & SL_XF_SIMPLE) {
		if ((rc = ev(e->kids[0], ctx, &operand)) != SL_OK)
			return rc;
		k = 1;
	}
	npairs = (e->nkids - k - (e->u.has_else ? 1 : 0)) / 2;
	for (int i = 0; i < npairs; i++, k += 2) {
		if ((e->flags & SL_XF_SIMPLE) && operand.kind == SL_T_NULL)
			break;
		if ((rc = ev(e->kids[k], ctx, &w)) != SL_OK)
			return rc;
		if (e->flags & SL_XF_SIMPLE) {
			if (w.kind == SL_T_NULL || !values_equal(&operand, &w))
				continue;
		} else if (w.kind == SL_T_NULL || !w.u.b) {
			continue;
		}
		return ev(e->kids[k + 1], ctx, out);
	}
	if (e->u.has_else)
		return ev(e->kids[e->nkids - 1], ctx, out);
	*out = sl_value_null();
	return SL_OK;
}

/* ---- constructors and access ------------------------------------------ */

static int
eval_list(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t r;
	int rc;

	if (e->op == SL_X_MAP) {
		int32_t n = 0;
		r = sl_value_list(ctx->arena, SL_T_MAP, e->nkids / 2);
		for (int i = 0; i < e->nkids; i += 2) {
			sl_value_t k, v;
			int32_t j;
			if ((rc = ev(e->kids[i], ctx, &k)) != SL_OK ||
			    (rc = ev(e->kids[i + 1], ctx, &v)) != SL_OK)
				return rc;
			/* a repeated key keeps the last value, as Java maps do */
			for (j = 0; j < n; j++)
				if (sl_value_compare(&r.u.list->items[2 * j], &k) == 0)
					break;
			r.u.list->items[2 * j] = k;
			r.u.list->items[2 * j + 1] = v;
			if (j == n)
				n++;
		}
		r.u.list->n = n;
	} else {
		r = sl_value_list(ctx->arena, e->op == SL_X_ARRAY ? SL_T_ARRAY : SL_T_STRUCT,
				  e->nkids);
		for (int i = 0; i < e->nkids; i++)
			if ((rc = ev(e->kids[i], ctx, &r.u.list->items[i])) != SL_OK)
				return rc;
	}
	*out = r;
	return SL_OK;
}

static int
eval_access(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t b, i;
	int rc;

	if ((rc = ev(e->kids[0], ctx, &b)) != SL_OK)
		return rc;
	*out = sl_value_null();
	if (b.kind == SL_T_NULL)
		return SL_OK;
	if (e->op == SL_X_FIELD) {
		if (e->u.field < b.u.list->n)
			*out = b.u.list->items[e->u.field];
		return SL_OK;
	}
	if ((rc = ev(e->kids[1], ctx, &i)) != SL_OK)
		return rc;
	if (i.kind == SL_T_NULL)
		return SL_OK;
	if (e->op == SL_X_INDEX) {
		/* 1-based; negative counts from the end; out of range is NULL */
		int64_t idx = i.kind == SL_T_INT ? i.u.i : i.u.l, n = b.u.list->n;
		if (idx >= 1 && idx <= n)
			*out = b.u.list->items[idx - 1];
		else if (idx < 0 && -idx <= n)
			*out = b.u.list->items[n + idx];
		return SL_OK;
	}
	const sl_value_t *v = sl_value_map_get(&b, &i);
	if (v != NULL)
		*out = *v;
	return SL_OK;
}

/* ---- functions --------------------------------------------------------- */

/*
 * A call's failure (of its arguments or of the function) makes the call's
 * value NULL and evaluation goes on, as ksqlDB wraps each function call;
 * the error is counted in ctx->errors and described in ctx->err.
 */
static int
eval_call(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t local[8], *argv = local;
	sl_fcall_t call;
	int rc = SL_OK;

	*out = sl_value_null();
	if (e->nkids > 8)
		argv = sl_arena_alloc(ctx->arena, sizeof(*argv) * (size_t)e->nkids);
	for (int i = 0; i < e->nkids; i++) {
		if (e->kids[i]->op == SL_X_LAMBDA) {
			argv[i] = sl_value_null();
			continue;
		}
		if ((rc = ev(e->kids[i], ctx, &argv[i])) != SL_OK)
			goto failed;
		if (argv[i].kind == SL_T_NULL && !(e->flags & SL_XF_NULLCALL))
			return SL_OK;
	}
	call.arena = ctx->arena;
	call.argc = e->nkids;
	call.argt = e->u.call.argt;
	call.ret = e->type;
	call.state = e->u.call.state;
	call.func = e->u.call.func;
	call.ctx = ctx;
	call.site = e;
	rc = e->u.call.fn(&call, e->nkids, argv, out);
	if (rc == SL_OK) {
		/* a function must return its declared type (or NULL) */
		assert(out->kind == SL_T_NULL || out->kind == e->type->kind ||
		       e->type->kind == SL_T_NULL);
		return SL_OK;
	}
failed:
	if (ctx->err != NULL && ctx->err->code == SL_OK)
		sl_error_set(ctx->err, rc, "function \"%s\" failed", e->u.call.func->name);
	ctx->errors++;
	*out = sl_value_null();
	return SL_OK;
}

int
sl_fcall_lambda(sl_fcall_t *call, int argi, const sl_value_t *args, int nargs, sl_value_t *out)
{
	const sl_expr_t *site = call->site, *lam;
	sl_eval_ctx_t *ctx = call->ctx;
	sl_lframe_t frame;
	const void *saved;
	int rc;

	if (site == NULL || argi < 0 || argi >= site->nkids ||
	    site->kids[argi]->op != SL_X_LAMBDA || site->kids[argi]->u.nparams != nargs)
		return sl_fcall_error(call, "argument %d is not a lambda of %d parameters",
				      argi + 1, nargs);
	lam = site->kids[argi];
	saved = ctx->frame;
	frame.up = saved;
	frame.args = args;
	ctx->frame = &frame;
	rc = ev(lam->kids[0], ctx, out);
	ctx->frame = saved;
	return rc;
}

int
sl_fcall_error(sl_fcall_t *call, const char *fmt, ...)
{
	char msg[SL_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sl_error_set(call->ctx ? call->ctx->err : NULL, SL_EINVAL, "function \"%s\": %s",
			    call->func ? call->func->name : "?", msg);
}

/* ---- dispatch ---------------------------------------------------------- */

int
sl_expr_eval_node(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	sl_value_t v;
	int rc;

	switch ((sl_xop_t)e->op) {
	case SL_X_CONST:
		*out = e->u.konst;
		return SL_OK;
	case SL_X_COLUMN:
		*out = ctx->row[e->u.col];
		return SL_OK;
	case SL_X_LPARAM: {
		const sl_lframe_t *f = ctx->frame;
		for (int d = 0; d < e->u.lp.depth; d++)
			f = f->up;
		*out = f->args[e->u.lp.index];
		return SL_OK;
	}
	case SL_X_NEG:
		return eval_neg(e, ctx, out);
	case SL_X_ARITH:
		return eval_arith(e, ctx, out);
	case SL_X_CONCAT:
		return eval_concat(e, ctx, out);
	case SL_X_CMP:
		return eval_cmp(e, ctx, out);
	case SL_X_AND:
	case SL_X_OR:
		return eval_and_or(e, ctx, out);
	case SL_X_NOT:
		if ((rc = ev(e->kids[0], ctx, &v)) != SL_OK)
			return rc;
		*out = v.kind == SL_T_NULL ? v : sl_value_bool(!v.u.b);
		return SL_OK;
	case SL_X_IS_NULL:
		if ((rc = ev(e->kids[0], ctx, &v)) != SL_OK)
			return rc;
		*out = sl_value_bool((v.kind == SL_T_NULL) != ((e->flags & SL_XF_NOT) != 0));
		return SL_OK;
	case SL_X_DISTINCT:
		return eval_distinct(e, ctx, out);
	case SL_X_BETWEEN:
		return eval_between(e, ctx, out);
	case SL_X_IN:
		return eval_in(e, ctx, out);
	case SL_X_LIKE:
		return eval_like(e, ctx, out);
	case SL_X_CASE:
		return eval_case(e, ctx, out);
	case SL_X_CAST:
		if ((rc = ev(e->kids[0], ctx, &v)) != SL_OK)
			return rc;
		return sl_cast_value(&v, e->u.from, e->type, ctx->arena, out, ctx->err);
	case SL_X_ARRAY:
	case SL_X_MAP:
	case SL_X_STRUCT:
		return eval_list(e, ctx, out);
	case SL_X_INDEX:
	case SL_X_MAPGET:
	case SL_X_FIELD:
		return eval_access(e, ctx, out);
	case SL_X_CALL:
		return eval_call(e, ctx, out);
	case SL_X_LAMBDA:
		break;
	}
	return eval_error(ctx, "cannot evaluate this expression");
}

int
sl_expr_eval(const sl_expr_t *e, sl_eval_ctx_t *ctx, sl_value_t *out)
{
	int rc;

	if (ctx->err != NULL) {
		ctx->err->code = SL_OK;
		ctx->err->msg[0] = '\0';
	}
	rc = sl_expr_eval_node(e, ctx, out);
	if (rc != SL_OK) {
		*out = sl_value_null();
		ctx->errors++;
	}
	return rc;
}

int
sl_expr_eval_bool(const sl_expr_t *e, sl_eval_ctx_t *ctx, bool *out)
{
	sl_value_t v;
	int rc = sl_expr_eval(e, ctx, &v);

	*out = rc == SL_OK && v.kind == SL_T_BOOLEAN && v.u.b;
	return rc;
}

int
sl_expr_eval_constant(const sl_expr_t *e, sl_arena_t *a, sl_value_t *out, sl_error_t *err)
{
	sl_eval_ctx_t ctx = { .row = NULL, .arena = a, .err = err, .frame = NULL };

	if (!sl_expr_is_constant(e)) {
		*out = sl_value_null();
		return sl_error_at(err, SL_EINVAL, e->loc, "expression is not constant");
	}
	return sl_expr_eval(e, &ctx, out);
}
