/*
 * props.c: ordered string properties (see props.h).
 */
#include "util/props.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		abort();
	return p;
}

void
sl_props_init(sl_props_t *p)
{
	p->items = NULL;
	p->n = p->cap = 0;
}

void
sl_props_free(sl_props_t *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->items[i].key);
		free(p->items[i].value);
	}
	free(p->items);
	sl_props_init(p);
}

static int
find(const sl_props_t *p, const char *key)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->items[i].key, key) == 0)
			return i;
	return -1;
}

void
sl_props_set(sl_props_t *p, const char *key, const char *value)
{
	int i = find(p, key);
	if (i >= 0) {
		free(p->items[i].value);
		p->items[i].value = xstrdup(value);
		return;
	}
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 8;
		sl_prop_t *items = realloc(p->items, sizeof(*items) * (size_t)cap);
		if (items == NULL)
			abort();
		p->items = items;
		p->cap = cap;
	}
	p->items[p->n].key = xstrdup(key);
	p->items[p->n].value = xstrdup(value);
	p->n++;
}

bool
sl_props_unset(sl_props_t *p, const char *key)
{
	int i = find(p, key);
	if (i < 0)
		return false;
	free(p->items[i].key);
	free(p->items[i].value);
	memmove(&p->items[i], &p->items[i + 1], sizeof(p->items[0]) * (size_t)(p->n - i - 1));
	p->n--;
	return true;
}

const char *
sl_props_get(const sl_props_t *p, const char *key)
{
	int i = find(p, key);
	return i < 0 ? NULL : p->items[i].value;
}

const char *
sl_props_get_or(const sl_props_t *p, const char *key, const char *def)
{
	const char *v = sl_props_get(p, key);
	return v ? v : def;
}

long long
sl_props_get_int(const sl_props_t *p, const char *key, long long def)
{
	const char *v = sl_props_get(p, key);
	char *end;
	long long n;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0')
		return def;
	return n;
}

void
sl_props_merge(sl_props_t *dst, const sl_props_t *src)
{
	for (int i = 0; i < src->n; i++)
		sl_props_set(dst, src->items[i].key, src->items[i].value);
}

/* Trims s[0..*len) in place of the pointer and length. */
static const char *
trim(const char *s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)s[*len - 1]))
		(*len)--;
	return s;
}

static int
assign(sl_props_t *p, const char *text, const char *sep, sl_error_t *err)
{
	const char *eq = strpbrk(text, sep);
	size_t klen, vlen;
	const char *k, *v;
	char *key, *value;

	if (eq == NULL)
		return sl_error_set(err, SL_EINVAL, "expected key=value, got \"%s\"", text);
	klen = (size_t)(eq - text);
	k = trim(text, &klen);
	vlen = strlen(eq + 1);
	v = trim(eq + 1, &vlen);
	if (klen == 0)
		return sl_error_set(err, SL_EINVAL, "empty property name in \"%s\"", text);
	key = strndup(k, klen);
	value = strndup(v, vlen);
	if (key == NULL || value == NULL)
		abort();
	sl_props_set(p, key, value);
	free(key);
	free(value);
	return SL_OK;
}

int
sl_props_parse_assignment(sl_props_t *p, const char *text, sl_error_t *err)
{
	return assign(p, text, "=", err);
}

int
sl_props_load_file(sl_props_t *p, const char *path, sl_error_t *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = SL_OK;

	if (f == NULL)
		return sl_error_set(err, SL_EIO, "cannot open \"%s\": %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)n;
		const char *s = trim(line, &len);
		lineno++;
		if (len == 0 || s[0] == '#' || s[0] == '!')
			continue;
		char *copy = strndup(s, len);
		if (copy == NULL)
			abort();
		rc = assign(p, copy, "=:", err);
		free(copy);
		if (rc != SL_OK) {
			char why[SL_ERROR_MSG_MAX];
			snprintf(why, sizeof(why), "%s", err ? err->msg : "bad line");
			sl_error_set(err, rc, "%s:%d: %s", path, lineno, why);
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}
