/*
 * datefmt.h: java.time.format.DateTimeFormatter patterns ("yyyy-MM-dd
 * HH:mm:ss.SSS zzz") for formatting and parsing dates and times, and the
 * calendar arithmetic behind them.
 *
 * Stage: expr.  Used by the date/time functions (fn_datetime.c); also meant
 * for the timestamp extractor (WITH (TIMESTAMP_FORMAT=...)), which follows
 * the same rules as STRINGTOTIMESTAMP.  A compiled pattern is immutable
 * and may be shared between threads.  English (en-US) names and week
 * rules, as ksqlDB's default locale.
 *
 * Supported letters: G u y Y D M L d Q q w W E e c F a h K k H m s S A n N
 * V z O X x Z, 'quoted text' ('' for a quote), [optional sections], and
 * any other non-letter character as a literal.  Week-based fields (Y w W
 * e c F) format but do not parse.
 */
#ifndef SL_EXPR_DATEFMT_H
#define SL_EXPR_DATEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr/fn_util.h"
#include "expr/tz.h"

/* ---- calendar ---------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t sl_dt_days_from_civil(int64_t year, int month, int day);
void sl_dt_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
int sl_dt_month_length(int64_t year, int month);
/* ISO day of week of an epoch day: 1 = Monday .. 7 = Sunday. */
int sl_dt_day_of_week(int64_t days);

/* Floor division and modulo for splitting milliseconds. */
static inline int64_t
sl_dt_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static inline int64_t
sl_dt_floormod(int64_t a, int64_t b)
{
	return a - sl_dt_floordiv(a, b) * b;
}

/* ---- values ------------------------------------------------------------ */

/* A date and/or time to format; what is absent cannot be printed. */
typedef struct sl_dt {
	bool has_date, has_time, has_zone;
	int64_t year; /* proleptic: 0 is 1 BC */
	int month, day;
	int hour, minute, second;
	int32_t nano;
	int32_t offset;      /* seconds east of UTC (has_zone) */
	const sl_tz_t *zone; /* has_zone */
	const char *abbrev;  /* the zone's abbreviation at that instant */
} sl_dt_t;

/* The local date-time of instant ms (milliseconds since the epoch) in z. */
void sl_dt_from_instant(int64_t ms, const sl_tz_t *z, sl_dt_t *out);
void sl_dt_from_date(int32_t days, sl_dt_t *out);
void sl_dt_from_time(int64_t ms_of_day, sl_dt_t *out);

/* ---- patterns ---------------------------------------------------------- */

typedef struct sl_datefmt sl_datefmt_t;

/* Compiles pattern (n bytes) into a heap object (free it with
 * sl_datefmt_free).  Returns SL_OK, or SL_EINVAL with a message in err
 * (as DateTimeFormatter.ofPattern would reject it). */
int sl_datefmt_compile(const char *pattern, size_t n, sl_datefmt_t **out, char *err,
		       size_t errsize);
void sl_datefmt_free(sl_datefmt_t *f);
/* As sl_datefmt_compile(), allocated in a (sl_datefmt_free() then does
 * nothing: the pattern goes with the arena). */
int sl_datefmt_compile_in(sl_arena_t *a, const char *pattern, size_t n, sl_datefmt_t **out,
			  char *err, size_t errsize);

/* Appends v formatted by f.  Returns SL_OK, or SL_EINVAL with a message
 * in err when f needs a field v lacks ("Unsupported field: HourOfDay") or
 * a value does not fit its width. */
int sl_datefmt_format(const sl_datefmt_t *f, const sl_dt_t *v, sl_fn_buf_t *out, char *err,
		      size_t errsize);

/* Fields found by parsing (before resolution). */
enum {
	SL_DTF_YEAR = 1 << 0, /* proleptic year (u) */
	SL_DTF_YOE = 1 << 1,  /* year of era (y) */
	SL_DTF_ERA = 1 << 2,
	SL_DTF_MONTH = 1 << 3,
	SL_DTF_DAY = 1 << 4,
	SL_DTF_DOY = 1 << 5,
	SL_DTF_DOW = 1 << 6,
	SL_DTF_HOUR = 1 << 7,   /* hour of day 0..23 (H, or k with 24 -> 0) */
	SL_DTF_HOUR12 = 1 << 8, /* hour of am/pm 0..11 (K, or h with 12 -> 0) */
	SL_DTF_AMPM = 1 << 9,
	SL_DTF_MINUTE = 1 << 10,
	SL_DTF_SECOND = 1 << 11,
	SL_DTF_NANO = 1 << 12,
	SL_DTF_MILLI_OF_DAY = 1 << 13,
	SL_DTF_NANO_OF_DAY = 1 << 14,
	SL_DTF_OFFSET = 1 << 15,
	SL_DTF_ZONE = 1 << 16,
	SL_DTF_QUARTER = 1 << 17,
	SL_DTF_DATE_MASK = SL_DTF_YEAR | SL_DTF_YOE | SL_DTF_ERA | SL_DTF_MONTH | SL_DTF_DAY |
			   SL_DTF_DOY | SL_DTF_DOW | SL_DTF_QUARTER,
};

typedef struct sl_dt_parsed {
	unsigned have; /* SL_DTF_* */
	int64_t year, yoe;
	int era, month, day, doy, dow, quarter;
	int hour, hour12, ampm, minute, second;
	int32_t nano;
	int64_t milli_of_day, nano_of_day;
	int32_t offset;
	const sl_tz_t *zone;
} sl_dt_parsed_t;

/* Flags of sl_datefmt_parse(). */
enum {
	/* names and literals are case-insensitive
	 * (DateTimeFormatterBuilder.parseCaseInsensitive) */
	SL_DTP_CASE_INSENSITIVE = 1 << 0,
	/* text after what the pattern matches is ignored (SimpleDateFormat's
	 * parse(String)) instead of being an error */
	SL_DTP_PREFIX = 1 << 1,
};

/* Parses s (n bytes) with f, all of it unless SL_DTP_PREFIX.  Returns
 * SL_OK or SL_EINVAL with a message in err. */
int sl_datefmt_parse(const sl_datefmt_t *f, const char *s, size_t n, unsigned flags,
		     sl_dt_parsed_t *out, char *err, size_t errsize);

/* ---- resolution (ksqlDB's rules) --------------------------------------- */

/* StringToTimestampParser: fields override 1970-01-01T00:00 in the parsed
 * zone or offset, else in zone; the instant in milliseconds. */
int sl_dt_resolve_timestamp(const sl_dt_parsed_t *p, const sl_tz_t *zone, int64_t *ms, char *err,
			    size_t errsize);
/* LocalDate.from: a complete date (year with month and day, or year with
 * day of year); epoch days. */
int sl_dt_resolve_date(const sl_dt_parsed_t *p, int32_t *days, char *err, size_t errsize);
/* LocalTime.from, rejecting any date field: milliseconds of the day. */
int sl_dt_resolve_time(const sl_dt_parsed_t *p, int64_t *ms, char *err, size_t errsize);

#endif
