/*
 * json_decode.c: the JSON deserializer, a schema-directed parser.
 *
 * Stage: format.  Takes a payload and the serde's plan of the expected
 * type; hands on sl_value_t's.  No document tree is built: the parser
 * walks the text once, looks object keys up among the expected fields
 * (exact name first, else the key upper-cased, as ksqlDB does), decodes
 * a field's value straight into its slot, and validates-and-skips what is
 * not wanted.  A JSON value of another type than the column's is coerced
 * as ksqlDB's KsqlJsonDeserializer does (docs/formats.md); what cannot be
 * coerced fails the record with the JSON path of the field.
 *
 * Safety: every read is bounded by the end of the payload; nesting is
 * limited to SL_JSON_MAX_DEPTH (recursion follows the declared type, so
 * only skipping and the text conversion of objects into STRING columns
 * follow the data, and both count depth); strings must be valid UTF-8 and
 * escapes complete.  Strings without escapes point into the payload;
 * everything else is built in the caller's arena.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "format/scalar.h"
#include "format/serde_impl.h"

#define JPATH_MAX 32

typedef struct jseg {
	const char *name; /* field or map key; NULL for an array index */
	int32_t len;
	int32_t idx;
} jseg_t;

typedef struct jdec {
	const char *p;
	const char *end;
	const char *base;
	sl_arena_t *arena;
	sl_error_t *err;
	int depth;
	int npath;
	jseg_t path[JPATH_MAX];
} jdec_t;

/* A growable buffer in the arena (old copies are left behind). */
typedef struct abuf {
	char *p;
	size_t len, cap;
	sl_arena_t *arena;
} abuf_t;

static char *
abuf_reserve(abuf_t *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *np;

		while (cap - b->len < n)
			cap *= 2;
		np = sl_arena_alloc(b->arena, cap);
		if (b->len)
			memcpy(np, b->p, b->len);
		b->p = np;
		b->cap = cap;
	}
	return b->p + b->len;
}

static void
abuf_put(abuf_t *b, const char *s, size_t n)
{
	memcpy(abuf_reserve(b, n), s, n);
	b->len += n;
}

/* ---- plans ---- */

const sl_jplan_t *
sl_jplan_build(sl_arena_t *a, const sl_type_t *t)
{
	sl_jplan_t *pl = sl_arena_calloc(a, sizeof(*pl));

	pl->type = t;
	pl->kind = t->kind;
	switch (t->kind) {
	case SL_T_ARRAY:
	case SL_T_MAP:
		pl->elem = sl_jplan_build(a, t->elem);
		break;
	case SL_T_STRUCT: {
		sl_jfield_t *f =
			sl_arena_calloc(a, sizeof(*f) * (size_t)(t->nfields ? t->nfields : 1));

		pl->nfields = t->nfields;
		pl->ci_unique = true;
		for (int i = 0; i < t->nfields; i++) {
			size_t n = strlen(t->fields[i].name);
			/* zero-padded to whole words for key_match() */
			char *name = sl_arena_calloc(a, (n + 8) & ~(size_t)7);

			memcpy(name, t->fields[i].name, n);
			f[i].name = name;
			f[i].len = (uint32_t)n;
			f[i].plan = sl_jplan_build(a, t->fields[i].type);
			for (int j = 0; j < i; j++) {
				if (f[j].len != f[i].len)
					continue;
				bool same = true;

				for (uint32_t k = 0; k < f[i].len && same; k++) {
					char x = f[i].name[k], y = f[j].name[k];

					if (x >= 'a' && x <= 'z')
						x = (char)(x - 32);
					if (y >= 'a' && y <= 'z')
						y = (char)(y - 32);
					same = x == y;
				}
				if (same)
					pl->ci_unique = false;
			}
		}
		pl->fields = f;
		break;
	}
	default:
		break;
	}
	return pl;
}

/* ---- errors ---- */

static void
path_format(const jdec_t *d, char *buf, size_t size)
{
	sl_strbuf_t sb;

	sl_strbuf_init(&sb);
	sl_strbuf_putc(&sb, '$');
	for (int i = 0; i < d->npath && i < JPATH_MAX; i++) {
		if (d->path[i].name != NULL) {
			sl_strbuf_putc(&sb, '.');
			sl_strbuf_append(&sb, d->path[i].name, (size_t)d->path[i].len);
		} else {
			sl_strbuf_printf(&sb, "[%d]", d->path[i].idx);
		}
	}
	if (d->npath > JPATH_MAX)
		sl_strbuf_puts(&sb, "...");
	snprintf(buf, size, "%s", sb.data);
	sl_strbuf_free(&sb);
}

static int
jsyntax(jdec_t *d, const char *what)
{
	return sl_error_set(d->err, SL_EINVAL, "malformed JSON at byte %zu: %s",
			    (size_t)(d->p - d->base), what);
}

static int
jmismatch(jdec_t *d, const char *jkind, const sl_jplan_t *pl)
{
	char tb[160], pb[256];

	sl_type_str(pl->type, tb, sizeof(tb));
	path_format(d, pb, sizeof(pb));
	return sl_error_set(d->err, SL_EINVAL, "cannot convert JSON %s to %s, path: %s", jkind, tb,
			    pb);
}

static int
jcoerce(jdec_t *d, const sl_jplan_t *pl)
{
	char tb[160], pb[256];

	sl_type_str(pl->type, tb, sizeof(tb));
	path_format(d, pb, sizeof(pb));
	return sl_error_set(d->err, SL_EINVAL, "cannot coerce JSON string to %s, path: %s", tb, pb);
}

static int
jdecimal_error(jdec_t *d, const sl_jplan_t *pl, int why)
{
	char pb[256];
	int p = pl->type->precision, s = pl->type->scale;

	path_format(d, pb, sizeof(pb));
	if (why == SL_NUMLIT_OVERFLOW)
		return sl_error_set(
			d->err, SL_EINVAL,
			"numeric field overflow: a field with precision %d and scale %d "
			"must round to an absolute value less than 10^%d, path: %s",
			p, s, p - s, pb);
	return sl_error_set(d->err, SL_EINVAL,
			    "cannot fit decimal into DECIMAL(%d, %d) without rounding, path: %s", p,
			    s, pb);
}

static inline void
path_push(jdec_t *d, const char *name, int32_t len, int32_t idx)
{
	if (d->npath < JPATH_MAX) {
		d->path[d->npath].name = name;
		d->path[d->npath].len = len;
		d->path[d->npath].idx = idx;
	}
	d->npath++;
}

static inline void
path_pop(jdec_t *d)
{
	d->npath--;
}

/* ---- lexing ---- */

static inline void
skip_ws(jdec_t *d)
{
	/* compact JSON has none: one test for the common case */
	if (d->p < d->end && (unsigned char)*d->p > ' ')
		return;
	while (d->p < d->end && (*d->p == ' ' || *d->p == '\n' || *d->p == '\r' || *d->p == '\t'))
		d->p++;
}

/* Expects c (after whitespace) and steps over it. */
static inline int
expect(jdec_t *d, char c, const char *what)
{
	skip_ws(d);
	if (d->p >= d->end || *d->p != c)
		return jsyntax(d, d->p >= d->end ? "unexpected end of input" : what);
	d->p++;
	return SL_OK;
}

static int
literal(jdec_t *d, const char *lit, size_t n)
{
	if ((size_t)(d->end - d->p) < n || memcmp(d->p, lit, n) != 0)
		return jsyntax(d, "invalid literal");
	d->p += n;
	return SL_OK;
}

static inline int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JSON_SWAR 1
#else
#define JSON_SWAR 0
#endif

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/* The high bit of each byte of w that is '"', '\\', below 0x20 or above
 * 0x7F; bytes above the first flagged one may be flagged wrongly. */
static inline uint64_t
swar_special(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
	uint64_t lt = (w - ONES * 0x20) & ~w, zq = (q - ONES) & ~q, zb = (b - ONES) & ~b;

	return (lt | zq | zb | w) & HIGH;
}

/* w with ASCII a-z turned into A-Z. */
static inline uint64_t
swar_upper(uint64_t w)
{
	uint64_t h = w & ~HIGH;
	uint64_t lower = ((h + ONES * 0x1f) ^ (h + ONES * 0x05)) & ~w & HIGH;

	return w - (lower >> 2);
}

/* Bytes that end a run of plain string characters. */
static const uint8_t str_special[256] = {
	[0x00 ... 0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
	[0x80 ... 0xff] = 1,
};

/*
 * d->p is at an opening quote.  Validates the string (escapes, control
 * characters, UTF-8) and steps past the closing quote; *s and *len give the
 * raw contents, *esc whether they hold escapes.
 */
static int
scan_string(jdec_t *d, const char **s, size_t *len, bool *esc)
{
	const unsigned char *p = (const unsigned char *)d->p + 1;
	const unsigned char *end = (const unsigned char *)d->end;
	bool e = false;

	for (;;) {
#if JSON_SWAR
		/* eight bytes at a time up to the first special one */
		while (end - p >= 8) {
			uint64_t w, m;

			memcpy(&w, p, 8);
			m = swar_special(w);
			if (m != 0) {
				p += __builtin_ctzll(m) / 8;
				break;
			}
			p += 8;
		}
#endif
		while (p < end && !str_special[*p])
			p++;
		if (p >= end) {
			d->p = (const char *)p;
			return jsyntax(d, "unterminated string");
		}
		if (*p == '"')
			break;
		if (*p == '\\') {
			e = true;
			if (p + 1 >= end) {
				d->p = (const char *)p;
				return jsyntax(d, "unterminated string");
			}
			switch (p[1]) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				p += 2;
				continue;
			case 'u':
				if (end - p < 6 || hexval(p[2]) < 0 || hexval(p[3]) < 0 ||
				    hexval(p[4]) < 0 || hexval(p[5]) < 0) {
					d->p = (const char *)p;
					return jsyntax(d, "invalid \\u escape");
				}
				p += 6;
				continue;
			default:
				d->p = (const char *)p;
				return jsyntax(d, "invalid escape in string");
			}
		}
		if (*p < 0x20) {
			d->p = (const char *)p;
			return jsyntax(d, "control character in string");
		}
		int k = sl_fmt_utf8_seq(p, (size_t)(end - p));

		if (k == 0) {
			d->p = (const char *)p;
			return jsyntax(d, "invalid UTF-8 in string");
		}
		p += k;
	}
	*s = d->p + 1;
	*len = (size_t)((const char *)p - *s);
	*esc = e;
	d->p = (const char *)p + 1;
	return SL_OK;
}

static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static uint32_t
hex4(const char *p)
{
	return (uint32_t)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 |
			  hexval(p[3]));
}

/*
 * Unescapes the raw string s[0..n) (already validated by scan_string) into
 * out, which has room for n bytes (no escape grows).  A lone surrogate
 * becomes U+FFFD.  Returns the length.
 */
static size_t
unescape_into(char *out, const char *s, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		const char *bs = memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		uint32_t cp;

		memcpy(out + o, s + i, run);
		o += run;
		i += run;
		if (i >= n)
			break;
		switch (s[i + 1]) {
		case 'b':
			out[o++] = '\b';
			i += 2;
			continue;
		case 'f':
			out[o++] = '\f';
			i += 2;
			continue;
		case 'n':
			out[o++] = '\n';
			i += 2;
			continue;
		case 'r':
			out[o++] = '\r';
			i += 2;
			continue;
		case 't':
			out[o++] = '\t';
			i += 2;
			continue;
		case 'u':
			break;
		default:
			out[o++] = s[i + 1];
			i += 2;
			continue;
		}
		cp = hex4(s + i + 2);
		i += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF && n - i >= 6 && s[i] == '\\' && s[i + 1] == 'u') {
			uint32_t lo = hex4(s + i + 2);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
		}
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = 0xFFFD;
		o += put_utf8(out + o, cp);
	}
	return o;
}

/* The contents of a scanned string, unescaped into the arena if needed. */
static void
string_value(jdec_t *d, const char *s, size_t n, bool esc, const char **out, size_t *outlen)
{
	if (!esc) {
		*out = s;
		*outlen = n;
		return;
	}
	char *buf = sl_arena_alloc(d->arena, n);

	*outlen = unescape_into(buf, s, n);
	*out = buf;
}

static int
scan_number(jdec_t *d, sl_numlit_t *lit)
{
	size_t n = sl_numlit_parse_json(d->p, (size_t)(d->end - d->p), lit);

	if (n == 0)
		return jsyntax(d, "invalid number");
	d->p += n;
	return SL_OK;
}

/* ---- validating skip ---- */

/*
 * Steps over one JSON value, validating it, without recursion: a bit
 * stack remembers whether each open container is an object or an array.
 */
static int
skip_value(jdec_t *d)
{
	uint8_t stack[(SL_JSON_MAX_DEPTH + 7) / 8];
	int depth = 0, rc;
	const char *s;
	size_t n;
	bool esc;
	sl_numlit_t lit;

value:
	skip_ws(d);
	if (d->p >= d->end)
		return jsyntax(d, "unexpected end of input");
	switch (*d->p) {
	case '{':
	case '[': {
		bool obj = *d->p == '{';

		if (d->depth + depth + 1 > SL_JSON_MAX_DEPTH)
			return jsyntax(d, "nesting too deep");
		d->p++;
		skip_ws(d);
		if (d->p < d->end && *d->p == (obj ? '}' : ']')) {
			d->p++;
			goto after;
		}
		if (obj)
			stack[depth / 8] |= (uint8_t)(1u << (depth % 8));
		else
			stack[depth / 8] &= (uint8_t) ~(1u << (depth % 8));
		depth++;
		if (obj)
			goto key;
		goto value;
	}
	case '"':
		rc = scan_string(d, &s, &n, &esc);
		break;
	case 't':
		rc = literal(d, "true", 4);
		break;
	case 'f':
		rc = literal(d, "false", 5);
		break;
	case 'n':
		rc = literal(d, "null", 4);
		break;
	default:
		rc = scan_number(d, &lit);
		break;
	}
	if (rc != SL_OK)
		return rc;
after:
	if (depth == 0)
		return SL_OK;
	skip_ws(d);
	if (d->p >= d->end)
		return jsyntax(d, "unexpected end of input");
	if (stack[(depth - 1) / 8] & (1u << ((depth - 1) % 8))) {
		if (*d->p == ',') {
			d->p++;
			goto key;
		}
		if (*d->p != '}')
			return jsyntax(d, "expected ',' or '}'");
	} else {
		if (*d->p == ',') {
			d->p++;
			goto value;
		}
		if (*d->p != ']')
			return jsyntax(d, "expected ',' or ']'");
	}
	d->p++;
	depth--;
	goto after;
key:
	skip_ws(d);
	if (d->p >= d->end || *d->p != '"')
		return jsyntax(d, d->p >= d->end ? "unexpected end of input" :
						   "expected a field name");
	rc = scan_string(d, &s, &n, &esc);
	if (rc != SL_OK)
		return rc;
	rc = expect(d, ':', "expected ':'");
	if (rc != SL_OK)
		return rc;
	goto value;
}

/* ---- JSON to text (STRING columns given objects or arrays) ---- */

static int text_compact(jdec_t *d, abuf_t *b);

/* Writes a scanned string literal as Jackson writes it. */
static void
text_put_string(jdec_t *d, abuf_t *b, const char *s, size_t n, bool esc)
{
	const char *v;
	size_t vn;

	string_value(d, s, n, esc, &v, &vn);
	char *w = abuf_reserve(b, 6 * vn + 2);

	b->len = (size_t)(sl_json_escape_to(w, v, vn) - b->p);
}

static void
text_put_number(abuf_t *b, const sl_numlit_t *lit)
{
	char *w = abuf_reserve(b, lit->len + 32);

	b->len += sl_numlit_jackson_text(lit, w);
}

/* One JSON value as Jackson's writeValueAsString writes it back: compact,
 * strings re-escaped, decimals as BigDecimal.toString(). */
static int
text_compact(jdec_t *d, abuf_t *b)
{
	const char *s;
	size_t n;
	bool esc;
	sl_numlit_t lit;
	int rc;

	skip_ws(d);
	if (d->p >= d->end)
		return jsyntax(d, "unexpected end of input");
	switch (*d->p) {
	case '{':
	case '[': {
		bool obj = *d->p == '{';
		char close = obj ? '}' : ']';

		if (++d->depth > SL_JSON_MAX_DEPTH)
			return jsyntax(d, "nesting too deep");
		abuf_put(b, d->p, 1);
		d->p++;
		skip_ws(d);
		if (d->p < d->end && *d->p == close) {
			d->p++;
		} else {
			for (;;) {
				if (obj) {
					skip_ws(d);
					if (d->p >= d->end || *d->p != '"')
						return jsyntax(d, "expected a field name");
					if ((rc = scan_string(d, &s, &n, &esc)) != SL_OK)
						return rc;
					text_put_string(d, b, s, n, esc);
					if ((rc = expect(d, ':', "expected ':'")) != SL_OK)
						return rc;
					abuf_put(b, ":", 1);
				}
				if ((rc = text_compact(d, b)) != SL_OK)
					return rc;
				skip_ws(d);
				if (d->p < d->end && *d->p == ',') {
					d->p++;
					abuf_put(b, ",", 1);
					continue;
				}
				if (d->p < d->end && *d->p == close) {
					d->p++;
					break;
				}
				return jsyntax(d,
					       obj ? "expected ',' or '}'" : "expected ',' or ']'");
			}
		}
		abuf_put(b, &close, 1);
		d->depth--;
		return SL_OK;
	}
	case '"':
		if ((rc = scan_string(d, &s, &n, &esc)) != SL_OK)
			return rc;
		text_put_string(d, b, s, n, esc);
		return SL_OK;
	case 't':
		abuf_put(b, "true", 4);
		return literal(d, "true", 4);
	case 'f':
		abuf_put(b, "false", 5);
		return literal(d, "false", 5);
	case 'n':
		abuf_put(b, "null", 4);
		return literal(d, "null", 4);
	default:
		if ((rc = scan_number(d, &lit)) != SL_OK)
			return rc;
		text_put_number(b, &lit);
		return SL_OK;
	}
}

/*
 * An array as ksqlDB turns it into a STRING: "[" + its elements as
 * strings joined by ", " + "]", where a string element is its bare text,
 * null is "null", an object its compact JSON and an array recursively so.
 */
static int
text_array(jdec_t *d, abuf_t *b)
{
	const char *s;
	size_t n;
	bool esc;
	sl_numlit_t lit;
	int rc;

	if (++d->depth > SL_JSON_MAX_DEPTH)
		return jsyntax(d, "nesting too deep");
	d->p++; /* '[' */
	abuf_put(b, "[", 1);
	skip_ws(d);
	if (d->p < d->end && *d->p == ']') {
		d->p++;
		goto done;
	}
	for (bool first = true;; first = false) {
		if (!first)
			abuf_put(b, ", ", 2);
		skip_ws(d);
		if (d->p >= d->end)
			return jsyntax(d, "unexpected end of input");
		switch (*d->p) {
		case '{':
			rc = text_compact(d, b);
			break;
		case '[':
			rc = text_array(d, b);
			break;
		case '"':
			rc = scan_string(d, &s, &n, &esc);
			if (rc == SL_OK) {
				const char *v;
				size_t vn;

				string_value(d, s, n, esc, &v, &vn);
				abuf_put(b, v, vn);
			}
			break;
		case 't':
			rc = literal(d, "true", 4);
			abuf_put(b, "true", 4);
			break;
		case 'f':
			rc = literal(d, "false", 5);
			abuf_put(b, "false", 5);
			break;
		case 'n':
			rc = literal(d, "null", 4);
			abuf_put(b, "null", 4);
			break;
		default:
			rc = scan_number(d, &lit);
			if (rc == SL_OK)
				text_put_number(b, &lit);
			break;
		}
		if (rc != SL_OK)
			return rc;
		skip_ws(d);
		if (d->p < d->end && *d->p == ',') {
			d->p++;
			continue;
		}
		if (d->p < d->end && *d->p == ']') {
			d->p++;
			break;
		}
		return jsyntax(d, "expected ',' or ']'");
	}
done:
	abuf_put(b, "]", 1);
	d->depth--;
	return SL_OK;
}

/* ---- schema-directed decoding ---- */

static int decode_value(jdec_t *d, const sl_jplan_t *pl, sl_value_t *out);

static inline void
set_string(sl_value_t *out, sl_tkind_t kind, const char *s, size_t n)
{
	out->kind = (uint8_t)kind;
	out->u.s.ptr = s;
	out->u.s.len = (int32_t)n;
}

/* A JSON number for a column of plan pl. */
/*
 * A plain JSON integer of at most 18 digits (the common case) for an
 * integral column: its value, and d->p past it.  False, with d->p
 * unmoved, for anything else.
 */
static inline bool
fast_integer(jdec_t *d, int64_t *out)
{
	const char *p = d->p, *end = d->end;
	bool neg = false;
	uint64_t v = 0;
	int n = 0;

	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	const char *stop = end - p > 19 ? p + 19 : end;
	unsigned dg;

	while (p < stop && (dg = (unsigned)(unsigned char)*p - '0') < 10) {
		v = v * 10 + dg;
		p++;
	}
	n = (int)(p - d->p) - neg;
	if (n == 0 || n > 18 || (n > 1 && p[-n] == '0'))
		return false;
	if (p < end && (*p == '.' || *p == 'e' || *p == 'E' || (unsigned)(*p - '0') < 10))
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	d->p = p;
	return true;
}

static int
from_number(jdec_t *d, const sl_jplan_t *pl, sl_value_t *out)
{
	sl_numlit_t lit;
	int64_t iv;
	int rc;

	switch (pl->kind) {
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
		if (fast_integer(d, &iv)) {
			out->kind = (uint8_t)pl->kind;
			out->u.l = iv;
			return SL_OK;
		}
		break;
	case SL_T_INT:
	case SL_T_DATE:
		if (fast_integer(d, &iv)) {
			out->kind = (uint8_t)pl->kind;
			out->u.i = (int32_t)(uint32_t)(uint64_t)iv;
			return SL_OK;
		}
		break;
	default:
		break;
	}
	rc = scan_number(d, &lit);

	if (rc != SL_OK)
		return rc;
	switch (pl->kind) {
	case SL_T_INT:
		out->kind = SL_T_INT;
		out->u.i = (int32_t)(uint32_t)sl_numlit_trunc(&lit);
		return SL_OK;
	case SL_T_DATE:
		out->kind = SL_T_DATE;
		out->u.i = (int32_t)(uint32_t)sl_numlit_trunc(&lit);
		return SL_OK;
	case SL_T_TIME:
		out->kind = SL_T_TIME;
		out->u.l = (int32_t)(uint32_t)sl_numlit_trunc(&lit);
		return SL_OK;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
		out->kind = (uint8_t)pl->kind;
		out->u.l = (int64_t)sl_numlit_trunc(&lit);
		return SL_OK;
	case SL_T_DOUBLE:
		out->kind = SL_T_DOUBLE;
		out->u.d = sl_numlit_double(&lit);
		return SL_OK;
	case SL_T_DECIMAL: {
		int why =
			sl_numlit_decimal(&lit, pl->type->precision, pl->type->scale, &out->u.dec);

		if (why != 0)
			return jdecimal_error(d, pl, why);
		out->kind = SL_T_DECIMAL;
		out->precision = (uint8_t)pl->type->precision;
		out->scale = (int8_t)pl->type->scale;
		return SL_OK;
	}
	case SL_T_STRING: {
		char *buf = sl_arena_alloc(d->arena, lit.len + 32);

		set_string(out, SL_T_STRING, buf, sl_numlit_jackson_text(&lit, buf));
		return SL_OK;
	}
	default:
		d->p = lit.text;
		return jmismatch(d, "number", pl);
	}
}

/* A JSON string for a column of plan pl. */
static int
from_string(jdec_t *d, const sl_jplan_t *pl, sl_value_t *out)
{
	const char *raw, *s;
	size_t rawlen, n;
	bool esc;
	int rc = scan_string(d, &raw, &rawlen, &esc);

	if (rc != SL_OK)
		return rc;
	switch (pl->kind) {
	case SL_T_STRING:
		string_value(d, raw, rawlen, esc, &s, &n);
		set_string(out, SL_T_STRING, s, n);
		return SL_OK;
	case SL_T_BOOLEAN:
	case SL_T_ARRAY:
	case SL_T_MAP:
	case SL_T_STRUCT:
		d->p = raw - 1;
		return jmismatch(d, "string", pl);
	default:
		break;
	}
	string_value(d, raw, rawlen, esc, &s, &n);
	switch (pl->kind) {
	case SL_T_INT:
	case SL_T_DATE:
		if (!sl_fmt_parse_int(s, n, &out->u.i))
			return jcoerce(d, pl);
		out->kind = (uint8_t)pl->kind;
		return SL_OK;
	case SL_T_TIME: {
		int32_t ms;

		if (!sl_fmt_parse_int(s, n, &ms))
			return jcoerce(d, pl);
		out->kind = SL_T_TIME;
		out->u.l = ms;
		return SL_OK;
	}
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
		if (!sl_fmt_parse_long(s, n, &out->u.l))
			return jcoerce(d, pl);
		out->kind = (uint8_t)pl->kind;
		return SL_OK;
	case SL_T_DOUBLE:
		if (!sl_fmt_parse_double(s, n, &out->u.d))
			return jcoerce(d, pl);
		out->kind = SL_T_DOUBLE;
		return SL_OK;
	case SL_T_DECIMAL: {
		sl_numlit_t lit;
		int why;

		if (!sl_numlit_parse_bigdecimal(s, n, &lit))
			return jcoerce(d, pl);
		why = sl_numlit_decimal(&lit, pl->type->precision, pl->type->scale, &out->u.dec);
		if (why != 0)
			return jdecimal_error(d, pl, why);
		out->kind = SL_T_DECIMAL;
		out->precision = (uint8_t)pl->type->precision;
		out->scale = (int8_t)pl->type->scale;
		return SL_OK;
	}
	case SL_T_BYTES: {
		unsigned char *buf = sl_arena_alloc(d->arena, n / 4 * 3 + 3);
		size_t blen;

		if (!sl_fmt_b64_decode(s, n, buf, &blen)) {
			char pb[256];

			path_format(d, pb, sizeof(pb));
			return sl_error_set(d->err, SL_EINVAL,
					    "JSON string is not valid base64 for BYTES, path: %s",
					    pb);
		}
		set_string(out, SL_T_BYTES, (const char *)buf, blen);
		return SL_OK;
	}
	default:
		return jmismatch(d, "string", pl);
	}
}

/*
 * Compares key k[0..n) with a field name (zero-padded to whole words):
 * 2 when equal, 1 when the key upper-cased (ASCII) equals it, else 0.
 * Whole words are read from k only below kend.
 */
static inline int
key_match(const char *k, size_t n, const char *name, const char *kend)
{
	bool ex = true, ci = true;
	size_t m = 0;

#if JSON_SWAR
	if (kend - k >= (ptrdiff_t)((n + 7) & ~(size_t)7)) {
		for (; m < n; m += 8) {
			uint64_t kw, nw, mask = n - m >= 8 ? ~0ULL : (1ULL << (8 * (n - m))) - 1;

			memcpy(&kw, k + m, 8);
			memcpy(&nw, name + m, 8);
			kw &= mask;
			ex = ex && kw == nw;
			ci = ci && swar_upper(kw) == nw;
			if (!ex && !ci)
				return 0;
		}
		return ex ? 2 : 1;
	}
#endif
	for (; m < n; m++) {
		char c = k[m], fc = name[m];

		ex = ex && c == fc;
		ci = ci && (c >= 'a' && c <= 'z' ? (char)(c - 32) : c) == fc;
		if (!ex && !ci)
			return 0;
	}
	return ex ? 2 : 1;
}

/* Finds the field for key k[0..n): an exact match, else one whose name is
 * k upper-cased.  *cursor remembers where the last match was, since
 * fields usually come in declaration order. */
static int
match_field(const sl_jplan_t *pl, const char *k, size_t n, const char *kend, int *cursor,
	    bool *exact)
{
	int nf = pl->nfields, cand = -1;

	for (int j = 0, i = *cursor; j < nf; j++, i = i + 1 == nf ? 0 : i + 1) {
		const sl_jfield_t *f = &pl->fields[i];
		int r;

		if (f->len != n)
			continue;
		r = key_match(k, n, f->name, kend);
		if (r == 2) {
			*exact = true;
			*cursor = i + 1 == nf ? 0 : i + 1;
			return i;
		}
		if (r == 1 && cand < 0) {
			cand = i;
			if (pl->ci_unique)
				break;
		}
	}
	if (cand >= 0) {
		*exact = false;
		*cursor = cand + 1 == nf ? 0 : cand + 1;
	}
	return cand;
}

/*
 * An object for the STRUCT plan pl, into vals[0..pl->nfields) (zeroed by
 * the caller).  A field given twice takes the last value, and an exact
 * name wins over a case-insensitive one wherever it appears (Jackson's
 * ObjectNode, then ksqlDB's upper-cased lookup).
 */
static int
decode_struct(jdec_t *d, const sl_jplan_t *pl, sl_value_t *vals)
{
	uint64_t exact_small = 0;
	uint8_t *exact_big = NULL;
	int cursor = 0, rc;

	if (++d->depth > SL_JSON_MAX_DEPTH)
		return jsyntax(d, "nesting too deep");
	d->p++; /* '{' */
	skip_ws(d);
	if (d->p < d->end && *d->p == '}') {
		d->p++;
		d->depth--;
		return SL_OK;
	}
	if (pl->nfields > 64)
		exact_big = sl_arena_calloc(d->arena, (size_t)pl->nfields);
	for (;;) {
		const char *raw, *k;
		size_t rawlen, kn;
		bool esc, exact = false;
		int i;

		skip_ws(d);
		if (d->p >= d->end || *d->p != '"')
			return jsyntax(d, d->p >= d->end ? "unexpected end of input" :
							   "expected a field name");
		if ((rc = scan_string(d, &raw, &rawlen, &esc)) != SL_OK)
			return rc;
		if ((rc = expect(d, ':', "expected ':'")) != SL_OK)
			return rc;
		if (esc) {
			char *buf = sl_arena_alloc(d->arena, rawlen);

			kn = unescape_into(buf, raw, rawlen);
			k = buf;
		} else {
			k = raw;
			kn = rawlen;
		}
		i = pl->nfields > 0 ?
			    match_field(pl, k, kn, esc ? k + kn : d->end, &cursor, &exact) :
			    -1;
		if (i >= 0 && !exact) {
			bool had = exact_big ? exact_big[i] : (exact_small >> i) & 1;

			if (had)
				i = -1;
		}
		if (i < 0) {
			rc = skip_value(d);
		} else {
			if (exact) {
				if (exact_big)
					exact_big[i] = 1;
				else
					exact_small |= (uint64_t)1 << i;
			}
			path_push(d, pl->fields[i].name, (int32_t)pl->fields[i].len, -1);
			rc = decode_value(d, pl->fields[i].plan, &vals[i]);
			path_pop(d);
		}
		if (rc != SL_OK)
			return rc;
		skip_ws(d);
		if (d->p < d->end && *d->p == ',') {
			d->p++;
			continue;
		}
		if (d->p < d->end && *d->p == '}') {
			d->p++;
			break;
		}
		return jsyntax(d,
			       d->p >= d->end ? "unexpected end of input" : "expected ',' or '}'");
	}
	d->depth--;
	return SL_OK;
}

/* Room for k more items in a vector being grown in the arena. */
static sl_value_t *
vec_grow(jdec_t *d, sl_value_t **items, int32_t n, int32_t *cap, int32_t k)
{
	if (*cap - n < k) {
		int32_t ncap = *cap ? *cap * 2 : 8;
		sl_value_t *ni;

		while (ncap - n < k)
			ncap *= 2;
		ni = sl_arena_alloc(d->arena, sizeof(*ni) * (size_t)ncap);
		if (n)
			memcpy(ni, *items, sizeof(*ni) * (size_t)n);
		*items = ni;
		*cap = ncap;
	}
	memset(*items + n, 0, sizeof(**items) * (size_t)k);
	return *items + n;
}

static int
decode_array(jdec_t *d, const sl_jplan_t *pl, sl_value_t *out)
{
	sl_value_t *items = NULL;
	int32_t n = 0, cap = 0;
	sl_vlist_t *list;
	int rc;

	if (++d->depth > SL_JSON_MAX_DEPTH)
		return jsyntax(d, "nesting too deep");
	d->p++; /* '[' */
	skip_ws(d);
	if (d->p < d->end && *d->p == ']') {
		d->p++;
	} else {
		for (;;) {
			sl_value_t *slot = vec_grow(d, &items, n, &cap, 1);

			path_push(d, NULL, 0, n);
			rc = decode_value(d, pl->elem, slot);
			path_pop(d);
			if (rc != SL_OK)
				return rc;
			n++;
			skip_ws(d);
			if (d->p < d->end && *d->p == ',') {
				d->p++;
				continue;
			}
			if (d->p < d->end && *d->p == ']') {
				d->p++;
				break;
			}
			return jsyntax(d, d->p >= d->end ? "unexpected end of input" :
							   "expected ',' or ']'");
		}
	}
	list = sl_arena_alloc(d->arena, sizeof(*list));
	list->n = n;
	list->items = items;
	out->kind = SL_T_ARRAY;
	out->u.list = list;
	d->depth--;
	return SL_OK;
}

static uint64_t
key_hash(const sl_value_t *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (int32_t i = 0; i < k->u.s.len; i++)
		h = (h ^ (unsigned char)k->u.s.ptr[i]) * 1099511628211ULL;
	return h;
}

static inline bool
key_eq(const sl_value_t *a, const sl_value_t *b)
{
	return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, (size_t)a->u.s.len) == 0;
}

/* Drops repeated keys of items[0..2n): the last value wins, in the place
 * of the first (a Java map's put).  Returns the new entry count. */
static int32_t
map_dedupe(jdec_t *d, sl_value_t *items, int32_t n)
{
	int32_t m = 0;

	if (n <= 16) {
		for (int32_t i = 0; i < n; i++) {
			int32_t j = 0;

			while (j < m && !key_eq(&items[2 * j], &items[2 * i]))
				j++;
			if (j < m) {
				items[2 * j + 1] = items[2 * i + 1];
			} else {
				items[2 * m] = items[2 * i];
				items[2 * m + 1] = items[2 * i + 1];
				m++;
			}
		}
		return m;
	}
	uint32_t size = 32;

	while (size < (uint32_t)n * 2)
		size *= 2;
	int32_t *tab = sl_arena_alloc(d->arena, sizeof(*tab) * size);

	memset(tab, 0xff, sizeof(*tab) * size);
	for (int32_t i = 0; i < n; i++) {
		uint32_t h = (uint32_t)key_hash(&items[2 * i]) & (size - 1);

		while (tab[h] >= 0 && !key_eq(&items[2 * tab[h]], &items[2 * i]))
			h = (h + 1) & (size - 1);
		if (tab[h] >= 0) {
			items[2 * tab[h] + 1] = items[2 * i + 1];
		} else {
			tab[h] = m;
			items[2 * m] = items[2 * i];
			items[2 * m + 1] = items[2 * i + 1];
			m++;
		}
	}
	return m;
}

static int
decode_map(jdec_t *d, const sl_jplan_t *pl, sl_value_t *out)
{
	sl_value_t *items = NULL;
	int32_t n = 0, cap = 0;
	sl_vlist_t *list;
	int rc;

	if (++d->depth > SL_JSON_MAX_DEPTH)
		return jsyntax(d, "nesting too deep");
	d->p++; /* '{' */
	skip_ws(d);
	if (d->p < d->end && *d->p == '}') {
		d->p++;
	} else {
		for (;;) {
			sl_value_t *slot = vec_grow(d, &items, 2 * n, &cap, 2);
			const char *raw, *k;
			size_t rawlen, kn;
			bool esc;

			skip_ws(d);
			if (d->p >= d->end || *d->p != '"')
				return jsyntax(d, d->p >= d->end ? "unexpected end of input" :
								   "expected a field name");
			if ((rc = scan_string(d, &raw, &rawlen, &esc)) != SL_OK)
				return rc;
			if ((rc = expect(d, ':', "expected ':'")) != SL_OK)
				return rc;
			string_value(d, raw, rawlen, esc, &k, &kn);
			set_string(&slot[0], SL_T_STRING, k, kn);
			path_push(d, raw, (int32_t)rawlen, -1);
			rc = decode_value(d, pl->elem, &slot[1]);
			path_pop(d);
			if (rc != SL_OK)
				return rc;
			n++;
			skip_ws(d);
			if (d->p < d->end && *d->p == ',') {
				d->p++;
				continue;
			}
			if (d->p < d->end && *d->p == '}') {
				d->p++;
				break;
			}
			return jsyntax(d, d->p >= d->end ? "unexpected end of input" :
							   "expected ',' or '}'");
		}
		if (n > 1)
			n = map_dedupe(d, items, n);
	}
	list = sl_arena_alloc(d->arena, sizeof(*list));
	list->n = n;
	list->items = items;
	out->kind = SL_T_MAP;
	out->u.list = list;
	d->depth--;
	return SL_OK;
}

static int
decode_value(jdec_t *d, const sl_jplan_t *pl, sl_value_t *out)
{
	int rc;

	skip_ws(d);
	if (d->p >= d->end)
		return jsyntax(d, "unexpected end of input");
	switch (*d->p) {
	case 'n':
		*out = sl_value_null();
		return literal(d, "null", 4);
	case 't':
	case 'f': {
		bool b = *d->p == 't';
		const char *at = d->p;

		if ((rc = b ? literal(d, "true", 4) : literal(d, "false", 5)) != SL_OK)
			return rc;
		if (pl->kind == SL_T_BOOLEAN) {
			out->kind = SL_T_BOOLEAN;
			out->u.b = b;
			return SL_OK;
		}
		if (pl->kind == SL_T_STRING) {
			set_string(out, SL_T_STRING, b ? "true" : "false", b ? 4 : 5);
			return SL_OK;
		}
		d->p = at;
		return jmismatch(d, "boolean", pl);
	}
	case '"':
		return from_string(d, pl, out);
	case '{':
		if (pl->kind == SL_T_STRUCT) {
			sl_vlist_t *list = sl_arena_alloc(d->arena, sizeof(*list));

			list->n = pl->nfields;
			list->items =
				pl->nfields ?
					sl_arena_calloc(d->arena,
							sizeof(sl_value_t) * (size_t)pl->nfields) :
					NULL;
			if ((rc = decode_struct(d, pl, list->items)) != SL_OK)
				return rc;
			out->kind = SL_T_STRUCT;
			out->u.list = list;
			return SL_OK;
		}
		if (pl->kind == SL_T_MAP)
			return decode_map(d, pl, out);
		if (pl->kind == SL_T_STRING) {
			abuf_t b = { .arena = d->arena };

			if ((rc = text_compact(d, &b)) != SL_OK)
				return rc;
			set_string(out, SL_T_STRING, b.p, b.len);
			return SL_OK;
		}
		return jmismatch(d, "object", pl);
	case '[':
		if (pl->kind == SL_T_ARRAY)
			return decode_array(d, pl, out);
		if (pl->kind == SL_T_STRING) {
			abuf_t b = { .arena = d->arena };

			if ((rc = text_array(d, &b)) != SL_OK)
				return rc;
			set_string(out, SL_T_STRING, b.p, b.len);
			return SL_OK;
		}
		return jmismatch(d, "array", pl);
	default:
		if (*d->p == '-' || (*d->p >= '0' && *d->p <= '9'))
			return from_number(d, pl, out);
		return jsyntax(d, "unexpected character");
	}
}

int
sl_json_decode(const sl_serde_t *s, const char *p, size_t len, sl_arena_t *arena, sl_value_t *out,
	       sl_error_t *err)
{
	jdec_t d; /* path[] is written before it is read: not zeroed */
	const sl_jplan_t *pl = s->jplan;
	int rc;

	d.p = d.base = p;
	d.end = p + len;
	d.arena = arena;
	d.err = err;
	d.depth = 0;
	d.npath = 0;

	memset(out, 0, sizeof(*out) * (size_t)s->ncols);
	/* a UTF-8 byte order mark, which Jackson skips */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		d.p += 3;
	skip_ws(&d);
	if (d.p >= d.end)
		return sl_error_set(err, SL_EINVAL, "malformed JSON: empty payload");
	if (*d.p == 'n') {
		if ((rc = literal(&d, "null", 4)) != SL_OK)
			return rc;
		skip_ws(&d);
		if (d.p < d.end)
			return jsyntax(&d, "unexpected data after the JSON value");
		return SL_SERDE_NULL;
	}
	if (s->wrapped) {
		if (*d.p != '{') {
			const char *kind = *d.p == '['                  ? "array" :
					   *d.p == '"'                  ? "string" :
					   (*d.p == 't' || *d.p == 'f') ? "boolean" :
									  "number";

			if ((rc = skip_value(&d)) != SL_OK)
				return rc;
			d.p = p;
			return jmismatch(&d, kind, pl);
		}
		rc = decode_struct(&d, pl, out);
	} else {
		rc = decode_value(&d, pl, &out[0]);
	}
	if (rc != SL_OK)
		return rc;
	skip_ws(&d);
	if (d.p < d.end)
		return jsyntax(&d, "unexpected data after the JSON value");
	return SL_OK;
}
