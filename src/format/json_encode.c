/*
 * json_encode.c: the JSON serializer.
 *
 * Stage: format.  Takes a row of sl_value_t's and appends the JSON text
 * ksqlDB's serializer produces for it: compact, keys in column order,
 * strings escaped as Jackson escapes them, DOUBLE as Java's
 * Double.toString, DECIMAL in plain notation with its scale, BYTES as
 * base64, TIMESTAMP/TIME as milliseconds and DATE as days.  Writes go
 * straight into the output buffer after one reservation per value.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format/scalar.h"
#include "format/serde_impl.h"

char *
sl_json_escape_to(char *dst, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	*dst++ = '"';
	while (p < end) {
		const unsigned char *run = p;

		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run) {
			memcpy(dst, run, (size_t)(p - run));
			dst += p - run;
		}
		if (p >= end)
			break;
		if (*p >= 0x80) {
			int k = sl_fmt_utf8_seq(p, (size_t)(end - p));

			if (k > 0) {
				memcpy(dst, p, (size_t)k);
				dst += k;
				p += k;
			} else {
				memcpy(dst, "\xEF\xBF\xBD", 3);
				dst += 3;
				p += sl_fmt_utf8_bad_len(p, (size_t)(end - p));
			}
			continue;
		}
		*dst++ = '\\';
		switch (*p) {
		case '"':
			*dst++ = '"';
			break;
		case '\\':
			*dst++ = '\\';
			break;
		case '\b':
			*dst++ = 'b';
			break;
		case '\f':
			*dst++ = 'f';
			break;
		case '\n':
			*dst++ = 'n';
			break;
		case '\r':
			*dst++ = 'r';
			break;
		case '\t':
			*dst++ = 't';
			break;
		default:
			*dst++ = 'u';
			*dst++ = '0';
			*dst++ = '0';
			*dst++ = hex[*p >> 4];
			*dst++ = hex[*p & 15];
			break;
		}
		p++;
	}
	*dst++ = '"';
	return dst;
}

static void
put(sl_strbuf_t *sb, const char *s, size_t n)
{
	char *w = sl_sb_reserve(sb, n);

	memcpy(w, s, n);
	sl_sb_commit(sb, w + n);
}

static void
put_string(sl_strbuf_t *sb, const char *s, size_t n)
{
	char *w = sl_sb_reserve(sb, 6 * n + 2);

	sl_sb_commit(sb, sl_json_escape_to(w, s, n));
}

static void
write_value(sl_strbuf_t *sb, const sl_value_t *v, const sl_type_t *t)
{
	char *w;

	switch ((sl_tkind_t)v->kind) {
	case SL_T_NULL:
		put(sb, "null", 4);
		return;
	case SL_T_BOOLEAN:
		if (v->u.b)
			put(sb, "true", 4);
		else
			put(sb, "false", 5);
		return;
	case SL_T_INT:
	case SL_T_DATE:
		w = sl_sb_reserve(sb, SL_FMT_INT_MAX);
		sl_sb_commit(sb, w + sl_fmt_int64(w, v->u.i));
		return;
	case SL_T_BIGINT:
	case SL_T_TIMESTAMP:
	case SL_T_TIME:
		w = sl_sb_reserve(sb, SL_FMT_INT_MAX);
		sl_sb_commit(sb, w + sl_fmt_int64(w, v->u.l));
		return;
	case SL_T_DOUBLE:
		w = sl_sb_reserve(sb, SL_FMT_DOUBLE_MAX + 2);
		if (isfinite(v->u.d)) {
			sl_sb_commit(sb, w + sl_fmt_double(w, v->u.d));
		} else {
			/* Jackson quotes the non-numbers */
			w[0] = '"';
			w += 1 + sl_fmt_double(w + 1, v->u.d);
			*w++ = '"';
			sl_sb_commit(sb, w);
		}
		return;
	case SL_T_DECIMAL:
		w = sl_sb_reserve(sb, SL_FMT_DECIMAL_MAX);
		sl_sb_commit(sb, w + sl_fmt_decimal(w, v->u.dec, v->scale));
		return;
	case SL_T_STRING:
		put_string(sb, v->u.s.ptr, (size_t)v->u.s.len);
		return;
	case SL_T_BYTES: {
		size_t n = (size_t)v->u.s.len;

		w = sl_sb_reserve(sb, sl_fmt_b64_len(n) + 2);
		*w++ = '"';
		w += sl_fmt_b64_encode(w, v->u.s.ptr, n);
		*w++ = '"';
		sl_sb_commit(sb, w);
		return;
	}
	case SL_T_ARRAY: {
		const sl_type_t *et = t && t->kind == SL_T_ARRAY ? t->elem : NULL;

		put(sb, "[", 1);
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i > 0)
				put(sb, ",", 1);
			write_value(sb, &v->u.list->items[i], et);
		}
		put(sb, "]", 1);
		return;
	}
	case SL_T_MAP: {
		const sl_type_t *vt = t && t->kind == SL_T_MAP ? t->elem : NULL;

		put(sb, "{", 1);
		for (int32_t i = 0; i < v->u.list->n; i++) {
			const sl_value_t *k = &v->u.list->items[2 * i];

			if (i > 0)
				put(sb, ",", 1);
			if (k->kind == SL_T_STRING) {
				put_string(sb, k->u.s.ptr, (size_t)k->u.s.len);
			} else {
				/* only STRING keys reach JSON (checked at creation);
				 * anything else is written as the text of its JSON */
				sl_strbuf_t tmp;

				sl_strbuf_init(&tmp);
				write_value(&tmp, k, NULL);
				put_string(sb, tmp.data, tmp.len);
				sl_strbuf_free(&tmp);
			}
			put(sb, ":", 1);
			write_value(sb, &v->u.list->items[2 * i + 1], vt);
		}
		put(sb, "}", 1);
		return;
	}
	case SL_T_STRUCT: {
		bool named = t && t->kind == SL_T_STRUCT && t->nfields == v->u.list->n;

		put(sb, "{", 1);
		for (int32_t i = 0; i < v->u.list->n; i++) {
			if (i > 0)
				put(sb, ",", 1);
			if (named) {
				const char *name = t->fields[i].name;

				put_string(sb, name, strlen(name));
			} else {
				char tmp[24];
				size_t n = (size_t)snprintf(tmp, sizeof(tmp), "F%d", (int)i);

				put_string(sb, tmp, n);
			}
			put(sb, ":", 1);
			write_value(sb, &v->u.list->items[i], named ? t->fields[i].type : NULL);
		}
		put(sb, "}", 1);
		return;
	}
	default:
		put(sb, "null", 4);
		return;
	}
}

void
sl_serde_json_value(sl_strbuf_t *out, const sl_value_t *v, const sl_type_t *t)
{
	write_value(out, v, t);
}

int
sl_json_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out, sl_error_t *err)
{
	for (int i = 0; i < s->ncols; i++) {
		const sl_value_t *v = &values[i];

		if (v->kind != SL_T_NULL && v->kind != s->cols[i].type->kind)
			return sl_serde_kind_error(err, v, s->cols[i].type, s->cols[i].name);
	}
	if (!s->wrapped) {
		if (values[0].kind == SL_T_NULL)
			return SL_SERDE_NULL;
		write_value(out, &values[0], s->cols[0].type);
		return SL_OK;
	}
	put(out, "{", 1);
	for (int i = 0; i < s->ncols; i++) {
		if (i > 0)
			put(out, ",", 1);
		put(out, s->jkey[i], s->jkey_len[i]);
		write_value(out, &values[i], s->cols[i].type);
	}
	put(out, "}", 1);
	return SL_OK;
}
