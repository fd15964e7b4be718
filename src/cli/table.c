/*
 * table.c: aligned, expanded and CSV tables, and query rows (render.h).
 *
 * Stage: cli (presentation).  Takes rows of text cells (NULL for SQL
 * NULL) and appends them psql style; splits the JSON array of a query row
 * into cells without losing the text of its numbers (a BIGINT beyond
 * 2^53 or a DECIMAL keeps every digit the server sent).
 */
#include "cli/render.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	sl_cli_fmt_t fmt;
} fmt_names[] = {
	{ "table", SL_CLI_FMT_TABLE },   { "aligned", SL_CLI_FMT_TABLE },
	{ "tabular", SL_CLI_FMT_TABLE }, { "csv", SL_CLI_FMT_CSV },
	{ "json", SL_CLI_FMT_JSON },
};

bool
sl_cli_fmt_parse(const char *name, sl_cli_fmt_t *out)
{
	for (size_t i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++)
		if (strcasecmp(name, fmt_names[i].name) == 0) {
			*out = fmt_names[i].fmt;
			return true;
		}
	return false;
}

const char *
sl_cli_fmt_name(sl_cli_fmt_t fmt)
{
	return fmt == SL_CLI_FMT_CSV ? "csv" : fmt == SL_CLI_FMT_JSON ? "json" : "table";
}

/* ---- building ---- */

static char *
cell_dup(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = strdup(s);
	if (c == NULL)
		abort();
	return c;
}

void
sl_cli_table_init(sl_cli_table_t *t, int ncols, const char *const *headers)
{
	t->ncols = ncols;
	t->nrows = 0;
	t->cap = 8;
	t->note = NULL;
	t->cells = calloc((size_t)(t->cap + 1) * (size_t)ncols + 1, sizeof(*t->cells));
	t->right = calloc((size_t)ncols + 1, sizeof(*t->right));
	if (t->cells == NULL || t->right == NULL)
		abort();
	for (int i = 0; i < ncols; i++)
		t->cells[i] = cell_dup(headers[i] != NULL ? headers[i] : "");
}

void
sl_cli_table_add(sl_cli_table_t *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		t->cap *= 2;
		t->cells = realloc(t->cells, ((size_t)(t->cap + 1) * (size_t)t->ncols + 1) *
						     sizeof(*t->cells));
		if (t->cells == NULL)
			abort();
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[(t->nrows + 1) * t->ncols + i] = cell_dup(cells[i]);
	t->nrows++;
}

void
sl_cli_table_free(sl_cli_table_t *t)
{
	for (int i = 0; i < (t->nrows + 1) * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
}

/* ---- printing ---- */

/* Display width of s[0..n): UTF-8 characters. */
static int
width_n(const char *s, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

int
sl_cli_width(const char *s)
{
	int w = 0;

	for (;;) {
		size_t n = strcspn(s, "\n");
		if (width_n(s, n) > w)
			w = width_n(s, n);
		if (s[n] == '\0')
			return w;
		s += n + 1;
	}
}

static void
pad(sl_strbuf_t *out, int n, char c)
{
	for (int i = 0; i < n; i++)
		sl_strbuf_putc(out, c);
}

void
sl_cli_footer(sl_strbuf_t *out, int nrows, const char *note)
{
	sl_strbuf_printf(out, "(%d row%s%s%s)\n", nrows, nrows == 1 ? "" : "s",
			 note != NULL ? ", " : "", note != NULL ? note : "");
}

void
sl_cli_aligned_line(sl_strbuf_t *out, int ncols, const char *const *cells, const int *width,
		    const bool *right, const char *null_text)
{
	const char **pos = calloc((size_t)ncols + 1, sizeof(*pos));
	bool more = true;

	if (pos == NULL)
		abort();
	for (int c = 0; c < ncols; c++)
		pos[c] = cells[c] != NULL ? cells[c] : null_text;
	/* a cell of several lines takes several lines, each but its last
	 * marked with a '+' after it, as psql does */
	while (more) {
		size_t start = out->len;
		more = false;
		for (int c = 0; c < ncols; c++) {
			const char *p = pos[c];
			size_t n = strcspn(p, "\n");
			bool cont = p[n] == '\n';
			int fill = width[c] - width_n(p, n);

			sl_strbuf_puts(out, c == 0 ? " " : "| ");
			if (right != NULL && right[c])
				pad(out, fill, ' ');
			sl_strbuf_append(out, p, n);
			if (right == NULL || !right[c])
				pad(out, fill, ' ');
			sl_strbuf_putc(out, cont ? '+' : ' ');
			pos[c] = cont ? p + n + 1 : p + n;
			more |= cont;
		}
		while (out->len > start && out->data[out->len - 1] == ' ')
			out->len--;
		out->data[out->len] = '\0';
		sl_strbuf_putc(out, '\n');
	}
	free(pos);
}

void
sl_cli_aligned_rule(sl_strbuf_t *out, int ncols, const int *width)
{
	for (int c = 0; c < ncols; c++) {
		if (c > 0)
			sl_strbuf_putc(out, '+');
		pad(out, width[c] + 2, '-');
	}
	sl_strbuf_putc(out, '\n');
}

void
sl_cli_expanded_record(sl_strbuf_t *out, int recno, int ncols, const char *const *names,
		       const char *const *cells, int namew, int valw, const char *null_text)
{
	size_t start = out->len;

	sl_strbuf_printf(out, "-[ RECORD %d ]", recno);
	pad(out, namew + 1 - (int)(out->len - start), '-');
	sl_strbuf_putc(out, '+');
	pad(out, valw + 1, '-');
	sl_strbuf_putc(out, '\n');
	for (int c = 0; c < ncols; c++) {
		const char *cell = cells[c] != NULL ? cells[c] : null_text;
		const char *name = names[c];
		for (;;) {
			size_t n = strcspn(cell, "\n");
			sl_strbuf_puts(out, name);
			pad(out, namew - sl_cli_width(name), ' ');
			sl_strbuf_puts(out, n > 0 ? " | " : " |");
			sl_strbuf_append(out, cell, n);
			if (cell[n] != '\n') {
				sl_strbuf_putc(out, '\n');
				break;
			}
			sl_strbuf_puts(out, "+\n");
			cell += n + 1;
			name = "";
		}
	}
}

void
sl_cli_csv_line(sl_strbuf_t *out, int ncols, const char *const *cells)
{
	for (int c = 0; c < ncols; c++) {
		const char *cell = cells[c];

		if (c > 0)
			sl_strbuf_putc(out, ',');
		if (cell == NULL)
			continue;
		if (*cell != '\0' && strpbrk(cell, ",\"\r\n") == NULL) {
			sl_strbuf_puts(out, cell);
			continue;
		}
		sl_strbuf_putc(out, '"');
		for (const char *p = cell; *p != '\0'; p++) {
			if (*p == '"')
				sl_strbuf_putc(out, '"');
			sl_strbuf_putc(out, *p);
		}
		sl_strbuf_putc(out, '"');
	}
	sl_strbuf_putc(out, '\n');
}

/* Width of each column over the header and every row. */
static int *
table_widths(const sl_cli_table_t *t, const char *null_text)
{
	int *width = calloc((size_t)t->ncols + 1, sizeof(*width));

	if (width == NULL)
		abort();
	for (int r = 0; r <= t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			int w = sl_cli_width(cell != NULL ? cell : null_text);
			if (w > width[c])
				width[c] = w;
		}
	return width;
}

static void
table_print_expanded(sl_strbuf_t *out, const sl_cli_table_t *t, const char *null_text)
{
	int namew = 0, valw = 0;

	for (int c = 0; c < t->ncols; c++)
		if (sl_cli_width(t->cells[c]) > namew)
			namew = sl_cli_width(t->cells[c]);
	for (int r = 1; r <= t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			int w = sl_cli_width(cell != NULL ? cell : null_text);
			if (w > valw)
				valw = w;
		}
	for (int r = 1; r <= t->nrows; r++)
		sl_cli_expanded_record(out, r, t->ncols, (const char *const *)t->cells,
				       (const char *const *)t->cells + r * t->ncols, namew, valw,
				       null_text);
}

void
sl_cli_table_print(sl_strbuf_t *out, const sl_cli_table_t *t, const sl_cli_pset_t *ps)
{
	const char *null_text = ps->null_text != NULL ? ps->null_text : "";
	int *width;
	int total = 0;

	if (ps->format != SL_CLI_FMT_TABLE) {
		for (int r = 0; r <= t->nrows; r++)
			sl_cli_csv_line(out, t->ncols,
					(const char *const *)t->cells + r * t->ncols);
		return;
	}
	width = table_widths(t, null_text);
	for (int c = 0; c < t->ncols; c++)
		total += width[c] + 3;
	if (ps->expanded == SL_CLI_X_ON ||
	    (ps->expanded == SL_CLI_X_AUTO && ps->term_width > 0 && total > ps->term_width)) {
		table_print_expanded(out, t, null_text);
	} else {
		sl_cli_aligned_line(out, t->ncols, (const char *const *)t->cells, width, NULL, "");
		sl_cli_aligned_rule(out, t->ncols, width);
		for (int r = 1; r <= t->nrows; r++)
			sl_cli_aligned_line(out, t->ncols,
					    (const char *const *)t->cells + r * t->ncols, width,
					    t->right, null_text);
	}
	sl_cli_footer(out, t->nrows, t->note);
	free(width);
}

/* ---- transcripts ---- */

void
sl_cli_transcript_gap(sl_strbuf_t *out, const char *text, size_t n, bool midline)
{
	bool printed = false, blank = false;

	for (size_t i = 0; i < n;) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t e = nl != NULL ? (size_t)(nl - text) : n, s = i, t = e;

		if (midline)
			while (s < t && (text[s] == ' ' || text[s] == '\t'))
				s++;
		while (t > s && (text[t - 1] == ' ' || text[t - 1] == '\t' || text[t - 1] == '\r'))
			t--;
		if (t == s) {
			blank = printed;
		} else {
			if (blank)
				sl_strbuf_putc(out, '\n');
			sl_strbuf_append(out, text + s, t - s);
			sl_strbuf_putc(out, '\n');
			printed = true;
			blank = false;
		}
		i = e + 1;
		midline = false;
	}
}

/* ---- query rows ---- */

bool
sl_cli_type_numeric(const char *type)
{
	static const char *const numeric[] = { "INT", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL" };

	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		size_t n = strlen(numeric[i]);
		if (strncasecmp(type, numeric[i], n) == 0 && (type[n] == '\0' || type[n] == '('))
			return true;
	}
	return false;
}

/* The end of the JSON value starting at p (p < end): past its closing
 * quote or bracket, or at the ',' or ']' that ends a scalar. */
static const char *
json_value_end(const char *p, const char *end)
{
	int depth = 0;
	bool in_str = false;

	for (; p < end; p++) {
		char c = *p;
		if (in_str) {
			if (c == '\\')
				p++;
			else if (c == '"') {
				in_str = false;
				if (depth == 0)
					return p + 1;
			}
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '[' || c == '{')
			depth++;
		else if (c == ']' || c == '}') {
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
		} else if (c == ',' && depth == 0)
			return p;
	}
	return end;
}

static char *
text_dup(const char *s, size_t n)
{
	char *c = strndup(s, n);
	if (c == NULL)
		abort();
	return c;
}

bool
sl_cli_row_split(const char *json, size_t len, int ncols, char **cells, char **raw)
{
	const char *p = json, *end = json + len;
	int i = 0;

	for (int c = 0; c < ncols; c++) {
		cells[c] = NULL;
		if (raw != NULL)
			raw[c] = NULL;
	}
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end || *p != '[')
		return false;
	p++;
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p == ']')
			break;
		const char *v = p, *ve = json_value_end(p, end);
		size_t n = (size_t)(ve - v);
		while (n > 0 && isspace((unsigned char)v[n - 1]))
			n--;
		if (i < ncols) {
			if (raw != NULL)
				raw[i] = text_dup(v, n);
			if (*v == '"') {
				cJSON *s = cJSON_ParseWithLength(v, n);
				const char *text = cJSON_IsString(s) ? s->valuestring : "";
				cells[i] = text_dup(text, strlen(text));
				cJSON_Delete(s);
			} else if (!(n == 4 && strncmp(v, "null", 4) == 0)) {
				cells[i] = text_dup(v, n);
			}
		}
		i++;
		p = ve;
		if (p < end && *p == ',')
			p++;
	}
	return true;
}

void
sl_cli_row_free(int ncols, char **cells)
{
	for (int c = 0; c < ncols; c++) {
		free(cells[c]);
		cells[c] = NULL;
	}
}

void
sl_cli_json_object_line(sl_strbuf_t *out, int ncols, const char *const *names,
			const char *const *raw)
{
	sl_strbuf_putc(out, '{');
	for (int c = 0; c < ncols; c++) {
		cJSON *s = cJSON_CreateString(names[c]);
		char *quoted = cJSON_PrintUnformatted(s);
		if (c > 0)
			sl_strbuf_putc(out, ',');
		sl_strbuf_puts(out, quoted != NULL ? quoted : "\"?\"");
		sl_strbuf_putc(out, ':');
		sl_strbuf_puts(out, raw[c] != NULL ? raw[c] : "null");
		cJSON_free(quoted);
		cJSON_Delete(s);
	}
	sl_strbuf_puts(out, "}\n");
}
