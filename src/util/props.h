/*
 * props.h: an ordered list of string properties (key=value).
 *
 * Used for the server configuration (--config, --set), session properties
 * (SET/UNSET), variables (DEFINE) and anything else keyed by name.  Keys
 * compare exactly; callers normalize case where the domain says so.
 * The list owns copies of its keys and values.
 */
#ifndef SL_UTIL_PROPS_H
#define SL_UTIL_PROPS_H

#include <stdbool.h>

#include "util/error.h"

typedef struct sl_prop {
	char *key;
	char *value;
} sl_prop_t;

typedef struct sl_props {
	sl_prop_t *items;
	int n, cap;
} sl_props_t;

void sl_props_init(sl_props_t *p);
void sl_props_free(sl_props_t *p);

/* Sets key to value (copies both), replacing an existing value. */
void sl_props_set(sl_props_t *p, const char *key, const char *value);

/* Removes key; returns whether it was there. */
bool sl_props_unset(sl_props_t *p, const char *key);

/* The value of key, or NULL. */
const char *sl_props_get(const sl_props_t *p, const char *key);

/* The value of key, or def. */
const char *sl_props_get_or(const sl_props_t *p, const char *key, const char *def);

/* The value of key parsed as an integer, or def when absent or invalid. */
long long sl_props_get_int(const sl_props_t *p, const char *key, long long def);

/* Copies every entry of src into dst (overriding). */
void sl_props_merge(sl_props_t *dst, const sl_props_t *src);

/* Parses "key=value" (the first '=' splits; spaces around both trimmed). */
int sl_props_parse_assignment(sl_props_t *p, const char *text, sl_error_t *err);

/* Loads a Java-style properties file: key=value or key: value lines, '#'
 * and '!' comments, blank lines ignored. */
int sl_props_load_file(sl_props_t *p, const char *path, sl_error_t *err);

#endif
