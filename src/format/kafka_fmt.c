/*
 * kafka_fmt.c: the KAFKA serde (Kafka's standard primitive serializers).
 *
 * Stage: format.  One column: INT as 4 bytes big-endian two's complement,
 * BIGINT as 8, DOUBLE as the 8 bytes of its IEEE 754 bits big-endian,
 * STRING as its UTF-8 bytes (malformed input bytes become U+FFFD, as Java's
 * StringDeserializer does), BYTES as they are.  A payload of the wrong
 * size is an error.  Other types are refused when the serde is created.
 */
#include <string.h>

#include "format/scalar.h"
#include "format/serde_impl.h"

static uint64_t
get_be(const char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

static void
put_be(char *w, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[i] = (char)(v >> (8 * (n - 1 - i)));
}

static int
size_error(sl_error_t *err, const sl_serde_t *s, size_t want, size_t got)
{
	return sl_error_set(err, SL_EINVAL, "KAFKA %s column \"%s\" must be %zu bytes, got %zu",
			    sl_tkind_name(s->cols[0].type->kind), s->cols[0].name, want, got);
}

int
sl_kafka_decode(const sl_serde_t *s, const char *p, size_t len, sl_arena_t *arena, sl_value_t *out,
		sl_error_t *err)
{
	sl_value_t *v = &out[0];

	*v = sl_value_null();
	switch (s->cols[0].type->kind) {
	case SL_T_INT:
		if (len != 4)
			return size_error(err, s, 4, len);
		v->kind = SL_T_INT;
		v->u.i = (int32_t)(uint32_t)get_be(p, 4);
		return SL_OK;
	case SL_T_BIGINT:
		if (len != 8)
			return size_error(err, s, 8, len);
		v->kind = SL_T_BIGINT;
		v->u.l = (int64_t)get_be(p, 8);
		return SL_OK;
	case SL_T_DOUBLE: {
		uint64_t bits;

		if (len != 8)
			return size_error(err, s, 8, len);
		bits = get_be(p, 8);
		v->kind = SL_T_DOUBLE;
		memcpy(&v->u.d, &bits, 8);
		return SL_OK;
	}
	case SL_T_STRING:
		if (sl_fmt_utf8_check(p, len) < len) {
			char *fixed = sl_arena_alloc(arena, 3 * len);

			len = sl_fmt_utf8_repair(fixed, p, len);
			p = fixed;
		}
		v->kind = SL_T_STRING;
		v->u.s.ptr = p;
		v->u.s.len = (int32_t)len;
		return SL_OK;
	case SL_T_BYTES:
		v->kind = SL_T_BYTES;
		v->u.s.ptr = p;
		v->u.s.len = (int32_t)len;
		return SL_OK;
	default:
		return sl_error_set(err, SL_EINVAL, "The 'KAFKA' format does not support type '%s'",
				    sl_tkind_name(s->cols[0].type->kind));
	}
}

int
sl_kafka_encode(const sl_serde_t *s, const sl_value_t *values, sl_strbuf_t *out, sl_error_t *err)
{
	const sl_value_t *v = &values[0];
	const sl_type_t *t = s->cols[0].type;
	char *w;

	if (v->kind == SL_T_NULL)
		return SL_SERDE_NULL;
	if (v->kind != t->kind)
		return sl_serde_kind_error(err, v, t, s->cols[0].name);
	switch (t->kind) {
	case SL_T_INT:
		w = sl_sb_reserve(out, 4);
		put_be(w, (uint32_t)v->u.i, 4);
		sl_sb_commit(out, w + 4);
		return SL_OK;
	case SL_T_BIGINT:
		w = sl_sb_reserve(out, 8);
		put_be(w, (uint64_t)v->u.l, 8);
		sl_sb_commit(out, w + 8);
		return SL_OK;
	case SL_T_DOUBLE: {
		uint64_t bits;

		memcpy(&bits, &v->u.d, 8);
		w = sl_sb_reserve(out, 8);
		put_be(w, bits, 8);
		sl_sb_commit(out, w + 8);
		return SL_OK;
	}
	case SL_T_STRING:
	case SL_T_BYTES:
		sl_strbuf_append(out, v->u.s.ptr, (size_t)v->u.s.len);
		return SL_OK;
	default:
		return sl_serde_kind_error(err, v, t, s->cols[0].name);
	}
}
