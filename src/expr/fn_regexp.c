/*
 * fn_regexp.c: regular-expression functions (ksqlDB's REGULAR_EXPRESSION
 * family), on PCRE2.
 *
 * Stage: expr.  REGEXP_EXTRACT REGEXP_EXTRACT_ALL REGEXP_REPLACE
 * REGEXP_SPLIT_TO_ARRAY.  Patterns follow java.util.regex as far as PCRE2
 * allows: UTF-8 mode, every Unicode line terminator is a newline (so '.'
 * and '$' treat \r, \u0085, \u2028 and \u2029 as Java does), \w \d \s stay
 * ASCII; replacements use Java's syntax ($n, ${name}, \x).  Successive
 * matches advance as Matcher.find() does (one character past an empty
 * match).
 *
 * A constant pattern is compiled once per call site by the init hook
 * (call->state, in the compiled expression's arena); others go through a small per-thread cache, so a pattern
 * column that repeats does not recompile per record.  Match data is
 * per-thread and reused.  A bad pattern is a runtime error (NULL), even
 * when constant, as in ksqlDB.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/fn_util.h"
#include "expr/func.h"

/* ---- compiling --------------------------------------------------------- */

/* PCRE2 allocating in an arena: what a call site compiles lives as long
 * as the compiled expression, with nothing to free. */
static void *
arena_malloc(PCRE2_SIZE n, void *arena)
{
	return sl_arena_alloc(arena, n);
}

static void
arena_free(void *p, void *arena)
{
	(void)p, (void)arena;
}

/* Compiles pat in arena a, or on the heap when a is NULL. */
static pcre2_code *
compile(sl_arena_t *a, const char *pat, size_t n, char *errbuf, size_t errsize)
{
	pcre2_general_context *g = NULL;
	if (a != NULL && (g = pcre2_general_context_create(arena_malloc, arena_free, a)) == NULL)
		return NULL;
	pcre2_compile_context *cc = pcre2_compile_context_create(g);
	if (cc == NULL)
		return NULL;
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANY);
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, n, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				       &err, &off, cc);
	pcre2_compile_context_free(cc);
	if (re == NULL && errbuf != NULL) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(err, msg, sizeof(msg));
		snprintf(errbuf, errsize, "%s at offset %zu", (const char *)msg, (size_t)off);
	}
	return re;
}

/* Init hook: compiles the pattern argument when it is a constant, in the
 * compiled expression's arena. */
static int
init_pattern(sl_fresolve_t *r, int argi)
{
	if (r->constv == NULL || r->constv[argi] == NULL || sl_value_is_null(r->constv[argi]))
		return SL_OK;
	const sl_value_t *v = r->constv[argi];
	char err[256];
	pcre2_code *re = compile(r->arena, v->u.s.ptr, (size_t)v->u.s.len, err, sizeof(err));
	if (re == NULL)
		return SL_OK; /* fails per record, as in ksqlDB */
	r->state = re;
	return SL_OK;
}

static int
init_pattern0(sl_fresolve_t *r)
{
	return init_pattern(r, 0);
}

static int
init_pattern1(sl_fresolve_t *r)
{
	return init_pattern(r, 1);
}

/* ---- per-thread cache and match data ----------------------------------- */

#define CACHE_SIZE 8

typedef struct tls {
	struct {
		char *text;
		size_t len;
		pcre2_code *re;
	} cache[CACHE_SIZE];
	int next;
	pcre2_match_data *md;
} tls_t;

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void
tls_free(void *p)
{
	tls_t *t = p;
	for (int i = 0; i < CACHE_SIZE; i++) {
		free(t->cache[i].text);
		pcre2_code_free(t->cache[i].re);
	}
	pcre2_match_data_free(t->md);
	free(t);
}

static void
tls_init(void)
{
	pthread_key_create(&tls_key, tls_free);
}

static tls_t *
get_tls(void)
{
	pthread_once(&tls_once, tls_init);
	tls_t *t = pthread_getspecific(tls_key);
	if (t == NULL) {
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			abort();
		t->md = pcre2_match_data_create(64, NULL);
		pthread_setspecific(tls_key, t);
	}
	return t;
}

/* The compiled pattern for argument argi: the call site's, or a cached
 * one.  Returns NULL after recording an error. */
static const pcre2_code *
get_code(sl_fcall_t *call, const sl_value_t *pat, int *rc)
{
	*rc = SL_OK;
	if (call->state != NULL)
		return call->state;
	tls_t *t = get_tls();
	size_t n = (size_t)pat->u.s.len;
	for (int i = 0; i < CACHE_SIZE; i++)
		if (t->cache[i].re != NULL && t->cache[i].len == n &&
		    memcmp(t->cache[i].text, pat->u.s.ptr, n) == 0)
			return t->cache[i].re;
	char err[256];
	pcre2_code *re = compile(NULL, pat->u.s.ptr, n, err, sizeof(err));
	if (re == NULL) {
		*rc = sl_fcall_error(call, "invalid regular expression pattern: %.*s (%s)", (int)n,
				     pat->u.s.ptr, err);
		return NULL;
	}
	int slot = t->next;
	t->next = (t->next + 1) % CACHE_SIZE;
	free(t->cache[slot].text);
	pcre2_code_free(t->cache[slot].re);
	t->cache[slot].text = malloc(n + 1);
	if (t->cache[slot].text == NULL)
		abort();
	memcpy(t->cache[slot].text, pat->u.s.ptr, n);
	t->cache[slot].len = n;
	t->cache[slot].re = re;
	return re;
}

static int
group_count(const pcre2_code *re)
{
	uint32_t n = 0;
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &n);
	return (int)n;
}

/* A matcher over one subject, advancing as java.util.regex.Matcher.find. */
typedef struct matcher {
	const pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_data *own; /* when the per-thread one is too small */
	const char *s;
	size_t n;
	size_t from;
	bool done;
	PCRE2_SIZE *ov;
} matcher_t;

static void
matcher_init(matcher_t *m, const pcre2_code *re, const sl_value_t *subject)
{
	m->re = re;
	m->own = NULL;
	m->md = get_tls()->md;
	if (group_count(re) + 1 > 64) {
		m->own = pcre2_match_data_create_from_pattern(re, NULL);
		m->md = m->own;
	}
	m->s = subject->u.s.ptr;
	m->n = (size_t)subject->u.s.len;
	m->from = 0;
	m->done = false;
	m->ov = NULL;
}

static void
matcher_free(matcher_t *m)
{
	pcre2_match_data_free(m->own);
}

/* Finds the next match; false when there is none (or on a match error). */
static bool
matcher_find(matcher_t *m)
{
	if (m->done || m->from > m->n)
		return false;
	int rc = pcre2_match(m->re, (PCRE2_SPTR)m->s, m->n, m->from, 0, m->md, NULL);
	if (rc < 0) {
		m->done = true;
		return false;
	}
	m->ov = pcre2_get_ovector_pointer(m->md);
	size_t start = m->ov[0], end = m->ov[1];
	if (end == start) {
		/* step one character past an empty match */
		size_t k = end + 1;
		while (k < m->n && ((unsigned char)m->s[k] & 0xC0) == 0x80)
			k++;
		m->from = k;
	} else {
		m->from = end;
	}
	return true;
}

/* Group g of the current match as a STRING value (NULL when unset). */
static sl_value_t
matcher_group(const matcher_t *m, int g)
{
	PCRE2_SIZE a = m->ov[2 * g], b = m->ov[2 * g + 1];
	if (a == PCRE2_UNSET)
		return sl_value_null();
	return sl_value_string(m->s + a, (int32_t)(b - a));
}

/* ---- functions --------------------------------------------------------- */

static int
fn_regexp_extract(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	int rc;
	const pcre2_code *re = get_code(call, &argv[0], &rc);
	if (re == NULL)
		return rc;
	int g = argc > 2 ? argv[2].u.i : 0;
	if (g > group_count(re)) {
		*out = sl_value_null();
		return SL_OK;
	}
	if (g < 0)
		return sl_fcall_error(call, "no group %d", g);
	matcher_t m;
	matcher_init(&m, re, &argv[1]);
	*out = matcher_find(&m) ? matcher_group(&m, g) : sl_value_null();
	matcher_free(&m);
	return SL_OK;
}

static int
fn_regexp_extract_all(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	int rc;
	const pcre2_code *re = get_code(call, &argv[0], &rc);
	if (re == NULL)
		return rc;
	int g = argc > 2 ? argv[2].u.i : 0;
	if (g > group_count(re)) {
		*out = sl_value_null();
		return SL_OK;
	}
	if (g < 0)
		return sl_fcall_error(call, "no group %d", g);
	matcher_t m;
	matcher_init(&m, re, &argv[1]);
	int32_t cap = 8, n = 0;
	sl_value_t *items = sl_arena_alloc(call->arena, sizeof(*items) * (size_t)cap);
	while (matcher_find(&m)) {
		if (n == cap) {
			sl_value_t *bigger =
				sl_arena_alloc(call->arena, sizeof(*items) * (size_t)cap * 2);
			memcpy(bigger, items, sizeof(*items) * (size_t)n);
			items = bigger;
			cap *= 2;
		}
		items[n++] = matcher_group(&m, g);
	}
	matcher_free(&m);
	sl_value_t arr = sl_fn_array(call->arena, n);
	if (n > 0)
		memcpy(arr.u.list->items, items, sizeof(*items) * (size_t)n);
	*out = arr;
	return SL_OK;
}

/* Appends the replacement for the current match (Matcher.appendReplacement
 * syntax). */
static int
append_replacement(sl_fcall_t *call, sl_fn_buf_t *b, const matcher_t *m, const sl_value_t *rep)
{
	const char *r = rep->u.s.ptr;
	int32_t n = rep->u.s.len;
	int groups = group_count(m->re);
	for (int32_t i = 0; i < n; i++) {
		char c = r[i];
		if (c == '\\') {
			if (++i >= n)
				return sl_fcall_error(call, "character to be escaped is missing");
			sl_fn_buf_putc(b, r[i]);
		} else if (c == '$') {
			if (++i >= n)
				return sl_fcall_error(call,
						      "illegal group reference: group index is "
						      "missing");
			int g;
			if (r[i] == '{') {
				int32_t j = i + 1;
				while (j < n && r[j] != '}')
					j++;
				if (j >= n || j == i + 1)
					return sl_fcall_error(call,
							      "named capturing group is missing "
							      "trailing '}'");
				char name[128];
				int32_t len = j - i - 1;
				if (len >= (int32_t)sizeof(name))
					len = (int32_t)sizeof(name) - 1;
				memcpy(name, r + i + 1, (size_t)len);
				name[len] = '\0';
				g = pcre2_substring_number_from_name(m->re, (PCRE2_SPTR)name);
				if (g < 0)
					return sl_fcall_error(call, "no group with name {%s}",
							      name);
				i = j;
			} else {
				if (r[i] < '0' || r[i] > '9')
					return sl_fcall_error(call, "illegal group reference");
				g = r[i] - '0';
				/* more digits while the number stays a valid group */
				while (i + 1 < n && r[i + 1] >= '0' && r[i + 1] <= '9') {
					int ng = g * 10 + (r[i + 1] - '0');
					if (ng > groups)
						break;
					g = ng;
					i++;
				}
				if (g > groups)
					return sl_fcall_error(call, "no group %d", g);
			}
			sl_value_t v = matcher_group(m, g);
			if (!sl_value_is_null(&v))
				sl_fn_buf_add(b, v.u.s.ptr, (size_t)v.u.s.len);
		} else {
			sl_fn_buf_putc(b, c);
		}
	}
	return SL_OK;
}

static int
fn_regexp_replace(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	int rc;
	const pcre2_code *re = get_code(call, &argv[1], &rc);
	if (re == NULL)
		return rc;
	const sl_value_t *s = &argv[0];
	matcher_t m;
	matcher_init(&m, re, s);
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)s->u.s.len + 16);
	size_t last = 0;
	rc = SL_OK;
	while (matcher_find(&m)) {
		sl_fn_buf_add(&b, s->u.s.ptr + last, m.ov[0] - last);
		rc = append_replacement(call, &b, &m, &argv[2]);
		if (rc != SL_OK)
			break;
		last = m.ov[1];
	}
	matcher_free(&m);
	if (rc != SL_OK)
		return rc;
	sl_fn_buf_add(&b, s->u.s.ptr + last, (size_t)s->u.s.len - last);
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* REGEXP_SPLIT_TO_ARRAY: Guava's Splitter.on(pattern) (every piece kept)
 * unless the pattern matches the empty string, when Pattern.split (no
 * leading empty piece for a zero-width match at 0, trailing empty pieces
 * dropped) decides. */
static int
fn_regexp_split(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	int rc;
	const pcre2_code *re = get_code(call, &argv[1], &rc);
	if (re == NULL)
		return rc;
	const sl_value_t *s = &argv[0];
	pcre2_match_data *md = get_tls()->md;
	bool java_split = argv[1].u.s.len == 0 ||
			  pcre2_match(re, (PCRE2_SPTR) "", 0, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED,
				      md, NULL) >= 0;
	matcher_t m;
	matcher_init(&m, re, s);
	int32_t cap = 8, n = 0;
	sl_value_t *items = sl_arena_alloc(call->arena, sizeof(*items) * (size_t)cap);
	size_t index = 0;
	for (;;) {
		bool found = matcher_find(&m);
		size_t start = found ? m.ov[0] : (size_t)s->u.s.len;
		size_t end = found ? m.ov[1] : start;
		if (found && java_split && index == 0 && start == 0 && end == 0)
			continue;
		if (n == cap) {
			sl_value_t *bigger =
				sl_arena_alloc(call->arena, sizeof(*items) * (size_t)cap * 2);
			memcpy(bigger, items, sizeof(*items) * (size_t)n);
			items = bigger;
			cap *= 2;
		}
		items[n++] = sl_value_string(s->u.s.ptr + index, (int32_t)(start - index));
		if (!found)
			break;
		index = end;
	}
	matcher_free(&m);
	if (java_split) {
		if (n == 1) {
			items[0] = *s;
		} else {
			while (n > 0 && items[n - 1].u.s.len == 0)
				n--;
		}
	}
	sl_value_t arr = sl_fn_array(call->arena, n);
	if (n > 0)
		memcpy(arr.u.list->items, items, sizeof(*items) * (size_t)n);
	*out = arr;
	return SL_OK;
}

static const sl_func_def_t regexp_defs[] = {
	{ .name = "REGEXP_EXTRACT",
	  .category = "REGULAR_EXPRESSION",
	  .description = "Returns the first substring of input that matches the regex pattern, or "
			 "the given capturing group of that match; NULL when nothing matches.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("pattern VARCHAR, input VARCHAR", "VARCHAR",
						       fn_regexp_extract, .init = init_pattern0),
					       SL_FN_V("pattern VARCHAR, input VARCHAR, group INT",
						       "VARCHAR", fn_regexp_extract,
						       .init = init_pattern0),
					       { 0 } } },
	{ .name = "REGEXP_EXTRACT_ALL",
	  .category = "REGULAR_EXPRESSION",
	  .description = "Returns every substring of input that matches the regex pattern, or "
			 "the given capturing group of each match.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("pattern VARCHAR, input VARCHAR", "ARRAY<VARCHAR>",
				  fn_regexp_extract_all, .init = init_pattern0),
			  SL_FN_V("pattern VARCHAR, input VARCHAR, group INT", "ARRAY<VARCHAR>",
				  fn_regexp_extract_all, .init = init_pattern0),
			  { 0 } } },
	{ .name = "REGEXP_REPLACE",
	  .category = "REGULAR_EXPRESSION",
	  .description = "Replaces all matches of a regexp in a string with a new substring "
			 "($n refers to a capturing group).",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("str VARCHAR, regexp VARCHAR, replacement VARCHAR", "VARCHAR",
				  fn_regexp_replace, .init = init_pattern1),
			  { 0 } } },
	{ .name = "REGEXP_SPLIT_TO_ARRAY",
	  .category = "REGULAR_EXPRESSION",
	  .description = "Splits a string into an array of substrings based on a regexp. Matches "
			 "at either end or next to each other give empty strings; an empty regexp "
			 "splits into characters.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("string VARCHAR, regexp VARCHAR",
							   "ARRAY<VARCHAR>", fn_regexp_split,
							   .init = init_pattern1),
						   { 0 } } },
	{ 0 }
};

void
sl_fn_regexp_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, regexp_defs);
}
