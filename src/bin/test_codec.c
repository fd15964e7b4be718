/*
 * test_codec.c: the test runner's own serdes.
 *
 * Used by test_case.c.  Takes the keys and values of a test file (cJSON, as
 * ksqlDB's test files write them) and a source of the catalog (its formats,
 * key and value columns, window type); hands on the bytes a producer would
 * write to the source's topic, and turns the bytes read back from an output
 * topic into cJSON for comparison.  Like ksqlDB's runner (its
 * ValueSpecJsonSerdeSupplier, StringSerdeSupplier, KafkaSerdeSupplier and
 * Kafka Streams' windowed serdes) it is written independently of the
 * engine's serdes, so that a bug there cannot hide behind the same bug
 * here:
 *
 *   JSON       the value as JSON text; read back as JSON without a schema
 *   DELIMITED  a string as it is (a number or boolean as its text); read
 *              back as a string
 *   KAFKA      the single column's type: INT 4 bytes, BIGINT 8 bytes,
 *              big-endian; DOUBLE 8 bytes IEEE 754; STRING as it is; BYTES
 *              from and to base64
 *   NONE       always a null payload
 *
 * A windowed key is the key's bytes followed by the window start (8 bytes,
 * big-endian; the end is start + the window size) for tumbling and hopping
 * windows, and by the end and the start for session windows.
 */
#include "sluice_test.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/catalog.h"

/* ---- JSON text ---- */

static void
codec_json_string(sl_strbuf_t *out, const char *s)
{
	sl_strbuf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"': sl_strbuf_puts(out, "\\\""); break;
		case '\\': sl_strbuf_puts(out, "\\\\"); break;
		case '\b': sl_strbuf_puts(out, "\\b"); break;
		case '\f': sl_strbuf_puts(out, "\\f"); break;
		case '\n': sl_strbuf_puts(out, "\\n"); break;
		case '\r': sl_strbuf_puts(out, "\\r"); break;
		case '\t': sl_strbuf_puts(out, "\\t"); break;
		default:
			if (*p < 0x20)
				sl_strbuf_printf(out, "\\u%04x", *p);
			else
				sl_strbuf_putc(out, (char)*p);
		}
	}
	sl_strbuf_putc(out, '"');
}

/* A number as JSON text: whole numbers without exponent or point (so that
 * a BIGINT column reads 1234567890123, not 1.234567890123e+12), others with
 * the shortest text that reads back the same double. */
static void
codec_json_number(sl_strbuf_t *out, double d)
{
	char buf[64];

	if (d == floor(d) && fabs(d) < 9.2e18) {
		sl_strbuf_printf(out, "%.0f", d);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	sl_strbuf_puts(out, buf);
}

static void
codec_json(sl_strbuf_t *out, const cJSON *v)
{
	const cJSON *it;

	if (v == NULL || cJSON_IsNull(v)) {
		sl_strbuf_puts(out, "null");
	} else if (cJSON_IsTrue(v)) {
		sl_strbuf_puts(out, "true");
	} else if (cJSON_IsFalse(v)) {
		sl_strbuf_puts(out, "false");
	} else if (cJSON_IsNumber(v)) {
		codec_json_number(out, v->valuedouble);
	} else if (cJSON_IsString(v)) {
		codec_json_string(out, v->valuestring);
	} else if (cJSON_IsArray(v)) {
		sl_strbuf_putc(out, '[');
		for (it = v->child; it != NULL; it = it->next) {
			codec_json(out, it);
			if (it->next != NULL)
				sl_strbuf_putc(out, ',');
		}
		sl_strbuf_putc(out, ']');
	} else {
		sl_strbuf_putc(out, '{');
		for (it = v->child; it != NULL; it = it->next) {
			codec_json_string(out, it->string);
			sl_strbuf_putc(out, ':');
			codec_json(out, it);
			if (it->next != NULL)
				sl_strbuf_putc(out, ',');
		}
		sl_strbuf_putc(out, '}');
	}
}

/* ---- helpers ---- */

static void
codec_put_be(sl_strbuf_t *out, uint64_t v, int nbytes)
{
	for (int i = nbytes - 1; i >= 0; i--)
		sl_strbuf_putc(out, (char)((v >> (8 * i)) & 0xff));
}

static uint64_t
codec_get_be(const char *p, int nbytes)
{
	uint64_t v = 0;
	for (int i = 0; i < nbytes; i++)
		v = (v << 8) | (unsigned char)p[i];
	return v;
}

/* The type of the only key (is_key) or value column of src, or NULL when
 * there is none (or more than one). */
static const sl_type_t *
codec_single_column(const sl_source_t *src, bool is_key)
{
	const sl_type_t *t = NULL;
	int n = 0;

	for (int i = 0; i < src->ncols; i++) {
		sl_col_ns_t ns = src->cols[i].ns;
		if (is_key ? ns == SL_COL_KEY : ns == SL_COL_VALUE) {
			t = src->cols[i].type;
			n++;
		}
	}
	return n == 1 ? t : NULL;
}

static const char *
codec_format(const sl_source_t *src, bool is_key)
{
	const char *f = is_key ? src->key_format : src->value_format;
	return f != NULL ? f : "KAFKA";
}

/* A test value as text: strings as they are, numbers and booleans as JSON. */
static bool
codec_text(sl_strbuf_t *out, const cJSON *v)
{
	if (cJSON_IsString(v))
		sl_strbuf_puts(out, v->valuestring);
	else if (cJSON_IsNumber(v) || cJSON_IsBool(v))
		codec_json(out, v);
	else
		return false;
	return true;
}

/* A test value as a number: a JSON number or a numeric string. */
static bool
codec_number(const cJSON *v, double *d)
{
	char *end;

	if (cJSON_IsNumber(v)) {
		*d = v->valuedouble;
		return true;
	}
	if (cJSON_IsString(v) && v->valuestring[0] != '\0') {
		*d = strtod(v->valuestring, &end);
		return *end == '\0';
	}
	return false;
}

/* ---- base64 (RFC 4648, padded), as ksqlDB's test files write bytes ---- */

static const char codec_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
sl_test_base64_encode(sl_strbuf_t *out, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		sl_strbuf_putc(out, codec_b64[(v >> 18) & 63]);
		sl_strbuf_putc(out, codec_b64[(v >> 12) & 63]);
		sl_strbuf_putc(out, i + 1 < n ? codec_b64[(v >> 6) & 63] : '=');
		sl_strbuf_putc(out, i + 2 < n ? codec_b64[v & 63] : '=');
	}
	if (out->data == NULL)
		sl_strbuf_puts(out, "");
}

bool
sl_test_base64_decode(sl_strbuf_t *out, const char *s)
{
	uint32_t v = 0;
	int bits = 0;
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		const char *c = s[i] != '\0' ? strchr(codec_b64, s[i]) : NULL;
		if (c == NULL)
			return false;
		v = (v << 6) | (uint32_t)(c - codec_b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sl_strbuf_putc(out, (char)((v >> bits) & 0xff));
		}
	}
	if (out->data == NULL)
		sl_strbuf_puts(out, "");
	return true;
}

/* ---- encoding ---- */

static int
codec_encode_kafka(const sl_source_t *src, bool is_key, const cJSON *v, sl_strbuf_t *out,
		   sl_strbuf_t *why)
{
	const sl_type_t *t = codec_single_column(src, is_key);
	double d;

	if (t == NULL) {
		if (codec_text(out, v))
			return SL_OK;
		goto bad;
	}
	switch (t->kind) {
	case SL_T_INT:
		if (!codec_number(v, &d) || d != floor(d) || d < INT32_MIN || d > INT32_MAX)
			goto bad;
		codec_put_be(out, (uint32_t)(int32_t)d, 4);
		return SL_OK;
	case SL_T_BIGINT:
		if (!codec_number(v, &d) || d != floor(d) || fabs(d) > 9.3e18)
			goto bad;
		codec_put_be(out, (uint64_t)(int64_t)d, 8);
		return SL_OK;
	case SL_T_DOUBLE: {
		uint64_t bits;
		if (!codec_number(v, &d))
			goto bad;
		memcpy(&bits, &d, sizeof(bits));
		codec_put_be(out, bits, 8);
		return SL_OK;
	}
	case SL_T_STRING:
		if (codec_text(out, v))
			return SL_OK;
		goto bad;
	case SL_T_BYTES:
		if (cJSON_IsString(v) && sl_test_base64_decode(out, v->valuestring))
			return SL_OK;
		goto bad;
	default:
		break;
	}
bad:
	sl_strbuf_printf(why, "cannot write %s as a KAFKA %s of %s", cJSON_IsString(v) ? "string" : "value",
			 is_key ? "key" : "value", src->name);
	return SL_EINVAL;
}

int
sl_test_encode(const sl_source_t *src, bool is_key, const cJSON *v, const sl_test_window_t *win,
	       sl_strbuf_t *out, bool *null, sl_strbuf_t *why)
{
	const char *fmt;
	int rc = SL_OK;

	*null = false;
	if (src == NULL) {
		if (v == NULL || cJSON_IsNull(v))
			*null = true;
		else if (cJSON_IsString(v))
			sl_strbuf_puts(out, v->valuestring);
		else
			codec_json(out, v);
		return SL_OK;
	}
	fmt = codec_format(src, is_key);
	if (v == NULL || cJSON_IsNull(v) || strcmp(fmt, "NONE") == 0) {
		/* a windowed key always has its window, even around a null key */
		if (!is_key || src->window_type == SL_WIN_NONE || win == NULL || !win->present) {
			*null = true;
			return SL_OK;
		}
	} else if (strcmp(fmt, "JSON") == 0) {
		codec_json(out, v);
	} else if (strcmp(fmt, "DELIMITED") == 0) {
		if (!codec_text(out, v)) {
			sl_strbuf_printf(why, "cannot write a JSON %s as DELIMITED",
					 cJSON_IsArray(v) ? "array" : "object");
			return SL_EINVAL;
		}
	} else if (strcmp(fmt, "KAFKA") == 0) {
		rc = codec_encode_kafka(src, is_key, v, out, why);
	} else {
		sl_strbuf_printf(why, "the test runner cannot write format %s", fmt);
		return SL_EINVAL;
	}
	if (rc == SL_OK && is_key && src->window_type != SL_WIN_NONE) {
		int64_t start = win != NULL && win->present ? win->start : 0;
		int64_t end = win != NULL && win->present ? win->end : 0;
		if (src->window_type == SL_WIN_SESSION)
			codec_put_be(out, (uint64_t)end, 8);
		codec_put_be(out, (uint64_t)start, 8);
	}
	return rc;
}

/* ---- decoding ---- */

static int
codec_decode_kafka(const sl_source_t *src, bool is_key, const char *data, size_t len,
		   cJSON **out, sl_strbuf_t *why)
{
	const sl_type_t *t = codec_single_column(src, is_key);
	char *s;

	if (t == NULL || t->kind == SL_T_STRING) {
		s = strndup(data, len);
		*out = cJSON_CreateString(s);
		free(s);
		return SL_OK;
	}
	switch (t->kind) {
	case SL_T_INT:
		if (len != 4)
			break;
		*out = cJSON_CreateNumber((int32_t)(uint32_t)codec_get_be(data, 4));
		return SL_OK;
	case SL_T_BIGINT:
		if (len != 8)
			break;
		*out = cJSON_CreateNumber((double)(int64_t)codec_get_be(data, 8));
		return SL_OK;
	case SL_T_DOUBLE: {
		uint64_t bits;
		double d;
		if (len != 8)
			break;
		bits = codec_get_be(data, 8);
		memcpy(&d, &bits, sizeof(d));
		*out = cJSON_CreateNumber(d);
		return SL_OK;
	}
	case SL_T_BYTES: {
		sl_strbuf_t b64;
		sl_strbuf_init(&b64);
		sl_test_base64_encode(&b64, data, len);
		*out = cJSON_CreateString(b64.data);
		sl_strbuf_free(&b64);
		return SL_OK;
	}
	default:
		break;
	}
	sl_strbuf_printf(why, "cannot read a %zu-byte KAFKA %s of type ", len,
			 is_key ? "key" : "value");
	sl_type_format(why, t);
	return SL_EINVAL;
}

int
sl_test_decode(const sl_source_t *src, bool is_key, const char *data, size_t len, cJSON **out,
	       sl_test_window_t *win, sl_strbuf_t *why)
{
	const char *fmt;
	char *s;

	*out = NULL;
	win->present = false;
	if (src != NULL && is_key && src->window_type != SL_WIN_NONE && data != NULL) {
		size_t wlen = src->window_type == SL_WIN_SESSION ? 16 : 8;
		if (len < wlen) {
			sl_strbuf_printf(why, "a windowed key of %zu bytes is too short", len);
			return SL_EINVAL;
		}
		win->present = true;
		win->session = src->window_type == SL_WIN_SESSION;
		win->start = (int64_t)codec_get_be(data + len - 8, 8);
		if (win->session)
			win->end = (int64_t)codec_get_be(data + len - 16, 8);
		else
			win->end = win->start + src->window_size_ms;
		len -= wlen;
	}
	if (data == NULL) {
		*out = cJSON_CreateNull();
		return SL_OK;
	}
	if (src == NULL) {
		*out = cJSON_ParseWithLength(data, len);
		if (*out == NULL) {
			s = strndup(data, len);
			*out = cJSON_CreateString(s);
			free(s);
		}
		return SL_OK;
	}
	fmt = codec_format(src, is_key);
	if (strcmp(fmt, "JSON") == 0) {
		*out = cJSON_ParseWithLength(data, len);
		if (*out != NULL)
			return SL_OK;
		sl_strbuf_printf(why, "the %s is not JSON: %.*s", is_key ? "key" : "value",
				 (int)(len > 200 ? 200 : len), data);
		return SL_EINVAL;
	}
	if (strcmp(fmt, "DELIMITED") == 0) {
		s = strndup(data, len);
		*out = cJSON_CreateString(s);
		free(s);
		return SL_OK;
	}
	if (strcmp(fmt, "KAFKA") == 0)
		return codec_decode_kafka(src, is_key, data, len, out, why);
	if (strcmp(fmt, "NONE") == 0) {
		*out = cJSON_CreateNull();
		return SL_OK;
	}
	sl_strbuf_printf(why, "the test runner cannot read format %s", fmt);
	return SL_EINVAL;
}
