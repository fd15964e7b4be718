/*
 * datefmt.c: DateTimeFormatter patterns and calendar arithmetic (see
 * datefmt.h).
 *
 * Stage: expr.  A pattern compiles to a list of printer-parsers as
 * DateTimeFormatterBuilder.appendPattern builds them, including
 * "adjacent value parsing" (a variable-width number followed by
 * fixed-width ones, as in yyyyMMdd, leaves them their digits).  Parsing
 * collects fields; the sl_dt_resolve_* functions turn them into values the
 * way ksqlDB's functions do (SMART resolver).
 */
#include "expr/datefmt.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- calendar ---------------------------------------------------------- */

int64_t
sl_dt_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
sl_dt_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = y + (m <= 2);
	*month = m;
	*day = d;
}

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
sl_dt_month_length(int64_t year, int month)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return len[month - 1] + (month == 2 && leap(year));
}

int
sl_dt_day_of_week(int64_t days)
{
	return (int)sl_dt_floormod(days + 3, 7) + 1;
}

static int
day_of_year(int64_t y, int m, int d)
{
	return (int)(sl_dt_days_from_civil(y, m, d) - sl_dt_days_from_civil(y, 1, 1)) + 1;
}

void
sl_dt_from_instant(int64_t ms, const sl_tz_t *z, sl_dt_t *out)
{
	memset(out, 0, sizeof(*out));
	int64_t sec = sl_dt_floordiv(ms, 1000);
	const char *abbrev = NULL;
	int32_t off = sl_tz_offset_at(z, sec, &abbrev, NULL);
	int64_t local = sec + off;
	int64_t days = sl_dt_floordiv(local, 86400);
	int64_t sod = local - days * 86400;
	sl_dt_civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(sod / 3600);
	out->minute = (int)(sod / 60 % 60);
	out->second = (int)(sod % 60);
	out->nano = (int32_t)(sl_dt_floormod(ms, 1000) * 1000000);
	out->has_date = out->has_time = out->has_zone = true;
	out->offset = off;
	out->zone = z;
	out->abbrev = abbrev;
}

void
sl_dt_from_date(int32_t days, sl_dt_t *out)
{
	memset(out, 0, sizeof(*out));
	sl_dt_civil_from_days(days, &out->year, &out->month, &out->day);
	out->has_date = true;
}

void
sl_dt_from_time(int64_t ms, sl_dt_t *out)
{
	memset(out, 0, sizeof(*out));
	ms = sl_dt_floormod(ms, 86400000);
	out->hour = (int)(ms / 3600000);
	out->minute = (int)(ms / 60000 % 60);
	out->second = (int)(ms / 1000 % 60);
	out->nano = (int32_t)(ms % 1000 * 1000000);
	out->has_time = true;
}

/* ---- compiled patterns ------------------------------------------------- */

typedef enum ikind {
	I_LIT,
	I_NUM,      /* numeric field */
	I_REDUCED,  /* yy, uu: two digits, base 2000 */
	I_FRAC,     /* S..S */
	I_TEXT,     /* G M L E Q q a as names */
	I_OFFSET,   /* X x Z */
	I_LOFFSET,  /* O, ZZZZ: localized GMT+h:mm */
	I_ZONEID,   /* VV */
	I_ZONENAME, /* z */
	I_OPT_BEGIN,
	I_OPT_END,
} ikind_t;

enum { SIGN_NORMAL, SIGN_NOT_NEGATIVE, SIGN_EXCEEDS_PAD };
enum { TS_SHORT, TS_FULL, TS_NARROW };

typedef struct item {
	ikind_t kind;
	char letter;
	int count;
	int minw, maxw, sign;
	int subsequent;   /* digits reserved for adjacent fixed-width fields */
	int style;        /* I_TEXT */
	int match;        /* I_OPT_BEGIN: index of its I_OPT_END */
	char *text;       /* I_LIT; I_OFFSET: pattern ("+HH:MM") */
	const char *zero; /* I_OFFSET: text for a zero offset */
	size_t len;
} item_t;

struct sl_datefmt {
	int n;
	item_t *items;
	sl_arena_t *arena; /* where it lives, or NULL for the heap */
};

static int
errf(char *err, size_t size, const char *fmt, ...)
{
	if (err != NULL && size > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, size, fmt, ap);
		va_end(ap);
	}
	return SL_EINVAL;
}

void
sl_datefmt_free(sl_datefmt_t *f)
{
	if (f == NULL || f->arena != NULL)
		return;
	for (int i = 0; i < f->n; i++)
		free(f->items[i].text);
	free(f->items);
	free(f);
}

typedef struct builder {
	sl_datefmt_t *f;
	sl_arena_t *a; /* NULL: the heap */
	int cap;
	int value_base; /* index of the item adjacent numbers attach to, or -1 */
	int opt_stack[16];
	int opt_depth;
} builder_t;

static item_t *
push(builder_t *b, ikind_t kind)
{
	if (b->f->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		if (b->a != NULL) {
			item_t *items = sl_arena_alloc(b->a, sizeof(item_t) * (size_t)b->cap);
			if (b->f->n > 0)
				memcpy(items, b->f->items, sizeof(item_t) * (size_t)b->f->n);
			b->f->items = items;
		} else {
			b->f->items = realloc(b->f->items, sizeof(item_t) * (size_t)b->cap);
			if (b->f->items == NULL)
				abort();
		}
	}
	item_t *it = &b->f->items[b->f->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	if (kind != I_NUM && kind != I_REDUCED && kind != I_FRAC)
		b->value_base = -1;
	return it;
}

static char *
copy_text(builder_t *b, const char *s, size_t n)
{
	if (b->a != NULL)
		return sl_arena_strndup(b->a, s, n);
	char *t = malloc(n + 1);
	if (t == NULL)
		abort();
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

static void
push_lit(builder_t *b, const char *s, size_t n)
{
	item_t *it = push(b, I_LIT);
	it->text = copy_text(b, s, n);
	it->len = n;
}

/* appendValue with adjacent value parsing. */
static void
push_num(builder_t *b, char letter, int count, int minw, int maxw, int sign)
{
	int base = b->value_base;
	item_t *it = push(b, I_NUM);
	it->letter = letter;
	it->count = count;
	it->minw = minw;
	it->maxw = maxw;
	it->sign = sign;
	int idx = b->f->n - 1;
	if (base >= 0 && minw == maxw && sign == SIGN_NOT_NEGATIVE) {
		b->f->items[base].subsequent += maxw;
		b->value_base = base;
	} else {
		b->value_base = idx;
	}
}

static void
push_fixed_value(builder_t *b, ikind_t kind, char letter, int count, int width)
{
	int base = b->value_base;
	item_t *it = push(b, kind);
	it->letter = letter;
	it->count = count;
	it->minw = it->maxw = width;
	it->sign = SIGN_NOT_NEGATIVE;
	if (base >= 0) {
		b->f->items[base].subsequent += width;
		b->value_base = base;
	} else {
		b->value_base = b->f->n - 1;
	}
}

static void
push_text(builder_t *b, char letter, int count, int style)
{
	item_t *it = push(b, I_TEXT);
	it->letter = letter;
	it->count = count;
	it->style = style;
}

static void
push_offset(builder_t *b, const char *pattern, const char *zero)
{
	item_t *it = push(b, I_OFFSET);
	it->text = copy_text(b, pattern, strlen(pattern));
	it->zero = zero;
}

static int
too_many(char *err, size_t size, char c)
{
	return errf(err, size, "Too many pattern letters: %c", c);
}

static int
add_field(builder_t *b, char c, int count, char *err, size_t esz)
{
	switch (c) {
	case 'u':
	case 'y':
		if (count == 2)
			push_fixed_value(b, I_REDUCED, c, count, 2);
		else if (count < 4)
			push_num(b, c, count, count, 19, SIGN_NORMAL);
		else
			push_num(b, c, count, count, 19, SIGN_EXCEEDS_PAD);
		return SL_OK;
	case 'Y':
		if (count == 2)
			push_fixed_value(b, I_REDUCED, c, count, 2);
		else
			push_num(b, c, count, count, 19,
				 count < 4 ? SIGN_NORMAL : SIGN_EXCEEDS_PAD);
		return SL_OK;
	case 'G':
		if (count > 5)
			return too_many(err, esz, c);
		push_text(b, c, count, count == 4 ? TS_FULL : count == 5 ? TS_NARROW : TS_SHORT);
		return SL_OK;
	case 'M':
	case 'L':
	case 'Q':
	case 'q':
		if (count == 1)
			push_num(b, c, count, 1, 19, SIGN_NORMAL);
		else if (count == 2)
			push_num(b, c, count, 2, 2, SIGN_NOT_NEGATIVE);
		else if (count <= 5)
			push_text(b, c, count,
				  count == 3 ? TS_SHORT :
				  count == 4 ? TS_FULL :
					       TS_NARROW);
		else
			return too_many(err, esz, c);
		return SL_OK;
	case 'E':
		if (count > 5)
			return too_many(err, esz, c);
		push_text(b, c, count, count == 4 ? TS_FULL : count == 5 ? TS_NARROW : TS_SHORT);
		return SL_OK;
	case 'e':
	case 'c':
		if (count == 1 || (c == 'e' && count == 2)) {
			push_num(b, c, count, count, count, SIGN_NOT_NEGATIVE);
		} else if (count <= 5) {
			push_text(b, 'E', count,
				  count == 3 ? TS_SHORT :
				  count == 4 ? TS_FULL :
					       TS_NARROW);
		} else {
			return too_many(err, esz, c);
		}
		return SL_OK;
	case 'a':
		if (count > 1)
			return too_many(err, esz, c);
		push_text(b, c, count, TS_SHORT);
		return SL_OK;
	case 'd':
	case 'h':
	case 'H':
	case 'k':
	case 'K':
	case 'm':
	case 's':
	case 'w':
		if (count == 1)
			push_num(b, c, count, 1, 19, SIGN_NORMAL);
		else if (count == 2)
			push_num(b, c, count, 2, 2, SIGN_NOT_NEGATIVE);
		else
			return too_many(err, esz, c);
		return SL_OK;
	case 'W':
	case 'F':
		if (count > 1)
			return too_many(err, esz, c);
		push_num(b, c, count, 1, 19, SIGN_NORMAL);
		return SL_OK;
	case 'D':
		if (count == 1)
			push_num(b, c, count, 1, 19, SIGN_NORMAL);
		else if (count == 2)
			push_num(b, c, count, 2, 3, SIGN_NOT_NEGATIVE);
		else if (count == 3)
			push_num(b, c, count, 3, 3, SIGN_NOT_NEGATIVE);
		else
			return too_many(err, esz, c);
		return SL_OK;
	case 'S':
		push_fixed_value(b, I_FRAC, c, count, count);
		return SL_OK;
	case 'A':
	case 'n':
	case 'N':
		push_num(b, c, count, count, 19, SIGN_NOT_NEGATIVE);
		return SL_OK;
	case 'V':
		if (count != 2)
			return errf(err, esz, "Pattern letter count must be 2: V");
		push(b, I_ZONEID)->letter = c;
		return SL_OK;
	case 'z':
		if (count > 4)
			return too_many(err, esz, c);
		push(b, I_ZONENAME)->count = count;
		return SL_OK;
	case 'O':
		if (count != 1 && count != 4)
			return errf(err, esz, "Pattern letter count must be 1 or 4: O");
		push(b, I_LOFFSET)->count = count;
		return SL_OK;
	case 'X':
	case 'x': {
		static const char *pats[] = { "+HHmm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss" };
		static const char *zeros_x[] = { "+00", "+0000", "+00:00", "+0000", "+00:00" };
		if (count > 5)
			return too_many(err, esz, c);
		push_offset(b, pats[count - 1], c == 'X' ? "Z" : zeros_x[count - 1]);
		return SL_OK;
	}
	case 'Z':
		if (count <= 3)
			push_offset(b, "+HHMM", "+0000");
		else if (count == 4)
			push(b, I_LOFFSET)->count = 4;
		else if (count == 5)
			push_offset(b, "+HH:MM:ss", "Z");
		else
			return too_many(err, esz, c);
		return SL_OK;
	default:
		return errf(err, esz, "Unknown pattern letter: %c", c);
	}
}

static int
compile(sl_arena_t *a, const char *p, size_t n, sl_datefmt_t **out, char *err, size_t esz)
{
	builder_t b = { .value_base = -1, .a = a };
	b.f = a != NULL ? sl_arena_calloc(a, sizeof(*b.f)) : calloc(1, sizeof(*b.f));
	if (b.f == NULL)
		abort();
	b.f->arena = a;
	int rc = SL_OK;
	for (size_t i = 0; i < n && rc == SL_OK;) {
		char c = p[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
			size_t j = i;
			while (j < n && p[j] == c)
				j++;
			if (c == 'p') {
				rc = errf(err, esz, "pad modifier 'p' is not supported");
				break;
			}
			rc = add_field(&b, c, (int)(j - i), err, esz);
			i = j;
		} else if (c == '\'') {
			size_t j = i + 1;
			char buf[256];
			size_t bn = 0;
			for (;;) {
				if (j >= n) {
					rc = errf(
						err, esz,
						"Pattern ends with an incomplete string literal: %.*s",
						(int)n, p);
					break;
				}
				if (p[j] == '\'') {
					if (j + 1 < n && p[j + 1] == '\'') {
						if (bn < sizeof(buf))
							buf[bn++] = '\'';
						j += 2;
						continue;
					}
					break;
				}
				if (bn < sizeof(buf))
					buf[bn++] = p[j];
				j++;
			}
			if (rc != SL_OK)
				break;
			if (j == i + 1)
				push_lit(&b, "'", 1); /* '' is a quote */
			else
				push_lit(&b, buf, bn);
			i = j + 1;
		} else if (c == '[') {
			if (b.opt_depth >= 16) {
				rc = errf(err, esz, "optional sections nested too deeply");
				break;
			}
			push(&b, I_OPT_BEGIN);
			b.opt_stack[b.opt_depth++] = b.f->n - 1;
			i++;
		} else if (c == ']') {
			if (b.opt_depth == 0) {
				rc = errf(err, esz,
					  "Pattern invalid as it contains ] without previous [");
				break;
			}
			push(&b, I_OPT_END);
			b.f->items[b.opt_stack[--b.opt_depth]].match = b.f->n - 1;
			i++;
		} else if (c == '{' || c == '}' || c == '#') {
			rc = errf(err, esz, "Pattern includes reserved character: '%c'", c);
		} else {
			/* a run of other characters, UTF-8 included */
			size_t j = i;
			while (j < n &&
			       !((p[j] >= 'A' && p[j] <= 'Z') || (p[j] >= 'a' && p[j] <= 'z')) &&
			       p[j] != '\'' && p[j] != '[' && p[j] != ']' && p[j] != '{' &&
			       p[j] != '}' && p[j] != '#')
				j++;
			push_lit(&b, p + i, j - i);
			i = j;
		}
	}
	while (rc == SL_OK && b.opt_depth > 0) {
		/* an unclosed [ ends at the end of the pattern */
		push(&b, I_OPT_END);
		b.f->items[b.opt_stack[--b.opt_depth]].match = b.f->n - 1;
	}
	if (rc != SL_OK) {
		sl_datefmt_free(b.f);
		return rc;
	}
	*out = b.f;
	return SL_OK;
}

int
sl_datefmt_compile(const char *p, size_t n, sl_datefmt_t **out, char *err, size_t esz)
{
	return compile(NULL, p, n, out, err, esz);
}

int
sl_datefmt_compile_in(sl_arena_t *a, const char *p, size_t n, sl_datefmt_t **out, char *err,
		      size_t esz)
{
	return compile(a, p, n, out, err, esz);
}

/* ---- names ------------------------------------------------------------- */

static const char *month_full[] = { "January",   "February", "March",    "April",
				    "May",       "June",     "July",     "August",
				    "September", "October",  "November", "December" };
static const char *month_short[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *month_narrow[] = { "J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D" };
/* ISO order: Monday first */
static const char *dow_full[] = { "Monday", "Tuesday",  "Wednesday", "Thursday",
				  "Friday", "Saturday", "Sunday" };
static const char *dow_short[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *dow_narrow[] = { "M", "T", "W", "T", "F", "S", "S" };
static const char *ampm_text[] = { "AM", "PM" };
static const char *era_full[] = { "Before Christ", "Anno Domini" };
static const char *era_short[] = { "BC", "AD" };
static const char *era_narrow[] = { "B", "A" };
static const char *quarter_full[] = { "1st quarter", "2nd quarter", "3rd quarter", "4th quarter" };
static const char *quarter_short[] = { "Q1", "Q2", "Q3", "Q4" };
static const char *quarter_narrow[] = { "1", "2", "3", "4" };

/* The name table of a text item: *count entries, first value *base. */
static const char **
names_of(const item_t *it, int *count, int *base)
{
	*base = 1;
	switch (it->letter) {
	case 'M':
	case 'L':
		*count = 12;
		return it->style == TS_FULL   ? month_full :
		       it->style == TS_NARROW ? month_narrow :
						month_short;
	case 'E':
		*count = 7;
		return it->style == TS_FULL   ? dow_full :
		       it->style == TS_NARROW ? dow_narrow :
						dow_short;
	case 'Q':
	case 'q':
		*count = 4;
		return it->style == TS_FULL   ? quarter_full :
		       it->style == TS_NARROW ? quarter_narrow :
						quarter_short;
	case 'G':
		*count = 2;
		*base = 0;
		return it->style == TS_FULL   ? era_full :
		       it->style == TS_NARROW ? era_narrow :
						era_short;
	default: /* a */
		*count = 2;
		*base = 0;
		return ampm_text;
	}
}

/* ---- formatting -------------------------------------------------------- */

static const char *
field_name(char c)
{
	switch (c) {
	case 'G':
		return "Era";
	case 'u':
		return "Year";
	case 'y':
		return "YearOfEra";
	case 'Y':
		return "WeekBasedYear";
	case 'D':
		return "DayOfYear";
	case 'M':
	case 'L':
		return "MonthOfYear";
	case 'd':
		return "DayOfMonth";
	case 'Q':
	case 'q':
		return "QuarterOfYear";
	case 'w':
		return "WeekOfWeekBasedYear";
	case 'W':
		return "WeekOfMonth";
	case 'E':
	case 'e':
	case 'c':
		return "DayOfWeek";
	case 'F':
		return "AlignedDayOfWeekInMonth";
	case 'a':
		return "AmPmOfDay";
	case 'h':
		return "ClockHourOfAmPm";
	case 'K':
		return "HourOfAmPm";
	case 'k':
		return "ClockHourOfDay";
	case 'H':
		return "HourOfDay";
	case 'm':
		return "MinuteOfHour";
	case 's':
		return "SecondOfMinute";
	case 'S':
	case 'n':
		return "NanoOfSecond";
	case 'A':
		return "MilliOfDay";
	case 'N':
		return "NanoOfDay";
	default:
		return "?";
	}
}

static bool
is_date_letter(char c)
{
	return strchr("GuyYDMLdQqwWEecF", c) != NULL;
}

/* WeekFields.SUNDAY_START (en-US): week starts on Sunday, a first week
 * needs one day. */
static int
start_of_week_offset(int day, int dow)
{
	int week_start = (int)sl_dt_floormod(day - dow, 7);
	int offset = -week_start;
	if (week_start + 1 > 1)
		offset = 7 - week_start;
	return offset;
}

static int
compute_week(int offset, int day)
{
	return (7 + offset + (day - 1)) / 7;
}

static int
local_dow(int64_t days)
{
	return sl_dt_day_of_week(days) % 7 + 1; /* Sunday = 1 */
}

/* Week-of-week-based-year and week-based-year for the US rules. */
static void
week_based(int64_t y, int m, int d, int *week, int64_t *wby)
{
	int64_t days = sl_dt_days_from_civil(y, m, d);
	int dow = local_dow(days);
	int doy = day_of_year(y, m, d);
	int offset = start_of_week_offset(doy, dow);
	int w = compute_week(offset, doy);
	if (w == 0) {
		int64_t py;
		int pm, pd;
		sl_dt_civil_from_days(days - doy, &py, &pm, &pd);
		week_based(py, pm, pd, week, wby);
		return;
	}
	*wby = y;
	if (w > 50) {
		int range = leap(y) ? 366 : 365;
		int newyear = compute_week(offset, range + 1);
		if (w >= newyear) {
			w = w - newyear + 1;
			*wby = y + 1;
		}
	}
	*week = w;
}

static int
get_value(const sl_dt_t *v, char c, int64_t *out, char *err, size_t esz)
{
	if (is_date_letter(c) && !v->has_date)
		return errf(err, esz, "Unsupported field: %s", field_name(c));
	if (!is_date_letter(c) && !v->has_time)
		return errf(err, esz, "Unsupported field: %s", field_name(c));
	int64_t days = v->has_date ? sl_dt_days_from_civil(v->year, v->month, v->day) : 0;
	switch (c) {
	case 'G':
		*out = v->year > 0;
		break;
	case 'u':
		*out = v->year;
		break;
	case 'y':
		*out = v->year > 0 ? v->year : 1 - v->year;
		break;
	case 'D':
		*out = day_of_year(v->year, v->month, v->day);
		break;
	case 'M':
	case 'L':
		*out = v->month;
		break;
	case 'd':
		*out = v->day;
		break;
	case 'Q':
	case 'q':
		*out = (v->month - 1) / 3 + 1;
		break;
	case 'E':
		*out = sl_dt_day_of_week(days);
		break;
	case 'e':
	case 'c':
		*out = local_dow(days);
		break;
	case 'F':
		*out = (v->day - 1) % 7 + 1;
		break;
	case 'W': {
		int dow = local_dow(days);
		*out = compute_week(start_of_week_offset(v->day, dow), v->day);
		break;
	}
	case 'w':
	case 'Y': {
		int week;
		int64_t wby;
		week_based(v->year, v->month, v->day, &week, &wby);
		*out = c == 'w' ? week : wby;
		break;
	}
	case 'a':
		*out = v->hour >= 12;
		break;
	case 'h':
		*out = v->hour % 12 == 0 ? 12 : v->hour % 12;
		break;
	case 'K':
		*out = v->hour % 12;
		break;
	case 'k':
		*out = v->hour == 0 ? 24 : v->hour;
		break;
	case 'H':
		*out = v->hour;
		break;
	case 'm':
		*out = v->minute;
		break;
	case 's':
		*out = v->second;
		break;
	case 'S':
	case 'n':
		*out = v->nano;
		break;
	case 'A':
		*out = ((int64_t)v->hour * 3600 + v->minute * 60 + v->second) * 1000 +
		       v->nano / 1000000;
		break;
	case 'N':
		*out = ((int64_t)v->hour * 3600 + v->minute * 60 + v->second) * 1000000000LL +
		       v->nano;
		break;
	default:
		return errf(err, esz, "Unsupported field: %c", c);
	}
	return SL_OK;
}

static void
put_digits(sl_fn_buf_t *out, int64_t v, int width)
{
	char buf[32];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)u);
	for (int i = n; i < width; i++)
		sl_fn_buf_putc(out, '0');
	sl_fn_buf_add(out, buf, (size_t)n);
}

static int
format_num(const item_t *it, int64_t v, sl_fn_buf_t *out, char *err, size_t esz)
{
	char digits[32];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	int nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)u);
	if (nd > it->maxw)
		return errf(err, esz,
			    "Field %s cannot be printed as the value %lld exceeds the "
			    "maximum print width of %d",
			    field_name(it->letter), (long long)v, it->maxw);
	if (v < 0) {
		if (it->sign == SIGN_NOT_NEGATIVE)
			return errf(err, esz,
				    "Field %s cannot be printed as the value %lld cannot be "
				    "negative according to the SignStyle",
				    field_name(it->letter), (long long)v);
		sl_fn_buf_putc(out, '-');
	} else if (it->sign == SIGN_EXCEEDS_PAD && nd > it->minw) {
		sl_fn_buf_putc(out, '+');
	}
	put_digits(out, (int64_t)u, it->minw);
	return SL_OK;
}

static void
format_offset_pattern(const item_t *it, int32_t off, sl_fn_buf_t *out)
{
	if (off == 0) {
		sl_fn_buf_puts(out, it->zero);
		return;
	}
	const char *p = it->text;
	bool colon = strchr(p, ':') != NULL;
	/* which parts: MM/mm (required/optional minutes), SS/ss */
	bool min_req = strstr(p, "MM") != NULL, min_opt = strstr(p, "mm") != NULL;
	bool sec_req = strstr(p, "SS") != NULL, sec_opt = strstr(p, "ss") != NULL;
	int32_t a = off < 0 ? -off : off;
	int h = a / 3600, m = a / 60 % 60, s = a % 60;
	sl_fn_buf_putc(out, off < 0 ? '-' : '+');
	put_digits(out, h, 2);
	if (min_req || (min_opt && (m != 0 || s != 0)) || ((sec_req || sec_opt) && s != 0)) {
		if (min_req || min_opt || m != 0 || s != 0) {
			if (colon)
				sl_fn_buf_putc(out, ':');
			put_digits(out, m, 2);
		}
	}
	if (sec_req || ((sec_opt) && s != 0)) {
		if (colon)
			sl_fn_buf_putc(out, ':');
		put_digits(out, s, 2);
	}
}

static void
format_localized_offset(int count, int32_t off, sl_fn_buf_t *out)
{
	sl_fn_buf_puts(out, "GMT");
	if (off == 0)
		return;
	int32_t a = off < 0 ? -off : off;
	int h = a / 3600, m = a / 60 % 60, s = a % 60;
	sl_fn_buf_putc(out, off < 0 ? '-' : '+');
	if (count == 4) {
		put_digits(out, h, 2);
		sl_fn_buf_putc(out, ':');
		put_digits(out, m, 2);
		if (s) {
			sl_fn_buf_putc(out, ':');
			put_digits(out, s, 2);
		}
	} else {
		put_digits(out, h, 1);
		if (m || s) {
			sl_fn_buf_putc(out, ':');
			put_digits(out, m, 2);
		}
		if (s) {
			sl_fn_buf_putc(out, ':');
			put_digits(out, s, 2);
		}
	}
}

static int
format_range(const sl_datefmt_t *f, int from, int to, const sl_dt_t *v, sl_fn_buf_t *out, char *err,
	     size_t esz)
{
	for (int i = from; i < to; i++) {
		const item_t *it = &f->items[i];
		int64_t val;
		int rc;
		switch (it->kind) {
		case I_LIT:
			sl_fn_buf_add(out, it->text, it->len);
			break;
		case I_NUM:
			if ((rc = get_value(v, it->letter, &val, err, esz)) != SL_OK ||
			    (rc = format_num(it, val, out, err, esz)) != SL_OK)
				return rc;
			break;
		case I_REDUCED:
			if ((rc = get_value(v, it->letter, &val, err, esz)) != SL_OK)
				return rc;
			put_digits(out, sl_dt_floormod(val, 100), 2);
			break;
		case I_FRAC: {
			if ((rc = get_value(v, 'S', &val, err, esz)) != SL_OK)
				return rc;
			char d[16];
			snprintf(d, sizeof(d), "%09lld", (long long)val);
			for (int k = 0; k < it->count; k++)
				sl_fn_buf_putc(out, k < 9 ? d[k] : '0');
			break;
		}
		case I_TEXT: {
			if ((rc = get_value(v, it->letter, &val, err, esz)) != SL_OK)
				return rc;
			int count, base;
			const char **names = names_of(it, &count, &base);
			sl_fn_buf_puts(out, names[val - base]);
			break;
		}
		case I_OFFSET:
		case I_LOFFSET:
			if (!v->has_zone)
				return errf(err, esz, "Unsupported field: OffsetSeconds");
			if (it->kind == I_OFFSET)
				format_offset_pattern(it, v->offset, out);
			else
				format_localized_offset(it->count, v->offset, out);
			break;
		case I_ZONEID:
			if (!v->has_zone)
				return errf(err, esz, "Unable to extract ZoneId from temporal");
			sl_fn_buf_puts(out, sl_tz_id(v->zone));
			break;
		case I_ZONENAME:
			if (!v->has_zone)
				return errf(err, esz, "Unable to extract ZoneId from temporal");
			if (v->abbrev != NULL && v->abbrev[0] != '\0' && v->abbrev[0] != '+' &&
			    v->abbrev[0] != '-')
				sl_fn_buf_puts(out, v->abbrev);
			else if (sl_tz_is_fixed(v->zone))
				sl_fn_buf_puts(out, sl_tz_id(v->zone));
			else
				format_localized_offset(4, v->offset, out);
			break;
		case I_OPT_BEGIN: {
			size_t mark = out->len;
			char sub[8];
			if (format_range(f, i + 1, it->match, v, out, sub, sizeof(sub)) != SL_OK)
				out->len =
					mark; /* an optional section lacking a field is skipped */
			i = it->match;
			break;
		}
		case I_OPT_END:
			break;
		}
	}
	return SL_OK;
}

int
sl_datefmt_format(const sl_datefmt_t *f, const sl_dt_t *v, sl_fn_buf_t *out, char *err, size_t esz)
{
	return format_range(f, 0, f->n, v, out, err, esz);
}

/* ---- parsing ----------------------------------------------------------- */

typedef struct pctx {
	const char *s;
	size_t n;
	bool ci;
	sl_dt_parsed_t *p;
	char *err;
	size_t esz;
} pctx_t;

static bool
ch_eq(char a, char b, bool ci)
{
	return ci ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

static bool
text_at(const pctx_t *c, size_t pos, const char *t, size_t len)
{
	if (pos + len > c->n)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!ch_eq(c->s[pos + i], t[i], c->ci))
			return false;
	return true;
}

/* Records a field; a second, different value is a conflict. */
static int
set_field(pctx_t *c, unsigned flag, int64_t *slot64, int *slot, int64_t v)
{
	if (c->p->have & flag) {
		int64_t old = slot64 ? *slot64 : *slot;
		if (old != v)
			return -1;
	}
	c->p->have |= flag;
	if (slot64)
		*slot64 = v;
	else
		*slot = (int)v;
	return 0;
}

static int
store(pctx_t *c, char letter, int64_t v)
{
	sl_dt_parsed_t *p = c->p;
	switch (letter) {
	case 'u':
		return set_field(c, SL_DTF_YEAR, &p->year, NULL, v);
	case 'y':
		return set_field(c, SL_DTF_YOE, &p->yoe, NULL, v);
	case 'G':
		return set_field(c, SL_DTF_ERA, NULL, &p->era, v);
	case 'M':
	case 'L':
		return set_field(c, SL_DTF_MONTH, NULL, &p->month, v);
	case 'd':
		return set_field(c, SL_DTF_DAY, NULL, &p->day, v);
	case 'D':
		return set_field(c, SL_DTF_DOY, NULL, &p->doy, v);
	case 'E':
		return set_field(c, SL_DTF_DOW, NULL, &p->dow, v);
	case 'Q':
	case 'q':
		return set_field(c, SL_DTF_QUARTER, NULL, &p->quarter, v);
	case 'H':
		return set_field(c, SL_DTF_HOUR, NULL, &p->hour, v);
	case 'k':
		return set_field(c, SL_DTF_HOUR, NULL, &p->hour, v == 24 ? 0 : v);
	case 'K':
		return set_field(c, SL_DTF_HOUR12, NULL, &p->hour12, v);
	case 'h':
		return set_field(c, SL_DTF_HOUR12, NULL, &p->hour12, v == 12 ? 0 : v);
	case 'a':
		return set_field(c, SL_DTF_AMPM, NULL, &p->ampm, v);
	case 'm':
		return set_field(c, SL_DTF_MINUTE, NULL, &p->minute, v);
	case 's':
		return set_field(c, SL_DTF_SECOND, NULL, &p->second, v);
	case 'S':
	case 'n': {
		int nano = p->nano;
		int r = set_field(c, SL_DTF_NANO, NULL, &nano, v);
		p->nano = nano;
		return r;
	}
	case 'A':
		return set_field(c, SL_DTF_MILLI_OF_DAY, &p->milli_of_day, NULL, v);
	case 'N':
		return set_field(c, SL_DTF_NANO_OF_DAY, &p->nano_of_day, NULL, v);
	default:
		return -2;
	}
}

static bool
valid_range(char letter, int64_t v)
{
	switch (letter) {
	case 'M':
	case 'L':
		return v >= 1 && v <= 12;
	case 'd':
		return v >= 1 && v <= 31;
	case 'D':
		return v >= 1 && v <= 366;
	case 'Q':
	case 'q':
		return v >= 1 && v <= 4;
	case 'H':
		return v >= 0 && v <= 23;
	case 'k':
		return v >= 1 && v <= 24;
	case 'K':
		return v >= 0 && v <= 11;
	case 'h':
		return v >= 1 && v <= 12;
	case 'm':
	case 's':
		return v >= 0 && v <= 59;
	case 'n':
		return v >= 0 && v <= 999999999;
	case 'y':
		return v >= 1 && v <= 999999999;
	case 'u':
		return v >= -999999999 && v <= 999999999;
	case 'A':
		return v >= 0 && v < 86400000;
	case 'N':
		return v >= 0 && v < 86400000000000LL;
	default:
		return true;
	}
}

/* NumberPrinterParser.parse (strict). Returns the new position or -1. */
static long
parse_num(pctx_t *c, const item_t *it, size_t pos, int64_t *val)
{
	bool neg = false, pos_sign = false;
	if (pos < c->n && (c->s[pos] == '-' || c->s[pos] == '+')) {
		if (it->sign == SIGN_NOT_NEGATIVE)
			return -1;
		if (c->s[pos] == '+' && it->sign == SIGN_NORMAL)
			return -1;
		neg = c->s[pos] == '-';
		pos_sign = !neg;
		pos++;
	}
	size_t avail = 0;
	while (pos + avail < c->n && isdigit((unsigned char)c->s[pos + avail]))
		avail++;
	size_t maxw = (size_t)it->maxw;
	size_t take = avail < maxw + (size_t)it->subsequent ? avail : maxw + (size_t)it->subsequent;
	if (it->subsequent > 0) {
		/* leave the adjacent fixed-width fields their digits */
		take = take > (size_t)it->subsequent ? take - (size_t)it->subsequent : 0;
		if (take < (size_t)it->minw)
			take = (size_t)it->minw;
	}
	if (take > maxw)
		take = maxw;
	if (take < (size_t)it->minw || take > avail || take == 0)
		return -1;
	if (it->sign == SIGN_EXCEEDS_PAD) {
		if (pos_sign && take <= (size_t)it->minw)
			return -1;
		if (!pos_sign && !neg && take > (size_t)it->minw)
			return -1;
	}
	int64_t v = 0;
	for (size_t i = 0; i < take; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (c->s[pos + i] - '0');
	}
	*val = neg ? -v : v;
	return (long)(pos + take);
}

static long
parse_text(pctx_t *c, const item_t *it, size_t pos, int64_t *val)
{
	int count, base;
	const char **names = names_of(it, &count, &base);
	size_t best = 0;
	int bi = -1;
	for (int i = 0; i < count; i++) {
		size_t len = strlen(names[i]);
		if (len > best && text_at(c, pos, names[i], len)) {
			best = len;
			bi = i;
		}
	}
	if (bi < 0)
		return -1;
	*val = bi + base;
	return (long)(pos + best);
}

static long
parse_2digits(pctx_t *c, size_t pos, int *v)
{
	if (pos + 2 > c->n || !isdigit((unsigned char)c->s[pos]) ||
	    !isdigit((unsigned char)c->s[pos + 1]))
		return -1;
	*v = (c->s[pos] - '0') * 10 + (c->s[pos + 1] - '0');
	return (long)(pos + 2);
}

static long
parse_offset(pctx_t *c, const item_t *it, size_t pos, int32_t *off)
{
	size_t zl = strlen(it->zero);
	if (text_at(c, pos, it->zero, zl)) {
		*off = 0;
		return (long)(pos + zl);
	}
	if (pos >= c->n || (c->s[pos] != '+' && c->s[pos] != '-'))
		return -1;
	int sign = c->s[pos] == '-' ? -1 : 1;
	const char *p = it->text;
	bool colon = strchr(p, ':') != NULL;
	bool min_req = strstr(p, "MM") != NULL, min_opt = strstr(p, "mm") != NULL;
	bool sec_req = strstr(p, "SS") != NULL, sec_opt = strstr(p, "ss") != NULL;
	int h, m = 0, s = 0;
	long q = parse_2digits(c, pos + 1, &h);
	if (q < 0)
		return -1;
	if (min_req || min_opt) {
		size_t at = (size_t)q + (colon ? 1 : 0);
		bool has = (!colon || ((size_t)q < c->n && c->s[q] == ':')) &&
			   parse_2digits(c, at, &m) >= 0;
		if (has) {
			q = (long)(at + 2);
		} else if (min_req) {
			return -1;
		}
		if (has && (sec_req || sec_opt)) {
			size_t at2 = (size_t)q + (colon ? 1 : 0);
			bool hs = (!colon || ((size_t)q < c->n && c->s[q] == ':')) &&
				  parse_2digits(c, at2, &s) >= 0;
			if (hs)
				q = (long)(at2 + 2);
			else if (sec_req)
				return -1;
		}
	}
	if (h > 18 || m > 59 || s > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60 + s);
	return q;
}

/* "GMT", "GMT+8", "GMT+08:00". */
static long
parse_localized_offset(pctx_t *c, size_t pos, int32_t *off)
{
	if (!text_at(c, pos, "GMT", 3))
		return -1;
	pos += 3;
	*off = 0;
	if (pos >= c->n || (c->s[pos] != '+' && c->s[pos] != '-'))
		return (long)pos;
	int sign = c->s[pos] == '-' ? -1 : 1;
	pos++;
	int h = 0, m = 0, s = 0, nd = 0;
	while (pos < c->n && isdigit((unsigned char)c->s[pos]) && nd < 2) {
		h = h * 10 + (c->s[pos++] - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (pos < c->n && c->s[pos] == ':') {
		long q = parse_2digits(c, pos + 1, &m);
		if (q < 0)
			return -1;
		pos = (size_t)q;
		if (pos < c->n && c->s[pos] == ':') {
			q = parse_2digits(c, pos + 1, &s);
			if (q < 0)
				return -1;
			pos = (size_t)q;
		}
	}
	*off = sign * (h * 3600 + m * 60 + s);
	return (long)pos;
}

static bool
zone_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '~' || ch == '/' || ch == '.' || ch == '_' ||
	       ch == '+' || ch == '-' || ch == ':';
}

static long
parse_zone_id(pctx_t *c, size_t pos, const sl_tz_t **z)
{
	size_t end = pos;
	while (end < c->n && zone_char(c->s[end]))
		end++;
	for (size_t e = end; e > pos; e--) {
		const sl_tz_t *t = sl_tz_lookup(c->s + pos, e - pos, NULL, 0);
		if (t != NULL) {
			*z = t;
			return (long)e;
		}
	}
	return -1;
}

/* Common abbreviations (z) and the zones they stand for. */
static const struct {
	const char *abbr, *zone;
} zone_abbrevs[] = {
	{ "PST", "America/Los_Angeles" },
	{ "PDT", "America/Los_Angeles" },
	{ "MST", "America/Denver" },
	{ "MDT", "America/Denver" },
	{ "CST", "America/Chicago" },
	{ "CDT", "America/Chicago" },
	{ "EST", "America/New_York" },
	{ "EDT", "America/New_York" },
	{ "AKST", "America/Anchorage" },
	{ "AKDT", "America/Anchorage" },
	{ "HST", "Pacific/Honolulu" },
	{ "BST", "Europe/London" },
	{ "CEST", "Europe/Paris" },
	{ "CET", "Europe/Paris" },
	{ "EEST", "Europe/Athens" },
	{ "EET", "Europe/Athens" },
	{ "WEST", "Europe/Lisbon" },
	{ "WET", "Europe/Lisbon" },
	{ "IST", "Asia/Kolkata" },
	{ "JST", "Asia/Tokyo" },
	{ "KST", "Asia/Seoul" },
	{ "AEST", "Australia/Sydney" },
	{ "AEDT", "Australia/Sydney" },
	{ "NZST", "Pacific/Auckland" },
	{ "NZDT", "Pacific/Auckland" },
	{ "UTC", "UTC" },
	{ "GMT", "GMT" },
	{ "UT", "UT" },
	{ "Z", "Z" },
};

static long
parse_zone_name(pctx_t *c, size_t pos, const sl_tz_t **z)
{
	size_t best = 0;
	const char *zone = NULL;
	for (size_t i = 0; i < sizeof(zone_abbrevs) / sizeof(zone_abbrevs[0]); i++) {
		size_t len = strlen(zone_abbrevs[i].abbr);
		if (len > best && text_at(c, pos, zone_abbrevs[i].abbr, len)) {
			best = len;
			zone = zone_abbrevs[i].zone;
		}
	}
	long q = parse_zone_id(c, pos, z);
	if (q >= 0 && (size_t)q - pos > best)
		return q;
	if (zone == NULL)
		return -1;
	*z = sl_tz_lookup(zone, strlen(zone), NULL, 0);
	return *z ? (long)(pos + best) : -1;
}

static long
parse_range(pctx_t *c, const sl_datefmt_t *f, int from, int to, size_t pos)
{
	for (int i = from; i < to; i++) {
		const item_t *it = &f->items[i];
		int64_t v = 0;
		long q = -1;
		switch (it->kind) {
		case I_LIT:
			if (!text_at(c, pos, it->text, it->len))
				return -1;
			pos += it->len;
			continue;
		case I_NUM:
			if (strchr("YweWcF", it->letter) != NULL) {
				errf(c->err, c->esz, "parsing week-based fields is not supported");
				return -2;
			}
			q = parse_num(c, it, pos, &v);
			if (q < 0 || !valid_range(it->letter, v))
				return -1;
			break;
		case I_REDUCED:
			if (it->letter == 'Y') {
				errf(c->err, c->esz, "parsing week-based fields is not supported");
				return -2;
			}
			q = parse_num(c, it, pos, &v);
			if (q < 0)
				return -1;
			v += 2000;
			break;
		case I_FRAC:
			q = parse_num(c, it, pos, &v);
			if (q < 0)
				return -1;
			for (int k = it->count; k < 9; k++)
				v *= 10;
			for (int k = 9; k < it->count; k++)
				v /= 10;
			if (store(c, 'S', v) != 0)
				return -3;
			pos = (size_t)q;
			continue;
		case I_TEXT:
			q = parse_text(c, it, pos, &v);
			if (q < 0)
				return -1;
			break;
		case I_OFFSET:
		case I_LOFFSET: {
			int32_t off;
			q = it->kind == I_OFFSET ? parse_offset(c, it, pos, &off) :
						   parse_localized_offset(c, pos, &off);
			if (q < 0)
				return -1;
			if ((c->p->have & SL_DTF_OFFSET) && c->p->offset != off)
				return -3;
			c->p->have |= SL_DTF_OFFSET;
			c->p->offset = off;
			pos = (size_t)q;
			continue;
		}
		case I_ZONEID:
		case I_ZONENAME: {
			const sl_tz_t *z = NULL;
			q = it->kind == I_ZONEID ? parse_zone_id(c, pos, &z) :
						   parse_zone_name(c, pos, &z);
			if (q < 0)
				return -1;
			c->p->have |= SL_DTF_ZONE;
			c->p->zone = z;
			pos = (size_t)q;
			continue;
		}
		case I_OPT_BEGIN: {
			sl_dt_parsed_t save = *c->p;
			q = parse_range(c, f, i + 1, it->match, pos);
			if (q == -2)
				return -2;
			if (q < 0)
				*c->p = save;
			else
				pos = (size_t)q;
			i = it->match;
			continue;
		}
		case I_OPT_END:
			continue;
		}
		int r = store(c, it->letter == 'L' ? 'M' : it->letter == 'q' ? 'Q' : it->letter, v);
		if (r == -1)
			return -3;
		pos = (size_t)q;
	}
	return (long)pos;
}

int
sl_datefmt_parse(const sl_datefmt_t *f, const char *s, size_t n, unsigned flags,
		 sl_dt_parsed_t *out, char *err, size_t esz)
{
	memset(out, 0, sizeof(*out));
	pctx_t c = { s, n, (flags & SL_DTP_CASE_INSENSITIVE) != 0, out, err, esz };
	long q = parse_range(&c, f, 0, f->n, 0);
	if (q == -2)
		return SL_EINVAL;
	if (q == -3)
		return errf(err, esz, "Text '%.*s' could not be parsed: conflict found", (int)n, s);
	if (q < 0)
		return errf(err, esz, "Text '%.*s' could not be parsed", (int)n, s);
	if ((size_t)q != n && !(flags & SL_DTP_PREFIX))
		return errf(err, esz,
			    "Text '%.*s' could not be parsed, unparsed text found at index %ld",
			    (int)n, s, q);
	return SL_OK;
}

/* ---- resolution -------------------------------------------------------- */

/* The year the fields give (u, or y with G), and whether there is one. */
static bool
parsed_year(const sl_dt_parsed_t *p, int64_t *y)
{
	if (p->have & SL_DTF_YEAR) {
		*y = p->year;
		return true;
	}
	if (p->have & SL_DTF_YOE) {
		bool bc = (p->have & SL_DTF_ERA) && p->era == 0;
		*y = bc ? 1 - p->yoe : p->yoe;
		return true;
	}
	return false;
}

/* A complete date (SMART: day of month clamped to the month). Returns 1
 * when resolved, 0 when the fields do not make a date, -1 on an invalid
 * one. */
static int
full_date(const sl_dt_parsed_t *p, int64_t *days, char *err, size_t esz)
{
	int64_t y;
	if (!parsed_year(p, &y))
		return 0;
	if ((p->have & SL_DTF_MONTH) && (p->have & SL_DTF_DAY)) {
		int d = p->day;
		int len = sl_dt_month_length(y, p->month);
		if (d > len)
			d = len;
		*days = sl_dt_days_from_civil(y, p->month, d);
	} else if (p->have & SL_DTF_DOY) {
		if (p->doy == 366 && !leap(y)) {
			errf(err, esz, "Invalid date 'DayOfYear 366' as '%lld' is not a leap year",
			     (long long)y);
			return -1;
		}
		*days = sl_dt_days_from_civil(y, 1, 1) + p->doy - 1;
	} else {
		return 0;
	}
	if ((p->have & SL_DTF_DOW) && sl_dt_day_of_week(*days) != p->dow) {
		errf(err, esz, "Conflict found: DayOfWeek does not match the date");
		return -1;
	}
	return 1;
}

/* A complete time of day in nanoseconds: 1 resolved, 0 not, -1 invalid. */
static int
full_time(const sl_dt_parsed_t *p, int64_t *nanos)
{
	if (p->have & SL_DTF_NANO_OF_DAY) {
		*nanos = p->nano_of_day;
		return 1;
	}
	if (p->have & SL_DTF_MILLI_OF_DAY) {
		*nanos = p->milli_of_day * 1000000 +
			 ((p->have & SL_DTF_NANO) ? p->nano % 1000000 : 0);
		return 1;
	}
	int hour;
	if (p->have & SL_DTF_HOUR) {
		hour = p->hour;
		if ((p->have & SL_DTF_AMPM) && (hour >= 12) != (p->ampm == 1))
			return -1;
	} else if ((p->have & SL_DTF_HOUR12) && (p->have & SL_DTF_AMPM)) {
		hour = p->hour12 + 12 * p->ampm;
	} else {
		return 0;
	}
	if (!(p->have & SL_DTF_MINUTE) && (p->have & (SL_DTF_SECOND | SL_DTF_NANO)))
		return 0;
	if ((p->have & SL_DTF_MINUTE) && !(p->have & SL_DTF_SECOND) && (p->have & SL_DTF_NANO))
		return 0;
	int64_t m = (p->have & SL_DTF_MINUTE) ? p->minute : 0;
	int64_t s = (p->have & SL_DTF_SECOND) ? p->second : 0;
	int64_t ns = (p->have & SL_DTF_NANO) ? p->nano : 0;
	*nanos = ((hour * 60 + m) * 60 + s) * 1000000000LL + ns;
	return 1;
}

int
sl_dt_resolve_timestamp(const sl_dt_parsed_t *p, const sl_tz_t *zone, int64_t *ms, char *err,
			size_t esz)
{
	const sl_tz_t *z = zone;
	if (p->have & SL_DTF_ZONE)
		z = p->zone;
	else if (p->have & SL_DTF_OFFSET) {
		char id[16];
		int32_t a = p->offset < 0 ? -p->offset : p->offset;
		snprintf(id, sizeof(id), "%c%02d:%02d:%02d", p->offset < 0 ? '-' : '+', a / 3600,
			 a / 60 % 60, a % 60);
		z = sl_tz_lookup(id, strlen(id), NULL, 0);
		if (z == NULL)
			return errf(err, esz, "invalid offset");
	}
	/* date: resolved whole, or fields applied to 1970-01-01 in ChronoField
	 * order (day of week, day of month, day of year, month, year) */
	int64_t days;
	int r = full_date(p, &days, err, esz);
	if (r < 0)
		return SL_EINVAL;
	if (r == 0) {
		int64_t y = 1970;
		int m = 1, d = 1;
		days = 0;
		if (p->have & SL_DTF_DOW) {
			days += p->dow - sl_dt_day_of_week(days);
			sl_dt_civil_from_days(days, &y, &m, &d);
		}
		if (p->have & SL_DTF_DAY) {
			if (p->day > sl_dt_month_length(y, m))
				return errf(err, esz, "Invalid date: day %d of month %d", p->day,
					    m);
			d = p->day;
		}
		if (p->have & SL_DTF_DOY) {
			int64_t yy = y;
			if (p->doy == 366) {
				if (!parsed_year(p, &yy))
					return errf(err, esz,
						    "Leap day cannot be parsed without supplying "
						    "the year field");
				if (!leap(yy))
					return errf(err, esz, "Invalid date 'DayOfYear 366'");
			}
			sl_dt_civil_from_days(sl_dt_days_from_civil(yy, 1, 1) + p->doy - 1, &y, &m,
					      &d);
		}
		if (p->have & SL_DTF_MONTH) {
			m = p->month;
			if (d > sl_dt_month_length(y, m))
				d = sl_dt_month_length(y, m);
		}
		int64_t py;
		if (parsed_year(p, &py)) {
			y = py;
			if (d > sl_dt_month_length(y, m))
				d = sl_dt_month_length(y, m);
		}
		days = sl_dt_days_from_civil(y, m, d);
	}
	int64_t nanos;
	r = full_time(p, &nanos);
	if (r < 0)
		return errf(err, esz, "Conflict found: HourOfDay does not match AmPmOfDay");
	if (r == 0) {
		int64_t h = 0;
		if (p->have & SL_DTF_HOUR12)
			h = p->hour12;
		if (p->have & SL_DTF_AMPM)
			h = h % 12 + 12 * p->ampm;
		nanos = ((h * 60 + ((p->have & SL_DTF_MINUTE) ? p->minute : 0)) * 60 +
			 ((p->have & SL_DTF_SECOND) ? p->second : 0)) *
				1000000000LL +
			((p->have & SL_DTF_NANO) ? p->nano : 0);
	}
	int64_t local = days * 86400 + nanos / 1000000000LL;
	int64_t sec = sl_tz_local_to_utc(z, local, NULL);
	*ms = sec * 1000 + (nanos % 1000000000LL) / 1000000;
	return SL_OK;
}

int
sl_dt_resolve_date(const sl_dt_parsed_t *p, int32_t *days, char *err, size_t esz)
{
	int64_t d;
	int r = full_date(p, &d, err, esz);
	if (r < 0)
		return SL_EINVAL;
	if (r == 0)
		return errf(err, esz, "Unable to obtain LocalDate from TemporalAccessor");
	if (d < INT32_MIN || d > INT32_MAX)
		return errf(err, esz, "date out of range");
	*days = (int32_t)d;
	return SL_OK;
}

int
sl_dt_resolve_time(const sl_dt_parsed_t *p, int64_t *ms, char *err, size_t esz)
{
	if (p->have & SL_DTF_DATE_MASK)
		return errf(err, esz, "Time format contains date field.");
	int64_t nanos;
	int r = full_time(p, &nanos);
	if (r < 0)
		return errf(err, esz, "Conflict found: HourOfDay does not match AmPmOfDay");
	if (r == 0)
		return errf(err, esz, "Unable to obtain LocalTime from TemporalAccessor");
	*ms = nanos / 1000000;
	return SL_OK;
}
