/*
 * tz.h: time zones as java.time.ZoneId names them, from the system's TZ
 * database (TZif files under /usr/share/zoneinfo).
 *
 * Stage: expr.  Used by the date/time functions (fn_datetime.c) and the
 * pattern formatter (datefmt.c); available to the timestamp extractor.
 * A zone is loaded once and kept for the life of the process; lookups are
 * thread-safe (a mutex guards the cache) and a zone is read-only after
 * loading.  Times are seconds since the epoch; offsets are seconds east
 * of UTC.
 */
#ifndef SL_EXPR_TZ_H
#define SL_EXPR_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sl_tz sl_tz_t;

/*
 * The zone named id as ZoneId.of(id) accepts it: "Z", "UTC", "GMT", "UT",
 * fixed offsets ("+05:30", "-0800", "+5", "UTC+01:00", "GMT-3"), or a
 * region of the TZ database ("America/Los_Angeles", "EST5EDT"; case
 * matters).  Returns NULL with a message in err (lower-case, may be NULL)
 * for a malformed or unknown id.
 */
const sl_tz_t *sl_tz_lookup(const char *id, size_t n, char *err, size_t errsize);

/* UTC ("Z"). */
const sl_tz_t *sl_tz_utc(void);

/* The process's default zone (Java's ZoneId.systemDefault()): the TZ
 * environment variable, else /etc/timezone, else /etc/localtime, else UTC. */
const sl_tz_t *sl_tz_system_default(void);

/* The zone's id as given to sl_tz_lookup() (normalized for offsets:
 * "+05:30", "Z"). */
const char *sl_tz_id(const sl_tz_t *z);

/* True for a fixed offset (no rules). */
bool sl_tz_is_fixed(const sl_tz_t *z);

/* The offset in force at instant t; *abbrev (may be NULL) receives the
 * zone's abbreviation then ("PDT"; for fixed offsets the id), *dst
 * (may be NULL) whether daylight saving time is in force. */
int32_t sl_tz_offset_at(const sl_tz_t *z, int64_t t, const char **abbrev, bool *dst);

/* The instant of local wall-clock time lt (seconds since the epoch,
 * local): in an overlap the earlier offset wins, in a gap the time moves
 * later by the gap's length (ZonedDateTime.ofLocal).  *offset (may be
 * NULL) receives the offset used. */
int64_t sl_tz_local_to_utc(const sl_tz_t *z, int64_t lt, int32_t *offset);

#endif
