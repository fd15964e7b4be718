/*
 * fn_url.c: URL functions (ksqlDB's URL family).
 *
 * Stage: expr.  URL_DECODE_PARAM URL_ENCODE_PARAM URL_EXTRACT_FRAGMENT
 * URL_EXTRACT_HOST URL_EXTRACT_PARAMETER URL_EXTRACT_PATH URL_EXTRACT_PORT
 * URL_EXTRACT_PROTOCOL URL_EXTRACT_QUERY.  URLs are split as
 * java.net.URI does (RFC 2396): [scheme:][//authority][path][?query]
 * [#fragment], with path, query and fragment percent-decoded; a URL with
 * characters URI rejects is a runtime error (NULL).  The parameter
 * functions follow URLEncoder/URLDecoder (application/x-www-form-urlencoded,
 * UTF-8).
 */
#include <string.h>

#include "expr/fn_util.h"
#include "expr/func.h"

typedef struct span {
	const char *p;
	int32_t n;
	bool set;
} span_t;

typedef struct url {
	span_t scheme, host, port, path, query, fragment;
} url_t;

/* Characters java.net.URI never accepts unescaped. */
static bool
illegal_char(unsigned char c)
{
	return c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' ||
	       c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
}

static span_t
mkspan(const char *p, int32_t n)
{
	return (span_t){ p, n, true };
}

/* Returns false when s is not a URI java.net.URI accepts. */
static bool
url_parse(const char *s, int32_t n, url_t *u)
{
	memset(u, 0, sizeof(*u));
	if (n <= 0)
		return false;
	for (int32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (illegal_char(c))
			return false;
		if (c == '%' && (i + 2 >= n || sl_fn_hexval((unsigned char)s[i + 1]) < 0 ||
				 sl_fn_hexval((unsigned char)s[i + 2]) < 0))
			return false;
	}
	int32_t end = n;
	const char *hash = memchr(s, '#', (size_t)n);
	if (hash != NULL) {
		end = (int32_t)(hash - s);
		u->fragment = mkspan(hash + 1, n - end - 1);
		if (memchr(hash + 1, '#', (size_t)(n - end - 1)) != NULL)
			return false;
	}
	int32_t i = 0;
	/* scheme: alpha *( alpha | digit | + - . ) ":" */
	int32_t k = 0;
	if (k < end && ((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z')) {
		while (k < end &&
		       (((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z') ||
			(s[k] >= '0' && s[k] <= '9') || s[k] == '+' || s[k] == '-' || s[k] == '.'))
			k++;
		if (k < end && s[k] == ':') {
			u->scheme = mkspan(s, k);
			i = k + 1;
			if (i == end)
				return false; /* "http:" has an empty scheme-specific part */
			if (s[i] != '/')
				return true; /* opaque: no host, path or query */
		}
	}
	if (i == 0 && end > 0 && s[0] == ':')
		return false;
	const char *q = memchr(s + i, '?', (size_t)(end - i));
	int32_t hend = q ? (int32_t)(q - s) : end;
	if (q != NULL)
		u->query = mkspan(q + 1, end - hend - 1);
	if (hend - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		int32_t a = i + 2, b = a;
		while (b < hend && s[b] != '/')
			b++;
		/* authority a..b: [userinfo@]host[:port] */
		const char *at = NULL;
		for (int32_t j = a; j < b; j++)
			if (s[j] == '@')
				at = s + j;
		int32_t h = at ? (int32_t)(at - s) + 1 : a;
		int32_t he = b;
		if (h < b && s[h] == '[') {
			const char *rb = memchr(s + h, ']', (size_t)(b - h));
			if (rb == NULL)
				return false;
			he = (int32_t)(rb - s) + 1;
		} else {
			for (int32_t j = h; j < b; j++)
				if (s[j] == ':') {
					he = j;
					break;
				}
		}
		if (he < b && s[he] == ':') {
			for (int32_t j = he + 1; j < b; j++)
				if (s[j] < '0' || s[j] > '9')
					return false;
			if (b > he + 1)
				u->port = mkspan(s + he + 1, b - he - 1);
		}
		if (he > h)
			u->host = mkspan(s + h, he - h);
		else if (b > a && at == NULL && he == h)
			return false;
		u->path = mkspan(s + b, hend - b);
	} else {
		u->path = mkspan(s + i, hend - i);
	}
	return true;
}

/* Percent-decodes sp into a new STRING value. */
static sl_value_t
decoded(sl_arena_t *a, span_t sp)
{
	if (!sp.set)
		return sl_value_null();
	if (memchr(sp.p, '%', (size_t)sp.n) == NULL)
		return sl_value_string(sp.p, sp.n);
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, a, (size_t)sp.n + 1);
	for (int32_t i = 0; i < sp.n; i++) {
		if (sp.p[i] == '%' && i + 2 < sp.n) {
			int h = sl_fn_hexval((unsigned char)sp.p[i + 1]);
			int l = sl_fn_hexval((unsigned char)sp.p[i + 2]);
			sl_fn_buf_putc(&b, (char)(h * 16 + l));
			i += 2;
		} else {
			sl_fn_buf_putc(&b, sp.p[i]);
		}
	}
	/* malformed UTF-8 decodes to U+FFFD, as java.net.URI does */
	sl_fn_buf_t c;
	sl_fn_buf_init(&c, a, b.len + 4);
	for (int32_t i = 0; i < (int32_t)b.len;)
		sl_fn_buf_utf8(&c, sl_fn_utf8_next(b.p, (int32_t)b.len, &i));
	return sl_fn_buf_string(&c);
}

static int
parse_arg(sl_fcall_t *call, const sl_value_t *v, url_t *u)
{
	if (!url_parse(v->u.s.ptr, v->u.s.len, u))
		return sl_fcall_error(call, "URL input has invalid syntax: %.*s", (int)v->u.s.len,
				      v->u.s.ptr);
	return SL_OK;
}

#define URL_FN(name, expr)                                                                   \
	static int name(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out) \
	{                                                                                    \
		(void)argc;                                                                  \
		url_t u;                                                                     \
		int rc = parse_arg(call, &argv[0], &u);                                      \
		if (rc != SL_OK)                                                             \
			return rc;                                                           \
		*out = (expr);                                                               \
		return SL_OK;                                                                \
	}

URL_FN(fn_url_fragment, decoded(call->arena, u.fragment))
URL_FN(fn_url_path, decoded(call->arena, u.path))
URL_FN(fn_url_query, decoded(call->arena, u.query))
URL_FN(fn_url_host, u.host.set ? sl_value_string(u.host.p, u.host.n) : sl_value_null())
URL_FN(fn_url_protocol, u.scheme.set ? sl_value_string(u.scheme.p, u.scheme.n) : sl_value_null())

static int
fn_url_port(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	url_t u;
	int rc = parse_arg(call, &argv[0], &u);
	if (rc != SL_OK)
		return rc;
	if (!u.port.set || !u.host.set) {
		*out = sl_value_null();
		return SL_OK;
	}
	int64_t p = 0;
	for (int32_t i = 0; i < u.port.n; i++) {
		p = p * 10 + (u.port.p[i] - '0');
		if (p > INT32_MAX)
			return sl_fcall_error(call, "URL port out of range");
	}
	*out = sl_value_int((int32_t)p);
	return SL_OK;
}

static int
fn_url_parameter(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	url_t u;
	int rc = parse_arg(call, &argv[0], &u);
	if (rc != SL_OK)
		return rc;
	sl_value_t q = decoded(call->arena, u.query);
	*out = sl_value_null();
	if (sl_value_is_null(&q))
		return SL_OK;
	const char *key = argv[1].u.s.ptr;
	int32_t klen = argv[1].u.s.len;
	const char *p = q.u.s.ptr, *end = p + q.u.s.len;
	for (;;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		const char *ke = eq ? eq : pe;
		if (ke - p == klen && sl_fn_memcmp(p, key, (size_t)klen) == 0) {
			*out = eq ? sl_value_string(eq + 1, (int32_t)(pe - eq - 1)) :
				    sl_value_string(p, 0);
			return SL_OK;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return SL_OK;
}

/* URLEncoder.encode(s, UTF-8). */
static int
fn_url_encode(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *v = &argv[0];
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)v->u.s.len * 3 + 1);
	for (int32_t i = 0; i < v->u.s.len; i++) {
		unsigned char c = (unsigned char)v->u.s.ptr[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '*' || c == '_')
			sl_fn_buf_putc(&b, (char)c);
		else if (c == ' ')
			sl_fn_buf_putc(&b, '+');
		else
			sl_fn_buf_printf(&b, "%%%02X", c);
	}
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* URLDecoder.decode(s, UTF-8). */
static int
fn_url_decode(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *v = &argv[0];
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)v->u.s.len + 1);
	for (int32_t i = 0; i < v->u.s.len; i++) {
		char c = v->u.s.ptr[i];
		if (c == '+') {
			sl_fn_buf_putc(&b, ' ');
		} else if (c == '%') {
			int h = i + 2 < v->u.s.len ?
					sl_fn_hexval((unsigned char)v->u.s.ptr[i + 1]) :
					-1;
			int l = h >= 0 ? sl_fn_hexval((unsigned char)v->u.s.ptr[i + 2]) : -1;
			if (h < 0 || l < 0)
				return sl_fcall_error(call, "illegal hex characters in escape (%%) "
							    "pattern");
			sl_fn_buf_putc(&b, (char)(h * 16 + l));
			i += 2;
		} else {
			sl_fn_buf_putc(&b, c);
		}
	}
	sl_fn_buf_t c;
	sl_fn_buf_init(&c, call->arena, b.len + 4);
	for (int32_t i = 0; i < (int32_t)b.len;)
		sl_fn_buf_utf8(&c, sl_fn_utf8_next(b.p, (int32_t)b.len, &i));
	*out = sl_fn_buf_string(&c);
	return SL_OK;
}

#define ONE_URL(NAME, FN, RET, DESC)                                  \
	{                                                             \
		.name = NAME, .category = "URL", .description = DESC, \
		.variants = (const sl_func_variant_t[])               \
		{                                                     \
			SL_FN_V("url VARCHAR", RET, FN),              \
			{                                             \
				0                                     \
			}                                             \
		}                                                     \
	}

static const sl_func_def_t url_defs[] = {
	{ .name = "URL_DECODE_PARAM",
	  .category = "URL",
	  .description = "Decodes a parameter value encoded as application/x-www-form-urlencoded.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_url_decode),
					       { 0 } } },
	{ .name = "URL_ENCODE_PARAM",
	  .category = "URL",
	  .description = "Encodes a parameter value as application/x-www-form-urlencoded.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_url_encode),
					       { 0 } } },
	ONE_URL("URL_EXTRACT_FRAGMENT", fn_url_fragment, "VARCHAR",
		"Extracts the (decoded) fragment of a URL, or NULL when there is none."),
	ONE_URL("URL_EXTRACT_HOST", fn_url_host, "VARCHAR",
		"Extracts the host of a URL, or NULL when there is none."),
	{ .name = "URL_EXTRACT_PARAMETER",
	  .category = "URL",
	  .description = "Extracts the value of the named query parameter of a URL; an empty "
			 "string for a parameter without a value, NULL when absent.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("url VARCHAR, parameter VARCHAR",
							   "VARCHAR", fn_url_parameter),
						   { 0 } } },
	ONE_URL("URL_EXTRACT_PATH", fn_url_path, "VARCHAR",
		"Extracts the (decoded) path of a URL."),
	ONE_URL("URL_EXTRACT_PORT", fn_url_port, "INT",
		"Extracts the port of a URL, or NULL when there is none."),
	ONE_URL("URL_EXTRACT_PROTOCOL", fn_url_protocol, "VARCHAR",
		"Extracts the protocol (scheme) of a URL, or NULL when there is none."),
	ONE_URL("URL_EXTRACT_QUERY", fn_url_query, "VARCHAR",
		"Extracts the (decoded) query of a URL, or NULL when there is none."),
	{ 0 }
};

void
sl_fn_url_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, url_defs);
}
