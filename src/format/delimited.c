/*
 * delimited.c: the DELIMITED serde (CSV as ksqlDB reads and writes it).
 *
 * Stage: format.  Decoding follows commons-csv's CSVFormat.DEFAULT with
 * the serde's delimiter, as ksqlDB's KsqlDelimitedDeserializer uses it:
 * the payload is read as UTF-8 (malformed bytes become U+FFFD), empty lines
 * before the record are skipped, only the first record counts, a field
 * starting with '"' is quoted ("" inside is one quote; spaces may follow
 * the closing quote), an empty field is NULL whatever its type, and the
 * number of fields must equal the number of columns.  Encoding is
 * CSVPrinter's MINIMAL quoting (the first field quoted when it does not
 * start with a letter or digit, any field quoted when it starts with a
 * character up to '#', holds a quote, CR, LF or the delimiter, or ends
 * with a character up to space), NULL as an empty field.
 */
#include <string.h>

#include "format/scalar.h"
#include "format/serde_impl.h"

typedef struct field {
	const char *s;
	size_t n;
	bool dq; /* quoted and holds "" pairs to undouble */
} field_t;

/* Character.isWhitespace() for the ASCII range, as commons-csv skips it
 * between a closing quote and the delimiter. */
static inline bool
java_ws(unsigned char c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
}

static int
field_error(sl_error_t *err, const sl_serde_t *s, int i, const char *what)
{
	char tb[160];

	sl_type_str(s->cols[i].type, tb, sizeof(tb));
	return sl_error_set(err, SL_EINVAL, "DELIMITED column \"%s\" (field %d): %s %s",
			    s->cols[i].name, i + 1, what, tb);
}

/* Parses one field's text into out for column i. */
static int
parse_field(const sl_serde_t *s, int i, const char *p, size_t n, sl_arena_t *arena, sl_value_t *out,
	    sl_error_t *err)
{
	const sl_type_t *t = s->cols[i].type;

	switch (t->kind) {
	case SL_T_STRING:
		out->kind = SL_T_STRING;
		out->u.s.ptr = p;
		out->u.s.len = (int32_t)n;
		return SL_OK;
	case SL_T_BOOLEAN:
		/* Boolean.parseBoolean: "true" in any case, anything else false */
		out->kind = SL_T_BOOLEAN;
		out->u.b = n == 4 && (p[0] | 32) == 't' && (p[1] | 32) == 'r' &&
			   (p[2] | 32) == 'u' && (p[3] | 32) == 'e';
		return SL_OK;
	case SL_T_INT:
		if (!sl_fmt_parse_int(p, n, &out->u.i))
			return field_error(err, s, i, "invalid");
		out->kind = SL_T_INT;
		return SL_OK;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		if (!sl_fmt_parse_long(p, n, &out->u.l))
			return field_error(err, s, i, "invalid");
		out->kind = (uint8_t)t->kind;
		return SL_OK;
	case SL_T_DATE: {
		int64_t days;

		if (!sl_fmt_parse_long(p, n, &days) || days < INT32_MIN || days > INT32_MAX)
			return field_error(err, s, i, "invalid");
		out->kind = SL_T_DATE;
		out->u.i = (int32_t)days;
		return SL_OK;
	}
	case SL_T_DOUBLE:
		if (!sl_fmt_parse_double(p, n, &out->u.d))
			return field_error(err, s, i, "invalid");
		out->kind = SL_T_DOUBLE;
		return SL_OK;
	case SL_T_DECIMAL: {
		sl_numlit_t lit;
		int why;

		if (!sl_numlit_parse_bigdecimal(p, n, &lit))
			return field_error(err, s, i, "invalid");
		why = sl_numlit_decimal(&lit, t->precision, t->scale, &out->u.dec);
		if (why == SL_NUMLIT_OVERFLOW)
			return sl_error_set(
				err, SL_EINVAL,
				"DELIMITED column \"%s\" (field %d): numeric field overflow: "
				"a field with precision %d and scale %d must round to an "
				"absolute value less than 10^%d",
				s->cols[i].name, i + 1, t->precision, t->scale,
				t->precision - t->scale);
		if (why != 0)
			return sl_error_set(
				err, SL_EINVAL,
				"DELIMITED column \"%s\" (field %d): cannot fit decimal into "
				"DECIMAL(%d, %d) without rounding",
				s->cols[i].name, i + 1, t->precision, t->scale);
		out->kind = SL_T_DECIMAL;
		out->precision = (uint8_t)t->precision;
		out->scale = (int8_t)t->scale;
		return SL_OK;
	}
	case SL_T_BYTES: {
		unsigned char *buf = sl_arena_alloc(arena, n / 4 * 3 + 3);
		size_t blen;

		if (!sl_fmt_b64_decode(p, n, buf, &blen))
			return field_error(err, s, i, "invalid base64 for");
		out->kind = SL_T_BYTES;
		out->u.s.ptr = (const char *)buf;
		out->u.s.len = (int32_t)blen;
		return SL_OK;
	}
	default:
		/* refused at creation */
		return field_error(err, s, i, "unsupported type");
	}
}

int
sl_delimited_decode(const sl_serde_t *s, const char *p, size_t len, sl_arena_t *arena,
		    sl_value_t *out, sl_error_t *err)
{
	enum { SMALL = 32 };
	field_t small[SMALL], *fields = small;
	const char delim = s->delim;
	size_t i = 0;
	int nf = 0;
	bool more = true;

	memset(out, 0, sizeof(*out) * (size_t)s->ncols);
	if (sl_fmt_utf8_check(p, len) < len) {
		char *fixed = sl_arena_alloc(arena, 3 * len);

		len = sl_fmt_utf8_repair(fixed, p, len);
		p = fixed;
	}
	if (s->ncols > SMALL)
		fields = sl_arena_alloc(arena, sizeof(*fields) * (size_t)s->ncols);
	while (i < len && (p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i >= len)
		return sl_error_set(err, SL_EINVAL, "DELIMITED payload has no fields");
	while (more) {
		field_t f = { 0 };

		if (i < len && p[i] == '"') {
			size_t j = i + 1;

			for (;;) {
				const char *q = memchr(p + j, '"', len - j);

				if (q == NULL)
					return sl_error_set(err, SL_EINVAL,
							    "DELIMITED field %d: quoted field not "
							    "closed before the end of the payload",
							    nf + 1);
				j = (size_t)(q - p);
				if (j + 1 < len && p[j + 1] == '"') {
					f.dq = true;
					j += 2;
					continue;
				}
				break;
			}
			f.s = p + i + 1;
			f.n = j - i - 1;
			i = j + 1;
			more = false;
			while (i < len) {
				unsigned char c = (unsigned char)p[i];

				if (c == (unsigned char)delim) {
					i++;
					more = true;
					break;
				}
				if (c == '\r' || c == '\n')
					break;
				if (!java_ws(c))
					return sl_error_set(err, SL_EINVAL,
							    "DELIMITED field %d: invalid character "
							    "after a quoted field",
							    nf + 1);
				i++;
			}
		} else {
			size_t j = i;

			while (j < len && p[j] != delim && p[j] != '\r' && p[j] != '\n')
				j++;
			f.s = p + i;
			f.n = j - i;
			more = j < len && p[j] == delim;
			i = j + 1;
		}
		if (nf < s->ncols)
			fields[nf] = f;
		nf++;
	}
	if (nf != s->ncols)
		return sl_error_set(err, SL_EINVAL,
				    "DELIMITED column count mismatch: expected %d fields, got %d",
				    s->ncols, nf);
	for (int c = 0; c < s->ncols; c++) {
		const char *fs = fields[c].s;
		size_t fn = fields[c].n;
		int rc;

		if (fn == 0)
			continue; /* NULL */
		if (fields[c].dq) {
			char *buf = sl_arena_alloc(arena, fn);
			size_t o = 0;

			for (size_t k = 0; k < fn; k++) {
				buf[o++] = fs[k];
				if (fs[k] == '"')
					k++; /* the second of a "" pair */
			}
			fs = buf;
			fn = o;
		}
		if ((rc = parse_field(s, c, fs, fn, arena, &out[c], err)) != SL_OK)
			return rc;
	}
	return SL_OK;
}

/* CSVFormat.printAndQuote, QuoteMode.MINIMAL (commons-csv 1.4-1.5). */
static bool
needs_quotes(const unsigned char *s, size_t n, bool first, char delim)
{
	unsigned char c;

	if (n == 0)
		return first;
	c = s[0];
	if (first && (c < '0' || (c > '9' && c < 'A') || (c > 'Z' && c < 'a') || c > 'z'))
		return true;
	if (c <= '#')
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '"' || s[i] == (unsigned char)delim)
			return true;
	return s[n - 1] <= ' ';
}

/* Quotes, if the rule says so, the field text already at sb[start..]. */
static void
finish_field(sl_strbuf_t *sb, size_t start, bool first, char delim)
{
	size_t n = sb->len - start, q = 0;
	char *w, *src, *dst;

	if (!needs_quotes((const unsigned char *)sb->data + start, n, first, delim))
		return;
	for (size_t i = start; i < sb->len; i++)
		q += sb->data[i] == '"';
	w = sl_sb_reserve(sb, q + 2);
	/* move the text right from the back, doubling quotes */
	src = sb->data + sb->len;
	dst = w + q + 2;
	sl_sb_commit(sb, dst);
	*--dst = '"';
	while (src > sb->data + start) {
		char c = *--src;

		*--dst = c;
		if (c == '"')
			*--dst = '"';
	}
	*--dst = '"';
}

int
sl_delimited_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out,
		    sl_error_t *err)
{
	for (int i = 0; i < s->ncols; i++) {
		const sl_value_t *v = &values[i];
		size_t start;
		char *w;

		if (v->kind != SL_T_NULL && v->kind != s->cols[i].type->kind)
			return sl_serde_kind_error(err, v, s->cols[i].type, s->cols[i].name);
		if (i > 0) {
			w = sl_sb_reserve(out, 1);
			*w = s->delim;
			sl_sb_commit(out, w + 1);
		}
		start = out->len;
		switch ((sl_tkind_t)v->kind) {
		case SL_T_NULL:
			continue; /* an empty field, never quoted */
		case SL_T_STRING:
			sl_strbuf_append(out, v->u.s.ptr, (size_t)v->u.s.len);
			break;
		case SL_T_BOOLEAN:
			sl_strbuf_puts(out, v->u.b ? "true" : "false");
			break;
		case SL_T_INT:
		case SL_T_DATE:
			w = sl_sb_reserve(out, SL_FMT_INT_MAX);
			sl_sb_commit(out, w + sl_fmt_int64(w, v->u.i));
			break;
		case SL_T_BIGINT:
		case SL_T_TIMESTAMP:
		case SL_T_TIME:
			w = sl_sb_reserve(out, SL_FMT_INT_MAX);
			sl_sb_commit(out, w + sl_fmt_int64(w, v->u.l));
			break;
		case SL_T_DOUBLE:
			w = sl_sb_reserve(out, SL_FMT_DOUBLE_MAX);
			sl_sb_commit(out, w + sl_fmt_double(w, v->u.d));
			break;
		case SL_T_DECIMAL:
			w = sl_sb_reserve(out, SL_FMT_DECIMAL_MAX);
			sl_sb_commit(out, w + sl_fmt_decimal(w, v->u.dec, v->scale));
			break;
		case SL_T_BYTES:
			w = sl_sb_reserve(out, sl_fmt_b64_len((size_t)v->u.s.len));
			sl_sb_commit(out, w + sl_fmt_b64_encode(w, v->u.s.ptr, (size_t)v->u.s.len));
			break;
		default:
			return sl_serde_kind_error(err, v, s->cols[i].type, s->cols[i].name);
		}
		finish_field(out, start, i == 0, s->delim);
	}
	return SL_OK;
}
