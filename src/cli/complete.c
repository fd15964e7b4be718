/*
 * complete.c: tab completion for the shell.
 *
 * Stage: cli.  Takes the line being typed (and the statement lines before
 * it) and hands on the words that can complete the word before the cursor:
 *
 *   - after '\': the backslash commands; after \d a stream or table, after
 *     \i and \o a file name, after \pset, \x and \h their arguments;
 *   - in a string after SET or UNSET: property names;
 *   - after FROM, JOIN, INTO, DESCRIBE, STREAM, TABLE, PRINT: streams and
 *     tables;
 *   - anywhere else: keywords, streams and tables, their columns and
 *     function names.
 *
 * Keywords come from the grammar itself (lemon's token names, those the
 * lexer takes for keywords), names from the backend: SHOW STREAMS, SHOW
 * TABLES and DESCRIBE of each source, fetched again after a statement that
 * may have changed them; SHOW FUNCTIONS and SHOW PROPERTIES once.  A word
 * typed in lower case completes in lower case.
 */
#include "cli/internal.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "parse/lexer.h"

/* At most this many sources are described for their column names. */
#define COMPLETE_MAX_DESCRIBE 64

typedef struct words {
	char **v;
	int n, cap;
} words_t;

struct sl_cli_complete {
	bool names_fetched;
	bool fixed_fetched;
	words_t keywords;
	words_t sources;
	words_t columns;
	words_t functions;
	words_t props;
};

static const char *const backslash_commands[] = {
	"\\?",    "\\d", "\\d+",  "\\echo",   "\\h",     "\\i", "\\o",
	"\\pset", "\\q", "\\set", "\\timing", "\\unset", "\\x", "\\conninfo",
};

/* Properties worth offering even before the server lists them. */
static const char *const known_props[] = {
	"auto.offset.reset",        "cache.max.bytes.buffering", "commit.interval.ms",
	"processing.guarantee",     "sluice.emit.final.idle.ms", "sluice.pull.consistency",
	"sluice.push.buffer.bytes",
};

static void
words_add(words_t *w, const char *s)
{
	for (int i = 0; i < w->n; i++)
		if (strcmp(w->v[i], s) == 0)
			return;
	if (w->n + 1 >= w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->v = realloc(w->v, (size_t)w->cap * sizeof(*w->v));
		if (w->v == NULL)
			abort();
	}
	w->v[w->n] = strdup(s);
	if (w->v[w->n] == NULL)
		abort();
	w->n++;
	w->v[w->n] = NULL;
}

static void
words_clear(words_t *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	w->n = 0;
	if (w->v != NULL)
		w->v[0] = NULL;
}

static void
words_free(words_t *w)
{
	words_clear(w);
	free(w->v);
	w->v = NULL;
	w->cap = 0;
}

sl_cli_complete_t *
sl_cli_complete_create(void)
{
	sl_cli_complete_t *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	/* every keyword token of the grammar, by its name */
	for (int type = 1; type < 1024; type++) {
		const char *name = sl_token_name(type);
		bool word = name[0] != '\0';
		for (const char *p = name; *p != '\0'; p++)
			if (!isupper((unsigned char)*p) && *p != '_')
				word = false;
		if (word && sl_is_keyword(name, strlen(name)))
			words_add(&c->keywords, name);
	}
	return c;
}

void
sl_cli_complete_destroy(sl_cli_complete_t *c)
{
	if (c == NULL)
		return;
	words_free(&c->keywords);
	words_free(&c->sources);
	words_free(&c->columns);
	words_free(&c->functions);
	words_free(&c->props);
	free(c);
}

void
sl_cli_complete_stale(sl_cli_complete_t *c)
{
	c->names_fetched = false;
}

/* Adds member name of every object in the list member list of the
 * entities answered to sql. */
static void
complete_fetch(sl_shell_t *sh, const char *sql, const char *list, const char *name, words_t *w)
{
	cJSON *res = sl_shell_fetch(sh, sql, false);
	const cJSON *e, *o;

	cJSON_ArrayForEach(e, res) {
		const cJSON *items = cJSON_GetObjectItemCaseSensitive(e, list);
		if (items == NULL && strcmp(list, "fields") == 0)
			items = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(e, "sourceDescription"), list);
		cJSON_ArrayForEach(o, (cJSON_IsArray(items) ? items : NULL)) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
			if (cJSON_IsString(v))
				words_add(w, v->valuestring);
		}
	}
	cJSON_Delete(res);
}

static void
complete_refresh(sl_shell_t *sh)
{
	sl_cli_complete_t *c = sh->comp;

	if (!c->fixed_fetched) {
		c->fixed_fetched = true;
		complete_fetch(sh, "SHOW FUNCTIONS;", "functions", "name", &c->functions);
		for (size_t i = 0; i < sizeof(known_props) / sizeof(known_props[0]); i++)
			words_add(&c->props, known_props[i]);
		complete_fetch(sh, "SHOW PROPERTIES;", "properties", "name", &c->props);
	}
	if (c->names_fetched)
		return;
	c->names_fetched = true;
	words_clear(&c->sources);
	words_clear(&c->columns);
	complete_fetch(sh, "SHOW STREAMS;", "streams", "name", &c->sources);
	complete_fetch(sh, "SHOW TABLES;", "tables", "name", &c->sources);
	for (int i = 0; i < c->sources.n && i < COMPLETE_MAX_DESCRIBE; i++) {
		sl_strbuf_t sql;
		sl_strbuf_init(&sql);
		sl_strbuf_printf(&sql, "DESCRIBE `%s`;", c->sources.v[i]);
		complete_fetch(sh, sql.data, "fields", "name", &c->columns);
		sl_strbuf_free(&sql);
	}
}

/* ---- matching ---- */

static bool
has_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (islower((unsigned char)s[i]))
			return true;
	return false;
}

/* Adds the words of w that start with prefix[0..n) (any case) to out,
 * lower-cased when the prefix is in lower case and the word all upper. */
static void
complete_match(words_t *out, const words_t *w, const char *prefix, size_t n)
{
	bool lower = has_lower(prefix, n);

	for (int i = 0; i < w->n; i++) {
		const char *s = w->v[i];
		if (strncasecmp(s, prefix, n) != 0)
			continue;
		if (lower && !has_lower(s, strlen(s))) {
			char *l = strdup(s);
			for (char *p = l; *p != '\0'; p++)
				*p = (char)tolower((unsigned char)*p);
			words_add(out, l);
			free(l);
		} else {
			words_add(out, s);
		}
	}
}

static void
complete_match_list(words_t *out, const char *const *list, size_t n, const char *prefix,
		    size_t plen)
{
	words_t w = { 0 };

	for (size_t i = 0; i < n; i++)
		words_add(&w, list[i]);
	complete_match(out, &w, prefix, plen);
	words_free(&w);
}

/* File names starting with path[0..n) (directories with a '/'). */
static void
complete_files(words_t *out, const char *path, size_t n)
{
	char *dir, *base;
	const char *slash;
	DIR *d;
	struct dirent *de;

	slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			slash = path + i;
	dir = slash != NULL ? strndup(path, (size_t)(slash - path) + 1) : strdup("");
	base = slash != NULL ? strndup(slash + 1, n - (size_t)(slash - path) - 1) :
			       strndup(path, n);
	if (dir == NULL || base == NULL)
		abort();
	d = opendir(dir[0] != '\0' ? dir : ".");
	while (d != NULL && (de = readdir(d)) != NULL) {
		sl_strbuf_t full;
		struct stat st;
		if (strncmp(de->d_name, base, strlen(base)) != 0 || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 || (de->d_name[0] == '.' && base[0] != '.'))
			continue;
		sl_strbuf_init(&full);
		sl_strbuf_printf(&full, "%s%s", dir, de->d_name);
		if (stat(full.data, &st) == 0 && S_ISDIR(st.st_mode))
			sl_strbuf_putc(&full, '/');
		words_add(out, full.data);
		sl_strbuf_free(&full);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
	free(base);
}

static int
cmp_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The last word before offset end of text, upper-cased, into buf. */
static void
previous_word(const char *text, size_t end, char *buf, size_t size)
{
	size_t e = end, s;

	while (e > 0 && isspace((unsigned char)text[e - 1]))
		e--;
	s = e;
	while (s > 0 && (isalnum((unsigned char)text[s - 1]) || text[s - 1] == '_'))
		s--;
	if (e - s >= size)
		e = s + size - 1;
	for (size_t i = s; i < e; i++)
		buf[i - s] = (char)toupper((unsigned char)text[i]);
	buf[e - s] = '\0';
}

/* Completions of a backslash command line; word = line[start..cur). */
static void
complete_command(sl_shell_t *sh, words_t *out, const char *line, size_t cur, size_t *start)
{
	const char *cmd = line + strspn(line, " \t");
	size_t cmdlen = strcspn(cmd, " \t");
	static const char *const pset_args[] = { "format", "null", "expanded" };
	static const char *const formats[] = { "table", "csv", "json" };
	static const char *const onoff[] = { "on", "off", "auto" };

	if ((size_t)(cmd - line) + cmdlen >= cur) {
		*start = (size_t)(cmd - line);
		complete_match_list(out, backslash_commands,
				    sizeof(backslash_commands) / sizeof(backslash_commands[0]), cmd,
				    cur - *start);
		return;
	}
	if ((cmdlen == 2 && strncmp(cmd, "\\i", 2) == 0) ||
	    (cmdlen == 2 && strncmp(cmd, "\\o", 2) == 0)) {
		*start = cur;
		while (*start > 0 && !isspace((unsigned char)line[*start - 1]))
			(*start)--;
		complete_files(out, line + *start, cur - *start);
	} else if (strncmp(cmd, "\\d", 2) == 0 && (cmdlen == 2 || (cmdlen == 3 && cmd[2] == '+'))) {
		complete_refresh(sh);
		complete_match(out, &sh->comp->sources, line + *start, cur - *start);
	} else if (cmdlen == 5 && strncmp(cmd, "\\pset", 5) == 0) {
		char prev[32];
		previous_word(line, *start, prev, sizeof(prev));
		if (strcmp(prev, "FORMAT") == 0)
			complete_match_list(out, formats, 3, line + *start, cur - *start);
		else
			complete_match_list(out, pset_args, 3, line + *start, cur - *start);
	} else if (cmdlen == 2 && strncmp(cmd, "\\x", 2) == 0) {
		complete_match_list(out, onoff, 3, line + *start, cur - *start);
	} else if (cmdlen == 7 && strncmp(cmd, "\\timing", 7) == 0) {
		complete_match_list(out, onoff, 2, line + *start, cur - *start);
	} else if (cmdlen == 2 && strncmp(cmd, "\\h", 2) == 0) {
		complete_match(out, &sh->comp->keywords, line + *start, cur - *start);
	}
}

char **
sl_cli_complete_words(sl_shell_t *sh, const char *line, size_t cur, size_t *start)
{
	sl_cli_complete_t *c = sh->comp;
	words_t out = { 0 };
	sl_strbuf_t ctx;
	char prev[32];
	size_t s = cur;

	while (s > 0 && (isalnum((unsigned char)line[s - 1]) || line[s - 1] == '_' ||
			 (unsigned char)line[s - 1] >= 0x80))
		s--;
	*start = s;
	if (line[strspn(line, " \t")] == '\\' && (sh->pending == NULL || *sh->pending == '\0')) {
		complete_command(sh, &out, line, cur, start);
		goto sorted;
	}

	/* what comes before the word: earlier lines of the statement too */
	sl_strbuf_init(&ctx);
	if (sh->pending != NULL)
		sl_strbuf_puts(&ctx, sh->pending);
	sl_strbuf_append(&ctx, line, s);
	previous_word(ctx.data != NULL ? ctx.data : "", ctx.len, prev, sizeof(prev));
	complete_refresh(sh);
	size_t q = s; /* a property name holds dots: 'auto.offset.reset' */
	while (q > 0 &&
	       (isalnum((unsigned char)line[q - 1]) || line[q - 1] == '_' || line[q - 1] == '.'))
		q--;
	if (q > 0 && line[q - 1] == '\'') {
		char kw[32];
		previous_word(ctx.data, ctx.len - (s - q) - 1, kw, sizeof(kw));
		*start = q;
		if (strcmp(kw, "SET") == 0 || strcmp(kw, "UNSET") == 0)
			complete_match(&out, &c->props, line + q, cur - q);
	} else if (s > 0 && line[s - 1] == '.') {
		complete_match(&out, &c->columns, line + s, cur - s); /* alias.column */
	} else if (strcmp(prev, "FROM") == 0 || strcmp(prev, "JOIN") == 0 ||
		   strcmp(prev, "INTO") == 0 || strcmp(prev, "DESCRIBE") == 0 ||
		   strcmp(prev, "STREAM") == 0 || strcmp(prev, "TABLE") == 0 ||
		   strcmp(prev, "PRINT") == 0 || strcmp(prev, "EXISTS") == 0) {
		complete_match(&out, &c->sources, line + s, cur - s);
		if (strcmp(prev, "DESCRIBE") == 0) {
			static const char *const extra[] = { "FUNCTION", "STREAMS", "TABLES" };
			complete_match_list(&out, extra, 3, line + s, cur - s);
		}
	} else {
		complete_match(&out, &c->keywords, line + s, cur - s);
		complete_match(&out, &c->sources, line + s, cur - s);
		complete_match(&out, &c->columns, line + s, cur - s);
		complete_match(&out, &c->functions, line + s, cur - s);
	}
	sl_strbuf_free(&ctx);

sorted:
	if (out.n > 1)
		qsort(out.v, (size_t)out.n, sizeof(*out.v), cmp_words);
	if (out.v == NULL) {
		out.v = calloc(1, sizeof(*out.v));
		if (out.v == NULL)
			abort();
	}
	return out.v;
}

void
sl_cli_complete_free(char **words)
{
	if (words == NULL)
		return;
	for (char **w = words; *w != NULL; w++)
		free(*w);
	free(words);
}
