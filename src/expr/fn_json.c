/*
 * fn_json.c: JSON functions (ksqlDB's JSON family).
 *
 * Stage: expr.  EXTRACTJSONFIELD IS_JSON_STRING JSON_ARRAY_CONTAINS
 * JSON_ARRAY_LENGTH JSON_CONCAT JSON_ITEMS JSON_KEYS JSON_RECORDS
 * TO_JSON_STRING.  Text is parsed as ksqlDB's Jackson reader does: strict
 * JSON, the first value only (text after it is ignored, except that a
 * top-level number must end at whitespace), empty text is "missing", a
 * repeated object key keeps its first position and last value, floats
 * keep their exact digits.  Output is compact, escaped as Jackson escapes
 * (control characters only).  Malformed JSON is a runtime error (NULL)
 * where ksqlDB throws, and NULL or FALSE where it checks.  The parse tree
 * lives in the call's arena.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/datefmt.h"
#include "expr/fn_util.h"
#include "expr/func.h"

/* ---- parse tree -------------------------------------------------------- */

typedef enum jkind { J_NULL, J_TRUE, J_FALSE, J_INT, J_FLOAT, J_STR, J_ARR, J_OBJ } jkind_t;

typedef struct jnode jnode_t;
struct jnode {
	jkind_t kind;
	const char *s; /* J_INT, J_FLOAT: the number's text; J_STR: decoded UTF-8 */
	int32_t n;
	int32_t count;  /* J_ARR: items; J_OBJ: members */
	jnode_t *items; /* J_ARR: count nodes; J_OBJ: 2 * count (key J_STR, value) */
};

#define MAX_DEPTH 500

typedef struct jparser {
	const char *s;
	size_t n, pos;
	sl_arena_t *a;
	int depth;
} jparser_t;

static void
skip_ws(jparser_t *p)
{
	while (p->pos < p->n) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static bool parse_value(jparser_t *p, jnode_t *out);

static bool
parse_string(jparser_t *p, jnode_t *out)
{
	/* at the opening quote */
	p->pos++;
	size_t start = p->pos;
	bool simple = true;
	while (p->pos < p->n && p->s[p->pos] != '"') {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c < 0x20)
			return false;
		if (c == '\\') {
			simple = false;
			p->pos++;
		}
		p->pos++;
	}
	if (p->pos >= p->n)
		return false;
	size_t end = p->pos;
	p->pos++;
	out->kind = J_STR;
	if (simple) {
		out->s = p->s + start;
		out->n = (int32_t)(end - start);
		return true;
	}
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, p->a, end - start);
	for (size_t i = start; i < end; i++) {
		char c = p->s[i];
		if (c != '\\') {
			sl_fn_buf_putc(&b, c);
			continue;
		}
		char e = p->s[++i];
		switch (e) {
		case '"':
			sl_fn_buf_putc(&b, '"');
			break;
		case '\\':
			sl_fn_buf_putc(&b, '\\');
			break;
		case '/':
			sl_fn_buf_putc(&b, '/');
			break;
		case 'b':
			sl_fn_buf_putc(&b, '\b');
			break;
		case 'f':
			sl_fn_buf_putc(&b, '\f');
			break;
		case 'n':
			sl_fn_buf_putc(&b, '\n');
			break;
		case 'r':
			sl_fn_buf_putc(&b, '\r');
			break;
		case 't':
			sl_fn_buf_putc(&b, '\t');
			break;
		case 'u': {
			uint32_t cp = 0;
			for (int k = 1; k <= 4; k++) {
				int h = i + (size_t)k < end ?
						sl_fn_hexval((unsigned char)p->s[i + k]) :
						-1;
				if (h < 0)
					return false;
				cp = cp * 16 + (uint32_t)h;
			}
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < end + 1 &&
			    p->s[i + 1] == '\\' && p->s[i + 2] == 'u') {
				uint32_t lo = 0;
				bool ok = true;
				for (int k = 3; k <= 6; k++) {
					int h = i + (size_t)k < end ?
							sl_fn_hexval((unsigned char)p->s[i + k]) :
							-1;
					if (h < 0) {
						ok = false;
						break;
					}
					lo = lo * 16 + (uint32_t)h;
				}
				if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				}
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			sl_fn_buf_utf8(&b, cp);
			break;
		}
		default:
			return false;
		}
	}
	out->s = b.p;
	out->n = (int32_t)b.len;
	return true;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
parse_number(jparser_t *p, jnode_t *out)
{
	size_t start = p->pos;
	bool is_float = false;
	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->n || !is_digit(p->s[p->pos]))
		return false;
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->n && is_digit(p->s[p->pos]))
			return false; /* leading zeroes are not allowed */
	} else {
		while (p->pos < p->n && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->n && p->s[p->pos] == '.') {
		is_float = true;
		p->pos++;
		if (p->pos >= p->n || !is_digit(p->s[p->pos]))
			return false;
		while (p->pos < p->n && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		is_float = true;
		p->pos++;
		if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->n || !is_digit(p->s[p->pos]))
			return false;
		while (p->pos < p->n && is_digit(p->s[p->pos]))
			p->pos++;
	}
	out->kind = is_float ? J_FLOAT : J_INT;
	out->s = p->s + start;
	out->n = (int32_t)(p->pos - start);
	return true;
}

static bool
parse_word(jparser_t *p, const char *w, jkind_t kind, jnode_t *out)
{
	size_t len = strlen(w);
	if (p->pos + len > p->n || memcmp(p->s + p->pos, w, len) != 0)
		return false;
	p->pos += len;
	/* "trueish" is one unrecognized token */
	if (p->pos < p->n) {
		char c = p->s[p->pos];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_')
			return false;
	}
	out->kind = kind;
	return true;
}

/* A growable list of nodes in the arena. */
typedef struct jlist {
	jnode_t *v;
	int32_t n, cap;
} jlist_t;

static void
jlist_push(sl_arena_t *a, jlist_t *l, const jnode_t *node)
{
	if (l->n == l->cap) {
		int32_t cap = l->cap ? l->cap * 2 : 8;
		jnode_t *v = sl_arena_alloc(a, sizeof(*v) * (size_t)cap);
		if (l->n)
			memcpy(v, l->v, sizeof(*v) * (size_t)l->n);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *node;
}

static bool
jstr_eq(const jnode_t *a, const jnode_t *b)
{
	return a->n == b->n && sl_fn_memcmp(a->s, b->s, (size_t)a->n) == 0;
}

static bool
parse_container(jparser_t *p, jnode_t *out, bool obj)
{
	if (++p->depth > MAX_DEPTH)
		return false;
	p->pos++;
	jlist_t l = { 0 };
	skip_ws(p);
	char close = obj ? '}' : ']';
	if (p->pos < p->n && p->s[p->pos] == close) {
		p->pos++;
	} else {
		for (;;) {
			jnode_t key, val;
			if (obj) {
				skip_ws(p);
				if (p->pos >= p->n || p->s[p->pos] != '"' || !parse_string(p, &key))
					return false;
				skip_ws(p);
				if (p->pos >= p->n || p->s[p->pos] != ':')
					return false;
				p->pos++;
			}
			skip_ws(p);
			if (!parse_value(p, &val))
				return false;
			if (obj) {
				int32_t k;
				for (k = 0; k < l.n; k += 2)
					if (jstr_eq(&l.v[k], &key))
						break;
				if (k < l.n) {
					l.v[k + 1] = val; /* a repeated key: last value wins */
				} else {
					jlist_push(p->a, &l, &key);
					jlist_push(p->a, &l, &val);
				}
			} else {
				jlist_push(p->a, &l, &val);
			}
			skip_ws(p);
			if (p->pos >= p->n)
				return false;
			if (p->s[p->pos] == ',') {
				p->pos++;
				continue;
			}
			if (p->s[p->pos] != close)
				return false;
			p->pos++;
			break;
		}
	}
	p->depth--;
	out->kind = obj ? J_OBJ : J_ARR;
	out->items = l.v;
	out->count = obj ? l.n / 2 : l.n;
	return true;
}

static bool
parse_value(jparser_t *p, jnode_t *out)
{
	memset(out, 0, sizeof(*out));
	if (p->pos >= p->n)
		return false;
	switch (p->s[p->pos]) {
	case '{':
		return parse_container(p, out, true);
	case '[':
		return parse_container(p, out, false);
	case '"':
		return parse_string(p, out);
	case 't':
		return parse_word(p, "true", J_TRUE, out);
	case 'f':
		return parse_word(p, "false", J_FALSE, out);
	case 'n':
		return parse_word(p, "null", J_NULL, out);
	default:
		return parse_number(p, out);
	}
}

typedef enum { JP_OK, JP_MISSING, JP_ERROR } jpres_t;

/* ObjectReader.readTree: the first value of s. */
static jpres_t
json_parse(sl_arena_t *a, const char *s, size_t n, jnode_t *out)
{
	jparser_t p = { s, n, 0, a, 0 };
	skip_ws(&p);
	if (p.pos >= p.n)
		return JP_MISSING;
	if (!parse_value(&p, out))
		return JP_ERROR;
	if ((out->kind == J_INT || out->kind == J_FLOAT) && p.pos < p.n) {
		char c = s[p.pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return JP_ERROR;
	}
	return JP_OK;
}

/* ---- writing ----------------------------------------------------------- */

static void
write_string(sl_fn_buf_t *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	sl_fn_buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sl_fn_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			sl_fn_buf_add(b, "\\\"", 2);
			break;
		case '\\':
			sl_fn_buf_add(b, "\\\\", 2);
			break;
		case '\b':
			sl_fn_buf_add(b, "\\b", 2);
			break;
		case '\f':
			sl_fn_buf_add(b, "\\f", 2);
			break;
		case '\n':
			sl_fn_buf_add(b, "\\n", 2);
			break;
		case '\r':
			sl_fn_buf_add(b, "\\r", 2);
			break;
		case '\t':
			sl_fn_buf_add(b, "\\t", 2);
			break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sl_fn_buf_add(b, u, 6);
		}
		}
	}
	sl_fn_buf_add(b, s + run, n - run);
	sl_fn_buf_putc(b, '"');
}

/* A float's text as BigDecimal prints it: toString() (scientific for
 * small or exponent forms) or, with plain, toPlainString(). */
static void
write_decimal(sl_fn_buf_t *b, const char *s, int32_t n, bool plain)
{
	char dig[512];
	int nd = 0, frac = 0;
	bool neg = false, dot = false;
	int32_t i = 0;
	long exp = 0;
	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
		if (s[i] == '.') {
			dot = true;
			continue;
		}
		if (nd < (int)sizeof(dig) - 1)
			dig[nd++] = s[i];
		if (dot)
			frac++;
	}
	if (i < n)
		exp = strtol(s + i + 1, NULL, 10);
	/* strip leading zeros of the unscaled value */
	int lead = 0;
	while (lead < nd - 1 && dig[lead] == '0')
		lead++;
	const char *u = dig + lead;
	int un = nd - lead;
	long scale = frac - exp;
	bool zero = un == 1 && u[0] == '0';
	if (neg && !zero)
		sl_fn_buf_putc(b, '-');
	long adjusted = -scale + (un - 1);
	if (plain || (scale >= 0 && adjusted >= -6)) {
		if (scale <= 0) {
			sl_fn_buf_add(b, u, (size_t)un);
			if (!zero || plain)
				for (long k = 0; k < -scale; k++)
					sl_fn_buf_putc(b, '0');
		} else if (un > scale) {
			sl_fn_buf_add(b, u, (size_t)(un - scale));
			sl_fn_buf_putc(b, '.');
			sl_fn_buf_add(b, u + un - scale, (size_t)scale);
		} else {
			sl_fn_buf_add(b, "0.", 2);
			for (long k = 0; k < scale - un; k++)
				sl_fn_buf_putc(b, '0');
			sl_fn_buf_add(b, u, (size_t)un);
		}
		return;
	}
	sl_fn_buf_putc(b, u[0]);
	if (un > 1) {
		sl_fn_buf_putc(b, '.');
		sl_fn_buf_add(b, u + 1, (size_t)(un - 1));
	}
	sl_fn_buf_printf(b, "E%s%ld", adjusted >= 0 ? "+" : "", adjusted);
}

static void
write_int(sl_fn_buf_t *b, const char *s, int32_t n)
{
	/* "-0" is the integer 0 */
	if (n == 2 && s[0] == '-' && s[1] == '0')
		sl_fn_buf_putc(b, '0');
	else
		sl_fn_buf_add(b, s, (size_t)n);
}

static void
write_node(sl_fn_buf_t *b, const jnode_t *j, bool plain)
{
	switch (j->kind) {
	case J_NULL:
		sl_fn_buf_add(b, "null", 4);
		break;
	case J_TRUE:
		sl_fn_buf_add(b, "true", 4);
		break;
	case J_FALSE:
		sl_fn_buf_add(b, "false", 5);
		break;
	case J_INT:
		write_int(b, j->s, j->n);
		break;
	case J_FLOAT:
		write_decimal(b, j->s, j->n, plain);
		break;
	case J_STR:
		write_string(b, j->s, (size_t)j->n);
		break;
	case J_ARR:
		sl_fn_buf_putc(b, '[');
		for (int32_t i = 0; i < j->count; i++) {
			if (i)
				sl_fn_buf_putc(b, ',');
			write_node(b, &j->items[i], plain);
		}
		sl_fn_buf_putc(b, ']');
		break;
	case J_OBJ:
		sl_fn_buf_putc(b, '{');
		for (int32_t i = 0; i < j->count; i++) {
			if (i)
				sl_fn_buf_putc(b, ',');
			write_string(b, j->items[2 * i].s, (size_t)j->items[2 * i].n);
			sl_fn_buf_putc(b, ':');
			write_node(b, &j->items[2 * i + 1], plain);
		}
		sl_fn_buf_putc(b, '}');
		break;
	}
}

/* JsonNode.toString(), or asText() for a string node when text. */
static sl_value_t
node_text(sl_arena_t *a, const jnode_t *j, bool text)
{
	if (text && j->kind == J_STR)
		return sl_value_string(j->s, j->n);
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, a, 32);
	write_node(&b, j, false);
	return sl_fn_buf_string(&b);
}

static int
parse_arg(sl_fcall_t *call, const sl_value_t *v, jnode_t *out, jpres_t *res)
{
	*res = json_parse(call->arena, v->u.s.ptr, (size_t)v->u.s.len, out);
	if (*res == JP_ERROR)
		return sl_fcall_error(call, "invalid JSON format: %.*s", (int)v->u.s.len,
				      v->u.s.ptr);
	return SL_OK;
}

/* ---- EXTRACTJSONFIELD -------------------------------------------------- */

typedef struct jpath {
	int n;
	sl_value_t *tokens; /* STRING values */
} jpath_t;

static bool
subscript_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (unsigned char)c >= 0x80;
}

/* ksqlDB's JsonPathTokenizer: $ then .name, ['quoted'], ["quoted"] or
 * [unquoted]. Tokens are allocated in a. */
static bool
path_compile(sl_arena_t *a, const char *s, size_t n, jpath_t *out)
{
	out->n = 0;
	out->tokens = sl_arena_alloc(a, sizeof(sl_value_t) * (n + 1));
	if (n == 0 || s[0] != '$')
		return false;
	size_t i = 1;
	while (i < n) {
		if (s[i] == '.') {
			size_t st = ++i;
			while (i < n && (subscript_char(s[i]) || s[i] == ':' || s[i] == '@'))
				i++;
			if (i == st)
				return false;
			out->tokens[out->n++] = sl_value_string_copy(a, s + st, (int32_t)(i - st));
		} else if (s[i] == '[') {
			i++;
			if (i < n && s[i] == '"') {
				i++;
				sl_fn_buf_t b;
				sl_fn_buf_init(&b, a, 16);
				for (;;) {
					if (i >= n)
						return false;
					if (s[i] == '\\') {
						if (i + 1 >= n ||
						    (s[i + 1] != '"' && s[i + 1] != '\\'))
							return false;
						sl_fn_buf_putc(&b, s[i + 1]);
						i += 2;
						continue;
					}
					if (s[i] == '"')
						break;
					sl_fn_buf_putc(&b, s[i++]);
				}
				i++;
				out->tokens[out->n++] = sl_fn_buf_string(&b);
			} else {
				size_t st = i;
				while (i < n && subscript_char(s[i]))
					i++;
				if (i == st)
					return false;
				out->tokens[out->n++] =
					sl_value_string_copy(a, s + st, (int32_t)(i - st));
			}
			if (i >= n || s[i] != ']')
				return false;
			i++;
		} else {
			return false;
		}
	}
	return true;
}

typedef struct jpath_state {
	jpath_t path;
	bool ok;
} jpath_state_t;

/* Tokenizes a constant path once, in the compiled expression's arena. */
static int
init_path(sl_fresolve_t *r)
{
	if (r->constv == NULL || r->constv[1] == NULL || sl_value_is_null(r->constv[1]))
		return SL_OK;
	jpath_state_t *st = sl_arena_calloc(r->arena, sizeof(*st));
	const sl_value_t *v = r->constv[1];
	st->ok = path_compile(r->arena, v->u.s.ptr, (size_t)v->u.s.len, &st->path);
	r->state = st;
	return SL_OK;
}

static int
fn_extractjsonfield(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	jpath_t path;
	const jpath_state_t *st = call->state;
	bool ok;
	if (st != NULL) {
		path = st->path;
		ok = st->ok;
	} else {
		ok = path_compile(call->arena, argv[1].u.s.ptr, (size_t)argv[1].u.s.len, &path);
	}
	if (!ok)
		return sl_fcall_error(call, "invalid JSON path: '%.*s'", (int)argv[1].u.s.len,
				      argv[1].u.s.ptr);
	jnode_t root;
	jpres_t res;
	int rc = parse_arg(call, &argv[0], &root, &res);
	if (rc != SL_OK)
		return rc;
	*out = sl_value_null();
	if (res == JP_MISSING)
		return SL_OK;
	const jnode_t *cur = &root;
	for (int i = 0; i < path.n; i++) {
		const sl_value_t *tok = &path.tokens[i];
		const jnode_t *next = NULL;
		if (cur->kind == J_ARR) {
			char buf[16];
			if (tok->u.s.len == 0 || tok->u.s.len > 10)
				return SL_OK;
			memcpy(buf, tok->u.s.ptr, (size_t)tok->u.s.len);
			buf[tok->u.s.len] = '\0';
			char *end;
			long idx = strtol(buf, &end, 10);
			if (*end != '\0')
				return SL_OK;
			if (idx >= 0 && idx < cur->count)
				next = &cur->items[idx];
		} else if (cur->kind == J_OBJ) {
			for (int32_t k = 0; k < cur->count; k++) {
				const jnode_t *key = &cur->items[2 * k];
				if (key->n == tok->u.s.len &&
				    sl_fn_memcmp(key->s, tok->u.s.ptr, (size_t)key->n) == 0) {
					next = &cur->items[2 * k + 1];
					break;
				}
			}
		}
		if (next == NULL)
			return SL_OK;
		cur = next;
	}
	*out = node_text(call->arena, cur, true);
	return SL_OK;
}

/* ---- the JSON_* functions ---------------------------------------------- */

static int
fn_is_json_string(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	if (sl_value_is_null(&argv[0])) {
		*out = sl_value_bool(false);
		return SL_OK;
	}
	jnode_t j;
	jpres_t r = json_parse(call->arena, argv[0].u.s.ptr, (size_t)argv[0].u.s.len, &j);
	*out = sl_value_bool(r == JP_OK);
	return SL_OK;
}

static int
fn_json_array_length(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	jnode_t j;
	jpres_t res;
	int rc = parse_arg(call, &argv[0], &j, &res);
	if (rc != SL_OK)
		return rc;
	*out = res == JP_OK && j.kind == J_ARR ? sl_value_int(j.count) : sl_value_null();
	return SL_OK;
}

static int
fn_json_keys(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	jnode_t j;
	jpres_t res;
	int rc = parse_arg(call, &argv[0], &j, &res);
	if (rc != SL_OK)
		return rc;
	if (res != JP_OK || j.kind != J_OBJ) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_value_t arr = sl_fn_array(call->arena, j.count);
	for (int32_t i = 0; i < j.count; i++)
		arr.u.list->items[i] = sl_value_string(j.items[2 * i].s, j.items[2 * i].n);
	*out = arr;
	return SL_OK;
}

static int
fn_json_records(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	jnode_t j;
	jpres_t res;
	int rc = parse_arg(call, &argv[0], &j, &res);
	if (rc != SL_OK)
		return rc;
	if (res != JP_OK || j.kind != J_OBJ) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_value_t map = sl_fn_map(call->arena, j.count);
	for (int32_t i = 0; i < j.count; i++) {
		map.u.list->items[2 * i] = sl_value_string(j.items[2 * i].s, j.items[2 * i].n);
		map.u.list->items[2 * i + 1] = node_text(call->arena, &j.items[2 * i + 1], true);
	}
	*out = map;
	return SL_OK;
}

/* JSON_ITEMS: the items of a JSON array as JSON text; anything else is an
 * error (ksqlDB reads it as a List). */
static int
fn_json_items(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	jnode_t j;
	jpres_t res;
	int rc = parse_arg(call, &argv[0], &j, &res);
	if (rc != SL_OK)
		return rc;
	if (res != JP_OK || (j.kind != J_ARR && j.kind != J_NULL))
		return sl_fcall_error(call, "invalid JSON array: %.*s", (int)argv[0].u.s.len,
				      argv[0].u.s.ptr);
	if (j.kind == J_NULL) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_value_t arr = sl_fn_array(call->arena, j.count);
	for (int32_t i = 0; i < j.count; i++)
		arr.u.list->items[i] = node_text(call->arena, &j.items[i], false);
	*out = arr;
	return SL_OK;
}

/* JSON_CONCAT: objects merge (last value of a key wins); otherwise every
 * value becomes (or stays) an array and the arrays are concatenated. */
static int
fn_json_concat(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	*out = sl_value_null();
	if (argc == 0)
		return SL_OK;
	jnode_t *nodes = sl_arena_alloc(call->arena, sizeof(*nodes) * (size_t)argc);
	bool all_objects = true;
	for (int i = 0; i < argc; i++) {
		if (sl_value_is_null(&argv[i]))
			return SL_OK;
		jpres_t res = json_parse(call->arena, argv[i].u.s.ptr, (size_t)argv[i].u.s.len,
					 &nodes[i]);
		if (res == JP_ERROR)
			return sl_fcall_error(call, "invalid JSON format: %.*s",
					      (int)argv[i].u.s.len, argv[i].u.s.ptr);
		if (res == JP_MISSING)
			return SL_OK;
		if (nodes[i].kind != J_OBJ)
			all_objects = false;
	}
	jlist_t l = { 0 };
	if (all_objects) {
		for (int i = 0; i < argc; i++) {
			for (int32_t k = 0; k < nodes[i].count; k++) {
				const jnode_t *key = &nodes[i].items[2 * k];
				int32_t m;
				for (m = 0; m < l.n; m += 2)
					if (jstr_eq(&l.v[m], key))
						break;
				if (m < l.n) {
					l.v[m + 1] = nodes[i].items[2 * k + 1];
				} else {
					jlist_push(call->arena, &l, key);
					jlist_push(call->arena, &l, &nodes[i].items[2 * k + 1]);
				}
			}
		}
	} else {
		for (int i = 0; i < argc; i++) {
			if (nodes[i].kind == J_ARR)
				for (int32_t k = 0; k < nodes[i].count; k++)
					jlist_push(call->arena, &l, &nodes[i].items[k]);
			else
				jlist_push(call->arena, &l, &nodes[i]);
		}
	}
	jnode_t res = { .kind = all_objects ? J_OBJ : J_ARR,
			.items = l.v,
			.count = all_objects ? l.n / 2 : l.n };
	if (argc == 1)
		res = nodes[0];
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, 64);
	write_node(&b, &res, true);
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* JSON_ARRAY_CONTAINS: whether a top-level element equals val, comparing
 * only like with like (integers with INT/BIGINT, floats with DOUBLE,
 * strings, booleans, null with NULL); not an array, or malformed: false. */
static int
fn_json_array_contains(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	*out = sl_value_bool(false);
	if (sl_value_is_null(&argv[0])) {
		*out = sl_value_null();
		return SL_OK;
	}
	const sl_value_t *val = &argv[1];
	jparser_t p = { argv[0].u.s.ptr, (size_t)argv[0].u.s.len, 0, call->arena, 0 };
	skip_ws(&p);
	if (p.pos >= p.n || p.s[p.pos] != '[')
		return SL_OK;
	p.pos++;
	skip_ws(&p);
	if (p.pos < p.n && p.s[p.pos] == ']')
		return SL_OK;
	for (;;) {
		jnode_t e;
		skip_ws(&p);
		if (!parse_value(&p, &e))
			return SL_OK; /* malformed: false, as on an IOException */
		bool hit = false;
		switch (e.kind) {
		case J_NULL:
			hit = sl_value_is_null(val);
			break;
		case J_TRUE:
		case J_FALSE:
			hit = val->kind == SL_T_BOOLEAN && val->u.b == (e.kind == J_TRUE);
			break;
		case J_INT:
			if (val->kind == SL_T_INT || val->kind == SL_T_BIGINT) {
				char buf[32];
				int64_t want = val->kind == SL_T_INT ? val->u.i : val->u.l;
				if (e.n < (int32_t)sizeof(buf)) {
					memcpy(buf, e.s, (size_t)e.n);
					buf[e.n] = '\0';
					char *end;
					long long got = strtoll(buf, &end, 10);
					hit = *end == '\0' && got == want;
				}
			}
			break;
		case J_FLOAT:
			if (val->kind == SL_T_DOUBLE) {
				char buf[128];
				if (e.n < (int32_t)sizeof(buf)) {
					memcpy(buf, e.s, (size_t)e.n);
					buf[e.n] = '\0';
					hit = strtod(buf, NULL) == val->u.d;
				}
			}
			break;
		case J_STR:
			hit = val->kind == SL_T_STRING && val->u.s.len == e.n &&
			      sl_fn_memcmp(val->u.s.ptr, e.s, (size_t)e.n) == 0;
			break;
		default:
			break;
		}
		if (hit) {
			*out = sl_value_bool(true);
			return SL_OK;
		}
		skip_ws(&p);
		if (p.pos >= p.n || p.s[p.pos] != ',')
			return SL_OK;
		p.pos++;
	}
}

/* ---- TO_JSON_STRING ---------------------------------------------------- */

typedef struct kv {
	const char *k;
	size_t n;
	const sl_value_t *v;
	const sl_type_t *t;
} kv_t;

static int
kv_cmp(const void *a, const void *b)
{
	const kv_t *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = sl_fn_memcmp(x->k, y->k, n);
	if (c != 0)
		return c;
	return (x->n > y->n) - (x->n < y->n);
}

static void write_value(sl_fn_buf_t *b, sl_arena_t *a, const sl_value_t *v, const sl_type_t *t);

/* Maps and structs print with their keys sorted (ksqlDB uses a TreeMap). */
static void
write_sorted(sl_fn_buf_t *b, sl_arena_t *a, kv_t *kv, int32_t n)
{
	qsort(kv, (size_t)n, sizeof(*kv), kv_cmp);
	sl_fn_buf_putc(b, '{');
	for (int32_t i = 0; i < n; i++) {
		if (i)
			sl_fn_buf_putc(b, ',');
		write_string(b, kv[i].k, kv[i].n);
		sl_fn_buf_putc(b, ':');
		write_value(b, a, kv[i].v, kv[i].t);
	}
	sl_fn_buf_putc(b, '}');
}

static void
write_value(sl_fn_buf_t *b, sl_arena_t *a, const sl_value_t *v, const sl_type_t *t)
{
	if (sl_value_is_null(v)) {
		sl_fn_buf_add(b, "null", 4);
		return;
	}
	sl_dt_t dt;
	switch (v->kind) {
	case SL_T_BOOLEAN:
		sl_fn_buf_puts(b, v->u.b ? "true" : "false");
		break;
	case SL_T_INT:
		sl_fn_buf_printf(b, "%d", v->u.i);
		break;
	case SL_T_BIGINT:
		sl_fn_buf_printf(b, "%lld", (long long)v->u.l);
		break;
	case SL_T_DOUBLE:
		if (!isfinite(v->u.d)) {
			/* Jackson quotes non-finite numbers */
			sl_fn_buf_putc(b, '"');
			sl_fn_double_append(b, v->u.d);
			sl_fn_buf_putc(b, '"');
		} else {
			sl_fn_double_append(b, v->u.d);
		}
		break;
	case SL_T_DECIMAL:
		sl_fn_dec_format(b, v->u.dec, v->scale);
		break;
	case SL_T_STRING:
		write_string(b, v->u.s.ptr, (size_t)v->u.s.len);
		break;
	case SL_T_BYTES: {
		sl_fn_buf_t tmp;
		sl_fn_buf_init(&tmp, a, (size_t)v->u.s.len * 2 + 8);
		sl_fn_base64_encode(&tmp, (const unsigned char *)v->u.s.ptr, (size_t)v->u.s.len,
				    true);
		write_string(b, tmp.p, tmp.len);
		break;
	}
	case SL_T_DATE:
		/* LocalDate.toString() */
		sl_dt_from_date(v->u.i, &dt);
		if (dt.year > 9999)
			sl_fn_buf_printf(b, "\"+%lld-%02d-%02d\"", (long long)dt.year, dt.month,
					 dt.day);
		else if (dt.year < 0)
			sl_fn_buf_printf(b, "\"-%04lld-%02d-%02d\"", (long long)-dt.year, dt.month,
					 dt.day);
		else
			sl_fn_buf_printf(b, "\"%04lld-%02d-%02d\"", (long long)dt.year, dt.month,
					 dt.day);
		break;
	case SL_T_TIME:
		/* LocalTime.ofSecondOfDay(ms / 1000).toString() */
		sl_dt_from_time(v->u.l, &dt);
		if (dt.second)
			sl_fn_buf_printf(b, "\"%02d:%02d:%02d\"", dt.hour, dt.minute, dt.second);
		else
			sl_fn_buf_printf(b, "\"%02d:%02d\"", dt.hour, dt.minute);
		break;
	case SL_T_TIMESTAMP:
		/* yyyy-MM-dd'T'HH:mm:ss.SSS in UTC */
		sl_dt_from_instant(v->u.l, sl_tz_utc(), &dt);
		sl_fn_buf_printf(b, "\"%04lld-%02d-%02dT%02d:%02d:%02d.%03d\"", (long long)dt.year,
				 dt.month, dt.day, dt.hour, dt.minute, dt.second,
				 dt.nano / 1000000);
		break;
	case SL_T_ARRAY:
		sl_fn_buf_putc(b, '[');
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i)
				sl_fn_buf_putc(b, ',');
			write_value(b, a, &v->u.list->items[i], t ? t->elem : NULL);
		}
		sl_fn_buf_putc(b, ']');
		break;
	case SL_T_MAP: {
		int32_t n = v->u.list->n;
		kv_t *kv = sl_arena_alloc(a, sizeof(*kv) * (size_t)(n + 1));
		for (int32_t i = 0; i < n; i++) {
			const sl_value_t *k = &v->u.list->items[2 * i];
			kv[i] = (kv_t){ k->u.s.ptr, (size_t)k->u.s.len,
					&v->u.list->items[2 * i + 1], t ? t->elem : NULL };
		}
		write_sorted(b, a, kv, n);
		break;
	}
	case SL_T_STRUCT: {
		int32_t n = v->u.list->n;
		kv_t *kv = sl_arena_alloc(a, sizeof(*kv) * (size_t)(n + 1));
		for (int32_t i = 0; i < n; i++) {
			const char *name = t && i < t->nfields ? t->fields[i].name : "";
			kv[i] = (kv_t){ name, strlen(name), &v->u.list->items[i],
					t && i < t->nfields ? t->fields[i].type : NULL };
		}
		write_sorted(b, a, kv, n);
		break;
	}
	default:
		sl_fn_buf_add(b, "null", 4);
		break;
	}
}

static int
fn_to_json_string(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, 32);
	write_value(&b, call->arena, &argv[0], call->argt ? call->argt[0] : NULL);
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* ---- registration ------------------------------------------------------ */

#define NC SL_FV_NULL_CALL

static const sl_func_def_t json_defs[] = {
	{ .name = "EXTRACTJSONFIELD",
	  .category = "JSON",
	  .description = "Given a STRING that contains JSON data, extract the value at the "
			 "specified JSONPath ($.a.b, $['a'], $[0]) or NULL if the specified path "
			 "does not exist.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR, path VARCHAR", "VARCHAR",
							   fn_extractjsonfield, .init = init_path),
						   { 0 } } },
	{ .name = "IS_JSON_STRING",
	  .category = "JSON",
	  .description = "Given a string, returns true if it can be parsed as a valid JSON value, "
			 "false otherwise.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "BOOLEAN",
							   fn_is_json_string, .flags = NC),
						   { 0 } } },
	{ .name = "JSON_ARRAY_CONTAINS",
	  .category = "JSON",
	  .description = "Parses a JSON array and determines whether or not the supplied value is "
			 "contained within the array.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("jsonArray VARCHAR, val T", "BOOLEAN",
							   fn_json_array_contains, .flags = NC),
						   { 0 } } },
	{ .name = "JSON_ARRAY_LENGTH",
	  .category = "JSON",
	  .description = "Given a string, parses it as a JSON value and returns the length of the "
			 "top-level array; NULL if it is not a JSON array.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("jsonArray VARCHAR", "INT", fn_json_array_length), { 0 } } },
	{ .name = "JSON_CONCAT",
	  .category = "JSON",
	  .description = "Given N strings, parse them as JSON values and return a string "
			 "representing their concatenation: objects merge their keys (the last "
			 "value wins), otherwise values are concatenated as arrays. NULL if any "
			 "input is NULL or not JSON.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("jsonStrings VARCHAR...", "VARCHAR",
							   fn_json_concat, .flags = NC),
						   { 0 } } },
	{ .name = "JSON_ITEMS",
	  .category = "JSON",
	  .description = "Given a string with a JSON array, converts it to an array of JSON "
			 "strings.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("jsonItems VARCHAR", "ARRAY<VARCHAR>", fn_json_items), { 0 } } },
	{ .name = "JSON_KEYS",
	  .category = "JSON",
	  .description = "Given a string, parses it as a JSON object and returns an array of its "
			 "top-level keys; NULL if it is not a JSON object.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("jsonObj VARCHAR", "ARRAY<VARCHAR>", fn_json_keys), { 0 } } },
	{ .name = "JSON_RECORDS",
	  .category = "JSON",
	  .description =
		  "Given a string, parses it as a JSON object and returns a map of its "
		  "top-level keys and values (as JSON text, strings unquoted); NULL if it is "
		  "not a JSON object.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("jsonObj VARCHAR", "MAP<VARCHAR, VARCHAR>", fn_json_records),
			  { 0 } } },
	{ .name = "TO_JSON_STRING",
	  .category = "JSON",
	  .description = "Given any ksqlDB type returns the equivalent JSON string.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input T", "VARCHAR", fn_to_json_string, .flags = NC), { 0 } } },
	{ 0 }
};

void
sl_fn_json_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, json_defs);
}
