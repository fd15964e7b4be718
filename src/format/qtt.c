/*
 * qtt.c: ksqlDB test-file values to payloads and back (see qtt.h).
 *
 * Stage: format, for the test runner only (allocates freely).
 */
#include "format/qtt.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/scalar.h"
#include "format/serde_impl.h"

/* A cJSON number as JSON text: integral values as integers, others as
 * Java prints a double (valid JSON: 1.5, 1.0E20). */
static size_t
number_text(double d, char *buf)
{
	if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(int64_t)d)
		return sl_fmt_int64(buf, (int64_t)d);
	return sl_fmt_double(buf, d);
}

static void
write_json(sl_strbuf_t *sb, const cJSON *v)
{
	char num[SL_FMT_DOUBLE_MAX + SL_FMT_INT_MAX];
	char *w;

	if (cJSON_IsNull(v)) {
		sl_strbuf_puts(sb, "null");
	} else if (cJSON_IsTrue(v)) {
		sl_strbuf_puts(sb, "true");
	} else if (cJSON_IsFalse(v)) {
		sl_strbuf_puts(sb, "false");
	} else if (cJSON_IsNumber(v)) {
		sl_strbuf_append(sb, num, number_text(v->valuedouble, num));
	} else if (cJSON_IsString(v)) {
		size_t n = strlen(v->valuestring);

		w = sl_sb_reserve(sb, 6 * n + 2);
		sl_sb_commit(sb, sl_json_escape_to(w, v->valuestring, n));
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		bool obj = cJSON_IsObject(v);
		const cJSON *c;

		sl_strbuf_putc(sb, obj ? '{' : '[');
		for (c = v->child; c != NULL; c = c->next) {
			if (c != v->child)
				sl_strbuf_putc(sb, ',');
			if (obj) {
				size_t n = strlen(c->string);

				w = sl_sb_reserve(sb, 6 * n + 3);
				w = sl_json_escape_to(w, c->string, n);
				*w++ = ':';
				sl_sb_commit(sb, w);
			}
			write_json(sb, c);
		}
		sl_strbuf_putc(sb, obj ? '}' : ']');
	} else {
		sl_strbuf_puts(sb, "null");
	}
}

/* The text of a scalar test value: a string as it is, a number or a
 * boolean as JSON writes it.  Returns false for objects and arrays. */
static bool
scalar_text(sl_strbuf_t *sb, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		sl_strbuf_puts(sb, v->valuestring);
		return true;
	}
	if (cJSON_IsNumber(v) || cJSON_IsBool(v)) {
		write_json(sb, v);
		return true;
	}
	return false;
}

static void
put_be(sl_strbuf_t *sb, uint64_t v, size_t n)
{
	char buf[8];

	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(v >> (8 * (n - 1 - i)));
	sl_strbuf_append(sb, buf, n);
}

static int
kafka_from_cjson(const sl_serde_t *s, const cJSON *v, sl_strbuf_t *out, sl_error_t *err)
{
	const sl_type_t *t = s->cols[0].type;

	switch (t->kind) {
	case SL_T_INT:
	case SL_T_BIGINT: {
		int64_t l;

		if (cJSON_IsNumber(v)) {
			double d = v->valuedouble;

			if (!(d >= -9.3e18 && d <= 9.3e18) || d != floor(d))
				goto bad;
			l = (int64_t)d;
		} else if (!cJSON_IsString(v) ||
			   !sl_fmt_parse_long(v->valuestring, strlen(v->valuestring), &l)) {
			goto bad;
		}
		if (t->kind == SL_T_INT) {
			if (l < INT32_MIN || l > INT32_MAX)
				goto bad;
			put_be(out, (uint32_t)(int32_t)l, 4);
		} else {
			put_be(out, (uint64_t)l, 8);
		}
		return SL_OK;
	}
	case SL_T_DOUBLE: {
		double d;
		uint64_t bits;

		if (cJSON_IsNumber(v))
			d = v->valuedouble;
		else if (!cJSON_IsString(v) ||
			 !sl_fmt_parse_double(v->valuestring, strlen(v->valuestring), &d))
			goto bad;
		memcpy(&bits, &d, 8);
		put_be(out, bits, 8);
		return SL_OK;
	}
	case SL_T_STRING:
		if (!scalar_text(out, v))
			goto bad;
		return SL_OK;
	case SL_T_BYTES: {
		size_t n, blen;
		unsigned char *buf;

		if (!cJSON_IsString(v))
			goto bad;
		n = strlen(v->valuestring);
		buf = malloc(n / 4 * 3 + 3);
		if (buf == NULL)
			return sl_error_set(err, SL_ENOMEM, "out of memory");
		if (!sl_fmt_b64_decode(v->valuestring, n, buf, &blen)) {
			free(buf);
			goto bad;
		}
		sl_strbuf_append(out, (const char *)buf, blen);
		free(buf);
		return SL_OK;
	}
	default:
		break;
	}
bad:
	return sl_error_set(err, SL_EINVAL, "test value does not fit a KAFKA %s payload",
			    sl_tkind_name(t->kind));
}

int
sl_serde_payload_from_cjson(const sl_serde_t *s, const cJSON *v, sl_strbuf_t *out, sl_error_t *err)
{
	if (v == NULL || cJSON_IsNull(v))
		return SL_SERDE_NULL;
	if (s->ncols == 0 || s->format == SL_FORMAT_NONE) {
		/* ignored by the serde; keep something recognizable */
		if (!scalar_text(out, v))
			write_json(out, v);
		return SL_OK;
	}
	switch (s->format) {
	case SL_FORMAT_JSON:
		write_json(out, v);
		return SL_OK;
	case SL_FORMAT_DELIMITED:
		if (!scalar_text(out, v))
			return sl_error_set(err, SL_EINVAL,
					    "test value for a DELIMITED payload must be a string");
		return SL_OK;
	case SL_FORMAT_KAFKA:
		return kafka_from_cjson(s, v, out, err);
	case SL_FORMAT_NONE:
		break;
	}
	return SL_OK;
}

/* A cJSON string of s[0..n) (cJSON wants it NUL-terminated). */
static cJSON *
string_of(const char *s, size_t n)
{
	char *tmp = malloc(n + 1);
	cJSON *j;

	if (tmp == NULL)
		return NULL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	j = cJSON_CreateString(tmp);
	free(tmp);
	return j;
}

static uint64_t
get_be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

int
sl_serde_payload_to_cjson(const sl_serde_t *s, const void *bytes, size_t len, cJSON **out,
			  sl_error_t *err)
{
	const unsigned char *p = bytes;
	cJSON *j = NULL;

	*out = NULL;
	if (bytes == NULL || s->ncols == 0 || s->format == SL_FORMAT_NONE) {
		j = cJSON_CreateNull();
		goto done;
	}
	switch (s->format) {
	case SL_FORMAT_JSON:
		j = cJSON_ParseWithLength(bytes, len);
		if (j == NULL)
			return sl_error_set(err, SL_EINVAL, "payload is not valid JSON");
		break;
	case SL_FORMAT_DELIMITED:
		j = string_of(bytes, len);
		break;
	case SL_FORMAT_KAFKA:
		switch (s->cols[0].type->kind) {
		case SL_T_INT:
			if (len != 4)
				goto bad;
			j = cJSON_CreateNumber((int32_t)(uint32_t)get_be(p, 4));
			break;
		case SL_T_BIGINT:
			if (len != 8)
				goto bad;
			j = cJSON_CreateNumber((double)(int64_t)get_be(p, 8));
			break;
		case SL_T_DOUBLE: {
			uint64_t bits;
			double d;

			if (len != 8)
				goto bad;
			bits = get_be(p, 8);
			memcpy(&d, &bits, 8);
			j = cJSON_CreateNumber(d);
			break;
		}
		case SL_T_STRING:
			j = string_of(bytes, len);
			break;
		case SL_T_BYTES: {
			char *b64 = malloc(sl_fmt_b64_len(len) + 1);

			if (b64 == NULL)
				break;
			b64[sl_fmt_b64_encode(b64, bytes, len)] = '\0';
			j = cJSON_CreateString(b64);
			free(b64);
			break;
		}
		default:
			goto bad;
		}
		break;
	case SL_FORMAT_NONE:
		break;
	}
done:
	if (j == NULL)
		return sl_error_set(err, SL_ENOMEM, "out of memory");
	*out = j;
	return SL_OK;
bad:
	return sl_error_set(err, SL_EINVAL, "payload of %zu bytes is not a KAFKA %s", len,
			    sl_tkind_name(s->cols[0].type->kind));
}
