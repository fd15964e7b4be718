/*
 * fn_string.c: string functions (ksqlDB's STRING family).
 *
 * Stage: expr.  CHR CONCAT CONCAT_WS ELT ENCODE FIELD INITCAP INSTR LCASE
 * LEN LPAD LTRIM MASK MASK_KEEP_LEFT MASK_KEEP_RIGHT MASK_LEFT MASK_RIGHT
 * MD5 REPLACE RPAD RTRIM SPLIT SPLIT_TO_MAP SUBSTRING TRIM UCASE UUID.
 * Positions and lengths count Unicode code points (ksqlDB counts UTF-16
 * units; the two differ only outside the Basic Multilingual Plane).
 * Results are allocated in call->arena.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "expr/fn_util.h"
#include "expr/func.h"

#define S(v) ((v)->u.s.ptr)
#define N(v) ((v)->u.s.len)

/* ---- case, trim -------------------------------------------------------- */

static sl_value_t
map_case(sl_arena_t *a, const sl_value_t *v, uint32_t (*f)(uint32_t))
{
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, a, (size_t)N(v) + 4);
	for (int32_t i = 0; i < N(v);)
		sl_fn_buf_utf8(&b, f(sl_fn_utf8_next(S(v), N(v), &i)));
	return sl_fn_buf_string(&b);
}

static int
fn_ucase(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	*out = map_case(call->arena, &argv[0], sl_fn_upper);
	return SL_OK;
}

static int
fn_lcase(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	*out = map_case(call->arena, &argv[0], sl_fn_lower);
	return SL_OK;
}

/* String.trim(): strips every char <= U+0020 (all ASCII controls too). */
static void
trim_bounds(const sl_value_t *v, bool left, bool right, int32_t *from, int32_t *to)
{
	int32_t i = 0, j = N(v);
	if (left)
		while (i < j && (unsigned char)S(v)[i] <= 0x20)
			i++;
	if (right)
		while (j > i && (unsigned char)S(v)[j - 1] <= 0x20)
			j--;
	*from = i;
	*to = j;
}

static int
fn_trim(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	int32_t i, j;
	trim_bounds(&argv[0], true, true, &i, &j);
	*out = sl_value_string(S(&argv[0]) + i, j - i);
	return SL_OK;
}

static int
fn_ltrim(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	int32_t i, j;
	trim_bounds(&argv[0], true, false, &i, &j);
	*out = sl_value_string(S(&argv[0]) + i, j - i);
	return SL_OK;
}

static int
fn_rtrim(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	int32_t i, j;
	trim_bounds(&argv[0], false, true, &i, &j);
	*out = sl_value_string(S(&argv[0]) + i, j - i);
	return SL_OK;
}

/* INITCAP: lower-cases, then upper-cases the first character of every run
 * of non-whitespace (Java's \s: space, \t \n \x0B \f \r). */
static bool
is_regex_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

static int
fn_initcap(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *v = &argv[0];
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)N(v) + 4);
	bool start = true;
	int32_t i = 0;
	/* leading whitespace is dropped: the pattern [^\s]+\s* never
	 * matches it */
	while (i < N(v)) {
		int32_t k = i;
		if (!is_regex_space(sl_fn_utf8_next(S(v), N(v), &k)))
			break;
		i = k;
	}
	while (i < N(v)) {
		uint32_t c = sl_fn_utf8_next(S(v), N(v), &i);
		if (is_regex_space(c)) {
			start = true;
			sl_fn_buf_utf8(&b, c);
			continue;
		}
		sl_fn_buf_utf8(&b, start ? sl_fn_upper(sl_fn_lower(c)) : sl_fn_lower(c));
		start = false;
	}
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* ---- length, substring, position --------------------------------------- */

static int
fn_len(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = sl_value_int(sl_fn_utf8_count(S(&argv[0]), N(&argv[0])));
	return SL_OK;
}

static int
fn_len_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = sl_value_int(N(&argv[0]));
	return SL_OK;
}

/* ksqlDB's index rules: pos is 1-based, negative counts from the end, and
 * everything clamps to the string. */
static void
substr_range(int32_t n, int32_t pos, bool has_len, int32_t len, int32_t *from, int32_t *to)
{
	int64_t start = pos < 0 ? (int64_t)n + pos : (int64_t)pos - 1;
	if (pos >= 0 && start > n)
		start = n;
	if (start < 0)
		start = 0;
	int64_t end = n;
	if (has_len) {
		end = start + (int64_t)len;
		if (end > n)
			end = n;
		if (end < start)
			end = start;
	}
	*from = (int32_t)start;
	*to = (int32_t)end;
}

static int
substring_impl(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out, bool bytes)
{
	(void)call;
	const sl_value_t *v = &argv[0];
	int32_t n = bytes ? N(v) : sl_fn_utf8_count(S(v), N(v));
	int32_t from, to;
	substr_range(n, argv[1].u.i, argc > 2, argc > 2 ? argv[2].u.i : 0, &from, &to);
	if (!bytes) {
		int32_t bf = sl_fn_utf8_offset(S(v), N(v), from);
		int32_t bt = bf + sl_fn_utf8_offset(S(v) + bf, N(v) - bf, to - from);
		from = bf;
		to = bt;
	}
	*out = bytes ? sl_value_bytes(S(v) + from, to - from) :
		       sl_value_string(S(v) + from, to - from);
	return SL_OK;
}

static int
fn_substring(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return substring_impl(call, argc, argv, out, false);
}

static int
fn_substring_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return substring_impl(call, argc, argv, out, true);
}

/* Decodes s into code points in the arena; returns the count. */
static int32_t
to_cps(sl_arena_t *a, const sl_value_t *v, uint32_t **cps)
{
	uint32_t *p = sl_arena_alloc(a, sizeof(*p) * ((size_t)N(v) + 1));
	int32_t n = 0;
	for (int32_t i = 0; i < N(v);)
		p[n++] = sl_fn_utf8_next(S(v), N(v), &i);
	*cps = p;
	return n;
}

static void
reverse_cps(uint32_t *p, int32_t n)
{
	for (int32_t i = 0, j = n - 1; i < j; i++, j--) {
		uint32_t t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
}

/* StringUtils.ordinalIndexOf(StringUtils.substring(s, start), sub, occ):
 * occurrences may overlap. */
static int32_t
ordinal_index(const uint32_t *s, int32_t n, int32_t start, const uint32_t *sub, int32_t m,
	      int32_t occ)
{
	if (start < 0)
		start += n;
	if (start < 0)
		start = 0;
	if (start > n)
		start = n;
	s += start;
	n -= start;
	if (occ <= 0)
		return -1;
	if (m == 0)
		return 0;
	int32_t found = 0, idx = -1;
	do {
		int32_t k;
		for (k = idx + 1; k + m <= n; k++)
			if (memcmp(s + k, sub, sizeof(*sub) * (size_t)m) == 0)
				break;
		if (k + m > n)
			return -1;
		idx = k;
		found++;
	} while (found < occ);
	return idx;
}

static int
fn_instr(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	if (sl_value_is_null(&argv[0]) || sl_value_is_null(&argv[1])) {
		*out = sl_value_int(0);
		return SL_OK;
	}
	int32_t pos = 1, occ = 1;
	if (argc > 2) {
		if (sl_value_is_null(&argv[2])) {
			*out = sl_value_null();
			return SL_OK;
		}
		pos = argv[2].u.i;
	}
	if (argc > 3) {
		if (sl_value_is_null(&argv[3])) {
			*out = sl_value_null();
			return SL_OK;
		}
		occ = argv[3].u.i;
	}
	uint32_t *s, *sub;
	int32_t n = to_cps(call->arena, &argv[0], &s);
	int32_t m = to_cps(call->arena, &argv[1], &sub);
	int64_t apos = pos < 0 ? -(int64_t)pos : pos;
	int32_t r = 0;
	if (apos <= n) {
		if (pos < 0) {
			reverse_cps(s, n);
			reverse_cps(sub, m);
			int32_t i = ordinal_index(s, n, -pos - 1, sub, m, occ);
			r = i < 0 ? 0 : n - (-pos) - i - m + 2;
		} else {
			int32_t i = ordinal_index(s, n, pos - 1, sub, m, occ);
			r = i < 0 ? 0 : i + pos;
		}
	}
	*out = sl_value_int(r);
	return SL_OK;
}

/* ---- concatenation ----------------------------------------------------- */

static int
concat_impl(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out, bool bytes)
{
	size_t total = 0;
	for (int i = 0; i < argc; i++)
		if (!sl_value_is_null(&argv[i]))
			total += (size_t)N(&argv[i]);
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, total + 1);
	for (int i = 0; i < argc; i++)
		if (!sl_value_is_null(&argv[i]))
			sl_fn_buf_add(&b, S(&argv[i]), (size_t)N(&argv[i]));
	*out = bytes ? sl_fn_buf_bytes(&b) : sl_fn_buf_string(&b);
	return SL_OK;
}

static int
fn_concat(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return concat_impl(call, argc, argv, out, false);
}

static int
fn_concat_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return concat_impl(call, argc, argv, out, true);
}

static int
concat_ws_impl(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out, bool bytes)
{
	if (argc < 2)
		return sl_fcall_error(call,
				      "function Concat_WS expects at least two input arguments");
	if (sl_value_is_null(&argv[0])) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, 64);
	bool first = true;
	for (int i = 1; i < argc; i++) {
		if (sl_value_is_null(&argv[i]))
			continue;
		if (!first)
			sl_fn_buf_add(&b, S(&argv[0]), (size_t)N(&argv[0]));
		sl_fn_buf_add(&b, S(&argv[i]), (size_t)N(&argv[i]));
		first = false;
	}
	*out = bytes ? sl_fn_buf_bytes(&b) : sl_fn_buf_string(&b);
	return SL_OK;
}

static int
fn_concat_ws(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return concat_ws_impl(call, argc, argv, out, false);
}

static int
fn_concat_ws_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return concat_ws_impl(call, argc, argv, out, true);
}

/* ELT(n, args...): the n-th (1-based) of args, NULL when out of range. */
static int
fn_elt(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	if (sl_value_is_null(&argv[0]) || argv[0].u.i < 1 || argv[0].u.i > argc - 1) {
		*out = sl_value_null();
		return SL_OK;
	}
	*out = argv[argv[0].u.i];
	return SL_OK;
}

/* FIELD(str, args...): 1-based position of str among args, or 0. */
static int
fn_field(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	int pos = 0;
	if (!sl_value_is_null(&argv[0])) {
		for (int i = 1; i < argc; i++) {
			if (!sl_value_is_null(&argv[i]) && N(&argv[i]) == N(&argv[0]) &&
			    sl_fn_memcmp(S(&argv[i]), S(&argv[0]), (size_t)N(&argv[0])) == 0) {
				pos = i;
				break;
			}
		}
	}
	*out = sl_value_int(pos);
	return SL_OK;
}

/* ---- padding ----------------------------------------------------------- */

static int
pad_impl(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *out, bool left)
{
	const sl_value_t *in = &argv[0], *pad = &argv[2];
	if (sl_value_is_null(in) || sl_value_is_null(&argv[1]) || sl_value_is_null(pad) ||
	    N(pad) == 0 || argv[1].u.i < 0) {
		*out = sl_value_null();
		return SL_OK;
	}
	int32_t target = argv[1].u.i;
	uint32_t *s, *p;
	int32_t n = to_cps(call->arena, in, &s);
	int32_t m = to_cps(call->arena, pad, &p);
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)target * 2 + 4);
	int32_t padn = target > n ? target - n : 0;
	if (left) {
		for (int32_t i = 0; i < padn; i++)
			sl_fn_buf_utf8(&b, p[i % m]);
		for (int32_t i = 0; i < n && padn + i < target; i++)
			sl_fn_buf_utf8(&b, s[i]);
	} else {
		for (int32_t i = 0; i < n && i < target; i++)
			sl_fn_buf_utf8(&b, s[i]);
		for (int32_t i = 0; i < padn; i++)
			sl_fn_buf_utf8(&b, p[i % m]);
	}
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

static int
pad_bytes_impl(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *out, bool left)
{
	const sl_value_t *in = &argv[0], *pad = &argv[2];
	if (sl_value_is_null(in) || sl_value_is_null(&argv[1]) || sl_value_is_null(pad) ||
	    N(pad) == 0 || argv[1].u.i < 0) {
		*out = sl_value_null();
		return SL_OK;
	}
	int32_t target = argv[1].u.i, n = N(in), m = N(pad);
	if (n >= target) {
		*out = sl_value_bytes(S(in), target);
		return SL_OK;
	}
	char *r = sl_arena_alloc(call->arena, (size_t)target + 1);
	int32_t padn = target - n;
	if (left) {
		for (int32_t i = 0; i < padn; i++)
			r[i] = S(pad)[i % m];
		if (n > 0)
			memcpy(r + padn, S(in), (size_t)n);
	} else {
		if (n > 0)
			memcpy(r, S(in), (size_t)n);
		for (int32_t i = 0; i < padn; i++)
			r[n + i] = S(pad)[i % m];
	}
	*out = sl_value_bytes(r, target);
	return SL_OK;
}

static int
fn_lpad(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return pad_impl(call, argv, out, true);
}

static int
fn_rpad(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return pad_impl(call, argv, out, false);
}

static int
fn_lpad_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return pad_bytes_impl(call, argv, out, true);
}

static int
fn_rpad_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return pad_bytes_impl(call, argv, out, false);
}

/* ---- replace, split ---------------------------------------------------- */

static const char *
find_bytes(const char *s, int32_t n, const char *t, int32_t m)
{
	if (m == 0)
		return s;
	if (n < m)
		return NULL;
	return memmem(s, (size_t)n, t, (size_t)m);
}

/* String.replace(target, replacement): an empty target inserts the
 * replacement between every character and at both ends. */
static int
fn_replace(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *s = &argv[0], *t = &argv[1], *r = &argv[2];
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)N(s) + 16);
	if (N(t) == 0) {
		sl_fn_buf_add(&b, S(r), (size_t)N(r));
		for (int32_t i = 0; i < N(s);) {
			int32_t k = i;
			sl_fn_utf8_next(S(s), N(s), &k);
			sl_fn_buf_add(&b, S(s) + i, (size_t)(k - i));
			sl_fn_buf_add(&b, S(r), (size_t)N(r));
			i = k;
		}
		*out = sl_fn_buf_string(&b);
		return SL_OK;
	}
	int32_t i = 0;
	for (;;) {
		const char *hit = find_bytes(S(s) + i, N(s) - i, S(t), N(t));
		if (hit == NULL)
			break;
		int32_t at = (int32_t)(hit - S(s));
		sl_fn_buf_add(&b, S(s) + i, (size_t)(at - i));
		sl_fn_buf_add(&b, S(r), (size_t)N(r));
		i = at + N(t);
	}
	sl_fn_buf_add(&b, S(s) + i, (size_t)(N(s) - i));
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* Splits v on the literal delim; an empty delimiter splits into
 * characters (bytes for BYTES). */
static sl_value_t
split_literal(sl_arena_t *a, const sl_value_t *v, const sl_value_t *d, bool bytes)
{
	int32_t n = N(v), m = N(d);
	sl_tkind_t kind = bytes ? SL_T_BYTES : SL_T_STRING;
	if (n == 0) {
		sl_value_t arr = sl_fn_array(a, 1);
		arr.u.list->items[0] = bytes ? sl_value_bytes(S(v), 0) : sl_value_string(S(v), 0);
		return arr;
	}
	int32_t count = 0;
	if (m == 0) {
		count = bytes ? n : sl_fn_utf8_count(S(v), n);
	} else {
		count = 1;
		for (int32_t i = 0;;) {
			const char *hit = find_bytes(S(v) + i, n - i, S(d), m);
			if (hit == NULL)
				break;
			count++;
			i = (int32_t)(hit - S(v)) + m;
		}
	}
	sl_value_t arr = sl_fn_array(a, count);
	sl_value_t *it = arr.u.list->items;
	int32_t k = 0;
	if (m == 0) {
		for (int32_t i = 0; i < n;) {
			int32_t j = i;
			if (bytes)
				j = i + 1;
			else
				sl_fn_utf8_next(S(v), n, &j);
			it[k].kind = (uint8_t)kind;
			it[k].u.s.ptr = S(v) + i;
			it[k].u.s.len = j - i;
			k++;
			i = j;
		}
	} else {
		int32_t i = 0;
		for (;;) {
			const char *hit = find_bytes(S(v) + i, n - i, S(d), m);
			int32_t end = hit ? (int32_t)(hit - S(v)) : n;
			it[k].kind = (uint8_t)kind;
			it[k].u.s.ptr = S(v) + i;
			it[k].u.s.len = end - i;
			k++;
			if (hit == NULL)
				break;
			i = end + m;
		}
	}
	return arr;
}

static int
fn_split(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	*out = split_literal(call->arena, &argv[0], &argv[1], false);
	return SL_OK;
}

static int
fn_split_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	*out = split_literal(call->arena, &argv[0], &argv[1], true);
	return SL_OK;
}

/* SPLIT_TO_MAP(input, entryDelim, kvDelim): empty entries are skipped,
 * entries without kvDelim are dropped, the last value of a key wins. */
static int
fn_split_to_map(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *in = &argv[0], *ed = &argv[1], *kd = &argv[2];
	if (N(ed) == 0 || N(kd) == 0 ||
	    (N(ed) == N(kd) && sl_fn_memcmp(S(ed), S(kd), (size_t)N(ed)) == 0)) {
		*out = sl_value_null();
		return SL_OK;
	}
	int32_t n = N(in);
	int32_t max = 1;
	for (int32_t i = 0;;) {
		const char *hit = find_bytes(S(in) + i, n - i, S(ed), N(ed));
		if (hit == NULL)
			break;
		max++;
		i = (int32_t)(hit - S(in)) + N(ed);
	}
	sl_value_t map = sl_fn_map(call->arena, max);
	sl_value_t *it = map.u.list->items;
	int32_t cnt = 0;
	for (int32_t i = 0; i <= n;) {
		const char *hit = find_bytes(S(in) + i, n - i, S(ed), N(ed));
		int32_t end = hit ? (int32_t)(hit - S(in)) : n;
		const char *e = S(in) + i;
		int32_t elen = end - i;
		const char *kv = elen > 0 ? find_bytes(e, elen, S(kd), N(kd)) : NULL;
		if (kv != NULL) {
			int32_t klen = (int32_t)(kv - e);
			const char *val = kv + N(kd);
			/* Guava's Splitter: the value ends at a second kvDelim */
			int32_t vlen = elen - klen - N(kd);
			const char *kv2 = find_bytes(val, vlen, S(kd), N(kd));
			if (kv2 != NULL)
				vlen = (int32_t)(kv2 - val);
			int32_t j;
			for (j = 0; j < cnt; j++)
				if (it[2 * j].u.s.len == klen &&
				    sl_fn_memcmp(it[2 * j].u.s.ptr, e, (size_t)klen) == 0)
					break;
			it[2 * j] = sl_value_string(e, klen);
			it[2 * j + 1] = sl_value_string(val, vlen);
			if (j == cnt)
				cnt++;
		}
		if (hit == NULL)
			break;
		i = end + N(ed);
	}
	map.u.list->n = cnt;
	*out = map;
	return SL_OK;
}

/* ---- CHR --------------------------------------------------------------- */

static int
fn_chr_int(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	int32_t c = argv[0].u.i;
	if (c < 0 || c > 0x10FFFF) {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, 8);
	/* a lone surrogate cannot be UTF-8: Java's encoder writes '?' */
	sl_fn_buf_utf8(&b, (c >= 0xD800 && c <= 0xDFFF) ? '?' : (uint32_t)c);
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* CHR('\u004b'): StringEscapeUtils.unescapeJava of text starting "\u". */
static int
fn_chr_str(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	const sl_value_t *v = &argv[0];
	const char *s = S(v);
	int32_t n = N(v);
	if (n < 6 || s[0] != '\\' || s[1] != 'u') {
		*out = sl_value_null();
		return SL_OK;
	}
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)n);
	uint32_t hi = 0; /* pending high surrogate */
	for (int32_t i = 0; i < n;) {
		uint32_t c;
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'u') {
			i += 2;
			while (i < n && s[i] == 'u')
				i++;
			if (i + 4 > n)
				return sl_fcall_error(call,
						      "less than 4 hex digits in unicode value");
			c = 0;
			for (int k = 0; k < 4; k++) {
				int h = sl_fn_hexval((unsigned char)s[i + k]);
				if (h < 0)
					return sl_fcall_error(call,
							      "unable to parse unicode value");
				c = c * 16 + (uint32_t)h;
			}
			i += 4;
		} else if (s[i] == '\\' && i + 1 < n) {
			char e = s[i + 1];
			i += 2;
			switch (e) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			default:
				c = (unsigned char)e;
				break;
			}
		} else {
			c = sl_fn_utf8_next(s, n, &i);
		}
		if (hi != 0) {
			if (c >= 0xDC00 && c <= 0xDFFF) {
				sl_fn_buf_utf8(&b, 0x10000 + ((hi - 0xD800) << 10) + (c - 0xDC00));
				hi = 0;
				continue;
			}
			sl_fn_buf_putc(&b, '?');
			hi = 0;
		}
		if (c >= 0xD800 && c <= 0xDBFF)
			hi = c;
		else if (c >= 0xDC00 && c <= 0xDFFF)
			sl_fn_buf_putc(&b, '?');
		else
			sl_fn_buf_utf8(&b, c);
	}
	if (hi != 0)
		sl_fn_buf_putc(&b, '?');
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* ---- ENCODE ------------------------------------------------------------ */

typedef enum { ENC_HEX, ENC_UTF8, ENC_ASCII, ENC_BASE64, ENC_BAD } enc_t;

static enc_t
encoding_of(const sl_value_t *v)
{
	if (sl_fn_str_ieq(v, "hex"))
		return ENC_HEX;
	if (sl_fn_str_ieq(v, "utf8"))
		return ENC_UTF8;
	if (sl_fn_str_ieq(v, "ascii"))
		return ENC_ASCII;
	if (sl_fn_str_ieq(v, "base64"))
		return ENC_BASE64;
	return ENC_BAD;
}

/* Java's new String(bytes, US_ASCII): bytes >= 0x80 become U+FFFD. */
static void
ascii_decode(sl_fn_buf_t *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			sl_fn_buf_putc(b, (char)c);
		else
			sl_fn_buf_utf8(b, 0xFFFD);
	}
}

/* Java's new String(bytes, UTF_8): malformed sequences become U+FFFD. */
static void
utf8_sanitize(sl_fn_buf_t *b, const char *s, size_t n)
{
	for (int32_t i = 0; i < (int32_t)n;)
		sl_fn_buf_utf8(b, sl_fn_utf8_next(s, (int32_t)n, &i));
}

/* String.getBytes(US_ASCII): each non-ASCII character becomes '?'. */
static void
ascii_encode(sl_fn_buf_t *b, const char *s, size_t n)
{
	for (int32_t i = 0; i < (int32_t)n;) {
		uint32_t c = sl_fn_utf8_next(s, (int32_t)n, &i);
		sl_fn_buf_putc(b, c < 0x80 ? (char)c : '?');
	}
}

static bool
hex_decode(sl_fn_buf_t *b, const char *s, size_t n)
{
	if (n % 2 != 0)
		return false;
	for (size_t i = 0; i < n; i += 2) {
		int h = sl_fn_hexval((unsigned char)s[i]),
		    l = sl_fn_hexval((unsigned char)s[i + 1]);
		if (h < 0 || l < 0)
			return false;
		sl_fn_buf_putc(b, (char)(h * 16 + l));
	}
	return true;
}

static void
hex_encode(sl_fn_buf_t *b, const char *s, size_t n, bool upper)
{
	const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		sl_fn_buf_putc(b, d[c >> 4]);
		sl_fn_buf_putc(b, d[c & 15]);
	}
}

/* Encode.hexStrip: "0x..." (an odd digit count gets a leading 0) and
 * "X'...'" lose their decoration. */
static void
hex_strip(sl_fn_buf_t *tmp, const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = *n;
	if (len >= 2 && p[0] == '0' && p[1] == 'x') {
		if (len % 2 != 0) {
			sl_fn_buf_putc(tmp, '0');
			sl_fn_buf_add(tmp, p + 2, len - 2);
			*s = tmp->p;
			*n = tmp->len;
		} else {
			*s = p + 2;
			*n = len - 2;
		}
	} else if (len >= 3 && (p[0] == 'x' || p[0] == 'X') && p[1] == '\'' && p[len - 1] == '\'') {
		*s = p + 2;
		*n = len - 3;
	}
}

static int
fn_encode(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	enc_t from = encoding_of(&argv[1]), to = encoding_of(&argv[2]);
	if (from == ENC_BAD || to == ENC_BAD || from == to)
		return sl_fcall_error(call, "supported input and output encodings are: "
					    "hex, utf8, ascii and base64");
	const char *s = S(&argv[0]);
	size_t n = (size_t)N(&argv[0]);
	sl_fn_buf_t raw, res, tmp;
	sl_fn_buf_init(&raw, call->arena, n + 1);
	sl_fn_buf_init(&res, call->arena, n * 2 + 4);
	/* to bytes */
	switch (from) {
	case ENC_HEX:
		sl_fn_buf_init(&tmp, call->arena, n + 2);
		hex_strip(&tmp, &s, &n);
		if (!hex_decode(&raw, s, n))
			return sl_fcall_error(call, "invalid hex input");
		break;
	case ENC_BASE64:
		/* commons-codec's decoder skips anything outside the alphabet */
		sl_fn_base64_decode(&raw, s, n, true);
		break;
	case ENC_ASCII:
		ascii_encode(&raw, s, n);
		break;
	default:
		sl_fn_buf_add(&raw, s, n);
		break;
	}
	/* from bytes */
	switch (to) {
	case ENC_HEX:
		hex_encode(&res, raw.p, raw.len, false);
		break;
	case ENC_BASE64:
		sl_fn_base64_encode(&res, (const unsigned char *)raw.p, raw.len, false);
		break;
	case ENC_ASCII:
		ascii_decode(&res, raw.p, raw.len);
		break;
	default:
		utf8_sanitize(&res, raw.p, raw.len);
		break;
	}
	*out = sl_fn_buf_string(&res);
	return SL_OK;
}

/* Shared with fn_bytes.c through these two entry points. */
int sl_fn_bytes_to_string(sl_fcall_t *call, const sl_value_t *bytes, const sl_value_t *enc,
			  sl_value_t *out);
int sl_fn_string_to_bytes(sl_fcall_t *call, const sl_value_t *str, const sl_value_t *enc,
			  sl_value_t *out);

int
sl_fn_bytes_to_string(sl_fcall_t *call, const sl_value_t *bytes, const sl_value_t *enc,
		      sl_value_t *out)
{
	enc_t e = encoding_of(enc);
	if (e == ENC_BAD)
		return sl_fcall_error(call,
				      "unknown encoding type '%.*s'; supported formats are "
				      "'hex', 'utf8', 'ascii', and 'base64'",
				      (int)N(enc), S(enc));
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)N(bytes) * 2 + 4);
	switch (e) {
	case ENC_HEX:
		hex_encode(&b, S(bytes), (size_t)N(bytes), true);
		break;
	case ENC_BASE64:
		sl_fn_base64_encode(&b, (const unsigned char *)S(bytes), (size_t)N(bytes), true);
		break;
	case ENC_ASCII:
		ascii_decode(&b, S(bytes), (size_t)N(bytes));
		break;
	default:
		utf8_sanitize(&b, S(bytes), (size_t)N(bytes));
		break;
	}
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

int
sl_fn_string_to_bytes(sl_fcall_t *call, const sl_value_t *str, const sl_value_t *enc,
		      sl_value_t *out)
{
	enc_t e = encoding_of(enc);
	if (e == ENC_BAD)
		return sl_fcall_error(call,
				      "unknown encoding type '%.*s'; supported formats are "
				      "'hex', 'utf8', 'ascii', and 'base64'",
				      (int)N(enc), S(enc));
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)N(str) + 4);
	switch (e) {
	case ENC_HEX:
		if (!hex_decode(&b, S(str), (size_t)N(str)))
			return sl_fcall_error(call, "invalid hex string '%.*s'", (int)N(str),
					      S(str));
		break;
	case ENC_BASE64:
		if (!sl_fn_base64_decode(&b, S(str), (size_t)N(str), true))
			return sl_fcall_error(call, "invalid base64 string");
		break;
	case ENC_ASCII:
		ascii_encode(&b, S(str), (size_t)N(str));
		break;
	default:
		sl_fn_buf_add(&b, S(str), (size_t)N(str));
		break;
	}
	*out = sl_fn_buf_bytes(&b);
	return SL_OK;
}

/* ---- MASK family ------------------------------------------------------- */

#define NO_MASK 0xFFFFFFFFu

typedef struct masker {
	uint32_t upper, lower, digit, other;
} masker_t;

static int
mask_char(sl_fcall_t *call, const sl_value_t *v, uint32_t dflt, uint32_t *out)
{
	if (v == NULL) {
		*out = dflt;
		return SL_OK;
	}
	if (sl_value_is_null(v)) {
		*out = NO_MASK;
		return SL_OK;
	}
	if (sl_fn_utf8_count(S(v), N(v)) != 1)
		return sl_fcall_error(call,
				      "invalid mask character; must be only single character, "
				      "but was '%.*s'",
				      (int)N(v), S(v));
	int32_t i = 0;
	*out = sl_fn_utf8_next(S(v), N(v), &i);
	return SL_OK;
}

/* Mask characters from argv[first..first+4) when given. */
static int
masker_init(sl_fcall_t *call, int argc, const sl_value_t *argv, int first, masker_t *m)
{
	int rc;
	const sl_value_t *a[4];
	for (int i = 0; i < 4; i++)
		a[i] = first + i < argc ? &argv[first + i] : NULL;
	if ((rc = mask_char(call, a[0], 'X', &m->upper)) != SL_OK ||
	    (rc = mask_char(call, a[1], 'x', &m->lower)) != SL_OK ||
	    (rc = mask_char(call, a[2], 'n', &m->digit)) != SL_OK ||
	    (rc = mask_char(call, a[3], '-', &m->other)) != SL_OK)
		return rc;
	return SL_OK;
}

static uint32_t
mask_one(const masker_t *m, uint32_t c)
{
	uint32_t r;
	if (c < 0x80 ? (c >= 'A' && c <= 'Z') : (sl_fn_lower(c) != c))
		r = m->upper;
	else if (c < 0x80 ? (c >= 'a' && c <= 'z') : (sl_fn_upper(c) != c))
		r = m->lower;
	else if (c >= '0' && c <= '9')
		r = m->digit;
	else
		r = m->other;
	return r == NO_MASK ? c : r;
}

/* Masks the code points in [from, to) of the input. */
static int
mask_range(sl_fcall_t *call, int argc, const sl_value_t *argv, int first, bool keep_mode, bool left,
	   sl_value_t *out)
{
	const sl_value_t *v = &argv[0];
	if (sl_value_is_null(v)) {
		*out = sl_value_null();
		return SL_OK;
	}
	int32_t nchars = -1;
	if (first == 2) {
		if (sl_value_is_null(&argv[1])) {
			*out = sl_value_null();
			return SL_OK;
		}
		nchars = argv[1].u.i;
		if (nchars < 0)
			return sl_fcall_error(call,
					      "function %s requires a non-negative number of "
					      "characters to mask or skip",
					      call->func ? call->func->name : "MASK");
	}
	masker_t m;
	int rc = masker_init(call, argc, argv, first, &m);
	if (rc != SL_OK)
		return rc;
	int32_t n = sl_fn_utf8_count(S(v), N(v));
	int32_t from = 0, to = n;
	if (nchars >= 0) {
		int32_t k = nchars > n ? n : nchars;
		if (keep_mode) {
			/* keep k at one end, mask the rest */
			if (left)
				from = k;
			else
				to = n - k;
		} else {
			if (left)
				to = k;
			else
				from = n - k;
		}
	}
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, (size_t)N(v) + 4);
	int32_t idx = 0;
	for (int32_t i = 0; i < N(v); idx++) {
		uint32_t c = sl_fn_utf8_next(S(v), N(v), &i);
		sl_fn_buf_utf8(&b, idx >= from && idx < to ? mask_one(&m, c) : c);
	}
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

static int
fn_mask(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return mask_range(call, argc, argv, 1, false, true, out);
}

static int
fn_mask_keep_left(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return mask_range(call, argc, argv, 2, true, true, out);
}

static int
fn_mask_keep_right(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return mask_range(call, argc, argv, 2, true, false, out);
}

static int
fn_mask_left(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return mask_range(call, argc, argv, 2, false, true, out);
}

static int
fn_mask_right(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return mask_range(call, argc, argv, 2, false, false, out);
}

/* ---- MD5, UUID --------------------------------------------------------- */

/* RFC 1321. */
typedef struct md5 {
	uint32_t h[4];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
} md5_t;

static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
	0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
	0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
	0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
	0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391,
};

static const unsigned char md5_r[64] = {
	7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 5,  9,  14, 20, 5,  9,
	14, 20, 5,  9,  14, 20, 5,  9,  14, 20, 4,  11, 16, 23, 4,  11, 16, 23, 4,  11, 16, 23,
	4,  11, 16, 23, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21,
};

static void
md5_block(md5_t *m, const unsigned char *p)
{
	uint32_t w[16];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[i * 4] | (uint32_t)p[i * 4 + 1] << 8 |
		       (uint32_t)p[i * 4 + 2] << 16 | (uint32_t)p[i * 4 + 3] << 24;
	uint32_t a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g;
		if (i < 16) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		uint32_t t = d;
		d = c;
		c = b;
		uint32_t x = a + f + md5_k[i] + w[g];
		b = b + ((x << md5_r[i]) | (x >> (32 - md5_r[i])));
		a = t;
	}
	m->h[0] += a;
	m->h[1] += b;
	m->h[2] += c;
	m->h[3] += d;
}

static void
md5_digest(const unsigned char *s, size_t n, unsigned char out[16])
{
	md5_t m = { { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 }, 0, { 0 }, 0 };
	size_t i = 0;
	for (; i + 64 <= n; i += 64)
		md5_block(&m, s + i);
	unsigned char tail[128] = { 0 };
	size_t rest = n - i;
	memcpy(tail, s + i, rest);
	tail[rest] = 0x80;
	size_t tl = rest + 1 + 8 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)n * 8;
	for (int k = 0; k < 8; k++)
		tail[tl - 8 + (size_t)k] = (unsigned char)(bits >> (8 * k));
	md5_block(&m, tail);
	if (tl == 128)
		md5_block(&m, tail + 64);
	for (int k = 0; k < 4; k++)
		for (int j = 0; j < 4; j++)
			out[k * 4 + j] = (unsigned char)(m.h[k] >> (8 * j));
}

static int
fn_md5(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	unsigned char d[16];
	md5_digest((const unsigned char *)S(&argv[0]), (size_t)N(&argv[0]), d);
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, 33);
	hex_encode(&b, (const char *)d, 16, false);
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

static sl_value_t
uuid_text(sl_arena_t *a, const unsigned char u[16])
{
	char *p = sl_arena_alloc(a, 37);
	snprintf(p, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
	return sl_value_string(p, 36);
}

static int
fn_uuid(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc, (void)argv;
	unsigned char u[16];
	if (getrandom(u, sizeof(u), 0) != (ssize_t)sizeof(u)) {
		for (size_t i = 0; i < sizeof(u); i++)
			u[i] = (unsigned char)random();
	}
	u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
	*out = uuid_text(call->arena, u);
	return SL_OK;
}

static int
fn_uuid_bytes(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	if (N(&argv[0]) != 16) {
		*out = sl_value_null();
		return SL_OK;
	}
	*out = uuid_text(call->arena, (const unsigned char *)S(&argv[0]));
	return SL_OK;
}

/* ---- registration ------------------------------------------------------ */

#define NC SL_FV_NULL_CALL

static const sl_func_def_t string_defs[] = {
	{ .name = "CHR",
	  .category = "STRING",
	  .description = "Returns a single-character string corresponding to the input character "
			 "code.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("decimalCode INT", "VARCHAR", fn_chr_int),
					       SL_FN_V("utf16Code VARCHAR", "VARCHAR", fn_chr_str),
					       { 0 } } },
	{ .name = "CONCAT",
	  .category = "STRING",
	  .description = "Concatenate an arbitrary number of string or bytes fields together; "
			 "NULL inputs are skipped.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("inputs VARCHAR...", "VARCHAR", fn_concat, .flags = NC),
			  SL_FN_V("inputs BYTES...", "BYTES", fn_concat_bytes, .flags = NC),
			  { 0 } } },
	{ .name = "CONCAT_WS",
	  .category = "STRING",
	  .description = "Concatenate several strings or bytes, inserting a separator passed as "
			 "the first argument between each one; NULL inputs are skipped.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("separator VARCHAR, inputs VARCHAR...",
						       "VARCHAR", fn_concat_ws, .flags = NC),
					       SL_FN_V("separator BYTES, inputs BYTES...", "BYTES",
						       fn_concat_ws_bytes, .flags = NC),
					       { 0 } } },
	{ .name = "ELT",
	  .category = "STRING",
	  .description =
		  "Returns element n (1-based) of the remaining arguments, or NULL when n is "
		  "out of range.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("n INT, args VARCHAR...", "VARCHAR",
							   fn_elt, .flags = NC),
						   { 0 } } },
	{ .name = "ENCODE",
	  .category = "STRING",
	  .description = "Takes an input string s, which is encoded as input_encoding, and encodes "
			 "it as output_encoding. The accepted input and output encodings are: hex, "
			 "utf8, ascii and base64.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("str VARCHAR, inputEncoding VARCHAR, outputEncoding VARCHAR",
				  "VARCHAR", fn_encode),
			  { 0 } } },
	{ .name = "FIELD",
	  .category = "STRING",
	  .description = "Returns the position (1-indexed) of str in args, or 0 if not found. If "
			 "str is NULL, the return value is 0.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("str VARCHAR, args VARCHAR...", "INT",
							   fn_field, .flags = NC),
						   { 0 } } },
	{ .name = "INITCAP",
	  .category = "STRING",
	  .description = "Capitalizes the first letter of each word in a string and the rest "
			 "lowercased. Words are delimited by whitespace.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("str VARCHAR", "VARCHAR", fn_initcap),
						   { 0 } } },
	{ .name = "INSTR",
	  .category = "STRING",
	  .description = "Returns the position of substring in the provided string, starting at "
			 "position (negative: from the end) and counting occurrence; 0 if not "
			 "found.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("str VARCHAR, substring VARCHAR", "INT", fn_instr, .flags = NC),
			  SL_FN_V("str VARCHAR, substring VARCHAR, position INT", "INT", fn_instr,
				  .flags = NC),
			  SL_FN_V("str VARCHAR, substring VARCHAR, position INT, occurrence INT",
				  "INT", fn_instr, .flags = NC),
			  { 0 } } },
	{ .name = "LCASE",
	  .category = "STRING",
	  .description = "Converts a string to lower case.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_lcase),
						   { 0 } } },
	{ .name = "LEN",
	  .category = "STRING",
	  .description = "Returns the length of a string in characters, or of bytes in bytes.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "INT", fn_len),
						   SL_FN_V("input BYTES", "INT", fn_len_bytes),
						   { 0 } } },
	{ .name = "LPAD",
	  .category = "STRING",
	  .description = "Pads the input string or bytes, starting from the beginning, with the "
			 "specified padding until the target length is reached; longer input is "
			 "truncated. NULL if the padding is empty or the length negative.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR, targetLen INT, padding VARCHAR", "VARCHAR",
				  fn_lpad, .flags = NC),
			  SL_FN_V("input BYTES, targetLen INT, padding BYTES", "BYTES",
				  fn_lpad_bytes, .flags = NC),
			  { 0 } } },
	{ .name = "LTRIM",
	  .category = "STRING",
	  .description = "Removes the leading whitespace of a string.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_ltrim),
						   { 0 } } },
	{ .name = "MASK",
	  .category = "STRING",
	  .description = "Returns a masked version of the input string: upper-case letters become "
			 "X, lower-case x, digits n and others -, unless other mask characters are "
			 "given (a NULL mask character leaves that class unmasked).",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR", "VARCHAR", fn_mask, .flags = NC),
			  SL_FN_V("input VARCHAR, upper VARCHAR, lower VARCHAR, digit VARCHAR, other VARCHAR",
				  "VARCHAR", fn_mask, .flags = NC),
			  { 0 } } },
	{ .name = "MASK_KEEP_LEFT",
	  .category = "STRING",
	  .description = "Masks the input string except for the first numChars characters.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR, numChars INT", "VARCHAR", fn_mask_keep_left,
				  .flags = NC),
			  SL_FN_V("input VARCHAR, numChars INT, upper VARCHAR, lower VARCHAR, digit VARCHAR, "
				  "other VARCHAR",
				  "VARCHAR", fn_mask_keep_left, .flags = NC),
			  { 0 } } },
	{ .name = "MASK_KEEP_RIGHT",
	  .category = "STRING",
	  .description = "Masks the input string except for the last numChars characters.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR, numChars INT", "VARCHAR", fn_mask_keep_right,
				  .flags = NC),
			  SL_FN_V("input VARCHAR, numChars INT, upper VARCHAR, lower VARCHAR, digit VARCHAR, "
				  "other VARCHAR",
				  "VARCHAR", fn_mask_keep_right, .flags = NC),
			  { 0 } } },
	{ .name = "MASK_LEFT",
	  .category = "STRING",
	  .description = "Masks the first numChars characters of the input string.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR, numChars INT", "VARCHAR", fn_mask_left,
				  .flags = NC),
			  SL_FN_V("input VARCHAR, numChars INT, upper VARCHAR, lower VARCHAR, digit VARCHAR, "
				  "other VARCHAR",
				  "VARCHAR", fn_mask_left, .flags = NC),
			  { 0 } } },
	{ .name = "MASK_RIGHT",
	  .category = "STRING",
	  .description = "Masks the last numChars characters of the input string.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR, numChars INT", "VARCHAR", fn_mask_right,
				  .flags = NC),
			  SL_FN_V("input VARCHAR, numChars INT, upper VARCHAR, lower VARCHAR, digit VARCHAR, "
				  "other VARCHAR",
				  "VARCHAR", fn_mask_right, .flags = NC),
			  { 0 } } },
	{ .name = "MD5",
	  .category = "STRING",
	  .description = "Returns the hex-encoded MD5 hash of the input string.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_md5),
						   { 0 } } },
	{ .name = "REPLACE",
	  .category = "STRING",
	  .description = "Replaces all occurrences of a substring in a string with a new "
			 "substring.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("str VARCHAR, substring VARCHAR, replacement VARCHAR", "VARCHAR",
				  fn_replace),
			  { 0 } } },
	{ .name = "RPAD",
	  .category = "STRING",
	  .description = "Pads the input string or bytes, starting from the end, with the "
			 "specified padding until the target length is reached; longer input is "
			 "truncated. NULL if the padding is empty or the length negative.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR, targetLen INT, padding VARCHAR", "VARCHAR",
				  fn_rpad, .flags = NC),
			  SL_FN_V("input BYTES, targetLen INT, padding BYTES", "BYTES",
				  fn_rpad_bytes, .flags = NC),
			  { 0 } } },
	{ .name = "RTRIM",
	  .category = "STRING",
	  .description = "Removes the trailing whitespace of a string.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_rtrim),
						   { 0 } } },
	{ .name = "SPLIT",
	  .category = "STRING",
	  .description = "Splits a string or bytes into an array on a literal delimiter. Empty "
			 "elements are kept; an empty delimiter splits into characters.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("string VARCHAR, delimiter VARCHAR", "ARRAY<VARCHAR>", fn_split),
			  SL_FN_V("bytes BYTES, delimiter BYTES", "ARRAY<BYTES>", fn_split_bytes),
			  { 0 } } },
	{ .name = "SPLIT_TO_MAP",
	  .category = "STRING",
	  .description = "Splits a string into key-value pairs and creates a map from them. The "
			 "entryDelimiter splits the string into key-value pairs which are then "
			 "split by kvDelimiter. The latest value of a repeated key wins.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("input VARCHAR, entryDelimiter VARCHAR, kvDelimiter VARCHAR",
				  "MAP<VARCHAR, VARCHAR>", fn_split_to_map),
			  { 0 } } },
	{ .name = "SUBSTRING",
	  .category = "STRING",
	  .description = "Returns the portion of str (or bytes) from pos (1-based; negative counts "
			 "from the end) with the given length, or to the end.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("str VARCHAR, pos INT", "VARCHAR", fn_substring),
			  SL_FN_V("str VARCHAR, pos INT, length INT", "VARCHAR", fn_substring),
			  SL_FN_V("bytes BYTES, pos INT", "BYTES", fn_substring_bytes),
			  SL_FN_V("bytes BYTES, pos INT, length INT", "BYTES", fn_substring_bytes),
			  { 0 } } },
	{ .name = "TRIM",
	  .category = "STRING",
	  .description = "Removes the leading and trailing whitespace of a string.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_trim),
						   { 0 } } },
	{ .name = "UCASE",
	  .category = "STRING",
	  .description = "Converts a string to upper case.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("input VARCHAR", "VARCHAR", fn_ucase),
						   { 0 } } },
	{ .name = "UUID",
	  .category = "STRING",
	  .description = "Returns a random RFC 4122 version 4 UUID, or formats 16 bytes as a "
			 "UUID.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("", "VARCHAR", fn_uuid,
							   .flags = SL_FV_VOLATILE),
						   SL_FN_V("bytes BYTES", "VARCHAR", fn_uuid_bytes),
						   { 0 } } },
	{ 0 }
};

void
sl_fn_string_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, string_defs);
}
