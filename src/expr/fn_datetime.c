/*
 * fn_datetime.c: date and time functions (ksqlDB's DATE / TIME family).
 *
 * Stage: expr.  CONVERT_TZ DATEADD DATESUB DATETOSTRING FORMAT_DATE
 * FORMAT_TIME FORMAT_TIMESTAMP FROM_DAYS FROM_UNIXTIME PARSE_DATE
 * PARSE_TIME PARSE_TIMESTAMP STRINGTODATE STRINGTOTIMESTAMP TIMEADD
 * TIMESUB TIMESTAMPADD TIMESTAMPSUB TIMESTAMPTOSTRING UNIX_DATE
 * UNIX_TIMESTAMP.  Patterns are java.time.format.DateTimeFormatter's
 * (datefmt.h), parsing is case-insensitive, zones are ZoneId names
 * (tz.h).  The functions that take no zone use GMT, except
 * TIMESTAMPTOSTRING and STRINGTOTIMESTAMP, which use the system default
 * zone as ksqlDB does.  A constant pattern or zone is compiled once per
 * call site (init hook); others go through a small per-thread cache.
 * Unparseable text, an unknown zone or a bad pattern (even a constant one,
 * as in ksqlDB) is a runtime error: the value is NULL.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expr/datefmt.h"
#include "expr/fn_util.h"
#include "expr/func.h"
#include "expr/tz.h"

#define MS_PER_DAY 86400000LL

/* ---- per-call-site state and caches ------------------------------------ */

typedef struct dt_state {
	sl_datefmt_t *fmt;      /* constant pattern, or NULL */
	const sl_tz_t *zone[2]; /* constant zones, or NULL */
} dt_state_t;

static bool
is_const(const sl_fresolve_t *r, int argi)
{
	return argi >= 0 && argi < r->argc && r->constv != NULL && r->constv[argi] != NULL &&
	       !sl_value_is_null(r->constv[argi]);
}

/* Compiles the constant pattern (argument fi) and zones (zi, zj; -1 for
 * none) of a call site, in the compiled expression's arena (no
 * destructor: it all goes with the arena). */
static int
dt_init(sl_fresolve_t *r, int fi, int zi, int zj)
{
	bool any = is_const(r, fi) || is_const(r, zi) || is_const(r, zj);
	if (!any)
		return SL_OK;
	dt_state_t *st = sl_arena_calloc(r->arena, sizeof(*st));
	char err[256];
	if (is_const(r, fi)) {
		const sl_value_t *v = r->constv[fi];
		/* a bad pattern fails per record (as in ksqlDB), not here */
		if (sl_datefmt_compile_in(r->arena, v->u.s.ptr, (size_t)v->u.s.len, &st->fmt, err,
					  sizeof(err)) != SL_OK)
			st->fmt = NULL;
	}
	int zs[2] = { zi, zj };
	for (int k = 0; k < 2; k++) {
		if (!is_const(r, zs[k]))
			continue;
		const sl_value_t *v = r->constv[zs[k]];
		st->zone[k] = sl_tz_lookup(v->u.s.ptr, (size_t)v->u.s.len, err, sizeof(err));
	}
	r->state = st;
	return SL_OK;
}

static int
init_f1(sl_fresolve_t *r)
{
	return dt_init(r, 1, -1, -1);
}

static int
init_f1_z2(sl_fresolve_t *r)
{
	return dt_init(r, 1, 2, -1);
}

static int
init_z12(sl_fresolve_t *r)
{
	return dt_init(r, -1, 1, 2);
}

#define CACHE_SIZE 8

typedef struct fmt_cache {
	struct {
		char *text;
		size_t len;
		sl_datefmt_t *fmt;
	} e[CACHE_SIZE];
	int next;
} fmt_cache_t;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void
cache_free(void *p)
{
	fmt_cache_t *c = p;
	for (int i = 0; i < CACHE_SIZE; i++) {
		free(c->e[i].text);
		sl_datefmt_free(c->e[i].fmt);
	}
	free(c);
}

static void
cache_init(void)
{
	pthread_key_create(&cache_key, cache_free);
}

/* The compiled pattern of a call: the call site's, or a cached one. */
static const sl_datefmt_t *
get_fmt(sl_fcall_t *call, const sl_value_t *pat, int *rc)
{
	*rc = SL_OK;
	const dt_state_t *st = call->state;
	if (st != NULL && st->fmt != NULL)
		return st->fmt;
	pthread_once(&cache_once, cache_init);
	fmt_cache_t *c = pthread_getspecific(cache_key);
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL)
			abort();
		pthread_setspecific(cache_key, c);
	}
	size_t n = (size_t)pat->u.s.len;
	for (int i = 0; i < CACHE_SIZE; i++)
		if (c->e[i].fmt != NULL && c->e[i].len == n &&
		    memcmp(c->e[i].text, pat->u.s.ptr, n) == 0)
			return c->e[i].fmt;
	char err[256];
	sl_datefmt_t *f;
	if (sl_datefmt_compile(pat->u.s.ptr, n, &f, err, sizeof(err)) != SL_OK) {
		*rc = sl_fcall_error(call, "invalid date/time pattern '%.*s': %s", (int)n,
				     pat->u.s.ptr, err);
		return NULL;
	}
	int slot = c->next;
	c->next = (c->next + 1) % CACHE_SIZE;
	free(c->e[slot].text);
	sl_datefmt_free(c->e[slot].fmt);
	c->e[slot].text = malloc(n + 1);
	if (c->e[slot].text == NULL)
		abort();
	memcpy(c->e[slot].text, pat->u.s.ptr, n);
	c->e[slot].len = n;
	c->e[slot].fmt = f;
	return f;
}

/* The zone of argument v (which = 0 or 1 among the call's zone
 * arguments). */
static const sl_tz_t *
get_zone(sl_fcall_t *call, const sl_value_t *v, int which, int *rc)
{
	*rc = SL_OK;
	const dt_state_t *st = call->state;
	if (st != NULL && st->zone[which] != NULL)
		return st->zone[which];
	char err[256];
	const sl_tz_t *z = sl_tz_lookup(v->u.s.ptr, (size_t)v->u.s.len, err, sizeof(err));
	if (z == NULL)
		*rc = sl_fcall_error(call, "invalid time zone: %s", err);
	return z;
}

static const sl_tz_t *
gmt(void)
{
	return sl_tz_lookup("GMT", 3, NULL, 0);
}

/* ---- formatting -------------------------------------------------------- */

static int
format_dt(sl_fcall_t *call, const sl_value_t *pat, const sl_dt_t *v, sl_value_t *out)
{
	int rc;
	const sl_datefmt_t *f = get_fmt(call, pat, &rc);
	if (f == NULL)
		return rc;
	sl_fn_buf_t b;
	sl_fn_buf_init(&b, call->arena, 32);
	char err[256];
	if (sl_datefmt_format(f, v, &b, err, sizeof(err)) != SL_OK)
		return sl_fcall_error(call, "failed to format with '%.*s': %s", (int)pat->u.s.len,
				      pat->u.s.ptr, err);
	*out = sl_fn_buf_string(&b);
	return SL_OK;
}

/* TIMESTAMPTOSTRING(ms, pattern [, zone]) and FORMAT_TIMESTAMP(ts, pattern
 * [, zone]); dflt is the zone without the third argument. */
static int
format_instant(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out,
	       const sl_tz_t *dflt)
{
	const sl_tz_t *z = dflt;
	int rc;
	if (argc > 2 && (z = get_zone(call, &argv[2], 0, &rc)) == NULL)
		return rc;
	sl_dt_t v;
	sl_dt_from_instant(argv[0].u.l, z, &v);
	return format_dt(call, &argv[1], &v, out);
}

static int
fn_timestamptostring(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return format_instant(call, argc, argv, out, sl_tz_system_default());
}

static int
fn_format_timestamp(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return format_instant(call, argc, argv, out, gmt());
}

static int
fn_format_date(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	sl_dt_t v;
	sl_dt_from_date(argv[0].u.i, &v);
	return format_dt(call, &argv[1], &v, out);
}

static int
fn_format_time(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	sl_dt_t v;
	sl_dt_from_time(argv[0].u.l, &v);
	return format_dt(call, &argv[1], &v, out);
}

/* ---- parsing ----------------------------------------------------------- */

static int
parse_text_flags(sl_fcall_t *call, const sl_value_t *text, const sl_value_t *pat, sl_dt_parsed_t *p,
		 unsigned flags)
{
	int rc;
	const sl_datefmt_t *f = get_fmt(call, pat, &rc);
	if (f == NULL)
		return rc;
	char err[256];
	if (sl_datefmt_parse(f, text->u.s.ptr, (size_t)text->u.s.len,
			     SL_DTP_CASE_INSENSITIVE | flags, p, err, sizeof(err)) != SL_OK)
		return sl_fcall_error(call, "failed to parse '%.*s' with formatter '%.*s': %s",
				      (int)text->u.s.len, text->u.s.ptr, (int)pat->u.s.len,
				      pat->u.s.ptr, err);
	return SL_OK;
}

static int
parse_text(sl_fcall_t *call, const sl_value_t *text, const sl_value_t *pat, sl_dt_parsed_t *p)
{
	return parse_text_flags(call, text, pat, p, 0);
}

static int
parse_instant(sl_fcall_t *call, int argc, const sl_value_t *argv, const sl_tz_t *dflt, int64_t *ms)
{
	const sl_tz_t *z = dflt;
	int rc;
	if (argc > 2 && (z = get_zone(call, &argv[2], 0, &rc)) == NULL)
		return rc;
	sl_dt_parsed_t p;
	if ((rc = parse_text(call, &argv[0], &argv[1], &p)) != SL_OK)
		return rc;
	char err[256];
	if (sl_dt_resolve_timestamp(&p, z, ms, err, sizeof(err)) != SL_OK)
		return sl_fcall_error(call, "failed to parse timestamp '%.*s': %s",
				      (int)argv[0].u.s.len, argv[0].u.s.ptr, err);
	return SL_OK;
}

static int
fn_stringtotimestamp(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	int64_t ms;
	int rc = parse_instant(call, argc, argv, sl_tz_system_default(), &ms);
	if (rc != SL_OK)
		return rc;
	*out = sl_value_bigint(ms);
	return SL_OK;
}

static int
fn_parse_timestamp(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	int64_t ms;
	int rc = parse_instant(call, argc, argv, gmt(), &ms);
	if (rc != SL_OK)
		return rc;
	*out = sl_value_timestamp(ms);
	return SL_OK;
}

static int
fn_stringtodate(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	sl_dt_parsed_t p;
	int rc = parse_text(call, &argv[0], &argv[1], &p);
	if (rc != SL_OK)
		return rc;
	int32_t days;
	char err[256];
	if (sl_dt_resolve_date(&p, &days, err, sizeof(err)) != SL_OK)
		return sl_fcall_error(call, "failed to parse date '%.*s': %s", (int)argv[0].u.s.len,
				      argv[0].u.s.ptr, err);
	*out = sl_value_int(days);
	return SL_OK;
}

/* PARSE_DATE: missing fields default to 1970-01-01 and text after the
 * pattern is ignored (ksqlDB parses with SimpleDateFormat semantics); a
 * time of day other than midnight is an error. */
static int
fn_parse_date(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	sl_dt_parsed_t p;
	int rc = parse_text_flags(call, &argv[0], &argv[1], &p, SL_DTP_PREFIX);
	if (rc != SL_OK)
		return rc;
	int64_t ms;
	char err[256];
	if (sl_dt_resolve_timestamp(&p, gmt(), &ms, err, sizeof(err)) != SL_OK)
		return sl_fcall_error(call, "failed to parse date '%.*s': %s", (int)argv[0].u.s.len,
				      argv[0].u.s.ptr, err);
	if (ms % MS_PER_DAY != 0)
		return sl_fcall_error(call, "date format contains time field");
	*out = sl_value_date((int32_t)(ms / MS_PER_DAY));
	return SL_OK;
}

static int
fn_parse_time(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	sl_dt_parsed_t p;
	int rc = parse_text(call, &argv[0], &argv[1], &p);
	if (rc != SL_OK)
		return rc;
	int64_t ms;
	char err[256];
	if (sl_dt_resolve_time(&p, &ms, err, sizeof(err)) != SL_OK)
		return sl_fcall_error(call, "failed to parse time '%.*s': %s", (int)argv[0].u.s.len,
				      argv[0].u.s.ptr, err);
	*out = sl_value_time(ms);
	return SL_OK;
}

static int
fn_datetostring(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	return fn_format_date(call, argc, argv, out);
}

/* ---- conversions ------------------------------------------------------- */

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
fn_unix_timestamp(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	*out = sl_value_bigint(argc == 0 ? now_ms() : argv[0].u.l);
	return SL_OK;
}

static int
fn_unix_date(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call;
	if (argc == 0) {
		/* LocalDate.now(): the date in the system default zone */
		int64_t ms = now_ms();
		int32_t off = sl_tz_offset_at(sl_tz_system_default(), ms / 1000, NULL, NULL);
		*out = sl_value_int((int32_t)sl_dt_floordiv(ms + (int64_t)off * 1000, MS_PER_DAY));
	} else {
		*out = sl_value_int(argv[0].u.i);
	}
	return SL_OK;
}

static int
fn_from_unixtime(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = sl_value_timestamp(argv[0].u.l);
	return SL_OK;
}

static int
fn_from_days(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)call, (void)argc;
	*out = sl_value_date(argv[0].u.i);
	return SL_OK;
}

/* CONVERT_TZ: shifts ts by the difference of the zones' offsets at ts. */
static int
fn_convert_tz(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	int rc;
	const sl_tz_t *from = get_zone(call, &argv[1], 0, &rc);
	if (from == NULL)
		return rc;
	const sl_tz_t *to = get_zone(call, &argv[2], 1, &rc);
	if (to == NULL)
		return rc;
	int64_t ms = argv[0].u.l;
	int64_t sec = sl_dt_floordiv(ms, 1000);
	int64_t delta = (int64_t)sl_tz_offset_at(to, sec, NULL, NULL) -
			sl_tz_offset_at(from, sec, NULL, NULL);
	*out = sl_value_timestamp(ms + delta * 1000);
	return SL_OK;
}

/* ---- arithmetic -------------------------------------------------------- */

/* java.util.concurrent.TimeUnit names, singular or plural, as nanoseconds
 * per unit. */
static bool
unit_nanos(const sl_value_t *u, int64_t *nanos)
{
	static const struct {
		const char *name;
		int64_t nanos;
	} units[] = {
		{ "NANOSECOND", 1 },         { "MICROSECOND", 1000 },
		{ "MILLISECOND", 1000000 },  { "SECOND", 1000000000LL },
		{ "MINUTE", 60000000000LL }, { "HOUR", 3600000000000LL },
		{ "DAY", 86400000000000LL },
	};
	size_t n = (size_t)u->u.s.len;
	const char *s = u->u.s.ptr;
	if (n > 0 && (s[n - 1] == 'S' || s[n - 1] == 's'))
		n--;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].name) == n && strncasecmp(s, units[i].name, n) == 0) {
			*nanos = units[i].nanos;
			return true;
		}
	}
	return false;
}

/* TimeUnit.toMillis(v): truncating for sub-millisecond units, saturating
 * on overflow. */
static int64_t
to_millis(int64_t unit_ns, int64_t v)
{
	if (unit_ns < 1000000)
		return v / (1000000 / unit_ns);
	int64_t k = unit_ns / 1000000;
	if (v > INT64_MAX / k)
		return INT64_MAX;
	if (v < INT64_MIN / k)
		return INT64_MIN;
	return v * k;
}

static int
arith_unit(sl_fcall_t *call, const sl_value_t *u, int64_t *ns)
{
	if (!unit_nanos(u, ns))
		return sl_fcall_error(call, "unknown time unit %.*s", (int)u->u.s.len, u->u.s.ptr);
	return SL_OK;
}

static int
date_shift(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *out, int sign)
{
	int64_t ns;
	int rc = arith_unit(call, &argv[0], &ns);
	if (rc != SL_OK)
		return rc;
	int64_t ms = (int64_t)argv[2].u.i * MS_PER_DAY + sign * to_millis(ns, argv[1].u.i);
	*out = sl_value_date((int32_t)(ms / MS_PER_DAY)); /* TimeUnit.toDays truncates */
	return SL_OK;
}

static int
fn_dateadd(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return date_shift(call, argv, out, 1);
}

static int
fn_datesub(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return date_shift(call, argv, out, -1);
}

static int
time_shift(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *out, int sign)
{
	int64_t ns;
	int rc = arith_unit(call, &argv[0], &ns);
	if (rc != SL_OK)
		return rc;
	/* LocalTime.plus wraps around midnight; work in nanoseconds mod one
	 * day to keep sub-millisecond units exact */
	const __int128 day_ns = (__int128)MS_PER_DAY * 1000000;
	__int128 t = (__int128)argv[2].u.l * 1000000 + sign * (__int128)ns * argv[1].u.i;
	t %= day_ns;
	if (t < 0)
		t += day_ns;
	*out = sl_value_time((int64_t)(t / 1000000));
	return SL_OK;
}

static int
fn_timeadd(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return time_shift(call, argv, out, 1);
}

static int
fn_timesub(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return time_shift(call, argv, out, -1);
}

static int
timestamp_shift(sl_fcall_t *call, const sl_value_t *argv, sl_value_t *out, int sign)
{
	int64_t ns;
	int rc = arith_unit(call, &argv[0], &ns);
	if (rc != SL_OK)
		return rc;
	*out = sl_value_timestamp(argv[2].u.l + sign * to_millis(ns, argv[1].u.i));
	return SL_OK;
}

static int
fn_timestampadd(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return timestamp_shift(call, argv, out, 1);
}

static int
fn_timestampsub(sl_fcall_t *call, int argc, const sl_value_t *argv, sl_value_t *out)
{
	(void)argc;
	return timestamp_shift(call, argv, out, -1);
}

/* ---- registration ------------------------------------------------------ */

#define CAT "DATE / TIME"

static const sl_func_def_t datetime_defs[] = {
	{ .name = "CONVERT_TZ",
	  .category = CAT,
	  .description = "Converts a TIMESTAMP value from one time zone to another.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("ts TIMESTAMP, fromTimeZone VARCHAR, toTimeZone VARCHAR",
				  "TIMESTAMP", fn_convert_tz, .init = init_z12),
			  { 0 } } },
	{ .name = "DATEADD",
	  .category = CAT,
	  .description = "Adds a duration (unit, interval) to a DATE value.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("unit INTERVALUNIT, interval INT, date DATE", "DATE", fn_dateadd),
			  { 0 } } },
	{ .name = "DATESUB",
	  .category = CAT,
	  .description = "Subtracts a duration (unit, interval) from a DATE value.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("unit INTERVALUNIT, interval INT, date DATE", "DATE", fn_datesub),
			  { 0 } } },
	{ .name = "DATETOSTRING",
	  .category = CAT,
	  .description = "Converts an INT number of days since 1970-01-01 to a date string in the "
			 "given DateTimeFormatter pattern.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("epochDays INT, formatPattern VARCHAR",
						       "VARCHAR", fn_datetostring, .init = init_f1),
					       { 0 } } },
	{ .name = "FORMAT_DATE",
	  .category = CAT,
	  .description = "Converts a DATE value to a string in the given DateTimeFormatter "
			 "pattern.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("date DATE, formatPattern VARCHAR",
						       "VARCHAR", fn_format_date, .init = init_f1),
					       { 0 } } },
	{ .name = "FORMAT_TIME",
	  .category = CAT,
	  .description = "Converts a TIME value to a string in the given DateTimeFormatter "
			 "pattern.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("time TIME, formatPattern VARCHAR",
						       "VARCHAR", fn_format_time, .init = init_f1),
					       { 0 } } },
	{ .name = "FORMAT_TIMESTAMP",
	  .category = CAT,
	  .description = "Converts a TIMESTAMP value to a string in the given DateTimeFormatter "
			 "pattern, in the given time zone (default GMT).",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("ts TIMESTAMP, formatPattern VARCHAR", "VARCHAR",
				  fn_format_timestamp, .init = init_f1),
			  SL_FN_V("ts TIMESTAMP, formatPattern VARCHAR, timeZone VARCHAR",
				  "VARCHAR", fn_format_timestamp, .init = init_f1_z2),
			  { 0 } } },
	{ .name = "FROM_DAYS",
	  .category = CAT,
	  .description = "Converts an INT number of days since 1970-01-01 to a DATE value.",
	  .variants =
		  (const sl_func_variant_t[]){ SL_FN_V("days INT", "DATE", fn_from_days), { 0 } } },
	{ .name = "FROM_UNIXTIME",
	  .category = CAT,
	  .description = "Converts a BIGINT number of milliseconds since the epoch to a TIMESTAMP "
			 "value.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("epochMilli BIGINT", "TIMESTAMP", fn_from_unixtime), { 0 } } },
	{ .name = "PARSE_DATE",
	  .category = CAT,
	  .description = "Converts a string in the given pattern to a DATE value; fields missing "
			 "from the pattern default to 1970-01-01.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("formattedDate VARCHAR, formatPattern VARCHAR", "DATE",
				  fn_parse_date, .init = init_f1),
			  { 0 } } },
	{ .name = "PARSE_TIME",
	  .category = CAT,
	  .description = "Converts a string in the given pattern to a TIME value.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("formattedTime VARCHAR, formatPattern VARCHAR", "TIME",
				  fn_parse_time, .init = init_f1),
			  { 0 } } },
	{ .name = "PARSE_TIMESTAMP",
	  .category = CAT,
	  .description = "Converts a string in the given pattern to a TIMESTAMP value, in the "
			 "given time zone (default GMT) unless the string has one.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("formattedTimestamp VARCHAR, formatPattern VARCHAR", "TIMESTAMP",
				  fn_parse_timestamp, .init = init_f1),
			  SL_FN_V("formattedTimestamp VARCHAR, formatPattern VARCHAR, timeZone VARCHAR",
				  "TIMESTAMP", fn_parse_timestamp, .init = init_f1_z2),
			  { 0 } } },
	{ .name = "STRINGTODATE",
	  .category = CAT,
	  .description = "Converts a string in the given pattern to an INT number of days since "
			 "1970-01-01.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("formattedDate VARCHAR, formatPattern VARCHAR", "INT",
				  fn_stringtodate, .init = init_f1),
			  { 0 } } },
	{ .name = "STRINGTOTIMESTAMP",
	  .category = CAT,
	  .description = "Converts a string in the given pattern to a BIGINT number of "
			 "milliseconds since the epoch, in the given time zone (default: the "
			 "system's) unless the string has one.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("formattedTimestamp VARCHAR, formatPattern VARCHAR", "BIGINT",
				  fn_stringtotimestamp, .init = init_f1),
			  SL_FN_V("formattedTimestamp VARCHAR, formatPattern VARCHAR, timeZone VARCHAR",
				  "BIGINT", fn_stringtotimestamp, .init = init_f1_z2),
			  { 0 } } },
	{ .name = "TIMEADD",
	  .category = CAT,
	  .description = "Adds a duration (unit, interval) to a TIME value, wrapping around "
			 "midnight.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("unit INTERVALUNIT, interval INT, time TIME", "TIME", fn_timeadd),
			  { 0 } } },
	{ .name = "TIMESUB",
	  .category = CAT,
	  .description = "Subtracts a duration (unit, interval) from a TIME value, wrapping around "
			 "midnight.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("unit INTERVALUNIT, interval INT, time TIME", "TIME", fn_timesub),
			  { 0 } } },
	{ .name = "TIMESTAMPADD",
	  .category = CAT,
	  .description = "Adds a duration (unit, interval) to a TIMESTAMP value.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("unit INTERVALUNIT, interval INT, ts TIMESTAMP", "TIMESTAMP",
				  fn_timestampadd),
			  { 0 } } },
	{ .name = "TIMESTAMPSUB",
	  .category = CAT,
	  .description = "Subtracts a duration (unit, interval) from a TIMESTAMP value.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("unit INTERVALUNIT, interval INT, ts TIMESTAMP", "TIMESTAMP",
				  fn_timestampsub),
			  { 0 } } },
	{ .name = "TIMESTAMPTOSTRING",
	  .category = CAT,
	  .description = "Converts a BIGINT number of milliseconds since the epoch to a string in "
			 "the given DateTimeFormatter pattern, in the given time zone (default: "
			 "the system's).",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("epochMilli BIGINT, formatPattern VARCHAR", "VARCHAR",
				  fn_timestamptostring, .init = init_f1),
			  SL_FN_V("epochMilli BIGINT, formatPattern VARCHAR, timeZone VARCHAR",
				  "VARCHAR", fn_timestamptostring, .init = init_f1_z2),
			  { 0 } } },
	{ .name = "UNIX_DATE",
	  .category = CAT,
	  .description = "Returns the current date, or the given DATE, as an INT number of days "
			 "since 1970-01-01.",
	  .variants = (const sl_func_variant_t[]){ SL_FN_V("", "INT", fn_unix_date,
							   .flags = SL_FV_VOLATILE),
						   SL_FN_V("date DATE", "INT", fn_unix_date),
						   { 0 } } },
	{ .name = "UNIX_TIMESTAMP",
	  .category = CAT,
	  .description = "Returns the current time, or the given TIMESTAMP, as a BIGINT number of "
			 "milliseconds since the epoch.",
	  .variants =
		  (const sl_func_variant_t[]){
			  SL_FN_V("", "BIGINT", fn_unix_timestamp, .flags = SL_FV_VOLATILE),
			  SL_FN_V("ts TIMESTAMP", "BIGINT", fn_unix_timestamp),
			  { 0 } } },
	{ 0 }
};

void
sl_fn_datetime_register(sl_func_registry_t *reg)
{
	sl_func_register_defs(reg, datetime_defs);
}
