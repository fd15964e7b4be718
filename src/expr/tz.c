/*
 * tz.c: time zones from the system TZ database (see tz.h).
 *
 * Stage: expr.  Region zones come from TZif files (RFC 8536, version 2+
 * 64-bit data); instants after the last transition follow the file's
 * POSIX TZ footer ("PST8PDT,M3.2.0,M11.1.0").  Loaded zones are kept in a
 * list guarded by a mutex and never freed (there are at most a few hundred).
 */
#include "expr/tz.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"

typedef struct ttype {
	int32_t off;
	bool dst;
	char abbr[16];
} ttype_t;

/* A POSIX TZ rule: a date rule and a time of day. */
typedef struct prule {
	char kind;    /* 'M' (month.week.day), 'J' (1..365, no Feb 29), 'D' (0..365) */
	int m, w, d;  /* M: month, week (1..5, 5 = last), weekday (0 = Sunday) */
	int n;        /* J or D day */
	int32_t time; /* seconds after local midnight (may be < 0 or > 24h) */
} prule_t;

typedef struct posix_tz {
	bool valid;
	char std[16], dstname[16];
	int32_t std_off, dst_off; /* seconds east of UTC */
	bool has_dst;
	prule_t start, end;
} posix_tz_t;

struct sl_tz {
	char id[64];
	bool fixed;
	int32_t fixed_off;
	/* region zones */
	int32_t ntrans;
	int64_t *trans;      /* ascending instants */
	uint8_t *trans_type; /* index into types */
	int32_t ntypes;
	ttype_t *types;
	posix_tz_t footer;
	struct sl_tz *next;
};

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static sl_tz_t *tz_list;

static sl_tz_t tz_utc_zone = { .id = "Z", .fixed = true, .fixed_off = 0 };

const sl_tz_t *
sl_tz_utc(void)
{
	return &tz_utc_zone;
}

const char *
sl_tz_id(const sl_tz_t *z)
{
	return z->id;
}

bool
sl_tz_is_fixed(const sl_tz_t *z)
{
	return z->fixed;
}

static void
set_err(char *err, size_t size, const char *fmt, const char *id, size_t n)
{
	if (err != NULL && size > 0)
		snprintf(err, size, fmt, (int)n, id);
}

/* ---- civil dates (for POSIX rules) ------------------------------------- */

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_year(int64_t days, int64_t *year)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = y + (m <= 2);
}

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* ---- POSIX TZ strings -------------------------------------------------- */

static const char *
parse_pname(const char *p, char *out, size_t size)
{
	size_t n = 0;
	if (*p == '<') {
		p++;
		while (*p && *p != '>') {
			if (n + 1 < size)
				out[n++] = *p;
			p++;
		}
		if (*p != '>')
			return NULL;
		p++;
	} else {
		while (isalpha((unsigned char)*p)) {
			if (n + 1 < size)
				out[n++] = *p;
			p++;
		}
		if (n < 3)
			return NULL;
	}
	out[n] = '\0';
	return p;
}

/* [+-]hh[:mm[:ss]] into seconds. */
static const char *
parse_ptime(const char *p, int32_t *out)
{
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return NULL;
	int32_t h = 0, m = 0, s = 0;
	while (isdigit((unsigned char)*p))
		h = h * 10 + (*p++ - '0');
	if (*p == ':') {
		p++;
		while (isdigit((unsigned char)*p))
			m = m * 10 + (*p++ - '0');
		if (*p == ':') {
			p++;
			while (isdigit((unsigned char)*p))
				s = s * 10 + (*p++ - '0');
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *
parse_prule(const char *p, prule_t *r)
{
	if (*p == 'M') {
		r->kind = 'M';
		p++;
		r->m = (int)strtol(p, (char **)&p, 10);
		if (*p++ != '.')
			return NULL;
		r->w = (int)strtol(p, (char **)&p, 10);
		if (*p++ != '.')
			return NULL;
		r->d = (int)strtol(p, (char **)&p, 10);
	} else if (*p == 'J') {
		r->kind = 'J';
		p++;
		r->n = (int)strtol(p, (char **)&p, 10);
	} else if (isdigit((unsigned char)*p)) {
		r->kind = 'D';
		r->n = (int)strtol(p, (char **)&p, 10);
	} else {
		return NULL;
	}
	r->time = 7200;
	if (*p == '/') {
		p++;
		p = parse_ptime(p, &r->time);
	}
	return p;
}

static void
parse_posix(const char *s, posix_tz_t *tz)
{
	memset(tz, 0, sizeof(*tz));
	const char *p = parse_pname(s, tz->std, sizeof(tz->std));
	int32_t off;
	if (p == NULL || (p = parse_ptime(p, &off)) == NULL)
		return;
	tz->std_off = -off;
	if (*p == '\0') {
		tz->valid = true;
		return;
	}
	p = parse_pname(p, tz->dstname, sizeof(tz->dstname));
	if (p == NULL)
		return;
	tz->dst_off = tz->std_off + 3600;
	if (*p && *p != ',') {
		if ((p = parse_ptime(p, &off)) == NULL)
			return;
		tz->dst_off = -off;
	}
	if (*p != ',')
		return; /* no rule: POSIX default rules are not used by TZif */
	p = parse_prule(p + 1, &tz->start);
	if (p == NULL || *p != ',')
		return;
	p = parse_prule(p + 1, &tz->end);
	if (p == NULL)
		return;
	tz->has_dst = true;
	tz->valid = true;
}

/* Local seconds (since epoch, local midnight based) when rule r fires in
 * year y. */
static int64_t
rule_local(const prule_t *r, int64_t y)
{
	int64_t day;
	if (r->kind == 'M') {
		int64_t first = days_from_civil(y, r->m, 1);
		int wd = (int)(((first % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
		int delta = (r->d - wd + 7) % 7;
		day = first + delta + (int64_t)(r->w - 1) * 7;
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int len = mdays[r->m - 1] + (r->m == 2 && is_leap(y));
		while (day >= first + len)
			day -= 7;
	} else if (r->kind == 'J') {
		int n = r->n;
		if (is_leap(y) && n >= 60)
			n++;
		day = days_from_civil(y, 1, 1) + n - 1;
	} else {
		day = days_from_civil(y, 1, 1) + r->n;
	}
	return day * 86400 + r->time;
}

static int32_t
posix_offset(const posix_tz_t *tz, int64_t t, const char **abbrev, bool *dst)
{
	if (!tz->has_dst) {
		if (abbrev)
			*abbrev = tz->std;
		if (dst)
			*dst = false;
		return tz->std_off;
	}
	int64_t y;
	civil_year((t + tz->std_off) / 86400 - ((t + tz->std_off) % 86400 < 0), &y);
	/* start is given in standard local time, end in daylight time */
	int64_t start = rule_local(&tz->start, y) - tz->std_off;
	int64_t end = rule_local(&tz->end, y) - tz->dst_off;
	bool in_dst;
	if (start < end)
		in_dst = t >= start && t < end;
	else
		in_dst = !(t >= end && t < start); /* southern hemisphere */
	if (abbrev)
		*abbrev = in_dst ? tz->dstname : tz->std;
	if (dst)
		*dst = in_dst;
	return in_dst ? tz->dst_off : tz->std_off;
}

/* ---- TZif -------------------------------------------------------------- */

static int64_t
be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return (int64_t)v;
}

static int32_t
be32(const unsigned char *p)
{
	return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static bool
load_tzif(sl_tz_t *z, const unsigned char *buf, size_t len)
{
	if (len < 44 || memcmp(buf, "TZif", 4) != 0)
		return false;
	int version = buf[4];
	const unsigned char *h = buf;
	int32_t isutcnt = be32(h + 20), isstdcnt = be32(h + 24), leapcnt = be32(h + 28);
	int32_t timecnt = be32(h + 32), typecnt = be32(h + 36), charcnt = be32(h + 40);
	size_t tsize = 4;
	const unsigned char *p = buf + 44;
	if (version >= '2') {
		size_t v1 = (size_t)timecnt * 5 + (size_t)typecnt * 6 + (size_t)charcnt +
			    (size_t)leapcnt * 8 + (size_t)isstdcnt + (size_t)isutcnt;
		if (44 + v1 + 44 > len)
			return false;
		h = buf + 44 + v1;
		if (memcmp(h, "TZif", 4) != 0)
			return false;
		isutcnt = be32(h + 20);
		isstdcnt = be32(h + 24);
		leapcnt = be32(h + 28);
		timecnt = be32(h + 32);
		typecnt = be32(h + 36);
		charcnt = be32(h + 40);
		tsize = 8;
		p = h + 44;
	}
	if (timecnt < 0 || typecnt <= 0 || typecnt > 256 || charcnt < 0)
		return false;
	size_t need = (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 + (size_t)charcnt +
		      (size_t)leapcnt * (tsize + 4) + (size_t)isstdcnt + (size_t)isutcnt;
	if ((size_t)(p - buf) + need > len)
		return false;
	z->ntrans = timecnt;
	z->trans = calloc((size_t)timecnt + 1, sizeof(*z->trans));
	z->trans_type = calloc((size_t)timecnt + 1, 1);
	z->types = calloc((size_t)typecnt, sizeof(*z->types));
	if (z->trans == NULL || z->trans_type == NULL || z->types == NULL)
		abort();
	for (int32_t i = 0; i < timecnt; i++, p += tsize)
		z->trans[i] = tsize == 8 ? be64(p) : be32(p);
	for (int32_t i = 0; i < timecnt; i++, p++) {
		z->trans_type[i] = *p;
		if (*p >= typecnt)
			return false;
	}
	const unsigned char *tt = p;
	p += (size_t)typecnt * 6;
	const char *chars = (const char *)p;
	z->ntypes = typecnt;
	for (int32_t i = 0; i < typecnt; i++) {
		z->types[i].off = be32(tt + i * 6);
		z->types[i].dst = tt[i * 6 + 4] != 0;
		int ai = tt[i * 6 + 5];
		if (ai < charcnt) {
			size_t n = strnlen(chars + ai, (size_t)(charcnt - ai));
			if (n >= sizeof(z->types[i].abbr))
				n = sizeof(z->types[i].abbr) - 1;
			memcpy(z->types[i].abbr, chars + ai, n);
		}
	}
	p += (size_t)charcnt + (size_t)leapcnt * (tsize + 4) + (size_t)isstdcnt + (size_t)isutcnt;
	if (version >= '2' && (size_t)(p - buf) < len && *p == '\n') {
		const unsigned char *e = memchr(p + 1, '\n', len - (size_t)(p - buf) - 1);
		if (e != NULL && e - p - 1 < 128) {
			char footer[128];
			memcpy(footer, p + 1, (size_t)(e - p - 1));
			footer[e - p - 1] = '\0';
			parse_posix(footer, &z->footer);
		}
	}
	return true;
}

/* ---- ids --------------------------------------------------------------- */

/* ZoneOffset.of: "+h", "+hh", "+hh:mm", "+hhmm", "+hh:mm:ss", "+hhmmss". */
static bool
parse_offset(const char *s, size_t n, int32_t *out)
{
	if (n < 2 || (s[0] != '+' && s[0] != '-'))
		return false;
	int sign = s[0] == '-' ? -1 : 1;
	const char *d = s + 1;
	size_t m = n - 1;
	int h = 0, mi = 0, se = 0;
	for (size_t i = 0; i < m; i++)
		if (!isdigit((unsigned char)d[i]) && d[i] != ':')
			return false;
#define DIG2(p) (((p)[0] - '0') * 10 + ((p)[1] - '0'))
	switch (m) {
	case 1:
		h = d[0] - '0';
		break;
	case 2:
		h = DIG2(d);
		break;
	case 4:
		h = DIG2(d);
		mi = DIG2(d + 2);
		break;
	case 5:
		if (d[2] != ':')
			return false;
		h = DIG2(d);
		mi = DIG2(d + 3);
		break;
	case 6:
		h = DIG2(d);
		mi = DIG2(d + 2);
		se = DIG2(d + 4);
		break;
	case 8:
		if (d[2] != ':' || d[5] != ':')
			return false;
		h = DIG2(d);
		mi = DIG2(d + 3);
		se = DIG2(d + 6);
		break;
	default:
		return false;
	}
#undef DIG2
	if (memchr(d, ':', m) != NULL && m != 5 && m != 8)
		return false;
	if (h > 18 || mi > 59 || se > 59 || (h == 18 && (mi || se)))
		return false;
	*out = sign * (h * 3600 + mi * 60 + se);
	return true;
}

static void
format_offset(char *buf, size_t size, int32_t off)
{
	if (off == 0) {
		snprintf(buf, size, "Z");
		return;
	}
	int32_t a = off < 0 ? -off : off;
	if (a % 60)
		snprintf(buf, size, "%c%02d:%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60,
			 a % 60);
	else
		snprintf(buf, size, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

static sl_tz_t *
find_cached(const char *id)
{
	for (sl_tz_t *z = tz_list; z != NULL; z = z->next)
		if (strcmp(z->id, id) == 0)
			return z;
	return NULL;
}

static sl_tz_t *
add_fixed(const char *id, int32_t off)
{
	sl_tz_t *z = find_cached(id);
	if (z != NULL)
		return z;
	z = calloc(1, sizeof(*z));
	if (z == NULL)
		abort();
	snprintf(z->id, sizeof(z->id), "%s", id);
	z->fixed = true;
	z->fixed_off = off;
	z->next = tz_list;
	tz_list = z;
	return z;
}

static bool
valid_region_id(const char *s, size_t n)
{
	if (n == 0 || n >= 60 || !isalpha((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '~' || c == '/' || c == '.' || c == '_' || c == '+' ||
		      c == '-'))
			return false;
	}
	if (strstr(s, "..") != NULL || strncmp(s, "posix/", 6) == 0 || strncmp(s, "right/", 6) == 0)
		return false;
	return true;
}

static sl_tz_t *
load_region(const char *id)
{
	sl_tz_t *z = find_cached(id);
	if (z != NULL)
		return z;
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", ZONEINFO_DIR, id);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	unsigned char *buf = malloc(1 << 17);
	if (buf == NULL)
		abort();
	size_t len = fread(buf, 1, 1 << 17, f);
	fclose(f);
	z = calloc(1, sizeof(*z));
	if (z == NULL)
		abort();
	snprintf(z->id, sizeof(z->id), "%s", id);
	if (!load_tzif(z, buf, len)) {
		free(buf);
		free(z->trans);
		free(z->trans_type);
		free(z->types);
		free(z);
		return NULL;
	}
	free(buf);
	z->next = tz_list;
	tz_list = z;
	return z;
}

const sl_tz_t *
sl_tz_lookup(const char *id, size_t n, char *err, size_t errsize)
{
	char name[64];
	if (n == 0 || n >= sizeof(name)) {
		set_err(err, errsize, "invalid time zone id '%.*s'", id, n);
		return NULL;
	}
	memcpy(name, id, n);
	name[n] = '\0';
	if (strcmp(name, "Z") == 0)
		return &tz_utc_zone;
	int32_t off;
	if (name[0] == '+' || name[0] == '-') {
		if (!parse_offset(name, n, &off)) {
			set_err(err, errsize, "invalid ID for ZoneOffset, invalid format: %.*s", id,
				n);
			return NULL;
		}
		char canon[16];
		format_offset(canon, sizeof(canon), off);
		if (off == 0)
			return &tz_utc_zone;
		pthread_mutex_lock(&tz_lock);
		sl_tz_t *z = add_fixed(canon, off);
		pthread_mutex_unlock(&tz_lock);
		return z;
	}
	/* UTC, GMT, UT and their offset forms */
	static const char *prefixes[] = { "UTC", "GMT", "UT" };
	for (size_t i = 0; i < 3; i++) {
		size_t pl = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], pl) != 0)
			continue;
		if (name[pl] == '\0') {
			pthread_mutex_lock(&tz_lock);
			sl_tz_t *z = add_fixed(prefixes[i], 0);
			pthread_mutex_unlock(&tz_lock);
			return z;
		}
		if (name[pl] == '+' || name[pl] == '-') {
			if (!parse_offset(name + pl, n - pl, &off)) {
				set_err(err, errsize, "invalid ID for offset-based ZoneId: %.*s",
					id, n);
				return NULL;
			}
			char canon[32];
			if (off == 0) {
				snprintf(canon, sizeof(canon), "%s", prefixes[i]);
			} else {
				char o[16];
				format_offset(o, sizeof(o), off);
				snprintf(canon, sizeof(canon), "%s%s", prefixes[i], o);
			}
			pthread_mutex_lock(&tz_lock);
			sl_tz_t *z = add_fixed(canon, off);
			pthread_mutex_unlock(&tz_lock);
			return z;
		}
	}
	if (!valid_region_id(name, n)) {
		set_err(err, errsize, "invalid ID for region-based ZoneId, invalid format: %.*s",
			id, n);
		return NULL;
	}
	pthread_mutex_lock(&tz_lock);
	sl_tz_t *z = load_region(name);
	pthread_mutex_unlock(&tz_lock);
	if (z == NULL)
		set_err(err, errsize, "unknown time-zone ID: %.*s", id, n);
	return z;
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static const sl_tz_t *default_zone;

static const sl_tz_t *
try_name(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n > 0 && s[0] == ':') {
		s++;
		n--;
	}
	return n > 0 ? sl_tz_lookup(s, n, NULL, 0) : NULL;
}

static void
default_init(void)
{
	const char *tz = getenv("TZ");
	if (tz != NULL && (default_zone = try_name(tz)) != NULL)
		return;
	char buf[256];
	FILE *f = fopen("/etc/timezone", "r");
	if (f != NULL) {
		if (fgets(buf, sizeof(buf), f) != NULL)
			default_zone = try_name(buf);
		fclose(f);
		if (default_zone != NULL)
			return;
	}
	char link[512];
	ssize_t n = readlink("/etc/localtime", link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		const char *p = strstr(link, "zoneinfo/");
		if (p != NULL && (default_zone = try_name(p + 9)) != NULL)
			return;
	}
	default_zone = &tz_utc_zone;
}

const sl_tz_t *
sl_tz_system_default(void)
{
	pthread_once(&default_once, default_init);
	return default_zone;
}

/* ---- offsets ----------------------------------------------------------- */

int32_t
sl_tz_offset_at(const sl_tz_t *z, int64_t t, const char **abbrev, bool *dst)
{
	if (z->fixed) {
		if (abbrev)
			*abbrev = z->id;
		if (dst)
			*dst = false;
		return z->fixed_off;
	}
	if (z->footer.valid && (z->ntrans == 0 || t >= z->trans[z->ntrans - 1]))
		return posix_offset(&z->footer, t, abbrev, dst);
	int idx;
	if (z->ntrans == 0 || t < z->trans[0]) {
		idx = 0;
	} else {
		int32_t lo = 0, hi = z->ntrans - 1;
		while (lo < hi) {
			int32_t mid = (lo + hi + 1) / 2;
			if (z->trans[mid] <= t)
				lo = mid;
			else
				hi = mid - 1;
		}
		idx = z->trans_type[lo];
	}
	const ttype_t *tt = &z->types[idx];
	if (abbrev)
		*abbrev = tt->abbr;
	if (dst)
		*dst = tt->dst;
	return tt->off;
}

int64_t
sl_tz_local_to_utc(const sl_tz_t *z, int64_t lt, int32_t *offset)
{
	if (z->fixed) {
		if (offset)
			*offset = z->fixed_off;
		return lt - z->fixed_off;
	}
	int32_t before = sl_tz_offset_at(z, lt - 86400 * 2, NULL, NULL);
	int32_t after = sl_tz_offset_at(z, lt + 86400 * 2, NULL, NULL);
	bool ok_before = sl_tz_offset_at(z, lt - before, NULL, NULL) == before;
	bool ok_after = sl_tz_offset_at(z, lt - after, NULL, NULL) == after;
	int32_t off;
	if (ok_before)
		off = before; /* also the earlier offset of an overlap */
	else if (ok_after)
		off = after;
	else
		off = before; /* a gap: keep the offset from before it */
	if (offset)
		*offset = sl_tz_offset_at(z, lt - off, NULL, NULL);
	return lt - off;
}
